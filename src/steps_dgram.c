/* steps_dgram.c - the steps on UDP sockets: whole datagrams, from and to the right port. */
#include "runner.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "i18n.h"
#include "match.h"
#include "net.h"

/* A checker socket on a free port, aimed at the program's port (or, with
 * "to", at whoever last sent a datagram to another socket: a client). */
void step_socket(struct runner *r, const struct step *s)
{
	char err[ERR_LEN];
	struct conn *c;
	int port, fd;

	if (!runner_new_conn_name(r, s->conn))
		return;
	if (s->to) {
		const struct conn *peer = runner_find_conn(r, s->to);
		if (!peer || !peer->udp || peer->peer_port <= 0) {
			runner_fail(r, NULL, NULL,
			            _("Internal error in the spec: %s has no sender to aim at"),
			            s->to);
			r->res->status = ST_ERROR;
			return;
		}
		port = peer->peer_port;
	} else if (runner_expand_port(r, s->port, &port) < 0) {
		return;
	}
	fd = net_udp_socket(0, err);
	if (fd < 0) {
		runner_fail(r, NULL, NULL,
		            _("Internal error: the checker cannot open a UDP socket: %s"), err);
		r->res->status = ST_ERROR;
		return;
	}
	c = runner_add_conn(r, s->conn, fd, port);
	c->udp = 1;
	c->peer_port = port;
	c->aims_at_client = s->to != NULL;
	runner_note(r, s->conn, "socket", "");
	runner_replay(r, REPLAY_SOCKET, s->conn, 0, NULL, 0);
}

static int dgram_waiting(struct runner *r, void *ctx)
{
	return ((struct conn *)ctx)->nqueue > 0 || runner_prog_gone(r);
}

/* Wait for a datagram on c, for at most ms; 1 if one is queued. */
static int wait_dgram(struct runner *r, struct conn *c, int ms)
{
	runner_wait_for(r, runner_step_deadline(r, ms), dgram_waiting, c, 0);
	if (c->nqueue == 0 && runner_prog_gone(r))
		runner_pump(r, 0); /* what it sent just before it ended */
	return c->nqueue > 0;
}

static int dgram_matches(const struct step *s, const char *want, size_t wlen, const struct dgram *d)
{
	if (s->regex)
		return match_regex(s->regex, d->data) == 1;
	return d->len == wlen && memcmp(d->data, want, d->len) == 0;
}

static void fail_nothing(struct runner *r, const struct step *s, const struct conn *c,
                         const char *want)
{
	if (runner_prog_gone(r)) {
		runner_fail(r, want, NULL, _("Nothing arrived on %s before your program ended."),
		            c->name);
		return;
	}
	runner_note(r, c->name, "timeout", "");
	if (c->serves)
		runner_fail(r, want, NULL,
		            _("The checker's server (%s) received no datagram from your program "
		              "within %d ms."),
		            c->name, s->within_ms);
	else
		runner_fail(r, want, NULL,
		            _("Socket %s received no datagram from your program within %d ms."),
		            c->name, s->within_ms);
}

/* The datagram is not the one expected: cut short, or other bytes. */
static void fail_content(struct runner *r, const struct conn *c, const char *want, size_t wlen,
                         const struct dgram *d)
{
	char *got = escape_dup(d->data, d->len, SHOW_EXPECT);

	if (wlen > d->len && memcmp(want, d->data, d->len) == 0) {
		runner_fail_kind(r, FAIL_PARTIAL, NULL);
		runner_fail(r, want, got,
		            _("Socket %s received a datagram cut short: %zu of the %zu bytes "
		              "expected."),
		            c->name, d->len, wlen);
	} else
		runner_fail(r, want, got, _("Socket %s received a datagram other than expected."),
		            c->name);
	free(got);
}

/* The next datagram on c, whole, must be the text (or match the regex);
 * replies to a checker socket must come from the port it sent to. */
void dgram_expect(struct runner *r, const struct step *s, struct conn *c)
{
	size_t wlen = 0;
	char *want = s->text ? runner_expand_len(r, s->text, &wlen) : NULL;
	const char *pattern = s->regex ? s->regex : want;
	size_t plen = s->regex ? strlen(s->regex) : wlen;
	char *shown;
	struct dgram d;

	if (!pattern)
		return;
	shown = s->regex ? runner_pattern_words(r, s, s->regex)
	                 : escape_dup(pattern, plen, SHOW_EXPECT);
	if (!s->regex)
		runner_replay(r, REPLAY_EXPECT, c->name, 0, want, wlen);
	if (!wait_dgram(r, c, s->within_ms)) {
		runner_evidence(r, c, want, wlen, "", 0);
		r->ev.timed_out = !runner_prog_gone(r);
		fail_nothing(r, s, c, shown);
	} else {
		d = runner_dgram_pop(r, c);
		if (c->serves) {
			c->peer_port = d.from_port; /* answers go to the last sender */
		} else if (d.from_port != c->peer_port) {
			char *got = escape_dup(d.data, d.len, SHOW_EXPECT);
			runner_fail_kind(r, FAIL_WRONG_SOURCE, c);
			runner_fail(
			        r, shown, got,
			        _("Socket %s got its answer from port %d, not from port %d where "
			          "it sent the datagram: answer with sendto() on the same socket "
			          "that received it."),
			        c->name, d.from_port, c->peer_port);
			free(got);
		}
		if (!r->failed && !dgram_matches(s, pattern, plen, &d)) {
			runner_evidence(r, c, want, wlen, d.data, d.len);
			fail_content(r, c, shown, s->regex ? 0 : plen, &d);
		} else if (!r->failed) {
			c->last_ok.len = 0;
			buf_append(&c->last_ok, d.data, d.len < KEPT_BYTES ? d.len : KEPT_BYTES);
		}
		free(d.data);
	}
	free(shown);
	free(want);
}

/* A client lesson: the checker's server socket, opened before the program
 * started, gets a name once the program's first datagram is there. */
void dgram_accept(struct runner *r, const struct step *s)
{
	struct conn *c;

	if (r->listen_fd < 0) {
		runner_fail(r, NULL, NULL,
		            _("Internal error in the spec: the server socket already has a name"));
		r->res->status = ST_ERROR;
		return;
	}
	if (!runner_new_conn_name(r, s->conn))
		return;
	c = runner_add_conn(r, s->conn, r->listen_fd, r->job->port);
	r->listen_fd = -1;
	c->udp = 1;
	c->serves = 1;
	runner_replay(r, REPLAY_ACCEPT, s->conn, 0, NULL, 0);
	if (wait_dgram(r, c, s->within_ms))
		c->peer_port = c->queue[0].from_port;
	else if (runner_prog_gone(r))
		runner_fail(r, NULL, NULL, _("It sent nothing to UDP port %d."),
		            r->job->spec->program.port);
	else
		runner_fail(r, NULL, NULL,
		            _("Your client sent no datagram to UDP port %d within %d ms."),
		            r->job->spec->program.port, s->within_ms);
}

/* The checker's socket goes away: what the program sends it later is lost. */
void dgram_close(struct runner *r, struct conn *c)
{
	close(c->fd);
	c->fd = -1;
	runner_note(r, c->name, "udp_close", "");
	runner_replay(r, REPLAY_CLOSE, c->name, 0, NULL, 0);
}

void dgram_check_leftovers(struct runner *r)
{
	runner_pump(r, 0);
	for (size_t i = 0; i < r->nconns && !r->failed; i++) {
		struct conn *c = &r->conns[i];
		char *got;

		if (!c->udp || c->serves || c->fd < 0 || c->nqueue == 0)
			continue;
		got = escape_dup(c->queue[0].data, c->queue[0].len, SHOW_EXPECT);
		runner_fail(r, NULL, got,
		            _("Socket %s received a datagram it never asked for (from port %d)."),
		            c->name, c->queue[0].from_port);
		free(got);
	}
}
