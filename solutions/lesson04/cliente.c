/* cliente.c: cliente TCP que prueba el servidor de eco de la lección 3. */

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define HOST_DEFECTO   "127.0.0.1"
#define PUERTO_DEFECTO 8888
#define MAX_MENSAJE    1024         /* el servidor de eco lee trozos de 1024 bytes */

/* La "ó" ocupa dos bytes en UTF-8 (0xC3 0xB3): el prefijo ocupa 19 bytes. */
#define PREFIJO        "Servidor recibió: "
#define LARGO_PREFIJO  (sizeof PREFIJO - 1)  /* sin el '\0' final */

/* Los mensajes que se envían si no se indica ninguno. */
char *const MENSAJES_DEFECTO[] = {
    "Hola servidor!", "¿Cómo estás?", "Enviando datos", "Adiós",
};
#define N_DEFECTO      (int)(sizeof MENSAJES_DEFECTO / sizeof MENSAJES_DEFECTO[0])

/* Lo que piden los argumentos de la línea de órdenes. */
struct opciones {
    const char *host;
    int puerto;
    char *const *mensajes;  /* los de argv, o MENSAJES_DEFECTO */
    int n_mensajes;
};

/* Convierte texto en un puerto (1..65535); devuelve 0 si no es válido. */
int leer_puerto(const char *texto)
{
    char *fin;
    long valor;

    if (texto[0] < '0' || texto[0] > '9')   /* ni vacío, ni signo, ni espacios */
        return 0;
    errno = 0;
    valor = strtol(texto, &fin, 10);
    if (errno != 0 || *fin != '\0' || valor < 1 || valor > 65535)
        return 0;
    return (int)valor;
}

/* Rellena o con los argumentos de la línea de órdenes; -1 si no valen. */
int leer_argumentos(int argc, char *argv[], struct opciones *o)
{
    o->host = HOST_DEFECTO;
    o->puerto = PUERTO_DEFECTO;
    if (argc == 2)                           /* host sin puerto */
        return -1;
    if (argc >= 3) {
        o->host = argv[1];
        o->puerto = leer_puerto(argv[2]);
        if (o->puerto == 0) {
            fprintf(stderr, "cliente: puerto no válido: \"%s\" (debe ser un número "
                    "entre 1 y 65535)\n", argv[2]);
            return -1;
        }
    }
    o->mensajes = argc > 3 ? argv + 3 : MENSAJES_DEFECTO;
    o->n_mensajes = argc > 3 ? argc - 3 : N_DEFECTO;
    for (int i = 0; i < o->n_mensajes; i++) {
        size_t largo = strlen(o->mensajes[i]);

        /* Vacío, no llegaría respuesta; más largo, volvería con varios prefijos. */
        if (largo == 0 || largo > MAX_MENSAJE) {
            fprintf(stderr, "cliente: cada mensaje debe tener entre 1 y %d bytes\n",
                    MAX_MENSAJE);
            return -1;
        }
    }
    return 0;
}

/* Crea un socket para la dirección p y lo conecta; -1 si falla (ver errno). */
int conectar_una(const struct addrinfo *p)
{
    int fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);

    if (fd == -1)
        return -1;
    if (connect(fd, p->ai_addr, p->ai_addrlen) == -1) {
        int e = errno;                            /* close podría cambiarlo */

        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Devuelve un socket conectado a host:puerto, o -1 tras avisar por stderr. */
int conectar(const char *host, int puerto)
{
    struct addrinfo pistas, *lista, *p;
    char servicio[8];
    int fd = -1, error, ultimo = 0;

    memset(&pistas, 0, sizeof pistas);
    pistas.ai_family = AF_UNSPEC;                 /* IPv4 o IPv6 */
    pistas.ai_socktype = SOCK_STREAM;             /* TCP */
    pistas.ai_flags = AI_NUMERICSERV;             /* el puerto ya es un número */
    snprintf(servicio, sizeof servicio, "%d", puerto);

    error = getaddrinfo(host, servicio, &pistas, &lista);
    if (error != 0) {
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host,
                gai_strerror(error));
        return -1;
    }
    for (p = lista; p != NULL && fd == -1; p = p->ai_next) {
        fd = conectar_una(p);                     /* la primera que funcione */
        if (fd == -1)
            ultimo = errno;
    }
    freeaddrinfo(lista);
    if (fd == -1)                                 /* di dónde: ayuda a ver el fallo */
        fprintf(stderr, "cliente: no se pudo conectar con %s:%d: %s\n", host, puerto,
                strerror(ultimo));
    return fd;
}

/* Envía los largo bytes de datos aunque send los acepte por partes. */
int enviar_todo(int fd, const char *datos, size_t largo)
{
    size_t enviados = 0;

    while (enviados < largo) {
        /* MSG_NOSIGNAL: si el servidor ya se fue, error EPIPE en vez de SIGPIPE. */
        ssize_t n = send(fd, datos + enviados, largo - enviados, MSG_NOSIGNAL);

        if (n == -1) {
            if (errno == EINTR)        /* nos interrumpió una señal: reintenta */
                continue;
            return -1;
        }
        enviados += (size_t)n;         /* puede ser menos de lo pedido */
    }
    return 0;
}

/*
 * Recibe exactamente largo bytes en datos, aunque lleguen en varios trozos.
 * Devuelve cuántos llegaron (menos de largo si el servidor cerró antes) o -1
 * si recv falló.
 */
ssize_t recibir_exacto(int fd, char *datos, size_t largo)
{
    size_t recibidos = 0;

    while (recibidos < largo) {
        /* Nunca pidas más de lo que falta: lo siguiente es de otra respuesta. */
        ssize_t n = recv(fd, datos + recibidos, largo - recibidos, 0);

        if (n == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)                    /* el servidor cerró la conexión */
            break;
        recibidos += (size_t)n;
    }
    return (ssize_t)recibidos;
}

/* Envía un mensaje, espera su respuesta entera y la escribe; -1 si falla. */
int conversar(int fd, const char *mensaje)
{
    size_t largo = strlen(mensaje);                  /* bytes, no letras */
    size_t esperado = LARGO_PREFIJO + largo;         /* lo que debe volver */
    char *respuesta;
    ssize_t n;

    if (enviar_todo(fd, mensaje, largo) == -1) {
        perror("cliente: send");
        return -1;
    }
    respuesta = malloc(esperado);
    if (respuesta == NULL) {
        perror("cliente: malloc");
        return -1;
    }
    n = recibir_exacto(fd, respuesta, esperado);
    if (n == -1) {
        perror("cliente: recv");
    } else if ((size_t)n < esperado) {   /* una respuesta a medias no se escribe */
        fprintf(stderr, "cliente: el servidor cerró la conexión antes de responder "
                "(llegaron %zd de %zu bytes)\n", n, esperado);
    } else {
        /* Son bytes, no una cadena: sin '\0' al final. fwrite usa la longitud. */
        printf("Respuesta: ");
        fwrite(respuesta, 1, esperado, stdout);
        printf("\n");
    }
    free(respuesta);
    return n == (ssize_t)esperado ? 0 : -1;
}

int main(int argc, char *argv[])
{
    struct opciones o;
    int fd, estado = 0;

    /* stdout puede ser una tubería: vacíalo en cada línea. */
    if (setvbuf(stdout, NULL, _IOLBF, 0) != 0) {
        perror("cliente: setvbuf");
        return 1;
    }
    if (leer_argumentos(argc, argv, &o) == -1) {
        fprintf(stderr, "uso: cliente [HOST PUERTO [MENSAJE...]]\n");
        return 2;
    }
    fd = conectar(o.host, o.puerto);
    if (fd == -1)
        return 1;
    /* Uno a uno: el siguiente mensaje sale cuando llegó la respuesta entera. */
    for (int i = 0; i < o.n_mensajes && estado == 0; i++)
        if (conversar(fd, o.mensajes[i]) == -1)
            estado = 1;              /* la conexión ya no sirve: no sigas */
    /* Al terminar, cierra: el servidor verá que recv le devuelve 0. */
    if (close(fd) == -1) {
        perror("cliente: close");
        estado = 1;
    }
    return estado;
}
