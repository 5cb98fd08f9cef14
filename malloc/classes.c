/* SPDX-License-Identifier: MIT */
/*
 * malloc/classes.c - the malloc front end's size classes: their sizes,
 * the caches that serve them, each made on its class's first use (the tables
 * and the class structure are in malloc/malloc_internal.h, where the fast
 * paths of malloc/malloc.c read them).
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include "malloc/malloc_internal.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "kernel/fork.h"
#include "kernel/locking.h"

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
	struct kmem_cache_args args = { .align = MIN_ALIGN };
	unsigned int capacity = malloc_stack_capacity(size);
	struct kmem_cache *s;

	/*
	 * An exact cache serves one size of its class: a quarter of the
	 * per-CPU budget and of the barn's (the objects they hold are RSS:
	 * bm_batch, whose rounds visit 13 exact caches, kept 480 KB more in
	 * Slab than the unhardened build when the exact barns had the full
	 * budget).
	 */
	if (exact)
		capacity = (unsigned int)clamp_t(size_t, MALLOC_STACK_BYTES / 4 / size,
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
	 * which is how free() tells them apart.  Never merged: their stacks
	 * are smaller than the slab allocator's default, which a cache's own
	 * sheaf_capacity can only raise (as in the kernel), so the size is
	 * set after creation, on a cache no one else shares.
	 */
	s = kmem_cache_create(name, (unsigned int)size, &args,
			      (exact ? 0 : SLAB_KMALLOC) | SLAB_NO_MERGE);
	if (s)
		kmem_cache_store_sheaf_capacity(s, capacity);
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
 * Serialises the making of the classes' caches (each class's on its first
 * use, an exact cache when its size has earned one) and is held across
 * fork(), so that a child never inherits a class half made by a thread it
 * does not have.  Only tried, never waited for: a malloc that finds it
 * taken (another thread making a class, or this very thread: a signal
 * handler, or the C library called from inside kmem_cache_create) is
 * served by kmalloc this once.
 */
static DEFINE_MUTEX_RANKED(classes_lock, LOCK_RANK_MALLOC_CLASSES);

static const struct fork_step classes_fork_step = {
	.name = "malloc_classes",
	.order = FORK_ORDER_MALLOC_CLASSES,
	.mutex = &classes_lock,
};

/* Called at load (malloc_frontend_init), where a fork step may be added. */
void classes_init(void)
{
	fork_register_step(&classes_fork_step);
}

/* Whether this caller may make a cache now; if so, with classes_lock held. */
bool classes_trylock(gfp_t gfp)
{
	/*
	 * kmem_cache_create() sleeps on slab_mutex: not from interrupt
	 * context, nor under an allocator lock (GFP_ATOMIC, malloc_nest_enter),
	 * nor while this thread holds slab_mutex (malloc_caches_init's callers
	 * check that before the classes exist; a class made later, here).
	 */
	if (!gfpflags_allow_blocking(gfp) || mutex_held_by_current(&slab_mutex))
		return false;
	return mutex_trylock(&classes_lock);
}

void classes_unlock(void)
{
	mutex_unlock(&classes_lock);
}

/*
 * A class whose exact size has no cache of its own (exact_state 3) is
 * served by the next class's slack cache once that exists: whichever of
 * the two classes is made second links them.
 */
static void link_exact_to_next(unsigned int idx)
{
	struct malloc_class *c = &malloc_classes[idx];
	struct kmem_cache *next;

	if (idx < 1 || idx >= NR_MALLOC_CLASSES || c->exact_state != 3 || READ_ONCE(c->exact))
		return;
	next = READ_ONCE(malloc_classes[idx + 1].slack);
	if (next)
		__atomic_store_n(&c->exact, next, __ATOMIC_RELEASE);
}

/*
 * Names class @i's caches; whether they get free tags and canaries (the
 * hardened build, unless slab_debug or valgrind watches the class).
 */
static bool class_name_tagged(unsigned int i)
{
	char *name = malloc_cache_names[0][i], *xname = malloc_cache_names[1][i];
	size_t size = class_size(i);

	scnprintf(name, sizeof(malloc_cache_names[0][i]), "malloc-%zu", size);
	scnprintf(xname, sizeof(malloc_cache_names[1][i]), "malloc-exact-%zu", size);
	malloc_classes[i + 1].exact_name = xname;
	return MALLOC_HARDEN && !slab_tools_active &&
	       !(kmem_cache_flags(SLAB_KMALLOC, name) & SLAB_DEBUG_FLAGS) &&
	       !(kmem_cache_flags(SLAB_KMALLOC, xname) & SLAB_DEBUG_FLAGS);
}

/* Class @idx's caches, classes_lock held; published with release stores, the state last. */
static void class_make_locked(unsigned int idx)
{
	struct malloc_class *c = &malloc_classes[idx];
	unsigned int i = idx - 1;
	size_t size = c->size;
	bool tagged = class_name_tagged(i);
	char *name = malloc_cache_names[0][i], *xname = malloc_cache_names[1][i];
	if (tagged) {
		struct kmem_cache *s = malloc_cache_create(name, size, true, false);
		struct kmem_cache *x = s;

		/* The classes of common exact sizes get an exact cache (later). */
		if (size > 1024 && !is_power_of_2(size))
			c->exact_state = 3;
		else if (idx == NR_MALLOC_CLASSES && s)
			x = malloc_cache_create(xname, size, true, true);
		if (s && x) {
			if (x != s) {
				__atomic_store_n(&c->exact, x, __ATOMIC_RELEASE);
				c->exact_state = 2;
			}
			__atomic_store_n(&c->slack, s, __ATOMIC_RELEASE);
			link_exact_to_next(idx);
			link_exact_to_next(idx - 1);
			__atomic_store_n(&c->state, CLASS_MADE, __ATOMIC_RELEASE);
			return;
		}
		/* The slack cache exists but the last class's exact one does not: plain. */
		c->exact_state = 0;
	}
	if (MALLOC_HARDEN && !slab_tools_active) {
		c->plain = malloc_debug_cache_create(name, size, malloc_stack_capacity(size));
		if (c->plain)
			kmem_cache_store_min_partial(c->plain, (c->plain->flags & SLAB_DEBUG_FLAGS) ?
						     MALLOC_DEBUG_MIN_PARTIAL : MALLOC_MIN_PARTIAL);
	} else {
		/* malloc_cache_create() sets its min_partial itself. */
		c->plain = malloc_cache_create(name, size, false, false);
	}
	if (!MALLOC_HARDEN && c->plain) {
		__atomic_store_n(&c->exact, c->plain, __ATOMIC_RELEASE);
		__atomic_store_n(&c->slack, c->plain, __ATOMIC_RELEASE);
	}
	/* A class that could not be made stays so: kmalloc serves it. */
	__atomic_store_n(&c->state, c->plain ? CLASS_MADE : CLASS_FAILED, __ATOMIC_RELEASE);
}

/*
 * Makes class @idx's caches on its first use, if this caller may
 * (classes_trylock); true once the class is made or known unmakeable
 * (then kmalloc serves it), false if it is not yet and the caller must
 * make do (kmalloc) this time.  A program touches a dozen of the 44
 * classes: made at once, the rest cost every process about 130,000
 * instructions and 20 page faults at its start (docs/bench.md).
 */
bool malloc_class_make(unsigned int idx, gfp_t gfp)
{
	struct malloc_class *c = &malloc_classes[idx];

	if (!idx || __atomic_load_n(&c->state, __ATOMIC_ACQUIRE) != CLASS_NOT_MADE)
		return true;
	if (!classes_trylock(gfp))
		return false;
	if (c->state == CLASS_NOT_MADE)
		class_make_locked(idx);
	classes_unlock();
	return true;
}

/*
 * Once, right after the boot, by the first thread to get here: the keys
 * and the size table.  The caches themselves are made as each class is
 * first used (malloc_class_make); until then, and for a class that could
 * not be made, kmalloc serves, which is always there.  Others, and a
 * recursive call from inside kmem_cache_create, do not wait.
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
	for (i = 0; i < NR_MALLOC_CLASSES; i++)
		malloc_classes[i + 1].size = (unsigned int)class_size(i);
	/*
	 * The front end's slab_debug checks (malloc_debug_mode) are on as
	 * soon as one class will be watched, whichever is made first: large
	 * blocks get them too.
	 */
	if (MALLOC_HARDEN && (slab_tools_active || (slub_debug_global_flags() & SLAB_DEBUG_FLAGS) ||
			      slub_debug_names_caches()))
		for (i = 0; i < NR_MALLOC_CLASSES; i++)
			if (!class_name_tagged(i))
				WRITE_ONCE(malloc_debug_mode, true);
	/*
	 * Sizes are published last: a non-zero entry names a class whose
	 * size is stored.  Entry j covers sizes 16j-15 .. 16j (entry 0,
	 * size 0, stays 0: malloc(0) is no class's).
	 */
	for (i = 0, j = 1; i < NR_MALLOC_CLASSES; i++)
		for (; j < ARRAY_SIZE(class_of_size) && 16 * j <= class_size(i); j++)
			__atomic_store_n(&class_of_size[j], (u8)(i + 1), __ATOMIC_RELEASE);
	__atomic_store_n(&state, 2, __ATOMIC_RELEASE);
}
