/* test_report_formats.c - unit tests for JUnit XML, TAP 14, Gradescope and GitHub Classroom. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/escape.h"
#include "../../src/report.h"
#include "../../src/result.h"
#include "../../src/util.h"

#define FFFD     "\xef\xbf\xbd"
#define MAX_SEED 18446744073709551615ULL

/* What a learner's program may make us report: markup, a control byte,
 * bytes that are not UTF-8, quotes, a hash and a backslash. */
#define NASTY_MESSAGE  "Llegó <&>\x01 y \xff\xfe fin\nsegunda línea"
#define NASTY_EXPECTED "<a href=\"x\">'&'</a>"
#define NASTY_RECEIVED "\x01\x7f\xc3("
#define NASTY_HINT     "Usa <recv> & \"bucle\" \\ y # aquí"

/* ---- fixtures ---- */

static void set_test(struct test_result *t, const char *id, const char *name, enum status st,
                     int score, int max_score, long ms)
{
	memset(t, 0, sizeof(*t));
	t->id = xstrdup(id);
	t->name = xstrdup(name);
	t->status = st;
	t->score = score;
	t->max_score = max_score;
	t->duration_ms = ms;
}

/* lesson03: a pass, a failure full of nasty bytes, an error, a skip. */
static void make_mixed(struct result *r)
{
	struct test_result *t;

	memset(r, 0, sizeof(*r));
	r->lesson = xstrdup("lesson03");
	r->title = xstrdup("Servidor TCP con hilos");
	r->tier = xstrdup("B");
	r->seed = MAX_SEED;
	r->build.ran = 1;
	r->build.ok = 1;
	r->tests = xcalloc(4, sizeof(*r->tests));
	r->ntests = 4;
	t = r->tests;
	set_test(&t[0], "eco", "Responde # con \\ eco", ST_PASS, 2, 2, 12);
	set_test(&t[1], "grande", "Muchos datos <grandes> & \"raros\"", ST_FAIL, 0, 3, 1234);
	t[1].verdict = V_WRONG;
	t[1].message = xstrdup(NASTY_MESSAGE);
	t[1].expected = xstrdup(NASTY_EXPECTED);
	t[1].received = xstrdup(NASTY_RECEIVED);
	t[1].hint = xstrdup(NASTY_HINT);
	t[1].reproduce = xstrdup("./servidor 8888 &\nnc 127.0.0.1 8888");
	t[1].out = xstrdup("salida\x02\n");
	t[1].errout = xstrdup("err\xff\n");
	/* An id that starts like a TODO directive must not become one. */
	set_test(&t[2], "todos", "todos reciben", ST_ERROR, 0, 1, 500);
	t[2].verdict = V_TIME;
	t[2].message = xstrdup("Se acabó el tiempo");
	set_test(&t[3], "omitida", "Omitida", ST_SKIP, 0, 1, 0);
	t[3].message = xstrdup("Not run # because\x7fnow\r\nok");
	result_finish(r);
}

/* lesson05, whose code does not compile: run.c skips every test. */
static void make_broken_build(struct result *r)
{
	memset(r, 0, sizeof(*r));
	r->lesson = xstrdup("lesson05");
	r->title = xstrdup("Servidor UDP");
	r->tier = xstrdup("C");
	r->seed = 7;
	r->build.ran = 1;
	r->build.ok = 0;
	r->build.errors = 1;
	r->build.first_error = xstrdup("servidor.c:3:1: error: expected ';' before '<' token \xff");
	r->build.log = xstrdup("servidor.c:3:1: error: expected ';' before '<' token \xff\n"
	                       "\x1b[31m    3 | int x <\n");
	r->tests = xcalloc(2, sizeof(*r->tests));
	r->ntests = 2;
	set_test(&r->tests[0], "eco", "Eco UDP", ST_SKIP, 0, 2, 0);
	r->tests[0].message = xstrdup("Not run: your code does not compile.");
	set_test(&r->tests[1], "varios", "Varios clientes", ST_SKIP, 0, 3, 0);
	r->tests[1].message = xstrdup("Not run: your code does not compile.");
	result_finish(r);
}

/* ---- helpers ---- */

static void assert_contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("\"%s\" not found in:\n%s", part, text);
}

static void assert_lacks(const char *text, const char *part)
{
	if (strstr(text, part))
		fail_msg("\"%s\" should not be in:\n%s", part, text);
}

/* Valid UTF-8 and no control character but newline (and tab and DEL if
 * allowed: XML has tabs, JSON may carry DEL). */
static void assert_clean_text(const char *s, int allow_tab, int allow_del)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;

	while (i < n) {
		size_t len = utf8_seq_len(p + i, n - i);
		if (!len)
			fail_msg("byte 0x%02x at %zu is not UTF-8", p[i], i);
		if (len == 1 && ((p[i] < 0x20 && p[i] != '\n' && !(allow_tab && p[i] == '\t')) ||
		                 (p[i] == 0x7f && !allow_del)))
			fail_msg("control byte 0x%02x at %zu", p[i], i);
		i += len;
	}
}

typedef void (*render_fn)(FILE *f, const void *arg);

static char *render(render_fn fn, const void *arg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	fn(f, arg);
	fclose(f);
	assert_non_null(text);
	return text;
}

/* ---- JUnit ---- */

struct junit_args {
	const struct result *const *rs;
	const char *const *names;
	size_t n;
};

static void junit_fn(FILE *f, const void *arg)
{
	const struct junit_args *a = arg;

	report_junit(f, a->rs, a->names, a->n);
}

/* An entity or a character reference XML 1.0 accepts. */
static int entity_ok(const char *p)
{
	static const char *const names[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
	unsigned long v;
	char *end;

	for (size_t i = 0; i < 5; i++)
		if (strncmp(p, names[i], strlen(names[i])) == 0)
			return 1;
	if (p[1] != '#')
		return 0;
	v = p[2] == 'x' ? strtoul(p + 3, &end, 16) : strtoul(p + 2, &end, 10);
	return *end == ';' && (v == 9 || v == 10 || v == 13 ||
	                       (v >= 0x20 && v != 0xfffe && v != 0xffff && v <= 0x10ffff));
}

/* A small well-formedness check of what report_junit writes: one root,
 * tags close in order, attribute values quoted with no '<' and only valid
 * references, no raw '>' in text. NULL when fine, else what is wrong. */
static const char *xml_check(const char *s)
{
	static const char name_chars[] = "abcdefghijklmnopqrstuvwxyz-_";
	char stack[16][32];
	int depth = 0, roots = 0;
	const char *p = s;

	if (strncmp(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 38) != 0)
		return "no XML declaration";
	p += 38;
	while (*p) {
		if (*p == '<') {
			int closing = p[1] == '/', self;
			const char *name = p + 1 + closing;
			size_t nlen = strspn(name, name_chars);
			if (!nlen || nlen >= sizeof(stack[0]))
				return "bad tag name";
			p = name + nlen;
			for (;;) {
				size_t alen;
				p += strspn(p, " ");
				if (*p == '>' || (p[0] == '/' && p[1] == '>'))
					break;
				alen = strspn(p, name_chars);
				if (closing || !alen || p[alen] != '=' || p[alen + 1] != '"')
					return "bad attribute";
				for (p += alen + 2; *p != '"'; p++)
					if (!*p || *p == '<' || (*p == '&' && !entity_ok(p)))
						return "bad attribute value";
				p++;
			}
			self = *p == '/';
			p += self ? 2 : 1;
			if (closing) {
				if (!depth || strlen(stack[depth - 1]) != nlen ||
				    strncmp(stack[depth - 1], name, nlen) != 0)
					return "mismatched closing tag";
				depth--;
			} else {
				if (!depth && roots++)
					return "two root elements";
				if (!self) {
					if (depth == (int)(sizeof(stack) / sizeof(stack[0])))
						return "too deep";
					memcpy(stack[depth], name, nlen);
					stack[depth++][nlen] = '\0';
				}
			}
		} else {
			if (!depth && *p != '\n')
				return "text outside the root";
			if ((*p == '&' && !entity_ok(p)) || *p == '>')
				return "bad text";
			p++;
		}
	}
	return depth ? "unclosed element" : roots ? NULL : "no root";
}

static void assert_xml_ok(const char *xml)
{
	const char *why = xml_check(xml);

	if (why)
		fail_msg("not well-formed (%s):\n%s", why, xml);
	assert_clean_text(xml, 1, 0);
	/* U+FFFE and U+FFFF are UTF-8 but not XML. */
	assert_lacks(xml, "\xef\xbf\xbe");
	assert_lacks(xml, "\xef\xbf\xbf");
	assert_lacks(xml, "\r");
}

static void test_xml_checker_catches(void **state)
{
	(void)state;
	/* The checker itself must see the faults the renderer must avoid. */
	assert_null(xml_check("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"1\"><b/></a>\n"));
	assert_non_null(xml_check("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a><b></a></b>\n"));
	assert_non_null(xml_check("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>x & y</a>\n"));
	assert_non_null(xml_check("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"<\"/>\n"));
	assert_non_null(xml_check("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>&#1;</a>\n"));
	assert_non_null(xml_check("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a/><b/>\n"));
	assert_non_null(xml_check("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>"));
}

static void test_junit_counts_and_escaping(void **state)
{
	struct result a, b;
	const struct result *rs[2] = {&a, &b};
	const char *names[2] = {"O'Brien & Ana García/lesson03", NULL};
	struct junit_args args = {rs, names, 2};
	char *xml;

	(void)state;
	make_mixed(&a);
	make_broken_build(&b);
	xml = render(junit_fn, &args);
	assert_xml_ok(xml);
	/* Totals over both suites: 4 + (2 skipped + the build). */
	assert_contains(xml, "<testsuites name=\"checker\" tests=\"7\" failures=\"1\" errors=\"2\" "
	                     "skipped=\"3\" time=\"1.746\">");
	assert_contains(xml,
	                "<testsuite name=\"O&apos;Brien &amp; Ana García/lesson03\" tests=\"4\" "
	                "failures=\"1\" errors=\"1\" skipped=\"1\" time=\"1.746\">");
	/* No name given: the lesson names the suite. */
	assert_contains(xml, "<testsuite name=\"lesson05\" tests=\"3\" failures=\"0\" errors=\"1\" "
	                     "skipped=\"2\" time=\"0.000\">");
	/* Properties, the seed exact past 2^53. */
	assert_contains(xml, "<property name=\"score\" value=\"2\"/>");
	assert_contains(xml, "<property name=\"max_score\" value=\"7\"/>");
	assert_contains(xml, "<property name=\"seed\" value=\"18446744073709551615\"/>");
	/* Test cases: classname is the suite, name carries the id. */
	assert_contains(xml, "<testcase classname=\"O&apos;Brien &amp; Ana García/lesson03\" "
	                     "name=\"Responde # con \\ eco [eco]\" time=\"0.012\">\n"
	                     "    </testcase>");
	assert_contains(xml,
	                "name=\"Muchos datos &lt;grandes&gt; &amp; &quot;raros&quot; [grande]\" "
	                "time=\"1.234\">");
	/* The failure: message attribute with its newline kept as a reference,
	 * the control byte and the broken bytes as U+FFFD. */
	assert_contains(xml, "<failure message=\"Llegó &lt;&amp;&gt;" FFFD " y " FFFD FFFD
	                     " fin&#10;segunda línea\" type=\"wrong_behaviour\">");
	/* Its text: message, both sides, hint. */
	assert_contains(xml, ">Llegó &lt;&amp;&gt;" FFFD " y " FFFD FFFD " fin\nsegunda línea\n");
	assert_contains(xml, "&quot;&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;&quot;");
	assert_contains(xml, "&quot;" FFFD FFFD FFFD "(&quot;");
	assert_contains(xml, "Usa &lt;recv&gt; &amp; &quot;bucle&quot; \\ y # aquí");
	assert_contains(xml, "<system-out>salida" FFFD "\n</system-out>");
	assert_contains(xml, "<system-err>err" FFFD "\n</system-err>");
	/* The error and the skip. */
	assert_contains(xml, "<error message=\"Se acabó el tiempo\" type=\"time_limit\">");
	assert_contains(xml, "<skipped message=\"Not run # because" FFFD "now&#13;&#10;ok\"/>");
	/* The failed build is an error of its own, with the first error. */
	assert_contains(xml, "<testcase classname=\"lesson05\" name=\"Compilation [build]\" "
	                     "time=\"0.000\">\n      <error message=\"servidor.c:3:1: error: "
	                     "expected &apos;;&apos; before &apos;&lt;&apos; token " FFFD
	                     "\" type=\"build\">");
	assert_contains(xml, "    3 | int x &lt;");
	/* Nothing raw got through. */
	assert_lacks(xml, "<&>");
	assert_lacks(xml, "<grandes>");
	free(xml);
	result_free(&a);
	result_free(&b);
}

static void test_junit_empty(void **state)
{
	struct junit_args args = {NULL, NULL, 0};
	char *xml;

	(void)state;
	xml = render(junit_fn, &args);
	assert_xml_ok(xml);
	assert_contains(xml, "tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\"");
	free(xml);
}

/* ---- TAP ---- */

static void tap_fn(FILE *f, const void *arg)
{
	report_tap(f, arg);
}

/* The lines of text, NULL-terminated; free the array and its first item. */
static char **split_lines(char *text)
{
	size_t n = 0, cap = 8;
	char **v = xmalloc(cap * sizeof(*v));
	char *p = text;

	while (*p) {
		char *nl = strchr(p, '\n');
		if (n + 2 > cap)
			v = xrealloc(v, (cap *= 2) * sizeof(*v));
		v[n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	v[n] = NULL;
	return v;
}

/* The value of a YAML double-quoted scalar, unescaped; NULL if the quoting
 * is not what YAML 1.2 accepts on one line. */
static char *yaml_unquote(const char *s)
{
	struct buf b = {0};

	if (*s++ != '"')
		return NULL;
	for (; *s && *s != '"'; s++) {
		unsigned long cp;
		char hex[9] = {0};
		size_t digits;

		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			goto bad;
		if (*s != '\\') {
			buf_append(&b, s, 1);
			continue;
		}
		switch (*++s) {
		case 'n':
			buf_puts(&b, "\n");
			continue;
		case 't':
			buf_puts(&b, "\t");
			continue;
		case 'r':
			buf_puts(&b, "\r");
			continue;
		case '"':
		case '\\':
			buf_append(&b, s, 1);
			continue;
		case 'x':
			digits = 2;
			break;
		case 'u':
			digits = 4;
			break;
		default:
			goto bad;
		}
		if (strspn(s + 1, "0123456789abcdefABCDEF") < digits)
			goto bad;
		memcpy(hex, s + 1, digits);
		cp = strtoul(hex, NULL, 16);
		utf8_put(&b, (uint32_t)cp);
		s += digits;
	}
	if (*s != '"' || s[1])
		goto bad;
	return buf_steal(&b);
bad:
	buf_free(&b);
	return NULL;
}

/* The YAML line "  key: ..." in lines, unquoted, must equal want made
 * valid UTF-8. */
static void assert_yaml(char **lines, const char *key, const char *want)
{
	char *prefix = xasprintf("  %s: ", key);
	char *clean = utf8_valid_dup(want);

	for (; *lines; lines++) {
		char *got;
		if (strncmp(*lines, prefix, strlen(prefix)) != 0)
			continue;
		got = yaml_unquote(*lines + strlen(prefix));
		if (!got)
			fail_msg("badly quoted YAML: %s", *lines);
		assert_string_equal(got, clean);
		free(got);
		free(prefix);
		free(clean);
		return;
	}
	fail_msg("no YAML key %s", key);
}

static size_t index_of(char **lines, const char *line)
{
	for (size_t i = 0; lines[i]; i++)
		if (strcmp(lines[i], line) == 0)
			return i;
	fail_msg("no line \"%s\"", line);
	return 0;
}

static void test_yaml_unquote_is_strict(void **state)
{
	char *s;

	(void)state;
	s = yaml_unquote("\"a\\\\b\\\"c\\n\\x01\\u00e9\"");
	assert_non_null(s);
	assert_string_equal(s, "a\\b\"c\n\x01\xc3\xa9");
	free(s);
	assert_null(yaml_unquote("\"a\"b\""));
	assert_null(yaml_unquote("\"a\\q\""));
	assert_null(yaml_unquote("\"a\x01\""));
	assert_null(yaml_unquote("\"open"));
	assert_null(yaml_unquote("'single'"));
}

static void test_tap_mixed(void **state)
{
	struct result r;
	char *text, **lines;
	size_t i, points = 0;

	(void)state;
	make_mixed(&r);
	text = render(tap_fn, &r);
	assert_clean_text(text, 0, 0);
	lines = split_lines(text);
	assert_string_equal(lines[0], "TAP version 14");
	assert_string_equal(lines[1], "1..4");
	/* Hash and backslash escaped, so neither starts a directive. */
	index_of(lines, "ok 1 - Responde \\# con \\\\ eco [eco]");
	i = index_of(lines, "not ok 2 - Muchos datos <grandes> & \"raros\" [grande]");
	assert_string_equal(lines[i + 1], "  ---");
	assert_string_equal(lines[i + 2],
	                    "  message: \"Llegó <&>\\x01 y " FFFD FFFD " fin\\nsegunda línea\"");
	assert_yaml(lines + i, "message", NASTY_MESSAGE);
	assert_yaml(lines + i, "verdict", "wrong_behaviour");
	assert_yaml(lines + i, "expected", NASTY_EXPECTED);
	assert_yaml(lines + i, "received", NASTY_RECEIVED);
	assert_yaml(lines + i, "hint", NASTY_HINT);
	index_of(lines + i, "  score: 0");
	index_of(lines + i, "  max_score: 3");
	/* The error: not ok, and its id is no TODO directive. */
	i = index_of(lines, "not ok 3 - todos reciben [todos]");
	assert_string_equal(lines[i - 1], "  ...");
	assert_yaml(lines + i, "message", "Se acabó el tiempo");
	assert_yaml(lines + i, "verdict", "time_limit");
	index_of(lines + i, "  max_score: 1");
	i = index_of(lines, "ok 4 - Omitida [omitida] # SKIP Not run \\# because" FFFD "now  ok");
	assert_string_equal(lines[i - 1], "  ...");
	/* A skip has no YAML block, and the score closes the stream. */
	assert_string_equal(lines[i + 1], "# Score: 2/7");
	assert_null(lines[i + 2]);
	for (i = 0; lines[i]; i++)
		points += strncmp(lines[i], "ok ", 3) == 0 || strncmp(lines[i], "not ok ", 7) == 0;
	assert_int_equal(points, 4);
	free(lines);
	free(text);
	result_free(&r);
}

static void test_tap_build_failed(void **state)
{
	struct result r;
	char *text, **lines;
	size_t i;

	(void)state;
	make_broken_build(&r);
	text = render(tap_fn, &r);
	assert_clean_text(text, 0, 0);
	lines = split_lines(text);
	assert_string_equal(lines[1], "1..3");
	i = index_of(lines, "not ok 1 - Compilation [build]");
	assert_string_equal(lines[i + 1], "  ---");
	assert_yaml(lines + i, "message", "Your code does not compile.");
	assert_yaml(lines + i, "first_error", r.build.first_error);
	assert_yaml(lines + i, "log", r.build.log);
	index_of(lines, "ok 2 - Eco UDP [eco] # SKIP Not run: your code does not compile.");
	index_of(lines,
	         "ok 3 - Varios clientes [varios] # SKIP Not run: your code does not compile.");
	index_of(lines, "# Score: 0/5");
	free(lines);
	free(text);
	result_free(&r);
}

/* ---- Gradescope ---- */

struct gs_args {
	const struct result *const *rs;
	size_t n;
	double secs;
};

static void gs_fn(FILE *f, const void *arg)
{
	const struct gs_args *a = arg;

	report_gradescope(f, a->rs, a->n, a->secs);
}

static const cJSON *field(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!v)
		fail_msg("JSON has no \"%s\"", key);
	return v;
}

static const char *str_field(const cJSON *o, const char *key)
{
	const cJSON *v = field(o, key);

	if (!cJSON_IsString(v))
		fail_msg("\"%s\" is not a string", key);
	return v->valuestring;
}

static double num_field(const cJSON *o, const char *key)
{
	const cJSON *v = field(o, key);

	if (!cJSON_IsNumber(v))
		fail_msg("\"%s\" is not a number", key);
	return v->valuedouble;
}

static void test_gradescope_two_lessons(void **state)
{
	struct result a, b;
	const struct result *rs[2] = {&a, &b};
	struct gs_args args = {rs, 2, 12.5};
	static const char *const numbers[] = {"3.1", "3.2", "3.3", "3.4", "5.0", "5.1", "5.2"};
	static const char *const statuses[] = {"passed", "failed", "failed", "failed",
	                                       "failed", "failed", "failed"};
	char *text;
	cJSON *j;
	const cJSON *tests, *t;
	double sum = 0, max_sum = 0;
	int k = 0;

	(void)state;
	make_mixed(&a);
	make_broken_build(&b);
	text = render(gs_fn, &args);
	assert_clean_text(text, 1, 1); /* cJSON_Print indents with tabs */
	j = cJSON_Parse(text);
	assert_non_null(j);
	assert_true(num_field(j, "score") == 2);
	assert_true(num_field(j, "execution_time") == 12.5);
	assert_string_equal(str_field(j, "visibility"), "visible");
	assert_non_null(str_field(j, "stdout_visibility"));
	assert_contains(str_field(j, "output"), "lesson03");
	assert_contains(str_field(j, "output"), "lesson05");
	assert_contains(str_field(j, "output"), "Score: 2/7");
	assert_contains(str_field(j, "output"), "Your code does not compile.");
	assert_contains(str_field(j, "output"), "Total score: 2/12");
	tests = field(j, "tests");
	assert_int_equal(cJSON_GetArraySize(tests), 7);
	cJSON_ArrayForEach (t, tests) {
		assert_string_equal(str_field(t, "number"), numbers[k]);
		assert_string_equal(str_field(t, "status"), statuses[k]);
		assert_string_equal(str_field(t, "visibility"), "visible");
		sum += num_field(t, "score");
		max_sum += num_field(t, "max_score");
		k++;
	}
	/* Scores add up to the total; the build is worth nothing of its own. */
	assert_true(sum == 2);
	assert_true(max_sum == 12);
	t = cJSON_GetArrayItem(tests, 0);
	assert_string_equal(str_field(t, "name"), "lesson03 · Responde # con \\ eco");
	assert_string_equal(str_field(t, "output"), "");
	t = cJSON_GetArrayItem(tests, 1);
	assert_string_equal(str_field(t, "name"), "lesson03 · Muchos datos <grandes> & \"raros\"");
	assert_true(num_field(t, "max_score") == 3);
	assert_contains(str_field(t, "output"), "Llegó <&>\x01 y " FFFD FFFD " fin\nsegunda línea");
	assert_contains(str_field(t, "output"), "Expected: \"" NASTY_EXPECTED "\"");
	assert_contains(str_field(t, "output"), "Received: \"\x01\x7f" FFFD "(\"");
	assert_contains(str_field(t, "output"), "Hint: " NASTY_HINT);
	t = cJSON_GetArrayItem(tests, 4);
	assert_string_equal(str_field(t, "name"), "lesson05 · Compilation");
	assert_true(num_field(t, "score") == 0);
	assert_contains(str_field(t, "output"), "Your code does not compile.");
	assert_contains(str_field(t, "output"), "expected ';' before '<' token " FFFD);
	cJSON_Delete(j);
	free(text);
	result_free(&a);
	result_free(&b);
}

static void test_gradescope_one_lesson_plain_names(void **state)
{
	struct result a;
	const struct result *rs[1] = {&a};
	struct gs_args args = {rs, 1, 0};
	char *text;
	cJSON *j;

	(void)state;
	make_mixed(&a);
	text = render(gs_fn, &args);
	j = cJSON_Parse(text);
	assert_non_null(j);
	assert_string_equal(str_field(cJSON_GetArrayItem(field(j, "tests"), 0), "name"),
	                    "Responde # con \\ eco");
	assert_lacks(str_field(j, "output"), "Total");
	cJSON_Delete(j);
	free(text);
	result_free(&a);
}

/* ---- GitHub Classroom ---- */

static void gh_fn(FILE *f, const void *arg)
{
	report_github(f, arg);
}

static void test_github_mixed(void **state)
{
	static const char *const statuses[] = {"pass", "fail", "error", "error"};
	struct result r;
	char *text;
	cJSON *j;
	const cJSON *tests, *t;
	double sum = 0;
	int k = 0;

	(void)state;
	make_mixed(&r);
	text = render(gh_fn, &r);
	assert_clean_text(text, 0, 1);
	/* One line, as a workflow step base64-encodes it. */
	assert_int_equal(strchr(text, '\n') - text + 1, (long)strlen(text));
	j = cJSON_Parse(text);
	assert_non_null(j);
	assert_true(num_field(j, "version") == 1);
	assert_string_equal(str_field(j, "status"), "error");
	assert_true(num_field(j, "max_score") == 7);
	tests = field(j, "tests");
	assert_int_equal(cJSON_GetArraySize(tests), 4);
	cJSON_ArrayForEach (t, tests) {
		assert_string_equal(str_field(t, "status"), statuses[k]);
		sum += num_field(t, "score");
		assert_non_null(str_field(t, "name"));
		assert_non_null(str_field(t, "test_code"));
		assert_non_null(str_field(t, "filename"));
		num_field(t, "line_no");
		num_field(t, "execution_time");
		k++;
	}
	assert_true(sum == 2);
	t = cJSON_GetArrayItem(tests, 1);
	assert_string_equal(str_field(t, "name"), "Muchos datos <grandes> & \"raros\"");
	assert_contains(str_field(t, "message"), "Expected: \"" NASTY_EXPECTED "\"");
	assert_contains(str_field(t, "message"), "Llegó <&>\x01 y " FFFD FFFD);
	assert_string_equal(str_field(t, "test_code"), "./servidor 8888 &\nnc 127.0.0.1 8888");
	assert_true(num_field(t, "execution_time") == 1.234);
	assert_string_equal(str_field(cJSON_GetArrayItem(tests, 0), "message"), "");
	cJSON_Delete(j);
	free(text);

	/* Without the error and the skip, the run fails rather than errs. */
	test_result_free(&r.tests[2]);
	test_result_free(&r.tests[3]);
	r.ntests = 2;
	result_finish(&r);
	text = render(gh_fn, &r);
	j = cJSON_Parse(text);
	assert_non_null(j);
	assert_string_equal(str_field(j, "status"), "fail");
	assert_true(num_field(j, "max_score") == 5);
	cJSON_Delete(j);
	free(text);
	result_free(&r);
}

static void test_github_build_failed(void **state)
{
	struct result r;
	char *text;
	cJSON *j;
	const cJSON *tests, *t;

	(void)state;
	make_broken_build(&r);
	text = render(gh_fn, &r);
	assert_clean_text(text, 0, 1);
	j = cJSON_Parse(text);
	assert_non_null(j);
	assert_string_equal(str_field(j, "status"), "error");
	assert_true(num_field(j, "max_score") == 5);
	tests = field(j, "tests");
	assert_int_equal(cJSON_GetArraySize(tests), 3);
	t = cJSON_GetArrayItem(tests, 0);
	assert_string_equal(str_field(t, "name"), "Compilation");
	assert_string_equal(str_field(t, "status"), "error");
	assert_true(num_field(t, "score") == 0);
	assert_contains(str_field(t, "message"), "Fix this one first: servidor.c:3:1: error:");
	assert_contains(str_field(t, "message"), "    3 | int x <");
	t = cJSON_GetArrayItem(tests, 1);
	assert_string_equal(str_field(t, "status"), "error");
	assert_contains(str_field(t, "message"), "Not run: your code does not compile.");
	cJSON_Delete(j);
	free(text);
	result_free(&r);
}

/* ---- shared text ---- */

static void test_test_text(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	set_test(&t, "a", "A", ST_FAIL, 0, 1, 0);
	t.message = xstrdup("Mal.");
	t.received = xstrdup("");
	text = report_test_text(&t);
	assert_string_equal(text, "Mal.\nReceived: (nothing)");
	free(text);
	test_result_free(&t);
	set_test(&t, "a", "A", ST_FAIL, 0, 1, 0);
	text = report_test_text(&t);
	assert_string_equal(text, "");
	free(text);
	test_result_free(&t); /* The cause comes right after the message, before the bytes. */
	set_test(&t, "a", "A", ST_FAIL, 0, 1, 0);
	t.message = xstrdup("Mal.");
	t.cause = xstrdup("byte_order");
	t.explanation = xstrdup("Bytes al revés.");
	t.expected = xstrdup("80");
	text = report_test_text(&t);
	assert_string_equal(text, "Mal.\nCause: Bytes al revés.\nExpected: \"80\"");
	free(text);
	test_result_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_xml_checker_catches),
	        cmocka_unit_test(test_junit_counts_and_escaping),
	        cmocka_unit_test(test_junit_empty),
	        cmocka_unit_test(test_yaml_unquote_is_strict),
	        cmocka_unit_test(test_tap_mixed),
	        cmocka_unit_test(test_tap_build_failed),
	        cmocka_unit_test(test_gradescope_two_lessons),
	        cmocka_unit_test(test_gradescope_one_lesson_plain_names),
	        cmocka_unit_test(test_github_mixed),
	        cmocka_unit_test(test_github_build_failed),
	        cmocka_unit_test(test_test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
