/* SPDX-License-Identifier: MIT */
/*
 * What `ukmem top`, `ukmem show --pid` and `ukmem map` read of another
 * process (tools/live.c) agrees with what the process says of itself.  The
 * test reads its own memory as the tool reads another's (process_vm_readv
 * on its own pid), so both sides see one machine at one moment.
 *
 * - Pages on the per-CPU page stacks (mm/page_alloc_hot.c) count in a
 *   snapshot's pagesets as zone_pcp_cpu_count() counts them in the
 *   process: the live view once missed them (a page freed a moment ago
 *   looked allocated).
 *
 * Skipped where the host has no restartable sequences for ukmem (no
 * stacks) or forbids reading the process's own memory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <ukmem/boot.h>
#include "mm/internal.h"
#include "mm/pcp_hot.h"
#include "tools/live.h"
#include "ktest.h"

#define PAGES	8	/* fewer than a stack holds (PCP_HOT_CAPACITY) */

/* Pages this process counts on each CPU's lists and stacks, all zones. */
static unsigned long process_pcp_pages(unsigned long *stacks)
{
	unsigned long pages = 0;
	struct zone *zone;
	unsigned int cpu;

	*stacks = 0;
	for_each_populated_zone(zone) {
		pages += zone_pcp_count(zone);
		for (cpu = 0; cpu < nr_cpu_ids; cpu++)
			*stacks += pcp_hot_count(zone, cpu);
	}
	return pages;
}

/* The same, as a snapshot of this process has it. */
static unsigned long snapshot_pcp_pages(const struct live_snap *s)
{
	unsigned long pages = 0;
	int nid, zid;

	for (nid = 0; nid < MAX_NUMNODES; nid++)
		for (zid = 0; s->pgdat[nid] && zid < MAX_NR_ZONES; zid++)
			pages += live_zone_pcp(s, &s->pgdat[nid]->node_zones[zid]);
	return pages;
}

static void test_snapshot_counts_page_stacks(void)
{
	struct page *pages[PAGES];
	unsigned long before, after, stacks, dummy;
	struct live_proc proc;
	struct live_snap snap;
	char err[256];
	int i, try, rc;

	/* Nothing else of the library allocates pages while we look. */
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=64M kfence.sample_interval=0 kswapd=off"), 0);
	if (!data_race(pcp_hot.rseq)) {
		KTEST_SKIP("no per-CPU page stacks here (no rseq for ukmem)");
		return;
	}
	for (i = 0; i < PAGES; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	for (i = 0; i < PAGES; i++)
		if (pages[i])
			__free_page(pages[i]);
	rc = live_open(getpid(), &proc, err, sizeof(err));
	if (rc == -EPERM) {
		KTEST_SKIP("this process may not read its own memory");
		return;
	}
	CHECK_EQ(rc, 0);
	if (rc) {
		printf("# live_open: %s\n", err);
		return;
	}
	/* A CPU switch between the counts would move nothing: pages stay put. */
	for (try = 0; try < 20; try++) {
		before = process_pcp_pages(&stacks);
		CHECK_EQ(live_snapshot(&proc, &snap, LIVE_ZONES), 0);
		after = process_pcp_pages(&dummy);
		if (before == after)
			break;
		live_snap_free(&snap);
	}
	CHECK_EQ(before, after);
	/* The case means something only with pages on a stack. */
	CHECK(stacks > 0);
	CHECK_EQ(snapshot_pcp_pages(&snap), before);
	printf("# %lu pages on this CPU's lists and stacks (%lu on stacks), %lu in the snapshot\n",
	       before, stacks, snapshot_pcp_pages(&snap));
	live_snap_free(&snap);
}

int main(void)
{
	KTEST_RUN(KTEST(test_snapshot_counts_page_stacks));
}
