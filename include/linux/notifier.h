/* SPDX-License-Identifier: MIT */
/*
 * linux/notifier.h - notifier chains (include/linux/notifier.h), the
 * blocking kind: callbacks that may sleep, called in priority order
 * (higher first), each told the event and given the caller's data.
 *
 * The kernel's blocking chains take an rw_semaphore for reading, so calls
 * run concurrently and only registration excludes them.  Here one lock
 * serialises calls and registrations alike: the chains the library
 * calls are the OOM chain, whose calls the kernel serialises anyway
 * (oom_lock), and the vmap purge chain, called when the vmalloc range is
 * full.  A callback may call its own chain again (the kernel's read lock
 * nests); it must not register or unregister on it.  A fork child lets
 * go of either chain if a thread it does not have held it at fork()
 * (kernel/notifier.c).
 */
#ifndef _LINUX_NOTIFIER_H
#define _LINUX_NOTIFIER_H

#include <ukmem/kernel_types.h>
#include <linux/spinlock.h>

UKMEM_C_BEGIN

struct notifier_block;
typedef int (*notifier_fn_t)(struct notifier_block *nb, unsigned long action, void *data);

struct notifier_block {
	notifier_fn_t notifier_call;
	struct notifier_block *next;
	int priority;
};

struct blocking_notifier_head {
	spinlock_t lock;		/* taken raw: callbacks may sleep */
	int owner;			/* thread id of the holder: its nested calls go through */
	struct notifier_block *head;
};

#define BLOCKING_NOTIFIER_INIT(name)	{ __SPIN_LOCK_UNLOCKED(name.lock), 0, NULL }
#define BLOCKING_NOTIFIER_HEAD(name) \
	struct blocking_notifier_head name = BLOCKING_NOTIFIER_INIT(name)

#define NOTIFY_DONE		0x0000		/* don't care */
#define NOTIFY_OK		0x0001		/* suits me */
#define NOTIFY_STOP_MASK	0x8000		/* don't call further */
#define NOTIFY_BAD		(NOTIFY_STOP_MASK | 0x0002)
#define NOTIFY_STOP		(NOTIFY_OK | NOTIFY_STOP_MASK)

UKMEM_API_BEGIN
int blocking_notifier_chain_register(struct blocking_notifier_head *nh, struct notifier_block *nb);
int blocking_notifier_chain_unregister(struct blocking_notifier_head *nh,
				       struct notifier_block *nb);
int blocking_notifier_call_chain(struct blocking_notifier_head *nh, unsigned long val, void *v);
UKMEM_API_END

static inline void BLOCKING_INIT_NOTIFIER_HEAD(struct blocking_notifier_head *nh)
{
	spin_lock_init(&nh->lock);
	nh->owner = 0;
	nh->head = NULL;
}

UKMEM_C_END

#endif /* _LINUX_NOTIFIER_H */
