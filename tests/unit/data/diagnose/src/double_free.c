/* double_free.c: el hilo libera el cliente y main lo vuelve a liberar. */
#include <stdio.h>
#include <stdlib.h>

struct cliente {
    int fd;
    char nombre[36];
};

void cerrar_cliente(struct cliente *c)
{
    printf("Cliente %d desconectado\n", c->fd);
    free(c);
}

int main(void)
{
    struct cliente *c = malloc(sizeof *c);

    c->fd = 4;
    cerrar_cliente(c);
    free(c);
    return 0;
}
