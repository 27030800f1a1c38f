/* Floods the checker through the protocol: it accepts every connection,
 * keeps the first one silent so that the test waits on it, and sends each of
 * the others data nobody asked for (at most 4 GiB in all), to fill the
 * checker's memory with what it buffers. */
#define _GNU_SOURCE /* accept4 */
#include <errno.h>
#include <poll.h>

#include "common.h"

#define MAX_FDS    60
#define FLOOD_MAX  (4ULL << 30)
#define CHUNK_SIZE 65536

static int listener(int port)
{
	struct sockaddr_in a;
	int one = 1, s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (s < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, MAX_FDS) < 0)
		return -1;
	return s;
}

int main(int argc, char **argv)
{
	static char chunk[CHUNK_SIZE];
	struct pollfd p[MAX_FDS];
	unsigned long long sent = 0;
	int n = 1;

	memset(chunk, 'x', sizeof(chunk));
	p[0] = (struct pollfd){listener(argc > 1 ? atoi(argv[1]) : 8888), POLLIN, 0};
	if (p[0].fd < 0)
		return contained("listen");
	while (sent < FLOOD_MAX && poll(p, (nfds_t)n, -1) >= 0) {
		int c;

		while (n < MAX_FDS && (c = accept4(p[0].fd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
			/* The first connection is the one the test waits on: silent. */
			p[n] = (struct pollfd){c, n == 1 ? 0 : POLLOUT, 0};
			n++;
		}
		for (int i = 2; i < n; i++) {
			ssize_t k;
			if (!(p[i].revents & POLLOUT))
				continue;
			k = send(p[i].fd, chunk, sizeof(chunk), MSG_NOSIGNAL);
			if (k > 0)
				sent += (unsigned long long)k;
			else if (errno != EAGAIN)
				p[i].events = 0; /* gone */
		}
	}
	return 0;
}
