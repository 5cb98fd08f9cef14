/* SPDX-License-Identifier: MIT */
/*
 * mm/page_owner.c - who allocated each page (CONFIG_PAGE_OWNER, the
 * kernel's mm/page_owner.c), switched on at boot with page_owner=on.
 *
 * A record per page frame (the kernel keeps it in page_ext), allocated
 * from memblock at boot when the option is on: the order and gfp mask of
 * the allocation, the allocating task (pid, tgid, comm), the time, and
 * the allocation's stack as a stack depot handle; at the free, the
 * freeing task and stack and the time.  Every page of a block carries
 * its block's record, as in the kernel.
 *
 * Read back as the kernel's debugfs files:
 *   ukmem_show("page_owner")  /sys/kernel/debug/page_owner: each block
 *       allocated now, "Page allocated via order ..., ts ... ns", its PFN,
 *       migratetypes and flags, its stack, a blank line;
 *   ukmem_show("page_owner_stacks/show_stacks")  each allocation stack
 *       with the pages allocated from it now ("nr_base_pages: N");
 * and in dump_page() (every "Bad page" report too): what the record says
 * of the page, both stacks included.
 *
 * The stacks are taken in any context; a page allocation made while this
 * thread is already taking one (the unwinder allocating on first use)
 * records the placeholder stack "register_dummy_stack" rather than
 * recursing, and one whose stack the depot refused (full, or busy in a
 * signal handler) records "register_failure_stack", as the kernel's do:
 * such pages stay in the reports.  There is no page migration
 * here, so no "last migrate reason" line.  The records are read without
 * a lock while allocations change them, as the kernel's debugfs read does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/stackdepot.h>
#include <linux/stacktrace.h>
#include "arch/host.h"
#include "mm/internal.h"
#include "mm/proc.h"

#define PAGE_OWNER_STACK_DEPTH	16

enum { OWNER_SET = 1, OWNER_ALLOCATED = 2 };

struct page_owner {
	u16 order;
	u16 flags;			/* OWNER_SET once ever allocated, OWNER_ALLOCATED now */
	gfp_t gfp_mask;
	depot_stack_handle_t handle, free_handle;
	u64 ts_nsec, free_ts_nsec;
	char comm[16];
	int pid, tgid, free_pid, free_tgid;
};

bool page_owner_requested;		/* page_owner= (kernel/params.c) */
bool page_owner_enabled;
static struct page_owner *owners;	/* one per pfn below ukmem_ram_pfns */
static u64 boot_ns;
static __thread bool in_page_owner;	/* taking a stack (the kernel's current->in_page_owner) */
/* The kernel's placeholder stacks: a recursive allocation's, a refused save's. */
static depot_stack_handle_t dummy_handle, failure_handle;

static void show_page_owner(FILE *m);
static void show_page_owner_stacks(FILE *m);

/*
 * A placeholder stack: one frame, the registering function itself, so
 * that a report names what happened ("register_failure_stack+0x0/...").
 */
static depot_stack_handle_t placeholder_stack(void *fn)
{
	unsigned long entry = (unsigned long)fn;

	return stack_depot_save(&entry, 1, GFP_KERNEL);
}

static noinline void register_dummy_stack(void)
{
	dummy_handle = placeholder_stack(register_dummy_stack);
}

static noinline void register_failure_stack(void)
{
	failure_handle = placeholder_stack(register_failure_stack);
}

/* At boot, while memblock still allocates (from page_alloc_init_tables()). */
void page_owner_init(unsigned long nr_pfns)
{
	if (!page_owner_requested)
		return;
	/* Raw: fresh memory reads as zero, and a record is touched only when its page is. */
	owners = memblock_alloc_raw(nr_pfns * sizeof(*owners), SMP_CACHE_BYTES);
	if (!owners) {
		pr_warn("page_owner: no memory for %lu records, left off\n", nr_pfns);
		return;
	}
	boot_ns = arch_clock_ns();
	register_dummy_stack();
	register_failure_stack();
	ukmem_register_report("page_owner", show_page_owner);
	ukmem_register_report("page_owner_stacks/show_stacks", show_page_owner_stacks);
	page_owner_enabled = true;
}

static struct page_owner *owner_of(const struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	return owners && pfn < ukmem_ram_pfns ? &owners[pfn] : NULL;
}

/* The caller's stack into the depot, minus this file's frames and the hooks'. */
static depot_stack_handle_t save_stack(void)
{
	unsigned long entries[PAGE_OWNER_STACK_DEPTH];
	depot_stack_handle_t handle;
	unsigned int nr;

	if (in_page_owner)
		return dummy_handle;
	in_page_owner = true;
	nr = stack_trace_save(entries, PAGE_OWNER_STACK_DEPTH, 2);
	handle = stack_depot_save(entries, nr, GFP_NOWAIT);
	in_page_owner = false;
	return handle ?: failure_handle;
}

void __set_page_owner(struct page *page, unsigned int order, gfp_t gfp)
{
	struct page_owner *first = owner_of(page), rec = { 0 };
	unsigned long i;

	if (!first)
		return;
	rec.order = (u16)order;
	rec.flags = OWNER_SET | OWNER_ALLOCATED;
	rec.gfp_mask = gfp;
	rec.handle = save_stack();
	rec.ts_nsec = arch_clock_ns() - boot_ns;
	rec.pid = arch_gettid();
	rec.tgid = arch_getpid();
	arch_comm(rec.comm);
	/* What the last free left stays: dump_page() shows both sides. */
	for (i = 0; i < (1UL << order) && page_to_pfn(page) + i < ukmem_ram_pfns; i++) {
		struct page_owner *o = first + i;

		rec.free_handle = o->free_handle;
		rec.free_ts_nsec = o->free_ts_nsec;
		rec.free_pid = o->free_pid;
		rec.free_tgid = o->free_tgid;
		*o = rec;
	}
}

void __reset_page_owner(struct page *page, unsigned int order)
{
	struct page_owner *first = owner_of(page);
	depot_stack_handle_t handle;
	int pid, tgid;
	unsigned long i;
	u64 now;

	if (!first)
		return;
	handle = save_stack();
	now = arch_clock_ns() - boot_ns;
	pid = arch_gettid();
	tgid = arch_getpid();
	for (i = 0; i < (1UL << order) && page_to_pfn(page) + i < ukmem_ram_pfns; i++) {
		struct page_owner *o = first + i;

		o->flags &= (u16)~OWNER_ALLOCATED;
		o->free_handle = handle;
		o->free_ts_nsec = now;
		o->free_pid = pid;
		o->free_tgid = tgid;
	}
}

/* split_page() and its parts: each piece is a block of @new_order now. */
void split_page_owner(struct page *page, unsigned long nr, unsigned int new_order)
{
	struct page_owner *first = owner_of(page);
	unsigned long i;

	if (!first)
		return;
	for (i = 0; i < nr && page_to_pfn(page) + i < ukmem_ram_pfns; i++)
		first[i].order = (u16)new_order;
}

/* ---- reading ---- */

/*
 * pagetypeinfo's "Number of mixed blocks" row of @zone, as the kernel's
 * pagetypeinfo_showmixedcount_print() counts it: a pageblock counts for
 * its own migratetype when one of its allocated blocks was asked for with
 * another (the gfp mask page_owner recorded).  Read unlocked, as there;
 * only the records are read, never a struct page of deferred memory.
 */
void page_owner_mixed_blocks(const struct zone *zone, unsigned long count[MIGRATE_TYPES])
{
	unsigned long start = zone->zone_start_pfn, end = min(zone_end_pfn(zone), ukmem_ram_pfns);
	unsigned long block;

	if (!owners)
		return;
	for (block = ALIGN_DOWN(start, pageblock_nr_pages); block < end;
	     block += pageblock_nr_pages) {
		unsigned long pfn = max(block, start), stop = min(block + pageblock_nr_pages, end);
		int block_mt = get_pageblock_migratetype(pfn_to_page(pfn));

		if (block_mt < 0 || block_mt >= MIGRATE_TYPES)
			continue;
		for (; pfn < stop; pfn++) {
			const struct page_owner *o = &owners[pfn];

			if (!(data_race(o->flags) & OWNER_ALLOCATED))
				continue;
			if (gfp_migratetype(data_race(o->gfp_mask)) != block_mt) {
				count[block_mt]++;
				break;
			}
			pfn += (1UL << min_t(unsigned int, data_race(o->order), MAX_PAGE_ORDER)) - 1;
		}
	}
}

static size_t print_owner_record(char *buf, size_t size, unsigned long pfn,
				 const struct page_owner *o)
{
	struct page *page = pfn_to_page(pfn);
	gfp_t gfp = o->gfp_mask;
	size_t n;

	n = (size_t)scnprintf(buf, size,
			      "Page allocated via order %u, mask %#x(%pGg), pid %d, tgid %d (%s), ts %llu ns\n",
			      o->order, (unsigned int)gfp, &gfp, o->pid, o->tgid, o->comm,
			      (unsigned long long)o->ts_nsec);
	n += (size_t)scnprintf(buf + n, size - n, "PFN 0x%lx type %s Block %lu type %s Flags %pGp\n",
			       pfn, migratetype_names[gfp_migratetype(gfp)], pfn >> pageblock_order,
			       migratetype_names[get_pageblock_migratetype(page)], &page->flags);
	/* The stack's count goes past the buffer when it was cut. */
	n = min(n + (size_t)stack_depot_snprint(o->handle, buf + n, size - n, 0), size - 1);
	if (n < size - 1)
		n += (size_t)scnprintf(buf + n, size - n, "\n");
	return n;
}

/*
 * The kernel's read_page_owner() walk: free blocks skipped whole, and of
 * an allocated block only its first (aligned) page printed.
 */
static void show_page_owner(FILE *m)
{
	char buf[4096];		/* each reader its own: two may read at once */
	unsigned long pfn;

	for (pfn = 0; pfn < ukmem_ram_pfns; pfn++) {
		struct page *page = pfn_to_page(pfn);
		struct page_owner o;

		if (data_race(PageBuddy(page))) {
			unsigned long order = data_race(page_private(page));

			if (order <= MAX_PAGE_ORDER)
				pfn += (1UL << order) - 1;
			continue;
		}
		o = data_race(owners[pfn]);
		if (!(o.flags & OWNER_ALLOCATED) || !o.handle)
			continue;
		/*
		 * Any order: a compound block from alloc_contig_pages() is
		 * above the largest buddy order (the shift kept defined).
		 */
		if (o.order >= BITS_PER_LONG || !IS_ALIGNED(pfn, 1UL << o.order))
			continue;
		/* The page's flags too are read as they are. */
		fwrite(buf, 1, data_race(print_owner_record(buf, sizeof(buf), pfn, &o)), m);
	}
}

/* page_owner_stacks/show_stacks: pages allocated now, per allocation stack. */
struct stack_count {
	depot_stack_handle_t handle;
	unsigned long pages;
};

static struct stack_count *stack_slot(struct stack_count *table, unsigned long slots,
				      depot_stack_handle_t h)
{
	unsigned long i;

	for (i = h & (slots - 1); table[i].handle && table[i].handle != h; i = (i + 1) & (slots - 1))
		;
	return &table[i];
}

/*
 * Twice the slots, the counts carried over: the table never fills (a full
 * one had the probe loop for ever), however many stacks there are.
 */
static struct stack_count *stacks_grow(struct stack_count *table, unsigned long *slots)
{
	unsigned long i, n = *slots * 2;
	struct stack_count *bigger = arch_map_anon(n * sizeof(*bigger));

	if (!bigger)
		return NULL;
	for (i = 0; i < *slots; i++)
		if (table[i].handle)
			*stack_slot(bigger, n, table[i].handle) = table[i];
	arch_unmap(table, *slots * sizeof(*table));
	*slots = n;
	return bigger;
}

static int newest_stack_first(const void *a, const void *b)
{
	depot_stack_handle_t x = ((const struct stack_count *)a)->handle;
	depot_stack_handle_t y = ((const struct stack_count *)b)->handle;

	return x < y ? 1 : x > y ? -1 : 0;
}

static void show_page_owner_stacks(FILE *m)
{
	unsigned long slots = 1UL << 16, used = 0, pfn, i;
	struct stack_count *table, *slot;
	char buf[4096];

	table = arch_map_anon(slots * sizeof(*table));
	if (!table)
		return;
	for (pfn = 0; pfn < ukmem_ram_pfns; pfn++) {
		depot_stack_handle_t h;

		if (!(data_race(owners[pfn].flags) & OWNER_ALLOCATED))
			continue;
		h = data_race(owners[pfn].handle);
		if (!h)
			continue;
		slot = stack_slot(table, slots, h);
		if (!slot->handle) {
			/* At most three quarters full: the probes stay short. */
			if (++used > slots / 4 * 3) {
				struct stack_count *bigger = stacks_grow(table, &slots);

				if (!bigger)
					break;	/* the host refused: what was counted */
				table = bigger;
				slot = stack_slot(table, slots, h);
			}
			slot->handle = h;
		}
		slot->pages++;
	}
	/*
	 * The kernel lists the stacks newest first (each new one goes to the
	 * head of its stack_list); the depot hands out handles in the order
	 * stacks arrive, so the highest handle first.
	 */
	for (i = 0, used = 0; i < slots; i++)
		if (table[i].handle)
			table[used++] = table[i];
	qsort(table, used, sizeof(*table), newest_stack_first);
	for (i = 0; i < used; i++) {
		fwrite(buf, 1, min((size_t)stack_depot_snprint(table[i].handle, buf, sizeof(buf), 0),
				   sizeof(buf) - 1), m);
		fprintf(m, "nr_base_pages: %lu\n\n", table[i].pages);
	}
	arch_unmap(table, slots * sizeof(*table));
}

/* For dump_page(): the kernel's __dump_page_owner(). */
void dump_page_owner(const struct page *page)
{
	const struct page_owner *rec = page_owner_enabled ? owner_of(page) : NULL;
	struct page_owner o;
	gfp_t gfp;

	if (!rec)
		return;
	o = data_race(*rec);
	if (!(o.flags & OWNER_SET)) {
		pr_alert("page_owner info is not present (never set?)\n");
		return;
	}
	pr_alert("page_owner tracks the page as %s\n",
		 o.flags & OWNER_ALLOCATED ? "allocated" : "freed");
	gfp = o.gfp_mask;
	pr_alert("page last allocated via order %u, migratetype %s, gfp_mask %#x(%pGg), pid %d, tgid %d (%s), ts %llu, free_ts %llu\n",
		 o.order, migratetype_names[gfp_migratetype(gfp)], (unsigned int)gfp, &gfp,
		 o.pid, o.tgid, o.comm, (unsigned long long)o.ts_nsec,
		 (unsigned long long)o.free_ts_nsec);
	if (!o.handle)
		pr_alert("page_owner allocation stack trace missing\n");
	else
		stack_depot_print(o.handle);
	if (!o.free_handle) {
		pr_alert("page_owner free stack trace missing\n");
	} else {
		pr_alert("page last free pid %d tgid %d stack trace:\n", o.free_pid, o.free_tgid);
		stack_depot_print(o.free_handle);
	}
}
