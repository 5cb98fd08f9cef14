#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tests/headers/strict.sh SRC BUILD CC... - every public header, included
# alone, and tests/headers/strict_use.c (the headers' macros and inline
# functions as a program uses them) compile without a warning under the
# flags a careful project builds with: -Wall -Wextra -Werror and a few
# more (and once more with -fsanitize=thread).  A program that includes
# <linux/slab.h> must not fail its own
# -Werror build because of ukmem (an inline's unused parameter did).
# Each compiler given is tried (the build's, and clang where it exists).
set -u
src=$1 build=$2
shift 2
flags=(-std=gnu11 -Wall -Wextra -Wshadow -Wredundant-decls -Wstrict-prototypes
       -Wmissing-prototypes -Wundef -Werror -fsyntax-only
       -I"$src/include" -I"$build/include")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for cc in "$@"; do
	command -v "$cc" >/dev/null 2>&1 || { echo "skip: $cc not found"; continue; }
	(cd "$src/include" && find linux asm ukmem -name '*.h' | sort) >"$tmp/headers"
	while read -r h; do
		echo "#include <$h>" >"$tmp/one.c"
		if ! "$cc" "${flags[@]}" "$tmp/one.c" >"$tmp/out" 2>&1; then
			echo "FAIL [$cc] <$h> alone:"
			head -5 "$tmp/out"
			fail=1
		fi
		# Strict ISO C too (-std=c11: no GNU keywords, no POSIX names
		# from the C library's headers unless asked for).
		if ! "$cc" "${flags[@]}" -std=c11 "$tmp/one.c" >"$tmp/out" 2>&1; then
			echo "FAIL [$cc -std=c11] <$h> alone:"
			head -5 "$tmp/out"
			fail=1
		fi
	done <"$tmp/headers"
	if ! "$cc" "${flags[@]}" "$src/tests/headers/strict_use.c" >"$tmp/out" 2>&1; then
		echo "FAIL [$cc] tests/headers/strict_use.c:"
		head -20 "$tmp/out"
		fail=1
	fi
	# Compiled for ThreadSanitizer too: gcc's -Wtsan warns at code
	# generation where an inline uses a fence TSan does not model
	# (refcount_dec_and_test and rcu_read_lock did).
	tsan_flags=()
	for f in "${flags[@]}"; do
		[ "$f" = -fsyntax-only ] || tsan_flags+=("$f")
	done
	if "$cc" -fsanitize=thread -x c -c -o /dev/null /dev/null >/dev/null 2>&1 &&
	   ! "$cc" "${tsan_flags[@]}" -fsanitize=thread -c -o "$tmp/tsan.o" \
		"$src/tests/headers/strict_use.c" >"$tmp/out" 2>&1; then
		echo "FAIL [$cc -fsanitize=thread] tests/headers/strict_use.c:"
		head -20 "$tmp/out"
		fail=1
	fi
	echo "checked $(wc -l <"$tmp/headers") headers and strict_use.c with $cc"
done
exit $fail
