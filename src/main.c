/* main.c - ./checker LESSON: grade a learner's program and report it. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "box.h"
#include "cli.h"
#include "doctor.h"
#include "i18n.h"
#include "report.h"
#include "run.h"
#include "spec.h"

#define EXIT_USAGE 2
#define VERSION    "0.1"

static int is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The checkout the binary lives in: the first folder above it with lessons/. */
static char *find_root(void)
{
	const char *env = getenv("CHECKER_ROOT");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return xstrdup(".");
	exe[n] = '\0';
	for (int up = 0; up < 4; up++) {
		char *slash = strrchr(exe, '/');
		char *probe;
		int found;

		if (!slash)
			break;
		*slash = '\0';
		probe = xasprintf("%s/lessons", *exe ? exe : "/");
		found = is_dir(probe);
		free(probe);
		if (found)
			return xstrdup(*exe ? exe : "/");
	}
	return xstrdup(".");
}

static void setup_i18n(const char *root, const char *lang)
{
	const char *env = getenv("CHECKER_LOCALEDIR");
	char *dir = env && *env ? xstrdup(env) : xasprintf("%s/build/locale", root);

	i18n_init(i18n_pick(lang), dir);
	free(dir);
}

/* The option --lang must be known before any message is printed. */
static const char *early_lang(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			return argv[i + 1];
		if (strncmp(argv[i], "--lang=", 7) == 0)
			return argv[i] + 7;
	}
	return NULL;
}

static uint64_t random_seed(void)
{
	uint32_t v = 0;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = (uint32_t)getpid() ^ (uint32_t)time(NULL);
	return 1 + v % 999999;
}

static int default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	return n + 1 > 8 ? 8 : (int)n + 1;
}

static int resolve_tier(enum tier asked, enum tier *out)
{
	if (asked == TIER_AUTO) {
		*out = box_best_tier();
		return 0;
	}
	*out = asked;
	return box_tier_works(asked) ? 0 : -1;
}

static char *rerun_command(const struct cli *c, uint64_t seed)
{
	struct buf b = {0};

	buf_printf(&b, "./checker %s --seed %llu", c->lesson, (unsigned long long)seed);
	if (c->dir) {
		char *w = shell_word(c->dir);
		buf_printf(&b, " --dir %s", w);
		free(w);
	}
	if (c->cmd) {
		char *w = shell_word(c->cmd);
		buf_printf(&b, " --cmd %s", w);
		free(w);
	}
	if (c->only)
		buf_printf(&b, " --test %s", c->only);
	if (c->tier != TIER_AUTO)
		buf_printf(&b, " --tier %s", box_tier_name(c->tier));
	if (c->lang)
		buf_printf(&b, " --lang %s", c->lang);
	return buf_steal(&b);
}

static void on_build(const struct result *r, void *ctx)
{
	report_human_header(ctx, r);
}

static void on_test(const struct result *r, size_t i, void *ctx)
{
	report_human_test(ctx, &r->tests[i]);
}

static int usage_error(const char *msg)
{
	fprintf(stderr, "checker: %s\n", msg);
	fprintf(stderr, "%s\n", _("Try: ./checker --help"));
	return EXIT_USAGE;
}

static int grade(const struct cli *c, const char *root)
{
	char err[ERR_LEN];
	char *spec_path = xasprintf("%s/lessons/%s/spec.json", root, c->lesson);
	char *src = c->dir ? xstrdup(c->dir) : xasprintf("%s/lessons/%s", root, c->lesson);
	struct report rp = {stdout, report_want_color(stdout)};
	struct run_opts o = {0};
	struct result res;
	struct spec *spec = NULL;
	int rc = EXIT_USAGE;

	if (access(spec_path, F_OK) < 0) {
		fprintf(stderr, _("checker: there is no lesson %s (%s not found)\n"), c->lesson,
		        spec_path);
		goto out;
	}
	if (!(spec = spec_load(spec_path, err))) {
		fprintf(stderr, _("checker: bad spec: %s\n"), err);
		goto out;
	}
	if (!is_dir(src)) {
		fprintf(stderr, _("checker: the folder %s does not exist\n"), src);
		goto out;
	}
	o.src_dir = src;
	o.cmd_text = c->cmd;
	if (c->cmd && !(o.cmd = cli_split(c->cmd, err))) {
		rc = usage_error(err);
		goto out;
	}
	if (resolve_tier(c->tier, &o.tier) < 0) {
		fprintf(stderr, _("checker: isolation tier %s is not available on this machine\n"),
		        box_tier_name(c->tier));
		goto out;
	}
	if (c->no_weak && o.tier == TIER_C) {
		fprintf(stderr, "%s\n",
		        _("checker: --no-weak refuses the weak isolation of tier C (see ./checker "
		          "doctor for what this machine offers)"));
		goto out;
	}
	o.seed = c->has_seed ? c->seed : random_seed();
	o.jobs = c->jobs ? c->jobs : default_jobs();
	o.only = c->only;
	if (c->format == FORMAT_HUMAN) {
		o.on_build = on_build;
		o.on_test = on_test;
		o.ctx = &rp;
	}
	if (run_lesson(spec, &o, &res, err) < 0) {
		fprintf(stderr, _("checker: cannot grade %s: %s\n"), c->lesson, err);
		goto out;
	}
	if (c->format == FORMAT_JSON) {
		report_json(stdout, &res);
	} else {
		char *rerun = rerun_command(c, o.seed);
		report_human_summary(&rp, &res, rerun);
		free(rerun);
	}
	rc = result_exit_code(&res);
	result_free(&res);
out:
	if (o.cmd) {
		for (size_t i = 0; o.cmd[i]; i++)
			free(o.cmd[i]);
		free(o.cmd);
	}
	spec_free(spec);
	free(spec_path);
	free(src);
	return rc;
}

#define WANT_OPEN_FILES 8192 /* a test may hold a couple of thousand connections */

/* As many open files as a test may need: up to the hard limit, or past it
 * where we may (root). */
static void raise_open_files(void)
{
	struct rlimit l;

	if (getrlimit(RLIMIT_NOFILE, &l) < 0 || l.rlim_cur >= WANT_OPEN_FILES)
		return;
	if (l.rlim_max < WANT_OPEN_FILES) {
		struct rlimit more = {WANT_OPEN_FILES, WANT_OPEN_FILES};
		if (setrlimit(RLIMIT_NOFILE, &more) == 0)
			return;
	}
	l.rlim_cur = l.rlim_max < WANT_OPEN_FILES ? l.rlim_max : WANT_OPEN_FILES;
	setrlimit(RLIMIT_NOFILE, &l);
}

int main(int argc, char **argv)
{
	char err[ERR_LEN];
	char *root = find_root();
	struct cli c;
	int rc;

	signal(SIGPIPE, SIG_IGN);
	raise_open_files();
	setup_i18n(root, early_lang(argc, argv));
	if (argc == 2 && strcmp(argv[1], "doctor") == 0) {
		free(root);
		return doctor_run(stdout);
	}
	if (cli_parse(argc, argv, &c, err) < 0) {
		free(root);
		return usage_error(err);
	}
	if (c.help || c.version) {
		if (c.help)
			cli_usage();
		else
			printf("checker %s\n", VERSION);
		free(root);
		return 0;
	}
	rc = grade(&c, root);
	free(root);
	return rc;
}
