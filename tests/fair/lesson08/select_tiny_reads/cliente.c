/* Chat client, style: single thread with select(), deliberately tiny reads
 * (3 bytes per read/recv) on both stdin and the socket, so every line is
 * assembled from many pieces; stdin is left out of the set until the nick
 * has been sent. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#define LIM 512
#define TINY 3

typedef struct {
    char b[LIM];
    size_t n;
} linebuf;

static int s = -1;
static const char *me;

static int out_all(const char *p, size_t n)
{
    while (n) {
        ssize_t k = send(s, p, n, MSG_NOSIGNAL);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "cliente: send: %s\n", strerror(errno));
            return -1;
        }
        p += k, n -= (size_t)k;
    }
    return 0;
}

/* returns length of the next line (without '\n'), or -1 if none yet.
 * *used gets how many bytes to drop from the buffer afterwards. */
static long peek_line(const linebuf *l, size_t *used)
{
    const char *nl = memchr(l->b, '\n', l->n);
    if (nl) {
        *used = (size_t)(nl - l->b) + 1;
        return nl - l->b;
    }
    if (l->n == LIM) {
        *used = LIM;
        return LIM;
    }
    return -1;
}

static void drop(linebuf *l, size_t used)
{
    l->n -= used;
    memmove(l->b, l->b + used, l->n);
}

/* 0 keep going, 1 = fatal (status 1) */
static int server_line(const char *t, long len, int *nick_sent)
{
    if (len == 4 && !memcmp(t, "NICK", 4)) {
        if (*nick_sent) {
            fprintf(stderr, "cliente: el servidor no aceptó el apodo \"%s\"\n", me);
            return 1;
        }
        char m[40];
        snprintf(m, sizeof m, "%s\n", me);
        if (out_all(m, strlen(m)))
            return 1;
        *nick_sent = 1;
        return 0;
    }
    fwrite(t, 1, (size_t)len, stdout);
    putchar('\n');
    return 0;
}

static int user_line(const char *t, long len)
{
    if (len == 0)
        return 0;
    char m[LIM + 1];
    int k = snprintf(m, sizeof m, "%s: %.*s\n", me, (int)len, t);
    if (k > LIM || len == LIM) {
        fprintf(stderr, "cliente: línea demasiado larga (más de 512 bytes); no se envía\n");
        return 0;
    }
    return out_all(m, (size_t)k);
}

static int chat(void)
{
    linebuf net = {.n = 0}, kb = {.n = 0};
    int nick_sent = 0;
    size_t used;
    long len;

    for (;;) {
        fd_set r;
        FD_ZERO(&r);
        FD_SET(s, &r);
        if (nick_sent)
            FD_SET(STDIN_FILENO, &r);
        if (select(s + 1, &r, NULL, NULL, NULL) < 0) {
            if (errno == EINTR)
                continue;
            perror("cliente: select");
            return 1;
        }
        if (FD_ISSET(s, &r)) {
            size_t room = LIM - net.n;
            ssize_t k = recv(s, net.b + net.n, room < TINY ? room : TINY, 0);
            if (k < 0 && errno != EINTR) {
                fprintf(stderr, "cliente: recv: %s\n", strerror(errno));
                return 1;
            }
            if (k == 0) {
                fprintf(stderr, "cliente: el servidor cerró la conexión\n");
                return 1;
            }
            if (k > 0)
                net.n += (size_t)k;
            while ((len = peek_line(&net, &used)) >= 0) {
                if (server_line(net.b, len, &nick_sent))
                    return 1;
                drop(&net, used);
            }
        }
        if (nick_sent && FD_ISSET(STDIN_FILENO, &r)) {
            size_t room = LIM - kb.n;
            ssize_t k = read(STDIN_FILENO, kb.b + kb.n, room < TINY ? room : TINY);
            if (k < 0 && errno != EINTR) {
                perror("cliente: read");
                return 1;
            }
            if (k == 0) {
                if (kb.n > 0 && kb.n < LIM && user_line(kb.b, (long)kb.n))
                    return 1;
                return 0;
            }
            if (k > 0)
                kb.n += (size_t)k;
            while ((len = peek_line(&kb, &used)) >= 0) {
                if (user_line(kb.b, len))
                    return 1;
                drop(&kb, used);
            }
        }
    }
}

int main(int argc, char *argv[])
{
    char *host = "127.0.0.1", *port = "7777";
    if (argc != 2 && argc != 4)
        goto usage;
    if (argc == 4) {
        host = argv[1];
        port = argv[2];
        char *e;
        long p = strtol(port, &e, 10);
        if (*port < '0' || *port > '9' || *e || p < 1 || p > 65535) {
            fprintf(stderr, "cliente: puerto no válido: %s\n", port);
            goto usage;
        }
    }
    me = argv[argc - 1];
    if (!*me || strlen(me) > 32 || strchr(me, '\n')) {
        fprintf(stderr, "cliente: apodo no válido (de 1 a 32 bytes, sin saltos de línea)\n");
        goto usage;
    }

    struct addrinfo hint = {0}, *res, *a;
    hint.ai_family = AF_UNSPEC;
    hint.ai_socktype = SOCK_STREAM;
    int g = getaddrinfo(host, port, &hint, &res);
    if (g) {
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host, gai_strerror(g));
        return 1;
    }
    int why = 0;
    for (a = res; a; a = a->ai_next) {
        if ((s = socket(a->ai_family, a->ai_socktype, a->ai_protocol)) < 0)
            continue;
        if (connect(s, a->ai_addr, a->ai_addrlen) == 0)
            break;
        why = errno;
        close(s);
        s = -1;
    }
    freeaddrinfo(res);
    if (s < 0) {
        fprintf(stderr, "cliente: no se pudo conectar con %s:%s: %s\n", host, port, strerror(why));
        return 1;
    }
    if (s >= FD_SETSIZE) {
        fprintf(stderr, "cliente: descriptor demasiado alto para select\n");
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    int rc = chat();
    close(s);
    return rc;
usage:
    fprintf(stderr, "uso: cliente [HOST PUERTO] APODO\n");
    return 2;
}
