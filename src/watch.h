/* watch.h - grade again every time the learner saves: inotify, or polling where it fails. */
#ifndef WATCH_H
#define WATCH_H

#include <stdio.h>

/* Run once(ctx), then wait until a C source (.c, .h) in dir changes, and
 * again, until Ctrl-C (run_stopped). A terminal is cleared before each run.
 * Returns 128 + the signal that ended it. */
int watch_run(const char *dir, int (*once)(void *ctx), void *ctx, FILE *out);

#endif
