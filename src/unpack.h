/* unpack.h - extract a student's archive safely: plain files and folders only, bounded. */
#ifndef UNPACK_H
#define UNPACK_H

#include <stddef.h>

#include "util.h"

/* Limits; going over any of them makes the whole archive fail. */
#define UNPACK_MAX_ENTRIES 5000        /* headers read, whatever their type */
#define UNPACK_MAX_FILE    (10L << 20) /* bytes of one file, as extracted */
#define UNPACK_MAX_TOTAL   (50L << 20) /* bytes of all files, as extracted */
#define UNPACK_MAX_DEPTH   16          /* folders in one name, the file included */
#define UNPACK_MAX_PATH    1024        /* bytes of one name once cleaned */

/* Length of name's archive extension (".zip", ".tar", ".tar.gz", ".tgz",
 * ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz"; any case), 0 when it has
 * none or nothing precedes it. */
size_t unpack_ext_len(const char *name);

/* Whether name (a file name or a path) looks like an archive we read. */
int unpack_is_archive(const char *name);

/* Extract the archive at path (a regular file, not a link) into dest, an
 * existing empty folder. Only regular files (mode 0644) and folders (0755)
 * are written, always below dest. Left out without failing: links,
 * devices, FIFOs, names that are absolute, hold a ".." part or control
 * characters, names that clash with what is already extracted, and macOS
 * junk (__MACOSX/, ._*, .DS_Store). Returns how many entries were left out
 * (macOS junk not counted), or -1 with err when the archive is unreadable,
 * corrupt, encrypted, or over a limit; dest may then hold part of it, and
 * the caller removes it. */
int unpack_archive(const char *path, const char *dest, char *err);

#endif
