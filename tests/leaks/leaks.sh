#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# `ukmem run --leaks` on a plain program (tests/leaks/leak_ten.c) that
# leaks ten blocks: the report holds exactly ten "unreferenced object"
# records, each with leak_ten_blocks in its backtrace, the large and the
# host block with their sizes, and the kernel's summary line; nothing is
# reported for the blocks the program keeps reachable, nor for the DTVs
# of the threads it joined (ld.so's blocks).  Without --leaks
# there is no kmemleak report at all; with --json every line of the
# report file is a JSON object, the leaks' included.
#
#   leaks.sh UKMEM PROGRAM
#
# Exit 0 pass, 1 fail.
set -uo pipefail

UKMEM=$1 PROG=$2
fails=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

check() {
	if eval "$2"; then
		echo "ok   $1"
	else
		echo "FAIL $1"
		fails=$((fails + 1))
	fi
}

"$UKMEM" run --leaks --report "$dir/report" -- "$PROG" >"$dir/out" 2>"$dir/err"
rc=$?
check "the program exits 0 under --leaks" '[ $rc = 0 ]'
check "its output is its own" 'grep -qx done "$dir/out"'
n=$(grep -c '^unreferenced object 0x' "$dir/report")
check "exactly ten leaks reported (got $n)" '[ "$n" = 10 ]'
m=$(awk '/^unreferenced object/ { if (rec != "" && rec ~ /leak_ten_blocks\+0x/) ok++; rec = "" }
	{ rec = rec $0 "\n" }
	END { if (rec ~ /leak_ten_blocks\+0x/) ok++; print ok + 0 }' "$dir/report")
check "each names leak_ten_blocks in its backtrace (got $m)" '[ "$m" = 10 ]'
check "the large block, with its size" 'grep -q "^unreferenced object 0x[0-9a-f]* (size 200000):" "$dir/report"'
check "the host block, with its size" 'grep -q "^unreferenced object 0x[0-9a-f]* (size 6291456):" "$dir/report"'
check "the kernel's record layout" \
	'grep -q "^  comm \"leak_ten\", pid [0-9]*, jiffies [0-9]*$" "$dir/report" &&
	 grep -q "^  hex dump (first 32 bytes):$" "$dir/report" &&
	 grep -q "^    61 61 61 61 61 61 61 61 61 61 61 61 61 61 61 61  aaaaaaaaaaaaaaaa$" "$dir/report" &&
	 grep -q "^  backtrace (crc [0-9a-f]*):$" "$dir/report"'
check "the summary line" \
	'grep -q "^kmemleak: 10 new suspected memory leaks (see /sys/kernel/debug/kmemleak)$" "$dir/report"'
if [ $fails != 0 ]; then
	sed 's/^/     | /' "$dir/report" | head -60
	sed 's/^/   err | /' "$dir/err" | head -20
fi

# A shell whose subshells exit through exit() (each writes its reports)
# before it execs the program: only the started process's reports reach
# --report, both of them, unless --follow-children asks for every one.
"$UKMEM" run --leaks --report "$dir/shell" -- bash -c '(:); (:); exec "$0"' "$PROG" \
	>/dev/null 2>&1
heads=$(grep -c '^ukmem: kmemleak report of pid' "$dir/shell")
pids=$(grep -o '^ukmem: [a-z ]*report of pid [0-9]*' "$dir/shell" | awk '{print $NF}' | sort -u | wc -l)
check "subshells' leak reports left out (kmemleak reports $heads, processes $pids)" \
	'[ "$heads" = 1 ] && [ "$pids" = 1 ] && grep -q "^ukmem: report of pid" "$dir/shell" &&
	 [ "$(grep -c "^unreferenced object 0x" "$dir/shell")" = 10 ]'
"$UKMEM" run --leaks --follow-children --report "$dir/all" -- bash -c '(:); (:); exec "$0"' \
	"$PROG" >/dev/null 2>&1
heads=$(grep -c '^ukmem: kmemleak report of pid' "$dir/all")
check "--follow-children keeps every process's leak report (got $heads)" '[ "$heads" -ge 3 ]'

# --json: the file stays one JSON object a line, the leak report one of
# them (its text was written as text among the objects).
"$UKMEM" run --leaks --json --report "$dir/json" -- "$PROG" >/dev/null 2>&1
bad=$(grep -cv '^{.*}$' "$dir/json")
check "--leaks --json: every line an object (not: $bad)" '[ "$bad" = 0 ] && [ -s "$dir/json" ]'
check "--leaks --json: the leaks inside one, ten of them" \
	'[ "$(grep -c "^{\"pid\":[0-9]*,\"comm\":\"leak_ten\",\"kmemleak\":\"" "$dir/json")" = 1 ] &&
	 [ "$(grep -o "unreferenced object 0x" "$dir/json" | wc -l)" = 10 ]'
if command -v python3 >/dev/null 2>&1; then
	check "--leaks --json: parses as JSON lines" \
		'python3 -c "import json, sys; [json.loads(l) for l in open(sys.argv[1])]" "$dir/json"'
fi

"$UKMEM" run --report "$dir/plain" -- "$PROG" >/dev/null 2>&1
check "no kmemleak report without --leaks" '! grep -q "unreferenced object" "$dir/plain"'

exit $((fails != 0))
