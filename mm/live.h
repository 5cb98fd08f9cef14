/* SPDX-License-Identifier: MIT */
/*
 * mm/live.h - the statistics area a process running on ukmem publishes,
 * and what reads it (mm/live.c; the reader is the ukmem command,
 * tools/live.c).
 *
 * The area is one page, mapped from a memfd named "ukmem-live" so that it
 * shows in /proc/PID/maps as "/memfd:ukmem-live (deleted)": that line is
 * how `ukmem ps` finds processes on ukmem and `ukmem top` finds the area.
 * It holds no statistics of its own: it holds the addresses (and sizes) of
 * the variables in which the allocator already keeps its state (the node
 * and zone structures with their free lists and counters, the per-CPU
 * page lists, the slab cache list, the page map, the log buffer).  A
 * reader copies them out of the process with process_vm_readv(), without
 * stopping it.  Cost on the allocator's paths: none; at boot, one memfd,
 * one page mapped and written once.
 *
 * The mapping is private, so a fork child has its own copy at the same
 * address, naming its own variables; exec drops it and a new image that
 * runs on ukmem publishes its own.  A reader must be the same build as the
 * process (the copies are of the same structures): live_layout() condenses
 * the sizes and offsets the reader relies on, and the magic names the
 * version.
 */
#ifndef _MM_LIVE_H
#define _MM_LIVE_H

#include <stddef.h>
#include <ukmem/kernel_types.h>
#include <linux/mmzone.h>
#include "mm/slab.h"

#define LIVE_MAGIC	"ukmem-live 1"
#define LIVE_MAP_NAME	"ukmem-live"

/* The variables a reader copies (the reader's own copies are at its own addresses). */
enum live_var_id {
	LIVE_NODE_DATA,		/* pg_data_t *node_data[MAX_NUMNODES] */
	LIVE_NR_ONLINE_NODES,	/* int */
	LIVE_NR_CPU_IDS,	/* unsigned int */
	LIVE_NR_ONLINE_CPUS,	/* ukmem_nr_online_cpus */
	LIVE_TOTALRAM,		/* atomic_long_t _totalram_pages */
	LIVE_TOTALRESERVE,	/* unsigned long totalreserve_pages */
	LIVE_TOTALHIGH,		/* unsigned long totalhigh_pages_count */
	LIVE_RAM_SIZE,		/* phys_addr_t ukmem_ram_size */
	LIVE_RAM_PFNS,		/* unsigned long ukmem_ram_pfns */
	LIVE_MAX_PFN,		/* unsigned long max_pfn */
	LIVE_MEM_MAP,		/* struct page *mem_map */
	LIVE_VMALLOC_TOTAL,	/* unsigned long ukmem_vmalloc_total_bytes */
	LIVE_PERCPU_BYTES,	/* unsigned long ukmem_percpu_bytes */
	LIVE_HAS_ZONE,		/* bool ukmem_has_zone[MAX_NR_ZONES] */
	LIVE_HIGHMEM_LAYOUT,	/* the i386 layout flag */
	LIVE_MEMBLOCK,		/* struct memblock memblock */
	LIVE_PAGEBLOCK_MT,	/* u8 *pageblock_mt: a migratetype per pageblock */
	LIVE_DEFERRED_MAP,	/* unsigned long *deferred_map: a bit per untouched max-order block */
	LIVE_SLAB_CACHES,	/* struct list_head slab_caches */
	LIVE_SLAB_STATE,	/* enum slab_state slab_state */
	LIVE_LOG_BUF,		/* char[] the printk log */
	LIVE_LOG_LEN,		/* size_t bytes of text in it */
	LIVE_CMDLINE,		/* char[] the boot command line */
	LIVE_PCP_HOT_STACKS,	/* the per-CPU page stacks' places (pcp_hot.stacks) */
	NR_LIVE_VARS
};

struct live_var {
	u64 addr;
	u64 size;
};

/* Counters a subsystem adds to the area (live_register_counters()). */
#define LIVE_MAX_COUNTER_GROUPS	8
struct live_counter_group {
	u64 names;		/* const char *const[n] */
	u64 values;		/* atomic_long_t[n] */
	u32 n;
	char group[20];
};

struct live_area {
	char magic[16];
	u32 layout;			/* live_layout() of the publisher */
	u32 nr_vars;
	char version[16];		/* UKMEM_VERSION */
	u64 boot_ns;			/* arch_clock_ns() when it booted */
	struct live_var vars[NR_LIVE_VARS];
	u32 nr_counter_groups;
	struct live_counter_group counters[LIVE_MAX_COUNTER_GROUPS];
};

/*
 * The sizes and offsets a reader of another process's structures depends
 * on, folded into 32 bits (FNV-1a); both sides compute it from the same
 * headers, so any change to them shows as a mismatch.
 */
static inline u32 live_layout(void)
{
	const unsigned long v[] = {
		sizeof(struct live_area), NR_LIVE_VARS, MAX_NUMNODES, MAX_NR_ZONES,
		NR_PAGE_ORDERS, MIGRATE_TYPES, NR_PCP_LISTS, sizeof(struct page),
		sizeof(pg_data_t), sizeof(struct zone), offsetof(struct zone, free_area),
		offsetof(struct zone, vm_stat), offsetof(struct zone, per_cpu_pageset),
		sizeof(struct per_cpu_pages), sizeof(struct free_area),
		sizeof(struct kmem_cache), offsetof(struct kmem_cache, list),
		offsetof(struct kmem_cache, node), offsetof(struct kmem_cache, name),
		sizeof(struct kmem_cache_node), sizeof(struct slab),
		offsetof(struct slab, slab_list), NR_VM_ZONE_STAT_ITEMS, NR_VM_NODE_STAT_ITEMS,
	};
	u32 h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		h ^= (u32)v[i];
		h *= 16777619u;
	}
	return h;
}

/* mm/live.c */
/* Publish this process's area (boot, once the allocators are up). */
void live_publish(void);
/* This process's own addresses of the variables (what a reader copies into). */
void live_vars(struct live_var vars[NR_LIVE_VARS]);
/*
 * Add a group of named counters (the names and values must live for the
 * process's life), e.g. the vm events; false when the area has no room.
 */
bool live_register_counters(const char *group, const char *const *names,
			    const atomic_long_t *values, unsigned int n);

#endif /* _MM_LIVE_H */
