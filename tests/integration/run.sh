#!/bin/bash
# run.sh [tNNNN...] - run the integration tests (all, or those named) and sum up.
#
# Scripts run INTEGRATION_JOBS at a time (default 2), each log shown whole
# once its script ends, headed by how long it took. Those that look at the whole machine (every cgroup,
# every IPC object, every process of a box uid) or start other checkers
# against the clock run alone, after the others. Two at a time halves the
# time on two processors; the tests' deadlines stretch by the time a box
# waited for a CPU, so the load of the other script decides no verdict.
# INTEGRATION_JOBS=1 runs one at a time.
set -u
cd "$(dirname "$0")" || exit 2
ALONE="t9000 t9010 t9500"
jobs=${INTEGRATION_JOBS:-2}
logs=$(mktemp -d "${TMPDIR:-/tmp}/checker-run-XXXXXX")
trap 'rm -rf "$logs"' EXIT

wanted() {
	[ $# -eq 1 ] && return 0
	t=$1
	shift
	case " $* " in *" ${t%%-*} "*) return 0 ;; esac
	return 1
}

# One script: its log and its counts in $logs, the log shown at its end.
run_one() {
	t=$1
	began=$(date +%s)
	if ./"$t" >"$logs/$t.log" 2>&1; then :; else echo "   $t FAILED" >>"$logs/$t.log"; fi
	{
		echo "== $t ($(($(date +%s) - began)) s)"
		cat "$logs/$t.log"
	}
}

shared=()
alone=()
for t in t[0-9][0-9][0-9][0-9]-*.sh; do
	wanted "$t" "$@" || continue
	case " $ALONE " in *" ${t%%-*} "*) alone+=("$t") ;; *) shared+=("$t") ;; esac
done

running=0
for t in "${shared[@]}"; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
	run_one "$t" &
	running=$((running + 1))
done
wait
for t in "${alone[@]}"; do
	run_one "$t"
done

passed=0
failed=0
for t in "${shared[@]}" "${alone[@]}"; do
	line=$(grep -E ': [0-9]+ passed, [0-9]+ failed$' "$logs/$t.log" | tail -1)
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		continue
	fi
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.*, ([0-9]+) failed$/\1/')
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "integration: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
