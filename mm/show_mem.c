/* SPDX-License-Identifier: MIT */
/*
 * mm/show_mem.c - memory summaries: /proc/meminfo, si_mem_available(), the
 * show_mem() report and the page allocation failure warning.
 *
 * Mirrors the kernel's mm/show_mem.c (si_mem_available, show_free_areas,
 * __show_mem), fs/proc/meminfo.c (meminfo_proc_show, with the hugetlb and
 * x86 DirectMap lines that mm/hugetlb.c and arch/x86/mm/pat/set_memory.c
 * append) and warn_alloc() from mm/page_alloc.c.
 *
 * Entry points: show_meminfo() writes the meminfo report to a FILE;
 * __show_mem() prints the "Mem-Info:" report to the log; warn_alloc() prints
 * "<comm>: <what failed>, mode:..." with a stack trace and that report.
 *
 * ukmem has no page cache, no swap, no user mappings and no hugetlb pool, so
 * the lines about them are printed with 0, as a machine that has none would
 * print them; docs/reports.md says where every other number comes from.
 *
 * Nothing here allocates through ukmem.  Zone locks are held only to copy
 * free-list state; stdio and printk run with no ukmem lock held.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "arch/host.h"
#include "kernel/locking.h"
#include "internal.h"
#include "proc.h"

/*
 * Inputs owned by later subsystems (declared for them in mm/proc.h):
 * the size of the vmalloc address range, set by mm/vmalloc.c, and the bytes
 * of populated per-CPU chunks times units, set by mm/percpu.c.
 */
unsigned long ukmem_vmalloc_total_bytes;
unsigned long ukmem_percpu_bytes;

#define K(x) ((unsigned long)(x) << (PAGE_SHIFT - 10))

/* The zone of type @zid on node @nid, or NULL when the layout has none. */
static struct zone *report_zone(int nid, int zid)
{
	pg_data_t *pgdat = NODE_DATA(nid);

	if (!pgdat || !zone_type_configured(zid))
		return NULL;
	return &pgdat->node_zones[zid];
}

static unsigned long zone_pcp_pages(struct zone *zone)
{
	return populated_zone(zone) ? zone_pcp_count(zone) : 0;
}

/* @fn summed over the zones below @zid_end of every node. */
static unsigned long sum_over_zones(unsigned long (*fn)(struct zone *zone), int zid_end)
{
	unsigned long sum = 0;
	int nid, zid;

	for_each_online_node(nid) {
		for (zid = 0; zid < zid_end; zid++) {
			struct zone *zone = report_zone(nid, zid);

			if (zone)
				sum += fn(zone);
		}
	}
	return sum;
}

static unsigned long global_pcp_pages(void)
{
	return sum_over_zones(zone_pcp_pages, MAX_NR_ZONES);
}

static unsigned long zone_spanned(struct zone *zone)
{
	return zone->spanned_pages;
}

/* Pages the zones below HighMem span, on every node: i386's lowmem. */
static unsigned long lowmem_spanned_pages(void)
{
	return sum_over_zones(zone_spanned, ZONE_HIGHMEM);
}

/**
 * si_mem_available - pages that could be handed out without swapping or OOM.
 *
 * The kernel's estimate: free pages less the reserves no ordinary
 * allocation may use (totalreserve_pages), plus the reclaimable part of the
 * page cache and of reclaimable slab and other kernel memory, each less
 * what must stay (half of it, at most the sum of the low watermarks).
 * ukmem has no page cache, so that term is 0.  Never negative.
 *
 * Context: any; takes no lock.
 */
long si_mem_available(void)
{
	unsigned long wmark_low = 0, pagecache, reclaimable;
	long available;
	int nid, zid;

	for_each_online_node(nid) {
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = report_zone(nid, zid);

			if (zone)
				wmark_low += low_wmark_pages(zone);
		}
	}

	available = (long)global_zone_page_state(NR_FREE_PAGES) - (long)totalreserve_pages;

	pagecache = 0;
	pagecache -= min(pagecache / 2, wmark_low);
	available += (long)pagecache;

	reclaimable = global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B) +
		      global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE);
	reclaimable -= min(reclaimable / 2, wmark_low);
	available += (long)reclaimable;

	return available < 0 ? 0 : available;
}

/* ------------------------------------------------------------------ */
/* /proc/meminfo                                                        */

/* fs/proc/meminfo.c's show_val_kb(): a 16-column label, 8-wide kB value. */
static void show_val_kb(FILE *m, const char *label, unsigned long pages)
{
	fprintf(m, "%s%8lu kB\n", label, K(pages));
}

/* Committed_AS: the pages handed out, neither free nor on a pcp list (no overcommit accounting). */
static unsigned long committed_pages(unsigned long totalram, unsigned long freeram,
				     unsigned long pcp)
{
	return totalram > freeram + pcp ? totalram - freeram - pcp : 0;
}

/* The kernel's percpu_counter_read_positive(&vm_committed_as): meminfo's Committed_AS, in pages. */
unsigned long vm_memory_committed(void)
{
	ukmem_ensure_booted();
	return committed_pages(totalram_pages(), global_zone_page_state(NR_FREE_PAGES),
			       global_pcp_pages());
}

/**
 * show_meminfo - /proc/meminfo.
 * @m: where to write.
 *
 * The line set of a 6.x x86 kernel with transparent hugepages, hugetlb and
 * memory-failure support and without zswap, CMA or unaccepted memory; with
 * the 32-bit layout the HighTotal/HighFree/LowTotal/LowFree lines appear
 * and DirectMap1G does not, as on an i386 PAE kernel.
 *
 * Context: may sleep (stdio); takes no ukmem lock.
 */
void show_meminfo(FILE *m)
{
	bool highmem = zone_type_configured(ZONE_HIGHMEM);
	unsigned long totalram = totalram_pages();
	unsigned long freeram = global_zone_page_state(NR_FREE_PAGES);
	unsigned long sreclaimable = global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B);
	unsigned long sunreclaim = global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B);
	unsigned long misc_reclaimable = global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE);
	unsigned long pcp = global_pcp_pages();
	unsigned long committed, commit_limit, ram_kb, map_4k_kb;
	long available = si_mem_available();

	/*
	 * No swap and no hugetlb pool: vm_commit_limit() is
	 * totalram * overcommit_ratio (50) / 100.  Committed_AS counts pages
	 * handed out, which is what is neither free nor on a pcp list.
	 */
	commit_limit = totalram * 50 / 100;
	committed = committed_pages(totalram, freeram, pcp);

	show_val_kb(m, "MemTotal:       ", totalram);
	show_val_kb(m, "MemFree:        ", freeram);
	show_val_kb(m, "MemAvailable:   ", (unsigned long)available);
	show_val_kb(m, "Buffers:        ", 0);
	show_val_kb(m, "Cached:         ", 0);
	show_val_kb(m, "SwapCached:     ", 0);
	show_val_kb(m, "Active:         ", 0);
	show_val_kb(m, "Inactive:       ", 0);
	show_val_kb(m, "Active(anon):   ", 0);
	show_val_kb(m, "Inactive(anon): ", 0);
	show_val_kb(m, "Active(file):   ", 0);
	show_val_kb(m, "Inactive(file): ", 0);
	show_val_kb(m, "Unevictable:    ", 0);
	show_val_kb(m, "Mlocked:        ", global_zone_page_state(NR_MLOCK));

	if (highmem) {
		unsigned long totalhigh = totalhigh_pages(), freehigh = 0;
		int nid;

		for_each_online_node(nid) {
			struct zone *zone = report_zone(nid, ZONE_HIGHMEM);

			if (zone)
				freehigh += zone_page_state(zone, NR_FREE_PAGES);
		}
		show_val_kb(m, "HighTotal:      ", totalhigh);
		show_val_kb(m, "HighFree:       ", freehigh);
		show_val_kb(m, "LowTotal:       ", totalram - totalhigh);
		show_val_kb(m, "LowFree:        ", freeram - freehigh);
	}

	show_val_kb(m, "SwapTotal:      ", 0);
	show_val_kb(m, "SwapFree:       ", 0);
	show_val_kb(m, "Dirty:          ", 0);
	show_val_kb(m, "Writeback:      ", 0);
	show_val_kb(m, "AnonPages:      ", 0);
	show_val_kb(m, "Mapped:         ", 0);
	show_val_kb(m, "Shmem:          ", 0);
	show_val_kb(m, "KReclaimable:   ", sreclaimable + misc_reclaimable);
	show_val_kb(m, "Slab:           ", sreclaimable + sunreclaim);
	show_val_kb(m, "SReclaimable:   ", sreclaimable);
	show_val_kb(m, "SUnreclaim:     ", sunreclaim);
	fprintf(m, "KernelStack:    %8lu kB\n", 0UL);
	show_val_kb(m, "PageTables:     ", global_node_page_state(NR_PAGETABLE));
	show_val_kb(m, "SecPageTables:  ", 0);
	show_val_kb(m, "NFS_Unstable:   ", 0);
	show_val_kb(m, "Bounce:         ", global_zone_page_state(NR_BOUNCE));
	show_val_kb(m, "WritebackTmp:   ", 0);
	show_val_kb(m, "CommitLimit:    ", commit_limit);
	show_val_kb(m, "Committed_AS:   ", committed);
	fprintf(m, "VmallocTotal:   %8lu kB\n", READ_ONCE(ukmem_vmalloc_total_bytes) >> 10);
	show_val_kb(m, "VmallocUsed:    ", global_node_page_state(NR_VMALLOC));
	show_val_kb(m, "VmallocChunk:   ", 0);
	fprintf(m, "Percpu:         %8lu kB\n", READ_ONCE(ukmem_percpu_bytes) >> 10);
	fprintf(m, "HardwareCorrupted: %5lu kB\n", 0UL);
	show_val_kb(m, "AnonHugePages:  ", 0);
	show_val_kb(m, "ShmemHugePages: ", 0);
	show_val_kb(m, "ShmemPmdMapped: ", 0);
	show_val_kb(m, "FileHugePages:  ", 0);
	show_val_kb(m, "FilePmdMapped:  ", 0);
	/*
	 * v6.15+: pages balloon drivers hold, printed unconditionally (unlike
	 * CmaTotal/CmaFree and Unaccepted, which depend on the config).
	 */
	show_val_kb(m, "Balloon:        ", global_node_page_state(NR_BALLOON_PAGES));
	/* v7.0+: memory GPU drivers hold; none here. */
	show_val_kb(m, "GPUActive:      ", 0);
	show_val_kb(m, "GPUReclaim:     ", 0);

	/* mm/hugetlb.c hugetlb_report_meminfo(): an empty 2 MiB pool. */
	fprintf(m,
		"HugePages_Total:   %5lu\n"
		"HugePages_Free:    %5lu\n"
		"HugePages_Rsvd:    %5lu\n"
		"HugePages_Surp:    %5lu\n"
		"Hugepagesize:   %8lu kB\n",
		0UL, 0UL, 0UL, 0UL, (unsigned long)(SZ_2M / 1024));
	fprintf(m, "Hugetlb:        %8lu kB\n", 0UL);

	/*
	 * x86 arch_report_meminfo(): how the linear map is mapped.  ukmem's
	 * RAM is one range; count it as 2 MiB mappings with any tail that is
	 * not a 2 MiB multiple as 4 KiB ones, and no 1 GiB mappings.  On
	 * i386 the linear map ends at max_low_pfn (init_32.c maps lowmem
	 * only): there it is the span of the zones below HighMem.
	 */
	ram_kb = (unsigned long)(ukmem_ram_size >> 10);
	if (highmem)
		ram_kb = K(lowmem_spanned_pages());
	map_4k_kb = ram_kb % (SZ_2M >> 10);
	fprintf(m, "DirectMap4k:    %8lu kB\n", map_4k_kb);
	fprintf(m, "DirectMap2M:    %8lu kB\n", ram_kb - map_4k_kb);
	if (!highmem)
		fprintf(m, "DirectMap1G:    %8lu kB\n", 0UL);
}

/* ------------------------------------------------------------------ */
/* show_mem: the "Mem-Info:" report                                     */

/* Bits of a nodemask_t-shaped bitmap (MAX_NUMNODES bits). */
static bool node_in_mask(const unsigned long *mask, int nid)
{
	return mask[nid / BITS_PER_LONG] & (1UL << (nid % BITS_PER_LONG));
}

static bool show_mem_node_skip(const unsigned long *nodemask, int nid)
{
	/* No nodemask: current's mems_allowed, which is every node. */
	return nodemask && !node_in_mask(nodemask, nid);
}

/* Append to @buf (which holds @len chars) without ever overflowing it. */
static __printf(4, 5) size_t buf_add(char *buf, size_t size, size_t len,
				     const char *fmt, ...)
{
	va_list args;
	int n;

	if (len >= size)
		return len;
	va_start(args, fmt);
	n = vsnprintf(buf + len, size - len, fmt, args);
	va_end(args);
	if (n < 0)
		return len;
	return min(len + (size_t)n, size - 1);
}

static bool node_has_managed_zones(int nid, int max_zone_idx)
{
	int zid;

	for (zid = 0; zid <= max_zone_idx; zid++) {
		struct zone *zone = report_zone(nid, zid);

		if (zone && managed_zone(zone))
			return true;
	}
	return false;
}

/* show_free_areas(): one zone's "Node 0 DMA free:..." and lowmem_reserve. */
static void show_zone_summary(int nid, struct zone *zone, int zid)
{
	unsigned long free_pcp = zone_pcp_pages(zone);
	unsigned int local_pcp = 0;
	char line[160];
	size_t len;
	int i;

	if (zone->per_cpu_pageset) {
		int cpu = raw_smp_processor_id();

		local_pcp = (unsigned int)zone_pcp_cpu_count(zone, (unsigned int)cpu);
	}

	printk(KERN_WARNING "Node %d %s"
	       " free:%lukB"
	       " boost:%lukB"
	       " min:%lukB"
	       " low:%lukB"
	       " high:%lukB"
	       " reserved_highatomic:%luKB"
	       " free_highatomic:%luKB"
	       " active_anon:%lukB"
	       " inactive_anon:%lukB"
	       " active_file:%lukB"
	       " inactive_file:%lukB"
	       " unevictable:%lukB"
	       " writepending:%lukB"
	       " zspages:%lukB"
	       " present:%lukB"
	       " managed:%lukB"
	       " mlocked:%lukB"
	       " bounce:%lukB"
	       " free_pcp:%lukB"
	       " local_pcp:%ukB"
	       " free_cma:%lukB"
	       "\n",
	       nid, zone->name ? zone->name : zone_names[zid],
	       K(zone_page_state(zone, NR_FREE_PAGES)),
	       K(READ_ONCE(zone->watermark_boost)),
	       K(min_wmark_pages(zone)),
	       K(low_wmark_pages(zone)),
	       K(high_wmark_pages(zone)),
	       K(READ_ONCE(zone->nr_reserved_highatomic)),
	       K(zone_free_highatomic(zone)),
	       K(zone_page_state(zone, NR_ZONE_ACTIVE_ANON)),
	       K(zone_page_state(zone, NR_ZONE_INACTIVE_ANON)),
	       K(zone_page_state(zone, NR_ZONE_ACTIVE_FILE)),
	       K(zone_page_state(zone, NR_ZONE_INACTIVE_FILE)),
	       K(zone_page_state(zone, NR_ZONE_UNEVICTABLE)),
	       K(zone_page_state(zone, NR_ZONE_WRITE_PENDING)),
	       0UL,	/* zspages: no zsmalloc */
	       K(zone->present_pages),
	       K(zone_managed_pages(zone)),
	       K(zone_page_state(zone, NR_MLOCK)),
	       K(zone_page_state(zone, NR_BOUNCE)),
	       K(free_pcp),
	       (unsigned int)K(local_pcp),
	       K(zone_page_state(zone, NR_FREE_CMA_PAGES)));

	len = buf_add(line, sizeof(line), 0, "lowmem_reserve[]:");
	for (i = 0; i < MAX_NR_ZONES; i++)
		if (zone_type_configured(i))
			len = buf_add(line, sizeof(line), len, " %ld",
				      zone->lowmem_reserve[i]);
	printk(KERN_WARNING "%s\n", line);
}

/* show_free_areas(): one zone's "Node 0 DMA: 1*4kB (U) ... = 4kB". */
static void show_zone_free_areas(int nid, struct zone *zone, int zid)
{
	static const char letters[MIGRATE_TYPES] = {
		[MIGRATE_UNMOVABLE]	= 'U',
		[MIGRATE_MOVABLE]	= 'M',
		[MIGRATE_RECLAIMABLE]	= 'E',
		[MIGRATE_HIGHATOMIC]	= 'H',
		[MIGRATE_ISOLATE]	= 'I',
	};
	unsigned long nr[NR_PAGE_ORDERS], total = 0;
	unsigned char types[NR_PAGE_ORDERS];
	char line[512];
	size_t len;
	int order, mt;
	/*
	 * An atomic allocation that failed in a signal handler whose thread
	 * holds this zone's lock (the failure report of GFP_ATOMIC in
	 * docs/context.md's example): only tried there, and read without it
	 * if busy, as a report may (the holder is this interrupted thread, or
	 * another one mid-change: the counts are a moment's).
	 */
	bool locked = spin_lock_or_try(&zone->lock);

	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		struct free_area *area = &zone->free_area[order];

		nr[order] = area->nr_free;
		total += nr[order] << order;
		types[order] = 0;
		for (mt = 0; mt < MIGRATE_TYPES; mt++)
			if (!list_empty(&area->free_list[mt]))
				types[order] |= 1U << mt;
	}
	/* Deferred blocks are free Movable max-order blocks on no list yet. */
	if (zone->nr_deferred)
		types[MAX_PAGE_ORDER] |= 1U << MIGRATE_MOVABLE;
	if (locked)
		spin_unlock(&zone->lock);

	len = buf_add(line, sizeof(line), 0, "Node %d %s: ", nid,
		      zone->name ? zone->name : zone_names[zid]);
	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		len = buf_add(line, sizeof(line), len, "%lu*%lukB ",
			      nr[order], K(1UL) << order);
		if (!nr[order])
			continue;
		len = buf_add(line, sizeof(line), len, "(");
		for (mt = 0; mt < MIGRATE_TYPES; mt++)
			if (types[order] & (1U << mt))
				len = buf_add(line, sizeof(line), len, "%c", letters[mt]);
		len = buf_add(line, sizeof(line), len, ") ");
	}
	buf_add(line, sizeof(line), len, "= %lukB", K(total));
	printk(KERN_WARNING "%s\n", line);
}

/*
 * __show_mem() with the kernel's filters: zones above @max_zone_idx and
 * nodes outside @nodemask (when not NULL) are left out.
 */
static void show_mem_filtered(const unsigned long *nodemask, int max_zone_idx)
{
	unsigned long free_pcp = 0, total = 0, reserved = 0, highmem = 0;
	int nid, zid;

	BUILD_BUG_ON(MIGRATE_TYPES != 5);

	printk(KERN_WARNING "Mem-Info:\n");

	for_each_online_node(nid) {
		if (show_mem_node_skip(nodemask, nid))
			continue;
		for (zid = 0; zid <= max_zone_idx; zid++) {
			struct zone *zone = report_zone(nid, zid);

			if (zone && populated_zone(zone))
				free_pcp += zone_pcp_pages(zone);
		}
	}

	printk(KERN_WARNING "active_anon:%lu inactive_anon:%lu isolated_anon:%lu\n"
	       " active_file:%lu inactive_file:%lu isolated_file:%lu\n"
	       " unevictable:%lu dirty:%lu writeback:%lu\n"
	       " slab_reclaimable:%lu slab_unreclaimable:%lu\n"
	       " mapped:%lu shmem:%lu pagetables:%lu\n"
	       " sec_pagetables:%lu bounce:%lu\n"
	       " kernel_misc_reclaimable:%lu\n"
	       " free:%lu free_pcp:%lu free_cma:%lu\n",
	       0UL, 0UL, 0UL,
	       0UL, 0UL, 0UL,
	       0UL, 0UL, 0UL,
	       global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B),
	       global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B),
	       0UL, 0UL, global_node_page_state(NR_PAGETABLE),
	       0UL, global_zone_page_state(NR_BOUNCE),
	       global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE),
	       global_zone_page_state(NR_FREE_PAGES), free_pcp,
	       global_zone_page_state(NR_FREE_CMA_PAGES));

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (!pgdat || show_mem_node_skip(nodemask, nid))
			continue;
		if (!node_has_managed_zones(nid, max_zone_idx))
			continue;
		printk(KERN_WARNING "Node %d"
		       " active_anon:%lukB"
		       " inactive_anon:%lukB"
		       " active_file:%lukB"
		       " inactive_file:%lukB"
		       " unevictable:%lukB"
		       " isolated(anon):%lukB"
		       " isolated(file):%lukB"
		       " mapped:%lukB"
		       " dirty:%lukB"
		       " writeback:%lukB"
		       " shmem:%lukB"
		       " shmem_thp:%lukB"
		       " shmem_pmdmapped:%lukB"
		       " anon_thp:%lukB"
		       " kernel_stack:%lukB"
		       " pagetables:%lukB"
		       " sec_pagetables:%lukB"
		       " all_unreclaimable? %s"
		       " Balloon:%lukB"
		       " gpu_active:%lukB"
		       " gpu_reclaim:%lukB"
		       "\n",
		       pgdat->node_id,
		       0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL, 0UL,
		       0UL, 0UL, 0UL, 0UL, 0UL,
		       K(node_page_state(pgdat, NR_PAGETABLE)),
		       0UL, "no", K(node_page_state(pgdat, NR_BALLOON_PAGES)), 0UL, 0UL);
	}

	for_each_online_node(nid) {
		if (show_mem_node_skip(nodemask, nid))
			continue;
		for (zid = 0; zid <= max_zone_idx; zid++) {
			struct zone *zone = report_zone(nid, zid);

			if (zone && populated_zone(zone))
				show_zone_summary(nid, zone, zid);
		}
	}

	for_each_online_node(nid) {
		if (show_mem_node_skip(nodemask, nid))
			continue;
		for (zid = 0; zid <= max_zone_idx; zid++) {
			struct zone *zone = report_zone(nid, zid);

			if (zone && populated_zone(zone))
				show_zone_free_areas(nid, zone, zid);
		}
	}

	/* hugetlb_show_meminfo_node(): the empty 2 MiB pool, per node. */
	for_each_online_node(nid) {
		if (show_mem_node_skip(nodemask, nid))
			continue;
		printk(KERN_WARNING "Node %d hugepages_total=%u hugepages_free=%u"
		       " hugepages_surp=%u hugepages_size=%lukB\n",
		       nid, 0U, 0U, 0U, (unsigned long)(SZ_2M / 1024));
	}

	printk(KERN_WARNING "%ld total pagecache pages\n", 0L);

	/* show_swap_cache_info(): no swap device. */
	printk(KERN_WARNING "%lu pages in swap cache\n", 0UL);
	printk(KERN_WARNING "Free swap  = %ldkB\n", 0L);
	printk(KERN_WARNING "Total swap = %lukB\n", 0UL);

	/* __show_mem() proper: every populated zone, unfiltered. */
	for_each_online_node(nid) {
		for (zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = report_zone(nid, zid);

			if (!zone || !populated_zone(zone))
				continue;
			total += zone->present_pages;
			reserved += zone->present_pages - zone_managed_pages(zone);
			if (zid == ZONE_HIGHMEM)
				highmem += zone->present_pages;
		}
	}
	printk(KERN_WARNING "%lu pages RAM\n", total);
	printk(KERN_WARNING "%lu pages HighMem/MovableOnly\n", highmem);
	printk(KERN_WARNING "%lu pages reserved\n", reserved);
	printk(KERN_WARNING "%lu pages hwpoisoned\n", 0UL);
}

/**
 * __show_mem - print the kernel's "Mem-Info:" report to the log.
 *
 * Global counters, then per node, per zone (watermarks, sizes, pcp pages,
 * lowmem_reserve), the free blocks of every order with their migratetypes,
 * and the page totals.  At KERN_WARNING, so it reaches the console by
 * default, as the kernel's default-level printks do.
 *
 * Context: any context that may printk; takes each zone->lock briefly, so
 * not with a zone lock held.
 */
void __show_mem(void)
{
	show_mem_filtered(NULL, MAX_NR_ZONES - 1);
}

void __show_mem_filter(const nodemask_t *nodemask, int max_zone_idx)
{
	show_mem_filtered(nodemask ? nodemask->bits : NULL, max_zone_idx);
}

/* The kernel's show_mem(): __show_mem(0, NULL, MAX_NR_ZONES - 1), unfiltered. */
void show_mem(void)
{
	ukmem_ensure_booted();
	__show_mem();
}

/* ------------------------------------------------------------------ */
/* warn_alloc                                                           */

/*
 * The kernel's nopage_rs: one report per 10 seconds (DEFINE_RATELIMIT_STATE
 * (nopage_rs, 10*HZ, 1) since 4.10; before that 10 per 5 seconds), with
 * "warn_alloc: N callbacks suppressed" when a new interval opens after
 * reports were dropped.
 */
static DEFINE_RATELIMIT_STATE(nopage_rs, 10 * HZ, 1);

static bool has_managed_dma(void)
{
	int nid;

	for_each_online_node(nid) {
		struct zone *zone = report_zone(nid, ZONE_DMA);

		if (zone && managed_zone(zone))
			return true;
	}
	return false;
}

/* "%*pbl": a node bitmap as a list of ranges, "0-3,5". */
static void format_node_list(char *buf, size_t size, const unsigned long *mask,
			     int nbits)
{
	size_t len = 0;
	int nid = 0;

	buf[0] = '\0';
	while (nid < nbits) {
		int last;

		if (!node_in_mask(mask, nid)) {
			nid++;
			continue;
		}
		for (last = nid; last + 1 < nbits && node_in_mask(mask, last + 1); last++)
			;
		len = buf_add(buf, size, len, "%s%d", len ? "," : "", nid);
		if (last > nid)
			len = buf_add(buf, size, len, "-%d", last);
		nid = last + 1;
	}
}

/**
 * warn_alloc - report an allocation that failed.
 * @gfp_mask: the allocation's flags.
 * @nodemask: the nodes it was allowed to use, or NULL for "any".
 * @fmt: what failed, e.g. "page allocation failure: order:%u".
 *
 * Prints "<comm>: <what>, mode:0x..(<flag names>), nodemask=<list or
 * (null)>,cpuset=/,mems_allowed=<online nodes>", a stack trace and the
 * Mem-Info report, at KERN_WARNING.  Silent with __GFP_NOWARN, beyond one
 * report per 10 seconds, and for __GFP_DMA when no DMA zone has managed
 * pages, as in the kernel.
 *
 * Context: any; never sleeps; must not be called with a zone lock held.
 */
void warn_alloc(gfp_t gfp_mask, const nodemask_t *nodemask, const char *fmt, ...)
{
	unsigned long online[BITS_TO_LONGS(MAX_NUMNODES)] = { 0 };
	const unsigned long *mask = nodemask ? nodemask->bits : NULL;
	char comm[16], nodes[3 * MAX_NUMNODES + 8], mems[3 * MAX_NUMNODES + 8];
	struct va_format vaf;
	va_list args;
	int nid;

	if ((gfp_mask & __GFP_NOWARN) || !___ratelimit(&nopage_rs, "warn_alloc") ||
	    ((gfp_mask & __GFP_DMA) && !has_managed_dma()))
		return;

	arch_comm(comm);
	comm[sizeof(comm) - 1] = '\0';
	if (mask)
		format_node_list(nodes, sizeof(nodes), mask, MAX_NUMNODES);
	else
		strcpy(nodes, "(null)");
	for_each_online_node(nid)
		online[nid / BITS_PER_LONG] |= 1UL << (nid % BITS_PER_LONG);
	format_node_list(mems, sizeof(mems), online, MAX_NUMNODES);

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	printk(KERN_WARNING "%s: %pV, mode:%#x(%pGg), nodemask=%s,cpuset=/,mems_allowed=%s\n",
	       comm, &vaf, gfp_mask, &gfp_mask, nodes, mems);
	va_end(args);

	dump_stack();

	/*
	 * warn_alloc_show_mem(): zones the allocation could use, and only
	 * its nodes when it was a task allowed to block (SHOW_MEM_FILTER_NODES).
	 */
	if (!(gfp_mask & __GFP_DIRECT_RECLAIM) || !in_task())
		mask = NULL;
	show_mem_filtered(mask, gfp_zone(gfp_mask));
}

/* The free pages of every zone (the kernel's global NR_FREE_PAGES); the first call boots. */
unsigned long nr_free_pages(void)
{
	return global_zone_page_state(NR_FREE_PAGES);
}

/* Pages ever out of the buddy lists at once, zone by zone, summed (an upper bound). */
unsigned long page_alloc_peak_used(void)
{
	unsigned long pages = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		pages += READ_ONCE(zone->peak_used);
	return pages;
}
