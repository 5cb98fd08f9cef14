/* SPDX-License-Identifier: MIT */
/*
 * fail-nth (ukmem_fail_nth_set/get): the kernel's per-task
 * /proc/<pid>/task/<tid>/fail-nth, for the calling thread.  Checked
 * against the kernel's should_fail_ex(): the countdown runs before
 * probability, times, space and interval, so it fails the nth site with
 * probability 0; every site the attributes' own filters let through counts
 * (slab and page allocations alike), the filtered ones do not; reading
 * back gives what is left, 0 once forced; a forced failure is printed and
 * spends one of `times` as a random one does; another thread's countdown
 * is its own, and an interrupt section (hardirq or softirq) neither counts
 * nor fails.  Disarmed, the slab fast paths are theirs again.  A bulk
 * allocation is one site, a prefilled sheaf's objects none, a page bulk
 * allocation one.  A fork child starts at 0.
 */
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <ukmem/fault.h>
#include "ktest_boot.h"
#include "mm/slab.h"

static int count_substr(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/* Sleeping requests count too (syzkaller's settings for fail-nth). */
static void filters_off(void)
{
	ukmem_fault_set("failslab", "ignore-gfp-wait", 0);
	ukmem_fault_set("fail_page_alloc", "ignore-gfp-wait", 0);
	ukmem_fault_set("failslab", "verbose", 0);
	ukmem_fault_set("fail_page_alloc", "verbose", 0);
}

static void filters_default(void)
{
	ukmem_fault_set("failslab", "ignore-gfp-wait", 1);
	ukmem_fault_set("fail_page_alloc", "ignore-gfp-wait", 1);
	ukmem_fault_set("fail_page_alloc", "min-order", 1);
}

static void test_nth_fails(void)
{
	void *p[4];
	long injected0 = ukmem_fault_get("failslab", "injected");
	int i;

	filters_off();
	CHECK_EQ(ukmem_fault_get("failslab", "probability"), 0);
	CHECK_EQ(ukmem_fail_nth_get(), 0U);
	ukmem_fail_nth_set(3);
	CHECK_EQ(ukmem_fail_nth_get(), 3U);
	for (i = 0; i < 4; i++)
		p[i] = kmalloc(64, GFP_KERNEL);
	CHECK(p[0] && p[1]);
	CHECK(p[2] == NULL);	/* the third, and only it */
	CHECK(p[3] != NULL);
	CHECK_EQ(ukmem_fail_nth_get(), 0U);
	CHECK_EQ(ukmem_fault_get("failslab", "injected"), injected0 + 1);
	for (i = 0; i < 4; i++)
		kfree(p[i]);
	/* Read back as 0, it disarmed: nothing else fails. */
	p[0] = kmalloc(64, GFP_KERNEL);
	CHECK(p[0] != NULL);
	kfree(p[0]);
	CHECK_EQ(__atomic_load_n(&fault_nth_armed, __ATOMIC_RELAXED), 0U);
	filters_default();
}

static void test_countdown_reads_back(void)
{
	void *a, *b;

	/* Warm: this CPU's stack holds objects, so each kmalloc is one site. */
	a = kmalloc(32, GFP_KERNEL);
	b = kmalloc(32, GFP_KERNEL);
	kfree(a);
	kfree(b);
	filters_off();
	ukmem_fail_nth_set(5);
	a = kmalloc(32, GFP_KERNEL);
	b = kmalloc(32, GFP_KERNEL);
	CHECK(a && b);
	CHECK_EQ(ukmem_fail_nth_get(), 3U);	/* not forced yet: what is left */
	ukmem_fail_nth_set(0);			/* the caller gives up */
	CHECK_EQ(ukmem_fail_nth_get(), 0U);
	kfree(a);
	kfree(b);
	a = kmalloc(32, GFP_KERNEL);
	b = kmalloc(32, GFP_KERNEL);
	CHECK(a && b);
	kfree(a);
	kfree(b);
	CHECK_EQ(__atomic_load_n(&fault_nth_armed, __ATOMIC_RELAXED), 0U);
	filters_default();
}

/* Both attributes count down the one countdown; their filters come first. */
static void test_sites_and_filters(void)
{
	struct page *pg;
	void *p;

	filters_off();
	/* An order-1 page allocation is a fail_page_alloc site (min-order 1). */
	ukmem_fail_nth_set(2);
	pg = alloc_pages(GFP_KERNEL, 1);
	CHECK(pg != NULL);
	CHECK_EQ(ukmem_fail_nth_get(), 1U);
	p = kmalloc(64, GFP_KERNEL);
	CHECK(p == NULL);
	CHECK_EQ(ukmem_fail_nth_get(), 0U);
	if (pg)
		__free_pages(pg, 1);

	/* Below min-order, __GFP_NOFAIL, and sleeping requests with ignore-gfp-wait: not sites. */
	ukmem_fail_nth_set(1);
	pg = alloc_pages(GFP_KERNEL, 0);
	CHECK(pg != NULL);
	p = kmalloc(64, GFP_KERNEL | __GFP_NOFAIL);
	CHECK(p != NULL);
	kfree(p);
	ukmem_fault_set("failslab", "ignore-gfp-wait", 1);
	p = kmalloc(64, GFP_KERNEL);
	CHECK(p != NULL);
	kfree(p);
	CHECK_EQ(ukmem_fail_nth_get(), 1U);
	p = kmalloc(64, GFP_ATOMIC | __GFP_NOWARN);	/* does not sleep: a site */
	CHECK(p == NULL);
	CHECK_EQ(ukmem_fail_nth_get(), 0U);
	if (pg)
		__free_page(pg);

	/* Order 0 counts once min-order is 0. */
	ukmem_fault_set("fail_page_alloc", "min-order", 0);
	ukmem_fail_nth_set(1);
	pg = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0);
	CHECK(pg == NULL);
	CHECK_EQ(ukmem_fail_nth_get(), 0U);
	filters_default();
}

/* The kernel prints the failure and spends one of `times`, as a random one. */
static void test_report_and_times(void)
{
	void *p;

	filters_off();
	ukmem_fault_set("failslab", "verbose", 1);
	ukmem_fault_set("failslab", "times", 4);
	ukmem_dmesg_clear();
	ukmem_fail_nth_set(1);
	p = kmalloc(128, GFP_KERNEL);
	CHECK(p == NULL);
	CHECK_EQ(count_substr(ktest_dmesg_now(), "FAULT_INJECTION: forcing a failure."), 1);
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "name failslab, interval 1, probability 0, space 0, times 4");
	CHECK_EQ(ukmem_fault_get("failslab", "times"), 3);
	/* __GFP_NOWARN: silent. */
	ukmem_dmesg_clear();
	ukmem_fail_nth_set(1);
	p = kmalloc(128, GFP_KERNEL | __GFP_NOWARN);
	CHECK(p == NULL);
	CHECK_EQ(count_substr(ktest_dmesg_now(), "FAULT_INJECTION"), 0);
	CHECK_EQ(ukmem_fail_nth_get(), 0U);
	ukmem_fault_set("failslab", "times", 1);
	filters_default();
}

/* The fast path with objects at hand must still ask (the cache's alloc_slow). */
static void test_fast_path_asks(void)
{
	struct kmem_cache *c = kmem_cache_create("fail_nth_fast", 48, 0, SLAB_NO_MERGE, NULL);
	void *p;

	CHECK(c != NULL);
	if (!c)
		return;
	p = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, p);		/* warm: an object on this CPU's stack */
	filters_off();
	CHECK_EQ(READ_ONCE(c->alloc_slow) & SLAB_ALLOC_SLOW_FAILSLAB, 0U);
	ukmem_fail_nth_set(1);
	CHECK(READ_ONCE(c->alloc_slow) & SLAB_ALLOC_SLOW_FAILSLAB);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(p == NULL);
	CHECK_EQ(ukmem_fail_nth_get(), 0U);
	/* Disarmed: the fast path is the cache's again. */
	CHECK_EQ(READ_ONCE(c->alloc_slow) & SLAB_ALLOC_SLOW_FAILSLAB, 0U);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(p != NULL);
	kmem_cache_free(c, p);
	kmem_cache_destroy(c);
	filters_default();
}

/*
 * A bulk allocation asks failslab once for the whole call (the kernel's
 * slab_pre_alloc_hook() in kmem_cache_alloc_bulk()), and a prefilled
 * sheaf's objects never (__kmem_cache_alloc_bulk()): only the sheaf itself
 * is a kmalloc.  cache-filter keeps the sites to this cache's allocations,
 * and no page allocation is one (a new slab's first, high-order try does
 * not sleep, so ignore-gfp-wait would not exempt it).
 */
static void test_bulk_asks_once(void)
{
	struct kmem_cache *c = kmem_cache_create("fail_nth_bulk", 64, 0,
						 SLAB_NO_MERGE | SLAB_FAILSLAB, NULL);
	struct slab_sheaf *sheaf;
	void *p[16];
	int n;

	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ(kmem_cache_alloc_bulk(c, GFP_KERNEL, 16, p), 16);
	kmem_cache_free_bulk(c, 16, p);
	ukmem_fault_set("failslab", "ignore-gfp-wait", 0);
	ukmem_fault_set("failslab", "verbose", 0);
	ukmem_fault_set("failslab", "cache-filter", 1);
	ukmem_fault_set("fail_page_alloc", "min-order", MAX_PAGE_ORDER + 1);

	ukmem_fail_nth_set(2);
	n = kmem_cache_alloc_bulk(c, GFP_KERNEL, 8, p);
	CHECK_EQ(n, 8);
	CHECK_EQ(ukmem_fail_nth_get(), 1U);	/* one site for eight objects */
	ukmem_fail_nth_set(0);
	if (n)
		kmem_cache_free_bulk(c, 8, p);

	ukmem_fail_nth_set(1);
	CHECK_EQ(kmem_cache_alloc_bulk(c, GFP_KERNEL, 8, p), 0);
	CHECK_EQ(ukmem_fail_nth_get(), 0U);

	ukmem_fail_nth_set(1);
	sheaf = kmem_cache_prefill_sheaf(c, GFP_KERNEL, 4);
	CHECK(sheaf != NULL);
	CHECK_EQ(ukmem_fail_nth_get(), 1U);	/* the objects are no sites */
	ukmem_fail_nth_set(0);
	if (sheaf)
		kmem_cache_return_sheaf(c, GFP_KERNEL, sheaf);

	ukmem_fault_set("failslab", "cache-filter", 0);
	kmem_cache_destroy(c);
	filters_default();
}

/* alloc_pages_bulk() asks once for the call (prepare_alloc_pages()), not per page. */
static void test_page_bulk_asks_once(void)
{
	struct page *pages[8] = { NULL };
	unsigned long n, i;

	filters_off();
	ukmem_fault_set("fail_page_alloc", "min-order", 0);
	ukmem_fail_nth_set(2);
	n = alloc_pages_bulk(GFP_KERNEL, 8, pages);
	CHECK_EQ(n, 8UL);
	CHECK_EQ(ukmem_fail_nth_get(), 1U);
	ukmem_fail_nth_set(0);
	for (i = 0; i < 8; i++) {
		if (pages[i])
			__free_page(pages[i]);
		pages[i] = NULL;
	}
	/* Failed there: every empty slot stays empty. */
	ukmem_fail_nth_set(1);
	CHECK_EQ(alloc_pages_bulk(GFP_KERNEL, 8, pages), 0UL);
	CHECK_EQ(ukmem_fail_nth_get(), 0U);
	for (i = 0; i < 8; i++)
		CHECK(pages[i] == NULL);
	filters_default();
}

/* A fork child starts at 0, as the kernel's new task; the parent keeps its countdown. */
static void test_fork_child_starts_at_zero(void)
{
	int status = -1;
	pid_t pid;

	filters_off();
	ukmem_fail_nth_set(5);
	pid = ukmem_fork();
	if (pid == 0) {
		void *p;
		bool ok = ukmem_fail_nth_get() == 0;

		p = kmalloc(64, GFP_KERNEL);
		ok = ok && p;
		kfree(p);
		_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0);
	if (pid > 0) {
		waitpid(pid, &status, 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	CHECK_EQ(ukmem_fail_nth_get(), 5U);
	ukmem_fail_nth_set(0);
	filters_default();
}

static void *other_thread(void *arg)
{
	void *p = kmalloc(64, GFP_KERNEL);

	*(unsigned int *)arg = ukmem_fail_nth_get();
	kfree(p);
	return p;
}

/* Another thread's allocations neither count nor fail; interrupts neither. */
static void test_per_thread_task_only(void)
{
	unsigned int theirs = 99;
	pthread_t t;
	void *res = NULL, *p;

	filters_off();
	ukmem_fail_nth_set(1);
	CHECK_EQ(pthread_create(&t, NULL, other_thread, &theirs), 0);
	pthread_join(t, &res);
	CHECK(res != NULL);
	CHECK_EQ(theirs, 0U);
	CHECK_EQ(ukmem_fail_nth_get(), 1U);

	preempt_count_add(HARDIRQ_OFFSET);
	p = kmalloc(64, GFP_ATOMIC);
	preempt_count_sub(HARDIRQ_OFFSET);
	CHECK(p != NULL);
	kfree(p);
	preempt_count_add(SOFTIRQ_OFFSET);
	p = kmalloc(64, GFP_ATOMIC);
	preempt_count_sub(SOFTIRQ_OFFSET);
	CHECK(p != NULL);
	kfree(p);
	CHECK_EQ(ukmem_fail_nth_get(), 1U);
	p = kmalloc(64, GFP_KERNEL);
	CHECK(p == NULL);
	CHECK_EQ(ukmem_fail_nth_get(), 0U);
	filters_default();
}

int main(void)
{
	if (!ktest_boot_quietly("mem=128M"))
		return 1;
	KTEST_RUN(KTEST(test_nth_fails), KTEST(test_countdown_reads_back),
		  KTEST(test_sites_and_filters), KTEST(test_report_and_times),
		  KTEST(test_fast_path_asks), KTEST(test_bulk_asks_once),
		  KTEST(test_page_bulk_asks_once), KTEST(test_fork_child_starts_at_zero),
		  KTEST(test_per_thread_task_only));
}
