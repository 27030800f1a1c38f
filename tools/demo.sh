#!/bin/sh
# demo.sh - grade the reference solution of every lesson, with the Spanish report.
set -eu
cd "$(dirname "$0")/.."
status=0
for sol in solutions/lesson*/; do
	lesson=$(basename "$sol")
	[ -f "lessons/$lesson/spec.json" ] || continue
	echo "== ./checker $lesson --dir $sol"
	./checker "$lesson" --dir "$sol" --lang es || status=1
	echo
done
exit $status
