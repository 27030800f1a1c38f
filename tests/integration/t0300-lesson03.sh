#!/bin/sh
# t0300-lesson03.sh - lesson03: the solution passes everywhere, the starter scores 0.
. "$(dirname "$0")/lib.sh"

L=lesson03
SOL=$(public_copy "$ROOT/solutions/$L")
use_private_workdir

check_solution_everywhere $L "$SOL"
check_contract $L "$SOL"
check_seed_replay $L "$SOL" eco send
check_starter $L
check_other_language $L "$ROOT/tests/programs/$L" "python3 servidor.py"
check_human_report $L "$SOL" eco "✓ Responde con el prefijo exacto (2/2)"
check_no_leftovers
finish
