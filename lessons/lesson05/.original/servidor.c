/* servidor.c: servidor de eco UDP que contesta cada datagrama a quien lo envió. */

/*
 * Ejercicio de la lección 5. Lee antes el README.md de esta carpeta.
 *
 * Tu trabajo está en los comentarios TODO. Ve en orden, del 1 al 7.
 * Cada función sin terminar llama a FALTA(...), que avisa y termina el
 * programa; cuando completes una función, borra su línea FALTA(...) y los
 * (void) que ya no hagan falta.
 *
 * Compilar:  cc -std=gnu11 -Wall -Wextra -o servidor servidor.c
 * Probar:    ./servidor          y en otra terminal:  nc -u 127.0.0.1 9999
 * Corregir:  ./checker lesson05  (desde la raíz del proyecto)
 */

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define DIRECCION      "127.0.0.1"  /* solo atendemos en la máquina local */
#define PUERTO_DEFECTO 9999
#define MAX_DATAGRAMA  65507        /* lo más que lleva un datagrama UDP sobre IPv4 */

#define PREFIJO        "Eco: "
#define LARGO_PREFIJO  (sizeof PREFIJO - 1)  /* sin el '\0' final */

/* Avisa de que una función está sin terminar y sale. Bórrala al acabar. */
#define FALTA(funcion)                                                      \
    do {                                                                    \
        fprintf(stderr, "servidor: falta completar %s (busca los TODO)\n", \
                funcion);                                                   \
        exit(1);                                                            \
    } while (0)

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

/* Devuelve un socket UDP enlazado a DIRECCION:puerto, o -1 si no se pudo. */
int crear_socket_udp(int puerto)
{
    /*
     * TODO 1: pide a getaddrinfo la dirección DIRECCION:puerto, como en la
     * lección 3, pero para UDP. Declara al principio de la función:
     *     struct addrinfo pistas, *lista, *p;
     *     char servicio[8];
     *     int fd = -1;
     *     int error;
     * Rellena las pistas y pasa el puerto a texto:
     *     memset(&pistas, 0, sizeof pistas);
     *     pistas.ai_family = AF_UNSPEC;                       (IPv4 o IPv6)
     *     pistas.ai_socktype = SOCK_DGRAM;                    (UDP: datagramas)
     *     pistas.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;  (sin DNS)
     *     snprintf(servicio, sizeof servicio, "%d", puerto);
     *     error = getaddrinfo(DIRECCION, servicio, &pistas, &lista);
     * getaddrinfo no usa errno: si error != 0,
     *     fprintf(stderr, "servidor: getaddrinfo: %s\n", gai_strerror(error));
     *     return -1;
     */

    /*
     * TODO 2: recorre la lista hasta que una dirección funcione:
     *     for (p = lista; p != NULL && fd == -1; p = p->ai_next) { ... }
     * En cada vuelta:
     * - fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
     *   Si devuelve -1: perror("servidor: socket"); continue;
     * - bind(fd, p->ai_addr, p->ai_addrlen)
     *   Si devuelve -1: perror("servidor: bind"); close(fd); fd = -1;
     *   (así el bucle prueba la dirección siguiente)
     * Al salir del bucle: freeaddrinfo(lista); return fd;
     * Y nada más: en UDP no hay listen ni accept, porque no hay conexiones.
     * Tampoco hace falta SO_REUSEADDR (el README explica por qué).
     */

    (void)puerto;                   /* quita esta línea al usar puerto */
    FALTA("crear_socket_udp");      /* y borra esta al terminar */
}

/* Escribe "IP:PUERTO" de la dirección dir en nombre. */
void describir_direccion(const struct sockaddr_storage *dir, socklen_t largo,
                         char *nombre, size_t tam)
{
    char ip[NI_MAXHOST], puerto[NI_MAXSERV];
    int error = getnameinfo((const struct sockaddr *)dir, largo, ip, sizeof ip,
                            puerto, sizeof puerto, NI_NUMERICHOST | NI_NUMERICSERV);

    if (error != 0) {
        fprintf(stderr, "servidor: getnameinfo: %s\n", gai_strerror(error));
        snprintf(nombre, tam, "?:?");
        return;
    }
    snprintf(nombre, tam, "%s:%s", ip, puerto);
}

/*
 * Contesta un datagrama: recibe uno, de quien sea, y le devuelve a ese mismo
 * remitente el prefijo seguido de los mismos bytes. Devuelve -1 solo si el
 * socket ya no sirve; cualquier otro fallo afecta a un datagrama y se ignora.
 */
int atender_datagrama(int fd, char *respuesta)
{
    /*
     * TODO 3: las variables de un datagrama. respuesta es el búfer que
     * prepara main: tiene sitio para el prefijo y para el datagrama más
     * grande, y ya lleva "Eco: " al principio (lo copias en el TODO 7).
     * Recibe los datos justo detrás del prefijo y así no tendrás que
     * copiarlos:
     *     char *datos = respuesta + LARGO_PREFIJO;
     *     struct sockaddr_storage dir;      (cabe una dirección IPv4 o IPv6)
     *     socklen_t largo = sizeof dir;
     *     char nombre[NI_MAXHOST + NI_MAXSERV + 1];
     *     ssize_t n;
     * largo es de ida y vuelta: recvfrom lo lee (cuánto sitio hay en dir) y
     * lo cambia (cuánto ocupa la dirección que ha escrito). Como es una
     * variable local con su valor inicial, vale sizeof dir en cada llamada.
     */

    /*
     * TODO 4: recibe un datagrama entero, venga de quien venga:
     *     n = recvfrom(fd, datos, MAX_DATAGRAMA, MSG_TRUNC,
     *                  (struct sockaddr *)&dir, &largo);
     * Con MSG_TRUNC, n es el tamaño real del datagrama aunque no cupiera.
     * - Si n == -1: guarda errno en una variable (int e = errno;), porque
     *   perror podría cambiarlo. Si e == EINTR (una señal): return 0; sin
     *   más. Si no, perror("servidor: recvfrom"); y si e es EBADF o
     *   ENOTSOCK el socket no sirve: return -1; en otro caso, return 0;
     * - Si n > MAX_DATAGRAMA (no pasa con IPv4, pero por si acaso), avisa y
     *   quédate con lo que cupo:
     *       fprintf(stderr,
     *               "servidor: datagrama de %zd bytes recortado a %d\n",
     *               n, MAX_DATAGRAMA);
     *       n = MAX_DATAGRAMA;
     * - Si n == 0: ¡no es un error ni un cierre! Es un datagrama vacío, y
     *   también se contesta. No lo trates aparte.
     */

    /*
     * TODO 5: escribe una línea de registro con el remitente y los datos:
     *     describir_direccion(&dir, largo, nombre, sizeof nombre);
     *     printf("Recibido de %s: %.*s\n", nombre, (int)n, datos);
     * Los datos no acaban en '\0': "%.*s" escribe como mucho n bytes. No
     * uses "%s" ni strlen con ellos.
     */

    /*
     * TODO 6: contesta con un solo sendto, por el mismo socket fd y a la
     * dirección que te dio recvfrom para ESTE datagrama:
     *     sendto(fd, respuesta, LARGO_PREFIJO + (size_t)n, 0,
     *            (struct sockaddr *)&dir, largo)
     * Si devuelve -1: perror("servidor: sendto"); y sigue (el fallo es de
     * este datagrama, no del servidor).
     * Al final: return 0;
     * No guardes la dirección de ningún cliente, no abras otro socket para
     * contestar y no hagas connect sobre fd.
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)respuesta;
    FALTA("atender_datagrama");     /* y borra esta línea al terminar */
}

int main(int argc, char *argv[])
{
    static char respuesta[LARGO_PREFIJO + MAX_DATAGRAMA];  /* prefijo + datos */
    int puerto, fd;

    /* stdout puede ser una tubería: vacíalo en cada línea. */
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
        fprintf(stderr, "servidor: puerto no válido: \"%s\" (debe ser un número "
                "entre 1 y 65535)\n", argv[1]);
        return 2;
    }
    fd = crear_socket_udp(puerto);
    if (fd == -1)
        return 1;
    printf("Servidor UDP escuchando en %s:%d\n", DIRECCION, puerto);

    /*
     * TODO 7: el prefijo nunca cambia, así que cópialo una sola vez al
     * principio del búfer de respuesta, sin su '\0':
     *     memcpy(respuesta, PREFIJO, LARGO_PREFIJO);
     * Cada datagrama se recibirá justo detrás (TODO 3), y la respuesta
     * entera queda lista en un solo búfer, sin copiar nada más.
     */

    while (atender_datagrama(fd, respuesta) == 0)
        ;                                        /* un datagrama tras otro */
    close(fd);
    return 1;
}
