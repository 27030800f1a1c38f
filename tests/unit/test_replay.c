/* test_replay.c - unit tests for replay: the checker's own actions, kept byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../src/replay.c"

/* Every byte survives the trip through JSON (the box sends results so). */
static void test_json_round_trip(void **state)
{
	static const char bin[] = "a\0b\\\"\xff\xc3\xb1\n";
	struct replay rp = {0}, back;
	cJSON *j;

	(void)state;
	replay_add(&rp, 0, REPLAY_START, NULL, 0, "./servidor 8888", 15);
	replay_add(&rp, 3, REPLAY_CONNECT, "c1", 8888, NULL, 0);
	replay_add(&rp, 4, REPLAY_SEND, "c1", 0, bin, sizeof(bin) - 1);
	replay_add(&rp, 9, REPLAY_RESET, "c1", 0, NULL, 0);
	j = replay_to_json(&rp);
	assert_int_equal(replay_from_json(j, &back), 0);
	assert_int_equal(back.n, 4);
	assert_int_equal(back.v[1].op, REPLAY_CONNECT);
	assert_string_equal(back.v[1].conn, "c1");
	assert_int_equal(back.v[1].num, 8888);
	assert_int_equal(back.v[2].len, sizeof(bin) - 1);
	assert_memory_equal(back.v[2].data, bin, sizeof(bin) - 1);
	assert_int_equal(back.v[3].t_ms, 9);
	assert_null(back.v[3].data);
	cJSON_Delete(j);
	replay_free(&rp);
	replay_free(&back);
}

/* A log past its bound is dropped, and says so. */
static void test_over(void **state)
{
	struct replay rp = {0}, back;
	char *big = calloc(1, REPLAY_MAX_BYTES);
	cJSON *j;

	(void)state;
	replay_add(&rp, 0, REPLAY_SEND, "c1", 0, "x", 1);
	replay_add(&rp, 1, REPLAY_SEND, "c1", 0, big, REPLAY_MAX_BYTES);
	replay_add(&rp, 2, REPLAY_CLOSE, "c1", 0, NULL, 0);
	assert_true(rp.over);
	assert_int_equal(rp.n, 0);
	j = replay_to_json(&rp);
	assert_int_equal(replay_from_json(j, &back), 0);
	assert_true(back.over);
	cJSON_Delete(j);
	free(big);
	replay_free(&rp);
	replay_free(&back);
}

static void test_bad_json(void **state)
{
	struct replay back;
	cJSON *j = cJSON_Parse("{\"steps\": [{\"t_ms\": 1, \"op\": \"teleport\"}]}");

	(void)state;
	assert_int_equal(replay_from_json(j, &back), -1);
	assert_int_equal(back.n, 0);
	cJSON_Delete(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_json_round_trip),
	        cmocka_unit_test(test_over),
	        cmocka_unit_test(test_bad_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
