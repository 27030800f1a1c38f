#!/bin/sh
# t0302-lesson03-broken.sh - programs that never listen, crash, hang or do not
# compile each get a clear verdict within their deadlines.
. "$(dirname "$0")/lib.sh"

for b in "$ROOT"/tests/broken/lesson03/*/; do
	check_case lesson03 "${b%/}"
done

# A hang is cut at the step's deadline (2000 ms), not at the test's (20 s).
out="$TMP/case-se_cuelga.json"
check "a hanging server is cut at each step's deadline" test \
	"$(json_get "$out" 'all(t["duration_ms"] < 4000 for t in d["tests"])')" = True
check "the hang names the waiting step" test \
	"$(json_get "$out" 'all("2000 ms" in t["message"] for t in d["tests"])')" = True
out="$TMP/case-no_compila.json"
check "a compile error is status error, tests skipped" test \
	"$(json_get "$out" 'd["status"] == "error" and all(t["status"] == "skip" for t in d["tests"])')" = True
# A daemon that escaped with setsid() is killed with its box, in every tier.
DEMON=$(public_copy "$ROOT/tests/broken/lesson03/demonio")
for tier in A B C; do
	grade "$TMP/demon-$tier.json" lesson03 --dir "$DEMON" --tier "$tier" --test eco
	[ "$rc" -eq 2 ] && continue
	check "tier $tier: no daemon left after the test" sh -c "! pgrep -x demonio_chk >/dev/null"
done
if can_run_as_nobody; then
	for tier in B C; do
		runuser -u nobody -- "$CHECKER" lesson03 --dir "$DEMON" --tier "$tier" --test eco \
			--format json >/dev/null 2>&1 || true
		check "tier $tier as nobody: no daemon left" sh -c "! pgrep -x demonio_chk >/dev/null"
	done
fi
pkill -x demonio_chk 2>/dev/null || true
finish
