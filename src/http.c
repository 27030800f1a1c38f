/* http.c - requests to the learner's web server with libcurl, several at once, under a deadline. */
#include "http.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"

#define MAX_FLIGHT 64 /* transfers at once */

struct flight {
	CURL *easy;
	struct curl_slist *headers;
	struct http_resp *resp;
};

struct http_client {
	CURLM *multi;
	struct flight f[MAX_FLIGHT];
	size_t n;
};

/* Keep n more bytes of the answer in b, if its budget lets it hold them. */
static int keep(struct http_resp *r, struct buf *b, const char *p, size_t n)
{
	if (r->budget && budget_take(r->budget, n) < 0) {
		r->over_budget = 1;
		return -1;
	}
	buf_append(b, p, n);
	return 0;
}

/* Returning less than it was given stops the transfer (CURLE_WRITE_ERROR). */
static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct http_resp *r = ctx;
	size_t len = size * n;

	r->body_len += len;
	return keep(r, &r->body, p, len) < 0 ? 0 : len;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct http_resp *r = ctx;
	size_t len = size * n;

	/* A new status line (after a 100 Continue, say) starts the headers over. */
	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		if (r->budget)
			budget_give(r->budget, r->head.len);
		r->head.len = 0;
	}
	return keep(r, &r->head, p, len) < 0 ? 0 : len;
}

struct http_client *http_client_new(char *err)
{
	static int ready;
	struct http_client *c;

	if (!ready && curl_global_init(CURL_GLOBAL_NOTHING) != CURLE_OK) {
		errf(err, "curl_global_init");
		return NULL;
	}
	ready = 1;
	c = xcalloc(1, sizeof(*c));
	c->multi = curl_multi_init();
	if (!c->multi) {
		errf(err, "curl_multi_init");
		free(c);
		return NULL;
	}
	return c;
}

static void flight_end(struct http_client *c, size_t i)
{
	curl_multi_remove_handle(c->multi, c->f[i].easy);
	curl_easy_cleanup(c->f[i].easy);
	curl_slist_free_all(c->f[i].headers);
	c->f[i].resp->easy = NULL;
	c->f[i] = c->f[--c->n];
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	while (c->n)
		flight_end(c, 0);
	curl_multi_cleanup(c->multi);
	free(c);
}

static struct curl_slist *header_list(char *const *headers)
{
	struct curl_slist *l = NULL;

	for (size_t i = 0; headers && headers[i]; i++)
		l = curl_slist_append(l, headers[i]);
	return l;
}

int http_start(struct http_client *c, const struct http_req *q, struct http_resp *r, char *err)
{
	CURL *e;
	char *url;

	memset(r, 0, sizeof(*r));
	r->budget = q->budget;
	if (c->n >= MAX_FLIGHT || !(e = curl_easy_init())) {
		errf(err, "curl_easy_init");
		return -1;
	}
	url = xasprintf("http://127.0.0.1:%d%s", q->port, q->path);
	curl_easy_setopt(e, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L); /* "../" goes out as written */
	curl_easy_setopt(e, CURLOPT_PROXY, "");      /* whatever the environment says */
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	if (strcmp(q->method, "HEAD") == 0)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (strcmp(q->method, "GET") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, q->method);
	c->f[c->n].headers = header_list(q->headers);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, c->f[c->n].headers);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->error);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	if (curl_multi_add_handle(c->multi, e) != CURLM_OK) {
		curl_slist_free_all(c->f[c->n].headers);
		curl_easy_cleanup(e);
		errf(err, "curl_multi_add_handle");
		return -1;
	}
	c->f[c->n].easy = e;
	c->f[c->n].resp = r;
	c->n++;
	r->easy = e;
	return 0;
}

static size_t find_flight(const struct http_client *c, CURL *e)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->f[i].easy == e)
			return i;
	return c->n;
}

/* Collect the transfers that have ended. */
static void collect(struct http_client *c)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(c->multi, &left))) {
		size_t i;
		struct http_resp *r;
		if (m->msg != CURLMSG_DONE || (i = find_flight(c, m->easy_handle)) == c->n)
			continue;
		r = c->f[i].resp;
		r->code = (int)m->data.result;
		curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &r->status);
		curl_easy_getinfo(m->easy_handle, CURLINFO_NUM_CONNECTS, &r->new_conns);
		flight_end(c, i);
	}
}

int64_t http_wait(struct http_client *c, int64_t deadline, const int *extra, size_t nextra,
                  http_idle_fn idle, void *ctx)
{
	struct curl_waitfd w[8];
	size_t nw = nextra < 8 ? nextra : 8;
	int64_t blocked = 0, began;

	for (;;) {
		int running = 0;

		curl_multi_perform(c->multi, &running);
		collect(c);
		if (c->n == 0)
			return blocked;
		if (ms_left(deadline) == 0)
			break;
		for (size_t i = 0; i < nw; i++)
			w[i] = (struct curl_waitfd){extra[i], CURL_WAIT_POLLIN, 0};
		began = now_us();
		curl_multi_poll(c->multi, w, (unsigned)nw, ms_left(deadline), NULL);
		blocked += now_us() - began;
		if (idle)
			idle(ctx);
	}
	/* Out of time: what has not ended, never will. */
	while (c->n) {
		struct http_resp *r = c->f[0].resp;
		r->code = CURLE_OPERATION_TIMEDOUT;
		curl_easy_getinfo(c->f[0].easy, CURLINFO_RESPONSE_CODE, &r->status);
		flight_end(c, 0);
	}
	return blocked;
}

void http_resp_free(struct http_resp *r)
{
	if (r->budget)
		budget_give(r->budget, r->head.len + r->body.len);
	buf_free(&r->head);
	buf_free(&r->body);
}

char *http_header(const struct http_resp *r, const char *name)
{
	const char *p = r->head.data ? r->head.data : "";
	size_t n = strlen(name);

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > n && p[n] == ':' && strncasecmp(p, name, n) == 0) {
			const char *v = p + n + 1, *end = p + len;
			while (v < end && (*v == ' ' || *v == '\t'))
				v++;
			while (end > v && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
				end--;
			return xstrndup(v, (size_t)(end - v));
		}
		p += len + (eol != NULL);
	}
	return NULL;
}

const char *http_error_text(int code)
{
	switch (code) {
	case CURLE_COULDNT_CONNECT:
		return _("could not connect: is your server listening on that port?");
	case CURLE_OPERATION_TIMEDOUT:
		return _("your server did not finish its answer in time (does it wait for more of "
		         "the request, or keep sending?)");
	case CURLE_GOT_NOTHING:
		return _("your server closed the connection without answering anything");
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_UNSUPPORTED_PROTOCOL: /* "Received HTTP/0.9": no status line at all */
		return _("what your server sent is not an HTTP answer: it must begin with a "
		         "status line such as «HTTP/1.1 200 OK»");
	case CURLE_PARTIAL_FILE:
		return _("the answer ended before all the bytes its Content-Length announced");
	case CURLE_RECV_ERROR:
		return _("the connection broke while the answer was arriving (your server cut it)");
	case CURLE_SEND_ERROR:
		return _("the request could not be sent whole (your server closed the connection)");
	case CURLE_BAD_CONTENT_ENCODING:
		return _("the answer announces a Content-Encoding it does not use");
	default:
		return _("the request failed");
	}
}
