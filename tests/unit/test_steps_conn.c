/* test_steps_conn.c - unit tests for the connection steps, over a socketpair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "../../src/steps_conn.c"

struct fix {
	struct spec spec;
	struct test test;
	struct box_job job;
	struct test_result res;
	struct rng rng;
	struct runner r;
	int peer; /* the program's end of connection c1 */
};

static int setup(void **state)
{
	struct fix *f = xcalloc(1, sizeof(*f));
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	f->spec.program.role = ROLE_SERVER;
	f->spec.program.port = 7777;
	proc_default_limits(&f->spec.limits);
	f->test.timeout_ms = 20000;
	f->job.spec = &f->spec;
	f->job.test = &f->test;
	f->job.port = 7777;
	f->r.job = &f->job;
	f->r.res = &f->res;
	f->r.t0 = now_ms();
	f->r.deadline = f->r.t0 + 20000;
	f->r.listen_fd = -1;
	f->r.wire.cap = (size_t)WIRE_BUDGET_MB << 20; /* as steps_run sets it */
	rng_seed(&f->rng, 7);
	tmpl_init(&f->r.vars, &f->rng);
	runner_add_conn(&f->r, "c1", sv[0], 7777);
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
	tmpl_free(&f->r.vars);
	test_result_free(&f->res);
	if (f->peer >= 0)
		close(f->peer);
	free(f);
	return 0;
}

static void peer_writes(struct fix *f, const char *text)
{
	assert_int_equal(write(f->peer, text, strlen(text)), (ssize_t)strlen(text));
}

/* An expect step over lines from two senders: a1 a2 from one, b1 from the
 * other (a template value may hold several lines). */
static struct step lines_step(char *a, char *b)
{
	static struct strv seqs[2];
	static char *av[1], *bv[1];
	struct step s = {0};

	av[0] = a;
	bv[0] = b;
	seqs[0] = (struct strv){av, 1};
	seqs[1] = (struct strv){bv, 1};
	s.kind = STEP_EXPECT;
	s.conn = "c1";
	s.seqs = seqs;
	s.nseqs = 2;
	s.within_ms = 2000;
	return s;
}

static void assert_message_has(struct fix *f, const char *part)
{
	assert_true(f->r.failed);
	if (!strstr(f->res.message, part))
		fail_msg("\"%s\" not in \"%s\"", part, f->res.message);
}

/* Any interleaving that keeps each sender's order passes; what follows stays. */
static void test_interleaved_any_order(void **state)
{
	struct fix *f = *state;
	struct step s = lines_step("a1\na2", "b1");

	peer_writes(f, "a1\nb1\na");
	peer_writes(f, "2\nresto");
	step_expect(&f->r, &s);
	assert_false(f->r.failed);
	assert_int_equal(f->r.conns[0].in.len, 5);
	assert_memory_equal(f->r.conns[0].in.data, "resto", 5);
}

static void test_interleaved_sender_order_kept(void **state)
{
	struct fix *f = *state;
	struct step s = lines_step("a1\na2", "b1");

	peer_writes(f, "b1\na2\na1\n");
	step_expect(&f->r, &s);
	assert_message_has(f, "none of the senders was due to send next (after 1 of the 3");
	assert_string_equal(f->res.received, "a2");
	assert_non_null(strstr(f->res.expected, "a1"));
}

static void test_interleaved_too_few(void **state)
{
	struct fix *f = *state;
	struct step s = lines_step("a1\na2", "b1");

	s.within_ms = 50;
	peer_writes(f, "a1\nb1\na"); /* a2 never ends */
	step_expect(&f->r, &s);
	assert_message_has(f, "received 2 of the 3 lines expected within 50 ms");
	assert_string_equal(f->res.received, "a");
}

static void test_interleaved_closed(void **state)
{
	struct fix *f = *state;
	struct step s = lines_step("a1", "b1");

	peer_writes(f, "b1\n");
	close(f->peer);
	f->peer = -1;
	step_expect(&f->r, &s);
	assert_message_has(f, "closed connection c1 after 1 of the 2 lines");
}

/* An empty line is a line: "a\n\nb" is three. */
static void test_interleaved_empty_lines(void **state)
{
	struct fix *f = *state;
	struct step s = lines_step("a\n\nb", "c\n");

	peer_writes(f, "a\nc\n\nb\n");
	step_expect(&f->r, &s);
	assert_false(f->r.failed);
	assert_int_equal(f->r.conns[0].in.len, 0);
}

static struct step prefixed_step(char *text)
{
	struct step s = {0};

	s.kind = STEP_EXPECT;
	s.conn = "c1";
	s.text = text;
	s.prefixed = "P: ";
	s.within_ms = 2000;
	return s;
}

/* The text comes back in pieces of any size, each after the prefix; a
 * piece may end in what looks like the start of a prefix. */
static void test_prefixed_pieces(void **state)
{
	struct fix *f = *state;
	struct step s = prefixed_step("hola mundo P");

	peer_writes(f, "P: hol");
	peer_writes(f, "P: a mu");
	peer_writes(f, "P: ndo P");
	step_expect(&f->r, &s);
	assert_false(f->r.failed);
	assert_int_equal(f->r.conns[0].in.len, 0);
}

/* A prefix cut between two reads is waited for, not taken for data. */
static void test_prefixed_split_prefix(void **state)
{
	struct fix *f = *state;
	struct conn *c = &f->r.conns[0];
	struct pieces pc = {c, "abcdef", "P: ", 6, 3, MATCH_MORE, 0};

	buf_puts(&c->in, "P: abcP");
	assert_int_equal(pieces_match(&pc), MATCH_MORE);
	buf_puts(&c->in, ":");
	assert_int_equal(pieces_match(&pc), MATCH_MORE);
	buf_puts(&c->in, " def");
	assert_int_equal(pieces_match(&pc), MATCH_OK);
	assert_int_equal(pc.used, 12);
	buf_puts(&c->in, "P: más"); /* what comes after is left for later steps */
	assert_int_equal(pieces_match(&pc), MATCH_OK);
	assert_int_equal(pc.used, 12);
}

static void test_prefixed_wrong(void **state)
{
	struct fix *f = *state;
	struct step s = prefixed_step("abcdef");

	peer_writes(f, "P: abcP: dXf");
	step_expect(&f->r, &s);
	assert_message_has(f, "other than expected");
}

static void test_prefixed_no_prefix(void **state)
{
	struct fix *f = *state;
	struct step s = prefixed_step("abcdef");

	peer_writes(f, "abcdef");
	step_expect(&f->r, &s);
	assert_message_has(f, "other than expected");
}

static void test_prefixed_lost_piece(void **state)
{
	struct fix *f = *state;
	struct step s = prefixed_step("abcdef");

	s.within_ms = 50;
	peer_writes(f, "P: abcP: d");
	step_expect(&f->r, &s);
	assert_message_has(f, "only part of the answer within 50 ms");
}

/* What each kind of expect takes from a connection is no longer held by
 * the test's budget; what is left for later steps still is. */
static void test_expect_gives_budget_back(void **state)
{
	struct fix *f = *state;
	struct step plain = {0}, lines = lines_step("a1\na2", "b1"), pieces;

	plain.kind = STEP_EXPECT;
	plain.conn = "c1";
	plain.text = "hola ";
	plain.within_ms = 2000;
	peer_writes(f, "hola b1\na1\na2\nP: xyP: z y más");
	step_expect(&f->r, &plain);
	assert_int_equal(f->r.wire.held, f->r.conns[0].in.len);
	step_expect(&f->r, &lines);
	assert_int_equal(f->r.wire.held, f->r.conns[0].in.len);
	pieces = prefixed_step("xyz");
	step_expect(&f->r, &pieces);
	assert_false(f->r.failed);
	assert_int_equal(f->r.wire.held, strlen(" y más"));
	assert_int_equal(f->r.conns[0].in.len, strlen(" y más"));
}

/* The checker keeps reading while it sends: against a program that echoes
 * everything back as it reads, a send far larger than the buffers of both
 * directions completes instead of deadlocking. */
static void test_send_reads_meanwhile(void **state)
{
	struct fix *f = *state;
	struct step s = {0};
	size_t big = 4 << 20;
	char *text = xmalloc(big + 1);
	pid_t echo = fork();

	assert_true(echo >= 0);
	if (echo == 0) {
		char buf[65536];
		ssize_t n;
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlives a failed test */
		fcntl(f->peer, F_SETFL, 0);
		while ((n = read(f->peer, buf, sizeof(buf))) > 0)
			for (ssize_t off = 0; off < n;) {
				ssize_t k = write(f->peer, buf + off, (size_t)(n - off));
				if (k <= 0)
					_exit(1);
				off += k;
			}
		_exit(0);
	}
	close(f->peer);
	f->peer = -1;
	memset(text, 'x', big);
	text[big] = '\0';
	tmpl_set(&f->r.vars, "mucho", text);
	s.kind = STEP_SEND;
	s.conn = "c1";
	s.text = "{mucho}";
	s.within_ms = 10000;
	step_send(&f->r, &s);
	assert_false(f->r.failed);
	while (f->r.conns[0].in.len < big && !f->r.failed)
		runner_pump(&f->r, 1000);
	assert_int_equal(f->r.conns[0].in.len, big);
	shutdown(f->r.conns[0].fd, SHUT_WR);
	assert_int_equal(waitpid(echo, NULL, 0), echo);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_interleaved_any_order, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_interleaved_sender_order_kept, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_interleaved_too_few, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_interleaved_closed, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_interleaved_empty_lines, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_send_reads_meanwhile, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_expect_gives_budget_back, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_prefixed_pieces, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_prefixed_split_prefix, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_prefixed_wrong, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_prefixed_no_prefix, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_prefixed_lost_piece, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
