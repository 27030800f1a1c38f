/* cliente.c - style: connect deadline waited with epoll, then a BLOCKING
 * socket whose SO_RCVTIMEO is re-armed with the time left before every recv,
 * reading the reply one byte per recv (tiny buffer). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define DEADLINE_MS 1000
#define LINE_MAX_BYTES 512

enum exit_code { EX_FINE = 0, EX_OTHER = 1, EX_USAGE = 2, EX_NONAME = 3,
                 EX_REFUSED = 4, EX_TIMEOUT = 5, EX_RESET = 6, EX_SHORT = 7 };

static long long clock_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int port_ok(const char *s)
{
    char *end;
    long v;
    if (*s < '0' || *s > '9')
        return 0;
    errno = 0;
    v = strtol(s, &end, 10);
    return errno == 0 && *end == '\0' && v >= 1 && v <= 65535;
}

/* One address, non-blocking connect, wait for EPOLLOUT until deadline. */
static int try_connect(const struct addrinfo *ai, long long deadline)
{
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK, ai->ai_protocol);
    int err = 0, ep = -1;
    socklen_t len = sizeof err;

    if (fd == -1)
        return -1;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
        struct epoll_event ev = { .events = EPOLLOUT }, got;
        int n;
        if (errno != EINPROGRESS) {
            err = errno;
            goto done;
        }
        ep = epoll_create1(0);
        if (ep == -1 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
            err = errno;
            goto done;
        }
        do {
            long long left = deadline - clock_ms();
            n = left > 0 ? epoll_wait(ep, &got, 1, (int)left) : 0;
        } while (n == -1 && errno == EINTR);
        if (n == 0)
            err = ETIMEDOUT;
        else if (n == -1)
            err = errno;
        else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
            err = errno;
    }
done:
    if (ep != -1)
        close(ep);
    if (err == 0 && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1)
        err = errno;
    if (err != 0) {
        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

static enum exit_code report(const char *host, const char *port, int err)
{
    if (err == ECONNREFUSED) {
        fprintf(stderr, "cliente: nadie escucha en %s:%s (conexión rechazada)\n", host, port);
        return EX_REFUSED;
    }
    if (err == ETIMEDOUT) {
        fprintf(stderr, "cliente: %s:%s no respondió en %d ms\n", host, port, DEADLINE_MS);
        return EX_TIMEOUT;
    }
    if (err == ECONNRESET) {
        fprintf(stderr, "cliente: %s:%s cortó la conexión de golpe (reset)\n", host, port);
        return EX_RESET;
    }
    fprintf(stderr, "cliente: %s:%s: %s\n", host, port, strerror(err));
    return EX_OTHER;
}

/* Reads byte by byte until '\n'; the whole line must arrive before deadline.
 * Returns line length, or -1 with errno (EPIPE = closed early, *got = bytes). */
static ssize_t read_line(int fd, char *buf, size_t cap, long long deadline, size_t *got)
{
    *got = 0;
    for (;;) {
        long long left = deadline - clock_ms();
        struct timeval tv;
        ssize_t n;

        if (left <= 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        tv.tv_sec = left / 1000;
        tv.tv_usec = (left % 1000) * 1000;
        if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == -1)
            return -1;
        n = recv(fd, buf + *got, 1, 0);
        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            errno = ETIMEDOUT;
            return -1;
        }
        if (n == -1)
            return -1;
        if (n == 0) {
            errno = EPIPE;
            return -1;
        }
        if (buf[*got] == '\n')
            return (ssize_t)*got;
        if (++*got == cap) {
            errno = EMSGSIZE;
            return -1;
        }
    }
}

int main(int argc, char **argv)
{
    struct addrinfo hints, *res, *ai;
    char line[LINE_MAX_BYTES];
    const char *host, *port;
    long long deadline;
    int fd = -1, err = 0, g;
    size_t got;
    ssize_t n;
    enum exit_code rc;

    if (argc != 3 || !port_ok(argv[2])) {
        fprintf(stderr, "uso: cliente HOST PUERTO\n");
        return EX_USAGE;
    }
    host = argv[1];
    port = argv[2];
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    g = getaddrinfo(host, port, &hints, &res);
    if (g != 0) {
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host, gai_strerror(g));
        return EX_NONAME;
    }
    deadline = clock_ms() + DEADLINE_MS;
    for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next)
        if ((fd = try_connect(ai, deadline)) == -1)
            err = errno;
    freeaddrinfo(res);
    if (fd == -1)
        return report(host, port, err);

    deadline = clock_ms() + DEADLINE_MS;
    if (send(fd, "FRASE\n", 6, MSG_NOSIGNAL) == -1) {
        rc = report(host, port, errno);
    } else if ((n = read_line(fd, line, sizeof line, deadline, &got)) == -1) {
        if (errno == EPIPE) {
            fprintf(stderr, "cliente: %s:%s cerró la conexión antes de terminar la respuesta "
                    "(llegaron %zu bytes sin el final de línea)\n", host, port, got);
            rc = EX_SHORT;
        } else {
            rc = report(host, port, errno);
        }
    } else {
        printf("Respuesta: %.*s\n", (int)n, line);
        rc = EX_FINE;
    }
    close(fd);
    return rc;
}
