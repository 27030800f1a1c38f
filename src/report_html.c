/* report_html.c - the instructor's report on a graded class: one self-contained HTML page. */
#include "report_html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "escape.h"
#include "i18n.h"
#include "util.h"

#define DASH          "–"
#define REPLACEMENT   "\xef\xbf\xbd" /* U+FFFD */
#define LABEL_MAX     72             /* characters of a test name inside a chart */
#define HIST_MAX_BINS 21             /* one bar per score up to 20 points, else 10 bins */
#define HIST_W        520
#define HIST_H        200
#define HIST_LEFT     12
#define HIST_RIGHT    12
#define HIST_TOP      20
#define HIST_BOTTOM   36
#define RATE_W        520
#define RATE_TRACK    450
#define RATE_ROW      40

enum lstatus { LS_PASS, LS_FAIL, LS_ERROR, LS_MISSING, LS_BROKEN, LS_PENDING, LS_SKIP, LS_NONE };

static const char *const lstatus_names[] = {"pass",   "fail",    "error", "missing",
                                            "broken", "pending", "skip"};

/* A lesson column of the table, in the summary's order. */
struct col {
	const char *id;
	const cJSON *info; /* the summary's lessons[] entry, or NULL */
};

struct page {
	FILE *out;
	const cJSON *sum;
	const cJSON *students; /* an array, or NULL */
	struct col *cols;
	int ncols;
	int nstudents;
};

/* What a lesson's histogram and caption need. */
struct lstats {
	int submitted; /* neither missing, broken nor pending */
	int absent;
	int all_pass;
	int scored; /* submitted with a score: the histogram's students */
	double sum;
	double max;
	int per_value; /* one bar per whole score, else ten bins */
	int nbins;
	int bins[HIST_MAX_BINS];
};

/* A bar of a lesson's pass-rate chart. */
struct trate {
	const char *id;
	const char *name;
	int passed;
};

/* ---- reading the summary defensively ---------------------------------- */

static const cJSON *jget(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = jget(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int jnum(const cJSON *o, const char *key, double *out)
{
	const cJSON *v = jget(o, key);

	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return 0;
	*out = v->valuedouble;
	return 1;
}

static const cJSON *jarr(const cJSON *o, const char *key)
{
	const cJSON *v = jget(o, key);

	return cJSON_IsArray(v) ? v : NULL;
}

static const cJSON *jobj(const cJSON *o, const char *key)
{
	const cJSON *v = jget(o, key);

	return cJSON_IsObject(v) ? v : NULL;
}

static const cJSON *student_lesson(const cJSON *st, const char *id)
{
	return jobj(jobj(st, "lessons"), id);
}

static enum lstatus lstatus_of(const cJSON *o)
{
	const char *s = jstr(o, "status");

	for (int i = 0; s && i < LS_NONE; i++)
		if (strcmp(s, lstatus_names[i]) == 0)
			return (enum lstatus)i;
	return LS_NONE;
}

static int lstatus_absent(enum lstatus s)
{
	return s == LS_MISSING || s == LS_BROKEN || s == LS_PENDING || s == LS_NONE;
}

static const char *lstatus_label(enum lstatus s)
{
	switch (s) {
	case LS_PASS:
		return _("Passed");
	case LS_FAIL:
		return _("Failed");
	case LS_ERROR:
		return _("Error");
	case LS_MISSING:
		/* TRANSLATORS: a lesson with no files in the student's submission. */
		return _("Missing");
	case LS_BROKEN:
		/* TRANSLATORS: a submission that could not be read (e.g. a corrupt zip). */
		return _("Unreadable");
	case LS_PENDING:
		return _("Pending");
	case LS_SKIP:
		return _("Skipped");
	default:
		return DASH;
	}
}

static const char *lstatus_mark(enum lstatus s)
{
	static const char *const marks[] = {"✓", "✗", "!", "∅", "⊘", "…", "·", "·"};

	return marks[s];
}

static const char *lstatus_class(enum lstatus s)
{
	return s == LS_NONE ? "none" : lstatus_names[s];
}

/* ---- writing text ------------------------------------------------------ */

/* s as HTML text or attribute value: markup characters as entities, invalid
 * UTF-8 and control characters as U+FFFD, at most max characters (then an
 * ellipsis); NULL as a dash. Also right inside inline SVG. */
static void html_put_n(FILE *out, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, i = 0, chars = 0;

	if (!s) {
		fputs(DASH, out);
		return;
	}
	n = strlen(s);
	while (i < n) {
		size_t len = utf8_seq_len(p + i, n - i);
		unsigned char c = p[i];

		if (chars++ == max) {
			fputs("…", out);
			return;
		}
		if (len == 2 && c == 0xc2 && p[i + 1] < 0xa0) {
			fputs(REPLACEMENT, out); /* a C1 control character */
			i += 2;
			continue;
		}
		if (len > 1) {
			fwrite(p + i, 1, len, out);
			i += len;
			continue;
		}
		i++;
		if (c == '&')
			fputs("&amp;", out);
		else if (c == '<')
			fputs("&lt;", out);
		else if (c == '>')
			fputs("&gt;", out);
		else if (c == '"')
			fputs("&quot;", out);
		else if (c == '\'')
			fputs("&#39;", out);
		else if (len == 0 || c == 0x7f || (c < 0x20 && c != '\n' && c != '\t' && c != '\r'))
			fputs(REPLACEMENT, out);
		else
			fputc(c, out);
	}
}

static void html_put(FILE *out, const char *s)
{
	html_put_n(out, s, SIZE_MAX);
}

static const char *decimal_mark(void)
{
	return strcmp(i18n_lang(), "en") == 0 ? "." : ",";
}

/* v for people: whole, or with one decimal and the language's mark. Never
 * printf's %f, whose mark follows LC_NUMERIC. */
static const char *fmt_num(char *buf, size_t size, double v)
{
	long long t;

	if (!isfinite(v) || v > 1e15 || v < -1e15)
		return DASH;
	t = (long long)(v * 10 + (v < 0 ? -0.5 : 0.5));
	if (t % 10 == 0)
		snprintf(buf, size, "%lld", t / 10);
	else
		snprintf(buf, size, "%s%lld%s%lld", t < 0 ? "-" : "", llabs(t) / 10, decimal_mark(),
		         llabs(t) % 10);
	return buf;
}

/* v for the sorting script: a dot and two decimals. */
static const char *fmt_sort(char *buf, size_t size, double v)
{
	long long t;

	if (!isfinite(v) || v > 1e15 || v < -1e15)
		return "";
	t = (long long)(v * 100 + (v < 0 ? -0.5 : 0.5));
	snprintf(buf, size, "%s%lld.%02lld", t < 0 ? "-" : "", llabs(t) / 100, llabs(t) % 100);
	return buf;
}

/* A whole percentage: "75 %" in Spanish, "75%" in English. */
static const char *fmt_pct(char *buf, size_t size, double pct)
{
	if (!isfinite(pct) || pct > 1e9 || pct < -1e9)
		return DASH;
	snprintf(buf, size, "%lld%s", (long long)(pct + (pct < 0 ? -0.5 : 0.5)),
	         strcmp(i18n_lang(), "en") == 0 ? "%" : "\xc2\xa0%");
	return buf;
}

/* "score/max" of a student or a lesson, "score" alone, or a dash. */
static void put_score(FILE *out, const cJSON *o)
{
	char a[48], b[48];
	double score, max;

	if (!jnum(o, "score", &score)) {
		fputs(DASH, out);
		return;
	}
	fputs(fmt_num(a, sizeof(a), score), out);
	if (jnum(o, "max_score", &max))
		fprintf(out, "/%s", fmt_num(b, sizeof(b), max));
}

/* The score as a percentage of the maximum, if both are known. */
static int score_pct(const cJSON *o, double *pct)
{
	double score, max;

	if (!jnum(o, "score", &score) || !jnum(o, "max_score", &max) || max <= 0)
		return 0;
	*pct = 100 * score / max;
	return 1;
}

static const char *student_name(const cJSON *st)
{
	const char *name = jstr(st, "student");

	return name && *name ? name : jstr(st, "entry");
}

/* ---- the lesson columns ------------------------------------------------ */

static int col_find(const struct page *pg, const char *id)
{
	for (int i = 0; i < pg->ncols; i++)
		if (strcmp(pg->cols[i].id, id) == 0)
			return i;
	return -1;
}

static void col_add(struct page *pg, const char *id, const cJSON *info)
{
	if (!id || col_find(pg, id) >= 0)
		return;
	pg->cols = xrealloc(pg->cols, (size_t)(pg->ncols + 1) * sizeof(*pg->cols));
	pg->cols[pg->ncols].id = id;
	pg->cols[pg->ncols].info = info;
	pg->ncols++;
}

/* The summary's lessons, then any lesson a student has that it does not list. */
static void collect_cols(struct page *pg)
{
	const cJSON *l, *st;

	cJSON_ArrayForEach (l, jarr(pg->sum, "lessons")) {
		col_add(pg, jstr(l, "lesson"), l);
	}
	cJSON_ArrayForEach (st, pg->students) {
		cJSON_ArrayForEach (l, jobj(st, "lessons")) {
			col_add(pg, l->string, NULL);
		}
	}
}

/* ---- the page's head, header and foot ---------------------------------- */

static const char page_css[] =
        ":root{color-scheme:light;--fg:#1c2430;--muted:#5a6472;--line:#dde2e8;--bg:#f5f6f8;"
        "--card:#fff;--accent:#2d5d9a;--mono:ui-monospace,'SFMono-Regular','DejaVu Sans Mono',"
        "Menlo,Consolas,monospace}\n"
        "*{box-sizing:border-box}\n"
        "body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"
        "'Segoe UI',Roboto,'Noto Sans','DejaVu Sans',sans-serif}\n"
        ".wrap{max-width:1180px;margin:0 auto;padding:28px 28px 48px}\n"
        "h1{font-size:1.8rem;line-height:1.2;margin:0;letter-spacing:-.01em}\n"
        ".lead code{background:none;padding:0;font-size:.95em}\n"
        "h2{font-size:1.25rem;margin:2.4rem 0 .8rem;padding-bottom:.35rem;"
        "border-bottom:2px solid var(--line)}\n"
        "h3{font-size:1.05rem;margin:0 0 .6rem}\n"
        "a{color:var(--accent)}\n"
        ":focus-visible{outline:3px solid #e8a317;outline-offset:2px}\n"
        ".muted{color:var(--muted)}\n"
        ".lead{margin:.3rem 0 0;color:var(--muted)}\n"
        ".weak{margin:.6rem 0 0;padding:.5rem .8rem;border-left:4px solid #e8a317;"
        "background:#fdf6e3}\n"
        ".hint{font-size:.875rem;color:var(--muted);margin:0 0 .6rem}\n"
        "code{font-family:var(--mono);font-size:.88em;background:#eef0f3;padding:0 4px;"
        "border-radius:4px;overflow-wrap:anywhere}\n"
        ".sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;"
        "clip:rect(0 0 0 0);white-space:nowrap;border:0}\n"
        ".facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;"
        "margin:18px 0 0}\n"
        ".facts div{background:var(--card);border:1px solid var(--line);border-radius:10px;"
        "padding:10px 14px}\n"
        ".facts dt{font-size:.72rem;text-transform:uppercase;letter-spacing:.06em;"
        "color:var(--muted)}\n"
        ".facts dd{margin:2px 0 0;font-size:1.3rem;font-weight:650;"
        "font-variant-numeric:tabular-nums}\n"
        ".facts dd small{font-size:.8rem;font-weight:400;color:var(--muted)}\n"
        "nav.toc{margin:18px 0 0;font-size:.9rem}\n"
        "nav.toc a{margin-right:16px}\n"
        ".table-wrap{overflow-x:auto;background:var(--card);border:1px solid var(--line);"
        "border-radius:10px}\n"
        "table.scores{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}\n"
        ".scores th,.scores td{padding:7px 12px;border-bottom:1px solid var(--line);"
        "white-space:nowrap}\n"
        ".scores thead th{position:sticky;top:0;z-index:1;background:#eef1f5;font-size:.82rem;"
        "text-align:center;border-bottom:2px solid #cfd6df}\n"
        ".scores thead th:first-child,.scores tbody th{text-align:left}\n"
        ".scores th button{font:inherit;font-weight:650;color:inherit;background:none;border:0;"
        "padding:2px 0;cursor:pointer}\n"
        ".scores th button::after{content:'\\2195';margin-left:4px;opacity:.35}\n"
        ".scores th[aria-sort=ascending] button::after{content:'\\25B2';opacity:.9}\n"
        ".scores th[aria-sort=descending] button::after{content:'\\25BC';opacity:.9}\n"
        ".scores tbody th{font-weight:500;white-space:normal;min-width:14em}\n"
        ".scores tbody tr:nth-child(even){background:#fafbfc}\n"
        ".scores tbody tr:hover{background:#eef3fa}\n"
        ".scores tbody tr:last-child>*{border-bottom:0}\n"
        ".scores td.st{text-align:center;border-left:2px solid var(--card)}\n"
        ".scores td.num{text-align:right}\n"
        ".scores td.total{font-weight:650}\n"
        ".mark{display:inline-block;width:1.2em;font-weight:700}\n"
        ".meter{display:inline-block;width:60px;height:7px;margin-right:10px;background:#e2e6eb;"
        "border-radius:4px;vertical-align:middle;overflow:hidden}\n"
        ".meter span{display:block;height:100%;background:var(--accent)}\n"
        ".st-pass{background:#e4f3e8;color:#135c34}\n"
        ".st-fail{background:#fff1d6;color:#7f4700}\n"
        ".st-error{background:#fde6e6;color:#9c1c1c}\n"
        ".st-missing,.st-pending,.st-skip,.st-none{background:#eceef1;color:#545d69}\n"
        ".st-broken{background:#efe6fb;color:#56299c}\n"
        ".legend{display:flex;flex-wrap:wrap;gap:8px;margin:10px 0 0;padding:0;list-style:none;"
        "font-size:.82rem}\n"
        ".legend li{padding:2px 10px;border-radius:999px}\n"
        ".lesson{background:var(--card);border:1px solid var(--line);border-radius:10px;"
        "padding:16px 20px;margin:0 0 18px}\n"
        ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:24px}\n"
        "figure{margin:0}\n"
        "figure h4{font-size:.85rem;margin:0 0 .4rem;color:var(--muted);text-transform:uppercase;"
        "letter-spacing:.05em}\n"
        "figcaption{font-size:.85rem;color:var(--muted);margin-top:.5rem}\n"
        "svg.chart{display:block;width:100%;height:auto}\n"
        ".chart text{font-size:11px;fill:#3b4452}\n"
        ".chart text.label{font-size:12.5px;fill:#1c2430}\n"
        ".chart text.pct{font-size:12px;font-weight:600}\n"
        ".chart .axis{stroke:#98a2af;stroke-width:1}\n"
        ".chart .bar{fill:#3b6ea8}\n"
        ".chart .hit{fill:transparent}\n"
        ".chart g:hover .bar{fill:#234f80}\n"
        ".chart .track{fill:#e7eaee}\n"
        ".chart .good{fill:#2f8a57}\n"
        ".chart .mid{fill:#d2891c}\n"
        ".chart .low{fill:#c0392b}\n"
        ".tools{margin:0 0 10px}\n"
        ".tools button{font:inherit;font-size:.85rem;padding:4px 12px;margin-right:6px;"
        "border:1px solid var(--line);border-radius:6px;background:var(--card);cursor:pointer}\n"
        "details.student{background:var(--card);border:1px solid var(--line);border-radius:10px;"
        "margin:0 0 8px}\n"
        "details.student>summary{cursor:pointer;padding:10px 16px;font-weight:650}\n"
        "details.student>summary .muted{font-weight:400;margin-left:8px}\n"
        "details.student[open]>summary{border-bottom:1px solid var(--line)}\n"
        "details .body{padding:4px 18px 14px}\n"
        ".lp{border-left:4px solid var(--line);padding:2px 0 2px 14px;margin:14px 0}\n"
        ".lp.b-fail{border-color:#e3a23b}.lp.b-error{border-color:#d64545}\n"
        ".lp.b-broken{border-color:#8a5cd1}\n"
        ".lp h3{font-size:1rem;margin:0 0 .3rem}\n"
        ".lp p{margin:.3rem 0}\n"
        ".badge{display:inline-block;font-size:.7rem;font-weight:700;padding:1px 8px;"
        "border-radius:999px;margin-right:6px;vertical-align:2px;text-transform:uppercase;"
        "letter-spacing:.04em}\n"
        ".tests{list-style:none;padding:0;margin:8px 0 0}\n"
        ".tests li{margin:0 0 10px}\n"
        ".msg{white-space:pre-wrap;overflow-wrap:anywhere;font:13px/1.45 var(--mono);"
        "background:#f5f6f8;border:1px solid #e2e5ea;border-radius:6px;padding:8px 10px;"
        "margin:4px 0 0}\n"
        "footer{margin-top:40px;padding-top:12px;border-top:1px solid var(--line);"
        "font-size:.8rem;color:var(--muted)}\n"
        "@media print{body{background:#fff;font-size:10.5pt}.wrap{max-width:none;padding:0}"
        "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
        "nav.toc,.tools,.hint{display:none}.scores thead th{position:static}"
        ".scores th button::after{content:none}.lesson,figure,.lp,tr{break-inside:avoid}"
        "h2{break-after:avoid}a{color:inherit;text-decoration:none}}\n";

/* Sorting, and opening a student's details when linked to. The table is
 * complete without it. */
static const char page_js[] =
        "(function () {\n"
        "'use strict';\n"
        "var table = document.getElementById('scores');\n"
        "if (!table || !table.tHead || !table.tBodies.length) return;\n"
        "var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);\n"
        "var body = table.tBodies[0];\n"
        "var rows = Array.prototype.slice.call(body.rows);\n"
        "rows.forEach(function (r, i) { r.setAttribute('data-order', i); });\n"
        "function value(row, col) {\n"
        "  var c = row.cells[col], v = c ? c.getAttribute('data-sort') : null;\n"
        "  return v === null || v === '' ? null : v;\n"
        "}\n"
        "function sortBy(key, desc) {\n"
        "  var col = -1;\n"
        "  heads.forEach(function (th, i) { if (th.getAttribute('data-key') === key) col = i; });\n"
        "  if (col < 0) return false;\n"
        "  var num = heads[col].getAttribute('data-type') === 'num';\n"
        "  rows.slice().sort(function (a, b) {\n"
        "    var x = value(a, col), y = value(b, col), c;\n"
        "    if (x === null || y === null) c = (x === null) - (y === null);\n"
        "    else {\n"
        "      c = num ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, 'es', {numeric: "
        "true});\n"
        "      if (desc) c = -c;\n"
        "    }\n"
        "    return c || a.getAttribute('data-order') - b.getAttribute('data-order');\n"
        "  }).forEach(function (r) { body.appendChild(r); });\n"
        "  heads.forEach(function (th, i) {\n"
        "    if (i === col) th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');\n"
        "    else th.removeAttribute('aria-sort');\n"
        "  });\n"
        "  return true;\n"
        "}\n"
        "function openTarget(id) {\n"
        "  var el = id && document.getElementById(id);\n"
        "  if (el && el.tagName === 'DETAILS') el.open = true;\n"
        "}\n"
        "function fromHash() {\n"
        "  var h = location.hash, m = /^#sort=(-?)(.+)$/.exec(h);\n"
        "  try {\n"
        "    if (m) sortBy(decodeURIComponent(m[2]), m[1] === '-');\n"
        "    else if (h.length > 1) openTarget(decodeURIComponent(h.slice(1)));\n"
        "  } catch (e) {}\n"
        "}\n"
        "heads.forEach(function (th) {\n"
        "  var b = th.querySelector('button');\n"
        "  if (!b) return;\n"
        "  b.addEventListener('click', function () {\n"
        "    var key = th.getAttribute('data-key'), cur = th.getAttribute('aria-sort');\n"
        "    var desc = cur ? cur === 'ascending' : th.getAttribute('data-type') === 'num';\n"
        "    sortBy(key, desc);\n"
        "    try {\n"
        "      history.replaceState(null, '', '#sort=' + (desc ? '-' : '') + "
        "encodeURIComponent(key));\n"
        "    } catch (e) {}\n"
        "  });\n"
        "});\n"
        "document.addEventListener('click', function (e) {\n"
        "  var a = e.target.closest && e.target.closest('a[href^=\"#st-\"]');\n"
        "  if (a) openTarget(a.getAttribute('href').slice(1));\n"
        "});\n"
        "function setAll(open) {\n"
        "  document.querySelectorAll('details.student').forEach(function (d) { d.open = open; });\n"
        "}\n"
        "var tools = document.getElementById('tools');\n"
        "if (tools) {\n"
        "  tools.hidden = false;\n"
        "  document.getElementById('expand-all').addEventListener('click', function () {\n"
        "    setAll(true);\n"
        "  });\n"
        "  document.getElementById('collapse-all').addEventListener('click', function () {\n"
        "    setAll(false);\n"
        "  });\n"
        "}\n"
        "window.addEventListener('beforeprint', function () { setAll(true); });\n"
        "window.addEventListener('hashchange', fromHash);\n"
        "fromHash();\n"
        "})();\n";

static void page_head(const struct page *pg)
{
	fprintf(pg->out,
	        "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	        "<meta name=\"generator\" content=\"checker\">\n<title>",
	        strcmp(i18n_lang(), "en") == 0 ? "en" : "es");
	html_put(pg->out, _("Grading report"));
	fprintf(pg->out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<div class=\"wrap\">\n",
	        page_css);
}

/* "2026-11-29T23:10:00Z" as "2026-11-29 23:10 UTC"; anything else as given. */
static void put_date(FILE *out, const char *iso)
{
	int y, mo, d, h, mi;
	char z[2];

	if (!iso) {
		fputs(DASH, out);
		return;
	}
	fputs("<time datetime=\"", out);
	html_put(out, iso);
	fputs("\">", out);
	if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%*2d%1[Z]", &y, &mo, &d, &h, &mi, z) == 6)
		fprintf(out, "%04d-%02d-%02d %02d:%02d UTC", y, mo, d, h, mi);
	else
		html_put(out, iso);
	fputs("</time>", out);
}

static void fact_open(FILE *out, const char *label)
{
	fputs("<div><dt>", out);
	html_put(out, label);
	fputs("</dt><dd>", out);
}

/* The class average: mean score, out of the class maximum, as a percentage. */
static void put_average(const struct page *pg)
{
	const cJSON *st;
	double sum = 0, psum = 0, v, max;
	int n = 0, pn = 0;
	char a[48], b[48];

	cJSON_ArrayForEach (st, pg->students) {
		if (jnum(st, "score", &v))
			sum += v, n++;
		if (score_pct(st, &v))
			psum += v, pn++;
	}
	if (!n) {
		fputs(DASH, pg->out);
		return;
	}
	fputs(fmt_num(a, sizeof(a), sum / n), pg->out);
	if (jnum(pg->sum, "max_score", &max))
		fprintf(pg->out, " / %s", fmt_num(b, sizeof(b), max));
	if (pn)
		fprintf(pg->out, " <small>(%s)</small>", fmt_pct(a, sizeof(a), psum / pn));
}

static int student_has_problems(const struct page *pg, const cJSON *st);

static void page_header(const struct page *pg)
{
	FILE *out = pg->out;
	const cJSON *st;
	double seed;
	int clean = 0;

	cJSON_ArrayForEach (st, pg->students) {
		clean += cJSON_IsObject(st) && !student_has_problems(pg, st);
	}
	fputs("<header>\n<h1>", out);
	html_put(out, _("Grading report"));
	fputs("</h1>\n<p class=\"lead\">", out);
	html_put(out, _("Generated:"));
	fputc(' ', out);
	put_date(out, jstr(pg->sum, "generated"));
	if (jnum(pg->sum, "seed", &seed)) {
		/* Seeds are whole numbers: print all their digits. */
		fputs(" · ", out);
		html_put(out, _("Seed:"));
		fprintf(out, " <code>%.0f</code>", seed >= 0 && seed < 1e19 ? seed : 0);
	}
	if (jstr(pg->sum, "isolation")) {
		fputs(" · ", out);
		html_put(out, _("Isolation:"));
		fputc(' ', out);
		html_put(out, jstr(pg->sum, "isolation"));
	}
	fputs("</p>\n", out);
	if (jstr(pg->sum, "isolation_weak")) {
		fputs("<p class=\"weak\"><strong>", out);
		/* TRANSLATORS: then what the tier lacked (box_tier_missing). */
		html_put(out, _("Graded with a weak isolation tier:"));
		fputs("</strong> ", out);
		html_put(out, jstr(pg->sum, "isolation_weak"));
		fputs("</p>\n", out);
	}
	fputs("<dl class=\"facts\">\n", out);
	fact_open(out, _("Students"));
	fprintf(out, "%d</dd></div>\n", pg->nstudents);
	fact_open(out, _("Lessons"));
	fprintf(out, "%d</dd></div>\n", pg->ncols);
	fact_open(out, _("Class average"));
	put_average(pg);
	fputs("</dd></div>\n", out);
	fact_open(out, _("Passed every test"));
	fprintf(out, "%d</dd></div>\n", clean);
	fputs("</dl>\n<nav class=\"toc\"><a href=\"#scores-h\">", out);
	html_put(out, _("Scores"));
	fputs("</a><a href=\"#lessons-h\">", out);
	html_put(out, _("Lessons"));
	fputs("</a><a href=\"#problems-h\">", out);
	html_put(out, _("Problems by student"));
	fputs("</a></nav>\n</header>\n<main>\n", out);
}

static void page_footer(const struct page *pg)
{
	fputs("</main>\n<footer><p>", pg->out);
	html_put(pg->out, _("Generated by checker. This page works offline: it loads nothing "
	                    "from the network."));
	fprintf(pg->out, "</p></footer>\n</div>\n<script>\n%s</script>\n</body>\n</html>\n",
	        page_js);
}

/* ---- the score table --------------------------------------------------- */

static void th_sort(FILE *out, const char *key, const char *type, const char *label,
                    const char *title)
{
	fputs("<th scope=\"col\" data-key=\"", out);
	html_put(out, key);
	fprintf(out, "\" data-type=\"%s\"", type);
	if (title) {
		fputs(" title=\"", out);
		html_put(out, title);
		fputc('"', out);
	}
	fputs("><button type=\"button\">", out);
	html_put(out, label);
	fputs("</button></th>", out);
}

static void table_head(const struct page *pg)
{
	FILE *out = pg->out;

	fputs("<thead><tr>", out);
	th_sort(out, "student", "text", _("Student"), NULL);
	for (int i = 0; i < pg->ncols; i++)
		th_sort(out, pg->cols[i].id, "num", pg->cols[i].id,
		        jstr(pg->cols[i].info, "title"));
	th_sort(out, "total", "num", _("Total"), NULL);
	th_sort(out, "pct", "num", _("Percentage"), NULL);
	fputs("</tr></thead>\n", out);
}

static void lesson_cell(FILE *out, const cJSON *l)
{
	enum lstatus s = lstatus_of(l);
	char buf[48];
	double score;

	fprintf(out, "<td class=\"st st-%s\" data-sort=\"%s\" title=\"", lstatus_class(s),
	        jnum(l, "score", &score) ? fmt_sort(buf, sizeof(buf), score) : "");
	html_put(out, lstatus_label(s));
	fprintf(out, "\"><span class=\"mark\" aria-hidden=\"true\">%s</span>", lstatus_mark(s));
	put_score(out, l);
	fputs(" <span class=\"sr\">(", out);
	html_put(out, lstatus_label(s));
	fputs(")</span></td>", out);
}

static void pct_cell(FILE *out, const cJSON *st)
{
	char buf[48];
	double pct;

	if (!score_pct(st, &pct)) {
		fputs("<td class=\"num\" data-sort=\"\">" DASH "</td>", out);
		return;
	}
	fprintf(out, "<td class=\"num\" data-sort=\"%s\">", fmt_sort(buf, sizeof(buf), pct));
	fprintf(out,
	        "<span class=\"meter\" aria-hidden=\"true\"><span style=\"width:%d%%\"></span>"
	        "</span>",
	        pct < 0     ? 0
	        : pct > 100 ? 100
	                    : (int)(pct + 0.5));
	fprintf(out, "%s</td>", fmt_pct(buf, sizeof(buf), pct));
}

static void table_row(const struct page *pg, const cJSON *st, int index)
{
	FILE *out = pg->out;
	const char *name = student_name(st), *entry = jstr(st, "entry");
	char buf[48];
	double score;

	fputs("<tr><th scope=\"row\" data-sort=\"", out);
	html_put(out, name);
	fputc('"', out);
	if (entry) {
		fputs(" title=\"", out);
		html_put(out, entry);
		fputc('"', out);
	}
	fputc('>', out);
	if (student_has_problems(pg, st)) {
		fprintf(out, "<a href=\"#st-%d\">", index);
		html_put(out, name);
		fputs("</a>", out);
	} else {
		html_put(out, name);
	}
	fputs("</th>", out);
	for (int i = 0; i < pg->ncols; i++)
		lesson_cell(out, student_lesson(st, pg->cols[i].id));
	fprintf(out, "<td class=\"num total\" data-sort=\"%s\">",
	        jnum(st, "score", &score) ? fmt_sort(buf, sizeof(buf), score) : "");
	put_score(out, st);
	fputs("</td>", out);
	pct_cell(out, st);
	fputs("</tr>\n", out);
}

static void table_legend(FILE *out)
{
	static const enum lstatus shown[] = {LS_PASS, LS_FAIL, LS_ERROR, LS_MISSING, LS_BROKEN};

	fputs("<ul class=\"legend\" aria-label=\"", out);
	html_put(out, _("Legend"));
	fputs("\">", out);
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		fprintf(out,
		        "<li class=\"st-%s\"><span class=\"mark\" aria-hidden=\"true\">%s</span>",
		        lstatus_class(shown[i]), lstatus_mark(shown[i]));
		html_put(out, lstatus_label(shown[i]));
		fputs("</li>", out);
	}
	fputs("</ul>\n", out);
}

static void page_table(const struct page *pg)
{
	FILE *out = pg->out;
	const cJSON *st;
	int index = 0;

	fputs("<section aria-labelledby=\"scores-h\">\n<h2 id=\"scores-h\">", out);
	html_put(out, _("Scores"));
	fputs("</h2>\n<p class=\"hint\">", out);
	html_put(out, _("Click a column header to sort by it; click again to reverse. A "
	                "student's name leads to what went wrong."));
	fputs("</p>\n<div class=\"table-wrap\">\n<table class=\"scores\" id=\"scores\">\n", out);
	fputs("<caption class=\"sr\">", out);
	html_put(out, _("Score of each student in each lesson, total and percentage"));
	fputs("</caption>\n", out);
	table_head(pg);
	fputs("<tbody>\n", out);
	cJSON_ArrayForEach (st, pg->students) {
		if (cJSON_IsObject(st))
			table_row(pg, st, index++);
	}
	fputs("</tbody>\n</table>\n</div>\n", out);
	table_legend(out);
	fputs("</section>\n", out);
}

/* ---- per lesson: a histogram of scores and pass rates per test --------- */

/* The lesson's maximum: the summary's, else the students', else the best score. */
static double lesson_max(const struct page *pg, const struct col *c)
{
	const cJSON *st;
	double max = 0, v;

	if (jnum(c->info, "max_score", &v) && v > 0)
		return v;
	cJSON_ArrayForEach (st, pg->students) {
		if (jnum(student_lesson(st, c->id), "max_score", &v) && v > max)
			max = v;
	}
	if (max > 0)
		return max;
	cJSON_ArrayForEach (st, pg->students) {
		if (jnum(student_lesson(st, c->id), "score", &v) && v > max)
			max = v;
	}
	return max;
}

static int hist_bin(const struct lstats *ls, double score)
{
	int bin;

	if (score <= 0)
		return 0;
	if (score >= ls->max)
		return ls->nbins - 1;
	bin = ls->per_value ? (int)score : (int)(score / ls->max * ls->nbins);
	return bin >= ls->nbins ? ls->nbins - 1 : bin;
}

static void lesson_stats(const struct page *pg, const struct col *c, struct lstats *ls)
{
	const cJSON *st;
	double score;

	memset(ls, 0, sizeof(*ls));
	ls->max = lesson_max(pg, c);
	ls->per_value = ls->max <= HIST_MAX_BINS - 1 && ls->max == (double)(int)ls->max;
	ls->nbins = ls->per_value ? (int)ls->max + 1 : 10;
	cJSON_ArrayForEach (st, pg->students) {
		const cJSON *l = student_lesson(st, c->id);
		enum lstatus s = lstatus_of(l);

		if (!cJSON_IsObject(st))
			continue;
		if (lstatus_absent(s)) {
			ls->absent++;
			continue;
		}
		ls->submitted++;
		ls->all_pass += s == LS_PASS;
		if (!jnum(l, "score", &score))
			continue;
		ls->scored++;
		ls->sum += score;
		ls->bins[hist_bin(ls, score)]++;
	}
}

/* The lower edge of a ten-bin histogram's bin i (i == nbins: the top). */
static double bin_edge(const struct lstats *ls, int i)
{
	return ls->max * i / ls->nbins;
}

/* What bin i holds, for people: "7", or "4–8". */
static const char *bin_label(const struct lstats *ls, int i, char *buf, size_t size)
{
	char a[48], b[48];

	if (ls->per_value)
		return fmt_num(buf, size, i);
	snprintf(buf, size, "%s–%s", fmt_num(a, sizeof(a), bin_edge(ls, i)),
	         fmt_num(b, sizeof(b), bin_edge(ls, i + 1)));
	return buf;
}

static void bin_count_text(FILE *out, const char *label, int count)
{
	char buf[160];

	/* TRANSLATORS: a bar of a histogram: the score (or range of scores) and how
	 * many students got it. */
	snprintf(buf, sizeof(buf),
	         ngettext("%s points: %d student", "%s points: %d students", (unsigned long)count),
	         label, count);
	html_put(out, buf);
}

static void hist_bar(FILE *out, const struct lstats *ls, int i, int top)
{
	const int pw = HIST_W - HIST_LEFT - HIST_RIGHT, ph = HIST_H - HIST_TOP - HIST_BOTTOM;
	int x0 = HIST_LEFT + i * pw / ls->nbins, x1 = HIST_LEFT + (i + 1) * pw / ls->nbins;
	int w = x1 - x0, pad = w / 8, h = top ? ls->bins[i] * ph / top : 0;
	int base = HIST_TOP + ph;
	char label[100];

	bin_label(ls, i, label, sizeof(label));
	fputs("<g><title>", out);
	bin_count_text(out, label, ls->bins[i]);
	fprintf(out, "</title><rect class=\"hit\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
	        x0, HIST_TOP, w, ph);
	fprintf(out, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"2\"/>",
	        x0 + pad, base - h, w - 2 * pad, h);
	if (ls->bins[i])
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>", x0 + w / 2,
		        base - h - 5, ls->bins[i]);
	if (ls->per_value)
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", x0 + w / 2,
		        base + 15, label);
	fputs("</g>\n", out);
}

/* Axis labels between bins: the edges of a ten-bin histogram. */
static void hist_edges(FILE *out, const struct lstats *ls)
{
	const int pw = HIST_W - HIST_LEFT - HIST_RIGHT, base = HIST_H - HIST_BOTTOM;
	char buf[48];

	for (int i = 0; i <= ls->nbins; i++)
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
		        HIST_LEFT + i * pw / ls->nbins, base + 15,
		        fmt_num(buf, sizeof(buf), bin_edge(ls, i)));
	fputc('\n', out);
}

static void chart_histogram(FILE *out, const struct lstats *ls, int ci)
{
	int top = 0;
	char label[100];

	for (int i = 0; i < ls->nbins; i++)
		if (ls->bins[i] > top)
			top = ls->bins[i];
	fprintf(out,
	        "<svg class=\"chart hist\" data-bars=\"%d\" viewBox=\"0 0 %d %d\" width=\"%d\" "
	        "height=\"%d\" role=\"img\" aria-labelledby=\"h%d-t h%d-d\">\n<title id=\"h%d-t\">",
	        ls->nbins, HIST_W, HIST_H, HIST_W, HIST_H, ci, ci, ci);
	html_put(out, _("Number of students by score"));
	fprintf(out, "</title>\n<desc id=\"h%d-d\">", ci);
	for (int i = 0; i < ls->nbins; i++) {
		bin_count_text(out, bin_label(ls, i, label, sizeof(label)), ls->bins[i]);
		fputs(i + 1 < ls->nbins ? "; " : ".", out);
	}
	fputs("</desc>\n", out);
	for (int i = 0; i < ls->nbins; i++)
		hist_bar(out, ls, i, top);
	if (!ls->per_value)
		hist_edges(out, ls);
	fprintf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", HIST_LEFT,
	        HIST_H - HIST_BOTTOM, HIST_W - HIST_RIGHT, HIST_H - HIST_BOTTOM);
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", HIST_W / 2, HIST_H - 4);
	html_put(out, _("points"));
	fputs("</text>\n</svg>\n", out);
}

static void histogram_caption(FILE *out, const struct lstats *ls)
{
	char buf[200], a[48], b[48];

	if (!ls->scored) {
		html_put(out, _("No student has a score in this lesson yet."));
	} else {
		/* TRANSLATORS: under a histogram: how many students have a score,
		 * their mean score, and the lesson's maximum. */
		snprintf(buf, sizeof(buf),
		         ngettext("%d student graded, mean %s of %s points.",
		                  "%d students graded, mean %s of %s points.",
		                  (unsigned long)ls->scored),
		         ls->scored, fmt_num(a, sizeof(a), ls->sum / ls->scored),
		         fmt_num(b, sizeof(b), ls->max));
		html_put(out, buf);
	}
	fputc(' ', out);
	snprintf(buf, sizeof(buf),
	         ngettext("%d passed every test.", "%d passed every test.",
	                  (unsigned long)ls->all_pass),
	         ls->all_pass);
	html_put(out, buf);
	if (ls->absent) {
		fputc(' ', out);
		/* TRANSLATORS: students left out of a lesson's histogram. */
		snprintf(buf, sizeof(buf),
		         ngettext("%d with no result (missing, unreadable or pending) not counted.",
		                  "%d with no result (missing, unreadable or pending) not counted.",
		                  (unsigned long)ls->absent),
		         ls->absent);
		html_put(out, buf);
	}
}

static void trate_add(struct trate **ts, int *n, const char *id, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (strcmp((*ts)[i].id, id) == 0)
			return;
	*ts = xrealloc(*ts, (size_t)(*n + 1) * sizeof(**ts));
	(*ts)[*n] = (struct trate){.id = id, .name = name, .passed = 0};
	(*n)++;
}

/* The lesson's tests (the summary's list, else those the students ran) and
 * how many submitted students passed each. */
static struct trate *lesson_rates(const struct page *pg, const struct col *c, int *n)
{
	struct trate *ts = NULL;
	const cJSON *t, *st;

	*n = 0;
	cJSON_ArrayForEach (t, jarr(c->info, "tests")) {
		if (jstr(t, "id"))
			trate_add(&ts, n, jstr(t, "id"), jstr(t, "name"));
	}
	if (!*n)
		cJSON_ArrayForEach (st, pg->students) {
			cJSON_ArrayForEach (t, jarr(student_lesson(st, c->id), "tests")) {
				if (jstr(t, "id"))
					trate_add(&ts, n, jstr(t, "id"), jstr(t, "name"));
			}
		}
	cJSON_ArrayForEach (st, pg->students) {
		const cJSON *l = student_lesson(st, c->id);

		if (lstatus_absent(lstatus_of(l)))
			continue;
		cJSON_ArrayForEach (t, jarr(l, "tests")) {
			for (int i = 0; i < *n; i++)
				if (jstr(t, "id") && strcmp(ts[i].id, jstr(t, "id")) == 0 &&
				    lstatus_of(t) == LS_PASS)
					ts[i].passed++;
		}
	}
	return ts;
}

static void rate_bar(FILE *out, const struct trate *t, int row, int of)
{
	int y = row * RATE_ROW, w = of ? t->passed * RATE_TRACK / of : 0;
	double pct = of ? 100.0 * t->passed / of : NAN;
	const char *name = t->name ? t->name : t->id;
	char p[48], *tip;

	/* TRANSLATORS: tooltip of a pass-rate bar: the test's name, how many
	 * students passed it, out of how many, and the percentage. */
	tip = xasprintf(_("%s: %d of %d passed (%s)"), name, t->passed, of,
	                fmt_pct(p, sizeof(p), pct));
	fputs("<g><title>", out);
	html_put(out, tip);
	free(tip);
	fprintf(out, "</title><text class=\"label\" x=\"0\" y=\"%d\">", y + 14);
	html_put_n(out, name, LABEL_MAX);
	fprintf(out,
	        "</text><rect class=\"track\" x=\"0\" y=\"%d\" width=\"%d\" height=\"12\" "
	        "rx=\"3\"/>",
	        y + 21, RATE_TRACK);
	fprintf(out,
	        "<rect class=\"bar %s\" x=\"0\" y=\"%d\" width=\"%d\" height=\"12\" rx=\"3\"/>",
	        pct >= 80   ? "good"
	        : pct >= 50 ? "mid"
	                    : "low",
	        y + 21, w > RATE_TRACK ? RATE_TRACK : w);
	fprintf(out, "<text class=\"pct\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", RATE_W, y + 31);
	html_put(out, fmt_pct(p, sizeof(p), pct));
	fputs("</text></g>\n", out);
}

static void chart_rates(FILE *out, const struct trate *ts, int n, int of, int ci)
{
	int h = n * RATE_ROW;

	fprintf(out,
	        "<svg class=\"chart rates\" data-bars=\"%d\" viewBox=\"0 0 %d %d\" width=\"%d\" "
	        "height=\"%d\" role=\"img\" aria-labelledby=\"r%d-t r%d-d\">\n<title id=\"r%d-t\">",
	        n, RATE_W, h, RATE_W, h, ci, ci, ci);
	html_put(out, _("Share of students who passed each test"));
	fprintf(out, "</title>\n<desc id=\"r%d-d\">", ci);
	for (int i = 0; i < n; i++) {
		char buf[200], p[48];

		html_put(out, ts[i].name ? ts[i].name : ts[i].id);
		snprintf(buf, sizeof(buf), ": %s%s",
		         fmt_pct(p, sizeof(p), of ? 100.0 * ts[i].passed / of : NAN),
		         i + 1 < n ? "; " : ".");
		html_put(out, buf);
	}
	fputs("</desc>\n", out);
	for (int i = 0; i < n; i++)
		rate_bar(out, &ts[i], i, of);
	fputs("</svg>\n", out);
}

static void figure_open(FILE *out, const char *heading)
{
	fputs("<figure>\n<h4>", out);
	html_put(out, heading);
	fputs("</h4>\n", out);
}

static void lesson_rates_figure(const struct page *pg, const struct col *c, const struct lstats *ls,
                                int ci)
{
	FILE *out = pg->out;
	struct trate *ts;
	char buf[200];
	int n;

	figure_open(out, _("Pass rate per test"));
	ts = lesson_rates(pg, c, &n);
	if (n)
		chart_rates(out, ts, n, ls->submitted, ci);
	fputs("<figcaption>", out);
	if (!n) {
		html_put(out, _("No tests listed for this lesson."));
	} else {
		/* TRANSLATORS: under the pass-rate chart; %d counts the students who
		 * handed the lesson in. */
		snprintf(buf, sizeof(buf),
		         ngettext("Out of the %d student who handed this lesson in.",
		                  "Out of the %d students who handed this lesson in.",
		                  (unsigned long)ls->submitted),
		         ls->submitted);
		html_put(out, buf);
	}
	fputs("</figcaption>\n</figure>\n", out);
	free(ts);
}

static void lesson_section(const struct page *pg, const struct col *c, int ci)
{
	FILE *out = pg->out;
	const char *title = jstr(c->info, "title");
	struct lstats ls;

	lesson_stats(pg, c, &ls);
	fprintf(out, "<article class=\"lesson\" id=\"lesson-%d\">\n<h3>", ci);
	html_put(out, c->id);
	if (title) {
		fputs(" · ", out);
		html_put(out, title);
	}
	fputs("</h3>\n<div class=\"charts\">\n", out);
	figure_open(out, _("Score distribution"));
	chart_histogram(out, &ls, ci);
	fputs("<figcaption>", out);
	histogram_caption(out, &ls);
	fputs("</figcaption>\n</figure>\n", out);
	lesson_rates_figure(pg, c, &ls, ci);
	fputs("</div>\n</article>\n", out);
}

static void page_lessons(const struct page *pg)
{
	fputs("<section aria-labelledby=\"lessons-h\">\n<h2 id=\"lessons-h\">", pg->out);
	html_put(pg->out, _("Lessons"));
	fputs("</h2>\n", pg->out);
	if (!pg->ncols) {
		fputs("<p class=\"muted\">", pg->out);
		html_put(pg->out, _("No lessons in this report."));
		fputs("</p>\n", pg->out);
	}
	for (int i = 0; i < pg->ncols; i++)
		lesson_section(pg, &pg->cols[i], i);
	fputs("</section>\n", pg->out);
}

/* ---- per student: what went wrong -------------------------------------- */

static int test_failed(const cJSON *t)
{
	enum lstatus s = lstatus_of(t);

	return s == LS_FAIL || s == LS_ERROR;
}

static int lesson_has_problems(const cJSON *l)
{
	const cJSON *t;

	if (lstatus_of(l) != LS_PASS)
		return 1;
	cJSON_ArrayForEach (t, jarr(l, "tests")) {
		if (test_failed(t))
			return 1;
	}
	return 0;
}

static int student_has_problems(const struct page *pg, const cJSON *st)
{
	for (int i = 0; i < pg->ncols; i++)
		if (lesson_has_problems(student_lesson(st, pg->cols[i].id)))
			return 1;
	return 0;
}

static void badge(FILE *out, enum lstatus s)
{
	fprintf(out, "<span class=\"badge st-%s\">", lstatus_class(s));
	html_put(out, lstatus_label(s));
	fputs("</span>", out);
}

static void problem_build(FILE *out, const cJSON *l)
{
	const cJSON *build = jobj(l, "build");
	const char *first = jstr(build, "first_error");

	/* A build that did not run (a --cmd program) is not a failed one. */
	if (!cJSON_IsFalse(jget(build, "ok")) || cJSON_IsFalse(jget(build, "ran")) ||
	    (!first && lstatus_of(l) != LS_ERROR))
		return;
	fputs("<p><strong>", out);
	html_put(out, _("Does not compile."));
	fputs("</strong>", out);
	if (first) {
		fputc(' ', out);
		html_put(out, _("First error:"));
		fputs("</p>\n<div class=\"msg\">", out);
		html_put(out, first);
		fputs("</div>\n", out);
	} else {
		fputs("</p>\n", out);
	}
}

static void problem_test(FILE *out, const cJSON *t)
{
	const char *msg = jstr(t, "message"), *name = jstr(t, "name");

	fputs("<li>", out);
	badge(out, lstatus_of(t));
	fputs("<strong>", out);
	html_put(out, name ? name : jstr(t, "id"));
	fputs("</strong> <span class=\"muted\">", out);
	if (name && jstr(t, "id")) {
		html_put(out, jstr(t, "id"));
		fputs(" · ", out);
	}
	put_score(out, t);
	fputs("</span>", out);
	if (msg && *msg) {
		fputs("<div class=\"msg\">", out);
		html_put(out, msg);
		fputs("</div>", out);
	}
	if (jstr(t, "cause") && cause_parse(jstr(t, "cause")) != CAUSE_NONE) {
		fputs("<div class=\"msg\">", out);
		html_put(out, _("Cause:"));
		fputs(" ", out);
		html_put(out, cause_what(cause_parse(jstr(t, "cause"))));
		fputs("</div>", out);
	}
	fputs("</li>\n", out);
}

static void problem_tests(FILE *out, const cJSON *l)
{
	const cJSON *t;
	int failed = 0, skipped = 0;
	char buf[160];

	cJSON_ArrayForEach (t, jarr(l, "tests")) {
		failed += test_failed(t);
		skipped += lstatus_of(t) == LS_SKIP;
	}
	if (failed) {
		fputs("<ul class=\"tests\">\n", out);
		cJSON_ArrayForEach (t, jarr(l, "tests")) {
			if (test_failed(t))
				problem_test(out, t);
		}
		fputs("</ul>\n", out);
	}
	if (skipped) {
		snprintf(buf, sizeof(buf),
		         ngettext("%d test skipped.", "%d tests skipped.", (unsigned long)skipped),
		         skipped);
		fputs("<p class=\"muted\">", out);
		html_put(out, buf);
		fputs("</p>\n", out);
	}
}

/* Where the lesson's result file is and which seed replays it. */
static void problem_meta(FILE *out, const cJSON *l)
{
	const char *file = jstr(l, "file");
	double seed;

	if (!file && !jnum(l, "seed", &seed))
		return;
	fputs("<p class=\"muted\">", out);
	if (file) {
		html_put(out, _("Result file:"));
		fputs(" <code>", out);
		html_put(out, file);
		fputs("</code>", out);
	}
	if (jnum(l, "seed", &seed)) {
		fputs(file ? " · " : "", out);
		html_put(out, _("Seed:"));
		fprintf(out, " <code>%.0f</code>", seed >= 0 && seed < 1e19 ? seed : 0);
	}
	fputs("</p>\n", out);
}

static void problem_lesson(FILE *out, const struct col *c, const cJSON *l)
{
	enum lstatus s = lstatus_of(l);
	const char *title = jstr(c->info, "title"), *msg = jstr(l, "message");

	fprintf(out, "<section class=\"lp b-%s\">\n<h3>", lstatus_class(s));
	badge(out, s);
	html_put(out, c->id);
	if (title) {
		fputs(" · ", out);
		html_put(out, title);
	}
	fputs(" <span class=\"muted\">", out);
	put_score(out, l);
	fputs("</span></h3>\n", out);
	if (!l) {
		fputs("<p>", out);
		html_put(out, _("No result for this lesson."));
		fputs("</p>\n", out);
	}
	if (msg && *msg) {
		fputs("<p>", out);
		html_put(out, msg);
		fputs("</p>\n", out);
	}
	problem_meta(out, l);
	problem_build(out, l);
	problem_tests(out, l);
	fputs("</section>\n", out);
}

static void problem_student(const struct page *pg, const cJSON *st, int index)
{
	FILE *out = pg->out;
	const char *entry = jstr(st, "entry");
	int n = 0;
	char buf[160];

	for (int i = 0; i < pg->ncols; i++)
		n += lesson_has_problems(student_lesson(st, pg->cols[i].id));
	fprintf(out, "<details class=\"student\" id=\"st-%d\">\n<summary>", index);
	html_put(out, student_name(st));
	fputs("<span class=\"muted\">", out);
	put_score(out, st);
	snprintf(buf, sizeof(buf),
	         ngettext("%d lesson with problems", "%d lessons with problems", (unsigned long)n),
	         n);
	fputs(" · ", out);
	html_put(out, buf);
	fputs("</span></summary>\n<div class=\"body\">\n", out);
	if (entry) {
		fputs("<p class=\"muted\">", out);
		html_put(out, _("Submission:"));
		fputs(" <code>", out);
		html_put(out, entry);
		fputs("</code></p>\n", out);
	}
	for (int i = 0; i < pg->ncols; i++) {
		const cJSON *l = student_lesson(st, pg->cols[i].id);

		if (lesson_has_problems(l))
			problem_lesson(out, &pg->cols[i], l);
	}
	fputs("</div>\n</details>\n", out);
}

static void page_problems(const struct page *pg)
{
	FILE *out = pg->out;
	const cJSON *st;
	int index = 0, shown = 0;

	fputs("<section aria-labelledby=\"problems-h\">\n<h2 id=\"problems-h\">", out);
	html_put(out, _("Problems by student"));
	fputs("</h2>\n<div class=\"tools\" id=\"tools\" hidden><button type=\"button\" "
	      "id=\"expand-all\">",
	      out);
	html_put(out, _("Expand all"));
	fputs("</button><button type=\"button\" id=\"collapse-all\">", out);
	html_put(out, _("Collapse all"));
	fputs("</button></div>\n", out);
	cJSON_ArrayForEach (st, pg->students) {
		if (!cJSON_IsObject(st))
			continue;
		if (student_has_problems(pg, st)) {
			problem_student(pg, st, index);
			shown++;
		}
		index++;
	}
	if (!shown) {
		fputs("<p class=\"muted\">", out);
		html_put(out, index ? _("Every student passed every test.")
		                    : _("No students in this report."));
		fputs("</p>\n", out);
	}
	fputs("</section>\n", out);
}

void report_html(FILE *out, const cJSON *summary)
{
	struct page pg = {.out = out, .sum = summary, .students = jarr(summary, "students")};
	const cJSON *st;

	cJSON_ArrayForEach (st, pg.students) {
		pg.nstudents += cJSON_IsObject(st);
	}
	collect_cols(&pg);
	page_head(&pg);
	page_header(&pg);
	page_table(&pg);
	page_lessons(&pg);
	page_problems(&pg);
	page_footer(&pg);
	free(pg.cols);
}
