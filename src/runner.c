/* runner.c - one test's runner: events, waits with deadlines, failures, connections. */
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

void runner_recipe_add(struct runner *r, char *line, size_t conn)
{
	r->recipe = xrealloc(r->recipe, (r->nrecipe + 1) * sizeof(*r->recipe));
	r->recipe[r->nrecipe].line = line;
	r->recipe[r->nrecipe++].conn = conn;
}

void runner_note(struct runner *r, const char *conn, const char *what, const char *data)
{
	if (r->res->nevents < MAX_EVENTS)
		test_result_event(r->res, (long)(now_ms() - r->t0), conn, what, data);
	else if (r->res->nevents == MAX_EVENTS)
		test_result_event(r->res, (long)(now_ms() - r->t0), "", "truncated", "");
}

void runner_note_bytes(struct runner *r, const char *conn, const char *what, const char *p,
                       size_t n)
{
	char *e = escape_dup(p, n, SHOW_BYTES);

	runner_note(r, conn, what, e);
	free(e);
}

void runner_replay(struct runner *r, enum replay_op op, const char *conn, long num, const void *p,
                   size_t n)
{
	replay_add(&r->res->replay, (long)(now_ms() - r->t0), op, conn, num, p, n);
}

struct conn *runner_find_conn(struct runner *r, const char *name)
{
	size_t i;

	return strmap_get(&r->by_name, name, &i) ? &r->conns[i] : NULL;
}

/* The program ended: remember it once, with how. */
void runner_on_exit_seen(struct runner *r)
{
	char *how = proc_describe_status(r->prog.status);

	runner_note(r, "", "exit", how);
	free(how);
}

/* Reap everything that ended; as PID 1 of the box, orphans come to us. */
void runner_reap(struct runner *r)
{
	struct rusage ru;
	int st;
	pid_t pid;

	for (;;) {
		siginfo_t si = {0};
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid <= 0)
			break;
		/* Before it goes: how long the program waited for a CPU
		 * (runner_starved_ms). Not its children's: a fork bomb's
		 * thousands would stretch every deadline to its end. */
		if (r->started && si.si_pid == r->prog.pid)
			r->gone_delay_us += proc_run_delay_us(si.si_pid);
		if ((pid = wait4(si.si_pid, &st, WNOHANG, &ru)) <= 0)
			break;
		if (r->started && pid == r->prog.pid && !r->prog.exited) {
			r->prog.exited = 1;
			r->prog.status = st;
			r->exit_at = now_ms();
			r->cpu_ms = (long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
			            (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
			runner_on_exit_seen(r);
		} else if (pid != r->prog.pid) {
			/* An orphan of the box: its time counts as the program's. */
			r->stray_cpu_ms += (long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
			                   (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
		}
	}
}

static size_t output_bytes(const struct proc *p)
{
	return p->out.len + p->err.len + p->out_dropped + p->err_dropped;
}

/* A program that floods its output is stopped: the flood is the answer. */
static void check_output(struct runner *r)
{
	size_t cap = (size_t)r->job->spec->limits.output_kb * 1024;

	if (!r->started || r->prog.exited || output_bytes(&r->prog) <= cap)
		return;
	r->output_exceeded = 1;
	r->killed_by_us = 1;
	proc_kill(&r->prog);
	runner_on_exit_seen(r);
	r->exit_explained = 1;
	runner_fail(r, NULL, NULL,
	            _("Your program wrote more than %d KiB of output, so we stopped it."),
	            r->job->spec->limits.output_kb);
}

#define EXIT_SETTLE_MS  30    /* after a failure, for a dying program to be seen dead */
#define DGRAM_MAX       65536 /* more than UDP over IPv4 carries */
#define DGRAMS_PER_WAKE 64

/* The bytes of what arrived on c that the budget counts. */
static size_t conn_held(const struct conn *c)
{
	size_t held = c->in.len;

	for (size_t k = 0; k < c->nqueue; k++)
		held += c->queue[k].len + DGRAM_COST;
	return held;
}

/* A program that sends more than the checker will hold is cut off: nothing
 * it sends after that can make the test pass, and the checker's memory is
 * not its to take. The message names where most of it waits. */
static void fail_flood(struct runner *r, struct conn *c)
{
	size_t holding = 0, most = 0;
	const struct conn *top = c;

	for (size_t i = 0; i < r->nconns; i++) {
		const struct conn *o = &r->conns[i];
		size_t held = conn_held(o);
		holding += held > 0;
		if (held > most) {
			most = held;
			top = o;
		}
	}
	runner_note(r, c->name, "flood", "");
	if (r->failed)
		return; /* the verdict is the first failure's */
	r->output_exceeded = 1;
	if (holding > 1)
		runner_fail(r, NULL, NULL,
		            _("Your program sent more than %d MiB that nobody asked for, over %zu "
		              "of the test's connections (the most on %s); we stopped reading "
		              "there."),
		            WIRE_BUDGET_MB, holding, top->name);
	else
		runner_fail(r, NULL, NULL,
		            _("Your program sent more than %d MiB on %s that nobody asked for; "
		              "we stopped reading there."),
		            WIRE_BUDGET_MB, top->name);
}

/* Queue the datagrams waiting on a UDP socket, each whole, while the
 * budget lasts. */
static void read_dgrams(struct runner *r, struct conn *c)
{
	char chunk[DGRAM_MAX];

	for (int i = 0; i < DGRAMS_PER_WAKE; i++) {
		int from = -1;
		ssize_t n = net_udp_recv(c->fd, chunk, sizeof(chunk), &from);
		struct dgram *d;

		if (n < 0)
			return;
		if ((size_t)n > sizeof(chunk))
			n = sizeof(chunk);
		runner_note_bytes(r, c->name, "recv", chunk, (size_t)n);
		if (budget_take(&r->wire, (size_t)n + DGRAM_COST) < 0) {
			fail_flood(r, c);
			return;
		}
		c->queue = xrealloc(c->queue, (c->nqueue + 1) * sizeof(*c->queue));
		d = &c->queue[c->nqueue++];
		d->data = xstrndup(chunk, (size_t)n);
		d->len = (size_t)n;
		d->from_port = from;
	}
}

struct dgram runner_dgram_pop(struct runner *r, struct conn *c)
{
	struct dgram d = c->queue[0];

	c->taken++;
	runner_replay(r, REPLAY_AWAIT, c->name, (long)c->taken, NULL, 0);
	memmove(c->queue, c->queue + 1, (c->nqueue - 1) * sizeof(*c->queue));
	c->nqueue--;
	budget_give(&r->wire, d.len + DGRAM_COST);
	return d;
}

/* Keep the start of p[0..n) in b, for the causes to compare with later. */
static void keep_start(struct buf *b, const char *p, size_t n)
{
	b->len = 0;
	buf_append(b, p ? p : "", n < KEPT_BYTES ? n : KEPT_BYTES);
}

void runner_conn_take(struct runner *r, struct conn *c, size_t n)
{
	n = n < c->in.len ? n : c->in.len;
	keep_start(&c->last_ok, c->in.data, n);
	c->taken += n;
	runner_replay(r, REPLAY_AWAIT, c->name, (long)c->taken, NULL, 0);
	buf_consume(&c->in, n);
	budget_give(&r->wire, n);
	if (!c->in.len)
		buf_free(&c->in);
}

void runner_conn_free(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->name);
	buf_free(&c->in);
	buf_free(&c->sent);
	buf_free(&c->last_ok);
	buf_free(&c->last_sent);
	buf_free(&c->prev_sent);
	for (size_t i = 0; i < c->nqueue; i++)
		free(c->queue[i].data);
	free(c->queue);
}

static void read_conn(struct runner *r, struct conn *c)
{
	char chunk[65536];
	ssize_t n;

	if (c->udp) {
		read_dgrams(r, c);
		return;
	}
	n = recv(c->fd, chunk, sizeof(chunk), 0);

	if (n > 0) {
		runner_note_bytes(r, c->name, "recv", chunk, (size_t)n);
		if (budget_take(&r->wire, (size_t)n) < 0) {
			fail_flood(r, c);
			return;
		}
		buf_append(&c->in, chunk, (size_t)n);
		c->received += (size_t)n;
	} else if (n == 0) {
		c->eof = 1;
		runner_note(r, c->name, "eof", "");
	} else if (errno != EAGAIN && errno != EINTR) {
		c->error = errno;
		c->eof = 1;
		runner_note(r, c->name, errno == ECONNRESET ? "reset_by_peer" : "error",
		            errno == ECONNRESET ? "" : strerror(errno));
	}
}

/* One round of waiting: read whatever arrives on any connection or from
 * the program, for at most ms milliseconds. */
void runner_pump(struct runner *r, int ms)
{
	struct pollfd *pfd = xcalloc(r->nconns + 5, sizeof(*pfd));
	struct conn **who = xcalloc(r->nconns + 5, sizeof(*who));
	size_t n = 0;

	if (r->accepting && r->listen_fd >= 0)
		pfd[n++] = (struct pollfd){r->listen_fd, POLLIN, 0};
	if (r->writing)
		pfd[n++] = (struct pollfd){r->writing->fd, POLLOUT, 0};
	for (size_t i = 0; i < r->nconns; i++) {
		struct conn *c = &r->conns[i];
		if (c->fd >= 0 && !c->eof && (!c->no_read || c == r->expecting) && !r->wire.over) {
			pfd[n] = (struct pollfd){r->conns[i].fd, POLLIN, 0};
			who[n++] = &r->conns[i];
		}
	}
	if (r->started) {
		if (r->prog.out_fd >= 0)
			pfd[n++] = (struct pollfd){r->prog.out_fd, POLLIN, 0};
		if (r->prog.err_fd >= 0)
			pfd[n++] = (struct pollfd){r->prog.err_fd, POLLIN, 0};
		if (r->prog.pidfd >= 0 && !r->prog.exited)
			pfd[n++] = (struct pollfd){r->prog.pidfd, POLLIN, 0};
	}
	int64_t began = now_us();
	int ready = poll(pfd, n, ms);

	r->blocked_us += now_us() - began;
	if (ready > 0) {
		for (size_t i = 0; i < n && !r->wire.over; i++)
			if (who[i] && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				read_conn(r, who[i]);
		if (r->started)
			proc_drain(&r->prog);
	}
	runner_reap(r);
	check_output(r);
	free(pfd);
	free(who);
}

/* Pump until cond holds (1) or the deadline passes (0). probe_ms > 0 also
 * wakes up that often, for conditions nothing signals. */
int runner_wait_for(struct runner *r, int64_t deadline, cond_fn cond, void *ctx, int probe_ms)
{
	for (;;) {
		int left;

		if (cond(r, ctx))
			return 1;
		if (r->failed)
			return 0;
		left = ms_left(deadline);
		if (left == 0) {
			int64_t more = runner_starved_ms(r);
			if (more <= 0)
				return 0;
			deadline += more;
			continue;
		}
		if (probe_ms > 0 && left > probe_ms)
			left = probe_ms;
		runner_pump(r, left);
	}
}

void runner_pause(struct runner *r, int ms)
{
	int64_t began = now_us(), deadline = runner_step_deadline(r, ms);
	int left;

	/* A pause is a promise of timing the program sees on its own clock (a
	 * reply 250 ms late, not 500): unlike a wait for the program, it does
	 * not stretch by the time the box waited for a CPU. */
	while ((left = ms_left(deadline)) > 0 && !r->failed)
		runner_pump(r, left);
	r->waits_us += now_us() - began;
}

#define SETTLE_MS 500

static int prog_idle(struct runner *r, void *ctx)
{
	(void)ctx;
	return runner_prog_gone(r) || proc_box_running() <= 0;
}

void runner_settle(struct runner *r)
{
	runner_wait_for(r, now_ms() + SETTLE_MS, prog_idle, NULL, 1);
	runner_pump(r, 0);
}

#define STARVED_MIN_MS 5 /* less is not worth a look at /proc again */

int64_t runner_box_delay_us(const struct runner *r)
{
	int64_t live = proc_box_run_delay_us();

	return live < 0 ? -1 : live + r->gone_delay_us;
}

int64_t runner_starved_ms(struct runner *r)
{
	int64_t now = runner_box_delay_us(r), more;
	int64_t cap = r->job->test->timeout_ms - r->granted_ms;

	if (now < 0)
		return 0;
	more = (now - r->delay0_us) / 1000 - r->granted_ms;
	if (more > cap)
		more = cap;
	if (more < STARVED_MIN_MS)
		return 0;
	r->granted_ms += more;
	r->deadline += more;
	return more;
}

int64_t runner_step_deadline(struct runner *r, int ms)
{
	int64_t d = now_ms() + ms;

	return d < r->deadline ? d : r->deadline;
}

int runner_prog_gone(struct runner *r)
{
	return r->started && r->prog.exited;
}

/* Record the failure of the current step; the test ends there. */
/* The first failure ends the test; later ones are its consequences. */
/* A program that crashes closes its connections a moment before its end can
 * be seen: wait that moment, so that the failure says how it ended. */
static void settle_exit(struct runner *r)
{
	struct pollfd p = {r->prog.pidfd, POLLIN, 0};

	if (!r->started || r->prog.exited || r->stopped || r->prog.pidfd < 0)
		return;
	if (poll(&p, 1, EXIT_SETTLE_MS) > 0)
		runner_reap(r);
}

void runner_fail(struct runner *r, const char *expected, const char *received, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;

	if (r->failed)
		return;
	settle_exit(r);
	if (now_ms() >= r->deadline)
		r->past_deadline = 1;
	/* The end of the program comes first: what the connections saw after
	 * it (a reset, nothing) is its consequence. */
	if (runner_prog_gone(r) && !r->stopped && !r->exit_explained) {
		char *how = proc_describe_status(r->prog.status);
		/* TRANSLATORS: %s is e.g. "ended because of a segmentation fault (SIGSEGV)". */
		buf_printf(&b, _("Your program %s."), how);
		buf_puts(&b, " ");
		free(how);
	}
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	r->res->message = buf_steal(&b);
	r->res->expected = expected ? xstrdup(expected) : NULL;
	r->res->received = received ? xstrdup(received) : NULL;
	r->failed = 1;
}

void runner_evidence(struct runner *r, struct conn *c, const char *want, size_t wlen,
                     const char *got, size_t glen)
{
	struct evidence *ev = &r->ev;

	if (ev->got)
		return;
	ev->c = c;
	if (want) {
		ev->want = xmalloc(wlen + 1);
		memcpy(ev->want, want, wlen);
		ev->want[wlen] = '\0';
		ev->wlen = wlen;
	}
	ev->got = xmalloc(glen + 1);
	memcpy(ev->got, got ? got : "", glen);
	ev->got[glen] = '\0';
	ev->glen = glen;
}

int runner_fail_kind(struct runner *r, enum fail_kind k, struct conn *c)
{
	if (r->failed || r->ev.kind)
		return 0;
	r->ev.kind = k;
	if (c && !r->ev.c)
		r->ev.c = c;
	return 1;
}

void runner_conn_sent(struct conn *c, const char *p, size_t n)
{
	struct buf t = c->prev_sent;

	c->prev_sent = c->last_sent;
	c->last_sent = t;
	keep_start(&c->last_sent, p, n);
}

char *runner_expand_len(struct runner *r, const char *text, size_t *len)
{
	char err[ERR_LEN];
	struct buf b = {0};

	if (tmpl_expand(&r->vars, text, &b, err) < 0) {
		buf_free(&b);
		runner_fail(r, NULL, NULL, _("Internal error in the spec: %s"), err);
		r->res->status = ST_ERROR;
		return NULL;
	}
	*len = b.len;
	return buf_steal(&b);
}

char *runner_expand(struct runner *r, const char *text)
{
	size_t len;

	return runner_expand_len(r, text, &len);
}

char *runner_pattern_words(struct runner *r, const struct step *s, const char *re)
{
	char *words = s->shown ? xstrdup(s->shown) : match_readable(re);
	char *shown = escape_dup(words ? words : re, strlen(words ? words : re), SHOW_EXPECT);

	if (!r->failed)
		r->res->expected_pattern = 1;
	free(words);
	return shown;
}

int runner_expand_port(struct runner *r, const char *tmpl, int *port)
{
	char *s = runner_expand(r, tmpl ? tmpl : "{port}");
	long v;

	if (!s)
		return -1;
	v = strtol(s, NULL, 10);
	free(s);
	if (v < 1 || v > 65535) {
		runner_fail(r, NULL, NULL, _("Internal error in the spec: bad port"));
		r->res->status = ST_ERROR;
		return -1;
	}
	*port = (int)v;
	return 0;
}

int runner_has_exited(struct runner *r, void *ctx)
{
	(void)ctx;
	return runner_prog_gone(r);
}

struct conn *runner_add_conn(struct runner *r, const char *name, int fd, int port)
{
	struct conn *c;

	if (r->nconns == r->conns_cap) {
		r->conns_cap = r->conns_cap ? 2 * r->conns_cap : 16;
		r->conns = xrealloc(r->conns, r->conns_cap * sizeof(struct conn));
	}
	c = &r->conns[r->nconns++];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	strmap_put(&r->by_name, c->name, r->nconns - 1);
	c->fd = fd;
	c->port = port == r->job->port ? r->job->spec->program.port : port;
	if (r->nconns <= REPRO_CONNS)
		runner_recipe_add(r, NULL, r->nconns - 1);
	return c;
}

/* A step may not open a connection name already in use. */
int runner_new_conn_name(struct runner *r, const char *name)
{
	if (!runner_find_conn(r, name) && r->nconns < MAX_CONNS)
		return 1;
	runner_fail(r, NULL, NULL, _("Internal error in the spec: connection %s opened twice"),
	            name);
	r->res->status = ST_ERROR;
	return 0;
}

struct conn *runner_open_conn(struct runner *r, const struct step *s)
{
	struct conn *c = runner_find_conn(r, s->conn);

	if (!c || c->fd < 0) {
		runner_fail(r, NULL, NULL,
		            _("Internal error in the spec: connection %s is not open"), s->conn);
		r->res->status = ST_ERROR;
		return NULL;
	}
	return c;
}

int runner_never(struct runner *r, void *ctx)
{
	(void)r;
	(void)ctx;
	return 0;
}
