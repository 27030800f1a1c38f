#!/bin/sh
# t0500-lesson05.sh - lesson05: the solution passes everywhere, the starter scores 0.
. "$(dirname "$0")/lib.sh"

L=lesson05
SOL=$(public_copy "$ROOT/solutions/$L")
use_private_workdir

check_solution_everywhere $L "$SOL"
check_contract $L "$SOL"
check_seed_replay $L "$SOL" eco send
check_starter $L
check_other_language $L "$ROOT/tests/programs/$L" "python3 servidor.py"
check_human_report $L "$SOL" eco "✓ Contesta «Eco: » y el mismo texto (2/2)"
check_no_leftovers
finish
