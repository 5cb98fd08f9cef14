#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# A regression check on the fast paths' instruction counts (CI runs it):
# callgrind's counts do not depend on the machine's load, so a rise beyond
# a tolerance is a change in the code, not noise.
#
#   bash bench/callgrind_check.sh [BUILD_DIR]      (default: build)
#
# Runs bench/callgrind.sh and bench/callgrind_slab.sh with 20000 pairs and
# compares each rseq-path pair with bench/callgrind_baseline: a count above
# the baseline by more than CALLGRIND_TOLERANCE_PERCENT (default 15: room
# for another gcc's code generation, not for a slower fast path) fails.  A
# count well below it is reported, so that the baseline follows a gain.
# Without valgrind, or without the benchmarks built, it is skipped (exit 0,
# with a line saying so), as the scripts it runs are.
set -uo pipefail

BUILD=${1:-build}
TOL=${CALLGRIND_TOLERANCE_PERCENT:-15}
HERE=$(dirname "$0")
BASELINE=$HERE/callgrind_baseline

page_out=$(bash "$HERE/callgrind.sh" "$BUILD" 20000 2>&1) || { echo "$page_out"; exit 1; }
slab_out=$(bash "$HERE/callgrind_slab.sh" "$BUILD" 20000 2>&1) || { echo "$slab_out"; exit 1; }
if grep -q "skipped" <<<"$page_out$slab_out" &&
   ! grep -q "instructions" <<<"$page_out$slab_out"; then
	echo "callgrind_check: skipped ($(grep -m1 skipped <<<"$page_out$slab_out"))"
	exit 0
fi

# The first count each script prints for a pair is the rseq path's.
measured() {
	case $1 in
	page)	awk '/order-0 alloc\+free pair:/ { print $4; exit }' <<<"$page_out" ;;
	kmalloc) awk '/kmalloc\(64\)\+kfree pair:/ { print $3; exit }' <<<"$slab_out" ;;
	cache)	awk '/kmem_cache_alloc\+kmem_cache_free pair:/ { print $3; exit }' <<<"$slab_out" ;;
	xcpu)	awk '/batches of 32 freed on another CPU:/ { print $9; exit }' <<<"$slab_out" ;;
	esac
}

fail=0
while read -r name base _; do
	case $name in ''|'#'*) continue ;; esac
	got=$(measured "$name")
	if [ "$name" = xcpu ] && [ -z "$got" ] && grep -q "needs two CPUs" <<<"$slab_out"; then
		echo "  xcpu     not counted on a host with one CPU: skipped"
		continue
	fi
	if [ -z "$got" ] || [ "$got" = "?" ]; then
		echo "callgrind_check: no count for '$name'"
		fail=1
		continue
	fi
	verdict=$(awk -v g="$got" -v b="$base" -v t="$TOL" 'BEGIN {
		if (g > b * (1 + t / 100)) print "REGRESSION";
		else if (g < b * (1 - t / 100)) print "below (update the baseline)";
		else print "ok" }')
	printf "  %-8s %7s instructions per pair (baseline %s, tolerance %s%%): %s\n" \
		"$name" "$got" "$base" "$TOL" "$verdict"
	[ "$verdict" = REGRESSION ] && fail=1
done <"$BASELINE"
exit $fail
