#!/bin/sh
# t0100-lesson01.sh - lesson01: the solution passes everywhere, the starter scores 0.
. "$(dirname "$0")/lib.sh"

L=lesson01
SOL=$(public_copy "$ROOT/solutions/$L")
use_private_workdir

check_solution_everywhere $L "$SOL"
check_contract $L "$SOL"
check_starter $L
check "starter: it says what is missing" grep -q "falta completar leer_argumentos" "$TMP/starter.json"

# A name that does not resolve fails fast, not after a DNS timeout.
grade "$TMP/invalid.json" $L --dir "$SOL" --test nombre_invalido
check "--test runs only that test" test "$(json_get "$TMP/invalid.json" 'len(d["tests"])')" = 1
check "nombre.invalid is answered within 5 s" test "$(json_get "$TMP/invalid.json" 'd["tests"][0]["duration_ms"] < 5000')" = True

check_human_report $L "$SOL" ipv6_literal "✓ Describe la dirección IPv6 ::1 con el puerto 8080 (2/2)"
"$CHECKER" $L --test localhost >"$TMP/human-starter.txt" 2>&1 || true
check "human report: the command to try by hand" grep -q "\./direcciones localhost$" "$TMP/human-starter.txt"

check_no_leftovers
finish
