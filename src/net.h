/* net.h - the checker's side of loopback TCP: every call bounded by a deadline. */
#ifndef NET_H
#define NET_H

#include <stdint.h>

#include "util.h"

/* Connect to 127.0.0.1:port before deadline. With narrow set, the
 * connection has a small receive buffer and small segments, so a peer
 * writing to it blocks after about 100 KiB if we do not read (by default
 * loopback buffers take megabytes). Returns a non-blocking fd, or -1 with
 * errno (ECONNREFUSED, ETIMEDOUT, ...) and err set. */
int net_tcp_connect(int port, int narrow, int64_t deadline, char *err);

/* A non-blocking listening socket on 127.0.0.1:port, or -1 with err. */
int net_tcp_listen(int port, char *err);

/* Send all of p before deadline; -1 with errno on error or timeout. */
int net_send_all(int fd, const void *p, size_t n, int64_t deadline);

/* Close so that the peer gets a reset (RST) instead of an orderly FIN. */
void net_close_reset(int fd);

/* A TCP port on 127.0.0.1 that is free right now; -1 on error. */
int net_free_port(char *err);

/* 1 if some socket in this network namespace listens on TCP port (any
 * address that 127.0.0.1 reaches), 0 if none, -1 if unknown. Reads
 * /proc/net/tcp{,6}, so probing never consumes one of the server's clients. */
int net_listening(int port);

/* The TCP ports with a listening socket, up to max; the count found. */
int net_listening_ports(int *ports, int max);

/* Bring the loopback interface up (a fresh network namespace has it down). */
int net_loopback_up(char *err);

#endif
