// SPDX-License-Identifier: MIT
/*
 * lib/objpool.c - lock-free pools of preallocated objects (the kernel's
 * lib/objpool.c and include/linux/objpool.h, v6.7+; docs/objpool.md).
 *
 * Entry points: objpool_init(), objpool_pop(), objpool_push(),
 * objpool_drop(), objpool_fini(), objpool_free().
 *
 * Design
 * 1. Every object is allocated by objpool_init() and spread over the
 *    possible CPUs: each CPU's ring (struct objpool_slot) shares one
 *    allocation with the objects that start on it, vmalloc'ed unless the
 *    gfp is GFP_ATOMIC's (then, or when vmalloc fails, kmalloc'ed), as
 *    the kernel chooses.  A ring has room for every object of the pool
 *    (nr_objs rounded up to a power of two), so a push never finds its
 *    ring full unless an object is pushed twice.
 * 2. A ring is a window of u32 positions: head (the next to pop) and
 *    tail (the next to push); only their low bits index the ring, and
 *    they wrap.  A pop tries the current CPU's ring and then the others;
 *    a push goes to the current CPU's ring, as in the kernel.
 * 3. The kernel's ring publishes pushes with a third counter, last,
 *    which must move in order: pushes to one ring come one at a time,
 *    which the kernel gets from pushing only to its own CPU's ring with
 *    interrupts off.  A thread here can be preempted half way through a
 *    push, or interrupted by a signal handler that pushes too.  Making
 *    pushes to a ring wait for one another deadlocks (two threads
 *    interrupted half way on two rings, each handler waiting for the
 *    other thread's push: the port of test_objpool's hrtimer cases did
 *    that at once).  So each entry carries its own sequence number
 *    instead (an array of u32 after the entries, in the same
 *    allocation), as in D. Vyukov's bounded MPMC queue: entry i is free
 *    for a push at position p when its number is p, holds a published
 *    object when it is p + 1, and is free again for p + capacity once
 *    popped.  A push reserves its position by moving tail with
 *    compare-and-swap, writes the object and publishes the number; a
 *    pop claims the entry at head by moving its number with
 *    compare-and-swap, then moves head on (or another pop does it for
 *    it).  Nobody ever waits: a push in progress only makes the entries
 *    behind it invisible until it finishes (a pop then moves on to the
 *    next ring, as for an empty one), and a preempted pop holds up
 *    nothing.  Both calls are safe in signal handlers.  @last is unused.
 * 4. fork() in a threaded process: a push another thread had reserved but
 *    not published would stay unpublished in the child for ever, and
 *    every entry behind it in that ring (what the child pushes there
 *    included) would never be popped.  So the rings arrays of live pools
 *    are on a list (each array sits behind its list node), which fork
 *    takes (FORK_ORDER_OBJPOOL), and the child retires every such entry
 *    as if popped: its object stays out, as anything a vanished thread
 *    held does.  A push the forking thread itself was in (fork from a
 *    handler that interrupted it) goes on in the child: each thread keeps
 *    a chain of the pushes it is in, and the child leaves those alone.
 *    The list's lock is taken with signals blocked, so a handler that
 *    ends a pool (objpool_drop) never spins on its own thread's hold.
 * 5. The pool counts a reference per object plus one for itself.
 *    objpool_fini() pops what is in the rings and drops those references
 *    and its own; objpool_drop() drops an object that is out.  The last
 *    reference frees the rings (objpool_free()) and calls release().
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/log2.h>
#include <linux/objpool.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include <linux/atomic.h>
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "mm/internal.h"

/* Rings of a pool: one per possible CPU. */
static inline unsigned int objpool_nr_rings(void)
{
	return nr_cpu_ids;
}

/*
 * Entries in a ring: the capacity, but at least two, so that an entry's
 * "free again" number (position + size) never equals its "published"
 * one (position + 1).
 */
static inline uint32_t ring_size(const struct objpool_head *pool)
{
	return pool->capacity > 1 ? (uint32_t)pool->capacity : 2;
}

/* The entries' sequence numbers, after the entries (design point 3). */
static inline uint32_t *ring_seq(const struct objpool_head *pool, struct objpool_slot *slot)
{
	return (uint32_t *)&slot->entries[ring_size(pool)];
}

/* Where a ring's own objects start: after the numbers, long-aligned. */
static inline size_t ring_objs_offset(const struct objpool_head *pool)
{
	size_t off = offsetof(struct objpool_slot, entries) +
		     (size_t)ring_size(pool) * (sizeof(void *) + sizeof(uint32_t));

	return ALIGN(off, sizeof(long));
}

/* ---- the live pools' rings, for fork() (design point 4) ---- */

struct objpool_rings {
	struct list_head node;
	const struct objpool_head *pool;
	struct objpool_slot *slot[];	/* pool->cpu_slots points here */
};

/* A push this thread is in: the entry it reserved (or is reserving). */
struct objpool_push_mark {
	const uint32_t *seq;
	uint32_t pos;
	struct objpool_push_mark *prev;	/* one it interrupted, in a signal handler */
};

static __thread struct objpool_push_mark *objpool_pushing
	__attribute__((tls_model("initial-exec")));
static DEFINE_SPINLOCK_RANKED(objpool_rings_lock, LOCK_RANK_OBJPOOL_LIST);
static LIST_HEAD(objpool_rings_list);
static bool objpool_fork_registered;

static struct objpool_rings *pool_rings(const struct objpool_head *pool)
{
	return (struct objpool_rings *)((char *)pool->cpu_slots -
					 offsetof(struct objpool_rings, slot));
}

static bool pushed_by_me(const uint32_t *seq, uint32_t pos)
{
	const struct objpool_push_mark *m;

	for (m = objpool_pushing; m; m = m->prev)
		if (m->seq == seq && m->pos == pos)
			return true;
	return false;
}

/* In the child: retire the entries reserved by pushes of threads it does not have. */
static void objpool_fork_child(void)
{
	struct objpool_rings *r;
	unsigned int i;

	if (!fork_holds(&objpool_rings_lock))
		return;
	list_for_each_entry(r, &objpool_rings_list, node) {
		uint32_t cap = ring_size(r->pool), pos;

		for (i = 0; i < objpool_nr_rings(); i++) {
			struct objpool_slot *slot = r->slot[i];
			uint32_t *seqs = ring_seq(r->pool, slot);

			/*
			 * A vmalloc'ed ring is copied for the child while other
			 * threads push and pop (mm/vmalloc_fork.c), so it may
			 * come torn: numbers newer than head and tail.  Only
			 * what the ring can hold at one instant is kept.
			 */
			if (slot->tail - slot->head > cap)
				slot->head = slot->tail;
			for (pos = slot->head; pos != slot->tail; pos++) {
				uint32_t *seq = &seqs[pos & slot->mask];

				if (*seq == pos && pushed_by_me(seq, pos))
					continue;
				if (*seq != pos + 1)
					*seq = pos + cap;	/* reserved, or torn: popped */
			}
			/* Past tail every entry is free for this lap's push. */
			for (; pos != slot->head + cap; pos++)
				seqs[pos & slot->mask] = pos;
		}
	}
	fork_unlock(&objpool_rings_lock);
}

static void objpool_fork_lock(void)
{
	fork_lock(&objpool_rings_lock);
}

static void objpool_fork_parent(void)
{
	fork_unlock(&objpool_rings_lock);
}

static const struct fork_step objpool_fork_step = {
	.name = "objpool",
	.order = FORK_ORDER_OBJPOOL,
	.lock = objpool_fork_lock,
	.parent = objpool_fork_parent,
	.child = objpool_fork_child,
};

/* Add or remove @r with signals blocked: a handler on this thread cannot wait for us. */
static void objpool_rings_link(struct objpool_rings *r, bool add)
{
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	spin_lock(&objpool_rings_lock);
	if (add)
		list_add_tail(&r->node, &objpool_rings_list);
	else
		list_del(&r->node);
	spin_unlock(&objpool_rings_lock);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void objpool_free_rings(struct objpool_head *pool, bool linked)
{
	unsigned int i;

	if (!pool->cpu_slots)
		return;
	if (linked)
		objpool_rings_link(pool_rings(pool), false);
	for (i = 0; i < objpool_nr_rings(); i++)
		kvfree(pool->cpu_slots[i]);
	kfree(pool_rings(pool));
	pool->cpu_slots = NULL;
}

/* Ring @i with its @nr objects, each zeroed and given to @objinit. */
static int objpool_init_ring(struct objpool_head *pool, unsigned int i, int nr, void *context,
			     objpool_init_obj_cb objinit)
{
	size_t size = ring_objs_offset(pool) + (size_t)pool->obj_size * (size_t)nr;
	struct objpool_slot *slot = NULL;
	uint32_t *seq, pos;
	char *obj;
	int n;

	/* The kernel's choice: vmalloc, unless the caller may not sleep. */
	if ((pool->gfp & (GFP_ATOMIC | GFP_KERNEL)) != GFP_ATOMIC)
		slot = __vmalloc_node(size, sizeof(void *), pool->gfp, cpu_to_node(i),
				      __builtin_return_address(0));
	if (!slot)
		slot = kmalloc_node(size, pool->gfp, cpu_to_node(i));
	if (!slot)
		return -ENOMEM;
	memset(slot, 0, size);
	slot->mask = ring_size(pool) - 1;
	pool->cpu_slots[i] = slot;

	/* Every entry free for its first position; then the objects pushed. */
	seq = ring_seq(pool, slot);
	for (pos = 0; pos < ring_size(pool); pos++)
		seq[pos] = pos;
	obj = (char *)slot + ring_objs_offset(pool);
	for (n = 0; n < nr; n++, obj += pool->obj_size) {
		if (objinit) {
			int rc = objinit(obj, context);

			if (rc)
				return rc;
		}
		slot->entries[slot->tail & slot->mask] = obj;
		seq[slot->tail & slot->mask] = slot->tail + 1;
		slot->tail++;
		pool->nr_objs++;
	}
	slot->last = slot->tail;
	return 0;
}

/**
 * objpool_init - make a pool and every object in it
 * @pool: the pool, the caller's memory
 * @nr_objs: how many objects (1 to OBJPOOL_NR_OBJECT_MAX)
 * @object_size: bytes in one (1 to OBJPOOL_OBJECT_SIZE_MAX), rounded up
 *	to a multiple of sizeof(long)
 * @gfp: for the rings and objects; GFP_ATOMIC (or anything without
 *	GFP_KERNEL's bits) takes kmalloc instead of vmalloc
 * @context: passed to @objinit and @release
 * @objinit: called once per object on its zeroed memory, or NULL; an
 *	error from it ends objpool_init() with that error
 * @release: called when the pool's memory has been freed, or NULL
 *
 * The objects are spread evenly over the possible CPUs' rings, the
 * first CPUs taking one more when @nr_objs does not divide.  After this
 * the pool never touches an object's contents.  May sleep if @gfp does.
 *
 * Return: 0; -EINVAL for a bad count or size; -ENOMEM; or @objinit's
 * error.  On an error nothing stays allocated and @release is not called.
 */
int objpool_init(struct objpool_head *pool, int nr_objs, int object_size, gfp_t gfp,
		 void *context, objpool_init_obj_cb objinit, objpool_fini_cb release)
{
	struct objpool_rings *rings;
	unsigned int i, cpus;
	int rc = 0;

	/*
	 * The CPU count is the boot's: read before a first call booted, it was
	 * 1 while the rings array was then sized by the booted count.
	 */
	ukmem_ensure_booted();
	cpus = num_possible_cpus();
	if (nr_objs <= 0 || (unsigned long)nr_objs > OBJPOOL_NR_OBJECT_MAX ||
	    object_size <= 0 || (unsigned long)object_size > OBJPOOL_OBJECT_SIZE_MAX)
		return -EINVAL;

	memset(pool, 0, sizeof(*pool));
	pool->obj_size = ALIGN(object_size, (int)sizeof(long));
	pool->capacity = (int)roundup_pow_of_two((unsigned long)nr_objs);
	pool->nr_possible_cpus = (int)cpus;
	pool->gfp = gfp & ~__GFP_ZERO;
	pool->context = context;
	pool->release = release;
	rings = kzalloc(struct_size(rings, slot, objpool_nr_rings()), pool->gfp);
	if (!rings)
		return -ENOMEM;
	rings->pool = pool;
	pool->cpu_slots = rings->slot;

	for (i = 0; i < objpool_nr_rings() && !rc; i++) {
		int nr = nr_objs / (int)cpus + (i < (unsigned int)nr_objs % cpus);

		rc = objpool_init_ring(pool, i, nr, context, objinit);
	}
	if (rc) {
		objpool_free_rings(pool, false);
		return rc;
	}
	refcount_set(&pool->ref, pool->nr_objs + 1);
	/* The first pool registers the step (GFP_KERNEL pools may sleep here). */
	if (!__atomic_exchange_n(&objpool_fork_registered, true, __ATOMIC_ACQ_REL))
		fork_register_step(&objpool_fork_step);
	objpool_rings_link(rings, true);
	return 0;
}

/*
 * Take the object at @slot's head, if one is published there (design
 * point 3).  The differences are signed: positions wrap.
 */
static void *objpool_try_get_slot(struct objpool_head *pool, struct objpool_slot *slot)
{
	uint32_t *seqs = ring_seq(pool, slot), cap = ring_size(pool);
	uint32_t head = smp_load_acquire(&slot->head);

	for (;;) {
		uint32_t *seq = &seqs[head & slot->mask];
		uint32_t now = smp_load_acquire(seq), want = head + 1;
		int32_t diff = (int32_t)(now - want);

		if (diff == 0) {
			/* Read the object first: once claimed, the entry is free for a push. */
			void *obj = READ_ONCE(slot->entries[head & slot->mask]);

			if (__atomic_compare_exchange_n(seq, &want, head + cap, false,
							__ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
				/* Move head on, unless another pop already helped. */
				__atomic_compare_exchange_n(&slot->head, &head, head + 1, false,
							    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
				return obj;
			}
		} else if (diff < 0) {
			/* Nothing published at head: empty, or a push in progress. */
			return NULL;
		} else if (now == head + cap) {
			/* Claimed by a pop that has not moved head yet: help it. */
			__atomic_compare_exchange_n(&slot->head, &head, head + 1, false,
						    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
		}
		head = smp_load_acquire(&slot->head);
	}
}

/**
 * objpool_pop - take an object from the pool
 * @pool: the pool
 *
 * The current CPU's ring first, then the others in turn.  Lock-free:
 * any context, signal handlers included.
 *
 * Return: an object, or NULL if every object is out.
 */
void *objpool_pop(struct objpool_head *pool)
{
	unsigned int rings = objpool_nr_rings(), ring = (unsigned int)raw_smp_processor_id(), i;

	for (i = 0; i < rings; i++, ring = ring + 1 < rings ? ring + 1 : 0) {
		void *obj = objpool_try_get_slot(pool, pool->cpu_slots[ring]);

		if (obj)
			return obj;
	}
	return NULL;
}

/* Push @obj at @slot's tail: 0, or -ENOSPC if the entry there is still taken. */
static int objpool_try_add_slot(void *obj, struct objpool_head *pool, struct objpool_slot *slot)
{
	uint32_t *seqs = ring_seq(pool, slot), tail = READ_ONCE(slot->tail);
	struct objpool_push_mark me = { .prev = objpool_pushing };
	int rc = 0;

	for (;;) {
		uint32_t *seq = &seqs[tail & slot->mask];
		int32_t diff = (int32_t)(smp_load_acquire(seq) - tail);

		if (diff == 0) {
			/* Marked before the reservation: a fork child leaves it to us (point 4). */
			me.seq = seq;
			me.pos = tail;
			WRITE_ONCE(objpool_pushing, &me);
			barrier();
			if (__atomic_compare_exchange_n(&slot->tail, &tail, tail + 1, false,
							__ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
				WRITE_ONCE(slot->entries[tail & slot->mask], obj);
				smp_store_release(seq, tail + 1);
				break;
			}
			continue;	/* tail reloaded by the failed exchange */
		}
		/* The object a lap ago is still there: more objects than the pool has. */
		if (diff < 0) {
			rc = -ENOSPC;
			break;
		}
		tail = READ_ONCE(slot->tail);
	}
	barrier();
	WRITE_ONCE(objpool_pushing, me.prev);
	return rc;
}

/**
 * objpool_push - give an object back to the pool
 * @obj: an object objpool_pop() returned
 * @pool: its pool
 *
 * Onto the current CPU's ring.  Lock-free and never waits on another
 * thread: any context, signal handlers included.
 *
 * Return: 0, or -ENOSPC (with a warning, once) for an object the ring
 * cannot hold, which the kernel's push would have written over another:
 * one pushed twice, or one not from this pool.
 */
int objpool_push(void *obj, struct objpool_head *pool)
{
	int rc = objpool_try_add_slot(obj, pool, pool->cpu_slots[raw_smp_processor_id()]);

	WARN_ONCE(rc, "objpool: push of %p to a full ring: pushed twice?\n", obj);
	return rc;
}

/**
 * objpool_free - free the pool's rings and objects now
 * @pool: the pool
 *
 * Whatever is out is freed too: the caller vouches that nothing uses it.
 * Then @pool's release callback runs; it may free @pool itself.  A
 * second call does nothing.  May be called where kvfree() may.
 */
void objpool_free(struct objpool_head *pool)
{
	if (!pool->cpu_slots)
		return;
	objpool_free_rings(pool, true);
	if (pool->release)
		pool->release(pool, pool->context);
}

/**
 * objpool_drop - retire an object instead of pushing it back
 * @obj: an object that is out
 * @pool: its pool
 *
 * For objects still out when objpool_fini() ran (a kretprobe still
 * waiting for its function to return): each drops the pool's reference
 * for that object, and the last one frees the pool.
 *
 * Return: 0 if that freed the pool; -EAGAIN if references remain;
 * -EINVAL for a NULL @obj or @pool.
 */
int objpool_drop(void *obj, struct objpool_head *pool)
{
	if (!obj || !pool)
		return -EINVAL;
	if (refcount_dec_and_test(&pool->ref)) {
		objpool_free(pool);
		return 0;
	}
	return -EAGAIN;
}

/**
 * objpool_fini - end the pool: drop the objects it holds and itself
 * @pool: the pool
 *
 * Pops every object left in the rings and drops their references and
 * the pool's own.  If none was out, the pool is freed now; otherwise
 * when the last of them is objpool_drop()ped.  No objpool_push() may
 * run concurrently or afterwards (the kernel has its callers wait an
 * RCU grace period after telling pushers to stop).
 */
void objpool_fini(struct objpool_head *pool)
{
	int count = 1;	/* the pool's own reference */

	while (objpool_pop(pool))
		count++;
	if (refcount_sub_and_test(count, &pool->ref))
		objpool_free(pool);
}
