/* Style: legal HTTP spelling variations: lowercase/mixed-case header names
 * and extra valid headers (User-Agent, Accept) around the required Host and
 * Connection; request sent with a single send() of an snprintf buffer, and
 * the response read with a 5-byte buffer and copied with write(2). */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, fmt, arg);
    fputs("uso: cliente [HOST [PUERTO [RUTA]]]\n", stderr);
    return 2;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t s = send(fd, p, n, MSG_NOSIGNAL);
        if (s == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += s;
        n -= (size_t)s;
    }
    return 0;
}

static int write_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(int argc, char *argv[])
{
    if (argc > 4)
        return usage_error("cliente: sobran argumentos%s\n", "");
    const char *host = argc > 1 ? argv[1] : "127.0.0.1";
    const char *port = argc > 2 ? argv[2] : "8080";
    const char *path = argc > 3 ? argv[3] : "/";
    char *end;
    errno = 0;
    long pv = strtol(port, &end, 10);
    if (port[0] < '0' || port[0] > '9' || *end != '\0' || errno != 0 || pv < 1 || pv > 65535)
        return usage_error("cliente: puerto no válido: \"%s\"\n", port);
    if (path[0] != '/' || strchr(path, ' ') != NULL)
        return usage_error("cliente: ruta no válida: \"%s\"\n", path);

    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    struct addrinfo *list;
    int gai = getaddrinfo(host, port, &hints, &list);
    if (gai != 0) {
        fprintf(stderr, "cliente: no se pudo resolver \"%s\": %s\n", host, gai_strerror(gai));
        return 1;
    }
    int fd = -1, last = 0;
    for (struct addrinfo *p = list; p != NULL && fd == -1; p = p->ai_next) {
        fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (fd == -1) {
            last = errno;
            continue;
        }
        if (connect(fd, p->ai_addr, p->ai_addrlen) == -1) {
            last = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(list);
    if (fd == -1) {
        fprintf(stderr, "cliente: no se pudo conectar a %s:%s: %s\n", host, port, strerror(last));
        return 1;
    }
    fprintf(stderr, "cliente: conectado a %s:%s\n", host, port);

    /* Header names are case-insensitive in HTTP; extra headers are allowed. */
    int v6 = strchr(host, ':') != NULL;
    char *req = NULL;
    int len = asprintf(&req,
                       "GET %s HTTP/1.1\r\n"
                       "host: %s%s%s:%s\r\n"
                       "User-Agent: aprendiz-cliente/0.1\r\n"
                       "ACCEPT: */*\r\n"
                       "connection: close\r\n"
                       "\r\n",
                       path, v6 ? "[" : "", host, v6 ? "]" : "", port);
    if (len < 0) {
        perror("cliente: asprintf");
        close(fd);
        return 1;
    }
    if (send_all(fd, req, (size_t)len) == -1) {
        perror("cliente: error al enviar la petición");
        free(req);
        close(fd);
        return 1;
    }
    free(req);

    char buf[5];
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1) {
            perror("cliente: error al recibir");
            close(fd);
            return 1;
        }
        if (n == 0)
            break;
        if (write_all(buf, (size_t)n) == -1) {
            perror("cliente: error al escribir la respuesta");
            close(fd);
            return 1;
        }
    }
    close(fd);
    return 0;
}
