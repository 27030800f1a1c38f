/* summary.h - a graded class as one JSON document, and its CSV for spreadsheets and LMSs. */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "spec.h"

/* An empty summary for these lessons (title, points, tests of each). */
cJSON *summary_new(const struct spec *const *lessons, size_t n, const char *generated,
                   const uint64_t *seed);

/* A student's row; lessons are added to it with summary_lesson. */
cJSON *summary_student(cJSON *summary, const char *student, const char *entry);

/* One lesson of a student from its result file's JSON (the result contract):
 * status, score, seed, build and, for each test, what a report shows. file is
 * the result file's path relative to the output folder. */
void summary_lesson(cJSON *student, const cJSON *result, const char *file);

/* A lesson with no result: status is "missing" (nothing submitted for it),
 * "broken" (the submission could not be read) or "pending" (not graded yet);
 * max_score from the spec, score 0, why in message. */
void summary_lesson_absent(cJSON *student, const struct spec *lesson, const char *status,
                           const char *message);

/* Add up each student's score and maximum, and the class's maximum. */
void summary_finish(cJSON *summary);

/* One row per student: name, one column per lesson, total and maximum.
 * UTF-8 with a byte order mark and CRLF lines (RFC 4180), so Excel and
 * LibreOffice open it as it is; a cell holding ',', ';', '"', CR or LF is
 * quoted, and one that a spreadsheet would run as a formula (starting with
 * =, +, -, @, tab or CR) is quoted with a leading apostrophe. */
void summary_csv(FILE *out, const cJSON *summary);

#endif
