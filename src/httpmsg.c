/* httpmsg.c - the head of an HTTP/1.x message read off a TCP stream, judged by HTTP's rules
 * (RFC 9112): lines end in CRLF, field names are tokens of any case, values may have
 * whitespace around them, fields come in any order. */
#include "httpmsg.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "util.h"

static const char TCHAR[] = "!#$%&'*+-.^_`|~0123456789"
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static int is_token(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!p[i] || !strchr(TCHAR, p[i]))
			return 0;
	return n > 0;
}

/* "HTTP/1.1": HTTP, a slash, a digit, a dot, a digit. */
static int is_version(const char *p, size_t n)
{
	return n == 8 && memcmp(p, "HTTP/", 5) == 0 && p[5] >= '0' && p[5] <= '9' && p[6] == '.' &&
	       p[7] >= '0' && p[7] <= '9';
}

static int start_line(const char *p, size_t n, int request, struct httpmsg *m, const char **why)
{
	const char *sp1 = memchr(p, ' ', n), *sp2;

	if (!sp1)
		goto bad;
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - p));
	if (request) {
		if (!sp2 || !is_token(p, (size_t)(sp1 - p)) || sp2 == sp1 + 1 ||
		    memchr(sp2 + 1, ' ', n - (size_t)(sp2 + 1 - p)) ||
		    !is_version(sp2 + 1, n - (size_t)(sp2 + 1 - p)))
			goto bad;
	} else {
		size_t code = (size_t)((sp2 ? sp2 : p + n) - (sp1 + 1));
		if (!is_version(p, (size_t)(sp1 - p)) || code != 3 ||
		    !isdigit((unsigned char)sp1[1]) || !isdigit((unsigned char)sp1[2]) ||
		    !isdigit((unsigned char)sp1[3]))
			goto bad;
	}
	m->start[0] = xstrndup(p, (size_t)(sp1 - p));
	m->start[1] = xstrndup(sp1 + 1, (size_t)((sp2 ? sp2 : p + n) - (sp1 + 1)));
	m->start[2] = sp2 ? xstrndup(sp2 + 1, n - (size_t)(sp2 + 1 - p)) : xstrdup("");
	return 0;
bad:
	*why = request ? _("the request line is not «METHOD target HTTP/x.y», with one space "
	                   "between the parts")
	               : _("the status line is not «HTTP/x.y code reason»");
	return -1;
}

/* "Name: value": a token, the colon right after it, optional whitespace. */
static int field_line(const char *p, size_t n, struct httpmsg *m, const char **why)
{
	const char *colon = memchr(p, ':', n);
	const char *v, *e = p + n;

	if (n && (p[0] == ' ' || p[0] == '\t')) {
		*why = _("a header line starts with whitespace (an obsolete continuation line)");
		return -1;
	}
	if (!colon || !is_token(p, (size_t)(colon - p))) {
		*why = _("a header line is not «Name: value» (a name without spaces, then a "
		         "colon right after it)");
		return -1;
	}
	for (v = colon + 1; v < e && (*v == ' ' || *v == '\t'); v++)
		;
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	m->names = xrealloc(m->names, (m->n + 1) * sizeof(*m->names));
	m->values = xrealloc(m->values, (m->n + 1) * sizeof(*m->values));
	m->names[m->n] = xstrndup(p, (size_t)(colon - p));
	m->values[m->n] = xstrndup(v, (size_t)(e - v));
	m->n++;
	return 0;
}

int httpmsg_parse(const char *p, size_t len, int request, struct httpmsg *m, const char **why)
{
	size_t pos = 0;
	int line = 0;

	memset(m, 0, sizeof(*m));
	for (;;) {
		const char *nl = memchr(p + pos, '\n', len - pos);
		size_t n;

		if (!nl)
			break;
		n = (size_t)(nl - (p + pos));
		if (n == 0 || p[pos + n - 1] != '\r') {
			*why = _("a line ends in \\n without the \\r before it (HTTP ends every "
			         "line "
			         "in \\r\\n)");
			goto bad;
		}
		n--;
		if (memchr(p + pos, '\r', n) || memchr(p + pos, '\0', n)) {
			*why = _("a line holds a \\r or a \\0 byte before its end");
			goto bad;
		}
		if (n == 0 && line > 0) {
			m->len = pos + 2;
			return HTTPMSG_OK;
		}
		if (line == 0 ? start_line(p + pos, n, request, m, why) < 0
		              : field_line(p + pos, n, m, why) < 0)
			goto bad;
		line++;
		pos += n + 2;
	}
	if (len <= HTTPMSG_MAX_HEAD) {
		httpmsg_free(m);
		return HTTPMSG_MORE;
	}
	*why = _("the head is longer than 64 KiB and has not ended");
bad:
	httpmsg_free(m);
	return HTTPMSG_BAD;
}

void httpmsg_free(struct httpmsg *m)
{
	for (int i = 0; i < 3; i++)
		free(m->start[i]);
	for (size_t i = 0; i < m->n; i++) {
		free(m->names[i]);
		free(m->values[i]);
	}
	free(m->names);
	free(m->values);
	memset(m, 0, sizeof(*m));
}

const char *httpmsg_field(const struct httpmsg *m, const char *name, size_t *count)
{
	const char *v = NULL;

	*count = 0;
	for (size_t i = 0; i < m->n; i++)
		if (strcasecmp(m->names[i], name) == 0) {
			v = m->values[i];
			(*count)++;
		}
	return *count == 1 ? v : NULL;
}

static int element_matches(const char *got, size_t n, const char *want)
{
	size_t w = strlen(want), semi;

	while (n && (*got == ' ' || *got == '\t'))
		got++, n--;
	while (n && (got[n - 1] == ' ' || got[n - 1] == '\t'))
		n--;
	if (n == w && strncasecmp(got, want, n) == 0)
		return 1;
	semi = strcspn(got, ";");
	while (semi && semi < n && (got[semi - 1] == ' ' || got[semi - 1] == '\t'))
		semi--;
	return !strchr(want, ';') && semi < n && semi == w && strncasecmp(got, want, w) == 0;
}

int httpmsg_value_matches(const char *got, const char *want)
{
	if (element_matches(got, strlen(got), want))
		return 1;
	for (const char *p = got;;) {
		size_t n = strcspn(p, ",");
		if (element_matches(p, n, want))
			return 1;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}
