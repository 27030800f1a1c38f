#!/bin/sh
# t9100-grade.sh - ./checker grade on a generated class of 35 submissions:
# right, partly right, not compiling, hanging, crashing, a fork bomb, as
# folders and archives in odd layouts, some unreadable. Every verdict as
# expected, nothing lost, CSV/JSON/HTML agree, a rerun keeps everything, an
# interrupted run resumes, seeds replay.
. "$(dirname "$0")/lib.sh"
use_private_workdir

CLASS=$TMP/entregas
mkdir -p "$CLASS"
EXPECT=$TMP/expected.txt # student|lesson01 want|lesson05 want (want: full, zero, missing, broken, error, fail:IDS)
: >"$EXPECT"

# tree DIR L01 L05: a tutorial tree in DIR with lesson01/05 from the folders given ("-" for none).
tree() {
	mkdir -p "$1"
	[ "$2" = - ] || { mkdir -p "$1/lessons/lesson01" && cp "$2"/*.c "$1/lessons/lesson01/"; }
	[ "$3" = - ] || { mkdir -p "$1/lessons/lesson05" && cp "$3"/*.c "$1/lessons/lesson05/"; }
}
expect() { echo "$1|$2|$3" >>"$EXPECT"; }
zip_of() { (cd "$1" && bsdtar -a -cf "$2" -- *); }
program() { # program DIR FILE C-SOURCE: a one-file program
	mkdir -p "$1"
	printf '%s\n' "$3" >"$1/$2"
}

S01=$ROOT/solutions/lesson01 S05=$ROOT/solutions/lesson05
W=$TMP/build-class
mkdir -p "$W"

# Right, in every layout an LMS gives.
tree "$CLASS/Ana García" "$S01" "$S05"
expect "Ana García" full full
tree "$W/bruno/repo-main" "$S01" "$S05"
zip_of "$W/bruno" "$CLASS/Bruno Díaz.zip"
expect "Bruno Díaz" full full
tree "$W/carmen" "$S01" "$S05"
(cd "$W/carmen" && bsdtar -czf "$CLASS/Carmen Ruiz.tar.gz" lessons)
expect "Carmen Ruiz" full full
mkdir -p "$CLASS/Daniel Peña/Lección 1" "$CLASS/Daniel Peña/entrega/lesson5"
cp "$S01"/*.c "$CLASS/Daniel Peña/Lección 1/"
cp "$S05"/*.c "$CLASS/Daniel Peña/entrega/lesson5/"
expect "Daniel Peña" full full
tree "$W/elena" "$S01" "$S05"
mkdir -p "$CLASS/Elena Sanz_123456_assignsubmission_file_"
zip_of "$W/elena" "$CLASS/Elena Sanz_123456_assignsubmission_file_/entrega.zip"
expect "Elena Sanz" full full
for n in 1 2 3 4 5; do
	tree "$CLASS/Alumno 0$n" "$S01" "$S05"
	expect "Alumno 0$n" full full
done

# Partly right: each of lesson05's mutants, and two of lesson01's.
for m in "$ROOT"/tests/mutants/lesson05/*/; do
	name=$(basename "$m")
	tree "$CLASS/Mutante $name" "$S01" "$(materialize lesson05 "$m")"
	expect "Mutante $name" full "fail:$(xargs <"$m/expected" | tr ' ' '\n' | sort | xargs)"
done
sed -i 's/|fail:all$/|failall/' "$EXPECT"
for name in sin_ntohs solo_el_primero; do
	m=$ROOT/tests/mutants/lesson01/$name
	tree "$CLASS/Mutante $name" "$(materialize lesson01 "$m")" "$S05"
	expect "Mutante $name" "fail:$(xargs <"$m/expected" | tr ' ' '\n' | sort | xargs)" full
done

# Broken programs.
program "$W/nocompila01" direcciones.c 'int main(void) { return 0 }'
program "$W/nocompila05" servidor.c 'int main(void) { this is not C; }'
tree "$CLASS/Fede No Compila" "$W/nocompila01" "$W/nocompila05"
expect "Fede No Compila" error error
program "$W/cuelga" servidor.c '#include <unistd.h>
int main(void) { for (;;) pause(); }'
tree "$CLASS/Gema Se Cuelga" "$S01" "$W/cuelga"
expect "Gema Se Cuelga" full zero
program "$W/casca" servidor.c 'int main(void) { volatile int *p = 0; return *p; }'
tree "$CLASS/Hugo Casca" "$S01" "$W/casca"
expect "Hugo Casca" full zero
program "$W/bomba" servidor.c '#include <unistd.h>
int main(void) { for (;;) fork(); }'
tree "$CLASS/Irene Bomba" "$S01" "$W/bomba"
expect "Irene Bomba" full zero

# Odd layouts and unreadable entries.
mkdir -p "$W/jorge"
cp "$S01"/*.c "$S05"/*.c "$W/jorge/"
zip_of "$W/jorge" "$CLASS/Jorge Suelto.zip" # loose files, two lessons: whose?
expect "Jorge Suelto" missing missing
head -c 3000 /dev/urandom >"$CLASS/Karla Rota.zip"
expect "Karla Rota" broken broken
mkdir -p "$W/luis/lessons/lesson05"
cp "$S05"/*.c "$W/luis/lessons/lesson05/"
python3 - "$W/luis" "$CLASS/Luis Trampa.zip" <<'EOF'
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, "w") as z:
    z.write(src + "/lessons/lesson05/servidor.c", "lessons/lesson05/servidor.c")
    z.writestr("../../../../../../tmp/evil-t9100.txt", "fuera")
    z.writestr("/tmp/evil-abs-t9100.txt", "fuera")
EOF
expect "Luis Trampa" missing full
mkdir -p "$CLASS/Marta Vacía"
expect "Marta Vacía" missing missing
echo "no es una entrega" >"$CLASS/notas del profesor.txt"
expect "notas del profesor.txt" broken broken
ln -s /etc "$CLASS/Enlace"
expect "Enlace" broken broken
tree "$CLASS/Pérez, Ana" - "$S05"
expect "Pérez, Ana" missing full
tree "$CLASS/=HYPERLINK(1)" - "$S05"
expect "=HYPERLINK(1)" missing full
tree "$CLASS/Nora" "$S01" -
expect "Nora" full missing
tree "$W/nora" - "$S05"
zip_of "$W/nora" "$CLASS/Nora.zip"
expect "Nora" missing full
touch "$CLASS/.DS_Store"

ENTRIES=$(find "$CLASS" -mindepth 1 -maxdepth 1 ! -name '.*' | wc -l)
check "the class has at least 30 submissions ($ENTRIES)" test "$ENTRIES" -ge 30

# ---- the first run ----
OUT=$TMP/notas
set +e
"$CHECKER" grade "$CLASS" --lessons lesson01,lesson05 -j 2 --out "$OUT" >"$TMP/run1.out" 2>"$TMP/run1.err"
rc=$?
set -e
check "grade: exit 0 (exit $rc)" test "$rc" -eq 0
check "grade: progress, one line per grading, off a terminal" grep -q '^\[1/' "$TMP/run1.err"
check "grade: an account on stdout" grep -q 'report.html' "$TMP/run1.out"
for f in summary.json summary.csv report.html; do
	check "grade: wrote $f" test -s "$OUT/$f"
done
check "grade: each result under alumnos/, the reports alone at the top" python3 -c '
import json, os, sys
out = sys.argv[1]
d = json.load(open(out + "/summary.json"))
files = [l["file"] for s in d["students"] for l in s["lessons"].values() if "file" in l]
top = sorted(os.listdir(out))
sys.exit(not files or not all(f.startswith("alumnos/") and os.path.isfile(os.path.join(out, f)) for f in files)
         or top != ["alumnos", "report.html", "summary.csv", "summary.json"])' "$OUT"
check "grade: no temporary file left" sh -c "! find '$OUT' -name '*.part' -o -name '.*.out' -o -name '.*.err' -o -name .work | grep -q ."
check "grade: nothing written outside the output folder" sh -c '! ls /tmp/evil-t9100.txt /tmp/evil-abs-t9100.txt 2>/dev/null && ! find "$1" -name "evil*" | grep -q .' sh "$TMP"

# Every verdict as expected.
verdicts() { # verdicts SUMMARY [EXPECTED]
	python3 - "$1" "${2:-$EXPECT}" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
students = {}
for st in s["students"]:
    students.setdefault(st["student"], []).append(st)
bad = []
want_rows = [l.rstrip("\n").split("|") for l in open(sys.argv[2])]
for name, *wants in want_rows:
    rows = students.get(name, [])
    # Two entries may give one name (Nora, Nora.zip): any row may match.
    def fits(row):
        for lesson, want in zip(("lesson01", "lesson05"), wants):
            l = row["lessons"].get(lesson, {})
            st, sc, mx = l.get("status"), l.get("score"), l.get("max_score")
            if want == "full" and not (st == "pass" and sc == mx and mx > 0): return False
            if want == "zero" and not (st == "fail" and sc == 0): return False
            if want in ("missing", "broken") and not (st == want and sc == 0 and l.get("message")): return False
            if want == "error" and not (st == "error" and sc == 0 and l["build"]["ok"] is False): return False
            if want == "failall" and not (st == "fail" and sc == 0 and all(t["status"] == "fail" for t in l.get("tests", []))): return False
            if want.startswith("fail:"):
                failing = " ".join(sorted(t["id"] for t in l.get("tests", []) if t["status"] != "pass"))
                if st != "fail" or failing != want[5:]: return False
        return True
    matches = [r for r in rows if fits(r)]
    if not matches:
        bad.append(name + ": " + json.dumps([{k: (v["status"], v["score"]) for k, v in r["lessons"].items()} for r in rows], ensure_ascii=False))
    else:
        rows.remove(matches[0])
print("\n".join(bad) if bad else "ok")
EOF
}
got=$(verdicts "$OUT/summary.json")
check "every verdict as expected" test "$got" = ok
[ "$got" = ok ] || echo "$got" | sed 's/^/    /'
check "one row per entry" test "$(json_get "$OUT/summary.json" 'len(d["students"])')" -eq "$ENTRIES"

# Totals agree across the per-student files, JSON, CSV and HTML.
agree() {
	python3 - "$OUT" <<'EOF'
import csv, html, json, os, re, sys
out = sys.argv[1]
s = json.load(open(out + "/summary.json"))
problems = []
js = {}
for st in s["students"]:
    total = sum(l["score"] for l in st["lessons"].values())
    if total != st["score"]: problems.append("json total " + st["student"])
    for lesson, l in st["lessons"].items():
        if "file" in l:
            r = json.load(open(os.path.join(out, l["file"])))
            if r["score"] != l["score"] or r["student"] != st["student"] or r["seed"] != l["seed"]:
                problems.append("file " + l["file"])
    js.setdefault(st["student"], []).append(st["score"])
raw = open(out + "/summary.csv", encoding="utf-8-sig", newline="").read()
if "\r\n" not in raw: problems.append("csv: not CRLF")
rows = list(csv.reader(raw.splitlines()))
if rows[0][1:3] != ["lesson01", "lesson05"]: problems.append("csv header " + repr(rows[0]))
cs = {}
for r in rows[1:]:
    name = r[0][1:] if r[0].startswith("'") else r[0]
    if int(r[1]) + int(r[2]) != int(r[3]): problems.append("csv sum " + name)
    cs.setdefault(name, []).append(int(r[3]))
if any(r[0].startswith("=") for r in rows): problems.append("csv: a cell starts with =")
page = open(out + "/report.html", encoding="utf-8").read()
hs = {}
for name, total in re.findall(r'<th scope="row" data-sort="([^"]*)".*?<td class="num total" data-sort="([0-9.]+)"', page):
    hs.setdefault(html.unescape(name), []).append(int(float(total)))
for name in js:
    if sorted(js[name]) != sorted(cs.get(name, [])): problems.append("csv vs json " + name)
    if sorted(js[name]) != sorted(hs.get(name, [])): problems.append("html vs json " + name)
if len(cs) != len(js) or len(hs) != len(js): problems.append("row counts differ")
print("\n".join(problems) if problems else "ok")
EOF
}
got=$(agree)
check "totals agree: result files, summary.json, summary.csv, report.html" test "$got" = ok
[ "$got" = ok ] || echo "$got" | sed 's/^/    /'

# The page, as a browser shows it.
if "$(dirname "$0")/html_check.sh" "$OUT/report.html" "rows=$ENTRIES" charts=4 \
	sorted=total sorted=lesson05 "text=Ana García" "text=Pérez, Ana" notext="<script>" >"$TMP/html.txt" 2>&1; then
	ok "report.html renders in Chromium: rows, charts, sorting"
elif [ $? -eq 77 ]; then
	echo "  skip report.html in Chromium: no chromium here"
else
	not_ok "report.html in Chromium"
	grep FAIL "$TMP/html.txt" | sed 's/^/    /'
fi

# ---- a second run keeps everything ----
before=$(cd "$OUT" && find . -name 'lesson*.json' -exec sha256sum {} + | sort)
"$CHECKER" grade "$CLASS" --lessons lesson01,lesson05 -j 2 --out "$OUT" >"$TMP/run2.out" 2>&1
after=$(cd "$OUT" && find . -name 'lesson*.json' -exec sha256sum {} + | sort)
check "a second run grades nothing again" grep -q ' 0 graded now\| 0 calificadas ahora' "$TMP/run2.out"
check "a second run leaves every result as it was" test "$before" = "$after"
got=$(verdicts "$OUT/summary.json")
check "a second run reports the same verdicts" test "$got" = ok
echo "// cambio" >>"$CLASS/Ana García/lessons/lesson05/servidor.c"
"$CHECKER" grade "$CLASS" --lessons lesson01,lesson05 -j 2 --out "$OUT" >"$TMP/run3.out" 2>&1
check "a changed submission is graded again, only it" grep -q ' 1 graded now\| 1 calificada ahora\| 1 calificadas ahora' "$TMP/run3.out"

# ---- an interrupted run loses nothing and resumes ----
# (on the quick part of the class: programs that hang take their time)
QUICK=$TMP/rapidas
mkdir -p "$QUICK"
for d in "$CLASS"/Alumno* "$CLASS"/Mutante* "$CLASS/Ana García" "$CLASS/Bruno Díaz.zip"; do
	cp -r "$d" "$QUICK/"
done
OUT2=$TMP/notas-cortadas
# The grade runs in cgroups of its own (v1, where the box cgroups nest under
# their checker's): a box cgroup left below them is this grade's, whatever
# the scripts beside this one make or leave. Elsewhere: a box cgroup made
# since, by a checker now gone.
PARENTS=
for c in memory pids; do
	d=/sys/fs/cgroup/$c/t9100-$$
	[ -d "/sys/fs/cgroup/$c" ] && mkdir "$d" 2>/dev/null && PARENTS="$PARENTS $d"
done
cgroup_names() { find /sys/fs/cgroup -maxdepth 6 -type d -name 'checker-*' -printf '%f\n' 2>/dev/null | sort -u; }
cgroup_names >"$TMP/cgroups.before"
left_cgroups() {
	if [ -n "$PARENTS" ]; then
		# shellcheck disable=SC2086
		find $PARENTS -mindepth 1 -type d -name 'checker-*' 2>/dev/null
		return
	fi
	orphan_box_cgroups | sed 's#.*/##' | sort -u | comm -13 "$TMP/cgroups.before" -
}
# shellcheck disable=SC2016,SC2086
sh -c 'q=$1 o=$2; shift 2; for d; do echo $$ >"$d/cgroup.procs" || exit 1; done; exec "$0" grade "$q" --lessons lesson01,lesson05 -j 2 --out "$o"' \
	"$CHECKER" "$QUICK" "$OUT2" $PARENTS >"$TMP/cut.out" 2>"$TMP/cut.err" &
pid=$!
deadline=$(($(date +%s) + 120))
while [ "$(grep -c '^\[' "$TMP/cut.err" 2>/dev/null || true)" -lt 6 ] && [ "$(date +%s)" -lt "$deadline" ]; do
	sleep 0.1
done
kill -INT "$pid"
set +e
wait "$pid"
rc=$?
set -e
check "interrupted: exit 130 (got $rc)" test "$rc" -eq 130
check "interrupted: no half-written file" sh -c "! find '$OUT2' -name '*.part' -o -name '.*.out' -o -name '.*.err' | grep -q ."
check "interrupted: every result file is whole JSON" python3 -c '
import glob, json, sys
for f in glob.glob(sys.argv[1] + "/alumnos/*/lesson*.json"): json.load(open(f))' "$OUT2"
check "interrupted: no checker left running" sh -c "! pgrep -f '$CHECKER lesso[n]0' >/dev/null"
left_cgroups >"$TMP/cgroups.left"
check "interrupted: no cgroup of a killed box is left" test ! -s "$TMP/cgroups.left"
sed 's/^/  left: /' "$TMP/cgroups.left"
# shellcheck disable=SC2086
[ -z "$PARENTS" ] || rmdir $PARENTS 2>/dev/null || true
check "interrupted: the account says what is left" grep -q 'next run\|próxima' "$TMP/cut.out"
kept=$(find "$OUT2" -name 'lesson*.json' | wc -l)
"$CHECKER" grade "$QUICK" --lessons lesson01,lesson05 -j 2 --out "$OUT2" >"$TMP/resume.out" 2>&1
check "resumed: the $kept gradings made before are kept" grep -q " $kept unchanged\| $kept sin cambios" "$TMP/resume.out"
check "resumed: every entry graded" test "$(json_get "$OUT2/summary.json" 'sum(l["status"] in ("pass", "fail") for s in d["students"] for l in s["lessons"].values())')" -eq "$(($(ls "$QUICK" | wc -l) * 2))"
grep -E '^(Alumno|Mutante|Ana García\||Bruno Díaz\|)' "$EXPECT" >"$TMP/expected-quick"
got=$(verdicts "$OUT2/summary.json" "$TMP/expected-quick")
check "resumed: every verdict as expected" test "$got" = ok

# ---- seeds: recorded, replayable, derived from --seed ----
ana=$(json_get "$OUT/summary.json" '[s for s in d["students"] if s["student"] == "Bruno Díaz"][0]["lessons"]["lesson05"]["file"]')
seed=$(json_get "$OUT/$ana" 'd["seed"]')
grade "$TMP/replay.json" lesson05 --dir "$W/bruno/repo-main/lessons/lesson05" --seed "$seed"
sent='"|".join(e["data"] for t in d["tests"] for e in t["transcript"] if e["event"] == "send")'
check "a recorded seed replays the same inputs" test "$(json_get "$OUT/$ana" "$sent")" = "$(json_get "$TMP/replay.json" "$sent")"
SMALL=$TMP/pocos
mkdir -p "$SMALL"
cp -r "$CLASS/Ana García" "$CLASS/Alumno 01" "$SMALL/"
for o in s1 s2; do
	"$CHECKER" grade "$SMALL" --lessons 5 --seed 42 --out "$TMP/$o" >/dev/null 2>&1
done
seeds='" ".join(str(s["lessons"]["lesson05"]["seed"]) for s in d["students"])'
check "--seed gives each student the same seed every time" test "$(json_get "$TMP/s1/summary.json" "$seeds")" = "$(json_get "$TMP/s2/summary.json" "$seeds")"
check "--seed gives different students different seeds" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = [x["lessons"]["lesson05"]["seed"] for x in d["students"]]
sys.exit(len(set(s)) != len(s))' "$TMP/s1/summary.json"

# ---- on a terminal, a progress bar ----
if command -v script >/dev/null 2>&1; then
	script -qec "'$CHECKER' grade '$SMALL' --lessons 5 --out '$TMP/tty' --force" "$TMP/tty.txt" >/dev/null 2>&1 || true
	check "on a terminal: a bar redrawn in place" grep -q "$(printf '\r')$(printf '\033')\[K\[.*2/2" "$TMP/tty.txt"
	check "on a terminal: no line per grading" sh -c "! grep -q '^\[1/2\]' '$TMP/tty.txt'"
fi

# ---- JUnit for CI dashboards ----
"$CHECKER" grade "$SMALL" --lessons 5 --out "$TMP/j" --format junit >/dev/null 2>&1
check "--format junit: one suite per student and lesson" python3 -c '
import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1])
names = sorted(s.getAttribute("name") for s in d.getElementsByTagName("testsuite"))
sys.exit(names != ["Alumno 01/lesson05", "Ana García/lesson05"])' "$TMP/j/junit.xml"

# ---- bad input ----
set +e
"$CHECKER" grade "$TMP/no-such-folder" >"$TMP/bad.txt" 2>&1
rc1=$?
"$CHECKER" grade "$SMALL" --lessons lesson99 --out "$TMP/b" >"$TMP/bad2.txt" 2>&1
rc2=$?
"$CHECKER" grade "$SMALL" --lessons banana --out "$TMP/b" >"$TMP/bad3.txt" 2>&1
rc3=$?
set -e
check "grade: a missing folder is a usage error" test "$rc1" -eq 2
check "grade: an unknown lesson is a usage error" test "$rc2" -eq 2
check "grade: a bad lesson name is a usage error" test "$rc3" -eq 2

check_no_leftovers
finish
