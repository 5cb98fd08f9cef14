#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run a sample module program and check what it printed.
#   run_sample.sh ukdrv PROGRAM       loads, works, unloads cleanly
#   run_sample.sh module_fail PROGRAM a failed init is a failed insmod
set -uo pipefail
case_=$1 prog=$2
out=$(UKMEM_CMDLINE="mem=128M loglevel=7" "$prog" 2>&1)
rc=$?
echo "$out"
fail() { echo "FAIL ($case_): $*"; exit 1; }
if grep -Eq 'BUG|WARNING|Objects remaining|DMA-API' <<<"$out"; then
	fail "a report in the output"
fi
case $case_ in
ukdrv)
	[ "$rc" = 0 ] || fail "exit $rc"
	grep -q "ukdrv ukdrv0: registers at 0x100000000" <<<"$out" || fail "no dev_info line"
	grep -q "ukdrv: loaded: 8 packets sent at init" <<<"$out" || fail "module_init did not run first"
	grep -q "platform: 1008 packets through ukdrv, ok" <<<"$out" || fail "main's checks"
	grep -q "ukdrv: unloaded: 1008 packets, 11106 bytes" <<<"$out" || fail "module_exit did not run at exit"
	;;
module_fail)
	[ "$rc" = 1 ] || fail "exit $rc, expected insmod's 1"
	grep -q "insmod: ERROR: could not insert module module_fail: Cannot allocate memory" <<<"$out" ||
		fail "no insmod error"
	grep -q "ran after a failed" <<<"$out" && fail "main or module_exit ran"
	;;
esac
echo "ok"
