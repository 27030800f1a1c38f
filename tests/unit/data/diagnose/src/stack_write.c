/* stack_write.c: copia un nombre a un arreglo local sin sitio para el '\0'. */
#include <stdio.h>
#include <string.h>

void copiar_nombre(char *destino, const char *quien)
{
    size_t i;

    for (i = 0; quien[i] != '\0'; i++)
        destino[i] = quien[i];
    destino[i] = '\0';
}

void saludar(const char *quien)
{
    char nombre[8];

    copiar_nombre(nombre, quien);
    printf("Hola, %s\n", nombre);
}

int main(int argc, char *argv[])
{
    (void)argv;
    saludar(argc > 5 ? "Ana" : "Servidor");
    return 0;
}
