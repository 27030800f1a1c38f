/* cliente.c: cliente TCP que pide una página por HTTP/1.1 y escribe la respuesta tal cual. */

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
    if (argc > 4) {
        fprintf(stderr, "cliente: sobran argumentos\n");
        return uso();
    }
    if (argc > 1)
        *host = argv[1];
    if (argc > 2)
        *puerto = argv[2];
    if (argc > 3)
        *ruta = argv[3];
    if (!puerto_valido(*puerto)) {
        fprintf(stderr, "cliente: puerto no válido: \"%s\" (debe ser un número "
                "entre 1 y 65535)\n", *puerto);
        return uso();
    }
    if (!ruta_valida(*ruta)) {
        fprintf(stderr, "cliente: ruta no válida: \"%s\" (debe empezar por '/' y no "
                "llevar espacios)\n", *ruta);
        return uso();
    }
    return 0;
}

/* Escribe la petición GET en peticion. Devuelve su longitud, o -1 si no cabe. */
int armar_peticion(char *peticion, size_t tam, const char *host, const char *puerto,
                   const char *ruta)
{
    int ipv6 = strchr(host, ':') != NULL;   /* una IPv6 va entre corchetes: [::1]:8080 */
    int largo = snprintf(peticion, tam,
                         "GET %s HTTP/1.1\r\n"
                         "Host: %s%s%s:%s\r\n"
                         "Connection: close\r\n"
                         "\r\n",              /* línea vacía: fin de la cabecera */
                         ruta, ipv6 ? "[" : "", host, ipv6 ? "]" : "", puerto);

    if (largo < 0 || (size_t)largo >= tam)
        return -1;
    return largo;
}

/* Resuelve host y conecta con la primera dirección que responda; devuelve el socket o -1. */
int conectar(const char *host, const char *puerto)
{
    struct addrinfo pistas, *lista, *p;
    int fd = -1, error, ultimo_error = 0;

    memset(&pistas, 0, sizeof pistas);
    pistas.ai_family = AF_UNSPEC;          /* IPv4 o IPv6, lo que haya */
    pistas.ai_socktype = SOCK_STREAM;      /* TCP */
    pistas.ai_flags = AI_NUMERICSERV;      /* el puerto ya es un número */

    error = getaddrinfo(host, puerto, &pistas, &lista);
    if (error != 0) {
        fprintf(stderr, "cliente: no se pudo resolver \"%s\": %s\n", host,
                error == EAI_SYSTEM ? strerror(errno) : gai_strerror(error));
        return -1;
    }
    for (p = lista; p != NULL && fd == -1; p = p->ai_next) {
        fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
        if (fd == -1) {
            ultimo_error = errno;
            continue;
        }
        if (connect(fd, p->ai_addr, p->ai_addrlen) == -1) {
            ultimo_error = errno;          /* close() podría cambiar errno */
            close(fd);
            fd = -1;                       /* probamos la siguiente dirección */
        }
    }
    freeaddrinfo(lista);
    if (fd == -1)
        fprintf(stderr, "cliente: no se pudo conectar a %s:%s: %s\n", host, puerto,
                strerror(ultimo_error));
    return fd;
}

/* Envía los largo bytes de datos aunque send los acepte por partes. */
int enviar_todo(int fd, const char *datos, size_t largo)
{
    size_t enviados = 0;

    while (enviados < largo) {
        /* MSG_NOSIGNAL: si el servidor ya cerró, error EPIPE en vez de SIGPIPE. */
        ssize_t n = send(fd, datos + enviados, largo - enviados, MSG_NOSIGNAL);

        if (n == -1) {
            if (errno == EINTR)        /* nos interrumpió una señal: reintenta */
                continue;
            return -1;
        }
        enviados += (size_t)n;         /* puede ser menos de lo pedido */
    }
    return 0;
}

/* Copia en stdout todo lo que llega por fd hasta que el servidor cierra. */
int recibir_respuesta(int fd)
{
    char datos[TAM_BUFFER];
    ssize_t n;

    for (;;) {
        n = recv(fd, datos, sizeof datos, 0);
        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1) {
            perror("cliente: error al recibir");   /* p. ej. Connection reset by peer */
            return -1;
        }
        if (n == 0)                                /* el servidor cerró: fin */
            break;
        /* n bytes cualesquiera, sin '\0' al final: fwrite, nunca printf("%s"). */
        if (fwrite(datos, 1, (size_t)n, stdout) != (size_t)n) {
            perror("cliente: error al escribir la respuesta");
            return -1;
        }
    }
    if (fflush(stdout) == EOF) {
        perror("cliente: error al escribir la respuesta");
        return -1;
    }
    return 0;
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
