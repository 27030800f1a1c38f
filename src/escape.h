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

/* 1 if p[0..n) reads as text: valid UTF-8 with no control character but
 * \n, \r and \t. */
int utf8_is_text(const void *p, size_t n);

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

/* ---- reading escaped text back, and showing it on a terminal ---- */

/* Columns a terminal gives code point cp: 0 for marks drawn over the
 * previous character, 2 for East Asian wide characters and most emoji, else 1. */
int utf8_width(uint32_t cp);

/* Columns the UTF-8 text s[0..n) takes (a byte of no valid sequence, 1). */
size_t utf8_columns(const char *s, size_t n);

/* 0 for code points that must not reach a terminal raw: controls (C0,
 * DEL, C1), bidirectional controls, line and paragraph separators, BOM. */
int utf8_printable(uint32_t cp);

/* Append the character at p (n > 0 bytes left) as escape_bytes shows it,
 * also escaping what utf8_printable refuses; the bytes it took are
 * returned and the columns its text takes go to *cols. */
size_t escape_char(struct buf *out, const void *p, size_t n, size_t *cols);

/* s (a name, a path) for one line of a terminal or a log: each character as
 * escape_char shows it, so newlines, ESC sequences, bidirectional controls
 * and invalid bytes are escaped, and printable text (accents, any script)
 * is kept as it is. */
char *escape_line_dup(const char *s);

/* Escaped text made safe for a terminal: every byte of a character that
 * is not printable (newlines and tabs aside) as \xNN, the rest unchanged
 * (backslashes too: s is escaped already). */
char *escape_terminal_dup(const char *s);

/* The bytes that escaped text s[0..n) stands for: \xNN, \n, \r, \t, \\
 * and \" decoded, anything else copied. The result may hold NULs: its
 * length goes to *len (a NUL follows it). */
char *unescape_dup(const char *s, size_t n, size_t *len);

/* The length of escaped text s without the summary escape_bytes adds when
 * it cuts ("… (N more bytes)", in the current language), with N in
 * *hidden; strlen(s) and 0 when s was not cut. */
size_t escape_shown_len(const char *s, size_t *hidden);

/* Bytes for a shell command line as printf's format in single quotes:
 * `printf WORD` writes them back exactly, NULs included. */
char *shell_printf_word(const void *data, size_t n);

#endif
