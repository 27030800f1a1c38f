/* box.h - one isolated place per test: network and process namespaces. */
#ifndef BOX_H
#define BOX_H

#include <sys/types.h>

#include "util.h"

enum tier {
	TIER_A, /* root: new network and PID namespaces */
	TIER_B, /* unprivileged: the same inside a new user namespace */
	TIER_C, /* no namespaces: host network, free ports, process groups */
	TIER_AUTO,
};

const char *box_tier_name(enum tier t);
int box_tier_parse(const char *s, enum tier *out);
/* One line, translated, saying what the tier isolates. */
const char *box_tier_describe(enum tier t);

/* 1 if a box of tier t can be made here (tries one). */
int box_tier_works(enum tier t);
/* The strongest tier that works here. */
enum tier box_best_tier(void);

/* Where the work folder appears inside a box with its own mounts. */
#define BOX_WORKDIR "/tmp/box"

/* Run fn(arg) in a new box of tier t, as a child; _exit with its return.
 * In tiers A and B the box also gets its own mounts: fresh /tmp, /var/tmp,
 * /run and /dev/shm (hiding the host's files and UNIX sockets), its own
 * /proc, hide (a host folder such as the build cache, if not NULL and it
 * exists) covered by an empty read-only folder, and workdir (if not NULL)
 * read-only at BOX_WORKDIR. Returns the child's pid (kill it to kill the
 * box) or -1 with err. */
pid_t box_spawn(enum tier t, const char *workdir, const char *hide, int (*fn)(void *), void *arg,
                char *err);

/* The path of workdir as seen inside a box of tier t. */
const char *box_workdir(enum tier t, const char *workdir);

/* In a tier C box: kill and reap every process left below us. */
void box_kill_strays(void);

#endif
