/* UDP echo server, style: recvmsg/sendmsg with a two-piece iovec (constant
 * "Eco: " prefix + payload), getaddrinfo with AF_UNSPEC, blocking loop. */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_PAYLOAD 65507
static char prefix[] = "Eco: ";
static char payload[MAX_PAYLOAD];

static int bad_port(const char *s)
{
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 5)
        return 1;
    long v = strtol(s, NULL, 10);
    return v < 1 || v > 65535;
}

static int open_socket(const char *port)
{
    struct addrinfo hints, *list, *p;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    int e = getaddrinfo("127.0.0.1", port, &hints, &list);
    if (e) {
        fprintf(stderr, "servidor: getaddrinfo: %s\n", gai_strerror(e));
        return -1;
    }
    int fd = -1;
    for (p = list; p; p = p->ai_next) {
        fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (fd == -1)
            continue;
        if (bind(fd, p->ai_addr, p->ai_addrlen) == 0)
            break;
        perror("servidor: bind");
        close(fd);
        fd = -1;
    }
    freeaddrinfo(list);
    return fd;
}

int main(int argc, char *argv[])
{
    const char *port = "9999";
    if (argc > 2 || (argc == 2 && bad_port(argv[1]))) {
        fprintf(stderr, "servidor: el puerto debe ser un número de 1 a 65535\n"
                        "uso: servidor [PUERTO]\n");
        return 2;
    }
    if (argc == 2)
        port = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0);
    int fd = open_socket(port);
    if (fd == -1)
        return 1;
    printf("Servidor UDP escuchando en 127.0.0.1:%ld\n", strtol(port, NULL, 10));

    for (;;) {
        struct sockaddr_storage peer;
        struct iovec in = {payload, sizeof payload};
        struct msghdr m;
        memset(&m, 0, sizeof m);
        m.msg_name = &peer;
        m.msg_namelen = sizeof peer;
        m.msg_iov = &in;
        m.msg_iovlen = 1;
        ssize_t n = recvmsg(fd, &m, 0);
        if (n == -1) {
            if (errno == EINTR)
                continue;
            perror("servidor: recvmsg");
            if (errno == EBADF || errno == ENOTSOCK)
                return 1;
            continue;
        }
        if (m.msg_flags & MSG_TRUNC)
            fprintf(stderr, "servidor: datagrama recortado\n");

        char host[NI_MAXHOST], serv[NI_MAXSERV];
        if (getnameinfo((struct sockaddr *)&peer, m.msg_namelen, host, sizeof host,
                        serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
            strcpy(host, "?"), strcpy(serv, "?");
        printf("Recibido de %s:%s: %.*s\n", host, serv, (int)n, payload);

        struct iovec out[2] = {{prefix, 5}, {payload, (size_t)n}};
        struct msghdr r;
        memset(&r, 0, sizeof r);
        r.msg_name = &peer;
        r.msg_namelen = m.msg_namelen;
        r.msg_iov = out;
        r.msg_iovlen = 2;
        if (sendmsg(fd, &r, 0) == -1)
            perror("servidor: sendmsg");
    }
}
