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
 * be made. */
int cgroup_create(struct cgroup *cg, const char *name, int mem_mb, int pids_max);

/* The cgroup.procs files a process writes "0" to in order to join. */
void cgroup_procs_paths(const struct cgroup *cg, char **out, size_t max);

/* How many times the kernel killed a process of it for lack of memory. */
int cgroup_oom_kills(const struct cgroup *cg);

/* Kill what is left in it and remove it. */
void cgroup_destroy(struct cgroup *cg);

/* The same for the cgroups named name, made by a box that was killed before
 * it could remove them; nothing if there are none. Unlike cgroup_destroy,
 * it reaps nothing: the caller's children are its own business. */
void cgroup_remove(const char *name);

#endif
