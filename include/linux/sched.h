/* SPDX-License-Identifier: MIT */
/*
 * linux/sched.h - the part of the task the memory allocator reads: the
 * per-task flags (PF_*) and the reclaim state (include/linux/sched.h).
 *
 * A task is a thread here.  `current` is the calling thread's
 * task_struct, kept in initial-exec TLS, so `current->flags` is one load,
 * as it is in the kernel.  Only the fields the allocator uses exist; code
 * that wants current->pid or current->comm has no use for this library.
 */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <ukmem/kernel_types.h>
#include <linux/preempt.h>

UKMEM_C_BEGIN

/* The kernel's values, so flags compare and print as they do there. */
#define PF_MEMALLOC		0x00000800	/* allocating for reclaim: no reclaim, may use reserves */
#define PF_KSWAPD		0x00020000	/* I am kswapd */
#define PF_MEMALLOC_NOFS	0x00040000	/* every allocation acts as GFP_NOFS */
#define PF_MEMALLOC_NOIO	0x00080000	/* every allocation acts as GFP_NOIO */
#define PF_KTHREAD		0x00200000	/* a thread of the library's own */
#define PF_MEMALLOC_NORECLAIM	0x00800000	/* no direct reclaim at all (6.10) */
#define PF_MEMALLOC_NOWARN	0x01000000	/* every allocation acts as __GFP_NOWARN (6.10) */
#define PF_MEMALLOC_PIN		0x10000000	/* allocations stay out of ZONE_MOVABLE and CMA (5.13+) */

/* What reclaim got back so far (include/linux/swap.h struct reclaim_state). */
struct reclaim_state {
	unsigned long reclaimed;	/* pages freed, counted by the slab allocator */
};

struct task_struct {
	unsigned int flags;			/* PF_* */
	struct reclaim_state *reclaim_state;	/* set while this task reclaims */
};

UKMEM_API_BEGIN
extern __thread struct task_struct ukmem_current_task
	__attribute__((tls_model("initial-exec")));
UKMEM_API_END

static __always_inline struct task_struct *get_current(void)
{
	return &ukmem_current_task;
}
#define current get_current()

UKMEM_C_END

#endif /* _LINUX_SCHED_H */
