/* unpack.c - extract a student's archive safely: plain files and folders only, bounded. */
#include "unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

#define MIB(n) ((int)((n) >> 20))

static const char *const exts[] = {".zip",  ".tar", ".tar.gz", ".tgz", ".tar.bz2",
                                   ".tbz2", ".tbz", ".tar.xz", ".txz", NULL};

/* libarchive's own words for what went wrong (English, untranslated). */
static const char *why(struct archive *a)
{
	return archive_error_string(a) ? archive_error_string(a) : "?";
}

struct unpack {
	struct archive *a;
	int dfd; /* dest */
	int64_t total;
	int skipped;
	char *err;
};

enum clean { PATH_OK, PATH_IGNORE, PATH_UNSAFE, PATH_LIMIT };

size_t unpack_ext_len(const char *name)
{
	size_t n = strlen(name);

	for (int i = 0; exts[i]; i++) {
		size_t k = strlen(exts[i]);
		if (n > k && name[n - k - 1] != '/' && strcasecmp(name + n - k, exts[i]) == 0)
			return k;
	}
	return 0;
}

int unpack_is_archive(const char *name)
{
	return unpack_ext_len(name) > 0;
}

/* Copy name into out as parts joined by '/': backslashes separate parts too
 * (Windows zip tools), empty and "." parts go. */
static enum clean clean_path(const char *name, char *out, char *err)
{
	size_t len = 0;
	int depth = 0;

	if (name[0] == '/' || name[0] == '\\')
		return PATH_UNSAFE;
	while (*name) {
		size_t n = strcspn(name, "/\\");

		for (size_t i = 0; i < n; i++)
			if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
				return PATH_UNSAFE;
		if (n == 2 && name[0] == '.' && name[1] == '.')
			return PATH_UNSAFE;
		if (n > 0 && !(n == 1 && name[0] == '.')) {
			if (n > NAME_MAX || len + n + 1 > UNPACK_MAX_PATH) {
				errf(err,
				     _("a name in the archive is too long (more than %d bytes)"),
				     n > NAME_MAX ? NAME_MAX : UNPACK_MAX_PATH);
				return PATH_LIMIT;
			}
			if (++depth > UNPACK_MAX_DEPTH) {
				errf(err,
				     _("a name in the archive is nested too deeply (more than %d "
				       "levels)"),
				     UNPACK_MAX_DEPTH);
				return PATH_LIMIT;
			}
			if (len)
				out[len++] = '/';
			memcpy(out + len, name, n);
			len += n;
		}
		name += n;
		if (*name)
			name++;
	}
	out[len] = '\0';
	return len ? PATH_OK : PATH_IGNORE;
}

/* What macOS adds to the archives it makes: resource forks and Finder state. */
static int is_junk(const char *path)
{
	const char *last = strrchr(path, '/');

	last = last ? last + 1 : path;
	if (!strncmp(path, "__MACOSX", 8) && (!path[8] || path[8] == '/'))
		return 1;
	return !strncmp(last, "._", 2) || !strcmp(last, ".DS_Store");
}

/* A folder or file clashing with what is there, or something that is not a
 * plain folder on the way (it cannot be: nothing else is ever made). */
static int is_clash(int e)
{
	return e == EEXIST || e == ENOTDIR || e == ELOOP || e == EISDIR;
}

/* Open the folder that holds path's last part, making the folders on the
 * way; *leaf points at that last part. Returns an fd, -2 on a clash, or -1
 * with err. */
static int open_parent(struct unpack *u, char *path, char **leaf)
{
	int fd = dup(u->dfd), e = errno;
	char *p = path, *slash;

	while (fd >= 0 && (slash = strchr(p, '/'))) {
		int next;

		*slash = '\0';
		if (mkdirat(fd, p, 0755) < 0 && errno != EEXIST)
			next = -1;
		else
			next = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		e = errno;
		*slash = '/';
		close(fd);
		fd = next;
		p = slash + 1;
	}
	if (fd >= 0) {
		*leaf = p;
		return fd;
	}
	if (is_clash(e))
		return -2;
	errf(u->err, _("cannot write %s: %s"), path, strerror(e));
	return -1;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Copy the entry's data into fd, counting every byte as it comes: a
 * header may understate what its data expands to. */
static int copy_data(struct unpack *u, int fd, const char *path)
{
	char chunk[65536];
	int64_t size = 0;
	la_ssize_t n;

	while ((n = archive_read_data(u->a, chunk, sizeof(chunk))) > 0) {
		size += n;
		u->total += n;
		if (size > UNPACK_MAX_FILE) {
			errf(u->err, _("%s in the archive is larger than %d MiB"), path,
			     MIB(UNPACK_MAX_FILE));
			return -1;
		}
		if (u->total > UNPACK_MAX_TOTAL) {
			errf(u->err, _("the archive expands to more than %d MiB"),
			     MIB(UNPACK_MAX_TOTAL));
			return -1;
		}
		if (write_all(fd, chunk, (size_t)n) < 0) {
			errf(u->err, _("cannot write %s: %s"), path, strerror(errno));
			return -1;
		}
	}
	if (n < 0) {
		errf(u->err, _("cannot read %s in the archive: %s"), path, why(u->a));
		return -1;
	}
	return 0;
}

static int put_file(struct unpack *u, struct archive_entry *e, char *path)
{
	char *leaf;
	int pfd, fd, r;

	if (archive_entry_size_is_set(e) && archive_entry_size(e) > UNPACK_MAX_FILE) {
		errf(u->err, _("%s in the archive is larger than %d MiB"), path,
		     MIB(UNPACK_MAX_FILE));
		return -1;
	}
	if (archive_entry_size_is_set(e) && u->total + archive_entry_size(e) > UNPACK_MAX_TOTAL) {
		errf(u->err, _("the archive expands to more than %d MiB"), MIB(UNPACK_MAX_TOTAL));
		return -1;
	}
	pfd = open_parent(u, path, &leaf);
	if (pfd < 0)
		return pfd;
	fd = openat(pfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		r = is_clash(errno) ? -2 : -1;
		if (r == -1)
			errf(u->err, _("cannot write %s: %s"), path, strerror(errno));
	} else {
		r = copy_data(u, fd, path);
		if (close(fd) < 0 && r == 0) {
			errf(u->err, _("cannot write %s: %s"), path, strerror(errno));
			r = -1;
		}
	}
	close(pfd);
	return r;
}

static int put_dir(struct unpack *u, char *path)
{
	struct stat sb;
	char *leaf;
	int pfd = open_parent(u, path, &leaf), r = 0;

	if (pfd < 0)
		return pfd;
	if (mkdirat(pfd, leaf, 0755) < 0) {
		if (errno != EEXIST) {
			errf(u->err, _("cannot write %s: %s"), path, strerror(errno));
			r = -1;
		} else if (fstatat(pfd, leaf, &sb, AT_SYMLINK_NOFOLLOW) < 0 ||
		           !S_ISDIR(sb.st_mode)) {
			r = -2;
		}
	}
	close(pfd);
	return r;
}

/* Returns 0 (taken or left out) or -1 with err. */
static int take_entry(struct unpack *u, struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e);
	mode_t type = archive_entry_filetype(e);
	char path[UNPACK_MAX_PATH + 1];
	int r;

	if (!name) { /* a name libarchive could not decode */
		u->skipped++;
		return 0;
	}
	switch (clean_path(name, path, u->err)) {
	case PATH_IGNORE:
		return 0;
	case PATH_UNSAFE:
		u->skipped++;
		return 0;
	case PATH_LIMIT:
		return -1;
	case PATH_OK:
		break;
	}
	if (is_junk(path))
		return 0;
	if (archive_entry_hardlink(e) || (type != AE_IFREG && type != AE_IFDIR)) {
		u->skipped++;
		return 0;
	}
	r = type == AE_IFDIR ? put_dir(u, path) : put_file(u, e, path);
	if (r == -2) {
		u->skipped++;
		r = 0;
	}
	return r;
}

static struct archive *reader(void)
{
	struct archive *a = archive_read_new();

	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_lzma(a);
	return a;
}

static int unpack_fds(int fd, int dfd, char *err)
{
	struct unpack u = {reader(), dfd, 0, 0, err};
	struct archive_entry *e;
	long entries = 0;
	int r = 0;

	if (archive_read_open_fd(u.a, fd, 65536) != ARCHIVE_OK) {
		errf(err, _("not a readable archive: %s"), why(u.a));
		r = -1;
	}
	while (r == 0 && (r = archive_read_next_header(u.a, &e)) != ARCHIVE_EOF) {
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			errf(err, _("not a readable archive: %s"), why(u.a));
			r = -1;
		} else if (++entries > UNPACK_MAX_ENTRIES) {
			errf(err, _("the archive has more than %d entries"), UNPACK_MAX_ENTRIES);
			r = -1;
		} else {
			r = take_entry(&u, e);
		}
	}
	archive_read_free(u.a);
	return r < 0 ? -1 : u.skipped;
}

int unpack_archive(const char *path, const char *dest, char *err)
{
	/* Names in zips flagged UTF-8 only decode in a UTF-8 locale; others
	 * keep their bytes. */
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t old = utf8 ? uselocale(utf8) : (locale_t)0;
	int fd = -1, dfd = -1, r = -1;
	struct stat sb;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		errf(err, _("cannot open %s: %s"), path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		errf(err, _("%s is not a regular file"), path);
		goto out;
	}
	if (sb.st_size == 0) {
		errf(err, _("%s is empty"), path);
		goto out;
	}
	dfd = open(dest, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		errf(err, _("cannot open %s: %s"), dest, strerror(errno));
		goto out;
	}
	r = unpack_fds(fd, dfd, err);
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (utf8) {
		uselocale(old);
		freelocale(utf8);
	}
	return r;
}
