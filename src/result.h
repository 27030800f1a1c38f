/* result.h - the one model of a run that every report renders. */
#ifndef RESULT_H
#define RESULT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "replay.h"

enum status { ST_PASS, ST_FAIL, ST_ERROR, ST_SKIP };

/* Why a test failed, most fundamental first: a report names the first that
 * applies. */
enum verdict {
	V_NONE,
	V_INTERNAL, /* the checker itself failed */
	V_TIME,     /* CPU time or the test's time ran out */
	V_MEMORY,   /* the memory limit was hit */
	V_OUTPUT,   /* it wrote more than allowed */
	V_RUNTIME,  /* it ended by itself when it should not have */
	V_WRONG,    /* it ran, but did the wrong thing on the wire */
};

/* One line of a test's transcript: who did what, when. */
struct event {
	long t_ms;
	char *conn; /* connection name, or "" for the program */
	char *what; /* "connect", "send", "recv", "close", "reset", "eof", "start", "exit", ... */
	char *data; /* escaped bytes or a short note; may be "" */
};

struct test_result {
	char *id;
	char *name;
	enum status status;
	enum verdict verdict;
	int score;
	int max_score;
	char *message;        /* what went wrong, in the chosen language */
	char *expected;       /* escaped, may be NULL */
	int expected_pattern; /* expected is a pattern in words (⟨number⟩, …), not bytes */
	char *received;       /* escaped, may be NULL */
	char *cause;          /* what the failure was traced to: an id of causes.def, or NULL */
	char *explanation;    /* that cause, explained in the chosen language */
	char *hint;
	char *reproduce; /* shell lines to see it by hand */
	char *out;       /* tail of the program's stdout, escaped */
	char *errout;    /* tail of the program's stderr, escaped */
	char *diagnosis; /* a sanitizer's or valgrind's finding, explained, or NULL */
	long duration_ms;
	long waits_ms;   /* of it, the pauses and silences the spec asks for */
	long blocked_ms; /* of it, waiting for the program or a pause (waits included) */
	long cpu_ms;     /* CPU time of the learner's program, user and system */
	long rss_kb;     /* peak memory of the checker's process that ran the test */
	long starved_ms; /* how long its box waited for a CPU: a loaded machine */
	int attempts;    /* runs it took: a failure on a loaded machine runs again */
	struct event *events;
	size_t nevents;
	struct replay replay; /* a failed test: what the checker did, to replay it (--repro) */
};

struct build_result {
	int ran; /* 0 with --cmd */
	int ok;
	int warnings;
	int errors;
	char *log;         /* trimmed compiler output */
	char *first_error; /* "servidor.c:12:5: error: ..." or NULL */
	int cached;        /* the program came from the build cache */
	long ms;           /* how long the build (or the cache lookup) took */
};

struct result {
	char *lesson;
	char *title;
	char *tier;      /* isolation used: "A", "B" or "C" */
	char *tier_note; /* what the tier lacked here (box_tier_missing), or NULL */
	enum status status;
	int score;
	int max_score;
	uint64_t seed;
	struct build_result build;
	struct test_result *tests;
	size_t ntests;
	char *capture;       /* --pcap: the test whose packets were saved */
	char *capture_error; /* --pcap: why they could not be */
};

const char *status_name(enum status s);
const char *verdict_name(enum verdict v);
int verdict_parse(const char *name, enum verdict *out);
int status_parse(const char *name, enum status *out);

void test_result_event(struct test_result *t, long t_ms, const char *conn, const char *what,
                       const char *data);
void test_result_free(struct test_result *t);
cJSON *test_result_to_json(const struct test_result *t);
/* Fill t from JSON made by test_result_to_json; -1 if malformed. */
int test_result_from_json(const cJSON *j, struct test_result *t);

/* Sum scores and derive the overall status. */
void result_finish(struct result *r);
cJSON *result_to_json(const struct result *r);
/* A build's part of the result, alone (the build's box sends it so). */
cJSON *build_result_to_json(const struct build_result *br);
void build_result_from_json(const cJSON *b, struct build_result *br);
/* Fill r from JSON made by result_to_json (the batch grader's stored
 * results); -1 if malformed, with nothing left allocated. */
int result_from_json(const cJSON *j, struct result *r);
void result_free(struct result *r);

/* 0 all passed, 1 something failed or errored. */
int result_exit_code(const struct result *r);

#endif
