/* replay.c - what the checker did in a test, byte for byte and in order. */
#include "replay.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "util.h"

static const char *const names[REPLAY_OP_COUNT] = {
        [REPLAY_START] = "start",       [REPLAY_CONNECT] = "connect", [REPLAY_SOCKET] = "socket",
        [REPLAY_LISTEN] = "listen",     [REPLAY_ACCEPT] = "accept",   [REPLAY_SEND] = "send",
        [REPLAY_SHUTDOWN] = "shutdown", [REPLAY_CLOSE] = "close",     [REPLAY_RESET] = "reset",
        [REPLAY_AWAIT] = "await",       [REPLAY_EXPECT] = "expect",   [REPLAY_INPUT] = "input",
        [REPLAY_HTTP] = "http",         [REPLAY_QUIET] = "quiet",     [REPLAY_STATUS] = "status",
        [REPLAY_HEAD] = "head",
};

const char *replay_op_name(enum replay_op op)
{
	return op < REPLAY_OP_COUNT ? names[op] : "?";
}

static void drop_all(struct replay *rp)
{
	for (size_t i = 0; i < rp->n; i++) {
		free(rp->v[i].conn);
		free(rp->v[i].data);
	}
	free(rp->v);
	rp->v = NULL;
	rp->n = rp->cap = 0;
}

void replay_add(struct replay *rp, long t_ms, enum replay_op op, const char *conn, long num,
                const void *data, size_t len)
{
	struct replay_step *s;

	if (rp->over)
		return;
	if (rp->bytes + len > REPLAY_MAX_BYTES) {
		drop_all(rp);
		rp->over = 1;
		return;
	}
	if (rp->n == rp->cap)
		rp->v = xrealloc(rp->v, (rp->cap = rp->cap ? 2 * rp->cap : 32) * sizeof(*rp->v));
	s = &rp->v[rp->n++];
	s->t_ms = t_ms;
	s->op = op;
	s->conn = conn ? xstrdup(conn) : NULL;
	s->num = num;
	s->len = data ? len : 0;
	s->data = NULL;
	if (data) {
		s->data = xmalloc(len + 1);
		memcpy(s->data, data, len);
		s->data[len] = '\0';
	}
	rp->bytes += s->len;
}

void replay_free(struct replay *rp)
{
	drop_all(rp);
	rp->bytes = 0;
	rp->over = 0;
}

cJSON *replay_to_json(const struct replay *rp)
{
	cJSON *o = cJSON_CreateObject(), *a;

	if (rp->over)
		cJSON_AddTrueToObject(o, "over");
	a = cJSON_AddArrayToObject(o, "steps");
	for (size_t i = 0; i < rp->n; i++) {
		const struct replay_step *s = &rp->v[i];
		cJSON *e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "t_ms", (double)s->t_ms);
		cJSON_AddStringToObject(e, "op", names[s->op]);
		if (s->conn)
			cJSON_AddStringToObject(e, "conn", s->conn);
		if (s->num)
			cJSON_AddNumberToObject(e, "num", (double)s->num);
		if (s->data) {
			char *esc = escape_dup(s->data, s->len, SIZE_MAX);
			cJSON_AddStringToObject(e, "data", esc);
			free(esc);
		}
		cJSON_AddItemToArray(a, e);
	}
	return o;
}

static int op_parse(const char *name)
{
	for (int i = 0; name && i < REPLAY_OP_COUNT; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

int replay_from_json(const cJSON *j, struct replay *rp)
{
	const cJSON *e;

	memset(rp, 0, sizeof(*rp));
	if (!cJSON_IsObject(j))
		return -1;
	rp->over = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "over"));
	cJSON_ArrayForEach (e, cJSON_GetObjectItemCaseSensitive(j, "steps")) {
		int op = op_parse(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "op")));
		const char *conn =
		        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "conn"));
		const char *data =
		        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "data"));
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "t_ms");
		const cJSON *num = cJSON_GetObjectItemCaseSensitive(e, "num");
		size_t len = 0;
		char *raw = data ? unescape_dup(data, strlen(data), &len) : NULL;
		if (op < 0 || !cJSON_IsNumber(t)) {
			free(raw);
			replay_free(rp);
			return -1;
		}
		replay_add(rp, (long)t->valuedouble, (enum replay_op)op, conn,
		           cJSON_IsNumber(num) ? (long)num->valuedouble : 0, raw, len);
		free(raw);
	}
	return 0;
}
