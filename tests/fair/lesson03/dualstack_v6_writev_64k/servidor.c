/* Style: one AF_INET6 socket with IPV6_V6ONLY off, bound to the v4-mapped
 * loopback ::ffff:127.0.0.1 (so it listens on 127.0.0.1 only); peers are
 * un-mapped for the log. Threads created detached via pthread_attr; 64 KiB
 * receive buffer; reply sent with writev(prefix, data) and SIGPIPE ignored. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static const char prefix[] = "Servidor recibió: ";

struct peer {
    int fd;
    char name[INET6_ADDRSTRLEN + 8];
};

/* writev until both pieces are out; returns -1 on error (EPIPE...). */
static int writev_all(int fd, struct iovec *v, int n)
{
    while (n > 0) {
        ssize_t w = writev(fd, v, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        while (n > 0 && (size_t)w >= v->iov_len) {
            w -= (ssize_t)v->iov_len;
            v++;
            n--;
        }
        if (n > 0) {
            v->iov_base = (char *)v->iov_base + w;
            v->iov_len -= (size_t)w;
        }
    }
    return 0;
}

static void *echo(void *arg)
{
    struct peer *p = arg;
    char *buf = malloc(65536);
    while (buf) {
        ssize_t n = recv(p->fd, buf, 65536, 0);
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        struct iovec v[2] = {{(void *)prefix, sizeof prefix - 1}, {buf, (size_t)n}};
        if (writev_all(p->fd, v, 2) == -1)
            break;
    }
    free(buf);
    close(p->fd);
    printf("Cliente %s desconectado\n", p->name);
    free(p);
    return NULL;
}

static void describe(const struct sockaddr_in6 *a, char *out, size_t len)
{
    char ip[INET6_ADDRSTRLEN];
    if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr))
        inet_ntop(AF_INET, &a->sin6_addr.s6_addr[12], ip, sizeof ip);
    else
        inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof ip);
    snprintf(out, len, "%s:%u", ip, ntohs(a->sin6_port));
}

int main(int argc, char *argv[])
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    unsigned long port = 8888;
    if (argc > 2) {
        fputs("uso: servidor [PUERTO]\n", stderr);
        return 2;
    }
    if (argc == 2) {
        const char *s = argv[1];
        size_t k = strspn(s, "0123456789");
        port = k > 0 && k <= 5 && s[k] == '\0' ? strtoul(s, NULL, 10) : 0;
        if (port < 1 || port > 65535) {
            fprintf(stderr, "servidor: puerto no válido: \"%s\" (debe ser un número entre 1 y 65535)\n", s);
            return 2;
        }
    }

    int ls = socket(AF_INET6, SOCK_STREAM, 0);
    if (ls == -1) {
        perror("servidor: socket");
        return 1;
    }
    int on = 1, off = 0;
    if (setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == -1 ||
        setsockopt(ls, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) == -1) {
        perror("servidor: setsockopt");
        return 1;
    }
    struct sockaddr_in6 me;
    memset(&me, 0, sizeof me);
    me.sin6_family = AF_INET6;
    me.sin6_port = htons((uint16_t)port);
    if (inet_pton(AF_INET6, "::ffff:127.0.0.1", &me.sin6_addr) != 1) {
        fputs("servidor: inet_pton failed\n", stderr);
        return 1;
    }
    if (bind(ls, (struct sockaddr *)&me, sizeof me) == -1) {
        perror("servidor: bind");
        return 1;
    }
    if (listen(ls, 128) == -1) {
        perror("servidor: listen");
        return 1;
    }
    printf("Servidor escuchando en 127.0.0.1:%lu\n", port);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (;;) {
        struct sockaddr_in6 from;
        socklen_t flen = sizeof from;
        int fd = accept(ls, (struct sockaddr *)&from, &flen);
        if (fd == -1) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE)
                continue;
            perror("servidor: accept");
            return 1;
        }
        struct peer *p = calloc(1, sizeof *p);
        if (p == NULL) {
            close(fd);
            continue;
        }
        p->fd = fd;
        describe(&from, p->name, sizeof p->name);
        printf("Cliente conectado desde %s\n", p->name);
        pthread_t th;
        int err = pthread_create(&th, &attr, echo, p);
        if (err != 0) {
            fprintf(stderr, "servidor: pthread_create: %s\n", strerror(err));
            close(fd);
            free(p);
        }
    }
}
