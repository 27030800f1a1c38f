/* test_cli.c - unit tests for the command line: options, lesson names, --cmd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/cli.c"

#define MAX_ARGS 32

/* cli_parse on "checker" followed by the NULL-terminated arguments. */
static int parse(struct cli *c, char *err, ...)
{
	static char *argv[MAX_ARGS];
	va_list ap;
	int argc = 0;
	char *a;

	argv[argc++] = "checker";
	va_start(ap, err);
	while ((a = va_arg(ap, char *)) && argc < MAX_ARGS - 1)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return cli_parse(argc, argv, c, err);
}

static void free_words(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static void check_lesson(const char *arg, const char *want)
{
	char out[32] = "unchanged";

	if (cli_lesson_id(arg, out, sizeof(out)) != 0)
		fail_msg("cli_lesson_id rejected \"%s\"", arg);
	assert_string_equal(out, want);
}

static void check_not_lesson(const char *arg)
{
	char out[32] = "";

	if (cli_lesson_id(arg, out, sizeof(out)) != -1)
		fail_msg("cli_lesson_id accepted \"%s\" as \"%s\"", arg, out);
}

static void test_lesson_id_accepts(void **state)
{
	(void)state;
	check_lesson("3", "lesson03");
	check_lesson("03", "lesson03");
	check_lesson("lesson3", "lesson03");
	check_lesson("lesson03", "lesson03");
	check_lesson("lessons/lesson03/", "lesson03");
	check_lesson("lessons/lesson03", "lesson03");
	check_lesson("lesson03/", "lesson03");
	check_lesson("12", "lesson12");
	check_lesson("lesson12", "lesson12");
	check_lesson("99", "lesson99");
	check_lesson("1", "lesson01");
}

static void test_lesson_id_rejects(void **state)
{
	(void)state;
	check_not_lesson("");
	check_not_lesson("lesson");
	check_not_lesson("lessons/");
	check_not_lesson("0");
	check_not_lesson("lesson00");
	check_not_lesson("100");
	check_not_lesson("3x");
	check_not_lesson("lesson03x");
	check_not_lesson("-3");
	check_not_lesson("+3");
	check_not_lesson(" 3");
	check_not_lesson("lesson 3");
	check_not_lesson("lessons/lesson03/x");
	check_not_lesson("leccion03");
	check_not_lesson("99999999999999999999999");
}

static void test_split_plain_words(void **state)
{
	char err[ERR_LEN];
	char **v = cli_split("python3 servidor.py 8888", err);

	(void)state;
	assert_non_null(v);
	assert_string_equal(v[0], "python3");
	assert_string_equal(v[1], "servidor.py");
	assert_string_equal(v[2], "8888");
	assert_null(v[3]);
	free_words(v);
}

static void test_split_runs_of_spaces(void **state)
{
	char err[ERR_LEN];
	char **v = cli_split("   a  \t b\n c   ", err);

	(void)state;
	assert_non_null(v);
	assert_string_equal(v[0], "a");
	assert_string_equal(v[1], "b");
	assert_string_equal(v[2], "c");
	assert_null(v[3]);
	free_words(v);
}

static void test_split_single_quotes(void **state)
{
	char err[ERR_LEN];
	char **v = cli_split("echo 'a  b' 'x\\y\"z' c'd e'f", err);

	(void)state;
	assert_non_null(v);
	assert_string_equal(v[0], "echo");
	assert_string_equal(v[1], "a  b");
	/* Nothing is special inside single quotes. */
	assert_string_equal(v[2], "x\\y\"z");
	/* Quoted and plain parts of one word join. */
	assert_string_equal(v[3], "cd ef");
	assert_null(v[4]);
	free_words(v);
}

static void test_split_double_quotes(void **state)
{
	char err[ERR_LEN];
	char **v = cli_split("say \"he said \\\"hi\\\" \\\\ ok\" \"a\\nb\" \"it's\"", err);

	(void)state;
	assert_non_null(v);
	assert_string_equal(v[0], "say");
	assert_string_equal(v[1], "he said \"hi\" \\ ok");
	/* Other backslashes stay, as in sh. */
	assert_string_equal(v[2], "a\\nb");
	assert_string_equal(v[3], "it's");
	assert_null(v[4]);
	free_words(v);
}

static void test_split_backslash_space(void **state)
{
	char err[ERR_LEN];
	char **v = cli_split("./mi\\ servidor 80\\ 80 \\'", err);

	(void)state;
	assert_non_null(v);
	assert_string_equal(v[0], "./mi servidor");
	assert_string_equal(v[1], "80 80");
	assert_string_equal(v[2], "'");
	assert_null(v[3]);
	free_words(v);
}

static void test_split_empty_quoted_word_kept(void **state)
{
	char err[ERR_LEN];
	char **v = cli_split("prog '' x \"\"", err);

	(void)state;
	assert_non_null(v);
	assert_string_equal(v[0], "prog");
	assert_string_equal(v[1], "");
	assert_string_equal(v[2], "x");
	assert_string_equal(v[3], "");
	assert_null(v[4]);
	free_words(v);
}

static void test_split_errors(void **state)
{
	char err[ERR_LEN];

	(void)state;
	err[0] = '\0';
	assert_null(cli_split("echo 'abc", err));
	assert_true(strlen(err) > 0);
	err[0] = '\0';
	assert_null(cli_split("echo \"abc \\\"", err));
	assert_true(strlen(err) > 0);
	err[0] = '\0';
	assert_null(cli_split("", err));
	assert_true(strlen(err) > 0);
	err[0] = '\0';
	assert_null(cli_split(" \t ", err));
	assert_true(strlen(err) > 0);
}

static void test_parse_lesson_only(void **state)
{
	struct cli c;
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(parse(&c, err, "3", NULL), 0);
	assert_string_equal(c.lesson, "lesson03");
	/* Defaults. */
	assert_null(c.dir);
	assert_null(c.cmd);
	assert_int_equal(c.format, FORMAT_HUMAN);
	assert_false(c.has_seed);
	assert_null(c.lang);
	assert_int_equal(c.jobs, 0);
	assert_int_equal(c.tier, TIER_AUTO);
	assert_null(c.only);
	assert_false(c.help);
	assert_false(c.version);
}

static void check_all_options(const struct cli *c)
{
	assert_string_equal(c->lesson, "lesson03");
	assert_string_equal(c->dir, "mi carpeta");
	assert_string_equal(c->cmd, "python3 s.py");
	assert_int_equal(c->format, FORMAT_JSON);
	assert_true(c->has_seed);
	assert_int_equal(c->seed, 42);
	assert_string_equal(c->lang, "en");
	assert_int_equal(c->jobs, 3);
	assert_string_equal(c->only, "eco");
	assert_int_equal(c->tier, TIER_C);
}

static void test_parse_options_before_lesson(void **state)
{
	struct cli c;
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(parse(&c, err, "--dir", "mi carpeta", "--cmd", "python3 s.py", "--format",
	                       "json", "--seed", "42", "--lang", "en", "--jobs", "3", "--test",
	                       "eco", "--tier", "C", "lesson03", NULL),
	                 0);
	check_all_options(&c);
}

static void test_parse_options_after_lesson(void **state)
{
	struct cli c;
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(parse(&c, err, "lesson03", "--dir", "mi carpeta", "--cmd", "python3 s.py",
	                       "--format", "json", "--seed", "42", "--lang", "en", "--jobs", "3",
	                       "--test", "eco", "--tier", "C", NULL),
	                 0);
	check_all_options(&c);
}

static void test_parse_options_around_lesson(void **state)
{
	struct cli c;
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(
	        parse(&c, err, "--seed=7", "lessons/lesson03/", "--format=human", "-j", "2", NULL),
	        0);
	assert_string_equal(c.lesson, "lesson03");
	assert_true(c.has_seed);
	assert_int_equal(c.seed, 7);
	assert_int_equal(c.format, FORMAT_HUMAN);
	assert_int_equal(c.jobs, 2);
}

static void test_parse_resets_between_calls(void **state)
{
	struct cli c;
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(parse(&c, err, "3", "--seed", "5", "--dir", "x", NULL), 0);
	/* Nothing from the previous call survives: neither values nor getopt's place. */
	assert_int_equal(parse(&c, err, "12", NULL), 0);
	assert_string_equal(c.lesson, "lesson12");
	assert_false(c.has_seed);
	assert_null(c.dir);
	assert_int_equal(parse(&c, err, "--jobs", "4", "5", NULL), 0);
	assert_string_equal(c.lesson, "lesson05");
	assert_int_equal(c.jobs, 4);
}

static void test_parse_seed_limits(void **state)
{
	struct cli c;
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(parse(&c, err, "3", "--seed", "0", NULL), 0);
	assert_true(c.has_seed);
	assert_int_equal(c.seed, 0);
	/* The largest seed: 15 digits, which JSON writers print exactly. */
	assert_int_equal(parse(&c, err, "3", "--seed", "999999999999999", NULL), 0);
	assert_int_equal(c.seed, 999999999999999ULL);
	assert_int_equal(parse(&c, err, "3", "--seed", "1000000000000000", NULL), -1);
	assert_int_equal(parse(&c, err, "3", "--jobs", "32", NULL), 0);
	assert_int_equal(c.jobs, 32);
	assert_int_equal(parse(&c, err, "3", "--jobs", "33", NULL), -1);
}

/* cli_parse must fail with a message naming what was wrong (err contains needle). */
static void check_usage_error(const char *needle, int rc, const char *err)
{
	assert_int_equal(rc, -1);
	assert_true(strlen(err) > 0);
	if (needle && !strstr(err, needle))
		fail_msg("error \"%s\" does not mention \"%s\"", err, needle);
}

static void test_parse_errors(void **state)
{
	struct cli c;
	char err[ERR_LEN];
	int rc;

	(void)state;
	rc = parse(&c, err, "3", "--format", "xml", NULL);
	check_usage_error("--format", rc, err);
	rc = parse(&c, err, "3", "--seed", "abc", NULL);
	check_usage_error("--seed", rc, err);
	rc = parse(&c, err, "3", "--seed", "-1", NULL);
	check_usage_error("--seed", rc, err);
	rc = parse(&c, err, "3", "--seed", "12x", NULL);
	check_usage_error("--seed", rc, err);
	rc = parse(&c, err, "3", "--lang", "fr", NULL);
	check_usage_error("--lang", rc, err);
	rc = parse(&c, err, "3", "--jobs", "0", NULL);
	check_usage_error("--jobs", rc, err);
	rc = parse(&c, err, "3", "--tier", "D", NULL);
	check_usage_error("--tier", rc, err);
	rc = parse(&c, err, "--seed", "4", NULL);
	check_usage_error(NULL, rc, err);
	rc = parse(&c, err, "3", "4", NULL);
	check_usage_error("4", rc, err);
	rc = parse(&c, err, "3", "--bogus", NULL);
	check_usage_error("--bogus", rc, err);
	rc = parse(&c, err, "3", "-x", NULL);
	check_usage_error("x", rc, err);
	rc = parse(&c, err, "tres", NULL);
	check_usage_error("tres", rc, err);
}

static void test_parse_help(void **state)
{
	struct cli c;
	char err[ERR_LEN];

	(void)state;
	/* --help needs no lesson. */
	assert_int_equal(parse(&c, err, "--help", NULL), 0);
	assert_true(c.help);
	assert_int_equal(parse(&c, err, "3", "-h", NULL), 0);
	assert_true(c.help);
	assert_int_equal(parse(&c, err, "--version", NULL), 0);
	assert_true(c.version);
	assert_false(c.help);
	assert_int_equal(parse(&c, err, "3", NULL), 0);
	assert_false(c.help);
	assert_false(c.version);
}

static void test_parse_grade(void **state)
{
	struct cli c;
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(parse(&c, err, "grade", "entregas", "--lessons", "3,lesson05", "-j", "2",
	                       "--out", "notas", "--force", "--seed", "7", "--format", "junit",
	                       NULL),
	                 0);
	assert_int_equal(c.command, CMD_GRADE);
	assert_string_equal(c.subs, "entregas");
	assert_string_equal(c.lessons, "3,lesson05");
	assert_string_equal(c.out, "notas");
	assert_int_equal(c.jobs, 2);
	assert_int_equal(c.force, 1);
	assert_int_equal(c.seed, 7);
	assert_int_equal(c.format, FORMAT_JUNIT);
	/* Options before the folder too. */
	assert_int_equal(parse(&c, err, "grade", "--out", "x", "entregas", NULL), 0);
	assert_string_equal(c.subs, "entregas");
	assert_int_equal(
	        parse(&c, err, "gradescope", "--root", "/tmp/ag", "--lessons", "all", NULL), 0);
	assert_int_equal(c.command, CMD_GRADESCOPE);
	assert_string_equal(c.root, "/tmp/ag");
}

static void test_parse_grade_errors(void **state)
{
	static const char *const cases[][6] = {
	        {"grade", NULL},                          /* which submissions? */
	        {"grade", "a", "b", NULL},                /* one folder only */
	        {"grade", "a", "--dir", "x", NULL},       /* one lesson's option */
	        {"grade", "a", "--test", "eco", NULL},    /* one lesson's option */
	        {"grade", "a", "--format", "json", NULL}, /* grade writes its own */
	        {"grade", "a", "--root", "r", NULL},      /* gradescope's option */
	        {"lesson03", "--out", "x", NULL},         /* grade's option */
	        {"lesson03", "--lessons", "3", NULL},     /* grade's option */
	        {"gradescope", "extra", NULL},            /* no positional */
	        {"lesson03", "--format", "xml", NULL},    /* unknown format */
	};
	struct cli c;
	char err[ERR_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const *a = cases[i];
		if (parse(&c, err, a[0], a[1], a[2], a[3], a[4], a[5]) != -1)
			fail_msg("case %zu (%s %s ...) was accepted", i, a[0], a[1] ? a[1] : "");
		assert_true(err[0] != '\0');
	}
}

static void test_parse_learner_commands(void **state)
{
	struct cli c;
	char err[ERR_LEN];

	(void)state;
	assert_int_equal(parse(&c, err, NULL), 0); /* plain ./checker */
	assert_int_equal(c.command, CMD_PROGRESS);
	assert_int_equal(parse(&c, err, "--lang", "en", NULL), 0);
	assert_int_equal(c.command, CMD_PROGRESS);
	assert_int_equal(parse(&c, err, "pista", "3", NULL), 0);
	assert_int_equal(c.command, CMD_HINT);
	assert_string_equal(c.lesson, "lesson03");
	assert_int_equal(parse(&c, err, "hint", "lesson12", NULL), 0);
	assert_int_equal(c.command, CMD_HINT);
	assert_int_equal(parse(&c, err, "reiniciar", "5", "--yes", NULL), 0);
	assert_int_equal(c.command, CMD_RESET);
	assert_int_equal(c.yes, 1);
	assert_int_equal(parse(&c, err, "doctor", NULL), 0);
	assert_int_equal(c.command, CMD_DOCTOR);
	assert_int_equal(parse(&c, err, "3", "-w", "-v", "--pcap", "x.pcap", "--asan", NULL), 0);
	assert_int_equal(c.command, CMD_LESSON);
	assert_int_equal(c.watch, 1);
	assert_int_equal(c.verbose, 1);
	assert_string_equal(c.pcap, "x.pcap");
	assert_int_equal(c.instrument, INSTRUMENT_ASAN);
	assert_int_equal(parse(&c, err, "3", "--valgrind", NULL), 0);
	assert_int_equal(c.instrument, INSTRUMENT_VALGRIND);
}

static void test_parse_learner_errors(void **state)
{
	static const char *const cases[][5] = {
	        {"pista", NULL},                          /* which lesson? */
	        {"reiniciar", "3", "4", NULL},            /* one lesson */
	        {"3", "--yes", NULL},                     /* reiniciar's option */
	        {"pista", "3", "--watch", NULL},          /* one lesson's grading */
	        {"3", "--asan", "--valgrind", NULL},      /* one or the other */
	        {"3", "--asan", "--cmd", "python3 x.py"}, /* nothing to build */
	        {"3", "--watch", "--format", "json"},     /* watch is for people */
	        {"doctor", "3", NULL},                    /* no lesson */
	        {"--pcap", "x", NULL},                    /* which lesson? */
	};
	struct cli c;
	char err[ERR_LEN];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *const *a = cases[i];
		if (parse(&c, err, a[0], a[1], a[2], a[3], a[4]) != -1)
			fail_msg("case %zu (%s %s ...) was accepted", i, a[0], a[1] ? a[1] : "");
		assert_true(err[0] != '\0');
	}
}

static void test_lesson_lists(void **state)
{
	char err[ERR_LEN] = "";
	char **ids;

	(void)state;
	ids = cli_lessons("3, lesson05,lessons/lesson12/", ".", err);
	assert_non_null(ids);
	assert_string_equal(ids[0], "lesson03");
	assert_string_equal(ids[1], "lesson05");
	assert_string_equal(ids[2], "lesson12");
	assert_null(ids[3]);
	cli_lessons_free(ids);
	assert_null(cli_lessons("3,banana", ".", err));
	assert_non_null(strstr(err, "banana"));
	assert_null(cli_lessons(" , ", ".", err));
	/* "all": every lesson folder with a spec, in order. */
	{
		char root[] = "/tmp/test_cli-XXXXXX";
		const char *const made[] = {"lesson02", "lesson01", "lesson03", "notas"};
		assert_non_null(mkdtemp(root));
		for (size_t i = 0; i < 4; i++) {
			char *dir = xasprintf("%s/lessons/%s", root, made[i]);
			char *spec = xasprintf("%s/spec.json", dir);
			char *cmd = xasprintf("mkdir -p '%s'", dir);
			assert_int_equal(system(cmd), 0);
			if (i != 2) /* lesson03 has no spec: not a lesson */
				fclose(fopen(spec, "w"));
			free(cmd);
			free(spec);
			free(dir);
		}
		ids = cli_lessons("all", root, err);
		assert_non_null(ids);
		assert_string_equal(ids[0], "lesson01");
		assert_string_equal(ids[1], "lesson02");
		assert_null(ids[2]);
		{
			char *cmd = xasprintf("rm -rf '%s'", root);
			assert_int_equal(system(cmd), 0);
			free(cmd);
		}
	}
	cli_lessons_free(ids);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_lesson_id_accepts),
	        cmocka_unit_test(test_lesson_id_rejects),
	        cmocka_unit_test(test_split_plain_words),
	        cmocka_unit_test(test_split_runs_of_spaces),
	        cmocka_unit_test(test_split_single_quotes),
	        cmocka_unit_test(test_split_double_quotes),
	        cmocka_unit_test(test_split_backslash_space),
	        cmocka_unit_test(test_split_empty_quoted_word_kept),
	        cmocka_unit_test(test_split_errors),
	        cmocka_unit_test(test_parse_lesson_only),
	        cmocka_unit_test(test_parse_options_before_lesson),
	        cmocka_unit_test(test_parse_options_after_lesson),
	        cmocka_unit_test(test_parse_options_around_lesson),
	        cmocka_unit_test(test_parse_resets_between_calls),
	        cmocka_unit_test(test_parse_seed_limits),
	        cmocka_unit_test(test_parse_errors),
	        cmocka_unit_test(test_parse_help),
	        cmocka_unit_test(test_parse_grade),
	        cmocka_unit_test(test_parse_grade_errors),
	        cmocka_unit_test(test_lesson_lists),
	        cmocka_unit_test(test_parse_learner_commands),
	        cmocka_unit_test(test_parse_learner_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
