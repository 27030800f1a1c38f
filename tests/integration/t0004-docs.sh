#!/bin/sh
# t0004-docs.sh - the manuals, --help and the bash completion: all render, all know every option.
. "$(dirname "$0")/lib.sh"

MAN_EN="$ROOT/share/man/man1/checker.1"
MAN_ES="$ROOT/share/man/es/man1/checker.1"
COMPLETION="$ROOT/share/bash-completion/completions/checker"

# The long options and the commands that src/cli.c accepts, from its tables.
options=$(sed -n '/struct option opts\[\] = {/,/{NULL, 0, NULL, 0}/p' "$ROOT/src/cli.c" |
	grep -o '{"[a-z-]*"' | tr -d '{"')
commands=$(grep -o '{"[a-z]*", CMD_[A-Z]*}' "$ROOT/src/cli.c" | sed 's/{"\([a-z]*\)".*/\1/')
check "the option table of cli.c is found" test "$(echo "$options" | wc -l)" -ge 20
check "the command table of cli.c is found" test "$(echo "$commands" | wc -l)" -ge 7

# ---- the manuals (groff, from Debian's groff-base) ----

renders_clean() {
	groff -man -ww -z -K utf8 "$1" >"$TMP/groff.err" 2>&1 && [ ! -s "$TMP/groff.err" ]
}
check "the English manual renders without warnings" renders_clean "$MAN_EN"
check "the Spanish manual renders without warnings" renders_clean "$MAN_ES"
check "the Spanish manual says it is UTF-8" sh -c "head -1 '$MAN_ES' | grep -qF -- '.\\\" -*- coding: UTF-8 -*-'"
check "the Spanish manual has its accents" grep -q 'DESCRIPCIÓN' "$MAN_ES"
groff -man -Tutf8 -K utf8 -P-cbou "$MAN_EN" >"$TMP/man-en.txt" 2>/dev/null
groff -man -Tutf8 -K utf8 -P-cbou "$MAN_ES" >"$TMP/man-es.txt" 2>/dev/null

# ---- --help and --version ----

# help_ok OUT ARGS...: --help (with ARGS) exits 0, its output in OUT.
help_ok() {
	out=$1
	shift
	"$CHECKER" --help "$@" >"$out" 2>&1
}
check "--help exits 0" help_ok "$TMP/help.txt"
check "--help --lang en exits 0" help_ok "$TMP/help-en.txt" --lang en
check "--help fits 79 columns" test "$(wc -L <"$TMP/help.txt")" -le 79
check "--help in English fits 79 columns" test "$(wc -L <"$TMP/help-en.txt")" -le 79
check "--help names the manual" grep -q 'share/man/' "$TMP/help.txt"
check "--version says checker and the version" sh -c "\"$CHECKER\" --version | grep -qE '^checker [0-9]'"

# ---- every option and command, everywhere ----

has_option() { grep -qE -- "--$2([^a-z-]|\$)" "$1"; }
has_word() { grep -qw -- "$2" "$1"; }
for o in $options; do
	missing=""
	has_option "$TMP/man-en.txt" "$o" || missing="$missing English-manual"
	has_option "$TMP/man-es.txt" "$o" || missing="$missing Spanish-manual"
	has_option "$TMP/help.txt" "$o" || missing="$missing --help"
	has_option "$TMP/help-en.txt" "$o" || missing="$missing --help(en)"
	has_option "$COMPLETION" "$o" || missing="$missing completion"
	if [ -z "$missing" ]; then ok "--$o is documented and completed"; else not_ok "--$o is missing from:$missing"; fi
done
for c in $commands; do
	missing=""
	has_word "$TMP/man-en.txt" "$c" || missing="$missing English-manual"
	has_word "$TMP/man-es.txt" "$c" || missing="$missing Spanish-manual"
	has_word "$TMP/help.txt" "$c" || missing="$missing --help"
	has_word "$COMPLETION" "$c" || missing="$missing completion"
	if [ -z "$missing" ]; then ok "command $c is documented and completed"; else not_ok "command $c is missing from:$missing"; fi
done

# ---- the bash completion ----

# completions WORD...: the completions bash offers for the last word, sorted,
# one a line, as when Tab is pressed after the words.
completions() {
	bash -c '
		. "$1"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_checker
		printf "%s\n" "${COMPREPLY[@]}"' bash "$COMPLETION" "$@" | sed '/^$/d' | sort
}

# offers WANTED WORD...: the completions are exactly WANTED (space-separated).
offers() {
	want=$(echo "$1" | tr ' ' '\n' | sed '/^$/d' | sort)
	shift
	got=$(completions "$@")
	[ "$got" = "$want" ] || { echo "    offered: $(echo "$got" | tr '\n' ' ')"; return 1; }
}

# includes WANTED WORD...: the completions include each of WANTED.
includes() {
	want=$1
	shift
	got=$(completions "$@")
	for w in $want; do
		echo "$got" | grep -qx -- "$w" || { echo "    offered: $(echo "$got" | tr '\n' ' ')"; return 1; }
	done
}

check "completion: bash accepts the script" bash -n "$COMPLETION"
registered() { bash -c '. "$1" && complete -p ./checker && complete -p checker' bash "$COMPLETION" >/dev/null; }
check "completion: registered for ./checker and checker" registered
cd "$ROOT"
check "completion: ./checker <Tab> gives the commands and the lessons" \
	includes "pista reiniciar grade gradescope doctor lesson01 lesson03 lesson12" ./checker ""
check "completion: ./checker 3 --f<Tab> gives --format" offers "--format" ./checker 3 --f
formats="human json junit tap gradescope github"
check "completion: ./checker 3 --format <Tab> gives the formats" offers "$formats" ./checker 3 --format ""
check "completion: also after --format=" offers "$formats" ./checker 3 --format = ""
check "completion: grade --format <Tab> gives only junit" offers junit ./checker grade entregas --format ""
check "completion: --tier <Tab> gives the tiers" offers "A B C auto" ./checker 3 --tier ""
check "completion: --lang <Tab> gives the languages" offers "es en" ./checker 3 --lang ""
ids=$(json_get "$ROOT/lessons/lesson03/spec.json" '" ".join(t["id"] for t in d["tests"])')
check "completion: ./checker lesson03 --test <Tab> gives lesson03's test ids" \
	offers "$ids" ./checker lesson03 --test ""
check "completion: --test also finds the lesson after --dir DIR, as a number" \
	offers "$ids" ./checker --dir /tmp 3 -t ""
check "completion: ./checker reiniciar 3 -<Tab> gives --yes" includes "--yes -y" ./checker reiniciar 3 -
check "completion: grade options" includes "--lessons --out --force" ./checker grade entregas --

mkdir -p "$TMP/clase/entregas" "$TMP/clase/notas"
: >"$TMP/clase/leeme.txt"
cd "$TMP/clase"
check "completion: ./checker grade <Tab> gives directories" offers "entregas notas" "$ROOT/checker" grade ""
check "completion: --pcap <Tab> gives files" includes "leeme.txt" "$ROOT/checker" 3 --pcap ""
on_path() { (PATH="$ROOT:$PATH" && export PATH && includes "$@"); }
check "completion: checker found on PATH, from elsewhere, finds the lessons" on_path lesson03 checker ""
cd "$ROOT"

finish
