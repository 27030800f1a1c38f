/* Chat server, style: single thread, level-triggered epoll, IPv6 dual-stack
 * listening socket bound to ::ffff:127.0.0.1; the kernel send buffer is the
 * per-client queue: MSG_DONTWAIT, and a line that does not fit whole gets the
 * client shut down. */
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

#define MAX_LINE 512
#define MAX_NICK 32
#define MAX_ROOM 100

struct client {
    int fd;
    int in_room;
    int dead;
    char nick[MAX_NICK + 1];
    char buf[MAX_LINE];
    size_t len;
    struct client *next;
};

static struct client *clients;
static int room_count;
static int ep;

static void kick(struct client *c)
{
    if (!c->dead) {
        c->dead = 1;
        shutdown(c->fd, SHUT_RDWR);
    }
}

/* whole line or nothing: a partial send would glue the next line to it */
static void send_line(struct client *c, const char *s, size_t n)
{
    if (c->dead)
        return;
    ssize_t r = send(c->fd, s, n, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (r != (ssize_t)n) {
        if (c->in_room)
            fprintf(stderr, "servidor: no se pudo enviar a %s (no lee, o se fue); lo desconectamos\n", c->nick);
        kick(c);
    }
}

static void broadcast(const char *s, size_t n)
{
    for (struct client *c = clients; c; c = c->next)
        if (c->in_room)
            send_line(c, s, n);
}

static void announce(const char *nick, const char *what)
{
    char line[MAX_LINE];
    int n = snprintf(line, sizeof line, "%s %s\n", nick, what);
    broadcast(line, (size_t)n);
}

/* remove dead clients; each one that was in the room is announced, which may
 * kick others, so loop until nothing is dead */
static void reap(void)
{
    for (;;) {
        struct client **pp = &clients, *c = NULL;
        while (*pp && !(*pp)->dead)
            pp = &(*pp)->next;
        if (!*pp)
            return;
        c = *pp;
        *pp = c->next;
        epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
        if (c->in_room) {
            room_count--;
            printf("%s sale de la sala\n", c->nick);
            announce(c->nick, "abandonó el chat!");
        }
        free(c);
    }
}

static void nick_attempt(struct client *c, const char *line, size_t n)
{
    const char *err = NULL;
    if (n == 0)
        err = "Apodo no válido: vacío\n";
    else if (n > MAX_NICK)
        err = "Apodo no válido: más de 32 bytes\n";
    else {
        for (struct client *o = clients; o; o = o->next)
            if (o->in_room && strcmp(o->nick, line) == 0)
                err = "Apodo no válido: ya está en uso\n";
        if (!err && room_count >= MAX_ROOM)
            err = "La sala está llena\n";
    }
    if (err) {
        send_line(c, err, strlen(err));
        send_line(c, "NICK\n", 5);
        return;
    }
    memcpy(c->nick, line, n + 1);
    c->in_room = 1;
    room_count++;
    printf("%s entra en la sala\n", c->nick);
    announce(c->nick, "se unió al chat!");
}

static void on_readable(struct client *c)
{
    ssize_t r = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
    if (r <= 0) {
        if (r < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        kick(c);
        return;
    }
    c->len += (size_t)r;
    char *nl;
    while (!c->dead && (nl = memchr(c->buf, '\n', c->len)) != NULL) {
        size_t n = (size_t)(nl - c->buf);
        char line[MAX_LINE + 1];
        memcpy(line, c->buf, n + 1);
        line[n + 1] = '\0';
        c->len -= n + 1;
        memmove(c->buf, nl + 1, c->len);
        if (c->in_room) {
            broadcast(line, n + 1);
        } else {
            line[n] = '\0';
            nick_attempt(c, line, n);
        }
    }
    if (c->len == sizeof c->buf) {
        fprintf(stderr, "servidor: línea de más de %d bytes; desconecto al cliente\n", MAX_LINE);
        kick(c);
    }
}

int main(int argc, char **argv)
{
    long port = 7777;
    if (argc > 2) {
        fprintf(stderr, "uso: servidor [PUERTO]\n");
        return 2;
    }
    if (argc == 2) {
        char *end;
        errno = 0;
        port = strtol(argv[1], &end, 10);
        if (argv[1][0] < '0' || argv[1][0] > '9' || *end || errno || port < 1 || port > 65535) {
            fprintf(stderr, "servidor: puerto no válido: %s\nuso: servidor [PUERTO]\n", argv[1]);
            return 2;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    int lfd = socket(AF_INET6, SOCK_STREAM, 0), off = 0, on = 1;
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &a.sin6_addr);
    if (lfd < 0 || setsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) < 0 ||
        setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0 ||
        bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, 128) < 0) {
        perror("servidor");
        return 1;
    }
    ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0) {
        perror("servidor: epoll");
        return 1;
    }
    printf("Servidor de chat escuchando en 127.0.0.1:%ld\n", port);

    for (;;) {
        struct epoll_event evs[64];
        int n = epoll_wait(ep, evs, 64, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("servidor: epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            struct client *c = evs[i].data.ptr;
            if (c == NULL) {
                int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
                if (fd < 0) {
                    perror("servidor: accept");
                    continue;
                }
                c = calloc(1, sizeof *c);
                if (!c) {
                    close(fd);
                    continue;
                }
                c->fd = fd;
                c->next = clients;
                clients = c;
                struct epoll_event cev = {.events = EPOLLIN, .data.ptr = c};
                epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
                send_line(c, "NICK\n", 5);
            } else if (!c->dead) {
                on_readable(c);
            }
        }
        reap(); /* only here: pointers in evs[] stay valid during the batch */
    }
}
