/* cli.c - the command line: options, lesson names, --cmd splitting. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

enum { OPT_TIER = 256, OPT_NO_WEAK };

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
	        {"tier", required_argument, NULL, OPT_TIER},
	        {"no-weak", no_argument, NULL, OPT_NO_WEAK},
	        {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, 'V'},
	        {NULL, 0, NULL, 0},
	};
	uint64_t v;
	int ch;

	memset(c, 0, sizeof(*c));
	c->tier = TIER_AUTO;
	opterr = 0;
	optind = 0; /* 0, not 1: glibc then also forgets a half-read "-hV" */
	while ((ch = getopt_long(argc, argv, "d:c:f:s:l:j:t:hV", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			c->dir = optarg;
			break;
		case 'c':
			c->cmd = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				c->format = FORMAT_JSON;
			else if (strcmp(optarg, "human") == 0)
				c->format = FORMAT_HUMAN;
			else
				return errf(err, _("--format takes human or json")), -1;
			break;
		case 's':
			/* At most 15 digits: JSON readers keep those exactly. */
			if (parse_uint(optarg, 999999999999999ULL, &c->seed) < 0)
				return errf(err, _("--seed takes a whole number")), -1;
			c->has_seed = 1;
			break;
		case 'l':
			if (strcmp(optarg, "es") != 0 && strcmp(optarg, "en") != 0)
				return errf(err, _("--lang takes es or en")), -1;
			c->lang = optarg;
			break;
		case 'j':
			if (parse_uint(optarg, 32, &v) < 0 || v == 0)
				return errf(err, _("--jobs takes a number from 1 to 32")), -1;
			c->jobs = (int)v;
			break;
		case 't':
			c->only = optarg;
			break;
		case OPT_TIER:
			if (box_tier_parse(optarg, &c->tier) < 0)
				return errf(err, _("--tier takes A, B, C or auto")), -1;
			break;
		case OPT_NO_WEAK:
			c->no_weak = 1;
			break;
		case 'h':
			c->help = 1;
			return 0;
		case 'V':
			c->version = 1;
			return 0;
		default:
			if (optopt > 0 && optopt < 128 && isalpha(optopt))
				return errf(err, _("unknown option or missing value: -%c"), optopt),
				       -1;
			return errf(err, _("unknown option or missing value: %s"),
			            argv[optind - 1]),
			       -1;
		}
	}
	if (optind >= argc)
		return errf(err, _("which lesson? For example: ./checker lesson03")), -1;
	if (optind + 1 < argc)
		return errf(err, _("unexpected argument: %s"), argv[optind + 1]), -1;
	if (cli_lesson_id(argv[optind], c->lesson, sizeof(c->lesson)) < 0)
		return errf(err, _("not a lesson name: %s (try lesson03 or 3)"), argv[optind]), -1;
	return 0;
}

void cli_usage(void)
{
	fputs(_("Usage: ./checker LESSON [options]\n"
	        "Grade your program for a lesson (lesson03, or just 3).\n"
	        "\n"
	        "  --dir DIR             grade the sources in DIR instead of lessons/LESSON\n"
	        "  --cmd 'CMD'           run CMD (any language) in a copy of that folder\n"
	        "                        instead of building; the lesson's arguments are\n"
	        "                        appended\n"
	        "  --format human|json   a report for people (default) or for programs\n"
	        "  --seed N              replay the same random inputs\n"
	        "  --lang es|en          language of the messages (Spanish by default)\n"
	        "  --test ID             run only the test ID\n"
	        "  --jobs N              run N tests at once\n"
	        "  --tier A|B|C|auto     isolation (default auto: the strongest here)\n"
	        "  --no-weak             refuse to run with the weak tier C\n"
	        "  --help, --version\n"
	        "./checker doctor: what isolation this machine offers\n"
	        "\n"
	        "Exit status: 0 every test passed, 1 some test failed, 2 could not run.\n"),
	      stdout);
}
