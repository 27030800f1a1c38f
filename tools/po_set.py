#!/usr/bin/env python3
"""po_set.py PO JSON: set msgstr for the msgids in JSON (a dict; a list value
sets plural forms) and drop their fuzzy flag. A maintainer's helper for
locale/es.po; standard library only."""
import json
import re
import sys


def unquote(lines):
    return "".join(json.loads(l[l.index('"'):]) for l in lines)


def quote(text, key):
    parts = text.split("\n")
    chunks = [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    if len(chunks) <= 1:
        return ['%s %s' % (key, json.dumps(text, ensure_ascii=False))]
    return ['%s ""' % key] + [json.dumps(c, ensure_ascii=False) for c in chunks]


def main():
    po, table = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8"))
    blocks = open(po, encoding="utf-8").read().split("\n\n")
    out, done = [], set()
    for b in blocks:
        lines = b.split("\n")
        ids = [i for i, l in enumerate(lines) if l.startswith("msgid ")]
        if not ids:
            out.append(b)
            continue
        i = ids[0]
        j = i + 1
        while j < len(lines) and lines[j].startswith('"'):
            j += 1
        msgid = unquote(lines[i:j])
        if msgid not in table or msgid == "":
            out.append(b)
            continue
        head = [l for l in lines[:i] if not l.startswith("#~")]
        head = [re.sub(r",? ?fuzzy", "", l) if l.startswith("#,") else l for l in head]
        head = [l for l in head if l.strip() != "#,"]
        head = [l for l in head if not l.startswith("#| ")]
        rest = lines[j:]
        plural = [l for l in rest if l.startswith("msgid_plural")]
        k = 0
        while k < len(rest) and not rest[k].startswith("msgstr"):
            k += 1
        keep = rest[:k]
        value = table[msgid]
        body = quote(msgid, "msgid") + keep
        if plural:
            for n, v in enumerate(value):
                body += quote(v, "msgstr[%d]" % n)
        else:
            body += quote(value, "msgstr")
        out.append("\n".join(head + body))
        done.add(msgid)
    missing = set(table) - done
    if missing:
        sys.exit("not in %s: %s" % (po, sorted(missing)))
    open(po, "w", encoding="utf-8").write("\n\n".join(out))


if __name__ == "__main__":
    main()
