/* Forks until fork fails (at most 3000), then serves: the box must hold. */
#include "common.h"
#include <signal.h>

int main(int argc, char **argv)
{
	for (int i = 0; i < 3000; i++) {
		pid_t p = fork();
		if (p < 0)
			break;
		if (p == 0) {
			for (;;)
				pause();
		}
	}
	return serve_echo(argc, argv);
}
