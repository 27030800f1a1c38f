#!/usr/bin/env python3
"""html_check.py - the work of html_check.sh (see its top for usage)."""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}
LOAD_TIMEOUT = 60  # seconds for one page load, start-up included
PARALLEL = min(4, os.cpu_count() or 1)  # browsers at once
DEFAULT_SORTS = ["-total", "student"]
SKIP = 77


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = {k: (v if v is not None else "") for k, v in attrs}
        self.children = []
        self.parent = parent

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self):
        return self.attrs.get("class", "").split()

    def find(self, tag=None, cls=None, **attrs):
        return [n for n in self.iter()
                if (tag is None or n.tag == tag)
                and (cls is None or cls in n.classes())
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]


class Builder(HTMLParser):
    """A tree from well-formed HTML (Chromium's serialisation, or ours)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(text):
    b = Builder()
    b.feed(text)
    b.close()
    return b.root


class Checks:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def check(self, ok, desc, why=""):
        self.count += 1
        if ok:
            print(f"  ok   {desc}")
        else:
            self.failed += 1
            print(f"  FAIL {desc}" + (f": {why}" if why else ""))
        return ok


# ---- the browser ----------------------------------------------------------

def find_chromium():
    wait = float(os.environ.get("HTML_CHECK_WAIT", "0") or 0)
    deadline = time.monotonic() + wait
    while True:
        for name in [os.environ.get("CHROMIUM"), "chromium", "chromium-browser"]:
            if name and shutil.which(name):
                return shutil.which(name)
        if time.monotonic() >= deadline:
            return None
        time.sleep(min(2.0, max(0.0, deadline - time.monotonic())))


def dump_dom(chromium, url, profile):
    """The page's DOM after its scripts ran, as HTML, or raise RuntimeError."""
    cmd = [chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
           "--virtual-time-budget=2000", f"--user-data-dir={profile}",
           "--no-first-run", "--no-default-browser-check", "--disable-extensions",
           "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--disable-default-apps", "--host-resolver-rules=MAP * ~NOTFOUND",
           "--dump-dom", url]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=LOAD_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise RuntimeError(f"chromium took more than {LOAD_TIMEOUT} s on {url}")
    text = out.decode("utf-8", "replace")
    if proc.returncode != 0 or "<html" not in text:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise RuntimeError(f"chromium failed on {url} (exit {proc.returncode}): "
                           + " | ".join(tail))
    return text


def load_all(chromium, urls):
    """Each URL's DOM, parsed; a few browsers at a time, each with its own
    throw-away profile, all removed at the end."""
    tmp = tempfile.mkdtemp(prefix="html-check-")

    def load(i_url):
        i, url = i_url
        return url, parse(dump_dom(chromium, url, os.path.join(tmp, str(i))))

    try:
        with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
            return dict(pool.map(load, enumerate(urls)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- reading the score table ----------------------------------------------

def score_table(root):
    tables = root.find("table", id="scores")
    return tables[0] if tables else None


def heads(table):
    thead = table.find("thead")
    rows = thead[0].find("tr") if thead else []
    return [c for c in rows[0].children if isinstance(c, Node)] if rows else []


def body_rows(table):
    tbody = table.find("tbody")
    if not tbody:
        return []
    return [r for r in tbody[0].children if isinstance(r, Node) and r.tag == "tr"]


def cells(row):
    return [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]


def row_name(row):
    cs = cells(row)
    return " ".join(cs[0].text().split()) if cs else ""


def sort_value(cell):
    v = cell.attrs.get("data-sort")
    return None if v is None or v == "" else v


# Names: a primary key in the spirit of ICU's Spanish collation, which is
# what localeCompare(..., 'es') uses: case and accents do not count, ñ is a
# letter after n, digits compare as numbers ({numeric: true}), spaces and
# punctuation come before digits and letters. Where two names first differ
# in two different punctuation marks the order is not known (None).
def name_tokens(s):
    s = unicodedata.normalize("NFD", s.casefold())
    tokens, i = [], 0
    while i < len(s):
        ch = s[i]
        if ch.isdigit():
            j = i
            while j < len(s) and s[j].isdigit():
                j += 1
            tokens.append((1, int(s[i:j]), ""))
            i = j
            continue
        i += 1
        if unicodedata.combining(ch):
            if ch == "\u0303" and tokens and tokens[-1][:2] == (2, "n"):
                tokens[-1] = (2, "n", "\uffff")  # ñ
            continue
        tokens.append((2, ch, "") if ch.isalpha() else (0, None, ch))
    return tokens


def name_cmp(a, b):
    ta, tb = name_tokens(a), name_tokens(b)
    for x, y in zip(ta, tb):
        if x == y:
            continue
        if x[0] == 0 and y[0] == 0:
            return None
        return -1 if x < y else 1
    return (len(ta) > len(tb)) - (len(ta) < len(tb))


def out_of_order(values, numeric, desc):
    """The first index i where values[i] should not follow values[i-1]."""
    seen_empty = False
    for i, v in enumerate(values):
        if v is None:
            seen_empty = True
            continue
        if seen_empty:
            return i
        if i == 0 or values[i - 1] is None:
            continue
        prev = values[i - 1]
        if numeric:
            c = (float(prev) > float(v)) - (float(prev) < float(v))
        else:
            c = name_cmp(prev, v)
            if c is None:
                continue
        if (c > 0 and not desc) or (c < 0 and desc):
            return i
    return None


# ---- the checks -------------------------------------------------------------

def check_static(ck, raw):
    ck.check(not re.search(r"https?://", raw), "references no http(s):// address")
    ck.check(not re.search(r"\ssrc\s*=|<link\b|url\(|@import", raw, re.I),
             "loads no file, style sheet or image from outside")
    html = parse(raw).find("html")
    lang = html[0].attrs.get("lang") if html else None
    ck.check(lang in ("es", "en"), "declares its language", f"lang={lang!r}")


def check_loaded(ck, root, static_root):
    table = score_table(root)
    if not ck.check(table is not None, "renders the score table (table#scores)"):
        return
    static = score_table(static_root)
    n_static = len(body_rows(static)) if static else -1
    n = len(body_rows(table))
    ck.check(n == n_static, f"the HTML alone holds every row ({n_static})",
             f"{n} rows after the script")
    hs = heads(table)
    bad = [h.text() for h in hs if not h.attrs.get("data-key") or not h.find("button")]
    ck.check(hs and not bad, f"{len(hs)} column headers, each with a key and a sort button",
             f"without: {bad}")
    ck.check(not any("aria-sort" in h.attrs for h in hs), "no column marked sorted on load")
    for i, svg in enumerate(root.find("svg", cls="chart"), 1):
        bars = len(svg.find("rect", cls="bar"))
        want = svg.attrs.get("data-bars")
        ck.check(want == str(bars) and svg.find("title"),
                 f"chart {i} has a title and its {want} bars", f"{bars} bars")


def check_sorted(ck, root, spec):
    desc = spec.startswith("-")
    key = spec[1:] if desc else spec
    table = score_table(root)
    if not ck.check(table is not None, f"#sort={spec}: the table renders"):
        return
    hs = heads(table)
    cols = [i for i, h in enumerate(hs) if h.attrs.get("data-key") == key]
    if not ck.check(cols, f"#sort={spec}: a column has key {key!r}",
                    f"keys: {[h.attrs.get('data-key') for h in hs]}"):
        return
    col = cols[0]
    want = "descending" if desc else "ascending"
    marked = [(h.attrs.get("data-key"), h.attrs["aria-sort"]) for h in hs if "aria-sort" in h.attrs]
    ck.check(marked == [(key, want)], f"#sort={spec}: aria-sort={want} on {key} alone",
             f"marked: {marked}")
    rows = body_rows(table)
    values = [sort_value(cells(r)[col]) if len(cells(r)) > col else None for r in rows]
    numeric = hs[col].attrs.get("data-type") == "num"
    bad = out_of_order(values, numeric, desc)
    ck.check(bad is None, f"#sort={spec}: {len(rows)} rows in order",
             None if bad is None else
             f"row {bad + 1} ({row_name(rows[bad])!r}, {values[bad]!r}) after "
             f"{values[bad - 1]!r}: {[row_name(r) for r in rows]}")


def check_end(ck, root, spec, which):
    key, _, name = spec.partition(":")
    table = score_table(root)
    rows = body_rows(table) if table is not None else []
    got = row_name(rows[0 if which == "first" else -1]) if rows else None
    ck.check(got == name, f"#sort={key}: {which} row is {name!r}", f"got {got!r}")


def check_count(ck, root, what, want):
    if what == "rows":
        table = score_table(root)
        got = len(body_rows(table)) if table is not None else 0
        desc = "student rows"
    elif what == "charts":
        got = len(root.find("svg", cls="chart"))
        desc = "charts"
    else:
        got = len(root.find("details"))
        desc = "<details>"
    ck.check(got == int(want), f"{want} {desc}", f"found {got}")


def check_bars(ck, root, spec):
    k, _, want = spec.partition(":")
    svgs = root.find("svg", cls="chart")
    k = int(k)
    got = len(svgs[k - 1].find("rect", cls="bar")) if 0 < k <= len(svgs) else None
    ck.check(got == int(want), f"chart {k} has {want} bars", f"found {got}")


def page_text(root):
    body = root.find("body")
    return " ".join((body[0] if body else root).text().split())


# ---- main -------------------------------------------------------------------

def usage(msg):
    print(f"html_check: {msg}", file=sys.stderr)
    print("usage: html_check.sh REPORT.html [rows=N] [charts=N] [bars=K:N] [details=N] "
          "[sorted=KEY] [first=KEY:NAME] [last=KEY:NAME] [text=S] [notext=S]",
          file=sys.stderr)
    return 2


def parse_expectations(args):
    exps = []
    for a in args:
        what, eq, value = a.partition("=")
        ok = eq and (what in ("sorted", "text", "notext") and value
                     or what in ("rows", "charts", "details") and value.isdigit()
                     or what in ("first", "last") and ":" in value
                     or what == "bars" and re.fullmatch(r"[0-9]+:[0-9]+", value))
        if not ok:
            return None, a
        exps.append((what, value))
    return exps, None


def run(path, exps, chromium):
    ck = Checks()
    raw = path.read_text("utf-8", errors="replace")
    base = path.resolve().as_uri()
    sorts = DEFAULT_SORTS + [v for w, v in exps if w == "sorted"]
    sorts += [v.partition(":")[0] for w, v in exps if w in ("first", "last")]
    urls = [base] + [f"{base}#sort={spec}" for spec in dict.fromkeys(sorts)]
    try:
        pages = load_all(chromium, urls)
    except RuntimeError as e:
        print(f"html_check: {e}", file=sys.stderr)
        return 2
    root = pages[base]
    sorted_pages = {spec: pages[f"{base}#sort={spec}"] for spec in sorts}
    check_static(ck, raw)
    check_loaded(ck, root, parse(raw))
    if score_table(root) is not None and body_rows(score_table(root)):
        for spec in DEFAULT_SORTS:
            check_sorted(ck, sorted_pages[spec], spec)
    text = page_text(root)
    for what, value in exps:
        if what == "sorted":
            check_sorted(ck, sorted_pages[value], value)
        elif what in ("first", "last"):
            check_end(ck, sorted_pages[value.partition(":")[0]], value, what)
        elif what == "bars":
            check_bars(ck, root, value)
        elif what == "text":
            ck.check(" ".join(value.split()) in text, f"the page says {value!r}")
        elif what == "notext":
            ck.check(" ".join(value.split()) not in text, f"the page does not say {value!r}")
        else:
            check_count(ck, root, what, value)
    print(f"html_check: {ck.count} checks, {ck.failed} failed")
    return 1 if ck.failed else 0


def main(argv):
    if len(argv) < 2:
        return usage("no report given")
    path = Path(argv[1])
    if not path.is_file():
        return usage(f"{path}: no such file")
    exps, bad = parse_expectations(argv[2:])
    if exps is None:
        return usage(f"bad expectation {bad!r}")
    chromium = find_chromium()
    if not chromium:
        print("html_check: chromium not found (set CHROMIUM); skipped", file=sys.stderr)
        return SKIP
    return run(path, exps, chromium)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
