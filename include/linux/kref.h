/* SPDX-License-Identifier: MIT */
/*
 * linux/kref.h - a reference count embedded in an object, with the
 * release function called on the last put (include/linux/kref.h).
 *
 * Built on refcount_t (linux/refcount.h), so a get after the last put or
 * a put too many warns and leaks instead of freeing twice.
 */
#ifndef _LINUX_KREF_H
#define _LINUX_KREF_H

#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>

struct kref {
	refcount_t refcount;
};

#define KREF_INIT(n)	{ .refcount = REFCOUNT_INIT(n), }

/* kref_init - set the count to 1: the caller holds the first reference. */
static inline void kref_init(struct kref *kref)
{
	refcount_set(&kref->refcount, 1);
}

static inline unsigned int kref_read(const struct kref *kref)
{
	return refcount_read(&kref->refcount);
}

/* kref_get - take another reference; the caller must already hold one. */
static inline void kref_get(struct kref *kref)
{
	refcount_inc(&kref->refcount);
}

/*
 * kref_put - drop a reference; the last one calls @release (which frees
 * the object).  Returns 1 if it did, 0 otherwise.
 */
static inline int kref_put(struct kref *kref, void (*release)(struct kref *kref))
{
	if (refcount_dec_and_test(&kref->refcount)) {
		release(kref);
		return 1;
	}
	return 0;
}

/*
 * kref_put_lock - kref_put() whose last put takes @lock before @release,
 * which must drop it (the object leaves a lookup structure under it).
 */
/* kref_put() whose last put runs @release with @lock held (release unlocks). */
static inline int kref_put_lock(struct kref *kref, void (*release)(struct kref *kref),
				spinlock_t *lock)
{
	if (refcount_dec_and_lock(&kref->refcount, lock)) {
		release(kref);
		return 1;
	}
	return 0;
}

static inline int kref_put_mutex(struct kref *kref, void (*release)(struct kref *kref),
				 struct mutex *lock)
{
	if (refcount_dec_and_mutex_lock(&kref->refcount, lock)) {
		release(kref);
		return 1;
	}
	return 0;
}

static inline int __must_check kref_get_unless_zero(struct kref *kref)
{
	return refcount_inc_not_zero(&kref->refcount);
}

#endif /* _LINUX_KREF_H */
