/* SPDX-License-Identifier: MIT */
/*
 * mm/slub_harden.c - the slab allocator's hardening, and what it tells the
 * tools that watch memory (the kernel's CONFIG_SLAB_FREELIST_HARDENED,
 * CONFIG_SLAB_FREELIST_RANDOM, init_on_alloc/init_on_free from
 * mm/page_alloc.c and mm/slab.h, and the KASAN hooks of mm/slub.c, here
 * for ASan and valgrind's memcheck).
 *
 *   freelist pointers   encoded with a per-cache key (mm/slab.h
 *                       freelist_ptr), checked before they are followed
 *                       (freechain_corrupt reports and cuts the chain)
 *   freelist order      a per-cache shuffled sequence, from a random place
 *                       for each new slab (slab_freelist_random=1)
 *   init_on_alloc=1     every allocation zeroed (not for constructed or
 *                       poisoned caches), pages too (mm/page_alloc.c);
 *                       a kmalloc object only as far as it was asked for
 *                       where slub_debug keeps that size (orig_size)
 *   init_on_free=1      every free zeroes the object first; the free
 *                       pointer a freelist then writes into it is wiped
 *                       when it leaves the freelist (mm/slub.c)
 *   the tools           valgrind's memcheck and a program's ASan see each
 *                       object as a heap block of the size asked for
 *                       (mm/sanitizers.c); an ASan build of the library
 *                       poisons free objects, allocated ones not
 *   kmemleak=on         every object tracked from its allocation to its
 *                       free (mm/kmemleak.c)
 *
 * None of it costs the fast paths a thing when off: they already test the
 * gfp for __GFP_ZERO against slab_fast.alloc_hook_gfp, and the free path
 * already compares a pfn with slab_fast.ram_pfns; init_on_alloc, init_on_free
 * and valgrind widen the first and zero the second, so that their work is
 * done on the way out (slab_post_alloc_hook, slab_free_obj), and the
 * tools send every allocation through the slow path besides, where the
 * size asked for is known; kmemleak=on takes the same hooks.  An ASan
 * build of the library has the hooks compiled in.
 */
#include <string.h>

#include <linux/slab.h>
#include <linux/mm.h>
#include "arch/host.h"
#include "mm/slab.h"

/* Boot parameters (kernel/params.c). */
bool init_on_alloc;		/* CONFIG_INIT_ON_ALLOC_DEFAULT_ON=n */
bool init_on_free;		/* CONFIG_INIT_ON_FREE_DEFAULT_ON=n */
bool slab_freelist_random;	/* ukmem: off by default, see docs/slab_debug.md */

bool slab_free_hooks_active;	/* init_on_free or valgrind: frees go through slab_free_obj */

/* ---- random numbers ---- */

unsigned long slab_get_random_long(void)
{
	unsigned long v;

	do
		v = (unsigned long)arch_random_u64();
	while (!v);
	return v;
}


/* ---- CONFIG_SLAB_FREELIST_RANDOM ---- */

/*
 * The cache's sequence: a Fisher-Yates shuffle of 0 .. objects-1 at the
 * preferred order, made with the first slab (the boot caches exist before
 * memory does).  From the page allocator: this is the allocator's own
 * metadata.  Lost races and failures leave address order.
 */
static noinline bool init_cache_random_seq(struct kmem_cache *s)
{
	unsigned int n = oo_objects(s->oo), i, *seq, *none = NULL;

	if (n < 2)
		return false;
	seq = alloc_pages_exact(n * sizeof(*seq), GFP_ATOMIC | __GFP_NOWARN);
	if (!seq) {
		pr_err_once("SLUB: Unable to initialize free list for %s\n", s->name);
		return false;
	}
	for (i = 0; i < n; i++)
		seq[i] = i;
	for (i = n - 1; i > 0; i--) {
		unsigned int j = (unsigned int)(((u64)ukmem_random_u32() * (i + 1)) >> 32), t;

		t = seq[i];
		seq[i] = seq[j];
		seq[j] = t;
	}
	s->random_seq_len = n;
	if (!__atomic_compare_exchange_n(&s->random_seq, &none, seq, false, __ATOMIC_RELEASE,
					 __ATOMIC_ACQUIRE))
		free_pages_exact(seq, n * sizeof(*seq));
	return true;
}

void free_random_seq(struct kmem_cache *s)
{
	if (s->random_seq)
		free_pages_exact(s->random_seq, s->random_seq_len * sizeof(*s->random_seq));
	s->random_seq = NULL;
	s->random_seq_len = 0;
}

/*
 * Link a new slab's objects in the cache's shuffled order, from a random
 * place in it; indexes past this slab's objects (a slab of the fallback
 * order holds fewer) are skipped.
 */
bool shuffle_freelist(struct kmem_cache *s, struct slab *slab)
{
	unsigned int *seq = __atomic_load_n(&s->random_seq, __ATOMIC_ACQUIRE);
	unsigned int len, pos, i, n = slab->objects;
	char *start = slab->s_mem, *prev = NULL;

	if (!seq) {
		if (n < 2 || !init_cache_random_seq(s))
			return false;
		seq = __atomic_load_n(&s->random_seq, __ATOMIC_ACQUIRE);
	}
	len = s->random_seq_len;
	pos = ukmem_random_u32() % len;
	for (i = 0; i < len; i++) {
		unsigned int idx = seq[(pos + i) % len];
		char *p = start + (size_t)idx * s->size;

		if (idx >= n)
			continue;
		if (prev)
			set_freepointer(s, prev, p);
		else
			slab->freelist = p;
		prev = p;
	}
	set_freepointer(s, prev, NULL);
	return true;
}

/* ---- CONFIG_SLAB_FREELIST_HARDENED ---- */

/*
 * The free pointer stored in @object decodes to no object of @slab: a
 * use-after-free write, an overflow from the object before, or a forged
 * pointer.  Report it, end the chain at @object (the objects after it are
 * lost, and their slab can never be freed: isolated, as the kernel's
 * freelist_corrupted() does), and hand back NULL.  list_lock held.
 */
void *freechain_corrupt(struct kmem_cache *s, struct slab *slab, void *object)
{
	object_err(s, slab, object, "Freechain corrupt");
	set_freepointer(s, object, NULL);
	slab->inuse = slab->objects;
	slab_fix(s, "Isolate corrupted freechain");
	return NULL;
}

/* ---- the allocation and free hooks ---- */

/*
 * Zeroing covers what the caller asked for: object_size, or on a kmalloc
 * cache that keeps the requested size (SLAB_STORE_USER) only that much,
 * since the rest is red zone the free path checks (the kernel's
 * slab_post_alloc_hook).  A kmalloc cache without that record zeroes all
 * of object_size, so that a later krealloc() in place with __GFP_ZERO
 * finds its spare bytes already zero.  Under a tool the object is opened
 * for that, then handed to the tool as a block of @size bytes (a
 * constructed object's bytes count as written).
 */
void *slab_post_alloc_hook(struct kmem_cache *s, void *object, gfp_t gfp, unsigned int size)
{
	bool zero = slab_want_init_on_alloc(gfp, s);
	unsigned int osize = READ_ONCE(s->object_size);	/* an alias may raise it */

	if (SLAB_ASAN || slab_tools_active)
		slab_meta_open(object, osize);
	if (zero)
		memset(object, 0, get_orig_size(s, object));
	if (slab_tools_active)
		tool_alloc_block(object, size ?: osize, osize, zero || s->ctor || s->ctor_ldd3);
	if (unlikely(kmemleak_enabled) && !(s->flags & SLAB_NOLEAKTRACE))
		__kmemleak_hook_alloc(object, osize);
	return object;
}

/*
 * init_on_free: everything of the slot a caller could have written
 * (ksize() may have given it the alignment padding too), and nothing the
 * debug checks read.  Without red zones that is the object up to where
 * the metadata starts (the free pointer too, when it lies there: it is
 * written again when needed) and the padding after the metadata; with
 * them, the whole object, its kmalloc red zone too, as the kernel wipes
 * object_size: a free object's checks do not read that red zone, and the
 * next allocation poisons it again from its own size, so a larger size
 * would otherwise find the old red zone's bytes (0xcc) in its data.  The
 * owner tracks and orig_size stay: the kernel clears them before its
 * debug checks record the free, here those checks have run already.
 */
void slab_free_hook(struct kmem_cache *s, void *object)
{
	unsigned int osize = READ_ONCE(s->object_size);	/* an alias may raise it */

	if (unlikely(kmemleak_enabled) && !(s->flags & SLAB_NOLEAKTRACE))
		__kmemleak_hook_free(object);
	if (slab_want_init_on_free(s)) {
		if (SLAB_ASAN || slab_tools_active)	/* closed by the debug checks, or the slack */
			slab_meta_open(object, osize);
		unsigned int meta = slab_meta_end(s), end = size_from_object(s);

		/* The slot's tail too (closed for ASan, whose memset() checks it). */
		if (slab_tools_active)
			tool_open_slot_tail((char *)object + osize, end - osize);
		if (s->flags & SLAB_RED_ZONE)
			memset(object, 0, osize);
		else
			memset(object, 0, get_info_end(s));
		if (end > meta)
			memset((char *)object + meta, 0, end - meta);
		if (slab_tools_active)
			tool_close_slot_tail((char *)object + osize, end - osize);
	}
	if (SLAB_ASAN || slab_tools_active) {
		tool_free_block(object, osize);
		/*
		 * The kernel's KASAN leaves a SLAB_TYPESAFE_BY_RCU object
		 * unpoisoned when it is freed (__kasan_slab_free's
		 * still_accessible, without SLUB_RCU_DEBUG): a reader inside
		 * rcu_read_lock() may still look at it, and must not be
		 * reported for that.
		 */
		if (slab_tools_active && (s->flags & SLAB_TYPESAFE_BY_RCU))
			slab_meta_open(object, osize);
	}
}

/*
 * At boot, before the first cache is set up (from slub_init_cpu_mode,
 * after the fast-path globals are filled in).
 */
void slab_harden_init(void)
{
	mm_tools_detect();
	/* kmemleak=on: every allocation and free takes the hooks, as with a tool. */
	kmemleak_init();
	slab_free_hooks_active = init_on_free || slab_tools_active || kmemleak_enabled;
	/* Read by every allocation, rewritten by KFENCE's gate: marked both ways. */
	WRITE_ONCE(slab_fast.alloc_hook_gfp,
		   init_on_alloc || slab_tools_active || kmemleak_enabled ? ~0UL : __GFP_ZERO);
	/* Every free then misses the fast path's range check and takes the hooks. */
	if (slab_free_hooks_active)
		slab_fast.ram_pfns = 0;
	pr_info("mem auto-init: stack:off, heap alloc:%s, heap free:%s\n",
		init_on_alloc ? "on" : "off", init_on_free ? "on" : "off");
	if (init_on_free)
		pr_info("mem auto-init: clearing system memory may take some time...\n");
	if ((init_on_alloc || init_on_free) && (slub_debug_global_flags() & SLAB_POISON))
		pr_info("mem auto-init: SLAB_POISON will take precedence over init_on_alloc/init_on_free\n");
	if (slab_tools_active)
		pr_info("SLUB: objects are heap blocks for the tools (no per-CPU stacks)\n");
}
