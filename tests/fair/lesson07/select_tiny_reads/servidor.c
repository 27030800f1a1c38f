/* Chat server, style: single thread with select(), a fixed table of clients,
 * and deliberately tiny reads (at most 7 bytes per recv) so lines are always
 * rebuilt from many pieces; the kernel send buffer is the per-client queue. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXLINE 512
#define NICKMAX 32
#define ROOMMAX 100
#define TABLE 200
#define CHUNK 7

typedef struct {
    int fd;                 /* 0 = unused (fd 0 is stdin, never a client) */
    int named, bye;
    char nick[NICKMAX + 1];
    char acc[MAXLINE];
    size_t n;
} peer_t;

static peer_t tab[TABLE];
static int members;

static void push(peer_t *p, const char *s, size_t len)
{
    if (p->bye)
        return;
    if (send(p->fd, s, len, MSG_DONTWAIT | MSG_NOSIGNAL) == (ssize_t)len)
        return;
    fprintf(stderr, "servidor: %s no lee; lo desconectamos\n", p->named ? p->nick : "?");
    p->bye = 1;
    shutdown(p->fd, SHUT_RDWR);
}

static void everyone(const char *s, size_t len)
{
    for (int i = 0; i < TABLE; i++)
        if (tab[i].fd && tab[i].named)
            push(&tab[i], s, len);
}

static void bury_the_dead(void)
{
    for (int changed = 1; changed;) {
        changed = 0;
        for (int i = 0; i < TABLE; i++) {
            peer_t *p = &tab[i];
            if (!p->fd || !p->bye)
                continue;
            close(p->fd);
            p->fd = 0;
            if (p->named) {
                char m[80];
                members--;
                printf("%s sale de la sala\n", p->nick);
                snprintf(m, sizeof m, "%s abandonó el chat!\n", p->nick);
                everyone(m, strlen(m));
                changed = 1;
            }
        }
    }
}

static void handle(peer_t *p, char *line, size_t len)
{
    if (p->named) {
        everyone(line, len + 1); /* line still has its '\n' at [len] */
        return;
    }
    line[len] = 0;
    const char *no = NULL;
    if (len == 0)
        no = "Apodo no válido: vacío\n";
    else if (len > NICKMAX)
        no = "Apodo no válido: más de 32 bytes\n";
    for (int i = 0; !no && i < TABLE; i++)
        if (tab[i].fd && tab[i].named && !strcmp(tab[i].nick, line))
            no = "Apodo no válido: ya está en uso\n";
    if (!no && members >= ROOMMAX)
        no = "La sala está llena\n";
    if (no) {
        push(p, no, strlen(no));
        push(p, "NICK\n", 5);
        return;
    }
    strcpy(p->nick, line);
    p->named = 1;
    members++;
    printf("%s entra en la sala\n", line);
    char m[80];
    snprintf(m, sizeof m, "%s se unió al chat!\n", line);
    everyone(m, strlen(m));
}

static void drain(peer_t *p)
{
    size_t room = sizeof p->acc - p->n;
    ssize_t got = recv(p->fd, p->acc + p->n, room < CHUNK ? room : CHUNK, 0);
    if (got <= 0) {
        if (got < 0 && errno == EINTR)
            return;
        p->bye = 1;
        return;
    }
    p->n += (size_t)got;
    char *nl;
    while (!p->bye && (nl = memchr(p->acc, '\n', p->n))) {
        char line[MAXLINE + 1];
        size_t len = (size_t)(nl - p->acc);
        memcpy(line, p->acc, len + 1);
        p->n -= len + 1;
        memmove(p->acc, nl + 1, p->n);
        handle(p, line, len);
    }
    if (p->n == MAXLINE) {
        fprintf(stderr, "servidor: línea demasiado larga; fuera\n");
        p->bye = 1;
        shutdown(p->fd, SHUT_RDWR);
    }
}

int main(int argc, char **argv)
{
    unsigned port = 7777;
    if (argc > 2)
        goto usage;
    if (argc == 2) {
        char *e;
        unsigned long v = strtoul(argv[1], &e, 10);
        if (argv[1][0] < '0' || argv[1][0] > '9' || *e || v < 1 || v > 65535)
            goto usage;
        port = (unsigned)v;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    int ls = socket(AF_INET, SOCK_STREAM, 0), on = 1;
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(ls, (struct sockaddr *)&sa, sizeof sa) || listen(ls, 32)) {
        perror("servidor");
        return 1;
    }
    printf("Servidor de chat escuchando en 127.0.0.1:%u\n", port);
    for (;;) {
        fd_set rs;
        FD_ZERO(&rs);
        FD_SET(ls, &rs);
        int top = ls;
        for (int i = 0; i < TABLE; i++)
            if (tab[i].fd) {
                FD_SET(tab[i].fd, &rs);
                if (tab[i].fd > top)
                    top = tab[i].fd;
            }
        if (select(top + 1, &rs, NULL, NULL, NULL) < 0) {
            if (errno == EINTR)
                continue;
            perror("servidor: select");
            return 1;
        }
        for (int i = 0; i < TABLE; i++)
            if (tab[i].fd && !tab[i].bye && FD_ISSET(tab[i].fd, &rs))
                drain(&tab[i]);
        if (FD_ISSET(ls, &rs)) {
            int fd = accept(ls, NULL, NULL);
            int i = 0;
            while (fd >= 0 && i < TABLE && tab[i].fd)
                i++;
            if (fd >= FD_SETSIZE || (fd >= 0 && i == TABLE))
                close(fd);
            else if (fd >= 0) {
                tab[i] = (peer_t){.fd = fd};
                push(&tab[i], "NICK\n", 5);
            }
        }
        bury_the_dead();
    }
usage:
    fprintf(stderr, "servidor: argumentos incorrectos\nuso: servidor [PUERTO]\n");
    return 2;
}
