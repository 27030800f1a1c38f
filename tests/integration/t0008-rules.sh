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

# cause files name causes of src/causes.def, and tests the mutant fails;
# how many mutants name the cause their failures must be traced to.
known=" $(sed -n 's/^CAUSE([A-Z_]*, "\([a-z_]*\)".*/\1/p' "$ROOT/src/causes.def" | xargs) "
named=0 all=0
for m in "$ROOT"/tests/mutants/lesson*/*/; do
	all=$((all + 1))
	[ -f "$m/cause" ] || continue
	named=$((named + 1))
	name=$(basename "$(dirname "$m")")/$(basename "$m")
	expected=" $(xargs <"$m/expected") "
	while read -r a b; do
		case $a in '#'* | '') continue ;; esac
		cause=${b:-$a}
		case $known in *" $cause "*) ;; *) not_ok "$name/cause: $cause is not in src/causes.def" ;; esac
		if [ -n "$b" ]; then
			case $expected in *" $a "* | " all ") ;; *) not_ok "$name/cause: it does not fail $a" ;; esac
		fi
	done <"$m/cause"
done
ok "$named of $all mutants name the cause of their failures (cause files)"
finish
