/* workdir.c - a fresh private copy of the learner's folder, removed safely.
 *
 * A work folder is $TMPDIR/checker-work-XXXXXX/work. The inner folder holds
 * the learner's sources and program, readable by everyone (the box's uid
 * reads them); the outer one is ours alone (0700), so nobody else reaches
 * them on the host: a box sees the inner folder bound at its own path. In
 * tier C, where the program uses the host's path, the outer folder lets
 * others through (0711) without listing it. None may outlive its checker,
 * even one killed by SIGKILL: while a checker lives it holds a lock (flock)
 * on each outer folder, taken before the inner one is made. The first work
 * folder a process makes sweeps away those of our uid whose inner folder
 * exists and whose lock is free: their checkers are gone. */
#include "workdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "rng.h"

#define MAX_DEPTH 4
#define MAX_FILES 2000
#define MAX_BYTES (64L << 20)
#define PREFIX    "checker-work-" /* then mkdtemp's six letters and digits */
#define INNER     "work"          /* made once locked: without it, a folder being made */

/* The work folders this process made and still holds (the outer ones),
 * each with its lock. */
struct held {
	char *path;
	int fd;
};
static struct held *held;
static size_t nheld;
static int swept; /* once per process */

struct copy_state {
	long files;
	long bytes;
	char *err;
};

static int copy_file(int sfd, const char *name, int ddir, mode_t mode, struct copy_state *st)
{
	int in = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int out;
	char chunk[65536];
	ssize_t n;

	if (in < 0)
		return 0; /* unreadable: the learner's build will say what is missing */
	out = openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	             (mode & 0111) ? 0755 : 0644);
	if (out < 0) {
		errf(st->err, "%s: %s", name, strerror(errno));
		close(in);
		return -1;
	}
	while ((n = read(in, chunk, sizeof(chunk))) > 0) {
		st->bytes += n;
		if (st->bytes > MAX_BYTES) {
			errf(st->err, _("the folder is too large to copy (more than 64 MiB)"));
			n = -1;
			break;
		}
		if (write(out, chunk, (size_t)n) != n) {
			errf(st->err, _("cannot copy %s: %s"), name, strerror(errno));
			n = -1;
			break;
		}
	}
	close(in);
	close(out);
	return n < 0 ? -1 : 0;
}

static int copy_dir(int sfd, int dfd, int depth, struct copy_state *st)
{
	DIR *d = fdopendir(dup(sfd));
	struct dirent *e;
	int r = 0;

	if (!d) {
		errf(st->err, "%s", strerror(errno));
		return -1;
	}
	while (r == 0 && (e = readdir(d))) {
		struct stat sb;

		if (e->d_name[0] == '.' &&
		    (!e->d_name[1] || !strcmp(e->d_name, "..") || !strcmp(e->d_name, ".git")))
			continue;
		if (fstatat(sfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (++st->files > MAX_FILES) {
			errf(st->err, _("the folder has too many files (more than %d)"), MAX_FILES);
			r = -1;
		} else if (S_ISREG(sb.st_mode)) {
			r = copy_file(sfd, e->d_name, dfd, sb.st_mode, st);
		} else if (S_ISDIR(sb.st_mode) && depth < MAX_DEPTH) {
			int s2, d2;
			if (mkdirat(dfd, e->d_name, 0755) < 0)
				continue;
			s2 = openat(sfd, e->d_name,
			            O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			d2 = openat(dfd, e->d_name,
			            O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (s2 >= 0 && d2 >= 0)
				r = copy_dir(s2, d2, depth + 1, st);
			if (s2 >= 0)
				close(s2);
			if (d2 >= 0)
				close(d2);
		}
		/* Links, sockets, devices: never copied. */
	}
	closedir(d);
	return r;
}

/* Whether name is one workdir_create gives. */
static int is_work_name(const char *name)
{
	size_t k = strlen(PREFIX);

	if (strncmp(name, PREFIX, k) != 0 || strlen(name) != k + 6)
		return 0;
	for (name += k; *name; name++)
		if (!((*name >= 'a' && *name <= 'z') || (*name >= 'A' && *name <= 'Z') ||
		      (*name >= '0' && *name <= '9')))
			return 0;
	return 1;
}

/* Remove base/name if it is a work folder of ours whose checker is gone. */
static void sweep_one(int bfd, const char *base, const char *name)
{
	int fd = openat(bfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	char *path = xasprintf("%s/%s", base, name);
	struct stat a, b;

	if (fd >= 0 && fstat(fd, &a) == 0 && a.st_uid == geteuid() &&
	    fstatat(fd, INNER, &b, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(b.st_mode) &&
	    flock(fd, LOCK_EX | LOCK_NB) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino)
		workdir_remove(path); /* under our lock: no other sweeper takes it too */
	if (fd >= 0)
		close(fd);
	free(path);
}

/* The work folders in base left by checkers that died (a SIGKILL, a crash). */
static void sweep(const char *base)
{
	DIR *d = opendir(base);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (is_work_name(e->d_name))
			sweep_one(dirfd(d), base, e->d_name);
	closedir(d);
}

/* Keep fd, the lock on path, until workdir_remove(path). */
static void hold(const char *path, int fd)
{
	held = xrealloc(held, (nheld + 1) * sizeof(*held));
	held[nheld].path = xstrdup(path);
	held[nheld++].fd = fd;
}

/* A new empty work folder: the outer one made and locked (its lock held),
 * then the inner one; the inner one's path, and its fd in *dfd. */
static char *make_locked(const char *base, int shared, int *dfd, char *err)
{
	char *outer = xasprintf("%s/" PREFIX "XXXXXX", base), *path = NULL;
	int fd;

	if (!mkdtemp(outer)) {
		errf(err, "%s: %s", outer, strerror(errno));
		free(outer);
		return NULL;
	}
	/* Never waits: a sweeper leaves a folder without its inner one alone. */
	fd = open(outer, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	*dfd = -1;
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0 || fchmod(fd, shared ? 0711 : 0700) < 0 ||
	    mkdirat(fd, INNER, 0755) < 0 || fchmodat(fd, INNER, 0755, 0) < 0 ||
	    (*dfd = openat(fd, INNER, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		errf(err, "%s: %s", outer, strerror(errno));
		if (fd >= 0)
			close(fd);
		workdir_remove(outer);
		free(outer);
		return NULL;
	}
	hold(outer, fd);
	path = xasprintf("%s/" INNER, outer);
	free(outer);
	return path;
}

char *workdir_create(const char *src, int shared, char *err)
{
	const char *tmp = getenv("TMPDIR");
	const char *base = tmp && *tmp ? tmp : "/tmp";
	struct copy_state st = {0, 0, err};
	int sfd, dfd, r;
	char *path;

	if (!swept) {
		swept = 1;
		sweep(base);
	}
	if (!(path = make_locked(base, shared, &dfd, err)))
		return NULL;
	sfd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sfd < 0) {
		errf(err, "%s: %s", src, strerror(errno));
		close(dfd);
		goto fail;
	}
	r = copy_dir(sfd, dfd, 0, &st);
	close(sfd);
	close(dfd);
	if (r == 0)
		return path;
fail:
	workdir_remove(path);
	free(path);
	return NULL;
}

/* Make the folders of rel inside workdir (all but the last part) and clear
 * the last part; returns the full path to write, or NULL with err. */
static char *make_room(const char *workdir, const char *rel, char *err)
{
	char *full = xasprintf("%s/%s", workdir, rel);
	size_t root = strlen(workdir) + 1;

	for (char *p = full + root; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(full, 0755) < 0 && errno != EEXIST) {
			errf(err, "%s: %s", full, strerror(errno));
			free(full);
			return NULL;
		}
		*p = '/';
	}
	workdir_remove(full); /* the learner's own copy, if any, goes */
	return full;
}

int workdir_put(const char *workdir, const char *dir, const char *rel, char *err)
{
	struct copy_state st = {0, 0, err};
	char *src = xasprintf("%s/%s", dir, rel), *dst = make_room(workdir, rel, err);
	struct stat sb;
	int r = -1;

	err[0] = '\0';
	if (!dst)
		goto out;
	if (lstat(src, &sb) < 0) {
		errf(err, "%s: %s", src, strerror(errno));
	} else if (S_ISDIR(sb.st_mode)) {
		int sfd = open(src, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), dfd = -1;
		if (sfd >= 0 && mkdir(dst, 0755) == 0)
			dfd = open(dst, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		r = sfd >= 0 && dfd >= 0 ? copy_dir(sfd, dfd, 1, &st) : -1;
		if (r < 0 && !*err)
			errf(err, "%s: %s", src, strerror(errno));
		if (sfd >= 0)
			close(sfd);
		if (dfd >= 0)
			close(dfd);
	} else if (S_ISREG(sb.st_mode)) {
		char *sdir = xstrdup(src), *ddir = xstrdup(dst), *sname = strrchr(sdir, '/');
		int sfd, dfd;
		*sname++ = '\0';
		*strrchr(ddir, '/') = '\0';
		sfd = open(sdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		dfd = open(ddir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		r = sfd >= 0 && dfd >= 0 ? copy_file(sfd, sname, dfd, sb.st_mode, &st) : -1;
		if (sfd >= 0)
			close(sfd);
		if (dfd >= 0)
			close(dfd);
		free(sdir);
		free(ddir);
	} else {
		errf(err, _("%s: not a file or a folder"), src);
	}
out:
	free(src);
	free(dst);
	return r;
}

int workdir_random_file(const char *workdir, const char *rel, size_t n, uint64_t seed, char *err)
{
	char *dst = make_room(workdir, rel, err);
	struct rng g;
	char chunk[4096];
	int fd, r = 0;

	if (!dst)
		return -1;
	fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		errf(err, "%s: %s", dst, strerror(errno));
		free(dst);
		return -1;
	}
	rng_seed(&g, seed);
	while (n > 0 && r == 0) {
		size_t k = n < sizeof(chunk) ? n : sizeof(chunk);
		for (size_t i = 0; i < k; i++)
			chunk[i] = (char)rng_below(&g, 256);
		if (write(fd, chunk, k) != (ssize_t)k) {
			errf(err, "%s: %s", dst, strerror(errno));
			r = -1;
		}
		n -= k;
	}
	close(fd);
	free(dst);
	return r;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void workdir_remove(const char *path)
{
	size_t k = strlen(path), inner = strlen("/" INNER);

	/* A work folder's inner path: the outer one goes, then its lock. */
	for (size_t i = 0; i < nheld; i++) {
		if (k != strlen(held[i].path) + inner ||
		    strncmp(path, held[i].path, k - inner) != 0 ||
		    strcmp(path + k - inner, "/" INNER) != 0)
			continue;
		nftw(held[i].path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
		close(held[i].fd);
		free(held[i].path);
		held[i] = held[--nheld];
		return;
	}
	/* FTW_PHYS: a link planted in the folder is removed, never followed. */
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

int workdir_symlink(const char *workdir, const char *rel, const char *target, char *err)
{
	char *dst = make_room(workdir, rel, err);
	int r = 0;

	if (!dst)
		return -1;
	if (symlink(target, dst) < 0) {
		errf(err, "%s: %s", dst, strerror(errno));
		r = -1;
	}
	free(dst);
	return r;
}
