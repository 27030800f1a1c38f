/* servidor.c: servidor de chat TCP: apodos, difusión por líneas, entradas y salidas. */

/*
 * Ejercicio de la lección 7. Lee antes el README.md de esta carpeta.
 *
 * Tu trabajo está en los comentarios TODO. Ve en orden, del 1 al 8.
 * Cada función sin terminar llama a FALTA(...), que avisa y termina el
 * programa; cuando completes una función, borra su línea FALTA(...) y los
 * (void) que ya no hagan falta.
 *
 * Compilar:  cc -std=gnu11 -Wall -Wextra -pthread -o servidor servidor.c
 * Probar:    ./servidor          y en otras terminales:  nc 127.0.0.1 7777
 * Corregir:  ./checker lesson07  (desde la raíz del proyecto)
 */

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

/*
 * Las frases del protocolo, byte a byte: no las cambies. Llevan tildes, que
 * en UTF-8 ocupan dos bytes cada una: guarda este archivo en UTF-8.
 */
#define PIDE_APODO     "NICK\n"
#define APODO_VACIO    "Apodo no válido: vacío\n"
#define APODO_LARGO    "Apodo no válido: más de 32 bytes\n"
#define APODO_EN_USO   "Apodo no válido: ya está en uso\n"
#define SALA_LLENA     "La sala está llena\n"
#define TEXTO_ENTRADA  "se unió al chat!"   /* anunciar() pone el apodo y el '\n' */
#define TEXTO_SALIDA   "abandonó el chat!"

/* Avisa de que una función está sin terminar y sale. Bórrala al acabar. */
#define FALTA(funcion)                                                      \
    do {                                                                    \
        fprintf(stderr, "servidor: falta completar %s (busca los TODO)\n", \
                funcion);                                                   \
        exit(1);                                                            \
    } while (0)

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
    /*
     * TODO 1: envía la línea con un solo send que no espere nunca:
     *     ssize_t n = send(c->fd, linea, largo, MSG_DONTWAIT | MSG_NOSIGNAL);
     * - MSG_DONTWAIT: si en el búfer de envío de ese cliente no cabe todo,
     *   send no se queda esperando: acepta solo una parte, o devuelve -1
     *   con errno EAGAIN si no cabe nada.
     * - MSG_NOSIGNAL: si el cliente ya se fue, send devuelve -1 (EPIPE) en
     *   vez de matar todo el servidor con la señal SIGPIPE.
     * Devuelve 0 solo si salió la línea entera, n == (ssize_t)largo; en
     * cualquier otro caso, -1. No intentes enviar lo que falte: ese cliente
     * no lee, y difundir() lo echará.
     */

    (void)c;                        /* quita los (void) al usar los parámetros */
    (void)linea;
    (void)largo;
    FALTA("enviar_sin_esperar");    /* y borra esta línea al terminar */
}

/*
 * Envía una línea a todos los de la sala. Al que no la acepta entera lo
 * echa: shutdown() despierta a su hilo, que lo saca de la sala y avisa.
 * Se llama con el cerrojo tomado.
 */
void difundir(const char *linea, size_t largo)
{
    /*
     * TODO 2: recorre la sala entera:
     *     for (int i = 0; i < MAX_CLIENTES; i++)
     * Los huecos libres valen NULL, y a un cliente ya echado
     * (sala[i]->echado) no se le envía nada más: sáltalos a los dos. A cada
     * uno de los demás, envíale la línea con
     * enviar_sin_esperar(sala[i], linea, largo). Si devuelve -1, ese
     * cliente no lee (o ya se fue). Avisa:
     *     fprintf(stderr, "servidor: no se pudo enviar a %s (no lee, o se fue); "
     *             "lo desconectamos\n", sala[i]->apodo);
     * córtale la conexión en los dos sentidos y márcalo:
     *     shutdown(sala[i]->fd, SHUT_RDWR);
     *     sala[i]->echado = 1;
     * Nada más: ni lo saques de la sala, ni hagas close, ni free. El recv
     * de su hilo devolverá 0, y ese hilo lo sacará y lo anunciará (TODO 7).
     * Tampoco toques el cerrojo: quien llama a difundir ya lo tiene.
     */

    (void)sala;                     /* quita los (void) al usar sala y los parámetros */
    (void)linea;
    (void)largo;
    FALTA("difundir");              /* y borra esta línea al terminar */
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
    /*
     * Lo que llega y aún no se ha usado se guarda en c->entrada, y c->largo
     * dice cuántos bytes hay. Está en el struct cliente, y no en una
     * variable local, porque tiene que durar de una llamada a la siguiente:
     * un recv puede traer el apodo y el primer mensaje juntos.
     *
     * TODO 3: repite para siempre (for (;;)). Lo primero de cada vuelta:
     * mira si en el búfer ya hay una línea entera, buscando su '\n':
     *     char *fin = memchr(c->entrada, '\n', c->largo);
     * Si fin != NULL, cópiala a linea sin el '\n' y quítala del búfer:
     *     size_t largo = (size_t)(fin - c->entrada);
     *     memcpy(linea, c->entrada, largo);
     *     linea[largo] = '\0';
     *     c->largo -= largo + 1;                      (la línea y su '\n')
     *     memmove(c->entrada, fin + 1, c->largo);     (lo que sobra, al principio)
     *     return (ssize_t)largo;
     * Usa memmove y no memcpy: el origen y el destino se solapan.
     */

    /*
     * TODO 4: si no había línea entera, en la misma vuelta del bucle:
     * a) Si el búfer ya está lleno (c->largo == sizeof c->entrada) y no hay
     *    ningún '\n', la línea mide más de MAX_LINEA bytes. Ese cliente se va:
     *        fprintf(stderr, "servidor: línea de más de %d bytes\n", MAX_LINEA);
     *        return -1;
     * b) Si no, recibe DETRÁS de lo que ya hay, y solo lo que cabe:
     *        ssize_t n = recv(c->fd, c->entrada + c->largo,
     *                         sizeof c->entrada - c->largo, 0);
     *    - Si n == -1 y errno == EINTR: continue;
     *    - Si n <= 0, el cliente se ha ido: 0 si cerró (o si difundir lo
     *      echó con shutdown), -1 si falló (por ejemplo, ECONNRESET).
     *      return -1;
     *    - Si no: c->largo += (size_t)n; y vuelta al principio del bucle,
     *      a buscar el '\n' otra vez.
     * Nunca llames a recv si ya hay una línea entera guardada: te quedarías
     * esperando datos nuevos con un mensaje pendiente en el búfer.
     */

    (void)c;                        /* quita los (void) al usar los parámetros */
    (void)linea;
    FALTA("leer_linea");            /* y borra esta línea al terminar */
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
    /*
     * TODO 5: antes del bucle, declara char apodo[MAX_LINEA]; y repite
     * (for (;;)) hasta que el apodo valga. En cada vuelta:
     * a) Declara
     *        const char *problema = NULL;   (el motivo para rechazarlo)
     *        int hueco = -1;                (el sitio libre en la sala)
     *        ssize_t largo;
     *    pide el apodo y léelo como una línea:
     *        if (enviar_a(c, PIDE_APODO) == -1 || (largo = leer_linea(c, apodo)) == -1)
     *            return -1;             (se fue sin entrar en la sala)
     * b) Toma el cerrojo, pthread_mutex_lock(&cerrojo); y busca el problema:
     *    - si largo == 0:          problema = APODO_VACIO;
     *    - si largo > MAX_APODO:   problema = APODO_LARGO;
     *    - si no, recorre la sala (for i de 0 a MAX_CLIENTES, mientras
     *      problema == NULL): si sala[i] != NULL y
     *      strcmp(sala[i]->apodo, apodo) == 0, problema = APODO_EN_USO;
     *      si sala[i] == NULL y hueco == -1, hueco = i;
     *    - si después no hay problema pero tampoco hueco:
     *      problema = SALA_LLENA;
     */

    /*
     * TODO 6: todavía con el cerrojo tomado, si problema == NULL, el apodo
     * vale. Guárdalo, mete a c en la sala y anúncialo, todo antes de soltar:
     *     memcpy(c->apodo, apodo, (size_t)largo + 1);   (con su '\0')
     *     sala[hueco] = c;
     *     anunciar(c->apodo, TEXTO_ENTRADA);            (él también lo ve)
     * Después, haya problema o no, suelta el cerrojo:
     *     pthread_mutex_unlock(&cerrojo);
     * - Si no había problema: return 0;
     * - Si lo había, díselo con el cerrojo ya suelto (enviar_a puede
     *   esperar, y nadie debe esperar con el cerrojo en la mano):
     *       if (enviar_a(c, problema) == -1)
     *           return -1;
     *   y sigue el bucle, que vuelve a enviar PIDE_APODO.
     */

    (void)c;                        /* quita esta línea al usar c */
    FALTA("elegir_apodo");          /* y borra esta al terminar */
}

/* Saca a c de la sala y avisa a los demás. */
void salir(struct cliente *c)
{
    /*
     * TODO 7: todo con el cerrojo tomado (pthread_mutex_lock(&cerrojo)):
     * a) Saca a c de la sala: recorre sala[i] y, donde sala[i] == c,
     *    pon sala[i] = NULL;
     * b) Después, y no antes, avisa a los que quedan:
     *        anunciar(c->apodo, TEXTO_SALIDA);
     *    (Si avisaras antes de sacarlo, difundir intentaría enviárselo
     *    también a él, que ya se ha ido.)
     * c) Suelta el cerrojo: pthread_mutex_unlock(&cerrojo);
     * No cierres su socket ni lo liberes aquí: lo hace atender_cliente.
     */

    (void)cerrojo;                  /* quita los (void) al usar cerrojo y c */
    (void)c;
    FALTA("salir");                 /* y borra esta línea al terminar */
}

/* Cuerpo del hilo de cada cliente: apodo, entrada y sus mensajes. */
void *atender_cliente(void *arg)
{
    struct cliente *c = arg;

    if (elegir_apodo(c) == 0) {
        printf("%s entra en la sala\n", c->apodo);

        /*
         * TODO 8: el bucle del chat. Declara al principio de la función
         *     char linea[MAX_LINEA + 1];    (la línea más larga y su '\n')
         *     ssize_t largo;
         * y aquí, mientras haya líneas:
         *     while ((largo = leer_linea(c, linea)) != -1) {
         *         linea[largo] = '\n';      (leer_linea se lo quitó)
         *         pthread_mutex_lock(&cerrojo);
         *         difundir(linea, (size_t)largo + 1);
         *         pthread_mutex_unlock(&cerrojo);
         *     }
         * La línea va tal cual a todos, también a quien la envió: el
         * servidor no le añade el apodo (eso lo hace el cliente).
         * Cuando leer_linea devuelve -1, el cliente se ha ido, y las líneas
         * de abajo, ya escritas, lo sacan de la sala y liberan lo suyo.
         */

        FALTA("atender_cliente");   /* borra esta línea al terminar */
        salir(c);
        printf("%s sale de la sala\n", c->apodo);
    }
    close(c->fd);                   /* solo este hilo cierra y libera a c */
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
        c = calloc(1, sizeof *c);   /* todo a cero: sin apodo, búfer vacío */
        if (c == NULL) {
            perror("servidor: calloc");
            close(fd);
            continue;
        }
        c->fd = fd;
        /* El apodo se pide en el hilo del cliente, no aquí: un cliente que
           no contesta no puede dejar la puerta cerrada a los demás. */
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
    escucha = crear_socket_escucha(puerto);
    if (escucha == -1)
        return 1;
    printf("Servidor de chat escuchando en %s:%d\n", DIRECCION, puerto);
    aceptar_clientes(escucha);             /* solo vuelve si algo falla */
    close(escucha);
    return 1;
}
