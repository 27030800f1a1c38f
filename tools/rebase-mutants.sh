#!/bin/sh
# rebase-mutants.sh LESSON - re-base every mutant patch of LESSON onto the
# lesson's current solution (after the solution changed); says which ones
# no longer apply, to be redone by hand.
set -eu
cd "$(dirname "$0")/.."
L=${1:?usage: tools/rebase-mutants.sh lessonNN}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for patch in tests/mutants/"$L"/*/*.patch; do
	[ -f "$patch" ] || continue
	name=$(basename "$(dirname "$patch")") file=$(basename "$patch" .patch)
	rm -rf "${work:?}/$name"
	mkdir -p "$work/$name"
	cp "solutions/$L/$file" "$work/$name/"
	if patch --quiet --fuzz=3 -d "$work/$name" -p0 <"$patch" >/dev/null 2>&1; then
		diff -u --label "$file" --label "$file" "solutions/$L/$file" "$work/$name/$file" >"$patch" || true
		echo "re-based: $name"
	else
		echo "does not apply any more, redo by hand: $name" >&2
		status=1
	fi
done
exit $status
