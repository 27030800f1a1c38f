#!/bin/sh
# t0003-locale.sh - every message of the checker has a Spanish translation.
. "$(dirname "$0")/lib.sh"

stats=$(msgfmt --check --statistics -o /dev/null "$ROOT/locale/es.po" 2>&1)
check "es.po compiles" msgfmt --check -o /dev/null "$ROOT/locale/es.po"
check "es.po has no fuzzy or untranslated message ($stats)" sh -c "! echo '$stats' | grep -Eq 'fuzzy|untranslated'"
xgettext --from-code=UTF-8 -k_ -kN_ -kngettext:1,2 -o "$TMP/now.pot" "$ROOT"/src/*.c
missing=$(msgcmp "$ROOT/locale/es.po" "$TMP/now.pot" 2>&1 | grep -c 'this message is used but not defined' || true)
check "every msgid in src/ is in es.po" test "$missing" -eq 0
finish
