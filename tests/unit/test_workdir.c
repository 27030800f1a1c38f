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
	dirs[1] = workdir_create(dirs[0], err); /* stands for the submission */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_put_folder, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_put_missing, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_random_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
