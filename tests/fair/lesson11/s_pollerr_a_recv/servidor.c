/* servidor.c: the lesson11 solution, but POLLERR is left for recv()/send() to report (MSG_NOSIGNAL kept): correct, must score 100%. */

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define DIRECCION      "127.0.0.1"
#define PUERTO_DEFECTO 8888
#define COLA           1024         /* conexiones que esperan a accept() */
#define MAX_CLIENTES   4000         /* a la vez; más allá, se cierran al aceptarlas */
#define TAM_LECTURA    1024         /* como en la lección 3: un trozo, una respuesta */
#define MAX_PENDIENTE  (1 << 20)    /* salida sin enviar por cliente: más, y no le leemos */

#define PREFIJO        "Servidor recibió: "
#define LARGO_PREFIJO  (sizeof PREFIJO - 1)

/* Lo que el servidor recuerda de cada cliente entre dos vueltas del bucle. */
struct cliente {
    char *salida;                   /* respuestas que aún no aceptó send() */
    size_t largo, capacidad;
    int termino;                    /* ya no envía (recv dio 0): se va al vaciar su salida */
};

/* El estado entero: sin hilos, basta con dos arrays paralelos. La posición 0
   es el socket que escucha; de la 1 en adelante, un cliente en cada una. */
static struct pollfd pf[MAX_CLIENTES + 1];
static struct cliente clientes[MAX_CLIENTES + 1];
static int n_pf = 0;
static int sin_descriptores = 0;    /* accept dio EMFILE: no aceptar hasta que se vaya alguien */

/* Convierte texto en un puerto (1..65535); devuelve 0 si no es válido. */
int leer_puerto(const char *texto)
{
    char *fin;
    long valor;

    if (texto[0] < '0' || texto[0] > '9')
        return 0;
    errno = 0;
    valor = strtol(texto, &fin, 10);
    if (errno != 0 || *fin != '\0' || valor < 1 || valor > 65535)
        return 0;
    return (int)valor;
}

/* Pone fd en modo no bloqueante: ni recv, ni send, ni accept esperarán nunca. */
int no_bloqueante(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    return flags == -1 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/* Devuelve un socket no bloqueante que escucha en DIRECCION:puerto, o -1. */
int crear_socket_escucha(int puerto)
{
    struct addrinfo pistas, *lista, *p;
    char servicio[8];
    int fd = -1, si = 1, error;

    memset(&pistas, 0, sizeof pistas);
    pistas.ai_family = AF_UNSPEC;
    pistas.ai_socktype = SOCK_STREAM;
    pistas.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    snprintf(servicio, sizeof servicio, "%d", puerto);
    error = getaddrinfo(DIRECCION, servicio, &pistas, &lista);
    if (error != 0) {
        fprintf(stderr, "servidor: getaddrinfo: %s\n", gai_strerror(error));
        return -1;
    }
    for (p = lista; p != NULL && fd == -1; p = p->ai_next) {
        fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (fd == -1) {
            perror("servidor: socket");
            continue;
        }
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si) == -1)
            perror("servidor: setsockopt");
        else if (bind(fd, p->ai_addr, p->ai_addrlen) == -1)
            perror("servidor: bind");
        else if (listen(fd, COLA) == -1)
            perror("servidor: listen");
        else if (no_bloqueante(fd) == -1)        /* accept tampoco esperará */
            perror("servidor: fcntl");
        else
            break;                               /* listo: escucha y no bloquea */
        close(fd);
        fd = -1;
    }
    freeaddrinfo(lista);
    return fd;
}

/* Saca al cliente de la posición i: cierra, libera y pone el último en su sitio. */
void quitar_cliente(int i)
{
    close(pf[i].fd);
    free(clientes[i].salida);
    n_pf--;
    pf[i] = pf[n_pf];
    clientes[i] = clientes[n_pf];
    sin_descriptores = 0;                     /* queda uno libre: a aceptar otra vez */
}

/* Añade bytes a la salida pendiente del cliente c; -1 si no hay memoria. */
int guardar(struct cliente *c, const char *datos, size_t largo)
{
    if (c->largo + largo > c->capacidad) {
        size_t nueva = c->capacidad ? c->capacidad : 4096;
        char *p;

        while (nueva < c->largo + largo)
            nueva *= 2;
        p = realloc(c->salida, nueva);
        if (p == NULL)
            return -1;
        c->salida = p;
        c->capacidad = nueva;
    }
    memcpy(c->salida + c->largo, datos, largo);
    c->largo += largo;
    return 0;
}

/*
 * Envía lo que se pueda de la salida pendiente de la posición i, sin esperar.
 * Lo que send() no acepta se queda para la próxima vez que poll() diga POLLOUT.
 * Devuelve -1 si el cliente ya no está (EPIPE, ECONNRESET...).
 */
int enviar_pendiente(int i)
{
    struct cliente *c = &clientes[i];

    while (c->largo > 0) {
        ssize_t n = send(pf[i].fd, c->salida, c->largo, MSG_NOSIGNAL);

        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;                                /* lleno: ya seguiremos */
        if (n == -1)
            return -1;
        c->largo -= (size_t)n;                    /* un envío parcial es normal */
        memmove(c->salida, c->salida + n, c->largo);
    }
    return 0;
}

/*
 * Lee un trozo del cliente i y guarda su respuesta. Devuelve -1 si falló; si
 * ya no enviará más (recv da 0), lo marca: se irá cuando tenga su eco entero.
 */
int leer_cliente(int i)
{
    char datos[TAM_LECTURA];
    ssize_t n = recv(pf[i].fd, datos, sizeof datos, 0);

    if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return 0;                                 /* falsa alarma: nada que leer */
    if (n == -1)
        return -1;                                /* falló: ECONNRESET... */
    if (n == 0) {                                 /* no enviará más, pero quizá lee */
        clientes[i].termino = 1;
        return 0;
    }
    if (guardar(&clientes[i], PREFIJO, LARGO_PREFIJO) == -1 ||
        guardar(&clientes[i], datos, (size_t)n) == -1) {
        perror("servidor: realloc");
        return -1;
    }
    return enviar_pendiente(i);                   /* lo que quepa, ya */
}

/* Acepta todas las conexiones que esperan (poll avisó una vez para todas). */
void aceptar_todas(void)
{
    for (;;) {
        int fd = accept(pf[0].fd, NULL, NULL);

        if (fd == -1) {
            if (errno == EMFILE || errno == ENFILE) {
                perror("servidor: accept");
                sin_descriptores = 1;             /* si no, poll avisaría sin parar */
            } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
                       errno != ECONNABORTED) {
                perror("servidor: accept");
            }
            return;
        }
        if (n_pf > MAX_CLIENTES || no_bloqueante(fd) == -1) {
            close(fd);                            /* no cabe: mejor cerrar que colgarse */
            continue;
        }
        pf[n_pf] = (struct pollfd){fd, POLLIN, 0};
        clientes[n_pf] = (struct cliente){NULL, 0, 0, 0};
        n_pf++;
    }
}

/*
 * Qué le interesa de cada cliente en la próxima espera: leer, si aún envía y
 * su salida pendiente no es enorme (si no lee, dejamos de leerle: que espere
 * él, no los demás), y escribir, solo si tiene algo pendiente. Conexiones
 * nuevas, solo si quedan descriptores.
 */
void preparar_esperas(void)
{
    pf[0].events = sin_descriptores ? 0 : POLLIN;
    for (int i = 1; i < n_pf; i++) {
        pf[i].events = 0;
        if (!clientes[i].termino && clientes[i].largo < MAX_PENDIENTE)
            pf[i].events |= POLLIN;
        if (clientes[i].largo > 0)
            pf[i].events |= POLLOUT;
    }
}

/* El bucle de eventos: espera en poll() y atiende lo que esté listo. */
int servir(void)
{
    for (;;) {
        preparar_esperas();
        if (poll(pf, (nfds_t)n_pf, -1) == -1) {
            if (errno == EINTR)
                continue;
            perror("servidor: poll");
            return -1;
        }
        if (pf[0].revents & POLLIN)
            aceptar_todas();
        /* De atrás hacia delante: quitar_cliente mueve el último al hueco. */
        for (int i = n_pf - 1; i >= 1; i--) {
            short r = pf[i].revents;
            int bien = 1;

            if (r & POLLNVAL)
                bien = 0;
            if (bien && (r & POLLOUT))
                bien = enviar_pendiente(i) == 0;
            if (bien && !clientes[i].termino && (r & (POLLIN | POLLHUP)))
                bien = leer_cliente(i) == 0;
            /* Quien ya no envía se va con su eco entero, o si ya no puede leerlo. */
            if (bien && clientes[i].termino && (clientes[i].largo == 0 || (r & POLLHUP)))
                bien = 0;
            if (!bien)
                quitar_cliente(i);
        }
    }
}

int main(int argc, char *argv[])
{
    int puerto;

    if (setvbuf(stdout, NULL, _IOLBF, 0) != 0) {
        perror("servidor: setvbuf");
        return 1;
    }
    if (argc > 2) {
        fprintf(stderr, "uso: servidor [PUERTO]\n");
        return 2;
    }
    puerto = argc == 2 ? leer_puerto(argv[1]) : PUERTO_DEFECTO;
    if (puerto == 0) {
        fprintf(stderr, "servidor: puerto no válido: \"%s\"\n", argv[1]);
        return 2;
    }
    pf[0].fd = crear_socket_escucha(puerto);
    if (pf[0].fd == -1)
        return 1;
    n_pf = 1;
    printf("Servidor asíncrono escuchando en %s:%d\n", DIRECCION, puerto);
    servir();
    return 1;
}
