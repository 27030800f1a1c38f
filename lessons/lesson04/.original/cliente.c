/* cliente.c: cliente TCP que prueba el servidor de eco de la lección 3. */

/*
 * Ejercicio de la lección 4. Lee antes el README.md de esta carpeta.
 *
 * Tu trabajo está en los comentarios TODO. Ve en orden, del 1 al 6.
 * Cada función sin terminar llama a FALTA(...), que avisa y termina el
 * programa; cuando completes una función, borra su línea FALTA(...) y los
 * (void) que ya no hagan falta.
 *
 * Compilar:  cc -std=gnu11 -Wall -Wextra -o cliente cliente.c
 * Probar:    en una terminal, el servidor de la lección 3 (o nc -l 127.0.0.1 8888)
 *            y en otra:  ./cliente 127.0.0.1 8888 hola
 * Corregir:  ./checker lesson04  (desde la raíz del proyecto)
 */

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

/* Avisa de que una función está sin terminar y sale. Bórrala al acabar. */
#define FALTA(funcion)                                                     \
    do {                                                                   \
        fprintf(stderr, "cliente: falta completar %s (busca los TODO)\n", \
                funcion);                                                  \
        exit(1);                                                           \
    } while (0)

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

    /*
     * TODO 1: los mensajes.
     * - Si hay más de 3 argumentos, los mensajes son los de la línea de
     *   órdenes: o->mensajes = argv + 3; y o->n_mensajes = argc - 3;
     * - Si no, son los cuatro de siempre: o->mensajes = MENSAJES_DEFECTO; y
     *   o->n_mensajes = N_DEFECTO;
     * Después recórrelos: si alguno está vacío o tiene más de MAX_MENSAJE
     * bytes (mira su strlen), explica el problema y devuelve -1:
     *     fprintf(stderr, "cliente: cada mensaje debe tener entre 1 y %d bytes\n",
     *             MAX_MENSAJE);
     *     return -1;
     * Un mensaje vacío no envía ningún byte, y su respuesta no llegaría nunca.
     * Uno más largo que MAX_MENSAJE le llegaría al servidor en varios trozos,
     * y cada trozo tendría su propio prefijo: el README explica por qué.
     * Si todo está bien: return 0;
     */

    FALTA("leer_argumentos");       /* borra esta línea al terminar */
}

/* Crea un socket para la dirección p y lo conecta; -1 si falla (ver errno). */
int conectar_una(const struct addrinfo *p)
{
    /*
     * TODO 2: crea el socket y conéctalo:
     *     int fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
     * Si devuelve -1: return -1; (errno ya dice por qué)
     *     connect(fd, p->ai_addr, p->ai_addrlen)
     * Si devuelve -1: guarda errno en una variable (int e = errno;), cierra
     * el socket con close(fd), recupera errno (errno = e;) y return -1;
     * close puede cambiar errno, y quien te llama lo necesita para el mensaje.
     * Si todo fue bien: return fd;
     * No hace falta htons: getaddrinfo ya dejó el puerto en p->ai_addr en el
     * orden de la red.
     */

    (void)p;                        /* quita esta línea al usar p */
    FALTA("conectar_una");          /* y borra esta al terminar */
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

    /*
     * TODO 3: si ninguna dirección funcionó (fd == -1), explica el fallo
     * diciendo adónde intentabas conectar y por qué no se pudo:
     *     fprintf(stderr, "cliente: no se pudo conectar con %s:%d: %s\n",
     *             host, puerto, strerror(ultimo));
     * Por ejemplo: "cliente: no se pudo conectar con 127.0.0.1:8888:
     * Connection refused" (no hay ningún servidor escuchando en ese puerto).
     */

    (void)ultimo;                   /* quita esta línea al usar ultimo */
    return fd;
}

/* Envía los largo bytes de datos aunque send los acepte por partes. */
int enviar_todo(int fd, const char *datos, size_t largo)
{
    /*
     * TODO 4: como en la lección 3, send puede enviar menos bytes de los que
     * le pides. Lleva la cuenta en "size_t enviados = 0;" y repite mientras
     * enviados < largo:
     *     ssize_t n = send(fd, datos + enviados, largo - enviados, MSG_NOSIGNAL);
     * - Si n == -1 y errno == EINTR: vuelve a intentarlo (continue).
     * - Si n == -1 por otro motivo: return -1;
     * - Si no: enviados += (size_t)n;
     * Al salir del bucle: return 0;
     * MSG_NOSIGNAL: si el servidor ya cerró, send devuelve -1 (EPIPE) en vez
     * de matar el programa con la señal SIGPIPE.
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)datos;
    (void)largo;
    FALTA("enviar_todo");           /* y borra esta línea al terminar */
}

/*
 * Recibe exactamente largo bytes en datos, aunque lleguen en varios trozos.
 * Devuelve cuántos llegaron (menos de largo si el servidor cerró antes) o -1
 * si recv falló.
 */
ssize_t recibir_exacto(int fd, char *datos, size_t largo)
{
    /*
     * TODO 5: el corazón de la lección. Un solo recv puede traer solo una
     * parte de la respuesta: TCP es un flujo de bytes, no de mensajes.
     * Lleva la cuenta en "size_t recibidos = 0;" y repite mientras
     * recibidos < largo:
     *     ssize_t n = recv(fd, datos + recibidos, largo - recibidos, 0);
     * (pide solo lo que falta: lo que venga detrás ya es de otra respuesta)
     * - Si n == -1 y errno == EINTR: continue;
     * - Si n == -1 por otro motivo: return -1;
     * - Si n == 0: el servidor cerró la conexión; sal del bucle (break).
     * - Si no: recibidos += (size_t)n;
     * Al final: return (ssize_t)recibidos;
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)datos;
    (void)largo;
    FALTA("recibir_exacto");        /* y borra esta línea al terminar */
}

/* Envía un mensaje, espera su respuesta entera y la escribe; -1 si falla. */
int conversar(int fd, const char *mensaje)
{
    /*
     * TODO 6: una vuelta del diálogo con el servidor.
     * a) Calcula las longitudes EN BYTES (strlen cuenta bytes, no letras:
     *    strlen("Adiós") es 6):
     *        size_t largo = strlen(mensaje);
     *        size_t esperado = LARGO_PREFIJO + largo;
     * b) Envía el mensaje con enviar_todo(fd, mensaje, largo). Sin '\n' ni
     *    '\0'. Si devuelve -1: perror("cliente: send"); return -1;
     * c) Reserva sitio para la respuesta: char *respuesta = malloc(esperado);
     *    Si es NULL: perror("cliente: malloc"); return -1;
     * d) ssize_t n = recibir_exacto(fd, respuesta, esperado);
     *    - Si n == -1: perror("cliente: recv");
     *    - Si n < esperado (compara (size_t)n < esperado): el servidor cerró
     *      antes de terminar. NO escribas la respuesta a medias; avisa:
     *          fprintf(stderr, "cliente: el servidor cerró la conexión antes "
     *                  "de responder (llegaron %zd de %zu bytes)\n", n, esperado);
     *    - Si no, escribe la línea completa. La respuesta no acaba en '\0':
     *          printf("Respuesta: ");
     *          fwrite(respuesta, 1, esperado, stdout);
     *          printf("\n");
     * e) free(respuesta); y devuelve 0 si llegó entera (n == (ssize_t)esperado),
     *    o -1 si no.
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)mensaje;
    FALTA("conversar");             /* y borra esta línea al terminar */
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
