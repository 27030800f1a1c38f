/* test_report_human.c - unit tests for the report a learner reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* report_human.o is left out of this test's link: its statics are reached here. */
#include "../../src/report_human.c"

/* The tests never call setlocale, so gettext gives the English msgids. */

/* ---- building results and reading the report ---- */

static void make_test(struct test_result *t, enum status status)
{
	memset(t, 0, sizeof(*t));
	t->id = xstrdup("eco");
	t->name = xstrdup("Responde con el eco");
	t->status = status;
	t->verdict = status == ST_PASS ? V_NONE : V_WRONG;
	t->max_score = 1;
	t->score = status == ST_PASS;
}

/* A wrong answer; expected and received are escaped text (escape.h), or NULL. */
static void make_wrong(struct test_result *t, const char *expected, const char *received)
{
	make_test(t, ST_FAIL);
	t->message = xstrdup("Connection c1 received something other than expected.");
	t->expected = expected ? xstrdup(expected) : NULL;
	t->received = received ? xstrdup(received) : NULL;
}

/* report_human_test into a string, colour off. */
static char *report(const struct test_result *t, int verbose)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct report rp = {f, 0, verbose};

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

static void assert_lacks(const char *text, const char *part)
{
	if (strstr(text, part))
		fail_msg("\"%s\" should not be in:\n%s", part, text);
}

/* A copy of the first line whose text, after its indentation, starts with
 * start; fails when there is none. */
static char *line_starting(const char *text, const char *start)
{
	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		size_t ind = strspn(p, " ");

		if (ind < len && strncmp(p + ind, start, strlen(start)) == 0)
			return xstrndup(p, len);
		if (!end)
			break;
		p = end + 1;
	}
	fail_msg("no line starting with \"%s\" in:\n%s", start, text);
	return NULL;
}

/* A copy of the line after the first line that contains part. */
static char *line_after(const char *text, const char *part)
{
	const char *p = strstr(text, part), *end;

	if (!p)
		fail_msg("\"%s\" not found in:\n%s", part, text);
	p = strchr(p, '\n');
	assert_non_null(p);
	p++;
	end = strchr(p, '\n');
	return xstrndup(p, end ? (size_t)(end - p) : strlen(p));
}

/* The column of the caret marking the first difference (a line of spaces
 * and one ^), or -1 when there is none. */
static long caret_column(const char *text)
{
	for (const char *p = text; *p;) {
		size_t ind = strspn(p, " ");

		if (p[ind] == '^' && (p[ind + 1] == '\n' || p[ind + 1] == '\0'))
			return (long)ind;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return -1;
}

/* The terminal column where part starts in line (its first time). */
static long column_of(const char *line, const char *part)
{
	const char *p = strstr(line, part);

	if (!p)
		fail_msg("\"%s\" not found in line:\n%s", part, line);
	return (long)utf8_columns(line, (size_t)(p - line));
}

/* The same, for the last time part is in line (a closing quote). */
static long column_of_last(const char *line, const char *part)
{
	const char *p = strstr(line, part), *q;

	if (!p)
		fail_msg("\"%s\" not found in line:\n%s", part, line);
	while ((q = strstr(p + 1, part)))
		p = q;
	return (long)utf8_columns(line, (size_t)(p - line));
}

/* The caret stands right under the differing character on both lines. */
static void check_caret(const char *text, const char *expected_at, const char *received_at)
{
	char *e = line_starting(text, "Expected:");
	char *g = line_starting(text, "Received:");
	long col = caret_column(text);

	if (col != column_of_last(e, expected_at) || col != column_of_last(g, received_at))
		fail_msg("caret at column %ld, not under \"%s\" / \"%s\":\n%s", col, expected_at,
		         received_at, text);
	free(e);
	free(g);
}

/* ---- the caret under the first difference ---- */

static void test_caret_ascii(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	make_wrong(&t, "hola mundo\\n", "hola mando\\n");
	text = report(&t, 0);
	assert_contains(text, "\"hola mundo\\n\"");
	assert_contains(text, "\"hola mando\\n\"");
	check_caret(text, "undo", "ando");
	free(text);
	test_result_free(&t);
}

static void test_caret_accented(void **state)
{
	struct test_result t;
	char *text, *g;

	(void)state;
	/* ¿ and é take two bytes each but one column: the caret counts columns. */
	make_wrong(&t, "¿Qué tal? bien", "¿Qué tal? bian");
	text = report(&t, 0);
	check_caret(text, "en\"", "an\"");
	g = line_starting(text, "Received:");
	assert_int_equal(caret_column(text), column_of(g, "\"") + 1 + 12);
	assert_int_not_equal(caret_column(text), column_of(g, "\"") + 1 + 14);
	free(g);
	free(text);
	test_result_free(&t);

	/* The differing character itself two bytes long. */
	make_wrong(&t, "Servidor recibió: árbol", "Servidor recibio: árbol");
	text = report(&t, 0);
	check_caret(text, "ó: á", "o: á");
	free(text);
	test_result_free(&t);
}

static void test_caret_wide(void **state)
{
	struct test_result t;
	char *text, *g;

	(void)state;
	/* An emoji takes two columns, and so does a CJK character. */
	make_wrong(&t, "ok 🦜🦜 fin", "ok 🦜🦁 fin");
	text = report(&t, 0);
	check_caret(text, "🦜 fin", "🦁");
	g = line_starting(text, "Received:");
	assert_int_equal(caret_column(text), column_of(g, "\"") + 1 + 5);
	free(g);
	free(text);
	test_result_free(&t);

	make_wrong(&t, "日本語 1", "日本語 2");
	text = report(&t, 0);
	check_caret(text, "1\"", "2\"");
	g = line_starting(text, "Received:");
	assert_int_equal(caret_column(text), column_of(g, "\"") + 1 + 7);
	free(g);
	free(text);
	test_result_free(&t);
}

static void test_caret_after_escapes(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	/* Escapes are shown as they are written: \r\n takes four columns. */
	make_wrong(&t, "a\\r\\nb\\tc", "a\\r\\nb\\td");
	text = report(&t, 0);
	check_caret(text, "c\"", "d\"");
	free(text);
	test_result_free(&t);
}

/* ---- the first difference in words ---- */

static void test_sentence_names_bytes(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	make_wrong(&t, "hola mundo\\n", "hola mando\\n");
	text = report(&t, 0);
	assert_contains(text, "The first 6 bytes are the same; then «u» (0x75) was expected, and "
	                      "«a» (0x61) arrived.");
	free(text);
	test_result_free(&t);

	make_wrong(&t, "Servidor recibió", "Servidor recibio");
	text = report(&t, 0);
	assert_contains(text, "The first 15 bytes are the same; then «ó» (0xc3 0xb3) was "
	                      "expected, and «o» (0x6f) arrived.");
	free(text);
	test_result_free(&t);

	/* The emojis share three bytes; the sentence counts whole characters. */
	make_wrong(&t, "ok 🦜🦜 fin", "ok 🦜🦁 fin");
	text = report(&t, 0);
	assert_contains(text, "The first 7 bytes are the same; then «🦜» (0xf0 0x9f 0xa6 0x9c) "
	                      "was expected, and «🦁» (0xf0 0x9f 0xa6 0x81) arrived.");
	free(text);
	test_result_free(&t);

	make_wrong(&t, "a1", "a2");
	text = report(&t, 0);
	assert_contains(text, "The first 1 byte is the same; then «1» (0x31)");
	free(text);
	test_result_free(&t);
}

static void test_sentence_shorter_longer(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	make_wrong(&t, "hola mundo", "hola");
	text = report(&t, 0);
	assert_contains(text, "The first 4 bytes are the same; then « » (0x20) was expected, and "
	                      "nothing more arrived.");
	check_caret(text, " mundo", "\"");
	free(text);
	test_result_free(&t);

	make_wrong(&t, "hola", "hola mundo");
	text = report(&t, 0);
	assert_contains(text, "The first 4 bytes are the same; then « » (0x20) arrived, and "
	                      "nothing more was expected.");
	check_caret(text, "\"", " mundo");
	free(text);
	test_result_free(&t);
}

static void test_sentence_missing_newline(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	make_wrong(&t, "200 OK\\r\\n", "200 OK\\r");
	text = report(&t, 0);
	assert_contains(text, "The first 7 bytes are the same; then «\\n» (0x0a) was expected, "
	                      "and nothing more arrived.");
	check_caret(text, "\\n\"", "\"");
	free(text);
	test_result_free(&t);
}

static void test_sentence_when_cut_alike(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	/* What the checker kept of the answer is alike: no caret, no guess. */
	make_wrong(&t, "abc", "abc… (5 more bytes)");
	text = report(&t, 0);
	assert_contains(text, "\"abc\" … (5 more bytes)");
	assert_contains(text, "The 3 bytes shown are the same on both sides.");
	assert_int_equal(caret_column(text), -1);
	free(text);
	test_result_free(&t);
}

static void test_received_nothing(void **state)
{
	struct test_result t;
	char *text, *g;

	(void)state;
	make_wrong(&t, "hola\\n", "");
	text = report(&t, 0);
	g = line_starting(text, "Received:");
	assert_contains(g, "(nothing)");
	assert_int_equal(caret_column(text), -1);
	free(g);
	free(text);
	test_result_free(&t);
}

/* ---- long lines: a window around the difference ---- */

/* "c00=v;c01=v;..." with field 'diff' holding w instead of v when set. */
static char *fields(int n, int diff)
{
	struct buf b = {0};

	for (int i = 0; i < n; i++)
		buf_printf(&b, "c%02d=%c;", i, i == diff ? 'w' : 'v');
	return buf_steal(&b);
}

static void test_long_line_window(void **state)
{
	struct test_result t;
	char *e = fields(30, -1), *g = fields(30, 25), *text, *le, *lg;

	(void)state;
	make_wrong(&t, e, g);
	text = report(&t, 0);
	le = line_starting(text, "Expected:");
	lg = line_starting(text, "Received:");
	/* Not the start of the line, but what leads to the difference. */
	assert_lacks(le, "c00=");
	assert_lacks(lg, "c00=");
	assert_contains(le, "c24=v;c25=v;c26");
	assert_contains(lg, "c24=v;c25=w;c26");
	/* «…» where the window cuts, not a quote. */
	assert_int_equal(column_of(le, "…"), column_of(le, "Expected:") + 11);
	assert_contains(lg, "Received:  …");
	check_caret(text, "v;c26", "w;c26");
	assert_contains(text, "The first 154 bytes are the same; then «v» (0x76) was expected");
	/* No wider than the label and 72 columns with its two marks. */
	assert_true(utf8_columns(le, strlen(le)) <= 4 + 11 + 72 + 2);
	free(le);
	free(lg);
	free(text);
	test_result_free(&t);
	free(e);
	free(g);
}

static void test_long_line_difference_near_start(void **state)
{
	struct test_result t;
	char *e = fields(30, -1), *g = fields(30, 1), *text, *le;

	(void)state;
	make_wrong(&t, e, g);
	text = report(&t, 0);
	le = line_starting(text, "Expected:");
	/* The start is shown, the end cut with «…». */
	assert_contains(le, "Expected:  \"c00=v;c01=v;");
	assert_int_equal(strcmp(le + strlen(le) - strlen("…"), "…"), 0);
	assert_lacks(le, "c29=");
	check_caret(text, "v;c02", "w;c02");
	free(le);
	free(text);
	test_result_free(&t);
	free(e);
	free(g);
}

static void test_long_line_window_wide(void **state)
{
	struct test_result t;
	struct buf b = {0};
	char *e, *text;

	(void)state;
	/* 60 CJK characters, the difference, 60 emojis: columns, not bytes. */
	for (int i = 0; i < 60; i++)
		buf_puts(&b, "日");
	buf_puts(&b, "X");
	for (int i = 0; i < 60; i++)
		buf_puts(&b, "🦜");
	e = xstrdup(b.data);
	b.data[60 * 3] = 'Y';
	make_wrong(&t, e, b.data);
	text = report(&t, 0);
	check_caret(text, "X🦜", "Y🦜");
	assert_contains(text, "The first 180 bytes are the same; then «X» (0x58)");
	free(text);
	test_result_free(&t);
	buf_free(&b);
	free(e);
}

/* ---- binary data: a hexdump of both sides ---- */

static void test_hexdump_binary(void **state)
{
	struct test_result t;
	char *text, *row, *mark, *after;

	(void)state;
	make_wrong(&t, "\\x00\\x01\\x02\\x03abcdefgh\\x00\\x00\\xff\\x10",
	           "\\x00\\x01\\x02\\x03abcdefgh\\x00\\x01\\xff\\x10");
	text = report(&t, 0);
	assert_contains(text, "The bytes around the first difference (offset, hex, text):");
	assert_contains(text, "Expected:  00 01 02 03 61 62 63 64  |....abcd|");
	assert_contains(text, "Received:  00 01 02 03 61 62 63 64  |....abcd|");
	row = line_starting(text, "8  Expected:");
	assert_contains(row, "65 66 67 68 00 00 ff 10  |efgh....|");
	free(row);
	row = line_starting(text, "Received:  65 66");
	assert_contains(row, "65 66 67 68 00 01 ff 10");
	/* The mark is on the line after the row that differs, under its byte. */
	mark = line_after(text, "Received:  65 66");
	assert_int_equal(column_of(mark, "^^"), column_of(row, "01 ff 10"));
	after = line_after(text, "Received:  00 01 02 03");
	assert_lacks(after, "^");
	/* The sentence says which bytes. */
	assert_contains(text, "then «\\x00» (0x00) was expected, and «\\x01» (0x01) arrived.");
	free(after);
	free(mark);
	free(row);
	free(text);
	test_result_free(&t);
}

static void test_hexdump_shorter_side(void **state)
{
	struct test_result t;
	char *text, *row;

	(void)state;
	make_wrong(&t, "\\xff\\xfe\\xfd\\x00\\x01\\x02\\x03\\x04\\x05\\x06",
	           "\\xff\\xfe\\xfd\\x00");
	text = report(&t, 0);
	assert_contains(text, "then «\\x01» (0x01) was expected, and nothing more arrived.");
	row = line_starting(text, "Received:  ff fe fd 00");
	assert_contains(row, "|....|");
	free(row);
	/* The second row: expected has bytes there, received nothing. */
	row = line_after(text, "Expected:  05 06");
	assert_contains(row, "Received:");
	assert_contains(row, "(nothing)");
	free(row);
	free(text);
	test_result_free(&t);
}

static void test_text_has_no_hexdump(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	/* A stray escaped byte or two is still text. */
	make_wrong(&t, "hola\\xff mundo", "hola\\xfe mundo");
	text = report(&t, 0);
	assert_lacks(text, "offset, hex, text");
	check_caret(text, "\\xff", "\\xfe");
	free(text);
	test_result_free(&t);

	/* A single NUL is enough to make it binary. */
	make_wrong(&t, "a\\x00b", "a\\x00c");
	text = report(&t, 0);
	assert_contains(text, "offset, hex, text");
	free(text);
	test_result_free(&t);
}

/* ---- a regex is a pattern, not bytes ---- */

static void test_regex_has_no_caret(void **state)
{
	/* Each shares a beginning with what arrived: as bytes, they would
	 * differ after it. */
	static const char *const patterns[] = {
	        "^HTTP/1\\\\.[01] 200", /* ^HTTP/1\.[01] 200, escaped */
	        "HTTP/1\\\\.[01] 200",  /* no anchor, an escaped dot */
	        "HTTP/1.1 [0-9]+ OK",   "HTTP/1.1 .*OK", "HTTP/1.1 200 OK$",
	};
	struct test_result t;
	char *text;

	(void)state;
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		make_wrong(&t, patterns[i], "HTTP/1.1 404 Not Found");
		t.expected_pattern = 1; /* the steps mark what they show of a regex */
		text = report(&t, 0);
		assert_contains(text, "Expected:");
		assert_contains(text, "a pattern, not exact bytes");
		assert_contains(text, "\"HTTP/1.1 404 Not Found\"");
		assert_int_equal(caret_column(text), -1);
		assert_lacks(text, "are the same");
		assert_lacks(text, "is the same");
		free(text);
		test_result_free(&t);
	}
}

/* ---- -v ---- */

static void test_verbose_passing_transcript(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	make_test(&t, ST_PASS);
	test_result_event(&t, 0, "", "start", "./servidor 8888");
	test_result_event(&t, 3, "c1", "connect", NULL);
	test_result_event(&t, 5, "c1", "send", "hola\\n");
	test_result_event(&t, 7, "c1", "recv", "hola\\n");
	text = report(&t, 0);
	assert_lacks(text, "What happened:");
	assert_lacks(text, "hola");
	/* One line for a pass. */
	assert_int_equal(strchr(text, '\n') - text + 1, (long)strlen(text));
	free(text);
	text = report(&t, 1);
	assert_contains(text, "What happened:");
	assert_contains(text, "./servidor 8888");
	assert_contains(text, "checker → \"hola\\n\"");
	assert_contains(text, "← your program \"hola\\n\"");
	free(text);
	test_result_free(&t);
}

static void test_verbose_transcript_not_cut(void **state)
{
	struct test_result t;
	char data[300], *text;

	(void)state;
	make_test(&t, ST_FAIL);
	memset(data, 'x', 250);
	strcpy(data + 250, "FIN");
	test_result_event(&t, 0, "c1", "recv", data);
	for (int i = 0; i < 50; i++)
		test_result_event(&t, i, "c1", "send", "ev");
	text = report(&t, 0);
	assert_lacks(text, "FIN");
	assert_contains(text, "… 11 more lines …");
	free(text);
	text = report(&t, 1);
	assert_contains(text, "xxxFIN\"");
	assert_lacks(text, "more lines");
	free(text);
	test_result_free(&t);
}

/* ---- the program's output ---- */

static void test_output_long_line_cut(void **state)
{
	struct test_result t;
	char line[400], *text, *l;

	(void)state;
	make_test(&t, ST_FAIL);
	memset(line, 'a', 300);
	strcpy(line + 300, "\ncorta\n");
	t.out = xstrdup(line);
	text = report(&t, 0);
	l = line_starting(text, "| aaa");
	assert_contains(l, "… (180 more bytes)");
	assert_int_equal(utf8_columns(l, strlen(l)),
	                 utf8_columns("      | ", 8) + 120 +
	                         utf8_columns("… (180 more bytes)", strlen("… (180 more bytes)")));
	assert_contains(text, "| corta\n");
	free(l);
	free(text);
	text = report(&t, 1);
	assert_lacks(text, "more bytes");
	assert_contains(text, "| corta\n");
	l = line_starting(text, "| aaa");
	assert_int_equal(strlen(l), strlen("      | ") + 300);
	free(l);
	free(text);
	test_result_free(&t);
}

static void test_output_cut_counts_bytes(void **state)
{
	struct test_result t;
	char line[400], *text;

	(void)state;
	/* What is left out is counted in bytes of the output, whatever the
	 * characters where the cut falls and where the line ends. */
	make_test(&t, ST_FAIL);
	memset(line, 'a', 121);
	strcpy(line + 121, "é\n"); /* 1 + 2 bytes left out */
	t.out = xstrdup(line);
	text = report(&t, 0);
	assert_contains(text, "… (3 more bytes)");
	free(text);
	free(t.out);
	memset(line, 'a', 120);
	strcpy(line + 120, "ñb\n"); /* 2 + 1 */
	t.out = xstrdup(line);
	text = report(&t, 0);
	assert_contains(text, "… (3 more bytes)");
	free(text);
	free(t.out);
	memset(line, 'a', 120);
	strcpy(line + 120, "\\x01\\x02\n"); /* two escaped bytes */
	t.out = xstrdup(line);
	text = report(&t, 0);
	assert_contains(text, "… (2 more bytes)");
	free(text);
	test_result_free(&t);
}

static void test_output_cut_note(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	make_test(&t, ST_FAIL);
	t.out = xstrdup("[… 500 earlier bytes not shown]\núltima línea\n");
	text = report(&t, 0);
	/* The checker's note stands apart from the program's lines. */
	assert_contains(text, "\n      [… 500 earlier bytes not shown]\n");
	assert_lacks(text, "| […");
	assert_contains(text, "| última línea\n");
	free(text);
	free(t.out);
	/* A program's own line that only starts like the note is its own. */
	t.out = xstrdup("[… hola]\nadiós\n");
	text = report(&t, 0);
	assert_contains(text, "| [… hola]\n");
	assert_contains(text, "| adiós\n");
	free(text);
	test_result_free(&t);
}

/* ---- the memory check ---- */

/* A program's stderr: its own lines, then AddressSanitizer's report. */
static const char asan_errout[] =
        "aviso: cliente 1 conectado\n"
        "aviso: leyendo 5 bytes\n"
        "=================================================================\n"
        "==4242==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000015 at "
        "pc 0x55d4c6a1b2c3 bp 0x7ffd5e8a1230 sp 0x7ffd5e8a1228\n"
        "WRITE of size 1 at 0x602000000015 thread T0\n"
        "    #0 0x55d4c6a1b2c2 in atender /tmp/box/servidor.c:42\n"
        "    #1 0x55d4c6a1b5f0 in main /tmp/box/servidor.c:88\n"
        "    #2 0x7f3a1c229d8f in __libc_start_call_main "
        "../sysdeps/nptl/libc_start_call_main.h:58\n"
        "\n"
        "0x602000000015 is located 0 bytes after 5-byte region "
        "[0x602000000010,0x602000000015)\n"
        "allocated by thread T0 here:\n"
        "    #0 0x7f3a1c4b4887 in __interceptor_malloc "
        "../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:145\n"
        "    #1 0x55d4c6a1b27a in atender /tmp/box/servidor.c:40\n"
        "\n"
        "SUMMARY: AddressSanitizer: heap-buffer-overflow /tmp/box/servidor.c:42 in atender\n"
        "Shadow bytes around the buggy address:\n"
        "  0x0c047fff7fb0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
        "=>0x0c047fff8000: fa fa[05]fa fa fa fa fa fa fa fa fa fa fa fa fa\n"
        "==4242==ABORTING\n";

static const char diagnosis[] = "Your program wrote 1 byte past the end of a block of 5 bytes.\n"
                                "  servidor.c:42, in atender():\n"
                                "      buf[n] = '\\0';\n";

static void make_asan(struct test_result *t)
{
	make_test(t, ST_FAIL);
	t->verdict = V_RUNTIME;
	t->errout = xstrdup(asan_errout);
	t->diagnosis = xstrdup(diagnosis);
}

static void test_diagnosis_hides_report(void **state)
{
	struct test_result t;
	char *text, *found, *errs;

	(void)state;
	make_asan(&t);
	text = report(&t, 0);
	found = strstr(text, "What the memory check found:");
	assert_non_null(found);
	assert_contains(text, "Your program wrote 1 byte past the end of a block of 5 bytes.");
	assert_contains(text, "      servidor.c:42, in atender():\n");
	assert_contains(text, "buf[n] = '\\0';");
	/* stderr: only what the program wrote, after the explanation. */
	errs = strstr(text, "Your program's errors (stderr):");
	assert_non_null(errs);
	assert_true(found < errs);
	assert_contains(errs, "| aviso: cliente 1 conectado\n");
	assert_contains(errs, "| aviso: leyendo 5 bytes\n");
	assert_lacks(text, "AddressSanitizer");
	assert_lacks(text, "=====");
	assert_lacks(text, "#0 0x");
	assert_lacks(text, "Shadow bytes");
	assert_lacks(text, "ABORTING");
	assert_contains(text, "(the memory check's whole report: run again with -v)");
	free(text);
	test_result_free(&t);
}

static void test_diagnosis_verbose_shows_report(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	make_asan(&t);
	text = report(&t, 1);
	assert_contains(text, "What the memory check found:");
	assert_contains(text, "| aviso: cliente 1 conectado\n");
	assert_contains(text, "| ==4242==ERROR: AddressSanitizer: heap-buffer-overflow");
	assert_contains(text, "|     #0 0x55d4c6a1b2c2 in atender /tmp/box/servidor.c:42\n");
	assert_contains(text, "| ==4242==ABORTING\n");
	assert_lacks(text, "run again with -v");
	free(text);
	test_result_free(&t);
}

static void test_diagnosis_report_alone(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	/* Nothing of the program's own on stderr: no empty section. */
	make_asan(&t);
	free(t.errout);
	t.errout = xstrdup(strstr(asan_errout, "====="));
	text = report(&t, 0);
	assert_contains(text, "What the memory check found:");
	assert_lacks(text, "Your program's errors (stderr):");
	assert_lacks(text, "AddressSanitizer");
	assert_contains(text, "run again with -v");
	free(text);
	test_result_free(&t);
}

static void test_diagnosis_without_one(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	/* No explanation: stderr as it is, the report's lines too. */
	make_asan(&t);
	free(t.diagnosis);
	t.diagnosis = NULL;
	text = report(&t, 0);
	assert_lacks(text, "What the memory check found:");
	assert_contains(text, "| ==4242==ERROR: AddressSanitizer");
	assert_lacks(text, "run again with -v");
	free(text);
	test_result_free(&t);
}

static void test_diagnosis_on_pass(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	/* Leaks fail nothing, but they are told. */
	make_test(&t, ST_PASS);
	t.diagnosis = xstrdup("Your program did not free 64 bytes reserved at servidor.c:30.");
	text = report(&t, 0);
	assert_contains(text, "✓");
	assert_contains(text, "What the memory check found:");
	assert_contains(text,
	                "      Your program did not free 64 bytes reserved at servidor.c:30.");
	free(text);
	test_result_free(&t);
}

/* ---- nothing of the program's reaches the terminal raw ---- */

/* Escape sequences, a C1 CSI, right-to-left override, line separator. */
#define NASTY                                                                                      \
	"\x1b[2J\x1b]0;owned\x07\xc2\x9b"                                                          \
	"31m\xe2\x80\xae"                                                                          \
	"evil\xe2\x80\xa8"                                                                         \
	"x"

static void assert_terminal_safe(const char *text)
{
	if (memchr(text, 0x1b, strlen(text)) || strchr(text, '\x07') || strstr(text, "\xc2\x9b") ||
	    strstr(text, "\xe2\x80\xae") || strstr(text, "\xe2\x80\xa8"))
		fail_msg("a control reached the terminal raw:\n%s", text);
}

static void test_terminal_safety(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	make_wrong(&t, "hola\\x1b[31m mundo \xe2\x80\xae", "hola" NASTY);
	free(t.message);
	t.message = xstrdup("Connection c1 received \"" NASTY "\".");
	t.out = xstrdup("salida " NASTY "\n");
	t.errout = xstrdup("error " NASTY "\n==1==ERROR: AddressSanitizer: SEGV " NASTY "\n");
	t.diagnosis = xstrdup("in atender(): " NASTY "\n");
	t.hint = xstrdup("Hint " NASTY);
	test_result_event(&t, 1, "c1", "recv", NASTY);
	test_result_event(&t, 2, "c1", "error", NASTY);
	for (int verbose = 0; verbose <= 1; verbose++) {
		text = report(&t, verbose);
		assert_terminal_safe(text);
		/* Shown escaped instead. */
		assert_contains(text, "\\x1b[2J");
		assert_contains(text, "\\xe2\\x80\\xae");
		free(text);
	}
	test_result_free(&t);

	/* A passing test's transcript, with -v. */
	make_test(&t, ST_PASS);
	test_result_event(&t, 1, "c1", "recv", NASTY);
	t.diagnosis = xstrdup(NASTY);
	text = report(&t, 1);
	assert_terminal_safe(text);
	free(text);
	test_result_free(&t);
}

static void test_terminal_safety_binary(void **state)
{
	struct test_result t;
	char *text;

	(void)state;
	/* Escaped ESC and U+202E, decoded for the comparison, shown escaped
	 * in the values, the sentence and the hexdump's text column. */
	make_wrong(&t, "a\\x1b[0m\\xe2\\x80\\xaeb", "a\\x1b[0m\\xe2\\x80\\xaec");
	text = report(&t, 0);
	assert_terminal_safe(text);
	assert_contains(text, "offset, hex, text");
	assert_contains(text, "|a.[0m...|");
	check_caret(text, "b\"", "c\"");
	free(text);
	test_result_free(&t);

	make_wrong(&t, "a\\x1bb", "a\\x1bc");
	text = report(&t, 0);
	assert_terminal_safe(text);
	free(text);
	test_result_free(&t);

	make_wrong(&t, "ab", "a\\x1b");
	text = report(&t, 0);
	assert_terminal_safe(text);
	assert_contains(text, "«\\x1b» (0x1b) arrived");
	free(text);
	test_result_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_caret_ascii),
	        cmocka_unit_test(test_caret_accented),
	        cmocka_unit_test(test_caret_wide),
	        cmocka_unit_test(test_caret_after_escapes),
	        cmocka_unit_test(test_sentence_names_bytes),
	        cmocka_unit_test(test_sentence_shorter_longer),
	        cmocka_unit_test(test_sentence_missing_newline),
	        cmocka_unit_test(test_sentence_when_cut_alike),
	        cmocka_unit_test(test_received_nothing),
	        cmocka_unit_test(test_long_line_window),
	        cmocka_unit_test(test_long_line_difference_near_start),
	        cmocka_unit_test(test_long_line_window_wide),
	        cmocka_unit_test(test_hexdump_binary),
	        cmocka_unit_test(test_hexdump_shorter_side),
	        cmocka_unit_test(test_text_has_no_hexdump),
	        cmocka_unit_test(test_regex_has_no_caret),
	        cmocka_unit_test(test_verbose_passing_transcript),
	        cmocka_unit_test(test_verbose_transcript_not_cut),
	        cmocka_unit_test(test_output_long_line_cut),
	        cmocka_unit_test(test_output_cut_counts_bytes),
	        cmocka_unit_test(test_output_cut_note),
	        cmocka_unit_test(test_diagnosis_hides_report),
	        cmocka_unit_test(test_diagnosis_verbose_shows_report),
	        cmocka_unit_test(test_diagnosis_report_alone),
	        cmocka_unit_test(test_diagnosis_without_one),
	        cmocka_unit_test(test_diagnosis_on_pass),
	        cmocka_unit_test(test_terminal_safety),
	        cmocka_unit_test(test_terminal_safety_binary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
