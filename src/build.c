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

static char **compiler_argv(const struct spec *s, const char *const *extra)
{
	const char *cc = getenv("CHECKER_CC");
	size_t nextra = 0, n = 0, cap;
	char **argv;

	while (extra && extra[nextra])
		nextra++;
	cap = 16 + nextra + s->build.sources.n + s->build.cflags.n + s->build.ldflags.n;
	argv = xcalloc(cap, sizeof(char *));
	argv[n++] = xstrdup(cc && *cc ? cc : "cc");
	for (size_t i = 0; base_flags[i]; i++)
		argv[n++] = xstrdup(base_flags[i]);
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

static void free_argv(char **argv)
{
	for (size_t i = 0; argv[i]; i++)
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
	static char *const envp[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", NULL};
	struct proc_spec ps = {0};
	struct proc p;
	char **argv = compiler_argv(s, extra);
	struct buf log = {0};
	int r;

	memset(br, 0, sizeof(*br));
	br->ran = 1;
	if (missing_sources(s, dir, br)) {
		free_argv(argv);
		return 0;
	}
	ps.argv = argv;
	ps.cwd = dir;
	ps.envp = envp;
	ps.uid = -1;
	proc_default_limits(&ps.limits);
	ps.limits.cpu_s = BUILD_MS / 1000;
	ps.limits.fsize_mb = 256;
	r = proc_start(&p, &ps, err);
	free_argv(argv);
	if (r < 0)
		return -1;
	r = wait_compiler(&p);
	buf_append(&log, p.out.data, p.out.len);
	buf_append(&log, p.err.data, p.err.len);
	br->log = trim_log(log.data ? log.data : "");
	build_scan(log.data, br);
	br->ok = r == 0 && WIFEXITED(p.status) && WEXITSTATUS(p.status) == 0;
	if (r < 0) {
		free(br->log);
		br->log = xasprintf(_("the compiler did not finish within %d s"), BUILD_MS / 1000);
	}
	if (!br->ok && br->errors == 0)
		br->errors = 1;
	buf_free(&log);
	proc_free(&p);
	return 0;
}
