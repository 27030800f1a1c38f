/* Kills its parent (the checker's side of the box), then checks it is gone. */
#include "common.h"
#include <errno.h>
#include <signal.h>

int main(int argc, char **argv)
{
	pid_t parent = getppid();

	kill(parent, SIGKILL);
	usleep(100000);
	if (kill(parent, 0) == 0 || errno != ESRCH) /* alive, or not ours to signal */
		return contained("kill(getppid())");
	return serve_echo(argc, argv);
}
