/* net.h - the checker's side of loopback TCP and UDP: every wait bounded by a deadline. */
#ifndef NET_H
#define NET_H

#include <stdint.h>
#include <sys/types.h>

#include "util.h"

/* Connect to 127.0.0.1:port before deadline. With narrow set, the
 * connection has a small receive buffer and small segments, so a peer
 * writing to it blocks after about 100 KiB if we do not read (by default
 * loopback buffers take megabytes). Returns a non-blocking fd, or -1 with
 * errno (ECONNREFUSED, ETIMEDOUT, ...) and err set. */
int net_tcp_connect(int port, int narrow, int64_t deadline, char *err);

/* A non-blocking listening socket on 127.0.0.1:port, or -1 with err. */
int net_tcp_listen(int port, char *err);

/* A port on 127.0.0.1 that never answers: a listener with a queue of one,
 * filled by a connection of our own, so any other SYN is dropped and a
 * connect() there waits until its own deadline. fds gets the two sockets to
 * close afterwards; -1 with err. */
int net_tcp_blackhole(int port, int fds[2], int64_t deadline, char *err);

/* Close so that the peer gets a reset (RST) instead of an orderly FIN. */
void net_close_reset(int fd);

/* A port on 127.0.0.1 that is free right now for TCP (udp 0) or UDP
 * (udp 1); -1 on error. */
int net_free_port(int udp, char *err);

/* 1 if some socket in this network namespace listens on TCP port, or with
 * udp is bound to UDP port (any address that 127.0.0.1 reaches); 0 if none,
 * -1 if unknown. Reads /proc/net/{tcp,udp}{,6}, so probing never takes up
 * one of a server's clients nor puts a datagram in its way. */
int net_listening(int port, int udp);

/* The ports with a listening TCP (or bound UDP) socket, up to max; the
 * count found. */
int net_listening_ports(int udp, int *ports, int max);

/* How many connections to TCP port wait in its listeners' accept queues,
 * done with the handshake and not yet accepted; -1 if unknown. */
int net_accept_queue(int port);

/* A non-blocking UDP socket bound to 127.0.0.1:port (0: any free port),
 * or -1 with err. */
int net_udp_socket(int port, char *err);

/* Send one datagram of n bytes (0 is a datagram too) to 127.0.0.1:port
 * before deadline; -1 with errno. */
int net_udp_send(int fd, int port, const void *p, size_t n, int64_t deadline);

/* Take one waiting datagram into buf; its length (the whole datagram's,
 * even past cap) and its sender's port in *from_port. -1 with errno
 * (EAGAIN: none waiting). */
ssize_t net_udp_recv(int fd, void *buf, size_t cap, int *from_port);

/* The local port of a socket, or -1. */
int net_local_port(int fd);

/* Bring the loopback interface up (a fresh network namespace has it down). */
int net_loopback_up(char *err);

#endif
