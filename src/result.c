/* result.c - the one model of a run that every report renders. */
#include "result.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "util.h"

static const char *const status_names[] = {"pass", "fail", "error", "skip"};

static const char *const verdict_names[] = {
        "",
        "internal_error",
        "time_limit",
        "memory_limit",
        "output_limit",
        "runtime_error",
        "wrong_behaviour",
};

const char *status_name(enum status s)
{
	return status_names[s];
}

const char *verdict_name(enum verdict v)
{
	return verdict_names[v];
}

int verdict_parse(const char *name, enum verdict *out)
{
	for (int i = 0; i <= V_WRONG; i++) {
		if (name && strcmp(name, verdict_names[i]) == 0) {
			*out = (enum verdict)i;
			return 0;
		}
	}
	return -1;
}

int status_parse(const char *name, enum status *out)
{
	for (int i = 0; i < 4; i++) {
		if (name && strcmp(name, status_names[i]) == 0) {
			*out = (enum status)i;
			return 0;
		}
	}
	return -1;
}

void test_result_event(struct test_result *t, long t_ms, const char *conn, const char *what,
                       const char *data)
{
	struct event *e;

	t->events = xrealloc(t->events, (t->nevents + 1) * sizeof(struct event));
	e = &t->events[t->nevents++];
	e->t_ms = t_ms;
	e->conn = xstrdup(conn ? conn : "");
	e->what = xstrdup(what);
	e->data = xstrdup(data ? data : "");
}

void test_result_free(struct test_result *t)
{
	for (size_t i = 0; i < t->nevents; i++) {
		free(t->events[i].conn);
		free(t->events[i].what);
		free(t->events[i].data);
	}
	free(t->events);
	free(t->id);
	free(t->name);
	free(t->message);
	free(t->expected);
	free(t->received);
	free(t->cause);
	free(t->explanation);
	free(t->hint);
	free(t->reproduce);
	free(t->out);
	free(t->errout);
	free(t->diagnosis);
	replay_free(&t->replay);
	memset(t, 0, sizeof(*t));
}

/* Every string a result holds may carry what a program sent or printed:
 * JSON readers insist on valid UTF-8, so whatever is not becomes U+FFFD. */
static void add_text(cJSON *o, const char *key, const char *value)
{
	char *clean = utf8_valid_dup(value);

	cJSON_AddStringToObject(o, key, clean);
	free(clean);
}

static void add_opt_string(cJSON *o, const char *key, const char *value)
{
	if (value)
		add_text(o, key, value);
}

cJSON *test_result_to_json(const struct test_result *t)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *tr;

	add_text(o, "id", t->id);
	add_text(o, "name", t->name);
	cJSON_AddStringToObject(o, "status", status_name(t->status));
	cJSON_AddNumberToObject(o, "score", t->score);
	cJSON_AddNumberToObject(o, "max_score", t->max_score);
	add_text(o, "message", t->message ? t->message : "");
	cJSON_AddNumberToObject(o, "duration_ms", (double)t->duration_ms);
	cJSON_AddNumberToObject(o, "waits_ms", (double)t->waits_ms);
	cJSON_AddNumberToObject(o, "blocked_ms", (double)t->blocked_ms);
	cJSON_AddNumberToObject(o, "program_cpu_ms", (double)t->cpu_ms);
	if (t->rss_kb)
		cJSON_AddNumberToObject(o, "checker_rss_kb", (double)t->rss_kb);
	if (t->starved_ms)
		cJSON_AddNumberToObject(o, "starved_ms", (double)t->starved_ms);
	if (t->attempts > 1)
		cJSON_AddNumberToObject(o, "attempts", t->attempts);
	if (t->verdict != V_NONE)
		cJSON_AddStringToObject(o, "verdict", verdict_name(t->verdict));
	add_opt_string(o, "expected", t->expected);
	if (t->expected_pattern)
		cJSON_AddBoolToObject(o, "expected_pattern", 1);
	add_opt_string(o, "received", t->received);
	add_opt_string(o, "cause", t->cause);
	add_opt_string(o, "explanation", t->explanation);
	add_opt_string(o, "hint", t->hint);
	add_opt_string(o, "reproduce", t->reproduce);
	add_opt_string(o, "stdout", t->out);
	add_opt_string(o, "stderr", t->errout);
	add_opt_string(o, "diagnosis", t->diagnosis);
	if (t->replay.n || t->replay.over)
		cJSON_AddItemToObject(o, "replay", replay_to_json(&t->replay));
	tr = cJSON_AddArrayToObject(o, "transcript");
	for (size_t i = 0; i < t->nevents; i++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "t_ms", (double)t->events[i].t_ms);
		add_text(e, "conn", t->events[i].conn);
		add_text(e, "event", t->events[i].what);
		add_text(e, "data", t->events[i].data);
		cJSON_AddItemToArray(tr, e);
	}
	return o;
}

static char *dup_field(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

static long num_field(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? (long)v->valuedouble : 0;
}

int test_result_from_json(const cJSON *j, struct test_result *t)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "status");
	const cJSON *tr = cJSON_GetObjectItemCaseSensitive(j, "transcript");
	const cJSON *e;

	memset(t, 0, sizeof(*t));
	if (!cJSON_IsObject(j) || !cJSON_IsString(st) ||
	    status_parse(st->valuestring, &t->status) < 0)
		return -1;
	t->id = dup_field(j, "id");
	t->name = dup_field(j, "name");
	t->score = (int)num_field(j, "score");
	t->max_score = (int)num_field(j, "max_score");
	t->message = dup_field(j, "message");
	t->duration_ms = num_field(j, "duration_ms");
	t->waits_ms = num_field(j, "waits_ms");
	t->blocked_ms = num_field(j, "blocked_ms");
	t->cpu_ms = num_field(j, "program_cpu_ms");
	t->rss_kb = num_field(j, "checker_rss_kb");
	t->starved_ms = num_field(j, "starved_ms");
	t->attempts = (int)num_field(j, "attempts");
	{
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "verdict");
		if (cJSON_IsString(v) && verdict_parse(v->valuestring, &t->verdict) < 0) {
			test_result_free(t);
			return -1;
		}
	}
	t->expected = dup_field(j, "expected");
	t->expected_pattern = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "expected_pattern"));
	t->received = dup_field(j, "received");
	t->cause = dup_field(j, "cause");
	t->explanation = dup_field(j, "explanation");
	t->hint = dup_field(j, "hint");
	t->reproduce = dup_field(j, "reproduce");
	t->out = dup_field(j, "stdout");
	t->errout = dup_field(j, "stderr");
	t->diagnosis = dup_field(j, "diagnosis");
	if (cJSON_GetObjectItemCaseSensitive(j, "replay") &&
	    replay_from_json(cJSON_GetObjectItemCaseSensitive(j, "replay"), &t->replay) < 0) {
		test_result_free(t);
		return -1;
	}
	cJSON_ArrayForEach (e, tr) {
		char *conn = dup_field(e, "conn"), *what = dup_field(e, "event");
		char *data = dup_field(e, "data");
		test_result_event(t, num_field(e, "t_ms"), conn, what ? what : "?", data);
		free(conn);
		free(what);
		free(data);
	}
	if (!t->id || !t->name) {
		test_result_free(t);
		return -1;
	}
	return 0;
}

void result_finish(struct result *r)
{
	int any_fail = 0, any_error = 0;

	r->score = r->max_score = 0;
	for (size_t i = 0; i < r->ntests; i++) {
		r->score += r->tests[i].score;
		r->max_score += r->tests[i].max_score;
		any_fail |= r->tests[i].status == ST_FAIL;
		any_error |= r->tests[i].status == ST_ERROR || r->tests[i].status == ST_SKIP;
	}
	if ((r->build.ran && !r->build.ok) || any_error)
		r->status = ST_ERROR;
	else
		r->status = any_fail ? ST_FAIL : ST_PASS;
}

cJSON *result_to_json(const struct result *r)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *tests;

	cJSON_AddStringToObject(o, "lesson", r->lesson);
	add_text(o, "title", r->title ? r->title : "");
	cJSON_AddStringToObject(o, "status", status_name(r->status));
	cJSON_AddNumberToObject(o, "score", r->score);
	cJSON_AddNumberToObject(o, "max_score", r->max_score);
	cJSON_AddNumberToObject(o, "seed", (double)r->seed);
	cJSON_AddStringToObject(o, "isolation", r->tier ? r->tier : "");
	if (r->tier_note)
		cJSON_AddStringToObject(o, "isolation_weak", r->tier_note);
	cJSON_AddItemToObject(o, "build", build_result_to_json(&r->build));
	tests = cJSON_AddArrayToObject(o, "tests");
	for (size_t i = 0; i < r->ntests; i++) {
		/* The replay goes from the box to the checker (--repro), not
		 * into results for programs: it may hold megabytes. */
		cJSON *t = test_result_to_json(&r->tests[i]);
		cJSON_DeleteItemFromObjectCaseSensitive(t, "replay");
		cJSON_AddItemToArray(tests, t);
	}
	if (r->capture)
		cJSON_AddStringToObject(o, "capture", r->capture);
	return o;
}

static int bool_field(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

cJSON *build_result_to_json(const struct build_result *br)
{
	cJSON *b = cJSON_CreateObject();

	cJSON_AddBoolToObject(b, "ran", br->ran);
	cJSON_AddBoolToObject(b, "ok", br->ok);
	cJSON_AddNumberToObject(b, "warnings", br->warnings);
	cJSON_AddNumberToObject(b, "errors", br->errors);
	add_text(b, "log", br->log ? br->log : "");
	if (br->first_error)
		add_text(b, "first_error", br->first_error);
	cJSON_AddBoolToObject(b, "cached", br->cached);
	cJSON_AddNumberToObject(b, "ms", (double)br->ms);
	return b;
}

void build_result_from_json(const cJSON *b, struct build_result *br)
{
	br->ran = bool_field(b, "ran");
	br->ok = bool_field(b, "ok");
	br->warnings = (int)num_field(b, "warnings");
	br->errors = (int)num_field(b, "errors");
	br->log = dup_field(b, "log");
	br->first_error = dup_field(b, "first_error");
	br->cached = bool_field(b, "cached");
	br->ms = num_field(b, "ms");
}

/* The seed replays a run: a whole number that fits, or the file is bad. */
static int seed_from_json(const cJSON *v, uint64_t *seed)
{
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0) ||
	    v->valuedouble >= 18446744073709551616.0 ||
	    v->valuedouble != (double)(uint64_t)v->valuedouble)
		return -1;
	*seed = (uint64_t)v->valuedouble;
	return 0;
}

int result_from_json(const cJSON *j, struct result *r)
{
	const cJSON *lesson = cJSON_GetObjectItemCaseSensitive(j, "lesson");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "status");
	const cJSON *tests = cJSON_GetObjectItemCaseSensitive(j, "tests");
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "build");
	const cJSON *score = cJSON_GetObjectItemCaseSensitive(j, "score");
	const cJSON *max_score = cJSON_GetObjectItemCaseSensitive(j, "max_score");
	const cJSON *t;

	memset(r, 0, sizeof(*r));
	if (!cJSON_IsObject(j) || !cJSON_IsString(lesson) || !cJSON_IsString(st) ||
	    status_parse(st->valuestring, &r->status) < 0 || !cJSON_IsNumber(score) ||
	    !cJSON_IsNumber(max_score) || !cJSON_IsArray(tests) || (b && !cJSON_IsObject(b)) ||
	    seed_from_json(cJSON_GetObjectItemCaseSensitive(j, "seed"), &r->seed) < 0)
		return -1;
	r->lesson = xstrdup(lesson->valuestring);
	r->title = dup_field(j, "title");
	r->tier = dup_field(j, "isolation");
	r->tier_note = dup_field(j, "isolation_weak");
	r->capture = dup_field(j, "capture");
	r->score = score->valueint;
	r->max_score = max_score->valueint;
	build_result_from_json(b, &r->build);
	r->tests = xcalloc((size_t)cJSON_GetArraySize(tests), sizeof(*r->tests));
	cJSON_ArrayForEach (t, tests) {
		if (test_result_from_json(t, &r->tests[r->ntests]) < 0) {
			result_free(r);
			return -1;
		}
		r->ntests++;
	}
	return 0;
}

void result_free(struct result *r)
{
	for (size_t i = 0; i < r->ntests; i++)
		test_result_free(&r->tests[i]);
	free(r->tests);
	free(r->lesson);
	free(r->title);
	free(r->tier);
	free(r->tier_note);
	free(r->capture);
	free(r->capture_error);
	free(r->build.log);
	free(r->build.first_error);
	memset(r, 0, sizeof(*r));
}

int result_exit_code(const struct result *r)
{
	return r->status == ST_PASS ? 0 : 1;
}
