/* heap_read.c: recorre un arreglo de malloc con <= en vez de <. */
#include <stdio.h>
#include <stdlib.h>

int sumar_puertos(const int *puertos, int n)
{
    int suma = 0;

    for (int i = 0; i <= n; i++)
        suma += puertos[i];
    return suma;
}

int main(int argc, char *argv[])
{
    int n = 3 + argc;
    int *puertos = malloc(n * sizeof(int));

    (void)argv;
    for (int i = 0; i < n; i++)
        puertos[i] = 5000 + i;
    printf("%d\n", sumar_puertos(puertos, n));
    free(puertos);
    return 0;
}
