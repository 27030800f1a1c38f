#!/bin/sh
# t0801-lesson08-mutants.sh - each realistic bug fails exactly the tests meant to catch it.
. "$(dirname "$0")/lib.sh"

for m in "$ROOT"/tests/mutants/lesson08/*/; do
	check_case lesson08 "${m%/}"
done
finish
