/* Broken on purpose: prints that it listens but never calls socket()/listen(). */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    printf("Servidor escuchando en 127.0.0.1:8888\n");
    fflush(stdout);
    for (;;)
        pause(); /* waits for a signal forever */
}
