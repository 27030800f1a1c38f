/* Mutant: the threaded server of lesson 3, one thread per client. */

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define DIRECCION      "127.0.0.1"  /* solo escuchamos en la máquina local */
#define PUERTO_DEFECTO 8888
#define COLA           128          /* conexiones que esperan a accept() */
#define TAM_BUFFER     1024

/* La "ó" ocupa dos bytes en UTF-8 (0xC3 0xB3): guarda este archivo en UTF-8. */
#define PREFIJO        "Servidor recibió: "
#define LARGO_PREFIJO  (sizeof PREFIJO - 1)  /* sin el '\0' final */

/* Lo que recibe cada hilo: suyo y solo suyo, reservado con malloc. */
struct cliente {
    int fd;                /* el socket conectado con este cliente */
    char nombre[INET6_ADDRSTRLEN + 8];  /* "IP:PUERTO", para los mensajes */
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

/* Crea un socket para la dirección p, con SO_REUSEADDR, y lo enlaza (bind). */
int enlazar_socket(const struct addrinfo *p)
{
    int si = 1;
    int fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);

    if (fd == -1) {
        perror("servidor: socket");
        return -1;
    }
    /* Sin esto, bind falla con "Address already in use" al reiniciar. */
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
    int fd = -1;
    int error;

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
    for (p = lista; p != NULL && fd == -1; p = p->ai_next)
        fd = enlazar_socket(p);                           /* la primera que funcione */
    freeaddrinfo(lista);
    if (fd == -1)
        return -1;

    if (listen(fd, COLA) == -1) {
        perror("servidor: listen");
        close(fd);
        return -1;
    }
    return fd;
}

/* Escribe "IP:PUERTO" de la dirección dir en nombre. */
void describir_direccion(const struct sockaddr_storage *dir, socklen_t largo,
                         char *nombre, size_t tam)
{
    char ip[INET6_ADDRSTRLEN], puerto[8];
    int error = getnameinfo((const struct sockaddr *)dir, largo, ip, sizeof ip,
                            puerto, sizeof puerto, NI_NUMERICHOST | NI_NUMERICSERV);

    if (error != 0) {
        fprintf(stderr, "servidor: getnameinfo: %s\n", gai_strerror(error));
        snprintf(nombre, tam, "?:?");
        return;
    }
    snprintf(nombre, tam, "%s:%s", ip, puerto);
}

/* Envía los largo bytes de datos aunque send los acepte por partes. */
int enviar_todo(int fd, const char *datos, size_t largo)
{
    size_t enviados = 0;

    while (enviados < largo) {
        /* MSG_NOSIGNAL: si el cliente ya se fue, error EPIPE en vez de SIGPIPE. */
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

/* Cuerpo de cada hilo: devuelve cada trozo recibido con el prefijo delante. */
void *atender_cliente(void *arg)
{
    struct cliente *c = arg;
    char datos[TAM_BUFFER];
    char respuesta[LARGO_PREFIJO + TAM_BUFFER];  /* prefijo + trozo */
    ssize_t n;

    memcpy(respuesta, PREFIJO, LARGO_PREFIJO);   /* el prefijo nunca cambia */
    for (;;) {
        n = recv(c->fd, datos, sizeof datos, 0);
        if (n == -1 && errno == EINTR)
            continue;
        if (n == -1) {
            perror("servidor: recv");
            break;
        }
        if (n == 0)                              /* el cliente cerró */
            break;
        memcpy(respuesta + LARGO_PREFIJO, datos, (size_t)n);
        if (enviar_todo(c->fd, respuesta, LARGO_PREFIJO + (size_t)n) == -1) {
            perror("servidor: send");
            break;
        }
    }
    if (close(c->fd) == -1)
        perror("servidor: close");
    printf("Cliente %s desconectado\n", c->nombre);
    free(c);                                     /* el hilo libera lo suyo */
    return NULL;
}

/* Arranca un hilo independiente (detached) que atiende al cliente c. */
int lanzar_hilo(struct cliente *c)
{
    pthread_t hilo;
    int error = pthread_create(&hilo, NULL, atender_cliente, c);

    if (error != 0) {   /* pthread_* devuelven el código de error, no usan errno */
        fprintf(stderr, "servidor: pthread_create: %s\n", strerror(error));
        return -1;
    }
    error = pthread_detach(hilo);   /* nadie hará join: que se limpie solo */
    if (error != 0)
        fprintf(stderr, "servidor: pthread_detach: %s\n", strerror(error));
    return 0;
}

/* Bucle del hilo principal: acepta clientes y lanza un hilo por cada uno. */
int aceptar_clientes(int escucha)
{
    for (;;) {
        struct sockaddr_storage dir;
        socklen_t largo = sizeof dir;
        struct cliente *c;
        int fd = accept(escucha, (struct sockaddr *)&dir, &largo);

        if (fd == -1) {
            int e = errno;                 /* perror podría cambiar errno */

            if (e == EINTR || e == ECONNABORTED)
                continue;                  /* pasajero: sigue aceptando */
            perror("servidor: accept");
            if (e == EBADF || e == EINVAL || e == ENOTSOCK)
                return -1;                 /* el socket de escucha no sirve */
            continue;                      /* p. ej. EMFILE: quizá luego se pueda */
        }
        c = malloc(sizeof *c);             /* uno nuevo para cada cliente */
        if (c == NULL) {
            perror("servidor: malloc");
            close(fd);
            continue;
        }
        c->fd = fd;
        describir_direccion(&dir, largo, c->nombre, sizeof c->nombre);
        printf("Cliente conectado desde %s\n", c->nombre);
        if (lanzar_hilo(c) == -1) {
            close(fd);
            free(c);
        }
    }
}

int main(int argc, char *argv[])
{
    int puerto, escucha;

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
    escucha = crear_socket_escucha(puerto);
    if (escucha == -1)
        return 1;
    printf("Servidor escuchando en %s:%d\n", DIRECCION, puerto);

    aceptar_clientes(escucha);             /* solo vuelve si algo falla */
    close(escucha);
    return 1;
}
