#!/bin/sh
# t0101-lesson01-mutants.sh - each realistic bug fails exactly the tests meant to catch it.
. "$(dirname "$0")/lib.sh"

for m in "$ROOT"/tests/mutants/lesson01/*/; do
	check_case lesson01 "${m%/}"
done
finish
