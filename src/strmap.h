/* strmap.h - an index from strings to numbers, for names looked up often. */
#ifndef STRMAP_H
#define STRMAP_H

#include <stddef.h>

/* Open addressing; the keys are the caller's strings, which must outlive
 * the map. Zeroed, it is an empty map. */
struct strmap {
	const char **keys;
	size_t *vals;
	size_t cap; /* a power of two, at least twice n; 0 before the first put */
	size_t n;
};

/* Map key to val, replacing what it mapped to. */
void strmap_put(struct strmap *m, const char *key, size_t val);

/* 1 and *val if key is mapped, else 0. */
int strmap_get(const struct strmap *m, const char *key, size_t *val);

void strmap_free(struct strmap *m);

#endif
