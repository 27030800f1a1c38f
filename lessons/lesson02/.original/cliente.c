/* cliente.c: cliente TCP que pide una página por HTTP/1.1 y escribe la respuesta tal cual. */

/*
 * Ejercicio de la lección 2. Lee antes el README.md de esta carpeta.
 *
 * Tu trabajo está en los comentarios TODO. Ve en orden, del 1 al 8.
 * Cada función sin terminar llama a FALTA(...), que avisa y termina el
 * programa; cuando completes una función, borra su línea FALTA(...) y los
 * (void) que ya no hagan falta.
 *
 * Compilar:  cc -std=gnu11 -Wall -Wextra -o cliente cliente.c
 * Probar:    nc -l 127.0.0.1 8080     y en otra terminal:  ./cliente
 * Corregir:  ./checker lesson02  (desde la raíz del proyecto)
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
#define PUERTO_DEFECTO "8080"
#define RUTA_DEFECTO   "/"
#define TAM_PETICION   4096   /* la petición entera tiene que caber aquí */
#define TAM_BUFFER     4096   /* cuánto pedimos a recv() cada vez */

/* Avisa de que una función está sin terminar y sale. Bórrala al acabar. */
#define FALTA(funcion)                                                     \
    do {                                                                   \
        fprintf(stderr, "cliente: falta completar %s (busca los TODO)\n", \
                funcion);                                                  \
        exit(1);                                                           \
    } while (0)

/* Explica cómo se usa el programa y devuelve el estado de salida 2. */
int uso(void)
{
    fprintf(stderr, "uso: cliente [HOST [PUERTO [RUTA]]]\n");
    return 2;
}

/* ¿Es texto un número entero de 1 a 65535? */
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

/* ¿Empieza por '/' y no lleva espacios ni caracteres de control? */
int ruta_valida(const char *ruta)
{
    if (ruta[0] != '/')
        return 0;
    for (const unsigned char *c = (const unsigned char *)ruta; *c != '\0'; c++)
        if (*c <= ' ' || *c == 0x7f)     /* romperían la línea de petición */
            return 0;
    return 1;
}

/*
 * Toma HOST, PUERTO y RUTA de argv; los que falten conservan el valor que ya
 * traen (el de por defecto). Devuelve 0 si todo es válido, o 2 tras explicar
 * el problema en stderr.
 */
int leer_argumentos(int argc, char *argv[], const char **host, const char **puerto,
                    const char **ruta)
{
    /*
     * TODO 1: los argumentos son opcionales y van en orden: HOST PUERTO RUTA.
     * - Si argc > 4: fprintf(stderr, "cliente: sobran argumentos\n");
     *   y return uso();
     * - Si argc > 1: *host = argv[1];  si argc > 2: *puerto = argv[2];
     *   si argc > 3: *ruta = argv[3];
     * - Si !puerto_valido(*puerto): avisa con
     *       fprintf(stderr, "cliente: puerto no válido: \"%s\" (debe ser un "
     *               "número entre 1 y 65535)\n", *puerto);
     *   y return uso();
     * - Si !ruta_valida(*ruta): avisa igual ("cliente: ruta no válida: ...")
     *   y return uso();
     * - Si todo está bien: return 0;
     */

    (void)argc;                     /* quita los (void) al usar los parámetros */
    (void)argv;
    (void)host;
    (void)puerto;
    (void)ruta;
    FALTA("leer_argumentos");       /* y borra esta línea al terminar */
}

/* Escribe la petición GET en peticion. Devuelve su longitud, o -1 si no cabe. */
int armar_peticion(char *peticion, size_t tam, const char *host, const char *puerto,
                   const char *ruta)
{
    int ipv6 = strchr(host, ':') != NULL;   /* una IPv6 va entre corchetes: [::1]:8080 */

    /*
     * TODO 2: escribe la petición con snprintf(peticion, tam, ...). Son
     * estas cuatro líneas, cada una terminada en "\r\n" (HTTP admitiría
     * más cabeceras, pero esta lección no necesita otras):
     *     "GET %s HTTP/1.1\r\n"          con la ruta
     *     "Host: %s%s%s:%s\r\n"          con ipv6 ? "[" : "", host,
     *                                         ipv6 ? "]" : "", puerto
     *     "Connection: close\r\n"
     *     "\r\n"                         la línea vacía: fin de la cabecera
     * (En C, varias cadenas seguidas se pegan en una sola: puedes escribir
     * una línea de la petición en cada línea del código.)
     * snprintf devuelve cuántos bytes quería escribir: guárdalo en un int largo.
     * Si largo < 0 o (size_t)largo >= tam, no cabía: return -1;
     * Si no: return largo;
     */

    (void)peticion;                 /* quita los (void) al usar los parámetros */
    (void)tam;
    (void)puerto;
    (void)ruta;
    (void)ipv6;
    FALTA("armar_peticion");        /* y borra esta línea al terminar */
}

/* Resuelve host y conecta con la primera dirección que responda; devuelve el socket o -1. */
int conectar(const char *host, const char *puerto)
{
    struct addrinfo pistas;
    int fd = -1, ultimo_error = 0;

    memset(&pistas, 0, sizeof pistas);
    pistas.ai_family = AF_UNSPEC;          /* IPv4 o IPv6, lo que haya */
    pistas.ai_socktype = SOCK_STREAM;      /* TCP */
    pistas.ai_flags = AI_NUMERICSERV;      /* el puerto ya es un número */

    /*
     * TODO 3: resuelve el nombre:
     *     struct addrinfo *lista, *p;
     *     int error = getaddrinfo(host, puerto, &pistas, &lista);
     * Si error != 0, getaddrinfo no usa errno (perror no sirve): el texto lo
     * da gai_strerror(error). Avisa con
     *     fprintf(stderr, "cliente: no se pudo resolver \"%s\": %s\n",
     *             host, gai_strerror(error));
     * y return -1;
     */

    /*
     * TODO 4: prueba las direcciones de la lista hasta que una funcione:
     *     for (p = lista; p != NULL && fd == -1; p = p->ai_next) { ... }
     * Dentro del bucle:
     * - fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
     *   si devuelve -1: ultimo_error = errno; continue;
     * - si connect(fd, p->ai_addr, p->ai_addrlen) devuelve -1:
     *   ultimo_error = errno; (antes de close, que podría cambiarlo)
     *   close(fd); fd = -1;   y el bucle sigue con la siguiente dirección.
     */

    /*
     * TODO 5: libera la lista con freeaddrinfo(lista). Si fd sigue valiendo
     * -1, ninguna dirección aceptó la conexión: avisa con
     *     fprintf(stderr, "cliente: no se pudo conectar a %s:%s: %s\n",
     *             host, puerto, strerror(ultimo_error));
     * Al final: return fd;
     */

    (void)host;                     /* quita los (void) al usar las variables */
    (void)puerto;
    (void)fd;
    (void)ultimo_error;
    FALTA("conectar");              /* y borra esta línea al terminar */
}

/* Envía los largo bytes de datos aunque send los acepte por partes. */
int enviar_todo(int fd, const char *datos, size_t largo)
{
    /*
     * TODO 6: send puede enviar menos bytes de los que le pides. Lleva la
     * cuenta en "size_t enviados = 0;" y repite mientras enviados < largo:
     *     ssize_t n = send(fd, datos + enviados, largo - enviados, MSG_NOSIGNAL);
     * - Si n == -1 y errno == EINTR: vuelve a intentarlo (continue).
     * - Si n == -1 por otro motivo: return -1;
     * - Si no: enviados += (size_t)n;
     * Al salir del bucle: return 0;
     * MSG_NOSIGNAL hace que, si el servidor ya cerró, send devuelva -1 (EPIPE)
     * en vez de matar el programa con la señal SIGPIPE.
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)datos;
    (void)largo;
    FALTA("enviar_todo");           /* y borra esta línea al terminar */
}

/* Copia en stdout todo lo que llega por fd hasta que el servidor cierra. */
int recibir_respuesta(int fd)
{
    /*
     * TODO 7: el bucle de lectura. Declara un búfer local
     *     char datos[TAM_BUFFER];
     * y repite para siempre (for (;;)):
     *     ssize_t n = recv(fd, datos, sizeof datos, 0);
     * - Si n == -1 y errno == EINTR: continue;
     * - Si n == -1: perror("cliente: error al recibir"); return -1;
     *   (si el servidor cortó de golpe, perror añade "Connection reset by peer")
     * - Si n == 0: el servidor cerró y ya no llegará nada más: break;
     * - Si n > 0: escribe esos n bytes tal cual:
     *       fwrite(datos, 1, (size_t)n, stdout)
     *   Si no devuelve n: perror("cliente: error al escribir la respuesta");
     *   return -1;
     * Nada de printf("%s", datos): los datos no acaban en '\0' y pueden
     * traer cualquier byte.
     */

    /*
     * TODO 8: al salir del bucle, vacía el búfer de stdout con fflush(stdout).
     * Si devuelve EOF: perror("cliente: error al escribir la respuesta");
     * return -1;  Si no: return 0;
     */

    (void)fd;                       /* quita esta línea al usar fd */
    FALTA("recibir_respuesta");     /* y borra esta al terminar */
}

int main(int argc, char *argv[])
{
    const char *host = HOST_DEFECTO;
    const char *puerto = PUERTO_DEFECTO;
    const char *ruta = RUTA_DEFECTO;
    char peticion[TAM_PETICION];
    int largo, fd;

    if (leer_argumentos(argc, argv, &host, &puerto, &ruta) != 0)
        return 2;
    largo = armar_peticion(peticion, sizeof peticion, host, puerto, ruta);
    if (largo == -1) {
        fprintf(stderr, "cliente: la petición no cabe en %d bytes (¿ruta demasiado "
                "larga?)\n", TAM_PETICION);
        return uso();
    }

    fd = conectar(host, puerto);
    if (fd == -1)
        return 1;
    /* Los avisos van a stderr: stdout es solo para la respuesta. */
    fprintf(stderr, "cliente: conectado a %s:%s\n", host, puerto);

    if (enviar_todo(fd, peticion, (size_t)largo) == -1) {
        perror("cliente: error al enviar la petición");
        close(fd);
        return 1;
    }
    if (recibir_respuesta(fd) == -1) {
        close(fd);
        return 1;
    }
    if (close(fd) == -1) {
        perror("cliente: close");
        return 1;
    }
    return 0;
}
