/* SPDX-License-Identifier: MIT */
/*
 * Slab cache API semantics (mem=8G, so all of DMA, DMA32 and Normal
 * exist): the creation forms of three eras, alloc/free/zalloc/node/bulk,
 * constructors (once per object, when a slab is made), flags with their
 * effects (alignment, zones, reclaimable accounting), merging, shrink,
 * destroy, and the boot parameters (in forked children that boot with
 * their own command line).
 */
#include "slab_test.h"
#include <stdint.h>

#include <linux/kfence.h>
#include <linux/mm.h>
#include <ukmem/fault.h>
#include <ukmem/slab_debug.h>
#include "mm/internal.h"
#include "mm/slab.h"

#define CMDLINE "mem=8G"

static struct zone *zone_of(const void *p)
{
	return page_zone(virt_to_page(p));
}

/* ---- creation forms ---- */

struct test_obj {
	long a;
	char b[40];
	double c;
};

static int ldd3_ctor_calls, ldd3_dtor_calls;
static unsigned long ldd3_ctor_flags;

static void ldd3_ctor(void *obj, kmem_cache_t *cache, unsigned long flags)
{
	ldd3_ctor_calls++;
	ldd3_ctor_flags |= flags;
	if ((flags & (SLAB_CTOR_VERIFY | SLAB_CTOR_CONSTRUCTOR)) == SLAB_CTOR_CONSTRUCTOR)
		memset(obj, 0x5c, 48);
}

static void ldd3_dtor(void *obj, kmem_cache_t *cache, unsigned long flags)
{
	ldd3_dtor_calls++;
}

static void test_create_forms(void)
{
	struct kmem_cache_args args = { .align = 256 };
	struct kmem_cache *c5, *ca, *cn, *ck, *cu, *cl;
	struct slabinfo_line l;
	unsigned char *o;
	int i;

	c5 = kmem_cache_create("tslab_five", 100, 0, SLAB_NO_MERGE, NULL);
	CHECK(c5 != NULL);
	CHECK_EQ(kmem_cache_size(c5), 100);
	CHECK(!strcmp(kmem_cache_name(c5), "tslab_five"));

	ca = kmem_cache_create("tslab_args", 200, &args, SLAB_NO_MERGE);
	CHECK(ca != NULL);
	for (i = 0; i < 20; i++) {
		o = kmem_cache_alloc(ca, GFP_KERNEL);
		CHECK(o && ((uintptr_t)o & 255) == 0);
		kmem_cache_free(ca, o);
	}
	CHECK(slabinfo_get("tslab_args", &l, NULL, 0));
	CHECK_EQ(l.objsize, 256);

	cn = kmem_cache_create("tslab_nullargs", 24, NULL, SLAB_NO_MERGE);
	CHECK(cn && kmem_cache_size(cn) == 24);

	ck = KMEM_CACHE(test_obj, SLAB_NO_MERGE);
	CHECK(ck && !strcmp(kmem_cache_name(ck), "test_obj"));
	CHECK_EQ(kmem_cache_size(ck), sizeof(struct test_obj));

	/* A usercopy region keeps a cache from being merged. */
	cu = kmem_cache_create_usercopy("tslab_usercopy", 100, 0, 0, 16, 32, NULL);
	CHECK(cu && cu != c5 && !strcmp(kmem_cache_name(cu), "tslab_usercopy"));

	/*
	 * A debug flag keeps a cache from merging, F (consistency checks)
	 * alone too, as in 7.2 (6.12's SLAB_NEVER_MERGE left F out).
	 */
	{
		struct kmem_cache *p1 = kmem_cache_create("tslab_mplain", 136, 0, 0, NULL);
		struct kmem_cache *pf = kmem_cache_create("tslab_mf", 136, 0, SLAB_CONSISTENCY_CHECKS,
							  NULL);
		struct kmem_cache *p2 = kmem_cache_create("tslab_mplain2", 136, 0, 0, NULL);

		CHECK(p1 && pf && p2);
		CHECK(pf != p1 && pf != p2);
		CHECK(p2 == p1);
		kmem_cache_destroy(p2);
		kmem_cache_destroy(pf);
		kmem_cache_destroy(p1);
	}

	/* LDD3: six arguments, old constructor with flags, destructor. */
	ldd3_ctor_calls = ldd3_dtor_calls = 0;
	cl = kmem_cache_create("tslab_ldd3", 48, 0,
			       SLAB_HWCACHE_ALIGN | SLAB_NO_REAP | SLAB_SKIP_KFENCE,	/* ctor count */
			       ldd3_ctor, ldd3_dtor);
	CHECK(cl != NULL);
	o = kmem_cache_alloc(cl, GFP_KERNEL);
	CHECK(o != NULL);
	if (o) {
		for (i = 0; i < 48; i++)
			if (o[i] != 0x5c)
				break;
		CHECK_EQ(i, 48);
	}
	CHECK(slabinfo_get("tslab_ldd3", &l, NULL, 0));
	CHECK_EQ(ldd3_ctor_calls, l.num_objs);
	CHECK_EQ(ldd3_ctor_flags, SLAB_CTOR_CONSTRUCTOR);
	kmem_cache_free(cl, o);
	kmem_cache_destroy(cl);
	/* The destructor ran on every object before the pages went back. */
	CHECK_EQ(ldd3_dtor_calls, ldd3_ctor_calls);

	kmem_cache_destroy(c5);
	kmem_cache_destroy(ca);
	kmem_cache_destroy(cn);
	kmem_cache_destroy(ck);
	kmem_cache_destroy(cu);
	CHECK(!slabinfo_get("tslab_five", &l, NULL, 0));
	kmem_cache_destroy(NULL);	/* nothing */
}

/* ---- objects ---- */

static void test_alloc_free(void)
{
	struct kmem_cache *c = kmem_cache_create("tslab_basic", 72, 0, SLAB_NO_MERGE, NULL);
	void *objs[1000];
	int i, j;

	CHECK(c != NULL);
	for (i = 0; i < 1000; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		CHECK(objs[i] != NULL);
		CHECK(((uintptr_t)objs[i] & 7) == 0);
		memset(objs[i], i & 0xff, 72);
	}
	for (i = 0; i < 1000; i++) {
		unsigned char *p = objs[i];

		for (j = 0; j < 72; j++)
			if (p[j] != (i & 0xff))
				break;
		CHECK_EQ(j, 72);	/* no two objects overlap */
	}
	for (i = 0; i < 1000; i++)
		kmem_cache_free(c, objs[i]);

	/* zalloc zeroes, even an object that held data. */
	for (i = 0; i < 200; i++) {
		unsigned char *p = kmem_cache_zalloc(c, GFP_KERNEL);

		for (j = 0; j < 72; j++)
			if (p[j])
				break;
		CHECK_EQ(j, 72);
		memset(p, 0xff, 72);
		kmem_cache_free(c, p);
	}
	objs[0] = kmem_cache_alloc_node(c, GFP_KERNEL, 0);
	objs[1] = kmem_cache_alloc_node(c, GFP_KERNEL, NUMA_NO_NODE);
	objs[2] = kmem_cache_alloc_lru(c, NULL, GFP_ATOMIC);
	CHECK(objs[0] && objs[1] && objs[2]);
	CHECK(page_to_nid(virt_to_page(objs[0])) == 0);
	for (i = 0; i < 3; i++)
		kmem_cache_free(c, objs[i]);
	kmem_cache_free(c, NULL);	/* nothing */
	kmem_cache_destroy(c);
}

static void test_bulk(void)
{
	struct kmem_cache *c = kmem_cache_create("tslab_bulk", 40, 0, SLAB_NO_MERGE, NULL);
	void *p[300], *k[50];
	int i, j, dup = 0;

	CHECK_EQ(kmem_cache_alloc_bulk(c, GFP_KERNEL, 300, p), 300);
	for (i = 0; i < 300; i++)
		for (j = i + 1; j < 300; j++)
			dup += p[i] == p[j];
	CHECK_EQ(dup, 0);
	k[0] = p[7];
	p[7] = NULL;			/* NULL entries are skipped */
	kmem_cache_free_bulk(c, 300, p);
	kmem_cache_free(c, k[0]);
	for (i = 0; i < 50; i++)
		k[i] = kmalloc((size_t)(i * 37 + 1), GFP_KERNEL);
	kfree_bulk(50, k);
	CHECK_EQ(kmem_cache_alloc_bulk(c, GFP_KERNEL, 0, p), 0);
	kmem_cache_shrink(c);
	{
		struct slabinfo_line l;

		CHECK(slabinfo_get("tslab_bulk", &l, NULL, 0));
		CHECK_EQ(l.active_objs, 0);
	}
	kmem_cache_destroy(c);
}

/* ---- constructors ---- */

static int ctor_calls;

static void counting_ctor(void *obj)
{
	ctor_calls++;
	*(unsigned long *)obj = 0xc0ffee;
	memset((char *)obj + 8, 0x11, 56);
}

static void test_ctor_once_per_object(void)
{
	struct kmem_cache *c;
	struct slabinfo_line l;
	void *objs[2000];
	int i, bad = 0;

	ctor_calls = 0;
	/* SLAB_SKIP_KFENCE: a sampled object gets the constructor too, outside any slab. */
	c = kmem_cache_create("tslab_ctor", 64, 0, SLAB_SKIP_KFENCE, counting_ctor);
	CHECK(c != NULL);
	CHECK_EQ(ctor_calls, 0);		/* nothing until a slab is made */
	objs[0] = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(slabinfo_get("tslab_ctor", &l, NULL, 0));
	/* Every object of the new slab(s), once, when they were made. */
	CHECK_EQ(ctor_calls, l.num_objs);
	CHECK(l.num_objs > 0 && l.num_objs % l.objperslab == 0);
	CHECK_EQ(*(unsigned long *)objs[0], 0xc0ffee);

	/* Allocating and freeing again never runs it. */
	for (i = 0; i < 10000; i++) {
		void *p = kmem_cache_alloc(c, GFP_KERNEL);

		bad += *(unsigned long *)p != 0xc0ffee;
		kmem_cache_free(c, p);
	}
	CHECK_EQ(bad, 0);
	CHECK(slabinfo_get("tslab_ctor", &l, NULL, 0));
	CHECK_EQ(ctor_calls, l.num_objs);

	/* Many slabs: still exactly once per object ever made. */
	for (i = 1; i < 2000; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		bad += *(unsigned long *)objs[i] != 0xc0ffee;
	}
	CHECK_EQ(bad, 0);
	CHECK(slabinfo_get("tslab_ctor", &l, NULL, 0));
	CHECK_EQ(ctor_calls, l.num_objs);
	CHECK(l.num_slabs > 1);
	for (i = 0; i < 2000; i++)
		kmem_cache_free(c, objs[i]);

	/* The free pointer lives after the object: constructed state survives. */
	CHECK(slabinfo_get("tslab_ctor", &l, NULL, 0));
	CHECK_EQ(l.objsize, 72);
	for (i = 0; i < 2000; i++) {
		unsigned char *p = kmem_cache_alloc(c, GFP_KERNEL);
		int j;

		for (j = 8; j < 64; j++)
			bad += p[j] != 0x11;
		objs[i] = p;
	}
	CHECK_EQ(bad, 0);
	for (i = 0; i < 2000; i++)
		kmem_cache_free(c, objs[i]);
	kmem_cache_destroy(c);
}

/*
 * kmem_cache_ctor_when_taken() (the malloc front end's caches): the
 * constructor runs on each object as it first leaves its slab, once, and
 * every object handed out has had it; a new slab is not constructed whole.
 */
static void tag_ctor(void *obj)
{
	ctor_calls++;
	*(unsigned long *)obj = 0xc0ffee;
}

static void test_ctor_when_taken(void)
{
	struct kmem_cache *c;
	struct slabinfo_line l;
	void *objs[1000];
	int i, bad = 0;
	int first;

	ctor_calls = 0;
	c = kmem_cache_create("tslab_lazy_ctor", 16, 0, SLAB_SKIP_KFENCE | SLAB_NO_MERGE,
			      tag_ctor);
	CHECK(c != NULL);
	if (!c)
		return;
	kmem_cache_ctor_when_taken(c);
	objs[0] = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(slabinfo_get("tslab_lazy_ctor", &l, NULL, 0));
	CHECK_EQ(*(unsigned long *)objs[0], 0xc0ffee);
	/*
	 * The objects taken into the per-CPU stack, not the whole slab (under
	 * ASan, which watches every byte, new slabs are set up whole).
	 */
	CHECK(l.objperslab > 128);
	CHECK(ctor_calls >= 1);
	if (!TEST_ASAN)
		CHECK(ctor_calls < l.num_objs);
	/* An object freed and taken again is not constructed again. */
	first = ctor_calls;
	for (i = 0; i < 10000; i++) {
		void *p = kmem_cache_alloc(c, GFP_KERNEL);

		bad += *(unsigned long *)p != 0xc0ffee;
		kmem_cache_free(c, p);
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(ctor_calls, first);
	/* Many slabs: every object handed out was constructed, at most once each. */
	for (i = 1; i < 1000; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		bad += *(unsigned long *)objs[i] != 0xc0ffee;
	}
	CHECK_EQ(bad, 0);
	CHECK(slabinfo_get("tslab_lazy_ctor", &l, NULL, 0));
	CHECK(ctor_calls >= 1000);
	CHECK(ctor_calls <= l.num_objs);
	for (i = 0; i < 1000; i++)
		kmem_cache_free(c, objs[i]);
	CHECK_EQ(ukmem_slab_validate(c), 0);
	kmem_cache_destroy(c);
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;

	return x < y ? -1 : x > y;
}

/*
 * A new slab is written only as far as it is used (fresh objects,
 * mm/slab.h): after a cache's first allocation, its slab's last object
 * still holds what the page held before.  The kernel links every object
 * at once, which writes a free pointer into each.  Then every object of
 * three slabs is handed out once, the chain is sound (validate) and the
 * cache goes away without a leak report.
 */
static void test_new_slab_untouched(void)
{
	cpu_set_t old, one;
	struct slab *slab = NULL;
	struct kmem_cache *c = NULL;
	unsigned char *last;
	int attempt, i, bad = 0;
	size_t pristine = 0;
	void *objs[768], *sorted[768];

	/* One CPU: the page freed below is the next one its per-CPU list hands out. */
	CHECK_EQ(sched_getaffinity(0, sizeof(old), &old), 0);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	CHECK_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
	for (attempt = 0; attempt < 8 && !slab; attempt++) {
		struct page *page = alloc_page(GFP_KERNEL);
		void *obj;

		CHECK(page != NULL);
		if (!page)
			break;
		memset(page_address(page), 0xa5, PAGE_SIZE);
		__free_page(page);
		c = kmem_cache_create("tslab_fresh", 16, 0, SLAB_SKIP_KFENCE | SLAB_NO_MERGE, NULL);
		CHECK(c != NULL);
		if (!c)
			break;
		obj = kmem_cache_alloc(c, GFP_KERNEL);
		if (obj && slab_address(virt_to_slab(obj)) == page_address(page)) {
			slab = virt_to_slab(obj);
			kmem_cache_free(c, obj);
			break;
		}
		kmem_cache_free(c, obj);
		kmem_cache_destroy(c);
		c = NULL;
	}
	sched_setaffinity(0, sizeof(old), &old);
	CHECK(slab != NULL);
	if (!slab)
		return;
	CHECK(slab->objects > 128);
	/* Under ASan new slabs are linked whole, and a free object may not be read. */
	if (!TEST_ASAN) {
		last = (unsigned char *)slab->s_mem + (size_t)(slab->objects - 1) * c->size;
		for (i = 0; i < (int)c->size; i++)
			pristine += last[i] == 0xa5;
		CHECK_EQ(pristine, (size_t)c->size);
	}

	for (i = 0; i < 768; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		CHECK(objs[i] != NULL);
		if (objs[i])
			memset(objs[i], 0x5a, 16);
	}
	/* 768 different objects (three slabs' worth, each handed out once). */
	memcpy(sorted, objs, sizeof(objs));
	qsort(sorted, 768, sizeof(void *), cmp_ptr);
	for (i = 1; i < 768; i++)
		bad += sorted[i] == sorted[i - 1];
	CHECK_EQ(bad, 0);
	CHECK_EQ(ukmem_slab_validate(c), 0);
	for (i = 0; i < 768; i++)
		kmem_cache_free(c, objs[i]);
	CHECK_EQ(ukmem_slab_validate(c), 0);
	ukmem_dmesg_clear();
	kmem_cache_destroy(c);
	CHECK(strstr(log_text(), "Objects remaining") == NULL);
}

static void test_ctor_with_gfp_zero(void)
{
	struct kmem_cache *c = kmem_cache_create("tslab_ctorzero", 64, 0, 0, counting_ctor);
	unsigned char *p;
	int i;

	ukmem_dmesg_clear();
	p = kmem_cache_zalloc(c, GFP_KERNEL);	/* a caller bug, warned at the new slab */
	/* KFENCE's timer may take it (zeroed too, no slab): the next one makes the slab. */
	for (i = 0; i < 8 && p && is_kfence_address(p); i++) {
		kmem_cache_free(c, p);
		p = kmem_cache_zalloc(c, GFP_KERNEL);
	}
	CHECK(p != NULL && !is_kfence_address(p));
	for (i = 0; i < 64; i++)
		if (p[i])
			break;
	CHECK_EQ(i, 64);			/* still zeroed */
	CHECK_STR_CONTAINS(log_text(), "WARNING: ");
	CHECK_STR_CONTAINS(log_text(), "allocate_slab");
	kmem_cache_free(c, p);
	kmem_cache_destroy(c);
}

/* ---- flags ---- */

static void test_flag_values(void)
{
	CHECK_EQ(SLAB_CONSISTENCY_CHECKS, 0x100);
	CHECK_EQ(SLAB_RED_ZONE, 0x400);
	CHECK_EQ(SLAB_POISON, 0x800);
	CHECK_EQ(SLAB_HWCACHE_ALIGN, 0x2000);
	CHECK_EQ(SLAB_CACHE_DMA, 0x4000);
	CHECK_EQ(SLAB_CACHE_DMA32, 0x8000);
	CHECK_EQ(SLAB_STORE_USER, 0x10000);
	CHECK_EQ(SLAB_RECLAIM_ACCOUNT, 0x20000);
	CHECK_EQ(SLAB_PANIC, 0x40000);
	CHECK_EQ(SLAB_TYPESAFE_BY_RCU, 0x80000);
	CHECK_EQ(SLAB_TRACE, 0x200000);
	CHECK_EQ(SLAB_NO_MERGE, 0x01000000);
	CHECK_EQ(SLAB_ACCOUNT, 0x04000000);
	CHECK_EQ(SLAB_NO_REAP, 0);
	CHECK_EQ(SLAB_CTOR_CONSTRUCTOR, 1);
	CHECK_EQ(SLAB_CTOR_ATOMIC, 2);
	CHECK_EQ(SLAB_TEMPORARY, SLAB_RECLAIM_ACCOUNT);
	CHECK_EQ(SLAB_DESTROY_BY_RCU, SLAB_TYPESAFE_BY_RCU);
	CHECK_EQ(KMALLOC_MAX_SIZE, 4UL << 20);
	CHECK_EQ(KMALLOC_MAX_CACHE_SIZE, 8192);
	CHECK_EQ((unsigned long)ZERO_SIZE_PTR, 16);
}

/* Debugging flags are accepted (the debugging issue gives them effect). */
static void test_debug_flags_accepted(void)
{
	slab_flags_t f[] = { SLAB_POISON, SLAB_RED_ZONE, SLAB_STORE_USER,
			     SLAB_CONSISTENCY_CHECKS, SLAB_TRACE, SLAB_ACCOUNT,
			     SLAB_MEM_SPREAD | SLAB_NOLEAKTRACE };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		struct kmem_cache *c = kmem_cache_create("tslab_dbg", 56, 0, f[i], NULL);
		void *p;

		CHECK(c != NULL);
		if (!c)
			continue;
		p = kmem_cache_alloc(c, GFP_KERNEL);
		CHECK(p != NULL);
		memset(p, 1, 56);
		kmem_cache_free(c, p);
		kmem_cache_destroy(c);
	}
}

static void test_hwcache_align(void)
{
	struct kmem_cache *big = kmem_cache_create("tslab_hw100", 100, 0,
						   SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE, NULL);
	struct kmem_cache *small = kmem_cache_create("tslab_hw20", 20, 0,
						     SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE, NULL);
	struct slabinfo_line l;
	int i;

	for (i = 0; i < 50; i++) {
		void *a = kmem_cache_alloc(big, GFP_KERNEL), *b = kmem_cache_alloc(small, GFP_KERNEL);

		CHECK(((uintptr_t)a & 63) == 0);
		CHECK(((uintptr_t)b & 31) == 0);	/* halved: 20 fits twice in 64 */
		kmem_cache_free(big, a);
		kmem_cache_free(small, b);
	}
	CHECK(slabinfo_get("tslab_hw100", &l, NULL, 0));
	CHECK_EQ(l.objsize, 128);
	CHECK(slabinfo_get("tslab_hw20", &l, NULL, 0));
	CHECK_EQ(l.objsize, 32);
	kmem_cache_destroy(big);
	kmem_cache_destroy(small);
}

static void test_dma_zones(void)
{
	struct kmem_cache *dma = kmem_cache_create("tslab_dma", 128, 0, SLAB_CACHE_DMA, NULL);
	struct kmem_cache *dma32 = kmem_cache_create("tslab_dma32", 128, 0, SLAB_CACHE_DMA32, NULL);
	struct kmem_cache *normal = kmem_cache_create("tslab_normal", 128, 0, SLAB_NO_MERGE, NULL);
	void *a[300], *b[300], *c[300];
	int i;

	CHECK(dma && dma32 && normal && dma != dma32);
	for (i = 0; i < 300; i++) {
		a[i] = kmem_cache_alloc(dma, GFP_KERNEL);
		b[i] = kmem_cache_alloc(dma32, GFP_KERNEL);
		c[i] = kmem_cache_alloc(normal, GFP_KERNEL);
		CHECK_EQ(zone_idx(zone_of(a[i])), ZONE_DMA);
		CHECK(__pa(a[i]) < (16UL << 20));
		CHECK(zone_idx(zone_of(b[i])) <= ZONE_DMA32);
		CHECK(__pa(b[i]) < (4UL << 30));
	}
	/* With 8 GiB, ordinary slabs come from the highest zone. */
	CHECK_EQ(zone_idx(zone_of(c[0])), ZONE_NORMAL);
	for (i = 0; i < 300; i++) {
		kmem_cache_free(dma, a[i]);
		kmem_cache_free(dma32, b[i]);
		kmem_cache_free(normal, c[i]);
	}
	kmem_cache_destroy(dma);
	kmem_cache_destroy(dma32);
	kmem_cache_destroy(normal);
}

static void test_reclaim_account(void)
{
	long recl0 = meminfo_kb("SReclaimable"), unrecl0 = meminfo_kb("SUnreclaim");
	/* No KFENCE object: its page is in the pool, not in a reclaimable pageblock. */
	struct kmem_cache *c = kmem_cache_create("tslab_recl", 512, 0,
						 SLAB_RECLAIM_ACCOUNT | SLAB_NO_MERGE |
						 SLAB_SKIP_KFENCE, NULL);
	struct slabinfo_line l;
	void *p[400];
	int i;

	for (i = 0; i < 400; i++)
		p[i] = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(slabinfo_get("tslab_recl", &l, NULL, 0));
	/* Exactly the cache's slab pages, counted as reclaimable. */
	CHECK_EQ(meminfo_kb("SReclaimable") - recl0, (long)(l.num_slabs * l.pagesperslab * 4));
	CHECK_EQ(meminfo_kb("SUnreclaim"), unrecl0);
	CHECK_EQ(meminfo_kb("Slab"), meminfo_kb("SReclaimable") + meminfo_kb("SUnreclaim"));
	CHECK_EQ(get_pageblock_migratetype(virt_to_page(p[0])), MIGRATE_RECLAIMABLE);
	for (i = 0; i < 400; i++)
		kmem_cache_free(c, p[i]);
	kmem_cache_destroy(c);
	CHECK_EQ(meminfo_kb("SReclaimable"), recl0);
}

/* ---- merging ---- */

static void nop_ctor(void *p)
{
}

/*
 * SLAB_NO_SHEAVES (v7.0): no per-CPU stacks, so a freed object is back in
 * its slab at once (slabinfo counts it free), where a cache with stacks
 * keeps it on the CPU's stack (counted active); and it merges only with
 * caches that have the flag too.
 */
static void test_no_sheaves(void)
{
	struct kmem_cache *plain = kmem_cache_create("tslab_sheaves", 96, 0,
						     SLAB_SKIP_KFENCE | SLAB_NO_MERGE, NULL);
	struct kmem_cache *bare = kmem_cache_create("tslab_nosheaves", 96, 0,
						    SLAB_SKIP_KFENCE | SLAB_NO_SHEAVES, NULL);
	struct kmem_cache *twin = kmem_cache_create("tslab_nosheaves2", 96, 0,
						    SLAB_SKIP_KFENCE | SLAB_NO_SHEAVES, NULL);
	struct slabinfo_line l;
	void *p, *q;

	CHECK(plain && bare);
	if (!plain || !bare)
		return;
	CHECK(bare != plain);
	CHECK(twin == bare);
	CHECK_EQ(bare->sheaf_capacity, 0U);
	p = kmem_cache_alloc(plain, GFP_KERNEL);
	q = kmem_cache_alloc(bare, GFP_KERNEL);
	CHECK(p && q);
	kmem_cache_free(plain, p);
	kmem_cache_free(bare, q);
	CHECK(slabinfo_get("tslab_sheaves", &l, NULL, 0));
	CHECK(l.active_objs > 0);
	CHECK(slabinfo_get("tslab_nosheaves", &l, NULL, 0));
	CHECK_EQ(l.active_objs, 0UL);
	kmem_cache_destroy(twin);
	kmem_cache_destroy(bare);
	kmem_cache_destroy(plain);
}

static void test_merging(void)
{
	struct kmem_cache *a, *b, *c, *nm, *ct, *rc, *k64;
	struct slabinfo_line l;
	void *p;

	a = kmem_cache_create("tslab_m1", 200, 0, 0, NULL);
	b = kmem_cache_create("tslab_m2", 200, 0, 0, NULL);
	c = kmem_cache_create("tslab_m3", 195, 0, 0, NULL);	/* rounds to the same 200 */
	CHECK(a != NULL);
	CHECK(b == a);
	CHECK(c == a);
	CHECK(!strcmp(kmem_cache_name(b), "tslab_m1"));
	CHECK(!slabinfo_get("tslab_m2", &l, NULL, 0));	/* one line, the first name */
	nm = kmem_cache_create("tslab_m4", 200, 0, SLAB_NO_MERGE, NULL);
	ct = kmem_cache_create("tslab_m5", 200, 0, 0, nop_ctor);
	rc = kmem_cache_create("tslab_m6", 200, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	CHECK(nm != a && ct != a && rc != a);
	CHECK(nm != ct && ct != rc && nm != rc);
	/*
	 * kmalloc caches whitelist their whole object for usercopy (as with
	 * CONFIG_HARDENED_USERCOPY), so they never take in another cache.
	 */
	k64 = kmem_cache_create("tslab_k64", 64, 0, 0, NULL);
	CHECK(k64 != kmalloc_caches[KMALLOC_NORMAL][6]);
	CHECK(!strcmp(kmem_cache_name(k64), "tslab_k64"));
	CHECK(kmem_cache_create("tslab_k64b", 64, 0, 0, NULL) == k64);
	kmem_cache_destroy(k64);
	kmem_cache_destroy(k64);
	p = kmalloc(64, GFP_KERNEL);
	CHECK(p != NULL);
	kfree(p);

	/* Destroying aliases drops references; the last one destroys. */
	kmem_cache_destroy(b);
	kmem_cache_destroy(c);
	p = kmem_cache_alloc(a, GFP_KERNEL);
	CHECK(p != NULL);
	kmem_cache_free(a, p);
	CHECK(slabinfo_get("tslab_m1", &l, NULL, 0));
	kmem_cache_destroy(a);
	CHECK(!slabinfo_get("tslab_m1", &l, NULL, 0));
	kmem_cache_destroy(nm);
	kmem_cache_destroy(ct);
	kmem_cache_destroy(rc);
}

/* ---- shrink ---- */

static void test_shrink_returns_pages(void)
{
	/* SLAB_SKIP_KFENCE: the held object must be a slab's (as slub_kunit's caches do). */
	struct kmem_cache *c = kmem_cache_create("tslab_shrink", 256, 0,
						 SLAB_NO_MERGE | SLAB_SKIP_KFENCE, NULL);
	long slab0 = meminfo_kb("Slab"), slab1, slab2;
	struct slabinfo_line l;
	static void *p[20000];
	int i;

	for (i = 0; i < 20000; i++)
		p[i] = kmem_cache_alloc(c, GFP_KERNEL);
	slab1 = meminfo_kb("Slab");
	CHECK(slab1 - slab0 >= 20000 * 256 / 1024);
	for (i = 0; i < 20000; i++)
		kmem_cache_free(c, p[i]);
	/* Freeing alone keeps at most min_partial empty slabs and the per-CPU caches. */
	slab2 = meminfo_kb("Slab");
	CHECK(slab2 < slab1);
	CHECK_EQ(kmem_cache_shrink(c), 0);	/* 0: every slab released */
	CHECK(slabinfo_get("tslab_shrink", &l, NULL, 0));
	CHECK_EQ(l.num_slabs, 0);
	CHECK_EQ(l.num_objs, 0);
	CHECK(meminfo_kb("Slab") <= slab0);

	/* With an object still held, slabs remain: nonzero. */
	p[0] = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(kmem_cache_shrink(c) != 0);
	kmem_cache_free(c, p[0]);
	CHECK_EQ(kmem_cache_shrink(c), 0);
	kmem_cache_destroy(c);
	kmem_cache_shrink_all();
}

/*
 * min_partial as its sysfs file sets it: a debug cache (no per-CPU stacks,
 * so frees reach the slabs at once) gives an emptied slab back when its
 * node already lists min_partial slabs, counting that one (__slab_free's
 * test): min_partial - 1 empty slabs stay.
 */
static void test_min_partial_store(void)
{
	struct kmem_cache *c = kmem_cache_create("tslab_minpart", 512,
						 0, SLAB_CONSISTENCY_CHECKS, NULL);
	struct slabinfo_line l;
	static void *p[8 * 64];
	unsigned int per_slab;
	int i, n;

	CHECK(c != NULL);
	CHECK_EQ(c->min_partial, 5);		/* ilog2(512) / 2, at least 5 */
	per_slab = oo_objects(c->oo);
	n = (int)per_slab * 8;
	for (i = 0; i < n; i++)
		p[i] = kmem_cache_alloc(c, GFP_KERNEL);
	for (i = 0; i < n; i++)
		kmem_cache_free(c, p[i]);
	CHECK(slabinfo_get("tslab_minpart", &l, NULL, 0));
	CHECK_EQ(l.num_slabs, 4);

	kmem_cache_store_min_partial(c, 1);
	for (i = 0; i < n; i++)
		p[i] = kmem_cache_alloc(c, GFP_KERNEL);
	for (i = 0; i < n; i++)
		kmem_cache_free(c, p[i]);
	CHECK(slabinfo_get("tslab_minpart", &l, NULL, 0));
	CHECK_EQ(l.num_slabs, 0);
	kmem_cache_destroy(c);
}

/* ---- fault injection (failslab) ---- */

static void test_failslab(void)
{
	struct kmem_cache *c = kmem_cache_create("tslab_fail", 64, 0, SLAB_NO_MERGE, NULL);
	struct kmem_cache *f = kmem_cache_create("tslab_failsel", 64, 0,
						 SLAB_NO_MERGE | SLAB_FAILSLAB, NULL);
	void *p;
	int i, failed = 0;

	p = kmem_cache_alloc(c, GFP_KERNEL);	/* warm: objects on this CPU's stack */
	kmem_cache_free(c, p);
	ukmem_dmesg_clear();
	ukmem_fault_set("failslab", "ignore-gfp-wait", 0);
	ukmem_fault_set("failslab", "times", 3);
	ukmem_fault_set("failslab", "verbose", 1);
	ukmem_fault_set("failslab", "probability", 100);
	/* Even with objects at hand, the fast path asks failslab first. */
	for (i = 0; i < 5; i++) {
		p = (i & 1) ? kmalloc(64, GFP_KERNEL) : kmem_cache_alloc(c, GFP_KERNEL);
		if (!p) {
			failed++;
			continue;
		}
		if (i & 1)
			kfree(p);
		else
			kmem_cache_free(c, p);
	}
	CHECK_EQ(failed, 3);
	CHECK_EQ(count_substr(log_text(), "FAULT_INJECTION: forcing a failure."), 3);
	/* cache-filter: only caches marked SLAB_FAILSLAB. */
	ukmem_fault_set("failslab", "times", -1);
	ukmem_fault_set("failslab", "cache-filter", 1);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(p != NULL);
	kmem_cache_free(c, p);
	CHECK(kmem_cache_alloc(f, GFP_KERNEL | __GFP_NOWARN) == NULL);
	/* __GFP_NOFAIL is exempt. */
	p = kmem_cache_alloc(f, GFP_KERNEL | __GFP_NOFAIL);
	CHECK(p != NULL);
	kmem_cache_free(f, p);
	ukmem_fault_set("failslab", "probability", 0);
	ukmem_fault_set("failslab", "cache-filter", 0);
	ukmem_fault_set("failslab", "ignore-gfp-wait", 1);
	p = kmem_cache_alloc(f, GFP_KERNEL);
	CHECK(p != NULL);
	kmem_cache_free(f, p);
	kmem_cache_destroy(c);
	kmem_cache_destroy(f);
}

/* ---- boot parameters, each in a child that boots with them ---- */

static void child_min_order(void)
{
	struct kmem_cache *c;
	struct slabinfo_line l;
	void *p;

	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=256M slub_min_order=2 slub_max_order=4 slub_min_objects=8"), 0);
	c = kmem_cache_create("tslab_order", 64, 0, SLAB_NO_MERGE, NULL);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(slabinfo_get("tslab_order", &l, NULL, 0));
	CHECK_EQ(l.pagesperslab, 4);
	CHECK_EQ(l.objperslab, 256);
	CHECK(slabinfo_get("kmalloc-8k", &l, NULL, 0));
	CHECK_EQ(l.pagesperslab, 16);	/* 8 objects of 8 KiB, within max order 4 */
	kmem_cache_free(c, p);
}

static void child_max_order(void)
{
	struct slabinfo_line l;

	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=256M slab_max_order=0"), 0);
	CHECK(slabinfo_get("kmalloc-1k", &l, NULL, 0));
	CHECK_EQ(l.pagesperslab, 1);
	CHECK_EQ(l.objperslab, 4);
	CHECK(slabinfo_get("kmalloc-8k", &l, NULL, 0));
	CHECK_EQ(l.pagesperslab, 2);	/* one object: get_order(8192) */
	CHECK(slabinfo_get("kmalloc-64", &l, NULL, 0));
	CHECK_EQ(l.pagesperslab, 1);
}

static void child_nomerge(void)
{
	struct kmem_cache *a, *b;

	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=256M slab_nomerge"), 0);
	a = kmem_cache_create("tslab_nm1", 200, 0, 0, NULL);
	b = kmem_cache_create("tslab_nm2", 200, 0, 0, NULL);
	CHECK(a && b && a != b);
}

static void child_merge_default(void)
{
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=256M slub_nomerge slub_merge"), 0);
	CHECK(kmem_cache_create("tslab_me1", 200, 0, 0, NULL) ==
	      kmem_cache_create("tslab_me2", 200, 0, 0, NULL));
}

static void run_child(const char *name, void (*fn)(void))
{
	static char out[1 << 16];
	int status = run_in_child(fn, out, sizeof(out));

	ktest_current = name;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		ktest_failures++;
		fprintf(stderr, "%s: child failed (status %#x):\n%s\n", name, status, out);
	}
}

int main(void)
{
	/* The boot parameters first, in children, before this process boots. */
	run_child("child_min_order", child_min_order);
	run_child("child_max_order", child_max_order);
	run_child("child_nomerge", child_nomerge);
	run_child("child_merge_default", child_merge_default);

	ukmem_set_console(fopen("/dev/null", "w"));
	if (ukmem_boot(CMDLINE)) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_flag_values), KTEST(test_create_forms),
		  KTEST(test_alloc_free), KTEST(test_bulk), KTEST(test_ctor_once_per_object),
		  KTEST(test_ctor_when_taken), KTEST(test_new_slab_untouched),
		  KTEST(test_ctor_with_gfp_zero), KTEST(test_debug_flags_accepted),
		  KTEST(test_hwcache_align), KTEST(test_dma_zones), KTEST(test_reclaim_account),
		  KTEST(test_merging), KTEST(test_no_sheaves), KTEST(test_shrink_returns_pages), KTEST(test_min_partial_store),
		  KTEST(test_failslab));
}
