/* steps_cause.c - gather what a failed test showed, and trace it to its cause (cause.h). */
#include "runner.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "cause.h"
#include "diagnose.h"
#include "i18n.h"
#include "net.h"

#define PROBE_MS 500 /* how long an answer may take once the checker closes its side */

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

/* How the program ended, what it ran into, and what its threads were
 * blocked in when the failing step gave up. */
static void observe_program(struct runner *r, struct observed *o)
{
	int on_its_own = r->started && r->prog.exited && !r->stopped && !r->killed_by_us;
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
	if (r->ev.timed_out && r->started && !runner_prog_gone(r) && proc_box_waits(&w) == 0) {
		o->threads = w.threads;
		o->in_send = w.in_send;
		o->in_recv = w.in_recv;
		o->in_stdin = w.in_stdin;
	}
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
	if (!c)
		return;
	o->conn = c->name;
	o->reset = c->error == ECONNRESET;
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

	observe_program(r, &o);
	observe_conn(r, &o);
	sent = others(r, r->ev.c, &o.nothers);
	o.others = sent;
	found = cause_find(&o);
	free(sent);
	if (!found.id)
		return;
	r->res->cause = xstrdup(cause_name(found.id));
	r->res->explanation = found.text;
}
