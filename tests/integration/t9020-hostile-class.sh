#!/bin/bash
# t9020-hostile-class.sh - hostile submissions among honest ones, graded as a
# class (`grade -j 2`) in every tier, as root and as nobody: each hostile one
# gets the verdict it gets alone (t9000), and the honest classmates keep
# full marks.
. "$(dirname "$0")/lib.sh"

H=$ROOT/tests/hostile
export CHECKER_ROOT=$H CHECKER_LOCALEDIR=$ROOT/build/locale
use_private_workdir

# What a hostile program needs planted (t9000's prepare), the host's
# services or a terminal, it does not get here: those are graded alone.
ALONE_ONLY="build_read_classmate classmate_read symlink_secret abstract_unix host_tcp host_unix"
CLASS=$TMP/clase
HONEST="ana luis"
mkdir -p "$CLASS"
for n in $HONEST; do
	mkdir "$CLASS/$n"
	cp "$H/common.h" "$CLASS/$n/"
	printf '#include "common.h"\nint main(int argc, char **argv) { return serve_echo(argc, argv); }\n' \
		>"$CLASS/$n/servidor.c"
done
hostile=""
for p in "$H"/programs/*/; do
	name=$(basename "$p")
	case " $ALONE_ONLY " in *" $name "*) continue ;; esac
	[ -f "$p/lesson" ] || [ -f "$p/tty" ] && continue
	mkdir "$CLASS/$name"
	cp "$p/servidor.c" "$H/common.h" "$CLASS/$name/"
	hostile="$hostile $name"
done
chmod -R a+rX "$CLASS"
mkdir -m 755 "$TMP/home-nobody"
chown nobody "$TMP/home-nobody" 2>/dev/null || true

# grade_class USER TIER OUT: the class graded, weak tiers allowed.
grade_class() {
	user=$1 tier=$2 out=$3
	set +e
	if [ "$user" = nobody ]; then
		(cd "$TMP/home-nobody" && runuser -u nobody -- env HOME="$TMP/home-nobody" \
			"$CHECKER" grade "$CLASS" --lessons lesson99 -j 2 --tier "$tier" --allow-weak \
			--out "$out") >"$out.log" 2>&1
	else
		"$CHECKER" grade "$CLASS" --lessons lesson99 -j 2 --tier "$tier" --allow-weak \
			--out "$out" >"$out.log" 2>&1
	fi
	rc=$?
	set -e
}

# verdict_in OUT STUDENT TEST: "pass" or the verdict of a student's test.
verdict_in() {
	f=$(ls "$1"/alumnos/*"$2"*/lesson99.json 2>/dev/null | head -1)
	[ -n "$f" ] || { echo "no result"; return; }
	json_get "$f" '[("pass" if t["status"] == "pass" else t.get("verdict") or ("build_error" if not d["build"]["ok"] else "?")) for t in d["tests"] if t["id"] == "'"$3"'"][0]' 2>/dev/null || echo "no JSON"
}

users=root
can_run_as_nobody && users="root nobody"
for user in $users; do
	for tier in A B C; do
		[ "$user" = nobody ] && [ "$tier" = A ] && continue
		# Weak for a class, and why grade refuses it: a program that runs as
		# the grader kills the whole grading (kill_all: kill(-1)).
		[ "$user" = nobody ] && [ "$tier" = C ] && continue
		key=$tier
		[ "$user" = nobody ] && key=$tier-nobody
		out=$TMP/notas-$key
		[ "$user" = nobody ] && mkdir -m 777 "$out"
		grade_class "$user" "$tier" "$out"
		if [ "$rc" -eq 2 ] && grep -q "not available\|no está disponible" "$out.log"; then
			echo "  skip $key: tier $tier not available here"
			continue
		fi
		check "$key: the class is graded (exit $rc)" test "$rc" -le 1
		check "$key: the summary names the tier" test \
			"$(json_get "$out/summary.json" 'd.get("isolation")')" = "$tier"
		weak=no
		[ "$tier" = A ] || weak=yes
		[ "$tier" = B ] && grep -q "^$user:" /etc/subuid 2>/dev/null && weak=no
		if [ "$weak" = yes ]; then
			check "$key: the summary says what the tier lacked" test \
				"$(json_get "$out/summary.json" '"isolation_weak" in d')" = True
			check "$key: so does the report" grep -q "nivel de aislamiento débil" "$out/report.html"
		else
			check "$key: nothing said weak" test \
				"$(json_get "$out/summary.json" '"isolation_weak" in d')" = False
		fi
		for n in $HONEST; do
			f=$(ls "$out"/alumnos/*"$n"*/lesson99.json 2>/dev/null | head -1)
			check "$key: honest $n keeps full marks" test \
				"$(json_get "$f" 'd["score"] == d["max_score"] > 0' 2>/dev/null)" = True
		done
		for name in $hostile; do
			want=$(expected_for "$H/programs/$name/expected" "$key" "$tier")
			[ "$want" = skip ] && continue
			test_id=$(awk '$1 == "test" { print $2; exit }' "$H/programs/$name/expected")
			got=$(verdict_in "$out" "$name" "${test_id:-eco}")
			if case "|$want|" in *"|$got|"*) true ;; *) false ;; esac; then
				ok "$key: $name gets $got, as alone"
			else
				not_ok "$key: $name: expected $want, got $got"
			fi
		done
	done
done
check_no_leftovers
finish
