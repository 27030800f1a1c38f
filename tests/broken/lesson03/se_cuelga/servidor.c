/* Broken on purpose: listens and accepts, but never reads nor answers. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    struct sockaddr_in dir;
    int uno = 1;
    int s = socket(AF_INET, SOCK_STREAM, 0);

    if (s < 0)
        return 1;
    memset(&dir, 0, sizeof dir);
    dir.sin_family = AF_INET;
    dir.sin_port = htons((unsigned short)(argc > 1 ? atoi(argv[1]) : 8888));
    dir.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &uno, sizeof uno);
    if (bind(s, (struct sockaddr *)&dir, sizeof dir) < 0 || listen(s, 64) < 0) {
        perror("servidor");
        return 1;
    }
    for (;;)
        if (accept(s, NULL, NULL) < 0)
            perror("servidor: accept"); /* keeps the connection, never answers */
}
