/* grade.c - a whole class at once: every submission, every lesson, N at a time, resumable.
 *
 * Each student's entry is opened (archives unpacked into out/.work), each
 * lesson's files found in it, and each (student, lesson) graded by this same
 * checker run as a child with --format json, its own boxes and seed. A
 * result file carries the hash of everything that made it (checker, lesson,
 * submitted files, seed): a later run with the same inputs keeps it. Files
 * are written whole or not at all (a temporary name, then rename).
 *
 * The out folder holds only names of ours: the reports (summary.json,
 * summary.csv, report.html, junit.xml), .work, and alumnos/, under which
 * each student's results go (alumnos/<slug>/<lesson>.json). A student's
 * name, which the student chooses, is only ever a folder under alumnos/,
 * so it can never take a report's place. One grade at a time writes to an
 * out folder: it holds a lock on it (flock) until it ends. */
#include "grade.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "box.h"
#include "cli.h"
#include "escape.h"
#include "hash.h"
#include "i18n.h"
#include "progress.h"
#include "report.h"
#include "report_html.h"
#include "rng.h"
#include "run.h"
#include "spec.h"
#include "submission.h"
#include "summary.h"
#include "unpack.h"
#include "workdir.h"

#define MAX_JOBS      32
#define JOB_MARGIN_MS 30000     /* on top of the build and every test's own bound */
#define STOP_GRACE_MS 10000     /* a child asked to stop cleans up within this */
#define STUDENTS_DIR  "alumnos" /* out/alumnos/<slug>/: each student's results */

struct lesson {
	struct spec *spec;
	char hash[HASH_HEX_LEN]; /* the checker and the lesson's folder */
	int64_t budget_ms;       /* the longest a grading can take */
};

struct student {
	char *name;   /* as shown */
	char *slug;   /* its folder under out/alumnos/ */
	char *entry;  /* the entry's name in the submissions folder */
	char *folder; /* readable copy, or NULL if broken */
	char *broken; /* why the entry could not be read */
};

enum job_state { JOB_MISSING, JOB_KEPT, JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_PENDING };

struct job {
	size_t s, l;
	enum job_state state;
	char *src;     /* the lesson's folder in the submission */
	char *missing; /* why there is none */
	char key[HASH_HEX_LEN];
	uint64_t seed;
	pid_t pid;
	int pidfd;
	int64_t deadline;
};

struct grade {
	const struct grade_opts *o;
	char *work; /* out/.work: unpacked entries, removed at the end */
	int lock;   /* the out folder, flocked while we write to it */
	struct lesson *lessons;
	size_t nlessons;
	struct student *students;
	size_t nstudents;
	struct job *jobs;
	size_t njobs;
	struct progress progress;
	int internal; /* gradings the checker itself failed */
};

/* ---- files ---- */

static char *result_path(const struct grade *g, const struct job *j, const char *prefix,
                         const char *suffix)
{
	return xasprintf("%s/" STUDENTS_DIR "/%s/%s%s%s", g->o->out, g->students[j->s].slug, prefix,
	                 g->lessons[j->l].spec->lesson, suffix);
}

static cJSON *read_json(const char *path)
{
	char *text = read_file(path, NULL);
	cJSON *j = text ? cJSON_Parse(text) : NULL;

	free(text);
	return j;
}

static void fill_json(FILE *f, const void *j)
{
	char *text = cJSON_Print(j);

	fputs(text, f);
	fputc('\n', f);
	free(text);
}

static void fill_csv(FILE *f, const void *j)
{
	summary_csv(f, j);
}

static void fill_html(FILE *f, const void *j)
{
	report_html(f, j);
}

static int make_dir(const char *path)
{
	return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

/* "cannot write PATH" on stderr: the path holds a student's name, escaped. */
static void say_cannot_write(const char *path)
{
	int saved = errno;
	char *shown = escape_line_dup(path);

	fprintf(stderr, _("checker: cannot write %s: %s\n"), shown, strerror(saved));
	free(shown);
}

/* ---- lessons ---- */

static int add_lesson(struct grade *g, const char *id, const char *exe_hash, char *err)
{
	char *dir = xasprintf("%s/lessons/%s", g->o->root, id);
	char *path = xasprintf("%s/spec.json", dir);
	struct lesson *l;
	struct hash h;
	char serr[ERR_LEN];
	struct spec *sp = spec_load(path, serr);

	free(path);
	if (!sp) {
		errf(err, _("lesson %s: %s"), id, serr);
		free(dir);
		return -1;
	}
	g->lessons = xrealloc(g->lessons, (g->nlessons + 1) * sizeof(*g->lessons));
	l = &g->lessons[g->nlessons++];
	l->spec = sp;
	hash_init(&h);
	hash_str(&h, exe_hash);
	hash_tree(&h, dir);
	hash_hex(&h, l->hash);
	l->budget_ms = 60000 + JOB_MARGIN_MS;
	for (size_t i = 0; i < sp->ntests; i++)
		l->budget_ms += sp->tests[i].timeout_ms;
	free(dir);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* ---- students ---- */

static int is_entry(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static int slug_taken(const struct grade *g, const char *slug)
{
	for (size_t i = 0; i < g->nstudents; i++)
		if (strcmp(g->students[i].slug, slug) == 0)
			return 1;
	return 0;
}

static void open_student(struct grade *g, const char *entry)
{
	struct student *st;
	char *path = xasprintf("%s/%s", g->o->subs, entry);
	char *raw = submission_student(entry), *base = submission_slug(raw), *scratch;
	char err[ERR_LEN];

	g->students = xrealloc(g->students, (g->nstudents + 1) * sizeof(*g->students));
	st = &g->students[g->nstudents];
	memset(st, 0, sizeof(*st));
	/* Shown in JSON, XML and HTML, which need valid UTF-8; the folder's
	 * name (slug) is made from the bytes themselves. */
	st->entry = utf8_valid_dup(entry);
	st->name = utf8_valid_dup(raw);
	free(raw);
	st->slug = xstrdup(base);
	for (int k = 2; slug_taken(g, st->slug); k++) {
		free(st->slug);
		st->slug = xasprintf("%s-%d", base, k);
	}
	g->nstudents++;
	scratch = xasprintf("%s/%s", g->work, st->slug);
	workdir_remove(scratch);
	if (make_dir(scratch) < 0 || !(st->folder = submission_open(path, scratch, err)))
		st->broken = utf8_valid_dup(err);
	free(scratch);
	free(base);
	free(path);
}

/* Is out inside the submissions folder, as this entry? Then it is not a student. */
static int is_out_dir(const struct grade *g, const char *entry)
{
	char *path = xasprintf("%s/%s", g->o->subs, entry);
	struct stat a, b;
	int same = stat(path, &a) == 0 && stat(g->o->out, &b) == 0 && a.st_dev == b.st_dev &&
	           a.st_ino == b.st_ino;

	free(path);
	return same;
}

static int open_students(struct grade *g, char *err)
{
	struct dirent **list;
	int n = scandir(g->o->subs, &list, is_entry, by_name);

	if (n < 0) {
		errf(err, _("cannot read the submissions folder %s: %s"), g->o->subs,
		     strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (!is_out_dir(g, list[i]->d_name))
			open_student(g, list[i]->d_name);
		free(list[i]);
	}
	free(list);
	if (g->nstudents == 0) {
		errf(err, _("the submissions folder %s is empty"), g->o->subs);
		return -1;
	}
	return 0;
}

/* ---- jobs ---- */

/* flat: files outside a lesson folder count (when a single lesson is graded). */
static char *find_sources(const struct student *st, const struct spec *sp, int flat, char *err)
{
	return submission_find(st->folder, sp->lesson, sp->build.sources.v, flat, err);
}

/* Without --lessons: every lesson some submission has a folder for. */
static int detect_lessons(struct grade *g, const char *exe_hash, char *err)
{
	char **ids = cli_lessons("all", g->o->root, NULL);

	for (size_t i = 0; ids[i]; i++) {
		char ferr[ERR_LEN];
		int used = 0;
		if (add_lesson(g, ids[i], exe_hash, err) < 0)
			continue;
		for (size_t s = 0; s < g->nstudents && !used; s++) {
			char *src =
			        g->students[s].folder
			                ? find_sources(&g->students[s],
			                               g->lessons[g->nlessons - 1].spec, 0, ferr)
			                : NULL;
			used = src != NULL;
			free(src);
		}
		if (!used)
			spec_free(g->lessons[--g->nlessons].spec);
	}
	cli_lessons_free(ids);
	if (g->nlessons == 0) {
		errf(err, "%s",
		     _("no lesson folder (lesson03, lesson05...) in any submission: say "
		       "which lessons to grade with --lessons"));
		return -1;
	}
	return 0;
}

static void job_key(const struct grade *g, struct job *j)
{
	struct hash h;

	hash_init(&h);
	hash_str(&h, g->lessons[j->l].hash);
	hash_tree(&h, j->src);
	hash_str(&h, g->o->lang ? g->o->lang : "");
	if (g->o->has_seed)
		hash_bytes(&h, &j->seed, sizeof(j->seed));
	hash_hex(&h, j->key);
}

/* The same (seed, student, lesson) always gives the same seed. */
static uint64_t job_seed(const struct grade *g, const struct job *j)
{
	struct hash h;
	char hex[HASH_HEX_LEN];

	if (!g->o->has_seed)
		return rng_fresh_seed();
	hash_init(&h);
	hash_str(&h, g->students[j->s].name);
	hash_str(&h, g->lessons[j->l].spec->lesson);
	hash_hex(&h, hex);
	return 1 + rng_derive(g->o->seed, strtoull(hex + 48, NULL, 16)) % 999999;
}

/* Graded before with exactly these inputs? */
static int already_graded(const struct grade *g, const struct job *j)
{
	char *path = result_path(g, j, "", ".json");
	cJSON *r = read_json(path);
	const char *key = cJSON_GetStringValue(cJSON_GetObjectItem(r, "input_hash"));
	int same = key && strcmp(key, j->key) == 0;

	cJSON_Delete(r);
	free(path);
	return same;
}

static void plan_jobs(struct grade *g)
{
	g->jobs = xcalloc(g->nstudents * g->nlessons, sizeof(struct job));
	for (size_t s = 0; s < g->nstudents; s++) {
		for (size_t l = 0; l < g->nlessons; l++) {
			struct job *j = &g->jobs[g->njobs++];
			char err[ERR_LEN];
			j->s = s;
			j->l = l;
			j->pidfd = -1;
			if (!g->students[s].folder) {
				j->state = JOB_MISSING;
				continue;
			}
			if (!(j->src = find_sources(&g->students[s], g->lessons[l].spec,
			                            g->nlessons == 1, err))) {
				j->state = JOB_MISSING;
				j->missing = utf8_valid_dup(err);
				continue;
			}
			j->seed = job_seed(g, j);
			job_key(g, j);
			j->state = !g->o->force && already_graded(g, j) ? JOB_KEPT : JOB_QUEUED;
		}
	}
}

static pid_t spawn_job(const struct grade *g, const struct job *j, const char *exe)
{
	const struct lesson *l = &g->lessons[j->l];
	char seed[32];
	char *out = result_path(g, j, ".", ".out"), *errs = result_path(g, j, ".", ".err");
	const char *argv[20] = {exe,        l->spec->lesson,
	                        "--dir",    j->src,
	                        "--format", "json",
	                        "--seed",   seed,
	                        "--jobs",   "1",
	                        "--tier",   box_tier_name(g->o->tier)};
	size_t n = 12;
	pid_t pid, parent = getpid();

	snprintf(seed, sizeof(seed), "%llu", (unsigned long long)j->seed);
	if (g->o->lang) {
		argv[n++] = "--lang";
		argv[n++] = g->o->lang;
	}
	argv[n] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int in, o, e;
		/* Should grade die, even by SIGKILL, the child is asked to stop
		 * (and stops its boxes); a grade dead before the request took
		 * hold is told by our new parent. */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
			_exit(127);
		in = open("/dev/null", O_RDONLY);
		o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		e = open(errs, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		setpgid(0, 0); /* Ctrl-C reaches the parent, which stops the children */
		if (in < 0 || o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(127);
		setenv("CHECKER_ROOT", g->o->root, 1);
		execv(exe, (char *const *)argv);
		_exit(127);
	}
	if (pid > 0)
		setpgid(pid, pid); /* also here: no window without it */
	free(out);
	free(errs);
	return pid;
}

/* What the child left on stderr, for a person: its last lines. */
static char *child_complaint(const char *path, int status)
{
	char *text = read_file(path, NULL);
	char *how = NULL;
	char *msg;
	size_t len = text ? strlen(text) : 0;

	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	if (len > 600)
		memmove(text, text + len - 600, 601);
	if (!WIFEXITED(status) || len == 0)
		how = WIFSIGNALED(status) ? xasprintf("signal %d", WTERMSIG(status))
		                          : xasprintf("exit %d", WEXITSTATUS(status));
	/* TRANSLATORS: the checker's own words, or how it ended. */
	msg = xasprintf(_("The checker could not grade this submission: %s"), how ? how : text);
	free(how);
	free(text);
	text = utf8_valid_dup(msg); /* a student's file names may be in it */
	free(msg);
	return text;
}

/* A result for a grading the checker could not make: status error, never kept. */
static cJSON *error_result(const struct grade *g, const struct job *j, const char *message)
{
	const struct spec *sp = g->lessons[j->l].spec;
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "lesson", sp->lesson);
	cJSON_AddStringToObject(r, "title", sp->title);
	cJSON_AddStringToObject(r, "status", "error");
	cJSON_AddNumberToObject(r, "score", 0);
	cJSON_AddNumberToObject(r, "max_score", sp->max_score);
	cJSON_AddNumberToObject(r, "seed", (double)j->seed);
	cJSON_AddStringToObject(r, "message", message);
	cJSON_AddArrayToObject(r, "tests");
	return r;
}

static void finish_job(struct grade *g, struct job *j, int status, int timed_out)
{
	char *out = result_path(g, j, ".", ".out"), *errs = result_path(g, j, ".", ".err");
	char *path = result_path(g, j, "", ".json");
	cJSON *r = read_json(out);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	const char *lesson = cJSON_GetStringValue(cJSON_GetObjectItem(r, "lesson"));

	if (!timed_out && (code == 0 || code == 1) && lesson &&
	    strcmp(lesson, g->lessons[j->l].spec->lesson) == 0) {
		cJSON_AddStringToObject(r, "student", g->students[j->s].name);
		cJSON_AddStringToObject(r, "input_hash", j->key);
		j->state = JOB_DONE;
	} else if (run_stopped()) {
		j->state = JOB_PENDING; /* interrupted: graded next time */
	} else {
		char *msg = timed_out ? xstrdup(_("The checker could not grade this submission: it "
		                                  "did not finish in time."))
		                      : child_complaint(errs, status);
		cJSON_Delete(r);
		r = error_result(g, j, msg);
		cJSON_AddStringToObject(r, "student", g->students[j->s].name);
		free(msg);
		g->internal++;
		j->state = JOB_DONE;
	}
	if (j->state == JOB_DONE && write_file_atomic(path, fill_json, r) < 0) {
		say_cannot_write(path);
		g->internal++;
	}
	if (j->state == JOB_DONE)
		progress_step(&g->progress, g->students[j->s].name, g->lessons[j->l].spec->lesson,
		              cJSON_GetStringValue(cJSON_GetObjectItem(r, "status")),
		              cJSON_GetNumberValue(cJSON_GetObjectItem(r, "score")),
		              cJSON_GetNumberValue(cJSON_GetObjectItem(r, "max_score")));
	unlink(out);
	unlink(errs);
	cJSON_Delete(r);
	free(out);
	free(errs);
	free(path);
}

static void reap(struct grade *g, struct job *j, int timed_out)
{
	int st = 0;

	if (timed_out)
		kill(-j->pid, SIGKILL);
	while (waitpid(j->pid, &st, 0) < 0 && errno == EINTR)
		;
	if (j->pidfd >= 0)
		close(j->pidfd);
	j->pidfd = -1;
	finish_job(g, j, st, timed_out);
}

static int start_job(struct grade *g, struct job *j, const char *exe)
{
	char *dir = xasprintf("%s/" STUDENTS_DIR "/%s", g->o->out, g->students[j->s].slug);

	make_dir(dir);
	free(dir);
	j->pid = spawn_job(g, j, exe);
	if (j->pid < 0)
		return -1;
	j->pidfd = (int)syscall(SYS_pidfd_open, j->pid, 0);
	j->deadline = now_ms() + g->lessons[j->l].budget_ms;
	j->state = JOB_RUNNING;
	return 0;
}

/* Ask every running child to stop (each cleans up its own boxes), then wait
 * for them, for a while. */
static void stop_children(struct grade *g)
{
	int64_t deadline = now_ms() + STOP_GRACE_MS;

	for (size_t i = 0; i < g->njobs; i++)
		if (g->jobs[i].state == JOB_RUNNING)
			kill(g->jobs[i].pid, SIGTERM);
	for (size_t i = 0; i < g->njobs; i++) {
		struct job *j = &g->jobs[i];
		if (j->state != JOB_RUNNING)
			continue;
		if (j->pidfd >= 0) {
			struct pollfd p = {j->pidfd, POLLIN, 0};
			while (poll(&p, 1, ms_left(deadline)) < 0 && errno == EINTR)
				;
		}
		reap(g, j, now_ms() >= deadline);
	}
}

static void run_jobs(struct grade *g, const char *exe)
{
	int max = g->o->jobs < 1 ? 1 : g->o->jobs > MAX_JOBS ? MAX_JOBS : g->o->jobs;
	size_t next = 0;

	for (;;) {
		struct pollfd pfd[MAX_JOBS];
		struct job *running[MAX_JOBS];
		size_t n = 0;
		int64_t soonest = now_ms() + PROGRESS_TICK_MS;

		for (size_t i = 0; i < g->njobs && n < MAX_JOBS; i++)
			if (g->jobs[i].state == JOB_RUNNING)
				running[n++] = &g->jobs[i];
		while (n < (size_t)max && !run_stopped()) {
			while (next < g->njobs && g->jobs[next].state != JOB_QUEUED)
				next++;
			if (next >= g->njobs)
				break;
			if (start_job(g, &g->jobs[next], exe) == 0)
				running[n++] = &g->jobs[next];
			next++;
		}
		if (run_stopped()) {
			stop_children(g);
			return;
		}
		if (n == 0)
			return;
		for (size_t k = 0; k < n; k++) {
			pfd[k] = (struct pollfd){running[k]->pidfd, POLLIN, 0};
			if (running[k]->deadline < soonest)
				soonest = running[k]->deadline;
		}
		poll(pfd, (nfds_t)n, ms_left(soonest));
		for (size_t k = 0; k < n; k++) {
			if (pfd[k].revents)
				reap(g, running[k], 0);
			else if (now_ms() >= running[k]->deadline)
				reap(g, running[k], 1);
		}
		progress_draw(&g->progress);
	}
}

/* ---- reports ---- */

static void summarize_student(const struct grade *g, cJSON *summary, size_t s)
{
	const struct student *st = &g->students[s];
	cJSON *row = summary_student(summary, st->name, st->entry);

	for (size_t l = 0; l < g->nlessons; l++) {
		const struct job *j = &g->jobs[s * g->nlessons + l];
		const struct spec *sp = g->lessons[l].spec;
		char *path = result_path(g, j, "", ".json");
		cJSON *r = j->state == JOB_DONE || j->state == JOB_KEPT ? read_json(path) : NULL;
		char *file = xasprintf(STUDENTS_DIR "/%s/%s.json", st->slug, sp->lesson);

		if (st->broken)
			summary_lesson_absent(row, sp, "broken", st->broken);
		else if (j->state == JOB_MISSING)
			summary_lesson_absent(row, sp, "missing", j->missing);
		else if (r)
			summary_lesson(row, r, file);
		else
			summary_lesson_absent(
			        row, sp, "pending",
			        _("Not graded yet: the run was interrupted. Run the same "
			          "command again to finish."));
		cJSON_Delete(r);
		free(file);
		free(path);
	}
}

static char *iso_now(void)
{
	char text[32];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(text);
}

static cJSON *build_summary(const struct grade *g)
{
	const struct spec **specs = xcalloc(g->nlessons, sizeof(*specs));
	char *now = iso_now();
	cJSON *summary;

	for (size_t l = 0; l < g->nlessons; l++)
		specs[l] = g->lessons[l].spec;
	summary = summary_new(specs, g->nlessons, now, g->o->has_seed ? &g->o->seed : NULL);
	/* The tier every grading used, and what it lacked (--allow-weak). */
	cJSON_AddStringToObject(summary, "isolation", box_tier_name(g->o->tier));
	if (box_tier_missing(g->o->tier))
		cJSON_AddStringToObject(summary, "isolation_weak", box_tier_missing(g->o->tier));
	for (size_t s = 0; s < g->nstudents; s++)
		summarize_student(g, summary, s);
	summary_finish(summary);
	free(specs);
	free(now);
	return summary;
}

static int write_reports(const struct grade *g, const cJSON *summary)
{
	static const struct {
		const char *name;
		void (*fill)(FILE *, const void *);
	} files[] = {
	        {"summary.json", fill_json},
	        {"summary.csv", fill_csv},
	        {"report.html", fill_html},
	};
	int rc = 0;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *path = xasprintf("%s/%s", g->o->out, files[i].name);
		if (write_file_atomic(path, files[i].fill, summary) < 0) {
			say_cannot_write(path);
			rc = -1;
		}
		free(path);
	}
	return rc;
}

/* The results kept on disk, as one JUnit document: a suite per student and lesson. */
struct junit_set {
	struct result *rs;
	const struct result **list;
	char **names;
	size_t n;
};

static void fill_junit(FILE *f, const void *arg)
{
	const struct junit_set *js = arg;

	report_junit(f, js->list, (const char *const *)js->names, js->n);
}

static int write_junit(const struct grade *g)
{
	struct junit_set js = {xcalloc(g->njobs + 1, sizeof(struct result)),
	                       xcalloc(g->njobs + 1, sizeof(struct result *)),
	                       xcalloc(g->njobs + 1, sizeof(char *)), 0};
	char *path = xasprintf("%s/junit.xml", g->o->out);
	int rc;

	for (size_t i = 0; i < g->njobs; i++) {
		const struct job *j = &g->jobs[i];
		char *file = result_path(g, j, "", ".json");
		cJSON *r = j->state == JOB_DONE || j->state == JOB_KEPT ? read_json(file) : NULL;
		if (r && result_from_json(r, &js.rs[js.n]) == 0) {
			js.list[js.n] = &js.rs[js.n];
			js.names[js.n++] = xasprintf("%s/%s", g->students[j->s].name,
			                             g->lessons[j->l].spec->lesson);
		}
		cJSON_Delete(r);
		free(file);
	}
	rc = write_file_atomic(path, fill_junit, &js);
	if (rc < 0)
		say_cannot_write(path);
	for (size_t i = 0; i < js.n; i++) {
		result_free(&js.rs[i]);
		free(js.names[i]);
	}
	free(js.rs);
	free(js.list);
	free(js.names);
	free(path);
	return rc;
}

/* ---- the whole ---- */

static size_t count(const struct grade *g, enum job_state s)
{
	size_t n = 0;

	for (size_t i = 0; i < g->njobs; i++)
		n += g->jobs[i].state == s;
	return n;
}

/* What was done, for the instructor, on stdout. */
static void print_account(const struct grade *g)
{
	size_t pending = count(g, JOB_PENDING) + count(g, JOB_QUEUED);
	char took[32];
	char *out = escape_line_dup(g->o->out);

	printf(ngettext("%zu student", "%zu students", g->nstudents), g->nstudents);
	printf(", ");
	printf(ngettext("%zu lesson", "%zu lessons", g->nlessons), g->nlessons);
	printf(": ");
	/* TRANSLATORS: gradings made now, kept from an earlier run, lessons not submitted. */
	printf(_("%zu graded now, %zu unchanged since the last run, %zu not submitted"),
	       count(g, JOB_DONE), count(g, JOB_KEPT), count(g, JOB_MISSING));
	if (pending)
		printf(_(", %zu left for the next run"), pending);
	progress_elapsed(&g->progress, took, sizeof(took));
	printf(" (%s).\n", took);
	printf(_("Report: %s/report.html · spreadsheet: %s/summary.csv\n"), out, out);
	free(out);
}

static void free_grade(struct grade *g)
{
	for (size_t i = 0; i < g->nlessons; i++)
		spec_free(g->lessons[i].spec);
	for (size_t i = 0; i < g->nstudents; i++) {
		free(g->students[i].name);
		free(g->students[i].slug);
		free(g->students[i].entry);
		free(g->students[i].folder);
		free(g->students[i].broken);
	}
	for (size_t i = 0; i < g->njobs; i++) {
		free(g->jobs[i].src);
		free(g->jobs[i].missing);
	}
	free(g->lessons);
	free(g->students);
	free(g->jobs);
	if (g->work) {
		workdir_remove(g->work);
		free(g->work);
	}
	if (g->lock >= 0)
		close(g->lock);
}

/* Take the out folder for this run: a grade killed before lost its lock
 * with it, one still running holds it. */
static int lock_out(struct grade *g, char *err)
{
	int fd = open(g->o->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		errf(err, _("cannot open the folder %s: %s"), g->o->out, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			errf(err, _("another checker grade is writing to %s: wait for it to end"),
			     g->o->out);
		else
			errf(err, _("cannot lock the folder %s: %s"), g->o->out, strerror(errno));
		close(fd);
		return -1;
	}
	g->lock = fd;
	return 0;
}

/* The out folder, locked for this run, with alumnos/ and an empty .work. */
static int open_out(struct grade *g, char *err)
{
	char *students = xasprintf("%s/" STUDENTS_DIR, g->o->out);
	const char *failed = NULL;

	if (make_dir(g->o->out) < 0) {
		failed = g->o->out;
	} else if (lock_out(g, err) < 0) {
		free(students);
		return -1;
	} else if (make_dir(students) < 0) {
		failed = students;
	} else {
		/* What a killed grade left: the lock says no other uses it.
		 * Private: only our own children read the entries unpacked there. */
		g->work = xasprintf("%s/.work", g->o->out);
		workdir_remove(g->work);
		if (mkdir(g->work, 0700) < 0)
			failed = g->work;
	}
	if (failed)
		errf(err, _("cannot create the folder %s: %s"), failed, strerror(errno));
	free(students);
	return failed ? -1 : 0;
}

static int prepare(struct grade *g, char *err)
{
	char exe_hash[HASH_HEX_LEN];
	struct hash h;
	char **ids = NULL;

	hash_init(&h);
	hash_file(&h, "/proc/self/exe");
	hash_hex(&h, exe_hash);
	if (open_out(g, err) < 0)
		return -1;
	if (g->o->lessons && !(ids = cli_lessons(g->o->lessons, g->o->root, err)))
		return -1;
	for (size_t i = 0; ids && ids[i]; i++)
		if (add_lesson(g, ids[i], exe_hash, err) < 0) {
			cli_lessons_free(ids);
			return -1;
		}
	cli_lessons_free(ids);
	if (open_students(g, err) < 0)
		return -1;
	if (!g->o->lessons && detect_lessons(g, exe_hash, err) < 0)
		return -1;
	plan_jobs(g);
	return 0;
}

int grade_class(const struct grade_opts *o)
{
	struct grade g = {0};
	char err[ERR_LEN];
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	cJSON *summary;
	int rc;

	g.o = o;
	g.lock = -1;
	if (n <= 0 || prepare(&g, err) < 0) {
		char *shown = escape_line_dup(n <= 0 ? strerror(errno) : err);
		fprintf(stderr, "checker: %s\n", shown);
		free(shown);
		free_grade(&g);
		return 2;
	}
	exe[n] = '\0';
	progress_start(&g.progress, stderr, isatty(2), count(&g, JOB_QUEUED));
	run_jobs(&g, exe);
	progress_end(&g.progress);
	summary = build_summary(&g);
	rc = write_reports(&g, summary) < 0 || (o->junit && write_junit(&g) < 0) || g.internal ? 1
	                                                                                       : 0;
	if (run_stopped())
		rc = 128 + run_stopped();
	print_account(&g);
	cJSON_Delete(summary);
	free_grade(&g);
	return rc;
}
