/* SPDX-License-Identifier: MIT */
/*
 * mm/slub_shrink.c - a cache's slabs as a whole: kmem_cache_shrink(),
 * kmem_cache_destroy()'s shutdown and release, and slabinfo's figures
 * (mm/slub.c __kmem_cache_do_shrink, __kmem_cache_shutdown,
 * __kmem_cache_release, get_slabinfo).  None of it is on an allocation
 * path: the per-CPU stacks and barns are emptied into the slabs first
 * (flush_all_sheaves), then each node's lists are walked under list_lock.
 */
#include <errno.h>

#include <linux/slab.h>
#include <linux/mm.h>
#include "mm/slab.h"

#define SHRINK_PROMOTE_MAX 32

/*
 * Free the node's empty partial slabs.  With @promote (SHRINK_PROMOTE_MAX
 * lists), the partial list is also sorted fullest first, as the kernel's
 * shrink does, so new allocations fill the busiest slabs and the emptiest
 * ones get a chance to drain.  True if the node still has slabs.
 */
static bool release_empty_slabs(struct kmem_cache *s, struct kmem_cache_node *n,
				struct list_head *promote, unsigned long *scanned)
{
	struct slab *slab, *t;
	LIST_HEAD(discard);
	int i;

	for (i = 0; promote && i < SHRINK_PROMOTE_MAX; i++)
		INIT_LIST_HEAD(promote + i);
	slab_node_lock(s, n);
	list_for_each_entry_safe(slab, t, &n->partial, slab_list) {
		int free = (int)(slab->objects - slab->inuse);

		/* Reclaim counts the slabs it looked at and kept (the freed ones it counts anyway). */
		if (scanned && slab->inuse)
			*scanned += 1UL << slab_order(slab);
		if (!slab->inuse) {
			discard_slab_locked(n, slab, &discard);
		} else if (promote && free <= SHRINK_PROMOTE_MAX) {
			list_move(&slab->slab_list, promote + free - 1);
		}
	}
	/* Fullest (fewest free objects) at the head. */
	for (i = SHRINK_PROMOTE_MAX - 1; promote && i >= 0; i--)
		list_splice_init(promote + i, &n->partial);
	node_unlock_free_discarded(s, n, &discard);
	return atomic_long_read(&n->nr_slabs) != 0;
}

/* Flush the per-CPU stacks, free every empty slab, sort the partial lists.  1 if slabs remain. */
int __kmem_cache_shrink(struct kmem_cache *s)
{
	struct list_head promote[SHRINK_PROMOTE_MAX];
	struct kmem_cache_node *n;
	int node, ret = 0;

	if (!s->node[0])
		return 0;
	flush_all_sheaves(s);
	for_each_kmem_cache_node(s, node, n)
		if (release_empty_slabs(s, n, promote, NULL))
			ret = 1;
	return ret;
}

/*
 * Reclaim's pass over every cache (2.4's kmem_cache_reap(), what kswapd
 * and direct reclaim do to slab; mm/vmscan.c): the per-CPU stacks and
 * barns back to the slabs, every empty slab back to the page allocator,
 * no sorting.  Skipped when slab_mutex is busy: the caller may be the
 * thread creating a cache, which allocates with it held.  Returns the
 * pages of the partial slabs it looked at and kept; the ones freed are
 * counted by the slab allocator in current->reclaim_state.
 */
unsigned long kmem_cache_reap(void)
{
	unsigned long scanned = 0;
	struct kmem_cache *s;

	if (READ_ONCE(slab_state) != FULL || !mutex_trylock(&slab_mutex))
		return 0;
	list_for_each_entry(s, &slab_caches, list) {
		struct kmem_cache_node *n;
		int node;

		if (!s->node[0])
			continue;
		flush_all_sheaves(s);
		for_each_kmem_cache_node(s, node, n)
			release_empty_slabs(s, n, NULL, &scanned);
	}
	mutex_unlock(&slab_mutex);
	return scanned;
}

/*
 * kmem_cache_destroy()'s work: flush, free the empty slabs, and if any
 * object is still allocated list them all and return -EBUSY, leaving the
 * cache as it was.
 */
int __kmem_cache_shutdown(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	int node, busy = 0;

	if (!s->node[0])
		return 0;
	flush_all_sheaves(s);
	for_each_kmem_cache_node(s, node, n)
		if (release_empty_slabs(s, n, NULL, NULL))
			busy = 1;
	if (!busy)
		return 0;
	/*
	 * Report outside list_lock (the console may allocate); the caller
	 * promised no one uses the cache any more, so the lists hold still.
	 */
	for_each_kmem_cache_node(s, node, n) {
		struct slab *slab;

		list_for_each_entry(slab, &n->partial, slab_list)
			list_slab_objects(s, slab);
		list_for_each_entry(slab, &n->full, slab_list)
			list_slab_objects(s, slab);
	}
	return -EBUSY;
}

/* After a successful shutdown: the stacks and the node structures. */
void __kmem_cache_release(struct kmem_cache *s)
{
	int node;

	free_cache_sheaves(s);
	free_random_seq(s);
	for (node = 0; node < nr_online_nodes; node++) {
		if (s->node[node])
			kmem_cache_free(kmem_cache_node, s->node[node]);
		s->node[node] = NULL;
	}
}

/*
 * slabinfo's figures: free objects are those on the partial slabs'
 * freelists.  With @only_try a list_lock that is busy (the caller's own,
 * in the OOM report) is skipped: that node's objects count as in use.
 */
static void slabinfo_count(struct kmem_cache *s, struct slabinfo *sinfo, bool only_try)
{
	unsigned long nr_slabs = 0, nr_objs = 0, nr_free = 0;
	struct kmem_cache_node *n;
	int node;

	for_each_kmem_cache_node(s, node, n) {
		struct slab *slab;

		nr_slabs += (unsigned long)atomic_long_read(&n->nr_slabs);
		nr_objs += (unsigned long)atomic_long_read(&n->total_objects);
		if (only_try) {
			if (!spin_trylock(&n->list_lock))
				continue;
		} else {
			slab_node_lock(s, n);
		}
		list_for_each_entry(slab, &n->partial, slab_list)
			nr_free += slab->objects - slab->inuse;
		spin_unlock(&n->list_lock);
	}
	sinfo->active_objs = nr_objs - nr_free;
	sinfo->num_objs = nr_objs;
	sinfo->active_slabs = nr_slabs;
	sinfo->num_slabs = nr_slabs;
	sinfo->objects_per_slab = oo_objects(s->oo);
	sinfo->cache_order = oo_order(s->oo);
}

void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo)
{
	slabinfo_count(s, sinfo, false);
}

void get_slabinfo_nowait(struct kmem_cache *s, struct slabinfo *sinfo)
{
	slabinfo_count(s, sinfo, true);
}
