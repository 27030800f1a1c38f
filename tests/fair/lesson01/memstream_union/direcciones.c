/* Style: all result lines are first collected in an open_memstream buffer and
 * only flushed to stdout once the whole list was described; the sockaddr is
 * viewed through a union, and the port is checked with strtoul. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

union anyaddr {
    const struct sockaddr *sa;
    const struct sockaddr_in *in4;
    const struct sockaddr_in6 *in6;
};

static int valid_port(const char *text)
{
    char *end;
    if (!isdigit((unsigned char)text[0]))
        return 0;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    return errno == 0 && *end == '\0' && v >= 1 && v <= 65535;
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "uso: direcciones HOST [PUERTO]\n");
        return 2;
    }
    const char *host = argv[1];
    const char *port = argc == 3 ? argv[2] : "80";
    if (!valid_port(port)) {
        fprintf(stderr, "direcciones: puerto no válido: «%s» (debe ser un número entre 1 y 65535)\n", port);
        return 2;
    }

    struct addrinfo hints = {0};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = 0;
    struct addrinfo *list = NULL;
    int rc = getaddrinfo(host, port, &hints, &list);
    if (rc != 0) {
        fprintf(stderr, "direcciones: no se pudo resolver «%s»: %s\n", host, gai_strerror(rc));
        return 2;
    }

    char *text = NULL;
    size_t textlen = 0;
    FILE *mem = open_memstream(&text, &textlen);
    if (mem == NULL) {
        perror("direcciones: open_memstream");
        freeaddrinfo(list);
        return 1;
    }
    for (const struct addrinfo *p = list; p; p = p->ai_next) {
        const char *kind = p->ai_socktype == SOCK_STREAM ? "TCP"
                         : p->ai_socktype == SOCK_DGRAM  ? "UDP" : NULL;
        if (kind == NULL)
            continue;
        union anyaddr a = {.sa = p->ai_addr};
        char ip[INET6_ADDRSTRLEN];
        int portnum;
        const char *ok;
        if (p->ai_family == AF_INET) {
            ok = inet_ntop(AF_INET, &a.in4->sin_addr, ip, sizeof ip);
            portnum = ntohs(a.in4->sin_port);
        } else if (p->ai_family == AF_INET6) {
            ok = inet_ntop(AF_INET6, &a.in6->sin6_addr, ip, sizeof ip);
            portnum = ntohs(a.in6->sin6_port);
        } else {
            continue;
        }
        if (ok == NULL) {
            perror("direcciones: inet_ntop");
            fclose(mem);
            free(text);
            freeaddrinfo(list);
            return 1;
        }
        fprintf(mem, "%s %s puerto %d %s\n", p->ai_family == AF_INET ? "IPv4" : "IPv6",
                ip, portnum, kind);
    }
    freeaddrinfo(list);
    if (fclose(mem) != 0) {
        perror("direcciones: fclose");
        free(text);
        return 1;
    }
    fwrite(text, 1, textlen, stdout);
    free(text);

    int fds[2];
    const int types[2] = {SOCK_STREAM, SOCK_DGRAM};
    const char *names[2] = {"TCP", "UDP"};
    for (int i = 0; i < 2; i++) {
        fds[i] = socket(AF_INET, types[i], 0);
        if (fds[i] == -1) {
            perror("direcciones: socket");
            if (i == 1)
                close(fds[0]);
            return 1;
        }
        printf("Socket %s creado (descriptor %d)\n", names[i], fds[i]);
    }
    close(fds[1]);
    close(fds[0]);
    if (fflush(stdout) == EOF) {
        perror("direcciones: stdout");
        return 1;
    }
    return 0;
}
