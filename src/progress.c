/* progress.c - how far a batch has gone: a bar on a terminal, a line per grading otherwise. */
#include "progress.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "util.h"

#define BAR_WIDTH 24

static void format_duration(char *out, size_t len, int64_t ms)
{
	long s = (long)((ms + 500) / 1000);

	if (s < 60)
		snprintf(out, len, "%ld s", s);
	else if (s < 3600)
		snprintf(out, len, "%ld min %ld s", s / 60, s % 60);
	else
		snprintf(out, len, "%ld h %ld min", s / 3600, s / 60 % 60);
}

void progress_start(struct progress *p, FILE *out, int tty, size_t total)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->tty = tty;
	p->total = total;
	p->t0 = now_ms();
	progress_draw(p);
}

void progress_draw(struct progress *p)
{
	char left[32];
	size_t fill = p->total ? p->done * BAR_WIDTH / p->total : BAR_WIDTH;

	if (!p->tty || p->total == 0)
		return;
	fputs("\r\033[K[", p->out);
	for (size_t i = 0; i < BAR_WIDTH; i++)
		fputs(i < fill ? "█" : "·", p->out);
	fprintf(p->out, "] %zu/%zu", p->done, p->total);
	if (p->failed)
		fprintf(p->out, _(" · %zu not at full marks"), p->failed);
	if (p->done > 0 && p->done < p->total) {
		int64_t spent = now_ms() - p->t0;
		int64_t ms = spent * (int64_t)(p->total - p->done) / (int64_t)p->done;
		format_duration(left, sizeof(left), ms < 1000 ? 1000 : ms);
		fprintf(p->out, _(" · about %s left"), left);
	}
	fflush(p->out);
}

void progress_step(struct progress *p, const char *student, const char *lesson, const char *status,
                   double score, double max)
{
	char *who, *what;

	p->done++;
	if (!status || strcmp(status, "pass") != 0)
		p->failed++;
	if (p->tty) {
		progress_draw(p);
		return;
	}
	/* The student chose the name: it must not move the cursor nor fake a line. */
	who = escape_line_dup(student);
	what = escape_line_dup(lesson);
	fprintf(p->out, "[%zu/%zu] %s · %s · %g/%g%s\n", p->done, p->total, who, what, score, max,
	        status && strcmp(status, "error") == 0 ? _(" (error)") : "");
	fflush(p->out);
	free(who);
	free(what);
}

void progress_end(struct progress *p)
{
	if (p->tty && p->total)
		fputs("\r\033[K", p->out);
	fflush(p->out);
}

void progress_elapsed(const struct progress *p, char *out, size_t len)
{
	format_duration(out, len, now_ms() - p->t0);
}
