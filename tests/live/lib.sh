# SPDX-License-Identifier: MIT
#
# What the live-view tests share (sourced by top_tmux.sh, map.sh, plot.sh).
# The sourcing script defines fail MESSAGE (print, exit 1) first.

POLLS=${KTEST_POLLS:-600}

# wait_until CMD WHAT: until CMD succeeds, polling every 0.2 s at most
# $POLLS times; no clock: a wait that does not end is failed as a hang.
wait_until() {
	local i
	for ((i = 0; i < POLLS; i++)); do
		eval "$1" && return 0
		sleep 0.2
	done
	fail "HANG: no $2 after $POLLS polls"
}

# well_formed SVG: python3's XML parser when there is one, else the tags balance.
well_formed() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$1"
	else
		local tags open close
		tags=$(grep -o '<[^>]*>' "$1" | grep -v '^<?\|/>$')
		open=$(grep -vc '^</' <<<"$tags")
		close=$(grep -c '^</' <<<"$tags")
		[ "$open" = "$close" ] && [ "$open" -gt 2 ]
	fi
}
