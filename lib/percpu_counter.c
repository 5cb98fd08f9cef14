/* SPDX-License-Identifier: MIT */
/*
 * lib/percpu_counter.c - approximate per-CPU counters (lib/percpu_counter.c).
 *
 * The add is the kernel's CONFIG_HAVE_CMPXCHG_LOCAL form: a compare and
 * exchange on the current CPU's s32 (one restartable sequence here) while
 * the result stays below the batch, else the CPU's part (taken with one
 * exchange) and the amount go into @count under @lock.  What the kernel
 * gets from disabling interrupts (no handler between reading the part and
 * clearing it, none finding the lock held by the code it interrupted)
 * comes here from the exchange and from @count changing only by atomic
 * adds (fold_this_cpu()).  The sums read other CPUs' parts as they are,
 * as the kernel's do (data races by design, marked so).
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/percpu_counter.h>
#include <linux/smp.h>
#include "mm/internal.h"

int percpu_counter_batch = 32;

/* The kernel's compute_batch_value(), at boot from the online CPUs. */
void percpu_counter_startup(unsigned int online_cpus)
{
	WRITE_ONCE(percpu_counter_batch, (int)max(32U, 2 * online_cpus));
}

int __percpu_counter_init_many(struct percpu_counter *fbc, s64 amount, gfp_t gfp,
			       u32 nr_counters, struct lock_class_key *key)
{
	size_t part = __alignof__(s32);	/* each counter's s32, one after the other */
	s32 __percpu *parts;
	u32 i;

	(void)key;
	/* The per-CPU allocator wants its gfp without __GFP_ZERO: its areas are zeroed. */
	parts = (s32 __percpu *)__alloc_percpu_gfp(part * nr_counters, part, gfp & ~__GFP_ZERO);
	if (!parts)
		return -ENOMEM;
	for (i = 0; i < nr_counters; i++) {
		spin_lock_init(&fbc[i].lock);
		fbc[i].count = amount;
		fbc[i].counters = parts + i;
	}
	return 0;
}

void percpu_counter_destroy_many(struct percpu_counter *fbc, u32 nr_counters)
{
	u32 i;

	if (!nr_counters || !percpu_counter_initialized(&fbc[0]))
		return;
	free_percpu(fbc[0].counters);
	for (i = 0; i < nr_counters; i++)
		fbc[i].counters = NULL;
}

void percpu_counter_set(struct percpu_counter *fbc, s64 amount)
{
	unsigned long flags;
	unsigned int cpu;

	spin_lock_irqsave(&fbc->lock, flags);
	for_each_possible_cpu(cpu)
		WRITE_ONCE(*per_cpu_ptr(fbc->counters, cpu), 0);
	__atomic_store_n(&fbc->count, amount, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&fbc->lock, flags);
}

/*
 * The current CPU's part and @amount into @count.  The part is taken with
 * one exchange, indivisible against other threads on this CPU and against
 * a handler interrupting this thread, so nothing needs the CPU held; the
 * lock only keeps a sum from seeing the part in neither place.  A handler
 * that finds the lock taken (by the code it interrupted, perhaps) adds
 * @amount to @count without it: @count only ever changes by atomic adds,
 * so nothing is lost, and a sum running meanwhile is off by that much.
 */
static void fold_this_cpu(struct percpu_counter *fbc, s64 amount)
{
	unsigned long flags;
	s32 part;

	if (in_interrupt() && !spin_trylock_irqsave(&fbc->lock, flags)) {
		__atomic_add_fetch(&fbc->count, amount, __ATOMIC_RELAXED);
		return;
	}
	if (!in_interrupt())
		spin_lock_irqsave(&fbc->lock, flags);
	part = this_cpu_xchg(*fbc->counters, 0);
	__atomic_add_fetch(&fbc->count, part + amount, __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&fbc->lock, flags);
}

void percpu_counter_add_batch(struct percpu_counter *fbc, s64 amount, s32 batch)
{
	/* A guess the exchange checks: another thread on this CPU may be changing it. */
	s32 count = data_race(this_cpu_read(*fbc->counters));

	do {
		s64 next = (s64)count + amount;

		if (unlikely(next >= batch || next <= -(s64)batch)) {
			fold_this_cpu(fbc, amount);
			return;
		}
	} while (!this_cpu_try_cmpxchg(*fbc->counters, &count, (s32)(count + amount)));
}

void percpu_counter_sync(struct percpu_counter *fbc)
{
	fold_this_cpu(fbc, 0);
}

static s64 sum_parts(struct percpu_counter *fbc)
{
	unsigned long flags;
	unsigned int cpu;
	s64 ret;

	spin_lock_irqsave(&fbc->lock, flags);
	ret = __atomic_load_n(&fbc->count, __ATOMIC_RELAXED);
	/* Online and possible are the same CPUs here (no hotplug). */
	for_each_possible_cpu(cpu)
		ret += data_race(READ_ONCE(*per_cpu_ptr(fbc->counters, cpu)));
	spin_unlock_irqrestore(&fbc->lock, flags);
	return ret;
}

s64 __percpu_counter_sum(struct percpu_counter *fbc)
{
	return sum_parts(fbc);
}

s64 percpu_counter_sum_all(struct percpu_counter *fbc)
{
	return sum_parts(fbc);
}

/*
 * The shared part is within batch * CPUs of the truth: far from @rhs it
 * decides alone, near it the exact sum does.
 */
int __percpu_counter_compare(struct percpu_counter *fbc, s64 rhs, s32 batch)
{
	s64 count = percpu_counter_read(fbc);
	s64 slack = (s64)batch * num_online_cpus();

	if (count - rhs > slack || rhs - count > slack)
		return count > rhs ? 1 : -1;
	count = percpu_counter_sum(fbc);
	if (count > rhs)
		return 1;
	return count < rhs ? -1 : 0;
}

bool __percpu_counter_limited_add(struct percpu_counter *fbc, s64 limit, s64 amount,
				  s32 batch)
{
	s64 unknown = (s64)batch * num_online_cpus(), count;
	unsigned long flags;
	unsigned int cpu;
	bool good = false;
	s32 part;

	if (!amount)
		return true;
	part = data_race(this_cpu_read(*fbc->counters));
	/* Far enough from the limit whatever the other CPUs hold: this CPU's part. */
	while ((part + amount <= batch && part + amount >= -(s64)batch) &&
	       ((amount > 0 && percpu_counter_read(fbc) + unknown <= limit) ||
		(amount < 0 && percpu_counter_read(fbc) - unknown >= limit))) {
		if (this_cpu_try_cmpxchg(*fbc->counters, &part, (s32)(part + amount)))
			return true;
	}
	/* A handler that finds the lock taken cannot tell: it refuses. */
	if (in_interrupt()) {
		if (!spin_trylock_irqsave(&fbc->lock, flags))
			return false;
	} else {
		spin_lock_irqsave(&fbc->lock, flags);
	}
	count = percpu_counter_read(fbc) + amount;
	if (amount > 0) {
		if (count - unknown > limit)
			goto out;
		good = count + unknown <= limit;
	} else {
		if (count + unknown < limit)
			goto out;
		good = count - unknown >= limit;
	}
	if (!good) {
		for_each_possible_cpu(cpu)
			count += data_race(READ_ONCE(*per_cpu_ptr(fbc->counters, cpu)));
		if (amount > 0 ? count > limit : count < limit)
			goto out;
		good = true;
	}
	part = this_cpu_xchg(*fbc->counters, 0);
	__atomic_add_fetch(&fbc->count, part + amount, __ATOMIC_RELAXED);
out:
	spin_unlock_irqrestore(&fbc->lock, flags);
	return good;
}
