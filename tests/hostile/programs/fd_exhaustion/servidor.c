/* Opens sockets until none are left (at most 100000), closes them, then serves. */
#include "common.h"

int main(int argc, char **argv)
{
	int fds[100000], n = 0;

	while (n < 100000 && (fds[n] = socket(AF_INET, SOCK_STREAM, 0)) >= 0)
		n++;
	while (n > 0)
		close(fds[--n]);
	return serve_echo(argc, argv);
}
