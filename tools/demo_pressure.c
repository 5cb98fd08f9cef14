/* SPDX-License-Identifier: MIT */
/*
 * tools/demo_pressure.c - `ukmem demo pressure`: a cache that grows past
 * the machine's memory and lives, because it has a shrinker.
 *
 * The program keeps an object cache (a slab cache of 1 KiB objects on a
 * list_lru, newest at the tail) and keeps adding to it, twice the
 * machine's RAM in all, never freeing anything itself.  Its shrinker gives
 * the oldest objects back when reclaim asks.  kswapd wakes whenever an
 * allocation finds the machine below the low watermark and reclaims to the
 * high one; an allocation that finds it at the min watermark reclaims for
 * itself (direct reclaim).  The output shows, every 16 MiB, who called the
 * shrinker and how much, the /proc/vmstat reclaim counters, and MemFree
 * against the min watermark; at the end the lowest MemFree seen, the
 * counters' deltas, and vm.drop_caches emptying the cache.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/mm.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include <ukmem/sysctl.h>
#include "tools/demo.h"
#include "tools/shrinker_cache.h"

#define OBJ_SIZE	1024
#define REPORT_EVERY	(16UL << 20)

static struct shrinker_cache demo;
static int main_tid;
/* Shrinker calls and objects freed, by who asked: [0] the program (direct), [1] kswapd. */
static unsigned long calls[2], freed[2];

static void count_scan(unsigned long n)
{
	int who = (int)syscall(SYS_gettid) != main_tid;

	__atomic_fetch_add(&calls[who], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&freed[who], n, __ATOMIC_RELAXED);
}

static const char *const counters[] = {
	"pgscan_kswapd", "pgscan_direct", "pgsteal_kswapd", "pgsteal_direct", "slabs_scanned",
	"allocstall_normal", "pageoutrun", "kswapd_low_wmark_hit_quickly",
	"kswapd_high_wmark_hit_quickly", "drop_slab", "oom_kill",
};
#define NR_COUNTERS	(sizeof(counters) / sizeof(counters[0]))

static void read_vmstat(unsigned long *v)
{
	char *text = NULL, *p;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	memset(v, 0, NR_COUNTERS * sizeof(*v));
	if (!f)
		return;
	ukmem_show("vmstat", f);
	fclose(f);
	for (i = 0; i < NR_COUNTERS; i++) {
		size_t n = strlen(counters[i]);

		for (p = text; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
			if (!strncmp(p, counters[i], n) && p[n] == ' ') {
				v[i] = strtoul(p + n + 1, NULL, 10);
				break;
			}
	}
	free(text);
}

static unsigned long min_wmark_total(void)
{
	unsigned long min = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		min += min_wmark_pages(zone);
	return min;
}

/*
 * How far below min an allocation may leave a zone: the kernel tests the
 * watermark for the one block asked for, then refills the per-CPU list
 * with a batch of them (rmqueue_bulk), and the slab caches ask for blocks
 * of up to PAGE_ALLOC_COSTLY_ORDER.  On a machine of a few MiB that is
 * most of the dip a run sees.
 */
static unsigned long refill_slack(void)
{
	unsigned long slack = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		slack += (unsigned long)zone->pageset_batch << PAGE_ALLOC_COSTLY_ORDER;
	return slack;
}

static void print_watermarks(void)
{
	struct zone *zone;

	printf("%-8s %10s %10s %10s %10s\n", "zone", "managed", "min", "low", "high");
	for_each_populated_zone(zone)
		printf("%-8s %8lu kB %7lu kB %7lu kB %7lu kB\n", zone->name,
		       zone_managed_pages(zone) * 4, min_wmark_pages(zone) * 4,
		       low_wmark_pages(zone) * 4, high_wmark_pages(zone) * 4);
}

int demo_pressure(const char *cmdline)
{
	unsigned long before[NR_COUNTERS], now[NR_COUNTERS];
	unsigned long total = 0, target, next_report = REPORT_EVERY, lowest = ~0UL, failed = 0;
	unsigned long min_pages, slack;
	size_t i;
	int err;

	err = ukmem_boot(cmdline);
	if (err && err != -EALREADY) {
		fprintf(stderr, "ukmem: boot failed (%s) with command line \"%s\"\n",
			strerror(-err), cmdline);
		return 1;
	}
	main_tid = (int)syscall(SYS_gettid);
	printf("=== ukmem demo pressure: booted with \"%s\"\n\n", cmdline);
	print_watermarks();
	min_pages = min_wmark_total();
	demo.scanned = count_scan;
	if (shrinker_cache_init(&demo, "demo_pressure", OBJ_SIZE)) {
		fprintf(stderr, "ukmem demo pressure: setup failed\n");
		return 1;
	}

	target = 2 * totalram_pages() * PAGE_SIZE;
	printf("\nAn object cache with a shrinker grows by %lu MiB (twice the machine's RAM),\n"
	       "%d-byte objects, never freed by the program.\n\n", target >> 20, OBJ_SIZE);
	printf("%8s %9s %9s %9s | %15s %15s | %9s %9s %9s\n", "grown", "cached", "MemFree",
	       "min", "shrinker:kswapd", "shrinker:direct", "pgsteal_k", "pgsteal_d",
	       "pageout");
	read_vmstat(before);
	while (total < target) {
		unsigned long free = nr_free_pages();

		if (free < lowest)
			lowest = free;
		if (!shrinker_cache_add(&demo, GFP_KERNEL | __GFP_NOWARN)) {
			failed++;
			continue;
		}
		total += OBJ_SIZE;
		if (total >= next_report) {
			read_vmstat(now);
			printf("%5lu MiB %5lu MiB %6lu kB %6lu kB | %5lu calls %5lu MiB %5lu calls %5lu MiB"
			       " | %9lu %9lu %9lu\n", total >> 20,
			       (list_lru_count(&demo.lru) * OBJ_SIZE) >> 20, free * 4, min_pages * 4,
			       calls[1], (freed[1] * OBJ_SIZE) >> 20, calls[0],
			       (freed[0] * OBJ_SIZE) >> 20, now[2] - before[2], now[3] - before[3],
			       now[6] - before[6]);
			fflush(stdout);
			next_report += REPORT_EVERY;
		}
	}
	read_vmstat(now);
	slack = refill_slack();
	printf("\nLowest MemFree seen by the program: %lu kB; the min watermarks add up to %lu kB"
	       " (%s).\n", lowest * 4, min_pages * 4,
	       lowest >= min_pages ? "MemFree stayed above min" :
	       lowest + slack >= min_pages ? "below min by less than one per-CPU refill" :
	       "went below min");
	printf("Allocations that failed: %lu.\n", failed);
	printf("\n=== /proc/vmstat reclaim counters, change during the run\n");
	for (i = 0; i < NR_COUNTERS; i++)
		printf("%-32s %lu\n", counters[i], now[i] - before[i]);
	printf("\n=== vm.drop_caches=2: the cache holds %lu MiB, SReclaimable before:\n",
	       (list_lru_count(&demo.lru) * OBJ_SIZE) >> 20);
	fflush(stdout);
	ukmem_show("meminfo", stdout);
	ukmem_sysctl("vm.drop_caches", "2");
	printf("\n... and after (the cache holds %lu objects):\n", list_lru_count(&demo.lru));
	fflush(stdout);
	ukmem_show("meminfo", stdout);
	printf("\n=== /proc/vmstat\n");
	fflush(stdout);
	ukmem_show("vmstat", stdout);
	shrinker_cache_destroy(&demo);
	return lowest + slack >= min_pages && !failed ? 0 : 1;
}
