/* hints.c - ./checker pista: a lesson's hints, one more each time. */
#include "hints.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "journal.h"
#include "report.h"
#include "util.h"

#define BOLD   "\033[1m"
#define YELLOW "\033[33m"
#define DIM    "\033[2m"
#define RESET  "\033[0m"

/* The body lines up to the next "## ", blank lines at both ends trimmed. */
static char *body_until_next(const char **p)
{
	const char *start = *p, *end = *p;

	while (*end && strncmp(end, "## ", 3) != 0) {
		const char *nl = strchr(end, '\n');
		end = nl ? nl + 1 : end + strlen(end);
	}
	*p = end;
	while (start < end && (*start == '\n' || *start == '\r'))
		start++;
	while (end > start && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	return xstrndup(start, (size_t)(end - start));
}

static char *line_rest(const char **p, size_t skip)
{
	const char *s = *p + skip, *nl = strchr(s, '\n');
	size_t len = nl ? (size_t)(nl - s) : strlen(s);

	*p = nl ? nl + 1 : s + len;
	while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == ' '))
		len--;
	return xstrndup(s, len);
}

size_t hints_parse(const char *text, struct hints *out)
{
	const char *p = text;

	memset(out, 0, sizeof(*out));
	while (*p && strncmp(p, "## ", 3) != 0) {
		if (!out->heading && strncmp(p, "# ", 2) == 0) {
			out->heading = line_rest(&p, 2);
			continue;
		}
		p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p);
	}
	while (*p) {
		struct hint h;
		h.title = line_rest(&p, 3);
		h.body = body_until_next(&p);
		out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		out->v[out->n++] = h;
	}
	return out->n;
}

void hints_free(struct hints *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->v[i].title);
		free(h->v[i].body);
	}
	free(h->v);
	free(h->heading);
	memset(h, 0, sizeof(*h));
}

static void show(FILE *out, int color, const struct hints *h, size_t k, int again)
{
	fprintf(out, "%s", color ? BOLD YELLOW : "");
	/* TRANSLATORS: "Hint 2 of 6 · <its title>". */
	fprintf(out, _("Hint %zu of %zu · %s"), k + 1, h->n, h->v[k].title);
	fprintf(out, "%s\n\n%s\n\n", color ? RESET : "", h->v[k].body);
	fprintf(out, "%s", color ? DIM : "");
	if (again)
		fprintf(out, "%s",
		        _("That was the last one: you have seen every hint. The lesson's "
		          "README.md explains the rest in detail."));
	else if (k + 1 < h->n)
		fprintf(out,
		        ngettext("%zu more left: run the same command again for the next one.",
		                 "%zu more left: run the same command again for the next one.",
		                 h->n - k - 1),
		        h->n - k - 1);
	else
		fprintf(out, "%s", _("That was the last hint."));
	fprintf(out, "%s\n", color ? RESET : "");
}

int hints_run(const char *root, const char *lesson, FILE *out)
{
	char *path = xasprintf("%s/lessons/%s/%s", root, lesson, HINTS_FILE);
	char *text = read_file(path, NULL);
	struct hints h;
	struct journal j;
	struct journal_entry *e;
	size_t k;

	if (!text || hints_parse(text, &h) == 0) {
		fprintf(stderr, _("checker: %s has no hints (%s)\n"), lesson, path);
		if (text)
			hints_free(&h);
		free(text);
		free(path);
		return 2;
	}
	journal_load(&j, root);
	e = journal_get(&j, lesson);
	k = (size_t)e->hints < h.n ? (size_t)e->hints : h.n - 1;
	show(out, report_want_color(out), &h, k, (size_t)e->hints >= h.n);
	if ((size_t)e->hints < h.n)
		e->hints++;
	if (journal_save(&j, root) < 0)
		fprintf(stderr, _("checker: cannot save your progress in %s/%s\n"), root,
		        JOURNAL_FILE);
	journal_free(&j);
	hints_free(&h);
	free(text);
	free(path);
	return 0;
}
