#!/bin/sh
# t9200-gradescope.sh - make gradescope builds an autograder zip; its setup.sh
# builds the checker and run_autograder grades a submission in a simulated
# /autograder tree into a valid results.json, rewritten after each lesson.
. "$(dirname "$0")/lib.sh"
use_private_workdir

AG=$TMP/autograder
mkdir -p "$AG/source" "$AG/submission" "$AG/results"
make -s -C "$ROOT" gradescope LESSONS=lesson05,lesson06 >"$TMP/make.txt" 2>&1
check "make gradescope: builds the zip" test -s "$ROOT/build/gradescope.zip"
bsdtar -xf "$ROOT/build/gradescope.zip" -C "$AG/source"
for f in setup.sh run_autograder lessons.txt Makefile src/main.c lessons/lesson05/spec.json; do
	check "the zip holds $f" test -e "$AG/source/$f"
done
check "the zip holds no solutions and no tests" sh -c "! ls '$AG/source' | grep -qx 'solutions\|tests'"
check "run_autograder is executable" test -x "$AG/source/run_autograder"
set +e
make -s -C "$ROOT" gradescope LESSONS=lesson99 >"$TMP/bad.txt" 2>&1
rc=$?
set -e
check "make gradescope: an unknown lesson is refused" test "$rc" -ne 0

# setup.sh, as Gradescope runs it once (the packages are already here).
set +e
AUTOGRADER_ROOT=$AG "$AG/source/setup.sh" >"$TMP/setup.txt" 2>&1
rc=$?
set -e
check "setup.sh builds the checker" test "$rc" -eq 0 -a -x "$AG/source/checker"

# A student who did lesson05 and not lesson06, uploaded as a zip.
mkdir -p "$TMP/up/lessons/lesson05"
cp "$ROOT/solutions/lesson05/servidor.c" "$TMP/up/lessons/lesson05/"
(cd "$TMP/up" && bsdtar -a -cf "$AG/submission/entrega.zip" lessons)
results=$AG/results/results.json
valid() {
	python3 - "$results" "$@" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
lessons = sys.argv[2:]
problems = []
if not isinstance(d.get("score"), (int, float)): problems.append("score")
if not isinstance(d.get("execution_time"), (int, float)): problems.append("execution_time")
tests = d.get("tests", [])
for t in tests:
    for k, ty in (("name", str), ("score", (int, float)), ("max_score", (int, float)), ("output", str), ("number", str)):
        if not isinstance(t.get(k), ty): problems.append("test " + k)
    if t.get("status") not in ("passed", "failed"): problems.append("status")
    if t.get("visibility") not in ("visible", "hidden", "after_due_date", "after_published"): problems.append("visibility")
if abs(sum(t["score"] for t in tests) - d["score"]) > 1e-9: problems.append("sum")
if sorted({t["name"].split(" · ")[0] for t in tests}) != sorted(lessons): problems.append("lessons " + repr({t["name"].split(" · ")[0] for t in tests}))
print("\n".join(problems) if problems else "ok")
EOF
}
set +e
AUTOGRADER_ROOT=$AG "$AG/source/run_autograder" >"$TMP/run.txt" 2>&1
rc=$?
set -e
# The most each lesson gives, from its spec.
M5=$(json_get "$ROOT/lessons/lesson05/spec.json" 'sum(t.get("points", 1) for t in d["tests"])')
M6=$(json_get "$ROOT/lessons/lesson06/spec.json" 'sum(t.get("points", 1) for t in d["tests"])')
check "run_autograder: exit 0" test "$rc" -eq 0
check "results.json: valid, both lessons" test "$(valid lesson05 lesson06)" = ok
check "results.json: lesson05 at full marks, lesson06 at zero" test "$(json_get "$results" '(d["score"], sum(t["max_score"] for t in d["tests"]))')" = "($M5, $((M5 + M6)))"
check "results.json: the missing lesson says what is missing" test "$(json_get "$results" 'any("cliente.c" in t["output"] for t in d["tests"] if t["name"].startswith("lesson06"))')" = True

# Stopped during the second lesson, results.json still holds the first.
rm -f "$results"
mkdir -p "$TMP/up/lessons/lesson06"
cp "$ROOT/solutions/lesson06/cliente.c" "$TMP/up/lessons/lesson06/"
rm "$AG/submission/entrega.zip"
(cd "$TMP/up" && bsdtar -a -cf "$AG/submission/entrega.zip" lessons)
AUTOGRADER_ROOT=$AG "$AG/source/run_autograder" >"$TMP/run2.txt" 2>&1 &
pid=$!
deadline=$(($(date +%s) + 60))
while [ ! -s "$results" ] && [ "$(date +%s)" -lt "$deadline" ]; do
	sleep 0.05
done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || true
# (lesson06, cut short, may be there too, its tests marked as not run)
check "stopped after one lesson: results.json is whole and valid" sh -c '[ "$1" = ok ] || [ "$2" = ok ]' sh "$(valid lesson05)" "$(valid lesson05 lesson06)"
graded5=$(json_get "$results" '"ok %d" % d["score"] if all(t["status"] == "passed" for t in d["tests"] if t["name"].startswith("lesson05")) else "no 0"')
check "stopped after one lesson: lesson05 is there, graded" test "${graded5%% *}" = ok -a "${graded5#* }" -ge "$M5"
check "stopped: no checker left running" sh -c "! pgrep -f '$AG/source/checke[r]' >/dev/null"

# The whole run, to the end.
AUTOGRADER_ROOT=$AG "$AG/source/run_autograder" >"$TMP/run3.txt" 2>&1
full=$((M5 + M6))
check "a full run: both lessons at full marks" test "$(json_get "$results" '(d["score"], sum(t["max_score"] for t in d["tests"]))')" = "($full, $full)"

check_no_leftovers
finish
