/* direcciones.c: resuelve un nombre con getaddrinfo, describe cada dirección y crea un socket TCP y otro UDP. */

/*
 * Ejercicio de la lección 1. Lee antes el README.md de esta carpeta.
 *
 * Tu trabajo está en los comentarios TODO. Ve en orden, del 1 al 8.
 * Cada función sin terminar llama a FALTA(...), que avisa y termina el
 * programa; cuando completes una función, borra su línea FALTA(...) y los
 * (void) que ya no hagan falta.
 *
 * Compilar:  cc -std=gnu11 -Wall -Wextra -o direcciones direcciones.c
 * Probar:    ./direcciones localhost      ./direcciones ::1 8080
 * Corregir:  ./checker lesson01  (desde la raíz del proyecto)
 */

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

/* Avisa de que una función está sin terminar y sale. Bórrala al acabar. */
#define FALTA(funcion)                                                         \
    do {                                                                       \
        fprintf(stderr, "direcciones: falta completar %s (busca los TODO)\n", \
                funcion);                                                      \
        exit(1);                                                               \
    } while (0)

/* Convierte texto en un puerto (1..65535); devuelve 0 si no es válido. */
int leer_puerto(const char *texto)
{
    /*
     * TODO 1: convierte el texto con strtol y valida el resultado.
     *     char *fin;
     *     long valor;
     * - Si texto[0] no es una cifra ('0'..'9'): return 0; (así rechazas
     *   el texto vacío, los signos y los espacios, que strtol aceptaría).
     * - errno = 0;  valor = strtol(texto, &fin, 10);
     * - Si errno != 0, o *fin != '\0' (sobró algo, como en "8080x"), o
     *   valor < 1, o valor > 65535: return 0;
     * - Si no: return (int)valor;
     * No uses atoi: atoi("8080x") devuelve 8080 sin avisar.
     */

    (void)texto;                    /* quita esta línea al usar texto */
    FALTA("leer_puerto");           /* y borra esta al terminar */
}

/* Comprueba los argumentos y devuelve el puerto (1..65535); si algo está mal,
 * avisa en stderr y devuelve 0. */
int leer_argumentos(int argc, char *argv[])
{
    /*
     * TODO 2: el programa se usa como "direcciones HOST [PUERTO]".
     * - Si argc no es 2 ni 3:
     *       fprintf(stderr, "uso: direcciones HOST [PUERTO]\n");  return 0;
     * - Si argc == 2 (no hay PUERTO): return PUERTO_DEFECTO;
     * - Si no, int puerto = leer_puerto(argv[2]); y si vale 0:
     *       fprintf(stderr, "direcciones: puerto no válido: «%s» (debe ser "
     *               "un número entre 1 y 65535)\n", argv[2]);
     *   Al final: return puerto;
     */

    (void)argc;                     /* quita los (void) al usar los parámetros */
    (void)argv;
    FALTA("leer_argumentos");       /* y borra esta línea al terminar */
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

/* Resuelve host y puerto; devuelve 0 y la lista en *lista, o el código de
 * error de getaddrinfo (distinto de 0). */
int resolver(const char *host, int puerto, struct addrinfo **lista)
{
    /*
     * TODO 3: prepara las pistas (hints) y llama a getaddrinfo.
     *     struct addrinfo pistas;
     *     char servicio[8];
     *     memset(&pistas, 0, sizeof pistas);   (todo a cero: sin sorpresas)
     *     pistas.ai_family = AF_UNSPEC;        (IPv4 e IPv6)
     *     pistas.ai_socktype = 0;              (todos los tipos de socket)
     * getaddrinfo quiere el puerto como texto:
     *     snprintf(servicio, sizeof servicio, "%d", puerto);
     * y devuelve 0 o un código de error, que es justo lo que devuelves tú:
     *     return getaddrinfo(host, servicio, &pistas, lista);
     */

    (void)host;                     /* quita los (void) al usar los parámetros */
    (void)puerto;
    (void)lista;
    FALTA("resolver");              /* y borra esta línea al terminar */
}

/* Escribe en ip la dirección de p como texto y devuelve su puerto en el orden
 * de la máquina, o -1 si no se pudo. */
int describir_direccion(const struct addrinfo *p, char *ip, size_t tam)
{
    /*
     * TODO 4: p->ai_addr apunta a un struct sockaddr "genérico"; lo que hay
     * de verdad depende de p->ai_family. Declara
     *     const void *direccion;
     *     uint16_t puerto_red;      (el puerto tal como viaja: big-endian)
     * - Si p->ai_family == AF_INET, es un struct sockaddr_in:
     *       const struct sockaddr_in *v4 = (const struct sockaddr_in *)p->ai_addr;
     *       direccion = &v4->sin_addr;   puerto_red = v4->sin_port;
     * - Si no (AF_INET6), es un struct sockaddr_in6:
     *       ... = (const struct sockaddr_in6 *)p->ai_addr;
     *       direccion = &v6->sin6_addr;  puerto_red = v6->sin6_port;
     * Pasa la dirección a texto con la familia correcta:
     *     inet_ntop(p->ai_family, direccion, ip, (socklen_t)tam)
     * Si devuelve NULL: perror("direcciones: inet_ntop"); return -1;
     * Por último, return ntohs(puerto_red);  (de orden de red al de la máquina)
     */

    (void)p;                        /* quita los (void) al usar los parámetros */
    (void)ip;
    (void)tam;
    FALTA("describir_direccion");   /* y borra esta línea al terminar */
}

/* Imprime una línea por cada resultado IPv4/IPv6 de tipo TCP o UDP. */
int mostrar_resultados(const struct addrinfo *lista)
{
    /*
     * TODO 5: recorre TODA la lista, no solo el primer resultado:
     *     for (p = lista; p != NULL; p = p->ai_next)
     * Para cada p:
     * - const char *familia = nombre_familia(p->ai_family);
     *   const char *tipo = nombre_tipo(p->ai_socktype);
     *   Si alguno es NULL (por ejemplo, un resultado SOCK_RAW): continue;
     * - char ip[INET6_ADDRSTRLEN];   (cabe la dirección IPv6 más larga)
     *   int puerto = describir_direccion(p, ip, sizeof ip);
     *   Si puerto == -1: return -1;
     * - printf("%s %s puerto %d %s\n", familia, ip, puerto, tipo);
     * Al terminar el bucle: return 0;
     */

    (void)lista;                    /* quita esta línea al usar lista */
    FALTA("mostrar_resultados");    /* y borra esta al terminar */
}

/* Crea un socket IPv4 del tipo dado (SOCK_STREAM o SOCK_DGRAM) y lo anuncia;
 * devuelve su descriptor, o -1 si no se pudo. */
int crear_socket(int tipo)
{
    /*
     * TODO 6: int fd = socket(AF_INET, tipo, 0);
     * Si devuelve -1: perror("direcciones: socket"); return -1;
     * Si no, anúncialo y devuelve el descriptor:
     *     printf("Socket %s creado (descriptor %d)\n", nombre_tipo(tipo), fd);
     *     return fd;
     */

    (void)tipo;                     /* quita esta línea al usar tipo */
    FALTA("crear_socket");          /* y borra esta al terminar */
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
        /*
         * TODO 7: explica por qué falló. getaddrinfo no usa errno (perror no
         * sirve): su código de error se traduce con gai_strerror:
         *     fprintf(stderr, "direcciones: no se pudo resolver «%s»: %s\n",
         *             argv[1], gai_strerror(error));
         */
        return 2;
    }
    if (mostrar_resultados(lista) == -1)
        estado = 1;

    /*
     * TODO 8: la lista la reservó getaddrinfo con memoria dinámica: cuando ya
     * no la necesites, libérala con freeaddrinfo(lista);
     */

    if (estado == 0 && probar_sockets() == -1)
        estado = 1;
    return estado;
}
