#!/bin/bash
# fairness.sh - `make fairness`: every program of tests/fair in every
# tier and as root and nobody; then every solution and every program of
# tests/fair, FAIR_SEEDS seeds each (default 20), graded with `grade -j
# FAIR_JOBS` (default 8) while a CPU hog keeps every processor busy. A
# correct program must lose no point to a loaded machine. Python programs
# (a `cmd` file) go through single runs, FAIR_JOBS at a time. Prints one
# line for bench/results.md; exit 1 if any point was lost.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CHECKER=${CHECKER:-$ROOT/checker}
SEEDS=${FAIR_SEEDS:-20}
JOBS=${FAIR_JOBS:-8}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/checker-fairness-XXXXXX")
hogs=()
cleanup() {
	[ ${#hogs[@]} -gt 0 ] && kill "${hogs[@]}" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
chmod 755 "$TMP"
export CHECKER_CACHE_DIR="$TMP/cache"

# One student per program: subs/<lesson>-<name>/<lesson>/<sources>.
mkdir "$TMP/subs"
ncmd=0
for dir in "$ROOT"/solutions/lesson* "$ROOT"/tests/fair/lesson*/*/; do
	dir=${dir%/}
	case $dir in
	*/solutions/*) lesson=$(basename "$dir") name=solucion ;;
	*) lesson=$(basename "$(dirname "$dir")") name=$(basename "$dir") ;;
	esac
	if [ -f "$dir/cmd" ]; then
		printf '%s\t%s\n' "$lesson" "$dir" >>"$TMP/cmds"
		ncmd=$((ncmd + 1))
		continue
	fi
	mkdir -p "$TMP/subs/$lesson-$name/$lesson"
	cp -r "$dir"/. "$TMP/subs/$lesson-$name/$lesson/"
done
nsub=$(ls "$TMP/subs" | wc -l)

# Every program in every tier and as every user (t0007 takes one each in
# make check), before the machine is loaded.
FAIR_FULL=1 "$ROOT/tests/integration/t0007-fair.sh" >"$TMP/matrix.log" 2>&1
matrix=$?
grep -E '^  (FAIL|skip)|passed, ' "$TMP/matrix.log"

for _ in $(seq "$(nproc)"); do
	sh -c 'while :; do :; done' &
	hogs+=($!)
done

start=$(date +%s)
lost=0
for seed in $(seq "$SEEDS"); do
	"$CHECKER" grade "$TMP/subs" -j "$JOBS" -s "$seed" --force --allow-weak \
		--out "$TMP/out-$seed" >"$TMP/grade-$seed.log" 2>&1
	n=$(python3 - "$TMP/out-$seed/summary.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
bad = 0
for s in d["students"]:
    for lesson, r in s["lessons"].items():
        if not s["student"].startswith(lesson + "-"):
            continue  # one lesson per student: the others are not handed in
        if r.get("score") != r.get("max_score"):
            bad += 1
            failed = [t["id"] for t in r.get("tests", []) if t.get("status") != "pass"]
            print(f"  FAIL {s['student']} {lesson}: {r.get('score')}/{r.get('max_score')} {failed}", file=sys.stderr)
            for t in r.get("tests", []):  # why, so a loaded run's loss can be traced
                if t.get("status") != "pass":
                    print(f"       {t['id']}: {t.get('message', '')[:300]} [{t.get('cause', '-')}]", file=sys.stderr)
print(bad)
PY
)
	lost=$((lost + n))
	if [ -f "$TMP/cmds" ]; then
		while IFS=$'\t' read -r lesson dir; do
			printf '%s\0%s\0' "$lesson" "$dir"
		done <"$TMP/cmds" | xargs -0 -n 2 -P "$JOBS" sh -c '
			out=$(mktemp)
			"$0" "$1" --dir "$2" --cmd "$(cat "$2/cmd")" -s "'"$seed"'" --format json >"$out" 2>/dev/null ||
				echo "  FAIL $1 $(basename "$2") seed '"$seed"': $(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print([(t[\"id\"], t[\"message\"][:120]) for t in d[\"tests\"] if t[\"status\"] != \"pass\"])" "$out" 2>&1)" >&2
			rm -f "$out"' "$CHECKER" 2>>"$TMP/cmd-fails"
	fi
	echo "seed $seed: $n of $nsub graded programs lost points"
done
# grep -c prints 0 and fails when nothing matches: one number either way.
cmdlost=$(grep -c FAIL "$TMP/cmd-fails" 2>/dev/null) || cmdlost=${cmdlost:-0}
[ -s "$TMP/cmd-fails" ] && cat "$TMP/cmd-fails"
secs=$(($(date +%s) - start))
total=$(((nsub + ncmd) * SEEDS))
[ "$matrix" -eq 0 ] || echo "fairness: some program failed in some tier (above)"
line="$total gradings ($((nsub + ncmd)) programs x $SEEDS seeds, grade -j $JOBS on $(nproc) CPUs, $(nproc) busy loops beside): $((lost + cmdlost)) lost points, ${secs} s; every program in every tier and user: $(grep -E 'passed, ' "$TMP/matrix.log" | tail -1 | sed 's/^[^:]*: //')"
# The figure goes into bench/results.md, in a section make bench keeps.
python3 - "$ROOT/bench/results.md" "$line" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)" <<'PY'
import sys
path, line, when, rev = sys.argv[1:5]
head = "## Fairness under load (make fairness)"
try:
    md = open(path).read()
except OSError:
    md = "# Benchmark results\n"
i = md.find("\n" + head)
if i >= 0:
    j = md.find("\n## ", i + 1)
    md = md[:i] + (md[j:] if j >= 0 else "\n")
md = md.rstrip("\n") + "\n\n%s\n\nMade on %s, checkout %s: %s.\n" % (head, when, rev, line)
open(path, "w").write(md)
PY
echo "fairness: $total gradings ($((nsub + ncmd)) programs x $SEEDS seeds, grade -j $JOBS on $(nproc) CPUs, $(nproc) busy loops beside): $((lost + cmdlost)) lost points, ${secs} s"
[ $((lost + cmdlost)) -eq 0 ] && [ "$matrix" -eq 0 ]
