/* test_steps_dgram.c - unit tests for the UDP steps, over real loopback sockets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>

#include "../../src/steps_dgram.c"

/* A runner with no program, as steps_run sets one up, and a "program"
 * played by the test: one UDP socket standing for the learner's server or
 * client. */
struct fix {
	struct spec spec;
	struct test test;
	struct box_job job;
	struct test_result res;
	struct rng rng;
	struct runner r;
	int prog;      /* the test's own socket */
	int prog_port; /* and its port */
};

static int setup(void **state, enum role role)
{
	struct fix *f = xcalloc(1, sizeof(*f));
	char err[ERR_LEN], port[16];

	f->prog = net_udp_socket(0, err);
	assert_true(f->prog >= 0);
	f->prog_port = net_local_port(f->prog);
	f->spec.program.role = role;
	f->spec.program.proto = PROTO_UDP;
	f->spec.program.port = 9999;
	proc_default_limits(&f->spec.limits);
	f->test.id = "t";
	f->test.timeout_ms = 10000;
	f->job.spec = &f->spec;
	f->job.test = &f->test;
	f->job.port = f->prog_port;
	f->r.job = &f->job;
	f->r.res = &f->res;
	f->r.t0 = now_ms();
	f->r.deadline = f->r.t0 + 10000;
	f->r.listen_fd = -1;
	f->r.wire.cap = (size_t)WIRE_BUDGET_MB << 20; /* as steps_run sets it */
	rng_seed(&f->rng, 1);
	tmpl_init(&f->r.vars, &f->rng);
	snprintf(port, sizeof(port), "%d", f->prog_port);
	tmpl_set(&f->r.vars, "port", port);
	*state = f;
	return 0;
}

static int setup_server_lesson(void **state)
{
	return setup(state, ROLE_SERVER);
}

/* A client lesson: the checker's server socket waits on a port of its own. */
static int setup_client_lesson(void **state)
{
	char err[ERR_LEN];
	struct fix *f;

	setup(state, ROLE_CLIENT);
	f = *state;
	f->r.listen_fd = net_udp_socket(0, err);
	assert_true(f->r.listen_fd >= 0);
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	for (size_t i = 0; i < f->r.nconns; i++)
		runner_conn_free(&f->r.conns[i]);
	free(f->r.conns);
	for (size_t i = 0; i < f->r.nrecipe; i++)
		free(f->r.recipe[i].line);
	free(f->r.recipe);
	if (f->r.listen_fd >= 0)
		close(f->r.listen_fd);
	tmpl_free(&f->r.vars);
	test_result_free(&f->res);
	close(f->prog);
	free(f);
	return 0;
}

static struct step step_of(enum step_kind kind, char *conn, char *text)
{
	struct step s = {0};

	s.kind = kind;
	s.conn = conn;
	s.text = text;
	s.within_ms = 2000;
	return s;
}

/* The "program" receives one datagram: its bytes, and who sent it. */
static char *prog_recv(struct fix *f, int *from)
{
	char buf[65536];
	struct pollfd p = {f->prog, POLLIN, 0};
	ssize_t n;

	assert_int_equal(poll(&p, 1, 2000), 1);
	n = net_udp_recv(f->prog, buf, sizeof(buf), from);
	assert_true(n >= 0);
	return xstrndup(buf, (size_t)n);
}

static void prog_send(struct fix *f, int to_port, const char *text)
{
	assert_int_equal(net_udp_send(f->prog, to_port, text, strlen(text), now_ms() + 1000), 0);
}

static void assert_message_has(struct fix *f, const char *part)
{
	assert_true(f->r.failed);
	assert_non_null(f->res.message);
	if (!strstr(f->res.message, part))
		fail_msg("\"%s\" not in \"%s\"", part, f->res.message);
}

/* A checker socket aims at the program's port; the reply comes back whole. */
static void test_socket_send_expect(void **state)
{
	struct fix *f = *state;
	struct step so = step_of(STEP_SOCKET, "u1", NULL);
	struct step se = step_of(STEP_SEND, "u1", "hola");
	struct step ex = step_of(STEP_EXPECT, "u1", "Eco: hola");
	struct conn *c;
	char *got;
	int from;

	step_socket(&f->r, &so);
	c = runner_find_conn(&f->r, "u1");
	assert_non_null(c);
	assert_true(c->udp);
	assert_int_equal(c->peer_port, f->prog_port);
	step_send(&f->r, &se);
	got = prog_recv(f, &from);
	assert_string_equal(got, "hola");
	assert_int_equal(from, net_local_port(c->fd));
	prog_send(f, from, "Eco: hola");
	dgram_expect(&f->r, &ex, runner_find_conn(&f->r, "u1"));
	assert_false(f->r.failed);
	assert_int_equal(runner_find_conn(&f->r, "u1")->nqueue, 0);
	dgram_check_leftovers(&f->r);
	assert_false(f->r.failed);
	free(got);
}

/* An empty datagram is a datagram: it goes out, and "" expects one. */
static void test_empty_datagram(void **state)
{
	struct fix *f = *state;
	struct step so = step_of(STEP_SOCKET, "u1", NULL);
	struct step se = step_of(STEP_SEND, "u1", "");
	struct step ex = step_of(STEP_EXPECT, "u1", "");
	char *got;
	int from;

	step_socket(&f->r, &so);
	step_send(&f->r, &se);
	got = prog_recv(f, &from);
	assert_string_equal(got, "");
	prog_send(f, from, "");
	dgram_expect(&f->r, &ex, runner_find_conn(&f->r, "u1"));
	assert_false(f->r.failed);
	free(got);
}

/* Replies in a row stay apart: two datagrams are never one. */
static void test_boundaries_kept(void **state)
{
	struct fix *f = *state;
	struct step so = step_of(STEP_SOCKET, "u1", NULL);
	struct step ab = step_of(STEP_EXPECT, "u1", "ab");
	int port;

	step_socket(&f->r, &so);
	port = net_local_port(runner_find_conn(&f->r, "u1")->fd);
	prog_send(f, port, "a");
	prog_send(f, port, "b");
	dgram_expect(&f->r, &ab, runner_find_conn(&f->r, "u1"));
	assert_message_has(f, "cut short: 1 of the 2 bytes");
	assert_string_equal(f->res.received, "a");
}

static void test_other_bytes(void **state)
{
	struct fix *f = *state;
	struct step so = step_of(STEP_SOCKET, "u1", NULL);
	struct step ex = step_of(STEP_EXPECT, "u1", "Eco: hola");

	step_socket(&f->r, &so);
	prog_send(f, net_local_port(runner_find_conn(&f->r, "u1")->fd), "Eco: adiós");
	dgram_expect(&f->r, &ex, runner_find_conn(&f->r, "u1"));
	assert_message_has(f, "other than expected");
	assert_string_equal(f->res.expected, "Eco: hola");
	assert_string_equal(f->res.received, "Eco: adiós");
}

/* The right bytes from the wrong port: the server answered from another socket. */
static void test_reply_from_another_port(void **state)
{
	struct fix *f = *state;
	struct step so = step_of(STEP_SOCKET, "u1", NULL);
	struct step ex = step_of(STEP_EXPECT, "u1", "Eco: hola");
	char err[ERR_LEN];
	int other = net_udp_socket(0, err);
	char *part;

	step_socket(&f->r, &so);
	assert_int_equal(net_udp_send(other, net_local_port(runner_find_conn(&f->r, "u1")->fd),
	                              "Eco: hola", 9, now_ms() + 1000),
	                 0);
	dgram_expect(&f->r, &ex, runner_find_conn(&f->r, "u1"));
	part = xasprintf("from port %d, not from port %d", net_local_port(other), f->prog_port);
	assert_message_has(f, part);
	free(part);
	close(other);
}

/* Nothing arrives: the wait ends at the step's deadline. */
static void test_nothing_arrives(void **state)
{
	struct fix *f = *state;
	struct step so = step_of(STEP_SOCKET, "u1", NULL);
	struct step ex = step_of(STEP_EXPECT, "u1", "Eco: hola");
	int64_t t0;

	ex.within_ms = 50;
	step_socket(&f->r, &so);
	t0 = now_ms();
	dgram_expect(&f->r, &ex, runner_find_conn(&f->r, "u1"));
	assert_true(now_ms() - t0 >= 50);
	assert_message_has(f, "received no datagram from your program within 50 ms");
}

/* A regex judges the whole datagram. */
static void test_regex(void **state)
{
	struct fix *f = *state;
	struct step so = step_of(STEP_SOCKET, "u1", NULL);
	struct step ex = step_of(STEP_EXPECT, "u1", NULL);

	ex.regex = "^Eco: [0-9]+$";
	step_socket(&f->r, &so);
	prog_send(f, net_local_port(runner_find_conn(&f->r, "u1")->fd), "Eco: 42");
	dgram_expect(&f->r, &ex, runner_find_conn(&f->r, "u1"));
	assert_false(f->r.failed);
}

/* A datagram nobody expected fails the test at its end. */
static void test_leftover_fails(void **state)
{
	struct fix *f = *state;
	struct step so = step_of(STEP_SOCKET, "u1", NULL);
	struct pollfd p;

	step_socket(&f->r, &so);
	prog_send(f, net_local_port(runner_find_conn(&f->r, "u1")->fd), "Eco: otra");
	p = (struct pollfd){runner_find_conn(&f->r, "u1")->fd, POLLIN, 0};
	assert_int_equal(poll(&p, 1, 2000), 1);
	dgram_check_leftovers(&f->r);
	assert_message_has(f, "never asked for");
	assert_string_equal(f->res.received, "Eco: otra");
}

/* A socket closed by the checker is not judged for what reaches it later. */
static void test_closed_socket_not_judged(void **state)
{
	struct fix *f = *state;
	struct step so = step_of(STEP_SOCKET, "u1", NULL);
	struct step cl = step_of(STEP_CLOSE, "u1", NULL);

	step_socket(&f->r, &so);
	step_close(&f->r, &cl, 0);
	assert_int_equal(runner_find_conn(&f->r, "u1")->fd, -1);
	dgram_check_leftovers(&f->r);
	assert_false(f->r.failed);
}

/* Client lesson: accept names the server socket once a datagram is there;
 * answers go to the last sender, and "to" aims a new socket at it. */
static void test_accept_and_answer(void **state)
{
	struct fix *f = *state;
	int server_port = net_local_port(f->r.listen_fd);
	struct step ac = step_of(STEP_ACCEPT, "s1", NULL);
	struct step ex = step_of(STEP_EXPECT, "s1", "hola");
	struct step se = step_of(STEP_SEND, "s1", "Eco: hola");
	struct step so = step_of(STEP_SOCKET, "intruso", NULL);
	struct step si = step_of(STEP_SEND, "intruso", "falso");
	char *got;
	int from;

	prog_send(f, server_port, "hola");
	dgram_accept(&f->r, &ac);
	assert_false(f->r.failed);
	assert_int_equal(f->r.listen_fd, -1);
	assert_true(runner_find_conn(&f->r, "s1")->serves);
	assert_int_equal(runner_find_conn(&f->r, "s1")->peer_port, f->prog_port);
	dgram_expect(&f->r, &ex, runner_find_conn(&f->r, "s1"));
	assert_false(f->r.failed);
	step_send(&f->r, &se);
	got = prog_recv(f, &from);
	assert_string_equal(got, "Eco: hola");
	assert_int_equal(from, server_port);
	free(got);

	so.to = "s1";
	step_socket(&f->r, &so);
	step_send(&f->r, &si);
	got = prog_recv(f, &from);
	assert_string_equal(got, "falso");
	assert_true(from != server_port);
	assert_true(runner_find_conn(&f->r, "intruso")->aims_at_client);
	free(got);
}

static void test_accept_nothing(void **state)
{
	struct fix *f = *state;
	struct step ac = step_of(STEP_ACCEPT, "s1", NULL);

	ac.within_ms = 30;
	dgram_accept(&f->r, &ac);
	assert_message_has(f, "sent no datagram to UDP port 9999 within 30 ms");
}

/* A program flooding a socket nobody reads is cut off at the test's budget. */
static void test_flood_is_cut(void **state)
{
	struct fix *f = *state;
	struct step so = step_of(STEP_SOCKET, "u1", NULL);
	static char big[60000];
	size_t sent = 0; /* datagrams */
	int port;

	memset(big, 'x', sizeof(big));
	step_socket(&f->r, &so);
	port = net_local_port(runner_find_conn(&f->r, "u1")->fd);
	for (int i = 0; i < 4000 && !f->r.failed; i++) {
		if (net_udp_send(f->prog, port, big, sizeof(big), now_ms() + 1000) == 0)
			sent++;
		runner_pump(&f->r, 0);
	}
	assert_true(f->r.failed);
	assert_true(f->r.output_exceeded);
	assert_true(sent * (sizeof(big) + DGRAM_COST) > (size_t)WIRE_BUDGET_MB << 20);
	assert_true(f->r.wire.held <= (size_t)WIRE_BUDGET_MB << 20);
	assert_message_has(f, "more than 64 MiB on u1");
}

/* A datagram is held, with its bookkeeping, until a step takes it; even an
 * empty one counts, or a flood of them would cost nothing. */
static void test_datagrams_counted(void **state)
{
	struct fix *f = *state;
	struct step so = step_of(STEP_SOCKET, "u1", NULL);
	struct step ex = step_of(STEP_EXPECT, "u1", "hola");
	struct conn *c;

	step_socket(&f->r, &so);
	c = runner_find_conn(&f->r, "u1");
	assert_int_equal(net_udp_send(f->prog, net_local_port(c->fd), "hola", 4, now_ms() + 1000),
	                 0);
	assert_int_equal(net_udp_send(f->prog, net_local_port(c->fd), "", 0, now_ms() + 1000), 0);
	while (c->nqueue < 2)
		runner_pump(&f->r, 1000);
	assert_int_equal(f->r.wire.held, 4 + 2 * DGRAM_COST);
	dgram_expect(&f->r, &ex, c);
	assert_false(f->r.failed);
	assert_int_equal(f->r.wire.held, DGRAM_COST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_socket_send_expect, setup_server_lesson,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_empty_datagram, setup_server_lesson, teardown),
	        cmocka_unit_test_setup_teardown(test_boundaries_kept, setup_server_lesson,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_other_bytes, setup_server_lesson, teardown),
	        cmocka_unit_test_setup_teardown(test_reply_from_another_port, setup_server_lesson,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_nothing_arrives, setup_server_lesson,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_regex, setup_server_lesson, teardown),
	        cmocka_unit_test_setup_teardown(test_leftover_fails, setup_server_lesson, teardown),
	        cmocka_unit_test_setup_teardown(test_closed_socket_not_judged, setup_server_lesson,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_accept_and_answer, setup_client_lesson,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_accept_nothing, setup_client_lesson, teardown),
	        cmocka_unit_test_setup_teardown(test_flood_is_cut, setup_server_lesson, teardown),
	        cmocka_unit_test_setup_teardown(test_datagrams_counted, setup_server_lesson,
	                                        teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
