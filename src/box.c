/* box.c - one isolated place per test: namespaces, its own root, who runs in it, how weak it is. */
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

/* Run a set-uid helper and wait for it; 0 if it succeeded. */
static int run_helper(char *const argv[])
{
	int st;
	pid_t pid;
	char *const envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

	pid = fork();
	if (pid == 0) {
		if (devnull >= 0)
			dup2(devnull, 1);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	if (devnull >= 0)
		close(devnull);
	if (pid < 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* From outside: uid and gid 0 of box pid are ours, 1 the subordinate ids. */
static int map_sub(pid_t pid, const struct boxid *id)
{
	char p[16], me[16], sub[16], one[] = "1", zero[] = "0";
	char *uids[] = {"/usr/bin/newuidmap", p, zero, me, one, one, sub, one, NULL};
	char *gids[] = {"/usr/bin/newgidmap", p, zero, me, one, one, sub, one, NULL};

	snprintf(p, sizeof(p), "%d", (int)pid);
	snprintf(me, sizeof(me), "%u", (unsigned)getuid());
	snprintf(sub, sizeof(sub), "%d", id->uid);
	if (run_helper(uids) < 0)
		return -1;
	snprintf(me, sizeof(me), "%u", (unsigned)getgid());
	snprintf(sub, sizeof(sub), "%d", id->gid);
	return run_helper(gids);
}

static int sub_works(char *why);

int box_ident_acquire(enum tier t, struct box_ident *bi, char *err)
{
	char why[ERR_LEN];

	bi->id.uid = bi->id.gid = bi->id.lock_fd = -1;
	bi->uid = -1;
	bi->drop_caps = 0;
	if (t != TIER_B && geteuid() == 0) {
		if (boxid_acquire(&bi->id, err) < 0)
			return -1;
		bi->uid = bi->id.uid;
	} else if (t == TIER_B) {
		/* Subordinate ids only where a probe box could map them (once per
		 * process); without: uid 0 of the box, powerless. */
		if (sub_works(NULL) && boxid_acquire_sub(&bi->id, why) == 0)
			bi->uid = BOX_SUB_UID;
		else
			bi->drop_caps = 1;
	}
	return 0;
}

void box_ident_release(struct box_ident *bi)
{
	boxid_release(&bi->id);
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

/* In the new box, before fn runs; sync, if not -1, gives one byte once
 * the parent has mapped our ids. */
static int box_enter(const struct box_opts *o, int sync, uid_t uid, gid_t gid, char *err)
{
	char go;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* No controlling terminal: nothing in the box can reach the caller's. */
	if (setsid() < 0)
		return errf(err, "setsid: %s", strerror(errno)), -1;
	blank_args();
	/* Stopping is the checker's business: a box ends when the checker says. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (sync >= 0 && read(sync, &go, 1) != 1)
		return errf(err, "%s", "newuidmap failed"), -1;
	if (sync < 0 && o->tier == TIER_B && map_user(uid, gid) < 0) {
		errf(err, "uid_map: %s", strerror(errno));
		return -1;
	}
	/* After the uid map (its files would be root's): from here no program of
	 * the box can trace this process or open its /proc files (fd, environ). */
	if (prctl(PR_SET_DUMPABLE, 0) < 0)
		return errf(err, "prctl: %s", strerror(errno)), -1;
	if (o->tier == TIER_C)
		return prctl(PR_SET_CHILD_SUBREAPER, 1) < 0 ? -1 : 0;
	if (boxroot_enter(o->workdir, o->workdir_rw, err) < 0)
		return -1;
	if (sethostname("caja", 4) < 0)
		return errf(err, "sethostname: %s", strerror(errno)), -1;
	return net_loopback_up(err);
}

pid_t box_spawn(const struct box_opts *o, int (*fn)(void *), void *arg, char *err)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	int sub = o->tier == TIER_B && o->ident && o->ident->id.uid >= 0;
	int sync[2] = {-1, -1};
	char eerr[ERR_LEN];
	pid_t pid;

	if (sub && pipe2(sync, O_CLOEXEC) < 0)
		return errf(err, "pipe: %s", strerror(errno)), -1;
	fflush(NULL);
	pid = (pid_t)syscall(SYS_clone, clone_flags(o->tier) | SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid == 0) {
		if (sub)
			close(sync[1]);
		if (box_enter(o, sync[0], uid, gid, eerr) < 0) {
			fprintf(stderr, "checker: box: %s\n", eerr);
			_exit(125);
		}
		if (sub)
			close(sync[0]);
		_exit(fn(arg));
	}
	if (pid < 0)
		errf(err, "clone: %s", strerror(errno));
	if (sub) {
		close(sync[0]);
		/* The box waits for its ids; closing without the byte ends it. */
		if (pid > 0 && map_sub(pid, &o->ident->id) == 0 && write(sync[1], "", 1) == 1) {
			close(sync[1]);
			return pid;
		}
		close(sync[1]);
		if (pid > 0) {
			errf(err, "%s", _("newuidmap could not map the box's subordinate ids"));
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
	}
	return pid;
}

static int probe(void *arg)
{
	(void)arg;
	return 0;
}

/* Make one box of tier t (with ident, if not NULL) and see it run. */
static int try_box(enum tier t, const struct box_ident *ident)
{
	struct box_opts o = {t, NULL, 0, ident};
	char err[ERR_LEN];
	int st;
	pid_t pid;
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC), saved = dup(2);

	/* A failed probe explains itself on stderr: keep that quiet. */
	if (devnull >= 0)
		dup2(devnull, 2);
	pid = box_spawn(&o, probe, NULL, err);
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

int box_tier_works(enum tier t)
{
	return try_box(t, NULL);
}

enum tier box_best_tier(void)
{
	if (geteuid() == 0 && box_tier_works(TIER_A))
		return TIER_A;
	if (box_tier_works(TIER_B))
		return TIER_B;
	return TIER_C;
}

/* Tier B with subordinate ids: whether they can be had and mapped here
 * (once per process); why not in why. */
static int sub_works(char *why)
{
	static int known, works;
	static char reason[ERR_LEN];
	struct box_ident bi;

	if (!known) {
		known = 1;
		*reason = '\0';
		if (boxid_acquire_sub(&bi.id, reason) == 0) {
			bi.uid = BOX_SUB_UID;
			bi.drop_caps = 0;
			works = try_box(TIER_B, &bi);
			if (!works)
				snprintf(reason, sizeof(reason), "%s",
				         _("newuidmap could not map the box's subordinate ids"));
			boxid_release(&bi.id);
		}
	}
	if (why)
		snprintf(why, ERR_LEN, "%s", reason);
	return works;
}

int box_tier_weak(enum tier t)
{
	return t == TIER_C || (t == TIER_B && !sub_works(NULL));
}

const char *box_tier_missing(enum tier t)
{
	static char line[2 * ERR_LEN];
	char why[ERR_LEN];

	if (t == TIER_C)
		return _(
		        "no namespaces: the program runs on the host's network and sees the host's "
		        "files and processes");
	if (t == TIER_B && !sub_works(why)) {
		/* TRANSLATORS: %s says why, e.g. "newuidmap is not installed (...)". */
		snprintf(line, sizeof(line),
		         _("no subordinate uid: the program runs with the caller's own uid (%s)"),
		         why);
		return line;
	}
	return NULL;
}

int box_pick_tier(enum tier want, int refuse_weak, enum tier *out, char *err)
{
	*out = want == TIER_AUTO ? box_best_tier() : want;
	if (want != TIER_AUTO && !box_tier_works(want)) {
		errf(err, _("isolation tier %s is not available on this machine"),
		     box_tier_name(want));
		return -1;
	}
	if (refuse_weak && box_tier_weak(*out)) {
		/* TRANSLATORS: the tier, then what it lacks (box_tier_missing). */
		errf(err, _("isolation tier %s is weak here: %s"), box_tier_name(*out),
		     box_tier_missing(*out));
		return -1;
	}
	return 0;
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
