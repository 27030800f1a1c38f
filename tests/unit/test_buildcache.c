/* test_buildcache.c - unit tests for the build cache: keys, entries, concurrent writers, eviction.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/wait.h>

#include "../../src/buildcache.c"
#include "../../src/build.h"
#include "../../src/workdir.h"

struct fix {
	char *root;  /* everything below goes here */
	char *cache; /* the cache's folder */
	char *work;  /* a work folder with servidor.c */
	char *cc;    /* a stand-in for the compiler: only its file counts */
	struct spec spec;
};

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = {0};
	char chunk[4096];
	size_t k;

	if (!f)
		return NULL;
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, k);
	fclose(f);
	return b.data ? buf_steal(&b) : xstrdup("");
}

static struct strv strv_of(const char *const *words)
{
	struct strv s = {0};

	while (words[s.n])
		s.n++;
	s.v = xcalloc(s.n + 1, sizeof(char *));
	for (size_t i = 0; i < s.n; i++)
		s.v[i] = xstrdup(words[i]);
	return s;
}

static void strv_drop(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static int setup(void **state)
{
	struct fix *f = xcalloc(1, sizeof(*f));
	char tmpl[] = "/tmp/test-buildcache-XXXXXX";
	char *path;

	assert_non_null(mkdtemp(tmpl));
	/* As root, tier C compiles as a box uid: it must reach the stand-in. */
	chmod(tmpl, 0755);
	f->root = xstrdup(tmpl);
	f->cache = xasprintf("%s/cache", f->root);
	f->work = xasprintf("%s/work", f->root);
	f->cc = xasprintf("%s/cc", f->root);
	assert_int_equal(mkdir(f->work, 0755), 0);
	path = xasprintf("%s/servidor.c", f->work);
	spit(path, "int main(void) { return 0; }\n");
	free(path);
	spit(f->cc, "#!/bin/sh\n");
	chmod(f->cc, 0755);
	setenv("CHECKER_CC", f->cc, 1);
	unsetenv("CHECKER_NO_CACHE");
	f->spec.build.sources = strv_of((const char *const[]){"servidor.c", NULL});
	f->spec.build.ldflags = strv_of((const char *const[]){"-pthread", NULL});
	f->spec.build.output = xstrdup("servidor");
	assert_int_equal(buildcache_open(f->cache, NULL), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	workdir_remove(f->root);
	free(f->root);
	free(f->cache);
	free(f->work);
	free(f->cc);
	strv_drop(&f->spec.build.sources);
	strv_drop(&f->spec.build.ldflags);
	free(f->spec.build.output);
	free(f);
	unsetenv("CHECKER_CC");
	return 0;
}

/* The key of building f's work folder with extra flags. */
static void key_of(struct fix *f, const char *const *extra, char key[HASH_HEX_LEN])
{
	char **argv = build_argv(&f->spec, extra);

	assert_int_equal(buildcache_key(argv, f->work, key), 0);
	build_argv_free(argv);
}

static void put(struct fix *f, const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", f->work, rel);

	spit(path, text);
	free(path);
}

static void test_same_inputs_same_key(void **state)
{
	struct fix *f = *state;
	char a[HASH_HEX_LEN], b[HASH_HEX_LEN], c[HASH_HEX_LEN];
	char *copy = xasprintf("%s/copy", f->root), *src = xasprintf("%s/servidor.c", copy);
	char **argv = build_argv(&f->spec, NULL);

	key_of(f, NULL, a);
	key_of(f, NULL, b);
	assert_string_equal(a, b);
	assert_true(is_key(a));
	/* The folder's name is not part of it: only what it holds. */
	assert_int_equal(mkdir(copy, 0755), 0);
	spit(src, "int main(void) { return 0; }\n");
	assert_int_equal(buildcache_key(argv, copy, c), 0);
	assert_string_equal(a, c);
	/* The compiler is named by its path, found from CHECKER_CC. */
	assert_string_equal(argv[0], f->cc);
	build_argv_free(argv);
	free(copy);
	free(src);
}

static void test_changed_source_changes_key(void **state)
{
	struct fix *f = *state;
	char a[HASH_HEX_LEN], b[HASH_HEX_LEN], c[HASH_HEX_LEN];

	key_of(f, NULL, a);
	put(f, "servidor.c", "int main(void) { return 1; }\n");
	key_of(f, NULL, b);
	assert_string_not_equal(a, b);
	/* Any file the build could read counts, a header as much as a source. */
	put(f, "comun.h", "#define N 1\n");
	key_of(f, NULL, c);
	assert_string_not_equal(b, c);
}

static void test_changed_flag_changes_key(void **state)
{
	struct fix *f = *state;
	char a[HASH_HEX_LEN], b[HASH_HEX_LEN], c[HASH_HEX_LEN];

	key_of(f, NULL, a);
	f->spec.build.cflags = strv_of((const char *const[]){"-DN=2", NULL});
	key_of(f, NULL, b);
	assert_string_not_equal(a, b);
	strv_drop(&f->spec.build.cflags);
	memset(&f->spec.build.cflags, 0, sizeof(f->spec.build.cflags));
	strv_drop(&f->spec.build.ldflags);
	f->spec.build.ldflags = strv_of((const char *const[]){"-lm", NULL});
	key_of(f, NULL, c);
	assert_string_not_equal(a, c);
	assert_string_not_equal(b, c);
}

static void test_asan_flags_change_key(void **state)
{
	struct fix *f = *state;
	static const char *const asan[] = {"-fsanitize=address,undefined", "-g", "-O1", NULL};
	static const char *const valgrind[] = {"-g", "-O0", NULL};
	char a[HASH_HEX_LEN], b[HASH_HEX_LEN], c[HASH_HEX_LEN];

	key_of(f, NULL, a);
	key_of(f, asan, b);
	key_of(f, valgrind, c);
	assert_string_not_equal(a, b);
	assert_string_not_equal(a, c);
	assert_string_not_equal(b, c);
}

static void test_changed_compiler_changes_key(void **state)
{
	struct fix *f = *state;
	char a[HASH_HEX_LEN], b[HASH_HEX_LEN], c[HASH_HEX_LEN], d[HASH_HEX_LEN];
	struct timespec old[2] = {{1000000, 0}, {1000000, 0}};
	char *other = xasprintf("%s/cc2", f->root);
	char **argv;

	key_of(f, NULL, a);
	/* The same name, another file (a new version installed): its time. */
	assert_int_equal(utimensat(AT_FDCWD, f->cc, old, 0), 0);
	key_of(f, NULL, b);
	assert_string_not_equal(a, b);
	/* Its size. */
	spit(f->cc, "#!/bin/sh\nexit 0\n");
	assert_int_equal(utimensat(AT_FDCWD, f->cc, old, 0), 0);
	key_of(f, NULL, c);
	assert_string_not_equal(b, c);
	/* Another compiler. */
	spit(other, "#!/bin/sh\n");
	chmod(other, 0755);
	setenv("CHECKER_CC", other, 1);
	key_of(f, NULL, d);
	assert_string_not_equal(a, d);
	assert_string_not_equal(c, d);
	/* One that cannot be found cannot be told apart: no key. */
	setenv("CHECKER_CC", "no-such-compiler-here", 1);
	argv = build_argv(&f->spec, NULL);
	assert_int_equal(buildcache_key(argv, f->work, d), -1);
	build_argv_free(argv);
	free(other);
}

/* The seed's files are added after the build (run.c): what the key reads is
 * the folder as the build sees it, whatever the seed draws later. */
static void test_random_files_after_key(void **state)
{
	struct fix *f = *state;
	char a[HASH_HEX_LEN], b[HASH_HEX_LEN];
	char err[ERR_LEN];
	char *w1 = xasprintf("%s/w1", f->root), *w2 = xasprintf("%s/w2", f->root);
	char **argv = build_argv(&f->spec, NULL);
	char *s1, *s2;

	/* Two work folders for two seeds: the same key before their files... */
	assert_int_equal(mkdir(w1, 0755), 0);
	assert_int_equal(mkdir(w2, 0755), 0);
	spit((s1 = xasprintf("%s/servidor.c", w1)), "int main(void) { return 0; }\n");
	spit((s2 = xasprintf("%s/servidor.c", w2)), "int main(void) { return 0; }\n");
	assert_int_equal(buildcache_key(argv, w1, a), 0);
	assert_int_equal(buildcache_key(argv, w2, b), 0);
	assert_string_equal(a, b);
	/* ...which differ, and would have changed it. */
	assert_int_equal(workdir_random_file(w1, "public/datos.bin", 1000, 1, err), 0);
	assert_int_equal(workdir_random_file(w2, "public/datos.bin", 1000, 2, err), 0);
	assert_int_equal(buildcache_key(argv, w1, a), 0);
	assert_int_equal(buildcache_key(argv, w2, b), 0);
	assert_string_not_equal(a, b);
	build_argv_free(argv);
	free(w1);
	free(w2);
	free(s1);
	free(s2);
}

static void br_free(struct build_result *br)
{
	free(br->log);
	free(br->first_error);
	memset(br, 0, sizeof(*br));
}

/* A result as build_run leaves it, and a program at f's work folder. */
static struct build_result built(struct fix *f, int ok, const char *program)
{
	struct build_result br = {0};

	br.ran = 1;
	br.ok = ok;
	br.warnings = ok ? 1 : 0;
	br.errors = ok ? 0 : 2;
	br.log = xstrdup(ok ? "servidor.c:1:5: warning: unused\n" : "servidor.c:1:1: error: x\n");
	br.first_error = ok ? NULL : xstrdup("servidor.c:1:1: error: x");
	if (program)
		put(f, "servidor", program);
	return br;
}

static char *entry_file(struct fix *f, const char *key, const char *name)
{
	return xasprintf("%s/%s/%s", f->cache, key, name);
}

static void test_store_load_round_trip(void **state)
{
	struct fix *f = *state;
	char key[HASH_HEX_LEN], err[ERR_LEN];
	struct build_result br = built(f, 1, "\177ELF a program"), got = {0};
	char *prog = xasprintf("%s/servidor", f->work), *text;
	struct stat sb;

	key_of(f, NULL, key);
	assert_int_equal(buildcache_load(f->cache, key, prog, &got), 0);
	assert_int_equal(buildcache_store(f->cache, key, prog, &br, err), 0);
	unlink(prog);
	assert_int_equal(buildcache_load(f->cache, key, prog, &got), 1);
	assert_true(got.ran && got.ok && got.cached);
	assert_int_equal(got.warnings, 1);
	assert_int_equal(got.errors, 0);
	assert_string_equal(got.log, br.log);
	assert_null(got.first_error);
	assert_non_null(text = slurp(prog));
	assert_string_equal(text, "\177ELF a program");
	assert_int_equal(stat(prog, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0755);
	free(text);
	br_free(&got);
	br_free(&br);

	/* A failed build is kept too: its log, and no program. */
	put(f, "servidor.c", "int main(void) { return }\n");
	key_of(f, NULL, key);
	br = built(f, 0, NULL);
	unlink(prog);
	assert_int_equal(buildcache_store(f->cache, key, prog, &br, err), 0);
	memset(&got, 0, sizeof(got));
	assert_int_equal(buildcache_load(f->cache, key, prog, &got), 1);
	assert_true(got.ran && !got.ok && got.cached);
	assert_int_equal(got.errors, 2);
	assert_string_equal(got.first_error, "servidor.c:1:1: error: x");
	assert_int_equal(access(prog, F_OK), -1);
	br_free(&got);
	br_free(&br);
	free(prog);
}

static void test_corrupt_entry_removed(void **state)
{
	struct fix *f = *state;
	char key[HASH_HEX_LEN], err[ERR_LEN];
	struct build_result br = built(f, 1, "the real program"), got = {0};
	char *prog = xasprintf("%s/servidor", f->work), *bin, *meta, *dir;

	key_of(f, NULL, key);
	assert_int_equal(buildcache_store(f->cache, key, prog, &br, err), 0);
	bin = entry_file(f, key, PROGRAM);
	meta = entry_file(f, key, META);
	dir = xasprintf("%s/%s", f->cache, key);
	/* Another program where the entry's was: its SHA-256 gives it away. */
	spit(bin, "a planted program");
	put(f, "servidor", "");
	assert_int_equal(buildcache_load(f->cache, key, prog, &got), 0);
	assert_false(got.cached);
	assert_int_equal(access(dir, F_OK), -1);
	{
		char *text = slurp(prog);
		assert_string_equal(text, ""); /* left as it was, for the compiler */
		free(text);
	}
	/* A torn JSON, the same. */
	assert_int_equal(buildcache_store(f->cache, key, prog, &br, err), 0);
	spit(meta, "{\"ok\": tr");
	assert_int_equal(buildcache_load(f->cache, key, prog, &got), 0);
	assert_int_equal(access(dir, F_OK), -1);
	/* And a missing program. */
	assert_int_equal(buildcache_store(f->cache, key, prog, &br, err), 0);
	unlink(bin);
	assert_int_equal(buildcache_load(f->cache, key, prog, &got), 0);
	assert_int_equal(access(dir, F_OK), -1);
	/* Nothing left behind: no del-* nor tmp-* folder. */
	{
		DIR *d = opendir(f->cache);
		struct dirent *e;
		int n = 0;
		while ((e = readdir(d)))
			n += e->d_name[0] != '.';
		closedir(d);
		assert_int_equal(n, 0);
	}
	br_free(&br);
	free(prog);
	free(bin);
	free(meta);
	free(dir);
}

/* Folders in the cache, by kind. */
static void count(struct fix *f, int *entries, int *other)
{
	DIR *d = opendir(f->cache);
	struct dirent *e;

	*entries = *other = 0;
	while ((e = readdir(d)))
		if (is_key(e->d_name))
			(*entries)++;
		else if (e->d_name[0] != '.')
			(*other)++;
	closedir(d);
}

static void test_concurrent_writers(void **state)
{
	struct fix *f = *state;
	char key[HASH_HEX_LEN];
	char *prog = xasprintf("%s/servidor", f->work);
	struct build_result br = built(f, 1, "one program, two writers"), got = {0};
	pid_t pids[8];
	int entries, other;

	key_of(f, NULL, key);
	for (int round = 0; round < 5; round++) {
		char *dir = xasprintf("%s/%s", f->cache, key);
		drop(f->cache, key, -1);
		free(dir);
		for (size_t i = 0; i < 8; i++) {
			pids[i] = fork();
			assert_true(pids[i] >= 0);
			if (pids[i] == 0) {
				char err[ERR_LEN];
				_exit(buildcache_store(f->cache, key, prog, &br, err) == 0 ? 0 : 1);
			}
		}
		for (size_t i = 0; i < 8; i++) {
			int st;
			assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
			assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		}
		count(f, &entries, &other);
		assert_int_equal(entries, 1);
		assert_int_equal(other, 0);
		unlink(prog);
		assert_int_equal(buildcache_load(f->cache, key, prog, &got), 1);
		br_free(&got);
		memset(&got, 0, sizeof(got));
	}
	br_free(&br);
	free(prog);
}

/* An entry under a made-up key, used at time t. */
static void entry_at(struct fix *f, int i, time_t t, const char *program)
{
	char key[HASH_HEX_LEN], err[ERR_LEN];
	struct build_result br = built(f, 1, program);
	char *prog = xasprintf("%s/servidor", f->work), *dir;
	struct timespec ts[2] = {{t, 0}, {t, 0}};

	snprintf(key, sizeof(key), "%064x", i);
	assert_int_equal(buildcache_store(f->cache, key, prog, &br, err), 0);
	dir = xasprintf("%s/%s", f->cache, key);
	assert_int_equal(utimensat(AT_FDCWD, dir, ts, 0), 0);
	free(dir);
	free(prog);
	br_free(&br);
}

static int has_key_entry(struct fix *f, const char *key)
{
	char *dir = xasprintf("%s/%s", f->cache, key);
	int r = access(dir, F_OK) == 0;

	free(dir);
	return r;
}

static int has_entry(struct fix *f, int i)
{
	char *dir = xasprintf("%s/%064x", f->cache, i);
	int r = access(dir, F_OK) == 0;

	free(dir);
	return r;
}

static void test_eviction(void **state)
{
	struct fix *f = *state;
	time_t now = time(NULL);
	char key[HASH_HEX_LEN], *prog = xasprintf("%s/servidor", f->work);
	struct build_result got = {0};
	char *stale = xasprintf("%s/tmp-crashed", f->cache), *fresh;
	struct timespec old[2] = {{now - 2 * STALE_S, 0}, {now - 2 * STALE_S, 0}};

	for (int i = 1; i <= 6; i++)
		entry_at(f, i, now - 1000 + i, "a program");
	/* Entry 1 is the oldest; using it makes it the newest. */
	snprintf(key, sizeof(key), "%064x", 1);
	assert_int_equal(buildcache_load(f->cache, key, prog, &got), 1);
	br_free(&got);
	/* What a crashed writer left: removed once old, kept while it may be in use. */
	assert_int_equal(mkdir(stale, 0700), 0);
	assert_int_equal(utimensat(AT_FDCWD, stale, old, 0), 0);
	fresh = xasprintf("%s/tmp-writing", f->cache);
	assert_int_equal(mkdir(fresh, 0700), 0);
	/* Not ours: never touched. */
	{
		char *foreign = xasprintf("%s/notes.txt", f->cache);
		spit(foreign, "mine");
		evict(f->cache, 3, MAX_BYTES);
		assert_int_equal(access(foreign, F_OK), 0);
		free(foreign);
	}
	assert_true(has_entry(f, 1));
	assert_false(has_entry(f, 2));
	assert_false(has_entry(f, 3));
	assert_false(has_entry(f, 4));
	assert_true(has_entry(f, 5));
	assert_true(has_entry(f, 6));
	assert_int_equal(access(stale, F_OK), -1);
	assert_int_equal(access(fresh, F_OK), 0);
	/* The bound in bytes: a big entry pushes the old ones out. */
	{
		char *big = xmalloc(100001);
		memset(big, 'x', 100000);
		big[100000] = '\0';
		entry_at(f, 7, now + 10, big);
		free(big);
	}
	evict(f->cache, 100, 100000 + 300); /* room for it and one small one */
	assert_true(has_entry(f, 7));
	assert_false(has_entry(f, 5));
	assert_false(has_entry(f, 6));
	assert_false(has_entry(f, 1));
	free(stale);
	free(fresh);
	free(prog);
}

/* The program at f's work folder made n bytes long (sparse: nothing is written). */
static void program_of_size(struct fix *f, long long n)
{
	char *prog = xasprintf("%s/servidor", f->work);

	put(f, "servidor", "\177ELF");
	assert_int_equal(truncate(prog, (off_t)n), 0);
	free(prog);
}

/* A program past the bound is never kept: it would push every other entry
 * out. One at the bound is. */
static void test_large_program_not_kept(void **state)
{
	struct fix *f = *state;
	char key[HASH_HEX_LEN], err[ERR_LEN];
	struct build_result br = built(f, 1, NULL), got = {0};
	char *prog = xasprintf("%s/servidor", f->work);
	int entries, other;

	entry_at(f, 1, time(NULL) - 10, "an older program");
	key_of(f, NULL, key);
	program_of_size(f, BUILDCACHE_MAX_PROGRAM + 1);
	assert_int_equal(buildcache_store(f->cache, key, prog, &br, err), 0);
	assert_int_equal(buildcache_load(f->cache, key, prog, &got), 0);
	count(f, &entries, &other);
	assert_int_equal(entries, 1); /* the older one, still there */
	assert_int_equal(other, 0);   /* and no tmp-* folder left */
	assert_true(has_entry(f, 1));

	/* A failed build has no program: its log is kept as before. */
	br_free(&br);
	br = built(f, 0, NULL);
	assert_int_equal(buildcache_store(f->cache, key, prog, &br, err), 0);
	assert_int_equal(buildcache_load(f->cache, key, prog, &got), 1);
	assert_false(got.ok);
	br_free(&got);
	drop(f->cache, key, -1);

	/* At the bound: kept, and given back whole. */
	br_free(&br);
	br = built(f, 1, NULL);
	program_of_size(f, BUILDCACHE_MAX_PROGRAM);
	assert_int_equal(buildcache_store(f->cache, key, prog, &br, err), 0);
	unlink(prog);
	assert_int_equal(buildcache_load(f->cache, key, prog, &got), 1);
	{
		struct stat sb;
		assert_int_equal(stat(prog, &sb), 0);
		assert_int_equal(sb.st_size, BUILDCACHE_MAX_PROGRAM);
	}
	br_free(&got);
	br_free(&br);
	free(prog);
}

/* An entry whose program grew past the bound is damage: not given back. */
static void test_large_entry_not_loaded(void **state)
{
	struct fix *f = *state;
	char key[HASH_HEX_LEN], err[ERR_LEN];
	struct build_result br = built(f, 1, "small"), got = {0};
	char *prog = xasprintf("%s/servidor", f->work), *bin;

	key_of(f, NULL, key);
	assert_int_equal(buildcache_store(f->cache, key, prog, &br, err), 0);
	bin = entry_file(f, key, PROGRAM);
	assert_int_equal(truncate(bin, BUILDCACHE_MAX_PROGRAM + 1), 0);
	assert_int_equal(buildcache_load(f->cache, key, prog, &got), 0);
	assert_false(has_key_entry(f, key));
	br_free(&br);
	free(prog);
	free(bin);
}

/* build_run with f's stand-in compiler saying text on stderr and exiting with status. */
static int run_fake(struct fix *f, const char *text, int status, struct build_result *br)
{
	char *script = xasprintf("#!/bin/sh\nfor a; do [ \"$o\" = -o ] && : >\"$a\"; o=$a; done\n"
	                         "printf '%%s\\n' '%s' >&2\nexit %d\n",
	                         text, status);
	char err[ERR_LEN];

	spit(f->cc, script);
	free(script);
	return build_run(&f->spec, f->work, NULL, TIER_C, br, err);
}

/* What build_run says is worth keeping: only what the sources themselves give. */
static void test_only_the_sources_faults_kept(void **state)
{
	struct fix *f = *state;
	struct build_result br;

	assert_int_equal(run_fake(f, "", 0, &br), 0);
	assert_true(br.ok);
	br_free(&br);
	assert_int_equal(run_fake(f, "servidor.c:3:5: error: expected ;", 1, &br), 0);
	assert_false(br.ok);
	br_free(&br);
	assert_int_equal(run_fake(f, "servidor.c:(.text+0x1): undefined reference to f", 1, &br),
	                 0);
	br_free(&br);
	/* The machine's trouble, not the sources'. */
	assert_int_equal(run_fake(f, "cc: fatal error: cannot execute cc1", 1, &br), 1);
	br_free(&br);
	assert_int_equal(run_fake(f,
	                          "servidor.c:9:1: fatal error: error writing to /tmp/x.s: No "
	                          "space left on device",
	                          1, &br),
	                 1);
	br_free(&br);
	assert_int_equal(run_fake(f, "/usr/bin/ld: final link failed", 1, &br), 1);
	br_free(&br);
	assert_int_equal(run_fake(f, "", 1, &br), 1);
	br_free(&br);
	/* A source missing: nothing was compiled. */
	strv_drop(&f->spec.build.sources);
	f->spec.build.sources = strv_of((const char *const[]){"otro.c", NULL});
	assert_int_equal(run_fake(f, "", 0, &br), 1);
	assert_false(br.ok);
	br_free(&br);
}

static void test_open_checks_the_folder(void **state)
{
	struct fix *f = *state;
	char err[ERR_LEN];
	char *deep = xasprintf("%s/a/b/c", f->root), *loose = xasprintf("%s/loose", f->root);
	struct stat sb;

	/* Made, parents too, private. */
	assert_int_equal(buildcache_open(deep, err), 0);
	assert_int_equal(stat(deep, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	/* One others can open is refused, with a reason. */
	assert_int_equal(mkdir(loose, 0700), 0);
	chmod(loose, 0755);
	assert_int_equal(buildcache_open(loose, err), -1);
	assert_non_null(strstr(err, loose));
	/* CHECKER_NO_CACHE=1: refused, with nothing to say. */
	setenv("CHECKER_NO_CACHE", "1", 1);
	assert_int_equal(buildcache_open(deep, err), -1);
	assert_string_equal(err, "");
	setenv("CHECKER_NO_CACHE", "0", 1);
	assert_int_equal(buildcache_open(deep, err), 0);
	unsetenv("CHECKER_NO_CACHE");
	free(deep);
	free(loose);
}

static void test_path(void **state)
{
	char *p;

	(void)state;
	setenv("HOME", "/home/ana", 1);
	setenv("XDG_CACHE_HOME", "/xdg", 1);
	setenv("CHECKER_CACHE_DIR", "/elsewhere", 1);
	assert_string_equal((p = buildcache_path()), "/elsewhere");
	free(p);
	setenv("CHECKER_CACHE_DIR", "", 1);
	assert_string_equal((p = buildcache_path()), "/xdg/checker/build");
	free(p);
	unsetenv("XDG_CACHE_HOME");
	assert_string_equal((p = buildcache_path()), "/home/ana/.cache/checker/build");
	free(p);
	unsetenv("HOME");
	assert_null(buildcache_path());
	/* A relative one is made absolute: the boxes must find it to hide it. */
	setenv("CHECKER_CACHE_DIR", "cache", 1);
	assert_true((p = buildcache_path()) && p[0] == '/');
	free(p);
	unsetenv("CHECKER_CACHE_DIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_same_inputs_same_key, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_changed_source_changes_key, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_changed_flag_changes_key, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_asan_flags_change_key, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_changed_compiler_changes_key, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_random_files_after_key, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_store_load_round_trip, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_corrupt_entry_removed, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_concurrent_writers, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_eviction, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_large_program_not_kept, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_large_entry_not_loaded, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_only_the_sources_faults_kept, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_open_checks_the_folder, setup, teardown),
	        cmocka_unit_test(test_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
