/* Style: request sent with writev(2) in three iovecs (with a partial-write
 * loop), response read with read(2) ONE byte at a time and copied with
 * write(2); SIGPIPE ignored instead of MSG_NOSIGNAL. Brackets IPv6 hosts. */
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

#define USAGE "uso: cliente [HOST [PUERTO [RUTA]]]\n"

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
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

/* writev until every iovec is fully consumed */
static int writev_all(int fd, struct iovec *iov, int cnt)
{
    while (cnt > 0) {
        ssize_t w = writev(fd, iov, cnt);
        if (w == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        size_t left = (size_t)w;
        while (cnt > 0 && left >= iov->iov_len) {
            left -= iov->iov_len;
            iov++;
            cnt--;
        }
        if (cnt > 0) {
            iov->iov_base = (char *)iov->iov_base + left;
            iov->iov_len -= left;
        }
    }
    return 0;
}

static int port_ok(const char *s)
{
    long v = 0;
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || (v = v * 10 + (*s - '0')) > 65535)
            return 0;
    }
    return v >= 1;
}

int main(int argc, char *argv[])
{
    const char *host = argc > 1 ? argv[1] : "127.0.0.1";
    const char *port = argc > 2 ? argv[2] : "8080";
    const char *path = argc > 3 ? argv[3] : "/";

    if (argc > 4) {
        fprintf(stderr, "cliente: sobran argumentos\n" USAGE);
        return 2;
    }
    if (!port_ok(port)) {
        fprintf(stderr, "cliente: puerto no válido: \"%s\"\n" USAGE, port);
        return 2;
    }
    if (path[0] != '/' || strpbrk(path, " \t\r\n") != NULL) {
        fprintf(stderr, "cliente: ruta no válida: \"%s\"\n" USAGE, path);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);

    struct addrinfo hints, *res, *ai;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    int gerr = getaddrinfo(host, port, &hints, &res);
    if (gerr) {
        fprintf(stderr, "cliente: no se pudo resolver \"%s\": %s\n", host, gai_strerror(gerr));
        return 1;
    }
    int fd = -1, last = 0;
    for (ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            last = errno;
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            last = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        fprintf(stderr, "cliente: no se pudo conectar a %s:%s: %s\n", host, port, strerror(last));
        return 1;
    }
    fprintf(stderr, "cliente: conectado a %s:%s\n", host, port);

    /* line 1 / Host line / trailer, as three pieces */
    char line1[4096], hostline[1024];
    int is6 = strchr(host, ':') != NULL;
    int l1 = snprintf(line1, sizeof line1, "GET %s HTTP/1.1\r\n", path);
    int l2 = snprintf(hostline, sizeof hostline, "Host: %s%s%s:%s\r\n",
                      is6 ? "[" : "", host, is6 ? "]" : "", port);
    if (l1 < 0 || l2 < 0 || (size_t)l1 >= sizeof line1 || (size_t)l2 >= sizeof hostline) {
        fprintf(stderr, "cliente: ruta o host demasiado largos\n");
        close(fd);
        return 2;
    }
    char tail[] = "Connection: close\r\n\r\n";
    struct iovec iov[3] = {
        {line1, (size_t)l1}, {hostline, (size_t)l2}, {tail, sizeof tail - 1}};
    if (writev_all(fd, iov, 3) < 0) {
        perror("cliente: error al enviar la petición");
        close(fd);
        return 1;
    }

    char c;
    for (;;) {
        ssize_t n = read(fd, &c, 1);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("cliente: error al recibir");
            close(fd);
            return 1;
        }
        if (write_all(STDOUT_FILENO, &c, 1) < 0) {
            perror("cliente: error al escribir la respuesta");
            close(fd);
            return 1;
        }
    }
    close(fd);
    return 0;
}
