#!/bin/sh
# t0601-lesson06-mutants.sh - each realistic bug fails exactly the tests meant to catch it.
. "$(dirname "$0")/lib.sh"

for m in "$ROOT"/tests/mutants/lesson06/*/; do
	check_case lesson06 "${m%/}"
done
finish
