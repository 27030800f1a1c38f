/* recipe.h - --repro: a failed test's replay as a Python script the learner runs.
 *
 * The script is share/repro/player.py followed by the test's steps
 * (replay.h); payloads too long to read in a source file go beside it. */
#ifndef RECIPE_H
#define RECIPE_H

#include "result.h"
#include "spec.h"

/* Write dir/TEST.py (and dir/TEST-N.bin) for test t of lesson s, graded
 * with seed. player is the path of player.py. 0, or -1 with err (a test
 * whose replay was not kept: "over"). */
int recipe_write(const char *dir, const char *player, const struct spec *s,
                 const struct test_result *t, unsigned long long seed, char *err);

#endif
