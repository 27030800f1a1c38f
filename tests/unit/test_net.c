/* test_net.c - unit tests for the checker's side of loopback TCP and UDP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/net.c"

/* A UDP socket is "listening" as soon as it is bound; TCP only once it listens. */
static void test_listening_by_protocol(void **state)
{
	char err[ERR_LEN];
	int port = net_free_port(1, err);
	int fd = net_udp_socket(port, err);

	(void)state;
	assert_true(port > 0);
	assert_true(fd >= 0);
	assert_int_equal(net_listening(port, 1), 1);
	assert_int_equal(net_listening(port, 0), 0);
	close(fd);
	assert_int_equal(net_listening(port, 1), 0);
	port = net_free_port(0, err);
	fd = net_tcp_listen(port, err);
	assert_true(fd >= 0);
	assert_int_equal(net_listening(port, 0), 1);
	assert_int_equal(net_listening(port, 1), 0);
	close(fd);
}

static int has_port(const int *ports, int n, int port)
{
	for (int i = 0; i < n; i++)
		if (ports[i] == port)
			return 1;
	return 0;
}

/* sock_diag and /proc/net agree: a listener on ::, one on 127.0.0.1, and
 * none for one on 127.0.0.2 (which 127.0.0.1 does not reach). */
static void test_listeners_diag_matches_proc(void **state)
{
	struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT};
	struct sockaddr_in a2 = {.sin_family = AF_INET};
	char err[ERR_LEN];
	int p4 = net_free_port(0, err), p6 = net_free_port(0, err), p2 = net_free_port(0, err);
	int f4 = net_tcp_listen(p4, err);
	int f6 = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int f2 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int diag[256], proc[256], nd, np;

	(void)state;
	a6.sin6_port = htons((uint16_t)p6);
	a2.sin_port = htons((uint16_t)p2);
	a2.sin_addr.s_addr = htonl(0x7f000002);
	assert_true(f4 >= 0 && f6 >= 0 && f2 >= 0);
	assert_int_equal(bind(f6, (struct sockaddr *)&a6, sizeof(a6)), 0);
	assert_int_equal(listen(f6, 1), 0);
	assert_int_equal(bind(f2, (struct sockaddr *)&a2, sizeof(a2)), 0);
	assert_int_equal(listen(f2, 1), 0);
	nd = diag_listeners(AF_INET, 0, diag, NULL, 256, 0);
	nd = diag_listeners(AF_INET6, 0, diag, NULL, 256, nd);
	np = scan_listeners("/proc/self/net/tcp", 0, 0, proc, 256, 0);
	np = scan_listeners("/proc/self/net/tcp6", 1, 0, proc, 256, np);
	assert_true(nd >= 2 && np >= 2); /* other listeners of the host may come and go */
	for (int port, i = 0; i < 3; i++) {
		port = i == 0 ? p4 : i == 1 ? p6 : p2;
		assert_int_equal(has_port(diag, nd, port), has_port(proc, np, port));
		assert_int_equal(has_port(diag, nd, port), port != p2);
	}
	close(f4);
	close(f6);
	close(f2);
}

/* Connections done with the handshake and not yet accepted are counted;
 * an accepted one no longer is. */
static void test_accept_queue(void **state)
{
	char err[ERR_LEN];
	int port = net_free_port(0, err), l = net_tcp_listen(port, err), c1, c2, a;
	int64_t deadline = now_ms() + 2000;

	(void)state;
	assert_true(l >= 0);
	assert_int_equal(net_accept_queue(port), 0);
	c1 = net_tcp_connect(port, 0, deadline, err);
	c2 = net_tcp_connect(port, 0, deadline, err);
	assert_true(c1 >= 0 && c2 >= 0);
	assert_int_equal(net_accept_queue(port), 2);
	for (a = -1; a < 0 && ms_left(deadline) > 0; poll(NULL, 0, 5))
		a = accept(l, NULL, NULL);
	assert_true(a >= 0);
	assert_int_equal(net_accept_queue(port), 1);
	close(a);
	close(c1);
	close(c2);
	close(l);
}

/* Datagrams keep their boundaries, empty ones included, and say who sent them. */
static void test_udp_send_recv(void **state)
{
	char err[ERR_LEN], buf[64];
	int a = net_udp_socket(0, err), b = net_udp_socket(0, err), from = 0;
	struct pollfd p;

	(void)state;
	assert_int_equal(net_udp_send(a, net_local_port(b), "hola", 4, now_ms() + 1000), 0);
	assert_int_equal(net_udp_send(a, net_local_port(b), "", 0, now_ms() + 1000), 0);
	p = (struct pollfd){b, POLLIN, 0};
	assert_int_equal(poll(&p, 1, 1000), 1);
	assert_int_equal(net_udp_recv(b, buf, sizeof(buf), &from), 4);
	assert_memory_equal(buf, "hola", 4);
	assert_int_equal(from, net_local_port(a));
	assert_int_equal(poll(&p, 1, 1000), 1);
	assert_int_equal(net_udp_recv(b, buf, sizeof(buf), &from), 0);
	assert_int_equal(net_udp_recv(b, buf, sizeof(buf), &from), -1);
	assert_int_equal(errno, EAGAIN);
	close(a);
	close(b);
}

/* A datagram longer than the buffer still reports its whole length. */
static void test_udp_recv_reports_truncation(void **state)
{
	char err[ERR_LEN], buf[4];
	int a = net_udp_socket(0, err), b = net_udp_socket(0, err), from;
	struct pollfd p = {b, POLLIN, 0};

	(void)state;
	assert_int_equal(net_udp_send(a, net_local_port(b), "0123456789", 10, now_ms() + 1000), 0);
	assert_int_equal(poll(&p, 1, 1000), 1);
	assert_int_equal(net_udp_recv(b, buf, sizeof(buf), &from), 10);
	close(a);
	close(b);
}

/* A blackhole port: connecting there neither succeeds nor is refused. */
static void test_blackhole(void **state)
{
	char err[ERR_LEN];
	int port = net_free_port(0, err), hole[2], fd;

	(void)state;
	assert_int_equal(net_tcp_blackhole(port, hole, now_ms() + 1000, err), 0);
	fd = net_tcp_connect(port, 0, now_ms() + 300, err);
	assert_int_equal(fd, -1);
	assert_int_equal(errno, ETIMEDOUT);
	close(hole[0]);
	close(hole[1]);
	/* Without it, the same port refuses at once. */
	fd = net_tcp_connect(port, 0, now_ms() + 300, err);
	assert_int_equal(fd, -1);
	assert_int_equal(errno, ECONNREFUSED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_listening_by_protocol),
	        cmocka_unit_test(test_listeners_diag_matches_proc),
	        cmocka_unit_test(test_accept_queue),
	        cmocka_unit_test(test_udp_send_recv),
	        cmocka_unit_test(test_udp_recv_reports_truncation),
	        cmocka_unit_test(test_blackhole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
