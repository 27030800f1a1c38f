/* replay.h - what the checker did in a test, byte for byte and in order, to replay it by hand.
 *
 * The steps note each of the checker's own actions here (connect, send,
 * half-close, reset, what it waited for); a failed test's result carries the
 * log, and --repro turns it into a Python script that does the same against
 * the learner's program (recipe.h). */
#ifndef REPLAY_H
#define REPLAY_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define REPLAY_MAX_BYTES (4u << 20) /* of data in one log: a longer one is not kept */

enum replay_op {
	REPLAY_START,    /* data: the program's command line, as a person types it */
	REPLAY_CONNECT,  /* conn, port: a TCP connection */
	REPLAY_SOCKET,   /* conn: a UDP socket */
	REPLAY_LISTEN,   /* port: the checker plays the server (a client lesson) */
	REPLAY_ACCEPT,   /* conn: the program connected, or sent its first datagram */
	REPLAY_SEND,     /* conn, data (UDP: one datagram, to port) */
	REPLAY_SHUTDOWN, /* conn: no more to send (FIN), still reading */
	REPLAY_CLOSE,    /* conn */
	REPLAY_RESET,    /* conn: cut with RST */
	REPLAY_AWAIT,    /* conn, count: what had arrived (bytes, or datagrams) before going on */
	REPLAY_EXPECT,   /* conn, data: exactly these bytes were due next; with num, the
	                  * data's first num bytes are a prefix before each piece */
	REPLAY_INPUT,    /* data: typed on the program's standard input */
	REPLAY_HTTP,     /* data: an HTTP request's bytes; num: port * 1000 + copies at once */
	REPLAY_QUIET,    /* conn, num: for these ms nothing may arrive on it */
	REPLAY_STATUS,   /* data: the statuses the answers to the last http may have ("403 404") */
	REPLAY_HEAD,     /* conn, data: an HTTP request head is due: "METHOD TARGET" and then
	                  * the "Name: value" lines it must hold, one per line */
	REPLAY_OP_COUNT
};

struct replay_step {
	long t_ms;
	enum replay_op op;
	char *conn;
	long num; /* port, or count */
	char *data;
	size_t len;
};

struct replay {
	struct replay_step *v;
	size_t n, cap;
	size_t bytes;
	int over; /* more than REPLAY_MAX_BYTES: the log was dropped */
};

void replay_add(struct replay *rp, long t_ms, enum replay_op op, const char *conn, long num,
                const void *data, size_t len);
void replay_free(struct replay *rp);

const char *replay_op_name(enum replay_op op);

/* As JSON (data escaped as escape.h writes it, so any byte survives), and back. */
cJSON *replay_to_json(const struct replay *rp);
int replay_from_json(const cJSON *j, struct replay *rp);

#endif
