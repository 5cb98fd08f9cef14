/* SPDX-License-Identifier: MIT */
/*
 * mm/list_lru.c - per-node LRU lists for shrinkers (mm/list_lru.c).
 *
 * One list per node, each under its own spinlock, with two counts: the
 * list's (list_lru_one.nr_items, what list_lru_count_one() reports and
 * list_lru_isolate() lowers) and the node's (what the walk lowers for
 * each item removed).  A walk takes items from the head (the oldest) and
 * asks the isolate callback about each, at most *nr_to_walk of them; a
 * callback that dropped the lock makes the walk start over, since the
 * list may have changed under it.  Nothing here allocates but
 * list_lru_init(), and the lock is never held across anything that
 * could sleep, unless the callback does so itself after dropping it.
 */
#include <errno.h>

#include <linux/list_lru.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "mm/internal.h"

/* Counts change under the lock but are read without it: relaxed atomics. */
static inline void nr_add(long *count, long delta)
{
	__atomic_fetch_add(count, delta, __ATOMIC_RELAXED);
}

static int lru_nodes(void)
{
	ukmem_ensure_booted();
	return nr_online_nodes > 0 ? nr_online_nodes : 1;
}

static struct list_lru_node *lru_node(struct list_lru *lru, int nid)
{
	if (WARN_ON_ONCE((unsigned int)nid >= (unsigned int)lru_nodes()))
		nid = 0;
	return &lru->node[nid];
}

/* The node of the memory an object lives in (slab and page memory). */
static int item_nid(const void *item)
{
	if (virt_addr_valid(item))
		return page_to_nid(virt_to_page(item));
	return 0;
}

int __list_lru_init(struct list_lru *lru, bool memcg_aware, void *key, struct shrinker *shrinker)
{
	int i, n = lru_nodes();

	lru->node = kcalloc(n, sizeof(*lru->node), GFP_KERNEL);
	if (!lru->node)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		spin_lock_init(&lru->node[i].lock);
		INIT_LIST_HEAD(&lru->node[i].lru.list);
	}
	return 0;
}

void list_lru_destroy(struct list_lru *lru)
{
	kfree(lru->node);
	lru->node = NULL;
}

/*
 * The sublist of @nid, locked (v7.0's list_lru_lock()): memcg is ignored,
 * there is one sublist per node.  Never NULL here.
 */
struct list_lru_one *list_lru_lock(struct list_lru *lru, int nid, struct mem_cgroup **memcg)
{
	struct list_lru_node *nlru = lru_node(lru, nid);

	(void)memcg;
	spin_lock(&nlru->lock);
	return &nlru->lru;
}

void list_lru_unlock(struct list_lru_one *l)
{
	spin_unlock(&container_of(l, struct list_lru_node, lru)->lock);
}

struct list_lru_one *list_lru_lock_irq(struct list_lru *lru, int nid, struct mem_cgroup **memcg)
{
	struct list_lru_node *nlru = lru_node(lru, nid);

	(void)memcg;
	spin_lock_irq(&nlru->lock);
	return &nlru->lru;
}

void list_lru_unlock_irq(struct list_lru_one *l)
{
	spin_unlock_irq(&container_of(l, struct list_lru_node, lru)->lock);
}

struct list_lru_one *list_lru_lock_irqsave(struct list_lru *lru, int nid, struct mem_cgroup **memcg,
					   unsigned long *irq_flags)
{
	struct list_lru_node *nlru = lru_node(lru, nid);
	unsigned long flags;

	(void)memcg;
	spin_lock_irqsave(&nlru->lock, flags);
	*irq_flags = flags;
	return &nlru->lru;
}

void list_lru_unlock_irqrestore(struct list_lru_one *l, unsigned long *irq_flags)
{
	spin_unlock_irqrestore(&container_of(l, struct list_lru_node, lru)->lock, *irq_flags);
}

/* With @l locked: @item to its tail unless it is on a list already. */
bool __list_lru_add(struct list_lru *lru, struct list_lru_one *l, struct list_head *item, int nid,
		    struct mem_cgroup *memcg)
{
	(void)memcg;
	if (!list_empty(item))
		return false;
	list_add_tail(item, &l->list);
	nr_add(&l->nr_items, 1);
	nr_add(&lru_node(lru, nid)->nr_items, 1);
	return true;
}

/* With @l locked: @item off it, if it is on a list. */
bool __list_lru_del(struct list_lru *lru, struct list_lru_one *l, struct list_head *item, int nid)
{
	if (list_empty(item))
		return false;
	list_del_init(item);
	nr_add(&l->nr_items, -1);
	nr_add(&lru_node(lru, nid)->nr_items, -1);
	return true;
}

bool list_lru_add(struct list_lru *lru, struct list_head *item, int nid, struct mem_cgroup *memcg)
{
	struct list_lru_one *l = list_lru_lock(lru, nid, &memcg);
	bool added = __list_lru_add(lru, l, item, nid, memcg);

	list_lru_unlock(l);
	return added;
}

bool list_lru_add_irq(struct list_lru *lru, struct list_head *item, int nid, struct mem_cgroup *memcg)
{
	struct list_lru_one *l = list_lru_lock_irq(lru, nid, &memcg);
	bool added = __list_lru_add(lru, l, item, nid, memcg);

	list_lru_unlock_irq(l);
	return added;
}

bool list_lru_add_obj(struct list_lru *lru, struct list_head *item)
{
	return list_lru_add(lru, item, item_nid(item), NULL);
}

bool list_lru_del(struct list_lru *lru, struct list_head *item, int nid, struct mem_cgroup *memcg)
{
	struct list_lru_one *l = list_lru_lock(lru, nid, &memcg);
	bool deleted = __list_lru_del(lru, l, item, nid);

	list_lru_unlock(l);
	return deleted;
}

bool list_lru_del_obj(struct list_lru *lru, struct list_head *item)
{
	return list_lru_del(lru, item, item_nid(item), NULL);
}

void list_lru_isolate(struct list_lru_one *list, struct list_head *item)
{
	list_del_init(item);
	nr_add(&list->nr_items, -1);
}

void list_lru_isolate_move(struct list_lru_one *list, struct list_head *item,
			   struct list_head *head)
{
	list_move(item, head);
	nr_add(&list->nr_items, -1);
}

/* Back at the tail; the node count never went down (list_lru_isolate). */
void list_lru_putback(struct list_lru *lru, struct list_head *item, int nid,
		      struct mem_cgroup *memcg)
{
	struct list_lru_node *nlru = lru_node(lru, nid);

	spin_lock(&nlru->lock);
	list_add_tail(item, &nlru->lru.list);
	nr_add(&nlru->lru.nr_items, 1);
	spin_unlock(&nlru->lock);
}

unsigned long list_lru_count_one(struct list_lru *lru, int nid, struct mem_cgroup *memcg)
{
	long count = __atomic_load_n(&lru_node(lru, nid)->lru.nr_items, __ATOMIC_RELAXED);

	return count > 0 ? (unsigned long)count : 0;
}

unsigned long list_lru_count_node(struct list_lru *lru, int nid)
{
	long count = __atomic_load_n(&lru_node(lru, nid)->nr_items, __ATOMIC_RELAXED);

	return count > 0 ? (unsigned long)count : 0;
}

unsigned long list_lru_count(struct list_lru *lru)
{
	unsigned long count = 0;
	int nid, n = lru_nodes();

	for (nid = 0; nid < n; nid++)
		count += list_lru_count_node(lru, nid);
	return count;
}

/* The walk proper; the node's lock held on entry and on return. */
static unsigned long walk_locked(struct list_lru_node *nlru, list_lru_walk_cb isolate,
				 void *cb_arg, unsigned long *nr_to_walk)
{
	struct list_lru_one *l = &nlru->lru;
	struct list_head *item, *n;
	unsigned long isolated = 0;

restart:
	list_for_each_safe(item, n, &l->list) {
		enum lru_status ret;

		if (!*nr_to_walk)
			break;
		--*nr_to_walk;
		ret = isolate(item, l, &nlru->lock, cb_arg);
		switch (ret) {
		case LRU_REMOVED_RETRY:
		case LRU_REMOVED:
			isolated++;
			nr_add(&nlru->nr_items, -1);
			/* The lock was dropped: the list may be another now. */
			if (ret == LRU_REMOVED_RETRY)
				goto restart;
			break;
		case LRU_ROTATE:
			list_move_tail(item, &l->list);
			break;
		case LRU_SKIP:
			break;
		case LRU_RETRY:
			goto restart;
		case LRU_STOP:
			return isolated;
		default:
			BUG();
		}
	}
	return isolated;
}

static unsigned long walk_one(struct list_lru *lru, int nid, list_lru_walk_cb isolate,
			      void *cb_arg, unsigned long *nr_to_walk, bool irq)
{
	struct list_lru_node *nlru = lru_node(lru, nid);
	unsigned long isolated;

	if (irq)
		local_irq_disable();
	spin_lock(&nlru->lock);
	isolated = walk_locked(nlru, isolate, cb_arg, nr_to_walk);
	spin_unlock(&nlru->lock);
	if (irq)
		local_irq_enable();
	return isolated;
}

unsigned long list_lru_walk_one(struct list_lru *lru, int nid, struct mem_cgroup *memcg,
				list_lru_walk_cb isolate, void *cb_arg, unsigned long *nr_to_walk)
{
	return walk_one(lru, nid, isolate, cb_arg, nr_to_walk, false);
}

unsigned long list_lru_walk_one_irq(struct list_lru *lru, int nid, struct mem_cgroup *memcg,
				    list_lru_walk_cb isolate, void *cb_arg,
				    unsigned long *nr_to_walk)
{
	return walk_one(lru, nid, isolate, cb_arg, nr_to_walk, true);
}

unsigned long list_lru_walk_node(struct list_lru *lru, int nid, list_lru_walk_cb isolate,
				 void *cb_arg, unsigned long *nr_to_walk)
{
	return list_lru_walk_one(lru, nid, NULL, isolate, cb_arg, nr_to_walk);
}

unsigned long list_lru_walk(struct list_lru *lru, list_lru_walk_cb isolate, void *cb_arg,
			    unsigned long nr_to_walk)
{
	unsigned long isolated = 0;
	int nid, n = lru_nodes();

	for (nid = 0; nid < n && nr_to_walk; nid++)
		isolated += list_lru_walk_node(lru, nid, isolate, cb_arg, &nr_to_walk);
	return isolated;
}
