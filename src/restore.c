/* restore.c - ./checker reiniciar: the lesson's starter back, the learner's work kept aside. */
#include "restore.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "i18n.h"
#include "spec.h"
#include "util.h"

struct bytes {
	const char *data;
	size_t len;
};

static void fill_bytes(FILE *f, const void *arg)
{
	const struct bytes *b = arg;

	fwrite(b->data, 1, b->len, f);
}

/* "s", "sí", "si", "y", "yes", any case. */
static int said_yes(FILE *in)
{
	char line[64];
	size_t n;

	if (!fgets(line, sizeof(line), in))
		return 0;
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	return strcasecmp(line, "s") == 0 || strcasecmp(line, "si") == 0 ||
	       strcmp(line, "sí") == 0 || strcmp(line, "Sí") == 0 || strcmp(line, "SÍ") == 0 ||
	       strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0;
}

/* The sources the learner changed: NULL-terminated, relative to the lesson. */
static char **changed_sources(const char *dir, const struct spec *sp, char *err)
{
	char **v = xcalloc(sp->build.sources.n + 1, sizeof(char *));
	size_t k = 0;

	for (size_t i = 0; i < sp->build.sources.n; i++) {
		const char *src = sp->build.sources.v[i];
		char *orig = xasprintf("%s/%s/%s", dir, RESTORE_ORIGINALS, src);
		char *mine = xasprintf("%s/%s", dir, src);
		size_t lo = 0, lm = 0;
		char *a = read_file(orig, &lo), *b = read_file(mine, &lm);
		if (!a)
			errf(err, _("there is no original copy of %s (%s)"), src, orig);
		else if (!b || lo != lm || memcmp(a, b, lo) != 0)
			v[k++] = xstrdup(src);
		free(a);
		free(b);
		free(orig);
		free(mine);
		if (err[0])
			break;
	}
	return v;
}

/* Copy the learner's file aside, then put the original in its place. */
static int restore_one(const char *dir, const char *src, const char *when, FILE *out)
{
	char *orig = xasprintf("%s/%s/%s", dir, RESTORE_ORIGINALS, src);
	char *mine = xasprintf("%s/%s", dir, src);
	char *backup = xasprintf("%s.copia-%s", mine, when);
	size_t lo = 0, lm = 0;
	char *a = read_file(orig, &lo), *b = read_file(mine, &lm);
	struct bytes ob = {a, lo}, mb = {b, lm};
	const char *failed = NULL;

	if (b && write_file_atomic(backup, fill_bytes, &mb) < 0)
		failed = backup;
	else if (b)
		fprintf(out, _("Your version is kept in %s\n"), backup);
	if (!failed && write_file_atomic(mine, fill_bytes, &ob) < 0)
		failed = mine;
	if (failed)
		fprintf(stderr, _("checker: cannot write %s: %s\n"), failed, strerror(errno));
	free(a);
	free(b);
	free(orig);
	free(mine);
	free(backup);
	return failed ? -1 : 0;
}

int restore_run(const char *root, const char *lesson, int yes, FILE *in, FILE *out)
{
	char err[ERR_LEN] = "";
	char *dir = xasprintf("%s/lessons/%s", root, lesson);
	char *path = xasprintf("%s/spec.json", dir);
	struct spec *sp = spec_load(path, err);
	char **changed = NULL;
	char when[32];
	time_t t = time(NULL);
	struct tm tm;
	int rc = 2;

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y%m%d-%H%M%S", &tm);
	if (!sp) {
		fprintf(stderr, _("checker: there is no lesson %s (%s not found)\n"), lesson, path);
		goto out;
	}
	changed = changed_sources(dir, sp, err);
	if (err[0]) {
		fprintf(stderr, "checker: %s\n", err);
		goto out;
	}
	rc = 0;
	if (!changed[0]) {
		fprintf(out, _("Nothing to do: the files of %s are as they came.\n"), lesson);
		goto out;
	}
	for (size_t i = 0; changed[i]; i++)
		fprintf(out, _("This puts lessons/%s/%s back as it came.\n"), lesson, changed[i]);
	if (!yes) {
		/* TRANSLATORS: the learner answers s (sí) or n; "y" and "yes" work too. */
		fprintf(out, "%s", _("Go ahead? Your version will be kept in a copy. [s/N] "));
		fflush(out);
		if (!said_yes(in)) {
			fprintf(out, "%s\n", _("Nothing was changed."));
			rc = 1;
			goto out;
		}
	}
	for (size_t i = 0; changed[i] && rc == 0; i++)
		if (restore_one(dir, changed[i], when, out) < 0)
			rc = 2;
	if (rc == 0)
		fprintf(out, "%s\n", _("Done: the starter is back. Good luck!"));
out:
	for (size_t i = 0; changed && changed[i]; i++)
		free(changed[i]);
	free(changed);
	spec_free(sp);
	free(path);
	free(dir);
	return rc;
}
