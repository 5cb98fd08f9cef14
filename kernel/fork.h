/* SPDX-License-Identifier: MIT */
/*
 * kernel/fork.h - how a subsystem takes part in fork() (kernel/fork.c says
 * what each step is for and when it runs).
 */
#ifndef _KERNEL_FORK_H
#define _KERNEL_FORK_H

#include <stddef.h>

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

/*
 * Step order, smaller first when locking: the library's lock order
 * (kernel/locking.h, docs/overview.md), since fork takes every lock.
 */
enum {
	FORK_ORDER_BOOT = 1,		/* boot_lock: a boot in progress ends first */
	FORK_ORDER_KMEMLEAK_SCAN = 2,	/* kmemleak's scan_mutex: a report may create caches */
	FORK_ORDER_NOTIFIER = 3,	/* the OOM and vmap purge chains (no lock: the forking thread) */
	FORK_ORDER_MALLOC_CLASSES = 4,	/* the front end's classes_lock (creates caches) */
	FORK_ORDER_VMALLOC_SETUP = 5,	/* vmalloc's first use (creates a cache) */
	FORK_ORDER_SLAB_MUTEX = 6,	/* slab_mutex */
	FORK_ORDER_DMESG = 7,		/* dmesg_lock: held across a write that may reclaim */
	FORK_ORDER_BALLOON = 8,		/* balloon_mutex (mm/balloon.c): the last sleeping lock */
	FORK_ORDER_MALLOC = 10,		/* the front end's host-block registry */
	FORK_ORDER_MALLOC_LARGE = 11,	/* the front end's guarded free blocks */
	FORK_ORDER_MEMPOOL = 20,
	FORK_ORDER_DMAPOOL = 21,	/* the pool list, then each pool (mm/dmapool.c) */
	FORK_ORDER_GENPOOL = 22,	/* the pool list, then each pool (lib/genalloc.c) */
	FORK_ORDER_OBJPOOL = 23,	/* the ring list; the child ends dead pushes (lib/objpool.c) */
	FORK_ORDER_PERCPU = 30,
	FORK_ORDER_IOMEM = 35,
	FORK_ORDER_VMALLOC = 40,	/* its purge frees slab objects and pages */
	FORK_ORDER_SLAB = 50,		/* stacks, traces, list_locks, debug maps, barns */
	FORK_ORDER_KMEMLEAK = 55,	/* kmemleak_lock: after the barns, before the page lists */
	FORK_ORDER_PAGE_ALLOC = 60,
	FORK_ORDER_KFENCE = 65,		/* kfence_lock (mm/kfence.c) */
	FORK_ORDER_STACKDEPOT = 67,	/* depot_lock (lib/stackdepot.c) */
	FORK_ORDER_RECLAIM = 70,	/* shrinker_lock, the kswapd states (mm/vmscan.c) */
	FORK_ORDER_RCU = 80,		/* rcu_collect_lock (kernel/rcu.c) */
	FORK_ORDER_REPORTS = 85,	/* reports_lock (mm/proc.c) */
	FORK_ORDER_SLAB_QUARANTINE = 87,	/* ASan's quarantine list (mm/slab_quarantine.c) */
	FORK_ORDER_PRINTK = 90,
	/*
	 * No lock: its child runs first (children run in reverse), making the
	 * child's shared mappings private before any other step's child writes
	 * the library's memory, some of which sits on them (mm/vmalloc_fork.c).
	 */
	FORK_ORDER_VMALLOC_REMAP = 95,
};

/*
 * One subsystem's part.  Any function may be NULL.
 *  prepare  before any lock, in the forking thread: set up what the child
 *           will need (a copy); 0 or -errno.  A failure fails ukmem_fork()
 *           with that errno; see kernel/fork.c for a plain fork().
 *  abort    undo a successful prepare when a later one failed.
 *  spinlock a step that guards its state with one spinlock (or mutex)
 *  mutex    may name it: taken before lock(), released after
 *           parent()/child().
 *  lock     take the subsystem's locks with fork_lock()/fork_mutex_lock()
 *           (or fork_lock_walk()); runs in every mode, those take nothing
 *           in a single-threaded fork (fork_lock_walk() may).
 *  parent   in the parent after fork(2), whether it succeeded or not:
 *           release (fork_unlock...), drop what prepare set up.
 *  child    in the child: repair what the child must not inherit, then
 *           release.
 * Steps are kept in their order; parent and child run in reverse.
 */
struct fork_step {
	const char *name;
	int order;
	spinlock_t *spinlock;
	struct mutex *mutex;
	int (*prepare)(void);
	void (*abort)(void);
	void (*lock)(void);
	void (*parent)(void);
	void (*child)(void);
};

/* Add a step (it must live for ever); any context that may sleep. */
void fork_register_step(const struct fork_step *step);
/* The registered step called @name, or NULL (tests). */
const struct fork_step *fork_step_find(const char *name);
/*
 * The older form: @lock_all before fork, @unlock_all in parent and child.
 * Both run on every fork, whatever the mode, so they must not wait for a
 * lock the forking thread may hold (see kernel/fork.c): prefer a step.
 */
void ukmem_register_fork_hook(int order, void (*lock_all)(void), void (*unlock_all)(void));

/*
 * For lock, parent and child: take or release a lock as this fork's mode
 * says.  fork_lock()/fork_mutex_lock() return whether the lock is held
 * by the fork now (a step must not walk what an untaken lock guards);
 * fork_unlock()/fork_mutex_unlock() release only what the fork took.
 */
bool fork_lock(spinlock_t *lock);
void fork_unlock(spinlock_t *lock);
/*
 * For a step whose child walks what @lock guards: as fork_lock(), and in a
 * single-threaded fork as well, where the lock is taken only if it is free
 * (held, it belongs to the code a signal handler interrupted, and what it
 * guards may be half changed).  Returns whether the fork holds it.  Also
 * usable in prepare, which then releases it with fork_unlock().
 */
bool fork_lock_walk(spinlock_t *lock);
bool fork_mutex_lock(struct mutex *lock);
void fork_mutex_unlock(struct mutex *lock);
/*
 * A notifier chain of the library's in a fork child (kernel/notifier.c):
 * the fork does not wait for a call in another thread (its callers hold
 * allocator locks the fork takes); the child lets go of a chain held by
 * a thread it does not have, and a chain the forking thread is calling
 * stays its own.
 */
struct blocking_notifier_head;
void blocking_notifier_fork_child(struct blocking_notifier_head *nh);
/* In the child: an owner word (a thread id) held by the forking thread, else 0. */
int fork_child_owner(int owner);
/* The lock is held by this fork (the steps that walk what it guards ask). */
bool fork_holds(const spinlock_t *lock);
bool fork_holds_mutex(const struct mutex *lock);
/* The value this fork's locks hold: never 0, 1, or any thread's token. */
u32 fork_token(void);
/* This fork waits for locks (false: it takes none, or only tries). */
bool fork_waits(void);

/*
 * A registry of live objects that each hold a spinlock across fork()
 * (mempools, DMA pools, gen_pools): its step locks the registry, then
 * every member in list order, and unlocks them in reverse in parent and
 * child.  The members exist only after the boot, so the first one added
 * registers the step.  The registry's lock ranks before every member's.
 * DEFINE_FORK_LOCK_LIST() makes the registry and its step together.
 */
struct fork_lock_list {
	spinlock_t lock;
	struct list_head members;
	ptrdiff_t member_lock;		/* a member's spinlock, from its list link */
	const struct fork_step *step;
	bool step_registered;
};

void fork_lock_list_lock(struct fork_lock_list *list);
void fork_lock_list_unlock(struct fork_lock_list *list);
void fork_lock_list_add(struct fork_lock_list *list, struct list_head *link);
/* @link may be on no list (zeroed): then nothing is done. */
void fork_lock_list_del(struct fork_lock_list *list, struct list_head *link);

/*
 * @reg, a registry of @type objects linked by @link whose spinlock is
 * @lock_field, under a lock of @rank; its fork step is @step_name at
 * @step_order.
 */
#define DEFINE_FORK_LOCK_LIST(reg, step_name, step_order, rank, type, link, lock_field)	\
	static struct fork_lock_list reg;							\
	static void reg##_fork_lock(void)							\
	{											\
		fork_lock_list_lock(&reg);							\
	}											\
	static void reg##_fork_unlock(void)							\
	{											\
		fork_lock_list_unlock(&reg);							\
	}											\
	static const struct fork_step reg##_fork_step = {					\
		.name = (step_name),								\
		.order = (step_order),								\
		.lock = reg##_fork_lock,							\
		.parent = reg##_fork_unlock,							\
		.child = reg##_fork_unlock,							\
	};											\
	static struct fork_lock_list reg = {							\
		.lock = { 0, (rank) },								\
		.members = LIST_HEAD_INIT((reg).members),					\
		.member_lock = (ptrdiff_t)offsetof(type, lock_field) -				\
			       (ptrdiff_t)offsetof(type, link),					\
		.step = &reg##_fork_step,							\
	}

/* kernel/printk.c: the log buffer's lock, taken last. */
extern const struct fork_step printk_fork_step;
/* Boot (init/main.c): the steps of kernel/, and pthread_atfork. */
void fork_init(void);
/* Aborts, saying why, if @word (a lock's holder) is this thread's own fork hold: it would wait for ever. */
void fork_reentry_check(int word);

#endif /* _KERNEL_FORK_H */
