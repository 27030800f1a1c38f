/* Floods stdout (at most 1 GiB). */
#include <string.h>
#include <unistd.h>

int main(void)
{
	char line[4096];

	memset(line, 'x', sizeof(line));
	for (int i = 0; i < (1 << 18); i++)
		if (write(1, line, sizeof(line)) < 0)
			return 3;
	return 0;
}
