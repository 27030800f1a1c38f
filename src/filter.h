/* filter.h - the seccomp deny-list for what namespaces do not isolate. */
#ifndef FILTER_H
#define FILTER_H

#include "util.h"

/* What the deny-list may let through (flags for filter_install). */
#define FILTER_PTRACE_READ 1u /* ptrace to stop a thread, read its registers, let it go */
#define FILTER_NO_SYSV_IPC 2u /* deny System V IPC too: where no IPC namespace drops it */
#define FILTER_VARIANTS    4u /* every combination of the flags above */

/* Install the deny-list on the calling process (kept across exec). Denied
 * calls fail with an error instead of killing, so verdicts stay clear:
 * tracing, kernel keyrings, BPF, io_uring, perf, userfaultfd, mounts and new
 * namespaces, sockets of the AF_VSOCK and AF_PACKET families, and the
 * terminal requests that push input or reach the console (TIOCSTI,
 * TIOCLINUX). allow holds flags: with FILTER_PTRACE_READ, what LeakSanitizer
 * needs of ptrace is allowed: attach, read registers, continue, kill,
 * detach; never peek, poke, set registers or trace system calls. With
 * FILTER_NO_SYSV_IPC, System V shared memory, queues and semaphores are
 * denied as well. */
int filter_install(unsigned allow, char *err);

/* Compile the deny-list for allow once, here, so that filter_install in a
 * process forked later only loads it: a few microseconds instead of
 * milliseconds of libseccomp per program started. Optional. */
void filter_prepare(unsigned allow);

/* 1 if this kernel and libseccomp can install it (tries in a child). */
int filter_works(void);

#endif
