/* SPDX-License-Identifier: MIT */
/*
 * linux/rcupdate_wait.h - waiting for grace periods of several RCU
 * flavours at once.  ukmem has one flavour (call_rcu(); the kernel's
 * Tasks RCU variants are not modelled), so waiting for any set of them is
 * synchronize_rcu(); cond_resched_rcu() leaves the read-side section for
 * a moment, as the kernel's does.
 */
#ifndef _LINUX_RCUPDATE_WAIT_H
#define _LINUX_RCUPDATE_WAIT_H

#include <linux/rcupdate.h>
#include <linux/preempt.h>

/* Wait for a grace period of each call_rcu()-like function given. */
#define wait_rcu_gp(...)		synchronize_rcu()
#define synchronize_rcu_mult(...)	synchronize_rcu()

static inline void cond_resched_rcu(void)
{
	rcu_read_unlock();
	cond_resched();
	rcu_read_lock();
}

#endif /* _LINUX_RCUPDATE_WAIT_H */
