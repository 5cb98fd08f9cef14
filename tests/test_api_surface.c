/* SPDX-License-Identifier: MIT */
/*
 * The names an API-surface audit against the kernel's allocation headers
 * found missing, each called and its answer checked (on the i386 layout,
 * mem=1G highmem, so that the highmem paths run, with init_on_free=1):
 *  - linux/gfp.h alone gives numa_mem_id() (it includes topology.h, as
 *    the kernel's does); gfp_nested_mask(); gfpflags_allow_spinning();
 *    gfp_pfmemalloc_allowed(); alloc_pages_bulk_noprof(),
 *    alloc_pages_bulk_node_noprof() and v6.15's try_alloc_pages();
 *  - linux/string.h alone gives memdup_user() and its family, and
 *    argv_split()/argv_free();
 *  - linux/slab.h: arch_slab_minalign(), kvfree_rcu_barrier_on_cache()
 *    (and kfree_rcu() through it, as the kernel's slab.h reaches
 *    rcupdate.h), the _noprof names kmalloc_large_noprof(),
 *    kmalloc_large_node_noprof(), kvmalloc_noprof(), kvcalloc_noprof(),
 *    kvcalloc_node_noprof(), krealloc_node_noprof(),
 *    kmalloc_track_caller_noprof(), kmalloc_node_track_caller_noprof(),
 *    kvmalloc_node_align_noprof();
 *  - linux/mm.h: the page_ref/folio_ref _return, _add_unless and
 *    freeze/unfreeze helpers, folio_set_count(), folio_put_testzero(),
 *    __folio_put(), put_pages_list(), try_get_page(), page_shift(),
 *    folio_test_head/large/reserved(), is_zone_device_page(), get_num_physpages(), want_init_on_alloc(),
 *    want_init_on_free(), page_is_ram(), totalram_pages_add/inc/dec(),
 *    show_mem(), and kvmalloc()/kvfree() through mm.h as in older kernels;
 *    linux/mmzone.h's is_highmem()/is_highmem_idx();
 *  - linux/highmem.h: kmap_flush_unused(), is_kmap_addr(),
 *    kmap_local_page_try_from_panic(), and linux/cacheflush.h's
 *    flush_dcache_page() and friends (no-ops on x86);
 *  - linux/percpu-defs.h: raw_cpu_{sub,inc,dec}_return(),
 *    raw_cpu_try_cmpxchg(), the cmpxchg64 forms, and 2.6's
 *    __get_cpu_var()/__raw_get_cpu_var();
 *  - the vmalloc and mempool _noprof names;
 *  - linux/page_ref.h and linux/rcupdate_wait.h by name.
 */
#include <unistd.h>

#include <linux/gfp.h>

/* linux/gfp.h alone: numa_mem_id() and numa_node_id(), as in the kernel. */
static int gfp_h_node(void)
{
	return numa_mem_id() == numa_node_id() ? numa_mem_id() : -1;
}

#include <linux/string.h>

/* linux/string.h alone: the user-memory duplicators and argv_split(). */
static void *string_h_dup(const void *src, size_t len)
{
	return memdup_user((const void __user *)src, len);
}

#include <linux/mm.h>

/* linux/mm.h alone (with what came before): kvmalloc() and kvfree(). */
static void *mm_h_kvmalloc(size_t len)
{
	return kvmalloc(len, GFP_KERNEL);
}

#include <linux/cacheflush.h>
#include <linux/highmem.h>
#include <linux/jiffies.h>
#include <linux/kasan.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/mempool.h>
#include <linux/mmzone.h>
#include <linux/page-flags.h>
#include <linux/percpu.h>
#include <linux/page_ref.h>
#include <linux/rcupdate.h>
#include <linux/rcupdate_wait.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/fault.h>
#include "ktest_boot.h"

/* The overflow cases fold to SIZE_MAX, which gcc warns about. */
#pragma GCC diagnostic ignored "-Walloc-size-larger-than="

/* ---- linux/gfp.h ---- */

static void test_gfp_names(void)
{
	struct page *pages[4] = { NULL }, *more[4] = { NULL }, *page;
	unsigned int saved;
	int i;

	CHECK(gfp_h_node() >= 0);

	/* The context bits kept, made quiet and shallow; the rest dropped. */
	CHECK_EQ(gfp_nested_mask(GFP_KERNEL),
		 GFP_KERNEL | __GFP_NORETRY | __GFP_NOMEMALLOC | __GFP_NOWARN);
	CHECK_EQ(gfp_nested_mask(GFP_ATOMIC | __GFP_ZERO | __GFP_COMP | __GFP_DMA),
		 GFP_ATOMIC | __GFP_NORETRY | __GFP_NOMEMALLOC | __GFP_NOWARN);
	CHECK_EQ(gfp_nested_mask(GFP_NOFS | __GFP_NOLOCKDEP),
		 GFP_NOFS | __GFP_NOLOCKDEP | __GFP_NORETRY | __GFP_NOMEMALLOC | __GFP_NOWARN);

	/* Spinning: any reclaim bit; the _nolock calls' requests have none. */
	CHECK(gfpflags_allow_spinning(GFP_KERNEL));
	CHECK(gfpflags_allow_spinning(GFP_ATOMIC));
	CHECK(gfpflags_allow_spinning(GFP_NOWAIT));
	CHECK(!gfpflags_allow_spinning(0));
	CHECK(!gfpflags_allow_spinning(__GFP_ZERO | __GFP_ACCOUNT));

	/* The reserves: __GFP_MEMALLOC or PF_MEMALLOC, never __GFP_NOMEMALLOC. */
	CHECK(!gfp_pfmemalloc_allowed(GFP_KERNEL));
	CHECK(!gfp_pfmemalloc_allowed(GFP_ATOMIC));
	CHECK(gfp_pfmemalloc_allowed(GFP_KERNEL | __GFP_MEMALLOC));
	CHECK(!gfp_pfmemalloc_allowed(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOMEMALLOC));
	saved = memalloc_noreclaim_save();
	CHECK(gfp_pfmemalloc_allowed(GFP_KERNEL));
	CHECK(!gfp_pfmemalloc_allowed(GFP_KERNEL | __GFP_NOMEMALLOC));
	memalloc_noreclaim_restore(saved);
	CHECK(!gfp_pfmemalloc_allowed(GFP_KERNEL));

	/* The bulk allocator's _noprof names fill every empty slot. */
	CHECK_EQ(alloc_pages_bulk_noprof(GFP_KERNEL, NUMA_NO_NODE, NULL, 4, pages), 4UL);
	CHECK_EQ(alloc_pages_bulk_node_noprof(GFP_KERNEL, 0, 4, more), 4UL);
	for (i = 0; i < 4; i++) {
		CHECK(pages[i] != NULL && more[i] != NULL);
		if (more[i])
			CHECK_EQ(page_to_nid(more[i]), 0);
	}
	release_pages(pages, 4);
	release_pages(more, 4);

	/* v6.15's try_alloc_pages(): alloc_pages_nolock()'s zeroed page. */
	page = try_alloc_pages(NUMA_NO_NODE, 0);
	CHECK(page != NULL);
	if (page) {
		CHECK(mem_is_zero(page_address(page), PAGE_SIZE));
		free_pages_nolock(page, 0);
	}
}

/* ---- linux/string.h ---- */

static void test_string_names(void)
{
	static const char src[] = "kernel";
	char **argv;
	char *s;
	void *p;
	int argc = -1;

	p = string_h_dup(src, 3);
	CHECK(!IS_ERR_OR_NULL(p));
	if (!IS_ERR_OR_NULL(p)) {
		CHECK(memcmp(p, "ker", 3) == 0);
		kfree(p);
	}
	s = memdup_user_nul((const void __user *)src, 3);
	CHECK(!IS_ERR_OR_NULL(s));
	if (!IS_ERR_OR_NULL(s)) {
		CHECK_EQ(strcmp(s, "ker"), 0);
		kfree(s);
	}
	CHECK(memdup_array_user((const void __user *)src, SIZE_MAX / 2, 4) == ERR_PTR(-EOVERFLOW));
	CHECK(vmemdup_array_user((const void __user *)src, SIZE_MAX / 2, 4) == ERR_PTR(-EOVERFLOW));
	CHECK(strndup_user((const char __user *)src, 3) == ERR_PTR(-EINVAL));
	s = strndup_user((const char __user *)src, 16);
	CHECK(!IS_ERR_OR_NULL(s));
	if (!IS_ERR_OR_NULL(s)) {
		CHECK_EQ(strcmp(s, "kernel"), 0);
		kfree(s);
	}

	/* Words at the kernel's blanks, 0xa0 (Latin-1's no-break space) included. */
	argv = argv_split(GFP_KERNEL, "  ls -l\t/tmp\n\xa0x\v", &argc);
	CHECK(argv != NULL);
	if (argv) {
		CHECK_EQ(argc, 4);
		CHECK_EQ(strcmp(argv[0], "ls"), 0);
		CHECK_EQ(strcmp(argv[1], "-l"), 0);
		CHECK_EQ(strcmp(argv[2], "/tmp"), 0);
		CHECK_EQ(strcmp(argv[3], "x"), 0);
		CHECK(argv[4] == NULL);
		argv_free(argv);
	}
	argc = -1;
	argv = argv_split(GFP_KERNEL, " \t ", &argc);
	CHECK(argv != NULL);
	if (argv) {
		CHECK_EQ(argc, 0);
		CHECK(argv[0] == NULL);
		argv_free(argv);
	}
	argv = argv_split(GFP_KERNEL, "one", NULL);	/* no count wanted */
	CHECK(argv != NULL && strcmp(argv[0], "one") == 0 && argv[1] == NULL);
	if (argv)
		argv_free(argv);

	/* Either allocation failing gives NULL and leaves the count alone. */
	ukmem_fault_set("failslab", "verbose", 0);
	argc = -1;
	ukmem_fail_nth_set(1);
	CHECK(argv_split(GFP_ATOMIC | __GFP_NOWARN, "a b", &argc) == NULL);
	CHECK_EQ(argc, -1);
	ukmem_fail_nth_set(2);
	CHECK(argv_split(GFP_ATOMIC | __GFP_NOWARN, "a b", &argc) == NULL);
	CHECK_EQ(argc, -1);
	ukmem_fail_nth_set(0);
}

/* ---- linux/slab.h ---- */

struct rcu_obj {
	struct rcu_head rcu;
	long payload;
};

static void test_slab_names(void)
{
	struct kmem_cache *cache;
	struct rcu_obj *obj;
	char *p, *q;
	int i;

	CHECK_EQ(arch_slab_minalign(), (unsigned int)ARCH_SLAB_MINALIGN);
	CHECK_EQ(arch_slab_minalign(), 8U);

	/* Above KMALLOC_MAX_CACHE_SIZE: whole pages, a power-of-two order. */
	p = kmalloc_large_noprof(3 * PAGE_SIZE + 1, GFP_KERNEL);
	CHECK(p != NULL && PAGE_ALIGNED(p));
	if (p) {
		CHECK_EQ(ksize(p), 4 * PAGE_SIZE);
		kfree(p);
	}
	p = kmalloc_large_node_noprof(3 * PAGE_SIZE, GFP_KERNEL | __GFP_ZERO, 0);
	CHECK(p != NULL && PAGE_ALIGNED(p));
	if (p) {
		CHECK(mem_is_zero(p, 3 * PAGE_SIZE));
		CHECK_EQ(page_to_nid(virt_to_page(p)), 0);
		kfree(p);
	}

	p = kvmalloc_noprof(100, GFP_KERNEL | __GFP_ZERO);
	CHECK(p != NULL && mem_is_zero(p, 100));
	kvfree(p);
	p = mm_h_kvmalloc(3 * PAGE_SIZE);
	CHECK(p != NULL);
	kvfree(p);
	p = kvcalloc_noprof(16, 8, GFP_KERNEL);
	CHECK(p != NULL && mem_is_zero(p, 128));
	kvfree(p);
	CHECK(kvcalloc_noprof(SIZE_MAX / 4, 8, GFP_KERNEL) == NULL);
	p = kvcalloc_node_noprof(16, 8, GFP_KERNEL, NUMA_NO_NODE);
	CHECK(p != NULL && mem_is_zero(p, 128));
	kvfree(p);
	CHECK(kvcalloc_node_noprof(SIZE_MAX / 4, 8, GFP_KERNEL, 0) == NULL);
	p = kvmalloc_node_align_noprof(64, 1, GFP_KERNEL, NUMA_NO_NODE);
	CHECK(p != NULL);
	kvfree(p);

	/* krealloc_node_noprof() keeps the bytes. */
	p = kmalloc(16, GFP_KERNEL);
	CHECK(p != NULL);
	if (p) {
		for (i = 0; i < 16; i++)
			p[i] = (char)i;
		q = krealloc_node_noprof(p, 300, GFP_KERNEL, NUMA_NO_NODE);
		CHECK(q != NULL);
		if (q) {
			for (i = 0; i < 16; i++)
				CHECK_EQ(q[i], (char)i);
			CHECK(ksize(q) >= 300);
			p = q;
		}
		kfree(p);
	}

	/* The track-caller forms: the size classes, zeroing, ZERO_SIZE_PTR. */
	p = kmalloc_track_caller_noprof(24, GFP_KERNEL);
	CHECK(p != NULL);
	if (p)
		CHECK_EQ(ksize(p), 32UL);
	kfree(p);
	p = kmalloc_node_track_caller_noprof(64, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE, _RET_IP_);
	CHECK(p != NULL && IS_ALIGNED((unsigned long)p, 64) && mem_is_zero(p, 64));
	kfree(p);
	p = kmalloc_node_track_caller_noprof(64, GFP_KERNEL | __GFP_ZERO, 0, _RET_IP_);
	CHECK(p != NULL && mem_is_zero(p, 64));
	if (p)
		CHECK_EQ(page_to_nid(virt_to_page(p)), 0);
	kfree(p);
	CHECK(kmalloc_node_track_caller_noprof(0, GFP_KERNEL, NUMA_NO_NODE, _RET_IP_) ==
	      ZERO_SIZE_PTR);
	CHECK(kmalloc_node_track_caller_noprof(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN,
					       NUMA_NO_NODE, _RET_IP_) == NULL);

	/* kfree_rcu() objects of a cache are all gone after its barrier. */
	cache = KMEM_CACHE(rcu_obj, 0);
	CHECK(cache != NULL);
	if (!cache)
		return;
	for (i = 0; i < 8; i++) {
		obj = kmem_cache_alloc(cache, GFP_KERNEL);
		CHECK(obj != NULL);
		if (obj)
			kfree_rcu(obj, rcu);
	}
	kvfree_rcu_barrier_on_cache(cache);
	CHECK_EQ(rcu_pending_callbacks(), 0UL);
	kmem_cache_destroy(cache);
	CHECK(strstr(ktest_dmesg_now(), "Objects remaining") == NULL);
}

/* ---- linux/mm.h, linux/mmzone.h, linux/page-flags.h ---- */

static void test_page_refs(void)
{
	struct folio *folio;
	struct page *page;

	page = alloc_page(GFP_KERNEL);
	CHECK(page != NULL);
	if (!page)
		return;
	CHECK_EQ(page_ref_inc_return(page), 2);
	CHECK_EQ(page_ref_add_return(page, 3), 5);
	CHECK_EQ(page_ref_sub_return(page, 3), 2);
	CHECK_EQ(page_ref_dec_return(page), 1);
	CHECK(!page_ref_add_unless(page, 1, 1));
	CHECK_EQ(page_ref_count(page), 1);
	CHECK(page_ref_add_unless(page, 1, 0));
	CHECK_EQ(page_ref_count(page), 2);
	CHECK(try_get_page(page));
	CHECK_EQ(page_ref_count(page), 3);
	put_page(page);
	put_page(page);

	/* Frozen only at the expected count; frozen, no new reference. */
	CHECK(!page_ref_freeze(page, 2));
	CHECK_EQ(page_ref_count(page), 1);
	CHECK(page_ref_freeze(page, 1));
	CHECK_EQ(page_ref_count(page), 0);
	CHECK(!get_page_unless_zero(page));
	ukmem_dmesg_clear();
	CHECK(!try_get_page(page));		/* a WARN, no reference */
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "WARNING: ");
	CHECK_EQ(page_ref_count(page), 0);
	page_ref_unfreeze(page, 1);
	CHECK_EQ(page_ref_count(page), 1);
	CHECK_EQ(page_shift(page), (unsigned int)PAGE_SHIFT);
	CHECK(!folio_test_head(page_folio(page)));
	CHECK(!folio_test_large(page_folio(page)));
	CHECK(!folio_test_reserved(page_folio(page)));
	CHECK(!is_zone_device_page(page));
	CHECK(page_is_ram(page_to_pfn(page)) == 1);
	__free_page(page);

	folio = folio_alloc(GFP_KERNEL, 2);
	CHECK(folio != NULL);
	if (!folio)
		return;
	CHECK(folio_test_head(folio) && folio_test_large(folio));
	CHECK(!folio_is_zone_device(folio));
	CHECK_EQ(page_shift(&folio->page), (unsigned int)PAGE_SHIFT + 2);
	CHECK_EQ(folio_ref_inc_return(folio), 2);
	CHECK_EQ(folio_ref_add_return(folio, 2), 4);
	CHECK_EQ(folio_ref_sub_return(folio, 1), 3);
	CHECK_EQ(folio_ref_dec_return(folio), 2);
	CHECK(!folio_ref_add_unless(folio, 1, 2));
	CHECK(folio_ref_add_unless(folio, 1, 0));
	CHECK_EQ(folio_ref_count(folio), 3);
	folio_set_count(folio, 2);
	CHECK(!folio_put_testzero(folio));
	CHECK(folio_ref_freeze(folio, 1));
	CHECK_EQ(folio_ref_count(folio), 0);
	folio_ref_unfreeze(folio, 1);
	folio_put(folio);

	/* put_pages_list(): each page on the list loses one reference. */
	{
		struct page *a = alloc_page(GFP_KERNEL), *b = alloc_page(GFP_KERNEL);
		LIST_HEAD(list);

		CHECK(a != NULL && b != NULL);
		if (a && b) {
			get_page(b);		/* b has another owner */
			list_add(&a->lru, &list);
			list_add_tail(&b->lru, &list);
			put_pages_list(&list);
			CHECK(list_empty(&list));
			CHECK_EQ(page_ref_count(a), 0);	/* freed */
			CHECK_EQ(page_ref_count(b), 1);
			CHECK(folio_ref_dec_and_test(page_folio(b)));
			__folio_put(page_folio(b));	/* b's last reference */
		}
	}

	/* The shared zero page is reserved. */
	CHECK(folio_test_reserved(page_folio(ZERO_PAGE(0))));
	CHECK(page_is_ram(ukmem_ram_pfns + 16) == 0);
}

static void test_mm_counters(void)
{
	unsigned long present = 0, total;
	int nid, z;

	for_each_online_node(nid)
		for (z = 0; z < MAX_NR_ZONES; z++)
			present += NODE_DATA(nid)->node_zones[z].present_pages;
	CHECK_EQ(get_num_physpages(), present);
	CHECK(get_num_physpages() >= totalram_pages());

	total = totalram_pages();
	totalram_pages_add(5);
	CHECK_EQ(totalram_pages(), total + 5);
	totalram_pages_inc();
	CHECK_EQ(totalram_pages(), total + 6);
	totalram_pages_dec();
	totalram_pages_add(-5);
	CHECK_EQ(totalram_pages(), total);

	/* The boot line has init_on_free=1 and not init_on_alloc. */
	CHECK(!want_init_on_alloc(GFP_KERNEL));
	CHECK(want_init_on_alloc(GFP_KERNEL | __GFP_ZERO));
	CHECK(want_init_on_free());

	/* The i386 layout: ZONE_HIGHMEM is highmem, the others are not. */
	CHECK(is_highmem_idx(ZONE_HIGHMEM));
	CHECK(!is_highmem_idx(ZONE_NORMAL));
	CHECK(!is_highmem_idx(ZONE_MOVABLE));
	CHECK(is_highmem(&NODE_DATA(0)->node_zones[ZONE_HIGHMEM]));
	CHECK(!is_highmem(&NODE_DATA(0)->node_zones[ZONE_NORMAL]));

	ukmem_dmesg_clear();
	show_mem();
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "Mem-Info:\n");
	CHECK_STR_CONTAINS(ktest_dmesg_now(), " pages RAM\n");
}

/* ---- linux/highmem.h, linux/cacheflush.h ---- */

static void test_highmem_names(void)
{
	struct page *page = alloc_page(GFP_HIGHUSER);
	void *vaddr;

	CHECK(page != NULL);
	if (!page)
		return;
	CHECK(PageHighMem(page));
	vaddr = kmap(page);
	CHECK(vaddr != NULL);
	memset(vaddr, 0x5a, PAGE_SIZE);
	flush_dcache_page(page);
	flush_dcache_folio(page_folio(page));
	flush_kernel_vmap_range(vaddr, PAGE_SIZE);
	invalidate_kernel_vmap_range(vaddr, PAGE_SIZE);
	kunmap(page);
	/* An entry nobody holds stays mapped until the window wraps ... */
	CHECK(page_address(page) == vaddr);
	/* ... or until kmap_flush_unused(). */
	kmap_flush_unused();
	CHECK(page_address(page) == NULL);
	vaddr = kmap_local_page(page);
	CHECK(((unsigned char *)vaddr)[PAGE_SIZE - 1] == 0x5a);
	CHECK(is_kmap_addr(vaddr));
	CHECK(is_kmap_addr((char *)vaddr + PAGE_SIZE - 1));
	kunmap_local(vaddr);
	CHECK(kmap_local_page_try_from_panic(page) == NULL);	/* highmem */
	/* A held entry is left alone. */
	vaddr = kmap(page);
	CHECK(is_kmap_addr(vaddr));
	kmap_flush_unused();
	CHECK(page_address(page) == vaddr);
	kunmap(page);
	__free_page(page);

	/* Lowmem: its linear address, which no kmap handed out. */
	page = alloc_page(GFP_KERNEL);
	CHECK(page != NULL);
	if (!page)
		return;
	CHECK(kmap_local_page_try_from_panic(page) == page_address(page));
	CHECK(!is_kmap_addr(page_address(page)));
	CHECK(!is_kmap_addr(NULL));
	__free_page(page);
}

/* ---- linux/percpu-defs.h ---- */

static DEFINE_PER_CPU(int, pc_int);
static DEFINE_PER_CPU(u64, pc_u64);

static void test_percpu_names(void)
{
	int cpu, old;
	u64 old64;

	cpu = get_cpu();
	__get_cpu_var(pc_int) = 5;
	CHECK_EQ(per_cpu(pc_int, cpu), 5);
	__raw_get_cpu_var(pc_int)++;
	CHECK_EQ(per_cpu(pc_int, cpu), 6);

	raw_cpu_write(pc_int, 10);
	CHECK_EQ(raw_cpu_inc_return(pc_int), 11);
	CHECK_EQ(raw_cpu_dec_return(pc_int), 10);
	CHECK_EQ(raw_cpu_sub_return(pc_int, 4), 6);
	old = 6;
	CHECK(raw_cpu_try_cmpxchg(pc_int, &old, 9));
	CHECK_EQ(per_cpu(pc_int, cpu), 9);
	old = 1;
	CHECK(!raw_cpu_try_cmpxchg(pc_int, &old, 3));
	CHECK_EQ(old, 9);
	CHECK_EQ(per_cpu(pc_int, cpu), 9);

	this_cpu_write(pc_u64, 0);
	CHECK_EQ(this_cpu_cmpxchg64(pc_u64, 0, 1ULL << 40), 0ULL);
	CHECK_EQ(per_cpu(pc_u64, cpu), 1ULL << 40);
	old64 = 1ULL << 40;
	CHECK(this_cpu_try_cmpxchg64(pc_u64, &old64, 7));
	CHECK_EQ(raw_cpu_cmpxchg64(pc_u64, 7, 8), 7ULL);
	old64 = 1;
	CHECK(!raw_cpu_try_cmpxchg64(pc_u64, &old64, 2));
	CHECK_EQ(old64, 8ULL);
	CHECK_EQ(per_cpu(pc_u64, cpu), 8ULL);
	put_cpu();
}

/* ---- the vmalloc and mempool _noprof names ---- */

static void test_noprof_names(void)
{
	mempool_t pool;
	void *p;

	p = vmalloc_32_user_noprof(2 * PAGE_SIZE);
	CHECK(p != NULL && mem_is_zero(p, 2 * PAGE_SIZE));
	vfree(p);
	p = vmalloc_huge_node_noprof(PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE);
	CHECK(p != NULL);
	vfree(p);
	p = __vmalloc_array_noprof(4, PAGE_SIZE, GFP_KERNEL);
	CHECK(p != NULL);
	vfree(p);
	CHECK(__vmalloc_array_noprof(SIZE_MAX / 2, 4, GFP_KERNEL) == NULL);
	p = __vcalloc_noprof(4, PAGE_SIZE, GFP_KERNEL);
	CHECK(p != NULL && mem_is_zero(p, 4 * PAGE_SIZE));
	vfree(p);
	CHECK(__vcalloc_noprof(SIZE_MAX / 2, 4, GFP_KERNEL) == NULL);

	CHECK_EQ(mempool_init_node_noprof(&pool, 2, mempool_kmalloc, mempool_kfree,
					  (void *)(uintptr_t)64, GFP_KERNEL, NUMA_NO_NODE), 0);
	p = mempool_alloc(&pool, GFP_KERNEL);
	CHECK(p != NULL);
	mempool_free(p, &pool);
	mempool_exit(&pool);
}

/*
 * ---- what the kernel's own allocator tests name ----
 * slub_kunit (__kmalloc_cache_noprof, OPTIMIZER_HIDE_VAR,
 * kasan_disable_current), overflow_kunit (__overflows_type and its
 * constant form, __struct_size/__member_size), kasan_test_c
 * (migrate_disable), lib/percpu_test.c (linux/module.h alone gives the
 * per-CPU API), and 7.x's __alloc_reserved_percpu(), pcpu_nr_pages(),
 * vrealloc_node_noprof() and kmem_buckets_alloc_node_track_caller().
 */
struct two_members {
	int a;
	char tail[12];
};

static_assert(__overflows_type_constexpr(300, u8), "300 is no u8");
static_assert(!__overflows_type_constexpr(255, u8), "255 is a u8");
static_assert(__overflows_type_constexpr(-1, unsigned int), "-1 is no unsigned");

static void test_kernel_test_names(void)
{
	struct two_members *tm = kmalloc(sizeof(*tm), GFP_KERNEL);
	size_t size = 100, before;
	void __percpu *big[32];
	int __percpu *pc;
	int i;
	kmem_buckets *b;
	char *p, *v;
	long wide = 70000;

	OPTIMIZER_HIDE_VAR(size);
	p = __kmalloc_cache_noprof(kmalloc_caches[KMALLOC_NORMAL][7], GFP_KERNEL, size);
	CHECK(p != NULL && ksize(p) == 128);
	kfree(p);
	kasan_disable_current();
	kasan_enable_current();
	migrate_disable();
	CHECK(!in_atomic());			/* sleeping stays allowed */
	migrate_enable();

	CHECK(__overflows_type(wide, s16));
	CHECK(!__overflows_type(wide, int));
	CHECK(overflows_type(wide, u16));
	CHECK(tm != NULL);
	if (tm) {
		/*
		 * What the compiler knows of a kmalloc(16): the object and the
		 * member's 12, or (size_t)-1 where it knows nothing (an ASan
		 * build), never a wrong size.
		 */
		CHECK(__struct_size(tm) == sizeof(*tm) || __struct_size(tm) == (size_t)-1);
		CHECK(__member_size(tm->tail) == 12 || __member_size(tm->tail) == (size_t)-1);
		kfree(tm);
	}

	/* The first chunk counts; 32 areas of 8 KiB a CPU need more chunks. */
	before = pcpu_nr_pages();
	CHECK(before > 0);
	for (i = 0; i < 32; i++)
		big[i] = __alloc_percpu(8192, 8);
	CHECK(pcpu_nr_pages() > before);
	for (i = 0; i < 32; i++)
		free_percpu(big[i]);
	pc = __alloc_reserved_percpu(sizeof(int), __alignof__(int));
	CHECK(pc != NULL && *per_cpu_ptr(pc, 0) == 0);
	free_percpu(pc);

	v = vrealloc_node_noprof(NULL, 3 * PAGE_SIZE, GFP_KERNEL | __GFP_ZERO, 0);
	CHECK(v != NULL && is_vmalloc_addr(v) && mem_is_zero(v, 3 * PAGE_SIZE));
	vfree(v);

	b = kmem_buckets_create("tnames", 0, 0, 0, NULL);
	CHECK(b != NULL);
	p = kmem_buckets_alloc_node_track_caller(b, 50, GFP_KERNEL, 0);
	CHECK(p != NULL && ksize(p) == 64);
	kfree(p);
}

/* linux/page_ref.h and linux/rcupdate_wait.h by name, as kernel code includes them. */
static int freed_by_rcu;

static void count_rcu_free(struct rcu_head *head)
{
	(void)head;
	freed_by_rcu++;
}

static void test_header_names(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct rcu_head head;

	CHECK(page != NULL);
	if (!page)
		return;
	page_ref_inc(page);
	CHECK_EQ(page_ref_count(page), 2);
	page_ref_dec(page);
	__free_page(page);
	call_rcu(&head, count_rcu_free);
	synchronize_rcu_mult(call_rcu);
	rcu_barrier();
	CHECK_EQ(freed_by_rcu, 1);
	rcu_read_lock();
	cond_resched_rcu();
	rcu_read_unlock();
}

static int modparam_value = 3;
module_param(modparam_value, int, 0444);

/* linux/jiffies.h, linux/moduleparam.h and the acquire/release atomics (lib/test_objpool.c's). */
static void test_time_and_module_headers(void)
{
	unsigned long j0 = jiffies, j1;
	atomic_t a = ATOMIC_INIT(0);
	atomic_long_t l = ATOMIC_LONG_INIT(0);

	CHECK_EQ(HZ, 1000);
	CHECK_EQ(msecs_to_jiffies(1000), HZ);
	CHECK_EQ(msecs_to_jiffies(0), 0);
	CHECK_EQ(msecs_to_jiffies((unsigned int)-1), MAX_JIFFY_OFFSET);
	CHECK_EQ(usecs_to_jiffies(1), 1);	/* rounds up, as the kernel's */
	CHECK_EQ(jiffies_to_msecs(HZ), 1000);
	CHECK_EQ(jiffies_to_usecs(2), 2000);
	/* Wrap-safe: ULONG_MAX is just before 0. */
	CHECK(time_after(0UL, ULONG_MAX) && time_before(ULONG_MAX, 0UL));
	CHECK(time_after_eq(5UL, 5UL) && time_before_eq(5UL, 5UL) && !time_after(5UL, 5UL));
	CHECK(time_in_range(5UL, 4UL, 6UL) && !time_in_range(7UL, 4UL, 6UL));
	do {
		usleep(2000);
		j1 = jiffies;
	} while (j1 == j0);		/* no deadline: only that it moves, forward */
	CHECK(time_after(j1, j0) && time_is_before_eq_jiffies(j1));
	atomic_set_release(&a, 7);
	CHECK_EQ(atomic_read_acquire(&a), 7);
	atomic_long_set_release(&l, -9);
	CHECK_EQ(atomic_long_read_acquire(&l), -9);
	CHECK_EQ(modparam_value, 3);
}

int main(void)
{
	if (!ktest_boot_quietly("mem=1G highmem init_on_free=1"))
		return 1;
	KTEST_RUN(KTEST(test_gfp_names), KTEST(test_string_names), KTEST(test_slab_names),
		  KTEST(test_page_refs), KTEST(test_mm_counters), KTEST(test_highmem_names),
		  KTEST(test_percpu_names), KTEST(test_noprof_names),
		  KTEST(test_kernel_test_names), KTEST(test_header_names),
		  KTEST(test_time_and_module_headers));
}
