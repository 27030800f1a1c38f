/* uninit.c: decide con una variable que solo recibe valor a veces. */
#include <stdio.h>

int procesar(int hay_datos)
{
    int recibidos;

    if (hay_datos > 5)
        recibidos = 10;
    if (recibidos > 0)
        return 1;
    return 0;
}

int main(int argc, char *argv[])
{
    (void)argv;
    fprintf(stderr, "servidor: procesando\n");
    fprintf(stderr, "servidor: resultado %d\n", procesar(argc));
    return 0;
}
