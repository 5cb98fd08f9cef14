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
 *
 * The raw chains have no lock (the caller serialises registration and
 * calls); the atomic chains take a spinlock to change and let calls run
 * under rcu_read_lock(), so a callback must not sleep, and unregistering
 * waits for a grace period (the callback is not running anywhere when it
 * returns).  notifier_from_errno()/notifier_to_errno() carry an errno in
 * a notifier's answer, as in the kernel.  tests/test_notifier.c.
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

struct raw_notifier_head {
	struct notifier_block *head;
};

struct atomic_notifier_head {
	spinlock_t lock;
	struct notifier_block *head;
};

#define RAW_NOTIFIER_INIT(name)		{ .head = NULL }
#define RAW_NOTIFIER_HEAD(name)		struct raw_notifier_head name = RAW_NOTIFIER_INIT(name)
#define ATOMIC_NOTIFIER_INIT(name)	{ .lock = __SPIN_LOCK_UNLOCKED(name.lock), .head = NULL }
#define ATOMIC_NOTIFIER_HEAD(name)	\
	struct atomic_notifier_head name = ATOMIC_NOTIFIER_INIT(name)

UKMEM_API_BEGIN
int raw_notifier_chain_register(struct raw_notifier_head *nh, struct notifier_block *nb);
int raw_notifier_chain_unregister(struct raw_notifier_head *nh, struct notifier_block *nb);
int raw_notifier_call_chain(struct raw_notifier_head *nh, unsigned long val, void *v);
int atomic_notifier_chain_register(struct atomic_notifier_head *nh, struct notifier_block *nb);
int atomic_notifier_chain_unregister(struct atomic_notifier_head *nh, struct notifier_block *nb);
int atomic_notifier_call_chain(struct atomic_notifier_head *nh, unsigned long val, void *v);
bool atomic_notifier_call_chain_is_empty(struct atomic_notifier_head *nh);
UKMEM_API_END

static inline void RAW_INIT_NOTIFIER_HEAD(struct raw_notifier_head *nh)
{
	nh->head = NULL;
}

static inline void ATOMIC_INIT_NOTIFIER_HEAD(struct atomic_notifier_head *nh)
{
	spin_lock_init(&nh->lock);
	nh->head = NULL;
}

/* An errno as a notifier's answer (0: NOTIFY_OK), and back. */
static inline int notifier_from_errno(int err)
{
	if (err)
		return NOTIFY_STOP_MASK | (NOTIFY_OK - err);
	return NOTIFY_OK;
}

static inline int notifier_to_errno(int ret)
{
	ret &= ~NOTIFY_STOP_MASK;
	return ret > NOTIFY_OK ? NOTIFY_OK - ret : 0;
}

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
