#!/bin/bash
# t9000-hostile.sh - hostile programs, in every tier this machine offers, as
# root and as an unprivileged user: each gets its expected verdict within its
# deadline, and afterwards nothing is left and the host is untouched.
. "$(dirname "$0")/lib.sh"

H=$ROOT/tests/hostile
export CHECKER_ROOT=$H CHECKER_LOCALEDIR=$ROOT/build/locale
mkdir -m 1777 "$TMP/work"
export TMPDIR=$TMP/work

# The host's services, and a host file behind a planted link.
mkdir -p "$TMP/host"
echo "secreto del anfitrión" >"$TMP/host/secret.txt"
mkfifo "$TMP/host/keep"
/usr/bin/python3 "$H/host_services.py" "$TMP/host/ready" <"$TMP/host/keep" &
services=$!
exec 9>"$TMP/host/keep"
for _ in $(seq 200); do [ -e "$TMP/host/ready" ] && break; sleep 0.05; done
# A class folder outside /tmp (which boxes hide), as an instructor unpacks
# one: classmate_read is graded in it, next to a classmate's folder.
CLASS=$ROOT/build/hostile-class.$$
stop_services() { exec 9>&-; wait "$services" 2>/dev/null || true; rm -rf "$TMP" "$CLASS"; }
trap stop_services EXIT

users=root
can_run_as_nobody && users="root nobody"
caller=root
[ "$users" = root ] || caller=nobody

# A classmate's file in a folder only the caller can read (build_read_classmate
# embeds it by absolute path), and a classmate's work folder, as the checker
# makes them (0755, files 0644), where boxes make theirs (classmate_read).
CLASSMATE_MARK="solución de un compañero"
mkdir -m 700 "$TMP/classmate"
printf '/* %s */\nint main(void) { return 0; }\n' "$CLASSMATE_MARK" >"$TMP/classmate/servidor.c"
chown -R "$caller" "$TMP/classmate"
# An unprivileged caller works in a folder of its own (its checkout, its home):
# the checker's folder and $HOME are then the caller's.
mkdir -m 755 "$TMP/home-nobody"
chown "$caller" "$TMP/home-nobody"

# SysV IPC before the suite: a box must leave none behind.
ipc_ids() {
	for t in m q s; do
		ipcs -"$t" 2>/dev/null | awk -v t="$t" '$2 ~ /^[0-9]+$/ { print t, $2, $1, $3 }'
	done | sort
}
ipc_ids >"$TMP/ipc-before"

host_alive() {
	/usr/bin/python3 - <<'PY'
import socket
for fam, addr in ((socket.AF_INET, ("127.0.0.1", 47999)), (socket.AF_UNIX, "/tmp/checker-hostile.sock"),
                  (socket.AF_UNIX, "\0checker-hostile")):
    s = socket.socket(fam)
    s.settimeout(2)
    s.connect(addr)
    assert s.recv(16) == b"vivo\n"
PY
}
check "the host's services answer before the suite" host_alive

# expected_for (lib.sh): the verdict a program must get. An expected file
# may also name the test of lesson99 to run ("test ID", eco if none) and a
# bound on the checker's own peak memory in it ("rss_mb N").

prepare() {
	dir=$TMP/prog-$1
	[ "$1" = classmate_read ] && dir=$CLASS/ana
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$H/programs/$1/servidor.c" "$H/common.h" "$dir/"
	case $1 in
	symlink_secret)
		ln -s "$TMP/host/secret.txt" "$dir/secreto"
		ln -s "$TMP/host" "$dir/carpeta" ;;
	build_read_classmate)
		printf '#define CLASSMATE_FILE "%s"\n' "$TMP/classmate/servidor.c" >"$dir/ruta.h" ;;
	classmate_read)
		mkdir -p "$CLASS/luis" "$TMP/work/checker-companero"
		for d in "$CLASS/luis" "$TMP/work/checker-companero"; do
			printf '/* %s */\n' "$CLASSMATE_MARK" >"$d/servidor.c"
			chmod 644 "$d/servidor.c"
		done
		chown -R "$caller" "$CLASS"
		chmod -R a+rX "$CLASS" ;;
	esac
	chmod -R a+rX "$dir"
	echo "$dir"
}

# run_checker USER OUT ARGS...: the checker as root or as nobody (from its
# own folder); under a terminal of its own (script) if the program wants one.
run_checker() {
	user=$1 out=$2
	shift 2
	cmd=$(printf ' %q' "$CHECKER" "$@")
	cmd="$cmd --format json >$(printf %q "$out") 2>$(printf %q "$out.err")"
	if [ "$user" = nobody ]; then
		home=$(printf %q "$TMP/home-nobody")
		cmd="cd $home && runuser -u nobody -- env HOME=$home $cmd"
	fi
	if [ -f "$p/tty" ]; then
		SHELL=/bin/bash script -qec "$cmd; echo \$? >$(printf %q "$out.rc")" "$out.tty" \
			</dev/null >/dev/null
		return "$(cat "$out.rc" 2>/dev/null || echo 1)"
	fi
	bash -c "$cmd"
}

# What a run got: "pass", the verdict of a failed test, or build_error.
verdict_of() {
	json_get "$1" '"pass" if d["tests"][0]["status"] == "pass" else d["tests"][0].get("verdict") or ("build_error" if not d["build"]["ok"] else "?")' 2>/dev/null || echo "no JSON"
}

# What no report may show: a classmate's file, a line of the host's shadow file.
echo "$CLASSMATE_MARK" >"$TMP/leaks"
head -1 /etc/shadow 2>/dev/null | grep . >>"$TMP/leaks" || true
for p in "$H"/programs/*/; do
	name=$(basename "$p")
	dir=$(prepare "$name")
	test_id=$(awk '$1 == "test" { print $2; exit }' "$p/expected")
	rss_mb=$(awk '$1 == "rss_mb" { print $2; exit }' "$p/expected")
	# A sanitized checker's memory is mostly the sanitizer's (shadow, quarantine).
	[ -z "${CHECKER_SANITIZED:-}" ] || rss_mb=
	lesson=lesson99
	[ -f "$p/lesson" ] && lesson=$(cat "$p/lesson")
	for user in $users; do
		for tier in A B C; do
			[ "$user" = nobody ] && [ "$tier" = A ] && continue
			key=$tier
			[ "$user" = nobody ] && key=$tier-nobody
			want=$(expected_for "$p/expected" "$key" "$tier")
			[ "$want" = skip ] && continue
			out=$TMP/h-$name-$key.json
			set +e
			run_checker "$user" "$out" "$lesson" --dir "$dir" --tier "$tier" ${test_id:+--test "$test_id"}
			rc=$?
			set -e
			[ "$rc" -eq 2 ] && continue # tier not available here
			got=$(verdict_of "$out")
			if case "|$want|" in *"|$got|"*) true ;; *) false ;; esac; then
				ok "$name in $key: $got"
			else
				said=$(json_get "$out" 'd["tests"][0].get("stderr", "")[:300]' 2>/dev/null | tr '\n' ' ')
				not_ok "$name in $key: expected $want, got $got ($(head -c 300 "$out.err")) it said: $said"
			fi
			check "$name in $key: within the test's deadline" test \
				"$(json_get "$out" 'd["tests"][0]["duration_ms"] <= 14000' 2>/dev/null)" = True
			[ -z "$rss_mb" ] || check "$name in $key: the checker's peak memory under $rss_mb MiB" test \
				"$(json_get "$out" "0 < d['tests'][0].get('checker_rss_kb', 0) <= $rss_mb * 1024" 2>/dev/null)" = True
			# Nothing of the host or a classmate in the report (the build's
			# log quotes the files it could read).
			# (unless the tier is known not to stop this attack: "pass" expected)
			case "|$want|" in *"|pass|"*) ;; *)
			check "$name in $key: no host or classmate file in the report" sh -c \
				'! grep -qF -f "$1" "$2" "$2.err"' sh "$TMP/leaks" "$out" ;;
			esac
			if [ -f "$p/tty" ]; then
				check "$name in $key: nothing reached the caller's terminal" sh -c \
					'! grep -q checker-hostile "$1"' sh "$out.tty"
			fi
		done
	done
	rm -rf "$TMP/work/checker-companero"
done

out=$TMP/h-binary_output-A.json
[ -f "$out" ] && check "binary output is reported escaped, as valid JSON" test \
	"$(json_get "$out" '"\\xff" in d["tests"][0].get("stdout", "")')" = True

# Eight boxes bind the same port at once.
SOL=$(public_copy "$ROOT/solutions/lesson03")
for tier in A B; do
	pids=""
	for i in 1 2 3 4 5 6 7 8; do
		CHECKER_ROOT=$ROOT "$CHECKER" lesson03 --dir "$SOL" --tier "$tier" --test eco --format json >"$TMP/eight-$tier-$i.json" 2>&1 &
		pids="$pids $!"
	done
	fails=0
	for pid in $pids; do wait "$pid" || fails=$((fails + 1)); done
	check "eight boxes of tier $tier bind 8888 at once" test "$fails" -eq 0
done

# Nothing is left behind, and the host is untouched.
leftover_procs() {
	for exe in /proc/[0-9]*/exe; do readlink "$exe" 2>/dev/null; done | grep -F "$TMP/work" || true
	pgrep -x hostil_demonio || true
}
check "no process of a box is left" test -z "$(leftover_procs)"
check "no working folder is left" test -z "$(ls "$TMP/work")"
check "no box mount is left on the host" sh -c "! grep -q ' /tmp/box ' /proc/mounts"
check "no cgroup of a box is left" test -z "$(orphan_box_cgroups)"
new_ipc=$(ipc_ids | comm -13 "$TMP/ipc-before" -)
check "no SysV IPC object of a box is left on the host" test -z "$new_ipc"
# Remove them, so that the next run starts clean (only the new ones).
echo "$new_ipc" | while read -r t id _; do
	[ -n "$id" ] && ipcrm -"$t" "$id" 2>/dev/null || true
done
written=""
for d in /etc /root "$ROOT" "$ROOT/tests/integration" "$TMP/home-nobody" "$TMP/work" /tmp; do
	[ -e "$d/checker-hostile-write_host" ] && written="$written $d"
	rm -f "$d/checker-hostile-write_host"
done
check "no file of a box is left on the host:$written" test -z "$written"
check "the host file behind a planted link is intact" grep -q "secreto del anfitrión" "$TMP/host/secret.txt"
check "the host's services still answer" host_alive
finish
