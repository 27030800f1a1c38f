/* test_result.c - unit tests for the result model, its JSON and its human report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "../../src/result.c"
#include "../../src/report.h"

#define BIG_SEED 123456789012345ULL /* 15 digits: a double holds it exactly */

static void make_passing(struct test_result *t, const char *id, int points)
{
	memset(t, 0, sizeof(*t));
	t->id = xstrdup(id);
	t->name = xasprintf("Prueba %s", id);
	t->status = ST_PASS;
	t->score = points;
	t->max_score = points;
	t->duration_ms = 12;
}

static void make_failing(struct test_result *t)
{
	memset(t, 0, sizeof(*t));
	t->id = xstrdup("eco");
	t->name = xstrdup("Responde con el prefijo exacto");
	t->status = ST_FAIL;
	t->score = 0;
	t->max_score = 2;
	t->message = xstrdup("La respuesta no coincide en el byte 9.\nSegunda línea del mensaje.");
	t->expected = xstrdup("Servidor recibió: árbol12");
	t->received = xstrdup("Servidor recibio: árbol12");
	t->hint = xstrdup("Revisa la tilde de «recibió».");
	t->reproduce = xstrdup("./servidor 8888 &\nnc 127.0.0.1 8888");
	t->out = xstrdup("escuchando en 8888\n");
	t->errout = xstrdup("aviso: algo\n");
	t->duration_ms = 345;
	test_result_event(t, 0, "", "start", "./servidor 8888");
	test_result_event(t, 3, "c1", "connect", NULL);
	test_result_event(t, 5, "c1", "send", "árbol12");
	test_result_event(t, 9, "c1", "recv", "Servidor recibio: árbol12");
}

/* A result owning copies of the given tests. */
static void make_result(struct result *r, const struct test_result *tests, size_t n)
{
	memset(r, 0, sizeof(*r));
	r->lesson = xstrdup("lesson03");
	r->title = xstrdup("Servidor TCP con hilos");
	r->tier = xstrdup("C");
	r->seed = 4242;
	r->tests = xcalloc(n, sizeof(*r->tests));
	memcpy(r->tests, tests, n * sizeof(*tests));
	r->ntests = n;
}

static void test_finish_all_pass(void **state)
{
	struct test_result t[2];
	struct result r;

	(void)state;
	make_passing(&t[0], "a", 2);
	make_passing(&t[1], "b", 3);
	make_result(&r, t, 2);
	result_finish(&r);
	assert_int_equal(r.status, ST_PASS);
	assert_int_equal(r.score, 5);
	assert_int_equal(r.max_score, 5);
	assert_int_equal(result_exit_code(&r), 0);
	/* Finishing twice does not count twice. */
	result_finish(&r);
	assert_int_equal(r.score, 5);
	assert_int_equal(r.max_score, 5);
	result_free(&r);
}

static void test_finish_one_fail(void **state)
{
	struct test_result t[3];
	struct result r;

	(void)state;
	make_passing(&t[0], "a", 2);
	make_failing(&t[1]);
	make_passing(&t[2], "c", 1);
	make_result(&r, t, 3);
	result_finish(&r);
	assert_int_equal(r.status, ST_FAIL);
	assert_int_equal(r.score, 3);
	assert_int_equal(r.max_score, 5);
	assert_int_equal(result_exit_code(&r), 1);
	result_free(&r);
}

static void test_finish_skip_or_error_is_error(void **state)
{
	struct test_result t[3];
	struct result r;

	(void)state;
	make_passing(&t[0], "a", 1);
	make_passing(&t[1], "b", 1);
	t[1].status = ST_SKIP;
	t[1].score = 0;
	make_result(&r, t, 2);
	result_finish(&r);
	assert_int_equal(r.status, ST_ERROR);
	assert_int_equal(r.score, 1);
	assert_int_equal(r.max_score, 2);
	assert_int_equal(result_exit_code(&r), 1);
	result_free(&r);

	/* An error outweighs a failure. */
	make_failing(&t[0]);
	make_passing(&t[1], "b", 1);
	t[1].status = ST_ERROR;
	t[1].score = 0;
	make_passing(&t[2], "c", 1);
	make_result(&r, t, 3);
	result_finish(&r);
	assert_int_equal(r.status, ST_ERROR);
	assert_int_equal(result_exit_code(&r), 1);
	result_free(&r);
}

static void test_finish_build_failed_is_error(void **state)
{
	struct test_result t[1];
	struct result r;

	(void)state;
	make_passing(&t[0], "a", 1);
	make_result(&r, t, 1);
	r.build.ran = 1;
	r.build.ok = 0;
	result_finish(&r);
	assert_int_equal(r.status, ST_ERROR);
	assert_int_equal(result_exit_code(&r), 1);
	/* A good build, or none at all (--cmd), leaves the tests to decide. */
	r.build.ok = 1;
	result_finish(&r);
	assert_int_equal(r.status, ST_PASS);
	r.build.ran = 0;
	r.build.ok = 0;
	result_finish(&r);
	assert_int_equal(r.status, ST_PASS);
	result_free(&r);
}

static void test_exit_code(void **state)
{
	struct result r = {0};

	(void)state;
	r.status = ST_PASS;
	assert_int_equal(result_exit_code(&r), 0);
	r.status = ST_FAIL;
	assert_int_equal(result_exit_code(&r), 1);
	r.status = ST_ERROR;
	assert_int_equal(result_exit_code(&r), 1);
	r.status = ST_SKIP;
	assert_int_equal(result_exit_code(&r), 1);
}

static void test_status_round_trip(void **state)
{
	static const enum status all[] = {ST_PASS, ST_FAIL, ST_ERROR, ST_SKIP};
	static const char *const names[] = {"pass", "fail", "error", "skip"};
	enum status s;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(status_name(all[i]), names[i]);
		s = (enum status) - 1;
		assert_int_equal(status_parse(status_name(all[i]), &s), 0);
		assert_int_equal(s, all[i]);
	}
	assert_int_equal(status_parse("PASS", &s), -1);
	assert_int_equal(status_parse("passed", &s), -1);
	assert_int_equal(status_parse("", &s), -1);
	assert_int_equal(status_parse(NULL, &s), -1);
}

static void test_event_defaults(void **state)
{
	struct test_result t = {0};

	(void)state;
	test_result_event(&t, 7, NULL, "exit", NULL);
	assert_int_equal(t.nevents, 1);
	assert_int_equal(t.events[0].t_ms, 7);
	assert_string_equal(t.events[0].conn, "");
	assert_string_equal(t.events[0].what, "exit");
	assert_string_equal(t.events[0].data, "");
	test_result_free(&t);
	assert_null(t.events);
	assert_int_equal(t.nevents, 0);
}

static void assert_same_opt(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void assert_same_test(const struct test_result *a, const struct test_result *b)
{
	assert_string_equal(a->id, b->id);
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->score, b->score);
	assert_int_equal(a->max_score, b->max_score);
	assert_same_opt(a->message, b->message);
	assert_same_opt(a->expected, b->expected);
	assert_same_opt(a->received, b->received);
	assert_same_opt(a->hint, b->hint);
	assert_same_opt(a->reproduce, b->reproduce);
	assert_same_opt(a->out, b->out);
	assert_same_opt(a->errout, b->errout);
	assert_int_equal(a->duration_ms, b->duration_ms);
	assert_int_equal(a->nevents, b->nevents);
	for (size_t i = 0; i < a->nevents; i++) {
		assert_int_equal(a->events[i].t_ms, b->events[i].t_ms);
		assert_string_equal(a->events[i].conn, b->events[i].conn);
		assert_string_equal(a->events[i].what, b->events[i].what);
		assert_string_equal(a->events[i].data, b->events[i].data);
	}
}

/* Through text, as a box hands its result to the parent. */
static int through_text(const struct test_result *in, struct test_result *out)
{
	cJSON *j = test_result_to_json(in);
	char *text = cJSON_PrintUnformatted(j);
	cJSON *back = cJSON_Parse(text);
	int rc;

	assert_non_null(back);
	rc = test_result_from_json(back, out);
	cJSON_Delete(back);
	cJSON_Delete(j);
	free(text);
	return rc;
}

static void test_json_round_trip_full(void **state)
{
	struct test_result a, b;

	(void)state;
	make_failing(&a);
	a.score = 1;
	a.duration_ms = 1234567;
	assert_int_equal(through_text(&a, &b), 0);
	assert_same_test(&a, &b);
	test_result_free(&a);
	test_result_free(&b);
}

static void test_json_round_trip_sparse(void **state)
{
	struct test_result a, b;

	(void)state;
	/* Optional fields absent stay absent, statuses other than fail survive. */
	make_passing(&a, "solo", 3);
	a.message = xstrdup("");
	a.status = ST_SKIP;
	assert_int_equal(through_text(&a, &b), 0);
	assert_same_test(&a, &b);
	assert_null(b.expected);
	assert_null(b.hint);
	assert_int_equal(b.nevents, 0);
	test_result_free(&a);
	test_result_free(&b);
}

static void test_from_json_rejects(void **state)
{
	static const char *const bad[] = {
	        "{\"id\":\"a\",\"name\":\"A\"}",                       /* no status */
	        "{\"id\":\"a\",\"name\":\"A\",\"status\":\"passed\"}", /* unknown status */
	        "{\"id\":\"a\",\"name\":\"A\",\"status\":1}",          /* not a string */
	        "{\"name\":\"A\",\"status\":\"pass\"}",                /* no id */
	        "{\"id\":\"a\",\"status\":\"pass\"}",                  /* no name */
	        "[\"pass\"]",
	};
	struct test_result t;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cJSON *j = cJSON_Parse(bad[i]);

		assert_non_null(j);
		if (test_result_from_json(j, &t) != -1)
			fail_msg("accepted %s", bad[i]);
		cJSON_Delete(j);
	}
	/* The smallest valid one, for contrast. */
	{
		cJSON *j = cJSON_Parse("{\"id\":\"a\",\"name\":\"A\",\"status\":\"pass\"}");
		assert_int_equal(test_result_from_json(j, &t), 0);
		assert_string_equal(t.id, "a");
		assert_int_equal(t.status, ST_PASS);
		test_result_free(&t);
		cJSON_Delete(j);
	}
}

static const cJSON *field(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!v)
		fail_msg("JSON has no \"%s\"", key);
	return v;
}

static void test_result_json_contract(void **state)
{
	struct test_result t[2];
	struct result r;
	const cJSON *tests, *t0, *t1;
	cJSON *j;

	(void)state;
	make_passing(&t[0], "a", 2);
	make_failing(&t[1]);
	make_result(&r, t, 2);
	r.seed = BIG_SEED;
	result_finish(&r);
	j = result_to_json(&r);
	assert_string_equal(field(j, "lesson")->valuestring, "lesson03");
	assert_string_equal(field(j, "status")->valuestring, "fail");
	assert_int_equal(field(j, "score")->valueint, 2);
	assert_int_equal(field(j, "max_score")->valueint, 4);
	assert_true(cJSON_IsNumber(field(j, "seed")));
	assert_true(field(j, "seed")->valuedouble == (double)BIG_SEED);
	tests = field(j, "tests");
	assert_true(cJSON_IsArray(tests));
	assert_int_equal(cJSON_GetArraySize(tests), 2);
	t0 = cJSON_GetArrayItem(tests, 0);
	t1 = cJSON_GetArrayItem(tests, 1);
	assert_string_equal(field(t0, "id")->valuestring, "a");
	assert_string_equal(field(t0, "name")->valuestring, "Prueba a");
	assert_string_equal(field(t0, "status")->valuestring, "pass");
	assert_int_equal(field(t0, "score")->valueint, 2);
	assert_int_equal(field(t0, "max_score")->valueint, 2);
	/* message is always there, empty when all went well. */
	assert_string_equal(field(t0, "message")->valuestring, "");
	assert_int_equal(field(t0, "duration_ms")->valueint, 12);
	assert_string_equal(field(t1, "id")->valuestring, "eco");
	assert_string_equal(field(t1, "status")->valuestring, "fail");
	assert_int_equal(field(t1, "score")->valueint, 0);
	assert_int_equal(field(t1, "max_score")->valueint, 2);
	assert_non_null(strstr(field(t1, "message")->valuestring, "byte 9"));
	assert_int_equal(field(t1, "duration_ms")->valueint, 345);
	cJSON_Delete(j);
	result_free(&r);
}

static void test_report_json_prints_parseable(void **state)
{
	struct test_result t[1];
	struct result r;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cJSON *j;

	(void)state;
	make_passing(&t[0], "a", 1);
	make_result(&r, t, 1);
	r.seed = BIG_SEED;
	result_finish(&r);
	report_json(f, &r);
	fclose(f);
	assert_true(len > 0);
	assert_int_equal(text[len - 1], '\n');
	j = cJSON_Parse(text);
	assert_non_null(j);
	assert_string_equal(field(j, "status")->valuestring, "pass");
	/* The seed printed must replay exactly. */
	assert_true(field(j, "seed")->valuedouble == (double)BIG_SEED);
	assert_non_null(strstr(text, "123456789012345"));
	cJSON_Delete(j);
	free(text);
	result_free(&r);
}

/* report_human_test into a string. */
static char *render_test(const struct test_result *t, int color)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct report rp = {f, color, 0};

	assert_non_null(f);
	report_human_test(&rp, t);
	fclose(f);
	return text;
}

static void assert_contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("\"%s\" not found in:\n%s", part, text);
}

static void test_human_pass_line(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	make_passing(&t, "eco", 2);
	text = render_test(&t, 0);
	assert_contains(text, "✓");
	assert_contains(text, "Prueba eco");
	assert_contains(text, "(2/2)");
	assert_null(strstr(text, "✗"));
	/* One line, nothing else for a pass. */
	assert_int_equal(strchr(text, '\n') - text + 1, (long)strlen(text));
	free(text);
	test_result_free(&t);
}

static void test_human_fail_details(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	make_failing(&t);
	text = render_test(&t, 0);
	assert_contains(text, "✗");
	assert_contains(text, "Responde con el prefijo exacto");
	assert_contains(text, "(0/2)");
	/* Every line of the message, the two sides, the transcript. */
	assert_contains(text, "La respuesta no coincide en el byte 9.");
	assert_contains(text, "Segunda línea del mensaje.");
	assert_contains(text, "\"Servidor recibió: árbol12\"");
	assert_contains(text, "\"Servidor recibio: árbol12\"");
	assert_contains(text, "./servidor 8888");
	assert_contains(text, "c1");
	assert_contains(text, "\"árbol12\"");
	assert_contains(text, "escuchando en 8888");
	assert_contains(text, "aviso: algo");
	assert_contains(text, "Revisa la tilde de «recibió».");
	assert_contains(text, "nc 127.0.0.1 8888");
	assert_null(strstr(text, "✓"));
	free(text);
	test_result_free(&t);
}

static void test_human_skip_is_brief(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	make_failing(&t);
	t.status = ST_SKIP;
	text = render_test(&t, 0);
	assert_null(strstr(text, "✗"));
	assert_null(strstr(text, "✓"));
	assert_contains(text, "Responde con el prefijo exacto");
	assert_null(strstr(text, "byte 9"));
	free(text);
	test_result_free(&t);
}

static void test_human_long_transcript_cut(void **state)
{
	struct test_result t;
	char *text;
	char data[16];

	(void)state;
	make_passing(&t, "muchos", 1);
	t.status = ST_FAIL;
	t.score = 0;
	for (int i = 0; i < 50; i++) {
		snprintf(data, sizeof(data), "ev%02d", i);
		test_result_event(&t, i, "c1", "send", data);
	}
	text = render_test(&t, 0);
	/* The first 12 and the last 28 lines, and a note about the 10 between. */
	assert_contains(text, "\"ev00\"");
	assert_contains(text, "\"ev11\"");
	assert_null(strstr(text, "\"ev12\""));
	assert_null(strstr(text, "\"ev21\""));
	assert_contains(text, "\"ev22\"");
	assert_contains(text, "\"ev49\"");
	assert_contains(text, "10");
	free(text);
	test_result_free(&t);
}

static void test_human_color(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	make_failing(&t);
	text = render_test(&t, 1);
	assert_contains(text, "\033[");
	free(text);
	text = render_test(&t, 0);
	assert_null(strstr(text, "\033"));
	free(text);
	test_result_free(&t);

	make_passing(&t, "a", 1);
	text = render_test(&t, 1);
	assert_contains(text, "\033[");
	free(text);
	text = render_test(&t, 0);
	assert_null(strstr(text, "\033"));
	free(text);
	test_result_free(&t);
}

static void test_human_header_and_summary(void **state)
{
	struct test_result t[2];
	struct result r;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct report rp = {f, 0, 0};

	(void)state;
	make_passing(&t[0], "a", 2);
	make_failing(&t[1]);
	make_result(&r, t, 2);
	r.build.ran = 1;
	r.build.ok = 0;
	r.build.errors = 1;
	r.build.log = xstrdup("servidor.c:12:5: error: expected ';'");
	r.build.first_error = xstrdup("servidor.c:12:5: error: expected ';'");
	result_finish(&r);
	report_human_header(&rp, &r);
	report_human_summary(&rp, &r, "./checker lesson03 --seed 4242");
	fclose(f);
	assert_contains(text, "lesson03");
	assert_contains(text, "Servidor TCP con hilos");
	assert_contains(text, "✗");
	assert_contains(text, "servidor.c:12:5: error: expected ';'");
	assert_contains(text, "2/4");
	assert_contains(text, "./checker lesson03 --seed 4242");
	assert_null(strstr(text, "\033"));
	free(text);
	result_free(&r);
}

static void test_want_color_not_terminal(void **state)
{
	FILE *f = tmpfile();

	(void)state;
	assert_non_null(f);
	unsetenv("NO_COLOR");
	setenv("TERM", "xterm", 1);
	assert_int_equal(report_want_color(f), 0);
	fclose(f);
}

static void test_want_color_terminal(void **state)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	int slave;
	FILE *f;

	(void)state;
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0)
		skip();
	slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	if (slave < 0)
		skip();
	f = fdopen(slave, "w");
	assert_non_null(f);
	unsetenv("NO_COLOR");
	setenv("TERM", "xterm", 1);
	/* A terminal gets colour... */
	assert_int_equal(report_want_color(f), 1);
	/* ...unless NO_COLOR is set to anything non-empty, or TERM is dumb. */
	setenv("NO_COLOR", "1", 1);
	assert_int_equal(report_want_color(f), 0);
	setenv("NO_COLOR", "", 1);
	assert_int_equal(report_want_color(f), 1);
	unsetenv("NO_COLOR");
	setenv("TERM", "dumb", 1);
	assert_int_equal(report_want_color(f), 0);
	fclose(f);
	close(master);
}

static void test_verdict_names_round_trip(void **state)
{
	(void)state;
	for (int v = V_INTERNAL; v <= V_WRONG; v++) {
		enum verdict back = V_NONE;
		assert_int_equal(verdict_parse(verdict_name((enum verdict)v), &back), 0);
		assert_int_equal(back, v);
	}
	assert_string_equal(verdict_name(V_TIME), "time_limit");
	assert_int_equal(verdict_parse("slow", &(enum verdict){V_NONE}), -1);
}

static void test_verdict_in_json(void **state)
{
	struct test_result t = {0}, back;
	cJSON *j;

	(void)state;
	t.id = xstrdup("eco");
	t.name = xstrdup("Eco");
	t.status = ST_FAIL;
	t.verdict = V_OUTPUT;
	j = test_result_to_json(&t);
	assert_string_equal(cJSON_GetObjectItem(j, "verdict")->valuestring, "output_limit");
	assert_int_equal(test_result_from_json(j, &back), 0);
	assert_int_equal(back.verdict, V_OUTPUT);
	cJSON_ReplaceItemInObject(j, "verdict", cJSON_CreateString("slow"));
	test_result_free(&back);
	assert_int_equal(test_result_from_json(j, &back), -1);
	cJSON_Delete(j);
	test_result_free(&t);
}

static void assert_same_result(const struct result *a, const struct result *b)
{
	assert_string_equal(a->lesson, b->lesson);
	assert_same_opt(a->title, b->title);
	assert_same_opt(a->tier, b->tier);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->score, b->score);
	assert_int_equal(a->max_score, b->max_score);
	assert_true(a->seed == b->seed);
	assert_int_equal(a->build.ran, b->build.ran);
	assert_int_equal(a->build.ok, b->build.ok);
	assert_int_equal(a->build.warnings, b->build.warnings);
	assert_int_equal(a->build.errors, b->build.errors);
	assert_same_opt(a->build.log, b->build.log);
	assert_same_opt(a->build.first_error, b->build.first_error);
	assert_int_equal(a->ntests, b->ntests);
	for (size_t i = 0; i < a->ntests; i++) {
		assert_same_test(&a->tests[i], &b->tests[i]);
		assert_int_equal(a->tests[i].verdict, b->tests[i].verdict);
	}
}

/* result_to_json, printed and parsed back, then result_from_json. */
static int result_through_text(const struct result *in, struct result *out)
{
	cJSON *j = result_to_json(in);
	char *text = cJSON_PrintUnformatted(j);
	cJSON *back = cJSON_Parse(text);
	int rc;

	assert_non_null(back);
	rc = result_from_json(back, out);
	cJSON_Delete(back);
	cJSON_Delete(j);
	free(text);
	return rc;
}

static void test_result_round_trip_full(void **state)
{
	struct test_result t[3];
	struct result a, b;

	(void)state;
	make_passing(&t[0], "a", 2);
	t[0].message = xstrdup(""); /* the JSON always has one */
	make_failing(&t[1]);
	t[1].verdict = V_WRONG;
	make_passing(&t[2], "c", 1);
	t[2].status = ST_SKIP;
	t[2].score = 0;
	t[2].message = xstrdup("No se ejecutó: tu código no compila.");
	make_result(&a, t, 3);
	a.seed = BIG_SEED;
	a.build.ran = 1;
	a.build.ok = 0;
	a.build.warnings = 2;
	a.build.errors = 1;
	a.build.log = xstrdup("servidor.c:12:5: error: expected ';'\n");
	a.build.first_error = xstrdup("servidor.c:12:5: error: expected ';'");
	result_finish(&a);
	assert_int_equal(result_through_text(&a, &b), 0);
	assert_same_result(&a, &b);
	/* And once more, from what was read back. */
	{
		struct result c;
		assert_int_equal(result_through_text(&b, &c), 0);
		assert_same_result(&a, &c);
		result_free(&c);
	}
	result_free(&a);
	result_free(&b);
}

static void test_result_round_trip_sparse(void **state)
{
	struct result a = {0}, b;

	(void)state;
	/* --cmd: no build, no first error; no tests selected; seed 0. */
	a.lesson = xstrdup("lesson09");
	a.title = xstrdup("");
	a.tier = xstrdup("A");
	a.build.ok = 1;
	a.build.log = xstrdup("");
	result_finish(&a);
	assert_int_equal(result_through_text(&a, &b), 0);
	assert_same_result(&a, &b);
	assert_null(b.build.first_error);
	assert_int_equal(b.ntests, 0);
	result_free(&a);
	result_free(&b);
}

/* A valid stored result with one change made by edit; it must be refused. */
static void check_refused(const char *what, void (*edit)(cJSON *j))
{
	struct test_result t[2];
	struct result a, b;
	cJSON *j;

	make_passing(&t[0], "a", 2);
	make_failing(&t[1]);
	make_result(&a, t, 2);
	result_finish(&a);
	j = result_to_json(&a);
	edit(j);
	if (result_from_json(j, &b) != -1)
		fail_msg("accepted a result with %s", what);
	/* Nothing is left half-filled. */
	assert_null(b.lesson);
	assert_null(b.tests);
	assert_int_equal(b.ntests, 0);
	cJSON_Delete(j);
	result_free(&a);
}

static void no_lesson(cJSON *j)
{
	cJSON_DeleteItemFromObject(j, "lesson");
}
static void lesson_number(cJSON *j)
{
	cJSON_ReplaceItemInObject(j, "lesson", cJSON_CreateNumber(3));
}
static void bad_status(cJSON *j)
{
	cJSON_ReplaceItemInObject(j, "status", cJSON_CreateString("passed"));
}
static void score_string(cJSON *j)
{
	cJSON_ReplaceItemInObject(j, "score", cJSON_CreateString("2"));
}
static void no_max_score(cJSON *j)
{
	cJSON_DeleteItemFromObject(j, "max_score");
}
static void no_tests(cJSON *j)
{
	cJSON_DeleteItemFromObject(j, "tests");
}
static void tests_object(cJSON *j)
{
	cJSON_ReplaceItemInObject(j, "tests", cJSON_CreateObject());
}
/* The second test is bad: the first, already read, must be freed. */
static void bad_second_test(cJSON *j)
{
	cJSON_DeleteItemFromObject(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "tests"), 1),
	                           "status");
}
static void no_seed(cJSON *j)
{
	cJSON_DeleteItemFromObject(j, "seed");
}
static void negative_seed(cJSON *j)
{
	cJSON_ReplaceItemInObject(j, "seed", cJSON_CreateNumber(-1));
}
static void fractional_seed(cJSON *j)
{
	cJSON_ReplaceItemInObject(j, "seed", cJSON_CreateNumber(1.5));
}
static void huge_seed(cJSON *j)
{
	cJSON_ReplaceItemInObject(j, "seed", cJSON_CreateNumber(1e20));
}
static void build_number(cJSON *j)
{
	cJSON_ReplaceItemInObject(j, "build", cJSON_CreateNumber(1));
}

static void test_result_from_json_rejects(void **state)
{
	cJSON *arr = cJSON_Parse("[]");
	struct result b;

	(void)state;
	assert_int_equal(result_from_json(arr, &b), -1);
	cJSON_Delete(arr);
	check_refused("no lesson", no_lesson);
	check_refused("a numeric lesson", lesson_number);
	check_refused("an unknown status", bad_status);
	check_refused("a score as text", score_string);
	check_refused("no max_score", no_max_score);
	check_refused("no tests", no_tests);
	check_refused("tests as an object", tests_object);
	check_refused("a bad second test", bad_second_test);
	check_refused("no seed", no_seed);
	check_refused("a negative seed", negative_seed);
	check_refused("a fractional seed", fractional_seed);
	check_refused("a seed past 2^64", huge_seed);
	check_refused("a build that is not an object", build_number);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_finish_all_pass),
	        cmocka_unit_test(test_finish_one_fail),
	        cmocka_unit_test(test_finish_skip_or_error_is_error),
	        cmocka_unit_test(test_finish_build_failed_is_error),
	        cmocka_unit_test(test_exit_code),
	        cmocka_unit_test(test_status_round_trip),
	        cmocka_unit_test(test_event_defaults),
	        cmocka_unit_test(test_json_round_trip_full),
	        cmocka_unit_test(test_json_round_trip_sparse),
	        cmocka_unit_test(test_from_json_rejects),
	        cmocka_unit_test(test_result_json_contract),
	        cmocka_unit_test(test_report_json_prints_parseable),
	        cmocka_unit_test(test_human_pass_line),
	        cmocka_unit_test(test_human_fail_details),
	        cmocka_unit_test(test_human_skip_is_brief),
	        cmocka_unit_test(test_human_long_transcript_cut),
	        cmocka_unit_test(test_human_color),
	        cmocka_unit_test(test_human_header_and_summary),
	        cmocka_unit_test(test_want_color_not_terminal),
	        cmocka_unit_test(test_want_color_terminal),
	        cmocka_unit_test(test_verdict_names_round_trip),
	        cmocka_unit_test(test_verdict_in_json),
	        cmocka_unit_test(test_result_round_trip_full),
	        cmocka_unit_test(test_result_round_trip_sparse),
	        cmocka_unit_test(test_result_from_json_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
