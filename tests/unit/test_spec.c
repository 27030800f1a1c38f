/* test_spec.c - unit tests for loading and validating a lesson's spec.json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

/* spec.c has its own fail() and test_free(): hide cmocka's macros of those
 * names while it compiles, then bring fail() back for fail_msg(). */
#undef fail
#undef test_free
#include "../../src/spec.c"
#define fail() _fail(__FILE__, __LINE__)

/* No digits in it, so a line number in a message is easy to find. */
#define FILE_NAME "lecciones/eco/spec.json"

/* Specs are written with ' for " to stay readable; q() swaps them back. */
#define BUILD           "'build':{'sources':['servidor.c'],'output':'servidor'}"
#define PROGRAM         "'program':{'role':'server','proto':'tcp','port':8888}"
#define HEAD            "{'lesson':'lesson03','title':'Eco'," BUILD "," PROGRAM ","
#define ONE_TEST(steps) HEAD "'tests':[{'id':'eco','name':'Eco','steps':[" steps "]}]}"

static char *q(const char *quoted)
{
	char *s = xstrdup(quoted);

	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

static struct spec *parse_q(const char *quoted, char *err)
{
	char *text = q(quoted);
	struct spec *s;

	err[0] = '\0';
	s = spec_parse(text, FILE_NAME, err);
	free(text);
	return s;
}

static struct spec *parse_ok(const char *quoted)
{
	char err[ERR_LEN];
	struct spec *s = parse_q(quoted, err);

	if (!s)
		fail_msg("rejected: %s", err);
	return s;
}

static void assert_contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("\"%s\" not found in \"%s\"", part, text);
}

/* The spec must be rejected with "file: path: problem" (spec.h), the path
 * exactly (not a longer or shorter one); also, if given, must appear in the
 * message too (a name the problem is about). */
static void expect_error(const char *quoted, const char *path, const char *also)
{
	char err[ERR_LEN];
	struct spec *s = parse_q(quoted, err);
	char *head = xasprintf("%s: %s: ", FILE_NAME, path);

	if (s) {
		spec_free(s);
		fail_msg("accepted a spec that should fail at %s", path);
	}
	if (strncmp(err, head, strlen(head)) != 0)
		fail_msg("\"%s\" does not begin with \"%s\"", err, head);
	if (also)
		assert_contains(err, also);
	free(head);
}

static void test_minimal_spec(void **state)
{
	struct spec *s = parse_ok(ONE_TEST("{'connect':'c1'}"));

	(void)state;
	assert_string_equal(s->path, FILE_NAME);
	assert_string_equal(s->lesson, "lesson03");
	assert_string_equal(s->title, "Eco");
	assert_int_equal(s->build.sources.n, 1);
	assert_string_equal(s->build.sources.v[0], "servidor.c");
	assert_string_equal(s->build.output, "servidor");
	assert_int_equal(s->build.cflags.n, 0);
	assert_int_equal(s->build.ldflags.n, 0);
	assert_int_equal(s->program.role, ROLE_SERVER);
	assert_int_equal(s->program.proto, PROTO_TCP);
	assert_int_equal(s->program.port, 8888);
	assert_int_equal(s->program.args.n, 0);
	assert_int_equal(s->program.ready_ms, 3000);
	assert_int_equal(s->ntests, 1);
	assert_string_equal(s->tests[0].id, "eco");
	assert_string_equal(s->tests[0].name, "Eco");
	assert_null(s->tests[0].hint);
	/* Defaults. */
	assert_int_equal(s->tests[0].points, 1);
	assert_true(s->tests[0].autostart);
	assert_int_equal(s->tests[0].timeout_ms, 20000);
	assert_int_equal(s->max_score, 1);
	assert_int_equal(s->tests[0].nsteps, 1);
	assert_int_equal(s->tests[0].steps[0].kind, STEP_CONNECT);
	assert_string_equal(s->tests[0].steps[0].conn, "c1");
	assert_null(s->tests[0].steps[0].port);
	assert_int_equal(s->tests[0].steps[0].within_ms, 5000); /* connect waits out SYN retries */
	assert_string_equal(s->tests[0].steps[0].path, "tests[0].steps[0]");
	spec_free(s);
}

static void test_full_spec(void **state)
{
	struct spec *s = parse_ok(
	        "{'$schema':'../../schema/spec.schema.json','lesson':'lesson03','title':'Eco',"
	        "'build':{'sources':['servidor.c','util.c'],'output':'servidor',"
	        "'cflags':['-O1'],'ldflags':['-pthread']},"
	        "'program':{'role':'server','proto':'tcp','port':9000,'args':['{port}','x'],"
	        "'ready_ms':500},"
	        "'tests':["
	        "{'id':'eco','name':'Eco','points':2,'hint':'Pista.','steps':["
	        "{'connect':'c1','port':'{port_alt}','within_ms':50},"
	        "{'send':'c1','text':'{palabra}'},"
	        "{'expect':'c1','text':'Servidor recibió: {palabra}','within_ms':700},"
	        "{'close':'c1'},{'reset':'c2'}]},"
	        "{'id':'fin','name':'Fin','points':3,'autostart':false,'timeout_ms':500,'steps':["
	        "{'start':{'args':['{port}'],'port':'{port}','within_ms':900}},"
	        "{'stop':'SIGINT','within_ms':100},"
	        "{'start':{}}]}]}");
	const struct test *t0 = &s->tests[0], *t1 = &s->tests[1];

	(void)state;
	assert_int_equal(s->build.sources.n, 2);
	assert_string_equal(s->build.sources.v[1], "util.c");
	assert_string_equal(s->build.cflags.v[0], "-O1");
	assert_string_equal(s->build.ldflags.v[0], "-pthread");
	assert_int_equal(s->program.port, 9000);
	assert_int_equal(s->program.args.n, 2);
	assert_string_equal(s->program.args.v[0], "{port}");
	assert_int_equal(s->program.ready_ms, 500);
	assert_int_equal(s->ntests, 2);
	assert_int_equal(s->max_score, 5);

	assert_int_equal(t0->points, 2);
	assert_string_equal(t0->hint, "Pista.");
	assert_int_equal(t0->nsteps, 5);
	assert_int_equal(t0->steps[0].kind, STEP_CONNECT);
	assert_string_equal(t0->steps[0].port, "{port_alt}");
	assert_int_equal(t0->steps[0].within_ms, 50);
	assert_int_equal(t0->steps[1].kind, STEP_SEND);
	assert_string_equal(t0->steps[1].conn, "c1");
	assert_string_equal(t0->steps[1].text, "{palabra}");
	assert_int_equal(t0->steps[2].kind, STEP_EXPECT);
	assert_string_equal(t0->steps[2].text, "Servidor recibió: {palabra}");
	assert_int_equal(t0->steps[2].within_ms, 700);
	assert_int_equal(t0->steps[3].kind, STEP_CLOSE);
	assert_int_equal(t0->steps[4].kind, STEP_RESET);
	assert_string_equal(t0->steps[4].conn, "c2");
	assert_string_equal(t0->steps[4].path, "tests[0].steps[4]");

	assert_false(t1->autostart);
	assert_int_equal(t1->timeout_ms, 500);
	assert_int_equal(t1->nsteps, 3);
	assert_int_equal(t1->steps[0].kind, STEP_START);
	assert_true(t1->steps[0].has_args);
	assert_int_equal(t1->steps[0].args.n, 1);
	assert_string_equal(t1->steps[0].args.v[0], "{port}");
	assert_string_equal(t1->steps[0].port, "{port}");
	assert_int_equal(t1->steps[0].within_ms, 900);
	assert_int_equal(t1->steps[1].kind, STEP_STOP);
	assert_int_equal(t1->steps[1].signal, SIGINT);
	assert_int_equal(t1->steps[1].within_ms, 100);
	assert_string_equal(t1->steps[1].path, "tests[1].steps[1]");
	/* start without args keeps the program's own. */
	assert_false(t1->steps[2].has_args);
	assert_int_equal(t1->steps[2].within_ms, 3000);
	spec_free(s);
}

static void test_connect_read(void **state)
{
	struct spec *s = parse_ok(ONE_TEST("{'connect':'c1'},{'connect':'c2','read':false},"
	                                   "{'connect':'c3','read':true}"));

	(void)state;
	/* By default the checker reads what arrives; read:false never does. */
	assert_false(s->tests[0].steps[0].no_read);
	assert_true(s->tests[0].steps[1].no_read);
	assert_false(s->tests[0].steps[2].no_read);
	spec_free(s);
	expect_error(ONE_TEST("{'connect':'c1','read':'no'}"), "tests[0].steps[0].read", NULL);
}

static void test_stop_signals(void **state)
{
	static const struct {
		const char *name;
		int sig;
	} sigs[] = {
	        {"SIGINT", SIGINT}, {"SIGTERM", SIGTERM}, {"SIGKILL", SIGKILL}, {"SIGHUP", SIGHUP}};

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		char *text = xasprintf(ONE_TEST("{'stop':'%s'}"), sigs[i].name);
		struct spec *s = parse_ok(text);

		assert_int_equal(s->tests[0].steps[0].signal, sigs[i].sig);
		assert_int_equal(s->tests[0].steps[0].within_ms, 2000);
		spec_free(s);
		free(text);
	}
}

static void test_for_unrolls(void **state)
{
	struct spec *s = parse_ok(ONE_TEST("{'connect':'c1'},"
	                                   "{'for':'i','from':1,'to':3,'do':["
	                                   "{'send':'c{i}','text':'{palabra_{i}} {i}'},"
	                                   "{'expect':'c{i}','text':'x {palabra_{i}}'}]},"
	                                   "{'close':'c1'}"));
	const struct test *t = &s->tests[0];

	(void)state;
	assert_int_equal(t->nsteps, 1 + 3 * 2 + 1);
	assert_string_equal(t->steps[0].path, "tests[0].steps[0]");
	for (int i = 1; i <= 3; i++) {
		const struct step *send = &t->steps[1 + (i - 1) * 2], *exp = send + 1;
		char *conn = xasprintf("c%d", i);
		char *text = xasprintf("{palabra_%d} %d", i, i);
		char *want = xasprintf("x {palabra_%d}", i);

		assert_int_equal(send->kind, STEP_SEND);
		assert_string_equal(send->conn, conn);
		assert_string_equal(send->text, text);
		assert_int_equal(exp->kind, STEP_EXPECT);
		assert_string_equal(exp->conn, conn);
		assert_string_equal(exp->text, want);
		/* Messages point into the loop's body in the file. */
		assert_string_equal(send->path, "tests[0].steps[1].do[0]");
		assert_string_equal(exp->path, "tests[0].steps[1].do[1]");
		free(conn);
		free(text);
		free(want);
	}
	assert_int_equal(t->steps[7].kind, STEP_CLOSE);
	assert_string_equal(t->steps[7].path, "tests[0].steps[2]");
	spec_free(s);
}

static void test_for_nested(void **state)
{
	struct spec *s = parse_ok(ONE_TEST(
	        "{'for':'r','from':1,'to':2,'do':["
	        "{'for':'i','from':1,'to':3,'do':[{'send':'c{i}','text':'{frase_{i}_{r}}'}]},"
	        "{'expect':'c1','text':'{r}'}]}"));
	const struct test *t = &s->tests[0];
	size_t k = 0;

	(void)state;
	assert_int_equal(t->nsteps, 2 * (3 + 1));
	for (int r = 1; r <= 2; r++) {
		for (int i = 1; i <= 3; i++, k++) {
			char *conn = xasprintf("c%d", i);
			char *text = xasprintf("{frase_%d_%d}", i, r);

			assert_int_equal(t->steps[k].kind, STEP_SEND);
			assert_string_equal(t->steps[k].conn, conn);
			assert_string_equal(t->steps[k].text, text);
			assert_string_equal(t->steps[k].path, "tests[0].steps[0].do[0].do[0]");
			free(conn);
			free(text);
		}
		assert_int_equal(t->steps[k].kind, STEP_EXPECT);
		assert_string_equal(t->steps[k].text, r == 1 ? "1" : "2");
		assert_string_equal(t->steps[k].path, "tests[0].steps[0].do[1]");
		k++;
	}
	spec_free(s);
}

static void test_for_from_defaults_and_empty_range(void **state)
{
	struct spec *s =
	        parse_ok(ONE_TEST("{'for':'n','to':2,'do':[{'connect':'c{n}'}]},"
	                          "{'for':'n','from':5,'to':4,'do':[{'connect':'x{n}'}]},"
	                          "{'for':'n','from':0,'to':0,'do':[{'connect':'z{n}'}]}"));
	const struct test *t = &s->tests[0];

	(void)state;
	/* from defaults to 1; a range that ends before it starts is empty. */
	assert_int_equal(t->nsteps, 3);
	assert_string_equal(t->steps[0].conn, "c1");
	assert_string_equal(t->steps[1].conn, "c2");
	assert_string_equal(t->steps[2].conn, "z0");
	spec_free(s);
}

static void test_for_errors(void **state)
{
	(void)state;
	/* An error inside a loop names the body's element. */
	expect_error(ONE_TEST("{'for':'i','from':1,'to':2,'do':[{'connect':'c'},"
	                      "{'send':'c','text':'{palabrx}'}]}"),
	             "tests[0].steps[0].do[1]", "palabrx");
	expect_error(ONE_TEST("{'for':'i','from':1,'to':2,'do':{'connect':'c'}}"),
	             "tests[0].steps[0].do", NULL);
	expect_error(ONE_TEST("{'for':'i','from':1,'to':2,'hacer':[]}"), "tests[0].steps[0].hacer",
	             NULL);
	expect_error(ONE_TEST("{'for':3,'from':1,'to':2,'do':[]}"), "tests[0].steps[0].for", NULL);
	expect_error(ONE_TEST("{'for':'i','from':1,'to':20000,'do':[]}"), "tests[0].steps[0].to",
	             NULL);
	/* for is an action: it cannot share a step with another. */
	expect_error(ONE_TEST("{'for':'i','to':2,'do':[],'connect':'c'}"), "tests[0].steps[0]",
	             NULL);
}

/* A bound may come from an outer loop: each i opens c{i}, then expects on
 * c1..c{i}. */
static void test_for_bound_from_outer_loop(void **state)
{
	struct spec *s = parse_ok(ONE_TEST("{'for':'i','from':1,'to':3,'do':[{'connect':'c{i}'},"
	                                   "{'for':'j','from':1,'to':'{i}','do':["
	                                   "{'expect':'c{j}','text':'{i}'}]}]}"));
	const struct test *t = &s->tests[0];

	(void)state;
	assert_int_equal(t->nsteps, 3 + (1 + 2 + 3));
	assert_string_equal(t->steps[0].conn, "c1");
	assert_string_equal(t->steps[1].conn, "c1");
	assert_string_equal(t->steps[2].conn, "c2");
	assert_string_equal(t->steps[3].conn, "c1");
	assert_string_equal(t->steps[3].text, "2");
	assert_string_equal(t->steps[4].conn, "c2");
	assert_string_equal(t->steps[8].conn, "c3");
	assert_string_equal(t->steps[8].text, "3");
	spec_free(s);
	expect_error(ONE_TEST("{'for':'i','from':'uno','to':2,'do':[]}"), "tests[0].steps[0].from",
	             NULL);
	expect_error(ONE_TEST("{'for':'i','from':1,'to':'{j}','do':[]}"), "tests[0].steps[0].to",
	             NULL);
}

/* Lines from several senders: literal sequences, or one per loop value. */
static void test_interleaved(void **state)
{
	struct spec *s = parse_ok(ONE_TEST(
	        "{'expect':'c1','interleaved':[['a','b'],['{palabra}']]},"
	        "{'expect':'c1','interleaved':{'for':'s','from':1,'to':3,'do':['x{s}','y{s}']}}"));
	const struct step *st = s->tests[0].steps;

	(void)state;
	assert_int_equal(st[0].nseqs, 2);
	assert_int_equal(st[0].seqs[0].n, 2);
	assert_string_equal(st[0].seqs[0].v[1], "b");
	assert_string_equal(st[0].seqs[1].v[0], "{palabra}");
	assert_null(st[0].text);
	assert_int_equal(st[1].nseqs, 3);
	assert_string_equal(st[1].seqs[2].v[0], "x3");
	assert_string_equal(st[1].seqs[2].v[1], "y3");
	spec_free(s);
}

static void test_interleaved_errors(void **state)
{
	(void)state;
	expect_error(ONE_TEST("{'expect':'c1','interleaved':[['a'],'b']}"),
	             "tests[0].steps[0].interleaved[1]", NULL);
	expect_error(ONE_TEST("{'expect':'c1','interleaved':[['a'],[]]}"),
	             "tests[0].steps[0].interleaved[1]", "at least one line");
	expect_error(ONE_TEST("{'expect':'c1','interleaved':[]}"), "tests[0].steps[0].interleaved",
	             "at least one line");
	expect_error(ONE_TEST("{'expect':'c1','interleaved':'a'}"), "tests[0].steps[0].interleaved",
	             NULL);
	expect_error(ONE_TEST("{'expect':'c1','interleaved':[['{palabrx}']]}"),
	             "tests[0].steps[0].interleaved[0]", "palabrx");
	expect_error(ONE_TEST("{'expect':'c1','interleaved':{'for':'s','to':2,'do':'a'}}"),
	             "tests[0].steps[0].interleaved.do", NULL);
	expect_error(ONE_TEST("{'expect':'c1','text':'a','interleaved':[['a']]}"),
	             "tests[0].steps[0]", "interleaved");
	expect_error(ONE_TEST("{'expect':'c1','until':'x','interleaved':[['a']]}"),
	             "tests[0].steps[0]", "until");
}

static void test_error_invalid_json(void **state)
{
	char err[ERR_LEN];

	(void)state;
	/* The stray comma is on line 7. */
	assert_null(parse_q("{\n'lesson':'lesson03',\n'title':'Eco',\n\n\n\n'build':,\n}", err));
	assert_contains(err, FILE_NAME);
	assert_contains(err, "7");
	assert_null(parse_q("", err));
	assert_contains(err, FILE_NAME);
	assert_null(parse_q("{'lesson':", err));
	assert_contains(err, FILE_NAME);
}

static void test_error_root(void **state)
{
	(void)state;
	expect_error("[1,2]", "$", NULL);
	expect_error("{'title':'Eco'," BUILD "," PROGRAM ",'tests':[]}", "lesson", NULL);
	expect_error("{'lesson':3,'title':'Eco'," BUILD "," PROGRAM ",'tests':[]}", "lesson", NULL);
	expect_error("{'lesson':'lesson03'," BUILD "," PROGRAM ",'tests':[]}", "title", NULL);
	expect_error("{'lesson':'lesson03','titel':'Eco'}", "titel", NULL);
	expect_error("{'lesson':'lesson03','title':'Eco'," PROGRAM ",'tests':[]}", "build", NULL);
	expect_error("{'lesson':'lesson03','title':'Eco'," BUILD ",'tests':[]}", "program", NULL);
}

static void test_error_unknown_keys(void **state)
{
	(void)state;
	expect_error(HEAD "'tests':[{'id':'eco','name':'Eco','stpes':[{'connect':'c'}]}]}",
	             "tests[0].stpes", NULL);
	expect_error(ONE_TEST("{'send':'c','text':'x','within':5}"), "tests[0].steps[0].within",
	             NULL);
	expect_error(ONE_TEST("{'start':{'argz':[]}}"), "tests[0].steps[0].start.argz", NULL);
	expect_error(ONE_TEST("{'stop':'SIGINT','text':'x'}"), "tests[0].steps[0].text", NULL);
	expect_error("{'lesson':'l','title':'t','build':{'sources':['a.c'],'output':'a','cflag':[]}"
	             "," PROGRAM ",'tests':[]}",
	             "build.cflag", NULL);
	expect_error("{'lesson':'l','title':'t'," BUILD ","
	             "'program':{'role':'server','proto':'tcp','port':1,'ready':3},'tests':[]}",
	             "program.ready", NULL);
}

static void test_error_wrong_types(void **state)
{
	(void)state;
	expect_error(HEAD
	             "'tests':[{'id':'eco','name':'Eco','points':'2','steps':[{'close':'c'}]}]}",
	             "tests[0].points", NULL);
	expect_error(HEAD
	             "'tests':[{'id':'eco','name':'Eco','points':2.5,'steps':[{'close':'c'}]}]}",
	             "tests[0].points", NULL);
	expect_error(
	        HEAD
	        "'tests':[{'id':'eco','name':'Eco','autostart':'no','steps':[{'close':'c'}]}]}",
	        "tests[0].autostart", NULL);
	expect_error(HEAD "'tests':[{'id':7,'name':'Eco','steps':[{'close':'c'}]}]}", "tests[0].id",
	             NULL);
	expect_error(HEAD "'tests':[{'name':'Eco','steps':[{'close':'c'}]}]}", "tests[0].id", NULL);
	expect_error(HEAD "'tests':[{'id':'eco','name':'Eco','steps':{'close':'c'}}]}",
	             "tests[0].steps", NULL);
	expect_error(HEAD "'tests':['eco']}", "tests[0]", NULL);
	expect_error(ONE_TEST("'connect'"), "tests[0].steps[0]", NULL);
	expect_error(ONE_TEST("{'connect':1}"), "tests[0].steps[0].connect", NULL);
	expect_error(ONE_TEST("{'send':'c'}"), "tests[0].steps[0]", "fragments");
	expect_error(ONE_TEST("{'expect':'c','text':['x']}"), "tests[0].steps[0].text", NULL);
	expect_error(ONE_TEST("{'start':true}"), "tests[0].steps[0].start", NULL);
	expect_error(ONE_TEST("{'start':{'args':['{port}',8]}}"), "tests[0].steps[0].start.args[1]",
	             NULL);
	expect_error("{'lesson':'l','title':'t','build':{'sources':'a.c','output':'a'}," PROGRAM
	             ",'tests':[]}",
	             "build.sources", NULL);
}

static void test_error_out_of_range(void **state)
{
	(void)state;
	expect_error(HEAD
	             "'tests':[{'id':'eco','name':'Eco','points':1001,'steps':[{'close':'c'}]}]}",
	             "tests[0].points", NULL);
	expect_error(HEAD
	             "'tests':[{'id':'eco','name':'Eco','points':-1,'steps':[{'close':'c'}]}]}",
	             "tests[0].points", NULL);
	expect_error(HEAD
	             "'tests':[{'id':'eco','name':'Eco','points':1e10,'steps':[{'close':'c'}]}]}",
	             "tests[0].points", NULL);
	expect_error(HEAD
	             "'tests':[{'id':'eco','name':'Eco','timeout_ms':99,'steps':[{'close':'c'}]}]}",
	             "tests[0].timeout_ms", NULL);
	expect_error(ONE_TEST("{'expect':'c','text':'x','within_ms':0}"),
	             "tests[0].steps[0].within_ms", NULL);
	expect_error("{'lesson':'l','title':'t'," BUILD
	             ",'program':{'role':'server','proto':'tcp','port':70000},'tests':[]}",
	             "program.port", NULL);
	expect_error("{'lesson':'l','title':'t'," BUILD
	             ",'program':{'role':'server','proto':'tcp'},'tests':[]}",
	             "program.port", NULL);
}

static void test_points_edges_accepted(void **state)
{
	struct spec *s =
	        parse_ok(HEAD "'tests':["
	                      "{'id':'a','name':'A','points':0,'steps':[{'close':'c'}]},"
	                      "{'id':'b','name':'B','points':1000,'steps':[{'close':'c'}]},"
	                      "{'id':'c','name':'C','points':4.0,'steps':[{'close':'c'}]}]}");

	(void)state;
	assert_int_equal(s->tests[0].points, 0);
	assert_int_equal(s->tests[1].points, 1000);
	assert_int_equal(s->tests[2].points, 4);
	assert_int_equal(s->max_score, 1004);
	spec_free(s);
}

static void test_error_tests_list(void **state)
{
	(void)state;
	expect_error(HEAD "'tests':[]}", "tests", NULL);
	expect_error(HEAD "'tests':{}}", "tests", NULL);
	expect_error("{'lesson':'l','title':'t'," BUILD "," PROGRAM "}", "tests", NULL);
	expect_error(HEAD "'tests':[{'id':'eco','name':'Eco','steps':[]}]}", "tests[0].steps",
	             NULL);
}

static void test_error_duplicate_id(void **state)
{
	(void)state;
	expect_error(HEAD "'tests':[{'id':'eco','name':'A','steps':[{'close':'c'}]},"
	                  "{'id':'otro','name':'B','steps':[{'close':'c'}]},"
	                  "{'id':'eco','name':'C','steps':[{'close':'c'}]}]}",
	             "tests[2]", NULL);
}

static void test_error_step_actions(void **state)
{
	(void)state;
	expect_error(ONE_TEST("{'connect':'c'},{'text':'hola'}"), "tests[0].steps[1]", NULL);
	expect_error(ONE_TEST("{}"), "tests[0].steps[0]", NULL);
	expect_error(ONE_TEST("{'send':'c','expect':'c','text':'x'}"), "tests[0].steps[0]", NULL);
	expect_error(ONE_TEST("{'close':'c','reset':'c'}"), "tests[0].steps[0]", NULL);
	expect_error(ONE_TEST("{'start':{},'stop':'SIGTERM'}"), "tests[0].steps[0]", NULL);
}

static void test_error_templates(void **state)
{
	(void)state;
	expect_error(ONE_TEST("{'connect':'c'},{'send':'c','text':'hola {palabrx}'}"),
	             "tests[0].steps[1]", "palabrx");
	expect_error(ONE_TEST("{'connect':'c'},{'expect':'c','text':'hola {palabra'}"),
	             "tests[0].steps[1]", NULL);
	expect_error(ONE_TEST("{'send':'c','text':'a } b'}"), "tests[0].steps[0]", NULL);
	expect_error(ONE_TEST("{'connect':'c','port':'{puerto}'}"), "tests[0].steps[0]", "puerto");
	expect_error(ONE_TEST("{'start':{'args':['{port}','{nada}']}}"), "tests[0].steps[0]",
	             "nada");
	expect_error("{'lesson':'l','title':'t'," BUILD
	             ",'program':{'role':'server','proto':'tcp','port':1,'args':['{prot}']},"
	             "'tests':[]}",
	             "program.args", "prot");
	/* Literal braces are fine. */
	spec_free(parse_ok(ONE_TEST("{'send':'c','text':'{{json}} {palabra}'}")));
}

static void test_error_bad_signal(void **state)
{
	(void)state;
	expect_error(ONE_TEST("{'stop':'SIGFOO'}"), "tests[0].steps[0].stop", NULL);
	expect_error(ONE_TEST("{'stop':'sigterm'}"), "tests[0].steps[0].stop", NULL);
	expect_error(ONE_TEST("{'stop':'15'}"), "tests[0].steps[0].stop", NULL);
	expect_error(ONE_TEST("{'stop':15}"), "tests[0].steps[0].stop", NULL);
}

static void test_error_sources_paths(void **state)
{
	(void)state;
	expect_error(
	        "{'lesson':'l','title':'t','build':{'sources':['src/a.c'],'output':'a'}," PROGRAM
	        ",'tests':[]}",
	        "build.sources", NULL);
	expect_error("{'lesson':'l','title':'t','build':{'sources':['a.c','../"
	             "b.c'],'output':'a'}," PROGRAM ",'tests':[]}",
	             "build.sources", NULL);
	expect_error("{'lesson':'l','title':'t','build':{'sources':['.a.c'],'output':'a'}," PROGRAM
	             ",'tests':[]}",
	             "build.sources", NULL);
	expect_error("{'lesson':'l','title':'t','build':{'sources':[],'output':'a'}," PROGRAM
	             ",'tests':[]}",
	             "build.sources", NULL);
	expect_error(
	        "{'lesson':'l','title':'t','build':{'sources':['a.c'],'output':'/tmp/a'}," PROGRAM
	        ",'tests':[]}",
	        "build.output", NULL);
	expect_error("{'lesson':'l','title':'t','build':{'sources':['a.c']}," PROGRAM
	             ",'tests':[]}",
	             "build.output", NULL);
}

static void test_error_role_and_proto(void **state)
{
	(void)state;
	expect_error("{'lesson':'l','title':'t'," BUILD
	             ",'program':{'role':'peer','proto':'tcp','port':1},'tests':[]}",
	             "program.role", NULL);
	expect_error("{'lesson':'l','title':'t'," BUILD
	             ",'program':{'proto':'tcp','port':1},'tests':[]}",
	             "program.role", NULL);
	expect_error("{'lesson':'l','title':'t'," BUILD
	             ",'program':{'role':'server','proto':'sctp','port':1},'tests':[]}",
	             "program.proto", "udp");
}

static void test_error_in_later_test(void **state)
{
	(void)state;
	/* The path counts tests and steps from zero, up to the bad one. */
	expect_error(HEAD
	             "'tests':[{'id':'a','name':'A','steps':[{'close':'c'}]},"
	             "{'id':'b','name':'B','steps':[{'close':'c'},{'close':'c'},{'clos':'c'}]}]}",
	             "tests[1].steps[2]", NULL);
}

/* A file with these bytes; its name in path (caller frees and unlinks). */
static char *temp_file(const void *data, size_t n)
{
	char *path = xstrdup("/tmp/test_spec_XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
	return path;
}

static void test_load_missing_file(void **state)
{
	char err[ERR_LEN] = "";

	(void)state;
	assert_null(spec_load("/nonexistent/lesson99/spec.json", err));
	assert_contains(err, "/nonexistent/lesson99/spec.json");
}

static void test_load_empty_file(void **state)
{
	char err[ERR_LEN] = "";
	char *path = temp_file("", 0);

	(void)state;
	assert_null(spec_load(path, err));
	assert_contains(err, path);
	unlink(path);
	free(path);
}

static void test_load_binary_file(void **state)
{
	char err[ERR_LEN] = "";
	char *path = temp_file("{\"lesson\"\0}", 11);

	(void)state;
	assert_null(spec_load(path, err));
	assert_contains(err, path);
	unlink(path);
	free(path);
}

static void test_load_valid_and_invalid_file(void **state)
{
	char err[ERR_LEN] = "";
	char *text = q(ONE_TEST("{'connect':'c1'}"));
	char *path = temp_file(text, strlen(text));
	struct spec *s = spec_load(path, err);

	(void)state;
	assert_non_null(s);
	assert_string_equal(s->path, path);
	assert_string_equal(s->tests[0].id, "eco");
	spec_free(s);
	unlink(path);
	free(path);
	free(text);

	/* A problem in a loaded file names that file. */
	text = q(ONE_TEST("{'stop':'SIGFOO'}"));
	path = temp_file(text, strlen(text));
	assert_null(spec_load(path, err));
	assert_contains(err, path);
	assert_contains(err, "tests[0].steps[0].stop");
	unlink(path);
	free(path);
	free(text);
}

static void test_find_test(void **state)
{
	struct spec *s = parse_ok(HEAD "'tests':[{'id':'eco','name':'A','steps':[{'close':'c'}]},"
	                               "{'id':'utf8','name':'B','steps':[{'close':'c'}]}]}");

	(void)state;
	assert_ptr_equal(spec_find_test(s, "eco"), &s->tests[0]);
	assert_ptr_equal(spec_find_test(s, "utf8"), &s->tests[1]);
	assert_null(spec_find_test(s, "ec"));
	assert_null(spec_find_test(s, "ECO"));
	assert_null(spec_find_test(s, ""));
	spec_free(s);
}

static void test_step_kind_names(void **state)
{
	(void)state;
	assert_string_equal(step_kind_name(STEP_START), "start");
	assert_string_equal(step_kind_name(STEP_STOP), "stop");
	assert_string_equal(step_kind_name(STEP_CONNECT), "connect");
	assert_string_equal(step_kind_name(STEP_SEND), "send");
	assert_string_equal(step_kind_name(STEP_EXPECT), "expect");
	assert_string_equal(step_kind_name(STEP_CLOSE), "close");
	assert_string_equal(step_kind_name(STEP_RESET), "reset");
	assert_string_equal(step_kind_name(STEP_SOCKET), "socket");
	assert_string_equal(step_kind_name(STEP_INPUT), "input");
	assert_string_equal(step_kind_name(STEP_BLACKHOLE), "blackhole");
	assert_string_equal(step_kind_name(STEP_THREADS), "threads");
	assert_string_equal(step_kind_name(STEP_HTTP), "http");
}

#define LIMITS_SPEC(limits)                                                                        \
	HEAD "'limits':" limits ",'tests':[{'id':'eco','name':'Eco','steps':[{'connect':'c1'}]}]}"

static void test_limits_default_and_override(void **state)
{
	struct spec *s = parse_ok(ONE_TEST("{'connect':'c1'}"));
	struct proc_limits d;

	(void)state;
	proc_default_limits(&d);
	assert_int_equal(s->limits.cpu_s, d.cpu_s);
	assert_int_equal(s->limits.mem_mb, d.mem_mb);
	assert_int_equal(s->limits.output_kb, d.output_kb);
	spec_free(s);
	s = parse_ok(LIMITS_SPEC("{'cpu_s':3,'memory_mb':128,'output_kb':64}"));
	assert_int_equal(s->limits.cpu_s, 3);
	assert_int_equal(s->limits.mem_mb, 128);
	assert_int_equal(s->limits.output_kb, 64);
	assert_int_equal(s->limits.nproc, d.nproc); /* the rest keep their defaults */
	spec_free(s);
}

static void test_limits_out_of_bounds(void **state)
{
	(void)state;
	expect_error(LIMITS_SPEC("{'cpu_s':0}"), "limits.cpu_s", NULL);
	expect_error(LIMITS_SPEC("{'cpu_s':61}"), "limits.cpu_s", NULL);
	expect_error(LIMITS_SPEC("{'memory_mb':8}"), "limits.memory_mb", NULL);
	expect_error(LIMITS_SPEC("{'processes':100000}"), "limits.processes", NULL);
	expect_error(LIMITS_SPEC("{'output_kb':0}"), "limits.output_kb", NULL);
	expect_error(LIMITS_SPEC("{'cpu':3}"), "limits.cpu", NULL);
	expect_error(LIMITS_SPEC("[1]"), "limits", NULL);
}

#define ROLE_SPEC(program, steps)                                                                  \
	"{'lesson':'lesson02','title':'t'," BUILD ",'program':" program                            \
	",'tests':[{'id':'a','name':'n','steps':[" steps "]}]}"

static void test_client_role_steps(void **state)
{
	struct spec *s = parse_ok(ROLE_SPEC(
	        "{'role':'client','proto':'tcp','port':8080,'args':['127.0.0.1','{port}']}",
	        "{'accept':'s1'},{'expect':'s1','until':'\\r\\n\\r\\n','regex':'^GET / '},"
	        "{'send':'s1','fragments':['a','b'],'pause_ms':50},{'shutdown':'s1'},"
	        "{'closed':'s1'},{'quiet':'s1','within_ms':300},{'exit':'nonzero'},"
	        "{'stdout':'x','match':'contains'},{'stderr':'y'}"));
	const struct step *st;

	(void)state;
	assert_int_equal(s->program.role, ROLE_CLIENT);
	st = s->tests[0].steps;
	assert_int_equal(st[0].kind, STEP_ACCEPT);
	assert_int_equal(st[0].within_ms, 5000);
	assert_string_equal(st[1].until, "\r\n\r\n");
	assert_string_equal(st[1].regex, "^GET / ");
	assert_int_equal(st[2].fragments.n, 2);
	assert_int_equal(st[2].pause_ms, 50);
	assert_int_equal(st[3].kind, STEP_SHUTDOWN);
	assert_int_equal(st[4].kind, STEP_CLOSED);
	assert_int_equal(st[5].kind, STEP_QUIET);
	assert_int_equal(st[6].exit_want, EXIT_NONZERO);
	assert_int_equal(st[7].mode, MODE_CONTAINS);
	assert_int_equal(st[8].mode, MODE_LINES); /* the default */
	spec_free(s);
}

static void test_program_role_needs_no_port(void **state)
{
	struct spec *s = parse_ok(ROLE_SPEC("{'role':'program','args':['localhost']}",
	                                    "{'start':{'stdin':'hola'}},{'exit':0}"));

	(void)state;
	assert_int_equal(s->program.role, ROLE_PROGRAM);
	assert_string_equal(s->tests[0].steps[0].stdin_text, "hola");
	assert_int_equal(s->tests[0].steps[1].exit_want, EXIT_CODE);
	assert_int_equal(s->tests[0].steps[1].exit_code, 0);
	spec_free(s);
}

static void test_client_step_errors(void **state)
{
	(void)state;
	expect_error(ROLE_SPEC("{'role':'client','proto':'tcp'}", "{'accept':'s1'}"),
	             "program.port", NULL);
	expect_error(ROLE_SPEC("{'role':'program'}", "{'exit':256}"), "tests[0].steps[0].exit",
	             NULL);
	expect_error(ROLE_SPEC("{'role':'program'}", "{'exit':'sometimes'}"),
	             "tests[0].steps[0].exit", NULL);
	expect_error(ROLE_SPEC("{'role':'program'}", "{'stdout':'x','match':'fuzzy'}"),
	             "tests[0].steps[0].match", NULL);
	expect_error(ROLE_SPEC("{'role':'program'}", "{'stdout':'(','match':'regex'}"),
	             "tests[0].steps[0].stdout", NULL);
	expect_error(ROLE_SPEC("{'role':'program'}", "{'expect':'s1','regex':'('}"),
	             "tests[0].steps[0].regex", NULL);
	expect_error(ROLE_SPEC("{'role':'program'}", "{'expect':'s1','text':'a','regex':'b'}"),
	             "tests[0].steps[0]", "regex");
	expect_error(ROLE_SPEC("{'role':'program'}", "{'expect':'s1','until':'','text':'a'}"),
	             "tests[0].steps[0].until", NULL);
	expect_error(ROLE_SPEC("{'role':'program'}", "{'send':'s1','text':'a','fragments':['b']}"),
	             "tests[0].steps[0]", "fragments");
	expect_error(ROLE_SPEC("{'role':'program'}", "{'accept':'s1','text':'a'}"),
	             "tests[0].steps[0].text", NULL);
}

#define UDP_SERVER "{'role':'server','proto':'udp','port':9999}"
#define UDP_CLIENT "{'role':'client','proto':'udp','port':9999}"

static void test_udp_steps(void **state)
{
	struct spec *s = parse_ok(ROLE_SPEC(
	        UDP_SERVER,
	        "{'socket':'u1'},{'socket':'u2','port':'{port_alt}'},"
	        "{'send':'u1','text':'','delay_ms':250},{'send':'u2','fragments':['a','b']},"
	        "{'expect':'u1','text':'Eco: '},{'expect':'u2','regex':'^Eco'},"
	        "{'quiet':'u1','within_ms':5},{'close':'u2'}"));
	const struct step *st;

	(void)state;
	assert_int_equal(s->program.proto, PROTO_UDP);
	st = s->tests[0].steps;
	assert_int_equal(st[0].kind, STEP_SOCKET);
	assert_string_equal(st[0].conn, "u1");
	assert_null(st[0].port); /* the program's port */
	assert_null(st[0].to);
	assert_string_equal(st[1].port, "{port_alt}");
	assert_string_equal(st[2].text, "");
	assert_int_equal(st[2].delay_ms, 250);
	assert_int_equal(st[3].fragments.n, 2);
	assert_int_equal(st[3].delay_ms, 0); /* no delay unless asked */
	assert_string_equal(st[5].regex, "^Eco");
	assert_int_equal(st[7].kind, STEP_CLOSE);
	spec_free(s);

	s = parse_ok(ROLE_SPEC(UDP_CLIENT,
	                       "{'accept':'s1'},{'expect':'s1','text':'x'},"
	                       "{'socket':'intruso','to':'s1'},{'send':'intruso','text':'y'}"));
	assert_int_equal(s->program.role, ROLE_CLIENT);
	assert_string_equal(s->tests[0].steps[2].to, "s1");
	assert_null(s->tests[0].steps[2].port);
	spec_free(s);
}

/* A datagram has no connection to open, cut or half-close, and no stream
 * to read up to a delimiter; TCP has no datagram sockets. */
static void test_udp_step_errors(void **state)
{
	(void)state;
	expect_error(ROLE_SPEC(UDP_SERVER, "{'connect':'c1'}"), "tests[0].steps[0]", "UDP");
	expect_error(ROLE_SPEC(UDP_SERVER, "{'socket':'u1'},{'reset':'u1'}"), "tests[0].steps[1]",
	             "UDP");
	expect_error(ROLE_SPEC(UDP_CLIENT, "{'accept':'s1'},{'shutdown':'s1'}"),
	             "tests[0].steps[1]", "UDP");
	expect_error(ROLE_SPEC(UDP_CLIENT, "{'accept':'s1'},{'closed':'s1'}"), "tests[0].steps[1]",
	             "UDP");
	expect_error(
	        ROLE_SPEC(UDP_CLIENT, "{'accept':'s1'},{'expect':'s1','text':'a','until':'\\n'}"),
	        "tests[0].steps[1]", "UDP");
	expect_error(ROLE_SPEC("{'role':'server','proto':'tcp','port':1}", "{'socket':'u1'}"),
	             "tests[0].steps[0]", "udp");
	expect_error(ROLE_SPEC(UDP_SERVER, "{'socket':'u1','port':'1','to':'s1'}"),
	             "tests[0].steps[0]", "port");
	expect_error(
	        ROLE_SPEC(UDP_SERVER, "{'socket':'u1'},{'send':'u1','text':'a','delay_ms':-1}"),
	        "tests[0].steps[1].delay_ms", NULL);
	expect_error(ROLE_SPEC(UDP_SERVER, "{'socket':'u1','within_ms':5}"),
	             "tests[0].steps[0].within_ms", NULL);
	expect_error(ROLE_SPEC(UDP_SERVER, "{'socket':'u1','port':'{prot}'}"), "tests[0].steps[0]",
	             "prot");
}

/* Typing on the program's standard input needs it left open. */
static void test_input_steps(void **state)
{
	struct spec *s =
	        parse_ok(ROLE_SPEC("{'role':'client','proto':'tcp','port':7777,'stdin':'open'}",
	                           "{'input':'hola\\n'},{'input':'{frase}','end':true}"));
	const struct step *st = s->tests[0].steps;

	(void)state;
	assert_true(s->program.keep_stdin);
	assert_int_equal(st[0].kind, STEP_INPUT);
	assert_string_equal(st[0].text, "hola\n");
	assert_false(st[0].end);
	assert_true(st[1].end);
	spec_free(s);
	s = parse_ok(ROLE_SPEC("{'role':'program'}", "{'exit':0}"));
	assert_false(s->program.keep_stdin);
	spec_free(s);
	expect_error(ROLE_SPEC("{'role':'program'}", "{'input':'a'}"), "tests[0].steps[0]",
	             "stdin");
	expect_error(ROLE_SPEC("{'role':'program','stdin':'closed'}", "{'exit':0}"),
	             "program.stdin", NULL);
	expect_error(ROLE_SPEC("{'role':'program','stdin':'open'}", "{'input':'a','end':1}"),
	             "tests[0].steps[0].end", NULL);
	expect_error(ROLE_SPEC("{'role':'program','stdin':'open'}", "{'input':'{x}'}"),
	             "tests[0].steps[0]", "{x}");
}

/* Timing, CPU, silent ports, thread counts and prefixed echoes. */
static void test_options_steps(void **state)
{
	struct spec *s = parse_ok(
	        ROLE_SPEC("{'role':'client','proto':'tcp','port':9000}",
	                  "{'blackhole':'{port_alt}'},{'accept':'s1','read':false},"
	                  "{'exit':3,'not_before_ms':350,'max_cpu_ms':100,'within_ms':1500},"
	                  "{'stop':'SIGTERM','max_cpu_ms':150},{'threads':1,'within_ms':300},"
	                  "{'expect':'s1','text':'{bloque}','prefixed':'Servidor recibió: '},"
	                  "{'start':{'args':['x'],'port':'{port_alt}'}}"));
	const struct step *st = s->tests[0].steps;

	(void)state;
	assert_int_equal(st[0].kind, STEP_BLACKHOLE);
	assert_string_equal(st[0].port, "{port_alt}");
	assert_int_equal(st[1].kind, STEP_ACCEPT);
	assert_true(st[1].no_read);
	assert_int_equal(st[1].within_ms, 5000);
	assert_int_equal(st[2].not_before_ms, 350);
	assert_int_equal(st[2].max_cpu_ms, 100);
	assert_int_equal(st[2].within_ms, 1500);
	assert_int_equal(st[3].max_cpu_ms, 150);
	assert_int_equal(st[4].kind, STEP_THREADS);
	assert_int_equal(st[4].count, 1);
	assert_int_equal(st[4].within_ms, 300);
	assert_string_equal(st[5].prefixed, "Servidor recibió: ");
	assert_string_equal(st[6].port, "{port_alt}");
	spec_free(s);
}

static void test_options_step_errors(void **state)
{
	(void)state;
	expect_error(ONE_TEST("{'exit':0,'not_before_ms':-5}"), "tests[0].steps[0].not_before_ms",
	             NULL);
	expect_error(ONE_TEST("{'stop':'SIGINT','max_cpu_ms':'poco'}"),
	             "tests[0].steps[0].max_cpu_ms", NULL);
	expect_error(ONE_TEST("{'threads':0}"), "tests[0].steps[0].threads", NULL);
	expect_error(ONE_TEST("{'blackhole':'{port_alt}','within_ms':5}"),
	             "tests[0].steps[0].within_ms", NULL);
	expect_error(ONE_TEST("{'expect':'c1','regex':'x','prefixed':'P'}"),
	             "tests[0].steps[0].prefixed", NULL);
	expect_error(ONE_TEST("{'expect':'c1','text':'x','prefixed':''}"),
	             "tests[0].steps[0].prefixed", NULL);
	expect_error(ROLE_SPEC(UDP_CLIENT, "{'accept':'s1','read':false}"), "tests[0].steps[0]",
	             "UDP");
	expect_error(ROLE_SPEC(UDP_SERVER, "{'blackhole':'{port_alt}'}"), "tests[0].steps[0]",
	             "UDP");
}

/* HTTP requests and the files they need. */
static void test_http_steps(void **state)
{
	struct spec *s = parse_ok(
	        "{'lesson':'lesson12','title':'Web'," BUILD ","
	        "'program':{'role':'server','proto':'tcp','port':8080},"
	        "'files':{'copy':['public','secreto.txt'],'random':{'public/datos.bin':2000}},"
	        "'tests':[{'id':'a','name':'n','steps':["
	        "{'http':'GET','path':'/','status':200,'headers':{'Content-Type':'text/html'},"
	        "'body_file':'public/index.html'},"
	        "{'http':'GET','path':'/../x','status':[403,404],'body_not':'clave','reuse':true},"
	        "{'http':'HEAD','path':'/{palabra}','send_headers':['Connection: close'],"
	        "'parallel':20,'body':'','port':'{port_alt}'}]}]}");
	const struct step *st = s->tests[0].steps;

	(void)state;
	assert_int_equal(s->files.copy.n, 2);
	assert_string_equal(s->files.copy.v[1], "secreto.txt");
	assert_int_equal(s->files.random.n, 1);
	assert_string_equal(s->files.random.v[0], "public/datos.bin");
	assert_int_equal(s->files.random_size[0], 2000);
	assert_int_equal(st[0].kind, STEP_HTTP);
	assert_string_equal(st[0].http->method, "GET");
	assert_string_equal(st[0].http->path, "/");
	assert_int_equal(st[0].http->nstatus, 1);
	assert_int_equal(st[0].http->status[0], 200);
	assert_int_equal(st[0].http->headers.n, 2);
	assert_string_equal(st[0].http->headers.v[0], "Content-Type");
	assert_string_equal(st[0].http->headers.v[1], "text/html");
	assert_string_equal(st[0].http->body_file, "public/index.html");
	assert_int_equal(st[0].http->parallel, 1);
	assert_int_equal(st[0].within_ms, 5000);
	assert_int_equal(st[1].http->nstatus, 2);
	assert_int_equal(st[1].http->status[1], 404);
	assert_string_equal(st[1].http->body_not, "clave");
	assert_true(st[1].http->reuse);
	assert_int_equal(st[2].http->parallel, 20);
	assert_string_equal(st[2].http->send.v[0], "Connection: close");
	assert_string_equal(st[2].text, "");
	assert_string_equal(st[2].port, "{port_alt}");
	spec_free(s);
}

static void test_http_step_errors(void **state)
{
	(void)state;
	expect_error(ONE_TEST("{'http':'get','path':'/'}"), "tests[0].steps[0].http", NULL);
	expect_error(ONE_TEST("{'http':'GET','path':'hola'}"), "tests[0].steps[0].path", NULL);
	expect_error(ONE_TEST("{'http':'GET'}"), "tests[0].steps[0].path", NULL);
	expect_error(ONE_TEST("{'http':'GET','path':'/','status':99}"), "tests[0].steps[0].status",
	             NULL);
	expect_error(ONE_TEST("{'http':'GET','path':'/','status':[200,201,202,203,204]}"),
	             "tests[0].steps[0].status", NULL);
	expect_error(ONE_TEST("{'http':'GET','path':'/','headers':{'Content Type':'x'}}"),
	             "tests[0].steps[0].headers", NULL);
	expect_error(ONE_TEST("{'http':'GET','path':'/','body':'','body_file':'a'}"),
	             "tests[0].steps[0]", "body_file");
	expect_error(ONE_TEST("{'http':'GET','path':'/','body_file':'../a'}"), "tests[0].steps[0]",
	             "relative");
	expect_error(ONE_TEST("{'http':'GET','path':'/','parallel':65}"),
	             "tests[0].steps[0].parallel", NULL);
	expect_error(ONE_TEST("{'http':'GET','path':'/{palabrx}'}"), "tests[0].steps[0]",
	             "palabrx");
	expect_error(ROLE_SPEC(UDP_SERVER, "{'http':'GET','path':'/'}"), "tests[0].steps[0]",
	             "UDP");
	expect_error(HEAD "'files':{'copy':['/etc']},'tests':[]}", "files.copy", "relative");
	expect_error(HEAD "'files':{'random':{'a/./b':10}},'tests':[]}", "files.random",
	             "relative");
	expect_error(HEAD "'files':{'random':{'a':0}},'tests':[]}", "files.random", "sizes");
	expect_error(HEAD "'files':{'sobra':[]},'tests':[]}", "files.sobra", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_minimal_spec),
	        cmocka_unit_test(test_full_spec),
	        cmocka_unit_test(test_connect_read),
	        cmocka_unit_test(test_stop_signals),
	        cmocka_unit_test(test_for_unrolls),
	        cmocka_unit_test(test_for_nested),
	        cmocka_unit_test(test_for_from_defaults_and_empty_range),
	        cmocka_unit_test(test_for_errors),
	        cmocka_unit_test(test_for_bound_from_outer_loop),
	        cmocka_unit_test(test_interleaved),
	        cmocka_unit_test(test_interleaved_errors),
	        cmocka_unit_test(test_input_steps),
	        cmocka_unit_test(test_error_invalid_json),
	        cmocka_unit_test(test_error_root),
	        cmocka_unit_test(test_error_unknown_keys),
	        cmocka_unit_test(test_error_wrong_types),
	        cmocka_unit_test(test_error_out_of_range),
	        cmocka_unit_test(test_points_edges_accepted),
	        cmocka_unit_test(test_error_tests_list),
	        cmocka_unit_test(test_error_duplicate_id),
	        cmocka_unit_test(test_error_step_actions),
	        cmocka_unit_test(test_error_templates),
	        cmocka_unit_test(test_error_bad_signal),
	        cmocka_unit_test(test_error_sources_paths),
	        cmocka_unit_test(test_error_role_and_proto),
	        cmocka_unit_test(test_error_in_later_test),
	        cmocka_unit_test(test_load_missing_file),
	        cmocka_unit_test(test_load_empty_file),
	        cmocka_unit_test(test_load_binary_file),
	        cmocka_unit_test(test_load_valid_and_invalid_file),
	        cmocka_unit_test(test_find_test),
	        cmocka_unit_test(test_step_kind_names),
	        cmocka_unit_test(test_limits_default_and_override),
	        cmocka_unit_test(test_limits_out_of_bounds),
	        cmocka_unit_test(test_client_role_steps),
	        cmocka_unit_test(test_program_role_needs_no_port),
	        cmocka_unit_test(test_client_step_errors),
	        cmocka_unit_test(test_udp_steps),
	        cmocka_unit_test(test_udp_step_errors),
	        cmocka_unit_test(test_options_steps),
	        cmocka_unit_test(test_options_step_errors),
	        cmocka_unit_test(test_http_steps),
	        cmocka_unit_test(test_http_step_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
