/* cli.c - the command line: options, lesson names, --cmd splitting. */
#include "cli.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"

int cli_lesson_id(const char *arg, char *out, size_t outlen)
{
	const char *p = arg;
	size_t len = strlen(arg);
	char *end;
	long n;

	while (len > 0 && arg[len - 1] == '/')
		len--;
	if (len >= 8 && strncmp(arg, "lessons/", 8) == 0)
		p += 8;
	if (strncmp(p, "lesson", 6) == 0)
		p += 6;
	if (!isdigit((unsigned char)*p))
		return -1;
	errno = 0;
	n = strtol(p, &end, 10);
	if (errno || n < 1 || n > 99 || (size_t)(end - arg) != len)
		return -1;
	snprintf(out, outlen, "lesson%02ld", n);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_lesson_dir(const struct dirent *e)
{
	return strncmp(e->d_name, "lesson", 6) == 0;
}

/* Every lesson of the checkout that has a spec, in order. */
static char **all_lessons(const char *root)
{
	char *dir = xasprintf("%s/lessons", root);
	struct dirent **list;
	int n = scandir(dir, &list, is_lesson_dir, by_name);
	char **ids = xcalloc(n > 0 ? (size_t)n + 1 : 1, sizeof(char *));
	size_t k = 0;

	for (int i = 0; i < n; i++) {
		char *spec = xasprintf("%s/%s/spec.json", dir, list[i]->d_name);
		if (access(spec, R_OK) == 0)
			ids[k++] = xstrdup(list[i]->d_name);
		free(spec);
		free(list[i]);
	}
	if (n > 0)
		free(list);
	free(dir);
	return ids;
}

void cli_lessons_free(char **ids)
{
	for (size_t i = 0; ids && ids[i]; i++)
		free(ids[i]);
	free(ids);
}

char **cli_lessons(const char *list, const char *root, char *err)
{
	char *copy, *save = NULL;
	char **ids;
	size_t n = 0;

	if (strcmp(list, "all") == 0)
		return all_lessons(root);
	copy = xstrdup(list);
	ids = xcalloc(1, sizeof(char *));
	for (char *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		char id[32];
		if (cli_lesson_id(w, id, sizeof(id)) < 0) {
			errf(err, _("not a lesson name: %s (try lesson03 or 3)"), w);
			cli_lessons_free(ids);
			free(copy);
			return NULL;
		}
		ids = xrealloc(ids, (n + 2) * sizeof(char *));
		ids[n++] = xstrdup(id);
		ids[n] = NULL;
	}
	free(copy);
	if (n == 0) {
		errf(err, "%s", _("--lessons names no lesson"));
		cli_lessons_free(ids);
		return NULL;
	}
	return ids;
}

char **cli_split(const char *cmd, char *err)
{
	char **v = xcalloc(1, sizeof(char *));
	size_t n = 0;
	const char *p = cmd;

	for (;;) {
		struct buf w = {0};
		int in_word = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
			in_word = 1;
			if (*p == '\'') {
				const char *end = strchr(p + 1, '\'');
				if (!end)
					goto open_quote;
				buf_append(&w, p + 1, (size_t)(end - p - 1));
				p = end + 1;
			} else if (*p == '"') {
				for (p++; *p && *p != '"'; p++) {
					if (*p == '\\' && p[1] && strchr("\"\\$`", p[1]))
						p++;
					buf_append(&w, p, 1);
				}
				if (!*p)
					goto open_quote;
				p++;
			} else {
				if (*p == '\\' && p[1])
					p++;
				buf_append(&w, p, 1);
				p++;
			}
		}
		if (in_word) {
			v = xrealloc(v, (n + 2) * sizeof(char *));
			v[n++] = buf_steal(&w);
			v[n] = NULL;
		}
		continue;
	open_quote:
		buf_free(&w);
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		free(v);
		errf(err, _("--cmd: a quote is not closed"));
		return NULL;
	}
	if (n == 0) {
		free(v);
		errf(err, _("--cmd: the command is empty"));
		return NULL;
	}
	return v;
}

static int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

enum {
	OPT_TIER = 256,
	OPT_NO_WEAK,
	OPT_ALLOW_WEAK,
	OPT_LESSONS,
	OPT_OUT,
	OPT_FORCE,
	OPT_ROOT,
	OPT_PCAP,
	OPT_REPRO,
	OPT_SPEC,
	OPT_ASAN,
	OPT_VALGRIND,
};

static int parse_format(const char *s, enum format *out)
{
	static const char *const names[] = {"human", "json",       "junit",
	                                    "tap",   "gradescope", "github"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum format)i;
			return 0;
		}
	return -1;
}

/* The subcommand, if argv[1] names one. */
static enum command parse_command(int argc, char **argv)
{
	static const struct {
		const char *name;
		enum command command;
	} names[] = {
	        {"grade", CMD_GRADE},   {"gradescope", CMD_GRADESCOPE}, {"pista", CMD_HINT},
	        {"hint", CMD_HINT},     {"reiniciar", CMD_RESET},       {"reset", CMD_RESET},
	        {"doctor", CMD_DOCTOR},
	};

	for (size_t i = 0; argc > 1 && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(argv[1], names[i].name) == 0)
			return names[i].command;
	return CMD_LESSON;
}

static const char *command_name(enum command c)
{
	static const char *const names[] = {
	        [CMD_LESSON] = "LESSON",         [CMD_PROGRESS] = "",  [CMD_GRADE] = "grade",
	        [CMD_GRADESCOPE] = "gradescope", [CMD_HINT] = "pista", [CMD_RESET] = "reiniciar",
	        [CMD_DOCTOR] = "doctor",
	};

	return names[c];
}

/* Options that make sense only for some commands. */
static int check_fit(const struct cli *c, char *err)
{
	int lesson = c->command == CMD_LESSON;

	if (!lesson && (c->dir || c->cmd || c->only || c->watch || c->verbose || c->pcap ||
	                c->repro || c->instrument || c->spec))
		return errf(err,
		            _("--dir, --cmd, --test, --watch, --verbose, --pcap, --repro, --asan, "
		              "--valgrind and --spec are for grading one lesson, not for %s"),
		            command_name(c->command)),
		       -1;
	if (c->command != CMD_GRADE && (c->out || c->force))
		return errf(err, "%s", _("--out and --force are for ./checker grade")), -1;
	if (c->lessons && c->command != CMD_GRADE && c->command != CMD_GRADESCOPE)
		return errf(err, "%s", _("--lessons is for ./checker grade")), -1;
	if (c->command != CMD_GRADESCOPE && c->root)
		return errf(err, "%s", _("--root is for ./checker gradescope")), -1;
	if (c->allow_weak && c->command != CMD_GRADE && c->command != CMD_GRADESCOPE)
		return errf(err, "%s", _("--allow-weak is for ./checker grade and gradescope")), -1;
	if (c->allow_weak && c->no_weak)
		return errf(err, "%s", _("--allow-weak and --no-weak say opposite things")), -1;
	if (c->command != CMD_RESET && c->yes)
		return errf(err, "%s", _("--yes is for ./checker reiniciar")), -1;
	if (c->command == CMD_GRADE && c->format != FORMAT_HUMAN && c->format != FORMAT_JUNIT)
		return errf(err, "%s",
		            _("./checker grade always writes JSON, CSV and HTML; --format adds "
		              "only "
		              "junit")),
		       -1;
	if (c->watch && c->format != FORMAT_HUMAN)
		return errf(err, "%s",
		            _("--watch shows the report for people: leave out --format")),
		       -1;
	if (c->cmd && c->instrument)
		return errf(err, "%s",
		            _("--asan and --valgrind build your C program: they cannot go with "
		              "--cmd")),
		       -1;
	return 0;
}

/* Did the command line ask for anything about one lesson? */
static int wants_lesson(const struct cli *c)
{
	return c->dir || c->cmd || c->only || c->watch || c->verbose || c->pcap || c->repro ||
	       c->instrument || c->has_seed || c->format != FORMAT_HUMAN || c->jobs ||
	       c->tier != TIER_AUTO || c->no_weak;
}

/* The positional arguments: a lesson, or the submissions folder. */
static int positional(int argc, char **argv, struct cli *c, char *err)
{
	int want = c->command == CMD_GRADESCOPE || c->command == CMD_DOCTOR ? 0 : 1;

	if (c->command == CMD_LESSON && optind >= argc && !wants_lesson(c)) {
		c->command = CMD_PROGRESS; /* plain ./checker: how far the learner has got */
		return 0;
	}
	if (optind + want < argc)
		return errf(err, _("unexpected argument: %s"), argv[optind + want]), -1;
	if (want == 0)
		return 0;
	if (optind >= argc)
		return errf(err, "%s",
		            c->command == CMD_GRADE
		                    ? _("which submissions? For example: ./checker grade entregas/")
		                    : _("which lesson? For example: ./checker lesson03")),
		       -1;
	if (c->command == CMD_GRADE) {
		c->subs = argv[optind];
		return 0;
	}
	if (cli_lesson_id(argv[optind], c->lesson, sizeof(c->lesson)) < 0)
		return errf(err, _("not a lesson name: %s (try lesson03 or 3)"), argv[optind]), -1;
	return 0;
}

/* One option; -1 with err if its value is wrong. */
static int parse_option(int ch, const char *arg, struct cli *c, char *err)
{
	uint64_t v;

	switch (ch) {
	case 'd':
		c->dir = arg;
		break;
	case 'c':
		c->cmd = arg;
		break;
	case 'f':
		if (parse_format(arg, &c->format) < 0)
			return errf(err, "%s",
			            _("--format takes human, json, junit, tap, gradescope or "
			              "github")),
			       -1;
		break;
	case 's':
		/* At most 15 digits: JSON readers keep those exactly. */
		if (parse_uint(arg, 999999999999999ULL, &c->seed) < 0)
			return errf(err, _("--seed takes a whole number")), -1;
		c->has_seed = 1;
		break;
	case 'l':
		if (strcmp(arg, "es") != 0 && strcmp(arg, "en") != 0)
			return errf(err, _("--lang takes es or en")), -1;
		c->lang = arg;
		break;
	case 'j':
		if (parse_uint(arg, 32, &v) < 0 || v == 0)
			return errf(err, _("--jobs takes a number from 1 to 32")), -1;
		c->jobs = (int)v;
		break;
	case 't':
		c->only = arg;
		break;
	case 'w':
		c->watch = 1;
		break;
	case 'v':
		c->verbose = 1;
		break;
	case 'y':
		c->yes = 1;
		break;
	case OPT_TIER:
		if (box_tier_parse(arg, &c->tier) < 0)
			return errf(err, _("--tier takes A, B, C or auto")), -1;
		break;
	case OPT_NO_WEAK:
		c->no_weak = 1;
		break;
	case OPT_ALLOW_WEAK:
		c->allow_weak = 1;
		break;
	case OPT_LESSONS:
		c->lessons = arg;
		break;
	case OPT_OUT:
		c->out = arg;
		break;
	case OPT_FORCE:
		c->force = 1;
		break;
	case OPT_ROOT:
		c->root = arg;
		break;
	case OPT_PCAP:
		c->pcap = arg;
		break;
	case OPT_REPRO:
		c->repro = arg;
		break;
	case OPT_SPEC:
		c->spec = arg;
		break;
	case OPT_ASAN:
	case OPT_VALGRIND:
		if (c->instrument != INSTRUMENT_NONE)
			return errf(err, "%s", _("--asan and --valgrind cannot go together")), -1;
		c->instrument = ch == OPT_ASAN ? INSTRUMENT_ASAN : INSTRUMENT_VALGRIND;
		break;
	case 'h':
		c->help = 1;
		break;
	case 'V':
		c->version = 1;
		break;
	}
	return 0;
}

static int unknown_option(int argc, char **argv, char *err)
{
	if (optopt > 0 && optopt < 128 && isalpha(optopt))
		return errf(err, _("unknown option or missing value: -%c"), optopt), -1;
	return errf(err, _("unknown option or missing value: %s"),
	            argv[optind - 1 < argc ? optind - 1 : argc - 1]),
	       -1;
}

int cli_parse(int argc, char **argv, struct cli *c, char *err)
{
	static const struct option opts[] = {
	        {"dir", required_argument, NULL, 'd'},
	        {"cmd", required_argument, NULL, 'c'},
	        {"format", required_argument, NULL, 'f'},
	        {"seed", required_argument, NULL, 's'},
	        {"lang", required_argument, NULL, 'l'},
	        {"jobs", required_argument, NULL, 'j'},
	        {"test", required_argument, NULL, 't'},
	        {"watch", no_argument, NULL, 'w'},
	        {"verbose", no_argument, NULL, 'v'},
	        {"yes", no_argument, NULL, 'y'},
	        {"tier", required_argument, NULL, OPT_TIER},
	        {"no-weak", no_argument, NULL, OPT_NO_WEAK},
	        {"allow-weak", no_argument, NULL, OPT_ALLOW_WEAK},
	        {"lessons", required_argument, NULL, OPT_LESSONS},
	        {"out", required_argument, NULL, OPT_OUT},
	        {"force", no_argument, NULL, OPT_FORCE},
	        {"root", required_argument, NULL, OPT_ROOT},
	        {"pcap", required_argument, NULL, OPT_PCAP},
	        {"repro", required_argument, NULL, OPT_REPRO},
	        {"spec", required_argument, NULL, OPT_SPEC},
	        {"asan", no_argument, NULL, OPT_ASAN},
	        {"valgrind", no_argument, NULL, OPT_VALGRIND},
	        {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, 'V'},
	        {NULL, 0, NULL, 0},
	};
	int ch;

	memset(c, 0, sizeof(*c));
	c->tier = TIER_AUTO;
	c->command = parse_command(argc, argv);
	if (c->command != CMD_LESSON) {
		argc--; /* the subcommand's words follow it */
		argv++;
	}
	opterr = 0;
	optind = 0; /* 0, not 1: glibc then also forgets a half-read "-hV" */
	while ((ch = getopt_long(argc, argv, "d:c:f:s:l:j:t:wvyhV", opts, NULL)) != -1) {
		if (ch == '?' || ch == ':')
			return unknown_option(argc, argv, err);
		if (parse_option(ch, optarg, c, err) < 0)
			return -1;
		if (c->help || c->version)
			return 0;
	}
	if (positional(argc, argv, c, err) < 0)
		return -1;
	return check_fit(c, err);
}

/* --help, GNU style. One message per group keeps translators' context whole. */
void cli_usage(void)
{
	/* TRANSLATORS: --help. Keep every line within 79 columns and the
	 * descriptions in their column; leave ./checker, the commands (pista,
	 * reiniciar, grade...), the options and their values as they are. */
	fputs(_("Usage: ./checker [OPTION]... LESSON\n"
	        "  or:  ./checker [--lang=LANG]\n"
	        "  or:  ./checker pista LESSON\n"
	        "  or:  ./checker reiniciar [--yes] LESSON\n"
	        "  or:  ./checker grade [OPTION]... SUBMISSIONS\n"
	        "  or:  ./checker gradescope [--lessons=LIST] [--root=DIR]\n"
	        "  or:  ./checker doctor\n"
	        "Grade your C program for LESSON (lesson03, 3 or lessons/lesson03).\n"
	        "\n"
	        "Mandatory arguments to long options are mandatory for short options too.\n"
	        "\n"
	        "Grading one lesson:\n"
	        "  -d, --dir=DIR          grade the sources in DIR instead of lessons/LESSON\n"
	        "  -c, --cmd=CMD          run CMD (any language) in a copy of that folder\n"
	        "                           instead of building; the lesson's arguments are\n"
	        "                           appended\n"
	        "  -f, --format=FORMAT    human (default), json, junit, tap, gradescope or\n"
	        "                           github\n"
	        "  -s, --seed=N           replay the same random inputs\n"
	        "  -t, --test=ID          run only the test ID\n"
	        "  -j, --jobs=N           run N tests at once (1 to 32)\n"
	        "      --tier=TIER        isolation: A, B, C or auto (default: the strongest\n"
	        "                           this machine offers)\n"
	        "      --no-weak          refuse a weak tier (C, or B without subordinate\n"
	        "                           uids): see ./checker doctor\n"),
	      stdout);
	/* TRANSLATORS: --help, continued: same rules. */
	fputs(_("\n"
	        "Learning:\n"
	        "  (no argument)          show your progress and which lesson to do next\n"
	        "  pista LESSON           show the lesson's next hint (alias: hint)\n"
	        "  reiniciar LESSON       restore the starter file, keeping a backup of yours\n"
	        "                           (alias: reset)\n"
	        "  -y, --yes              reiniciar: do not ask first\n"
	        "  -w, --watch            grade again every time you save\n"
	        "  -v, --verbose          transcripts with long lines, of passing tests too\n"
	        "      --pcap=FILE        write the first failing test's traffic to FILE, a\n"
	        "                           capture for Wireshark\n"
	        "      --repro=DIR        write a Python script per failing test into DIR that\n"
	        "                           replays it against your program\n"
	        "      --asan             build with AddressSanitizer and UBSan, and explain\n"
	        "                           memory errors\n"
	        "      --valgrind         run your program under valgrind\n"
	        "      --spec=FILE        use FILE as the lesson's spec (for lesson authors)\n"),
	      stdout);
	/* TRANSLATORS: --help, continued: same rules. */
	fputs(_("\n"
	        "A whole class:\n"
	        "  grade SUBMISSIONS      grade every student's folder or archive in\n"
	        "                           SUBMISSIONS into JSON, CSV and HTML\n"
	        "  gradescope             grade inside Gradescope's autograder\n"
	        "      --lessons=LIST     the lessons, as lesson03,5 or all (default: grade,\n"
	        "                           those found; gradescope, all)\n"
	        "  -j, --jobs=N           gradings at once (default: one per processor)\n"
	        "      --out=DIR          where results and reports go (default: notas)\n"
	        "  -s, --seed=N           seeds derived from N, the student and the lesson\n"
	        "      --force            grade again what has not changed\n"
	        "  -f, --format=junit     also write DIR/junit.xml\n"
	        "      --root=DIR         gradescope's folder (default: /autograder)\n"
	        "      --allow-weak       grade even with a weak tier (refused otherwise)\n"
	        "  grade also takes --tier and --lang.\n"),
	      stdout);
	/* TRANSLATORS: --help, the end: same rules. Point to the Spanish manual,
	 * man ./share/man/es/man1/checker.1. */
	fputs(_("\n"
	        "Other:\n"
	        "  -l, --lang=LANG        language of the messages: es (default) or en\n"
	        "  doctor                 show what isolation this machine offers\n"
	        "  -h, --help             display this help and exit\n"
	        "  -V, --version          output version information and exit\n"
	        "\n"
	        "Exit status:\n"
	        "  0      every test passed (grade: every submission was graded)\n"
	        "  1      some test failed (grade: the checker failed on some)\n"
	        "  2      could not run (usage, unknown lesson, bad spec, unavailable tier)\n"
	        "  128+N  interrupted by signal N (130 for Ctrl-C)\n"
	        "\n"
	        "Full manual: man ./share/man/man1/checker.1 (or man checker once installed)\n"
	        "and README.es.md.\n"),
	      stdout);
}

/* --version. GNU adds copyright and licence lines; the repository has no
 * licence yet, so stating terms here would grant what nobody has. */
void cli_version(const char *version)
{
	printf("checker %s\n", version);
}
