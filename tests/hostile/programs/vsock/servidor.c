/* Asks for an AF_VSOCK socket (a way to the hypervisor host). */
#include "common.h"

int main(int argc, char **argv)
{
	int s = socket(40 /* AF_VSOCK */, SOCK_STREAM, 0);

	if (s < 0)
		return contained("socket(AF_VSOCK)");
	close(s);
	return serve_echo(argc, argv);
}
