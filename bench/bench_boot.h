/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_boot.h - the benchmarks' boot: their own command line, then
 * whatever BENCH_CMDLINE adds (bench/callgrind*.sh pass slab_rseq=fake
 * through it to count the rseq fast path under valgrind); and the timing
 * helpers newer benchmarks share.
 */
#ifndef _BENCH_BOOT_H
#define _BENCH_BOOT_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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

/* A monotonic clock in nanoseconds, for timing loops. */
static inline double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* qsort() order of doubles, for medians. */
static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#endif /* _BENCH_BOOT_H */
