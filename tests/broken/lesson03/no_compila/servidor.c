/* Broken on purpose: a missing semicolon. */
#include <stdio.h>

int main(void)
{
    printf("Servidor escuchando en 127.0.0.1:8888\n")
    return 0;
}
