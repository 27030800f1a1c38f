/* boxid.c - a uid of its own for each box, held under a lock while it lives.
 *
 * Like isolate's box ids: the holder of a uid keeps a lock file open with
 * flock(), so two checkers (or two boxes of one) never run programs as the
 * same uid at once, and RLIMIT_NPROC, which the kernel counts per uid, is
 * each box's own. A checker that dies drops its locks with its files. */
#include "boxid.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

/* Our lock folder, for us alone. A folder of someone else there (or a
 * link) is refused, so nobody can hand us their locks. */
static int lock_dir(const char *dir, char *err)
{
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return errf(err, "%s: %s", dir, strerror(errno)), -1;
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077)) {
		/* TRANSLATORS: the path of the folder. */
		errf(err, _("%s is not a folder of this user's alone"), dir);
		return -1;
	}
	return 0;
}

/* Lock uid's file without waiting; its fd, or -1 if someone holds it. */
static int try_lock(const char *dir, int uid)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%d", dir, uid);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The first uid of first..last (from a random place: concurrent checkers
 * rarely try the same) whose lock in dir we get and that check lets pass;
 * its offset from first, or -1. */
static long take_one(const char *dir, int first, int last, int (*check)(int), int *lock_fd)
{
	unsigned start = 0;
	long n = (long)last - first + 1;

	if (getrandom(&start, sizeof(start), 0) != sizeof(start))
		start = (unsigned)getpid();
	for (long k = 0; k < n; k++) {
		long off = ((long)start + k) % n;
		int fd = try_lock(dir, first + (int)off);
		if (fd < 0)
			continue;
		if (check && check(first + (int)off)) {
			close(fd);
			continue;
		}
		*lock_fd = fd;
		return off;
	}
	return -1;
}

/* Kill every process running as uid: a child takes the uid and signals
 * all it may, which is exactly those (kill(-1) spares only itself). Raw
 * calls: after vfork it shares our memory until it ends. */
static void kill_uid(int uid)
{
	pid_t pid = vfork();

	if (pid == 0) {
		if (syscall(SYS_setgroups, 0, NULL) == 0 &&
		    syscall(SYS_setresgid, uid, uid, uid) == 0 &&
		    syscall(SYS_setresuid, uid, uid, uid) == 0)
			syscall(SYS_kill, -1, SIGKILL);
		_exit(0);
	}
	while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* Once per process: processes of box uids no checker holds were left by
 * one that was killed (SIGKILL gives it no time to clean up): they go. */
static void sweep_uids(int first, int last)
{
	static int swept;
	DIR *d;
	struct dirent *e;

	if (swept || !(d = opendir("/proc")))
		return;
	swept = 1;
	while ((e = readdir(d))) {
		struct stat st;
		int fd;
		if (atoi(e->d_name) <= 0 || fstatat(dirfd(d), e->d_name, &st, 0) < 0 ||
		    st.st_uid < (uid_t)first || st.st_uid > (uid_t)last ||
		    (fd = try_lock(BOXID_LOCK_DIR, (int)st.st_uid)) < 0)
			continue;
		kill_uid((int)st.st_uid);
		close(fd);
	}
	closedir(d);
}

int boxid_acquire(struct boxid *b, char *err)
{
	int first, last;
	long off;

	b->uid = b->gid = b->lock_fd = -1;
	if (boxid_range(&first, &last, err) < 0 || lock_dir(BOXID_LOCK_DIR, err) < 0)
		return -1;
	sweep_uids(first, last);
	if ((off = take_one(BOXID_LOCK_DIR, first, last, in_use, &b->lock_fd)) < 0) {
		/* TRANSLATORS: the first and last uid of the range. */
		errf(err, _("every box uid from %d to %d is in use (see CHECKER_UID_RANGE)"), first,
		     last);
		return -1;
	}
	b->uid = b->gid = first + (int)off;
	/* Nothing may run as it but this box's programs (RLIMIT_NPROC counts
	 * them all): what a killed checker left goes now. */
	kill_uid(b->uid);
	return 0;
}

/* Our range in a subordinate-id file: by user name or by number. */
static int sub_range(const char *path, long *start, long *count)
{
	struct passwd *pw = getpwuid(getuid());
	FILE *f = fopen(path, "re");
	char line[512], num[32];
	int found = 0;

	snprintf(num, sizeof(num), "%u", (unsigned)getuid());
	while (f && !found && fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':');
		if (!c)
			continue;
		*c = '\0';
		found = (strcmp(line, num) == 0 || (pw && strcmp(line, pw->pw_name) == 0)) &&
		        sscanf(c + 1, "%ld:%ld", start, count) == 2 && *start > 0 && *count > 0;
	}
	if (f)
		fclose(f);
	return found ? 0 : -1;
}

int boxid_acquire_sub(struct boxid *b, char *err)
{
	const char *run = getenv("XDG_RUNTIME_DIR");
	long us, un, gs, gn, n;
	char *dir;
	long off;

	b->uid = b->gid = b->lock_fd = -1;
	if (access("/usr/bin/newuidmap", X_OK) < 0 || access("/usr/bin/newgidmap", X_OK) < 0) {
		errf(err, "%s", _("newuidmap is not installed (Debian's package uidmap)"));
		return -1;
	}
	if (sub_range("/etc/subuid", &us, &un) < 0 || sub_range("/etc/subgid", &gs, &gn) < 0) {
		errf(err, "%s",
		     _("this user has no subordinate ids in /etc/subuid and /etc/subgid"));
		return -1;
	}
	n = un < gn ? un : gn;
	if (n > BOXID_COUNT)
		n = BOXID_COUNT;
	dir = run && *run == '/' ? xasprintf("%s/checker-uids", run)
	                         : xasprintf("/tmp/checker-uids-%u", (unsigned)getuid());
	if (lock_dir(dir, err) == 0 &&
	    (off = take_one(dir, 0, (int)n - 1, NULL, &b->lock_fd)) >= 0) {
		b->uid = (int)(us + off);
		b->gid = (int)(gs + off);
	} else if (!*err) {
		errf(err, "%s", _("every subordinate id of this user is in use by a box"));
	}
	free(dir);
	return b->uid >= 0 ? 0 : -1;
}

void boxid_release(struct boxid *b)
{
	if (b->lock_fd >= 0)
		close(b->lock_fd);
	b->lock_fd = b->uid = b->gid = -1;
}
