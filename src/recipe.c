/* recipe.c - --repro: a failed test's replay as a Python script the learner runs. */
#include "recipe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "escape.h"
#include "i18n.h"
#include "util.h"

#define INLINE_MAX 4096 /* longer payloads go to a file beside the script */

/* A Python literal for the bytes: 'texto'.encode() when they are text (so
 * a learner can read them), else b'...' with \xNN escapes. */
static void py_bytes(struct buf *b, const char *p, size_t n)
{
	int text = utf8_is_text(p, n);

	buf_puts(b, text ? "'" : "b'");
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch == '\\' || ch == '\'')
			buf_printf(b, "\\%c", ch);
		else if (ch == '\n')
			buf_puts(b, "\\n");
		else if (ch == '\r')
			buf_puts(b, "\\r");
		else if (ch == '\t')
			buf_puts(b, "\\t");
		else if ((ch >= 0x20 && ch < 0x7f) || (text && ch >= 0x80))
			buf_append(b, p + i, 1);
		else
			buf_printf(b, "\\x%02x", ch);
	}
	buf_puts(b, text ? "'.encode()" : "'");
}

static int save(const char *path, const void *p, size_t n, char *err)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		errf(err, "%s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	return 0;
}

/* One step as a Python tuple: (t_ms, op, conn, num, data). */
static int py_step(struct buf *b, const struct replay_step *s, const char *dir, const char *id,
                   int *nfiles, char *err)
{
	char *conn = s->conn ? escape_dup(s->conn, strlen(s->conn), 64) : NULL;

	buf_printf(b, "    (%ld, '%s', %s%s%s, %ld, ", s->t_ms, replay_op_name(s->op),
	           conn ? "'" : "", conn ? conn : "None", conn ? "'" : "", s->num);
	free(conn);
	if (!s->data) {
		buf_puts(b, "None");
	} else if (s->len <= INLINE_MAX) {
		py_bytes(b, s->data, s->len);
	} else {
		char *name = xasprintf("%s-%d.bin", id, ++*nfiles);
		char *path = xasprintf("%s/%s", dir, name);
		int r = save(path, s->data, s->len, err);
		buf_printf(b, "'%s'", name);
		free(path);
		free(name);
		if (r < 0)
			return -1;
	}
	buf_puts(b, "),\n");
	return 0;
}

int recipe_write(const char *dir, const char *player, const struct spec *s,
                 const struct test_result *t, unsigned long long seed, char *err)
{
	size_t plen;
	char *code, *path;
	struct buf b = {0};
	int nfiles = 0, r = 0;

	if (t->replay.over || !t->replay.n) {
		errf(err, "%s",
		     _("what this test does cannot be replayed by hand (it floods a "
		       "connection, or sends megabytes)"));
		return -1;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		errf(err, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!(code = read_file(player, &plen))) {
		errf(err, "%s: %s", player, strerror(errno));
		return -1;
	}
	buf_printf(&b,
	           "#!/usr/bin/env python3\n# %s %s, seed %llu: written by ./checker --repro.\n",
	           s->lesson, t->id, seed);
	buf_append(&b, code, plen);
	free(code);
	buf_printf(&b,
	           "\n\nMETA = {'lesson': '%s', 'test': '%s', 'seed': %llu, 'role': '%s', "
	           "'proto': '%s', 'port': %d}\n\nSTEPS = [\n",
	           s->lesson, t->id, seed, s->program.role == ROLE_CLIENT ? "client" : "server",
	           s->program.proto == PROTO_UDP ? "udp" : "tcp", s->program.port);
	for (size_t i = 0; i < t->replay.n && !r; i++)
		r = py_step(&b, &t->replay.v[i], dir, t->id, &nfiles, err);
	buf_puts(&b, "]\n\nif __name__ == '__main__':\n    sys.exit(main(META, STEPS))\n");
	path = xasprintf("%s/%s.py", dir, t->id);
	if (!r && (r = save(path, b.data, b.len, err)) == 0)
		chmod(path, 0755);
	free(path);
	buf_free(&b);
	return r;
}
