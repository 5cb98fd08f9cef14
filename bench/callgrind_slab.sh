#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Instructions per kmalloc(64)+kfree and kmem_cache_alloc+kmem_cache_free
# pair, counted by callgrind, with the peers' malloc+free(64) for reference.
#
#   bash bench/callgrind_slab.sh [BUILD_DIR] [N]        (defaults: build 100000)
#
# bench_slab --callgrind-kmalloc N boots "mem=4G", warms this CPU's cache
# up with 1000 pairs and runs N pairs inside the noinline function
# measure_loop_kmalloc64(); callgrind collects only inside it
# (--toggle-collect).  Each count is taken with N and with 0 pairs, so the
# call itself cancels out:
#
#     instructions per pair = (Ir(N) - Ir(0)) / N
#
# The figure includes the measuring loop (its "self" line below).
#
# Both paths are counted.  Valgrind refuses glibc's rseq registration, so
# a plain run under callgrind takes ukmem's lock mode (per-CPU stacks taken
# with a compare-and-swap, the CPU number from a per-thread cache
# refreshed with sched_getcpu()).  The production path, restartable
# sequences, is counted by booting with slab_rseq=fake (passed through
# BENCH_CMDLINE): an rseq area of ukmem's own that says CPU 0 and that
# nothing aborts, so valgrind runs the same sequences a native run does
# (one thread only; docs/slab.md).  The target applies to that figure.
# The straight-line instruction count of each fast path in the binary
# (entry to the first ret) is printed too.
#
# What a free on another CPU costs (issue 17: at most 1.5x the pair), on
# the production path: bench_slab --callgrind-xcpu N allocates batches of
# 32 objects on CPU 0 and frees them on CPU 1, one thread moving between
# the two CPUs' stacks by setting the fake rseq area's CPU (so the objects
# go back to CPU 0 through the node's barn, as a producer's and consumer's
# do); --callgrind-batch N is the same batches freed on CPU 0.  Both per
# object, both loops included.  A host with one CPU has no second stack:
# the lines say so.
#
# The raw files stay in BUILD_DIR/callgrind/ (callgrind.slab.*.out,
# annotate-slab.txt).
set -uo pipefail

BUILD=${1:-build}
N=${2:-100000}
BIN=$BUILD/bench/bench_slab
OUTDIR=$BUILD/callgrind
TARGET=30

. "$(dirname "$0")/callgrind_lib.sh"
cg_require callgrind_slab.sh "$BIN"
mkdir -p "$OUTDIR" || exit 0
# jemalloc's TLS needs room when it is dlopen'ed (see bench_slab.c).
export GLIBC_TUNABLES=${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.rtld.optional_static_tls=65536

# Ir collected in FUNCTION by one run of bench_slab ARGS...; prints the count.
collect() {
	local fn=$1 tag=$2; shift 2
	local out=$OUTDIR/callgrind.slab${RSEQ_TAG:-}.$tag.out
	rm -f "$out"
	if ! valgrind --tool=callgrind --toggle-collect="$fn" \
		--callgrind-out-file="$out" "$BIN" "$@" >"$OUTDIR/valgrind.slab${RSEQ_TAG:-}.$tag.log" 2>&1; then
		echo "callgrind_slab.sh: valgrind run '$*' failed:" >&2
		tail -5 "$OUTDIR/valgrind.slab.$tag.log" >&2
		return 1
	fi
	cg_total "$out"
}

# Per-pair count of one loop: FUNCTION OPTION [NAME].
per_pair() {
	local fn=$1 opt=$2 name=${3:-} a b tag
	tag=${opt#--callgrind-}${name:+-$name}
	if [ -n "$name" ]; then
		a=$(collect "$fn" "$tag.$N" "$opt" "$name" "$N") || return 1
		b=$(collect "$fn" "$tag.0" "$opt" "$name" 0) || return 1
	else
		a=$(collect "$fn" "$tag.$N" "$opt" "$N") || return 1
		b=$(collect "$fn" "$tag.0" "$opt" 0) || return 1
	fi
	[ -n "$a" ] && [ -n "$b" ] || return 1
	awk -v a="$a" -v b="$b" -v n="$N" 'BEGIN { printf "%.1f", (a - b) / n }'
}

# Instructions from FUNCTION's entry to its first ret, in the built binary.
static_path() {
	objdump -d --no-show-raw-insn "$BIN" 2>/dev/null |
		awk -v f="<$1>:" '$2 == f { on = 1; next } on && NF >= 2 && $1 ~ /:$/ { n++ }
				   on && $2 == "ret" { print n; exit }'
}

KM=$(per_pair 'measure_loop_kmalloc64*' --callgrind-kmalloc) || exit 0
CA=$(per_pair 'measure_loop_cache64*' --callgrind-cache) || exit 0
export BENCH_CMDLINE=slab_rseq=fake RSEQ_TAG=.rseq
KM_RSEQ=$(per_pair 'measure_loop_kmalloc64*' --callgrind-kmalloc) || KM_RSEQ=
CA_RSEQ=$(per_pair 'measure_loop_cache64*' --callgrind-cache) || CA_RSEQ=
BATCH_RSEQ= XCPU_RSEQ=
# Per object, in batches of 32: N rounded down to a multiple.  The run with
# 0 objects still warms up inside the same function, so the difference is
# N's alone.  Quiet: on a host with one CPU they fail (exit 77).
NB=$(( N / 32 * 32 ))
if [ "$NB" -gt 0 ]; then
	BATCH_RSEQ=$(N=$NB per_pair 'measure_loop_kmalloc64_batch*' --callgrind-batch 2>/dev/null) ||
		BATCH_RSEQ=
	XCPU_RSEQ=$(N=$NB per_pair 'measure_loop_kmalloc64_batch*' --callgrind-xcpu 2>/dev/null) ||
		XCPU_RSEQ=
fi
unset BENCH_CMDLINE RSEQ_TAG

if command -v callgrind_annotate >/dev/null 2>&1; then
	callgrind_annotate --threshold=99 "$OUTDIR/callgrind.slab.kmalloc.$N.out" \
		>"$OUTDIR/annotate-slab.txt" 2>/dev/null
fi

echo "callgrind: $N pairs of 64-byte objects, this CPU's cache warm"
echo "production path (restartable sequences, slab_rseq=fake):"
echo "  kmalloc(64)+kfree pair:                    ${KM_RSEQ:-?} instructions"
echo "  kmem_cache_alloc+kmem_cache_free pair:     ${CA_RSEQ:-?} instructions"
if [ -n "$XCPU_RSEQ" ] && [ -n "$BATCH_RSEQ" ] && [ -n "$KM_RSEQ" ]; then
	echo "  kmalloc(64), batches of 32 freed on the allocating CPU: $BATCH_RSEQ per object"
	echo "  kmalloc(64), batches of 32 freed on another CPU: $XCPU_RSEQ per object" \
		"($(awk -v x="$XCPU_RSEQ" -v p="$KM_RSEQ" 'BEGIN { printf "%.2f", x / p }')x the pair;" \
		"target at most 1.5x)"
else
	echo "  kmalloc(64) freed on another CPU: not counted (needs two CPUs and slab_rseq=fake)"
fi
echo "lock mode (what valgrind runs by default):"
echo "  kmalloc(64)+kfree pair:                    $KM instructions"
if [ -s "$OUTDIR/annotate-slab.txt" ]; then
	awk -v n="$N" '
		/^Ir +file:function/ { in_table = 1; getline; next }
		in_table && /^ *$/ { exit }
		in_table {
			ir = $1; gsub(",", "", ir)
			if (ir / n < 0.5) next
			loc = $0; sub(/^.*%\) +/, "", loc); sub(/ \[.*$/, "", loc)
			printf "      %6.1f  %s\n", ir / n, loc
		}
	' "$OUTDIR/annotate-slab.txt"
fi
echo "  kmem_cache_alloc+kmem_cache_free pair:     $CA instructions"
for peer in mimalloc tcmalloc jemalloc glibc; do
	P=$(per_pair 'measure_loop_peer*' --callgrind-peer "$peer" 2>/dev/null) &&
		printf "  %-42s %s instructions\n" "$peer malloc(64)+free pair:" "$P" ||
		printf "  %-42s (not available)\n" "$peer malloc(64)+free pair:"
done

# The native (rseq) fast path, counted in the code.
A1=$(static_path __kmalloc_cache); F1=$(static_path kfree)
A2=$(static_path kmem_cache_alloc); F2=$(static_path kmem_cache_free)
if [ -n "$A1" ] && [ -n "$F1" ] && [ -n "$A2" ] && [ -n "$F2" ]; then
	echo "rseq fast path, straight-line instructions in the binary (entry to ret):"
	echo "  __kmalloc_cache $A1 + kfree $F1 = $((A1 + F1)) per kmalloc(64)+kfree pair"
	echo "  kmem_cache_alloc $A2 + kmem_cache_free $F2 = $((A2 + F2)) per cache pair"
fi
if [ -n "$CA_RSEQ" ] && awk -v x="$CA_RSEQ" -v t="$TARGET" 'BEGIN { exit !(x <= t) }'; then
	echo "  target (kmem_cache pair at most $TARGET instructions on the rseq path): met"
else
	echo "  target (kmem_cache pair at most $TARGET instructions on the rseq path): NOT met"
fi
exit 0
