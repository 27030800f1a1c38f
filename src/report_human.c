/* report_human.c - the report a learner reads, one test at a time. */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "box.h"
#include "i18n.h"

#define GREEN           "\033[32m"
#define RED             "\033[31m"
#define YELLOW          "\033[33m"
#define BOLD            "\033[1m"
#define DIM             "\033[2m"
#define RESET           "\033[0m"
#define TRANSCRIPT_HEAD 12
#define TRANSCRIPT_TAIL 28

int report_want_color(FILE *out)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc && *nc)
		return 0;
	if (term && strcmp(term, "dumb") == 0)
		return 0;
	return isatty(fileno(out));
}

static const char *c(const struct report *rp, const char *code)
{
	return rp->color ? code : "";
}

/* Print text with every line indented. */
static void indented(const struct report *rp, const char *indent, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		fprintf(rp->out, "%s%.*s\n", indent, (int)len, p);
		if (!end)
			break;
		p = end + 1;
	}
}

void report_human_header(const struct report *rp, const struct result *r)
{
	enum tier t = TIER_C;

	box_tier_parse(r->tier, &t);
	fprintf(rp->out, "%s%s · %s%s\n", c(rp, BOLD), r->lesson, r->title, c(rp, RESET));
	fprintf(rp->out, "%s%s %s%s\n", c(rp, DIM), _("Isolation:"), box_tier_describe(t),
	        c(rp, RESET));
	if (t == TIER_C)
		fprintf(rp->out, "%s%s%s\n", c(rp, YELLOW),
		        _("Warning: weak isolation. Your program runs on this machine's own "
		          "network."),
		        c(rp, RESET));
	if (!r->build.ran)
		return;
	if (r->build.ok && r->build.warnings == 0) {
		fprintf(rp->out, "%s✓%s %s\n", c(rp, GREEN), c(rp, RESET),
		        _("Compiles without warnings."));
	} else if (r->build.ok) {
		fprintf(rp->out, "%s✓%s ", c(rp, YELLOW), c(rp, RESET));
		fprintf(rp->out,
		        ngettext("Compiles, with %d warning (worth fixing):\n",
		                 "Compiles, with %d warnings (worth fixing):\n",
		                 (unsigned long)r->build.warnings),
		        r->build.warnings);
		indented(rp, "    ", r->build.log);
	} else {
		fprintf(rp->out, "%s✗ ", c(rp, RED));
		fprintf(rp->out,
		        ngettext("Your code does not compile: %d error.",
		                 "Your code does not compile: %d errors.",
		                 (unsigned long)r->build.errors),
		        r->build.errors);
		fprintf(rp->out, "%s\n", c(rp, RESET));
		if (r->build.first_error)
			fprintf(rp->out, "  %s %s\n", _("Fix this one first:"),
			        r->build.first_error);
		indented(rp, "    ", r->build.log);
	}
	fputc('\n', rp->out);
}

/* A transcript line in words. */
static const char *event_text(const char *what)
{
	static const struct {
		const char *what;
		const char *text;
	} names[] = {
	        {"start", N_("your program starts:")},
	        {"exit", N_("your program")},
	        {"signal", N_("we send it the signal")},
	        {"connect", N_("connects")},
	        {"connect_failed", N_("could not connect:")},
	        {"send", N_("checker →")},
	        {"recv", N_("← your program")},
	        {"accept", N_("your program connects")},
	        {"shutdown", N_("half-closes: the checker will send nothing more")},
	        {"close", N_("closes its side")},
	        {"socket", N_("opens a UDP socket")},
	        {"udp_close", N_("closes its socket")},
	        {"flood", N_("… too much arrived: we stop reading here")},
	        {"input", N_("we type on its standard input:")},
	        {"http", N_("checker → HTTP request:")},
	        {"http_answer", N_("← your server answers:")},
	        {"input_end", N_("we close its standard input (Ctrl-D)")},
	        {"reset", N_("cuts the connection (RST)")},
	        {"eof", N_("your program closed the connection")},
	        {"reset_by_peer", N_("your program cut the connection (RST)")},
	        {"error", N_("connection error:")},
	        {"truncated", N_("… (transcript cut here)")},
	        {"timeout", N_("… still waiting for the answer: we stop here")},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].what, what) == 0)
			return _(names[i].text);
	return what;
}

static void print_event(const struct report *rp, const struct event *e)
{
	int quoted = strcmp(e->what, "send") == 0 || strcmp(e->what, "recv") == 0 ||
	             strcmp(e->what, "input") == 0;

	fprintf(rp->out, "      %s%6ld ms%s  %-4s %s", c(rp, DIM), e->t_ms, c(rp, RESET),
	        *e->conn ? e->conn : "·", event_text(e->what));
	if (quoted)
		fprintf(rp->out, " \"%s\"\n", e->data);
	else if (*e->data)
		fprintf(rp->out, " %s\n", e->data);
	else
		fputc('\n', rp->out);
}

static void print_transcript(const struct report *rp, const struct test_result *t)
{
	size_t n = t->nevents;

	if (!n)
		return;
	fprintf(rp->out, "    %s\n", _("What happened:"));
	for (size_t i = 0; i < n; i++) {
		if (n > TRANSCRIPT_HEAD + TRANSCRIPT_TAIL && i == TRANSCRIPT_HEAD) {
			size_t skip = n - TRANSCRIPT_HEAD - TRANSCRIPT_TAIL;
			fprintf(rp->out, "      %s", c(rp, DIM));
			fprintf(rp->out, ngettext("… %zu more line …", "… %zu more lines …", skip),
			        skip);
			fprintf(rp->out, "%s\n", c(rp, RESET));
			i += skip - 1;
			continue;
		}
		print_event(rp, &t->events[i]);
	}
}

/* The verdict's name and what the learner can do about it. */
static void print_verdict(const struct report *rp, enum verdict v)
{
	static const char *const text[] = {
	        [V_INTERNAL] = N_("Internal error: the checker failed, not your program. Run it "
	                          "again; if it happens again, tell your instructor."),
	        [V_TIME] = N_("Time limit: your program ran out of time. Look for a loop that "
	                      "never ends or a call that waits forever."),
	        [V_MEMORY] = N_("Memory limit: your program used more memory than allowed. Look "
	                        "for memory reserved in a loop and never freed."),
	        [V_OUTPUT] = N_("Output limit: your program wrote or sent too much. Look for a "
	                        "printf or a send inside a loop that never ends."),
	        [V_RUNTIME] = N_("Runtime error: your program ended when it should have kept "
	                         "running. What it printed is below; gdb or valgrind show where "
	                         "it breaks."),
	        [V_WRONG] = N_("Wrong behaviour: your program runs, but what it did is not what "
	                       "was expected."),
	};

	if (v == V_NONE)
		return;
	fprintf(rp->out, "    %s%s%s\n", c(rp, BOLD), _(text[v]), c(rp, RESET));
}

static void print_failure(const struct report *rp, const struct test_result *t)
{
	print_verdict(rp, t->verdict);
	if (t->message && *t->message)
		indented(rp, "    ", t->message);
	if (t->expected)
		fprintf(rp->out, "    %-10s \"%s\"\n", _("Expected:"), t->expected);
	if (t->received)
		fprintf(rp->out, "    %-10s %s%s%s\n", _("Received:"), *t->received ? "\"" : "",
		        *t->received ? t->received : _("(nothing)"), *t->received ? "\"" : "");
	print_transcript(rp, t);
	if (t->out) {
		fprintf(rp->out, "    %s\n", _("Your program's output (stdout):"));
		indented(rp, "      | ", t->out);
	}
	if (t->errout) {
		fprintf(rp->out, "    %s\n", _("Your program's errors (stderr):"));
		indented(rp, "      | ", t->errout);
	}
	if (t->hint) {
		fprintf(rp->out, "    %s%s%s ", c(rp, YELLOW), _("Hint:"), c(rp, RESET));
		indented(rp, "", t->hint);
	}
	if (t->reproduce) {
		fprintf(rp->out, "    %s\n", _("See it by hand:"));
		indented(rp, "      ", t->reproduce);
	}
}

void report_human_test(const struct report *rp, const struct test_result *t)
{
	const char *mark = t->status == ST_PASS ? "✓" : t->status == ST_SKIP ? "-" : "✗";
	const char *col = t->status == ST_PASS ? GREEN : t->status == ST_SKIP ? YELLOW : RED;

	fprintf(rp->out, "%s%s%s %s %s(%d/%d) [%s]%s\n", c(rp, col), mark, c(rp, RESET), t->name,
	        c(rp, DIM), t->score, t->max_score, t->id, c(rp, RESET));
	if (t->status == ST_SKIP)
		return;
	if (t->status != ST_PASS) {
		print_failure(rp, t);
		fputc('\n', rp->out);
	}
	fflush(rp->out);
}

void report_human_summary(const struct report *rp, const struct result *r, const char *rerun)
{
	size_t passed = 0;

	for (size_t i = 0; i < r->ntests; i++)
		passed += r->tests[i].status == ST_PASS;
	fputc('\n', rp->out);
	fprintf(rp->out, "%s", c(rp, BOLD));
	fprintf(rp->out, _("Score: %d/%d"), r->score, r->max_score);
	fprintf(rp->out, "%s · ", c(rp, RESET));
	fprintf(rp->out, ngettext("%zu of %zu test passed", "%zu of %zu tests passed", r->ntests),
	        passed, r->ntests);
	fputc('\n', rp->out);
	if (r->status == ST_PASS)
		fprintf(rp->out, "%s%s%s\n", c(rp, GREEN), _("Well done: everything passes."),
		        c(rp, RESET));
	fprintf(rp->out, "%s", c(rp, DIM));
	/* TRANSLATORS: %s is the command that repeats this run with the same inputs. */
	fprintf(rp->out, _("Same random inputs again: %s"), rerun);
	fprintf(rp->out, "%s\n", c(rp, RESET));
}
