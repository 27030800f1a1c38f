/* journal.c - the learner's progress: a plain-text file in the tutorial folder.
 *
 * One line per lesson, fields separated by spaces, so a person can read it
 * and delete it to start afresh:
 *
 *     lesson03 14 20 5 2 2026-11-29T23:50:00Z
 *
 * lesson, best score, maximum, gradings, hints seen, last time. */
#include "journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "util.h"

static void stamp(char *out, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void journal_load(struct journal *j, const char *root)
{
	char *path = xasprintf("%s/%s", root, JOURNAL_FILE);
	FILE *f = fopen(path, "re");
	char line[256];

	memset(j, 0, sizeof(*j));
	free(path);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		struct journal_entry e = {0};
		if (line[0] == '#' ||
		    sscanf(line, "%31s %d %d %d %d %31s", e.lesson, &e.best, &e.max, &e.tries,
		           &e.hints, e.last) < 5 ||
		    strncmp(e.lesson, "lesson", 6) != 0 || e.best < 0 || e.max < 0 || e.tries < 0 ||
		    e.hints < 0 || journal_find(j, e.lesson))
			continue;
		*journal_get(j, e.lesson) = e;
	}
	fclose(f);
}

const struct journal_entry *journal_find(const struct journal *j, const char *lesson)
{
	for (size_t i = 0; i < j->n; i++)
		if (strcmp(j->e[i].lesson, lesson) == 0)
			return &j->e[i];
	return NULL;
}

struct journal_entry *journal_get(struct journal *j, const char *lesson)
{
	struct journal_entry *e = (struct journal_entry *)journal_find(j, lesson);

	if (e)
		return e;
	j->e = xrealloc(j->e, (j->n + 1) * sizeof(*j->e));
	e = &j->e[j->n++];
	memset(e, 0, sizeof(*e));
	snprintf(e->lesson, sizeof(e->lesson), "%s", lesson);
	stamp(e->last, sizeof(e->last));
	return e;
}

void journal_graded(struct journal *j, const char *lesson, int score, int max)
{
	struct journal_entry *e = journal_get(j, lesson);

	if (e->max != max) /* the lesson changed: what counts is the new maximum */
		e->best = 0;
	e->max = max;
	if (score > e->best)
		e->best = score;
	e->tries++;
	stamp(e->last, sizeof(e->last));
}

static int by_lesson(const void *a, const void *b)
{
	return strcmp(((const struct journal_entry *)a)->lesson,
	              ((const struct journal_entry *)b)->lesson);
}

static void fill(FILE *f, const void *arg)
{
	const struct journal *j = arg;

	/* TRANSLATORS: the first line of the progress file; keep the leading "# ". */
	fprintf(f, "%s\n",
	        _("# Your progress in the sockets tutorial, kept by ./checker. Delete "
	          "this file to start afresh."));
	fprintf(f, "# lesson best max tries hints last\n");
	for (size_t i = 0; i < j->n; i++)
		fprintf(f, "%s %d %d %d %d %s\n", j->e[i].lesson, j->e[i].best, j->e[i].max,
		        j->e[i].tries, j->e[i].hints, j->e[i].last);
}

int journal_save(const struct journal *j, const char *root)
{
	char *path = xasprintf("%s/%s", root, JOURNAL_FILE);
	int rc;

	if (j->n)
		qsort(j->e, j->n, sizeof(*j->e), by_lesson);
	rc = write_file_atomic(path, fill, j);
	free(path);
	return rc;
}

void journal_free(struct journal *j)
{
	free(j->e);
	j->e = NULL;
	j->n = 0;
}
