#!/bin/sh
# t0003-locale.sh - every message of the checker has a Spanish and an English translation.
. "$(dirname "$0")/lib.sh"

xgettext -L C --from-code=UTF-8 -k_ -kN_ -kngettext:1,2 -o "$TMP/now.pot" "$ROOT"/src/*.c "$ROOT"/src/*.def
for lang in es en; do
	po=$ROOT/locale/$lang.po
	stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1)
	check "$lang.po compiles" msgfmt --check -o /dev/null "$po"
	check "$lang.po has no fuzzy or untranslated message ($stats)" sh -c "! echo '$stats' | grep -Eq 'fuzzy|untranslated'"
	missing=$(msgcmp "$po" "$TMP/now.pot" 2>&1 | grep -c 'this message is used but not defined' || true)
	check "every msgid in src/ is in $lang.po" test "$missing" -eq 0
done

# The same failing run, in each language: the checker's own words change.
"$CHECKER" lesson03 --dir "$ROOT/lessons/lesson03" --test eco >"$TMP/es.txt" 2>&1 || true
"$CHECKER" lesson03 --dir "$ROOT/lessons/lesson03" --test eco --lang en >"$TMP/en.txt" 2>&1 || true
env -u LC_ALL LANG=en_US.UTF-8 "$CHECKER" lesson03 --dir "$ROOT/lessons/lesson03" --test eco >"$TMP/en-env.txt" 2>&1 || true
check "Spanish by default" grep -q "Puntuación: 0/2" "$TMP/es.txt"
check "--lang en: English" grep -q "Score: 0/2" "$TMP/en.txt"
check "an English LANG: English" grep -q "Score: 0/2" "$TMP/en-env.txt"
for word in Puntuación Aislamiento "Qué pasó" Pista "Pruébalo"; do
	check "--lang en: no «$word» from the checker" sh -c "! grep -q '$word' '$TMP/en.txt'"
done
finish
