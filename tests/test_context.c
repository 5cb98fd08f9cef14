/* SPDX-License-Identifier: MIT */
/*
 * Context checks and fault injection for the page allocator:
 * might_sleep() reports in atomic context (and none for the first slab
 * allocation after the boot made under a spinlock), GFP_ATOMIC from signal handlers
 * installed with ukmem_sigaction() while the interrupted thread allocates,
 * and fail_page_alloc's exact failure counts.
 */
#include <errno.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <ukmem/boot.h>
#include <ukmem/context.h>
#include <ukmem/fault.h>
#include "mm/internal.h"
#include "mm/slab.h"
#include "ktest.h"

static char logbuf[1 << 16];

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

static void test_sleep_in_atomic(void)
{
	unsigned long before = ukmem_atomic_sleep_reports();
	struct page *page;
	DEFINE_SPINLOCK(lock);
	int cpu;

	ukmem_dmesg_clear();
	cpu = get_cpu();
	CHECK(cpu >= 0 && (unsigned int)cpu < nr_cpu_ids);
	CHECK(in_atomic());
	page = alloc_page(GFP_KERNEL);
	put_cpu();
	CHECK(!in_atomic());
	CHECK(page != NULL);
	__free_page(page);
	CHECK_EQ(ukmem_atomic_sleep_reports(), before + 1);
	CHECK_STR_CONTAINS(dmesg_now(), "BUG: sleeping function called from invalid context at mm/page_alloc.c:");
	CHECK_STR_CONTAINS(dmesg_now(), "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: ");
	CHECK_STR_CONTAINS(dmesg_now(), "preempt_count: 1, expected: 0");

	/* GFP_ATOMIC under a spinlock is fine; GFP_KERNEL is counted again. */
	spin_lock(&lock);
	page = alloc_page(GFP_ATOMIC);
	CHECK_EQ(ukmem_atomic_sleep_reports(), before + 1);
	__free_page(page);
	page = alloc_page(GFP_NOIO);
	CHECK_EQ(ukmem_atomic_sleep_reports(), before + 2);
	spin_unlock(&lock);
	__free_page(page);
}

/*
 * The first slab allocation after the boot finishes the kmalloc caches
 * (slab_late_init(), under slab_mutex).  When it is a GFP_ATOMIC one under
 * a spinlock (the malloc front end's first large block does exactly that:
 * host_lock, then kcalloc(GFP_ATOMIC)), taking the mutex must not be a
 * sleep in atomic context.  Runs first: nothing before it allocates slabs.
 */
static void test_first_slab_alloc_atomic(void)
{
	unsigned long before = ukmem_atomic_sleep_reports();
	DEFINE_SPINLOCK(lock);
	void *p;

	CHECK(READ_ONCE(slab_state) != FULL);	/* else this case tests nothing */
	spin_lock(&lock);
	p = kmalloc(512, GFP_ATOMIC);
	spin_unlock(&lock);
	CHECK(p != NULL);
	kfree(p);
	CHECK_EQ(ukmem_atomic_sleep_reports(), before);
	/* The late part of the boot is done by a later allocation that may sleep. */
	p = kmalloc(512, GFP_KERNEL);
	CHECK(p != NULL);
	kfree(p);
	CHECK(READ_ONCE(slab_state) == FULL);
	CHECK_EQ(ukmem_atomic_sleep_reports(), before);
}

static volatile sig_atomic_t handler_runs, handler_ok, handler_in_irq;

static void on_alarm(int sig)
{
	struct page *page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, sig & 1);

	handler_runs++;
	if (in_interrupt() && in_atomic())
		handler_in_irq++;
	if (page) {
		memset(page_address(page), 0x11, PAGE_SIZE);
		__free_pages(page, sig & 1);
		handler_ok++;
	}
}

/* The handler interrupts a thread that is itself allocating and freeing. */
static void test_atomic_from_signal_handler(void)
{
	struct sigaction sa = { 0 };
	struct itimerval it = { { 0, 200 }, { 0, 200 } };
	unsigned long before = ukmem_atomic_sleep_reports();
	int i;

	sa.sa_handler = on_alarm;
	CHECK_EQ(ukmem_sigaction(SIGALRM, &sa, NULL), 0);
	setitimer(ITIMER_REAL, &it, NULL);
	for (i = 0; i < 400000 && handler_runs < 300; i++) {
		struct page *page = alloc_pages(GFP_KERNEL, i % 3);

		CHECK(page != NULL);
		if (!page)
			break;
		__free_pages(page, i % 3);
	}
	it.it_value.tv_usec = 0;
	it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_IGN);
	CHECK(handler_runs > 0);
	CHECK_EQ(handler_in_irq, handler_runs);
	CHECK(handler_ok > 0);
	/* GFP_ATOMIC never trips the sleep check. */
	CHECK_EQ(ukmem_atomic_sleep_reports(), before);
	drain_all_pages(NULL);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

static void test_fail_page_alloc_times(void)
{
	int i, failed = 0;
	char *log;

	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "min-order", 0), 0);
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "times", 3), 0);
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "verbose", 1), 0);
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "probability", 100), 0);
	ukmem_dmesg_clear();
	for (i = 0; i < 10; i++) {
		struct page *page = alloc_page(GFP_ATOMIC);

		if (!page)
			failed++;
		else
			__free_page(page);
	}
	CHECK_EQ(failed, 3);
	CHECK_EQ(ukmem_fault_get("fail_page_alloc", "injected"), 3);
	CHECK_EQ(ukmem_fault_get("fail_page_alloc", "times"), 0);
	log = (char *)dmesg_now();
	CHECK_STR_CONTAINS(log, "FAULT_INJECTION: forcing a failure.");
	CHECK_STR_CONTAINS(log, "name fail_page_alloc, interval 1, probability 100, space 0, times 3");
	CHECK_STR_CONTAINS(log, "times 1");

	/* ignore-gfp-wait (default on): sleeping requests are exempt. */
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "times", -1), 0);
	for (i = 0; i < 10; i++) {
		struct page *page = alloc_page(GFP_KERNEL);

		CHECK(page != NULL);
		__free_page(page);
	}
	/* __GFP_NOFAIL is never failed. */
	for (i = 0; i < 10; i++) {
		struct page *page = alloc_page(GFP_ATOMIC | __GFP_NOFAIL);

		CHECK(page != NULL);
		if (page)
			__free_page(page);
	}
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "probability", 0), 0);
}

static void test_fail_page_alloc_interval(void)
{
	long before = ukmem_fault_get("fail_page_alloc", "injected");
	int i, failed = 0;

	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "verbose", 0), 0);
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "interval", 4), 0);
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "times", -1), 0);
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "probability", 100), 0);
	for (i = 0; i < 40; i++) {
		struct page *page = alloc_pages(GFP_ATOMIC, 1);

		if (!page)
			failed++;
		else
			__free_pages(page, 1);
	}
	CHECK_EQ(failed, 10);
	CHECK_EQ(ukmem_fault_get("fail_page_alloc", "injected"), before + 10);
	/* min-order: order-0 requests are exempt at the default min-order 1. */
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "min-order", 1), 0);
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "interval", 1), 0);
	for (i = 0; i < 10; i++) {
		struct page *page = alloc_page(GFP_ATOMIC);

		CHECK(page != NULL);
		__free_page(page);
	}
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "probability", 0), 0);
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "no-such-file", 0), -ENOENT);
	CHECK_EQ(ukmem_fault_get("no-such-attr", "times"), -ENOENT);
}

int main(void)
{
	if (ukmem_boot("mem=128M")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	ukmem_set_console(fopen("/dev/null", "w"));
	KTEST_RUN(KTEST(test_first_slab_alloc_atomic), KTEST(test_sleep_in_atomic), KTEST(test_atomic_from_signal_handler),
		  KTEST(test_fail_page_alloc_times), KTEST(test_fail_page_alloc_interval));
}
