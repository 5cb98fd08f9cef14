/* SPDX-License-Identifier: MIT */
/*
 * malloc/classes.c - the malloc front end's size classes: their sizes,
 * the caches that serve them, made once right after the boot (the tables
 * and the class structure are in malloc/malloc_internal.h, where the fast
 * paths of malloc/malloc.c read them).
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include "malloc/malloc_internal.h"
#include "mm/internal.h"
#include "mm/slab.h"

u8 class_of_size[KMALLOC_MAX_CACHE_SIZE / 16 + 1];
struct malloc_class malloc_classes[NR_MALLOC_CLASSES + 1] __aligned(L1_CACHE_BYTES);
static char malloc_cache_names[2][NR_MALLOC_CLASSES][24];

/* The size of class @idx; every class boundary is a multiple of 16. */
size_t class_size(unsigned int idx)
{
	unsigned int group, step;

	if (idx < NR_SMALL_CLASSES)
		return 16 * (idx + 1);
	if (idx < FIRST_FINE_CLASS) {
		group = (idx - NR_SMALL_CLASSES) / 4;	/* 0: 129..256 */
		step = (idx - NR_SMALL_CLASSES) % 4;
		return (size_t)(4 + step + 1) << (group + 5);
	}
	group = (idx - FIRST_FINE_CLASS) / 8;		/* 0: 1025..2048 */
	step = (idx - FIRST_FINE_CLASS) % 8;
	return (size_t)(8 + step + 1) << (group + 7);
}

/*
 * Objects a CPU's stack of one class may hold: the slab allocator's 120
 * for the small classes, but no more than MALLOC_STACK_BYTES of them, and
 * at least MALLOC_STACK_MIN.  The kernel's per-CPU budgets (up to 24 pages
 * of 4 KiB objects per CPU and cache) suit a few dozen kmalloc caches in a
 * machine with gigabytes; a program's heap spread over 44 classes would
 * keep megabytes in them that it does not use (the server benchmark kept
 * 2.7 MB after freeing everything).
 */
#define MALLOC_STACK_BYTES	(16 * 1024)
/* An exact cache's barn: a quarter of the slab allocator's budget. */
#define MALLOC_EXACT_BARN_BYTES	(BARN_BUDGET_BYTES / 4)
/*
 * min_partial of the malloc caches, as writing their sysfs file would set
 * it (the kernel's default is 5 to 10: an emptied slab stays on its node's
 * list while fewer than that are listed).  With 1 an emptied slab goes back
 * to the buddy allocator at once, where it serves every class and not only
 * its own: producer/consumer peaked 0.5 MB lower, at the same speed.
 * Under slab_debug an emptied slab stays (MALLOC_DEBUG_MIN_PARTIAL), so
 * that a write into one of its freed objects is still found by the poison
 * checks when the object is handed out again.
 */
#define MALLOC_MIN_PARTIAL	1
#define MALLOC_DEBUG_MIN_PARTIAL	64
#define MALLOC_STACK_MIN	4
#define MALLOC_STACK_MAX	120

static unsigned int malloc_stack_capacity(size_t size)
{
	return (unsigned int)clamp_t(size_t, MALLOC_STACK_BYTES / size, MALLOC_STACK_MIN,
				     MALLOC_STACK_MAX);
}

/*
 * The tagged caches: a constructor writes each new object's free tag, and
 * the free pointer stays inside the object (freeptr_offset, the kernel's
 * way for caches with constructors), in its middle, away from the tag.
 */
struct kmem_cache *malloc_cache_create(const char *name, size_t size, bool tagged, bool exact)
{
	struct kmem_cache_args args = {
		.align = MIN_ALIGN,
		.sheaf_capacity = malloc_stack_capacity(size),
	};
	struct kmem_cache *s;

	/*
	 * An exact cache serves one size of its class: a quarter of the
	 * per-CPU budget and of the barn's (the objects they hold are RSS:
	 * bm_batch, whose rounds visit 13 exact caches, kept 480 KB more in
	 * Slab than the unhardened build when the exact barns had the full
	 * budget).
	 */
	if (exact)
		args.sheaf_capacity = (unsigned int)clamp_t(size_t, MALLOC_STACK_BYTES / 4 / size,
							    MALLOC_STACK_MIN, MALLOC_STACK_MAX);
	if (tagged) {
		args.ctor = malloc_ctor;
		args.use_freeptr_offset = true;
		args.freeptr_offset = (unsigned int)max(ALIGN_DOWN(size / 2, sizeof(void *)),
							sizeof(void *));
	}
	/*
	 * SLAB_KMALLOC: the objects hold a size asked for below the object's
	 * (as kmalloc's do; under slab_debug=U it is recorded and
	 * red-zoned): the slack caches.  The exact caches have it clear,
	 * which is how free() tells them apart.
	 */
	s = kmem_cache_create(name, (unsigned int)size, &args, exact ? 0 : SLAB_KMALLOC);
	if (s)
		kmem_cache_store_min_partial(s, (s->flags & SLAB_DEBUG_FLAGS) ?
					     MALLOC_DEBUG_MIN_PARTIAL : MALLOC_MIN_PARTIAL);
	if (s && exact)
		kmem_cache_store_barn_budget(s, MALLOC_EXACT_BARN_BYTES);
	/* The free tag is written as each object is first taken, not for a whole new slab. */
	if (s && tagged)
		kmem_cache_ctor_when_taken(s);
	return s;
}

/*
 * Made once, right after the boot, by the first thread to get here; until
 * they exist (and for a class that could not be made) kmalloc serves,
 * which is always there.  Others, and a recursive call from inside
 * kmem_cache_create, do not wait.
 */
void malloc_caches_init(void)
{
	static int state;	/* 0 not made, 1 being made, 2 made */
	int expected = 0;
	unsigned int i, j;

	if (__atomic_load_n(&state, __ATOMIC_ACQUIRE) ||
	    !__atomic_compare_exchange_n(&state, &expected, 1, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return;
	malloc_keys_init();
	/* kmemleak: malloc's callers are looked at (loader_blocks_noted()). */
	malloc_slow_always_update();
	for (i = 0; i < NR_MALLOC_CLASSES; i++) {
		struct malloc_class *c = &malloc_classes[i + 1];
		size_t size = class_size(i);
		char *name = malloc_cache_names[0][i], *xname = malloc_cache_names[1][i];
		/* Free tags and canaries, unless slab_debug or valgrind watches the class. */
		bool tagged;

		scnprintf(name, sizeof(malloc_cache_names[0][i]), "malloc-%zu", size);
		scnprintf(xname, sizeof(malloc_cache_names[1][i]), "malloc-exact-%zu", size);
		tagged = MALLOC_HARDEN && !slab_tools_active &&
			 !(kmem_cache_flags(SLAB_KMALLOC, name) & SLAB_DEBUG_FLAGS) &&
			 !(kmem_cache_flags(SLAB_KMALLOC, xname) & SLAB_DEBUG_FLAGS);
		c->size = (unsigned int)size;
		c->exact_name = xname;
		if (tagged) {
			struct kmem_cache *s = malloc_cache_create(name, size, true, false);
			struct kmem_cache *x = s;

			/* The classes of common exact sizes get an exact cache (later). */
			if (size > 1024 && !is_power_of_2(size))
				c->exact_state = 3;
			else if (i == NR_MALLOC_CLASSES - 1 && s)
				x = malloc_cache_create(xname, size, true, true);
			if (s && x) {
				if (x != s) {
					c->exact = x;
					c->exact_state = 2;
				}
				__atomic_store_n(&c->slack, s, __ATOMIC_RELEASE);
				continue;
			}
		}
		if (MALLOC_HARDEN && !slab_tools_active)
			c->plain = malloc_debug_cache_create(name, size, malloc_stack_capacity(size));
		else
			c->plain = malloc_cache_create(name, size, false, false);
		if (c->plain)
			kmem_cache_store_min_partial(c->plain, (c->plain->flags & SLAB_DEBUG_FLAGS) ?
						     MALLOC_DEBUG_MIN_PARTIAL : MALLOC_MIN_PARTIAL);
		if (!MALLOC_HARDEN && c->plain) {
			c->exact = c->plain;
			__atomic_store_n(&c->slack, c->plain, __ATOMIC_RELEASE);
		}
	}
	/*
	 * A class without an exact cache of its own: its size goes to the
	 * next class's slack cache (made by now).
	 */
	for (i = 1; i < NR_MALLOC_CLASSES; i++)
		if (MALLOC_HARDEN && malloc_classes[i].exact_state == 3)
			malloc_classes[i].exact = malloc_classes[i + 1].slack;
	/*
	 * Sizes are published last: a non-zero entry names a class already
	 * stored.  Entry j covers sizes 16j-15 .. 16j (entry 0, size 0, stays
	 * 0: malloc(0) is no class's).
	 */
	for (i = 0, j = 1; i < NR_MALLOC_CLASSES; i++)
		for (; j < ARRAY_SIZE(class_of_size) && 16 * j <= class_size(i); j++)
			__atomic_store_n(&class_of_size[j], (u8)(i + 1), __ATOMIC_RELEASE);
	__atomic_store_n(&state, 2, __ATOMIC_RELEASE);
}

