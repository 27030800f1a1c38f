/* Reaches for a UNIX socket of the host at /tmp/checker-hostile.sock. */
#include "common.h"
#include <sys/un.h>

int main(int argc, char **argv)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX, .sun_path = "/tmp/checker-hostile.sock"};
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		return contained("connect");
	close(s);
	return serve_echo(argc, argv);
}
