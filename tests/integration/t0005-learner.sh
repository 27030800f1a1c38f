#!/bin/sh
# t0005-learner.sh - what a learner sees in a real terminal (tmux): the
# progress table and the next lesson, hints one at a time, putting a starter
# back, and --watch grading again on every save.
. "$(dirname "$0")/lib.sh"
use_private_workdir

command -v tmux >/dev/null 2>&1 || { echo "  skip: no tmux here"; finish; exit 0; }

# A tutorial of the learner's own: the lessons, not the repository's.
TUT=$TMP/tutorial
mkdir -p "$TUT"
cp -r "$ROOT/lessons" "$TUT/"
chmod -R a+rX "$TUT"
export CHECKER_ROOT=$TUT CHECKER_LOCALEDIR=$ROOT/build/locale
SOCK=$TMP/tmux.sock
T="tmux -S $SOCK"
trap '$T kill-server 2>/dev/null || true; rm -rf "$TMP"' EXIT INT TERM

# run CMD: start CMD in a fresh 100x40 terminal window.
# Each command in a session of its own (t1, t2...); the last one is $S.
# The new session first, then the old one goes: a server left with no
# session exits, and a client racing that exit fails.
runs=0
run() {
	old=${S:-}
	runs=$((runs + 1))
	S=t$runs
	$T new-session -d -x 100 -y 40 -s "$S" \
		"cd '$TUT' && CHECKER_ROOT='$TUT' CHECKER_LOCALEDIR='$CHECKER_LOCALEDIR' TMPDIR='$TMPDIR' $1; echo '[fin]'; sleep 600"
	[ -z "$old" ] || $T kill-session -t "$old" 2>/dev/null || true
}
screen() { $T capture-pane -p -J -S -200 -t "$S"; }
# wait_for TEXT [SECONDS]: until the terminal shows TEXT (a fixed string).
wait_for() {
	deadline=$(($(date +%s) + ${2:-30}))
	while ! screen | grep -qF -- "$1"; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}
shows() { screen | grep -qF -- "$1"; }

# The most each lesson gives, from its spec.
max_of() { json_get "$ROOT/lessons/$1/spec.json" 'sum(t.get("points", 1) for t in d["tests"])'; }
M1=$(max_of lesson01)
M5=$(max_of lesson05)

# ---- the progress table ----
run "'$CHECKER'"
check "table: a title" wait_for "Tu progreso en el tutorial de sockets"
check "table: a legend at the end" wait_for "· sin empezar"
check "table: every lesson, not started" sh -c "[ \$($T capture-pane -p -t $S | grep -c '^  · lesson') -eq 12 ]"
check "table: the next lesson is the first" shows "Siguiente: lesson01 · Direcciones, puertos y sockets"
check "table: how to start it" shows "./checker pista 1"
cp "$ROOT/solutions/lesson01/direcciones.c" "$TUT/lessons/lesson01/"
run "'$CHECKER' 1 >/dev/null; '$CHECKER' 2 >/dev/null; '$CHECKER'"
check "table: a lesson passed" wait_for "✓ lesson01" 60
wait_for "· sin empezar" >/dev/null || true
check "table: its score" sh -c "screen() { $T capture-pane -p -t $S; }; screen | grep '✓ lesson01' | grep -q '$M1/$M1'"
check "table: a lesson tried, with its tries" sh -c "$T capture-pane -p -t $S | grep '✗ lesson02' | grep -q '(1 intento)'"
check "table: the next lesson moves on" shows "Siguiente: lesson02"
check "the progress file is plain text" grep -q "^lesson01 $M1 $M1 1 0 " "$TUT/.checker-progreso"
"$CHECKER" lesson01 --dir "$ROOT/solutions/lesson02" >/dev/null 2>&1 || true
check "a --dir run does not count as the learner's" grep -q "^lesson01 $M1 $M1 1 0 " "$TUT/.checker-progreso"

# ---- hints, one at a time ----
n=$(grep -c '^## ' "$TUT/lessons/lesson03/pistas.md")
first=$(grep -m1 '^## ' "$TUT/lessons/lesson03/pistas.md" | cut -c4-)
second=$(grep '^## ' "$TUT/lessons/lesson03/pistas.md" | sed -n 2p | cut -c4-)
run "'$CHECKER' pista 3"
check "hint: the first" wait_for "Pista 1 de $n · $first"
check "hint: says how many are left" shows "Quedan $((n - 1)) más"
check "hint: not the second yet" sh -c "! $T capture-pane -p -t $S | grep -qF '$second'"
run "'$CHECKER' pista 3"
check "hint: the second, next time" wait_for "Pista 2 de $n · $second"
check "hint: remembered in the progress file" grep -q '^lesson03 0 0 0 2 ' "$TUT/.checker-progreso"
for _ in $(seq 3 "$n"); do "$CHECKER" pista 3 >/dev/null; done
run "'$CHECKER' pista 3"
check "hint: all seen, the last again" wait_for "ya has visto todas las pistas"
check "table: hints do not count as tries" sh -c "'$CHECKER' | grep -q '· lesson03'"

# ---- putting the starter back ----
SRC=$TUT/lessons/lesson03/servidor.c
echo "/* mi versión */" >>"$SRC"
mine=$(sha256sum <"$SRC")
run "'$CHECKER' reiniciar 3"
check "reset: asks first" wait_for "[s/N]"
$T send-keys -t "$S" n Enter
check "reset: 'n' changes nothing" wait_for "No se ha cambiado nada."
check "reset: the file is untouched" test "$(sha256sum <"$SRC")" = "$mine"
run "'$CHECKER' reiniciar 3"
wait_for "[s/N]" >/dev/null || true
$T send-keys -t "$S" s Enter
check "reset: 's' puts it back" wait_for "el esqueleto está como al principio"
check "reset: the starter is back" cmp -s "$SRC" "$ROOT/lessons/lesson03/servidor.c"
backup=$(ls "$TUT"/lessons/lesson03/servidor.c.copia-* 2>/dev/null | head -1)
check "reset: the learner's version kept in a copy" test -n "$backup" -a "$(sha256sum <"${backup:-/dev/null}")" = "$mine"
check "reset: says where" shows "servidor.c.copia-"
run "'$CHECKER' reiniciar 3"
check "reset: nothing to do when nothing changed" wait_for "están como venían"

# ---- --watch: grade again on every save ----
cp "$ROOT/lessons/lesson05/servidor.c" "$TUT/lessons/lesson05/servidor.c"
run "'$CHECKER' 5 --watch"
check "watch: the first report" wait_for "Puntuación: 0/$M5" 60
check "watch: says it is watching" wait_for "Vigilando"
cp "$ROOT/solutions/lesson05/servidor.c" "$TUT/lessons/lesson05/servidor.c.tmp"
mv "$TUT/lessons/lesson05/servidor.c.tmp" "$TUT/lessons/lesson05/servidor.c" # the way editors save
check "watch: a save grades again" wait_for "Puntuación: $M5/$M5" 60
check "watch: the screen was cleared (one report in view)" sh -c "[ \$($T capture-pane -p -t $S | grep -c 'Puntuación:') -eq 1 ]"
seed=$(screen | grep -o -- '--seed [0-9]*' | tail -1)
echo "/* otro cambio */" >>"$TUT/lessons/lesson05/servidor.c"
regraded() {
	deadline=$(($(date +%s) + 60))
	while :; do
		now=$(screen | grep -o -- '--seed [0-9]*' | tail -1)
		[ -n "$now" ] && [ "$now" != "$seed" ] && shows "Vigilando" && return 0
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}
check "watch: and again, on the next save" regraded
$T send-keys -t "$S" C-c
check "watch: Ctrl-C stops it cleanly" wait_for "Ya no vigilo" 30
check "watch: the shell gets control back" wait_for "[fin]" 30
check "watch: nothing left running" sh -c "! pgrep -f '$CHECKER 5 --watc[h]' >/dev/null"

# The starters kept for reiniciar are the starters.
for d in "$ROOT"/lessons/lesson*/; do
	for f in "$d".original/*; do
		check "$(basename "$d")/.original/$(basename "$f") is the starter" cmp -s "$f" "$d$(basename "$f")"
	done
done

$T kill-server 2>/dev/null || true
check_no_leftovers
finish
