/* Chat client, style: fork(). The child owns the network side (reads lines,
 * answers NICK once, prints); the parent owns the keyboard. A pipe tells the
 * parent when the nick has gone out, and a SIGCHLD handler ends the parent
 * with the child's status when the server side is over. */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXLINE 512
#define MAXNICK 32

static int sock;
static const char *nick;
static pid_t child;

static int send_all(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = send(sock, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static void on_child_exit(int sig)
{
    int st;
    (void)sig;
    if (waitpid(child, &st, WNOHANG) == child)
        _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
}

/* ---- child: the network side ---- */
static void network_side(int ready_fd)
{
    char buf[MAXLINE];
    size_t have = 0;
    int nick_sent = 0;

    for (;;) {
        ssize_t n = recv(sock, buf + have, sizeof buf - have, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "cliente: recv: %s\n", strerror(errno));
            _exit(1);
        }
        if (n == 0) {
            fprintf(stderr, "cliente: el servidor cerró la conexión\n");
            _exit(1);
        }
        have += (size_t)n;
        for (;;) {
            char *nl = memchr(buf, '\n', have);
            size_t len;
            if (nl)
                len = (size_t)(nl - buf);
            else if (have == sizeof buf)
                len = have; /* a full buffer without '\n' goes out as a line */
            else
                break;
            if (len == 4 && memcmp(buf, "NICK", 4) == 0) {
                if (nick_sent) {
                    fprintf(stderr, "cliente: el servidor no aceptó el apodo \"%s\"\n", nick);
                    _exit(1);
                }
                char line[MAXNICK + 2];
                int m = snprintf(line, sizeof line, "%s\n", nick);
                if (send_all(line, (size_t)m) < 0) {
                    fprintf(stderr, "cliente: send: %s\n", strerror(errno));
                    _exit(1);
                }
                nick_sent = 1;
                if (write(ready_fd, "!", 1) != 1) { /* parent may start reading stdin */
                    perror("cliente: write");
                    _exit(1);
                }
            } else {
                fwrite(buf, 1, len, stdout);
                fputc('\n', stdout);
            }
            size_t used = nl ? len + 1 : len;
            have -= used;
            memmove(buf, buf + used, have);
        }
    }
}

/* ---- parent: the keyboard side ---- */
static void user_line(const char *text, size_t len)
{
    char msg[MAXLINE + 1];
    if (len == 0)
        return;
    int m = snprintf(msg, sizeof msg, "%s: %.*s\n", nick, (int)len, text);
    if (m > MAXLINE) {
        fprintf(stderr, "cliente: línea demasiado larga (más de %d bytes); no se envía\n", MAXLINE);
        return;
    }
    if (send_all(msg, (size_t)m) < 0) {
        fprintf(stderr, "cliente: send: %s\n", strerror(errno));
        kill(child, SIGTERM);
        _exit(1);
    }
}

static int keyboard_side(void)
{
    char buf[MAXLINE];
    size_t have = 0;
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf + have, sizeof buf - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            perror("cliente: read");
            return 1;
        }
        if (n == 0) {
            user_line(buf, have); /* half line left at end of input */
            return 0;
        }
        have += (size_t)n;
        char *nl;
        while ((nl = memchr(buf, '\n', have)) != NULL) {
            size_t len = (size_t)(nl - buf);
            user_line(buf, len);
            have -= len + 1;
            memmove(buf, nl + 1, have);
        }
        if (have == sizeof buf) {
            fprintf(stderr, "cliente: línea demasiado larga (más de %d bytes); no se envía\n", MAXLINE);
            have = 0;
        }
    }
}

static int usage(const char *why)
{
    if (why)
        fprintf(stderr, "cliente: %s\n", why);
    fprintf(stderr, "uso: cliente [HOST PUERTO] APODO\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1", *port = "7777";
    if (argc == 2) {
        nick = argv[1];
    } else if (argc == 4) {
        host = argv[1];
        port = argv[2];
        nick = argv[3];
        char *end;
        errno = 0;
        long p = strtol(port, &end, 10);
        if (port[0] < '0' || port[0] > '9' || *end || errno || p < 1 || p > 65535)
            return usage("el puerto tiene que ser un número de 1 a 65535");
    } else {
        return usage(NULL);
    }
    size_t nl = strlen(nick);
    if (nl < 1 || nl > MAXNICK || strchr(nick, '\n'))
        return usage("el apodo tiene que tener de 1 a 32 bytes y ningún salto de línea");

    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res, *ai;
    int e = getaddrinfo(host, port, &hints, &res);
    if (e) {
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host, gai_strerror(e));
        return 1;
    }
    sock = -1;
    int err = 0;
    for (ai = res; ai && sock < 0; ai = ai->ai_next) {
        sock = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (sock >= 0 && connect(sock, ai->ai_addr, ai->ai_addrlen) < 0) {
            err = errno;
            close(sock);
            sock = -1;
        }
    }
    freeaddrinfo(res);
    if (sock < 0) {
        fprintf(stderr, "cliente: no se pudo conectar con %s:%s: %s\n", host, port, strerror(err));
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    int ready[2];
    if (pipe(ready) < 0) {
        perror("cliente: pipe");
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_child_exit; /* no SA_RESTART: blocking reads get EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);

    child = fork();
    if (child < 0) {
        perror("cliente: fork");
        return 1;
    }
    if (child == 0) {
        close(ready[0]);
        network_side(ready[1]);
    }
    close(ready[1]);
    char c;
    ssize_t r;
    while ((r = read(ready[0], &c, 1)) < 0 && errno == EINTR)
        ;
    if (r != 1) { /* the child died before sending the nick */
        int st;
        waitpid(child, &st, 0);
        return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
    }
    int status = keyboard_side();
    /* we are leaving on purpose: the child's end is no longer news */
    signal(SIGCHLD, SIG_DFL);
    kill(child, SIGTERM);
    waitpid(child, NULL, 0);
    close(sock);
    return status;
}
