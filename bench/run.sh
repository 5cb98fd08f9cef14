#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Run every benchmark against an already built tree (`make bench` builds
# first, then calls this).  Builds nothing itself.
#
#   bash bench/run.sh [BUILD_DIR]          (default: build)
#
# A benchmark that is not built, or a tool that is missing, is skipped with
# a message; the script exits 0 unless a benchmark itself fails.  To add a
# benchmark, add one line at the bottom: `bench NAME [ARGS...]` for a
# program bench/NAME.c, or `script FILE.sh` for a helper like callgrind.sh.
set -uo pipefail

BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
failed=0

if [ ! -d "$BUILD" ]; then
	echo "bench/run.sh: build directory '$BUILD' not found (run make first)" >&2
	exit 0
fi

# bench NAME [ARGS...]: run $BUILD/bench/NAME if it was built.
bench() {
	local name=$1; shift
	local bin=$BUILD/bench/$name
	echo "=== $name $*"
	if [ ! -x "$bin" ]; then
		echo "($bin not built; skipped)"
		echo
		return 0
	fi
	if ! "$bin" "$@"; then
		echo "*** $name failed (exit $?)"
		failed=1
	fi
	echo
}

# script FILE [ARGS...]: run bench/FILE with the build directory first.
script() {
	local file=$1; shift
	echo "=== $file"
	if [ ! -f "$HERE/$file" ]; then
		echo "(bench/$file missing; skipped)"
		echo
		return 0
	fi
	if ! bash "$HERE/$file" "$BUILD" "$@"; then
		echo "*** $file failed"
		failed=1
	fi
	echo
}

echo "ukmem benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc 2>/dev/null || echo '?') CPUs, build '$BUILD'"
echo

bench bench_page_alloc
script callgrind.sh
# bench bench_slab          (add further benchmarks here, one line each)
bench bench_slab
script callgrind_slab.sh
bench bench_slab_debug
bench bench_vmalloc
bench bench_percpu
bench bench_rcu
bench bench_reclaim
bench bench_driver_alloc
# The malloc set against the peers, with the hardening's cost beside it
# (ukmem built with -DUKMEM_MALLOC_HARDEN=OFF as one more column).
BENCH_PEERS=${BENCH_PEERS-} BENCH_TABLE=$BUILD/bench-malloc.txt script malloc/harden_cost.sh

exit $failed
