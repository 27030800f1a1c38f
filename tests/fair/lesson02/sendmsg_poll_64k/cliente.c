/* Style: request assembled as an iovec array and sent with sendmsg(2)
 * (MSG_NOSIGNAL, partial-send loop); the response loop waits with poll(2)
 * before every recv into a 64 KiB buffer; errors reported with a helper. */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

enum { BUFSZ = 65536 };

static int fail(const char *what, int err)
{
    fprintf(stderr, "cliente: %s: %s\n", what, strerror(err));
    return 1;
}

static int bad_args(const char *why, const char *arg)
{
    if (arg)
        fprintf(stderr, "cliente: %s: \"%s\"\n", why, arg);
    else
        fprintf(stderr, "cliente: %s\n", why);
    fprintf(stderr, "uso: cliente [HOST [PUERTO [RUTA]]]\n");
    return 2;
}

static int send_iov(int fd, struct iovec *v, size_t n)
{
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = v;
    m.msg_iovlen = n;
    while (m.msg_iovlen > 0) {
        ssize_t s = sendmsg(fd, &m, MSG_NOSIGNAL);
        if (s < 0 && errno == EINTR)
            continue;
        if (s < 0)
            return -1;
        while (m.msg_iovlen > 0 && (size_t)s >= m.msg_iov->iov_len) {
            s -= (ssize_t)m.msg_iov->iov_len;
            m.msg_iov++;
            m.msg_iovlen--;
        }
        if (m.msg_iovlen > 0) {
            m.msg_iov->iov_base = (char *)m.msg_iov->iov_base + s;
            m.msg_iov->iov_len -= (size_t)s;
        }
    }
    return 0;
}

int main(int argc, char *argv[])
{
    if (argc > 4)
        return bad_args("sobran argumentos", NULL);
    const char *host = argc >= 2 ? argv[1] : "127.0.0.1";
    const char *port = argc >= 3 ? argv[2] : "8080";
    const char *path = argc >= 4 ? argv[3] : "/";

    size_t plen = strlen(port);
    unsigned long pv = 0;
    if (plen == 0 || plen > 5 || strspn(port, "0123456789") != plen ||
        (pv = strtoul(port, NULL, 10)) < 1 || pv > 65535)
        return bad_args("puerto no válido", port);
    if (*path != '/' || strchr(path, ' ') != NULL)
        return bad_args("ruta no válida", path);

    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    struct addrinfo *res;
    int g = getaddrinfo(host, port, &hints, &res);
    if (g != 0) {
        fprintf(stderr, "cliente: no se pudo resolver \"%s\": %s\n", host, gai_strerror(g));
        return 1;
    }
    int fd = -1, err = 0;
    for (struct addrinfo *a = res; a != NULL; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd == -1) {
            err = errno;
            continue;
        }
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
            break;
        err = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd == -1) {
        fprintf(stderr, "cliente: no se pudo conectar a %s:%s: %s\n", host, port, strerror(err));
        return 1;
    }
    fprintf(stderr, "cliente: conectado a %s:%s\n", host, port);

    int v6 = strchr(host, ':') != NULL;
    struct iovec req[] = {
        {(void *)"GET ", 4},
        {(void *)path, strlen(path)},
        {(void *)" HTTP/1.1\r\nHost: ", 17},
        {(void *)(v6 ? "[" : ""), v6 ? 1u : 0u},
        {(void *)host, strlen(host)},
        {(void *)(v6 ? "]:" : ":"), v6 ? 2u : 1u},
        {(void *)port, plen},
        {(void *)"\r\nConnection: close\r\n\r\n", 23},
    };
    if (send_iov(fd, req, sizeof req / sizeof req[0]) == -1) {
        int e = errno;
        close(fd);
        return fail("error al enviar la petición", e);
    }

    static char buf[BUFSZ];
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    for (;;) {
        if (poll(&pfd, 1, -1) == -1) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            return fail("poll", e);
        }
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n == -1) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            int e = errno;
            fflush(stdout);
            close(fd);
            return fail("error al recibir", e);
        }
        if (n == 0)
            break;
        if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n) {
            int e = errno;
            close(fd);
            return fail("error al escribir la respuesta", e);
        }
    }
    close(fd);
    if (fflush(stdout) == EOF)
        return fail("error al escribir la respuesta", errno);
    return 0;
}
