/* SPDX-License-Identifier: MIT */
/*
 * tests/api_model.h - the model of stress_api_model.c: its knobs, the
 * table of live objects, their patterns, adding and freeing them, and the
 * overlap check.  The operations and the driver are in the .c file.
 */
#ifndef _UKMEM_API_MODEL_H
#define _UKMEM_API_MODEL_H

#include <pthread.h>
#include <stdint.h>

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/page_frag_cache.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <ukmem/slab_debug.h>
#include "mm/internal.h"
#include "slab_test.h"

/* ------------------------------------------------------------------ */
/* Knobs and environment                                               */

static unsigned long env_ul(const char *name, unsigned long dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : dflt;
}

static unsigned long opt_seeds, opt_steps, opt_threads, opt_ops;
static bool opt_trace;
static bool layout_highmem, layout_init_alloc, layout_numa;
static unsigned long ram_pages;

enum op {
	OP_PAGES, OP_EXACT, OP_CONTIG, OP_SPLIT, OP_KMALLOC, OP_KREALLOC,
	OP_KVMALLOC, OP_CACHE_NEW, OP_CACHE_ALLOC, OP_CACHE_BULK, OP_CACHE_DESTROY,
	OP_SHEAF, OP_VMALLOC, OP_VREALLOC, OP_VMAP, OP_VMRAM, OP_POOL, OP_PERCPU,
	OP_FRAG, OP_NOLOCK, OP_USERDUP, OP_FREE, OP_KSIZE, OP_MISC, NR_OPS
};
static const char *const op_names[NR_OPS] __attribute__((unused)) = {
	"pages", "exact", "contig", "split", "kmalloc", "krealloc", "kvmalloc",
	"cache_new", "cache_alloc", "cache_bulk", "cache_destroy", "sheaf",
	"vmalloc", "vrealloc", "vmap", "vm_map_ram", "mempool", "percpu",
	"frag", "nolock", "userdup", "free", "ksize", "misc",
};
static const unsigned int op_weight[NR_OPS] = {
	[OP_PAGES] = 10, [OP_EXACT] = 3, [OP_CONTIG] = 2, [OP_SPLIT] = 2,
	[OP_KMALLOC] = 14, [OP_KREALLOC] = 5, [OP_KVMALLOC] = 3,
	[OP_CACHE_NEW] = 2, [OP_CACHE_ALLOC] = 10, [OP_CACHE_BULK] = 3,
	[OP_CACHE_DESTROY] = 2, [OP_SHEAF] = 3, [OP_VMALLOC] = 4,
	[OP_VREALLOC] = 2, [OP_VMAP] = 2, [OP_VMRAM] = 2, [OP_POOL] = 5,
	[OP_PERCPU] = 3, [OP_FRAG] = 4, [OP_NOLOCK] = 4, [OP_USERDUP] = 3,
	[OP_FREE] = 45, [OP_KSIZE] = 2, [OP_MISC] = 6,
};

/* ------------------------------------------------------------------ */
/* The model                                                           */

enum kind {
	K_PAGES, K_EXACT, K_CONTIG, K_KMALLOC, K_KVMALLOC, K_CACHE, K_VMALLOC,
	K_VMAP, K_VMRAM, K_POOL, K_PERCPU, K_FRAG, K_NOLOCK,
};

#define MAX_CACHES	6
#define MAX_POOLS	3
#define MAX_OBJS	512
#define MAX_VMAP	16

struct mcache {
	struct kmem_cache *s;
	size_t size, align;
	slab_flags_t flags;
	bool ctor, shared;
	int ctor_idx;
	long live;
	struct slab_sheaf *sheaf;
	unsigned int sheaf_n;		/* objects the model says it holds */
	char name[32];
};

struct mpool {
	mempool_t *p;
	size_t size;
	int min_nr;
	long live;
};

struct obj {
	enum kind kind;
	void *ptr;			/* what the free takes (or NULL for pages) */
	struct page *page;		/* K_PAGES, K_CONTIG */
	unsigned int order;		/* K_PAGES */
	bool comp;			/* __GFP_COMP */
	size_t size;			/* bytes holding the pattern */
	size_t npages;			/* K_CONTIG, K_VMAP, K_VMRAM */
	struct page **pages;		/* K_VMAP, K_VMRAM (glibc memory) */
	int cache;			/* K_CACHE: index; K_POOL: pool index */
	bool zchain;			/* every call on it zeroed (krealloc chain) */
	u64 seed;
};

struct model {
	unsigned int id;
	u64 rng;
	struct obj o[MAX_OBJS];
	int n;
	struct mcache *caches;		/* MAX_CACHES, own */
	struct mcache *shared;		/* shared caches (threaded pass) */
	int nr_shared;
	struct mpool pools[MAX_POOLS];
	struct page_frag_cache frag;
	size_t live_bytes, byte_cap;
	bool pressure;			/* a seed that may fill the machine */
	unsigned long step, fails, allocs;
	char tag[64];
};

static u64 rnd(struct model *m)
{
	/* xorshift64* */
	u64 x = m->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	m->rng = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static unsigned long rndn(struct model *m, unsigned long n)
{
	return n ? rnd(m) % n : 0;
}

static bool chance(struct model *m, unsigned int pct)
{
	return rndn(m, 100) < pct;
}

#define FAIL(m, ...)							\
	do {								\
		ktest_failures++;					\
		fprintf(stderr, "%s:%d: [%s step %lu] ", __FILE__, __LINE__, (m)->tag, (m)->step); \
		fprintf(stderr, __VA_ARGS__);				\
		fprintf(stderr, "\n");					\
	} while (0)
#define MCHECK(m, cond, ...)						\
	do {								\
		if (!(cond))						\
			FAIL(m, "CHECK failed: " #cond ": " __VA_ARGS__); \
	} while (0)

#define TRACE(m, ...)							\
	do {								\
		if (opt_trace) {					\
			fprintf(stderr, "[%s %lu] ", (m)->tag, (m)->step); \
			fprintf(stderr, __VA_ARGS__);			\
			fprintf(stderr, "\n");				\
		}							\
	} while (0)

/* ------------------------------------------------------------------ */
/* Patterns: byte j of an object is byte j%8 of mix(seed, j/8).        */

static inline u64 mix(u64 seed, u64 k)
{
	u64 x = seed ^ (k * 0x9E3779B97F4A7C15ULL);

	x ^= x >> 31;
	x *= 0xBF58476D1CE4E5B9ULL;
	x ^= x >> 29;
	return x | 0x0101010101010101ULL;	/* no zero byte: zero checks stay meaningful */
}

static void fill(void *p, size_t n, u64 seed, size_t off)
{
	unsigned char *c = p;
	size_t i = 0;

	while (i < n) {
		u64 w = mix(seed, (off + i) >> 3);
		size_t b = (off + i) & 7;

		for (; b < 8 && i < n; b++, i++)
			c[i] = (unsigned char)(w >> (b * 8));
	}
}

/* Offset of the first wrong byte + 1, or 0. */
static size_t verify(const void *p, size_t n, u64 seed, size_t off)
{
	const unsigned char *c = p;
	size_t i = 0;

	while (i < n) {
		u64 w = mix(seed, (off + i) >> 3);
		size_t b = (off + i) & 7;

		for (; b < 8 && i < n; b++, i++)
			if (c[i] != (unsigned char)(w >> (b * 8)))
				return i + 1;
	}
	return 0;
}

static const char *hexdump(const void *p, size_t n)
{
	static __thread char buf[64];
	size_t i;

	buf[0] = 0;
	for (i = 0; i < n && i < 16; i++)
		snprintf(buf + 3 * i, sizeof(buf) - 3 * i, "%02x ", ((const unsigned char *)p)[i]);
	return buf;
}

static size_t first_nonzero(const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i])
			return i + 1;
	return 0;
}

/* Pages: a highmem page is reached through kmap_local_page. */
static void *map_page(struct page *pg)
{
	return PageHighMem(pg) ? kmap_local_page(pg) : page_address(pg);
}

static void unmap_page(struct page *pg, void *addr)
{
	if (PageHighMem(pg))
		kunmap_local(addr);
}

enum walk { W_FILL, W_VERIFY, W_ZERO };

/* Run @w over @npages pages from @pg; the first bad offset + 1 or 0. */
static size_t walk_pages(struct page *pg, size_t npages, enum walk w, u64 seed)
{
	size_t i, bad = 0;

	for (i = 0; i < npages && !bad; i++) {
		void *a = map_page(pg + i);
		size_t r = 0;

		if (w == W_FILL)
			fill(a, PAGE_SIZE, seed, i * PAGE_SIZE);
		else if (w == W_VERIFY)
			r = verify(a, PAGE_SIZE, seed, i * PAGE_SIZE);
		else
			r = first_nonzero(a, PAGE_SIZE);
		unmap_page(pg + i, a);
		if (r)
			bad = i * PAGE_SIZE + r;
	}
	return bad;
}

static size_t walk_array(struct page **pages, size_t npages, enum walk w, u64 seed)
{
	size_t i, bad = 0;

	for (i = 0; i < npages && !bad; i++) {
		size_t r = walk_pages(pages[i], 1, w, seed + i);

		if (r)
			bad = i * PAGE_SIZE + r;
	}
	return bad;
}

static size_t percpu_walk(void __percpu *p, size_t size, enum walk w, u64 seed)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		void *a = per_cpu_ptr(p, cpu);
		size_t r = 0;

		if (w == W_FILL)
			fill(a, size, seed + cpu, 0);
		else if (w == W_VERIFY)
			r = verify(a, size, seed + cpu, 0);
		else
			r = first_nonzero(a, size);
		if (r)
			return cpu * 1000000UL + r;
	}
	return 0;
}

static const char *kind_name(enum kind k)
{
	static const char *const names[] = {
		"pages", "exact", "contig", "kmalloc", "kvmalloc", "cache", "vmalloc",
		"vmap", "vm_map_ram", "pool", "percpu", "frag", "nolock",
	};
	return names[k];
}

/* Whole-object operations. */
static size_t obj_walk(struct obj *o, enum walk w)
{
	switch (o->kind) {
	case K_PAGES:
		return walk_pages(o->page, 1UL << o->order, w, o->seed);
	case K_CONTIG:
		return walk_pages(o->page, o->npages, w, o->seed);
	case K_VMAP:
	case K_VMRAM:
		return walk_array(o->pages, o->npages, w, o->seed);
	case K_PERCPU:
		return percpu_walk(o->ptr, o->size, w, o->seed);
	default:
		if (w == W_FILL) {
			fill(o->ptr, o->size, o->seed, 0);
			return 0;
		}
		return w == W_VERIFY ? verify(o->ptr, o->size, o->seed, 0) :
			first_nonzero(o->ptr, o->size);
	}
}

static void obj_describe(struct obj *o, char *buf, size_t len)
{
	snprintf(buf, len, "%s %p size %zu order %u npages %zu page %p pfn %#lx",
		 kind_name(o->kind), o->ptr, o->size, o->order, o->npages, (void *)o->page,
		 o->page ? page_to_pfn(o->page) : 0UL);
}

/* The extra views of an object that must agree with it. */
static void obj_views(struct model *m, struct obj *o)
{
	size_t i;

	if (o->kind == K_VMAP || o->kind == K_VMRAM) {
		for (i = 0; i < o->npages; i++) {
			void *va = (char *)o->ptr + i * PAGE_SIZE;
			size_t r = verify(va, PAGE_SIZE, o->seed + i, 0);

			MCHECK(m, !r, "%s %p page %zu: vmap view differs at %zu", kind_name(o->kind),
			       o->ptr, i, r - 1);
			MCHECK(m, vmalloc_to_page(va) == o->pages[i],
			       "vmalloc_to_page(%p) %p != %p", va, (void *)vmalloc_to_page(va),
			       (void *)o->pages[i]);
		}
	}
	if (o->kind == K_VMALLOC || (o->kind == K_KVMALLOC && is_vmalloc_addr(o->ptr))) {
		size_t np = DIV_ROUND_UP(o->size, PAGE_SIZE);

		i = rndn(m, np);
		{
			char *va = (char *)o->ptr + i * PAGE_SIZE;
			struct page *pg = vmalloc_to_page(va);
			size_t len = min_t(size_t, PAGE_SIZE, o->size - i * PAGE_SIZE);

			MCHECK(m, pg, "vmalloc_to_page(%p) NULL", va);
			if (pg) {
				void *a = map_page(pg);

				MCHECK(m, !memcmp(a, va, len),
				       "page_address/kmap of vmalloc page %zu of %p differs", i, o->ptr);
				unmap_page(pg, a);
			}
		}
	}
}

static void obj_verify(struct model *m, struct obj *o, const char *when)
{
	size_t r = obj_walk(o, W_VERIFY);

	if (r) {
		char d[160];

		obj_describe(o, d, sizeof(d));
		FAIL(m, "%s: pattern broken at offset %zu of %s", when, r - 1, d);
	}
	obj_views(m, o);
}

/* ------------------------------------------------------------------ */
/* Adding objects and the checks that come with a new one              */

static struct obj *obj_add(struct model *m, enum kind k)
{
	struct obj *o = &m->o[m->n++];

	memset(o, 0, sizeof(*o));
	o->kind = k;
	o->seed = rnd(m);
	m->allocs++;
	return o;
}

static size_t obj_bytes(const struct obj *o)
{
	switch (o->kind) {
	case K_PAGES:
		return PAGE_SIZE << o->order;
	case K_CONTIG:
	case K_VMAP:
	case K_VMRAM:
		return o->npages * PAGE_SIZE;
	case K_PERCPU:
		return o->size * nr_cpu_ids;
	default:
		return o->size;
	}
}

/* A new object: zero if it must be, then filled. */
static void obj_new(struct model *m, struct obj *o, bool must_zero, const char *what)
{
	if (must_zero) {
		size_t r = obj_walk(o, W_ZERO);

		if (r) {
			char d[160];

			obj_describe(o, d, sizeof(d));
			FAIL(m, "%s not zeroed: byte %zu of %s", what, r - 1, d);
		}
	}
	obj_walk(o, W_FILL);
	m->live_bytes += obj_bytes(o);
}

static void check_page_block(struct model *m, struct page *pg, unsigned int order, gfp_t gfp,
			     bool comp)
{
	unsigned long pfn = page_to_pfn(pg);
	enum zone_type z = page_zonenum(pg), hi;

	MCHECK(m, pfn_to_page(pfn) == pg, "pfn_to_page(page_to_pfn(%p))", (void *)pg);
	MCHECK(m, !(pfn & ((1UL << order) - 1)), "order-%u block at pfn %#lx misaligned", order, pfn);
	if (!PageHighMem(pg)) {
		void *a = page_address(pg);

		MCHECK(m, a && virt_to_page(a) == pg, "virt_to_page(page_address(%p))", (void *)pg);
		MCHECK(m, (virt_to_phys(a) >> PAGE_SHIFT) == pfn, "virt_to_phys of pfn %#lx", pfn);
		MCHECK(m, page_to_virt(pg) == a, "page_to_virt pfn %#lx", pfn);
	} else {
		MCHECK(m, layout_highmem, "highmem page without the highmem layout");
	}
	if (comp) {
		MCHECK(m, folio_order(page_folio(pg)) == order, "folio_order %u != %u",
		       folio_order(page_folio(pg)), order);
		if (order)
			MCHECK(m, page_folio(pg + (1UL << order) - 1) == page_folio(pg),
			       "tail page's folio");
	} else if (order) {
		MCHECK(m, !PageCompound(pg), "order-%u non-compound block is compound", order);
	}
	/* The highest zone the gfp allows. */
	if (gfp & __GFP_DMA)
		hi = ZONE_DMA;
	else if (gfp & __GFP_DMA32)
		hi = layout_highmem ? ZONE_NORMAL : ZONE_DMA32;
	else if (gfp & __GFP_HIGHMEM)
		hi = layout_highmem ? ZONE_HIGHMEM : ZONE_NORMAL;
	else
		hi = ZONE_NORMAL;
	MCHECK(m, z <= hi, "gfp %#x got zone %d (highest %d), pfn %#lx", gfp, z, hi, pfn);
	if (gfp & __GFP_DMA)
		MCHECK(m, ((pfn + (1UL << order)) << PAGE_SHIFT) <= (16UL << 20),
		       "GFP_DMA block above 16 MiB: pfn %#lx", pfn);
	if (gfp & __GFP_DMA32)
		MCHECK(m, ((pfn + (1UL << order)) << PAGE_SHIFT) <= (4UL << 30),
		       "GFP_DMA32 block above 4 GiB: pfn %#lx", pfn);
}

static bool over_cap(struct model *m, size_t bytes)
{
	return m->n >= MAX_OBJS - 40 || m->live_bytes + bytes > m->byte_cap;
}

/* ------------------------------------------------------------------ */
/* Freeing                                                             */

static void obj_release(struct model *m, struct obj *o)
{
	size_t i;

	switch (o->kind) {
	case K_PAGES:
		TRACE(m, "__free_pages(pfn %#lx, %u)", page_to_pfn(o->page), o->order);
		__free_pages(o->page, o->order);
		break;
	case K_EXACT:
		TRACE(m, "free_pages_exact(%p, %zu)", o->ptr, o->size);
		free_pages_exact(o->ptr, o->size);
		break;
	case K_CONTIG:
		TRACE(m, "free_contig_%srange(%#lx, %zu)", o->comp ? "frozen_" : "",
		      page_to_pfn(o->page), o->npages);
		if (o->comp)
			free_contig_frozen_range(page_to_pfn(o->page), o->npages);
		else
			free_contig_range(page_to_pfn(o->page), o->npages);
		break;
	case K_KMALLOC:
		TRACE(m, "kfree(%p) [%zu]", o->ptr, o->size);
		kfree(o->ptr);
		break;
	case K_KVMALLOC:
		TRACE(m, "kvfree(%p) [%zu]", o->ptr, o->size);
		kvfree(o->ptr);
		break;
	case K_CACHE: {
		struct mcache *c = o->cache >= 0 ? &m->caches[o->cache] : &m->shared[-o->cache - 1];

		/* Give it back constructed, as the ctor left it. */
		if (c->ctor)
			memset(o->ptr, 0x5a, c->size);
		TRACE(m, "kmem_cache_free(%s, %p)", c->name, o->ptr);
		kmem_cache_free(c->s, o->ptr);
		c->live--;
		break;
	}
	case K_VMALLOC:
		TRACE(m, "vfree(%p) [%zu]", o->ptr, o->size);
		vfree(o->ptr);
		break;
	case K_VMAP:
	case K_VMRAM:
		if (o->kind == K_VMAP) {
			TRACE(m, "vunmap(%p)", o->ptr);
			vunmap(o->ptr);
		} else {
			TRACE(m, "vm_unmap_ram(%p, %zu)", o->ptr, o->npages);
			vm_unmap_ram(o->ptr, o->npages);
		}
		for (i = 0; i < o->npages; i++)
			__free_page(o->pages[i]);
		free(o->pages);
		break;
	case K_POOL:
		TRACE(m, "mempool_free(%p, pool %d)", o->ptr, o->cache);
		mempool_free(o->ptr, m->pools[o->cache].p);
		m->pools[o->cache].live--;
		break;
	case K_PERCPU:
		TRACE(m, "free_percpu(%p)", o->ptr);
		free_percpu(o->ptr);
		break;
	case K_FRAG:
		TRACE(m, "page_frag_free(%p) [%zu]", o->ptr, o->size);
		page_frag_free(o->ptr);
		break;
	case K_NOLOCK:
		TRACE(m, "kfree_nolock(%p) [%zu]", o->ptr, o->size);
		kfree_nolock(o->ptr);
		break;
	}
}

static void obj_free(struct model *m, int idx)
{
	struct obj *o = &m->o[idx];

	obj_verify(m, o, "before free");
	m->live_bytes -= obj_bytes(o);
	obj_release(m, o);
	m->o[idx] = m->o[--m->n];
}

/* ------------------------------------------------------------------ */
/* The overlap check                                                   */

struct ival {
	unsigned long start, end;
	int idx;
};

static int ival_cmp(const void *a, const void *b)
{
	const struct ival *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static unsigned long page_key(struct page *pg)
{
	/* Highmem pages have no address: their would-be linear one. */
	return (unsigned long)PAGE_OFFSET + (page_to_pfn(pg) << PAGE_SHIFT);
}

static void check_overlap(struct model *m)
{
	size_t cap = (size_t)m->n * (nr_cpu_ids + MAX_VMAP + 1) + 1, n = 0, i, j;
	struct ival *v = malloc(cap * sizeof(*v));

	for (i = 0; i < (size_t)m->n; i++) {
		struct obj *o = &m->o[i];
		unsigned int cpu;

		switch (o->kind) {
		case K_PAGES:
			v[n++] = (struct ival){ page_key(o->page), page_key(o->page) + (PAGE_SIZE << o->order), i };
			break;
		case K_CONTIG:
			v[n++] = (struct ival){ page_key(o->page), page_key(o->page) + o->npages * PAGE_SIZE, i };
			break;
		case K_VMAP:
		case K_VMRAM:
			for (j = 0; j < o->npages; j++)
				v[n++] = (struct ival){ page_key(o->pages[j]), page_key(o->pages[j]) + PAGE_SIZE, i };
			v[n++] = (struct ival){ (unsigned long)o->ptr, (unsigned long)o->ptr + o->npages * PAGE_SIZE, i };
			break;
		case K_PERCPU:
			for_each_possible_cpu(cpu) {
				unsigned long a = (unsigned long)per_cpu_ptr(o->ptr, cpu);

				v[n++] = (struct ival){ a, a + o->size, i };
			}
			break;
		default:
			if (ZERO_OR_NULL_PTR(o->ptr) || !o->size)
				break;
			v[n++] = (struct ival){ (unsigned long)o->ptr, (unsigned long)o->ptr + o->size, i };
			break;
		}
	}
	qsort(v, n, sizeof(*v), ival_cmp);
	for (i = 1; i < n; i++) {
		if (v[i].start < v[i - 1].end) {
			char a[160], b[160];

			obj_describe(&m->o[v[i - 1].idx], a, sizeof(a));
			obj_describe(&m->o[v[i].idx], b, sizeof(b));
			FAIL(m, "overlap: [%#lx,%#lx) %s and [%#lx,%#lx) %s", v[i - 1].start,
			     v[i - 1].end, a, v[i].start, v[i].end, b);
		}
	}
	free(v);
}

static void check_all(struct model *m)
{
	int i;

	check_overlap(m);
	for (i = 0; i < m->n; i++)
		obj_verify(m, &m->o[i], "periodic");
}

#endif /* _UKMEM_API_MODEL_H */
