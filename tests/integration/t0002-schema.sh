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
finish
