/* global.c: guarda un cliente más de los que caben en un arreglo global. */
#include <stdio.h>

#define MAX_CLIENTES 4

int clientes[MAX_CLIENTES];

void registrar(int *tabla, int posicion, int fd)
{
    tabla[posicion] = fd;
}

int main(int argc, char *argv[])
{
    (void)argv;
    for (int i = 0; i < MAX_CLIENTES + argc; i++)
        registrar(clientes, i, 10 + i);
    printf("%d\n", clientes[0]);
    return 0;
}
