#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The ukmem command's interface: --version, usage errors (exit 2 with a
# message saying what is wrong), UKMEM_CMDLINE honoured by show and demo,
# run's checks before it starts a program (its report file, its command
# line, refused as show refuses it, a mem= below the minimum naming the
# minimum), the report names show lists, and the manual page generated
# from the help text.
#
#   cli.sh UKMEM [MAN_PAGE]
#
# Exit 0 pass, 1 fail.  Each check prints one line; a failure prints what
# the command said.
set -uo pipefail

UKMEM=$(realpath "$1")
MAN=${2:-}
fails=0
out=$(mktemp)
scratch=$(mktemp -d)
trap 'rm -rf "$out" "$scratch"' EXIT

# expect RC DESCRIPTION CMD...: the command exits RC.
expect() {
	local want=$1 what=$2 rc
	shift 2
	"$@" >"$out" 2>&1
	rc=$?
	if [ "$rc" = "$want" ]; then
		echo "ok   $what"
	else
		echo "FAIL $what: exit $rc, expected $want; it said:"
		sed 's/^/     | /' "$out" | head -20
		fails=$((fails + 1))
	fi
}

# said REGEX DESCRIPTION: the last command's output matches REGEX.
said() {
	if grep -Eq -- "$1" "$out"; then
		echo "ok   $2"
	else
		echo "FAIL $2: no line matches /$1/ in:"
		sed 's/^/     | /' "$out" | head -20
		fails=$((fails + 1))
	fi
}

expect 0 "--version" "$UKMEM" --version
said '^ukmem [0-9]+\.[0-9]+\.[0-9]+$' "--version prints the version"

expect 2 "an unknown command" "$UKMEM" frobnicate
expect 2 "no command at all (a usage error)" "$UKMEM"
said "usage|Usage|ukmem COMMAND|commands" "no command prints the usage"
expect 2 "show: an unknown option" "$UKMEM" show meminfo --bogus
said "unknown option '--bogus'" "show names the unknown option"
expect 2 "show: an unknown option before the name" "$UKMEM" show -x meminfo
expect 2 "demo: an unknown option" "$UKMEM" demo --bogus
said "unknown option '--bogus'" "demo names the unknown option"
expect 2 "demo: an unexpected argument" "$UKMEM" demo meminfo
expect 2 "show: no report name" "$UKMEM" show
expect 2 "show: --cmdline without a value" "$UKMEM" show meminfo --cmdline
said "'--cmdline' needs a value" "show says --cmdline needs a value"
expect 2 "run: --report without a value" "$UKMEM" run --report
said "'--report' needs a value" "run says --report needs a value"
expect 2 "run: an unknown option" "$UKMEM" run --bogus -- true
expect 2 "run: no program" "$UKMEM" run --report stderr
# The program's fate, passed on and said (sanitizer builds have no malloc
# front end to preload: not there).
"$UKMEM" run --report /dev/null -- true >"$out" 2>&1
if grep -q "cannot find libukmem-malloc.so" "$out"; then
	echo "skip run: exit statuses and messages of its program (no libukmem-malloc.so in this build)"
else
	expect 127 "run: a program that is not there" "$UKMEM" run --report /dev/null -- /nonexistent/prog
	said "^ukmem run: /nonexistent/prog: No such file or directory" "run says its program is not there"
	if grep -q "no report from" "$out"; then
		echo "FAIL run: a program that never ran is said to have written no report"
		fails=$((fails + 1))
	fi
	printf 'data\n' >"$scratch/not_executable"
	chmod 644 "$scratch/not_executable"
	expect 126 "run: a file that cannot be run" "$UKMEM" run --report /dev/null -- "$scratch/not_executable"
	expect 139 "run: a program killed by SIGSEGV (128+11)" \
		"$UKMEM" run --report /dev/null -- sh -c 'kill -SEGV $$'
	said "^ukmem run: sh: Segmentation fault" "run names the signal that killed its program"
	said "^ukmem run: no report from sh: it ended without exit" "run says its program wrote no report"
fi

expect 2 "show: an unknown report" "$UKMEM" show nosuchreport --cmdline "mem=64M"
said "no report named 'nosuchreport'" "show names the unknown report"
said "slab/CACHE/alloc_traces" "show lists the slab/CACHE/alloc_traces files"
said "slab/CACHE/free_traces" "show lists the slab/CACHE/free_traces files"
said "slabinfo" "show lists slabinfo"

# sysctl (ported onto the common option parser): as sysctl(8) prints it,
# usage errors exit 2, an unknown name 1.
expect 0 "sysctl sets and reads" "$UKMEM" sysctl --cmdline "mem=64M" vm.watermark_scale_factor=20 vm.watermark_scale_factor
said "^vm.watermark_scale_factor = 20$" "sysctl prints name = value"
expect 0 "sysctl -a" "$UKMEM" sysctl --cmdline "mem=64M" -a
said "^vm.min_free_kbytes = [0-9]+$" "sysctl -a lists vm.min_free_kbytes"
expect 1 "sysctl: an unknown name" "$UKMEM" sysctl --cmdline "mem=64M" vm.bogus
said "vm.bogus: no such sysctl" "sysctl names the unknown sysctl"
expect 0 "sysctl: a sysctl.NAME the boot refused" "$UKMEM" sysctl --cmdline "mem=64M sysctl.vm.bogus=1" vm.min_free_kbytes
said "Failed to set sysctl parameter 'vm.bogus=1': parameter not found" "sysctl shows the boot's warning"
expect 2 "sysctl without a name" "$UKMEM" sysctl
expect 2 "sysctl: an unknown option" "$UKMEM" sysctl --bogus vm.panic_on_oom
expect 2 "demo pressure: an unexpected argument" "$UKMEM" demo pressure now
expect 0 "demo pressure on a machine of 8 MiB (outside testing: it exited 1 there)" "$UKMEM" demo pressure --cmdline mem=8M
said "Allocations that failed: 0" "demo pressure: no allocation failed"

# Output that cannot be written is a failure (docs/cli.md: exit 1 when a file fails).
if [ -w /dev/full ]; then
	expect 1 "show: output to a full device" sh -c "\"\$0\" show meminfo --cmdline mem=64M >/dev/full" "$UKMEM"
	said "standard output: No space left on device" "show: the lost output is named"
	expect 1 "help: output to a full device" sh -c "\"\$0\" help >/dev/full" "$UKMEM"
fi
expect 1 "symbolize: a missing executable" "$UKMEM" symbolize --exe "$scratch/no-such-exe" /dev/null
said "no-such-exe: No such file or directory" "symbolize names the missing file, not a symbol table"
expect 2 "symbolize: a --base that is no number" "$UKMEM" symbolize --exe /bin/sh --base zz /dev/null
said "base needs a hexadecimal offset, not 'zz'" "symbolize says what is wrong with --base"
expect 1 "demo: a map that cannot be written" "$UKMEM" demo --cmdline mem=64M --map "$scratch/no/such/dir/d.svg"
said "no picture of the workload's memory" "demo says the map was not drawn"

# UKMEM_CMDLINE: show and demo boot with it unless --cmdline is given.
expect 0 "show honours UKMEM_CMDLINE" env UKMEM_CMDLINE="mem=64M" "$UKMEM" show meminfo
said '^MemTotal: +[0-9]{5} kB$' "MemTotal of a mem=64M machine (under 100000 kB)"
expect 0 "--cmdline wins over UKMEM_CMDLINE" env UKMEM_CMDLINE="mem=64M" "$UKMEM" show meminfo --cmdline "mem=1G"
said '^MemTotal: +[0-9]{6,7} kB$' "MemTotal of a mem=1G machine"
expect 1 "demo honours UKMEM_CMDLINE (a refused one)" env UKMEM_CMDLINE="mem=abc" "$UKMEM" demo
said "Malformed early option 'mem'" "demo says why"

# Command lines the boot refuses: the same answer from show and run.
expect 1 "show: mem=abc refused" "$UKMEM" show meminfo --cmdline "mem=abc"
said "Malformed early option 'mem'" "show: mem=abc is malformed"
expect 1 "run: mem=abc refused before the program runs" "$UKMEM" run --cmdline "mem=abc" -- touch "$scratch/ran"
said "Malformed early option 'mem'" "run: mem=abc is malformed"
if [ -e "$scratch/ran" ]; then
	echo "FAIL run started the program with a refused command line"
	fails=$((fails + 1))
fi
expect 1 "run: mem=1M refused" "$UKMEM" run --cmdline "mem=1M" -- true
said "mem=1M is below the minimum of [0-9]+ MiB" "run names the minimum"
expect 1 "run: mem=1M refused, loglevel=0 too" "$UKMEM" run --cmdline "mem=1M loglevel=0" -- true
said "below the minimum of [0-9]+ MiB" "run names the minimum whatever the loglevel"
expect 1 "run: UKMEM_CMDLINE checked as --cmdline" env UKMEM_CMDLINE="mem=1M" "$UKMEM" run -- true
said "below the minimum of [0-9]+ MiB" "run names the minimum of UKMEM_CMDLINE"
expect 1 "show: mem=1M refused" "$UKMEM" show meminfo --cmdline "mem=1M"
said "below the minimum of [0-9]+ MiB" "show names the minimum"

# The report file: refused before the program runs when it cannot be written.
expect 1 "run: --report to a directory that does not exist" \
	"$UKMEM" run --report /nonexistent/dir/report -- touch "$scratch/ran"
said "cannot write the report to /nonexistent/dir/report" "run says it cannot write the report"
if [ -e "$scratch/ran" ]; then
	echo "FAIL run started the program though its report could not be written"
	fails=$((fails + 1))
fi
# A relative report path is the caller's, not the program's directory
# (sanitizer builds have no malloc front end to preload: not there).
( cd "$scratch" && mkdir -p sub && "$UKMEM" run --report rel.txt -- sh -c 'cd sub && ls >/dev/null' ) >"$out" 2>&1
if grep -q "cannot find libukmem-malloc.so" "$out"; then
	echo "skip run: a relative --report (no libukmem-malloc.so in this build)"
elif grep -q "report of pid .* (ls)" "$scratch/rel.txt" 2>/dev/null && [ ! -e "$scratch/sub/rel.txt" ]; then
	echo "ok   run: a relative --report is relative to where ukmem ran"
else
	echo "FAIL run: the relative report went elsewhere"; ls -R "$scratch" | sed 's/^/     | /'
	fails=$((fails + 1))
fi

# --report stdout: the report on standard output by name (no /dev/stdout
# needed), nothing of it on stderr; and not a file called "stdout".
( cd "$scratch" && "$UKMEM" run --report stdout -- true >"$scratch/so.txt" 2>"$scratch/se.txt" )
if grep -q "cannot find libukmem-malloc.so" "$scratch/se.txt"; then
	echo "skip run: --report stdout (no libukmem-malloc.so in this build)"
elif grep -q "report of pid .* (true)" "$scratch/so.txt" && ! grep -q "report of pid" "$scratch/se.txt" &&
     [ ! -e "$scratch/stdout" ]; then
	echo "ok   run: --report stdout"
else
	echo "FAIL run: --report stdout"; sed 's/^/     | /' "$scratch/so.txt" "$scratch/se.txt"
	fails=$((fails + 1))
fi

expect 0 "help --man" "$UKMEM" help --man
said '^\.TH UKMEM 1 ' "help --man is roff with a .TH line"
said '^ukmem run ' "the manual has run's synopsis"
if [ -n "$MAN" ]; then
	if cmp -s "$out" "$MAN"; then
		echo "ok   the built manual page is help --man's output"
	else
		echo "FAIL $MAN differs from \`ukmem help --man\`"
		fails=$((fails + 1))
	fi
fi
if command -v man >/dev/null 2>&1 && [ -n "$MAN" ]; then
	if MANWIDTH=80 man --warnings -l "$MAN" 2>"$out.err" >/dev/null && [ ! -s "$out.err" ]; then
		echo "ok   man renders ukmem.1 without warnings"
	else
		echo "FAIL man warns about ukmem.1:"; sed 's/^/     | /' "$out.err"
		fails=$((fails + 1))
	fi
	rm -f "$out.err"
fi

if [ "$fails" != 0 ]; then
	echo "$fails check(s) failed"
	exit 1
fi
echo "all checks passed"
