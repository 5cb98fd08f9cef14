/* SPDX-License-Identifier: MIT */
/*
 * bench_kfence - how many seeded memory bugs KFENCE finds over a long run.
 *
 *   build/bench/bench_kfence [SECONDS] [INTERVAL_MS]   (defaults: 30 100)
 *
 * A driver-like workload through the kernel API: eight allocation sites
 * (kmalloc of 16 to 1024 bytes, one kmem_cache), a working set of 4096
 * live objects replaced at random.  Three sites are buggy: one in ten
 * of their allocations is read one byte past its end, one byte
 * before its start, or after its free.  On a slab object such a read goes
 * unseen (it reads a neighbour or a free object); on a KFENCE object it
 * faults and is reported, and the kernel API goes on, so one run counts
 * them all: "found" is the reports KFENCE printed, per type.
 *
 * The figure to expect is about the share of allocations KFENCE samples
 * (one per INTERVAL_MS, while the program allocates millions per
 * second): KFENCE is for fleets and long runs, which see a bug many
 * times, not for one run of a test suite (use slub_debug, ASan, valgrind
 * there).  Not a timed test: a benchmark (docs/kfence.md has the figures).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/slab.h>
#include <linux/kfence.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "arch/host.h"
#include "mm/kfence.h"

#define LIVE		4096
#define BUG_ONE_IN	10
#define NR_SITES	8

enum bug { BUG_OOB_RIGHT, BUG_OOB_LEFT, BUG_UAF, NR_BUGS };
static const char *const bug_names[NR_BUGS] = { "out-of-bounds right", "out-of-bounds left",
						 "use-after-free" };

static struct kmem_cache *cache;
static volatile char sink;

static unsigned long rnd_state = 88172645463325252UL;
static unsigned long rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

struct obj {
	char *p;
	size_t size;
	bool from_cache;
};

static long total_bugs(void)
{
	return __atomic_load_n(&kfence_counters[KFENCE_COUNTER_BUGS], __ATOMIC_RELAXED);
}

static void obj_alloc(struct obj *o, unsigned int site)
{
	if (site == NR_SITES - 1) {
		o->p = kmem_cache_alloc(cache, GFP_KERNEL);
		o->size = 192;
		o->from_cache = true;
	} else {
		o->size = 16UL << (site % 7);
		o->p = kmalloc(o->size, GFP_KERNEL);
		o->from_cache = false;
	}
	memset(o->p, 0x5a, o->size);
}

static void obj_free(struct obj *o)
{
	if (o->from_cache)
		kmem_cache_free(cache, o->p);
	else
		kfree(o->p);
	o->p = NULL;
}

int main(int argc, char **argv)
{
	long seconds = argc > 1 ? atol(argv[1]) : 30;
	long interval = argc > 2 ? atol(argv[2]) : 100;
	unsigned long seeded[NR_BUGS] = { 0 }, found[NR_BUGS] = { 0 }, allocs = 0, kfence = 0;
	static struct obj objs[LIVE];
	char cmdline[128];
	u64 end;
	int i;

	snprintf(cmdline, sizeof(cmdline), "loglevel=0 kfence.sample_interval=%ld", interval);
	if (ukmem_boot(cmdline)) {
		fprintf(stderr, "bench_kfence: boot failed\n");
		return 1;
	}
	cache = kmem_cache_create("bench_kfence", 192, 0, 0, NULL);
	for (i = 0; i < LIVE; i++)
		obj_alloc(&objs[i], (unsigned int)(rnd() % NR_SITES));
	end = arch_clock_ns() + (u64)seconds * 1000000000ULL;
	while (arch_clock_ns() < end) {
		for (i = 0; i < 10000; i++) {
			struct obj *o = &objs[rnd() % LIVE];
			unsigned int site = (unsigned int)(rnd() % NR_SITES);
			enum bug b = (enum bug)(site / 2);
			long before;

			obj_free(o);
			obj_alloc(o, site);
			allocs++;
			kfence += is_kfence_address(o->p);
			/* Sites 0, 2 and 4 are buggy, one time in BUG_ONE_IN. */
			if ((site & 1) || site / 2 >= NR_BUGS || rnd() % BUG_ONE_IN)
				continue;
			before = total_bugs();
			switch (b) {
			case BUG_OOB_RIGHT:
				sink = o->p[o->size];
				break;
			case BUG_OOB_LEFT:
				sink = o->p[-1];
				break;
			case BUG_UAF: {
				char *p = o->p;

				obj_free(o);
				sink = p[0];
				obj_alloc(o, site);
				break;
			}
			default:
				break;
			}
			seeded[b]++;
			if (total_bugs() != before)
				found[b]++;
		}
	}
	printf("bench_kfence: %ld s, kfence.sample_interval=%ld ms: %lu allocations (%.1f M/s), %lu from KFENCE\n",
	       seconds, interval, allocs, allocs / 1e6 / (double)seconds, kfence);
	for (i = 0; i < NR_BUGS; i++)
		printf("  %-22s seeded %7lu  found %5lu\n", bug_names[i], seeded[i], found[i]);
	printf("  %-22s seeded %7lu  found %5lu\n", "all",
	       seeded[0] + seeded[1] + seeded[2], found[0] + found[1] + found[2]);
	printf("kfence/stats:\n");
	ukmem_show("kfence/stats", stdout);
	return 0;
}
