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

/* For the recipe: the stream's bytes, or each datagram as a shell word. */
static void note_sent(struct conn *c, const char *text)
{
	if (c->udp) {
		char *w = shell_word(text);
		buf_printf(&c->sent, "%s%s", c->nsent ? " " : "", w);
		free(w);
	} else {
		buf_puts(&c->sent, text);
	}
	c->nsent++;
}

/* On TCP, bytes of the stream; on UDP, one datagram (an empty one too). */
static void send_piece(struct runner *r, struct conn *c, const char *tmpl, int ms)
{
	char *text = runner_expand(r, tmpl);
	int64_t deadline = runner_step_deadline(r, ms);

	if (!text)
		return;
	runner_note_bytes(r, c->name, "send", text, strlen(text));
	note_sent(c, text);
	if (c->udp && net_udp_send(c->fd, c->peer_port, text, strlen(text), deadline) < 0) {
		runner_fail(r, NULL, NULL,
		            _("Internal error: the checker could not send a datagram on %s: %s"),
		            c->name, strerror(errno));
		r->res->status = ST_ERROR;
	} else if (!c->udp && net_send_all(c->fd, text, strlen(text), deadline) < 0) {
		int e = errno;
		runner_reap(r);
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
		runner_wait_for(r, runner_step_deadline(r, s->delay_ms), runner_never, NULL, 0);
	if (r->failed)
		return;
	if (s->text) {
		send_piece(r, c, s->text, s->within_ms);
		return;
	}
	for (size_t i = 0; i < s->fragments.n && !r->failed; i++) {
		if (i && s->pause_ms)
			runner_wait_for(r, runner_step_deadline(r, s->pause_ms), runner_never, NULL,
			                0);
		send_piece(r, c, s->fragments.v[i], s->within_ms);
	}
}

struct expect_ctx {
	struct conn *c;
	const char *want;
	size_t wlen;
	const char *until; /* delimiter, or NULL */
	size_t chunk;      /* with until: bytes before the delimiter, once found */
	int found;
	enum match m;
};

static int expect_done(struct runner *r, void *ctx)
{
	struct expect_ctx *e = ctx;
	const char *in = e->c->in.data ? e->c->in.data : "";

	(void)r;
	if (e->until) {
		const char *d = memmem(in, e->c->in.len, e->until, strlen(e->until));
		e->found = d != NULL;
		e->chunk = d ? (size_t)(d - in) : e->c->in.len;
		return e->found || e->c->eof;
	}
	if (!e->want) /* a regex on everything: wait for the end */
		return e->c->eof;
	e->m = match_prefix(e->want, e->wlen, in, e->c->in.len, NULL);
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

	if (e->m == MATCH_DIFF)
		runner_fail(r, want, got,
		            _("Connection %s received something other than expected."), name);
	else if (e->c->error == ECONNRESET)
		runner_fail(r, want, got,
		            _("Your program reset connection %s (RST) before sending all that was "
		              "expected."),
		            name);
	else if (e->c->eof)
		runner_fail(r, want, got,
		            _("Your program closed connection %s before sending all that was "
		              "expected."),
		            name);
	else if (e->c->in.len == 0)
		runner_fail(r, want, got, _("Connection %s received nothing within %d ms."), name,
		            s->within_ms);
	else
		runner_fail(r, want, got,
		            _("Connection %s received only part of the answer within %d ms."), name,
		            s->within_ms);
	free(want);
	free(got);
}

/* What the report shows as expected: the text, or the regex, escaped. */
static char *expected_shown(const struct step *s, const struct expect_ctx *e)
{
	if (s->regex)
		return escape_dup(s->regex, strlen(s->regex), SHOW_EXPECT);
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
		char *want = expected_shown(s, e);
		char *got = escape_dup(e->c->in.data, e->c->in.len, SHOW_EXPECT);
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
			runner_fail(r, want, got,
			            _("Connection %s: your program did not close it within %d ms."),
			            e->c->name, s->within_ms);
		}
		free(want);
		free(got);
	} else if (!expect_judge(s, e)) {
		char *want = expected_shown(s, e);
		char *got = escape_dup(e->c->in.data, e->chunk, SHOW_EXPECT);
		runner_fail(r, want, got,
		            _("Connection %s received something other than expected."), e->c->name);
		free(want);
		free(got);
	} else {
		buf_consume(&e->c->in, e->chunk + (until ? strlen(until) : 0));
	}
	free(until);
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
	if (s->text && !(want = runner_expand(r, s->text)))
		return;
	e.c = c;
	e.want = want;
	e.wlen = want ? strlen(want) : 0;
	if (s->until || s->regex) {
		expect_delimited(r, s, &e);
		free(want);
		return;
	}
	r->expecting = c;
	runner_wait_for(r, runner_step_deadline(r, s->within_ms), expect_done, &e, 0);
	r->expecting = NULL;
	if (e.m == MATCH_OK) {
		buf_consume(&c->in, e.wlen);
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
		runner_fail(r, NULL, NULL, _("Your program ended without connecting to port %d."),
		            r->job->spec->program.port);
	else if (fd < 0)
		runner_fail(r, NULL, NULL,
		            _("Your client never connected to port %d within %d ms."),
		            r->job->spec->program.port, s->within_ms);
	else {
		runner_add_conn(r, s->conn, fd, r->job->port)->serves = 1;
		runner_note(r, s->conn, "accept", "");
	}
}

/* Half-close: our side sends FIN and keeps reading. */
void step_shutdown(struct runner *r, const struct step *s)
{
	struct conn *c = runner_open_conn(r, s);

	if (!c)
		return;
	shutdown(c->fd, SHUT_WR);
	runner_note(r, c->name, "shutdown", "");
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
	if (!runner_wait_for(r, runner_step_deadline(r, s->within_ms), conn_ended, c, 0))
		runner_fail(r, NULL, NULL,
		            _("Your program did not close connection %s within %d ms."), c->name,
		            s->within_ms);
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

	if (!c)
		return;
	r->expecting = c;
	if (runner_wait_for(r, runner_step_deadline(r, s->within_ms), got_data, c, 0)) {
		char *got = c->udp ? escape_dup(c->queue[0].data, c->queue[0].len, SHOW_EXPECT)
		                   : escape_dup(c->in.data, c->in.len, SHOW_EXPECT);
		runner_fail(r, NULL, got,
		            c->udp ? _("Your program sent another datagram to %s before getting "
		                       "its answer.")
		                   : _("Your program sent more on connection %s before getting "
		                       "its answer."),
		            c->name);
		free(got);
	}
	r->expecting = NULL;
}
