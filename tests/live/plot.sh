#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# ukmem plot: (1) the fragmentation indices of a hand-made recording, as
# --print writes them, against values worked out by hand from the
# kernel's formulas (mm/vmstat.c: unusable_free_index, __fragmentation_index,
# integer thousandths); (2) a real recording of `ukmem run --record` of a
# program whose heap grows (grower.c) drawn as SVG: it parses (python3's
# XML parser when there is one, else a tag balance check), has its five
# panels, an RSS line that rises and malloc-112 among the caches; (2b)
# a recording that follows the program through an exec(); (3) usage
# errors.
#
#   plot.sh UKMEM GROWER
#
# Waits poll a bounded number of times (KTEST_POLLS, default 600) and fail
# as a hang.
set -uo pipefail
UKMEM=$(realpath "$1")
GROWER=$(realpath "$2")
. "$(dirname "$0")/lib.sh"

dir=$(mktemp -d)
cleanup() {
	touch "$dir/stop"
	[ -n "${bg:-}" ] && wait "$bg" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# (1) Zone Normal: 10 free blocks of order 0, 5 of order 1, 2 of order 3
# (36 pages in 17 blocks); then nothing free.
{
	echo "# ukmem recording 1"
	echo "# pid 1 comm handmade interval_ms 1000"
	for o in 0 1 2 3 4 5 6 7 8 9 10; do
		case $o in 0) n=10 ;; 1) n=5 ;; 3) n=2 ;; *) n=0 ;; esac
		printf '0\tfree:0:Normal:%d\t%d\n' "$o" "$n"
	done
	for o in 0 1 2 3 4 5 6 7 8 9 10; do
		printf '1000\tfree:0:Normal:%d\t0\n' "$o"
	done
} >"$dir/hand"
"$UKMEM" plot --print "$dir/hand" >"$dir/indices" || fail "plot --print"
cat >"$dir/want" <<'W'
0.000 unusable_index Node 0, zone   Normal 0.000 0.277 0.555 0.555 1.000 1.000 1.000 1.000 1.000 1.000 1.000
0.000 extfrag_index  Node 0, zone   Normal -1.000 -1.000 -1.000 -1.000 0.809 0.875 0.909 0.925 0.933 0.938 0.940
1.000 unusable_index Node 0, zone   Normal 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000
1.000 extfrag_index  Node 0, zone   Normal 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000
W
diff "$dir/want" "$dir/indices" || fail "the indices differ from the kernel's formulas (< expected, > plot)"
echo "ok   unusable_index and extfrag_index as the kernel computes them"
"$UKMEM" plot "$dir/hand" -o "$dir/hand.svg" || fail "plot of the hand-made recording"
well_formed "$dir/hand.svg" || fail "the hand-made recording's SVG is not well-formed"

# (2) A real recording.
"$UKMEM" run --cmdline "mem=64M" --record "$dir/rec" --interval 0.1 --report /dev/null -- \
	"$GROWER" "$dir/stop" &
bg=$!
wait_until '[ "$(grep -c "	rss_kb	" "$dir/rec" 2>/dev/null)" -ge 8 ]' "8 samples in the recording"
touch "$dir/stop"
wait "$bg" || fail "run --record: status $?"
bg=""
"$UKMEM" plot "$dir/rec" --output "$dir/rec.svg" || fail "plot of run --record's recording"
well_formed "$dir/rec.svg" || fail "the SVG does not parse"
echo "ok   the recording's SVG parses"
for p in memory free slab unusable_index extfrag_index; do
	grep -q "<g class=\"panel\" id=\"$p\"" "$dir/rec.svg" || fail "no panel $p"
done
echo "ok   five panels"
grep -q '<g class="series" data-name="malloc-112">' "$dir/rec.svg" || fail "no malloc-112 line"
# The RSS line: at least 8 points, the last higher (a smaller y) than the first.
awk '/data-name="RSS"/ { getline; match($0, /points="[^"]*"/)
	n = split(substr($0, RSTART + 8, RLENGTH - 9), p, " ")
	split(p[1], a, ","); split(p[n], b, ",")
	exit !(n >= 8 && b[2] < a[2]) }' "$dir/rec.svg" || fail "the RSS line does not rise over 8 points"
echo "ok   RSS rises, malloc-112 drawn"

# (2b) The recording follows the program through an exec(): the shell
# that ukmem started execs the grower, whose allocator is a new one (its
# own statistics area); the samples go on with it (they stopped at the
# exec, so malloc-112, the grower's cache, never showed).
rm -f "$dir/stop" "$dir/rec2"
"$UKMEM" run --cmdline "mem=64M" --record "$dir/rec2" --interval 0.1 --report /dev/null -- \
	sh -c 'sleep 0.3; exec "$0" "$1"' "$GROWER" "$dir/stop" &
bg=$!
wait_until 'grep -q "	slab:malloc-112	" "$dir/rec2" 2>/dev/null' "sample of the exec'ed program"
touch "$dir/stop"
wait "$bg" || fail "run --record through an exec: status $?"
bg=""
[ "$(grep -c '^# ukmem recording' "$dir/rec2")" = 1 ] || fail "the recording has more than one header"
echo "ok   the recording goes on after the program's exec()"

# (3) Usage.
"$UKMEM" plot >/dev/null 2>&1; [ $? = 2 ] || fail "plot without a recording: not exit 2"
"$UKMEM" plot --zone Bogus "$dir/rec" >/dev/null 2>&1; [ $? = 2 ] || fail "--zone Bogus: not exit 2"
"$UKMEM" plot "$dir/none" >/dev/null 2>&1; [ $? = 1 ] || fail "a missing recording: not exit 1"
echo "ok   usage errors"
echo "all checks passed"
