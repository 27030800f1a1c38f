/* opciones.c - style: ioctl(FIONBIO) instead of fcntl, tries every address
 * getaddrinfo returns (IPv6 or IPv4) within one deadline, writev() of sixteen
 * 4 KiB pieces per 64 KiB block, raw sockaddr_in server with listen(fd, 5). */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define USAGE_TEXT "uso: opciones reutilizar PUERTO\n" \
                   "     opciones plazo HOST PUERTO MS\n" \
                   "     opciones sin_bloqueo HOST PUERTO\n" \
                   "     opciones conectar HOST PUERTO MS\n" \
                   "     opciones envio HOST PUERTO MS\n"

static long parse(const char *s, long max)
{
    char *end;
    long v;
    if (s[0] < '0' || s[0] > '9')
        return 0;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v < 1 || v > max)
        return 0;
    return v;
}

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int nbio(int fd, int on)
{
    return ioctl(fd, FIONBIO, &on);
}

/* Try each address in turn, all within one deadline of ms milliseconds. */
static int dial(const char *host, const char *port, long ms)
{
    struct addrinfo hints, *list, *p;
    long long deadline;
    int err = ETIMEDOUT, g;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    g = getaddrinfo(host, port, &hints, &list);
    if (g != 0) {
        fprintf(stderr, "opciones: no se pudo resolver %s: %s\n", host, gai_strerror(g));
        errno = EINVAL;
        return -1;
    }
    deadline = mono_ms() + ms;
    for (p = list; p != NULL; p = p->ai_next) {
        int fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (fd == -1) {
            err = errno;
            continue;
        }
        if (nbio(fd, 1) == -1) {
            err = errno;
            close(fd);
            continue;
        }
        if (connect(fd, p->ai_addr, p->ai_addrlen) == -1) {
            struct pollfd pfd = { .fd = fd, .events = POLLOUT };
            int r;
            socklen_t len = sizeof err;
            if (errno != EINPROGRESS) {
                err = errno;
                close(fd);
                continue;
            }
            do {
                long long left = deadline - mono_ms();
                r = left > 0 ? poll(&pfd, 1, (int)left) : 0;
            } while (r == -1 && errno == EINTR);
            if (r <= 0) {
                err = r == 0 ? ETIMEDOUT : errno;
                close(fd);
                if (r == 0)
                    break;          /* no time left for the other addresses */
                continue;
            }
            if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
                err = errno;
            if (err != 0) {
                close(fd);
                continue;
            }
        }
        nbio(fd, 0);
        freeaddrinfo(list);
        return fd;
    }
    freeaddrinfo(list);
    errno = err;
    return -1;
}

static int dial5(const char *host, const char *port)
{
    int fd = dial(host, port, 5000);
    if (fd < 0)
        fprintf(stderr, "opciones: no se pudo conectar con %s:%s: %s\n", host, port,
                strerror(errno));
    return fd;
}

static int timeout_opt(int fd, int which, long ms)
{
    struct timeval tv;
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return setsockopt(fd, SOL_SOCKET, which, &tv, sizeof tv);
}

static void print_line(const char *d, ssize_t n)
{
    ssize_t i = 0;
    while (i < n && d[i] != '\n')
        i++;
    printf("Recibido: %.*s\n", (int)i, d);
}

static int reutilizar(long port)
{
    struct sockaddr_in a;
    int one = 1, s, c;

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) {
        perror("opciones: socket");
        return 1;
    }
    if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 5) < 0) {
        perror("opciones: reutilizar");
        close(s);
        return 1;
    }
    printf("Escuchando en el puerto %ld\n", port);
    while ((c = accept(s, NULL, NULL)) < 0 && errno == EINTR)
        ;
    if (c < 0) {
        perror("opciones: accept");
        close(s);
        return 1;
    }
    if (write(c, "hola\n", 5) != 5)
        perror("opciones: write");
    close(c);
    close(s);
    return 0;
}

static int plazo(const char *h, const char *p, long ms)
{
    char d[4096];
    ssize_t n;
    int fd = dial5(h, p), e;

    if (fd < 0)
        return 1;
    if (timeout_opt(fd, SO_RCVTIMEO, ms) < 0) {
        perror("opciones: setsockopt");
        close(fd);
        return 1;
    }
    while ((n = recv(fd, d, sizeof d, 0)) < 0 && errno == EINTR)
        ;
    e = errno;
    close(fd);
    if (n < 0 && (e == EAGAIN || e == EWOULDBLOCK)) {
        printf("Plazo agotado: no llegó nada en %ld ms\n", ms);
        return 3;
    }
    if (n <= 0) {
        fprintf(stderr, "opciones: %s\n", n == 0 ? "el otro lado cerró sin enviar nada" : strerror(e));
        return 1;
    }
    print_line(d, n);
    return 0;
}

static int sin_bloqueo(const char *h, const char *p)
{
    char d[4096];
    ssize_t n;
    int fd = dial5(h, p);

    if (fd < 0)
        return 1;
    if (nbio(fd, 1) < 0) {
        perror("opciones: ioctl");
        close(fd);
        return 1;
    }
    n = recv(fd, d, sizeof d, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        long long deadline = mono_ms() + 5000;
        int r;
        puts("No hay datos todavía");
        do {
            long long left = deadline - mono_ms();
            r = left > 0 ? poll(&pfd, 1, (int)left) : 0;
        } while (r < 0 && errno == EINTR);
        if (r <= 0) {
            fprintf(stderr, "opciones: no llegó nada en 5000 ms\n");
            close(fd);
            return 3;
        }
        n = recv(fd, d, sizeof d, 0);
    }
    close(fd);
    if (n <= 0) {
        fprintf(stderr, "opciones: recv: %s\n", n == 0 ? "cerrada" : strerror(errno));
        return 1;
    }
    print_line(d, n);
    return 0;
}

static int conectar(const char *h, const char *p, long ms)
{
    int fd = dial(h, p, ms), e = errno;

    if (fd >= 0) {
        close(fd);
        printf("Conectado a %s:%s\n", h, p);
        return 0;
    }
    switch (e) {
    case ETIMEDOUT:
        printf("Sin respuesta de %s:%s en %ld ms\n", h, p, ms);
        return 3;
    case ECONNREFUSED:
        printf("Conexión rechazada por %s:%s\n", h, p);
        return 4;
    default:
        fprintf(stderr, "opciones: %s:%s: %s\n", h, p, strerror(e));
        return 1;
    }
}

static int envio(const char *h, const char *p, long ms)
{
    static char piece[4096];
    struct iovec iov[16];
    long long sent = 0;
    int fd = dial5(h, p), i;

    if (fd < 0)
        return 1;
    if (timeout_opt(fd, SO_SNDTIMEO, ms) < 0) {
        perror("opciones: setsockopt");
        close(fd);
        return 1;
    }
    memset(piece, '#', sizeof piece);
    for (i = 0; i < 16; i++) {
        iov[i].iov_base = piece;
        iov[i].iov_len = sizeof piece;
    }
    for (;;) {
        ssize_t n = writev(fd, iov, 16);    /* one 64 KiB block */
        if (n > 0) {
            sent += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            close(fd);
            printf("Envío bloqueado: el otro lado no lee (%lld bytes enviados; plazo de %ld ms)\n",
                   sent, ms);
            return 3;
        }
        perror("opciones: writev");
        close(fd);
        return 1;
    }
}

int main(int argc, char *argv[])
{
    signal(SIGPIPE, SIG_IGN);           /* writev has no MSG_NOSIGNAL */
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 2) {
        const char *m = argv[1];
        if (!strcmp(m, "reutilizar") && argc == 3 && parse(argv[2], 65535))
            return reutilizar(parse(argv[2], 65535));
        if (!strcmp(m, "sin_bloqueo") && argc == 4 && parse(argv[3], 65535))
            return sin_bloqueo(argv[2], argv[3]);
        if (argc == 5 && parse(argv[3], 65535) && parse(argv[4], 600000)) {
            long ms = parse(argv[4], 600000);
            if (!strcmp(m, "plazo"))
                return plazo(argv[2], argv[3], ms);
            if (!strcmp(m, "conectar"))
                return conectar(argv[2], argv[3], ms);
            if (!strcmp(m, "envio"))
                return envio(argv[2], argv[3], ms);
        }
    }
    fputs(USAGE_TEXT, stderr);
    return 2;
}
