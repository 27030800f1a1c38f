/* filter.c - the seccomp deny-list for what namespaces do not isolate. */
#include "filter.h"

#include <errno.h>
#include <sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

/* ptrace requests (x86-64 numbering, as in <sys/ptrace.h>) LeakSanitizer
 * uses to stop the program's threads and read their registers. */
#define PT_CONT      7
#define PT_KILL      8
#define PT_GETREGS   12
#define PT_GETFPREG  14
#define PT_ATTACH    16
#define PT_DETACH    17
#define PT_GETREGSET 0x4204

/* Calls with no use in a lesson and a history of escapes. */
static const char *const denied[] = {
        "ptrace",
        "process_vm_readv",
        "process_vm_writev",
        "keyctl",
        "add_key",
        "request_key",
        "bpf",
        "perf_event_open",
        "userfaultfd",
        "io_uring_setup",
        "io_uring_enter",
        "io_uring_register",
        "mount",
        "umount2",
        "unshare",
        "setns",
        "pivot_root",
        "chroot",
        "fsopen",
        "fsmount",
        "fsconfig",
        "fspick",
        "move_mount",
        "open_tree",
        "mount_setattr",
        "open_by_handle_at",
        "name_to_handle_at",
        "kexec_load",
        "kexec_file_load",
        "init_module",
        "finit_module",
        "delete_module",
        "swapon",
        "swapoff",
        "reboot",
        NULL,
};

/* Deny ptrace requests lo..hi: split into aligned blocks of a power of two,
 * each one masked comparison (libseccomp takes one comparison per argument). */
static int deny_ptrace_range(scmp_filter_ctx ctx, uint64_t lo, uint64_t hi)
{
	int r = 0;

	while (lo <= hi && r == 0) {
		uint64_t size = 1;
		while (lo % (size * 2) == 0 && lo + size * 2 - 1 <= hi)
			size *= 2;
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ptrace), 1,
		                     SCMP_A0(SCMP_CMP_MASKED_EQ, ~(size - 1), lo));
		lo += size;
	}
	return r;
}

/* Every ptrace request but those LeakSanitizer needs. */
static int deny_ptrace_but_reading(scmp_filter_ctx ctx)
{
	static const uint64_t gaps[][2] = {
	        {0, PT_CONT - 1},
	        {PT_KILL + 1, PT_GETREGS - 1},
	        {PT_GETREGS + 1, PT_GETFPREG - 1},
	        {PT_GETFPREG + 1, PT_ATTACH - 1},
	        {PT_DETACH + 1, PT_GETREGSET - 1},
	};
	int r = 0;

	for (size_t i = 0; i < sizeof(gaps) / sizeof(gaps[0]) && r == 0; i++)
		r = deny_ptrace_range(ctx, gaps[i][0], gaps[i][1]);
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ptrace), 1,
		                     SCMP_A0(SCMP_CMP_GT, PT_GETREGSET, 0));
	return r;
}

static const scmp_datum_t tty_requests[] = {TIOCSTI, TIOCLINUX};

/* System V IPC outlives the process that made it: without an IPC namespace
 * of the box's (tier C) a segment would stay on the host, holding memory
 * or a copy of someone's work. No lesson uses it. */
static const char *const sysv_ipc[] = {"shmget", "shmat",      "shmctl", "msgget",
                                       "msgsnd", "msgrcv",     "msgctl", "semget",
                                       "semop",  "semtimedop", "semctl", NULL};

static const int new_namespaces[] = {CLONE_NEWNS,  CLONE_NEWUSER, CLONE_NEWNET,   CLONE_NEWPID,
                                     CLONE_NEWIPC, CLONE_NEWUTS,  CLONE_NEWCGROUP};

static int add_rules(scmp_filter_ctx ctx, unsigned allow)
{
	int r = 0;

	for (size_t i = 0; denied[i] && r == 0; i++) {
		int nr = seccomp_syscall_resolve_name(denied[i]);
		if (nr == __NR_SCMP_ERROR)
			continue;
		if (nr == SCMP_SYS(ptrace) && (allow & FILTER_PTRACE_READ))
			r = deny_ptrace_but_reading(ctx);
		else
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
	}
	/* A terminal is never the box's, but one could be passed in: pushing
	 * input into it (TIOCSTI) or the console's own requests (TIOCLINUX,
	 * which can also copy and paste) would reach the caller's shell. The
	 * request is an int: its upper bits are ignored by the kernel. */
	for (size_t i = 0; i < sizeof(tty_requests) / sizeof(tty_requests[0]) && r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
		                     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, tty_requests[i]));
	for (size_t i = 0; (allow & FILTER_NO_SYSV_IPC) && sysv_ipc[i] && r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
		                     seccomp_syscall_resolve_name(sysv_ipc[i]), 0);
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
		                     SCMP_A0(SCMP_CMP_EQ, AF_VSOCK, 0));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
		                     SCMP_A0(SCMP_CMP_EQ, AF_PACKET, 0));
	/* clone() may make threads and processes, never namespaces. clone3()
	 * passes its flags in memory a filter cannot read: ENOSYS makes glibc
	 * fall back to clone(). */
	for (size_t i = 0; i < sizeof(new_namespaces) / sizeof(new_namespaces[0]) && r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
		                     SCMP_A0(SCMP_CMP_MASKED_EQ, (scmp_datum_t)new_namespaces[i],
		                             (scmp_datum_t)new_namespaces[i]));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	return r;
}

/* The programs filter_prepare compiled, by flags (filter.h):
 * a process forked later loads one with two system calls. */
static struct sock_filter *compiled[FILTER_VARIANTS];
static unsigned short compiled_len[FILTER_VARIANTS];

static scmp_filter_ctx make_filter(unsigned allow, char *err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r;

	if (!ctx) {
		errf(err, "seccomp_init failed");
		return NULL;
	}
	if ((r = add_rules(ctx, allow)) < 0) {
		seccomp_release(ctx);
		errf(err, "seccomp: %s", strerror(-r));
		return NULL;
	}
	return ctx;
}

void filter_prepare(unsigned allow)
{
	scmp_filter_ctx ctx;
	int fd;
	off_t len;

	if (allow >= FILTER_VARIANTS || compiled[allow] || !(ctx = make_filter(allow, NULL)))
		return;
	fd = memfd_create("checker-seccomp", MFD_CLOEXEC);
	if (fd >= 0 && seccomp_export_bpf(ctx, fd) == 0 && (len = lseek(fd, 0, SEEK_END)) > 0 &&
	    len % (off_t)sizeof(struct sock_filter) == 0 && len / 8 <= BPF_MAXINSNS) {
		struct sock_filter *prog = xmalloc((size_t)len);
		if (pread(fd, prog, (size_t)len, 0) == len) {
			compiled[allow] = prog;
			compiled_len[allow] = (unsigned short)(len / (off_t)sizeof(*prog));
		} else {
			free(prog);
		}
	}
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
}

int filter_install(unsigned allow, char *err)
{
	scmp_filter_ctx ctx;
	int r;

	if (allow < FILTER_VARIANTS && compiled[allow]) {
		struct sock_fprog prog = {compiled_len[allow], compiled[allow]};
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
			errf(err, "seccomp: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (!(ctx = make_filter(allow, err)))
		return -1;
	r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0) {
		errf(err, "seccomp: %s", strerror(-r));
		return -1;
	}
	return 0;
}

int filter_works(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0)
		_exit(filter_install(0, NULL) == 0 && unshare(CLONE_NEWUTS) < 0 ? 0 : 1);
	if (pid < 0)
		return 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}
