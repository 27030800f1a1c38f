/* servidor.c: servidor de chat TCP: apodos, difusión por líneas, entradas y salidas. */

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define DIRECCION      "127.0.0.1"  /* solo escuchamos en la máquina local */
#define PUERTO_DEFECTO 7777
#define COLA           128          /* conexiones que esperan a accept() */
#define MAX_CLIENTES   100          /* a la vez en la sala */
#define MAX_LINEA      512          /* bytes de una línea, con su '\n' */
#define MAX_APODO      32           /* bytes de un apodo */

/* Las frases del protocolo, byte a byte (con tildes: este archivo va en UTF-8). */
#define PIDE_APODO     "NICK\n"
#define APODO_VACIO    "Apodo no válido: vacío\n"
#define APODO_LARGO    "Apodo no válido: más de 32 bytes\n"
#define APODO_EN_USO   "Apodo no válido: ya está en uso\n"
#define SALA_LLENA     "La sala está llena\n"
#define TEXTO_ENTRADA  "se unió al chat!"   /* anunciar() pone el apodo y el '\n' */
#define TEXTO_SALIDA   "abandonó el chat!"

/* Un cliente conectado. Lo crea su hilo y solo su hilo lo libera. */
struct cliente {
    int fd;
    char apodo[MAX_APODO + 1];      /* "" hasta que lo elige */
    char entrada[MAX_LINEA];        /* lo recibido que aún no forma una línea */
    size_t largo;                   /* bytes que hay en entrada */
    int echado;                     /* no leía: se le cortó, y su hilo ya se encarga */
};

/* La sala: los clientes que ya tienen apodo. El cerrojo la protege. */
static struct cliente *sala[MAX_CLIENTES];
static pthread_mutex_t cerrojo = PTHREAD_MUTEX_INITIALIZER;

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

/* Crea un socket para la dirección p, con SO_REUSEADDR, y lo enlaza (bind). */
int enlazar_socket(const struct addrinfo *p)
{
    int si = 1;
    int fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);

    if (fd == -1) {
        perror("servidor: socket");
        return -1;
    }
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si) == -1) {
        perror("servidor: setsockopt");
        close(fd);
        return -1;
    }
    if (bind(fd, p->ai_addr, p->ai_addrlen) == -1) {
        perror("servidor: bind");
        close(fd);
        return -1;
    }
    return fd;
}

/* Devuelve un socket que escucha en DIRECCION:puerto, o -1 si no se pudo. */
int crear_socket_escucha(int puerto)
{
    struct addrinfo pistas, *lista, *p;
    char servicio[8];
    int fd = -1, error;

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
    for (p = lista; p != NULL && fd == -1; p = p->ai_next)
        fd = enlazar_socket(p);
    freeaddrinfo(lista);
    if (fd != -1 && listen(fd, COLA) == -1) {
        perror("servidor: listen");
        close(fd);
        fd = -1;
    }
    return fd;
}

/*
 * Envía una línea a un cliente sin esperar nunca: si su búfer de envío está
 * lleno, es que no lee, y no puede frenar a los demás. Devuelve -1 si no cupo
 * entera (o falló): entonces hay que echarlo, porque le faltaría un trozo.
 */
int enviar_sin_esperar(const struct cliente *c, const char *linea, size_t largo)
{
    ssize_t n = send(c->fd, linea, largo, MSG_DONTWAIT | MSG_NOSIGNAL);

    return n == (ssize_t)largo ? 0 : -1;
}

/*
 * Envía una línea a todos los de la sala. Al que no la acepta entera lo
 * echa: shutdown() despierta a su hilo, que lo saca de la sala y avisa.
 * Se llama con el cerrojo tomado.
 */
void difundir(const char *linea, size_t largo)
{
    for (int i = 0; i < MAX_CLIENTES; i++) {
        struct cliente *c = sala[i];

        if (c == NULL || c->echado)           /* hueco libre, o ya cortado */
            continue;
        if (enviar_sin_esperar(c, linea, largo) == -1) {
            fprintf(stderr, "servidor: no se pudo enviar a %s (no lee, o se fue); "
                    "lo desconectamos\n", c->apodo);
            shutdown(c->fd, SHUT_RDWR);
            c->echado = 1;
        }
    }
}

/* Difunde "apodo texto\n" (un aviso del servidor). Con el cerrojo tomado. */
void anunciar(const char *apodo, const char *texto)
{
    char linea[MAX_APODO + 64];
    int largo = snprintf(linea, sizeof linea, "%s %s\n", apodo, texto);

    difundir(linea, (size_t)largo);
}

/*
 * Lee hasta tener una línea completa de c y la deja en linea (sin el '\n',
 * terminada en '\0'). Devuelve su largo, o -1 si el cliente se fue, falló o
 * mandó una línea de más de MAX_LINEA bytes.
 */
ssize_t leer_linea(struct cliente *c, char *linea)
{
    for (;;) {
        char *fin = memchr(c->entrada, '\n', c->largo);

        if (fin != NULL) {                        /* ya hay una línea entera */
            size_t largo = (size_t)(fin - c->entrada);

            memcpy(linea, c->entrada, largo);
            linea[largo] = '\0';
            c->largo -= largo + 1;                /* quita la línea y su '\n' */
            memmove(c->entrada, fin + 1, c->largo);
            return (ssize_t)largo;
        }
        if (c->largo == sizeof c->entrada) {
            fprintf(stderr, "servidor: línea de más de %d bytes\n", MAX_LINEA);
            return -1;
        }
        ssize_t n = recv(c->fd, c->entrada + c->largo, sizeof c->entrada - c->largo, 0);
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0)                               /* se fue (0) o falló (-1) */
            return -1;
        c->largo += (size_t)n;
    }
}

/* Envía a c solo (antes de entrar en la sala). */
int enviar_a(const struct cliente *c, const char *texto)
{
    return send(c->fd, texto, strlen(texto), MSG_NOSIGNAL) == (ssize_t)strlen(texto) ? 0 : -1;
}

/*
 * Pide un apodo hasta que sea válido y, con el cerrojo tomado, mete a c en
 * la sala y lo anuncia: así nadie elige el mismo a la vez, y todos ven la
 * entrada en el mismo punto de la conversación. 0 si entró; -1 si se fue.
 */
int elegir_apodo(struct cliente *c)
{
    char apodo[MAX_LINEA];

    for (;;) {
        const char *problema = NULL;
        int hueco = -1;
        ssize_t largo;

        if (enviar_a(c, PIDE_APODO) == -1 || (largo = leer_linea(c, apodo)) == -1)
            return -1;
        pthread_mutex_lock(&cerrojo);
        if (largo == 0)
            problema = APODO_VACIO;
        else if (largo > MAX_APODO)
            problema = APODO_LARGO;
        for (int i = 0; i < MAX_CLIENTES && problema == NULL; i++) {
            if (sala[i] != NULL && strcmp(sala[i]->apodo, apodo) == 0)
                problema = APODO_EN_USO;
            else if (sala[i] == NULL && hueco == -1)
                hueco = i;
        }
        if (problema == NULL && hueco == -1)
            problema = SALA_LLENA;
        if (problema == NULL) {
            memcpy(c->apodo, apodo, (size_t)largo + 1);
            sala[hueco] = c;
            anunciar(c->apodo, TEXTO_ENTRADA);        /* él también lo ve */
        }
        pthread_mutex_unlock(&cerrojo);
        if (problema == NULL)
            return 0;
        if (enviar_a(c, problema) == -1)
            return -1;
    }
}

/* Saca a c de la sala y avisa a los demás. */
void salir(struct cliente *c)
{
    pthread_mutex_lock(&cerrojo);
    for (int i = 0; i < MAX_CLIENTES; i++)
        if (sala[i] == c)
            sala[i] = NULL;
    anunciar(c->apodo, TEXTO_SALIDA);
    pthread_mutex_unlock(&cerrojo);
}

/* Cuerpo del hilo de cada cliente: apodo, entrada y sus mensajes. */
void *atender_cliente(void *arg)
{
    struct cliente *c = arg;
    char linea[MAX_LINEA + 1];
    ssize_t largo;

    if (elegir_apodo(c) == 0) {
        printf("%s entra en la sala\n", c->apodo);
        while ((largo = leer_linea(c, linea)) != -1) {
            linea[largo] = '\n';                  /* vuelve a ser una línea */
            pthread_mutex_lock(&cerrojo);
            difundir(linea, (size_t)largo + 1);
            pthread_mutex_unlock(&cerrojo);
        }
        salir(c);
        printf("%s sale de la sala\n", c->apodo);
    }
    close(c->fd);
    free(c);
    return NULL;
}

/* Bucle principal: un hilo por cliente, como en la lección 3. */
int aceptar_clientes(int escucha)
{
    for (;;) {
        pthread_t hilo;
        struct cliente *c;
        int error, fd = accept(escucha, NULL, NULL);

        if (fd == -1) {
            int e = errno;

            if (e == EINTR || e == ECONNABORTED)
                continue;                     /* pasajero: sigue aceptando */
            perror("servidor: accept");
            if (e == EMFILE || e == ENFILE) { /* sin descriptores: respira y reintenta */
                poll(NULL, 0, 100);
                continue;
            }
            return -1;
        }
        c = calloc(1, sizeof *c);
        if (c == NULL) {
            perror("servidor: calloc");
            close(fd);
            continue;
        }
        c->fd = fd;
        error = pthread_create(&hilo, NULL, atender_cliente, c);
        if (error != 0) {
            fprintf(stderr, "servidor: pthread_create: %s\n", strerror(error));
            close(fd);
            free(c);
            continue;
        }
        pthread_detach(hilo);
    }
}

int main(int argc, char *argv[])
{
    int puerto, escucha;

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
        fprintf(stderr, "servidor: puerto no válido: \"%s\"\n", argv[1]);
        return 2;
    }
    escucha = crear_socket_escucha(puerto);
    if (escucha == -1)
        return 1;
    printf("Servidor de chat escuchando en %s:%d\n", DIRECCION, puerto);
    aceptar_clientes(escucha);
    close(escucha);
    return 1;
}
