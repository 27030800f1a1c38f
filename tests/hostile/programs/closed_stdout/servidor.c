/* Closes stdout and stderr, then serves. */
#include "common.h"

int main(int argc, char **argv)
{
	close(1);
	close(2);
	return serve_echo(argc, argv);
}
