/* proc.c - start the learner's program with limits, watch it, end it. */
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "filter.h"
#include "i18n.h"

#define EXEC_REPORT_MS 10000

void proc_default_limits(struct proc_limits *l)
{
	l->cpu_s = 10;
	l->mem_mb = 512;
	l->nproc = 256;
	l->fsize_mb = 16;
	l->nofile = 1024; /* the soft limit a Linux session usually gives */
	l->output_kb = 4096;
	l->no_as = 0;
}

/* RLIMIT_AS counts address space, not memory: every thread reserves a stack
 * and glibc reserves 64 MiB per malloc arena, so a threaded server needs far
 * more address space than memory. */
static rlim_t address_space(const struct proc_limits *l)
{
	rlim_t mb = (rlim_t)l->mem_mb * 4;

	return (mb < 1024 ? 1024 : mb) << 20;
}

static void set_limit(int res, rlim_t soft, rlim_t hard)
{
	struct rlimit rl = {soft, hard};

	setrlimit(res, &rl);
}

static void apply_limits(const struct proc_limits *l)
{
	set_limit(RLIMIT_CPU, (rlim_t)l->cpu_s, (rlim_t)l->cpu_s + 1);
	if (!l->no_as)
		set_limit(RLIMIT_AS, address_space(l), address_space(l));
	set_limit(RLIMIT_NPROC, (rlim_t)l->nproc, (rlim_t)l->nproc);
	set_limit(RLIMIT_FSIZE, (rlim_t)l->fsize_mb << 20, (rlim_t)l->fsize_mb << 20);
	set_limit(RLIMIT_NOFILE, (rlim_t)l->nofile, (rlim_t)l->nofile);
	set_limit(RLIMIT_CORE, 0, 0);
}

/* No capability left, none to be had again by exec, even as uid 0 of a
 * user namespace: the program is then an ordinary user of its box. */
static int drop_capabilities(void)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2] = {{0, 0, 0}, {0, 0, 0}};

	for (int cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return -1;
	if (prctl(PR_SET_SECUREBITS,
	          SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
	                  SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
	                  SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
	          0, 0, 0) < 0 ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(SYS_capset, &hdr, data);
}

/* In the child of vfork: never returns. Reports a failure as errno on
 * report. It shares our memory until it execs, so it only makes system
 * calls: no malloc, and the ids changed with raw calls, not glibc's, which
 * would signal the threads of the parent. */
static void child(const struct proc_spec *s, int in, int out, int errfd, int report)
{
	int e;

	/* Its own session: no terminal to open, read or push input into. */
	if (setsid() < 0)
		goto fail;
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (in < 0)
		in = open("/dev/null", O_RDONLY);
	if (in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(errfd, 2) < 0)
		goto fail;
	if (s->cwd && chdir(s->cwd) < 0)
		goto fail;
	for (size_t i = 0; s->cgroup_fds && s->cgroup_fds[i] >= 0; i++)
		if (write(s->cgroup_fds[i], "0", 1) != 1)
			goto fail;
	if (s->uid >= 0 && (syscall(SYS_setgroups, 0, NULL) < 0 ||
	                    syscall(SYS_setresgid, s->uid, s->uid, s->uid) < 0 ||
	                    syscall(SYS_setresuid, s->uid, s->uid, s->uid) < 0))
		goto fail;
	if (s->drop_caps && drop_capabilities() < 0)
		goto fail;
	/* After the change of uid, which clears it: it dies with whoever started it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* The filter first, while no limit holds: it was compiled before vfork
	 * (filter_prepare), so this only loads it. */
	if (s->filter && filter_install(s->filter_allow, NULL) < 0)
		goto fail;
	apply_limits(&s->limits);
	/* The learner inherits nothing of ours but the report pipe (close-on-exec). */
	if (report > 3)
		syscall(SYS_close_range, 3, (unsigned)report - 1, 0);
	syscall(SYS_close_range, (unsigned)report + 1, ~0U, 0);
	execvpe(s->argv[0], s->argv, s->envp);
fail:
	e = errno;
	if (write(report, &e, sizeof(e)) < 0) {
		/* nothing left to tell */
	}
	_exit(127);
}

static int make_pipe(int fds[2], char *err)
{
	if (pipe2(fds, O_CLOEXEC) == 0)
		return 0;
	errf(err, "pipe: %s", strerror(errno));
	return -1;
}

/* Wait for the exec report: EOF means exec worked. */
static int exec_result(int fd)
{
	struct pollfd pfd = {fd, POLLIN, 0};
	int e = 0;

	if (poll(&pfd, 1, EXEC_REPORT_MS) > 0 && read(fd, &e, sizeof(e)) == (ssize_t)sizeof(e))
		return e;
	return 0;
}

/* The text fits in the pipe's buffer (the spec allows at most 60000 bytes),
 * so this never waits on the program. The pipe stays open if keep. */
static int feed_stdin(int in[2], const char *text, int keep)
{
	size_t n = text ? strlen(text) : 0, off = 0;

	close(in[0]);
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	while (off < n) {
		ssize_t k = write(in[1], text + off, n - off);
		if (k <= 0 && errno != EINTR)
			break;
		if (k > 0)
			off += (size_t)k;
	}
	if (keep)
		return in[1];
	close(in[1]);
	return -1;
}

int proc_write_stdin(struct proc *p, const char *text, int64_t deadline)
{
	size_t n = strlen(text), off = 0;

	if (p->in_fd < 0) {
		errno = EPIPE;
		return -1;
	}
	while (off < n) {
		struct pollfd pfd = {p->in_fd, POLLOUT, 0};
		ssize_t k = write(p->in_fd, text + off, n - off);

		if (k > 0) {
			off += (size_t)k;
		} else if (k < 0 && errno == EAGAIN) {
			if (poll(&pfd, 1, ms_left(deadline)) == 0) {
				errno = ETIMEDOUT;
				return -1;
			}
		} else if (k < 0 && errno != EINTR) {
			return -1;
		}
	}
	return 0;
}

void proc_close_stdin(struct proc *p)
{
	if (p->in_fd >= 0)
		close(p->in_fd);
	p->in_fd = -1;
}

int proc_start(struct proc *p, const struct proc_spec *s, char *err)
{
	int out[2], er[2], rep[2], in[2] = {-1, -1}, e;

	memset(p, 0, sizeof(*p));
	p->pidfd = p->in_fd = p->out_fd = p->err_fd = -1;
	if ((s->stdin_text || s->keep_stdin) && make_pipe(in, err) < 0)
		return -1;
	if (make_pipe(out, err) < 0)
		goto fail_out;
	if (make_pipe(er, err) < 0)
		goto fail_er;
	if (make_pipe(rep, err) < 0)
		goto fail_rep;
	if (s->filter)
		filter_prepare(s->filter_allow);
	/* vfork: a copy of the checker's page tables costs milliseconds, the
	 * program replaces them at once anyway. */
	p->pid = vfork();
	if (p->pid < 0) {
		errf(err, "vfork: %s", strerror(errno));
		goto fail_fork;
	}
	if (p->pid == 0) {
		/* Above 2, so the dup2 calls in child() cannot overwrite it. */
		int r = fcntl(rep[1], F_DUPFD_CLOEXEC, 3);
		child(s, in[0], out[1], er[1], r);
	}
	if (in[1] >= 0)
		p->in_fd = feed_stdin(in, s->stdin_text, s->keep_stdin);
	close(out[1]);
	close(er[1]);
	close(rep[1]);
	p->out_fd = out[0];
	p->err_fd = er[0];
	fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(p->err_fd, F_SETFL, O_NONBLOCK);
	e = exec_result(rep[0]);
	close(rep[0]);
	p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	if (e) {
		errf(err, _("cannot run %s: %s"), s->argv[0], strerror(e));
		proc_close_stdin(p);
		proc_kill(p);
		return -1;
	}
	return 0;
fail_fork:
	close(rep[0]);
	close(rep[1]);
fail_rep:
	close(er[0]);
	close(er[1]);
fail_er:
	close(out[0]);
	close(out[1]);
fail_out:
	if (in[1] >= 0) {
		close(in[0]);
		close(in[1]);
	}
	return -1;
}

static void drain_fd(int *fd, struct buf *b, size_t *dropped)
{
	char chunk[8192];
	ssize_t n;

	while (*fd >= 0) {
		n = read(*fd, chunk, sizeof(chunk));
		if (n > 0) {
			size_t keep = 0;
			if (b->len < PROC_CAPTURE_MAX)
				keep = PROC_CAPTURE_MAX - b->len;
			if (keep > (size_t)n)
				keep = (size_t)n;
			buf_append(b, chunk, keep);
			*dropped += (size_t)n - keep;
		} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
			close(*fd);
			*fd = -1;
		} else if (errno == EAGAIN) {
			return;
		}
	}
}

void proc_drain(struct proc *p)
{
	drain_fd(&p->out_fd, &p->out, &p->out_dropped);
	drain_fd(&p->err_fd, &p->err, &p->err_dropped);
}

int proc_check(struct proc *p)
{
	int st;

	if (p->exited)
		return 1;
	if (p->pid <= 0)
		return 1;
	if (waitpid(p->pid, &st, WNOHANG) == p->pid) {
		p->exited = 1;
		p->status = st;
		if (p->pidfd >= 0)
			close(p->pidfd);
		p->pidfd = -1;
	}
	return p->exited;
}

void proc_signal(struct proc *p, int sig)
{
	if (p->pid > 0 && !p->exited)
		kill(-p->pid, sig);
}

void proc_kill(struct proc *p)
{
	int st;

	if (p->pid <= 0)
		return;
	kill(-p->pid, SIGKILL); /* the group: threads and helpers it forked */
	if (!p->exited) {
		kill(p->pid, SIGKILL);
		while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR)
			;
		p->exited = 1;
		p->status = st;
	}
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->pidfd = -1;
}

int proc_stat(int pid, char *out, size_t n)
{
	char path[64], line[1024];
	const char *close_paren = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	/* "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses. */
	if (fgets(line, sizeof(line), f))
		close_paren = strrchr(line, ')');
	fclose(f);
	if (!close_paren)
		return -1;
	snprintf(out, n, "%s", close_paren + 1);
	return 0;
}

/* A process seen in /proc: who started it, its threads, its CPU time and
 * that of the children it reaped. */
struct seen {
	int pid, ppid, threads;
	long cpu_ms;
};

/* One live process; 0 if it is gone or a zombie. */
static int read_seen(int pid, struct seen *p)
{
	char stat[1024], state;
	unsigned long utime, stime;
	long cutime, cstime, ticks = sysconf(_SC_CLK_TCK);

	/* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
	 * utime stime cutime cstime priority nice num_threads */
	if (proc_stat(pid, stat, sizeof(stat)) < 0 ||
	    sscanf(stat, " %c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %ld %ld %*d %*d %d",
	           &state, &p->ppid, &utime, &stime, &cutime, &cstime, &p->threads) != 7 ||
	    state == 'Z' || state == 'X' || ticks <= 0)
		return 0;
	p->pid = pid;
	p->cpu_ms = (long)((utime + stime + (unsigned long)cutime + (unsigned long)cstime) * 1000 /
	                   (unsigned long)ticks);
	return 1;
}

static int by_pid(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* 1 if p descends from ancestor, following parents through all (sorted). */
static int descends(const struct seen *all, size_t n, const struct seen *p, int ancestor)
{
	for (int depth = 0; p && depth < 4096; depth++) {
		struct seen key = {.pid = p->ppid};
		if (p->ppid == ancestor)
			return 1;
		p = bsearch(&key, all, n, sizeof(*all), by_pid);
	}
	return 0;
}

/* Every live process in /proc but ours, sorted by pid; *n of them. */
static struct seen *seen_all(size_t *n)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	struct seen *all = NULL;
	size_t cap = 0;
	int self = (int)getpid();

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		int pid = atoi(e->d_name);
		if (pid <= 0 || pid == self)
			continue;
		if (*n == cap)
			all = xrealloc(all, (cap = cap ? 2 * cap : 64) * sizeof(*all));
		*n += (size_t)read_seen(pid, &all[*n]);
	}
	closedir(d);
	if (*n > 1) /* never NULL to qsort */
		qsort(all, *n, sizeof(*all), by_pid);
	return all;
}

int proc_box_usage(int *procs, long *cpu_ms)
{
	size_t n;
	struct seen *all;
	int self = (int)getpid(), total = 0;

	*procs = 0;
	*cpu_ms = 0;
	if (access("/proc/self/stat", R_OK) < 0)
		return -1;
	all = seen_all(&n);
	/* Ours, however they left the program's group: as the box's init or
	 * subreaper, every orphan below us comes back to us. */
	for (size_t i = 0; i < n; i++) {
		if (!descends(all, n, &all[i], self))
			continue;
		total += all[i].threads;
		*cpu_ms += all[i].cpu_ms;
		(*procs)++;
	}
	free(all);
	return total;
}

static int count_fds(int pid)
{
	char path[64];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	if (!(d = opendir(path)))
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

int proc_box_most_fds(void)
{
	size_t n;
	struct seen *all;
	int self = (int)getpid(), most = 0;

	if (access("/proc/self/stat", R_OK) < 0)
		return -1;
	all = seen_all(&n);
	for (size_t i = 0; i < n; i++)
		if (descends(all, n, &all[i], self)) {
			int k = count_fds(all[i].pid);
			most = k > most ? k : most;
		}
	free(all);
	return most;
}

/* Over the threads of pid: how many run or wait for a CPU (state R), and
 * how long, in all, they have waited for one (schedstat's run delay). */
struct tasks {
	int running;
	int64_t delay_ns;
};

static int64_t run_delay_ns(const char *schedstat)
{
	FILE *f = fopen(schedstat, "r");
	unsigned long long on_cpu, waited;
	int ok;

	if (!f)
		return 0;
	ok = fscanf(f, "%llu %llu", &on_cpu, &waited) == 2;
	fclose(f);
	return ok ? (int64_t)waited : 0;
}

typedef void (*task_fn)(int pid, int tid, void *ctx);

/* Call fn for every thread of every process in the box but ours. -1 if
 * /proc cannot tell. */
static int each_box_task(task_fn fn, void *ctx)
{
	size_t n;
	struct seen *all;
	int self = (int)getpid();

	if (access("/proc/self/stat", R_OK) < 0)
		return -1;
	all = seen_all(&n);
	for (size_t i = 0; i < n; i++) {
		char path[64];
		struct dirent *e;
		DIR *d;
		snprintf(path, sizeof(path), "/proc/%d/task", all[i].pid);
		if (!descends(all, n, &all[i], self) || !(d = opendir(path)))
			continue;
		while ((e = readdir(d)))
			if (atoi(e->d_name) > 0)
				fn(all[i].pid, atoi(e->d_name), ctx);
		closedir(d);
	}
	free(all);
	return 0;
}

struct tasks_ctx {
	struct tasks *t;
	int delays;
};

static void task_state(int pid, int tid, void *ctx)
{
	struct tasks_ctx *c = ctx;
	char path[80], stat[1024], state;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	if ((f = fopen(path, "r"))) {
		if (fgets(stat, sizeof(stat), f) && strrchr(stat, ')') &&
		    sscanf(strrchr(stat, ')') + 1, " %c", &state) == 1 && state == 'R')
			c->t->running++;
		fclose(f);
	}
	if (c->delays) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat", pid, tid);
		c->t->delay_ns += run_delay_ns(path);
	}
}

static int box_tasks(struct tasks *t, int delays)
{
	struct tasks_ctx c = {t, delays};

	memset(t, 0, sizeof(*t));
	return each_box_task(task_state, &c);
}

/* 1 if fd of pid is a socket. */
static int is_socket(int pid, long fd)
{
	char path[80], target[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%ld", pid, fd);
	n = readlink(path, target, sizeof(target) - 1);
	return n > 0 && strncmp(target, "socket:", 7) == 0;
}

/* Where one thread waits, from /proc/PID/task/TID/syscall: its system call
 * and first argument (a descriptor, for the calls that matter here). */
static void wait_of(int pid, int tid, void *ctx)
{
	struct proc_waits *w = ctx;
	char path[80];
	long nr = -1, fd = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", pid, tid);
	if (!(f = fopen(path, "r")))
		return;
	if (fscanf(f, "%ld %lx", &nr, &fd) < 1)
		nr = -1;
	fclose(f);
	w->threads++;
	if (nr == SYS_sendto || nr == SYS_sendmsg || (nr == SYS_write && is_socket(pid, fd)))
		w->in_send++;
	else if (nr == SYS_recvfrom || nr == SYS_recvmsg || (nr == SYS_read && is_socket(pid, fd)))
		w->in_recv++;
	else if (nr == SYS_read && fd == 0)
		w->in_stdin++;
}

int proc_box_waits(struct proc_waits *w)
{
	memset(w, 0, sizeof(*w));
	return each_box_task(wait_of, w);
}

int64_t proc_box_run_delay_us(void)
{
	struct tasks t;

	if (box_tasks(&t, 1) < 0)
		return -1;
	return (t.delay_ns + run_delay_ns("/proc/thread-self/schedstat")) / 1000;
}

int64_t proc_self_run_delay_us(void)
{
	return run_delay_ns("/proc/thread-self/schedstat") / 1000;
}

int64_t proc_run_delay_us(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	return run_delay_ns(path) / 1000;
}

int proc_box_running(void)
{
	struct tasks t;

	return box_tasks(&t, 0) < 0 ? -1 : t.running;
}

void proc_free(struct proc *p)
{
	proc_close_stdin(p);
	if (p->out_fd >= 0)
		close(p->out_fd);
	if (p->err_fd >= 0)
		close(p->err_fd);
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->out_fd = p->err_fd = p->pidfd = -1;
	buf_free(&p->out);
	buf_free(&p->err);
}

static const char *signal_text(int sig)
{
	switch (sig) {
	case SIGSEGV:
		return _("a segmentation fault");
	case SIGABRT:
		return _("an abort: a failed assert, or a memory error that free found");
	case SIGPIPE:
		return _("writing to a connection the other side had closed");
	case SIGFPE:
		return _("an arithmetic error, such as a division by zero");
	case SIGBUS:
		return _("a bus error, an access to memory that is not there");
	case SIGILL:
		return _("an illegal instruction");
	case SIGKILL:
		return _("a kill signal");
	case SIGXCPU:
		return _("using up its CPU time limit");
	case SIGXFSZ:
		return _("writing a file larger than allowed");
	case SIGINT:
		return _("an interrupt, as Ctrl-C sends");
	case SIGTERM:
		return _("a termination request");
	default:
		return _("a signal");
	}
}

char *proc_describe_status(int status)
{
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		const char *abbrev = sigabbrev_np(sig);
		/* TRANSLATORS: "ended because of a segmentation fault (SIGSEGV)". */
		return xasprintf(_("ended because of %s (SIG%s)"), signal_text(sig),
		                 abbrev ? abbrev : "?");
	}
	if (WIFEXITED(status))
		return xasprintf(_("ended with exit status %d"), WEXITSTATUS(status));
	return xstrdup(_("ended"));
}
