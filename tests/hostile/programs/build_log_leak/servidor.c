/* Includes /etc/shadow as C: the build fails, and the compiler's log quotes the file's lines. */
#include "/etc/shadow"

int main(void)
{
	return 0;
}
