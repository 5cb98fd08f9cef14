/* SPDX-License-Identifier: MIT */
/*
 * mm/slab_common.c - what every slab allocator shares (mm/slab_common.c and
 * mm/util.c): creating, merging, shrinking and destroying caches, the
 * kmalloc caches and their size-class table, kmalloc's page path and the
 * kmalloc helpers (krealloc, ksize, kstrdup, kvmalloc ...), /proc/slabinfo,
 * and the slab boot parameters.
 *
 * Boot (kmem_cache_init, from init/main.c right after mem_init): the two
 * bootstrap caches kmem_cache and kmem_cache_node and the 39 kmalloc
 * caches are static structures whose geometry is computed here, without
 * memory: the page allocator only opens once the boot is over.  The first
 * allocation after the boot (slab_late_init) gives the kmalloc caches their
 * node structures from kmem_cache_node, and each cache sets up its per-CPU
 * stacks on its own first use.  Caches made by kmem_cache_create() come
 * from the kmem_cache cache, as in the kernel.
 *
 * Locking: slab_mutex, a sleeping lock (linux/mutex.h) because cache
 * creation allocates with GFP_KERNEL under it, protects slab_caches and
 * every cache's refcount.  It is the outermost lock of the library
 * (docs/overview.md, "Lock order").
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <asm/sections.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include <linux/rcupdate.h>
#include <linux/kfence.h>
#include <ukmem/context.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "mm/internal.h"
#include "mm/proc.h"
#include "mm/slab.h"

enum slab_state slab_state;
DEFINE_MUTEX_RANKED(slab_mutex, LOCK_RANK_SLAB_MUTEX);
LIST_HEAD(slab_caches);
struct kmem_cache *kmem_cache;
struct kmem_cache *kmem_cache_node;

/* Boot parameters (kernel/params.c). */
unsigned int slub_min_order;
unsigned int slub_max_order = PAGE_ALLOC_COSTLY_ORDER;
unsigned int slub_min_objects;
bool slab_nomerge;		/* CONFIG_SLAB_MERGE_DEFAULT=y: merging on */
/*
 * slab_strict_numa: the kernel applies the task's memory policy to each
 * object instead of each slab.  ukmem has no memory policies, so objects
 * already come from the node asked for or the local one; the parameter is
 * accepted and announced as the kernel announces it.
 */
bool slab_strict_numa;

static struct kmem_cache boot_kmem_cache, boot_kmem_cache_node;
static struct kmem_cache_node boot_kmem_cache_nodes[MAX_NUMNODES];
static struct kmem_cache_node boot_kmem_cache_node_nodes[MAX_NUMNODES];

/* ---- the kmalloc caches ---- */

/*
 * Static, so that kmalloc() can pick its cache before the boot; until the
 * boot has finished them they send every allocation to the slow entry
 * (SLAB_ALLOC_SLOW_BOOT), which boots and only then decides.
 */
static struct kmem_cache kmalloc_cache_structs[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1] = {
	[0 ... NR_KMALLOC_TYPES - 1] = {
		[0 ... KMALLOC_SHIFT_HIGH] = { .alloc_slow = SLAB_ALLOC_SLOW_BOOT },
	},
};

#define KMALLOC_ROW(t) {							\
	NULL, &kmalloc_cache_structs[t][1], &kmalloc_cache_structs[t][2],	\
	&kmalloc_cache_structs[t][3], &kmalloc_cache_structs[t][4],		\
	&kmalloc_cache_structs[t][5], &kmalloc_cache_structs[t][6],		\
	&kmalloc_cache_structs[t][7], &kmalloc_cache_structs[t][8],		\
	&kmalloc_cache_structs[t][9], &kmalloc_cache_structs[t][10],		\
	&kmalloc_cache_structs[t][11], &kmalloc_cache_structs[t][12],		\
	&kmalloc_cache_structs[t][13] }
_Static_assert(KMALLOC_SHIFT_HIGH == 13, "KMALLOC_ROW lists indexes 0..13");

struct kmem_cache *const kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1] = {
	[KMALLOC_NORMAL] = KMALLOC_ROW(KMALLOC_NORMAL),
	[KMALLOC_RECLAIM] = KMALLOC_ROW(KMALLOC_RECLAIM),
	[KMALLOC_DMA] = KMALLOC_ROW(KMALLOC_DMA),
};

/*
 * Sizes up to 192 bytes: index of the cache by (size - 1) / 8, which puts
 * 65..96 in kmalloc-96 and 129..192 in kmalloc-192 (mm/slab_common.c's
 * size_index).  Above 192: fls(size - 1).
 */
u8 kmalloc_size_index[24] = {
	3,	/* 8 */
	4,	/* 16 */
	5,	/* 24 */
	5,	/* 32 */
	6,	/* 40 */
	6,	/* 48 */
	6,	/* 56 */
	6,	/* 64 */
	1,	/* 72 */
	1,	/* 80 */
	1,	/* 88 */
	1,	/* 96 */
	7,	/* 104 */
	7,	/* 112 */
	7,	/* 120 */
	7,	/* 128 */
	2,	/* 136 */
	2,	/* 144 */
	2,	/* 152 */
	2,	/* 160 */
	2,	/* 168 */
	2,	/* 176 */
	2,	/* 184 */
	2,	/* 192 */
};

/* Names and sizes by index (kmalloc_info). */
#define KMALLOC_NAMES(sz) { "kmalloc-" #sz, "kmalloc-rcl-" #sz, "dma-kmalloc-" #sz }
static const struct {
	const char *name[NR_KMALLOC_TYPES];
	unsigned int size;
} kmalloc_info[KMALLOC_SHIFT_HIGH + 1] = {
	{ { NULL, NULL, NULL }, 0 },
	{ KMALLOC_NAMES(96), 96 },
	{ KMALLOC_NAMES(192), 192 },
	{ KMALLOC_NAMES(8), 8 },
	{ KMALLOC_NAMES(16), 16 },
	{ KMALLOC_NAMES(32), 32 },
	{ KMALLOC_NAMES(64), 64 },
	{ KMALLOC_NAMES(128), 128 },
	{ KMALLOC_NAMES(256), 256 },
	{ KMALLOC_NAMES(512), 512 },
	{ KMALLOC_NAMES(1k), 1024 },
	{ KMALLOC_NAMES(2k), 2048 },
	{ KMALLOC_NAMES(4k), 4096 },
	{ KMALLOC_NAMES(8k), 8192 },
};

/* ---- alignment and merging ---- */

/* cache_line_size() halved while the object fits twice, then >= 8. */
unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = L1_CACHE_BYTES;

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	align = max(align, (unsigned int)ARCH_SLAB_MINALIGN);
	return ALIGN(align, (unsigned int)sizeof(void *));
}

static bool slab_unmergeable(const struct kmem_cache *s)
{
	if (slab_nomerge || (s->flags & SLAB_NEVER_MERGE))
		return true;
	if (s->ctor || s->ctor_ldd3 || s->dtor_ldd3 || s->usersize)
		return true;
	return s->refcount < 0;
}

/* An existing cache that can serve objects of @size (slab_mutex held). */
static struct kmem_cache *find_mergeable(unsigned int size, unsigned int align,
					 slab_flags_t flags, bool has_ctor)
{
	struct kmem_cache *s;

	if (slab_nomerge || has_ctor || (flags & SLAB_NEVER_MERGE))
		return NULL;
	size = ALIGN(size, (unsigned int)sizeof(void *));
	align = calculate_alignment(flags, align, size);
	size = ALIGN(size, align);
	/* Oldest first. */
	list_for_each_entry_reverse(s, &slab_caches, list) {
		if (slab_unmergeable(s))
			continue;
		if (size > s->size)
			continue;
		if ((flags & SLAB_MERGE_SAME) != (s->flags & SLAB_MERGE_SAME))
			continue;
		if ((s->size & ~(align - 1)) != s->size)
			continue;
		if (s->size - size >= sizeof(void *))
			continue;
		return s;
	}
	return NULL;
}

/*
 * ---- merged caches' names ----
 *
 * A cache created as a merge gets no struct of its own: the kernel makes
 * /sys/kernel/slab/<name> a symlink to the cache it merged into
 * (sysfs_slab_alias()), replacing a link of that name made before.  Here a
 * record per name does that for mm/slab_sysfs.c.  A record stays while its
 * cache lives, as the link does when the alias is destroyed (the kernel
 * cannot tell which of a merged cache's names kmem_cache_destroy() was
 * given), and goes with the cache.  All under slab_mutex.
 */
struct slab_alias {
	struct list_head list;
	struct kmem_cache *s;
	char name[];
};
static LIST_HEAD(slab_aliases);

static void slab_alias_add(struct kmem_cache *s, const char *name)
{
	struct slab_alias *a;
	size_t len;

	if (!strcmp(name, s->name))
		return;		/* the cache's own name finds it already */
	list_for_each_entry(a, &slab_aliases, list) {
		if (!strcmp(a->name, name)) {
			a->s = s;	/* sysfs_slab_alias() replaces the old link */
			return;
		}
	}
	len = strlen(name) + 1;
	a = kmalloc(sizeof(*a) + len, GFP_KERNEL);
	if (!a) {
		/* __kmem_cache_alias(): the merge stands, without the name. */
		pr_err("SLUB: Unable to add cache alias %s to sysfs\n", name);
		return;
	}
	a->s = s;
	memcpy(a->name, name, len);
	list_add(&a->list, &slab_aliases);
}

/* The cache is going: its names go with it (the links would dangle). */
static void slab_aliases_drop(struct kmem_cache *s)
{
	struct slab_alias *a, *next;

	list_for_each_entry_safe(a, next, &slab_aliases, list) {
		if (a->s == s) {
			list_del(&a->list);
			kfree(a);
		}
	}
}

struct kmem_cache *slab_alias_find_locked(const char *name)
{
	struct slab_alias *a;

	list_for_each_entry(a, &slab_aliases, list)
		if (!strcmp(a->name, name))
			return a->s;
	return NULL;
}

/* ---- creating caches ---- */

static bool slab_ready_for_create(void)
{
	ukmem_ensure_booted();
	if (system_state != SYSTEM_RUNNING)
		return false;
	if (READ_ONCE(slab_state) != FULL)
		slab_late_init();
	return READ_ONCE(slab_state) == FULL;
}

static struct kmem_cache *create_cache(const char *name, unsigned int object_size,
				       struct kmem_cache_args *args, slab_flags_t flags,
				       void (*ctor_ldd3)(void *, struct kmem_cache *, unsigned long),
				       void (*dtor_ldd3)(void *, struct kmem_cache *, unsigned long),
				       int *errp)
{
	struct kmem_cache *s;
	char *cache_name;
	int err;

	/* A free pointer inside the object: RCU caches, and caches with a constructor (v6.19). */
	if (args->use_freeptr_offset &&
	    (args->freeptr_offset >= object_size ||
	     (!(flags & SLAB_TYPESAFE_BY_RCU) && !args->ctor) ||
	     !IS_ALIGNED(args->freeptr_offset, sizeof(void *)))) {
		*errp = -EINVAL;
		return NULL;
	}
	s = kmem_cache_zalloc(kmem_cache, GFP_KERNEL);
	cache_name = kstrdup(name, GFP_KERNEL);
	if (!s || !cache_name) {
		kfree(cache_name);
		if (s)
			kmem_cache_free(kmem_cache, s);
		*errp = -ENOMEM;
		return NULL;
	}
	s->align = calculate_alignment(flags, args->align, object_size);
	s->ctor_ldd3 = ctor_ldd3;
	s->dtor_ldd3 = dtor_ldd3;
	err = do_kmem_cache_create(s, cache_name, object_size, args, flags);
	if (err) {
		__kmem_cache_release(s);
		kfree(cache_name);
		kmem_cache_free(kmem_cache, s);
		*errp = err;
		return NULL;
	}
	s->refcount = 1;
	list_add(&s->list, &slab_caches);
	return s;
}

/* Everything but the LDD3 constructor and destructor. */
static struct kmem_cache *kmem_cache_create_common(const char *name, unsigned int object_size,
						   struct kmem_cache_args *args,
						   slab_flags_t flags,
						   void (*ctor_ldd3)(void *, struct kmem_cache *,
								     unsigned long),
						   void (*dtor_ldd3)(void *, struct kmem_cache *,
								     unsigned long))
{
	static struct kmem_cache_args empty_args;
	struct kmem_cache *s = NULL;
	int err = 0;

	if (!args)
		args = &empty_args;
	if (!slab_ready_for_create()) {
		err = -ENOMEM;
		goto out;
	}
	/* CONFIG_DEBUG_VM's integrity check, on here: a library's caller errs. */
	if (!name || in_interrupt() || object_size < 1 || object_size > KMALLOC_MAX_SIZE) {
		pr_err("kmem_cache_create(%s) integrity check failed\n", name ? name : "(null)");
		err = -EINVAL;
		goto out;
	}
	if (strchr(name, ' '))
		WARN(1, "kmem_cache_create(%s): cache name contains a space. It confuses parsers\n",
		     name);
	if (flags & ~SLAB_FLAGS_PERMITTED) {
		err = -EINVAL;
		goto out;
	}
	flags &= SLAB_FLAGS_PERMITTED;
	/* slub_debug= applies before merging: debug caches never merge. */
	flags = kmem_cache_flags(flags, name);
	/* A cache that asks for its own sheaf size keeps it: never merged (as the kernel). */
	if (args->sheaf_capacity)
		flags |= SLAB_NO_MERGE;

	/* A usercopy region outside the object is ignored, with a warning. */
	if (WARN_ON(!args->usersize && args->useroffset) ||
	    WARN_ON(object_size < args->usersize ||
		    object_size - args->usersize < args->useroffset))
		args->usersize = args->useroffset = 0;

	might_sleep();
	mutex_lock(&slab_mutex);
	if (!args->usersize && !ctor_ldd3 && !dtor_ldd3) {
		s = find_mergeable(object_size, args->align, flags, args->ctor != NULL);
		if (s) {
			slab_alias_add(s, name);
			s->refcount++;
			__kmem_cache_alias_update(s, object_size);
			mutex_unlock(&slab_mutex);
			return s;
		}
	}
	s = create_cache(name, object_size, args, flags, ctor_ldd3, dtor_ldd3, &err);
	mutex_unlock(&slab_mutex);
out:
	if (!s) {
		/*
		 * v6.12+ prints the name of __kmem_cache_create_args(), which
		 * every form of kmem_cache_create() now goes through (v5.14..v6.11
		 * said kmem_cache_create_usercopy, older kernels kmem_cache_create).
		 */
		if (flags & SLAB_PANIC)
			panic("%s: Failed to create slab '%s'. Error %d\n",
			      "__kmem_cache_create_args", name ? name : "(null)", err);
		pr_warn("%s(%s) failed with error %d\n", "__kmem_cache_create_args",
			name ? name : "(null)", err);
		dump_stack();
	}
	return s;
}

struct kmem_cache *__kmem_cache_create_args(const char *name, unsigned int object_size,
					    struct kmem_cache_args *args, slab_flags_t flags)
{
	struct kmem_cache_args copy;

	if (args)
		copy = *args;
	else
		memset(&copy, 0, sizeof(copy));
	return kmem_cache_create_common(name, object_size, &copy, flags, NULL, NULL);
}

struct kmem_cache *__kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				       slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache_args args = { .align = align, .ctor = ctor };

	return kmem_cache_create_common(name, size, &args, flags, NULL, NULL);
}

struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size,
					      unsigned int align, slab_flags_t flags,
					      unsigned int useroffset, unsigned int usersize,
					      void (*ctor)(void *))
{
	struct kmem_cache_args args = {
		.align = align, .ctor = ctor, .useroffset = useroffset, .usersize = usersize,
	};

	return kmem_cache_create_common(name, size, &args, flags, NULL, NULL);
}

struct kmem_cache *kmem_cache_create_rcu(const char *name, unsigned int size,
					 unsigned int freeptr_offset, slab_flags_t flags)
{
	struct kmem_cache_args args = {
		.freeptr_offset = freeptr_offset, .use_freeptr_offset = true,
	};

	return kmem_cache_create_common(name, size, &args, flags | SLAB_TYPESAFE_BY_RCU,
					NULL, NULL);
}

struct kmem_cache *kmem_cache_create_ldd3(const char *name, size_t size, size_t offset,
					  unsigned long flags,
					  void (*ctor)(void *, kmem_cache_t *, unsigned long),
					  void (*dtor)(void *, kmem_cache_t *, unsigned long))
{
	struct kmem_cache_args args = { .align = (unsigned int)offset };

	/* Constructor flags passed as cache flags mean nothing; drop them. */
	flags &= ~(SLAB_CTOR_CONSTRUCTOR | SLAB_CTOR_ATOMIC | SLAB_CTOR_VERIFY);
	if (size > UINT_MAX || offset > UINT_MAX || flags > UINT_MAX)
		size = (size_t)KMALLOC_MAX_SIZE + 1;	/* fails the integrity check */
	return kmem_cache_create_common(name, (unsigned int)size, &args, (slab_flags_t)flags,
					ctor, dtor);
}

/* ---- destroying, shrinking ---- */

void slab_kmem_cache_release(struct kmem_cache *s)
{
	__kmem_cache_release(s);
	kfree(s->name);
	kmem_cache_free(kmem_cache, s);
}

static bool is_boot_cache(const struct kmem_cache *s)
{
	const struct kmem_cache *first = &kmalloc_cache_structs[0][0];

	/* By address: a caller may make a cache with SLAB_KMALLOC (slub_kunit does). */
	return s == kmem_cache || s == kmem_cache_node ||
	       (s >= first && s < first + NR_KMALLOC_TYPES * (KMALLOC_SHIFT_HIGH + 1));
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	unsigned long caller = _RET_IP_;
	int err;

	if (unlikely(!s))
		return;
	/*
	 * Under a tool a destroyed cache's struct is a freed object of the
	 * kmem_cache cache: a second kmem_cache_destroy() is reported, as the
	 * kernel's KASAN reports it, instead of counting its refcount down in
	 * freed memory.
	 */
	if (unlikely(slab_tools_active) && !is_boot_cache(s) && !tool_block_size(s, 1)) {
		tool_report_bad_pointer(s, "slab-use-after-free", "kmem_cache_destroy");
		return;
	}
	might_sleep();
	/* kfree_rcu() objects on their way back to this cache arrive first. */
	kvfree_rcu_barrier();
	/* Then those ASan's quarantine holds (kasan_cache_shutdown). */
	slab_quarantine_remove_cache(s);
	mutex_lock(&slab_mutex);
	if (s->refcount == 1 && is_boot_cache(s)) {
		/* The kernel would tear them down and crash later; refuse. */
		mutex_unlock(&slab_mutex);
		WARN(1, "kmem_cache_destroy %s: a boot cache cannot be destroyed\n", s->name);
		return;
	}
	if (--s->refcount) {
		mutex_unlock(&slab_mutex);
		return;
	}
	kfence_shutdown_cache(s);
	err = __kmem_cache_shutdown(s);
	if (err) {
		WARN(1, "%s %s: Slab cache still has objects when called from %pS",
		     "kmem_cache_destroy", s->name, (void *)caller);
		/* Kept as it was, and destroyable again once its objects are freed. */
		s->refcount = 1;
		mutex_unlock(&slab_mutex);
		return;
	}
	list_del(&s->list);
	slab_aliases_drop(s);
	mutex_unlock(&slab_mutex);
	/* Its slabs wait for a grace period and still point at the cache. */
	if (s->flags & SLAB_TYPESAFE_BY_RCU)
		rcu_barrier();
	slab_kmem_cache_release(s);
}

/*
 * failslab's probability went from or to 0, or the first thread armed its
 * fail-nth or the last one disarmed it: the caches' fast paths must (or
 * need no longer) send allocations to the slow path, where failslab is
 * asked.  Any context that may take slab_mutex.
 */
void slab_failslab_changed(void)
{
	bool on = fault_attr_live(&failslab.attr);
	struct kmem_cache *s;

	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		unsigned int v = READ_ONCE(s->alloc_slow) & ~SLAB_ALLOC_SLOW_FAILSLAB;

		WRITE_ONCE(s->alloc_slow, v | (on ? SLAB_ALLOC_SLOW_FAILSLAB : 0));
	}
	mutex_unlock(&slab_mutex);
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	if (!s)
		return 0;
	might_sleep();
	slab_quarantine_remove_cache(s);	/* kasan_cache_shrink() */
	return __kmem_cache_shrink(s);
}

void kmem_cache_shrink_all(void)
{
	struct kmem_cache *s;

	if (READ_ONCE(slab_state) != FULL)
		return;
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list)
		__kmem_cache_shrink(s);
	mutex_unlock(&slab_mutex);
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return READ_ONCE(s->object_size);	/* a merge may grow it */
}

/*
 * The kernel answers true from slab_state UP, which its kmem_cache_init()
 * reaches before returning.  Here kmem_cache_init() leaves PARTIAL and the
 * first allocation finishes the kmalloc caches' node structures
 * (slab_late_init()), but kmalloc() already works in PARTIAL: so PARTIAL
 * is where the kernel's UP is.
 */
bool slab_is_available(void)
{
	return __atomic_load_n(&slab_state, __ATOMIC_ACQUIRE) >= PARTIAL;
}

const char *kmem_cache_name(struct kmem_cache *s)
{
	return s->name;
}

/* ---- boot ---- */

static void create_kmalloc_caches(void)
{
	int type;
	unsigned int i;

	for (type = KMALLOC_NORMAL; type < NR_KMALLOC_TYPES; type++) {
		slab_flags_t flags = SLAB_KMALLOC;

		if (type == KMALLOC_RECLAIM)
			flags |= SLAB_RECLAIM_ACCOUNT;
		else if (type == KMALLOC_DMA)
			flags |= SLAB_CACHE_DMA;
		/*
		 * v6.8+'s order: the two caches that are not a power of two
		 * (96 and 192, indices 1 and 2) first, then 8 up to the
		 * largest; each goes to the list's head, so slabinfo, which
		 * walks it from there, shows ... kmalloc-8, kmalloc-192,
		 * kmalloc-96 (before 6.8 they followed 64 and 128).
		 */
		for (i = 1; i <= KMALLOC_SHIFT_HIGH; i++) {
			struct kmem_cache *s;

			if (i > 2 && i < KMALLOC_SHIFT_LOW)
				continue;
			s = &kmalloc_cache_structs[type][i];
			create_boot_cache(s, kmalloc_info[i].name[type], kmalloc_info[i].size,
					  flags, 0, kmalloc_info[i].size);
			/* Still the slow entry, until slab_late_init. */
			WRITE_ONCE(s->alloc_slow, s->alloc_slow | SLAB_ALLOC_SLOW_BOOT);
			list_add(&s->list, &slab_caches);
			s->refcount = 1;	/* mergeable now */
		}
	}
}


/*
 * kmem_cache_init - set the slab allocator up, at boot, without memory
 *
 * The bootstrap caches and the kmalloc caches get their geometry; their
 * node structures and per-CPU stacks come with the first allocation after
 * the boot (slab_late_init), when the page allocator is open.
 */
void kmem_cache_init(void)
{
	int node;

	slub_init_cpu_mode();
	if (slub_min_order > slub_max_order)
		slub_max_order = slub_min_order;

	create_boot_cache(&boot_kmem_cache_node, "kmem_cache_node",
			  sizeof(struct kmem_cache_node), SLAB_HWCACHE_ALIGN, 0, 0);
	create_boot_cache(&boot_kmem_cache, "kmem_cache",
			  (unsigned int)(offsetof(struct kmem_cache, node) +
					 nr_online_nodes * sizeof(struct kmem_cache_node *)),
			  SLAB_HWCACHE_ALIGN, 0, 0);
	for (node = 0; node < nr_online_nodes; node++) {
		boot_kmem_cache_node.node[node] = &boot_kmem_cache_node_nodes[node];
		boot_kmem_cache.node[node] = &boot_kmem_cache_nodes[node];
		spin_lock_init_ranked(&boot_kmem_cache_node_nodes[node].list_lock, LOCK_RANK_SLAB_LIST);
		INIT_LIST_HEAD(&boot_kmem_cache_node_nodes[node].partial);
		INIT_LIST_HEAD(&boot_kmem_cache_node_nodes[node].full);
		spin_lock_init_ranked(&boot_kmem_cache_nodes[node].list_lock, LOCK_RANK_SLAB_LIST);
		INIT_LIST_HEAD(&boot_kmem_cache_nodes[node].partial);
		INIT_LIST_HEAD(&boot_kmem_cache_nodes[node].full);
	}
	/* bootstrap(): kmem_cache first, so the list reads kmem_cache_node, kmem_cache. */
	kmem_cache = &boot_kmem_cache;
	list_add(&kmem_cache->list, &slab_caches);
	kmem_cache_node = &boot_kmem_cache_node;
	list_add(&kmem_cache_node->list, &slab_caches);

	create_kmalloc_caches();
	WRITE_ONCE(slab_state, PARTIAL);

	if (slab_strict_numa) {
		if (nr_online_nodes > 1)
			pr_info("SLUB: Strict NUMA enabled.\n");
		else
			pr_warn("slab_strict_numa parameter set on non NUMA system.\n");
	}
	pr_info("SLUB: HWalign=%d, Order=%u-%u, MinObjects=%u, CPUs=%u, Nodes=%d\n",
		L1_CACHE_BYTES, slub_min_order, slub_max_order, slub_min_objects,
		nr_cpu_ids, nr_online_nodes);
	pr_info("SLUB: per-CPU caches run as %s\n",
		slab_fast.rseq ? "restartable sequences" : "per-CPU locks");
	ukmem_register_report("slabinfo", slabinfo_show);
	slab_fork_register();
}

/*
 * slab_late_init - the node structures of the kmalloc caches, from
 * kmem_cache_node, on the first slab allocation after the boot.
 */
void slab_late_init(void)
{
	unsigned int i;
	int type;

	/*
	 * A caller that may not sleep (a signal handler, or GFP_ATOMIC under a
	 * spinlock, as the malloc front end's host_lock) only tries: the next
	 * allocation finishes the job if the mutex is busy now.
	 */
	if (!preemptible()) {
		if (!mutex_trylock(&slab_mutex))
			return;
	} else {
		mutex_lock(&slab_mutex);
	}
	if (slab_state != PARTIAL)
		goto out;
	WRITE_ONCE(slab_state, UP);
	/*
	 * The boot's work, not the caller's: failslab and fail_page_alloc
	 * stay out of it, or a GFP_KERNEL kmalloc() (exempt from both) would
	 * return NULL because this GFP_NOWAIT step was made to fail.  Nor do
	 * the watermarks: the kernel does this in kmem_cache_init(), with all
	 * of memory free, and a first kmalloc() near the min watermark (after
	 * a program's pages or vmalloc areas) returned NULL silently, without
	 * the reclaim or the report its own GFP_KERNEL would have had.  A
	 * page or two of kmem_cache_node objects from the reserves.
	 */
	fault_inject_off++;
	for (type = 0; type < NR_KMALLOC_TYPES; type++)
		for (i = 1; i <= KMALLOC_SHIFT_HIGH; i++) {
			struct kmem_cache *s = &kmalloc_cache_structs[type][i];

			if (kmalloc_info[i].size &&
			    init_kmem_cache_nodes(s, GFP_NOWAIT | __GFP_MEMALLOC | __GFP_NOWARN)) {
				fault_inject_off--;
				WRITE_ONCE(slab_state, PARTIAL);	/* no memory yet: try again later */
				goto out;
			}
		}
	fault_inject_off--;
	__atomic_store_n(&slab_state, FULL, __ATOMIC_RELEASE);
	/* Done: the fast paths may serve the kmalloc caches. */
	for (type = 0; type < NR_KMALLOC_TYPES; type++)
		for (i = 1; i <= KMALLOC_SHIFT_HIGH; i++) {
			struct kmem_cache *s = &kmalloc_cache_structs[type][i];

			WRITE_ONCE(s->alloc_slow, s->alloc_slow & ~SLAB_ALLOC_SLOW_BOOT);
		}
out:
	mutex_unlock(&slab_mutex);
}

/* ---- kmalloc's page path ---- */

/*
 * A large kmalloc's pages, as v7.x has them: the head page typed
 * LargeKmalloc (which tells kfree() it is one) and the compound page
 * frozen, its reference count 0 until it goes back to the page allocator.
 */
void *kmalloc_large_node(size_t size, gfp_t flags, int node)
{
	unsigned int order;
	struct page *page;

	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags = kmalloc_fix_flags(flags);
	if (size > KMALLOC_MAX_SIZE) {
		/* The page allocator's answer to an impossible order. */
		order = MAX_PAGE_ORDER + 1;
	} else {
		order = (unsigned int)get_order(size);
	}
	page = alloc_pages_node(node, flags | __GFP_COMP, order);
	if (!page)
		return NULL;
	__SetPageLargeKmalloc(page);
	set_page_count(page, 0);
	atomic_long_add((long)(PAGE_SIZE << order),
			&NODE_DATA(page_to_nid(page))->vm_stat[NR_SLAB_UNRECLAIMABLE_B]);
	/* The tools: a block of the size asked for, the pages' rest closed. */
	if (unlikely(slab_tools_active))
		tool_alloc_block(page_address(page), size, PAGE_SIZE << order,
				 (flags & __GFP_ZERO) || init_on_alloc);
	kmemleak_hook_alloc(page_address(page), size);
	return page_address(page);
}

void *kmalloc_large(size_t size, gfp_t flags)
{
	return kmalloc_large_node(size, flags, NUMA_NO_NODE);
}

void free_large_kmalloc(struct page *page, const void *x)
{
	unsigned int order = compound_order(page);

	/* kfree()'s fast path sends every page that is not a slab here. */
	if (is_kfence_address(x)) {
		__kfence_free((void *)x);
		return;
	}
	if (WARN_ON_ONCE(!PageLargeKmalloc(page))) {
		dump_page(page, "Not a kmalloc allocation");
		return;
	}
	if (unlikely(x != page_address(page))) {
		WARN(1, "kfree: 0x%px is inside a large kmalloc allocation at 0x%px, not its start\n",
		     x, page_address(page));
		return;
	}
	kmemleak_hook_free(x);
	__ClearPageLargeKmalloc(page);
	set_page_count(page, 1);	/* __free_pages() drops the one reference */
	if (unlikely(slab_tools_active))
		tool_free_block(x, PAGE_SIZE << order);
	atomic_long_sub((long)(PAGE_SIZE << order),
			&NODE_DATA(page_to_nid(page))->vm_stat[NR_SLAB_UNRECLAIMABLE_B]);
	__free_pages(page, order);
}

/* ---- kmalloc helpers (mm/slab_common.c, mm/util.c) ---- */

/*
 * The memory behind a kmalloc pointer: its cache (NULL for a large
 * kmalloc) and how many bytes it spans (the object's object_size, or the
 * pages).  0 (with a warning) for what is no kmalloc memory at all.
 */
static size_t kmalloc_span(const void *objp, struct kmem_cache **sp, bool ksize_answer)
{
	struct page *page;
	unsigned long pfn;

	*sp = NULL;
	/* A KFENCE object spans what was asked for (the kernel's kfence_ksize()). */
	if (is_kfence_address(objp))
		return kfence_ksize(objp);
	pfn = ((unsigned long)objp - PAGE_OFFSET) >> PAGE_SHIFT;
	if (WARN_ON(pfn >= ukmem_ram_pfns))
		return 0;
	page = compound_head(pfn_to_page(pfn));
	if (unlikely(!PageSlab(page))) {
		/* ksize() of a page that is not kmalloc's: warned, its page's size (v6.x+). */
		if (WARN_ON(!PageLargeKmalloc(page)))
			return ksize_answer ? page_size(pfn_to_page(pfn)) : 0;
		if (WARN_ON(objp != page_address(page)))
			return 0;
		return page_size(page);
	}
	*sp = page_slab(page)->slab_cache;
	/* A merge may grow it meanwhile (__kmem_cache_alias_update). */
	return READ_ONCE((*sp)->object_size);
}

/*
 * ksize(): what the caller may use from now on.  A caller told that much
 * may write all of it, so a kmalloc object whose requested size is kept
 * (slub_debug U on a kmalloc cache) drops its kmalloc red zone: orig_size
 * becomes object_size (the kernel's skip_orig_size_check).
 */
size_t ksize(const void *objp)
{
	struct kmem_cache *s;
	size_t span;

	if (unlikely(ZERO_OR_NULL_PTR(objp)))
		return 0;
	span = kmalloc_span(objp, &s, true);
	/*
	 * Under a tool, the kernel's KASAN check first: a block the tools see
	 * closed (freed) is reported and gets 0, so that no caller writes to
	 * it.  An open one stays as the tools have it: since v6.2 ksize() only
	 * reports, it no longer unpoisons up to the size it returns (a caller
	 * that wants the slack asks krealloc() for it).
	 */
	if (unlikely(slab_tools_active) && span && !tool_block_size(objp, 1)) {
		tool_report_bad_pointer(objp, s ? "slab-use-after-free" : "use-after-free", "ksize");
		return 0;
	}
	if (!s)
		return span;
	set_orig_size(s, (void *)objp, s->object_size);
	return slab_ksize(s);
}

size_t kmalloc_size_roundup(size_t size)
{
	ukmem_ensure_booted();	/* the class sizes are the boot's */
	if (size && size <= KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_slab(size, GFP_KERNEL)->object_size;
	if (size && size <= KMALLOC_MAX_SIZE)
		return PAGE_SIZE << get_order(size);
	/* 0, or too large for kmalloc: the caller gets the size it asked for. */
	return size;
}

void kfree_sensitive(const void *p)
{
	size_t ks = ksize(p);

	if (ks) {
		/* kasan_unpoison_range(): the wipe writes past the size asked for. */
		if (unlikely(slab_tools_active))
			slab_meta_open(p, ks);
		memset((void *)p, 0, ks);
		barrier();	/* memzero_explicit */
	}
	kfree(p);
}

/*
 * kmalloc_nolock()/kfree_nolock() (v6.18, mm/slub.c): the kernel's run
 * without spinning on any lock, for NMI and tracing contexts.  ukmem's
 * interrupt context is that already (ukmem_irq_enter(), what a handler
 * installed by ukmem_sigaction() runs in): every allocator lock is only
 * tried, an allocation that finds one busy fails, and a free that finds
 * one busy is queued for the lock's next holder (zone->irq_deferred_free,
 * n->irq_deferred).  So the two calls are kmalloc and kfree inside that
 * context, whatever context called them.
 */
void *kmalloc_nolock(size_t size, gfp_t gfp_flags, int node)
{
	void *p;

	VM_WARN_ON_ONCE(gfp_flags & ~(__GFP_ACCOUNT | __GFP_ZERO | __GFP_NO_OBJ_EXT));
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return NULL;	/* the page allocator's path is not lock-free */
	/* A process's first call boots first; inside an interrupt the boot is refused. */
	if (!in_hardirq())
		ukmem_ensure_booted();
	ukmem_irq_enter();
	p = __kmalloc_node(size, (gfp_flags & __GFP_ZERO) | GFP_NOWAIT | __GFP_NOWARN, node);
	ukmem_irq_exit();
	return p;
}

void kfree_nolock(const void *x)
{
	ukmem_irq_enter();
	kfree(x);
	ukmem_irq_exit();
}

/*
 * krealloc - the kernel's __do_krealloc (v6.12+).  In place when the new
 * size fits the object (object_size, or a large kmalloc's pages); the
 * size asked for last (orig_size, where kept) decides what is spare:
 * growing with __GFP_ZERO (or init_on_alloc) zeroes from the old size up,
 * shrinking zeroes what lies past the new one, and the kmalloc red zone
 * moves to the new size.  Otherwise a new object, into which only the
 * bytes the caller had (orig_size) are copied: its red zone is not data.
 * Does not call ksize(), which would drop the red zone.
 */
void *krealloc_node_align(const void *p, size_t new_size, unsigned long align, gfp_t flags,
			  int nid)
{
	struct kmem_cache *s = NULL;
	size_t ks = 0, orig_size = 0;
	void *ret;

	if (unlikely(!new_size)) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (!ZERO_OR_NULL_PTR(p)) {
		ks = kmalloc_span(p, &s, false);
		if (s)
			orig_size = get_orig_size(s, p);
		/* The tools know the size the block has now; the rest is closed. */
		if (unlikely(slab_tools_active) && ks) {
			orig_size = tool_block_size(p, ks);
			/*
			 * kasan_check_byte(): a closed (freed) block is
			 * reported and krealloc() answers NULL, leaving it
			 * closed and where it is.
			 */
			if (!orig_size) {
				tool_report_bad_pointer(p, s ? "slab-use-after-free" : "use-after-free",
							"krealloc");
				return NULL;
			}
			if (new_size <= ks && orig_size < ks)
				slab_meta_open((char *)p + orig_size, ks - orig_size);
		}
	}
	if (!ks || new_size > ks)
		goto alloc_new;
	/*
	 * v6.17's checks, for Rust's allocator: the block stays only if it
	 * meets the alignment asked for.  A new one is aligned as kmalloc
	 * aligns (its size's power of two), no more.  The node is only a
	 * preference for a new block: one that still fits stays where it is
	 * unless __GFP_THISNODE makes the node a must, as in the kernel (a
	 * krealloc() that shrinks must not turn into a copy).
	 */
	if (!IS_ALIGNED((unsigned long)p, align))
		goto alloc_new;
	if (unlikely(flags & __GFP_THISNODE) && nid != NUMA_NO_NODE &&
	    nid != page_to_nid(virt_to_page(p)))
		goto alloc_new;
	if ((flags & __GFP_ZERO) || unlikely(init_on_alloc)) {	/* want_init_on_alloc() */
		if (orig_size && orig_size < new_size)
			memset((char *)p + orig_size, 0, new_size - orig_size);
		else
			memset((char *)p + new_size, 0, ks - new_size);
	}
	if (s && slub_debug_orig_size(s)) {
		set_orig_size(s, (void *)p, (unsigned int)new_size);
		if ((s->flags & SLAB_RED_ZONE) && new_size < ks)
			memset((char *)p + new_size, SLUB_RED_ACTIVE, ks - new_size);
	}
	if (unlikely(slab_tools_active)) {
		tool_resize_block(p, orig_size, new_size, ks);
		/* Grown and zeroed: the new bytes are written. */
		if (((flags & __GFP_ZERO) || init_on_alloc) && orig_size < new_size)
			slab_meta_open((char *)p + orig_size, new_size - orig_size);
	}
	return (void *)p;

alloc_new:
	ret = __kmem_buckets_alloc(NULL, new_size, flags, nid, _RET_IP_);
	if (ret && ks) {
		memcpy(ret, p, min(orig_size ?: ks, new_size));
		kfree(p);
	}
	return ret;
}

void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	return krealloc_node_align(p, new_size, 1, flags, NUMA_NO_NODE);
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = __kmalloc_track_caller(len, gfp, _RET_IP_);

	if (p && !ZERO_OR_NULL_PTR(p))
		memcpy(p, src, len);
	return p;
}

char *kmemdup_nul(const char *s, size_t len, gfp_t gfp)
{
	char *buf;

	if (!s)
		return NULL;
	buf = __kmalloc_track_caller(len + 1, gfp, _RET_IP_);
	if (buf) {
		memcpy(buf, s, len);
		buf[len] = '\0';
	}
	return buf;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	buf = __kmalloc_track_caller(len, gfp, _RET_IP_);
	if (buf)
		memcpy(buf, s, len);
	return buf;
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strnlen(s, max);
	buf = __kmalloc_track_caller(len + 1, gfp, _RET_IP_);
	if (buf) {
		memcpy(buf, s, len);
		buf[len] = '\0';
	}
	return buf;
}

/*
 * The kernel's .rodata is the program's: its read-only, non-executable
 * segments (string constants live there).  Shared objects' constants are
 * not, as a module's are not the kernel's.
 */
bool is_kernel_rodata(unsigned long addr)
{
	return arch_in_program_rodata(addr);
}

/* A string constant of the program is returned as it is, as the kernel's. */
const char *kstrdup_const(const char *s, gfp_t gfp)
{
	if (is_kernel_rodata((unsigned long)s))
		return s;
	return kstrdup(s, gfp);
}

/* kfree() of memory that may not be kmalloc's (a string constant): quiet. */
void kfree_const(const void *x)
{
	unsigned long pfn = ((unsigned long)x - PAGE_OFFSET) >> PAGE_SHIFT;

	if (pfn < data_race(ukmem_ram_pfns))
		kfree(x);
}

/*
 * As the kernel's kmalloc_gfp_adjust() (v6.16+): above a page, kmalloc is
 * only an opportunistic first try for kvmalloc and kvrealloc - no warning,
 * no NOFAIL, and no direct reclaim unless the caller prefers contiguous
 * memory enough to say __GFP_RETRY_MAYFAIL (before v6.16: __GFP_NORETRY,
 * one round of reclaim); vmalloc is the real answer.
 */
static gfp_t kmalloc_gfp_adjust(gfp_t flags, size_t size)
{
	if (size > PAGE_SIZE) {
		flags |= __GFP_NOWARN;
		if (!(flags & __GFP_RETRY_MAYFAIL))
			flags &= ~__GFP_DIRECT_RECLAIM;
		flags &= ~__GFP_NOFAIL;
	}
	return flags;
}

/* kvmalloc from buckets @b (NULL: the kmalloc caches), for @caller. */
static __always_inline void *kvmalloc_from(kmem_buckets *b, size_t size, unsigned long align,
					   gfp_t flags, int node, const void *caller)
{
	gfp_t kmalloc_flags = kmalloc_gfp_adjust(flags, size);
	void *ret;

	ret = size <= KMALLOC_MAX_SIZE ?
		__kmem_buckets_alloc(b, size, kmalloc_flags, node, (unsigned long)caller) : NULL;
	if (ret || size <= PAGE_SIZE)
		return ret;
	/*
	 * Never from interrupt context (a signal handler), where the kernel's
	 * vmalloc BUGs: here it would take vmap_area_lock unconditionally, and
	 * the code the handler interrupted may hold it (a handler only tries
	 * the allocator's locks).  GFP_ATOMIC may fail: the kmalloc answer.
	 */
	if (unlikely(in_interrupt()))
		return NULL;
	if (unlikely(size > INT_MAX)) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	/*
	 * Since v6.17 vmalloc serves GFP_NOWAIT and GFP_ATOMIC too, so they
	 * fall back as well, without huge mappings (whose path may sleep).
	 */
	return __vmalloc_node_range(size, align, VMALLOC_START, VMALLOC_END, flags, PAGE_KERNEL,
				    gfpflags_allow_blocking(flags) ? VM_ALLOW_HUGE_VMAP : 0, node,
				    caller);
}

void *kvmalloc_node(size_t size, gfp_t flags, int node)
{
	return kvmalloc_from(NULL, size, 1, flags, node, __builtin_return_address(0));
}

/*
 * As the kernel's (v6.17): @align reaches vmalloc; the kmalloc try gives
 * kmalloc's own alignment, which is all the kernel promises for it.
 */
void *kvmalloc_node_align(size_t size, unsigned long align, gfp_t flags, int node)
{
	return kvmalloc_from(NULL, size, align, flags, node, __builtin_return_address(0));
}

void *__kmem_buckets_valloc(kmem_buckets *b, size_t size, gfp_t flags, int node)
{
	return kvmalloc_from(b, size, 1, flags, node, __builtin_return_address(0));
}

kmem_buckets *kmem_buckets_create(const char *name, slab_flags_t flags, unsigned int useroffset,
				  unsigned int usersize, void (*ctor)(void *))
{
	kmem_buckets *b = kzalloc(sizeof(*b), GFP_KERNEL);
	unsigned int idx;

	if (WARN_ON(!b))
		return NULL;
	flags |= SLAB_NO_MERGE;
	for (idx = 0; idx < ARRAY_SIZE(kmalloc_caches[KMALLOC_NORMAL]); idx++) {
		struct kmem_cache *k = kmalloc_caches[KMALLOC_NORMAL][idx];
		unsigned int size, off = 0, usize = 0;
		const char *suffix;
		char *cache_name;

		if (!k || !(size = k->object_size))
			continue;
		/* "kmalloc-1k" gives "1k": the name's suffix, as the kernel's. */
		suffix = strchr(k->name, '-');
		if (WARN_ON(!suffix))
			goto fail;
		if (useroffset < size) {
			off = useroffset;
			usize = min(size - off, usersize);
		}
		cache_name = kasprintf(GFP_KERNEL, "%s-%s", name, suffix + 1);
		if (WARN_ON(!cache_name))
			goto fail;
		(*b)[idx] = kmem_cache_create_usercopy(cache_name, size, 0, flags, off, usize, ctor);
		kfree(cache_name);
		if (WARN_ON(!(*b)[idx]))
			goto fail;
	}
	return b;

fail:
	for (idx = 0; idx < ARRAY_SIZE(*b); idx++)
		kmem_cache_destroy((*b)[idx]);
	kfree(b);
	return NULL;
}

/**
 * mem_dump_obj - continue the caller's line with what @object is: a slab
 * object (kmem_dump_obj()), a vmalloc area (vmalloc_dump_obj()), or
 * " vmalloc memory", " non-slab/vmalloc memory", " NULL pointer",
 * " zero-size pointer", " non-paged memory" (the kernel's mm/util.c).
 * Context: any.
 */
void mem_dump_obj(void *object)
{
	const char *type;

	if (kmem_dump_obj(object) || vmalloc_dump_obj(object))
		return;
	if (is_vmalloc_addr(object))
		type = "vmalloc memory";
	else if (virt_addr_valid(object))
		type = "non-slab/vmalloc memory";
	else if (!object)
		type = "NULL pointer";
	else if (object == ZERO_SIZE_PTR)
		type = "zero-size pointer";
	else
		type = "non-paged memory";
	pr_cont(" %s\n", type);
}

void kvfree(const void *addr)
{
	if (is_vmalloc_addr(addr))
		vfree(addr);
	else
		kfree(addr);
}

void kvfree_atomic(const void *addr)
{
	if (is_vmalloc_addr(addr))
		vfree_atomic(addr);
	else
		kfree(addr);
}

void kvfree_sensitive(const void *addr, size_t len)
{
	if (likely(!ZERO_OR_NULL_PTR(addr))) {
		memset((void *)addr, 0, len);
		barrier();
		kvfree(addr);
	}
}

void *kvrealloc_node_align(const void *p, size_t size, unsigned long align, gfp_t flags, int nid)
{
	struct kmem_cache *s;
	size_t old;
	void *n;

	/* As the kernel's since v6.12: a vmalloc'ed block resizes as one. */
	if (is_vmalloc_addr(p))
		return vrealloc_node_align(p, size, align, flags, nid);
	/*
	 * krealloc first: in place it keeps the requested size and red zone
	 * (ksize() would drop them, and __GFP_ZERO would then zero from the
	 * wrong place).  If that fails, the bytes the caller had move to
	 * kvmalloc'ed memory.
	 */
	n = krealloc_node_align(p, size, align, kmalloc_gfp_adjust(flags, size), nid);
	if (n)
		return n;
	n = kvmalloc_node_align(size, align, flags, nid);
	if (!n || ZERO_OR_NULL_PTR(p))
		return n;
	old = kmalloc_span(p, &s, false);
	if (s)
		old = get_orig_size(s, p);
	/* The tools closed what lies past the size asked for: not data. */
	if (unlikely(slab_tools_active) && old)
		old = tool_block_size(p, old);
	memcpy(n, p, min(size, old));
	kfree(p);
	return n;
}

void *kvrealloc(const void *p, size_t size, gfp_t flags)
{
	return kvrealloc_node_align(p, size, 1, flags, NUMA_NO_NODE);
}

void *kvmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kvmalloc(len, gfp);

	if (p && !ZERO_OR_NULL_PTR(p))
		memcpy(p, src, len);
	return p;
}

/* ---- /proc/slabinfo ---- */

/*
 * The OOM report's table of the caches that reclaim cannot shrink (the
 * kernel's dump_unreclaimable_slab()): their name, the bytes of their
 * objects in use and of all their objects.  slab_mutex is only tried: the
 * report may come from inside a cache's creation.
 */
void dump_unreclaimable_slab(void)
{
	struct kmem_cache *s;

	if (!mutex_trylock(&slab_mutex)) {
		pr_warn("excessive unreclaimable slab but cannot dump stats\n");
		return;
	}
	pr_info("Unreclaimable slab info:\n");
	pr_info("Name                      Used          Total\n");
	list_for_each_entry(s, &slab_caches, list) {
		struct slabinfo sinfo;

		if (s->flags & SLAB_RECLAIM_ACCOUNT)
			continue;
		memset(&sinfo, 0, sizeof(sinfo));
		get_slabinfo_nowait(s, &sinfo);	/* a list_lock this thread holds is skipped */
		if (sinfo.num_objs > 0)
			pr_info("%-17s %10luKB %10luKB\n", s->name,
				sinfo.active_objs * s->size / 1024, sinfo.num_objs * s->size / 1024);
	}
	mutex_unlock(&slab_mutex);
}

static void print_slabinfo_header(FILE *m)
{
	fputs("slabinfo - version: 2.1\n", m);
	fputs("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>", m);
	fputs(" : tunables <limit> <batchcount> <sharedfactor>", m);
	fputs(" : slabdata <active_slabs> <num_slabs> <sharedavail>\n", m);
}

static int cache_show_line(struct kmem_cache *s, char *buf, size_t size)
{
	struct slabinfo sinfo;

	memset(&sinfo, 0, sizeof(sinfo));
	get_slabinfo(s, &sinfo);
	/*
	 * SLUB has no tunables: 0 0 0, and no shared arrays.  The numbers
	 * take at most 200 columns; a name longer than the rest of @buf is cut
	 * there, so that the line keeps its columns and its newline.
	 */
	return scnprintf(buf, size,
			 "%-17.*s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu\n",
			 (int)(size - 200), s->name, sinfo.active_objs, sinfo.num_objs, s->size,
			 sinfo.objects_per_slab, 1 << sinfo.cache_order, 0U, 0U, 0U,
			 sinfo.active_slabs, sinfo.num_slabs, 0UL);
}

/*
 * The caches, newest first.  Lines are formatted under slab_mutex into a
 * buffer on the stack and written after it is released (the FILE may
 * allocate); a long list is done in several rounds, resuming by position.
 */
void slabinfo_show(FILE *m)
{
	char buf[4096];
	size_t skip = 0;

	print_slabinfo_header(m);
	if (READ_ONCE(slab_state) != FULL && !slab_ready_for_create())
		return;
	for (;;) {
		struct kmem_cache *s;
		size_t pos = 0, len = 0, done = 0;
		bool more = false;

		mutex_lock(&slab_mutex);
		list_for_each_entry(s, &slab_caches, list) {
			char line[512];
			int n;

			if (pos++ < skip)
				continue;
			n = cache_show_line(s, line, sizeof(line));
			if (len + (size_t)n >= sizeof(buf)) {
				more = true;
				break;
			}
			memcpy(buf + len, line, (size_t)n);
			len += (size_t)n;
			done++;
		}
		mutex_unlock(&slab_mutex);
		fwrite(buf, 1, len, m);
		if (!more)
			break;
		skip += done;
	}
}
