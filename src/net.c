/* net.c - the checker's side of loopback TCP and UDP: every wait bounded by a deadline. */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static void loopback_addr(struct sockaddr_in *a, int port)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

int net_tcp_connect(int port, int narrow, int64_t deadline, char *err)
{
	struct sockaddr_in a;
	struct pollfd pfd;
	int fd, e = 0, r;
	socklen_t len = sizeof(e);

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		errf(err, "socket: %s", strerror(errno));
		return -1;
	}
	if (narrow) {
		int rcvbuf = 4096, mss = 1024;
		/* The peer sizes its send buffer from the segment size we announce. */
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
		setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof(mss));
	}
	loopback_addr(&a, port);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		e = errno;
		goto fail;
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	do
		r = poll(&pfd, 1, ms_left(deadline));
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		e = ETIMEDOUT;
		goto fail;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
		e = errno;
	if (e == 0)
		return fd;
fail:
	close(fd);
	errf(err, "%s", strerror(e));
	errno = e;
	return -1;
}

int net_tcp_listen(int port, char *err)
{
	struct sockaddr_in a;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		errf(err, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	loopback_addr(&a, port);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 64) < 0) {
		errf(err, "%d: %s", port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int net_tcp_blackhole(int port, int fds[2], int64_t deadline, char *err)
{
	struct sockaddr_in a;
	struct pollfd pfd;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
	int filler = -1;

	if (fd < 0) {
		errf(err, "socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	loopback_addr(&a, port);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 0) < 0)
		goto fail;
	/* A backlog of 0 holds one connection: ours. Nobody accepts it. */
	filler = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (filler < 0 ||
	    (connect(filler, (struct sockaddr *)&a, sizeof(a)) < 0 && errno != EINPROGRESS))
		goto fail;
	pfd = (struct pollfd){filler, POLLOUT, 0};
	if (poll(&pfd, 1, ms_left(deadline)) != 1) {
		errno = ETIMEDOUT;
		goto fail;
	}
	fds[0] = fd;
	fds[1] = filler;
	return 0;
fail:
	errf(err, "%d: %s", port, strerror(errno));
	if (filler >= 0)
		close(filler);
	close(fd);
	return -1;
}

void net_close_reset(int fd)
{
	struct linger l = {1, 0};

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

int net_free_port(int udp, char *err)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0), port = -1;

	if (fd < 0) {
		errf(err, "socket: %s", strerror(errno));
		return -1;
	}
	loopback_addr(&a, 0);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	else
		errf(err, "bind: %s", strerror(errno));
	close(fd);
	return port;
}

/* Sockets of one /proc/net file whose address 127.0.0.1 reaches: TCP
 * ones that listen, UDP ones in any state (bound is ready). */
static int scan_listeners(const char *path, int v6, int udp, int *ports, int max, int found)
{
	static const char any6[] = "00000000000000000000000000000000";
	static const char v4mapped_lo[] = "0000000000000000FFFF00000100007F";
	char line[512], addr[64];
	unsigned port, state;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) { /* header */
		fclose(f);
		return found;
	}
	while (found < max && fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %*u: %63[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x", addr, &port,
		           &state) != 3 ||
		    (!udp && state != 0x0A)) /* TCP_LISTEN */
			continue;
		if (v6 ? (strcmp(addr, any6) == 0 || strcmp(addr, v4mapped_lo) == 0)
		       : (strcmp(addr, "00000000") == 0 || strcmp(addr, "0100007F") == 0))
			ports[found++] = (int)port;
	}
	fclose(f);
	return found;
}

/* The address of a socket the kernel described: one 127.0.0.1 reaches? */
static int reaches_loopback(const struct inet_diag_msg *m)
{
	const uint32_t *a = m->id.idiag_src;

	if (m->idiag_family == AF_INET)
		return a[0] == htonl(INADDR_ANY) || a[0] == htonl(INADDR_LOOPBACK);
	return !a[0] && !a[1] && (!a[2] || a[2] == htonl(0xffff)) &&
	       (a[2] ? a[3] == htonl(INADDR_LOOPBACK) : !a[3]);
}

/* Read a sock_diag dump until its end, adding the ports that qualify, and
 * what waits in each one's accept queue to queued (when not NULL). */
static int diag_read(int fd, int *ports, unsigned *queued, int max, int found)
{
	char buf[16384];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			const struct inet_diag_msg *m = NLMSG_DATA(h);
			if (h->nlmsg_type == NLMSG_DONE)
				return found;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -1;
			if (found < max && reaches_loopback(m)) {
				if (queued) /* a listener's rqueue: connections not yet accepted */
					queued[found] = m->idiag_rqueue;
				ports[found++] = ntohs(m->id.idiag_sport);
			}
		}
	}
}

/* Ask the kernel (sock_diag) for the listening TCP sockets, or every UDP
 * one, of a family: it filters by state itself, where /proc/net/tcp walks
 * the whole table, empty or not, a millisecond each time. */
static int diag_listeners(int family, int udp, int *ports, unsigned *queued, int max, int found)
{
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 r;
	} req = {0};
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	if (fd < 0)
		return -1;
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.r.sdiag_family = (uint8_t)family;
	req.r.sdiag_protocol = udp ? IPPROTO_UDP : IPPROTO_TCP;
	req.r.idiag_states = udp ? ~0U : 1U << TCP_LISTEN;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		found = -1;
	else
		found = diag_read(fd, ports, queued, max, found);
	close(fd);
	return found;
}

int net_listening_ports(int udp, int *ports, int max)
{
	const char *v4 = udp ? "/proc/self/net/udp" : "/proc/self/net/tcp";
	const char *v6 = udp ? "/proc/self/net/udp6" : "/proc/self/net/tcp6";
	int n = diag_listeners(AF_INET, udp, ports, NULL, max, 0);
	int m;

	if (n >= 0) {
		m = diag_listeners(AF_INET6, udp, ports, NULL, max, n);
		return m < 0 ? n : m;
	}
	n = scan_listeners(v4, 0, udp, ports, max, 0); /* no sock_diag here */
	if (n < 0)
		return -1;
	m = scan_listeners(v6, 1, udp, ports, max, n);
	return m < 0 ? n : m;
}

int net_listening(int port, int udp)
{
	int ports[256];
	int n = net_listening_ports(udp, ports, 256);

	for (int i = 0; i < n; i++)
		if (ports[i] == port)
			return 1;
	return n < 0 ? -1 : 0;
}

int net_accept_queue(int port)
{
	int ports[256], n, m, waiting = 0;
	unsigned queued[256];

	n = diag_listeners(AF_INET, 0, ports, queued, 256, 0);
	if (n < 0)
		return -1;
	m = diag_listeners(AF_INET6, 0, ports, queued, 256, n);
	n = m < 0 ? n : m;
	for (int i = 0; i < n; i++)
		if (ports[i] == port)
			waiting += (int)queued[i];
	return waiting;
}

int net_udp_socket(int port, char *err)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		errf(err, "socket: %s", strerror(errno));
		return -1;
	}
	loopback_addr(&a, port);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		errf(err, "%d: %s", port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int net_udp_send(int fd, int port, const void *p, size_t n, int64_t deadline)
{
	struct sockaddr_in a;

	loopback_addr(&a, port);
	for (;;) {
		struct pollfd pfd = {fd, POLLOUT, 0};

		if (sendto(fd, p, n, MSG_NOSIGNAL, (struct sockaddr *)&a, sizeof(a)) >= 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -1;
		if (poll(&pfd, 1, ms_left(deadline)) == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
	}
}

ssize_t net_udp_recv(int fd, void *buf, size_t cap, int *from_port)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	ssize_t n;

	do
		n = recvfrom(fd, buf, cap, MSG_TRUNC, (struct sockaddr *)&a, &len);
	while (n < 0 && errno == EINTR);
	if (n >= 0)
		*from_port = a.sin_family == AF_INET ? ntohs(a.sin_port) : -1;
	return n;
}

int net_local_port(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len) < 0 || a.sin_family != AF_INET)
		return -1;
	return ntohs(a.sin_port);
}

int net_loopback_up(char *err)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		errf(err, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		goto fail;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		goto fail;
	close(fd);
	return 0;
fail:
	errf(err, "lo: %s", strerror(errno));
	close(fd);
	return -1;
}
