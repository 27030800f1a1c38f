/* cliente.c: cliente de chat: envía lo que escribes y muestra lo que llega. */

/*
 * Ejercicio de la lección 8. Lee antes el README.md de esta carpeta.
 *
 * Tu trabajo está en los comentarios TODO. Empieza por el 8 (main, que lo
 * pone todo en marcha) y sigue del 1 al 7.
 * Cada función sin terminar llama a FALTA(...), que avisa y termina el
 * programa; cuando completes una función, borra su línea FALTA(...) y los
 * (void) que ya no hagan falta.
 *
 * Compilar:  cc -std=gnu11 -Wall -Wextra -o cliente cliente.c
 * Probar:    en una terminal, el servidor de la lección 7 (o nc -l 127.0.0.1 7777)
 *            y en otra:  ./cliente ana
 * Corregir:  ./checker lesson08  (desde la raíz del proyecto)
 */

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

/*
 * Avisa de que una función está sin terminar y sale. Bórrala al acabar.
 * Sale con el estado 3, que el cliente terminado no usa nunca: así no se
 * confunde con «se acabó la entrada» (0), «el servidor cerró» (1) ni
 * «argumentos incorrectos» (2).
 */
#define FALTA(funcion)                                                     \
    do {                                                                   \
        fprintf(stderr, "cliente: falta completar %s (busca los TODO)\n", \
                funcion);                                                  \
        exit(3);                                                           \
    } while (0)

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

    if (texto[0] < '0' || texto[0] > '9')   /* ni vacío, ni signo, ni espacios */
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
    pistas.ai_family = AF_UNSPEC;                 /* IPv4 o IPv6 */
    pistas.ai_socktype = SOCK_STREAM;             /* TCP */
    pistas.ai_flags = AI_NUMERICSERV;             /* el puerto ya es un número */
    error = getaddrinfo(host, puerto, &pistas, &lista);
    if (error != 0) {
        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host, gai_strerror(error));
        return -1;
    }
    for (p = lista; p != NULL && fd == -1; p = p->ai_next) {    /* la primera que funcione */
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
    /*
     * TODO 1: una sola lectura, detrás de lo que ya hay en l.
     * El sitio libre empieza en l->datos + l->largo y mide
     * sizeof l->datos - l->largo bytes. Lee ahí con recv si es_socket vale
     * 1, y con read si no (la entrada estándar no siempre es un socket, y
     * recv fallaría con ENOTSOCK). Si una señal interrumpe la llamada
     * (EINTR), repítela:
     *     ssize_t n;
     *
     *     do
     *         n = es_socket ? recv(fd, l->datos + l->largo, sizeof l->datos - l->largo, 0)
     *                       : read(fd, l->datos + l->largo, sizeof l->datos - l->largo);
     *     while (n == -1 && errno == EINTR);
     * Si n > 0, apunta lo que ha llegado: l->largo += (size_t)n;
     * Y devuelve n tal cual: 0 quiere decir que el otro lado cerró (o que se
     * acabó la entrada), y -1, un error que explicará quien te llama.
     * Una sola llamada, no un bucle hasta llenar el búfer: poll te dice que
     * hay algo, pero no cuánto, y una segunda llamada podría quedarse
     * bloqueada esperando algo que no llega.
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)l;
    (void)es_socket;
    FALTA("leer_mas");              /* y borra esta línea al terminar */
}

/*
 * Saca de l la primera línea completa y la deja en texto, sin el '\n' y
 * terminada en '\0'. Devuelve su largo, o -1 si aún no hay ninguna entera.
 * Una línea que llena el búfer sin '\n' sale tal cual, para no atascarse.
 */
ssize_t sacar_linea(struct linea *l, char *texto)
{
    /*
     * TODO 2: busca el final de la primera línea. Lo que hay en el búfer no
     * acaba en '\0', así que strchr no sirve: usa memchr, que mira solo los
     * l->largo bytes que le dices:
     *     char *fin = memchr(l->datos, '\n', l->largo);
     *     size_t largo, quitar;
     * a) Si no hay '\n' (fin == NULL) y aún queda sitio en el búfer
     *    (l->largo < sizeof l->datos), la línea está a medias: return -1;
     *    Lo que hay se queda donde está, esperando al resto.
     * b) Si no, calcula el largo de la línea y cuántos bytes hay que quitar
     *    del búfer:
     *    - Con '\n': largo = (size_t)(fin - l->datos); y quitar = largo + 1;
     *      (el '\n' se quita del búfer, pero no se copia).
     *    - Sin '\n', con el búfer lleno: largo = l->largo; y quitar = largo;
     *      sale todo tal cual. Si esperaras el '\n', el búfer seguiría lleno
     *      y la siguiente lectura pediría 0 bytes: el programa se atascaría.
     * c) Copia la línea en texto (tiene sitio para MAX_LINEA + 1 bytes) y
     *    termínala en '\0':
     *        memcpy(texto, l->datos, largo);
     *        texto[largo] = '\0';
     * d) Quita del búfer lo usado y lleva al principio lo que venía detrás
     *    (el comienzo de la línea siguiente, si lo hay):
     *        l->largo -= quitar;
     *        memmove(l->datos, l->datos + quitar, l->largo);
     *    Es memmove y no memcpy porque el origen y el destino se solapan.
     * e) return (ssize_t)largo;
     */

    (void)l;                        /* quita los (void) al usar los parámetros */
    (void)texto;
    FALTA("sacar_linea");           /* y borra esta línea al terminar */
}

/*
 * Atiende una línea del servidor: a "NICK" contesta con el apodo (una sola
 * vez: si lo vuelve a pedir, es que no lo aceptó); las demás se muestran.
 * Devuelve -1 si hay que terminar.
 */
int linea_del_servidor(int fd, const char *apodo, int *apodo_enviado, const char *texto)
{
    /*
     * TODO 3: ¿el servidor pide el apodo?
     * a) Si la línea es "NICK" (strcmp(texto, "NICK") == 0):
     *    - Si *apodo_enviado ya vale 1, lo pide por segunda vez: no aceptó
     *      el que le diste. Volver a mandarle el mismo no serviría de nada
     *      (lo rechazaría sin fin), así que avisa y termina:
     *          fprintf(stderr, "cliente: el servidor no aceptó el apodo \"%s\"\n",
     *                  apodo);
     *          return -1;
     *    - Si no, prepara la respuesta, el apodo y un '\n':
     *          char respuesta[MAX_APODO + 2];
     *          int largo = snprintf(respuesta, sizeof respuesta, "%s\n", apodo);
     *      Apunta que ya está enviado (*apodo_enviado = 1;) y envíala con
     *      enviar_todo(fd, respuesta, (size_t)largo). Si devuelve -1:
     *          perror("cliente: send");
     *          return -1;
     *      Si todo fue bien: return 0;
     *      Solo el apodo y su '\n': ni "apodo: " delante, ni el '\0'.
     * b) Cualquier otra línea se muestra entera, con un '\n', de una vez:
     *        printf("%s\n", texto);
     *        return 0;
     *    También la explicación de un rechazo («Apodo no válido: ...»), que
     *    llega justo antes del segundo "NICK".
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)apodo;
    (void)apodo_enviado;
    (void)texto;
    FALTA("linea_del_servidor");    /* y borra esta línea al terminar */
}

/* Envía una línea escrita por el usuario como "apodo: texto\n". */
int linea_del_usuario(int fd, const char *apodo, const char *texto)
{
    /*
     * TODO 4: texto es una línea del teclado, ya sin su '\n'.
     * a) Si está vacía (texto[0] == '\0'), no dice nada: return 0; sin
     *    enviar nada.
     * b) Móntala con el apodo delante y un '\n' detrás:
     *        char mensaje[MAX_LINEA + 1];
     *        int largo = snprintf(mensaje, sizeof mensaje, "%s: %s\n", apodo, texto);
     *    snprintf devuelve lo que OCUPARÍA el mensaje entero, aunque no quepa
     *    en mensaje y lo haya cortado.
     * c) Si largo < 0 o largo > MAX_LINEA, el servidor no la aceptaría: su
     *    límite son 512 bytes con el '\n', y al que lo pasa lo echa. Avisa
     *    y sigue, sin enviarla:
     *        fprintf(stderr, "cliente: línea demasiado larga (más de %d bytes); "
     *                "no se envía\n", MAX_LINEA);
     *        return 0;
     *    Es 0 y no -1: una línea larga no es motivo para dejar el chat.
     * d) Envíala con enviar_todo(fd, mensaje, (size_t)largo). Si devuelve -1:
     *        perror("cliente: send");
     *        return -1;
     *    Si no: return 0;
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)apodo;
    (void)texto;
    FALTA("linea_del_usuario");     /* y borra esta línea al terminar */
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

    /*
     * TODO 5: el bucle, y poll para esperar a los dos a la vez.
     * Lo de este TODO y de los dos siguientes va dentro de un for (;;). Al
     * empezar cada vuelta, dile a poll qué te interesa de cada descriptor:
     * del socket (fd) y del teclado (STDIN_FILENO), saber cuándo hay algo
     * que leer (POLLIN):
     *     struct pollfd pf[2] = {{fd, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
     *     ssize_t n;
     * Al declararlo dentro del bucle, pf empieza cada vuelta con los
     * revents a 0. Después espera, sin plazo (-1), a que alguno tenga algo:
     *     if (poll(pf, apodo_enviado ? 2 : 1, -1) == -1) {
     *         if (errno == EINTR)        (lo interrumpió una señal)
     *             continue;
     *         perror("cliente: poll");
     *         return 1;
     *     }
     * Mientras el apodo no está enviado, poll solo mira el primero, el
     * socket. Si escuchara ya el teclado, la primera línea que escribieras
     * saldría antes que el apodo, y el servidor la tomaría por tu apodo.
     */

    /*
     * TODO 6: lo que llega del servidor. Dentro del bucle, detrás de poll:
     *     if (pf[0].revents != 0) {
     *         ...
     *     }
     * Mira revents != 0 y no solo POLLIN: si la conexión se rompe, poll
     * puede avisar con POLLHUP o POLLERR, y es recv quien dirá qué pasó.
     * a) n = leer_mas(fd, &red, 1);
     * b) Si n == 0, el servidor cerró la conexión: dilo y termina con 1.
     *        fprintf(stderr, "cliente: el servidor cerró la conexión\n");
     *        return 1;
     *    Si n == -1: perror("cliente: recv"); return 1;
     * c) Atiende todas las líneas completas que haya ahora en red (un recv
     *    puede traer varias, o ninguna entera):
     *        while (sacar_linea(&red, texto) != -1)
     *            if (linea_del_servidor(fd, apodo, &apodo_enviado, texto) == -1)
     *                return 1;
     */

    /*
     * TODO 7: lo que llega del teclado. Dentro del bucle, detrás del TODO 6:
     *     if (apodo_enviado && pf[1].revents != 0) {
     *         ...
     *     }
     * a) n = leer_mas(STDIN_FILENO, &teclado, 0);
     *    Si n == -1: perror("cliente: read"); return 1;
     * b) Si n == 0, se acabó la entrada (Ctrl-D, o el final de un archivo).
     *    Si quedó media línea sin '\n' (teclado.largo > 0), complétala para
     *    que salga como las demás:
     *        teclado.datos[teclado.largo++] = '\n';
     *    Siempre cabe: sacar_linea nunca deja el búfer lleno.
     * c) Envía las líneas completas que haya:
     *        while (sacar_linea(&teclado, texto) != -1)
     *            if (linea_del_usuario(fd, apodo, texto) == -1)
     *                return 1;
     * d) Si n == 0, ya no queda nada por enviar: return 0; (main cerrará el
     *    socket, y el servidor verá que te has ido).
     */

    (void)fd;                       /* quita los (void) al escribir el bucle */
    (void)apodo;
    (void)red;
    (void)teclado;
    (void)texto;
    (void)apodo_enviado;
    FALTA("conversar");             /* y borra esta línea al terminar */
}

int main(int argc, char *argv[])
{
    const char *host = HOST_DEFECTO, *puerto = PUERTO_DEFECTO, *apodo;
    int fd, estado;

    /* stdout puede ser una tubería: vacíalo en cada línea. */
    if (setvbuf(stdout, NULL, _IOLBF, 0) != 0) {
        perror("cliente: setvbuf");
        return 1;
    }
    if (argc != 2 && argc != 4) {            /* APODO, o HOST PUERTO APODO */
        fprintf(stderr, "uso: cliente [HOST PUERTO] APODO\n");
        return 2;
    }
    if (argc == 4) {
        host = argv[1];
        puerto = argv[2];
    }
    apodo = argv[argc - 1];                  /* el apodo es siempre el último */
    if (!puerto_valido(puerto)) {
        fprintf(stderr, "cliente: puerto no válido: \"%s\"\nuso: cliente [HOST PUERTO] APODO\n",
                puerto);
        return 2;
    }

    /*
     * TODO 8: comprueba el apodo antes de conectarte. Tiene que tener de 1 a
     * MAX_APODO bytes, como exige el servidor de la lección 7, y ningún '\n':
     * viaja como una línea, y un '\n' dentro la partiría en dos.
     *     if (apodo[0] == '\0' || strlen(apodo) > MAX_APODO ||
     *         strchr(apodo, '\n') != NULL) {
     *         fprintf(stderr, "cliente: el apodo debe tener de 1 a %d bytes, "
     *                 "sin saltos de línea\nuso: cliente [HOST PUERTO] APODO\n",
     *                 MAX_APODO);
     *         return 2;
     *     }
     * Mejor descubrirlo aquí, con el estado 2, que conectarse para que el
     * servidor lo rechace. Y la respuesta del TODO 3 solo tiene sitio para
     * MAX_APODO bytes, el '\n' y el '\0'.
     */

    FALTA("main");                  /* borra esta línea al terminar */

    fd = conectar(host, puerto);
    if (fd == -1)
        return 1;
    estado = conversar(fd, apodo);
    /* Al terminar, cierra: el servidor verá que recv le devuelve 0. */
    if (close(fd) == -1) {
        perror("cliente: close");
        estado = 1;
    }
    return estado;
}
