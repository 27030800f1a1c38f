/* boxroot.c - a box's own root: the system read-only, its work folder, nothing else.
 *
 * Built like bubblewrap's: an empty tmpfs, bind mounts of what a program
 * needs, then pivot_root into it, so that nothing of the host is reachable
 * by any path. Every mount here is private to the box's namespace. */
#include "boxroot.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The new root is built here (covered by a tmpfs first, so the host's
 * /tmp is never part of it) and then becomes "/". */
#define STAGE "/tmp"

/* Top-level entries a program may need: links (merged /usr) or folders. */
static const char *const system_dirs[] = {"usr",   "bin",   "sbin",   "lib",
                                          "lib32", "lib64", "libx32", NULL};

/* What of /etc programs read and nobody keeps secrets in: the dynamic
 * loader's cache, name service and address selection rules, service and
 * protocol names (getaddrinfo's "http"), the time zone, and the links that
 * name the system's programs (cc, python3). */
static const char *const etc_entries[] = {
        "alternatives", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "nsswitch.conf", "host.conf",
        "gai.conf",     "services",    "protocols",  "localtime",    "mime.types",    NULL};

/* Written, not taken from the host: the same in every box. */
static const struct {
	const char *name, *text;
} etc_written[] = {
        {"hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"},
        {"passwd", "root:x:0:0:root:/root:/bin/sh\n"
                   "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"},
        {"group", "root:x:0:\nnogroup:x:65534:\n"},
        {"hostname", "caja\n"},
};

static const char *const devices[] = {"null", "zero", "full", "random", "urandom", NULL};

static int fail(char *err, const char *what)
{
	errf(err, "%s: %s", what, strerror(errno));
	return -1;
}

/* The flags a bind mount of src keeps when made read-only: in a user
 * namespace the kernel refuses to lift nosuid, nodev, noexec or the atime
 * mode of a mount it inherited. */
static unsigned long kept_flags(const char *path)
{
	static const struct {
		unsigned long st, ms;
	} map[] = {{ST_NOSUID, MS_NOSUID},         {ST_NODEV, MS_NODEV},
	           {ST_NOEXEC, MS_NOEXEC},         {ST_NOATIME, MS_NOATIME},
	           {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME}};
	struct statvfs sv;
	unsigned long f = 0;

	if (statvfs(path, &sv) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv.f_flag & map[i].st)
			f |= map[i].ms;
	return f;
}

/* Bind src at dst (which exists), read-only and without set-uid programs. */
static int bind(const char *src, const char *dst, int writable, unsigned long extra, char *err)
{
	unsigned long ro = writable ? 0 : MS_RDONLY;

	if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0 ||
	    mount(NULL, dst, NULL, MS_REMOUNT | MS_BIND | ro | MS_NOSUID | extra | kept_flags(dst),
	          NULL) < 0)
		return fail(err, dst);
	return 0;
}

/* An empty file or folder at dst, like src, to bind src on. */
static int make_target(const char *dst, int dir)
{
	int fd;

	if (dir)
		return mkdir(dst, 0755) < 0 && errno != EEXIST ? -1 : 0;
	fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* Host path src into the new root as dst: a link is copied as a link, a
 * file or folder bound read-only; a missing one is skipped. */
static int carry(const char *src, const char *dst, unsigned long extra, char *err)
{
	struct stat st;
	char link[4096];
	ssize_t n;

	if (lstat(src, &st) < 0)
		return 0;
	if (S_ISLNK(st.st_mode)) {
		if ((n = readlink(src, link, sizeof(link) - 1)) < 0)
			return fail(err, src);
		link[n] = '\0';
		return symlink(link, dst) < 0 ? fail(err, dst) : 0;
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
		return 0;
	if (make_target(dst, S_ISDIR(st.st_mode)) < 0)
		return fail(err, dst);
	return bind(src, dst, 0, extra, err);
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t n = strlen(text);
	int r;

	if (fd < 0)
		return -1;
	r = write(fd, text, n) == (ssize_t)n ? 0 : -1;
	close(fd);
	return r;
}

static int add_system(char *err)
{
	char src[64], dst[64];

	for (size_t i = 0; system_dirs[i]; i++) {
		snprintf(src, sizeof(src), "/%s", system_dirs[i]);
		snprintf(dst, sizeof(dst), STAGE "/%s", system_dirs[i]);
		if (carry(src, dst, MS_NODEV, err) < 0)
			return -1;
	}
	return 0;
}

static int add_etc(char *err)
{
	char src[128], dst[128];
	glob_t g;
	int r = 0;

	if (mkdir(STAGE "/etc", 0755) < 0)
		return fail(err, STAGE "/etc");
	for (size_t i = 0; etc_entries[i] && r == 0; i++) {
		snprintf(src, sizeof(src), "/etc/%s", etc_entries[i]);
		snprintf(dst, sizeof(dst), STAGE "/etc/%s", etc_entries[i]);
		r = carry(src, dst, MS_NODEV, err);
	}
	/* Python's site configuration (/etc/python3, /etc/python3.11). */
	if (r == 0 && glob("/etc/python3*", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc && r == 0; i++) {
			snprintf(dst, sizeof(dst), STAGE "%s", g.gl_pathv[i]);
			r = carry(g.gl_pathv[i], dst, MS_NODEV, err);
		}
		globfree(&g);
	}
	for (size_t i = 0; r == 0 && i < sizeof(etc_written) / sizeof(etc_written[0]); i++) {
		snprintf(dst, sizeof(dst), STAGE "/etc/%s", etc_written[i].name);
		if (write_text(dst, etc_written[i].text) < 0)
			r = fail(err, dst);
	}
	return r;
}

static int add_dev(char *err)
{
	static const char *const links[][2] = {{"/proc/self/fd", "fd"},
	                                       {"/proc/self/fd/0", "stdin"},
	                                       {"/proc/self/fd/1", "stdout"},
	                                       {"/proc/self/fd/2", "stderr"}};
	char src[64], dst[64];

	if (mkdir(STAGE "/dev", 0755) < 0)
		return fail(err, STAGE "/dev");
	for (size_t i = 0; devices[i]; i++) {
		snprintf(src, sizeof(src), "/dev/%s", devices[i]);
		snprintf(dst, sizeof(dst), STAGE "/dev/%s", devices[i]);
		if (carry(src, dst, 0, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(dst, sizeof(dst), STAGE "/dev/%s", links[i][1]);
		if (symlink(links[i][0], dst) < 0)
			return fail(err, dst);
	}
	/* POSIX shared memory and semaphores (shm_open, sem_open). */
	if (mkdir(STAGE "/dev/shm", 01777) < 0 ||
	    mount("tmpfs", STAGE "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,
	          "mode=1777,size=16m,nr_inodes=1024") < 0)
		return fail(err, STAGE "/dev/shm");
	return 0;
}

/* The box's own processes only: with hidepid, a program does not even see
 * those of another uid (the checker's). */
static int add_proc(char *err)
{
	static const char *const opts[] = {"hidepid=invisible", "hidepid=2", NULL};
	unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;

	if (mkdir(STAGE "/proc", 0555) < 0)
		return fail(err, STAGE "/proc");
	for (size_t i = 0; opts[i]; i++)
		if (mount("proc", STAGE "/proc", "proc", flags, opts[i]) == 0)
			return 0;
	return fail(err, "/proc");
}

static int add_tmp(int wd, int writable, char *err)
{
	char from[64];

	if (mkdir(STAGE "/tmp", 01777) < 0 ||
	    mount("tmpfs", STAGE "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
	          "mode=1777,size=64m,nr_inodes=4096") < 0)
		return fail(err, STAGE "/tmp");
	if (mkdir(STAGE "/var", 0755) < 0 || symlink("../tmp", STAGE "/var/tmp") < 0 ||
	    mkdir(STAGE "/run", 0755) < 0)
		return fail(err, STAGE "/var");
	if (wd < 0)
		return 0;
	snprintf(from, sizeof(from), "/proc/self/fd/%d", wd);
	if (mkdir(STAGE BOX_WORKDIR, 0755) < 0)
		return fail(err, BOX_WORKDIR);
	return bind(from, STAGE BOX_WORKDIR, writable, MS_NODEV, err);
}

/* Make STAGE the root; the old one is gone from this namespace. */
static int pivot(char *err)
{
	if (chdir(STAGE) < 0)
		return fail(err, STAGE);
	/* pivot_root(".", "."): the old root is stacked on the new one and
	 * can be detached at once (see pivot_root(2)). */
	if (syscall(SYS_pivot_root, ".", ".") == 0) {
		if (umount2(".", MNT_DETACH) < 0)
			return fail(err, "umount");
	} else if (mount(".", "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0) {
		/* Where the root cannot be pivoted (an initramfs), as switch_root does. */
		return fail(err, "pivot_root");
	}
	if (chdir("/") < 0)
		return fail(err, "/");
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) <
	    0)
		return fail(err, "/");
	return 0;
}

int boxroot_enter(const char *workdir, int writable, char *err)
{
	int wd = -1, r = -1;

	/* Opened before anything covers it: the host's /tmp may hold it. */
	if (workdir && (wd = open(workdir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return fail(err, workdir);
	/* Nothing we mount may leak back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		fail(err, "mount");
		goto out;
	}
	if (mount("tmpfs", STAGE, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m") < 0) {
		fail(err, STAGE);
		goto out;
	}
	if (add_system(err) < 0 || add_etc(err) < 0 || add_dev(err) < 0 || add_proc(err) < 0 ||
	    add_tmp(wd, writable, err) < 0 || pivot(err) < 0)
		goto out;
	r = 0;
out:
	if (wd >= 0)
		close(wd);
	return r;
}
