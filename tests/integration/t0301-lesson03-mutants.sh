#!/bin/sh
# t0301-lesson03-mutants.sh - each realistic bug fails exactly the tests meant to catch it.
. "$(dirname "$0")/lib.sh"

for m in "$ROOT"/tests/mutants/lesson03/*/; do
	check_case lesson03 "${m%/}"
done
finish
