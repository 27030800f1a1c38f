/* test_summary.c - unit tests for the class summary and its CSV. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "../../src/summary.c"

static struct spec lesson(const char *id, int points)
{
	static struct test tests[2];
	struct spec s = {0};

	tests[0] = (struct test){.id = "eco", .name = "Eco", .points = points - 1};
	tests[1] = (struct test){.id = "utf8", .name = "UTF-8", .points = 1};
	s.lesson = (char *)id;
	s.title = "Título";
	s.max_score = points;
	s.tests = tests;
	s.ntests = 2;
	return s;
}

static cJSON *result_json(const char *lesson, int score, int max)
{
	char *text =
	        xasprintf("{\"lesson\": \"%s\", \"status\": \"%s\", \"score\": %d, \"max_score\": "
	                  "%d, \"seed\": 99, \"build\": {\"ran\": true, \"ok\": true, \"log\": "
	                  "\"big\"}, \"tests\": [{\"id\": \"eco\", \"name\": \"Eco\", \"status\": "
	                  "\"pass\", \"score\": %d, \"max_score\": %d, \"message\": \"\", "
	                  "\"transcript\": [1, 2, 3]}]}",
	                  lesson, score == max ? "pass" : "fail", score, max, score, max);
	cJSON *j = cJSON_Parse(text);

	free(text);
	return j;
}

static cJSON *class_of_two(void)
{
	struct spec a = lesson("lesson03", 10), b = lesson("lesson05", 6);
	const struct spec *specs[] = {&a, &b};
	uint64_t seed = 42;
	cJSON *s = summary_new(specs, 2, "2026-11-29T00:00:00Z", &seed);
	cJSON *ana = summary_student(s, "Ana García", "ana.zip");
	cJSON *odd = summary_student(s, "=SUMA(1;2), \"la\" de\nlínea", "x");
	cJSON *r = result_json("lesson03", 7, 10);

	summary_lesson(ana, r, "Ana García/lesson03.json");
	cJSON_Delete(r);
	summary_lesson_absent(ana, &b, "missing", "no servidor.c");
	summary_lesson_absent(odd, &a, "broken", "no es un zip");
	r = result_json("lesson05", 6, 6);
	summary_lesson(odd, r, "x/lesson05.json");
	cJSON_Delete(r);
	summary_finish(s);
	return s;
}

static void test_totals_and_fields(void **state)
{
	cJSON *s = class_of_two();
	const cJSON *ana = cJSON_GetArrayItem(cJSON_GetObjectItem(s, "students"), 0);
	const cJSON *l03 = cJSON_GetObjectItem(cJSON_GetObjectItem(ana, "lessons"), "lesson03");
	const cJSON *l05 = cJSON_GetObjectItem(cJSON_GetObjectItem(ana, "lessons"), "lesson05");
	const cJSON *t0 = cJSON_GetArrayItem(cJSON_GetObjectItem(l03, "tests"), 0);

	(void)state;
	assert_int_equal(number(s, "max_score"), 16);
	assert_int_equal(number(ana, "score"), 7);
	assert_int_equal(number(ana, "max_score"), 16);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(l03, "file")),
	                    "Ana García/lesson03.json");
	assert_int_equal(number(l03, "seed"), 99);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(l03, "build"), "ran")));
	/* What a report needs, not the bulk: no build log, no transcripts. */
	assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(l03, "build"), "log"));
	assert_null(cJSON_GetObjectItem(t0, "transcript"));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(t0, "id")), "eco");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(l05, "status")), "missing");
	assert_int_equal(number(l05, "max_score"), 6);
	assert_int_equal(
	        number(cJSON_GetArrayItem(cJSON_GetObjectItem(s, "lessons"), 1), "max_score"), 6);
	assert_int_equal(number(s, "seed"), 42);
	cJSON_Delete(s);
}

static void test_csv(void **state)
{
	cJSON *s = class_of_two();
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	summary_csv(f, s);
	fclose(f);
	assert_memory_equal(text, "\xEF\xBB\xBF", 3); /* the BOM */
	assert_string_equal(text + 3, "Student,lesson03,lesson05,Total,Maximum\r\n"
	                              "Ana García,7,0,7,16\r\n"
	                              "\"'=SUMA(1;2), \"\"la\"\" de\nlínea\",0,6,6,16\r\n");
	free(text);
	cJSON_Delete(s);
}

static void test_csv_cells(void **state)
{
	static const char *const cases[][2] = {
	        {"plain", "plain"},
	        {"a,b", "\"a,b\""},
	        {"-1", "\"'-1\""},
	        {"+x", "\"'+x\""},
	        {"@cmd", "\"'@cmd\""},
	        {"\tx", "\"'\tx\""},
	        {"say \"hi\"", "\"say \"\"hi\"\"\""},
	        {"", ""},
	        {"línea\r\n", "\"línea\r\n\""},
	        /* ';' splits columns in Spanish-locale spreadsheets. */
	        {"Pérez; Ana", "\"Pérez; Ana\""},
	        {"a;=1+1", "\"a;=1+1\""},
	        {"=cmd|' /C calc'!A0", "\"'=cmd|' /C calc'!A0\""},
	        {"\rx", "\"'\rx\""},
	        {"\x1b[31mrojo", "\x1b[31mrojo"}, /* no CSV meaning: as it is */
	        {"Ana\nGarcía", "\"Ana\nGarcía\""},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		csv_cell(f, cases[i][0]);
		fclose(f);
		assert_string_equal(text, cases[i][1]);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_totals_and_fields),
	        cmocka_unit_test(test_csv),
	        cmocka_unit_test(test_csv_cells),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
