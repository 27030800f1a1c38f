/* grade.h - a whole class at once: every submission, every lesson, N at a time, resumable. */
#ifndef GRADE_H
#define GRADE_H

#include <stdint.h>

#include "box.h"

struct grade_opts {
	const char
	        *root; /* the checkout: lessons come from root/lessons, never from a submission */
	const char *subs;    /* one entry per student: a folder or an archive */
	const char *out;     /* where results and reports go */
	const char *lessons; /* "lesson03,lesson05", "all", or NULL: those the submissions hold */
	int jobs;            /* gradings at once */
	int has_seed;        /* seeds derived from seed, student and lesson; else fresh ones */
	uint64_t seed;
	int force;      /* grade again what has not changed */
	enum tier tier; /* resolved */
	const char *lang;
	int junit; /* also out/junit.xml */
};

/* Grade the class; progress on stderr, a short account on stdout. Returns
 * the exit status: 0 every submission graded (or explained: missing,
 * unreadable), 1 the checker failed on some of them, 2 nothing could be
 * done, 128+N interrupted by signal N (what was graded is kept). */
int grade_class(const struct grade_opts *o);

#endif
