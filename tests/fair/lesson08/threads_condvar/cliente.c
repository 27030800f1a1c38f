/* Chat client, style: two threads. A receiver thread reads the socket,
 * answers NICK and prints lines; main waits on a condition variable until
 * the nick is sent, then reads stdin. End of input: shutdown() wakes the
 * receiver (with an atomic "leaving" flag), join, close. */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { LINE_LIMIT = 512, NICK_LIMIT = 32 };

static int fd;
static const char *nick;
static atomic_int leaving;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int nick_out; /* under mu */

struct acc {
    char d[LINE_LIMIT];
    size_t n;
};

static int write_all(const char *p, size_t n)
{
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* takes one line out of a (without '\n'); full buffer counts as a line */
static int take_line(struct acc *a, char *out, size_t *len)
{
    char *nl = memchr(a->d, '\n', a->n);
    size_t l = nl ? (size_t)(nl - a->d) : a->n;
    if (!nl && a->n < sizeof a->d)
        return 0;
    memcpy(out, a->d, l);
    out[l] = '\0';
    *len = l;
    size_t used = nl ? l + 1 : l;
    a->n -= used;
    memmove(a->d, a->d + used, a->n);
    return 1;
}

static void *receiver(void *unused)
{
    struct acc net = {.n = 0};
    char line[LINE_LIMIT + 1];
    size_t len;
    int answered = 0;
    (void)unused;

    for (;;) {
        ssize_t k = recv(fd, net.d + net.n, sizeof net.d - net.n, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (atomic_load(&leaving))
                return NULL;
            if (k == 0)
                fprintf(stderr, "cliente: el servidor cerró la conexión\n");
            else
                fprintf(stderr, "cliente: recv: %s\n", strerror(errno));
            exit(1); /* main is stuck in read(): end the whole process */
        }
        net.n += (size_t)k;
        while (take_line(&net, line, &len)) {
            if (len == 4 && strcmp(line, "NICK") == 0) {
                if (answered) {
                    fprintf(stderr, "cliente: el servidor no aceptó el apodo \"%s\"\n", nick);
                    exit(1);
                }
                char msg[NICK_LIMIT + 2];
                int m = snprintf(msg, sizeof msg, "%s\n", nick);
                if (write_all(msg, (size_t)m) < 0) {
                    fprintf(stderr, "cliente: send: %s\n", strerror(errno));
                    exit(1);
                }
                answered = 1;
                pthread_mutex_lock(&mu);
                nick_out = 1;
                pthread_cond_signal(&cv);
                pthread_mutex_unlock(&mu);
            } else {
                printf("%.*s\n", (int)len, line);
            }
        }
    }
}

static void from_user(const char *text, size_t len)
{
    if (len == 0)
        return;
    char msg[LINE_LIMIT + 1];
    int m = snprintf(msg, sizeof msg, "%s: %.*s\n", nick, (int)len, text);
    if (m > LINE_LIMIT) {
        fprintf(stderr, "cliente: línea demasiado larga (más de %d bytes); no se envía\n", LINE_LIMIT);
        return;
    }
    if (write_all(msg, (size_t)m) < 0) {
        fprintf(stderr, "cliente: send: %s\n", strerror(errno));
        exit(1);
    }
}

static int connect_to(const char *host, const char *port)
{
    struct addrinfo h, *list;
    memset(&h, 0, sizeof h);
    h.ai_family = AF_UNSPEC;
    h.ai_socktype = SOCK_STREAM;
    int e = getaddrinfo(host, port, &h, &list);
    if (e) {
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host, gai_strerror(e));
        return -1;
    }
    int s = -1, saved = 0;
    for (struct addrinfo *p = list; p; p = p->ai_next) {
        s = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (s < 0) {
            saved = errno;
            continue;
        }
        if (connect(s, p->ai_addr, p->ai_addrlen) == 0)
            break;
        saved = errno;
        close(s);
        s = -1;
    }
    freeaddrinfo(list);
    if (s < 0)
        fprintf(stderr, "cliente: no se pudo conectar con %s:%s: %s\n", host, port, strerror(saved));
    return s;
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1", *port = "7777";
    int bad = 0;
    if (argc == 2)
        nick = argv[1];
    else if (argc == 4) {
        host = argv[1], port = argv[2], nick = argv[3];
        size_t d = strspn(port, "0123456789");
        if (d == 0 || port[d] != '\0' || d > 5 || atoi(port) < 1 || atoi(port) > 65535) {
            fprintf(stderr, "cliente: puerto no válido: %s\n", port);
            bad = 1;
        }
    } else
        bad = 1;
    if (!bad && (strlen(nick) == 0 || strlen(nick) > NICK_LIMIT || strchr(nick, '\n'))) {
        fprintf(stderr, "cliente: el apodo debe tener de 1 a %d bytes, sin saltos de línea\n", NICK_LIMIT);
        bad = 1;
    }
    if (bad) {
        fprintf(stderr, "uso: cliente [HOST PUERTO] APODO\n");
        return 2;
    }
    if ((fd = connect_to(host, port)) < 0)
        return 1;
    setvbuf(stdout, NULL, _IOLBF, 0);

    pthread_t th;
    if (pthread_create(&th, NULL, receiver, NULL) != 0) {
        fprintf(stderr, "cliente: no se pudo crear el hilo\n");
        return 1;
    }
    pthread_mutex_lock(&mu);
    while (!nick_out)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);

    struct acc kb = {.n = 0};
    char line[LINE_LIMIT + 1];
    size_t len;
    for (;;) {
        ssize_t k = read(STDIN_FILENO, kb.d + kb.n, sizeof kb.d - kb.n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            perror("cliente: read");
            exit(1);
        }
        if (k == 0)
            break;
        kb.n += (size_t)k;
        while (take_line(&kb, line, &len)) {
            if (len == LINE_LIMIT) /* filled the buffer without '\n' */
                fprintf(stderr, "cliente: línea demasiado larga (más de %d bytes); no se envía\n", LINE_LIMIT);
            else
                from_user(line, len);
        }
    }
    from_user(kb.d, kb.n); /* half line at end of input */
    atomic_store(&leaving, 1);
    shutdown(fd, SHUT_RDWR);
    pthread_join(th, NULL);
    close(fd);
    return 0;
}
