/* SPDX-License-Identifier: MIT */
/*
 * tools/live.h - another process's allocator, read while it runs
 * (tools/live.c), for top, ps, show --pid, map and plot.
 *
 * live_open() finds the process's statistics area (mm/live.h) and checks
 * that it is this build's; live_snapshot() copies what a view needs into
 * a struct live_snap: the node structures with their zones, the per-CPU
 * page lists, the slab caches with their node structures and partial
 * slabs, the figures every report reads.  Pointers inside the copies
 * point to other copies or are cleared, never into the other process, so
 * the library's own inline helpers (zone_page_state(), ...) work on them.
 * A snapshot of this very process (pid = getpid()) is the same code.
 *
 * live_install() makes a snapshot the machine this (unbooted) process's
 * library reports on, so that the library's own report code prints the
 * other process's meminfo, buddyinfo, zoneinfo, pagetypeinfo and slabinfo
 * byte for byte as that process would.
 */
#ifndef _TOOLS_LIVE_H
#define _TOOLS_LIVE_H

#include <stdio.h>
#include <ukmem/kernel_types.h>
#include <linux/mmzone.h>
#include <linux/memblock.h>
#include "mm/live.h"
#include "mm/pcp_hot.h"
#include "mm/slab.h"

struct live_proc {
	int pid;
	char comm[16];
	unsigned long area_addr;
	struct live_area area;
};

struct live_cache {
	struct kmem_cache c;		/* c.name, c.node[], c.list: local */
	struct slabinfo info;		/* as get_slabinfo() counts it */
	char name[64];
	u64 remote;			/* its address there (what slab->slab_cache holds) */
};

#define LIVE_ZONES		0x1	/* nodes, zones, per-CPU page lists, figures */
#define LIVE_CACHES		0x2	/* slab caches with their partial slabs */
#define LIVE_FREE_LISTS		0x4	/* free lists rebuilt to their lengths (pagetypeinfo) */
#define LIVE_MAPS		0x8	/* memblock, the pageblock types, the deferred map */

struct live_counter {
	char group[20];
	char name[40];
	long value;
};

struct live_snap {
	int pid;
	u64 t_ns;			/* when it was taken (this clock) */
	long rss_kb;
	/* The scalars of the area's variables. */
	int nr_online_nodes;
	unsigned int nr_cpu_ids;
	unsigned int nr_online_cpus;
	long totalram;
	unsigned long totalreserve, totalhigh, ram_pfns, max_pfn;
	u64 ram_size;
	unsigned long mem_map;		/* its address there (pfn arithmetic) */
	unsigned long vmalloc_total, percpu_bytes;
	bool has_zone[MAX_NR_ZONES];
	bool highmem_layout;
	int slab_state;
	char cmdline[256];
	/* LIVE_ZONES */
	pg_data_t *pgdat[MAX_NUMNODES];
	u64 pgdat_remote[MAX_NUMNODES];
	u64 pcp_remote[MAX_NUMNODES][MAX_NR_ZONES];	/* per_cpu_pageset there */
	/*
	 * Where each zone's per-CPU page stacks are there (mm/pcp_hot.h);
	 * their pages are counted in the snapshot's per_cpu_pageset[].count,
	 * as zone_pcp_cpu_count() counts them in the process.
	 */
	struct arch_pcpu_stacks pcp_stacks[PCP_HOT_ZONE_INDEXES][MIGRATE_PCPTYPES];
	/* LIVE_CACHES, newest first as slab_caches */
	struct live_cache *caches;
	int nr_caches;
	/* LIVE_MAPS */
	struct memblock memblock;
	u8 *pageblock_mt;
	unsigned long *deferred_map;
	/* vm events and other groups the process registered */
	struct live_counter *counters;
	int nr_counters;
	/* Every allocation of the snapshot, freed together. */
	void **allocs;
	size_t nr_allocs, max_allocs;
};

/* 0, or -errno with a message in @err (no area, another build, not allowed). */
int live_open(int pid, struct live_proc *p, char *err, size_t errlen);
int live_snapshot(struct live_proc *p, struct live_snap *s, unsigned int what);
void live_snap_free(struct live_snap *s);
/* Read @len bytes at @addr of the process; 0 or -errno. */
int live_read(const struct live_proc *p, u64 addr, void *buf, size_t len);
/* The process's printk log into @out. */
int live_show_log(const struct live_proc *p, FILE *out);
/* Make @s the machine the library reports on; -EBUSY if this process booted one. */
int live_install(struct live_snap *s);

/*
 * CPU @cpu's stack of @z's pages of migratetype @mt there (mm/page_alloc_hot.c):
 * its address and, in @size, how many pages it holds (at most
 * PCP_HOT_CAPACITY); 0 and 0 if it has none or cannot be read.
 */
u64 live_pcp_stack(const struct live_proc *p, const struct live_snap *s, const struct zone *z,
		   int mt, unsigned int cpu, u32 *size);
/* Pages on a zone's per-CPU lists and stacks, summed over CPUs. */
unsigned long live_zone_pcp(const struct live_snap *s, const struct zone *z);
/* Iterate the populated zones of a snapshot. */
#define for_each_live_zone(s, nid, zid, z)					\
	for ((nid) = 0; (nid) < MAX_NUMNODES; (nid)++)				\
		for ((zid) = 0; (zid) < MAX_NR_ZONES; (zid)++)			\
			if (!(s)->pgdat[nid] || !(s)->has_zone[zid] ||		\
			    !((z) = &(s)->pgdat[nid]->node_zones[zid])->present_pages) \
				continue;					\
			else

#endif /* _TOOLS_LIVE_H */
