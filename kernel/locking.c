/* SPDX-License-Identifier: MIT */
/*
 * kernel/locking.c - the contended half of spinlock_t, struct mutex, the
 * lock order checker, and the per-thread preempt and irq-disable counts
 * (kernel/locking/spinlock.c, mutex.c, lockdep.c; kernel/sched/core.c).
 *
 * Spinlocks: a kernel spinlock holder is never preempted; a user-space one
 * can be, so after spinning a while the waiter yields its host CPU to let
 * the holder run.  Nothing sleeps on a spinlock: it stays usable from any
 * context ukmem treats as atomic, and it must only guard short sections.
 *
 * Mutexes sleep.  The word is the three-state futex lock: 0 free, 1 held,
 * 2 held with (maybe) sleepers.  The fast path is one compare-and-swap; a
 * contended lock spins briefly while the word says "held, nobody sleeps"
 * (the holder is likely running and about to let go, the kernel's
 * optimistic spinning), then marks the word 2 and sleeps in arch_wait()
 * until an unlock that finds 2 wakes one sleeper.  Unlock is an exchange,
 * and a system call only when someone may sleep.
 *
 * The lock order checker.  Each ranked lock (kernel/locking.h) is recorded
 * on a short per-thread stack while held.  Taking one, other than by a
 * trylock, while the thread holds a lock of a later rank, or taking a lock
 * the thread holds already, prints the kernel's "possible circular locking
 * dependency" (or "possible recursive locking") report, once per process,
 * and counts every case.  Locks of one rank are never nested, so the rank
 * alone decides, where the kernel's lockdep learns a graph of classes: the
 * order of this library is small and fixed, and written down.  A signal
 * handler's locks stack on top of the interrupted code's, which is exactly
 * what must be ordered (a handler waiting for a lock its own thread holds
 * never gets it).  With lockdep.prove_locking=0 (the default outside debug
 * builds) nothing is recorded and a lock costs one predictable branch.
 */
#include <stdio.h>

#include <linux/bug.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "kernel/locking.h"

__thread unsigned int ukmem_preempt_count __attribute__((tls_model("initial-exec")));
__thread unsigned int ukmem_irqs_disabled_depth __attribute__((tls_model("initial-exec")));

#define SPINS_BEFORE_YIELD	128
#define MUTEX_SPINS		100

/* Wait for @lock and take it with the value @owner. */
static void spin_wait_take(spinlock_t *lock, int owner)
{
	unsigned int spins = 0;

	for (;;) {
		int free = 0;
		int held;

		while ((held = __atomic_load_n(&lock->locked, __ATOMIC_RELAXED))) {
			if (++spins < SPINS_BEFORE_YIELD) {
				arch_cpu_relax();
			} else {
				/* Held by this thread's own fork: it would never end. */
				if (spins == SPINS_BEFORE_YIELD)
					fork_reentry_check(held);
				arch_yield();
			}
		}
		if (__atomic_compare_exchange_n(&lock->locked, &free, owner, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return;
	}
}

void ukmem_spin_lock_contended(spinlock_t *lock)
{
	spin_wait_take(lock, 1);
}

/*
 * This thread holds @lock already: nobody will ever release it while we
 * wait.  In ukmem that is a signal handler (one the program installed,
 * not through ukmem_sigaction()) that interrupted the allocator inside
 * the lock and called it again.  The kernel's spinlock debugging reports
 * "spinlock recursion" and the CPU then locks up; a process would hang
 * with nothing said, so the report is followed by a panic (SIGABRT).
 */
static noinline void spin_recursion(spinlock_t *lock)
{
	char comm[16];

	arch_comm(comm);
	printk(KERN_EMERG "BUG: spinlock recursion on CPU#%d, %s/%d\n", raw_smp_processor_id(),
	       comm, current_tid());
	printk(KERN_EMERG " lock: %pS, .owner: %s/%d\n", lock, comm, current_tid());
	dump_stack();
	panic("spinlock recursion: this thread holds the lock already (a signal handler "
	      "that interrupted its holder, or a lock taken twice)");
}

void ukmem_spin_lock_contended_by(spinlock_t *lock, int owner)
{
	if (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED) == owner)
		spin_recursion(lock);
	spin_wait_take(lock, owner);
}

/* ---- the calling thread's id ---- */

static __thread int cached_tid __attribute__((tls_model("initial-exec")));
__thread int ukmem_lock_owner __attribute__((tls_model("initial-exec")));

int ukmem_lock_owner_slow(void)
{
	ukmem_lock_owner = SPIN_OWNER_BIT | current_tid();
	return ukmem_lock_owner;
}

int current_tid(void)
{
	if (unlikely(!cached_tid))
		cached_tid = arch_gettid();
	return cached_tid;
}

/* ---- mutexes ---- */

static bool mutex_try_fast(struct mutex *lock)
{
	u32 free = 0;

	return __atomic_compare_exchange_n(&lock->state, &free, 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static noinline void mutex_lock_contended(struct mutex *lock)
{
	unsigned int spins;
	u32 c;

	for (spins = 0; spins < MUTEX_SPINS; spins++) {
		c = __atomic_load_n(&lock->state, __ATOMIC_RELAXED);
		if (c == 2)
			break;			/* others sleep already: queue up */
		if (c == 0 && mutex_try_fast(lock))
			return;
		arch_cpu_relax();
	}
	/* From here on the word says 2 whenever we might sleep. */
	while (__atomic_exchange_n(&lock->state, 2, __ATOMIC_ACQUIRE) != 0)
		arch_wait(&lock->state, 2, -1);
}

void mutex_lock_raw(struct mutex *lock)
{
	if (unlikely(!mutex_try_fast(lock)))
		mutex_lock_contended(lock);
}

bool mutex_trylock_raw(struct mutex *lock)
{
	return mutex_try_fast(lock);
}

void mutex_unlock_raw(struct mutex *lock)
{
	if (__atomic_exchange_n(&lock->state, 0, __ATOMIC_RELEASE) == 2)
		arch_wake_one(&lock->state);
}

/*
 * This thread holds @lock already (its owner is our id): it would sleep
 * for ever, as spin_recursion() would spin.  Reported as lockdep reports
 * a lock taken twice, then a panic instead of the hang: a signal handler
 * the program installed itself interrupted the holder (a malloc from the
 * handler while the boot or a cache creation held slab_mutex), or the
 * code takes it twice.
 */
static noinline void mutex_recursion(struct mutex *lock)
{
	char comm[16];

	arch_comm(comm);
	printk(KERN_WARNING "\n============================================\n");
	printk(KERN_WARNING "WARNING: possible recursive locking detected\n");
	printk(KERN_WARNING "--------------------------------------------\n");
	printk(KERN_WARNING "%s/%d is trying to acquire lock:\n", comm, current_tid());
	printk(KERN_WARNING "%px (%pS)\n\nbut task is already holding lock:\n", lock, lock);
	printk(KERN_WARNING "%px (%pS)\n\n", lock, lock);
	dump_stack();
	panic("mutex recursion: this thread holds the mutex already (a signal handler "
	      "that interrupted its holder, or a mutex taken twice)");
}

void mutex_lock(struct mutex *lock)
{
	might_sleep();
	if (unlikely(ukmem_lockdep))
		ukmem_lock_acquire(lock, lock->rank, false);
	if (unlikely(!mutex_try_fast(lock))) {
		if (mutex_held_by_current(lock))
			mutex_recursion(lock);
		fork_reentry_check(READ_ONCE(lock->owner));
		mutex_lock_contended(lock);
	}
	WRITE_ONCE(lock->owner, current_tid());
}

int mutex_lock_interruptible(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

int mutex_lock_killable(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

int mutex_trylock(struct mutex *lock)
{
	if (!mutex_try_fast(lock))
		return 0;
	WRITE_ONCE(lock->owner, current_tid());
	if (unlikely(ukmem_lockdep))
		ukmem_lock_acquire(lock, lock->rank, true);
	return 1;
}

void mutex_unlock(struct mutex *lock)
{
	if (unlikely(ukmem_lockdep))
		ukmem_lock_release(lock);
	WRITE_ONCE(lock->owner, 0);
	mutex_unlock_raw(lock);
}

/* ---- the lock order checker ---- */

#ifdef UKMEM_DEBUG
bool ukmem_lockdep = true;
#else
bool ukmem_lockdep;
#endif

#define MAX_HELD	16

struct held_lock {
	const void *lock;
	unsigned int rank;
	unsigned long ip;
};

/*
 * Not initial-exec: nothing reads it unless the checker is on, and a
 * dlopen'ed libukmem.so must not spend its static TLS on it.
 */
static __thread struct {
	unsigned int depth;		/* entries in use (may pass MAX_HELD) */
	unsigned int off;		/* lockdep_off() nesting */
	struct held_lock held[MAX_HELD];
} lockdep_task __attribute__((tls_model("global-dynamic")));

static unsigned long nr_reports;
static int report_printed;

static const char *const rank_names[NR_LOCK_RANKS] = {
	[LOCK_RANK_NONE]		= "unranked",
	[LOCK_RANK_BOOT]		= "boot_lock",
	[LOCK_RANK_MALLOC_CLASSES]	= "classes_lock",
	[LOCK_RANK_VMALLOC_SETUP]	= "vmalloc_setup_lock",
	[LOCK_RANK_SLAB_MUTEX]		= "slab_mutex",
	[LOCK_RANK_BALLOON_SETUP]	= "balloon setup_mutex",
	[LOCK_RANK_DMESG]		= "dmesg_lock",
	[LOCK_RANK_BALLOON]		= "balloon_mutex",
	[LOCK_RANK_KMEMLEAK_SCAN]	= "scan_mutex",
	[LOCK_RANK_MALLOC_HOST]		= "host_lock",
	[LOCK_RANK_MALLOC_LARGE]	= "large cache lock",
	[LOCK_RANK_MEMPOOL_LIST]	= "mempool_list_lock",
	[LOCK_RANK_MEMPOOL]		= "&pool->lock",
	[LOCK_RANK_PCPU]		= "pcpu_lock",
	[LOCK_RANK_IOMEM]		= "iomem_lock",
	[LOCK_RANK_VMAP_PURGE]		= "vmap_purge_lock",
	[LOCK_RANK_VMAP_SEG]		= "vmap_seg_lock",
	[LOCK_RANK_VMAP_ALIAS]		= "vmap_alias_lock",
	[LOCK_RANK_VMAP_AREA]		= "vmap_area_lock",
	[LOCK_RANK_KMAP]		= "kmap_lock",
	[LOCK_RANK_SLAB_SHEAVES]	= "&s->sheaves_lock",
	[LOCK_RANK_SLAB_TRACES]		= "traces_lock",
	[LOCK_RANK_SLAB_LIST]		= "&n->list_lock",
	[LOCK_RANK_SLAB_DEBUG]		= "slab debug map lock",
	[LOCK_RANK_SLAB_BARN]		= "&barn->lock",
	[LOCK_RANK_KMEMLEAK]		= "kmemleak_lock",
	[LOCK_RANK_PCP]			= "&pcp->lock",
	[LOCK_RANK_ZONE]		= "&zone->lock",
	[LOCK_RANK_KFENCE]		= "kfence_lock",
	[LOCK_RANK_STACKDEPOT]		= "depot_lock",
	[LOCK_RANK_REPORTS]		= "reports_lock",
	[LOCK_RANK_SLAB_QUARANTINE]	= "quarantine_lock",
	[LOCK_RANK_PRINTK]		= "logbuf_lock",
};

static const char *rank_name(unsigned int rank)
{
	return rank < NR_LOCK_RANKS && rank_names[rank] ? rank_names[rank] : "?";
}

static void print_lock(const char *prefix, const void *lock, unsigned int rank, unsigned long ip)
{
	pr_warn("%s%px (%s){rank %u}, at: %pS\n", prefix, lock, rank_name(rank), rank, (void *)ip);
}

/* The kernel's lockdep report, trimmed to what a rank order can say. */
static noinline void lockdep_report(const void *lock, unsigned int rank, unsigned long ip,
				    const struct held_lock *prev, bool recursive)
{
	unsigned int i, depth = lockdep_task.depth;
	char comm[16];

	__atomic_fetch_add(&nr_reports, 1, __ATOMIC_RELAXED);
	if (__atomic_exchange_n(&report_printed, 1, __ATOMIC_RELAXED))
		return;
	lockdep_task.off++;			/* printk's own lock is ranked */
	arch_comm(comm);
	pr_warn("\n");
	pr_warn("======================================================\n");
	if (recursive)
		pr_warn("WARNING: possible recursive locking detected\n");
	else
		pr_warn("WARNING: possible circular locking dependency detected\n");
	pr_warn("%s\n", print_tainted());
	pr_warn("------------------------------------------------------\n");
	pr_warn("%s/%d is trying to acquire lock:\n", comm, current_tid());
	print_lock("", lock, rank, ip);
	pr_warn("\nbut task is already holding lock:\n");
	print_lock("", prev->lock, prev->rank, prev->ip);
	if (recursive)
		pr_warn("\nwhich is the same lock: this thread would wait for itself.\n");
	else
		pr_warn("\nwhich lock already depends on the new lock: the lock order "
			"(docs/overview.md) takes %s before %s.\n",
			rank_name(rank), rank_name(prev->rank));
	pr_warn("\nother info that might help us debug this:\n");
	pr_warn("%u lock%s held by %s/%d:\n", depth, depth == 1 ? "" : "s", comm, current_tid());
	for (i = 0; i < depth && i < MAX_HELD; i++) {
		char prefix[16];

		snprintf(prefix, sizeof(prefix), " #%u: ", i);
		print_lock(prefix, lockdep_task.held[i].lock, lockdep_task.held[i].rank,
			   lockdep_task.held[i].ip);
	}
	pr_warn("\nstack backtrace:\n");
	dump_stack();
	add_taint(TAINT_WARN, LOCKDEP_NOW_UNRELIABLE);
	lockdep_task.off--;
}

void ukmem_lock_acquire(const void *lock, unsigned int rank, bool trylock)
{
	unsigned long ip = (unsigned long)__builtin_return_address(0);
	unsigned int i, d;

	if (!rank || lockdep_task.off)
		return;
	d = lockdep_task.depth;
	if (!trylock) {
		for (i = 0; i < d && i < MAX_HELD; i++) {
			const struct held_lock *h = &lockdep_task.held[i];

			if (h->lock == lock || h->rank > rank) {
				lockdep_report(lock, rank, ip, h, h->lock == lock);
				break;
			}
		}
	}
	/*
	 * Claim the slot before filling it: a signal handler that comes in
	 * between stacks its own locks above and takes them off again.
	 */
	lockdep_task.depth = d + 1;
	barrier();
	if (d < MAX_HELD) {
		lockdep_task.held[d].lock = lock;
		lockdep_task.held[d].rank = rank;
		lockdep_task.held[d].ip = ip;
	}
}

void ukmem_lock_release(const void *lock)
{
	unsigned int i, d = lockdep_task.depth;

	if (lockdep_task.off)
		return;
	/* Most often the last one taken; any order is allowed. */
	for (i = d < MAX_HELD ? d : MAX_HELD; i-- > 0;) {
		if (lockdep_task.held[i].lock != lock)
			continue;
		for (; i + 1 < d && i + 1 < MAX_HELD; i++)
			lockdep_task.held[i] = lockdep_task.held[i + 1];
		barrier();
		lockdep_task.depth = d - 1;
		return;
	}
	/* Taken past MAX_HELD, or before the checker was switched on. */
	if (d > MAX_HELD)
		lockdep_task.depth = d - 1;
}

unsigned long lockdep_reports(void)
{
	return __atomic_load_n(&nr_reports, __ATOMIC_RELAXED);
}

void lockdep_rearm(void)
{
	__atomic_store_n(&report_printed, 0, __ATOMIC_RELAXED);
}

void lockdep_off(void)
{
	lockdep_task.off++;
}

void lockdep_on(void)
{
	lockdep_task.off--;
}

/*
 * The child's one thread gets its new id, but keeps the id it stored in
 * spinlocks (ukmem_lock_owner): a lock the code it was running held at
 * the fork is still its own here (a single-threaded fork takes no lock; a
 * handler's fork inside the allocator leaves the interrupted code's locks
 * held, and that code lets go of them when the handler returns).  With a
 * new id the child's handler took such a lock for another thread's and
 * waited for ever; with the old one it finds the lock its own, and the
 * zone and node locks are only tried, the rest reported.  The parent's
 * thread id is not given to a new thread of the child while the parent's
 * thread lives (and, after, only once the host's pids wrap).
 */
void locking_fork_child(void)
{
	cached_tid = 0;
}
