/* Embeds /etc/shadow at build time (.incbin): the build must not read host files. */
#include "common.h"

/* The assembler reads the file while the checker builds the program. */
__asm__(".section .rodata\n"
        ".global robado\n"
        "robado:\n"
        ".incbin \"/etc/shadow\"\n"
        ".global robado_fin\n"
        "robado_fin:\n"
        ".byte 0\n"
        ".previous\n");
extern const char robado[], robado_fin[];

int main(int argc, char **argv)
{
	/* A shadow file has lines "user:hash:...": an empty stand-in is no theft. */
	if (robado_fin - robado < 8 || !memchr(robado, ':', (size_t)(robado_fin - robado)))
		return contained("/etc/shadow (empty at build time)");
	fprintf(stderr, "%.*s...\n", 8, robado);
	return serve_echo(argc, argv);
}
