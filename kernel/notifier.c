/* SPDX-License-Identifier: MIT */
/*
 * kernel/notifier.c - notifier chains (kernel/notifier.c): blocking,
 * raw and atomic.
 *
 * A chain is a singly linked list sorted by priority, higher first, equal
 * priorities in registration order.  One raw spinlock per chain (waiters
 * spin, then yield) serialises calls and changes; it is held across the
 * callbacks, which may sleep, so it does not raise the preempt count.  A
 * call from inside one of the chain's own callbacks walks the list without
 * taking the lock again.  (Once a sleeping mutex exists, it belongs here.)
 */
#include <errno.h>

#include <linux/bug.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>
#include "arch/host.h"
#include "kernel/fork.h"

static bool chain_lock(struct blocking_notifier_head *nh)
{
	int tid = arch_gettid();

	if (__atomic_load_n(&nh->owner, __ATOMIC_RELAXED) == tid)
		return false;		/* nested: the outer call holds it */
	arch_spin_lock(&nh->lock);
	__atomic_store_n(&nh->owner, tid, __ATOMIC_RELAXED);
	return true;
}

static void chain_unlock(struct blocking_notifier_head *nh, bool locked)
{
	if (!locked)
		return;
	__atomic_store_n(&nh->owner, 0, __ATOMIC_RELAXED);
	arch_spin_unlock(&nh->lock);
}

/*
 * The list operations every kind of chain shares (the caller holds what
 * the kind needs).  Insertion is by priority, higher first, equal ones in
 * registration order; a block already on the chain is refused with a
 * WARN and -EEXIST, as in the kernel.  Each change is one release store,
 * so a reader walking without the lock (an atomic chain's caller under
 * RCU) sees the list before or after it.
 */
static int chain_insert(struct notifier_block **p, struct notifier_block *nb)
{
	for (; *p; p = &(*p)->next) {
		if (WARN(*p == nb, "notifier callback %ps already registered\n", nb->notifier_call))
			return -EEXIST;
		if (nb->priority > (*p)->priority)
			break;
	}
	nb->next = *p;
	__atomic_store_n(p, nb, __ATOMIC_RELEASE);
	return 0;
}

static int chain_remove(struct notifier_block **p, struct notifier_block *nb)
{
	for (; *p; p = &(*p)->next)
		if (*p == nb) {
			__atomic_store_n(p, nb->next, __ATOMIC_RELEASE);
			return 0;
		}
	return -ENOENT;
}

static int chain_call(struct notifier_block **p, unsigned long val, void *v)
{
	struct notifier_block *nb = __atomic_load_n(p, __ATOMIC_ACQUIRE);
	int ret = NOTIFY_DONE;

	while (nb) {
		/* Read ->next first: the callback may unregister itself. */
		struct notifier_block *next = __atomic_load_n(&nb->next, __ATOMIC_ACQUIRE);

		ret = nb->notifier_call(nb, val, v);
		if (ret & NOTIFY_STOP_MASK)
			break;
		nb = next;
	}
	return ret;
}

int blocking_notifier_chain_register(struct blocking_notifier_head *nh, struct notifier_block *nb)
{
	bool locked = chain_lock(nh);
	int ret;

	if (WARN_ON_ONCE(!locked))
		return -EDEADLK;
	ret = chain_insert(&nh->head, nb);
	chain_unlock(nh, locked);
	return ret;
}

int blocking_notifier_chain_unregister(struct blocking_notifier_head *nh,
				       struct notifier_block *nb)
{
	bool locked = chain_lock(nh);
	int ret;

	if (WARN_ON_ONCE(!locked))
		return -EDEADLK;
	ret = chain_remove(&nh->head, nb);
	chain_unlock(nh, locked);
	return ret;
}

/* Call every callback with @val and @v until one answers NOTIFY_STOP_MASK. */
int blocking_notifier_call_chain(struct blocking_notifier_head *nh, unsigned long val, void *v)
{
	int ret;
	bool locked;

	if (!__atomic_load_n(&nh->head, __ATOMIC_ACQUIRE))
		return NOTIFY_DONE;
	locked = chain_lock(nh);
	ret = chain_call(&nh->head, val, v);
	chain_unlock(nh, locked);
	return ret;
}

int raw_notifier_chain_register(struct raw_notifier_head *nh, struct notifier_block *nb)
{
	return chain_insert(&nh->head, nb);
}

int raw_notifier_chain_unregister(struct raw_notifier_head *nh, struct notifier_block *nb)
{
	return chain_remove(&nh->head, nb);
}

int raw_notifier_call_chain(struct raw_notifier_head *nh, unsigned long val, void *v)
{
	return chain_call(&nh->head, val, v);
}

int atomic_notifier_chain_register(struct atomic_notifier_head *nh, struct notifier_block *nb)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&nh->lock, flags);
	ret = chain_insert(&nh->head, nb);
	spin_unlock_irqrestore(&nh->lock, flags);
	return ret;
}

/* Returns once no call can still be running @nb (a grace period). */
int atomic_notifier_chain_unregister(struct atomic_notifier_head *nh, struct notifier_block *nb)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&nh->lock, flags);
	ret = chain_remove(&nh->head, nb);
	spin_unlock_irqrestore(&nh->lock, flags);
	synchronize_rcu();
	return ret;
}

int atomic_notifier_call_chain(struct atomic_notifier_head *nh, unsigned long val, void *v)
{
	int ret;

	rcu_read_lock();
	ret = chain_call(&nh->head, val, v);
	rcu_read_unlock();
	return ret;
}

bool atomic_notifier_call_chain_is_empty(struct atomic_notifier_head *nh)
{
	return !__atomic_load_n(&nh->head, __ATOMIC_RELAXED);
}

/*
 * fork() and the library's own chains (the OOM chain, the vmap purge
 * chain: each registers a step at boot).  A callback
 * running in another thread holds the chain's lock, and that thread does
 * not exist in the child.  The fork does not wait for the call to end:
 * no place in the fork's lock order fits.  The chains are called with
 * allocator locks held that the fork takes (an allocation that fails
 * under slab_mutex or the percpu allocator's mutex reaches the OOM
 * chain), and the callbacks take allocator locks too; a fork that held
 * the chain while it waited for such a lock, and the lock's holder
 * waiting for the chain, never ended.  The child lets go of a chain held
 * by a thread it does not have instead: the list is whole, every change
 * to it being one store.  A fork from inside a callback (the forking
 * thread holds the chain) leaves the call running in both processes: the
 * child's thread, which has a thread id of its own, becomes the owner,
 * so that its nested calls go through and its unlock releases the lock.
 */
void blocking_notifier_fork_child(struct blocking_notifier_head *nh)
{
	nh->owner = fork_child_owner(nh->owner);
	if (nh->owner)
		return;		/* the forking thread's call goes on, here too */
	/* Held, if at all, by a thread the child does not have: nobody would let go. */
	__atomic_store_n(&nh->lock.locked, 0, __ATOMIC_RELEASE);
}
