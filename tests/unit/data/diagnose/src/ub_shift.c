/* ub_shift.c: desplaza un int 32 posiciones. */
#include <stdio.h>

int mascara(int bits)
{
    return 1 << bits;
}

int main(int argc, char *argv[])
{
    (void)argv;
    printf("%d\n", mascara(31 + argc));
    return 0;
}
