/* Style: stdio on the socket: a "w" stream (fdopen of a dup) for sending with
 * fwrite+fflush, and an UNBUFFERED "r" stream (setvbuf _IONBF, so stdio never
 * reads ahead past the reply) from which fread pulls exactly the expected
 * bytes; connects with a hand-filled sockaddr_in when HOST is an IPv4
 * literal, getaddrinfo otherwise. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PREFIJO "Servidor recibió: "
#define MAX_MENSAJE 1024

static int mal_uso(const char *porque)
{
    if (porque)
        fprintf(stderr, "cliente: %s\n", porque);
    fprintf(stderr, "uso: cliente [HOST PUERTO [MENSAJE...]]\n");
    return 2;
}

static int conectar(const char *host, const char *texto_puerto, int puerto)
{
    int fd, err;
    struct sockaddr_in v4;
    memset(&v4, 0, sizeof v4);
    if (inet_pton(AF_INET, host, &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        v4.sin_port = htons((uint16_t)puerto);
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd == -1)
            return -1;
        if (connect(fd, (struct sockaddr *)&v4, sizeof v4) == 0)
            return fd;
        err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    struct addrinfo pistas = {0}, *lista, *p;
    pistas.ai_family = AF_UNSPEC;
    pistas.ai_socktype = SOCK_STREAM;
    int e = getaddrinfo(host, texto_puerto, &pistas, &lista);
    if (e != 0) {
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host, gai_strerror(e));
        errno = 0;
        return -2;
    }
    fd = -1;
    err = ECONNREFUSED;
    for (p = lista; p && fd == -1; p = p->ai_next) {
        fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (fd != -1 && connect(fd, p->ai_addr, p->ai_addrlen) == -1) {
            err = errno;
            close(fd);
            fd = -1;
        } else if (fd == -1) {
            err = errno;
        }
    }
    freeaddrinfo(lista);
    errno = err;
    return fd;
}

int main(int argc, char *argv[])
{
    static const char *por_defecto[] = {"Hola servidor!", "¿Cómo estás?", "Enviando datos", "Adiós"};
    if (setvbuf(stdout, NULL, _IOLBF, 0) != 0)
        return 1;
    if (argc == 2)
        return mal_uso("falta el puerto");
    const char *host = argc >= 3 ? argv[1] : "127.0.0.1";
    const char *tp = argc >= 3 ? argv[2] : "8888";
    char *fin;
    errno = 0;
    long puerto = strtol(tp, &fin, 10);
    if (tp[0] < '0' || tp[0] > '9' || *fin != '\0' || errno || puerto < 1 || puerto > 65535)
        return mal_uso("puerto no válido");
    const char **msgs = argc > 3 ? (const char **)argv + 3 : por_defecto;
    int n = argc > 3 ? argc - 3 : 4;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(msgs[i]);
        if (l == 0 || l > MAX_MENSAJE)
            return mal_uso("cada mensaje debe tener entre 1 y 1024 bytes");
    }

    signal(SIGPIPE, SIG_IGN);
    int fd = conectar(host, tp, (int)puerto);
    if (fd == -2)
        return 1;
    if (fd == -1) {
        fprintf(stderr, "cliente: no se pudo conectar con %s:%ld: %s\n", host, puerto, strerror(errno));
        return 1;
    }
    int fd2 = dup(fd);
    FILE *rd = fdopen(fd, "r");
    FILE *wr = fd2 == -1 ? NULL : fdopen(fd2, "w");
    if (!rd || !wr) {
        perror("cliente: fdopen");
        return 1;
    }
    setvbuf(rd, NULL, _IONBF, 0);

    int estado = 0;
    char resp[sizeof PREFIJO - 1 + MAX_MENSAJE];
    for (int i = 0; i < n; i++) {
        size_t l = strlen(msgs[i]);
        if (fwrite(msgs[i], 1, l, wr) != l || fflush(wr) == EOF) {
            perror("cliente: send");
            estado = 1;
            break;
        }
        size_t esperado = sizeof PREFIJO - 1 + l;
        size_t got = fread(resp, 1, esperado, rd);
        if (got < esperado) {
            if (ferror(rd))
                perror("cliente: recv");
            else
                fprintf(stderr, "cliente: el servidor cerró la conexión antes de responder "
                        "(llegaron %zu de %zu bytes)\n", got, esperado);
            estado = 1;
            break;
        }
        printf("Respuesta: ");
        fwrite(resp, 1, esperado, stdout);
        printf("\n");
    }
    fclose(wr);
    fclose(rd);
    return estado;
}
