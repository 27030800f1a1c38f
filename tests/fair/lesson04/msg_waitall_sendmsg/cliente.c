/* Style: each message leaves with sendmsg(2) (MSG_NOSIGNAL) and its reply is
 * read with recv(..., MSG_WAITALL) into a malloc'd buffer sized for it (still
 * looping, since MSG_WAITALL may return early on signals or close); the
 * default messages live in a compound literal; host may be IPv4 or IPv6. */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static const char PREFIJO[] = "Servidor recibió: ";
#define LP (sizeof PREFIJO - 1)

static void uso(void)
{
    fputs("uso: cliente [HOST PUERTO [MENSAJE...]]\n", stderr);
}

static int sendmsg_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        struct iovec v = {(void *)data, len};
        struct msghdr m = {.msg_iov = &v, .msg_iovlen = 1};
        ssize_t n = sendmsg(fd, &m, MSG_NOSIGNAL);
        if (n == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* returns bytes received (== len unless the peer closed), or -1 */
static ssize_t recv_waitall(int fd, char *buf, size_t len)
{
    size_t have = 0;
    while (have < len) {
        ssize_t n = recv(fd, buf + have, len - have, MSG_WAITALL);
        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1)
            return -1;
        if (n == 0)
            break;
        have += (size_t)n;
    }
    return (ssize_t)have;
}

static int conectar(const char *host, const char *puerto)
{
    struct addrinfo h = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                         .ai_flags = AI_NUMERICSERV}, *lista;
    int e = getaddrinfo(host, puerto, &h, &lista);
    if (e != 0) {
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host, gai_strerror(e));
        return -1;
    }
    int fd = -1, ult = ECONNREFUSED;
    for (struct addrinfo *p = lista; p; p = p->ai_next) {
        fd = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC, p->ai_protocol);
        if (fd == -1) {
            ult = errno;
            continue;
        }
        if (connect(fd, p->ai_addr, p->ai_addrlen) == 0)
            break;
        ult = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(lista);
    if (fd == -1)
        fprintf(stderr, "cliente: no se pudo conectar con %s:%s: %s\n", host, puerto, strerror(ult));
    return fd;
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 2) {
        fprintf(stderr, "cliente: si das HOST, da también PUERTO\n");
        uso();
        return 2;
    }
    const char *host = argc > 1 ? argv[1] : "127.0.0.1";
    const char *puerto = argc > 2 ? argv[2] : "8888";
    size_t pl = strlen(puerto);
    if (pl == 0 || pl > 5 || strspn(puerto, "0123456789") != pl ||
        atol(puerto) < 1 || atol(puerto) > 65535) {
        fprintf(stderr, "cliente: puerto no válido: \"%s\"\n", puerto);
        uso();
        return 2;
    }
    char *const *mensajes = argc > 3 ? argv + 3
        : (char *const[]){"Hola servidor!", "¿Cómo estás?", "Enviando datos", "Adiós"};
    int cuantos = argc > 3 ? argc - 3 : 4;
    for (int i = 0; i < cuantos; i++) {
        size_t l = strlen(mensajes[i]);
        if (l < 1 || l > 1024) {
            fprintf(stderr, "cliente: el mensaje %d tiene %zu bytes (entre 1 y 1024)\n", i + 1, l);
            uso();
            return 2;
        }
    }

    int fd = conectar(host, puerto);
    if (fd == -1)
        return 1;
    int estado = 0;
    for (int i = 0; i < cuantos && estado == 0; i++) {
        size_t l = strlen(mensajes[i]), esperado = LP + l;
        if (sendmsg_all(fd, mensajes[i], l) == -1) {
            perror("cliente: send");
            estado = 1;
            break;
        }
        char *r = malloc(esperado);
        if (r == NULL) {
            perror("cliente: malloc");
            estado = 1;
            break;
        }
        ssize_t n = recv_waitall(fd, r, esperado);
        if (n == -1) {
            perror("cliente: recv");
            estado = 1;
        } else if ((size_t)n < esperado) {
            fprintf(stderr, "cliente: el servidor cerró la conexión antes de responder "
                    "(llegaron %zd de %zu bytes)\n", n, esperado);
            estado = 1;
        } else {
            fputs("Respuesta: ", stdout);
            fwrite(r, 1, esperado, stdout);
            putchar('\n');
        }
        free(r);
    }
    close(fd);
    if (fflush(stdout) == EOF)
        estado = 1;
    return estado;
}
