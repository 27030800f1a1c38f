/* Style: C11 <threads.h> (thrd_create/thrd_detach) instead of pthreads, plain
 * read(2)/write(2) on the sockets with SIGPIPE ignored through sigaction, the
 * reply built in one buffer, getnameinfo for the peer's IP:PORT text, and the
 * listening address obtained from getaddrinfo(AI_PASSIVE|AI_NUMERICHOST). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <threads.h>
#include <unistd.h>

#define PREFIJO "Servidor recibió: "
enum { TAM = 1024, LARGO_PREFIJO = sizeof PREFIJO - 1 };

typedef struct {
    int fd;
    char nombre[80];
} cliente_t;

static int escribir_todo(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w == -1 && errno == EINTR)
            continue;
        if (w == -1)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int atender(void *arg)
{
    cliente_t *c = arg;
    char entrada[TAM];
    char salida[LARGO_PREFIJO + TAM];
    memcpy(salida, PREFIJO, LARGO_PREFIJO);
    for (;;) {
        ssize_t n = read(c->fd, entrada, sizeof entrada);
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* 0: the client closed; -1: ECONNRESET and friends */
        memcpy(salida + LARGO_PREFIJO, entrada, (size_t)n);
        if (escribir_todo(c->fd, salida, LARGO_PREFIJO + (size_t)n) == -1)
            break;
    }
    close(c->fd);
    printf("Cliente %s desconectado\n", c->nombre);
    free(c);
    return 0;
}

static int abrir_escucha(const char *puerto)
{
    struct addrinfo pistas, *res;
    memset(&pistas, 0, sizeof pistas);
    pistas.ai_family = AF_INET;
    pistas.ai_socktype = SOCK_STREAM;
    pistas.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
    int e = getaddrinfo("127.0.0.1", puerto, &pistas, &res);
    if (e != 0) {
        fprintf(stderr, "servidor: getaddrinfo: %s\n", gai_strerror(e));
        return -1;
    }
    int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    int si = 1;
    if (fd == -1 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si) == -1 ||
        bind(fd, res->ai_addr, res->ai_addrlen) == -1 || listen(fd, 128) == -1) {
        perror("servidor: socket/bind/listen");
        if (fd != -1)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

int main(int argc, char *argv[])
{
    if (setvbuf(stdout, NULL, _IOLBF, 0) != 0)
        return 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);

    if (argc > 2) {
        fprintf(stderr, "uso: servidor [PUERTO]\n");
        return 2;
    }
    const char *texto = argc == 2 ? argv[1] : "8888";
    char *fin;
    errno = 0;
    long puerto = strtol(texto, &fin, 10);
    if (texto[0] < '0' || texto[0] > '9' || *fin || errno || puerto < 1 || puerto > 65535) {
        fprintf(stderr, "servidor: puerto no válido: \"%s\" (debe ser un número entre 1 y 65535)\n", texto);
        return 2;
    }
    char servicio[8];
    snprintf(servicio, sizeof servicio, "%ld", puerto);
    int escucha = abrir_escucha(servicio);
    if (escucha == -1)
        return 1;
    printf("Servidor escuchando en 127.0.0.1:%ld\n", puerto);

    for (;;) {
        struct sockaddr_storage dir;
        socklen_t largo = sizeof dir;
        int fd = accept(escucha, (struct sockaddr *)&dir, &largo);
        if (fd == -1) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE)
                continue;
            perror("servidor: accept");
            close(escucha);
            return 1;
        }
        cliente_t *c = malloc(sizeof *c);
        if (c == NULL) {
            close(fd);
            continue;
        }
        c->fd = fd;
        char ip[64], serv[16];
        if (getnameinfo((struct sockaddr *)&dir, largo, ip, sizeof ip, serv, sizeof serv,
                        NI_NUMERICHOST | NI_NUMERICSERV) != 0)
            strcpy(ip, "?"), strcpy(serv, "?");
        snprintf(c->nombre, sizeof c->nombre, "%s:%s", ip, serv);
        printf("Cliente conectado desde %s\n", c->nombre);
        thrd_t hilo;
        if (thrd_create(&hilo, atender, c) != thrd_success) {
            fprintf(stderr, "servidor: thrd_create falló\n");
            close(fd);
            free(c);
            continue;
        }
        thrd_detach(hilo);
    }
}
