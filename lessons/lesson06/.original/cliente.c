/* cliente.c: cliente UDP del servidor de eco, con plazo de espera y reintentos. */

/*
 * Ejercicio de la lección 6. Lee antes el README.md de esta carpeta.
 *
 * Tu trabajo está en los comentarios TODO. Ve en orden, del 1 al 7.
 * Cada función sin terminar llama a FALTA(...), que avisa y termina el
 * programa; cuando completes una función, borra su línea FALTA(...) y los
 * (void) que ya no hagan falta.
 *
 * Compilar:  cc -std=gnu11 -Wall -Wextra -o cliente cliente.c
 * Probar:    en una terminal, el servidor de la lección 5 (o nc -u -l 127.0.0.1 9999)
 *            y en otra:  ./cliente 127.0.0.1 9999 hola
 * Corregir:  ./checker lesson06  (desde la raíz del proyecto)
 */

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

/*
 * Avisa de que una función está sin terminar y sale. Bórrala al acabar.
 * Sale con el estado 3, que el cliente terminado no usa nunca: así no se
 * confunde con «sin respuesta» (1) ni con «argumentos incorrectos» (2).
 */
#define FALTA(funcion)                                                     \
    do {                                                                   \
        fprintf(stderr, "cliente: falta completar %s (busca los TODO)\n", \
                funcion);                                                  \
        exit(3);                                                           \
    } while (0)

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

    /*
     * TODO 1: el host, el puerto y los mensajes.
     * a) Si hay 3 argumentos o más, argv[1] es el host y argv[2] el puerto:
     *        o->host = argv[1];
     *        o->puerto = argv[2];
     *    Si puerto_valido(o->puerto) dice que no, explica por qué y devuelve
     *    -1 (main escribirá el uso y terminará con estado 2):
     *        fprintf(stderr, "cliente: puerto no válido: \"%s\" (debe ser un "
     *                "número entre 1 y 65535)\n", o->puerto);
     *        return -1;
     * b) Si hay más de 3 argumentos, los mensajes son los de la línea de
     *    órdenes: o->mensajes = argv + 3; y o->n_mensajes = argc - 3;
     *    Si no, son los tres de siempre: o->mensajes = MENSAJES_DEFECTO; y
     *    o->n_mensajes = N_DEFECTO;
     * c) Recórrelos: si alguno tiene más de MAX_MENSAJE bytes (mira su
     *    strlen), avisa y devuelve -1:
     *        fprintf(stderr, "cliente: un mensaje no puede pasar de %zu bytes\n",
     *                MAX_MENSAJE);
     *        return -1;
     *    El límite no es el del mensaje, sino el de su eco: "Eco: " y el
     *    mensaje tienen que caber juntos en un datagrama. Un mensaje vacío sí
     *    vale: viaja como un datagrama sin datos y su eco es "Eco: ".
     * Si todo está bien: return 0;
     */

    (void)argv;                     /* quita esta línea al usar argv */
    FALTA("leer_argumentos");       /* y borra esta al terminar */
}

/* Crea el socket UDP y apunta en s la dirección del servidor; -1 si falla. */
int preparar(const char *host, const char *puerto, struct servidor *s)
{
    /*
     * TODO 2: el socket UDP y la dirección del servidor.
     * a) Traduce host y puerto con getaddrinfo, como en la lección 4, pero
     *    pidiendo datagramas:
     *        struct addrinfo pistas, *lista;
     *        memset(&pistas, 0, sizeof pistas);
     *        pistas.ai_family = AF_UNSPEC;       (IPv4 o IPv6)
     *        pistas.ai_socktype = SOCK_DGRAM;    (UDP)
     *        pistas.ai_flags = AI_NUMERICSERV;   (el puerto ya es un número)
     *        int error = getaddrinfo(host, puerto, &pistas, &lista);
     *    Si error != 0:
     *        fprintf(stderr, "cliente: no se pudo resolver %s: %s\n", host,
     *                gai_strerror(error));
     *        return -1;
     * b) Crea el socket con la primera dirección de la lista:
     *        int fd = socket(lista->ai_family, lista->ai_socktype,
     *                        lista->ai_protocol);
     *    Si fd == -1: perror("cliente: socket");
     *    Si no, copia la dirección en s: es adonde irá cada sendto y de donde
     *    tendrán que venir las respuestas.
     *        memcpy(&s->dir, lista->ai_addr, lista->ai_addrlen);
     *        s->largo = lista->ai_addrlen;
     * c) En los dos casos, libera la lista con freeaddrinfo(lista); y
     *    return fd; (que es -1 si socket falló).
     * Ni connect ni bind: con UDP basta el socket, el destino va en cada
     * sendto y el sistema le da un puerto libre en el primer envío.
     */

    (void)host;                     /* quita los (void) al usar los parámetros */
    (void)puerto;
    (void)s;
    FALTA("preparar");              /* y borra esta línea al terminar */
}

/* 1 si la dirección dir (de recvfrom) es la del servidor: misma IP y puerto. */
int es_del_servidor(const struct sockaddr_storage *dir, const struct servidor *s)
{
    /*
     * TODO 3: compara la dirección de quien envió el datagrama (dir, la que
     * rellenó recvfrom) con la del servidor (s->dir). Tienen que coincidir
     * la familia, la IP y el puerto.
     * a) Si dir->ss_family != s->dir.ss_family: return 0;
     * b) Si la familia es AF_INET (IPv4), mira las dos como sockaddr_in:
     *        const struct sockaddr_in *a = (const struct sockaddr_in *)dir;
     *        const struct sockaddr_in *b = (const struct sockaddr_in *)&s->dir;
     *    y devuelve si coinciden el puerto y la IP:
     *        return a->sin_port == b->sin_port &&
     *               a->sin_addr.s_addr == b->sin_addr.s_addr;
     *    Los dos están en el orden de la red: se comparan tal cual, sin ntohs.
     * c) Si es AF_INET6 (IPv6), lo mismo con struct sockaddr_in6: compara
     *    sin6_port con ==, y las IP con memcmp, porque sin6_addr son 16 bytes:
     *        memcmp(&a->sin6_addr, &b->sin6_addr, sizeof a->sin6_addr) == 0
     * d) Con cualquier otra familia: return 0;
     * No compares las dos estructuras enteras con memcmp: llevan campos que
     * no son parte de la dirección (sin_zero, sin6_flowinfo...) y que pueden
     * no coincidir aunque el remitente sea el servidor.
     */

    (void)dir;                      /* quita los (void) al usar los parámetros */
    (void)s;
    FALTA("es_del_servidor");       /* y borra esta línea al terminar */
}

/* recvfrom esperará como mucho ms milisegundos (SO_RCVTIMEO). */
int poner_plazo(int fd, long long ms)
{
    /*
     * TODO 4: ponle un plazo a recvfrom con la opción SO_RCVTIMEO. El plazo
     * va en un struct timeval, que cuenta en segundos y MICROsegundos:
     *     struct timeval t;
     *     t.tv_sec = ms / 1000;               (los segundos enteros)
     *     t.tv_usec = (ms % 1000) * 1000;     (el resto, en microsegundos)
     *     return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof t);
     * Ojo con las unidades: 500 ms son tv_sec = 0 y tv_usec = 500000. Con
     * tv_usec = 500 esperarías medio milisegundo, y con tv_sec = 500, más de
     * ocho minutos.
     * Desde ese momento, si el plazo pasa sin que llegue nada, recvfrom
     * devuelve -1 con errno EAGAIN (o EWOULDBLOCK, que en Linux es igual).
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)ms;
    FALTA("poner_plazo");           /* y borra esta línea al terminar */
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
    /*
     * TODO 5: espera con plazo. Los ESPERA_MS son para todo el rato que
     * esperas esta respuesta, no para cada datagrama que llegue. Calcula una
     * sola vez cuándo se acaban:
     *     long long limite = ahora_ms() + ESPERA_MS;
     * y repite para siempre (for (;;)):
     * a) Calcula cuánto queda: long long quedan = limite - ahora_ms();
     *    Si quedan <= 0: return 0; (se acabó el plazo). Ojo: no llames a
     *    poner_plazo con 0, porque un plazo de 0 significa «sin plazo».
     * b) Ponle a recvfrom lo que queda: si poner_plazo(fd, quedan) == -1,
     *    perror("cliente: setsockopt"); return -1;
     * c) Recibe un datagrama y apunta de quién viene:
     *        struct sockaddr_storage dir;
     *        socklen_t largo_dir = sizeof dir;
     *        ssize_t n = recvfrom(fd, datos, MAX_DATAGRAMA, 0,
     *                             (struct sockaddr *)&dir, &largo_dir);
     * d) Si n == -1, mira errno:
     *    - EAGAIN o EWOULDBLOCK: se acabó el plazo; return 0;
     *    - EINTR (te interrumpió una señal): continue; (vuelve a calcular
     *      lo que queda)
     *    - cualquier otro: perror("cliente: recvfrom"); return -1;
     */

    /*
     * TODO 6: no todo lo que llega es la respuesta. Sigue dentro del bucle:
     * a) Si el datagrama no viene del servidor (!es_del_servidor(&dir, s)),
     *    avisa y vuelve a esperar:
     *        fprintf(stderr, "cliente: ignoro un datagrama que no viene "
     *                "del servidor\n");
     *        continue;
     * b) Si trae justo la respuesta esperada, los largo bytes de esperada,
     *    ya la tienes:
     *        if ((size_t)n == largo && memcmp(datos, esperada, largo) == 0)
     *            return n;
     * c) Si no, es otra cosa (un eco repetido, o el de un mensaje anterior
     *    que llegó tarde): avisa y sigue esperando.
     *        fprintf(stderr, "cliente: ignoro una respuesta que no es la "
     *                "de este mensaje\n");
     * Al volver a esperar, el paso a) de TODO 5 calcula lo que queda del
     * plazo. No le des otros ESPERA_MS enteros: alguien que te enviara un
     * datagrama cada 400 ms te tendría esperando para siempre.
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)s;
    (void)esperada;
    (void)largo;
    (void)datos;
    FALTA("esperar_respuesta");     /* y borra esta línea al terminar */
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

    /*
     * TODO 7: envía y, si no llega la respuesta, reenvía, pero INTENTOS
     * veces como mucho. n empieza en 0, que significa «aún sin respuesta».
     * Repite mientras queden intentos y n siga en 0:
     *     for (int intento = 1; intento <= INTENTOS && n == 0; intento++)
     * a) Envía el mensaje entero en un solo datagrama, sin '\n' ni '\0':
     *        sendto(fd, mensaje, largo, 0, (const struct sockaddr *)&s->dir,
     *               s->largo)
     *    Si devuelve -1: perror("cliente: sendto"); n = -1; (el bucle acaba)
     *    Si no, espera la respuesta:
     *        n = esperar_respuesta(fd, s, esperada, LARGO_PREFIJO + largo,
     *                              respuesta);
     * b) Si n == 0 y aún queda otro intento (intento < INTENTOS), di que
     *    vas a reenviar:
     *        fprintf(stderr, "cliente: sin respuesta en %d ms; reenvío "
     *                "(intento %d de %d)\n", ESPERA_MS, intento + 1, INTENTOS);
     * Al salir del bucle, n es el largo de la respuesta (llegó), 0 (no llegó
     * en ningún intento) o -1 (hubo un error). Lo que hay debajo ya se
     * encarga de cada caso.
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)s;
    FALTA("conversar");             /* y borra esta línea al terminar */

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
