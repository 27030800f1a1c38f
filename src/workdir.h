/* workdir.h - a fresh private copy of the learner's folder, removed safely. */
#ifndef WORKDIR_H
#define WORKDIR_H

#include <stdint.h>

#include "util.h"

/* Copy the regular files of src (and its subfolders, a few levels deep,
 * never following a symbolic link) into a new temporary folder,
 * $TMPDIR/checker-work-XXXXXX/work: readable by everyone, inside a folder
 * that is ours alone, or that others may pass through (not list) if
 * shared (tier C: the program uses this path). The outer folder is locked
 * (flock) by this process until workdir_remove. The first call in a
 * process first removes the work folders of our uid that dead checkers
 * left there (their locks are free). Returns its path, or NULL with err. */
char *workdir_create(const char *src, int shared, char *err);

/* Put dir/rel (a file or a folder, never following a link) into the work
 * folder as rel, replacing whatever the learner had there: the tests' own
 * files come from the lesson, never from a submission. */
int workdir_put(const char *workdir, const char *dir, const char *rel, char *err);

/* A file rel of n bytes drawn from seed in the work folder, replacing any. */
int workdir_random_file(const char *workdir, const char *rel, size_t n, uint64_t seed, char *err);

/* A symbolic link rel (a path inside workdir, made as for
 * workdir_random_file) pointing to target, as it is. */
int workdir_symlink(const char *workdir, const char *rel, const char *target, char *err);

/* Remove a folder (made by workdir_create, with its outer folder, or any
 * other) without following any link; a work folder's lock is let go after. */
void workdir_remove(const char *path);

#endif
