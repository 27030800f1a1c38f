/* leaks_many.c: cuatro sitios que reservan memoria y nadie la libera. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cliente {
    int fd;
    char *nombre;
};

struct cliente *nuevo_cliente(const char *nombre)
{
    struct cliente *c = malloc(sizeof *c);

    c->fd = -1;
    c->nombre = strdup(nombre);        /* se pierde con el cliente */
    return c;
}

char *copiar(const char *texto)
{
    return strdup(texto);
}

void preparar(void)
{
    struct cliente *c = nuevo_cliente("ana");
    char *saludo = copiar("hola");
    char *buffer = malloc(100);
    int *numeros = calloc(4, sizeof *numeros);

    buffer[0] = '\0';
    printf("%d %s %s %d\n", c->fd, c->nombre, saludo, numeros[0] + (int)strlen(buffer));
}

int main(void)
{
    preparar();
    return 0;
}
