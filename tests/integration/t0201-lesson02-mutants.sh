#!/bin/sh
# t0201-lesson02-mutants.sh - each realistic bug fails exactly the tests meant to catch it.
. "$(dirname "$0")/lib.sh"

for m in "$ROOT"/tests/mutants/lesson02/*/; do
	check_case lesson02 "${m%/}"
done
finish
