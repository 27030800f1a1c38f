#!/bin/sh
# t0900-lesson09.sh - lesson09: the solution passes everywhere, the starter scores 0.
. "$(dirname "$0")/lib.sh"

L=lesson09
SOL=$(public_copy "$ROOT/solutions/$L")
use_private_workdir

check_solution_everywhere $L "$SOL"
check_contract $L "$SOL"
check_seed_replay $L "$SOL" plazo_con_datos send

# Timing within a tolerance and CPU time: run after run, all tests at once.
for i in 1 2 3; do
	grade "$TMP/rep-$i.json" $L --dir "$SOL" -j 9
	check "solution: 100% on run $i" full_marks "$TMP/rep-$i.json"
done

check_starter $L
check_human_report $L "$SOL" plazo_agotado "✓ plazo: si no llega nada, se rinde a los 400 ms justos (2/2)"
check_no_leftovers
finish
