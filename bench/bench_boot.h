/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_boot.h - the benchmarks' boot: their own command line, then
 * whatever BENCH_CMDLINE adds (bench/callgrind*.sh pass slab_rseq=fake
 * through it to count the rseq fast path under valgrind).
 */
#ifndef _BENCH_BOOT_H
#define _BENCH_BOOT_H

#include <stdio.h>
#include <stdlib.h>

#include <ukmem/boot.h>

static inline int bench_boot(const char *cmdline)
{
	const char *extra = getenv("BENCH_CMDLINE");
	char buf[512];

	if (!extra || !extra[0])
		return ukmem_boot(cmdline);
	snprintf(buf, sizeof(buf), "%s %s", cmdline, extra);
	return ukmem_boot(buf);
}

#endif /* _BENCH_BOOT_H */
