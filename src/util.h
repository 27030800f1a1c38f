/* util.h - allocation that cannot fail, growable byte buffers and their budgets, monotonic time. */
#ifndef UTIL_H
#define UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ERR_LEN 512

struct buf {
	char *data; /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
};

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_consume(struct buf *b, size_t n);
char *buf_steal(struct buf *b);
void buf_free(struct buf *b);

/* A bound on the bytes several buffers hold at once (the data of a test's
 * connections): what would go past it is refused, never kept. */
struct budget {
	size_t cap;
	size_t held;
	int over; /* something was refused: from then on, everything is */
};

/* Count n more bytes as held: 0, or -1 (nothing counted, over set) if that
 * would pass the cap or something was refused before. */
int budget_take(struct budget *b, size_t n);

/* n bytes counted by budget_take are no longer held. */
void budget_give(struct budget *b, size_t n);

int64_t now_ms(void);
int64_t now_us(void); /* the same clock, in microseconds */
/* Milliseconds left until deadline, clamped to [0, INT32_MAX] for poll(). */
int ms_left(int64_t deadline);

void errf(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The whole file, NUL-terminated (it may hold NULs: its length goes to
 * *len unless len is NULL), or NULL (errno set) if it cannot be read. */
char *read_file(const char *path, size_t *len);

/* Write path whole or not at all: fill writes to a temporary file next to
 * it, which then replaces path; a reader sees the old file or the new one,
 * never half of one. -1 (errno set) if it could not be written. */
int write_file_atomic(const char *path, void (*fill)(FILE *, const void *), const void *arg);

/* s as one shell word: unchanged when safe, else in single quotes. */
char *shell_word(const char *s);

#endif
