/* report.h - render a result for people (streamed) or for programs (JSON). */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include "result.h"

struct report {
	FILE *out;
	int color;
};

/* Colour only on a terminal, never with NO_COLOR or TERM=dumb. */
int report_want_color(FILE *out);

void report_human_header(const struct report *rp, const struct result *r);
void report_human_test(const struct report *rp, const struct test_result *t);
void report_human_summary(const struct report *rp, const struct result *r, const char *rerun);

void report_json(FILE *out, const struct result *r);

#endif
