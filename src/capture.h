/* capture.h - a test's packets on its box's loopback, saved as a pcap file for Wireshark. */
#ifndef CAPTURE_H
#define CAPTURE_H

#include "util.h"

#define CAPTURE_MAX_BYTES (64L << 20) /* past this, packets are no longer written */

struct capture;

/* Capture every packet on "lo" of the current network namespace into fd (a
 * pcap file, written with libpcap), from a child process; returns once the
 * capture is running, or NULL with err (no permission, no libpcap device).
 * Only meaningful in a network namespace of the test's own. */
struct capture *capture_start(int fd, char *err);

/* Write what is still queued, close the file and reap the child. */
void capture_stop(struct capture *c);

#endif
