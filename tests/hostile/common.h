/* common.h - shared by the hostile programs: a minimal correct echo server.
 * A hostile program that gets what it was after calls serve_echo(), so the
 * test passes and the suite sees that containment failed. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PREFIX "Servidor recibi\xc3\xb3: "

__attribute__((unused)) static int serve_echo(int argc, char **argv)
{
	struct sockaddr_in a;
	int one = 1, s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0)
		return 1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)(argc > 1 ? atoi(argv[1]) : 8888));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 16) < 0)
		return 1;
	for (;;) {
		char buf[1024], out[1100];
		ssize_t n;
		int c = accept(s, NULL, NULL);

		if (c < 0)
			continue;
		while ((n = recv(c, buf, sizeof(buf), 0)) > 0) {
			memcpy(out, PREFIX, strlen(PREFIX));
			memcpy(out + strlen(PREFIX), buf, (size_t)n);
			send(c, out, strlen(PREFIX) + (size_t)n, MSG_NOSIGNAL);
		}
		close(c);
	}
}

/* The attack failed, as it should: say so and end. */
__attribute__((unused)) static int contained(const char *what)
{
	perror(what);
	return 3;
}
