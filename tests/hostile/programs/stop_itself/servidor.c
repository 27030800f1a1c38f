/* Stops itself with SIGSTOP before listening. */
#include <signal.h>

int main(void)
{
	raise(SIGSTOP);
	return 0;
}
