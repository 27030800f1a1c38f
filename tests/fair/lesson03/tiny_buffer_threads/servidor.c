/* Style: pthread per client, but the receive buffer is only 3 bytes: every
 * recv chunk (at most 3 bytes) gets its own "Servidor recibió: " reply, as the
 * lesson's per-chunk protocol says. Port parsed with strtol. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PREFIX "Servidor recibió: "
#define PLEN (sizeof PREFIX - 1)
#define CHUNK 3

struct client {
    int fd;
    char who[64];
};

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t s = send(fd, p, n, MSG_NOSIGNAL);
        if (s < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += s;
        n -= (size_t)s;
    }
    return 0;
}

static void *serve(void *arg)
{
    struct client *c = arg;
    char in[CHUNK];
    char out[PLEN + CHUNK];
    memcpy(out, PREFIX, PLEN);
    for (;;) {
        ssize_t n = recv(c->fd, in, sizeof in, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        memcpy(out + PLEN, in, (size_t)n);
        if (send_all(c->fd, out, PLEN + (size_t)n) < 0)
            break;
    }
    close(c->fd);
    printf("Cliente %s desconectado\n", c->who);
    free(c);
    return NULL;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int port = 8888;
    if (argc > 2) {
        fprintf(stderr, "uso: servidor [PUERTO]\n");
        return 2;
    }
    if (argc == 2) {
        char *end;
        errno = 0;
        long v = strtol(argv[1], &end, 10);
        if (argv[1][0] < '0' || argv[1][0] > '9' || *end != '\0' || errno != 0 || v < 1 || v > 65535) {
            fprintf(stderr, "servidor: puerto no válido: \"%s\" (debe ser un número entre 1 y 65535)\n", argv[1]);
            return 2;
        }
        port = (int)v;
    }

    int ls = socket(AF_INET, SOCK_STREAM, 0);
    if (ls < 0) {
        perror("servidor: socket");
        return 1;
    }
    int one = 1;
    if (setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) {
        perror("servidor: setsockopt");
        return 1;
    }
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0) {
        perror("servidor: bind");
        return 1;
    }
    if (listen(ls, 128) < 0) {
        perror("servidor: listen");
        return 1;
    }
    printf("Servidor escuchando en 127.0.0.1:%d\n", port);

    for (;;) {
        struct sockaddr_in peer;
        socklen_t len = sizeof peer;
        int fd = accept(ls, (struct sockaddr *)&peer, &len);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE)
                continue;
            perror("servidor: accept");
            return 1;
        }
        struct client *c = malloc(sizeof *c);
        if (!c) {
            perror("servidor: malloc");
            close(fd);
            continue;
        }
        char ip[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
        c->fd = fd;
        snprintf(c->who, sizeof c->who, "%s:%u", ip, ntohs(peer.sin_port));
        printf("Cliente conectado desde %s\n", c->who);
        pthread_t t;
        int e = pthread_create(&t, NULL, serve, c);
        if (e) {
            fprintf(stderr, "servidor: pthread_create: %s\n", strerror(e));
            close(fd);
            free(c);
            continue;
        }
        pthread_detach(t);
    }
}
