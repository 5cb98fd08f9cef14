// SPDX-License-Identifier: MIT
/*
 * lib/ratelimit.c - ___ratelimit(), the kernel's message rate limit
 * (lib/ratelimit.c, v6.16+ semantics), used by printk_ratelimited(), the
 * page allocator's failure reports and fault injection's.
 *
 * The state's lock is the holder's pid, only ever tried: a thread that
 * finds it held takes from what is left of the burst without the lock,
 * as the kernel's contended path does, and a fork child that inherits a
 * word set by its parent's other thread (nobody in the child would clear
 * it) recognises the pid as not its own and takes the state over.
 */
#include <linux/bug.h>
#include <linux/ratelimit.h>
#include "arch/host.h"

/* The flags change by atomic operations (a thread that finds the state busy reads them). */
static unsigned int ratelimit_flags(struct ratelimit_state *rs)
{
	return __atomic_load_n(&rs->flags, __ATOMIC_ACQUIRE);
}

static bool ratelimit_trylock(struct ratelimit_state *rs)
{
	int self = arch_getpid(), held = 0;

	if (__atomic_compare_exchange_n(&rs->lock, &held, self, false, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED))
		return true;
	/* Held by this process (another thread, or a handler's interrupted code): busy. */
	return held != self &&
	       __atomic_compare_exchange_n(&rs->lock, &held, self, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static void ratelimit_unlock(struct ratelimit_state *rs)
{
	__atomic_store_n(&rs->lock, 0, __ATOMIC_RELEASE);
}

/* One from the burst left, without the lock. */
static bool ratelimit_take(struct ratelimit_state *rs)
{
	return __atomic_load_n(&rs->rs_n_left, __ATOMIC_RELAXED) > 0 &&
	       __atomic_sub_fetch(&rs->rs_n_left, 1, __ATOMIC_RELAXED) >= 0;
}

int ___ratelimit(struct ratelimit_state *rs, const char *func)
{
	int interval = __atomic_load_n(&rs->interval, __ATOMIC_RELAXED);
	int burst = __atomic_load_n(&rs->burst, __ATOMIC_RELAXED);
	unsigned long now;
	int ret = 0, missed;

	if (interval <= 0 || burst <= 0) {
		WARN_ONCE(interval < 0 || burst < 0,
			  "Negative interval (%d) or burst (%d): Uninitialized ratelimit_state structure?\n",
			  interval, burst);
		ret = interval == 0 || burst > 0;
		/* Started again from scratch once it is enabled again. */
		__atomic_and_fetch(&rs->flags, ~RATELIMIT_INITIALIZED, __ATOMIC_RELAXED);
		goto out;
	}
	if (!ratelimit_trylock(rs)) {
		ret = (ratelimit_flags(rs) & RATELIMIT_INITIALIZED) && ratelimit_take(rs);
		goto out;
	}
	now = arch_jiffies();
	if (!(ratelimit_flags(rs) & RATELIMIT_INITIALIZED)) {
		rs->begin = now;
		__atomic_store_n(&rs->rs_n_left, burst, __ATOMIC_RELAXED);
		__atomic_or_fetch(&rs->flags, RATELIMIT_INITIALIZED, __ATOMIC_RELEASE);
	}
	if ((long)(now - (rs->begin + (unsigned long)interval)) > 0) {
		__atomic_store_n(&rs->rs_n_left, burst, __ATOMIC_RELAXED);
		rs->begin = now;
		if (!(ratelimit_flags(rs) & RATELIMIT_MSG_ON_RELEASE)) {
			missed = ratelimit_state_reset_miss(rs);
			if (missed)
				printk(KERN_WARNING "%s: %d callbacks suppressed\n", func, missed);
		}
	}
	ret = ratelimit_take(rs);
	ratelimit_unlock(rs);
out:
	if (!ret)
		__atomic_add_fetch(&rs->missed, 1, __ATOMIC_RELAXED);
	return ret;
}

void ratelimit_state_exit(struct ratelimit_state *rs)
{
	char comm[16];
	int missed;

	if (!(ratelimit_flags(rs) & RATELIMIT_MSG_ON_RELEASE))
		return;
	missed = ratelimit_state_reset_miss(rs);
	if (missed) {
		arch_comm(comm);	/* the kernel names current->comm */
		pr_warn("%s: %d output lines suppressed due to ratelimiting\n", comm, missed);
	}
}
