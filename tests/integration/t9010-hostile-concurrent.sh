#!/bin/bash
# t9010-hostile-concurrent.sh - hostile programs against other gradings:
# a fork bomb graded at the same time as the reference solution must not
# cost it a point (boxes of two checkers must not share a uid, hence an
# RLIMIT_NPROC count); and a checker killed with SIGKILL leaves nothing:
# nothing another user can read at once, and after the next checker starts
# no work folder (the learner's sources), no box process, no cgroup.
. "$(dirname "$0")/lib.sh"

H=$ROOT/tests/hostile
export CHECKER_LOCALEDIR=$ROOT/build/locale
use_private_workdir

if [ "$(id -u)" -ne 0 ]; then
	echo "  skip: tier A needs root"
	finish
	exit $?
fi

SOL=$(public_copy "$ROOT/solutions/lesson03")
BOMB=$TMP/bomb
mkdir -p "$BOMB"
cp "$H/programs/fork_bomb/servidor.c" "$H/common.h" "$BOMB/"
chmod -R a+rX "$BOMB"

# ---- a fork bomb next to the solution ----
# lesson97 keeps the bomb's box (its 256 processes, the most lesson03 allows
# too) alive for 3 s; lesson03's first test runs meanwhile, as the same
# box uid if boxes of different checkers share them.
ROUNDS=${ROUNDS:-10}
lost=0
for round in $(seq "$ROUNDS"); do
	CHECKER_ROOT=$H "$CHECKER" lesson97 --dir "$BOMB" --tier A --format json >"$TMP/bomb-$round.json" 2>&1 &
	bomb=$!
	grade "$TMP/sol-$round.json" lesson03 --dir "$SOL" --tier A
	if [ "$rc" -eq 2 ]; then
		echo "  skip: tier A is not available here"
		wait "$bomb" || true
		break
	fi
	if ! full_marks "$TMP/sol-$round.json"; then
		lost=$((lost + 1))
		echo "  round $round: the solution got $(json_get "$TMP/sol-$round.json" '"%s/%s, failed: %s" % (d["score"], d["max_score"], "; ".join(t["id"] + ": " + t["message"][:90] for t in d["tests"] if t["status"] != "pass"))')"
	fi
	wait "$bomb" || true
done
check "the solution gets full marks next to a fork bomb ($lost of $ROUNDS rounds lost points)" test "$lost" -eq 0

# ---- a checker killed with SIGKILL ----
# A program that leaves a setsid'd orphan, then sleeps without listening: the
# checker waits for it (up to ready_ms) when it is killed.
ORPHAN=$TMP/orphan
mkdir -p "$ORPHAN"
cat >"$ORPHAN/servidor.c" <<'EOF'
/* Leaves an orphan in a session of its own, then sleeps without listening. */
#include <sys/prctl.h>
#include <unistd.h>

int main(void)
{
	if (fork() == 0) {
		setsid();
		if (fork() == 0) {
			prctl(PR_SET_NAME, "hostil_huerfano");
			for (;;)
				pause();
		}
		_exit(0);
	}
	prctl(PR_SET_NAME, "hostil_dormido");
	for (;;)
		pause();
}
EOF
chmod -R a+rX "$ORPHAN"

# The box's processes still alive (a zombie is dead: an init that does not
# reap, as in some containers, keeps it listed).
box_procs() {
	for p in $(pgrep -x hostil_huerfano; pgrep -x hostil_dormido); do
		[ "$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null)" = Z ] || echo "$p"
	done
}
for tier in A B C; do
	before=$(ls "$TMP/work")
	procs_before=$(box_procs)
	CHECKER_ROOT=$H "$CHECKER" lesson99 --dir "$ORPHAN" --tier "$tier" --format json >"$TMP/killed-$tier.json" 2>&1 &
	pid=$!
	for _ in $(seq 100); do [ -n "$(pgrep -x hostil_huerfano)" ] && break; sleep 0.05; done
	if [ -z "$(pgrep -x hostil_huerfano)" ]; then
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		echo "  skip tier $tier: its box did not start"
		continue
	fi
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null || true
	left=$(comm -13 <(echo "$before") <(ls "$TMP/work"))
	# At once: what it left is nobody else's to read (tier C's programs use
	# the host's path: there others may pass through, not list).
	if [ "$tier" != C ] && can_run_as_nobody; then
		for d in $left; do
			check "SIGKILL in tier $tier: its sources cannot be read by others" \
				runuser -u nobody -- sh -c "! cat '$TMP/work/$d/work/servidor.c' 2>/dev/null"
		done
	fi
	# The next checker to start cleans up what the killed one could not.
	grade "$TMP/next-$tier.json" lesson03 --dir "$SOL" --tier "$tier" --test eco
	left=$(comm -13 <(echo "$before") <(ls "$TMP/work"))
	procs=$(comm -13 <(echo "$procs_before" | sort) <(box_procs | sort))
	cgs=$(find /sys/fs/cgroup -maxdepth 6 -type d -name "checker-$pid-*" 2>/dev/null)
	for d in $left; do
		echo "  tier $tier: left $d (mode $(stat -c %a "$TMP/work/$d"))"
	done
	for p in $procs; do echo "  tier $tier: left process $p $(ps -o user=,comm= -p "$p")"; done
	for c in $cgs; do echo "  tier $tier: left cgroup $c"; done
	check "SIGKILL in tier $tier: the next run gets full marks" full_marks "$TMP/next-$tier.json"
	check "SIGKILL in tier $tier: after the next start, no work folder is left" test -z "$left"
	check "SIGKILL in tier $tier: after the next start, no box process is left" test -z "$procs"
	check "SIGKILL in tier $tier: after the next start, no cgroup of its boxes is left" test -z "$cgs"
	# Clean up for the next tier: only what this run left.
	for p in $procs; do kill -KILL "$p" 2>/dev/null || true; done
	for c in $cgs; do rmdir "$c" 2>/dev/null || true; done
	for d in $left; do rm -rf "${TMP:?}/work/$d"; done
done
finish
