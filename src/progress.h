/* progress.h - how far a batch has gone: a bar on a terminal, a line per grading otherwise. */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PROGRESS_TICK_MS 1000 /* the bar's clock is redrawn this often */

struct progress {
	FILE *out;
	int tty;       /* redraw one line in place */
	size_t total;  /* gradings to make */
	size_t done;   /* made so far */
	size_t failed; /* of those, not at full marks */
	int64_t t0;
};

void progress_start(struct progress *p, FILE *out, int tty, size_t total);
/* A grading ended: status "pass", "fail" or "error", and its score. */
void progress_step(struct progress *p, const char *student, const char *lesson, const char *status,
                   double score, double max);
/* Redraw the bar (the time left changes even when nothing ends). */
void progress_draw(struct progress *p);
/* Clear the bar. */
void progress_end(struct progress *p);
/* "1 min 5 s" since the start, into out. */
void progress_elapsed(const struct progress *p, char *out, size_t len);

#endif
