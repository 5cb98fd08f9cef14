/* SPDX-License-Identifier: MIT */
/*
 * Edge cases of the kernel API as the kernel-doc comments and the kernel's
 * code define them (mm/slab_common.c, mm/util.c, mm/vmalloc.c,
 * mm/mempool.c, mm/percpu.c, mm/page_alloc.c, mm/dmapool.c,
 * lib/genalloc.c): zero sizes, NULL arguments, overflowing counts, the
 * limits past which a call fails, and which failures warn.
 */
#include <limits.h>
/* Sizes past SIZE_MAX and bytes past the size asked for (within ksize) on purpose. */
#pragma GCC diagnostic ignored "-Warray-bounds"
#ifndef __clang__
#pragma GCC diagnostic ignored "-Walloc-size-larger-than="
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#endif
#include <stdint.h>

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/genalloc.h>
#include <linux/gfp.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/page_frag_cache.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include "ktest_boot.h"


/* ---- kmalloc family ---- */

static void test_kmalloc_zero(void)
{
	void *p = kmalloc(0, GFP_KERNEL);

	CHECK(p == ZERO_SIZE_PTR);
	CHECK(kzalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(kmalloc_array(0, 8, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(kcalloc(8, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK_EQ(ksize(ZERO_SIZE_PTR), 0);
	CHECK_EQ(ksize(NULL), 0);
	kfree(p);
	kfree(NULL);
	kfree_sensitive(ZERO_SIZE_PTR);
	kfree_sensitive(NULL);
	kvfree(ZERO_SIZE_PTR);
	kvfree(NULL);
	kvfree_sensitive(NULL, 10);
}

static void test_kmalloc_overflow(void)
{
	void *p;

	ukmem_dmesg_clear();
	CHECK(kmalloc_array(SIZE_MAX / 2, 4, GFP_KERNEL) == NULL);
	CHECK(kcalloc(SIZE_MAX / 8 + 1, 16, GFP_KERNEL) == NULL);
	CHECK(kvmalloc_array(SIZE_MAX / 2, 4, GFP_KERNEL) == NULL);
	CHECK(kvcalloc(SIZE_MAX / 2, 4, GFP_KERNEL) == NULL);
	p = kmalloc(16, GFP_KERNEL);
	memset(p, 0x5c, 16);
	CHECK(krealloc_array(p, SIZE_MAX / 2, 4, GFP_KERNEL) == NULL);
	CHECK(((unsigned char *)p)[15] == 0x5c);
	kfree(p);
	/* overflow is checked, not warned about */
	CHECK(!ktest_warned());
}

static void test_kmalloc_too_big(void)
{
	void *p;

	/* the page allocator's order check warns once per boot */
	ukmem_dmesg_clear();
	CHECK(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(!ktest_warned());
	CHECK(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL) == NULL);
	CHECK(ktest_warned());
	ukmem_dmesg_clear();
	CHECK(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL) == NULL);
	CHECK(!ktest_warned());
	/* a saturated product asks for SIZE_MAX bytes */
	CHECK(kmemdup_array("abcd", SIZE_MAX / 2, 4, GFP_KERNEL) == NULL);
	CHECK(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1) == NULL);
	CHECK(!ktest_warned());
	p = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL);
	CHECK(p != NULL);
	CHECK(ksize(p) >= KMALLOC_MAX_SIZE);
	kfree(p);
	/* kvmalloc: anything past INT_MAX is refused, with a warning */
	ukmem_dmesg_clear();
	CHECK(kvmalloc((size_t)INT_MAX + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(!ktest_warned());
	CHECK(kvmalloc((size_t)INT_MAX + 1, GFP_KERNEL) == NULL);
	CHECK(ktest_warned());
}

static void test_kmalloc_size_roundup(void)
{
	CHECK_EQ(kmalloc_size_roundup(0), 0);
	CHECK_EQ(kmalloc_size_roundup(1), 8);
	CHECK_EQ(kmalloc_size_roundup(65), 96);
	CHECK_EQ(kmalloc_size_roundup(129), 192);
	CHECK_EQ(kmalloc_size_roundup(193), 256);
	CHECK_EQ(kmalloc_size_roundup(8192), 8192);
	CHECK_EQ(kmalloc_size_roundup(8193), 16384);
	CHECK_EQ(kmalloc_size_roundup(KMALLOC_MAX_SIZE), KMALLOC_MAX_SIZE);
	CHECK_EQ(kmalloc_size_roundup(KMALLOC_MAX_SIZE + 1), KMALLOC_MAX_SIZE + 1);
	CHECK_EQ(kmalloc_size_roundup(SIZE_MAX), SIZE_MAX);
}

static void test_krealloc(void)
{
	char *p = krealloc(NULL, 40, GFP_KERNEL), *q;

	CHECK(p != NULL && p != ZERO_SIZE_PTR);
	CHECK(ksize(p) >= 40);
	memset(p, 'a', 40);
	/* shrinking keeps the block and the data */
	q = krealloc(p, 20, GFP_KERNEL);
	CHECK(q == p);
	CHECK(q[0] == 'a' && q[19] == 'a');
	/* growing copies */
	q = krealloc(q, 4000, GFP_KERNEL);
	CHECK(q != NULL);
	CHECK(q[0] == 'a' && q[19] == 'a');
	/* size 0 frees and answers ZERO_SIZE_PTR */
	p = krealloc(q, 0, GFP_KERNEL);
	CHECK(p == ZERO_SIZE_PTR);
	q = krealloc(p, 10, GFP_KERNEL);
	CHECK(q != NULL && q != ZERO_SIZE_PTR);
	kfree(q);
	/* krealloc(NULL, 0) */
	p = krealloc(NULL, 0, GFP_KERNEL);
	CHECK(p == ZERO_SIZE_PTR);
	/* a large (page) block */
	p = kmalloc(20000, GFP_KERNEL);
	memset(p, 'b', 20000);
	q = krealloc(p, 9000, GFP_KERNEL);
	CHECK(q != NULL && q[8999] == 'b' && q[0] == 'b');
	q = krealloc(q, 100000, GFP_KERNEL);
	CHECK(q != NULL && q[8999] == 'b');
	kfree(q);
	/* a failing krealloc leaves the block alone */
	p = kmalloc(16, GFP_KERNEL);
	memset(p, 'c', 16);
	CHECK(krealloc(p, KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(p[15] == 'c');
	kfree(p);
}

static void test_kstrdup_family(void)
{
	static const char src[] = "hello world";
	char buf[8] = "abcdefg";
	char *s;
	const char *c;

	CHECK(kstrdup(NULL, GFP_KERNEL) == NULL);
	CHECK(kstrndup(NULL, 4, GFP_KERNEL) == NULL);
	CHECK(kmemdup_nul(NULL, 4, GFP_KERNEL) == NULL);
	s = kstrndup(src, 5, GFP_KERNEL);
	CHECK(s && !strcmp(s, "hello"));
	kfree(s);
	s = kstrndup(src, 100, GFP_KERNEL);
	CHECK(s && !strcmp(s, src));
	kfree(s);
	s = kstrndup(src, 0, GFP_KERNEL);
	CHECK(s && s[0] == '\0');
	kfree(s);
	s = kmemdup_nul(buf, 3, GFP_KERNEL);
	CHECK(s && !strcmp(s, "abc"));
	kfree(s);
	s = kmemdup_nul(buf, 0, GFP_KERNEL);
	CHECK(s && s != ZERO_SIZE_PTR && s[0] == '\0');
	kfree(s);
	s = kmemdup(buf, 0, GFP_KERNEL);
	CHECK(s == ZERO_SIZE_PTR);
	s = kmemdup_array(buf, 2, 3, GFP_KERNEL);
	CHECK(s && !memcmp(s, "abcdef", 6));
	kfree(s);
	s = kstrdup("", GFP_KERNEL);
	CHECK(s && s[0] == '\0');
	kfree(s);
	/* a string in the program's read-only data is not copied */
	c = kstrdup_const("constant string", GFP_KERNEL);
	CHECK(c && !strcmp(c, "constant string"));
	kfree_const(c);
	c = kstrdup_const(buf, GFP_KERNEL);
	CHECK(c && c != buf && !strcmp(c, buf));
	kfree_const(c);
	CHECK(kstrdup_const(NULL, GFP_KERNEL) == NULL);
	kfree_const(NULL);
}

static void test_kvmalloc(void)
{
	char *p = kvmalloc(0, GFP_KERNEL);

	CHECK(p == ZERO_SIZE_PTR);
	kvfree(p);
	p = kvzalloc(3 << 20, GFP_KERNEL);
	CHECK(p && p[0] == 0 && p[(3 << 20) - 1] == 0);
	kvfree_sensitive(p, 3 << 20);
	p = kvmalloc(100, GFP_KERNEL);
	CHECK(p && !is_vmalloc_addr(p));
	kvfree(p);
	p = vmalloc(100);
	CHECK(p && is_vmalloc_addr(p));
	kvfree(p);
	/* kvrealloc keeps contents */
	p = kvmalloc(64, GFP_KERNEL);
	memset(p, 'k', 64);
	p = kvrealloc(p, 1 << 20, GFP_KERNEL);
	CHECK(p && p[63] == 'k');
	p = kvrealloc(p, 32, GFP_KERNEL);
	CHECK(p && p[31] == 'k');
	kvfree(p);
	p = kvrealloc(NULL, 32, GFP_KERNEL);
	CHECK(p != NULL);
	kvfree(p);
}

/* ---- caches ---- */

static int ctor_calls;

static void count_ctor(void *obj)
{
	(void)obj;
	ctor_calls++;
}

static void test_cache_basics(void)
{
	struct kmem_cache *a, *b;
	void *objs[64];
	int i;

	kmem_cache_destroy(NULL);
	a = kmem_cache_create("edge_dup", 100, 0, SLAB_NO_MERGE, NULL);
	b = kmem_cache_create("edge_dup", 100, 0, SLAB_NO_MERGE, NULL);
	CHECK(a && b && a != b);
	CHECK_EQ(kmem_cache_size(a), 100);
	CHECK_EQ(kmem_cache_alloc_bulk(a, GFP_KERNEL, 0, objs), 0);
	CHECK_EQ(kmem_cache_alloc_bulk(a, GFP_KERNEL, 64, objs), 64);
	for (i = 0; i < 64; i++)
		CHECK(objs[i] != NULL);
	objs[3] = NULL;
	objs[40] = NULL;
	kmem_cache_free_bulk(a, 64, objs);
	kmem_cache_free_bulk(a, 0, objs);
	objs[0] = kmalloc(10, GFP_KERNEL);
	objs[1] = NULL;
	objs[2] = kmalloc(10000, GFP_KERNEL);
	kfree_bulk(3, objs);
	kmem_cache_destroy(b);
	kmem_cache_destroy(a);

	ctor_calls = 0;
	a = kmem_cache_create("edge_rcu_ctor", 64, 0, SLAB_TYPESAFE_BY_RCU, count_ctor);
	CHECK(a != NULL);
	objs[0] = kmem_cache_alloc(a, GFP_KERNEL);
	CHECK(ctor_calls > 0);
	kmem_cache_free(a, objs[0]);
	kmem_cache_destroy(a);
	/* kmem_cache_zalloc */
	a = kmem_cache_create("edge_zalloc", 48, 0, 0, NULL);
	objs[0] = kmem_cache_alloc(a, GFP_KERNEL);
	memset(objs[0], 0xff, 48);
	kmem_cache_free(a, objs[0]);
	objs[0] = kmem_cache_zalloc(a, GFP_KERNEL);
	CHECK(((char *)objs[0])[0] == 0 && ((char *)objs[0])[47] == 0);
	kmem_cache_free(a, objs[0]);
	kmem_cache_destroy(a);
}

static void test_cache_destroy_busy(void)
{
	struct kmem_cache *a = kmem_cache_create("edge_leaky", 64, 0, SLAB_NO_MERGE, NULL);
	void *p = kmem_cache_alloc(a, GFP_KERNEL);
	const char *log;

	ukmem_dmesg_clear();
	kmem_cache_destroy(a);
	log = ktest_dmesg_now();
	CHECK_STR_CONTAINS(log, "Objects remaining");
	CHECK_STR_CONTAINS(log, "edge_leaky");
	CHECK_STR_CONTAINS(log, "Slab cache still has objects");
	/* the cache lives on: its object is still valid */
	memset(p, 1, 64);
}


/* ---- vmalloc ---- */

static void test_vmalloc_edges(void)
{
	struct vm_struct *area;
	struct page *pg;
	char *p, *k;

	ukmem_dmesg_clear();
	CHECK(vmalloc(0) == NULL);
	CHECK(vzalloc(0) == NULL);
	vfree(NULL);
	vfree_atomic(NULL);
	vunmap(NULL);
	/* more than all of RAM: refused, with the allocation-failure report */
	ukmem_dmesg_clear();
	CHECK(__vmalloc((totalram_pages() + 1) << PAGE_SHIFT, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(!strstr(ktest_dmesg_now(), "vmalloc error"));
	CHECK(vmalloc((totalram_pages() + 1) << PAGE_SHIFT) == NULL);
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "vmalloc error: size");
	CHECK(vmalloc_array(SIZE_MAX / 2, 4) == NULL);
	CHECK(vcalloc(SIZE_MAX / 2, 4) == NULL);

	p = vmalloc(3 * PAGE_SIZE + 1);
	CHECK(p && is_vmalloc_addr(p) && ((unsigned long)p & ~PAGE_MASK) == 0);
	area = find_vm_area(p);
	CHECK(area && area->addr == p);
	CHECK(area && get_vm_area_size(area) == 4 * PAGE_SIZE);
	CHECK(area && area->nr_pages == 4);
	CHECK(find_vm_area(p + PAGE_SIZE + 5) == area);
	pg = vmalloc_to_page(p + PAGE_SIZE + 5);
	CHECK(pg != NULL && pg == area->pages[1]);
	CHECK(vmalloc_to_pfn(p + 2 * PAGE_SIZE) == page_to_pfn(area->pages[2]));
	k = kmalloc(32, GFP_KERNEL);
	CHECK(!is_vmalloc_addr(k));
	CHECK(!is_vmalloc_addr(NULL));
	CHECK(find_vm_area(k) == NULL);
	CHECK(find_vm_area(NULL) == NULL);
	kfree(k);
	vfree(p);
	CHECK(find_vm_area(p) == NULL);

	p = vzalloc(10000);
	CHECK(p && p[0] == 0 && p[9999] == 0);
	vfree(p);
	/* vrealloc */
	p = vrealloc(NULL, 100, GFP_KERNEL);
	CHECK(p && is_vmalloc_addr(p));
	memset(p, 'v', 100);
	p = vrealloc(p, 3 * PAGE_SIZE, GFP_KERNEL);
	CHECK(p && p[99] == 'v');
	CHECK(vrealloc(p, 0, GFP_KERNEL) == NULL);
}

static void test_vmap_edges(void)
{
	struct page *pages[2];
	void *v;

	pages[0] = alloc_page(GFP_KERNEL);
	pages[1] = alloc_page(GFP_KERNEL);
	CHECK(vmap(pages, 0, VM_MAP, PAGE_KERNEL) == NULL);
	/* vm_map_ram() of no pages warns (the kernel's vb_alloc) and fails */
	ukmem_dmesg_clear();
	CHECK(vm_map_ram(pages, 0, NUMA_NO_NODE) == NULL);
	CHECK(ktest_warned());
	v = vm_map_ram(pages, 2, NUMA_NO_NODE);
	CHECK(v && vmalloc_to_page((char *)v + PAGE_SIZE) == pages[1]);
	vm_unmap_ram(v, 2);
	CHECK(vmap(pages, (unsigned int)totalram_pages() + 1, VM_MAP, PAGE_KERNEL) == NULL);
	v = vmap(pages, 2, VM_MAP, PAGE_KERNEL);
	CHECK(v && is_vmalloc_addr(v));
	CHECK(vmalloc_to_page(v) == pages[0]);
	CHECK(vmalloc_to_page((char *)v + PAGE_SIZE) == pages[1]);
	memset(v, 'x', 2 * PAGE_SIZE);
	CHECK(*(char *)page_address(pages[1]) == 'x');
	vunmap(v);
	__free_page(pages[0]);
	__free_page(pages[1]);
}

/* ---- mempool ---- */

static int pool_fail;

static void *pool_alloc(gfp_t gfp, void *data)
{
	(void)data;
	return pool_fail ? NULL : kmalloc(32, gfp);
}

static void pool_free(void *e, void *data)
{
	(void)data;
	kfree(e);
}

static void test_mempool_edges(void)
{
	mempool_t *pool;
	void *e[8];
	int i;

	mempool_destroy(NULL);
	pool_fail = 0;
	pool = mempool_create(0, pool_alloc, pool_free, NULL);
	CHECK(pool != NULL);
	/* a zero-minimum pool holds one element (the kernel preallocates it) */
	CHECK_EQ(pool->curr_nr, 1);
	e[0] = mempool_alloc(pool, GFP_KERNEL);
	CHECK(e[0] != NULL);
	CHECK_EQ(pool->curr_nr, 1);
	pool_fail = 1;
	e[1] = mempool_alloc(pool, GFP_NOWAIT);
	CHECK(e[1] != NULL);
	CHECK_EQ(pool->curr_nr, 0);
	pool_fail = 0;
	mempool_free(e[1], pool);
	CHECK_EQ(pool->curr_nr, 1);
	mempool_free(e[0], pool);
	CHECK_EQ(pool->curr_nr, 1);
	mempool_free(NULL, pool);
	pool_fail = 1;
	e[0] = mempool_alloc(pool, GFP_NOWAIT);
	CHECK(e[0] != NULL);
	CHECK(mempool_alloc(pool, GFP_NOWAIT) == NULL);
	mempool_free(e[0], pool);
	pool_fail = 0;
	mempool_destroy(pool);

	/* creation fails if the reserve cannot be filled */
	pool_fail = 1;
	CHECK(mempool_create(4, pool_alloc, pool_free, NULL) == NULL);
	pool_fail = 0;

	pool = mempool_create(4, pool_alloc, pool_free, NULL);
	CHECK_EQ(pool->curr_nr, 4);
	CHECK_EQ(pool->min_nr, 4);
	/* shrink frees the surplus */
	CHECK_EQ(mempool_resize(pool, 2), 0);
	CHECK_EQ(pool->min_nr, 2);
	CHECK_EQ(pool->curr_nr, 2);
	/* grow fills the reserve */
	CHECK_EQ(mempool_resize(pool, 6), 0);
	CHECK_EQ(pool->min_nr, 6);
	CHECK_EQ(pool->curr_nr, 6);
	/* grow whose elements cannot be allocated still answers 0 */
	pool_fail = 1;
	CHECK_EQ(mempool_resize(pool, 8), 0);
	CHECK_EQ(pool->min_nr, 8);
	CHECK_EQ(pool->curr_nr, 6);
	/* with reclaim allowed, mempool_alloc takes from the reserve */
	for (i = 0; i < 6; i++) {
		e[i] = mempool_alloc(pool, GFP_KERNEL);
		CHECK(e[i] != NULL);
	}
	CHECK_EQ(pool->curr_nr, 0);
	CHECK(mempool_alloc(pool, GFP_ATOMIC) == NULL);
	for (i = 0; i < 6; i++)
		mempool_free(e[i], pool);
	CHECK_EQ(pool->curr_nr, 6);
	pool_fail = 0;
	mempool_destroy(pool);

	pool = mempool_create_kmalloc_pool(2, 100);
	e[0] = mempool_alloc(pool, GFP_KERNEL);
	CHECK(e[0] && ksize(e[0]) >= 100);
	mempool_free(e[0], pool);
	mempool_destroy(pool);
	pool = mempool_create_page_pool(2, 1);
	e[0] = mempool_alloc(pool, GFP_KERNEL);
	CHECK(e[0] != NULL);
	mempool_free(e[0], pool);
	mempool_destroy(pool);
}

/* ---- percpu ---- */

static void test_percpu_edges(void)
{
	void __percpu *p;
	int cpu;

	ukmem_dmesg_clear();
	CHECK(__alloc_percpu(0, 4) == NULL);
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "illegal size (0) or align (4) for percpu allocation");
	ukmem_dmesg_clear();
	CHECK(__alloc_percpu(16, 12) == NULL);
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "illegal size (16) or align (12) for percpu allocation");
	/* an alignment below the 4-byte minimum is raised to it */
	p = __alloc_percpu(5, 3);
	CHECK(p != NULL && ((unsigned long)this_cpu_ptr((char __percpu *)p) & 3) == 0);
	free_percpu(p);
	ukmem_dmesg_clear();
	CHECK(__alloc_percpu(16, 2 * PAGE_SIZE) == NULL);
	CHECK(ktest_warned());
	ukmem_dmesg_clear();
	CHECK(__alloc_percpu(PCPU_MIN_UNIT_SIZE + 1, 8) == NULL);
	CHECK(ktest_warned());
	ukmem_dmesg_clear();
	CHECK(__alloc_percpu_gfp(0, 4, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(!ktest_warned());
	free_percpu(NULL);

	p = __alloc_percpu(24, 16);
	CHECK(p != NULL);
	for_each_possible_cpu(cpu) {
		char *c = per_cpu_ptr((char __percpu *)p, cpu);
		int j;

		CHECK(((unsigned long)c & 15) == 0);
		for (j = 0; j < 24; j++)
			CHECK(c[j] == 0);
		memset(c, cpu + 1, 24);
	}
	for_each_possible_cpu(cpu)
		CHECK(*(char *)per_cpu_ptr((char __percpu *)p, cpu) == (char)(cpu + 1));
	free_percpu(p);
}

/* ---- pages ---- */

static void test_page_edges(void)
{
	struct page *pg;
	unsigned long a;
	void *v;
	int i;

	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1) == NULL);
	CHECK(__get_free_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1) == 0);
	free_pages(0, 3);
	free_page(0);
	a = get_zeroed_page(GFP_KERNEL);
	CHECK(a != 0);
	for (i = 0; i < (int)PAGE_SIZE; i++)
		if (((char *)a)[i])
			break;
	CHECK_EQ(i, PAGE_SIZE);
	free_page(a);

	pg = alloc_pages(GFP_KERNEL, 2);
	CHECK(pg != NULL);
	split_page(pg, 2);
	for (i = 0; i < 4; i++) {
		CHECK_EQ(page_count(pg + i), 1);
		__free_page(pg + i);
	}

	v = alloc_pages_exact(3 * PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	CHECK(v && ((char *)v)[3 * PAGE_SIZE - 1] == 0);
	free_pages_exact(v, 3 * PAGE_SIZE);
	ukmem_dmesg_clear();
	v = alloc_pages_exact(PAGE_SIZE, GFP_KERNEL | __GFP_COMP);
	CHECK(v != NULL);
	CHECK(ktest_warned());
	free_pages_exact(v, PAGE_SIZE);
}

/* ---- dma pools ---- */

static struct device_driver edge_drv = { .name = "edgedrv" };
static u64 edge_mask = ~0ULL;		/* DMA_BIT_MASK(64) */
static struct device edge_dev = { .init_name = "edge0", .driver = &edge_drv, .dma_mask = &edge_mask,
				  .coherent_dma_mask = ~0ULL };

static void test_dmapool_edges(void)
{
	struct device *dev = &edge_dev;
	struct dma_pool *pool;
	dma_addr_t h;
	char *b;
	int i;

	dma_pool_destroy(NULL);
	/* no device, no pool */
	CHECK(dma_pool_create("e", NULL, 64, 8, 0) == NULL);
	CHECK(dma_pool_create("e", dev, 64, 3, 0) == NULL);
	CHECK(dma_pool_create("e", dev, 0, 8, 0) == NULL);
	CHECK(dma_pool_create("e", dev, 64, 8, 32) == NULL);
	CHECK(dma_pool_create("e", dev, 64, 8, 96) == NULL);
	CHECK(dma_pool_create("e", dev, (size_t)INT_MAX + 1, 8, 0) == NULL);
	pool = dma_pool_create("e", dev, 100, 64, 256);
	CHECK(pool != NULL);
	for (i = 0; i < 20; i++) {
		b = dma_pool_zalloc(pool, GFP_KERNEL, &h);
		CHECK(b != NULL);
		CHECK(((unsigned long)b & 63) == 0);
		CHECK((h & 63) == 0);
		CHECK(((unsigned long)b & ~255UL) == (((unsigned long)b + 99) & ~255UL));
		CHECK(b[0] == 0 && b[99] == 0);
		memset(b, 0xee, 100);
		dma_pool_free(pool, b, h);
	}
	dma_pool_destroy(pool);
	/* align 0 means 1 */
	pool = dma_pool_create("e0", dev, 3, 0, 0);
	CHECK(pool != NULL);
	b = dma_pool_alloc(pool, GFP_KERNEL, &h);
	CHECK(b != NULL);
	dma_pool_free(pool, b, h);
	dma_pool_destroy(pool);
}

/* ---- genalloc ---- */

static void test_genalloc_edges(void)
{
	struct gen_pool *pool = gen_pool_create(4, -1);
	unsigned long base = 0x100000, a, b2;
	struct genpool_data_align al = { .align = 256 };
	struct genpool_data_fixed fx = { .offset = 512 };

	CHECK(pool != NULL);
	CHECK_EQ(gen_pool_add_virt(pool, base, 0x9000000, 4096, -1), 0);
	CHECK_EQ(gen_pool_size(pool), 4096);
	CHECK_EQ(gen_pool_avail(pool), 4096);
	CHECK_EQ(gen_pool_alloc(pool, 0), 0);
	a = gen_pool_alloc(pool, 10);
	CHECK_EQ(a, base);
	CHECK_EQ(gen_pool_avail(pool), 4096 - 16);
	CHECK_EQ(gen_pool_virt_to_phys(pool, a + 5), 0x9000005);
	CHECK_EQ(gen_pool_virt_to_phys(pool, base + 4096), (phys_addr_t)-1);
	CHECK_EQ(gen_pool_virt_to_phys(pool, base - 1), (phys_addr_t)-1);
	CHECK(gen_pool_has_addr(pool, base, 4096));
	CHECK(!gen_pool_has_addr(pool, base, 4097));
	b2 = gen_pool_alloc_algo(pool, 16, gen_pool_first_fit_align, &al);
	CHECK_EQ(b2, base + 256);
	gen_pool_free(pool, b2, 16);
	b2 = gen_pool_alloc_algo(pool, 16, gen_pool_fixed_alloc, &fx);
	CHECK_EQ(b2, base + 512);
	CHECK_EQ(gen_pool_alloc_algo(pool, 16, gen_pool_fixed_alloc, &fx), 0);
	gen_pool_free(pool, b2, 16);
	CHECK_EQ(gen_pool_alloc(pool, 8192), 0);
	gen_pool_free(pool, a, 10);
	CHECK_EQ(gen_pool_avail(pool), 4096);
	gen_pool_destroy(pool);
}

/* ---- more kmalloc: classes, alignment, ksize, krealloc zeroing ---- */

static void test_kmalloc_classes(void)
{
	static const size_t sizes[] = { 1, 8, 9, 16, 24, 64, 65, 96, 97, 128, 129, 192, 193,
					256, 1000, 1024, 2048, 4096, 8192 };
	static const size_t want[] = { 8, 8, 16, 16, 32, 64, 96, 96, 128, 128, 192, 192, 256,
				       256, 1024, 1024, 2048, 4096, 8192 };
	struct kmem_cache *c;
	unsigned int i;
	void *p;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = kmalloc(sizes[i], GFP_KERNEL);
		CHECK_EQ(ksize(p), want[i]);
		/* power-of-two classes are naturally aligned */
		if (!(want[i] & (want[i] - 1)))
			CHECK_EQ((unsigned long)p & (want[i] - 1), 0);
		else
			CHECK_EQ((unsigned long)p & 7, 0);
		kfree(p);
	}
	p = kmalloc(9000, GFP_KERNEL);
	CHECK_EQ(ksize(p), 16384);
	CHECK_EQ((unsigned long)p & ~PAGE_MASK, 0);
	kfree(p);
	/* a cache object: the usable size is the stride */
	c = kmem_cache_create("edge_ksize", 100, 0, SLAB_NO_MERGE, NULL);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK_EQ(ksize(p), 104);
	/* kfree() takes any slab object */
	kfree(p);
	CHECK_EQ(kmem_cache_shrink(c), 0);
	kmem_cache_destroy(c);
	c = kmem_cache_create("edge_hwalign", 20, 0, SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE, NULL);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK_EQ((unsigned long)p & 31, 0);
	kmem_cache_free(c, p);
	kmem_cache_destroy(c);
	c = kmem_cache_create("edge_align", 20, 256, SLAB_NO_MERGE, NULL);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK_EQ((unsigned long)p & 255, 0);
	kmem_cache_free(c, p);
	kmem_cache_destroy(c);
}

static void test_krealloc_zero(void)
{
	char *p = kmalloc(20, GFP_KERNEL), *q;
	int i;

	memset(p, 'x', 32);
	/* shrinking with __GFP_ZERO clears the rest of the block */
	q = krealloc(p, 10, GFP_KERNEL | __GFP_ZERO);
	CHECK(q == p);
	CHECK(q[9] == 'x');
	for (i = 10; i < 32; i++)
		CHECK(q[i] == 0);
	memset(q + 10, 'y', 22);
	q = krealloc(q, 30, GFP_KERNEL | __GFP_ZERO);
	CHECK(q == p);
	CHECK(q[9] == 'x' && q[29] == 'y' && q[30] == 0 && q[31] == 0);
	/* growing out of the block: the new tail is zero */
	q = krealloc(q, 300, GFP_KERNEL | __GFP_ZERO);
	CHECK(q && q[9] == 'x');
	for (i = 32; i < 300; i++)
		if (q[i])
			break;
	CHECK_EQ(i, 300);
	kfree(q);
}

/* ---- pages: compound pages, references, page_frag ---- */

static void test_page_refs(void)
{
	struct page *pg = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	unsigned long before;
	struct page_frag_cache nc;
	char *f;

	CHECK(pg != NULL);
	CHECK(PageHead(pg) && PageTail(pg + 1) && PageCompound(pg + 3));
	CHECK(compound_head(pg + 3) == pg);
	CHECK_EQ(compound_order(pg), 2);
	CHECK_EQ(page_count(pg), 1);
	get_page(pg + 2);
	CHECK_EQ(page_count(pg), 2);
	put_page(pg + 1);
	CHECK_EQ(page_count(pg), 1);
	__free_pages(pg, 2);

	/* a non-compound block with a second reference: the tail pages go now */
	pg = alloc_pages(GFP_KERNEL, 2);
	CHECK(!PageCompound(pg));
	CHECK_EQ(page_count(pg), 1);
	CHECK_EQ(page_count(pg + 1), 0);
	get_page(pg);
	__free_pages(pg, 2);
	CHECK_EQ(page_count(pg), 1);
	put_page(pg);

	/* __get_free_pages drops __GFP_HIGHMEM */
	before = __get_free_pages(GFP_KERNEL | __GFP_HIGHMEM, 0);
	CHECK(before != 0);
	free_pages(before, 0);

	page_frag_cache_init(&nc);
	f = page_frag_alloc(&nc, 3, GFP_KERNEL);
	CHECK(f != NULL);
	f = page_frag_alloc_align(&nc, 100, GFP_KERNEL, 64);
	CHECK(f && ((unsigned long)f & 63) == 0);
	page_frag_free(f);
	f = page_frag_alloc_align(&nc, 100, GFP_KERNEL, 1024);
	CHECK(f && ((unsigned long)f & 1023) == 0);
	page_frag_free(f);
	CHECK(page_frag_alloc(&nc, 5 * PAGE_SIZE, GFP_KERNEL) != NULL ||
	      PAGE_FRAG_CACHE_MAX_SIZE < 5 * PAGE_SIZE);
	page_frag_cache_drain(&nc);
}

/* ---- vmalloc variants ---- */

static void test_vmalloc_variants(void)
{
	char *p;

	p = __vmalloc_node(5 * PAGE_SIZE, 16 * PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE,
			   __builtin_return_address(0));
	CHECK(p && ((unsigned long)p & (16 * PAGE_SIZE - 1)) == 0);
	vfree(p);
	p = vmalloc_user(100);
	CHECK(p && p[0] == 0 && p[PAGE_SIZE - 1] == 0);
	vfree(p);
	p = vmalloc_32(3 * PAGE_SIZE);
	CHECK(p != NULL);
	CHECK(page_to_pfn(vmalloc_to_page(p)) < (1UL << (32 - PAGE_SHIFT)));
	vfree(p);
	p = __vmalloc(PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	CHECK(p && p[100] == 0);
	vfree(p);
	p = vcalloc(3, 1000);
	CHECK(p && p[2999] == 0);
	vfree(p);
	p = kvmalloc_array(1000, 1000, GFP_KERNEL);
	CHECK(p != NULL);
	kvfree(p);
}

/* ---- genalloc algorithms ---- */

static void test_genalloc_algos(void)
{
	struct gen_pool *pool = gen_pool_create(3, -1);
	unsigned long base = 0x200000, a, b, c, d;

	/* chunks are searched newest first, as the kernel adds them at the head */
	gen_pool_add(pool, base + 0x10000, 256, -1);
	gen_pool_add(pool, base, 1024, -1);
	CHECK_EQ(gen_pool_size(pool), 1280);
	a = gen_pool_alloc(pool, 64);
	b = gen_pool_alloc(pool, 32);
	c = gen_pool_alloc(pool, 64);
	CHECK(a == base && b == base + 64 && c == base + 96);
	gen_pool_free(pool, b, 32);	/* a 32-byte hole at 64 */
	gen_pool_set_algo(pool, gen_pool_best_fit, NULL);
	d = gen_pool_alloc(pool, 24);	/* best fit: the hole */
	CHECK_EQ(d, base + 64);
	gen_pool_free(pool, d, 24);
	gen_pool_set_algo(pool, NULL, NULL);	/* back to first fit */
	d = gen_pool_alloc(pool, 40);
	CHECK_EQ(d, base + 160);
	gen_pool_free(pool, d, 40);
	/* order-aligned: a 64-byte block at a multiple of 64 */
	d = gen_pool_alloc_algo(pool, 64, gen_pool_first_fit_order_align, NULL);
	CHECK_EQ(d, base + 192);
	gen_pool_free(pool, d, 64);
	/* requests that fit no chunk */
	CHECK_EQ(gen_pool_alloc(pool, 1024), 0);
	d = gen_pool_alloc(pool, 1024 - 128);
	CHECK_EQ(d, 0);
	d = gen_pool_alloc(pool, 256);
	CHECK_EQ(d, base + 160);
	gen_pool_free(pool, d, 256);
	d = gen_pool_alloc(pool, 200);
	CHECK_EQ(d, base + 160);
	gen_pool_free(pool, d, 200);
	CHECK_EQ(gen_pool_avail(pool), 1280 - 128);
	gen_pool_free(pool, a, 64);
	gen_pool_free(pool, c, 64);
	CHECK_EQ(gen_pool_avail(pool), 1280);
	gen_pool_destroy(pool);
}

/* No KFENCE sampling: its objects have their own sizes and alignment. */
int main(void)
{
	if (!ktest_boot_quietly("mem=512M kfence.sample_interval=0"))
		return 1;
	KTEST_RUN(KTEST(test_kmalloc_zero), KTEST(test_kmalloc_overflow),
		  KTEST(test_kmalloc_too_big), KTEST(test_kmalloc_size_roundup),
		  KTEST(test_krealloc), KTEST(test_kstrdup_family), KTEST(test_kvmalloc),
		  KTEST(test_cache_basics), KTEST(test_cache_destroy_busy),
		  KTEST(test_vmalloc_edges), KTEST(test_vmap_edges), KTEST(test_mempool_edges),
		  KTEST(test_percpu_edges), KTEST(test_page_edges),
		  KTEST(test_dmapool_edges), KTEST(test_genalloc_edges),
		  KTEST(test_kmalloc_classes), KTEST(test_krealloc_zero), KTEST(test_page_refs),
		  KTEST(test_vmalloc_variants), KTEST(test_genalloc_algos));
}
