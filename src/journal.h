/* journal.h - the learner's progress: a plain-text file in the tutorial folder. */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <stddef.h>

#define JOURNAL_FILE ".checker-progreso"

struct journal_entry {
	char lesson[32];
	int best;      /* best score so far */
	int max;       /* the lesson's maximum when it was graded */
	int tries;     /* whole gradings of the learner's own folder */
	int hints;     /* hints revealed with ./checker pista */
	char last[32]; /* when it was last graded or hinted, UTC, ISO 8601 */
};

struct journal {
	struct journal_entry *e;
	size_t n;
};

/* Read root/.checker-progreso; a missing file is an empty journal, a line
 * that does not parse is skipped (never an error: it is only progress). */
void journal_load(struct journal *j, const char *root);

/* The entry for lesson, added (zeroed) if there is none. */
struct journal_entry *journal_get(struct journal *j, const char *lesson);

/* Find without adding; NULL if the lesson was never tried. */
const struct journal_entry *journal_find(const struct journal *j, const char *lesson);

/* A whole grading of the learner's folder scored score of max. */
void journal_graded(struct journal *j, const char *lesson, int score, int max);

/* Write it back whole (a temporary file, then rename); -1 if it cannot. */
int journal_save(const struct journal *j, const char *root);

void journal_free(struct journal *j);

#endif
