/* leak.c: reserva una estructura por cliente y nunca la libera. */
#include <stdio.h>
#include <stdlib.h>

struct cliente {
    int fd;
    char nombre[36];
};

struct cliente *nuevo_cliente(int fd)
{
    struct cliente *c = malloc(sizeof *c);

    c->fd = fd;
    snprintf(c->nombre, sizeof c->nombre, "cliente %d", fd);
    return c;
}

int main(void)
{
    for (int fd = 4; fd < 7; fd++) {
        struct cliente *c = nuevo_cliente(fd);

        printf("Atendiendo a %s\n", c->nombre);
    }
    fprintf(stderr, "servidor: fin\n");
    return 0;
}
