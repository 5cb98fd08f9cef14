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
# syscall), so the library takes its no-rseq path for the CPU number; a
# native run reads the CPU number from the rseq area instead.  The
# breakdown below shows what that costs.
#
# The raw callgrind files and the annotated source stay in
# BUILD_DIR/callgrind/ (callgrind.N.out, annotate.txt).
set -uo pipefail

BUILD=${1:-build}
N=${2:-100000}
BIN=$BUILD/bench/bench_page_alloc
OUTDIR=$BUILD/callgrind
TARGET=60

if [ ! -x "$BIN" ]; then
	echo "callgrind.sh: $BIN not built; skipped"
	exit 0
fi
if ! command -v valgrind >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "callgrind.sh: installing valgrind"
		apt-get install -y -qq valgrind >/dev/null 2>&1 ||
			{ apt-get update -qq >/dev/null 2>&1 &&
			  apt-get install -y -qq valgrind >/dev/null 2>&1; }
	fi
	if ! command -v valgrind >/dev/null 2>&1; then
		echo "callgrind.sh: valgrind not found (apt-get install valgrind); skipped"
		exit 0
	fi
fi
mkdir -p "$OUTDIR" || exit 0

# Ir collected by one run with $1 pairs; the callgrind file stays in $OUTDIR.
collect() {
	local n=$1 out=$OUTDIR/callgrind.$1.out
	rm -f "$out"
	if ! valgrind --tool=callgrind --toggle-collect='measure_loop_order0*' \
		--callgrind-out-file="$out" "$BIN" --callgrind-order0 "$n" \
		>"$OUTDIR/valgrind.$n.log" 2>&1; then
		echo "callgrind.sh: valgrind run with $n pairs failed:" >&2
		tail -5 "$OUTDIR/valgrind.$n.log" >&2
		return 1
	fi
	# "summary: 123" (older valgrind: "totals: 123"); first event is Ir.
	awk '/^(summary|totals):/ { print $2; exit }' "$out"
}

IR_N=$(collect "$N") || exit 1
IR_0=$(collect 0) || exit 1
if [ -z "$IR_N" ] || [ -z "$IR_0" ] || [ "$N" -le 0 ]; then
	echo "callgrind.sh: could not read the instruction counts; skipped"
	exit 0
fi

PER_PAIR=$(awk -v a="$IR_N" -v b="$IR_0" -v n="$N" 'BEGIN { printf "%.1f", (a - b) / n }')

# The annotated source, for whoever optimizes the fast path.
if command -v callgrind_annotate >/dev/null 2>&1; then
	callgrind_annotate --auto=yes --threshold=99 "$OUTDIR/callgrind.$N.out" \
		>"$OUTDIR/annotate.txt" 2>/dev/null
	callgrind_annotate --inclusive=yes --threshold=99 "$OUTDIR/callgrind.$N.out" \
		>"$OUTDIR/annotate-inclusive.txt" 2>/dev/null
fi

echo "callgrind: $N order-0 pairs (GFP_KERNEL, pcp steady state, 64 pages held)"
echo "  Ir with $N pairs: $IR_N, with 0 pairs: $IR_0"
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
echo "order-0 alloc+free pair: $PER_PAIR instructions"
if awk -v x="$PER_PAIR" -v t="$TARGET" 'BEGIN { exit !(x <= t) }'; then
	echo "  target (at most $TARGET instructions): met"
else
	echo "  target (at most $TARGET instructions): NOT met"
fi
exit 0
