/* SPDX-License-Identifier: MIT */
/*
 * mm/slab_sysfs.c - the files of /sys/kernel/slab/<cache>/ that
 * Documentation/mm/slub.rst documents, as ukmem_show("slab/<cache>/<file>")
 * and ukmem_write("slab/<cache>/<file>", buf) (mm/proc.c routes them).
 *
 * Read: the debug option files (sanity_checks, red_zone, poison,
 * store_user, trace, failslab: "1" or "0", the letters F Z P U T A of
 * slab_debug=), the layout (order, objs_per_slab, slab_size,
 * object_size, align, min_partial, aliases) and the other flag files
 * (reclaim_account, hwcache_align, cache_dma, destroy_by_rcu), in the
 * kernel's "%u\n"/"%d\n" shapes; validate and shrink read empty, as there.
 * Written: failslab (the kernel's failslab_store(): '1' sets
 * SLAB_FAILSLAB, anything else clears it, -EINVAL for a cache with
 * aliases), validate ('1' on a debug cache runs validate_slab_cache(),
 * else -EINVAL: validate_store()), shrink ('1' shrinks, else -EINVAL:
 * shrink_store()).  Writing a file that has no store is -EINVAL (kernfs),
 * an unknown cache or file -ENOENT.
 *
 * The values are read under slab_mutex, so that the cache cannot go
 * meanwhile; validate and shrink run as ukmem_slab_validate() and
 * kmem_cache_shrink() do for a caller holding the cache.
 */
#include <errno.h>
#include <string.h>
#include <linux/slab.h>
#include <ukmem/slab_debug.h>
#include "mm/proc.h"
#include "mm/slab.h"

enum slab_file_kind { SF_FLAG, SF_ORDER, SF_OBJS, SF_SIZE, SF_OBJSIZE, SF_ALIGN,
		      SF_MIN_PARTIAL, SF_ALIASES, SF_EMPTY };

static const struct slab_file {
	const char *name;
	enum slab_file_kind kind;
	slab_flags_t flag;
} slab_files[] = {
	{ "sanity_checks",	SF_FLAG, SLAB_CONSISTENCY_CHECKS },
	{ "red_zone",		SF_FLAG, SLAB_RED_ZONE },
	{ "poison",		SF_FLAG, SLAB_POISON },
	{ "store_user",		SF_FLAG, SLAB_STORE_USER },
	{ "trace",		SF_FLAG, SLAB_TRACE },
	{ "failslab",		SF_FLAG, SLAB_FAILSLAB },
	{ "reclaim_account",	SF_FLAG, SLAB_RECLAIM_ACCOUNT },
	{ "hwcache_align",	SF_FLAG, SLAB_HWCACHE_ALIGN },
	{ "cache_dma",		SF_FLAG, SLAB_CACHE_DMA },
	{ "destroy_by_rcu",	SF_FLAG, SLAB_TYPESAFE_BY_RCU },
	{ "order",		SF_ORDER, 0 },
	{ "objs_per_slab",	SF_OBJS, 0 },
	{ "slab_size",		SF_SIZE, 0 },
	{ "object_size",	SF_OBJSIZE, 0 },
	{ "align",		SF_ALIGN, 0 },
	{ "min_partial",	SF_MIN_PARTIAL, 0 },
	{ "aliases",		SF_ALIASES, 0 },
	{ "validate",		SF_EMPTY, 0 },
	{ "shrink",		SF_EMPTY, 0 },
};

/* "<cache>/<file>": the file's row, and the cache's name copied to @cache. */
static const struct slab_file *split_path(const char *path, char *cache, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t len, i;

	if (!slash || slash == path)
		return NULL;
	len = (size_t)(slash - path);
	if (len >= size)
		return NULL;
	memcpy(cache, path, len);
	cache[len] = '\0';
	for (i = 0; i < ARRAY_SIZE(slab_files); i++)
		if (!strcmp(slash + 1, slab_files[i].name))
			return &slab_files[i];
	return NULL;
}

/* The cache called @name; slab_mutex held. */
static struct kmem_cache *find_locked(const char *name)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &slab_caches, list)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

int slab_sysfs_show(const char *path, FILE *out)
{
	const struct slab_file *f;
	struct kmem_cache *s;
	char cache[64];
	long value = 0;

	f = split_path(path, cache, sizeof(cache));
	if (!f)
		return -ENOENT;
	mutex_lock(&slab_mutex);
	s = find_locked(cache);
	if (s) {
		switch (f->kind) {
		case SF_FLAG:
			value = !!(READ_ONCE(s->flags) & f->flag);
			break;
		case SF_ORDER:
			value = oo_order(s->oo);
			break;
		case SF_OBJS:
			value = oo_objects(s->oo);
			break;
		case SF_SIZE:
			value = s->size;
			break;
		case SF_OBJSIZE:
			value = s->object_size;
			break;
		case SF_ALIGN:
			value = s->align;
			break;
		case SF_MIN_PARTIAL:
			value = (long)s->min_partial;
			break;
		case SF_ALIASES:
			value = s->refcount < 1 ? 0 : s->refcount - 1;
			break;
		case SF_EMPTY:
			break;
		}
	}
	mutex_unlock(&slab_mutex);
	if (!s)
		return -ENOENT;
	if (f->kind != SF_EMPTY)
		fprintf(out, "%ld\n", value);
	return 0;
}

int slab_sysfs_store(const char *path, const char *buf)
{
	const struct slab_file *f;
	struct kmem_cache *s;
	char cache[64];
	int ret = 0;

	f = split_path(path, cache, sizeof(cache));
	if (!f)
		return -ENOENT;
	if (!strcmp(f->name, "failslab")) {
		mutex_lock(&slab_mutex);
		s = find_locked(cache);
		if (!s)
			ret = -ENOENT;
		else if (s->refcount > 1)
			ret = -EINVAL;		/* an alias's flags are another cache's too */
		else if (buf[0] == '1')
			WRITE_ONCE(s->flags, s->flags | SLAB_FAILSLAB);
		else
			WRITE_ONCE(s->flags, s->flags & ~SLAB_FAILSLAB);
		mutex_unlock(&slab_mutex);
		return ret;
	}
	if (strcmp(f->name, "validate") && strcmp(f->name, "shrink"))
		return ukmem_slab_find(cache) ? -EINVAL : -ENOENT;	/* no store */
	s = ukmem_slab_find(cache);
	if (!s)
		return -ENOENT;
	if (buf[0] != '1')
		return -EINVAL;
	if (!strcmp(f->name, "shrink")) {
		kmem_cache_shrink(s);
		return 0;
	}
	/* The kernel validates only caches with debugging on (kmem_cache_debug()). */
	if (!(READ_ONCE(s->flags) & SLAB_DEBUG_FLAGS))
		return -EINVAL;
	return ukmem_slab_validate(s) < 0 ? -ENOMEM : 0;
}
