/* Style: port validated with a hand-written digit loop (no strtol), output
 * formatted with snprintf and emitted with raw write(2) on fd 1, and the
 * address pulled out of a sockaddr_storage copy instead of casting ai_addr. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *USO = "uso: direcciones HOST [PUERTO]\n";

/* Returns the port 1..65535, or 0 if the text is not such a number. */
static long parse_port(const char *s)
{
    long v = 0;
    if (*s == '\0')
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
        if (v > 65535)
            return 0;
    }
    return v; /* 0 when the text was "0", "00"... which is invalid too */
}

/* write(2) the whole buffer to stdout, retrying on short writes. */
static int out(const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, buf, len);
        if (n == -1) {
            if (errno == EINTR)
                continue;
            perror("direcciones: write");
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int announce(int type, const char *name)
{
    char line[64];
    int fd = socket(AF_INET, type, 0);
    if (fd == -1) {
        perror("direcciones: socket");
        return -1;
    }
    int len = snprintf(line, sizeof line, "Socket %s creado (descriptor %d)\n", name, fd);
    int rc = out(line, (size_t)len);
    return rc == -1 ? -1 : fd;
}

int main(int argc, char *argv[])
{
    const char *service = "80";
    if (argc < 2 || argc > 3) {
        fputs(USO, stderr);
        return 2;
    }
    if (argc == 3) {
        if (parse_port(argv[2]) == 0) {
            fprintf(stderr, "direcciones: puerto no válido: «%s» (debe ser un número entre 1 y 65535)\n", argv[2]);
            return 2;
        }
        service = argv[2];
    }

    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = 0;
    int err = getaddrinfo(argv[1], service, &hints, &res);
    if (err != 0) {
        fprintf(stderr, "direcciones: no se pudo resolver «%s»: %s\n", argv[1], gai_strerror(err));
        return 2;
    }

    int status = 0;
    for (struct addrinfo *p = res; p != NULL; p = p->ai_next) {
        const char *type;
        if (p->ai_socktype == SOCK_STREAM)
            type = "TCP";
        else if (p->ai_socktype == SOCK_DGRAM)
            type = "UDP";
        else
            continue;

        struct sockaddr_storage ss;
        memset(&ss, 0, sizeof ss);
        memcpy(&ss, p->ai_addr, p->ai_addrlen);
        char ip[INET6_ADDRSTRLEN];
        const void *addr;
        unsigned port;
        const char *fam;
        if (ss.ss_family == AF_INET) {
            struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
            addr = &v4->sin_addr;
            port = ntohs(v4->sin_port);
            fam = "IPv4";
        } else if (ss.ss_family == AF_INET6) {
            struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
            addr = &v6->sin6_addr;
            port = ntohs(v6->sin6_port);
            fam = "IPv6";
        } else {
            continue;
        }
        if (inet_ntop(ss.ss_family, addr, ip, sizeof ip) == NULL) {
            perror("direcciones: inet_ntop");
            status = 1;
            break;
        }
        char line[128];
        int len = snprintf(line, sizeof line, "%s %s puerto %u %s\n", fam, ip, port, type);
        if (out(line, (size_t)len) == -1) {
            status = 1;
            break;
        }
    }
    freeaddrinfo(res);
    if (status != 0)
        return status;

    int tcp = announce(SOCK_STREAM, "TCP");
    if (tcp == -1)
        return 1;
    int udp = announce(SOCK_DGRAM, "UDP");
    close(tcp);
    if (udp == -1)
        return 1;
    close(udp);
    return 0;
}
