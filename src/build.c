/* build.c - compile the learner's sources with fixed flags. */
#include "build.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boxid.h"
#include "cgroup.h"
#include "i18n.h"
#include "proc.h"
#include "workdir.h"

#define BUILD_MS        60000
#define LOG_LINES       60
#define REPLY_MARGIN_MS 10000             /* for the box itself, past the compiler's time */
#define REPLY_MAX       (4 * 1024 * 1024) /* a result is a trimmed log and a few numbers */
#define BUILD_MEM_MB    1024              /* the compiler's cgroup, where one can be made */
#define BUILD_PIDS      64

static const char *const base_flags[] = {
        "-std=gnu11", "-Wall", "-Wextra", "-g", "-O1", "-fdiagnostics-color=never", NULL};

/* The first executable regular file named name in the folders of path. */
static char *search_path(const char *name, const char *path)
{
	char *dirs = xstrdup(path), *save = NULL, *found = NULL;

	for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *f = xasprintf("%s/%s", d, name);
		struct stat sb;

		if (*d == '/' && stat(f, &sb) == 0 && S_ISREG(sb.st_mode) && access(f, X_OK) == 0)
			found = f;
		else
			free(f);
	}
	free(dirs);
	return found;
}

/* The compiler by its path: what runs is then what the build cache names. */
static char *find_compiler(void)
{
	const char *cc = getenv("CHECKER_CC"), *path = getenv("PATH");
	char *found;

	if (!cc || !*cc)
		cc = "cc";
	if (strchr(cc, '/'))
		return xstrdup(cc);
	found = search_path(cc, BUILD_PATH);
	if (!found && path && *path)
		found = search_path(cc, path);
	return found ? found : xstrdup(cc);
}

/* The words of build_argv, and -fdebug-prefix-map for dir when it is given;
 * the program goes to out (by default the spec's output, in the folder). */
static char **compiler_argv(const struct spec *s, const char *const *extra, const char *dir,
                            const char *out)
{
	size_t nextra = 0, n = 0, cap;
	char **argv;

	while (extra && extra[nextra])
		nextra++;
	cap = 16 + nextra + s->build.sources.n + s->build.cflags.n + s->build.ldflags.n;
	argv = xcalloc(cap, sizeof(char *));
	argv[n++] = find_compiler();
	for (size_t i = 0; base_flags[i]; i++)
		argv[n++] = xstrdup(base_flags[i]);
	/* gcc splits the option at its first '=': such a folder keeps its name. */
	if (dir && !strchr(dir, '='))
		argv[n++] = xasprintf("-fdebug-prefix-map=%s=.", dir);
	for (size_t i = 0; i < s->build.cflags.n; i++)
		argv[n++] = xstrdup(s->build.cflags.v[i]);
	for (size_t i = 0; i < nextra; i++)
		argv[n++] = xstrdup(extra[i]);
	argv[n++] = xstrdup("-o");
	argv[n++] = xstrdup(out ? out : s->build.output);
	for (size_t i = 0; i < s->build.sources.n; i++)
		argv[n++] = xstrdup(s->build.sources.v[i]);
	for (size_t i = 0; i < s->build.ldflags.n; i++)
		argv[n++] = xstrdup(s->build.ldflags.v[i]);
	return argv;
}

char **build_argv(const struct spec *s, const char *const *extra)
{
	return compiler_argv(s, extra, NULL, NULL);
}

void build_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

void build_scan(const char *log, struct build_result *br)
{
	const char *line = log;

	br->warnings = br->errors = 0;
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *l = xstrndup(line, len);

		if (strstr(l, ": warning: "))
			br->warnings++;
		else if (strstr(l, ": error: ") || strstr(l, ": fatal error: ") ||
		         strstr(l, "undefined reference to")) {
			br->errors++;
			if (!br->first_error)
				br->first_error = xstrdup(l);
		}
		free(l);
		line = end ? end + 1 : NULL;
	}
}

/* Keep the first LOG_LINES lines: the first errors are the ones to fix. */
static char *trim_log(const char *log)
{
	const char *p = log;
	int lines = 0;

	while (*p && lines < LOG_LINES) {
		p = strchr(p, '\n');
		if (!p)
			return xstrdup(log);
		p++;
		lines++;
	}
	if (!*p)
		return xstrdup(log);
	return xasprintf("%.*s%s\n", (int)(p - log), log, _("[… more compiler output not shown]"));
}

static int missing_sources(const struct spec *s, const char *dir, struct build_result *br)
{
	for (size_t i = 0; i < s->build.sources.n; i++) {
		char *path = xasprintf("%s/%s", dir, s->build.sources.v[i]);
		struct stat sb;
		int missing = stat(path, &sb) < 0 || !S_ISREG(sb.st_mode);

		free(path);
		if (missing) {
			br->ok = 0;
			br->errors = 1;
			br->log = xasprintf(_("%s: file not found in the folder being graded"),
			                    s->build.sources.v[i]);
			br->first_error = xstrdup(br->log);
			return 1;
		}
	}
	return 0;
}

/* A failed build is the sources' own doing when its first error is in a
 * file of the folder ("servidor.c:12:5: error: ...") or is one of their
 * link errors, and nothing of the machine's ran out meanwhile (as when many
 * gradings share it): only then is it worth keeping. */
static int sources_fault(const char *log, const struct build_result *br)
{
	static const char *const scarce[] = {"No space left on device",
	                                     "Disk quota exceeded",
	                                     "Resource temporarily unavailable",
	                                     "Cannot allocate memory",
	                                     "memory exhausted",
	                                     "out of memory",
	                                     "Too many open files",
	                                     "cannot fork",
	                                     "Killed signal",
	                                     NULL};
	const char *e = br->first_error;
	size_t n;

	for (size_t i = 0; log && scarce[i]; i++)
		if (strstr(log, scarce[i]))
			return 0;
	if (!e)
		return 0;
	if (strstr(e, "undefined reference to"))
		return 1;
	n = strcspn(e, ":");
	return n > 0 && e[0] != '/' && e[n] == ':' && e[n + 1] >= '0' && e[n + 1] <= '9';
}

/* Wait for the compiler, collecting its output, within BUILD_MS. */
static int wait_compiler(struct proc *p)
{
	int64_t deadline = now_ms() + BUILD_MS;

	while (!proc_check(p)) {
		struct pollfd pfd[3] = {
		        {p->out_fd, POLLIN, 0}, {p->err_fd, POLLIN, 0}, {p->pidfd, POLLIN, 0}};
		if (ms_left(deadline) == 0) {
			proc_kill(p);
			return -1;
		}
		poll(pfd, 3, ms_left(deadline));
		proc_drain(p);
	}
	proc_drain(p);
	return 0;
}

/* Who the compiler runs as, and where its program goes. */
struct compile_as {
	int uid;       /* or -1 for ours */
	int drop_caps; /* uid 0 of a user namespace, with no capability */
	int filter;    /* the seccomp deny-list, as for programs */
	const char *out;
	const char *tmpdir;    /* its TMPDIR */
	const int *cgroup_fds; /* cgroup_open's, to join; or NULL */
};

static int compile(const struct spec *s, const char *dir, const char *const *extra,
                   const struct compile_as *as, struct build_result *br, char *err)
{
	char *tmp = xasprintf("TMPDIR=%s", as->tmpdir ? as->tmpdir : "/tmp");
	char *const envp[] = {"PATH=" BUILD_PATH, "LC_ALL=C", tmp, NULL};
	struct proc_spec ps = {0};
	struct proc p;
	char **argv = compiler_argv(s, extra, dir, as->out);
	struct buf log = {0};
	int r, ended;

	memset(br, 0, sizeof(*br));
	br->ran = 1;
	if (missing_sources(s, dir, br)) {
		build_argv_free(argv);
		free(tmp);
		return 1;
	}
	ps.argv = argv;
	ps.cwd = dir;
	ps.envp = envp;
	ps.uid = as->uid;
	ps.drop_caps = as->drop_caps;
	ps.filter = as->filter;
	ps.cgroup_fds = as->cgroup_fds;
	proc_default_limits(&ps.limits);
	ps.limits.cpu_s = BUILD_MS / 1000;
	ps.limits.fsize_mb = 256;
	r = proc_start(&p, &ps, err);
	build_argv_free(argv);
	free(tmp);
	if (r < 0)
		return -1;
	r = wait_compiler(&p);
	buf_append(&log, p.out.data, p.out.len);
	buf_append(&log, p.err.data, p.err.len);
	br->log = trim_log(log.data ? log.data : "");
	build_scan(log.data, br);
	ended = r == 0 && WIFEXITED(p.status);
	br->ok = ended && WEXITSTATUS(p.status) == 0;
	if (!br->ok && !sources_fault(log.data, br))
		ended = 0;
	if (r < 0) {
		free(br->log);
		br->log = xasprintf(_("the compiler did not finish within %d s"), BUILD_MS / 1000);
	}
	if (!br->ok && br->errors == 0)
		br->errors = 1;
	buf_free(&log);
	proc_free(&p);
	return ended ? 0 : 1;
}

/* What the build's box needs, and where it writes its result. */
struct build_box {
	const struct spec *s;
	const char *const *extra;
	struct compile_as as;
	int fd;
};

/* The compiler's program, from the box's own /tmp into the work folder. */
static int copy_program(const char *from, const char *to, char *err)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, r = -1;
	char chunk[65536];
	ssize_t n;

	if (in >= 0)
		out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0755);
	while (out >= 0 && (n = read(in, chunk, sizeof(chunk))) > 0)
		if (write(out, chunk, (size_t)n) != n)
			break;
	if (out >= 0 && n == 0 && fchmod(out, 0755) == 0)
		r = 0;
	if (r < 0)
		errf(err, "%s: %s", to, strerror(errno));
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return r;
}

static void write_all(int fd, const char *text)
{
	size_t len = strlen(text), off = 0;

	while (off < len) {
		ssize_t k = write(fd, text + off, len - off);
		if (k <= 0 && errno != EINTR)
			break;
		if (k > 0)
			off += (size_t)k;
	}
}

/* In the build's box: compile as the box's user, send the result. */
static int build_box_main(void *arg)
{
	const struct build_box *b = arg;
	struct build_result br;
	char err[ERR_LEN] = "";
	char *dst = xasprintf("%s/%s", BOX_WORKDIR, b->s->build.output);
	int rc = compile(b->s, BOX_WORKDIR, b->extra, &b->as, &br, err);
	cJSON *j;
	char *text;

	if (rc >= 0 && br.ok && copy_program(b->as.out, dst, err) < 0)
		rc = -1;
	j = build_result_to_json(&br);
	cJSON_AddNumberToObject(j, "rc", rc);
	cJSON_AddStringToObject(j, "error", err);
	text = cJSON_PrintUnformatted(j);
	write_all(b->fd, text);
	cJSON_Delete(j);
	free(text);
	free(dst);
	return 0;
}

/* Everything the box sends until it closes, within the deadline; -1 if it
 * takes longer or sends more than max. */
static int read_reply(int fd, struct buf *out, int64_t deadline, size_t max)
{
	for (;;) {
		struct pollfd pfd = {fd, POLLIN, 0};
		char chunk[65536];
		ssize_t n;

		if (poll(&pfd, 1, ms_left(deadline)) == 0)
			return -1;
		n = read(fd, chunk, sizeof(chunk));
		if (n == 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -1;
		if (n > 0)
			buf_append(out, chunk, (size_t)n);
		if (out->len > max)
			return -1;
	}
}

/* Exactly one JSON object, nothing before or after it. */
static int take_reply(const struct buf *reply, struct build_result *br, char *err)
{
	cJSON *j = NULL, *rc;
	int r = -1;

	if (reply->data && strlen(reply->data) == reply->len)
		j = cJSON_ParseWithOpts(reply->data, NULL, 1);
	rc = cJSON_GetObjectItemCaseSensitive(j, "rc");
	if (!cJSON_IsObject(j) || !cJSON_IsNumber(rc) || rc->valueint < -1 || rc->valueint > 1) {
		errf(err, "%s", _("the build's box ended without a result"));
	} else {
		build_result_from_json(j, br);
		br->cached = 0;
		br->ms = 0;
		const char *why =
		        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "error"));
		if ((r = rc->valueint) < 0)
			errf(err, "%s", why ? why : "?");
	}
	cJSON_Delete(j);
	return r;
}

/* As root outside a user namespace: a cgroup for the compiler (memory,
 * processes), its cgroup.procs files in fds (-1 after the last; none if
 * it cannot be made). */
static void build_cgroup(enum tier t, struct cgroup *cg, int fds[CGROUP_MAX_DIRS + 1])
{
	char name[CGROUP_NAME_LEN];
	int oom;

	memset(cg, 0, sizeof(*cg));
	fds[0] = -1;
	if (geteuid() != 0 || t == TIER_B)
		return;
	cgroup_name(name);
	if (cgroup_create(cg, name, BUILD_MEM_MB, BUILD_PIDS) < 0)
		return;
	cgroup_open(cg, fds, &oom);
	if (oom >= 0)
		close(oom);
}

static void close_fds(int *fds)
{
	for (size_t i = 0; fds[i] >= 0; i++)
		close(fds[i]);
	fds[0] = -1;
}

/* In a box like the tests': only the system and the work folder to read. */
static int build_boxed(const struct spec *s, const char *workdir, const char *const *extra,
                       enum tier t, struct build_result *br, char *err)
{
	struct box_ident ident = {{-1, -1, -1}, -1, 0};
	char *out = xasprintf("/tmp/%s", s->build.output);
	struct build_box b = {s, extra, {-1, 0, 1, out, NULL, NULL}, -1};
	struct box_opts bo = {t, workdir, 1, &ident};
	struct buf reply = {0};
	struct cgroup cg;
	int fds[2], cg_fds[CGROUP_MAX_DIRS + 1], st, r = -1;
	pid_t pid = -1;

	memset(br, 0, sizeof(*br));
	build_cgroup(t, &cg, cg_fds);
	b.as.cgroup_fds = cg_fds;
	if (box_ident_acquire(t, &ident, err) < 0)
		goto done;
	b.as.uid = ident.uid;
	b.as.drop_caps = ident.drop_caps;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		errf(err, "pipe: %s", strerror(errno));
		goto done;
	}
	b.fd = fds[1];
	pid = box_spawn(&bo, build_box_main, &b, err);
	close(fds[1]);
	close_fds(cg_fds); /* the box has its own */
	if (pid > 0) {
		if (read_reply(fds[0], &reply, now_ms() + BUILD_MS + REPLY_MARGIN_MS, REPLY_MAX) <
		    0)
			kill(pid, SIGKILL);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		r = take_reply(&reply, br, err);
	}
	close(fds[0]);
done:
	close_fds(cg_fds);
	cgroup_destroy(&cg);
	buf_free(&reply);
	box_ident_release(&ident);
	free(out);
	return r;
}

/* Tier C as root: no namespaces, but the compiler runs as a uid of its own
 * (it cannot read root's files or a classmate's 0700 folder), in a folder
 * of that uid's for its temporary files and its program. */
static int build_as_box_uid(const struct spec *s, const char *dir, const char *const *extra,
                            struct build_result *br, char *err)
{
	const char *t = getenv("TMPDIR");
	struct box_ident ident = {{-1, -1, -1}, -1, 0};
	char *tmp = xasprintf("%s/checker-build-XXXXXX", t && *t ? t : "/tmp");
	char *out = NULL, *dst = xasprintf("%s/%s", dir, s->build.output);
	struct cgroup cg;
	int cg_fds[CGROUP_MAX_DIRS + 1], r = -1;

	memset(br, 0, sizeof(*br));
	build_cgroup(TIER_C, &cg, cg_fds);
	if (box_ident_acquire(TIER_C, &ident, err) < 0)
		goto done;
	if (!mkdtemp(tmp) || chown(tmp, (uid_t)ident.id.uid, (gid_t)ident.id.gid) < 0) {
		errf(err, "%s: %s", tmp, strerror(errno));
		goto done;
	}
	out = xasprintf("%s/%s", tmp, s->build.output);
	{
		struct compile_as as = {ident.uid, 0, 1, out, tmp, cg_fds};
		r = compile(s, dir, extra, &as, br, err);
	}
	if (r >= 0 && br->ok && copy_program(out, dst, err) < 0)
		r = -1;
done:
	close_fds(cg_fds);
	cgroup_destroy(&cg);
	workdir_remove(tmp);
	box_ident_release(&ident);
	free(tmp);
	free(out);
	free(dst);
	return r;
}

int build_run(const struct spec *s, const char *dir, const char *const *extra, enum tier t,
              struct build_result *br, char *err)
{
	static const struct compile_as ours = {-1, 0, 0, NULL, NULL, NULL};

	if (t != TIER_C)
		return build_boxed(s, dir, extra, t, br, err);
	if (geteuid() == 0)
		return build_as_box_uid(s, dir, extra, br, err);
	return compile(s, dir, extra, &ours, br, err);
}
