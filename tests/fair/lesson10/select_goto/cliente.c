/* cliente.c - style: everything in one function with goto-cleanup, waiting
 * with select() (one fd, far below FD_SETSIZE), a 64 KiB receive buffer from
 * which only the first 512 bytes may hold the line, and write() for sending. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS 1000
#define MAXLINE 512

static long long ms_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* select() for one fd until deadline: 1 ready, 0 timeout, -1 error */
static int wait_fd(int fd, int for_write, long long deadline)
{
    for (;;) {
        long long left = deadline - ms_now();
        struct timeval tv;
        fd_set set;
        int r;

        if (left <= 0)
            return 0;
        FD_ZERO(&set);
        FD_SET(fd, &set);
        tv.tv_sec = left / 1000;
        tv.tv_usec = (left % 1000) * 1000;
        r = select(fd + 1, for_write ? NULL : &set, for_write ? &set : NULL, NULL, &tv);
        if (r == -1 && errno == EINTR)
            continue;
        return r;
    }
}

int main(int argc, char *argv[])
{
    static char buf[65536];
    struct addrinfo hints, *list = NULL, *ai;
    const char *host, *port;
    long long deadline;
    size_t have = 0;
    int fd = -1, err = 0, rc = 1, g;
    char *nl;
    char *end;
    long pnum;

    signal(SIGPIPE, SIG_IGN);          /* write() to a reset socket must not kill us */
    if (argc != 3)
        goto usage;
    errno = 0;
    pnum = strtol(argv[2], &end, 10);
    if (argv[2][0] < '0' || argv[2][0] > '9' || *end || errno || pnum < 1 || pnum > 65535)
        goto usage;
    host = argv[1];
    port = argv[2];

    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    g = getaddrinfo(host, port, &hints, &list);
    if (g != 0) {
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host, gai_strerror(g));
        return 3;
    }

    deadline = ms_now() + TIMEOUT_MS;
    for (ai = list; ai != NULL; ai = ai->ai_next) {
        socklen_t len = sizeof err;
        int r;

        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd == -1) {
            err = errno;
            continue;
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        err = errno;
        if (err == EINPROGRESS) {
            r = wait_fd(fd, 1, deadline);
            if (r == 0)
                err = ETIMEDOUT;
            else if (r == -1)
                err = errno;
            else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
                err = errno;
            if (err == 0)
                break;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(list);
    list = NULL;
    if (fd == -1)
        goto explain;

    deadline = ms_now() + TIMEOUT_MS;
    if (write(fd, "FRASE\n", 6) != 6) {
        err = errno;
        goto explain;
    }
    while ((nl = memchr(buf, '\n', have)) == NULL) {
        ssize_t n;
        int r;

        if (have >= MAXLINE) {
            err = EMSGSIZE;
            goto explain;
        }
        r = wait_fd(fd, 0, deadline);
        if (r <= 0) {
            err = r == 0 ? ETIMEDOUT : errno;
            goto explain;
        }
        n = recv(fd, buf + have, sizeof buf - have, 0);
        if (n == -1 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
            continue;
        if (n == -1) {
            err = errno;
            goto explain;
        }
        if (n == 0) {
            fprintf(stderr, "cliente: %s:%s cerró la conexión antes de terminar la respuesta "
                    "(llegaron %zu bytes sin el final de línea)\n", host, port, have);
            rc = 7;
            goto out;
        }
        have += (size_t)n;
    }
    if (nl - buf >= MAXLINE) {          /* the line (with its '\n') must fit in 512 */
        err = EMSGSIZE;
        goto explain;
    }
    printf("Respuesta: %.*s\n", (int)(nl - buf), buf);
    rc = 0;
    goto out;

explain:
    switch (err) {
    case ECONNREFUSED:
        fprintf(stderr, "cliente: nadie escucha en %s:%s (conexión rechazada)\n", host, port);
        rc = 4;
        break;
    case ETIMEDOUT:
        fprintf(stderr, "cliente: %s:%s no respondió en %d ms\n", host, port, TIMEOUT_MS);
        rc = 5;
        break;
    case ECONNRESET:
        fprintf(stderr, "cliente: %s:%s cortó la conexión de golpe (reset)\n", host, port);
        rc = 6;
        break;
    default:
        fprintf(stderr, "cliente: %s:%s: %s\n", host, port, strerror(err));
        rc = 1;
    }
out:
    if (fd != -1)
        close(fd);
    return rc;

usage:
    fprintf(stderr, "uso: cliente HOST PUERTO\n");
    return 2;
}
