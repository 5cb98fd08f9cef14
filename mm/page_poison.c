/* SPDX-License-Identifier: MIT */
/*
 * mm/page_poison.c - page poisoning (CONFIG_PAGE_POISONING, the kernel's
 * mm/page_poison.c), switched on at boot with page_poison=on.
 *
 * Every page freed is filled with PAGE_POISON (0xaa); every page allocated
 * is checked to hold nothing else, so that a write into a freed page shows
 * at its next allocation: "pagealloc: memory corruption" (or "pagealloc:
 * single bit error" for one flipped bit), the corrupted bytes as a hex
 * dump, the allocating stack and the page (dump_page), at most 10 reports
 * every 5 seconds, as the kernel's ratelimit.  The page is handed out as
 * it is.  As in the kernel, poisoning takes precedence over init_on_alloc
 * and init_on_free, which it switches off; __GFP_ZERO still zeroes.
 *
 * What differs: the kernel poisons all of memory when memblock hands it
 * to the buddy allocator at boot, and page reporting keeps the poison
 * value on the host's side (virtio-balloon's PAGE_POISON feature).  Here
 * both would mean writing every page of RAM: a page that reads as all
 * zeroes is taken to be the host's, never touched since boot or given
 * back by page reporting or the balloon, and is not checked.  A write
 * after free that zeroes a whole page is therefore missed; any other
 * write is seen.
 */
#include <string.h>

#include <linux/highmem.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/poison.h>
#include <linux/printk.h>
#include <linux/string.h>
#include "arch/host.h"
#include "mm/internal.h"

bool page_poison_requested;	/* page_poison= (kernel/params.c) */
bool page_poisoning;		/* on, after page_poison_init() */

bool page_poisoning_enabled(void)
{
	return READ_ONCE(page_poisoning);
}

/* At boot, after the command line, before the page allocator's hooks are set. */
void page_poison_init(void)
{
	if (!page_poison_requested)
		return;
	if (init_on_alloc || init_on_free) {
		pr_info("mem auto-init: CONFIG_PAGE_POISONING is on, will take precedence over init_on_alloc and init_on_free\n");
		init_on_alloc = false;
		init_on_free = false;
	}
	page_poisoning = true;
}

/*
 * Boot memory that memblock gave out and took back before the buddy
 * allocator took over (memblock_free(), free_bootmem() from a boot hook)
 * reaches the free lists by __free_pages_core(), without the free path:
 * what its user wrote would be reported at its first allocation.  The
 * kernel poisons every page there; here the pages of @base..+@size that
 * no reservation holds any more are poisoned as they are freed, unless
 * they read as zero (the host's, skipped by the check anyway).  Lowmem
 * only: memblock hands out no highmem.
 */
void page_poison_memblock_free(phys_addr_t base, phys_addr_t size)
{
	unsigned long pfn, end = PFN_UP(base + size);

	for (pfn = PFN_DOWN(base); pfn < end; pfn++) {
		phys_addr_t phys = PFN_PHYS(pfn);
		void *addr = __va(phys);

		if ((unsigned long)addr + PAGE_SIZE > (unsigned long)high_memory ||
		    !memblock_is_region_memory(phys, PAGE_SIZE) ||
		    memblock_is_region_reserved(phys, PAGE_SIZE))
			continue;
		/* Reserved and freed unwritten, it may not be usable yet: made so. */
		if (ukmem_commit_pfns(pfn, 1) || !memchr_inv(addr, 0, PAGE_SIZE))
			continue;
		memset(addr, PAGE_POISON, PAGE_SIZE);
	}
}

/* Highmem pages have no permanent address: a local mapping for the while. */
static void *page_bytes(struct page *page, bool *mapped)
{
	void *addr = page_address(page);

	*mapped = !addr || PageHighMem(page);
	return *mapped ? kmap_local_page(page) : addr;
}

void kernel_poison_pages(struct page *page, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		bool mapped;
		void *addr = page_bytes(page + i, &mapped);

		memset(addr, PAGE_POISON, PAGE_SIZE);
		if (mapped)
			kunmap_local(addr);
	}
}

/* The kernel's DEFINE_RATELIMIT_STATE(ratelimit, 5 * HZ, 10). */
static bool poison_report_allowed(void)
{
	static unsigned long window_start;
	static int printed;
	unsigned long now = arch_jiffies(), start = __atomic_load_n(&window_start, __ATOMIC_RELAXED);

	if (!start || now - start > 5 * HZ) {
		if (__atomic_compare_exchange_n(&window_start, &start, now ? now : 1, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			__atomic_store_n(&printed, 0, __ATOMIC_RELAXED);
	}
	return __atomic_add_fetch(&printed, 1, __ATOMIC_RELAXED) <= 10;
}

static bool single_bit_flip(u8 a, u8 b)
{
	u8 error = a ^ b;

	return error && !(error & (error - 1));
}

static void check_poison_page(struct page *page)
{
	bool mapped;
	u8 *mem = page_bytes(page, &mapped), *start, *end;

	start = memchr_inv(mem, PAGE_POISON, PAGE_SIZE);
	/* Never poisoned: the host's zeroes (see the top of the file). */
	if (!start || (start == mem && !memchr_inv(mem, 0, PAGE_SIZE)))
		goto out;
	for (end = mem + PAGE_SIZE - 1; end > start; end--)
		if (*end != PAGE_POISON)
			break;
	if (!poison_report_allowed())
		goto out;
	if (start == end && single_bit_flip(*start, PAGE_POISON))
		pr_err("pagealloc: single bit error\n");
	else
		pr_err("pagealloc: memory corruption\n");
	print_hex_dump(KERN_ERR, "", DUMP_PREFIX_ADDRESS, 16, 1, start, (size_t)(end - start + 1),
		       true);
	dump_stack();
	dump_page(page, "pagealloc: corrupted page details");
out:
	if (mapped)
		kunmap_local(mem);
}

void kernel_unpoison_pages(struct page *page, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		check_poison_page(page + i);
}
