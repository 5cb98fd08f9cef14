/* SPDX-License-Identifier: MIT */
/*
 * mm/slab_rcu.c - freeing slab and vmalloc memory after an RCU grace
 * period: kvfree_call_rcu() behind kfree_rcu()/kvfree_rcu() and their
 * headless forms, and kvfree_rcu_barrier() (the kvfree_rcu half of the
 * kernel's mm/slab_common.c, formerly kernel/rcu/tree.c).
 *
 * With a struct rcu_head in the object (kfree_rcu(ptr, field)), the head
 * itself is queued: one lock-free push on the caller's CPU queue, the
 * object's address kept in head->func, never an allocation, any context.
 * The kernel first tries to put the pointer in a per-CPU page of pointers
 * and falls back to the head; ukmem always uses the head, which costs the
 * same and cannot fail.
 *
 * Without a head (kfree_rcu(ptr), kfree_rcu_mightsleep(ptr)) the pointer
 * goes into a page of pointers (struct kvfree_block), one being filled per
 * queue; a full page is queued as one callback that frees them all.  The
 * producer takes the queue's page with an exchange, adds, and puts it
 * back, so a signal handler or another thread on the same CPU never sees
 * it half written: it finds none and starts its own.  When no page can be
 * had without sleeping, the caller waits for a grace period itself and
 * frees at once, as the kernel does; hence "mightsleep".  Partly filled
 * pages are queued when the RCU thread runs out of work, and by
 * kvfree_rcu_barrier().
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include "kernel/rcu.h"
#include "mm/internal.h"

#define KVFREE_BLOCK_PTRS \
	((PAGE_SIZE - sizeof(struct rcu_head) - sizeof(unsigned long)) / sizeof(void *))

struct kvfree_block {
	struct rcu_head rcu;
	unsigned long nr;
	void *ptrs[KVFREE_BLOCK_PTRS];
};
_Static_assert(sizeof(struct kvfree_block) <= PAGE_SIZE, "a block is one page");

static inline struct rcu_queue *this_queue(void)
{
	return &rcu_queues[(unsigned int)raw_smp_processor_id() & (RCU_NR_QUEUES - 1)];
}

/* The callback of a block: free its pointers, then the page. */
void kvfree_rcu_block_cb(struct rcu_head *head)
{
	struct kvfree_block *b = container_of(head, struct kvfree_block, rcu);
	unsigned long i, nr = b->nr;

	for (i = 0; i < nr; i++)
		kvfree(b->ptrs[i]);
	free_page((unsigned long)b);
	__atomic_fetch_add(&rcu_stats.invoked, nr, __ATOMIC_RELAXED);
}

static void queue_block(struct rcu_queue *q, struct kvfree_block *b)
{
	b->rcu.func = kvfree_rcu_block_cb;
	rcu_push(&q->cbs, &b->rcu);
}

/* Add @ptr to this CPU's block; false if there is none and no page to start one. */
static bool add_to_block(void *ptr)
{
	struct rcu_queue *q = this_queue();
	struct kvfree_block *b = __atomic_exchange_n(&q->block, NULL, __ATOMIC_ACQUIRE), *none = NULL;

	if (!b) {
		b = (struct kvfree_block *)__get_free_page(GFP_NOWAIT | __GFP_NOWARN);
		if (!b)
			return false;
		b->nr = 0;
	}
	b->ptrs[b->nr++] = ptr;
	__atomic_fetch_add(&q->queued, 1, __ATOMIC_RELAXED);
	if (b->nr == KVFREE_BLOCK_PTRS)
		queue_block(q, b);
	else if (!__atomic_compare_exchange_n(&q->block, &none, b, false, __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED))
		queue_block(q, b);	/* another started one meanwhile: ours goes now */
	return true;
}

/**
 * kvfree_call_rcu - free @ptr (slab, large kmalloc or vmalloc memory) after
 * a grace period.  With @head (a struct rcu_head inside *@ptr): never
 * sleeps, any context.  Without (NULL): may sleep.
 */
void kvfree_call_rcu(struct rcu_head *head, void *ptr)
{
	struct rcu_queue *q;

	if (!ptr)
		return;
	if (head) {
		q = this_queue();
		head->func = (rcu_callback_t)ptr;
		__atomic_fetch_add(&q->queued, 1, __ATOMIC_RELAXED);
		rcu_push(&q->kvfree, head);
		rcu_kick();
		return;
	}
	might_sleep();
	if (add_to_block(ptr)) {
		rcu_kick();
		return;
	}
	/* No memory to remember it: wait here, as the kernel's headless path does. */
	synchronize_rcu();
	kvfree(ptr);
}

void kvfree_rcu_invoke(struct rcu_head *head)
{
	kvfree((void *)head->func);
}

void kvfree_rcu_flush_blocks(void)
{
	unsigned int i;

	for (i = 0; i < RCU_NR_QUEUES; i++) {
		struct kvfree_block *b;

		if (!__atomic_load_n(&rcu_queues[i].block, __ATOMIC_RELAXED))
			continue;
		b = __atomic_exchange_n(&rcu_queues[i].block, NULL, __ATOMIC_ACQUIRE);
		if (b)
			queue_block(&rcu_queues[i], b);
	}
}

bool kvfree_rcu_blocks_pending(void)
{
	unsigned int i;

	for (i = 0; i < RCU_NR_QUEUES; i++)
		if (__atomic_load_n(&rcu_queues[i].block, __ATOMIC_RELAXED))
			return true;
	return false;
}

/**
 * kvfree_rcu_barrier - wait until every object given to kfree_rcu(),
 * kvfree_rcu() and their headless forms before the call is freed.  May
 * sleep; returns at once when nothing is pending.  kmem_cache_destroy()
 * calls it, so that a cache is never destroyed under objects still on
 * their way back to it.
 */
void kvfree_rcu_barrier(void)
{
	might_sleep();
	kvfree_rcu_flush_blocks();
	if (rcu_all_done())
		return;
	rcu_barrier();
}
