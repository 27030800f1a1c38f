#!/bin/sh
# t1001-lesson10-mutants.sh - each realistic bug fails exactly the tests meant to catch it.
. "$(dirname "$0")/lib.sh"

for m in "$ROOT"/tests/mutants/lesson10/*/; do
	check_case lesson10 "${m%/}"
done
finish
