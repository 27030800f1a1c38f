# lib.sh - shared helpers for the integration tests (sourced, never run).
set -eu
export LC_ALL=C.UTF-8
unset LANGUAGE LANG LC_MESSAGES NO_COLOR
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CHECKER=${CHECKER:-$ROOT/checker}
case $CHECKER in /*) ;; *) CHECKER=$ROOT/$CHECKER ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/checker-test-XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
# The box cannot see inside a private home: work from a folder everyone reads.
chmod 755 "$TMP"
# Each script has a build cache of its own, empty at first: never the user's.
export CHECKER_CACHE_DIR="$TMP/cache"
failures=0
checks=0

ok() { checks=$((checks + 1)); echo "  ok   $*"; }
not_ok() { checks=$((checks + 1)); failures=$((failures + 1)); echo "  FAIL $*"; }

# check "description" command...: ok if the command succeeds.
check() {
	desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# jq-like access with python3: json_get FILE EXPR (EXPR in Python, d is the data).
json_get() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# The ids of the tests that did not pass, sorted, space-separated.
failing_ids() {
	json_get "$1" '" ".join(sorted(t["id"] for t in d["tests"] if t["status"] != "pass"))'
}

# grade OUT LESSON ARGS...: run the checker with --format json into OUT;
# sets $rc to its exit status.
grade() {
	out=$1; shift
	set +e
	"$CHECKER" "$@" --format json >"$out" 2>"$out.err"
	rc=$?
	set -e
}

# A copy of a folder that an unprivileged user can read.
public_copy() {
	dst="$TMP/pub-$(basename "$1")-$$-$checks"
	cp -r "$1" "$dst"
	chmod -R a+rX "$dst"
	echo "$dst"
}

can_run_as_nobody() {
	[ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null 2>&1 && id nobody >/dev/null 2>&1
}

# A mutant is kept as patches (*.patch) against the lesson's solution: the
# diff is the bug. Print a folder with the patched program (or DIR itself if
# it holds a whole program).
materialize() {
	lesson=$1 src=$2
	ls "$src"/*.patch >/dev/null 2>&1 || { echo "$src"; return; }
	dst="$TMP/mutant-$(basename "$src")"
	rm -rf "$dst"
	cp -r "$ROOT/solutions/$lesson" "$dst"
	for p in "$src"/*.patch; do
		patch --quiet --directory="$dst" -p0 <"$p" >&2 || return 1
	done
	echo "$dst"
}

# A case folder holds a program (or patches, see materialize), "expected" (the ids of the tests it must
# fail, or "all") and optionally "cause" (the cause each failure must be traced to) and "message"
# (text one failure must contain).
check_case() {
	lesson=$1 dir=$2
	name=$(basename "$dir")
	if [ -f "$dir/racy" ] && [ -n "${CHECKER_SANITIZED:-}" ]; then
		echo "  skip $name: caught by a race a sanitized checker is too slow to provoke"
		return 0
	fi
	out="$TMP/case-$name.json"
	prog=$(materialize "$lesson" "$dir")
	grade "$out" "$lesson" --dir "$prog" -j 4
	got=$(failing_ids "$out")
	want=$(tr '\n' ' ' <"$dir/expected" | xargs -n1 | sort | xargs)
	if [ "$want" = "all" ]; then
		want=$(json_get "$out" '" ".join(sorted(t["id"] for t in d["tests"]))')
	fi
	# may_fail: tests whose verdict on this bug depends on the machine's
	# load (a busy-waiting server runs out of CPU time sooner or later);
	# "#" lines say why. They count neither way.
	if [ -f "$dir/may_fail" ]; then
		maybe=" $(grep -v '^#' "$dir/may_fail" | xargs) "
		got=$(for t in $got; do case $maybe in *" $t "*) ;; *) echo "$t" ;; esac; done | xargs)
		want=$(for t in $want; do case $maybe in *" $t "*) ;; *) echo "$t" ;; esac; done | xargs)
	fi
	if [ "$got" = "$want" ] && [ "$rc" -eq 1 ]; then
		ok "$name fails exactly: $want"
	else
		not_ok "$name: expected to fail [$want], failed [$got] (exit $rc)"
		return 0
	fi
	# cause: what the first explanation of each failing test must name
	# (src/causes.def): a line "CAUSE" for every test, "TEST CAUSE" for one.
	if [ -f "$dir/cause" ]; then
		for t in $got; do
			want_cause=$(awk -v t="$t" '!/^#/ && NF == 2 && $1 == t { print $2; exit }' "$dir/cause")
			[ -n "$want_cause" ] ||
				want_cause=$(awk '!/^#/ && NF == 1 { print $1; exit }' "$dir/cause")
			[ -n "$want_cause" ] || continue # this test's failure names no cause
			got_cause=$(json_get "$out" "next((x.get('cause') or '-' for x in d['tests'] if x['id'] == '$t'), '-')")
			if [ "$got_cause" = "$want_cause" ]; then
				ok "$name $t: traced to $want_cause"
			else
				not_ok "$name $t: traced to $got_cause, not to $want_cause"
			fi
		done
	fi
	if [ -f "$dir/message" ]; then
		msg=$(cat "$dir/message")
		msgs=$(json_get "$out" '"\n".join(t["message"] for t in d["tests"]) + d["build"]["log"]')
		if printf '%s\n' "$msgs" | grep -F -- "$msg" >/dev/null; then
			ok "$name explains: $msg"
		else
			not_ok "$name: no failure message contains: $msg"
		fi
	fi
}

# expected_for FILE KEY TIER: the verdict a hostile program must get
# (tests/hostile/README.md): the line for KEY (A, B-nobody...), else for
# TIER, else "*"; "a|b" where either is right.
expected_for() {
	exp=$1 key=$2 tier=$3
	for k in "$key" "$tier" '*'; do
		v=$(awk -v k="$k" '$1 == k { print $2; exit }' "$exp")
		[ -n "$v" ] && { echo "$v"; return; }
	done
}

finish() {
	echo "$(basename "$0"): $((checks - failures)) passed, $failures failed"
	[ "$failures" -eq 0 ]
}

# ---- the checks every lesson's tNN00 script makes ----

# Boxes make their working folders here, so leftovers can be counted.
use_private_workdir() {
	mkdir -m 1777 "$TMP/work"
	export TMPDIR="$TMP/work"
}

full_marks() {
	[ "$rc" -eq 0 ] && [ "$(json_get "$1" 'd["score"] == d["max_score"] > 0 and d["status"]')" = "pass" ]
}

# The solution in DIR gets 100% in every tier this machine offers, as root
# and as an unprivileged user.
check_solution_everywhere() {
	lesson=$1 sol=$2
	tiers="A B C"
	[ "$(id -u)" -eq 0 ] || tiers="B C"
	for tier in $tiers; do
		grade "$TMP/sol-$tier.json" "$lesson" --dir "$sol" --tier "$tier"
		if [ "$rc" -eq 2 ]; then
			echo "  skip tier $tier: not available here"
			continue
		fi
		check "solution: 100% in tier $tier" full_marks "$TMP/sol-$tier.json"
		check "the report names tier $tier" test "$(json_get "$TMP/sol-$tier.json" 'd["isolation"]')" = "$tier"
	done
	can_run_as_nobody || return 0
	for tier in B C; do
		out="$TMP/nobody-$tier.json"
		set +e
		runuser -u nobody -- "$CHECKER" "$lesson" --dir "$sol" --tier "$tier" --format json >"$out" 2>"$out.err"
		rc=$?
		set -e
		if [ "$rc" -eq 2 ]; then
			echo "  skip tier $tier as nobody: not available here"
			continue
		fi
		check "solution: 100% in tier $tier as an unprivileged user" full_marks "$out"
	done
}

# The --format json contract, and --seed given back.
check_contract() {
	lesson=$1 sol=$2
	out="$TMP/sol-contract.json"
	grade "$out" "$lesson" --dir "$sol" --seed 1234
	check "JSON: contract keys" test "$(json_get "$out" 'all(k in d for k in ("lesson","status","score","max_score","seed","tests")) and all(all(k in t for k in ("id","name","status","score","max_score","message","duration_ms")) for t in d["tests"])')" = True
	check "JSON: the seed is the one given" test "$(json_get "$out" 'd["seed"]')" = 1234
}

# Test ID draws random inputs: the same seed replays them, another changes
# them. EVENT is the transcript event that carries them (send or recv).
check_seed_replay() {
	lesson=$1 sol=$2 test_id=$3 event=$4
	for s in 77 77b 78; do
		grade "$TMP/seed-$s.json" "$lesson" --dir "$sol" --seed "${s%b}" --test "$test_id"
	done
	code="\"|\".join(e[\"data\"] for e in d[\"tests\"][0][\"transcript\"] if e[\"event\"] == \"$event\")"
	check "--seed replays the same inputs" test "$(json_get "$TMP/seed-77.json" "$code")" = "$(json_get "$TMP/seed-77b.json" "$code")"
	check "another seed draws other inputs" test "$(json_get "$TMP/seed-77.json" "$code")" != "$(json_get "$TMP/seed-78.json" "$code")"
	check "--test runs only that test" test "$(json_get "$TMP/seed-77.json" 'len(d["tests"])')" = 1
}

# The starter compiles, scores 0, and every test is a plain failure.
check_starter() {
	lesson=$1
	grade "$TMP/starter.json" "$lesson"
	check "starter: exit 1" test "$rc" -eq 1
	check "starter: compiles" test "$(json_get "$TMP/starter.json" 'd["build"]["ok"]')" = True
	check "starter: compiles without warnings" test "$(json_get "$TMP/starter.json" 'd["build"]["warnings"]')" = 0
	check "starter: scores 0" test "$(json_get "$TMP/starter.json" 'd["score"]')" = 0
	check "starter: every test is a plain failure" test "$(json_get "$TMP/starter.json" 'all(t["status"] == "fail" for t in d["tests"])')" = True
}

# A program in another language, run with --cmd, gets 100%.
check_other_language() {
	lesson=$1 dir=$2 cmd=$3
	grade "$TMP/cmd.json" "$lesson" --dir "$(public_copy "$dir")" --cmd "$cmd"
	check "--cmd: '$cmd' gets 100%" full_marks "$TMP/cmd.json"
	check "--cmd: no build" test "$(json_get "$TMP/cmd.json" 'd["build"]["ran"]')" = False
}

# The human report of test ID: Spanish, its line with a tick, no colour off
# a terminal; in English with --lang en.
check_human_report() {
	lesson=$1 sol=$2 test_id=$3 line=$4
	"$CHECKER" "$lesson" --dir "$sol" --test "$test_id" >"$TMP/human.txt" 2>&1 || true
	check "human report: Spanish and a tick" grep -qF "$line" "$TMP/human.txt"
	check "human report: the score line" grep -q "Puntuación: " "$TMP/human.txt"
	check "human report: no colour codes off a terminal" sh -c "! grep -q \"$(printf '\033')\" \"$TMP/human.txt\""
	"$CHECKER" "$lesson" --dir "$sol" --test "$test_id" --lang en >"$TMP/human-en.txt" 2>&1 || true
	check "human report in English" grep -q "Score: " "$TMP/human-en.txt"
}

# Nothing of the boxes is left: no process, no working folder.
check_no_leftovers() {
	procs=$(for exe in /proc/[0-9]*/exe; do readlink "$exe" 2>/dev/null; done | grep -F "$TMP/work" || true)
	check "no stray process of a box" test -z "$procs"
	check "no working folder left" sh -c "! ls \"$TMP/work\" | grep -q checker-"
}

# The box cgroups (cgroup.c names them checker-PID-...) whose checker is
# gone: left behind. Those of checkers still running (another script's, a
# person's) are not.
orphan_box_cgroups() {
	find /sys/fs/cgroup -maxdepth 6 -type d -name 'checker-*' 2>/dev/null | while read -r d; do
		n=${d##*/checker-}
		kill -0 "${n%%-*}" 2>/dev/null || echo "$d"
	done
}
