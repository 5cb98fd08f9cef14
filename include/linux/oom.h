/* SPDX-License-Identifier: MIT */
/*
 * linux/oom.h - what happens when memory runs out (include/linux/oom.h).
 *
 * register_oom_notifier(): a callback the allocator calls before it
 * gives up on an allocation that would invoke the OOM killer.  Its data
 * is an unsigned long *: add the number of pages the callback freed; any
 * pages freed make the allocation try again instead of failing.  The
 * callback may sleep and allocate (without __GFP_DIRECT_RECLAIM: the
 * chain's lock is held, and a nested OOM does not call it again).
 *
 * vm.panic_on_oom (ukmem_sysctl, linux/sysctl.h): 1 or 2 panics instead
 * of reporting and failing the allocation, as the kernel does.
 */
#ifndef _LINUX_OOM_H
#define _LINUX_OOM_H

#include <linux/notifier.h>

UKMEM_C_BEGIN
UKMEM_API_BEGIN
int register_oom_notifier(struct notifier_block *nb);
int unregister_oom_notifier(struct notifier_block *nb);
UKMEM_API_END
UKMEM_C_END

#endif /* _LINUX_OOM_H */
