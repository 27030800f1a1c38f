/* report_human.c - the report a learner reads, one test at a time. */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "box.h"
#include "diagnose.h"
#include "escape.h"
#include "i18n.h"

#define GREEN           "\033[32m"
#define RED             "\033[31m"
#define YELLOW          "\033[33m"
#define BOLD            "\033[1m"
#define DIM             "\033[2m"
#define RESET           "\033[0m"
#define TRANSCRIPT_HEAD 12
#define TRANSCRIPT_TAIL 28
#define VALUE_COLS      72  /* of expected or received; longer ones get a window */
#define BEFORE_COLS     24  /* of a window, before the first difference */
#define DATA_COLS       120 /* of a transcript line's bytes (all with --verbose) */
#define OUTPUT_COLS     120 /* of a line of the program's output (all with --verbose) */
#define HEX_ROW         8   /* bytes in a row of a hexdump */
#define HEX_ODD_MAX     2   /* escaped bytes a text may hold without a hexdump */

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

/* Print text with every line indented; nothing in it reaches the terminal
 * raw (a program's bytes, or a compiler quoting them, can be anything). */
static void indented(const struct report *rp, const char *indent, const char *text)
{
	char *safe = escape_terminal_dup(text);
	const char *p = safe;

	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		fprintf(rp->out, "%s%.*s\n", indent, (int)len, p);
		if (!end)
			break;
		p = end + 1;
	}
	free(safe);
}

/* Spaces up to a column. */
static void pad(const struct report *rp, size_t n)
{
	fprintf(rp->out, "%*s", (int)n, "");
}

/* After the build's line: it was not built again, the cache had it. */
static void from_cache(const struct report *rp, const struct result *r)
{
	if (r->build.cached)
		fprintf(rp->out, " %s%s%s", c(rp, DIM), _("(from the build cache)"), c(rp, RESET));
}

void report_human_header(const struct report *rp, const struct result *r)
{
	enum tier t = TIER_C;

	box_tier_parse(r->tier, &t);
	fprintf(rp->out, "%s%s · %s%s\n", c(rp, BOLD), r->lesson, r->title, c(rp, RESET));
	fprintf(rp->out, "%s%s %s%s\n", c(rp, DIM), _("Isolation:"), box_tier_describe(t),
	        c(rp, RESET));
	if (r->tier_note)
		/* TRANSLATORS: %s is what the tier lacked (box_tier_missing). */
		fprintf(rp->out, _("%sWarning: weak isolation: %s.%s\n"), c(rp, YELLOW),
		        r->tier_note, c(rp, RESET));
	if (!r->build.ran)
		return;
	if (r->build.ok && r->build.warnings == 0) {
		fprintf(rp->out, "%s✓%s %s", c(rp, GREEN), c(rp, RESET),
		        _("Compiles without warnings."));
		from_cache(rp, r);
		fputc('\n', rp->out);
	} else if (r->build.ok) {
		char *line = xasprintf(ngettext("Compiles, with %d warning (worth fixing):\n",
		                                "Compiles, with %d warnings (worth fixing):\n",
		                                (unsigned long)r->build.warnings),
		                       r->build.warnings);
		line[strcspn(line, "\n")] = '\0';
		fprintf(rp->out, "%s✓%s %s", c(rp, YELLOW), c(rp, RESET), line);
		from_cache(rp, r);
		fputc('\n', rp->out);
		free(line);
		indented(rp, "    ", r->build.log);
	} else {
		fprintf(rp->out, "%s✗ ", c(rp, RED));
		fprintf(rp->out,
		        ngettext("Your code does not compile: %d error.",
		                 "Your code does not compile: %d errors.",
		                 (unsigned long)r->build.errors),
		        r->build.errors);
		fprintf(rp->out, "%s", c(rp, RESET));
		from_cache(rp, r);
		fputc('\n', rp->out);
		if (r->build.first_error) {
			char *first = escape_terminal_dup(r->build.first_error);
			fprintf(rp->out, "  %s %s\n", _("Fix this one first:"), first);
			free(first);
		}
		indented(rp, "    ", r->build.log);
	}
	fputc('\n', rp->out);
}

/* ---- escaped text, cut to a width ---- */

/* Length of the unit of escaped text at s: an escape (\xNN, \n...) or a
 * character; *bytes gets how many bytes of the original it stands for. */
static size_t escaped_unit(const char *s, size_t n, size_t *bytes)
{
	size_t len;

	*bytes = 1;
	if (n >= 4 && s[0] == '\\' && s[1] == 'x')
		return 4;
	if (n >= 2 && s[0] == '\\')
		return 2;
	len = utf8_seq_len((const unsigned char *)s, n);
	len = len ? len : 1;
	*bytes = len;
	return len;
}

/* How much of escaped text s[0..n) fits in cols columns, cut between
 * units; the columns used go to *used and the bytes left out to *left. */
static size_t fit(const char *s, size_t n, size_t cols, size_t *used, size_t *left)
{
	size_t i = 0, w = 0, bytes;

	*left = 0;
	while (i < n) {
		size_t len = escaped_unit(s + i, n - i, &bytes);
		size_t cw = utf8_columns(s + i, len);
		if (w + cw > cols)
			break;
		w += cw;
		i += len;
	}
	*used = w;
	for (size_t j = i; j < n;) {
		j += escaped_unit(s + j, n - j, &bytes);
		*left += bytes;
	}
	return i;
}

/* ---- the transcript ---- */

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
	        {"probe_shutdown", N_("half-closes, to find the cause: does your program answer "
	                              "now?")},
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
	        {"stalled", N_("your program stopped reading it, after this many bytes:")},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].what, what) == 0)
			return _(names[i].text);
	return what;
}

/* Bytes that went over the wire, quoted; a long line is cut with «…». */
static void print_data(const struct report *rp, const char *data)
{
	char *safe = escape_terminal_dup(data);
	size_t n = strlen(safe), used, left;
	size_t keep = rp->verbose ? n : fit(safe, n, DATA_COLS, &used, &left);

	fprintf(rp->out, " \"%.*s%s\n", (int)keep, safe, keep < n ? "…" : "\"");
	free(safe);
}

static void print_event(const struct report *rp, const struct event *e, int connw)
{
	int quoted = strcmp(e->what, "send") == 0 || strcmp(e->what, "recv") == 0 ||
	             strcmp(e->what, "input") == 0;

	fprintf(rp->out, "      %s%6ld ms%s  %-*s %s", c(rp, DIM), e->t_ms, c(rp, RESET), connw,
	        *e->conn ? e->conn : "·", event_text(e->what));
	if (quoted) {
		print_data(rp, e->data);
	} else if (*e->data) {
		char *safe = escape_terminal_dup(e->data);
		fprintf(rp->out, " %s\n", safe);
		free(safe);
	} else {
		fputc('\n', rp->out);
	}
}

/* The width of the column of connection names (the dot is one column). */
static int conn_width(const struct test_result *t)
{
	size_t w = 4;

	for (size_t i = 0; i < t->nevents; i++) {
		size_t n = utf8_columns(t->events[i].conn, strlen(t->events[i].conn));
		if (n > w && n <= 16)
			w = n;
	}
	return (int)w;
}

static void print_transcript(const struct report *rp, const struct test_result *t)
{
	size_t n = t->nevents;
	int cut = !rp->verbose && n > TRANSCRIPT_HEAD + TRANSCRIPT_TAIL, connw = conn_width(t);

	if (!n)
		return;
	fprintf(rp->out, "    %s\n", _("What happened:"));
	for (size_t i = 0; i < n; i++) {
		if (cut && i == TRANSCRIPT_HEAD) {
			size_t skip = n - TRANSCRIPT_HEAD - TRANSCRIPT_TAIL;
			fprintf(rp->out, "      %s", c(rp, DIM));
			fprintf(rp->out, ngettext("… %zu more line …", "… %zu more lines …", skip),
			        skip);
			fprintf(rp->out, "%s\n", c(rp, RESET));
			i += skip - 1;
			continue;
		}
		print_event(rp, &t->events[i], connw);
	}
}

/* ---- expected and received, byte by byte ---- */

/* One side of a comparison: the bytes an escaped value stands for. */
struct side {
	char *p;
	size_t n;
	size_t hidden; /* bytes the checker cut off the value */
};

/* Expected and received, and where they part. */
struct diff {
	struct side e, g;
	int both;    /* both are literal bytes, worth comparing */
	size_t at;   /* bytes alike before the first difference */
	size_t from; /* where the character holding it starts, on both sides */
	int seen;    /* the difference is within what was shown */
	int cut;     /* what was shown is alike, but a side was cut short */
};

static void side_init(struct side *s, const char *escaped)
{
	size_t shown = escape_shown_len(escaped, &s->hidden);

	s->p = unescape_dup(escaped, shown, &s->n);
}

/* Length of the character at i (a byte of no valid sequence is one). */
static size_t char_len(const struct side *s, size_t i)
{
	size_t len = utf8_seq_len((const unsigned char *)s->p + i, s->n - i);

	return len ? len : 1;
}

/* Append s->p[from..to) as the report shows it; returns its columns. */
static size_t render(struct buf *b, const struct side *s, size_t from, size_t to)
{
	size_t cols = 0, w;

	for (size_t i = from; i < to;) {
		i += escape_char(b, s->p + i, s->n - i, &w);
		cols += w;
	}
	return cols;
}

static size_t odd_bytes(const struct side *s);

/* A pattern, not bytes: the steps show a regex as what they expected.
 * Patterns in specs are short printable text. */
static void diff_find(struct diff *d)
{
	size_t n = d->e.n < d->g.n ? d->e.n : d->g.n, i = 0;

	while (i < n && d->e.p[i] == d->g.p[i])
		i++;
	d->at = i;
	/* Back to the start of the character that differs: characters wholly
	 * inside the common part read the same on both sides. */
	d->from = 0;
	while (d->from < d->at) {
		size_t le = char_len(&d->e, d->from), lg = char_len(&d->g, d->from);
		if (d->from + le > d->at || d->from + lg > d->at)
			break;
		d->from += le;
	}
	d->cut = (i == d->e.n && d->e.hidden) || (i == d->g.n && d->g.hidden);
	d->seen = !d->cut && !(i == d->e.n && i == d->g.n);
}

/* End of the characters of s from i that cover byte at (i if at is past s). */
static size_t chunk_end(const struct side *s, size_t i, size_t at)
{
	while (i < s->n && i <= at)
		i += char_len(s, i);
	return i;
}

/* The chunk in words: «ó» (0xc3 0xb3). */
static char *chunk_words(const struct side *s, size_t from, size_t to)
{
	struct buf b = {0};

	buf_puts(&b, "«");
	render(&b, s, from, to);
	buf_puts(&b, "» (");
	for (size_t i = from; i < to; i++)
		buf_printf(&b, "%s0x%02x", i > from ? " " : "", (unsigned char)s->p[i]);
	buf_puts(&b, ")");
	return buf_steal(&b);
}

/* The part of each side a line shows: [start, end) around the difference. */
struct window {
	size_t start;
	size_t end_e, end_g;
};

/* The end of the characters of s from start that fit in VALUE_COLS. */
static size_t window_end(const struct side *s, size_t start)
{
	struct buf b = {0};
	size_t i = start, cols = 0, w;

	while (i < s->n) {
		size_t len = escape_char(&b, s->p + i, s->n - i, &w);
		if (cols + w > VALUE_COLS)
			break;
		cols += w;
		i += len;
	}
	buf_free(&b);
	return i;
}

/* Columns of s->p[from..n). */
static size_t cols_from(const struct side *s, size_t from)
{
	struct buf b = {0};
	size_t cols = render(&b, s, from, s->n);

	buf_free(&b);
	return cols;
}

static void window_find(const struct diff *d, struct window *w)
{
	struct buf b = {0};
	size_t after = cols_from(&d->e, d->from), after_g = cols_from(&d->g, d->from);
	size_t cols = 0, before, wc, *starts, nstarts = 0;

	w->start = 0;
	w->end_e = d->e.n;
	w->end_g = d->g.n;
	if (cols_from(&d->e, 0) <= VALUE_COLS && cols_from(&d->g, 0) <= VALUE_COLS)
		return;
	/* Before the difference, at least BEFORE_COLS columns, and more when
	 * what follows it is short. */
	after = after > after_g ? after : after_g;
	before = VALUE_COLS - (after < VALUE_COLS - BEFORE_COLS ? after : VALUE_COLS - BEFORE_COLS);
	starts = xcalloc(d->from + 1, sizeof(*starts));
	for (size_t i = 0; i < d->from; i += escape_char(&b, d->e.p + i, d->e.n - i, &wc))
		starts[nstarts++] = i;
	w->start = d->from;
	for (size_t k = nstarts; k > 0; k--) {
		size_t i = starts[k - 1];
		b.len = 0;
		escape_char(&b, d->e.p + i, d->e.n - i, &wc);
		if (cols + wc > before)
			break;
		cols += wc;
		w->start = i;
	}
	free(starts);
	buf_free(&b);
	w->end_e = window_end(&d->e, w->start);
	w->end_g = window_end(&d->g, w->start);
}

/* One line of a value, «…» where the window cuts it; the chunk [hl, hl_end)
 * in colour. Returns the column where the value's text starts. */
static void print_side(const struct report *rp, const struct side *s, size_t start, size_t end,
                       size_t hl, size_t hl_end, const char *colour)
{
	struct buf b = {0};

	buf_puts(&b, start ? "…" : "\"");
	render(&b, s, start, hl < start ? start : hl > end ? end : hl);
	if (hl < end && hl_end > hl) {
		buf_puts(&b, c(rp, colour));
		render(&b, s, hl, hl_end < end ? hl_end : end);
		buf_puts(&b, c(rp, RESET));
		if (hl_end < end)
			render(&b, s, hl_end, end);
	} else if (hl < end) {
		render(&b, s, hl, end);
	}
	buf_puts(&b, end < s->n ? "…" : "\"");
	if (end == s->n && s->hidden) {
		buf_puts(&b, " ");
		buf_puts(&b, c(rp, DIM));
		/* The same summary the checker cut the value with. */
		buf_printf(&b, _("… (%zu more bytes)"), s->hidden);
		buf_puts(&b, c(rp, RESET));
	}
	fprintf(rp->out, "%s\n", b.data);
	buf_free(&b);
}

static size_t label_width(void)
{
	size_t e = utf8_columns(_("Expected:"), strlen(_("Expected:")));
	size_t g = utf8_columns(_("Received:"), strlen(_("Received:")));

	return (e > g ? e : g) + 2;
}

/* "    Expected:  " with the value's column aligned for both labels. */
static void print_label(const struct report *rp, const char *label)
{
	fprintf(rp->out, "    %s", label);
	pad(rp, label_width() - utf8_columns(label, strlen(label)));
}

/* Bytes that the report can only show as \xNN; any NUL counts as many. */
static size_t odd_bytes(const struct side *s)
{
	struct buf b = {0};
	size_t odd = 0, w;

	if (memchr(s->p, '\0', s->n))
		odd = HEX_ODD_MAX + 1;
	for (size_t i = 0; i < s->n;) {
		size_t len;
		b.len = 0;
		len = escape_char(&b, s->p + i, s->n - i, &w);
		if (b.len >= 4 && b.data[0] == '\\' && b.data[1] == 'x')
			odd += len;
		i += len;
	}
	buf_free(&b);
	return odd;
}

/* One row of a hexdump: offset (or blanks), label, 8 bytes, their text. */
static void hex_row(const struct report *rp, const struct diff *d, const struct side *s,
                    const struct side *other, size_t row, int offw, int first, const char *label,
                    const char *colour)
{
	if (first)
		fprintf(rp->out, "      %*zu  ", offw, row);
	else
		fprintf(rp->out, "      %*s  ", offw, "");
	fprintf(rp->out, "%s", label);
	pad(rp, label_width() - utf8_columns(label, strlen(label)));
	if (row >= s->n) {
		fprintf(rp->out, "%s%s%s\n", c(rp, DIM), _("(nothing)"), c(rp, RESET));
		return;
	}
	for (size_t i = row; i < row + HEX_ROW; i++) {
		int differs = i >= d->at && (i >= other->n || i >= s->n || s->p[i] != other->p[i]);
		if (i < s->n)
			fprintf(rp->out, "%s%02x%s ", differs ? c(rp, colour) : "",
			        (unsigned char)s->p[i], differs ? c(rp, RESET) : "");
		else
			fputs("   ", rp->out);
	}
	fputs(" |", rp->out);
	for (size_t i = row; i < row + HEX_ROW && i < s->n; i++) {
		unsigned char ch = (unsigned char)s->p[i];
		fputc(ch >= 0x20 && ch < 0x7f ? ch : '.', rp->out);
	}
	fputs("|\n", rp->out);
}

/* Both sides around the first difference, a row of each by turns, with a
 * mark under the first byte that differs. */
static void print_hexdump(const struct report *rp, const struct diff *d)
{
	size_t longest = d->e.n > d->g.n ? d->e.n : d->g.n;
	size_t here = d->at / HEX_ROW * HEX_ROW;
	size_t first = here >= HEX_ROW ? here - HEX_ROW : 0;
	size_t last = here + 2 * HEX_ROW;
	char num[32];
	int offw;

	if (last >= longest)
		last = longest ? (longest - 1) / HEX_ROW * HEX_ROW : 0;
	offw = snprintf(num, sizeof(num), "%zu", last);
	fprintf(rp->out, "    %s\n",
	        _("The bytes around the first difference (offset, hex, text):"));
	for (size_t row = first; row <= last; row += HEX_ROW) {
		hex_row(rp, d, &d->e, &d->g, row, offw, 1, _("Expected:"), GREEN);
		hex_row(rp, d, &d->g, &d->e, row, offw, 0, _("Received:"), RED);
		if (row == here) {
			pad(rp, 6 + (size_t)offw + 2 + label_width() + (d->at - here) * 3);
			fprintf(rp->out, "%s^^%s\n", c(rp, RED), c(rp, RESET));
		}
	}
}

/* In words: how many bytes are alike, and what came instead of what. */
static void print_difference(const struct report *rp, const struct diff *d)
{
	size_t end_e = chunk_end(&d->e, d->from, d->at), end_g = chunk_end(&d->g, d->from, d->at);
	char *we = chunk_words(&d->e, d->from, end_e), *wg = chunk_words(&d->g, d->from, end_g);
	unsigned long n = (unsigned long)d->from;
	struct buf b = {0};

	if (d->cut)
		/* TRANSLATORS: the values were cut, and what is shown of them is alike. */
		buf_printf(&b,
		           ngettext("The %zu byte shown is the same on both sides.",
		                    "The %zu bytes shown are the same on both sides.", d->at),
		           d->at);
	else if (end_e > d->from && end_g > d->from)
		/* TRANSLATORS: a count of bytes; then what was expected and what
		 * arrived instead, each as «text» (0xNN 0xNN). */
		buf_printf(
		        &b,
		        ngettext("The first %zu byte is the same; then %s was expected, and %s "
		                 "arrived.",
		                 "The first %zu bytes are the same; then %s was expected, and %s "
		                 "arrived.",
		                 n),
		        d->from, we, wg);
	else if (end_g > d->from)
		/* TRANSLATORS: a count of bytes; then what arrived, as «text» (0xNN). */
		buf_printf(
		        &b,
		        ngettext("The first %zu byte is the same; then %s arrived, and nothing "
		                 "more was expected.",
		                 "The first %zu bytes are the same; then %s arrived, and nothing "
		                 "more was expected.",
		                 n),
		        d->from, wg);
	else
		/* TRANSLATORS: a count of bytes; then what was expected, as «text» (0xNN). */
		buf_printf(&b,
		           ngettext("The first %zu byte is the same; then %s was expected, and "
		                    "nothing more arrived.",
		                    "The first %zu bytes are the same; then %s was expected, and "
		                    "nothing more arrived.",
		                    n),
		           d->from, we);
	indented(rp, "    ", b.data);
	buf_free(&b);
	free(we);
	free(wg);
}

/* The caret under the first character that differs. */
static void print_caret(const struct report *rp, const struct diff *d, const struct window *w)
{
	struct buf b = {0};
	size_t cols = render(&b, &d->e, w->start, d->from);

	buf_free(&b);
	pad(rp, 4 + label_width() + 1 + cols);
	fprintf(rp->out, "%s^%s\n", c(rp, RED), c(rp, RESET));
}

/* Expected lines from several senders: any one of them would do. */
static void print_awaited(const struct report *rp, const char *expected)
{
	char *safe = escape_terminal_dup(expected);
	char *line = safe;

	fprintf(rp->out, "    %s\n", _("Expected, one of these lines:"));
	while (line && *line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		fprintf(rp->out, strcmp(line, "…") == 0 ? "      %s\n" : "      \"%s\"\n", line);
		line = nl ? nl + 1 : NULL;
	}
	free(safe);
}

/* Expected and received, one above the other, the first difference
 * marked; with a hexdump when the bytes are not text. */
static void print_values(const struct report *rp, const struct test_result *t)
{
	struct diff d = {0};
	struct window w = {0};
	int awaited = t->expected && strchr(t->expected, '\n');

	if (!t->expected && !t->received)
		return;
	if (t->expected)
		side_init(&d.e, t->expected);
	if (t->received)
		side_init(&d.g, t->received);
	d.both = t->expected && t->received && !awaited && (d.g.n || d.g.hidden) &&
	         !t->expected_pattern;
	if (d.both) {
		diff_find(&d);
		window_find(&d, &w);
	} else {
		w.end_e = window_end(&d.e, 0);
		w.end_g = window_end(&d.g, 0);
	}
	if (awaited) {
		print_awaited(rp, t->expected);
	} else if (t->expected) {
		print_label(rp, _("Expected:"));
		print_side(rp, &d.e, w.start, w.end_e, d.from,
		           d.seen ? chunk_end(&d.e, d.from, d.at) : 0, GREEN);
	}
	if (t->expected && t->expected_pattern)
		fprintf(rp->out, "    %s%s%s\n", c(rp, DIM),
		        _("(a pattern, not exact bytes: ⟨…⟩ and … stand for any text)"),
		        c(rp, RESET));
	if (t->received && !d.g.n && !d.g.hidden) {
		print_label(rp, _("Received:"));
		fprintf(rp->out, "%s\n", _("(nothing)"));
	} else if (t->received) {
		print_label(rp, _("Received:"));
		print_side(rp, &d.g, d.both ? w.start : 0, w.end_g, d.from,
		           d.seen ? chunk_end(&d.g, d.from, d.at) : 0, RED);
	}
	if (d.both && d.seen && d.from > 0)
		print_caret(rp, &d, &w);
	if (d.both && d.from > 0 && (d.seen || d.cut))
		print_difference(rp, &d);
	if (d.both && d.seen && (odd_bytes(&d.e) > HEX_ODD_MAX || odd_bytes(&d.g) > HEX_ODD_MAX))
		print_hexdump(rp, &d);
	free(d.e.p);
	free(d.g.p);
}

/* ---- the program's own output, kept apart ---- */

/* Past the note escape_tail puts first when it cut the beginning; the
 * whole note must match, or a program's own line could pass for it. */
static const char *after_cut_note(const char *text)
{
	const char *note = _("[… %zu earlier bytes not shown]\n");
	const char *conv = strstr(note, "%zu");
	size_t pre, digits;

	if (!conv)
		return text;
	pre = (size_t)(conv - note);
	digits = strncmp(text, note, pre) == 0 ? strspn(text + pre, "0123456789") : 0;
	if (!digits || strncmp(text + pre + digits, conv + 3, strlen(conv + 3)) != 0)
		return text;
	return text + pre + digits + strlen(conv + 3);
}

/* A program's output as escape_tail kept it: the checker's note about a
 * cut beginning outside the box, every line after "| ", long lines cut. */
static void print_output(const struct report *rp, const char *title, const char *text)
{
	char *safe = escape_terminal_dup(text);
	const char *p = after_cut_note(safe);

	fprintf(rp->out, "    %s\n", title);
	if (p != safe)
		fprintf(rp->out, "      %s%.*s%s\n", c(rp, DIM), (int)(p - safe - 1), safe,
		        c(rp, RESET));
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p), used, left = 0;
		size_t keep = rp->verbose ? len : fit(p, len, OUTPUT_COLS, &used, &left);

		fprintf(rp->out, "      %s|%s %.*s", c(rp, DIM), c(rp, RESET), (int)keep, p);
		if (keep < len) {
			fprintf(rp->out, "%s", c(rp, DIM));
			fprintf(rp->out, _("… (%zu more bytes)"), left);
			fprintf(rp->out, "%s", c(rp, RESET));
		}
		fputc('\n', rp->out);
		if (!end)
			break;
		p = end + 1;
	}
	free(safe);
}

/* ---- a test ---- */

/* The verdict's name and what the learner can do about it. */
static void print_verdict(const struct report *rp, const struct test_result *t)
{
	enum verdict v = t->verdict;
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
	        [V_WRONG] = N_("Wrong behaviour: what your program did is not what was "
	                       "expected."),
	};

	if (v == V_NONE)
		return;
	if (v == V_RUNTIME && t->diagnosis) /* it may well be running still */
		fprintf(rp->out, "    %s%s%s\n", c(rp, BOLD),
		        _("Runtime error: the memory check found an error while your program ran. "
		          "It is explained below, with the line of your code."),
		        c(rp, RESET));
	else
		fprintf(rp->out, "    %s%s%s\n", c(rp, BOLD), _(text[v]), c(rp, RESET));
}

/* What the sanitizers or valgrind found, explained (diagnose.h). */
static void print_diagnosis(const struct report *rp, const struct test_result *t)
{
	fprintf(rp->out, "    %s%s%s\n", c(rp, BOLD), _("What the memory check found:"),
	        c(rp, RESET));
	indented(rp, "      ", t->diagnosis);
}

/* The program's stderr; once its reports are explained, only what the
 * program wrote itself, unless -v asks for all of it. */
static void print_errors(const struct report *rp, const struct test_result *t)
{
	const char *title = _("Your program's errors (stderr):");
	char *own;

	if (!t->diagnosis || rp->verbose) {
		print_output(rp, title, t->errout);
		return;
	}
	own = xstrdup(t->errout);
	own[diagnose_strip(own, strlen(own))] = '\0';
	if (after_cut_note(own)[strspn(after_cut_note(own), "\n")])
		print_output(rp, title, own);
	fprintf(rp->out, "    %s%s%s\n", c(rp, DIM),
	        _("(the memory check's whole report: run again with -v)"), c(rp, RESET));
	free(own);
}

static void print_failure(const struct report *rp, const struct test_result *t)
{
	print_verdict(rp, t);
	if (t->message && *t->message)
		indented(rp, "    ", t->message);
	if (t->explanation) {
		fprintf(rp->out, "    %s%s%s ", c(rp, BOLD), _("Cause:"), c(rp, RESET));
		indented(rp, "", t->explanation);
	}
	print_values(rp, t);
	print_transcript(rp, t);
	if (t->out)
		print_output(rp, _("Your program's output (stdout):"), t->out);
	if (t->diagnosis)
		print_diagnosis(rp, t);
	if (t->errout)
		print_errors(rp, t);
	if (t->hint) {
		fprintf(rp->out, "    %s%s%s ", c(rp, YELLOW), _("Hint:"), c(rp, RESET));
		indented(rp, "", t->hint);
	}
	if (t->attempts > 1) {
		fprintf(rp->out, "    %s", c(rp, DIM));
		fprintf(rp->out,
		        _("(It ran %d times, because the machine was busy while it failed; this is "
		          "the last run.)"),
		        t->attempts);
		fprintf(rp->out, "%s\n", c(rp, RESET));
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
		fflush(rp->out);
		return;
	}
	if (rp->verbose && t->nevents)
		print_transcript(rp, t);
	if (t->diagnosis) /* leaks: told, but they fail nothing */
		print_diagnosis(rp, t);
	if ((rp->verbose && t->nevents) || t->diagnosis)
		fputc('\n', rp->out);
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
