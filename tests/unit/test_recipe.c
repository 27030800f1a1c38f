/* test_recipe.c - unit tests for recipe: a failed test's replay as a Python script. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../src/recipe.c"

#define PLAYER "share/repro/player.py" /* the unit tests run from the top folder */

static struct spec lesson(void)
{
	struct spec s = {0};

	s.lesson = "lesson03";
	s.program.role = ROLE_SERVER;
	s.program.proto = PROTO_TCP;
	s.program.port = 8888;
	return s;
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *text = read_file(path, len);

	free(path);
	return text;
}

/* Text reads as text, other bytes as escapes, long payloads go beside the
 * script; and Python takes the result. */
static void test_script(void **state)
{
	char dir[] = "/tmp/test-recipe-XXXXXX", err[ERR_LEN], *text, *cmd;
	struct spec s = lesson();
	struct test_result t = {0};
	char *big = malloc(INLINE_MAX + 10);
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	memset(big, 'z', INLINE_MAX + 10);
	t.id = "eco";
	replay_add(&t.replay, 0, REPLAY_START, NULL, 0, "./servidor 8888", 15);
	replay_add(&t.replay, 2, REPLAY_CONNECT, "c1", 8888, NULL, 0);
	replay_add(&t.replay, 3, REPLAY_SEND, "c1", 0, "niño 'x'\n", strlen("niño 'x'\n"));
	replay_add(&t.replay, 4, REPLAY_SEND, "c1", 0, "a\0b", 3);
	replay_add(&t.replay, 5, REPLAY_SEND, "c1", 0, big, INLINE_MAX + 10);
	assert_int_equal(recipe_write(dir, PLAYER, &s, &t, 42, err), 0);
	text = slurp(dir, "eco.py", &len);
	assert_non_null(text);
	assert_non_null(strstr(text, "'niño \\'x\\'\\n'.encode()"));
	assert_non_null(strstr(text, "b'a\\x00b'"));
	assert_non_null(strstr(text, "'eco-1.bin'"));
	assert_non_null(strstr(text, "'seed': 42"));
	free(text);
	text = slurp(dir, "eco-1.bin", &len);
	assert_int_equal(len, INLINE_MAX + 10);
	free(text);
	cmd = xasprintf("python3 -m py_compile %s/eco.py", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	cmd = xasprintf("rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(big);
	replay_free(&t.replay);
}

/* A replay that was not kept writes nothing, and says why. */
static void test_over(void **state)
{
	struct spec s = lesson();
	struct test_result t = {0};
	char err[ERR_LEN] = "";

	(void)state;
	t.id = "contrapresion";
	t.replay.over = 1;
	assert_int_equal(recipe_write("/nonexistent/dir", PLAYER, &s, &t, 1, err), -1);
	assert_true(*err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_script),
	        cmocka_unit_test(test_over),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
