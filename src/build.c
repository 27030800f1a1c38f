/* build.c - compile the learner's sources with fixed flags. */
#include "build.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"
#include "proc.h"

#define BUILD_MS  60000
#define LOG_LINES 60

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

/* The words of build_argv, and -fdebug-prefix-map for dir when it is given. */
static char **compiler_argv(const struct spec *s, const char *const *extra, const char *dir)
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
	argv[n++] = xstrdup(s->build.output);
	for (size_t i = 0; i < s->build.sources.n; i++)
		argv[n++] = xstrdup(s->build.sources.v[i]);
	for (size_t i = 0; i < s->build.ldflags.n; i++)
		argv[n++] = xstrdup(s->build.ldflags.v[i]);
	return argv;
}

char **build_argv(const struct spec *s, const char *const *extra)
{
	return compiler_argv(s, extra, NULL);
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

int build_run(const struct spec *s, const char *dir, const char *const *extra,
              struct build_result *br, char *err)
{
	static char *const envp[] = {"PATH=" BUILD_PATH, "LC_ALL=C", NULL};
	struct proc_spec ps = {0};
	struct proc p;
	char **argv = compiler_argv(s, extra, dir);
	struct buf log = {0};
	int r, ended;

	memset(br, 0, sizeof(*br));
	br->ran = 1;
	if (missing_sources(s, dir, br)) {
		build_argv_free(argv);
		return 1;
	}
	ps.argv = argv;
	ps.cwd = dir;
	ps.envp = envp;
	ps.uid = -1;
	proc_default_limits(&ps.limits);
	ps.limits.cpu_s = BUILD_MS / 1000;
	ps.limits.fsize_mb = 256;
	r = proc_start(&p, &ps, err);
	build_argv_free(argv);
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
