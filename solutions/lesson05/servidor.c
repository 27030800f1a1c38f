/* servidor.c: servidor de eco UDP que contesta cada datagrama a quien lo envió. */

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
    struct addrinfo pistas, *lista, *p;
    char servicio[8];
    int fd = -1;
    int error;

    memset(&pistas, 0, sizeof pistas);
    pistas.ai_family = AF_UNSPEC;                         /* IPv4 o IPv6 */
    pistas.ai_socktype = SOCK_DGRAM;                      /* UDP: datagramas */
    pistas.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;    /* sin DNS */
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
        if (bind(fd, p->ai_addr, p->ai_addrlen) == -1) {
            perror("servidor: bind");
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(lista);
    return fd;             /* sin listen ni accept: en UDP no hay conexiones */
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
    char *datos = respuesta + LARGO_PREFIJO;     /* recibe justo tras el prefijo */
    struct sockaddr_storage dir;                 /* cabe una dirección IPv4 o IPv6 */
    socklen_t largo = sizeof dir;
    char nombre[NI_MAXHOST + NI_MAXSERV + 1];
    ssize_t n;

    /* MSG_TRUNC: n es el tamaño real del datagrama, aunque no cupiera. */
    n = recvfrom(fd, datos, MAX_DATAGRAMA, MSG_TRUNC, (struct sockaddr *)&dir, &largo);
    if (n == -1) {
        int e = errno;                           /* perror podría cambiar errno */

        if (e == EINTR)                          /* nos interrumpió una señal */
            return 0;
        perror("servidor: recvfrom");
        return e == EBADF || e == ENOTSOCK ? -1 : 0;
    }
    if (n > MAX_DATAGRAMA) {                     /* nunca con IPv4, pero por si acaso */
        fprintf(stderr, "servidor: datagrama de %zd bytes recortado a %d\n", n,
                MAX_DATAGRAMA);
        n = MAX_DATAGRAMA;
    }
    describir_direccion(&dir, largo, nombre, sizeof nombre);
    /* n puede ser 0: un datagrama vacío también es un mensaje. */
    printf("Recibido de %s: %.*s\n", nombre, (int)n, datos);

    /* Un solo sendto: el datagrama sale entero o no sale. */
    if (sendto(fd, respuesta, LARGO_PREFIJO + (size_t)n, 0,
               (struct sockaddr *)&dir, largo) == -1)
        perror("servidor: sendto");              /* p. ej. EMSGSIZE: sigue con otro */
    return 0;
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

    memcpy(respuesta, PREFIJO, LARGO_PREFIJO);   /* el prefijo nunca cambia */
    while (atender_datagrama(fd, respuesta) == 0)
        ;                                        /* un datagrama tras otro */
    close(fd);
    return 1;
}
