#!/bin/sh
# t0008-rules.sh - every lesson keeps a table of the rules its text states,
# each with the test that fails a program breaking it and the mutant that
# proves the test (tests/mutants/lessonNN/RULES.md), in step with its spec.
. "$(dirname "$0")/lib.sh"

for spec in "$ROOT"/lessons/lesson[0-9][0-9]/spec.json; do
	lesson=$(basename "$(dirname "$spec")")
	case $lesson in lesson9[0-9]) continue ;; esac
	rules=$ROOT/tests/mutants/$lesson/RULES.md
	if [ ! -f "$rules" ]; then
		not_ok "$lesson: no tests/mutants/$lesson/RULES.md"
		continue
	fi
	if python3 "$(dirname "$0")/rules_check.py" "$rules" "$spec" "$ROOT/tests/mutants/$lesson" \
		>"$TMP/$lesson.txt"; then
		ok "$lesson: the rules table agrees with the spec and the mutants"
	else
		not_ok "$lesson: $(tr '\n' ';' <"$TMP/$lesson.txt")"
	fi
done
finish
