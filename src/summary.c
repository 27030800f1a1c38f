/* summary.c - a graded class as one JSON document, and its CSV for spreadsheets and LMSs. */
#include "summary.h"

#include <string.h>

#include "i18n.h"
#include "util.h"

cJSON *summary_new(const struct spec *const *lessons, size_t n, const char *generated,
                   const uint64_t *seed)
{
	cJSON *s = cJSON_CreateObject();
	cJSON *ls;

	cJSON_AddNumberToObject(s, "version", 1);
	cJSON_AddStringToObject(s, "generated", generated);
	if (seed)
		cJSON_AddNumberToObject(s, "seed", (double)*seed);
	ls = cJSON_AddArrayToObject(s, "lessons");
	for (size_t i = 0; i < n; i++) {
		const struct spec *sp = lessons[i];
		cJSON *l = cJSON_CreateObject(), *tests;
		cJSON_AddStringToObject(l, "lesson", sp->lesson);
		cJSON_AddStringToObject(l, "title", sp->title);
		cJSON_AddNumberToObject(l, "max_score", sp->max_score);
		tests = cJSON_AddArrayToObject(l, "tests");
		for (size_t k = 0; k < sp->ntests; k++) {
			cJSON *t = cJSON_CreateObject();
			cJSON_AddStringToObject(t, "id", sp->tests[k].id);
			cJSON_AddStringToObject(t, "name", sp->tests[k].name);
			cJSON_AddNumberToObject(t, "max_score", sp->tests[k].points);
			cJSON_AddItemToArray(tests, t);
		}
		cJSON_AddItemToArray(ls, l);
	}
	cJSON_AddNumberToObject(s, "max_score", 0);
	cJSON_AddArrayToObject(s, "students");
	return s;
}

cJSON *summary_student(cJSON *summary, const char *student, const char *entry)
{
	cJSON *st = cJSON_CreateObject();

	cJSON_AddStringToObject(st, "student", student);
	cJSON_AddStringToObject(st, "entry", entry);
	cJSON_AddNumberToObject(st, "score", 0);
	cJSON_AddNumberToObject(st, "max_score", 0);
	cJSON_AddObjectToObject(st, "lessons");
	cJSON_AddItemToArray(cJSON_GetObjectItem(summary, "students"), st);
	return st;
}

static void copy_item(cJSON *to, const cJSON *from, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(from, key);

	if (v)
		cJSON_AddItemToObject(to, key, cJSON_Duplicate(v, 1));
}

void summary_lesson(cJSON *student, const cJSON *result, const char *file)
{
	static const char *const keys[] = {"status", "score", "max_score", "seed"};
	static const char *const test_keys[] = {"id",        "name",    "status", "score",
	                                        "max_score", "message", "cause"};
	const cJSON *build = cJSON_GetObjectItem(result, "build");
	const cJSON *t;
	cJSON *l = cJSON_CreateObject(), *b, *tests;
	const char *lesson = cJSON_GetStringValue(cJSON_GetObjectItem(result, "lesson"));

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		copy_item(l, result, keys[i]);
	cJSON_AddStringToObject(l, "file", file);
	copy_item(l, result, "message");
	b = cJSON_AddObjectToObject(l, "build");
	cJSON_AddBoolToObject(b, "ran", cJSON_IsTrue(cJSON_GetObjectItem(build, "ran")));
	cJSON_AddBoolToObject(b, "ok", cJSON_IsTrue(cJSON_GetObjectItem(build, "ok")));
	copy_item(b, build, "first_error");
	tests = cJSON_AddArrayToObject(l, "tests");
	cJSON_ArrayForEach (t, cJSON_GetObjectItem(result, "tests")) {
		cJSON *o = cJSON_CreateObject();
		for (size_t i = 0; i < sizeof(test_keys) / sizeof(test_keys[0]); i++)
			copy_item(o, t, test_keys[i]);
		cJSON_AddItemToArray(tests, o);
	}
	cJSON_AddItemToObject(cJSON_GetObjectItem(student, "lessons"), lesson ? lesson : "?", l);
}

void summary_lesson_absent(cJSON *student, const struct spec *lesson, const char *status,
                           const char *message)
{
	cJSON *l = cJSON_CreateObject();

	cJSON_AddStringToObject(l, "status", status);
	cJSON_AddNumberToObject(l, "score", 0);
	cJSON_AddNumberToObject(l, "max_score", lesson->max_score);
	cJSON_AddStringToObject(l, "message", message);
	cJSON_AddItemToObject(cJSON_GetObjectItem(student, "lessons"), lesson->lesson, l);
}

static int number(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsNumber(v) ? v->valueint : 0;
}

static void set_number(cJSON *o, const char *key, int n)
{
	cJSON_ReplaceItemInObject(o, key, cJSON_CreateNumber(n));
}

void summary_finish(cJSON *summary)
{
	const cJSON *l, *st;
	int max = 0;

	cJSON_ArrayForEach (l, cJSON_GetObjectItem(summary, "lessons"))
		max += number(l, "max_score");
	set_number(summary, "max_score", max);
	cJSON_ArrayForEach (st, cJSON_GetObjectItem(summary, "students")) {
		const cJSON *sl;
		int score = 0;
		cJSON_ArrayForEach (sl, cJSON_GetObjectItem(st, "lessons"))
			score += number(sl, "score");
		set_number((cJSON *)st, "score", score);
		set_number((cJSON *)st, "max_score", max);
	}
}

/* One CSV cell: quoted when it holds a separator (',', or ';', which
 * spreadsheets in Spanish and other locales split on), a quote or a line
 * break; a text a spreadsheet would take for a formula (=, +, -, @, tab,
 * CR) is quoted and gets a leading apostrophe. */
static void csv_cell(FILE *out, const char *s)
{
	int formula = s[0] && strchr("=+-@\t\r", s[0]);
	int quote = formula || strpbrk(s, ",;\"\r\n") != NULL;

	if (!quote) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	if (formula)
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void summary_csv(FILE *out, const cJSON *summary)
{
	const cJSON *lessons = cJSON_GetObjectItem(summary, "lessons");
	const cJSON *l, *st;

	fputs("\xEF\xBB\xBF", out); /* byte order mark: Excel then reads UTF-8 */
	csv_cell(out, _("Student"));
	cJSON_ArrayForEach (l, lessons) {
		fputc(',', out);
		csv_cell(out, cJSON_GetStringValue(cJSON_GetObjectItem(l, "lesson")));
	}
	fputc(',', out);
	csv_cell(out, _("Total"));
	fputc(',', out);
	csv_cell(out, _("Maximum"));
	fputs("\r\n", out);
	cJSON_ArrayForEach (st, cJSON_GetObjectItem(summary, "students")) {
		const cJSON *mine = cJSON_GetObjectItem(st, "lessons");
		csv_cell(out, cJSON_GetStringValue(cJSON_GetObjectItem(st, "student")));
		cJSON_ArrayForEach (l, lessons) {
			const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(l, "lesson"));
			fprintf(out, ",%d", number(cJSON_GetObjectItem(mine, id), "score"));
		}
		fprintf(out, ",%d,%d\r\n", number(st, "score"), number(st, "max_score"));
	}
}
