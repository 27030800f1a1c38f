/* cgroup.c - memory and process limits for one box, where a cgroup can be made. */
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define CG_ROOT  "/sys/fs/cgroup"
#define RMDIR_MS 1000

static int write_text(const char *dir, const char *file, const char *text)
{
	char *path = xasprintf("%s/%s", dir, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC), r = -1;

	free(path);
	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) == (ssize_t)strlen(text))
		r = 0;
	close(fd);
	return r;
}

/* Our own cgroup for a v1 controller ("memory"), or for v2 (""). */
static char *own_cgroup(const char *controller)
{
	FILE *f = fopen("/proc/self/cgroup", "r");
	char line[1024], *path = NULL;

	if (!f)
		return NULL;
	while (!path && fgets(line, sizeof(line), f)) {
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
		if (!b)
			continue;
		*b = '\0';
		b[strcspn(b + 1, "\n") + 1] = '\0';
		if (*controller ? strcmp(a + 1, controller) == 0 : a[1] == '\0')
			path = xstrdup(b + 1);
	}
	fclose(f);
	return path;
}

void cgroup_name(char name[CGROUP_NAME_LEN])
{
	static unsigned long made;
	unsigned long long id = 0;

	if (getrandom(&id, sizeof(id), 0) != sizeof(id))
		id = (unsigned long long)now_ms();
	snprintf(name, CGROUP_NAME_LEN, "checker-%d-%lu-%016llx", (int)getpid(), made++, id);
}

/* Where the cgroup name of controller is, under ours; NULL if we have none. */
static char *dir_path(const char *mount, const char *controller, const char *name)
{
	char *own = own_cgroup(controller), *dir;

	if (!own)
		return NULL;
	dir = xasprintf("%s%s/%s", mount, strcmp(own, "/") ? own : "", name);
	free(own);
	return dir;
}

/* A new directory under our cgroup for controller, or NULL. */
static char *make_dir(const char *mount, const char *controller, const char *name)
{
	char *dir = dir_path(mount, controller, name);

	if (dir && mkdir(dir, 0755) == 0)
		return dir;
	free(dir);
	return NULL;
}

static int exists(const char *dir, const char *file)
{
	char *path = xasprintf("%s/%s", dir, file);
	int r = access(path, F_OK) == 0;

	free(path);
	return r;
}

static int create_v2(struct cgroup *cg, const char *name, const char *mem, const char *pids)
{
	char *dir = make_dir(CG_ROOT, "", name);

	if (!dir)
		return -1;
	if (!exists(dir, "memory.max") || write_text(dir, "memory.max", mem) < 0) {
		rmdir(dir);
		free(dir);
		return -1;
	}
	write_text(dir, "memory.swap.max", "0");
	write_text(dir, "pids.max", pids);
	cg->dirs[0] = cg->memory = dir;
	cg->v2 = 1;
	return 0;
}

static int create_v1(struct cgroup *cg, const char *name, const char *mem, const char *pids)
{
	char *mdir = make_dir(CG_ROOT "/memory", "memory", name);
	char *pdir;

	if (!mdir)
		return -1;
	if (write_text(mdir, "memory.limit_in_bytes", mem) < 0) {
		rmdir(mdir);
		free(mdir);
		return -1;
	}
	cg->dirs[0] = cg->memory = mdir;
	if ((pdir = make_dir(CG_ROOT "/pids", "pids", name))) {
		write_text(pdir, "pids.max", pids);
		cg->dirs[1] = pdir;
	}
	return 0;
}

/* The pid in a name cgroup_name gave ("checker-PID-..."), or 0. */
static int creator(const char *name)
{
	int pid = 0;

	return sscanf(name, "checker-%d-", &pid) == 1 ? pid : 0;
}

/* The cgroups of controller left by checkers that are gone (killed with
 * SIGKILL, they could not remove them): their processes killed, removed. */
static void sweep_dir(const char *mount, const char *controller)
{
	char *dir = dir_path(mount, controller, "");
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;

	while (d && (e = readdir(d))) {
		int pid = creator(e->d_name);
		if (pid > 0 && kill(pid, 0) < 0 && errno == ESRCH) {
			struct cgroup cg = {{xasprintf("%s%s", dir, e->d_name), NULL}, NULL, 0};
			cg.v2 = !*controller;
			cgroup_destroy(&cg);
		}
	}
	if (d)
		closedir(d);
	free(dir);
}

static void sweep_stale(void)
{
	static int swept;

	if (swept)
		return;
	swept = 1;
	sweep_dir(CG_ROOT, "");
	sweep_dir(CG_ROOT "/memory", "memory");
	sweep_dir(CG_ROOT "/pids", "pids");
}

int cgroup_create(struct cgroup *cg, const char *name, int mem_mb, int pids_max)
{
	char mem[32], pids[32];

	memset(cg, 0, sizeof(*cg));
	if (geteuid() != 0)
		return -1;
	sweep_stale();
	snprintf(mem, sizeof(mem), "%lld", (long long)mem_mb << 20);
	snprintf(pids, sizeof(pids), "%d", pids_max);
	if (exists(CG_ROOT, "cgroup.controllers") && create_v2(cg, name, mem, pids) == 0)
		return 0;
	return create_v1(cg, name, mem, pids);
}

const char *cgroup_mode(void)
{
	static char mode[512];
	struct cgroup cg;
	char name[CGROUP_NAME_LEN];

	cgroup_name(name);
	if (cgroup_create(&cg, name, 64, 64) < 0)
		return NULL;
	snprintf(mode, sizeof(mode), "%s %s", cg.v2 ? "v2" : "v1", cg.memory);
	cgroup_destroy(&cg);
	return mode;
}

void cgroup_open(const struct cgroup *cg, int fds[CGROUP_MAX_DIRS + 1], int *oom_fd)
{
	size_t n = 0;

	for (size_t i = 0; cg->dirs[i] && n < CGROUP_MAX_DIRS; i++) {
		char *path = xasprintf("%s/cgroup.procs", cg->dirs[i]);
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		free(path);
		if (fd >= 0)
			fds[n++] = fd;
	}
	fds[n] = -1;
	*oom_fd = -1;
	if (cg->memory) {
		char *path = xasprintf("%s/%s", cg->memory,
		                       cg->v2 ? "memory.events" : "memory.oom_control");
		*oom_fd = open(path, O_RDONLY | O_CLOEXEC);
		free(path);
	}
}

int cgroup_join(const int *fds)
{
	for (size_t i = 0; fds[i] >= 0; i++)
		if (write(fds[i], "0", 1) != 1)
			return -1;
	return 0;
}

int cgroup_oom_count(int oom_fd)
{
	char text[1024];
	const char *line;
	ssize_t n;
	int kills = 0;

	/* A cgroup file is made anew by every read from its start. */
	if (oom_fd < 0 || (n = pread(oom_fd, text, sizeof(text) - 1, 0)) <= 0)
		return 0;
	text[n] = '\0';
	for (line = text; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (sscanf(line, "oom_kill %d", &kills) == 1)
			break;
	return kills;
}

/* SIGKILL every process listed in dir; how many there were. */
static int kill_members(const char *dir)
{
	char *path = xasprintf("%s/cgroup.procs", dir);
	FILE *f = fopen(path, "r");
	int pid, n = 0;

	free(path);
	if (!f)
		return 0;
	while (fscanf(f, "%d", &pid) == 1) {
		kill(pid, SIGKILL);
		n++;
	}
	fclose(f);
	return n;
}

void cgroup_destroy(struct cgroup *cg)
{
	for (size_t i = 0; cg->dirs[i]; i++) {
		int64_t deadline = now_ms() + RMDIR_MS;

		if (cg->v2)
			write_text(cg->dirs[i], "cgroup.kill", "1");
		/* A killed process leaves the cgroup once it is reaped. */
		while (rmdir(cg->dirs[i]) < 0 && errno == EBUSY && ms_left(deadline) > 0 &&
		       kill_members(cg->dirs[i]) >= 0)
			poll(NULL, 0, 1);
		free(cg->dirs[i]);
		cg->dirs[i] = NULL;
	}
	cg->memory = NULL;
}
