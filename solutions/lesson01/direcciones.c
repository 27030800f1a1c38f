/* direcciones.c: resuelve un nombre con getaddrinfo, describe cada dirección y crea un socket TCP y otro UDP. */

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define PUERTO_DEFECTO 80

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

/* Comprueba los argumentos y devuelve el puerto (1..65535); si algo está mal,
 * avisa en stderr y devuelve 0. */
int leer_argumentos(int argc, char *argv[])
{
    int puerto;

    if (argc < 2 || argc > 3) {
        fprintf(stderr, "uso: direcciones HOST [PUERTO]\n");
        return 0;
    }
    if (argc == 2)
        return PUERTO_DEFECTO;
    puerto = leer_puerto(argv[2]);
    if (puerto == 0)
        fprintf(stderr, "direcciones: puerto no válido: «%s» (debe ser un número "
                "entre 1 y 65535)\n", argv[2]);
    return puerto;
}

/* "IPv4" o "IPv6" según la familia; NULL si es otra. */
const char *nombre_familia(int familia)
{
    switch (familia) {
    case AF_INET:
        return "IPv4";
    case AF_INET6:
        return "IPv6";
    default:
        return NULL;
    }
}

/* "TCP" o "UDP" según el tipo de socket; NULL para cualquier otro (SOCK_RAW...). */
const char *nombre_tipo(int tipo)
{
    switch (tipo) {
    case SOCK_STREAM:
        return "TCP";
    case SOCK_DGRAM:
        return "UDP";
    default:
        return NULL;
    }
}

/* Escribe en ip la dirección de p como texto y devuelve su puerto en el orden
 * de la máquina, o -1 si no se pudo. */
int describir_direccion(const struct addrinfo *p, char *ip, size_t tam)
{
    const void *direccion;
    uint16_t puerto_red;           /* tal como viaja por la red: big-endian */

    if (p->ai_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)p->ai_addr;
        direccion = &v4->sin_addr;
        puerto_red = v4->sin_port;
    } else {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)p->ai_addr;
        direccion = &v6->sin6_addr;
        puerto_red = v6->sin6_port;
    }
    if (inet_ntop(p->ai_family, direccion, ip, (socklen_t)tam) == NULL) {
        perror("direcciones: inet_ntop");
        return -1;
    }
    return ntohs(puerto_red);      /* de orden de red a orden de la máquina */
}

/* Imprime una línea por cada resultado IPv4/IPv6 de tipo TCP o UDP. */
int mostrar_resultados(const struct addrinfo *lista)
{
    const struct addrinfo *p;

    for (p = lista; p != NULL; p = p->ai_next) {
        const char *familia = nombre_familia(p->ai_family);
        const char *tipo = nombre_tipo(p->ai_socktype);
        char ip[INET6_ADDRSTRLEN];
        int puerto;

        if (familia == NULL || tipo == NULL)
            continue;              /* p. ej. SOCK_RAW: no nos interesa */
        puerto = describir_direccion(p, ip, sizeof ip);
        if (puerto == -1)
            return -1;
        printf("%s %s puerto %d %s\n", familia, ip, puerto, tipo);
    }
    return 0;
}

/* Resuelve host y puerto; devuelve 0 y la lista en *lista, o el código de
 * error de getaddrinfo (distinto de 0). */
int resolver(const char *host, int puerto, struct addrinfo **lista)
{
    struct addrinfo pistas;
    char servicio[8];

    memset(&pistas, 0, sizeof pistas);
    pistas.ai_family = AF_UNSPEC;  /* IPv4 e IPv6 */
    pistas.ai_socktype = 0;        /* todos los tipos: TCP, UDP (y RAW) */
    snprintf(servicio, sizeof servicio, "%d", puerto);
    return getaddrinfo(host, servicio, &pistas, lista);
}

/* Crea un socket IPv4 del tipo dado (SOCK_STREAM o SOCK_DGRAM) y lo anuncia;
 * devuelve su descriptor, o -1 si no se pudo. */
int crear_socket(int tipo)
{
    int fd = socket(AF_INET, tipo, 0);

    if (fd == -1) {
        perror("direcciones: socket");
        return -1;
    }
    printf("Socket %s creado (descriptor %d)\n", nombre_tipo(tipo), fd);
    return fd;
}

/* Crea un socket TCP y otro UDP, los dos abiertos a la vez, y los cierra. */
int probar_sockets(void)
{
    int tcp, udp, estado = 0;

    tcp = crear_socket(SOCK_STREAM);
    if (tcp == -1)
        return -1;
    udp = crear_socket(SOCK_DGRAM);
    if (udp == -1)
        estado = -1;
    else if (close(udp) == -1) {
        perror("direcciones: close");
        estado = -1;
    }
    if (close(tcp) == -1) {
        perror("direcciones: close");
        estado = -1;
    }
    return estado;
}

int main(int argc, char *argv[])
{
    struct addrinfo *lista;
    int puerto, error, estado = 0;

    puerto = leer_argumentos(argc, argv);
    if (puerto == 0)
        return 2;
    error = resolver(argv[1], puerto, &lista);
    if (error != 0) {
        fprintf(stderr, "direcciones: no se pudo resolver «%s»: %s\n", argv[1],
                gai_strerror(error));
        return 2;
    }
    if (mostrar_resultados(lista) == -1)
        estado = 1;
    freeaddrinfo(lista);           /* la lista la reservó getaddrinfo */
    if (estado == 0 && probar_sockets() == -1)
        estado = 1;
    return estado;
}
