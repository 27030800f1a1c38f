/* cliente.c: cliente que distingue cada error de red, lo explica y sale con su código. */

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define PLAZO_MS   1000                 /* para conectar, y para la respuesta entera */
#define MAX_LINEA  512
#define PETICION   "FRASE\n"

/* Un código de salida por cada error: quien lanza el cliente sabe qué pasó. */
enum salida {
    BIEN = 0,
    OTRO_ERROR = 1,                     /* una llamada al sistema falló por otra cosa */
    USO = 2,
    SIN_NOMBRE = 3,                     /* el nombre no se pudo resolver (DNS) */
    RECHAZADA = 4,                      /* nadie escucha en ese puerto */
    SIN_RESPUESTA = 5,                  /* se agotó el plazo, al conectar o al esperar */
    CORTADA = 6,                        /* el servidor cortó de golpe (RST) */
    INCOMPLETA = 7,                     /* el servidor cerró antes de acabar la respuesta */
};

/* Milisegundos de un reloj que nunca va hacia atrás. */
long long ahora_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

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

/* Espera hasta limite (ms de ahora_ms) a que fd esté listo para events: 1 si lo
   está, 0 si se acabó el plazo, -1 si poll falló (ver errno). */
int esperar(int fd, short events, long long limite)
{
    struct pollfd pf = {fd, events, 0};
    int r;

    do {
        long long quedan = limite - ahora_ms();
        r = quedan > 0 ? poll(&pf, 1, (int)quedan) : 0;
    } while (r == -1 && errno == EINTR);
    return r;
}

/*
 * Conecta con la dirección p sin pasar de limite: connect no bloqueante,
 * poll y SO_ERROR. Devuelve el socket, o -1 con errno (ETIMEDOUT,
 * ECONNREFUSED...).
 */
int conectar_una(const struct addrinfo *p, long long limite)
{
    int fd = socket(p->ai_family, p->ai_socktype | SOCK_NONBLOCK, p->ai_protocol);
    int error = 0;
    socklen_t largo = sizeof error;

    if (fd == -1)
        return -1;
    if (connect(fd, p->ai_addr, p->ai_addrlen) == -1) {
        int r = errno == EINPROGRESS ? esperar(fd, POLLOUT, limite) : -1;

        if (r == 0)
            error = ETIMEDOUT;
        else if (r == -1)
            error = errno;
        else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &largo) == -1)
            error = errno;
    }
    if (error != 0) {
        close(fd);
        errno = error;
        return -1;
    }
    return fd;
}

/* Traduce el errno de un fallo al conectar o al recibir en un código de salida. */
enum salida explicar(const char *host, const char *puerto, int error)
{
    switch (error) {
    case ECONNREFUSED:
        fprintf(stderr, "cliente: nadie escucha en %s:%s (conexión rechazada)\n", host, puerto);
        return RECHAZADA;
    case ETIMEDOUT:
        fprintf(stderr, "cliente: %s:%s no respondió en %d ms\n", host, puerto, PLAZO_MS);
        return SIN_RESPUESTA;
    case ECONNRESET:
        fprintf(stderr, "cliente: %s:%s cortó la conexión de golpe (reset)\n", host, puerto);
        return CORTADA;
    default:
        fprintf(stderr, "cliente: %s:%s: %s\n", host, puerto, strerror(error));
        return OTRO_ERROR;
    }
}

/*
 * Recibe una línea entera (hasta '\n') antes de limite. Devuelve su largo
 * (sin el '\n'), o -1 con errno: ETIMEDOUT (plazo), EPIPE (cerró antes del
 * final, con lo que llegó en *largo), ECONNRESET...
 */
ssize_t recibir_linea(int fd, char *linea, size_t tam, long long limite, size_t *largo)
{
    *largo = 0;
    for (;;) {
        char *fin = memchr(linea, '\n', *largo);
        ssize_t n;

        if (fin != NULL)
            return fin - linea;
        if (*largo == tam) {
            errno = EMSGSIZE;
            return -1;
        }
        switch (esperar(fd, POLLIN, limite)) {
        case 0:
            errno = ETIMEDOUT;
            return -1;
        case -1:
            return -1;                           /* poll falló: errno lo dice */
        }
        n = recv(fd, linea + *largo, tam - *largo, 0);
        if (n == -1 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n == -1)
            return -1;
        if (n == 0) {                            /* cerró sin terminar la línea */
            errno = EPIPE;
            return -1;
        }
        *largo += (size_t)n;
    }
}

/* La conversación entera: conecta, pide, espera la respuesta. */
enum salida consultar(const char *host, const char *puerto)
{
    struct addrinfo pistas, *lista, *p;
    char linea[MAX_LINEA];
    long long limite;
    int fd = -1, error = 0;
    size_t llegaron;
    ssize_t n;
    enum salida r;

    memset(&pistas, 0, sizeof pistas);
    pistas.ai_family = AF_UNSPEC;
    pistas.ai_socktype = SOCK_STREAM;
    pistas.ai_flags = AI_NUMERICSERV;
    error = getaddrinfo(host, puerto, &pistas, &lista);
    if (error != 0) {                            /* sin errno: su propio código */
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host, gai_strerror(error));
        return SIN_NOMBRE;
    }
    limite = ahora_ms() + PLAZO_MS;              /* para conectar: el DNS ya no cuenta */
    for (p = lista; p != NULL && fd == -1; p = p->ai_next) {
        fd = conectar_una(p, limite);
        if (fd == -1)
            error = errno;
    }
    freeaddrinfo(lista);                         /* en todos los caminos */
    if (fd == -1)
        return explicar(host, puerto, error);

    r = BIEN;
    limite = ahora_ms() + PLAZO_MS;              /* el plazo de la respuesta, entero */
    if (send(fd, PETICION, strlen(PETICION), MSG_NOSIGNAL) == -1) {
        r = explicar(host, puerto, errno);
    } else if ((n = recibir_linea(fd, linea, sizeof linea, limite, &llegaron)) == -1) {
        if (errno == EPIPE) {
            fprintf(stderr, "cliente: %s:%s cerró la conexión antes de terminar la "
                    "respuesta (llegaron %zu bytes sin el final de línea)\n", host, puerto,
                    llegaron);
            r = INCOMPLETA;
        } else {
            r = explicar(host, puerto, errno);
        }
    } else {
        printf("Respuesta: %.*s\n", (int)n, linea);
    }
    close(fd);                                   /* también si algo falló */
    return r;
}

int main(int argc, char *argv[])
{
    if (setvbuf(stdout, NULL, _IOLBF, 0) != 0)
        return OTRO_ERROR;
    if (argc != 3 || !puerto_valido(argv[2])) {
        fprintf(stderr, "uso: cliente HOST PUERTO\n");
        return USO;
    }
    return consultar(argv[1], argv[2]);
}
