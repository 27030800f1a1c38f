/* run.c - grade one lesson: copy, build, then every test in its own box. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boxid.h"
#include "build.h"
#include "buildcache.h"
#include "capture.h"
#include "cause.h"
#include "cgroup.h"
#include "filter.h"
#include "i18n.h"
#include "net.h"
#include "proc.h"
#include "rng.h"
#include "steps.h"
#include "workdir.h"

#define BOX_MARGIN_MS 5000 /* past the test's own deadline, the box is killed */
#define MAX_JOBS      32
#define RESULT_MAX    (64 * 1024 * 1024) /* a box's result: transcripts, outputs */
/* The box's own process (the checker's side of the test) has a cgroup of
 * its own beside the program's: room for what it holds from the program
 * (RUNNER_BUDGET, buffers that grow by doubling) and for a sanitized
 * checker, and threads for libcurl's name lookups. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifdef SANITIZED /* shadow memory and a quarantine of freed blocks: four times */
#define BOX_CHECKER_MB 2048
#else
#define BOX_CHECKER_MB 512
#endif
#define BOX_CHECKER_PIDS 64

/* Instrumented programs run slower and use more memory: every deadline of the
 * spec is stretched by SLOW_*, its CPU time as well, its memory by MORE_MEMORY. */
#define SLOW_ASAN        2
#define SLOW_VALGRIND    10
#define MORE_MEMORY      2
#define RUN_TRIES        3   /* runs of a test that fails while starved, at most */
#define RETRY_STARVED_MS 100 /* of waiting for a CPU in one run, to run it again */

struct slot {
	pid_t pid; /* 0 when free */
	int fd;
	size_t index;
	struct cgroup cg;       /* its program's limits, made and removed here */
	struct cgroup cg_box;   /* the limits of the box's own process */
	struct box_ident ident; /* its program's uid, held while the box lives */
	int64_t deadline;
	struct buf json;
};

struct run {
	const struct spec *spec;
	const struct run_opts *o;
	struct result *res;
	char *workdir;
	char **argv;
	size_t argc;
	char **envp;
	char *display;
	size_t *order; /* indexes of the tests to run */
	size_t n;
	int *done;
	int *tries;    /* per test: runs so far (a starved failure runs again) */
	size_t *again; /* tests to run again, and how many */
	size_t nagain;
	size_t next_report;
	struct spec *stretched; /* the spec with longer deadlines, when instrumented */
	int leaks;              /* LeakSanitizer can run in the box */
	char *by_hand;          /* how to build the program to see its report by hand */
	int *pcap_fds;          /* --pcap: each test's packets (a memfd), or -1 */
	char *cache;            /* the build cache's folder (no box sees it); NULL in tier C */
};

/* How the learner's program is built and run to watch its memory. */
static const char *const asan_cflags[] = {
        "-fsanitize=address,undefined",
        /* ASan finds the same overflows and says more (where the block was made) */
        "-fno-sanitize=object-size", "-fno-omit-frame-pointer", "-g", "-O1", NULL};
static const char *const valgrind_cflags[] = {"-g", "-O0", NULL};
static const char *const valgrind_argv[] = {"valgrind",
                                            "-q",
                                            "--tool=memcheck",
                                            "--leak-check=full",
                                            "--show-leak-kinds=definite",
                                            "--track-origins=yes",
                                            "--vgdb=no",
                                            NULL};

/* What a box's first process needs: its job, and where to write the result. */
struct box_arg {
	const struct box_job *job;
	int fd;
};

/* The first executable file named name in PATH, or NULL. */
static char *find_in_path(const char *name)
{
	const char *path = getenv("PATH");
	char *dirs = xstrdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin"), *save = NULL;
	char *found = NULL;

	for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *f = xasprintf("%s/%s", d, name);
		if (access(f, X_OK) == 0)
			found = f;
		else
			free(f);
	}
	free(dirs);
	return found;
}

/* llvm-symbolizer turns the sanitizers' addresses into file:line (gcc's
 * libasan manages without it; clang's does not). */
static char *find_symbolizer(void)
{
	char *found = find_in_path("llvm-symbolizer");
	glob_t g;

	if (found)
		return found;
	if (glob("/usr/lib/llvm-*/bin/llvm-symbolizer", 0, NULL, &g) == 0 && g.gl_pathc > 0)
		found = xstrdup(g.gl_pathv[g.gl_pathc - 1]);
	globfree(&g);
	return found;
}

/* LeakSanitizer stops the program's threads with ptrace (the box lets it,
 * see filter.h), unless Yama keeps ptrace for root alone (scope 2 or 3). */
static int leaks_checkable(void)
{
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "r");
	int scope = 0;

	if (f) {
		if (fscanf(f, "%d", &scope) != 1)
			scope = 0;
		fclose(f);
	}
	return scope < 2;
}

/* Stop at the first error, with the stack in file:line, as SIGABRT (a crash
 * in the report); leaks are told at exit without changing the exit status.
 * mmap_limit_mb bounds the heap where no cgroup does (RLIMIT_AS cannot). */
static void add_sanitizer_env(const struct run *r, char **envp, size_t *n)
{
	const struct proc_limits *l = &r->spec->limits;
	char *symbolizer = find_symbolizer();
	int plain = !strpbrk(r->workdir, ":= \"'");

	envp[(*n)++] = xasprintf(
	        "ASAN_OPTIONS=abort_on_error=1:exitcode=0:detect_leaks=%d:print_legend=0:"
	        "color=never:allow_addr2line=1:quarantine_size_mb=%d:mmap_limit_mb=%d%s%s%s",
	        r->leaks, l->mem_mb / 4, l->mem_mb, plain ? ":strip_path_prefix=" : "",
	        plain ? r->workdir : "", plain ? "/" : "");
	envp[(*n)++] = xstrdup("UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:"
	                       "color=never");
	envp[(*n)++] = xstrdup("LSAN_OPTIONS=max_leaks=10:print_suppressions=0");
	if (symbolizer)
		envp[(*n)++] = xasprintf("ASAN_SYMBOLIZER_PATH=%s", symbolizer);
	free(symbolizer);
}

static char **make_envp(const struct run *r)
{
	const char *path = getenv("PATH");
	char **envp = xcalloc(10, sizeof(char *));
	size_t n = 0;

	/* A box of its own has the system's folders and nothing of our PATH's. */
	envp[n++] =
	        xasprintf("PATH=%s", r->o->tier != TIER_C || !path || !*path ? BUILD_PATH : path);
	envp[n++] = xasprintf("HOME=%s", box_workdir(r->o->tier, r->workdir));
	envp[n++] = xstrdup("LANG=C.UTF-8");
	envp[n++] = xstrdup("TERM=dumb");
	if (r->o->instrument == INSTRUMENT_ASAN)
		add_sanitizer_env(r, envp, &n);
	return envp;
}

static void free_strv(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* The program to run in each box: the build output or the --cmd words. */
static int prepare_program(struct run *r)
{
	if (r->o->cmd) {
		for (r->argc = 0; r->o->cmd[r->argc]; r->argc++)
			;
		r->argv = xcalloc(r->argc + 1, sizeof(char *));
		for (size_t i = 0; i < r->argc; i++)
			r->argv[i] = xstrdup(r->o->cmd[i]);
		r->display = xstrdup(r->o->cmd_text);
		return 0;
	}
	r->argv = xcalloc(sizeof(valgrind_argv) / sizeof(valgrind_argv[0]) + 1, sizeof(char *));
	for (size_t i = 0; r->o->instrument == INSTRUMENT_VALGRIND && valgrind_argv[i]; i++)
		r->argv[r->argc++] = xstrdup(valgrind_argv[i]);
	/* Run from the work folder, wherever the box shows it. */
	r->argv[r->argc++] = xasprintf("./%s", r->spec->build.output);
	r->display = r->o->instrument == INSTRUMENT_VALGRIND
	                     ? xasprintf("valgrind --leak-check=full ./%s", r->spec->build.output)
	                     : xasprintf("./%s", r->spec->build.output);
	{
		char *path = xasprintf("%s/%s", r->workdir, r->spec->build.output);
		chmod(path, 0755); /* the box may run it as another user */
		free(path);
	}
	return 0;
}

/* What the deny-list lets through, and what it adds where a tier lacks a
 * namespace. */
static unsigned filter_flags(const struct run *r)
{
	return (r->leaks ? FILTER_PTRACE_READ : 0) |
	       (r->o->tier == TIER_C ? FILTER_NO_SYSV_IPC : 0);
}

static void fill_job(struct run *r, size_t i, struct box_job *job)
{
	const struct test *t = &r->spec->tests[i];
	struct rng rng;
	char err[ERR_LEN];

	memset(job, 0, sizeof(*job));
	job->spec = r->spec;
	job->test = t;
	job->argv = r->argv;
	job->argc = r->argc;
	job->envp = r->envp;
	job->workdir = box_workdir(r->o->tier, r->workdir);
	job->display = r->display;
	job->seed = rng_derive(r->o->seed, i);
	job->tier = r->o->tier;
	job->instrument = r->o->instrument;
	job->filter_allow = filter_flags(r);
	job->by_hand = r->by_hand;
	job->pcap_fd = r->pcap_fds ? r->pcap_fds[i] : -1;
	job->uid = -1;
	job->drop_caps = 0;
	job->cg_fds[0] = job->cg_box_fds[0] = job->cg_oom_fd = -1;
	rng_seed(&rng, rng_derive(job->seed, 1));
	if (job->tier == TIER_C) {
		/* Shared host network: every box needs ports of its own (a plain
		 * program listens on none: its port is only a number). */
		int udp = r->spec->program.proto == PROTO_UDP;
		job->port = r->spec->program.role == ROLE_PROGRAM ? r->spec->program.port
		                                                  : net_free_port(udp, err);
		do
			job->port_alt = net_free_port(udp, err);
		while (job->port_alt == job->port);
	} else {
		/* A private network: the lesson's own port is always free. */
		job->port = r->spec->program.port;
		do
			job->port_alt = 20000 + (int)rng_below(&rng, 20000);
		while (job->port_alt == job->port);
	}
}

/* The files the tests need from the lesson's own folder: before the build,
 * which sees them as it sees the learner's. */
static int add_copies(const struct spec *s, const char *workdir, char *err)
{
	char *dir = xstrdup(s->path), *slash = strrchr(dir, '/');
	int r = 0;

	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	for (size_t i = 0; r == 0 && i < s->files.copy.n; i++)
		r = workdir_put(workdir, dir, s->files.copy.v[i], err);
	free(dir);
	return r;
}

/* The files the tests draw from the seed: after the build, which never sees
 * them, so that a program (and its key in the build cache) never depends on
 * the seed. */
static int add_random(const struct spec *s, const char *workdir, uint64_t seed, char *err)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < s->files.random.n; i++)
		r = workdir_random_file(workdir, s->files.random.v[i], s->files.random_size[i],
		                        rng_derive(seed, 1000 + i), err);
	for (size_t i = 0; r == 0 && i + 1 < s->files.links.n; i += 2)
		r = workdir_symlink(workdir, s->files.links.v[i], s->files.links.v[i + 1], err);
	return r;
}

/* Once per checker: the cache only spares time, a grading goes on without it. */
static void cache_note(const char *why)
{
	static int said;

	if (said || !*why)
		return;
	said = 1;
	/* TRANSLATORS: %s says why, e.g. "/home/ana/.cache/checker/build: Permission denied". */
	fprintf(stderr, _("checker: the build cache is not used: %s\n"), why);
}

/* Build the program, or take it from the build cache if the same sources,
 * flags and compiler built it before. Not in tier C: there the program runs
 * as us, sees the cache, and could leave a program of its own in it for the
 * next learner with the same sources. */
static int build_program(struct run *r, const char *const *extra, char *err)
{
	struct build_result *br = &r->res->build;
	int64_t start = now_ms();
	char key[HASH_HEX_LEN], note[ERR_LEN] = "";
	char *prog = xasprintf("%s/%s", r->workdir, r->spec->build.output);
	int cached = r->cache && buildcache_open(r->cache, note) == 0, rc;

	if (cached) {
		char **argv = build_argv(r->spec, extra);
		cached = buildcache_key(argv, r->workdir, key) == 0;
		build_argv_free(argv);
	}
	if (cached && buildcache_load(r->cache, key, prog, br) == 1) {
		rc = 0;
	} else {
		rc = build_run(r->spec, r->workdir, extra, r->o->tier, br, err);
		if (rc == 0 && cached)
			buildcache_store(r->cache, key, prog, br, note);
	}
	cache_note(note);
	br->ms = (long)(now_ms() - start);
	free(prog);
	return rc < 0 ? -1 : 0;
}

static int box_main(void *arg)
{
	struct test_result tr;
	cJSON *j;
	char *text;
	size_t len, off = 0;

	const struct box_arg *a = arg;
	struct capture *cap = NULL;
	struct rusage ru;
	char err[ERR_LEN];

	/* Its own memory counts too: within BOX_CHECKER_MB, whatever the
	 * program makes it hold. */
	if (cgroup_join(a->job->cg_box_fds) < 0) {
		fprintf(stderr, "checker: cgroup: %s\n", strerror(errno));
		return 1;
	}
	if (a->job->pcap_fd >= 0 && !(cap = capture_start(a->job->pcap_fd, err)))
		/* TRANSLATORS: the test's id, then why (from libpcap). */
		fprintf(stderr, _("checker: --pcap: the packets of %s cannot be captured: %s\n"),
		        a->job->test->id, err);
	steps_run(a->job, &tr);
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		tr.rss_kb = ru.ru_maxrss;
	if (cap)
		capture_stop(cap);
	j = test_result_to_json(&tr);
	text = cJSON_PrintUnformatted(j);
	len = strlen(text);
	while (off < len) {
		ssize_t k = write(a->fd, text + off, len - off);
		if (k <= 0 && errno != EINTR)
			break;
		if (k > 0)
			off += (size_t)k;
	}
	close(a->fd);
	if (a->job->tier == TIER_C)
		box_kill_strays();
	cJSON_Delete(j);
	free(text);
	test_result_free(&tr);
	return 0;
}

static void internal_error(struct run *r, size_t i, const char *msg)
{
	const struct test *t = &r->spec->tests[i];
	struct test_result *tr = &r->res->tests[i];

	test_result_free(tr);
	tr->id = xstrdup(t->id);
	tr->name = xstrdup(t->name);
	tr->status = ST_ERROR;
	tr->verdict = V_INTERNAL;
	tr->max_score = t->points;
	tr->message = xstrdup(msg);
}

/* The program runs as a uid no other box holds (RLIMIT_NPROC then counts
 * per box, see box.h), with cgroups of its own where they can be made (as
 * root, outside a user namespace); the box uses them through job's fds. */
static int own_identity(struct run *r, struct slot *s, struct box_job *job, char *err)
{
	char name[CGROUP_NAME_LEN];
	const struct proc_limits *l = &r->spec->limits;

	memset(&s->cg, 0, sizeof(s->cg));
	memset(&s->cg_box, 0, sizeof(s->cg_box));
	if (box_ident_acquire(r->o->tier, &s->ident, err) < 0)
		return -1;
	job->uid = s->ident.uid;
	job->drop_caps = s->ident.drop_caps;
	if (geteuid() != 0 || r->o->tier == TIER_B)
		return 0;
	cgroup_name(name);
	if (cgroup_create(&s->cg, name, l->mem_mb, l->nproc) == 0)
		cgroup_open(&s->cg, job->cg_fds, &job->cg_oom_fd);
	cgroup_name(name);
	if (cgroup_create(&s->cg_box, name, BOX_CHECKER_MB, BOX_CHECKER_PIDS) == 0) {
		int unused;
		cgroup_open(&s->cg_box, job->cg_box_fds, &unused);
		if (unused >= 0)
			close(unused);
	}
	return 0;
}

/* The box has its copies: ours go. */
static void close_job_fds(struct box_job *job)
{
	for (size_t k = 0; job->cg_fds[k] >= 0; k++)
		close(job->cg_fds[k]);
	for (size_t k = 0; job->cg_box_fds[k] >= 0; k++)
		close(job->cg_box_fds[k]);
	if (job->cg_oom_fd >= 0)
		close(job->cg_oom_fd);
}

/* The box is gone with all its processes: its uid and cgroups are free. */
static void release_slot(struct slot *s)
{
	cgroup_destroy(&s->cg);
	cgroup_destroy(&s->cg_box);
	box_ident_release(&s->ident);
	buf_free(&s->json);
	s->pid = 0;
}

static int start_box(struct run *r, struct slot *s, size_t i)
{
	struct box_job job;
	struct box_arg arg;
	struct box_opts bo = {r->o->tier, r->workdir, 0, &s->ident};
	char err[ERR_LEN] = "";
	int fds[2];

	if (r->pcap_fds && (r->pcap_fds[i] = memfd_create("checker-pcap", MFD_CLOEXEC)) < 0) {
		internal_error(r, i, strerror(errno));
		return -1;
	}
	fill_job(r, i, &job);
	if (own_identity(r, s, &job, err) < 0 || pipe2(fds, O_CLOEXEC) < 0) {
		close_job_fds(&job);
		release_slot(s);
		internal_error(r, i, *err ? err : strerror(errno));
		return -1;
	}
	arg.job = &job;
	arg.fd = fds[1];
	/* The box is a copy of this process: &arg stays valid in it. */
	s->pid = box_spawn(&bo, box_main, &arg, err);
	close(fds[1]);
	close_job_fds(&job);
	if (s->pid < 0) {
		release_slot(s);
		close(fds[0]);
		internal_error(r, i, err);
		return -1;
	}
	s->fd = fds[0];
	s->index = i;
	/* Twice the test's time: a box that waited for a CPU has its deadlines
	 * moved by up to the test's time (runner_starved_ms). */
	s->deadline = now_ms() + 2 * (int64_t)r->spec->tests[i].timeout_ms + BOX_MARGIN_MS;
	return 0;
}

static volatile sig_atomic_t stop_signal;

void run_stop(int sig)
{
	stop_signal = sig;
}

int run_stopped(void)
{
	return stop_signal;
}

static void report_ready(struct run *r)
{
	while (r->next_report < r->n && r->done[r->next_report]) {
		if (r->o->on_test)
			r->o->on_test(r->res, r->order[r->next_report], r->o->ctx);
		r->next_report++;
	}
}

static void mark_done(struct run *r, size_t i)
{
	for (size_t k = 0; k < r->n; k++)
		if (r->order[k] == i)
			r->done[k] = 1;
	report_ready(r);
}

/* Only a failing test's packets (or those of the one test run) are saved. */
static void drop_capture(struct run *r, size_t i)
{
	if (!r->pcap_fds || r->pcap_fds[i] < 0 || r->n == 1 || r->res->tests[i].status != ST_PASS)
		return;
	close(r->pcap_fds[i]);
	r->pcap_fds[i] = -1;
}

/* What the box sent: exactly one JSON value, of the test it ran. The
 * score is ours, never the box's: the spec's points if it passed. */
static int take_result(struct run *r, struct slot *s)
{
	const struct test *t = &r->spec->tests[s->index];
	struct test_result *tr = &r->res->tests[s->index];
	const char *text = s->json.data;
	cJSON *j = NULL;
	int ok = 0;

	if (text && strlen(text) == s->json.len)
		j = cJSON_ParseWithOpts(text, NULL, 1);
	if (j && test_result_from_json(j, tr) == 0) {
		ok = tr->id && strcmp(tr->id, t->id) == 0;
		tr->max_score = t->points;
		tr->score = tr->status == ST_PASS ? t->points : 0;
	}
	cJSON_Delete(j);
	return ok ? 0 : -1;
}

/* A test that failed while its box waited long for a CPU runs again, up to
 * RUN_TRIES times in all: on a loaded machine the checker's own timing may
 * have failed it (an answer it sent late, a deadline that could not be
 * moved far enough). A program that breaks a rule fails every run; the
 * last run's verdict stands, and says how many runs there were. */
static int run_again(struct run *r, size_t i)
{
	struct test_result *tr = &r->res->tests[i];

	r->tries[i]++;
	tr->attempts = r->tries[i];
	/* A program that kept a CPU busy itself was not starved by others, and
	 * one that brought the failure on itself (a limit, a crash) would
	 * bring it again. */
	if (tr->status != ST_FAIL || tr->starved_ms < RETRY_STARVED_MS ||
	    r->tries[i] >= RUN_TRIES || 2 * tr->cpu_ms > tr->duration_ms ||
	    (tr->cause && cause_is_own(cause_parse(tr->cause))))
		return 0;
	test_result_free(tr);
	if (r->pcap_fds && r->pcap_fds[i] >= 0) {
		close(r->pcap_fds[i]);
		r->pcap_fds[i] = -1;
	}
	r->again[r->nagain++] = i;
	return 1;
}

/* The box has closed its pipe or run out of time: collect its verdict. */
static void finish_box(struct run *r, struct slot *s, int timed_out)
{
	int st = 0;

	close(s->fd);
	if (timed_out)
		kill(s->pid, SIGKILL);
	while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!timed_out && WIFEXITED(st) && WEXITSTATUS(st) == 0 && take_result(r, s) == 0) {
		if (run_again(r, s->index)) {
			release_slot(s);
			return;
		}
	} else if (timed_out) {
		internal_error(r, s->index,
		               _("Internal error: the test's box did not finish in time."));
	} else {
		char *how = proc_describe_status(st);
		/* TRANSLATORS: %s is e.g. "ended with exit status 125". */
		char *msg = xasprintf(_("Internal error: the checker's process for this test %s."),
		                      how);
		internal_error(r, s->index, msg);
		free(msg);
		free(how);
	}
	release_slot(s);
	drop_capture(r, s->index);
	mark_done(r, s->index);
}

static void read_slot(struct run *r, struct slot *s)
{
	char chunk[65536];
	ssize_t n = read(s->fd, chunk, sizeof(chunk));

	if (n > 0 && s->json.len + (size_t)n <= RESULT_MAX)
		buf_append(&s->json, chunk, (size_t)n);
	else if (n > 0)
		finish_box(r, s, 1);
	else if (n == 0 || (errno != EINTR && errno != EAGAIN))
		finish_box(r, s, 0);
}

/* Interrupted: kill the boxes in flight; their tests, like those never
 * started, are left for skip_rest. */
static void abandon_boxes(struct slot *slots, int jobs)
{
	for (int k = 0; k < jobs; k++) {
		if (!slots[k].pid)
			continue;
		kill(slots[k].pid, SIGKILL);
		while (waitpid(slots[k].pid, NULL, 0) < 0 && errno == EINTR)
			;
		close(slots[k].fd);
		release_slot(&slots[k]);
	}
}

/* Keep up to jobs boxes running; one poll loop over their result pipes. */
static void run_boxes(struct run *r)
{
	int jobs = r->o->jobs < 1 ? 1 : r->o->jobs > MAX_JOBS ? MAX_JOBS : r->o->jobs;
	struct slot slots[MAX_JOBS] = {0};
	size_t next = 0, active = 0;

	for (;;) {
		struct pollfd pfd[MAX_JOBS];
		int64_t soonest = INT64_MAX;

		for (int k = 0; k < jobs && (r->nagain || next < r->n); k++) {
			size_t i;
			if (slots[k].pid)
				continue;
			i = r->nagain ? r->again[--r->nagain] : r->order[next++];
			if (start_box(r, &slots[k], i) < 0)
				mark_done(r, i);
		}
		active = 0;
		for (int k = 0; k < jobs; k++) {
			pfd[k] = (struct pollfd){slots[k].pid ? slots[k].fd : -1, POLLIN, 0};
			if (slots[k].pid) {
				active++;
				if (slots[k].deadline < soonest)
					soonest = slots[k].deadline;
			}
		}
		if (!active && next >= r->n && !r->nagain)
			return;
		if (!active)
			continue;
		poll(pfd, (nfds_t)jobs, ms_left(soonest));
		if (stop_signal) {
			abandon_boxes(slots, jobs);
			return;
		}
		for (int k = 0; k < jobs; k++) {
			if (!slots[k].pid)
				continue;
			if (pfd[k].revents)
				read_slot(r, &slots[k]);
			else if (now_ms() >= slots[k].deadline)
				finish_box(r, &slots[k], 1);
		}
	}
}

/* Instrumented programs run slower and use more memory: the spec's deadlines
 * and limits are stretched here, once, for every step of every test. A quiet
 * step's time is how long nothing may happen, not a deadline: it stays. */
static struct spec *stretch(const struct spec *s, enum instrument how)
{
	int k = how == INSTRUMENT_VALGRIND ? SLOW_VALGRIND : SLOW_ASAN;
	struct spec *c = xmalloc(sizeof(*c));

	*c = *s; /* a shallow copy: it shares the strings of s */
	c->tests = xcalloc(s->ntests, sizeof(struct test));
	for (size_t i = 0; i < s->ntests; i++) {
		struct test *t = &c->tests[i];
		*t = s->tests[i];
		t->timeout_ms *= k;
		t->steps = xcalloc(t->nsteps + 1, sizeof(struct step));
		for (size_t j = 0; j < t->nsteps; j++) {
			t->steps[j] = s->tests[i].steps[j];
			if (t->steps[j].kind != STEP_QUIET)
				t->steps[j].within_ms *= k;
			t->steps[j].max_cpu_ms *= k;
		}
	}
	c->program.ready_ms *= k;
	c->limits.cpu_s *= k;
	c->limits.mem_mb *= MORE_MEMORY;
	c->limits.no_as = how == INSTRUMENT_ASAN;
	return c;
}

static void stretch_free(struct spec *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ntests; i++)
		free(c->tests[i].steps);
	free(c->tests);
	free(c);
}

/* The command that builds the program as graded, for the learner to see the
 * whole report: "cc -g -fsanitize=address,undefined -o servidor servidor.c -pthread". */
static char *by_hand_build(const struct spec *s, enum instrument how)
{
	const char *cc = getenv("CHECKER_CC");
	struct buf b = {0};

	buf_printf(&b, "%s %s -o %s", cc && *cc ? cc : "cc",
	           how == INSTRUMENT_ASAN ? "-g -fsanitize=address,undefined" : "-g -O0",
	           s->build.output);
	for (size_t i = 0; i < s->build.sources.n; i++)
		buf_printf(&b, " %s", s->build.sources.v[i]);
	for (size_t i = 0; i < s->build.ldflags.n; i++)
		buf_printf(&b, " %s", s->build.ldflags.v[i]);
	return buf_steal(&b);
}

/* What the instrumented run needs that this machine may lack. */
static int check_tools(enum instrument how, char *err)
{
	char *valgrind;

	if (how != INSTRUMENT_VALGRIND)
		return 0;
	if ((valgrind = find_in_path("valgrind"))) {
		free(valgrind);
		return 0;
	}
	errf(err, "%s",
	     _("valgrind is not installed; install it with: sudo apt-get install valgrind"));
	return -1;
}

/* The compiler failed for want of the sanitizers' libraries, not because of
 * the learner's code. */
static int sanitizers_missing(const struct build_result *b, char *err)
{
	static const char *const signs[] = {"-lasan",   "-lubsan",          "libasan",
	                                    "libubsan", "libclang_rt.asan", "libclang_rt.ubsan",
	                                    NULL};

	for (size_t i = 0; !b->ok && b->log && signs[i]; i++)
		if (strstr(b->log, signs[i])) {
			errf(err, "%s",
			     _("the compiler cannot build with AddressSanitizer: its libraries are "
			       "missing; install them with: sudo apt-get install libasan8 "
			       "libubsan1 "
			       "(or the versions that go with your gcc)"));
			return 1;
		}
	return 0;
}

/* Every test not graded yet is skipped, for this reason. */
static void skip_rest(struct run *r, const char *why)
{
	for (size_t k = 0; k < r->n; k++) {
		size_t i = r->order[k];
		struct test_result *tr = &r->res->tests[i];
		if (r->done[k])
			continue;
		tr->id = xstrdup(r->spec->tests[i].id);
		tr->name = xstrdup(r->spec->tests[i].name);
		tr->status = ST_SKIP;
		tr->max_score = r->spec->tests[i].points;
		tr->message = xstrdup(why);
		r->done[k] = 1;
	}
	report_ready(r);
}

static int select_tests(struct run *r, char *err)
{
	r->order = xcalloc(r->spec->ntests, sizeof(size_t));
	for (size_t i = 0; i < r->spec->ntests; i++)
		if (!r->o->only || strcmp(r->o->only, r->spec->tests[i].id) == 0)
			r->order[r->n++] = i;
	if (r->n == 0) {
		struct buf ids = {0};
		for (size_t i = 0; i < r->spec->ntests; i++)
			buf_printf(&ids, "%s%s", i ? ", " : "", r->spec->tests[i].id);
		/* TRANSLATORS: the unknown id, the lesson, then the list of its test ids. */
		errf(err, _("no test named %s in %s (its tests: %s)"), r->o->only, r->spec->lesson,
		     ids.data);
		buf_free(&ids);
		return -1;
	}
	r->done = xcalloc(r->n, sizeof(int));
	r->tries = xcalloc(r->spec->ntests, sizeof(int));
	r->again = xcalloc(r->spec->ntests, sizeof(size_t));
	return 0;
}

/* The fill of write_file_atomic: a memfd's bytes. */
static void copy_fd(FILE *f, const void *arg)
{
	int fd = *(const int *)arg;
	char chunk[65536];
	off_t off = 0;
	ssize_t n;

	while ((n = pread(fd, chunk, sizeof(chunk), off)) > 0) {
		fwrite(chunk, 1, (size_t)n, f);
		off += n;
	}
}

/* --pcap: the packets of the first failing test, or of the one test run. */
static void save_capture(struct run *r)
{
	size_t pick = SIZE_MAX;
	struct stat st;
	int fd;

	for (size_t i = 0; i < r->spec->ntests && pick == SIZE_MAX; i++) {
		enum status s = r->res->tests[i].status;
		if (r->pcap_fds[i] >= 0 && (r->n == 1 || s == ST_FAIL || s == ST_ERROR))
			pick = i;
	}
	if (pick == SIZE_MAX)
		return;
	fd = r->pcap_fds[pick];
	if (fstat(fd, &st) < 0 || st.st_size == 0)
		r->res->capture_error = xstrdup(_("no packet could be captured (see above)"));
	else if (write_file_atomic(r->o->pcap, copy_fd, &fd) < 0)
		r->res->capture_error = xasprintf("%s: %s", r->o->pcap, strerror(errno));
	else
		r->res->capture = xstrdup(r->spec->tests[pick].id);
}

static void close_captures(struct run *r)
{
	for (size_t i = 0; r->pcap_fds && i < r->spec->ntests; i++)
		if (r->pcap_fds[i] >= 0)
			close(r->pcap_fds[i]);
	free(r->pcap_fds);
}

/* Only the selected tests appear in the result, in spec order. */
static void compact(struct run *r)
{
	size_t k = 0;

	for (size_t i = 0; i < r->spec->ntests; i++) {
		if (r->res->tests[i].id)
			r->res->tests[k++] = r->res->tests[i];
	}
	r->res->ntests = k;
}

int run_lesson(const struct spec *s, const struct run_opts *o, struct result *out, char *err)
{
	struct run r = {.spec = s, .o = o, .res = out};
	const char *const *extra = o->instrument == INSTRUMENT_ASAN       ? asan_cflags
	                           : o->instrument == INSTRUMENT_VALGRIND ? valgrind_cflags
	                                                                  : NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->lesson = xstrdup(s->lesson);
	out->title = xstrdup(s->title);
	out->seed = o->seed;
	out->tier = xstrdup(box_tier_name(o->tier));
	if (box_tier_missing(o->tier))
		out->tier_note = xstrdup(box_tier_missing(o->tier));
	out->tests = xcalloc(s->ntests, sizeof(struct test_result));
	if (select_tests(&r, err) < 0 || check_tools(o->instrument, err) < 0)
		goto done;
	if (o->pcap && o->tier == TIER_C) {
		errf(err, "%s",
		     _("--pcap needs a network of each test's own: isolation A or B, not C (see "
		       "./checker doctor)"));
		goto done;
	}
	if (o->pcap) {
		r.pcap_fds = xcalloc(s->ntests, sizeof(int));
		for (size_t i = 0; i < s->ntests; i++)
			r.pcap_fds[i] = -1;
	}
	if (o->instrument != INSTRUMENT_NONE) {
		r.spec = r.stretched = stretch(s, o->instrument);
		r.leaks = o->instrument == INSTRUMENT_ASAN && leaks_checkable();
		r.by_hand = by_hand_build(s, o->instrument);
	}
	if (o->tier != TIER_C)
		r.cache = buildcache_path();
	if (!(r.workdir = workdir_create(o->src_dir, o->tier == TIER_C, err)) ||
	    add_copies(s, r.workdir, err) < 0 || (!o->cmd && build_program(&r, extra, err) < 0) ||
	    add_random(s, r.workdir, o->seed, err) < 0)
		goto done;
	if (o->instrument == INSTRUMENT_ASAN && sanitizers_missing(&out->build, err))
		goto done;
	if (o->cmd)
		out->build.ok = 1; /* nothing to build, nothing failed */
	if (o->on_build)
		o->on_build(out, o->ctx);
	if (!o->cmd && !out->build.ok) {
		skip_rest(&r, _("Not run: your code does not compile."));
	} else {
		prepare_program(&r);
		r.envp = make_envp(&r);
		filter_prepare(filter_flags(&r));
		if (!stop_signal)
			run_boxes(&r);
	}
	if (stop_signal)
		skip_rest(&r, _("Not run: grading was interrupted."));
	else if (r.pcap_fds)
		save_capture(&r);
	compact(&r);
	result_finish(out);
	rc = 0;
done:
	if (rc < 0)
		result_free(out);
	if (r.workdir) {
		workdir_remove(r.workdir);
		free(r.workdir);
	}
	free_strv(r.argv);
	free_strv(r.envp);
	free(r.display);
	free(r.order);
	free(r.done);
	free(r.tries);
	free(r.again);
	stretch_free(r.stretched);
	free(r.by_hand);
	free(r.cache);
	close_captures(&r);
	return rc;
}
