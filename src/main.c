/* main.c - ./checker LESSON: grade a learner's program and report it. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "box.h"
#include "cli.h"
#include "doctor.h"
#include "grade.h"
#include "gradescope.h"
#include "hints.h"
#include "i18n.h"
#include "journal.h"
#include "overview.h"
#include "recipe.h"
#include "report.h"
#include "restore.h"
#include "rng.h"
#include "run.h"
#include "spec.h"
#include "watch.h"

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

static int default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	return n + 1 > 8 ? 8 : (int)n + 1;
}

/* The tier asked for, or the strongest here; -1 (said on stderr) if it
 * cannot be had, or is weak and refused: by --no-weak, or for a whole
 * class (batch) unless --allow-weak. */
static int pick_tier(const struct cli *c, int batch, enum tier *out)
{
	char err[ERR_LEN];

	if (box_pick_tier(c->tier, c->no_weak || (batch && !c->allow_weak), out, err) == 0)
		return 0;
	fprintf(stderr, "checker: %s\n", err);
	if (batch && !c->no_weak && box_tier_weak(*out))
		fprintf(stderr, "%s\n",
		        _("A submission could then act with your own rights. To grade with it "
		          "anyway, add --allow-weak; ./checker doctor shows what this machine "
		          "lacks."));
	else
		fprintf(stderr, "%s\n", _("See ./checker doctor for what this machine offers."));
	return -1;
}

/* " --name value", the value quoted for the shell if it needs it; nothing
 * when value is NULL. */
static void add_option(struct buf *b, const char *name, const char *value)
{
	char *w;

	if (!value)
		return;
	w = shell_word(value);
	buf_printf(b, " --%s %s", name, w);
	free(w);
}

static char *rerun_command(const struct cli *c, uint64_t seed)
{
	struct buf b = {0};

	buf_printf(&b, "./checker %s --seed %llu", c->lesson, (unsigned long long)seed);
	add_option(&b, "dir", c->dir);
	add_option(&b, "cmd", c->cmd);
	add_option(&b, "test", c->only);
	add_option(&b, "spec", c->spec);
	if (c->tier != TIER_AUTO)
		add_option(&b, "tier", box_tier_name(c->tier));
	add_option(&b, "pcap", c->pcap);
	if (c->instrument != INSTRUMENT_NONE)
		buf_puts(&b, c->instrument == INSTRUMENT_ASAN ? " --asan" : " --valgrind");
	add_option(&b, "lang", c->lang);
	return buf_steal(&b);
}

static void on_build(const struct result *r, void *ctx)
{
	report_human_header(ctx, r);
}

static void on_test(const struct result *r, size_t i, void *ctx)
{
	if (!run_stopped())
		report_human_test(ctx, &r->tests[i]);
}

/* One lesson's result in a machine-readable format, on stdout. */
static void report_for_programs(enum format f, const struct result *r, double seconds)
{
	const struct result *one[1] = {r};

	switch (f) {
	case FORMAT_JUNIT:
		report_junit(stdout, one, NULL, 1);
		break;
	case FORMAT_TAP:
		report_tap(stdout, r);
		break;
	case FORMAT_GRADESCOPE:
		report_gradescope(stdout, one, 1, seconds);
		break;
	case FORMAT_GITHUB:
		report_github(stdout, r);
		break;
	default:
		report_json(stdout, r);
	}
}

static int usage_error(const char *msg)
{
	fprintf(stderr, "checker: %s\n", msg);
	fprintf(stderr, "%s\n", _("Try: ./checker --help"));
	return EXIT_USAGE;
}

/* A whole grading of the learner's own lesson folder goes into their
 * progress file (not --dir, --cmd or --test runs: those are not theirs, or
 * not whole). */
static void remember(const struct cli *c, const char *root, const struct result *r)
{
	struct journal j;

	if (c->dir || c->cmd || c->only)
		return;
	journal_load(&j, root);
	journal_graded(&j, r->lesson, r->score, r->max_score);
	if (journal_save(&j, root) < 0)
		fprintf(stderr, _("checker: cannot save your progress in %s/%s\n"), root,
		        JOURNAL_FILE);
	journal_free(&j);
}

/* --pcap: where the packets went, or why none did. */
static void tell_capture(const struct cli *c, const struct result *r)
{
	FILE *f = c->format == FORMAT_HUMAN ? stdout : stderr; /* never in a JSON stdout */
	char *w;

	if (r->capture_error) {
		fprintf(stderr, _("checker: --pcap: nothing was saved: %s\n"), r->capture_error);
		return;
	}
	if (!r->capture) {
		fprintf(f, "%s\n",
		        _("--pcap: no test failed, so no packets were saved (with --test ID, that "
		          "test's are)."));
		return;
	}
	w = shell_word(c->pcap);
	/* TRANSLATORS: the test's id, then the file (twice). */
	fprintf(f,
	        _("The packets of test %s are in %s: open it with Wireshark, or read it with "
	          "tcpdump -A -r %s\n"),
	        r->capture, w, w);
	free(w);
}

/* --repro: a script per failed test, and how to run it. */
static void write_repro(const struct cli *c, const char *root, const struct spec *s,
                        const struct result *r)
{
	FILE *f = c->format == FORMAT_HUMAN ? stdout : stderr; /* never in a JSON stdout */
	char *player = xasprintf("%s/share/repro/player.py", root);
	char err[ERR_LEN];
	int any = 0;

	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_result *t = &r->tests[i];
		char *script, *w;
		if (t->status != ST_FAIL)
			continue;
		any = 1;
		if (recipe_write(c->repro, player, s, t, (unsigned long long)r->seed, err) < 0) {
			fprintf(stderr, _("checker: --repro: %s: %s\n"), t->id, err);
			continue;
		}
		script = xasprintf("%s/%s.py", c->repro, t->id);
		w = shell_word(script);
		/* TRANSLATORS: a test's id, then the command that runs its script. */
		fprintf(f, _("To replay %s against your program: python3 %s\n"), t->id, w);
		free(w);
		free(script);
	}
	if (!any)
		fprintf(f, "%s\n", _("--repro: no test failed, so there is nothing to replay."));
	free(player);
}

static int grade_lesson(const struct cli *c, const char *root)
{
	char err[ERR_LEN];
	char *spec_path =
	        c->spec ? xstrdup(c->spec) : xasprintf("%s/lessons/%s/spec.json", root, c->lesson);
	char *src = c->dir ? xstrdup(c->dir) : xasprintf("%s/lessons/%s", root, c->lesson);
	struct report rp = {stdout, report_want_color(stdout), c->verbose};
	struct run_opts o = {0};
	struct result res;
	struct spec *spec = NULL;
	int rc = EXIT_USAGE;
	int64_t t0;

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
	if (pick_tier(c, 0, &o.tier) < 0)
		goto out;
	o.seed = c->has_seed ? c->seed : rng_fresh_seed();
	o.jobs = c->jobs ? c->jobs : default_jobs();
	o.only = c->only;
	o.instrument = c->instrument;
	o.pcap = c->pcap;
	if (c->format == FORMAT_HUMAN) {
		o.on_build = on_build;
		o.on_test = on_test;
		o.ctx = &rp;
	}
	t0 = now_ms();
	if (run_lesson(spec, &o, &res, err) < 0) {
		fprintf(stderr, _("checker: cannot grade %s: %s\n"), c->lesson, err);
		goto out;
	}
	if (run_stopped()) {
		fprintf(stderr, "\n%s\n", _("checker: interrupted; nothing was left running."));
		rc = 128 + run_stopped();
	} else if (c->format != FORMAT_HUMAN) {
		report_for_programs(c->format, &res, (double)(now_ms() - t0) / 1000.0);
	} else {
		char *rerun = rerun_command(c, o.seed);
		report_human_summary(&rp, &res, rerun);
		free(rerun);
	}
	if (!run_stopped() && c->pcap)
		tell_capture(c, &res);
	if (!run_stopped() && c->repro)
		write_repro(c, root, spec, &res);
	if (!run_stopped()) {
		rc = result_exit_code(&res);
		remember(c, root, &res);
	}
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

/* Ctrl-C, kill and a closed terminal end a run cleanly (no SA_RESTART:
 * the wait in progress returns at once). */
static void on_stop_signals(void (*fn)(int))
{
	struct sigaction sa = {0};

	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

struct watched {
	const struct cli *c;
	const char *root;
};

static int grade_watched(void *ctx)
{
	const struct watched *w = ctx;

	return grade_lesson(w->c, w->root);
}

static int watch_lesson(const struct cli *c, const char *root)
{
	struct watched w = {c, root};
	char *dir = c->dir ? xstrdup(c->dir) : xasprintf("%s/lessons/%s", root, c->lesson);
	int rc;

	if (!is_dir(dir)) {
		fprintf(stderr, _("checker: the folder %s does not exist\n"), dir);
		free(dir);
		return EXIT_USAGE;
	}
	rc = watch_run(dir, grade_watched, &w, stdout);
	free(dir);
	return rc;
}

static int grade_batch(const struct cli *c, const char *root)
{
	struct grade_opts o = {0};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (!is_dir(c->subs)) {
		fprintf(stderr, _("checker: the folder %s does not exist\n"), c->subs);
		return EXIT_USAGE;
	}
	if (pick_tier(c, 1, &o.tier) < 0)
		return EXIT_USAGE;
	o.root = root;
	o.subs = c->subs;
	o.out = c->out ? c->out : "notas";
	o.lessons = c->lessons;
	o.jobs = c->jobs ? c->jobs : cpus < 1 ? 1 : cpus > 32 ? 32 : (int)cpus;
	o.has_seed = c->has_seed;
	o.seed = c->seed;
	o.force = c->force;
	o.lang = c->lang;
	o.junit = c->format == FORMAT_JUNIT;
	return grade_class(&o);
}

#define WANT_OPEN_FILES 32768 /* a test may hold tens of thousands of connections */

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
	on_stop_signals(run_stop);
	raise_open_files();
	box_remember_args(argc, argv);
	setup_i18n(root, early_lang(argc, argv));
	if (cli_parse(argc, argv, &c, err) < 0) {
		free(root);
		return usage_error(err);
	}
	if (c.help || c.version) {
		if (c.help)
			cli_usage();
		else
			cli_version(VERSION);
		free(root);
		return 0;
	}
	switch (c.command) {
	case CMD_LESSON:
		rc = c.watch ? watch_lesson(&c, root) : grade_lesson(&c, root);
		break;
	case CMD_PROGRESS:
		rc = overview_run(root, stdout);
		break;
	case CMD_GRADE:
		rc = grade_batch(&c, root);
		break;
	case CMD_GRADESCOPE:
		rc = gradescope_run(&c, root);
		break;
	case CMD_HINT:
		rc = hints_run(root, c.lesson, stdout);
		break;
	case CMD_RESET:
		rc = restore_run(root, c.lesson, c.yes, stdin, stdout);
		break;
	default:
		rc = doctor_run(stdout);
	}
	free(root);
	return rc;
}
