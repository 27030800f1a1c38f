/* steps.c - run one test's steps inside its box and grade what happens. */
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

#include "diagnose.h"
#include "escape.h"
#include "http.h"
#include "i18n.h"
#include "match.h"
#include "net.h"

#define OUTPUT_TAIL      3000  /* bytes of the program's output in a report */
#define READY_PROBE_MS   1     /* how often to look for the listening socket */
#define THREADS_PROBE_MS 20    /* how often to count threads */
#define REPORT_WAIT_MS   10000 /* for a sanitizer to finish writing its report */

struct ready_ctx {
	int port;
	int udp;
};

static int is_ready(struct runner *r, void *ctx)
{
	struct ready_ctx *rc = ctx;

	return runner_prog_gone(r) || net_listening(rc->port, rc->udp) == 1;
}

/* A UDP port that one of the checker's own sockets is bound to. */
static int own_port(const struct runner *r, int port)
{
	for (size_t i = 0; i < r->nconns; i++)
		if (r->conns[i].udp && r->conns[i].fd >= 0 &&
		    net_local_port(r->conns[i].fd) == port)
			return 1;
	return 0;
}

/* It listens somewhere else: say where, it is the most useful clue. */
static void fail_not_listening(struct runner *r, const struct ready_ctx *rc, int ms)
{
	int ports[64], n = net_listening_ports(rc->udp, ports, 64);
	struct buf other = {0};

	for (int i = 0; i < n; i++)
		if (ports[i] != rc->port && !own_port(r, ports[i]))
			buf_printf(&other, "%s%d", other.len ? ", " : "", ports[i]);
	if (runner_fail_kind(r, FAIL_NOT_LISTENING, NULL) && other.len && r->job->tier != TIER_C)
		r->ev.port_elsewhere = atoi(other.data);
	if (other.len && r->job->tier != TIER_C && rc->udp)
		runner_fail(r, NULL, NULL,
		            _("Your server did not bind UDP port %d within %d ms, but it is bound "
		              "to %s. Does it read the port from its first argument?"),
		            rc->port, ms, other.data);
	else if (other.len && r->job->tier != TIER_C)
		runner_fail(r, NULL, NULL,
		            _("Your server did not listen on port %d within %d ms, but it does "
		              "listen on "
		              "%s. Does it read the port from its first argument?"),
		            rc->port, ms, other.data);
	else if (rc->udp)
		runner_fail(
		        r, NULL, NULL,
		        _("Your server did not bind UDP port %d within %d ms (is bind() called? "
		          "Does it block before it?)."),
		        rc->port, ms);
	else
		runner_fail(
		        r, NULL, NULL,
		        _("Your server did not listen on port %d within %d ms (is listen() called? "
		          "Does it block before it?)."),
		        rc->port, ms);
	buf_free(&other);
}

static char **start_argv(struct runner *r, const struct step *s)
{
	const struct strv *args = s && s->has_args ? &s->args : &r->job->spec->program.args;
	char **argv = xcalloc(r->job->argc + args->n + 1, sizeof(char *));
	struct buf shown = {0};
	char box_port[16];
	size_t k = 0;

	snprintf(box_port, sizeof(box_port), "%d", r->job->port);
	for (size_t i = 0; i < r->job->argc; i++)
		argv[k++] = xstrdup(r->job->argv[i]);
	for (size_t i = 0; i < args->n; i++) {
		if (!(argv[k] = runner_expand(r, args->v[i])))
			break;

		/* A person uses the lesson's port, whatever port this box had. */
		if (r->job->port > 0 && strcmp(argv[k], box_port) == 0) {
			buf_printf(&shown, " %d", r->job->spec->program.port);
		} else {
			char *w = shell_word(argv[k]);
			buf_printf(&shown, " %s", w);
			free(w);
		}
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
	for (size_t i = r->job->argc; argv[i]; i++) {
		char *w = shell_word(argv[i]);
		buf_printf(&b, " %s", w);
		free(w);
	}
	return buf_steal(&b);
}

static void free_argv(char **argv)
{
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* The recipe's line for starting the program, by role and by time. */
static char *start_line(const struct runner *r, const char *cmd)
{
	enum role role = r->job->spec->program.role;

	if (r->started && role == ROLE_SERVER)
		return xasprintf(_("In the same terminal, start it again at once: %s"), cmd);
	if (r->started)
		return xasprintf(_("Then run it again: %s"), cmd);
	if (role == ROLE_CLIENT)
		return xasprintf(_("In another terminal: %s"), cmd);
	return xasprintf(_("In one terminal: %s"), cmd);
}

/* The program starts again: what its last run wrote to stderr may hold a
 * sanitizer's or valgrind's report, looked at when the test ends. */
static void keep_report(struct runner *r)
{
	if (r->job->instrument == INSTRUMENT_NONE || !r->prog.err.len)
		return;
	proc_drain(&r->prog);
	if (r->reports.len < PROC_CAPTURE_MAX)
		buf_append(&r->reports, r->prog.err.data, r->prog.err.len);
}

static void do_start(struct runner *r, const struct step *s)
{
	struct proc_spec ps = {0};
	struct ready_ctx rc;
	char err[ERR_LEN];
	char **argv;
	char *stdin_text = NULL;
	int ms = s ? s->within_ms : r->job->spec->program.ready_ms;

	if (s && s->stdin_text && !(stdin_text = runner_expand(r, s->stdin_text)))
		return;
	if (r->started && !r->prog.exited) {
		runner_fail(r, NULL, NULL,
		            _("Internal error in the spec: the program is already running"));
		r->res->status = ST_ERROR;
		return;
	}
	/* A server listens on its port; any program may be told to (start.port). */
	rc.port = 0;
	rc.udp = r->job->spec->program.proto == PROTO_UDP;
	if ((r->job->spec->program.role == ROLE_SERVER || (s && s->port)) && !(s && s->no_listen) &&
	    runner_expand_port(r, s ? s->port : NULL, &rc.port) < 0)
		return;
	argv = start_argv(r, s);
	if (r->failed) {
		free_argv(argv);
		return;
	}
	if (r->started) {
		keep_report(r);
		proc_free(&r->prog);
	}
	ps.argv = argv;
	ps.cwd = r->job->workdir;
	ps.envp = r->job->envp;
	ps.uid = r->job->uid;
	ps.limits = r->job->spec->limits;
	ps.filter = 1;
	ps.filter_allow = r->job->filter_allow;
	ps.stdin_text = stdin_text;
	ps.keep_stdin = r->job->spec->program.keep_stdin;
	ps.drop_caps = r->job->drop_caps;
	ps.cgroup_fds = r->job->cg_fds;
	{
		char *cmd = xasprintf("%s%s", r->job->display, r->args_shown);
		char *real = join_argv(r, argv);
		runner_note(r, "", "start", real);
		free(real);
		runner_recipe_add(r, start_line(r, cmd), 0);
		runner_replay(r, REPLAY_START, NULL, 0, cmd, strlen(cmd));
		free(cmd);
	}
	r->stopped = 0;
	r->killed_by_us = 0;
	r->exit_checked = 0;
	if (proc_start(&r->prog, &ps, err) < 0) {
		free_argv(argv);
		free(stdin_text);
		r->started = 0;
		runner_fail(r, NULL, NULL, "%s", err);
		return;
	}
	free_argv(argv);
	free(stdin_text);
	r->started = 1;
	if (!rc.port)
		return;
	if (!runner_wait_for(r, runner_step_deadline(r, ms), is_ready, &rc, READY_PROBE_MS))
		fail_not_listening(r, &rc, ms);
	else if (runner_prog_gone(r)) {
		char *how = proc_describe_status(r->prog.status);
		r->exit_explained = 1;
		/* TRANSLATORS: %s is e.g. "ended with exit status 1". */
		runner_fail(r, NULL, NULL,
		            rc.udp ? _("Your program %s before it bound UDP port %d.")
		                   : _("Your program %s before it listened on port %d."),
		            how, rc.port);
		free(how);
	}
	r->start_broke = r->failed; /* this start, the first or a restart */
	if (r->failed)
		r->start_failed = !r->listened;
	else
		r->listened = 1;
}

/* The CPU time of the program and of every process it started, even one
 * that left its process group: the whole box but us. */
static long program_cpu_ms(const struct runner *r)
{
	long own = r->started && r->prog.exited ? r->cpu_ms : 0, live = 0;
	int procs;

	if (proc_box_usage(&procs, &live) < 0)
		live = 0;
	return own + r->stray_cpu_ms + live;
}

/* Waiting must not burn the CPU: busy waiting shows in its CPU time. */
static void check_cpu(struct runner *r, const struct step *s)
{
	long ms = program_cpu_ms(r);

	if (s->max_cpu_ms && ms > s->max_cpu_ms && !r->failed)
		r->spun_ms = ms;
	if (s->max_cpu_ms && ms > s->max_cpu_ms)
		runner_fail(
		        r, NULL, NULL,
		        _("Your program used %ld ms of CPU time, more than the %d ms allowed here: "
		          "does it wait in a loop (busy waiting) instead of in poll() or a "
		          "blocking call?"),
		        ms, s->max_cpu_ms);
}

static void do_stop(struct runner *r, const struct step *s)
{
	const char *abbrev = sigabbrev_np(s->signal);

	/* What it was sending when the step came is part of the test. */
	runner_settle(r);
	if (!r->started || r->prog.exited) {
		runner_fail(r, NULL, NULL,
		            _("Your program had already ended when the test wanted to stop it."));
		return;
	}
	r->stopped = 1;
	{
		char *name = xasprintf("SIG%s", abbrev ? abbrev : "?");
		runner_note(r, "", "signal", name);
		free(name);
	}
	runner_recipe_add(
	        r,
	        s->signal == SIGINT
	                ? xstrdup(_("Stop it with Ctrl-C in its terminal."))
	                : xasprintf(_("Stop it from another terminal: kill -%s <its PID>"),
	                            abbrev ? abbrev : "?"),
	        0);
	proc_signal(&r->prog, s->signal);
	if (!runner_wait_for(r, runner_step_deadline(r, s->within_ms), runner_has_exited, NULL,
	                     0)) {
		runner_note(r, "", "signal", "SIGKILL");
		r->killed_by_us = 1;
		proc_kill(&r->prog);
		runner_on_exit_seen(r);
	}
	check_cpu(r, s);
}

/* ---- the program's end and output ---- */

/* When and how hard it ran: not sooner than asked, not burning the CPU. */
static void check_exit_timing(struct runner *r, const struct step *s, int64_t began)
{
	long after = (long)(r->exit_at > began ? r->exit_at - began : 0);

	r->waits_us += 1000 * (int64_t)(after < s->not_before_ms ? after : s->not_before_ms);

	if (s->not_before_ms && after < s->not_before_ms)
		runner_fail(r, NULL, NULL,
		            _("Your program ended after %ld ms, but it should have waited at least "
		              "%d ms."),
		            after, s->not_before_ms);
	else
		check_cpu(r, s);
}

static void do_exit(struct runner *r, const struct step *s)
{
	int64_t began = now_ms();
	int st;

	if (!r->started) {
		runner_fail(r, NULL, NULL,
		            _("Internal error in the spec: the program was never started"));
		r->res->status = ST_ERROR;
		return;
	}
	if (!runner_wait_for(r, runner_step_deadline(r, s->within_ms), runner_has_exited, NULL,
	                     0)) {
		if (s->exit_want != EXIT_ANY && runner_fail_kind(r, FAIL_NO_END, NULL))
			r->ev.status_want = s->exit_want == EXIT_NONZERO ? -1 : s->exit_code;
		runner_fail(r, NULL, NULL, _("Your program did not end within %d ms."),
		            s->within_ms);
		return;
	}
	st = r->prog.status;
	if (WIFSIGNALED(st))
		runner_fail(r, NULL, NULL, _("Your program crashed."));
	r->exit_checked = !WIFSIGNALED(st);
	if (!r->exit_checked || r->failed)
		return;
	r->exit_explained = 1;
	if ((s->exit_want == EXIT_CODE && WEXITSTATUS(st) != s->exit_code) ||
	    (s->exit_want == EXIT_NONZERO && WEXITSTATUS(st) == 0)) {
		if (runner_fail_kind(r, FAIL_STATUS, NULL)) {
			r->ev.status_want = s->exit_want == EXIT_NONZERO ? -1 : s->exit_code;
			r->ev.status_got = WEXITSTATUS(st);
		}
	}
	if (s->exit_want == EXIT_CODE && WEXITSTATUS(st) != s->exit_code)
		runner_fail(r, NULL, NULL,
		            _("Your program ended with status %d, and %d was expected."),
		            WEXITSTATUS(st), s->exit_code);
	else if (s->exit_want == EXIT_NONZERO && WEXITSTATUS(st) == 0)
		runner_fail(r, NULL, NULL,
		            _("Your program ended with status 0; here it should report the error "
		              "with a non-zero status."));
	else
		check_exit_timing(r, s, began);
}

struct threads_ctx {
	int want, got, procs;
};

static int threads_as_wanted(struct runner *r, void *ctx)
{
	struct threads_ctx *t = ctx;

	long cpu;

	/* The whole box: a child that left the program's process group counts. */
	t->got = proc_box_usage(&t->procs, &cpu);
	if (t->got == 0)
		t->got = -1;
	return t->got == t->want || runner_prog_gone(r);
}

/* How it serves, seen from outside: its threads and processes, in /proc. */
static void do_threads(struct runner *r, const struct step *s)
{
	struct threads_ctx t = {s->count, -1, 0};

	if (!r->started || runner_prog_gone(r)) {
		runner_fail(r, NULL, NULL,
		            _("Your program had already ended when the test wanted "
		              "to count its threads."));
		return;
	}
	if (runner_wait_for(r, runner_step_deadline(r, s->within_ms), threads_as_wanted, &t,
	                    THREADS_PROBE_MS) &&
	    t.got == t.want)
		return;
	if (t.got < 0) {
		runner_fail(r, NULL, NULL,
		            _("Internal error: the checker cannot count your program's threads."));
		r->res->status = ST_ERROR;
	} else if (t.procs > 1) {
		runner_fail(r, NULL, NULL,
		            _("Your program runs %d threads in %d processes; here it should run "
		              "%d."),
		            t.got, t.procs, t.want);
	} else {
		runner_fail(r, NULL, NULL,
		            ngettext("Your program runs %d thread; here it should run %d.",
		                     "Your program runs %d threads; here it should run %d.",
		                     (unsigned long)t.got),
		            t.got, t.want);
	}
}

/* What a person types, for the recipe: each Enter shown as ⏎. */
static char *typed(const char *text)
{
	struct buf b = {0};

	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			buf_puts(&b, p[1] ? " ⏎ " : " ⏎");
		else
			buf_append(&b, p, 1);
	}
	return b.data ? buf_steal(&b) : xstrdup("");
}

/* Text for a person to type in nc: lines with each Enter shown as ⏎, or,
 * without a newline, one shell word (ended with Ctrl-D, the lessons say). */
static char *to_type(const char *text)
{
	return strchr(text, '\n') ? typed(text) : shell_word(text);
}

/* Type on the program's standard input, as a person at its terminal. */
static void do_input(struct runner *r, const struct step *s)
{
	char *text = runner_expand(r, s->text);

	if (!text)
		return;
	if (!r->started) {
		runner_fail(r, NULL, NULL,
		            _("Internal error in the spec: the program was never started"));
		r->res->status = ST_ERROR;
	} else if (*text) {
		char *shown = typed(text);
		runner_note_bytes(r, "", "input", text, strlen(text));
		runner_replay(r, REPLAY_INPUT, NULL, 0, text, strlen(text));
		runner_recipe_add(r, xasprintf(_("In its terminal, type: %s"), shown), 0);
		free(shown);
		if (proc_write_stdin(&r->prog, text, runner_step_deadline(r, s->within_ms)) < 0) {
			int e = errno;
			runner_pump(r, 0); /* has it ended? the message will say how */
			runner_fail(
			        r, NULL, NULL,
			        e == ETIMEDOUT
			                ? _("Your program did not read its standard input within "
			                    "%d ms.")
			                : _("Your program no longer reads its standard input."),
			        s->within_ms);
		}
	}
	if (s->end && !r->failed) {
		proc_close_stdin(&r->prog);
		runner_note(r, "", "input_end", "");
		runner_recipe_add(r, xstrdup(_("Then press Ctrl-D in its terminal.")), 0);
	}
	free(text);
}

struct output_ctx {
	const struct step *s;
	const char *want;
	size_t wlen;
	const struct buf *got;
	size_t line;
	int strip;      /* leave out the reports of the sanitizers or valgrind */
	struct buf own; /* got without them */
};

/* What the program wrote itself: an instrumented program's stderr also
 * holds the reports, which are no answer of the program's. */
static const struct buf *own_output(struct output_ctx *o)
{
	if (!o->strip)
		return o->got;
	buf_free(&o->own);
	if (o->got->len) {
		buf_append(&o->own, o->got->data, o->got->len);
		o->own.len = diagnose_strip(o->own.data, o->own.len);
	}
	return &o->own;
}

static int output_ok(struct output_ctx *o)
{
	const struct buf *b = own_output(o);
	const char *got = b->data ? b->data : "";

	switch (o->s->mode) {
	case MODE_EXACT:
		return b->len == o->wlen && memcmp(got, o->want, b->len) == 0;
	case MODE_CONTAINS:
		return match_contains(o->want, got, b->len);
	case MODE_REGEX:
		return match_regex(o->want, got) == 1;
	default:
		return match_lines(o->want, got, b->len, &o->line);
	}
}

/* Done once it matches (contains, regex) or the program has ended. */
static int output_done(struct runner *r, void *ctx)
{
	struct output_ctx *o = ctx;

	if (r->started)
		proc_drain(&r->prog);
	if (runner_prog_gone(r))
		return 1;
	return (o->s->mode == MODE_CONTAINS || o->s->mode == MODE_REGEX) && output_ok(o);
}

static void do_output(struct runner *r, const struct step *s)
{
	struct output_ctx o = {s, NULL, 0, NULL, 0, 0, {0}};
	int is_out = s->kind == STEP_STDOUT;
	size_t wlen = 0;
	char *want =
	        s->mode == MODE_REGEX ? xstrdup(s->text) : runner_expand_len(r, s->text, &wlen);

	if (!want || !r->started) {
		free(want);
		return;
	}
	o.want = want;
	o.wlen = s->mode == MODE_REGEX ? strlen(want) : wlen;
	o.got = is_out ? &r->prog.out : &r->prog.err;
	o.strip = !is_out && r->job->instrument != INSTRUMENT_NONE;
	runner_wait_for(r, runner_step_deadline(r, s->within_ms), output_done, &o, 0);
	if (!output_ok(&o)) {
		const struct buf *own = own_output(&o);
		char *e = s->mode == MODE_REGEX ? runner_pattern_words(r, s, want)
		                                : escape_dup(want, o.wlen, SHOW_EXPECT);
		char *g = escape_dup(own->data, own->len, SHOW_EXPECT);
		runner_evidence(r, NULL, s->mode == MODE_REGEX ? NULL : want, o.wlen, own->data,
		                own->len);
		if (s->mode == MODE_REGEX)
			r->ev.pattern = s->text;
		r->ev.timed_out = !runner_prog_gone(r);
		if (runner_fail_kind(r, FAIL_OUTPUT, NULL))
			r->ev.on_stderr = !is_out;
		if (s->mode == MODE_LINES)
			runner_fail(r, e, g,
			            is_out ? _("What your program printed (stdout) differs from "
			                       "line %zu "
			                       "on.")
			                   : _("What your program wrote to stderr differs from "
			                       "line %zu "
			                       "on."),
			            o.line);
		else
			runner_fail(r, e, g,
			            is_out ? _("What your program printed (stdout) is not what was "
			                       "expected.")
			                   : _("What your program wrote to stderr is not what was "
			                       "expected."));
		free(e);
		free(g);
	}
	buf_free(&o.own);
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
		step_connect(r, s);
		break;
	case STEP_SEND:
		step_send(r, s);
		break;
	case STEP_EXPECT:
		step_expect(r, s);
		break;
	case STEP_CLOSE:
		step_close(r, s, 0);
		break;
	case STEP_RESET:
		step_close(r, s, 1);
		break;
	case STEP_ACCEPT:
		step_accept(r, s);
		break;
	case STEP_SHUTDOWN:
		step_shutdown(r, s);
		break;
	case STEP_CLOSED:
		step_closed(r, s);
		break;
	case STEP_EXIT:
		do_exit(r, s);
		break;
	case STEP_STDOUT:
	case STEP_STDERR:
		do_output(r, s);
		break;
	case STEP_QUIET:
		step_quiet(r, s);
		break;
	case STEP_SOCKET:
		step_socket(r, s);
		break;
	case STEP_INPUT:
		do_input(r, s);
		break;
	case STEP_BLACKHOLE:
		step_blackhole(r, s);
		break;
	case STEP_THREADS:
		do_threads(r, s);
		break;
	case STEP_HTTP:
		step_http(r, s);
		break;
	case STEP_FLOOD:
		step_flood(r, s);
		break;
	}
}

/* ---- the report's extras ---- */

/* The line of one TCP connection. */
static void recipe_conn(struct buf *b, const struct conn *c)
{
	if (c->serves && !c->sent.len) {
		buf_printf(b, _("When your program connects (%s), type nothing in nc."), c->name);
	} else if (c->serves) {
		char *q = to_type(c->sent.data ? c->sent.data : "");
		/* TRANSLATORS: a connection name, then the shell-quoted text to type. */
		buf_printf(b, _("When your program connects (%s), type in nc: %s"), c->name,
		           c->sent.len > REPRO_TEXT_MAX || c->untypable
		                   ? _("the answer shown above")
		                   : q);
		free(q);
	} else if (c->untypable && c->sent.len <= REPRO_TEXT_MAX) {
		char *p = shell_printf_word(c->sent.data, c->sent.len);
		/* TRANSLATORS: connection name, then a printf command and the port. */
		buf_printf(b, _("In another terminal (%s): printf %s | nc 127.0.0.1 %d"), c->name,
		           p, c->port);
		free(p);
	} else if (c->sent.len > REPRO_TEXT_MAX || c->untypable) {
		buf_printf(b,
		           _("In another terminal (%s): nc 127.0.0.1 %d  and paste the %zu "
		             "bytes it sent (see above)"),
		           c->name, c->port, c->sent.len);
	} else if (c->sent.len) {
		char *q = to_type(c->sent.data);
		/* TRANSLATORS: connection name, port, then the shell-quoted text to type. */
		buf_printf(b, _("In another terminal (%s): nc 127.0.0.1 %d  and type %s"), c->name,
		           c->port, q);
		free(q);
	} else {
		buf_printf(b, _("In another terminal (%s): nc 127.0.0.1 %d  and type nothing"),
		           c->name, c->port);
	}
}

/* The line of one UDP socket: nc -u sends each line typed as a datagram.
 * Its sent buffer holds the datagrams as shell words. */
static void recipe_socket(struct buf *b, const struct conn *c)
{
	const char *said = c->sent.len > REPRO_TEXT_MAX || c->untypable
	                           ? _("the datagrams shown above")
	                   : c->sent.data ? c->sent.data
	                                  : "";

	if (c->serves && !c->nsent)
		buf_printf(b, _("When your program's first datagram arrives (%s), do not answer."),
		           c->name);
	else if (c->serves)
		/* TRANSLATORS: a socket name, then shell-quoted datagrams, one per line. */
		buf_printf(b,
		           _("When your program's first datagram arrives (%s), answer in nc, "
		             "one line per datagram: %s"),
		           c->name, said);
	else if (c->aims_at_client)
		/* TRANSLATORS: socket name, then shell-quoted datagrams. */
		buf_printf(b,
		           _("In another terminal (%s): nc -u 127.0.0.1 PORT, with the port your "
		             "client sends from (ss -uapn shows it), and type, one line per "
		             "datagram: %s"),
		           c->name, said);
	else if (c->nsent)
		/* TRANSLATORS: socket name, port, then shell-quoted datagrams. */
		buf_printf(b,
		           _("In another terminal (%s): nc -u 127.0.0.1 %d  and type, one line "
		             "per datagram: %s"),
		           c->name, c->port, said);
	else
		buf_printf(b, _("In another terminal (%s): nc -u 127.0.0.1 %d"), c->name, c->port);
}

/* 1 if the checker's server of a client lesson talked to the program. */
static int serving(const struct runner *r)
{
	for (size_t i = 0; i < r->nconns; i++)
		if (r->conns[i].serves)
			return 1;
	return 0;
}

/* How to replay the situation by hand with nc, in the order it happened. */
static char *reproduce(struct runner *r)
{
	struct buf b = {0};

	for (size_t i = 0; i < r->nrecipe; i++) {
		if (i == r->server_line && !serving(r))
			continue; /* nobody talked to the checker's server */
		if (b.len)
			buf_puts(&b, "\n");
		if (r->recipe[i].line)
			buf_puts(&b, r->recipe[i].line);
		else
			(r->conns[r->recipe[i].conn].udp ? recipe_socket : recipe_conn)(
			        &b, &r->conns[r->recipe[i].conn]);
	}
	if (r->nconns > REPRO_CONNS)
		buf_printf(&b, "\n%s", _("(… and more connections like these)"));
	if (r->res->replay.n && !r->res->replay.over)
		buf_printf(&b, "\n%s",
		           _("To replay it exactly, with its timing and its bytes: add --repro DIR "
		             "to the command at the end, and run the Python script it writes."));
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
	if (cgroup_oom_count(r->job->cg_oom_fd) > 0 || r->memory_error == DIAG_NO_MEMORY)
		return V_MEMORY;
	if (r->output_exceeded)
		return V_OUTPUT;
	if (r->memory_error ||
	    (ended_by_itself(r) &&
	     (sig || (r->job->spec->program.role == ROLE_SERVER && !r->exit_checked))))
		return V_RUNTIME;
	return V_WRONG;
}

/* The first line of text, to say in a message what it is about. */
static char *first_line(const char *text)
{
	return xstrndup(text, strcspn(text, "\n"));
}

/* A sanitizer that found an error writes its report, then ends the program:
 * let it finish (naming the source lines takes a while) before reading. */
static void await_report(struct runner *r)
{
	if (r->job->instrument != INSTRUMENT_ASAN || !r->started || r->prog.exited)
		return;
	proc_drain(&r->prog);
	if (r->prog.err.data && diagnose_has_error(r->prog.err.data))
		runner_wait_for(r, now_ms() + REPORT_WAIT_MS, runner_has_exited, NULL, 0);
}

/* An instrumented run: explain the reports its stderr holds. A memory error
 * fails the test even when every answer was right (the bytes on the wire
 * were luck); leaks alone are told but do not fail it. */
static void check_reports(struct runner *r)
{
	struct buf all = {0};
	char *head;

	if (r->job->instrument == INSTRUMENT_NONE || !r->started)
		return;
	buf_append(&all, r->reports.data ? r->reports.data : "", r->reports.len);
	buf_append(&all, r->prog.err.data ? r->prog.err.data : "", r->prog.err.len);
	r->res->diagnosis = diagnose(all.data, r->job->workdir, r->job->spec->build.sources.v);
	r->memory_error = diagnose_has_error(all.data);
	buf_free(&all);
	if (!r->memory_error || r->failed || !r->res->diagnosis)
		return;
	head = first_line(r->res->diagnosis);
	r->exit_explained = 1; /* how it ended is beside the point */
	/* TRANSLATORS: the tool (valgrind, or the -fsanitize flags), then the
	 * first line of its finding explained. */
	runner_fail(r, NULL, NULL,
	            _("The memory check (%s) found an error, although the answers of this test "
	              "were right: %s"),
	            r->job->instrument == INSTRUMENT_VALGRIND ? "valgrind"
	                                                      : "-fsanitize=address,undefined",
	            head);
	free(head);
}

/* The hint of a test whose program had a memory error: that error first. */
static char *memory_hint(const struct runner *r)
{
	/* TRANSLATORS: %s is a command line, "cc -g -O0 -o servidor servidor.c". */
	return xasprintf(_("Fix the first error of the report: the later ones are often its "
	                   "consequences. To see the whole report yourself, build your program "
	                   "with `%s` and run it as shown below."),
	                 r->job->by_hand);
}

/* The test's hint, if it is right for what was observed: with a cause
 * found, only a hint written for that cause. */
static char *spec_hint(const struct runner *r)
{
	const struct test *t = r->job->test;
	const char *cause = r->res->cause;

	if (!t->hint)
		return NULL;
	for (size_t i = 0; cause && i < t->hint_for.n; i++)
		if (strcmp(t->hint_for.v[i], cause) == 0)
			return xstrdup(t->hint);
	return cause && cause_traced(cause_parse(cause)) ? NULL : xstrdup(t->hint);
}

static int at_limit(const struct test_result *res)
{
	return res->cause &&
	       (strcmp(res->cause, "fd_limit") == 0 || strcmp(res->cause, "proc_limit") == 0);
}

static void finish(struct runner *r)
{
	const struct test *t = r->job->test;
	struct test_result *res = r->res;

	await_report(r);
	if (r->started) {
		proc_drain(&r->prog);
		if (r->prog.out.len)
			res->out = escape_tail(r->prog.out.data, r->prog.out.len, OUTPUT_TAIL);
		if (r->prog.err.len)
			res->errout = escape_tail(r->prog.err.data, r->prog.err.len, OUTPUT_TAIL);
	}
	check_reports(r);
	if (r->failed && res->status != ST_ERROR)
		runner_find_cause(r);
	if (r->failed) {
		if (res->status != ST_ERROR)
			res->status = ST_FAIL;
		res->verdict = verdict(r);
		res->score = 0;
		if (r->memory_error && r->job->by_hand)
			res->hint = memory_hint(r);
		else if (at_limit(res))
			res->hint = xasprintf(
			        _("The box gives a program what a usual Linux session "
			          "gives it, and at least what the lesson asks for. Close "
			          "each descriptor, and end each thread or process, once "
			          "you are done with it; a program that keeps them piles "
			          "them up until the limit."));
		else if (r->start_failed)
			res->hint =
			        xasprintf(_("Run it by hand (%s%s) and watch what it prints; if it "
			                    "crashes, gdb or valgrind show you where."),
			                  r->job->display, r->args_shown ? r->args_shown : "");
		else
			res->hint = spec_hint(r);
		res->reproduce = reproduce(r);
	} else {
		res->status = ST_PASS;
		res->score = t->points;
		replay_free(&res->replay); /* only a failure is replayed */
	}
}

/* How long the test's two actors waited for a CPU they were ready to use:
 * the checker in the box, and the program's main thread (not the processes
 * it started: a fork bomb starves itself). */
static long starved_total(const struct runner *r)
{
	int64_t prog = r->started && !r->prog.exited ? proc_run_delay_us(r->prog.pid) : 0;

	return (long)((proc_self_run_delay_us() - r->self_delay0_us + r->gone_delay_us + prog) /
	              1000);
}

static void cleanup(struct runner *r)
{
	for (size_t i = 0; i < r->nconns; i++)
		runner_conn_free(&r->conns[i]);
	free(r->conns);
	strmap_free(&r->by_name);
	if (r->started) {
		proc_kill(&r->prog);
		proc_free(&r->prog);
	}
	if (r->listen_fd >= 0)
		close(r->listen_fd);
	for (int i = 0; i < 2 * r->nholes; i++)
		close(r->holes[i]);
	http_client_free(r->http);
	free(r->args_shown);
	for (size_t i = 0; i < r->nrecipe; i++)
		free(r->recipe[i].line);
	free(r->recipe);
	free(r->ev.want);
	free(r->ev.got);
	buf_free(&r->reports);
	tmpl_free(&r->vars);
}

/* A server must still be running when the last step is done. */
static void check_still_running(struct runner *r)
{
	runner_settle(r);
	if (r->started && r->prog.exited && !r->stopped && !r->exit_checked)
		runner_fail(r, NULL, NULL, _("Your server ended during the test."));
}

/* A client lesson: the checker's server listens before the program starts. */
static void open_listener(struct runner *r)
{
	int udp = r->job->spec->program.proto == PROTO_UDP;
	char err[ERR_LEN];

	r->listen_fd = udp ? net_udp_socket(r->job->port, err) : net_tcp_listen(r->job->port, err);
	if (r->listen_fd < 0) {
		runner_fail(r, NULL, NULL, _("Internal error: the checker cannot listen: %s"), err);
		r->res->status = ST_ERROR;
		return;
	}
	runner_replay(r, REPLAY_LISTEN, NULL, r->job->spec->program.port, NULL, 0);
	r->server_line = r->nrecipe;
	runner_recipe_add(r,
	                  xasprintf(udp ? _("In one terminal, play the server: nc -u -l 127.0.0.1 "
	                                    "%d")
	                                : _("In one terminal, play the server: nc -l 127.0.0.1 %d"),
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
	r.delay0_us = proc_box_run_delay_us();
	r.self_delay0_us = proc_self_run_delay_us();
	rng_seed(&r.rng, job->seed);
	tmpl_init(&r.vars, &r.rng);
	snprintf(num, sizeof(num), "%d", job->port);
	tmpl_set(&r.vars, "port", num);
	snprintf(num, sizeof(num), "%d", job->port_alt);
	tmpl_set(&r.vars, "port_alt", num);
	r.listen_fd = -1;
	r.server_line = SIZE_MAX;
	r.ev.body_have = r.ev.body_want = -1;
	r.wire.cap = (size_t)WIRE_BUDGET_MB << 20;
	if (job->spec->program.role == ROLE_CLIENT)
		open_listener(&r);
	if (job->test->autostart && !r.failed)
		do_start(&r, NULL);
	for (size_t i = 0; i < job->test->nsteps && !r.failed; i++) {
		run_step(&r, &job->test->steps[i]);
		if (!r.failed && now_ms() > r.deadline && runner_starved_ms(&r) <= 0 &&
		    now_ms() > r.deadline)
			runner_fail(&r, NULL, NULL, _("The test ran past its total time of %d ms."),
			            job->test->timeout_ms);
	}
	if (!r.failed && job->spec->program.role == ROLE_SERVER)
		check_still_running(&r);
	if (!r.failed && job->spec->program.proto == PROTO_UDP)
		dgram_check_leftovers(&r);
	if (!r.failed && !job->test->unread_ok)
		conn_check_leftovers(&r);
	finish(&r);
	out->duration_ms = (long)(now_ms() - r.t0);
	out->waits_ms = (long)(r.waits_us / 1000);
	out->blocked_ms = (long)(r.blocked_us / 1000);
	out->cpu_ms = program_cpu_ms(&r);
	out->starved_ms = starved_total(&r);
	cleanup(&r);
}
