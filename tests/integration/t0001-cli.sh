#!/bin/sh
# t0001-cli.sh - the command line contract: usage, exit status, languages, bad specs.
. "$(dirname "$0")/lib.sh"

expect_exit() {
	want=$1; shift
	set +e
	"$CHECKER" "$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	set -e
	[ "$got" -eq "$want" ]
}

check "--help exits 0 and lists --dir" sh -c "\"$CHECKER\" --help | grep -q -- --dir"
check "an option but no lesson: exit 2" expect_exit 2 --seed 3
check "no argument at all: the progress table, exit 0" expect_exit 0
check "unknown lesson: exit 2" expect_exit 2 lesson99
check "lesson99 is named in the error" grep -q lesson99 "$TMP/err"
check "not a lesson name: exit 2" expect_exit 2 abc
check "two lessons: exit 2" expect_exit 2 lesson03 lesson04
check "--format xml: exit 2" expect_exit 2 lesson03 --format xml
check "--seed abc: exit 2" expect_exit 2 lesson03 --seed abc
check "unknown option: exit 2" expect_exit 2 lesson03 --frobnicate
check "--cmd with an open quote: exit 2" expect_exit 2 lesson03 --cmd "python3 'x"
check "--dir that does not exist: exit 2" expect_exit 2 lesson03 --dir "$TMP/nowhere"
check "the missing folder is named" grep -q nowhere "$TMP/err"

# Spanish by default, even with LANG=C and no locale generated; English on request.
check "Spanish with LANG=C" sh -c "LANG=C \"$CHECKER\" lesson99 2>&1 | grep -q 'no existe la lección'"
check "Spanish with no LANG at all" sh -c "env -u LANG -u LC_ALL \"$CHECKER\" lesson99 2>&1 | grep -q 'no existe la lección'"
check "English with --lang en" sh -c "\"$CHECKER\" lesson99 --lang en 2>&1 | grep -q 'there is no lesson'"
check "English with an English LANG" sh -c "LC_ALL= LANG=en_US.UTF-8 \"$CHECKER\" lesson99 2>&1 | grep -q 'there is no lesson'"

# A bad spec is an error naming the file, the JSON path and the problem.
mkdir -p "$TMP/root/lessons/lesson03"
cp "$ROOT/lessons/lesson03/servidor.c" "$TMP/root/lessons/lesson03/"
bad_spec() {
	printf '%s' "$1" >"$TMP/root/lessons/lesson03/spec.json"
	set +e
	CHECKER_ROOT="$TMP/root" CHECKER_LOCALEDIR="$ROOT/build/locale" \
		"$CHECKER" lesson03 >"$TMP/out" 2>"$TMP/err"
	got=$?
	set -e
	[ "$got" -eq 2 ] && grep -q "spec.json" "$TMP/err" && grep -qF -- "$2" "$TMP/err"
}
base='"lesson":"lesson03","title":"t","build":{"sources":["servidor.c"],"output":"servidor"},"program":{"role":"server","proto":"tcp","port":8888}'
check "bad spec: not JSON, with the line" bad_spec '{
  "lesson": ' 'línea 2'
check "bad spec: wrong type, with the path" bad_spec "{$base,\"tests\":[{\"id\":\"a\",\"name\":\"n\",\"points\":\"dos\",\"steps\":[{\"connect\":\"c1\"}]}]}" 'tests[0].points'
check "bad spec: a typo in a key" bad_spec "{$base,\"tests\":[{\"id\":\"a\",\"name\":\"n\",\"stpes\":[]}]}" 'tests[0].stpes'
check "bad spec: unknown template variable" bad_spec "{$base,\"tests\":[{\"id\":\"a\",\"name\":\"n\",\"steps\":[{\"send\":\"c1\",\"text\":\"{palabrx}\"}]}]}" 'palabrx'
check "bad spec: empty file" bad_spec '' 'spec.json'

finish
