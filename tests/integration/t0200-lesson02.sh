#!/bin/sh
# t0200-lesson02.sh - lesson02: the solution passes everywhere, the starter scores 0.
. "$(dirname "$0")/lib.sh"

L=lesson02
SOL=$(public_copy "$ROOT/solutions/$L")
mkdir -m 1777 "$TMP/work"
export TMPDIR="$TMP/work"

full_marks() {
	[ "$rc" -eq 0 ] && [ "$(json_get "$1" 'd["score"] == d["max_score"] > 0 and d["status"]')" = "pass" ]
}

# The solution, in every isolation tier this machine offers.
tiers="A B C"
[ "$(id -u)" -eq 0 ] || tiers="B C"
for tier in $tiers; do
	grade "$TMP/sol-$tier.json" $L --dir "$SOL" --tier "$tier"
	if [ "$rc" -eq 2 ]; then
		echo "  skip tier $tier: not available here"
		continue
	fi
	check "solution: 100% in tier $tier" full_marks "$TMP/sol-$tier.json"
	check "the report names tier $tier" test "$(json_get "$TMP/sol-$tier.json" 'd["isolation"]')" = "$tier"
done
if can_run_as_nobody; then
	for tier in B C; do
		out="$TMP/nobody-$tier.json"
		set +e
		runuser -u nobody -- "$CHECKER" $L --dir "$SOL" --tier "$tier" --format json >"$out" 2>"$out.err"
		rc=$?
		set -e
		if [ "$rc" -eq 2 ]; then
			echo "  skip tier $tier as nobody: not available here"
			continue
		fi
		check "solution: 100% in tier $tier as an unprivileged user" full_marks "$out"
	done
fi

# The result contract.
out="$TMP/sol-contract.json"
grade "$out" $L --dir "$SOL" --seed 1234
check "JSON: contract keys" test "$(json_get "$out" 'all(k in d for k in ("lesson","status","score","max_score","seed","tests")) and all(all(k in t for k in ("id","name","status","score","max_score","message","duration_ms")) for t in d["tests"])')" = True
check "JSON: the seed is the one given" test "$(json_get "$out" 'd["seed"]')" = 1234

# Same seed, same inputs; another seed, other inputs.
sent() { json_get "$1" '"|".join(e["data"] for e in d["tests"][0]["transcript"] if e["event"] == "send")'; }
grade "$TMP/s1.json" $L --dir "$SOL" --seed 77 --test peticion
grade "$TMP/s2.json" $L --dir "$SOL" --seed 77 --test peticion
grade "$TMP/s3.json" $L --dir "$SOL" --seed 78 --test peticion
check "--seed replays the same inputs" test "$(sent "$TMP/s1.json")" = "$(sent "$TMP/s2.json")"
check "another seed draws other inputs" test "$(sent "$TMP/s1.json")" != "$(sent "$TMP/s3.json")"
check "--test runs only that test" test "$(json_get "$TMP/s1.json" 'len(d["tests"])')" = 1

# The starter compiles, scores 0, and no test crashes the checker.
grade "$TMP/starter.json" $L
check "starter: exit 1" test "$rc" -eq 1
check "starter: compiles" test "$(json_get "$TMP/starter.json" 'd["build"]["ok"]')" = True
check "starter: scores 0" test "$(json_get "$TMP/starter.json" 'd["score"]')" = 0
check "starter: every test is a plain failure" test "$(json_get "$TMP/starter.json" 'all(t["status"] == "fail" for t in d["tests"])')" = True

# Another language through --cmd: the spec's arguments are appended.
PY=$(public_copy "$ROOT/tests/programs/$L")
grade "$TMP/py.json" $L --dir "$PY" --cmd "python3 cliente.py"
check "--cmd: a Python client gets 100%" full_marks "$TMP/py.json"
check "--cmd: no build" test "$(json_get "$TMP/py.json" 'd["build"]["ran"]')" = False

# The human report: Spanish, marks, no colour off a terminal.
"$CHECKER" $L --dir "$SOL" --test peticion >"$TMP/human.txt" 2>&1 || true
check "human report: Spanish and a tick" grep -q "✓ Envía la petición GET exacta y escribe la respuesta (2/2)" "$TMP/human.txt"
check "human report: the score line" grep -q "Puntuación: 2/2" "$TMP/human.txt"
check "human report: no colour codes off a terminal" sh -c "! grep -q \"$(printf '\033')\" \"$TMP/human.txt\""
"$CHECKER" $L --dir "$SOL" --test peticion --lang en >"$TMP/human-en.txt" 2>&1 || true
check "human report in English" grep -q "Score: 2/2" "$TMP/human-en.txt"

# Nothing is left behind: no process of a box uid, no working folder.
leftovers() {
	for exe in /proc/[0-9]*/exe; do
		readlink "$exe" 2>/dev/null
	done | grep -F "$TMP/work" || true
}
check "no stray process of a box" test -z "$(leftovers)"
check "no working folder left" sh -c "! ls \"$TMP/work\" | grep -q checker-"

finish
