/* steps_cause.c - gather what a failed test showed, and trace it to its cause (cause.h). */
#include "runner.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "cause.h"
#include "diagnose.h"
#include "escape.h"
#include "i18n.h"
#include "net.h"

#define PROBE_MS 500 /* how long an answer may take once the checker closes its side */
#define ERR_TAIL 120 /* bytes of the last line on stderr quoted in a cause */

/* A box limit the program ran into, seen while it still runs or in what it
 * said on stderr: a failure there is the limit's doing, whatever the step
 * saw (a refused connection, a missing reply). */
static void limits(struct runner *r, struct observed *o)
{
	const struct proc_limits *l = &r->job->spec->limits;
	const char *err = r->prog.err.data ? r->prog.err.data : "";
	int procs, threads = 0;
	long cpu;

	if (!r->started)
		return;
	if (strstr(err, "Too many open files") || strstr(err, strerror(EMFILE)) ||
	    (!r->prog.exited && proc_box_most_fds() >= l->nofile)) {
		o->fd_limit = l->nofile;
		return;
	}
	if (!r->prog.exited)
		threads = proc_box_usage(&procs, &cpu);
	if (threads >= l->nproc - 1 || strstr(err, "can't start new thread") ||
	    (strstr(err, "Resource temporarily unavailable") &&
	     (strstr(err, "pthread_create") || strstr(err, "fork"))))
		o->proc_limit = l->nproc;
}

static int grew(struct runner *r, void *ctx)
{
	const struct conn *c = ctx;

	(void)r;
	return c->in.len > 0 || c->eof || c->error;
}

/* The program left a connection unanswered: close the checker's side. An
 * answer that comes now was waiting for the end of the input. */
static int answers_at_eof(struct runner *r, struct conn *c)
{
	if (!r->ev.timed_out || c->udp || c->serves || c->fd < 0 || c->eof || c->error ||
	    c->in.len || r->job->spec->program.role != ROLE_SERVER || runner_prog_gone(r) ||
	    shutdown(c->fd, SHUT_WR) < 0)
		return 0;
	runner_note(r, c->name, "probe_shutdown", "");
	r->expecting = c;
	runner_wait_for(r, now_ms() + PROBE_MS, grew, c, 0);
	r->expecting = NULL;
	return c->in.len > 0;
}

/* What the checker sent on connections other than c. */
static struct sent_piece *others(const struct runner *r, const struct conn *c, size_t *n)
{
	struct sent_piece *v = xmalloc((r->nconns + 1) * sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < r->nconns; i++) {
		const struct conn *d = &r->conns[i];
		if (d == c || !d->last_sent.len)
			continue;
		v[*n].conn = d->name;
		v[*n].p = d->last_sent.data;
		v[(*n)++].n = d->last_sent.len;
	}
	return v;
}

/* 1 if the test wants the program to end with an error at some point: an
 * end with a status other than 0 is then no sign of giving up. */
static int error_due(const struct test *t)
{
	for (size_t i = 0; i < t->nsteps; i++) {
		const struct step *s = &t->steps[i];
		if (s->kind == STEP_EXIT && (s->exit_want != EXIT_CODE || s->exit_code != 0))
			return 1;
	}
	return 0;
}

/* The last line of what the program wrote on stderr (to free), or NULL. */
static char *err_tail(const struct buf *err)
{
	size_t end = err->len, start;

	while (end && (err->data[end - 1] == '\n' || err->data[end - 1] == '\r'))
		end--;
	if (!end)
		return NULL;
	start = end;
	while (start && err->data[start - 1] != '\n')
		start--;
	return escape_dup(err->data + start, end - start, ERR_TAIL);
}

/* How the program ended, what it ran into, and what its threads were
 * blocked in when the failing step gave up. */
static void observe_program(struct runner *r, struct observed *o)
{
	int on_its_own = r->started && r->prog.exited && !r->stopped && !r->killed_by_us;
	int keyboard;
	struct proc_waits w;

	limits(r, o);
	o->memory_error = r->memory_error == DIAG_ERROR;
	o->spun_ms = (int)r->spun_ms;
	o->is_client = r->job->spec->program.role == ROLE_CLIENT;
	o->is_udp = r->job->spec->program.proto == PROTO_UDP;
	if (on_its_own && WIFSIGNALED(r->prog.status))
		o->signal = WTERMSIG(r->prog.status);
	else if (on_its_own && !r->exit_checked && !r->start_broke &&
	         r->job->spec->program.role == ROLE_SERVER)
		o->server_exit = WEXITSTATUS(r->prog.status) + 1;
	else if (on_its_own && !r->exit_checked && WEXITSTATUS(r->prog.status) &&
	         !error_due(r->job->test))
		o->gave_up = WEXITSTATUS(r->prog.status) + 1;
	/* A client that does not end may be waiting for the keyboard; what
	 * else it waits in is its own business (a send() with a timeout). */
	keyboard = o->is_client && r->ev.kind == FAIL_NO_END;
	if ((r->ev.timed_out || keyboard) && r->started && !runner_prog_gone(r) &&
	    proc_box_waits(&w) == 0) {
		o->threads = w.threads;
		o->in_stdin = w.in_stdin;
		o->in_send = keyboard ? 0 : w.in_send;
		o->in_recv = keyboard ? 0 : w.in_recv;
	}
}

/* The checker socket other than c that got the datagram due on c, or NULL. */
static const char *reply_went_to(const struct runner *r, const struct conn *c)
{
	const struct evidence *ev = &r->ev;

	if (!c->udp || ev->glen || !ev->want)
		return NULL;
	for (size_t i = 0; i < r->nconns; i++) {
		const struct conn *d = &r->conns[i];
		for (size_t k = 0; d != c && d->udp && k < d->nqueue; k++)
			if (d->queue[k].len == ev->wlen &&
			    memcmp(d->queue[k].data, ev->want, ev->wlen) == 0)
				return d->name;
	}
	return NULL;
}

/* What the failing step compared, and the state of its connection. */
static void observe_conn(struct runner *r, struct observed *o)
{
	const struct evidence *ev = &r->ev;
	struct conn *c = ev->c;

	o->want = ev->want;
	o->wlen = ev->wlen;
	o->pattern = ev->pattern;
	o->got = ev->got;
	o->glen = ev->glen;
	o->head_unended = ev->head_unended;
	o->body_have = ev->body_have;
	o->body_want = ev->body_want;
	o->kind = ev->kind;
	o->status_want = ev->status_want;
	o->status_got = ev->status_got;
	o->on_stderr = ev->on_stderr;
	o->port_elsewhere = ev->port_elsewhere;
	if (ev->kind == FAIL_OUTPUT && r->started) {
		const struct buf *other = ev->on_stderr ? &r->prog.out : &r->prog.err;
		o->other = other->data;
		o->other_len = other->len;
	}
	if (!c)
		return;
	o->conn = c->name;
	o->reset = c->error == ECONNRESET;
	o->went_to = reply_went_to(r, c);
	o->earlier = c->last_ok.len ? c->last_ok.data : NULL;
	o->elen = c->last_ok.len;
	o->own = c->last_sent.data;
	o->olen = c->last_sent.len;
	o->prev = c->prev_sent.data;
	o->plen = c->prev_sent.len;
	if (!c->udp && !c->serves && !ev->glen && r->job->spec->program.role == ROLE_SERVER)
		o->queued = net_accept_queue(r->job->port);
	if (o->queued <= 0 && !o->fd_limit && !o->proc_limit && !o->in_send)
		o->eof_answer = answers_at_eof(r, c);
}

void runner_find_cause(struct runner *r)
{
	struct observed o = {0};
	struct sent_piece *sent;
	struct cause found;
	char *tail = r->started ? err_tail(&r->prog.err) : NULL;

	o.err_tail = tail;
	observe_program(r, &o);
	observe_conn(r, &o);
	sent = others(r, r->ev.c, &o.nothers);
	o.others = sent;
	found = cause_find(&o);
	free(sent);
	free(tail);
	if (!found.id)
		return;
	r->res->cause = xstrdup(cause_name(found.id));
	r->res->explanation = found.text;
}
