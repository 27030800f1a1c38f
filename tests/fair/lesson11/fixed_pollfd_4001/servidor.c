/* servidor.c - style: a fixed `struct pollfd fds[4001]` (slot 0 listens,
 * free slots have fd = -1 so poll ignores them; no compaction), tiny 16-byte
 * reads, and a per-client output queue with a start offset instead of memmove. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CLIENTS 4000
#define CHUNK 16                      /* tiny reads: every 16 bytes get a prefix */
#define MAX_PENDING (1 << 20)
#define PREFIX "Servidor recibió: "

struct client {
    char *buf;          /* pending output is buf[off .. len) */
    size_t off, len, cap;
    int eof;            /* peer shut down its writing side */
};

static struct pollfd fds[MAX_CLIENTS + 1];
static struct client cl[MAX_CLIENTS + 1];
static int used;                      /* clients currently connected */
static int out_of_fds;

static void drop(int i)
{
    close(fds[i].fd);
    free(cl[i].buf);
    memset(&cl[i], 0, sizeof cl[i]);
    fds[i].fd = -1;
    fds[i].revents = 0;
    used--;
    out_of_fds = 0;
}

static int queue(struct client *c, const char *p, size_t n)
{
    if (c->off > 0 && c->off == c->len)
        c->off = c->len = 0;
    if (c->len + n > c->cap) {
        size_t want = c->len - c->off + n, cap = c->cap ? c->cap : 256;
        char *nb;
        if (c->off > 0) {             /* compact first */
            memmove(c->buf, c->buf + c->off, c->len - c->off);
            c->len -= c->off;
            c->off = 0;
        }
        while (cap < want)
            cap *= 2;
        if (cap > c->cap) {
            nb = realloc(c->buf, cap);
            if (nb == NULL)
                return -1;
            c->buf = nb;
            c->cap = cap;
        }
    }
    memcpy(c->buf + c->len, p, n);
    c->len += n;
    return 0;
}

/* 0 ok (maybe something left), -1 the client is gone */
static int flush_client(int i)
{
    struct client *c = &cl[i];
    while (c->off < c->len) {
        ssize_t n = send(fds[i].fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);
        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return 0;
        if (n == -1)
            return -1;
        c->off += (size_t)n;
    }
    c->off = c->len = 0;
    return 0;
}

static void accept_all(int lfd)
{
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK), i;
        if (fd == -1) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE) {
                perror("servidor: accept");
                out_of_fds = 1;
            } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
                perror("servidor: accept");
            }
            return;
        }
        if (used == MAX_CLIENTS) {
            close(fd);
            continue;
        }
        for (i = 1; fds[i].fd != -1; i++)
            ;
        fds[i].fd = fd;
        used++;
    }
}

static void serve(int lfd)
{
    int i;

    fds[0].fd = lfd;
    for (i = 1; i <= MAX_CLIENTS; i++)
        fds[i].fd = -1;
    for (;;) {
        int n;
        fds[0].events = out_of_fds ? 0 : POLLIN;
        for (i = 1; i <= MAX_CLIENTS; i++) {
            struct client *c = &cl[i];
            size_t pending = c->len - c->off;
            if (fds[i].fd == -1)
                continue;
            fds[i].events = 0;
            if (!c->eof && pending <= MAX_PENDING)
                fds[i].events |= POLLIN;
            if (pending > 0)
                fds[i].events |= POLLOUT;
        }
        n = poll(fds, MAX_CLIENTS + 1, -1);
        if (n == -1) {
            if (errno == EINTR)
                continue;
            perror("servidor: poll");
            return;
        }
        for (i = 1; i <= MAX_CLIENTS; i++) {
            short re = fds[i].revents;
            struct client *c = &cl[i];
            if (fds[i].fd == -1 || re == 0)
                continue;
            if (re & (POLLERR | POLLNVAL)) {
                drop(i);
                continue;
            }
            if (re & POLLOUT && flush_client(i) == -1) {
                drop(i);
                continue;
            }
            if ((re & (POLLIN | POLLHUP)) && !c->eof) {
                char data[CHUNK];
                ssize_t r = recv(fds[i].fd, data, sizeof data, 0);
                if (r > 0) {
                    if (queue(c, PREFIX, sizeof PREFIX - 1) == -1 ||
                        queue(c, data, (size_t)r) == -1 || flush_client(i) == -1) {
                        drop(i);
                        continue;
                    }
                } else if (r == 0) {
                    c->eof = 1;
                } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                    drop(i);
                    continue;
                }
            } else if ((re & POLLHUP) && c->eof) {
                drop(i);                       /* cannot receive the rest anyway */
                continue;
            }
            if (c->eof && c->off == c->len)
                drop(i);
        }
        if (fds[0].revents & POLLIN)
            accept_all(lfd);
    }
}

int main(int argc, char **argv)
{
    struct sockaddr_in a;
    long port = 8888;
    int one = 1, lfd;

    if (argc > 2) {
        fprintf(stderr, "uso: servidor [PUERTO]\n");
        return 2;
    }
    if (argc == 2) {
        char *end;
        errno = 0;
        port = strtol(argv[1], &end, 10);
        if (argv[1][0] < '0' || argv[1][0] > '9' || *end || errno || port < 1 || port > 65535) {
            fprintf(stderr, "uso: servidor [PUERTO]\n");
            return 2;
        }
    }
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (lfd == -1 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1 ||
        bind(lfd, (struct sockaddr *)&a, sizeof a) == -1 || listen(lfd, SOMAXCONN) == -1) {
        perror("servidor");
        return 1;
    }
    printf("Servidor asíncrono escuchando en 127.0.0.1:%ld\n", port);
    fflush(stdout);
    serve(lfd);
    close(lfd);
    return 1;
}
