#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# ukmem map of a live process: a program on a 64 MiB machine (grower.c) is
# stopped (SIGSTOP, so that its pages hold still), drawn with one cell per
# page, and the picture must be well-formed XML (python3's parser when
# there is one, else a tag balance check) whose cells of each free order
# (reported to the host or not) equal buddyinfo's blocks of that order
# times 2^order, as `ukmem show
# buddyinfo --pid` prints them for the same stopped process; likewise the
# legend.  A saved snapshot draws the same picture again without the
# process; a PNG has the grid's size; `ukmem demo --map` (make demo) ends
# with a picture; usage errors exit 2.
#
#   map.sh UKMEM GROWER
#
# Exit 0 pass, 1 fail, 77 skipped (the process may not be read).  Waits
# poll a bounded number of times (KTEST_POLLS, default 600) and fail as a
# hang.
set -uo pipefail
UKMEM=$(realpath "$1")
GROWER=$(realpath "$2")
. "$(dirname "$0")/lib.sh"

dir=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill -CONT "$pid" 2>/dev/null
	touch "$dir/stop"
	[ -n "${bg:-}" ] && wait "$bg" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Usage errors first: they need no process.
"$UKMEM" map --pid 1 "$dir/snap" >/dev/null 2>&1; [ $? = 2 ] || fail "map of a pid and a snapshot: not exit 2"
"$UKMEM" map --cmdline "mem=abc" >/dev/null 2>&1; [ $? = 1 ] || fail "map of a demo machine that does not boot: not exit 1"
"$UKMEM" map --pid 1 --cell huge >/dev/null 2>&1; [ $? = 2 ] || fail "--cell huge: not exit 2"
echo "not a snapshot" >"$dir/bad"
"$UKMEM" map "$dir/bad" >/dev/null 2>&1; [ $? = 1 ] || fail "a file that is no snapshot: not exit 1"
echo "ok   usage errors exit 2, a bad snapshot 1"

"$UKMEM" run --cmdline "mem=64M" --report /dev/null -- "$GROWER" "$dir/stop" &
bg=$!
wait_until 'pid=$(pgrep -P "$bg" -x grower)' "program"
readable() {
	"$UKMEM" show buddyinfo --pid "$pid" >"$dir/buddyinfo" 2>&1 && return 0
	grep -q "booting\|not running on ukmem" "$dir/buddyinfo" && return 1
	echo "SKIPPED: cannot read process $pid: $(cat "$dir/buddyinfo")"
	exit 77
}
wait_until readable "statistics area of $pid"
# Let it allocate a little, then hold it still.
wait_until '"$UKMEM" show slabinfo --pid "$pid" | grep -q "^malloc-112 "' "malloc-112 in $pid"
kill -STOP "$pid"
wait_until 'grep -q "^State:.*T" /proc/$pid/status' "$pid stopped"
"$UKMEM" show buddyinfo --pid "$pid" >"$dir/buddyinfo" || fail "show buddyinfo --pid"
"$UKMEM" show zoneinfo --pid "$pid" >"$dir/zoneinfo" || fail "show zoneinfo --pid"
"$UKMEM" map --pid "$pid" --cell page --output "$dir/map.svg" --save "$dir/map.snap" ||
	fail "map --pid $pid"
"$UKMEM" map --pid "$pid" --cell 2 -o "$dir/map.png" || fail "map --pid $pid -o map.png"
kill -CONT "$pid"
pid=""
echo "ok   ukmem map --pid of a stopped process"

well_formed "$dir/map.svg" || fail "the SVG is not well-formed"
echo "ok   the SVG is well-formed"

# Pages per free order: buddyinfo's blocks times 2^order, summed over zones.
awk '/^Node/ { for (i = 5; i <= NF; i++) n[i - 5] += $i * 2 ^ (i - 5) }
     END { for (o in n) printf "free-o%d %d\n", o, n[o] }' "$dir/buddyinfo" | sort >"$dir/want"
# Cells per state: each rect of the grid is a run of width/px cells.
awk 'match($0, /data-cell-px="[0-9]+"/) { px = substr($0, RSTART + 14, RLENGTH - 15) }
     /<rect class="(free|reported)-o/ {
	match($0, /-o[0-9]+"/); c = "free" substr($0, RSTART, RLENGTH - 1)
	match($0, /width="[0-9]+"/); n[c] += substr($0, RSTART + 7, RLENGTH - 8) / px
     }
     END { for (c in n) printf "%s %d\n", c, n[c] }' "$dir/map.svg" | sort >"$dir/cells"
# The legend's page counts.
grep -o 'data-state="[a-z]*-o[0-9]*" data-pages="[0-9]*"' "$dir/map.svg" |
	awk -F'"' '{ sub(/^[a-z]*/, "free", $2); n[$2] += $4 } END { for (c in n) print c, n[c] }' |
	sort >"$dir/legend"
# Orders without free blocks are in neither.
grep -v ' 0$' "$dir/want" >"$dir/want.nz"
diff "$dir/want.nz" "$dir/cells" || fail "cells per free order differ from buddyinfo (< buddyinfo, > cells)"
diff "$dir/want.nz" "$dir/legend" || fail "the legend's free pages differ from buddyinfo"
[ -s "$dir/cells" ] || fail "no free cells at all"
echo "ok   cells of each free order match buddyinfo: $(tr '\n' ' ' <"$dir/cells")"
grep -q '<rect class="slab-[0-9]*"' "$dir/map.svg" || fail "no slab cells"
grep -q 'slab malloc-112' "$dir/map.svg" || fail "the legend does not name malloc-112"
echo "ok   slab pages drawn, malloc-112 named"

# Pages on the CPUs' lists and page stacks: the pagesets' "count:" lines.
want_pcp=$(awk '$1 == "count:" { n += $2 } END { print n + 0 }' "$dir/zoneinfo")
got_pcp=$(grep -o 'data-state="pcp" data-pages="[0-9]*"' "$dir/map.svg" | grep -o '[0-9]*"$' | tr -d '"')
[ "${got_pcp:-0}" = "$want_pcp" ] ||
	fail "the legend's pcp pages (${got_pcp:-0}) differ from zoneinfo's counts ($want_pcp)"
echo "ok   pcp pages match zoneinfo's counts: $want_pcp"

# The snapshot draws the same picture.
"$UKMEM" map "$dir/map.snap" --cell page -o "$dir/again.svg" || fail "map SNAPSHOT"
cmp -s "$dir/map.svg" "$dir/again.svg" || fail "the snapshot's picture differs from the process's"
echo "ok   the saved snapshot draws the same picture"

# PNG: signature, and 16384 pages at 4 pages a cell are 64x64 cells of 12 pixels.
[ "$(head -c 8 "$dir/map.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
	fail "map.png is not a PNG"
[ "$(od -An -tu1 -j16 -N8 "$dir/map.png" | tr -s ' ')" = " 0 0 3 0 0 0 3 0" ] ||
	fail "map.png: size is not 768x768: $(od -An -tu1 -j16 -N8 "$dir/map.png")"
if command -v python3 >/dev/null 2>&1; then
	python3 - "$dir/map.png" <<'PY' || fail "map.png does not decode"
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
i, idat = 8, b''
while i < len(d):
    n, t = struct.unpack('>I4s', d[i:i + 8])
    body = d[i + 8:i + 8 + n]
    assert zlib.crc32(t + body) == struct.unpack('>I', d[i + 8 + n:i + 12 + n])[0], t
    if t == b'IDAT':
        idat += body
    i += 12 + n
assert len(zlib.decompress(idat)) == 768 * (768 * 3 + 1)
PY
fi
echo "ok   the PNG is 768x768 pixels and decodes"

# Without --pid: a demo machine after the workload, as show does.
"$UKMEM" map --cmdline "mem=64M" --cell page -o "$dir/demo-map.svg" || fail "map of a demo machine"
well_formed "$dir/demo-map.svg" || fail "the demo machine's picture is not well-formed"
grep -q 'data-state="free-o10"' "$dir/demo-map.svg" || fail "the demo machine's picture has no free blocks"
echo "ok   ukmem map --cmdline draws a demo machine"

# make demo's ending: ukmem demo --map draws the demo machine and says where.
# Into a file, as `make demo >log` writes it: the real program's report goes
# to the same file, and the last line must still come last.
"$UKMEM" demo --cmdline "mem=64M" --map "$dir/demo.svg" >"$dir/demo.out" 2>&1 ||
	fail "ukmem demo --map: $(tail -5 "$dir/demo.out")"
tail -2 "$dir/demo.out" | grep -q "^=== the workload's physical memory, drawn by \`ukmem map\`: $dir/demo.svg" ||
	fail "demo does not end naming its picture: $(tail -3 "$dir/demo.out")"
well_formed "$dir/demo.svg" || fail "the demo's picture is not well-formed"
grep -q 'slab demo_obj\|data-state="slab-' "$dir/demo.svg" || fail "the demo's picture has no slab pages"
echo "ok   ukmem demo --map ends with a picture of its workload"
echo "all checks passed"
