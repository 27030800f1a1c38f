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

int main(void)
{
	const struct CMUnitTest tests[] = {
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
