/* SPDX-License-Identifier: MIT */
/*
 * kernel/locking.c - the contended half of spinlock_t and the per-thread
 * preempt and irq-disable counts (kernel/locking/, kernel/sched/core.c).
 *
 * A kernel spinlock holder is never preempted; a user-space one can be, so
 * after spinning a while the waiter yields its host CPU to let the holder
 * run.  Nothing here sleeps on a wait queue: a spinlock stays usable from
 * any context ukmem treats as atomic.
 */
#include <linux/spinlock.h>
#include "arch/host.h"

__thread unsigned int ukmem_preempt_count __attribute__((tls_model("initial-exec")));
__thread unsigned int ukmem_irqs_disabled_depth __attribute__((tls_model("initial-exec")));

#define SPINS_BEFORE_YIELD	128

void ukmem_spin_lock_contended(spinlock_t *lock)
{
	unsigned int spins = 0;

	for (;;) {
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED)) {
			if (++spins < SPINS_BEFORE_YIELD)
				arch_cpu_relax();
			else
				arch_yield();
		}
		if (!__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
			return;
	}
}
