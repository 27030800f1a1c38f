/* UDP echo client, style: one timerfd armed once per attempt (absolute
 * deadline, so ignored datagrams never extend it) polled together with the
 * socket; recvmsg() gives the sender, compared with the server address. */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define SENDS 3
#define PATIENCE_NS 500000000L

struct peer {
    struct sockaddr_storage addr;
    socklen_t len;
};

static int from_server(const struct sockaddr_storage *got, const struct peer *srv)
{
    if (got->ss_family != srv->addr.ss_family)
        return 0;
    if (got->ss_family == AF_INET) {
        const struct sockaddr_in *a = (const void *)got, *b = (const void *)&srv->addr;
        return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
    }
    const struct sockaddr_in6 *a = (const void *)got, *b = (const void *)&srv->addr;
    return a->sin6_port == b->sin6_port && !memcmp(&a->sin6_addr, &b->sin6_addr, 16);
}

static void die_usage(const char *why)
{
    if (why)
        fprintf(stderr, "cliente: %s\n", why);
    fputs("uso: cliente [HOST PUERTO [MENSAJE...]]\n", stderr);
    exit(2);
}

/* 1 answer, 0 timeout, -1 error */
static int exchange(int sock, int tfd, const struct peer *srv, const char *m, size_t len)
{
    static char reply[65536];
    for (int attempt = 1; attempt <= SENDS; attempt++) {
        if (attempt > 1)
            fprintf(stderr, "cliente: sin respuesta en 500 ms; reenvío (intento %d de %d)\n", attempt, SENDS);
        if (sendto(sock, m, len, 0, (const struct sockaddr *)&srv->addr, srv->len) < 0) {
            perror("cliente: sendto");
            return -1;
        }
        struct itimerspec its = {.it_value = {0, PATIENCE_NS}};
        if (timerfd_settime(tfd, 0, &its, NULL) < 0) {
            perror("cliente: timerfd_settime");
            return -1;
        }
        for (;;) {
            struct pollfd p[2] = {{sock, POLLIN, 0}, {tfd, POLLIN, 0}};
            if (poll(p, 2, -1) < 0) {
                if (errno == EINTR)
                    continue;
                perror("cliente: poll");
                return -1;
            }
            if (p[0].revents) {
                struct sockaddr_storage who;
                struct iovec iov = {reply, sizeof reply};
                struct msghdr mh = {.msg_name = &who, .msg_namelen = sizeof who,
                                    .msg_iov = &iov, .msg_iovlen = 1};
                ssize_t n = recvmsg(sock, &mh, MSG_DONTWAIT);
                if (n < 0 && errno != EAGAIN && errno != EINTR) {
                    perror("cliente: recvmsg");
                    return -1;
                }
                if (n >= 0) {
                    if (!from_server(&who, srv)) {
                        fputs("cliente: datagrama de un desconocido; lo ignoro\n", stderr);
                    } else if ((size_t)n == len + 5 && !memcmp(reply, "Eco: ", 5) &&
                               !memcmp(reply + 5, m, len)) {
                        fputs("Respuesta: ", stdout);
                        fwrite(reply, 1, (size_t)n, stdout);
                        putchar('\n');
                        return 1;
                    } else {
                        fputs("cliente: respuesta que no corresponde a este mensaje; la ignoro\n", stderr);
                    }
                }
            }
            if (p[1].revents) {
                uint64_t ticks;
                if (read(tfd, &ticks, sizeof ticks) == sizeof ticks)
                    break; /* this attempt is over */
            }
        }
    }
    fputs("cliente: el servidor no respondió tras 3 intentos de 500 ms: el mensaje o su respuesta se perdieron\n", stderr);
    return 0;
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1", *service = "9999";
    const char *std_msgs[] = {"Mensaje UDP 1", "Mensaje UDP 2", "Prueba UDP"};
    const char **list = std_msgs;
    int n = 3;

    if (argc == 2)
        die_usage("falta el puerto");
    if (argc > 2) {
        host = argv[1];
        service = argv[2];
        int val = 0;
        for (const char *c = service; *c; c++) {
            if (*c < '0' || *c > '9' || val > 65535)
                die_usage("el puerto tiene que ser un número de 1 a 65535");
            val = val * 10 + (*c - '0');
        }
        if (val < 1 || val > 65535)
            die_usage("el puerto tiene que ser un número de 1 a 65535");
        if (argc > 3) {
            list = (const char **)(argv + 3);
            n = argc - 3;
        }
    }
    for (int i = 0; i < n; i++)
        if (strlen(list[i]) > 65502)
            die_usage("un mensaje pasa de 65502 bytes");

    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM}, *res;
    int rc = getaddrinfo(host, service, &hints, &res);
    if (rc) {
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host, gai_strerror(rc));
        return 1;
    }
    struct peer srv;
    memcpy(&srv.addr, res->ai_addr, res->ai_addrlen);
    srv.len = res->ai_addrlen;
    int sock = socket(res->ai_family, SOCK_DGRAM, 0);
    freeaddrinfo(res);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    if (sock < 0 || tfd < 0) {
        perror("cliente: socket/timerfd_create");
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    int status = 0;
    for (int i = 0; i < n && status == 0; i++)
        if (exchange(sock, tfd, &srv, list[i], strlen(list[i])) != 1)
            status = 1;
    close(tfd);
    close(sock);
    return status;
}
