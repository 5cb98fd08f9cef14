/* SPDX-License-Identifier: MIT */
/*
 * The folio API on the page allocator (mem=256M): folio_alloc() of every
 * order up to MAX_PAGE_ORDER, the conversions (page_folio of a tail page is
 * its head, folio_page, virt_to_folio, pfn_folio, folio_page_idx), the
 * size helpers, the fields a folio shares with its head page, reference
 * counting (folio_get / folio_put / folio_put_refs / folio_try_get: the
 * last reference gives every page back, counted in nr_free_pages), the
 * node and zone, __GFP_ZERO, kmap_local_folio, an order past the largest
 * refused with the page allocator's warning, and the page allocator's
 * invariant checker after each case.  Also 4 threads allocating and
 * putting folios of mixed orders at once, and a folio allocated as the
 * process's first call.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "mm/internal.h"
#include "ktest_boot.h"

static void check_invariants(void)
{
	struct ukmem_page_census c;

	CHECK_EQ(ukmem_check_page_allocator(&c), 0);
	CHECK_EQ(c.free + c.pcp + c.allocated, c.managed);
}

/* The process's first ukmem call is folio_alloc(): it boots the machine. */
static void first_call(void *unused)
{
	struct folio *f = folio_alloc(GFP_KERNEL | __GFP_ZERO, 2);

	CHECK(f && folio_nr_pages(f) == 4 && folio_address(f));
	if (!f)
		return;
	CHECK_EQ(((char *)folio_address(f))[4 * PAGE_SIZE - 1], 0);
	folio_put(f);
}


static void test_orders_and_conversions(void)
{
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct folio *f = folio_alloc(GFP_KERNEL, order);
		unsigned long n = 1UL << order;
		char *addr;

		CHECK(f != NULL);
		if (!f)
			continue;
		addr = folio_address(f);
		CHECK_EQ(folio_order(f), order);
		CHECK_EQ(folio_nr_pages(f), (long)n);
		CHECK_EQ(folio_size(f), PAGE_SIZE << order);
		CHECK_EQ(folio_shift(f), PAGE_SHIFT + order);
		CHECK_EQ(folio_test_large(f), order > 0);
		CHECK(!folio_test_slab(f));
		CHECK_EQ(folio_ref_count(f), 1);
		CHECK(addr == page_address(&f->page));
		CHECK_EQ(folio_pfn(f) % n, 0);		/* naturally aligned */
		CHECK(pfn_folio(folio_pfn(f)) == f);
		/* Every page of it, and every byte, leads back to the folio. */
		for (unsigned long i = 0; i < n; i++) {
			struct page *p = folio_page(f, i);

			CHECK(page_folio(p) == f);
			CHECK_EQ(folio_page_idx(f, p), i);
			CHECK(virt_to_folio(addr + i * PAGE_SIZE + PAGE_SIZE - 1) == f);
		}
		memset(addr, 0x5a, folio_size(f));
		folio_put(f);
	}
	check_invariants();
}

static void test_fields(void)
{
	struct folio *f = folio_alloc(GFP_KERNEL, 1);

	CHECK(f != NULL);
	if (!f)
		return;
	/* The folio's fields are its head page's. */
	f->private = (void *)0x1234;
	CHECK_EQ(page_private(&f->page), 0x1234);
	set_page_private(&f->page, 0);
	CHECK(f->private == NULL);
	CHECK(f->flags == f->page.flags);
	CHECK(&f->_refcount == &f->page._refcount);
	CHECK_EQ(folio_nid(f), page_to_nid(&f->page));
	CHECK(folio_zone(f) == page_zone(&f->page));
	CHECK_EQ(folio_zonenum(f), page_zonenum(&f->page));
	CHECK(folio_pgdat(f) == page_pgdat(&f->page));
	CHECK(!folio_test_highmem(f));
	folio_put(f);
}

static void test_refcounts(void)
{
	unsigned long before;
	struct folio *f;

	drain_all_pages(NULL);
	before = nr_free_pages();
	/* Order 4: above the per-CPU lists' orders, so the free count moves by exactly its pages. */
	f = folio_alloc(GFP_KERNEL, 4);
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_EQ(nr_free_pages(), before - 16);
	folio_get(f);
	CHECK(folio_try_get(f));
	CHECK_EQ(folio_ref_count(f), 3);
	folio_ref_add(f, 2);
	CHECK_EQ(folio_ref_count(f), 5);
	folio_put_refs(f, 4);
	CHECK_EQ(folio_ref_count(f), 1);
	CHECK_EQ(nr_free_pages(), before - 16);	/* still ours */
	/* get_page on a tail page counts on the folio. */
	get_page(folio_page(f, 5));
	CHECK_EQ(folio_ref_count(f), 2);
	put_page(folio_page(f, 15));
	folio_put(f);				/* the last one: all sixteen pages back */
	drain_all_pages(NULL);
	CHECK_EQ(nr_free_pages(), before);
	check_invariants();

	f = folio_alloc(GFP_KERNEL, 2);
	CHECK(f != NULL);
	if (f) {
		folio_ref_inc(f);
		folio_put_refs(f, 2);		/* both references at once frees it */
		drain_all_pages(NULL);
		CHECK_EQ(nr_free_pages(), before);
	}
	check_invariants();
}

static void test_zero_node_kmap(void)
{
	struct folio *f = folio_alloc_node(GFP_KERNEL | __GFP_ZERO, 2, 0);
	struct folio *g = __folio_alloc_node(GFP_KERNEL, 0, 0);
	char *a;

	CHECK(f != NULL && g != NULL);
	if (!f || !g)
		return;
	CHECK_EQ(folio_nid(f), 0);
	CHECK(!folio_test_large(g) && folio_nr_pages(g) == 1);
	for (size_t i = 0; i < folio_size(f); i++)
		if (((char *)folio_address(f))[i]) {
			CHECK(!"folio_alloc(__GFP_ZERO) left a byte");
			break;
		}
	a = kmap_local_folio(f, 2 * PAGE_SIZE + 100);
	*a = 7;
	kunmap_local(a);
	CHECK_EQ(((char *)folio_address(f))[2 * PAGE_SIZE + 100], 7);
	folio_put(f);
	folio_put(g);
	g = __folio_alloc(GFP_KERNEL, 1, 0, NULL);
	CHECK(g && folio_order(g) == 1);
	if (g)
		folio_put(g);
	check_invariants();
}

/* Copies and zeroing across the folio's pages, a page mapped at a time. */
static void test_copy_and_zero(void)
{
	struct folio *f = folio_alloc(GFP_KERNEL, 2);
	char src[3 * PAGE_SIZE], dst[3 * PAGE_SIZE];
	unsigned char *base;

	CHECK(f != NULL);
	if (!f)
		return;
	base = folio_address(f);
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (char)(i * 13 + 1);
	memset(base, 0x77, folio_size(f));
	memcpy_to_folio(f, PAGE_SIZE - 100, src, sizeof(src));	/* spans four pages */
	CHECK(!memcmp(base + PAGE_SIZE - 100, src, sizeof(src)));
	CHECK_EQ(base[PAGE_SIZE - 101], 0x77);
	CHECK_EQ(base[PAGE_SIZE - 100 + sizeof(src)], 0x77);
	memset(dst, 0, sizeof(dst));
	memcpy_from_folio(dst, f, PAGE_SIZE - 100, sizeof(dst));
	CHECK(!memcmp(dst, src, sizeof(src)));

	/* Zeroing: two ranges, each crossing a page boundary. */
	memset(base, 0x55, folio_size(f));
	folio_zero_segments(f, PAGE_SIZE - 8, PAGE_SIZE + 8, 3 * PAGE_SIZE - 4, 3 * PAGE_SIZE + 4);
	CHECK_EQ(base[PAGE_SIZE - 9], 0x55);
	CHECK(base[PAGE_SIZE - 8] == 0 && base[PAGE_SIZE + 7] == 0);
	CHECK_EQ(base[PAGE_SIZE + 8], 0x55);
	CHECK(base[3 * PAGE_SIZE - 4] == 0 && base[3 * PAGE_SIZE + 3] == 0);
	CHECK_EQ(base[3 * PAGE_SIZE + 4], 0x55);
	folio_zero_range(f, 10, 2 * PAGE_SIZE);
	CHECK(base[10] == 0 && base[2 * PAGE_SIZE + 9] == 0 && base[9] == 0x55 &&
	      base[2 * PAGE_SIZE + 10] == 0x55);
	zero_user(folio_page(f, 0), 4 * PAGE_SIZE - 16, 16);	/* the head counts for all */
	CHECK(base[4 * PAGE_SIZE - 1] == 0 && base[4 * PAGE_SIZE - 17] == 0x55);
	folio_zero_segment(f, 0, folio_size(f));
	for (size_t i = 0; i < folio_size(f); i++)
		if (base[i]) {
			CHECK(!"folio_zero_segment left a byte");
			break;
		}
	folio_put(f);
}

static void test_order_too_large(void)
{
	char log[1 << 14];

	ukmem_dmesg_clear();
	CHECK(folio_alloc(GFP_KERNEL, MAX_PAGE_ORDER + 1) == NULL);
	ukmem_dmesg(log, sizeof(log));
	CHECK_STR_CONTAINS(log, "WARNING");
	ukmem_dmesg_clear();
	CHECK(folio_alloc(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1) == NULL);
	ukmem_dmesg(log, sizeof(log));
	CHECK(!strstr(log, "WARNING"));
	check_invariants();
}

/*
 * v7.x: kmalloc's pages are frozen.  A slab page and a large kmalloc's
 * head page count no references; get_page() of one warns once and takes
 * none, put_page() does nothing, and both still free normally.  dump_page()
 * names their type on a line of its own, not among the flags.
 */
static void test_frozen_kmalloc_pages(void)
{
	void *small = kmalloc(32, GFP_KERNEL), *large = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	struct page *sp = virt_to_head_page(small), *lp = virt_to_head_page(large);
	unsigned long before;
	char log[1 << 14];

	CHECK(small && large);
	if (!small || !large)
		return;
	CHECK(folio_test_slab(page_folio(sp)) && !folio_test_large_kmalloc(page_folio(sp)));
	CHECK(folio_test_large_kmalloc(page_folio(lp)) && !folio_test_slab(page_folio(lp)));
	CHECK(PageLargeKmalloc(lp) && !PageLargeKmalloc(lp + 1));
	CHECK_EQ(page_count(sp), 0);
	CHECK_EQ(page_count(lp), 0);
	CHECK_EQ(ksize(large), 4 * PAGE_SIZE);

	ukmem_dmesg_clear();
	get_page(sp);
	get_page(lp + 1);		/* a tail page: its head's type counts */
	put_page(sp);
	put_page(lp);
	CHECK_EQ(page_count(sp), 0);
	CHECK_EQ(page_count(lp), 0);
	dump_page(sp, "test");
	dump_page(lp, "test");
	ukmem_dmesg(log, sizeof(log));
	{
		int warnings = 0;

		for (const char *w = log; (w = strstr(w, "WARNING: ")); w++)
			warnings++;
		CHECK_EQ(warnings, 2);
	}
	CHECK_STR_CONTAINS(log, "page: refcount:0 mapcount:0");
	CHECK_STR_CONTAINS(log, "page_type: f5(slab)\n");
	CHECK_STR_CONTAINS(log, "page_type: f8(unknown)\n");	/* 7.2 has no name for it */
	CHECK(!strstr(log, "(slab|") && !strstr(log, "large_kmalloc|"));

	/* Both still go back whole. */
	kfree(small);
	drain_all_pages(NULL);
	before = nr_free_pages();
	kfree(large);
	drain_all_pages(NULL);
	CHECK_EQ(nr_free_pages(), before + 4);
	check_invariants();
}

static void *folio_worker(void *arg)
{
	unsigned int seed = (unsigned int)(unsigned long)arg;
	struct folio *held[16] = { NULL };
	long bad = 0;

	for (int round = 0; round < 4000; round++) {
		int slot = rand_r(&seed) % 16;
		struct folio *f = held[slot];

		if (f) {
			/* Our mark is still there: no one else was handed these pages. */
			bad += *(unsigned long *)folio_address(f) != (unsigned long)f;
			bad += *(unsigned long *)((char *)folio_address(f) + folio_size(f) - 8) !=
			       (unsigned long)f;
			folio_put(f);
			held[slot] = NULL;
		} else {
			f = folio_alloc(GFP_KERNEL, rand_r(&seed) % 5);
			if (!f)
				continue;
			*(unsigned long *)folio_address(f) = (unsigned long)f;
			*(unsigned long *)((char *)folio_address(f) + folio_size(f) - 8) =
				(unsigned long)f;
			held[slot] = f;
		}
	}
	for (int i = 0; i < 16; i++)
		if (held[i])
			folio_put(held[i]);
	return (void *)bad;
}

static void test_threads(void)
{
	pthread_t t[4];
	unsigned long before;
	void *bad;

	drain_all_pages(NULL);
	before = nr_free_pages();
	for (long i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, folio_worker, (void *)(i + 1)), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &bad);
		CHECK_EQ((long)bad, 0);
	}
	drain_all_pages(NULL);
	CHECK_EQ(nr_free_pages(), before);
	check_invariants();
}

int main(void)
{
	ktest_first_call(first_call);
	if (!ktest_boot_quietly("mem=256M"))
		return 1;
	KTEST_RUN(KTEST(test_orders_and_conversions), KTEST(test_fields), KTEST(test_refcounts),
		  KTEST(test_zero_node_kmap), KTEST(test_copy_and_zero), KTEST(test_order_too_large),
		  KTEST(test_frozen_kmalloc_pages), 		  KTEST(test_threads));
}
