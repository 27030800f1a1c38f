/* overview.c - plain ./checker: every lesson, how far the learner got, and what comes next. */
#include "overview.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "journal.h"
#include "report.h"
#include "spec.h"

#define GREEN "\033[32m"
#define RED   "\033[31m"
#define BOLD  "\033[1m"
#define DIM   "\033[2m"
#define RESET "\033[0m"

enum state { NOT_STARTED, TRIED, PASSED };

static enum state state_of(const struct journal_entry *e)
{
	if (!e || e->tries == 0)
		return NOT_STARTED;
	return e->max > 0 && e->best >= e->max ? PASSED : TRIED;
}

/* Display width of UTF-8 text: one column per character. */
static size_t columns(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void row(FILE *out, int color, const char *id, const char *title,
                const struct journal_entry *e)
{
	static const char *const marks[] = {"·", "✗", "✓"};
	static const char *const colors[] = {DIM, RED, GREEN};
	enum state st = state_of(e);
	size_t w = columns(title);

	fprintf(out, "  %s%s%s %s  %s%*s", color ? colors[st] : "", marks[st], color ? RESET : "",
	        id, title, w < 52 ? (int)(52 - w) : 1, "");
	if (st == NOT_STARTED) {
		fprintf(out, "    –\n");
		return;
	}
	fprintf(out, "%3d/%-3d", e->best, e->max);
	if (st == TRIED) {
		fputs("  ", out);
		fprintf(out, ngettext("(%d try)", "(%d tries)", (unsigned long)e->tries), e->tries);
	}
	fputc('\n', out);
}

static void next_steps(FILE *out, int color, const char *id, const struct spec *sp,
                       const struct journal_entry *e)
{
	int n = atoi(id + 6);

	fprintf(out, "\n%s", color ? BOLD : "");
	/* TRANSLATORS: the lesson to do next: its id and title. */
	fprintf(out, _("Next: %s · %s"), id, sp->title);
	fprintf(out, "%s\n", color ? RESET : "");
	if (state_of(e) == NOT_STARTED)
		fprintf(out, _("  Read lessons/%s/README.md, fill in the TODOs of lessons/%s/%s\n"),
		        id, id, sp->build.sources.n ? sp->build.sources.v[0] : "");
	fprintf(out, _("  Grade it: ./checker %d    Stuck? ./checker pista %d\n"), n, n);
}

static struct spec *load(const char *root, const char *id)
{
	char err[ERR_LEN];
	char *path = xasprintf("%s/lessons/%s/spec.json", root, id);
	struct spec *sp = spec_load(path, err);

	free(path);
	return sp;
}

/* The first lesson not passed yet, with what to do about it; 0 if none. */
static int suggest_next(FILE *out, int color, const char *root, char **ids, const struct journal *j)
{
	for (size_t i = 0; ids[i]; i++) {
		const struct journal_entry *e = journal_find(j, ids[i]);
		struct spec *sp = state_of(e) == PASSED ? NULL : load(root, ids[i]);
		if (sp) {
			next_steps(out, color, ids[i], sp, e);
			spec_free(sp);
			return 1;
		}
	}
	return 0;
}

int overview_run(const char *root, FILE *out)
{
	char **ids = cli_lessons("all", root, NULL);
	struct journal j;
	int color = report_want_color(out);
	size_t n = 0;

	journal_load(&j, root);
	fprintf(out, "%s%s%s\n\n", color ? BOLD : "", _("Your progress in the sockets tutorial"),
	        color ? RESET : "");
	for (size_t i = 0; ids[i]; i++) {
		struct spec *sp = load(root, ids[i]);
		if (!sp)
			continue;
		row(out, color, ids[i], sp->title, journal_find(&j, ids[i]));
		spec_free(sp);
		n++;
	}
	if (n > 0 && !suggest_next(out, color, root, ids, &j))
		fprintf(out, "\n%s\n",
		        _("Every lesson passes. Congratulations: you have finished the "
		          "tutorial!"));
	if (n > 0)
		fprintf(out, "\n%s✓ %s  ✗ %s  · %s%s\n", color ? DIM : "", _("passed"), _("tried"),
		        _("not started"), color ? RESET : "");
	cli_lessons_free(ids);
	journal_free(&j);
	if (n == 0) {
		fprintf(stderr, _("checker: no lessons in %s/lessons\n"), root);
		return 2;
	}
	return 0;
}
