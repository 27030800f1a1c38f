/* capture.c - a test's packets on its box's loopback, saved as a pcap file for Wireshark.
 *
 * A child process owns the libpcap handle, so the box's own poll loop is
 * not disturbed: it tells the box when it is capturing (a byte on a pipe),
 * and stops when the box closes the other pipe, after writing every packet
 * still queued. */
#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"

#define READY_MS 3000 /* for the capture to start */
#define DRAIN_MS 50   /* after the end: quiet this long means every packet is in */
#define STOP_MS  3000 /* for the child to finish writing */

struct capture {
	pid_t pid;
	int stop; /* closing it tells the child to finish */
};

struct sink {
	pcap_dumper_t *dump;
	long bytes;
};

static void write_packet(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct sink *s = (struct sink *)arg;

	if (s->bytes > CAPTURE_MAX_BYTES)
		return;
	s->bytes += (long)h->caplen + 16;
	pcap_dump((u_char *)s->dump, h, bytes);
}

static pcap_t *open_lo(char *err)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create("lo", perr);

	if (!p || pcap_set_snaplen(p, 262144) != 0 || pcap_set_immediate_mode(p, 1) != 0 ||
	    pcap_set_buffer_size(p, 16 << 20) != 0 || pcap_activate(p) < 0 ||
	    pcap_setnonblock(p, 1, perr) != 0) {
		errf(err, "libpcap: %s", p && !perr[0] ? pcap_geterr(p) : perr);
		if (p)
			pcap_close(p);
		return NULL;
	}
	return p;
}

/* Capture until stop is closed, then until the line is quiet. */
static void capture_loop(pcap_t *p, struct sink *s, int stop)
{
	struct pollfd pfd[2] = {{pcap_get_selectable_fd(p), POLLIN, 0}, {stop, POLLIN, 0}};
	int stopping = 0;

	for (;;) {
		int r = poll(pfd, stopping ? 1 : 2, stopping ? DRAIN_MS : -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0 && stopping)
			break;
		if (pfd[0].revents)
			pcap_dispatch(p, -1, write_packet, (u_char *)s);
		if (!stopping && pfd[1].revents)
			stopping = 1;
	}
	pcap_dispatch(p, -1, write_packet, (u_char *)s);
}

static void child(int fd, int ready, int stop)
{
	char err[ERR_LEN];
	pcap_t *p = open_lo(err);
	FILE *f = p ? fdopen(fd, "w") : NULL;
	struct sink s = {NULL, 0};

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (!p || !f || !(s.dump = pcap_dump_fopen(p, f))) {
		char msg[ERR_LEN + 8];
		int n = snprintf(msg, sizeof(msg), "-%s", p ? pcap_geterr(p) : err);
		(void)!write(ready, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
		_exit(1);
	}
	if (write(ready, "+", 1) != 1)
		_exit(1);
	close(ready);
	capture_loop(p, &s, stop);
	pcap_dump_close(s.dump);
	pcap_close(p);
	_exit(0);
}

/* The child's first byte: '+' capturing, anything else a failure with text. */
static int wait_ready(int ready, char *err)
{
	struct pollfd pfd = {ready, POLLIN, 0};
	char msg[ERR_LEN] = "";
	ssize_t n;

	if (poll(&pfd, 1, READY_MS) <= 0) {
		errf(err, "%s", _("the capture did not start in time"));
		return -1;
	}
	n = read(ready, msg, sizeof(msg) - 1);
	if (n > 0 && msg[0] == '+')
		return 0;
	msg[n > 1 ? n : 1] = '\0';
	errf(err, "%s", n > 1 ? msg + 1 : _("the capture did not start"));
	return -1;
}

struct capture *capture_start(int fd, char *err)
{
	int ready[2], stop[2];
	struct capture *c;
	pid_t pid;

	if (pipe2(ready, O_CLOEXEC) < 0)
		return errf(err, "pipe: %s", strerror(errno)), NULL;
	if (pipe2(stop, O_CLOEXEC) < 0) {
		close(ready[0]);
		close(ready[1]);
		return errf(err, "pipe: %s", strerror(errno)), NULL;
	}
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		close(stop[1]);
		child(fd, ready[1], stop[0]);
	}
	close(ready[1]);
	close(stop[0]);
	if (pid < 0 || wait_ready(ready[0], err) < 0) {
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		} else {
			errf(err, "fork: %s", strerror(errno));
		}
		close(ready[0]);
		close(stop[1]);
		return NULL;
	}
	close(ready[0]);
	c = xcalloc(1, sizeof(*c));
	c->pid = pid;
	c->stop = stop[1];
	return c;
}

void capture_stop(struct capture *c)
{
	int64_t deadline = now_ms() + STOP_MS;
	int st;

	if (!c)
		return;
	close(c->stop);
	while (waitpid(c->pid, &st, WNOHANG) == 0) {
		if (now_ms() >= deadline) {
			kill(c->pid, SIGKILL);
			waitpid(c->pid, &st, 0);
			break;
		}
		poll(NULL, 0, 10);
	}
	free(c);
}
