/* diagnose.c - explain a sanitizer's or valgrind's report to a beginner. */
#include "diagnose.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "i18n.h"
#include "util.h"

#define FUNC_MAX     96
#define FILE_MAX     512
#define DETAIL_MAX   200
#define MAX_LEAKS    3      /* leak records explained; the rest are counted */
#define SOURCE_SHOWN 160    /* bytes of a source line */
#define SOURCE_LINES 100000 /* a line further down is not read */
#define PEEK         512    /* bytes of a line looked at when stripping */

enum kind {
	K_NONE,
	K_INVALID, /* valgrind: invalid read or write, not yet told where */
	K_HEAP_OVERFLOW,
	K_STACK_OVERFLOW,
	K_GLOBAL_OVERFLOW,
	K_USE_AFTER_FREE,
	K_USE_AFTER_RETURN,
	K_DOUBLE_FREE,
	K_BAD_FREE,
	K_MISMATCHED_FREE,
	K_SEGV,
	K_READ_ONLY,
	K_STACK_EXHAUSTED,
	K_BAD_SIZE,
	K_OVERLAP,
	K_OUT_OF_MEMORY,
	K_UNINIT,
	K_SYSCALL_UNINIT,
	K_UB,
	K_OTHER,
};

/* A place in the learner's code. */
struct loc {
	const char *src; /* one of the sources */
	int line;
	char func[FUNC_MAX];
};

/* The learner's frames of one stack of the report, innermost first. */
struct stack {
	struct loc loc[2];
	int n;
	int frames;                /* frames seen, the learner's or not */
	char first_func[FUNC_MAX]; /* the innermost function, whoever's */
};

struct finding {
	enum kind kind;
	int write;  /* -1 unknown, 0 read, 1 write */
	long size;  /* bytes accessed, 0 if unknown */
	long block; /* bytes of the block or variable, 0 if unknown */
	int before; /* before the block's start, not past its end */
	int null;   /* at address 0, or in the page it starts */
	unsigned long addr;
	char var[FUNC_MAX]; /* the local or global variable */
	int var_line;
	char detail[DETAIL_MAX]; /* UBSan's words, a syscall, a function, a kind */
	int origin_stack;        /* the uninitialised value is a local variable's */
	struct stack at, alloc, freed, origin;
};

struct leak {
	long bytes, blocks;
	struct stack alloc;
};

struct parser {
	char *const *sources;
	struct finding f;
	int errors;
	int detail;        /* the lines read belong to the first error */
	struct stack *cur; /* where frames go, or NULL */
	struct leak leaks[MAX_LEAKS];
	long nleaks; /* records seen; at most MAX_LEAKS kept */
	long leak_bytes, leak_blocks;
	int leak_summary; /* ASan's SUMMARY gave the totals */
	int lsan_failed;
};

/* ---- small text helpers ---- */

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The length of a "==1234==" mark at s (valgrind's on every line, ASan's
 * on some), or 0. */
static size_t pid_mark(const char *s)
{
	const char *p = s + 2;

	if (!starts(s, "==") || !isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	return starts(p, "==") ? (size_t)(p + 2 - s) : 0;
}

/* After the mark, wherever it is: a program's unfinished line may come first. */
static const char *skip_pid(const char *s)
{
	for (const char *p = strstr(s, "=="); p; p = strstr(p + 1, "=="))
		if (pid_mark(p))
			return p + pid_mark(p);
	return s;
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static void copy_text(char *dst, size_t max, const char *s, size_t n)
{
	if (n >= max)
		n = max - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* The word at s, up to a space or one of stop. */
static void copy_word(char *dst, size_t max, const char *s, const char *stop)
{
	copy_text(dst, max, s, strcspn(s, stop));
}

static long number_after(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	return p ? strtol(p + strlen(key), NULL, 10) : 0;
}

static unsigned long hex_after(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	return p ? strtoul(p + strlen(key), NULL, 16) : 0;
}

static int is_null_address(unsigned long a)
{
	return a < 4096;
}

/* ---- frames ---- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The source file of the list that path names: the same path, a path ending
 * in it (ASan shows the build folder), or the same file name (valgrind
 * shows only that). */
static const char *learner_file(const char *path, char *const *sources)
{
	size_t n = strlen(path);

	for (size_t i = 0; sources && sources[i]; i++) {
		size_t k = strlen(sources[i]);
		if (strcmp(path, sources[i]) == 0 ||
		    (n > k && path[n - k - 1] == '/' && strcmp(path + n - k, sources[i]) == 0))
			return sources[i];
	}
	for (size_t i = 0; sources && sources[i]; i++)
		if (strcmp(base_name(path), base_name(sources[i])) == 0)
			return sources[i];
	return NULL;
}

/* "path:line" or "path:line:column" in s[0..n): the path and the line. */
static int parse_place(const char *s, size_t n, char *file, int *line)
{
	char *colon;
	long a;

	copy_text(file, FILE_MAX, s, n);
	if (!(colon = strrchr(file, ':')) || !isdigit((unsigned char)colon[1]))
		return 0;
	a = strtol(colon + 1, NULL, 10);
	*colon = '\0';
	if ((colon = strrchr(file, ':')) && isdigit((unsigned char)colon[1])) {
		a = strtol(colon + 1, NULL, 10); /* what came after it was the column */
		*colon = '\0';
	}
	*line = (int)a;
	return *file && a > 0;
}

/* "#3 0x55d3 in leer /tmp/x/servidor.c:13" (sanitizers) or
 * "at 0x1092: leer (servidor.c:13)" (valgrind); the file is "" when the
 * frame is in a library. */
static int parse_frame(const char *t, char *func, char *file, int *line)
{
	const char *p;

	*func = *file = '\0';
	*line = 0;
	if (t[0] == '#' && isdigit((unsigned char)t[1]) && (p = strstr(t, " 0x"))) {
		p = skip_space(p + 3 + strspn(p + 3, "0123456789abcdefABCDEF"));
		if (!starts(p, "in "))
			return 1;
		p += 3;
		copy_word(func, FUNC_MAX, p, " ");
		p = skip_space(p + strcspn(p, " "));
		if (*p && *p != '(')
			parse_place(p, strlen(p), file, line);
		return 1;
	}
	if ((starts(t, "at 0x") || starts(t, "by 0x")) && (p = strstr(t, ": "))) {
		const char *open = strstr(p + 2, " ("), *close;
		copy_text(func, FUNC_MAX, p + 2, open ? (size_t)(open - p - 2) : strlen(p + 2));
		if (open && !starts(open + 2, "in ") && (close = strrchr(open, ')')))
			parse_place(open + 2, (size_t)(close - open - 2), file, line);
		return 1;
	}
	return 0;
}

static int same_place(const struct loc *a, const struct loc *b)
{
	return a->src && b->src && strcmp(a->src, b->src) == 0 && a->line == b->line;
}

static void add_frame(struct parser *p, const char *t)
{
	char func[FUNC_MAX], file[FILE_MAX];
	struct stack *st = p->cur;
	struct loc l = {0};
	int line;

	if (!parse_frame(t, func, file, &line) || !st)
		return;
	if (st->frames++ == 0) {
		const char *shown = starts(func, "__interceptor_") ? func + 14 : func;
		copy_text(st->first_func, FUNC_MAX, shown, strlen(shown));
	}
	if (!*file || !(l.src = learner_file(file, p->sources)))
		return;
	l.line = line;
	copy_text(l.func, FUNC_MAX, func, strlen(func));
	if (st->n > 0 && same_place(&st->loc[st->n - 1], &l)) {
		if (!st->loc[st->n - 1].func[0]) /* UBSan's line gave the place, not the function */
			memcpy(st->loc[st->n - 1].func, l.func, FUNC_MAX);
		return;
	}
	if (st->n < 2)
		st->loc[st->n++] = l;
}

/* ---- the report's lines ---- */

static void new_error(struct parser *p, enum kind k)
{
	p->errors++;
	p->detail = p->errors == 1;
	if (p->detail)
		p->f.kind = k;
	p->cur = p->detail ? &p->f.at : NULL;
}

struct kind_name {
	const char *prefix;
	enum kind kind;
};

static const struct kind_name asan_kinds[] = {
        {"heap-buffer-overflow", K_HEAP_OVERFLOW},
        {"stack-buffer-overflow", K_STACK_OVERFLOW},
        {"stack-buffer-underflow", K_STACK_OVERFLOW},
        {"dynamic-stack-buffer-overflow", K_STACK_OVERFLOW},
        {"global-buffer-overflow", K_GLOBAL_OVERFLOW},
        {"heap-use-after-free", K_USE_AFTER_FREE},
        {"stack-use-after-return", K_USE_AFTER_RETURN},
        {"stack-use-after-scope", K_USE_AFTER_RETURN},
        {"attempting double-free", K_DOUBLE_FREE},
        {"attempting free on address which was not malloc", K_BAD_FREE},
        {"alloc-dealloc-mismatch", K_MISMATCHED_FREE},
        {"SEGV on unknown address", K_SEGV},
        {"BUS on unknown address", K_SEGV},
        {"stack-overflow", K_STACK_EXHAUSTED},
        {"requested allocation size", K_BAD_SIZE},
        {"allocation-size-too-big", K_BAD_SIZE},
        {"negative-size-param", K_BAD_SIZE},
        {"calloc-overflow", K_BAD_SIZE},
        {"allocator is out of memory", K_OUT_OF_MEMORY},
        {"out-of-memory", K_OUT_OF_MEMORY},
        {"rss-limit-exceeded", K_OUT_OF_MEMORY},
        {NULL, K_NONE},
};

/* "ERROR: AddressSanitizer: heap-buffer-overflow on address ...". */
static void asan_error(struct parser *p, const char *k)
{
	enum kind kind = K_OTHER;

	for (size_t i = 0; asan_kinds[i].prefix; i++)
		if (starts(k, asan_kinds[i].prefix))
			kind = asan_kinds[i].kind;
	if (strstr(k, "-param-overlap"))
		kind = K_OVERLAP;
	new_error(p, kind);
	if (!p->detail)
		return;
	if (kind == K_SEGV) {
		p->f.addr = hex_after(k, "address ");
		p->f.null = is_null_address(p->f.addr);
	}
	if (kind == K_OVERLAP || kind == K_OTHER)
		copy_word(p->f.detail, DETAIL_MAX, k, kind == K_OVERLAP ? "-" : " :");
}

/* "0x6020 is located 0 bytes to the right of 16-byte region [...)". */
static void asan_region(struct parser *p, const char *t)
{
	const char *r = strstr(t, "-byte region");
	const char *n = r;

	while (n > t && isdigit((unsigned char)n[-1]))
		n--;
	p->f.block = strtol(n, NULL, 10);
	p->f.before = strstr(t, " to the left of ") != NULL;
}

/* "... of global variable 'buf' defined in 'servidor.c:8:13' (0x55) of size 8". */
static void asan_global(struct parser *p, const char *t)
{
	const char *name = strstr(t, "global variable '") + 17;
	const char *def = strstr(t, "defined in '");
	char file[FILE_MAX];
	int line;

	copy_word(p->f.var, FUNC_MAX, name, "'");
	if (def && parse_place(def + 12, strcspn(def + 12, "'"), file, &line))
		p->f.var_line = line;
	p->f.block = number_after(t, "of size ");
}

/* "[64, 80) 'local' (line 47) <== Memory access at offset 81 overflows this variable". */
static void asan_stack_object(struct parser *p, const char *t)
{
	long lo = strtol(t + 1, NULL, 10), hi = number_after(t, ", ");
	const char *name = strchr(t, '\'');

	if (name)
		copy_word(p->f.var, FUNC_MAX, name + 1, "'");
	p->f.var_line = (int)number_after(t, "(line ");
	p->f.block = hi > lo ? hi - lo : 0;
}

static int scan_asan(struct parser *p, const char *t)
{
	const char *k;

	if ((k = strstr(t, "ERROR: AddressSanitizer: ")))
		asan_error(p, k + 25);
	else if (strstr(t, "ERROR: LeakSanitizer: detected memory leaks")) {
		p->cur = NULL;
		p->detail = 0;
	} else if (strstr(t, "LeakSanitizer has encountered a fatal error")) {
		p->lsan_failed = 1;
	} else if (strstr(t, "CHECK failed") && strstr(t, "mmap_limit_mb")) {
		new_error(p, K_OUT_OF_MEMORY); /* the heap reached its bound */
	} else if (starts(t, "READ of size ") || starts(t, "WRITE of size ")) {
		if (p->detail) {
			p->f.write = t[0] == 'W';
			p->f.size = number_after(t, "of size ");
		}
	} else if (strstr(t, "The signal is caused by a ")) {
		if (p->detail)
			p->f.write = strstr(t, "a WRITE memory")  ? 1
			             : strstr(t, "a READ memory") ? 0
			                                          : -1;
	} else if (strstr(t, "Hint: address points to the zero page")) {
		p->f.null |= p->detail;
	} else if (strstr(t, " is located ") && strstr(t, "-byte region")) {
		if (p->detail)
			asan_region(p, t);
		p->cur = NULL;
	} else if (strstr(t, " is located ") && strstr(t, "global variable '")) {
		if (p->detail)
			asan_global(p, t);
	} else if (strstr(t, " is located in stack of thread")) {
		p->cur = NULL; /* the frame of the variable's function follows */
	} else if (t[0] == '[' && strstr(t, "<== Memory access")) {
		if (p->detail)
			asan_stack_object(p, t);
	} else if (starts(t, "freed by thread")) {
		p->cur = p->detail ? &p->f.freed : NULL;
	} else if (starts(t, "previously allocated by thread") ||
	           starts(t, "allocated by thread")) {
		p->cur = p->detail ? &p->f.alloc : NULL;
	} else if (starts(t, "Thread T") && strstr(t, " created by ")) {
		p->cur = NULL;
	} else {
		return 0;
	}
	return 1;
}

static int scan_ubsan(struct parser *p, const char *t)
{
	const char *e = strstr(t, ": runtime error: ");
	char file[FILE_MAX];
	int line;

	if (!e)
		return 0;
	new_error(p, K_UB);
	if (!p->detail)
		return 1;
	copy_text(p->f.detail, DETAIL_MAX, e + 17, strlen(e + 17));
	if (parse_place(t, (size_t)(e - t), file, &line) &&
	    (p->f.at.loc[0].src = learner_file(file, p->sources))) {
		p->f.at.loc[0].line = line;
		p->f.at.n = 1;
	}
	return 1;
}

/* "Address 0x4a44090 is 0 bytes after a block of size 16 alloc'd". */
static void valgrind_address(struct parser *p, const char *t)
{
	struct finding *f = &p->f;

	if (!p->detail)
		return;
	f->addr = hex_after(t, "Address 0x");
	if (strstr(t, " bytes after a block of size ") ||
	    strstr(t, " bytes before a block of size ")) {
		f->kind = f->kind == K_INVALID ? K_HEAP_OVERFLOW : f->kind;
		f->before = strstr(t, " before a block") != NULL;
		f->block = number_after(t, "a block of size ");
		p->cur = &f->alloc;
	} else if (strstr(t, " inside a block of size ") && strstr(t, "free'd")) {
		f->kind = f->kind == K_BAD_FREE  ? K_DOUBLE_FREE
		          : f->kind == K_INVALID ? K_USE_AFTER_FREE
		                                 : f->kind;
		f->block = number_after(t, "a block of size ");
		p->cur = &f->freed;
	} else if (strstr(t, " inside a block of size ")) {
		f->block = number_after(t, "a block of size ");
		p->cur = &f->alloc;
	} else if (strstr(t, "not stack'd, malloc'd or (recently) free'd")) {
		f->kind = f->kind == K_INVALID ? K_SEGV : f->kind;
		f->null = is_null_address(f->addr);
		p->cur = NULL;
	} else if (strstr(t, "'s stack")) {
		if (f->kind == K_INVALID)
			f->kind = strstr(t, "below stack pointer") ? K_USE_AFTER_RETURN
			                                           : K_STACK_OVERFLOW;
		p->cur = NULL;
	}
}

/* "Process terminating with default action of signal 11 (SIGSEGV)": the
 * error itself when nothing came before it, else its consequence. */
static void valgrind_signal(struct parser *p, const char *t)
{
	long sig = number_after(t, "of signal ");

	if (sig != 11 && sig != 7) {
		p->cur = NULL;
		return;
	}
	if (p->errors == 0)
		new_error(p, K_SEGV);
	else
		p->cur = p->detail && p->f.at.frames == 0 ? &p->f.at : NULL;
}

/* "33 bytes in 3 blocks are definitely lost in loss record 3 of 3", or
 * "32 (16 direct, 16 indirect) bytes in 1 blocks are definitely lost ...". */
static void new_leak(struct parser *p, long bytes, long blocks)
{
	p->detail = 0;
	p->leak_bytes += p->leak_summary ? 0 : bytes;
	p->leak_blocks += p->leak_summary ? 0 : blocks;
	if (p->nleaks < MAX_LEAKS) {
		struct leak *l = &p->leaks[p->nleaks];
		memset(l, 0, sizeof(*l));
		l->bytes = bytes;
		l->blocks = blocks;
		p->cur = &l->alloc;
	} else {
		p->cur = NULL;
	}
	p->nleaks++;
}

static const struct kind_name valgrind_kinds[] = {
        {"Invalid read of size ", K_INVALID},
        {"Invalid write of size ", K_INVALID},
        {"Conditional jump or move depends on uninitialised value", K_UNINIT},
        {"Use of uninitialised value of size ", K_UNINIT},
        {"Syscall param ", K_SYSCALL_UNINIT},
        {"Invalid free() / delete", K_BAD_FREE},
        {"Mismatched free() / delete", K_MISMATCHED_FREE},
        {"Source and destination overlap in ", K_OVERLAP},
        {"Argument '", K_BAD_SIZE},
        {NULL, K_NONE},
};

/* The first line of one of valgrind's error reports. */
static int valgrind_header(struct parser *p, const char *t)
{
	enum kind kind = K_NONE;

	for (size_t i = 0; valgrind_kinds[i].prefix && kind == K_NONE; i++)
		if (starts(t, valgrind_kinds[i].prefix))
			kind = valgrind_kinds[i].kind;
	if ((kind == K_SYSCALL_UNINIT && !strstr(t, " uninitialised byte")) ||
	    (kind == K_BAD_SIZE && !strstr(t, "fishy")))
		kind = K_NONE;
	if (kind == K_NONE)
		return 0;
	new_error(p, kind);
	if (!p->detail)
		return 1;
	if (kind == K_INVALID) {
		p->f.write = starts(t, "Invalid write");
		p->f.size = number_after(t, "of size ");
	} else if (kind == K_SYSCALL_UNINIT) {
		copy_word(p->f.detail, DETAIL_MAX, t + 14, " ");
	} else if (kind == K_OVERLAP) {
		copy_word(p->f.detail, DETAIL_MAX, t + 34, "( ");
	}
	return 1;
}

static int scan_valgrind(struct parser *p, const char *t)
{
	if (valgrind_header(p, t))
		return 1;
	if (starts(t, "Stack overflow in thread")) {
		if (p->errors == 0 || (p->detail && p->f.kind == K_SEGV))
			new_error(p, K_STACK_EXHAUSTED);
		else
			p->cur = p->detail && p->f.kind == K_STACK_EXHAUSTED ? &p->f.at : NULL;
	} else if (starts(t, "Process terminating with default action of signal ")) {
		valgrind_signal(p, t);
	} else if (starts(t, "Access not within mapped region at address 0x")) {
		if (p->detail && p->f.kind == K_SEGV && p->f.at.frames == 0)
			p->f.null = is_null_address(p->f.addr = hex_after(t, "address 0x"));
	} else if (starts(t, "Bad permissions for mapped region at address")) {
		if (p->detail && p->f.kind == K_SEGV && p->f.at.frames == 0)
			p->f.kind = K_READ_ONLY;
	} else if (starts(t, "Address 0x")) {
		valgrind_address(p, t);
	} else if (starts(t, "Block was alloc'd at")) {
		p->cur = p->detail ? &p->f.alloc : NULL;
	} else if (starts(t, "Uninitialised value was created by a ")) {
		if (p->detail)
			p->f.origin_stack = strstr(t, "stack allocation") != NULL;
		p->cur = p->detail ? &p->f.origin : NULL;
	} else if (strstr(t, " are definitely lost in loss record ")) {
		long bytes = strtol(t, NULL, 10);
		new_leak(p, bytes, number_after(t, "bytes in "));
	} else if (strstr(t, " lost in loss record ") || starts(t, "in frame #")) {
		p->cur = NULL;
	} else {
		return 0;
	}
	return 1;
}

/* ASan's leak records and their total. */
static int scan_leak(struct parser *p, const char *t)
{
	if (starts(t, "Direct leak of ")) {
		new_leak(p, number_after(t, "leak of "), number_after(t, " in "));
	} else if (starts(t, "Indirect leak of ")) {
		if (!p->leak_summary) {
			p->leak_bytes += number_after(t, "leak of ");
			p->leak_blocks += number_after(t, " in ");
		}
		p->cur = NULL;
	} else if (starts(t, "SUMMARY: AddressSanitizer: ") && strstr(t, " leaked in ")) {
		p->leak_bytes = strtol(t + 27, NULL, 10);
		p->leak_blocks = number_after(t, " leaked in ");
		p->leak_summary = 1;
	} else {
		return 0;
	}
	return 1;
}

/* raw is one line of the text; whole is 0 if the text stops in it. */
static void scan_line(struct parser *p, const char *raw, int whole)
{
	const char *t = skip_space(skip_pid(raw));

	if (!*t) {
		p->cur = NULL; /* a blank line ends a stack */
		return;
	}
	if ((t[0] == '#' && isdigit((unsigned char)t[1])) || starts(t, "at 0x") ||
	    starts(t, "by 0x")) {
		if (whole) /* a frame cut short may name line 1 for line 15 */
			add_frame(p, t);
		return;
	}
	if (scan_leak(p, t) || scan_asan(p, t) || scan_ubsan(p, t))
		return;
	scan_valgrind(p, t);
}

static void parse(struct parser *p, const char *text, char *const *sources)
{
	char *copy = xstrdup(text), *line = copy;

	memset(p, 0, sizeof(*p));
	p->sources = sources;
	p->f.write = -1;
	while (line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		scan_line(p, line, nl != NULL);
		line = nl ? nl + 1 : NULL;
	}
	free(copy);
}

/* ---- the explanation ---- */

/* Line number line of srcdir/src, trimmed, as valid UTF-8; NULL if none. */
static char *source_line(const char *srcdir, const char *src, int line)
{
	char *path = xasprintf("%s/%s", srcdir, src), *text = NULL, *shown;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	size_t cap = 0, start = 0, end;
	ssize_t len = -1;
	int cut = 0;

	free(path);
	if (!f) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	for (int i = 0; i < line && line <= SOURCE_LINES; i++)
		if ((len = getline(&text, &cap, f)) < 0)
			break;
	fclose(f);
	if (len < 0 || line > SOURCE_LINES) {
		free(text);
		return NULL;
	}
	for (ssize_t i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			text[i] = ' ';
	for (end = (size_t)len; end > 0 && text[end - 1] == ' '; end--)
		;
	while (start < end && text[start] == ' ')
		start++;
	if (end - start > SOURCE_SHOWN) {
		end = start + SOURCE_SHOWN;
		while (end > start && ((unsigned char)text[end] & 0xc0) == 0x80)
			end--; /* not in the middle of a character */
		cut = 1;
	}
	text[end] = '\0';
	shown = utf8_valid_dup(text + start);
	free(text);
	if (cut) {
		char *longer = xasprintf("%s…", shown);
		free(shown);
		shown = longer;
	}
	return shown;
}

/* "servidor.c:42 in leer_linea():  buf[n] = '\0';" */
static char *loc_text(const struct loc *l, const char *srcdir)
{
	char *place = l->func[0] ? xasprintf(_("%s:%d in %s()"), l->src, l->line, l->func)
	                         : xasprintf("%s:%d", l->src, l->line);
	char *code = srcdir ? source_line(srcdir, l->src, l->line) : NULL;
	char *s;

	if (!code || !*code) {
		free(code);
		return place;
	}
	s = xasprintf("%s:  %s", place, code);
	free(place);
	free(code);
	return s;
}

/* A new line: label, a format whose one conversion is %s, with the place. */
static void put_loc(struct buf *b, const char *label, const struct loc *l, const char *srcdir)
{
	char *where = loc_text(l, srcdir);

	buf_puts(b, "\n");
	buf_printf(b, label, where);
	free(where);
}

/* "wrote 1 byte", "read 4 bytes", "read"... */
static char *access_text(const struct finding *f)
{
	if (f->size > 0 && f->write == 1)
		/* TRANSLATORS: completes "your program %s past the end of a block". */
		return xasprintf(
		        ngettext("wrote %ld byte", "wrote %ld bytes", (unsigned long)f->size),
		        f->size);
	if (f->size > 0 && f->write == 0)
		return xasprintf(
		        ngettext("read %ld byte", "read %ld bytes", (unsigned long)f->size),
		        f->size);
	if (f->write == 1)
		return xstrdup(_("wrote"));
	if (f->write == 0)
		return xstrdup(_("read"));
	return xstrdup(_("used memory"));
}

struct ub_kind {
	const char *words;
	const char *text;
	const char *tip;
};

static const struct ub_kind ub_kinds[] = {
        {"signed integer overflow",
         N_("Integer overflow: a calculation with signed integers went past the largest or "
            "smallest value of its type, which is undefined behaviour in C."),
         N_("Use a wider type (long long), or check the operands before the operation.")},
        {"negation of",
         N_("Integer overflow: a calculation with signed integers went past the largest or "
            "smallest value of its type, which is undefined behaviour in C."),
         NULL},
        {"null pointer",
         N_("NULL pointer: your program used a pointer that was NULL, one that points "
            "nowhere."),
         N_("Check every pointer that can be NULL (what malloc, fopen or getaddrinfo return) "
            "before using it.")},
        {"misaligned address",
         N_("Misaligned access: your program read or wrote a value through a pointer that is "
            "not aligned for its type (an int * into a buffer of char?)."),
         N_("Copy the bytes into a variable of the right type with memcpy() instead.")},
        {"shift",
         N_("Invalid shift: shifting by a negative amount or by the width of the type or more, "
            "or shifting a negative number, is undefined behaviour in C."),
         NULL},
        {"out of bounds for type",
         N_("Index out of bounds: your program used an index outside an array."),
         N_("An array of N elements has valid indexes 0 to N-1.")},
        {"division by zero", N_("Division by zero."), NULL},
        {"outside the range of representable values",
         N_("Conversion overflow: a value does not fit in the type it is converted to."), NULL},
        {"is not a valid value for type",
         N_("Invalid value: a bool or enum variable holds a value it cannot hold (was it ever "
            "set?)."),
         NULL},
        {"pointer overflow", N_("Pointer overflow: pointer arithmetic went outside of any object."),
         NULL},
        {"offset to null pointer",
         N_("Pointer arithmetic on a NULL pointer: a NULL pointer was moved, as if it pointed "
            "to an array."),
         NULL},
        {"variable length array bound",
         N_("Invalid array size: a variable-length array was declared with a size of zero or "
            "less."),
         NULL},
        {NULL,
         N_("Undefined behaviour: your program did something whose result C does not "
            "define."),
         NULL},
};

static const struct ub_kind *ub_kind(const char *detail)
{
	size_t i = 0;

	while (ub_kinds[i].words && !strstr(detail, ub_kinds[i].words))
		i++;
	return &ub_kinds[i];
}

/* The syscall of "socketcall.sendto(msg)" or "write(buf)", as "sendto()". */
static char *syscall_name(const char *param)
{
	size_t paren = strcspn(param, "(");
	const char *dot = memchr(param, '.', paren);
	const char *name = dot ? dot + 1 : param;

	return xasprintf("%.*s()", (int)strcspn(name, "("), name);
}

static void headline_access(struct buf *b, const struct finding *f)
{
	char *acc = access_text(f);

	switch (f->kind) {
	case K_HEAP_OVERFLOW:
		if (!f->block)
			/* TRANSLATORS: %s is "wrote 1 byte", "read 4 bytes"... */
			buf_printf(
			        b,
			        _("Heap buffer overflow: your program %s outside a block reserved "
			          "with malloc."),
			        acc);
		else if (f->before)
			buf_printf(b,
			           _("Heap buffer overflow: your program %s before the start of a "
			             "block of %ld bytes reserved with malloc."),
			           acc, f->block);
		else
			buf_printf(
			        b,
			        _("Heap buffer overflow: your program %s past the end of a block "
			          "of %ld bytes reserved with malloc."),
			        acc, f->block);
		break;
	case K_STACK_OVERFLOW:
		if (f->var[0] && f->block)
			/* TRANSLATORS: access, variable name, its size, the line it is declared on.
			 */
			buf_printf(
			        b,
			        _("Stack buffer overflow: your program %s outside the local array "
			          "'%s' (%ld bytes, declared on line %d)."),
			        acc, f->var, f->block, f->var_line);
		else
			buf_printf(
			        b,
			        _("Stack buffer overflow: your program %s outside a local array."),
			        acc);
		break;
	case K_GLOBAL_OVERFLOW:
		if (f->var[0] && f->block)
			buf_printf(b,
			           _("Global buffer overflow: your program %s outside the global "
			             "array '%s' (%ld bytes, declared on line %d)."),
			           acc, f->var, f->block, f->var_line);
		else
			buf_printf(b,
			           _("Global buffer overflow: your program %s outside a global or "
			             "static array."),
			           acc);
		break;
	case K_USE_AFTER_FREE:
		if (f->block)
			buf_printf(b,
			           _("Use after free: your program %s in a block of %ld bytes that "
			             "had already been freed."),
			           acc, f->block);
		else
			buf_printf(b,
			           _("Use after free: your program %s in a block that had already "
			             "been freed."),
			           acc);
		break;
	case K_USE_AFTER_RETURN:
		buf_printf(b,
		           _("Use of a variable that no longer exists: your program %s in a local "
		             "variable of a function that had already returned (or of a block "
		             "that had ended)."),
		           acc);
		break;
	default:
		buf_printf(b,
		           _("Invalid memory access: your program %s in memory that is not its "
		             "own."),
		           acc);
		break;
	}
	free(acc);
}

static void headline(struct buf *b, const struct finding *f)
{
	char addr[32];

	switch (f->kind) {
	case K_DOUBLE_FREE:
		buf_puts(b, _("Double free: your program called free() a second time on the same "
		              "block."));
		break;
	case K_BAD_FREE:
		buf_puts(b, _("Invalid free: your program called free() on an address that malloc "
		              "did not return (a local or global variable, or a pointer moved from "
		              "the start of its block)."));
		break;
	case K_MISMATCHED_FREE:
		buf_puts(b,
		         _("Mismatched free: the block was released with a function that does not "
		           "go with the one that reserved it."));
		break;
	case K_SEGV:
		snprintf(addr, sizeof(addr), "0x%lx", f->addr);
		if (f->null)
			buf_puts(b,
			         _("Segmentation fault: your program used a NULL pointer, one that "
			           "points nowhere (never set, or returned by a function that "
			           "failed, like malloc, fopen or getaddrinfo)."));
		else
			/* TRANSLATORS: %s is a memory address, 0x1234. */
			buf_printf(b,
			           _("Segmentation fault: your program used memory at %s, where it "
			             "has none (a pointer never set, already freed, or computed "
			             "wrong)."),
			           addr);
		break;
	case K_READ_ONLY:
		buf_puts(b,
		         _("Segmentation fault: your program wrote to read-only memory, such as a "
		           "string literal (\"...\"); copy it into an array first."));
		break;
	case K_STACK_EXHAUSTED:
		buf_puts(b,
		         _("Stack overflow: the function calls went too deep, usually a recursion "
		           "that never stops (or a very large local array)."));
		break;
	case K_BAD_SIZE:
		buf_puts(b,
		         _("Impossible size: your program asked for a huge or negative amount of "
		           "memory, or passed such a size to a function (a length that went below "
		           "zero, or was never set?)."));
		break;
	case K_OVERLAP:
		/* TRANSLATORS: %s is a function, memcpy or strcpy. */
		buf_printf(b,
		           _("Overlapping copy: the source and the destination of %s() overlap; "
		             "use memmove() instead."),
		           f->detail[0] ? f->detail : "memcpy");
		break;
	case K_OUT_OF_MEMORY:
		buf_puts(b, _("Out of memory: your program asked for more memory than it may use "
		              "here."));
		break;
	case K_UNINIT:
		buf_puts(b,
		         _("Use of an uninitialised value: a decision of your program (an if, a "
		           "loop, a printf) depends on a variable or a block from malloc that was "
		           "never given a value."));
		break;
	case K_SYSCALL_UNINIT: {
		char *name = syscall_name(f->detail);
		/* TRANSLATORS: %s is a system call, write() or sendto(). */
		buf_printf(b,
		           _("Uninitialised bytes passed to the system: %s received bytes your "
		             "program never set."),
		           name);
		free(name);
		break;
	}
	case K_UB:
		buf_puts(b, _(ub_kind(f->detail)->text));
		break;
	case K_OTHER:
		/* TRANSLATORS: %s is the sanitizer's name for it, in English. */
		buf_printf(b, _("The memory check found an error (%s)."), f->detail);
		break;
	default:
		headline_access(b, f);
		break;
	}
}

static const char *tip(const struct finding *f)
{
	switch (f->kind) {
	case K_HEAP_OVERFLOW:
	case K_STACK_OVERFLOW:
	case K_GLOBAL_OVERFLOW:
		return _("A block or array of N bytes has valid positions 0 to N-1, and a string "
		         "needs one more byte for its '\\0'.");
	case K_USE_AFTER_FREE:
		return _("After free(p), do not use p again; setting p = NULL right after free() "
		         "helps.");
	case K_DOUBLE_FREE:
		return _("Free each block exactly once; setting the pointer to NULL after free() "
		         "helps.");
	case K_BAD_FREE:
		return _("Pass free() only what malloc, calloc, realloc or strdup returned, "
		         "unchanged.");
	case K_SEGV:
		return f->null ? _("Check every pointer that can be NULL before using it.")
		               : _("Give every pointer a value before using it, and do not use it "
		                   "after free().");
	case K_STACK_EXHAUSTED:
		return _(
		        "Check that the recursion reaches a case where it stops; put big arrays in "
		        "memory from malloc.");
	case K_USE_AFTER_RETURN:
		return _("Do not return or keep the address of a local variable: use malloc, or a "
		         "variable of the caller.");
	case K_BAD_SIZE:
		return _("Check sizes before using them: recv() and read() return -1 on error, and "
		         "a "
		         "difference can go below zero.");
	case K_UNINIT:
		return _("Give variables a value before reading them; memory from malloc starts "
		         "with "
		         "garbage (calloc or memset set it to zero).");
	case K_SYSCALL_UNINIT:
		return _("Send only the bytes you filled in: use the length recv() or read() "
		         "returned, not the size of the buffer; set every field of a struct before "
		         "sending it (memset it to zero first).");
	case K_UB:
		return ub_kind(f->detail)->tip ? _(ub_kind(f->detail)->tip) : NULL;
	default:
		return NULL;
	}
}

/* The first learner frame of st, but not the same place as other. */
static const struct loc *other_place(const struct stack *st, const struct stack *other)
{
	if (st->n > 1 && other->n > 0 && same_place(&st->loc[0], &other->loc[0]))
		return &st->loc[1];
	return st->n > 0 ? &st->loc[0] : NULL;
}

static void explain_where(struct buf *b, const struct finding *f, const char *srcdir)
{
	const struct loc *l;

	if (f->at.n > 0) {
		put_loc(b, _("  at %s"), &f->at.loc[0], srcdir);
		if (f->at.n > 1)
			put_loc(b, _("  called from %s"), &f->at.loc[1], srcdir);
	} else if (f->at.first_func[0]) {
		buf_puts(b, "\n");
		/* TRANSLATORS: %s is a function of a library, strlen or free. */
		buf_printf(b,
		           _("  (no line of your code appears in the report: it happened inside "
		             "%s)"),
		           f->at.first_func);
	} else {
		buf_printf(b, "\n%s",
		           _("  (the report does not say where: it may have been cut "
		             "short)"));
	}
	if ((l = other_place(&f->freed, &f->at)))
		put_loc(b,
		        f->kind == K_DOUBLE_FREE ? _("  it had already been freed at %s")
		                                 : _("  it had been freed at %s"),
		        l, srcdir);
	if ((l = other_place(&f->alloc, &f->at)))
		put_loc(b, _("  the block was reserved at %s"), l, srcdir);
	l = other_place(&f->origin, &f->at);
	if (l && !(f->alloc.n > 0 && same_place(l, &f->alloc.loc[0])))
		put_loc(b,
		        f->origin_stack ? _("  the value is a local variable, never set, of the "
		                            "function that starts at %s")
		                        : _("  the value comes from a block never filled in, "
		                            "reserved at %s"),
		        l, srcdir);
}

static void explain_error(struct buf *b, const struct parser *p, const char *srcdir)
{
	const struct finding *f = &p->f;
	const char *t = tip(f);

	headline(b, f);
	explain_where(b, f, srcdir);
	if (f->kind == K_UB && f->detail[0]) {
		buf_puts(b, "\n");
		/* TRANSLATORS: %s is the sanitizer's own words, in English. */
		buf_printf(b, _("  the sanitizer says: %s"), f->detail);
	}
	if (t)
		buf_printf(b, "\n%s", t);
	if (p->errors > 1) {
		buf_puts(b, "\n");
		buf_printf(
		        b,
		        ngettext("(%d more error was reported after this one: fix this one first, "
		                 "the others are often its consequences.)",
		                 "(%d more errors were reported after this one: fix this one "
		                 "first, the others are often its consequences.)",
		                 (unsigned long)(p->errors - 1)),
		        p->errors - 1);
	}
}

static void explain_leaks(struct buf *b, const struct parser *p, const char *srcdir)
{
	long shown = p->nleaks < MAX_LEAKS ? p->nleaks : MAX_LEAKS;

	buf_printf(b,
	           ngettext("Memory leak: %ld bytes in %ld block reserved with malloc were never "
	                    "freed.",
	                    "Memory leak: %ld bytes in %ld blocks reserved with malloc were never "
	                    "freed.",
	                    (unsigned long)p->leak_blocks),
	           p->leak_bytes, p->leak_blocks);
	for (long i = 0; i < shown; i++) {
		const struct leak *l = &p->leaks[i];
		char *where = l->alloc.n ? loc_text(&l->alloc.loc[0], srcdir) : NULL;
		buf_puts(b, "\n");
		if (where)
			/* TRANSLATORS: a number of bytes, then a place in the code. */
			buf_printf(b, _("  %ld bytes reserved at %s"), l->bytes, where);
		else
			buf_printf(b,
			           _("  %ld bytes reserved where the report shows no line of your "
			             "code"),
			           l->bytes);
		free(where);
		if (l->alloc.n > 1)
			put_loc(b, _("    called from %s"), &l->alloc.loc[1], srcdir);
	}
	if (p->nleaks > shown) {
		buf_puts(b, "\n");
		buf_printf(b,
		           ngettext("  (and %ld more place)", "  (and %ld more places)",
		                    (unsigned long)(p->nleaks - shown)),
		           p->nleaks - shown);
	}
	buf_printf(b, "\n%s",
	           _("Free each block with free() once it is no longer needed, also on the error "
	             "paths; what getaddrinfo() returns is freed with freeaddrinfo()."));
}

/* Valid UTF-8 and no control characters but newlines: the report is the
 * program's, and so is what it says. */
static char *clean(char *s)
{
	char *v;

	for (char *c = s; *c; c++)
		if (((unsigned char)*c < 0x20 && *c != '\n') || *c == 0x7f)
			*c = ' ';
	v = utf8_valid_dup(s);
	free(s);
	return v;
}

char *diagnose(const char *text, const char *srcdir, char *const *sources)
{
	struct parser p;
	struct buf b = {0};

	if (!text)
		return NULL;
	parse(&p, text, sources);
	if (p.errors > 0)
		explain_error(&b, &p, srcdir);
	if (p.nleaks > 0) {
		if (b.len)
			buf_puts(&b, "\n");
		explain_leaks(&b, &p, srcdir);
	}
	if (p.lsan_failed) {
		if (b.len)
			buf_puts(&b, "\n");
		buf_puts(&b,
		         _("The leak check could not run here (LeakSanitizer needs ptrace, which "
		           "this machine does not allow); --valgrind also finds leaks."));
	}
	return b.len ? clean(buf_steal(&b)) : NULL;
}

int diagnose_has_error(const char *text)
{
	struct parser p;

	if (!text)
		return 0;
	parse(&p, text, NULL);
	if (p.errors == 0)
		return 0;
	return p.f.kind == K_OUT_OF_MEMORY ? DIAG_NO_MEMORY : DIAG_ERROR;
}

/* ---- the program's own output ---- */

struct strip {
	int leaks; /* inside LeakSanitizer's report, up to its SUMMARY line */
	int rest;  /* after an error report: the program stops there */
};

static int all_equals(const char *s)
{
	size_t n = strspn(s, "=");

	return n >= 20 && (s[n] == '\0' || s[n] == '\n' || s[n] == '\r');
}

/* 1 if the line (its start, NUL-terminated) is part of a report. */
static int report_line(struct strip *st, const char *line)
{
	const char *t = skip_space(line);

	if (st->leaks) {
		st->leaks = !starts(t, "SUMMARY: ");
		return 1;
	}
	if (pid_mark(line)) {
		if (strstr(line, "ERROR: AddressSanitizer: "))
			st->rest = 1;
		else if (strstr(line, "ERROR: LeakSanitizer: "))
			st->leaks = 1;
		return 1;
	}
	if (strstr(line, ": runtime error: ")) {
		st->rest = 1;
		return 1;
	}
	return all_equals(line) || starts(line, "AddressSanitizer:DEADLYSIGNAL") ||
	       (t[0] == '#' && isdigit((unsigned char)t[1]) && strstr(t, " 0x"));
}

size_t diagnose_strip(char *text, size_t len)
{
	struct strip st = {0, 0};
	size_t in = 0, out = 0, blank = SIZE_MAX; /* where the last line kept, if empty, began */

	while (in < len && !st.rest) {
		const char *nl = memchr(text + in, '\n', len - in);
		size_t n = nl ? (size_t)(nl - (text + in)) + 1 : len - in;
		char peek[PEEK];

		copy_text(peek, sizeof(peek), text + in, n);
		if (!report_line(&st, peek)) {
			blank = peek[0] == '\n' ? out : SIZE_MAX;
			memmove(text + out, text + in, n);
			out += n;
		} else if (all_equals(peek) && blank != SIZE_MAX) {
			out = blank; /* the empty line a report begins with */
			blank = SIZE_MAX;
		}
		in += n;
	}
	if (out < len)
		text[out] = '\0';
	return out;
}
