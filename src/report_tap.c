/* report_tap.c - the result as TAP version 14, for prove, node-tap and CI plug-ins. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "util.h"

/* Text on one TAP line: UTF-8 only, line breaks and tabs as spaces, other
 * controls as U+FFFD; in descriptions and directives (hashes = 1) "\" and
 * "#" are escaped, so a "#" in a name never starts a directive. */
static void tap_text(struct buf *b, const char *s, int hashes)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), i = 0, len;

	while (i < n) {
		uint32_t cp = utf8_decode(p + i, n - i, &len);

		if (cp == '\n' || cp == '\r' || cp == '\t')
			buf_puts(b, " ");
		else if (cp < 0x20 || cp == 0x7f)
			utf8_put(b, 0xfffd);
		else if (hashes && (cp == '\\' || cp == '#'))
			buf_printf(b, "\\%c", (char)cp);
		else
			utf8_put(b, cp);
		i += len;
	}
}

/* What YAML 1.2 lets stand unescaped in a double-quoted scalar (its
 * c-printable, less line breaks, tabs and the byte order mark). */
static int yaml_plain(uint32_t cp)
{
	return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) ||
	       (cp >= 0xe000 && cp <= 0xfffd && cp != 0xfeff) || cp >= 0x10000;
}

/* s as a YAML double-quoted scalar on one line. */
static void yaml_quoted(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), i = 0, len;

	buf_puts(b, "\"");
	while (i < n) {
		uint32_t cp = utf8_decode(p + i, n - i, &len);

		if (cp == '"' || cp == '\\')
			buf_printf(b, "\\%c", (char)cp);
		else if (cp == '\n')
			buf_puts(b, "\\n");
		else if (cp == '\t')
			buf_puts(b, "\\t");
		else if (cp == '\r')
			buf_puts(b, "\\r");
		else if (yaml_plain(cp))
			utf8_put(b, cp);
		else if (cp < 0x100)
			buf_printf(b, "\\x%02x", (unsigned)cp);
		else
			buf_printf(b, "\\u%04x", (unsigned)cp);
		i += len;
	}
	buf_puts(b, "\"");
}

static void yaml_str(struct buf *b, const char *key, const char *value)
{
	if (!value)
		return;
	buf_printf(b, "  %s: ", key);
	yaml_quoted(b, value);
	buf_puts(b, "\n");
}

static void point(struct buf *b, int ok, size_t num, const char *name, const char *id)
{
	buf_printf(b, "%s %zu - ", ok ? "ok" : "not ok", num);
	tap_text(b, name, 1);
	buf_puts(b, " [");
	tap_text(b, id, 1);
	buf_puts(b, "]");
}

static void build_point(struct buf *b, const struct build_result *br)
{
	point(b, 0, 1, _("Compilation"), "build");
	buf_puts(b, "\n  ---\n");
	yaml_str(b, "message", _("Your code does not compile."));
	yaml_str(b, "first_error", br->first_error);
	yaml_str(b, "log", br->log);
	buf_puts(b, "  ...\n");
}

static void test_point(struct buf *b, size_t num, const struct test_result *t)
{
	point(b, t->status == ST_PASS || t->status == ST_SKIP, num, t->name, t->id);
	if (t->status == ST_SKIP) {
		buf_puts(b, " # SKIP");
		if (t->message && *t->message) {
			buf_puts(b, " ");
			tap_text(b, t->message, 1);
		}
	}
	buf_puts(b, "\n");
	if (t->status == ST_PASS || t->status == ST_SKIP)
		return;
	buf_puts(b, "  ---\n");
	yaml_str(b, "message", t->message ? t->message : "");
	yaml_str(b, "cause", t->cause);
	yaml_str(b, "explanation", t->explanation);
	if (t->verdict != V_NONE)
		yaml_str(b, "verdict", verdict_name(t->verdict));
	yaml_str(b, "expected", t->expected);
	yaml_str(b, "received", t->received);
	buf_printf(b, "  score: %d\n  max_score: %d\n", t->score, t->max_score);
	yaml_str(b, "hint", t->hint);
	buf_puts(b, "  ...\n");
}

/*
 * A build that fails is one failing test point before the tests, which
 * run.c then marks skipped ("not run: your code does not compile"): every
 * harness counts the run as failed and still lists each test, where a
 * "Bail out!" would stop some of them from reading any further.
 */
void report_tap(FILE *out, const struct result *r)
{
	struct buf b = {0};
	int build_failed = r->build.ran && !r->build.ok;
	size_t num = 0;

	buf_printf(&b, "TAP version 14\n1..%zu\n# ", r->ntests + (size_t)build_failed);
	tap_text(&b, r->lesson, 0);
	if (r->title && *r->title) {
		buf_puts(&b, " · ");
		tap_text(&b, r->title, 0);
	}
	buf_puts(&b, "\n");
	if (build_failed) {
		build_point(&b, &r->build);
		num++;
	}
	for (size_t i = 0; i < r->ntests; i++)
		test_point(&b, ++num, &r->tests[i]);
	buf_puts(&b, "# ");
	buf_printf(&b, _("Score: %d/%d"), r->score, r->max_score);
	buf_puts(&b, "\n");
	fwrite(b.data, 1, b.len, out);
	buf_free(&b);
}
