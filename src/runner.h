/* runner.h - the state of one test inside its box, shared by the step modules. */
#ifndef RUNNER_H
#define RUNNER_H

#include <stdint.h>

#include "cause.h"
#include "cgroup.h"
#include "proc.h"
#include "result.h"
#include "rng.h"
#include "spec.h"
#include "steps.h"
#include "strmap.h"
#include "tmpl.h"
#include "util.h"

#define MAX_CONNS      20000
#define MAX_EVENTS     400
#define SHOW_BYTES     300  /* bytes of one transcript line */
#define SHOW_EXPECT    2000 /* bytes of expected/received */
#define REPRO_CONNS    3
#define REPRO_TEXT_MAX 200  /* longer texts are not for typing by hand */
#define MAX_HOLES      4    /* blackhole steps in one test */
#define KEPT_BYTES     4096 /* of a piece sent or taken, kept to compare with later */

/* What the program sent that the checker holds at once in one test, over all
 * its connections and sockets and the HTTP answers in flight: bytes received
 * and not yet taken by a step. A program that sends more is cut off there
 * (the output verdict), so a thousand connections that nobody reads cannot
 * take the checker's memory. The lessons' own tests hold far less: the most
 * is lesson12's veinte_a_la_vez, twenty answers of 2,000,000 bytes at once
 * (38 MiB); every other test holds under 1 MiB ({bloque} and {lineas} are
 * 256 KiB, {binario} 70 KiB and sent by the checker). Buffers grow by
 * doubling: the memory behind the bound may be up to about twice it. */
#define WIRE_BUDGET_MB 64
#define DGRAM_COST     64 /* bytes held per datagram besides its data: its entry, malloc's */

/* One datagram that arrived on a checker UDP socket. */
struct dgram {
	char *data; /* len bytes, then a NUL for printing */
	size_t len;
	int from_port;
};

/* A TCP connection, or a UDP socket of the checker. */
struct http_client;

struct conn {
	char *name;
	int fd;   /* -1 once closed by us */
	int port; /* as a person would use it: the lesson's port, not the box's */
	struct buf in;
	size_t received;      /* bytes that arrived on it, taken or not */
	size_t taken;         /* bytes (UDP: datagrams) that steps took off it */
	int eof;              /* the program closed its side */
	int no_read;          /* we never read it: what the program sends piles up */
	int error;            /* errno of a failed read (ECONNRESET) */
	struct buf sent;      /* for the by-hand recipe (UDP: the datagrams as shell words) */
	size_t nsent;         /* pieces sent */
	int udp;              /* datagrams arrive in queue, whole; in is unused */
	int serves;           /* the checker plays the server on it (client lessons) */
	int peer_port;        /* UDP: where send goes; for a server socket, the last sender */
	int aims_at_client;   /* UDP: peer_port is a client's, chosen by its system */
	int untypable;        /* it sent bytes no one types in nc: a 0, invalid UTF-8 */
	struct buf last_ok;   /* the start of the last bytes a step took as right (cause.h) */
	struct buf last_sent; /* the start of the last piece the checker sent on it */
	struct buf prev_sent; /* ... and of the piece before */
	struct dgram *queue;
	size_t nqueue;
};

/* One line of the by-hand recipe: fixed text, or a connection whose line is
 * written at the end, once we know everything it sent. */
struct recipe_item {
	char *line;
	size_t conn;
};

/* What the first failing step compared, for tracing the failure to its
 * cause (cause.h). */
struct evidence {
	struct conn *c; /* the connection or socket it read, or NULL */
	char *want;     /* the bytes it expected, or NULL (a regex, an absence) */
	size_t wlen;
	const char *pattern; /* or the regex it had to match (the spec's) */
	char *got;           /* what had come when it gave up, or NULL */
	size_t glen;
	int timed_out;    /* it gave up waiting, the connection still open */
	int head_unended; /* an HTTP head ended in a line, never in an empty one */
	long body_have;   /* an HTTP body: bytes that came, and its Content-Length */
	long body_want;
	enum fail_kind kind; /* how the step failed, when more than bytes (cause.h) */
	int status_want;     /* FAIL_STATUS, FAIL_NO_END: the status due (-1: any but 0) */
	int status_got;
	int on_stderr;      /* FAIL_OUTPUT: it was stderr */
	int port_elsewhere; /* FAIL_NOT_LISTENING: where it listened instead, or 0 */
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
	int past_deadline;  /* the failure came when the test's own time was up */
	long cpu_ms;        /* CPU time of the program's last run */
	int64_t waits_us;   /* spent in pauses and silences the spec asks for */
	int64_t blocked_us; /* spent in poll, waiting for the program or a pause */
	long stray_cpu_ms;  /* CPU time of the box's orphans we reaped */
	int start_failed;   /* it never got to listen: the test's hint is beside the point */
	int start_broke;    /* the last start failed: it ended or never listened */
	struct recipe_item *recipe; /* how to replay the test by hand, in order */
	size_t nrecipe;
	size_t server_line; /* the recipe line of the checker's server, or SIZE_MAX */
	char *args_shown;   /* the arguments of the last start, for the recipe */
	struct conn *conns;
	size_t nconns;
	size_t conns_cap;
	struct strmap by_name; /* connection name -> its index in conns */
	struct budget wire;    /* what the conns and HTTP answers hold (WIRE_BUDGET_MB) */
	int64_t t0;
	int64_t deadline;
	int64_t delay0_us;        /* run delay already there when the test began */
	int64_t self_delay0_us;   /* ... of the checker's own thread */
	int64_t gone_delay_us;    /* run delay of the box's processes reaped since */
	int64_t granted_ms;       /* deadlines moved for time the box waited for a CPU */
	int64_t exit_at;          /* when the program's last run ended (now_ms) */
	int holes[2 * MAX_HOLES]; /* the sockets of blackhole steps */
	struct http_client *http; /* libcurl's transfers and kept connections, once used */
	int nholes;
	int failed;
	int exit_explained;     /* the failure message already says how the program ended */
	struct conn *expecting; /* read even if no_read: a step waits for its data */
	struct conn *writing;   /* wake up when it can take more of what we send */
	int listen_fd;          /* the checker's server, for a client lesson */
	int accepting;          /* wake up when listen_fd has a connection */
	int exit_checked;       /* the program ended and a step wanted it to */
	struct buf reports;     /* instrumented: the stderr of its runs before the last */
	int memory_error;       /* instrumented: what diagnose_has_error said of it */
	long spun_ms;           /* CPU time it burnt while it had nothing to do */
	struct evidence ev;
};

/* The oldest datagram waiting on c, taken off its queue (c->nqueue > 0);
 * the budget no longer counts it. */
struct dgram runner_dgram_pop(struct runner *r, struct conn *c);

/* A step took the first n bytes of what arrived on c: they are no longer
 * held, and an emptied buffer gives its memory back. */
void runner_conn_take(struct runner *r, struct conn *c, size_t n);

/* The failing step is about to fail (runner_fail) in a way of kind k, on
 * c (or NULL): kept for the cause, unless the test has failed already.
 * 1 if kept: the step then fills the kind's fields of r->ev. */
int runner_fail_kind(struct runner *r, enum fail_kind k, struct conn *c);

/* The checker sent p[0..n) on c: keep its start (cause.h). */
void runner_conn_sent(struct conn *c, const char *p, size_t n);

/* Close a connection or socket if still open, and free what it holds. */
void runner_conn_free(struct conn *c);

/* A condition to wait for, checked after every round of events. */
typedef int (*cond_fn)(struct runner *r, void *ctx);

void runner_recipe_add(struct runner *r, char *line, size_t conn);

void runner_note(struct runner *r, const char *conn, const char *what, const char *data);

void runner_note_bytes(struct runner *r, const char *conn, const char *what, const char *p,
                       size_t n);

/* Log one of the checker's own actions, to replay the test by hand (replay.h). */
void runner_replay(struct runner *r, enum replay_op op, const char *conn, long num, const void *p,
                   size_t n);

struct conn *runner_find_conn(struct runner *r, const char *name);

/* The program ended: remember it once, with how. */
void runner_on_exit_seen(struct runner *r);

/* Reap everything that ended; as PID 1 of the box, orphans come to us. */
void runner_reap(struct runner *r);

/* One round of waiting: read whatever arrives on any connection or from
 * the program, for at most ms milliseconds. */
void runner_pump(struct runner *r, int ms);

/* Pump until cond holds (1) or the deadline passes (0). probe_ms > 0 also
 * wakes up that often, for conditions nothing signals. */
int runner_wait_for(struct runner *r, int64_t deadline, cond_fn cond, void *ctx, int probe_ms);

/* A pause the spec asks for (counted in waits_us), on the wall clock: it
 * does not stretch when the box waits for a CPU. Nothing is due, but
 * what arrives meanwhile is read. */
void runner_pause(struct runner *r, int ms);

/* Time the box (the program and the checker in it) was ready to run but
 * waited for a CPU, not yet added to deadlines: it is added now, to the
 * test's deadline too, up to the test's own time in all. A loaded machine
 * then slows a test down, and never fails it. */
int64_t runner_starved_ms(struct runner *r);

/* The run delay of the box so far: its live threads', and its reaped
 * processes' (-1 if unknown). */
int64_t runner_box_delay_us(const struct runner *r);

/* Let the program finish what it was doing: wait until no thread of the box
 * runs or waits for a CPU (all wait for input), or it ended, for at most
 * half a second, then read what arrived. The end of a test looks at what
 * the program did only after this. */
void runner_settle(struct runner *r);

/* A step's deadline: ms from now, never past the test's own. */
int64_t runner_step_deadline(struct runner *r, int ms);

/* 1 once the started program has ended. */
int runner_prog_gone(struct runner *r);

/* The first failure ends the test; later ones are its consequences. */
void runner_fail(struct runner *r, const char *expected, const char *received, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* Keep what a failing step compared: call it right before the test's first
 * failure, or right after it; later calls are ignored. want and got may be
 * NULL, and hold NULs. */
void runner_evidence(struct runner *r, struct conn *c, const char *want, size_t wlen,
                     const char *got, size_t glen);

/* Trace the failure to its cause (cause.h), into the result's cause and
 * explanation; the box limits and memory errors come first. Probes the
 * program when that tells causes apart (an answer that comes only after
 * the checker closes its side). */
void runner_find_cause(struct runner *r);

/* Fill a template; NULL (and an internal error) if it cannot be. */
char *runner_expand(struct runner *r, const char *text);

/* The same, with its length in *len: {binario} holds NUL bytes, and where
 * the bytes count (sent, expected, printed) the length is this one. */
char *runner_expand_len(struct runner *r, const char *text, size_t *len);

int runner_expand_port(struct runner *r, const char *tmpl, int *port);

/* What a report shows as expected for a step's regex re: its words (the
 * spec's "shown", else match_readable), escaped; the result is marked as
 * expecting a pattern, never compared byte by byte. */
char *runner_pattern_words(struct runner *r, const struct step *s, const char *re);

/* Conditions for runner_wait_for: the program has ended; never (a pause). */
int runner_has_exited(struct runner *r, void *ctx);

/* Track a new connection (and give it a line in the by-hand recipe). */
struct conn *runner_add_conn(struct runner *r, const char *name, int fd, int port);

/* A step may not open a connection name already in use. */
int runner_new_conn_name(struct runner *r, const char *name);

/* The open connection a step names, or an internal error. */
struct conn *runner_open_conn(struct runner *r, const struct step *s);

int runner_never(struct runner *r, void *ctx);

/* The connection steps (steps_conn.c). */
void step_connect(struct runner *r, const struct step *s);
void step_send(struct runner *r, const struct step *s);
void step_expect(struct runner *r, const struct step *s);
void step_close(struct runner *r, const struct step *s, int reset);
void step_accept(struct runner *r, const struct step *s);
void step_shutdown(struct runner *r, const struct step *s);
void step_closed(struct runner *r, const struct step *s);
void step_quiet(struct runner *r, const struct step *s);
void step_blackhole(struct runner *r, const struct step *s);
/* Send until the program stops reading the connection (back-pressure). */
void step_flood(struct runner *r, const struct step *s);
/* At the end of a test: no connection holds bytes no step expected. */
void conn_check_leftovers(struct runner *r);

/* An HTTP request or answer read off a connection (steps_httpmsg.c). */
void expect_httpmsg(struct runner *r, const struct step *s, struct conn *c);

/* HTTP requests with libcurl (steps_http.c). */
void step_http(struct runner *r, const struct step *s);

/* The same on UDP sockets (steps_dgram.c). */
void step_socket(struct runner *r, const struct step *s);
void dgram_expect(struct runner *r, const struct step *s, struct conn *c);
void dgram_accept(struct runner *r, const struct step *s);
void dgram_close(struct runner *r, struct conn *c);
/* At the end of a test: a checker socket must have been sent only what the
 * steps expected. */
void dgram_check_leftovers(struct runner *r);

#endif
