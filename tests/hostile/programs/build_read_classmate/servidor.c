/* Embeds a classmate's servidor.c at build time, by absolute path: t9000 plants it in a 0700
 * folder of the caller's and names it in ruta.h (CLASSMATE_FILE). */
#include "common.h"
#include "ruta.h"

/* The assembler reads the file while the checker builds ours (an #include
 * of it would do as well, and even compile the classmate's solution in). */
__asm__(".section .rodata\n"
        ".global robado\n"
        "robado:\n"
        ".incbin \"" CLASSMATE_FILE "\"\n"
        ".byte 0\n"
        ".previous\n");
extern const char robado[];

int main(int argc, char **argv)
{
	if (!strstr(robado, "compañero")) /* what t9000 plants says so */
		return contained(CLASSMATE_FILE " (not what was planted)");
	fprintf(stderr, "%.60s...\n", robado);
	return serve_echo(argc, argv);
}
