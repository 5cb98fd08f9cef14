#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Real programs on the malloc front end, each run twice: on the host's
# malloc, then under `ukmem run --report FILE` (libukmem-malloc.so
# preloaded into the program and every process it starts).  The two
# outputs must be byte-identical, both runs must exit 0, and the report
# must hold the meminfo, slabinfo and buddyinfo sections.
#
#   run_real.sh CASE UKMEM LIBUKMEM_MALLOC [PROGRAM]
#
# CASE       python | sqlite | sort | cxx | fork_exec | xthread
# UKMEM      the ukmem command (build/ukmem)
# LIB...     the preload library (build/libukmem-malloc.so)
# PROGRAM    for cxx, fork_exec and xthread: the test program CMake built
#
# Exit 0 pass, 1 fail, 77 skipped (a tool the case needs is missing; CTest
# shows the test as skipped, tests/real/CMakeLists.txt sets
# SKIP_RETURN_CODE).  REAL_KEEP=1 keeps the scratch directory.
set -uo pipefail

if [ $# -lt 3 ]; then
	echo "usage: run_real.sh CASE UKMEM LIBUKMEM_MALLOC [PROGRAM]" >&2
	exit 2
fi
CASE=$1 UKMEM=$2 LIB=$3 PROGRAM=${4:-}
HERE=$(cd "$(dirname "$0")" && pwd)
SKIP=77

skip() {
	echo "SKIPPED: $*"
	exit $SKIP
}

die() {
	echo "FAIL ($CASE): $*"
	exit 1
}

[ -x "$UKMEM" ] || die "ukmem command '$UKMEM' not built"
[ -r "$LIB" ] || die "preload library '$LIB' not built"

T=$(mktemp -d "${TMPDIR:-/tmp}/ukmem-real-$CASE.XXXXXX") || die "mktemp failed"
if [ "${REAL_KEEP:-0}" = 1 ]; then
	echo "scratch directory: $T"
else
	trap 'rm -rf "$T"' EXIT
fi

# show FILE: the last lines of a captured stream, for a failure message.
show() {
	if [ -s "$1" ]; then
		echo "--- last lines of $(basename "$1"):"
		tail -n 20 "$1"
	fi
}

# compare CMD ARGS...: the heart of every case.
compare() {
	local rc

	"$@" >"$T/plain.out" 2>"$T/plain.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		show "$T/plain.err"
		die "the reference run on the host's malloc exited $rc: $*"
	fi
	rm -f "$T/report.txt"
	UKMEM_MALLOC_LIB=$LIB "$UKMEM" run --report "$T/report.txt" -- "$@" \
		>"$T/ukmem.out" 2>"$T/ukmem.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		show "$T/ukmem.out"
		show "$T/ukmem.err"
		[ $rc -gt 128 ] && die "under ukmem run the program died of signal $((rc - 128)): $*"
		die "under ukmem run the program exited $rc: $*"
	fi
	if ! cmp -s "$T/plain.out" "$T/ukmem.out"; then
		echo "--- diff, host malloc (-) against ukmem (+):"
		diff "$T/plain.out" "$T/ukmem.out" | head -n 40
		die "outputs differ: $*"
	fi
	[ -s "$T/report.txt" ] || die "ukmem run wrote no report"
	local section
	for section in "ukmem: report of pid" "--- meminfo ---" "MemTotal:" \
		       "--- slabinfo ---" "slabinfo - version" "--- buddyinfo ---" "Node 0, zone"; do
		grep -q -e "$section" "$T/report.txt" ||
			die "the report lacks '$section'"
	done
	echo "ok ($CASE): $(wc -l <"$T/plain.out") output lines identical on the host's malloc and on ukmem;" \
	     "$(grep -c '^ukmem: report of pid' "$T/report.txt") process report(s) written"
	echo "--- output:"
	head -n 30 "$T/ukmem.out"
}

need() {
	command -v "$1" >/dev/null 2>&1 || skip "$1 not found on this machine (install it to run the '$CASE' case)"
}

case $CASE in
python)
	need python3
	# The interpreter itself, not a version manager's wrapper script.
	PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
	[ -x "$PY" ] || skip "python3 does not run here"
	PYTHONMALLOC=malloc compare "$PY" "$HERE/py_threads.py" 2
	;;
sqlite)
	need sqlite3
	need awk
	# 100k single-row INSERTs (the parser and the page cache allocate for
	# each), an index, joins, grouping, updates, deletes, VACUUM.
	awk -v n=100000 'BEGIN {
		print "PRAGMA synchronous=OFF;"
		print "CREATE TABLE cities(name TEXT PRIMARY KEY, country TEXT);"
		for (c = 0; c < 50; c++)
			printf "INSERT INTO cities VALUES(%ccity-%d%c, %ccountry-%d%c);\n", 39, c, 39, 39, c % 7, 39
		print "CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT, city TEXT, age INT, score REAL, note TEXT);"
		print "BEGIN;"
		for (i = 1; i <= n; i++) {
			h = (i * 2654435761) % 4294967296
			printf "INSERT INTO people VALUES(%d, %cname-%08x%c, %ccity-%d%c, %d, %d.%d, %c%s%c);\n",
				i, 39, h, 39, 39, h % 50, 39, 18 + h % 60, h % 1000, h % 10, 39,
				substr("the quick brown fox jumps over the lazy dog again and again", 1, 5 + h % 50), 39
		}
		print "COMMIT;"
		print "CREATE INDEX people_city_age ON people(city, age);"
		print "SELECT count(*), sum(age), round(avg(score), 3), max(length(note)) FROM people;"
		print "SELECT city, count(*), min(age), max(age), round(sum(score), 1) FROM people GROUP BY city ORDER BY city LIMIT 12;"
		print "SELECT c.country, count(*), round(avg(p.age), 2) FROM people p JOIN cities c ON p.city = c.name GROUP BY c.country ORDER BY c.country;"
		print "SELECT p.id, p.name, c.country FROM people p JOIN cities c ON p.city = c.name WHERE p.age = 42 ORDER BY p.score DESC, p.id LIMIT 8;"
		print "UPDATE people SET note = note || \x27-updated\x27 || id WHERE id % 7 = 0;"
		print "DELETE FROM people WHERE id % 11 = 0;"
		print "SELECT count(*), sum(length(note)), total(score) FROM people;"
		print "SELECT name FROM people WHERE name LIKE \x27%99%\x27 ORDER BY score DESC, id LIMIT 5;"
		print "SELECT length(group_concat(name || note, \x27,\x27)) FROM people WHERE age < 30;"
		print "SELECT age, count(DISTINCT city) FROM people GROUP BY age HAVING count(*) > 1690 ORDER BY age;"
		print "VACUUM;"
		print "PRAGMA integrity_check;"
	}' >"$T/script.sql" || die "could not write the SQL script"
	# A fresh database for each run: the script starts from nothing.
	cat >"$T/sqlite.sh" <<EOF
rm -f "$T/db.sqlite"
sqlite3 "$T/db.sqlite" <"$T/script.sql"
EOF
	compare sh "$T/sqlite.sh"
	;;
sort)
	need sort
	need awk
	need sha256sum
	# About 50 MB, 900k lines, from a Park-Miller generator (exact in awk's
	# doubles), so every machine sorts the same file.
	awk -v n=900000 'BEGIN {
		x = 12345
		a = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz"
		for (i = 0; i < n; i++) {
			y = (x * 16807) % 2147483647
			x = (y * 16807) % 2147483647
			printf "%08x %s %07d %d\n", y, substr(a, x % 40 + 1, 20 + y % 24), x % 1000003, i
		}
	}' >"$T/in.txt" || die "could not write the input file"
	# Two sorts (text keys, numeric keys), each with GNU sort's threads and
	# its large buffers; the output is their checksums and line counts.
	cat >"$T/sort.sh" <<EOF
export LC_ALL=C
sort -k2,2 -k1,1 "$T/in.txt" >"$T/sorted1" || exit 1
sort -t ' ' -k3,3n -k4,4nr "$T/in.txt" >"$T/sorted2" || exit 1
wc -l <"$T/sorted1"
sha256sum <"$T/sorted1"
wc -l <"$T/sorted2"
sha256sum <"$T/sorted2"
EOF
	compare sh "$T/sort.sh"
	;;
cxx)
	[ -n "$PROGRAM" ] || skip "no C++ compiler was found when the build was configured"
	[ -x "$PROGRAM" ] || die "$PROGRAM not built"
	compare "$PROGRAM" 3
	;;
fork_exec)
	[ -x "$PROGRAM" ] || die "$PROGRAM not built"
	compare "$PROGRAM" 120
	;;
xthread)
	[ -x "$PROGRAM" ] || die "$PROGRAM not built"
	compare "$PROGRAM" 2 150000
	;;
*)
	echo "run_real.sh: unknown case '$CASE'" >&2
	exit 2
	;;
esac
exit 0
