#!/bin/sh
# t9110-grade-hygiene.sh - ./checker grade on hostile names: entries named
# like the reports cannot stop or clobber them, names with newlines, ESC
# sequences, bidi controls, ';' or formulas reach neither the terminal nor a
# spreadsheet raw; a SIGKILLed grade leaves no checker running, and the next
# start leaves no work folder of it (nor its .work).
. "$(dirname "$0")/lib.sh"
use_private_workdir

S01=$ROOT/solutions/lesson01 S03=$ROOT/solutions/lesson03
ESC=$(printf '\033')
NL='
'

# student DIR: a submission with lesson01's solution.
student() {
	mkdir -p "$1/lessons/lesson01"
	cp "$S01"/*.c "$1/lessons/lesson01/"
}

# ---- a class whose names are the attack ----
CLASS=$TMP/entregas
mkdir -p "$CLASS"
for name in summary.csv summary.json report.html junit.xml alumnos .work \
	"Ana${NL}[9] Falsa · lesson01 · 18 de 18" \
	"Eve${ESC}[2J${ESC}]0;pwn$(printf '\007')" \
	"Bidi $(printf '\342\200\256')olleh" \
	"Car$(printf '\r')los" \
	"Pérez; Ana" \
	"=cmd|' -C calc'!A0" \
	"+SUMA(1;2)" \
	"-2" \
	"@hoja" \
	"Jos$(printf '\351') Latin1"; do
	student "$CLASS/$name"
done
student "$CLASS/report.html.part" # the reports' temporary name
# Entries graded: all but the hidden one (.work).
ENTRIES=$(find "$CLASS" -mindepth 1 -maxdepth 1 ! -name '.*' -printf x | wc -c) # a name may hold a newline

OUT=$TMP/notas
set +e
"$CHECKER" grade "$CLASS" --lessons lesson01 -j 2 --format junit --out "$OUT" >"$TMP/run.out" 2>"$TMP/run.err"
rc=$?
set -e
check "grade: exit 0 (exit $rc)" test "$rc" -eq 0
for f in summary.json summary.csv report.html junit.xml; do
	check "grade: wrote $f, a file" test -f "$OUT/$f" -a -s "$OUT/$f"
done
check "grade: only its own names at the top of the out folder" \
	test "$(ls -A "$OUT" | tr '\n' ' ')" = "alumnos junit.xml report.html summary.csv summary.json "
check "grade: .work removed at the end" test ! -e "$OUT/.work"

# Every report whole and valid, every entry in each.
check "summary.json: valid, one row per entry, each graded in full" python3 -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
rows = d["students"]
ok = len(rows) == int(sys.argv[2]) and all(
    r["lessons"]["lesson01"]["status"] == "pass" for r in rows)
names = {r["student"] for r in rows}
ok = ok and {"summary.csv", "report.html", "junit.xml", "alumnos"} <= names
sys.exit(not ok)' "$OUT/summary.json" "$ENTRIES"
check "the result files are under alumnos/, where the summary says" python3 -c '
import json, os, sys
out = sys.argv[1]
d = json.load(open(out + "/summary.json", encoding="utf-8"))
files = [r["lessons"]["lesson01"]["file"] for r in d["students"]]
sys.exit(not all(f.startswith("alumnos/") and ".." not in f.split("/")
                 and json.load(open(os.path.join(out, f), encoding="utf-8"))["score"] == int(sys.argv[2])
                 for f in files))' "$OUT" "$(json_get "$ROOT/lessons/lesson01/spec.json" 'sum(t.get("points", 1) for t in d["tests"])')"
check "junit.xml: valid XML, a suite per entry" python3 -c '
import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
sys.exit(len(d.getElementsByTagName("testsuite")) != int(sys.argv[2]))' "$OUT/junit.xml" "$ENTRIES"
check "report.html: whole, a row per entry" python3 -c '
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
rows = len(re.findall(r"<th scope=\"row\"", page))
sys.exit(not page.rstrip().endswith("</html>") or rows != int(sys.argv[2]) or "\x1b" in page)' \
	"$OUT/report.html" "$ENTRIES"

# The CSV: every cell in its column, under ',' and under ';' alike, and
# nothing a spreadsheet would run.
check "summary.csv: parses, every row 4 cells, no formula, names as in the JSON" python3 -c '
import csv, io, json, sys
raw = open(sys.argv[1], encoding="utf-8-sig", newline="").read()
rows = list(csv.reader(io.StringIO(raw, newline="")))
d = json.load(open(sys.argv[2], encoding="utf-8"))
bad = [r for r in rows if len(r) != 4]
bad += [r for r in rows for c in r if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
names = sorted(r[0][1:] if r[0][:1] == "\x27" and r[0][1:2] in "=+-@\t\r" else r[0] for r in rows[1:])
if names != sorted(s["student"] for s in d["students"]): bad.append(["names differ"])
# Opened as "separated by ;": one cell a row, a name never splits.
semi = list(csv.reader(io.StringIO(raw, newline=""), delimiter=";"))
bad += [r for r in semi if len(r) != 1]
if len(rows) != int(sys.argv[3]) + 1: bad.append(["rows"])
if bad: print(bad)
sys.exit(bool(bad))' "$OUT/summary.csv" "$OUT/summary.json" "$ENTRIES"

# The terminal: one line per grading, nothing that acts on it.
check "progress: one line per grading, each starting as the checker's" python3 -c '
import re, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
ok = lines[-1] == b"" and len(lines) - 1 == int(sys.argv[2])
ok = ok and all(re.match(rb"\[\d+/\d+\] ", l) for l in lines[:-1])
sys.exit(not ok)' "$TMP/run.err" "$ENTRIES"
check "progress: no ESC, CR, BEL or bidi control reaches the terminal" python3 -c '
import sys
t = open(sys.argv[1], "rb").read()
sys.exit(any(b in t for b in (b"\x1b", b"\r", b"\x07", "\u202e".encode())))' "$TMP/run.err"
check "progress: the names are there, escaped" sh -c 'grep -qF "Eve\\x1b[2J" "$1" && grep -qF "Ana\\n[9] Falsa" "$1"' sh "$TMP/run.err"
check "the account on stdout has no ESC" sh -c "! grep -q '$ESC' '$TMP/run.out'"

# ---- a SIGKILLed grade: its children go, then its work folders ----
# A server that listens and never answers: every test waits its full time
# (some 20 s a grading), so a grading outlives any wait below.
HANG=$TMP/mudos
for n in 1 2 3 4; do
	mkdir -p "$HANG/Mudo $n/lessons/lesson03"
	cat >"$HANG/Mudo $n/lessons/lesson03/servidor.c" <<'EOF'
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons(argc > 1 ? atoi(argv[1]) : 8888);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	bind(s, (struct sockaddr *)&a, sizeof(a));
	listen(s, 64);
	for (;;)
		pause();
}
EOF
done
QUICK=$TMP/rapida
mkdir -p "$QUICK/Ana/lessons/lesson03"
cp "$S03"/*.c "$QUICK/Ana/lessons/lesson03/"

# Our checkers and the boxes' programs: by binary, and by $TMP in their command line.
ours() {
	for p in /proc/[0-9]*; do
		exe=$(readlink "$p/exe" 2>/dev/null) || continue
		case $exe in
		"$CHECKER") tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF "$TMP" && echo "${p#/proc/}" ;;
		"$TMP"/*) echo "${p#/proc/}" ;;
		esac
	done
	return 0
}
workdirs() { ls "$TMP/work" | grep -c '^checker-' || true; }
# wait_for SECONDS COMMAND...: until the command succeeds, at most SECONDS.
wait_for() {
	end=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.1
	done
}
none_left() { test -z "$(ours)"; }
two_running() { test "$(workdirs)" -ge 2 && test "$(pgrep -c -P "$pid" || true)" -ge 2; }

# start_hanging OUT: a grade of the hanging class, in the background ($pid).
start_hanging() {
	"$CHECKER" grade "$HANG" --lessons lesson03 -j 2 --out "$1" >"$1.out" 2>"$1.err" &
	pid=$!
	wait_for 60 two_running || echo "  (the gradings did not start in time)"
}

OUTK=$TMP/notas-matadas
start_hanging "$OUTK"
set +e
"$CHECKER" grade "$QUICK" --lessons lesson03 --out "$OUTK" >"$TMP/second.out" 2>"$TMP/second.err"
rc=$?
set -e
check "a second grade into the same folder is refused (exit $rc)" test "$rc" -eq 2
check "  and says why" grep -q 'another checker grade\|otra corrección' "$TMP/second.err"
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
# Its children are told (PR_SET_PDEATHSIG): they stop at once, well before
# their gradings would have ended.
check "SIGKILLed grade: no checker nor box of it left running" wait_for 10 none_left
check "SIGKILLed grade: its .work is private while it stays" test "$(stat -c %a "$OUTK/.work")" = 700

# Now its children killed with it, as by the OOM killer: nothing cleans up.
OUTK2=$TMP/notas-matadas-2
start_hanging "$OUTK2"
kill -STOP "$pid"
kids=$(pgrep -P "$pid" | tr '\n' ' ')
# shellcheck disable=SC2086
kill -KILL $kids "$pid"
wait "$pid" 2>/dev/null || true
check "SIGKILLed grade and children: nothing of them left running" wait_for 60 none_left
left=$(workdirs)
check "  their work folders stay ($left), ours alone, until the next start" \
	sh -c '[ "$1" -ge 1 ] && [ "$(stat -c %a "$2"/checker-work-* | sort -u | tr "\n" " ")" = "700 " ]' sh "$left" "$TMP/work"
set +e
"$CHECKER" lesson01 --dir "$S01" >"$TMP/next.txt" 2>&1
rc=$?
set -e
check "the next checker runs (exit $rc)" test "$rc" -eq 0
check "after the next start, no checker-* work folder is left" test "$(workdirs)" -eq 0
"$CHECKER" grade "$QUICK" --lessons lesson03 --out "$OUTK" >"$TMP/again.out" 2>&1
check "the next grade into a killed one's folder takes it" \
	test "$(json_get "$OUTK/summary.json" 'd["students"][0]["lessons"]["lesson03"]["status"]')" = pass
check "  and the killed one's .work is gone" test ! -e "$OUTK/.work"

check_no_leftovers
finish
