/* SPDX-License-Identifier: MIT */
/*
 * bench_reclaim - how soon kswapd answers (mm/vmscan.c).
 *
 * A cache of 1 KiB objects with a shrinker fills the machine (mem=256M)
 * to a little above the low watermark; then the program takes pages one
 * at a time until an allocation finds every zone below low: the slow path
 * wakes kswapd (or, the first time, starts it) and stamps the time
 * (pgdat->kswapd_wake_ns); kswapd stamps the moment it starts reclaiming
 * (kswapd_reclaim_ns).  The difference is the latency from crossing the
 * low watermark to kswapd's first reclaim.  Then the pages are given back,
 * kswapd finishes and sleeps its full sleep, and the round repeats.
 * Reported: the first round (thread creation included), then the median,
 * 90th percentile and maximum of the others, in microseconds.  Rounds
 * where kswapd was already awake (nothing to wake) are not counted.
 *
 *   bench_reclaim [--rounds N] [--smoke]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/mm.h>
#include <ukmem/boot.h>
#include "mm/internal.h"
#include "tools/shrinker_cache.h"

static struct shrinker_cache bc;
static struct page *held[65536];
static int nr_held;

/* Some zone passes the fast path's low watermark, with @margin pages to spare. */
static bool above_low(unsigned long margin)
{
	struct zone *zone;

	for_each_populated_zone(zone)
		if (zone_watermark_ok(zone, 0, low_wmark_pages(zone) + margin, ZONE_NORMAL, 0))
			return true;
	return false;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	pg_data_t *pgdat;
	double lat[1000], first = -1;
	int rounds = 200, n = 0, r, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--smoke"))
			rounds = 3;
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = atoi(argv[++i]);
	}
	if (rounds < 2 || rounds > 1000)
		rounds = 200;
	if (ukmem_boot("mem=256M")) {
		fprintf(stderr, "bench_reclaim: boot failed\n");
		return 1;
	}
	pgdat = NODE_DATA(0);
	if (shrinker_cache_init(&bc, "bench_reclaim", 1024))
		return 1;

	for (r = 0; r < rounds; r++) {
		u64 wake_before = pgdat->kswapd_wake_ns, wake, reclaim;

		/* The cache refills the machine to a little above low (no wake: no kswapd flag). */
		while (above_low(64) &&
		       shrinker_cache_add(&bc, __GFP_IO | __GFP_FS | __GFP_NOWARN | __GFP_NOMEMALLOC))
			;
		/* Cross low: the allocation that finds no zone above it wakes kswapd. */
		while (READ_ONCE(pgdat->kswapd_wake_ns) == wake_before && nr_held < 65536) {
			struct page *p = alloc_page(GFP_KERNEL);

			if (!p)
				break;
			held[nr_held++] = p;
		}
		wake = READ_ONCE(pgdat->kswapd_wake_ns);
		while ((reclaim = READ_ONCE(pgdat->kswapd_reclaim_ns)) < wake)
			sleep_ms(1);
		if (r == 0)
			first = (double)(reclaim - wake) / 1000;
		else if (wake != wake_before)
			lat[n++] = (double)(reclaim - wake) / 1000;
		while (nr_held)
			__free_page(held[--nr_held]);
		/* Until kswapd is in its full sleep again (past the short one). */
		while (__atomic_load_n(&pgdat->kswapd_sleeping, __ATOMIC_ACQUIRE) != 1)
			sleep_ms(1);
		sleep_ms(120);
	}
	qsort(lat, (size_t)n, sizeof(lat[0]), cmp_double);
	printf("kswapd: from crossing the low watermark to its first reclaim (mem=256M)\n");
	printf("  first wake (thread started)   %8.1f us\n", first);
	if (n) {
		printf("  later wakes, %4d rounds: median %.1f us, p90 %.1f us, max %.1f us\n", n,
		       lat[n / 2], lat[n * 9 / 10], lat[n - 1]);
	}
	return 0;
}
