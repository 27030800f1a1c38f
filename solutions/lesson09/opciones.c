/* opciones.c: opciones de socket en la práctica: reutilizar, plazos, sin bloqueo, conectar con plazo. */

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MAX_LINEA 512
#define BLOQUE    65536                 /* bytes por send en el modo envio */

/* Estados de salida: el checker y los scripts los distinguen. */
#define SALIDA_BIEN      0
#define SALIDA_ERROR     1              /* una llamada al sistema falló */
#define SALIDA_USO       2
#define SALIDA_PLAZO     3              /* se agotó el plazo pedido */
#define SALIDA_RECHAZADA 4              /* nadie escucha en ese puerto */

static const char USO[] =
    "uso: opciones reutilizar PUERTO\n"
    "     opciones plazo HOST PUERTO MS\n"
    "     opciones sin_bloqueo HOST PUERTO\n"
    "     opciones conectar HOST PUERTO MS\n"
    "     opciones envio HOST PUERTO MS\n";

/* Milisegundos de un reloj que nunca va hacia atrás. */
long long ahora_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Convierte texto en un número de min a max; -1 si no lo es. */
long leer_numero(const char *texto, long min, long max)
{
    char *fin;
    long valor;

    if (texto[0] < '0' || texto[0] > '9')
        return -1;
    errno = 0;
    valor = strtol(texto, &fin, 10);
    if (errno != 0 || *fin != '\0' || valor < min || valor > max)
        return -1;
    return valor;
}

/* La primera dirección TCP de host:puerto, o NULL tras avisar. */
struct addrinfo *resolver(const char *host, const char *puerto, int pasiva)
{
    struct addrinfo pistas, *lista;
    int error;

    memset(&pistas, 0, sizeof pistas);
    pistas.ai_family = AF_UNSPEC;
    pistas.ai_socktype = SOCK_STREAM;
    pistas.ai_flags = AI_NUMERICSERV | (pasiva ? AI_PASSIVE : 0);
    error = getaddrinfo(host, puerto, &pistas, &lista);
    if (error != 0) {
        fprintf(stderr, "opciones: no se pudo resolver %s: %s\n", host ? host : "*",
                gai_strerror(error));
        return NULL;
    }
    return lista;
}

/* Pone un plazo en milisegundos a recv (SO_RCVTIMEO) o a send (SO_SNDTIMEO). */
int poner_plazo(int fd, int opcion, long ms)
{
    struct timeval t;

    t.tv_sec = ms / 1000;                /* segundos enteros */
    t.tv_usec = (ms % 1000) * 1000;      /* y el resto, en MICROsegundos */
    return setsockopt(fd, SOL_SOCKET, opcion, &t, sizeof t);
}

/*
 * Conecta con host:puerto sin esperar más de ms milisegundos: connect en modo
 * no bloqueante, poll hasta que el socket se pueda escribir y SO_ERROR para
 * saber cómo acabó. Devuelve el socket (otra vez bloqueante), o -1 con errno
 * (ETIMEDOUT si se acabó el plazo, ECONNREFUSED si nadie escucha...).
 */
int conectar_con_plazo(const struct addrinfo *p, long ms)
{
    int fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
    int flags, error = 0;
    socklen_t largo = sizeof error;
    struct pollfd pf;

    if (fd == -1)
        return -1;
    flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    if (connect(fd, p->ai_addr, p->ai_addrlen) == -1) {
        if (errno != EINPROGRESS)
            goto falla;
        pf.fd = fd;
        pf.events = POLLOUT;
        long long limite = ahora_ms() + ms;
        int r;
        do {
            long long quedan = limite - ahora_ms();
            r = quedan > 0 ? poll(&pf, 1, (int)quedan) : 0;
        } while (r == -1 && errno == EINTR);
        if (r == -1)
            goto falla;
        if (r == 0) {
            errno = ETIMEDOUT;
            goto falla;
        }
        /* Se puede escribir: la conexión terminó, bien o mal. SO_ERROR lo dice. */
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &largo) == -1)
            goto falla;
        if (error != 0) {
            errno = error;
            goto falla;
        }
    }
    fcntl(fd, F_SETFL, flags);                /* de vuelta a bloqueante */
    return fd;
falla:
    error = errno;
    close(fd);
    errno = error;
    return -1;
}

/* Conecta con host:puerto con un plazo generoso; -1 tras avisar. */
int conectar(const char *host, const char *puerto)
{
    struct addrinfo *lista = resolver(host, puerto, 0);
    int fd;

    if (lista == NULL)
        return -1;
    fd = conectar_con_plazo(lista, 5000);
    if (fd == -1)
        fprintf(stderr, "opciones: no se pudo conectar con %s:%s: %s\n", host, puerto,
                strerror(errno));
    freeaddrinfo(lista);
    return fd;
}

/* Escribe "Recibido: " y la primera línea de los n bytes de datos. */
void mostrar(const char *datos, ssize_t n)
{
    const char *fin = memchr(datos, '\n', (size_t)n);

    printf("Recibido: %.*s\n", (int)(fin != NULL ? fin - datos : n), datos);
}

/* Modo reutilizar: escucha con SO_REUSEADDR, saluda a un cliente, cierra él primero. */
int modo_reutilizar(const char *puerto)
{
    struct addrinfo *lista = resolver("127.0.0.1", puerto, 1);
    int si = 1, escucha, cliente;

    if (lista == NULL)
        return SALIDA_ERROR;
    escucha = socket(lista->ai_family, lista->ai_socktype, lista->ai_protocol);
    if (escucha == -1 ||
        setsockopt(escucha, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si) == -1 ||
        bind(escucha, lista->ai_addr, lista->ai_addrlen) == -1 || listen(escucha, 8) == -1) {
        perror("opciones: reutilizar");
        freeaddrinfo(lista);
        return SALIDA_ERROR;
    }
    freeaddrinfo(lista);
    printf("Escuchando en el puerto %s\n", puerto);
    cliente = accept(escucha, NULL, NULL);
    if (cliente == -1) {
        perror("opciones: accept");
        close(escucha);
        return SALIDA_ERROR;
    }
    if (send(cliente, "hola\n", 5, MSG_NOSIGNAL) == -1)
        perror("opciones: send");
    /* Cerramos nosotros primero: esta conexión queda en TIME_WAIT en este puerto. */
    close(cliente);
    close(escucha);
    return SALIDA_BIEN;
}

/* Modo plazo: espera datos, como mucho ms milisegundos (SO_RCVTIMEO). */
int modo_plazo(const char *host, const char *puerto, long ms)
{
    char datos[MAX_LINEA];
    int fd = conectar(host, puerto);
    ssize_t n;

    if (fd == -1)
        return SALIDA_ERROR;
    if (poner_plazo(fd, SO_RCVTIMEO, ms) == -1) {
        perror("opciones: setsockopt");
        close(fd);
        return SALIDA_ERROR;
    }
    do
        n = recv(fd, datos, sizeof datos, 0);
    while (n == -1 && errno == EINTR);
    close(fd);
    if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        printf("Plazo agotado: no llegó nada en %ld ms\n", ms);
        return SALIDA_PLAZO;
    }
    if (n == -1) {
        perror("opciones: recv");
        return SALIDA_ERROR;
    }
    if (n == 0) {
        fprintf(stderr, "opciones: el otro lado cerró sin enviar nada\n");
        return SALIDA_ERROR;
    }
    mostrar(datos, n);
    return SALIDA_BIEN;
}

/* Modo sin_bloqueo: O_NONBLOCK, recv que no espera (EAGAIN) y poll para esperar. */
int modo_sin_bloqueo(const char *host, const char *puerto)
{
    char datos[MAX_LINEA];
    struct pollfd pf;
    int fd = conectar(host, puerto);
    ssize_t n;

    if (fd == -1)
        return SALIDA_ERROR;
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) {
        perror("opciones: fcntl");
        close(fd);
        return SALIDA_ERROR;
    }
    n = recv(fd, datos, sizeof datos, 0);    /* vuelve enseguida, haya algo o no */
    if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        printf("No hay datos todavía\n");
        pf.fd = fd;
        pf.events = POLLIN;
        /* Ni un bucle de recv (quemaría la CPU) ni sleep: poll duerme hasta que llegue algo. */
        if (poll(&pf, 1, 5000) <= 0) {
            fprintf(stderr, "opciones: no llegó nada en 5000 ms\n");
            close(fd);
            return SALIDA_PLAZO;
        }
        n = recv(fd, datos, sizeof datos, 0);
    }
    close(fd);
    if (n <= 0) {
        fprintf(stderr, "opciones: recv: %s\n", n == 0 ? "el otro lado cerró" : strerror(errno));
        return SALIDA_ERROR;
    }
    mostrar(datos, n);
    return SALIDA_BIEN;
}

/* Modo conectar: connect con un plazo de ms milisegundos. */
int modo_conectar(const char *host, const char *puerto, long ms)
{
    struct addrinfo *lista = resolver(host, puerto, 0);
    int fd, e;

    if (lista == NULL)
        return SALIDA_ERROR;
    fd = conectar_con_plazo(lista, ms);
    e = errno;
    freeaddrinfo(lista);
    if (fd != -1) {
        printf("Conectado a %s:%s\n", host, puerto);
        close(fd);
        return SALIDA_BIEN;
    }
    if (e == ETIMEDOUT) {
        printf("Sin respuesta de %s:%s en %ld ms\n", host, puerto, ms);
        return SALIDA_PLAZO;
    }
    if (e == ECONNREFUSED) {
        printf("Conexión rechazada por %s:%s\n", host, puerto);
        return SALIDA_RECHAZADA;
    }
    fprintf(stderr, "opciones: connect: %s\n", strerror(e));
    return SALIDA_ERROR;
}

/* Modo envio: envía sin parar hasta que send se rinde tras ms milisegundos (SO_SNDTIMEO). */
int modo_envio(const char *host, const char *puerto, long ms)
{
    static char bloque[BLOQUE];
    long long enviados = 0;
    int fd = conectar(host, puerto);

    if (fd == -1)
        return SALIDA_ERROR;
    if (poner_plazo(fd, SO_SNDTIMEO, ms) == -1) {
        perror("opciones: setsockopt");
        close(fd);
        return SALIDA_ERROR;
    }
    memset(bloque, 'x', sizeof bloque);
    for (;;) {
        ssize_t n = send(fd, bloque, sizeof bloque, MSG_NOSIGNAL);

        if (n > 0) {
            enviados += n;
            continue;
        }
        if (n == -1 && errno == EINTR)
            continue;
        close(fd);
        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            printf("Envío bloqueado: el otro lado no lee (%lld bytes enviados; plazo de %ld ms)\n",
                   enviados, ms);
            return SALIDA_PLAZO;
        }
        perror("opciones: send");
        return SALIDA_ERROR;
    }
}

int main(int argc, char *argv[])
{
    long ms = 0;

    if (setvbuf(stdout, NULL, _IOLBF, 0) != 0)
        return SALIDA_ERROR;
    if (argc == 3 && strcmp(argv[1], "reutilizar") == 0 && leer_numero(argv[2], 1, 65535) > 0)
        return modo_reutilizar(argv[2]);
    if (argc >= 4 && leer_numero(argv[3], 1, 65535) > 0) {
        if (argc == 4 && strcmp(argv[1], "sin_bloqueo") == 0)
            return modo_sin_bloqueo(argv[2], argv[3]);
        if (argc == 5)
            ms = leer_numero(argv[4], 1, 600000);
        if (ms > 0 && strcmp(argv[1], "plazo") == 0)
            return modo_plazo(argv[2], argv[3], ms);
        if (ms > 0 && strcmp(argv[1], "conectar") == 0)
            return modo_conectar(argv[2], argv[3], ms);
        if (ms > 0 && strcmp(argv[1], "envio") == 0)
            return modo_envio(argv[2], argv[3], ms);
    }
    fputs(USO, stderr);
    return SALIDA_USO;
}
