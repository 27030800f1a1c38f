#!/bin/sh
# t9400-build-cache.sh - the build cache: a second run of the same folder is
# not compiled again and scores the same; a changed source, --asan or
# CHECKER_NO_CACHE=1 compile; the seed's files do not count; a batch grading
# compiles identical submissions once; tier C never uses it; a box cannot see it.
. "$(dirname "$0")/lib.sh"
use_private_workdir

export CHECKER_CACHE_DIR="$TMP/cache"
CACHE=$CHECKER_CACHE_DIR
L=lesson03
SOL=$(public_copy "$ROOT/solutions/$L")

cached() { json_get "$1" 'd["build"]["cached"]'; }
entries() { ls "$CACHE" 2>/dev/null | grep -cE '^[0-9a-f]{64}$' || true; }
leftovers() { find "$CACHE" -mindepth 1 -maxdepth 1 \( -name 'tmp-*' -o -name 'del-*' \) 2>/dev/null | wc -l; }

# ---- a learner running again ----
grade "$TMP/first.json" $L --dir "$SOL"
check "first run: 100%" full_marks "$TMP/first.json"
check "first run: compiled (build.cached false)" test "$(cached "$TMP/first.json")" = False
check "first run: build.ms is a time" test "$(json_get "$TMP/first.json" 'd["build"]["ms"] >= 0')" = True
check "the cache folder is private (0700)" test "$(stat -c %a "$CACHE")" = 700
check "one entry kept" test "$(entries)" -eq 1
grade "$TMP/second.json" $L --dir "$SOL"
check "second run: from the cache (build.cached true)" test "$(cached "$TMP/second.json")" = True
check "second run: still 100%" full_marks "$TMP/second.json"
check "second run: the same build verdict" test "$(json_get "$TMP/second.json" '(d["build"]["ok"], d["build"]["warnings"], d["build"]["log"])')" = "$(json_get "$TMP/first.json" '(d["build"]["ok"], d["build"]["warnings"], d["build"]["log"])')"
"$CHECKER" $L --dir "$SOL" --test eco >"$TMP/human.txt" 2>&1 || true
check "human report: the build line says so" grep -q "(from the build cache)\|caché" "$TMP/human.txt"

echo "/* un cambio */" >>"$SOL/servidor.c"
grade "$TMP/edited.json" $L --dir "$SOL"
check "an edited source: compiled again" test "$(cached "$TMP/edited.json")" = False
check "an edited source: 100%" full_marks "$TMP/edited.json"
check "an edited source: a second entry" test "$(entries)" -eq 2

grade "$TMP/asan1.json" $L --dir "$SOL" --asan --test eco
check "--asan: not the plain build's entry" test "$(cached "$TMP/asan1.json")" = False
grade "$TMP/asan2.json" $L --dir "$SOL" --asan --test eco
check "--asan: its own entry, used the second time" test "$(cached "$TMP/asan2.json")" = True
check "--asan from the cache: passes" test "$(json_get "$TMP/asan2.json" 'd["tests"][0]["status"]')" = pass

CHECKER_NO_CACHE=1 grade "$TMP/nocache.json" $L --dir "$SOL"
check "CHECKER_NO_CACHE=1: compiled" test "$(cached "$TMP/nocache.json")" = False
check "CHECKER_NO_CACHE=1: nothing said about it" test ! -s "$TMP/nocache.json.err"

# A build that fails is kept too: the same errors, without compiling.
BROKEN=$TMP/broken
mkdir -p "$BROKEN"
printf 'int main(void) { return 0 }\n' >"$BROKEN/servidor.c"
grade "$TMP/broken1.json" $L --dir "$BROKEN"
grade "$TMP/broken2.json" $L --dir "$BROKEN"
check "a failed build: kept" test "$(cached "$TMP/broken1.json")/$(cached "$TMP/broken2.json")" = False/True
check "a failed build from the cache: the same errors" test "$(json_get "$TMP/broken2.json" '(d["build"]["ok"], d["build"]["errors"], d["build"]["first_error"])')" = "$(json_get "$TMP/broken1.json" '(d["build"]["ok"], d["build"]["errors"], d["build"]["first_error"])')"
check "a failed build from the cache: still exit 1" test "$rc" -eq 1

# A damaged entry is removed and the program built again.
for p in "$CACHE"/*/program; do printf 'planted' >"$p"; done
grade "$TMP/damaged.json" $L --dir "$SOL"
check "a damaged entry: compiled again" test "$(cached "$TMP/damaged.json")" = False
check "a damaged entry: 100%" full_marks "$TMP/damaged.json"
grade "$TMP/repaired.json" $L --dir "$SOL"
check "a damaged entry: replaced by a good one" test "$(cached "$TMP/repaired.json")" = True

# The seed's own files (lesson12's public/datos.bin) do not change the key.
S12=$(public_copy "$ROOT/solutions/lesson12")
grade "$TMP/seed1.json" lesson12 --dir "$S12" --seed 1 --test binario_grande
grade "$TMP/seed2.json" lesson12 --dir "$S12" --seed 2 --test binario_grande
check "another seed: the same entry" test "$(cached "$TMP/seed2.json")" = True
check "another seed: passes" test "$(json_get "$TMP/seed2.json" 'd["tests"][0]["status"]')" = pass
check "no half-written entry left" test "$(leftovers)" -eq 0

# ---- an unusable cache folder: graded all the same ----
CHECKER_CACHE_DIR=/proc/no/such/cache grade "$TMP/nowhere.json" $L --dir "$SOL" --test eco
check "unusable cache folder: graded" test "$(json_get "$TMP/nowhere.json" 'd["tests"][0]["status"]')" = pass
check "unusable cache folder: said once on stderr" test "$(grep -c 'cache' "$TMP/nowhere.json.err")" -eq 1

# ---- an instructor's batch: two identical submissions compile once ----
export CHECKER_CACHE_DIR="$TMP/cache-class"
CACHE=$CHECKER_CACHE_DIR
CLASS=$TMP/entregas
for s in Ana Bea; do
	mkdir -p "$CLASS/$s/lessons/lesson01"
	cp "$ROOT/solutions/lesson01/"*.c "$CLASS/$s/lessons/lesson01/"
done
set +e
"$CHECKER" grade "$CLASS" --lessons lesson01 -j 1 --out "$TMP/notas" >"$TMP/class.out" 2>"$TMP/class.err"
rc=$?
set -e
check "grade: exit 0 (exit $rc)" test "$rc" -eq 0
check "grade: two identical submissions, one entry" test "$(entries)" -eq 1
n=0
for s in "$TMP"/notas/alumnos/*/lesson01.json; do
	[ "$(cached "$s")" = True ] && n=$((n + 1))
done
check "grade: the second submission was not compiled ($n from the cache)" test "$n" -eq 1

# ---- tier C: the program runs as us and could plant programs: no cache ----
export CHECKER_CACHE_DIR="$TMP/cache-c"
CACHE=$CHECKER_CACHE_DIR
grade "$TMP/c1.json" $L --dir "$SOL" --tier C --test eco
grade "$TMP/c2.json" $L --dir "$SOL" --tier C --test eco
check "tier C: compiled every time" test "$(cached "$TMP/c1.json")/$(cached "$TMP/c2.json")" = False/False
check "tier C: nothing kept" test "$(entries)" -eq 0

# ---- a box cannot see the cache: a program that looks for it ----
# Not under /tmp, which every box replaces anyway: where a cache in a home would be.
mkdir -p "$ROOT/build"
BOXCACHE=$(mktemp -d "$ROOT/build/t9400-XXXXXX")
trap 'rm -rf "$TMP" "$BOXCACHE" || true' EXIT INT TERM
chmod 755 "$BOXCACHE"
export CHECKER_CACHE_DIR="$BOXCACHE/cache"
CACHE=$CHECKER_CACHE_DIR
SPY=$TMP/spy
mkdir -p "$SPY"
cat >"$SPY/direcciones.c" <<EOF
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
	DIR *d = opendir("$CACHE");
	struct dirent *e;
	FILE *f;
	int n = 0;
	if (!d) {
		printf("cache: %s\n", strerror(errno));
	} else {
		while ((e = readdir(d)))
			n += e->d_name[0] != '.';
		closedir(d);
		printf("cache: %d entries\n", n);
	}
	f = fopen("$CACHE/planted", "w");
	printf("write: %s\n", f ? "yes" : strerror(errno));
	return 0;
}
EOF
chmod -R a+rX "$SPY"
for tier in A B; do
	grade "$TMP/spy-$tier.json" lesson01 --dir "$SPY" --tier $tier --test localhost
	if [ "$rc" -eq 2 ]; then
		echo "  skip tier $tier: not available here"
		continue
	fi
	grade "$TMP/spy-$tier.json" lesson01 --dir "$SPY" --tier $tier --test localhost
	out=$(json_get "$TMP/spy-$tier.json" 'd["tests"][0].get("stdout", "")')
	check "tier $tier: the program was cached ($(entries) entries)" test "$(entries)" -ge 1
	check "tier $tier: the cached program ran ($(cached "$TMP/spy-$tier.json"))" test "$(cached "$TMP/spy-$tier.json")" = True
	# Tier B runs the program as us: only the empty folder over the cache hides it.
	# Tier A runs it as another user, whom the folder's 0700 keeps out as well.
	case $tier/$out in
	# Under /tmp the cache is gone with the host's /tmp (the box has its own).
	?/*"cache: 0 entries"* | ?/*"cache: No such file or directory"* | A/*"cache: Permission denied"*)
		ok "tier $tier: the box sees no entry" ;;
	*) not_ok "tier $tier: the box sees the cache: $out" ;;
	esac
	case $out in
	*"write: yes"*) not_ok "tier $tier: the box could write into the cache" ;;
	*"write: "*) ok "tier $tier: the box cannot write into the cache" ;;
	*) not_ok "tier $tier: no answer from the program: $out" ;;
	esac
	check "tier $tier: nothing planted" test ! -e "$CACHE/planted"
done

check_no_leftovers
finish
