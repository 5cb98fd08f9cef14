/* SPDX-License-Identifier: MIT */
/*
 * Page poisoning (mm/page_poison.c, page_poison=on), as the kernel's
 * CONFIG_PAGE_POISONING behaves: a freed page holds PAGE_POISON; a write
 * into it is reported when the page is next allocated ("pagealloc: memory
 * corruption", or "pagealloc: single bit error" for one flipped bit, the
 * bytes as a hex dump from the first to the last bad one, the stack, the
 * page), at most 10 reports per 5 seconds; the page is handed out anyway;
 * init_on_alloc/init_on_free give way to it with the kernel's message;
 * __GFP_ZERO still zeroes.  Nothing is reported for memory never
 * poisoned: fresh boot memory, pages page reporting gave back to the
 * host, slab and vmalloc churn, highmem.  Off by default.
 *
 * Each case boots its own child.  The thread is bound to one host CPU so
 * that a freed page comes back from the same per-CPU stack.  An ASan
 * build checks only what needs no access to a freed page.
 */
#define _GNU_SOURCE
#include <sched.h>

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/poison.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include "mm/internal.h"
#include "ktest_boot.h"
#include "slab_test.h"

static void boot_bound(const char *cmdline)
{
	cpu_set_t set;
	int cpu;

	CPU_ZERO(&set);
	CHECK_EQ(sched_getaffinity(0, sizeof(set), &set), 0);
	for (cpu = 0; !CPU_ISSET(cpu, &set); cpu++)
		;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	CHECK_EQ(sched_setaffinity(0, sizeof(set), &set), 0);
	ktest_current = cmdline;
	if (!ktest_boot_quietly(cmdline))
		_exit(3);
}

/* The page @target again, from the stack it was freed to (a few tries). */
static struct page *alloc_again(struct page *target)
{
	struct page *held[8], *page = NULL;
	int n = 0, i;

	while (n < 8) {
		page = alloc_page(GFP_KERNEL);
		if (!page || page == target)
			break;
		held[n++] = page;
		page = NULL;
	}
	for (i = 0; i < n; i++)
		__free_page(held[i]);
	return page;
}

/* Free a page, write @val at @off of it, allocate it again: the log. */
static const char *write_after_free(size_t off, u8 val)
{
	struct page *page = alloc_page(GFP_KERNEL), *again;
	u8 *p = page_address(page);

	__free_page(page);
	p[off] = val;
	ukmem_dmesg_clear();
	again = alloc_again(page);
	CHECK(again == page);
	if (again)
		__free_page(again);
	return ktest_dmesg_now();
}

static void poison_on_free(void *arg)
{
	struct page *page;
	u8 *p;

	boot_bound(arg);
	page = alloc_pages(GFP_KERNEL, 2);
	p = page_address(page);
	memset(p, 0x11, 4 * PAGE_SIZE);
	__free_pages(page, 2);
	CHECK(!memchr_inv(p, PAGE_POISON, 4 * PAGE_SIZE));
	/* __GFP_ZERO still zeroes, after the check. */
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	CHECK(mem_is_zero(page_address(page), 4 * PAGE_SIZE));
	__free_pages(page, 2);
	CHECK(!strstr(ktest_dmesg_now(), "pagealloc:"));
}

static void test_freed_pages_hold_poison(void)
{
	if (TEST_ASAN)
		KTEST_SKIP("reads freed pages");
	CHECK(ktest_exited_with(ktest_child(poison_on_free, "mem=64M page_poison=on"), 0));
}

static void corruption_reported(void *arg)
{
	const char *log;
	int i;

	boot_bound(arg);
	log = write_after_free(100, 0x00);
	CHECK_STR_CONTAINS(log, "pagealloc: memory corruption\n");
	CHECK(!strstr(log, "single bit error"));
	CHECK_STR_CONTAINS(log, ": 00 ");	/* the hex dump of the one bad byte */
	CHECK_STR_CONTAINS(log, "pagealloc: corrupted page details");
	CHECK_STR_CONTAINS(log, "Call Trace:");

	/* Two bytes far apart: the dump runs from the first to the last. */
	{
		struct page *page = alloc_page(GFP_KERNEL), *again;
		u8 *p = page_address(page);

		__free_page(page);
		p[16] = 1;
		p[47] = 2;
		ukmem_dmesg_clear();
		again = alloc_again(page);
		CHECK(again == page);
		log = ktest_dmesg_now();
		CHECK_STR_CONTAINS(log, "01 aa aa");
		CHECK_STR_CONTAINS(log, "aa 02  ");
		/* Handed out as it is: the bytes are the writer's. */
		CHECK_EQ(p[16], 1);
		CHECK_EQ(p[47], 2);
		if (again)
			__free_page(again);
	}

	log = write_after_free(4000, PAGE_POISON ^ 0x10);
	CHECK_STR_CONTAINS(log, "pagealloc: single bit error\n");
	CHECK(!strstr(log, "memory corruption"));

	/* At most 10 reports in 5 seconds (3 so far). */
	ukmem_dmesg_clear();
	for (i = 0; i < 12; i++) {
		struct page *page = alloc_page(GFP_KERNEL), *again;

		__free_page(page);
		((u8 *)page_address(page))[8] = 0;
		again = alloc_again(page);
		if (again)
			__free_page(again);
	}
	CHECK_EQ(count_substr(ktest_dmesg_now(), "pagealloc: memory corruption"), 7);
}

static void test_write_after_free_reported(void)
{
	if (TEST_ASAN)
		KTEST_SKIP("writes freed pages");
	CHECK(ktest_exited_with(ktest_child(corruption_reported, "mem=64M page_poison=on"), 0));
}

/*
 * Max-order blocks written, freed (poisoned), handed back to the host by
 * page reporting where the command line lets it (keep=0: they then read
 * as zeroes), and allocated again.  Counts the blocks that came back zero.
 */
static int blocks_back_zero;

static void given_back_and_taken(int round)
{
	struct page *blocks[8];
	int i;

	for (i = 0; i < 8; i++) {
		blocks[i] = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
		if (blocks[i])
			memset(page_address(blocks[i]), round, PAGE_SIZE << MAX_PAGE_ORDER);
	}
	for (i = 0; i < 8; i++)
		if (blocks[i]) {
			struct zone *zone = page_zone(blocks[i]);

			__free_pages(blocks[i], MAX_PAGE_ORDER);
			page_reporting_run(zone);
		}
	for (i = 0; i < 8; i++) {
		blocks[i] = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
		if (blocks[i] && mem_is_zero(page_address(blocks[i]), PAGE_SIZE << MAX_PAGE_ORDER))
			blocks_back_zero++;
	}
	for (i = 0; i < 8; i++)
		if (blocks[i])
			__free_pages(blocks[i], MAX_PAGE_ORDER);
}

/* Everything the allocators do, with no write after free: nothing reported. */
static void no_false_reports(void *arg)
{
	static void *objs[20000];
	struct page *pages[64];
	void *areas[32];
	int round, i;

	boot_bound(arg);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 64; i++)
			pages[i] = alloc_pages(GFP_KERNEL | (i & 1 ? __GFP_HIGHMEM : 0),
					       (unsigned int)(i % (MAX_PAGE_ORDER + 1)));
		for (i = 0; i < 64; i++)
			if (pages[i])
				__free_pages(pages[i], (unsigned int)(i % (MAX_PAGE_ORDER + 1)));
		for (i = 0; i < 20000; i++)
			objs[i] = kmalloc(16 << (i % 9), GFP_KERNEL);
		for (i = 0; i < 20000; i++)
			kfree(objs[i]);
		kmem_cache_shrink_all();
		for (i = 0; i < 32; i++)
			areas[i] = vmalloc((size_t)(i + 1) * 64 * 1024);
		for (i = 0; i < 32; i++)
			vfree(areas[i]);
		vm_unmap_aliases();
		drain_all_pages(NULL);
		given_back_and_taken(round);
	}
	CHECK(!strstr(ktest_dmesg_now(), "pagealloc:"));
	CHECK(!strstr(ktest_dmesg_now(), "BUG"));
	/* Where reporting may give everything back, the zero blocks were met. */
	if (strstr(arg, "keep=0"))
		CHECK(blocks_back_zero > 0);
}

static void test_no_false_reports(void)
{
	static const char *const lines[] = {
		"mem=64M page_poison=on",
		"mem=64M page_poison=1 page_reporting.keep=0 page_reporting.delay_ms=0",
		"mem=1G highmem page_poison=on",
		"mem=128M numa=fake=2 page_poison=y slab_debug=FZPU",
	};

	run_cmdlines(no_false_reports, lines, ARRAY_SIZE(lines));
}

static void precedence(void *arg)
{
	const char *log;

	boot_bound(arg);
	log = ktest_dmesg_now();
	CHECK_STR_CONTAINS(log, "mem auto-init: CONFIG_PAGE_POISONING is on, will take precedence over init_on_alloc and init_on_free\n");
	CHECK_STR_CONTAINS(log, "heap alloc:off, heap free:off");
}

static void test_precedence_over_init_on(void)
{
	CHECK(ktest_exited_with(ktest_child(precedence,
					    "mem=64M init_on_alloc=1 init_on_free=1 page_poison=on"), 0));
}

static void off_by_default(void *arg)
{
	struct page *page;
	u8 *p;

	boot_bound(arg);
	page = alloc_page(GFP_KERNEL);
	p = page_address(page);
	p[0] = 0x5c;
	__free_page(page);
	CHECK_EQ(p[0], 0x5c);
	write_after_free(0, 0);
	CHECK(!strstr(ktest_dmesg_now(), "pagealloc:"));
}

static void test_off_by_default(void)
{
	if (TEST_ASAN)
		KTEST_SKIP("reads freed pages");
	CHECK(ktest_exited_with(ktest_child(off_by_default, "mem=64M page_poison=off"), 0));
}

/*
 * Boot memory that memblock handed out and got back before the buddy
 * allocator took over (memblock_free(), free_bootmem()) holds what its
 * user wrote: the kernel poisons it as memblock frees it to the buddy
 * allocator (__free_pages_core() takes the free path), so its first
 * allocation reports nothing.
 */
static phys_addr_t early_freed;
#define EARLY_BYTES	(16 * PAGE_SIZE)

static void write_and_free_early(void *arg)
{
	void *p = memblock_alloc(EARLY_BYTES, PAGE_SIZE);

	(void)arg;
	if (!p)
		return;
	memset(p, 0x5a, EARLY_BYTES);
	early_freed = __pa(p);
	memblock_free(p, EARLY_BYTES);
}

static void boot_memory_freed_early(void *arg)
{
	unsigned long first, nr = 0, met = 0, max = 8192, i;
	struct page **held;

	if (ukmem_boot_hook(arg, write_and_free_early, NULL))
		_exit(3);
	CHECK(early_freed != 0);
	first = PHYS_PFN(early_freed);
	held = kvmalloc_array(max, sizeof(*held), GFP_KERNEL);
	CHECK(held != NULL);
	if (!held)
		return;
	ukmem_dmesg_clear();
	/* Every free page: the early ones among them. */
	while (nr < max) {
		struct page *page = alloc_page(GFP_NOWAIT | __GFP_NOWARN | __GFP_MEMALLOC);

		if (!page)
			break;
		if (page_to_pfn(page) >= first && page_to_pfn(page) < first + EARLY_BYTES / PAGE_SIZE)
			met++;
		held[nr++] = page;
	}
	CHECK_EQ(met, EARLY_BYTES / PAGE_SIZE);
	CHECK(!strstr(ktest_dmesg_now(), "pagealloc:"));
	for (i = 0; i < nr; i++)
		__free_page(held[i]);
	kvfree(held);
}

static void test_boot_memory_freed_early(void)
{
	CHECK(ktest_exited_with(ktest_child(boot_memory_freed_early,
					    "mem=16M page_poison=on loglevel=4"), 0));
}

int main(void)
{
	KTEST_RUN(KTEST(test_freed_pages_hold_poison), KTEST(test_write_after_free_reported),
		  KTEST(test_no_false_reports), KTEST(test_precedence_over_init_on),
		  KTEST(test_off_by_default), KTEST(test_boot_memory_freed_early));
}
