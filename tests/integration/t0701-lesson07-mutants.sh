#!/bin/sh
# t0701-lesson07-mutants.sh - each realistic bug fails exactly the tests meant to catch it.
. "$(dirname "$0")/lib.sh"

for m in "$ROOT"/tests/mutants/lesson07/*/; do
	check_case lesson07 "${m%/}"
done
finish
