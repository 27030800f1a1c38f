/* UDP echo server, style: one AF_INET6 dual-stack socket (IPV6_V6ONLY off)
 * bound to ::ffff:127.0.0.1, driven by an epoll loop. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXD 65507
static char buf[5 + MAXD];

static int parse_port(const char *s)
{
    char *end;
    long v;
    if (s[0] < '0' || s[0] > '9')
        return 0;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v < 1 || v > 65535)
        return 0;
    return (int)v;
}

/* "127.0.0.1:port" for v4-mapped peers, "[addr]:port" otherwise */
static void describe(const struct sockaddr_in6 *a, char *out, size_t len)
{
    char ip[INET6_ADDRSTRLEN];
    if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) {
        inet_ntop(AF_INET, &a->sin6_addr.s6_addr[12], ip, sizeof ip);
        snprintf(out, len, "%s:%u", ip, ntohs(a->sin6_port));
    } else {
        inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof ip);
        snprintf(out, len, "[%s]:%u", ip, ntohs(a->sin6_port));
    }
}

int main(int argc, char **argv)
{
    int port = 9999;
    if (argc > 2) {
        fprintf(stderr, "uso: servidor [PUERTO]\n");
        return 2;
    }
    if (argc == 2 && (port = parse_port(argv[1])) == 0) {
        fprintf(stderr, "servidor: puerto no válido: %s\nuso: servidor [PUERTO]\n", argv[1]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    int fd = socket(AF_INET6, SOCK_DGRAM, 0);
    if (fd == -1) {
        perror("servidor: socket");
        return 1;
    }
    int off = 0;
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) == -1) {
        perror("servidor: setsockopt");
        return 1;
    }
    struct sockaddr_in6 me;
    memset(&me, 0, sizeof me);
    me.sin6_family = AF_INET6;
    me.sin6_port = htons((unsigned short)port);
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &me.sin6_addr);
    if (bind(fd, (struct sockaddr *)&me, sizeof me) == -1) {
        perror("servidor: bind");
        return 1;
    }
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    if (ep == -1 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
        perror("servidor: epoll");
        return 1;
    }
    printf("Servidor UDP escuchando en 127.0.0.1:%d\n", port);
    memcpy(buf, "Eco: ", 5);

    for (;;) {
        struct epoll_event got;
        int r = epoll_wait(ep, &got, 1, -1);
        if (r == -1) {
            if (errno == EINTR)
                continue;
            perror("servidor: epoll_wait");
            return 1;
        }
        /* drain everything queued, without blocking */
        for (;;) {
            struct sockaddr_in6 from;
            socklen_t fl = sizeof from;
            ssize_t n = recvfrom(fd, buf + 5, MAXD, MSG_DONTWAIT | MSG_TRUNC,
                                 (struct sockaddr *)&from, &fl);
            if (n == -1) {
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                    break;
                if (errno == EINTR)
                    continue;
                perror("servidor: recvfrom");
                if (errno == EBADF || errno == ENOTSOCK)
                    return 1;
                break;
            }
            if (n > MAXD) {
                fprintf(stderr, "servidor: datagrama de %zd bytes recortado\n", n);
                n = MAXD;
            }
            char who[INET6_ADDRSTRLEN + 16];
            describe(&from, who, sizeof who);
            printf("Recibido de %s: %.*s\n", who, (int)n, buf + 5);
            if (sendto(fd, buf, 5 + (size_t)n, 0, (struct sockaddr *)&from, fl) == -1)
                perror("servidor: sendto");
        }
    }
}
