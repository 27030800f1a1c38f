/* syscall_uninit.c: envía todo el buffer, no solo los bytes que llenó. */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void responder(int fd)
{
    char respuesta[64];

    memcpy(respuesta, "hola", 4);
    send(fd, respuesta, sizeof respuesta, 0);
}

int main(void)
{
    int par[2];

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, par) == -1)
        return 1;
    responder(par[0]);
    close(par[0]);
    close(par[1]);
    return 0;
}
