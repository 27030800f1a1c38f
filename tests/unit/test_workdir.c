/* test_workdir.c - unit tests for the work folder: the copy and the tests' own files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/workdir.c"

static char *slurp(const char *dir, const char *rel, size_t *n)
{
	char *path = xasprintf("%s/%s", dir, rel);
	FILE *f = fopen(path, "rb");
	struct buf b = {0};
	char chunk[4096];
	size_t k;

	free(path);
	if (!f)
		return NULL;
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, k);
	fclose(f);
	*n = b.len;
	return b.data ? buf_steal(&b) : xstrdup("");
}

static void spit(const char *dir, const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", dir, rel);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

/* A lesson folder with public/ and a secret; a submission that brings its own. */
static int setup(void **state)
{
	char **dirs = xcalloc(2, sizeof(char *));
	char err[ERR_LEN], *pub;

	dirs[0] = xstrdup("/tmp/test_workdir_XXXXXX");
	assert_non_null(mkdtemp(dirs[0]));
	spit(dirs[0], "secreto.txt", "clave\n");
	pub = xasprintf("%s/public", dirs[0]);
	assert_int_equal(mkdir(pub, 0755), 0);
	free(pub);
	spit(dirs[0], "public/hola.txt", "hola\n");
	dirs[1] = workdir_create(dirs[0], 0, err); /* stands for the submission */
	assert_non_null(dirs[1]);
	spit(dirs[1], "public/hola.txt", "falso\n");
	spit(dirs[1], "public/extra.txt", "del estudiante\n");
	*state = dirs;
	return 0;
}

static int teardown(void **state)
{
	char **dirs = *state;

	workdir_remove(dirs[0]);
	workdir_remove(dirs[1]);
	free(dirs[0]);
	free(dirs[1]);
	free(dirs);
	return 0;
}

/* The lesson's folder replaces the submission's, whole. */
static void test_put_folder(void **state)
{
	char **dirs = *state, err[ERR_LEN];
	size_t n;
	char *text;

	assert_int_equal(workdir_put(dirs[1], dirs[0], "public", err), 0);
	text = slurp(dirs[1], "public/hola.txt", &n);
	assert_string_equal(text, "hola\n");
	free(text);
	assert_null(slurp(dirs[1], "public/extra.txt", &n));
	assert_int_equal(workdir_put(dirs[1], dirs[0], "secreto.txt", err), 0);
	text = slurp(dirs[1], "secreto.txt", &n);
	assert_string_equal(text, "clave\n");
	free(text);
}

static void test_put_missing(void **state)
{
	char **dirs = *state, err[ERR_LEN];

	assert_int_equal(workdir_put(dirs[1], dirs[0], "no/existe.txt", err), -1);
	assert_non_null(strstr(err, "existe.txt"));
}

/* Random files: the same seed, the same bytes; folders made as needed. */
static void test_random_file(void **state)
{
	char **dirs = *state, err[ERR_LEN];
	size_t na, nb, nc;
	char *a, *b, *c;
	int zeros = 0;

	assert_int_equal(workdir_random_file(dirs[1], "public/datos/a.bin", 100000, 7, err), 0);
	a = slurp(dirs[1], "public/datos/a.bin", &na);
	assert_int_equal(workdir_random_file(dirs[1], "public/datos/a.bin", 100000, 7, err), 0);
	b = slurp(dirs[1], "public/datos/a.bin", &nb);
	assert_int_equal(workdir_random_file(dirs[1], "public/datos/a.bin", 100000, 8, err), 0);
	c = slurp(dirs[1], "public/datos/a.bin", &nc);
	assert_int_equal(na, 100000);
	assert_int_equal(nb, 100000);
	assert_memory_equal(a, b, na);
	assert_memory_not_equal(a, c, na);
	for (size_t i = 0; i < na; i++)
		zeros += a[i] == 0;
	assert_true(zeros > 0); /* binary: strlen() would not do */
	free(a);
	free(b);
	free(c);
}

static void test_work_name(void **state)
{
	(void)state;
	assert_true(is_work_name("checker-work-aZ09xY"));
	assert_false(is_work_name("checker-work-aZ09x"));
	assert_false(is_work_name("checker-work-aZ09xYz"));
	assert_false(is_work_name("checker-work-aZ.9xY"));
	assert_false(is_work_name("checker-abc123")); /* an older checker's, or anyone's */
	assert_false(is_work_name("checker-test-abc123"));
	assert_false(is_work_name("checker-submission-abc123"));
	assert_false(is_work_name(""));
}

/* Another open of path cannot take its lock: someone holds it. */
static int locked(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	assert_true(fd >= 0);
	r = flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return r;
}

/* A work folder: named to be found, open to the box inside a folder that
 * is ours alone (or others may pass through, shared), locked while it lives. */
static void test_created_locked(void **state)
{
	char **dirs = *state, err[ERR_LEN];
	size_t before = nheld;

	for (int shared = 0; shared < 2; shared++) {
		char *path = workdir_create(dirs[0], shared, err);
		char *outer;
		struct stat sb;

		assert_non_null(path);
		outer = xstrndup(path, (size_t)(strrchr(path, '/') - path));
		assert_string_equal(strrchr(path, '/') + 1, INNER);
		assert_true(is_work_name(strrchr(outer, '/') + 1));
		assert_int_equal(stat(path, &sb), 0);
		assert_int_equal(sb.st_mode & 07777, 0755);
		assert_int_equal(stat(outer, &sb), 0);
		assert_int_equal(sb.st_mode & 07777, shared ? 0711 : 0700);
		assert_true(locked(outer));
		assert_int_equal(nheld, before + 1);
		workdir_remove(path);
		assert_int_equal(access(outer, F_OK), -1);
		assert_int_equal(nheld, before);
		free(outer);
		free(path);
	}
}

/* A folder like a work folder: with its inner folder once made (live),
 * without while being made. */
static char *make_folder(const char *base, const char *name, int live)
{
	char *path = xasprintf("%s/%s", base, name), *inner = xasprintf("%s/" INNER, path);

	assert_int_equal(mkdir(path, 0700), 0);
	spit(path, "servidor.c", "int main(void) { return 0; }\n");
	if (live) {
		assert_int_equal(mkdir(inner, 0755), 0);
		spit(inner, "servidor.c", "int main(void) { return 0; }\n");
	}
	free(inner);
	return path;
}

static int exists(const char *base, const char *name)
{
	char *path = xasprintf("%s/%s", base, name);
	struct stat sb;
	int r = lstat(path, &sb) == 0;

	free(path);
	return r;
}

/* Only work folders of ours whose checker is gone are swept, never
 * following a link. */
static void test_sweep(void **state)
{
	char base[] = "/tmp/test_workdir_sweep_XXXXXX";
	char *dead, *live, *making, *p;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(base));
	spit(base, "fuera.txt", "no se borra\n");
	dead = make_folder(base, "checker-work-dead01", 1);
	p = xasprintf("%s/enlace", dead);
	assert_int_equal(symlink("../fuera.txt", p), 0);
	free(p);
	live = make_folder(base, "checker-work-live01", 1);
	fd = open(live, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	making = make_folder(base, "checker-work-mak001", 0);
	free(make_folder(base, "checker-abc123", 1));
	free(make_folder(base, "checker-test-abc123", 1));
	free(make_folder(base, "objetivo", 1));
	p = xasprintf("%s/checker-work-link01", base);
	assert_int_equal(symlink("objetivo", p), 0);
	free(p);
	if (geteuid() == 0) { /* another user's: never ours to remove */
		p = make_folder(base, "checker-work-other1", 1);
		assert_int_equal(chown(p, 65534, 65534), 0);
		free(p);
	}

	sweep(base);
	assert_false(exists(base, "checker-work-dead01"));
	assert_true(exists(base, "fuera.txt"));
	assert_true(exists(base, "checker-work-live01"));
	assert_true(exists(base, "checker-work-mak001"));
	assert_true(exists(base, "checker-abc123"));
	assert_true(exists(base, "checker-test-abc123"));
	assert_true(exists(base, "checker-work-link01"));
	assert_true(exists(base, "objetivo/servidor.c"));
	if (geteuid() == 0)
		assert_true(exists(base, "checker-work-other1"));

	/* Its checker gone, the live one goes too. */
	close(fd);
	sweep(base);
	assert_false(exists(base, "checker-work-live01"));
	assert_true(exists(base, "checker-work-mak001"));

	workdir_remove(base);
	free(dead);
	free(live);
	free(making);
}

/* The first work folder a process makes sweeps; later ones do not. */
static void test_create_sweeps_once(void **state)
{
	char **dirs = *state, err[ERR_LEN];
	char base[] = "/tmp/test_workdir_once_XXXXXX";
	char *old = getenv("TMPDIR") ? xstrdup(getenv("TMPDIR")) : NULL, *a, *b;

	assert_non_null(mkdtemp(base));
	setenv("TMPDIR", base, 1);
	free(make_folder(base, "checker-work-dead01", 1));
	swept = 0;
	a = workdir_create(dirs[0], 0, err);
	assert_non_null(a);
	assert_false(exists(base, "checker-work-dead01"));
	free(make_folder(base, "checker-work-dead02", 1));
	b = workdir_create(dirs[0], 0, err);
	assert_non_null(b);
	assert_true(exists(base, "checker-work-dead02"));
	workdir_remove(a);
	workdir_remove(b);
	workdir_remove(base);
	free(a);
	free(b);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
	free(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_put_folder, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_put_missing, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_random_file, setup, teardown),
	        cmocka_unit_test(test_work_name),
	        cmocka_unit_test_setup_teardown(test_created_locked, setup, teardown),
	        cmocka_unit_test(test_sweep),
	        cmocka_unit_test_setup_teardown(test_create_sweeps_once, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
