/* SPDX-License-Identifier: MIT */
/*
 * linux/percpu_counter.h - approximate counters kept per CPU
 * (include/linux/percpu_counter.h, lib/percpu_counter.c).
 *
 * A counter is a shared s64 (@count) plus an s32 per CPU from the per-CPU
 * allocator.  An add lands on the current CPU's s32; once that reaches
 * @batch in size it is folded into @count under @lock.  So
 * percpu_counter_read() is cheap and off by at most batch per CPU, and
 * percpu_counter_sum() is exact (for the instant it takes the lock) but
 * walks every CPU.  percpu_counter_batch is the kernel's default batch:
 * max(32, 2 * online CPUs), set at boot.
 *
 * As in the kernel, the counters of one init_many() call share one per-CPU
 * allocation; destroy_many() must be given the same count.  CPUs never go
 * offline here, so there is no hotplug list: every possible CPU is online.
 */
#ifndef _LINUX_PERCPU_COUNTER_H
#define _LINUX_PERCPU_COUNTER_H

#include <limits.h>
#include <ukmem/kernel_types.h>
#include <linux/gfp_types.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>

UKMEM_C_BEGIN

/* What percpu_counter_add_local() batches by: only an s32's overflow folds. */
#define PERCPU_COUNTER_LOCAL_BATCH	INT_MAX

struct lock_class_key;

struct percpu_counter {
	spinlock_t lock;
	s64 count;
	s32 __percpu *counters;
};

UKMEM_API_BEGIN
extern int percpu_counter_batch;

/*
 * @nr_counters counters at @fbc[0..nr-1], each set to @amount, their
 * per-CPU parts from one allocation with @gfp: 0 or -ENOMEM (the counters
 * are then left uninitialised: percpu_counter_initialized() is false).
 */
int __percpu_counter_init_many(struct percpu_counter *fbc, s64 amount, gfp_t gfp,
			       u32 nr_counters, struct lock_class_key *key);
/* Frees what init_many() allocated; a counter never initialised is skipped. */
void percpu_counter_destroy_many(struct percpu_counter *fbc, u32 nr_counters);
/* Sets the total (every CPU's part to 0); racy against concurrent adds, as there. */
void percpu_counter_set(struct percpu_counter *fbc, s64 amount);
void percpu_counter_add_batch(struct percpu_counter *fbc, s64 amount, s32 batch);
/* @count plus every online CPU's part, under the lock. */
s64 __percpu_counter_sum(struct percpu_counter *fbc);
/* The same over every possible CPU (the kernel's, for teardown). */
s64 percpu_counter_sum_all(struct percpu_counter *fbc);
/* -1, 0 or 1 as the counter is below, at or above @rhs; exact when it is near. */
int __percpu_counter_compare(struct percpu_counter *fbc, s64 rhs, s32 batch);
/*
 * Adds @amount unless the total would pass @limit (above it for a positive
 * @amount, below it for a negative one): true if it was added.
 */
bool __percpu_counter_limited_add(struct percpu_counter *fbc, s64 limit, s64 amount,
				  s32 batch);
/* Folds the current CPU's part into @count. */
void percpu_counter_sync(struct percpu_counter *fbc);
UKMEM_API_END

#define percpu_counter_init_many(fbc, value, gfp, nr_counters)		\
	__percpu_counter_init_many(fbc, value, gfp, nr_counters, NULL)
#define percpu_counter_init(fbc, value, gfp)				\
	percpu_counter_init_many(fbc, value, gfp, 1)

static inline void percpu_counter_destroy(struct percpu_counter *fbc)
{
	percpu_counter_destroy_many(fbc, 1);
}

static inline int percpu_counter_compare(struct percpu_counter *fbc, s64 rhs)
{
	return __percpu_counter_compare(fbc, rhs, percpu_counter_batch);
}

static inline void percpu_counter_add(struct percpu_counter *fbc, s64 amount)
{
	percpu_counter_add_batch(fbc, amount, percpu_counter_batch);
}

static inline bool percpu_counter_limited_add(struct percpu_counter *fbc, s64 limit,
					      s64 amount)
{
	return __percpu_counter_limited_add(fbc, limit, amount, percpu_counter_batch);
}

/* For counters written often and read rarely: read them with percpu_counter_sum(). */
static inline void percpu_counter_add_local(struct percpu_counter *fbc, s64 amount)
{
	percpu_counter_add_batch(fbc, amount, PERCPU_COUNTER_LOCAL_BATCH);
}

static inline s64 percpu_counter_sum_positive(struct percpu_counter *fbc)
{
	s64 ret = __percpu_counter_sum(fbc);

	return ret < 0 ? 0 : ret;
}

static inline s64 percpu_counter_sum(struct percpu_counter *fbc)
{
	return __percpu_counter_sum(fbc);
}

static inline s64 percpu_counter_read(struct percpu_counter *fbc)
{
	return __atomic_load_n(&fbc->count, __ATOMIC_RELAXED);
}

/* The shared part may be a little negative for a counter that never is: 0 then. */
static inline s64 percpu_counter_read_positive(struct percpu_counter *fbc)
{
	s64 ret = __atomic_load_n(&fbc->count, __ATOMIC_RELAXED);

	return ret >= 0 ? ret : 0;
}

static inline bool percpu_counter_initialized(struct percpu_counter *fbc)
{
	return fbc->counters != NULL;
}

static inline void percpu_counter_inc(struct percpu_counter *fbc)
{
	percpu_counter_add(fbc, 1);
}

static inline void percpu_counter_dec(struct percpu_counter *fbc)
{
	percpu_counter_add(fbc, -1);
}

static inline void percpu_counter_sub(struct percpu_counter *fbc, s64 amount)
{
	percpu_counter_add(fbc, -amount);
}

static inline void percpu_counter_sub_local(struct percpu_counter *fbc, s64 amount)
{
	percpu_counter_add_local(fbc, -amount);
}

UKMEM_C_END

#endif /* _LINUX_PERCPU_COUNTER_H */
