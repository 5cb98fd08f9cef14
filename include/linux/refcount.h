/* SPDX-License-Identifier: MIT */
/*
 * linux/refcount.h - reference counters that refuse to wrap
 * (include/linux/refcount.h, lib/refcount.c).
 *
 * A refcount_t is an atomic_t that saturates: an increment from 0 (a use
 * after free), an overflow, or a decrement below 1 that is not the last
 * put warns once ("refcount_t: addition on 0; use-after-free.") and pins
 * the counter at REFCOUNT_SATURATED, so the object leaks instead of being
 * freed twice.  The last put (refcount_dec_and_test() returning true)
 * orders everything before it against what the caller frees next.
 * The __refcount_ forms also store the old value through @oldp (NULL
 * allowed).  A saturated counter stays saturated.  tests/test_refcount.c
 * checks each transition and warning text against lib/refcount.c.
 */
#ifndef _LINUX_REFCOUNT_H
#define _LINUX_REFCOUNT_H

#include <limits.h>
#include <ukmem/kernel_types.h>
#include <linux/bug.h>
#include <linux/mutex.h>	/* refcount_dec_and_mutex_lock */
#include <linux/spinlock.h>	/* refcount_dec_and_lock */

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n)	{ .refs = { (n) } }
#define REFCOUNT_MAX		INT_MAX
#define REFCOUNT_SATURATED	(INT_MIN / 2)

/*
 * old + i and old - i as the kernel computes them: it builds with
 * -fno-strict-overflow, so a sum past INT_MAX wraps negative and is seen;
 * plain C would call that undefined and let the compiler drop the test.
 */
#define __refcount_wrap_add(a, b)	((int)((unsigned int)(a) + (unsigned int)(b)))
#define __refcount_wrap_sub(a, b)	((int)((unsigned int)(a) - (unsigned int)(b)))

enum refcount_saturation_type {
	REFCOUNT_ADD_NOT_ZERO_OVF,
	REFCOUNT_ADD_OVF,
	REFCOUNT_ADD_UAF,
	REFCOUNT_SUB_UAF,
	REFCOUNT_DEC_LEAK,
};

static inline void refcount_set(refcount_t *r, int n)
{
	__atomic_store_n(&r->refs.counter, n, __ATOMIC_RELAXED);
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return (unsigned int)__atomic_load_n(&r->refs.counter, __ATOMIC_RELAXED);
}

static inline void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t)
{
	refcount_set(r, REFCOUNT_SATURATED);
	switch (t) {
	case REFCOUNT_ADD_NOT_ZERO_OVF:
	case REFCOUNT_ADD_OVF:
		WARN_ONCE(1, "refcount_t: saturated; leaking memory.\n");
		break;
	case REFCOUNT_ADD_UAF:
		WARN_ONCE(1, "refcount_t: addition on 0; use-after-free.\n");
		break;
	case REFCOUNT_SUB_UAF:
		WARN_ONCE(1, "refcount_t: underflow; use-after-free.\n");
		break;
	case REFCOUNT_DEC_LEAK:
		WARN_ONCE(1, "refcount_t: decrement hit 0; leaking memory.\n");
		break;
	}
}

static inline void __refcount_add(int i, refcount_t *r, int *oldp)
{
	int old = __atomic_fetch_add(&r->refs.counter, i, __ATOMIC_RELAXED);

	if (oldp)
		*oldp = old;
	if (unlikely(!old))
		refcount_warn_saturate(r, REFCOUNT_ADD_UAF);
	else if (unlikely(old < 0 || __refcount_wrap_add(old, i) < 0))
		refcount_warn_saturate(r, REFCOUNT_ADD_OVF);
}

static inline void refcount_add(int i, refcount_t *r)
{
	__refcount_add(i, r, NULL);
}

static inline void __refcount_inc(refcount_t *r, int *oldp)
{
	__refcount_add(1, r, oldp);
}

static inline void refcount_inc(refcount_t *r)
{
	__refcount_add(1, r, NULL);
}

/* Adds @i unless the count is 0; returns whether it added. */
static inline __must_check bool __refcount_add_not_zero(int i, refcount_t *r, int *oldp)
{
	int old = __atomic_load_n(&r->refs.counter, __ATOMIC_RELAXED);

	do {
		if (!old)
			break;
	} while (!__atomic_compare_exchange_n(&r->refs.counter, &old, __refcount_wrap_add(old, i), true,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	if (oldp)
		*oldp = old;
	if (unlikely(old < 0 || __refcount_wrap_add(old, i) < 0))
		refcount_warn_saturate(r, REFCOUNT_ADD_NOT_ZERO_OVF);
	return old;
}

static inline __must_check bool refcount_add_not_zero(int i, refcount_t *r)
{
	return __refcount_add_not_zero(i, r, NULL);
}

static inline __must_check bool __refcount_inc_not_zero(refcount_t *r, int *oldp)
{
	return __refcount_add_not_zero(1, r, oldp);
}

static inline __must_check bool refcount_inc_not_zero(refcount_t *r)
{
	return __refcount_add_not_zero(1, r, NULL);
}

/*
 * Subtracts @i; true when that took the count from @i to 0 (the caller
 * frees).  Going below 0, or starting at 0 or saturated, warns
 * "underflow; use-after-free" and saturates.
 */
static inline __must_check bool __refcount_sub_and_test(int i, refcount_t *r, int *oldp)
{
	int old = __atomic_fetch_sub(&r->refs.counter, i, __ATOMIC_RELEASE);

	if (oldp)
		*oldp = old;
	if (old > 0 && old == i) {
		/*
		 * The last put sees every earlier put's writes.  ThreadSanitizer
		 * does not take fences (gcc's -Wtsan warns where a program's
		 * code inlines one): an acquire load of the counter says the
		 * same to it.
		 */
#ifdef __SANITIZE_THREAD__
		(void)__atomic_load_n(&r->refs.counter, __ATOMIC_ACQUIRE);
#else
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
#endif
		return true;
	}
	if (unlikely(old <= 0 || __refcount_wrap_sub(old, i) < 0))
		refcount_warn_saturate(r, REFCOUNT_SUB_UAF);
	return false;
}

static inline __must_check bool refcount_sub_and_test(int i, refcount_t *r)
{
	return __refcount_sub_and_test(i, r, NULL);
}

static inline __must_check bool __refcount_dec_and_test(refcount_t *r, int *oldp)
{
	return __refcount_sub_and_test(1, r, oldp);
}

static inline __must_check bool refcount_dec_and_test(refcount_t *r)
{
	return __refcount_sub_and_test(1, r, NULL);
}

/* A decrement that must not be the last: reaching 0 warns "decrement hit 0; leaking memory". */
static inline void __refcount_dec(refcount_t *r, int *oldp)
{
	int old = __atomic_fetch_sub(&r->refs.counter, 1, __ATOMIC_RELEASE);

	if (oldp)
		*oldp = old;
	if (unlikely(old <= 1))
		refcount_warn_saturate(r, REFCOUNT_DEC_LEAK);
}

static inline void refcount_dec(refcount_t *r)
{
	__refcount_dec(r, NULL);
}

/* 1 -> 0 only: true if the count was exactly 1 (and is now 0). */
static inline __must_check bool refcount_dec_if_one(refcount_t *r)
{
	int one = 1;

	return __atomic_compare_exchange_n(&r->refs.counter, &one, 0, false,
					   __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

/*
 * Decrements unless the count is 1 (then false: the caller takes the slow
 * path that may free).  A saturated counter is left alone (true); from 0
 * it warns "underflow; use-after-free" and leaves the count (true).
 */
static inline __must_check bool refcount_dec_not_one(refcount_t *r)
{
	unsigned int val = refcount_read(r), next;

	do {
		if (unlikely(val == (unsigned int)REFCOUNT_SATURATED))
			return true;
		if (val == 1)
			return false;
		next = val - 1;
		if (next > val) {
			WARN_ONCE(1, "refcount_t: underflow; use-after-free.\n");
			return true;
		}
	} while (!__atomic_compare_exchange_n(&r->refs.counter, (int *)&val, (int)next, true,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	return true;
}

/* The last put takes @lock first: true, with @lock held, when the count hit 0. */
static inline __must_check bool refcount_dec_and_lock(refcount_t *r, spinlock_t *lock)
{
	if (refcount_dec_not_one(r))
		return false;
	spin_lock(lock);
	if (!refcount_dec_and_test(r)) {
		spin_unlock(lock);
		return false;
	}
	return true;
}

static inline __must_check bool refcount_dec_and_mutex_lock(refcount_t *r, struct mutex *lock)
{
	if (refcount_dec_not_one(r))
		return false;
	mutex_lock(lock);
	if (!refcount_dec_and_test(r)) {
		mutex_unlock(lock);
		return false;
	}
	return true;
}

#endif /* _LINUX_REFCOUNT_H */
