#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The live view in a real terminal: tmux runs `ukmem run --top` on a
# program whose heap grows (grower.c); the test reads the screen as a user
# sees it (tmux capture-pane) and checks that the figures change from one
# refresh to the next, that the keys switch the views, that q gives the
# terminal back and the program's status comes back through run.  Then
# `ukmem top PID` and `ukmem show --pid` of a program started apart, and
# `ukmem ps` listing it.
#
#   top_tmux.sh UKMEM GROWER
#
# Exit 0 pass, 1 fail, 77 skipped (no tmux).  No clock: each wait polls
# the screen (or a file) every 0.2 s for at most POLLS rounds (default
# 600, KTEST_POLLS overrides) and fails as a hang when what it waits for
# has not come by then.
set -uo pipefail
UKMEM=$(realpath "$1")
GROWER=$(realpath "$2")
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "SKIPPED: tmux not found"; exit 77; }

dir=$(mktemp -d)
session="ukmem-top-$$"
export TMUX_TMPDIR=$dir		# a tmux server of our own, whatever else runs
cleanup() {
	touch "$dir/stop" "$dir/stop2"
	tmux kill-server 2>/dev/null
	[ -n "${bg:-}" ] && kill "$bg" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*"
	echo "--- the screen:"
	tmux capture-pane -p -t "$session" 2>/dev/null | sed 's/^/    | /'
	exit 1
}

screen() { tmux capture-pane -p -t "$session"; }

# wait_for REGEX WHAT: until the screen matches, at most $POLLS polls.
wait_for() {
	local now i
	for ((i = 0; i < POLLS; i++)); do
		now=$(screen 2>/dev/null) || fail "tmux session gone while waiting for $2"
		grep -Eq -- "$1" <<<"$now" && return 0
		sleep 0.2
	done
	fail "HANG: no $2 after $POLLS polls"
}

# The ACTIVE column of cache $1 on the screen.
active_of() {
	screen | awk -v c="$1" '$NF == c { print $2; exit }'
}

tmux new-session -d -s "$session" -x 150 -y 45 \
	"'$UKMEM' run --report /dev/null --top --interval 0.3 -- '$GROWER' '$dir/stop'; echo UKMEM-EXIT=\$? >'$dir/exit'; sleep 600" ||
	fail "tmux did not start"

wait_for "^ukmem top - pid [0-9]+ \(grower\)" "the view's title"
wait_for " malloc-112$" "the 100-byte blocks' cache"
first=$(active_of malloc-112)
[ -n "$first" ] || fail "no ACTIVE figure for malloc-112"
echo "ok   the view shows grower's caches (malloc-112: $first active objects)"
wait_for "rate: pages in use \+[1-9]" "a positive allocation rate"
# The figures change from one refresh to the next.
grown() {
	now=$(active_of malloc-112)
	[ -n "$now" ] && [ "$now" -gt "$first" ]
}
wait_until grown "growth of malloc-112 beyond $first active objects"
echo "ok   the figures change: malloc-112 went from $first to $now active objects"
grep -Eq "^ +[0-9]+ +[0-9]+ +[0-9]+% .* \+[1-9][0-9]* malloc-112$" <<<"$(screen)" ||
	wait_for "\+[1-9][0-9]* malloc-112$" "malloc-112's growth column"
echo "ok   the growth column shows the new objects"

tmux send-keys -t "$session" 2
wait_for "view: zones" "the zones view after '2'"
wait_for "free blocks per order" "the zones view's table"
wait_for "^0 +Normal|^0 +DMA32" "a zone line"
echo "ok   '2' shows the zones"
tmux send-keys -t "$session" 3
wait_for "COUNT +HIGH +BATCH +FILL" "the pcp view after '3'"
echo "ok   '3' shows the per-CPU lists"
tmux send-keys -t "$session" Tab
wait_for "view: caches" "the caches view after Tab"
tmux send-keys -t "$session" n
wait_for "NAME" "the caches sorted by name"
echo "ok   Tab cycles back to the caches"

tmux send-keys -t "$session" q
wait_until '! screen | grep -q "^ukmem top - "' "the terminal given back"
[ ! -e "$dir/exit" ] || fail "run ended before its program"
touch "$dir/stop"
wait_until '[ -s "$dir/exit" ]' "exit status of run"
grep -q "UKMEM-EXIT=0" "$dir/exit" || fail "run's status: $(cat "$dir/exit")"
echo "ok   q ends the view, run waits for the program and returns its status 0"

# A program started apart: top PID, show --pid, ps.
"$UKMEM" run --report /dev/null -- "$GROWER" "$dir/stop2" &
bg=$!
pid=""
wait_until 'pid=$(pgrep -P "$bg" -x grower)' "program started apart"
if [ "$(id -u)" = 0 ] || [ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" = 0 ]; then
	shown() {
		"$UKMEM" show slabinfo --pid "$pid" >"$dir/slabinfo" 2>&1 && return 0
		grep -q "booting\|not running on ukmem" "$dir/slabinfo" || fail "show --pid: $(cat "$dir/slabinfo")"
		return 1
	}
	wait_until shown "slabinfo of $pid"
	grep -q "^slabinfo - version: 2.1" "$dir/slabinfo" || fail "show slabinfo --pid: $(head -3 "$dir/slabinfo")"
	echo "ok   ukmem show slabinfo --pid of a program started apart"
	"$UKMEM" ps >"$dir/ps"
	grep -Eq "^ *$pid grower" "$dir/ps" || fail "ukmem ps does not list $pid: $(cat "$dir/ps")"
	echo "ok   ukmem ps lists it"
	tmux new-window -t "$session" "'$UKMEM' top --interval 0.3 $pid; sleep 600"
	wait_for "^ukmem top - pid $pid \(grower\)" "ukmem top PID's title"
	wait_for " malloc-112$" "ukmem top PID's caches"
	tmux send-keys -t "$session" q
	wait_until '! screen | grep -q "^ukmem top - pid $pid"' "the terminal given back by ukmem top"
	echo "ok   ukmem top PID"
else
	echo "note: ptrace_scope forbids reading a process started apart; top PID not tested"
fi
touch "$dir/stop2"
wait "$bg" || fail "the program started apart exited with $?"
bg=""
echo "all checks passed"
