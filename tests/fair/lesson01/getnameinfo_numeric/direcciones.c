/* Style: uses getnameinfo(NI_NUMERICHOST | NI_NUMERICSERV) to get the port
 * text (sscanf'd into a number) and inet_ntop for the address; the listing
 * is done with a while loop and a switch on ai_family. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void bad_port(const char *p)
{
    fprintf(stderr, "direcciones: puerto no válido: «%s» (debe ser un número entre 1 y 65535)\n", p);
}

int main(int argc, char *argv[])
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "uso: direcciones HOST [PUERTO]\n");
        return 2;
    }
    char service[8] = "80";
    if (argc == 3) {
        const char *t = argv[2];
        size_t len = strlen(t);
        if (len == 0 || len > 5 || strspn(t, "0123456789") != len) {
            bad_port(t);
            return 2;
        }
        long v = strtol(t, NULL, 10);
        if (v < 1 || v > 65535) {
            bad_port(t);
            return 2;
        }
        snprintf(service, sizeof service, "%ld", v);
    }

    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    struct addrinfo *head;
    int e = getaddrinfo(argv[1], service, &hints, &head);
    if (e) {
        fprintf(stderr, "direcciones: no se pudo resolver «%s»: %s\n", argv[1], gai_strerror(e));
        return 2;
    }

    struct addrinfo *p = head;
    while (p) {
        const char *fam = NULL, *typ = NULL;
        const void *bin = NULL;
        switch (p->ai_family) {
        case AF_INET:
            fam = "IPv4";
            bin = &((struct sockaddr_in *)(void *)p->ai_addr)->sin_addr;
            break;
        case AF_INET6:
            fam = "IPv6";
            bin = &((struct sockaddr_in6 *)(void *)p->ai_addr)->sin6_addr;
            break;
        }
        switch (p->ai_socktype) {
        case SOCK_STREAM: typ = "TCP"; break;
        case SOCK_DGRAM:  typ = "UDP"; break;
        }
        if (fam && typ) {
            char ip[INET6_ADDRSTRLEN], serv[32];
            int portnum = 0;
            if (!inet_ntop(p->ai_family, bin, ip, sizeof ip)) {
                perror("direcciones: inet_ntop");
                freeaddrinfo(head);
                return 1;
            }
            int g = getnameinfo(p->ai_addr, p->ai_addrlen, NULL, 0, serv, sizeof serv,
                                NI_NUMERICSERV | (p->ai_socktype == SOCK_DGRAM ? NI_DGRAM : 0));
            if (g != 0 || sscanf(serv, "%d", &portnum) != 1) {
                fprintf(stderr, "direcciones: getnameinfo: %s\n", gai_strerror(g));
                freeaddrinfo(head);
                return 1;
            }
            printf("%s %s puerto %d %s\n", fam, ip, portnum, typ);
        }
        p = p->ai_next;
    }
    freeaddrinfo(head);

    int t = socket(AF_INET, SOCK_STREAM, 0);
    if (t < 0) {
        perror("direcciones: socket");
        return 1;
    }
    printf("Socket TCP creado (descriptor %d)\n", t);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    if (u < 0) {
        perror("direcciones: socket");
        close(t);
        return 1;
    }
    printf("Socket UDP creado (descriptor %d)\n", u);
    close(u);
    close(t);
    return 0;
}
