/* SPDX-License-Identifier: MIT */
/*
 * debug_pagealloc=on (mm/debug_page_alloc.c): a free page is out of the
 * linear map, so a write or a read of it faults and is reported as the
 * kernel's page-fault oops, and the process dies of SIGSEGV; an allocated
 * page is back and usable.  The touches run in forked children.  Also:
 * the pages of a fork child stay unmapped, the pages page reporting gave
 * back and the page allocator's own users (slab, large kmalloc, vmalloc)
 * work unchanged, page poisoning finds no false corruption, and
 * copy_from_kernel_nofault() answers -EFAULT for a free page, as in the
 * kernel.  Without guard markers on the host (before Linux 6.13) the mode
 * stays off: the test is skipped.
 */
#include "slab_test.h"
#include <pthread.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/page-flags.h>
#include <linux/kfence.h>
#include "arch/host.h"
#include "mm/internal.h"
#include "mm/kfence.h"

#define BOOT_LINE	"mem=128M loglevel=4 debug_pagealloc=on"

struct touch_case {
	const char *name;
	void (*fn)(void);
	const char *want[7];
};

static char *freed_addr;	/* the child's: where it touched */

/* A block freed a moment ago: its address, no longer the caller's. */
static char *freed_block(unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL, order);
	char *p;

	if (!page)
		_exit(4);
	p = page_address(page);
	memset(p, 0x5a, PAGE_SIZE << order);
	__free_pages(page, order);
	return p;
}

/*
 * A child that touched a free page died of it: SIGSEGV, or under a
 * sanitizer (whose SEGV handler runs after ours) its report's exit status.
 */
static bool touch_stopped(int status)
{
	if (WIFSIGNALED(status))
		return WTERMSIG(status) == SIGSEGV;
	/* ASan's exit status after its report is 1, TSan's 66. */
	return (TEST_ASAN || UKMEM_TSAN) && WIFEXITED(status) &&
	       WEXITSTATUS(status) == (UKMEM_TSAN ? 66 : 1);
}

static void boot_loud(const char *line)
{
	/* The console stays stderr (the pipe): the oops must reach it. */
	if (ukmem_boot(line))
		_exit(3);
}

static void write_after_free(void)
{
	boot_loud("mem=128M loglevel=5 debug_pagealloc=on");
	freed_addr = freed_block(2) + PAGE_SIZE + 8;
	fprintf(stderr, "tdpa: at %p\n", freed_addr);
	*(volatile char *)freed_addr = 1;
	fprintf(stderr, "tdpa: the write went through\n");
	_exit(2);
}

static void read_after_free(void)
{
	volatile char c;

	boot_loud("mem=128M loglevel=5 debug_pagealloc=on page_poison=on");
	freed_addr = freed_block(0);
	fprintf(stderr, "tdpa: at %p\n", freed_addr);
	c = *(volatile char *)freed_addr;
	fprintf(stderr, "tdpa: the read went through (%d)\n", c);
	_exit(2);
}

/* A page of a slab that went back to the page allocator: kmalloc's large path. */
static void large_kmalloc_after_free(void)
{
	char *p;

	boot_loud("mem=128M loglevel=5 debug_pagealloc=on");
	p = kmalloc(64 * 1024, GFP_KERNEL);
	if (!p)
		_exit(4);
	memset(p, 1, 64 * 1024);
	kfree(p);
	freed_addr = p + 40000;
	fprintf(stderr, "tdpa: at %p\n", freed_addr);
	*(volatile char *)freed_addr = 1;
	_exit(2);
}

/*
 * A fork child (which allocates as it likes first) touches freed_addr;
 * says whether that stopped it; then this process touches it too.
 */
static void touch_in_child_then_here(const char *who)
{
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		void *q = kmalloc(100000, GFP_KERNEL);

		if (!q)
			_exit(5);
		memset(q, 3, 100000);
		kfree(q);
		fprintf(stderr, "tdpa: %s at %p\n", who, freed_addr);
		*(volatile char *)freed_addr = 1;
		_exit(6);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		_exit(7);
	fprintf(stderr, "tdpa: the %s %s (status %#x)\n", who,
		touch_stopped(status) ? "stopped at the touch" : "went on", status);
	*(volatile char *)freed_addr = 1;
	_exit(2);
}

/* A fork child inherits the unmapped pages. */
static void child_of_fork(void)
{

	boot_loud("mem=128M loglevel=5 debug_pagealloc=on");
	freed_addr = freed_block(1);
	touch_in_child_then_here("child");
}

/*
 * A page vmap() mapped: its linear address became a mapping of the
 * physical memory file and stays one after vunmap() (mm/vmap_alias.c),
 * and a fork child maps such ranges afresh; the child must unmap the
 * page again.
 */
static void vmapped_page_in_child(void)
{
	struct page *page;
	char *v;

	boot_loud("mem=128M loglevel=5 debug_pagealloc=on");
	page = alloc_page(GFP_KERNEL);
	if (!page)
		_exit(4);
	v = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	if (!v)
		_exit(4);
	memset(v, 0x11, PAGE_SIZE);
	freed_addr = page_address(page);
	if (freed_addr[0] != 0x11)	/* the same memory through the linear map */
		_exit(5);
	vunmap(v);
	__free_page(page);
	touch_in_child_then_here("vmap child");
}

/*
 * Is @page inside a free block page reporting handed back?  The block may
 * have merged with its buddies: the flag is on the merged block's head.
 */
static bool in_reported_block(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned int order;

	for (order = 0; order <= MAX_PAGE_ORDER; order++)
		if (PageReported(pfn_to_page(pfn & ~((1UL << order) - 1))))
			return true;
	return false;
}

/* Free @block (order 5), then run the reporting pass now, not after its delay. */
static void free_and_report(struct page *block, struct page *trigger)
{
	struct zone *zone;

	__free_pages(block, 5);
	drain_all_pages(NULL);
	for_each_populated_zone(zone)
		if (zone->reporting_due)
			zone->reporting_due = (arch_jiffies() - 1) | 1;	/* the delay is over */
	__free_pages(trigger, 5);	/* the next free runs the pass */
	drain_all_pages(NULL);
	if (!in_reported_block(block))
		_exit(8);
}

#define REPORT_LINE	"mem=2G loglevel=5 debug_pagealloc=on page_reporting.page_reporting_order=5 " \
			"page_reporting.delay_ms=1000 page_reporting.keep=0 "

/*
 * A block page reporting gave back to the host: its linear range was
 * mapped afresh (a vmap()ed block's shared mapping replaced), which drops
 * the marks; the block must be unmapped again.  The pages are vmapped
 * first so that their linear range is the shared one.
 */
static void reported_block_discarded(void)
{
	struct page *block, *trigger, *pages[32];
	char *v;
	int i;

	boot_loud(REPORT_LINE "page_reporting.unmap=0");
	block = alloc_pages(GFP_KERNEL, 5);
	trigger = alloc_pages(GFP_KERNEL, 5);
	if (!block || !trigger)
		_exit(4);
	for (i = 0; i < 32; i++)
		pages[i] = block + i;
	v = vmap(pages, 32, VM_MAP, PAGE_KERNEL);
	if (!v)
		_exit(4);
	memset(v, 0x22, 32 * PAGE_SIZE);
	vunmap(v);
	free_and_report(block, trigger);
	freed_addr = page_address(block) + 3 * PAGE_SIZE;
	fprintf(stderr, "tdpa: at %p\n", freed_addr);
	*(volatile char *)freed_addr = 1;
	_exit(2);
}

/*
 * Unmap mode: the block is made inaccessible, then read-write again when
 * an allocation splits it (an mprotect, which keeps the marks of the
 * pages that stay free).
 */
static void reported_block_retaken(void)
{
	struct page *block, *trigger, *part;

	boot_loud(REPORT_LINE "page_reporting.unmap=1");
	block = alloc_pages(GFP_KERNEL, 5);
	trigger = alloc_pages(GFP_KERNEL, 5);
	if (!block || !trigger)
		_exit(4);
	memset(page_address(block), 0x33, 32 * PAGE_SIZE);
	free_and_report(block, trigger);
	part = alloc_pages(GFP_KERNEL, 0);	/* from the smallest free block there is */
	if (!part)
		_exit(4);
	memset(page_address(part), 1, PAGE_SIZE);
	freed_addr = page_address(block) + 17 * PAGE_SIZE;
	if (page_address(part) == freed_addr)
		freed_addr += PAGE_SIZE;
	fprintf(stderr, "tdpa: at %p\n", freed_addr);
	*(volatile char *)freed_addr = 1;
	_exit(2);
}

/*
 * KFENCE's guard pages are linear memory too: a touch of one is KFENCE's
 * report (and the program goes on, as under KFENCE alone), not an oops.
 */
static void kfence_beside(void)
{
	char *p = NULL;
	int i;

	boot_loud("mem=128M loglevel=5 debug_pagealloc=on kfence.sample_interval=100");
	for (i = 0; i < 64 && !p; i++) {
		char *q;

		kfence_force_next();
		q = kmalloc(32, GFP_KERNEL);
		if (q && is_kfence_address(q) && ((unsigned long)q & ~PAGE_MASK))
			p = q;		/* at its page's end: the guard page follows */
		else
			kfree(q);
	}
	if (!p)
		_exit(4);
	*(volatile char *)PAGE_ALIGN((unsigned long)p) = 1;	/* the guard page after it */
	fprintf(stderr, "tdpa: after KFENCE's report\n");
	_exit(2);
}

static const struct touch_case cases[] = {
	{ "a write into a freed order-2 block", write_after_free,
	  { "BUG: unable to handle page fault for address: ",
	    "#PF: supervisor write access in kernel mode\n",
	    "#PF: error_code(0x0002) - not-present page\n",
	    "Oops: 0002 [#1] PREEMPT SMP DEBUG_PAGEALLOC\n", NULL } },
	{ "a read of a freed page, with page_poison", read_after_free,
	  { "#PF: supervisor read access in kernel mode\n",
	    "#PF: error_code(0x0000) - not-present page\n",
	    "Oops: 0000 [#1] PREEMPT SMP DEBUG_PAGEALLOC\n", " UID: ", " #1 PREEMPT\n",
	    "RIP: 0010:read_after_free+", NULL } },
	{ "a freed large kmalloc", large_kmalloc_after_free,
	  { "Oops: 0002 [#1] PREEMPT SMP DEBUG_PAGEALLOC\n", "Call Trace:\n",
	    "large_kmalloc_after_free+", "---[ end trace ", NULL } },
	{ "a fork child, then its parent", child_of_fork,
	  { "tdpa: the child stopped at the touch ", "Oops: 0002 [#1] PREEMPT SMP DEBUG_PAGEALLOC\n", NULL } },
	{ "a reported block, discarded and mapped afresh", reported_block_discarded,
	  { "Oops: 0002 [#1] PREEMPT SMP DEBUG_PAGEALLOC\n", NULL } },
	{ "a reported block, unmapped then re-taken", reported_block_retaken,
	  { "Oops: 0002 [#1] PREEMPT SMP DEBUG_PAGEALLOC\n", NULL } },
	{ "a vmap()ed page in a fork child", vmapped_page_in_child,
	  { "tdpa: the vmap child stopped at the touch ", "Oops: 0002 [#1] PREEMPT SMP DEBUG_PAGEALLOC\n",
	    NULL } },
};

static void run_touch_case(const struct touch_case *c)
{
	static char out[1 << 18];
	char at[64];
	const char *line;
	int status, i;

	ktest_current = c->name;
	status = run_in_child(c->fn, out, sizeof(out));
	CHECK(touch_stopped(status));
	if (!WIFSIGNALED(status))
		CHECK_STR_CONTAINS(out, "SEGV");	/* the sanitizer's report */
	for (i = 0; c->want[i]; i++)
		CHECK_STR_CONTAINS(out, c->want[i]);
	CHECK(strstr(out, "went through") == NULL);
	/* The oops names the address the child touched ("tdpa: at %p"). */
	line = strstr(out, "tdpa: at 0x");
	if (line && sscanf(line, "tdpa: at %63s", at) == 1) {
		char want[96];

		snprintf(want, sizeof(want), "page fault for address: %016lx\n",
			 strtoul(at, NULL, 16));
		CHECK_STR_CONTAINS(out, want);
	}
	if (ktest_failures)
		fprintf(stderr, "--- the child's status %#x, its output:\n%s\n", status, out);
}

static void run_kfence_beside(void)
{
	static char out[1 << 18];
	int status;

	ktest_current = "a KFENCE guard page under debug_pagealloc";
	status = run_in_child(kfence_beside, out, sizeof(out));
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
	CHECK_STR_CONTAINS(out, "BUG: KFENCE: out-of-bounds write");
	CHECK_STR_CONTAINS(out, "tdpa: after KFENCE's report\n");
	CHECK(strstr(out, "unable to handle page fault") == NULL);
	if (ktest_failures)
		fprintf(stderr, "--- the child's status %#x, its output:\n%s\n", status, out);
}

/* ---- in this process, booted with debug_pagealloc=on: what must still work ---- */

static void test_enabled(void)
{
	CHECK(debug_pagealloc_enabled());
	CHECK(debug_pagealloc_enabled_static());
}

/* Pages of every order come back usable and hold what was written, again and again. */
static void test_pages_round_trip(void)
{
	unsigned int order, round, bad = 0;

	for (round = 0; round < 20; round++) {
		struct page *pages[8];

		for (order = 0; order < 8; order++) {
			pages[order] = alloc_pages(GFP_KERNEL | (round & 1 ? __GFP_ZERO : 0), order);
			CHECK(pages[order] != NULL);
			if (!pages[order])
				return;
			if (round & 1)
				bad += memchr_inv(page_address(pages[order]), 0,
						  PAGE_SIZE << order) != NULL;
			memset(page_address(pages[order]), (int)(order + round), PAGE_SIZE << order);
		}
		for (order = 0; order < 8; order++) {
			bad += memchr_inv(page_address(pages[order]), (int)(order + round),
					  PAGE_SIZE << order) != NULL;
			__free_pages(pages[order], order);
		}
	}
	CHECK_EQ(bad, 0);
}

/* The slab, large kmalloc, vmalloc and kvmalloc on top, from two threads. */
static void *slab_user(void *arg)
{
	unsigned long bad = 0;
	int round, i;

	for (round = 0; round < 40; round++) {
		void *v[64];
		size_t size;

		for (i = 0; i < 64; i++) {
			size = (size_t)16 << (i % 13);	/* 16 B to 64 KiB */
			v[i] = kmalloc(size, GFP_KERNEL);
			if (!v[i]) {
				bad++;
				continue;
			}
			memset(v[i], i, size);
		}
		for (i = 0; i < 64; i++) {
			size = (size_t)16 << (i % 13);
			bad += v[i] && memchr_inv(v[i], i, size) != NULL;
			kfree(v[i]);
		}
		v[0] = vmalloc(PAGE_SIZE * (round % 5 + 1));
		bad += !v[0];
		if (v[0])
			memset(v[0], 7, PAGE_SIZE * (round % 5 + 1));
		vfree(v[0]);
		v[0] = kvmalloc(3 * PAGE_SIZE, GFP_KERNEL);
		bad += !v[0];
		kvfree(v[0]);
	}
	return (void *)bad;
}

static void test_users_from_threads(void)
{
	pthread_t t[2];
	void *ret;
	int i;

	for (i = 0; i < 2; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, slab_user, NULL), 0);
	for (i = 0; i < 2; i++) {
		CHECK_EQ(pthread_join(t[i], &ret), 0);
		CHECK_EQ((unsigned long)ret, 0);
	}
}

/* copy_from_kernel_nofault() of a free page: -EFAULT, no fault, no report. */
static void test_nofault_copy(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	char buf[16];
	char *p;

	CHECK(page != NULL);
	if (!page)
		return;
	p = page_address(page);
	memset(p, 1, PAGE_SIZE);
	CHECK_EQ(copy_from_kernel_nofault(buf, p, sizeof(buf)), 0);
	__free_page(page);
	CHECK_EQ(copy_from_kernel_nofault(buf, p, sizeof(buf)), -EFAULT);
}

/* In a child: 0 when the boot turned the mode on, 77 when the host could not. */
static void probe(void)
{
	boot_loud(BOOT_LINE);
	_exit(debug_pagealloc_enabled() ? 0 : 77);
}

int main(void)
{
	static char out[4096];
	unsigned int i;
	int status;

	/* Is the mode there at all?  A child asks: each child boots once, this process last. */
	status = run_in_child(probe, out, sizeof(out));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		printf("SKIPPED: the host has no guard markers (MADV_GUARD_INSTALL, Linux 6.13+)\n");
		return 77;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "the probe's boot failed:\n%s\n", out);
		return 1;
	}
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_touch_case(&cases[i]);
	if (!TEST_ASAN)		/* KFENCE is off under ASan */
		run_kfence_beside();
	ktest_current = NULL;
	ukmem_set_console(fopen("/dev/null", "w"));
	if (ukmem_boot(BOOT_LINE)) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_enabled), KTEST(test_pages_round_trip),
		  KTEST(test_users_from_threads), KTEST(test_nofault_copy));
}
