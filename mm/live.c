/* SPDX-License-Identifier: MIT */
/*
 * mm/live.c - the statistics area: where a process running on ukmem says
 * its allocator's figures are, for `ukmem top`, `ukmem ps`, `ukmem show
 * --pid` and `ukmem map` (mm/live.h explains the design; the reader is
 * tools/live.c).
 *
 * The kernel's figures are files in /proc that the kernel fills when they
 * are read.  A library cannot run code in its process when another
 * process asks, short of a thread of its own or a signal it would have to
 * own, and both cost every process something.  Instead it publishes, once
 * at boot, the addresses of the variables that already hold the figures;
 * the reader copies them with process_vm_readv() and runs the library's
 * own report code on the copies.  The allocator's paths keep exactly the
 * counters they kept before: the area costs nothing after boot.
 *
 * Entry points: live_publish() (boot), live_vars(), live_register_counters().
 */
#include <string.h>

#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/vmstat.h>
#include <ukmem/version.h>
#include "arch/host.h"
#include "mm/internal.h"
#include "kernel/params.h"
#include "mm/live.h"
#include "mm/pcp_hot.h"
#include "mm/proc.h"
#include "mm/slab.h"

/* kernel/printk.c, init/main.c */
void printk_log_ref(const char **buf, size_t *size, const size_t **len);
extern char boot_command_line[COMMAND_LINE_SIZE];

static struct live_area *area;

#define VAR(i, var) do {						\
	vars[i].addr = (u64)(unsigned long)&(var);			\
	vars[i].size = sizeof(var);					\
} while (0)

void live_vars(struct live_var vars[NR_LIVE_VARS])
{
	const char *log;
	const size_t *log_len;
	size_t log_size;

	memset(vars, 0, NR_LIVE_VARS * sizeof(*vars));
	VAR(LIVE_NODE_DATA, node_data);
	VAR(LIVE_NR_ONLINE_NODES, nr_online_nodes);
	VAR(LIVE_NR_CPU_IDS, nr_cpu_ids);
	VAR(LIVE_NR_ONLINE_CPUS, ukmem_nr_online_cpus);
	VAR(LIVE_TOTALRAM, _totalram_pages);
	VAR(LIVE_TOTALRESERVE, totalreserve_pages);
	VAR(LIVE_TOTALHIGH, totalhigh_pages_count);
	VAR(LIVE_RAM_SIZE, ukmem_ram_size);
	VAR(LIVE_RAM_PFNS, ukmem_ram_pfns);
	VAR(LIVE_MAX_PFN, max_pfn);
	VAR(LIVE_MEM_MAP, mem_map);
	VAR(LIVE_VMALLOC_TOTAL, ukmem_vmalloc_total_bytes);
	VAR(LIVE_PERCPU_BYTES, ukmem_percpu_bytes);
	VAR(LIVE_HAS_ZONE, ukmem_has_zone);
	VAR(LIVE_HIGHMEM_LAYOUT, ukmem_highmem_layout);
	VAR(LIVE_MEMBLOCK, memblock);
	VAR(LIVE_PAGEBLOCK_MT, pageblock_mt);
	VAR(LIVE_DEFERRED_MAP, deferred_map);
	VAR(LIVE_SLAB_CACHES, slab_caches);
	VAR(LIVE_SLAB_STATE, slab_state);
	printk_log_ref(&log, &log_size, &log_len);
	vars[LIVE_LOG_BUF].addr = (u64)(unsigned long)log;
	vars[LIVE_LOG_BUF].size = log_size;
	vars[LIVE_LOG_LEN].addr = (u64)(unsigned long)log_len;
	vars[LIVE_LOG_LEN].size = sizeof(*log_len);
	VAR(LIVE_CMDLINE, boot_command_line);
	VAR(LIVE_PCP_HOT_STACKS, pcp_hot.stacks);
}

/**
 * live_publish - map and fill this process's statistics area.
 *
 * Called once by the boot, after the allocators are up and before the
 * machine is declared running.  A host that refuses the memfd leaves the
 * process without an area: `ukmem ps` does not list it, nothing else
 * changes.  Context: the booting thread.
 */
void live_publish(void)
{
	struct live_area *a;

	if (area)
		return;
	a = arch_named_area(LIVE_MAP_NAME, PAGE_SIZE);
	if (!a) {
		pr_info("ukmem: no statistics area (memfd refused); ukmem top cannot see this process\n");
		return;
	}
	BUILD_BUG_ON(sizeof(*a) > PAGE_SIZE);
	memset(a, 0, sizeof(*a));
	a->layout = live_layout();
	a->nr_vars = NR_LIVE_VARS;
	strncpy(a->version, UKMEM_VERSION, sizeof(a->version) - 1);
	a->boot_ns = arch_clock_ns();
	live_vars(a->vars);
	/* The magic last: a reader that sees it sees the rest. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(a->magic, LIVE_MAGIC, sizeof(LIVE_MAGIC));
	area = a;
	/* The reclaim events /proc/vmstat counts (mm/vmstat.c), for top's reclaim line. */
	live_register_counters("vmstat", vm_event_names, ukmem_vm_events, NR_VM_EVENT_ITEMS);
}

/**
 * live_register_counters - add a group of named counters to the area.
 * @group: a short name shown by the reader ("vmstat")
 * @names: @n names, living as long as the process
 * @values: @n counters, likewise
 *
 * For subsystems whose event counters the live view should show (the
 * reclaim counters of vmstat).  Returns false if the area is missing or
 * full.  Context: any, before or after other threads read it (a group is
 * complete before the count that publishes it).
 */
bool live_register_counters(const char *group, const char *const *names,
			    const atomic_long_t *values, unsigned int n)
{
	struct live_counter_group *g;
	u32 i;

	if (!area)
		return false;
	i = __atomic_load_n(&area->nr_counter_groups, __ATOMIC_RELAXED);
	if (i >= LIVE_MAX_COUNTER_GROUPS)
		return false;
	g = &area->counters[i];
	g->names = (u64)(unsigned long)names;
	g->values = (u64)(unsigned long)values;
	g->n = n;
	strncpy(g->group, group, sizeof(g->group) - 1);
	__atomic_store_n(&area->nr_counter_groups, i + 1, __ATOMIC_RELEASE);
	return true;
}
