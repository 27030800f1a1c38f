/* strlen_nul.c: una cadena sin '\0' que strlen recorre hasta salirse. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char *nombre = malloc(4);

    memcpy(nombre, "hola", 4);
    printf("%zu\n", strlen(nombre));
    free(nombre);
    return 0;
}
