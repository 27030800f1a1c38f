/* test_strmap.c - unit tests for the string index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../src/strmap.c"

/* An empty map, zeroed, finds nothing and frees cleanly. */
static void test_empty(void **state)
{
	struct strmap m = {0};
	size_t v = 7;

	(void)state;
	assert_int_equal(strmap_get(&m, "c1", &v), 0);
	assert_int_equal(v, 7);
	strmap_free(&m);
}

/* Thousands of keys through several growths: each maps to its own value,
 * a key put again is replaced, not added, and absent keys stay absent. */
static void test_many_keys_grow_and_replace(void **state)
{
	enum { N = 5000 };
	static char keys[N][16];
	struct strmap m = {0};
	size_t v;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "c%zu", i);
		strmap_put(&m, keys[i], i);
	}
	assert_int_equal(m.n, N);
	assert_true(m.cap >= 2 * m.n);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(strmap_get(&m, keys[i], &v), 1);
		assert_int_equal(v, i);
	}
	strmap_put(&m, keys[42], 4242);
	assert_int_equal(m.n, N);
	assert_int_equal(strmap_get(&m, "c42", &v), 1);
	assert_int_equal(v, 4242);
	assert_int_equal(strmap_get(&m, "c5000", &v), 0);
	assert_int_equal(strmap_get(&m, "", &v), 0);
	strmap_free(&m);
	assert_int_equal(m.cap, 0);
}

/* Keys are compared by content, not by pointer. */
static void test_lookup_by_content(void **state)
{
	struct strmap m = {0};
	char a[] = "frase_1_2", b[] = "frase_1_2";
	size_t v;

	(void)state;
	strmap_put(&m, a, 3);
	assert_int_equal(strmap_get(&m, b, &v), 1);
	assert_int_equal(v, 3);
	strmap_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_empty),
	        cmocka_unit_test(test_many_keys_grow_and_replace),
	        cmocka_unit_test(test_lookup_by_content),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
