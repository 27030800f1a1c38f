#!/bin/sh
# t9500-bench.sh - make bench works: the tiny setting writes results.md and
# results.json with every section and its numbers. No timing is asserted:
# a benchmark is not a timed test.
. "$(dirname "$0")/lib.sh"

if [ -n "${CHECKER_SANITIZED:-}" ]; then
	# Figures of a sanitized checker measure the sanitizer; make check runs this once, unsanitized.
	echo "  skip the benchmark: the checker is sanitized"
	finish
	exit 0
fi

OUT=$TMP/bench
# The bench's own temporary folder goes here, so that leftovers can be seen.
mkdir -m 755 "$TMP/work"
set +e
TMPDIR=$TMP/work make -s -C "$ROOT" bench BENCH_SIZE=tiny BENCH_OUT="$OUT" >"$TMP/bench.out" 2>"$TMP/bench.err"
rc=$?
set -e
check "make bench BENCH_SIZE=tiny: exit 0 (exit $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || tail -20 "$TMP/bench.err" | sed 's/^/    /'
check "wrote results.json" test -s "$OUT/results.json"
check "wrote results.md" test -s "$OUT/results.md"
check "the table is printed too" grep -q '^| lesson | tests |' "$TMP/bench.out"

# Every section is there, with numbers where numbers belong.
sections() {
	python3 - "$OUT/results.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
bad = []
def num(path, v):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
        bad.append("%s: %r is not a number" % (path, v))
def stats(path, s):
    for k in ("median_ms", "p99_ms"):
        num(path + "." + k, s.get(k))
for k in ("machine", "lessons", "lessons_total", "tests", "box", "baseline", "eco", "batch", "load", "goals"):
    if k not in d:
        bad.append("no section " + k)
if bad:
    print("\n".join(bad)); sys.exit()
num("machine.nproc", d["machine"]["nproc"])
for k in ("kernel", "cpu", "date"):
    if not d["machine"].get(k): bad.append("machine." + k + " empty")
if not d["lessons"]: bad.append("no lesson measured")
for row in d["lessons"]:
    for k in ("tests", "cold_wall_ms", "cold_build_ms", "warm_wall_ms", "warm_build_ms", "waits_ms",
              "program_cpu_ms", "busy_ms", "graded_ex_build_waits_ms", "overhead_median_ms"):
        num(row["lesson"] + "." + k, row.get(k))
    if not row["passed"]: bad.append(row["lesson"] + ": the reference solution did not pass")
    # (whether the warm run found the build cached depends on nobody rebuilding ./checker meanwhile)
    for k in ("cold_build_cached", "warm_build_cached"):
        if not isinstance(row.get(k), bool): bad.append("%s.%s is not a boolean" % (row["lesson"], k))
for k in ("graded_ex_build_waits_ms", "overhead_median_ms", "warm_wall_ms"):
    num("lessons_total." + k, d["lessons_total"].get(k))
for k in ("create", "teardown", "total"):
    stats("box." + k, d["box"][k])
for k in ("ready", "exchange", "stop", "total"):
    stats("baseline." + k, d["baseline"][k])
for k in ("test_duration_median_ms", "whole_run_median_ms", "ratio_test_vs_baseline", "ratio_whole_run_vs_baseline"):
    num("eco." + k, d["eco"].get(k))
b = d["batch"]
num("batch.gradings", b["gradings"])
for j in ("j1", "j2"):
    num("batch.%s.per_minute" % j, b[j]["per_minute"])
    if b[j]["graded"] != b["gradings"]: bad.append("batch %s graded %s of %s" % (j, b[j]["graded"], b["gradings"]))
num("batch.ratio", b["ratio"])
lo = d["load"]
if not lo["runs"] or not all(r["passed"] for r in lo["runs"]): bad.append("a load run did not pass")
for k in ("max_connections", "messages_per_s", "peak_rss_kb"):
    num("load." + k, lo.get(k))
for r in lo["runs"]:
    for k in ("duration_ms", "messages_per_s", "checker_rss_kb", "main_rss_kb", "tree_maxrss_kb"):
        num("load.runs[%d].%s" % (r["connections"], k), r.get(k))
if len(d["goals"]) != 5: bad.append("not five goals")
for g in d["goals"]:
    if g.get("met") not in (True, False, None): bad.append("goal without a verdict: " + g["goal"])
print("\n".join(bad) if bad else "ok")
EOF
}
if [ -s "$OUT/results.json" ]; then
	got=$(sections)
	check "results.json: every section, with numbers" test "$got" = ok
	[ "$got" = ok ] || echo "$got" | sed 's/^/    /'
fi

md=$OUT/results.md
check "results.md: the per-lesson table" grep -q '^| lesson | tests | cold wall |' "$md"
check "results.md: a row per lesson measured" test "$(grep -c '^| lesson[0-9][0-9] ' "$md")" -ge 2
check "results.md: the goals" grep -q '^| goal | target | measured |' "$md"
check "results.md: the box and the baseline" grep -q '^| box create + teardown |' "$md"
check "results.md: the batch" grep -q '^| jobs | wall s | graded |' "$md"
check "results.md: the load" grep -q '^| connections | passed |' "$md"
check "results.md: the machine" grep -q '^| processors (nproc) |' "$md"
check "results.md: says the server's limit was raised" grep -q 'MAX_CLIENTES raised' "$md"
check "the bench left no temporary folder" test -z "$(ls -A "$TMP/work")"

finish
