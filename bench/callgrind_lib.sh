# SPDX-License-Identifier: MIT
#
# What bench/callgrind*.sh share, sourced by each: the checks before a
# count, and the count of one run.
#
#   cg_require NAME FILE...   exit 0 ("skipped") unless every FILE exists
#                             and valgrind runs (installed with apt-get
#                             when missing and the script runs as root)
#   cg_total OUTFILE          the Ir total callgrind wrote to OUTFILE

cg_require() {
	local name=$1 f
	shift
	for f in "$@"; do
		if [ ! -e "$f" ]; then
			echo "$name: $f not built; skipped"
			exit 0
		fi
	done
	if ! command -v valgrind >/dev/null 2>&1 && [ "$(id -u)" = 0 ] &&
	   command -v apt-get >/dev/null 2>&1; then
		echo "$name: installing valgrind"
		apt-get install -y -qq valgrind >/dev/null 2>&1 ||
			{ apt-get update -qq >/dev/null 2>&1 &&
			  apt-get install -y -qq valgrind >/dev/null 2>&1; }
	fi
	if ! command -v valgrind >/dev/null 2>&1; then
		echo "$name: valgrind not found (apt-get install valgrind); skipped"
		exit 0
	fi
}

# "summary: 123" (older valgrind: "totals: 123"); the first event is Ir.
cg_total() {
	awk '/^(summary|totals):/ { print $2; exit }' "$1"
}
