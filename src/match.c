/* match.c - compare what arrived on the wire with what a step expects. */
#include "match.h"

#include <regex.h>
#include <string.h>

enum match match_prefix(const char *want, size_t wlen, const char *got, size_t glen, size_t *at)
{
	size_t n = glen < wlen ? glen : wlen;

	for (size_t i = 0; i < n; i++) {
		if (want[i] != got[i]) {
			if (at)
				*at = i;
			return MATCH_DIFF;
		}
	}
	if (at)
		*at = n;
	return glen >= wlen ? MATCH_OK : MATCH_MORE;
}

/* Length of got without one final newline. */
static size_t trim_final_newline(const char *p, size_t n)
{
	return n > 0 && p[n - 1] == '\n' ? n - 1 : n;
}

int match_lines(const char *want, const char *got, size_t glen, size_t *line)
{
	size_t wlen = trim_final_newline(want, strlen(want));
	size_t i = 0, l = 1;

	glen = trim_final_newline(got, glen);
	for (; i < wlen && i < glen && want[i] == got[i]; i++)
		if (want[i] == '\n')
			l++;
	/* One side ran out at a line's end: the difference is the next line. */
	if ((i < wlen && i == glen && want[i] == '\n') || (i < glen && i == wlen && got[i] == '\n'))
		l++;
	if (line)
		*line = l;
	return i == wlen && i == glen;
}

int match_contains(const char *want, const char *got, size_t glen)
{
	return memmem(got, glen, want, strlen(want)) != NULL;
}

int match_regex(const char *re, const char *text)
{
	regex_t rx;
	int r;

	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB | REG_NEWLINE) != 0)
		return -1;
	r = regexec(&rx, text, 0, NULL, 0) == 0;
	regfree(&rx);
	return r;
}
