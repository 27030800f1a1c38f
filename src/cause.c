/* cause.c - trace a failed test to its cause from what was observed. */
#include "cause.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "util.h"

#define SHOWN      60   /* bytes of a piece quoted in an explanation */
#define MIN_PIECE  4    /* a shorter piece found elsewhere proves nothing */
#define PIECE_KEY  12   /* bytes of a piece looked for elsewhere */
#define SHARED_MAX 4096 /* longer pieces are not searched for another client's bytes */
#define NUM_DIGITS 10   /* a number in text, at most */

static const struct {
	const char *id;
	const char *what;
	int own;
} causes[] = {
        [CAUSE_NONE] = {"", "", 0},
#define CAUSE(e, id, what, own) [CAUSE_##e] = {id, what, own},
#include "causes.def"
#undef CAUSE
};

const char *cause_name(enum cause_id id)
{
	return id > CAUSE_NONE && id < CAUSE_COUNT ? causes[id].id : "";
}

const char *cause_what(enum cause_id id)
{
	return id > CAUSE_NONE && id < CAUSE_COUNT ? _(causes[id].what) : "";
}

int cause_is_own(enum cause_id id)
{
	return id > CAUSE_NONE && id < CAUSE_COUNT && causes[id].own;
}

int cause_traced(enum cause_id id)
{
	return id != CAUSE_NONE && id != CAUSE_WRONG_TEXT;
}

enum cause_id cause_parse(const char *name)
{
	for (int i = CAUSE_NONE + 1; i < CAUSE_COUNT; i++)
		if (strcmp(causes[i].id, name) == 0)
			return (enum cause_id)i;
	return CAUSE_NONE;
}

static char *shown(const char *p, size_t n)
{
	return escape_dup(p, n, SHOWN);
}

static struct cause made(enum cause_id id, char *text)
{
	struct cause c = {id, text};
	return c;
}

/* ---- what the program ran into ---- */

static struct cause ran_into(const struct observed *o)
{
	if (o->fd_limit)
		return made(
		        CAUSE_FD_LIMIT,
		        xasprintf(_("Your program reached the box's limit of %d open descriptors "
		                    "(files and sockets) in one process."),
		                  o->fd_limit));
	if (o->proc_limit)
		return made(CAUSE_PROC_LIMIT,
		            xasprintf(_("Your program reached the box's limit of %d processes and "
		                        "threads."),
		                      o->proc_limit));
	if (o->signal == SIGXCPU)
		return made(
		        CAUSE_BUSY_LOOP,
		        xasprintf(_("Your program used up all the CPU time it may use, and the "
		                    "system ended it (SIGXCPU). A program that waits in poll(), "
		                    "accept() or recv() uses almost none: look for a loop that "
		                    "spins, such as poll() with a timeout of 0, POLLOUT asked for "
		                    "sockets with nothing to send, or a non-blocking recv() in a "
		                    "loop.")));
	if (o->signal == SIGPIPE)
		return made(
		        CAUSE_SIGPIPE,
		        xasprintf(_("Your program sent to a connection whose other end had gone, "
		                    "and the system ended it with SIGPIPE. Ignore the signal "
		                    "(signal(SIGPIPE, SIG_IGN)) or send with MSG_NOSIGNAL: send() "
		                    "then returns -1 with EPIPE, and the program goes on.")));
	if (o->signal && !o->memory_error)
		return made(CAUSE_CRASH,
		            xasprintf(_("Your program crashed (%s) in the middle of the test: what "
		                        "the connections saw follows from it. gdb or valgrind show "
		                        "the line where it breaks."),
		                      sigabbrev_np(o->signal) ? sigabbrev_np(o->signal) : "?"));
	if (o->server_exit && !o->memory_error)
		return made(
		        CAUSE_SERVER_ENDED,
		        xasprintf(_("Your server ended by itself, with exit status %d, while the "
		                    "test still needed it: what the connections saw after that "
		                    "follows from it. A server goes back to accept() for the next "
		                    "client, and never returns from main."),
		                  o->server_exit - 1));
	if (o->memory_error)
		return made(
		        CAUSE_MEMORY_ERROR,
		        xasprintf(_("The memory check found an error in your program (explained "
		                    "below); what the connections saw follows from it.")));
	if (o->spun_ms)
		return made(
		        CAUSE_BUSY_LOOP,
		        xasprintf(_("Your program used %d ms of CPU while it had nothing to do "
		                    "but wait. A wait that returns at once spins: poll() with a "
		                    "timeout of 0, POLLOUT asked for sockets with nothing to "
		                    "send (they can always be written), or a non-blocking recv() "
		                    "in a loop."),
		                  o->spun_ms));
	return made(CAUSE_NONE, NULL);
}

/* ---- what it did with the connections ---- */

static struct cause conn_state(const struct observed *o)
{
	const char *name = o->conn ? o->conn : "";

	if (o->in_send > 0)
		return made(
		        CAUSE_BLOCKED_IN_SEND,
		        xasprintf(_("Your program is stuck in send() to a client that does not "
		                    "read: that connection's buffer is full, and a blocking send() "
		                    "waits for room, holding up everything else that thread (or "
		                    "the lock it holds) should do. Send without blocking "
		                    "(MSG_DONTWAIT, or a non-blocking socket) and deal with what "
		                    "did not fit.")));
	if (o->is_client && o->threads > 0 && o->in_stdin == o->threads)
		return made(CAUSE_WAITS_FOR_KEYBOARD,
		            xasprintf(_("Your program is waiting for the keyboard (a read of the "
		                        "standard input), so it does not see what arrives from the "
		                        "network meanwhile. Wait for both at once with poll(): the "
		                        "socket and descriptor 0.")));
	if (o->queued > 0 && o->glen == 0)
		return made(
		        CAUSE_NOT_ACCEPTED,
		        xasprintf(ngettext("Connection %s got nothing: it waited in your "
		                           "server's queue, never accepted (%d connection "
		                           "waiting in all), while your server was busy with "
		                           "another. Go back to accept() at once: serve each "
		                           "client in its own thread or process, or with poll().",
		                           "Connection %s got nothing: it waited in your "
		                           "server's queue, never accepted (%d connections "
		                           "waiting in all), while your server was busy with "
		                           "another. Go back to accept() at once: serve each "
		                           "client in its own thread or process, or with poll().",
		                           (unsigned long)o->queued),
		                  name, o->queued));
	if (o->eof_answer)
		return made(CAUSE_WAITS_FOR_EOF,
		            xasprintf(_("Your program answered %s only once the checker closed its "
		                        "side of the connection: it waits for the end of the input "
		                        "(recv() returning 0) instead of answering what arrived."),
		                      name));
	if (!o->is_client && !o->is_udp && o->threads > 0 && o->in_recv == o->threads)
		return made(
		        CAUSE_BLOCKED_IN_RECV,
		        xasprintf(_("Your program is waiting in recv() for one client, so it "
		                    "serves no other: on a blocking socket, recv() waits until "
		                    "that client sends. Wait in poll() for all of them and read "
		                    "only those that are ready, or give each client its own "
		                    "thread.")));
	return made(CAUSE_NONE, NULL);
}

/* ---- the bytes ---- */

/* The first bytes of piece (up to PIECE_KEY of them), found in p[0..n). */
static int has_start_of(const char *p, size_t n, const char *piece, size_t pn)
{
	size_t k = pn < PIECE_KEY ? pn : PIECE_KEY;

	return k >= MIN_PIECE && memmem(p, n, piece, k) != NULL;
}

/* Where in piece a run of PIECE_KEY bytes is also in got and not in want,
 * or -1. (A race on a shared buffer mixes pieces anywhere, not only at
 * their start.) */
static long shared_run(const struct observed *o, const char *piece, size_t n)
{
	size_t k = n < PIECE_KEY ? n : PIECE_KEY;

	if (k < MIN_PIECE || n > SHARED_MAX)
		return -1;
	for (size_t at = 0; at + k <= n; at++)
		if (memmem(o->got, o->glen, piece + at, k) &&
		    !memmem(o->want, o->wlen, piece + at, k))
			return (long)at;
	return -1;
}

/* An echo of this connection's own bytes was due, and what came holds bytes
 * another connection sent. (Where others' bytes are due too, as in a chat,
 * their lines prove nothing: the echo rule keeps them out.) */
static struct cause other_client(const struct observed *o)
{
	size_t pre = o->wlen >= o->olen ? o->wlen - o->olen : 0;

	if (!o->conn || !o->want || !has_start_of(o->want, o->wlen, o->own, o->olen))
		return made(CAUSE_NONE, NULL);
	for (size_t i = 0; i < o->nothers; i++) {
		const struct sent_piece *s = &o->others[i];
		long at = shared_run(o, s->p, s->n);
		if (at < 0)
			continue;
		char *piece = shown(s->p, s->n);
		struct cause c = made(
		        CAUSE_OTHER_CLIENT,
		        xasprintf(_("Connection %s received bytes of «%s», which connection %s had "
		                    "sent: your clients share a buffer or a variable. Give each "
		                    "client its own (memory reserved for it, or local variables of "
		                    "its thread)."),
		                  o->conn, piece, s->conn));
		free(piece);
		return c;
	}
	/* Or the reply's own start again where the echo was due: another thread
	 * wrote its reply into the same buffer. */
	if (pre >= MIN_PIECE && o->nothers && o->glen >= 2 * pre &&
	    memcmp(o->got, o->want, pre) == 0 && memcmp(o->got + pre, o->want, pre) == 0) {
		char *start = shown(o->want, pre);
		struct cause c =
		        made(CAUSE_OTHER_CLIENT,
		             xasprintf(_("Connection %s received «%s» twice, the second "
		                         "where its own bytes were due: two clients' "
		                         "replies were written into one buffer. Give each "
		                         "client its own (memory reserved for it, or local "
		                         "variables of its thread)."),
		                       o->conn, start));
		free(start);
		return c;
	}
	return made(CAUSE_NONE, NULL);
}

/* The extra bytes are the end of an earlier message, from the same place
 * in the buffer: the new one overwrote only its start. The earlier one is
 * the last answer taken as right (the same prefix before it), or the piece
 * the checker sent before this one. */
static int rest_of_earlier(const struct observed *o, const char *extra, size_t n)
{
	size_t pre = o->olen && o->wlen >= o->olen ? o->wlen - o->olen : 0;

	if (o->earlier && o->elen >= o->wlen + n && memcmp(o->earlier + o->wlen, extra, n) == 0)
		return 1;
	return o->prev && o->olen && o->plen >= o->olen + n && pre + o->olen == o->wlen &&
	       memcmp(o->prev + o->olen, extra, n) == 0;
}

/* What came is what was due and then more. */
static struct cause more_after(const struct observed *o)
{
	const char *extra = o->got + o->wlen;
	size_t n = o->glen - o->wlen;
	char *piece = shown(extra, n);
	struct cause c = made(CAUSE_NONE, NULL);

	if (rest_of_earlier(o, extra, n))
		c = made(
		        CAUSE_STALE_BUFFER,
		        xasprintf(_("After what was due came «%s», the end of an earlier message "
		                    "left in the buffer: the new one overwrote only its start. Use "
		                    "the count that recv() returned, or end the text with buf[n] = "
		                    "'\\0' after each recv()."),
		                  piece));
	else if (n == 1 && extra[0] == '\0')
		c = made(CAUSE_EXTRA_BYTES,
		         xasprintf(_(
		                 "After what was due came one zero byte: your program sends the "
		                 "'\\0' that ends a C string (strlen() + 1, or sizeof of a text), "
		                 "and on the wire it is one byte too many.")));
	else if (extra[0] == '\0')
		c = made(CAUSE_EXTRA_BYTES,
		         xasprintf(ngettext("After what was expected came %zu more byte, from a "
		                            "zero byte on («%s»): your program sends its whole "
		                            "buffer (sizeof) instead of the bytes it has.",
		                            "After what was expected came %zu more bytes, from a "
		                            "zero byte on («%s»): your program sends its whole "
		                            "buffer (sizeof) instead of the bytes it has.",
		                            n),
		                   n, piece));
	else if (!utf8_is_text(extra, n))
		c = made(CAUSE_EXTRA_BYTES,
		         xasprintf(ngettext("After what was expected came %zu more byte («%s»). "
		                            "strlen() and %%s read up to a zero byte, and what "
		                            "recv() fills does not end in one: use the count it "
		                            "returned, or put the zero there (buf[n] = '\\0').",
		                            "After what was expected came %zu more bytes («%s»). "
		                            "strlen() and %%s read up to a zero byte, and what "
		                            "recv() fills does not end in one: use the count it "
		                            "returned, or put the zero there (buf[n] = '\\0').",
		                            n),
		                   n, piece));
	else if (o->kind != FAIL_OUTPUT) /* printed text: its lines say more */
		c = made(CAUSE_EXTRA_BYTES,
		         xasprintf(
		                 ngettext("After what was due came %zu more byte («%s»), which the "
		                          "protocol does not have: send exactly what the lesson "
		                          "defines, with nothing added after it.",
		                          "After what was due came %zu more bytes («%s»), which "
		                          "the protocol does not have: send exactly what the "
		                          "lesson defines, with nothing added after it.",
		                          n),
		                 n, piece));
	free(piece);
	return c;
}

/* The bytes due hold a zero byte where what came stops or goes wrong. */
static struct cause cut_at_nul(const struct observed *o, size_t at)
{
	if (at >= o->wlen || o->want[at] != '\0')
		return made(CAUSE_NONE, NULL);
	if (at == o->glen)
		return made(
		        CAUSE_CUT_AT_NUL,
		        xasprintf(_("Only %zu of the %zu bytes due came: they stop right before "
		                    "the first zero byte of the data. strlen(), %%s and the "
		                    "other string functions stop there; measure binary data by "
		                    "the count read() or recv() returned."),
		                  o->glen, o->wlen));
	return made(CAUSE_CUT_AT_NUL,
	            xasprintf(_("What came is right up to byte %zu, where the data holds a zero "
	                        "byte, and wrong from there on. strlen(), %%s and the other string "
	                        "functions stop at a zero byte; measure binary data by the count "
	                        "read() or recv() returned."),
	                      at));
}

/* The number in p[0..n) around position at, or -1. */
static long long number_at(const char *p, size_t n, size_t at)
{
	size_t start = at, end = at;
	long long v = 0;

	while (start > 0 && p[start - 1] >= '0' && p[start - 1] <= '9')
		start--;
	while (end < n && p[end] >= '0' && p[end] <= '9')
		end++;
	if (end == start || end - start > NUM_DIGITS)
		return -1;
	for (size_t i = start; i < end; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

static int swapped(long long a, long long b)
{
	if (a < 0 || b < 0 || a == b || a > UINT32_MAX || b > UINT32_MAX)
		return 0;
	if (a <= UINT16_MAX && b <= UINT16_MAX && __builtin_bswap16((uint16_t)a) == (uint16_t)b)
		return 1;
	return __builtin_bswap32((uint32_t)a) == (uint32_t)b;
}

static char *swapped_text(long long shown_, long long due)
{
	return xasprintf(_("Your program shows %lld where %lld was due: the same number with "
	                   "its bytes in the other order. Socket addresses hold numbers in "
	                   "network byte order: ntohs() or ntohl() turns them into numbers "
	                   "to show, htons() or htonl() the other way."),
	                 shown_, due);
}

/* The first number that differs is the one due with its bytes swapped. */
static struct cause byte_order(const struct observed *o, size_t at)
{
	long long a, b;

	a = number_at(o->want, o->wlen, at);
	b = number_at(o->got, o->glen, at);
	if (!swapped(a, b))
		return made(CAUSE_NONE, NULL);
	return made(CAUSE_BYTE_ORDER, swapped_text(b, a));
}

/* The plain text right before re[i] (no regex operator in it), at most
 * PIECE_KEY bytes: where a number is in the line. Its length. */
static size_t plain_before(const char *re, size_t i)
{
	size_t k = 0;

	while (k < i && k < PIECE_KEY && !strchr("\\^$.[](){}*+?|", re[i - k - 1]))
		k++;
	return k;
}

/* A number the regex asks for literally (not in [...] or {...}, not after a
 * backslash) shown with its bytes swapped in what came, after the same
 * text ("puerto 80" due, "puerto 20480" shown). */
static struct cause byte_order_pattern(const struct observed *o)
{
	const char *re = o->pattern;
	size_t n = strlen(re);

	for (size_t i = 0; i < n; i++) {
		size_t k;
		const char *hit, *end = o->got + o->glen;
		long long a;
		if (re[i] == '\\' || re[i] == '[' || re[i] == '{') {
			const char *close = re[i] == '[' ? "]" : re[i] == '{' ? "}" : "";
			i += *close ? strcspn(re + i, close) : 1;
			continue;
		}
		if (!(re[i] >= '0' && re[i] <= '9') ||
		    (i > 0 && re[i - 1] >= '0' && re[i - 1] <= '9'))
			continue;
		a = number_at(re, n, i);
		k = plain_before(re, i);
		for (const char *p = o->got;
		     k && a >= 0 && p < end && (hit = memmem(p, (size_t)(end - p), re + i - k, k));
		     p = hit + 1) {
			size_t at = (size_t)(hit - o->got) + k;
			long long b = at < o->glen && o->got[at] >= '0' && o->got[at] <= '9'
			                      ? number_at(o->got, o->glen, at)
			                      : -1;
			if (swapped(a, b))
				return made(CAUSE_BYTE_ORDER, swapped_text(b, a));
		}
	}
	return made(CAUSE_NONE, NULL);
}

static struct cause http_lengths(const struct observed *o)
{
	if (o->body_want >= 0 && o->body_have >= 0 && o->body_have != o->body_want)
		return made(
		        CAUSE_BODY_LENGTH,
		        xasprintf(o->body_have < o->body_want
		                          ? _("The head says Content-Length: %ld, and %ld bytes "
		                              "of body came. Send the whole body (send() may "
		                              "take only part of it: loop until all is sent), "
		                              "and measure it by its size, not with strlen(), "
		                              "which stops at a zero byte.")
		                          : _("The head says Content-Length: %ld, and %ld bytes "
		                              "of body came: the length must count the body's "
		                              "bytes exactly."),
		                  o->body_want, o->body_have));
	if (o->head_unended)
		return made(CAUSE_HEAD_UNENDED,
		            xasprintf(_("The lines of the head came, but not the empty line "
		                        "(\\r\\n alone) that ends it: the other side waits for it "
		                        "before it goes on.")));
	return made(CAUSE_NONE, NULL);
}

/* Traced from the first byte where what came and what was due differ. */
static struct cause compared(const struct observed *o)
{
	size_t at = 0, n = o->wlen < o->glen ? o->wlen : o->glen;
	struct cause c;

	while (at < n && o->want[at] == o->got[at])
		at++;
	if (at == o->wlen && o->glen > o->wlen)
		return more_after(o);
	c = cut_at_nul(o, at);
	if (!c.id && at < o->glen && o->got[at] == '\0' && o->glen - at - 1 <= o->wlen - at &&
	    memcmp(o->got + at + 1, o->want + at, o->glen - at - 1) == 0)
		c = made(CAUSE_EXTRA_BYTES,
		         xasprintf(
		                 _("At byte %zu came a zero byte that is not in what was due: "
		                   "your program sends the '\\0' that ends a C string (sizeof of a "
		                   "text, or strlen() + 1)."),
		                 at));
	if (!c.id)
		c = byte_order(o, at);
	return c;
}

static struct cause bytes(const struct observed *o)
{
	struct cause c = made(CAUSE_NONE, NULL);

	if (o->got && o->glen)
		c = other_client(o);
	if (!c.id && o->want && o->got)
		c = compared(o);
	if (!c.id && !o->want && o->pattern && o->got)
		c = byte_order_pattern(o);
	if (!c.id)
		c = http_lengths(o);
	return c;
}

struct cause cause_find(const struct observed *o)
{
	struct cause c = ran_into(o);

	if (!c.id && o->gave_up)
		c = cause_by_kind(o);
	if (!c.id)
		c = conn_state(o);
	if (!c.id)
		c = bytes(o);
	if (!c.id && o->reset)
		c = made(CAUSE_RESET,
		         xasprintf(
		                 _("Your program reset connection %s (RST) instead of closing it: "
		                   "the system does so when a socket is closed with received bytes "
		                   "nobody read, or when the program ends with it open."),
		                 o->conn ? o->conn : ""));
	if (!c.id)
		c = cause_by_kind(o);
	if (!c.id)
		c = cause_of_difference(o);
	return c;
}
