#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The exported symbols of libukmem.so and libukmem-malloc.so, checked
# against the lists in abi/: an export that appears (a symbol made public
# by accident, or an internal that slipped out of the private node) or
# disappears (an ABI break) fails, with the difference.  Also: every
# symbol that the objects make visible (the declarations between
# UKMEM_API_BEGIN and UKMEM_API_END in the public headers) must be
# exported by abi/libukmem.map, so an API added to a header but not to the
# map - which programs could not link against - fails too.
#
#   check_abi.sh SOURCE_DIR LIBUKMEM_SO LIBUKMEM_A [LIBUKMEM_MALLOC_SO]
#
# To accept a change on purpose: edit abi/libukmem.map, rebuild, and
# regenerate the lists with ABI_UPDATE=1 (then review the diff).
set -uo pipefail
src=$1 so=$2 ar=$3 malloc_so=${4:-}
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in nm readelf; do
	command -v $tool >/dev/null 2>&1 || { echo "SKIPPED: $tool (binutils) not found"; exit 77; }
done

# "VERSION name" per exported symbol ("-" for none), sorted.
exports() {
	nm -D --defined-only --with-symbol-versions "$1" |
		awk '$2 != "A" { n = $3; v = "-"; i = index(n, "@");
			if (i) { v = substr(n, i); sub(/^@+/, "", v); n = substr(n, 1, i - 1) }
			print v, n }' | LC_ALL=C sort
}

compare() {	# compare LIST_FILE GENERATED NAME
	if [ "${ABI_UPDATE:-}" = 1 ]; then
		cp "$2" "$1"
		echo "updated $1"
		return
	fi
	if diff -u "$1" "$2" >"$tmp/diff"; then
		echo "ok   $3 exports exactly $(wc -l <"$1") symbols of $(basename "$1")"
	else
		echo "FAIL $3: its exports differ from $1 (- listed, + exported):"
		grep '^[-+][^-+]' "$tmp/diff" | sed 's/^/     /'
		fails=$((fails + 1))
	fi
}

exports "$so" >"$tmp/libukmem.symbols"
compare "$src/abi/libukmem.symbols" "$tmp/libukmem.symbols" "libukmem.so"
if [ -n "$malloc_so" ]; then
	exports "$malloc_so" >"$tmp/libukmem-malloc.symbols"
	compare "$src/abi/libukmem-malloc.symbols" "$tmp/libukmem-malloc.symbols" "libukmem-malloc.so"
fi

# Visible in the objects (default visibility, defined, global or weak).
readelf -sW "$ar" 2>/dev/null |
	awk '($5 == "GLOBAL" || $5 == "WEAK") && $6 == "DEFAULT" && $7 != "UND" { print $8 }' |
	LC_ALL=C sort -u >"$tmp/visible"
awk '{ print $2 }' "$tmp/libukmem.symbols" | LC_ALL=C sort -u >"$tmp/exported"
# verdict LIST OK_LINE FAIL_LINE...: the list is what is wrong (empty: ok).
verdict() {
	local list=$1 ok=$2
	shift 2
	if [ -n "$list" ]; then
		printf '%s\n' "$@"
		echo "$list" | sed 's/^/     /'
		fails=$((fails + 1))
	else
		echo "ok   $ok"
	fi
}
verdict "$(LC_ALL=C comm -23 "$tmp/visible" "$tmp/exported")" \
	"every symbol the public headers make visible is exported" \
	"FAIL public in the headers but not exported by abi/libukmem.map (add them to the map:" \
	"     UKMEM_0.1 for API, UKMEM_PRIVATE_0.1.0 for what only inline code reaches):"
# Named by the public headers' code and macros (comments stripped by the preprocessor;
# struct, union and enum tags are not symbols) but hidden in the library: a
# program built against the shared library cannot link (is_vmalloc_addr()
# once read ukmem_vmalloc_start, defined where vmalloc.h was not included).
if command -v cc >/dev/null 2>&1 && [ -d "$src/include" ]; then
	readelf -sW "$ar" 2>/dev/null |
		awk '$5 == "GLOBAL" && $6 == "HIDDEN" && $7 != "UND" { print $8 }' |
		LC_ALL=C sort -u >"$tmp/hidden"
	for h in "$src"/include/linux/*.h "$src"/include/asm/*.h "$src"/include/ukmem/*.h; do
		echo "#include <${h#"$src"/include/}>"
	done >"$tmp/all.c"
	version_dir=$(dirname "$so")/include
	if cc -E -dD -P -D_GNU_SOURCE -I"$src/include" -I"$version_dir" "$tmp/all.c" >"$tmp/all.i" 2>"$tmp/cc.err"; then
		grep -oE '(struct|union|enum)[[:space:]]+[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*' \
			"$tmp/all.i" | grep -vE '^(struct|union|enum)[[:space:]]' | LC_ALL=C sort -u >"$tmp/named"
		verdict "$(LC_ALL=C comm -12 "$tmp/hidden" "$tmp/named")" \
			"nothing the public headers name is hidden in the library" \
			"FAIL named by the public headers but hidden in the library (declare them" \
			"     between UKMEM_API_BEGIN and UKMEM_API_END where they are defined too):"
	else
		echo "FAIL the public headers do not preprocess together:"
		sed 's/^/     /' "$tmp/cc.err" | head -10
		fails=$((fails + 1))
	fi
fi
# Every function the public headers declare extern is defined and exported
# (GCC's -aux-info lists the prototypes), except the kernel's link-time
# traps that a misuse calls (their undefined reference is the error).
if command -v cc >/dev/null 2>&1 && [ -s "$tmp/all.c" ] &&
   cc -c -D_GNU_SOURCE -I"$src/include" -I"$version_dir" -aux-info "$tmp/aux" "$tmp/all.c" \
      -o /dev/null 2>/dev/null; then
	# A function returning a pointer to an array (kmem_buckets *) reads
	# "extern kmem_buckets (*NAME (...))": the name is inside the parentheses.
	grep -F "$src/include/" "$tmp/aux" | grep -F '*/ extern ' |
		sed -E -e 's/^\/\*[^*]*\*\/ extern [^(]*\(\*([A-Za-z_][A-Za-z0-9_]*) \(.*/\1/' -e 't' \
			-e 's/^\/\*[^*]*\*\/ extern ([^(]*[ *])?([A-Za-z_][A-Za-z0-9_]*) \(.*/\2/' |
		grep -vE '^(__bad_size_call_parameter|__you_cannot_.*)$' | LC_ALL=C sort -u >"$tmp/declared"
	verdict "$(LC_ALL=C comm -23 "$tmp/declared" "$tmp/exported")" \
		"every function the public headers declare is exported ($(wc -l <"$tmp/declared"))" \
		"FAIL declared by the public headers but not exported by libukmem.so (a program" \
		"     using them cannot link):"
fi
[ "$fails" = 0 ] || exit 1
