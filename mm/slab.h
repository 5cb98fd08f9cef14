/* SPDX-License-Identifier: MIT */
/*
 * mm/slab.h - the slab allocator's internals, shared by mm/slab_common.c,
 * mm/slub_create.c, mm/slub.c, mm/slub_sheaf.c and mm/slub_report.c (the
 * kernel's mm/slab.h).
 *
 * struct kmem_cache   one per cache: geometry, flags, the per-CPU object
 *                     stacks ("sheaves") and one kmem_cache_node per node.
 * struct slab         the head struct page of a slab, seen as slab state.
 * kmem_cache_node     a node's partial and full slabs under list_lock.
 *
 * Cross-file functions are listed at the end, grouped by defining file
 * (mm/slab_common.c, mm/slub_create.c, mm/slub.c, mm/slub_sheaf.c,
 * mm/slub_report.c).
 */
#ifndef _MM_SLAB_H
#define _MM_SLAB_H

#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/poison.h>
#include <linux/stackdepot.h>
#include "arch/rseq.h"
#include "mm/internal.h"

/* ---- struct slab: overlays the head page's struct page ---- */

/*
 * A slab is one page or one compound page.  Its head page's 64 bytes hold
 * the slab's state, at offsets chosen so that the page allocator's fields
 * keep their meaning where it looks at them:
 *
 *   0   flags        PG_slab (and PG_head for order > 0), node, zone
 *   8   slab_cache   where a tail page keeps compound_head; a pointer, so
 *                    bit 0 is clear and compound_head() of the head is
 *                    itself -- and virt_to_cache() is one load from any page
 *   16  slab_list    the node's partial or full list (lru.prev, mapping:
 *                    cleared before the pages go back); rcu_head while
 *                    a SLAB_TYPESAFE_BY_RCU slab waits for a grace period
 *   32  freelist     first free object (encoded), NULL when full
 *   40  counters     inuse:16 objects:15 frozen:1 (there are no per-CPU
 *                    slabs, the per-CPU caches hold objects: frozen says
 *                    instead that the slab left its node's lists for a
 *                    discard list, to be freed once list_lock is dropped),
 *                    then obj_limit:32, objects * size, for the free path
 *   48  _mapcount    -1, as the page allocator left it
 *   52  _refcount    1, as the page allocator left it
 *   56  s_mem        the slab's first byte (page->virtual, which only
 *                    highmem pages use; NULL again when the slab is freed)
 */
struct slab {
	unsigned long __page_flags;
	struct kmem_cache *slab_cache;
	union {
		struct list_head slab_list;
		/* SLAB_TYPESAFE_BY_RCU: waiting for a grace period to go back */
		struct rcu_head rcu_head;
	};
	void *freelist;
	union {
		unsigned long counters;
		struct {
			unsigned inuse:16;
			unsigned objects:15;
			unsigned frozen:1;
			unsigned int obj_limit;	/* objects * size: offsets below are objects */
		};
	};
	atomic_t __page_mapcount;
	atomic_t __page_refcount;
	char *s_mem;
};

#define SLAB_MATCH(pg, sl)						\
	_Static_assert(offsetof(struct page, pg) == offsetof(struct slab, sl), \
		       "struct slab: " #sl " must overlay page->" #pg)
SLAB_MATCH(flags, __page_flags);
SLAB_MATCH(compound_head, slab_cache);
_Static_assert(offsetof(struct slab, slab_list) == offsetof(struct page, lru) + sizeof(void *) &&
	       offsetof(struct slab, slab_list) + sizeof(struct list_head) ==
	       offsetof(struct page, index),
	       "struct slab: slab_list must cover lru.prev and mapping");
SLAB_MATCH(index, freelist);
SLAB_MATCH(private, counters);
SLAB_MATCH(_mapcount, __page_mapcount);
SLAB_MATCH(_refcount, __page_refcount);
SLAB_MATCH(virtual, s_mem);
#undef SLAB_MATCH
_Static_assert(sizeof(struct slab) == sizeof(struct page), "struct slab overlays struct page");

#define MAX_OBJS_PER_PAGE	32767	/* objects:15 */

static inline struct slab *page_slab(const struct page *page)
{
	return (struct slab *)page;
}
static inline struct page *slab_page(const struct slab *slab)
{
	return (struct page *)slab;
}
static inline void *slab_address(const struct slab *slab)
{
	return lowmem_page_address(slab_page(slab));
}
static inline int slab_nid(const struct slab *slab)
{
	return page_to_nid(slab_page(slab));
}
static inline unsigned int slab_order(const struct slab *slab)
{
	return compound_order(slab_page(slab));
}
static inline size_t slab_size(const struct slab *slab)
{
	return PAGE_SIZE << slab_order(slab);
}
static inline bool slab_test_slab(const struct slab *slab)
{
	return PageSlab(slab_page(slab));
}

/* ---- struct kmem_cache ---- */

struct kmem_cache_order_objects {
	unsigned int x;		/* order << 16 | objects */
};
#define OO_SHIFT	16
#define OO_MASK		((1U << OO_SHIFT) - 1)
static inline struct kmem_cache_order_objects oo_make(unsigned int order, unsigned int size)
{
	struct kmem_cache_order_objects x = {
		(order << OO_SHIFT) + (unsigned int)((PAGE_SIZE << order) / size)
	};
	return x;
}
static inline unsigned int oo_order(struct kmem_cache_order_objects x)
{
	return x.x >> OO_SHIFT;
}
static inline unsigned int oo_objects(struct kmem_cache_order_objects x)
{
	return x.x & OO_MASK;
}

/*
 * A node's barn (the kernel's struct node_barn): whole batches of objects
 * that CPUs' stacks gave back when they were full, waiting for a CPU whose
 * stack ran dry.  A batch goes in and comes out with one copy under
 * barn->lock, so an object freed on one CPU reaches another without
 * touching its slab (producer/consumer patterns).  Set up with the stacks.
 */
#define BARN_MAX_BATCHES	10
#define BARN_MIN_BATCHES	2
#define BARN_BUDGET_BYTES	(32 * 1024)	/* of objects, above BARN_MIN_BATCHES */
struct slab_barn {
	spinlock_t lock;
	unsigned int nr;		/* batches held */
	unsigned int max;		/* batches it may hold (barn_max_batches) */
	unsigned int batch;		/* objects per batch: half a stack */
	void **objects;			/* max * batch, pages of their own */
};

/*
 * One node's slabs.  Every slab that is neither full nor being set up is on
 * partial (there are no per-CPU slabs to hide one), every full one on full:
 * so the slabinfo counts are exact and kmem_cache_destroy() can list every
 * leaked object (the kernel keeps full slabs on a list only when debugging).
 */
struct kmem_cache_node {
	spinlock_t list_lock;		/* partial, full, the slabs' freelists and counters */
	unsigned long nr_partial;	/* slabs on partial */
	struct list_head partial;	/* slabs with free objects; empty ones too, up to min_partial */
	struct list_head full;		/* slabs without free objects */
	atomic_long_t nr_slabs;		/* all slabs of this node */
	atomic_long_t total_objects;	/* their objects */
	void *irq_deferred;		/* objects and new slabs a signal handler could not list */
	struct slab_barn *barn;		/* NULL until the per-CPU stacks exist, then &barn_store */
	/*
	 * The barn's header lives here, in memory the cache has touched
	 * already, and its slots in pages of their own that stay untouched
	 * (not even faulted in) until a stack first overflows: a header at the
	 * head of those pages cost a short-lived process a page fault for
	 * each class it used (24 of `ls`'s 330).
	 */
	struct slab_barn barn_store;
};

/* The caller of the function this appears in (include/linux/instruction_pointer.h). */
#ifndef _RET_IP_
#define _RET_IP_	((unsigned long)__builtin_return_address(0))
#endif

/* Largest per-CPU stack (kmem_cache_args.sheaf_capacity is clamped to it). */
#define SHEAF_MAX_CAPACITY	256

/* Per-cache state of the per-CPU stacks (kmem_cache::sheaf_state). */
enum {
	SHEAVES_NONE,		/* not set up yet (or capacity 0: never) */
	SHEAVES_SETTING_UP,	/* one thread is allocating them */
	SHEAVES_READY,
};

/*
 * The cache.  The first line is what the fast paths read.
 */
struct kmem_cache {
	/* Per-CPU stacks of free objects (the kernel's sheaves); see mm/slub.c. */
	struct arch_pcpu_stacks cpu_sheaves;
	u64 reciprocal_size;		/* ceil(2^64 / size): exact division check */
	slab_flags_t flags;
	unsigned int size;		/* stride of objects, metadata included */
	unsigned int object_size;	/* what the caller asked for (max over aliases) */
	unsigned int offset;		/* free pointer's offset in a free object */
	gfp_t allocflags;		/* __GFP_COMP and the zone/reclaim bits */
	unsigned int sheaf_capacity;	/* objects per CPU; 0: no per-CPU stacks */
	int sheaf_state;		/* SHEAVES_* */
	spinlock_t sheaves_lock;	/* one remote owner of the stacks at a time */
	/*
	 * Non-zero: every allocation takes the slow path, which knows its
	 * caller and size (SLAB_ALLOC_SLOW_*); the fast path tests it alone.
	 */
	unsigned int alloc_slow;

	/* Set at creation, read on slow paths. */
	struct kmem_cache_order_objects oo;	/* preferred order and its objects */
	struct kmem_cache_order_objects min;	/* fallback order */
	unsigned long min_partial;	/* empty slabs a node may keep */
	/*
	 * How often (in 1024ths, 0..1000) a refill that finds its node's
	 * partial list empty may take another node's partial slabs: the
	 * kernel's CONFIG_NUMA knob, written through sysfs (mm/slab_sysfs.c).
	 */
	unsigned int remote_node_defrag_ratio;
	unsigned int barn_budget;	/* bytes of objects a barn keeps; 0: BARN_BUDGET_BYTES */
	void (*ctor)(void *);
	/*
	 * ukmem: ctor() runs on an object as it first leaves its slab, not on
	 * the whole slab when the slab is made (kmem_cache_ctor_when_taken();
	 * the malloc front end's caches, whose ctor writes a free tag).
	 */
	bool ctor_when_taken;
	void (*ctor_ldd3)(void *, struct kmem_cache *, unsigned long);
	void (*dtor_ldd3)(void *, struct kmem_cache *, unsigned long);
	unsigned int inuse;		/* object bytes plus padding to a word */
	unsigned int align;
	unsigned int red_left_pad;	/* left red zone before each object (SLAB_RED_ZONE) */
	unsigned int useroffset;
	unsigned int usersize;
	unsigned long random;		/* CONFIG_SLAB_FREELIST_HARDENED's key */
	unsigned int *random_seq;	/* CONFIG_SLAB_FREELIST_RANDOM: a shuffled order of */
	unsigned int random_seq_len;	/*   object indexes, made with the first slab */
	int refcount;			/* aliases; -1 for boot caches being built */
	const char *name;
	struct list_head list;		/* slab_caches, newest first */

	struct kmem_cache_node *node[MAX_NUMNODES];
};

#define SLAB_ALLOC_SLOW_DEBUG		1U	/* a debug cache: checked under list_lock */
#define SLAB_ALLOC_SLOW_FAILSLAB	2U	/* failslab's probability is set */
#define SLAB_ALLOC_SLOW_TOOLS		8U	/* ASan or memcheck: the size asked for goes to them */
/*
 * A kmalloc cache before the boot has finished it (slab_late_init): what
 * the fast path would decide without the caller and the size (debug or
 * not, the per-CPU mode) is only known after the boot, so every
 * allocation goes to the slow entry, which boots first.
 */
#define SLAB_ALLOC_SLOW_BOOT		4U
/* failslab's probability changed: every cache's alloc_slow follows (mm/slab_common.c). */
void slab_failslab_changed(void);

/* Cache-internal flags (mm/slub.c's values). */
/* SLAB_POISON on a cache whose objects may be poisoned (no ctor, not RCU). */
#define __OBJECT_POISON		((slab_flags_t)0x80000000U)
#define __CMPXCHG_DOUBLE	((slab_flags_t)0x40000000U)
/* Under a tool: each slot carries KASAN's red zone, ksize() is object_size. */
#define __SLAB_KASAN		((slab_flags_t)0x08000000U)

/* Everything kmem_cache_create() accepts (mm/slab.h SLAB_FLAGS_PERMITTED). */
#define SLAB_CORE_FLAGS	(SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | \
			 SLAB_PANIC | SLAB_TYPESAFE_BY_RCU | SLAB_MEM_SPREAD | \
			 SLAB_NOLEAKTRACE | SLAB_RECLAIM_ACCOUNT | SLAB_TEMPORARY | \
			 SLAB_ACCOUNT | SLAB_NO_USER_FLAGS | SLAB_KMALLOC | \
			 SLAB_NO_MERGE | SLAB_DEBUG_OBJECTS | SLAB_SKIP_KFENCE | \
			 SLAB_NO_SHEAVES)
#define SLAB_DEBUG_FLAGS (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | \
			  SLAB_TRACE | SLAB_CONSISTENCY_CHECKS)
/* Flags that add metadata to every object (slub_debug's 'O' drops them). */
#define DEBUG_METADATA_FLAGS (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)
/* slub_debug with no letters: F, Z, P, U. */
#define DEBUG_DEFAULT_FLAGS (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | \
			     SLAB_STORE_USER)
#define SLAB_CACHE_FLAGS (SLAB_NOLEAKTRACE | SLAB_RECLAIM_ACCOUNT | SLAB_TEMPORARY | \
			  SLAB_ACCOUNT | SLAB_NO_USER_FLAGS)
#define SLAB_FLAGS_PERMITTED (SLAB_CORE_FLAGS | SLAB_DEBUG_FLAGS | SLAB_FAILSLAB)

/* Merging (mm/slab_common.c). */
/* Every debug flag, F included, as in 7.2 (6.12 let F alone merge). */
#define SLAB_NEVER_MERGE (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | \
			  SLAB_TRACE | SLAB_CONSISTENCY_CHECKS | SLAB_TYPESAFE_BY_RCU | \
			  SLAB_NOLEAKTRACE | SLAB_FAILSLAB | SLAB_NO_MERGE)
#define SLAB_MERGE_SAME (SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | \
			 SLAB_ACCOUNT | SLAB_NO_SHEAVES)

/* Flags a slab allocation takes from the caller's gfp (mm/internal.h). */
#define GFP_RECLAIM_MASK (__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | \
			  __GFP_NOWARN | __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | \
			  __GFP_NORETRY | __GFP_MEMALLOC | __GFP_NOMEMALLOC)
/* Where the pages may come from: kept too (mm/internal.h GFP_CONSTRAINT_MASK). */
#define GFP_CONSTRAINT_MASK (__GFP_HARDWALL | __GFP_THISNODE)
/* Zone bits a slab must not be asked for (mm/internal.h GFP_SLAB_BUG_MASK). */
#define GFP_SLAB_BUG_MASK (__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)

/*
 * ---- The free pointer ----
 *
 * A free object in a slab's freelist holds the next free object's address
 * at s->offset.  Every read and write of it goes through freelist_ptr(),
 * CONFIG_SLAB_FREELIST_HARDENED's encoding, always on here: the stored word
 * is ptr ^ s->random ^ swab(slot address), with s->random drawn for each
 * cache.  The transform is its own inverse.  A word overwritten by a stray
 * write, or forged, decodes to an address that is no object of the slab,
 * and the slow paths that follow the chain check every link before they
 * trust it (slab_chain_next).  The per-CPU stacks hold plain pointers in
 * their own memory and never read this word.
 *
 * Under valgrind or ASan a free object is out of bounds for everyone but
 * the allocator: slab_meta_open/close let the allocator at the word.
 */
static __always_inline unsigned long freelist_ptr(const struct kmem_cache *s,
						  unsigned long val, unsigned long slot)
{
	return val ^ s->random ^ __builtin_bswap64(slot);
}

/* Valgrind's or ASan's view of allocator metadata inside a free object (mm/slub_harden.c). */
extern bool slab_tools_active __attribute__((visibility("hidden")));
void slab_meta_open(const void *p, size_t len);
void slab_meta_close(const void *p, size_t len);
#if defined(__SANITIZE_ADDRESS__)
#define SLAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAB_ASAN 1
#endif
#endif
#ifndef SLAB_ASAN
#define SLAB_ASAN 0
#endif

static __always_inline void *get_freepointer(const struct kmem_cache *s, void *object)
{
	unsigned long slot = (unsigned long)object + s->offset, val;

	if (SLAB_ASAN || unlikely(slab_tools_active)) {
		slab_meta_open((void *)slot, sizeof(long));
		val = *(unsigned long *)slot;
		slab_meta_close((void *)slot, sizeof(long));
	} else {
		val = *(unsigned long *)slot;
	}
	return (void *)freelist_ptr(s, val, slot);
}

static __always_inline void set_freepointer(const struct kmem_cache *s, void *object, void *fp)
{
	unsigned long slot = (unsigned long)object + s->offset;

	if (SLAB_ASAN || unlikely(slab_tools_active)) {
		slab_meta_open((void *)slot, sizeof(long));
		*(unsigned long *)slot = freelist_ptr(s, (unsigned long)fp, slot);
		slab_meta_close((void *)slot, sizeof(long));
		return;
	}
	*(unsigned long *)slot = freelist_ptr(s, (unsigned long)fp, slot);
}

/* ---- objects and slabs ---- */

/* @__addr is the slab's first byte; objects start after the left red zone. */
#define for_each_object(__p, __s, __addr, __objects)			\
	for (__p = fixup_red_left(__s, __addr);				\
	     __p < (__addr) + (__objects) * (__s)->size;			\
	     __p += (__s)->size)

/* The first object of the slab at @addr (past the left red zone). */
static inline char *fixup_red_left(const struct kmem_cache *s, void *addr)
{
	return (char *)addr + s->red_left_pad;
}

static inline unsigned int obj_to_index(const struct kmem_cache *s, const struct slab *slab,
					const void *obj)
{
	return (unsigned int)(((const char *)obj - fixup_red_left(s, slab_address(slab))) /
			      s->size);
}

/*
 * Is @p an object of @slab (or NULL)?  The kernel's check_valid_pointer;
 * slab->s_mem is the first object.
 */
static inline bool slab_valid_pointer(const struct kmem_cache *s, const struct slab *slab,
				      const void *p)
{
	unsigned long off;

	if (!p)
		return true;
	off = (unsigned long)((const char *)p - slab->s_mem);
	/* As slab_offset_valid() below: one multiplication, no division. */
	return off < (unsigned long)slab->objects * s->size &&
	       off * s->reciprocal_size < s->reciprocal_size;
}

/*
 * slab_valid_pointer() without the node's list_lock, as the free path asks
 * before it knows where the object goes: slab->objects shares its word with
 * inuse, which other threads rewrite under the lock, so the bound here is
 * what a slab of this order can hold.  The locked checks that follow
 * (free_debug_processing) use the exact count.
 */
static inline bool slab_valid_pointer_unlocked(const struct kmem_cache *s,
					       const struct slab *slab, const void *p)
{
	unsigned long off = (unsigned long)((const char *)p - slab->s_mem);

	/* s_mem is past the left red zone, which is inside the first slot. */
	return off < slab_size(slab) / s->size * s->size &&
	       off * s->reciprocal_size < s->reciprocal_size;
}

/* Where the free pointer (if outside the object) and the tracks end (get_info_end). */
static inline unsigned int get_info_end(const struct kmem_cache *s)
{
	unsigned int inuse = READ_ONCE(s->inuse);	/* an alias may raise it */

	if (s->offset >= inuse)
		return inuse + (unsigned int)sizeof(void *);
	return inuse;
}

/* Bytes from the object's start to the end of its slot (size_from_object). */
static inline unsigned int size_from_object(const struct kmem_cache *s)
{
	return s->size - ((s->flags & SLAB_RED_ZONE) ? s->red_left_pad : 0);
}

/*
 * Under a tool: the parts of @object's slot that are not the object (the
 * left red zone, and what follows the object up to the next slot) are
 * closed while the slot is in the allocator and opened to it briefly
 * (mm/sanitizers.c).
 */
static inline void tool_close_slot(const struct kmem_cache *s, const void *object)
{
	tool_close_slot_tail((const char *)object - s->red_left_pad, s->red_left_pad);
	tool_close_slot_tail((const char *)object + s->object_size,
			     size_from_object(s) - s->object_size);
}

static inline void tool_open_slot(const struct kmem_cache *s, const void *object)
{
	tool_open_slot_tail((const char *)object - s->red_left_pad, s->red_left_pad);
	tool_open_slot_tail((const char *)object + s->object_size,
			    size_from_object(s) - s->object_size);
}

/* ---- debug metadata (mm/slub_debug.c) ---- */

/*
 * The owner of an object (the kernel's struct track with CONFIG_STACKDEPOT:
 * 32 bytes), its stack kept in the stack depot (lib/stackdepot.c).
 */
#define TRACK_ADDRS_COUNT	16		/* frames taken */
struct track {
	unsigned long addr;			/* the caller of the allocation or free */
	depot_stack_handle_t handle;		/* its stack; 0: missing */
	int cpu;
	int pid;
	unsigned long when;			/* jiffies */
};
enum track_item { TRACK_ALLOC, TRACK_FREE };

static inline struct track *get_track(const struct kmem_cache *s, const void *object,
				      enum track_item alloc)
{
	return (struct track *)((char *)object + get_info_end(s)) + alloc;
}

/* kmalloc caches with SLAB_STORE_USER remember the size asked for. */
static inline bool slub_debug_orig_size(const struct kmem_cache *s)
{
	return (s->flags & (SLAB_STORE_USER | SLAB_KMALLOC)) == (SLAB_STORE_USER | SLAB_KMALLOC);
}

/*
 * The size a kmalloc caller asked for, kept after the tracks; every other
 * object is object_size bytes.  Bytes past it are red zone ("kmalloc
 * Redzone"): whatever zeroes, copies or poisons an object must stop there.
 */
/*
 * An unsigned long since 7.0 ("mm/slab: use unsigned long for orig_size
 * to ensure proper metadata align"): the bytes after it, the padding the
 * reports dump, start 8 bytes on, not 4.
 */
static inline unsigned long *orig_size_slot(const struct kmem_cache *s, const void *object)
{
	return (unsigned long *)((char *)object + get_info_end(s) + 2 * sizeof(struct track));
}

static inline unsigned int get_orig_size(const struct kmem_cache *s, const void *object)
{
	if (!slub_debug_orig_size(s))
		return READ_ONCE(s->object_size);	/* an alias may raise it */
	/* Marked: validation reads it while the owner's ksize() may rewrite it. */
	return (unsigned int)READ_ONCE(*orig_size_slot(s, object));
}

static inline void set_orig_size(const struct kmem_cache *s, void *object, unsigned int orig_size)
{
	if (!slub_debug_orig_size(s))
		return;
	if (orig_size > s->object_size)
		orig_size = s->object_size;
	WRITE_ONCE(*orig_size_slot(s, object), orig_size);
}

/* Where the debug metadata (free pointer, tracks, orig_size) ends: padding follows. */
static inline unsigned int slab_meta_end(const struct kmem_cache *s)
{
	unsigned int off = get_info_end(s);

	if (s->flags & SLAB_STORE_USER) {
		off += 2 * (unsigned int)sizeof(struct track);
		if (s->flags & SLAB_KMALLOC)
			off += sizeof(unsigned long);	/* orig_size */
	}
	return off;
}

/*
 * Is @off (bytes from the slab's start) the start of one of the slab's
 * objects?  Below objects * size, and a multiple of size: with
 * M = ceil(2^64 / size), the low 64 bits of off * M are below M exactly
 * when size divides off (Lemire, Kaser, Kurz: "Faster remainder by direct
 * computation", 2019; exact for off < 2^32, and a slab is at most 4 MiB).
 */
static __always_inline bool slab_offset_valid(const struct kmem_cache *s,
					      const struct slab *slab, unsigned long off)
{
	return off < slab->obj_limit && off * s->reciprocal_size < s->reciprocal_size;
}

/*
 * The slab of an object (NULL if @x is no slab memory): the page, then its
 * head through compound_head, then PG_slab.
 */
static __always_inline struct slab *virt_to_slab(const void *x)
{
	unsigned long pfn = ((unsigned long)x - PAGE_OFFSET) >> PAGE_SHIFT;
	struct page *page;

	if (unlikely(pfn >= ukmem_ram_pfns))
		return NULL;
	page = compound_head(pfn_to_page(pfn));
	if (!PageSlab(page))
		return NULL;
	return page_slab(page);
}

static inline struct kmem_cache *virt_to_cache(const void *x)
{
	struct slab *slab = virt_to_slab(x);

	return slab ? slab->slab_cache : NULL;
}

/* Bytes of slab memory a node counter holds (meminfo's Slab lines). */
static inline enum node_stat_item cache_vmstat_idx(const struct kmem_cache *s)
{
	return (s->flags & SLAB_RECLAIM_ACCOUNT) ? NR_SLAB_RECLAIMABLE_B : NR_SLAB_UNRECLAIMABLE_B;
}

/* ksize() of a slab object (mm/slub.c slab_ksize). */
static inline unsigned int slab_ksize(const struct kmem_cache *s)
{
	if (s->flags & (SLAB_RED_ZONE | SLAB_POISON | __SLAB_KASAN))
		return s->object_size;
	if (s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_STORE_USER))
		return s->inuse;
	return s->size;
}

static inline struct kmem_cache_node *get_node(const struct kmem_cache *s, int node)
{
	/* The kmalloc caches' are published after the boot (init_kmem_cache_nodes). */
	return __atomic_load_n(&s->node[node], __ATOMIC_ACQUIRE);
}
#define for_each_kmem_cache_node(__s, __node, __n)			\
	for (__node = 0; __node < nr_online_nodes; __node++)		\
		if (!((__n) = get_node(__s, __node))) ; else

/* ---- state of the slab allocator ---- */

enum slab_state {
	DOWN,		/* nothing */
	PARTIAL,	/* kmem_cache_init(): the caches exist, nothing allocated */
	UP,		/* first use after boot: node structures of the boot caches */
	FULL,		/* everything works */
};

/* ---- mm/slab_common.c ---- */
extern enum slab_state slab_state;
/* /proc/slabinfo (also what `ukmem show slabinfo --pid` runs on a copy). */
void slabinfo_show(FILE *m);
extern struct mutex slab_mutex;		/* slab_caches, cache creation and destruction */
extern struct list_head slab_caches;
extern struct kmem_cache *kmem_cache;		/* struct kmem_cache objects */
extern struct kmem_cache *kmem_cache_node;	/* struct kmem_cache_node objects */
extern unsigned int slub_min_order, slub_max_order, slub_min_objects;
extern bool slab_nomerge;
extern u8 kmalloc_size_index[24];
/* The kmalloc cache for a run-time size 1..KMALLOC_MAX_CACHE_SIZE. */
static __always_inline struct kmem_cache *kmalloc_slab(size_t size, gfp_t flags)
{
	unsigned int index;

	if (size <= 192)
		index = kmalloc_size_index[(size - 1) / 8];
	else
		index = (unsigned int)fls((unsigned int)size - 1);
	return kmalloc_caches[kmalloc_type(flags)][index];
}
unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size);
/* Finish setting up the boot caches once memory can be allocated. */
void slab_late_init(void);
void slab_kmem_cache_release(struct kmem_cache *s);
/*
 * The cache that a cache created as @name merged into, or NULL (the
 * kernel's /sys/kernel/slab/<name> symlink, sysfs_slab_alias()).
 * slab_mutex held.
 */
struct kmem_cache *slab_alias_find_locked(const char *name);

/* ---- mm/slub_create.c ---- */
/* Geometry, node structures (the per-CPU stacks come on first use): 0 or -errno. */
int do_kmem_cache_create(struct kmem_cache *s, const char *name, unsigned int size,
			 struct kmem_cache_args *args, slab_flags_t flags);
/* Boot caches: geometry only, no memory. */
void create_boot_cache(struct kmem_cache *s, const char *name, unsigned int size,
		       slab_flags_t flags, unsigned int useroffset, unsigned int usersize);
int init_kmem_cache_nodes(struct kmem_cache *s, gfp_t gfp);
void __kmem_cache_alias_update(struct kmem_cache *s, unsigned int size);

/* ---- mm/slub.c ---- */
/*
 * What the fast paths read, copied at boot (kmem_cache_init) into one
 * line the library reaches directly: the exported originals cost an extra
 * GOT load each from inside libukmem.so.  Zero before the boot, which
 * sends every free of a non-NULL pointer to the slow path.
 */
struct slab_fastpath_globals {
	unsigned long page_offset;	/* PAGE_OFFSET */
	unsigned long ram_pfns;		/* ukmem_ram_pfns */
	struct page *mem_map;		/* mem_map */
	long rseq;			/* glibc's rseq offset in rseq mode, 0 in lock mode */
	/*
	 * gfp bits that send an allocation from the fast path to
	 * slab_post_alloc_hook(): __GFP_ZERO, or every bit with init_on_alloc
	 * or a tool watching (mm/slub_harden.c).  One test either way.
	 */
	unsigned long alloc_hook_gfp;
};
extern struct slab_fastpath_globals slab_fast __attribute__((visibility("hidden")));
extern struct failslab_attr failslab __attribute__((visibility("hidden")));
extern bool slab_rseq_disabled;		/* slab_rseq=0 on the command line */
/* kmem_cache_alloc_bulk() without failslab (the sheaves' fill); @caller for debug tracks. */
int __kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t nr, void **p,
			    unsigned long caller);
/* Return @nr objects (already checked) to their slabs; frees emptied slabs. */
void free_to_slabs(struct kmem_cache *s, void **p, unsigned int nr);
/* list_lock, with the slabs a signal handler deferred listed (process context). */
void slab_node_lock(struct kmem_cache *s, struct kmem_cache_node *n);
/* list_lock (taken with slab_node_lock) released, then @discard's slabs freed. */
void node_unlock_free_discarded(struct kmem_cache *s, struct kmem_cache_node *n,
				struct list_head *discard);
/* A slab off its node's partial list (list_lock held). */
static inline void remove_partial(struct kmem_cache_node *n, struct slab *slab)
{
	list_del(&slab->slab_list);
	WRITE_ONCE(n->nr_partial, n->nr_partial - 1);	/* peeked at without list_lock */
}
/* An empty partial slab off its node, counters too, onto @discard (list_lock held). */
static inline void discard_slab_locked(struct kmem_cache_node *n, struct slab *slab,
				       struct list_head *discard)
{
	remove_partial(n, slab);
	atomic_long_dec(&n->nr_slabs);
	atomic_long_sub(slab->objects, &n->total_objects);
	slab->frozen = 1;	/* for a reader that finds it by address under list_lock */
	list_add(&slab->slab_list, discard);
}
/* Flush, release empty slabs; -EBUSY (after listing them) if objects remain. */
int __kmem_cache_shutdown(struct kmem_cache *s);
void __kmem_cache_release(struct kmem_cache *s);
int __kmem_cache_shrink(struct kmem_cache *s);
/* slabinfo's figures for one cache. */
struct slabinfo {
	unsigned long active_objs, num_objs, active_slabs, num_slabs;
	unsigned int objects_per_slab, cache_order;
};
void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo);
/* The same, only trying each list_lock (the OOM report's). */
void get_slabinfo_nowait(struct kmem_cache *s, struct slabinfo *sinfo);
void *slab_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long caller);
void slub_init_cpu_mode(void);
/* Free what is known to be slab memory of @s (kfree's path). */
void slab_free_obj(struct kmem_cache *s, struct slab *slab, void *x, unsigned long caller);
/*
 * kmem_cache_free() of @x that is no object of @s (mm/slub_report.c):
 * NULL and ZERO_SIZE_PTR ignored, a KFENCE object of @s freed, the rest
 * warned about as the kernel's warn_free_bad_obj() and leaked.
 */
void free_foreign(struct kmem_cache *s, void *x, unsigned long caller);
/* The malloc front end's free of an object it checked (no hooks, no debugging). */
void slab_free_checked(struct kmem_cache *s, struct slab *slab, void *x);
/*
 * The malloc front end's allocation from @s, inline: this CPU's stack
 * popped in rseq mode, or NULL whenever kmem_cache_alloc() would do more
 * than that (a debug cache or failslab, lock mode, a hook wanted for
 * @gfpflags: init_on_alloc, KFENCE's open gate, a tool) or the stack is
 * empty; the caller then takes kmem_cache_alloc(), which sorts each case
 * out.  Inline so that malloc's fast path makes no call and keeps no
 * frame.
 */
static __always_inline void *slab_alloc_inline(struct kmem_cache *s, gfp_t gfpflags)
{
	long rseq = data_race(slab_fast.rseq);

	if (SLAB_ASAN || unlikely(READ_ONCE(s->alloc_slow)) || unlikely(!rseq) ||
	    unlikely(gfp_hits_hooks(gfpflags, data_race(slab_fast.alloc_hook_gfp))))
		return NULL;
	return arch_rseq_stack_pop(&s->cpu_sheaves, rseq);
}
/* Zone bits a slab cannot honour: report them and drop them. */
gfp_t kmalloc_fix_flags(gfp_t flags);

/* ---- mm/slub_sheaf.c: every CPU's stack at once, the barns, fork ---- */
/* CPU @cpu's stack of @s (inlined into mm/slub.c's fast paths). */
static inline struct arch_pcpu_stack *sheaf_of(const struct kmem_cache *s, unsigned int cpu)
{
	return arch_pcpu_stack_of(&s->cpu_sheaves, cpu);
}
/* This CPU's node's barn, or NULL (the cache's stacks not set up yet). */
static inline struct slab_barn *local_barn(const struct kmem_cache *s)
{
	return get_node(s, nr_online_nodes == 1 ? 0 : numa_mem_id())->barn;
}
/* The cache's stacks and barns on its first slow-path allocation (may do nothing). */
void init_cache_sheaves(struct kmem_cache *s, gfp_t gfp);
/* Store a batch of exactly barn->batch objects; false if the barn is full. */
bool barn_put(struct slab_barn *barn, void **p, unsigned int nr);
/* A batch into @p (room for barn->batch); the number of objects, or 0. */
unsigned int barn_get(struct slab_barn *barn, void **p);
/* Empty every CPU's stack and the barns into the slabs (shrink, destroy, validate). */
void flush_all_sheaves(struct kmem_cache *s);
/* Every CPU's stack of @s held by this thread, and let go; the number of CPUs. */
unsigned int sheaves_lock_all(struct kmem_cache *s);
void sheaves_unlock_all(struct kmem_cache *s);
/* The per-CPU stacks and barns of a cache being released. */
void free_cache_sheaves(struct kmem_cache *s);
/* Boot: the slab allocator's fork steps (kernel/fork.c). */
void slab_fork_register(void);

/* ---- mm/slab_common.c, kmalloc's page path ---- */
/* kfree() of memory that is no slab: a large kmalloc, or a caller's error. */
void free_large_kmalloc(struct page *page, const void *x);

/* ---- mm/slub_report.c: the kernel's report shapes ---- */
__printf(2, 3) void slab_bug(const struct kmem_cache *s, const char *fmt, ...);
__printf(3, 4) void slab_err(const struct kmem_cache *s, const struct slab *slab,
			     const char *fmt, ...);
__printf(2, 3) void slab_fix(const struct kmem_cache *s, const char *fmt, ...);
/* object_err()'s report without counting an error (its caller counted one). */
void object_report(const struct kmem_cache *s, const struct slab *slab, const void *object,
		   const char *reason);
void object_err(const struct kmem_cache *s, const struct slab *slab, const void *object,
		const char *reason);
void print_slab_info(const struct slab *slab);
/* After a corruption report: the B taint, and the WARN's panic_on_warn / warn_limit check. */
void slab_report_done(void);
/* Bad frees (always-on checks), each reported once per call. */
void report_invalid_free(const struct kmem_cache *s, const struct slab *slab, const void *x);
void report_double_free(const struct kmem_cache *s, const struct slab *slab, const void *x);

/* KASAN's quarantine under a program's ASan (mm/slab_quarantine.c). */
extern bool slab_quarantine_on __attribute__((visibility("hidden")));
bool slab_quarantine_put(struct kmem_cache *s, void *x);
void slab_quarantine_remove_cache(struct kmem_cache *s);
void slab_quarantine_init(void);
void slab_free_quarantined(struct kmem_cache *s, struct slab *slab, void *x);
/* Objects still allocated at kmem_cache_destroy(); slab list_lock held. */
void list_slab_objects(const struct kmem_cache *s, const struct slab *slab);
/* Its object map's lock, under list_lock (fork takes it: mm/slub_sheaf.c). */
extern spinlock_t object_map_lock;
/* print_trailer(): owner tracks, slab and object lines, hex dumps, stack. */
void print_trailer(const struct kmem_cache *s, const struct slab *slab, const void *p);
void print_tracking(const struct kmem_cache *s, const void *object);
void print_section(const char *level, const char *text, const void *addr, unsigned int length);
/*
 * Error counting, as slub_kunit counts (each BUG and each FIX is one):
 * slab_add_errors() is called by every report that counts.
 */
void slab_add_errors(int n);
/* This thread's count: what one validation found. */
long slab_thread_errors(void);

/* ---- mm/slub_debug.c: slub_debug= and the per-object checks ---- */
/* The flags slub_debug= adds to cache @name (kmem_cache_flags). */
slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name);
int setup_slub_debug(const char *str);
extern bool slub_debug_disable_higher_order;	/* slub_debug=O */
/* The flags slub_debug= gives every cache (0 if none). */
slab_flags_t slub_debug_global_flags(void);
/* Does slub_debug= name caches (slub_debug=FZ,malloc-64)? */
bool slub_debug_names_caches(void);
/* New slab: padding poisoned, every object red-zoned, poisoned, tracks cleared. */
void setup_slab_debug(struct kmem_cache *s, struct slab *slab);
void setup_object_debug(struct kmem_cache *s, void *object);
/* Under list_lock: true if @object may be handed out (else the slab was isolated). */
bool alloc_debug_processing(struct kmem_cache *s, struct slab *slab, void *object,
			    unsigned long caller, unsigned int orig_size);
/* Under list_lock: true if @object may go back to @slab (else reported, not freed). */
bool free_debug_processing(struct kmem_cache *s, struct slab *slab, void *object,
			   unsigned long caller);
/*
 * Its second half, which needs no lock: the owner, the red zones and the
 * poison of a free object (a signal handler's free parked unchecked).
 */
void free_debug_unchecked(struct kmem_cache *s, void *object, unsigned long caller);
void slub_debug_track_prepare(const struct kmem_cache *s);
void slub_debug_track_drop(void);
/* A slab about to go back to the page allocator (SLAB_CONSISTENCY_CHECKS). */
void free_slab_debug_check(struct kmem_cache *s, struct slab *slab);
/* validate one slab (list_lock held). */
void validate_slab(struct kmem_cache *s, struct slab *slab);
/* One allocated object's red zones and padding, as validate_slab() checks it (no lock). */
void check_allocated_object(struct kmem_cache *s, struct slab *slab, void *object);
/* Its free-object map's lock, under list_lock (fork takes it: mm/slub_sheaf.c). */
extern spinlock_t validate_map_lock;

/* ---- mm/slub_traces.c ---- */
/* One alloc/free traces walk at a time; taken before list_lock (and by fork). */
extern spinlock_t traces_lock;

/* ---- mm/slub_harden.c: hardening and the tools' hooks ---- */
extern bool slab_freelist_random;	/* slab_freelist_random=1 */

/*
 * init_on_alloc / init_on_free for one cache (the kernel's mm/slab.h):
 * never over constructed state nor the type-stable objects of an RCU
 * cache, and poisoning takes precedence.
 */
static inline bool slab_want_init_on_alloc(gfp_t gfp, const struct kmem_cache *s)
{
	if (unlikely(init_on_alloc) && !s->ctor && !s->ctor_ldd3) {
		if (s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON))
			return gfp & __GFP_ZERO;
		return true;
	}
	return gfp & __GFP_ZERO;
}

/*
 * A new object's constructor, either kind: ctor(), or the LDD3-era one
 * with its flags (SLAB_CTOR_ATOMIC when the allocation may not sleep).
 * For slabs being set up and for KFENCE's objects alike.
 */
static inline void slab_construct(struct kmem_cache *s, void *object, gfp_t gfp)
{
	if (s->ctor)
		s->ctor(object);
	else if (s->ctor_ldd3)
		s->ctor_ldd3(object, s, SLAB_CTOR_CONSTRUCTOR |
			     (gfpflags_allow_blocking(gfp) ? 0 : SLAB_CTOR_ATOMIC));
}

static inline bool slab_want_init_on_free(const struct kmem_cache *s)
{
	return unlikely(init_on_free) && !s->ctor && !s->ctor_ldd3 &&
	       !(s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON));
}

/*
 * init_on_free zeroed the object when it was freed, but a slab's freelist
 * then wrote the (encoded) free pointer into it: wipe that word before
 * the object is handed out again (the kernel's maybe_wipe_obj_freeptr).
 * Called where objects leave a slab's freelist (take_from_slab): the
 * per-CPU stacks and the barns keep their pointers in their own memory,
 * so only a freelist writes one into an object.  list_lock held or the
 * slab still private.
 */
static __always_inline void maybe_wipe_obj_freeptr(const struct kmem_cache *s, void *object)
{
	unsigned long *slot = (unsigned long *)((char *)object + s->offset);

	if (SLAB_ASAN || unlikely(slab_tools_active)) {
		slab_meta_open(slot, sizeof(*slot));
		*slot = 0;
		slab_meta_close(slot, sizeof(*slot));
		return;
	}
	*slot = 0;
}

/* Does this cache's free pointer lie inside a zeroed-on-free object? */
static inline bool slab_wipe_freeptr(const struct kmem_cache *s)
{
	return s->offset < READ_ONCE(s->inuse) && slab_want_init_on_free(s);	/* an alias may raise inuse */
}
/*
 * Called with the object of every allocation whose gfp hits alloc_hook_gfp,
 * and every one under a tool; @size is what the caller asked for (0: the
 * object size, on the fast paths, which the tools never take).
 */
void *slab_post_alloc_hook(struct kmem_cache *s, void *object, gfp_t gfp, unsigned int size);
/* Every free with a hook to run (init_on_free, valgrind, ASan), after the checks. */
void slab_free_hook(struct kmem_cache *s, void *object);
/* The free path's view when hooks run on every free (kfree_unusual, free_foreign). */
extern bool slab_free_hooks_active __attribute__((visibility("hidden")));
/* At boot, before the first cache: keys, tools, init_on_* settings. */
void slab_harden_init(void);
unsigned long slab_get_random_long(void);
/* A new slab's freelist in shuffled order; false if the cache has no sequence. */
bool shuffle_freelist(struct kmem_cache *s, struct slab *slab);
void free_random_seq(struct kmem_cache *s);
/*
 * Fresh objects.  A new slab of a cache without debugging links only its
 * first free object (allocate_slab()): that object's free pointer points
 * to itself, which says "this object and every one after it, up to the
 * slab's end, is free and was never touched".  Taking it links the next
 * one the same way (slab_take_fresh()), so a slab's memory is written only
 * as far as its objects are used: a program that needs three objects of a
 * class does not fault in the class's whole slab.  The kernel links the
 * whole slab at once; nothing but the slab code can tell the difference.
 */
/* The object after @object, or NULL past the slab's last. */
static __always_inline void *slab_fresh_next(const struct kmem_cache *s,
					     const struct slab *slab, void *object)
{
	char *next = (char *)object + s->size;

	return next < slab->s_mem + (size_t)slab->objects * s->size ? next : NULL;
}

/*
 * The next free object after @object for a reader of the chain (reports,
 * checks), which starts with *@fresh false: once the walk has reached the
 * fresh object it goes on by address (the objects after it hold no link).
 */
static __always_inline void *slab_walk_next(const struct kmem_cache *s,
					    const struct slab *slab, void *object, bool *fresh)
{
	if (!*fresh) {
		void *next = get_freepointer(s, object);

		if (next != object)
			return next;
		*fresh = true;
	}
	return slab_fresh_next(s, slab, object);
}

/*
 * The free objects of @slab, a bit each in @map (cleared first): the
 * freelist's, the fresh run's included.  Returns the fresh object (the
 * first never touched), or NULL.  For the readers that need to know which
 * objects are in use: destroy's leak list, the traces, validation.
 * list_lock held or the slab private.
 */
static inline void *slab_free_map(const struct kmem_cache *s, const struct slab *slab,
				  unsigned long *map)
{
	unsigned int idx, objects = slab->objects;
	void *fp, *next, *fresh_object = NULL;
	bool fresh = false;

	__builtin_memset(map, 0, BITS_TO_LONGS(objects) * sizeof(unsigned long));
	for (fp = slab->freelist, idx = 0; fp && idx < objects; idx++, fp = next) {
		unsigned int i = obj_to_index(s, slab, fp);

		if (i < objects)
			map[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
		next = slab_walk_next(s, slab, fp, &fresh);
		if (fresh && !fresh_object)
			fresh_object = fp;
	}
	return fresh_object;
}

/*
 * @object, fresh, leaves its slab: the next object becomes the fresh one
 * (its free pointer pointing to itself), and @object gets its constructor
 * now if the cache asked for that (kmem_cache_ctor_when_taken()).  Returns
 * the next object, or NULL past the slab's end.  list_lock held or the
 * slab still private.
 */
static inline void *slab_take_fresh(struct kmem_cache *s, struct slab *slab, void *object)
{
	void *next = slab_fresh_next(s, slab, object);

	if (next)
		set_freepointer(s, next, next);
	/* No tool watches bytes here: a slab links lazily only without one (set at boot). */
	if (s->ctor)
		s->ctor(object);
	return next;
}

/*
 * The next object of a slab's freelist after @object, which is being
 * taken off it, checked: a pointer that is no object of @slab is reported
 * ("Freechain corrupt"), the chain is cut there, and NULL is returned
 * (the rest of the chain is leaked).
 */
static __always_inline void *slab_chain_next(struct kmem_cache *s, struct slab *slab,
					     void *object)
{
	void *next = get_freepointer(s, object);
	void *freechain_corrupt(struct kmem_cache *s, struct slab *slab, void *object);

	if (unlikely(next == object))
		return slab_take_fresh(s, slab, object);
	if (unlikely(!slab_valid_pointer(s, slab, next)))
		return freechain_corrupt(s, slab, object);
	return next;
}

#endif /* _MM_SLAB_H */
