/* Reaches for a TCP service of the host on 127.0.0.1:47999. */
#include "common.h"

int main(int argc, char **argv)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(47999)};
	int s = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		return contained("connect");
	close(s);
	return serve_echo(argc, argv);
}
