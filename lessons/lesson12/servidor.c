/* servidor.c: un servidor web pequeño: HTTP/1.1, archivos de una carpeta, un hilo por conexión. */

/*
 * Ejercicio de la lección 12. Lee antes el README.md de esta carpeta.
 *
 * Tu trabajo está en los comentarios TODO. Empieza por el 1 y el 2, sigue
 * con el 16 y el 17 (atender, que llama a todo lo demás) y completa luego
 * del 3 al 15.
 * Cada función sin terminar llama a FALTA(...), que avisa y termina el
 * programa; cuando completes una función, borra su línea FALTA(...) y los
 * (void) que ya no hagan falta.
 *
 * Ya vienen hechos el puerto, el socket de escucha, enviar_todo (el bucle de
 * send de la lección 3), main con un hilo por conexión, la tabla de tipos
 * (tipo_de) y las páginas de error (enviar_error). Tú escribes HTTP.
 *
 * Compilar:  cc -std=gnu11 -Wall -Wextra -pthread -o servidor servidor.c
 * Probar:    ./servidor          (sirve ./public) y en otra terminal:
 *            curl -i http://127.0.0.1:8080/
 * Corregir:  ./checker lesson12  (desde la raíz del proyecto)
 */

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

#define DIRECCION       "127.0.0.1"   /* solo escuchamos en la máquina local */
#define PUERTO_DEFECTO  8080
#define CARPETA_DEFECTO "public"
#define COLA            128           /* conexiones que esperan a accept() */
#define MAX_CABECERA    8192          /* la línea de petición y las cabeceras, juntas */
#define TAM_BLOQUE      65536         /* bytes de archivo por cada send */

/* Avisa de que una función está sin terminar y sale. Bórrala al acabar. */
#define FALTA(funcion)                                                      \
    do {                                                                    \
        fprintf(stderr, "servidor: falta completar %s (busca los TODO)\n", \
                funcion);                                                   \
        exit(1);                                                            \
    } while (0)

/* La carpeta que se sirve, ya resuelta (sin enlaces ni ".."): la misma para todos. */
static char raiz[PATH_MAX];

/* Lo que importa de una petición. */
struct peticion {
    char metodo[16];                  /* "GET", "HEAD"... */
    char ruta[MAX_CABECERA];          /* ya decodificada: "%20" es un espacio */
    int version_menor;                /* HTTP/1.0 o HTTP/1.1 */
    int cerrar;                       /* Connection: close (o HTTP/1.0 sin keep-alive) */
};

/* Lo que se ha recibido de una conexión y aún no se ha usado. */
struct conexion {
    int fd;                           /* el socket conectado con este cliente */
    char datos[MAX_CABECERA];         /* lo recibido: una cabecera, o un trozo */
    size_t largo;                     /* cuántos bytes de datos están en uso */
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

/* Envía los largo bytes de datos aunque send los acepte por partes. */
int enviar_todo(int fd, const char *datos, size_t largo)
{
    size_t enviados = 0;

    while (enviados < largo) {
        ssize_t n = send(fd, datos + enviados, largo - enviados, MSG_NOSIGNAL);

        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1)
            return -1;                      /* p. ej. EPIPE: el cliente se fue */
        enviados += (size_t)n;              /* quizá menos de lo pedido */
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
    pistas.ai_family = AF_UNSPEC;                         /* IPv4 o IPv6 */
    pistas.ai_socktype = SOCK_STREAM;                     /* TCP */
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
        if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si) == -1)
            perror("servidor: setsockopt");
        else if (bind(fd, p->ai_addr, p->ai_addrlen) == -1)
            perror("servidor: bind");
        else if (listen(fd, COLA) == -1)
            perror("servidor: listen");
        else
            break;                                        /* la primera que funcione */
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
    /*
     * Lo recibido y aún no usado vive en c->datos (c->largo bytes), como el
     * búfer de entrada del chat de la lección 7. Está en struct conexion, y
     * no en una variable local, porque lo que sobra detrás de una petición
     * es el principio de la siguiente.
     *
     * TODO 1: repite para siempre (for (;;)). Lo primero de cada vuelta:
     * busca en lo que ya tienes el final de la cabecera, la línea vacía:
     *     char *fin = memmem(c->datos, c->largo, "\r\n\r\n", 4);
     * (memmem es como strstr, pero con largos: los datos no acaban en '\0').
     * - Si fin != NULL, la cabecera está entera. Devuelve su largo, con los
     *   4 bytes de la línea vacía:
     *       return fin + 4 - c->datos;
     * - Si no, y el búfer ya está lleno (c->largo == sizeof c->datos), la
     *   cabecera pasa de MAX_CABECERA bytes y no la vas a aceptar:
     *       return -1;
     */

    /*
     * TODO 2: si aún no hay cabecera entera, en la misma vuelta, recibe
     * DETRÁS de lo que ya hay, y solo lo que cabe:
     *     ssize_t n = recv(c->fd, c->datos + c->largo,
     *                      sizeof c->datos - c->largo, 0);
     * - Si n == -1 y errno == EINTR: continue;
     * - Si n == 0 y c->largo == 0, el cliente cerró entre dos peticiones,
     *   que es la forma normal de acabar: return 0;
     * - Si n <= 0 en cualquier otro caso (un error, o un cierre con media
     *   cabecera guardada): return -1;
     * - Si no: c->largo += (size_t)n; y otra vuelta, a buscar "\r\n\r\n".
     * Nunca llames a recv con una cabecera entera en el búfer: si dos
     * peticiones llegaron en un solo recv, te quedarías esperando datos que
     * el cliente ya envió.
     */

    (void)c;                        /* quita esta línea al usar c */
    FALTA("leer_cabecera");         /* y borra esta al terminar */
}

/* Decodifica "%xx" en su sitio; -1 si hay un "%" mal formado o un byte 0. */
int decodificar(char *s)
{
    /*
     * TODO 3: recorre s con dos punteros, uno que lee y otro que escribe.
     * El texto decodificado nunca es más largo ("%2e" son 3 bytes y queda
     * en 1), así que cabe en el mismo sitio:
     *     char *escribe = s;
     *     for (char *lee = s; *lee; lee++)
     * - Si *lee no es '%', copia el byte tal cual: *escribe++ = *lee;
     * - Si es '%', detrás tienen que venir dos cifras hexadecimales:
     *       isxdigit((unsigned char)lee[1]) && isxdigit((unsigned char)lee[2])
     *   (si lee[1] es el '\0' del final, el && ya no mira lee[2], que
     *   estaría fuera de la cadena). Si no lo son: return -1.
     *   Si lo son, conviértelas en un número:
     *       unsigned valor;
     *       sscanf(lee + 1, "%2x", &valor);
     *   Si valor == 0 (un "%00"): return -1. Un byte 0 cortaría la ruta en
     *   cuanto la trataras como cadena, y lo que ves no sería lo que abres.
     *   Si no: *escribe++ = (char)valor; y lee += 2; (el lee++ del for
     *   salta el tercer byte de "%xx").
     * Al acabar el bucle: *escribe = '\0'; return 0;
     * Así, "/%2e%2e/secreto.txt" queda en "/../secreto.txt".
     */

    (void)s;                        /* quita esta línea al usar s */
    FALTA("decodificar");           /* y borra esta al terminar */
}

/*
 * Entiende la cabecera (texto, ya terminado en '\0'): la línea de petición
 * y las cabeceras que importan. -1 si no es una petición HTTP bien formada.
 */
int analizar(char *texto, struct peticion *p)
{
    /*
     * La cabecera es texto: la línea de petición, una línea por cabecera y
     * la línea vacía, cada una acabada en "\r\n". strtok_r la parte en
     * líneas: corta en cada '\r' o '\n' y se salta las que quedan vacías.
     *
     * TODO 4: la línea de petición. Declara
     *     char *linea, *resto = NULL, objetivo[MAX_CABECERA], version[16];
     * pon la petición a ceros, memset(p, 0, sizeof *p); y toma la primera
     * línea:
     *     linea = strtok_r(texto, "\r\n", &resto);
     * Devuelve -1 si linea == NULL o si no salen tres piezas:
     *     sscanf(linea, "%15[A-Z] %8191[^ ] %15s", p->metodo, objetivo, version) != 3
     * El método son letras mayúsculas; el objetivo, todo hasta el siguiente
     * espacio; la versión, lo demás. Cada número es el tamaño de su array
     * menos 1, para el '\0'. Pero sscanf deja pasar varios espacios
     * seguidos, o ninguno, y no mira lo que sobra al final: comprueba que
     * las tres piezas y dos espacios son la línea entera, y si no, -1:
     *     strlen(p->metodo) + strlen(objetivo) + strlen(version) + 2 != strlen(linea)
     * También -1 si objetivo[0] != '/'.
     * Por último la versión, con strcmp: si es "HTTP/1.1",
     * p->version_menor = 1; si es "HTTP/1.0", p->version_menor = 0; si es
     * cualquier otra cosa, return -1.
     */

    /*
     * TODO 5: el objetivo puede traer una consulta, "/buscar?q=gato", que a
     * un servidor de archivos no le sirve: córtala.
     *     objetivo[strcspn(objetivo, "?#")] = '\0';
     * Corta antes de decodificar: un "%3F" es un '?' del nombre del
     * archivo, no el principio de una consulta.
     * Después decodifica: si decodificar(objetivo) == -1, return -1.
     * Y guárdalo: strcpy(p->ruta, objetivo); (cabe: los dos miden
     * MAX_CABECERA).
     * Por último, qué pasa con la conexión si el cliente no dice nada:
     * HTTP/1.1 la mantiene abierta y HTTP/1.0 la cierra.
     *     p->cerrar = p->version_menor == 0;
     */

    /*
     * TODO 6: las cabeceras, una por línea, hasta el final:
     *     while ((linea = strtok_r(NULL, "\r\n", &resto)) != NULL)
     * Cada una es "Nombre: valor". Dentro del bucle:
     * a) Busca los dos puntos: char *dos_puntos = strchr(linea, ':');
     *    Si no hay (NULL), la cabecera está mal: return -1.
     * b) Corta ahí, *dos_puntos = '\0'; (ahora linea es solo el nombre) y
     *    salta los espacios y tabuladores del principio del valor:
     *        char *valor = dos_puntos + 1;
     *        while (*valor == ' ' || *valor == '\t')
     *            valor++;
     * c) De todas, a este servidor solo le importa Connection. Los nombres
     *    no distinguen mayúsculas ("connection" y "CONNECTION" son la misma
     *    cabecera), así que compara con strcasecmp, nunca con strcmp:
     *        if (strcasecmp(linea, "Connection") == 0)
     *            p->cerrar = strcasecmp(valor, "close") == 0 ||
     *                        (p->version_menor == 0 &&
     *                         strcasecmp(valor, "keep-alive") != 0);
     *    (En HTTP/1.0 la conexión solo sigue abierta si el cliente pide
     *    keep-alive.)
     * Al acabar el bucle: return 0;
     */

    (void)texto;                    /* quita los (void) al usar los parámetros */
    (void)p;
    FALTA("analizar");              /* y borra esta línea al terminar */
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
    return "application/octet-stream";          /* «bytes, sin más»: se descarga */
}

/* Envía la línea de estado y las cabeceras. */
int enviar_cabecera(int fd, int estado, const char *texto, const char *tipo,
                    long long largo, int cerrar, const char *extra)
{
    /*
     * TODO 7: escribe la cabecera de la respuesta con un solo snprintf en
     * un búfer local, char cabecera[1024]; y envíala entera:
     *     int n = snprintf(cabecera, sizeof cabecera, FORMATO, ...);
     *     return enviar_todo(fd, cabecera, (size_t)n);
     * El formato, línea a línea (en C, dos cadenas seguidas se juntan en
     * una, así que puedes escribirlo tal cual, una debajo de otra):
     *     "HTTP/1.1 %d %s\r\n"          estado, texto     (200 OK, 404 Not Found...)
     *     "Content-Type: %s\r\n"        tipo
     *     "Content-Length: %lld\r\n"    largo             (bytes del cuerpo)
     *     "Connection: %s\r\n"          cerrar ? "close" : "keep-alive"
     *     "%s"                          extra ? extra : ""
     *     "\r\n"                        la línea vacía: se acabó la cabecera
     * extra son cabeceras de más, ya con su "\r\n" (la de 405 trae
     * "Allow: GET, HEAD\r\n"), o NULL si no hay. Cada línea acaba en
     * "\r\n", no en "\n", y sin la línea vacía el cliente sigue esperando
     * cabeceras.
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)estado;
    (void)texto;
    (void)tipo;
    (void)largo;
    (void)cerrar;
    (void)extra;
    FALTA("enviar_cabecera");       /* y borra esta línea al terminar */
}

/* Una respuesta de error con una página pequeña que lo explica. */
int enviar_error(int fd, int estado, const char *texto, int cerrar, int con_cuerpo,
                 const char *extra)
{
    char pagina[256];
    int n = snprintf(pagina, sizeof pagina,
                     "<!DOCTYPE html>\n<html><body><h1>%d %s</h1></body></html>\n",
                     estado, texto);

    /* Content-Length es el de la página, también cuando no se envía (HEAD). */
    if (enviar_cabecera(fd, estado, texto, "text/html; charset=utf-8", n, cerrar, extra) == -1)
        return -1;
    return con_cuerpo ? enviar_todo(fd, pagina, (size_t)n) : 0;
}

/* 1 si algún segmento de la ruta es "..": un intento de salir de la carpeta. */
int sube_de_carpeta(const char *ruta)
{
    /*
     * TODO 8: recorre la ruta segmento a segmento (lo que hay entre dos
     * '/'). strcspn(p, "/") da el largo del segmento que empieza en p:
     *     for (const char *p = ruta; *p;) {
     *         size_t n = strcspn(p, "/");
     *         (si n == 2, p[0] == '.' y p[1] == '.': return 1;)
     *         p += n + (p[n] == '/');      (al siguiente, saltando la '/')
     *     }
     *     return 0;
     * Mira segmentos enteros; no busques ".." con strstr: "/notas..txt" es
     * un nombre de archivo válido, y "/a/../b" no lo es.
     */

    (void)ruta;                     /* quita esta línea al usar ruta */
    FALTA("sube_de_carpeta");       /* y borra esta al terminar */
}

/*
 * Abre el archivo de la ruta pedida dentro de la raíz, sin salir de ella:
 * ni con "..", ni con un enlace que apunte fuera. Deja en real su nombre
 * verdadero (PATH_MAX bytes) y devuelve el descriptor, o -1 con el estado
 * que toca en *estado (403 o 404).
 */
int abrir_archivo(const char *ruta, struct stat *info, int *estado, char *real)
{
    /*
     * raiz es la carpeta servida, que main ya resolvió con realpath: sin
     * enlaces, sin ".." y sin '/' al final. ruta empieza siempre por '/'.
     *
     * TODO 9: lo primero, lo que ni se mira: si sube_de_carpeta(ruta),
     *     *estado = 403; return -1;
     * Después, el nombre del archivo pedido: raíz y ruta juntas, con
     * "index.html" detrás si la ruta acaba en '/':
     *     char pedida[PATH_MAX];
     *     snprintf(pedida, sizeof pedida, "%s%s%s", raiz, ruta,
     *              ruta[strlen(ruta) - 1] == '/' ? "index.html" : "")
     * Si snprintf devuelve >= (int)sizeof pedida (no cabía), o si
     *     realpath(pedida, real) == NULL
     * (no existe, o algo del camino no es una carpeta):
     *     *estado = 404; return -1;
     * realpath resuelve los ".", los ".." y los enlaces simbólicos, y deja
     * en real el nombre del archivo que de verdad se abriría.
     */

    /*
     * TODO 10: comprueba que real sigue dentro de la raíz: tiene que
     * empezar por raiz y seguir con una '/'.
     *     size_t largo_raiz = strlen(raiz);
     *     if (strncmp(real, raiz, largo_raiz) != 0 || real[largo_raiz] != '/')
     *         { *estado = 403; return -1; }
     * Sin mirar la '/', con la raíz /srv/public también valdría
     * /srv/public-privado/clave.txt. Esta comprobación para también un
     * enlace simbólico dentro de public/ que apunte fuera.
     */

    /*
     * TODO 11: ábrelo y pregunta cuánto mide:
     *     int fd = open(real, O_RDONLY | O_CLOEXEC);
     * Si fd == -1, o fstat(fd, info) == -1, o no es un archivo normal
     * (!S_ISREG(info->st_mode): una carpeta, por ejemplo), cierra fd si
     * llegó a abrirse y: *estado = 404; return -1;
     * Si todo fue bien: return fd; info->st_size es su tamaño en bytes, el
     * Content-Length de la respuesta.
     */

    (void)ruta;                     /* quita los (void) al usar los parámetros */
    (void)info;
    (void)estado;
    (void)real;
    FALTA("abrir_archivo");         /* y borra esta línea al terminar */
}

/* Envía el contenido del archivo fd, a bloques (puede ser grande). */
int enviar_archivo(int sock, int fd)
{
    /*
     * TODO 12: no cargues el archivo entero en memoria: léelo a bloques y
     * envía cada bloque entero antes de leer el siguiente.
     *     char bloque[TAM_BLOQUE];
     *     ssize_t n;
     *     while ((n = read(fd, bloque, sizeof bloque)) > 0)
     *         (si enviar_todo(sock, bloque, (size_t)n) == -1: return -1;)
     * read devuelve 0 al llegar al final y -1 si falla:
     *     return n == -1 ? -1 : 0;
     * Envía los n bytes que dio read, nunca strlen(bloque): un PNG está
     * lleno de bytes 0.
     */

    (void)sock;                     /* quita los (void) al usar los parámetros */
    (void)fd;
    FALTA("enviar_archivo");        /* y borra esta línea al terminar */
}

/* Atiende una petición ya analizada. Devuelve -1 si hay que cerrar la conexión. */
int responder(int fd, const struct peticion *p)
{
    /*
     * TODO 13: declara lo que vas a usar:
     *     int head = strcmp(p->metodo, "HEAD") == 0, estado = 0, archivo, r;
     *     char real[PATH_MAX];          (el nombre de verdad: "/" es .../index.html)
     *     struct stat info;
     * Este servidor solo sabe GET y HEAD. Si no es HEAD ni GET, contesta
     * 405 diciendo cuáles valen, y cierra: la petición quizá trae un
     * cuerpo que no vas a leer, y sus bytes pasarían por la petición
     * siguiente.
     *     enviar_error(fd, 405, "Method Not Allowed", 1, 1, "Allow: GET, HEAD\r\n");
     *     return -1;
     */

    /*
     * TODO 14: abre el archivo pedido:
     *     archivo = abrir_archivo(p->ruta, &info, &estado, real);
     * Si archivo == -1, contesta el error que te dejó en estado, con la
     * página de error como cuerpo salvo si es HEAD:
     *     r = enviar_error(fd, estado, estado == 403 ? "Forbidden" : "Not Found",
     *                      p->cerrar, !head, NULL);
     *     return r == -1 || p->cerrar ? -1 : 0;
     * Un 404 no cierra la conexión: el cliente puede seguir pidiendo.
     */

    /*
     * TODO 15: el archivo existe. Primero la cabecera 200, con el tipo según
     * la extensión del nombre verdadero y el tamaño que dio fstat:
     *     r = enviar_cabecera(fd, 200, "OK", tipo_de(real),
     *                         (long long)info.st_size, p->cerrar, NULL);
     * Si fue bien (r == 0) y no es HEAD, detrás va el archivo:
     *     r = enviar_archivo(fd, archivo);
     * A HEAD se le contesta con las mismas cabeceras, Content-Length
     * incluido, pero sin cuerpo. Después, close(archivo); y
     *     return r == -1 || p->cerrar ? -1 : 0;
     * Devolver 0 es lo que deja la conexión abierta para otra petición.
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)p;
    FALTA("responder");             /* y borra esta línea al terminar */
}

/* Una conexión: petición tras petición, mientras el cliente la mantenga abierta. */
void *atender(void *arg)
{
    struct conexion *c = arg;       /* la conexión de este hilo, solo suya */

    /*
     * TODO 16: petición tras petición, mientras el cliente siga: repite
     * para siempre (for (;;)). Cada vuelta empieza con una cabecera entera:
     *     struct peticion p;
     *     char texto[MAX_CABECERA + 1];
     *     ssize_t largo = leer_cabecera(c);
     * - Si largo == 0, el cliente cerró sin nada a medias: break;
     * - Si largo == -1 y llegó algo que no era una cabecera (c->largo > 0:
     *   demasiado larga, o cortada a medias), contéstalo antes de irte:
     *       enviar_error(c->fd, 400, "Bad Request", 1, 1, NULL);
     *   y, haya llegado algo o no, break;
     */

    /*
     * TODO 17: con la cabecera entera, en la misma vuelta:
     * a) Cópiala a texto y termínala en '\0' para tratarla como cadena:
     *        memcpy(texto, c->datos, (size_t)largo);
     *        texto[largo] = '\0';
     * b) Quítala del búfer. Lo que sobra es el principio de la petición
     *    siguiente, y va al principio (memmove, porque se solapan):
     *        c->largo -= (size_t)largo;
     *        memmove(c->datos, c->datos + largo, c->largo);
     * c) Si analizar(texto, &p) == -1:
     *        enviar_error(c->fd, 400, "Bad Request", 1, 1, NULL);
     *    y break; tras una petición mal formada ya no sabes dónde empieza
     *    la siguiente.
     * d) Apunta la petición en la salida: printf("%s %s\n", p.metodo, p.ruta);
     * e) Si responder(c->fd, &p) == -1: break; si no, otra vuelta.
     * Al salir del bucle siguen el close y el free de abajo.
     */

    FALTA("atender");               /* borra esta línea al terminar */
    close(c->fd);
    free(c);
    return NULL;
}

int main(int argc, char *argv[])
{
    const char *carpeta = argc >= 3 ? argv[2] : CARPETA_DEFECTO;
    int puerto, escucha;

    /* stdout puede ser una tubería: vacíalo en cada línea. */
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
    /* El nombre verdadero de la carpeta, para compararlo en abrir_archivo. */
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
        c = calloc(1, sizeof *c);               /* suya y solo suya, con largo = 0 */
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
        pthread_detach(hilo);                   /* nadie lo espera: que se limpie solo */
    }
}
