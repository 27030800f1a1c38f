#!/bin/sh
# t0600-lesson06.sh - lesson06: the solution passes everywhere, the starter scores 0.
. "$(dirname "$0")/lib.sh"

L=lesson06
SOL=$(public_copy "$ROOT/solutions/$L")
use_private_workdir

check_solution_everywhere $L "$SOL"
check_contract $L "$SOL"
check_seed_replay $L "$SOL" mensajes_argumentos recv

# Timeouts and retries: the solution passes run after run, all tests at once.
for i in 1 2 3 4 5; do
	grade "$TMP/rep-$i.json" $L --dir "$SOL" -j 8
	check "solution: 100% on run $i" full_marks "$TMP/rep-$i.json"
done

check_starter $L
check_other_language $L "$ROOT/tests/programs/$L" "python3 cliente.py"
check_human_report $L "$SOL" mensajes_por_defecto \
	"✓ Sin mensajes en los argumentos, envía los tres de siempre (2/2)"
check_no_leftovers
finish
