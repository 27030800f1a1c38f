/* ub_null.c: usa lo que devuelve getenv sin mirar si es NULL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t largo_del_nombre(const char *variable)
{
    const char *nombre = getenv(variable);

    return strlen(nombre);
}

int main(void)
{
    printf("%zu\n", largo_del_nombre("VARIABLE_QUE_NO_EXISTE"));
    return 0;
}
