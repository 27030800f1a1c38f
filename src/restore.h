/* restore.h - ./checker reiniciar: the lesson's starter back, the learner's work kept aside. */
#ifndef RESTORE_H
#define RESTORE_H

#include <stdio.h>

/* The pristine starters: lessons/LESSON/.original/<source>. */
#define RESTORE_ORIGINALS ".original"

/* Put back the starter files of lesson that the learner changed, after
 * asking on in (unless yes), each changed file first copied to
 * <file>.copia-YYYYMMDD-HHMMSS. 0 done or nothing to do, 1 the learner said
 * no, 2 it could not be done. */
int restore_run(const char *root, const char *lesson, int yes, FILE *in, FILE *out);

#endif
