/* test_escape.c - unit tests for showing raw bytes to a learner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "../../src/escape.c"

#define ALL SIZE_MAX

/* escape_dup of n bytes, compared with want; frees what it made. */
static void check_escape(const char *in, size_t n, const char *want)
{
	char *got = escape_dup(in, n, ALL);

	assert_string_equal(got, want);
	free(got);
}

static void test_ascii_unchanged(void **state)
{
	const char *s = "Hola, mundo! 0123 ~{}[]<>'/";

	(void)state;
	check_escape(s, strlen(s), s);
	check_escape("", 0, "");
}

static void test_c_escapes(void **state)
{
	(void)state;
	check_escape("a\nb\rc\td\\e\"f", 11, "a\\nb\\rc\\td\\\\e\\\"f");
}

static void test_control_bytes_as_hex(void **state)
{
	(void)state;
	check_escape("\x01", 1, "\\x01");
	check_escape("a\0b", 3, "a\\x00b");
	check_escape("\x1b[31m", 5, "\\x1b[31m");
	check_escape("\x7f", 1, "\\x7f");
	check_escape("\x0b\x0c", 2, "\\x0b\\x0c");
}

static void test_invalid_utf8_as_hex(void **state)
{
	(void)state;
	/* A lone continuation byte, a lone lead byte, bytes never used. */
	check_escape("\x80", 1, "\\x80");
	check_escape("x\xc3y", 3, "x\\xc3y");
	check_escape("\xff\xfe", 2, "\\xff\\xfe");
}

static void test_valid_utf8_kept(void **state)
{
	(void)state;
	check_escape("ñ", 2, "ñ");
	check_escape("€", 3, "€");
	check_escape("🦜", 4, "🦜");
	check_escape("¿Qué tal? 日本 🦜\n", strlen("¿Qué tal? 日本 🦜\n"),
	             "¿Qué tal? 日本 🦜\\n");
	/* The last code point there is. */
	check_escape("\xf4\x8f\xbf\xbf", 4, "\xf4\x8f\xbf\xbf");
}

static void test_overlong_escaped(void **state)
{
	(void)state;
	/* NUL written in two and three bytes: a classic filter bypass. */
	check_escape("\xc0\x80", 2, "\\xc0\\x80");
	check_escape("\xc1\xbf", 2, "\\xc1\\xbf");
	check_escape("\xe0\x80\x80", 3, "\\xe0\\x80\\x80");
	check_escape("\xe0\x9f\xbf", 3, "\\xe0\\x9f\\xbf");
	check_escape("\xf0\x8f\xbf\xbf", 4, "\\xf0\\x8f\\xbf\\xbf");
}

static void test_surrogates_escaped(void **state)
{
	(void)state;
	check_escape("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");
	check_escape("\xed\xbf\xbf", 3, "\\xed\\xbf\\xbf");
	/* Just outside the surrogate range is fine. */
	check_escape("\xed\x9f\xbf", 3, "\xed\x9f\xbf");
	check_escape("\xee\x80\x80", 3, "\xee\x80\x80");
}

static void test_truncated_escaped(void **state)
{
	(void)state;
	/* € cut short at the end, and followed by ASCII too early. */
	check_escape("\xe2\x82", 2, "\\xe2\\x82");
	check_escape("\xe2\x82"
	             "a",
	             3, "\\xe2\\x82a");
	check_escape("\xf0\x9f\xa6", 3, "\\xf0\\x9f\\xa6");
	check_escape("\xc3", 1, "\\xc3");
}

static void test_beyond_unicode_escaped(void **state)
{
	(void)state;
	check_escape("\xf4\x90\x80\x80", 4, "\\xf4\\x90\\x80\\x80");
	check_escape("\xf5\x80\x80\x80", 4, "\\xf5\\x80\\x80\\x80");
	check_escape("\xf8\x88\x80\x80\x80", 5, "\\xf8\\x88\\x80\\x80\\x80");
}

static void test_max_cuts_on_character_boundary(void **state)
{
	/* a ñ b: with room for 2 bytes, ñ (2 bytes at offset 1) does not fit. */
	char *got = escape_dup("añb", 4, 2);

	(void)state;
	assert_int_equal(got[0], 'a');
	assert_int_not_equal((unsigned char)got[1], 0xc3);
	/* The summary counts the 3 hidden bytes. */
	assert_non_null(strstr(got + 1, "3"));
	free(got);

	/* Exactly enough room: everything shown, no summary. */
	got = escape_dup("añb", 4, 4);
	assert_string_equal(got, "añb");
	free(got);
}

static void test_max_counts_input_bytes(void **state)
{
	/* Three escaped bytes take 12 characters, but max is about input. */
	char *got = escape_dup("\x01\x02\x03\x04\x05", 5, 3);

	(void)state;
	assert_memory_equal(got, "\\x01\\x02\\x03", 12);
	assert_null(strstr(got, "\\x04"));
	assert_non_null(strstr(got + 12, "2"));
	free(got);

	got = escape_dup("🦜🦜", 8, 7);
	assert_memory_equal(got, "🦜", 4);
	assert_non_null(strstr(got + 4, "4"));
	assert_null(strstr(got + 4, "\\x"));
	free(got);
}

static void test_escape_bytes_appends(void **state)
{
	struct buf b = {0};

	(void)state;
	buf_puts(&b, "got: ");
	escape_bytes(&b, "x\n", 2, ALL);
	assert_string_equal(b.data, "got: x\\n");
	buf_free(&b);
}

static void test_tail_short_keeps_newlines(void **state)
{
	const char *s = "uno\ndos\r\n\x01\n";
	char *got = escape_tail(s, strlen(s), 100);

	(void)state;
	assert_string_equal(got, "uno\ndos\\r\n\\x01\n");
	free(got);
}

static void test_tail_cut_at_line_boundary(void **state)
{
	const char *s = "line1\nline2\nline3\n";
	char *got = escape_tail(s, strlen(s), 10);
	const char *body;

	(void)state;
	/* The last 10 bytes are "ne2\nline3\n": the cut moves to "line3". */
	body = strstr(got, "line3\n");
	assert_non_null(body);
	assert_string_equal(body, "line3\n");
	assert_null(strstr(got, "ne2"));
	/* A note comes first, on its own line, counting the 12 bytes left out. */
	assert_true(body > got);
	assert_int_equal(body[-1], '\n');
	assert_non_null(strstr(got, "12"));
	free(got);
}

static void test_tail_cut_on_character_boundary(void **state)
{
	/* No newline to start at: never begin in the middle of ñ. */
	const char *s = "ññññ";
	char *got = escape_tail(s, strlen(s), 3);
	size_t len = strlen(got);

	(void)state;
	assert_true(len >= 2);
	assert_string_equal(got + len - 3, "\nñ");
	assert_null(strstr(got, "\\x"));
	assert_non_null(strstr(got, "6"));
	free(got);
}

static void test_tail_not_cut_has_no_note(void **state)
{
	const char *s = "exacto\n";
	char *got = escape_tail(s, strlen(s), strlen(s));

	(void)state;
	assert_string_equal(got, s);
	free(got);
}

static void test_utf8_seq_len(void **state)
{
	(void)state;
	assert_int_equal(utf8_seq_len((const unsigned char *)"a", 1), 1);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\0", 1), 1);
	assert_int_equal(utf8_seq_len((const unsigned char *)"ñ", 2), 2);
	assert_int_equal(utf8_seq_len((const unsigned char *)"€", 3), 3);
	assert_int_equal(utf8_seq_len((const unsigned char *)"🦜", 4), 4);
	/* Only the first sequence counts. */
	assert_int_equal(utf8_seq_len((const unsigned char *)"ña", 3), 2);
	/* n limits how far it may look. */
	assert_int_equal(utf8_seq_len((const unsigned char *)"🦜", 3), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"€", 2), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\x80", 1), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xc0\x80", 2), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xe0\x80\x80", 3), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xe0\xa0\x80", 3), 3);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xed\xa0\x80", 3), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xf0\x8f\xbf\xbf", 4), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xf0\x90\x80\x80", 4), 4);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xf5\x80\x80\x80", 4), 0);
	assert_int_equal(utf8_seq_len((const unsigned char *)"\xc3"
	                                                     "a",
	                              2),
	                 0);
}

/* utf8_decode on the first bytes of s (n of them), checked against cp and len. */
static void check_decode(const char *s, size_t n, uint32_t cp, size_t len)
{
	size_t got_len = 99;

	assert_int_equal(utf8_decode((const unsigned char *)s, n, &got_len), cp);
	assert_int_equal(got_len, len);
}

static void test_utf8_decode(void **state)
{
	(void)state;
	check_decode("A", 1, 'A', 1);
	check_decode("\0", 1, 0, 1);
	check_decode("ñ", 2, 0xf1, 2);
	check_decode("€x", 4, 0x20ac, 3);
	check_decode("🦜", 4, 0x1f99c, 4);
	check_decode("\xef\xbf\xbd", 3, 0xfffd, 3);
	check_decode("\xf4\x8f\xbf\xbf", 4, 0x10ffff, 4);
	/* A byte that starts nothing valid reads as U+FFFD, one byte long, so
	 * the next byte is read on its own. */
	check_decode("\xff", 1, 0xfffd, 1);
	check_decode("\x80\x61", 2, 0xfffd, 1); /* \x61 is "a" */
	check_decode("\xc3", 1, 0xfffd, 1);
	check_decode("€", 2, 0xfffd, 1);
	check_decode("\xc0\x80", 2, 0xfffd, 1);
	check_decode("\xed\xa0\x80", 3, 0xfffd, 1);
	check_decode("\xf4\x90\x80\x80", 4, 0xfffd, 1);
}

static void test_utf8_put(void **state)
{
	static const uint32_t cps[] = {0,     0x41,   0x7f,   0x80,    0x7ff,
	                               0x800, 0xfffd, 0xffff, 0x10000, 0x10ffff};
	static const size_t lens[] = {1, 1, 1, 2, 2, 3, 3, 3, 4, 4};
	struct buf b = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		size_t len = 0;

		b.len = 0;
		utf8_put(&b, cps[i]);
		assert_int_equal(b.len, lens[i]);
		assert_int_equal(utf8_decode((const unsigned char *)b.data, b.len, &len), cps[i]);
		assert_int_equal(len, lens[i]);
	}
	b.len = 0;
	utf8_put(&b, 0xfffd);
	assert_memory_equal(b.data, "\xef\xbf\xbd", 3);
	utf8_put(&b, 0xe9);
	assert_string_equal(b.data, "\xef\xbf\xbd\xc3\xa9");
	buf_free(&b);
}

static void check_valid(const char *in, const char *want)
{
	char *got = utf8_valid_dup(in);

	assert_string_equal(got, want);
	free(got);
}

static void test_utf8_valid_dup(void **state)
{
	(void)state;
	check_valid("", "");
	check_valid("Hola, ñandú 🦜 \x01\t\n", "Hola, ñandú 🦜 \x01\t\n");
	/* Each bad byte becomes one U+FFFD; a real U+FFFD stays as it is. */
	check_valid("a\xff\x62", "a\xef\xbf\xbd\x62"); /* \x62 is "b" */
	check_valid("\xc3", "\xef\xbf\xbd");
	check_valid("é\xe2\x82", "é\xef\xbf\xbd\xef\xbf\xbd");
	check_valid("\xc0\x80", "\xef\xbf\xbd\xef\xbf\xbd");
	check_valid("\xef\xbf\xbd", "\xef\xbf\xbd");
}

/* ---- reading escaped text back, and showing it on a terminal ---- */

static void test_utf8_width(void **state)
{
	(void)state;
	assert_int_equal(utf8_width('a'), 1);
	assert_int_equal(utf8_width(' '), 1);
	assert_int_equal(utf8_width(0xe9), 1);   /* é */
	assert_int_equal(utf8_width(0xfffd), 1); /* what a bad byte reads as */
	assert_int_equal(utf8_width(0x2603), 1); /* ☃: drawn narrow */
	/* Combining marks and joiners take no column of their own. */
	assert_int_equal(utf8_width(0x0301), 0); /* combining acute */
	assert_int_equal(utf8_width(0x0300), 0);
	assert_int_equal(utf8_width(0x036f), 0);
	assert_int_equal(utf8_width(0x0370), 1);
	assert_int_equal(utf8_width(0x200d), 0); /* zero width joiner */
	assert_int_equal(utf8_width(0xfe0f), 0); /* emoji presentation selector */
	/* CJK, Hangul, fullwidth forms and emoji take two. */
	assert_int_equal(utf8_width(0x65e5), 2); /* 日 */
	assert_int_equal(utf8_width(0x4e00), 2);
	assert_int_equal(utf8_width(0x9fff), 2);
	assert_int_equal(utf8_width(0x3042), 2); /* あ */
	assert_int_equal(utf8_width(0xac00), 2); /* 가 */
	assert_int_equal(utf8_width(0xff21), 2); /* Ａ */
	assert_int_equal(utf8_width(0x1100), 2);
	assert_int_equal(utf8_width(0x1160), 1);
	assert_int_equal(utf8_width(0x1f99c), 2); /* 🦜 */
	assert_int_equal(utf8_width(0x1f600), 2); /* 😀 */
	assert_int_equal(utf8_width(0x2705), 2);  /* ✅ */
	assert_int_equal(utf8_width(0x20000), 2);
}

static void test_utf8_columns(void **state)
{
	(void)state;
	assert_int_equal(utf8_columns("", 0), 0);
	assert_int_equal(utf8_columns("hola", 4), 4);
	assert_int_equal(utf8_columns("¿Qué?", strlen("¿Qué?")), 5);
	/* e and a combining acute: one column, three bytes. */
	assert_int_equal(utf8_columns("e\xcc\x81", 3), 1);
	assert_int_equal(utf8_columns("日本", strlen("日本")), 4);
	assert_int_equal(utf8_columns("ok 🦜", strlen("ok 🦜")), 5);
	assert_int_equal(utf8_columns("\\x1b", 4), 4);
	/* A byte of no valid sequence takes one column. */
	assert_int_equal(utf8_columns("a\xff\x62", 3), 3); /* \x62 is "b" */
	assert_int_equal(utf8_columns("\xe6\x97", 2), 2);  /* 日 cut short */
	/* Only the first n bytes count. */
	assert_int_equal(utf8_columns("日本", 3), 2);
	assert_int_equal(utf8_columns("hola", 2), 2);
}

static void test_utf8_printable(void **state)
{
	static const uint32_t ok[] = {
	        ' ', 'a', '~', 0xa0, 0xe9, 0x2027, 0x202f, 0x65e5, 0x1f99c, 0xfffd, 0x10ffff,
	};
	static const uint32_t refused[] = {
	        0x00,   0x07,   0x09,   0x0a,   0x1b,   0x1f, /* C0 */
	        0x7f,                                         /* DEL */
	        0x80,   0x85,   0x9b,   0x9f,                 /* C1: NEL, CSI */
	        0x061c, 0x200e, 0x200f,                       /* bidi marks: ALM, LRM, RLM */
	        0x202a, 0x202b, 0x202c, 0x202d, 0x202e,       /* embeddings, overrides */
	        0x2066, 0x2067, 0x2068, 0x2069,               /* isolates */
	        0x2028, 0x2029,                               /* line and paragraph separators */
	        0xfeff,                                       /* BOM */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!utf8_printable(ok[i]))
			fail_msg("U+%04X refused", (unsigned)ok[i]);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (utf8_printable(refused[i]))
			fail_msg("U+%04X let through", (unsigned)refused[i]);
}

/* escape_char on the first of n bytes of in: what it appends, the bytes
 * it took and the columns it says its text takes. */
static void check_char(const char *in, size_t n, const char *want, size_t took, size_t cols)
{
	struct buf b = {0};
	size_t got_cols = 99;

	buf_puts(&b, ">");
	assert_int_equal(escape_char(&b, in, n, &got_cols), took);
	assert_string_equal(b.data + 1, want);
	assert_int_equal(got_cols, cols);
	buf_free(&b);
}

static void test_escape_char(void **state)
{
	(void)state;
	check_char("ab", 2, "a", 1, 1);
	check_char("é!", 3, "é", 2, 1);
	check_char("日", 3, "日", 3, 2);
	check_char("🦜", 4, "🦜", 4, 2);
	/* As escape_bytes shows them. */
	check_char("\n", 1, "\\n", 1, 2);
	check_char("\t", 1, "\\t", 1, 2);
	check_char("\\", 1, "\\\\", 1, 2);
	check_char("\"", 1, "\\\"", 1, 2);
	check_char("\0", 1, "\\x00", 1, 4);
	check_char("\x1b[", 2, "\\x1b", 1, 4);
	check_char("\x7f", 1, "\\x7f", 1, 4);
	check_char("\xff", 1, "\\xff", 1, 4);
	check_char("\xc3", 1, "\\xc3", 1, 4); /* é cut short */
	/* Valid UTF-8 that must not reach a terminal raw: every byte escaped. */
	check_char("\xc2\x9b", 2, "\\xc2\\x9b", 2, 8); /* C1 CSI */
	check_char("\xe2\x80\xae"
	           "x",
	           4, "\\xe2\\x80\\xae", 3, 12);                 /* U+202E */
	check_char("\xe2\x80\xa8", 3, "\\xe2\\x80\\xa8", 3, 12); /* U+2028 */
	check_char("\xef\xbb\xbf", 3, "\\xef\\xbb\\xbf", 3, 12); /* BOM */
}

static void check_line(const char *in, const char *want)
{
	char *got = escape_line_dup(in);

	assert_string_equal(got, want);
	free(got);
}

/* A name for one line: nothing in it acts on the terminal or starts a line. */
static void test_escape_line_dup(void **state)
{
	(void)state;
	check_line("", "");
	check_line("Ana García 日本 🦜", "Ana García 日本 🦜");
	check_line("a\nb\rc\td", "a\\nb\\rc\\td");
	check_line("\x1b[2J\x1b]0;t\x07", "\\x1b[2J\\x1b]0;t\\x07");
	check_line("abc\xe2\x80\xae"
	           "fed",
	           "abc\\xe2\\x80\\xaefed"); /* U+202E */
	check_line("\xc2\x9b"
	           "1m",
	           "\\xc2\\x9b1m");                        /* C1 CSI */
	check_line("x\xe2\x80\xa8y", "x\\xe2\\x80\\xa8y"); /* U+2028 */
	check_line("a\xff\xc3", "a\\xff\\xc3");
	/* A backslash of the name's own cannot pass for an escape. */
	check_line("a\\x1b \"q\"", "a\\\\x1b \\\"q\\\"");
}

static void check_terminal(const char *in, const char *want)
{
	char *got = escape_terminal_dup(in);

	assert_string_equal(got, want);
	free(got);
}

static void test_escape_terminal_dup(void **state)
{
	(void)state;
	check_terminal("", "");
	/* Escaped text stays as it is: backslashes, newlines and tabs too. */
	check_terminal("hola\\x1b[31m\\n\n\tfin \"ok\"", "hola\\x1b[31m\\n\n\tfin \"ok\"");
	check_terminal("¿Qué? 日本 🦜", "¿Qué? 日本 🦜");
	/* What would act on the terminal is escaped. */
	check_terminal("a\x1b[2Jb", "a\\x1b[2Jb");
	check_terminal("\r\x07\x7f", "\\x0d\\x07\\x7f");
	check_terminal("\xc2\x9b"
	               "31m",
	               "\\xc2\\x9b31m");
	check_terminal("abc\xe2\x80\xae"
	               "fed",
	               "abc\\xe2\\x80\\xaefed");
	check_terminal("x\xe2\x81\xa6y", "x\\xe2\\x81\\xa6y"); /* U+2066 */
	check_terminal("\xe2\x80\xa9", "\\xe2\\x80\\xa9");     /* U+2029 */
	check_terminal("\xef\xbb\xbfhola", "\\xef\\xbb\\xbfhola");
	/* Bytes of no valid sequence too. */
	check_terminal("a\xff\xc3", "a\\xff\\xc3");
}

static void test_unescape_dup(void **state)
{
	size_t len = 99;
	char *got;

	(void)state;
	got = unescape_dup("", 0, &len);
	assert_non_null(got);
	assert_int_equal(len, 0);
	assert_int_equal(got[0], '\0');
	free(got);

	got = unescape_dup("a\\nb\\rc\\td\\\\e\\\"f", 16, &len);
	assert_int_equal(len, 11);
	assert_memory_equal(got, "a\nb\rc\td\\e\"f", 12);
	free(got);

	/* NULs inside; hex digits in either case; a NUL after the end. */
	got = unescape_dup("\\x00x\\xFF\\x1b\\x00", 17, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(got, "\0x\xff\x1b\0", 6);
	free(got);

	/* What is no escape is copied. */
	got = unescape_dup("\\q \\x4 \\xzz é\\", strlen("\\q \\x4 \\xzz é\\"), &len);
	assert_int_equal(len, strlen("\\q \\x4 \\xzz é\\"));
	assert_string_equal(got, "\\q \\x4 \\xzz é\\");
	free(got);

	/* Only the first n bytes, and no escape cut in two. */
	got = unescape_dup("ab\\x41", 5, &len);
	assert_int_equal(len, 5);
	assert_string_equal(got, "ab\\x4");
	free(got);
}

static void test_unescape_round_trip(void **state)
{
	unsigned char in[256 + 32];
	size_t n = 0, len;
	char *esc, *back;

	(void)state;
	/* Every byte value, and text that looks like escapes already. */
	for (int i = 0; i < 256; i++)
		in[n++] = (unsigned char)i;
	memcpy(in + n, "\\x41\\n ñ🦜 \"\0\0", 14);
	n += 14;
	esc = escape_dup(in, n, ALL);
	assert_null(memchr(esc, '\0', strlen(esc)));
	back = unescape_dup(esc, strlen(esc), &len);
	assert_int_equal(len, n);
	assert_memory_equal(back, in, n);
	assert_int_equal(back[len], '\0');
	free(esc);
	free(back);

	/* And text shown to a terminal reads back to the same bytes. */
	esc = escape_dup("a\0b\xe2\x80\xae", 6, ALL);
	back = escape_terminal_dup(esc);
	free(esc);
	esc = unescape_dup(back, strlen(back), &len);
	assert_int_equal(len, 6);
	assert_memory_equal(esc, "a\0b\xe2\x80\xae", 6);
	free(esc);
	free(back);
}

static void test_escape_shown_len(void **state)
{
	size_t hidden = 99, len;
	char *s, *back, big[1000];

	(void)state;
	/* Not cut: all of it, nothing hidden. */
	assert_int_equal(escape_shown_len("hola\\n", &hidden), 6);
	assert_int_equal(hidden, 0);
	hidden = 99;
	assert_int_equal(escape_shown_len("", &hidden), 0);
	assert_int_equal(hidden, 0);

	s = escape_dup("abcdef", 6, 3);
	assert_int_equal(escape_shown_len(s, &hidden), 3);
	assert_int_equal(hidden, 3);
	free(s);

	memset(big, 'x', sizeof(big));
	big[0] = '\0';
	s = escape_dup(big, sizeof(big), 10);
	assert_int_equal(escape_shown_len(s, &hidden), strlen("\\x00xxxxxxxxx"));
	assert_int_equal(hidden, 990);
	back = unescape_dup(s, escape_shown_len(s, &hidden), &len);
	assert_int_equal(len, 10);
	assert_memory_equal(back, big, 10);
	free(back);
	free(s);

	/* Cut to nothing at all. */
	s = escape_dup("日本", 6, 2);
	assert_int_equal(escape_shown_len(s, &hidden), 0);
	assert_int_equal(hidden, 6);
	free(s);

	/* Only the whole summary counts. */
	assert_int_equal(escape_shown_len("abc (3 more bytes)", &hidden),
	                 strlen("abc (3 more bytes)"));
	assert_int_equal(hidden, 0);
	assert_int_equal(escape_shown_len("abc… ( more bytes)", &hidden),
	                 strlen("abc… ( more bytes)"));
	assert_int_equal(hidden, 0);
	assert_int_equal(escape_shown_len("abc… (3 more bytes)!", &hidden),
	                 strlen("abc… (3 more bytes)!"));
	assert_int_equal(hidden, 0);
}

/* What sh's printf makes of the word is the bytes themselves. */
static void test_shell_printf_word(void **state)
{
	static const char bytes[] = "a\0b'c%d\\e\n\xff\x01 f";
	char *w = shell_printf_word(bytes, sizeof(bytes) - 1);
	char *cmd = xasprintf("printf %s", w);
	FILE *f = popen(cmd, "r");
	char out[64];
	size_t n;

	(void)state;
	assert_non_null(f);
	n = fread(out, 1, sizeof(out), f);
	assert_int_equal(pclose(f), 0);
	assert_int_equal(n, sizeof(bytes) - 1);
	assert_memory_equal(out, bytes, n);
	free(cmd);
	free(w);
}

static void test_is_text(void **state)
{
	(void)state;
	assert_true(utf8_is_text("niño 🦜\r\n\tfin", strlen("niño 🦜\r\n\tfin")));
	assert_true(utf8_is_text("", 0));
	assert_false(utf8_is_text("a\0b", 3));
	assert_false(utf8_is_text("a\x7f", 2));
	assert_false(utf8_is_text("caf\xc3", 4)); /* a character cut in half */
	assert_false(utf8_is_text("\x1b[31m", 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_is_text),
	        cmocka_unit_test(test_shell_printf_word),
	        cmocka_unit_test(test_ascii_unchanged),
	        cmocka_unit_test(test_c_escapes),
	        cmocka_unit_test(test_control_bytes_as_hex),
	        cmocka_unit_test(test_invalid_utf8_as_hex),
	        cmocka_unit_test(test_valid_utf8_kept),
	        cmocka_unit_test(test_overlong_escaped),
	        cmocka_unit_test(test_surrogates_escaped),
	        cmocka_unit_test(test_truncated_escaped),
	        cmocka_unit_test(test_beyond_unicode_escaped),
	        cmocka_unit_test(test_max_cuts_on_character_boundary),
	        cmocka_unit_test(test_max_counts_input_bytes),
	        cmocka_unit_test(test_escape_bytes_appends),
	        cmocka_unit_test(test_tail_short_keeps_newlines),
	        cmocka_unit_test(test_tail_cut_at_line_boundary),
	        cmocka_unit_test(test_tail_cut_on_character_boundary),
	        cmocka_unit_test(test_tail_not_cut_has_no_note),
	        cmocka_unit_test(test_utf8_seq_len),
	        cmocka_unit_test(test_utf8_decode),
	        cmocka_unit_test(test_utf8_put),
	        cmocka_unit_test(test_utf8_valid_dup),
	        cmocka_unit_test(test_utf8_width),
	        cmocka_unit_test(test_utf8_columns),
	        cmocka_unit_test(test_utf8_printable),
	        cmocka_unit_test(test_escape_char),
	        cmocka_unit_test(test_escape_line_dup),
	        cmocka_unit_test(test_escape_terminal_dup),
	        cmocka_unit_test(test_unescape_dup),
	        cmocka_unit_test(test_unescape_round_trip),
	        cmocka_unit_test(test_escape_shown_len),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
