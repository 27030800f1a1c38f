/* Chat server, style: one detached thread per client, room as a linked list
 * under a mutex, each accepted socket given SO_SNDBUF = 4 MiB so a client
 * that is briefly distracted loses nothing; sends are MSG_DONTWAIT, and a
 * line that does not fit whole gets the client shut down. */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LINE 512
#define NICKLEN 32
#define CAPACITY 100
#define SNDBUF_BYTES (4 * 1024 * 1024)

struct member {
    int fd;
    int kicked;
    char nick[NICKLEN + 1];
    char pending[LINE];
    size_t have;
    struct member *next; /* room list, only while in the room */
};

static pthread_mutex_t room_lock = PTHREAD_MUTEX_INITIALIZER;
static struct member *room;
static int room_size;

/* caller holds room_lock */
static void deliver_all(const char *text, size_t len)
{
    for (struct member *m = room; m; m = m->next) {
        if (m->kicked)
            continue;
        if (send(m->fd, text, len, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)len) {
            fprintf(stderr, "servidor: no se pudo enviar a %s (no lee, o se fue); lo desconectamos\n", m->nick);
            m->kicked = 1;
            shutdown(m->fd, SHUT_RDWR);
        }
    }
}

static int say(int fd, const char *text)
{
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t n = send(fd, text + off, len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        off += (size_t)n;
    }
    return 0;
}

/* next line without its '\n' into out; -1 on close, error or overlong line */
static ssize_t next_line(struct member *m, char *out)
{
    for (;;) {
        char *nl = memchr(m->pending, '\n', m->have);
        if (nl) {
            size_t len = (size_t)(nl - m->pending);
            memcpy(out, m->pending, len);
            out[len] = '\0';
            m->have -= len + 1;
            memmove(m->pending, nl + 1, m->have);
            return (ssize_t)len;
        }
        if (m->have == LINE)
            return -1;
        ssize_t n = recv(m->fd, m->pending + m->have, LINE - m->have, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        m->have += (size_t)n;
    }
}

static void *serve(void *arg)
{
    struct member *me = arg;
    char line[LINE + 1];
    ssize_t len;
    int joined = 0;

    if (say(me->fd, "NICK\n") < 0)
        goto out;
    while (!joined) {
        if ((len = next_line(me, line)) < 0)
            goto out;
        const char *problem = NULL;
        pthread_mutex_lock(&room_lock);
        if (len == 0)
            problem = "Apodo no válido: vacío\n";
        else if (len > NICKLEN)
            problem = "Apodo no válido: más de 32 bytes\n";
        else {
            for (struct member *m = room; m && !problem; m = m->next)
                if (strcmp(m->nick, line) == 0)
                    problem = "Apodo no válido: ya está en uso\n";
            if (!problem && room_size == CAPACITY)
                problem = "La sala está llena\n";
        }
        if (!problem) {
            strcpy(me->nick, line);
            me->next = room;
            room = me;
            room_size++;
            joined = 1;
            printf("%s entra en la sala\n", me->nick);
            char msg[LINE];
            int n = snprintf(msg, sizeof msg, "%s se unió al chat!\n", me->nick);
            deliver_all(msg, (size_t)n);
        }
        pthread_mutex_unlock(&room_lock);
        if (problem && (say(me->fd, problem) < 0 || say(me->fd, "NICK\n") < 0))
            goto out;
    }
    while ((len = next_line(me, line)) >= 0) {
        line[len] = '\n';
        pthread_mutex_lock(&room_lock);
        deliver_all(line, (size_t)len + 1);
        pthread_mutex_unlock(&room_lock);
    }
    pthread_mutex_lock(&room_lock);
    for (struct member **pp = &room; *pp; pp = &(*pp)->next)
        if (*pp == me) {
            *pp = me->next;
            break;
        }
    room_size--;
    printf("%s sale de la sala\n", me->nick);
    char msg[LINE];
    int n = snprintf(msg, sizeof msg, "%s abandonó el chat!\n", me->nick);
    deliver_all(msg, (size_t)n);
    pthread_mutex_unlock(&room_lock);
out:
    close(me->fd);
    free(me);
    return NULL;
}

int main(int argc, char **argv)
{
    int port = 7777;
    if (argc > 2) {
        fprintf(stderr, "uso: servidor [PUERTO]\n");
        return 2;
    }
    if (argc == 2) {
        char *end;
        errno = 0;
        long v = strtol(argv[1], &end, 10);
        if (argv[1][0] < '0' || argv[1][0] > '9' || *end || errno || v < 1 || v > 65535) {
            fprintf(stderr, "servidor: puerto no válido: %s\nuso: servidor [PUERTO]\n", argv[1]);
            return 2;
        }
        port = (int)v;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);

    int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 64) < 0) {
        perror("servidor");
        return 1;
    }
    printf("Servidor de chat escuchando en 127.0.0.1:%d\n", port);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) {
            if (errno != EINTR)
                perror("servidor: accept");
            continue;
        }
        int sz = SNDBUF_BYTES;
        if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz) < 0)
            perror("servidor: SO_SNDBUF");
        struct member *m = calloc(1, sizeof *m);
        pthread_t t;
        if (!m) {
            close(fd);
            continue;
        }
        m->fd = fd;
        if (pthread_create(&t, &attr, serve, m) != 0) {
            close(fd);
            free(m);
        }
    }
}
