/* match.c - compare what arrived on the wire with what a step expects. */
#include "match.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

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

/* The placeholders a readable regex may hold, and what each stands for. */
static const struct {
	const char *re;
	const char *words;
} placeholders[] = {
        {"[0-9]+", N_("⟨number⟩")},
        {"[^[:space:]]", N_("⟨some text⟩")},
        {".*", "…"},
        {".+", "…"},
};

/* The placeholder re starts with, or -1. */
static int placeholder_at(const char *re)
{
	for (size_t i = 0; i < sizeof(placeholders) / sizeof(placeholders[0]); i++)
		if (strncmp(re, placeholders[i].re, strlen(placeholders[i].re)) == 0)
			return (int)i;
	return -1;
}

char *match_readable(const char *re)
{
	size_t n = strlen(re), end = n;
	int head = n && re[0] == '^', tail = 0;
	struct buf b = {0};
	char *text;

	if (strcmp(re, "[^[:space:]]") == 0) /* anything that is not blank */
		return xstrdup(_("⟨some text⟩"));
	if (n >= 2 && re[n - 1] == '$' && re[n - 2] != '\\') {
		tail = 1;
		end--;
	}
	for (size_t i = head; i < end;) {
		int k = placeholder_at(re + i);
		if (k >= 0) {
			buf_puts(&b, _(placeholders[k].words));
			i += strlen(placeholders[k].re);
		} else if (re[i] == '\\' && i + 1 < end && strchr(".()[]{}*+?|^$\\", re[i + 1])) {
			buf_append(&b, re + i + 1, 1);
			i += 2;
		} else if (strchr(".()[]{}*+?|^$\\", re[i])) {
			buf_free(&b);
			return NULL;
		} else {
			buf_append(&b, re + i, 1);
			i++;
		}
	}
	/* Unanchored, the text may have more around it. */
	text = xasprintf("%s%s%s", head ? "" : "…", b.data ? b.data : "", tail ? "" : "…");
	buf_free(&b);
	return text;
}
