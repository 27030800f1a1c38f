/* report_html.h - the instructor's report on a graded class: one self-contained HTML page. */
#ifndef REPORT_HTML_H
#define REPORT_HTML_H

#include <stdio.h>

#include <cjson/cJSON.h>

/* Render summary (what summary.json holds) as one HTML page in the current
 * language: a sortable score table, charts per lesson, and what went wrong
 * for each student. Nothing is fetched from the network. Any field may be
 * missing or of the wrong type, summary itself too: it shows as "–". */
void report_html(FILE *out, const cJSON *summary);

#endif
