/* buildcache.c - compiled programs kept by what made them: unchanged sources are not compiled
 * again.
 *
 * An entry is a folder named by its key holding build.json (the build's
 * result and its program's SHA-256) and, when it built, program. It is
 * written whole in a tmp-* folder and renamed into place, and removed by
 * renaming it to a del-* folder first: a reader finds an entry whole or not
 * at all, whatever other checkers do at the same time. Nothing is synced: a
 * crash may leave a torn entry, which its JSON or its SHA-256 gives away,
 * and which is then removed. A used entry's folder is touched: its time says
 * which entries were used longest ago. */
#include "buildcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"

/* Change it when what an entry holds, or what a key covers, changes. */
#define FORMAT      "checker build cache 1"
#define MAX_ENTRIES 500
#define MAX_BYTES   (256LL << 20)
#define MAX_JSON    (4 << 20) /* the log is cut to a few lines: more is damage */
#define STALE_S     3600      /* a tmp-* or del-* folder this old was left by a crash */
#define PROGRAM     "program"
#define META        "build.json"

char *buildcache_path(void)
{
	const char *dir = getenv("CHECKER_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (dir && *dir == '/')
		return xstrdup(dir);
	if (dir && *dir) { /* the boxes must find it wherever they start */
		char *cwd = getcwd(NULL, 0), *abs = cwd ? xasprintf("%s/%s", cwd, dir) : NULL;
		free(cwd);
		return abs;
	}
	if (xdg && *xdg == '/')
		return xasprintf("%s/checker/build", xdg);
	if (home && *home == '/')
		return xasprintf("%s/.cache/checker/build", home);
	return NULL;
}

/* mkdir -p, each new folder private. */
static int make_dirs(const char *dir)
{
	char *p = xstrdup(dir);
	int r = 0;

	for (char *s = strchr(p + 1, '/'); s && r == 0; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			r = -1;
		*s = '/';
	}
	if (r == 0 && mkdir(p, 0700) < 0 && errno != EEXIST)
		r = -1;
	free(p);
	return r;
}

int buildcache_open(const char *dir, char *err)
{
	const char *off = getenv("CHECKER_NO_CACHE");
	struct stat sb;

	errf(err, "%s", "");
	if (off && *off && strcmp(off, "0") != 0)
		return -1;
	if (make_dirs(dir) < 0 || stat(dir, &sb) < 0 || access(dir, R_OK | W_OK | X_OK) < 0) {
		errf(err, "%s: %s", dir, strerror(errno));
		return -1;
	}
	/* Another user's folder, or one others can open, could hand us their
	 * programs or take ours. */
	if (!S_ISDIR(sb.st_mode) || sb.st_uid != geteuid() || (sb.st_mode & 077)) {
		/* TRANSLATORS: the build cache's folder. */
		errf(err,
		     _("%s: not a private folder of this user's (chmod 700 it, or set "
		       "CHECKER_CACHE_DIR)"),
		     dir);
		return -1;
	}
	return 0;
}

/* Which file this is, and which version of it: a new compiler or checker
 * installed there is another one. */
static int hash_identity(struct hash *h, const char *path)
{
	char *real = realpath(path, NULL);
	struct stat sb;
	uint64_t v[4];

	if (!real || stat(real, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		free(real);
		return -1;
	}
	v[0] = (uint64_t)sb.st_size;
	v[1] = (uint64_t)sb.st_mtim.tv_sec;
	v[2] = (uint64_t)sb.st_mtim.tv_nsec;
	v[3] = (uint64_t)sb.st_ino;
	hash_str(h, real);
	hash_bytes(h, v, sizeof(v));
	free(real);
	return 0;
}

/* The system's headers and libraries, by their folders' times: a package
 * installed, upgraded or removed renames its files into place or away, which
 * touches their folders. So a build that failed for want of a header or a
 * library (as libasan) is not given back once it is installed. */
static void hash_system(struct hash *h)
{
	static const char *const dirs[] = {
	        "/usr/include",       "/usr/include/*-linux-*", "/usr/local/include", "/usr/lib",
	        "/usr/lib/*-linux-*", "/usr/lib/gcc/*/*",       "/usr/local/lib",     NULL};

	hash_str(h, "system");
	for (size_t i = 0; dirs[i]; i++) {
		glob_t g;

		if (glob(dirs[i], GLOB_ONLYDIR, NULL, &g) != 0)
			continue;
		for (size_t k = 0; k < g.gl_pathc; k++) {
			struct stat sb;
			uint64_t v[2] = {0, 0};

			if (stat(g.gl_pathv[k], &sb) == 0) {
				v[0] = (uint64_t)sb.st_mtim.tv_sec;
				v[1] = (uint64_t)sb.st_mtim.tv_nsec;
			}
			hash_str(h, g.gl_pathv[k]);
			hash_bytes(h, v, sizeof(v));
		}
		globfree(&g);
	}
}

int buildcache_key(char *const *argv, const char *workdir, char key[HASH_HEX_LEN])
{
	struct hash h;
	uint64_t n = 0;

	if (!argv || !argv[0] || argv[0][0] != '/')
		return -1;
	hash_init(&h);
	hash_str(&h, FORMAT);
	/* The log is the compiler's, but the line that cuts it is ours, translated. */
	hash_str(&h, i18n_lang());
	hash_str(&h, "checker");
	if (hash_identity(&h, "/proc/self/exe") < 0)
		return -1;
	hash_str(&h, "compiler");
	if (hash_identity(&h, argv[0]) < 0)
		return -1;
	hash_system(&h);
	while (argv[n])
		n++;
	hash_str(&h, "argv");
	hash_bytes(&h, &n, sizeof(n));
	for (size_t i = 0; argv[i]; i++)
		hash_str(&h, argv[i]);
	hash_str(&h, "files");
	if (hash_tree(&h, workdir) < 0)
		return -1;
	hash_hex(&h, key);
	return 0;
}

/* ---- removing ---- */

/* Remove a folder of files (an entry is flat), never following a link. */
static void remove_flat(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (fd >= 0 && !d)
		close(fd);
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    unlinkat(fd, e->d_name, 0) < 0 && errno == EISDIR)
			unlinkat(fd, e->d_name, AT_REMOVEDIR);
	if (d)
		closedir(d);
	rmdir(path);
}

/* Take dir/name out of sight at once (rename), then remove it. When held is
 * an open entry, only that same folder is taken: another checker may have
 * put a new one in its place meanwhile. */
static void drop(const char *dir, const char *name, int held)
{
	char *path = xasprintf("%s/%s", dir, name), *grave = xasprintf("%s/del-XXXXXX", dir);
	struct stat a, b;

	if (held >= 0 && (fstat(held, &a) < 0 || lstat(path, &b) < 0 || a.st_ino != b.st_ino ||
	                  a.st_dev != b.st_dev))
		goto out;
	if (!mkdtemp(grave))
		goto out;
	/* Over the empty del-* folder: rename(2) replaces an empty folder. */
	if (rename(path, grave) < 0) {
		rmdir(grave);
		goto out;
	}
	remove_flat(grave);
out:
	free(path);
	free(grave);
}

/* ---- reading ---- */

static char *read_meta(int dfd)
{
	int fd = openat(dfd, META, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct buf b = {0};
	char chunk[65536];
	ssize_t n;

	if (fd < 0)
		return NULL;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 && b.len < MAX_JSON)
		buf_append(&b, chunk, (size_t)n);
	close(fd);
	if (n != 0) {
		buf_free(&b);
		return NULL;
	}
	return b.data ? buf_steal(&b) : xstrdup("");
}

static int count_field(const cJSON *j, const char *name, int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, name);

	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1e6)
		return -1;
	*out = (int)v->valuedouble;
	return 0;
}

/* br from the entry's JSON, and the program's SHA-256 when it built. */
static int parse_meta(const char *text, struct build_result *br, char sha[HASH_HEX_LEN])
{
	cJSON *j = cJSON_Parse(text);
	const cJSON *ok = cJSON_GetObjectItemCaseSensitive(j, "ok");
	const cJSON *log = cJSON_GetObjectItemCaseSensitive(j, "log");
	const cJSON *first = cJSON_GetObjectItemCaseSensitive(j, "first_error");
	const cJSON *sum = cJSON_GetObjectItemCaseSensitive(j, "sha256");
	int r = -1;

	if (!cJSON_IsBool(ok) || !cJSON_IsString(log) || (first && !cJSON_IsString(first)) ||
	    count_field(j, "warnings", &br->warnings) < 0 ||
	    count_field(j, "errors", &br->errors) < 0)
		goto out;
	br->ok = cJSON_IsTrue(ok);
	if (br->ok && (!cJSON_IsString(sum) || strlen(sum->valuestring) != HASH_HEX_LEN - 1))
		goto out;
	if (br->ok)
		memcpy(sha, sum->valuestring, HASH_HEX_LEN);
	br->log = xstrdup(log->valuestring);
	br->first_error = first ? xstrdup(first->valuestring) : NULL;
	r = 0;
out:
	cJSON_Delete(j);
	return r;
}

/* Copy the open file in to the new file out, its SHA-256 into sha: -1 if
 * in cannot be read or holds more than BUILDCACHE_MAX_PROGRAM bytes, -2 if
 * out cannot be written. */
static int copy_hashing(int in, int out, char sha[HASH_HEX_LEN])
{
	struct hash h;
	char chunk[65536];
	ssize_t n;
	long long total = 0;

	hash_init(&h);
	while ((n = read(in, chunk, sizeof(chunk))) > 0) {
		if ((total += n) > BUILDCACHE_MAX_PROGRAM)
			return -1;
		hash_bytes(&h, chunk, (size_t)n);
		if (write(out, chunk, (size_t)n) != n)
			return -2;
	}
	hash_hex(&h, sha);
	return n < 0 ? -1 : 0;
}

/* The entry's program to prog, if it is the one its JSON names: 0, or -1
 * when the entry is damaged, or -2 when prog cannot be written. */
static int put_program(int dfd, const char *want, const char *prog)
{
	char *tmp = xasprintf("%s.cache-XXXXXX", prog);
	char got[HASH_HEX_LEN];
	int in = openat(dfd, PROGRAM, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), out = -1, r = -1;

	if (in < 0)
		goto out;
	r = -2;
	if ((out = mkostemp(tmp, O_CLOEXEC)) < 0 || fchmod(out, 0755) < 0)
		goto out;
	r = copy_hashing(in, out, got);
	if (r == 0 && strcmp(got, want) != 0)
		r = -1;
	if (close(out) < 0 && r == 0)
		r = -2;
	out = -1;
	if (r == 0 && rename(tmp, prog) < 0)
		r = -2;
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (r < 0)
		unlink(tmp);
	free(tmp);
	return r;
}

int buildcache_load(const char *dir, const char *key, const char *prog, struct build_result *br)
{
	char *path = xasprintf("%s/%s", dir, key), *text = NULL;
	char sha[HASH_HEX_LEN];
	struct build_result got = {0};
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), r = 0;

	free(path);
	if (dfd < 0)
		return 0;
	if (!(text = read_meta(dfd)) || parse_meta(text, &got, sha) < 0 ||
	    (got.ok && (r = put_program(dfd, sha, prog)) < 0)) {
		if (r != -2)
			drop(dir, key, dfd);
		free(got.log);
		free(got.first_error);
		r = 0;
	} else {
		futimens(dfd, NULL); /* used now */
		got.ran = 1;
		got.cached = 1;
		*br = got;
		r = 1;
	}
	free(text);
	close(dfd);
	return r;
}

/* ---- writing ---- */

static int write_meta(int dfd, const struct build_result *br, const char *sha)
{
	cJSON *j = build_result_to_json(br);
	char *text;
	int fd = openat(dfd, META, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int r = -1;

	cJSON_AddStringToObject(j, "format", FORMAT);
	if (sha)
		cJSON_AddStringToObject(j, "sha256", sha);
	text = cJSON_PrintUnformatted(j);
	if (fd >= 0 && text && write(fd, text, strlen(text)) == (ssize_t)strlen(text))
		r = 0;
	if (fd >= 0 && close(fd) < 0)
		r = -1;
	cJSON_free(text);
	cJSON_Delete(j);
	return r;
}

/* The program at prog into the entry being written, its SHA-256 into sha. */
static int keep_program(int dfd, const char *prog, char sha[HASH_HEX_LEN])
{
	int in = open(prog, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int out = openat(dfd, PROGRAM, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int r = in >= 0 && out >= 0 && copy_hashing(in, out, sha) == 0 ? 0 : -1;

	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0)
		r = -1;
	return r;
}

/* An entry's name: 64 lowercase hex digits. */
static int is_key(const char *name)
{
	return strlen(name) == HASH_HEX_LEN - 1 &&
	       strspn(name, "0123456789abcdef") == HASH_HEX_LEN - 1;
}

struct entry {
	char name[HASH_HEX_LEN];
	struct timespec used;
	long long bytes;
};

static int by_use(const void *a, const void *b)
{
	const struct timespec *x = &((const struct entry *)a)->used;
	const struct timespec *y = &((const struct entry *)b)->used;

	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? -1 : 1;
	return x->tv_nsec < y->tv_nsec ? -1 : x->tv_nsec > y->tv_nsec;
}

static long long entry_bytes(int dfd, const char *name)
{
	static const char *const files[] = {PROGRAM, META, NULL};
	long long n = 0;

	for (size_t i = 0; files[i]; i++) {
		char *rel = xasprintf("%s/%s", name, files[i]);
		struct stat sb;

		if (fstatat(dfd, rel, &sb, AT_SYMLINK_NOFOLLOW) == 0)
			n += sb.st_size;
		free(rel);
	}
	return n;
}

/* Keep at most max_entries entries and max_bytes bytes, dropping those used
 * longest ago; clear what crashed writers and removers left. */
static void evict(const char *dir, size_t max_entries, long long max_bytes)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct entry *list = NULL;
	size_t n = 0, cap = 0;
	long long total = 0;
	time_t now = time(NULL);

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat sb;

		if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(sb.st_mode))
			continue;
		if (!strncmp(e->d_name, "tmp-", 4) || !strncmp(e->d_name, "del-", 4)) {
			char *path = xasprintf("%s/%s", dir, e->d_name);
			if (now - sb.st_mtim.tv_sec > STALE_S)
				remove_flat(path);
			free(path);
			continue;
		}
		if (!is_key(e->d_name))
			continue; /* not ours: never touched */
		if (n == cap)
			list = xrealloc(list, (cap = cap ? 2 * cap : 64) * sizeof(*list));
		memcpy(list[n].name, e->d_name, HASH_HEX_LEN);
		list[n].used = sb.st_mtim;
		list[n].bytes = entry_bytes(dirfd(d), e->d_name);
		total += list[n++].bytes;
	}
	closedir(d);
	if (n)
		qsort(list, n, sizeof(*list), by_use);
	for (size_t i = 0; i < n && (n - i > max_entries || total > max_bytes); i++) {
		drop(dir, list[i].name, -1);
		total -= list[i].bytes;
	}
	free(list);
}

/* Whether the program at prog is too large to keep. */
static int too_large(const char *prog)
{
	struct stat sb;

	return stat(prog, &sb) == 0 && sb.st_size > BUILDCACHE_MAX_PROGRAM;
}

int buildcache_store(const char *dir, const char *key, const char *prog,
                     const struct build_result *br, char *err)
{
	char *tmp, *path;
	char sha[HASH_HEX_LEN];
	int dfd = -1, r = -1;

	if (br->ok && too_large(prog))
		return 0;
	tmp = xasprintf("%s/tmp-XXXXXX", dir);
	path = xasprintf("%s/%s", dir, key);
	if (!mkdtemp(tmp)) {
		errf(err, "%s: %s", dir, strerror(errno));
		free(tmp);
		free(path);
		return -1;
	}
	if ((dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    (br->ok && keep_program(dfd, prog, sha) < 0) ||
	    write_meta(dfd, br, br->ok ? sha : NULL) < 0) {
		errf(err, "%s: %s", tmp, strerror(errno));
	} else if (rename(tmp, path) == 0) {
		futimens(dfd, NULL);
		r = 1;
	} else if (errno == EEXIST || errno == ENOTEMPTY) {
		r = 0; /* another checker kept the same build first: it stays */
	} else {
		errf(err, "%s: %s", path, strerror(errno));
	}
	if (dfd >= 0)
		close(dfd);
	if (r <= 0)
		remove_flat(tmp); /* ours, not renamed */
	if (r >= 0)
		evict(dir, MAX_ENTRIES, MAX_BYTES);
	free(tmp);
	free(path);
	return r < 0 ? -1 : 0;
}
