/* SPDX-License-Identifier: MIT */
/*
 * More edge cases of the kernel API, the areas test_api_edges.c leaves
 * out: the cache-creation forms and their failure text, vmalloc's gfp
 * check (v6.19), alloc_pages_exact() of nothing, the user-copy
 * duplicators' error pointers, the gfp scope helpers, folios, and the
 * zero-size answers of the kvmalloc family, kmem_cache_shrink()'s result,
 * mempools in caller storage and alloc_percpu_gfp().
 */
#include <limits.h>
#include <stdint.h>

#include <linux/gfp.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "ktest_boot.h"
#include "mm/internal.h"


/* ---- cache creation ---- */

struct edge2_obj {
	long a;
	char name[20];
	int b;
};

static int args_ctor_calls;

static void args_ctor(void *p)
{
	memset(p, 0x5a, sizeof(struct edge2_obj));
	args_ctor_calls++;
}

static void test_cache_forms(void)
{
	struct kmem_cache_args args = { .align = 64, .ctor = args_ctor };
	struct kmem_cache *c;
	struct edge2_obj *o;

	/* v6.12's argument-struct form: its alignment and constructor */
	c = kmem_cache_create("edge2_args", sizeof(struct edge2_obj), &args, SLAB_NO_MERGE);
	CHECK(c != NULL);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(o != NULL && ((unsigned long)o & 63) == 0);
	CHECK(args_ctor_calls > 0 && o->b == 0x5a5a5a5a);
	CHECK_EQ(kmem_cache_size(c), sizeof(struct edge2_obj));
	kmem_cache_free(c, o);
	kmem_cache_destroy(c);
	/* NULL arguments: the defaults */
	c = kmem_cache_create("edge2_null", 24, NULL, SLAB_NO_MERGE);
	CHECK(c != NULL);
	CHECK_EQ(kmem_cache_size(c), 24);
	kmem_cache_destroy(c);
	/* KMEM_CACHE: named after the struct, its size and alignment */
	c = KMEM_CACHE(edge2_obj, SLAB_NO_MERGE);
	CHECK(c != NULL);
	CHECK_EQ(kmem_cache_size(c), sizeof(struct edge2_obj));
	CHECK(!strcmp(kmem_cache_name(c), "edge2_obj"));
	kmem_cache_destroy(c);
	c = KMEM_CACHE_USERCOPY(edge2_obj, SLAB_NO_MERGE, name);
	CHECK(c != NULL);
	kmem_cache_destroy(c);
	/* SLAB_HWCACHE_ALIGN: the cache line halved while the object fits */
	c = kmem_cache_create("edge2_hw8", 8, 0, SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE, NULL);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK_EQ(ksize(o), 8);
	kmem_cache_free(c, o);
	kmem_cache_destroy(c);
	c = kmem_cache_create("edge2_hw20", 20, 0, SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE, NULL);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK_EQ(ksize(o), 32);
	kmem_cache_free(c, o);
	kmem_cache_destroy(c);
	c = kmem_cache_create("edge2_hw100", 100, 0, SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE, NULL);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK_EQ(ksize(o), 128);
	CHECK_EQ((unsigned long)o & 63, 0);
	kmem_cache_free(c, o);
	kmem_cache_destroy(c);
}

/* A failed creation: v6.12's text names __kmem_cache_create_args(). */
static void test_cache_create_fails(void)
{
	ukmem_dmesg_clear();
	CHECK(kmem_cache_create("edge2_bad", 64, 0, 0x1, NULL) == NULL);
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "__kmem_cache_create_args(edge2_bad) failed with error -22\n");
	ukmem_dmesg_clear();
	CHECK(kmem_cache_create("edge2_bad_args", 64, NULL, 0x1) == NULL);
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "__kmem_cache_create_args(edge2_bad_args) failed with error -22\n");
	/* a usercopy region past the object: dropped with a warning, the cache made */
	ukmem_dmesg_clear();
	{
		struct kmem_cache *c = kmem_cache_create_usercopy("edge2_uc", 32, 0, SLAB_NO_MERGE,
								  24, 16, NULL);

		CHECK(c != NULL);
		CHECK(ktest_warned());
		kmem_cache_destroy(c);
	}
}

/* ---- vmalloc's gfp check (v6.19) ---- */

static void test_vmalloc_gfp_fixup(void)
{
	char *p;

	ukmem_dmesg_clear();
	p = __vmalloc(3 * PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	CHECK(p != NULL);
	CHECK(!ktest_warned());
	vfree(p);
	p = __vmalloc(3 * PAGE_SIZE, GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
	CHECK(p != NULL);
	CHECK(!ktest_warned());
	vfree(p);
	/* a zone modifier is dropped, with the kernel's warning, and the area made */
	p = __vmalloc(3 * PAGE_SIZE, GFP_KERNEL | __GFP_DMA32 | __GFP_ZERO);
	CHECK(p != NULL && p[3 * PAGE_SIZE - 1] == 0);
	CHECK(ktest_warned());
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "Unexpected gfp: 0x4 (GFP_DMA32). Fixing up to gfp: 0xdc0 "
			   "(GFP_KERNEL|__GFP_ZERO). Fix your code!");
	vfree(p);
	/* once per boot */
	ukmem_dmesg_clear();
	p = vmalloc_huge(PAGE_SIZE, GFP_KERNEL | __GFP_COMP);
	CHECK(p != NULL);
	CHECK(!ktest_warned());
	vfree(p);
	/* the unfiltered entries pass the mask on */
	p = vmalloc_32(PAGE_SIZE);
	CHECK(p != NULL);
	CHECK(!ktest_warned());
	vfree(p);
}

/* ---- pages ---- */

static void test_alloc_pages_exact_zero(void)
{
	ukmem_dmesg_clear();
	/* get_order(0) is past MAX_PAGE_ORDER: the order check's NULL, silent with NOWARN */
	CHECK(alloc_pages_exact(0, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(!ktest_warned());
	CHECK(alloc_pages_exact(0, GFP_KERNEL) == NULL);
	CHECK(ktest_warned());
	free_pages_exact(NULL, 0);
}

/* ---- user memory duplicated: the error pointers ---- */

static void test_memdup_user_errors(void)
{
	static const char msg[] = "user string";
	const void __user *bad = (const void __user *)(uintptr_t)0x10;
	char *p;

	CHECK(memdup_user(bad, 8) == ERR_PTR(-EFAULT));
	CHECK(vmemdup_user(bad, 8) == ERR_PTR(-EFAULT));
	CHECK(memdup_user_nul(bad, 8) == ERR_PTR(-EFAULT));
	CHECK(strndup_user(bad, 8) == ERR_PTR(-EFAULT));
	/* too long for n: -EINVAL */
	CHECK(strndup_user((const char __user *)msg, 4) == ERR_PTR(-EINVAL));
	p = strndup_user((const char __user *)msg, sizeof(msg));
	CHECK(!IS_ERR(p) && !strcmp(p, msg));
	kfree(p);
	/* no memory: -ENOMEM without a warning (__GFP_NOWARN) */
	ukmem_dmesg_clear();
	CHECK(memdup_user(msg, (size_t)KMALLOC_MAX_SIZE + 1) == ERR_PTR(-ENOMEM));
	CHECK(!ktest_warned());
	CHECK(memdup_array_user(msg, SIZE_MAX / 2, 4) == ERR_PTR(-EOVERFLOW));
	CHECK(vmemdup_array_user(msg, SIZE_MAX / 2, 4) == ERR_PTR(-EOVERFLOW));
	/* length 0: kmalloc's ZERO_SIZE_PTR; the _nul form an empty string */
	CHECK(memdup_user(msg, 0) == ZERO_SIZE_PTR);
	p = memdup_user_nul(msg, 0);
	CHECK(!IS_ERR(p) && p != ZERO_SIZE_PTR && p[0] == '\0');
	kfree(p);
	p = memdup_user_nul(msg, 4);
	CHECK(!IS_ERR(p) && !strcmp(p, "user"));
	kfree(p);
	p = memdup_array_user(msg, 3, 2);
	CHECK(!IS_ERR(p) && !memcmp(p, "user s", 6));
	kfree(p);
}

/* ---- gfp helpers and scopes ---- */

static void test_gfp_scopes(void)
{
	unsigned int a, b;

	CHECK(gfpflags_allow_blocking(GFP_KERNEL));
	CHECK(gfpflags_allow_blocking(GFP_NOIO));
	CHECK(!gfpflags_allow_blocking(GFP_NOWAIT));
	CHECK(!gfpflags_allow_blocking(GFP_ATOMIC));
	CHECK(gfp_has_io_fs(GFP_KERNEL));
	CHECK(!gfp_has_io_fs(GFP_NOFS));
	CHECK(!gfp_has_io_fs(GFP_NOIO));
	CHECK_EQ(current_gfp_context(GFP_KERNEL), GFP_KERNEL);
	a = memalloc_nofs_save();
	CHECK_EQ(current_gfp_context(GFP_KERNEL), GFP_NOFS);
	b = memalloc_noio_save();
	CHECK_EQ(current_gfp_context(GFP_KERNEL), GFP_NOIO);
	memalloc_noio_restore(b);
	CHECK_EQ(current_gfp_context(GFP_KERNEL), GFP_NOFS);
	/* a nested save of a scope already on restores nothing */
	b = memalloc_nofs_save();
	CHECK_EQ(b, 0);
	memalloc_nofs_restore(b);
	CHECK_EQ(current_gfp_context(GFP_KERNEL), GFP_NOFS);
	memalloc_nofs_restore(a);
	CHECK_EQ(current_gfp_context(GFP_KERNEL), GFP_KERNEL);
	a = memalloc_flags_save(PF_MEMALLOC_NOIO);
	CHECK_EQ(a, PF_MEMALLOC_NOIO);
	CHECK_EQ(current_gfp_context(GFP_NOFS), GFP_NOIO);
	memalloc_flags_restore(a);
	CHECK_EQ(current_gfp_context(GFP_NOFS), GFP_NOFS);
}

/* The zonelist helpers, and compaction as a kernel built without it answers */
static void test_gfp_zonelist(void)
{
	struct zonelist *zl;

	CHECK_EQ(gfp_zonelist(GFP_KERNEL), ZONELIST_FALLBACK);
	CHECK_EQ(gfp_zonelist(GFP_KERNEL | __GFP_THISNODE), ZONELIST_NOFALLBACK);
	zl = node_zonelist(0, GFP_KERNEL);
	CHECK(zl == &NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK]);
	CHECK(zl->_zonerefs[0].zone != NULL);
	CHECK(node_zonelist(0, GFP_NOWAIT | __GFP_THISNODE) ==
	      &NODE_DATA(0)->node_zonelists[ZONELIST_NOFALLBACK]);
	CHECK(!gfp_compaction_allowed(GFP_KERNEL));
	CHECK(!gfp_compaction_allowed(GFP_NOIO));
}

/* memalloc_pin_save(): no movable pages inside, as current_gfp_context() makes it */
static void test_gfp_pin_scope(void)
{
	struct page *pg[4];
	unsigned int a;
	int i;

	/*
	 * Outside the scope a movable order-0 page is movable (its own route),
	 * and once freed it waits on this CPU's movable stack (or pcp list),
	 * where a pinned request must not find it.
	 */
	pg[0] = alloc_page(GFP_HIGHUSER_MOVABLE);
	pg[1] = alloc_pages_node(NUMA_NO_NODE, GFP_HIGHUSER_MOVABLE, 0);
	for (i = 0; i < 2; i++) {
		CHECK(pg[i] != NULL);
		CHECK_EQ(get_pageblock_migratetype(pg[i]), MIGRATE_MOVABLE);
	}
	__free_page(pg[0]);
	__free_page(pg[1]);
	CHECK_EQ(current_gfp_context(GFP_HIGHUSER_MOVABLE), GFP_HIGHUSER_MOVABLE);
	a = memalloc_pin_save();
	CHECK_EQ(a, PF_MEMALLOC_PIN);
	CHECK_EQ(current_gfp_context(GFP_HIGHUSER_MOVABLE), GFP_HIGHUSER);
	CHECK_EQ(current_gfp_context(GFP_NOFS | __GFP_MOVABLE), GFP_NOFS);
	pg[0] = alloc_page(GFP_HIGHUSER_MOVABLE);
	pg[1] = alloc_pages(GFP_HIGHUSER_MOVABLE, 2);
	pg[2] = alloc_pages_node(NUMA_NO_NODE, GFP_HIGHUSER_MOVABLE, 0);
	pg[3] = __alloc_pages(GFP_HIGHUSER_MOVABLE, 1, 0, NULL);
	memalloc_pin_restore(a);
	CHECK_EQ(current_gfp_context(GFP_HIGHUSER_MOVABLE), GFP_HIGHUSER_MOVABLE);
	for (i = 0; i < 4; i++) {
		CHECK(pg[i] != NULL);
		CHECK(page_zonenum(pg[i]) != ZONE_MOVABLE);
		CHECK(get_pageblock_migratetype(pg[i]) != MIGRATE_MOVABLE);
	}
	__free_page(pg[0]);
	__free_pages(pg[1], 2);
	__free_page(pg[2]);
	__free_pages(pg[3], 1);
}

/* ---- folios ---- */

static void test_folios(void)
{
	struct folio *f = folio_alloc(GFP_KERNEL, 2);

	CHECK(f != NULL);
	CHECK_EQ(folio_order(f), 2);
	CHECK_EQ(folio_nr_pages(f), 4);
	CHECK_EQ(folio_size(f), 4 * PAGE_SIZE);
	CHECK_EQ(folio_ref_count(f), 1);
	CHECK(PageHead(&f->page));
	CHECK(page_folio(&f->page + 3) == f);
	folio_get(f);
	CHECK_EQ(folio_ref_count(f), 2);
	folio_put(f);
	CHECK_EQ(folio_ref_count(f), 1);
	folio_put(f);
	f = folio_alloc(GFP_KERNEL, 0);
	CHECK(f != NULL);
	CHECK_EQ(folio_order(f), 0);
	CHECK_EQ(folio_size(f), PAGE_SIZE);
	folio_put(f);
}

/* ---- more kmalloc family, shrink, pools, percpu ---- */

static void test_misc_edges(void)
{
	struct kmem_cache *c;
	mempool_t pool;
	char *p, *q;
	int __percpu *pc;
	int cpu;

	CHECK(kvmalloc_array(0, 8, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(kvmemdup("abc", 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(kmemdup_array("abcd", 0, 4, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(krealloc(ZERO_SIZE_PTR, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	/* kvrealloc to 0: krealloc's ZERO_SIZE_PTR, or vrealloc's NULL */
	p = kvmalloc(64, GFP_KERNEL);
	CHECK(kvrealloc(p, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	p = vmalloc(64);
	CHECK(kvrealloc(p, 0, GFP_KERNEL) == NULL);

	/* kmem_cache_shrink: 1 while a slab stays, 0 when none is left */
	c = kmem_cache_create("edge2_shrink", 200, 0, SLAB_NO_MERGE, NULL);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK_EQ(kmem_cache_shrink(c), 1);
	kmem_cache_free(c, p);
	CHECK_EQ(kmem_cache_shrink(c), 0);
	/* mempools in caller storage */
	CHECK_EQ(mempool_init_slab_pool(&pool, 3, c), 0);
	CHECK(mempool_initialized(&pool));
	CHECK(mempool_is_saturated(&pool));
	p = mempool_alloc(&pool, GFP_KERNEL);
	CHECK(p != NULL);
	mempool_free(p, &pool);
	mempool_exit(&pool);
	CHECK(!mempool_initialized(&pool));
	mempool_exit(&pool);
	kmem_cache_destroy(c);
	CHECK_EQ(mempool_init_kmalloc_pool(&pool, 2, 300), 0);
	p = mempool_alloc(&pool, GFP_NOWAIT);
	CHECK(p && ksize(p) >= 300);
	mempool_free(p, &pool);
	mempool_exit(&pool);

	/* percpu: zeroed on every CPU */
	pc = alloc_percpu_gfp(int, GFP_KERNEL);
	CHECK(pc != NULL);
	for_each_possible_cpu(cpu)
		CHECK_EQ(*per_cpu_ptr(pc, cpu), 0);
	free_percpu(pc);

	/* vmalloc address tests */
	p = vzalloc_node(5000, NUMA_NO_NODE);
	CHECK(p && p[4999] == 0);
	CHECK(is_vmalloc_or_module_addr(p));
	q = kmalloc(8, GFP_KERNEL);
	CHECK(!is_vmalloc_or_module_addr(q));
	kfree(q);
	vfree(p);
}

/* ---- /proc/meminfo: v6.15's Balloon line after FilePmdMapped, v7.0's GPU lines, HugePages ---- */

static void test_meminfo_balloon(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(f != NULL);
	CHECK_EQ(ukmem_show("meminfo", f), 0);
	fclose(f);
	CHECK_STR_CONTAINS(buf, "FilePmdMapped:         0 kB\nBalloon:               0 kB\n"
				"GPUActive:             0 kB\nGPUReclaim:            0 kB\nHugePages_Total:");
	free(buf);
}

/* ---- alloc_pages_nolock(): zeroed compound pages, pcp orders only, no report ---- */

static void test_pages_nolock(void)
{
	struct page *pg;
	char *v;
	int i;

	pg = alloc_pages_nolock(0, NUMA_NO_NODE, 0);
	CHECK(pg != NULL);
	v = page_address(pg);
	memset(v, 0x6b, PAGE_SIZE);
	free_pages_nolock(pg, 0);
	pg = alloc_pages_nolock(__GFP_ACCOUNT, 0, 2);
	CHECK(pg != NULL);
	CHECK(PageHead(pg) && compound_order(pg) == 2);
	v = page_address(pg);
	for (i = 0; i < (int)(4 * PAGE_SIZE); i++)
		if (v[i])
			break;
	CHECK_EQ(i, 4 * PAGE_SIZE);
	free_pages_nolock(pg, 2);
	/* past the per-CPU list orders: NULL, and nothing said */
	ukmem_dmesg_clear();
	CHECK(alloc_pages_nolock(0, NUMA_NO_NODE, PAGE_ALLOC_COSTLY_ORDER + 1) == NULL ||
	      PAGE_ALLOC_COSTLY_ORDER + 1 == pageblock_order);
	CHECK(alloc_pages_nolock(0, NUMA_NO_NODE, MAX_PAGE_ORDER + 1) == NULL);
	CHECK(!ktest_warned());
}

int main(void)
{
	if (!ktest_boot_quietly("mem=512M kfence.sample_interval=0"))
		return 1;
	KTEST_RUN(KTEST(test_cache_forms), KTEST(test_cache_create_fails),
		  KTEST(test_vmalloc_gfp_fixup), KTEST(test_alloc_pages_exact_zero),
		  KTEST(test_memdup_user_errors), KTEST(test_gfp_scopes), KTEST(test_gfp_pin_scope),
		  KTEST(test_gfp_zonelist), KTEST(test_folios),
		  KTEST(test_misc_edges), KTEST(test_meminfo_balloon),
		  KTEST(test_pages_nolock));
}
