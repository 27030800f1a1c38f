/* hints.h - ./checker pista: a lesson's hints, one more each time. */
#ifndef HINTS_H
#define HINTS_H

#include <stddef.h>
#include <stdio.h>

#define HINTS_FILE "pistas.md"

struct hint {
	char *title;
	char *body;
};

struct hints {
	char *heading; /* the file's "# " line, without the mark */
	struct hint *v;
	size_t n;
};

/* Parse a hints file's text: "# heading", then "## title" + body per hint.
 * Returns the number of hints (0 if the text has none). */
size_t hints_parse(const char *text, struct hints *out);
void hints_free(struct hints *h);

/* Show the next hint of lesson (all seen: the last again) and remember it
 * in the progress file. 0, or 2 if the lesson has no hints file. */
int hints_run(const char *root, const char *lesson, FILE *out);

#endif
