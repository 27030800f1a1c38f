/* boxid.c - a uid of its own for each box, held under a lock while it lives.
 *
 * Like isolate's box ids: the holder of a uid keeps a lock file open with
 * flock(), so two checkers (or two boxes of one) never run programs as the
 * same uid at once, and RLIMIT_NPROC, which the kernel counts per uid, is
 * each box's own. A checker that dies drops its locks with its files. */
#include "boxid.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

int boxid_range(int *first, int *last, char *err)
{
	const char *env = getenv("CHECKER_UID_RANGE");
	long a, b;
	char tail;

	*first = BOXID_FIRST;
	*last = BOXID_FIRST + BOXID_COUNT - 1;
	if (!env || !*env)
		return 0;
	if (sscanf(env, "%ld-%ld%c", &a, &b, &tail) != 2 || a < 1000 || b < a || b > 0x7ffffffeL) {
		/* TRANSLATORS: the value of the variable, as given. */
		errf(err, _("CHECKER_UID_RANGE=%s: give FIRST-LAST, two uids from 1000 up"), env);
		return -1;
	}
	*first = (int)a;
	*last = (int)b;
	return 0;
}

/* 1 if id lies in a range of a subordinate-id file (name:start:count). */
static int in_sub_ranges(const char *path, long id)
{
	FILE *f = fopen(path, "re");
	char line[512];
	int found = 0;

	while (f && !found && fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':');
		long start, count;
		if (c && sscanf(c + 1, "%ld:%ld", &start, &count) == 2)
			found = id >= start && id < start + count;
	}
	if (f)
		fclose(f);
	return found;
}

/* Someone else's: a user or group of the system, or subordinate ids. */
static int in_use(int id)
{
	return getpwuid((uid_t)id) || getgrgid((gid_t)id) || in_sub_ranges("/etc/subuid", id) ||
	       in_sub_ranges("/etc/subgid", id);
}

/* Our lock folder: made by root, for root alone. A folder of someone else
 * there (or a link) is refused, so nobody can hand us their locks. */
static int lock_dir(char *err)
{
	struct stat st;

	if (mkdir(BOXID_LOCK_DIR, 0700) < 0 && errno != EEXIST)
		return errf(err, "%s: %s", BOXID_LOCK_DIR, strerror(errno)), -1;
	if (lstat(BOXID_LOCK_DIR, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & 022)) {
		/* TRANSLATORS: the path of the folder. */
		errf(err, _("%s is not a folder of root's alone"), BOXID_LOCK_DIR);
		return -1;
	}
	return 0;
}

/* Lock uid's file without waiting; its fd, or -1 if someone holds it. */
static int try_lock(int uid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "%s/%d", BOXID_LOCK_DIR, uid);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int boxid_acquire(struct boxid *b, char *err)
{
	int first, last;
	unsigned start = 0;

	b->uid = b->lock_fd = -1;
	if (boxid_range(&first, &last, err) < 0 || lock_dir(err) < 0)
		return -1;
	/* A random start: concurrent checkers rarely try the same uids. */
	if (getrandom(&start, sizeof(start), 0) != sizeof(start))
		start = (unsigned)getpid();
	for (long k = 0, n = (long)last - first + 1; k < n; k++) {
		int uid = first + (int)(((long)start + k) % n);
		int fd = try_lock(uid);
		if (fd < 0)
			continue;
		if (in_use(uid)) {
			close(fd);
			continue;
		}
		b->uid = uid;
		b->lock_fd = fd;
		return 0;
	}
	/* TRANSLATORS: the first and last uid of the range. */
	errf(err, _("every box uid from %d to %d is in use (see CHECKER_UID_RANGE)"), first, last);
	return -1;
}

void boxid_release(struct boxid *b)
{
	if (b->lock_fd >= 0)
		close(b->lock_fd);
	b->lock_fd = b->uid = -1;
}
