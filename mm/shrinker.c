/* SPDX-License-Identifier: MIT */
/*
 * mm/shrinker.c - the shrinker registry and shrink_slab() (the kernel's
 * mm/shrinker.c, 6.7+ design).
 *
 * Registry.  Shrinkers sit on shrinker_list.  Writers (register, free)
 * change the list under shrinker_lock; shrink_slab() walks it under
 * rcu_read_lock() and takes a reference on each shrinker before leaving
 * the read-side section to call it, so a shrinker can be registered or
 * freed while reclaim runs.  shrinker_free() takes it off the list, drops
 * the list's reference, sleeps until the last run has dropped its own,
 * and frees the structure with call_rcu(): a walker standing on it inside
 * its read-side section may still follow its next pointer.
 *
 * Scan targets, as the kernel's do_shrink_slab() computes them: with
 * freeable objects reported by count_objects, a call at priority p asks
 * for (freeable >> p) * 4 / seeks new objects (freeable / 2 when seeks is
 * 0), plus the work earlier calls put off (nr_deferred >> p), never more
 * than twice freeable; scan_objects gets it in batches of `batch` (128 by
 * default), or all at once when the target is at least everything there
 * is.  What was not scanned is deferred to the next call, up to twice
 * freeable.  A scan_objects that reports SHRINK_STOP ends the call.
 * Unlike the kernel, a scan that says it scanned nothing also ends it:
 * reclaim must not spin on a shrinker that makes no progress.
 *
 * Lock order: shrinker_lock is a leaf, never held across a callback.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/rculist.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmstat.h>
#include "arch/host.h"
#include "mm/internal.h"

#define SHRINK_BATCH	128

static LIST_HEAD(shrinker_list);
/* Registration and removal (shrink_slab() walks the list under RCU). */
DEFINE_SPINLOCK(shrinker_lock);
/* shrink_slab() calls in progress, for synchronize_shrinkers(). */
static long shrinks_running;
static u32 shrinks_done;
static int shrink_sync_waiters;

static int nr_deferred_slots(unsigned int flags)
{
	return (flags & SHRINKER_NUMA_AWARE) ? MAX_NUMNODES : 1;
}

static void shrinker_name(struct shrinker *shrinker, const char *fmt, va_list ap)
{
	vscnprintf(shrinker->name, sizeof(shrinker->name), fmt, ap);
}

/**
 * shrinker_alloc - a zeroed shrinker with @flags (SHRINKER_NUMA_AWARE ...)
 * and a name made from @fmt; fill in count_objects, scan_objects, seeks,
 * batch and private_data, then shrinker_register().  May sleep.  NULL
 * when out of memory.
 */
struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...)
{
	struct shrinker *shrinker;
	va_list ap;

	shrinker = kzalloc(sizeof(*shrinker), GFP_KERNEL);
	if (!shrinker)
		return NULL;
	shrinker->nr_deferred = kcalloc(nr_deferred_slots(flags), sizeof(atomic_long_t),
					GFP_KERNEL);
	if (!shrinker->nr_deferred) {
		kfree(shrinker);
		return NULL;
	}
	shrinker->flags = (flags & ~SHRINKER_REGISTERED) | SHRINKER_ALLOCATED;
	shrinker->seeks = DEFAULT_SEEKS;
	INIT_LIST_HEAD(&shrinker->list);
	va_start(ap, fmt);
	shrinker_name(shrinker, fmt, ap);
	va_end(ap);
	return shrinker;
}

/*
 * The debugfs ids (the kernel's shrinker_debugfs_ida): the smallest free
 * one, given back when the shrinker leaves the list.  Past the bitmap,
 * ids are only counted up.  Under shrinker_lock.
 */
#define SHRINKER_IDS	(1U << 16)
static unsigned long shrinker_ids[BITS_TO_LONGS(SHRINKER_IDS)];
static int shrinker_ids_beyond = SHRINKER_IDS;

static int shrinker_id_get(void)
{
	unsigned long id = find_first_zero_bit(shrinker_ids, SHRINKER_IDS);

	if (id >= SHRINKER_IDS)
		return shrinker_ids_beyond++;
	__set_bit((long)id, shrinker_ids);
	return (int)id;
}

static void shrinker_id_put(int id)
{
	if (id >= 0 && (unsigned int)id < SHRINKER_IDS)
		__clear_bit(id, shrinker_ids);
}

static void shrinker_add(struct shrinker *shrinker)
{
	__atomic_store_n(&shrinker->refcount, 1, __ATOMIC_RELAXED);
	shrinker->done = 0;
	spin_lock(&shrinker_lock);
	shrinker->debugfs_id = shrinker_id_get();
	__atomic_fetch_or(&shrinker->flags, SHRINKER_REGISTERED, __ATOMIC_RELAXED);
	list_add_tail_rcu(&shrinker->list, &shrinker_list);
	spin_unlock(&shrinker_lock);
}

/**
 * shrinker_register - make a shrinker from shrinker_alloc() visible to
 * reclaim.  Never fails.  May sleep.
 */
void shrinker_register(struct shrinker *shrinker)
{
	if (WARN(!(shrinker->flags & SHRINKER_ALLOCATED),
		 "shrinker_register: %s was not made by shrinker_alloc()\n", shrinker->name))
		return;
	shrinker_add(shrinker);
}

void shrinker_put(struct shrinker *shrinker)
{
	if (__atomic_sub_fetch(&shrinker->refcount, 1, __ATOMIC_ACQ_REL) == 0) {
		__atomic_store_n(&shrinker->done, 1, __ATOMIC_RELEASE);
		arch_wake_all(&shrinker->done);
	}
}

/*
 * No run of it left (the list's reference dropped), then off the list, in
 * the kernel's order: walk_shrinkers() follows the next pointer of the
 * shrinker it holds, so a held shrinker must stay listed, where the
 * removal of its successor updates that pointer.  Unlisted first, it kept
 * pointing at a successor that could be unlisted and freed meanwhile.
 */
static void shrinker_remove_and_wait(struct shrinker *shrinker)
{
	shrinker_put(shrinker);
	while (!__atomic_load_n(&shrinker->done, __ATOMIC_ACQUIRE))
		arch_wait(&shrinker->done, 0, -1);
	spin_lock(&shrinker_lock);
	list_del_rcu(&shrinker->list);
	shrinker_id_put(shrinker->debugfs_id);
	shrinker->debugfs_id = -1;
	/* Walkers read the flags (SHRINKER_NUMA_AWARE) meanwhile. */
	__atomic_fetch_and(&shrinker->flags, ~SHRINKER_REGISTERED, __ATOMIC_RELAXED);
	spin_unlock(&shrinker_lock);
}

static void shrinker_free_rcu(struct rcu_head *head)
{
	struct shrinker *shrinker = container_of(head, struct shrinker, rcu);

	kfree(shrinker->nr_deferred);
	kfree(shrinker);
}

/**
 * shrinker_free - unregister (if registered) and free a shrinker from
 * shrinker_alloc().  Returns once no reclaim is running it and none will
 * start; the memory goes after a grace period.  NULL is ignored.  May sleep.
 */
void shrinker_free(struct shrinker *shrinker)
{
	if (!shrinker)
		return;
	might_sleep();
	if (shrinker->flags & SHRINKER_REGISTERED) {
		shrinker_remove_and_wait(shrinker);
		call_rcu(&shrinker->rcu, shrinker_free_rcu);
		return;
	}
	shrinker_free_rcu(&shrinker->rcu);
}

/**
 * register_shrinker - the pre-6.7 interface: register the caller's own
 * @shrinker (count_objects, scan_objects, seeks, batch, flags filled in).
 * 0, or -ENOMEM.  May sleep.
 */
int register_shrinker(struct shrinker *shrinker, const char *fmt, ...)
{
	va_list ap;

	shrinker->nr_deferred = kcalloc(nr_deferred_slots(shrinker->flags),
					sizeof(atomic_long_t), GFP_KERNEL);
	if (!shrinker->nr_deferred)
		return -ENOMEM;
	shrinker->flags &= ~(SHRINKER_REGISTERED | SHRINKER_ALLOCATED);
	va_start(ap, fmt);
	shrinker_name(shrinker, fmt, ap);
	va_end(ap);
	shrinker_add(shrinker);
	return 0;
}

/**
 * unregister_shrinker - undo register_shrinker().  When it returns, no
 * reclaim runs the shrinker or looks at it: the caller may free it.
 * May sleep.
 */
void unregister_shrinker(struct shrinker *shrinker)
{
	if (!(shrinker->flags & SHRINKER_REGISTERED))
		return;
	might_sleep();
	shrinker_remove_and_wait(shrinker);
	synchronize_rcu();	/* walkers that stood on it have moved on */
	kfree(shrinker->nr_deferred);
	shrinker->nr_deferred = NULL;
}

/*
 * The kernel waits for the runs in progress; here a run that ends with
 * none left wakes the waiters, who check again (a millisecond at most
 * between checks, so a steady stream of runs cannot starve them).
 */
void synchronize_shrinkers(void)
{
	might_sleep();
	__atomic_add_fetch(&shrink_sync_waiters, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&shrinks_running, __ATOMIC_SEQ_CST)) {
		u32 seen = __atomic_load_n(&shrinks_done, __ATOMIC_ACQUIRE);

		if (__atomic_load_n(&shrinks_running, __ATOMIC_ACQUIRE))
			arch_wait(&shrinks_done, seen, 1000 * 1000L);
	}
	__atomic_sub_fetch(&shrink_sync_waiters, 1, __ATOMIC_RELEASE);
}

static atomic_long_t *deferred_slot(struct shrinker *shrinker, const struct shrink_control *sc)
{
	int nid = (__atomic_load_n(&shrinker->flags, __ATOMIC_RELAXED) & SHRINKER_NUMA_AWARE) ?
		  sc->nid : 0;

	return &shrinker->nr_deferred[nid];
}

static unsigned long do_shrink_slab(struct shrink_control *sc, struct shrinker *shrinker,
				    int priority)
{
	long batch_size = shrinker->batch ? shrinker->batch : SHRINK_BATCH;
	unsigned long freed = 0, freeable;
	long total_scan, nr, next_deferred, scanned = 0;
	unsigned long long delta;

	freeable = shrinker->count_objects(shrinker, sc);
	if (freeable == 0 || freeable == SHRINK_EMPTY)
		return freeable;
	/* Take the deferred work, so concurrent reclaimers do not all do it. */
	nr = atomic_long_xchg(deferred_slot(shrinker, sc), 0);
	if (shrinker->seeks) {
		delta = (freeable >> priority) * 4ULL;
		delta /= (unsigned int)shrinker->seeks;
	} else {
		delta = freeable / 2;	/* no IO to recreate: trim hard */
	}
	total_scan = (nr >> priority) + (long)delta;
	total_scan = min(total_scan, (long)(2 * freeable));

	/*
	 * Batches of batch_size; below that only when the target is all
	 * there is (a small cache under heavy pressure).
	 */
	while (total_scan >= batch_size || total_scan >= (long)freeable) {
		unsigned long nr_to_scan = min(batch_size, total_scan), ret;

		sc->nr_to_scan = nr_to_scan;
		sc->nr_scanned = nr_to_scan;
		ret = shrinker->scan_objects(shrinker, sc);
		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		count_vm_events(SLABS_SCANNED, (long)sc->nr_scanned);
		if (!sc->nr_scanned)
			break;
		total_scan -= (long)sc->nr_scanned;
		scanned += (long)sc->nr_scanned;
	}
	/* New work left undone, less old work done now, at most twice freeable. */
	next_deferred = max_t(long, nr + (long)delta - scanned, 0);
	next_deferred = min(next_deferred, (long)(2 * freeable));
	atomic_long_add(next_deferred, deferred_slot(shrinker, sc));
	return freed;
}

/*
 * Call @fn on every registered shrinker, each held by a reference outside
 * the read-side section; the sum of what @fn returns (SHRINK_EMPTY as 0).
 */
static unsigned long walk_shrinkers(gfp_t gfp_mask, int nid, int priority,
				    unsigned long (*fn)(struct shrink_control *sc,
							struct shrinker *shrinker, int priority))
{
	unsigned long ret, total = 0;
	struct shrinker *shrinker;

	rcu_read_lock();
	list_for_each_entry_rcu(shrinker, &shrinker_list, list) {
		struct shrink_control sc = {
			.gfp_mask = gfp_mask,
			.nid = (__atomic_load_n(&shrinker->flags, __ATOMIC_RELAXED) &
				SHRINKER_NUMA_AWARE) ? nid : 0,
		};

		if (!shrinker_try_get(shrinker))
			continue;
		rcu_read_unlock();
		ret = fn(&sc, shrinker, priority);
		if (ret != SHRINK_EMPTY)
			total += ret;
		rcu_read_lock();
		shrinker_put(shrinker);
	}
	rcu_read_unlock();
	return total;
}

unsigned long shrink_slab(gfp_t gfp_mask, int nid, struct mem_cgroup *memcg, int priority)
{
	unsigned long freed;

	if (memcg)
		return 0;	/* no memory cgroups */
	__atomic_add_fetch(&shrinks_running, 1, __ATOMIC_ACQ_REL);
	freed = walk_shrinkers(gfp_mask, nid, priority, do_shrink_slab);
	if (__atomic_sub_fetch(&shrinks_running, 1, __ATOMIC_ACQ_REL) == 0 &&
	    __atomic_load_n(&shrink_sync_waiters, __ATOMIC_ACQUIRE)) {
		__atomic_add_fetch(&shrinks_done, 1, __ATOMIC_RELEASE);
		arch_wake_all(&shrinks_done);
	}
	return freed;
}

static unsigned long count_one(struct shrink_control *sc, struct shrinker *shrinker, int priority)
{
	return shrinker->count_objects(shrinker, sc);
}

/*
 * The fork child (vmscan's fork step, shrinker_lock held, the only thread).
 * Runs of shrink_slab() by threads that did not come along left their
 * references on the shrinkers they were calling and their count in
 * shrinks_running: nothing would ever drop them, and shrinker_free() and
 * synchronize_shrinkers() would wait for ever.  No run is in progress here
 * (a shrinker callback that forks is not supported), so every listed
 * shrinker is back to the list's one reference; one whose last reference
 * was already dropped (its shrinker_free() ran in a thread left behind)
 * stays at 0, skipped by reclaim.
 */
void shrinker_fork_child(void)
{
	struct shrinker *shrinker;

	list_for_each_entry(shrinker, &shrinker_list, list)
		if (__atomic_load_n(&shrinker->refcount, __ATOMIC_RELAXED) > 1)
			__atomic_store_n(&shrinker->refcount, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&shrinks_running, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&shrink_sync_waiters, 0, __ATOMIC_RELAXED);
}

/*
 * For mm/shrinker_debug.c: the registered shrinker whose debugfs directory
 * is @dir ("<name>-<id>"), with a reference (shrinker_put() it), or NULL.
 */
struct shrinker *shrinker_get_by_debugfs_dir(const char *dir)
{
	struct shrinker *shrinker, *found = NULL;
	char buf[64];

	rcu_read_lock();
	list_for_each_entry_rcu(shrinker, &shrinker_list, list) {
		spin_lock(&shrinker_lock);	/* the name and id, as rename writes them */
		snprintf(buf, sizeof(buf), "%s-%d", shrinker->name, shrinker->debugfs_id);
		spin_unlock(&shrinker_lock);
		if (!strcmp(buf, dir) && shrinker_try_get(shrinker)) {
			found = shrinker;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/* Each registered shrinker's directory name, a line each. */
void shrinker_debugfs_list(FILE *m)
{
	struct shrinker *shrinker;

	spin_lock(&shrinker_lock);
	list_for_each_entry(shrinker, &shrinker_list, list)
		fprintf(m, "%s-%d\n", shrinker->name, shrinker->debugfs_id);
	spin_unlock(&shrinker_lock);
}

int shrinker_debugfs_rename(struct shrinker *shrinker, const char *fmt, ...)
{
	char name[sizeof(shrinker->name)];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	spin_lock(&shrinker_lock);
	memcpy(shrinker->name, name, sizeof(name));
	spin_unlock(&shrinker_lock);
	return 0;
}

/* Sum of every shrinker's count for @nid (drop_caches, reports, tests). */
unsigned long shrinker_count_all(gfp_t gfp_mask, int nid)
{
	return walk_shrinkers(gfp_mask, nid, 0, count_one);
}
