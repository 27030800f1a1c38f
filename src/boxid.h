/* boxid.h - a uid of its own for each box, held under a lock while it lives. */
#ifndef BOXID_H
#define BOXID_H

#include "util.h"

/* The range box uids come from, unless CHECKER_UID_RANGE="FIRST-LAST" says
 * otherwise: far above the ids of people and services, and away from the
 * first subordinate ranges useradd hands out (100000 + 65536 per user).
 * Directory services may map ids anywhere, so every id is checked before
 * use (see boxid_acquire). */
#define BOXID_FIRST 400000
#define BOXID_COUNT 10000

/* Where the locks live: one file per uid, locked (flock) by its holder. */
#define BOXID_LOCK_DIR "/run/checker-uids"

struct boxid {
	int uid; /* -1 when none is held */
	int gid;
	int lock_fd;
};

/* Take a uid that no other box on this machine holds now: not a user or
 * group of the system, not inside a range of /etc/subuid or /etc/subgid.
 * Whatever still runs as it (left by a checker that was killed) is killed
 * first, and the first call of a process does the same for every box uid
 * nobody holds. Only as root. -1 with err when every uid of the range is
 * taken. */
int boxid_acquire(struct boxid *b, char *err);

/* Without root: a subordinate uid and gid of ours (the ranges of
 * /etc/subuid and /etc/subgid that newuidmap and newgidmap let us map into
 * a user namespace), a pair no other box of ours holds now. -1 with err
 * where there are none (or no newuidmap): a box of tier B then runs the
 * program as our own uid, which is weak. */
int boxid_acquire_sub(struct boxid *b, char *err);

/* Give it back (the box and all its processes must be gone). */
void boxid_release(struct boxid *b);

/* The range in force, for doctor: first and last uid, or -1 with err if
 * CHECKER_UID_RANGE is malformed. */
int boxid_range(int *first, int *last, char *err);

#endif
