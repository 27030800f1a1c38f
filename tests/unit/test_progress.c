/* test_progress.c - unit tests for the batch's progress: one line per grading, names escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/progress.c"

/* What progress_step writes off a terminal for student and lesson. */
static char *line_for(const char *student, const char *status)
{
	struct progress p;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	progress_start(&p, f, 0, 3);
	progress_step(&p, student, "lesson03", status, 2, 10);
	progress_end(&p);
	fclose(f);
	return text;
}

static void test_plain_line(void **state)
{
	char *got = line_for("Ana García", "fail");

	(void)state;
	assert_string_equal(got, "[1/3] Ana García · lesson03 · 2/10\n");
	free(got);
}

/* A student's name cannot move the cursor, clear the screen, reorder the
 * line or start a line of its own that passes for the checker's. */
static void test_hostile_name_escaped(void **state)
{
	char *got = line_for("x\n[3/3] Ana · lesson03 · 10/10\x1b[2K\r\xe2\x80\xae", "pass");

	(void)state;
	assert_string_equal(got,
	                    "[1/3] x\\n[3/3] Ana · lesson03 · 10/10\\x1b[2K\\r\\xe2\\x80\\xae · "
	                    "lesson03 · 2/10\n");
	assert_null(strchr(got, '\x1b'));
	assert_ptr_equal(strchr(got, '\n'), got + strlen(got) - 1);
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_plain_line),
	        cmocka_unit_test(test_hostile_name_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
