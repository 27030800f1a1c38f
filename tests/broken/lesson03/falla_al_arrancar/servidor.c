/* Broken on purpose: dereferences a null pointer as soon as it starts. */
#include <stdio.h>

int main(int argc, char *argv[])
{
    int *puerto = NULL;

    (void)argv;
    if (argc >= 1)
        *puerto = 8888; /* segmentation fault */
    printf("%d\n", *puerto);
    return 0;
}
