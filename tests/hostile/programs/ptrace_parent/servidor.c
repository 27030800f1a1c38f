/* Tries to trace its parent, the checker. */
#include "common.h"
#include <sys/ptrace.h>

int main(int argc, char **argv)
{
	if (ptrace(PTRACE_ATTACH, getppid(), NULL, NULL) < 0)
		return contained("ptrace");
	return serve_echo(argc, argv);
}
