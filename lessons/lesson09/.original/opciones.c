/* opciones.c: opciones de socket en la práctica: reutilizar, plazos, sin bloqueo, conectar con plazo. */

/*
 * Ejercicio de la lección 9. Lee antes el README.md de esta carpeta.
 *
 * Tu trabajo está en los comentarios TODO, del 1 al 11. Empieza por el
 * TODO 1, que está en main, al final del archivo: es lo primero que se
 * ejecuta. Después sigue de arriba abajo, del 2 al 11.
 * Cada función sin terminar llama a FALTA(...), que avisa y termina el
 * programa; cuando completes una función, borra su línea FALTA(...) y los
 * (void) que ya no hagan falta.
 *
 * Compilar:  cc -std=gnu11 -Wall -Wextra -o opciones opciones.c
 * Probar:    en una terminal, nc -l 127.0.0.1 9000
 *            y en otra:  ./opciones plazo 127.0.0.1 9000 5000
 * Corregir:  ./checker lesson09  (desde la raíz del proyecto)
 */

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

/*
 * Avisa de que una función está sin terminar y sale. Bórrala al acabar.
 * Sale con el estado 9, que el programa terminado no usa nunca: así no se
 * confunde con ninguno de los suyos, del 0 al 4 (bien, error, uso, plazo
 * agotado y conexión rechazada).
 */
#define FALTA(funcion)                                                      \
    do {                                                                    \
        fprintf(stderr, "opciones: falta completar %s (busca los TODO)\n", \
                funcion);                                                   \
        exit(9);                                                            \
    } while (0)

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

    if (texto[0] < '0' || texto[0] > '9')   /* ni vacío, ni signo, ni espacios */
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
    /*
     * TODO 2: el plazo va en un struct timeval, que cuenta en segundos y
     * MICROsegundos. Pártelo así:
     *     struct timeval t;
     *     t.tv_sec = ms / 1000;                (los segundos enteros)
     *     t.tv_usec = (ms % 1000) * 1000;      (el resto, en microsegundos)
     * y dáselo al socket. opcion es SO_RCVTIMEO o SO_SNDTIMEO, según quién
     * llame; las dos son del nivel SOL_SOCKET:
     *     return setsockopt(fd, SOL_SOCKET, opcion, &t, sizeof t);
     * Ojo con las unidades: 400 ms son tv_sec = 0 y tv_usec = 400000. Con
     * tv_usec = 400 el plazo sería mil veces más corto (0,4 ms), y con
     * tv_sec = 400, mil veces más largo (casi siete minutos).
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)opcion;
    (void)ms;
    FALTA("poner_plazo");           /* y borra esta línea al terminar */
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

    /*
     * TODO 3: pon el socket en modo no bloqueante y lanza la conexión.
     * a) Lee los flags que ya tiene y añádeles O_NONBLOCK. Guarda los de
     *    antes en flags: con ellos lo dejarás bloqueante al final.
     *        flags = fcntl(fd, F_GETFL);
     *        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
     *    No hagas fcntl(fd, F_SETFL, O_NONBLOCK): borraría los demás flags.
     * b) Llama a connect. En modo no bloqueante no espera: lo normal es que
     *    devuelva -1 con errno EINPROGRESS («conectando, ya te avisaré»).
     *        if (connect(fd, p->ai_addr, p->ai_addrlen) == -1) {
     *            if (errno != EINPROGRESS)
     *                goto falla;          (un error de verdad)
     *            ... aquí, los TODO 4 y 5 ...
     *        }
     *    Si connect devuelve 0, ya está conectado (con TCP es raro, pero
     *    está permitido): te saltas el bloque y sigues en el paso b) del
     *    TODO 5.
     * c) Al final de la función, después del return fd; del TODO 5, escribe
     *    la salida de los errores. Guarda errno antes de close, que podría
     *    cambiarlo, y devuélvelo después:
     *        falla:
     *            error = errno;
     *            close(fd);
     *            errno = error;
     *            return -1;
     */

    /*
     * TODO 4: dentro del if del TODO 3, espera a que la conexión termine,
     * pero como mucho ms milisegundos. Cuando termina, bien o mal, el socket
     * se puede escribir: espera POLLOUT.
     *     pf.fd = fd;
     *     pf.events = POLLOUT;
     *     long long limite = ahora_ms() + ms;
     *     int r;
     *     do {
     *         long long quedan = limite - ahora_ms();
     *         r = quedan > 0 ? poll(&pf, 1, (int)quedan) : 0;
     *     } while (r == -1 && errno == EINTR);
     * Si una señal interrumpe poll (EINTR), se vuelve a esperar, pero solo
     * lo que quede hasta limite, no otros ms enteros. Y si ya no queda
     * nada, r = 0 sin llamar a poll: para poll, un plazo negativo es
     * esperar sin límite.
     * Después:
     * - si r == -1: goto falla; (poll falló)
     * - si r == 0: se acabó el plazo sin respuesta:
     *       errno = ETIMEDOUT;
     *       goto falla;
     */

    /*
     * TODO 5: cómo acabó el intento, y de vuelta a bloqueante.
     * a) Todavía dentro del if, detrás del TODO 4. Que poll haya vuelto no
     *    quiere decir que estés conectado: solo que el intento ha
     *    terminado. Pregunta cómo con SO_ERROR, que vale 0 si salió bien o
     *    el código del error si no (por ejemplo, ECONNREFUSED):
     *        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &largo) == -1)
     *            goto falla;
     *        if (error != 0) {
     *            errno = error;
     *            goto falla;
     *        }
     * b) Ya fuera del if, conectado: devuelve el socket a modo bloqueante
     *    con los flags que guardaste, para que recv y send vuelvan a
     *    esperar (y a respetar SO_RCVTIMEO y SO_SNDTIMEO), y devuélvelo:
     *        fcntl(fd, F_SETFL, flags);
     *        return fd;
     */

    (void)ms;                       /* quita los (void) al usar las variables */
    (void)flags;
    (void)largo;
    (void)pf;
    FALTA("conectar_con_plazo");    /* y borra esta línea al terminar */
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

    /*
     * TODO 6: activa SO_REUSEADDR en escucha ANTES de bind. Añade esta
     * línea a la condición de abajo, entre la del socket y la de bind:
     *     setsockopt(escucha, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si) == -1 ||
     * El valor va por dirección (&si) con su tamaño: un int, 1 para
     * activarla. Después de bind ya no sirve de nada: el puerto ya se
     * habrá pedido sin ella.
     * Si antes quieres ver el problema, borra solo la línea FALTA, compila
     * y arranca este modo; conéctate con nc para que salude y termine, y
     * vuelve a arrancarlo enseguida: bind fallará con «Address already in
     * use». Luego espera un minuto, o usa otro puerto: lo que dejó esa
     * prueba bloquea el puerto también para la versión con la opción.
     */

    (void)si;                       /* quita esta línea al usar si */
    FALTA("modo_reutilizar");       /* y borra esta al terminar */
    if (escucha == -1 ||
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

    /*
     * TODO 7: un plazo para recv, y qué hacer cuando se agota.
     * a) Aquí, antes de recv, pon el plazo con tu poner_plazo:
     *        if (poner_plazo(fd, SO_RCVTIMEO, ms) == -1) {
     *            perror("opciones: setsockopt");
     *            close(fd);
     *            return SALIDA_ERROR;
     *        }
     *    Sin él, el recv de abajo esperaría para siempre si no llega nada.
     * b) Más abajo, donde lo indica el comentario, justo después de
     *    close(fd): si recv devolvió -1 con errno EAGAIN o EWOULDBLOCK, no
     *    es un error de verdad, es que se acabó el plazo. Dilo y termina con
     *    el estado de plazo agotado:
     *        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
     *            printf("Plazo agotado: no llegó nada en %ld ms\n", ms);
     *            return SALIDA_PLAZO;
     *        }
     *    Tiene que ir antes del if (n == -1) que ya está escrito, que trata
     *    los demás errores.
     */

    (void)ms;                       /* quita esta línea al usar ms */
    FALTA("modo_plazo");            /* y borra esta al terminar */
    do
        n = recv(fd, datos, sizeof datos, 0);
    while (n == -1 && errno == EINTR);
    close(fd);
    /* (aquí, el paso b) del TODO 7) */
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

    /*
     * TODO 8: pasa el socket a modo no bloqueante y pide datos una vez.
     * a) Añade O_NONBLOCK a los flags que ya tiene (F_GETFL los lee, F_SETFL
     *    los escribe):
     *        if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1) {
     *            perror("opciones: fcntl");
     *            close(fd);
     *            return SALIDA_ERROR;
     *        }
     * b) Un solo recv. Ahora vuelve enseguida, haya algo o no:
     *        n = recv(fd, datos, sizeof datos, 0);
     */

    /*
     * TODO 9: si no había nada, recv devolvió -1 con errno EAGAIN (o
     * EWOULDBLOCK). Dilo y espera a que llegue algo, pero con poll, que
     * duerme sin gastar CPU. Nada de repetir recv en un bucle hasta que
     * haya datos: eso es espera activa y se come una CPU entera.
     *     if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
     *         printf("No hay datos todavía\n");
     *         pf.fd = fd;
     *         pf.events = POLLIN;
     *         if (poll(&pf, 1, 5000) <= 0) {
     *             fprintf(stderr, "opciones: no llegó nada en 5000 ms\n");
     *             close(fd);
     *             return SALIDA_PLAZO;
     *         }
     *         n = recv(fd, datos, sizeof datos, 0);
     *     }
     * poll devuelve 0 si pasan los 5000 ms sin datos, y -1 si falla: en los
     * dos casos, <= 0. Si devuelve 1, hay algo que leer, y el segundo recv
     * lo trae (o devuelve 0, si lo que hubo fue que el otro lado cerró).
     */

    (void)pf;                       /* quita esta línea al usar pf */
    FALTA("modo_sin_bloqueo");      /* y borra esta al terminar */
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
    e = errno;                      /* antes de que otra llamada lo cambie */
    freeaddrinfo(lista);

    /*
     * TODO 10: cuenta cómo acabó, con la línea y el estado de cada caso.
     * a) Si fd != -1, conectado: dilo, cierra el socket y termina bien.
     *        printf("Conectado a %s:%s\n", host, puerto);
     *        close(fd);
     *        return SALIDA_BIEN;
     * b) Si e == ETIMEDOUT, se acabó el plazo sin respuesta:
     *        printf("Sin respuesta de %s:%s en %ld ms\n", host, puerto, ms);
     *        return SALIDA_PLAZO;
     * c) Si e == ECONNREFUSED, el otro lado contestó que ahí no escucha
     *    nadie:
     *        printf("Conexión rechazada por %s:%s\n", host, puerto);
     *        return SALIDA_RECHAZADA;
     * Cualquier otro error (por ejemplo, «Network is unreachable») ya lo
     * trata el código de abajo, con el estado 1.
     */

    (void)fd;                       /* quita esta línea al usar fd */
    FALTA("modo_conectar");         /* y borra esta al terminar */
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

    /*
     * TODO 11: un plazo para send, y qué hacer cuando se agota.
     * a) Aquí, antes del bucle, pon el plazo, ahora con SO_SNDTIMEO:
     *        if (poner_plazo(fd, SO_SNDTIMEO, ms) == -1) {
     *            perror("opciones: setsockopt");
     *            close(fd);
     *            return SALIDA_ERROR;
     *        }
     *    Sin él, cuando el otro lado deja de leer y se llenan los búferes,
     *    send se queda esperando para siempre.
     * b) Dentro del bucle, donde lo indica el comentario, después de
     *    close(fd): si send devolvió -1 con errno EAGAIN o EWOULDBLOCK, se
     *    acabó el plazo. Dilo, con los bytes que salieron, y termina con el
     *    estado de plazo agotado:
     *        if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
     *            printf("Envío bloqueado: el otro lado no lee (%lld bytes enviados; plazo de %ld ms)\n",
     *                   enviados, ms);
     *            return SALIDA_PLAZO;
     *        }
     */

    (void)ms;                       /* quita los (void) al usar las variables */
    (void)enviados;
    FALTA("modo_envio");            /* y borra esta línea al terminar */
    memset(bloque, 'x', sizeof bloque);
    for (;;) {
        ssize_t n = send(fd, bloque, sizeof bloque, MSG_NOSIGNAL);

        if (n > 0) {
            enviados += n;          /* un send puede aceptar menos de lo pedido */
            continue;
        }
        if (n == -1 && errno == EINTR)
            continue;
        close(fd);
        /* (aquí, el paso b) del TODO 11) */
        perror("opciones: send");
        return SALIDA_ERROR;
    }
}

int main(int argc, char *argv[])
{
    long ms = 0;

    /* stdout puede ser una tubería: vacíalo en cada línea. */
    if (setvbuf(stdout, NULL, _IOLBF, 0) != 0)
        return SALIDA_ERROR;
    if (argc == 3 && strcmp(argv[1], "reutilizar") == 0 && leer_numero(argv[2], 1, 65535) > 0)
        return modo_reutilizar(argv[2]);
    if (argc >= 4 && leer_numero(argv[3], 1, 65535) > 0) {
        if (argc == 4 && strcmp(argv[1], "sin_bloqueo") == 0)
            return modo_sin_bloqueo(argv[2], argv[3]);
        if (argc == 5) {
            /*
             * TODO 1: lee el plazo MS, el cuarto argumento, con leer_numero:
             *     ms = leer_numero(argv[4], 1, 600000);
             * (y quita las llaves de este if, que ya no hacen falta).
             * Como mínimo 1: un plazo de 0 en SO_RCVTIMEO o SO_SNDTIMEO no
             * es «no esperes», sino «espera para siempre». Como mucho
             * 600000, diez minutos. Si no es un número en ese intervalo,
             * leer_numero devuelve -1, ms no es > 0, ningún modo de abajo lo
             * acepta y main escribe el uso y termina con estado 2.
             */
            FALTA("main");          /* borra esta línea al terminar */
        }
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
