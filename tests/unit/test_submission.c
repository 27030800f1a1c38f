/* test_submission.c - unit tests for reading submissions: names, LMS folders, finding a lesson. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/submission.c"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>

#include "../../src/workdir.h"

static char *const servidor[] = {"servidor.c", NULL};
static char *const two[] = {"servidor.c", "util.c", NULL};

/* base/subs holds the submissions, base/scratch is the caller's empty folder. */
struct fix {
	char *base, *subs, *scratch;
};

static int setup(void **state)
{
	struct fix *f = xcalloc(1, sizeof(*f));

	f->base = xstrdup("/tmp/test_submission_XXXXXX");
	assert_non_null(mkdtemp(f->base));
	f->subs = xasprintf("%s/subs", f->base);
	f->scratch = xasprintf("%s/scratch", f->base);
	assert_int_equal(mkdir(f->subs, 0755), 0);
	assert_int_equal(mkdir(f->scratch, 0755), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	workdir_remove(f->base);
	free(f->base);
	free(f->subs);
	free(f->scratch);
	free(f);
	return 0;
}

/* dir/rel with text, making the folders on the way. */
static void put(const char *dir, const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", dir, rel);
	FILE *fp;

	for (char *p = path + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0755) < 0)
			assert_int_equal(errno, EEXIST);
		*p = '/';
	}
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	free(path);
}

/* A zip at dir/name holding files: names and texts, in pairs. */
static void put_zip(const char *dir, const char *name, const char *const *files)
{
	struct archive *a = archive_write_new();
	char *path = xasprintf("%s/%s", dir, name);

	put(dir, name, ""); /* the folders on the way */

	assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; files[i]; i += 2) {
		struct archive_entry *e = archive_entry_new();
		size_t n = strlen(files[i + 1]);

		archive_entry_set_pathname(e, files[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)n);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, files[i + 1], n), (la_ssize_t)n);
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	free(path);
}

/* got is dir/rel (and is freed). */
static void assert_at(char *got, const char *dir, const char *rel)
{
	char *want = *rel ? xasprintf("%s/%s", dir, rel) : xstrdup(dir);

	if (!got)
		fail_msg("nothing found, %s expected", want);
	assert_string_equal(got, want);
	free(want);
	free(got);
}

static void check_student(const char *entry, const char *want)
{
	char *got = submission_student(entry);

	assert_string_equal(got, want);
	free(got);
}

static void test_student(void **state)
{
	(void)state;
	check_student("Ana García_123456_assignsubmission_file_", "Ana García");
	check_student("/x/SUBS/Ana García_123456_assignsubmission_file_/", "Ana García");
	check_student("Ana García_123456_assignsubmission_file_entrega.zip", "Ana García");
	check_student("Ana García_123456_assignsubmission_file_lesson03_v2.tar.gz", "Ana García");
	check_student("Luis Pérez Ñúñez_98_assignsubmission_onlinetext_", "Luis Pérez Ñúñez");
	check_student("Ana_assignsubmission_file_", "Ana");
	check_student("Ana 2023_assignsubmission_file_", "Ana 2023");
	check_student("123456_assignsubmission_file_", "123456");
	check_student("perez.tar.gz", "perez");
	check_student("subs/perez.TGZ", "perez");
	check_student("perez.zip", "perez");
	check_student("perez", "perez");
	check_student("perez.c", "perez.c");
	check_student("  Marta  .zip", "Marta");
	check_student("\xe9l\xe8ve.zip", "\xe9l\xe8ve"); /* bytes as they are */
	check_student("", "alumno");
	check_student("/", "alumno");
	check_student(".zip", ".zip");
	check_student("_assignsubmission_file_x.zip", "_assignsubmission_file_x");
}

static void check_slug(const char *student, const char *want)
{
	char *got = submission_slug(student);

	assert_string_equal(got, want);
	free(got);
}

static void test_slug(void **state)
{
	struct buf b = {0};
	char *got;

	(void)state;
	check_slug("Ana García", "Ana García");
	check_slug("Ñandú Müller-Łukasz 李", "Ñandú Müller-Łukasz 李");
	check_slug("a/b", "a_b");
	check_slug("a\\b", "a_b");
	check_slug("/", "_");
	check_slug(".", "_");
	check_slug("..", "_.");
	check_slug(".oculto", "_oculto");
	check_slug("  .x", "_x");
	check_slug("", "alumno");
	check_slug("   ", "alumno");
	check_slug("a\tb\x01", "a_b_");
	check_slug("\xe9l\xe8ve", "_l_ve");         /* Latin-1: not UTF-8 */
	check_slug("Jos\xc3\xa9\xc2\x85", "José_"); /* a C1 control */
	check_slug("\xc0\xaf", "__");               /* an overlong '/' */
	check_slug("\xed\xa0\x80", "___");          /* a surrogate */
	check_slug("C:x*?\"<>|", "C_x______");
	/* What would reorder or break a line where the name is shown. */
	check_slug("Ana\xe2\x80\xaeoibmaC", "Ana_oibmaC"); /* U+202E */
	check_slug("a\xe2\x81\xa6"
	           "b\xe2\x81\xa9",
	           "a_b_"); /* U+2066, U+2069 */
	check_slug("a\xe2\x80\xa8"
	           "b",
	           "a_b"); /* U+2028 */
	check_slug("\xef\xbb\xbf"
	           "Ana",
	           "_Ana"); /* a BOM */
	check_slug("\x1b[2Jx\ny", "_[2Jx_y");
	for (int i = 0; i < 200; i++)
		buf_puts(&b, "ñ");
	got = submission_slug(b.data);
	assert_int_equal(strlen(got), SUBMISSION_SLUG_MAX);
	{
		unsigned int c;
		assert_int_equal(utf8_len((const unsigned char *)got + SUBMISSION_SLUG_MAX - 2, &c),
		                 2);
		assert_int_equal(c, 0xf1); /* ñ, whole */
	}
	free(got);
	buf_free(&b);
	b = (struct buf){0};
	buf_puts(&b, "a"); /* odd: a two-byte letter would not fit at the end */
	for (int i = 0; i < 200; i++)
		buf_puts(&b, "ñ");
	got = submission_slug(b.data);
	assert_int_equal(strlen(got), SUBMISSION_SLUG_MAX);
	assert_int_equal(got[SUBMISSION_SLUG_MAX - 1], '_');
	free(got);
	buf_free(&b);
}

static void test_names_lesson(void **state)
{
	(void)state;
	assert_true(names_lesson("lesson03", "lesson03"));
	assert_true(names_lesson("Lesson03", "lesson03"));
	assert_true(names_lesson("LESSON3", "lesson03"));
	assert_true(names_lesson("leccion03", "lesson03"));
	assert_true(names_lesson("lecci\xc3\xb3n3", "lesson03"));
	assert_true(names_lesson("Lecci\xc3\xb3n 03", "lesson03"));
	assert_true(names_lesson("lesson_3", "lesson03"));
	assert_true(names_lesson("lesson-003", "lesson03"));
	assert_false(names_lesson("lesson13", "lesson03"));
	assert_false(names_lesson("lesson30", "lesson03"));
	assert_false(names_lesson("lesson03b", "lesson03"));
	assert_false(names_lesson("lesson", "lesson03"));
	assert_false(names_lesson("lessons", "lesson03"));
	assert_false(names_lesson("03", "lesson03"));
	assert_true(names_lesson("extra", "extra"));
	assert_false(names_lesson("lesson3", "extra"));
}

/* A folder is read as it is; a Moodle folder of archives is unpacked. */
static void test_open_folders(void **state)
{
	static const char *const zip[] = {"repo-main/lessons/lesson03/servidor.c", "s\n", NULL};
	struct fix *f = *state;
	char err[ERR_LEN], *entry, *got, *text;

	entry = xasprintf("%s/juan", f->subs);
	put(entry, "lessons/lesson03/servidor.c", "s\n");
	assert_at(submission_open(entry, f->scratch, err), entry, "");
	free(entry);

	/* Archives and C files side by side: the folder is the submission. */
	entry = xasprintf("%s/luis", f->subs);
	put(entry, "servidor.c", "s\n");
	put_zip(entry, "viejo.zip", zip);
	assert_at(submission_open(entry, f->scratch, err), entry, "");
	free(entry);

	entry = xasprintf("%s/Ana García_123456_assignsubmission_file_", f->subs);
	put(entry, "leeme.txt", "notas\n"); /* neither C nor a folder: tolerated */
	put_zip(entry, "entrega.zip", zip);
	assert_at(submission_open(entry, f->scratch, err), f->scratch, "");
	got = xasprintf("%s/entrega/repo-main/lessons/lesson03/servidor.c", f->scratch);
	text = NULL;
	{
		FILE *fp = fopen(got, "r");
		char line[16] = "";
		assert_non_null(fp);
		assert_non_null(fgets(line, sizeof(line), fp));
		fclose(fp);
		text = xstrdup(line);
	}
	assert_string_equal(text, "s\n");
	free(text);
	free(got);
	free(entry);
}

/* Several archives: each in its own folder, even when their stems clash. */
static void test_open_many(void **state)
{
	static const char *const a[] = {"a.c", "a\n", NULL};
	static const char *const b[] = {"b.c", "b\n", NULL};
	struct fix *f = *state;
	char err[ERR_LEN], *entry = xasprintf("%s/pepe", f->subs);
	struct stat sb;
	char *p;

	put(entry, "x.txt", "");
	put_zip(entry, "trabajo.zip", a);
	put_zip(entry, "trabajo.tar.zip", b);
	assert_at(submission_open(entry, f->scratch, err), f->scratch, "");
	p = xasprintf("%s/trabajo/a.c", f->scratch);
	assert_int_equal(lstat(p, &sb), 0);
	free(p);
	p = xasprintf("%s/trabajo.tar/b.c", f->scratch);
	assert_int_equal(lstat(p, &sb), 0);
	free(p);
	free(entry);

	/* The same stem twice. */
	workdir_remove(f->scratch);
	assert_int_equal(mkdir(f->scratch, 0755), 0);
	entry = xasprintf("%s/rosa", f->subs);
	put(entry, "x.txt", "");
	put_zip(entry, "t.zip", a);
	put_zip(entry, "t.ZIP", b);
	assert_at(submission_open(entry, f->scratch, err), f->scratch, "");
	p = xasprintf("%s/t/b.c", f->scratch); /* "t.ZIP" sorts first */
	assert_int_equal(lstat(p, &sb), 0);
	free(p);
	p = xasprintf("%s/t-2/a.c", f->scratch);
	assert_int_equal(lstat(p, &sb), 0);
	free(p);
	free(entry);

	/* More archives than any LMS folder should hold. */
	entry = xasprintf("%s/muchos", f->subs);
	for (int i = 0; i <= SUBMISSION_MAX_ARCHIVES; i++) {
		p = xasprintf("z%d.zip", i);
		put_zip(entry, p, a);
		free(p);
	}
	assert_null(submission_open(entry, f->scratch, err));
	assert_non_null(strstr(err, "more than 8 archives"));
	free(entry);
}

/* An archive entry is unpacked into scratch. */
static void test_open_archive(void **state)
{
	static const char *const files[] = {"lesson03/servidor.c", "s\n", NULL};
	struct fix *f = *state;
	char err[ERR_LEN], *entry = xasprintf("%s/marta.zip", f->subs), *p;
	struct stat sb;

	put_zip(f->subs, "marta.zip", files);
	assert_at(submission_open(entry, f->scratch, err), f->scratch, "");
	p = xasprintf("%s/lesson03/servidor.c", f->scratch);
	assert_int_equal(lstat(p, &sb), 0);
	free(p);
	free(entry);
}

/* What cannot be a submission: a clear error, scratch untouched (but by a
 * corrupt archive, last). */
static void test_open_bad(void **state)
{
	static const char *const files[] = {"servidor.c", "s\n", NULL};
	struct fix *f = *state;
	char err[ERR_LEN], *entry, *target;

	put(f->subs, "suelto.c", "int x;\n");
	entry = xasprintf("%s/suelto.c", f->subs);
	assert_null(submission_open(entry, f->scratch, err));
	assert_non_null(strstr(err, "neither a folder nor an archive"));
	free(entry);

	entry = xasprintf("%s/roto", f->subs);
	assert_int_equal(symlink("/no/such/place", entry), 0);
	assert_null(submission_open(entry, f->scratch, err));
	assert_non_null(strstr(err, "symbolic link"));
	free(entry);

	/* A link to a good folder outside, and to a good archive: not followed. */
	target = xasprintf("%s/fuera", f->base);
	put(target, "lesson03/servidor.c", "s\n");
	entry = xasprintf("%s/enlace", f->subs);
	assert_int_equal(symlink(target, entry), 0);
	assert_null(submission_open(entry, f->scratch, err));
	assert_non_null(strstr(err, "symbolic link"));
	free(entry);
	put_zip(target, "e.zip", files);
	free(target);
	target = xasprintf("%s/fuera/e.zip", f->base);
	entry = xasprintf("%s/enlace.zip", f->subs);
	assert_int_equal(symlink(target, entry), 0);
	assert_null(submission_open(entry, f->scratch, err));
	assert_non_null(strstr(err, "symbolic link"));
	free(entry);
	free(target);

	entry = xasprintf("%s/nada", f->subs);
	assert_null(submission_open(entry, f->scratch, err));
	assert_non_null(strstr(err, "nada"));
	free(entry);

	/* An unreadable folder (root reads everything: then it is a plain folder). */
	entry = xasprintf("%s/cerrado", f->subs);
	assert_int_equal(mkdir(entry, 0), 0);
	if (geteuid() != 0) {
		assert_null(submission_open(entry, f->scratch, err));
		assert_non_null(strstr(err, "cerrado"));
	} else {
		assert_at(submission_open(entry, f->scratch, err), entry, "");
	}
	chmod(entry, 0755);
	free(entry);

	{
		DIR *d = opendir(f->scratch);
		struct dirent *e;
		int n = 0;
		while ((e = readdir(d)))
			n++;
		closedir(d);
		assert_int_equal(n, 2); /* only . and .. */
	}

	/* A corrupt zip in a Moodle folder: the error names it. */
	entry = xasprintf("%s/Pablo_1_assignsubmission_file_", f->subs);
	put(entry, "roto.zip", "esto no es un zip");
	assert_null(submission_open(entry, f->scratch, err));
	assert_non_null(strstr(err, "roto.zip"));
	free(entry);
}

/* The tutorial tree under a wrapper: the lesson, not the solution or another lesson. */
static void test_find_tree(void **state)
{
	struct fix *f = *state;
	char err[ERR_LEN];

	put(f->subs, "repo-main/README.md", "x\n");
	put(f->subs, "repo-main/lessons/lesson02/cliente.c", "c\n");
	put(f->subs, "repo-main/lessons/lesson03/servidor.c", "s\n");
	put(f->subs, "repo-main/lessons/lesson03/README.md", "r\n");
	put(f->subs, "repo-main/solutions/lesson03/servidor.c", "sol\n");
	put(f->subs, "repo-main/tests/servidor.c", "t\n");
	assert_at(submission_find(f->subs, "lesson03", servidor, 1, err), f->subs,
	          "repo-main/lessons/lesson03");
	assert_at(submission_find(f->subs, "lesson03", servidor, 0, err), f->subs,
	          "repo-main/lessons/lesson03");
}

/* Files right at the top, or in one folder: only when flat_ok. */
static void test_find_flat(void **state)
{
	struct fix *f = *state;
	char err[ERR_LEN], *dir;

	put(f->subs, "servidor.c", "s\n");
	assert_at(submission_find(f->subs, "lesson03", servidor, 1, err), f->subs, "");
	assert_null(submission_find(f->subs, "lesson03", servidor, 0, err));
	assert_non_null(strstr(err, "not in a folder named lesson03"));

	dir = xasprintf("%s/otra", f->base);
	put(dir, "entrega/servidor.c", "s\n");
	put(dir, "entrega/util.c", "u\n");
	put(dir, "aaa/servidor.c", "only one\n");
	assert_at(submission_find(dir, "lesson03", two, 1, err), dir, "entrega");
	assert_null(submission_find(dir, "lesson03", two, 0, err));
	assert_non_null(strstr(err, "entrega"));
	free(dir);
}

/* Wrappers inside wrappers, down to the depth limit and not beyond. */
static void test_find_depth(void **state)
{
	struct fix *f = *state;
	char err[ERR_LEN], *a = xasprintf("%s/a", f->base), *b = xasprintf("%s/b", f->base);

	put(a, "w1/w2/w3/w4/w5/lesson03/servidor.c", "s\n"); /* depth 6 */
	assert_at(submission_find(a, "lesson03", servidor, 0, err), a, "w1/w2/w3/w4/w5/lesson03");
	put(b, "w1/w2/w3/w4/w5/w6/lesson03/servidor.c", "s\n"); /* depth 7 */
	assert_null(submission_find(b, "lesson03", servidor, 1, err));
	assert_non_null(strstr(err, "no servidor.c found"));
	free(a);
	free(b);
}

/* A lesson folder without every source: the error says which, and where. */
static void test_find_missing(void **state)
{
	struct fix *f = *state;
	char err[ERR_LEN];

	put(f->subs, "x/lesson03/servidor.c", "s\n");
	assert_null(submission_find(f->subs, "lesson03", two, 1, err));
	assert_string_equal(err, "the folder x/lesson03 lacks util.c");
	assert_null(submission_find(f->subs, "lesson04", two, 1, err));
	assert_string_equal(err, "no servidor.c, util.c found in the submission");
}

/* The shallowest lesson folder wins, even against an earlier name; at one
 * depth the first in byte order; a lesson folder beats a shallower flat one. */
static void test_find_choice(void **state)
{
	struct fix *f = *state;
	char err[ERR_LEN], *d;

	put(f->subs, "a/b/lesson03/servidor.c", "deep\n");
	put(f->subs, "z/lesson03/servidor.c", "shallow\n");
	put(f->subs, "servidor.c", "flat\n");
	assert_at(submission_find(f->subs, "lesson03", servidor, 1, err), f->subs, "z/lesson03");

	d = xasprintf("%s/tie", f->base);
	put(d, "b/lesson03/servidor.c", "s\n");
	put(d, "a/lesson03/servidor.c", "s\n");
	put(d, "B/lesson03/servidor.c", "s\n");
	put(d, "a/lesson3/servidor.c", "s\n");
	for (int i = 0; i < 3; i++)
		assert_at(submission_find(d, "lesson03", servidor, 1, err), d, "B/lesson03");
	free(d);

	d = xasprintf("%s/alias", f->base);
	put(d, "Lecci\xc3\xb3n3/servidor.c", "s\n");
	put(d, "lesson13/servidor.c", "s\n");
	assert_at(submission_find(d, "lesson03", servidor, 0, err), d, "Lecci\xc3\xb3n3");
	assert_at(submission_find(d, "lesson13", servidor, 0, err), d, "lesson13");
	free(d);

	/* The root itself may be the lesson folder. */
	d = xasprintf("%s/lesson05", f->base);
	put(d, "servidor.c", "s\n");
	assert_at(submission_find(d, "lesson05", servidor, 0, err), d, "");
	free(d);
}

/* Links are never followed: not to folders, not as sources. */
static void test_find_links(void **state)
{
	struct fix *f = *state;
	char err[ERR_LEN], *outside = xasprintf("%s/fuera", f->base), *p;

	put(outside, "lesson03/servidor.c", "s\n");
	p = xasprintf("%s/enlace", f->subs);
	assert_int_equal(symlink(outside, p), 0);
	free(p);
	p = xasprintf("%s/lesson03", f->subs);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	p = xasprintf("%s/lesson03/servidor.c", f->subs);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	free(p);
	assert_null(submission_find(f->subs, "lesson03", servidor, 1, err));
	assert_string_equal(err, "the folder lesson03 lacks servidor.c");
	free(outside);
}

/* Names with spaces and bytes that are not UTF-8; junk folders ignored. */
static void test_find_names(void **state)
{
	struct fix *f = *state;
	char err[ERR_LEN], *d;

	put(f->subs, "\xe9l\xe8ve copia (2)/mis cosas/lessons/lesson03/servidor.c", "s\n");
	assert_at(submission_find(f->subs, "lesson03", servidor, 0, err), f->subs,
	          "\xe9l\xe8ve copia (2)/mis cosas/lessons/lesson03");

	d = xasprintf("%s/junk", f->base);
	put(d, "__MACOSX/lesson03/servidor.c", "junk\n");
	put(d, ".git/lesson03/servidor.c", "junk\n");
	assert_null(submission_find(d, "lesson03", servidor, 1, err));
	free(d);

	d = xasprintf("%s/missing-root", f->base);
	assert_null(submission_find(d, "lesson03", servidor, 1, err));
	assert_non_null(strstr(err, "missing-root"));
	free(d);
}

/* From a Moodle download to the lesson: open, then find. */
static void test_moodle_end_to_end(void **state)
{
	static const char *const files[] = {"__MACOSX/repo-main/lessons/lesson03/._servidor.c",
	                                    "junk",
	                                    "repo-main/lessons/lesson03/servidor.c",
	                                    "s\n",
	                                    "repo-main/solutions/lesson03/servidor.c",
	                                    "sol\n",
	                                    NULL};
	struct fix *f = *state;
	char err[ERR_LEN],
	        *entry = xasprintf("%s/Ana García_123456_assignsubmission_file_", f->subs);
	char *root, *student, *slug;

	put_zip(entry, "Entrega final.zip", files);
	root = submission_open(entry, f->scratch, err);
	assert_non_null(root);
	assert_at(submission_find(root, "lesson03", servidor, 0, err), f->scratch,
	          "Entrega final/repo-main/lessons/lesson03");
	student = submission_student(entry);
	slug = submission_slug(student);
	assert_string_equal(student, "Ana García");
	assert_string_equal(slug, "Ana García");
	free(student);
	free(slug);
	free(root);
	free(entry);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_student),
	        cmocka_unit_test(test_slug),
	        cmocka_unit_test(test_names_lesson),
	        cmocka_unit_test_setup_teardown(test_open_folders, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_open_many, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_open_archive, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_open_bad, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_find_tree, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_find_flat, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_find_depth, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_find_missing, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_find_choice, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_find_links, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_find_names, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_moodle_end_to_end, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
