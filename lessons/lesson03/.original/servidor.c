/* servidor.c: servidor de eco TCP que atiende a cada cliente en su propio hilo. */

/*
 * Ejercicio de la lección 3. Lee antes el README.md de esta carpeta.
 *
 * Tu trabajo está en los comentarios TODO. Ve en orden, del 1 al 9.
 * Cada función sin terminar llama a FALTA(...), que avisa y termina el
 * programa; cuando completes una función, borra su línea FALTA(...) y los
 * (void) que ya no hagan falta.
 *
 * Compilar:  cc -std=gnu11 -Wall -Wextra -pthread -o servidor servidor.c
 * Probar:    ./servidor          y en otra terminal:  nc 127.0.0.1 8888
 * Corregir:  ./checker lesson03  (desde la raíz del proyecto)
 */

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

/* Avisa de que una función está sin terminar y sale. Bórrala al acabar. */
#define FALTA(funcion)                                                      \
    do {                                                                    \
        fprintf(stderr, "servidor: falta completar %s (busca los TODO)\n", \
                funcion);                                                   \
        exit(1);                                                            \
    } while (0)

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
    /*
     * TODO 1: crea el socket con
     *     int fd = socket(p->ai_family, p->ai_socktype, p->ai_protocol);
     * Si devuelve -1: perror("servidor: socket"); y return -1;
     */

    /*
     * TODO 2: antes del bind, activa SO_REUSEADDR para poder reiniciar el
     * servidor enseguida en el mismo puerto:
     *     int si = 1;
     *     setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &si, sizeof si)
     * Si devuelve -1: perror("servidor: setsockopt"); close(fd); return -1;
     */

    /*
     * TODO 3: enlaza el socket a la dirección y el puerto:
     *     bind(fd, p->ai_addr, p->ai_addrlen)
     * Si devuelve -1: perror("servidor: bind"); close(fd); return -1;
     * Si todo fue bien: return fd;
     */

    (void)p;                        /* quita esta línea al usar p */
    FALTA("enlazar_socket");        /* y borra esta al terminar */
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

    /*
     * TODO 4: pon el socket a escuchar, con una cola de COLA conexiones:
     *     listen(fd, COLA)
     * Si devuelve -1: perror("servidor: listen"); close(fd); return -1;
     */

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
    /*
     * TODO 5: send puede enviar menos bytes de los que le pides. Lleva la
     * cuenta en "size_t enviados = 0;" y repite mientras enviados < largo:
     *     ssize_t n = send(fd, datos + enviados, largo - enviados, MSG_NOSIGNAL);
     * - Si n == -1 y errno == EINTR: vuelve a intentarlo (continue).
     * - Si n == -1 por otro motivo: return -1; (el cliente se fue, por ejemplo)
     * - Si no: enviados += (size_t)n;
     * Al salir del bucle: return 0;
     * MSG_NOSIGNAL hace que, si el cliente ya cerró, send devuelva -1 (EPIPE)
     * en vez de matar todo el servidor con la señal SIGPIPE.
     */

    (void)fd;                       /* quita los (void) al usar los parámetros */
    (void)datos;
    (void)largo;
    FALTA("enviar_todo");           /* y borra esta línea al terminar */
}

/* Cuerpo de cada hilo: devuelve cada trozo recibido con el prefijo delante. */
void *atender_cliente(void *arg)
{
    struct cliente *c = arg;        /* los datos de este cliente, solo suyos */

    /*
     * TODO 6: el bucle de eco. Declara dos búferes locales (cada hilo tiene
     * los suyos en su propia pila):
     *     char datos[TAM_BUFFER];
     *     char respuesta[LARGO_PREFIJO + TAM_BUFFER];
     * Copia el prefijo una vez: memcpy(respuesta, PREFIJO, LARGO_PREFIJO);
     * Después repite para siempre (for (;;)):
     *     ssize_t n = recv(c->fd, datos, sizeof datos, 0);
     * - Si n == -1 y errno == EINTR: continue;
     * - Si n == -1: perror("servidor: recv"); y sal del bucle (break).
     * - Si n == 0: el cliente cerró la conexión; sal del bucle.
     * - Si n > 0: copia los n bytes detrás del prefijo,
     *       memcpy(respuesta + LARGO_PREFIJO, datos, (size_t)n);
     *   y envía LARGO_PREFIJO + n bytes con enviar_todo. Si devuelve -1:
     *   perror("servidor: send"); y break.
     * No añadas '\n' ni '\0': devuelve exactamente los bytes recibidos.
     */

    /*
     * TODO 7: al salir del bucle, cierra el socket del cliente
     * (si close(c->fd) devuelve -1, perror("servidor: close")), escribe
     *     printf("Cliente %s desconectado\n", c->nombre);
     * libera la memoria con free(c); y termina el hilo con return NULL;
     */

    (void)c;                        /* quita esta línea al usar c */
    FALTA("atender_cliente");       /* y borra esta al terminar */
}

/* Arranca un hilo independiente (detached) que atiende al cliente c. */
int lanzar_hilo(struct cliente *c)
{
    /*
     * TODO 8: crea el hilo y despréndelo (detach) para que se limpie solo:
     *     pthread_t hilo;
     *     int error = pthread_create(&hilo, NULL, atender_cliente, c);
     * Ojo: pthread_create no usa errno; devuelve 0 o un código de error.
     * Si error != 0:
     *     fprintf(stderr, "servidor: pthread_create: %s\n", strerror(error));
     *     return -1;
     * Después: error = pthread_detach(hilo); si no es 0, avisa igual
     * ("servidor: pthread_detach: ...") pero el hilo ya está en marcha.
     * Al final: return 0;
     */

    (void)c;                        /* quita esta línea al usar c */
    FALTA("lanzar_hilo");           /* y borra esta al terminar */
}

/* Bucle del hilo principal: acepta clientes y lanza un hilo por cada uno. */
int aceptar_clientes(int escucha)
{
    /*
     * TODO 9: repite para siempre (for (;;)):
     * a) Acepta una conexión y guarda la dirección del cliente:
     *        struct sockaddr_storage dir;
     *        socklen_t largo = sizeof dir;
     *        int fd = accept(escucha, (struct sockaddr *)&dir, &largo);
     *    Si fd == -1: guarda errno en una variable (perror puede cambiarlo).
     *    Si era EINTR o ECONNABORTED, continue; sin más. Si no,
     *    perror("servidor: accept"); y si era EBADF, EINVAL o ENOTSOCK el
     *    socket de escucha no sirve: return -1; en otro caso, continue;
     * b) Reserva un struct cliente NUEVO para este cliente:
     *        struct cliente *c = malloc(sizeof *c);
     *    Si es NULL: perror("servidor: malloc"); close(fd); continue;
     *    (No uses una variable compartida: el hilo la leería cuando el bucle
     *    ya la hubiera cambiado por la del cliente siguiente.)
     * c) Rellénalo: c->fd = fd; y
     *        describir_direccion(&dir, largo, c->nombre, sizeof c->nombre);
     *    y escribe printf("Cliente conectado desde %s\n", c->nombre);
     * d) Lanza su hilo con lanzar_hilo(c). Si devuelve -1: close(fd); free(c);
     * El hilo principal no hace nada más: vuelve a accept enseguida.
     */

    (void)escucha;                  /* quita esta línea al usar escucha */
    FALTA("aceptar_clientes");      /* y borra esta al terminar */
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
