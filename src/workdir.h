/* workdir.h - a fresh private copy of the learner's folder, removed safely. */
#ifndef WORKDIR_H
#define WORKDIR_H

#include "util.h"

/* Copy the regular files of src (and its subfolders, a few levels deep,
 * never following a symbolic link) into a new temporary folder, readable
 * by everyone. Returns its path, or NULL with err. */
char *workdir_create(const char *src, char *err);

/* Remove a folder made by workdir_create without following any link. */
void workdir_remove(const char *path);

#endif
