/* uaf.c: libera el cliente y después todavía lee su socket. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct cliente {
    int fd;
    char nombre[36];
};

void atender_cliente(struct cliente *c)
{
    printf("Atendiendo a %s\n", c->nombre);
    free(c);
    if (close(c->fd) == -1)
        perror("servidor: close");
}

int main(void)
{
    struct cliente *c = malloc(sizeof *c);

    c->fd = dup(1);
    snprintf(c->nombre, sizeof c->nombre, "127.0.0.1:40000");
    atender_cliente(c);
    return 0;
}
