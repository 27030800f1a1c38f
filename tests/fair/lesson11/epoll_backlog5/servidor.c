/* servidor.c - style: Linux epoll (level-triggered) with one heap-allocated
 * client per connection (data.ptr), interest toggled with EPOLL_CTL_MOD,
 * 64 KiB reads, getaddrinfo() for the listening address, and the classic
 * textbook backlog listen(fd, 5): accept() drains the queue until EAGAIN. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CLIENTS 4000
#define READ_SIZE 65536
#define HIGH_WATER (1u << 20)
static const char PREFIX[] = "Servidor recibió: ";

struct conn {
    int fd;
    unsigned mask;                  /* events currently registered */
    int half_closed;
    char *out;
    size_t len, cap;
};

static int ep, lfd, nclients, listen_paused;

static void set_mask(struct conn *c)
{
    unsigned want = 0;
    struct epoll_event ev;
    if (!c->half_closed && c->len <= HIGH_WATER)
        want |= EPOLLIN;
    if (c->len > 0)
        want |= EPOLLOUT;
    if (want == c->mask)
        return;
    ev.events = want;
    ev.data.ptr = c;
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
    c->mask = want;
}

static void close_conn(struct conn *c)
{
    close(c->fd);                   /* closing also removes it from epoll */
    free(c->out);
    free(c);
    nclients--;
    if (listen_paused) {
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
        epoll_ctl(ep, EPOLL_CTL_MOD, lfd, &ev);
        listen_paused = 0;
    }
}

static int append(struct conn *c, const void *p, size_t n)
{
    if (c->len + n > c->cap) {
        size_t cap = c->cap ? c->cap : 4096;
        char *q;
        while (cap < c->len + n)
            cap *= 2;
        q = realloc(c->out, cap);
        if (!q)
            return -1;
        c->out = q;
        c->cap = cap;
    }
    memcpy(c->out + c->len, p, n);
    c->len += n;
    return 0;
}

static int drain(struct conn *c)
{
    size_t done = 0;
    int rc = 0;
    while (done < c->len) {
        ssize_t n = send(c->fd, c->out + done, c->len - done, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                rc = -1;
            break;
        }
        done += (size_t)n;
    }
    memmove(c->out, c->out + done, c->len - done);
    c->len -= done;
    return rc;
}

static void accept_burst(void)
{
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        struct conn *c;
        struct epoll_event ev;
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE) {
                struct epoll_event off = { .events = 0, .data.ptr = NULL };
                perror("servidor: accept");
                epoll_ctl(ep, EPOLL_CTL_MOD, lfd, &off);
                listen_paused = 1;
            }
            return;
        }
        if (nclients >= MAX_CLIENTS || (c = calloc(1, sizeof *c)) == NULL) {
            close(fd);
            continue;
        }
        c->fd = fd;
        c->mask = EPOLLIN;
        ev.events = EPOLLIN;
        ev.data.ptr = c;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
            close(fd);
            free(c);
            continue;
        }
        nclients++;
    }
}

static void handle(struct conn *c, unsigned ev)
{
    static char buf[READ_SIZE];
    if (ev & EPOLLERR) {
        close_conn(c);
        return;
    }
    if ((ev & EPOLLOUT) && drain(c) < 0) {
        close_conn(c);
        return;
    }
    if ((ev & (EPOLLIN | EPOLLHUP)) && !c->half_closed) {
        ssize_t n = recv(c->fd, buf, sizeof buf, 0);
        if (n > 0) {
            if (append(c, PREFIX, sizeof PREFIX - 1) < 0 || append(c, buf, (size_t)n) < 0 ||
                drain(c) < 0) {
                close_conn(c);
                return;
            }
        } else if (n == 0) {
            c->half_closed = 1;
        } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            close_conn(c);
            return;
        }
    } else if ((ev & EPOLLHUP) && c->half_closed) {
        close_conn(c);
        return;
    }
    if (c->half_closed && c->len == 0) {
        close_conn(c);
        return;
    }
    set_mask(c);
}

int main(int argc, char *argv[])
{
    struct addrinfo hints = {0}, *res;
    const char *port = "8888";
    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
    int one = 1;

    if (argc > 2) {
        fputs("uso: servidor [PUERTO]\n", stderr);
        return 2;
    }
    if (argc == 2) {
        char *end;
        long v;
        errno = 0;
        v = strtol(argv[1], &end, 10);
        if (!(argv[1][0] >= '0' && argv[1][0] <= '9') || *end || errno || v < 1 || v > 65535) {
            fputs("uso: servidor [PUERTO]\n", stderr);
            return 2;
        }
        port = argv[1];
    }
    signal(SIGPIPE, SIG_IGN);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
    if (getaddrinfo("127.0.0.1", port, &hints, &res) != 0) {
        fputs("servidor: getaddrinfo falló\n", stderr);
        return 1;
    }
    lfd = socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK, res->ai_protocol);
    if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(lfd, res->ai_addr, res->ai_addrlen) < 0 || listen(lfd, 5) < 0) {
        perror("servidor");
        return 1;
    }
    freeaddrinfo(res);
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0) {
        perror("servidor: epoll");
        return 1;
    }
    printf("Servidor asíncrono escuchando en 127.0.0.1:%s\n", port);
    fflush(stdout);
    for (;;) {
        struct epoll_event ready[128];
        int n = epoll_wait(ep, ready, 128, -1), k;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("servidor: epoll_wait");
            return 1;
        }
        /* closing a conn can't invalidate another entry of this batch:
         * each conn is only closed from its own entry. */
        for (k = 0; k < n; k++) {
            if (ready[k].data.ptr == NULL)
                accept_burst();
            else
                handle(ready[k].data.ptr, ready[k].events);
        }
    }
}
