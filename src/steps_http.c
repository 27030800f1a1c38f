/* steps_http.c - the http step: requests with libcurl, and what each answer must be. */
#include "runner.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "http.h"
#include "i18n.h"

/* One request as the step asks for it, its templates filled. */
struct request {
	struct http_req q;
	char *path;
	char **headers;
	char *shown; /* "GET /hola.txt", for messages */
};

static void request_free(struct request *rq)
{
	for (size_t i = 0; rq->headers && rq->headers[i]; i++)
		free(rq->headers[i]);
	free(rq->headers);
	free(rq->path);
	free(rq->shown);
}

static int request_make(struct runner *r, const struct step *s, struct request *rq)
{
	const struct http_step *h = s->http;

	memset(rq, 0, sizeof(*rq));
	rq->headers = xcalloc(h->send.n + 1, sizeof(char *));
	for (size_t i = 0; i < h->send.n; i++)
		if (!(rq->headers[i] = runner_expand(r, h->send.v[i])))
			return -1;
	if (!(rq->path = runner_expand(r, h->path)) ||
	    runner_expand_port(r, s->port, &rq->q.port) < 0)
		return -1;
	rq->q.budget = &r->wire;
	rq->q.method = h->method;
	rq->q.path = rq->path;
	rq->q.headers = rq->headers;
	rq->shown = xasprintf("%s %s", h->method, rq->path);
	return 0;
}

/* The command a person types to send the same request. */
static char *curl_line(const struct runner *r, const struct request *rq)
{
	struct buf b = {0};
	int port = rq->q.port == r->job->port ? r->job->spec->program.port : rq->q.port;
	char *url = xasprintf("http://127.0.0.1:%d%s", port, rq->path);
	char *w = shell_word(url);

	buf_puts(&b, "curl -si --path-as-is");
	if (strcmp(rq->q.method, "HEAD") == 0)
		buf_puts(&b, " -I");
	else if (strcmp(rq->q.method, "GET") != 0)
		buf_printf(&b, " -X %s", rq->q.method);
	for (size_t i = 0; rq->headers[i]; i++) {
		char *hw = shell_word(rq->headers[i]);
		buf_printf(&b, " -H %s", hw);
		free(hw);
	}
	buf_printf(&b, " %s", w);
	free(w);
	free(url);
	return buf_steal(&b);
}

/* The request as bytes on the wire, for a replay: what libcurl sends, but
 * its Accept and User-Agent. */
static void replay_request(struct runner *r, const struct request *rq, const struct http_step *h,
                           int copies)
{
	struct buf b = {0};
	int port = rq->q.port == r->job->port ? r->job->spec->program.port : rq->q.port;

	buf_printf(&b, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n", rq->q.method, rq->path, port);
	for (size_t i = 0; rq->headers[i]; i++)
		buf_printf(&b, "%s\r\n", rq->headers[i]);
	buf_puts(&b, "\r\n");
	runner_replay(r, REPLAY_HTTP, NULL, port * 1000L + copies, b.data, b.len);
	b.len = 0;
	for (int i = 0; i < h->nstatus; i++)
		buf_printf(&b, "%s%d", i ? " " : "", h->status[i]);
	if (b.len)
		runner_replay(r, REPLAY_STATUS, NULL, 0, b.data, b.len);
	buf_free(&b);
}

/* The expected statuses as a person reads them: "200", "403 o 404". */
static char *statuses(const struct http_step *h)
{
	struct buf b = {0};

	for (int i = 0; i < h->nstatus; i++)
		buf_printf(&b, "%s%d",
		           i == 0                ? ""
		           : i == h->nstatus - 1 ? _(" or ")
		                                 : ", ",
		           h->status[i]);
	return buf_steal(&b);
}

/* "text/html" is right for "text/html; charset=utf-8": parameters aside. */
static int value_matches(const char *got, const char *want)
{
	size_t n = strlen(want);

	return strncasecmp(got, want, n) == 0 &&
	       (got[n] == '\0' || (got[n] == ';' && !strchr(want, ';')));
}

/* A file of the test's work folder. */
static char *work_file(const struct runner *r, const char *rel, size_t *len)
{
	char *path = xasprintf("%s/%s", r->job->workdir, rel);
	char *text = read_file(path, len);

	free(path);
	return text;
}

static int check_status(struct runner *r, const struct step *s, const struct request *rq,
                        const struct http_resp *a)
{
	const struct http_step *h = s->http;
	char *want;

	for (int i = 0; i < h->nstatus; i++)
		if (a->status == h->status[i])
			return 0;
	if (!h->nstatus)
		return 0;
	want = statuses(h);
	runner_fail(r, want, NULL, _("%s: your server answered %ld, and %s was expected."),
	            rq->shown, a->status, want);
	free(want);
	return -1;
}

static int check_headers(struct runner *r, const struct step *s, const struct request *rq,
                         const struct http_resp *a)
{
	const struct strv *hd = &s->http->headers;

	for (size_t i = 0; i + 1 < hd->n && !r->failed; i += 2) {
		char *want = runner_expand(r, hd->v[i + 1]);
		char *got = http_header(a, hd->v[i]);
		if (want && !got)
			runner_fail(r, want, NULL, _("%s: the answer has no %s header."), rq->shown,
			            hd->v[i]);
		else if (want && !value_matches(got, want))
			runner_fail(r, want, got,
			            _("%s: the %s header is «%s», and «%s» was expected."),
			            rq->shown, hd->v[i], got, want);
		free(want);
		free(got);
	}
	return r->failed ? -1 : 0;
}

/* The body must be the file, whole; a HEAD answer, only its length. */
static void check_file(struct runner *r, const struct step *s, const struct request *rq,
                       const struct http_resp *a)
{
	const char *rel = s->http->body_file;
	int head = strcmp(rq->q.method, "HEAD") == 0;
	char *len_header = http_header(a, "Content-Length");
	size_t flen = 0, at = 0;
	char *file = work_file(r, rel, &flen);

	if (!file) {
		runner_fail(r, NULL, NULL, _("Internal error in the spec: %s cannot be read"), rel);
		r->res->status = ST_ERROR;
	} else if (!len_header) {
		runner_fail(r, NULL, NULL,
		            _("%s: the answer has no Content-Length header, so the client cannot "
		              "know where the body ends."),
		            rq->shown);
	} else if (strtoull(len_header, NULL, 10) != flen) {
		runner_fail(r, NULL, NULL, _("%s: Content-Length says %s, but %s has %zu bytes."),
		            rq->shown, len_header, rel, flen);
	} else if (head && a->body_len) {
		runner_fail(r, NULL, NULL,
		            _("%s: an answer to HEAD carries no body, and %zu bytes came."),
		            rq->shown, a->body_len);
	} else if (!head) {
		if (a->body.len >= flen && memcmp(file, a->body.data, flen) == 0)
			at = flen; /* the usual case, at memcmp's speed */
		while (at < flen && at < a->body.len && file[at] == a->body.data[at])
			at++;
		if (at < flen || a->body_len != flen) {
			char *want = escape_dup(file + at, flen - at, SHOW_BYTES);
			char *got = escape_dup(a->body.data ? a->body.data + at : "",
			                       a->body.len > at ? a->body.len - at : 0, SHOW_BYTES);
			runner_fail(
			        r, want, got,
			        _("%s: the body differs from %s from byte %zu on (%zu bytes came, "
			          "%zu expected)."),
			        rq->shown, rel, at, a->body_len, flen);
			free(want);
			free(got);
		}
	}
	free(file);
	free(len_header);
}

static void check_body(struct runner *r, const struct step *s, const struct request *rq,
                       const struct http_resp *a)
{
	const char *got = a->body.data ? a->body.data : "";
	char *want = s->text ? runner_expand(r, s->text) : NULL;
	char *bad = s->http->body_not ? runner_expand(r, s->http->body_not) : NULL;

	if (want && (a->body_len != strlen(want) || memcmp(got, want, a->body.len) != 0)) {
		char *w = escape_dup(want, strlen(want), SHOW_EXPECT);
		char *g = escape_dup(got, a->body.len, SHOW_EXPECT);
		runner_fail(r, w, g, _("%s: the body is not the one expected."), rq->shown);
		free(w);
		free(g);
	} else if (bad && *bad && memmem(got, a->body.len, bad, strlen(bad))) {
		char *b = escape_dup(bad, strlen(bad), SHOW_BYTES);
		runner_fail(r, NULL, NULL,
		            _("%s: the body shows «%s», which must never be served."), rq->shown,
		            b);
		free(b);
	}
	free(want);
	free(bad);
}

/* The answers were more than the checker holds: the output verdict, as for
 * a flood on any other connection (see WIRE_BUDGET_MB). */
static void fail_over_budget(struct runner *r, const struct request *rq)
{
	if (r->failed)
		return;
	r->output_exceeded = 1;
	runner_fail(r, NULL, NULL,
	            _("%s: your server sent more than %d MiB in its answers; we stopped reading "
	              "there."),
	            rq->shown, WIRE_BUDGET_MB);
}

/* What the answer brought, against what was due, for tracing a failure to
 * its cause: the body expected, the body that came, and the lengths. */
static void evidence(struct runner *r, const struct step *s, const struct request *rq,
                     const struct http_resp *a)
{
	char *len_header = http_header(a, "Content-Length");
	size_t wlen = 0;
	char *want = s->http->body_file ? work_file(r, s->http->body_file, &wlen)
	             : s->text          ? runner_expand_len(r, s->text, &wlen)
	                                : NULL;

	runner_evidence(r, NULL, want, wlen, a->body.data, a->body.len);
	if (len_header && strcmp(rq->q.method, "HEAD") != 0) { /* HEAD: no body to count */
		r->ev.body_have = (long)a->body_len;
		r->ev.body_want = strtol(len_header, NULL, 10);
	}
	free(want);
	free(len_header);
}

/* Everything the step asks of one answer, the first failure only. */
static void judge(struct runner *r, const struct step *s, const struct request *rq,
                  const struct http_resp *a)
{
	int was_failed = r->failed;

	if (a->over_budget)
		fail_over_budget(r, rq);
	else if (a->code != 0 && a->error[0])
		runner_fail(r, NULL, NULL, _("%s: %s (libcurl: %s)."), rq->shown,
		            http_error_text(a->code), a->error);
	else if (a->code != 0)
		runner_fail(r, NULL, NULL, "%s: %s.", rq->shown, http_error_text(a->code));
	else if (s->http->reuse && a->new_conns != 0)
		runner_fail(r, NULL, NULL,
		            _("%s: your server closed the connection after the previous answer; "
		              "with HTTP/1.1 it should keep it open for the next request "
		              "(keep-alive)."),
		            rq->shown);
	else if (check_status(r, s, rq, a) == 0 && check_headers(r, s, rq, a) == 0) {
		if (s->http->body_file)
			check_file(r, s, rq, a);
		else
			check_body(r, s, rq, a);
	}
	if (!was_failed && r->failed && !a->over_budget)
		evidence(r, s, rq, a);
}

static void note_answer(struct runner *r, const struct http_resp *a)
{
	char *type = http_header(a, "Content-Type");
	char *line = a->code ? xasprintf("%s", http_error_text(a->code))
	                     : xasprintf("%ld · %s · %zu bytes", a->status, type ? type : "-",
	                                 a->body_len);

	runner_note(r, "", "http_answer", line);
	free(line);
	free(type);
}

static void idle(void *ctx)
{
	runner_pump(ctx, 0); /* the program's output, its end, the other connections */
}

void step_http(struct runner *r, const struct step *s)
{
	int n = s->http->parallel, extra[2], nextra = 0;
	struct http_resp *a = xcalloc((size_t)n, sizeof(*a));
	struct request rq;
	char err[ERR_LEN];

	if (request_make(r, s, &rq) < 0)
		goto out;
	if (!r->http && !(r->http = http_client_new(err))) {
		runner_fail(r, NULL, NULL, _("Internal error: %s"), err);
		r->res->status = ST_ERROR;
		goto out;
	}
	runner_note(r, "", "http", rq.shown);
	runner_recipe_add(r, curl_line(r, &rq), 0);
	replay_request(r, &rq, s->http, n);
	for (int i = 0; i < n; i++) {
		if (http_start(r->http, &rq.q, &a[i], err) < 0) {
			runner_fail(r, NULL, NULL, _("Internal error: %s"), err);
			r->res->status = ST_ERROR;
			n = i;
		}
	}
	if (r->started && r->prog.out_fd >= 0)
		extra[nextra++] = r->prog.out_fd;
	if (r->started && r->prog.err_fd >= 0)
		extra[nextra++] = r->prog.err_fd;
	r->blocked_us += http_wait(r->http, runner_step_deadline(r, s->within_ms), extra,
	                           (size_t)nextra, idle, r);
	for (int i = 0; i < n; i++) {
		note_answer(r, &a[i]);
		judge(r, s, &rq, &a[i]);
		http_resp_free(&a[i]);
	}
out:
	request_free(&rq);
	free(a);
}
