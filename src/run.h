/* run.h - grade one lesson: copy, build, then every test in its own box. */
#ifndef RUN_H
#define RUN_H

#include <stdint.h>

#include "box.h"
#include "result.h"
#include "spec.h"

/* How the learner's program is watched for memory errors. */
enum instrument {
	INSTRUMENT_NONE,
	INSTRUMENT_ASAN,     /* built with AddressSanitizer and UndefinedBehaviorSanitizer */
	INSTRUMENT_VALGRIND, /* run under valgrind's memcheck */
};

struct run_opts {
	const char *src_dir; /* the folder being graded */
	char **cmd;          /* --cmd split into words, or NULL to build */
	const char *cmd_text;
	uint64_t seed;
	int jobs;         /* boxes at once */
	enum tier tier;   /* resolved, never TIER_AUTO */
	const char *only; /* run only this test id, or NULL */
	enum instrument instrument;
	const char *pcap; /* write the first failing test's traffic here, or NULL */
	/* Called once per test, in spec order, as soon as it is known. */
	void (*on_test)(const struct result *r, size_t i, void *ctx);
	/* Called after the build, before the first test. */
	void (*on_build)(const struct result *r, void *ctx);
	void *ctx;
};

/* A signal handler: the run in progress stops as soon as it can, kills its
 * boxes, marks the tests not yet graded as skipped, and returns. */
void run_stop(int sig);
/* The signal that stopped the run, or 0. */
int run_stopped(void);

/* Fills out. Returns -1 (with err) only if grading could not happen at all. */
int run_lesson(const struct spec *s, const struct run_opts *o, struct result *out, char *err);

#endif
