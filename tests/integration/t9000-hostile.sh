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
stop_services() { exec 9>&-; wait "$services" 2>/dev/null || true; rm -rf "$TMP"; }
trap stop_services EXIT

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

# The verdict expected for a program in a tier, run as root or as nobody;
# "a|b" where either is right (see memory_bomb/expected). An expected file
# may also name the test of lesson99 to run ("test ID", eco if none) and a
# bound on the checker's own peak memory in it ("rss_mb N").
expected_for() {
	exp=$1 key=$2 tier=$3
	for k in "$key" "$tier" '*'; do
		v=$(awk -v k="$k" '$1 == k { print $2; exit }' "$exp")
		[ -n "$v" ] && { echo "$v"; return; }
	done
}

prepare() {
	dir=$TMP/prog-$1
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$H/programs/$1/servidor.c" "$H/common.h" "$dir/"
	if [ "$1" = symlink_secret ]; then
		ln -s "$TMP/host/secret.txt" "$dir/secreto"
		ln -s "$TMP/host" "$dir/carpeta"
	fi
	chmod -R a+rX "$dir"
	echo "$dir"
}

users=root
can_run_as_nobody && users="root nobody"
for p in "$H"/programs/*/; do
	name=$(basename "$p")
	dir=$(prepare "$name")
	test_id=$(awk '$1 == "test" { print $2; exit }' "$p/expected")
	rss_mb=$(awk '$1 == "rss_mb" { print $2; exit }' "$p/expected")
	# A sanitized checker's memory is mostly the sanitizer's (shadow, quarantine).
	[ -z "${CHECKER_SANITIZED:-}" ] || rss_mb=
	for user in $users; do
		for tier in A B C; do
			[ "$user" = nobody ] && [ "$tier" = A ] && continue
			key=$tier
			[ "$user" = nobody ] && key=$tier-nobody
			want=$(expected_for "$p/expected" "$key" "$tier")
			[ "$want" = skip ] && continue
			out=$TMP/h-$name-$key.json
			set +e
			if [ "$user" = nobody ]; then
				runuser -u nobody -- "$CHECKER" lesson99 --dir "$dir" --tier "$tier" --test "${test_id:-eco}" --format json >"$out" 2>"$out.err"
			else
				"$CHECKER" lesson99 --dir "$dir" --tier "$tier" --test "${test_id:-eco}" --format json >"$out" 2>"$out.err"
			fi
			rc=$?
			set -e
			[ "$rc" -eq 2 ] && continue # tier not available here
			got=$(json_get "$out" '"pass" if d["tests"][0]["status"] == "pass" else d["tests"][0].get("verdict", "?")' 2>/dev/null || echo "no JSON")
			if case "|$want|" in *"|$got|"*) true ;; *) false ;; esac; then
				ok "$name in $key: $got"
			else
				not_ok "$name in $key: expected $want, got $got ($(head -c 300 "$out.err"))"
			fi
			check "$name in $key: within the test's deadline" test \
				"$(json_get "$out" 'd["tests"][0]["duration_ms"] <= 14000' 2>/dev/null)" = True
			[ -z "$rss_mb" ] || check "$name in $key: the checker's peak memory under $rss_mb MiB" test \
				"$(json_get "$out" "0 < d['tests'][0].get('checker_rss_kb', 0) <= $rss_mb * 1024" 2>/dev/null)" = True
		done
	done
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
check "no cgroup of a box is left" test -z "$(find /sys/fs/cgroup -maxdepth 6 -type d -name 'checker-*' 2>/dev/null | head -1)"
check "the host file behind a planted link is intact" grep -q "secreto del anfitrión" "$TMP/host/secret.txt"
check "the host's services still answer" host_alive
finish
