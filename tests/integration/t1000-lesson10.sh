#!/bin/sh
# t1000-lesson10.sh - lesson10: the solution passes everywhere, the starter scores 0.
. "$(dirname "$0")/lib.sh"

L=lesson10
SOL=$(public_copy "$ROOT/solutions/$L")
use_private_workdir

check_solution_everywhere $L "$SOL"
check_contract $L "$SOL"
check_seed_replay $L "$SOL" respuesta send

# Timing within a tolerance and CPU time: run after run, all tests at once.
for i in 1 2 3; do
	grade "$TMP/rep-$i.json" $L --dir "$SOL" -j 9
	check "solution: 100% on run $i" full_marks "$TMP/rep-$i.json"
done

check_starter $L
check_other_language $L "$ROOT/tests/programs/$L" "python3 cliente.py"
check_human_report $L "$SOL" cortada "✓ El servidor corta de golpe (RST): estado 6 (2/2)"
check_no_leftovers
finish
