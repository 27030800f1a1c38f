/* Leaves a setsid double-forked daemon, then serves: the daemon must die with the box. */
#include "common.h"
#include <sys/prctl.h>

int main(int argc, char **argv)
{
	if (fork() == 0) {
		setsid();
		if (fork() == 0) {
			prctl(PR_SET_NAME, "hostil_demonio");
			for (;;)
				pause();
		}
		_exit(0);
	}
	return serve_echo(argc, argv);
}
