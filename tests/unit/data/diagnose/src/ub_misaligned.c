/* ub_misaligned.c: lee un uint32_t de un buffer de char en una posición impar. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

uint32_t leer_largo(const char *mensaje)
{
    return *(const uint32_t *)(mensaje + 1);
}

int main(int argc, char *argv[])
{
    char mensaje[16];

    (void)argv;
    memset(mensaje, argc, sizeof mensaje);
    printf("%u\n", (unsigned)leer_largo(mensaje));
    return 0;
}
