/* SPDX-License-Identifier: MIT */
/*
 * linux/mutex.h - sleeping locks with the kernel's API.
 *
 * A mutex is for sections that may sleep: an allocation that may reclaim
 * or wait (GFP_KERNEL), a host call that blocks.  A contended mutex_lock()
 * sleeps on a futex (arch/), so waiters cost no CPU, where a spinlock's
 * waiters spin and yield.  As in the kernel: mutex_lock() may sleep and is
 * reported when called from atomic context (CONFIG_DEBUG_ATOMIC_SLEEP);
 * only the holder unlocks; no recursion.  mutex_lock_interruptible() and
 * mutex_lock_killable() return 0: nothing interrupts a wait here.  A mutex
 * given a rank is checked by the lock order checker (linux/spinlock.h).
 *
 * Mirrors include/linux/mutex.h and kernel/locking/mutex.c; the word is
 * the three-state futex lock (0 free, 1 held, 2 held with sleepers).
 */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H

#include <ukmem/kernel_types.h>
#include <linux/cleanup.h>
#include <linux/preempt.h>

UKMEM_C_BEGIN

struct mutex {
	u32 state;		/* 0 free, 1 held, 2 held and someone sleeps */
	int owner;		/* the holder's thread id, 0 when free */
	unsigned int rank;	/* lock order rank; 0: not checked */
};

#define __MUTEX_INITIALIZER(name)	{ 0, 0, 0 }
#define DEFINE_MUTEX(name)		struct mutex name = __MUTEX_INITIALIZER(name)

UKMEM_API_BEGIN
void mutex_lock(struct mutex *lock);
int mutex_lock_interruptible(struct mutex *lock);
int mutex_lock_killable(struct mutex *lock);
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
UKMEM_API_END

static inline void mutex_init(struct mutex *lock)
{
	lock->state = 0;
	lock->owner = 0;
	lock->rank = 0;
}

static inline void mutex_destroy(struct mutex *lock)
{
	(void)lock;
}

static inline bool mutex_is_locked(struct mutex *lock)
{
	return __atomic_load_n(&lock->state, __ATOMIC_RELAXED) != 0;
}

#define mutex_lock_nested(lock, subclass)	mutex_lock(lock)
#define mutex_lock_io(lock)			mutex_lock(lock)

/* guard(mutex)(&lock), and the conditional mutex_try and mutex_intr (linux/cleanup.h). */
DEFINE_GUARD(mutex, struct mutex *, mutex_lock(_T), mutex_unlock(_T))
DEFINE_GUARD_COND(mutex, _try, mutex_trylock(_T))
DEFINE_GUARD_COND(mutex, _intr, mutex_lock_interruptible(_T), _RET == 0)

UKMEM_C_END

#endif /* _LINUX_MUTEX_H */
