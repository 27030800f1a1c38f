#!/bin/sh
# t1200-lesson12.sh - lesson12: the solution passes everywhere, the starter scores 0.
. "$(dirname "$0")/lib.sh"

L=lesson12
SOL=$(public_copy "$ROOT/solutions/$L")
use_private_workdir

check_solution_everywhere $L "$SOL"
check_contract $L "$SOL"

# Twenty transfers of 2 MB at once, run after run, with every test in parallel.
for i in 1 2 3; do
	grade "$TMP/rep-$i.json" $L --dir "$SOL" -j 8
	check "solution: 100% on run $i" full_marks "$TMP/rep-$i.json"
done

# The tests' files come from the lesson, whatever the submission brings.
BAD=$(public_copy "$ROOT/solutions/$L")
mkdir -p "$BAD/public"
echo "falso" >"$BAD/public/hola.txt"
echo "sin secreto" >"$BAD/secreto.txt"
grade "$TMP/bad.json" $L --dir "$BAD"
check "a submission cannot replace the tests' files" full_marks "$TMP/bad.json"

check_starter $L
check_other_language $L "$ROOT/tests/programs/$L" "python3 servidor.py"
check_human_report $L "$SOL" pagina_principal "✓ GET / devuelve index.html como HTML (2/2)"
check_no_leftovers
finish
