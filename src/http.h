/* http.h - requests to the learner's web server with libcurl, several at once, under a deadline. */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct http_req {
	const char *method;    /* GET, HEAD, DELETE... */
	const char *path;      /* sent as it is: "../" and "%2e" are not touched */
	char *const *headers;  /* "Name: value" lines to add, NULL-terminated, or NULL */
	int port;              /* on 127.0.0.1 */
	struct budget *budget; /* counts what the answer holds; past it, the transfer
	                          stops (over_budget). NULL: no bound */
};

struct http_resp {
	int code;              /* libcurl's result: 0 if an HTTP answer came whole */
	char error[256];       /* libcurl's own words when code != 0 */
	long status;           /* 200, 404... (0 if none) */
	struct buf head;       /* the header lines as they came */
	struct buf body;       /* the bytes of the body, within the budget */
	size_t body_len;       /* all the bytes of the body that came */
	long new_conns;        /* connections opened for it: 0 if it reused one */
	int over_budget;       /* it stopped there: the budget refused more */
	struct budget *budget; /* what head and body are counted in, or NULL */
	void *easy;            /* while in flight */
};

/* A set of transfers in flight, and the connections kept open between them
 * (keep-alive). One per test. */
struct http_client;

struct http_client *http_client_new(char *err);
void http_client_free(struct http_client *c);

/* Start q; its answer goes to r (zeroed here) once http_wait ends. */
int http_start(struct http_client *c, const struct http_req *q, struct http_resp *r, char *err);

/* Called between rounds of waiting, with the revents of the extra fds. */
typedef void (*http_idle_fn)(void *ctx);

/* Drive every started transfer until all end or the deadline passes (then
 * they end with a timeout). extra fds are waited on too, and idle(ctx) runs
 * after every round, so the caller can read its own fds meanwhile. Returns
 * the time spent waiting, in microseconds. */
int64_t http_wait(struct http_client *c, int64_t deadline, const int *extra, size_t nextra,
                  http_idle_fn idle, void *ctx);

/* Free what r holds, and give it back to its budget. */
void http_resp_free(struct http_resp *r);

/* The value of header name in r (case does not matter), or NULL; freed by the caller. */
char *http_header(const struct http_resp *r, const char *name);

/* A sentence, in the chosen language, for a libcurl result code. */
const char *http_error_text(int code);

#endif
