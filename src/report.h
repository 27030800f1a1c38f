/* report.h - render a result for people (streamed), for programs (JSON) and for graders. */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include "result.h"

struct report {
	FILE *out;
	int color;
	int verbose; /* whole transcripts, passing tests' too, and nothing cut */
};

/* Colour only on a terminal, never with NO_COLOR or TERM=dumb. */
int report_want_color(FILE *out);

void report_human_header(const struct report *rp, const struct result *r);
void report_human_test(const struct report *rp, const struct test_result *t);
void report_human_summary(const struct report *rp, const struct result *r, const char *rerun);

void report_json(FILE *out, const struct result *r);

/* JUnit XML: one <testsuite> per result, named suite_names[i] (or its lesson). */
void report_junit(FILE *out, const struct result *const *rs, const char *const *suite_names,
                  size_t n);
/* TAP version 14: one test point per test, YAML diagnostics for failures. */
void report_tap(FILE *out, const struct result *r);
/* Gradescope's results.json for one submission graded on n lessons. */
void report_gradescope(FILE *out, const struct result *const *rs, size_t n,
                       double execution_time_s);
/* GitHub Classroom's runner result (raw JSON; the workflow base64-encodes it). */
void report_github(FILE *out, const struct result *r);

/* A test that did not pass in plain text: message, both sides, hint and how
 * to see it by hand; the grading formats share it. Never NULL. */
char *report_test_text(const struct test_result *t);
/* A failed build in plain text: what happened, the first error, the log. */
char *report_build_text(const struct build_result *b);

#endif
