/* servidor.c - style: single-threaded poll() event loop (the hint allows
 * "con poll() (lección 11)"), non-blocking sockets, files streamed from a
 * per-connection state machine; response headers in a different order, with
 * extra Date/Server/Allow headers and no optional space after the colon
 * ("Content-Length:48"), all of which HTTP/1.1 permits. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAXC 1000
#define HDR 8192
#define BLOCK 65536

struct conn {
    char in[HDR];
    size_t inlen;
    char *out;            /* pending bytes: out[outoff .. outlen) */
    size_t outoff, outlen, outcap;
    int file;             /* -1 or file being streamed */
    off_t left;           /* file bytes still to queue */
    int close_when_done;
};

static struct pollfd pfd[MAXC + 1];
static struct conn *cs[MAXC + 1];
static int n;                               /* entries in use, [0] = listener */
static char root[PATH_MAX];
static size_t rootlen;

static int out_add(struct conn *c, const void *p, size_t len)
{
    if (c->outoff == c->outlen)
        c->outoff = c->outlen = 0;
    if (c->outlen + len > c->outcap) {
        size_t cap = c->outcap ? c->outcap : 1024;
        char *q;
        while (cap < c->outlen + len)
            cap *= 2;
        if ((q = realloc(c->out, cap)) == NULL)
            return -1;
        c->out = q;
        c->outcap = cap;
    }
    memcpy(c->out + c->outlen, p, len);
    c->outlen += len;
    return 0;
}

static const char *ctype(const char *p)
{
    const char *d = strrchr(p, '.');
    static const char *tab[][2] = {
        {".html", "text/html; charset=utf-8"}, {".txt", "text/plain; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".png", "image/png"},
        {".jpg", "image/jpeg"},                {".jpeg", "image/jpeg"},
    };
    size_t i;
    for (i = 0; d && i < sizeof tab / sizeof tab[0]; i++)
        if (!strcmp(d, tab[i][0]))
            return tab[i][1];
    return "application/octet-stream";
}

static void head(struct conn *c, int code, const char *why, const char *type, long long len,
                 const char *extra)
{
    char h[600], date[64];
    time_t now = time(NULL);
    struct tm tm;
    int k;

    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    /* No space after ':' and an unusual order: both are valid HTTP. */
    k = snprintf(h, sizeof h,
                 "HTTP/1.1 %d %s\r\n"
                 "Server:tiny-poll/0.1\r\n"
                 "Date:%s\r\n"
                 "Connection:%s\r\n"
                 "Content-Length:%lld\r\n"
                 "%s"
                 "Content-Type:%s\r\n"
                 "\r\n",
                 code, why, date, c->close_when_done ? "close" : "keep-alive", len,
                 extra ? extra : "", type);
    out_add(c, h, (size_t)k);
}

static void error_page(struct conn *c, int code, const char *why, int body, const char *extra)
{
    char page[160];
    int k = snprintf(page, sizeof page, "<html><body><h1>%d %s</h1></body></html>\n", code, why);
    head(c, code, why, "text/html; charset=utf-8", k, extra);
    if (body)
        out_add(c, page, (size_t)k);
}

static int unhex(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Handle one complete header block of length hl (including CRLFCRLF). */
static void handle(struct conn *c, size_t hl)
{
    char block[HDR + 1], method[16], target[HDR], version[16], path[HDR], file[PATH_MAX + HDR],
        real[PATH_MAX];
    char *save, *line, *p, *w;
    int body, minor, seg;
    struct stat st;

    memcpy(block, c->in, hl);
    block[hl] = '\0';
    line = strtok_r(block, "\r\n", &save);
    /* exactly "METHOD SP TARGET SP VERSION" */
    if (!line || sscanf(line, "%15[^ ] %8191[^ ] %15[^ ]", method, target, version) != 3 ||
        strlen(method) + strlen(target) + strlen(version) + 2 != strlen(line) ||
        target[0] != '/' || (strcmp(version, "HTTP/1.0") && strcmp(version, "HTTP/1.1")))
        goto bad;
    minor = version[7] - '0';
    c->close_when_done = minor == 0;
    while ((line = strtok_r(NULL, "\r\n", &save)) != NULL) {
        char *colon = strchr(line, ':'), *v;
        if (!colon)
            goto bad;
        *colon = '\0';
        v = colon + 1;
        v += strspn(v, " \t");
        v[strcspn(v, " \t")] = '\0';
        if (!strcasecmp(line, "Connection"))
            c->close_when_done = !strcasecmp(v, "close") ? 1
                               : !strcasecmp(v, "keep-alive") ? 0 : c->close_when_done;
    }
    target[strcspn(target, "?")] = '\0';
    for (p = target, w = path; *p; p++) {
        if (*p == '%') {
            int a = unhex(p[1]), b = a < 0 ? -1 : unhex(p[2]);
            if (a < 0 || b < 0 || a * 16 + b == 0)
                goto bad;
            *w++ = (char)(a * 16 + b);
            p += 2;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    printf("%s %s\n", method, path);
    fflush(stdout);
    body = strcmp(method, "HEAD") != 0;
    if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        c->close_when_done = 1;
        error_page(c, 405, "Method Not Allowed", 1, "Allow:GET, HEAD\r\n");
        return;
    }
    for (p = path, seg = 1; *p; p++) {           /* any segment exactly ".." ? */
        if (seg && p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0')) {
            error_page(c, 403, "Forbidden", body, NULL);
            return;
        }
        seg = *p == '/';
    }
    snprintf(file, sizeof file, "%s%s%s", root, path, path[strlen(path) - 1] == '/' ? "index.html" : "");
    if (!realpath(file, real)) {
        error_page(c, 404, "Not Found", body, NULL);
        return;
    }
    if (strncmp(real, root, rootlen) || real[rootlen] != '/') {
        error_page(c, 403, "Forbidden", body, NULL);
        return;
    }
    c->file = open(real, O_RDONLY | O_CLOEXEC);
    if (c->file < 0 || fstat(c->file, &st) < 0 || !S_ISREG(st.st_mode)) {
        if (c->file >= 0)
            close(c->file);
        c->file = -1;
        error_page(c, 404, "Not Found", body, NULL);
        return;
    }
    head(c, 200, "OK", ctype(real), (long long)st.st_size, NULL);
    c->left = body ? st.st_size : 0;
    if (c->left == 0) {
        close(c->file);
        c->file = -1;
    }
    return;
bad:
    c->close_when_done = 1;
    error_page(c, 400, "Bad Request", 1, NULL);
}

static int busy(struct conn *c)
{
    return c->outoff < c->outlen || c->file >= 0;
}

/* Process buffered requests while idle. */
static void work(struct conn *c)
{
    while (!busy(c) && !c->close_when_done) {
        char *e = memmem(c->in, c->inlen, "\r\n\r\n", 4);
        size_t hl;
        if (!e) {
            if (c->inlen == HDR) {
                c->close_when_done = 1;
                error_page(c, 400, "Bad Request", 1, NULL);
            }
            return;
        }
        hl = (size_t)(e - c->in) + 4;
        handle(c, hl);
        memmove(c->in, c->in + hl, c->inlen - hl);
        c->inlen -= hl;
    }
}

/* Push pending bytes; refill from the file. -1 = drop connection. */
static int pump(int fd, struct conn *c)
{
    for (;;) {
        if (c->outoff == c->outlen && c->file >= 0) {
            char buf[BLOCK];
            ssize_t r = read(c->file, buf, c->left < BLOCK ? (size_t)c->left : BLOCK);
            if (r <= 0)
                return -1;
            c->left -= r;
            if (c->left == 0) {
                close(c->file);
                c->file = -1;
            }
            if (out_add(c, buf, (size_t)r) < 0)
                return -1;
        }
        if (c->outoff == c->outlen)
            return 0;
        {
            ssize_t s = send(fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL);
            if (s < 0)
                return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
            c->outoff += (size_t)s;
        }
    }
}

static void drop(int i)
{
    close(pfd[i].fd);
    if (cs[i]->file >= 0)
        close(cs[i]->file);
    free(cs[i]->out);
    free(cs[i]);
    n--;
    pfd[i] = pfd[n];
    cs[i] = cs[n];
}

int main(int argc, char **argv)
{
    const char *dir = argc >= 3 ? argv[2] : "public";
    long port = 8080;
    struct sockaddr_in sa;
    struct stat st;
    int lfd, one = 1, i;

    if (argc > 3) {
        fputs("uso: servidor [PUERTO [CARPETA]]\n", stderr);
        return 2;
    }
    if (argc >= 2) {
        char *e;
        errno = 0;
        port = strtol(argv[1], &e, 10);
        if (!(argv[1][0] >= '0' && argv[1][0] <= '9') || *e || errno || port < 1 || port > 65535) {
            fputs("servidor: el puerto tiene que ser un número de 1 a 65535\n", stderr);
            return 2;
        }
    }
    if (!realpath(dir, root) || stat(root, &st) || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "servidor: %s no es una carpeta\n", dir);
        return 2;
    }
    rootlen = strlen(root);
    signal(SIGPIPE, SIG_IGN);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        bind(lfd, (struct sockaddr *)&sa, sizeof sa) || listen(lfd, 128)) {
        perror("servidor");
        return 1;
    }
    printf("Sirviendo %s en http://127.0.0.1:%ld/\n", root, port);
    fflush(stdout);
    pfd[0].fd = lfd;
    n = 1;
    for (;;) {
        pfd[0].events = n <= MAXC ? POLLIN : 0;
        for (i = 1; i < n; i++)
            pfd[i].events = busy(cs[i]) ? POLLOUT : (cs[i]->close_when_done ? 0 : POLLIN);
        if (poll(pfd, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            perror("servidor: poll");
            return 1;
        }
        for (i = n - 1; i >= 1; i--) {
            struct conn *c = cs[i];
            short re = pfd[i].revents;
            if (!re)
                continue;
            if (re & (POLLERR | POLLNVAL)) {
                drop(i);
                continue;
            }
            if ((re & (POLLIN | POLLHUP)) && !busy(c)) {
                ssize_t r = recv(pfd[i].fd, c->in + c->inlen, HDR - c->inlen, 0);
                if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
                    if (r == 0 && c->inlen > 0 && !memmem(c->in, c->inlen, "\r\n\r\n", 4)) {
                        c->close_when_done = 1;
                        error_page(c, 400, "Bad Request", 1, NULL);
                        pump(pfd[i].fd, c);
                    }
                    drop(i);
                    continue;
                }
                if (r > 0)
                    c->inlen += (size_t)r;
            }
            work(c);
            if (pump(pfd[i].fd, c) < 0) {
                drop(i);
                continue;
            }
            if (!busy(c))
                work(c), pump(pfd[i].fd, c) ;
            if (!busy(c) && c->close_when_done) {
                drop(i);
                continue;
            }
        }
        if (pfd[0].revents & POLLIN) {
            for (;;) {
                int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd < 0)
                    break;
                if (n > MAXC || (cs[n] = calloc(1, sizeof **cs)) == NULL) {
                    close(fd);
                    continue;
                }
                cs[n]->file = -1;
                pfd[n].fd = fd;
                pfd[n].revents = 0;
                n++;
            }
        }
    }
}
