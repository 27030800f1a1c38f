/* buildcache.h - compiled programs kept by what made them: unchanged sources are not compiled
 * again. */
#ifndef BUILDCACHE_H
#define BUILDCACHE_H

#include "hash.h"
#include "result.h"
#include "util.h"

/* The largest program kept (16 MiB; a lesson's program is well under 1 MiB,
 * even built with sanitizers). A larger one is built again each time rather
 * than kept: one such program would push every other entry out of the cache,
 * which holds 256 MiB in all. */
#define BUILDCACHE_MAX_PROGRAM (16LL << 20)

/* Where the cache lives: $CHECKER_CACHE_DIR, else $XDG_CACHE_HOME/checker/build,
 * else $HOME/.cache/checker/build; NULL if none is set. In use or not, the
 * boxes hide it. */
char *buildcache_path(void);

/* 0 if dir can hold the cache: CHECKER_NO_CACHE is unset (or 0) and dir is,
 * or is made, a folder of ours (mode 0700) that no one else can open. Else
 * -1, with err saying why, or empty when there is nothing worth saying. */
int buildcache_open(const char *dir, char *err);

/* The key of a build: argv (build_argv's words, the compiler by its path),
 * the compiler's file and this checker's (path, size, time, inode), the
 * times of the system's header and library folders, the language of the
 * log, and every file of workdir. -1 if the compiler cannot be told apart
 * or workdir read. */
int buildcache_key(char *const *argv, const char *workdir, char key[HASH_HEX_LEN]);

/* 1 if dir holds key: br is filled as that build left it (cached), and when
 * it built, its program is put at prog (mode 0755). 0 if not; a damaged
 * entry is removed on the way. */
int buildcache_load(const char *dir, const char *key, const char *prog, struct build_result *br);

/* Keep br and, when it built, the program at prog under key (if another
 * process kept it first, that one stays), then drop the entries used longest
 * ago beyond the cache's bounds. A program larger than BUILDCACHE_MAX_PROGRAM
 * is not kept, nor its build (0, nothing to say). -1 with err if nothing
 * could be kept. */
int buildcache_store(const char *dir, const char *key, const char *prog,
                     const struct build_result *br, char *err);

#endif
