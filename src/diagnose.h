/* diagnose.h - explain a sanitizer's or valgrind's report to a beginner. */
#ifndef DIAGNOSE_H
#define DIAGNOSE_H

#include <stddef.h>

/* What AddressSanitizer, UndefinedBehaviorSanitizer, LeakSanitizer or
 * valgrind's memcheck wrote in text (a program's stderr: mixed with its own
 * output, maybe cut short), explained in the chosen language: the kind of
 * error in plain words, read or write and how many bytes, and where in the
 * learner's code (file:line, function and the line itself, read from srcdir),
 * with where the block was reserved and freed when the report says. Only
 * files named in sources (NULL-terminated, as the spec names them) count as
 * the learner's code. NULL when text holds no report. */
char *diagnose(const char *text, const char *srcdir, char *const *sources);

#define DIAG_ERROR     1 /* a memory error or undefined behaviour */
#define DIAG_NO_MEMORY 2 /* the program used up the memory it may use */

/* DIAG_ERROR or DIAG_NO_MEMORY as text reports; 0 if it reports nothing,
 * or only memory leaks. */
int diagnose_has_error(const char *text);

/* Remove the reports' lines from text[0..len), in place, leaving what the
 * program itself wrote (for comparing its stderr); returns the new length. */
size_t diagnose_strip(char *text, size_t len);

#endif
