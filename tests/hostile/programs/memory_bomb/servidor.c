/* Touches memory up to 4 GiB, then gives up with status 3 if malloc fails.
 * Without a memory cgroup only RLIMIT_AS (1 GiB) stops it: a runtime error,
 * or the CPU limit first where touching 1 GiB takes more than 3 s of CPU. */
#include <stdlib.h>
#include <string.h>

int main(void)
{
	for (int i = 0; i < 4096; i++) {
		char *p = malloc(1 << 20);
		if (!p)
			return 3;
		memset(p, 1, 1 << 20);
	}
	return 0;
}
