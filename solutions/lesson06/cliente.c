/* cliente.c: cliente UDP del servidor de eco, con plazo de espera y reintentos. */

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define HOST_DEFECTO   "127.0.0.1"
#define PUERTO_DEFECTO "9999"      /* texto: va tal cual a getaddrinfo */
#define ESPERA_MS      500          /* cuánto esperar cada respuesta */
#define INTENTOS       3            /* envíos de un mensaje antes de rendirse */
#define MAX_DATAGRAMA  65507        /* lo más que lleva un datagrama UDP sobre IPv4 */

#define PREFIJO        "Eco: "
#define LARGO_PREFIJO  (sizeof PREFIJO - 1)  /* sin el '\0' final */
#define MAX_MENSAJE    (MAX_DATAGRAMA - LARGO_PREFIJO)  /* el eco también debe caber */

/* Los mensajes que se envían si no se indica ninguno. */
char *const MENSAJES_DEFECTO[] = {"Mensaje UDP 1", "Mensaje UDP 2", "Prueba UDP"};
#define N_DEFECTO      (int)(sizeof MENSAJES_DEFECTO / sizeof MENSAJES_DEFECTO[0])

/* Lo que piden los argumentos de la línea de órdenes. */
struct opciones {
    const char *host;
    const char *puerto;
    char *const *mensajes;  /* los de argv, o MENSAJES_DEFECTO */
    int n_mensajes;
};

/* Adónde enviamos, y de dónde deben venir las respuestas. */
struct servidor {
    struct sockaddr_storage dir;
    socklen_t largo;
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

    if (texto[0] < '0' || texto[0] > '9')   /* ni vacío, ni signo, ni espacios */
        return 0;
    errno = 0;
    valor = strtol(texto, &fin, 10);
    return errno == 0 && *fin == '\0' && valor >= 1 && valor <= 65535;
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
        o->puerto = argv[2];
        if (!puerto_valido(o->puerto)) {
            fprintf(stderr, "cliente: puerto no válido: \"%s\" (debe ser un número "
                    "entre 1 y 65535)\n", o->puerto);
            return -1;
        }
    }
    o->mensajes = argc > 3 ? argv + 3 : MENSAJES_DEFECTO;
    o->n_mensajes = argc > 3 ? argc - 3 : N_DEFECTO;
    for (int i = 0; i < o->n_mensajes; i++) {
        if (strlen(o->mensajes[i]) > MAX_MENSAJE) {
            fprintf(stderr, "cliente: un mensaje no puede pasar de %zu bytes\n",
                    MAX_MENSAJE);
            return -1;
        }
    }
    return 0;
}

/* Crea el socket UDP y apunta en s la dirección del servidor; -1 si falla. */
int preparar(const char *host, const char *puerto, struct servidor *s)
{
    struct addrinfo pistas, *lista;
    int fd, error;

    memset(&pistas, 0, sizeof pistas);
    pistas.ai_family = AF_UNSPEC;            /* IPv4 o IPv6 */
    pistas.ai_socktype = SOCK_DGRAM;         /* UDP */
    pistas.ai_flags = AI_NUMERICSERV;        /* el puerto ya es un número */
    error = getaddrinfo(host, puerto, &pistas, &lista);
    if (error != 0) {
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host, gai_strerror(error));
        return -1;
    }
    /* Sin connect: con UDP basta un socket, y la dirección va en cada sendto. */
    fd = socket(lista->ai_family, lista->ai_socktype, lista->ai_protocol);
    if (fd == -1) {
        perror("cliente: socket");
    } else {
        memcpy(&s->dir, lista->ai_addr, lista->ai_addrlen);
        s->largo = lista->ai_addrlen;
    }
    freeaddrinfo(lista);
    return fd;
}

/* 1 si la dirección dir (de recvfrom) es la del servidor: misma IP y puerto. */
int es_del_servidor(const struct sockaddr_storage *dir, const struct servidor *s)
{
    if (dir->ss_family != s->dir.ss_family)
        return 0;
    if (dir->ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)dir;
        const struct sockaddr_in *b = (const struct sockaddr_in *)&s->dir;
        return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
    }
    if (dir->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)dir;
        const struct sockaddr_in6 *b = (const struct sockaddr_in6 *)&s->dir;
        return a->sin6_port == b->sin6_port &&
               memcmp(&a->sin6_addr, &b->sin6_addr, sizeof a->sin6_addr) == 0;
    }
    return 0;
}

/* recvfrom esperará como mucho ms milisegundos (SO_RCVTIMEO). */
int poner_plazo(int fd, long long ms)
{
    struct timeval t;

    t.tv_sec = ms / 1000;
    t.tv_usec = (ms % 1000) * 1000;          /* microsegundos, no milisegundos */
    return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof t);
}

/*
 * Espera, como mucho ESPERA_MS, la respuesta esperada (largo bytes) del
 * servidor s y la deja en datos (sitio para MAX_DATAGRAMA bytes). Ignora lo
 * que venga de otra dirección y las respuestas que no son la de este mensaje
 * (duplicadas o de un mensaje anterior). Devuelve cuántos bytes llegaron, 0
 * si se agotó el plazo y -1 si recvfrom falló.
 */
ssize_t esperar_respuesta(int fd, const struct servidor *s, const char *esperada,
                          size_t largo, char *datos)
{
    long long limite = ahora_ms() + ESPERA_MS;

    for (;;) {
        struct sockaddr_storage dir;
        socklen_t largo_dir = sizeof dir;
        long long quedan = limite - ahora_ms();
        ssize_t n;

        /* Cada datagrama ignorado reinicia recvfrom: el plazo es lo que queda. */
        if (quedan <= 0)
            return 0;
        if (poner_plazo(fd, quedan) == -1) {
            perror("cliente: setsockopt");
            return -1;
        }
        n = recvfrom(fd, datos, MAX_DATAGRAMA, 0, (struct sockaddr *)&dir, &largo_dir);
        if (n == -1) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;                    /* se acabó el plazo */
            if (errno == EINTR)
                continue;
            perror("cliente: recvfrom");
            return -1;
        }
        if (!es_del_servidor(&dir, s)) {
            fprintf(stderr, "cliente: ignoro un datagrama que no viene del servidor\n");
            continue;
        }
        if ((size_t)n == largo && memcmp(datos, esperada, largo) == 0)
            return n;
        fprintf(stderr, "cliente: ignoro una respuesta que no es la de este mensaje\n");
    }
}

/* Envía un mensaje hasta INTENTOS veces, hasta que llegue su eco; -1 si no llega. */
int conversar(int fd, const struct servidor *s, const char *mensaje)
{
    static char respuesta[MAX_DATAGRAMA];
    size_t largo = strlen(mensaje);
    char *esperada = malloc(LARGO_PREFIJO + largo);
    ssize_t n = 0;

    if (esperada == NULL) {
        perror("cliente: malloc");
        return -1;
    }
    memcpy(esperada, PREFIJO, LARGO_PREFIJO);          /* "Eco: " + el mensaje */
    memcpy(esperada + LARGO_PREFIJO, mensaje, largo);
    for (int intento = 1; intento <= INTENTOS && n == 0; intento++) {
        if (sendto(fd, mensaje, largo, 0, (const struct sockaddr *)&s->dir, s->largo) == -1) {
            perror("cliente: sendto");
            n = -1;
        } else {
            n = esperar_respuesta(fd, s, esperada, LARGO_PREFIJO + largo, respuesta);
        }
        if (n == 0 && intento < INTENTOS)
            fprintf(stderr, "cliente: sin respuesta en %d ms; reenvío (intento %d de %d)\n",
                    ESPERA_MS, intento + 1, INTENTOS);
    }
    free(esperada);
    if (n == 0)
        fprintf(stderr, "cliente: el servidor no respondió tras %d intentos de %d ms: "
                "el mensaje o su respuesta se perdieron\n", INTENTOS, ESPERA_MS);
    if (n <= 0)
        return -1;
    /* Son bytes, no una cadena: sin '\0' al final. fwrite usa la longitud. */
    printf("Respuesta: ");
    fwrite(respuesta, 1, (size_t)n, stdout);
    printf("\n");
    return 0;
}

int main(int argc, char *argv[])
{
    struct opciones o;
    struct servidor s;
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
    fd = preparar(o.host, o.puerto, &s);
    if (fd == -1)
        return 1;
    for (int i = 0; i < o.n_mensajes && estado == 0; i++)
        if (conversar(fd, &s, o.mensajes[i]) == -1)
            estado = 1;                      /* el servidor no contesta: no sigas */
    close(fd);
    return estado;
}
