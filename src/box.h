/* box.h - one isolated place per test: network and process namespaces. */
#ifndef BOX_H
#define BOX_H

#include <sys/types.h>

#include "boxroot.h"
#include "util.h"

enum tier {
	TIER_A, /* root: new network, PID, mount, IPC, UTS and cgroup namespaces */
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

/* Run fn(arg) in a new box of tier t, as a child; _exit with its return.
 * The box's first process is in a session of its own (no terminal), cannot
 * be traced or read through /proc (not dumpable), and shows no arguments of
 * the checker's. In tiers A and B it also has namespaces of its own and the
 * root of boxroot.h, with workdir (if not NULL) at BOX_WORKDIR, writable if
 * workdir_rw. Returns the child's pid (kill it to kill the box) or -1 with
 * err. */
pid_t box_spawn(enum tier t, const char *workdir, int workdir_rw, int (*fn)(void *), void *arg,
                char *err);

/* Called once by main: the memory of the checker's arguments, which a box
 * blanks so that /proc/1/cmdline tells a program nothing. */
void box_remember_args(int argc, char **argv);

/* The path of workdir as seen inside a box of tier t. */
const char *box_workdir(enum tier t, const char *workdir);

/* In a tier C box: kill and reap every process left below us. */
void box_kill_strays(void);

#endif
