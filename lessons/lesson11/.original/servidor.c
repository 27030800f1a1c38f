/* servidor.c: servidor de eco asíncrono: un solo hilo, poll() y sockets no bloqueantes. */

/*
 * Ejercicio de la lección 11. Lee antes el README.md de esta carpeta.
 *
 * Tu trabajo está en los comentarios TODO. Ve en orden, del 1 al 10.
 * Cada función sin terminar llama a FALTA(...), que avisa y termina el
 * programa; cuando completes una función, borra su línea FALTA(...) y los
 * (void) que ya no hagan falta.
 *
 * Compilar:  cc -std=gnu11 -Wall -Wextra -o servidor servidor.c
 * Probar:    ./servidor          y en otra terminal:  nc 127.0.0.1 8888
 * Corregir:  ./checker lesson11  (desde la raíz del proyecto)
 */

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define DIRECCION      "127.0.0.1"  /* solo escuchamos en la máquina local */
#define PUERTO_DEFECTO 8888
#define COLA           1024         /* conexiones que esperan a accept() */
#define MAX_CLIENTES   4000         /* a la vez; más allá, se cierran al aceptarlas */
#define TAM_LECTURA    1024         /* como en la lección 3: un trozo, una respuesta */
#define MAX_PENDIENTE  (1 << 20)    /* salida sin enviar por cliente: más, y no le leemos */

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

/*
 * Lo que el servidor recuerda de cada cliente entre dos vueltas del bucle.
 * Con un hilo por cliente, eso vivía en las variables locales de cada hilo;
 * aquí hay un solo hilo, así que cada cliente guarda lo suyo en su struct.
 */
struct cliente {
    char *salida;                   /* respuestas que aún no aceptó send() */
    size_t largo, capacidad;        /* bytes pendientes y bytes reservados */
    int termino;                    /* ya no envía (recv dio 0): se va al vaciar su salida */
};

/*
 * El estado entero: sin hilos, basta con dos arrays paralelos. La posición 0
 * es el socket que escucha; de la 1 en adelante, un cliente en cada una:
 * pf[i] es lo que se le pasa a poll() y clientes[i], su salida pendiente.
 * Los n_pf primeros están en uso, sin huecos (quitar_cliente tapa el hueco).
 */
static struct pollfd pf[MAX_CLIENTES + 1];
static struct cliente clientes[MAX_CLIENTES + 1];
static int n_pf = 0;
static int sin_descriptores = 0;    /* accept dio EMFILE: no aceptar hasta que se vaya alguien */

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

/* Pone fd en modo no bloqueante: ni recv, ni send, ni accept esperarán nunca. */
int no_bloqueante(int fd)
{
    /*
     * TODO 1: O_NONBLOCK es un bit más entre las banderas del descriptor
     * (lección 9). Léelas, añade ese bit y vuelve a escribirlas, sin perder
     * las que ya hubiera:
     *     int flags = fcntl(fd, F_GETFL);
     * Si flags == -1: return -1;
     * Si no: return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
     * (fcntl devuelve -1 si falla; si no, 0). crear_socket_escucha ya la usa
     * con el socket que escucha, y tú la usarás con cada cliente (TODO 7).
     */

    (void)fd;                       /* quita esta línea al usar fd */
    FALTA("no_bloqueante");         /* y borra esta al terminar */
}

/* Devuelve un socket no bloqueante que escucha en DIRECCION:puerto, o -1. */
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
    /*
     * También el que escucha es no bloqueante: aceptar_todas llama a accept()
     * hasta que no quede nadie, y esa última llamada debe devolver EAGAIN,
     * no quedarse esperando al próximo cliente con todos los demás parados.
     */
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
        else if (no_bloqueante(fd) == -1)        /* accept tampoco esperará */
            perror("servidor: fcntl");
        else
            break;                               /* listo: escucha y no bloquea */
        close(fd);
        fd = -1;
    }
    freeaddrinfo(lista);
    return fd;
}

/* Saca al cliente de la posición i: cierra, libera y pone el último en su sitio. */
void quitar_cliente(int i)
{
    /*
     * TODO 2: el cliente de la posición i se va (cerró, falló, o su conexión
     * está rota). En este orden:
     * a) Cierra su socket y libera su salida pendiente:
     *        close(pf[i].fd);
     *        free(clientes[i].salida);    (free(NULL) no hace nada)
     * b) Tapa el hueco con el último de los dos arrays, para que sigan sin
     *    huecos:
     *        n_pf--;
     *        pf[i] = pf[n_pf];
     *        clientes[i] = clientes[n_pf];
     *    Si i era el último, se copia sobre sí mismo y no pasa nada.
     * c) Ha quedado un descriptor libre: si accept se había quedado sin
     *    ellos, ya puede volver a aceptar:
     *        sin_descriptores = 0;
     * Ojo: el que estaba al final cambia de posición. Por eso servir()
     * recorrerá los clientes de atrás hacia delante (TODO 10).
     */

    (void)i;                        /* quita los (void) al usar i y clientes */
    (void)clientes;
    FALTA("quitar_cliente");        /* y borra esta línea al terminar */
}

/* Añade bytes a la salida pendiente del cliente c; -1 si no hay memoria. */
int guardar(struct cliente *c, const char *datos, size_t largo)
{
    if (c->largo + largo > c->capacidad) {                /* no cabe: a crecer */
        size_t nueva = c->capacidad ? c->capacidad : 4096;
        char *p;

        while (nueva < c->largo + largo)
            nueva *= 2;                                   /* el doble cada vez */
        p = realloc(c->salida, nueva);
        if (p == NULL)
            return -1;                                    /* c->salida sigue valiendo */
        c->salida = p;
        c->capacidad = nueva;
    }
    memcpy(c->salida + c->largo, datos, largo);           /* detrás de lo que había */
    c->largo += largo;
    return 0;
}

/*
 * Envía lo que se pueda de la salida pendiente de la posición i, sin esperar.
 * Lo que send() no acepta se queda para la próxima vez que poll() diga POLLOUT.
 * Devuelve -1 si el cliente ya no está (EPIPE, ECONNRESET...).
 */
int enviar_pendiente(int i)
{
    /*
     * TODO 3: con
     *     struct cliente *c = &clientes[i];
     * repite mientras c->largo > 0:
     *     ssize_t n = send(pf[i].fd, c->salida, c->largo, MSG_NOSIGNAL);
     * - Si n == -1 y errno == EINTR: continue;
     * - Si n == -1 y errno es EAGAIN o EWOULDBLOCK: el búfer de envío del
     *   sistema está lleno, porque el cliente no lee tan deprisa. Sal del
     *   bucle (break): lo que queda en c->salida espera a que poll() avise
     *   con POLLOUT.
     * - Si n == -1 por otro motivo (EPIPE, ECONNRESET: se fue): return -1;
     * - Si no, send aceptó n bytes, quizá menos de c->largo (un envío
     *   parcial). Quítalos del principio y corre el resto hacia delante:
     *       c->largo -= (size_t)n;
     *       memmove(c->salida, c->salida + n, c->largo);
     *   (memmove y no memcpy: el origen y el destino se solapan.)
     * Al salir del bucle: return 0;
     * Nunca pongas c->largo = 0 sin más: lo que send no aceptó se perdería y
     * el cliente recibiría un eco roto. MSG_NOSIGNAL evita que SIGPIPE mate
     * el servidor cuando el cliente ya cerró (lección 3).
     */

    (void)i;                        /* quita esta línea al usar i */
    FALTA("enviar_pendiente");      /* y borra esta al terminar */
}

/*
 * Lee un trozo del cliente i y guarda su respuesta. Devuelve -1 si falló; si
 * ya no enviará más (recv da 0), lo marca: se irá cuando tenga su eco entero.
 */
int leer_cliente(int i)
{
    /*
     * TODO 4: poll() dijo que hay algo que leer, o que el cliente se fue.
     * Haz UNA sola lectura, sin bucle (si queda algo, poll volverá a avisar):
     *     char datos[TAM_LECTURA];
     *     ssize_t n = recv(pf[i].fd, datos, sizeof datos, 0);
     * - Si n == -1 y errno es EAGAIN, EWOULDBLOCK o EINTR: falsa alarma, no
     *   había nada que leer; return 0; (el cliente sigue en la tabla).
     * - Si n == -1 por otro motivo (ECONNRESET...): return -1; y servir()
     *   lo quitará.
     * - Si n == 0, el cliente ya no enviará más, pero quizá sigue leyendo
     *   (cerró solo su lado de envío, como nc -N al acabar un archivo), y
     *   aún puede estar esperando parte de su eco. No lo quites todavía:
     *       clientes[i].termino = 1;
     *       return 0;
     *   servir() lo quitará cuando haya recibido su eco entero.
     */

    /*
     * TODO 5: con n > 0, la respuesta es el prefijo y los n bytes. No la
     * envíes directamente: añádela a la salida pendiente del cliente, detrás
     * de lo que ya esperaba, con guardar() (ya hecha, un poco más arriba):
     *     guardar(&clientes[i], PREFIJO, LARGO_PREFIJO)
     *     guardar(&clientes[i], datos, (size_t)n)
     * Si alguna devuelve -1: perror("servidor: realloc"); return -1;
     * Después intenta enviarla ya, que casi siempre cabe entera:
     *     return enviar_pendiente(i);
     */

    (void)i;                        /* quita esta línea al usar i */
    FALTA("leer_cliente");          /* y borra esta al terminar */
}

/* Acepta todas las conexiones que esperan (poll avisó una vez para todas). */
void aceptar_todas(void)
{
    /*
     * TODO 6: poll() avisa una sola vez aunque esperen muchas conexiones en
     * la cola. Acéptalas todas, en un bucle (for (;;)):
     *     int fd = accept(pf[0].fd, NULL, NULL);
     * Si fd == -1, no queda nadie (EAGAIN o EWOULDBLOCK: el que escucha es no
     * bloqueante), esa conexión falló (EINTR; ECONNABORTED si el cliente se
     * fue antes de que lo aceptaras) o no quedan descriptores (EMFILE, o
     * ENFILE en todo el sistema). Este último caso es especial: la conexión
     * sigue esperando en la cola, así que poll() volvería a avisar al
     * instante, una y otra vez, y el servidor gastaría la CPU entera. Deja
     * de escuchar nuevas conexiones hasta que se vaya alguien:
     *     if (errno == EMFILE || errno == ENFILE) {
     *         perror("servidor: accept");
     *         sin_descriptores = 1;
     *     } else if (errno != EAGAIN && errno != EWOULDBLOCK &&
     *                errno != EINTR && errno != ECONNABORTED) {
     *         perror("servidor: accept");      (avisa solo de lo inesperado)
     *     }
     * y en cualquier caso, return; (si queda alguien, poll volverá a avisar).
     */

    /*
     * TODO 7: con un fd válido, todavía dentro del bucle:
     * a) Si la tabla está llena (n_pf > MAX_CLIENTES: recuerda que pf[0] es
     *    el que escucha) o no_bloqueante(fd) devuelve -1:
     *        close(fd); continue;
     *    Mejor cerrar que quedarse con un cliente sin sitio, o bloqueante.
     * b) Si no, ponlo al final de los dos arrays y cuéntalo:
     *        pf[n_pf] = (struct pollfd){fd, POLLIN, 0};
     *        clientes[n_pf] = (struct cliente){NULL, 0, 0, 0};
     *        n_pf++;
     *    Con revents a 0, en esta vuelta servir() no hará nada con él.
     */

    (void)sin_descriptores;         /* quita esta línea al usar sin_descriptores */
    FALTA("aceptar_todas");         /* y borra esta al terminar */
}

/*
 * Qué le interesa de cada cliente en la próxima espera: leer, si aún envía y
 * su salida pendiente no es enorme (si no lee, dejamos de leerle: que espere
 * él, no los demás), y escribir, solo si tiene algo pendiente. Conexiones
 * nuevas, solo si quedan descriptores.
 */
void preparar_esperas(void)
{
    /*
     * TODO 8: rellena events para la próxima llamada a poll():
     * - El que escucha quiere saber si llegan conexiones, salvo si se quedó
     *   sin descriptores (TODO 6):
     *       pf[0].events = sin_descriptores ? 0 : POLLIN;
     * - Para cada cliente, for (int i = 1; i < n_pf; i++), empieza con
     *   pf[i].events = 0; y luego:
     *   · si !clientes[i].termino y clientes[i].largo < MAX_PENDIENTE:
     *         pf[i].events |= POLLIN;
     *     A quien ya terminó de enviar no hay nada que leerle. Y a quien
     *     acumula 1 MiB sin recoger no se le lee más hasta que lo recoja:
     *     así su búfer no crece sin límite.
     *   · si clientes[i].largo > 0:  pf[i].events |= POLLOUT;
     *     Solo entonces. Con POLLOUT siempre, poll() volvería al instante
     *     (casi siempre se puede escribir) y el servidor no dormiría nunca;
     *     sin él, lo pendiente no saldría hasta que el cliente escribiera.
     * POLLERR y POLLHUP no se piden: poll() los avisa siempre.
     */

    FALTA("preparar_esperas");      /* borra esta línea al terminar */
}

/* El bucle de eventos: espera en poll() y atiende lo que esté listo. */
int servir(void)
{
    /*
     * TODO 9: el bucle de eventos. Repite para siempre (for (;;)):
     *     preparar_esperas();
     *     poll(pf, (nfds_t)n_pf, -1)
     * El -1 es «sin plazo»: el proceso duerme hasta que alguien está listo.
     * Con 0, poll miraría y volvería enseguida, y el bucle daría vueltas sin
     * descanso, gastando una CPU entera aunque nadie hable.
     * Si poll devuelve -1: con errno == EINTR (una señal), continue; con
     * cualquier otro, perror("servidor: poll"); return -1;
     */

    /*
     * TODO 10: tras poll, en la misma vuelta:
     * a) Si pf[0].revents & POLLIN: aceptar_todas();
     * b) Recorre los clientes DE ATRÁS HACIA DELANTE:
     *        for (int i = n_pf - 1; i >= 1; i--)
     *    quitar_cliente(i) trae el último al hueco, y ese ya está atendido;
     *    hacia delante, se quedaría sin atender en esta vuelta. Con
     *        short r = pf[i].revents;
     *        int bien = 1;
     *    haz, en este orden:
     *    · si r & (POLLERR | POLLNVAL): bien = 0;     (conexión rota)
     *    · si bien y r & POLLOUT: bien = enviar_pendiente(i) == 0;
     *    · si bien, !clientes[i].termino y r & (POLLIN | POLLHUP):
     *          bien = leer_cliente(i) == 0;
     *    · si bien y clientes[i].termino, se va cuando tiene su eco entero
     *      (clientes[i].largo == 0), o si ya no puede recibirlo
     *      (r & POLLHUP): en esos casos, bien = 0;
     *    · si !bien: quitar_cliente(i);
     *    POLLHUP va con POLLIN: recv dirá si aún queda algo por leer o si
     *    es el final (0). Primero se envía y después se lee, para vaciar la
     *    salida pendiente antes de añadirle más.
     * Un cliente con problemas se quita y el bucle sigue: nunca return aquí.
     */

    FALTA("servir");                /* borra esta línea al terminar */
}

int main(int argc, char *argv[])
{
    int puerto;

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
        fprintf(stderr, "servidor: puerto no válido: \"%s\"\n", argv[1]);
        return 2;
    }
    pf[0].fd = crear_socket_escucha(puerto);
    if (pf[0].fd == -1)
        return 1;
    n_pf = 1;                                  /* de momento, solo el que escucha */
    printf("Servidor asíncrono escuchando en %s:%d\n", DIRECCION, puerto);
    servir();                                  /* solo vuelve si poll falla */
    return 1;
}
