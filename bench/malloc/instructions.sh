#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Instructions executed by each malloc benchmark (quick sizes), counted by
# callgrind over the whole program and all its threads and children,
# under two malloc libraries side by side: a figure that does not depend
# on the load of a shared machine, where bench/malloc/run.sh's times can
# move by 10% from one run to the next.  Used to weigh the front end's
# hardening (docs/malloc.md): the same build with -DUKMEM_MALLOC_HARDEN=OFF
# as the second library.
#
#   bash bench/malloc/instructions.sh BUILD_DIR LIB_A LIB_B
#
# Valgrind runs the threads one at a time and ukmem in its lock mode (no
# rseq under valgrind), so the counts are the work, not the contention.
set -uo pipefail

BUILD=${1:?usage: instructions.sh BUILD_DIR LIB_A LIB_B}
A=${2:?}
B=${3:?}
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=$BUILD/bench/malloc
if [ ! -x "$BIN/bm_server" ] || ! command -v valgrind >/dev/null 2>&1; then
	echo "instructions.sh: $BIN not built or valgrind missing; skipped"
	exit 0
fi
A=$(cd "$(dirname "$A")" && pwd)/$(basename "$A")
B=$(cd "$(dirname "$B")" && pwd)/$(basename "$B")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# The quick sqlite3 script of run.sh, smaller.
awk -v n=7500 'BEGIN {
	print "CREATE TABLE kv(id INTEGER PRIMARY KEY, k TEXT, grp INT, v REAL, body TEXT);"
	print "BEGIN;"
	for (i = 1; i <= n; i++)
		printf "INSERT INTO kv VALUES(%d,%ck%08x%c,%d,%d.%d,%cbody%d%c);\n", i, 39,
			i * 2654435761 % 4294967296, 39, i % 97, i % 10000, i % 10, 39, i, 39
	print "COMMIT;"
	print "CREATE INDEX kv_k ON kv(k);"
	print "SELECT grp, count(*) FROM kv GROUP BY grp ORDER BY grp LIMIT 5;"
	print "UPDATE kv SET body = body || body WHERE grp % 3 = 0;"
	print "DELETE FROM kv WHERE grp % 5 = 1;"
}' >"$T/bench.sql"

NAMES="server prodcons randlive realloc shortlived compiler batch tiny"
declare -A CMD=([server]="$BIN/bm_server -t 2 -q" [prodcons]="$BIN/bm_prodcons -t 2 -q"
		[randlive]="$BIN/bm_randlive -t 2 -q" [realloc]="$BIN/bm_realloc -t 2 -q"
		[shortlived]="$BIN/bm_shortlived -t 2 -q" [compiler]="$BIN/bm_compiler -q"
		[batch]="$BIN/bm_batch -t 2 -q" [tiny]="$BIN/bm_tiny -q")
if command -v sqlite3 >/dev/null 2>&1; then
	NAMES="$NAMES sqlite3"
	CMD[sqlite3]="$(command -v sqlite3) :memory:"
fi
if command -v python3 >/dev/null 2>&1; then
	NAMES="$NAMES python3"
	CMD[python3]="python3 $HERE/bm_python.py 0.05"
fi

count() {
	local lib=$1 name=$2 input=/dev/null f
	[ "$name" = sqlite3 ] && input=$T/bench.sql
	rm -f "$T"/cg.*
	# shellcheck disable=SC2086
	LD_PRELOAD=$lib valgrind --tool=callgrind --trace-children=yes \
		--callgrind-out-file="$T/cg.%p" ${CMD[$name]} <"$input" >/dev/null 2>&1
	for f in "$T"/cg.*; do
		awk '/^(summary|totals):/ { print $2; exit }' "$f"
	done | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

printf '%-11s %15s %15s %7s\n' benchmark "$(basename "$(dirname "$A")")" \
	"$(basename "$(dirname "$B")")" ratio
for n in $NAMES; do
	a=$(count "$A" "$n")
	b=$(count "$B" "$n")
	echo "$n $a $b"
done | awk '{ r = $2 / $3; g += log(r); k++
	      printf "%-11s %15.0f %15.0f %7.3f\n", $1, $2, $3, r }
	    END { if (k) printf "%-11s %15s %15s %7.3f\n", "geomean", "", "", exp(g / k) }'
