/* SPDX-License-Identifier: MIT */
/*
 * The kernel's lib/test_free_pages.c: free_pages() must not leak when
 * someone else still holds a reference.  The page cache takes such
 * speculative references (get_page() on a page it found by lookup), so
 * the allocator's caller may free an order-3 block while the head page
 * is still referenced.  For a compound block the last put_page() frees
 * all eight pages; for a non-compound one free_pages() must hand back
 * the seven pages nobody references at once (as order-2, -1 and -0
 * blocks), and the last put_page() frees the head as an order-0 page.
 * Getting that wrong leaks seven pages a round: the kernel's test runs
 * a million rounds for each kind, and so does this one, then checks that
 * every page came back.  On top of the kernel's loop: the counts after
 * each step of one round, and the same rounds with the reference dropped
 * by another thread while free_pages() runs.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include "mm/internal.h"
#include "ktest_boot.h"

#define ORDER	3

static unsigned long free_now(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

static void check_allocator(void)
{
	struct ukmem_page_census c;

	CHECK_EQ(ukmem_check_page_allocator(&c), 0);
	CHECK_EQ(c.free + c.pcp + c.allocated, c.managed);
}

/* The kernel's loop: allocate, take a second reference, free, drop it. */
static void free_pages_rounds(gfp_t gfp, unsigned long rounds)
{
	unsigned long before = free_now(), i;

	for (i = 0; i < rounds; i++) {
		unsigned long addr = __get_free_pages(gfp, ORDER);
		struct page *page;

		if (!addr) {
			CHECK(addr != 0);
			break;
		}
		page = virt_to_page((void *)addr);
		get_page(page);
		free_pages(addr, ORDER);
		put_page(page);
	}
	CHECK_EQ(free_now(), before);
	check_allocator();
}

static void test_free_pages_kernel(void)
{
	free_pages_rounds(GFP_KERNEL, 1000 * 1000);
}

static void test_free_pages_compound(void)
{
	free_pages_rounds(GFP_KERNEL | __GFP_COMP, 1000 * 1000);
}

/* Where each page is after each step of one round. */
static void test_free_pages_steps(void)
{
	unsigned long before = free_now();
	struct page *page = alloc_pages(GFP_KERNEL, ORDER);

	CHECK(page != NULL);
	if (!page)
		return;
	get_page(page);
	CHECK_EQ(page_ref_count(page), 2);
	__free_pages(page, ORDER);
	/* The seven unreferenced pages are back; the head is still ours. */
	CHECK_EQ(page_ref_count(page), 1);
	CHECK_EQ(free_now(), before - 1);
	memset(page_address(page), 0x5a, PAGE_SIZE);	/* still usable */
	put_page(page);
	CHECK_EQ(free_now(), before);

	page = alloc_pages(GFP_KERNEL | __GFP_COMP, ORDER);
	CHECK(page != NULL && PageHead(page));
	if (!page)
		return;
	get_page(page);
	__free_pages(page, ORDER);
	/* A compound block goes back whole, at the last reference. */
	CHECK_EQ(page_ref_count(page), 1);
	CHECK_EQ(free_now(), before - (1UL << ORDER));
	put_page(page);
	CHECK_EQ(free_now(), before);
	check_allocator();
}

/*
 * The same rounds with the speculative reference dropped on another
 * thread, racing the owner's free_pages(): whichever reference goes
 * last frees the head, and the tail pages go back exactly once.
 */
#define RACE_ROUNDS	100000

/*
 * One page at a time, handed over: the owner publishes the page and
 * frees it at once; the other thread, spinning on the handover, drops
 * its reference at the same moment, or a little later: the owner waits
 * a different number of steps each round, so that the rounds sweep the
 * drop across the whole of __free_pages().  Then the owner waits for the
 * drop before the next round.
 */
struct race {
	struct page *page;
	unsigned long given, dropped;	/* rounds handed over, rounds dropped */
	bool done;
};

/* Spin a while (the threads must overlap), then yield: both may share one CPU. */
static void backoff(unsigned int *spins)
{
	if (++*spins < 4096)
		__asm__ __volatile__("" ::: "memory");
	else
		sched_yield();
}

static void *page_cache_thread(void *arg)
{
	struct race *r = arg;
	unsigned long seen = 0;
	unsigned int spins = 0;

	for (;;) {
		if (__atomic_load_n(&r->given, __ATOMIC_ACQUIRE) == seen) {
			if (__atomic_load_n(&r->done, __ATOMIC_ACQUIRE))
				return NULL;
			backoff(&spins);
			continue;
		}
		spins = 0;
		put_page(r->page);
		__atomic_store_n(&r->dropped, ++seen, __ATOMIC_RELEASE);
	}
}

static void race_rounds(gfp_t gfp)
{
	static struct race r;
	unsigned long before = free_now(), i;
	unsigned int spins, delay;
	pthread_t thread;

	memset(&r, 0, sizeof(r));
	CHECK_EQ(pthread_create(&thread, NULL, page_cache_thread, &r), 0);
	for (i = 0; i < RACE_ROUNDS; i++) {
		struct page *page = alloc_pages(gfp, ORDER);

		if (!page) {
			CHECK(page != NULL);
			break;
		}
		get_page(page);
		r.page = page;
		__atomic_store_n(&r.given, i + 1, __ATOMIC_RELEASE);
		/* A varying head start for the other thread sweeps the window. */
		for (delay = i % 512; delay; delay--)
			__asm__ __volatile__("" ::: "memory");
		__free_pages(page, ORDER);
		for (spins = 0; __atomic_load_n(&r.dropped, __ATOMIC_ACQUIRE) != i + 1;)
			backoff(&spins);
	}
	__atomic_store_n(&r.done, true, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);
	CHECK_EQ(free_now(), before);
	check_allocator();
}

static void test_free_pages_race(void)
{
	race_rounds(GFP_KERNEL);
	race_rounds(GFP_KERNEL | __GFP_COMP);
}

int main(void)
{
	if (!ktest_boot_quietly("mem=256M"))
		return 1;
	KTEST_RUN(KTEST(test_free_pages_steps), KTEST(test_free_pages_kernel),
		  KTEST(test_free_pages_compound), KTEST(test_free_pages_race));
}
