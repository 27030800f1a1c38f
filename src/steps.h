/* steps.h - run one test's steps inside its box and grade what happens. */
#ifndef STEPS_H
#define STEPS_H

#include <stdint.h>

#include "box.h"
#include "cgroup.h"
#include "result.h"
#include "run.h"
#include "spec.h"

/* Everything a box needs to run one test. */
struct box_job {
	const struct spec *spec;
	const struct test *test;
	char *const *argv; /* the program; the spec's arguments are appended */
	size_t argc;
	char *const *envp;
	const char *workdir;
	const char *display; /* how a person runs it: "./servidor" or the --cmd text */
	uint64_t seed;       /* this test's own seed */
	int port;            /* {port} in this box */
	int port_alt;        /* {port_alt} in this box */
	int uid;             /* run the program as this uid, or -1 */
	int drop_caps;       /* and without any capability (box.h's box_ident) */
	enum tier tier;
	enum instrument instrument;      /* built with sanitizers, or run under valgrind */
	unsigned filter_allow;           /* what the seccomp deny-list lets through (filter.h) */
	const char *by_hand;             /* how to build it to see a report by hand, or NULL */
	int cg_fds[CGROUP_MAX_DIRS + 1]; /* its cgroups' cgroup.procs, -1 after the last */
	int cg_box_fds[CGROUP_MAX_DIRS + 1]; /* the same for the box's own process */
	int cg_oom_fd;                       /* for cgroup_oom_count, or -1 without cgroups */
	int pcap_fd; /* capture the box's packets into it (capture.h), or -1 */
};

void steps_run(const struct box_job *job, struct test_result *out);

#endif
