#!/bin/sh
# t0200-lesson02.sh - lesson02: the solution passes everywhere, the starter scores 0.
. "$(dirname "$0")/lib.sh"

L=lesson02
SOL=$(public_copy "$ROOT/solutions/$L")
use_private_workdir

check_solution_everywhere $L "$SOL"
check_contract $L "$SOL"
check_seed_replay $L "$SOL" peticion send
check_starter $L
check_other_language $L "$ROOT/tests/programs/$L" "python3 cliente.py"
check_human_report $L "$SOL" peticion "✓ Envía una petición GET válida y escribe la respuesta (2/2)"
check_no_leftovers
finish
