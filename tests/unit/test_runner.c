/* test_runner.c - unit tests for the runner's reading of connections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/socket.h>

#include "../../src/runner.c"

struct fix {
	struct spec spec;
	struct test test;
	struct box_job job;
	struct test_result res;
	struct runner r;
	int peer;    /* the program's end of the connection c1 */
	int more[8]; /* and of the connections add_conns opens, c2, c3... */
	size_t nmore;
};

/* A runner with one TCP connection, c1, whose other end the test holds. */
static int setup(void **state)
{
	struct fix *f = xcalloc(1, sizeof(*f));
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	f->spec.program.role = ROLE_SERVER;
	f->spec.program.port = 8888;
	proc_default_limits(&f->spec.limits);
	f->test.timeout_ms = 10000;
	f->job.spec = &f->spec;
	f->job.test = &f->test;
	f->job.port = 8888;
	f->r.job = &f->job;
	f->r.res = &f->res;
	f->r.t0 = now_ms();
	f->r.deadline = f->r.t0 + 10000;
	f->r.listen_fd = -1;
	f->r.wire.cap = (size_t)WIRE_BUDGET_MB << 20; /* as steps_run sets it */
	runner_add_conn(&f->r, "c1", sv[0], 8888);
	f->peer = sv[1];
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	for (size_t i = 0; i < f->r.nconns; i++)
		runner_conn_free(&f->r.conns[i]);
	free(f->r.conns);
	free(f->r.recipe);
	test_result_free(&f->res);
	close(f->peer);
	for (size_t i = 0; i < f->nmore; i++)
		close(f->more[i]);
	free(f);
	return 0;
}

/* n more connections, c2 to c(n+1); the test holds their other ends. */
static void add_conns(struct fix *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char name[16];
		int sv[2];
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
		snprintf(name, sizeof(name), "c%zu", f->nmore + 2);
		runner_add_conn(&f->r, name, sv[0], 8888);
		f->more[f->nmore++] = sv[1];
	}
}

/* The bytes the connections hold, counted one by one. */
static size_t held_by_conns(const struct fix *f)
{
	size_t held = 0;

	for (size_t i = 0; i < f->r.nconns; i++)
		held += f->r.conns[i].in.len;
	return held;
}

/* Write a chunk on each peer that takes it, then let the runner read; until
 * the runner fails or rounds are done. The bytes written, in all. */
static size_t flood(struct fix *f, const int *peers, size_t npeers, int rounds)
{
	static char chunk[65536];
	size_t sent = 0;

	memset(chunk, 'x', sizeof(chunk));
	for (int i = 0; i < rounds && !f->r.failed; i++) {
		for (size_t k = 0; k < npeers; k++) {
			ssize_t n = write(peers[k], chunk, sizeof(chunk));
			if (n > 0)
				sent += (size_t)n;
		}
		runner_pump(&f->r, 0);
	}
	return sent;
}

/* What arrives is kept, in order, until a step takes it. */
static void test_pump_reads(void **state)
{
	struct fix *f = *state;

	assert_int_equal(write(f->peer, "hola", 4), 4);
	assert_int_equal(write(f->peer, " y adiós", 9), 9);
	runner_pump(&f->r, 1000);
	runner_pump(&f->r, 0);
	assert_int_equal(f->r.conns[0].in.len, 13);
	assert_memory_equal(f->r.conns[0].in.data, "hola y adiós", 13);
	assert_false(f->r.failed);
	close(f->peer);
	f->peer = -1;
	runner_pump(&f->r, 1000);
	assert_true(f->r.conns[0].eof);
}

/* A program that floods a connection nobody reads is cut off at the
 * test's budget, with the output verdict, instead of filling our memory. */
static void test_flood_is_cut(void **state)
{
	struct fix *f = *state;
	size_t sent = flood(f, &f->peer, 1, 4000);

	assert_true(f->r.failed);
	assert_true(f->r.output_exceeded);
	assert_true(sent > (size_t)WIRE_BUDGET_MB << 20);
	assert_true(f->r.conns[0].in.len <= (size_t)WIRE_BUDGET_MB << 20);
	assert_int_equal(f->r.wire.held, f->r.conns[0].in.len);
	assert_true(f->r.wire.over);
	assert_non_null(strstr(f->res.message, "more than 64 MiB on c1 that nobody asked for"));
}

/* The budget is the test's, not each connection's: eight connections that
 * each hold far less than it are cut off together once their sum passes it,
 * and nothing is read after that. */
static void test_budget_spans_connections(void **state)
{
	struct fix *f = *state;
	int peers[8];
	size_t held;

	add_conns(f, 7);
	peers[0] = f->peer;
	memcpy(peers + 1, f->more, 7 * sizeof(int));
	flood(f, peers, 8, 4000);
	assert_true(f->r.failed);
	assert_true(f->r.output_exceeded);
	held = held_by_conns(f);
	assert_int_equal(f->r.wire.held, held);
	assert_true(held <= (size_t)WIRE_BUDGET_MB << 20);
	for (size_t i = 0; i < f->r.nconns; i++)
		assert_true(f->r.conns[i].in.len < (size_t)WIRE_BUDGET_MB << 18);
	assert_non_null(strstr(f->res.message, "over 8 of the test's connections"));

	/* Stopped: what comes later stays in the kernel, not with us. */
	assert_int_equal(write(f->more[0], "más", 4), 4);
	runner_pump(&f->r, 10);
	assert_int_equal(held_by_conns(f), held);
}

/* What a step takes is no longer held; an emptied buffer is freed. */
static void test_take_gives_back(void **state)
{
	struct fix *f = *state;
	struct conn *c = &f->r.conns[0];

	assert_int_equal(write(f->peer, "hola y adiós", 13), 13);
	runner_pump(&f->r, 1000);
	assert_int_equal(f->r.wire.held, 13);
	runner_conn_take(&f->r, c, 7);
	assert_int_equal(f->r.wire.held, 6);
	assert_memory_equal(c->in.data, "adiós", 6);
	runner_conn_take(&f->r, c, 100); /* never more than it holds */
	assert_int_equal(f->r.wire.held, 0);
	assert_null(c->in.data);
	assert_false(f->r.failed);
}

/* A budget that a connection already used up refuses the next chunk whole:
 * the chunk is neither kept nor counted. */
static void test_full_budget_refuses(void **state)
{
	struct fix *f = *state;

	f->r.wire.cap = 10;
	assert_int_equal(write(f->peer, "0123456789", 10), 10);
	runner_pump(&f->r, 1000);
	assert_false(f->r.failed);
	assert_int_equal(f->r.wire.held, 10);
	assert_int_equal(write(f->peer, "x", 1), 1);
	runner_pump(&f->r, 1000);
	assert_true(f->r.failed);
	assert_int_equal(f->r.wire.held, 10);
	assert_int_equal(f->r.conns[0].in.len, 10);
}

/* A flood seen after the test already failed does not change its verdict. */
static void test_flood_after_failure(void **state)
{
	struct fix *f = *state;

	runner_fail(&f->r, NULL, NULL, "first");
	f->r.wire.cap = 1;
	assert_int_equal(write(f->peer, "xy", 2), 2);
	runner_pump(&f->r, 1000);
	assert_true(f->r.wire.over);
	assert_false(f->r.output_exceeded);
	assert_string_equal(f->res.message, "first");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_pump_reads, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_flood_is_cut, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_budget_spans_connections, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_take_gives_back, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_full_budget_refuses, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_flood_after_failure, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
