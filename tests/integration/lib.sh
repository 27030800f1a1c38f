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
# fail, or "all") and optionally "message" (text one failure must contain).
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
	if [ "$got" = "$want" ] && [ "$rc" -eq 1 ]; then
		ok "$name fails exactly: $want"
	else
		not_ok "$name: expected to fail [$want], failed [$got] (exit $rc)"
		return 0
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

finish() {
	echo "$(basename "$0"): $((checks - failures)) passed, $failures failed"
	[ "$failures" -eq 0 ]
}
