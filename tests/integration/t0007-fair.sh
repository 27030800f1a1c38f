#!/bin/sh
# t0007-fair.sh - fairness: correct programs written apart from the reference
# solutions, in other styles (tests/fair/lessonNN/NAME), score full marks.
#
# Each program runs once here, in one of the configurations below taken in
# turn (tier and user), so that together they cover every one; `make
# fairness` (FAIR_FULL=1) runs every program in every configuration, under
# load. A folder with a file `cmd` is run with --cmd and that command.
. "$(dirname "$0")/lib.sh"

configs="A:root C:root"
if can_run_as_nobody; then
	configs="A:root B:nobody C:root C:nobody B:root"
	mkdir -m 755 "$TMP/home-nobody"
	chown nobody "$TMP/home-nobody"
fi
set -- $configs
nconfigs=$#

# run_as USER OUT ARGS...: the checker's JSON result in OUT, $rc set.
run_as() {
	user=$1 out=$2
	shift 2
	set +e
	if [ "$user" = nobody ]; then
		(cd "$TMP/home-nobody" && runuser -u nobody -- env HOME="$TMP/home-nobody" \
			CHECKER_CACHE_DIR="$TMP/home-nobody/cache" "$CHECKER" "$@" --format json) \
			>"$out" 2>"$out.err"
	else
		"$CHECKER" "$@" --format json >"$out" 2>"$out.err"
	fi
	rc=$?
	set -e
}

# fair_one LESSON DIR TIER USER: the program scores every point.
fair_one() {
	lesson=$1 dir=$2 tier=$3 user=$4
	name="$lesson/$(basename "$dir") ($tier, $user)"
	out="$TMP/fair-$lesson-$(basename "$dir")-$tier-$user.json"
	src=$dir
	[ "$user" = nobody ] && src=$(public_copy "$dir")
	if [ -f "$dir/cmd" ]; then
		run_as "$user" "$out" "$lesson" --dir "$src" --cmd "$(cat "$dir/cmd")" --tier "$tier" -j 4
	else
		run_as "$user" "$out" "$lesson" --dir "$src" --tier "$tier" -j 4
	fi
	if [ "$rc" -eq 2 ] && grep -q -i 'tier\|nivel' "$out.err"; then
		echo "  skip $name: this machine does not offer the tier"
		return 0
	fi
	if [ "$rc" -eq 0 ]; then
		ok "$name: full marks"
	else
		not_ok "$name: exit $rc, failed [$(failing_ids "$out" 2>/dev/null || head -c 300 "$out.err")]"
	fi
}

i=0
for dir in "$ROOT"/tests/fair/lesson*/*/; do
	dir=${dir%/}
	lesson=$(basename "$(dirname "$dir")")
	if [ -n "${FAIR_FULL:-}" ]; then
		for cfg in $configs; do
			fair_one "$lesson" "$dir" "${cfg%%:*}" "${cfg#*:}"
		done
	else
		k=$((i % nconfigs + 1))
		eval "cfg=\${$k}"
		fair_one "$lesson" "$dir" "${cfg%%:*}" "${cfg#*:}"
	fi
	i=$((i + 1))
done
finish
