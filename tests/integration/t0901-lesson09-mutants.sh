#!/bin/sh
# t0901-lesson09-mutants.sh - each realistic bug fails exactly the tests meant to catch it.
. "$(dirname "$0")/lib.sh"

for m in "$ROOT"/tests/mutants/lesson09/*/; do
	check_case lesson09 "${m%/}"
done
finish
