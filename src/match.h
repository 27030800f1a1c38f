/* match.h - compare what arrived on the wire with what a step expects. */
#ifndef MATCH_H
#define MATCH_H

#include <stddef.h>

enum match {
	MATCH_OK,   /* got begins with want */
	MATCH_MORE, /* got is a strict prefix of want: keep reading */
	MATCH_DIFF, /* got differs from want at *at */
};

/* A stream expectation: the next bytes must be exactly want. */
enum match match_prefix(const char *want, size_t wlen, const char *got, size_t glen, size_t *at);

/* Program output compared line by line; a missing or extra newline at the
 * very end does not count. 1 if equal; else 0 and *line is the first line
 * (from 1) that differs. */
int match_lines(const char *want, const char *got, size_t glen, size_t *line);

/* 1 if want occurs in got[0..glen). */
int match_contains(const char *want, const char *got, size_t glen);

/* 1 if the POSIX extended regex re matches somewhere in text (up to its
 * first NUL), 0 if not, -1 if re does not compile. */
int match_regex(const char *re, const char *text);

/* A regex as a person reads it: its literal text, with ⟨number⟩ for
 * [0-9]+, ⟨some text⟩ for [^[:space:]], … for .* and .+, and … at an end
 * that is not anchored (^, $). NULL when re holds anything else
 * (alternatives, classes, counts): such a regex needs its words in the spec. */
char *match_readable(const char *re);

#endif
