/* SPDX-License-Identifier: MIT */
/*
 * mm/debug_page_alloc.c - debug_pagealloc (CONFIG_DEBUG_PAGEALLOC, the
 * kernel's mm/debug_page_alloc.c and x86's __kernel_map_pages()), switched
 * on at boot with debug_pagealloc=on.
 *
 * A free page leaves the linear map; an allocated one comes back.  In the
 * kernel that is the direct map's page table entry; here it is the host's
 * guard marker (MADV_GUARD_INSTALL, Linux 6.13+ on private memory): a
 * per-page mark that faults every access, without splitting the host's
 * mapping, so scattered free pages do not run into its map count limit.
 * Any access to a free page then faults, and the fault is reported as the
 * kernel's oops ("BUG: unable to handle page fault for address", "#PF:
 * ...", "Oops: 0002 [#1] PREEMPT SMP DEBUG_PAGEALLOC", the stack), after
 * which the process dies of SIGSEGV, as the kernel kills the task.
 *
 * Where pages become free without the free path, they are unmapped too:
 * the blocks the boot hands to the buddy allocator and those it takes from
 * its deferred pool, and blocks page reporting gave back to the host and
 * mapped afresh (a new mapping has no marks); so are the free pages of
 * the ranges a fork child maps again (a map of what is unmapped says
 * which).  A fork from a signal handler that interrupted vmalloc remaps
 * from /proc/self/maps instead, and its child loses the marks there.
 *
 * What differs:
 * - A marked page loses its contents (the host drops the page; a shared
 *   mapping keeps them in its file).  Nothing may read a free page anyway;
 *   page poisoning (page_poison=1) takes a page that reads as zero for one
 *   the host holds and does not check it, so the two combine.
 * - Highmem pages have no linear address to take away: not unmapped.
 * - A host without guard markers (MADV_GUARD_INSTALL refused) leaves it
 *   off, with a line saying so; debug_pagealloc_enabled() is then false.
 * - debug_guardpage_minorder= (guard pages between buddies) is not there.
 * Every page allocation and free is a system call: a debugging mode.
 */
#include <errno.h>

#include <linux/bitmap.h>
#include <linux/kfence.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include "arch/host.h"
#include "arch/mapping.h"
#include "mm/internal.h"

bool _debug_pagealloc_enabled_early;	/* debug_pagealloc= (kernel/params.c) */
bool _debug_pagealloc_enabled;		/* on, after debug_pagealloc_init() */

/*
 * One bit per pfn: taken out of the linear map.  The marks live in the
 * host's page tables, and a fork child maps the shared ranges of the
 * linear map afresh (mm/vmalloc_fork.c), which drops them: the child puts
 * them back from here.  Changed with atomic bit operations (two pages of
 * one word may change at once).
 */
static unsigned long *unmapped_map;
static unsigned long unmapped_pfns;

static void note_unmapped(unsigned long pfn, unsigned long nr, bool unmapped)
{
	unsigned long i, end = min(pfn + nr, unmapped_pfns);

	for (i = pfn; i < end; i++) {
		if (unmapped)
			set_bit((long)i, unmapped_map);
		else
			clear_bit((long)i, unmapped_map);
	}
}

/* The lowmem address of @page, if @nr pages from it can be marked. */
static void *mappable(struct page *page, int nr)
{
	void *addr;

	if (nr <= 0 || PageHighMem(page))
		return NULL;
	addr = page_address(page);
	return addr && (unsigned long)addr + ((unsigned long)nr << PAGE_SHIFT) <=
		       (unsigned long)high_memory ? addr : NULL;
}

/**
 * __kernel_map_pages - put @numpages pages from @page into the linear map
 * (@enable) or take them out
 *
 * What debug_pagealloc_map_pages() and debug_pagealloc_unmap_pages() call
 * when it is on.  A host refusal leaves the pages as they were (mapped):
 * the check is lost for them, nothing else.  Context: any (one system call).
 */
void __kernel_map_pages(struct page *page, int numpages, int enable)
{
	void *addr = mappable(page, numpages);
	size_t len = (size_t)numpages << PAGE_SHIFT;

	if (!addr)
		return;
	if (enable) {
		note_unmapped(page_to_pfn(page), (unsigned long)numpages, false);
		arch_guard_remove(addr, len);
	} else {
		arch_guard_install(addr, len);
		note_unmapped(page_to_pfn(page), (unsigned long)numpages, true);
	}
}

/*
 * In a fork child, after the linear range of @nr pages from @pfn was
 * mapped afresh: its free pages leave the linear map again.
 */
void debug_pagealloc_fork_remapped(unsigned long pfn, unsigned long nr)
{
	unsigned long end = min(pfn + nr, unmapped_pfns), run;

	if (!debug_pagealloc_enabled_static())
		return;
	for (pfn = find_next_bit(unmapped_map, end, pfn); pfn < end;
	     pfn = find_next_bit(unmapped_map, end, run)) {
		run = find_next_zero_bit(unmapped_map, end, pfn);
		arch_guard_install(pfn_to_virt(pfn), (run - pfn) << PAGE_SHIFT);
	}
}

/* Address @addr is in lowmem's linear map (RAM or not). */
static bool in_linear_map(unsigned long addr)
{
	return addr >= PAGE_OFFSET && addr < (unsigned long)high_memory;
}

/*
 * A fault on the linear map while debug_pagealloc is on: an access to a
 * page that is not allocated (or to memory not yet committed, which no
 * one may touch either).  The kernel's page-fault oops, then the process
 * dies of the signal (false: the next handler, or the default action).
 */
static bool debug_pagealloc_fault(unsigned long addr, bool is_write, unsigned long ip)
{
	unsigned long stack[16];
	int n, i;

	/* KFENCE's pool is linear memory too: its guard pages are its own (the next handler). */
	if (!READ_ONCE(_debug_pagealloc_enabled) || !in_linear_map(addr) ||
	    is_kfence_address((void *)addr))
		return false;
	n = fault_stack_trace(ip, stack, ARRAY_SIZE(stack));
	pr_alert("BUG: unable to handle page fault for address: %px\n", (void *)addr);
	pr_alert("#PF: supervisor %s access in kernel mode\n", is_write ? "write" : "read");
	pr_alert("#PF: error_code(0x%04x) - not-present page\n", is_write ? 2 : 0);
	printk(KERN_DEFAULT "Oops: %04x [#1] PREEMPT SMP DEBUG_PAGEALLOC\n", is_write ? 2 : 0);
	/* __die() -> show_regs() -> show_regs_print_info() -> dump_stack_print_info(). */
	dump_stack_print_info(KERN_EMERG);
	pr_emerg("RIP: 0010:%pS\n", (void *)ip);
	pr_emerg("Call Trace:\n");
	pr_emerg(" <TASK>\n");
	for (i = 0; i < n; i++)
		pr_emerg(" %pS\n", (void *)stack[i]);
	pr_emerg(" </TASK>\n");
	pr_emerg("Modules linked in:\n");
	pr_emerg("CR2: %016lx\n", addr);
	pr_emerg("---[ end trace 0000000000000000 ]---\n");
	add_taint(TAINT_DIE, LOCKDEP_NOW_UNRELIABLE);
	return false;
}

/*
 * debug_pagealloc_init - at boot, after the command line, before memory
 * reaches the buddy allocator (mm/page_alloc_tables.c): on if asked for
 * and the host has guard markers for the linear map.
 */
void debug_pagealloc_init(unsigned long nr_pfns)
{
	if (!_debug_pagealloc_enabled_early)
		return;
	unmapped_map = memblock_alloc(BITS_TO_LONGS(nr_pfns) * sizeof(long), SMP_CACHE_BYTES);
	if (!unmapped_map) {
		pr_warn("debug_pagealloc: no memory for its map: not enabled\n");
		_debug_pagealloc_enabled_early = false;
		return;
	}
	unmapped_pfns = nr_pfns;
	if (!arch_guard_supported()) {
		pr_warn("debug_pagealloc: the host has no guard markers (MADV_GUARD_INSTALL, Linux 6.13+): not enabled\n");
		_debug_pagealloc_enabled_early = false;
		return;
	}
	if (arch_fault_handler_install(debug_pagealloc_fault)) {
		pr_warn("debug_pagealloc: no fault handler: not enabled\n");
		_debug_pagealloc_enabled_early = false;
		return;
	}
	WRITE_ONCE(_debug_pagealloc_enabled, true);
}
