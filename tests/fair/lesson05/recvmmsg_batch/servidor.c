/* UDP echo server, style: batched recvmmsg/sendmmsg (up to 8 datagrams per
 * system call), each slot with its own heap buffer and its own sender. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 8
#define MAXD 65507

int main(int argc, char **argv)
{
    unsigned long port = 9999;
    if (argc > 2) {
        fprintf(stderr, "servidor: demasiados argumentos\nuso: servidor [PUERTO]\n");
        return 2;
    }
    if (argc == 2) {
        char *end;
        errno = 0;
        port = strtoul(argv[1], &end, 10);
        if (argv[1][0] < '0' || argv[1][0] > '9' || *end || errno || port < 1 || port > 65535) {
            fprintf(stderr, "servidor: puerto no válido «%s»\nuso: servidor [PUERTO]\n", argv[1]);
            return 2;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in me = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd == -1 || bind(fd, (struct sockaddr *)&me, sizeof me) == -1) {
        perror("servidor");
        return 1;
    }
    printf("Servidor UDP escuchando en 127.0.0.1:%lu\n", port);

    static struct mmsghdr in[BATCH], out[BATCH];
    static struct iovec iin[BATCH], iout[BATCH];
    static struct sockaddr_in peers[BATCH];
    char *bufs[BATCH];
    for (int i = 0; i < BATCH; i++) {
        bufs[i] = malloc(5 + MAXD);
        if (!bufs[i]) {
            perror("servidor: malloc");
            return 1;
        }
        memcpy(bufs[i], "Eco: ", 5);
    }

    for (;;) {
        for (int i = 0; i < BATCH; i++) {
            iin[i].iov_base = bufs[i] + 5;
            iin[i].iov_len = MAXD;
            memset(&in[i], 0, sizeof in[i]);
            in[i].msg_hdr.msg_iov = &iin[i];
            in[i].msg_hdr.msg_iovlen = 1;
            in[i].msg_hdr.msg_name = &peers[i];
            in[i].msg_hdr.msg_namelen = sizeof peers[i];
        }
        /* block for the first one, then take whatever else is queued */
        int got = recvmmsg(fd, in, BATCH, MSG_WAITFORONE, NULL);
        if (got == -1) {
            if (errno == EINTR)
                continue;
            perror("servidor: recvmmsg");
            if (errno == EBADF || errno == ENOTSOCK)
                return 1;
            continue;
        }
        for (int i = 0; i < got; i++) {
            unsigned n = in[i].msg_len;
            char ip[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, &peers[i].sin_addr, ip, sizeof ip);
            printf("Recibido de %s:%u: %.*s\n", ip, ntohs(peers[i].sin_port), (int)n, bufs[i] + 5);
            iout[i].iov_base = bufs[i];
            iout[i].iov_len = 5 + (size_t)n;
            memset(&out[i], 0, sizeof out[i]);
            out[i].msg_hdr.msg_iov = &iout[i];
            out[i].msg_hdr.msg_iovlen = 1;
            out[i].msg_hdr.msg_name = &peers[i];
            out[i].msg_hdr.msg_namelen = in[i].msg_hdr.msg_namelen;
        }
        /* sendmmsg stops at the first failing message: skip it and go on */
        int done = 0;
        while (done < got) {
            int s = sendmmsg(fd, out + done, (unsigned)(got - done), 0);
            if (s == -1) {
                if (errno == EINTR)
                    continue;
                perror("servidor: sendmmsg");
                done++;
            } else {
                done += s;
            }
        }
    }
}
