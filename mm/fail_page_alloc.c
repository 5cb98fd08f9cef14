/* SPDX-License-Identifier: MIT */
/*
 * mm/fail_page_alloc.c - fault injection for the page allocator
 * (mm/fail_page_alloc.c), the boot parameters failslab= and
 * fail_page_alloc=, and the run-time interface of include/ukmem/fault.h
 * (the kernel's debugfs attribute files) for those two and fail_usercopy.
 *
 * Exempt, as in the kernel: orders below min-order (default 1, so order-0
 * pages are never failed unless min-order is lowered), __GFP_NOFAIL,
 * __GFP_HIGHMEM with ignore-gfp-highmem, sleeping requests with
 * ignore-gfp-wait (both default on).
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <ukmem/fault.h>
#include "kernel/fork.h"
#include "kernel/params.h"
#include "mm/internal.h"

struct fail_page_alloc_attr fail_page_alloc = {
	.attr = FAULT_ATTR_INITIALIZER,
	.ignore_gfp_reclaim = true,
	.ignore_gfp_highmem = true,
	.min_order = 1,
};

bool __should_fail_alloc_page(gfp_t gfp_mask, unsigned int order)
{
	int flags = 0;

	if (order < fail_page_alloc.min_order)
		return false;
	if (gfp_mask & __GFP_NOFAIL)
		return false;
	if (fail_page_alloc.ignore_gfp_highmem && (gfp_mask & __GFP_HIGHMEM))
		return false;
	if (fail_page_alloc.ignore_gfp_reclaim && (gfp_mask & __GFP_DIRECT_RECLAIM))
		return false;
	if (gfp_mask & __GFP_NOWARN)
		flags |= FAULTS_NOWARN;
	return should_fail_ex(&fail_page_alloc.attr, (ssize_t)1 << order, flags);
}

/*
 * Boot: failslab=<interval>,<probability>,<space>,<times>; likewise
 * fail_page_alloc=.  __setup() parameters, not early ones: a value that
 * does not parse is warned about ("FAULT_INJECTION: failed to parse
 * arguments") and left to init, and the boot goes on.
 */
int setup_failslab(const char *str)
{
	failslab.attr.dname = "failslab";
	return setup_fault_attr(&failslab.attr, str) ? 0 : PARAM_UNHANDLED;
}

int setup_fail_page_alloc(const char *str)
{
	int ret;

	fail_page_alloc.attr.dname = "fail_page_alloc";
	ret = setup_fault_attr(&fail_page_alloc.attr, str) ? 0 : PARAM_UNHANDLED;
	page_alloc_faults_changed();
	return ret;
}

bool fail_page_alloc_live;

void page_alloc_faults_changed(void)
{
	WRITE_ONCE(fail_page_alloc_live, fault_attr_live(&fail_page_alloc.attr));
}

/* ---- the debugfs files as calls ---- */

static struct fault_attr *fault_attr_by_name(const char *name)
{
	if (!strcmp(name, "failslab")) {
		failslab.attr.dname = "failslab";
		return &failslab.attr;
	}
	if (!strcmp(name, "fail_page_alloc")) {
		fail_page_alloc.attr.dname = "fail_page_alloc";
		return &fail_page_alloc.attr;
	}
	if (!strcmp(name, "fail_usercopy")) {
		fail_usercopy.dname = "fail_usercopy";
		return &fail_usercopy;
	}
	return NULL;
}

static long *extra_attr(struct fault_attr *fa, const char *attr, long *scratch, bool *is_bool)
{
	*is_bool = true;
	if (fa == &failslab.attr) {
		if (!strcmp(attr, "ignore-gfp-wait")) {
			*scratch = failslab.ignore_gfp_reclaim;
			return scratch;
		}
		if (!strcmp(attr, "cache-filter")) {
			*scratch = failslab.cache_filter;
			return scratch;
		}
	} else if (fa == &fail_page_alloc.attr) {
		if (!strcmp(attr, "ignore-gfp-wait")) {
			*scratch = fail_page_alloc.ignore_gfp_reclaim;
			return scratch;
		}
		if (!strcmp(attr, "ignore-gfp-highmem")) {
			*scratch = fail_page_alloc.ignore_gfp_highmem;
			return scratch;
		}
		if (!strcmp(attr, "min-order")) {
			*is_bool = false;
			*scratch = fail_page_alloc.min_order;
			return scratch;
		}
	}
	return NULL;
}

static void set_extra(struct fault_attr *fa, const char *attr, long value)
{
	if (fa == &failslab.attr) {
		if (!strcmp(attr, "ignore-gfp-wait"))
			failslab.ignore_gfp_reclaim = value != 0;
		else
			failslab.cache_filter = value != 0;
	} else if (!strcmp(attr, "ignore-gfp-wait")) {
		fail_page_alloc.ignore_gfp_reclaim = value != 0;
	} else if (!strcmp(attr, "ignore-gfp-highmem")) {
		fail_page_alloc.ignore_gfp_highmem = value != 0;
	} else {
		fail_page_alloc.min_order = (unsigned int)value;
	}
}

int ukmem_fault_set(const char *name, const char *attr, long value)
{
	struct fault_attr *fa = fault_attr_by_name(name);
	long scratch;
	bool is_bool;

	if (!fa || !attr)
		return -ENOENT;
	/*
	 * The kernel's debugfs files take any unsigned value: a probability
	 * over 100 fails every eligible call, an interval of 0 or 1 makes
	 * every call a candidate.
	 */
	if (!strcmp(attr, "probability")) {
		if (value < 0)
			return -EINVAL;
		WRITE_ONCE(fa->probability, (unsigned long)value);
		if (fa == &failslab.attr)
			slab_failslab_changed();	/* the slab fast paths test a per-cache word */
		else if (fa == &fail_page_alloc.attr)
			page_alloc_faults_changed();	/* and the page allocator's one byte */
	} else if (!strcmp(attr, "interval")) {
		if (value < 0)
			return -EINVAL;
		fa->interval = (unsigned long)value;
	} else if (!strcmp(attr, "verbose_ratelimit_interval_ms")) {
		if (value < 0 || value > UINT_MAX)	/* debugfs u32 files */
			return -EINVAL;
		WRITE_ONCE(fa->ratelimit_state.interval, (int)value);
	} else if (!strcmp(attr, "verbose_ratelimit_burst")) {
		if (value < 0 || value > UINT_MAX)
			return -EINVAL;
		WRITE_ONCE(fa->ratelimit_state.burst, (int)value);
	} else if (!strcmp(attr, "times")) {
		atomic_set(&fa->times, (int)value);
	} else if (!strcmp(attr, "space")) {
		atomic_set(&fa->space, (int)value);
	} else if (!strcmp(attr, "verbose")) {
		if (value < 0)	/* debugfs_create_ul() */
			return -EINVAL;
		fa->verbose = (unsigned long)value;
	} else if (!strcmp(attr, "task-filter")) {
		if (value != 0 && value != 1)	/* a bool file: kstrtobool() takes 0 and 1 */
			return -EINVAL;
		fa->task_filter = value;
	} else if (extra_attr(fa, attr, &scratch, &is_bool)) {
		/* The bool files as task-filter; min-order is a u32 file. */
		if (is_bool ? value != 0 && value != 1 : value < 0 || value > UINT_MAX)
			return -EINVAL;
		set_extra(fa, attr, value);
	} else {
		return -ENOENT;
	}
	return 0;
}

long ukmem_fault_get(const char *name, const char *attr)
{
	struct fault_attr *fa = fault_attr_by_name(name);
	long scratch, *extra;
	bool is_bool;

	if (!fa || !attr)
		return -ENOENT;
	if (!strcmp(attr, "probability"))
		return (long)fa->probability;
	if (!strcmp(attr, "interval"))
		return (long)fa->interval;
	if (!strcmp(attr, "times"))
		return atomic_read(&fa->times);
	if (!strcmp(attr, "space"))
		return atomic_read(&fa->space);
	if (!strcmp(attr, "verbose"))
		return (long)fa->verbose;
	if (!strcmp(attr, "task-filter"))
		return fa->task_filter;
	if (!strcmp(attr, "injected"))
		return atomic_long_read(&fa->injected);
	if (!strcmp(attr, "verbose_ratelimit_interval_ms"))
		return READ_ONCE(fa->ratelimit_state.interval);
	if (!strcmp(attr, "verbose_ratelimit_burst"))
		return READ_ONCE(fa->ratelimit_state.burst);
	extra = extra_attr(fa, attr, &scratch, &is_bool);
	return extra ? *extra : -ENOENT;
}

/*
 * ---- fail-nth: the kernel's /proc/<pid>/task/<tid>/fail-nth ----
 *
 * The countdown itself lives in lib/fault-inject.c.  A thread is counted
 * in fault_nth_armed from the write of a nonzero value until it writes 0
 * or reads back 0 (the failure happened): the count only decides whether
 * the fast paths skip the injection sites, so a thread that ends armed
 * costs speed, never a wrong failure.  The first arming and the last
 * disarming make the slab caches' fast paths follow.
 */
static __thread bool fail_nth_counted;

static void fail_nth_count(bool armed)
{
	unsigned int now;

	if (armed == fail_nth_counted)
		return;
	fail_nth_counted = armed;
	if (armed)
		now = __atomic_add_fetch(&fault_nth_armed, 1, __ATOMIC_SEQ_CST);
	else
		now = __atomic_sub_fetch(&fault_nth_armed, 1, __ATOMIC_SEQ_CST);
	if (now == (armed ? 1U : 0U)) {
		slab_failslab_changed();
		page_alloc_faults_changed();
	}
}

/*
 * A fork child starts with no countdown, as the kernel's dup_task_struct()
 * starts a new task's fail_nth at 0.  Its one thread stays counted in
 * fault_nth_armed (as do the parent's other threads, which it does not
 * have): its fast paths take the slow path until it reads or writes 0,
 * slower, never wrong.
 */
static void fail_nth_fork_child(void)
{
	fault_fail_nth = 0;
}

static const struct fork_step fail_nth_fork_step = {
	.name = "fail-nth",
	.order = FORK_ORDER_NOTIFIER,	/* takes no lock: any order does */
	.child = fail_nth_fork_child,
};

void ukmem_fail_nth_set(unsigned int n)
{
	static bool fork_step_registered;

	if (n && !__atomic_exchange_n(&fork_step_registered, true, __ATOMIC_ACQ_REL))
		fork_register_step(&fail_nth_fork_step);
	/* Counted first: the sites must be live before the countdown runs. */
	if (n)
		fail_nth_count(true);
	WRITE_ONCE(fault_fail_nth, n);
	if (!n)
		fail_nth_count(false);
}

unsigned int ukmem_fail_nth_get(void)
{
	unsigned int n = READ_ONCE(fault_fail_nth);

	if (!n)
		fail_nth_count(false);
	return n;
}
