/* servidor.c - style: detached thread per connection behind the textbook
 * listen(fd, 5) backlog; header block and first file block go out together
 * with writev(), then 64 KiB read()/send() blocks; canonical "Name: value"
 * headers but in another order (Connection first) plus a Server header. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/uio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#define HEAD_MAX 8192
#define IDLE_SECONDS 30

static char root[PATH_MAX];
static size_t rootlen;

struct request {
    char method[16];
    char path[HEAD_MAX];
    int minor;
    int close_after;
};

static int send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static const char *mime(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot == NULL || strchr(dot, '/') != NULL)
        return "application/octet-stream";
    if (!strcasecmp(dot, ".html"))
        return "text/html; charset=utf-8";
    if (!strcasecmp(dot, ".txt"))
        return "text/plain; charset=utf-8";
    if (!strcasecmp(dot, ".css"))
        return "text/css; charset=utf-8";
    if (!strcasecmp(dot, ".png"))
        return "image/png";
    if (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg"))
        return "image/jpeg";
    return "application/octet-stream";
}

static int head_text(char *h, size_t cap, int code, const char *reason, const char *type,
                     long long len, int close_after, const char *extra)
{
    return snprintf(h, cap,
                     "HTTP/1.1 %d %s\r\n"
                     "Connection: %s\r\n"
                     "Server: fair-threads\r\n"
                     "%s"
                     "Content-Length: %lld\r\n"
                     "Content-Type: %s\r\n"
                     "\r\n",
                     code, reason, close_after ? "close" : "keep-alive", extra ? extra : "",
                     len, type);
}

static int send_head(int fd, int code, const char *reason, const char *type, long long len,
                     int close_after, const char *extra)
{
    char h[512];
    int n = head_text(h, sizeof h, code, reason, type, len, close_after, extra);
    return send_all(fd, h, (size_t)n);
}

/* writev until every byte of iov[0..cnt) is out */
static int writev_all(int fd, struct iovec *iov, int cnt)
{
    while (cnt > 0) {
        ssize_t k = writev(fd, iov, cnt);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        while (cnt > 0 && (size_t)k >= iov->iov_len) {
            k -= (ssize_t)iov->iov_len;
            iov++;
            cnt--;
        }
        if (cnt > 0) {
            iov->iov_base = (char *)iov->iov_base + k;
            iov->iov_len -= (size_t)k;
        }
    }
    return 0;
}

static int send_error(int fd, int code, const char *reason, int close_after, int body,
                      const char *extra)
{
    char page[200];
    int n = snprintf(page, sizeof page, "<!DOCTYPE html>\n<title>%d</title><h1>%d %s</h1>\n",
                     code, code, reason);
    if (send_head(fd, code, reason, "text/html; charset=utf-8", n, close_after, extra) < 0)
        return -1;
    return body ? send_all(fd, page, (size_t)n) : 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* percent-decode in place, once; -1 on a bad escape or %00 */
static int decode(char *s)
{
    char *w = s;
    for (; *s; s++) {
        if (*s == '%') {
            int hi = hexval((unsigned char)s[1]), lo = hi < 0 ? -1 : hexval((unsigned char)s[2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return -1;
            *w++ = (char)(hi * 16 + lo);
            s += 2;
        } else {
            *w++ = *s;
        }
    }
    *w = '\0';
    return 0;
}

static int has_dotdot(const char *p)
{
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 1;
        p += n;
        if (*p == '/')
            p++;
    }
    return 0;
}

/* header block (without the final CRLFCRLF, NUL-terminated) -> request; -1 = 400 */
static int parse(char *head, struct request *r)
{
    char *save = NULL, *line = strtok_r(head, "\r\n", &save);
    char *sp1, *sp2, *target, *version;

    if (line == NULL)
        return -1;
    sp1 = strchr(line, ' ');
    if (!sp1)
        return -1;
    sp2 = strchr(sp1 + 1, ' ');
    if (!sp2 || strchr(sp2 + 1, ' '))
        return -1;
    *sp1 = *sp2 = '\0';
    target = sp1 + 1;
    version = sp2 + 1;
    if (*line == '\0' || strlen(line) >= sizeof r->method || target[0] != '/')
        return -1;
    if (!strcmp(version, "HTTP/1.1"))
        r->minor = 1;
    else if (!strcmp(version, "HTTP/1.0"))
        r->minor = 0;
    else
        return -1;
    strcpy(r->method, line);
    target[strcspn(target, "?")] = '\0';          /* drop the query before decoding */
    strcpy(r->path, target);
    if (decode(r->path) < 0)
        return -1;
    r->close_after = r->minor == 0;
    while ((line = strtok_r(NULL, "\r\n", &save)) != NULL) {
        char *colon = strchr(line, ':'), *v;
        if (!colon)
            return -1;
        *colon = '\0';
        for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
            ;
        v[strcspn(v, " \t")] = '\0';
        if (!strcasecmp(line, "connection")) {
            if (!strcasecmp(v, "close"))
                r->close_after = 1;
            else if (!strcasecmp(v, "keep-alive"))
                r->close_after = 0;
        }
    }
    return 0;
}

/* 0 keep going, -1 close */
static int respond(int fd, struct request *r)
{
    int head_only = !strcmp(r->method, "HEAD");
    char want[PATH_MAX + HEAD_MAX], real[PATH_MAX];
    struct stat st;
    int f;
    off_t off = 0;

    printf("%s %s\n", r->method, r->path);
    fflush(stdout);
    if (strcmp(r->method, "GET") && !head_only) {
        send_error(fd, 405, "Method Not Allowed", 1, 1, "Allow: GET, HEAD\r\n");
        return -1;
    }
    if (has_dotdot(r->path))
        return send_error(fd, 403, "Forbidden", r->close_after, !head_only, NULL) < 0 ||
               r->close_after ? -1 : 0;
    snprintf(want, sizeof want, "%s%s%s", root, r->path,
             r->path[strlen(r->path) - 1] == '/' ? "index.html" : "");
    if (realpath(want, real) == NULL) {
        int code = errno == EACCES ? 403 : 404;
        return send_error(fd, code, code == 403 ? "Forbidden" : "Not Found", r->close_after,
                          !head_only, NULL) < 0 || r->close_after ? -1 : 0;
    }
    if (strncmp(real, root, rootlen) != 0 || real[rootlen] != '/')
        return send_error(fd, 403, "Forbidden", r->close_after, !head_only, NULL) < 0 ||
               r->close_after ? -1 : 0;
    f = open(real, O_RDONLY | O_CLOEXEC);
    if (f < 0 || fstat(f, &st) < 0 || !S_ISREG(st.st_mode)) {
        if (f >= 0)
            close(f);
        return send_error(fd, 404, "Not Found", r->close_after, !head_only, NULL) < 0 ||
               r->close_after ? -1 : 0;
    }
    if (head_only) {
        int rc = send_head(fd, 200, "OK", mime(real), (long long)st.st_size, r->close_after, NULL);
        close(f);
        return rc < 0 || r->close_after ? -1 : 0;
    }
    {
        static __thread char block[65536];
        char h[512];
        int hl = head_text(h, sizeof h, 200, "OK", mime(real), (long long)st.st_size,
                           r->close_after, NULL);
        ssize_t k = read(f, block, sizeof block);
        struct iovec iov[2] = { { h, (size_t)hl }, { block, k > 0 ? (size_t)k : 0 } };
        if (k < 0 || writev_all(fd, iov, 2) < 0) {
            close(f);
            return -1;
        }
        off = k;
        while (off < st.st_size) {
            k = read(f, block, sizeof block);
            if (k <= 0 || send_all(fd, block, (size_t)k) < 0) {
                close(f);
                return -1;
            }
            off += k;
        }
    }
    close(f);
    return r->close_after ? -1 : 0;
}

static void *conn_main(void *arg)
{
    int fd = (int)(long)arg;
    char buf[HEAD_MAX + 1];
    size_t have = 0;
    struct timeval idle = { IDLE_SECONDS, 0 };

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
    for (;;) {
        char *end = memmem(buf, have, "\r\n\r\n", 4);
        struct request req;
        size_t used;
        ssize_t n;

        if (end == NULL) {
            if (have == HEAD_MAX) {
                send_error(fd, 400, "Bad Request", 1, 1, NULL);
                break;
            }
            n = recv(fd, buf + have, HEAD_MAX - have, 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                if (n == 0 && have > 0)
                    send_error(fd, 400, "Bad Request", 1, 1, NULL);
                break;
            }
            have += (size_t)n;
            continue;
        }
        used = (size_t)(end - buf) + 4;
        end[2] = '\0';                  /* keep the last header's CRLF, cut the blank line */
        memset(&req, 0, sizeof req);
        if (parse(buf, &req) < 0) {
            send_error(fd, 400, "Bad Request", 1, 1, NULL);
            break;
        }
        if (respond(fd, &req) < 0)
            break;
        memmove(buf, buf + used, have - used);
        have -= used;
    }
    close(fd);
    return NULL;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 2 ? argv[2] : "public";
    long port = 8080;
    struct sockaddr_in a;
    struct stat st;
    pthread_attr_t attr;
    int one = 1, lfd;

    if (argc > 3) {
        fprintf(stderr, "uso: servidor [PUERTO [CARPETA]]\n");
        return 2;
    }
    if (argc > 1) {
        char *e;
        errno = 0;
        port = strtol(argv[1], &e, 10);
        if (argv[1][0] < '0' || argv[1][0] > '9' || *e || errno || port < 1 || port > 65535) {
            fprintf(stderr, "servidor: puerto no válido: %s\n", argv[1]);
            return 2;
        }
    }
    if (realpath(dir, root) == NULL || stat(root, &st) < 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "servidor: la carpeta %s no existe\n", dir);
        return 2;
    }
    rootlen = strlen(root);
    signal(SIGPIPE, SIG_IGN);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    lfd = socket(AF_INET, SOCK_STREAM, 0);
    if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, 5) < 0) {
        perror("servidor");
        return 1;
    }
    printf("Sirviendo %s en http://127.0.0.1:%ld/\n", root, port);
    fflush(stdout);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (;;) {
        pthread_t t;
        int c = accept(lfd, NULL, NULL);
        if (c < 0) {
            if (errno != EINTR && errno != ECONNABORTED)
                perror("servidor: accept");
            if (errno == EMFILE || errno == ENFILE)
                sleep(1);
            continue;
        }
        if (pthread_create(&t, &attr, conn_main, (void *)(long)c) != 0) {
            perror("servidor: pthread_create");
            close(c);
        }
    }
}
