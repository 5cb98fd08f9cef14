#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# What the malloc front end's always-on hardening costs: the malloc
# benchmarks under BUILD's libukmem-malloc.so (hardened, the default) and
# under the same sources built with -DUKMEM_MALLOC_HARDEN=OFF (a build
# option that exists for this measurement only), side by side in one run
# of bench/malloc/run.sh: its last column is the ratio hardened / off of
# the median time and of the median peak RSS, per benchmark and of the
# geomeans.  Then, unless BENCH_INSTRUCTIONS=0, the instructions each
# benchmark executes under both, counted by callgrind
# (bench/malloc/instructions.sh): the figure the load of a shared machine
# does not move.  The targets (docs/malloc.md): at most 5% time and 3%
# peak RSS on the geomeans.  `make bench` runs it (with the peers).
#
#   bash bench/malloc/harden_cost.sh [BUILD_DIR]       (default: build)
#
# Environment:
#   HARDEN_OFF_BUILD=DIR  the unhardened build (default BUILD_DIR-noharden;
#                         configured here when missing, with BUILD_DIR's
#                         build type; its malloc library rebuilt each time)
#   BENCH_PEERS=...       as run.sh; unset: no peer at all, only the two
#                         ukmem builds; set and empty: every peer as well
#   BENCH_RUNS, BENCH_QUICK, BENCH_ONLY, BENCH_THREADS   as run.sh
#   BENCH_INSTRUCTIONS=0  no callgrind counts (they take some minutes)
#   BENCH_TABLE=FILE      the tables (default BUILD_DIR/bench-harden.txt)
set -uo pipefail

BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
OFF=${HARDEN_OFF_BUILD:-$BUILD-noharden}

if [ ! -r "$BUILD/libukmem-malloc.so" ] || [ ! -f "$BUILD/CMakeCache.txt" ]; then
	echo "harden_cost.sh: $BUILD/libukmem-malloc.so not built (run make first); skipped"
	exit 0
fi
if [ ! -f "$OFF/CMakeCache.txt" ]; then
	type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt")
	echo "configuring $OFF (-DUKMEM_MALLOC_HARDEN=OFF, build type ${type:-none})"
	cmake -S "$SRC" -B "$OFF" -DUKMEM_MALLOC_HARDEN=OFF ${type:+-DCMAKE_BUILD_TYPE=$type} \
		>"$BUILD/harden-off-configure.log" 2>&1 ||
		{ echo "harden_cost.sh: configuring $OFF failed (see $BUILD/harden-off-configure.log)"; exit 1; }
fi
if ! grep -q '^UKMEM_MALLOC_HARDEN:BOOL=OFF' "$OFF/CMakeCache.txt"; then
	echo "harden_cost.sh: $OFF is not configured with -DUKMEM_MALLOC_HARDEN=OFF"
	exit 1
fi
echo "building $OFF/libukmem-malloc.so"
cmake --build "$OFF" --target ukmem_malloc -j "$(nproc 2>/dev/null || echo 2)" \
	>"$BUILD/harden-off-build.log" 2>&1 ||
	{ echo "harden_cost.sh: building $OFF failed (see $BUILD/harden-off-build.log)"; exit 1; }

failed=0
TABLE=${BENCH_TABLE:-$BUILD/bench-harden.txt}
BENCH_PEERS=${BENCH_PEERS-none} BENCH_TABLE="$TABLE" \
	BENCH_EXTRA="${BENCH_EXTRA:-} ukmem-off=$OFF/libukmem-malloc.so" \
	bash "$HERE/run.sh" "$BUILD" || failed=1
{ echo "(the last column: hardened ukmem / ukmem built with -DUKMEM_MALLOC_HARDEN=OFF;" \
     "targets: time geomean <= 1.05, peak RSS geomean <= 1.03)"; } | tee -a "$TABLE"

if [ "${BENCH_INSTRUCTIONS:-1}" != 0 ]; then
	echo
	echo "instructions (callgrind, quick sizes, whole programs): hardened / off"
	bash "$HERE/instructions.sh" "$BUILD" "$BUILD/libukmem-malloc.so" "$OFF/libukmem-malloc.so" |
		tee -a "$TABLE"
fi
exit $failed
