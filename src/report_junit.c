/* report_junit.c - results as JUnit XML, for CI servers and LMS plug-ins. */
#include "report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "util.h"

/* What XML 1.0 can carry: tab, newline, CR and U+0020 up, less U+FFFE and
 * U+FFFF (surrogates never come out of utf8_decode). DEL and the C1
 * controls are allowed but discouraged, and some readers refuse them: out
 * too. */
static int xml_char_ok(uint32_t cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\r';
	return (cp < 0x7f || cp > 0x9f) && cp != 0xfffe && cp != 0xffff;
}

/* Append s escaped for element text, or for a double-quoted attribute value
 * (where tab, newline and CR must be references to survive normalisation).
 * Bytes that are not UTF-8 and characters XML forbids become U+FFFD: a
 * message may hold anything a learner's program printed. */
static void xml_escape(struct buf *b, const char *s, int attr)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p), i = 0, len;

	while (i < n) {
		uint32_t cp = utf8_decode(p + i, n - i, &len);

		if (!xml_char_ok(cp))
			cp = 0xfffd;
		switch (cp) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&apos;");
			break;
		case '\r':
			buf_puts(b, "&#13;");
			break;
		case '\n':
		case '\t':
			if (attr)
				buf_printf(b, "&#%u;", (unsigned)cp);
			else
				buf_append(b, p + i, 1);
			break;
		default:
			utf8_put(b, cp);
		}
		i += len;
	}
}

static void xml_attr(struct buf *b, const char *name, const char *value)
{
	buf_printf(b, " %s=\"", name);
	xml_escape(b, value, 1);
	buf_puts(b, "\"");
}

static void xml_attr_num(struct buf *b, const char *name, long v)
{
	buf_printf(b, " %s=\"%ld\"", name, v);
}

/* Seconds with three decimals, never a locale's decimal comma. */
static void xml_attr_time(struct buf *b, long ms)
{
	if (ms < 0)
		ms = 0;
	buf_printf(b, " time=\"%ld.%03ld\"", ms / 1000, ms % 1000);
}

static void property(struct buf *b, const char *name, const char *value)
{
	buf_puts(b, "      <property");
	xml_attr(b, "name", name);
	xml_attr(b, "value", value ? value : "");
	buf_puts(b, "/>\n");
}

static void element(struct buf *b, const char *tag, const char *text)
{
	buf_printf(b, "      <%s>", tag);
	xml_escape(b, text, 0);
	buf_printf(b, "</%s>\n", tag);
}

static int build_failed(const struct result *r)
{
	return r->build.ran && !r->build.ok;
}

struct counts {
	long tests, failures, errors, skipped, ms;
};

static void count(const struct result *r, struct counts *c)
{
	c->tests += (long)r->ntests + build_failed(r);
	c->errors += build_failed(r);
	for (size_t i = 0; i < r->ntests; i++) {
		c->failures += r->tests[i].status == ST_FAIL;
		c->errors += r->tests[i].status == ST_ERROR;
		c->skipped += r->tests[i].status == ST_SKIP;
		c->ms += r->tests[i].duration_ms;
	}
}

static void count_attrs(struct buf *b, const struct counts *c)
{
	xml_attr_num(b, "tests", c->tests);
	xml_attr_num(b, "failures", c->failures);
	xml_attr_num(b, "errors", c->errors);
	xml_attr_num(b, "skipped", c->skipped);
	xml_attr_time(b, c->ms);
}

static void properties(struct buf *b, const struct result *r)
{
	char num[32];

	buf_puts(b, "    <properties>\n");
	property(b, "lesson", r->lesson);
	property(b, "title", r->title);
	property(b, "status", status_name(r->status));
	snprintf(num, sizeof(num), "%d", r->score);
	property(b, "score", num);
	snprintf(num, sizeof(num), "%d", r->max_score);
	property(b, "max_score", num);
	snprintf(num, sizeof(num), "%" PRIu64, r->seed);
	property(b, "seed", num);
	property(b, "isolation", r->tier);
	buf_puts(b, "    </properties>\n");
}

static void testcase_open(struct buf *b, const char *suite, const char *name, const char *id,
                          long ms)
{
	char *full = xasprintf("%s [%s]", name ? name : "", id ? id : "");

	buf_puts(b, "    <testcase");
	xml_attr(b, "classname", suite);
	xml_attr(b, "name", full);
	xml_attr_time(b, ms);
	buf_puts(b, ">\n");
	free(full);
}

/* <failure> or <error>: the message, and the whole story as its text. */
static void problem(struct buf *b, const char *tag, const char *message, const char *type,
                    const char *text)
{
	buf_printf(b, "      <%s", tag);
	xml_attr(b, "message", message ? message : "");
	xml_attr(b, "type", type);
	buf_puts(b, ">");
	xml_escape(b, text, 0);
	buf_printf(b, "</%s>\n", tag);
}

static void build_case(struct buf *b, const char *suite, const struct result *r)
{
	char *text = report_build_text(&r->build);

	testcase_open(b, suite, _("Compilation"), "build", 0);
	problem(b, "error",
	        r->build.first_error ? r->build.first_error : _("Your code does not compile."),
	        "build", text);
	buf_puts(b, "    </testcase>\n");
	free(text);
}

static void test_case(struct buf *b, const char *suite, const struct test_result *t)
{
	int fail = t->status == ST_FAIL;
	const char *type = t->verdict != V_NONE ? verdict_name(t->verdict) : status_name(t->status);

	testcase_open(b, suite, t->name, t->id, t->duration_ms);
	if (t->status == ST_SKIP) {
		buf_puts(b, "      <skipped");
		xml_attr(b, "message", t->message ? t->message : "");
		buf_puts(b, "/>\n");
	} else if (t->status != ST_PASS) {
		char *text = report_test_text(t);
		problem(b, fail ? "failure" : "error", t->message, type, text);
		free(text);
		if (t->out)
			element(b, "system-out", t->out);
		if (t->errout)
			element(b, "system-err", t->errout);
	}
	buf_puts(b, "    </testcase>\n");
}

static void write_suite(struct buf *b, const struct result *r, const char *name)
{
	struct counts c = {0};

	count(r, &c);
	buf_puts(b, "  <testsuite");
	xml_attr(b, "name", name);
	count_attrs(b, &c);
	buf_puts(b, ">\n");
	properties(b, r);
	if (build_failed(r))
		build_case(b, name, r);
	for (size_t i = 0; i < r->ntests; i++)
		test_case(b, name, &r->tests[i]);
	buf_puts(b, "  </testsuite>\n");
}

void report_junit(FILE *out, const struct result *const *rs, const char *const *suite_names,
                  size_t n)
{
	struct buf b = {0};
	struct counts all = {0};

	for (size_t i = 0; i < n; i++)
		count(rs[i], &all);
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	xml_attr(&b, "name", "checker");
	count_attrs(&b, &all);
	buf_puts(&b, ">\n");
	for (size_t i = 0; i < n; i++)
		write_suite(&b, rs[i],
		            suite_names && suite_names[i] ? suite_names[i] : rs[i]->lesson);
	buf_puts(&b, "</testsuites>\n");
	fwrite(b.data, 1, b.len, out);
	buf_free(&b);
}
