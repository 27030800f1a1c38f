/* cause_kind.c - causes read from how a step failed: the program's end and
 * status, what it printed, and the life of its connections (cause.h). */
#include "cause.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "match.h"
#include "util.h"

#define SHOWN_LINE 80 /* bytes of a line quoted in an explanation */

static struct cause made(enum cause_id id, char *text)
{
	struct cause c = {id, text};
	return c;
}

/* ---- the program's end ---- */

/* What a failed call said on stderr points at, when it points somewhere. */
static const char *errno_advice(const char *tail)
{
	if (!tail)
		return "";
	if (strstr(tail, "Address already in use"))
		return _(" A port still held by an earlier run (TIME_WAIT) is taken again with "
		         "SO_REUSEADDR, set before bind().");
	if (strstr(tail, "Connection refused"))
		return _(" Nobody listened where it connected: check the address and the port, "
		         "and that the port goes through htons().");
	if (strstr(tail, "Bad file descriptor"))
		return _(" That descriptor was already closed, or never opened: a close() twice, "
		         "or a socket used after it.");
	return "";
}

static struct cause gave_up(int status, const char *tail)
{
	if (!tail)
		return made(CAUSE_GAVE_UP,
		            xasprintf(_("Your program gave up with exit status %d while it was "
		                        "still needed, and wrote nothing on stderr to say why: "
		                        "print what failed (perror()) before you end."),
		                      status));
	return made(CAUSE_GAVE_UP,
	            xasprintf(_("Your program gave up with exit status %d while it was still "
	                        "needed; the last thing it wrote on stderr was «%s». That is "
	                        "the call to look at.%s"),
	                      status, tail, errno_advice(tail)));
}

static char *status_due(int want)
{
	return want < 0 ? xstrdup(_("a status other than 0")) : xasprintf(_("status %d"), want);
}

static struct cause ended(const struct observed *o)
{
	char *due = status_due(o->status_want);
	struct cause c;

	if (o->status_got != 0 && o->status_want == 0) {
		free(due);
		return gave_up(o->status_got, o->err_tail);
	}
	if (o->status_got == 0)
		c = made(CAUSE_ERROR_AS_SUCCESS,
		         xasprintf(_("Your program ended with status 0, success, where it should "
		                     "have refused and ended with %s: it took as good what the "
		                     "test gave it to refuse. Check that case before going on, and "
		                     "end with the lesson's status."),
		                   due));
	else
		c = made(CAUSE_OTHER_STATUS,
		         xasprintf(_("Your program did refuse, but ended with status %d where the "
		                     "lesson asks for %s in this case."),
		                   o->status_got, due));
	free(due);
	return c;
}

static struct cause still_running(const struct observed *o)
{
	char *due;
	struct cause c;

	if (o->status_want == 0)
		return made(CAUSE_KEPT_RUNNING,
		            xasprintf(_("Your program was still running when it should have "
		                        "ended: once its work is done (the other end closed, "
		                        "recv() returned 0, the last reply came), it leaves its "
		                        "loop and returns from main.")));
	due = status_due(o->status_want);
	c = made(CAUSE_KEPT_RUNNING,
	         xasprintf(_("Your program went on running where it should have refused and "
	                     "ended with %s: it accepted what the test gave it to refuse. "
	                     "Check it before using it, and end there."),
	                   due));
	free(due);
	return c;
}

/* ---- what it printed ---- */

struct lines {
	char **v;
	size_t n;
};

/* The lines of p[0..n), without their '\n'; a last empty line does not count. */
static struct lines split(const char *p, size_t n)
{
	struct lines l = {xmalloc((n + 1) * sizeof(char *)), 0};
	size_t i = 0;

	while (i < n) {
		const char *nl = memchr(p + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (p + i)) : n - i;
		l.v[l.n++] = xstrndup(p + i, len);
		i += len + 1;
	}
	return l;
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* The lines of a pattern, each a pattern of one line: where the pattern
 * went on past a line's end, that end is anchored ("^A\nB" gives "^A$" and
 * "^B"). */
static struct lines pattern_lines(const char *re)
{
	struct lines l = split(re, strlen(re));

	for (size_t i = 0; i < l.n; i++) {
		char *s = xasprintf("%s%s%s", i > 0 ? "^" : "", l.v[i], i + 1 < l.n ? "$" : "");
		free(l.v[i]);
		l.v[i] = s;
	}
	return l;
}

static int line_is(const char *want, int regex, const char *line)
{
	return regex ? match_regex(want, line) == 1 : strcmp(want, line) == 0;
}

/* The first of got's lines left over once want's lines are found among
 * them in order (want a subsequence of got), or -1 if want is not there so. */
static long left_over(const struct lines *got, const struct lines *want, int regex)
{
	long first = -1;
	size_t j = 0;

	for (size_t i = 0; i < got->n; i++) {
		if (j < want->n && line_is(want->v[j], regex, got->v[i]))
			j++;
		else if (first < 0)
			first = (long)i;
	}
	return j == want->n ? first : -1;
}

static int any_is(const struct lines *got, const char *want, int regex)
{
	for (size_t i = 0; i < got->n; i++)
		if (line_is(want, regex, got->v[i]))
			return 1;
	return 0;
}

/* The one line of want that no line of got is, or -1 if none or more. */
static long only_missing(const struct lines *got, const struct lines *want, int regex)
{
	long missing = -1;

	for (size_t i = 0; i < want->n; i++) {
		if (any_is(got, want->v[i], regex))
			continue;
		if (missing >= 0)
			return -1;
		missing = (long)i;
	}
	return missing;
}

/* A line to quote: a pattern in its readable words, or NULL. */
static char *quoted(const char *line, int regex)
{
	char *words = regex ? match_readable(line) : NULL;
	char *q;

	if (regex && !words)
		return NULL;
	q = escape_dup(words ? words : line, strlen(words ? words : line), SHOWN_LINE);
	free(words);
	return q;
}

static const char *stream(int on_stderr)
{
	return on_stderr ? "stderr" : "stdout";
}

/* 1 if want's lines each stand for a whole line of their own: more than
 * one, or one pattern anchored at both ends. A single text or unanchored
 * pattern may be searched for within a line. */
static int whole_lines(const struct lines *want, int regex)
{
	const char *l = want->n == 1 ? want->v[0] : "";
	size_t n = strlen(l);

	return want->n > 1 ||
	       (regex && n > 1 && l[0] == '^' && l[n - 1] == '$' && (n < 3 || l[n - 2] != '\\'));
}

/* The one line of got that differs from want's line at the same place,
 * the rest alike, or -1. */
static long only_differs(const struct lines *got, const struct lines *want, int regex)
{
	long at = -1;

	if (got->n != want->n || !whole_lines(want, regex))
		return -1;
	for (size_t i = 0; i < want->n; i++) {
		if (line_is(want->v[i], regex, got->v[i]))
			continue;
		if (at >= 0)
			return -1;
		at = (long)i;
	}
	return at;
}

/* A line due that is missing, or a line that is not due, the rest alike. */
static struct cause lines_cause(const struct observed *o)
{
	int regex = o->pattern != NULL;
	struct lines w = regex ? pattern_lines(o->pattern) : split(o->want ? o->want : "", o->wlen);
	struct lines g = split(o->got ? o->got : "", o->glen);
	struct cause c = made(CAUSE_NONE, NULL);
	long i;
	char *q;

	if ((i = only_differs(&g, &w, regex)) >= 0 && (q = quoted(w.v[i], regex))) {
		char *line = quoted(g.v[i], 0);
		c = made(
		        CAUSE_WRONG_TEXT,
		        xasprintf(_("Line %ld of what your program wrote on %s is «%s», where «%s» "
		                    "was due; the other lines are right."),
		                  i + 1, stream(o->on_stderr), line, q));
		free(line);
		free(q);
	} else if ((i = only_missing(&g, &w, regex)) >= 0 && *w.v[i] &&
	           (q = quoted(w.v[i], regex))) {
		c = made(CAUSE_MISSING_LINE,
		         xasprintf(_("The line «%s» is missing from what your program wrote on "
		                     "%s. Look for the case that skips it: a loop that stops "
		                     "early, a filter that leaves it out, or an end before it."),
		                   q, stream(o->on_stderr)));
		free(q);
	} else if (g.n > w.n && (i = left_over(&g, &w, regex)) >= 0 && (q = quoted(g.v[i], 0))) {
		int again = 0;
		for (size_t k = 0; k < w.n && !again; k++)
			again = line_is(w.v[k], regex, g.v[i]);
		c = made(CAUSE_EXTRA_LINE,
		         xasprintf(again ? _("Your program wrote the line «%s» on %s once more "
		                             "than is due. Look for what makes it twice: a result "
		                             "of another kind taken for this one, or a loop that "
		                             "passes twice.")
		                         : _("Your program wrote the line «%s» on %s, which is "
		                             "not due here; the lines due are there. Look for the "
		                             "case that should leave it out."),
		                   q, stream(o->on_stderr)));
		free(q);
	}
	lines_free(&w);
	lines_free(&g);
	return c;
}

/* The message due on one output came out on the other. */
static int on_other(const struct observed *o)
{
	struct lines w;
	int found = 0;

	if (!o->other || !o->other_len)
		return 0;
	if (o->pattern)
		return match_regex(o->pattern, o->other) == 1;
	w = split(o->want ? o->want : "", o->wlen);
	for (size_t i = 0; i < w.n && !found; i++)
		found = *w.v[i] && match_contains(w.v[i], o->other, o->other_len);
	lines_free(&w);
	return found;
}

static struct cause output(const struct observed *o)
{
	if ((o->want && o->wlen) || o->pattern) {
		if (on_other(o))
			return made(
			        CAUSE_WRONG_STREAM,
			        xasprintf(_("What was due on %s came out on %s. Errors and "
			                    "warnings go to stderr (perror(), or fprintf(stderr, "
			                    "…)); results go to stdout (printf())."),
			                  stream(o->on_stderr), stream(!o->on_stderr)));
	}
	return lines_cause(o);
}

/* ---- the connections ---- */

static struct cause connection(const struct observed *o)
{
	const char *name = o->conn ? o->conn : "";

	switch (o->kind) {
	case FAIL_CLOSED:
		return made(CAUSE_CLOSED_EARLY,
		            xasprintf(_("Your program closed connection %s before the exchange was "
		                        "over. Look for a close(), or an end of the program, that "
		                        "comes too soon: a single recv() where a loop is due, or a "
		                        "loop that stops at the first short read."),
		                      name));
	case FAIL_KEPT_OPEN:
		return made(CAUSE_KEPT_OPEN,
		            xasprintf(_("Your program kept connection %s open when it should have "
		                        "closed it: once the exchange is over, close() the socket "
		                        "(a client also ends)."),
		                      name));
	case FAIL_SPOKE_EARLY:
		return made(CAUSE_SPOKE_EARLY,
		            xasprintf(_("Your program sent bytes on %s before their turn: it does "
		                        "not wait for the other end's reply before it sends what "
		                        "comes next."),
		                      name));
	case FAIL_NOT_LISTENING:
		if (o->port_elsewhere)
			return made(
			        CAUSE_WRONG_PORT,
			        xasprintf(_("Your server listens on port %d, not on the one the "
			                    "test gave it: take the port from argv, and turn it "
			                    "into a number with strtol() and htons()."),
			                  o->port_elsewhere));
		return made(CAUSE_NOT_LISTENING,
		            xasprintf(_("Your server never got to listen on its port: it stays "
		                        "before bind() and listen() (UDP: before bind()), or skips "
		                        "them.")));
	case FAIL_PARTIAL:
		if (o->is_udp)
			return made(
			        CAUSE_PARTIAL_REPLY,
			        xasprintf(
			                _("The datagram on %s came cut: %zu of the %zu bytes due. "
			                  "recvfrom() cuts a datagram longer than its buffer, and "
			                  "the rest is lost: give it room for the largest one "
			                  "(65507 bytes)."),
			                name, o->glen, o->wlen));
		return made(
		        CAUSE_PARTIAL_REPLY,
		        xasprintf(_("Connection %s got %zu of the %zu bytes due, and then "
		                    "nothing, while it stayed open: your program stopped "
		                    "partway through the reply. Look for a buffer too small for "
		                    "all of it, or for a rest that is never sent (send() may "
		                    "send less than asked; with poll(), ask for POLLOUT while "
		                    "something is pending)."),
		                  name, o->glen, o->wlen));
	case FAIL_WRONG_SOURCE:
		return made(CAUSE_WRONG_SOURCE,
		            xasprintf(_("The reply on %s came from another socket than the one it "
		                        "was sent to: a UDP client only knows replies from the "
		                        "address it asked. Answer with sendto() on the socket that "
		                        "received the datagram, to the address recvfrom() gave."),
		                      name));
	default:
		return made(CAUSE_NONE, NULL);
	}
}

struct cause cause_by_kind(const struct observed *o)
{
	if (o->gave_up)
		return gave_up(o->gave_up - 1, o->err_tail);
	if (o->went_to)
		return made(CAUSE_WRONG_PEER,
		            xasprintf(_("The reply due to %s went to %s: your program answers "
		                        "another address than the one recvfrom() gave for this "
		                        "datagram (it keeps the first client's, or connect()s its "
		                        "socket to one). Answer each datagram with sendto() to its "
		                        "own sender."),
		                      o->conn ? o->conn : "", o->went_to));
	switch (o->kind) {
	case FAIL_STATUS:
		return ended(o);
	case FAIL_NO_END:
		return still_running(o);
	case FAIL_OUTPUT:
		return output(o);
	default:
		return connection(o);
	}
}

/* ---- a plain difference ---- */

#define CONTEXT_BACK 12 /* bytes shown before the first difference, at most */
#define CONTEXT_MAX  24 /* bytes shown from there on */

/* Where the word holding byte at begins, going back CONTEXT_BACK at most,
 * never into the middle of a UTF-8 character. */
static size_t word_start(const char *p, size_t at)
{
	size_t s = at;

	while (s > 0 && at - s < CONTEXT_BACK && p[s - 1] != ' ' && p[s - 1] != '\n')
		s--;
	while (s > 0 && s < at && ((unsigned char)p[s] & 0xC0) == 0x80)
		s--;
	return s;
}

static char *window(const char *p, size_t n, size_t from)
{
	size_t len = n - from < CONTEXT_MAX ? n - from : CONTEXT_MAX;

	while (len < n - from && ((unsigned char)p[from + len] & 0xC0) == 0x80)
		len++;
	return escape_dup(p + from, len, CONTEXT_MAX + 8);
}

struct cause cause_of_difference(const struct observed *o)
{
	size_t at = 0, n, from;
	char *got, *want;
	struct cause c;

	if (!o->want || !o->got || !o->glen || o->pattern)
		return made(CAUSE_NONE, NULL);
	n = o->wlen < o->glen ? o->wlen : o->glen;
	while (at < n && o->want[at] == o->got[at])
		at++;
	if (at == n) /* one is the start of the other: more or less, not other */
		return made(CAUSE_NONE, NULL);
	from = word_start(o->want, at);
	want = window(o->want, o->wlen, from);
	got = window(o->got, o->glen, from);
	if (at == 0)
		c = made(CAUSE_WRONG_TEXT,
		         xasprintf(_("From the first byte on came «%s» where «%s» was due: another "
		                     "message than this moment of the protocol asks for."),
		                   got, want));
	else
		c = made(
		        CAUSE_WRONG_TEXT,
		        xasprintf(_("The first %zu bytes are right; from there came «%s» where "
		                    "«%s» was due. Compare that spot with what the lesson asks for "
		                    "there, byte by byte: an accent, a space, a capital, or bytes "
		                    "that belong elsewhere."),
		                  at, got, want));
	free(want);
	free(got);
	return c;
}
