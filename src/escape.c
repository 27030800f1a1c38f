/* escape.c - show bytes to a human: valid UTF-8 as text, the rest escaped. */
#include "escape.h"

#include <stdint.h>
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
