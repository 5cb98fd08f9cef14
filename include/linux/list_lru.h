/* SPDX-License-Identifier: MIT */
/*
 * linux/list_lru.h - per-node LRU lists, the helper most shrinkers are
 * built on (include/linux/list_lru.h, 6.8-6.12 shape).
 *
 * An object with a list_head joins the list of its node (list_lru_add_obj:
 * the node of the page it lives on) at the tail; a shrinker counts with
 * list_lru_shrink_count() and frees from the head with
 * list_lru_shrink_walk(), whose isolate callback decides per object
 * (enum lru_status).  Each node's list has its own lock, which the
 * callback may drop and take again (LRU_REMOVED_RETRY, LRU_RETRY).
 * There are no memory cgroups: memcg arguments are accepted and must be
 * NULL.
 */
#ifndef _LINUX_LIST_LRU_H
#define _LINUX_LIST_LRU_H

#include <ukmem/kernel_types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/shrinker.h>

UKMEM_C_BEGIN

struct mem_cgroup;

/* What an isolate callback did with an item. */
enum lru_status {
	LRU_REMOVED,		/* taken off the list */
	LRU_REMOVED_RETRY,	/* taken off, and the lock was dropped on the way */
	LRU_ROTATE,		/* in use: move it to the tail */
	LRU_SKIP,		/* leave it where it is */
	LRU_RETRY,		/* not freeable, lock dropped: restart the walk */
	LRU_STOP,		/* stop the walk here (lock held) */
};

struct list_lru_one {
	struct list_head list;
	long nr_items;
};

struct list_lru_node {
	spinlock_t lock;		/* the node's list */
	struct list_lru_one lru;
	long nr_items;
} __aligned(64);

struct list_lru {
	struct list_lru_node *node;	/* [MAX_NUMNODES] */
};

UKMEM_API_BEGIN
int __list_lru_init(struct list_lru *lru, bool memcg_aware, void *key, struct shrinker *shrinker);
void list_lru_destroy(struct list_lru *lru);

/*
 * v7.0: lock a node's sublist yourself (the memcg is ignored: one sublist
 * per node here), then add or delete with the __ forms, then unlock.
 */
struct list_lru_one *list_lru_lock(struct list_lru *lru, int nid, struct mem_cgroup **memcg);
void list_lru_unlock(struct list_lru_one *l);
struct list_lru_one *list_lru_lock_irq(struct list_lru *lru, int nid, struct mem_cgroup **memcg);
void list_lru_unlock_irq(struct list_lru_one *l);
struct list_lru_one *list_lru_lock_irqsave(struct list_lru *lru, int nid, struct mem_cgroup **memcg,
					   unsigned long *irq_flags);
void list_lru_unlock_irqrestore(struct list_lru_one *l, unsigned long *irq_flags);
bool __list_lru_add(struct list_lru *lru, struct list_lru_one *l, struct list_head *item, int nid,
		    struct mem_cgroup *memcg);
bool __list_lru_del(struct list_lru *lru, struct list_lru_one *l, struct list_head *item, int nid);
bool list_lru_add_irq(struct list_lru *lru, struct list_head *item, int nid, struct mem_cgroup *memcg);

bool list_lru_add(struct list_lru *lru, struct list_head *item, int nid, struct mem_cgroup *memcg);
bool list_lru_add_obj(struct list_lru *lru, struct list_head *item);
bool list_lru_del(struct list_lru *lru, struct list_head *item, int nid, struct mem_cgroup *memcg);
bool list_lru_del_obj(struct list_lru *lru, struct list_head *item);
unsigned long list_lru_count_one(struct list_lru *lru, int nid, struct mem_cgroup *memcg);
unsigned long list_lru_count_node(struct list_lru *lru, int nid);

void list_lru_isolate(struct list_lru_one *list, struct list_head *item);
void list_lru_isolate_move(struct list_lru_one *list, struct list_head *item,
			   struct list_head *head);
void list_lru_putback(struct list_lru *lru, struct list_head *item, int nid,
		      struct mem_cgroup *memcg);

typedef enum lru_status (*list_lru_walk_cb)(struct list_head *item, struct list_lru_one *list,
					    spinlock_t *lock, void *cb_arg);
unsigned long list_lru_walk_one(struct list_lru *lru, int nid, struct mem_cgroup *memcg,
				list_lru_walk_cb isolate, void *cb_arg, unsigned long *nr_to_walk);
unsigned long list_lru_walk_one_irq(struct list_lru *lru, int nid, struct mem_cgroup *memcg,
				    list_lru_walk_cb isolate, void *cb_arg,
				    unsigned long *nr_to_walk);
unsigned long list_lru_walk_node(struct list_lru *lru, int nid, list_lru_walk_cb isolate,
				 void *cb_arg, unsigned long *nr_to_walk);
/* Every node. */
unsigned long list_lru_count(struct list_lru *lru);
unsigned long list_lru_walk(struct list_lru *lru, list_lru_walk_cb isolate, void *cb_arg,
			    unsigned long nr_to_walk);
UKMEM_API_END

#define list_lru_init(lru)		__list_lru_init((lru), false, NULL, NULL)
#define list_lru_init_key(lru, key)	__list_lru_init((lru), false, (key), NULL)
#define list_lru_init_memcg(lru, shrinker) __list_lru_init((lru), true, NULL, (shrinker))

static inline unsigned long list_lru_shrink_count(struct list_lru *lru, struct shrink_control *sc)
{
	return list_lru_count_one(lru, sc->nid, sc->memcg);
}

static inline unsigned long list_lru_shrink_walk(struct list_lru *lru, struct shrink_control *sc,
						 list_lru_walk_cb isolate, void *cb_arg)
{
	return list_lru_walk_one(lru, sc->nid, sc->memcg, isolate, cb_arg, &sc->nr_to_scan);
}

static inline unsigned long list_lru_shrink_walk_irq(struct list_lru *lru,
						     struct shrink_control *sc,
						     list_lru_walk_cb isolate, void *cb_arg)
{
	return list_lru_walk_one_irq(lru, sc->nid, sc->memcg, isolate, cb_arg, &sc->nr_to_scan);
}

UKMEM_C_END

#endif /* _LINUX_LIST_LRU_H */
