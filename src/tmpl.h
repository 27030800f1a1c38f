/* tmpl.h - "{palabra}"-style templates filled from a seeded generator. */
#ifndef TMPL_H
#define TMPL_H

#include <stddef.h>

#include "rng.h"
#include "strmap.h"
#include "util.h"

/* A test's variables: the first use of {palabra2} draws a value, later
 * uses repeat it, so a step can send what another step expects. */
struct tmpl_vars {
	struct rng *rng;
	size_t n;
	size_t cap;
	char **names;
	char **values;       /* each followed by a NUL; {binario} may hold NULs too */
	size_t *lens;        /* bytes of each value */
	struct strmap index; /* name -> its position in names */
};

void tmpl_init(struct tmpl_vars *v, struct rng *rng);
void tmpl_free(struct tmpl_vars *v);
void tmpl_set(struct tmpl_vars *v, const char *name, const char *value);
/* The value of name, drawn on first use; NULL (and err) if unknown. */
const char *tmpl_get(struct tmpl_vars *v, const char *name, char *err);

/* Expand every {name} of in into out; "{{" and "}}" stand for braces.
 * out->len counts every byte: a value may hold NULs. */
int tmpl_expand(struct tmpl_vars *v, const char *in, struct buf *out, char *err);
char *tmpl_expand_dup(struct tmpl_vars *v, const char *in, char *err);

/* Syntax and names check, for the spec loader. */
int tmpl_check(const char *in, char *err);

/* Replace every "{name}" of in by value, leaving other text alone (used to
 * unroll "for" loops before the test runs). */
char *tmpl_subst(const char *in, const char *name, const char *value);

#endif
