#!/bin/sh
# run.sh [tNNNN...] - run the integration tests (all, or those named) and sum up.
set -u
cd "$(dirname "$0")"
passed=0
failed=0
for t in t[0-9][0-9][0-9][0-9]-*.sh; do
	if [ $# -gt 0 ]; then
		case " $* " in *" ${t%%-*} "*) ;; *) continue ;; esac
	fi
	echo "== $t"
	if ./"$t" >"/tmp/.run-$$.log" 2>&1; then
		cat "/tmp/.run-$$.log"
	else
		cat "/tmp/.run-$$.log"
		echo "   $t FAILED"
	fi
	line=$(grep -E ': [0-9]+ passed, [0-9]+ failed$' "/tmp/.run-$$.log" | tail -1)
	p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.*, ([0-9]+) failed$/\1/')
	[ -n "$line" ] || { p=0; f=1; }
	passed=$((passed + p))
	failed=$((failed + f))
done
rm -f "/tmp/.run-$$.log"
echo "integration: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
