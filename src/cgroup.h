/* cgroup.h - memory and process limits for one box, where a cgroup can be made. */
#ifndef CGROUP_H
#define CGROUP_H

#include "util.h"

#define CGROUP_MAX_DIRS 2

/* The cgroups of one box: one directory (v2) or one per controller (v1). */
struct cgroup {
	char *dirs[CGROUP_MAX_DIRS + 1]; /* NULL-terminated */
	char *memory;                    /* the directory with the memory controller */
	int v2;
};

/* "v2 /sys/fs/cgroup/..." or "v1 /sys/fs/cgroup/memory/...", or NULL when
 * this process cannot make cgroups (not root, no controllers). */
const char *cgroup_mode(void);

#define CGROUP_NAME_LEN 48

/* A name for a box's cgroups, unique on this machine while we run. */
void cgroup_name(char name[CGROUP_NAME_LEN]);

/* Make the box's cgroups, named name, with these limits; -1 if none could
 * be made. The first call of a process also removes the cgroups that
 * checkers killed before they could remove them left behind. */
int cgroup_create(struct cgroup *cg, const char *name, int mem_mb, int pids_max);

/* The files a box needs of its cgroups once it can no longer see them:
 * fds the cgroup.procs files a process writes "0" to in order to join (-1
 * after the last), *oom_fd what cgroup_oom_count reads. Not close-on-exec
 * matters not: the program's exec closes every fd but its own three. */
void cgroup_open(const struct cgroup *cg, int fds[CGROUP_MAX_DIRS + 1], int *oom_fd);

/* Move the calling process into the cgroups of cgroup_open's fds. */
int cgroup_join(const int *fds);

/* How many times the kernel killed a process of the cgroup for lack of
 * memory, from cgroup_open's oom_fd; 0 for -1. */
int cgroup_oom_count(int oom_fd);

/* Kill what is left in it and remove it (the caller is not the box's init:
 * its processes are reaped by whoever they belong to). */
void cgroup_destroy(struct cgroup *cg);

#endif
