/* escape.c - show bytes to a human: valid UTF-8 as text, the rest escaped. */
#include "escape.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

size_t utf8_seq_len(const unsigned char *p, size_t n)
{
	size_t len;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* Reject overlong forms, UTF-16 surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void escape_one(struct buf *out, unsigned char c, int keep_newlines)
{
	switch (c) {
	case '\n':
		buf_puts(out, keep_newlines ? "\n" : "\\n");
		break;
	case '\r':
		buf_puts(out, "\\r");
		break;
	case '\t':
		buf_puts(out, keep_newlines ? "\t" : "\\t");
		break;
	case '\\':
		buf_puts(out, keep_newlines ? "\\" : "\\\\");
		break;
	case '"':
		buf_puts(out, keep_newlines ? "\"" : "\\\"");
		break;
	default:
		if (c >= 0x20 && c < 0x7f)
			buf_append(out, &c, 1);
		else
			buf_printf(out, "\\x%02x", c);
	}
}

static void escape_impl(struct buf *out, const void *data, size_t n, size_t max, int keep_nl)
{
	const unsigned char *p = data;
	size_t i = 0;

	while (i < n) {
		size_t len = utf8_seq_len(p + i, n - i);

		if (i + (len ? len : 1) > max)
			break;
		if (len > 1)
			buf_append(out, p + i, len);
		else
			escape_one(out, p[i], keep_nl);
		i += len ? len : 1;
	}
	if (i < n)
		/* TRANSLATORS: appended to a cut transcript; %zu counts the hidden bytes. */
		buf_printf(out, _("… (%zu more bytes)"), n - i);
}

void escape_bytes(struct buf *out, const void *p, size_t n, size_t max)
{
	escape_impl(out, p, n, max, 0);
}

char *escape_tail(const void *data, size_t n, size_t max)
{
	const char *p = data;
	struct buf b = {0};
	size_t start = 0;

	if (n > max) {
		/* Start on a line (or at least a character) boundary. */
		const char *nl = memchr(p + n - max, '\n', max);
		start = nl ? (size_t)(nl + 1 - p) : n - max;
		while (start < n && ((unsigned char)p[start] & 0xc0) == 0x80)
			start++;
		/* TRANSLATORS: first line of a program's output when its beginning is cut. */
		buf_printf(&b, _("[… %zu earlier bytes not shown]\n"), start);
	}
	escape_impl(&b, p + start, n - start, SIZE_MAX, 1);
	return buf_steal(&b);
}

char *escape_dup(const void *p, size_t n, size_t max)
{
	struct buf b = {0};

	escape_bytes(&b, p, n, max);
	return buf_steal(&b);
}

uint32_t utf8_decode(const unsigned char *p, size_t n, size_t *len)
{
	static const unsigned char lead_mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
	uint32_t cp;

	*len = utf8_seq_len(p, n);
	if (!*len) {
		*len = 1;
		return 0xfffd;
	}
	cp = p[0] & lead_mask[*len];
	for (size_t i = 1; i < *len; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	return cp;
}

void utf8_put(struct buf *out, uint32_t cp)
{
	unsigned char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_append(out, b, n);
}

char *utf8_valid_dup(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, len;
	struct buf b = {0};

	while (i < n) {
		uint32_t cp = utf8_decode(p + i, n - i, &len);
		if (cp == 0xfffd && len == 1)
			utf8_put(&b, cp);
		else
			buf_append(&b, p + i, len);
		i += len;
	}
	return buf_steal(&b);
}

/* ---- reading escaped text back, and showing it on a terminal ---- */

struct range {
	uint32_t lo, hi;
};

static int in_ranges(uint32_t cp, const struct range *r, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int utf8_width(uint32_t cp)
{
	/* Marks drawn over the previous character, and zero-width joiners. */
	static const struct range zero[] = {
	        {0x0300, 0x036f}, {0x0483, 0x0489}, {0x0591, 0x05bd}, {0x0610, 0x061a},
	        {0x064b, 0x065f}, {0x1ab0, 0x1aff}, {0x1dc0, 0x1dff}, {0x200b, 0x200d},
	        {0x20d0, 0x20ff}, {0xfe00, 0xfe0f}, {0xfe20, 0xfe2f}, {0xe0100, 0xe01ef},
	};
	/* East Asian wide characters and the emoji terminals draw two columns wide. */
	static const struct range wide[] = {
	        {0x1100, 0x115f},   {0x231a, 0x231b},   {0x2329, 0x232a},   {0x23e9, 0x23ec},
	        {0x23f0, 0x23f0},   {0x23f3, 0x23f3},   {0x25fd, 0x25fe},   {0x2614, 0x2615},
	        {0x2648, 0x2653},   {0x267f, 0x267f},   {0x2693, 0x2693},   {0x26a1, 0x26a1},
	        {0x26aa, 0x26ab},   {0x26bd, 0x26be},   {0x26c4, 0x26c5},   {0x26ce, 0x26ce},
	        {0x26d4, 0x26d4},   {0x26ea, 0x26ea},   {0x26f2, 0x26f3},   {0x26f5, 0x26f5},
	        {0x26fa, 0x26fa},   {0x26fd, 0x26fd},   {0x2705, 0x2705},   {0x270a, 0x270b},
	        {0x2728, 0x2728},   {0x274c, 0x274c},   {0x274e, 0x274e},   {0x2753, 0x2755},
	        {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27b0, 0x27b0},   {0x27bf, 0x27bf},
	        {0x2b1b, 0x2b1c},   {0x2b50, 0x2b50},   {0x2b55, 0x2b55},   {0x2e80, 0x303e},
	        {0x3041, 0x33ff},   {0x3400, 0x4dbf},   {0x4e00, 0x9fff},   {0xa000, 0xa4cf},
	        {0xa960, 0xa97f},   {0xac00, 0xd7a3},   {0xf900, 0xfaff},   {0xfe10, 0xfe19},
	        {0xfe30, 0xfe6f},   {0xff00, 0xff60},   {0xffe0, 0xffe6},   {0x1f004, 0x1f004},
	        {0x1f0cf, 0x1f0cf}, {0x1f18e, 0x1f18e}, {0x1f191, 0x1f19a}, {0x1f200, 0x1f2ff},
	        {0x1f300, 0x1f320}, {0x1f32d, 0x1f335}, {0x1f337, 0x1f37c}, {0x1f37e, 0x1f393},
	        {0x1f3a0, 0x1f3ca}, {0x1f3cf, 0x1f3d3}, {0x1f3e0, 0x1f3f0}, {0x1f3f4, 0x1f3f4},
	        {0x1f3f8, 0x1f43e}, {0x1f440, 0x1f440}, {0x1f442, 0x1f4fc}, {0x1f4ff, 0x1f53d},
	        {0x1f54b, 0x1f54e}, {0x1f550, 0x1f567}, {0x1f57a, 0x1f57a}, {0x1f595, 0x1f596},
	        {0x1f5a4, 0x1f5a4}, {0x1f5fb, 0x1f64f}, {0x1f680, 0x1f6c5}, {0x1f6cc, 0x1f6cc},
	        {0x1f6d0, 0x1f6d2}, {0x1f6d5, 0x1f6d7}, {0x1f6eb, 0x1f6ec}, {0x1f6f4, 0x1f6fc},
	        {0x1f7e0, 0x1f7eb}, {0x1f90c, 0x1f93a}, {0x1f93c, 0x1f945}, {0x1f947, 0x1f9ff},
	        {0x1fa70, 0x1faff}, {0x20000, 0x2fffd}, {0x30000, 0x3fffd},
	};

	if (in_ranges(cp, zero, sizeof(zero) / sizeof(zero[0])))
		return 0;
	return in_ranges(cp, wide, sizeof(wide) / sizeof(wide[0])) ? 2 : 1;
}

int utf8_printable(uint32_t cp)
{
	/* Controls move the cursor or start escape sequences (C1 0x9b is a
	 * CSI on some terminals); bidi controls reorder what follows them and
	 * separators break lines: printed raw, any of them can make a
	 * program's bytes pass for the checker's own lines. */
	return !(cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x061c || cp == 0x200e ||
	         cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	         cp == 0xfeff);
}

size_t escape_char(struct buf *out, const void *data, size_t n, size_t *cols)
{
	const unsigned char *p = data;
	size_t len = utf8_seq_len(p, n), before = out->len;

	if (len > 1) {
		size_t l;
		uint32_t cp = utf8_decode(p, n, &l);
		if (utf8_printable(cp)) {
			buf_append(out, p, len);
			*cols = (size_t)utf8_width(cp);
			return len;
		}
		for (size_t i = 0; i < len; i++)
			buf_printf(out, "\\x%02x", p[i]);
		*cols = out->len - before;
		return len;
	}
	escape_one(out, p[0], 0);
	*cols = out->len - before;
	return 1;
}

char *escape_line_dup(const char *s)
{
	struct buf b = {0};
	size_t n = strlen(s), i = 0, cols;

	while (i < n)
		i += escape_char(&b, s + i, n - i, &cols);
	return b.data ? buf_steal(&b) : xstrdup("");
}

char *escape_terminal_dup(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	struct buf b = {0};

	while (i < n) {
		size_t len = utf8_seq_len(p + i, n - i), l;
		int keep = len == 1 ? (p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\n' || p[i] == '\t'
		                    : len > 1 && utf8_printable(utf8_decode(p + i, n - i, &l));
		if (!len)
			len = 1;
		if (keep)
			buf_append(&b, p + i, len);
		else
			for (size_t k = 0; k < len; k++)
				buf_printf(&b, "\\x%02x", p[i + k]);
		i += len;
	}
	return b.data ? buf_steal(&b) : xstrdup("");
}

size_t utf8_columns(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t cols = 0, i = 0, len;

	while (i < n) {
		uint32_t cp = utf8_decode(p + i, n - i, &len);
		cols += (size_t)utf8_width(cp);
		i += len;
	}
	return cols;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The byte a C escape stands for (\n, \r, \t, \\, \"), or -1. */
static int simple_escape(char c)
{
	switch (c) {
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case '\\':
	case '"':
		return c;
	default:
		return -1;
	}
}

char *unescape_dup(const char *s, size_t n, size_t *len)
{
	struct buf b = {0};
	size_t i = 0;

	while (i < n) {
		int hi = i + 3 < n && s[i] == '\\' && s[i + 1] == 'x' ? hex_value(s[i + 2]) : -1;
		int lo = hi >= 0 ? hex_value(s[i + 3]) : -1;
		int c = i + 1 < n && s[i] == '\\' ? simple_escape(s[i + 1]) : -1;
		unsigned char byte;

		if (lo >= 0) {
			byte = (unsigned char)(hi * 16 + lo);
			i += 4;
		} else if (c >= 0) {
			byte = (unsigned char)c;
			i += 2;
		} else {
			byte = (unsigned char)s[i++];
		}
		buf_append(&b, &byte, 1);
	}
	*len = b.len;
	return b.data ? buf_steal(&b) : xstrdup("");
}

size_t escape_shown_len(const char *s, size_t *hidden)
{
	/* The summary escape_bytes wrote, in the language it wrote it in. */
	const char *fmt = _("… (%zu more bytes)");
	const char *conv = strstr(fmt, "%zu");
	size_t n = strlen(s), pre, post, end, start;

	*hidden = 0;
	if (!conv)
		return n;
	pre = (size_t)(conv - fmt);
	post = strlen(conv + 3);
	if (n < pre + post + 1 || memcmp(s + n - post, conv + 3, post) != 0)
		return n;
	end = start = n - post;
	while (start > 0 && s[start - 1] >= '0' && s[start - 1] <= '9')
		start--;
	if (start == end || start < pre || memcmp(s + start - pre, fmt, pre) != 0)
		return n;
	*hidden = (size_t)strtoull(s + start, NULL, 10);
	return start - pre;
}

int utf8_is_text(const void *p, size_t n)
{
	const unsigned char *u = p;

	for (size_t i = 0, k; i < n; i += k) {
		k = utf8_seq_len(u + i, n - i);
		if (!k || (u[i] < 0x20 && u[i] != '\n' && u[i] != '\r' && u[i] != '\t') ||
		    u[i] == 0x7f)
			return 0;
	}
	return 1;
}

/* Bytes nobody types, as printf's format in single quotes: printable
 * ASCII as it is (% doubled, ' closed and reopened), the rest as \ooo. */
char *shell_printf_word(const void *data, size_t n)
{
	const char *p = data;
	struct buf b = {0};

	buf_puts(&b, "'");
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch == '\'')
			buf_puts(&b, "'\\''");
		else if (ch == '%')
			buf_puts(&b, "%%");
		else if (ch == '\\')
			buf_puts(&b, "\\\\");
		else if (ch >= 0x20 && ch < 0x7f)
			buf_append(&b, p + i, 1);
		else
			buf_printf(&b, "\\%03o", ch);
	}
	buf_puts(&b, "'");
	return buf_steal(&b);
}
