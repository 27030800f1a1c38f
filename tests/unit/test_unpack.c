/* test_unpack.c - unit tests for archive extraction: what lands on disk, and what never does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/unpack.c"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sysmacros.h>

#include "../../src/workdir.h"

/* One entry of an archive made for a test. */
struct ent {
	const char *name;
	char type; /* 'f' file, 'd' folder, 'l' symlink, 'h' hard link, 'p' FIFO, 'c' device */
	const char *data; /* a file's text, or a link's target */
	long size;        /* > 0: a file of this many 'A' bytes instead of data */
};

/* base/arch holds the archives, base/out/dest is where they go. */
struct fix {
	char *base, *arch, *out, *dest;
};

static int setup(void **state)
{
	struct fix *f = xcalloc(1, sizeof(*f));

	f->base = xstrdup("/tmp/test_unpack_XXXXXX");
	assert_non_null(mkdtemp(f->base));
	f->arch = xasprintf("%s/arch", f->base);
	f->out = xasprintf("%s/out", f->base);
	f->dest = xasprintf("%s/out/dest", f->base);
	assert_int_equal(mkdir(f->arch, 0755), 0);
	assert_int_equal(mkdir(f->out, 0755), 0);
	assert_int_equal(mkdir(f->dest, 0755), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	workdir_remove(f->base);
	free(f->base);
	free(f->arch);
	free(f->out);
	free(f->dest);
	free(f);
	return 0;
}

static void add_entry(struct archive *a, const struct ent *x)
{
	struct archive_entry *e = archive_entry_new();
	static char big[65536];
	long size = x->size > 0 ? x->size : x->data && x->type == 'f' ? (long)strlen(x->data) : 0;

	archive_entry_set_pathname(e, x->name);
	archive_entry_set_perm(e, x->type == 'd' ? 0755 : 0644);
	archive_entry_set_mtime(e, 1700000000, 0);
	switch (x->type) {
	case 'd':
		archive_entry_set_filetype(e, AE_IFDIR);
		break;
	case 'l':
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_symlink(e, x->data);
		break;
	case 'h':
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_hardlink(e, x->data);
		break;
	case 'p':
		archive_entry_set_filetype(e, AE_IFIFO);
		break;
	case 'c':
		archive_entry_set_filetype(e, AE_IFCHR);
		archive_entry_set_rdev(e, makedev(1, 3));
		break;
	default:
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_size(e, size);
	}
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	if (x->type == 'f' && x->size > 0) {
		memset(big, 'A', sizeof(big));
		for (long left = x->size; left > 0; left -= (long)sizeof(big)) {
			size_t k = left < (long)sizeof(big) ? (size_t)left : sizeof(big);
			assert_int_equal(archive_write_data(a, big, k), (la_ssize_t)k);
		}
	} else if (x->type == 'f' && size > 0) {
		assert_int_equal(archive_write_data(a, x->data, (size_t)size), size);
	}
	archive_entry_free(e);
}

/* dir/name as kind ("zip", "tar", "tar.gz", "tar.bz2", "tar.xz"); its path. */
static char *make_archive(const char *dir, const char *name, const char *kind,
                          const struct ent *ents, size_t n)
{
	struct archive *a = archive_write_new();
	char *path = xasprintf("%s/%s", dir, name);

	if (!strcmp(kind, "zip")) {
		assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
	} else {
		assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
		if (!strcmp(kind, "tar.gz"))
			assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
		else if (!strcmp(kind, "tar.bz2"))
			assert_int_equal(archive_write_add_filter_bzip2(a), ARCHIVE_OK);
		else if (!strcmp(kind, "tar.xz"))
			assert_int_equal(archive_write_add_filter_xz(a), ARCHIVE_OK);
	}
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++)
		add_entry(a, &ents[i]);
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return path;
}

static char *slurp(const char *dir, const char *rel)
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
	return b.data ? buf_steal(&b) : xstrdup("");
}

static void assert_file(const char *dir, const char *rel, const char *text)
{
	char *got = slurp(dir, rel);

	if (!got)
		fail_msg("%s/%s is missing", dir, rel);
	assert_string_equal(got, text);
	free(got);
}

/* rel under dir is absent: not a file, a folder or a link. */
static void assert_absent(const char *dir, const char *rel)
{
	char *path = xasprintf("%s/%s", dir, rel);
	struct stat sb;

	if (lstat(path, &sb) == 0)
		fail_msg("%s should not exist", path);
	free(path);
}

static mode_t mode_of(const char *dir, const char *rel)
{
	char *path = xasprintf("%s/%s", dir, rel);
	struct stat sb;

	assert_int_equal(lstat(path, &sb), 0);
	free(path);
	return sb.st_mode;
}

/* Regular files and folders under dir, with links and others counted apart. */
static void census(const char *dir, int *files, int *dirs, int *others)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d))) {
		char *path;
		struct stat sb;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		assert_int_equal(lstat(path, &sb), 0);
		if (S_ISDIR(sb.st_mode)) {
			++*dirs;
			census(path, files, dirs, others);
		} else if (S_ISREG(sb.st_mode)) {
			++*files;
		} else {
			++*others;
		}
		free(path);
	}
	closedir(d);
}

/* Nothing was written beside dest, nor beside out, and dest holds no links. */
static void assert_contained(const struct fix *f)
{
	int files = 0, dirs = 0, others = 0;

	census(f->out, &files, &dirs, &others);
	assert_int_equal(others, 0);
	files = dirs = 0;
	census(f->base, &files, &dirs, &others);
	assert_int_equal(others, 0);
	assert_absent(f->out, "evil");
	assert_absent(f->base, "evil");
	{
		DIR *d = opendir(f->out);
		struct dirent *e;
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
			    strcmp(e->d_name, "dest"))
				fail_msg("%s/%s was written outside dest", f->out, e->d_name);
		closedir(d);
		d = opendir(f->base);
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
			    strcmp(e->d_name, "arch") && strcmp(e->d_name, "out"))
				fail_msg("%s/%s was written outside dest", f->base, e->d_name);
		closedir(d);
	}
}

static void test_is_archive(void **state)
{
	(void)state;
	assert_true(unpack_is_archive("entrega.zip"));
	assert_true(unpack_is_archive("ENTREGA.ZIP"));
	assert_true(unpack_is_archive("dir/a.tar"));
	assert_true(unpack_is_archive("a.tar.gz"));
	assert_true(unpack_is_archive("a.TGZ"));
	assert_true(unpack_is_archive("a.tar.bz2"));
	assert_true(unpack_is_archive("a.tar.xz"));
	assert_true(unpack_is_archive("Ana García_1_assignsubmission_file_p.zip"));
	assert_false(unpack_is_archive("servidor.c"));
	assert_false(unpack_is_archive("a.gz"));
	assert_false(unpack_is_archive("a.zip.txt"));
	assert_false(unpack_is_archive("zip"));
	assert_false(unpack_is_archive(".zip"));
	assert_false(unpack_is_archive("dir/.zip"));
	assert_false(unpack_is_archive(""));
	assert_int_equal(unpack_ext_len("a.tar.gz"), 7);
	assert_int_equal(unpack_ext_len("a.Tar.Xz"), 7);
	assert_int_equal(unpack_ext_len("a.zip"), 4);
	assert_int_equal(unpack_ext_len("a.c"), 0);
}

static const struct ent tree[] = {
        {"entrega/", 'd', NULL, 0},
        {"entrega/servidor.c", 'f', "int main(void) { return 0; }\n", 0},
        {"entrega/sub/deep/leeme.txt", 'f', "hola\n", 0}, /* folders never listed */
        {"./punto.txt", 'f', "punto\n", 0},
        {"vacio.txt", 'f', "", 0},
        {"carpeta/vacia/", 'd', NULL, 0},
};

static void check_tree(const struct fix *f)
{
	assert_file(f->dest, "entrega/servidor.c", "int main(void) { return 0; }\n");
	assert_file(f->dest, "entrega/sub/deep/leeme.txt", "hola\n");
	assert_file(f->dest, "punto.txt", "punto\n");
	assert_file(f->dest, "vacio.txt", "");
	assert_true(S_ISDIR(mode_of(f->dest, "carpeta/vacia")));
	assert_int_equal(mode_of(f->dest, "entrega/servidor.c") & 07777, 0644);
	assert_int_equal(mode_of(f->dest, "entrega/sub") & 07777, 0755);
	assert_int_equal(mode_of(f->dest, "carpeta/vacia") & 07777, 0755);
	assert_contained(f);
}

/* Every supported kind extracts the same tree, nothing left out. */
static void test_kinds(void **state)
{
	static const char *const kinds[][2] = {{"zip", "a.zip"},         {"tar", "a.tar"},
	                                       {"tar.gz", "a.tgz"},      {"tar.gz", "b.TAR.GZ"},
	                                       {"tar.bz2", "a.tar.bz2"}, {"tar.xz", "a.tar.xz"}};
	struct fix *f = *state;
	char err[ERR_LEN];

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char *path = make_archive(f->arch, kinds[i][1], kinds[i][0], tree,
		                          sizeof(tree) / sizeof(*tree));
		err[0] = '\0';
		assert_int_equal(unpack_archive(path, f->dest, err), 0);
		assert_string_equal(err, "");
		check_tree(f);
		workdir_remove(f->dest);
		assert_int_equal(mkdir(f->dest, 0755), 0);
		free(path);
	}
}

/* Backslashes separate folders (zips from Windows tools). */
static void test_backslash(void **state)
{
	static const struct ent ents[] = {{"entrega\\lesson03\\servidor.c", 'f', "s\n", 0}};
	struct fix *f = *state;
	char err[ERR_LEN], *path = make_archive(f->arch, "w.zip", "zip", ents, 1);

	assert_int_equal(unpack_archive(path, f->dest, err), 0);
	assert_file(f->dest, "entrega/lesson03/servidor.c", "s\n");
	free(path);
}

/* Absolute names and ".." parts are left out, counted, never written anywhere. */
static void test_traversal(void **state)
{
	struct fix *f = *state;
	char *abs = xasprintf("%s/evil", f->out);
	char *abs_base = xasprintf("%s/evil", f->base);
	const struct ent ents[] = {
	        {"../evil", 'f', "x\n", 0},
	        {"../../evil", 'f', "x\n", 0},
	        {abs, 'f', "x\n", 0},
	        {abs_base, 'f', "x\n", 0},
	        {"a/../../evil", 'f', "x\n", 0},
	        {"a/b/../c.txt", 'f', "x\n", 0},
	        {"..\\evil", 'f', "x\n", 0},
	        {"..", 'd', NULL, 0},
	        {"ok/bien.c", 'f', "bien\n", 0},
	};
	const size_t n = sizeof(ents) / sizeof(*ents);
	char err[ERR_LEN];

	for (int zip = 0; zip <= 1; zip++) {
		char *path = make_archive(f->arch, zip ? "t.zip" : "t.tar.gz",
		                          zip ? "zip" : "tar.gz", ents, n);
		assert_int_equal(unpack_archive(path, f->dest, err), (int)n - 1);
		assert_file(f->dest, "ok/bien.c", "bien\n");
		assert_absent(f->dest, "a");
		assert_absent(f->dest, "evil");
		assert_absent(f->dest, abs + 1);
		assert_contained(f);
		workdir_remove(f->dest);
		assert_int_equal(mkdir(f->dest, 0755), 0);
		free(path);
	}
	free(abs);
	free(abs_base);
}

/* A link is never made, so nothing is written through one: a later entry
 * under the link's name is a plain folder or file inside dest. */
static void test_symlinks(void **state)
{
	struct fix *f = *state;
	const struct ent ents[] = {
	        {"link", 'l', f->out, 0},      {"link/pwned.c", 'f', "pwned\n", 0},
	        {"up", 'l', "..", 0},          {"up", 'f', "real\n", 0},
	        {"rel", 'l', "../../evil", 0}, {"fine.c", 'f', "fine\n", 0},
	};
	const size_t n = sizeof(ents) / sizeof(*ents);
	char err[ERR_LEN];

	for (int zip = 0; zip <= 1; zip++) {
		char *path = make_archive(f->arch, zip ? "l.zip" : "l.tar", zip ? "zip" : "tar",
		                          ents, n);
		assert_int_equal(unpack_archive(path, f->dest, err), 3);
		assert_absent(f->out, "pwned.c");
		assert_true(S_ISDIR(mode_of(f->dest, "link")));
		assert_file(f->dest, "link/pwned.c", "pwned\n");
		assert_true(S_ISREG(mode_of(f->dest, "up")));
		assert_file(f->dest, "up", "real\n");
		assert_absent(f->dest, "rel");
		assert_file(f->dest, "fine.c", "fine\n");
		assert_contained(f);
		workdir_remove(f->dest);
		assert_int_equal(mkdir(f->dest, 0755), 0);
		free(path);
	}
}

/* Hard links, FIFOs and devices are left out; the rest still lands. */
static void test_special(void **state)
{
	static const struct ent ents[] = {
	        {"a.c", 'f', "a\n", 0}, {"h.c", 'h', "a.c", 0}, {"passwd", 'h', "/etc/passwd", 0},
	        {"fifo", 'p', NULL, 0}, {"null", 'c', NULL, 0}, {"b.c", 'f', "b\n", 0},
	};
	struct fix *f = *state;
	char err[ERR_LEN], *path = make_archive(f->arch, "s.tar.gz", "tar.gz", ents, 6);

	assert_int_equal(unpack_archive(path, f->dest, err), 4);
	assert_file(f->dest, "a.c", "a\n");
	assert_file(f->dest, "b.c", "b\n");
	assert_absent(f->dest, "h.c");
	assert_absent(f->dest, "passwd");
	assert_absent(f->dest, "fifo");
	assert_absent(f->dest, "null");
	assert_contained(f);
	free(path);
}

/* Names that clash with what is already there: the first one stays. */
static void test_clash(void **state)
{
	static const struct ent ents[] = {
	        {"a.c", 'f', "first\n", 0}, {"a.c", 'f', "second\n", 0}, {"d", 'f', "file\n", 0},
	        {"d/x.c", 'f', "x\n", 0},   {"d", 'd', NULL, 0},         {"e/", 'd', NULL, 0},
	        {"e", 'f', "e\n", 0},       {"e/", 'd', NULL, 0},
	};
	struct fix *f = *state;
	char err[ERR_LEN], *path = make_archive(f->arch, "c.tar", "tar", ents, 8);

	assert_int_equal(unpack_archive(path, f->dest, err), 4);
	assert_file(f->dest, "a.c", "first\n");
	assert_file(f->dest, "d", "file\n");
	assert_true(S_ISDIR(mode_of(f->dest, "e")));
	free(path);
}

/* One file over the limit, from a small archive: refused before a byte is written. */
static void test_big_file(void **state)
{
	static const struct ent ents[] = {
	        {"ok.c", 'f', "ok\n", 0},
	        {"bomba.txt", 'f', NULL, UNPACK_MAX_FILE + 1},
	};
	struct fix *f = *state;
	char err[ERR_LEN], *path = make_archive(f->arch, "b.zip", "zip", ents, 2);
	struct stat sb;

	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size < (1 << 20)); /* it compresses a thousandfold */
	assert_int_equal(unpack_archive(path, f->dest, err), -1);
	assert_non_null(strstr(err, "bomba.txt"));
	assert_non_null(strstr(err, "10 MiB"));
	assert_absent(f->dest, "bomba.txt");
	free(path);

	/* Exactly at the limit is fine. */
	static const struct ent edge[] = {{"borde.txt", 'f', NULL, UNPACK_MAX_FILE}};
	path = make_archive(f->arch, "e.tar.gz", "tar.gz", edge, 1);
	workdir_remove(f->dest);
	assert_int_equal(mkdir(f->dest, 0755), 0);
	assert_int_equal(unpack_archive(path, f->dest, err), 0);
	assert_int_equal(mode_of(f->dest, "borde.txt") & S_IFMT, S_IFREG);
	free(path);
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* Make every size a zip's headers give for its files say 1000 bytes; how
 * many central directory records were changed. */
static int understate(const char *path)
{
	FILE *fp = fopen(path, "r+b");
	unsigned char *z;
	long n;
	int patched = 0;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	z = xmalloc((size_t)n);
	rewind(fp);
	assert_int_equal(fread(z, 1, (size_t)n, fp), n);
	for (long i = 0; i + 46 <= n; i++) {
		if (!memcmp(z + i, "PK\1\2", 4)) { /* central directory: uncompressed size */
			put_le32(z + i + 24, 1000);
			patched++;
		} else if (!memcmp(z + i, "PK\3\4", 4) &&
		           (z[i + 22] | z[i + 23] | z[i + 24] | z[i + 25])) {
			put_le32(z + i + 22, 1000); /* local header, when it holds the size */
		} else if (!memcmp(z + i, "PK\7\10", 4)) { /* data descriptor */
			put_le32(z + i + 12, 1000);
		}
	}
	rewind(fp);
	assert_int_equal(fwrite(z, 1, (size_t)n, fp), n);
	fclose(fp);
	free(z);
	return patched;
}

/* A zip whose headers claim 1000 bytes for what expands to 11 MiB: the
 * bytes are counted as they come, so the limit still holds. (A lie that
 * stays under the file limit is caught by libarchive at the entry's end,
 * before the running total could matter.) */
static void test_lying_size(void **state)
{
	static const struct ent one[] = {{"miente.txt", 'f', NULL, UNPACK_MAX_FILE + (1 << 20)}};
	struct fix *f = *state;
	char err[ERR_LEN], *path = make_archive(f->arch, "m.zip", "zip", one, 1);

	assert_int_equal(understate(path), 1);
	assert_int_equal(unpack_archive(path, f->dest, err), -1);
	assert_non_null(strstr(err, "miente.txt in the archive is larger than 10 MiB"));
	free(path);
}

/* Files each under the limit that add up to more than the total. */
static void test_total(void **state)
{
	static const struct ent ents[] = {
	        {"1.txt", 'f', NULL, 9L << 20}, {"2.txt", 'f', NULL, 9L << 20},
	        {"3.txt", 'f', NULL, 9L << 20}, {"4.txt", 'f', NULL, 9L << 20},
	        {"5.txt", 'f', NULL, 9L << 20}, {"6.txt", 'f', NULL, 9L << 20},
	};
	struct fix *f = *state;
	char err[ERR_LEN], *path = make_archive(f->arch, "t.tar.gz", "tar.gz", ents, 6);

	assert_int_equal(unpack_archive(path, f->dest, err), -1);
	assert_non_null(strstr(err, "50 MiB"));
	assert_true(S_ISREG(mode_of(f->dest, "5.txt"))); /* what came before stays */
	assert_absent(f->dest, "6.txt");
	free(path);
}

static struct ent *many(int n, char ***names)
{
	struct ent *ents = xcalloc((size_t)n, sizeof(*ents));

	*names = xcalloc((size_t)n, sizeof(char *));
	for (int i = 0; i < n; i++) {
		(*names)[i] = xasprintf("d%d/f%04d.c", i % 10, i);
		ents[i] = (struct ent){(*names)[i], 'f', "x", 0};
	}
	return ents;
}

static void free_many(struct ent *ents, char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(ents);
}

/* The entry limit: exactly the limit extracts, one more fails. */
static void test_entries(void **state)
{
	struct fix *f = *state;
	char err[ERR_LEN], **names, *path;
	struct ent *ents = many(UNPACK_MAX_ENTRIES + 1, &names);
	int files = 0, dirs = 0, others = 0;

	path = make_archive(f->arch, "n.tar.gz", "tar.gz", ents, UNPACK_MAX_ENTRIES);
	assert_int_equal(unpack_archive(path, f->dest, err), 0);
	census(f->dest, &files, &dirs, &others);
	assert_int_equal(files, UNPACK_MAX_ENTRIES);
	free(path);
	workdir_remove(f->dest);
	assert_int_equal(mkdir(f->dest, 0755), 0);
	path = make_archive(f->arch, "m.zip", "zip", ents, UNPACK_MAX_ENTRIES + 1);
	assert_int_equal(unpack_archive(path, f->dest, err), -1);
	assert_non_null(strstr(err, "5000"));
	free(path);
	free_many(ents, names, UNPACK_MAX_ENTRIES + 1);
}

/* Names too deep or too long fail the archive. */
static void test_names_limits(void **state)
{
	struct fix *f = *state;
	struct buf deep = {0}, ok = {0};
	char err[ERR_LEN], *path, longpart[300];

	for (int i = 0; i < UNPACK_MAX_DEPTH - 1; i++)
		buf_puts(&ok, "d/");
	buf_puts(&ok, "f.c");
	buf_printf(&deep, "x/%s", ok.data);
	{
		struct ent ents[] = {{ok.data, 'f', "ok\n", 0}};
		path = make_archive(f->arch, "ok.tar", "tar", ents, 1);
		assert_int_equal(unpack_archive(path, f->dest, err), 0);
		assert_file(f->dest, ok.data, "ok\n");
		free(path);
	}
	{
		struct ent ents[] = {{deep.data, 'f', "deep\n", 0}};
		path = make_archive(f->arch, "deep.tar", "tar", ents, 1);
		assert_int_equal(unpack_archive(path, f->dest, err), -1);
		assert_non_null(strstr(err, "16"));
		free(path);
	}
	memset(longpart, 'n', sizeof(longpart) - 1);
	longpart[sizeof(longpart) - 1] = '\0';
	{
		struct ent ents[] = {{longpart, 'f', "long\n", 0}};
		path = make_archive(f->arch, "long.tar", "tar", ents, 1);
		assert_int_equal(unpack_archive(path, f->dest, err), -1);
		assert_non_null(strstr(err, "too long"));
		free(path);
	}
	buf_free(&deep);
	buf_free(&ok);
}

static char *spit(const char *dir, const char *name, const void *data, size_t n)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, n, fp), n);
	fclose(fp);
	return path;
}

/* Random bytes, an empty file, a truncated archive, what is not a regular
 * file: a clear error. */
static void test_corrupt(void **state)
{
	static const struct ent ents[] = {{"a.txt", 'f', NULL, 1 << 20}};
	struct fix *f = *state;
	unsigned char noise[4096];
	char err[ERR_LEN], *path, *good;
	uint32_t x = 12345;
	struct stat sb;
	int files = 0, dirs = 0, others = 0;

	for (size_t i = 0; i < sizeof(noise); i++)
		noise[i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
	path = spit(f->arch, "ruido.zip", noise, sizeof(noise));
	err[0] = '\0';
	assert_int_equal(unpack_archive(path, f->dest, err), -1);
	assert_non_null(strstr(err, "not a readable archive"));
	free(path);
	path = spit(f->arch, "vacio.zip", "", 0);
	assert_int_equal(unpack_archive(path, f->dest, err), -1);
	assert_non_null(strstr(err, "vacio.zip is empty"));
	free(path);
	census(f->dest, &files, &dirs, &others);
	assert_int_equal(files + dirs + others, 0);

	good = make_archive(f->arch, "cut.tar.gz", "tar.gz", ents, 1);
	assert_int_equal(stat(good, &sb), 0);
	assert_int_equal(truncate(good, sb.st_size / 2), 0);
	err[0] = '\0';
	assert_int_equal(unpack_archive(good, f->dest, err), -1);
	assert_string_not_equal(err, "");
	free(good);

	/* A FIFO named like an archive neither blocks nor is read. */
	path = xasprintf("%s/fifo.zip", f->arch);
	assert_int_equal(mkfifo(path, 0644), 0);
	assert_int_equal(unpack_archive(path, f->dest, err), -1);
	assert_non_null(strstr(err, "not a regular file"));
	free(path);

	/* A link to a good archive is not followed. */
	good = make_archive(f->arch, "good.zip", "zip", tree, 1);
	path = xasprintf("%s/link.zip", f->arch);
	assert_int_equal(symlink(good, path), 0);
	assert_int_equal(unpack_archive(path, f->dest, err), -1);
	assert_non_null(strstr(err, "link.zip"));
	free(path);

	path = xasprintf("%s/missing.zip", f->arch);
	assert_int_equal(unpack_archive(path, f->dest, err), -1);
	assert_non_null(strstr(err, "missing.zip"));
	free(path);
	path = xasprintf("%s/missing", f->out);
	assert_int_equal(unpack_archive(good, path, err), -1);
	free(path);
	free(good);
}

/* An encrypted zip: a clear error rather than garbage files. */
static void test_encrypted(void **state)
{
	static const struct ent ents[] = {{"secreto.c", 'f', "int x;\n", 0}};
	struct fix *f = *state;
	struct archive *a = archive_write_new();
	char err[ERR_LEN], *path = xasprintf("%s/enc.zip", f->arch);

	archive_write_set_format_zip(a);
	if (archive_write_set_options(a, "zip:encryption=zipcrypt") != ARCHIVE_OK) {
		archive_write_free(a);
		free(path);
		skip(); /* libarchive built without encryption */
	}
	assert_int_equal(archive_write_set_passphrase(a, "clave"), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	add_entry(a, &ents[0]);
	archive_write_close(a);
	archive_write_free(a);
	assert_int_equal(unpack_archive(path, f->dest, err), -1);
	assert_non_null(strstr(err, "secreto.c"));
	free(path);
}

/* macOS junk is dropped quietly (not counted as left out). */
static void test_macos(void **state)
{
	static const struct ent ents[] = {
	        {"__MACOSX/", 'd', NULL, 0},
	        {"__MACOSX/entrega/._servidor.c", 'f', "junk", 0},
	        {"entrega/._servidor.c", 'f', "junk", 0},
	        {"entrega/.DS_Store", 'f', "junk", 0},
	        {"entrega/servidor.c", 'f', "s\n", 0},
	        {"__MACOSXno/x.c", 'f', "kept\n", 0},
	};
	struct fix *f = *state;
	char err[ERR_LEN], *path = make_archive(f->arch, "mac.zip", "zip", ents, 6);

	assert_int_equal(unpack_archive(path, f->dest, err), 0);
	assert_file(f->dest, "entrega/servidor.c", "s\n");
	assert_absent(f->dest, "__MACOSX");
	assert_absent(f->dest, "entrega/._servidor.c");
	assert_absent(f->dest, "entrega/.DS_Store");
	assert_file(f->dest, "__MACOSXno/x.c", "kept\n");
	free(path);
}

/* Names: UTF-8 flagged zips decode whatever the process locale; other
 * bytes are kept as they are; control characters are left out. */
static void test_names(void **state)
{
	static const struct ent utf8[] = {{"Garc\xc3\xad"
	                                   "a/servidor.c",
	                                   'f', "u\n", 0}};
	static const struct ent raw[] = {{"\xe9l\xe8ve/x.c", 'f', "l\n", 0},
	                                 {"con espacio/y z.c", 'f', "e\n", 0},
	                                 {"a\nb.c", 'f', "n\n", 0},
	                                 {"tab\t/c.c", 'f', "t\n", 0}};
	struct fix *f = *state;
	locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t old;
	char err[ERR_LEN], *path;

	assert_non_null(setlocale(LC_ALL, "C"));
	if (!loc)
		skip();
	old = uselocale(loc); /* the writer flags the name as UTF-8 */
	path = make_archive(f->arch, "u.zip", "zip", utf8, 1);
	uselocale(old);
	freelocale(loc);
	assert_int_equal(unpack_archive(path, f->dest, err), 0);
	assert_file(f->dest,
	            "Garc\xc3\xad"
	            "a/servidor.c",
	            "u\n");
	free(path);

	path = make_archive(f->arch, "r.zip", "zip", raw, 4);
	assert_int_equal(unpack_archive(path, f->dest, err), 2);
	assert_file(f->dest, "\xe9l\xe8ve/x.c", "l\n");
	assert_file(f->dest, "con espacio/y z.c", "e\n");
	assert_absent(f->dest, "a\nb.c");
	assert_absent(f->dest, "tab\t");
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_is_archive),
	        cmocka_unit_test_setup_teardown(test_kinds, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_backslash, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_traversal, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_symlinks, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_special, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_clash, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_big_file, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_lying_size, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_total, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_entries, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_names_limits, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_encrypted, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_macos, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
	};

	umask(0); /* the modes seen are the ones asked for */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
