/* steps.c - run one test's steps inside its box and grade what happens. */
#include "steps.h"

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

#include "cgroup.h"
#include "escape.h"
#include "i18n.h"
#include "match.h"
#include "net.h"
#include "proc.h"
#include "tmpl.h"

#define MAX_CONNS      1000
#define MAX_EVENTS     400
#define SHOW_BYTES     300  /* bytes of one transcript line */
#define SHOW_EXPECT    2000 /* bytes of expected/received */
#define OUTPUT_TAIL    3000 /* bytes of the program's output in a report */
#define READY_PROBE_MS 5    /* how often to look for the listening socket */
#define STOP_GRACE_MS  2000
#define REPRO_CONNS    3
#define REPRO_TEXT_MAX 200 /* longer texts are not for typing by hand */

struct conn {
	char *name;
	int fd;   /* -1 once closed by us */
	int port; /* as a person would use it: the lesson's port, not the box's */
	struct buf in;
	int eof;         /* the program closed its side */
	int no_read;     /* we never read it: what the program sends piles up */
	int error;       /* errno of a failed read (ECONNRESET) */
	struct buf sent; /* for the by-hand recipe */
};

/* One line of the by-hand recipe: fixed text, or a connection whose line is
 * written at the end, once we know everything it sent. */
struct recipe_item {
	char *line;
	size_t conn;
};

struct runner {
	const struct box_job *job;
	struct test_result *res;
	struct rng rng;
	struct tmpl_vars vars;
	struct proc prog;
	int started;
	int stopped;      /* ended on purpose by a stop step */
	int listened;     /* it listened at least once in this test */
	int killed_by_us; /* the last end of the program was our doing */
	int output_exceeded;
	int past_deadline; /* the failure came when the test's own time was up */
	long cpu_ms;       /* CPU time of the program's last run */
	struct cgroup cg;  /* memory and process limits, where cgroups can be made */
	int has_cg;
	char *cg_procs[CGROUP_MAX_DIRS + 1];
	int start_failed; /* it never got to listen: the test's hint is beside the point */
	struct recipe_item *recipe; /* how to replay the test by hand, in order */
	size_t nrecipe;
	char *args_shown; /* the arguments of the last start, for the recipe */
	struct conn *conns;
	size_t nconns;
	int64_t t0;
	int64_t deadline;
	int failed;
	int exit_explained;     /* the failure message already says how the program ended */
	struct conn *expecting; /* read even if no_read: a step waits for its data */
	int listen_fd;          /* the checker's server, for a client lesson */
	int accepting;          /* wake up when listen_fd has a connection */
	int exit_checked;       /* the program ended and a step wanted it to */
};

static void recipe_add(struct runner *r, char *line, size_t conn)
{
	r->recipe = xrealloc(r->recipe, (r->nrecipe + 1) * sizeof(*r->recipe));
	r->recipe[r->nrecipe].line = line;
	r->recipe[r->nrecipe++].conn = conn;
}

static void note(struct runner *r, const char *conn, const char *what, const char *data)
{
	if (r->res->nevents < MAX_EVENTS)
		test_result_event(r->res, (long)(now_ms() - r->t0), conn, what, data);
	else if (r->res->nevents == MAX_EVENTS)
		test_result_event(r->res, (long)(now_ms() - r->t0), "", "truncated", "");
}

static void note_bytes(struct runner *r, const char *conn, const char *what, const char *p,
                       size_t n)
{
	char *e = escape_dup(p, n, SHOW_BYTES);

	note(r, conn, what, e);
	free(e);
}

static struct conn *find_conn(struct runner *r, const char *name)
{
	for (size_t i = 0; i < r->nconns; i++)
		if (strcmp(r->conns[i].name, name) == 0)
			return &r->conns[i];
	return NULL;
}

/* The program ended: remember it once, with how. */
static void on_exit_seen(struct runner *r)
{
	char *how = proc_describe_status(r->prog.status);

	note(r, "", "exit", how);
	free(how);
}

/* Reap everything that ended; as PID 1 of the box, orphans come to us. */
static void reap(struct runner *r)
{
	struct rusage ru;
	int st;
	pid_t pid;

	while ((pid = wait4(-1, &st, WNOHANG, &ru)) > 0) {
		if (r->started && pid == r->prog.pid && !r->prog.exited) {
			r->prog.exited = 1;
			r->prog.status = st;
			r->cpu_ms = (long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
			            (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
			on_exit_seen(r);
		}
	}
}

static size_t output_bytes(const struct proc *p)
{
	return p->out.len + p->err.len + p->out_dropped + p->err_dropped;
}

static void fail(struct runner *r, const char *expected, const char *received, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* A program that floods its output is stopped: the flood is the answer. */
static void check_output(struct runner *r)
{
	size_t cap = (size_t)r->job->spec->limits.output_kb * 1024;

	if (!r->started || r->prog.exited || output_bytes(&r->prog) <= cap)
		return;
	r->output_exceeded = 1;
	r->killed_by_us = 1;
	proc_kill(&r->prog);
	on_exit_seen(r);
	r->exit_explained = 1;
	fail(r, NULL, NULL, _("Your program wrote more than %d KiB of output, so we stopped it."),
	     r->job->spec->limits.output_kb);
}

static void read_conn(struct runner *r, struct conn *c)
{
	char chunk[65536];
	ssize_t n = recv(c->fd, chunk, sizeof(chunk), 0);

	if (n > 0) {
		buf_append(&c->in, chunk, (size_t)n);
		note_bytes(r, c->name, "recv", chunk, (size_t)n);
	} else if (n == 0) {
		c->eof = 1;
		note(r, c->name, "eof", "");
	} else if (errno != EAGAIN && errno != EINTR) {
		c->error = errno;
		c->eof = 1;
		note(r, c->name, errno == ECONNRESET ? "reset_by_peer" : "error", strerror(errno));
	}
}

/* One round of waiting: read whatever arrives on any connection or from
 * the program, for at most ms milliseconds. */
static void pump(struct runner *r, int ms)
{
	struct pollfd *pfd = xcalloc(r->nconns + 4, sizeof(*pfd));
	struct conn **who = xcalloc(r->nconns + 4, sizeof(*who));
	size_t n = 0;

	if (r->accepting && r->listen_fd >= 0)
		pfd[n++] = (struct pollfd){r->listen_fd, POLLIN, 0};
	for (size_t i = 0; i < r->nconns; i++) {
		struct conn *c = &r->conns[i];
		if (c->fd >= 0 && !c->eof && (!c->no_read || c == r->expecting)) {
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
	if (poll(pfd, n, ms) > 0) {
		for (size_t i = 0; i < n; i++)
			if (who[i] && (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				read_conn(r, who[i]);
		if (r->started)
			proc_drain(&r->prog);
	}
	reap(r);
	check_output(r);
	free(pfd);
	free(who);
}

typedef int (*cond_fn)(struct runner *r, void *ctx);

/* Pump until cond holds (1) or the deadline passes (0). probe_ms > 0 also
 * wakes up that often, for conditions nothing signals. */
static int wait_for(struct runner *r, int64_t deadline, cond_fn cond, void *ctx, int probe_ms)
{
	for (;;) {
		int left;

		if (cond(r, ctx))
			return 1;
		if (r->failed)
			return 0;
		left = ms_left(deadline);
		if (left == 0)
			return 0;
		if (probe_ms > 0 && left > probe_ms)
			left = probe_ms;
		pump(r, left);
	}
}

static int64_t step_deadline(struct runner *r, int ms)
{
	int64_t d = now_ms() + ms;

	return d < r->deadline ? d : r->deadline;
}

static int prog_gone(struct runner *r)
{
	return r->started && r->prog.exited;
}

/* Record the failure of the current step; the test ends there. */
/* The first failure ends the test; later ones are its consequences. */
static void fail(struct runner *r, const char *expected, const char *received, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;

	if (r->failed)
		return;
	if (now_ms() >= r->deadline)
		r->past_deadline = 1;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (prog_gone(r) && !r->stopped && !r->exit_explained) {
		char *how = proc_describe_status(r->prog.status);
		buf_puts(&b, " ");
		/* TRANSLATORS: %s is e.g. "ended because of a segmentation fault (SIGSEGV)". */
		buf_printf(&b, _("Your program %s."), how);
		free(how);
	}
	r->res->message = buf_steal(&b);
	r->res->expected = expected ? xstrdup(expected) : NULL;
	r->res->received = received ? xstrdup(received) : NULL;
	r->failed = 1;
}

static char *expand(struct runner *r, const char *text)
{
	char err[ERR_LEN];
	char *s = tmpl_expand_dup(&r->vars, text, err);

	if (!s) {
		fail(r, NULL, NULL, _("Internal error in the spec: %s"), err);
		r->res->status = ST_ERROR;
	}
	return s;
}

static int expand_port(struct runner *r, const char *tmpl, int *port)
{
	char *s = expand(r, tmpl ? tmpl : "{port}");
	long v;

	if (!s)
		return -1;
	v = strtol(s, NULL, 10);
	free(s);
	if (v < 1 || v > 65535) {
		fail(r, NULL, NULL, _("Internal error in the spec: bad port"));
		r->res->status = ST_ERROR;
		return -1;
	}
	*port = (int)v;
	return 0;
}

/* ---- start and stop ---- */

struct ready_ctx {
	int port;
};

static int is_ready(struct runner *r, void *ctx)
{
	return prog_gone(r) || net_listening(((struct ready_ctx *)ctx)->port) == 1;
}

/* It listens somewhere else: say where, it is the most useful clue. */
static void fail_not_listening(struct runner *r, int port, int ms)
{
	int ports[64], n = net_listening_ports(ports, 64);
	struct buf other = {0};

	for (int i = 0; i < n; i++)
		if (ports[i] != port)
			buf_printf(&other, "%s%d", other.len ? ", " : "", ports[i]);
	if (other.len && r->job->tier != TIER_C)
		fail(r, NULL, NULL,
		     _("Your server did not listen on port %d within %d ms, but it does listen on "
		       "%s. Does it read the port from its first argument?"),
		     port, ms, other.data);
	else
		fail(r, NULL, NULL,
		     _("Your server did not listen on port %d within %d ms (is listen() called? "
		       "Does it block before it?)."),
		     port, ms);
	buf_free(&other);
}

static char **start_argv(struct runner *r, const struct step *s)
{
	const struct strv *args = s && s->has_args ? &s->args : &r->job->spec->program.args;
	char **argv = xcalloc(r->job->argc + args->n + 1, sizeof(char *));
	struct buf shown = {0};
	size_t k = 0;

	for (size_t i = 0; i < r->job->argc; i++)
		argv[k++] = xstrdup(r->job->argv[i]);
	for (size_t i = 0; i < args->n; i++) {
		if (!(argv[k] = expand(r, args->v[i])))
			break;
		/* A person uses the lesson's port, whatever port this box had. */
		if (atoi(argv[k]) == r->job->port)
			buf_printf(&shown, " %d", r->job->spec->program.port);
		else
			buf_printf(&shown, " %s", argv[k]);
		k++;
	}
	free(r->args_shown);
	r->args_shown = buf_steal(&shown);
	return argv;
}

/* The command as it really ran in the box (its port may not be the lesson's). */
static char *join_argv(const struct runner *r, char **argv)
{
	struct buf b = {0};

	buf_puts(&b, r->job->display);
	for (size_t i = r->job->argc; argv[i]; i++)
		buf_printf(&b, " %s", argv[i]);
	return buf_steal(&b);
}

static void free_argv(char **argv)
{
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static void do_start(struct runner *r, const struct step *s)
{
	struct proc_spec ps = {0};
	struct ready_ctx rc;
	char err[ERR_LEN];
	char **argv;
	char *stdin_text = NULL;
	int ms = s ? s->within_ms : r->job->spec->program.ready_ms;

	if (s && s->stdin_text && !(stdin_text = expand(r, s->stdin_text)))
		return;
	if (r->started && !r->prog.exited) {
		fail(r, NULL, NULL,
		     _("Internal error in the spec: the program is already running"));
		r->res->status = ST_ERROR;
		return;
	}
	rc.port = 0;
	if (r->job->spec->program.role == ROLE_SERVER &&
	    expand_port(r, s ? s->port : NULL, &rc.port) < 0)
		return;
	argv = start_argv(r, s);
	if (r->failed) {
		free_argv(argv);
		return;
	}
	if (r->started)
		proc_free(&r->prog);
	ps.argv = argv;
	ps.cwd = r->job->workdir;
	ps.envp = r->job->envp;
	ps.uid = r->job->uid;
	ps.limits = r->job->spec->limits;
	ps.filter = 1;
	ps.stdin_text = stdin_text;
	if (!r->has_cg && r->job->tier != TIER_B &&
	    cgroup_create(&r->cg, ps.limits.mem_mb, ps.limits.nproc) == 0) {
		r->has_cg = 1;
		cgroup_procs_paths(&r->cg, r->cg_procs, CGROUP_MAX_DIRS + 1);
	}
	if (r->has_cg)
		ps.cgroup_procs = r->cg_procs;
	{
		char *cmd = xasprintf("%s%s", r->job->display, r->args_shown);
		char *real = join_argv(r, argv);
		note(r, "", "start", real);
		free(real);
		recipe_add(
		        r,
		        r->started
		                ? xasprintf(_("In the same terminal, start it again at once: %s"),
		                            cmd)
		        : r->job->spec->program.role == ROLE_CLIENT
		                ? xasprintf(_("In another terminal: %s"), cmd)
		                : xasprintf(_("In one terminal: %s"), cmd),
		        0);
		free(cmd);
	}
	r->stopped = 0;
	r->killed_by_us = 0;
	if (proc_start(&r->prog, &ps, err) < 0) {
		free_argv(argv);
		free(stdin_text);
		r->started = 0;
		fail(r, NULL, NULL, "%s", err);
		return;
	}
	free_argv(argv);
	free(stdin_text);
	r->started = 1;
	if (r->job->spec->program.role != ROLE_SERVER)
		return;
	if (!wait_for(r, step_deadline(r, ms), is_ready, &rc, READY_PROBE_MS))
		fail_not_listening(r, rc.port, ms);
	else if (prog_gone(r)) {
		char *how = proc_describe_status(r->prog.status);
		r->exit_explained = 1;
		/* TRANSLATORS: %s is e.g. "ended with exit status 1". */
		fail(r, NULL, NULL, _("Your program %s before it listened on port %d."), how,
		     rc.port);
		free(how);
	}
	if (r->failed)
		r->start_failed = !r->listened;
	else
		r->listened = 1;
}

static int has_exited(struct runner *r, void *ctx)
{
	(void)ctx;
	return prog_gone(r);
}

static void do_stop(struct runner *r, const struct step *s)
{
	const char *abbrev = sigabbrev_np(s->signal);

	if (!r->started || r->prog.exited) {
		fail(r, NULL, NULL,
		     _("Your program had already ended when the test wanted to stop it."));
		return;
	}
	r->stopped = 1;
	{
		char *name = xasprintf("SIG%s", abbrev ? abbrev : "?");
		note(r, "", "signal", name);
		free(name);
	}
	recipe_add(r,
	           s->signal == SIGINT
	                   ? xstrdup(_("Stop it with Ctrl-C in its terminal."))
	                   : xasprintf(_("Stop it from another terminal: kill -%s <its PID>"),
	                               abbrev ? abbrev : "?"),
	           0);
	proc_signal(&r->prog, s->signal);
	if (!wait_for(r, step_deadline(r, s->within_ms), has_exited, NULL, 0)) {
		note(r, "", "signal", "SIGKILL");
		r->killed_by_us = 1;
		proc_kill(&r->prog);
		on_exit_seen(r);
	}
}

/* ---- connections ---- */

static struct conn *add_conn(struct runner *r, const char *name, int fd, int port)
{
	struct conn *c;

	r->conns = xrealloc(r->conns, (r->nconns + 1) * sizeof(struct conn));
	c = &r->conns[r->nconns++];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	c->fd = fd;
	c->port = port == r->job->port ? r->job->spec->program.port : port;
	if (r->nconns <= REPRO_CONNS)
		recipe_add(r, NULL, r->nconns - 1);
	return c;
}

/* A step may not open a connection name already in use. */
static int new_conn_name(struct runner *r, const char *name)
{
	if (!find_conn(r, name) && r->nconns < MAX_CONNS)
		return 1;
	fail(r, NULL, NULL, _("Internal error in the spec: connection %s opened twice"), name);
	r->res->status = ST_ERROR;
	return 0;
}

static void do_connect(struct runner *r, const struct step *s)
{
	char err[ERR_LEN];
	struct conn *c;
	int port, fd;

	if (!new_conn_name(r, s->conn) || expand_port(r, s->port, &port) < 0)
		return;
	fd = net_tcp_connect(port, s->no_read, step_deadline(r, s->within_ms), err);
	if (fd < 0) {
		reap(r);
		note(r, s->conn, "connect_failed", err);
		fail(r, NULL, NULL,
		     _("Connection %s could not connect to your server on port %d: %s."), s->conn,
		     port, err);
		return;
	}
	c = add_conn(r, s->conn, fd, port);
	c->no_read = s->no_read;
	note(r, s->conn, "connect", "");
}

static struct conn *open_conn(struct runner *r, const struct step *s)
{
	struct conn *c = find_conn(r, s->conn);

	if (!c || c->fd < 0) {
		fail(r, NULL, NULL, _("Internal error in the spec: connection %s is not open"),
		     s->conn);
		r->res->status = ST_ERROR;
		return NULL;
	}
	return c;
}

static int never(struct runner *r, void *ctx)
{
	(void)r;
	(void)ctx;
	return 0;
}

static void send_piece(struct runner *r, struct conn *c, const char *tmpl, int ms)
{
	char *text = expand(r, tmpl);

	if (!text)
		return;
	note_bytes(r, c->name, "send", text, strlen(text));
	buf_puts(&c->sent, text);
	if (net_send_all(c->fd, text, strlen(text), step_deadline(r, ms)) < 0) {
		int e = errno;
		reap(r);
		fail(r, NULL, NULL,
		     _("Could not send on connection %s: %s (did your program close it?)."),
		     c->name, strerror(e));
	}
	free(text);
}

/* Text at once, or fragments with pauses: a reply that arrives in pieces. */
static void do_send(struct runner *r, const struct step *s)
{
	struct conn *c = open_conn(r, s);

	if (!c)
		return;
	if (s->text) {
		send_piece(r, c, s->text, s->within_ms);
		return;
	}
	for (size_t i = 0; i < s->fragments.n && !r->failed; i++) {
		if (i && s->pause_ms)
			wait_for(r, step_deadline(r, s->pause_ms), never, NULL, 0);
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
		fail(r, want, got, _("Connection %s received something other than expected."),
		     name);
	else if (e->c->error == ECONNRESET)
		fail(r, want, got,
		     _("Your program reset connection %s (RST) before sending all that was "
		       "expected."),
		     name);
	else if (e->c->eof)
		fail(r, want, got,
		     _("Your program closed connection %s before sending all that was expected."),
		     name);
	else if (e->c->in.len == 0)
		fail(r, want, got, _("Connection %s received nothing within %d ms."), name,
		     s->within_ms);
	else
		fail(r, want, got,
		     _("Connection %s received only part of the answer within %d ms."), name,
		     s->within_ms);
	free(want);
	free(got);
}

/* With a delimiter or a regex: read up to the delimiter (or the end), then judge. */
static void expect_delimited(struct runner *r, const struct step *s, struct expect_ctx *e)
{
	char *until = s->until ? expand(r, s->until) : NULL;

	if (s->until && !until)
		return;
	e->until = until;
	r->expecting = e->c;
	wait_for(r, step_deadline(r, s->within_ms), expect_done, e, 0);
	r->expecting = NULL;
	if (!until)
		e->chunk = e->c->in.len;
	if ((until && !e->found) || (!until && !e->c->eof)) {
		char *got = escape_dup(e->c->in.data, e->c->in.len, SHOW_EXPECT);
		if (!e->c->eof)
			note(r, e->c->name, "timeout", "");
		if (until) {
			char *end = escape_dup(until, strlen(until), SHOW_BYTES);
			fail(r, s->regex ? s->regex : e->want, got,
			     _("Connection %s: your program did not send the end of the message "
			       "(\"%s\") within %d ms."),
			     e->c->name, end, s->within_ms);
			free(end);
		} else {
			fail(r, s->regex, got,
			     _("Connection %s: your program did not close it within %d ms."),
			     e->c->name, s->within_ms);
		}
		free(got);
	} else if (!expect_judge(s, e)) {
		char *want = e->want ? escape_dup(e->want, e->wlen, SHOW_EXPECT) : NULL;
		char *got = escape_dup(e->c->in.data, e->chunk, SHOW_EXPECT);
		fail(r, s->regex ? s->regex : want, got,
		     _("Connection %s received something other than expected."), e->c->name);
		free(want);
		free(got);
	} else {
		buf_consume(&e->c->in, e->chunk + (until ? strlen(until) : 0));
	}
	free(until);
}

static void do_expect(struct runner *r, const struct step *s)
{
	struct expect_ctx e = {0};
	struct conn *c = find_conn(r, s->conn);
	char *want = NULL;

	if (!c) {
		open_conn(r, s);
		return;
	}
	if (s->text && !(want = expand(r, s->text)))
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
	wait_for(r, step_deadline(r, s->within_ms), expect_done, &e, 0);
	r->expecting = NULL;
	if (e.m == MATCH_OK) {
		buf_consume(&c->in, e.wlen);
	} else {
		if (e.m == MATCH_MORE && !c->eof)
			note(r, c->name, "timeout", "");
		fail_expect(r, s, &e);
	}
	free(want);
}

/* Read what is pending first: unread data would turn our FIN into a RST. */
static void do_close(struct runner *r, const struct step *s, int reset)
{
	struct conn *c = open_conn(r, s);

	if (!c)
		return;
	if (!reset) {
		while (!c->eof && recv(c->fd, (char[4096]){0}, 4096, MSG_DONTWAIT) > 0)
			;
		close(c->fd);
	} else {
		net_close_reset(c->fd);
	}
	c->fd = -1;
	note(r, c->name, reset ? "reset" : "close", "");
}

/* ---- the checker as the server of a client lesson ---- */

static int accepted(struct runner *r, void *ctx)
{
	int *fd = ctx;

	*fd = accept4(r->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	return *fd >= 0 || prog_gone(r);
}

static void do_accept(struct runner *r, const struct step *s)
{
	int fd = -1;

	if (r->listen_fd < 0) {
		fail(r, NULL, NULL, _("Internal error in the spec: accept needs role \"client\""));
		r->res->status = ST_ERROR;
		return;
	}
	if (!new_conn_name(r, s->conn))
		return;
	r->accepting = 1;
	wait_for(r, step_deadline(r, s->within_ms), accepted, &fd, 0);
	r->accepting = 0;
	if (fd < 0 && prog_gone(r))
		fail(r, NULL, NULL, _("Your program ended without connecting to port %d."),
		     r->job->spec->program.port);
	else if (fd < 0)
		fail(r, NULL, NULL, _("Your client never connected to port %d within %d ms."),
		     r->job->spec->program.port, s->within_ms);
	else {
		add_conn(r, s->conn, fd, r->job->port);
		note(r, s->conn, "accept", "");
	}
}

/* Half-close: our side sends FIN and keeps reading. */
static void do_shutdown(struct runner *r, const struct step *s)
{
	struct conn *c = open_conn(r, s);

	if (!c)
		return;
	shutdown(c->fd, SHUT_WR);
	note(r, c->name, "shutdown", "");
}

static int conn_ended(struct runner *r, void *ctx)
{
	(void)r;
	return ((struct conn *)ctx)->eof;
}

static void do_closed(struct runner *r, const struct step *s)
{
	struct conn *c = open_conn(r, s);

	if (!c)
		return;
	r->expecting = c;
	if (!wait_for(r, step_deadline(r, s->within_ms), conn_ended, c, 0))
		fail(r, NULL, NULL, _("Your program did not close connection %s within %d ms."),
		     c->name, s->within_ms);
	r->expecting = NULL;
}

static int got_data(struct runner *r, void *ctx)
{
	struct conn *c = ctx;

	(void)r;
	return c->in.len > 0;
}

/* For within_ms, the program must send nothing: it waits for our answer. */
static void do_quiet(struct runner *r, const struct step *s)
{
	struct conn *c = open_conn(r, s);

	if (!c)
		return;
	r->expecting = c;
	if (wait_for(r, step_deadline(r, s->within_ms), got_data, c, 0)) {
		char *got = escape_dup(c->in.data, c->in.len, SHOW_EXPECT);
		fail(r, NULL, got,
		     _("Your program sent more on connection %s before getting its answer."),
		     c->name);
		free(got);
	}
	r->expecting = NULL;
}

/* ---- the program's end and output ---- */

static void do_exit(struct runner *r, const struct step *s)
{
	int st;

	if (!r->started) {
		fail(r, NULL, NULL, _("Internal error in the spec: the program was never started"));
		r->res->status = ST_ERROR;
		return;
	}
	if (!wait_for(r, step_deadline(r, s->within_ms), has_exited, NULL, 0)) {
		fail(r, NULL, NULL, _("Your program did not end within %d ms."), s->within_ms);
		return;
	}
	st = r->prog.status;
	if (WIFSIGNALED(st))
		fail(r, NULL, NULL, _("Your program crashed."));
	r->exit_checked = !WIFSIGNALED(st);
	if (!r->exit_checked || r->failed)
		return;
	r->exit_explained = 1;
	if (s->exit_want == EXIT_CODE && WEXITSTATUS(st) != s->exit_code)
		fail(r, NULL, NULL, _("Your program ended with status %d, and %d was expected."),
		     WEXITSTATUS(st), s->exit_code);
	else if (s->exit_want == EXIT_NONZERO && WEXITSTATUS(st) == 0)
		fail(r, NULL, NULL,
		     _("Your program ended with status 0; here it should report the error "
		       "with a non-zero status."));
}

struct output_ctx {
	const struct step *s;
	const char *want;
	const struct buf *got;
	size_t line;
};

static int output_ok(struct output_ctx *o)
{
	const char *got = o->got->data ? o->got->data : "";

	switch (o->s->mode) {
	case MODE_EXACT:
		return o->got->len == strlen(o->want) && memcmp(got, o->want, o->got->len) == 0;
	case MODE_CONTAINS:
		return match_contains(o->want, got, o->got->len);
	case MODE_REGEX:
		return match_regex(o->want, got) == 1;
	default:
		return match_lines(o->want, got, o->got->len, &o->line);
	}
}

/* Done once it matches (contains, regex) or the program has ended. */
static int output_done(struct runner *r, void *ctx)
{
	struct output_ctx *o = ctx;

	if (r->started)
		proc_drain(&r->prog);
	if (prog_gone(r))
		return 1;
	return (o->s->mode == MODE_CONTAINS || o->s->mode == MODE_REGEX) && output_ok(o);
}

static void do_output(struct runner *r, const struct step *s)
{
	struct output_ctx o = {s, NULL, NULL, 0};
	int is_out = s->kind == STEP_STDOUT;
	char *want = s->mode == MODE_REGEX ? xstrdup(s->text) : expand(r, s->text);

	if (!want || !r->started) {
		free(want);
		return;
	}
	o.want = want;
	o.got = is_out ? &r->prog.out : &r->prog.err;
	wait_for(r, step_deadline(r, s->within_ms), output_done, &o, 0);
	if (!output_ok(&o)) {
		char *e = escape_dup(want, strlen(want), SHOW_EXPECT);
		char *g = escape_dup(o.got->data, o.got->len, SHOW_EXPECT);
		if (s->mode == MODE_LINES)
			fail(r, e, g,
			     is_out ? _("What your program printed (stdout) differs from line %zu "
			                "on.")
			            : _("What your program wrote to stderr differs from line %zu "
			                "on."),
			     o.line);
		else
			fail(r, e, g,
			     is_out ? _("What your program printed (stdout) is not what was "
			                "expected.")
			            : _("What your program wrote to stderr is not what was "
			                "expected."));
		free(e);
		free(g);
	}
	free(want);
}

static void run_step(struct runner *r, const struct step *s)
{
	switch (s->kind) {
	case STEP_START:
		do_start(r, s);
		break;
	case STEP_STOP:
		do_stop(r, s);
		break;
	case STEP_CONNECT:
		do_connect(r, s);
		break;
	case STEP_SEND:
		do_send(r, s);
		break;
	case STEP_EXPECT:
		do_expect(r, s);
		break;
	case STEP_CLOSE:
		do_close(r, s, 0);
		break;
	case STEP_RESET:
		do_close(r, s, 1);
		break;
	case STEP_ACCEPT:
		do_accept(r, s);
		break;
	case STEP_SHUTDOWN:
		do_shutdown(r, s);
		break;
	case STEP_CLOSED:
		do_closed(r, s);
		break;
	case STEP_EXIT:
		do_exit(r, s);
		break;
	case STEP_STDOUT:
	case STEP_STDERR:
		do_output(r, s);
		break;
	case STEP_QUIET:
		do_quiet(r, s);
		break;
	}
}

/* ---- the report's extras ---- */

static char *shell_quote(const char *s)
{
	struct buf b = {0};

	buf_puts(&b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			buf_puts(&b, "'\\''");
		else
			buf_append(&b, s, 1);
	}
	buf_puts(&b, "'");
	return buf_steal(&b);
}

static void recipe_conn(struct buf *b, const struct conn *c, int client)
{
	if (client) {
		char *q = shell_quote(c->sent.data ? c->sent.data : "");
		/* TRANSLATORS: a connection name, then the shell-quoted text to type. */
		buf_printf(b, _("When your program connects (%s), type in nc: %s"), c->name,
		           c->sent.len > REPRO_TEXT_MAX ? _("the answer shown above") : q);
		free(q);
	} else if (c->sent.len > REPRO_TEXT_MAX) {
		buf_printf(b,
		           _("In another terminal (%s): nc 127.0.0.1 %d  and paste the %zu "
		             "bytes it sent (see above)"),
		           c->name, c->port, c->sent.len);
	} else if (c->sent.len) {
		char *q = shell_quote(c->sent.data);
		/* TRANSLATORS: connection name, port, then the shell-quoted text to type. */
		buf_printf(b, _("In another terminal (%s): nc 127.0.0.1 %d  and type %s"), c->name,
		           c->port, q);
		free(q);
	} else {
		buf_printf(b, _("In another terminal (%s): nc 127.0.0.1 %d  and type nothing"),
		           c->name, c->port);
	}
}

/* How to replay the situation by hand with nc, in the order it happened. */
static char *reproduce(struct runner *r)
{
	struct buf b = {0};

	for (size_t i = 0; i < r->nrecipe; i++) {
		if (i)
			buf_puts(&b, "\n");
		if (r->recipe[i].line)
			buf_puts(&b, r->recipe[i].line);
		else
			recipe_conn(&b, &r->conns[r->recipe[i].conn],
			            r->job->spec->program.role == ROLE_CLIENT);
	}
	if (r->nconns > REPRO_CONNS)
		buf_printf(&b, "\n%s", _("(… and more connections like these)"));
	return buf_steal(&b);
}

static int ended_by_itself(const struct runner *r)
{
	return r->started && r->prog.exited && !r->stopped && !r->killed_by_us;
}

/* Why the test failed, in the fixed order of the verdicts. */
static enum verdict verdict(const struct runner *r)
{
	int st = r->prog.status;
	int sig = ended_by_itself(r) && WIFSIGNALED(st) ? WTERMSIG(st) : 0;

	if (r->res->status == ST_ERROR)
		return V_INTERNAL;
	if (r->past_deadline || sig == SIGXCPU ||
	    (sig == SIGKILL && r->cpu_ms >= (long)r->job->spec->limits.cpu_s * 1000))
		return V_TIME;
	if (r->has_cg && cgroup_oom_kills(&r->cg) > 0)
		return V_MEMORY;
	if (r->output_exceeded)
		return V_OUTPUT;
	if (ended_by_itself(r) &&
	    (sig || (r->job->spec->program.role == ROLE_SERVER && !r->exit_checked)))
		return V_RUNTIME;
	return V_WRONG;
}

static void finish(struct runner *r)
{
	const struct test *t = r->job->test;
	struct test_result *res = r->res;

	if (r->started) {
		proc_drain(&r->prog);
		if (r->prog.out.len)
			res->out = escape_tail(r->prog.out.data, r->prog.out.len, OUTPUT_TAIL);
		if (r->prog.err.len)
			res->errout = escape_tail(r->prog.err.data, r->prog.err.len, OUTPUT_TAIL);
	}
	if (r->failed) {
		if (res->status != ST_ERROR)
			res->status = ST_FAIL;
		res->verdict = verdict(r);
		res->score = 0;
		if (r->start_failed)
			res->hint =
			        xasprintf(_("Run it by hand (%s%s) and watch what it prints; if it "
			                    "crashes, gdb or valgrind show you where."),
			                  r->job->display, r->args_shown ? r->args_shown : "");
		else
			res->hint = t->hint ? xstrdup(t->hint) : NULL;
		res->reproduce = reproduce(r);
	} else {
		res->status = ST_PASS;
		res->score = t->points;
	}
}

static void cleanup(struct runner *r)
{
	for (size_t i = 0; i < r->nconns; i++) {
		if (r->conns[i].fd >= 0)
			close(r->conns[i].fd);
		free(r->conns[i].name);
		buf_free(&r->conns[i].in);
		buf_free(&r->conns[i].sent);
	}
	free(r->conns);
	if (r->started) {
		proc_kill(&r->prog);
		proc_free(&r->prog);
	}
	if (r->has_cg) {
		cgroup_destroy(&r->cg);
		for (size_t i = 0; r->cg_procs[i]; i++)
			free(r->cg_procs[i]);
	}
	if (r->listen_fd >= 0)
		close(r->listen_fd);
	free(r->args_shown);
	for (size_t i = 0; i < r->nrecipe; i++)
		free(r->recipe[i].line);
	free(r->recipe);
	tmpl_free(&r->vars);
}

/* A server must still be running when the last step is done. */
static void check_still_running(struct runner *r)
{
	pump(r, 0);
	if (r->started && r->prog.exited && !r->stopped)
		fail(r, NULL, NULL, _("Your server ended during the test."));
}

/* A client lesson: the checker's server listens before the program starts. */
static void open_listener(struct runner *r)
{
	char err[ERR_LEN];

	r->listen_fd = net_tcp_listen(r->job->port, err);
	if (r->listen_fd < 0) {
		fail(r, NULL, NULL, _("Internal error: the checker cannot listen: %s"), err);
		r->res->status = ST_ERROR;
		return;
	}
	recipe_add(r,
	           xasprintf(_("In one terminal, play the server: nc -l 127.0.0.1 %d"),
	                     r->job->spec->program.port),
	           0);
}

void steps_run(const struct box_job *job, struct test_result *out)
{
	struct runner r = {0};
	char num[16];

	memset(out, 0, sizeof(*out));
	out->id = xstrdup(job->test->id);
	out->name = xstrdup(job->test->name);
	out->max_score = job->test->points;
	r.job = job;
	r.res = out;
	r.t0 = now_ms();
	r.deadline = r.t0 + job->test->timeout_ms;
	rng_seed(&r.rng, job->seed);
	tmpl_init(&r.vars, &r.rng);
	snprintf(num, sizeof(num), "%d", job->port);
	tmpl_set(&r.vars, "port", num);
	snprintf(num, sizeof(num), "%d", job->port_alt);
	tmpl_set(&r.vars, "port_alt", num);
	r.listen_fd = -1;
	if (job->spec->program.role == ROLE_CLIENT)
		open_listener(&r);
	if (job->test->autostart && !r.failed)
		do_start(&r, NULL);
	for (size_t i = 0; i < job->test->nsteps && !r.failed; i++) {
		run_step(&r, &job->test->steps[i]);
		if (!r.failed && now_ms() > r.deadline)
			fail(&r, NULL, NULL, _("The test ran past its total time of %d ms."),
			     job->test->timeout_ms);
	}
	if (!r.failed && job->spec->program.role == ROLE_SERVER)
		check_still_running(&r);
	finish(&r);
	out->duration_ms = (long)(now_ms() - r.t0);
	cleanup(&r);
}
