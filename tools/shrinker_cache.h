/* SPDX-License-Identifier: MIT */
/*
 * tools/shrinker_cache.h - an object cache with a shrinker, the way kernel
 * code writes one: a slab cache of objects on a list_lru, oldest at the
 * head, and a shrinker that frees from the head when reclaim asks.
 * `ukmem demo pressure` and bench_reclaim use it; docs/reclaim.md shows the
 * same code.  One cache per program (the shrinker's callbacks find it
 * through a static pointer).
 */
#ifndef _TOOLS_SHRINKER_CACHE_H
#define _TOOLS_SHRINKER_CACHE_H

#include <errno.h>

#include <linux/gfp.h>
#include <linux/list_lru.h>
#include <linux/shrinker.h>
#include <linux/slab.h>

struct shrinker_cache {
	struct kmem_cache *cache;
	struct list_lru lru;
	struct shrinker *shrinker;
	/* Called after each scan with the objects it freed (may be NULL). */
	void (*scanned)(unsigned long freed);
};

static struct shrinker_cache *the_shrinker_cache;

static enum lru_status shrinker_cache_isolate(struct list_head *item, struct list_lru_one *list,
					      spinlock_t *lock, void *dispose)
{
	list_lru_isolate_move(list, item, dispose);
	return LRU_REMOVED;
}

static unsigned long shrinker_cache_count(struct shrinker *s, struct shrink_control *sc)
{
	return list_lru_shrink_count(&the_shrinker_cache->lru, sc);
}

/* Free what is on @dispose (objects start with their list_head). */
static inline void shrinker_cache_dispose(struct shrinker_cache *c, struct list_head *dispose)
{
	struct list_head *item, *next;

	list_for_each_safe(item, next, dispose)
		kmem_cache_free(c->cache, item);
}

static unsigned long shrinker_cache_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct shrinker_cache *c = the_shrinker_cache;
	LIST_HEAD(dispose);
	unsigned long n = list_lru_shrink_walk(&c->lru, sc, shrinker_cache_isolate, &dispose);

	shrinker_cache_dispose(c, &dispose);
	if (c->scanned)
		c->scanned(n);
	return n;
}

/* A cache of @size-byte objects (SLAB_RECLAIM_ACCOUNT) and its shrinker; 0 or -ENOMEM. */
static inline int shrinker_cache_init(struct shrinker_cache *c, const char *name, unsigned int size)
{
	the_shrinker_cache = c;
	c->cache = kmem_cache_create(name, size, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	c->shrinker = shrinker_alloc(0, "%s", name);
	if (!c->cache || !c->shrinker || list_lru_init(&c->lru))
		return -ENOMEM;
	c->shrinker->count_objects = shrinker_cache_count;
	c->shrinker->scan_objects = shrinker_cache_scan;
	c->shrinker->seeks = DEFAULT_SEEKS;
	shrinker_register(c->shrinker);
	return 0;
}

/* One more object at the tail, or false (@gfp says how hard to try). */
static inline bool shrinker_cache_add(struct shrinker_cache *c, gfp_t gfp)
{
	struct list_head *o = kmem_cache_alloc(c->cache, gfp);

	if (!o)
		return false;
	INIT_LIST_HEAD(o);
	list_lru_add_obj(&c->lru, o);
	return true;
}

/* Unregister, free every object, destroy the cache. */
static inline void shrinker_cache_destroy(struct shrinker_cache *c)
{
	LIST_HEAD(dispose);

	shrinker_free(c->shrinker);
	list_lru_walk(&c->lru, shrinker_cache_isolate, &dispose, ~0UL);
	shrinker_cache_dispose(c, &dispose);
	list_lru_destroy(&c->lru);
	kmem_cache_destroy(c->cache);
}

#endif /* _TOOLS_SHRINKER_CACHE_H */
