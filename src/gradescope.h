/* gradescope.h - ./checker gradescope: grade one submission inside Gradescope's autograder. */
#ifndef GRADESCOPE_H
#define GRADESCOPE_H

#include "cli.h"

/* Grade root/submission on c->lessons and write root/results/results.json,
 * rewritten whole after each lesson so a time-out still leaves the lessons
 * graded so far. root is c->root, or /autograder. Returns 0 when the
 * results were written (whatever the scores), 2 if they could not be. */
int gradescope_run(const struct cli *c, const char *checkout);

#endif
