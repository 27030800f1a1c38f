#!/bin/sh
# t0006-pcap.sh - --pcap saves the packets of the first failing test (or of
# the one test asked for) as a pcap file that Wireshark and tcpdump read.
. "$(dirname "$0")/lib.sh"
use_private_workdir

# pcap_has FILE RESULT.json TEST: the file is a pcap of loopback packets, and
# every byte string the checker sent or received in TEST is inside them;
# but for what it sent on a connection the program then reset, which the
# kernel may drop before it ever leaves (the RST can come first).
pcap_has() {
	python3 - "$@" <<'EOF'
import json, struct, sys
pcap, result, test = sys.argv[1:4]
data = open(pcap, "rb").read()
magic, _, _, _, _, _, link = struct.unpack("<IHHiIII", data[:24])
assert magic == 0xA1B2C3D4 and link == 1, "not a pcap of Ethernet frames"
payload, off = b"", 24
while off < len(data):
    caplen = struct.unpack("<IIII", data[off:off + 16])[2]
    payload += data[off + 16:off + 16 + caplen]
    off += 16 + caplen
t = [t for t in json.load(open(result))["tests"] if t["id"] == test][0]
reset = {e["conn"] for e in t["transcript"] if e["event"] == "reset_by_peer"}
words = [e["data"].encode() for e in t["transcript"] if e["data"] and
         (e["event"] == "recv" or (e["event"] == "send" and e["conn"] not in reset))]
assert words, "the test sent nothing"
missing = [w for w in words if w not in payload]
assert not missing, "not in the capture: %r" % missing
EOF
}

# A mutant whose every test fails: the first one in the spec is saved.
prog=$(materialize lesson03 "$ROOT/tests/mutants/lesson03/prefijo_erroneo")
grade "$TMP/fail.json" lesson03 --dir "$prog" --pcap "$TMP/fail.pcap"
first=$(json_get "$TMP/fail.json" 'd["tests"][0]["id"]')
check "a failing run exits 1" test "$rc" -eq 1
check "the JSON names the saved test" test "$(json_get "$TMP/fail.json" 'd["capture"]')" = "$first"
check "the JSON on stdout stays JSON; the note goes to stderr" grep -q "$TMP/fail.pcap" "$TMP/fail.json.err"
check "the capture holds the first failing test's bytes" pcap_has "$TMP/fail.pcap" "$TMP/fail.json" "$first"

# Only a later test fails: that one is saved, not the passing ones.
prog=$(materialize lesson03 "$ROOT/tests/mutants/lesson03/un_solo_cliente")
grade "$TMP/later.json" lesson03 --dir "$prog" --pcap "$TMP/later.pcap"
failing=$(json_get "$TMP/later.json" '[t["id"] for t in d["tests"] if t["status"] != "pass"][0]')
check "a later failing test is the one saved" test "$(json_get "$TMP/later.json" 'd["capture"]')" = "$failing"
check "its bytes are in the capture" pcap_has "$TMP/later.pcap" "$TMP/later.json" "$failing"

# Everything passes: nothing is written, and the learner is told why.
set +e
"$CHECKER" lesson05 --dir "$ROOT/solutions/lesson05" --pcap "$TMP/none.pcap" >"$TMP/none.out" 2>&1
rc=$?
set -e
check "all pass: exit 0" test "$rc" -eq 0
check "all pass: no file written" test ! -e "$TMP/none.pcap"
check "all pass: the report says why" grep -q -- "--test" "$TMP/none.out"

# One test asked for: saved even though it passes (UDP this time).
set +e
"$CHECKER" lesson05 --dir "$ROOT/solutions/lesson05" --test eco --pcap "$TMP/one.pcap" --format json >"$TMP/one.json" 2>/dev/null
set -e
check "--test: its packets are saved" pcap_has "$TMP/one.pcap" "$TMP/one.json" eco
"$CHECKER" lesson05 --dir "$ROOT/solutions/lesson05" --test eco --pcap "$TMP/one.pcap" >"$TMP/one.out" 2>&1 || true
check "the human report says where the file is and how to open it" grep -q "Wireshark.*$TMP/one.pcap" "$TMP/one.out"
check "the rerun line keeps --pcap" grep -q -- "--pcap $TMP/one.pcap" "$TMP/one.out"

# Tier C shares the host's network: there is nothing of the test's own to capture.
grade "$TMP/c.json" lesson05 --dir "$ROOT/solutions/lesson05" --tier C --pcap "$TMP/c.pcap"
check "tier C: refused with exit 2" test "$rc" -eq 2
check "tier C: the refusal explains itself" grep -q "pcap" "$TMP/c.json.err"
check "tier C: no file written" test ! -e "$TMP/c.pcap"

# An unprivileged user in tier B (a user namespace) can capture too.
if can_run_as_nobody; then
	pub=$(public_copy "$ROOT/solutions/lesson05")
	chmod a+w "$pub"
	set +e
	runuser -u nobody -- "$CHECKER" lesson05 --dir "$pub" --tier B --test eco --pcap "$pub/b.pcap" \
		--format json >"$TMP/b.json" 2>"$TMP/b.err"
	rc=$?
	set -e
	if [ "$rc" -eq 2 ]; then
		echo "  skip tier B as nobody: not available here"
	else
		check "tier B as nobody: the capture is saved" pcap_has "$pub/b.pcap" "$TMP/b.json" eco
	fi
fi

# A path that cannot be written: the grade stands, the error is clear.
grade "$TMP/bad.json" lesson05 --dir "$ROOT/solutions/lesson05" --test eco --pcap "$TMP/no/such/dir/x.pcap"
check "unwritable path: the grade still comes" test "$rc" -eq 0
check "unwritable path: said on stderr" grep -q "no/such/dir" "$TMP/bad.json.err"

check_no_leftovers
finish
