#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tests/headers/names.sh SRC BUILD CC - every name tests/headers/kernel_names.txt
# lists for a header is visible to a file that includes only that header:
# kernel code written against the kernel's headers finds its names where
# the kernel gives them, or it does not compile.  One compile per header;
# when one fails, each of its names is tried alone to say which is missing.
set -u
src=$1 build=$2 cc=$3
list="$src/tests/headers/kernel_names.txt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags=(-std=gnu11 -fsyntax-only -w -I"$src/include" -I"$build/include")

# One check per name: a macro is enough as it is, anything else must have
# an address (a function, inline or not, or a variable).
check_line() {	# NAME INDEX
	printf '#if !defined(%s)\n__attribute__((used)) static const void *const name_%s = (const void *)&%s;\n#endif\n' \
		"$1" "$2" "$1"
}

fail=0 total=0
headers=$(grep -v '^#' "$list" | sed -n 's/^\([^:]*\):.*/\1/p' | awk '!seen[$0]++')
for h in $headers; do
	names=$(grep "^$h:" "$list" | sed 's/^[^:]*://' | tr -s ' \n' '\n' | grep -v '^$')
	{
		echo "#include <linux/$h>"
		i=0
		for n in $names; do check_line "$n" $i; i=$((i + 1)); done
	} >"$tmp/all.c"
	total=$((total + $(echo "$names" | wc -l)))
	"$cc" "${flags[@]}" "$tmp/all.c" >/dev/null 2>&1 && continue
	for n in $names; do
		{ echo "#include <linux/$h>"; check_line "$n" 0; } >"$tmp/one.c"
		if ! "$cc" "${flags[@]}" "$tmp/one.c" >/dev/null 2>&1; then
			echo "FAIL <linux/$h> does not give $n"
			fail=1
		fi
	done
done
echo "checked $total names in $(echo "$headers" | wc -w) headers with $cc"
exit $fail
