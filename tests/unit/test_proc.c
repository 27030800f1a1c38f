/* test_proc.c - unit tests for starting, feeding and watching the learner's program. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>

#include "../../src/proc.c"

static char *const ENV[] = {"PATH=/usr/bin:/bin", NULL};

static void start(struct proc *p, char *const *argv, int keep_stdin)
{
	struct proc_spec s = {0};
	char err[ERR_LEN];

	s.argv = argv;
	s.envp = ENV;
	s.uid = -1;
	s.keep_stdin = keep_stdin;
	proc_default_limits(&s.limits);
	if (proc_start(p, &s, err) < 0)
		fail_msg("cannot start %s: %s", argv[0], err);
}

/* Wait (with a deadline) until it ends, draining its output. */
static void wait_end(struct proc *p)
{
	int64_t deadline = now_ms() + 5000;

	while (!proc_check(p) && ms_left(deadline) > 0) {
		struct pollfd f = {p->out_fd, POLLIN, 0};
		poll(&f, p->out_fd >= 0 ? 1 : 0, 50);
		proc_drain(p);
	}
	proc_drain(p);
	assert_true(p->exited);
}

/* Its standard input stays open for us: what we write, it reads; closing it
 * is the end of its input. */
static void test_stdin_open(void **state)
{
	char *argv[] = {"cat", NULL};
	struct proc p;

	(void)state;
	start(&p, argv, 1);
	assert_true(p.in_fd >= 0);
	assert_int_equal(proc_write_stdin(&p, "hola\n", now_ms() + 1000), 0);
	assert_int_equal(proc_write_stdin(&p, "adiós\n", now_ms() + 1000), 0);
	proc_close_stdin(&p);
	assert_int_equal(p.in_fd, -1);
	wait_end(&p);
	assert_string_equal(p.out.data, "hola\nadiós\n");
	assert_int_equal(proc_write_stdin(&p, "tarde", now_ms() + 100), -1);
	assert_int_equal(errno, EPIPE);
	proc_free(&p);
}

/* Without keep_stdin it reads /dev/null: its input ends at once. */
static void test_stdin_null(void **state)
{
	char *argv[] = {"cat", NULL};
	struct proc p;

	(void)state;
	start(&p, argv, 0);
	assert_int_equal(p.in_fd, -1);
	wait_end(&p);
	assert_null(p.out.data);
	proc_free(&p);
}

static int comm_is(int pid, const char *name)
{
	char path[64], comm[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	if (!(f = fopen(path, "r")))
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	return strcmp(comm, name) == 0;
}

/* 1 once a sleep of ours leads its own session: setsid(1) has run (until
 * then a kill of the program's group would take it too). */
static int sleep_left_session(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char stat[1024];
	int sid, found = 0;

	while (d && !found && (e = readdir(d))) {
		int pid = atoi(e->d_name);
		found = pid > 0 && proc_stat(pid, stat, sizeof(stat)) == 0 &&
		        sscanf(stat, " %*c %*d %*d %d", &sid) == 1 && sid == pid &&
		        comm_is(pid, "sleep");
	}
	if (d)
		closedir(d);
	return found;
}

/* Kill and reap the orphans that came back to us as subreaper. */
static void kill_orphans(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char stat[1024];
	int ppid;

	while (d && (e = readdir(d)))
		if (atoi(e->d_name) > 0 && proc_stat(atoi(e->d_name), stat, sizeof(stat)) == 0 &&
		    sscanf(stat, " %*c %d", &ppid) == 1 && ppid == (int)getpid())
			kill(atoi(e->d_name), SIGKILL);
	if (d)
		closedir(d);
	while (waitpid(-1, NULL, 0) > 0)
		;
}

/* In a child of ours that plays the box's first process (a subreaper, as
 * in tier C): the processes below it, one that left the program's session
 * included. Returns 0 if the counts were right. */
static int count_in_box(void)
{
	char *one[] = {"sleep", "5", NULL};
	char *three[] = {"sh", "-c", "setsid sleep 5 & sleep 5 & wait", NULL};
	struct proc_spec ps = {0};
	struct proc p;
	char err[ERR_LEN];
	long cpu;
	int procs, n = -1;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	ps.envp = ENV;
	ps.uid = -1;
	proc_default_limits(&ps.limits);
	ps.argv = one;
	if (proc_start(&p, &ps, err) < 0 || proc_box_usage(&procs, &cpu) != 1 || procs != 1)
		return 1;
	proc_kill(&p);
	proc_free(&p);
	ps.argv = three;
	if (proc_start(&p, &ps, err) < 0)
		return 2;
	/* The shell starts its two children right away, and setsid(1) leaves
	 * the group soon after; on a busy machine that takes a while. */
	for (int64_t deadline = now_ms() + 5000;
	     ms_left(deadline) > 0 && (n != 3 || !sleep_left_session()); poll(NULL, 0, 10))
		n = proc_box_usage(&procs, &cpu);
	if (n != 3 || procs != 3)
		return 3;
	proc_kill(&p);
	proc_free(&p);
	/* The setsid one is still ours (an orphan now, ours as subreaper). The
	 * shell's other child got SIGKILL with its group, but a kill lands
	 * asynchronously: wait for it to be gone. */
	for (int64_t deadline = now_ms() + 2000; ms_left(deadline) > 0 && (n != 1 || procs != 1);
	     poll(NULL, 0, 10))
		n = proc_box_usage(&procs, &cpu);
	if (n != 1 || procs != 1)
		return 4;
	kill_orphans();
	return 0;
}

static void test_box_usage(void **state)
{
	int st;
	pid_t pid = fork();

	(void)state;
	if (pid == 0) {
		_exit(count_in_box());
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_stdin_open),
	        cmocka_unit_test(test_stdin_null),
	        cmocka_unit_test(test_box_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
