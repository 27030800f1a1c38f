/* strmap.c - an index from strings to numbers, for names looked up often. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* FNV-1a: the names come from specs, not from an adversary. */
static size_t hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return (size_t)h;
}

/* Where key is, or the empty slot it would take. */
static size_t slot(const struct strmap *m, const char *key)
{
	size_t mask = m->cap - 1, k = hash(key) & mask;

	while (m->keys[k] && strcmp(m->keys[k], key) != 0)
		k = (k + 1) & mask;
	return k;
}

static void grow(struct strmap *m)
{
	struct strmap bigger = {0};

	bigger.cap = m->cap ? 2 * m->cap : 64;
	bigger.keys = xcalloc(bigger.cap, sizeof(*bigger.keys));
	bigger.vals = xcalloc(bigger.cap, sizeof(*bigger.vals));
	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i]) {
			size_t k = slot(&bigger, m->keys[i]);
			bigger.keys[k] = m->keys[i];
			bigger.vals[k] = m->vals[i];
		}
	}
	bigger.n = m->n;
	strmap_free(m);
	*m = bigger;
}

void strmap_put(struct strmap *m, const char *key, size_t val)
{
	size_t k;

	if (2 * (m->n + 1) > m->cap)
		grow(m);
	k = slot(m, key);
	if (!m->keys[k]) {
		m->keys[k] = key;
		m->n++;
	}
	m->vals[k] = val;
}

int strmap_get(const struct strmap *m, const char *key, size_t *val)
{
	size_t k;

	if (!m->cap)
		return 0;
	k = slot(m, key);
	if (!m->keys[k])
		return 0;
	*val = m->vals[k];
	return 1;
}

void strmap_free(struct strmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
