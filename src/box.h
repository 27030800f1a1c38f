/* box.h - one isolated place per test: namespaces, its own root, who runs in it, how weak it is. */
#ifndef BOX_H
#define BOX_H

#include <sys/types.h>

#include "boxid.h"
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

/* Who a box's program runs as. As root (tiers A and C): a uid and gid no
 * other box holds. Tier B: uid 1 of the box, mapped to a subordinate uid
 * of ours; where there is none, uid 0 of the box (our own uid outside)
 * with no capability, which is weak: the program acts with our uid. */
struct box_ident {
	struct boxid id;
	int uid;       /* for proc_spec.uid: the uid inside the box, or -1 */
	int drop_caps; /* for proc_spec.drop_caps */
};

#define BOX_SUB_UID 1 /* tier B: the program's uid inside, mapped to a subordinate one */

/* Get one for a box of tier t; -1 with err if none can be had now. */
int box_ident_acquire(enum tier t, struct box_ident *bi, char *err);
/* Give it back once the box and all its processes are gone. */
void box_ident_release(struct box_ident *bi);

struct box_opts {
	enum tier tier;
	const char *workdir;           /* at BOX_WORKDIR in A and B (or NULL): read-only */
	int workdir_rw;                /* unless this: the build writes its program there */
	const struct box_ident *ident; /* tier B maps its subordinate ids, if any; or NULL */
};

/* Run fn(arg) in a new box, as a child; _exit with its return. The box's
 * first process is in a session of its own (no terminal), cannot be traced
 * or read through /proc (not dumpable), and shows no arguments of the
 * checker's. In tiers A and B it also has namespaces of its own and the
 * root of boxroot.h. Returns the child's pid (kill it to kill the box) or
 * -1 with err. */
pid_t box_spawn(const struct box_opts *o, int (*fn)(void *), void *arg, char *err);

/* 1 if a box of tier t here leaves the program with the caller's own uid
 * or the host's network (tier C; tier B without subordinate ids). */
int box_tier_weak(enum tier t);

/* What tier t lacks here, one translated line, or NULL if nothing. */
const char *box_tier_missing(enum tier t);

/* The tier to grade with: want, or the strongest here for TIER_AUTO; -1
 * with err if want is not available, or if the tier is weak and
 * refuse_weak. */
int box_pick_tier(enum tier want, int refuse_weak, enum tier *out, char *err);

/* Called once by main: the memory of the checker's arguments, which a box
 * blanks so that /proc/1/cmdline tells a program nothing. */
void box_remember_args(int argc, char **argv);

/* The path of workdir as seen inside a box of tier t. */
const char *box_workdir(enum tier t, const char *workdir);

/* In a tier C box: kill and reap every process left below us. */
void box_kill_strays(void);

#endif
