#!/bin/sh
# t1100-lesson11.sh - lesson11: the solution passes everywhere, the starter scores 0.
. "$(dirname "$0")/lib.sh"

L=lesson11
SOL=$(public_copy "$ROOT/solutions/$L")
use_private_workdir

check_solution_everywhere $L "$SOL"
check_contract $L "$SOL"
check_seed_replay $L "$SOL" eco send

# A thousand connections, a slow reader, CPU time: run after run, all at once.
for i in 1 2 3; do
	grade "$TMP/rep-$i.json" $L --dir "$SOL" -j 8
	check "solution: 100% on run $i" full_marks "$TMP/rep-$i.json"
done

check_starter $L
check_other_language $L "$ROOT/tests/programs/$L" "python3 servidor.py"
check_human_report $L "$SOL" un_hilo "✓ Atiende a todos con un solo hilo y un solo proceso (2/2)"
check_no_leftovers
finish
