/* filter.h - the seccomp deny-list for what namespaces do not isolate. */
#ifndef FILTER_H
#define FILTER_H

#include "util.h"

/* Install the deny-list on the calling process (kept across exec). Denied
 * calls fail with an error instead of killing, so verdicts stay clear:
 * tracing, kernel keyrings, BPF, io_uring, perf, userfaultfd, mounts and new
 * namespaces, and sockets of the AF_VSOCK and AF_PACKET families. */
int filter_install(char *err);

/* 1 if this kernel and libseccomp can install it (tries in a child). */
int filter_works(void);

#endif
