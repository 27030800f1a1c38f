#!/bin/sh
# t0002-schema.sh - every lesson's spec.json follows schema/spec.schema.json,
# and the schema rejects what the loader rejects.
. "$(dirname "$0")/lib.sh"

# Debian's python3 carries python3-jsonschema, whatever python3 is first in PATH.
validate() {
	/usr/bin/python3 - "$ROOT/schema/spec.schema.json" "$1" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.validate(json.load(open(sys.argv[2])), schema,
                    cls=jsonschema.Draft202012Validator)
PY
}

for spec in "$ROOT"/lessons/lesson*/spec.json "$ROOT"/tests/hostile/lessons/lesson*/spec.json; do
	lesson=$(basename "$(dirname "$spec")")
	check "$lesson/spec.json follows the schema" validate "$spec"
	check "$lesson/spec.json loads in the checker" env CHECKER_ROOT="${spec%/lessons/*}" sh -c \
		"\"$CHECKER\" $lesson --test no-such-test 2>&1 | grep -q no-such-test"
done

# A typo the loader rejects is rejected by the schema too.
sed 's/"steps"/"stpes"/' "$ROOT/lessons/lesson03/spec.json" >"$TMP/typo.json"
if validate "$TMP/typo.json" 2>/dev/null; then
	not_ok "the schema rejects a misspelt key"
else
	ok "the schema rejects a misspelt key"
fi

# hint_for names causes of src/causes.def: the schema lists the same ones,
# and the loader refuses one it does not know.
in_def=$(sed -n 's/^CAUSE([A-Z_]*, "\([a-z_]*\)".*/\1/p' "$ROOT/src/causes.def" | sort | xargs)
in_schema=$(json_get "$ROOT/schema/spec.schema.json" \
	'" ".join(sorted(d["$defs"]["test"]["properties"]["hint_for"]["items"]["enum"]))')
check "the schema's causes are those of causes.def ($in_def)" test "$in_def" = "$in_schema"
mkdir -p "$TMP/bad/lessons/lesson03"
python3 - "$ROOT/lessons/lesson03/spec.json" "$TMP/bad/lessons/lesson03/spec.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["tests"][0]["hint_for"] = ["no_such_cause"]
json.dump(d, open(sys.argv[2], "w"))
PY
rc=0
CHECKER_ROOT="$TMP/bad" "$CHECKER" lesson03 --test eco >"$TMP/bad.txt" 2>&1 || rc=$?
check "an unknown cause in hint_for is a bad spec (exit 2)" test "$rc" -eq 2
check "... that says which" grep -q "no_such_cause\|hint_for" "$TMP/bad.txt"

# A regex that is more than text needs its words: a learner never sees it raw.
python3 - "$ROOT/lessons/lesson12/spec.json" "$TMP/bad/lessons/lesson03/spec.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def drop(x):
    if isinstance(x, dict):
        x.pop("shown", None)
        for v in x.values():
            drop(v)
    elif isinstance(x, list):
        for v in x:
            drop(v)
drop(d)
d["lesson"] = "lesson03"
json.dump(d, open(sys.argv[2], "w"))
PY
rc=0
CHECKER_ROOT="$TMP/bad" "$CHECKER" lesson03 --test eco >"$TMP/bad.txt" 2>&1 || rc=$?
check "a regex with alternatives and no shown is a bad spec (exit 2)" test "$rc" -eq 2
check "... that asks for shown" grep -q "shown" "$TMP/bad.txt"
finish
