/* SPDX-License-Identifier: MIT */
/*
 * malloc/debug.c - the malloc front end under slab_debug (slub_debug=FZPU
 * and the rest): what it adds to the kernel's per-object checks so that
 * they catch what the default hardening does not.
 *
 * A class that slab_debug watches is served by one cache without
 * constructor (malloc-N, no free tags: poison takes their place), from
 * the slow path, where every allocation and free runs the kernel's
 * alloc/free debug processing (red zones, poison, owner tracks, the
 * freelist).  On top of that:
 *
 *   red zones     32 bytes wide on both sides: the objects are made 32
 *                 bytes longer than the class, and the size asked for is
 *                 recorded (SLAB_KMALLOC's orig_size), so the kmalloc red
 *                 zone runs from the end of the request to 32 bytes past
 *                 the class; the caches are 32-byte aligned, which makes
 *                 the left red zone 32 bytes (the kernel pads it to the
 *                 alignment).  A 1- or 32-byte overflow or underflow lands
 *                 in a red zone.
 *   recent block  the slab of the last block this thread allocated is
 *                 validated (validate_slab: red zones of the allocated
 *                 objects, poison of the free ones) at every malloc and
 *                 free of the thread, so an overflow is caught even if the
 *                 block is never freed: a buffer is usually filled, and
 *                 overrun, right after it is allocated.  The same for the
 *                 canaries of the last large block, in a program that has
 *                 no second thread (another thread could be reusing it).
 *   emptied slabs stay on their node (min_partial 64), so that a write
 *                 into an object freed with its slab's last is found by the
 *                 poison check when the object is handed out again.
 *   parking       as without slab_debug: the last block a thread freed is
 *                 held back until its next free, marked with its free tag;
 *                 its red zones are checked as it is freed (an overflow
 *                 then free, and the program's end, must not wait for the
 *                 next free), slab_debug's free processing (poison, owner)
 *                 runs when it leaves.
 *
 * What it costs is slab_debug's business: these checks run on the slow
 * paths that slab_debug takes anyway (docs/malloc.md has the figures;
 * validate_slab() needs no lock beyond the node's).
 */
#include <sys/single_threaded.h>

#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/kfence.h>
#include <linux/spinlock.h>
#include "malloc/malloc_internal.h"
#include "mm/slab.h"
#include "kernel/locking.h"

bool malloc_debug_mode;

static __thread void *recent_small __attribute__((tls_model("initial-exec")));
static __thread void *recent_large __attribute__((tls_model("initial-exec")));

/* The debug cache of a class: wider, aligned, with the requested size kept. */
struct kmem_cache *malloc_debug_cache_create(const char *name, size_t size,
					     unsigned int sheaf_capacity)
{
	slab_flags_t flags = kmem_cache_flags(SLAB_KMALLOC, name);
	struct kmem_cache_args args = { .align = MALLOC_DEBUG_REDZONE };
	struct kmem_cache *s;

	WRITE_ONCE(malloc_debug_mode, true);
	if (flags & SLAB_RED_ZONE)
		size += MALLOC_DEBUG_REDZONE;
	/* As malloc_cache_create(): unmerged, its stacks sized after creation (if it has any). */
	s = kmem_cache_create(name, (unsigned int)size, &args, SLAB_KMALLOC | SLAB_NO_MERGE);
	if (s)
		kmem_cache_store_sheaf_capacity(s, sheaf_capacity);
	return s;
}

/* The bytes the program may use of a block of an untagged cache. */
size_t malloc_debug_size(const struct kmem_cache *s, const void *p)
{
	return slub_debug_orig_size(s) ? get_orig_size(s, p) : s->object_size;
}

/* Validate the slab of @p if it still is a slab of a debug cache. */
static void validate_slab_of(const void *p)
{
	struct page *page = compound_head(virt_to_page(p));
	struct kmem_cache_node *n;
	struct kmem_cache *s;
	struct slab *slab;

	if (!PageSlab(page))
		return;
	slab = page_slab(page);
	s = READ_ONCE(slab->slab_cache);
	if (!s || !(s->flags & SLAB_DEBUG_FLAGS))
		return;
	n = get_node(s, slab_nid(slab));
	/*
	 * Not taken where this thread holds it already (a handler of the
	 * program's interrupted the slab code): the check waits for the
	 * next call.
	 */
	if (!spin_lock_or_try(&n->list_lock))
		return;
	/*
	 * Rechecked under the lock: a slab leaves its node's lists under it,
	 * but is freed after it is dropped (frozen meanwhile: another thread
	 * emptied it), and that slab is no longer the node's to read.
	 */
	if (PageSlab(page) && slab->slab_cache == s && !slab->frozen)
		validate_slab(s, slab);
	spin_unlock(&n->list_lock);
}

void malloc_debug_check_recent(const char *fn)
{
	long before = slab_thread_errors();
	void *p = recent_small;
	size_t size;

	if (p) {
		validate_slab_of(p);
		if (slab_thread_errors() != before) {
			recent_small = NULL;
			malloc_error(MERR_DEBUG, fn, p, 0, 0);
		}
	}
	p = recent_large;
	if (p && __libc_single_threaded) {
		struct page *page = virt_to_page(p);
		int err;

		if (!(READ_ONCE(page->flags) & MALLOC_LARGE_FLAG))
			return;
		err = large_check(page, p, fn, &size);
		if (err && err != MERR_INVALID && err != MERR_DOUBLE_FREE) {
			recent_large = NULL;
			malloc_error_report(err, fn, p, 0, 0);
		}
	}
}

bool malloc_debug_verdict(long before, const char *fn, const void *p)
{
	if (slab_thread_errors() == before)
		return false;
	malloc_error(MERR_DEBUG, fn, p, 0, 0);
	return true;
}

bool malloc_debug_check_block(void *p, struct slab *slab, const char *fn)
{
	struct kmem_cache *s = READ_ONCE(slab->slab_cache);
	long before = slab_thread_errors();

	if (!s || !(s->flags & SLAB_RED_ZONE))
		return false;
	check_allocated_object(s, slab, p);
	return malloc_debug_verdict(before, fn, p);
}

void malloc_debug_note(void *p, bool large)
{
	/* A KFENCE object has no slab to validate: its page checks itself. */
	if (is_kfence_address(p))
		return;
	if (large)
		recent_large = p;
	else
		recent_small = p;
}
