/* SPDX-License-Identifier: MIT */
/*
 * mm/slab_sysfs.c - the files of /sys/kernel/slab/<cache>/ (the kernel's
 * mm/slub.c sysfs attributes, Documentation/ABI/testing/sysfs-kernel-slab),
 * as ukmem_show("slab/<cache>/<file>") and ukmem_write("slab/<cache>/<file>",
 * buf) (mm/proc.c routes them).  The shapes are the v7.0 kernel's, the one
 * whose SLUB, like ukmem, has per-CPU sheaves and no per-CPU slabs.
 *
 * Read:
 * - flags, "1" or "0": sanity_checks, red_zone, poison, store_user,
 *   trace, failslab (the letters F Z P U T A of slab_debug=),
 *   reclaim_account, hwcache_align, cache_dma, destroy_by_rcu, skip_kfence;
 * - layout, "%u": order, objs_per_slab, slab_size, object_size, align,
 *   usersize, sheaf_capacity (the objects a CPU's stack holds: ukmem's own
 *   sizes, 0 for a debug cache, as the kernel gives a debug cache no
 *   sheaves); min_partial "%lu"; aliases "%d";
 * - remote_node_defrag_ratio, "%u": the stored ratio / 10 (default 100);
 * - counts of the node lists, the total and then " N<node>=<count>" for
 *   each node with a count (the kernel built with CONFIG_NUMA, as ukmem
 *   is, prints the suffix on one node too):
 *     slabs          every slab (nr_slabs of each node)
 *     total_objects  their objects
 *     objects        those not free in a slab: objects that sit in the
 *                    per-CPU stacks and the barns count as allocated, as
 *                    objects in the kernel's sheaves do
 *     partial        slabs on the partial lists, the empty ones kept
 *                    (up to min_partial) included
 *     objects_partial  the objects allocated from those;
 * - cpu_slabs "0", slabs_cpu_partial "0(0)", cpu_partial "0": there are
 *   no per-CPU slabs (the per-CPU stacks hold objects, not slabs), as in
 *   the kernel since v7.0, which keeps the files with these values;
 * - ctor: "%pS\n" of the constructor (the LDD3 three-argument one if that
 *   is what the cache has), empty without one;
 * - validate and shrink: empty.
 *
 * Written (the kernel's stores):
 * - min_partial: kstrtoul(), base 10; -EINVAL or -ERANGE as it answers;
 * - cpu_partial: kstrtouint(); only 0 is taken, anything else is -EINVAL
 *   (no cache can have per-CPU partial slabs);
 * - remote_node_defrag_ratio: kstrtouint(), 0..100 (else -ERANGE), kept
 *   times 10.  A refill that finds its node's partial list empty takes
 *   another node's partial slabs only if the ratio allows (the kernel's
 *   get_any_partial(), mm/slub.c refill_objects);
 * - failslab: '1' sets SLAB_FAILSLAB, anything else clears it, -EINVAL for
 *   a cache with aliases (failslab_store());
 * - skip_kfence: '0' clears SLAB_SKIP_KFENCE, '1' sets it, else -EINVAL;
 * - validate: '1' on a debug cache runs validate_slab_cache(), else
 *   -EINVAL (validate_store());
 * - shrink: '1' shrinks, else -EINVAL (shrink_store()).
 * Writing a file that has no store is -EINVAL (kernfs); an unknown cache
 * or file is -ENOENT.
 *
 * A cache that was merged into another is reached by the name it was
 * created with too, as the kernel's /sys/kernel/slab/<name> symlink
 * reaches the cache it merged into (slab_alias_find_locked()).
 *
 * The values are read under slab_mutex, so that the cache cannot go
 * meanwhile, and the counts under each node's list_lock (slab_mutex ->
 * list_lock, as kmem_cache_reap()); validate and shrink run as
 * ukmem_slab_validate() and kmem_cache_shrink() do for a caller holding
 * the cache.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <linux/kallsyms.h>
#include <linux/nodemask.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <ukmem/slab_debug.h>
#include "mm/proc.h"
#include "mm/slab.h"

enum slab_file_kind {
	SF_FLAG,	/* "%d": !!(flags & flag) */
	SF_UINT,	/* "%u": a field of the cache, by get_uint() */
	SF_MIN_PARTIAL,	/* "%lu" */
	SF_ALIASES,	/* "%d" */
	SF_COUNT,	/* a count of the node lists, with per-node suffixes */
	SF_CTOR,	/* "%pS" or nothing */
	SF_TEXT,	/* a fixed text (the files of the per-CPU slabs) */
	SF_EMPTY,	/* validate, shrink */
};

/* What an SF_UINT file shows. */
enum slab_uint { U_ORDER, U_OBJS, U_SIZE, U_OBJSIZE, U_ALIGN, U_USERSIZE, U_SHEAF,
		 U_DEFRAG, U_ZERO };

/* What an SF_COUNT file counts (the kernel's SO_* of show_slab_objects()). */
#define SO_ALL		1U	/* every slab, else the partial ones */
#define SO_OBJECTS	2U	/* allocated objects, not slabs */
#define SO_TOTAL	4U	/* objects the slabs hold, not slabs */
#define SO_CPU		8U	/* per-CPU slabs: there are none */

static const struct slab_file {
	const char *name;
	enum slab_file_kind kind;
	slab_flags_t flag;	/* SF_FLAG */
	unsigned int what;	/* SF_UINT: enum slab_uint; SF_COUNT: SO_* */
	const char *text;	/* SF_TEXT */
} slab_files[] = {
	{ "sanity_checks",	SF_FLAG, SLAB_CONSISTENCY_CHECKS, 0, NULL },
	{ "red_zone",		SF_FLAG, SLAB_RED_ZONE, 0, NULL },
	{ "poison",		SF_FLAG, SLAB_POISON, 0, NULL },
	{ "store_user",		SF_FLAG, SLAB_STORE_USER, 0, NULL },
	{ "trace",		SF_FLAG, SLAB_TRACE, 0, NULL },
	{ "failslab",		SF_FLAG, SLAB_FAILSLAB, 0, NULL },
	{ "reclaim_account",	SF_FLAG, SLAB_RECLAIM_ACCOUNT, 0, NULL },
	{ "hwcache_align",	SF_FLAG, SLAB_HWCACHE_ALIGN, 0, NULL },
	{ "cache_dma",		SF_FLAG, SLAB_CACHE_DMA, 0, NULL },
	{ "destroy_by_rcu",	SF_FLAG, SLAB_TYPESAFE_BY_RCU, 0, NULL },
	{ "skip_kfence",	SF_FLAG, SLAB_SKIP_KFENCE, 0, NULL },
	{ "order",		SF_UINT, 0, U_ORDER, NULL },
	{ "objs_per_slab",	SF_UINT, 0, U_OBJS, NULL },
	{ "slab_size",		SF_UINT, 0, U_SIZE, NULL },
	{ "object_size",	SF_UINT, 0, U_OBJSIZE, NULL },
	{ "align",		SF_UINT, 0, U_ALIGN, NULL },
	{ "usersize",		SF_UINT, 0, U_USERSIZE, NULL },
	{ "sheaf_capacity",	SF_UINT, 0, U_SHEAF, NULL },
	{ "remote_node_defrag_ratio", SF_UINT, 0, U_DEFRAG, NULL },
	{ "cpu_partial",	SF_UINT, 0, U_ZERO, NULL },
	{ "min_partial",	SF_MIN_PARTIAL, 0, 0, NULL },
	{ "aliases",		SF_ALIASES, 0, 0, NULL },
	{ "slabs",		SF_COUNT, 0, SO_ALL, NULL },
	{ "total_objects",	SF_COUNT, 0, SO_ALL | SO_TOTAL, NULL },
	{ "objects",		SF_COUNT, 0, SO_ALL | SO_OBJECTS, NULL },
	{ "partial",		SF_COUNT, 0, 0, NULL },
	{ "objects_partial",	SF_COUNT, 0, SO_OBJECTS, NULL },
	{ "cpu_slabs",		SF_COUNT, 0, SO_CPU, NULL },
	{ "slabs_cpu_partial",	SF_TEXT, 0, 0, "0(0)\n" },
	{ "ctor",		SF_CTOR, 0, 0, NULL },
	{ "validate",		SF_EMPTY, 0, 0, NULL },
	{ "shrink",		SF_EMPTY, 0, 0, NULL },
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

/* The cache called @name, or the one a cache of that name merged into; slab_mutex held. */
static struct kmem_cache *find_locked(const char *name)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &slab_caches, list)
		if (!strcmp(s->name, name))
			return s;
	return slab_alias_find_locked(name);
}

/* find_locked() under slab_mutex, for the stores that work without it. */
static struct kmem_cache *find_cache(const char *name)
{
	struct kmem_cache *s;

	ukmem_ensure_booted();
	mutex_lock(&slab_mutex);
	s = find_locked(name);
	mutex_unlock(&slab_mutex);
	return s;
}

static unsigned int get_uint(const struct kmem_cache *s, enum slab_uint what)
{
	switch (what) {
	case U_ORDER:
		return oo_order(s->oo);
	case U_OBJS:
		return oo_objects(s->oo);
	case U_SIZE:
		return s->size;
	case U_OBJSIZE:
		return READ_ONCE(s->object_size);	/* a merge may raise it */
	case U_ALIGN:
		return s->align;
	case U_USERSIZE:
		return s->usersize;
	case U_SHEAF:
		return s->sheaf_capacity;
	case U_DEFRAG:
		return READ_ONCE(s->remote_node_defrag_ratio) / 10;
	case U_ZERO:
		break;
	}
	return 0;
}

/*
 * show_slab_objects(): the count of @so for each node into @nodes and the
 * total returned.  slab_mutex held; each node's list_lock is taken to read
 * its partial slabs (slab_node_lock lists what a signal handler deferred,
 * so every slab is counted).
 */
static unsigned long count_node_lists(struct kmem_cache *s, unsigned int so,
				      unsigned long *nodes)
{
	struct kmem_cache_node *n;
	unsigned long total = 0;
	int node;

	if (so & SO_CPU)
		return 0;	/* no per-CPU slabs (v7.0's cpu_slabs reads 0) */
	for_each_kmem_cache_node(s, node, n) {
		unsigned long x = 0, free = 0, inuse = 0;
		struct slab *slab;

		slab_node_lock(s, n);
		list_for_each_entry(slab, &n->partial, slab_list) {
			free += slab->objects - slab->inuse;
			inuse += slab->inuse;
		}
		if (so & SO_ALL) {
			unsigned long objs = (unsigned long)atomic_long_read(&n->total_objects);

			if (so & SO_TOTAL)
				x = objs;
			else if (so & SO_OBJECTS)
				x = objs - free;
			else
				x = (unsigned long)atomic_long_read(&n->nr_slabs);
		} else {
			x = (so & SO_OBJECTS) ? inuse : n->nr_partial;
		}
		spin_unlock(&n->list_lock);
		nodes[node] = x;
		total += x;
	}
	return total;
}

static void print_counts(FILE *out, unsigned long total, const unsigned long *nodes)
{
	unsigned int node;

	fprintf(out, "%lu", total);
	for (node = 0; node < nr_node_ids; node++)
		if (nodes[node])
			fprintf(out, " N%u=%lu", node, nodes[node]);
	fputc('\n', out);
}

int slab_sysfs_show(const char *path, FILE *out)
{
	unsigned long nodes[MAX_NUMNODES] = { 0 };
	unsigned long value = 0;
	const struct slab_file *f;
	struct kmem_cache *s;
	void *ctor = NULL;
	char cache[64];

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
		case SF_UINT:
			value = get_uint(s, (enum slab_uint)f->what);
			break;
		case SF_MIN_PARTIAL:
			value = READ_ONCE(s->min_partial);
			break;
		case SF_ALIASES:
			value = s->refcount < 0 ? 0 : (unsigned long)(s->refcount - 1);
			break;
		case SF_COUNT:
			value = count_node_lists(s, f->what, nodes);
			break;
		case SF_CTOR:
			ctor = s->ctor ? (void *)s->ctor : (void *)s->ctor_ldd3;
			break;
		case SF_TEXT:
		case SF_EMPTY:
			break;
		}
	}
	mutex_unlock(&slab_mutex);
	if (!s)
		return -ENOENT;
	switch (f->kind) {
	case SF_COUNT:
		print_counts(out, value, nodes);
		break;
	case SF_CTOR:
		if (ctor) {
			char line[KSYM_SYMBOL_LEN + 2];

			ksnprintf(line, sizeof(line), "%pS\n", ctor);
			fputs(line, out);
		}
		break;
	case SF_TEXT:
		fputs(f->text, out);
		break;
	case SF_EMPTY:
		break;
	default:
		fprintf(out, "%lu\n", value);
		break;
	}
	return 0;
}

/*
 * The kernel's kstrtoul(buf, 10, &res) (lib/kstrtox.c): an optional '+',
 * decimal digits, one optional trailing newline, nothing else: -EINVAL;
 * a number past ULONG_MAX: -ERANGE, whatever follows it.
 */
static int kstrtoul_dec(const char *buf, unsigned long *res)
{
	unsigned long v = 0;
	bool overflow = false;
	const char *p;

	if (*buf == '+')
		buf++;
	for (p = buf; *p >= '0' && *p <= '9'; p++) {
		unsigned int digit = (unsigned int)(*p - '0');

		if (v > (ULONG_MAX - digit) / 10)
			overflow = true;
		v = v * 10 + digit;
	}
	if (overflow)
		return -ERANGE;
	if (p == buf)
		return -EINVAL;
	if (*p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	*res = v;
	return 0;
}

/* kstrtouint(buf, 10, &res): kstrtoul_dec(), and -ERANGE past UINT_MAX. */
static int kstrtouint_dec(const char *buf, unsigned int *res)
{
	unsigned long v;
	int err = kstrtoul_dec(buf, &v);

	if (err)
		return err;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = (unsigned int)v;
	return 0;
}

/* The stores that change the cache's settings, under slab_mutex. */
static int store_locked(struct kmem_cache *s, const struct slab_file *f, const char *buf)
{
	unsigned long ul;
	unsigned int u;
	int err;

	if (!strcmp(f->name, "failslab")) {
		if (s->refcount > 1)
			return -EINVAL;	/* an alias's flags are another cache's too */
		if (buf[0] == '1')
			WRITE_ONCE(s->flags, s->flags | SLAB_FAILSLAB);
		else
			WRITE_ONCE(s->flags, s->flags & ~SLAB_FAILSLAB);
		return 0;
	}
	if (!strcmp(f->name, "skip_kfence")) {
		if (buf[0] == '0')
			WRITE_ONCE(s->flags, s->flags & ~SLAB_SKIP_KFENCE);
		else if (buf[0] == '1')
			WRITE_ONCE(s->flags, s->flags | SLAB_SKIP_KFENCE);
		else
			return -EINVAL;
		return 0;
	}
	if (!strcmp(f->name, "min_partial")) {
		err = kstrtoul_dec(buf, &ul);
		if (!err)
			kmem_cache_store_min_partial(s, ul);
		return err;
	}
	if (!strcmp(f->name, "cpu_partial")) {
		err = kstrtouint_dec(buf, &u);
		return err ? err : u ? -EINVAL : 0;
	}
	/* remote_node_defrag_ratio */
	err = kstrtouint_dec(buf, &u);
	if (err)
		return err;
	if (u > 100)
		return -ERANGE;
	WRITE_ONCE(s->remote_node_defrag_ratio, u * 10);
	return 0;
}

int slab_sysfs_store(const char *path, const char *buf)
{
	const struct slab_file *f;
	struct kmem_cache *s;
	char cache[64];
	int ret;

	f = split_path(path, cache, sizeof(cache));
	if (!f)
		return -ENOENT;
	if (!strcmp(f->name, "failslab") || !strcmp(f->name, "skip_kfence") ||
	    !strcmp(f->name, "min_partial") || !strcmp(f->name, "cpu_partial") ||
	    !strcmp(f->name, "remote_node_defrag_ratio")) {
		mutex_lock(&slab_mutex);
		s = find_locked(cache);
		ret = s ? store_locked(s, f, buf) : -ENOENT;
		mutex_unlock(&slab_mutex);
		return ret;
	}
	s = find_cache(cache);
	if (!s)
		return -ENOENT;
	if (strcmp(f->name, "validate") && strcmp(f->name, "shrink"))
		return -EINVAL;	/* no store */
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
