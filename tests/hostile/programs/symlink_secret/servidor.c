/* Reads "secreto", a link to a host file planted in its folder: it must not be copied. */
#include "common.h"
#include <fcntl.h>

int main(int argc, char **argv)
{
	char buf[64];
	int fd = open("secreto", O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof(buf)) <= 0)
		return contained("secreto");
	return serve_echo(argc, argv);
}
