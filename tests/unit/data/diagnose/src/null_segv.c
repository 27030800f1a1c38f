/* null_segv.c: lee de un FILE * sin mirar si fopen devolvió NULL. */
#include <stdio.h>

int leer_configuracion(const char *ruta, char *linea, int tam)
{
    FILE *f = fopen(ruta, "r");

    if (fgets(linea, tam, f) == NULL)
        return -1;
    fclose(f);
    return 0;
}

int main(void)
{
    char linea[128];

    if (leer_configuracion("/no/existe/servidor.conf", linea, sizeof linea) == 0)
        printf("%s", linea);
    return 0;
}
