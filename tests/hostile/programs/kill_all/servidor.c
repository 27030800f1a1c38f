/* kill(-1, SIGKILL), then serves: only the box's own processes may die. */
#include "common.h"
#include <signal.h>

int main(int argc, char **argv)
{
	kill(-1, SIGKILL);
	return serve_echo(argc, argv);
}
