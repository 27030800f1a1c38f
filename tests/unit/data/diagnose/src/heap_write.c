/* heap_write.c: escribe el '\0' un byte después de un bloque de n bytes justos. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *copiar_mensaje(const char *texto, size_t n)
{
    char *datos = malloc(n);           /* falta un byte para el '\0' */

    memcpy(datos, texto, n);
    datos[n] = '\0';
    return datos;
}

int main(int argc, char *argv[])
{
    char *m;

    (void)argv;
    fprintf(stderr, "servidor: escuchando en el puerto 5000\n");
    m = copiar_mensaje("hola, mundo", 10 + (size_t)argc);
    printf("%s\n", m);
    free(m);
    return 0;
}
