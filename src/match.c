/* match.c - compare what arrived on the wire with what a step expects. */
#include "match.h"

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
