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
 */
#ifndef _LINUX_REFCOUNT_H
#define _LINUX_REFCOUNT_H

#include <limits.h>
#include <ukmem/kernel_types.h>
#include <linux/bug.h>

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n)	{ .refs = { (n) } }
#define REFCOUNT_MAX		INT_MAX
#define REFCOUNT_SATURATED	(INT_MIN / 2)

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

static inline void refcount_add(int i, refcount_t *r)
{
	int old = __atomic_fetch_add(&r->refs.counter, i, __ATOMIC_RELAXED);

	if (unlikely(!old))
		refcount_warn_saturate(r, REFCOUNT_ADD_UAF);
	else if (unlikely(old < 0 || old + i < 0))
		refcount_warn_saturate(r, REFCOUNT_ADD_OVF);
}

static inline void refcount_inc(refcount_t *r)
{
	refcount_add(1, r);
}

static inline __must_check bool refcount_add_not_zero(int i, refcount_t *r)
{
	int old = __atomic_load_n(&r->refs.counter, __ATOMIC_RELAXED);

	do {
		if (!old)
			break;
	} while (!__atomic_compare_exchange_n(&r->refs.counter, &old, old + i, true,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	if (unlikely(old < 0 || old + i < 0))
		refcount_warn_saturate(r, REFCOUNT_ADD_NOT_ZERO_OVF);
	return old;
}

static inline __must_check bool refcount_inc_not_zero(refcount_t *r)
{
	return refcount_add_not_zero(1, r);
}

static inline __must_check bool refcount_sub_and_test(int i, refcount_t *r)
{
	int old = __atomic_fetch_sub(&r->refs.counter, i, __ATOMIC_RELEASE);

	if (old == i) {
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		return true;
	}
	if (unlikely(old < 0 || old - i < 0))
		refcount_warn_saturate(r, REFCOUNT_SUB_UAF);
	return false;
}

static inline __must_check bool refcount_dec_and_test(refcount_t *r)
{
	return refcount_sub_and_test(1, r);
}

static inline void refcount_dec(refcount_t *r)
{
	if (unlikely(__atomic_fetch_sub(&r->refs.counter, 1, __ATOMIC_RELEASE) <= 1))
		refcount_warn_saturate(r, REFCOUNT_DEC_LEAK);
}

#endif /* _LINUX_REFCOUNT_H */
