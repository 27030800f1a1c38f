/* UDP echo client, style: unconnected socket, select() with a timeval built
 * from the remaining time, recvfrom() filtered by comparing sockaddr fields. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { ATTEMPTS = 3, TIMEOUT_MS = 500, LIMIT = 65502 };

static char inbuf[65536];

static double clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int same_peer(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return 0;
    if (a->ss_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    if (a->ss_family == AF_INET6) {
        const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
        return x->sin6_port == y->sin6_port &&
               memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
    }
    return 0;
}

int main(int argc, char *argv[])
{
    char *host = "127.0.0.1", *port = "9999";
    char *fallback[] = {"Mensaje UDP 1", "Mensaje UDP 2", "Prueba UDP"};
    char **msg = fallback;
    int nmsg = 3;

    if (argc == 2) {
        fprintf(stderr, "cliente: falta el puerto\nuso: cliente [HOST PUERTO [MENSAJE...]]\n");
        return 2;
    }
    if (argc >= 3) {
        host = argv[1];
        port = argv[2];
        size_t digits = strspn(port, "0123456789");
        long v = digits == strlen(port) && digits > 0 && digits <= 5 ? atol(port) : 0;
        if (v < 1 || v > 65535) {
            fprintf(stderr, "cliente: el puerto «%s» no es un número de 1 a 65535\n"
                            "uso: cliente [HOST PUERTO [MENSAJE...]]\n", port);
            return 2;
        }
        if (argc > 3)
            msg = argv + 3, nmsg = argc - 3;
    }
    for (int i = 0; i < nmsg; i++)
        if (strlen(msg[i]) > LIMIT) {
            fprintf(stderr, "cliente: mensaje demasiado largo\nuso: cliente [HOST PUERTO [MENSAJE...]]\n");
            return 2;
        }

    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    int err = getaddrinfo(host, port, &hints, &res);
    if (err != 0) {
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host, gai_strerror(err));
        return 1;
    }
    struct sockaddr_storage server;
    socklen_t server_len = res->ai_addrlen;
    memcpy(&server, res->ai_addr, res->ai_addrlen);
    int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    freeaddrinfo(res);
    if (fd == -1) {
        perror("cliente: socket");
        return 1;
    }
    if (fd >= FD_SETSIZE) {
        fprintf(stderr, "cliente: descriptor demasiado alto para select\n");
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    for (int i = 0; i < nmsg; i++) {
        size_t len = strlen(msg[i]);
        int ok = 0;
        for (int attempt = 1; attempt <= ATTEMPTS && !ok; attempt++) {
            if (attempt > 1)
                fprintf(stderr, "cliente: sin respuesta en %d ms; reenvío (intento %d de %d)\n",
                        TIMEOUT_MS, attempt, ATTEMPTS);
            if (sendto(fd, msg[i], len, 0, (struct sockaddr *)&server, server_len) == -1) {
                perror("cliente: sendto");
                close(fd);
                return 1;
            }
            double end = clock_ms() + TIMEOUT_MS;
            while (!ok) {
                double left = end - clock_ms();
                if (left <= 0)
                    break;
                long us = (long)(left * 1000);
                struct timeval tv = {us / 1000000, us % 1000000};
                fd_set rd;
                FD_ZERO(&rd);
                FD_SET(fd, &rd);
                int r = select(fd + 1, &rd, NULL, NULL, &tv);
                if (r == -1 && errno == EINTR)
                    continue;
                if (r == -1) {
                    perror("cliente: select");
                    close(fd);
                    return 1;
                }
                if (r == 0)
                    break;
                struct sockaddr_storage from;
                socklen_t flen = sizeof from;
                ssize_t n = recvfrom(fd, inbuf, sizeof inbuf, 0, (struct sockaddr *)&from, &flen);
                if (n == -1) {
                    if (errno == EINTR || errno == EAGAIN)
                        continue;
                    perror("cliente: recvfrom");
                    close(fd);
                    return 1;
                }
                if (!same_peer(&from, &server)) {
                    fprintf(stderr, "cliente: ignoro un datagrama que no viene del servidor\n");
                    continue;
                }
                if ((size_t)n != len + 5 || memcmp(inbuf, "Eco: ", 5) != 0 ||
                    memcmp(inbuf + 5, msg[i], len) != 0) {
                    fprintf(stderr, "cliente: ignoro una respuesta que no es la de este mensaje\n");
                    continue;
                }
                ok = 1;
                printf("Respuesta: %.*s\n", (int)n, inbuf);
            }
        }
        if (!ok) {
            fprintf(stderr, "cliente: el servidor no respondió tras %d intentos de %d ms\n",
                    ATTEMPTS, TIMEOUT_MS);
            close(fd);
            return 1;
        }
    }
    close(fd);
    return 0;
}
