/* steps_httpmsg.c - expect an HTTP request or response on a connection, judged as HTTP:
 * any case in field names, whitespace around values, any order, other fields allowed. */
#include "runner.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "httpmsg.h"
#include "i18n.h"

struct msgwait {
	struct conn *c;
	const struct http_step *h;
	struct httpmsg m;
	int state;         /* HTTPMSG_MORE, _OK or _BAD */
	const char *why;   /* when bad */
	size_t body;       /* bytes of body after the head */
	int body_to_close; /* a response without a length: its body ends with the connection */
};

/* How long the body is, by the head (RFC 9112, 6.3). */
static int body_length(struct msgwait *w, const char **why)
{
	size_t nte, ncl;
	const char *cl = httpmsg_field(&w->m, "Content-Length", &ncl);
	long status = w->h->msg == HTTP_MSG_RESPONSE ? strtol(w->m.start[1], NULL, 10) : 0;
	char *end;
	unsigned long long v;

	httpmsg_field(&w->m, "Transfer-Encoding", &nte);
	w->body = 0;
	if (w->h->no_body || status / 100 == 1 || status == 204 || status == 304)
		return 0;
	if (nte) {
		*why = _("it sends Transfer-Encoding, and this test reads a body by its "
		         "Content-Length");
		return -1;
	}
	if (ncl > 1) {
		*why = _("it has Content-Length more than once");
		return -1;
	}
	if (!cl) {
		w->body_to_close = w->h->msg == HTTP_MSG_RESPONSE;
		return 0;
	}
	errno = 0;
	v = strtoull(cl, &end, 10);
	if (!*cl || *end || errno || strspn(cl, "0123456789") != strlen(cl) || v > (1ull << 31)) {
		*why = _("its Content-Length is not a number of bytes");
		return -1;
	}
	w->body = (size_t)v;
	return 0;
}

static int msg_done(struct runner *r, void *ctx)
{
	struct msgwait *w = ctx;
	const char *in = w->c->in.data ? w->c->in.data : "";

	(void)r;
	if (w->state == HTTPMSG_MORE) {
		w->state = httpmsg_parse(in, w->c->in.len, w->h->msg == HTTP_MSG_REQUEST, &w->m,
		                         &w->why);
		if (w->state == HTTPMSG_OK && body_length(w, &w->why) < 0)
			w->state = HTTPMSG_BAD;
	}
	if (w->state != HTTPMSG_OK)
		return w->state == HTTPMSG_BAD || w->c->eof;
	if (w->body_to_close)
		return w->c->eof;
	return w->c->in.len >= w->m.len + w->body || w->c->eof;
}

/* Fail with msg (freed here), showing the first shown bytes that arrived.
 * What was expected is in the message: HTTP allows too many spellings for
 * one expected text to compare byte by byte. */
static void fail_msg(struct runner *r, struct conn *c, size_t shown, char *msg)
{
	char *got = escape_dup(c->in.data ? c->in.data : "", shown, SHOW_EXPECT);

	runner_evidence(r, c, NULL, 0, c->in.data, shown);
	runner_fail(r, NULL, got, "%s", msg);
	free(msg);
	free(got);
}

static int judge_start(struct runner *r, const struct step *s, struct msgwait *w)
{
	const struct http_step *h = s->http;
	struct httpmsg *m = &w->m;
	int ok = 0;

	if (h->msg == HTTP_MSG_REQUEST) {
		char *t = runner_expand(r, h->path);
		if (!t)
			return -1;
		if (strcmp(m->start[0], h->method) != 0)
			fail_msg(
			        r, w->c, m->len,
			        xasprintf(
			                _("On connection %s the request's method is «%s», and «%s» "
			                  "was expected."),
			                w->c->name, m->start[0], h->method));
		else if (strcmp(m->start[1], t) != 0)
			fail_msg(r, w->c, m->len,
			         xasprintf(_("On connection %s the request asks for «%s», and «%s» "
			                     "was "
			                     "expected."),
			                   w->c->name, m->start[1], t));
		else if (strcmp(m->start[2], "HTTP/1.1") != 0)
			fail_msg(r, w->c, m->len,
			         xasprintf(_("On connection %s the request's version is «%s», and "
			                     "«%s» "
			                     "was expected."),
			                   w->c->name, m->start[2], "HTTP/1.1"));
		free(t);
		return r->failed ? -1 : 0;
	}
	for (int i = 0; i < h->nstatus; i++)
		ok |= atoi(m->start[1]) == h->status[i];
	if (h->nstatus && !ok)
		fail_msg(
		        r, w->c, m->len,
		        xasprintf(
		                _("On connection %s your server answered %s, and %d was expected."),
		                w->c->name, m->start[1], h->status[0]));
	return r->failed ? -1 : 0;
}

static int judge_fields(struct runner *r, const struct step *s, struct msgwait *w)
{
	const struct strv *hd = &s->http->headers;

	for (size_t i = 0; i + 1 < hd->n && !r->failed; i += 2) {
		char *want = runner_expand(r, hd->v[i + 1]);
		size_t n;
		const char *got = httpmsg_field(&w->m, hd->v[i], &n);
		if (!want)
			return -1;
		if (n == 0)
			fail_msg(r, w->c, w->m.len,
			         xasprintf(_("On connection %s the message has no %s header."),
			                   w->c->name, hd->v[i]));
		else if (n > 1)
			fail_msg(r, w->c, w->m.len,
			         xasprintf(_("On connection %s the message has the %s header %zu "
			                     "times, and HTTP allows it once."),
			                   w->c->name, hd->v[i], n));
		else if (!httpmsg_value_matches(got, want))
			fail_msg(r, w->c, w->m.len,
			         xasprintf(_("On connection %s the %s header is «%s», and «%s» was "
			                     "expected."),
			                   w->c->name, hd->v[i], got, want));
		free(want);
	}
	return r->failed ? -1 : 0;
}

static void judge_body(struct runner *r, const struct step *s, struct msgwait *w, size_t len)
{
	char *want = runner_expand(r, s->text);

	if (want && (len != strlen(want) || memcmp(w->c->in.data + w->m.len, want, len) != 0))
		fail_msg(r, w->c, w->m.len + len,
		         xasprintf(_("On connection %s the body is not the one expected (%zu bytes "
		                     "came, %zu were expected)."),
		                   w->c->name, len, want ? strlen(want) : 0));
	free(want);
}

/* Why the message is not whole: the program closed, the head never ended,
 * or the body fell short. */
static char *unfinished(const struct step *s, const struct msgwait *w)
{
	const struct conn *c = w->c;
	size_t n = c->in.len;

	if (w->state == HTTPMSG_OK)
		return xasprintf(
		        c->eof ? _("Your program closed connection %s after %zu of the %zu "
		                   "bytes of the body that Content-Length announced.")
		               : _("Connection %s received %zu of the %zu bytes of the body "
		                   "that Content-Length announced."),
		        c->name, n - w->m.len, w->body);
	if (n == 0)
		return xasprintf(c->eof ? _("Your program closed connection %s without sending "
		                            "anything.")
		                        : _("Connection %s received nothing within %d ms."),
		                 c->name, s->within_ms);
	if (n >= 2 && memcmp(c->in.data + n - 2, "\r\n", 2) == 0)
		return xasprintf(
		        c->eof ? _("Your program closed connection %s without the empty "
		                   "line that ends an HTTP head.")
		               : _("On connection %s the HTTP head did not end: no empty "
		                   "line (\\r\\n) came after the last header within %d ms."),
		        c->name, s->within_ms);
	return xasprintf(
	        c->eof ? _("Your program closed connection %s before the whole HTTP "
	                   "head had arrived.")
	               : _("Connection %s did not receive a whole HTTP head within %d ms."),
	        c->name, s->within_ms);
}

/* For a replay: the request head due, as "METHOD TARGET" and the lines it
 * must hold (a response's is not replayed: the checker plays the server). */
static void replay_head(struct runner *r, const struct step *s, const struct conn *c)
{
	const struct http_step *h = s->http;
	char *target = h->msg == HTTP_MSG_REQUEST ? runner_expand(r, h->path) : NULL;
	struct buf b = {0};

	if (!target)
		return;
	buf_printf(&b, "%s %s\n", h->method, target);
	for (size_t i = 0; i + 1 < h->headers.n; i += 2) {
		char *v = runner_expand(r, h->headers.v[i + 1]);
		if (v)
			buf_printf(&b, "%s: %s\n", h->headers.v[i], v);
		free(v);
	}
	runner_replay(r, REPLAY_HEAD, c->name, 0, b.data, b.len);
	buf_free(&b);
	free(target);
}

void expect_httpmsg(struct runner *r, const struct step *s, struct conn *c)
{
	struct msgwait w = {.c = c, .h = s->http};
	int64_t deadline = runner_step_deadline(r, s->within_ms);
	size_t len;

	replay_head(r, s, c);
	r->expecting = c;
	runner_wait_for(r, deadline, msg_done, &w, 0);
	r->expecting = NULL;
	if (w.state == HTTPMSG_BAD) {
		fail_msg(
		        r, c, c->in.len,
		        xasprintf(s->http->msg == HTTP_MSG_REQUEST
		                          ? _("On connection %s the request is not valid HTTP: %s.")
		                          : _("On connection %s the answer is not valid HTTP: %s."),
		                  c->name, w.why));
	} else if (w.state == HTTPMSG_MORE || (!w.body_to_close && c->in.len < w.m.len + w.body)) {
		if (!c->eof)
			runner_note(r, c->name, "timeout", "");
		runner_evidence(r, c, NULL, 0, c->in.data, c->in.len);
		r->ev.timed_out = !c->eof && !c->error;
		r->ev.head_unended = w.state == HTTPMSG_MORE && c->in.len >= 2 &&
		                     memcmp(c->in.data + c->in.len - 2, "\r\n", 2) == 0;
		if (w.state == HTTPMSG_OK && !w.body_to_close) {
			r->ev.body_have = (long)(c->in.len - w.m.len);
			r->ev.body_want = (long)w.body;
		}
		fail_msg(r, c, c->in.len, unfinished(s, &w));
	} else if (judge_start(r, s, &w) == 0 && judge_fields(r, s, &w) == 0) {
		len = w.body_to_close ? c->in.len - w.m.len : w.body;
		if (s->text)
			judge_body(r, s, &w, len);
		if (!r->failed)
			runner_conn_take(r, c, w.m.len + len);
	}
	httpmsg_free(&w.m);
}
