#!/bin/sh
# t0501-lesson05-mutants.sh - each realistic bug fails exactly the tests meant to catch it.
. "$(dirname "$0")/lib.sh"

for m in "$ROOT"/tests/mutants/lesson05/*/; do
	check_case lesson05 "${m%/}"
done
finish
