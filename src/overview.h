/* overview.h - plain ./checker: every lesson, how far the learner got, and what comes next. */
#ifndef OVERVIEW_H
#define OVERVIEW_H

#include <stdio.h>

/* Print the table for the tutorial at root; 0, or 2 if there are no lessons. */
int overview_run(const char *root, FILE *out);

#endif
