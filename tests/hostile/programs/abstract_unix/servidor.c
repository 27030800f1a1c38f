/* Reaches for an abstract UNIX socket of the host ("@checker-hostile"). */
#include "common.h"
#include <stddef.h>
#include <sys/un.h>

int main(int argc, char **argv)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	const char name[] = "\0checker-hostile";
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	memcpy(a.sun_path, name, sizeof(name) - 1);
	if (connect(s, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + sizeof(name) - 1) < 0)
		return contained("connect");
	close(s);
	return serve_echo(argc, argv);
}
