/* gradescope.c - ./checker gradescope: grade one submission inside Gradescope's autograder.
 *
 * Gradescope unpacks a student's upload into /autograder/submission and
 * reads /autograder/results/results.json when run_autograder ends (or is
 * stopped for time). We grade lesson after lesson and rewrite results.json
 * after each, so what was graded is never lost. */
#include "gradescope.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "box.h"
#include "escape.h"
#include "i18n.h"
#include "report.h"
#include "rng.h"
#include "run.h"
#include "spec.h"
#include "submission.h"
#include "workdir.h"

struct graded {
	struct result *rs;
	size_t n;
	int64_t t0;
};

/* A lesson with nothing to grade: every test skipped, saying why. */
static void result_absent(const struct spec *sp, const char *why, struct result *r)
{
	memset(r, 0, sizeof(*r));
	r->lesson = xstrdup(sp->lesson);
	r->title = xstrdup(sp->title);
	r->tests = xcalloc(sp->ntests, sizeof(struct test_result));
	r->ntests = sp->ntests;
	for (size_t i = 0; i < sp->ntests; i++) {
		r->tests[i].id = xstrdup(sp->tests[i].id);
		r->tests[i].name = xstrdup(sp->tests[i].name);
		r->tests[i].status = ST_SKIP;
		r->tests[i].max_score = sp->tests[i].points;
		r->tests[i].message = xstrdup(why);
	}
	result_finish(r);
}

static void fill_results(FILE *f, const void *arg)
{
	const struct graded *g = arg;
	const struct result **list = xcalloc(g->n ? g->n : 1, sizeof(*list));

	for (size_t i = 0; i < g->n; i++)
		list[i] = &g->rs[i];
	report_gradescope(f, list, g->n, (double)(now_ms() - g->t0) / 1000.0);
	free(list);
}

/* Grade one lesson of the submission into g->rs[g->n], unless refused
 * says why it cannot be. */
static void grade_one(const struct cli *c, const char *checkout, const char *sub, const char *id,
                      int flat, enum tier tier, const char *refused, struct graded *g)
{
	char err[ERR_LEN];
	char *path = xasprintf("%s/lessons/%s/spec.json", checkout, id);
	struct spec *sp = spec_load(path, err);
	struct result *r = &g->rs[g->n];
	struct run_opts o = {0};
	char *src = NULL;

	free(path);
	if (!sp) {
		fprintf(stderr, _("checker: bad spec: %s\n"), err);
		return;
	}
	if (refused) {
		result_absent(sp, refused, r);
	} else if (!sub) {
		result_absent(sp, _("The submission could not be read."), r);
	} else if (!(src = submission_find(sub, id, sp->build.sources.v, flat, err))) {
		result_absent(sp, err, r);
	} else {
		o.src_dir = src;
		o.seed = c->has_seed ? c->seed : rng_fresh_seed();
		o.jobs = c->jobs ? c->jobs : 2;
		o.tier = tier;
		if (run_lesson(sp, &o, r, err) < 0)
			result_absent(sp, err, r);
	}
	printf("%s: %d/%d\n", id, r->score, r->max_score);
	g->n++;
	free(src);
	spec_free(sp);
}

int gradescope_run(const struct cli *c, const char *checkout)
{
	const char *root = c->root ? c->root : "/autograder";
	char *entry = xasprintf("%s/submission", root);
	char *dir = xasprintf("%s/results", root);
	char *out = xasprintf("%s/results.json", dir);
	const char *tmp = getenv("TMPDIR");
	char *scratch = xasprintf("%s/checker-submission-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	char err[ERR_LEN];
	char **ids = cli_lessons(c->lessons ? c->lessons : "all", checkout, err);
	char why[ERR_LEN], *refused = NULL;
	enum tier tier;
	struct graded g = {0};
	char *sub = NULL;
	int rc = 2;

	g.t0 = now_ms();
	if (!ids) {
		fprintf(stderr, "checker: %s\n", err);
		goto out;
	}
	/* A weak tier is refused (said for every lesson: the instructor reads
	 * it on Gradescope) unless the autograder was made with ALLOW_WEAK=1. */
	if (box_pick_tier(c->tier, !c->allow_weak, &tier, why) < 0) {
		fprintf(stderr, "checker: %s\n", why);
		/* TRANSLATORS: %s says what the machine lacks (box_pick_tier). */
		refused = xasprintf(_("Not graded: %s. Make the autograder with ALLOW_WEAK=1 to "
		                      "grade with it anyway."),
		                    why);
	}
	mkdir(dir, 0755);
	if (!mkdtemp(scratch))
		errf(err, "%s: %s", scratch, strerror(errno));
	else
		sub = submission_open(entry, scratch, err);
	if (!sub) { /* each lesson then says why; the names in it are the student's */
		char *shown = escape_line_dup(err);
		fprintf(stderr, "checker: %s\n", shown);
		free(shown);
	}
	for (size_t n = 0; ids[n]; n++)
		g.rs = xrealloc(g.rs, (n + 1) * sizeof(struct result));
	for (size_t i = 0; ids[i] && !run_stopped(); i++) {
		grade_one(c, checkout, sub, ids[i], ids[1] == NULL, tier, refused, &g);
		if (write_file_atomic(out, fill_results, &g) < 0) {
			fprintf(stderr, _("checker: cannot write %s: %s\n"), out, strerror(errno));
			goto out;
		}
	}
	rc = refused ? 2 : 0;
out:
	free(refused);
	for (size_t i = 0; i < g.n; i++)
		result_free(&g.rs[i]);
	free(g.rs);
	cli_lessons_free(ids);
	workdir_remove(scratch);
	free(sub);
	free(scratch);
	free(out);
	free(dir);
	free(entry);
	return rc;
}
