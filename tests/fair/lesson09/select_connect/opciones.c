/* opciones.c - style: connect-with-deadline via select() (not poll), sockets
 * created with SOCK_NONBLOCK, a single exit path per mode, stdio via dprintf. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum { OK = 0, FAIL = 1, USAGE = 2, TIMEOUT = 3, REFUSED = 4 };

static void usage(void)
{
    fputs("uso: opciones reutilizar PUERTO\n"
          "     opciones plazo HOST PUERTO MS\n"
          "     opciones sin_bloqueo HOST PUERTO\n"
          "     opciones conectar HOST PUERTO MS\n"
          "     opciones envio HOST PUERTO MS\n", stderr);
}

/* strict decimal in [lo, hi], else -1 */
static long number(const char *s, long lo, long hi)
{
    long v = 0;
    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
        if (v > hi)
            return -1;
    }
    return v < lo ? -1 : v;
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Non-blocking connect, wait with select(), result from SO_ERROR.
 * Returns a blocking fd, or -1 with errno set. */
static int connect_deadline(const char *host, const char *port, long ms)
{
    struct addrinfo hints = {0}, *res;
    int rc, fd = -1, err = 0;

    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "opciones: %s: %s\n", host, gai_strerror(rc));
        errno = EHOSTUNREACH;
        return -1;
    }
    fd = socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK, res->ai_protocol);
    if (fd == -1) {
        err = errno;
        goto out;
    }
    if (connect(fd, res->ai_addr, res->ai_addrlen) == -1) {
        long long end = now_ms() + ms;
        socklen_t len = sizeof err;
        if (errno != EINPROGRESS) {
            err = errno;
            goto out;
        }
        for (;;) {
            long long left = end - now_ms();
            fd_set w;
            struct timeval tv;
            if (left <= 0) {
                err = ETIMEDOUT;
                goto out;
            }
            FD_ZERO(&w);
            FD_SET(fd, &w);
            tv.tv_sec = left / 1000;
            tv.tv_usec = (left % 1000) * 1000;
            rc = select(fd + 1, NULL, &w, NULL, &tv);
            if (rc == -1 && errno == EINTR)
                continue;
            if (rc == -1) {
                err = errno;
                goto out;
            }
            if (rc == 0) {
                err = ETIMEDOUT;
                goto out;
            }
            break;
        }
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
            err = errno;
        if (err != 0)
            goto out;
    }
    /* back to blocking so SO_RCVTIMEO / SO_SNDTIMEO apply */
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1)
        err = errno;
out:
    freeaddrinfo(res);
    if (err != 0) {
        if (fd != -1)
            close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

static int connect_or_complain(const char *host, const char *port)
{
    int fd = connect_deadline(host, port, 5000);
    if (fd == -1)
        fprintf(stderr, "opciones: no se pudo conectar con %s:%s: %s\n", host, port,
                strerror(errno));
    return fd;
}

static void show_first_line(const char *buf, ssize_t n)
{
    const char *nl = memchr(buf, '\n', (size_t)n);
    printf("Recibido: %.*s\n", (int)(nl ? nl - buf : n), buf);
}

static int set_timeout(int fd, int opt, long ms)
{
    struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };
    return setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof tv);
}

static int mode_reuse(const char *port)
{
    struct addrinfo hints = {0}, *res;
    int one = 1, lfd, cfd;

    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    if (getaddrinfo("127.0.0.1", port, &hints, &res) != 0)
        return FAIL;
    lfd = socket(res->ai_family, res->ai_socktype, 0);
    if (lfd == -1 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1 ||
        bind(lfd, res->ai_addr, res->ai_addrlen) == -1 || listen(lfd, 1) == -1) {
        perror("opciones: reutilizar");
        freeaddrinfo(res);
        return FAIL;
    }
    freeaddrinfo(res);
    printf("Escuchando en el puerto %s\n", port);
    fflush(stdout);
    do
        cfd = accept(lfd, NULL, NULL);
    while (cfd == -1 && errno == EINTR);
    if (cfd == -1) {
        perror("opciones: accept");
        close(lfd);
        return FAIL;
    }
    if (send(cfd, "hola\n", 5, MSG_NOSIGNAL) != 5)
        perror("opciones: send");
    close(cfd);               /* we close first: TIME_WAIT stays on our side */
    close(lfd);
    return OK;
}

static int mode_deadline(const char *host, const char *port, long ms)
{
    char buf[1024];
    ssize_t n;
    int fd = connect_or_complain(host, port), e;

    if (fd == -1)
        return FAIL;
    if (set_timeout(fd, SO_RCVTIMEO, ms) == -1) {
        perror("opciones: setsockopt");
        close(fd);
        return FAIL;
    }
    do
        n = recv(fd, buf, sizeof buf, 0);
    while (n == -1 && errno == EINTR);
    e = errno;
    close(fd);
    if (n == -1 && (e == EAGAIN || e == EWOULDBLOCK)) {
        printf("Plazo agotado: no llegó nada en %ld ms\n", ms);
        return TIMEOUT;
    }
    if (n == -1) {
        fprintf(stderr, "opciones: recv: %s\n", strerror(e));
        return FAIL;
    }
    if (n == 0) {
        fprintf(stderr, "opciones: el otro lado cerró sin enviar nada\n");
        return FAIL;
    }
    show_first_line(buf, n);
    return OK;
}

static int mode_nonblock(const char *host, const char *port)
{
    char buf[1024];
    ssize_t n;
    int fd = connect_or_complain(host, port), fl;

    if (fd == -1)
        return FAIL;
    fl = fcntl(fd, F_GETFL);
    if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1) {
        perror("opciones: fcntl");
        close(fd);
        return FAIL;
    }
    n = recv(fd, buf, sizeof buf, 0);
    if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int r;
        printf("No hay datos todavía\n");
        fflush(stdout);
        do
            r = poll(&p, 1, 5000);
        while (r == -1 && errno == EINTR);
        if (r <= 0) {
            fprintf(stderr, "opciones: no llegó nada en 5000 ms\n");
            close(fd);
            return r == 0 ? TIMEOUT : FAIL;
        }
        n = recv(fd, buf, sizeof buf, 0);
    }
    close(fd);
    if (n <= 0) {
        fprintf(stderr, "opciones: recv: %s\n", n == 0 ? "el otro lado cerró" : strerror(errno));
        return FAIL;
    }
    show_first_line(buf, n);
    return OK;
}

static int mode_connect(const char *host, const char *port, long ms)
{
    int fd = connect_deadline(host, port, ms), e = errno;

    if (fd != -1) {
        printf("Conectado a %s:%s\n", host, port);
        close(fd);
        return OK;
    }
    if (e == ETIMEDOUT) {
        printf("Sin respuesta de %s:%s en %ld ms\n", host, port, ms);
        return TIMEOUT;
    }
    if (e == ECONNREFUSED) {
        printf("Conexión rechazada por %s:%s\n", host, port);
        return REFUSED;
    }
    fprintf(stderr, "opciones: connect: %s\n", strerror(e));
    return FAIL;
}

static int mode_send(const char *host, const char *port, long ms)
{
    static char block[65536];
    long long total = 0;
    int fd = connect_or_complain(host, port);

    if (fd == -1)
        return FAIL;
    if (set_timeout(fd, SO_SNDTIMEO, ms) == -1) {
        perror("opciones: setsockopt");
        close(fd);
        return FAIL;
    }
    memset(block, 'z', sizeof block);
    for (;;) {
        ssize_t n = send(fd, block, sizeof block, MSG_NOSIGNAL);
        int e = errno;
        if (n > 0) {
            total += n;
            continue;
        }
        if (n == -1 && e == EINTR)
            continue;
        close(fd);
        if (n == -1 && (e == EAGAIN || e == EWOULDBLOCK)) {
            printf("Envío bloqueado: el otro lado no lee (%lld bytes enviados; plazo de %ld ms)\n",
                   total, ms);
            return TIMEOUT;
        }
        fprintf(stderr, "opciones: send: %s\n", strerror(e));
        return FAIL;
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    long ms = -1;

    if (strcmp(mode, "reutilizar") == 0 && argc == 3 && number(argv[2], 1, 65535) > 0)
        return mode_reuse(argv[2]);
    if (strcmp(mode, "sin_bloqueo") == 0 && argc == 4 && number(argv[3], 1, 65535) > 0)
        return mode_nonblock(argv[2], argv[3]);
    if (argc == 5 && number(argv[3], 1, 65535) > 0)
        ms = number(argv[4], 1, 600000);
    if (ms > 0 && strcmp(mode, "plazo") == 0)
        return mode_deadline(argv[2], argv[3], ms);
    if (ms > 0 && strcmp(mode, "conectar") == 0)
        return mode_connect(argv[2], argv[3], ms);
    if (ms > 0 && strcmp(mode, "envio") == 0)
        return mode_send(argv[2], argv[3], ms);
    usage();
    return USAGE;
}
