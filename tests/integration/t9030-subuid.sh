#!/bin/bash
# t9030-subuid.sh - tier B with subordinate uids: an ordinary user with
# entries in /etc/subuid and /etc/subgid gets a strong tier B (the program
# runs as uid 1 of its box, a subordinate uid outside); without them B is
# weak, and grade refuses it unless --allow-weak. The entries are given to
# nobody in a mount namespace of this script's, over the machine's files.
. "$(dirname "$0")/lib.sh"

H=$ROOT/tests/hostile
export CHECKER_LOCALEDIR=$ROOT/build/locale
use_private_workdir

if ! can_run_as_nobody || ! command -v unshare >/dev/null || [ ! -x /usr/bin/newuidmap ]; then
	echo "  skip: needs root, runuser, unshare and newuidmap (package uidmap)"
	finish
	exit $?
fi
if ! runuser -u nobody -- "$CHECKER" doctor >/dev/null 2>&1 ||
	! runuser -u nobody -- unshare -U true 2>/dev/null; then
	echo "  skip: no user namespaces for an ordinary user here"
	finish
	exit $?
fi

SOL=$(public_copy "$ROOT/solutions/lesson03")
mkdir -m 755 "$TMP/home"
chown nobody "$TMP/home"
printf 'nobody:600000:65536\n' >"$TMP/subuid"
cp "$TMP/subuid" "$TMP/subgid"
chmod 644 "$TMP/subuid" "$TMP/subgid"
for f in subuid subgid; do [ -e "/etc/$f" ] || touch "/etc/$f"; done

# as_nobody SUB CMD...: CMD as nobody, with subordinate ids (SUB=1) or none.
as_nobody() {
	sub=$1
	shift
	unshare -m --propagation private sh -c '
		if [ "$1" = 1 ]; then
			mount --bind "$2/subuid" /etc/subuid && mount --bind "$2/subgid" /etc/subgid
		else
			mount --bind /dev/null /etc/subuid && mount --bind /dev/null /etc/subgid
		fi || exit 99
		shift 2
		cd "$0" && exec runuser -u nobody -- env HOME="$0" "$@"' "$TMP/home" "$sub" "$TMP" "$@"
}

# ---- without subordinate ids: weak ----
as_nobody 0 "$CHECKER" doctor >"$TMP/doctor-weak.txt" 2>&1 || true
check "without subordinate ids, doctor says B is weak" grep -q "aislamiento débil" "$TMP/doctor-weak.txt"
set +e
as_nobody 0 "$CHECKER" lesson03 --dir "$SOL" --tier B --test eco --format json >"$TMP/weak.json" 2>"$TMP/weak.err"
rc=$?
set -e
check "without them, a single run still grades (exit $rc)" test "$rc" -eq 0
check "  and its result says what B lacks" test \
	"$(json_get "$TMP/weak.json" '"isolation_weak" in d')" = True
mkdir -p "$TMP/clase/ana"
cp "$ROOT/solutions/lesson03/"*.c "$TMP/clase/ana/"
chmod -R a+rwX "$TMP/clase"
mkdir -m 777 "$TMP/clase-notas"
set +e
as_nobody 0 "$CHECKER" grade "$TMP/clase" --lessons lesson03 --tier B --out "$TMP/clase-notas" \
	>"$TMP/grade-weak.txt" 2>&1
rc=$?
set -e
check "without them, grade refuses tier B (exit $rc)" test "$rc" -eq 2
check "  saying what it lacks and how to go on" grep -q -- "--allow-weak" "$TMP/grade-weak.txt"

# ---- with subordinate ids: strong ----
as_nobody 1 "$CHECKER" doctor >"$TMP/doctor.txt" 2>&1 || true
check "with subordinate ids, doctor finds them" grep -q "✓ un uid subordinado por caja" "$TMP/doctor.txt"
check "  and warns of nothing" sh -c "! grep -q 'aislamiento débil' '$TMP/doctor.txt'"
set +e
as_nobody 1 "$CHECKER" lesson03 --dir "$SOL" --tier B --format json >"$TMP/strong.json" 2>"$TMP/strong.err"
rc=$?
set -e
check "the solution gets full marks in a strong B (exit $rc)" full_marks "$TMP/strong.json"
check "  and nothing is said weak" test "$(json_get "$TMP/strong.json" '"isolation_weak" in d')" = False
set +e
as_nobody 1 "$CHECKER" grade "$TMP/clase" --lessons lesson03 --tier B --out "$TMP/clase-notas" \
	>"$TMP/grade.txt" 2>&1
rc=$?
set -e
check "grade takes a strong B without --allow-weak (exit $rc: $(head -c 300 "$TMP/grade.txt"))" test "$rc" -eq 0

# What the program is in there: uid 1, without the box's checker in sight.
for name in write_host forge_result solution_theft; do
	dir=$TMP/prog-$name
	mkdir -p "$dir"
	cp "$H/programs/$name/servidor.c" "$H/common.h" "$dir/"
	chmod -R a+rX "$dir"
	set +e
	CHECKER_ROOT=$H as_nobody 1 env CHECKER_ROOT="$H" "$CHECKER" lesson99 --dir "$dir" --tier B \
		--test eco --format json >"$TMP/h-$name.json" 2>"$TMP/h-$name.err"
	set -e
	got=$(json_get "$TMP/h-$name.json" '"pass" if d["tests"][0]["status"] == "pass" else d["tests"][0].get("verdict", "?")' 2>/dev/null || echo "no JSON")
	check "$name in a strong B: contained ($got)" test "$got" = runtime_error
done
UIDP=$TMP/uid
mkdir -p "$UIDP"
cp "$H/common.h" "$UIDP/"
cat >"$UIDP/servidor.c" <<'C'
/* Serves only as uid 1 of its box, with no capability and pid 1 out of sight. */
#include "common.h"
#include <sys/stat.h>

int main(int argc, char **argv)
{
	struct stat st;

	if (getuid() != 1 || geteuid() != 1 || stat("/proc/1", &st) == 0)
		return 3;
	return serve_echo(argc, argv);
}
C
chmod -R a+rX "$UIDP"
set +e
as_nobody 1 env CHECKER_ROOT="$H" "$CHECKER" lesson99 --dir "$UIDP" --tier B --test eco \
	--format json >"$TMP/uid.json" 2>"$TMP/uid.err"
set -e
check "the program runs as uid 1 and does not see the box's checker" test \
	"$(json_get "$TMP/uid.json" 'd["tests"][0]["status"]' 2>/dev/null)" = pass
check_no_leftovers
finish
