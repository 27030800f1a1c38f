/* escape.h - show bytes to a human: valid UTF-8 as text, the rest escaped. */
#ifndef ESCAPE_H
#define ESCAPE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if invalid. */
size_t utf8_seq_len(const unsigned char *p, size_t n);

/* The code point at p (n > 0 bytes left), its length in *len; a byte that
 * starts no valid sequence reads as U+FFFD, one byte long. */
uint32_t utf8_decode(const unsigned char *p, size_t n, size_t *len);

/* Append code point cp to out in UTF-8. */
void utf8_put(struct buf *out, uint32_t cp);

/* s as valid UTF-8 (what JSON, XML and YAML readers insist on): every byte
 * that starts no valid sequence becomes U+FFFD, the rest is unchanged. */
char *utf8_valid_dup(const char *s);

/* Append p[0..n) to out: printable text and valid UTF-8 unchanged, \n \r \t
 * \\ \" as in C, any other byte as \xNN. At most max input bytes are shown
 * (cut on a character boundary); the rest is summarised. */
void escape_bytes(struct buf *out, const void *p, size_t n, size_t max);

char *escape_dup(const void *p, size_t n, size_t max);

/* The last max bytes of a program's output, newlines kept, rest escaped. */
char *escape_tail(const void *p, size_t n, size_t max);

#endif
