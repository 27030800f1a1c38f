/* test_report_html.c - unit tests for the instructor's HTML report on a class. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "../../src/report_html.c"

/* A class of five: one passes everything, one has a hostile name and did not
 * compile, one hands in a corrupt zip, one fails a lesson, one fails a test
 * whose message carries markup. lesson03 is worth 14 (one bar per score),
 * lesson05 26 (ten bins). */
static const char fixture_json[] =
        "{\"version\": 1, \"generated\": \"2026-11-29T23:10:00Z\", \"seed\": 1234,"
        " \"max_score\": 40,"
        " \"lessons\": ["
        "  {\"lesson\": \"lesson03\", \"title\": \"Servidor TCP con hilos\", \"max_score\": 14,"
        "   \"tests\": [{\"id\": \"eco\", \"name\": \"Responde con el prefijo exacto\","
        "                \"max_score\": 2},"
        "               {\"id\": \"hilos\", \"name\": \"Atiende a dos clientes a la vez\","
        "                \"max_score\": 4},"
        "               {\"id\": \"cierre\", \"name\": \"Cierra la conexión al final\","
        "                \"max_score\": 8}]},"
        "  {\"lesson\": \"lesson05\", \"title\": \"Servidor UDP de eco\", \"max_score\": 26,"
        "   \"tests\": [{\"id\": \"eco\", \"name\": \"Devuelve cada datagrama\", \"max_score\": "
        "13},"
        "               {\"id\": \"grande\", \"name\": \"Datagramas grandes\", \"max_score\": 13}]}"
        " ],"
        " \"students\": ["
        "  {\"student\": \"Ana García\", \"entry\": \"Ana García_123_assignsubmission_file_\","
        "   \"score\": 40, \"max_score\": 40, \"lessons\": {"
        "    \"lesson03\": {\"status\": \"pass\", \"score\": 14, \"max_score\": 14, \"seed\": 5551,"
        "     \"file\": \"Ana García/lesson03.json\", \"build\": {\"ok\": true},"
        "     \"tests\": [{\"id\": \"eco\", \"status\": \"pass\", \"score\": 2, \"max_score\": 2},"
        "                {\"id\": \"hilos\", \"status\": \"pass\", \"score\": 4, \"max_score\": 4},"
        "                {\"id\": \"cierre\", \"status\": \"pass\", \"score\": 8, \"max_score\": "
        "8}]},"
        "    \"lesson05\": {\"status\": \"pass\", \"score\": 26, \"max_score\": 26,"
        "     \"tests\": [{\"id\": \"eco\", \"status\": \"pass\", \"score\": 13, \"max_score\": "
        "13},"
        "                {\"id\": \"grande\", \"status\": \"pass\", \"score\": 13,"
        "                 \"max_score\": 13}]}}},"
        "  {\"student\": \"NAME\", \"entry\": \"hostil_1_assignsubmission_file_\","
        "   \"score\": 0, \"max_score\": 40, \"lessons\": {"
        "    \"lesson03\": {\"status\": \"error\", \"score\": 0, \"max_score\": 14,"
        "     \"message\": \"No compila.\","
        "     \"build\": {\"ok\": false,"
        "                \"first_error\": \"servidor.c:12:5: error: expected ';' before '<' "
        "token\"},"
        "     \"tests\": []},"
        "    \"lesson05\": {\"status\": \"missing\", \"score\": 0, \"max_score\": 26,"
        "     \"message\": \"La entrega no tiene ficheros para lesson05.\"}}},"
        "  {\"student\": \"Zoe Núñez\", \"entry\": \"Zoe Núñez_9_assignsubmission_file_\","
        "   \"score\": 0, \"max_score\": 40, \"lessons\": {"
        "    \"lesson03\": {\"status\": \"broken\", \"score\": 0, \"max_score\": 14,"
        "     \"message\": \"El zip está dañado: no se puede leer.\"},"
        "    \"lesson05\": {\"status\": \"broken\", \"score\": 0, \"max_score\": 26,"
        "     \"message\": \"El zip está dañado: no se puede leer.\"}}},"
        "  {\"student\": \"Bruno Díaz\", \"score\": 34, \"max_score\": 40, \"lessons\": {"
        "    \"lesson03\": {\"status\": \"fail\", \"score\": 8, \"max_score\": 14, \"seed\": 77,"
        "     \"tests\": [{\"id\": \"eco\", \"name\": \"Responde con el prefijo exacto\","
        "                 \"status\": \"pass\", \"score\": 2, \"max_score\": 2},"
        "                {\"id\": \"hilos\", \"name\": \"Atiende a dos clientes a la vez\","
        "                 \"status\": \"fail\", \"score\": 0, \"max_score\": 4,"
        "                 \"message\": \"El segundo cliente esperó 2 s.\"},"
        "                {\"id\": \"cierre\", \"name\": \"Cierra la conexión al final\","
        "                 \"status\": \"skip\", \"score\": 6, \"max_score\": 8}]},"
        "    \"lesson05\": {\"status\": \"pass\", \"score\": 26, \"max_score\": 26,"
        "     \"tests\": [{\"id\": \"eco\", \"status\": \"pass\", \"score\": 13, \"max_score\": "
        "13},"
        "                {\"id\": \"grande\", \"status\": \"pass\", \"score\": 13,"
        "                 \"max_score\": 13}]}}},"
        "  {\"student\": \"Ñuño Ortega\", \"score\": 27.5, \"max_score\": 40, \"lessons\": {"
        "    \"lesson03\": {\"status\": \"pass\", \"score\": 14, \"max_score\": 14,"
        "     \"tests\": [{\"id\": \"eco\", \"status\": \"pass\", \"score\": 2, \"max_score\": 2},"
        "                {\"id\": \"hilos\", \"status\": \"pass\", \"score\": 4, \"max_score\": 4},"
        "                {\"id\": \"cierre\", \"status\": \"pass\", \"score\": 8, \"max_score\": "
        "8}]},"
        "    \"lesson05\": {\"status\": \"fail\", \"score\": 13.5, \"max_score\": 26,"
        "     \"tests\": [{\"id\": \"eco\", \"status\": \"pass\", \"score\": 13, \"max_score\": "
        "13},"
        "                {\"id\": \"grande\", \"name\": \"Datagramas grandes\", \"status\": "
        "\"error\","
        "                 \"score\": 0.5, \"max_score\": 13,"
        "                 \"message\": \"Esperaba <b>\\\"Eco: hola\\\"</b> & recibí 'nada'\"}]}}}"
        " ]}";

/* A name that tries to run a script, with bytes that are not UTF-8. */
#define HOSTILE_NAME "<script>alert(1)</script>&'\"\xff\xfe Pérez"
#define HOSTILE_HTML                                                                               \
	"&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#39;&quot;\xef\xbf\xbd\xef\xbf\xbd Pérez"
#define NSTUDENTS 5

static cJSON *fixture(void)
{
	cJSON *sum = cJSON_Parse(fixture_json);
	cJSON *hostile;

	assert_non_null(sum);
	hostile = cJSON_GetArrayItem(cJSON_GetObjectItem(sum, "students"), 1);
	cJSON_ReplaceItemInObject(hostile, "student", cJSON_CreateString(HOSTILE_NAME));
	return sum;
}

/* The page for summary, as one string. */
static char *render(const cJSON *summary)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	report_html(f, summary);
	assert_int_equal(fclose(f), 0);
	return text;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* A copy of the nth (from 0) "<svg class=\"chart KIND\"" element. */
static char *nth_svg(const char *page, const char *kind, int nth)
{
	char open[64];
	const char *p = page, *end;

	snprintf(open, sizeof(open), "<svg class=\"chart %s\"", kind);
	for (int i = 0; p && i <= nth; i++)
		if ((p = strstr(i ? p + 1 : p, open)) == NULL)
			return NULL;
	end = strstr(p, "</svg>");
	assert_non_null(end);
	return xstrndup(p, (size_t)(end - p));
}

static int valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;

	for (size_t i = 0; i < n; i += len)
		if ((len = utf8_seq_len(p + i, n - i)) == 0)
			return 0;
	return 1;
}

/* A page that must always hold: a whole, valid, offline HTML document. */
static void check_page_shape(const char *page)
{
	assert_true(strncmp(page, "<!DOCTYPE html>\n<html lang=\"", 28) == 0);
	assert_non_null(strstr(page, "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(page, "<table class=\"scores\" id=\"scores\">"));
	assert_true(strlen(page) > 7 && strcmp(page + strlen(page) - 8, "</html>\n") == 0);
	assert_true(valid_utf8(page));
	assert_null(strstr(page, "http://"));
	assert_null(strstr(page, "https://"));
	assert_null(strstr(page, "src="));
	assert_null(strstr(page, "<link"));
	assert_null(strstr(page, "url("));
	assert_null(strstr(page, "@import"));
	assert_int_equal(count(page, "<script"), 1);
}

static void test_page_shape(void **state)
{
	cJSON *sum = fixture();
	char *page = render(sum);

	(void)state;
	check_page_shape(page);
	assert_non_null(strstr(page, "<html lang=\"es\">"));
	assert_non_null(strstr(page, "<h1>Grading report</h1>"));
	assert_non_null(strstr(page, "2026-11-29 23:10 UTC"));
	assert_non_null(strstr(page, "Seed: <code>1234</code>"));
	assert_non_null(strstr(page, "Passed every test</dt><dd>1</dd>"));
	free(page);
	cJSON_Delete(sum);
}

static void test_data_is_escaped(void **state)
{
	cJSON *sum = fixture();
	char *page = render(sum);

	(void)state;
	assert_null(strstr(page, "<script>alert"));
	assert_null(strstr(page, "<b>"));
	assert_null(strchr(page, 0xff));
	assert_non_null(strstr(page, HOSTILE_HTML));
	/* In the table (text and sort key) and in the details' summary. */
	assert_int_equal(count(page, HOSTILE_HTML), 3);
	assert_non_null(strstr(page, "Esperaba &lt;b&gt;&quot;Eco: hola&quot;&lt;/b&gt; &amp; "
	                             "recibí &#39;nada&#39;"));
	assert_non_null(strstr(page, "expected &#39;;&#39; before &#39;&lt;&#39; token"));
	free(page);
	cJSON_Delete(sum);
}

static void test_every_student_has_a_row(void **state)
{
	static const char *const cells[] = {
	        "<th scope=\"row\" data-sort=\"Ana García\" title=\"Ana "
	        "García_123_assignsubmission_file_\">"
	        "Ana García</th>",
	        "<th scope=\"row\" data-sort=\"Zoe Núñez\"",
	        "<th scope=\"row\" data-sort=\"Bruno Díaz\"><a href=\"#st-3\">Bruno Díaz</a></th>",
	        "<th scope=\"row\" data-sort=\"Ñuño Ortega\"><a href=\"#st-4\">",
	        "<th scope=\"row\" data-sort=\"" HOSTILE_HTML "\"",
	};
	cJSON *sum = fixture();
	char *page = render(sum);

	(void)state;
	assert_int_equal(count(page, "<tr><th scope=\"row\""), NSTUDENTS);
	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		assert_non_null(strstr(page, cells[i]));
	/* Sort keys, cells coloured by status, totals and percentages. */
	for (const char *key = "student\0lesson03\0lesson05\0total\0pct\0"; *key;
	     key += strlen(key) + 1) {
		char attr[64];

		snprintf(attr, sizeof(attr), "data-key=\"%s\"", key);
		assert_int_equal(count(page, attr), 1);
	}
	assert_non_null(strstr(page, "<td class=\"st st-fail\" data-sort=\"8.00\""));
	assert_non_null(strstr(page, "<td class=\"st st-broken\""));
	assert_non_null(strstr(page, "<td class=\"st st-missing\""));
	assert_non_null(strstr(page, "<td class=\"st st-error\""));
	assert_non_null(strstr(page, "<td class=\"num total\" data-sort=\"27.50\">27,5/40</td>"));
	assert_non_null(strstr(page, "data-sort=\"68.75\""));
	assert_non_null(strstr(page, "69\xc2\xa0%</td>"));
	/* Class average: (40 + 0 + 0 + 34 + 27.5) / 5 = 20.3 of 40. */
	assert_non_null(strstr(page, "20,3 / 40 <small>(51\xc2\xa0%)</small>"));
	free(page);
	cJSON_Delete(sum);
}

static void check_bars(const char *page, const char *kind, int nth, int bars)
{
	char *svg = nth_svg(page, kind, nth);
	char attr[32];

	assert_non_null(svg);
	snprintf(attr, sizeof(attr), "data-bars=\"%d\"", bars);
	assert_non_null(strstr(svg, attr));
	assert_int_equal(count(svg, "<rect class=\"bar"), bars);
	assert_int_equal(count(svg, "<title>"), bars);
	free(svg);
}

static void test_charts_per_lesson(void **state)
{
	cJSON *sum = fixture();
	char *page = render(sum);
	char *svg;

	(void)state;
	assert_int_equal(count(page, "<svg class=\"chart hist\""), 2);
	assert_int_equal(count(page, "<svg class=\"chart rates\""), 2);
	check_bars(page, "hist", 0, 15); /* 0..14 points */
	check_bars(page, "hist", 1, 10); /* 26 points: ten bins */
	check_bars(page, "rates", 0, 3);
	check_bars(page, "rates", 1, 2);
	/* lesson03: Ana and Ñuño 14, Bruno 8, the hostile one 0; Zoe's zip is
	 * broken, so she is left out. */
	svg = nth_svg(page, "hist", 0);
	assert_non_null(strstr(svg, "14 points: 2 students"));
	assert_non_null(strstr(svg, "8 points: 1 student<"));
	assert_non_null(strstr(svg, "0 points: 1 student<"));
	free(svg);
	assert_non_null(strstr(page, "4 students graded, mean 9 of 14 points."));
	assert_non_null(strstr(page, "1 with no result"));
	/* lesson05: of the three who handed it in, all passed "eco", two "grande". */
	svg = nth_svg(page, "rates", 1);
	assert_non_null(strstr(svg, "Devuelve cada datagrama: 3 of 3 passed (100\xc2\xa0%)"));
	assert_non_null(strstr(svg, "Datagramas grandes: 2 of 3 passed (67\xc2\xa0%)"));
	free(svg);
	svg = nth_svg(page, "hist", 1);
	assert_non_null(strstr(svg, "13–15,6 points: 1 student"));
	assert_non_null(strstr(svg, "23,4–26 points: 2 students"));
	free(svg);
	free(page);
	cJSON_Delete(sum);
}

static void test_details_for_failures(void **state)
{
	cJSON *sum = fixture();
	char *page = render(sum);

	(void)state;
	/* Everyone but Ana. */
	assert_int_equal(count(page, "<details class=\"student\""), NSTUDENTS - 1);
	assert_null(strstr(page, "id=\"st-0\""));
	assert_non_null(strstr(page, "<details class=\"student\" id=\"st-1\">"));
	assert_non_null(strstr(page, "Does not compile."));
	assert_non_null(strstr(page, "La entrega no tiene ficheros para lesson05."));
	assert_int_equal(count(page, "El zip está dañado: no se puede leer."), 2);
	assert_non_null(strstr(page, "El segundo cliente esperó 2 s."));
	assert_non_null(strstr(page, "1 test skipped."));
	assert_non_null(strstr(page, "<code>77</code>"));
	/* Passing tests are not listed as problems. */
	assert_int_equal(count(page, "<li><span class=\"badge"), 2);
	free(page);
	cJSON_Delete(sum);
}

/* A program run with --cmd was not built: that is no build error. */
static void test_build_not_run(void **state)
{
	cJSON *sum = fixture();
	cJSON *bruno = cJSON_GetArrayItem(cJSON_GetObjectItem(sum, "students"), 3);
	cJSON *l = cJSON_GetObjectItem(cJSON_GetObjectItem(bruno, "lessons"), "lesson03");
	cJSON *build = cJSON_AddObjectToObject(l, "build");
	char *page;

	(void)state;
	cJSON_AddBoolToObject(build, "ran", 0);
	cJSON_AddBoolToObject(build, "ok", 0);
	page = render(sum);
	assert_int_equal(count(page, "Does not compile."), 1); /* the hostile one's */
	free(page);
	cJSON_ReplaceItemInObject(build, "ran", cJSON_CreateTrue());
	page = render(sum);
	assert_int_equal(count(page, "Does not compile."), 1); /* no error, status fail */
	free(page);
	cJSON_Delete(sum);
}

static void test_numbers(void **state)
{
	char buf[48];

	(void)state;
	assert_string_equal(fmt_num(buf, sizeof(buf), 7), "7");
	assert_string_equal(fmt_num(buf, sizeof(buf), 7.5), "7,5");
	assert_string_equal(fmt_num(buf, sizeof(buf), -0.25), "-0,3");
	assert_string_equal(fmt_num(buf, sizeof(buf), 1e300), DASH);
	assert_string_equal(fmt_sort(buf, sizeof(buf), 2.0 / 3), "0.67");
	assert_string_equal(fmt_sort(buf, sizeof(buf), -1.5), "-1.50");
	assert_string_equal(fmt_pct(buf, sizeof(buf), 99.5), "100\xc2\xa0%");
	assert_string_equal(fmt_pct(buf, sizeof(buf), NAN), DASH);
}

static void test_escape_and_cut(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	html_put(f, "a<b>&\"'\x01\x7f\xc2\x85\xc3");
	fputc('|', f);
	html_put_n(f, "ñandú", 3);
	fputc('|', f);
	html_put_n(f, "abc", 3);
	fputc('|', f);
	html_put(f, NULL);
	fclose(f);
	assert_string_equal(text, "a&lt;b&gt;&amp;&quot;&#39;\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	                          "\xef\xbf\xbd|ñan…|abc|–");
	free(text);
}

/* Summaries that are wrong in every way still render a whole page. */
static void test_malformed_summaries(void **state)
{
	static const char *const docs[] = {
	        "null",
	        "42",
	        "[]",
	        "{}",
	        "{\"students\": []}",
	        "{\"students\": \"hola\", \"lessons\": 3, \"max_score\": \"40\"}",
	        "{\"lessons\": [{\"lesson\": 3}, \"x\", null, {\"lesson\": \"l1\", \"max_score\": "
	        "\"14\", \"tests\": {}}, {\"lesson\": \"l2\", \"max_score\": -3, \"tests\": [1, "
	        "{}, "
	        "{\"id\": 5}, {\"id\": \"t\", \"name\": []}]}], \"students\": [1, \"x\", null, {}, "
	        "{\"student\": 5, \"lessons\": []}, {\"student\": \"\", \"entry\": \"e\", "
	        "\"score\": \"9\", \"lessons\": {\"l1\": \"pass\", \"l2\": {\"status\": 3, "
	        "\"score\": 1e300, \"max_score\": 0, \"build\": {\"ok\": false, \"first_error\": "
	        "4},"
	        "\"tests\": [{\"id\": \"t\", \"status\": \"fail\", \"message\": 7}, 3]}, "
	        "\"l3\": {\"status\": \"pass\", \"score\": -5, \"max_score\": 1e300, "
	        "\"tests\": \"x\"}}}], \"seed\": -1, \"generated\": 12}",
	        "{\"lessons\": [{\"lesson\": \"l1\", \"max_score\": 0.5}, {\"lesson\": \"l2\", "
	        "\"max_score\": 1e308}], \"students\": [{\"student\": \"a\", \"score\": 1e308, "
	        "\"max_score\": 1e-308, \"lessons\": {\"l1\": {\"status\": \"pass\", \"score\": "
	        "0.4}, \"l2\": {\"status\": \"fail\", \"score\": 1e308}}}]}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		cJSON *sum = cJSON_Parse(docs[i]);
		char *page;

		assert_non_null(sum);
		page = render(sum);
		check_page_shape(page);
		free(page);
		cJSON_Delete(sum);
	}
	{
		char *page = render(NULL);

		check_page_shape(page);
		assert_non_null(strstr(page, "No students in this report."));
		free(page);
	}
}

static void test_not_a_number(void **state)
{
	cJSON *sum = fixture();
	cJSON *ana = cJSON_GetArrayItem(cJSON_GetObjectItem(sum, "students"), 0);
	char *page;

	(void)state;
	cJSON_ReplaceItemInObject(ana, "score", cJSON_CreateNumber(NAN));
	cJSON_ReplaceItemInObject(sum, "max_score", cJSON_CreateNumber(INFINITY));
	page = render(sum);
	check_page_shape(page);
	assert_non_null(strstr(page, "<td class=\"num total\" data-sort=\"\">–</td>"));
	free(page);
	cJSON_Delete(sum);
}

/* REPORT_HTML_FIXTURE=FILE also writes the fixture's page there, for the
 * browser check (tests/integration/html_check.sh). */
static void test_write_fixture_page(void **state)
{
	const char *path = getenv("REPORT_HTML_FIXTURE");
	cJSON *sum;
	FILE *f;

	(void)state;
	if (!path || !*path)
		skip();
	sum = fixture();
	f = fopen(path, "w");
	assert_non_null(f);
	report_html(f, sum);
	assert_int_equal(fclose(f), 0);
	cJSON_Delete(sum);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_page_shape),
	        cmocka_unit_test(test_data_is_escaped),
	        cmocka_unit_test(test_every_student_has_a_row),
	        cmocka_unit_test(test_charts_per_lesson),
	        cmocka_unit_test(test_details_for_failures),
	        cmocka_unit_test(test_build_not_run),
	        cmocka_unit_test(test_numbers),
	        cmocka_unit_test(test_escape_and_cut),
	        cmocka_unit_test(test_malformed_summaries),
	        cmocka_unit_test(test_not_a_number),
	        cmocka_unit_test(test_write_fixture_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
