/* SPDX-License-Identifier: MIT */
/*
 * linux/spinlock.h - spinlock_t with the kernel's API.
 *
 * A spinlock raises the preempt count while held, as in the kernel, and
 * never sleeps: a contended lock spins, and yields the host CPU after a
 * while because the holder may have been preempted by the host scheduler
 * (something a kernel spinlock holder never is).  The _irq/_irqsave forms
 * also record "interrupts disabled" for the context checks.
 */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H

#include <ukmem/kernel_types.h>
#include <linux/cleanup.h>
#include <linux/preempt.h>

UKMEM_C_BEGIN

typedef struct spinlock {
	int locked;
	unsigned int rank;		/* lock order rank; 0: not checked */
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name)	{ 0, 0 }
#define DEFINE_SPINLOCK(name)		spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

UKMEM_API_BEGIN
void ukmem_spin_lock_contended(spinlock_t *lock);
void ukmem_spin_lock_contended_by(spinlock_t *lock, int owner);
/* This thread's spin_owner_id(), 0 until first asked (kernel/locking.c). */
extern __thread int ukmem_lock_owner __attribute__((tls_model("initial-exec")));
int ukmem_lock_owner_slow(void);
/* The lock order checker (kernel/locking.c): on or off for the whole process. */
extern bool ukmem_lockdep;
void ukmem_lock_acquire(const void *lock, unsigned int rank, bool trylock);
void ukmem_lock_release(const void *lock);
UKMEM_API_END

static inline void spin_lock_init(spinlock_t *lock)
{
	lock->locked = 0;
	lock->rank = 0;
}

/*
 * Raw acquire without touching the preempt count (used by the allocator).
 * A compare-and-swap, never a blind exchange: fork() holds locks with a
 * value of its own (kernel/fork.c) that a waiter must not overwrite.
 */
static __always_inline bool arch_spin_trylock(spinlock_t *lock)
{
	int free = 0;

	return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) == 0 &&
	       __atomic_compare_exchange_n(&lock->locked, &free, 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static __always_inline void arch_spin_lock(spinlock_t *lock)
{
	int free = 0;

	if (unlikely(!__atomic_compare_exchange_n(&lock->locked, &free, 1, false,
						  __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)))
		ukmem_spin_lock_contended(lock);
}

/*
 * What spin_lock() and spin_trylock() store in the lock: the holder's
 * thread id with bit 30 set (a raw arch_spin_lock() stores 1, a fork's
 * hold FORK_HELD | tid), so that a thread can tell a lock it holds
 * itself.  A signal handler that interrupted its thread inside the
 * allocator and then wants the lock that code holds would wait for ever:
 * the zone and node locks then take their interrupt path (tried only),
 * and any other lock reports "spinlock recursion" and panics instead of
 * hanging.
 */
#define SPIN_OWNER_BIT	0x40000000

static __always_inline int spin_owner_id(void)
{
	int id = ukmem_lock_owner;

	return likely(id) ? id : ukmem_lock_owner_slow();
}

static __always_inline bool spin_held_by_current(spinlock_t *lock)
{
	return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) == spin_owner_id();
}

static __always_inline void spin_lock_owned(spinlock_t *lock)
{
	int free = 0, id = spin_owner_id();

	if (unlikely(!__atomic_compare_exchange_n(&lock->locked, &free, id, false,
						  __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)))
		ukmem_spin_lock_contended_by(lock, id);
}

static __always_inline bool spin_trylock_owned(spinlock_t *lock)
{
	int free = 0;

	return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) == 0 &&
	       __atomic_compare_exchange_n(&lock->locked, &free, spin_owner_id(), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static __always_inline void arch_spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

static __always_inline void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	if (unlikely(ukmem_lockdep))
		ukmem_lock_acquire(lock, lock->rank, false);
	spin_lock_owned(lock);
}

static __always_inline bool spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	if (spin_trylock_owned(lock)) {
		if (unlikely(ukmem_lockdep))
			ukmem_lock_acquire(lock, lock->rank, true);
		return true;
	}
	preempt_enable();
	return false;
}

static __always_inline void spin_unlock(spinlock_t *lock)
{
	if (unlikely(ukmem_lockdep))
		ukmem_lock_release(lock);
	arch_spin_unlock(lock);
	preempt_enable();
}

static inline int spin_is_locked(spinlock_t *lock)
{
	return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED);
}

#define spin_lock_irq(l)	do { local_irq_disable(); spin_lock(l); } while (0)
#define spin_unlock_irq(l)	do { spin_unlock(l); local_irq_enable(); } while (0)
#define spin_lock_irqsave(l, flags) do { local_irq_save(flags); spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { spin_unlock(l); local_irq_restore(flags); } while (0)
#define spin_lock_bh(l)		spin_lock(l)
#define spin_unlock_bh(l)	spin_unlock(l)
#define spin_trylock_bh(l)	spin_trylock(l)
/* Interrupts stay as they were unless the lock is taken. */
#define spin_trylock_irq(l) ({							\
	bool __taken;								\
	local_irq_disable();							\
	__taken = spin_trylock(l);						\
	if (!__taken)								\
		local_irq_enable();						\
	__taken;								\
})
#define spin_trylock_irqsave(l, flags) ({					\
	bool __taken;								\
	local_irq_save(flags);							\
	__taken = spin_trylock(l);						\
	if (!__taken)								\
		local_irq_restore(flags);					\
	__taken;								\
})

/* guard(spinlock)(&lock) and friends (linux/cleanup.h). */
DEFINE_LOCK_GUARD_1(spinlock, spinlock_t, spin_lock(_T->lock), spin_unlock(_T->lock))
DEFINE_LOCK_GUARD_1(spinlock_irq, spinlock_t, spin_lock_irq(_T->lock), spin_unlock_irq(_T->lock))
DEFINE_LOCK_GUARD_1(spinlock_bh, spinlock_t, spin_lock_bh(_T->lock), spin_unlock_bh(_T->lock))
DEFINE_LOCK_GUARD_1(spinlock_irqsave, spinlock_t,
		    spin_lock_irqsave(_T->lock, _T->flags),
		    spin_unlock_irqrestore(_T->lock, _T->flags),
		    unsigned long flags)
DEFINE_LOCK_GUARD_1_COND(spinlock, _try, spin_trylock(_T->lock))
DEFINE_LOCK_GUARD_1_COND(spinlock_irq, _try, spin_trylock_irq(_T->lock))
DEFINE_LOCK_GUARD_1_COND(spinlock_irqsave, _try, spin_trylock_irqsave(_T->lock, _T->flags))

UKMEM_C_END

#endif /* _LINUX_SPINLOCK_H */
