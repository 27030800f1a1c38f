/* cause.h - trace a failed test to its cause from what was observed, before any hint.
 *
 * A spec's hint is written per test, for the bug its author expected; a
 * program fails a test for its own reasons. This module looks at what
 * actually happened (the bytes compared, how the connection ended, what
 * waited in the listener's queue) and names the cause when the evidence
 * shows one, in words that say what to look for. The causes are listed in
 * causes.def. */
#ifndef CAUSE_H
#define CAUSE_H

#include <stddef.h>

enum cause_id {
	CAUSE_NONE,
#define CAUSE(e, id, what, own) CAUSE_##e,
#include "causes.def"
#undef CAUSE
	CAUSE_COUNT
};

/* What the failing step saw, when it was more than bytes compared. */
enum fail_kind {
	FAIL_BYTES,         /* bytes compared: the default */
	FAIL_STATUS,        /* the program ended with another status than due */
	FAIL_NO_END,        /* it was still running when it should have ended */
	FAIL_OUTPUT,        /* what it printed (stdout or stderr) is not what was due */
	FAIL_CLOSED,        /* it closed a connection before all that was due */
	FAIL_KEPT_OPEN,     /* it did not close a connection when due */
	FAIL_SPOKE_EARLY,   /* it sent bytes when nothing was due */
	FAIL_NOT_LISTENING, /* a server never listened (or bound) on its port */
	FAIL_WRONG_SOURCE,  /* a UDP reply came from another port than asked */
	FAIL_PARTIAL,       /* a reply (or datagram) stopped partway: got is a prefix of want */
};

/* Bytes a connection other than the failing one was sent by the checker. */
struct sent_piece {
	const char *conn;
	const char *p;
	size_t n;
};

/* What one failed test showed. Byte fields may hold NULs; NULL is "none". */
struct observed {
	const char *conn; /* the connection, socket or stream that failed, or NULL */
	const char *want; /* the bytes the failing step expected */
	size_t wlen;
	const char *pattern; /* or the regex it had to match */
	const char *got;     /* what came instead (all of it that arrived) */
	size_t glen;
	const char *earlier; /* the last bytes a step took as right from the same conn */
	size_t elen;
	const char *own; /* the last piece the checker sent on it */
	size_t olen;
	const char *prev; /* and the piece before that one */
	size_t plen;
	const struct sent_piece *others; /* what the checker sent on other connections */
	size_t nothers;
	int reset;        /* the program reset the connection */
	int queued;       /* connections left in the program's accept queue */
	int eof_answer;   /* it answered once the checker closed its side of the connection */
	int threads;      /* the program's threads when the step gave up; of them, those */
	int in_send;      /* ... blocked sending to a socket, */
	int in_recv;      /* ... receiving from one, */
	int in_stdin;     /* ... reading the standard input (proc_box_waits) */
	int is_client;    /* the program is the client (the checker serves) */
	int is_udp;       /* ... and speaks UDP: one socket serves everyone */
	int head_unended; /* an HTTP head that ended in a line but never in an empty one */
	long body_have;   /* an HTTP body: bytes that came, and Content-Length (-1: none) */
	long body_want;
	int fd_limit;         /* the box's limit of descriptors was reached (its value) */
	int proc_limit;       /* ... of processes and threads */
	int memory_error;     /* a sanitizer or valgrind found an error */
	int signal;           /* the signal that ended the program on its own, or 0 */
	int server_exit;      /* a server that returned on its own: its status + 1, or 0 */
	int spun_ms;          /* CPU time it used while it had nothing to do, or 0 */
	int gave_up;          /* it ended on its own with status + 1 while it was still needed */
	const char *err_tail; /* the last line it wrote to stderr, or NULL */

	enum fail_kind kind;
	int status_want;   /* FAIL_STATUS, FAIL_NO_END: the status due (-1: any but 0) */
	int status_got;    /* FAIL_STATUS */
	int on_stderr;     /* FAIL_OUTPUT: the output compared was stderr */
	const char *other; /* ... and what the other output holds */
	size_t other_len;
	int port_elsewhere;  /* FAIL_NOT_LISTENING: the port it used instead, or 0 */
	const char *went_to; /* UDP: the checker socket that got the reply due on conn, or NULL */
};

struct cause {
	enum cause_id id;
	char *text; /* the explanation, in the chosen language */
};

/* The cause o shows, with its explanation (to free), or CAUSE_NONE and
 * NULL when the evidence shows none. The more fundamental cause wins: a
 * limit before the bytes it left missing. */
struct cause cause_find(const struct observed *o);

/* The cause of a failure of kind o->kind (cause_kind.c), or CAUSE_NONE:
 * a part of cause_find. */
struct cause cause_by_kind(const struct observed *o);

/* The first difference between o->want and o->got, in words, when no other
 * cause explains it (cause_kind.c): the last part of cause_find. */
struct cause cause_of_difference(const struct observed *o);

/* The id of a cause ("extra_bytes"), and its few words translated. */
const char *cause_name(enum cause_id id);
const char *cause_what(enum cause_id id);

/* 1 if the program brings the cause on itself on any machine (a limit, a
 * crash, a spinning loop): a failure on a busy machine is not run again. */
int cause_is_own(enum cause_id id);

/* 1 if the cause traces the failure to something the test's own hint may
 * not be about; 0 for a plain difference told in words (wrong_text), which
 * is what a test's hint is written for. */
int cause_traced(enum cause_id id);

/* The cause called name, or CAUSE_NONE. */
enum cause_id cause_parse(const char *name);

#endif
