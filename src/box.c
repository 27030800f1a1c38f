/* box.c - one isolated place per test: network and process namespaces. */
#include "box.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"
#include "net.h"
#include "proc.h"

static const char *const tier_names[] = {"A", "B", "C", "auto"};

const char *box_tier_name(enum tier t)
{
	return tier_names[t];
}

int box_tier_parse(const char *s, enum tier *out)
{
	for (int i = 0; i <= TIER_AUTO; i++) {
		if (strcasecmp(s, tier_names[i]) == 0) {
			*out = (enum tier)i;
			return 0;
		}
	}
	return -1;
}

const char *box_tier_describe(enum tier t)
{
	switch (t) {
	case TIER_A:
		return _(
		        "A: own uid, root, network, process, IPC and mount namespaces, seccomp (as "
		        "root)");
	case TIER_B:
		return _("B: own user, root, network, process, IPC and mount namespaces, seccomp "
		         "(without root)");
	default:
		return _("C: weak, no namespaces: host network on a free port, process groups");
	}
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Map our outer uid/gid to root inside the new user namespace. */
static int map_user(uid_t uid, gid_t gid)
{
	char line[64];

	if (write_file("/proc/self/setgroups", "deny") < 0)
		return -1;
	snprintf(line, sizeof(line), "0 %u 1", (unsigned)uid);
	if (write_file("/proc/self/uid_map", line) < 0)
		return -1;
	snprintf(line, sizeof(line), "0 %u 1", (unsigned)gid);
	return write_file("/proc/self/gid_map", line);
}

static int clone_flags(enum tier t)
{
	int own = CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS |
	          CLONE_NEWCGROUP;

	switch (t) {
	case TIER_A:
		return own;
	case TIER_B:
		return CLONE_NEWUSER | own;
	default:
		return 0;
	}
}

const char *box_workdir(enum tier t, const char *workdir)
{
	return t == TIER_C ? workdir : BOX_WORKDIR;
}

static char *args_start, *args_end;

void box_remember_args(int argc, char **argv)
{
	if (argc < 1)
		return;
	args_start = argv[0];
	args_end = argv[argc - 1] + strlen(argv[argc - 1]);
}

/* The box is a copy of the checker: its /proc/PID/cmdline would show the
 * checker's arguments (the checkout, the folders being graded). */
static void blank_args(void)
{
	if (args_start && args_end > args_start)
		memset(args_start, 0, (size_t)(args_end - args_start));
}

/* In the new box, before fn runs. */
static int box_enter(enum tier t, const char *workdir, int workdir_rw, uid_t uid, gid_t gid,
                     char *err)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* No controlling terminal: nothing in the box can reach the caller's. */
	if (setsid() < 0)
		return errf(err, "setsid: %s", strerror(errno)), -1;
	blank_args();
	/* Stopping is the checker's business: a box ends when the checker says. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (t == TIER_B && map_user(uid, gid) < 0) {
		errf(err, "uid_map: %s", strerror(errno));
		return -1;
	}
	/* After the uid map (its files would be root's): from here no program of
	 * the box can trace this process or open its /proc files (fd, environ). */
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		return errf(err, "prctl: %s", strerror(errno)), -1;
	if (t == TIER_C)
		return prctl(PR_SET_CHILD_SUBREAPER, 1) < 0 ? -1 : 0;
	if (boxroot_enter(workdir, workdir_rw, err) < 0)
		return -1;
	if (sethostname("caja", 4) < 0)
		return errf(err, "sethostname: %s", strerror(errno)), -1;
	return net_loopback_up(err);
}

pid_t box_spawn(enum tier t, const char *workdir, int workdir_rw, int (*fn)(void *), void *arg,
                char *err)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	char eerr[ERR_LEN];
	pid_t pid;

	fflush(NULL);
	pid = (pid_t)syscall(SYS_clone, clone_flags(t) | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid < 0) {
		errf(err, "clone: %s", strerror(errno));
		return -1;
	}
	if (pid > 0)
		return pid;
	if (box_enter(t, workdir, workdir_rw, uid, gid, eerr) < 0) {
		fprintf(stderr, "checker: box: %s\n", eerr);
		_exit(125);
	}
	_exit(fn(arg));
}

static int probe(void *arg)
{
	(void)arg;
	return 0;
}

int box_tier_works(enum tier t)
{
	char err[ERR_LEN];
	int st;
	pid_t pid;
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC), saved = dup(2);

	/* A failed probe explains itself on stderr: keep that quiet. */
	if (devnull >= 0)
		dup2(devnull, 2);
	pid = box_spawn(t, NULL, 0, probe, NULL, err);
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	if (saved >= 0) {
		dup2(saved, 2);
		close(saved);
	}
	if (devnull >= 0)
		close(devnull);
	return pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

enum tier box_best_tier(void)
{
	if (geteuid() == 0 && box_tier_works(TIER_A))
		return TIER_A;
	if (box_tier_works(TIER_B))
		return TIER_B;
	return TIER_C;
}

/* Children of ours in /proc (orphans re-parented to us as subreaper). */
static int kill_children(pid_t self)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char stat[1024];
		int ppid;
		pid_t pid = (pid_t)atoi(e->d_name);

		if (pid > 0 && proc_stat((int)pid, stat, sizeof(stat)) == 0 &&
		    sscanf(stat, " %*c %d", &ppid) == 1 && ppid == self) {
			kill(pid, SIGKILL);
			n++;
		}
	}
	closedir(d);
	return n;
}

void box_kill_strays(void)
{
	pid_t self = getpid();

	/* Each round kills our children; their children then come to us. */
	for (int round = 0; round < 1000; round++) {
		int killed = kill_children(self);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (killed == 0 && waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
			return;
		if (killed == 0) {
			while (waitpid(-1, NULL, 0) > 0)
				;
			return;
		}
	}
}
