#!/bin/sh
# t1101-lesson11-mutants.sh - each realistic bug fails exactly the tests meant to catch it.
. "$(dirname "$0")/lib.sh"

for m in "$ROOT"/tests/mutants/lesson11/*/; do
	check_case lesson11 "${m%/}"
done
finish
