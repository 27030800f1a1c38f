/* Sleeps forever without listening. */
#include <unistd.h>

int main(void)
{
	for (;;)
		pause();
}
