/* build.h - compile the learner's sources with fixed flags. */
#ifndef BUILD_H
#define BUILD_H

#include "result.h"
#include "spec.h"
#include "util.h"

/* Compile spec's sources found in dir into dir/<output>, with extra flags
 * (NULL-terminated, or NULL) after the fixed ones and the spec's: they win.
 * Fills br (a compile error is a result, not a failure of this call).
 * Returns -1 only when the compiler could not be run at all. */
int build_run(const struct spec *s, const char *dir, const char *const *extra,
              struct build_result *br, char *err);

/* Count warnings/errors in compiler output and find the first error. */
void build_scan(const char *log, struct build_result *br);

#endif
