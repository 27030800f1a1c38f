/* report_github.c - the result as a GitHub Classroom autograding runner's "result". */
#include "report.h"

#include <stdlib.h>

#include "escape.h"
#include "i18n.h"
#include "util.h"

/*
 * The shape the classroom runners emit (classroom-resources/
 * autograding-io-grader writes {"version": 1, "status", "max_score",
 * "tests": [{"name", "status", "message", "test_code", "filename",
 * "line_no", "duration", "score"}]}) and autograding-grading-reporter
 * reads: it adds up tests[].score against max_score, counts a test as
 * passed only when its status is "pass", prints the message of the others,
 * and fails the workflow when the status is "fail" or "error".
 *
 * The reporter reads each runner's output as base64, so the workflow step
 * that runs us encodes what we print, for example:
 *     echo "result=$(./checker lesson03 --format github | base64 -w0)" >> "$GITHUB_OUTPUT"
 */

static const char *gh_status(enum status s)
{
	/* A test not run (skipped) earned nothing: the reporter shows it with
	 * its reason, as it does errors. */
	return s == ST_PASS ? "pass" : s == ST_FAIL ? "fail" : "error";
}

static void add_text(cJSON *o, const char *key, const char *s)
{
	char *clean = utf8_valid_dup(s ? s : "");

	cJSON_AddStringToObject(o, key, clean);
	free(clean);
}

static cJSON *gh_test(const char *name, const char *status, int score, const char *message,
                      const char *code, long ms)
{
	cJSON *o = cJSON_CreateObject();

	add_text(o, "name", name);
	cJSON_AddStringToObject(o, "status", status);
	cJSON_AddNumberToObject(o, "score", score);
	add_text(o, "message", message);
	add_text(o, "test_code", code);
	cJSON_AddStringToObject(o, "filename", "");
	cJSON_AddNumberToObject(o, "line_no", 0);
	/* The io runner's duration in ms, and the same in seconds. */
	cJSON_AddNumberToObject(o, "duration", (double)ms);
	cJSON_AddNumberToObject(o, "execution_time", (double)ms / 1000.0);
	return o;
}

void report_github(FILE *out, const struct result *r)
{
	cJSON *o = cJSON_CreateObject(), *tests;
	char *printed;

	cJSON_AddNumberToObject(o, "version", 1);
	cJSON_AddStringToObject(o, "status", gh_status(r->status));
	cJSON_AddNumberToObject(o, "max_score", r->max_score);
	tests = cJSON_AddArrayToObject(o, "tests");
	if (r->build.ran && !r->build.ok) {
		char *text = report_build_text(&r->build);
		cJSON_AddItemToArray(tests, gh_test(_("Compilation"), "error", 0, text, "", 0));
		free(text);
	}
	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_result *t = &r->tests[i];
		char *text = t->status == ST_PASS ? xstrdup("") : report_test_text(t);
		cJSON_AddItemToArray(tests, gh_test(t->name, gh_status(t->status), t->score, text,
		                                    t->reproduce, t->duration_ms));
		free(text);
	}
	printed = cJSON_PrintUnformatted(o);
	fputs(printed, out);
	fputc('\n', out);
	free(printed);
	cJSON_Delete(o);
}
