#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Instructions per order-0 alloc_pages+__free_pages pair, counted by
# callgrind (so the figure does not depend on a noisy machine's clock).
#
#   bash bench/callgrind.sh [BUILD_DIR] [N]        (defaults: build 100000)
#
# bench_page_alloc --callgrind-order0 N boots "mem=4G", holds 64 pages,
# warms the pcp lists up with 1000 pairs and then runs N pairs inside the
# noinline function measure_loop_order0().  callgrind collects only inside
# that function (--toggle-collect), and the script runs it twice, with N
# and with 0 pairs, so the call itself cancels out:
#
#     instructions per pair = (Ir(N) - Ir(0)) / N
#
# The per-pair figure includes measure_loop_order0's own loop (counter,
# compare, argument set-up: listed as its "self" cost below).
#
# Under valgrind glibc's rseq registration fails (valgrind refuses the
# syscall), so the library would take its no-rseq path for the CPU number,
# where a native run reads it from the rseq area.  The pair is therefore
# counted booted with slab_rseq=fake (through BENCH_CMDLINE): an rseq area
# of ukmem's own that says CPU 0, so valgrind runs the native path (one
# thread only).  The lock-mode figure follows for comparison; the
# breakdown and the target are the production path's.
#
# The raw callgrind files and the annotated source stay in
# BUILD_DIR/callgrind/ (callgrind.rseq.N.out, callgrind.N.out, annotate.txt).
set -uo pipefail

BUILD=${1:-build}
N=${2:-100000}
BIN=$BUILD/bench/bench_page_alloc
OUTDIR=$BUILD/callgrind
TARGET=60

. "$(dirname "$0")/callgrind_lib.sh"
cg_require callgrind.sh "$BIN"
mkdir -p "$OUTDIR" || exit 0

# Ir collected by one run with $1 pairs; the callgrind file stays in $OUTDIR.
collect() {
	local n=$1 out=$OUTDIR/callgrind${RSEQ_TAG:-}.$1.out
	rm -f "$out"
	if ! valgrind --tool=callgrind --toggle-collect='measure_loop_order0*' \
		--callgrind-out-file="$out" "$BIN" --callgrind-order0 "$n" \
		>"$OUTDIR/valgrind.$n.log" 2>&1; then
		echo "callgrind.sh: valgrind run with $n pairs failed:" >&2
		tail -5 "$OUTDIR/valgrind.$n.log" >&2
		return 1
	fi
	cg_total "$out"
}

# The production path first (slab_rseq=fake: the CPU number read from an
# rseq area, as a native run does), then what valgrind runs by default.
export BENCH_CMDLINE=slab_rseq=fake RSEQ_TAG=.rseq
R_N=$(collect "$N") || exit 1
R_0=$(collect 0) || exit 1
unset BENCH_CMDLINE RSEQ_TAG
IR_N=$(collect "$N") || exit 1
IR_0=$(collect 0) || exit 1
if [ -z "$IR_N" ] || [ -z "$IR_0" ] || [ "$N" -le 0 ]; then
	echo "callgrind.sh: could not read the instruction counts; skipped"
	exit 0
fi

PER_PAIR=$(awk -v a="$R_N" -v b="$R_0" -v n="$N" 'BEGIN { printf "%.1f", (a - b) / n }')
LOCK_PAIR=$(awk -v a="$IR_N" -v b="$IR_0" -v n="$N" 'BEGIN { printf "%.1f", (a - b) / n }')

# The annotated source, for whoever optimizes the fast path.
if command -v callgrind_annotate >/dev/null 2>&1; then
	callgrind_annotate --auto=yes --threshold=99 "$OUTDIR/callgrind.rseq.$N.out" \
		>"$OUTDIR/annotate.txt" 2>/dev/null
	callgrind_annotate --inclusive=yes --threshold=99 "$OUTDIR/callgrind.rseq.$N.out" \
		>"$OUTDIR/annotate-inclusive.txt" 2>/dev/null
fi

echo "callgrind: $N order-0 pairs (GFP_KERNEL, pcp steady state, 64 pages held)"
echo "  production path (slab_rseq=fake): Ir with $N pairs: $R_N, with 0 pairs: $R_0"
if [ -s "$OUTDIR/annotate.txt" ]; then
	echo "  per pair, by function (self cost, inlined code under its own file):"
	# Lines look like: "8,800,000 (18.92%)  mm/page_alloc.c:fn [/path/bin]"
	awk -v n="$N" '
		/^Ir +file:function/ { in_table = 1; getline; next }
		in_table && /^ *$/ { exit }
		in_table {
			ir = $1; gsub(",", "", ir)
			if (ir / n < 0.5) next
			loc = $0; sub(/^.*%\) +/, "", loc); sub(/ \[.*$/, "", loc)
			printf "    %6.1f  %s\n", ir / n, loc
			if (++shown >= 20) exit
		}
	' "$OUTDIR/annotate.txt"
	echo "  annotated source: $OUTDIR/annotate.txt"
fi
echo "order-0 alloc+free pair: $PER_PAIR instructions (lock mode, valgrind's default: $LOCK_PAIR)"
if awk -v x="$PER_PAIR" -v t="$TARGET" 'BEGIN { exit !(x <= t) }'; then
	echo "  target (at most $TARGET instructions): met"
else
	echo "  target (at most $TARGET instructions): NOT met"
fi
exit 0
