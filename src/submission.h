/* submission.h - from one entry of a submissions folder to the folder with a lesson's sources. */
#ifndef SUBMISSION_H
#define SUBMISSION_H

#include "util.h"

#define SUBMISSION_MAX_ARCHIVES 8     /* archives unpacked from one LMS folder */
#define SUBMISSION_FIND_DEPTH   6     /* folders below the root searched */
#define SUBMISSION_FIND_VISITS  20000 /* folder entries looked at in one search */
#define SUBMISSION_SLUG_MAX     120   /* bytes of a slug */

/* The student's name for reports, from an entry's name or path: its last
 * part without an archive extension, cut before Moodle's
 * "_<id>_assignsubmission_<plugin>_..." ("Ana García_123456_assignsubmission_file_"
 * and "Ana García_123456_assignsubmission_file_entrega.zip" both give
 * "Ana García"). Never empty. */
char *submission_student(const char *entry_name);

/* student as one safe path part for output folders: valid UTF-8 kept
 * (letters, accents, spaces), '/', '\\', control characters, bidirectional
 * controls, line separators, characters Windows forbids, invalid UTF-8 and
 * leading dots replaced by '_', at most
 * SUBMISSION_SLUG_MAX bytes, "alumno" when nothing is left. */
char *submission_slug(const char *student);

/* entry as a folder to search: a folder as it is, unless its top level
 * holds archives and neither C files (.c, .h) nor folders (what an LMS
 * gives: then each archive is unpacked into its own subfolder of scratch,
 * and scratch is returned); an archive is unpacked into scratch, which is
 * returned. scratch is an existing empty folder the caller owns and
 * removes. A link, a plain file that is not an archive, or an unreadable
 * entry gives NULL with err. */
char *submission_open(const char *entry, const char *scratch, char *err);

/* The folder under root holding all of sources (a NULL-terminated list of
 * names relative to that folder; NULL counts as empty), searched breadth-first without following
 * links: the shallowest folder named like lesson ("lesson03", "lesson3",
 * "leccion03", "lección3", any case) holding them all; else, when flat_ok,
 * the shallowest folder holding them all. Ties go to the first in byte
 * order. NULL with err saying what is missing. */
char *submission_find(const char *root, const char *lesson, char *const *sources, int flat_ok,
                      char *err);

#endif
