/* test_hash.c - unit tests for SHA-256 and the tree hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/hash.c"
#include "../../src/workdir.h"

static char *hex_of(const void *p, size_t n)
{
	static char out[HASH_HEX_LEN];
	struct hash s;

	hash_init(&s);
	hash_bytes(&s, p, n);
	hash_hex(&s, out);
	return out;
}

/* The examples of FIPS 180-4 and its usual companions. */
static void test_known_digests(void **state)
{
	const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char *million = xmalloc(1000000);
	struct hash s;
	char out[HASH_HEX_LEN];

	(void)state;
	assert_string_equal(hex_of("", 0),
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_string_equal(hex_of("abc", 3),
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_string_equal(hex_of(two_blocks, strlen(two_blocks)),
	                    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', 1000000);
	assert_string_equal(hex_of(million, 1000000),
	                    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* Fed in uneven pieces, the same digest. */
	hash_init(&s);
	for (size_t off = 0, step = 1; off < 1000000; off += step, step = step * 3 % 997 + 1)
		hash_bytes(&s, million + off, off + step > 1000000 ? 1000000 - off : step);
	hash_hex(&s, out);
	assert_string_equal(out,
	                    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

/* Lengths around the padding boundary (55, 56, 63, 64 bytes). */
static void test_padding_edges(void **state)
{
	char a[64];

	(void)state;
	memset(a, 'a', sizeof(a));
	assert_string_equal(hex_of(a, 55),
	                    "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	assert_string_equal(hex_of(a, 56),
	                    "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	assert_string_equal(hex_of(a, 64),
	                    "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

static void put(const char *dir, const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", dir, rel);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static void tree_hex(const char *dir, char out[HASH_HEX_LEN])
{
	struct hash s;

	hash_init(&s);
	assert_int_equal(hash_tree(&s, dir), 0);
	hash_hex(&s, out);
}

static void test_tree_tracks_names_and_contents(void **state)
{
	char tmpl[] = "/tmp/test_hash-XXXXXX";
	char *dir = mkdtemp(tmpl);
	char *sub, *link;
	char h0[HASH_HEX_LEN], h1[HASH_HEX_LEN];

	(void)state;
	assert_non_null(dir);
	sub = xasprintf("%s/sub", dir);
	link = xasprintf("%s/enlace", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	put(dir, "servidor.c", "int main(void) { return 0; }\n");
	put(dir, "sub/notas.txt", "hola");
	tree_hex(dir, h0);

	tree_hex(dir, h1); /* the same tree, the same hash */
	assert_string_equal(h0, h1);

	put(dir, "sub/notas.txt", "hola!"); /* a changed byte */
	tree_hex(dir, h1);
	assert_string_not_equal(h0, h1);
	put(dir, "sub/notas.txt", "hola");
	tree_hex(dir, h1);
	assert_string_equal(h0, h1);

	put(dir, "sub/otra.txt", ""); /* a new empty file */
	tree_hex(dir, h1);
	assert_string_not_equal(h0, h1);
	{
		char *p = xasprintf("%s/otra.txt", sub);
		unlink(p);
		free(p);
	}

	/* Links and .git do not count: a work folder copy leaves them out. */
	assert_int_equal(symlink("/etc/passwd", link), 0);
	put(dir, ".git", "x");
	tree_hex(dir, h1);
	assert_string_equal(h0, h1);

	/* Moving content between files changes the hash. */
	put(dir, "servidor.c", "int main(void) { return 0; }\nhola");
	put(dir, "sub/notas.txt", "");
	tree_hex(dir, h1);
	assert_string_not_equal(h0, h1);

	workdir_remove(dir);
	free(sub);
	free(link);
}

static void test_unreadable(void **state)
{
	struct hash s;

	(void)state;
	hash_init(&s);
	assert_int_equal(hash_tree(&s, "/no/such/folder"), -1);
	assert_int_equal(hash_file(&s, "/no/such/file"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_known_digests),
	        cmocka_unit_test(test_padding_edges),
	        cmocka_unit_test(test_tree_tracks_names_and_contents),
	        cmocka_unit_test(test_unreadable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
