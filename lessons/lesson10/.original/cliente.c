/* cliente.c: cliente que distingue cada error de red, lo explica y sale con su código. */

/*
 * Ejercicio de la lección 10. Lee antes el README.md de esta carpeta.
 *
 * Tu trabajo está en los comentarios TODO. Ve en orden, del 1 al 8.
 * Cada parte sin terminar llama a FALTA(...), que avisa y termina el
 * programa; cuando completes una parte, borra su línea FALTA(...) y los
 * (void) que ya no hagan falta.
 *
 * Compilar:  cc -std=gnu11 -Wall -Wextra -o cliente cliente.c
 * Probar:    en una terminal, echo 'Hola, mundo' | nc -l 127.0.0.1 9100
 *            y en otra:  ./cliente 127.0.0.1 9100 ; echo $?
 * Corregir:  ./checker lesson10  (desde la raíz del proyecto)
 */

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

/*
 * Avisa de que una parte está sin terminar y sale. Bórrala al acabar.
 * Sale con el estado 9, que el cliente terminado no usa nunca: así no se
 * confunde con ninguno de los estados de enum salida (del 0 al 7).
 */
#define FALTA(parte)                                                       \
    do {                                                                   \
        fprintf(stderr, "cliente: falta completar %s (busca los TODO)\n", \
                parte);                                                    \
        exit(9);                                                           \
    } while (0)

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

/*
 * Espera hasta limite (ms de ahora_ms) a que fd esté listo para events.
 * Devuelve 1 si lo está, 0 si se acabó el plazo y -1 si poll falló.
 * A poll solo le da lo que queda de plazo, no un plazo entero cada vez.
 */
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
 * poll y SO_ERROR, como en la lección 9. Devuelve el socket, o -1 con
 * errno (ETIMEDOUT si se acabó el plazo, ECONNREFUSED si nadie escucha...).
 */
int conectar_una(const struct addrinfo *p, long long limite)
{
    int fd = socket(p->ai_family, p->ai_socktype | SOCK_NONBLOCK, p->ai_protocol);
    int error = 0;
    socklen_t largo = sizeof error;

    if (fd == -1)
        return -1;
    if (connect(fd, p->ai_addr, p->ai_addrlen) == -1) {
        /* Falló enseguida (-1, errno lo dice), o toca esperar con poll. */
        int r = errno == EINPROGRESS ? esperar(fd, POLLOUT, limite) : -1;

        if (r == 0)
            error = ETIMEDOUT;                  /* nadie contestó a tiempo */
        else if (r == -1)
            error = errno;                      /* connect o poll fallaron */
        else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &largo) == -1)
            error = errno;                      /* si no, SO_ERROR dice cómo acabó */
    }
    if (error != 0) {
        close(fd);                              /* close puede cambiar errno... */
        errno = error;                          /* ...así que se pone después */
        return -1;
    }
    return fd;
}

/* Traduce el errno de un fallo al conectar o al recibir en un código de salida. */
enum salida explicar(const char *host, const char *puerto, int error)
{
    /*
     * TODO 1: cada error, con su mensaje y su estado. error es el errno que
     * guardó quien te llama (no leas errno aquí: puede haber cambiado).
     * Escribe un switch (error) con un caso para cada uno; todos los
     * mensajes van a stderr y dicen host y puerto:
     * - case ECONNREFUSED: nadie escucha en ese puerto.
     *       fprintf(stderr, "cliente: nadie escucha en %s:%s (conexión "
     *               "rechazada)\n", host, puerto);
     *       return RECHAZADA;
     * - case ETIMEDOUT: se acabó el plazo, al conectar o al esperar la
     *   respuesta.
     *       fprintf(stderr, "cliente: %s:%s no respondió en %d ms\n", host,
     *               puerto, PLAZO_MS);
     *       return SIN_RESPUESTA;
     * - case ECONNRESET: el servidor cortó de golpe (llegó un RST).
     *       fprintf(stderr, "cliente: %s:%s cortó la conexión de golpe "
     *               "(reset)\n", host, puerto);
     *       return CORTADA;
     * - default: cualquier otro error. No sabes qué es, pero strerror sí
     *   sabe explicarlo:
     *       fprintf(stderr, "cliente: %s:%s: %s\n", host, puerto,
     *               strerror(error));
     *       return OTRO_ERROR;
     * Usa strerror(error) y no perror: perror lee errno, que ya no es el
     * error que te pasaron.
     */

    (void)host;                     /* quita los (void) al usar los parámetros */
    (void)puerto;
    (void)error;
    FALTA("explicar");              /* y borra esta línea al terminar */
}

/*
 * Recibe una línea entera (hasta '\n') antes de limite. Devuelve su largo
 * (sin el '\n'), o -1 con errno: ETIMEDOUT (plazo), EPIPE (cerró antes del
 * final, con lo que llegó en *largo), ECONNRESET...
 */
ssize_t recibir_linea(int fd, char *linea, size_t tam, long long limite, size_t *largo)
{
    /*
     * TODO 2: junta la línea, con un plazo para la respuesta entera.
     * *largo cuenta los bytes que ya tienes en linea. Empieza en 0
     * (*largo = 0;) y repite para siempre (for (;;)):
     * a) ¿Ya tienes el '\n'? Búscalo en lo que ha llegado:
     *        char *fin = memchr(linea, '\n', *largo);
     *    Si fin != NULL: return fin - linea; (el largo sin el '\n')
     * b) Si *largo == tam, la línea no cabe: errno = EMSGSIZE; return -1;
     * c) Espera a que haya algo que leer, con lo que queda de plazo:
     *        switch (esperar(fd, POLLIN, limite)) {
     *        case 0:                      (se acabó el plazo)
     *            errno = ETIMEDOUT;
     *            return -1;
     *        case -1:                     (poll falló: errno ya lo dice)
     *            return -1;
     *        }
     *    limite es el mismo en todas las vueltas: el plazo es para la
     *    respuesta entera, no para cada trozo.
     * d) Lee detrás de lo que ya tienes:
     *        ssize_t n = recv(fd, linea + *largo, tam - *largo, 0);
     *    - Si n == -1 y errno es EINTR o EAGAIN: continue;
     *    - Si n == -1 por otra cosa: return -1; (errno ya dice por qué:
     *      ECONNRESET si el servidor cortó de golpe)
     *    - Si n == 0, el servidor cerró antes del '\n': lo que llegó no es
     *      una respuesta. errno = EPIPE; return -1; (*largo se queda con
     *      lo que llegó, para el mensaje). recv nunca falla con EPIPE: así
     *      consultar sabe que este EPIPE quiere decir «cerró antes del final».
     *    - Si no: *largo += (size_t)n;
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)linea;
    (void)tam;
    (void)limite;
    (void)largo;
    FALTA("recibir_linea");         /* y borra esta línea al terminar */
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
    pistas.ai_family = AF_UNSPEC;                /* IPv4 o IPv6 */
    pistas.ai_socktype = SOCK_STREAM;            /* TCP */
    pistas.ai_flags = AI_NUMERICSERV;            /* el puerto ya es un número */
    error = getaddrinfo(host, puerto, &pistas, &lista);
    if (error != 0) {
        /*
         * TODO 3: el nombre no se pudo resolver. getaddrinfo no usa errno:
         * devuelve su propio código (EAI_NONAME, EAI_AGAIN...), que está en
         * error, y gai_strerror lo explica. Ni perror ni strerror valen aquí.
         *     fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host,
         *             gai_strerror(error));
         *     return SIN_NOMBRE;
         * No hay lista que liberar: si getaddrinfo falla, no la crea.
         */

        FALTA("consultar");                      /* borra esta línea al terminar */
    }
    limite = ahora_ms() + PLAZO_MS;              /* para conectar: el DNS ya no cuenta */
    for (p = lista; p != NULL && fd == -1; p = p->ai_next) {
        fd = conectar_una(p, limite);            /* la primera que funcione */
        if (fd == -1)
            error = errno;                       /* guárdalo antes de seguir */
    }

    /*
     * TODO 4: la lista ya no hace falta, haya ido bien o mal la conexión.
     * Libérala aquí, antes del return de debajo, y así no se te escapa en
     * ningún camino:
     *     freeaddrinfo(lista);
     */

    if (fd == -1)
        return explicar(host, puerto, error);    /* ninguna dirección sirvió */

    r = BIEN;
    limite = ahora_ms() + PLAZO_MS;              /* el plazo de la respuesta, entero */
    if (send(fd, PETICION, strlen(PETICION), MSG_NOSIGNAL) == -1) {
        r = explicar(host, puerto, errno);
    } else if ((n = recibir_linea(fd, linea, sizeof linea, limite, &llegaron)) == -1) {
        /*
         * TODO 5: la respuesta no llegó entera. Mira por qué en errno:
         * - Si errno == EPIPE, el servidor cerró antes del '\n'. Lo que
         *   llegó NO es la respuesta: no lo escribas como "Respuesta:".
         *   Avisa en stderr, diciendo cuántos bytes llegaron:
         *       fprintf(stderr, "cliente: %s:%s cerró la conexión antes de "
         *               "terminar la respuesta (llegaron %zu bytes sin el "
         *               "final de línea)\n", host, puerto, llegaron);
         *       r = INCOMPLETA;
         * - Si no, que explicar le ponga su mensaje y su estado:
         *       r = explicar(host, puerto, errno);
         * No hagas return aquí: el socket se cierra abajo, en el TODO 7.
         */

        FALTA("consultar");                      /* borra esta línea al terminar */
    } else {
        /*
         * TODO 6: llegó una línea entera: sus n primeros bytes, sin el '\n'.
         * linea no acaba en '\0', así que dile a printf cuántos bytes son:
         *     printf("Respuesta: %.*s\n", (int)n, linea);
         * r ya vale BIEN.
         */

        FALTA("consultar");                      /* borra esta línea al terminar */
    }

    /*
     * TODO 7: cierra el socket. Por aquí pasan todos los caminos que siguen
     * a una conexión lograda (la respuesta buena, el fallo de send y los
     * fallos al recibir): por eso los de arriba guardan su estado en r en
     * lugar de hacer return.
     *     close(fd);
     */

    return r;
}

int main(int argc, char *argv[])
{
    /* stdout puede ser una tubería: vacíalo en cada línea. */
    if (setvbuf(stdout, NULL, _IOLBF, 0) != 0)
        return OTRO_ERROR;
    if (argc != 3 || !puerto_valido(argv[2])) {
        /*
         * TODO 8: también los argumentos incorrectos tienen su estado, el 2,
         * como en muchas órdenes de Unix. Explica en stderr cómo se usa el
         * programa y termina con USO:
         *     fprintf(stderr, "uso: cliente HOST PUERTO\n");
         *     return USO;
         */

        FALTA("main");                           /* borra esta línea al terminar */
    }
    return consultar(argv[1], argv[2]);
}
