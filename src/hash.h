/* hash.h - SHA-256 of bytes, files and folder trees: the keys of what was already done. */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_HEX_LEN 65 /* 64 hex digits and a NUL */

struct hash {
	uint32_t h[8];
	uint64_t len; /* bytes so far */
	unsigned char block[64];
	size_t used; /* bytes waiting in block */
};

void hash_init(struct hash *s);
void hash_bytes(struct hash *s, const void *p, size_t n);
/* A string and its terminating NUL, so "ab"+"c" and "a"+"bc" differ. */
void hash_str(struct hash *s, const char *str);
/* Finish; the hash must be initialised again before more use. */
void hash_hex(struct hash *s, char out[HASH_HEX_LEN]);

/* The contents of a file; -1 if it cannot be read. */
int hash_file(struct hash *s, const char *path);

/* Every regular file below dir, a few levels deep, by name and content, in
 * byte order of names; links are never followed and .git is left out: the
 * same files a work folder copy takes. -1 if dir cannot be read. */
int hash_tree(struct hash *s, const char *dir);

#endif
