/* spec.h - a lesson's spec.json, validated and turned into plain structs. */
#ifndef SPEC_H
#define SPEC_H

#include <stddef.h>

#include "proc.h"
#include "util.h"

enum role {
	ROLE_SERVER,  /* the learner's server; the checker connects to it */
	ROLE_CLIENT,  /* the learner's client; the checker listens for it */
	ROLE_PROGRAM, /* no network peer: arguments, output, exit status */
};
enum proto { PROTO_TCP, PROTO_UDP };

enum step_kind {
	STEP_START,    /* start the learner program and wait until it listens */
	STEP_STOP,     /* send it a signal and wait for it to end */
	STEP_CONNECT,  /* open a checker connection */
	STEP_SEND,     /* send text on a connection */
	STEP_EXPECT,   /* the next bytes on a connection must be text */
	STEP_CLOSE,    /* close a connection normally (FIN) */
	STEP_RESET,    /* close a connection abruptly (RST) */
	STEP_ACCEPT,   /* wait for the learner's client to connect */
	STEP_SHUTDOWN, /* half-close: no more data from us, keep reading */
	STEP_CLOSED,   /* the program must close its side of a connection */
	STEP_EXIT,     /* the program must end, with a status */
	STEP_STDOUT,   /* what the program printed */
	STEP_STDERR,
	STEP_QUIET,     /* nothing may arrive on a connection for within_ms */
	STEP_SOCKET,    /* UDP: open a checker socket aimed at the program */
	STEP_INPUT,     /* type on the program's standard input; end: then Ctrl-D */
	STEP_BLACKHOLE, /* a port that never answers: connecting there hangs */
	STEP_THREADS,   /* how many threads the program runs, all its processes counted */
	STEP_HTTP,      /* an HTTP request with libcurl, and what its answer must be */
	STEP_FLOOD,     /* send until the program stops reading (back-pressure) */
};

enum match_mode { MODE_EXACT, MODE_CONTAINS, MODE_REGEX, MODE_LINES };
enum exit_want { EXIT_CODE, EXIT_NONZERO, EXIT_ANY };

struct strv {
	char **v; /* NULL-terminated once it holds anything */
	size_t n;
};

#define MAX_STATUSES 4 /* status codes an http step accepts */

/* What an http step sends and expects. */
struct http_step {
	char *method;     /* GET, HEAD, DELETE... */
	char *path;       /* template, sent as it is */
	struct strv send; /* request headers, "Name: value" templates */
	int status[MAX_STATUSES];
	int nstatus;         /* 0: any status */
	struct strv headers; /* expected response headers: name, value, name, value... */
	char *body_file;     /* the body must be this file of the work folder, whole */
	char *body_not;      /* template the body must not contain */
	int reuse;           /* it must reuse the previous request's connection */
	int parallel;        /* this many at once, each on its own connection */
	int msg;             /* expect: HTTP_MSG_REQUEST or _RESPONSE read off the connection */
	int no_body;         /* expect response: it answers a HEAD, no body follows */
};

enum { HTTP_MSG_NONE, HTTP_MSG_REQUEST, HTTP_MSG_RESPONSE };

struct step {
	enum step_kind kind;
	char *path;       /* "tests[2].steps[0]", for messages */
	char *conn;       /* connection name */
	char *text;       /* template, for send and expect */
	char *port;       /* template; start, connect and socket */
	char *to;         /* socket: aim at the last sender seen on this one */
	struct strv args; /* start: program arguments (templates) */
	int has_args;
	int signal;             /* stop */
	int within_ms;          /* expect, stop, start */
	int no_read;            /* connect, accept: never read it, so the program's sends block */
	int no_listen;          /* start: a server expected to refuse its arguments and end */
	int not_before_ms;      /* exit: it must not end sooner than this after the step began */
	int max_cpu_ms;         /* exit, stop: CPU time it may have used, in all (0: no bound) */
	int count;              /* threads; flood: bound_kb */
	char *prefixed;         /* expect: text comes back in pieces, each after this prefix */
	struct http_step *http; /* http */
	char *until;            /* expect: read up to this delimiter (consumed too) */
	char *regex;            /* expect, stdout, stderr: POSIX extended regex */
	char *shown;            /* the regex's words for the learner (match_readable) */
	struct strv fragments;  /* send: pieces sent with pause_ms between them */
	int pause_ms;
	int delay_ms;         /* send: wait this long first (a slow answer) */
	enum match_mode mode; /* stdout, stderr */
	enum exit_want exit_want;
	int exit_code;
	char *stdin_text; /* start: fed to the program's standard input */
	int end;          /* input: close its standard input afterwards */
	/* expect: the next lines are these sequences of lines (templates, each
	 * may hold several lines), in order within each, interleaved anyhow */
	struct strv *seqs;
	size_t nseqs;
};

struct test {
	char *id;
	char *name;
	char *hint;
	struct strv hint_for; /* the causes (cause.h) the hint is right for */
	int points;
	int autostart;  /* start the program before the first step */
	int timeout_ms; /* bound on the whole test */
	int unread_ok;  /* bytes no step expected may be left on a connection */
	struct step *steps;
	size_t nsteps;
};

struct spec {
	char *path;
	char *lesson;
	char *title;
	struct {
		struct strv sources;
		char *output;
		struct strv cflags;
		struct strv ldflags;
	} build;
	struct {
		enum role role;
		enum proto proto;
		int port;
		struct strv args;
		int ready_ms;
		int keep_stdin; /* "stdin": "open": a pipe that input steps write to */
	} program;
	struct proc_limits limits;
	struct {
		struct strv copy;    /* files or folders of the lesson, put in the work folder */
		struct strv random;  /* file names, with sizes in random_size */
		size_t *random_size; /* bytes of each, drawn from the run's seed */
		struct strv links;   /* symbolic links: name, target, name, target... */
	} files;
	struct test *tests;
	size_t ntests;
	int max_score;
};

/* Load and validate; NULL with "file: json.path: problem" in err. */
struct spec *spec_load(const char *path, char *err);
struct spec *spec_parse(const char *text, const char *path, char *err);
void spec_free(struct spec *s);

const struct test *spec_find_test(const struct spec *s, const char *id);
const char *step_kind_name(enum step_kind k);

#endif
