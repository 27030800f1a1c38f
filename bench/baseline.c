/* baseline.c - the least a test can do by hand: start an echo server, one exchange, stop it. */

#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEADLINE_MS    5000 /* for each phase: past it, the iteration fails */
#define MESSAGE        "hola"
#define REPLY          "Servidor recibió: " MESSAGE
#define BACKOFF_MAX_US 4000

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Microseconds left until deadline, never negative. */
static int64_t us_left(int64_t deadline)
{
	int64_t left = deadline - now_us();

	return left < 0 ? 0 : left;
}

/* A port nobody listens on now: the kernel's pick for port 0. */
static int free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port;

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		err(1, "free port");
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* The server, its stdout on a pipe (it prints a line once it listens). */
static pid_t start(const char *prog, int port, int *out)
{
	char arg[16];
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		err(1, "pipe");
	snprintf(arg, sizeof(arg), "%d", port);
	if ((pid = fork()) < 0)
		err(1, "fork");
	if (pid == 0) {
		dup2(fds[1], 1);
		execl(prog, prog, arg, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	*out = fds[0];
	return pid;
}

/* Connect as soon as it listens: try, and between tries wait for its
 * stdout (which speaks right after listen()) with a growing bound. */
static int connect_when_ready(int port, int out, int64_t deadline)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
	                        .sin_port = htons((uint16_t)port),
	                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int64_t backoff = 100;
	char junk[512];

	for (;;) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			err(1, "socket");
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
			return fd;
		close(fd);
		if (errno != ECONNREFUSED || us_left(deadline) == 0)
			return -1;
		struct pollfd p = {out, POLLIN, 0};
		int64_t wait = us_left(deadline) < backoff ? us_left(deadline) : backoff;
		struct timespec ts = {(time_t)(wait / 1000000), (long)(wait % 1000000) * 1000};
		if (ppoll(&p, 1, &ts, NULL) > 0 && (p.revents & POLLIN) &&
		    read(out, junk, sizeof(junk)) <= 0)
			return -1; /* it closed stdout: it died */
		backoff = backoff * 2 > BACKOFF_MAX_US ? BACKOFF_MAX_US : backoff * 2;
	}
}

/* Send one message and read the whole echo, within the deadline. */
static int exchange(int fd, int64_t deadline)
{
	char got[sizeof(REPLY)];
	size_t have = 0;

	if (send(fd, MESSAGE, strlen(MESSAGE), MSG_NOSIGNAL) != (ssize_t)strlen(MESSAGE))
		return -1;
	while (have < strlen(REPLY)) {
		struct pollfd p = {fd, POLLIN, 0};
		int64_t left = us_left(deadline);
		if (left == 0 || poll(&p, 1, (int)((left + 999) / 1000)) <= 0)
			return -1;
		ssize_t n = recv(fd, got + have, strlen(REPLY) - have, 0);
		if (n <= 0)
			return -1;
		have += (size_t)n;
	}
	return memcmp(got, REPLY, strlen(REPLY)) == 0 ? 0 : -1;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static long percentile(const long *v, int n, int p)
{
	int rank = (p * n + 99) / 100;

	return v[rank < 1 ? 0 : rank > n ? n - 1 : rank - 1];
}

static void print_stats(const char *name, long *v, int n, int last)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_long);
	printf("  \"%s\": {\"median_ms\": %.3f, \"p99_ms\": %.3f, \"min_ms\": %.3f, \"max_ms\": "
	       "%.3f}%s\n",
	       name, percentile(v, n, 50) / 1000.0, percentile(v, n, 99) / 1000.0, v[0] / 1000.0,
	       v[n - 1] / 1000.0, last ? "" : ",");
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 100;
	long *ready, *talk, *stop, *total;

	if (argc < 2 || argc > 3 || n < 1)
		errx(2, "usage: baseline SERVER [N]");
	signal(SIGPIPE, SIG_IGN);
	ready = calloc((size_t)n, sizeof(long));
	talk = calloc((size_t)n, sizeof(long));
	stop = calloc((size_t)n, sizeof(long));
	total = calloc((size_t)n, sizeof(long));
	if (!ready || !talk || !stop || !total)
		err(1, "calloc");
	for (int i = 0; i < n; i++) {
		int port = free_port(), out, fd, st;
		int64_t t0 = now_us(), t1, t2;
		pid_t pid = start(argv[1], port, &out);

		fd = connect_when_ready(port, out, t0 + DEADLINE_MS * 1000);
		t1 = now_us();
		if (fd < 0 || exchange(fd, t1 + DEADLINE_MS * 1000) < 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			errx(1, "iteration %d: no echo from %s on port %d", i + 1, argv[1], port);
		}
		t2 = now_us();
		close(fd);
		kill(pid, SIGKILL);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		close(out);
		ready[i] = (long)(t1 - t0);
		talk[i] = (long)(t2 - t1);
		stop[i] = (long)(now_us() - t2);
		total[i] = (long)(now_us() - t0);
	}
	printf("{\n  \"n\": %d,\n", n);
	print_stats("ready", ready, n, 0);
	print_stats("exchange", talk, n, 0);
	print_stats("stop", stop, n, 0);
	print_stats("total", total, n, 1);
	printf("}\n");
	free(ready);
	free(talk);
	free(stop);
	free(total);
	return 0;
}
