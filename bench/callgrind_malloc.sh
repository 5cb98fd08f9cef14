#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Instructions per malloc(SIZE)+free pair of the malloc front end, counted
# by callgrind, for a few sizes: a small block with slack (24), a class
# size exactly (64, 4096), a block just under a class (4000), and a large
# block (100000, from the buddy allocator).  With a second library the
# same counts for it, side by side (to weigh a change: the same build with
# -DUKMEM_MALLOC_HARDEN=OFF shows what the hardening costs).
#
#   bash bench/callgrind_malloc.sh [BUILD_DIR] [N] [OTHER_LIB]
#                                      (defaults: build 100000, none)
#
# bm_pair SIZE N warms up with 1000 pairs and runs N pairs inside the
# noinline function measure_loop_malloc(); callgrind collects only there
# (--toggle-collect), and each count is taken with N and with 0 pairs so
# that the call itself cancels out:
#
#     instructions per pair = (Ir(N) - Ir(0)) / N
#
# The figure includes the loop's own few instructions.  Each library is
# counted on two paths: "rseq", booted with slab_rseq=fake (UKMEM_CMDLINE),
# an rseq area of ukmem's own that says CPU 0, so valgrind runs the
# restartable sequences of a native run (one thread only); and "lock",
# valgrind's default, where glibc has no rseq area and ukmem takes each
# per-CPU stack with a compare-and-swap.
set -uo pipefail

BUILD=${1:-build}
N=${2:-100000}
OTHER=${3:-}
BIN=$BUILD/bench/malloc/bm_pair
LIB=$BUILD/libukmem-malloc.so
OUTDIR=$BUILD/callgrind

. "$(dirname "$0")/callgrind_lib.sh"
cg_require callgrind_malloc.sh "$BIN" "$LIB"
mkdir -p "$OUTDIR" || exit 0

# Ir collected in measure_loop_malloc by one run: LIB SIZE COUNT.
collect() {
	local lib=$1 size=$2 n=$3 out=$OUTDIR/callgrind.malloc${UKMEM_CMDLINE:+.rseq}.$2.$3.out
	rm -f "$out"
	if ! LD_PRELOAD=$lib valgrind --tool=callgrind --toggle-collect='measure_loop_malloc*' \
		--callgrind-out-file="$out" "$BIN" "$size" "$n" >"$OUTDIR/valgrind.malloc.log" 2>&1; then
		echo "callgrind_malloc.sh: valgrind run ($lib, $size, $n) failed:" >&2
		tail -5 "$OUTDIR/valgrind.malloc.log" >&2
		return 1
	fi
	cg_total "$out"
}

per_pair() {
	local a b
	a=$(collect "$1" "$2" "$N") || return 1
	b=$(collect "$1" "$2" 0) || return 1
	awk -v a="$a" -v b="$b" -v n="$N" 'BEGIN { printf "%.1f", (a - b) / n }'
}

LIB=$(cd "$(dirname "$LIB")" && pwd)/$(basename "$LIB")
[ -n "$OTHER" ] && OTHER=$(cd "$(dirname "$OTHER")" && pwd)/$(basename "$OTHER")
# Both paths of one library at one size: "RSEQ LOCK".
both_paths() {
	local r l
	r=$(UKMEM_CMDLINE=slab_rseq=fake per_pair "$1" "$2") || r=?
	l=$(per_pair "$1" "$2") || return 1
	printf " %12s %12s" "$r" "$l"
}

echo "callgrind: instructions per malloc+free pair, $N pairs, warm"
printf "  %-8s %25s" size "$(basename "$(dirname "$LIB")") (rseq / lock)"
[ -n "$OTHER" ] && printf " %25s" "$(basename "$(dirname "$OTHER")") (rseq / lock)"
echo
for size in 24 64 4000 4096 100000; do
	printf "  %-8s" "$size"
	both_paths "$LIB" "$size" || exit 0
	if [ -n "$OTHER" ]; then
		both_paths "$OTHER" "$size" || exit 0
	fi
	echo
done
exit 0
