/* test_capture.c - unit tests for the loopback capture, in a network namespace of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <sched.h>
#include <sys/socket.h>

#include "../../src/capture.c"
#include "../../src/net.h"

/* In a new network namespace: capture while a datagram crosses lo, then
 * look for it in the file. Exit status: 0 found, 1 not found, 77 no
 * namespace here. */
static int capture_one_datagram(const char *path)
{
	char err[ERR_LEN];
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	int fd, rx, tx, found = 0;
	struct capture *c;
	char perr[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	struct pcap_pkthdr *h;
	const u_char *data;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0 && unshare(CLONE_NEWNET) < 0)
		return 77;
	if (net_loopback_up(err) < 0)
		return 77;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(c = capture_start(fd, err))) {
		fprintf(stderr, "capture_start: %s\n", err);
		return 1;
	}
	close(fd);
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	bind(rx, (struct sockaddr *)&a, sizeof(a));
	getsockname(rx, (struct sockaddr *)&a, &alen);
	sendto(tx, "hola-captura", 12, 0, (struct sockaddr *)&a, sizeof(a));
	capture_stop(c);
	if (!(p = pcap_open_offline(path, perr)))
		return 1;
	while (pcap_next_ex(p, &h, &data) == 1)
		if (h->caplen >= 12 && memmem(data, h->caplen, "hola-captura", 12))
			found++;
	pcap_close(p);
	return found == 1 ? 0 : 1; /* once: loopback's outgoing copy is not kept twice */
}

static void test_datagram_captured(void **state)
{
	char path[] = "/tmp/test_capture-XXXXXX";
	int tmp = mkstemp(path), st;
	pid_t pid;

	(void)state;
	assert_true(tmp >= 0);
	close(tmp);
	pid = fork();
	if (pid == 0)
		_exit(capture_one_datagram(path));
	waitpid(pid, &st, 0);
	unlink(path);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
		skip();
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* Without a device to capture on, a clear error and no child left. */
static void test_failure_explained(void **state)
{
	char err[ERR_LEN] = "";
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int st;
	pid_t pid;

	(void)state;
	pid = fork();
	if (pid == 0) {
		/* Unprivileged and outside a namespace of our own: no capture. */
		if (getuid() == 0 && setresuid(65534, 65534, 65534) < 0)
			_exit(2);
		struct capture *c = capture_start(fd, err);
		_exit(c == NULL && err[0] ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	close(fd);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_datagram_captured),
	        cmocka_unit_test(test_failure_explained),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
