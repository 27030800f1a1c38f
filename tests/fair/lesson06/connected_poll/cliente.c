/* UDP echo client, style: connect()ed UDP socket (the kernel filters other
 * senders), send/recv, poll() with the time left until a monotonic deadline. */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TRIES 3
#define WAIT_MS 500
#define MAX_MSG 65502

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static void usage(void)
{
    fprintf(stderr, "uso: cliente [HOST PUERTO [MENSAJE...]]\n");
    exit(2);
}

/* 1: got the echo, 0: timed out, -1: error (already reported) */
static int wait_echo(int fd, const char *want, size_t wlen, char *buf)
{
    long long deadline = now_ms() + WAIT_MS;
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = {fd, POLLIN, 0};
        int r = poll(&p, 1, (int)left);
        if (r == -1) {
            if (errno == EINTR)
                continue;
            perror("cliente: poll");
            return -1;
        }
        if (r == 0)
            return 0;
        ssize_t n = recv(fd, buf, 65536, MSG_DONTWAIT);
        if (n == -1) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                continue;
            fprintf(stderr, "cliente: recv: %s\n", strerror(errno));
            return -1;
        }
        if ((size_t)n == wlen && memcmp(buf, want, wlen) == 0)
            return 1;
        fprintf(stderr, "cliente: descarto un datagrama de %zd bytes que no es la respuesta esperada\n", n);
    }
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1", *port = "9999";
    static const char *defaults[] = {"Mensaje UDP 1", "Mensaje UDP 2", "Prueba UDP"};
    const char **msgs = defaults;
    int count = 3;

    if (argc == 2)
        usage();
    if (argc >= 3) {
        host = argv[1];
        port = argv[2];
        char *end;
        errno = 0;
        long p = strtol(port, &end, 10);
        if (port[0] < '0' || port[0] > '9' || *end || errno || p < 1 || p > 65535) {
            fprintf(stderr, "cliente: puerto no válido: %s\n", port);
            usage();
        }
        if (argc > 3) {
            msgs = (const char **)argv + 3;
            count = argc - 3;
        }
    }
    for (int i = 0; i < count; i++)
        if (strlen(msgs[i]) > MAX_MSG) {
            fprintf(stderr, "cliente: el mensaje %d pasa de %d bytes\n", i + 1, MAX_MSG);
            usage();
        }

    struct addrinfo hints = {.ai_socktype = SOCK_DGRAM, .ai_family = AF_UNSPEC}, *ai;
    int e = getaddrinfo(host, port, &hints, &ai);
    if (e) {
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host, gai_strerror(e));
        return 1;
    }
    int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd == -1 || connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
        perror("cliente: socket/connect");
        return 1;
    }
    freeaddrinfo(ai);
    setvbuf(stdout, NULL, _IOLBF, 0);

    char *want = malloc(5 + MAX_MSG), *buf = malloc(65536);
    if (!want || !buf) {
        perror("cliente: malloc");
        return 1;
    }
    for (int i = 0; i < count; i++) {
        size_t len = strlen(msgs[i]);
        memcpy(want, "Eco: ", 5);
        memcpy(want + 5, msgs[i], len);
        int got = 0;
        for (int t = 1; t <= TRIES && got == 0; t++) {
            if (t > 1)
                fprintf(stderr, "cliente: sin respuesta en %d ms; reenvío (intento %d de %d)\n", WAIT_MS, t, TRIES);
            if (send(fd, msgs[i], len, 0) == -1) {
                fprintf(stderr, "cliente: send: %s\n", strerror(errno));
                got = -1;
                break;
            }
            got = wait_echo(fd, want, 5 + len, buf);
        }
        if (got == 0)
            fprintf(stderr, "cliente: el servidor no respondió tras %d intentos de %d ms: el mensaje o su respuesta se perdieron\n", TRIES, WAIT_MS);
        if (got != 1) {
            close(fd);
            return 1;
        }
        fputs("Respuesta: ", stdout);
        fwrite(want, 1, 5 + len, stdout);
        fputc('\n', stdout);
    }
    close(fd);
    return 0;
}
