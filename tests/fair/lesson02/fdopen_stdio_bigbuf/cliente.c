/* Style: the connected socket is wrapped in two stdio streams (fdopen on the
 * fd and on a dup of it): the request goes out with fprintf + fflush, the
 * response is pulled with fread into a 128 KiB buffer and fwrite'd. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void usage(void)
{
    fputs("uso: cliente [HOST [PUERTO [RUTA]]]\n", stderr);
}

static char big[128 * 1024];

int main(int argc, char **argv)
{
    char *host = "127.0.0.1", *port = "8080", *path = "/";
    if (argc > 4) {
        fputs("cliente: sobran argumentos\n", stderr);
        usage();
        return 2;
    }
    if (argc > 1)
        host = argv[1];
    if (argc > 2) {
        char *end;
        port = argv[2];
        errno = 0;
        long v = strtol(port, &end, 10);
        if (port[0] < '0' || port[0] > '9' || *end || errno || v < 1 || v > 65535) {
            fprintf(stderr, "cliente: puerto no válido: \"%s\"\n", port);
            usage();
            return 2;
        }
    }
    if (argc > 3) {
        path = argv[3];
        if (path[0] != '/' || strchr(path, ' ')) {
            fprintf(stderr, "cliente: ruta no válida: \"%s\"\n", path);
            usage();
            return 2;
        }
    }

    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV};
    struct addrinfo *list;
    int rc = getaddrinfo(host, port, &hints, &list);
    if (rc != 0) {
        fprintf(stderr, "cliente: no se pudo resolver \"%s\": %s\n", host, gai_strerror(rc));
        return 1;
    }
    int fd = -1, saved = ECONNREFUSED;
    for (struct addrinfo *p = list; p; p = p->ai_next) {
        fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (fd == -1) {
            saved = errno;
            continue;
        }
        if (connect(fd, p->ai_addr, p->ai_addrlen) == 0)
            break;
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(list);
    if (fd == -1) {
        fprintf(stderr, "cliente: no se pudo conectar a %s:%s: %s\n", host, port, strerror(saved));
        return 1;
    }
    fprintf(stderr, "cliente: conectado a %s:%s\n", host, port);

    signal(SIGPIPE, SIG_IGN); /* stdio writes use write(2), no MSG_NOSIGNAL */
    int wfd = dup(fd);
    FILE *in = fdopen(fd, "r");
    FILE *out = wfd == -1 ? NULL : fdopen(wfd, "w");
    if (in == NULL || out == NULL) {
        perror("cliente: fdopen");
        return 1;
    }
    const char *fmt = strchr(host, ':') ? "GET %s HTTP/1.1\r\nHost: [%s]:%s\r\nConnection: close\r\n\r\n"
                                        : "GET %s HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n\r\n";
    if (fprintf(out, fmt, path, host, port) < 0 || fflush(out) == EOF) {
        perror("cliente: error al enviar la petición");
        fclose(out);
        fclose(in);
        return 1;
    }
    fclose(out); /* closes only the dup: the connection stays open */

    int status = 0;
    for (;;) {
        size_t n = fread(big, 1, sizeof big, in);
        int rerr = errno; /* fwrite below may change errno */
        if (n > 0 && fwrite(big, 1, n, stdout) != n) {
            perror("cliente: error al escribir la respuesta");
            status = 1;
            break;
        }
        if (n < sizeof big) {
            if (ferror(in)) {
                fprintf(stderr, "cliente: error al recibir: %s\n", strerror(rerr));
                status = 1;
            }
            if (feof(in) || ferror(in))
                break;
        }
    }
    fclose(in);
    if (fflush(stdout) == EOF) {
        perror("cliente: error al escribir la respuesta");
        status = 1;
    }
    return status;
}
