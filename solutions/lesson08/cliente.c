/* cliente.c: cliente de chat: envía lo que escribes y muestra lo que llega. */

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define HOST_DEFECTO   "127.0.0.1"
#define PUERTO_DEFECTO "7777"
#define MAX_LINEA      512          /* bytes de una línea, con su '\n' (el límite del servidor) */
#define MAX_APODO      32

/* Una línea que se va formando: lo recibido que aún no acaba en '\n'. */
struct linea {
    char datos[MAX_LINEA];
    size_t largo;
};

/* 1 si texto es un puerto válido (un número de 1 a 65535). */
int puerto_valido(const char *texto)
{
    char *fin;
    long valor;

    if (texto[0] < '0' || texto[0] > '9')
        return 0;
    errno = 0;
    valor = strtol(texto, &fin, 10);
    return errno == 0 && *fin == '\0' && valor >= 1 && valor <= 65535;
}

/* Devuelve un socket conectado a host:puerto, o -1 tras avisar por stderr. */
int conectar(const char *host, const char *puerto)
{
    struct addrinfo pistas, *lista, *p;
    int fd = -1, error, ultimo = 0;

    memset(&pistas, 0, sizeof pistas);
    pistas.ai_family = AF_UNSPEC;
    pistas.ai_socktype = SOCK_STREAM;
    pistas.ai_flags = AI_NUMERICSERV;
    error = getaddrinfo(host, puerto, &pistas, &lista);
    if (error != 0) {
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host, gai_strerror(error));
        return -1;
    }
    for (p = lista; p != NULL && fd == -1; p = p->ai_next) {
        fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (fd != -1 && connect(fd, p->ai_addr, p->ai_addrlen) == -1) {
            ultimo = errno;
            close(fd);
            fd = -1;
        } else if (fd == -1) {
            ultimo = errno;
        }
    }
    freeaddrinfo(lista);
    if (fd == -1)
        fprintf(stderr, "cliente: no se pudo conectar con %s:%s: %s\n", host, puerto,
                strerror(ultimo));
    return fd;
}

/* Envía los largo bytes de datos aunque send los acepte por partes. */
int enviar_todo(int fd, const char *datos, size_t largo)
{
    size_t enviados = 0;

    while (enviados < largo) {
        ssize_t n = send(fd, datos + enviados, largo - enviados, MSG_NOSIGNAL);

        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1)
            return -1;
        enviados += (size_t)n;
    }
    return 0;
}

/*
 * Lee lo que haya en fd (una sola llamada: poll dijo que hay algo) y lo añade
 * a l. Devuelve lo leído, 0 si el otro lado cerró, -1 si falló.
 */
ssize_t leer_mas(int fd, struct linea *l, int es_socket)
{
    ssize_t n;

    do
        n = es_socket ? recv(fd, l->datos + l->largo, sizeof l->datos - l->largo, 0)
                      : read(fd, l->datos + l->largo, sizeof l->datos - l->largo);
    while (n == -1 && errno == EINTR);
    if (n > 0)
        l->largo += (size_t)n;
    return n;
}

/*
 * Saca de l la primera línea completa y la deja en texto, sin el '\n' y
 * terminada en '\0'. Devuelve su largo, o -1 si aún no hay ninguna entera.
 * Una línea que llena el búfer sin '\n' sale tal cual, para no atascarse.
 */
ssize_t sacar_linea(struct linea *l, char *texto)
{
    char *fin = memchr(l->datos, '\n', l->largo);
    size_t largo, quitar;

    if (fin == NULL && l->largo < sizeof l->datos)
        return -1;
    largo = fin != NULL ? (size_t)(fin - l->datos) : l->largo;
    quitar = fin != NULL ? largo + 1 : largo;
    memcpy(texto, l->datos, largo);
    texto[largo] = '\0';
    l->largo -= quitar;
    memmove(l->datos, l->datos + quitar, l->largo);
    return (ssize_t)largo;
}

/*
 * Atiende una línea del servidor: a "NICK" contesta con el apodo (una sola
 * vez: si lo vuelve a pedir, es que no lo aceptó); las demás se muestran.
 * Devuelve -1 si hay que terminar.
 */
int linea_del_servidor(int fd, const char *apodo, int *apodo_enviado, const char *texto)
{
    if (strcmp(texto, "NICK") == 0) {
        char respuesta[MAX_APODO + 2];
        int largo = snprintf(respuesta, sizeof respuesta, "%s\n", apodo);

        if (*apodo_enviado) {
            fprintf(stderr, "cliente: el servidor no aceptó el apodo \"%s\"\n", apodo);
            return -1;
        }
        *apodo_enviado = 1;
        if (enviar_todo(fd, respuesta, (size_t)largo) == -1) {
            perror("cliente: send");
            return -1;
        }
        return 0;
    }
    printf("%s\n", texto);                       /* una línea entera, de una vez */
    return 0;
}

/* Envía una línea escrita por el usuario como "apodo: texto\n". */
int linea_del_usuario(int fd, const char *apodo, const char *texto)
{
    char mensaje[MAX_LINEA + 1];
    int largo;

    if (texto[0] == '\0')                        /* una línea vacía no dice nada */
        return 0;
    largo = snprintf(mensaje, sizeof mensaje, "%s: %s\n", apodo, texto);
    if (largo < 0 || largo > MAX_LINEA) {
        fprintf(stderr, "cliente: línea demasiado larga (más de %d bytes); no se envía\n",
                MAX_LINEA);
        return 0;
    }
    if (enviar_todo(fd, mensaje, (size_t)largo) == -1) {
        perror("cliente: send");
        return -1;
    }
    return 0;
}

/*
 * El bucle del chat: poll espera a la vez al servidor y al teclado, así que
 * nunca se queda bloqueado en uno mientras el otro tiene algo. El teclado solo
 * se escucha cuando el apodo ya está enviado. Devuelve el estado de salida.
 */
int conversar(int fd, const char *apodo)
{
    struct linea red = {.largo = 0}, teclado = {.largo = 0};
    char texto[MAX_LINEA + 1];
    int apodo_enviado = 0;

    for (;;) {
        struct pollfd pf[2] = {{fd, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
        ssize_t n;

        if (poll(pf, apodo_enviado ? 2 : 1, -1) == -1) {
            if (errno == EINTR)
                continue;
            perror("cliente: poll");
            return 1;
        }
        if (pf[0].revents != 0) {                /* algo del servidor */
            n = leer_mas(fd, &red, 1);
            if (n <= 0) {
                if (n == 0)
                    fprintf(stderr, "cliente: el servidor cerró la conexión\n");
                else
                    perror("cliente: recv");
                return 1;
            }
            while (sacar_linea(&red, texto) != -1)
                if (linea_del_servidor(fd, apodo, &apodo_enviado, texto) == -1)
                    return 1;
        }
        if (apodo_enviado && pf[1].revents != 0) {   /* algo del teclado */
            n = leer_mas(STDIN_FILENO, &teclado, 0);
            if (n == -1) {
                perror("cliente: read");
                return 1;
            }
            if (n == 0 && teclado.largo > 0)     /* Ctrl-D con media línea escrita */
                teclado.datos[teclado.largo++] = '\n';
            while (sacar_linea(&teclado, texto) != -1)
                if (linea_del_usuario(fd, apodo, texto) == -1)
                    return 1;
            if (n == 0)                          /* fin de la entrada: adiós */
                return 0;
        }
    }
}

int main(int argc, char *argv[])
{
    const char *host = HOST_DEFECTO, *puerto = PUERTO_DEFECTO, *apodo;
    int fd, estado;

    if (setvbuf(stdout, NULL, _IOLBF, 0) != 0) {
        perror("cliente: setvbuf");
        return 1;
    }
    if (argc != 2 && argc != 4) {
        fprintf(stderr, "uso: cliente [HOST PUERTO] APODO\n");
        return 2;
    }
    if (argc == 4) {
        host = argv[1];
        puerto = argv[2];
    }
    apodo = argv[argc - 1];
    if (!puerto_valido(puerto)) {
        fprintf(stderr, "cliente: puerto no válido: \"%s\"\nuso: cliente [HOST PUERTO] APODO\n",
                puerto);
        return 2;
    }
    if (apodo[0] == '\0' || strlen(apodo) > MAX_APODO || strchr(apodo, '\n') != NULL) {
        fprintf(stderr, "cliente: el apodo debe tener de 1 a %d bytes, sin saltos de línea\n"
                "uso: cliente [HOST PUERTO] APODO\n", MAX_APODO);
        return 2;
    }
    fd = conectar(host, puerto);
    if (fd == -1)
        return 1;
    estado = conversar(fd, apodo);
    if (close(fd) == -1) {
        perror("cliente: close");
        estado = 1;
    }
    return estado;
}
