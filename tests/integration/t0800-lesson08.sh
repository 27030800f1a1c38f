#!/bin/sh
# t0800-lesson08.sh - lesson08: the solution passes everywhere, the starter scores 0.
. "$(dirname "$0")/lib.sh"

L=lesson08
SOL=$(public_copy "$ROOT/solutions/$L")
use_private_workdir

check_solution_everywhere $L "$SOL"
check_contract $L "$SOL"
check_seed_replay $L "$SOL" muestra_mensajes send

# Typing while the network talks: run after run, all at once.
for i in 1 2 3; do
	grade "$TMP/rep-$i.json" $L --dir "$SOL" -j 8
	check "solution: 100% on run $i" full_marks "$TMP/rep-$i.json"
done

check_starter $L
check_other_language $L "$ROOT/tests/programs/$L" "python3 cliente.py"
check_human_report $L "$SOL" apodo "✓ Espera «NICK» y contesta con su apodo (2/2)"
check_no_leftovers
finish
