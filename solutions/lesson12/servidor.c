/* servidor.c: un servidor web pequeño: HTTP/1.1, archivos de una carpeta, un hilo por conexión. */

#define _GNU_SOURCE                   /* memmem, para buscar "\r\n\r\n" */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define DIRECCION       "127.0.0.1"
#define PUERTO_DEFECTO  8080
#define CARPETA_DEFECTO "public"
#define COLA            128
#define MAX_CABECERA    8192          /* la línea de petición y las cabeceras, juntas */
#define TAM_BLOQUE      65536         /* bytes de archivo por cada send */

/* La carpeta que se sirve, ya resuelta (sin enlaces ni ".."): la misma para todos. */
static char raiz[PATH_MAX];

/* Lo que importa de una petición. */
struct peticion {
    char metodo[16];
    char ruta[MAX_CABECERA];          /* ya decodificada: "%20" es un espacio */
    int version_menor;                /* HTTP/1.0 o HTTP/1.1 */
    int cerrar;                       /* Connection: close (o HTTP/1.0 sin keep-alive) */
};

/* Lo que se ha recibido de una conexión y aún no se ha usado. */
struct conexion {
    int fd;
    char datos[MAX_CABECERA];
    size_t largo;
};

/* Convierte texto en un puerto (1..65535); devuelve 0 si no es válido. */
int leer_puerto(const char *texto)
{
    char *fin;
    long valor;

    if (texto[0] < '0' || texto[0] > '9')
        return 0;
    errno = 0;
    valor = strtol(texto, &fin, 10);
    if (errno != 0 || *fin != '\0' || valor < 1 || valor > 65535)
        return 0;
    return (int)valor;
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

/* Devuelve un socket que escucha en DIRECCION:puerto, o -1 si no se pudo. */
int crear_socket_escucha(int puerto)
{
    struct addrinfo pistas, *lista, *p;
    char servicio[8];
    int fd = -1, si = 1, error;

    memset(&pistas, 0, sizeof pistas);
    pistas.ai_family = AF_UNSPEC;
    pistas.ai_socktype = SOCK_STREAM;
    pistas.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
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
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si) == -1)
            perror("servidor: setsockopt");
        else if (bind(fd, p->ai_addr, p->ai_addrlen) == -1)
            perror("servidor: bind");
        else if (listen(fd, COLA) == -1)
            perror("servidor: listen");
        else
            break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(lista);
    return fd;
}

/*
 * Lee hasta tener la cabecera entera (hasta la línea vacía "\r\n\r\n") y
 * devuelve su largo contando esa línea vacía; lo que venga detrás se queda en
 * c->datos para la petición siguiente. 0 si el cliente cerró sin pedir nada,
 * -1 si falló o si la cabecera no cabe.
 */
ssize_t leer_cabecera(struct conexion *c)
{
    for (;;) {
        char *fin = memmem(c->datos, c->largo, "\r\n\r\n", 4);
        ssize_t n;

        if (fin != NULL)
            return fin + 4 - c->datos;
        if (c->largo == sizeof c->datos)
            return -1;                        /* demasiado larga: no es de nadie honrado */
        n = recv(c->fd, c->datos + c->largo, sizeof c->datos - c->largo, 0);
        if (n == -1 && errno == EINTR)
            continue;
        if (n == 0 && c->largo == 0)
            return 0;                         /* cerró entre dos peticiones: normal */
        if (n <= 0)
            return -1;
        c->largo += (size_t)n;                /* una petición puede llegar a trozos */
    }
}

/* Decodifica "%xx" en su sitio; -1 si hay un "%" mal formado o un byte 0. */
int decodificar(char *s)
{
    char *escribe = s;

    for (char *lee = s; *lee; lee++) {
        if (*lee == '%') {
            unsigned valor;

            if (!isxdigit((unsigned char)lee[1]) || !isxdigit((unsigned char)lee[2]) ||
                sscanf(lee + 1, "%2x", &valor) != 1 || valor == 0)
                return -1;
            *escribe++ = (char)valor;
            lee += 2;
        } else {
            *escribe++ = *lee;
        }
    }
    *escribe = '\0';
    return 0;
}

/*
 * Entiende la cabecera (un texto acabado en 0): la línea de petición y las
 * cabeceras que importan. -1 si no es una petición HTTP bien formada.
 */
int analizar(char *texto, struct peticion *p)
{
    char *linea, *resto = NULL, objetivo[MAX_CABECERA], version[16];

    memset(p, 0, sizeof *p);
    linea = strtok_r(texto, "\r\n", &resto);
    /* MÉTODO espacio OBJETIVO espacio HTTP/1.x: tres piezas, ni una más. */
    if (linea == NULL ||
        sscanf(linea, "%15[A-Z] %8191[^ ] %15s", p->metodo, objetivo, version) != 3 ||
        strlen(p->metodo) + strlen(objetivo) + strlen(version) + 2 != strlen(linea) ||
        (strcmp(version, "HTTP/1.1") != 0 && strcmp(version, "HTTP/1.0") != 0) ||
        objetivo[0] != '/')
        return -1;
    p->version_menor = version[7] - '0';        /* 1 o 0 */
    objetivo[strcspn(objetivo, "?#")] = '\0';   /* la consulta no cuenta */
    if (decodificar(objetivo) == -1)
        return -1;
    strcpy(p->ruta, objetivo);
    p->cerrar = p->version_menor == 0;          /* HTTP/1.0: cerrar salvo que pida lo contrario */
    while ((linea = strtok_r(NULL, "\r\n", &resto)) != NULL) {
        char *dos_puntos = strchr(linea, ':');
        char *valor;

        if (dos_puntos == NULL)
            return -1;                          /* una cabecera sin ":" */
        *dos_puntos = '\0';
        for (valor = dos_puntos + 1; *valor == ' ' || *valor == '\t'; valor++)
            ;
        if (strcasecmp(linea, "Connection") == 0)   /* los nombres, sin distinguir mayúsculas */
            p->cerrar = strcasecmp(valor, "close") == 0 ||
                        (p->version_menor == 0 && strcasecmp(valor, "keep-alive") != 0);
    }
    return 0;
}

/* El tipo de contenido según la extensión del archivo. */
const char *tipo_de(const char *ruta)
{
    static const struct { const char *ext, *tipo; } tipos[] = {
        {".html", "text/html; charset=utf-8"}, {".txt", "text/plain; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".png", "image/png"},
        {".jpg", "image/jpeg"},                {".jpeg", "image/jpeg"},
    };
    const char *punto = strrchr(ruta, '.');

    for (size_t i = 0; punto != NULL && i < sizeof tipos / sizeof tipos[0]; i++)
        if (strcasecmp(punto, tipos[i].ext) == 0)
            return tipos[i].tipo;
    return "application/octet-stream";
}

/* Envía la línea de estado y las cabeceras. */
int enviar_cabecera(int fd, int estado, const char *texto, const char *tipo,
                    long long largo, int cerrar, const char *extra)
{
    char cabecera[1024];
    int n = snprintf(cabecera, sizeof cabecera,
                     "HTTP/1.1 %d %s\r\n"
                     "Content-Type: %s\r\n"
                     "Content-Length: %lld\r\n"
                     "Connection: %s\r\n"
                     "%s"
                     "\r\n",
                     estado, texto, tipo, largo, cerrar ? "close" : "keep-alive",
                     extra ? extra : "");

    return enviar_todo(fd, cabecera, (size_t)n);
}

/* Una respuesta de error con una página pequeña que lo explica. */
int enviar_error(int fd, int estado, const char *texto, int cerrar, int con_cuerpo,
                 const char *extra)
{
    char pagina[256];
    int n = snprintf(pagina, sizeof pagina,
                     "<!DOCTYPE html>\n<html><body><h1>%d %s</h1></body></html>\n",
                     estado, texto);

    if (enviar_cabecera(fd, estado, texto, "text/html; charset=utf-8", n, cerrar, extra) == -1)
        return -1;
    return con_cuerpo ? enviar_todo(fd, pagina, (size_t)n) : 0;
}

/* 1 si algún segmento de la ruta es "..": un intento de salir de la carpeta. */
int sube_de_carpeta(const char *ruta)
{
    for (const char *p = ruta; *p;) {
        size_t n = strcspn(p, "/");

        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 1;
        p += n + (p[n] == '/');
    }
    return 0;
}

/*
 * Abre el archivo de la ruta pedida dentro de la raíz, sin salir de ella:
 * ni con "..", ni con un enlace que apunte fuera. Deja en real su nombre
 * verdadero (PATH_MAX bytes) y devuelve el descriptor, o -1 con el estado
 * que toca en *estado (403 o 404).
 */
int abrir_archivo(const char *ruta, struct stat *info, int *estado, char *real)
{
    char pedida[PATH_MAX];
    size_t largo_raiz = strlen(raiz);
    int fd;

    if (sube_de_carpeta(ruta)) {                /* ni se mira */
        *estado = 403;
        return -1;
    }
    if (snprintf(pedida, sizeof pedida, "%s%s%s", raiz, ruta,
                 ruta[strlen(ruta) - 1] == '/' ? "index.html" : "") >= (int)sizeof pedida ||
        realpath(pedida, real) == NULL) {
        *estado = 404;
        return -1;
    }
    /* Lo que de verdad se abriría debe seguir dentro de la raíz. */
    if (strncmp(real, raiz, largo_raiz) != 0 || real[largo_raiz] != '/') {
        *estado = 403;
        return -1;
    }
    fd = open(real, O_RDONLY | O_CLOEXEC);
    if (fd == -1 || fstat(fd, info) == -1 || !S_ISREG(info->st_mode)) {
        if (fd != -1)
            close(fd);
        *estado = 404;
        return -1;
    }
    return fd;
}

/* Envía el contenido del archivo fd, a bloques (puede ser grande). */
int enviar_archivo(int sock, int fd)
{
    char bloque[TAM_BLOQUE];
    ssize_t n;

    while ((n = read(fd, bloque, sizeof bloque)) > 0)
        if (enviar_todo(sock, bloque, (size_t)n) == -1)
            return -1;
    return n == -1 ? -1 : 0;
}

/* Atiende una petición ya analizada. Devuelve -1 si hay que cerrar la conexión. */
int responder(int fd, const struct peticion *p)
{
    int head = strcmp(p->metodo, "HEAD") == 0, estado = 0, archivo, r;
    char real[PATH_MAX];                        /* "/" es en realidad .../index.html */
    struct stat info;

    if (!head && strcmp(p->metodo, "GET") != 0) {   /* y cerrar: quizá trae un cuerpo */
        enviar_error(fd, 405, "Method Not Allowed", 1, 1, "Allow: GET, HEAD\r\n");
        return -1;
    }
    archivo = abrir_archivo(p->ruta, &info, &estado, real);
    if (archivo == -1) {
        r = enviar_error(fd, estado, estado == 403 ? "Forbidden" : "Not Found", p->cerrar,
                         !head, NULL);
        return r == -1 || p->cerrar ? -1 : 0;
    }
    r = enviar_cabecera(fd, 200, "OK", tipo_de(real), (long long)info.st_size, p->cerrar, NULL);
    if (r == 0 && !head)
        r = enviar_archivo(fd, archivo);
    close(archivo);
    return r == -1 || p->cerrar ? -1 : 0;
}

/* Una conexión: petición tras petición, mientras el cliente la mantenga abierta. */
void *atender(void *arg)
{
    struct conexion *c = arg;

    for (;;) {
        struct peticion p;
        ssize_t largo = leer_cabecera(c);
        char texto[MAX_CABECERA + 1];

        if (largo == 0)
            break;                             /* cerró: se acabó */
        if (largo == -1) {
            if (c->largo > 0)                  /* algo llegó, pero no era una petición */
                enviar_error(c->fd, 400, "Bad Request", 1, 1, NULL);
            break;
        }
        memcpy(texto, c->datos, (size_t)largo);
        texto[largo] = '\0';
        c->largo -= (size_t)largo;             /* lo que sobra es de la siguiente */
        memmove(c->datos, c->datos + largo, c->largo);
        if (analizar(texto, &p) == -1) {
            enviar_error(c->fd, 400, "Bad Request", 1, 1, NULL);
            break;
        }
        printf("%s %s\n", p.metodo, p.ruta);
        if (responder(c->fd, &p) == -1)
            break;
    }
    close(c->fd);
    free(c);
    return NULL;
}

int main(int argc, char *argv[])
{
    const char *carpeta = argc >= 3 ? argv[2] : CARPETA_DEFECTO;
    int puerto, escucha;

    if (setvbuf(stdout, NULL, _IOLBF, 0) != 0)
        return 1;
    if (argc > 3) {
        fprintf(stderr, "uso: servidor [PUERTO [CARPETA]]\n");
        return 2;
    }
    puerto = argc >= 2 ? leer_puerto(argv[1]) : PUERTO_DEFECTO;
    if (puerto == 0) {
        fprintf(stderr, "servidor: puerto no válido: \"%s\"\n", argv[1]);
        return 2;
    }
    if (realpath(carpeta, raiz) == NULL) {
        fprintf(stderr, "servidor: %s: %s\n", carpeta, strerror(errno));
        return 2;
    }
    escucha = crear_socket_escucha(puerto);
    if (escucha == -1)
        return 1;
    printf("Sirviendo %s en http://%s:%d/\n", raiz, DIRECCION, puerto);
    for (;;) {
        pthread_t hilo;
        struct conexion *c;
        int fd = accept(escucha, NULL, NULL), error;

        if (fd == -1) {
            if (errno != EINTR && errno != ECONNABORTED)
                perror("servidor: accept");
            continue;
        }
        c = calloc(1, sizeof *c);
        if (c == NULL) {
            close(fd);
            continue;
        }
        c->fd = fd;
        error = pthread_create(&hilo, NULL, atender, c);
        if (error != 0) {
            fprintf(stderr, "servidor: pthread_create: %s\n", strerror(error));
            close(fd);
            free(c);
            continue;
        }
        pthread_detach(hilo);
    }
}
