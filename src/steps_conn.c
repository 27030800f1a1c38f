/* steps_conn.c - the steps on connections: connect, accept, send, expect, close... */
#include "runner.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape.h"
#include "i18n.h"
#include "match.h"
#include "net.h"

void step_connect(struct runner *r, const struct step *s)
{
	char err[ERR_LEN];
	struct conn *c;
	int port, fd;

	if (!runner_new_conn_name(r, s->conn) || runner_expand_port(r, s->port, &port) < 0)
		return;
	runner_replay(r, REPLAY_CONNECT, s->conn,
	              port == r->job->port ? r->job->spec->program.port : port, NULL, 0);
	fd = net_tcp_connect(port, s->no_read, runner_step_deadline(r, s->within_ms), err);
	if (fd < 0) {
		runner_reap(r);
		runner_note(r, s->conn, "connect_failed", err);
		runner_fail(r, NULL, NULL,
		            _("Connection %s could not connect to your server on port %d: %s."),
		            s->conn, port, err);
		return;
	}
	c = runner_add_conn(r, s->conn, fd, port);
	c->no_read = s->no_read;
	runner_note(r, s->conn, "connect", "");
}

/* Send all of text on a TCP connection before deadline, reading every
 * connection while the program is slow to take it: a program that writes to
 * us while we write to it must never deadlock with us. */
static int send_reading(struct runner *r, struct conn *c, const char *p, size_t n, int64_t deadline)
{
	while (n > 0 && !r->failed) {
		ssize_t k = send(c->fd, p, n, MSG_NOSIGNAL);

		if (k > 0) {
			p += k;
			n -= (size_t)k;
		} else if (k < 0 && errno != EAGAIN && errno != EINTR) {
			return -1;
		} else if (k < 0 && errno == EAGAIN) {
			if (ms_left(deadline) == 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			r->writing = c;
			runner_pump(r, ms_left(deadline));
			r->writing = NULL;
		}
	}
	return 0;
}

/* For the recipe: the stream's bytes, or each datagram as a shell word. */
static int typable(const char *text, size_t len)
{
	for (size_t i = 0, k; i < len; i += k)
		if (!text[i] || !(k = utf8_seq_len((const unsigned char *)text + i, len - i)))
			return 0;
	return 1;
}

static void note_sent(struct conn *c, const char *text, size_t len)
{
	c->untypable |= !typable(text, len);
	if (c->udp) {
		char *w = shell_word(text);
		buf_printf(&c->sent, "%s%s", c->nsent ? " " : "", w);
		free(w);
	} else {
		buf_append(&c->sent, text, len);
	}
	runner_conn_sent(c, text, len);
	c->nsent++;
}

/* Where a datagram of c goes, as a person would see it: the lesson's port
 * for the program's, -1 for a port the program's system chose (a client's). */
static long replay_port(const struct runner *r, const struct conn *c)
{
	if (c->serves || c->aims_at_client)
		return -1;
	return c->peer_port == r->job->port ? r->job->spec->program.port : c->peer_port;
}

/* On TCP, bytes of the stream; on UDP, one datagram (an empty one too). */
static void send_piece(struct runner *r, struct conn *c, const char *tmpl, int ms)
{
	size_t len;
	char *text = runner_expand_len(r, tmpl, &len);
	int64_t deadline = runner_step_deadline(r, ms);

	if (!text)
		return;
	runner_note_bytes(r, c->name, "send", text, len);
	runner_replay(r, REPLAY_SEND, c->name, c->udp ? replay_port(r, c) : 0, text, len);
	note_sent(c, text, len);
	if (c->udp && net_udp_send(c->fd, c->peer_port, text, len, deadline) < 0) {
		runner_fail(r, NULL, NULL,
		            _("Internal error: the checker could not send a datagram on %s: %s"),
		            c->name, strerror(errno));
		r->res->status = ST_ERROR;
	} else if (!c->udp && send_reading(r, c, text, len, deadline) < 0) {
		int e = errno;
		runner_reap(r);
		if (e == EPIPE || e == ECONNRESET)
			runner_fail_kind(r, FAIL_CLOSED, c);
		runner_fail(r, NULL, NULL,
		            _("Could not send on connection %s: %s (did your program close it?)."),
		            c->name, strerror(e));
	}
	free(text);
}

/* Text at once, or fragments with pauses: a reply that arrives in pieces
 * (on UDP, each fragment is a datagram of its own); after a delay, a slow one. */
void step_send(struct runner *r, const struct step *s)
{
	struct conn *c = runner_open_conn(r, s);

	if (!c)
		return;
	if (s->delay_ms)
		runner_pause(r, s->delay_ms);
	if (r->failed)
		return;
	if (s->text) {
		send_piece(r, c, s->text, s->within_ms);
		return;
	}
	for (size_t i = 0; i < s->fragments.n && !r->failed; i++) {
		if (i && s->pause_ms)
			runner_pause(r, s->pause_ms);
		send_piece(r, c, s->fragments.v[i], s->within_ms);
	}
}

struct expect_ctx {
	struct conn *c;
	const char *want;
	size_t wlen;
	const char *until; /* delimiter, or NULL */
	size_t chunk;      /* with until: bytes before the delimiter, once found */
	size_t seen;       /* bytes already looked at: no delimiter in them, or equal to want */
	int found;
	enum match m;
};

static int expect_done(struct runner *r, void *ctx)
{
	struct expect_ctx *e = ctx;
	const char *in = e->c->in.data ? e->c->in.data : "";

	size_t len = e->c->in.len;

	/* Each wake-up looks only at what is new: megabytes that arrive in
	 * pieces cost one pass, not one per piece. */
	(void)r;
	if (e->until) {
		size_t dlen = strlen(e->until), from = e->seen >= dlen ? e->seen - dlen + 1 : 0;
		const char *d = memmem(in + from, len - from, e->until, dlen);
		e->found = d != NULL;
		e->chunk = d ? (size_t)(d - in) : len;
		e->seen = len;
		return e->found || e->c->eof;
	}
	if (!e->want) /* a regex on everything: wait for the end */
		return e->c->eof;
	e->m = match_prefix(e->want + e->seen, e->wlen - e->seen, in + e->seen, len - e->seen,
	                    NULL);
	if (e->m == MATCH_MORE)
		e->seen = len;
	return e->m != MATCH_MORE || e->c->eof;
}

/* Compare what was read (up to the delimiter, or all of it) as the step says. */
static int expect_judge(const struct step *s, struct expect_ctx *e)
{
	char *part = xstrndup(e->c->in.data ? e->c->in.data : "", e->chunk);
	int ok;

	if (s->regex)
		ok = match_regex(s->regex, part) == 1;
	else
		ok = e->chunk == e->wlen && memcmp(part, e->want, e->wlen) == 0;
	free(part);
	return ok;
}

static void fail_expect(struct runner *r, const struct step *s, struct expect_ctx *e)
{
	char *want = escape_dup(e->want, e->wlen, SHOW_EXPECT);
	char *got = escape_dup(e->c->in.data, e->c->in.len, SHOW_EXPECT);
	const char *name = e->c->name;

	runner_evidence(r, e->c, e->want, e->wlen, e->c->in.data, e->c->in.len);
	r->ev.timed_out = e->m == MATCH_MORE && !e->c->eof && !e->c->error;
	if (e->m == MATCH_DIFF)
		runner_fail(r, want, got,
		            _("Connection %s received something other than expected."), name);
	else if (e->c->error == ECONNRESET)
		runner_fail(r, want, got,
		            _("Your program reset connection %s (RST) before sending all that was "
		              "expected."),
		            name);
	else if (e->c->eof) {
		runner_fail_kind(r, FAIL_CLOSED, e->c);
		runner_fail(r, want, got,
		            _("Your program closed connection %s before sending all that was "
		              "expected."),
		            name);
	} else if (e->c->in.len == 0)
		runner_fail(r, want, got, _("Connection %s received nothing within %d ms."), name,
		            s->within_ms);
	else {
		runner_fail_kind(r, FAIL_PARTIAL, e->c);
		runner_fail(r, want, got,
		            _("Connection %s received only part of the answer within %d ms."), name,
		            s->within_ms);
	}
	free(want);
	free(got);
}

/* What the report shows as expected: the text, or the regex's words, escaped. */
static char *expected_shown(struct runner *r, const struct step *s, const struct expect_ctx *e)
{
	if (s->regex)
		return runner_pattern_words(r, s, s->regex);
	return escape_dup(e->want, e->wlen, SHOW_EXPECT);
}

/* With a delimiter or a regex: read up to the delimiter (or the end), then judge. */
static void expect_delimited(struct runner *r, const struct step *s, struct expect_ctx *e)
{
	char *until = s->until ? runner_expand(r, s->until) : NULL;

	if (s->until && !until)
		return;
	e->until = until;
	r->expecting = e->c;
	runner_wait_for(r, runner_step_deadline(r, s->within_ms), expect_done, e, 0);
	r->expecting = NULL;
	if (!until)
		e->chunk = e->c->in.len;
	if ((until && !e->found) || (!until && !e->c->eof)) {
		char *want = expected_shown(r, s, e);
		char *got = escape_dup(e->c->in.data, e->c->in.len, SHOW_EXPECT);
		runner_evidence(r, e->c, until ? NULL : e->want, e->wlen, e->c->in.data,
		                e->c->in.len);
		r->ev.timed_out = !e->c->eof && !e->c->error;
		if (!e->c->eof)
			runner_note(r, e->c->name, "timeout", "");
		if (until) {
			char *end = escape_dup(until, strlen(until), SHOW_BYTES);
			runner_fail(
			        r, want, got,
			        _("Connection %s: your program did not send the end of the message "
			          "(\"%s\") within %d ms."),
			        e->c->name, end, s->within_ms);
			free(end);
		} else {
			runner_fail_kind(r, FAIL_KEPT_OPEN, e->c);
			runner_fail(r, want, got,
			            _("Connection %s: your program did not close it within %d ms."),
			            e->c->name, s->within_ms);
		}
		free(want);
		free(got);
	} else if (!expect_judge(s, e)) {
		char *want = expected_shown(r, s, e);
		char *got = escape_dup(e->c->in.data, e->chunk, SHOW_EXPECT);
		runner_evidence(r, e->c, s->regex ? NULL : e->want, e->wlen, e->c->in.data,
		                e->chunk);
		r->ev.pattern = s->regex;
		runner_fail(r, want, got,
		            _("Connection %s received something other than expected."), e->c->name);
		free(want);
		free(got);
	} else {
		runner_conn_take(r, e->c, e->chunk + (until ? strlen(until) : 0));
	}
	free(until);
}

/* ---- lines from several senders, interleaved ---- */

#define SHOW_NEXT_LINES 8 /* of the lines still awaited, how many a report shows */

struct ileave {
	struct conn *c;
	struct strv *seqs; /* the lines, expanded, one sequence per sender */
	size_t nseqs;
	size_t *next; /* per sequence: its first line not yet seen */
	size_t left;  /* lines not yet seen, in all */
	char *bad;    /* a line that is none of the awaited ones */
};

/* Add each line of text (a final newline ends the last one; no empty line
 * after it) to the sequence. */
static void add_lines(struct strv *seq, const char *text, size_t *count)
{
	const char *p = text;

	do {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		seq->v = xrealloc(seq->v, (seq->n + 1) * sizeof(char *));
		seq->v[seq->n++] = xstrndup(p, len);
		(*count)++;
		p = nl ? nl + 1 : p + len;
	} while (*p);
}

/* Expand every template and split it into lines (a value may hold several). */
static int ileave_init(struct runner *r, const struct step *s, struct ileave *il)
{
	il->seqs = xcalloc(s->nseqs, sizeof(*il->seqs));
	il->next = xcalloc(s->nseqs, sizeof(*il->next));
	il->nseqs = s->nseqs;
	for (size_t k = 0; k < s->nseqs; k++) {
		for (size_t i = 0; i < s->seqs[k].n; i++) {
			char *text = runner_expand(r, s->seqs[k].v[i]);
			if (!text)
				return -1;
			add_lines(&il->seqs[k], text, &il->left);
			free(text);
		}
	}
	return 0;
}

static void ileave_free(struct ileave *il)
{
	for (size_t k = 0; k < il->nseqs; k++) {
		for (size_t i = 0; i < il->seqs[k].n; i++)
			free(il->seqs[k].v[i]);
		free(il->seqs[k].v);
	}
	free(il->seqs);
	free(il->next);
	free(il->bad);
}

/* Take each complete line that arrived: it must be the next of some sender. */
static int ileave_done(struct runner *r, void *ctx)
{
	struct ileave *il = ctx;
	struct buf *in = &il->c->in;
	const char *nl;
	size_t pos = 0; /* taken once at the end: one move of the rest, not one per line */

	while (il->left && !il->bad && pos < in->len &&
	       (nl = memchr(in->data + pos, '\n', in->len - pos))) {
		const char *line = in->data + pos;
		size_t len = (size_t)(nl - line), k;
		for (k = 0; k < il->nseqs; k++) {
			const char *want =
			        il->next[k] < il->seqs[k].n ? il->seqs[k].v[il->next[k]] : NULL;
			if (want && strlen(want) == len && memcmp(want, line, len) == 0)
				break;
		}
		if (k == il->nseqs) {
			il->bad = xstrndup(line, len);
			break;
		}
		il->next[k]++;
		il->left--;
		pos += len + 1;
	}
	if (pos)
		runner_conn_take(r, il->c, pos);
	return il->bad || il->left == 0 || il->c->eof;
}

/* The lines still awaited next, one per sender, for the report. */
static char *ileave_awaited(const struct ileave *il)
{
	struct buf b = {0};
	size_t shown = 0;

	for (size_t k = 0; k < il->nseqs && shown < SHOW_NEXT_LINES; k++) {
		if (il->next[k] >= il->seqs[k].n)
			continue;
		escape_bytes(&b, il->seqs[k].v[il->next[k]], strlen(il->seqs[k].v[il->next[k]]),
		             SHOW_BYTES);
		buf_puts(&b, "\n");
		shown++;
	}
	if (shown == SHOW_NEXT_LINES)
		buf_puts(&b, "…");
	return b.data ? buf_steal(&b) : xstrdup("");
}

static void expect_lines(struct runner *r, const struct step *s, struct conn *c)
{
	struct ileave il = {0};
	size_t total;

	il.c = c;
	if (ileave_init(r, s, &il) < 0) {
		ileave_free(&il);
		return;
	}
	total = il.left;
	r->expecting = c;
	runner_wait_for(r, runner_step_deadline(r, s->within_ms), ileave_done, &il, 0);
	r->expecting = NULL;
	if (il.left && !r->failed) {
		char *want = ileave_awaited(&il);
		char *got = il.bad ? escape_dup(il.bad, strlen(il.bad), SHOW_EXPECT)
		                   : escape_dup(c->in.data, c->in.len, SHOW_EXPECT);
		if (il.bad)
			runner_evidence(r, c, NULL, 0, il.bad, strlen(il.bad));
		else
			runner_evidence(r, c, NULL, 0, c->in.data, c->in.len);
		r->ev.timed_out = !il.bad && !c->eof && !c->error;
		if (il.bad)
			runner_fail(
			        r, want, got,
			        _("Connection %s received a line that none of the senders was due "
			          "to send next (after %zu of the %zu lines expected)."),
			        c->name, total - il.left, total);
		else if (c->eof)
			runner_fail(
			        r, want, got,
			        _("Your program closed connection %s after %zu of the %zu lines "
			          "expected."),
			        c->name, total - il.left, total);
		else
			runner_fail(
			        r, want, got,
			        _("Connection %s received %zu of the %zu lines expected within %d "
			          "ms."),
			        c->name, total - il.left, total, s->within_ms);
		if (!il.bad && !c->eof)
			runner_note(r, c->name, "timeout", "");
		free(want);
		free(got);
	}
	ileave_free(&il);
}

/* ---- a text sent back in pieces, each after a prefix ---- */

struct pieces {
	struct conn *c;
	const char *want, *pre;
	size_t wlen, plen;
	enum match m;
	size_t used; /* bytes of the stream that hold the whole text, once there */
};

/* Join the pieces that arrived, up to the length of the text, and judge. */
static enum match pieces_match(struct pieces *pc)
{
	const char *in = pc->c->in.data ? pc->c->in.data : "";
	size_t len = pc->c->in.len, pos = 0, tail = 0;
	struct buf data = {0};
	enum match m = MATCH_MORE;

	pc->used = 0;
	while (pos < len && data.len < pc->wlen) {
		const char *next;
		size_t end, take;
		if (memcmp(in + pos, pc->pre, len - pos < pc->plen ? len - pos : pc->plen) != 0) {
			m = MATCH_DIFF; /* a piece must start with the prefix */
			break;
		}
		if (len - pos < pc->plen) /* the start of a prefix: wait for the rest */
			break;
		pos += pc->plen;
		next = memmem(in + pos, len - pos, pc->pre, pc->plen);
		end = next ? (size_t)(next - in) : len;
		take = end - pos < pc->wlen - data.len ? end - pos : pc->wlen - data.len;
		buf_append(&data, in + pos, take);
		pos += take;
		if (data.len == pc->wlen)
			pc->used = pos;
		pos = end;
	}
	if (m != MATCH_DIFF)
		m = match_prefix(pc->want, pc->wlen, data.data ? data.data : "", data.len, NULL);
	/* Data that ends like the start of a prefix may be one that goes on. */
	for (size_t k = pc->plen - 1; m == MATCH_DIFF && !pc->used && k > 0 && !tail; k--)
		if (data.len >= k && memcmp(data.data + data.len - k, pc->pre, k) == 0)
			tail = k;
	if (tail &&
	    match_prefix(pc->want, pc->wlen, data.data, data.len - tail, NULL) == MATCH_MORE)
		m = MATCH_MORE;
	buf_free(&data);
	return m;
}

static int pieces_done(struct runner *r, void *ctx)
{
	struct pieces *pc = ctx;

	(void)r;
	pc->m = pieces_match(pc);
	return pc->m != MATCH_MORE || pc->c->eof;
}

/* The text comes back in pieces of any size, each after the prefix: the
 * lesson03 echo of a long message. */
static void expect_prefixed(struct runner *r, const struct step *s, struct conn *c)
{
	char *want = runner_expand(r, s->text);
	struct pieces pc = {c, want, s->prefixed, 0, strlen(s->prefixed), MATCH_MORE, 0};

	if (!want)
		return;
	pc.wlen = strlen(want);
	{
		/* The player joins pieces after the prefix as the checker does. */
		char *whole = xasprintf("%s%s", pc.pre, want);
		runner_replay(r, REPLAY_EXPECT, c->name, (long)pc.plen, whole, strlen(whole));
		free(whole);
	}
	r->expecting = c;
	runner_wait_for(r, runner_step_deadline(r, s->within_ms), pieces_done, &pc, 0);
	r->expecting = NULL;
	if (pc.m == MATCH_OK) {
		runner_conn_take(r, c, pc.used);
	} else {
		struct expect_ctx e = {0};
		/* The bytes due start with the prefix, one piece being the usual answer. */
		char *whole = xasprintf("%s%s", pc.pre, want);
		runner_evidence(r, c, whole, strlen(whole), c->in.data, c->in.len);
		free(whole);
		e.c = c;
		e.want = want;
		e.wlen = pc.wlen;
		e.m = pc.m;
		if (pc.m == MATCH_MORE && !c->eof)
			runner_note(r, c->name, "timeout", "");
		fail_expect(r, s, &e);
	}
	free(want);
}

void step_expect(struct runner *r, const struct step *s)
{
	struct expect_ctx e = {0};
	struct conn *c = runner_find_conn(r, s->conn);
	char *want = NULL;

	if (!c) {
		runner_open_conn(r, s);
		return;
	}
	if (c->udp) {
		dgram_expect(r, s, c);
		return;
	}
	if (s->nseqs) {
		expect_lines(r, s, c);
		return;
	}
	if (s->prefixed) {
		expect_prefixed(r, s, c);
		return;
	}
	if (s->http) {
		expect_httpmsg(r, s, c);
		return;
	}
	if (s->text && !(want = runner_expand_len(r, s->text, &e.wlen)))
		return;
	e.c = c;
	e.want = want;
	if (s->until || s->regex) {
		expect_delimited(r, s, &e);
		free(want);
		return;
	}
	runner_replay(r, REPLAY_EXPECT, c->name, 0, want, e.wlen);
	r->expecting = c;
	runner_wait_for(r, runner_step_deadline(r, s->within_ms), expect_done, &e, 0);
	r->expecting = NULL;
	if (e.m == MATCH_OK) {
		runner_conn_take(r, c, e.wlen);
	} else {
		if (e.m == MATCH_MORE && !c->eof)
			runner_note(r, c->name, "timeout", "");
		fail_expect(r, s, &e);
	}
	free(want);
}

/* Read what is pending first: unread data would turn our FIN into a RST. */
void step_close(struct runner *r, const struct step *s, int reset)
{
	struct conn *c = runner_open_conn(r, s);

	if (!c)
		return;
	if (c->udp) {
		dgram_close(r, c);
		return;
	}
	if (!reset) {
		while (!c->eof && recv(c->fd, (char[4096]){0}, 4096, MSG_DONTWAIT) > 0)
			;
		close(c->fd);
	} else {
		net_close_reset(c->fd);
	}
	c->fd = -1;
	runner_note(r, c->name, reset ? "reset" : "close", "");
	runner_replay(r, reset ? REPLAY_RESET : REPLAY_CLOSE, c->name, 0, NULL, 0);
}

/* ---- the checker as the server of a client lesson ---- */

static int accepted(struct runner *r, void *ctx)
{
	int *fd = ctx;

	*fd = accept4(r->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	return *fd >= 0 || runner_prog_gone(r);
}

void step_accept(struct runner *r, const struct step *s)
{
	int fd = -1;

	if (r->job->spec->program.role != ROLE_CLIENT) {
		runner_fail(r, NULL, NULL,
		            _("Internal error in the spec: accept needs role \"client\""));
		r->res->status = ST_ERROR;
		return;
	}
	if (r->job->spec->program.proto == PROTO_UDP) {
		dgram_accept(r, s);
		return;
	}
	if (!runner_new_conn_name(r, s->conn))
		return;
	r->accepting = 1;
	runner_wait_for(r, runner_step_deadline(r, s->within_ms), accepted, &fd, 0);
	r->accepting = 0;
	if (fd < 0 && runner_prog_gone(r))
		/* How it ended leads the message (runner_fail). */
		runner_fail(r, NULL, NULL, _("It never connected to port %d."),
		            r->job->spec->program.port);
	else if (fd < 0)
		runner_fail(r, NULL, NULL,
		            _("Your client never connected to port %d within %d ms."),
		            r->job->spec->program.port, s->within_ms);
	else {
		struct conn *c = runner_add_conn(r, s->conn, fd, r->job->port);
		c->serves = 1;
		c->no_read = s->no_read;
		runner_note(r, s->conn, "accept", "");
		runner_replay(r, REPLAY_ACCEPT, s->conn, 0, NULL, 0);
	}
}

/* A port where connecting hangs: what a machine that drops packets does. */
void step_blackhole(struct runner *r, const struct step *s)
{
	char err[ERR_LEN], num[16];
	int port;

	if (runner_expand_port(r, s->port, &port) < 0)
		return;
	if (r->nholes >= MAX_HOLES || net_tcp_blackhole(port, &r->holes[2 * r->nholes],
	                                                runner_step_deadline(r, 1000), err) < 0) {
		runner_fail(r, NULL, NULL,
		            _("Internal error: the checker cannot silence port %d: %s"), port,
		            r->nholes >= MAX_HOLES ? "too many" : err);
		r->res->status = ST_ERROR;
		return;
	}
	r->nholes++;
	snprintf(num, sizeof(num), "%d", port);
	runner_note(r, "", "blackhole", num);
	runner_recipe_add(
	        r,
	        xasprintf(_("Port %d answers nobody. By hand, try an address that "
	                    "drops everything, such as 192.0.2.1 (reserved for examples)."),
	                  port),
	        0);
}

/* Half-close: our side sends FIN and keeps reading. */
void step_shutdown(struct runner *r, const struct step *s)
{
	struct conn *c = runner_open_conn(r, s);

	if (!c)
		return;
	shutdown(c->fd, SHUT_WR);
	runner_note(r, c->name, "shutdown", "");
	runner_replay(r, REPLAY_SHUTDOWN, c->name, 0, NULL, 0);
}

static int conn_ended(struct runner *r, void *ctx)
{
	(void)r;
	return ((struct conn *)ctx)->eof;
}

void step_closed(struct runner *r, const struct step *s)
{
	struct conn *c = runner_open_conn(r, s);

	if (!c)
		return;
	r->expecting = c;
	if (!runner_wait_for(r, runner_step_deadline(r, s->within_ms), conn_ended, c, 0)) {
		runner_fail_kind(r, FAIL_KEPT_OPEN, c);
		runner_fail(r, NULL, NULL,
		            _("Your program did not close connection %s within %d ms."), c->name,
		            s->within_ms);
	} else {
		/* All it sent has arrived: {recibidos_NAME} counts it. */
		char *name = xasprintf("recibidos_%s", c->name), num[32];
		snprintf(num, sizeof(num), "%zu", c->received);
		tmpl_set(&r->vars, name, num);
		free(name);
	}
	r->expecting = NULL;
}

static int got_data(struct runner *r, void *ctx)
{
	struct conn *c = ctx;

	(void)r;
	return c->in.len > 0 || c->nqueue > 0;
}

/* For within_ms, the program must send nothing: it waits for our answer. */
void step_quiet(struct runner *r, const struct step *s)
{
	struct conn *c = runner_open_conn(r, s);
	int64_t began = now_us();
	int got;

	if (!c)
		return;
	runner_replay(r, REPLAY_QUIET, c->name, s->within_ms, NULL, 0);
	r->expecting = c;
	got = runner_wait_for(r, runner_step_deadline(r, s->within_ms), got_data, c, 0);
	r->waits_us += now_us() - began;
	if (got) {
		char *got = c->udp ? escape_dup(c->queue[0].data, c->queue[0].len, SHOW_EXPECT)
		                   : escape_dup(c->in.data, c->in.len, SHOW_EXPECT);
		runner_fail_kind(r, FAIL_SPOKE_EARLY, c);
		runner_fail(r, NULL, got,
		            c->udp ? _("Your program sent a datagram to %s when nothing was due "
		                       "yet.")
		                   : _("Your program sent something on connection %s when nothing "
		                       "was due yet."),
		            c->name);
		free(got);
	}
	r->expecting = NULL;
}

/* At the end of a test, bytes that no step expected are a reply that went on
 * past where the protocol ends it (a stray "\n" after an echo). The last
 * look comes once the program is idle (runner_settle), never after a fixed
 * wait. */
static int holds_unread(const struct conn *c)
{
	return !c->udp && !c->no_read && (c->fd >= 0 || c->in.len > 0);
}

/* For the cause: the last reply taken as right, and the same with what
 * came after it. */
static void leftover_evidence(struct runner *r, struct conn *c)
{
	struct buf all = {0};

	buf_append(&all, c->last_ok.data ? c->last_ok.data : "", c->last_ok.len);
	buf_append(&all, c->in.data, c->in.len);
	runner_evidence(r, c, c->last_ok.data ? c->last_ok.data : "", c->last_ok.len, all.data,
	                all.len);
	buf_free(&all);
}

void conn_check_leftovers(struct runner *r)
{
	size_t i;

	for (i = 0; i < r->nconns && !holds_unread(&r->conns[i]); i++)
		;
	if (i == r->nconns)
		return;
	runner_settle(r);
	for (i = 0; i < r->nconns && !r->failed; i++) {
		struct conn *c = &r->conns[i];
		char *got;

		if (!holds_unread(c) || c->in.len == 0)
			continue;
		got = escape_dup(c->in.data, c->in.len, SHOW_EXPECT);
		leftover_evidence(r, c);
		runner_fail(r, "", got,
		            ngettext("Your program sent %zu byte more than expected on connection "
		                     "%s, after the end of its last reply.",
		                     "Your program sent %zu bytes more than expected on connection "
		                     "%s, after the end of its last reply.",
		                     c->in.len),
		            c->in.len, c->name);
		free(got);
	}
}

/* ---- back-pressure ---- */

/* The third value of a tcp_rmem/tcp_wmem sysctl: how far the kernel lets a
 * socket buffer grow (in the box's network namespace). */
static size_t buffer_max(const char *sysctl)
{
	FILE *f = fopen(sysctl, "r");
	unsigned long lo, def, hi = 8UL << 20;

	if (f) {
		if (fscanf(f, "%lu %lu %lu", &lo, &def, &hi) != 3)
			hi = 8UL << 20;
		fclose(f);
	}
	return hi;
}

/* Past this, a program that kept taking bytes has not stopped reading: the
 * lesson's own bound, what the kernel buffers on its side (what it receives
 * and what it could not send) and on ours, and a margin. */
static size_t flood_limit(const struct step *s, int fd)
{
	int ours = 64 * 1024;

	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &ours, sizeof(ours));
	return (size_t)s->count * 1024 + buffer_max("/proc/sys/net/ipv4/tcp_rmem") +
	       buffer_max("/proc/sys/net/ipv4/tcp_wmem") + 4 * (size_t)ours + (1 << 20);
}

/* Send until the connection takes nothing for stall_ms: the program stopped
 * reading it, as it must when it cannot send to it (back-pressure). One
 * that goes on reading past the limit keeps all that in memory. */
void step_flood(struct runner *r, const struct step *s)
{
	struct conn *c = runner_open_conn(r, s);
	char chunk[65536];
	size_t sent = 0, limit;
	int64_t deadline = runner_step_deadline(r, s->within_ms), last;

	if (!c)
		return;
	/* Back-pressure is a matter of kernel buffers: a replay by hand would
	 * not show it. */
	replay_free(&r->res->replay);
	r->res->replay.over = 1;
	limit = flood_limit(s, c->fd);
	for (size_t i = 0; i < sizeof(chunk); i++)
		chunk[i] = (char)('a' + i % 26);
	last = now_ms();
	while (!r->failed) {
		ssize_t k = send(c->fd, chunk, sizeof(chunk), MSG_NOSIGNAL | MSG_DONTWAIT);
		if (k > 0) {
			sent += (size_t)k;
			last = now_ms();
			if (sent < limit)
				continue;
			runner_fail(
			        r, NULL, NULL,
			        _("Your program kept reading connection %s (%zu bytes) though it "
			          "could send nothing back on it: it never stopped reading a "
			          "client that does not read."),
			        c->name, sent);
		} else if (k < 0 && errno != EAGAIN && errno != EINTR) {
			runner_reap(r);
			runner_fail(r, NULL, NULL,
			            _("Could not send on connection %s: %s (did your program close "
			              "it?)."),
			            c->name, strerror(errno));
		} else if (now_ms() - last >= s->pause_ms) {
			char what[64];
			snprintf(what, sizeof(what), "%zu", sent);
			runner_note(r, c->name, "stalled", what);
			return;
		} else if (now_ms() >= deadline) {
			runner_fail(r, NULL, NULL,
			            _("Your program went on reading connection %s, slowly: %zu "
			              "bytes in "
			              "%d ms, and it never stopped reading it."),
			            c->name, sent, s->within_ms);
		} else {
			int64_t until = last + s->pause_ms;
			r->writing = c;
			runner_pump(r, ms_left(until < deadline ? until : deadline));
			r->writing = NULL;
		}
	}
}
