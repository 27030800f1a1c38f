/* test_match.c - unit tests for match_prefix, the wire comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../src/match.c"

#define UNSET ((size_t)0xdead)

static void test_equal(void **state)
{
	size_t at = UNSET;

	(void)state;
	assert_int_equal(match_prefix("hola", 4, "hola", 4, &at), MATCH_OK);
	assert_int_equal(at, 4);
}

static void test_longer_got_is_ok(void **state)
{
	const char got[] = "hola y más";
	char copy[sizeof(got)];
	size_t at = UNSET;

	(void)state;
	memcpy(copy, got, sizeof(got));
	assert_int_equal(match_prefix("hola", 4, copy, strlen(copy), &at), MATCH_OK);
	/* *at marks where the expectation ended: the rest is the next step's. */
	assert_int_equal(at, 4);
	assert_memory_equal(copy, got, sizeof(got));
}

static void test_strict_prefix_wants_more(void **state)
{
	size_t at = UNSET;

	(void)state;
	assert_int_equal(match_prefix("Servidor recibió: x", 20, "Servidor", 8, &at), MATCH_MORE);
	assert_int_equal(at, 8);
	/* Nothing received yet is a prefix of anything. */
	assert_int_equal(match_prefix("abc", 3, "", 0, NULL), MATCH_MORE);
}

static void test_diff_at_first_byte(void **state)
{
	size_t at = UNSET;

	(void)state;
	assert_int_equal(match_prefix("hola", 4, "Hola", 4, &at), MATCH_DIFF);
	assert_int_equal(at, 0);
}

static void test_diff_in_middle(void **state)
{
	size_t at = UNSET;

	(void)state;
	assert_int_equal(match_prefix("Servidor recibió", 17, "Servidor recibio", 16, &at),
	                 MATCH_DIFF);
	assert_int_equal(at, 15);
	/* A difference wins even when got is shorter than want. */
	at = UNSET;
	assert_int_equal(match_prefix("abcdef", 6, "abX", 3, &at), MATCH_DIFF);
	assert_int_equal(at, 2);
	/* And when got is longer. */
	at = UNSET;
	assert_int_equal(match_prefix("abc", 3, "aXcdef", 6, &at), MATCH_DIFF);
	assert_int_equal(at, 1);
}

static void test_empty_want(void **state)
{
	size_t at = UNSET;

	(void)state;
	assert_int_equal(match_prefix("", 0, "algo", 4, &at), MATCH_OK);
	assert_int_equal(at, 0);
	assert_int_equal(match_prefix("", 0, "", 0, NULL), MATCH_OK);
}

static void test_binary_with_nul(void **state)
{
	const char want[] = {'a', '\0', 'b', '\xff', 'c'};
	const char same[] = {'a', '\0', 'b', '\xff', 'c', '\0', 'z'};
	const char other[] = {'a', '\0', 'b', '\xfe', 'c'};
	const char cut[] = {'a', '\0'};
	size_t at = UNSET;

	(void)state;
	/* A NUL inside is data, not an end of string. */
	assert_int_equal(match_prefix(want, sizeof(want), same, sizeof(same), &at), MATCH_OK);
	assert_int_equal(at, sizeof(want));
	assert_int_equal(match_prefix(want, sizeof(want), other, sizeof(other), &at), MATCH_DIFF);
	assert_int_equal(at, 3);
	assert_int_equal(match_prefix(want, sizeof(want), cut, sizeof(cut), &at), MATCH_MORE);
	assert_int_equal(at, 2);
	/* Bytes after a NUL still count: strcmp would call these equal. */
	assert_int_equal(match_prefix("a\0b", 3, "a\0c", 3, &at), MATCH_DIFF);
	assert_int_equal(at, 2);
}

static void test_lines_trailing_newline_tolerated(void **state)
{
	size_t line = 0;

	(void)state;
	assert_true(match_lines("a\nb\n", "a\nb", 3, &line));
	assert_true(match_lines("a\nb", "a\nb\n", 4, &line));
	assert_true(match_lines("", "", 0, &line));
	assert_true(match_lines("", "\n", 1, &line));
}

static void test_lines_first_difference(void **state)
{
	size_t line = 0;

	(void)state;
	assert_false(match_lines("uno\ndos\ntres\n", "uno\ndos\ntrez\n", 14, &line));
	assert_int_equal(line, 3);
	assert_false(match_lines("uno\ndos\n", "uno\n", 4, &line));
	assert_int_equal(line, 2);
	assert_false(match_lines("uno\n", "uno\n\n", 5, &line)); /* one extra line counts */
	assert_false(match_lines("x", "y", 1, &line));
	assert_int_equal(line, 1);
}

static void test_contains(void **state)
{
	(void)state;
	assert_true(match_contains("rechaz", "conexión rechazada", 19));
	assert_false(match_contains("rechaz", "conexión rech", 14));
	assert_true(match_contains("", "x", 1));
	/* Bytes past glen do not count. */
	assert_false(match_contains("da", "conexión rechazada", 17));
}

static void test_regex(void **state)
{
	(void)state;
	assert_int_equal(match_regex("^IPv4 127\\.0\\.0\\.1 ", "IPv6 ::1\nIPv4 127.0.0.1 puerto"),
	                 1);
	assert_int_equal(match_regex("^puerto", "IPv4 puerto"), 0);
	assert_int_equal(match_regex("(", "x"), -1);
}

static void readable_is(const char *re, const char *words)
{
	char *got = match_readable(re);

	if (!words) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, words);
	free(got);
}

/* A regex as a learner reads it (the tests run in English). */
static void test_readable(void **state)
{
	(void)state;
	readable_is("^IPv4 127\\.0\\.0\\.1 puerto 80 TCP$", "IPv4 127.0.0.1 puerto 80 TCP");
	readable_is("^Socket TCP creado \\(descriptor [0-9]+\\)$",
	            "Socket TCP creado (descriptor ⟨number⟩)");
	readable_is("^GET ", "GET …");
	readable_is(" se unió al chat!\n$", "… se unió al chat!\n");
	readable_is("^cliente: .*Connection refused", "cliente: …Connection refused…");
	readable_is("[^[:space:]]", "⟨some text⟩");
	/* Alternatives, classes and counts need their words in the spec. */
	readable_is("^HTTP/1\\.[01] 200", NULL);
	readable_is("(a|b)", NULL);
	readable_is("x{4,}", NULL);
	readable_is("colou?r", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_lines_trailing_newline_tolerated),
	        cmocka_unit_test(test_lines_first_difference),
	        cmocka_unit_test(test_contains),
	        cmocka_unit_test(test_regex),
	        cmocka_unit_test(test_readable),
	        cmocka_unit_test(test_equal),
	        cmocka_unit_test(test_longer_got_is_ok),
	        cmocka_unit_test(test_strict_prefix_wants_more),
	        cmocka_unit_test(test_diff_at_first_byte),
	        cmocka_unit_test(test_diff_in_middle),
	        cmocka_unit_test(test_empty_want),
	        cmocka_unit_test(test_binary_with_nul),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
