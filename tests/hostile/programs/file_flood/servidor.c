/* Writes an unlinked temporary file until the file size limit (at most 64 MiB). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char name[] = "/tmp/hostil-XXXXXX", block[65536];
	int fd = mkstemp(name);

	if (fd < 0)
		return 3;
	unlink(name); /* nothing is left behind, whatever the tier */
	memset(block, 'x', sizeof(block));
	for (int i = 0; i < 1024; i++)
		if (write(fd, block, sizeof(block)) < 0)
			return 3;
	return 0;
}
