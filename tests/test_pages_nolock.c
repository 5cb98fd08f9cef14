/* SPDX-License-Identifier: MIT */
/*
 * alloc_pages_nolock()/free_pages_nolock() (v6.15+) where the kernel
 * promises them to work: from a handler that interrupted its own thread
 * inside the page allocator, and with every zone lock held by the caller.
 *  - every zone->lock held by this thread and the per-CPU lists drained:
 *    the allocation fails (NULL, no report) instead of spinning; a free of
 *    an order the per-CPU lists do not take is parked for the lock's
 *    holder, who finishes it on release;
 *  - a reference besides the caller's: free_pages_nolock() only drops its
 *    own, as ___free_pages() does (a compound page stays allocated; a
 *    non-compound block keeps page 0 and frees its upper parts);
 *  - a plain signal handler (the kernel's NMI/tracing callers) allocating
 *    and freeing orders 0-3 with them while the thread it interrupts loops
 *    alloc_pages()/free_pages() of the same orders: no hang (CTest's
 *    timeout), every page it got zeroed and compound, the allocator's
 *    census clean afterwards.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/string.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "ktest_boot.h"
#include "mm/internal.h"

static char logbuf[1 << 16];

static bool reported(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return strstr(logbuf, "WARNING") || strstr(logbuf, "BUG");
}

static void test_zone_locks_held(void)
{
	struct page *p0, *p3;
	struct zone *z;

	ukmem_dmesg_clear();
	drain_all_pages(NULL);
	for_each_zone(z)
		__zone_lock(z);
	p0 = alloc_pages_nolock(0, NUMA_NO_NODE, 0);
	p3 = alloc_pages_nolock(0, 0, 3);
	for_each_zone(z)
		__zone_unlock_plain(z);
	CHECK(p0 == NULL);
	CHECK(p3 == NULL);
	CHECK(!reported());
	/* Not a pcp order: NULL at once, locks or not. */
	CHECK(alloc_pages_nolock(0, NUMA_NO_NODE, MAX_PAGE_ORDER) == NULL);
	p0 = alloc_pages_nolock(0, NUMA_NO_NODE, 0);
	CHECK(p0 != NULL);
	free_pages_nolock(p0, 0);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

static void test_free_parked_under_zone_lock(void)
{
	unsigned int big = PAGE_ALLOC_COSTLY_ORDER + 1 == pageblock_order ?
			   PAGE_ALLOC_COSTLY_ORDER + 2 : PAGE_ALLOC_COSTLY_ORDER + 1;
	struct page *keep = alloc_pages(GFP_KERNEL, big);
	struct zone *z = page_zone(keep);
	unsigned long before;
	bool parked;

	CHECK(keep != NULL);
	drain_all_pages(NULL);
	before = nr_free_pages();
	__zone_lock(z);
	free_pages_nolock(keep, big);
	parked = READ_ONCE(z->irq_deferred_free) != NULL;
	CHECK_EQ(nr_free_pages(), before);
	__zone_unlock_plain(z);
	CHECK(parked);
	CHECK(READ_ONCE(z->irq_deferred_free) == NULL);
	CHECK_EQ(nr_free_pages(), before + (1UL << big));
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

static void test_other_reference(void)
{
	struct page *c = alloc_pages_nolock(0, NUMA_NO_NODE, 2);
	struct page *n = alloc_pages(GFP_KERNEL, 2);

	CHECK(c != NULL && n != NULL);
	ukmem_dmesg_clear();
	get_page(c);
	free_pages_nolock(c, 2);
	CHECK_EQ(page_ref_count(c), 1);
	CHECK(PageHead(c));
	put_page(c);
	page_ref_inc(n);
	free_pages_nolock(n, 2);
	CHECK_EQ(page_ref_count(n), 1);
	CHECK_EQ(page_ref_count(n + 1), 0);	/* the upper parts went back */
	__free_page(n);
	CHECK(!reported());
	drain_all_pages(NULL);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

#define HANDLER_CALLS	20000

static volatile sig_atomic_t calls, got, not_zeroed, not_compound;
static volatile int stop;

static void on_signal(int sig)
{
	unsigned int order = (unsigned int)calls & 3;
	struct page *p;

	(void)sig;
	calls++;
	p = alloc_pages_nolock(0, NUMA_NO_NODE, order);
	if (!p)
		return;		/* the interrupted code held what it needed: may fail */
	got++;
	if (memchr_inv(page_address(p), 0, PAGE_SIZE << order))
		not_zeroed++;
	if (order && (!PageHead(p) || compound_order(p) != order))
		not_compound++;
	memset(page_address(p), 0x6b, PAGE_SIZE << order);
	free_pages_nolock(p, order);
}

static void *interrupter(void *arg)
{
	pthread_t target = *(pthread_t *)arg;

	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		pthread_kill(target, SIGUSR1);
		sched_yield();
	}
	return NULL;
}

static void test_handler_interrupts_allocator(void)
{
	struct sigaction sa = { .sa_handler = on_signal }, old;
	pthread_t self = pthread_self(), thr;
	unsigned long i;

	ukmem_dmesg_clear();
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(sigaction(SIGUSR1, &sa, &old), 0);
	CHECK_EQ(pthread_create(&thr, NULL, interrupter, &self), 0);
	for (i = 0; calls < HANDLER_CALLS; i++) {
		unsigned int order = (i % 5 == 0) ? (unsigned int)(i / 5) & 3 : 0;
		struct page *p = alloc_pages(GFP_KERNEL, order);

		CHECK(p != NULL);
		if (i & 1)
			__free_pages(p, order);
		else
			free_pages((unsigned long)page_address(p), order);
		if (!(i & 0x3fff))
			drain_all_pages(NULL);	/* empties the lists: zone lock paths too */
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(thr, NULL);
	sigaction(SIGUSR1, &old, NULL);
	CHECK(got > 0);
	CHECK_EQ(not_zeroed, 0);
	CHECK_EQ(not_compound, 0);
	CHECK(!reported());
	drain_all_pages(NULL);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

int main(void)
{
	if (!ktest_boot_quietly("mem=256M kfence.sample_interval=0"))
		return 1;
	KTEST_RUN(KTEST(test_zone_locks_held), KTEST(test_free_parked_under_zone_lock),
		  KTEST(test_other_reference), KTEST(test_handler_interrupts_allocator));
}
