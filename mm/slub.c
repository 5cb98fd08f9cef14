/* SPDX-License-Identifier: MIT */
/*
 * mm/slub.c - the SLUB allocator: slabs, per-node partial lists, per-CPU
 * object caches, and the fast paths of kmem_cache_alloc/free, kmalloc and
 * kfree (the kernel's mm/slub.c, in its v6.18+ shape with "sheaves").
 *
 * Here is what an allocation or a free runs through: the slabs and their
 * lists, this CPU's stack (pop and push, inlined into the fast paths), the
 * slow paths and the entry points.  What works on every CPU's stack at
 * once (setup, flush, a remote owner's take), the barns and the fork
 * steps are in mm/slub_sheaf.c; the design below covers both files.
 *
 * Design:
 *
 * 1. A slab is a page or a compound page from the page allocator, cut into
 *    objects of s->size bytes.  Its state lives in its head struct page
 *    (struct slab, mm/slab.h): the cache, the freelist of free objects
 *    linked through a word inside each (at s->offset, through
 *    freelist_ptr()), and inuse/objects counters.  Any object address
 *    finds its slab and cache in O(1): virt_to_page, compound_head, one
 *    load.
 * 2. Every node keeps its slabs on two lists under list_lock: partial
 *    (some objects free; emptied slabs are kept up to s->min_partial, the
 *    rest go back to the page allocator) and full.
 * 3. Every CPU has a stack of free objects per cache ("sheaf": capacity
 *    120 objects for small sizes down to 6 for page-sized ones, the numbers
 *    SLUB uses for its per-CPU partial lists).  kmem_cache_alloc pops from
 *    it, kmem_cache_free pushes on it, whatever slab or CPU the object came
 *    from: a free from another CPU costs the same as a local one.  An empty
 *    stack is refilled with half its capacity from the node's barn (whole
 *    batches that full stacks gave back), else from the partial slabs, else
 *    from a new slab; a full one gives its older half to the barn, or back
 *    to the slabs when the barn is full.  Objects on the stacks and in the
 *    barns are allocated as far as their slabs know, as objects on SLUB's
 *    per-CPU freelists are (slabinfo counts them as active).
 * 4. The stacks are the only per-CPU state, and a thread may migrate at any
 *    instruction (DESIGN.md).  Two ways to own a CPU's stack, chosen once at
 *    boot (slub_init_cpu_mode):
 *    - rseq mode (x86-64 with glibc's rseq registration and membarrier):
 *      pop and push are restartable sequences (arch/rseq.h) - a handful of
 *      plain loads and one committing store, no atomic instruction;
 *    - lock mode (everything else, valgrind included, or slab_rseq=0): the
 *      stack's lock word is taken with a compare-and-swap and released.
 *    Either way the fast path never waits: a busy stack sends the caller to
 *    the slow path, which uses the node's slabs directly.  Slow paths that
 *    work on a stack for a while hold its lock word; kmem_cache_shrink,
 *    kmem_cache_destroy and fork take other CPUs' stacks with a remote
 *    token and (rseq mode) membarrier's rseq fence, one remote owner per
 *    cache at a time (s->sheaves_lock).
 * 5. Always-on checks on every free, a few instructions each: the pointer
 *    is in the memory map, its page is a slab (or a large kmalloc), the
 *    slab is the given cache's, the offset is a multiple of the object
 *    size inside the slab (one multiplication), and the object is not the
 *    one this CPU got last (the kernel's naive double-free check).  A
 *    failed check reports in the kernel's shape (mm/slub_report.c) and the
 *    object is left alone; the allocator's state is never touched.
 *
 * Lock order: slab_mutex -> s->sheaves_lock -> a CPU's stack (waited for
 * only by remote owners, never by fast paths) -> kmem_cache_node.list_lock
 * -> object_map_lock -> the page allocator's locks.  A barn's lock is taken
 * alone, for one copy.  Nothing sleeps while holding a list_lock; no
 * stack is locked across a page allocation.
 *
 * In a signal handler (in_hardirq()) list_lock is only tried: an
 * allocation then fails, a free is parked on the node's lockless list and
 * finished by the next holder of the lock, as the page allocator does
 * with zone->lock.
 */
#include <errno.h>
#include <string.h>

#include <linux/slab.h>
#include <linux/percpu.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include "arch/host.h"
#include "arch/rseq.h"
#include "kernel/locking.h"
#include "mm/kfence.h"
#include "mm/slab.h"

struct slab_fastpath_globals slab_fast __aligned(L1_CACHE_BYTES);
bool slab_rseq_disabled;

/* ---- list_lock, safe in signal handlers ---- */

static void free_slab(struct kmem_cache *s, struct slab *slab);
static __always_inline bool put_object_locked(struct kmem_cache *s, struct kmem_cache_node *n,
					      struct slab *slab, void *object,
					      struct list_head *discard);
static void add_new_slab_locked(struct kmem_cache_node *n, struct slab *slab);

/*
 * Objects and new slabs a signal handler could not hand over (it found
 * list_lock busy) wait on n->irq_deferred, a lockless stack: a new slab to
 * be listed (its address + 1, linked through slab_list.next), or a single
 * object (linked through its free-pointer word).
 *
 * The stack is newest first, and an object a handler frees may come from a
 * slab a handler made and deferred before: that slab must be on a list
 * before the object goes back, because put_object_locked() moves slabs
 * between the lists.  So the stack is taken whole and its slabs listed
 * before any object goes back; and that happens as soon as list_lock is
 * taken (node_lock) as well as before it is released (node_unlock_discard),
 * so whatever runs under list_lock finds every slab that has handed out an
 * object on partial or full, and no object in limbo (the validator reads
 * every allocated object's free pointer).  A refused object (see
 * put_object_locked) stays leaked: it was reported when it was freed the
 * first time round, here there is no one to tell.
 */
static void *take_irq_deferred(struct kmem_cache *s, struct kmem_cache_node *n)
{
	void *p = __atomic_exchange_n(&n->irq_deferred, NULL, __ATOMIC_ACQUIRE);
	void *objects = NULL;

	while (p) {
		void *next;

		if (((unsigned long)p & 1)) {
			struct slab *slab = (struct slab *)((unsigned long)p - 1);

			next = slab->slab_list.next;
			add_new_slab_locked(n, slab);
		} else {
			void **link = (void **)((char *)p + s->offset);

			slab_meta_open(link, sizeof(*link));
			next = *link;
			*link = objects;
			objects = p;
		}
		p = next;
	}
	return objects;
}

static void drain_irq_deferred(struct kmem_cache *s, struct kmem_cache_node *n,
			       struct list_head *discard);

static inline bool node_lock(struct kmem_cache *s, struct kmem_cache_node *n)
{
	/* Where only tried (spin_lock_or_try()), the caller defers to the holder. */
	if (!spin_lock_or_try(&n->list_lock))
		return false;
	if (unlikely(READ_ONCE(n->irq_deferred)))
		drain_irq_deferred(s, n, NULL);
	return true;
}

/* list_lock for the other slab files (process context, always taken), every slab listed. */
void slab_node_lock(struct kmem_cache *s, struct kmem_cache_node *n)
{
	spin_lock(&n->list_lock);
	if (unlikely(READ_ONCE(n->irq_deferred)))
		drain_irq_deferred(s, n, NULL);
}

/*
 * A debug cache's object parked by a handler keeps its free's caller in its
 * first word, for the free track; not where the bytes past a kmalloc
 * caller's size are red zone (the track then says 0x0).
 */
static inline bool irq_caller_fits(const struct kmem_cache *s)
{
	return READ_ONCE(s->object_size) >= sizeof(unsigned long) && !slub_debug_orig_size(s);
}

/*
 * Deferred slabs listed, then their objects handed back; emptied slabs go
 * to @discard, or stay on partial when there is none (right after the lock
 * was taken: shrinking frees them).  A debug cache's object gets the
 * checks, the free track and the poison here, under list_lock, as
 * free_debug() gives them.
 */
static noinline void drain_irq_deferred(struct kmem_cache *s, struct kmem_cache_node *n,
					struct list_head *discard)
{
	void *p = take_irq_deferred(s, n);

	while (p) {
		void *next = *(void **)((char *)p + s->offset);
		struct slab *slab = virt_to_slab(p);

		if (unlikely(s->flags & SLAB_DEBUG_FLAGS)) {
			unsigned long caller = 0;

			if (irq_caller_fits(s))
				memcpy(&caller, p, sizeof(caller));
			set_freepointer(s, p, NULL);	/* no longer a link: the checks read it */
			if (!free_debug_processing(s, slab, p, caller)) {
				p = next;
				continue;
			}
			if (SLAB_ASAN || unlikely(slab_free_hooks_active))
				slab_free_hook(s, p);
		}
		put_object_locked(s, n, slab, p, discard);
		p = next;
	}
}

static inline void node_unlock_discard(struct kmem_cache *s, struct kmem_cache_node *n,
				       struct list_head *discard)
{
	if (unlikely(READ_ONCE(n->irq_deferred)))
		drain_irq_deferred(s, n, discard);
	spin_unlock(&n->list_lock);
}

static void free_discarded(struct kmem_cache *s, struct list_head *discard)
{
	struct slab *slab, *next;

	list_for_each_entry_safe(slab, next, discard, slab_list)
		free_slab(s, slab);
}

/* list_lock released, then the slabs it emptied freed (mm/slub_shrink.c). */
void node_unlock_free_discarded(struct kmem_cache *s, struct kmem_cache_node *n,
				struct list_head *discard)
{
	node_unlock_discard(s, n, discard);
	free_discarded(s, discard);
}

static inline void node_unlock(struct kmem_cache *s, struct kmem_cache_node *n)
{
	LIST_HEAD(discard);

	node_unlock_discard(s, n, &discard);
	if (unlikely(!list_empty(&discard)))
		free_discarded(s, &discard);
}

/* Park an object (bit 0 clear) or a new slab (bit 0 set) for the lock holder. */
static void defer_to_node(struct kmem_cache *s, struct kmem_cache_node *n, void *p, void **link)
{
	void *head = READ_ONCE(n->irq_deferred);

	if (SLAB_ASAN || unlikely(slab_tools_active))
		slab_meta_open(link, sizeof(*link));
	do {
		*link = head;
	} while (!__atomic_compare_exchange_n(&n->irq_deferred, &head, p, false,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
}

/* ---- slab pages ---- */

/* kmalloc_fix_flags(): zone bits a slab cannot honour. */
gfp_t kmalloc_fix_flags(gfp_t flags)
{
	gfp_t invalid = flags & GFP_SLAB_BUG_MASK;

	flags &= ~GFP_SLAB_BUG_MASK;
	pr_warn("Unexpected gfp: %#x (%pGg). Fixing up to gfp: %#x (%pGg). Fix your code!\n",
		invalid, &invalid, flags, &flags);
	dump_stack();
	return flags;
}

static inline void setup_object(struct kmem_cache *s, void *object, gfp_t gfp)
{
	if (unlikely(s->flags & (SLAB_STORE_USER | SLAB_RED_ZONE | __OBJECT_POISON)))
		setup_object_debug(s, object);
	slab_construct(s, object, gfp);
}

/*
 * The slab's pages in meminfo's Slab: they count until they are freed (a
 * SLAB_TYPESAFE_BY_RCU slab's after its grace period).  Its node's
 * nr_slabs/total_objects count it only while it is on a list
 * (add_new_slab_locked and discard_slab_locked, under list_lock), so the
 * lists and the counters always agree under the lock: a fork child, which
 * inherits slabs another thread was still setting up, finds them neither
 * listed nor counted, and kmem_cache_destroy() finds a slab waiting for a
 * grace period no longer counted.
 */
static inline void account_slab_pages(struct slab *slab, int order, struct kmem_cache *s,
				      long sign)
{
	pg_data_t *pgdat = NODE_DATA(slab_nid(slab));

	atomic_long_add(sign * (long)(PAGE_SIZE << order), &pgdat->vm_stat[cache_vmstat_idx(s)]);
}

/*
 * Does a new slab of @s link its objects as they are taken (the fresh
 * objects of mm/slab.h)?  Not where something reads or writes every
 * object of a new slab anyway: debugging (poison, red zones, tracks), a
 * constructor the kernel's way (every object at once), a shuffled order
 * (shuffle_freelist() links every object, so a constructor run as each
 * object is taken would never run: every object is constructed here), or
 * a tool that watches which bytes are open.
 */
static inline bool slab_links_lazily(const struct kmem_cache *s)
{
	return !(s->flags & SLAB_DEBUG_FLAGS) && !s->ctor_ldd3 &&
	       (!s->ctor || s->ctor_when_taken) && !SLAB_ASAN && !slab_tools_active &&
	       !slab_freelist_random;
}

/*
 * A new slab: pages, then every object constructed and linked into the
 * freelist in address order (or only the first free one: fresh objects,
 * mm/slab.h).  Not on any list yet: the caller owns it.
 * With @p, its first objects (up to @max) go straight into @p and count
 * in slab->inuse: the freelist starts after them, so objects handed out at
 * once are neither linked nor followed.  (A shuffled freelist hands out
 * nothing here: inuse is 0 and the caller takes from the freelist.)
 */
static struct slab *allocate_slab(struct kmem_cache *s, gfp_t flags, int node, void **p_out,
				  unsigned int max)
{
	struct kmem_cache_order_objects oo = s->oo;
	gfp_t alloc_gfp;
	struct page *page;
	struct slab *slab;
	char *start, *p, *next;
	unsigned int idx, hand;
	bool lazy;

	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags = kmalloc_fix_flags(flags);
	WARN_ON_ONCE((s->ctor || s->ctor_ldd3) && (flags & __GFP_ZERO));
	/* new_slab(): how hard to try, and where (__GFP_THISNODE: that node or nothing). */
	flags = (flags & (GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK)) | s->allocflags;

	/* The preferred order without trying hard, then the smallest one. */
	alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	if (oo_order(oo) > oo_order(s->min) && (alloc_gfp & __GFP_DIRECT_RECLAIM))
		alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~__GFP_RECLAIM;
	page = alloc_pages_node(node, alloc_gfp, oo_order(oo));
	if (unlikely(!page)) {
		oo = s->min;
		page = alloc_pages_node(node, flags, oo_order(oo));
		if (unlikely(!page))
			return NULL;
	}
	slab = page_slab(page);
	slab->counters = 0;
	slab->objects = oo_objects(oo);
	/*
	 * The free fast path's bound.  0 for a debug cache: every free then
	 * fails the fast path's offset check and reaches slab_free_unusual(),
	 * which knows the caller, and takes the debug path from there.
	 */
	slab->obj_limit = (s->flags & SLAB_DEBUG_FLAGS) ? 0 : slab->objects * s->size;
	slab->slab_cache = s;
	INIT_LIST_HEAD(&slab->slab_list);
	__SetPageSlab(page);
	set_page_count(page, 0);	/* v7.x: slab pages are frozen (get_page() warns) */
	account_slab_pages(slab, (int)oo_order(oo), s, 1);

	if (unlikely(s->flags & SLAB_POISON))
		setup_slab_debug(s, slab);
	start = fixup_red_left(s, slab_address(slab));
	slab->s_mem = start;
	lazy = slab_links_lazily(s);
	/* Only constructors and debug caches set objects up (most caches: no loop at all). */
	if (unlikely(((s->ctor || s->ctor_ldd3) && !lazy) ||
		     (s->flags & (SLAB_STORE_USER | SLAB_RED_ZONE | __OBJECT_POISON))))
		for (idx = 0, p = start; idx < slab->objects; idx++, p += s->size)
			setup_object(s, p, flags);
	/* CONFIG_SLAB_FREELIST_RANDOM, or address order. */
	if (unlikely(slab_freelist_random) && shuffle_freelist(s, slab))
		goto out;
	hand = p_out ? min(max, (unsigned int)slab->objects) : 0;
	for (idx = 0, p = start; idx < hand; idx++, p += s->size) {
		if (lazy && s->ctor)
			s->ctor(p);
		p_out[idx] = p;
	}
	slab->inuse = idx;
	if (idx == slab->objects) {
		slab->freelist = NULL;
		goto out;
	}
	slab->freelist = p;
	if (lazy) {
		set_freepointer(s, p, p);	/* fresh from here to the end */
		goto out;
	}
	for (; idx < slab->objects - 1; idx++) {
		next = p + s->size;
		set_freepointer(s, p, next);
		p = next;
	}
	set_freepointer(s, p, NULL);
out:
	/*
	 * Under a tool no object is open until it is handed out (mm/sanitizers.c),
	 * nor the rest of its slot: the left red zone and what follows the
	 * object up to the next slot (size_from_object), never past the slab.
	 */
	if (unlikely(slab_tools_active)) {
		for (idx = 0, p = start; idx < slab->objects; idx++, p += s->size) {
			slab_meta_close(p, s->object_size);
			tool_close_slot(s, p);
		}
	}
	return slab;
}

/* Back to the page allocator, with the page's fields as it expects them. */
static void __free_slab(struct kmem_cache *s, struct slab *slab)
{
	struct page *page = slab_page(slab);
	int order = (int)slab_order(slab);

	if (unlikely(s->flags & SLAB_CONSISTENCY_CHECKS))
		free_slab_debug_check(s, slab);
	if (s->dtor_ldd3) {
		char *p, *addr = slab_address(slab);

		for_each_object(p, s, addr, slab->objects)
			s->dtor_ldd3(p, s, 0);
	}
	/* The page allocator's next user may touch every byte. */
	if (SLAB_ASAN || unlikely(slab_tools_active))
		slab_meta_open(slab_address(slab), (unsigned int)slab_size(slab));
	account_slab_pages(slab, order, s, -1);
	__ClearPageSlab(page);
	set_page_count(page, 1);	/* __free_pages() drops the one reference */
	slab->slab_cache = NULL;
	slab->slab_list.next = slab->slab_list.prev = NULL;	/* page->mapping */
	slab->freelist = NULL;
	slab->counters = 0;
	slab->s_mem = NULL;			/* page->virtual */
	/* Reclaim counts the slab pages it got back (current->reclaim_state). */
	if (unlikely(current->reclaim_state))
		current->reclaim_state->reclaimed += 1UL << order;
	__free_pages(page, (unsigned int)order);
}

static void rcu_free_slab(struct rcu_head *head)
{
	struct slab *slab = container_of(head, struct slab, rcu_head);

	__free_slab(slab->slab_cache, slab);
}

/*
 * SLAB_TYPESAFE_BY_RCU: a reader may still be looking at an object of
 * this slab (the memory stays an object of the cache until a grace period
 * has passed, even though the object may be reused at once), so the pages
 * go back only after one.  kmem_cache_destroy() waits for them.
 */
static void free_slab(struct kmem_cache *s, struct slab *slab)
{
	if (unlikely(s->flags & SLAB_TYPESAFE_BY_RCU))
		call_rcu(&slab->rcu_head, rcu_free_slab);
	else
		__free_slab(s, slab);
}

/* ---- objects in slabs (list_lock held) ---- */

static void add_new_slab_locked(struct kmem_cache_node *n, struct slab *slab)
{
	atomic_long_inc(&n->nr_slabs);
	atomic_long_add(slab->objects, &n->total_objects);
	if (slab->freelist) {
		list_add(&slab->slab_list, &n->partial);
		WRITE_ONCE(n->nr_partial, n->nr_partial + 1);	/* peeked at without list_lock */
	} else {
		list_add(&slab->slab_list, &n->full);
	}
}

/* Up to @max objects from one slab; moves it to full when it runs out. */
static unsigned int take_from_slab(struct kmem_cache *s, struct slab *slab, void **p,
				   unsigned int max)
{
	void *object = slab->freelist;
	unsigned int got = 0, i;

	while (object && got < max) {
		p[got++] = object;
		object = slab_chain_next(s, slab, object);
	}
	slab->freelist = object;
	slab->inuse += got;
	/* A corrupt chain was cut (freechain_corrupt): the rest counts as used. */
	if (unlikely(slab->inuse > slab->objects))
		slab->inuse = slab->objects;
	/* init_on_free: no object leaves with its free pointer in it. */
	if (unlikely(slab_wipe_freeptr(s)))
		for (i = 0; i < got; i++)
			maybe_wipe_obj_freeptr(s, p[i]);
	return got;
}

static unsigned int take_from_partial_locked(struct kmem_cache *s, struct kmem_cache_node *n,
					     void **p, unsigned int max)
{
	unsigned int got = 0;

	while (got < max && !list_empty(&n->partial)) {
		struct slab *slab = list_first_entry(&n->partial, struct slab, slab_list);

		got += take_from_slab(s, slab, p + got, max - got);
		if (!slab->freelist) {
			remove_partial(n, slab);
			list_add(&slab->slab_list, &n->full);
		}
	}
	return got;
}

/*
 * Give @object back to @slab.  An emptied slab goes to @discard (if there
 * is one) once the node keeps min_partial of them.  A slab whose counter says nothing is
 * allocated, or whose first free object is this one, cannot take it back:
 * that is a double free (or worse); false, and the caller reports it once
 * list_lock is released.
 */
static __always_inline bool put_object_locked(struct kmem_cache *s, struct kmem_cache_node *n,
					      struct slab *slab, void *object,
					      struct list_head *discard)
{
	bool was_full = !slab->freelist;

	if (unlikely(!slab->inuse || object == slab->freelist))
		return false;
	set_freepointer(s, object, slab->freelist);
	slab->freelist = object;
	slab->inuse--;
	if (was_full) {
		list_del(&slab->slab_list);
		list_add_tail(&slab->slab_list, &n->partial);
		WRITE_ONCE(n->nr_partial, n->nr_partial + 1);	/* peeked at without list_lock */
	}
	if (!slab->inuse && discard && n->nr_partial >= READ_ONCE(s->min_partial))
		discard_slab_locked(n, slab, discard);
	return true;
}

/*
 * Return @nr objects (already checked) to their slabs; frees emptied slabs.
 * A batch comes mostly in runs of one slab's objects (a stack's half, a
 * refill's rest), so the slab and its node are looked up again only when
 * an object lies outside the last one's pages.
 */
void free_to_slabs(struct kmem_cache *s, void **p, unsigned int nr)
{
	struct kmem_cache_node *n = NULL;
	struct slab *slab = NULL;
	unsigned long base = 0, span = 0;
	void *refused = NULL;
	LIST_HEAD(discard);
	unsigned int i;

	for (i = 0; i < nr; i++) {
		void *x = p[i];

		if ((unsigned long)x - base >= span) {
			struct kmem_cache_node *sn;

			slab = virt_to_slab(x);
			sn = get_node(s, slab_nid(slab));
			base = (unsigned long)slab_address(slab);
			span = slab_size(slab);
			if (sn != n) {
				if (n)
					node_unlock_discard(s, n, &discard);
				n = sn;
				if (unlikely(!node_lock(s, n))) {
					/* Deferred one by one: look the next one up again. */
					defer_to_node(s, n, x, (void **)((char *)x + s->offset));
					n = NULL;
					span = 0;
					continue;
				}
			}
		}
		if (unlikely(!put_object_locked(s, n, slab, x, &discard)))
			refused = x;
	}
	if (n)
		node_unlock_discard(s, n, &discard);
	free_discarded(s, &discard);
	if (unlikely(refused))
		report_double_free(s, virt_to_slab(refused), refused);
}

/*
 * May a refill take another node's partial slabs?  The kernel's
 * get_any_partial() asks remote_node_defrag_ratio (0..1000, written as
 * 0..100 through sysfs): never at 0, else when a cycle counter modulo 1024
 * does not exceed it.  At 1000, the default, ukmem always may (the kernel
 * declines 23 times in 1024), so that nothing depends on the clock unless
 * someone lowered the ratio.
 */
static bool remote_partial_allowed(const struct kmem_cache *s)
{
	unsigned int ratio = READ_ONCE(s->remote_node_defrag_ratio);

	if (ratio >= 1000)
		return true;
	return ratio && arch_cycles() % 1024 <= ratio;
}

/*
 * Between @min_got and @max objects into @p: from the node's partial slabs,
 * else from a new slab.  0 if there is no memory.
 */
static unsigned int refill_objects(struct kmem_cache *s, gfp_t gfp, int node, void **p,
				   unsigned int max)
{
	struct kmem_cache_node *n;
	struct slab *slab;
	unsigned int got = 0;
	int nid = node == NUMA_NO_NODE ? numa_mem_id() : node;

	if (nid >= nr_online_nodes)
		nid = 0;
	n = get_node(s, nid);
	if (READ_ONCE(n->nr_partial) && node_lock(s, n)) {
		got = take_from_partial_locked(s, n, p, max);
		node_unlock(s, n);
		if (got)
			return got;
	}
	/* Other nodes' partial slabs, unless the caller insists on this one. */
	if (node == NUMA_NO_NODE && nr_online_nodes > 1 && !(gfp & __GFP_THISNODE) &&
	    remote_partial_allowed(s)) {
		int other;

		for (other = 0; other < nr_online_nodes && !got; other++) {
			struct kmem_cache_node *on = get_node(s, other);

			if (other == nid || !READ_ONCE(on->nr_partial) || !node_lock(s, on))
				continue;
			got = take_from_partial_locked(s, on, p, max);
			node_unlock(s, on);
		}
		if (got)
			return got;
	}

	slab = allocate_slab(s, gfp, node, p, max);
	if (unlikely(!slab))
		return 0;
	got = slab->inuse ?: take_from_slab(s, slab, p, max);
	n = get_node(s, slab_nid(slab));
	if (likely(node_lock(s, n))) {
		add_new_slab_locked(n, slab);
		node_unlock(s, n);
	} else {
		defer_to_node(s, n, (char *)slab + 1, (void **)&slab->slab_list.next);
	}
	return got;
}

/* ---- per-CPU stacks ---- */

/*
 * @n object pointers between a stack and a batch, by the C library's
 * memcpy (a call, not inlined).  Where gcc knows a bound on the size it
 * inlines the copy as rep movsb or movsq, a step per byte or word (and
 * callgrind counts each step: half a stack's refill counted 479
 * instructions); the library's vector copy moves 32 bytes a step.
 */
static noinline void copy_objects(void **dst, void *const *src, unsigned int n)
{
	memcpy(dst, src, n * sizeof(void *));
}

/* Lock mode: this CPU's stack, or NULL if it has none. */
static __always_inline struct arch_pcpu_stack *sheaf_this_cpu(const struct kmem_cache *s)
{
	unsigned int cpu = (unsigned int)raw_smp_processor_id();

	if (unlikely(cpu >= __atomic_load_n(&s->cpu_sheaves.nr, __ATOMIC_ACQUIRE)))
		return NULL;
	return sheaf_of(s, cpu);
}

static __always_inline bool sheaf_trylock(struct arch_pcpu_stack *st)
{
	u32 free = 0;

	return __atomic_compare_exchange_n(&st->lock, &free, ARCH_PCPU_LOCAL, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* Lock mode's pop and push: the same contract as arch_rseq_stack_*. */
static __always_inline void *sheaf_pop_locked(const struct kmem_cache *s)
{
	struct arch_pcpu_stack *st = sheaf_this_cpu(s);
	void *object = NULL;
	u32 size;

	if (unlikely(!st) || unlikely(!sheaf_trylock(st)))
		return NULL;
	size = st->size;
	if (likely(size)) {
		object = st->objects[--size];
		st->size = size;
	}
	arch_pcpu_stack_unlock(st);
	return object;
}

static __always_inline int sheaf_push_locked(const struct kmem_cache *s, void *object)
{
	struct arch_pcpu_stack *st = sheaf_this_cpu(s);
	int ret = 0;
	u32 size;

	if (unlikely(!st) || unlikely(!sheaf_trylock(st)))
		return 1;
	size = st->size;
	if (unlikely(size >= st->capacity))
		ret = 1;
	else if (unlikely(size && st->objects[size - 1] == object))
		ret = 2;
	else {
		st->objects[size] = object;
		st->size = size + 1;
	}
	arch_pcpu_stack_unlock(st);
	return ret;
}

/* This CPU's stack, locked (released with arch_pcpu_stack_unlock), or NULL. */
static struct arch_pcpu_stack *sheaf_lock_local(const struct kmem_cache *s)
{
	struct arch_pcpu_stack *st;
	long rseq = data_race(slab_fast.rseq);	/* set by the boot */

	if (rseq)
		return arch_rseq_stack_lock(&s->cpu_sheaves, rseq);
	st = sheaf_this_cpu(s);
	if (st && sheaf_trylock(st))
		return st;
	return NULL;
}

/* ---- slow paths ---- */

/* Boot on first use and finish the boot caches: false if that cannot be. */
static noinline bool slab_prepare(void)
{
	ukmem_ensure_booted();
	if (system_state != SYSTEM_RUNNING)
		return false;
	if (READ_ONCE(slab_state) != FULL)
		slab_late_init();
	/* Acquire: pairs with slab_late_init()'s release, after every cache's node[0]. */
	return __atomic_load_n(&slab_state, __ATOMIC_ACQUIRE) == FULL;
}

/* One object straight from the node's slabs (stack busy or not wanted). */
static void *alloc_direct(struct kmem_cache *s, gfp_t gfp, int node)
{
	void *object;

	if (!refill_objects(s, gfp, node, &object, 1))
		return NULL;
	return object;
}

/*
 * Debug caches: one object at a time from a slab, checked and set up under
 * list_lock (the kernel's alloc_single_from_partial and
 * alloc_single_from_new_slab).  A slab that fails its checks has been
 * marked full by alloc_debug_processing and is skipped.
 */
static void *alloc_debug_locked(struct kmem_cache *s, gfp_t gfp, int node,
				unsigned long caller, unsigned int orig_size)
{
	int nid = node == NUMA_NO_NODE ? numa_mem_id() : node;
	struct kmem_cache_node *n;
	struct slab *slab, *t;
	void *object;

	if (nid >= nr_online_nodes)
		nid = 0;
	n = get_node(s, nid);
	if (READ_ONCE(n->nr_partial) && node_lock(s, n)) {
		list_for_each_entry_safe(slab, t, &n->partial, slab_list) {
			bool ok = alloc_debug_processing(s, slab, slab->freelist, caller, orig_size);

			if (ok)
				take_from_slab(s, slab, &object, 1);
			if (!slab->freelist) {
				remove_partial(n, slab);
				list_add(&slab->slab_list, &n->full);
			}
			if (ok) {
				node_unlock(s, n);
				return object;
			}
		}
		node_unlock(s, n);
	}
	slab = allocate_slab(s, gfp, node, NULL, 0);
	if (unlikely(!slab))
		return NULL;
	n = get_node(s, slab_nid(slab));
	/* The new slab is ours until it is listed. */
	object = slab->freelist;
	if (alloc_debug_processing(s, slab, object, caller, orig_size))
		take_from_slab(s, slab, &object, 1);
	else
		object = NULL;
	if (likely(node_lock(s, n))) {
		add_new_slab_locked(n, slab);
		node_unlock(s, n);
	} else {
		defer_to_node(s, n, (char *)slab + 1, (void **)&slab->slab_list.next);
	}
	return object;
}

/*
 * The owner's stack is taken before the node lock, not under it, and
 * dropped after whatever the locked part did with it (mm/slub_debug.c).
 */
static noinline void *alloc_debug(struct kmem_cache *s, gfp_t gfp, int node,
				  unsigned long caller, unsigned int orig_size)
{
	void *object;

	slub_debug_track_prepare(s);
	object = alloc_debug_locked(s, gfp, node, caller, orig_size);
	slub_debug_track_drop();
	return object;
}

/* Debug caches: checks, owner and poison under list_lock, then back to the slab. */
static void free_debug_locked(struct kmem_cache *s, struct slab *slab, void *x,
			      unsigned long caller)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	LIST_HEAD(discard);
	bool ok;

	/*
	 * A signal handler that finds the lock busy parks the object; the lock
	 * holder checks it (drain_irq_deferred), with the caller kept in its
	 * first word meanwhile.
	 */
	if (unlikely(!node_lock(s, n))) {
		if (irq_caller_fits(s))
			memcpy(x, &caller, sizeof(caller));
		defer_to_node(s, n, x, (void **)((char *)x + s->offset));
		return;
	}
	if (!free_debug_processing(s, slab, x, caller)) {
		node_unlock(s, n);
		return;
	}
	if (SLAB_ASAN || unlikely(slab_free_hooks_active))
		slab_free_hook(s, x);
	ok = put_object_locked(s, n, slab, x, &discard);
	node_unlock_discard(s, n, &discard);
	free_discarded(s, &discard);
	if (unlikely(!ok))
		report_double_free(s, slab, x);
}

/* As alloc_debug(): the owner's stack before the lock. */
static noinline void free_debug(struct kmem_cache *s, struct slab *slab, void *x,
				unsigned long caller)
{
	slub_debug_track_prepare(s);
	free_debug_locked(s, slab, x, caller);
	slub_debug_track_drop();
}

/* slab_out_of_memory(): at most 10 reports every 5 seconds. */
static void alloc_failed(struct kmem_cache *s, gfp_t gfp, int node)
{
	static unsigned long window, printed;
	unsigned long now = arch_jiffies();
	struct kmem_cache_node *n;
	int nid;

	if (gfp & __GFP_NOWARN)
		return;
	if (now - READ_ONCE(window) > 5 * HZ) {
		WRITE_ONCE(window, now);
		WRITE_ONCE(printed, 0);
	}
	if (__atomic_fetch_add(&printed, 1, __ATOMIC_RELAXED) >= 10)
		return;
	pr_warn("SLUB: Unable to allocate memory on node %d, gfp=%#x(%pGg)\n", node, gfp, &gfp);
	pr_warn("  cache: %s, object size: %u, buffer size: %u, default order: %u, min order: %u\n",
		s->name, s->object_size, s->size, oo_order(s->oo), oo_order(s->min));
	for_each_kmem_cache_node(s, nid, n)
		pr_warn("  node %d: slabs: %ld, objs: %ld\n", nid,
			atomic_long_read(&n->nr_slabs), atomic_long_read(&n->total_objects));
}

static noinline __cold void *__slab_alloc_slow(struct kmem_cache *s, gfp_t gfp, int node,
					unsigned long caller, unsigned int orig_size)
{
	void *batch[SHEAF_MAX_CAPACITY / 2 + 1], *object;
	struct arch_pcpu_stack *st;
	unsigned int got, want, i;

	/* Before the boot, or a kmalloc cache before slab_late_init. */
	if (unlikely(!__atomic_load_n(&s->node[0], __ATOMIC_ACQUIRE))) {
		if (!slab_prepare() || !__atomic_load_n(&s->node[0], __ATOMIC_ACQUIRE))
			return NULL;
		/* A size read before the boot is 0: the boot has set it now. */
		if (!orig_size)
			orig_size = READ_ONCE(s->object_size);
	}
	/*
	 * A node with no slab memory, offline or no node at all (a caller's
	 * MAX_NUMNODES): the kernel's ___slab_alloc() drops the constraint
	 * (!node_isset(node, slab_nodes)), so must we, before it indexes
	 * the node arrays.
	 */
	if (unlikely(node != NUMA_NO_NODE &&
		     (unsigned int)node >= (unsigned int)READ_ONCE(nr_online_nodes)))
		node = NUMA_NO_NODE;
	/* failslab; the kernel exempts the bootstrap kmem_cache cache. */
	if (s != kmem_cache && should_failslab_size(READ_ONCE(s->object_size), s->flags, gfp))
		return NULL;
	might_sleep_if(gfpflags_allow_blocking(gfp));
	/* KFENCE's sampling clock, and its gate for the debug caches' allocations. */
	kfence_tick();
	object = kfence_alloc(s, orig_size ?: READ_ONCE(s->object_size), gfp);
	if (unlikely(object))
		return object;
	if (unlikely(READ_ONCE(s->sheaf_state) == SHEAVES_NONE) && s->sheaf_capacity)
		init_cache_sheaves(s, gfp);

	if (node != NUMA_NO_NODE && (nr_online_nodes > 1 || node >= nr_online_nodes) &&
	    node != numa_mem_id())
		goto direct;
	/* Someone may have refilled this CPU's stack meanwhile. */
	st = sheaf_lock_local(s);
	if (!st)
		goto direct;
	if (st->size) {
		object = st->objects[st->size - 1];
		/*
		 * A node asked for: a free pushes any node's object onto the
		 * freeing CPU's stack, so the top may be another node's (the
		 * kernel's alloc_from_pcs() checks this too).  Then the node's
		 * own slabs serve it.
		 */
		if (unlikely(node != NUMA_NO_NODE) && slab_nid(virt_to_slab(object)) != node) {
			arch_pcpu_stack_unlock(st);
			goto direct;
		}
		st->size--;
		arch_pcpu_stack_unlock(st);
		goto out;
	}
	arch_pcpu_stack_unlock(st);

	/*
	 * Half a stack from the barn (any node's objects: only when no node
	 * is asked for), else the slabs: one for the caller, the rest cached.
	 */
	want = min((s->sheaf_capacity + 1) / 2, (unsigned int)ARRAY_SIZE(batch));
	got = node == NUMA_NO_NODE ? barn_get(local_barn(s), batch) : 0;
	if (!got) {
		got = refill_objects(s, gfp, node, batch, want);
		/* Slab order is ascending; the stack pops from its top: reverse. */
		for (i = 0; i < got / 2; i++)
		{
			void *t = batch[i];

			batch[i] = batch[got - 1 - i];
			batch[got - 1 - i] = t;
		}
	}
	if (!got)
		goto fail;
	object = batch[--got];
	if (got) {
		st = sheaf_lock_local(s);
		if (st) {
			u32 room = st->capacity - st->size;
			u32 move = min(room, got);

			copy_objects(&st->objects[st->size], &batch[got - move], move);
			st->size += move;
			got -= move;
			arch_pcpu_stack_unlock(st);
		}
		if (got)
			free_to_slabs(s, batch, got);
	}
	goto out;

direct:
	if (unlikely(s->flags & SLAB_DEBUG_FLAGS))
		object = alloc_debug(s, gfp, node, caller, orig_size);
	else
		object = alloc_direct(s, gfp, node);
	if (!object)
		goto fail;
out:
	if (SLAB_ASAN || unlikely(gfp_hits_hooks(gfp, data_race(slab_fast.alloc_hook_gfp)) ||
				  slab_tools_active))
		return slab_post_alloc_hook(s, object, gfp, orig_size);
	return object;
fail:
	alloc_failed(s, gfp, node);
	return NULL;
}

/* Free one object to its slab, not through a stack. */
static void free_direct(struct kmem_cache *s, struct slab *slab, void *x)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	LIST_HEAD(discard);

	if (unlikely(!node_lock(s, n))) {
		defer_to_node(s, n, x, (void **)((char *)x + s->offset));
		return;
	}
	if (unlikely(!put_object_locked(s, n, slab, x, &discard))) {
		node_unlock_discard(s, n, &discard);
		free_discarded(s, &discard);
		report_double_free(s, slab, x);
		return;
	}
	node_unlock_discard(s, n, &discard);
	free_discarded(s, &discard);
}

/*
 * The stack was full, busy or absent (@why 1), or @x is the object on its
 * top (@why 2: freed twice in a row).  A full stack gives its older half
 * back to the slabs.
 */
static noinline void __slab_free_slow(struct kmem_cache *s, struct slab *slab, void *x,
				      int why)
{
	void *batch[SHEAF_MAX_CAPACITY / 2];
	struct arch_pcpu_stack *st;
	u32 half = 0;

	if (why == 2)
		goto double_free;
	st = sheaf_lock_local(s);
	if (!st) {
		free_direct(s, slab, x);
		return;
	}
	if (st->size && st->objects[st->size - 1] == x) {
		arch_pcpu_stack_unlock(st);
		goto double_free;
	}
	if (st->size >= st->capacity) {
		half = min((st->capacity + 1) / 2, (u32)ARRAY_SIZE(batch));
		copy_objects(batch, st->objects, half);
		memmove(st->objects, st->objects + half, (st->size - half) * sizeof(void *));
		st->size -= half;
	}
	st->objects[st->size++] = x;
	arch_pcpu_stack_unlock(st);
	if (half) {
		kfence_tick();	/* KFENCE's sampling clock (mm/kfence.c) */
		if (!barn_put(local_barn(s), batch, half))
			free_to_slabs(s, batch, half);
	}
	return;

double_free:
	report_double_free(s, slab, x);
}

/*
 * The caller of an allocation or a free matters only to the debug paths.
 * Reading it (__builtin_return_address) costs a function a load at its
 * entry, taken or not, so the fast entry points pass FAST_RET_IP (0) and
 * reach the slow entries below by a sibling call: there the return
 * address is still the one their caller pushed, and _RET_IP_ is that
 * caller.  Without optimization there are no sibling calls, nor under
 * ThreadSanitizer (every function ends with a call to its exit hook): pass it.
 */
#if defined(__OPTIMIZE__) && !UKMEM_TSAN
#define FAST_RET_IP	0UL
#else
#define FAST_RET_IP	_RET_IP_
#endif

/*
 * s->alloc_slow: a debug cache, failslab, or a kmalloc cache before the
 * boot has finished it (@orig_size 0: the object size).
 */
static noinline __cold void *slab_alloc_slow_entry(struct kmem_cache *s, gfp_t gfp,
						   unsigned long caller, unsigned int orig_size)
{
	if (!caller)
		caller = _RET_IP_;
	/* The boot decides whether @s is a debug cache: boot, then read it. */
	if (unlikely(READ_ONCE(s->alloc_slow) & SLAB_ALLOC_SLOW_BOOT) && !slab_prepare())
		return NULL;
	return __slab_alloc_slow(s, gfp, NUMA_NO_NODE, caller, orig_size ?: READ_ONCE(s->object_size));
}

/*
 * The free fast path's offset check failed: a pointer that is no object's
 * start, or any object of a debug cache (whose slabs set obj_limit 0).
 */
static noinline void slab_free_unusual(struct kmem_cache *s, struct slab *slab, void *x,
				       unsigned long caller)
{
	if (!caller)
		caller = _RET_IP_;
	if ((s->flags & SLAB_DEBUG_FLAGS) && slab_valid_pointer_unlocked(s, slab, x))
		return free_debug(s, slab, x, caller);
	report_invalid_free(s, slab, x);
}

/* ---- fast paths ---- */

/*
 * An allocation whose gfp hit slab_fast.alloc_hook_gfp: __GFP_ZERO,
 * init_on_alloc, a tool watching, or KFENCE's open gate (which sets every
 * bit): then the object from the stack goes back and KFENCE's is handed
 * out instead (@orig_size 0: the object size).
 */
static noinline void *slab_alloc_hook(struct kmem_cache *s, void *object, gfp_t gfp,
				      unsigned int orig_size)
{
	void *k = kfence_alloc(s, orig_size ?: READ_ONCE(s->object_size), gfp);	/* an alias may raise it */

	if (unlikely(k)) {
		slab_free_obj(s, virt_to_slab(object), object, _RET_IP_);
		return k;
	}
	return slab_post_alloc_hook(s, object, gfp, orig_size);
}

/*
 * Lock mode's fast paths, out of line: they may call into the CPU-number
 * slow path, and inlined they would cost the rseq paths a stack frame.
 */
static noinline void *slab_alloc_locked(struct kmem_cache *s, gfp_t gfpflags,
					unsigned int orig_size)
{
	void *object = sheaf_pop_locked(s);

	/* Not a debug cache (s->alloc_slow): the caller is not needed; KFENCE wants the size. */
	if (unlikely(!object))
		return __slab_alloc_slow(s, gfpflags, NUMA_NO_NODE, 0, orig_size);
	if (SLAB_ASAN || unlikely(gfp_hits_hooks(gfpflags, data_race(slab_fast.alloc_hook_gfp))))
		return slab_alloc_hook(s, object, gfpflags, orig_size);
	return object;
}

static noinline void slab_free_locked(struct kmem_cache *s, struct slab *slab, void *x)
{
	int ret = sheaf_push_locked(s, x);

	if (unlikely(ret))
		__slab_free_slow(s, slab, x, ret);
}

/*
 * @orig_size: what a kmalloc caller asked for (kmalloc caches with
 * SLAB_STORE_USER red-zone the rest), else s->object_size; read on the
 * slow path only.
 */
static __always_inline void *slab_alloc(struct kmem_cache *s, gfp_t gfpflags,
					unsigned long caller, unsigned int orig_size)
{
	long rseq = data_race(slab_fast.rseq);	/* set by the boot */
	void *object;

	/* Debug caches, failslab: the slow path, with the caller and the size. */
	if (unlikely(READ_ONCE(s->alloc_slow)))
		return slab_alloc_slow_entry(s, gfpflags, caller, orig_size);
	if (unlikely(!rseq))
		return slab_alloc_locked(s, gfpflags, orig_size);
	object = arch_rseq_stack_pop(&s->cpu_sheaves, rseq);
	if (unlikely(!object))
		return __slab_alloc_slow(s, gfpflags, NUMA_NO_NODE, 0, orig_size);
	/*
	 * __GFP_ZERO; with init_on_alloc or a tool, every allocation; while
	 * KFENCE's gate is open, every one too (a tail call).
	 */
	if (SLAB_ASAN || unlikely(gfp_hits_hooks(gfpflags, data_race(slab_fast.alloc_hook_gfp))))
		return slab_alloc_hook(s, object, gfpflags, orig_size);
	return object;
}

/* The object's offset in its slab is checked, then onto this CPU's stack. */
static __always_inline void slab_free(struct kmem_cache *s, struct slab *slab, void *x,
				      unsigned long caller)
{
	unsigned long off = (unsigned long)((char *)x - slab->s_mem);
	long rseq = data_race(slab_fast.rseq);	/* set by the boot */
	int ret;

	if (unlikely(!slab_offset_valid(s, slab, off)))
		return slab_free_unusual(s, slab, x, caller);
	/* ASan builds: the object is poisoned before it is cached. */
	if (SLAB_ASAN)
		slab_free_hook(s, x);
	if (unlikely(!rseq))
		return slab_free_locked(s, slab, x);
	ret = arch_rseq_stack_push(&s->cpu_sheaves, rseq, x);
	if (unlikely(ret))
		__slab_free_slow(s, slab, x, ret);
}

/*
 * Frees that did not come through kfree/kmem_cache_free's inline path, and
 * every free while free hooks run (init_on_free, valgrind: slab_fast.ram_pfns
 * is 0 then, which sends each free here).
 */
void slab_free_obj(struct kmem_cache *s, struct slab *slab, void *x, unsigned long caller)
{
	if (unlikely(slab_free_hooks_active) && !(s->flags & SLAB_DEBUG_FLAGS)) {
		if (unlikely(!slab_offset_valid(s, slab, (unsigned long)((char *)x - slab->s_mem))))
			return report_invalid_free(s, slab, x);
		if (!SLAB_ASAN) {
			/*
			 * A closed object was freed already and may sit in the
			 * quarantine, off the freelist where the check below
			 * would find it: the shadow tells, as KASAN's
			 * double-free check reads it.
			 */
			if (unlikely(slab_quarantine_on) && !(s->flags & SLAB_TYPESAFE_BY_RCU) &&
			    !tool_block_size(x, 1))
				return report_double_free(s, slab, x);
			slab_free_hook(s, x);
			if (slab_quarantine_put(s, x))
				return;
		}
	}
	slab_free(s, slab, x, caller);
}

/* An object the quarantine kept (already through slab_free_hook) goes back. */
void slab_free_quarantined(struct kmem_cache *s, struct slab *slab, void *x)
{
	slab_free(s, slab, x, 0);
}

/*
 * The malloc front end's free of an object of one of its tagged caches
 * (a constructor, no debugging, no free hooks), whose offset and state it
 * checked already: straight onto this CPU's stack.
 */
void slab_free_checked(struct kmem_cache *s, struct slab *slab, void *x)
{
	long rseq = slab_fast.rseq;
	int ret;

	if (unlikely(!rseq))
		return slab_free_locked(s, slab, x);
	ret = arch_rseq_stack_push(&s->cpu_sheaves, rseq, x);
	if (unlikely(ret))
		__slab_free_slow(s, slab, x, ret);
}

/*
 * Node 0 of a machine with one node is any node: the fast path.  Not
 * before the boot (a kmalloc cache still marked SLAB_ALLOC_SLOW_BOOT):
 * the node count is 1 until the boot reads numa=, and the slow path
 * boots first and then honours the node.
 */
static __always_inline bool node_is_any(const struct kmem_cache *s, int node)
{
	return node == NUMA_NO_NODE ||
	       (READ_ONCE(nr_online_nodes) == 1 && node == 0 &&
		!(READ_ONCE(s->alloc_slow) & SLAB_ALLOC_SLOW_BOOT));
}

void *slab_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long caller)
{
	if (node_is_any(s, node))
		return slab_alloc(s, gfpflags, caller, 0);
	return __slab_alloc_slow(s, gfpflags, node, caller, READ_ONCE(s->object_size));
}

/* kmalloc's: @size is what the caller asked for. */
static __always_inline void *kmalloc_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node,
						unsigned long caller, size_t size)
{
	if (node_is_any(s, node))
		return slab_alloc(s, gfpflags, caller, (unsigned int)size);
	return __slab_alloc_slow(s, gfpflags, node, caller, (unsigned int)size);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfpflags)
{
	return slab_alloc(s, gfpflags, FAST_RET_IP, 0);
}

void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node)
{
	return slab_alloc_node(s, gfpflags, node, _RET_IP_);
}

void *__kmalloc_cache(struct kmem_cache *s, gfp_t gfpflags, size_t size)
{
	return slab_alloc(s, gfpflags, FAST_RET_IP, (unsigned int)size);
}

void *__kmalloc_cache_node(struct kmem_cache *s, gfp_t gfpflags, int node, size_t size)
{
	return kmalloc_alloc_node(s, gfpflags, node, _RET_IP_, size);
}

static __always_inline void *__do_kmalloc_node(size_t size, gfp_t flags, int node,
					       unsigned long caller)
{
	if (unlikely(size - 1 >= KMALLOC_MAX_CACHE_SIZE)) {
		if (!size)
			return ZERO_SIZE_PTR;
		return kmalloc_large_node(size, flags, node);
	}
	return kmalloc_alloc_node(kmalloc_slab(size, flags), flags, node, caller, size);
}

void *__kmalloc(size_t size, gfp_t flags)
{
	if (unlikely(size - 1 >= KMALLOC_MAX_CACHE_SIZE)) {
		if (!size)
			return ZERO_SIZE_PTR;
		return kmalloc_large(size, flags);
	}
	return slab_alloc(kmalloc_slab(size, flags), flags, FAST_RET_IP, (unsigned int)size);
}

void *__kmalloc_node(size_t size, gfp_t flags, int node)
{
	return __do_kmalloc_node(size, flags, node, _RET_IP_);
}

void *__kmalloc_track_caller(size_t size, gfp_t flags, unsigned long caller)
{
	return __do_kmalloc_node(size, flags, NUMA_NO_NODE, caller);
}

/*
 * kmalloc from a set of buckets (kmem_buckets_create()): the same size
 * classes and large path, the buckets' cache for the class whatever the
 * gfp's kmalloc type; NULL buckets are plain kmalloc, as in the kernel.
 */
void *__kmem_buckets_alloc(kmem_buckets *b, size_t size, gfp_t flags, int node,
			   unsigned long caller)
{
	if (!b || unlikely(size - 1 >= KMALLOC_MAX_CACHE_SIZE))
		return __do_kmalloc_node(size, flags, node, caller);
	return kmalloc_alloc_node((*b)[kmalloc_index(size)], flags, node, caller, size);
}

void kmem_cache_free(struct kmem_cache *s, void *x)
{
	unsigned long phys = (unsigned long)x - data_race(slab_fast.page_offset);
	struct page *page;
	unsigned long head;

	if (unlikely((phys >> PAGE_SHIFT) >= data_race(slab_fast.ram_pfns)))
		return free_foreign(s, x, _RET_IP_);
	page = data_race(slab_fast.mem_map) + (phys >> PAGE_SHIFT);
	head = READ_ONCE(page->compound_head);
	if (unlikely(head & 1))
		page = (struct page *)(head - 1);
	if (unlikely(page_slab(page)->slab_cache != s || !PageSlab(page)))
		return free_foreign(s, x, _RET_IP_);
	slab_free(s, page_slab(page), x, FAST_RET_IP);
}


static noinline void kfree_unusual(const void *x, unsigned long caller)
{
	if (ZERO_OR_NULL_PTR(x))
		return;
	if (is_kfence_address(x)) {
		__kfence_free((void *)x);
		return;
	}
	/*
	 * The fast path's bound is 0 while free hooks run or while the malloc
	 * front end sends its own frees the slow way (init_on_alloc,
	 * M_PERTURB: malloc_slow_always_update()): every kfree comes here.
	 */
	if ((((unsigned long)x - PAGE_OFFSET) >> PAGE_SHIFT) < ukmem_ram_pfns) {
		struct page *page = compound_head(virt_to_page(x));

		if (!PageSlab(page))
			return free_large_kmalloc(page, x);
		return slab_free_obj(page_slab(page)->slab_cache, page_slab(page), (void *)x, caller);
	}
	WARN(1, "kfree: 0x%px is not memory of this allocator\n", x);
}

void kfree(const void *x)
{
	unsigned long phys = (unsigned long)x - data_race(slab_fast.page_offset);
	struct page *page;
	unsigned long head;

	if (unlikely((phys >> PAGE_SHIFT) >= data_race(slab_fast.ram_pfns)))
		return kfree_unusual(x, _RET_IP_);
	page = data_race(slab_fast.mem_map) + (phys >> PAGE_SHIFT);
	head = READ_ONCE(page->compound_head);
	if (unlikely(head & 1))
		page = (struct page *)(head - 1);
	if (unlikely(!PageSlab(page)))
		return free_large_kmalloc(page, x);
	slab_free(page_slab(page)->slab_cache, page_slab(page), (void *)x, FAST_RET_IP);
}

/* ---- bulk ---- */

/*
 * The kernel's __kmem_cache_alloc_bulk(): @nr objects or none, without
 * asking failslab for each (its callers ask once, or, for sheaves, never);
 * the page allocations of new slabs are still fail_page_alloc's sites.
 */
int __kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t nr, void **p,
			    unsigned long caller)
{
	size_t i;

	failslab_off++;
	for (i = 0; i < nr; i++) {
		p[i] = slab_alloc(s, flags, caller, 0);
		if (unlikely(!p[i])) {
			failslab_off--;
			kmem_cache_free_bulk(s, i, p);
			return 0;
		}
	}
	failslab_off--;
	return (int)nr;
}

int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t nr, void **p)
{
	if (unlikely(!nr))
		return 0;
	/* slab_pre_alloc_hook(): failslab once for the whole call, as the kernel asks. */
	if (s != kmem_cache && should_failslab_size(READ_ONCE(s->object_size), s->flags, flags))
		return 0;
	return __kmem_cache_alloc_bulk(s, flags, nr, p, _RET_IP_);
}

void kmem_cache_free_bulk(struct kmem_cache *s, size_t nr, void **p)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		if (!p[i])
			continue;
		if (s)
			kmem_cache_free(s, p[i]);
		else
			kfree(p[i]);
	}
}

/* ---- boot ---- */

void slub_init_cpu_mode(void)
{
	slab_fast.page_offset = PAGE_OFFSET;
	slab_fast.ram_pfns = ukmem_ram_pfns;
	slab_fast.mem_map = mem_map;
	slab_fast.rseq = 0;
	if (!slab_rseq_disabled && arch_rseq_init())
		slab_fast.rseq = arch_rseq_offset();
	/* Keys, init_on_alloc/free, tools: may reroute the fast paths' checks above. */
	slab_harden_init();
}
