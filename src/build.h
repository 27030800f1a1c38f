/* build.h - compile the learner's sources with fixed flags. */
#ifndef BUILD_H
#define BUILD_H

#include "box.h"
#include "result.h"
#include "spec.h"
#include "util.h"

/* Where the compiler is looked for, and the PATH it runs with. */
#define BUILD_PATH "/usr/local/bin:/usr/bin:/bin"

/* The compiler's words for spec's sources, with extra flags (NULL-terminated,
 * or NULL) after the fixed ones and the spec's: they win. The compiler ($CHECKER_CC
 * or cc) is found in BUILD_PATH, else in ours, and named by its path; a name
 * found nowhere is left as it is. build_run adds only -fdebug-prefix-map for its
 * folder, which keeps the folder's name out of the program: the same words
 * make the same program wherever they run. Free with build_argv_free. */
char **build_argv(const struct spec *s, const char *const *extra);
void build_argv_free(char **argv);

/* Compile spec's sources found in dir into dir/<output> with build_argv's
 * words. In tiers A and B the compiler runs in a box of tier t, as the
 * tests' programs do (its own uid, no capability, seccomp), where it sees
 * the system and dir (at BOX_WORKDIR) and nothing else: what it can read
 * is what the build cache's key covers, and a source cannot pull a host
 * file into its program or its log. Tier C compiles as we are.
 * Fills br (a compile error is a result, not a failure of this call).
 * Returns 0 when br is what these sources give, whenever and wherever they
 * are built; 1 when it may not be (a source missing, the compiler killed or
 * out of time, a failure not in the sources or while the machine ran out of
 * something); -1 only when the compiler could not be run at all. */
int build_run(const struct spec *s, const char *dir, const char *const *extra, enum tier t,
              struct build_result *br, char *err);

/* Count warnings/errors in compiler output and find the first error. */
void build_scan(const char *log, struct build_result *br);

#endif
