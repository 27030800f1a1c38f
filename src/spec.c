/* spec.c - a lesson's spec.json, validated and turned into plain structs. */
#include "spec.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "i18n.h"
#include "match.h"
#include "tmpl.h"

#define SPEC_MAX_BYTES    (1 << 20)
#define MAX_STEPS         100000
#define DEFAULT_WITHIN_MS 2000
/* A full listen queue drops SYNs, retried after 1 s and 3 s: a server with
 * the classic listen(fd, 5) is slow under 50 clients, not wrong. */
#define DEFAULT_CONNECT_MS 5000
#define DEFAULT_FLOOD_MS   30000
#define DEFAULT_EXIT_MS    5000
#define DEFAULT_READY_MS   3000
#define DEFAULT_TEST_MS    20000
#define DEFAULT_HTTP_MS    5000

/* Parsing context: the file and where we are, for error messages. */
struct ctx {
	const char *file;
	char *err;
	const struct spec *spec; /* what is parsed so far: the steps depend on the protocol */
};

static int fail(struct ctx *c, const char *path, const char *what)
{
	/* TRANSLATORS: file name, JSON path (tests[2].steps[0]), then the problem. */
	errf(c->err, _("%s: %s: %s"), c->file, path, what);
	return -1;
}

static char *path_key(const char *base, const char *key)
{
	return *base ? xasprintf("%s.%s", base, key) : xstrdup(key);
}

static char *path_index(const char *base, size_t i)
{
	return xasprintf("%s[%zu]", base, i);
}

/* Only the keys listed may appear: a typo must not pass silently. */
static int check_keys(struct ctx *c, const cJSON *obj, const char *path, const char *const *allowed)
{
	const cJSON *it;

	cJSON_ArrayForEach (it, obj) {
		const cJSON *prev;
		size_t i;
		for (prev = obj->child; prev != it; prev = prev->next) {
			if (strcmp(prev->string, it->string) == 0) {
				char *p = path_key(path, it->string);
				int r = fail(c, p, _("key given twice"));
				free(p);
				return r;
			}
		}
		for (i = 0; allowed[i]; i++)
			if (strcmp(it->string, allowed[i]) == 0)
				break;
		if (!allowed[i]) {
			char *p = path_key(path, it->string);
			int r = fail(c, p, _("unknown key"));
			free(p);
			return r;
		}
	}
	return 0;
}

static int get_string(struct ctx *c, const cJSON *obj, const char *path, const char *key,
                      int required, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char *p;
	int r;

	if (!v) {
		if (!required)
			return 0;
		p = path_key(path, key);
		r = fail(c, p, _("missing (expected a string)"));
		free(p);
		return r;
	}
	if (!cJSON_IsString(v) || !v->valuestring) {
		p = path_key(path, key);
		r = fail(c, p, _("expected a string"));
		free(p);
		return r;
	}
	*out = xstrdup(v->valuestring);
	return 0;
}

static int get_int(struct ctx *c, const cJSON *obj, const char *path, const char *key, int lo,
                   int hi, int dflt, int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char *p, *what;
	int r;

	if (!v) {
		*out = dflt;
		return 0;
	}
	if (cJSON_IsNumber(v) && v->valuedouble >= lo && v->valuedouble <= hi &&
	    v->valuedouble == (double)(int)v->valuedouble) {
		*out = (int)v->valuedouble;
		return 0;
	}
	p = path_key(path, key);
	what = xasprintf(_("expected a whole number from %d to %d"), lo, hi);
	r = fail(c, p, what);
	free(what);
	free(p);
	return r;
}

static int get_bool(struct ctx *c, const cJSON *obj, const char *path, const char *key, int dflt,
                    int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char *p;
	int r;

	if (!v) {
		*out = dflt;
		return 0;
	}
	if (cJSON_IsBool(v)) {
		*out = cJSON_IsTrue(v);
		return 0;
	}
	p = path_key(path, key);
	r = fail(c, p, _("expected true or false"));
	free(p);
	return r;
}

static void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static void strv_push(struct strv *s, const char *str)
{
	s->v = xrealloc(s->v, (s->n + 2) * sizeof(char *));
	s->v[s->n++] = xstrdup(str);
	s->v[s->n] = NULL;
}

/* A JSON list of strings at path into out. */
static int strv_from(struct ctx *c, const cJSON *v, const char *path, struct strv *out)
{
	const cJSON *it;

	if (!cJSON_IsArray(v))
		return fail(c, path, _("expected a list of strings"));
	cJSON_ArrayForEach (it, v) {
		if (!cJSON_IsString(it)) {
			char *ip = path_index(path, out->n);
			int r = fail(c, ip, _("expected a string"));
			free(ip);
			return r;
		}
		strv_push(out, it->valuestring);
	}
	return 0;
}

static int get_strv(struct ctx *c, const cJSON *obj, const char *path, const char *key,
                    int required, struct strv *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char *p = path_key(path, key);
	int r = 0;

	if (!v) {
		if (required)
			r = fail(c, p, _("missing (expected a list of strings)"));
	} else {
		r = strv_from(c, v, p, out);
	}
	free(p);
	return r;
}

static int check_template(struct ctx *c, const char *path, const char *text)
{
	char terr[ERR_LEN];

	if (tmpl_check(text, terr) == 0)
		return 0;
	return fail(c, path, terr);
}

static const struct {
	const char *name;
	int sig;
} signals[] = {
        {"SIGINT", SIGINT},
        {"SIGTERM", SIGTERM},
        {"SIGKILL", SIGKILL},
        {"SIGHUP", SIGHUP},
};

static int parse_signal(const char *name)
{
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		if (strcmp(signals[i].name, name) == 0)
			return signals[i].sig;
	return 0;
}

static const char *const kind_names[] = {
        [STEP_START] = "start",   [STEP_STOP] = "stop",           [STEP_CONNECT] = "connect",
        [STEP_SEND] = "send",     [STEP_EXPECT] = "expect",       [STEP_CLOSE] = "close",
        [STEP_RESET] = "reset",   [STEP_ACCEPT] = "accept",       [STEP_SHUTDOWN] = "shutdown",
        [STEP_CLOSED] = "closed", [STEP_EXIT] = "exit",           [STEP_STDOUT] = "stdout",
        [STEP_STDERR] = "stderr", [STEP_QUIET] = "quiet",         [STEP_SOCKET] = "socket",
        [STEP_INPUT] = "input",   [STEP_BLACKHOLE] = "blackhole", [STEP_THREADS] = "threads",
        [STEP_HTTP] = "http",     [STEP_FLOOD] = "flood",
};
#define N_KINDS (sizeof(kind_names) / sizeof(kind_names[0]))

const char *step_kind_name(enum step_kind k)
{
	return kind_names[k];
}

/* The action key of a step object: exactly one of kind_names or "for". */
static int step_action(struct ctx *c, const cJSON *o, const char *path, int *kind)
{
	int found = 0;

	*kind = -1;
	for (size_t k = 0; k < N_KINDS; k++) {
		if (cJSON_GetObjectItemCaseSensitive(o, kind_names[k])) {
			*kind = (int)k;
			found++;
		}
	}
	if (cJSON_GetObjectItemCaseSensitive(o, "for"))
		found++;
	if (found == 1)
		return 0;
	return fail(c, path,
	            found ? _("a step has more than one action")
	                  : _("missing action (one of start, stop, connect, socket, accept, send, "
	                      "expect, shutdown, close, reset, closed, quiet, input, blackhole, "
	                      "threads, http, exit, stdout, stderr, for)"));
}

struct steps {
	struct step *v;
	size_t n;
	size_t cap;
};

static void step_free(struct step *s)
{
	free(s->path);
	free(s->conn);
	free(s->text);
	free(s->port);
	free(s->to);
	free(s->prefixed);
	free(s->until);
	free(s->regex);
	free(s->shown);
	free(s->stdin_text);
	strv_free(&s->args);
	strv_free(&s->fragments);
	for (size_t i = 0; i < s->nseqs; i++)
		strv_free(&s->seqs[i]);
	free(s->seqs);
	if (s->http) {
		free(s->http->method);
		free(s->http->path);
		strv_free(&s->http->send);
		strv_free(&s->http->headers);
		free(s->http->body_file);
		free(s->http->body_not);
		free(s->http);
	}
}

static int fail_key(struct ctx *c, const char *path, const char *key, const char *what)
{
	char *p = path_key(path, key);
	int r = fail(c, p, what);

	free(p);
	return r;
}

/* "shown": a regex's words for the learner, who never sees it raw. A regex
 * that is more than text with anchors and placeholders (match_readable)
 * must have them. */
static int get_shown(struct ctx *c, const cJSON *o, const char *path, const char *re, char **out)
{
	char *auto_words;

	if (get_string(c, o, path, "shown", 0, out))
		return -1;
	if (*out && !re)
		return fail_key(c, path, "shown", _("only a step with a regex takes shown"));
	if (*out || !re)
		return 0;
	auto_words = match_readable(re);
	free(auto_words);
	return auto_words ? 0
	                  : fail(c, path,
	                         _("this regex is more than text: give its words for the learner "
	                           "in \"shown\""));
}

/* A POSIX extended regex that compiles. */
static int get_regex(struct ctx *c, const cJSON *o, const char *path, char **out)
{
	regex_t re;
	int rc;

	if (get_string(c, o, path, "regex", 0, out) || !*out)
		return *out ? -1 : 0;
	rc = regcomp(&re, *out, REG_EXTENDED | REG_NOSUB);
	if (rc == 0) {
		regfree(&re);
		return 0;
	}
	return fail_key(c, path, "regex", _("not a valid extended regular expression"));
}

static int parse_start(struct ctx *c, const cJSON *o, const char *path, struct step *s)
{
	static const char *const keys[] = {"args", "port", "stdin", "within_ms", "listens", NULL};
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "start");
	int listens = 1;
	char *p = path_key(path, "start");
	int r;

	if (!cJSON_IsObject(v)) {
		r = fail(c, p, _("expected an object such as {\"args\": [\"{port}\"]}"));
		free(p);
		return r;
	}
	s->has_args = cJSON_GetObjectItemCaseSensitive(v, "args") != NULL;
	r = check_keys(c, v, p, keys);
	if (!r)
		r = get_strv(c, v, p, "args", 0, &s->args);
	if (!r)
		r = get_string(c, v, p, "port", 0, &s->port);
	if (!r)
		r = get_string(c, v, p, "stdin", 0, &s->stdin_text);
	if (!r && s->stdin_text && strlen(s->stdin_text) > 60000)
		r = fail_key(c, p, "stdin", _("longer than 60000 bytes"));
	if (!r)
		r = get_int(c, v, p, "within_ms", 1, 60000, DEFAULT_READY_MS, &s->within_ms);
	if (!r)
		r = get_bool(c, v, p, "listens", 1, &listens);
	s->no_listen = !listens;
	free(p);
	return r;
}

static int parse_stop(struct ctx *c, const cJSON *o, const char *path, struct step *s)
{
	static const char *const keys[] = {"stop", "within_ms", "max_cpu_ms", NULL};
	char *sig = NULL;
	int r = check_keys(c, o, path, keys);

	if (!r)
		r = get_string(c, o, path, "stop", 1, &sig);
	if (!r && !(s->signal = parse_signal(sig)))
		r = fail_key(c, path, "stop",
		             _("expected a signal name: SIGINT, SIGTERM, SIGKILL or SIGHUP"));
	free(sig);
	if (!r)
		r = get_int(c, o, path, "max_cpu_ms", 0, 60000, 0, &s->max_cpu_ms);
	if (!r)
		r = get_int(c, o, path, "within_ms", 1, 60000, DEFAULT_WITHIN_MS, &s->within_ms);
	return r;
}

/* {"exit": 0}, {"exit": "nonzero"} or {"exit": "any"}. */
static int parse_exit(struct ctx *c, const cJSON *o, const char *path, struct step *s)
{
	static const char *const keys[] = {"exit", "within_ms", "not_before_ms", "max_cpu_ms",
	                                   NULL};
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "exit");
	int r = check_keys(c, o, path, keys);

	if (r)
		return r;
	if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= 255 &&
	    v->valuedouble == (double)(int)v->valuedouble) {
		s->exit_want = EXIT_CODE;
		s->exit_code = (int)v->valuedouble;
	} else if (cJSON_IsString(v) && strcmp(v->valuestring, "nonzero") == 0) {
		s->exit_want = EXIT_NONZERO;
	} else if (cJSON_IsString(v) && strcmp(v->valuestring, "any") == 0) {
		s->exit_want = EXIT_ANY;
	} else {
		return fail_key(c, path, "exit",
		                _("expected a status from 0 to 255, \"nonzero\" or \"any\""));
	}
	if (get_int(c, o, path, "not_before_ms", 0, 60000, 0, &s->not_before_ms) ||
	    get_int(c, o, path, "max_cpu_ms", 0, 60000, 0, &s->max_cpu_ms))
		return -1;
	return get_int(c, o, path, "within_ms", 1, 60000, DEFAULT_EXIT_MS, &s->within_ms);
}

/* {"stdout": "text", "match": "lines"} or {"stdout": "", "regex": "..."}. */
static int parse_output(struct ctx *c, const cJSON *o, const char *path, struct step *s)
{
	static const char *const keys[] = {"stdout", "stderr",    "match", "regex",
	                                   "shown",  "within_ms", NULL};
	static const char *const modes[] = {"exact", "contains", "regex", "lines", NULL};
	char *mode = NULL;
	int r = check_keys(c, o, path, keys);

	if (!r)
		r = get_string(c, o, path, kind_names[s->kind], 1, &s->text);
	if (!r)
		r = get_string(c, o, path, "match", 0, &mode);
	s->mode = MODE_LINES;
	if (!r && mode) {
		size_t i;
		for (i = 0; modes[i] && strcmp(modes[i], mode) != 0; i++)
			;
		if (modes[i])
			s->mode = (enum match_mode)i;
		else
			r = fail_key(c, path, "match",
			             _("expected exact, contains, regex or lines"));
	}
	free(mode);
	if (!r && s->mode == MODE_REGEX) {
		regex_t re;
		if (regcomp(&re, s->text, REG_EXTENDED | REG_NOSUB) != 0)
			r = fail_key(c, path, kind_names[s->kind],
			             _("not a valid extended regular expression"));
		else
			regfree(&re);
	}
	if (!r)
		r = get_shown(c, o, path, s->mode == MODE_REGEX ? s->text : NULL, &s->shown);
	if (!r)
		r = get_int(c, o, path, "within_ms", 1, 60000, DEFAULT_EXIT_MS, &s->within_ms);
	return r;
}

static int parse_send(struct ctx *c, const cJSON *o, const char *path, struct step *s)
{
	static const char *const keys[] = {"send",     "text",      "fragments", "pause_ms",
	                                   "delay_ms", "within_ms", NULL};
	int has_text = cJSON_GetObjectItemCaseSensitive(o, "text") != NULL;
	int r = check_keys(c, o, path, keys);

	if (!r && has_text == (cJSON_GetObjectItemCaseSensitive(o, "fragments") != NULL))
		r = fail(c, path, _("a send step has either text or fragments"));
	if (!r)
		r = get_string(c, o, path, "text", 0, &s->text);
	if (!r)
		r = get_strv(c, o, path, "fragments", 0, &s->fragments);
	for (size_t i = 0; !r && i < s->fragments.n; i++)
		r = check_template(c, path, s->fragments.v[i]);
	if (!r)
		r = get_int(c, o, path, "pause_ms", 0, 5000, 0, &s->pause_ms);
	if (!r)
		r = get_int(c, o, path, "delay_ms", 0, 10000, 0, &s->delay_ms);
	return r;
}

/* Copy a JSON subtree with {var} replaced by value in every string. */
static cJSON *subst_tree(const cJSON *node, const char *var, const char *value)
{
	cJSON *copy = cJSON_Duplicate(node, 1);
	cJSON *stack[64];
	size_t top = 0;

	stack[top++] = copy;
	while (top) {
		cJSON *n = stack[--top], *it;
		cJSON_ArrayForEach (it, n) {
			if (cJSON_IsString(it)) {
				char *s = tmpl_subst(it->valuestring, var, value);
				cJSON_SetValuestring(it, s);
				free(s);
			} else if ((cJSON_IsArray(it) || cJSON_IsObject(it)) && top < 64) {
				stack[top++] = it;
			}
		}
	}
	return copy;
}

/* A loop bound: a number, or text that a surrounding loop turned into one
 * ("to": "{i}" inside a loop over i). */
static int get_bound(struct ctx *c, const cJSON *o, const char *path, const char *key, int dflt,
                     int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	char *end = NULL;
	long n;

	if (!cJSON_IsString(v))
		return get_int(c, o, path, key, 0, 10000, dflt, out);
	n = strtol(v->valuestring, &end, 10);
	if (end == v->valuestring || *end || n < 0 || n > 10000)
		return fail_key(c, path, key, _("expected a whole number from 0 to 10000"));
	*out = (int)n;
	return 0;
}

/* The head of a loop: {"for": "i", "from": 1, "to": 50, "do": [...]}. */
static int parse_loop_head(struct ctx *c, const cJSON *o, const char *path, char **var, int *from,
                           int *to)
{
	static const char *const keys[] = {"for", "from", "to", "do", NULL};
	int r = check_keys(c, o, path, keys);

	if (!r)
		r = get_string(c, o, path, "for", 1, var);
	if (!r)
		r = get_bound(c, o, path, "from", 1, from);
	if (!r && !cJSON_GetObjectItemCaseSensitive(o, "to"))
		r = fail_key(c, path, "to", _("missing (expected a whole number)"));
	if (!r)
		r = get_bound(c, o, path, "to", 0, to);
	if (!r && !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(o, "do")))
		r = fail_key(c, path, "do", _("expected a list"));
	return r;
}

/* One sequence of lines for an interleaved expect. */
static int add_seq(struct ctx *c, const cJSON *v, const char *path, struct step *s)
{
	struct strv seq = {0};
	int r = strv_from(c, v, path, &seq);

	if (!r && seq.n == 0)
		r = fail(c, path, _("expected at least one line"));
	for (size_t i = 0; !r && i < seq.n; i++)
		r = check_template(c, path, seq.v[i]);
	if (r) {
		strv_free(&seq);
		return r;
	}
	s->seqs = xrealloc(s->seqs, (s->nseqs + 1) * sizeof(*s->seqs));
	s->seqs[s->nseqs++] = seq;
	return 0;
}

/* "interleaved": [["a", "b"], ["c"]], or one sequence per value of a loop:
 * {"for": "s", "from": 1, "to": 20, "do": ["{apodo_{s}}: hola"]}. */
static int parse_interleaved(struct ctx *c, const cJSON *v, const char *path, struct step *s)
{
	char *var = NULL;
	int from = 1, to = 0, r = 0;

	if (cJSON_IsArray(v)) {
		const cJSON *seq;
		size_t i = 0;
		cJSON_ArrayForEach (seq, v) {
			char *ip = path_index(path, i++);
			r = add_seq(c, seq, ip, s);
			free(ip);
			if (r)
				return r;
		}
	} else if (!cJSON_IsObject(v)) {
		return fail(c, path, _("expected a list of lists of lines, or a for loop"));
	} else if (!(r = parse_loop_head(c, v, path, &var, &from, &to))) {
		char *dp = path_key(path, "do");
		for (int i = from; !r && i <= to; i++) {
			char num[16];
			cJSON *copy;

			snprintf(num, sizeof(num), "%d", i);
			copy = subst_tree(cJSON_GetObjectItemCaseSensitive(v, "do"), var, num);
			r = add_seq(c, copy, dp, s);
			cJSON_Delete(copy);
		}
		free(dp);
	}
	free(var);
	if (!r && s->nseqs == 0)
		r = fail(c, path, _("expected at least one line"));
	return r;
}

/* A path inside the work folder: relative, without "..", not empty. */
static int check_relative(struct ctx *c, const char *path, const char *rel)
{
	const char *p = rel;

	if (!*rel || *rel == '/')
		return fail(c, path, _("expected a relative path inside the work folder"));
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 2 && p[0] == '.' && p[1] == '.') || (n == 1 && p[0] == '.'))
			return fail(c, path, _("expected a relative path inside the work folder"));
		p += n + (p[n] == '/');
	}
	return 0;
}

/* "status": 200, or a list of the codes that are right ([403, 404]). */
static int parse_statuses(struct ctx *c, const cJSON *o, const char *path, struct http_step *h)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "status"), *it;
	char *p = path_key(path, "status");
	int r = 0;

	if (cJSON_IsNumber(v)) {
		v = cJSON_GetObjectItemCaseSensitive(o, "status");
		h->status[h->nstatus++] = (int)v->valuedouble;
	} else if (cJSON_IsArray(v) && cJSON_GetArraySize(v) > 0 &&
	           cJSON_GetArraySize(v) <= MAX_STATUSES) {
		cJSON_ArrayForEach (it, v)
			h->status[h->nstatus++] = cJSON_IsNumber(it) ? (int)it->valuedouble : 0;
	} else if (v) {
		r = fail(c, p, _("expected a status code, or a list of up to 4"));
	}
	for (int i = 0; !r && i < h->nstatus; i++)
		if (h->status[i] < 100 || h->status[i] > 599)
			r = fail(c, p, _("expected status codes from 100 to 599"));
	free(p);
	return r;
}

/* "headers": {"Content-Type": "text/html"}: names and the values expected. */
static int parse_resp_headers(struct ctx *c, const cJSON *o, const char *path, struct http_step *h)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "headers"), *it;
	char *p = path_key(path, "headers");
	int r = 0;

	if (v && !cJSON_IsObject(v))
		r = fail(c, p, _("expected an object of header names and values"));
	cJSON_ArrayForEach (it, v) {
		if (r)
			break;
		if (!cJSON_IsString(it) || !*it->string || strpbrk(it->string, ": \t\r\n"))
			r = fail(c, p, _("expected an object of header names and values"));
		else if (!(r = check_template(c, p, it->valuestring))) {
			strv_push(&h->headers, it->string);
			strv_push(&h->headers, it->valuestring);
		}
	}
	free(p);
	return r;
}

/* An HTTP message read off the connection, judged as HTTP:
 * "request": {"method": "GET", "target": "/", "headers": {...}}, or
 * "response": {"status": 200, "headers": {...}, "body": "...", "head": true}. */
static int parse_httpmsg(struct ctx *c, const cJSON *o, const char *path, struct step *s, int msg)
{
	static const char *const rq_keys[] = {"method", "target", "headers", NULL};
	static const char *const rs_keys[] = {"status", "headers", "body", "head", NULL};
	struct http_step *h = s->http = xcalloc(1, sizeof(*h));
	int r;

	h->msg = msg;
	if (!cJSON_IsObject(o))
		return fail(c, path, _("expected an object"));
	r = check_keys(c, o, path, msg == HTTP_MSG_REQUEST ? rq_keys : rs_keys);
	if (!r && msg == HTTP_MSG_REQUEST) {
		r = get_string(c, o, path, "method", 1, &h->method);
		if (!r)
			r = get_string(c, o, path, "target", 1, &h->path);
		if (!r)
			r = check_template(c, path, h->path);
	} else if (!r) {
		r = parse_statuses(c, o, path, h);
		if (!r)
			r = get_string(c, o, path, "body", 0, &s->text);
		if (!r && s->text)
			r = check_template(c, path, s->text);
		if (!r)
			r = get_bool(c, o, path, "head", 0, &h->no_body);
	}
	if (!r)
		r = parse_resp_headers(c, o, path, h);
	return r;
}

static int parse_expect(struct ctx *c, const cJSON *o, const char *path, struct step *s)
{
	static const char *const keys[] = {"expect",  "text",        "until",    "regex",
	                                   "shown",   "interleaved", "prefixed", "within_ms",
	                                   "request", "response",    NULL};
	const cJSON *lines = cJSON_GetObjectItemCaseSensitive(o, "interleaved");
	const cJSON *rq = cJSON_GetObjectItemCaseSensitive(o, "request");
	const cJSON *rs = cJSON_GetObjectItemCaseSensitive(o, "response");
	int r = check_keys(c, o, path, keys);

	if (!r && (rq || rs)) {
		char *p = path_key(path, rq ? "request" : "response");
		if (rq && rs)
			r = fail(c, path, _("an expect step has either request or response"));
		else
			r = parse_httpmsg(c, rq ? rq : rs, p, s,
			                  rq ? HTTP_MSG_REQUEST : HTTP_MSG_RESPONSE);
		free(p);
		if (!r &&
		    cJSON_GetArraySize(o) > 2 + !!cJSON_GetObjectItemCaseSensitive(o, "within_ms"))
			r = fail(c, path,
			         _("an expect step with request or response takes only "
			           "within_ms besides"));
		return r;
	}

	if (!r)
		r = get_string(c, o, path, "text", 0, &s->text);
	if (!r)
		r = get_string(c, o, path, "until", 0, &s->until);
	if (!r && s->until && !*s->until)
		r = fail_key(c, path, "until", _("expected a non-empty delimiter"));
	if (!r)
		r = get_regex(c, o, path, &s->regex);
	if (!r)
		r = get_shown(c, o, path, s->regex, &s->shown);
	if (!r)
		r = get_string(c, o, path, "prefixed", 0, &s->prefixed);
	if (!r && s->prefixed && (!s->text || s->until || !*s->prefixed))
		r = fail_key(c, path, "prefixed",
		             _("expected a non-empty prefix, with text and without until"));
	if (!r && lines) {
		char *p = path_key(path, "interleaved");
		r = parse_interleaved(c, lines, p, s);
		free(p);
	}
	if (!r && (!!s->text + !!s->regex + !!lines != 1 || (lines && s->until)))
		r = fail(c, path,
		         _("an expect step has either text, regex or interleaved (lines end at "
		           "\\n: no until)"));
	return r;
}

/* {"http": "GET", "path": "/", "status": 200, "headers": {...}, "body_file": ...} */
static int parse_http(struct ctx *c, const cJSON *o, const char *path, struct step *s)
{
	static const char *const keys[] = {
	        "http",      "path",     "port",  "send_headers", "status",    "headers", "body",
	        "body_file", "body_not", "reuse", "parallel",     "within_ms", NULL};
	struct http_step *h = s->http = xcalloc(1, sizeof(*h));
	int r = check_keys(c, o, path, keys);

	if (!r)
		r = get_string(c, o, path, "http", 1, &h->method);
	if (!r &&
	    (!*h->method || strspn(h->method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(h->method)))
		r = fail_key(c, path, "http", _("expected a method in capitals, such as GET"));
	if (!r)
		r = get_string(c, o, path, "path", 1, &h->path);
	if (!r && h->path[0] != '/')
		r = fail_key(c, path, "path", _("expected a path that starts with /"));
	if (!r)
		r = check_template(c, path, h->path);
	if (!r)
		r = get_string(c, o, path, "port", 0, &s->port);
	if (!r)
		r = get_strv(c, o, path, "send_headers", 0, &h->send);
	for (size_t i = 0; !r && i < h->send.n; i++)
		r = check_template(c, path, h->send.v[i]);
	if (!r)
		r = parse_statuses(c, o, path, h);
	if (!r)
		r = parse_resp_headers(c, o, path, h);
	if (!r)
		r = get_string(c, o, path, "body", 0, &s->text);
	if (!r)
		r = get_string(c, o, path, "body_file", 0, &h->body_file);
	if (!r && h->body_file)
		r = check_relative(c, path, h->body_file);
	if (!r && h->body_file && s->text)
		r = fail(c, path, _("an http step has either body or body_file"));
	if (!r)
		r = get_string(c, o, path, "body_not", 0, &h->body_not);
	if (!r && h->body_not)
		r = check_template(c, path, h->body_not);
	if (!r)
		r = get_bool(c, o, path, "reuse", 0, &h->reuse);
	if (!r)
		r = get_int(c, o, path, "parallel", 1, 64, 1, &h->parallel);
	if (!r)
		r = get_int(c, o, path, "within_ms", 1, 60000, DEFAULT_HTTP_MS, &s->within_ms);
	return r;
}

static int parse_step_fields(struct ctx *c, const cJSON *o, const char *path, struct step *s)
{
	static const char *const connect_keys[] = {"connect", "port", "read", "within_ms", NULL};
	static const char *const conn_keys[] = {"close", "reset",     "closed", "shutdown",
	                                        "quiet", "within_ms", NULL};
	static const char *const accept_keys[] = {"accept", "read", "within_ms", NULL};
	static const char *const threads_keys[] = {"threads", "within_ms", NULL};
	static const char *const blackhole_keys[] = {"blackhole", NULL};
	static const char *const start_keys[] = {"start", NULL};
	static const char *const socket_keys[] = {"socket", "port", "to", NULL};
	static const char *const input_keys[] = {"input", "end", "within_ms", NULL};
	static const char *const flood_keys[] = {"flood", "bound_kb", "stall_ms", "within_ms",
	                                         NULL};
	int r = 0, dflt = DEFAULT_WITHIN_MS;

	switch (s->kind) {
	case STEP_START:
		return check_keys(c, o, path, start_keys) ? -1 : parse_start(c, o, path, s);
	case STEP_STOP:
		return parse_stop(c, o, path, s);
	case STEP_EXIT:
		return parse_exit(c, o, path, s);
	case STEP_STDOUT:
	case STEP_STDERR:
		return parse_output(c, o, path, s);
	case STEP_SEND:
		r = parse_send(c, o, path, s);
		break;
	case STEP_EXPECT:
		r = parse_expect(c, o, path, s);
		break;
	case STEP_CONNECT:
		r = check_keys(c, o, path, connect_keys);
		dflt = DEFAULT_CONNECT_MS;
		break;
	case STEP_HTTP:
		return parse_http(c, o, path, s);
	case STEP_THREADS:
		r = check_keys(c, o, path, threads_keys);
		if (!r)
			r = get_int(c, o, path, "threads", 1, 10000, 1, &s->count);
		return r ? r : get_int(c, o, path, "within_ms", 1, 60000, dflt, &s->within_ms);
	case STEP_BLACKHOLE:
		r = check_keys(c, o, path, blackhole_keys);
		return r ? r : get_string(c, o, path, "blackhole", 1, &s->port);
	case STEP_ACCEPT:
		r = check_keys(c, o, path, accept_keys);
		dflt = DEFAULT_CONNECT_MS;
		break;
	case STEP_INPUT:
		r = check_keys(c, o, path, input_keys);
		if (!r)
			r = get_string(c, o, path, "input", 1, &s->text);
		if (!r)
			r = get_bool(c, o, path, "end", 0, &s->end);
		return r ? r : get_int(c, o, path, "within_ms", 1, 60000, dflt, &s->within_ms);
	case STEP_FLOOD:
		r = check_keys(c, o, path, flood_keys);
		if (!r)
			r = get_int(c, o, path, "bound_kb", 1, 65536, 1024, &s->count);
		if (!r)
			r = get_int(c, o, path, "stall_ms", 100, 10000, 1000, &s->pause_ms);
		dflt = DEFAULT_FLOOD_MS;
		break;
	case STEP_SOCKET:
		r = check_keys(c, o, path, socket_keys);
		if (!r)
			r = get_string(c, o, path, "to", 0, &s->to);
		if (!r && s->to && cJSON_GetObjectItemCaseSensitive(o, "port"))
			r = fail(c, path, _("a socket step has either port or to"));
		break;
	default:
		r = check_keys(c, o, path, conn_keys);
	}
	if (!r)
		r = get_string(c, o, path, kind_names[s->kind], 1, &s->conn);
	if (!r)
		r = get_int(c, o, path, "within_ms", 1, 60000, dflt, &s->within_ms);
	if (!r && (s->kind == STEP_CONNECT || s->kind == STEP_SOCKET))
		r = get_string(c, o, path, "port", 0, &s->port);
	if (!r && (s->kind == STEP_CONNECT || s->kind == STEP_ACCEPT)) {
		int reads = 1;
		r = get_bool(c, o, path, "read", 1, &reads);
		s->no_read = !reads;
	}
	return r;
}

static int parse_steps(struct ctx *c, const cJSON *arr, const char *path, struct steps *out);

/* {"for": "i", "from": 1, "to": 50, "do": [...]}: unrolled at load time. */
static int parse_for(struct ctx *c, const cJSON *o, const char *path, struct steps *out)
{
	const cJSON *body = cJSON_GetObjectItemCaseSensitive(o, "do");
	char *var = NULL, *dp = path_key(path, "do");
	int from = 1, to = 0;
	int r = parse_loop_head(c, o, path, &var, &from, &to);

	for (int i = from; !r && i <= to; i++) {
		char num[16];
		cJSON *copy;

		snprintf(num, sizeof(num), "%d", i);
		copy = subst_tree(body, var, num);
		r = parse_steps(c, copy, dp, out);
		cJSON_Delete(copy);
	}
	free(dp);
	free(var);
	return r;
}

/* Datagrams have no connection to open, cut or half-close, and no stream
 * to read up to a delimiter or line by line; a TCP lesson has no datagram
 * sockets; typing needs a standard input left open. */
static int check_context(struct ctx *c, const char *path, const struct step *s)
{
	int udp = c->spec->program.proto == PROTO_UDP;
	int tcp_only = s->kind == STEP_CONNECT || s->kind == STEP_RESET ||
	               s->kind == STEP_SHUTDOWN || s->kind == STEP_CLOSED ||
	               s->kind == STEP_BLACKHOLE || s->kind == STEP_FLOOD || s->prefixed ||
	               s->no_read;

	if (udp && (tcp_only || s->until || s->nseqs || s->http))
		return fail(c, path,
		            _("not for a UDP lesson (datagrams have no connection: open a "
		              "socket, send and expect whole datagrams)"));
	if (!udp && s->kind == STEP_SOCKET)
		return fail(c, path, _("a socket step needs \"proto\": \"udp\" in program"));
	if (s->kind == STEP_INPUT && !c->spec->program.keep_stdin)
		return fail(c, path, _("an input step needs \"stdin\": \"open\" in program"));
	return 0;
}

static int parse_step(struct ctx *c, const cJSON *o, const char *path, struct steps *out)
{
	struct step s = {0};
	int kind;

	if (!cJSON_IsObject(o))
		return fail(c, path, _("expected an object"));
	if (step_action(c, o, path, &kind) < 0)
		return -1;
	if (kind < 0)
		return parse_for(c, o, path, out);
	if (out->n >= MAX_STEPS)
		return fail(c, path, _("too many steps in one test"));
	s.kind = (enum step_kind)kind;
	s.path = xstrdup(path);
	if (parse_step_fields(c, o, path, &s) < 0 || check_context(c, path, &s) < 0 ||
	    (s.text && s.mode != MODE_REGEX && check_template(c, path, s.text) < 0) ||
	    (s.until && check_template(c, path, s.until) < 0) ||
	    (s.stdin_text && check_template(c, path, s.stdin_text) < 0) ||
	    (s.port && check_template(c, path, s.port) < 0)) {
		step_free(&s);
		return -1;
	}
	for (size_t i = 0; i < s.args.n; i++) {
		if (check_template(c, path, s.args.v[i]) < 0) {
			step_free(&s);
			return -1;
		}
	}
	if (out->n == out->cap) {
		out->cap = out->cap ? 2 * out->cap : 8;
		out->v = xrealloc(out->v, out->cap * sizeof(struct step));
	}
	out->v[out->n++] = s;
	return 0;
}

static int parse_steps(struct ctx *c, const cJSON *arr, const char *path, struct steps *out)
{
	const cJSON *it;
	size_t i = 0;

	cJSON_ArrayForEach (it, arr) {
		char *p = path_index(path, i++);
		int r = parse_step(c, it, p, out);
		free(p);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* hint_for: the causes (causes.def) the test's hint is right for. */
static int get_causes(struct ctx *c, const cJSON *o, const char *path, struct strv *out)
{
	int r = get_strv(c, o, path, "hint_for", 0, out);

	for (size_t i = 0; !r && i < out->n; i++)
		if (cause_parse(out->v[i]) == CAUSE_NONE) {
			char *p = path_key(path, "hint_for");
			char *ip = path_index(p, i);
			r = fail(c, ip, _("not a known cause (see src/causes.def)"));
			free(ip);
			free(p);
		}
	return r;
}

static int parse_test(struct ctx *c, const cJSON *o, const char *path, struct test *t)
{
	static const char *const keys[] = {"id",     "name",      "hint",       "hint_for",
	                                   "points", "autostart", "timeout_ms", "unread_ok",
	                                   "steps",  NULL};
	const cJSON *steps = cJSON_GetObjectItemCaseSensitive(o, "steps");
	struct steps st = {0};
	char *sp;
	int r;

	if (!cJSON_IsObject(o))
		return fail(c, path, _("expected an object"));
	r = check_keys(c, o, path, keys);
	if (!r)
		r = get_string(c, o, path, "id", 1, &t->id);
	if (!r)
		r = get_string(c, o, path, "name", 1, &t->name);
	if (!r)
		r = get_string(c, o, path, "hint", 0, &t->hint);
	if (!r)
		r = get_causes(c, o, path, &t->hint_for);
	if (!r)
		r = get_int(c, o, path, "points", 0, 1000, 1, &t->points);
	if (!r)
		r = get_bool(c, o, path, "autostart", 1, &t->autostart);
	if (!r)
		r = get_bool(c, o, path, "unread_ok", 0, &t->unread_ok);
	if (!r)
		r = get_int(c, o, path, "timeout_ms", 100, 300000, DEFAULT_TEST_MS, &t->timeout_ms);
	if (r)
		return r;
	sp = path_key(path, "steps");
	if (!cJSON_IsArray(steps) || cJSON_GetArraySize(steps) == 0)
		r = fail(c, sp, _("expected a non-empty list of steps"));
	else
		r = parse_steps(c, steps, sp, &st);
	free(sp);
	t->steps = st.v;
	t->nsteps = st.n;
	return r;
}

static int parse_tests(struct ctx *c, const cJSON *root, struct spec *s)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "tests");
	const cJSON *it;

	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
		return fail(c, "tests", _("expected a non-empty list of tests"));
	s->tests = xcalloc((size_t)cJSON_GetArraySize(arr), sizeof(struct test));
	cJSON_ArrayForEach (it, arr) {
		char *p = path_index("tests", s->ntests);
		struct test *t = &s->tests[s->ntests++];
		int r = parse_test(c, it, p, t);

		for (size_t j = 0; !r && j + 1 < s->ntests; j++)
			if (strcmp(s->tests[j].id, t->id) == 0)
				r = fail(c, p, _("duplicate test id"));
		free(p);
		if (r)
			return r;
		s->max_score += t->points;
	}
	return 0;
}

static int parse_build(struct ctx *c, const cJSON *root, struct spec *s)
{
	static const char *const keys[] = {"sources", "output", "cflags", "ldflags", NULL};
	const cJSON *b = cJSON_GetObjectItemCaseSensitive(root, "build");
	int r;

	if (!cJSON_IsObject(b))
		return fail(c, "build", _("missing (expected an object)"));
	r = check_keys(c, b, "build", keys);
	if (!r)
		r = get_strv(c, b, "build", "sources", 1, &s->build.sources);
	if (!r && s->build.sources.n == 0)
		r = fail(c, "build.sources", _("expected at least one source file"));
	for (size_t i = 0; !r && i < s->build.sources.n; i++)
		if (strchr(s->build.sources.v[i], '/') || s->build.sources.v[i][0] == '.' ||
		    !s->build.sources.v[i][0])
			r = fail(c, "build.sources",
			         _("expected file names, without '/' and not starting with '.'"));
	if (!r)
		r = get_string(c, b, "build", "output", 1, &s->build.output);
	if (!r &&
	    (strchr(s->build.output, '/') || s->build.output[0] == '.' || !s->build.output[0]))
		r = fail(c, "build.output",
		         _("expected a file name, without '/' and not starting with '.'"));
	if (!r)
		r = get_strv(c, b, "build", "cflags", 0, &s->build.cflags);
	if (!r)
		r = get_strv(c, b, "build", "ldflags", 0, &s->build.ldflags);
	return r;
}

static int parse_role(struct ctx *c, const cJSON *p, struct spec *s)
{
	static const char *const roles[] = {"server", "client", "program", NULL};
	char *role = NULL, *proto = NULL;
	size_t i = 0;
	int r = get_string(c, p, "program", "role", 1, &role);

	for (; !r && roles[i] && strcmp(roles[i], role) != 0; i++)
		;
	if (!r && !roles[i])
		r = fail(c, "program.role", _("expected \"server\", \"client\" or \"program\""));
	if (!r)
		s->program.role = (enum role)i;
	if (!r)
		r = get_string(c, p, "program", "proto", s->program.role != ROLE_PROGRAM, &proto);
	if (!r && proto && strcmp(proto, "tcp") != 0 && strcmp(proto, "udp") != 0)
		r = fail(c, "program.proto", _("expected \"tcp\" or \"udp\""));
	s->program.proto = !r && proto && strcmp(proto, "udp") == 0 ? PROTO_UDP : PROTO_TCP;
	free(role);
	free(proto);
	return r;
}

static int parse_program(struct ctx *c, const cJSON *root, struct spec *s)
{
	static const char *const keys[] = {"role",     "proto", "port", "args",
	                                   "ready_ms", "stdin", NULL};
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(root, "program");
	char *in = NULL;
	int r;

	if (!cJSON_IsObject(p))
		return fail(c, "program", _("missing (expected an object)"));
	r = check_keys(c, p, "program", keys);
	if (!r)
		r = parse_role(c, p, s);
	if (!r)
		r = get_int(c, p, "program", "port", 1, 65535, 0, &s->program.port);
	if (!r && s->program.port == 0 && s->program.role != ROLE_PROGRAM)
		r = fail(c, "program.port", _("missing (expected a port number)"));
	if (!r)
		r = get_strv(c, p, "program", "args", 0, &s->program.args);
	for (size_t i = 0; !r && i < s->program.args.n; i++)
		r = check_template(c, "program.args", s->program.args.v[i]);
	if (!r)
		r = get_int(c, p, "program", "ready_ms", 1, 60000, DEFAULT_READY_MS,
		            &s->program.ready_ms);
	if (!r)
		r = get_string(c, p, "program", "stdin", 0, &in);
	if (!r && in && strcmp(in, "open") != 0)
		r = fail(c, "program.stdin",
		         _("expected \"open\" (a pipe the input steps write to)"));
	s->program.keep_stdin = in != NULL;
	free(in);
	return r;
}

/* Per-lesson limits, each within bounds that keep the machine safe. */
static int parse_limits(struct ctx *c, const cJSON *root, struct spec *s)
{
	static const char *const keys[] = {"cpu_s",      "memory_mb", "processes", "file_mb",
	                                   "open_files", "output_kb", NULL};
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(root, "limits");
	struct proc_limits *p = &s->limits;

	proc_default_limits(p);
	if (!l)
		return 0;
	if (!cJSON_IsObject(l))
		return fail(c, "limits", _("expected an object"));
	if (check_keys(c, l, "limits", keys) ||
	    get_int(c, l, "limits", "cpu_s", 1, 60, p->cpu_s, &p->cpu_s) ||
	    get_int(c, l, "limits", "memory_mb", 16, 4096, p->mem_mb, &p->mem_mb) ||
	    get_int(c, l, "limits", "processes", 1, 2048, p->nproc, &p->nproc) ||
	    get_int(c, l, "limits", "file_mb", 0, 1024, p->fsize_mb, &p->fsize_mb) ||
	    get_int(c, l, "limits", "open_files", 16, 65536, p->nofile, &p->nofile) ||
	    get_int(c, l, "limits", "output_kb", 1, 65536, p->output_kb, &p->output_kb))
		return -1;
	return 0;
}

/* A link's target, read from the folder of its name, stays inside the work
 * folder: relative, and never more ".." than the name has folders. */
static int check_link_target(struct ctx *c, const char *name, const char *target)
{
	int depth = 0;

	for (const char *p = name; (p = strchr(p, '/')); p++)
		depth++;
	if (!*target || *target == '/')
		return fail(c, "files.links", _("expected a relative link target"));
	for (const char *p = target; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			depth--;
		else if (n > 0 && !(n == 1 && p[0] == '.'))
			depth++;
		if (depth < 0)
			return fail(c, "files.links", _("a link target leaves the work folder"));
		p += n + (p[n] == '/');
	}
	return 0;
}

static int parse_links(struct ctx *c, const cJSON *f, struct spec *s)
{
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(f, "links"), *it;
	int r = 0;

	if (l && !cJSON_IsObject(l))
		return fail(c, "files.links", _("expected an object of link names and targets"));
	cJSON_ArrayForEach (it, l) {
		if (!cJSON_IsString(it))
			return fail(c, "files.links",
			            _("expected an object of link names and targets"));
		r = check_relative(c, "files.links", it->string);
		if (!r)
			r = check_link_target(c, it->string, it->valuestring);
		if (r)
			return r;
		strv_push(&s->files.links, it->string);
		strv_push(&s->files.links, it->valuestring);
	}
	return 0;
}

/* "files": {"copy": ["public"], "random": {"public/grande.bin": 3000000},
 * "links": {"public/atajo.txt": "../secreto.txt"}}: what the tests need in
 * the work folder, always from the lesson itself. */
static int parse_files(struct ctx *c, const cJSON *root, struct spec *s)
{
	static const char *const keys[] = {"copy", "random", "links", NULL};
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, "files"), *it;
	const cJSON *rnd = cJSON_GetObjectItemCaseSensitive(f, "random");
	int r;

	if (!f)
		return 0;
	if (!cJSON_IsObject(f))
		return fail(c, "files", _("expected an object"));
	r = check_keys(c, f, "files", keys);
	if (!r)
		r = get_strv(c, f, "files", "copy", 0, &s->files.copy);
	for (size_t i = 0; !r && i < s->files.copy.n; i++)
		r = check_relative(c, "files.copy", s->files.copy.v[i]);
	if (!r && rnd && !cJSON_IsObject(rnd))
		r = fail(c, "files.random", _("expected an object of file names and sizes"));
	s->files.random_size = xcalloc((size_t)cJSON_GetArraySize(rnd) + 1, sizeof(size_t));
	cJSON_ArrayForEach (it, rnd) {
		if (r)
			break;
		r = check_relative(c, "files.random", it->string);
		if (!r && (!cJSON_IsNumber(it) || it->valuedouble < 1 || it->valuedouble > 16e6))
			r = fail(c, "files.random", _("expected sizes from 1 to 16000000 bytes"));
		if (!r) {
			s->files.random_size[s->files.random.n] = (size_t)it->valuedouble;
			strv_push(&s->files.random, it->string);
		}
	}
	return r ? r : parse_links(c, f, s);
}

static int parse_root(struct ctx *c, const cJSON *root, struct spec *s)
{
	static const char *const keys[] = {"$schema", "lesson", "title", "build", "program",
	                                   "limits",  "files",  "tests", NULL};

	if (!cJSON_IsObject(root))
		return fail(c, "$", _("expected an object"));
	if (check_keys(c, root, "", keys) || get_string(c, root, "", "lesson", 1, &s->lesson) ||
	    get_string(c, root, "", "title", 1, &s->title) || parse_build(c, root, s) ||
	    parse_program(c, root, s) || parse_limits(c, root, s) || parse_files(c, root, s) ||
	    parse_tests(c, root, s))
		return -1;
	return 0;
}

struct spec *spec_parse(const char *text, const char *path, char *err)
{
	struct ctx c = {path, err, NULL};
	struct spec *s;
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithOpts(text, &end, 1);

	if (!root) {
		const char *at = end ? end : cJSON_GetErrorPtr();
		size_t line = 1;
		for (const char *p = text; at && p < at; p++)
			line += *p == '\n';
		/* TRANSLATORS: file name and line number of a JSON syntax error. */
		errf(err, _("%s: line %zu: not valid JSON"), path, line);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	c.spec = s;
	if (parse_root(&c, root, s) < 0) {
		spec_free(s);
		s = NULL;
	}
	cJSON_Delete(root);
	return s;
}

struct spec *spec_load(const char *path, char *err)
{
	FILE *f = fopen(path, "rb");
	struct buf b = {0};
	char chunk[4096];
	size_t n;
	struct spec *s;

	if (!f) {
		errf(err, _("%s: cannot open: %s"), path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && b.len <= SPEC_MAX_BYTES)
		buf_append(&b, chunk, n);
	fclose(f);
	if (b.len > SPEC_MAX_BYTES) {
		errf(err, _("%s: larger than 1 MiB"), path);
		buf_free(&b);
		return NULL;
	}
	if (b.len == 0 || memchr(b.data, '\0', b.len)) {
		errf(err, _("%s: empty or binary file"), path);
		buf_free(&b);
		return NULL;
	}
	s = spec_parse(b.data, path, err);
	buf_free(&b);
	return s;
}

static void test_free(struct test *t)
{
	for (size_t i = 0; i < t->nsteps; i++)
		step_free(&t->steps[i]);
	free(t->steps);
	free(t->id);
	free(t->name);
	free(t->hint);
	strv_free(&t->hint_for);
}

void spec_free(struct spec *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ntests; i++)
		test_free(&s->tests[i]);
	free(s->tests);
	strv_free(&s->build.sources);
	strv_free(&s->build.cflags);
	strv_free(&s->build.ldflags);
	strv_free(&s->program.args);
	strv_free(&s->files.copy);
	strv_free(&s->files.random);
	strv_free(&s->files.links);
	free(s->files.random_size);
	free(s->build.output);
	free(s->lesson);
	free(s->title);
	free(s->path);
	free(s);
}

const struct test *spec_find_test(const struct spec *s, const char *id)
{
	for (size_t i = 0; i < s->ntests; i++)
		if (strcmp(s->tests[i].id, id) == 0)
			return &s->tests[i];
	return NULL;
}
