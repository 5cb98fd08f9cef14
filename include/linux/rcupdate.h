/* SPDX-License-Identifier: MIT */
/*
 * linux/rcupdate.h - read-copy update (include/linux/rcupdate.h,
 * include/linux/rcutree.h, and the kvfree_rcu half of include/linux/slab.h).
 *
 * Readers: rcu_read_lock()/rcu_read_unlock() around reads of data that
 * writers replace with rcu_assign_pointer() and free only after a grace
 * period.  They never block, nest, and are safe in signal handlers.  Their
 * cost is what the kernel's non-preemptible rcu_read_lock() costs (a
 * preempt-count increment): a thread-local load and store each, plus, on
 * the outermost lock, one load of the global grace-period counter.
 *
 * Writers: synchronize_rcu() waits for a grace period (every reader that
 * was in a read-side section when it started has left it); call_rcu()
 * queues a callback to run after one, on the library's RCU thread;
 * rcu_barrier() waits for every callback queued so far.  kfree_rcu(),
 * kvfree_rcu() and their headless forms free an object after a grace
 * period.  kernel/rcu.c describes the design; docs/rcu.md the differences
 * from the kernel.
 *
 * Context rules, as in the kernel: call_rcu() and kfree_rcu(ptr, field)
 * never sleep and may be called from any context, signal handlers
 * included; synchronize_rcu(), rcu_barrier() and the _mightsleep forms
 * may sleep.  A reader may not call synchronize_rcu() (reported, and the
 * wait leaves that reader out).  Unlike the kernel, a reader that sleeps
 * is not reported; it only makes grace periods last longer.
 */
#ifndef _LINUX_RCUPDATE_H
#define _LINUX_RCUPDATE_H

#include <ukmem/kernel_types.h>
#include <linux/cleanup.h>
#include <linux/preempt.h>

UKMEM_C_BEGIN

/*
 * A reader's word: the grace-period counter it saw on entering its
 * outermost section, shifted by RCU_NEST_BITS, plus its nesting depth.
 * Nesting 0 is a quiescent state.
 */
#define RCU_NEST_BITS		16
#define RCU_NEST_MASK		((1UL << RCU_NEST_BITS) - 1)
#define RCU_GP_STEP		(1UL << RCU_NEST_BITS)

struct ukmem_rcu_reader {
	unsigned long ctr;
	int owner;			/* thread id; 0: the slot is free */
} __aligned(64);

UKMEM_API_BEGIN
/* This thread's reader slot, NULL until its first rcu_read_lock(). */
extern __thread struct ukmem_rcu_reader *ukmem_rcu_self
	__attribute__((tls_model("initial-exec")));
/* The grace-period counter, in units of RCU_GP_STEP. */
extern unsigned long ukmem_rcu_gp_ctr;
/* Readers fence: the host has no membarrier(2) for grace periods to use. */
extern int ukmem_rcu_reader_mb;
struct ukmem_rcu_reader *ukmem_rcu_register(void);

void call_rcu(struct rcu_head *head, rcu_callback_t func);
void synchronize_rcu(void);
void synchronize_rcu_expedited(void);
void rcu_barrier(void);
/* Free @ptr (vmalloc or slab memory) after a grace period; @head may be NULL. */
void kvfree_call_rcu(struct rcu_head *head, void *ptr);
void kvfree_rcu_barrier(void);
/* Callbacks queued and not yet invoked (kfree_rcu objects included). */
unsigned long rcu_pending_callbacks(void);
UKMEM_API_END

static __always_inline void rcu_read_lock(void)
{
	struct ukmem_rcu_reader *r = ukmem_rcu_self;
	unsigned long c;

	if (unlikely(!r))
		r = ukmem_rcu_register();
	c = __atomic_load_n(&r->ctr, __ATOMIC_RELAXED);
	if (likely(!(c & RCU_NEST_MASK))) {
		/* Outermost: take a snapshot of the grace-period counter. */
		c = __atomic_load_n(&ukmem_rcu_gp_ctr, __ATOMIC_ACQUIRE);
#ifdef __SANITIZE_THREAD__
		/*
		 * The store and the full fence as one sequentially consistent
		 * exchange: ThreadSanitizer does not take fences, and gcc's
		 * -Wtsan warns in every program that inlines one.
		 */
		if (unlikely(ukmem_rcu_reader_mb))
			(void)__atomic_exchange_n(&r->ctr, c + 1, __ATOMIC_SEQ_CST);
		else
			__atomic_store_n(&r->ctr, c + 1, __ATOMIC_RELAXED);
#else
		__atomic_store_n(&r->ctr, c + 1, __ATOMIC_RELAXED);
		if (unlikely(ukmem_rcu_reader_mb))
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
	} else {
		__atomic_store_n(&r->ctr, c + 1, __ATOMIC_RELAXED);
	}
	barrier();
}

static __always_inline void rcu_read_unlock(void)
{
	struct ukmem_rcu_reader *r = ukmem_rcu_self;

	barrier();
	/* Release: the section's reads come before a writer sees it leave. */
	__atomic_store_n(&r->ctr, __atomic_load_n(&r->ctr, __ATOMIC_RELAXED) - 1,
			 __ATOMIC_RELEASE);
}

static inline int rcu_read_lock_held(void)
{
	struct ukmem_rcu_reader *r = ukmem_rcu_self;

	return r && (__atomic_load_n(&r->ctr, __ATOMIC_RELAXED) & RCU_NEST_MASK);
}

/* One flavour: the kernel's _bh and _sched readers are the same readers. */
#define rcu_read_lock_bh()		rcu_read_lock()
#define rcu_read_unlock_bh()		rcu_read_unlock()
#define rcu_read_lock_sched()		rcu_read_lock()
#define rcu_read_unlock_sched()		rcu_read_unlock()
#define rcu_read_lock_bh_held()		rcu_read_lock_held()
#define rcu_read_lock_sched_held()	rcu_read_lock_held()
#define synchronize_rcu_bh()		synchronize_rcu()
#define synchronize_sched()		synchronize_rcu()
#define call_rcu_hurry(h, f)		call_rcu((h), (f))
#define rcu_barrier_bh()		rcu_barrier()
#define rcu_barrier_sched()		rcu_barrier()

/* Pointers readers follow: published with release, read with acquire. */
#define rcu_dereference_raw(p)		__atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define rcu_dereference(p)		rcu_dereference_raw(p)
#define rcu_dereference_check(p, c)	rcu_dereference_raw(p)
#define rcu_dereference_bh(p)		rcu_dereference_raw(p)
#define rcu_dereference_sched(p)	rcu_dereference_raw(p)
#define rcu_dereference_protected(p, c)	__atomic_load_n(&(p), __ATOMIC_RELAXED)
#define rcu_access_pointer(p)		__atomic_load_n(&(p), __ATOMIC_RELAXED)
#define rcu_assign_pointer(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v)		__atomic_store_n(&(p), (v), __ATOMIC_RELAXED)
#define rcu_replace_pointer(p, v, c)	__atomic_exchange_n(&(p), (v), __ATOMIC_ACQ_REL)
#define __rcu

/*
 * kfree_rcu(ptr, field) / kvfree_rcu(ptr, field): free @ptr after a grace
 * period, through its struct rcu_head @field; never sleeps, any context.
 * kfree_rcu(ptr) / kvfree_rcu(ptr), the older one-argument form, and
 * kfree_rcu_mightsleep(ptr) / kvfree_rcu_mightsleep(ptr): no rcu_head in
 * the object; may sleep (a full grace period, when the pointer cannot be
 * queued without memory).
 */
#define __kvfree_rcu_offset_ok(off)	((unsigned long)(off) < 4096)
#define kvfree_rcu_arg_2(ptr, rhf)					\
	do {								\
		__typeof__(ptr) ___p = (ptr);				\
		_Static_assert(__kvfree_rcu_offset_ok(			\
			offsetof(__typeof__(*(ptr)), rhf)),		\
			"rcu_head must be in the object's first 4 KiB"); \
		if (___p)						\
			kvfree_call_rcu(&((___p)->rhf), (void *)(___p)); \
	} while (0)
#define kvfree_rcu_arg_1(ptr)						\
	do {								\
		void *___p = (void *)(ptr);				\
		might_sleep();						\
		if (___p)						\
			kvfree_call_rcu(NULL, ___p);			\
	} while (0)
#define __KVFREE_RCU_PICK(_1, _2, name, ...)	name
#define kvfree_rcu(...)		__KVFREE_RCU_PICK(__VA_ARGS__, kvfree_rcu_arg_2, kvfree_rcu_arg_1, )(__VA_ARGS__)
#define kfree_rcu(...)		kvfree_rcu(__VA_ARGS__)
#define kfree_rcu_mightsleep(ptr)	kvfree_rcu_arg_1(ptr)
#define kvfree_rcu_mightsleep(ptr)	kvfree_rcu_arg_1(ptr)

/* guard(rcu)() (linux/cleanup.h). */
DEFINE_LOCK_GUARD_0(rcu, rcu_read_lock(), rcu_read_unlock())

UKMEM_C_END

#endif /* _LINUX_RCUPDATE_H */
