/* boxroot.h - a box's own root: the system read-only, its work folder, nothing else. */
#ifndef BOXROOT_H
#define BOXROOT_H

#include "util.h"

/* Where the work folder appears inside a box with its own root. */
#define BOX_WORKDIR "/tmp/box"

/* In a new mount namespace (the caller's, just made): build a root from an
 * empty tmpfs holding only the system's programs and libraries (/usr and
 * the links or folders /bin, /lib... point at), a few harmless files of
 * /etc, a /dev of null, zero, full, random and urandom, a /proc that hides
 * other users' processes, a private /tmp, and workdir (if not NULL) at
 * BOX_WORKDIR, read-only unless writable; then make it the root and make it
 * read-only. The checkout, the solutions, other boxes, /home, /root and
 * the rest of /etc are not in it. -1 with err. */
int boxroot_enter(const char *workdir, int writable, char *err);

#endif
