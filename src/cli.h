/* cli.h - the command line: options, lesson names, --cmd splitting. */
#ifndef CLI_H
#define CLI_H

#include <stdint.h>

#include "box.h"
#include "run.h"
#include "util.h"

enum format {
	FORMAT_HUMAN,
	FORMAT_JSON,
	FORMAT_JUNIT,
	FORMAT_TAP,
	FORMAT_GRADESCOPE,
	FORMAT_GITHUB
};

enum command {
	CMD_LESSON,     /* ./checker lesson03: grade one lesson */
	CMD_PROGRESS,   /* ./checker: the learner's progress, and what to do next */
	CMD_GRADE,      /* ./checker grade SUBMISSIONS: a whole class */
	CMD_GRADESCOPE, /* ./checker gradescope: inside Gradescope's autograder */
	CMD_HINT,       /* ./checker pista lesson03: the next hint */
	CMD_RESET,      /* ./checker reiniciar lesson03: the starter back */
	CMD_DOCTOR,     /* ./checker doctor: what isolation this machine offers */
};

struct cli {
	enum command command;
	char lesson[32];            /* "lesson03" */
	const char *subs;           /* grade: the submissions folder */
	const char *out;            /* grade: where results go */
	const char *lessons;        /* grade, gradescope: "lesson03,lesson05" or "all" */
	const char *root;           /* gradescope: the autograder's root */
	int force;                  /* grade: regrade what has not changed */
	int watch;                  /* grade again on every save */
	int verbose;                /* the transcript of passing tests too */
	const char *pcap;           /* write the failing test's traffic here */
	const char *repro;          /* write each failing test's replay script here */
	const char *spec;           /* this spec instead of the lesson's */
	enum instrument instrument; /* --asan, --valgrind */
	int yes;                    /* reiniciar: do not ask */
	const char *dir;
	const char *cmd;
	enum format format;
	int has_seed;
	uint64_t seed;
	const char *lang; /* NULL: from the environment */
	int jobs;         /* 0: automatic */
	enum tier tier;
	int no_weak;    /* refuse a weak tier (box_tier_weak) */
	int allow_weak; /* grade, gradescope: accept one */
	const char *only;
	int help;
	int version;
};

/* 0 ok, -1 usage error with err. */
int cli_parse(int argc, char **argv, struct cli *c, char *err);

/* "3", "03", "lesson3", "lesson03", "lessons/lesson03/" -> "lesson03". */
int cli_lesson_id(const char *arg, char *out, size_t outlen);

/* "lesson03,5" -> {"lesson03", "lesson05", NULL}; "all": every lesson of
 * root/lessons with a spec. NULL with err on a bad name or an empty list. */
char **cli_lessons(const char *list, const char *root, char *err);
void cli_lessons_free(char **ids);

/* Split like a POSIX shell (quotes and backslashes, no expansions) into a
 * NULL-terminated vector; NULL with err if a quote is left open. */
char **cli_split(const char *cmd, char *err);

/* --help and --version, on stdout. */
void cli_usage(void);
void cli_version(const char *version);

#endif
