/* SPDX-License-Identifier: MIT */
/*
 * mm/slub_create.c - a SLUB cache's geometry and its setup (the kernel's
 * mm/slub.c calculate_order, calculate_sizes, kmem_cache_open,
 * init_kmem_cache_nodes, and mm/slab_common.c create_boot_cache).
 *
 * Where an object's free pointer goes (mid-object, or after the object for
 * caches with a constructor, poisoning or SLAB_TYPESAFE_BY_RCU), the stride,
 * the slab order (the smallest that wastes at most 1/16 .. 1/2 of a slab
 * and holds slub_min_objects objects, within slub_max_order), min_partial,
 * the per-CPU stack capacity, and one kmem_cache_node per online node.
 * Nothing here allocates except init_kmem_cache_nodes.
 */
#include <errno.h>
#include <string.h>

#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include "kernel/locking.h"
#include "mm/slab.h"

#define MIN_PARTIAL	5	/* empty slabs a node keeps, at least */
#define MAX_PARTIAL	10	/* and at most */

/* ---- cache geometry (calculate_sizes, calculate_order) ---- */

static unsigned int calc_slab_order(unsigned int size, unsigned int min_order,
				    unsigned int max_order, unsigned int fract_leftover)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned int slab_size = (unsigned int)PAGE_SIZE << order;
		unsigned int rem = slab_size % size;

		if (rem <= slab_size / fract_leftover)
			break;
	}
	return order;
}

static inline unsigned int order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)((PAGE_SIZE << order) / size);
}

/*
 * The smallest order that wastes at most 1/16 of the slab and holds
 * slub_min_objects objects (default 4 * (fls(CPUs) + 1)), relaxing the
 * waste to 1/8, 1/4, 1/2 before giving up on slub_max_order.
 */
static int calculate_order(unsigned int size)
{
	unsigned int min_objects = slub_min_objects;
	unsigned int max_objects, min_order, order, fraction;

	if (!min_objects) {
		unsigned int nr_cpus = num_online_cpus();

		if (nr_cpus <= 1)
			nr_cpus = nr_cpu_ids;
		min_objects = 4 * ((unsigned int)fls(nr_cpus) + 1);
	}
	max_objects = max(order_objects(slub_max_order, size), 1U);
	min_objects = min(min_objects, max_objects);
	min_order = max_t(unsigned int, slub_min_order,
			  (unsigned int)get_order((unsigned long)min_objects * size));
	if (order_objects(min_order, size) > MAX_OBJS_PER_PAGE)
		return get_order((unsigned long)size * MAX_OBJS_PER_PAGE) - 1;

	for (fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order(size, min_order, slub_max_order, fraction);
		if (order <= slub_max_order)
			return (int)order;
	}
	order = (unsigned int)get_order(size);
	if (order <= MAX_PAGE_ORDER)
		return (int)order;
	return -ENOSYS;
}

/* SLUB's per-CPU budget by object size (set_cpu_partial). */
static unsigned int default_sheaf_capacity(unsigned int size)
{
	if (size >= PAGE_SIZE)
		return 6;
	if (size >= 1024)
		return 24;
	if (size >= 256)
		return 52;
	return 120;
}

/*
 * Where the free pointer goes, the stride, the order; with debugging, the
 * kernel's layout of a slot (mm/slub.c calculate_sizes):
 *
 *   [left red zone]  red_left_pad bytes, SLAB_RED_ZONE; the object pointer
 *                    is the slot's start + red_left_pad
 *   object           object_size bytes (poisoned 0x6b..0xa5 when free)
 *   [right red zone] up to a word boundary, at least a word (SLAB_RED_ZONE),
 *                    else alignment padding (0x5a with SLAB_POISON): inuse
 *   [free pointer]   when it may not overlay the object: poisoning, a
 *                    constructor, RCU, a red-zoned object under a word, or
 *                    a kmalloc cache that keeps the size asked for
 *   [tracks]         struct track for the last alloc and free (STORE_USER)
 *   [orig_size]      unsigned long, kmalloc caches with STORE_USER
 *   [KASAN red zone] under a tool, up to object_size + tool_redzone_size()
 *   [padding]        a word with SLAB_RED_ZONE, then up to the alignment,
 *                    0x5a ("Object padding")
 */
/* The red zone KASAN gives an object of @object_size (optimal_redzone()). */
static unsigned int tool_redzone_size(unsigned int object_size)
{
	static const struct { unsigned int slot, rz; } steps[] = {
		{ 64, 16 }, { 128, 32 }, { 512, 64 }, { 4096, 128 },
		{ 1U << 14, 256 }, { 1U << 15, 512 }, { 1U << 16, 1024 },
	};

	/* The smallest step whose slot still holds the object and its red zone. */
	for (unsigned int i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (object_size <= steps[i].slot - steps[i].rz)
			return steps[i].rz;
	return 2048;
}

static int calculate_sizes(struct kmem_cache_args *args, struct kmem_cache *s)
{
	slab_flags_t flags = s->flags;
	unsigned int size = s->object_size;
	int order;

	size = ALIGN(size, (unsigned int)sizeof(void *));
	/* Poison the object itself only where no constructed state lives in it. */
	if ((flags & SLAB_POISON) && !(flags & SLAB_TYPESAFE_BY_RCU) && !s->ctor && !s->ctor_ldd3)
		s->flags |= __OBJECT_POISON;
	else
		s->flags &= ~__OBJECT_POISON;
	if ((flags & SLAB_RED_ZONE) && size == s->object_size)
		size += sizeof(void *);
	s->inuse = size;
	s->red_left_pad = 0;
	if ((flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) || s->ctor || s->ctor_ldd3 ||
	    slub_debug_orig_size(s) ||
	    ((flags & SLAB_RED_ZONE) && s->object_size < sizeof(void *))) {
		if (args && args->use_freeptr_offset && !(flags & DEBUG_METADATA_FLAGS) &&
		    ((flags & SLAB_TYPESAFE_BY_RCU) || s->ctor)) {
			/* The caller keeps a word of the object free for it. */
			s->offset = args->freeptr_offset;
		} else {
			/* The free pointer must not overwrite constructed state. */
			s->offset = size;
			size += sizeof(void *);
		}
	} else {
		/* Mid-object: off the first words, which buggy code writes most. */
		s->offset = ALIGN_DOWN(s->object_size / 2, (unsigned int)sizeof(void *));
	}
	if (flags & SLAB_STORE_USER) {
		size += 2 * (unsigned int)sizeof(struct track);
		if (flags & SLAB_KMALLOC)
			size += sizeof(unsigned long);	/* orig_size (7.0: a long) */
	}
	/*
	 * Under a tool (the kernel's generic KASAN, kasan_cache_create) every
	 * slot ends in a red zone that grows with the object, so that a
	 * neighbour's overrun or an underrun of the next object lands in
	 * closed memory whatever the neighbour holds (kasan_test's
	 * kmalloc_oob_left).  The metadata above counts towards it, and
	 * ksize() stops at object_size (SLAB_KASAN).
	 */
	if (unlikely(slab_tools_active)) {
		unsigned int want = s->object_size + tool_redzone_size(s->object_size);

		if (size < want)
			size = min(want, (unsigned int)KMALLOC_MAX_SIZE);
		s->flags |= __SLAB_KASAN;
	}
	if (flags & SLAB_RED_ZONE) {
		/* A word of padding after the metadata, then the left red zone. */
		size += sizeof(void *);
		s->red_left_pad = ALIGN((unsigned int)sizeof(void *), s->align);
		size += s->red_left_pad;
	}
	size = ALIGN(size, s->align);
	s->size = size;
	s->reciprocal_size = ~0ULL / size + 1;

	order = calculate_order(size);
	if (order < 0)
		return order;
	s->allocflags = __GFP_COMP;
	if (flags & SLAB_CACHE_DMA)
		s->allocflags |= GFP_DMA;
	if (flags & SLAB_CACHE_DMA32)
		s->allocflags |= GFP_DMA32;
	if (flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	s->oo = oo_make((unsigned int)order, size);
	s->min = oo_make((unsigned int)get_order(size), size);
	return !!oo_objects(s->oo) ? 0 : -EINVAL;
}

static void set_min_partial(struct kmem_cache *s, unsigned long min)
{
	min = min(min, (unsigned long)MAX_PARTIAL);
	s->min_partial = max(min, (unsigned long)MIN_PARTIAL);
}

/* /sys/kernel/slab/<cache>/min_partial written (min_partial_store): taken as is. */
void kmem_cache_store_min_partial(struct kmem_cache *s, unsigned long min)
{
	WRITE_ONCE(s->min_partial, min);
}

void kmem_cache_store_sheaf_capacity(struct kmem_cache *s, unsigned int capacity)
{
	/* Debug caches and SLAB_NO_SHEAVES have none; nor, once set up, may it change. */
	if (s->sheaf_capacity && READ_ONCE(s->sheaf_state) == SHEAVES_NONE)
		WRITE_ONCE(s->sheaf_capacity, clamp(capacity, 1U, (unsigned int)SHEAF_MAX_CAPACITY));
}

void kmem_cache_store_barn_budget(struct kmem_cache *s, unsigned int bytes)
{
	WRITE_ONCE(s->barn_budget, bytes);
}

void kmem_cache_ctor_when_taken(struct kmem_cache *s)
{
	WRITE_ONCE(s->ctor_when_taken, true);
}

static void init_kmem_cache_node(struct kmem_cache_node *n)
{
	spin_lock_init_ranked(&n->list_lock, LOCK_RANK_SLAB_LIST);
	n->nr_partial = 0;
	INIT_LIST_HEAD(&n->partial);
	INIT_LIST_HEAD(&n->full);
	atomic_long_set(&n->nr_slabs, 0);
	atomic_long_set(&n->total_objects, 0);
	n->irq_deferred = NULL;
	n->barn = NULL;
}

/*
 * One kmem_cache_node per online node, from the kmem_cache_node cache.
 * All or none; node[0] is published last, so node[0] set means the cache
 * is ready for the slow paths.
 */
int init_kmem_cache_nodes(struct kmem_cache *s, gfp_t gfp)
{
	struct kmem_cache_node *nodes[MAX_NUMNODES];
	int node;

	if (s->node[0])
		return 0;
	for (node = 0; node < nr_online_nodes; node++) {
		nodes[node] = kmem_cache_alloc_node(kmem_cache_node, gfp, node);
		if (!nodes[node]) {
			while (node--)
				kmem_cache_free(kmem_cache_node, nodes[node]);
			return -ENOMEM;
		}
		init_kmem_cache_node(nodes[node]);
	}
	for (node = nr_online_nodes - 1; node > 0; node--)
		__atomic_store_n(&s->node[node], nodes[node], __ATOMIC_RELEASE);
	__atomic_store_n(&s->node[0], nodes[0], __ATOMIC_RELEASE);
	return 0;
}

/* kmem_cache_open(): everything but memory. */
static int kmem_cache_open(struct kmem_cache *s, struct kmem_cache_args *args, slab_flags_t flags)
{
	int err;

	s->flags = flags;
	s->random = slab_get_random_long();
	s->random_seq = NULL;
	s->random_seq_len = 0;
	s->red_left_pad = 0;
	err = calculate_sizes(args, s);
	if (err)
		return err;
	/* slub_debug=O: no metadata where it would raise the slab's order. */
	if (slub_debug_disable_higher_order && (s->flags & DEBUG_METADATA_FLAGS) &&
	    get_order(s->size) > get_order(s->object_size)) {
		s->flags &= ~DEBUG_METADATA_FLAGS;
		s->offset = 0;
		err = calculate_sizes(args, s);
		if (err)
			return err;
	}
	set_min_partial(s, (unsigned long)ilog2(s->size) / 2);
	s->remote_node_defrag_ratio = 1000;	/* the kernel's default: sysfs shows 100 */
	/*
	 * Debug caches check every object under list_lock, as the kernel's
	 * debug caches do: no per-CPU stacks; nor where the creator said
	 * SLAB_NO_SHEAVES (v7.0).  Nor under valgrind or a
	 * program's ASan, which are told of every object on the slow paths,
	 * with the size asked for (mm/sanitizers.c).
	 */
	if ((s->flags & (SLAB_DEBUG_FLAGS | SLAB_NO_SHEAVES)) || slab_tools_active)
		s->sheaf_capacity = 0;
	else if (args && args->sheaf_capacity)
		/*
		 * The kernel's calculate_sheaf_capacity(): what was asked for
		 * raises the default, never lowers it; the per-CPU arrays here
		 * are fixed, so SHEAF_MAX_CAPACITY bounds it.
		 */
		s->sheaf_capacity = min(max(args->sheaf_capacity, default_sheaf_capacity(s->size)),
					(unsigned int)SHEAF_MAX_CAPACITY);
	else
		s->sheaf_capacity = default_sheaf_capacity(s->size);
	{
		/* A kmalloc cache's word is read by first calls racing the boot. */
		unsigned int slow = (s->flags & SLAB_DEBUG_FLAGS) ? SLAB_ALLOC_SLOW_DEBUG : 0;

		if (slab_tools_active)
			slow |= SLAB_ALLOC_SLOW_TOOLS;

		if (fault_attr_live(&failslab.attr))
			slow |= SLAB_ALLOC_SLOW_FAILSLAB;
		WRITE_ONCE(s->alloc_slow, slow);
	}
	s->sheaf_state = SHEAVES_NONE;
	memset(&s->cpu_sheaves, 0, sizeof(s->cpu_sheaves));
	spin_lock_init_ranked(&s->sheaves_lock, LOCK_RANK_SLAB_SHEAVES);
	return 0;
}

int do_kmem_cache_create(struct kmem_cache *s, const char *name, unsigned int size,
			 struct kmem_cache_args *args, slab_flags_t flags)
{
	int err;

	s->name = name;
	s->object_size = size;
	flags = kmem_cache_flags(flags, name);
	s->ctor = args ? args->ctor : NULL;
	s->useroffset = args ? args->useroffset : 0;
	s->usersize = args ? args->usersize : 0;
	err = kmem_cache_open(s, args, flags);
	if (err)
		return err;
	if (slab_state >= UP) {
		err = init_kmem_cache_nodes(s, GFP_KERNEL);
		if (err)
			return err;
	}
	return 0;
}

void create_boot_cache(struct kmem_cache *s, const char *name, unsigned int size,
		       slab_flags_t flags, unsigned int useroffset, unsigned int usersize)
{
	struct kmem_cache_args args = { .useroffset = useroffset, .usersize = usersize };
	unsigned int align = ARCH_KMALLOC_MINALIGN;
	int err;

	/*
	 * A kmalloc cache aligns its objects to the largest power of two that
	 * divides its size (v6.11+; v5.4 did it for power-of-two sizes), with
	 * or without slab debugging: kmalloc(96) is 32-byte aligned,
	 * kmalloc(64) 64-byte aligned.
	 */
	if (flags & SLAB_KMALLOC)
		align = max(align, size & (0U - size));	/* lowest set bit */
	s->align = calculate_alignment(flags, align, size);
	err = do_kmem_cache_create(s, name, size, &args, flags);
	if (err)
		panic("Creation of kmalloc slab %s size=%u failed. Reason %d\n", name, size, err);
	s->refcount = -1;	/* exempt from merging for now */
}

void __kmem_cache_alias_update(struct kmem_cache *s, unsigned int size)
{
	/* Allocations of the cache read these without slab_mutex. */
	WRITE_ONCE(s->object_size, max(s->object_size, size));
	WRITE_ONCE(s->inuse, max(s->inuse, ALIGN(size, (unsigned int)sizeof(void *))));
}
