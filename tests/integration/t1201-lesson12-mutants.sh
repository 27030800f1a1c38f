#!/bin/sh
# t1201-lesson12-mutants.sh - each realistic bug fails exactly the tests meant to catch it.
. "$(dirname "$0")/lib.sh"

for m in "$ROOT"/tests/mutants/lesson12/*/; do
	check_case lesson12 "${m%/}"
done
finish
