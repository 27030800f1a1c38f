/* Writes binary and invalid UTF-8 to stdout and stderr, then fails. */
#include <unistd.h>

int main(void)
{
	static const char junk[] = "ok \xff\xfe\xc3\x28 \x00\x01\x1b[31m \xed\xa0\x80 fin\n";

	write(1, junk, sizeof(junk) - 1);
	write(2, junk, sizeof(junk) - 1);
	return 1;
}
