#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Real programs on the malloc front end, each run twice: on the host's
# malloc, then under `ukmem run --follow-children --report FILE` (libukmem-malloc.so
# preloaded into the program and every process it starts).  The two
# outputs must be byte-identical, both runs must exit 0, and the report
# must hold the meminfo, slabinfo and buddyinfo sections.
#
# The front end must have served the workload itself, not only a shell
# around it: the report must hold a report of a process of the workload's
# own name (a process the preload did not reach writes none), and its
# "malloc:" line, counted before the report allocates, must show objects
# that the program's allocations left in the front end's caches (a process
# whose malloc was not the front end's shows 0).
#
# Hangs: each run is watched, not timed.  It runs in a process group of its
# own; five times a second the driver takes a snapshot of what the group's
# processes have done that a deadlocked program does not do - bytes written
# to its output, bytes read and written (/proc/PID/io), page faults, and
# processes starting or ending.  CPU time is no sign of progress (the
# library's locks spin).  After KTEST_HANG_SECONDS (default 120, as in
# tests/ktest.h) without any change, the driver prints "HANG", what the
# processes were doing, kills the group and fails.  A slow machine only
# makes a run slower; CTest's TIMEOUT (tests/real/CMakeLists.txt) is a
# last resort far above any run.
#
#   run_real.sh CASE UKMEM LIBUKMEM_MALLOC [PROGRAM]
#
# CASE       python | sqlite | sort | cxx | fork_exec | xthread | boot_lines
# UKMEM      the ukmem command (build/ukmem)
# LIB...     the preload library (build/libukmem-malloc.so)
# PROGRAM    for cxx, fork_exec and xthread: the test program CMake built;
#            for boot_lines the xthread program, then the fork_exec one
#
# REAL_CMDLINE, when set, is the kernel command line of the ukmem runs
# (`ukmem run --cmdline`).  boot_lines runs the xthread and fork_exec
# programs under each boot parameter that changes the front end's paths
# (debugging, init_on_*, a shuffled freelist, KFENCE, kmemleak, the
# per-CPU modes, ...): each must still print exactly what the host's
# malloc does, with no report and no stop.
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
command -v setsid >/dev/null 2>&1 || skip "setsid (util-linux) not found: runs cannot be watched for hangs"
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

HANG_SECONDS=${KTEST_HANG_SECONDS:-120}
case $HANG_SECONDS in
''|*[!0-9]*|0) HANG_SECONDS=120 ;;
esac

# snapshot PGID FILES...: one line that changes whenever the process group
# makes progress (see the top); the files are the run's output.
snapshot() {
	local pgid=$1
	shift
	stat -c %s "$@" 2>/dev/null | tr '\n' ' '
	# /proc/PID/stat after the ")" that ends comm: state ppid pgrp ...,
	# minflt is the 8th field there, cminflt 9th, majflt 10th, cmajflt 11th.
	for f in /proc/[0-9]*/stat; do
		read -r line 2>/dev/null <"$f" || continue
		set -- ${line##*) }
		[ "${3:-}" = "$pgid" ] || continue
		local dir=${f%/stat}
		printf '%s:%s:%s:%s:%s:%s ' "${dir#/proc/}" "$8" "$9" "${10}" "${11}" \
			"$(awk '/^(rchar|wchar):/ { s += $2 } END { print s + 0 }' "$dir/io" 2>/dev/null)"
	done
}

# what_it_does PGID: each process of the group, for a HANG message.
what_it_does() {
	local pgid=$1 f line pid
	for f in /proc/[0-9]*/stat; do
		read -r line 2>/dev/null <"$f" || continue
		set -- ${line##*) }
		[ "${3:-}" = "$pgid" ] || continue
		pid=${f%/stat}
		pid=${pid#/proc/}
		echo "  pid $pid ($(cat "/proc/$pid/comm" 2>/dev/null)): state $1," \
		     "wchan $(cat "/proc/$pid/wchan" 2>/dev/null), $(ls "/proc/$pid/task" 2>/dev/null | wc -l) threads"
	done
}

# watched OUT ERR CMD ARGS...: run CMD with its output in OUT and ERR in a
# process group of its own; its exit status.  After a HANG the group is
# killed and the case fails here.
watched() {
	local out=$1 err=$2 pid state last="" now quiet=0 rc
	shift 2
	setsid "$@" >"$out" 2>"$err" </dev/null &
	pid=$!
	while :; do
		sleep 0.2	# a short run is not held up; 5 looks make a second
		read -r state 2>/dev/null </proc/$pid/stat || break
		state=${state##*) }
		[ "${state%% *}" = Z ] && break
		now=$(snapshot "$pid" "$out" "$err" "$T/report.txt")
		if [ "$now" != "$last" ]; then
			last=$now
			quiet=0
		elif [ $((quiet += 1)) -ge $((HANG_SECONDS * 5)) ]; then
			echo "HANG ($CASE): no progress for $HANG_SECONDS s (no output, I/O, page" \
			     "fault or process change): $*"
			what_it_does "$pid"
			kill -KILL -- "-$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			show "$out"
			show "$err"
			die "hung: $*"
		fi
	done
	wait "$pid"
	rc=$?
	# Whatever the group left behind (a daemonised child) goes too.
	kill -KILL -- "-$pid" 2>/dev/null
	return $rc
}

# served COMM: the report holds a report of a process named COMM (a
# pattern, matched whole), and every such process's "malloc:" line shows
# objects in the front end's caches.
served() {
	awk -v comm="$1" '
		/^ukmem: report of pid [0-9]+ \(.*\) at exit$/ {
			name = $0
			sub(/^ukmem: report of pid [0-9]+ \(/, "", name)
			sub(/\) at exit$/, "", name)
			mine = name ~ ("^(" comm ")$")
			next
		}
		mine && /^malloc: / {
			reports++
			if ($2 + 0 > 0)
				served++
			mine = 0
		}
		END {
			if (!reports) {
				printf "no report of a process named %s: the preload did not reach it\n", comm
				exit 1
			}
			if (served != reports) {
				printf "%d of %d %s processes show no allocation served by the front end\n",
				       reports - served, reports, comm
				exit 1
			}
			printf "%d %s process(es) served by the front end\n", reports, comm
		}' "$T/report.txt"
}

# compare WORKLOAD CMD ARGS...: the heart of every case; WORKLOAD names
# the processes (a pattern of comm names) that must have run on the front end.
compare() {
	local rc workload=$1 verdict
	shift

	watched "$T/plain.out" "$T/plain.err" "$@"
	rc=$?
	if [ $rc -ne 0 ]; then
		show "$T/plain.err"
		die "the reference run on the host's malloc exited $rc: $*"
	fi
	rm -f "$T/report.txt"
	UKMEM_MALLOC_LIB=$LIB watched "$T/ukmem.out" "$T/ukmem.err" \
		"$UKMEM" run ${REAL_CMDLINE:+--cmdline "$REAL_CMDLINE"} \
		--follow-children --report "$T/report.txt" -- "$@"
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
	verdict=$(served "$workload") || die "$verdict"
	echo "ok ($CASE): $(wc -l <"$T/plain.out") output lines identical on the host's malloc and on ukmem;" \
	     "$(grep -c '^ukmem: report of pid' "$T/report.txt") process report(s) written; $verdict"
	echo "--- output:"
	head -n 30 "$T/ukmem.out"
}

# comm_of PATH: the name the kernel gives a process that execs PATH.
comm_of() {
	local b=${1##*/}
	echo "${b:0:15}"
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
	PYTHONMALLOC=malloc compare 'python.*' "$PY" "$HERE/py_threads.py" 2
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
	compare sqlite3 sh "$T/sqlite.sh"
	;;
sort)
	need sort
	need awk
	need sha256sum
	# About 17 MB, 300k lines, from a Park-Miller generator (exact in awk's
	# doubles), so every machine sorts the same file: large enough for
	# sort's buffers to leave the slab classes (and the buddy allocator:
	# they come from the host) and for its threads to share the work.
	awk -v n=300000 'BEGIN {
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
	compare sort sh "$T/sort.sh"
	;;
cxx)
	[ -n "$PROGRAM" ] || skip "no C++ compiler was found when the build was configured"
	[ -x "$PROGRAM" ] || die "$PROGRAM not built"
	compare "$(comm_of "$PROGRAM")" "$PROGRAM" 3
	;;
fork_exec)
	[ -x "$PROGRAM" ] || die "$PROGRAM not built"
	# 60 rounds: 20 of each kind of child, each fork landing wherever the
	# two allocating threads are.
	compare "$(comm_of "$PROGRAM")" "$PROGRAM" 60
	;;
xthread)
	[ -x "$PROGRAM" ] || die "$PROGRAM not built"
	compare "$(comm_of "$PROGRAM")" "$PROGRAM" 2 100000
	;;
boot_lines)
	FORK_PROGRAM=${5:-}
	[ -x "$PROGRAM" ] || die "$PROGRAM not built"
	[ -x "$FORK_PROGRAM" ] || die "the fork_exec program '$FORK_PROGRAM' not built"
	while read -r line; do
		case $line in ''|'#'*) continue ;; esac
		CASE="boot_lines: $line"
		REAL_CMDLINE=$line compare "$(comm_of "$PROGRAM")" "$PROGRAM" 2 20000
		REAL_CMDLINE=$line compare "$(comm_of "$FORK_PROGRAM")" "$FORK_PROGRAM" 9
	done <<'EOF'
slub_debug
slub_debug=P
slub_debug=FZ
init_on_alloc=1 init_on_free=1
slab_freelist_random=1 page_alloc.shuffle=1
kfence.sample_interval=1
kmemleak=on
page_poison=1 page_owner=on
debug_pagealloc=on
mem=1G movablecore=60%
slab_rseq=0 pcp_rseq=0
slab_max_order=0 slab_nomerge
numa=fake=2 slab_strict_numa
malloc.abort_on_corruption=0
lockdep.prove_locking=1 debug_atomic_sleep=1
EOF
	;;
*)
	echo "run_real.sh: unknown case '$CASE'" >&2
	exit 2
	;;
esac
exit 0
