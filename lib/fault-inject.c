/* SPDX-License-Identifier: MIT */
/*
 * lib/fault-inject.c - deciding when to force a failure (lib/fault-inject.c).
 *
 * should_fail_ex() follows the kernel's order of tests: probability 0 never
 * fails; task-filter (no task is marked make-it-fail here, so a set filter
 * lets everything through); times exhausted; space still to consume;
 * interval; then the dice.  A failure is reported as
 * "FAULT_INJECTION: forcing a failure." with the attribute values and,
 * at verbose 2, the stack; then times is decremented unless it is -1.
 * ukmem also counts the failures it forced (fault_attr.injected).
 *
 * Before all of that comes the calling thread's fail-nth (the kernel's
 * current->fail_nth, /proc/<pid>/task/<tid>/fail-nth; here
 * ukmem_fail_nth_set/get in include/ukmem/fault.h): while it is nonzero,
 * every call made in task context (not from a softirq or hardirq section)
 * counts it down, whichever attribute asks, and the call that brings it
 * to 0 fails, whatever the probability, times, space or interval say.
 * The attribute's own filters (ignore-gfp-wait, min-order, __GFP_NOFAIL)
 * come first, in mm/failslab.c and mm/fail_page_alloc.c, as in the kernel.
 */
#include <stdio.h>
#include <stdlib.h>

#include <linux/fault-inject.h>
#include <linux/printk.h>
#include <linux/preempt.h>
#include "arch/host.h"
#include "mm/internal.h"

/* The calling thread's fail-nth countdown (task_struct.fail_nth). */
__thread unsigned int fault_fail_nth;
/* Threads whose fail-nth is armed (mm/fail_page_alloc.c keeps it). */
unsigned int fault_nth_armed;

int setup_fault_attr(struct fault_attr *attr, const char *str)
{
	unsigned long probability, interval;
	int times, space;

	if (!str || sscanf(str, "%lu,%lu,%d,%d", &interval, &probability, &space, &times) < 4) {
		printk(KERN_WARNING "FAULT_INJECTION: failed to parse arguments\n");
		return 0;
	}
	attr->probability = probability;
	attr->interval = interval;
	atomic_set(&attr->times, times);
	atomic_set(&attr->space, space);
	return 1;
}

/* A per-thread xorshift: the kernel's get_random_u32_below() stand-in. */
static unsigned int fault_random_below(unsigned int ceil)
{
	static __thread u64 state;

	if (!state)
		state = arch_clock_ns() ^ ((u64)arch_gettid() << 32) ^ 0x9e3779b97f4a7c15ULL;
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (unsigned int)((state >> 32) % ceil);
}

static void fail_dump(struct fault_attr *attr)
{
	if (attr->verbose > 0 && ___ratelimit(&attr->ratelimit_state, "fail_dump")) {
		printk(KERN_NOTICE "FAULT_INJECTION: forcing a failure.\n"
		       "name %s, interval %lu, probability %lu, space %d, times %d\n",
		       attr->dname ? attr->dname : "?", attr->interval, attr->probability,
		       atomic_read(&attr->space), atomic_read(&attr->times));
		if (attr->verbose > 1)
			dump_stack();
	}
}

bool should_fail_ex(struct fault_attr *attr, ssize_t size, int flags)
{
	if (in_task()) {
		unsigned int nth = fault_fail_nth;

		if (nth) {
			fault_fail_nth = --nth;
			if (!nth)
				goto fail;
			return false;
		}
	}
	if (READ_ONCE(attr->probability) == 0)
		return false;
	if (attr->task_filter)
		return false;	/* no task carries make-it-fail */
	if (atomic_read(&attr->times) == 0)
		return false;
	if (atomic_read(&attr->space) > size) {
		atomic_sub((int)size, &attr->space);
		return false;
	}
	if (attr->interval > 1) {
		unsigned int count = (unsigned int)atomic_inc_return(&attr->count);

		if (count % attr->interval)
			return false;
	}
	if (attr->probability <= fault_random_below(100))
		return false;
fail:
	if (!(flags & FAULTS_NOWARN))
		fail_dump(attr);
	if (atomic_read(&attr->times) != -1)
		atomic_add_unless(&attr->times, -1, 0);
	atomic_long_inc(&attr->injected);
	return true;
}

bool should_fail(struct fault_attr *attr, ssize_t size)
{
	return should_fail_ex(attr, size, 0);
}
