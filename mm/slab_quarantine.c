/* SPDX-License-Identifier: MIT */
/*
 * mm/slab_quarantine.c - generic KASAN's quarantine (mm/kasan/quarantine.c)
 * for a program built with ASan: a slab object freed while ASan watches is
 * poisoned and then kept out of reuse for a while, so that a use after free
 * still finds closed memory after the next allocations of its size (the
 * kernel's kasan_test kmalloc_uaf2: the next kmalloc() of the same size must
 * get another object, and the freed one must stay poisoned).
 *
 * One FIFO of freed objects, linked through the word the allocator keeps
 * its free pointer in (s->offset: outside constructed state, and written by
 * the free anyway), bounded as the kernel bounds it: 1/32 of the memory.
 * Past that bound the oldest quarter goes back to the slabs.  Not kept:
 * SLAB_TYPESAFE_BY_RCU objects (KASAN leaves them open and does not
 * quarantine them), debug caches (their checks run on the real free), frees
 * from signal handlers and bulk frees.  kmem_cache_shrink() and
 * kmem_cache_destroy() give a cache's objects back first, as
 * kasan_cache_shrink() and kasan_cache_shutdown() do.  Valgrind's memcheck
 * keeps its own record of freed blocks, so the quarantine is ASan's only.
 */
#include <linux/mm.h>
#include <linux/preempt.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "mm/slab.h"

bool slab_quarantine_on;
static DEFINE_SPINLOCK_RANKED(quarantine_lock, LOCK_RANK_SLAB_QUARANTINE);
static void *q_head, *q_tail;
static size_t q_bytes;
/*
 * Batches taken off the list by a reduction and not yet back in their
 * slabs (q_release() runs outside the lock): kmem_cache_destroy() must wait
 * for them, or it finds its objects still allocated and the reduction then
 * frees them into a destroyed cache (the kernel's remove_cache_srcu).
 */
static unsigned int q_in_flight;
/* Of those, this thread's (a handler or a fork that interrupted its release). */
static __thread unsigned int q_in_flight_here;

/* The kernel's QUARANTINE_FRACTION: at most 1/32 of the memory is held. */
#define QUARANTINE_FRACTION	32

static inline void **q_link(const struct kmem_cache *s, void *x)
{
	return (void **)((char *)x + s->offset);
}

static inline struct kmem_cache *q_cache(void *x)
{
	return virt_to_slab(x)->slab_cache;
}

/* Back to their slabs, outside the lock: @list linked through q_link. */
static void q_release(void *list)
{
	while (list) {
		struct slab *slab = virt_to_slab(list);
		struct kmem_cache *s = slab->slab_cache;
		void *next = *q_link(s, list);

		slab_free_quarantined(s, slab, list);
		list = next;
	}
}

/*
 * @x of @s, already poisoned by slab_free_hook(): kept (true), or to be
 * freed by the caller now (false).
 */
bool slab_quarantine_put(struct kmem_cache *s, void *x)
{
	void *old = NULL, *old_tail = NULL;
	size_t limit;

	if (!slab_quarantine_on || (s->flags & SLAB_TYPESAFE_BY_RCU) || in_hardirq())
		return false;
	limit = (totalram_pages() << PAGE_SHIFT) / QUARANTINE_FRACTION;
	*q_link(s, x) = NULL;
	spin_lock(&quarantine_lock);
	if (q_tail)
		*q_link(q_cache(q_tail), q_tail) = x;
	else
		q_head = x;
	q_tail = x;
	q_bytes += s->size;
	/* Over the bound: the oldest objects, down to three quarters of it. */
	while (q_bytes > limit - limit / 4 && q_head && (old || q_bytes > limit)) {
		void *y = q_head;
		struct kmem_cache *ys = q_cache(y);

		q_head = *q_link(ys, y);
		if (!q_head)
			q_tail = NULL;
		q_bytes -= ys->size;
		*q_link(ys, y) = NULL;
		if (old_tail)
			*q_link(q_cache(old_tail), old_tail) = y;
		else
			old = y;
		old_tail = y;
	}
	if (old) {
		q_in_flight++;
		q_in_flight_here++;
	}
	spin_unlock(&quarantine_lock);
	if (old) {
		q_release(old);
		q_in_flight_here--;
		__atomic_sub_fetch(&q_in_flight, 1, __ATOMIC_RELEASE);
	}
	return true;
}

/* Every object of @s out of the quarantine and back to its slab. */
void slab_quarantine_remove_cache(struct kmem_cache *s)
{
	void *keep_head = NULL, *keep_tail = NULL, *out = NULL, *out_tail = NULL, *x;

	if (!slab_quarantine_on)
		return;
	spin_lock(&quarantine_lock);
	x = q_head;
	while (x) {
		struct kmem_cache *xs = q_cache(x);
		void *next = *q_link(xs, x);

		*q_link(xs, x) = NULL;
		if (xs == s) {
			q_bytes -= xs->size;
			if (out_tail)
				*q_link(q_cache(out_tail), out_tail) = x;
			else
				out = x;
			out_tail = x;
		} else {
			if (keep_tail)
				*q_link(q_cache(keep_tail), keep_tail) = x;
			else
				keep_head = x;
			keep_tail = x;
		}
		x = next;
	}
	q_head = keep_head;
	q_tail = keep_tail;
	spin_unlock(&quarantine_lock);
	q_release(out);
	/*
	 * A reduction that took objects of @s before the sweep gives them
	 * back outside the lock: wait for every batch in flight (may sleep,
	 * as kasan_quarantine_remove_cache()'s synchronize_srcu() does).
	 */
	while (__atomic_load_n(&q_in_flight, __ATOMIC_ACQUIRE) > q_in_flight_here)
		arch_yield();
}

/*
 * The child: the batches other threads were giving back stay allocated
 * (their threads are gone), and nobody must wait for them.
 */
static void quarantine_fork_child(void)
{
	q_in_flight = q_in_flight_here;
}

/* A fork waits for the list to be consistent (kernel/fork.c). */
static const struct fork_step quarantine_fork_step = {
	.name = "slab_quarantine",
	.order = FORK_ORDER_SLAB_QUARANTINE,
	.spinlock = &quarantine_lock,
	.child = quarantine_fork_child,
};

void slab_quarantine_init(void)
{
	fork_register_step(&quarantine_fork_step);
	slab_quarantine_on = true;
}
