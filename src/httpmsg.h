/* httpmsg.h - the head of an HTTP/1.x message read off a TCP stream, judged by HTTP's rules. */
#ifndef HTTPMSG_H
#define HTTPMSG_H

#include <stddef.h>

#define HTTPMSG_MAX_HEAD (64 * 1024) /* a longer head is refused */

/* A parsed head. start[] is the start line's three parts: method, target and
 * version of a request; version, status code and reason of a response.
 * names/values hold each field line, names as sent, values without the
 * whitespace around them. */
struct httpmsg {
	char *start[3];
	char **names, **values;
	size_t n;
	size_t len; /* bytes of the head, the empty line included */
};

enum { HTTPMSG_MORE = 0, HTTPMSG_OK = 1, HTTPMSG_BAD = -1 };

/* Parse the head at the start of p[0..len). HTTPMSG_MORE while it has not
 * ended; HTTPMSG_BAD with the broken rule in why (translated, static). */
int httpmsg_parse(const char *p, size_t len, int request, struct httpmsg *m, const char **why);

void httpmsg_free(struct httpmsg *m);

/* The value of the only field called name (any case); NULL if there is none,
 * and *count says how many there are. */
const char *httpmsg_field(const struct httpmsg *m, const char *name, size_t *count);

/* Whether a field's value is right: the same (any case), or one element of a
 * comma list, or the same before ";parameters" when want has none
 * ("text/html; charset=utf-8" for "text/html"). */
int httpmsg_value_matches(const char *got, const char *want);

#endif
