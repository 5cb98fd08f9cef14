#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# `ukmem run`'s exit report (malloc/report.c, tools/run.c): the summary's
# fields are there and plausible for a program that holds 10 MiB at once
# (tests/cli/report_prog.c); rows that are all zeros are left out unless
# --full; a program behind a shell wrapper gives one report by default
# and one per process with --follow-children; --report-format json parses
# (python3 -m json.tool, where python3 exists); a slub_debug BUG of the
# run is in the --report file.
#
#   report.sh UKMEM MALLOC_LIB REPORT_PROG
#
# Exit 0 pass, 1 fail.  Each check prints one line; a failure prints the report.
set -uo pipefail

UKMEM=$(realpath "$1")
export UKMEM_MALLOC_LIB=$(realpath "$2")
PROG=$(realpath "$3")
fails=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { echo "ok   $1"; }
fail() {
	echo "FAIL $1; the report:"
	sed 's/^/     | /' "$T/r.txt" | head -60
	fails=$((fails + 1))
}
# has REGEX DESCRIPTION: a line of the report matches.
has() { if grep -Eq -- "$1" "$T/r.txt"; then ok "$2"; else fail "$2 (no /$1/)"; fi; }
hasnt() { if grep -Eq -- "$1" "$T/r.txt"; then fail "$2 (/$1/ is there)"; else ok "$2"; fi; }
# field NAME: the summary's figure in bytes ("  NAME   12.3 MiB ...").
field() {
	awk -v name="$1" '
		index($0, "  " name " ") == 1 {
			sub("^  " name " +", "")
			v = $1; u = $2
			m = u == "GiB" ? 1073741824 : u == "MiB" ? 1048576 : u == "KiB" ? 1024 : 1
			printf "%d\n", v * m
			exit
		}' "$T/r.txt"
}

run() {
	rm -f "$T/r.txt"
	"$UKMEM" run --report "$T/r.txt" "$@" >"$T/out.txt" 2>&1
}

# The summary of a program that held 10 MiB at once.
run -- "$PROG" hold || fail "ukmem run of report_prog hold exited $?"
for f in "^ukmem: report of pid [0-9]+ \(report_prog\) at exit$" "^malloc: [0-9]+ objects" \
	 "^summary:$" "^  elapsed +[0-9.]+ s$" "^  in use now " "^  peak " "^  peak RSS " \
	 "^size classes \(in use, most bytes first\):$" "^largest live blocks:$" "^--- meminfo ---$" \
	 "^--- slabinfo ---$" "^--- buddyinfo ---$" "^--- dmesg ---$"; do
	has "$f" "the report has /$f/"
done
peak=$(field peak)
if [ -n "$peak" ] && [ "$peak" -ge $((10 << 20)) ]; then ok "peak $peak >= 10 MiB"; else fail "peak '$peak' >= 10 MiB"; fi
rss=$(field "peak RSS")
if [ -n "$rss" ] && [ "$rss" -ge $((10 << 20)) ]; then ok "peak RSS $rss >= 10 MiB"; else fail "peak RSS '$rss' >= 10 MiB"; fi
now=$(field "in use now")
if [ -n "$now" ] && [ "$now" -ge $((1 << 20)) ] && [ "$now" -lt $((10 << 20)) ]; then
	ok "in use now $now: the 1.1 MiB kept, not the 10 MiB freed"
else
	fail "in use now '$now' between 1 MiB and 10 MiB"
fi
has "^  malloc-112 +10[0-9][0-9] +1[0-9]{5} " "the size classes: 1000 blocks of 100 bytes (and the C library's) in malloc-112"
has "^ +1048576 bytes at 0x[0-9a-f]+ \((large|host)\)$" "the largest live block: the 1 MiB one"

# Empty rows: left out by default, there with --full.
hasnt "^[A-Za-z_()]+: +0 kB$" "no meminfo line of 0 kB"
hasnt "^Node 0, zone +[A-Za-z0-9]+( +0)+ *$" "no buddyinfo zone with no free block"
hasnt "^[a-z][^ ]* +0 +0 " "no slabinfo cache without objects"
run --full -- "$PROG" hold || fail "ukmem run --full exited $?"
has "^[A-Za-z_()]+: +0 kB$" "--full: meminfo lines of 0 kB"
has "^[a-z][^ ]* +0 +0 " "--full: slabinfo caches without objects"

# One report through a shell wrapper, one per process with --follow-children.
run -- sh -c "/bin/true; '$PROG' hold" || fail "ukmem run sh -c exited $?"
n=$(grep -c '^ukmem: report of pid' "$T/r.txt")
if [ "$n" = 1 ]; then ok "one report through sh -c"; else fail "$n reports through sh -c, expected 1"; fi
has "\(report_prog\) at exit$" "and it is the wrapped program's"
run --follow-children -- sh -c "/bin/true; '$PROG' hold" || fail "ukmem run --follow-children exited $?"
n=$(grep -c '^ukmem: report of pid' "$T/r.txt")
if [ "$n" -ge 2 ]; then ok "$n reports with --follow-children"; else fail "$n reports with --follow-children, expected 2 or more"; fi

# JSON: one object per process and line.
run --report-format json -- "$PROG" hold || fail "ukmem run --report-format json exited $?"
if grep -q '"peak_bytes":' "$T/r.txt" && grep -q '"size_classes":\[' "$T/r.txt" &&
   grep -q '"caches":\[' "$T/r.txt"; then
	ok "the JSON report has peak_bytes, size_classes and caches"
else
	fail "the JSON report's fields"
fi
if command -v python3 >/dev/null 2>&1; then
	if python3 -m json.tool --json-lines "$T/r.txt" >/dev/null 2>"$T/json.err"; then
		ok "the JSON report parses"
	else
		cat "$T/json.err"
		fail "the JSON report does not parse"
	fi
else
	echo "skip the JSON parse: no python3"
fi
run --json --report-format json -- "$PROG" hold || fail "--json exited $?"

# A slub_debug report of the run ends up in the --report file.
run --cmdline "slub_debug=FP malloc.abort_on_corruption=0" -- "$PROG" poison ||
	fail "ukmem run of report_prog poison exited $?"
has "\[Poison overwritten\] 0x" "the slub_debug report is in the report file"
has "BUG malloc-64 \(.*\): Object corrupt" "with its object report"
has "] 0x[0-9a-f]+-0x[0-9a-f]+ @offset=5. First byte 0x42 instead of 0x6b$" "with its details, in the log's shape"

[ "$fails" = 0 ] || { echo "$fails check(s) failed"; exit 1; }
