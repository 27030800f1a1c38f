/* ub_overflow.c: una suma de int que se pasa de INT_MAX. */
#include <limits.h>
#include <stdio.h>

int total_de_bytes(int ya_recibidos, int nuevos)
{
    int total = ya_recibidos + nuevos;

    return total;
}

int main(int argc, char *argv[])
{
    (void)argv;
    printf("%d\n", total_de_bytes(INT_MAX - 1, argc + 1));
    return 0;
}
