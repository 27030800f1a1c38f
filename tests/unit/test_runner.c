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
	int peer; /* the program's end of the connection */
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
	free(f);
	return 0;
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

/* A program that floods a connection nobody reads is cut off at
 * WIRE_MAX_MB, with the output verdict, instead of filling our memory. */
static void test_flood_is_cut(void **state)
{
	struct fix *f = *state;
	static char chunk[65536];
	size_t sent = 0;

	memset(chunk, 'x', sizeof(chunk));
	for (int i = 0; i < 4000 && !f->r.failed; i++) {
		ssize_t n = write(f->peer, chunk, sizeof(chunk));
		if (n > 0)
			sent += (size_t)n;
		runner_pump(&f->r, 0);
	}
	assert_true(f->r.failed);
	assert_true(f->r.output_exceeded);
	assert_true(sent > (size_t)WIRE_MAX_MB << 20);
	assert_true(f->r.conns[0].in.len <= ((size_t)WIRE_MAX_MB << 20) + sizeof(chunk));
	assert_non_null(strstr(f->res.message, "more than 16 MiB to c1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_pump_reads, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_flood_is_cut, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
