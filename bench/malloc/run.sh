#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The malloc benchmarks: every program under glibc's malloc, jemalloc,
# tcmalloc, mimalloc and ukmem, in one invocation, and a table of the
# median wall time and peak RSS of each with ukmem's ratio to the best
# peer.  bench/run.sh (so `make bench`) calls it; it builds nothing.
#
#   bash bench/malloc/run.sh [BUILD_DIR]           (default: build)
#
# Environment:
#   BENCH_RUNS=N      runs of each (benchmark, allocator); default 5, the
#                     median is reported
#   BENCH_QUICK=1     smoke run for CI: 1 run, a twentieth of the work
#   BENCH_THREADS=N   threads for the threaded benchmarks (default 2)
#   BENCH_ONLY="a b"  run only these benchmarks (names as in the table)
#   BENCH_NO_INSTALL=1  never apt-get a missing peer
#   BENCH_TABLE=FILE  where the table is written (default below)
#   BENCH_PEERS="glibc mimalloc"  only these peers (default: all four)
#   BENCH_EXTRA="ukmem-b=/path/libukmem-malloc.so ..."  more ukmem builds,
#                     each a column of its own, measured in the same runs
#                     (to compare a change with its base); never a peer.
#                     Each adds a last column ukmem/ukmem-b: the ratio of
#                     the medians, per benchmark and of the geomeans
#                     (bench/malloc/harden_cost.sh uses it)
#
# Peers are Debian's shared libraries, preloaded: libjemalloc.so.2,
# libtcmalloc_minimal.so.4, libmimalloc.so.2 (installed with apt-get when
# missing and running as root; otherwise skipped with a message).  glibc
# is the program without a preload; ukmem is BUILD_DIR/libukmem-malloc.so.
# Runs are interleaved (run 1 of every allocator, then run 2 in the reverse
# order, ...) so that a change in the machine's load hits all allocators
# alike.  Each program
# prints a checksum that must be the same under every allocator; a crash,
# a non-zero exit or a different checksum is reported and makes the script
# exit 1.  The table goes to stdout and to BUILD_DIR/bench-malloc.txt.
set -uo pipefail

BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=$BUILD/bench/malloc
QUICK=${BENCH_QUICK:-0}
THREADS=${BENCH_THREADS:-2}
if [ "$QUICK" = 1 ]; then
	RUNS=${BENCH_RUNS:-1}
	Q=-q
else
	RUNS=${BENCH_RUNS:-5}
	Q=
fi
TABLE=${BENCH_TABLE:-$BUILD/bench-malloc.txt}

if [ ! -x "$BIN/bm_measure" ]; then
	echo "bench/malloc/run.sh: $BIN/bm_measure not built (run make first); skipped"
	exit 0
fi
if [ ! -r "$BUILD/libukmem-malloc.so" ]; then
	echo "bench/malloc/run.sh: $BUILD/libukmem-malloc.so not built; skipped"
	exit 0
fi
UKMEM_LIB=$(cd "$BUILD" && pwd)/libukmem-malloc.so

# ---- the peers ----

find_lib() {
	local name=$1 dir path
	path=$(ldconfig -p 2>/dev/null | awk -v n="$name" '$1 == n { print $NF; exit }')
	if [ -n "$path" ] && [ -r "$path" ]; then
		echo "$path"
		return
	fi
	for dir in /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
		if [ -r "$dir/$name" ]; then
			echo "$dir/$name"
			return
		fi
	done
}

PEER_NAMES="jemalloc tcmalloc mimalloc"
declare -A SONAME=([jemalloc]=libjemalloc.so.2 [tcmalloc]=libtcmalloc_minimal.so.4
		   [mimalloc]=libmimalloc.so.2)
declare -A PACKAGE=([jemalloc]=libjemalloc-dev [tcmalloc]=libgoogle-perftools-dev
		    [mimalloc]=libmimalloc-dev)
declare -A LIB=([glibc]= [ukmem]=$UKMEM_LIB)

ALLOCS=glibc
if [ -n "${BENCH_PEERS:-}" ]; then
	case " $BENCH_PEERS " in *" glibc "*) ;; *) ALLOCS= ;; esac
	kept=
	for p in $PEER_NAMES; do
		case " $BENCH_PEERS " in *" $p "*) kept="$kept $p" ;; esac
	done
	PEER_NAMES=$kept
fi
missing=
for p in $PEER_NAMES; do
	[ -n "$(find_lib "${SONAME[$p]}")" ] || missing="$missing ${PACKAGE[$p]}"
done
if [ -n "$missing" ] && [ "${BENCH_NO_INSTALL:-0}" != 1 ] && [ "$(id -u)" = 0 ] &&
   command -v apt-get >/dev/null 2>&1; then
	echo "installing the missing peers:$missing"
	apt-get update -qq >/dev/null 2>&1
	# shellcheck disable=SC2086
	apt-get install -y -qq $missing >/dev/null 2>&1 || echo "(apt-get install failed)"
fi
for p in $PEER_NAMES; do
	path=$(find_lib "${SONAME[$p]}")
	if [ -n "$path" ]; then
		LIB[$p]=$path
		ALLOCS="$ALLOCS $p"
	else
		echo "peer $p skipped: ${SONAME[$p]} not found (apt-get install ${PACKAGE[$p]})"
	fi
done
ALLOCS="$ALLOCS ukmem"
for extra in ${BENCH_EXTRA:-}; do
	name=${extra%%=*}
	path=${extra#*=}
	case $name in ukmem-*) ;; *) echo "BENCH_EXTRA: $name: a name must start with ukmem-"; exit 2 ;; esac
	if [ ! -r "$path" ]; then
		echo "BENCH_EXTRA: $path: not readable"
		exit 2
	fi
	LIB[$name]=$(cd "$(dirname "$path")" && pwd)/$(basename "$path")
	ALLOCS="$ALLOCS $name"
done

# ---- the benchmarks ----

T=$(mktemp -d "${TMPDIR:-/tmp}/ukmem-bench-malloc.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

# name|stdin file or -|command...  (one per line, run by word splitting)
BENCHES=()
add() { BENCHES+=("$1|$2|$3"); }

add server     - "$BIN/bm_server -t $THREADS $Q"
add prodcons   - "$BIN/bm_prodcons -t $THREADS $Q"
add randlive   - "$BIN/bm_randlive -t $THREADS $Q"
add realloc    - "$BIN/bm_realloc -t $THREADS $Q"
add shortlived - "$BIN/bm_shortlived -t $THREADS $Q"
add compiler   - "$BIN/bm_compiler $Q"
add batch      - "$BIN/bm_batch -t $THREADS $Q"
add tiny       - "$BIN/bm_tiny $Q"

if command -v sqlite3 >/dev/null 2>&1; then
	# 150k single-row INSERTs into an in-memory database (the parser, the
	# B-tree pages and the page cache all allocate), two indexes, a join,
	# grouping and sorting, an update that doubles rows, deletes.
	rows=150000
	[ "$QUICK" = 1 ] && rows=7500
	awk -v n=$rows 'BEGIN {
		print "CREATE TABLE kv(id INTEGER PRIMARY KEY, k TEXT, grp INT, v REAL, body TEXT);"
		print "BEGIN;"
		t = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua"
		for (i = 1; i <= n; i++) {
			h = (i * 2654435761) % 4294967296
			printf "INSERT INTO kv VALUES(%d,%ck%08x%c,%d,%d.%d,%c%s%c);\n", i, 39, h, 39,
				h % 97, h % 10000, h % 10, 39, substr(t, 1, 10 + h % 100), 39
		}
		print "COMMIT;"
		print "CREATE INDEX kv_k ON kv(k);"
		print "CREATE INDEX kv_grp ON kv(grp, v);"
		print "SELECT grp, count(*), round(sum(v), 1), max(length(body)) FROM kv GROUP BY grp ORDER BY grp LIMIT 5;"
		print "SELECT count(*) FROM kv a JOIN kv b ON a.grp = b.grp AND a.id = b.id + 1;"
		print "SELECT k FROM kv ORDER BY body, k LIMIT 3 OFFSET " int(n / 3) ";"
		print "UPDATE kv SET body = body || body WHERE grp % 3 = 0;"
		print "DELETE FROM kv WHERE grp % 5 = 1;"
		print "SELECT count(*), sum(length(body)) FROM kv;"
		print "SELECT grp, count(DISTINCT substr(k, 2, 3)) FROM kv GROUP BY grp ORDER BY 2 DESC, 1 LIMIT 3;"
		print "CREATE TABLE agg AS SELECT grp, avg(v) AS a, count(*) AS c FROM kv GROUP BY grp;"
		print "SELECT count(*), round(sum(a), 2) FROM agg;"
	}' >"$T/bench.sql"
	add sqlite3 "$T/bench.sql" "$(command -v sqlite3) :memory:"
else
	echo "benchmark sqlite3 skipped: sqlite3 not found (apt-get install sqlite3)"
fi
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
if [ -n "$PY" ] && [ -x "$PY" ]; then
	scale=1
	[ "$QUICK" = 1 ] && scale=0.05
	add python3 - "$PY $HERE/bm_python.py $scale"
else
	echo "benchmark python3 skipped: python3 not found"
fi

if [ -n "${BENCH_ONLY:-}" ]; then
	kept=()
	for b in "${BENCHES[@]}"; do
		case " $BENCH_ONLY " in *" ${b%%|*} "*) kept+=("$b") ;; esac
	done
	BENCHES=("${kept[@]}")
fi

echo "malloc benchmarks: ${#BENCHES[@]} programs x {$ALLOCS} x $RUNS run(s), $THREADS threads" \
     "$( [ "$QUICK" = 1 ] && echo '(quick)')"

failed=0
: >"$T/results"
for b in "${BENCHES[@]}"; do
	name=${b%%|*}
	rest=${b#*|}
	input=${rest%%|*}
	cmd=${rest#*|}
	printf '%-11s' "$name"
	ref=
	for ((r = 1; r <= RUNS; r++)); do
		# Every other run in the reverse order: no allocator always
		# runs right after the same one (a warm cache, a cold one).
		order=$ALLOCS
		[ $((r % 2)) = 0 ] && order=$(echo $ALLOCS | tr ' ' '\n' | tac | tr '\n' ' ')
		for a in $order; do
			inopt=()
			[ "$input" != - ] && inopt=(-i "$input")
			# shellcheck disable=SC2086
			"$BIN/bm_measure" -p "${LIB[$a]}" "${inopt[@]}" -o "$T/m" -- $cmd \
				>"$T/out" 2>"$T/err"
			rc=$?
			if [ $rc -ne 0 ] || [ ! -s "$T/m" ]; then
				echo
				echo "*** $name under $a failed (exit $rc):"
				tail -n 5 "$T/err"
				failed=1
				continue
			fi
			if [ -z "$ref" ]; then
				ref=$a
				cp "$T/out" "$T/ref"
			elif ! cmp -s "$T/out" "$T/ref"; then
				echo
				echo "*** $name under $a printed something else than under $ref:"
				diff "$T/ref" "$T/out" | head -n 6
				failed=1
				continue
			fi
			echo "$name $a $(cat "$T/m")" >>"$T/results"
			rm -f "$T/m"
		done
		printf ' %d' "$r"
	done
	echo
done

# ---- the table ----

{
	echo "malloc benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc 2>/dev/null || echo '?') CPUs," \
	     "$THREADS threads, median of $RUNS run(s)$( [ "$QUICK" = 1 ] && echo ', QUICK sizes (figures mean nothing)')"
	for a in $ALLOCS; do
		[ -n "${LIB[$a]}" ] && echo "$a: ${LIB[$a]}"
	done
	echo "(ukmem at $(git -C "$HERE" describe --always --dirty 2>/dev/null || echo 'an unknown commit'))"
	echo
	awk -v allocs="$ALLOCS" -v benches="$(for b in "${BENCHES[@]}"; do printf '%s ' "${b%%|*}"; done)" '
	function median(key,    n, i, j, v, t) {
		n = cnt[key]
		if (!n)
			return -1
		for (i = 1; i <= n; i++)
			v[i] = val[key, i]
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
			}
		return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}
	# a / b with three decimals, or "-" where either is missing.
	function ratio(a, b) {
		if (a < 0 || b <= 0)
			return "-"
		return sprintf("%.3f", a / b)
	}
	# section(what, field, scale, fmt): one table of medians.
	function section(title, f, scale, fmt,    i, j, a, b, m, best, bestname, line, lg, lgn, ok, r) {
		line = sprintf("%-12s", title)
		for (j = 1; j <= na; j++)
			line = line sprintf(" %9s", A[j])
		line = line sprintf(" %10s %10s", "best peer", "ukmem/best")
		for (j = 1; j <= na; j++)
			if (A[j] ~ /^ukmem-/)
				line = line sprintf(" %16s", "ukmem/" A[j])
		print line
		for (j = 1; j <= na; j++) {
			lg[j] = 0
			lgn[j] = 0
		}
		for (i = 1; i <= nb; i++) {
			b = B[i]
			line = sprintf("%-12s", b)
			best = -1
			for (j = 1; j <= na; j++) {
				a = A[j]
				m = median(f SUBSEP b SUBSEP a)
				M[j] = m
				if (m < 0) {
					line = line sprintf(" %9s", "-")
					continue
				}
				line = line sprintf(" " fmt, m / scale)
				lg[j] += log(m > 0 ? m : 0.001)
				lgn[j]++
				if (a !~ /^ukmem/ && (best < 0 || m < best)) {
					best = m
					bestname = a
				}
			}
			r = "-"
			if (best > 0 && M[uk] >= 0)
				r = sprintf("%.2fx", M[uk] / best)
			line = line sprintf(" %10s %10s", best < 0 ? "-" : bestname, r)
			# Each extra ukmem build: the ratio of ukmem to it.
			for (j = 1; j <= na; j++)
				if (A[j] ~ /^ukmem-/)
					line = line sprintf(" %16s", ratio(M[uk], M[j]))
			print line
		}
		# Geometric means over the benchmarks every allocator finished.
		line = sprintf("%-12s", "geomean")
		best = -1
		for (j = 1; j <= na; j++) {
			if (lgn[j] != nb) {
				G[j] = -1
				line = line sprintf(" %9s", "-")
				continue
			}
			G[j] = exp(lg[j] / nb)
			line = line sprintf(" " fmt, G[j] / scale)
			if (A[j] !~ /^ukmem/ && (best < 0 || G[j] < best)) {
				best = G[j]
				bestname = A[j]
			}
		}
		r = "-"
		if (best > 0 && G[uk] > 0)
			r = sprintf("%.2fx", G[uk] / best)
		line = line sprintf(" %10s %10s", best < 0 ? "-" : bestname, r)
		for (j = 1; j <= na; j++)
			if (A[j] ~ /^ukmem-/)
				line = line sprintf(" %16s", ratio(G[uk], G[j]))
		printf "%s\n\n", line
	}
	BEGIN {
		na = split(allocs, A, " ")
		nb = split(benches, B, " ")
		for (j = 1; j <= na; j++)
			if (A[j] == "ukmem")
				uk = j
	}
	{
		k = "t" SUBSEP $1 SUBSEP $2
		val[k, ++cnt[k]] = $3
		k = "m" SUBSEP $1 SUBSEP $2
		val[k, ++cnt[k]] = $4
	}
	END {
		section("time (s)", "t", 1, "%9.3f")
		section("peak RSS MB", "m", 1024, "%9.1f")
	}' "$T/results"
	if [ $failed = 1 ]; then
		echo "SOME RUNS FAILED: their figures are missing above"
	fi
} >"$T/table"
cat "$T/table"
cp "$T/table" "$TABLE" 2>/dev/null && echo "(table written to $TABLE)"
exit $failed
