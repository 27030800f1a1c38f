/* doctor.h - ./checker doctor: what isolation this machine offers. */
#ifndef DOCTOR_H
#define DOCTOR_H

#include <stdio.h>

/* Print each mechanism and the tier it allows; returns the exit status. */
int doctor_run(FILE *out);

#endif
