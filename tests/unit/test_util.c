/* test_util.c - unit tests for byte buffers, deadlines and small helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/util.c"

static int teardown_buf(void **state)
{
	buf_free(*state);
	free(*state);
	return 0;
}

static int setup_buf(void **state)
{
	*state = xcalloc(1, sizeof(struct buf));
	return 0;
}

static void test_buf_append_grows_and_terminates(void **state)
{
	struct buf *b = *state;
	char big[5000];

	buf_append(b, "abc", 3);
	assert_int_equal(b->len, 3);
	assert_string_equal(b->data, "abc");
	/* Far past any initial capacity: earlier bytes survive the growth. */
	memset(big, 'x', sizeof(big));
	buf_append(b, big, sizeof(big));
	assert_int_equal(b->len, 3 + sizeof(big));
	assert_true(b->cap > b->len);
	assert_memory_equal(b->data, "abcxxx", 6);
	assert_int_equal(b->data[b->len - 1], 'x');
	assert_int_equal(b->data[b->len], '\0');
}

static void test_buf_append_binary(void **state)
{
	struct buf *b = *state;

	buf_append(b, "a\0b", 3);
	buf_append(b, "", 0);
	assert_int_equal(b->len, 3);
	assert_memory_equal(b->data, "a\0b", 4);
}

static void test_buf_append_empty_gives_string(void **state)
{
	struct buf *b = *state;

	buf_append(b, NULL, 0);
	assert_non_null(b->data);
	assert_int_equal(b->len, 0);
	assert_string_equal(b->data, "");
}

static void test_buf_printf_appends(void **state)
{
	struct buf *b = *state;
	char want[3000];

	buf_puts(b, "n=");
	buf_printf(b, "%d, s=%s", 42, "ñu");
	assert_string_equal(b->data, "n=42, s=ñu");
	assert_int_equal(b->len, strlen("n=42, s=ñu"));
	/* Output longer than the buffer holds must be written whole. */
	memset(want, 'y', sizeof(want) - 1);
	want[sizeof(want) - 1] = '\0';
	buf_printf(b, "%s|", want);
	assert_int_equal(b->len, strlen("n=42, s=ñu") + sizeof(want));
	assert_memory_equal(b->data + strlen("n=42, s=ñu"), want, sizeof(want) - 1);
	assert_string_equal(b->data + b->len - 1, "|");
}

static void test_buf_consume(void **state)
{
	struct buf *b = *state;

	buf_puts(b, "hola mundo");
	buf_consume(b, 5);
	assert_int_equal(b->len, 5);
	assert_string_equal(b->data, "mundo");
	buf_consume(b, 0);
	assert_string_equal(b->data, "mundo");
	/* More than there is empties it. */
	buf_consume(b, 100);
	assert_int_equal(b->len, 0);
	assert_string_equal(b->data, "");
	/* Still usable afterwards. */
	buf_puts(b, "otra");
	assert_string_equal(b->data, "otra");
}

static void test_buf_consume_exact_and_unallocated(void **state)
{
	struct buf *b = *state;
	struct buf empty = {0};

	buf_puts(b, "abc");
	buf_consume(b, 3);
	assert_int_equal(b->len, 0);
	assert_string_equal(b->data, "");
	buf_consume(&empty, 4);
	assert_null(empty.data);
	assert_int_equal(empty.len, 0);
}

static void test_buf_steal(void **state)
{
	struct buf *b = *state;
	char *s;

	buf_puts(b, "mío");
	s = buf_steal(b);
	assert_string_equal(s, "mío");
	/* The buffer is reset and no longer owns the string. */
	assert_null(b->data);
	assert_int_equal(b->len, 0);
	assert_int_equal(b->cap, 0);
	buf_puts(b, "nuevo");
	assert_string_equal(s, "mío");
	assert_string_equal(b->data, "nuevo");
	free(s);
}

static void test_buf_steal_empty_is_not_null(void **state)
{
	struct buf *b = *state;
	char *s = buf_steal(b);

	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void test_ms_left(void **state)
{
	int64_t now = now_ms();
	int left;

	(void)state;
	assert_int_equal(ms_left(now - 1), 0);
	assert_int_equal(ms_left(now - 1000000), 0);
	assert_int_equal(ms_left(INT64_MIN / 2), 0);
	left = ms_left(now + 10000);
	assert_in_range(left, 9000, 10000);
	/* poll() takes an int: a far deadline is clamped, not wrapped. */
	assert_int_equal(ms_left(now + (int64_t)INT32_MAX * 4), INT32_MAX);
}

static void test_now_ms_monotonic(void **state)
{
	int64_t a = now_ms(), b = now_ms();

	(void)state;
	assert_true(a > 0);
	assert_true(b >= a);
}

static void test_xasprintf(void **state)
{
	char *s = xasprintf("%s[%zu].%s", "tests", (size_t)2, "steps");
	char *e = xasprintf("%s", "");

	(void)state;
	assert_string_equal(s, "tests[2].steps");
	assert_string_equal(e, "");
	free(s);
	free(e);
}

static void test_xstrndup(void **state)
{
	char *s = xstrndup("abcdef", 3);

	(void)state;
	assert_string_equal(s, "abc");
	free(s);
}

static void test_errf(void **state)
{
	char err[ERR_LEN];
	char longer[ERR_LEN * 2];

	(void)state;
	errf(err, "%s: %d", "fallo", 7);
	assert_string_equal(err, "fallo: 7");
	/* A long message is cut to the buffer, still terminated. */
	memset(longer, 'z', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	errf(err, "%s", longer);
	assert_int_equal(strlen(err), ERR_LEN - 1);
	/* A NULL buffer means the caller does not want the message. */
	errf(NULL, "%s", "ignored");
}

/* A whole file comes back with its NULs and its length; a missing one is NULL. */
static void test_read_file(void **state)
{
	char dir[] = "/tmp/checker-util-XXXXXX", *path, *text;
	size_t len = 99;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/datos", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite("a\0b\n", 1, 4, f), 4);
	fclose(f);
	text = read_file(path, &len);
	assert_non_null(text);
	assert_int_equal(len, 4);
	assert_memory_equal(text, "a\0b\n", 5); /* and a NUL after it */
	free(text);
	text = read_file(path, NULL);
	assert_non_null(text);
	free(text);
	unlink(path);
	len = 99;
	assert_null(read_file(path, &len));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(len, 99);
	free(path);
	rmdir(dir);
}

/* Up to the cap exactly; past it, nothing is counted and, from then on,
 * nothing is taken, however small. */
static void test_budget(void **state)
{
	struct budget b = {.cap = 10};

	(void)state;
	assert_int_equal(budget_take(&b, 4), 0);
	assert_int_equal(budget_take(&b, 6), 0);
	assert_int_equal(b.held, 10);
	assert_false(b.over);
	budget_give(&b, 3);
	assert_int_equal(budget_take(&b, 4), -1);
	assert_int_equal(b.held, 7);
	assert_true(b.over);
	assert_int_equal(budget_take(&b, 1), -1);
	assert_int_equal(budget_take(&b, 0), -1);
	assert_int_equal(b.held, 7);
	budget_give(&b, 100); /* never below nothing */
	assert_int_equal(b.held, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_buf_append_grows_and_terminates, setup_buf,
	                                        teardown_buf),
	        cmocka_unit_test_setup_teardown(test_buf_append_binary, setup_buf, teardown_buf),
	        cmocka_unit_test_setup_teardown(test_buf_append_empty_gives_string, setup_buf,
	                                        teardown_buf),
	        cmocka_unit_test_setup_teardown(test_buf_printf_appends, setup_buf, teardown_buf),
	        cmocka_unit_test_setup_teardown(test_buf_consume, setup_buf, teardown_buf),
	        cmocka_unit_test_setup_teardown(test_buf_consume_exact_and_unallocated, setup_buf,
	                                        teardown_buf),
	        cmocka_unit_test_setup_teardown(test_buf_steal, setup_buf, teardown_buf),
	        cmocka_unit_test_setup_teardown(test_buf_steal_empty_is_not_null, setup_buf,
	                                        teardown_buf),
	        cmocka_unit_test(test_ms_left),
	        cmocka_unit_test(test_now_ms_monotonic),
	        cmocka_unit_test(test_xasprintf),
	        cmocka_unit_test(test_read_file),
	        cmocka_unit_test(test_xstrndup),
	        cmocka_unit_test(test_errf),
	        cmocka_unit_test(test_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
