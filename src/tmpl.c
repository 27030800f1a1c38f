/* tmpl.c - "{palabra}"-style templates filled from a seeded generator. */
#include "tmpl.h"

#include "i18n.h"

#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 64

/* Words with accents, ñ and ü so that UTF-8 handling is always exercised. */
static const char *const words[] = {
        "árbol",  "canción", "niño",   "pingüino", "corazón",  "café",     "montaña", "limón",
        "jamón",  "ratón",   "búho",   "camión",   "azúcar",   "cigüeña",  "señal",   "pájaro",
        "música", "océano",  "volcán", "lápiz",    "teléfono", "guitarra", "sol",     "luna",
        "mesa",   "perro",   "gato",   "ventana",  "río",      "nube",
};
#define N_WORDS (sizeof(words) / sizeof(words[0]))

static const char *const symbols[] = {
        "¿", "¡", "€", "→", "✓", "日本", "🦜", "☕", "ß", "Ω", "ç", "ø",
};
#define N_SYMBOLS (sizeof(symbols) / sizeof(symbols[0]))

typedef void (*gen_fn)(struct rng *, struct buf *);

static void gen_palabra(struct rng *r, struct buf *out)
{
	buf_printf(out, "%s%u", words[rng_below(r, N_WORDS)], 10 + rng_below(r, 990));
}

/* Four words at least, so a phrase is always longer than 16 bytes: a reply
 * cut to a fixed small size fails every test that sends one. */
static void gen_frase(struct rng *r, struct buf *out)
{
	uint32_t n = 4 + rng_below(r, 4);

	buf_puts(out, "¿");
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			buf_puts(out, " ");
		buf_puts(out, words[rng_below(r, N_WORDS)]);
	}
	buf_printf(out, " %u?", rng_below(r, 1000));
}

static void gen_utf8(struct rng *r, struct buf *out)
{
	uint32_t n = 3 + rng_below(r, 4);

	for (uint32_t i = 0; i < n; i++) {
		if (i)
			buf_puts(out, " ");
		buf_puts(out, symbols[rng_below(r, N_SYMBOLS)]);
		buf_puts(out, words[rng_below(r, N_WORDS)]);
	}
}

/* About 256 KiB of phrases: a server answers it with many send() calls,
 * more than a connection that is not read can take in (see net.h). */
static void gen_bloque(struct rng *r, struct buf *out)
{
	while (out->len < 256 * 1024) {
		gen_frase(r, out);
		buf_puts(out, " ");
	}
}

/* About 128 KiB of phrases: a server answers it with more than a narrow
 * connection that is not read takes in, yet what it has not read by then,
 * and a FIN after it, fit in its receive buffer (lesson03's cliente_se_va). */
static void gen_medio(struct rng *r, struct buf *out)
{
	while (out->len < 128 * 1024) {
		gen_frase(r, out);
		buf_puts(out, " ");
	}
}

/* 8 to 9 KiB of phrases: one datagram far larger than the 1024 bytes a
 * small receive buffer takes, and still well within what UDP carries. */
static void gen_grande(struct rng *r, struct buf *out)
{
	while (out->len < 8 * 1024) {
		gen_frase(r, out);
		buf_puts(out, " ");
	}
}

/* About 256 KiB of phrases, one per line (each line ends with '\n'): more
 * than a client that never reads can take in (see net.h). */
static void gen_lineas(struct rng *r, struct buf *out)
{
	while (out->len < 256 * 1024) {
		gen_frase(r, out);
		buf_puts(out, "\n");
	}
}

/* About 70 KiB of arbitrary bytes, NULs among them: binary data that must
 * pass through unchanged, and that ends early for any string function. */
static void gen_binario(struct rng *r, struct buf *out)
{
	while (out->len < 70 * 1024) {
		unsigned char c = (unsigned char)rng_below(r, 256);
		buf_append(out, &c, 1);
	}
}

/* 4 KiB of arbitrary bytes, NULs among them: binary data that fits in one
 * datagram. */
static void gen_bytes(struct rng *r, struct buf *out)
{
	while (out->len < 4 * 1024) {
		unsigned char c = (unsigned char)rng_below(r, 256);
		buf_append(out, &c, 1);
	}
}

static void gen_numero(struct rng *r, struct buf *out)
{
	buf_printf(out, "%u", rng_below(r, 100000));
}

static const struct {
	const char *name;
	gen_fn fn;
} generators[] = {
        {"palabra", gen_palabra}, {"frase", gen_frase},   {"utf8", gen_utf8},
        {"numero", gen_numero},   {"bloque", gen_bloque}, {"binario", gen_binario},
        {"grande", gen_grande},   {"lineas", gen_lineas}, {"medio", gen_medio},
        {"bytes", gen_bytes},
};
#define N_GENERATORS (sizeof(generators) / sizeof(generators[0]))

/* Names the runner sets before a test starts. */
static const char *const fixed[] = {"port", "port_alt", NULL};

/* {palabra}, {palabra2}, {palabra_c7} all draw from "palabra". */
static gen_fn find_generator(const char *name)
{
	for (size_t i = 0; i < N_GENERATORS; i++) {
		size_t n = strlen(generators[i].name);
		if (strncmp(name, generators[i].name, n) != 0)
			continue;
		if (name[n] == '\0' || name[n] == '_' || (name[n] >= '0' && name[n] <= '9'))
			return generators[i].fn;
	}
	return NULL;
}

/* {recibidos_s1}: the bytes connection s1 received, in all, set once a
 * closed step saw its end. */
#define RECEIVED_PREFIX "recibidos_"

static int is_fixed(const char *name)
{
	for (size_t i = 0; fixed[i]; i++)
		if (strcmp(fixed[i], name) == 0)
			return 1;
	return strncmp(name, RECEIVED_PREFIX, strlen(RECEIVED_PREFIX)) == 0 &&
	       name[strlen(RECEIVED_PREFIX)];
}

void tmpl_init(struct tmpl_vars *v, struct rng *rng)
{
	memset(v, 0, sizeof(*v));
	v->rng = rng;
}

void tmpl_free(struct tmpl_vars *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->names[i]);
		free(v->values[i]);
	}
	free(v->names);
	free(v->values);
	free(v->lens);
	strmap_free(&v->index);
	memset(v, 0, sizeof(*v));
}

static ssize_t find_var(const struct tmpl_vars *v, const char *name)
{
	size_t i;

	return strmap_get(&v->index, name, &i) ? (ssize_t)i : -1;
}

static void set_bytes(struct tmpl_vars *v, const char *name, const char *value, size_t len)
{
	ssize_t i = find_var(v, name);
	char *copy = xmalloc(len + 1);

	memcpy(copy, value, len);
	copy[len] = '\0';
	if (i < 0) {
		if (v->n == v->cap) {
			v->cap = v->cap ? 2 * v->cap : 16;
			v->names = xrealloc(v->names, v->cap * sizeof(char *));
			v->values = xrealloc(v->values, v->cap * sizeof(char *));
			v->lens = xrealloc(v->lens, v->cap * sizeof(size_t));
		}
		i = (ssize_t)v->n++;
		v->names[i] = xstrdup(name);
		v->values[i] = NULL;
		strmap_put(&v->index, v->names[i], (size_t)i);
	}
	free(v->values[i]);
	v->values[i] = copy;
	v->lens[i] = len;
}

void tmpl_set(struct tmpl_vars *v, const char *name, const char *value)
{
	set_bytes(v, name, value, strlen(value));
}

#define MAX_REDRAWS 1000 /* a generator with few values may give up on being new */

/* 1 if some variable already holds these bytes. */
static int taken(const struct tmpl_vars *v, const char *p, size_t len)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->lens[i] == len && memcmp(v->values[i], p, len) == 0)
			return 1;
	return 0;
}

const char *tmpl_get(struct tmpl_vars *v, const char *name, char *err)
{
	ssize_t i = find_var(v, name);
	gen_fn gen;
	struct buf b = {0};

	if (i >= 0)
		return v->values[i];
	gen = find_generator(name);
	if (!gen || !v->rng) {
		errf(err, _("unknown template variable {%s}"), name);
		return NULL;
	}
	/* Values are distinct within a test: two clients drawing the same
	 * nickname would make a correct chat server refuse one of them. */
	for (int tries = 0; tries < MAX_REDRAWS; tries++) {
		b.len = 0;
		gen(v->rng, &b);
		if (!taken(v, b.data ? b.data : "", b.len))
			break;
	}
	set_bytes(v, name, b.data ? b.data : "", b.len);
	buf_free(&b);
	return v->values[v->n - 1];
}

/* Walk in, calling visit for each {name}; copy literal text to out if any. */
static int walk(const char *in, struct buf *out, char *err,
                int (*visit)(const char *name, struct buf *out, void *ctx, char *err), void *ctx)
{
	const char *p = in;

	while (*p) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			if (out)
				buf_append(out, p, 1);
			p += 2;
		} else if (*p == '}') {
			errf(err, _("unmatched '}' at offset %zu (write '}}' for a literal brace)"),
			     (size_t)(p - in));
			return -1;
		} else if (*p == '{') {
			const char *end = strchr(p, '}');
			char name[NAME_MAX_LEN];
			size_t n;

			if (!end) {
				errf(err, _("unclosed '{' at offset %zu"), (size_t)(p - in));
				return -1;
			}
			n = (size_t)(end - p - 1);
			if (n == 0 || n >= sizeof(name) || strcspn(p + 1, "{ ") < n) {
				errf(err, _("bad variable name at offset %zu"), (size_t)(p - in));
				return -1;
			}
			memcpy(name, p + 1, n);
			name[n] = '\0';
			if (visit(name, out, ctx, err) < 0)
				return -1;
			p = end + 1;
		} else {
			if (out)
				buf_append(out, p, 1);
			p++;
		}
	}
	return 0;
}

static int visit_expand(const char *name, struct buf *out, void *ctx, char *err)
{
	struct tmpl_vars *v = ctx;
	const char *value = tmpl_get(v, name, err);

	if (!value)
		return -1;
	buf_append(out, value, v->lens[find_var(v, name)]);
	return 0;
}

int tmpl_expand(struct tmpl_vars *v, const char *in, struct buf *out, char *err)
{
	return walk(in, out, err, visit_expand, v);
}

char *tmpl_expand_dup(struct tmpl_vars *v, const char *in, char *err)
{
	struct buf b = {0};

	if (tmpl_expand(v, in, &b, err) < 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static int visit_check(const char *name, struct buf *out, void *ctx, char *err)
{
	(void)out;
	(void)ctx;
	if (find_generator(name) || is_fixed(name))
		return 0;
	errf(err,
	     _("unknown template variable {%s} (known: palabra, frase, utf8, numero, grande, "
	       "lineas, bloque, medio, binario, bytes, port, port_alt, each with an optional "
	       "suffix such as {palabra2}; and recibidos_CONN, set by a closed step)"),
	     name);
	return -1;
}

int tmpl_check(const char *in, char *err)
{
	return walk(in, NULL, err, visit_check, NULL);
}

char *tmpl_subst(const char *in, const char *name, const char *value)
{
	struct buf b = {0};
	char *pattern = xasprintf("{%s}", name);
	size_t plen = strlen(pattern);
	const char *p = in;

	while (*p) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			buf_append(&b, p, 2); /* an escaped brace stays as it is */
			p += 2;
		} else if (strncmp(p, pattern, plen) == 0) {
			buf_puts(&b, value);
			p += plen;
		} else {
			buf_append(&b, p++, 1);
		}
	}
	free(pattern);
	return buf_steal(&b);
}
