/* SPDX-License-Identifier: MIT */
/*
 * linux/slab.h - slab caches and kmalloc (include/linux/slab.h).
 *
 * Object caches: kmem_cache_create() makes a cache of equal-sized objects,
 * kmem_cache_alloc()/kmem_cache_free() take and return them; kmalloc() and
 * kfree() serve arbitrary sizes from the kernel's size classes (kmalloc-8 ..
 * kmalloc-8k, with kmalloc-96 and kmalloc-192) and from the page allocator
 * above KMALLOC_MAX_CACHE_SIZE.  Flag values, size classes, merging, the
 * constructor's contract and the reports are the kernel's (docs/slab.md).
 *
 * Context rules, as in the kernel: an allocation may sleep if its gfp has
 * __GFP_DIRECT_RECLAIM (GFP_KERNEL); GFP_ATOMIC/GFP_NOWAIT never sleep and
 * may fail.  Freeing never sleeps and may be done from any thread, on any
 * CPU, including signal handlers installed with ukmem_sigaction().
 * kmem_cache_create(), kmem_cache_destroy() and kmem_cache_shrink() may
 * sleep.  Everything boots the library on first use.
 *
 * Three eras of the API compile here:
 *  - today's: kmem_cache_create(name, size, align, flags, ctor) and the
 *    v6.12 argument-struct form kmem_cache_create(name, size, &args, flags);
 *  - v2.6.24-v2.6.26's: nothing differs for callers but the ctor type;
 *  - LDD3's (2.6.10-2.6.22): kmem_cache_create(name, size, offset, flags,
 *    ctor, dtor) with ctor/dtor taking (void *, kmem_cache_t *, unsigned
 *    long), kmem_cache_t, kmem_cache_name() and SLAB_NO_REAP; see the
 *    "Compatibility" section at the end for what changed since.
 */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <ukmem/kernel_types.h>
#include <linux/cleanup.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/overflow.h>	/* struct_size(), array_size(): as the kernel's slab.h */
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/instruction_pointer.h>	/* _RET_IP_ for the *_track_caller_noprof() forms */
/*
 * kfree_rcu(), kvfree_rcu() and kvfree_rcu_barrier(): the kernel's slab.h
 * declares the latter (v6.14+) and reaches rcupdate.h through
 * percpu-refcount.h, so slab.h alone is enough for kfree_rcu() there too.
 */
#include <linux/rcupdate.h>
#include <asm/page.h>

UKMEM_C_BEGIN

/*
 * ---- Cache flags (slab_flags_t) ----
 * The fixed values of v4.15 .. v6.8 (v6.9 renumbered them per .config;
 * a user-space library needs one stable ABI, so it keeps these).
 */
#define SLAB_CONSISTENCY_CHECKS	((slab_flags_t)0x00000100U) /* debug: check on alloc/free (issue: debugging) */
#define SLAB_RED_ZONE		((slab_flags_t)0x00000400U) /* debug: red zones around objects */
#define SLAB_POISON		((slab_flags_t)0x00000800U) /* debug: poison free objects */
#define SLAB_KMALLOC		((slab_flags_t)0x00001000U) /* a kmalloc-* cache (set by ukmem) */
#define SLAB_HWCACHE_ALIGN	((slab_flags_t)0x00002000U) /* align objects on cache lines */
#define SLAB_CACHE_DMA		((slab_flags_t)0x00004000U) /* slabs from ZONE_DMA */
#define SLAB_CACHE_DMA32	((slab_flags_t)0x00008000U) /* slabs from ZONE_DMA32 */
#define SLAB_STORE_USER		((slab_flags_t)0x00010000U) /* debug: record last owner */
#define SLAB_RECLAIM_ACCOUNT	((slab_flags_t)0x00020000U) /* counted as SReclaimable */
#define SLAB_TEMPORARY		SLAB_RECLAIM_ACCOUNT
#define SLAB_PANIC		((slab_flags_t)0x00040000U) /* panic if creation fails */
#define SLAB_TYPESAFE_BY_RCU	((slab_flags_t)0x00080000U) /* type-stable memory */
#define SLAB_MEM_SPREAD		((slab_flags_t)0x00100000U) /* no effect (removed in v6.9) */
#define SLAB_TRACE		((slab_flags_t)0x00200000U) /* debug: trace allocs and frees */
#define SLAB_DEBUG_OBJECTS	((slab_flags_t)0x00400000U) /* no effect: no debugobjects */
#define SLAB_NOLEAKTRACE	((slab_flags_t)0x00800000U) /* no effect: no kmemleak */
#define SLAB_NO_MERGE		((slab_flags_t)0x01000000U) /* never merge with another cache */
#define SLAB_FAILSLAB		((slab_flags_t)0x02000000U) /* failslab's cache-filter selects it */
#define SLAB_ACCOUNT		((slab_flags_t)0x04000000U) /* accepted; there are no memcgs to charge */
#define SLAB_KASAN		((slab_flags_t)0)
#define SLAB_NO_USER_FLAGS	((slab_flags_t)0x10000000U) /* ignore slub_debug= */
#define SLAB_SKIP_KFENCE	((slab_flags_t)0x20000000U) /* KFENCE never samples it */
#define SLAB_NO_OBJ_EXT		((slab_flags_t)0)
#define SLAB_NO_SHEAVES		((slab_flags_t)0x00000200U) /* v7.0: no per-CPU stacks (ukmem's bit) */
/* Old names. */
#define SLAB_DESTROY_BY_RCU	SLAB_TYPESAFE_BY_RCU	/* renamed in v4.12 */
#define SLAB_DEBUG_FREE		SLAB_CONSISTENCY_CHECKS	/* renamed in v4.6 */
#define SLAB_NOTRACK		((slab_flags_t)0)	/* kmemcheck, removed in v4.15 */

/*
 * ---- kmalloc constants (SLUB, 4 KiB pages) ----
 */
#define ARCH_KMALLOC_MINALIGN	__alignof__(unsigned long long)
#define ARCH_SLAB_MINALIGN	__alignof__(unsigned long long)
#define ARCH_DMA_MINALIGN	ARCH_KMALLOC_MINALIGN
/* The minimum slab object alignment, decided at run time on some arches (v5.19+). */
static inline unsigned int arch_slab_minalign(void)
{
	return ARCH_SLAB_MINALIGN;
}
#define KMALLOC_MIN_SIZE	(1 << KMALLOC_SHIFT_LOW)
#define KMALLOC_SHIFT_LOW	3
#define KMALLOC_SHIFT_HIGH	(PAGE_SHIFT + 1)			/* 13 */
#define KMALLOC_SHIFT_MAX	(MAX_PAGE_ORDER + PAGE_SHIFT)		/* 22 */
#define KMALLOC_MAX_SIZE	(1UL << KMALLOC_SHIFT_MAX)		/* 4 MiB */
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)		/* 8 KiB */
#define KMALLOC_MAX_ORDER	(KMALLOC_SHIFT_MAX - PAGE_SHIFT)	/* 10 */

/* kmalloc(0) returns ZERO_SIZE_PTR: not NULL, but faults if dereferenced. */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

/* The three families of kmalloc caches, by gfp: DMA > RECLAIM > NORMAL. */
enum kmalloc_cache_type {
	KMALLOC_NORMAL = 0,
	KMALLOC_RECLAIM,	/* kmalloc-rcl-*: __GFP_RECLAIMABLE */
	KMALLOC_DMA,		/* dma-kmalloc-*: __GFP_DMA */
	NR_KMALLOC_TYPES,
	KMALLOC_CGROUP = KMALLOC_NORMAL,	/* no memcg: __GFP_ACCOUNT is NORMAL */
};

struct kmem_cache;
struct list_lru;

/* The v6.12 argument structure (kmem_cache_create(name, size, &args, flags)). */
struct kmem_cache_args {
	unsigned int align;		/* 0: ARCH_SLAB_MINALIGN */
	unsigned int useroffset;	/* usercopy whitelist */
	unsigned int usersize;
	unsigned int freeptr_offset;	/* with use_freeptr_offset */
	bool use_freeptr_offset;
	void (*ctor)(void *);
	unsigned int sheaf_capacity;	/* per-CPU objects; 0: the default */
};

/*
 * The kmalloc caches by type and index (kmalloc_index()); NULL at index 0
 * and past KMALLOC_SHIFT_HIGH.  They exist from the start (their per-CPU
 * parts are set up on first use), so the table is constant.
 */
UKMEM_API_BEGIN
extern struct kmem_cache *const kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];
UKMEM_API_END

/*
 * A set of kmalloc-like caches of one's own, one per kmalloc size class
 * (v6.11+): kmem_buckets_create() and kmem_buckets_alloc() below.  Objects
 * from them never share a slab with anyone else's kmalloc objects.
 */
typedef struct kmem_cache *kmem_buckets[KMALLOC_SHIFT_HIGH + 1];

/*
 * ---- Creating and destroying caches ----
 */
UKMEM_API_BEGIN
/**
 * __kmem_cache_create_args - create a cache (the v6.12 entry point)
 * @name: shown in slabinfo and reports; copied
 * @object_size: bytes per object (1 .. KMALLOC_MAX_SIZE)
 * @args: alignment, constructor, usercopy region; NULL for none
 * @flags: SLAB_* flags
 *
 * Returns the cache, an existing compatible cache (merging, as the kernel
 * does for caches without a constructor), or NULL: then it has printed
 * "__kmem_cache_create_args(name) failed with error -N" and a stack trace, or
 * with SLAB_PANIC panicked.  May sleep.
 */
struct kmem_cache *__kmem_cache_create_args(const char *name, unsigned int object_size,
					    struct kmem_cache_args *args, slab_flags_t flags);
/* The five-argument form (v2.6.27 .. today). */
struct kmem_cache *__kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				       slab_flags_t flags, void (*ctor)(void *));
struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size,
					      unsigned int align, slab_flags_t flags,
					      unsigned int useroffset, unsigned int usersize,
					      void (*ctor)(void *));
struct kmem_cache *kmem_cache_create_rcu(const char *name, unsigned int size,
					 unsigned int freeptr_offset, slab_flags_t flags);
/**
 * kmem_cache_destroy - destroy a cache
 * @s: the cache, or NULL (nothing happens)
 *
 * Drops one reference (merged caches share one); the last one shuts the
 * cache down.  If objects are still allocated, every one is listed
 * ("Objects remaining in <name> on __kmem_cache_shutdown()"), a WARN names
 * the caller, and the cache stays usable: a later destroy, after the
 * objects are freed, completes.  May sleep.
 */
void kmem_cache_destroy(struct kmem_cache *s);
/* Release empty slabs and the per-CPU caches: 0 if no slab is left. */
int kmem_cache_shrink(struct kmem_cache *s);
/* ukmem: kmem_cache_shrink() on every cache (malloc_trim uses it). */
void kmem_cache_shrink_all(void);
/* The object size the cache was created with (not the padded stride). */
unsigned int kmem_cache_size(struct kmem_cache *s);
/* 2.6-era: the cache's name (removed upstream in v2.6.38; kept here). */
const char *kmem_cache_name(struct kmem_cache *s);
/**
 * slab_is_available - may kmalloc() and kmem_cache_alloc() be called yet?
 *
 * False until the boot has run kmem_cache_init() (so inside the early hook
 * of ukmem_boot_hook(), where memblock is the allocator), true from then
 * on, as in the kernel.  It does not boot the library: before the first
 * ukmem call it answers false, as the kernel's does before mm_core_init().
 * Context: any.
 */
bool slab_is_available(void);
UKMEM_API_END

/* Default args: kmem_cache_create(name, size, NULL, flags). */
static inline struct kmem_cache *__kmem_cache_default_args(const char *name, unsigned int size,
							   void *args, slab_flags_t flags)
{
	(void)args;
	return __kmem_cache_create_args(name, size, NULL, flags);
}

/*
 * kmem_cache_create() takes three shapes, told apart by the argument count
 * and, for four or five, by the type of the third argument (as v6.12's
 * _Generic does):
 *   kmem_cache_create(name, size, &args, flags)          v6.12+
 *   kmem_cache_create(name, size, NULL, flags)           v6.12+, no args
 *   kmem_cache_create(name, size, align, flags, ctor)    v2.6.23 .. today
 *   kmem_cache_create(name, size, offset, flags, ctor, dtor)  LDD3, <= v2.6.22
 * It is a macro, so its address cannot be taken (as in v6.12).
 */
#define __kmem_cache_create_typed(__name, __size, __args, ...)			\
	_Generic((__args),							\
		 struct kmem_cache_args *: __kmem_cache_create_args,		\
		 void *: __kmem_cache_default_args,				\
		 default: __kmem_cache_create)(__name, __size, __args, __VA_ARGS__)
#define __KMEM_CACHE_CREATE_PICK(_1, _2, _3, _4, _5, _6, NAME, ...) NAME
#define kmem_cache_create(...)							\
	__KMEM_CACHE_CREATE_PICK(__VA_ARGS__, kmem_cache_create_ldd3,		\
				 __kmem_cache_create_typed, __kmem_cache_create_typed, \
				 kmem_cache_create_needs_four_or_more_arguments, ,)(__VA_ARGS__)

/* KMEM_CACHE(struct foo, flags): a cache named "foo" for struct foo. */
#define KMEM_CACHE(__struct, __flags)						\
	__kmem_cache_create_args(#__struct, sizeof(struct __struct),		\
		&(struct kmem_cache_args) { .align = __alignof__(struct __struct) }, \
		(__flags))
#define KMEM_CACHE_USERCOPY(__struct, __flags, __field)			\
	__kmem_cache_create_args(#__struct, sizeof(struct __struct),		\
		&(struct kmem_cache_args) {					\
			.align = __alignof__(struct __struct),			\
			.useroffset = offsetof(struct __struct, __field),	\
			.usersize = sizeof(((struct __struct *)0)->__field),	\
		}, (__flags))

/*
 * ---- Objects ----
 */
UKMEM_API_BEGIN
/**
 * kmem_cache_alloc - allocate an object
 * @s: the cache
 * @flags: GFP_*; __GFP_ZERO zeroes the object
 *
 * Returns an object in constructed state (the constructor ran when its
 * slab was made, not now), or NULL.  Sleeps only if @flags allow and the
 * page allocator must reclaim.
 */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags) __malloc;
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node) __malloc;
/**
 * kmem_cache_free - return an object to its cache
 * @s: the cache it came from
 * @x: the object
 *
 * Never sleeps.  Cheap checks always run: a pointer that is not the start
 * of an object, an object of another cache (freed to its own after a WARN,
 * as the kernel does), the object just freed on this CPU (a double free):
 * each is reported in the kernel's format and the object is left alone.
 */
void kmem_cache_free(struct kmem_cache *s, void *x);
/* All @nr or none: returns @nr, or 0 having freed what it got. */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t nr, void **p);
/* @s NULL: each object goes to its own cache (kfree_bulk). */
void kmem_cache_free_bulk(struct kmem_cache *s, size_t nr, void **p);

/*
 * Prefilled sheaves (v6.18): objects set aside beforehand, so that later
 * allocations from them cannot fail (the maple tree reserves its nodes
 * this way).  kmem_cache_prefill_sheaf() returns a sheaf of at least @size
 * objects (a full one of the cache's sheaf_capacity when @size fits in
 * it), or NULL; kmem_cache_alloc_from_sheaf() pops one (NULL when it is
 * empty; __GFP_ZERO zeroes it); kmem_cache_refill_sheaf() makes it hold
 * @size again (0, -ENOMEM, -EINVAL for no sheaf; the sheaf may be
 * replaced by a larger one); kmem_cache_return_sheaf() gives back the
 * sheaf and what is left in it.
 */
struct slab_sheaf;
struct slab_sheaf *kmem_cache_prefill_sheaf(struct kmem_cache *s, gfp_t gfp, unsigned int size);
int kmem_cache_refill_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf **sheafp,
			    unsigned int size);
void kmem_cache_return_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf *sheaf);
void *kmem_cache_alloc_from_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf *sheaf)
	__malloc;
unsigned int kmem_cache_sheaf_size(struct slab_sheaf *sheaf);
UKMEM_API_END
#define kmem_cache_alloc_from_sheaf_noprof	kmem_cache_alloc_from_sheaf

static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags)
{
	return kmem_cache_alloc(s, flags | __GFP_ZERO);
}
static inline void *kmem_cache_alloc_lru(struct kmem_cache *s, struct list_lru *lru, gfp_t flags)
{
	(void)lru;
	return kmem_cache_alloc(s, flags);
}
static inline void kfree_bulk(size_t nr, void **p)
{
	kmem_cache_free_bulk(NULL, nr, p);
}
/* v6.10+ allocation-profiling names. */
#define kmem_cache_alloc_noprof		kmem_cache_alloc
#define kmem_cache_alloc_node_noprof	kmem_cache_alloc_node
#define kmem_cache_alloc_bulk_noprof	kmem_cache_alloc_bulk
#define kmem_cache_alloc_lru_noprof	kmem_cache_alloc_lru

/*
 * ---- kmalloc ----
 */
UKMEM_API_BEGIN
/* Any size: a size class, the page allocator above 8 KiB, NULL above 4 MiB. */
void *__kmalloc(size_t size, gfp_t flags) __malloc __alloc_size(1);
void *__kmalloc_node(size_t size, gfp_t flags, int node) __malloc __alloc_size(1);
void *__kmalloc_track_caller(size_t size, gfp_t flags, unsigned long caller) __malloc __alloc_size(1);
/* From a known kmalloc cache (the constant-size path of kmalloc()). */
void *__kmalloc_cache(struct kmem_cache *s, gfp_t flags, size_t size) __malloc __alloc_size(3);
void *__kmalloc_cache_node(struct kmem_cache *s, gfp_t flags, int node, size_t size)
	__malloc __alloc_size(4);
/* Straight from the page allocator, as a compound page, accounted as slab. */
void *kmalloc_large(size_t size, gfp_t flags) __malloc __alloc_size(1);
void *kmalloc_large_node(size_t size, gfp_t flags, int node) __malloc __alloc_size(1);
/**
 * kfree - free memory from kmalloc() and friends
 * @x: the pointer; NULL and ZERO_SIZE_PTR do nothing
 *
 * Never sleeps.  A pointer that is no kmalloc allocation is reported
 * (WARN, or the slab reports of kmem_cache_free) and left alone.
 */
void kfree(const void *x);
/* Zero the whole usable size, then free (was kzfree() until v5.9). */
void kfree_sensitive(const void *x);
/*
 * kmalloc_nolock - kmalloc from any context, never waiting (v6.18)
 * @size: at most KMALLOC_MAX_CACHE_SIZE (larger: NULL)
 * @gfp_flags: only __GFP_ZERO, __GFP_ACCOUNT, __GFP_NO_OBJ_EXT
 * @node: NUMA_NO_NODE or a node
 *
 * Safe where no lock may be waited for: a signal handler that interrupted
 * the allocator on its own thread, a callback under an allocator lock.
 * Every lock is only tried, so it fails (NULL) rather than wait.  Free
 * with kfree_nolock() (or kfree() where waiting is allowed).
 */
void *kmalloc_nolock(size_t size, gfp_t gfp_flags, int node) __malloc __alloc_size(1);
/* kfree() from any context: what cannot be freed now is freed by the lock's next holder. */
void kfree_nolock(const void *x);
/* The usable size: the size class for slab objects, the pages for large ones. */
size_t ksize(const void *objp);
/* What kmalloc(size) really gives: the class size, or whole pages above 8 KiB. */
size_t kmalloc_size_roundup(size_t size);
/**
 * krealloc - resize a kmalloc allocation
 * @p: the allocation, or NULL/ZERO_SIZE_PTR (then like kmalloc)
 * @new_size: 0 frees @p and returns ZERO_SIZE_PTR
 * @flags: GFP_*
 *
 * v6.x semantics: if @new_size fits in ksize(@p), @p is returned as it is
 * (with __GFP_ZERO the bytes after @new_size are zeroed); otherwise a new
 * allocation gets ksize(@p) bytes copied and @p is freed.  On failure NULL
 * is returned and @p is untouched.
 */
void *krealloc(const void *p, size_t new_size, gfp_t flags) __realloc_size(2);
/**
 * krealloc_node_align - krealloc() with an alignment and a node (v6.17+)
 * @p: as for krealloc()
 * @new_size: as for krealloc()
 * @align: a power of two; @p is kept only if aligned to it.  A new block
 *	gets kmalloc's alignment (its size's power of two, at least 8), which
 *	is all the kernel honours too
 * @flags: GFP_*
 * @nid: a new block comes from this node (NUMA_NO_NODE: any).  @p, if it
 *	still fits, is kept wherever it lies unless @flags has
 *	__GFP_THISNODE, which moves it to @nid.
 *
 * krealloc_node(p, size, flags, nid) is the form with @align 1.
 */
void *krealloc_node_align(const void *p, size_t new_size, unsigned long align, gfp_t flags,
			  int nid) __realloc_size(2);
#define krealloc_node(p, new_size, flags, nid)	krealloc_node_align(p, new_size, 1, flags, nid)
#define krealloc_node_align_noprof		krealloc_node_align
void *kmemdup(const void *src, size_t len, gfp_t gfp) __realloc_size(2);
char *kmemdup_nul(const char *s, size_t len, gfp_t gfp);
char *kstrdup(const char *s, gfp_t gfp) __malloc;
char *kstrndup(const char *s, size_t max, gfp_t gfp);
const char *kstrdup_const(const char *s, gfp_t gfp);
void kfree_const(const void *x);
/**
 * kvmalloc_node - kmalloc, falling back to other memory for large sizes
 *
 * Tries kmalloc (quietly and without retrying above PAGE_SIZE); if that
 * fails and @flags may sleep, falls back to vmalloc with the caller's
 * full effort.  Free with kvfree().
 */
void *kvmalloc_node(size_t size, gfp_t flags, int node) __alloc_size(1);
void kvfree(const void *addr);
/* kvfree() that gives vmalloc memory back with vfree_atomic() (any context but NMI). */
void kvfree_atomic(const void *addr);
void kvfree_sensitive(const void *addr, size_t len);
/*
 * kvrealloc - resize a kvmalloc'ed block (v6.12+ arguments): krealloc for a
 * slab or page block, falling back to kvmalloc and a copy; vrealloc() for
 * a vmalloc'ed one.  NULL on failure, @p untouched.
 */
void *kvrealloc(const void *p, size_t size, gfp_t flags) __realloc_size(2);
/* v6.17+: @align and @nid as for krealloc_node_align() and vrealloc_node_align(). */
void *kvrealloc_node_align(const void *p, size_t size, unsigned long align, gfp_t flags,
			   int nid) __realloc_size(2);
#define kvrealloc_node(p, size, flags, nid)	kvrealloc_node_align(p, size, 1, flags, nid)
/* v6.17+: kvmalloc_node() whose vmalloc fallback is aligned to @align. */
void *kvmalloc_node_align(size_t size, unsigned long align, gfp_t flags, int node)
	__alloc_size(1);
/* kvmemdup - kmemdup() into kvmalloc'ed memory; free with kvfree(). */
void *kvmemdup(const void *src, size_t len, gfp_t gfp) __alloc_size(2);

/*
 * kmem_buckets_create - caches "@name-8" ... "@name-8k" (no merging, with
 * @flags, the usercopy window clipped to each size, and @ctor), for
 * kmem_buckets_alloc().  NULL on failure.  Free the objects with kfree();
 * the buckets last as long as the program (the kernel has no destroy).
 */
kmem_buckets *kmem_buckets_create(const char *name, slab_flags_t flags, unsigned int useroffset,
				  unsigned int usersize, void (*ctor)(void *));
void *__kmem_buckets_alloc(kmem_buckets *b, size_t size, gfp_t flags, int node,
			   unsigned long caller) __alloc_size(2);
void *__kmem_buckets_valloc(kmem_buckets *b, size_t size, gfp_t flags, int node)
	__alloc_size(2);
/* Where a slab object came from, continuing the caller's line: see mm/slub_report.c. */
bool kmem_dump_obj(void *object);
UKMEM_API_END

/*
 * kvfree_rcu_barrier_on_cache - wait until every kfree_rcu()'d object of
 * @s is freed (v6.19; before destroying @s).  Here it waits for all of
 * them, of every cache: the same guarantee for @s, at most later.
 */
static inline void kvfree_rcu_barrier_on_cache(struct kmem_cache *s)
{
	(void)s;
	kvfree_rcu_barrier();
}

/* Charging an object to a memory cgroup (v6.13+): there are no memcgs, so always done. */
static inline bool kmem_cache_charge(void *objp, gfp_t gfpflags)
{
	(void)objp;
	(void)gfpflags;
	return true;
}

#define kmem_buckets_alloc(b, size, flags) \
	__kmem_buckets_alloc(b, size, flags, NUMA_NO_NODE, (unsigned long)__builtin_return_address(0))
#define kmem_buckets_alloc_track_caller(b, size, flags) \
	__kmem_buckets_alloc(b, size, flags, NUMA_NO_NODE, (unsigned long)__builtin_return_address(0))
#define kmem_buckets_alloc_node_track_caller(b, size, flags, node) \
	__kmem_buckets_alloc(b, size, flags, node, (unsigned long)__builtin_return_address(0))
/* kvmalloc() from @b: its buckets first, then vmalloc. */
#define kmem_buckets_valloc(b, size, flags)	__kmem_buckets_valloc(b, size, flags, NUMA_NO_NODE)

/*
 * kmemdup_array - duplicate @count elements of @element_size bytes; NULL if
 * the size overflows (it saturates, and kmalloc refuses SIZE_MAX).
 */
static inline __realloc_size(2, 3) void *kmemdup_array(const void *src, size_t count,
							size_t element_size, gfp_t gfp)
{
	return kmemdup(src, size_mul(element_size, count), gfp);
}

/*
 * Which kmalloc cache a size lands in: index n is the 2^n-byte class,
 * index 1 is kmalloc-96 and 2 is kmalloc-192 (mm/slab_common.c's table at
 * run time, this function for constant sizes).
 */
static __always_inline unsigned int __kmalloc_index(size_t size, bool size_is_constant)
{
	(void)size_is_constant;	/* the kernel's BUILD_BUG for constants: see kmalloc's checks */
	if (!size)
		return 0;
	if (size <= KMALLOC_MIN_SIZE)
		return KMALLOC_SHIFT_LOW;
	if (KMALLOC_MIN_SIZE <= 32 && size > 64 && size <= 96)
		return 1;
	if (KMALLOC_MIN_SIZE <= 64 && size > 128 && size <= 192)
		return 2;
	if (size <= 8) return 3;
	if (size <= 16) return 4;
	if (size <= 32) return 5;
	if (size <= 64) return 6;
	if (size <= 128) return 7;
	if (size <= 256) return 8;
	if (size <= 512) return 9;
	if (size <= 1024) return 10;
	if (size <= 2 * 1024) return 11;
	if (size <= 4 * 1024) return 12;
	if (size <= 8 * 1024) return 13;
	if (size <= 16 * 1024) return 14;
	if (size <= 32 * 1024) return 15;
	if (size <= 64 * 1024) return 16;
	if (size <= 128 * 1024) return 17;
	if (size <= 256 * 1024) return 18;
	if (size <= 512 * 1024) return 19;
	if (size <= 1024 * 1024) return 20;
	if (size <= 2 * 1024 * 1024) return 21;
	return (unsigned int)-1;
}
#define kmalloc_index(s) __kmalloc_index(s, true)

/* DMA > RECLAIM > NORMAL; __GFP_ACCOUNT is NORMAL without memcgs. */
static __always_inline enum kmalloc_cache_type kmalloc_type(gfp_t flags)
{
	if (likely(!(flags & (__GFP_DMA | __GFP_RECLAIMABLE))))
		return KMALLOC_NORMAL;
	if (flags & __GFP_DMA)
		return KMALLOC_DMA;
	return KMALLOC_RECLAIM;
}

/*
 * A constant size above KMALLOC_MAX_SIZE builds, as in today's kernel,
 * and fails at run time: kmalloc_large() asks the page allocator for an
 * order above MAX_PAGE_ORDER, which warns (unless __GFP_NOWARN) and
 * returns NULL.  (The 2.6 kernel made it a link error through an
 * undefined __you_cannot_kmalloc_that_much(); code written for a current
 * kernel may name such a size on purpose, to test the failure.)
 */

/**
 * kmalloc - allocate memory
 * @size: bytes; 0 gives ZERO_SIZE_PTR
 * @flags: GFP_KERNEL (may sleep), GFP_ATOMIC (never sleeps), GFP_DMA for
 *	dma-kmalloc-*, __GFP_RECLAIMABLE for kmalloc-rcl-*, __GFP_ZERO ...
 *
 * Returns memory aligned to ARCH_KMALLOC_MINALIGN (8), and to the size
 * itself for power-of-two sizes up to 8 KiB; above 8 KiB, whole pages.
 */
static __always_inline __malloc __alloc_size(1) void *kmalloc(size_t size, gfp_t flags)
{
	if (__builtin_constant_p(size) && size) {
		unsigned int index;

		if (size > KMALLOC_MAX_CACHE_SIZE)
			return kmalloc_large(size, flags);
		index = kmalloc_index(size);
		return __kmalloc_cache(kmalloc_caches[kmalloc_type(flags)][index], flags, size);
	}
	return __kmalloc(size, flags);
}

static __always_inline __malloc __alloc_size(1) void *kmalloc_node(size_t size, gfp_t flags,
								   int node)
{
	if (__builtin_constant_p(size) && size) {
		unsigned int index;

		if (size > KMALLOC_MAX_CACHE_SIZE)
			return kmalloc_large_node(size, flags, node);
		index = kmalloc_index(size);
		return __kmalloc_cache_node(kmalloc_caches[kmalloc_type(flags)][index],
					    flags, node, size);
	}
	return __kmalloc_node(size, flags, node);
}

static __always_inline __malloc __alloc_size(1) void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

static inline __alloc_size(1) void *kzalloc_node(size_t size, gfp_t flags, int node)
{
	return kmalloc_node(size, flags | __GFP_ZERO, node);
}

/* n * size, or NULL if the product overflows. */
static inline __alloc_size(1, 2) void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return kmalloc(bytes, flags);
}

static inline __alloc_size(1, 2) void *kmalloc_array_node(size_t n, size_t size, gfp_t flags,
							  int node)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return kmalloc_node(bytes, flags, node);
}

static inline __alloc_size(1, 2) void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

static inline __alloc_size(1, 2) void *kcalloc_node(size_t n, size_t size, gfp_t flags, int node)
{
	return kmalloc_array_node(n, size, flags | __GFP_ZERO, node);
}

static inline __realloc_size(2, 3) void *krealloc_array(void *p, size_t new_n, size_t new_size,
						      gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(new_n, new_size, &bytes)))
		return NULL;
	return krealloc(p, bytes, flags);
}

#define kmalloc_track_caller(size, flags) \
	__kmalloc_track_caller(size, flags, (unsigned long)__builtin_return_address(0))
#define kmalloc_nolock_noprof	kmalloc_nolock
/* The caller is recorded (owner tracks, kmemleak), as kmalloc_track_caller() records it. */
#define kmalloc_node_track_caller(size, flags, node) \
	__kmem_buckets_alloc(NULL, size, flags, node, (unsigned long)__builtin_return_address(0))
/* v6.1 .. v6.9 names of the constant-size path, and older ones. */
#define kmalloc_trace(s, flags, size)			__kmalloc_cache(s, flags, size)
#define kmalloc_node_trace(s, flags, node, size)	__kmalloc_cache_node(s, flags, node, size)
#define kmem_cache_alloc_trace(s, flags, size)		__kmalloc_cache(s, flags, size)
#define kmalloc_noprof			kmalloc
#define kzalloc_noprof			kzalloc
#define kzalloc_node_noprof		kzalloc_node
#define kmalloc_array_noprof		kmalloc_array
#define kmalloc_array_node_noprof	kmalloc_array_node
#define kcalloc_noprof			kcalloc
#define kcalloc_node_noprof		kcalloc_node
#define krealloc_noprof			krealloc
#define krealloc_array_noprof		krealloc_array
#define kmemdup_noprof			kmemdup
#define kvmalloc_array_noprof		kvmalloc_array
#define kvrealloc_noprof		kvrealloc
#define kvrealloc_node_align_noprof	kvrealloc_node_align
#define kmalloc_node_noprof		kmalloc_node
#define __kmalloc_noprof		__kmalloc
#define kmalloc_large_noprof		kmalloc_large
#define kmalloc_large_node_noprof	kmalloc_large_node
#define krealloc_node_noprof		krealloc_node
#define kmalloc_track_caller_noprof	kmalloc_track_caller
#define kvmalloc_node_align_noprof	kvmalloc_node_align
/* v6.10+: kmalloc_track_caller()'s out-of-line call with a node and the caller. */
static inline __alloc_size(1) void *kmalloc_node_track_caller_noprof(size_t size, gfp_t flags,
								     int node, unsigned long caller)
{
	return __kmem_buckets_alloc(NULL, size, flags, node, caller);
}
/* v6.10+: the constant-size path's names (kmalloc() calls them for a known size). */
#define __kmalloc_cache_noprof		__kmalloc_cache
#define __kmalloc_cache_node_noprof	__kmalloc_cache_node
#define kzfree				kfree_sensitive	/* renamed in v5.9 */

static inline __alloc_size(1) void *kvmalloc(size_t size, gfp_t flags)
{
	return kvmalloc_node(size, flags, NUMA_NO_NODE);
}
static inline __alloc_size(1) void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc_node(size, flags | __GFP_ZERO, NUMA_NO_NODE);
}
static inline __alloc_size(1) void *kvzalloc_node(size_t size, gfp_t flags, int node)
{
	return kvmalloc_node(size, flags | __GFP_ZERO, node);
}
static inline __alloc_size(1, 2) void *kvmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return kvmalloc(bytes, flags);
}
static inline __alloc_size(1, 2) void *kvcalloc(size_t n, size_t size, gfp_t flags)
{
	return kvmalloc_array(n, size, flags | __GFP_ZERO);
}
/* v6.12+ node forms: NULL if n * size overflows. */
static inline __alloc_size(1, 2) void *kvmalloc_array_node(size_t n, size_t size, gfp_t flags,
							   int node)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return kvmalloc_node(bytes, flags, node);
}
static inline __alloc_size(1, 2) void *kvcalloc_node(size_t n, size_t size, gfp_t flags, int node)
{
	return kvmalloc_array_node(n, size, flags | __GFP_ZERO, node);
}
#define kvmalloc_node_noprof		kvmalloc_node
#define kvmalloc_array_node_noprof	kvmalloc_array_node
#define kvmalloc_noprof			kvmalloc
#define kvcalloc_noprof			kvcalloc
#define kvcalloc_node_noprof		kvcalloc_node

/*
 * Typed allocations (v7.0, the kernel's kmalloc_obj() family): the size
 * comes from the type, and the result has that type, so the compiler
 * checks the assignment.  @VAR_OR_TYPE is a type or an expression of it
 * (*p for "what p points to"); the gfp argument is optional and defaults
 * to GFP_KERNEL (default_gfp(), linux/gfp.h).
 *
 *	struct foo *f = kzalloc_obj(*f);
 *	u32 *v = kmalloc_objs(*v, n, GFP_ATOMIC);
 *	struct msg *m = kmalloc_flex(*m, data, len);
 *
 * _objs sizes @COUNT elements with size_mul() and _flex the struct plus
 * @COUNT elements of its flexible array @FAM with struct_size_t(): an
 * overflow saturates to SIZE_MAX, so the allocation fails (NULL) instead
 * of coming back short.  _flex also stores @COUNT in the array's
 * __counted_by() counter where the compiler names it (__set_flex_counter),
 * and fails, with a warning, a @COUNT that counter cannot hold.
 */
#define __alloc_objs(ALLOC, GFP, TYPE, COUNT) ({					\
	const size_t __ao_size = size_mul(sizeof(TYPE), (COUNT));			\
	(TYPE *)ALLOC(__ao_size, GFP);							\
})
#define __alloc_flex(ALLOC, GFP, TYPE, FAM, COUNT) ({					\
	const size_t __af_count = (COUNT);						\
	TYPE *__af_obj = NULL;								\
	if (!WARN_ON_ONCE(overflows_flex_counter_type(TYPE, FAM, __af_count))) {	\
		__af_obj = ALLOC(struct_size_t(TYPE, FAM, __af_count), GFP);		\
		if (__af_obj)								\
			__set_flex_counter(__af_obj->FAM, __af_count);			\
	}										\
	__af_obj;									\
})
#define kmalloc_obj(VAR_OR_TYPE, ...)							\
	__alloc_objs(kmalloc, default_gfp(__VA_ARGS__), __typeof__(VAR_OR_TYPE), 1)
#define kmalloc_objs(VAR_OR_TYPE, COUNT, ...)						\
	__alloc_objs(kmalloc, default_gfp(__VA_ARGS__), __typeof__(VAR_OR_TYPE), COUNT)
#define kmalloc_flex(VAR_OR_TYPE, FAM, COUNT, ...)					\
	__alloc_flex(kmalloc, default_gfp(__VA_ARGS__), __typeof__(VAR_OR_TYPE), FAM, COUNT)
#define kzalloc_obj(VAR_OR_TYPE, ...)							\
	__alloc_objs(kzalloc, default_gfp(__VA_ARGS__), __typeof__(VAR_OR_TYPE), 1)
#define kzalloc_objs(VAR_OR_TYPE, COUNT, ...)						\
	__alloc_objs(kzalloc, default_gfp(__VA_ARGS__), __typeof__(VAR_OR_TYPE), COUNT)
#define kzalloc_flex(VAR_OR_TYPE, FAM, COUNT, ...)					\
	__alloc_flex(kzalloc, default_gfp(__VA_ARGS__), __typeof__(VAR_OR_TYPE), FAM, COUNT)
#define kvmalloc_obj(VAR_OR_TYPE, ...)							\
	__alloc_objs(kvmalloc, default_gfp(__VA_ARGS__), __typeof__(VAR_OR_TYPE), 1)
#define kvmalloc_objs(VAR_OR_TYPE, COUNT, ...)						\
	__alloc_objs(kvmalloc, default_gfp(__VA_ARGS__), __typeof__(VAR_OR_TYPE), COUNT)
#define kvmalloc_flex(VAR_OR_TYPE, FAM, COUNT, ...)					\
	__alloc_flex(kvmalloc, default_gfp(__VA_ARGS__), __typeof__(VAR_OR_TYPE), FAM, COUNT)
#define kvzalloc_obj(VAR_OR_TYPE, ...)							\
	__alloc_objs(kvzalloc, default_gfp(__VA_ARGS__), __typeof__(VAR_OR_TYPE), 1)
#define kvzalloc_objs(VAR_OR_TYPE, COUNT, ...)						\
	__alloc_objs(kvzalloc, default_gfp(__VA_ARGS__), __typeof__(VAR_OR_TYPE), COUNT)
#define kvzalloc_flex(VAR_OR_TYPE, FAM, COUNT, ...)					\
	__alloc_flex(kvzalloc, default_gfp(__VA_ARGS__), __typeof__(VAR_OR_TYPE), FAM, COUNT)

/*
 * ---- Compatibility with LDD3-era (2.6.10 .. 2.6.22) code ----
 *
 * What changed since, and what ukmem does with the old names:
 *  - kmem_cache_t: a typedef of struct kmem_cache until v2.6.23 (kept).
 *  - kmem_cache_create() had six arguments: (name, size, offset, flags,
 *    ctor, dtor).  "offset" became "align" (same meaning in practice).  The
 *    destructor was removed in v2.6.23 (commit 20c2df83); here it still
 *    runs on every object of a slab before the slab's pages go back.  The
 *    constructor took (void *obj, kmem_cache_t *cache, unsigned long flags)
 *    until v2.6.24 reordered it and v2.6.27 reduced it to (void *obj).
 *    Old-style constructors receive SLAB_CTOR_CONSTRUCTOR, plus
 *    SLAB_CTOR_ATOMIC when the allocation that made the slab could not
 *    sleep, as 2.6's SLAB passed them; destructors receive 0.
 *  - SLAB_NO_REAP ("never reap this cache"): no effect since 2.6.early,
 *    removed in v2.6.20; 0 here.
 *  - SLAB_CTOR_CONSTRUCTOR / SLAB_CTOR_ATOMIC / SLAB_CTOR_VERIFY were
 *    constructor arguments, removed in v2.6.22/23; passed in a cache's
 *    flags (a common mistake) they are ignored by the six-argument form.
 *  - kmem_cache_destroy() returned int (0: destroyed) until v2.6.19; it is
 *    void here, as since.
 *  - kmem_cache_name() was removed in v2.6.38; kept.
 */
typedef struct kmem_cache kmem_cache_t;
#define SLAB_NO_REAP		((slab_flags_t)0)
#define SLAB_CTOR_CONSTRUCTOR	0x001UL
#define SLAB_CTOR_ATOMIC	0x002UL
#define SLAB_CTOR_VERIFY	0x004UL
/* 2.4-era allocation flag aliases, removed in v2.6.20. */
#define SLAB_KERNEL		GFP_KERNEL
#define SLAB_ATOMIC		GFP_ATOMIC
#define SLAB_NOFS		GFP_NOFS
#define SLAB_NOIO		GFP_NOIO
#define SLAB_DMA		GFP_DMA

UKMEM_API_BEGIN
struct kmem_cache *kmem_cache_create_ldd3(const char *name, size_t size, size_t offset,
					  unsigned long flags,
					  void (*ctor)(void *, kmem_cache_t *, unsigned long),
					  void (*dtor)(void *, kmem_cache_t *, unsigned long));
UKMEM_API_END

/* __free() cleanups (linux/cleanup.h): error pointers are left alone, as NULL. */
DEFINE_FREE(kfree, void *, if (!IS_ERR_OR_NULL(_T)) kfree(_T))
DEFINE_FREE(kvfree, void *, if (!IS_ERR_OR_NULL(_T)) kvfree(_T))
DEFINE_FREE(kfree_sensitive, void *, if (_T) kfree_sensitive(_T))
DEFINE_FREE(kmem_cache_destroy, struct kmem_cache *, if (!IS_ERR_OR_NULL(_T)) kmem_cache_destroy(_T))

UKMEM_C_END

#endif /* _LINUX_SLAB_H */
