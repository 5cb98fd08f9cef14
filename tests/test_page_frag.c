/* SPDX-License-Identifier: MIT */
/*
 * The page fragment allocator (mm/page_frag_cache.c): fragments carved in
 * order from one 32 KiB compound page, aligned when asked; a page that
 * fills while fragments are out is left to them and a new one taken; a
 * page whose fragments all came back is reused from its start; a cache
 * drained and every fragment freed gives every page back (counted in
 * nr_free_pages); a fragment larger than a page that does not fit is
 * refused; with no order-3 page (fail_page_alloc) the cache falls back to
 * order-0 pages; fragments freed by other threads than the ones that
 * carved them; the kernel's page_frag_test (a producer thread and a
 * consumer thread around a ring, aligned and not); and page_frag_alloc()
 * as a process's first call.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/page_frag_cache.h>
#include <ukmem/boot.h>
#include <ukmem/fault.h>
#include <ukmem/report.h>
#include "ktest_boot.h"

static unsigned long free_pages_now(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

static void test_carving(void)
{
	struct page_frag_cache nc;
	unsigned long before = free_pages_now();
	char *a, *b, *c, *d;

	page_frag_cache_init(&nc);
	CHECK(!page_frag_cache_is_pfmemalloc(&nc));
	a = page_frag_alloc(&nc, 100, GFP_KERNEL);
	b = page_frag_alloc(&nc, 200, GFP_KERNEL);
	c = page_frag_alloc_align(&nc, 64, GFP_KERNEL, 64);
	d = page_frag_alloc(&nc, 4096 + 8, GFP_KERNEL);	/* more than a page: fits the 32 KiB one */
	CHECK(a && b && c && d);
	if (!a || !b || !c || !d)
		return;
	CHECK_EQ(b, a + 100);
	CHECK_EQ((uintptr_t)c % 64, 0);
	CHECK_EQ(c, a + 320);				/* 300 rounded up to 64 */
	CHECK_EQ(d, c + 64);
	CHECK((uintptr_t)a % (PAGE_SIZE << PAGE_FRAG_CACHE_MAX_ORDER) == 0);
	CHECK(virt_to_head_page(d) == virt_to_head_page(a));
	CHECK_EQ(compound_order(virt_to_head_page(a)), PAGE_FRAG_CACHE_MAX_ORDER);
	memset(a, 1, 100);
	memset(d, 4, 4096 + 8);
	page_frag_free(a);
	page_frag_free(b);
	page_frag_free(c);
	page_frag_free(d);
	CHECK_EQ(free_pages_now(), before - 8);		/* the cache still holds its page */
	page_frag_cache_drain(&nc);
	CHECK_EQ(free_pages_now(), before);
	page_frag_cache_drain(&nc);			/* empty: nothing */
}

static void test_page_turnover(void)
{
	struct page_frag_cache nc;
	unsigned long before = free_pages_now();
	char *first[32], *next, *again;
	int n;

	page_frag_cache_init(&nc);
	for (n = 0; n < 32; n++)
		first[n] = page_frag_alloc(&nc, 1000, GFP_KERNEL);
	CHECK(first[0] && first[31] == first[0] + 31 * 1000);
	/* The 33rd does not fit: the first page stays with its 32 fragments. */
	next = page_frag_alloc(&nc, 1000, GFP_KERNEL);
	CHECK(next && virt_to_head_page(next) != virt_to_head_page(first[0]));
	CHECK_EQ(free_pages_now(), before - 16);
	for (n = 0; n < 32; n++)
		page_frag_free(first[n]);
	CHECK_EQ(free_pages_now(), before - 8);		/* the last fragment freed it */

	/* All of a page's fragments back before it fills: the same page again. */
	for (n = 0; n < 31; n++)
		page_frag_free(page_frag_alloc(&nc, 1000, GFP_KERNEL));
	page_frag_free(next);
	again = page_frag_alloc(&nc, 2000, GFP_KERNEL);
	CHECK(again == next);					/* reused from its start */
	/* A fragment above a page that does not fit: refused, the page kept. */
	CHECK(page_frag_alloc(&nc, 31000, GFP_KERNEL) == NULL);
	CHECK(page_frag_alloc(&nc, UINT_MAX - 100, GFP_KERNEL) == NULL);	/* no wrap-around */
	CHECK(page_frag_alloc(&nc, 100, GFP_KERNEL) == again + 2000);
	page_frag_free(again);
	page_frag_free(again + 2000);
	page_frag_cache_drain(&nc);
	CHECK_EQ(free_pages_now(), before);
}

static void test_order0_fallback(void)
{
	struct page_frag_cache nc;
	unsigned long before = free_pages_now();
	char *f[5];

	/* No compound page to be had: order 0, with the caller's gfp. */
	ukmem_fault_set("fail_page_alloc", "verbose", 0);
	ukmem_fault_set("fail_page_alloc", "ignore-gfp-wait", 0);
	ukmem_fault_set("fail_page_alloc", "min-order", 3);
	ukmem_fault_set("fail_page_alloc", "probability", 100);
	ukmem_fault_set("fail_page_alloc", "times", 1000);
	page_frag_cache_init(&nc);
	for (int i = 0; i < 5; i++)
		f[i] = page_frag_alloc(&nc, 1000, GFP_KERNEL);
	CHECK(f[0] && f[3] == f[0] + 3000);
	CHECK(f[4] && virt_to_head_page(f[4]) != virt_to_head_page(f[0]));	/* 4 fit a page */
	CHECK_EQ(compound_order(virt_to_head_page(f[0])), 0);
	CHECK(page_frag_alloc(&nc, 5000, GFP_KERNEL) == NULL);	/* more than a page: no */
	ukmem_fault_set("fail_page_alloc", "probability", 0);
	ukmem_fault_set("fail_page_alloc", "min-order", 0);
	for (int i = 0; i < 5; i++)
		page_frag_free(f[i]);
	page_frag_cache_drain(&nc);
	CHECK_EQ(free_pages_now(), before);
}

/* Fragments carved by one thread and freed by another. */
#define SLOTS	256
static void *slots[SLOTS];

static void *frag_worker(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	struct page_frag_cache nc;
	long bad = 0;

	page_frag_cache_init(&nc);
	for (int round = 0; round < 20000; round++) {
		unsigned int size = 16 + rand_r(&seed) % 2000;
		unsigned char *p = page_frag_alloc(&nc, size, GFP_KERNEL), *old;

		if (!p)
			continue;
		/* Mark: first byte the size's low byte, last byte its complement. */
		p[0] = (unsigned char)size;
		memcpy(p + 1, &size, sizeof(size));
		p[size - 1] = (unsigned char)~size;
		old = __atomic_exchange_n(&slots[rand_r(&seed) % SLOTS], p, __ATOMIC_ACQ_REL);
		if (old) {
			unsigned int osize;

			memcpy(&osize, old + 1, sizeof(osize));
			bad += old[0] != (unsigned char)osize || old[osize - 1] != (unsigned char)~osize;
			page_frag_free(old);
		}
	}
	page_frag_cache_drain(&nc);
	return (void *)bad;
}

static void test_threads(void)
{
	unsigned long before = free_pages_now();
	pthread_t t[4];
	void *bad;

	for (long i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, frag_worker, (void *)(i + 1)), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &bad);
		CHECK_EQ((long)bad, 0);
	}
	for (int i = 0; i < SLOTS; i++)
		if (slots[i])
			page_frag_free(slots[i]);
	CHECK_EQ(free_pages_now(), before);
}

/*
 * The kernel's page_frag_test (tools/testing/selftests/mm/page_frag): one
 * thread carves test_alloc_len (2048) byte fragments, aligned to
 * SMP_CACHE_BYTES when asked, and pushes them into a 512-slot ring; another
 * pops and frees them.  Every fragment pushed is popped, an aligned one is
 * aligned, and once the cache is drained every page is back.
 */
#define RING	512
#define PF_NR	200000
#define PF_LEN	2048

static void *ring[RING];
static unsigned long ring_head, ring_tail;	/* producer's and consumer's counts */
static bool pf_align;
static long pf_unaligned, pf_popped;

static void *pf_pop(void *unused)
{
	while (pf_popped < PF_NR) {
		unsigned long tail = ring_tail;

		if (tail == __atomic_load_n(&ring_head, __ATOMIC_ACQUIRE)) {
			sched_yield();
			continue;
		}
		page_frag_free(ring[tail % RING]);
		__atomic_store_n(&ring_tail, tail + 1, __ATOMIC_RELEASE);
		pf_popped++;
	}
	return NULL;
}

static void pf_push_pop(bool align)
{
	unsigned long before = free_pages_now();
	struct page_frag_cache nc;
	pthread_t popper;
	long pushed = 0;

	page_frag_cache_init(&nc);
	pf_align = align;
	pf_unaligned = pf_popped = 0;
	ring_head = ring_tail = 0;
	CHECK_EQ(pthread_create(&popper, NULL, pf_pop, NULL), 0);
	while (pushed < PF_NR) {
		unsigned long head = ring_head;
		void *va;

		if (head - __atomic_load_n(&ring_tail, __ATOMIC_ACQUIRE) == RING) {
			sched_yield();
			continue;
		}
		va = align ? page_frag_alloc_align(&nc, PF_LEN, GFP_KERNEL, SMP_CACHE_BYTES) :
			     page_frag_alloc(&nc, PF_LEN, GFP_KERNEL);
		if (!va)
			continue;
		pf_unaligned += align && ((uintptr_t)va & (SMP_CACHE_BYTES - 1));
		ring[head % RING] = va;
		__atomic_store_n(&ring_head, head + 1, __ATOMIC_RELEASE);
		pushed++;
	}
	pthread_join(popper, NULL);
	CHECK_EQ(pf_popped, PF_NR);
	CHECK_EQ(pf_unaligned, 0);
	page_frag_cache_drain(&nc);
	CHECK_EQ(free_pages_now(), before);
}

static void test_kernel_push_pop(void)
{
	pf_push_pop(false);
	pf_push_pop(true);
}

/* The process's first ukmem call is page_frag_alloc(): it boots the machine. */
static void first_call(void *unused)
{
	struct page_frag_cache nc = { 0 };
	char *p = page_frag_alloc(&nc, 64, GFP_ATOMIC);

	CHECK(p != NULL);
	if (p)
		page_frag_free(p);
	page_frag_cache_drain(&nc);
}


int main(void)
{
	ktest_first_call(first_call);
	if (!ktest_boot_quietly("mem=256M"))
		return 1;
	KTEST_RUN(KTEST(test_carving), KTEST(test_page_turnover), KTEST(test_order0_fallback),
		  KTEST(test_threads), KTEST(test_kernel_push_pop));
}
