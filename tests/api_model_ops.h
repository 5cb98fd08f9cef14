/* SPDX-License-Identifier: MIT */
/*
 * tests/api_model_ops.h - stress_api_model.c's operations on pages,
 * kmalloc and slab caches (the page runs, kmalloc and its forms,
 * krealloc/kvmalloc, caches with bulk calls and prefilled sheaves).  The
 * vmalloc, pool, per-CPU and other operations and the driver are in the
 * .c file; the model itself in api_model.h.
 */
#ifndef _UKMEM_API_MODEL_OPS_H
#define _UKMEM_API_MODEL_OPS_H

#include "api_model.h"

static gfp_t rnd_base_gfp(struct model *m)
{
	switch (rndn(m, 6)) {
	case 0: return GFP_ATOMIC;
	case 1: return GFP_NOWAIT;
	case 2: return GFP_USER;
	default: return GFP_KERNEL;
	}
}

static void op_pages(struct model *m)
{
	static const unsigned int orders[] = { 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 9, 10 };
	unsigned int order = m->pressure && chance(m, 50) ? 5 + rndn(m, 6) :
			     orders[rndn(m, ARRAY_SIZE(orders))];
	gfp_t gfp = rnd_base_gfp(m);
	struct page *pg;
	struct obj *o;
	bool bad_order = chance(m, 2);

	switch (rndn(m, 8)) {
	case 0: gfp |= GFP_DMA; break;
	case 1: gfp |= GFP_DMA32; break;
	case 2: case 3: gfp |= __GFP_HIGHMEM; break;
	}
	if (chance(m, 30))
		gfp |= __GFP_ZERO;
	if (chance(m, 40))
		gfp |= __GFP_COMP;
	if (chance(m, 60) || order >= 9)
		gfp |= __GFP_NOWARN;
	if (bad_order) {
		TRACE(m, "alloc_pages(%#x, %d) (too large)", gfp | __GFP_NOWARN, MAX_PAGE_ORDER + 1);
		pg = alloc_pages(gfp | __GFP_NOWARN, MAX_PAGE_ORDER + 1);
		MCHECK(m, !pg, "order MAX_PAGE_ORDER + 1 succeeded");
		return;
	}
	if (over_cap(m, PAGE_SIZE << order))
		return;
	TRACE(m, "alloc_pages(%#x, %u)", gfp, order);
	pg = alloc_pages(gfp, order);
	if (!pg) {
		m->fails++;
		return;
	}
	check_page_block(m, pg, order, gfp, gfp & __GFP_COMP);
	o = obj_add(m, K_PAGES);
	o->page = pg;
	o->order = order;
	o->comp = gfp & __GFP_COMP;
	o->ptr = PageHighMem(pg) ? NULL : page_address(pg);
	TRACE(m, "  = pfn %#lx", page_to_pfn(pg));
	obj_new(m, o, (gfp & __GFP_ZERO) || layout_init_alloc, "alloc_pages");
}

static void op_exact(struct model *m)
{
	size_t size = (1 + rndn(m, 40)) * PAGE_SIZE - (chance(m, 50) ? rndn(m, PAGE_SIZE) : 0);
	gfp_t gfp = (chance(m, 70) ? GFP_KERNEL : GFP_ATOMIC) | __GFP_NOWARN;
	struct obj *o;
	void *p;
	size_t i;

	if (chance(m, 30))
		gfp |= __GFP_ZERO;
	if (chance(m, 15))
		gfp |= GFP_DMA32;
	if (over_cap(m, size))
		return;
	TRACE(m, "alloc_pages_exact(%zu, %#x)", size, gfp);
	p = alloc_pages_exact(size, gfp);
	if (!p) {
		m->fails++;
		return;
	}
	MCHECK(m, PAGE_ALIGNED(p), "alloc_pages_exact %p unaligned", p);
	for (i = 0; i < DIV_ROUND_UP(size, PAGE_SIZE); i++) {
		struct page *pg = virt_to_page((char *)p + i * PAGE_SIZE);

		MCHECK(m, page_ref_count(pg) == 1, "exact page %zu refcount %d", i, page_ref_count(pg));
		MCHECK(m, page_address(pg) == (char *)p + i * PAGE_SIZE, "exact page address");
	}
	o = obj_add(m, K_EXACT);
	o->ptr = p;
	o->size = size;
	TRACE(m, "  = %p", p);
	obj_new(m, o, (gfp & __GFP_ZERO) || layout_init_alloc, "alloc_pages_exact");
}

static void op_contig(struct model *m)
{
	unsigned long nr = chance(m, 50) ? 1 + rndn(m, 16) : 1 + rndn(m, 1024);
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	int nid = layout_numa && chance(m, 50) ? (int)rndn(m, nr_online_nodes) : 0;
	struct page *pg;
	struct obj *o;

	if (chance(m, 30))
		gfp |= __GFP_ZERO;
	if (chance(m, 30)) {
		gfp |= __GFP_COMP;
		nr = roundup_pow_of_two(nr);
	}
	if (chance(m, 3)) {
		/* GFP_ATOMIC is refused. */
		TRACE(m, "alloc_contig_pages(%lu, GFP_ATOMIC)", nr);
		pg = alloc_contig_pages(nr, GFP_ATOMIC | __GFP_NOWARN, nid, NULL);
		MCHECK(m, !pg, "alloc_contig_pages with GFP_ATOMIC succeeded");
		if (pg)
			free_contig_range(page_to_pfn(pg), nr);
		return;
	}
	if (over_cap(m, nr * PAGE_SIZE))
		return;
	/* v7.0+: compound runs come only frozen (no reference). */
	TRACE(m, "alloc_contig_%spages(%lu, %#x, %d)", gfp & __GFP_COMP ? "frozen_" : "", nr, gfp,
	      nid);
	pg = gfp & __GFP_COMP ? alloc_contig_frozen_pages(nr, gfp, nid, NULL) :
				alloc_contig_pages(nr, gfp, nid, NULL);
	if (!pg) {
		m->fails++;
		return;
	}
	if (gfp & __GFP_COMP) {
		MCHECK(m, folio_order(page_folio(pg)) == ilog2(nr), "contig folio order %u != %u",
		       folio_order(page_folio(pg)), ilog2(nr));
		MCHECK(m, page_ref_count(pg) == 0, "frozen contig refcount");
	} else {
		MCHECK(m, page_ref_count(pg) == 1 && page_ref_count(pg + nr - 1) == 1,
		       "contig pages refcount");
	}
	o = obj_add(m, K_CONTIG);
	o->page = pg;
	o->npages = nr;
	o->comp = gfp & __GFP_COMP;
	o->ptr = PageHighMem(pg) ? NULL : page_address(pg);
	TRACE(m, "  = pfn %#lx", page_to_pfn(pg));
	obj_new(m, o, (gfp & __GFP_ZERO) || layout_init_alloc, "alloc_contig_pages");
}

static void op_split(struct model *m)
{
	int i, idx = -1, tries;
	struct obj *o;
	unsigned int order, k;
	struct page *pg;
	u64 seed;

	for (tries = 0; tries < 8 && m->n; tries++) {
		i = rndn(m, m->n);
		if (m->o[i].kind == K_PAGES && !m->o[i].comp && m->o[i].order &&
		    m->o[i].order <= 6) {
			idx = i;
			break;
		}
	}
	if (idx < 0 || m->n + 64 >= MAX_OBJS)
		return;
	o = &m->o[idx];
	obj_verify(m, o, "before split_page");
	pg = o->page;
	order = o->order;
	seed = o->seed;
	TRACE(m, "split_page(pfn %#lx, %u)", page_to_pfn(pg), order);
	split_page(pg, order);
	m->live_bytes -= PAGE_SIZE << order;
	m->o[idx] = m->o[--m->n];
	for (k = 0; k < (1U << order); k++) {
		struct obj *n = obj_add(m, K_PAGES);
		size_t r;

		MCHECK(m, page_ref_count(pg + k) == 1, "split page %u refcount %d", k,
		       page_ref_count(pg + k));
		n->page = pg + k;
		n->ptr = PageHighMem(pg + k) ? NULL : page_address(pg + k);
		/* Its bytes are those of the block: the pattern at offset k pages. */
		{
			void *a = map_page(pg + k);

			r = verify(a, PAGE_SIZE, seed, (size_t)k * PAGE_SIZE);
			unmap_page(pg + k, a);
		}
		MCHECK(m, !r, "split_page changed page %u at byte %zu", k, r - 1);
		obj_new(m, n, false, "split");
	}
}

static size_t rnd_kmalloc_size(struct model *m)
{
	switch (rndn(m, 12)) {
	case 0: return rndn(m, 2);			/* 0, 1 */
	case 1: return 1UL << rndn(m, 14);		/* powers of two up to 8 KiB */
	case 2: return 8192 + rndn(m, 3) - 1;		/* 8 KiB boundary */
	case 3: return (1UL << (3 + rndn(m, 11))) + rndn(m, 3) - 1;
	case 4: return 8193 + rndn(m, 64 << 10);	/* page allocator */
	case 5: if (chance(m, 10)) return (4UL << 20) - rndn(m, 2);
		return 4096 + rndn(m, 4096);
	case 6: return 96 + rndn(m, 2) * 96;
	default: return 1 + rndn(m, 512);
	}
}

/*
 * Checks a new kmalloc block; true if it called ksize().  ksize() gives
 * the whole object to the caller: under slub_debug=ZU the bytes past the
 * request are the red zone's 0xcc, not zero, even after kzalloc (the
 * kernel's slab_post_alloc_hook zeroes orig_size bytes, and ksize() only
 * sets orig_size to object_size), so a __GFP_ZERO krealloc chain is only
 * checked for blocks ksize() was not called on.
 */
static bool check_kmalloc_obj(struct model *m, void *p, size_t size, const char *what)
{
	bool called = false;
	size_t ks;

	if (!size) {
		MCHECK(m, p == ZERO_SIZE_PTR, "%s(0) = %p", what, p);
		return false;
	}
	MCHECK(m, !ZERO_OR_NULL_PTR(p), "%s(%zu) = %p", what, size, p);
	MCHECK(m, IS_ALIGNED((unsigned long)p, ARCH_KMALLOC_MINALIGN), "%s(%zu) = %p misaligned",
	       what, size, p);
	/* krealloc in place keeps the pointer: natural alignment is kmalloc's. */
	if (is_power_of_2(size) && strcmp(what, "krealloc"))
		MCHECK(m, IS_ALIGNED((unsigned long)p, size), "%s(%zu) = %p not naturally aligned",
		       what, size, p);
	if (chance(m, 50)) {
		ks = ksize(p);
		MCHECK(m, ks >= size, "ksize(%s(%zu)) = %zu", what, size, ks);
		called = true;
	}
	if (size > KMALLOC_MAX_CACHE_SIZE) {
		struct page *head = virt_to_head_page(p);

		MCHECK(m, PAGE_ALIGNED(p), "large %s %p", what, p);
		/* krealloc in place keeps the pages it had. */
		MCHECK(m, folio_order(page_folio(head)) == get_order(size) ||
			  (!strcmp(what, "krealloc") && folio_order(page_folio(head)) > get_order(size)),
		       "large %s(%zu) folio order %u", what, size, folio_order(page_folio(head)));
	}
	MCHECK(m, virt_to_page(p) == pfn_to_page(__pa(p) >> PAGE_SHIFT), "virt_to_page(%p)", p);
	return called;
}

static void op_kmalloc(struct model *m)
{
	size_t size = rnd_kmalloc_size(m), n = 1, esz = 0;
	gfp_t gfp = chance(m, 80) ? GFP_KERNEL : GFP_ATOMIC;
	int form = rndn(m, 7);
	bool zero = false, ks_called;
	struct obj *o;
	void *p;

	if (chance(m, 10))
		gfp |= GFP_DMA;
	else if (chance(m, 10))
		gfp |= __GFP_RECLAIMABLE;
	if (chance(m, 50))
		gfp |= __GFP_NOWARN;
	if (chance(m, 2)) {
		/* Beyond KMALLOC_MAX_SIZE, and an overflowing array. */
		size_t big = KMALLOC_MAX_SIZE + 1 + rndn(m, 1 << 20);

		TRACE(m, "kmalloc(%zu) / kmalloc_array overflow", big);
		p = kmalloc(big, GFP_KERNEL | __GFP_NOWARN);
		MCHECK(m, !p, "kmalloc(%zu) = %p", big, p);
		kfree(p);
		p = kmalloc_array(SIZE_MAX / 16 + 2, 16, GFP_KERNEL | __GFP_NOWARN);
		MCHECK(m, !p, "kmalloc_array overflow = %p", p);
		kfree(p);
		p = kcalloc(1UL << 40, 1UL << 30, GFP_KERNEL | __GFP_NOWARN);
		MCHECK(m, !p, "kcalloc overflow = %p", p);
		kfree(p);
		return;
	}
	if (over_cap(m, size))
		return;
	switch (form) {
	case 0:
		TRACE(m, "kzalloc(%zu, %#x)", size, gfp);
		p = kzalloc(size, gfp);
		zero = true;
		break;
	case 1:
		esz = 1 + rndn(m, 64);
		n = size / esz;
		size = n * esz;
		TRACE(m, "kmalloc_array(%zu, %zu, %#x)", n, esz, gfp);
		p = kmalloc_array(n, esz, gfp);
		break;
	case 2:
		esz = 1 + rndn(m, 64);
		n = size / esz;
		size = n * esz;
		TRACE(m, "kcalloc(%zu, %zu, %#x)", n, esz, gfp);
		p = kcalloc(n, esz, gfp);
		zero = true;
		break;
	case 3:
		TRACE(m, "kmalloc(%zu, %#x|__GFP_ZERO)", size, gfp);
		p = kmalloc(size, gfp | __GFP_ZERO);
		zero = true;
		break;
	case 4: {
		int nid = layout_numa ? (int)rndn(m, nr_online_nodes) : NUMA_NO_NODE;

		TRACE(m, "kmalloc_node(%zu, %#x, %d)", size, gfp, nid);
		p = kmalloc_node(size, gfp, nid);
		break;
	}
	default:
		TRACE(m, "kmalloc(%zu, %#x)", size, gfp);
		p = kmalloc(size, gfp);
		break;
	}
	if (!p) {
		m->fails++;
		return;
	}
	ks_called = check_kmalloc_obj(m, p, size, "kmalloc");
	if (size && ZERO_OR_NULL_PTR(p))
		return;
	o = obj_add(m, K_KMALLOC);
	o->ptr = p;
	o->size = size;
	o->zchain = zero && !ks_called;
	TRACE(m, "  = %p", p);
	obj_new(m, o, zero || layout_init_alloc, "kmalloc");
}

static int pick(struct model *m, bool (*ok)(const struct obj *))
{
	int tries, i;

	for (tries = 0; tries < 16 && m->n; tries++) {
		i = rndn(m, m->n);
		if (ok(&m->o[i]))
			return i;
	}
	return -1;
}

static bool is_kmalloc_obj(const struct obj *o)
{
	return o->kind == K_KMALLOC;
}

static bool is_kv_obj(const struct obj *o)
{
	return o->kind == K_KVMALLOC;
}

static bool is_vmalloc_obj(const struct obj *o)
{
	return o->kind == K_VMALLOC;
}

/*
 * A resize of object @o to @nsize returned @p: the prefix kept, gained
 * bytes zero in a __GFP_ZERO chain; the object becomes @p, refilled.
 */
static void resized(struct model *m, struct obj *o, void *p, size_t nsize, bool zero,
		    const char *what)
{
	size_t keep = min(o->size, nsize), r;

	if (ZERO_OR_NULL_PTR(p)) {
		/* Only nsize 0 may give ZERO_SIZE_PTR/NULL here. */
		m->live_bytes -= o->size;
		o->size = 0;
		o->ptr = p;
		return;
	}
	r = verify(p, keep, o->seed, 0);
	MCHECK(m, !r, "%s(%p, %zu -> %zu) = %p lost byte %zu", what, o->ptr, o->size, nsize, p,
	       r - 1);
	if (zero && o->zchain && nsize > o->size) {
		r = first_nonzero((char *)p + o->size, nsize - o->size);
		MCHECK(m, !r, "%s(%p, %zu -> %zu, __GFP_ZERO) = %p: gained byte %zu not zero "
		       "(%#x, %zu bytes: %s)", what, o->ptr, o->size, nsize, p, o->size + r - 1,
		       ((unsigned char *)p)[o->size + r - 1], nsize - o->size,
		       hexdump((char *)p + o->size + r - 1, min_t(size_t, 16, nsize - o->size - r + 1)));
	}
	o->zchain = o->zchain && zero;
	m->live_bytes += nsize;
	m->live_bytes -= o->size;
	o->ptr = p;
	o->size = nsize;
	o->seed = rnd(m);
	fill(p, nsize, o->seed, 0);
}

static void op_krealloc(struct model *m)
{
	int i = pick(m, is_kmalloc_obj);
	size_t nsize = chance(m, 50) ? rnd_kmalloc_size(m) : 0;
	bool zero = chance(m, 40), ks_called;
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN | (zero ? __GFP_ZERO : 0);
	struct obj *o;
	void *p;

	if (i < 0)
		return;
	o = &m->o[i];
	if (!nsize)
		nsize = chance(m, 50) ? o->size + rndn(m, 64) : (o->size ? rndn(m, o->size) : 8);
	if (chance(m, 3))
		nsize = 0;
	if (nsize > o->size && over_cap(m, nsize - o->size))
		return;
	obj_verify(m, o, "before krealloc");
	TRACE(m, "krealloc(%p, %zu, %#x) [%zu]", o->ptr, nsize, gfp, o->size);
	p = krealloc(o->ptr, nsize, gfp);
	TRACE(m, "  = %p", p);
	if (!nsize) {
		/* v6.12+: krealloc(p, 0) frees p and returns ZERO_SIZE_PTR. */
		MCHECK(m, p == ZERO_SIZE_PTR, "krealloc(%p, 0) = %p", o->ptr, p);
		m->live_bytes -= o->size;
		m->o[i] = m->o[--m->n];
		return;
	}
	if (!p) {
		m->fails++;
		obj_verify(m, o, "after failed krealloc");
		return;
	}
	ks_called = check_kmalloc_obj(m, p, nsize, "krealloc");
	resized(m, o, p, nsize, zero, "krealloc");
	if (ks_called)
		o->zchain = false;
}

static void op_kvmalloc(struct model *m)
{
	size_t size;
	bool zero = chance(m, 30);
	gfp_t gfp = GFP_KERNEL | (zero ? __GFP_ZERO : 0);
	struct obj *o;
	void *p;
	int i;

	if (m->n && chance(m, 30) && (i = pick(m, is_kv_obj)) >= 0) {
		o = &m->o[i];
		size = chance(m, 50) ? o->size * 2 + rndn(m, PAGE_SIZE) : 1 + rndn(m, o->size ?: 1);
		if (size > o->size && over_cap(m, size - o->size))
			return;
		obj_verify(m, o, "before kvrealloc");
		TRACE(m, "kvrealloc(%p, %zu, %#x) [%zu]", o->ptr, size, gfp, o->size);
		p = kvrealloc(o->ptr, size, gfp);
		TRACE(m, "  = %p", p);
		if (!p) {
			m->fails++;
			obj_verify(m, o, "after failed kvrealloc");
			return;
		}
		resized(m, o, p, size, zero, "kvrealloc");
		return;
	}
	switch (rndn(m, 4)) {
	case 0: size = 1 + rndn(m, PAGE_SIZE); break;
	case 1: size = (4UL << 20) + rndn(m, 4UL << 20); break;
	default: size = 1 + rndn(m, 256 << 10); break;
	}
	if (over_cap(m, size))
		return;
	TRACE(m, "kvmalloc(%zu, %#x)", size, gfp);
	p = kvmalloc(size, gfp);
	TRACE(m, "  = %p", p);
	if (!p) {
		m->fails++;
		return;
	}
	MCHECK(m, IS_ALIGNED((unsigned long)p, ARCH_KMALLOC_MINALIGN), "kvmalloc %p", p);
	if (size > KMALLOC_MAX_SIZE)
		MCHECK(m, is_vmalloc_addr(p), "kvmalloc(%zu) = %p is not vmalloc", size, p);
	o = obj_add(m, K_KVMALLOC);
	o->ptr = p;
	o->size = size;
	o->zchain = zero;
	obj_new(m, o, zero || layout_init_alloc, "kvmalloc");
}

/* Caches */

/*
 * Constructed caches come in a few sizes, each with a constructor that
 * writes 0x5a over the whole object; the model gives objects back that way.
 */
#define CTOR(n)	static void ctor_##n(void *p) { memset(p, 0x5a, n); }
CTOR(16) CTOR(40) CTOR(100) CTOR(256) CTOR(700) CTOR(2000) CTOR(5000)
static const struct { size_t size; void (*fn)(void *); } ctors[] = {
	{ 16, ctor_16 }, { 40, ctor_40 }, { 100, ctor_100 }, { 256, ctor_256 },
	{ 700, ctor_700 }, { 2000, ctor_2000 }, { 5000, ctor_5000 },
};

static struct mcache *cache_at(struct model *m, int ci)
{
	return ci >= 0 ? &m->caches[ci] : &m->shared[-ci - 1];
}

static int cache_create(struct model *m, struct mcache *c, const char *name)
{
	static const size_t aligns[] = { 0, 0, 8, 16, 32, 64, 128, 256, 512, 4096 };
	slab_flags_t flags = 0;

	memset(c, 0, sizeof(*c));
	switch (rndn(m, 5)) {
	case 0: c->size = 8 + rndn(m, 56); break;
	case 1: c->size = 64 + rndn(m, 448); break;
	case 2: c->size = 512 + rndn(m, 3584); break;
	case 3: c->size = 4096 + rndn(m, 12288); break;
	default: c->size = 1 + rndn(m, 300); break;
	}
	if (c->size < 8)
		c->size = 8;
	c->align = aligns[rndn(m, ARRAY_SIZE(aligns))];
	if (chance(m, 30))
		flags |= SLAB_HWCACHE_ALIGN;
	if (chance(m, 20))
		flags |= SLAB_RED_ZONE;
	if (chance(m, 20))
		flags |= SLAB_POISON;
	if (chance(m, 15))
		flags |= SLAB_TYPESAFE_BY_RCU;
	if (chance(m, 10))
		flags |= SLAB_STORE_USER;
	if (chance(m, 10))
		flags |= SLAB_CACHE_DMA;
	c->ctor = chance(m, 25);
	if (c->ctor) {
		c->ctor_idx = rndn(m, ARRAY_SIZE(ctors));
		c->size = ctors[c->ctor_idx].size;
	}
	c->flags = flags;
	snprintf(c->name, sizeof(c->name), "%s", name);
	TRACE(m, "kmem_cache_create(%s, %zu, %zu, %#lx, %s)", c->name, c->size, c->align,
	      (unsigned long)flags, c->ctor ? "ctor" : "NULL");
	c->s = kmem_cache_create(c->name, c->size, c->align, flags,
				 c->ctor ? ctors[c->ctor_idx].fn : NULL);
	if (!c->s) {
		FAIL(m, "kmem_cache_create(%s, %zu, %zu, %#lx) failed", c->name, c->size, c->align,
		     (unsigned long)flags);
		return -1;
	}
	return 0;
}

static void op_cache_new(struct model *m)
{
	int i;
	char name[32];

	for (i = 0; i < MAX_CACHES; i++)
		if (!m->caches[i].s)
			break;
	if (i == MAX_CACHES)
		return;
	snprintf(name, sizeof(name), "model%u_%d_%lu", m->id, i, m->step);
	cache_create(m, &m->caches[i], name);
}

static int rnd_cache(struct model *m)
{
	int i, tries;

	for (tries = 0; tries < 8; tries++) {
		if (m->nr_shared && chance(m, 50)) {
			i = rndn(m, m->nr_shared);
			if (m->shared[i].s)
				return -i - 1;
		} else {
			i = rndn(m, MAX_CACHES);
			if (m->caches[i].s)
				return i;
		}
	}
	return INT_MIN;
}

/* A new object @p of cache @ci. */
static void cache_obj(struct model *m, int ci, void *p, bool zero, const char *what)
{
	struct mcache *c = cache_at(m, ci);
	struct obj *o;
	size_t align = c->align ? c->align : ARCH_SLAB_MINALIGN;

	if (c->align && (c->flags & SLAB_HWCACHE_ALIGN) == 0)
		align = c->align;
	MCHECK(m, IS_ALIGNED((unsigned long)p, max_t(size_t, align, ARCH_SLAB_MINALIGN)),
	       "%s(%s) = %p misaligned (align %zu)", what, c->name, p, align);
	MCHECK(m, ksize(p) >= c->size, "ksize(%p) = %zu < %zu (%s)", p, ksize(p), c->size, c->name);
	MCHECK(m, kmem_cache_size(c->s) >= c->size, "kmem_cache_size(%s)", c->name);
	if (c->ctor && !zero) {
		const unsigned char *b = p;
		size_t k;

		for (k = 0; k < c->size; k++)
			if (b[k] != 0x5a)
				break;
		MCHECK(m, k == c->size, "%s(%s) = %p not constructed (byte %zu = %#x)", what,
		       c->name, p, k, k < c->size ? b[k] : 0);
	}
	o = obj_add(m, K_CACHE);
	o->ptr = p;
	o->size = c->size;
	o->cache = ci;
	c->live++;
	TRACE(m, "  = %p", p);
	/*
	 * init_on_alloc leaves constructed caches alone, and RCU and poisoned
	 * ones zero only for __GFP_ZERO (slab_want_init_on_alloc()).
	 */
	obj_new(m, o, zero || (layout_init_alloc && !c->ctor &&
			       !(c->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON))), what);
}

static void op_cache_alloc(struct model *m)
{
	int ci = rnd_cache(m);
	struct mcache *c;
	bool zero;
	gfp_t gfp = chance(m, 80) ? GFP_KERNEL : GFP_ATOMIC;
	void *p;

	if (ci == INT_MIN)
		return;
	c = cache_at(m, ci);
	zero = !c->ctor && chance(m, 30);
	if (over_cap(m, c->size))
		return;
	TRACE(m, "kmem_cache_%salloc(%s, %#x)", zero ? "z" : "", c->name, gfp);
	if (layout_numa && chance(m, 20))
		p = kmem_cache_alloc_node(c->s, gfp | (zero ? __GFP_ZERO : 0),
					  (int)rndn(m, nr_online_nodes));
	else
		p = zero ? kmem_cache_zalloc(c->s, gfp) : kmem_cache_alloc(c->s, gfp);
	if (!p) {
		m->fails++;
		return;
	}
	cache_obj(m, ci, p, zero, "kmem_cache_alloc");
}

static void op_cache_bulk(struct model *m)
{
	int ci = rnd_cache(m);
	struct mcache *c;
	void *p[64];
	size_t nr = 1 + rndn(m, 32), got, k;

	if (ci == INT_MIN || m->n + (int)nr >= MAX_OBJS - 40)
		return;
	c = cache_at(m, ci);
	if (chance(m, 50)) {
		/* Free a batch of this cache's live objects in bulk. */
		int i;

		got = 0;
		for (i = m->n - 1; i >= 0 && got < nr; i--) {
			struct obj *o = &m->o[i];

			if (o->kind != K_CACHE || o->cache != ci)
				continue;
			obj_verify(m, o, "before bulk free");
			if (c->ctor)
				memset(o->ptr, 0x5a, c->size);
			p[got++] = o->ptr;
			m->live_bytes -= o->size;
			c->live--;
			m->o[i] = m->o[--m->n];
		}
		if (got) {
			TRACE(m, "kmem_cache_free_bulk(%s, %zu)", c->name, got);
			kmem_cache_free_bulk(c->s, got, p);
		}
		return;
	}
	if (over_cap(m, nr * c->size))
		return;
	TRACE(m, "kmem_cache_alloc_bulk(%s, %zu)", c->name, nr);
	got = kmem_cache_alloc_bulk(c->s, GFP_KERNEL, nr, p);
	MCHECK(m, got == 0 || got == nr, "kmem_cache_alloc_bulk %zu of %zu", got, nr);
	if (!got)
		m->fails++;
	for (k = 0; k < got; k++)
		cache_obj(m, ci, p[k], false, "kmem_cache_alloc_bulk");
}

static void op_cache_destroy(struct model *m)
{
	int i = rndn(m, MAX_CACHES);
	struct mcache *c = &m->caches[i];

	if (!c->s || c->live || c->sheaf)
		return;
	TRACE(m, "kmem_cache_destroy(%s)", c->name);
	kmem_cache_destroy(c->s);
	c->s = NULL;
}

static void op_sheaf(struct model *m)
{
	int ci = rnd_cache(m), k, n;
	struct mcache *c;

	if (ci == INT_MIN)
		return;
	c = cache_at(m, ci);
	if (!c->sheaf) {
		unsigned int size = 1 + rndn(m, 40);

		if (over_cap(m, (size_t)size * c->size))
			return;
		TRACE(m, "kmem_cache_prefill_sheaf(%s, %u)", c->name, size);
		c->sheaf = kmem_cache_prefill_sheaf(c->s, GFP_KERNEL, size);
		if (!c->sheaf) {
			m->fails++;
			return;
		}
		c->sheaf_n = kmem_cache_sheaf_size(c->sheaf);
		MCHECK(m, c->sheaf_n >= size, "prefill_sheaf(%u) holds %u", size, c->sheaf_n);
		return;
	}
	switch (rndn(m, 4)) {
	case 0:
	case 1:
		n = 1 + rndn(m, 8);
		for (k = 0; k < n && m->n < MAX_OBJS - 40; k++) {
			bool zero = !c->ctor && chance(m, 30);
			void *p;

			TRACE(m, "kmem_cache_alloc_from_sheaf(%s)%s [%u]", c->name,
			      zero ? " __GFP_ZERO" : "", c->sheaf_n);
			p = kmem_cache_alloc_from_sheaf(c->s, GFP_KERNEL | (zero ? __GFP_ZERO : 0),
							c->sheaf);
			if (!c->sheaf_n) {
				MCHECK(m, !p, "alloc_from_sheaf of an empty sheaf = %p", p);
				if (p)
					kmem_cache_free(c->s, p);
				break;
			}
			MCHECK(m, p, "alloc_from_sheaf failed with %u left", c->sheaf_n);
			if (!p)
				break;
			c->sheaf_n--;
			cache_obj(m, ci, p, zero, "kmem_cache_alloc_from_sheaf");
		}
		MCHECK(m, kmem_cache_sheaf_size(c->sheaf) == c->sheaf_n, "sheaf size %u != %u",
		       kmem_cache_sheaf_size(c->sheaf), c->sheaf_n);
		break;
	case 2: {
		unsigned int size = 1 + rndn(m, 48);
		int r;

		TRACE(m, "kmem_cache_refill_sheaf(%s, %u) [%u]", c->name, size, c->sheaf_n);
		r = kmem_cache_refill_sheaf(c->s, GFP_KERNEL, &c->sheaf, size);
		MCHECK(m, r == 0 || r == -ENOMEM, "refill_sheaf = %d", r);
		MCHECK(m, c->sheaf, "refill_sheaf lost the sheaf");
		if (!c->sheaf)
			break;
		if (r)
			m->fails++;
		else
			MCHECK(m, kmem_cache_sheaf_size(c->sheaf) >= size, "refill(%u) holds %u", size,
			       kmem_cache_sheaf_size(c->sheaf));
		if (r)
			MCHECK(m, kmem_cache_sheaf_size(c->sheaf) == c->sheaf_n,
			       "failed refill changed the sheaf");
		c->sheaf_n = kmem_cache_sheaf_size(c->sheaf);
		break;
	}
	default:
		TRACE(m, "kmem_cache_return_sheaf(%s) [%u]", c->name, c->sheaf_n);
		kmem_cache_return_sheaf(c->s, GFP_KERNEL, c->sheaf);
		c->sheaf = NULL;
		c->sheaf_n = 0;
		break;
	}
}

/* vmalloc */

#endif /* _UKMEM_API_MODEL_OPS_H */
