/* report_gradescope.c - Gradescope's results.json, and the plain text the grading formats share. */
#include "report.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "util.h"

/* Lines of text, each with a prefix. */
static void indented(struct buf *b, const char *indent, const char *text)
{
	const char *p = text;

	while (*p) {
		size_t len = strcspn(p, "\n");
		buf_printf(b, "%s%.*s\n", indent, (int)len, p);
		p += len;
		if (*p)
			p++;
	}
}

char *report_test_text(const struct test_result *t)
{
	struct buf b = {0};

	if (t->message && *t->message)
		indented(&b, "", t->message);
	if (t->explanation && *t->explanation)
		buf_printf(&b, "%s %s\n", _("Cause:"), t->explanation);
	if (t->expected)
		buf_printf(&b, "%s \"%s\"\n", _("Expected:"), t->expected);
	if (t->received) {
		if (*t->received)
			buf_printf(&b, "%s \"%s\"\n", _("Received:"), t->received);
		else
			buf_printf(&b, "%s %s\n", _("Received:"), _("(nothing)"));
	}
	if (t->hint && *t->hint)
		buf_printf(&b, "%s %s\n", _("Hint:"), t->hint);
	if (t->reproduce && *t->reproduce) {
		buf_printf(&b, "%s\n", _("See it by hand:"));
		indented(&b, "  ", t->reproduce);
	}
	if (b.len && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	return buf_steal(&b);
}

char *report_build_text(const struct build_result *br)
{
	struct buf b = {0};

	buf_puts(&b, _("Your code does not compile."));
	if (br->first_error)
		buf_printf(&b, "\n%s %s", _("Fix this one first:"), br->first_error);
	if (br->log && *br->log) {
		buf_puts(&b, "\n\n");
		buf_puts(&b, br->log);
	}
	while (b.len && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	return buf_steal(&b);
}

/* Strings in JSON must be valid UTF-8 whatever a learner's program printed. */
static void add_text(cJSON *o, const char *key, const char *s)
{
	char *clean = utf8_valid_dup(s ? s : "");

	cJSON_AddStringToObject(o, key, clean);
	free(clean);
}

static void add_text_owned(cJSON *o, const char *key, char *s)
{
	add_text(o, key, s);
	free(s);
}

/* 3 for "lesson03", so tests number 3.1, 3.2...; position+1 without digits. */
static long lesson_number(const char *lesson, size_t i)
{
	const char *p = lesson ? lesson + strcspn(lesson, "0123456789") : "";
	long v;

	if (!*p)
		return (long)i + 1;
	v = strtol(p, NULL, 10);
	return v < 0 || v == LONG_MAX ? (long)i + 1 : v;
}

static int build_failed(const struct result *r)
{
	return r->build.ran && !r->build.ok;
}

static char *test_title(const struct result *r, const char *name, size_t nlessons)
{
	return nlessons > 1 ? xasprintf("%s · %s", r->lesson, name) : xstrdup(name);
}

static cJSON *gs_test(const struct result *r, size_t nlessons, long num, size_t k)
{
	const struct test_result *t = &r->tests[k];
	cJSON *o = cJSON_CreateObject();

	add_text_owned(o, "name", test_title(r, t->name, nlessons));
	add_text_owned(o, "number", xasprintf("%ld.%zu", num, k + 1));
	cJSON_AddNumberToObject(o, "score", t->score);
	cJSON_AddNumberToObject(o, "max_score", t->max_score);
	cJSON_AddStringToObject(o, "status", t->status == ST_PASS ? "passed" : "failed");
	add_text_owned(o, "output", t->status == ST_PASS ? xstrdup("") : report_test_text(t));
	cJSON_AddStringToObject(o, "visibility", "visible");
	return o;
}

/* A failed build as a test worth nothing, numbered first in its lesson. */
static cJSON *gs_build(const struct result *r, size_t nlessons, long num)
{
	cJSON *o = cJSON_CreateObject();

	add_text_owned(o, "name", test_title(r, _("Compilation"), nlessons));
	add_text_owned(o, "number", xasprintf("%ld.0", num));
	cJSON_AddNumberToObject(o, "score", 0);
	cJSON_AddNumberToObject(o, "max_score", 0);
	cJSON_AddStringToObject(o, "status", "failed");
	add_text_owned(o, "output", report_build_text(&r->build));
	cJSON_AddStringToObject(o, "visibility", "visible");
	return o;
}

/* What the learner reads above the tests: per lesson, score and passes. */
static void summary(struct buf *b, const struct result *r)
{
	size_t passed = 0;

	for (size_t i = 0; i < r->ntests; i++)
		passed += r->tests[i].status == ST_PASS;
	if (r->title && *r->title)
		buf_printf(b, "%s · %s\n", r->lesson, r->title);
	else
		buf_printf(b, "%s\n", r->lesson);
	buf_printf(b, _("Score: %d/%d"), r->score, r->max_score);
	buf_puts(b, " · ");
	buf_printf(b, ngettext("%zu of %zu test passed", "%zu of %zu tests passed", r->ntests),
	           passed, r->ntests);
	buf_puts(b, "\n");
	if (build_failed(r))
		buf_printf(b, "%s\n", _("Your code does not compile."));
	else if (r->status == ST_PASS)
		buf_printf(b, "%s\n", _("Well done: everything passes."));
}

void report_gradescope(FILE *out, const struct result *const *rs, size_t n, double execution_time_s)
{
	cJSON *o = cJSON_CreateObject(), *tests;
	struct buf text = {0};
	int score = 0, max_score = 0;
	char *printed;

	for (size_t i = 0; i < n; i++) {
		score += rs[i]->score;
		max_score += rs[i]->max_score;
		if (i)
			buf_puts(&text, "\n");
		summary(&text, rs[i]);
	}
	if (n > 1) {
		buf_puts(&text, "\n");
		buf_printf(&text, _("Total score: %d/%d"), score, max_score);
	}
	/* The per-test scores add up to this; stated anyway, as Gradescope
	 * then never has to guess. */
	cJSON_AddNumberToObject(o, "score", score);
	cJSON_AddNumberToObject(o, "execution_time", execution_time_s);
	add_text_owned(o, "output", buf_steal(&text));
	cJSON_AddStringToObject(o, "visibility", "visible");
	/* Everything a learner needs is in the tests; our stdout stays for the
	 * instructor's debugging, as Gradescope does by default. */
	cJSON_AddStringToObject(o, "stdout_visibility", "hidden");
	tests = cJSON_AddArrayToObject(o, "tests");
	for (size_t i = 0; i < n; i++) {
		long num = lesson_number(rs[i]->lesson, i);
		if (build_failed(rs[i]))
			cJSON_AddItemToArray(tests, gs_build(rs[i], n, num));
		for (size_t k = 0; k < rs[i]->ntests; k++)
			cJSON_AddItemToArray(tests, gs_test(rs[i], n, num, k));
	}
	printed = cJSON_Print(o);
	fputs(printed, out);
	fputc('\n', out);
	free(printed);
	cJSON_Delete(o);
}
