/* SPDX-License-Identifier: MIT */
/* kernel/fork.h - registering a subsystem's lock-all/unlock-all pair for fork(). */
#ifndef _KERNEL_FORK_H
#define _KERNEL_FORK_H

/*
 * Lock orders: the smaller number is taken first.  Slab locks come before
 * the page allocator's because slab paths call into the page allocator
 * while holding their own locks.
 */
enum {
	FORK_ORDER_MALLOC = 10,		/* the front end's host-block registry */
	FORK_ORDER_MEMPOOL = 20,
	FORK_ORDER_PERCPU = 30,
	FORK_ORDER_VMALLOC = 40,
	FORK_ORDER_SLAB = 50,
	FORK_ORDER_PAGE_ALLOC = 60,
	FORK_ORDER_RECLAIM = 70,	/* shrinker_lock, the kswapd states (mm/vmscan.c) */
	FORK_ORDER_RCU = 80,		/* rcu_collect_lock (kernel/rcu.c) */
	FORK_ORDER_PRINTK = 90,
};

void ukmem_register_fork_hook(int order, void (*lock_all)(void), void (*unlock_all)(void));

/* kernel/printk.c */
void printk_fork_lock(void);
void printk_fork_unlock(void);

#endif /* _KERNEL_FORK_H */
