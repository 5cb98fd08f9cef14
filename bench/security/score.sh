#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The heap-corruption score: tests/malloc_harden's case table (the classes
# of mimalloc-bench's bench/security, 116 programs' worth: 37 at 8 bytes,
# 4 KiB and 256 KiB, and 5 C++ ones) run against glibc's malloc, ukmem by
# default, ukmem under slab_debug=FZPU, and whichever of jemalloc,
# tcmalloc and mimalloc are installed; a case is caught when the program
# is stopped before it can go on (a signal, or an allocation refused).
#
#   bash bench/security/score.sh [BUILD_DIR] [-v]     (default: build)
#
# -v lists every case with what stopped it (the front end's line).  Each
# case is a fresh process (malloc_harden --case NAME), so one allocator's
# state never leaks into another case.
set -uo pipefail

BUILD=${1:-build}
VERBOSE=0
[ "${2:-}" = -v ] && VERBOSE=1
BIN=$BUILD/tests/malloc_harden
LIB=$BUILD/libukmem-malloc.so

if [ ! -x "$BIN" ] || [ ! -r "$LIB" ]; then
	echo "score.sh: $BIN or $LIB not built; skipped"
	exit 0
fi
LIB=$(cd "$(dirname "$LIB")" && pwd)/$(basename "$LIB")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

find_lib() {
	ldconfig -p 2>/dev/null | awk -v n="$1" '$1 == n { print $NF; exit }'
}

run() {
	local name=$1; shift
	env "$@" "$BIN" --score >"$T/$name" 2>/dev/null
	printf '%-22s %s\n' "$name" "$(tail -n 1 "$T/$name")"
}

echo "heap corruption caught (tests/malloc_harden.c, the classes of mimalloc-bench's bench/security):"
run glibc
for peer in jemalloc:libjemalloc.so.2 tcmalloc:libtcmalloc_minimal.so.4 mimalloc:libmimalloc.so.2; do
	path=$(find_lib "${peer#*:}")
	[ -n "$path" ] && run "${peer%%:*}" LD_PRELOAD="$path"
done
run ukmem LD_PRELOAD="$LIB"
run "ukmem slab_debug=FZPU" LD_PRELOAD="$LIB" UKMEM_CMDLINE="${UKMEM_CMDLINE:+$UKMEM_CMDLINE }slab_debug=FZPU"
if [ "$VERBOSE" = 1 ]; then
	echo
	echo "ukmem, by default:"
	sed '$d' "$T/ukmem" | sed 's/0x[0-9a-f]*/0x.../g'
	echo
	echo "ukmem, slab_debug=FZPU:"
	sed '$d' "$T/ukmem slab_debug=FZPU" | sed 's/0x[0-9a-f]*/0x.../g'
fi
exit 0
