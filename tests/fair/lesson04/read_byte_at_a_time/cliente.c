/* Style: plain read(2)/write(2) on the socket with SIGPIPE ignored; the
 * expected reply is collected ONE byte per read() call, and each complete
 * reply is printed with a single writev(2) of "Respuesta: ", data, "\n". */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define PREFIX "Servidor recibió: "
#define MAXMSG 1024

static const char *defaults[] = {"Hola servidor!", "¿Cómo estás?", "Enviando datos", "Adiós"};

static int usage(void)
{
    fprintf(stderr, "uso: cliente [HOST PUERTO [MENSAJE...]]\n");
    return 2;
}

static int put_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* stdout: one writev, retried from where it stopped */
static int print_reply(const char *data, size_t n)
{
    struct iovec v[3] = {{(void *)"Respuesta: ", 11}, {(void *)data, n}, {(void *)"\n", 1}};
    struct iovec *p = v;
    int cnt = 3;
    while (cnt) {
        ssize_t w = writev(STDOUT_FILENO, p, cnt);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        while (cnt && (size_t)w >= p->iov_len) {
            w -= (ssize_t)p->iov_len;
            p++;
            cnt--;
        }
        if (cnt) {
            p->iov_base = (char *)p->iov_base + w;
            p->iov_len -= (size_t)w;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1", *port = "8888";
    const char **msgs = defaults;
    int nmsgs = 4;

    if (argc == 2) {
        fprintf(stderr, "cliente: falta el puerto\n");
        return usage();
    }
    if (argc >= 3) {
        host = argv[1];
        port = argv[2];
        char *end;
        errno = 0;
        long v = strtol(port, &end, 10);
        if (port[0] < '0' || port[0] > '9' || *end || errno || v < 1 || v > 65535) {
            fprintf(stderr, "cliente: puerto no válido: \"%s\"\n", port);
            return usage();
        }
        if (argc > 3) {
            msgs = (const char **)&argv[3];
            nmsgs = argc - 3;
        }
    }
    for (int i = 0; i < nmsgs; i++) {
        size_t l = strlen(msgs[i]);
        if (l == 0 || l > MAXMSG) {
            fprintf(stderr, "cliente: cada mensaje debe tener entre 1 y %d bytes\n", MAXMSG);
            return usage();
        }
    }
    signal(SIGPIPE, SIG_IGN);

    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int g = getaddrinfo(host, port, &hints, &res);
    if (g) {
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host, gai_strerror(g));
        return 1;
    }
    int fd = -1, err = 0;
    for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
        if ((fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol)) < 0) {
            err = errno;
            continue;
        }
        if (connect(fd, a->ai_addr, a->ai_addrlen) < 0) {
            err = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        fprintf(stderr, "cliente: no se pudo conectar con %s:%s: %s\n", host, port, strerror(err));
        return 1;
    }

    char reply[sizeof PREFIX - 1 + MAXMSG];
    for (int i = 0; i < nmsgs; i++) {
        size_t len = strlen(msgs[i]);
        if (put_all(fd, msgs[i], len) < 0) {
            perror("cliente: send");
            close(fd);
            return 1;
        }
        size_t want = sizeof PREFIX - 1 + len, got = 0;
        while (got < want) {
            ssize_t n = read(fd, reply + got, 1);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                perror("cliente: recv");
                close(fd);
                return 1;
            }
            if (n == 0) {
                fprintf(stderr, "cliente: el servidor cerró la conexión antes de responder "
                                "(llegaron %zu de %zu bytes)\n", got, want);
                close(fd);
                return 1;
            }
            got++;
        }
        if (print_reply(reply, want) < 0) {
            perror("cliente: stdout");
            close(fd);
            return 1;
        }
    }
    close(fd);
    return 0;
}
