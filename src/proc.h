/* proc.h - start the learner's program with limits, watch it, end it. */
#ifndef PROC_H
#define PROC_H

#include <stdint.h>
#include <sys/types.h>

#include "util.h"

#define PROC_CAPTURE_MAX (1024 * 1024)

/* What one run of a program may use. A lesson's spec can change each
 * within the bounds spec.c checks. */
struct proc_limits {
	int cpu_s;     /* RLIMIT_CPU soft (SIGXCPU); hard is one second more */
	int mem_mb;    /* a memory cgroup where there is one, else RLIMIT_AS (see proc.c) */
	int nproc;     /* RLIMIT_NPROC: processes and threads of the box's uid */
	int fsize_mb;  /* RLIMIT_FSIZE (SIGXFSZ) */
	int nofile;    /* RLIMIT_NOFILE */
	int output_kb; /* stdout and stderr together; past it the program is stopped */
	int no_as;     /* no RLIMIT_AS: AddressSanitizer reserves terabytes of address space */
};

struct proc {
	pid_t pid;
	int pidfd;  /* readable once the process has ended; -1 when reaped */
	int in_fd;  /* its stdin, kept open for us to write (keep_stdin), or -1 */
	int out_fd; /* its stdout, -1 when closed */
	int err_fd; /* its stderr */
	int exited;
	int status; /* as from waitpid */
	struct buf out, err;
	size_t out_dropped, err_dropped;
};

struct proc_spec {
	char *const *argv;
	const char *cwd;
	char *const *envp;
	int uid;                /* run as this uid/gid, or -1 to keep ours */
	int drop_caps;          /* give up every capability, even as uid 0 (a user namespace's) */
	int filter;             /* install the seccomp deny-list (filter.h) */
	unsigned filter_allow;  /* what it lets through besides (FILTER_PTRACE_READ) */
	const int *cgroup_fds;  /* open cgroup.procs files to join, -1 after the last, or NULL */
	const char *stdin_text; /* its standard input (at most a pipe's worth), or /dev/null */
	int keep_stdin;         /* after stdin_text, keep the pipe open (proc.in_fd) */
	struct proc_limits limits;
};

void proc_default_limits(struct proc_limits *l);

/* Start argv[0] (searched in PATH) in a session of its own, without a
 * controlling terminal; its process group is its pid. */
int proc_start(struct proc *p, const struct proc_spec *s, char *err);

/* Write all of text to its stdin before deadline; -1 with errno (EPIPE:
 * it no longer reads it; ETIMEDOUT: it does not read fast enough). */
int proc_write_stdin(struct proc *p, const char *text, int64_t deadline);

/* End of its input: what a person does with Ctrl-D. */
void proc_close_stdin(struct proc *p);

/* Read what is ready on out_fd/err_fd; keep the first PROC_CAPTURE_MAX. */
void proc_drain(struct proc *p);

/* Reap if it has ended; returns 1 once it has. */
int proc_check(struct proc *p);

/* SIGKILL its whole process group and reap it. */
void proc_kill(struct proc *p);

/* Send sig to its process group. */
void proc_signal(struct proc *p, int sig);

/* In a box whose first process is the caller (its init, or in tier C a
 * subreaper): the threads of every process below it (one that left the
 * program's process group or session counts too), how many processes in
 * *procs, and in *cpu_ms the CPU time they and the children they reaped
 * have used. -1 if /proc cannot tell. */
int proc_box_usage(int *procs, long *cpu_ms);

/* In the same box: how many of those threads are running or waiting for a
 * CPU; 0 when every one waits for something (input, a lock, a timer).
 * -1 if /proc cannot tell. */
int proc_box_running(void);

/* In the same box: how long, in microseconds, those threads and the
 * caller's have waited for a CPU they were ready to use (the run delay of
 * /proc/PID/task/TID/schedstat) since each began; -1 if /proc cannot tell. */
int64_t proc_box_run_delay_us(void);

/* What the box's threads (but the caller's) are blocked in, read from
 * /proc/PID/task/TID/syscall: sending to a socket, receiving from one,
 * reading the standard input. Threads that /proc does not show (another
 * user's, without the right to trace them) are not counted. */
struct proc_waits {
	int threads;
	int in_send;
	int in_recv;
	int in_stdin;
};
int proc_box_waits(struct proc_waits *w);

/* The same for one process, a zombie included (its figures last until it
 * is reaped); 0 if unknown. */
int64_t proc_run_delay_us(pid_t pid);

/* The same for the calling thread. */
int64_t proc_self_run_delay_us(void);

/* In the same box: the most descriptors one of those processes holds open;
 * -1 if /proc cannot tell. */
int proc_box_most_fds(void);

/* Release fds and buffers. */
void proc_free(struct proc *p);

/* "terminó por una violación de segmento (SIGSEGV)", "terminó con código 1". */
char *proc_describe_status(int status);

/* The fields of /proc/PID/stat after "pid (comm)" (comm may hold spaces and
 * parentheses), into out; -1 if the process is gone. */
int proc_stat(int pid, char *out, size_t n);

#endif
