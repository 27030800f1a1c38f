/* submission.c - from one entry of a submissions folder to the folder with a lesson's sources. */
#include "submission.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "i18n.h"
#include "unpack.h"

#define NO_NAME "alumno"

/* The last part of a path, trailing slashes ignored, as a new string. */
static char *base_name(const char *path)
{
	size_t n = strlen(path);
	size_t start;

	while (n > 1 && path[n - 1] == '/')
		n--;
	start = n;
	while (start > 0 && path[start - 1] != '/')
		start--;
	return xstrndup(path + start, n - start);
}

/* ASCII white space only: bytes of UTF-8 letters never count. */
static int is_space(char c)
{
	return c && strchr(" \t\n\r\v\f", c);
}

static void trim(char *s)
{
	size_t n = strlen(s), start = 0;

	while (n > 0 && is_space(s[n - 1]))
		n--;
	while (start < n && is_space(s[start]))
		start++;
	memmove(s, s + start, n - start);
	s[n - start] = '\0';
}

char *submission_student(const char *entry_name)
{
	char *s = base_name(entry_name);
	char *moodle = strstr(s, "_assignsubmission_");

	if (moodle && moodle > s) {
		char *p = moodle;
		*moodle = '\0';
		while (p > s && isdigit((unsigned char)p[-1]))
			p--;
		if (p < moodle && p - 1 > s && p[-1] == '_')
			p[-1] = '\0'; /* the participant id */
	} else {
		s[strlen(s) - unpack_ext_len(s)] = '\0';
	}
	trim(s);
	if (!*s || !strcmp(s, "/") || !strcmp(s, ".") || !strcmp(s, "..")) {
		free(s);
		return xstrdup(NO_NAME);
	}
	return s;
}

/* Length of the valid UTF-8 sequence at s, its code point in *cp; 0 when
 * s starts no valid sequence (overlong, surrogate, out of range). */
static size_t utf8_len(const unsigned char *s, unsigned int *cp)
{
	size_t n;
	unsigned int c;

	if (s[0] < 0x80)
		n = 1, c = s[0];
	else if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* What must not reach a terminal (controls, bidirectional controls, line
 * separators: see utf8_printable) and what Windows forbids in names. */
static int bad_char(unsigned int c)
{
	return !utf8_printable(c) || (c < 0x80 && strchr("/\\:*?\"<>|", (int)c));
}

char *submission_slug(const char *student)
{
	const unsigned char *s = (const unsigned char *)student;
	struct buf b = {0};
	char *out;

	while (*s && b.len < SUBMISSION_SLUG_MAX) {
		unsigned int c = 0;
		size_t n = utf8_len(s, &c);

		if (n == 0 || bad_char(c) || b.len + n > SUBMISSION_SLUG_MAX)
			buf_append(&b, "_", 1);
		else
			buf_append(&b, s, n);
		s += n ? n : 1; /* an invalid byte alone, a valid sequence whole */
	}
	out = b.data ? buf_steal(&b) : xstrdup("");
	trim(out);
	if (!*out) {
		free(out);
		return xstrdup(NO_NAME);
	}
	if (out[0] == '.') /* after trimming: " .x" is ".x" */
		out[0] = '_';
	return out;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The top level of a folder: its archives (sorted), whether it holds C files or folders. */
struct top {
	char **archives;
	size_t n;
	int other; /* C files or folders */
};

static int read_top(const char *dir, struct top *t, char *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;

	if (!d) {
		errf(err, _("cannot read %s: %s"), dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((e = readdir(d))) {
		struct stat sb;
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.' || fstatat(fd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(sb.st_mode) ||
		    (S_ISREG(sb.st_mode) && len > 2 && e->d_name[len - 2] == '.' &&
		     strchr("cChH", e->d_name[len - 1]))) {
			t->other = 1;
		} else if (S_ISREG(sb.st_mode) && unpack_is_archive(e->d_name)) {
			t->archives = xrealloc(t->archives, (t->n + 1) * sizeof(char *));
			t->archives[t->n++] = xstrdup(e->d_name);
		}
	}
	closedir(d);
	if (t->n)
		qsort(t->archives, t->n, sizeof(char *), by_name);
	return 0;
}

/* A new folder under scratch named after the archive; its path. */
static char *make_subfolder(const char *scratch, const char *archive, char *err)
{
	char *stem = xstrndup(archive, strlen(archive) - unpack_ext_len(archive));
	char *slug = submission_slug(stem);
	char *path = xasprintf("%s/%s", scratch, slug);

	for (int i = 2; mkdir(path, 0755) < 0; i++) {
		if (errno != EEXIST || i > 99) {
			errf(err, _("cannot write %s: %s"), path, strerror(errno));
			free(path);
			path = NULL;
			break;
		}
		free(path);
		path = xasprintf("%s/%s-%d", scratch, slug, i);
	}
	free(stem);
	free(slug);
	return path;
}

/* Unpack the archives of an LMS folder, each into its own subfolder. */
static int unpack_all(const char *dir, const struct top *t, const char *scratch, char *err)
{
	int r = 0;

	if (t->n > SUBMISSION_MAX_ARCHIVES) {
		errf(err, _("%s holds more than %d archives"), dir, SUBMISSION_MAX_ARCHIVES);
		return -1;
	}
	for (size_t i = 0; r == 0 && i < t->n; i++) {
		char *src = xasprintf("%s/%s", dir, t->archives[i]);
		char *dst = make_subfolder(scratch, t->archives[i], err);
		char why[ERR_LEN];

		if (!dst || unpack_archive(src, dst, why) < 0) {
			if (dst && strstr(why, t->archives[i]))
				errf(err, "%s", why);
			else if (dst) /* say which archive */
				errf(err, "%s: %s", t->archives[i], why);
			r = -1;
		}
		free(src);
		free(dst);
	}
	return r;
}

char *submission_open(const char *entry, const char *scratch, char *err)
{
	struct top t = {NULL, 0, 0};
	struct stat sb;
	char *r = NULL;

	if (lstat(entry, &sb) < 0) {
		errf(err, _("cannot read %s: %s"), entry, strerror(errno));
		return NULL;
	}
	if (S_ISLNK(sb.st_mode)) {
		errf(err, _("%s is a symbolic link, which is not followed"), entry);
	} else if (S_ISREG(sb.st_mode) && unpack_is_archive(entry)) {
		if (unpack_archive(entry, scratch, err) >= 0)
			r = xstrdup(scratch);
	} else if (!S_ISDIR(sb.st_mode)) {
		errf(err, _("%s is neither a folder nor an archive (.zip, .tar, .tar.gz...)"),
		     entry);
	} else if (read_top(entry, &t, err) == 0) {
		if (t.n == 0 || t.other)
			r = xstrdup(entry);
		else if (unpack_all(entry, &t, scratch, err) == 0)
			r = xstrdup(scratch);
	}
	for (size_t i = 0; i < t.n; i++)
		free(t.archives[i]);
	free(t.archives);
	return r;
}

/* Whether a folder name names lesson: the same ignoring case, or both
 * "<lesson|leccion|lección>[ _-]<number>" with the same number. */
static int names_lesson(const char *name, const char *lesson)
{
	static const char *const words[] = {"lesson", "leccion", "lecci\xc3\xb3n", NULL};
	long want = -1, got = -1;

	if (!strcasecmp(name, lesson))
		return 1;
	for (int i = 0; words[i]; i++) {
		size_t k = strlen(words[i]);
		if (!strncasecmp(lesson, words[i], k) && lesson[k] &&
		    lesson[strspn(lesson + k, "0123456789") + k] == '\0')
			want = strtol(lesson + k, NULL, 10);
		if (!strncasecmp(name, words[i], k)) {
			const char *p = name + k;
			p += *p == ' ' || *p == '_' || *p == '-';
			if (*p && p[strspn(p, "0123456789")] == '\0')
				got = strtol(p, NULL, 10);
		}
	}
	return want >= 0 && want == got;
}

/* The names in sources that dfd lacks as regular files, joined by ", ";
 * NULL when it has them all. */
static char *missing(int dfd, char *const *sources)
{
	struct buf b = {0};

	for (int i = 0; sources[i]; i++) {
		struct stat sb;
		if (fstatat(dfd, sources[i], &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode))
			continue;
		buf_printf(&b, "%s%s", b.len ? ", " : "", sources[i]);
	}
	return b.data ? buf_steal(&b) : NULL;
}

static char *join(char *const *sources)
{
	struct buf b = {0};

	for (int i = 0; sources[i]; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", sources[i]);
	return b.data ? buf_steal(&b) : xstrdup("");
}

/* A breadth-first walk: folders as paths relative to the root. */
struct walk {
	int root;
	char **rel;
	int *depth;
	size_t n, next;
	long visits;
	char *lesson_rel; /* the first lesson folder, and what it lacks */
	char *lesson_missing;
	char *flat_rel; /* the first folder holding every source */
};

static void push(struct walk *w, char *rel, int depth)
{
	w->rel = xrealloc(w->rel, (w->n + 1) * sizeof(char *));
	w->depth = xrealloc(w->depth, (w->n + 1) * sizeof(int));
	w->rel[w->n] = rel;
	w->depth[w->n++] = depth;
}

/* Queue the subfolders of fd (sorted; links, dot folders and __MACOSX
 * left out). */
static void push_children(struct walk *w, int fd, const char *rel, int depth)
{
	DIR *d = fdopendir(dup(fd));
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (!d)
		return;
	while ((e = readdir(d)) && ++w->visits <= SUBMISSION_FIND_VISITS) {
		struct stat sb;
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "__MACOSX"))
			continue;
		if (fstatat(fd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(sb.st_mode))
			continue;
		names = xrealloc(names, (n + 1) * sizeof(char *));
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(char *), by_name);
	for (size_t i = 0; i < n; i++) {
		push(w, *rel ? xasprintf("%s/%s", rel, names[i]) : names[i], depth + 1);
		if (*rel)
			free(names[i]);
	}
	free(names);
}

/* Look at the next folder; 1 when it is the answer. */
static int visit(struct walk *w, const char *root_name, const char *lesson, char *const *sources)
{
	const char *rel = w->rel[w->next];
	int depth = w->depth[w->next++];
	int fd = *rel ? openat(w->root, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
	              : dup(w->root);
	const char *name = strrchr(rel, '/');
	char *lacks;
	int named;

	if (fd < 0)
		return 0;
	name = name ? name + 1 : *rel ? rel : root_name;
	named = names_lesson(name, lesson);
	lacks = missing(fd, sources);
	if (named && !lacks) {
		close(fd);
		return 1;
	}
	if (named && !w->lesson_rel) {
		w->lesson_rel = xstrdup(*rel ? rel : ".");
		w->lesson_missing = xstrdup(lacks);
	}
	if (!lacks && !w->flat_rel)
		w->flat_rel = xstrdup(rel);
	free(lacks);
	if (depth < SUBMISSION_FIND_DEPTH && w->visits <= SUBMISSION_FIND_VISITS)
		push_children(w, fd, rel, depth);
	close(fd);
	return 0;
}

static char *under(const char *root, const char *rel)
{
	return *rel ? xasprintf("%s/%s", root, rel) : xstrdup(root);
}

/* Say why nothing fit. */
static void explain(const struct walk *w, const char *lesson, char *const *sources, char *err)
{
	char *all = join(sources);

	if (w->lesson_rel)
		/* TRANSLATORS: "the folder lessons/lesson03 lacks servidor.c" */
		errf(err, _("the folder %s lacks %s"), w->lesson_rel, w->lesson_missing);
	else if (w->flat_rel)
		/* TRANSLATORS: "servidor.c was found in entrega, not in a folder named lesson03" */
		errf(err, _("%s was found in %s, not in a folder named %s"), all,
		     *w->flat_rel ? w->flat_rel : ".", lesson);
	else
		errf(err, _("no %s found in the submission"), all);
	free(all);
}

char *submission_find(const char *root, const char *lesson, char *const *sources, int flat_ok,
                      char *err)
{
	static char *const none[] = {NULL};
	struct walk w = {0};
	char *root_name = base_name(root), *r = NULL;

	if (!sources) /* an empty strv from the spec */
		sources = none;

	w.root = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w.root < 0) {
		errf(err, _("cannot read %s: %s"), root, strerror(errno));
		free(root_name);
		return NULL;
	}
	push(&w, xstrdup(""), 0);
	while (!r && w.next < w.n)
		if (visit(&w, root_name, lesson, sources))
			r = under(root, w.rel[w.next - 1]);
	if (!r && flat_ok && w.flat_rel)
		r = under(root, w.flat_rel);
	if (!r)
		explain(&w, lesson, sources, err);
	close(w.root);
	for (size_t i = 0; i < w.n; i++)
		free(w.rel[i]);
	free(w.rel);
	free(w.depth);
	free(w.lesson_rel);
	free(w.lesson_missing);
	free(w.flat_rel);
	free(root_name);
	return r;
}
