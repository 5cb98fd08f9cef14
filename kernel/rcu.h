/* SPDX-License-Identifier: MIT */
/*
 * kernel/rcu.h - what kernel/rcu.c shares with kfree_rcu's batching
 * (mm/slab_rcu.c): the callback queues and the hooks each side calls.
 */
#ifndef _KERNEL_RCU_H
#define _KERNEL_RCU_H

#include <linux/rcupdate.h>

/* Queues of callbacks; a caller uses its CPU's (mod RCU_NR_QUEUES). */
#define RCU_NR_QUEUES	64

struct kvfree_block;
struct rcu_queue {
	struct rcu_head *cbs;		/* call_rcu(), newest first */
	struct rcu_head *kvfree;	/* kvfree_call_rcu() with a head: ->func is the object */
	struct kvfree_block *block;	/* headless kvfree_rcu() pointers being gathered */
	unsigned long queued;		/* callbacks and objects ever queued here */
} __aligned(64);
extern struct rcu_queue rcu_queues[RCU_NR_QUEUES];

/* Counters (kernel/rcu.c), for reports and tests. */
struct rcu_stats {
	unsigned long gp_completed;	/* grace periods waited for */
	unsigned long invoked;		/* callbacks and kvfree objects done */
};
extern struct rcu_stats rcu_stats;

/* ---- kernel/rcu.c ---- */
void rcu_init(void);			/* boot: the fork hook */
/* Lock-free push onto one of a queue's stacks (any context). */
void rcu_push(struct rcu_head **list, struct rcu_head *head);
/* Something was queued: wake or start whoever processes it. */
void rcu_kick(void);
bool rcu_queues_empty(void);
/* Nothing queued, nothing waiting in a block, every callback has run. */
bool rcu_all_done(void);

/* ---- mm/slab_rcu.c ---- */
/* Free what a kvfree head stands for (its ->func holds the object). */
void kvfree_rcu_invoke(struct rcu_head *head);
/* The callback of a block of headless pointers; counts them as invoked. */
void kvfree_rcu_block_cb(struct rcu_head *head);
/* Queue every partly filled block of headless pointers as a callback. */
void kvfree_rcu_flush_blocks(void);
bool kvfree_rcu_blocks_pending(void);

#endif /* _KERNEL_RCU_H */
