/* Chat server, style: single thread with poll(), nonblocking sockets and an
 * explicit per-client output queue limited to 1 MiB. Lines are queued whole
 * and flushed when the socket is writable; a client whose queue would
 * overflow is not reading, so it is disconnected and its exit announced. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LINE_MAX_BYTES 512
#define NICK_MAX 32
#define ROOM_MAX 100
#define SLOTS 1024
#define QUEUE_LIMIT (1024 * 1024)

struct conn {
    int fd;           /* -1: free slot */
    int joined;
    int gone;
    char nick[NICK_MAX + 1];
    char in[LINE_MAX_BYTES];
    size_t in_len;
    char *out;        /* pending bytes, out_off..out_len not yet sent */
    size_t out_off, out_len, out_cap;
};

static struct conn conns[SLOTS];
static int in_room;

static void drop(struct conn *c)
{
    if (!c->gone) {
        c->gone = 1;
        shutdown(c->fd, SHUT_RDWR);
    }
}

static void flush(struct conn *c)
{
    while (!c->gone && c->out_off < c->out_len) {
        ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                drop(c);
            return;
        }
        c->out_off += (size_t)n;
    }
    c->out_off = c->out_len = 0;
}

static void enqueue(struct conn *c, const char *s, size_t n)
{
    if (c->gone)
        return;
    size_t pending = c->out_len - c->out_off;
    if (pending + n > QUEUE_LIMIT) {
        fprintf(stderr, "servidor: la cola de %s pasa de 1 MiB (no lee); lo desconectamos\n",
                c->joined ? c->nick : "(sin apodo)");
        drop(c);
        return;
    }
    if (c->out_off > 0) { /* compact before growing */
        memmove(c->out, c->out + c->out_off, pending);
        c->out_off = 0;
        c->out_len = pending;
    }
    if (c->out_len + n > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap : 4096;
        while (cap < c->out_len + n)
            cap *= 2;
        char *p = realloc(c->out, cap);
        if (!p) {
            drop(c);
            return;
        }
        c->out = p;
        c->out_cap = cap;
    }
    memcpy(c->out + c->out_len, s, n);
    c->out_len += n;
    flush(c);
}

static void to_room(const char *s, size_t n)
{
    for (int i = 0; i < SLOTS; i++)
        if (conns[i].fd >= 0 && conns[i].joined)
            enqueue(&conns[i], s, n);
}

static void cleanup_gone(void)
{
    int again = 1;
    while (again) {
        again = 0;
        for (int i = 0; i < SLOTS; i++) {
            struct conn *c = &conns[i];
            if (c->fd < 0 || !c->gone)
                continue;
            close(c->fd);
            c->fd = -1;
            free(c->out);
            if (c->joined) {
                char msg[64];
                in_room--;
                printf("%s sale de la sala\n", c->nick);
                int n = snprintf(msg, sizeof msg, "%s abandonó el chat!\n", c->nick);
                to_room(msg, (size_t)n);
                again = 1; /* the announcement may have dropped someone else */
            }
        }
    }
}

static void got_line(struct conn *c, char *line, size_t n)
{
    if (c->joined) {
        line[n] = '\n';
        to_room(line, n + 1);
        return;
    }
    line[n] = '\0';
    const char *why = NULL;
    if (n == 0)
        why = "Apodo no válido: vacío\n";
    else if (n > NICK_MAX)
        why = "Apodo no válido: más de 32 bytes\n";
    else {
        for (int i = 0; i < SLOTS && !why; i++)
            if (conns[i].fd >= 0 && conns[i].joined && strcmp(conns[i].nick, line) == 0)
                why = "Apodo no válido: ya está en uso\n";
        if (!why && in_room >= ROOM_MAX)
            why = "La sala está llena\n";
    }
    if (why) {
        enqueue(c, why, strlen(why));
        enqueue(c, "NICK\n", 5);
        return;
    }
    strcpy(c->nick, line);
    c->joined = 1;
    in_room++;
    printf("%s entra en la sala\n", c->nick);
    char msg[64];
    int m = snprintf(msg, sizeof msg, "%s se unió al chat!\n", c->nick);
    to_room(msg, (size_t)m);
}

static void readable(struct conn *c)
{
    ssize_t n = recv(c->fd, c->in + c->in_len, sizeof c->in - c->in_len, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        drop(c);
        return;
    }
    if (n < 0)
        return;
    c->in_len += (size_t)n;
    for (;;) {
        char *nl = memchr(c->in, '\n', c->in_len);
        if (!nl || c->gone)
            break;
        char line[LINE_MAX_BYTES + 1];
        size_t len = (size_t)(nl - c->in);
        memcpy(line, c->in, len);
        c->in_len -= len + 1;
        memmove(c->in, nl + 1, c->in_len);
        got_line(c, line, len);
    }
    if (c->in_len == sizeof c->in)
        drop(c); /* 512 bytes and still no end of line */
}

int main(int argc, char *argv[])
{
    int port = 7777;
    if (argc > 2) {
        fputs("servidor: sobran argumentos\nuso: servidor [PUERTO]\n", stderr);
        return 2;
    }
    if (argc == 2) {
        const char *p = argv[1];
        long v = 0;
        if (!*p)
            v = -1;
        for (; *p && v >= 0; p++)
            v = (*p >= '0' && *p <= '9' && v <= 65535) ? v * 10 + (*p - '0') : -1;
        if (v < 1 || v > 65535) {
            fprintf(stderr, "servidor: «%s» no es un puerto de 1 a 65535\nuso: servidor [PUERTO]\n", argv[1]);
            return 2;
        }
        port = (int)v;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 0; i < SLOTS; i++)
        conns[i].fd = -1;

    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), yes = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) < 0 ||
        bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, SOMAXCONN) < 0) {
        perror("servidor");
        return 1;
    }
    printf("Servidor de chat escuchando en 127.0.0.1:%d\n", port);

    static struct pollfd pfd[SLOTS + 1];
    static int slot_of[SLOTS + 1];
    for (;;) {
        int n = 0;
        pfd[n++] = (struct pollfd){lfd, POLLIN, 0};
        for (int i = 0; i < SLOTS; i++)
            if (conns[i].fd >= 0) {
                short want = POLLIN;
                if (conns[i].out_len > conns[i].out_off)
                    want |= POLLOUT;
                slot_of[n] = i;
                pfd[n++] = (struct pollfd){conns[i].fd, want, 0};
            }
        if (poll(pfd, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            perror("servidor: poll");
            return 1;
        }
        for (int k = 1; k < n; k++) {
            struct conn *c = &conns[slot_of[k]];
            if (c->gone || pfd[k].revents == 0)
                continue;
            if (pfd[k].revents & POLLOUT)
                flush(c);
            if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR))
                readable(c);
        }
        if (pfd[0].revents & POLLIN) {
            int fd;
            while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                int i = 0;
                while (i < SLOTS && conns[i].fd >= 0)
                    i++;
                if (i == SLOTS) {
                    close(fd);
                    continue;
                }
                conns[i] = (struct conn){.fd = fd};
                enqueue(&conns[i], "NICK\n", 5);
            }
        }
        cleanup_gone();
    }
}
