#!/bin/sh
# t0401-lesson04-mutants.sh - each realistic bug fails exactly the tests meant to catch it.
. "$(dirname "$0")/lib.sh"

for m in "$ROOT"/tests/mutants/lesson04/*/; do
	check_case lesson04 "${m%/}"
done
finish
