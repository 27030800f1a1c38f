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

#endif
