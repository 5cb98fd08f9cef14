/* SPDX-License-Identifier: MIT */
/*
 * malloc/malloc.c - the malloc front end: every allocation symbol glibc
 * exports, on top of the slab caches and the buddy allocator.
 *
 * Routing, by size:
 *   n == 0                                a unique address that faults on
 *                                         access (malloc/harden.c);
 *   n <= KMALLOC_MAX_CACHE_SIZE (8 KiB)   slab caches through the per-CPU
 *                                         fast path: four classes per
 *                                         power of two (16-byte steps up
 *                                         to 128, eight per power above
 *                                         1 KiB), which waste at most 20%
 *                                         (11% above 1 KiB) where
 *                                         kmalloc's own classes waste up
 *                                         to 50%.  Each class has two
 *                                         caches: malloc-N for the sizes
 *                                         below N, whose slack is a
 *                                         canary, and malloc-exact-N for
 *                                         N itself;
 *   n <= mmap threshold (4 MiB)           a block of 2^order pages from the
 *                                         buddy allocator ending in a guard
 *                                         page (malloc/large.c);
 *   above                                 straight to the host (mmap), as
 *                                         glibc does above its threshold.
 * Alignment requests use the power-of-two classes, whose objects are
 * naturally aligned, and the buddy allocator's natural alignment of
 * blocks.
 *
 * Hardening (malloc/harden.c has the design): every pointer given back is
 * classified by address before anything is read through it; the first
 * word of a free slab block is its free tag, checked by free() (double
 * free) and by malloc() (a write after free); the slack of a block is a
 * canary checked by free(); the block a thread freed last is parked, out
 * of circulation, until its next free, and checked by each malloc(); a
 * corrupt heap stops the program.  errno follows POSIX (ENOMEM, EINVAL);
 * free() preserves it.
 *
 * Fork: the atfork handlers take every allocator lock before fork() and
 * release them in both processes (kernel/fork.c), so a child can allocate
 * even if another thread held a lock at the moment of the fork.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/log2.h>
#include <linux/kfence.h>
#include <linux/kmemleak.h>
#include <ukmem/boot.h>
#include <ukmem/context.h>
#include <ukmem/report.h>
#include "arch/host.h"
#include "malloc/malloc_internal.h"
#include "mm/internal.h"
#include "mm/kfence.h"
#include "mm/slab.h"
#include "kernel/locking.h"

/*
 * KFENCE samples a preloaded program without a timer thread (mm/kfence.c):
 * the library adds no thread to the programs it is preloaded into.
 */
bool kfence_no_timer_thread = true;

#define UKMEM_EXPORT	__attribute__((visibility("default")))

/*
 * Allocations made for a program may fail but never sleep for long; in
 * interrupt context or under a lock of the allocator (malloc_nest_enter())
 * they never sleep at all.
 */
#define MALLOC_GFP_WAIT	(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY)
#define MALLOC_GFP	(likely(!preempt_count()) ? MALLOC_GFP_WAIT : (GFP_ATOMIC | __GFP_NOWARN))
#define MIN_SIZE	16

size_t mmap_threshold = KMALLOC_MAX_SIZE;
int perturb_byte;
int malloc_slow_always;

void malloc_slow_always_update(void)
{
	malloc_slow_always = perturb_byte | init_on_alloc | init_on_free | kmemleak_enabled;
	/*
	 * free()'s fast path checks only the linear map's bound: 0 sends
	 * every free to the slow path, as the slab allocator's free hooks
	 * do (slab_harden_init()).  Not before the boot: it sets the bound,
	 * and malloc_caches_init() comes back here after it.
	 */
	if (ukmem_booted())
		WRITE_ONCE(slab_fast.ram_pfns,
			   malloc_slow_always || slab_free_hooks_active ? 0 : ukmem_ram_pfns);
}

struct malloc_stats_counters ukmem_malloc_stats;

/*
 * The machine a program's heap runs on (init/main.c appends UKMEM_CMDLINE
 * or `ukmem run --cmdline`, which override it).  The kernel sizes its
 * watermarks for a machine's RAM (min_free_kbytes ~ sqrt(RAM), 0.1% of a
 * zone between watermarks) and lets each CPU's page lists hold up to
 * low watermark / CPUs pages: 18 MB per CPU on a 24 GiB host.  In the
 * kernel that memory is free; in a process it is RSS that the program
 * does not use.  The smallest watermarks the kernel's sysctls accept bring
 * the lists down to their floor of 4 * batch pages (1 MiB per CPU).  Free
 * blocks of 128 KiB and more that stay free for 50 ms (the kernel waits
 * 2 s) go back to the host once a zone keeps 8 MiB of backed free memory:
 * a compiler-like program that drops its heap between phases peaks 10%
 * lower, at 3% more time over the benchmark set.  kswapd=off: a preloaded
 * malloc must not add a thread to the program (unshare(), fork and signal
 * delivery depend on the thread count); allocations reclaim for
 * themselves (mm/vmscan.c).
 */
const char ukmem_builtin_cmdline[] = "min_free_kbytes=128 watermark_scale_factor=1 "
				    "page_reporting.page_reporting_order=5 page_reporting.delay_ms=50 "
				    "kswapd=off";

/* The unwinder is loaded on the first stack trace, not at boot (arch/host.c). */
const bool ukmem_lazy_unwinder = true;

static inline bool cache_tagged(const struct kmem_cache *s)
{
	return MALLOC_HARDEN && s->ctor == malloc_ctor;
}

/*
 * A call of the front end's slow paths made while this thread is inside
 * an atomic section of the allocator: a signal handler the program
 * installed itself (sigaction, not ukmem_sigaction) interrupted the
 * thread while it held an allocator lock, or kernel-API code holding a
 * spinlock calls malloc.  It runs as interrupt context, as a
 * ukmem_sigaction() handler does: locks that have a way around them are
 * only tried (a free is parked for the holder, an allocation that needs
 * a busy one fails with ENOMEM), nothing sleeps, and a lock with no way
 * around it reports "spinlock recursion" (kernel/locking.c) instead of
 * waiting for ever.  POSIX does not allow malloc in a handler; glibc
 * aborts or deadlocks there.
 */
struct malloc_nest {
	bool entered;
	struct pcpu_irq_state pcpu;
};

static __always_inline void malloc_nest_enter(struct malloc_nest *n)
{
	n->entered = unlikely(preempt_count()) && !in_interrupt();
	if (unlikely(n->entered)) {
		pcpu_irq_save(&n->pcpu);
		ukmem_irq_enter();
	}
}

static __always_inline void malloc_nest_exit(const struct malloc_nest *n)
{
	if (unlikely(n->entered)) {
		pcpu_irq_restore(&n->pcpu);
		ukmem_irq_exit();
	}
}

/* ---- classification ---- */

static inline bool in_linear_map(const void *p)
{
	return (unsigned long)p - PAGE_OFFSET < (unsigned long)ukmem_ram_size;
}

/*
 * The machine is not up, or it is booting on this very thread, or this
 * thread is loading the unwinder for a stack trace (arch_unwinder_load():
 * perhaps from a report made with allocator locks held).  Then the
 * bootstrap arena serves.
 */
/*
 * ThreadSanitizer's runtime in the program: with gcc's libtsan.so, a
 * preloaded front end comes before TSan's malloc, and its first call
 * comes from TSan's own start (dlsym), before TSan's interceptors work:
 * the boot's setjmp() jumped to address 0, a silent SIGSEGV.  TSan must
 * own malloc to see the program's races anyway, so the front end stops
 * with a line that says so (docs/sanitizers.md).  Under clang's TSan,
 * linked into the program, the front end is never called.
 */
extern void __tsan_init(void) __attribute__((weak));

static noinline bool malloc_not_ready(void)
{
	if (__tsan_init) {
		static const char msg[] = "ukmem: the malloc front end cannot run under "
			"ThreadSanitizer, which must own malloc: run the program without "
			"LD_PRELOAD of libukmem-malloc.so\n";

		arch_write(2, msg, sizeof(msg) - 1);
		arch_exit_now(127);	/* abort() is TSan's, not ready yet: a SIGSEGV */
	}
	ukmem_boot_slow();
	return !ukmem_booted() || arch_unwinder_loading_here;
}

#define READY()	(likely(system_state == SYSTEM_RUNNING && !arch_unwinder_loading) || \
		 !malloc_not_ready())

enum block_kind {
	MB_TAGGED,	/* a block of a malloc cache: free tag, maybe a slack canary */
	MB_PLAIN,	/* another slab object (kmalloc, slab_debug, no hardening) */
	MB_LARGE,	/* malloc/large.c */
	MB_ZERO,	/* malloc(0): @backing is its 1-byte block */
	MB_BOOT,	/* the bootstrap arena: never freed */
	MB_HOST,	/* malloc/host.c */
	MB_LOADER,	/* ld.so's own: left alone */
	MB_KFENCE,	/* a KFENCE object (mm/kfence.c): its own page, its own checks */
};

/* What a pointer given back to the front end is. */
struct mblock {
	enum block_kind kind;
	struct page *page;	/* its slab's head page, or a large block's data page */
	struct slab *slab;
	struct kmem_cache *s;
	size_t size;		/* the bytes the program may use */
	void *backing;		/* MB_ZERO */
};

/*
 * A slab object's error: the kernel's report of it (the object, its
 * owners, the stack), then the front end's line.
 */
static noinline void slab_error(enum malloc_error err, const char *fn, struct kmem_cache *s,
				struct slab *slab, const void *p)
{
	switch (err) {
	case MERR_INVALID:
		report_invalid_free(s, slab, p);
		break;
	case MERR_DOUBLE_FREE:
		report_double_free(s, slab, p);
		break;
	case MERR_OVERFLOW:
		object_err(s, slab, p, "kmalloc Redzone overwritten");
		break;
	default:
		object_err(s, slab, p, "Object free tag overwritten");
		break;
	}
	malloc_error(err, fn, p, 0, 0);
}

/*
 * A pointer into the KFENCE pool: its metadata says whether it is a live
 * object's start before anything is read through it (a freed object's
 * page is inaccessible).  KFENCE reports an invalid or double free in its
 * own words, then the front end's line follows.
 */
static noinline int kfence_lookup(const void *p, const char *fn, struct mblock *b)
{
	struct kmem_cache *s = kfence_object_cache(p);

	if (!s || kfence_object_start(p) != p) {
		bool freed = kfence_object_start(p) == p;

		__kfence_free((void *)p);	/* validates, reports, frees nothing */
		malloc_error(freed ? MERR_DOUBLE_FREE : MERR_INVALID, fn, p, 0, 0);
		return -1;
	}
	b->kind = MB_KFENCE;
	b->s = s;
	b->size = kfence_ksize(p);
	if (cache_tagged(s) && (s->flags & SLAB_KMALLOC)) {
		b->size = malloc_slack_size(p, s->object_size);
		if (b->size == (size_t)-1) {
			malloc_error_report(MERR_OVERFLOW, fn, p, 0, 0);
			return -1;
		}
	}
	return 0;
}

/*
 * Find out what @p is, reading nothing through it until its address has
 * shown it to be ours.  0, or the error was reported (and the program
 * goes on only under malloc.abort_on_corruption=0): -1.
 */
static int block_lookup(const void *p, const char *fn, struct mblock *b)
{
	/* In the linear map, but no slab page: KFENCE's metadata decides. */
	if (is_kfence_address(p))
		return kfence_lookup(p, fn, b);
	if (in_linear_map(p)) {
		struct page *page = virt_to_page(p), *head = compound_head(page);

		if (PageSlab(head)) {
			struct slab *slab = page_slab(head);
			struct kmem_cache *s = slab->slab_cache;

			b->page = head;
			b->slab = slab;
			b->s = s;
			if (!slab_valid_pointer(s, slab, p)) {
				slab_error(MERR_INVALID, fn, s, slab, p);
				return -1;
			}
			if (!cache_tagged(s)) {
				b->kind = MB_PLAIN;
				b->size = MALLOC_HARDEN ? malloc_debug_size(s, p) : s->object_size;
				/*
				 * Parked (slab_debug checks it only when it leaves).
				 * A block under a word is never parked with a tag
				 * (block_release), and its allocation does not clear
				 * one (that would write into kmalloc's red zone): a
				 * tag there is left from the slot's last owner, which
				 * no poison or red zone overwrote (slab_debug=U, F).
				 */
				if (MALLOC_HARDEN && b->size >= sizeof(unsigned long) &&
				    *(const unsigned long *)p == malloc_free_tag(p)) {
					slab_error(MERR_DOUBLE_FREE, fn, s, slab, p);
					return -1;
				}
				return 0;
			}
			b->kind = MB_TAGGED;
			if (*(const unsigned long *)p == malloc_free_tag(p)) {
				slab_error(MERR_DOUBLE_FREE, fn, s, slab, p);
				return -1;
			}
			b->size = s->object_size;
			if (s->flags & SLAB_KMALLOC)
				b->size = malloc_slack_size(p, s->object_size);
			if (b->size == (size_t)-1) {
				slab_error(MERR_OVERFLOW, fn, s, slab, p);
				return -1;
			}
			return 0;
		}
		if (READ_ONCE(page->flags) & MALLOC_LARGE_FLAG) {
			int err = large_check(page, p, fn, &b->size);

			if (!err && MALLOC_HARDEN &&
			    *(const unsigned long *)p == malloc_free_tag(p))
				err = MERR_DOUBLE_FREE;	/* parked: freed last by some thread */
			if (err) {
				malloc_error_report(err, fn, p, 0, 0);
				return -1;
			}
			b->kind = MB_LARGE;
			b->page = page;
			return 0;
		}
		/*
		 * Neither: a wild pointer, or a host block that the host
		 * placed in a hole the balloon left in the linear map
		 * (mm/balloon.c), which the host's set knows.
		 */
	}
	if (MALLOC_HARDEN && is_zero_block(p)) {
		b->backing = malloc_zero_backing(p);
		if (block_lookup(b->backing, fn, b))
			return -1;
		b->kind = MB_ZERO;
		b->size = 0;
		return 0;
	} else if (in_boot_arena(p)) {
		b->kind = MB_BOOT;
		b->size = boot_arena_size(p);
		return 0;
	} else if (host_owns(p)) {
		b->kind = MB_HOST;
		b->size = host_usable_size(p);
		return 0;
	} else if (malloc_from_loader(p)) {
		b->kind = MB_LOADER;
		b->size = PAGE_SIZE - ((unsigned long)p & ~PAGE_MASK);
		return 0;
	}
	malloc_error_report(host_freed_kept(p) ? MERR_DOUBLE_FREE : MERR_INVALID, fn, p, 0, 0);
	return -1;
}

/* ---- the parked block: the last block this thread freed ---- */

/*
 * A freed block goes back to the allocator at this thread's next free,
 * not at once: a block is never handed straight back to the code that
 * just freed it (a stale pointer then aliases a new block less often), and
 * each malloc checks the parked block's free tag, which a write after the
 * free destroyed.  A large block is parked with bit 0 set; a slab block
 * with its slab, so that giving it back needs no lookup.  Thread exit
 * gives the block back (a thread-specific key's destructor).  As with
 * glibc, free() in a signal handler that interrupted a free() of the same
 * thread is not supported (here a block could be given back twice).
 */
struct parked {
	unsigned long p;
	struct slab *slab;
};
static __thread struct parked malloc_parked __attribute__((tls_model("initial-exec")));

/*
 * Bit 0 of a parked pointer: a large block, bit 2: sealed (its pages
 * fault: slab_debug); bit 1: a block of an untagged cache.
 */
#define PARKED_LARGE	1UL
#define PARKED_PLAIN	2UL
#define PARKED_SEALED	4UL
#define PARKED_BITS	7UL
static pthread_key_t park_key;
static bool park_key_made;

static void parked_written(unsigned long p, const char *fn);

/* A large block leaves its parking: written since it was freed? */
static noinline void release_large(unsigned long p)
{
	void *d = (void *)(p & ~PARKED_BITS);

	if (p & PARKED_SEALED) {
		large_unseal(virt_to_page(d), d);
	} else {
		if (*(unsigned long *)d != malloc_free_tag(d))
			parked_written(p, "free");
		*(unsigned long *)d = 0;
	}
	large_free(virt_to_page(d), d);
}

/* A slab block of an untagged cache (slab_debug): slab_debug checks it now. */
static noinline void release_plain(unsigned long p, struct slab *slab)
{
	long before = slab_thread_errors();

	slab_free_obj(slab->slab_cache, slab, (void *)p, _RET_IP_);
	malloc_debug_verdict(before, "free", (void *)p);
}

static noinline void release_written(struct parked old)
{
	parked_written(old.p, "free");
	slab_free_checked(old.slab->slab_cache, old.slab, (void *)old.p);
}


static noinline void release_special(struct parked old)
{
	if (old.p & PARKED_LARGE)
		return release_large(old.p);
	return release_plain(old.p & ~PARKED_PLAIN, old.slab);
}

static __always_inline void release_parked(struct parked old)
{
	if (unlikely(old.p & (PARKED_LARGE | PARKED_PLAIN)))
		return release_special(old);
	/* Written since it was freed? */
	if (unlikely(*(unsigned long *)old.p != malloc_free_tag((void *)old.p)))
		return release_written(old);
	slab_free_checked(old.slab->slab_cache, old.slab, (void *)old.p);
}

static struct parked park_take(void)
{
	struct parked old = malloc_parked;

	malloc_parked.p = 0;
	return old;
}

/*
 * Where this thread stands with parking.  glibc frees after the
 * thread-specific destructors have run (__libc_thread_freeres: the
 * buffers of strerror() and strsignal() for unknown numbers, the
 * resolver's state), and a block parked then would never be given back:
 * the next thread on that stack starts with fresh TLS.  Nothing tells a
 * free that it runs that late, so a thread's first free is not parked
 * (it arms the destructor and goes back at once), and a free after the
 * destructor is never parked.  The main thread parks from its first free:
 * it leaves with exit(), which runs no thread-specific destructor.
 */
enum { PARK_FRESH, PARK_ARMED, PARK_DONE };
static __thread unsigned char park_state __attribute__((tls_model("initial-exec")));
static pthread_t park_main_thread;

static void park_thread_exit(void *unused)
{
	struct parked old = park_take();

	park_state = PARK_DONE;
	if (old.p)
		release_parked(old);
}

/*
 * A block was parked with none before it: the thread's first free, the
 * first after malloc_trim(), or one after the thread's destructor.
 */
static noinline void park_first(void)
{
	struct parked old;

	if (park_state == PARK_ARMED)
		return;
	if (park_state == PARK_FRESH && park_key_made) {
		park_state = PARK_ARMED;
		pthread_setspecific(park_key, (void *)1);
		if (pthread_equal(pthread_self(), park_main_thread))
			return;
	}
	old = park_take();
	release_parked(old);
}

/* Park @p (of @slab, or NULL for a large block: @p has bit 0 set). */
static __always_inline void park(void *p, struct slab *slab)
{
	struct parked old = malloc_parked;

	malloc_parked.p = (unsigned long)p;
	malloc_parked.slab = slab;
	if (likely(old.p))
		return release_parked(old);
	park_first();
}

/* A write after free into the parked block: report, then make its tag whole again. */
static noinline void parked_written(unsigned long p, const char *fn)
{
	void *d = (void *)(p & ~PARKED_BITS);

	if (!(p & 1)) {
		struct slab *slab = virt_to_slab(d);

		slab_error(MERR_FREED_WRITTEN, fn, slab->slab_cache, slab, d);
	} else {
		malloc_error_report(MERR_FREED_WRITTEN, fn, d, 0, 0);
	}
	*(unsigned long *)d = malloc_free_tag(d);
}

/* ---- the allocation core ---- */

/* The parked block still carries its free tag? */
static __always_inline void check_parked(void)
{
	unsigned long parked = malloc_parked.p;

	if (MALLOC_HARDEN && unlikely(parked) && !(parked & PARKED_SEALED) &&
	    unlikely(*(unsigned long *)(parked & ~PARKED_BITS) !=
		     malloc_free_tag((void *)(parked & ~PARKED_BITS))))
		parked_written(parked, "malloc");
}

/*
 * The block handed out was written while free, or the parked block was:
 * report, repair, and hand the block out as hand_out() does.
 */
static noinline void *hand_out_slow(void *p, size_t size, size_t csize)
{
	if (*(unsigned long *)p != malloc_free_tag(p)) {
		struct slab *slab = virt_to_slab(p);

		slab_error(MERR_FREED_WRITTEN, "malloc", slab->slab_cache, slab, p);
	}
	*(unsigned long *)p = 0;
	check_parked();
	malloc_slack_set(p, csize, size);
	return p;
}

/*
 * A block of a tagged cache leaves: its free tag must be there (else it
 * was written after its free); the tag is cleared and the slack gets its
 * canary.  (The parked block's tag is checked when it leaves the parking,
 * and by every allocation that takes a slow path.)
 */
static __always_inline void *hand_out(void *p, size_t size, size_t csize)
{
	if (unlikely(*(unsigned long *)p != malloc_free_tag(p)))
		return hand_out_slow(p, size, csize);
	*(unsigned long *)p = 0;
	malloc_slack_set(p, csize, size);
	return p;
}

/*
 * The cache for a size of exactly class @idx (not the last) that has no
 * exact cache yet: the next class's slack cache, until EXACT_THRESHOLD
 * such blocks make a cache of its own worth it, or at once if @aligned
 * (a power of two asked for with its own alignment: only this class's
 * blocks have it) or if the next class has no slack cache (slab_debug
 * watches that class alone, slub_debug=FZPU,malloc-64, and serves it
 * from a plain cache).  NULL if no cache can serve it now: kmalloc does.
 * A class whose exact size never gets a cache (exact_state 3) is linked
 * to the next class's slack cache as soon as both exist (classes.c).
 */
static noinline struct kmem_cache *exact_cache(unsigned int idx, bool aligned, gfp_t gfp)
{
	struct malloc_class *c = &malloc_classes[idx];
	struct kmem_cache *next = NULL, *x;

	if (!aligned && idx < NR_MALLOC_CLASSES && malloc_class_make(idx + 1, gfp))
		next = READ_ONCE(malloc_classes[idx + 1].slack);
	if (next && READ_ONCE(c->exact_state) != 3 &&
	    __atomic_add_fetch(&c->exact_count, 1, __ATOMIC_RELAXED) < EXACT_THRESHOLD)
		return next;
	if (READ_ONCE(c->exact_state) || !classes_trylock(gfp))
		return READ_ONCE(c->exact) ?: next;
	if (!c->exact_state) {
		x = malloc_cache_create(c->exact_name, c->size, true, true);
		if (x) {
			__atomic_store_n(&c->exact, x, __ATOMIC_RELEASE);
			__atomic_store_n(&c->exact_state, 2, __ATOMIC_RELEASE);
		} else {
			__atomic_store_n(&c->exact_state, 3, __ATOMIC_RELEASE);	/* no more tries */
		}
	}
	classes_unlock();
	return READ_ONCE(c->exact) ?: next;
}

/*
 * A block from kmalloc, for a size no malloc cache serves now (a plain
 * block to free(); @want a power of two if @align is above MIN_ALIGN:
 * kmalloc's caches align those naturally).  Not while this very thread
 * holds slab_mutex: a signal handler that interrupted the making of a
 * cache, the first of which finishes the slab allocator's late setup
 * under that mutex, which kmalloc would then take again.  The bootstrap
 * arena serves that allocation.
 */
static void *kmalloc_plain_block(size_t size, size_t want, size_t align, gfp_t gfp)
{
	size_t alloc = want < MIN_SIZE ? MIN_SIZE : want;
	struct kmem_cache *s;
	void *p;

	if (unlikely(mutex_held_by_current(&slab_mutex)))
		return boot_arena_alloc(want, align);
	if (alloc > KMALLOC_MAX_CACHE_SIZE) {
		p = kmalloc(alloc, gfp);
		if (MALLOC_HARDEN && p)
			*(unsigned long *)p = 0;	/* no stale free tag */
		return p;
	}
	/*
	 * @want's cache, with @size recorded where slab_debug keeps it: its
	 * kmalloc red zone then starts at the end of the request, not of the
	 * class (memalign(64, 8) under slub_debug=FZPU: an overflow into the
	 * rounding is seen, malloc_usable_size() says 8).
	 */
	s = kmalloc_slab(alloc, gfp);
	p = __kmalloc_cache(s, gfp, size ? size : 1);
	/* No stale free tag, but never over the red zone of a recorded size under a word. */
	if (MALLOC_HARDEN && p && (size >= sizeof(unsigned long) ||
				   (!is_kfence_address(p) &&
				    malloc_debug_size(s, p) >= sizeof(unsigned long))))
		*(unsigned long *)p = 0;
	return p;
}

/*
 * @size bytes from the class of @want (a class size, or a power of two
 * for an aligned block), zeroed with __GFP_ZERO.
 */
static void *small_alloc(size_t size, size_t want, size_t align, gfp_t gfp)
{
	unsigned int idx = class_of_size[CLASS_INDEX(want)];
	const struct malloc_class *c = &malloc_classes[idx];
	struct kmem_cache *s;
	void *p;

	/* The class's first use makes its caches; one that cannot be made now: kmalloc's. */
	if (unlikely(!malloc_class_make(idx, gfp)))
		return kmalloc_plain_block(size, want, align, gfp);
	s = READ_ONCE(c->slack);
	if (idx && MALLOC_HARDEN && s) {
		if (size == c->size)
			s = READ_ONCE(c->exact) ?: exact_cache(idx, align > MIN_ALIGN, gfp);
		if (!s)	/* an exact size whose cache is being made or cannot be: kmalloc's */
			return kmalloc_plain_block(size, want, align, gfp);
		p = kmem_cache_alloc(s, gfp & ~__GFP_ZERO);
		if (!p)
			return NULL;
		check_parked();
		p = hand_out(p, size, s->object_size);
		if (gfp & __GFP_ZERO)
			memset(p, 0, size);
		return p;
	}
	if (idx && c->plain) {
		long before = slab_thread_errors();

		/* The requested size: slab_debug red-zones the rest of the object. */
		p = __kmalloc_cache(c->plain, gfp, size ? size : 1);
		if (MALLOC_HARDEN) {
			malloc_debug_verdict(before, "malloc", p);
			/*
			 * No stale free tag: the first word is the block's
			 * unless the size is recorded (slab_debug's U) and
			 * under a word, when the rest is kmalloc's red zone
			 * (or KFENCE's canary: a KFENCE object has no record).
			 */
			if (p && (size >= sizeof(unsigned long) ||
				  (!is_kfence_address(p) &&
				   malloc_debug_size(c->plain, p) >= sizeof(unsigned long))))
				*(unsigned long *)p = 0;
			check_parked();
			malloc_debug_check_recent("malloc");
			if (p)
				malloc_debug_note(p, false);
		}
		return p;
	}
	return kmalloc_plain_block(size, want, align, gfp);
}

static void *alloc_aligned(size_t size, size_t align, gfp_t gfp);

/* malloc(0) and its aligned forms: the mirror of a 1-byte block. */
static noinline void *zero_alloc(size_t align, gfp_t gfp)
{
	void *b = alloc_aligned(1, align, gfp & ~__GFP_ZERO), *z;

	if (!b || in_boot_arena(b) || !in_linear_map(b))
		return b;
	z = malloc_zero_make(b);
	/* kmemleak: the program holds the mirror, never the backing block. */
	if (z && unlikely(kmemleak_enabled))
		kmemleak_ignore(b);
	return z ? z : b;
}

/*
 * init_on_alloc=1 and init_on_free=1: no block may show an earlier one's
 * bytes.  The malloc caches have a constructor (the free tag), so SLUB's
 * own init_on_* leaves their objects alone (slab_want_init_on_alloc(),
 * as in the kernel), a cached large block never goes back through the
 * page allocator's hooks, and a block's slack (its canary, the free
 * pointer) was never the program's: the front end zeroes what it hands
 * out under either option, and wipes what is freed under init_on_free.
 */
static inline bool init_wanted(void)
{
	return init_on_alloc | init_on_free;
}

/* @gfp with __GFP_ZERO where init_on_* asks for it (M_PERTURB's fill wins, as in malloc). */
static inline gfp_t init_gfp(gfp_t gfp)
{
	return unlikely(init_wanted()) && !perturb_byte ? gfp | __GFP_ZERO : gfp;
}

static inline void *do_malloc(size_t size, gfp_t gfp)
{
	void *p;

	if (likely(size <= SMALL_MAX)) {
		if (unlikely(!class_of_size[CLASS_INDEX(size)] || arch_unwinder_loading)) {
			/*
			 * Not up yet, or this very thread holds slab_mutex,
			 * making the caches (a handler of the program's
			 * interrupted it; kmalloc would wait for that mutex
			 * for ever): the bootstrap arena serves.
			 */
			if (!READY() || mutex_held_by_current(&slab_mutex))
				return boot_arena_alloc(size, MIN_ALIGN);
			malloc_caches_init();
		}
		if (MALLOC_HARDEN && !size)
			return zero_alloc(MIN_ALIGN, gfp);
		p = small_alloc(size, size, MIN_ALIGN, gfp);
		if (unlikely(!p))
			errno = ENOMEM;
		else if (unlikely(perturb_byte) && !(gfp & __GFP_ZERO))
			memset(p, perturb_byte ^ 0xff, size);
		else if (unlikely(init_wanted()) && !(gfp & __GFP_ZERO))
			memset(p, 0, size);
		return p;
	}
	return alloc_aligned(size, MIN_ALIGN, gfp);
}

/*
 * Anything larger than the slab classes or aligned beyond 16 bytes.  The
 * power-of-two classes are naturally aligned (a slab is aligned to its
 * size, and their objects have no left red zone unless slab_debug adds
 * one: then kmalloc's naturally aligned caches serve), the buddy
 * allocator aligns a block to its size, and the host path trims a larger
 * reservation.
 */
static noinline void *alloc_aligned(size_t size, size_t align, gfp_t gfp)
{
	size_t want = size;
	void *p;

	if (unlikely(!READY()))
		return boot_arena_alloc(size, align);
	if (MALLOC_HARDEN && !size)
		return zero_alloc(align, gfp);
	gfp = init_gfp(gfp);
	if (align > MIN_ALIGN && want < align)
		want = align;
	if (want <= SMALL_MAX || (align > MIN_ALIGN && want <= KMALLOC_MAX_CACHE_SIZE)) {
		if (align > MIN_ALIGN)
			want = roundup_pow_of_two(want);
		malloc_caches_init();
		/*
		 * The power-of-two class of @want (naturally aligned: a slab is
		 * aligned to its size, and its objects have no left red zone);
		 * where slab_debug watches it, kmalloc's naturally aligned caches.
		 */
		if (align > MIN_ALIGN && MALLOC_HARDEN)
			malloc_class_make(class_of_size[CLASS_INDEX(want)], gfp);
		if (align > MIN_ALIGN && !(MALLOC_HARDEN && READ_ONCE(size_class(want)->slack)))
			p = kmalloc_plain_block(size, want, align, gfp);
		else
			p = small_alloc(size, want, align, gfp);
	} else {
		p = NULL;
		malloc_caches_init();	/* the keys, and whether slab_debug watches */
		if (want <= mmap_threshold || (want <= KMALLOC_MAX_SIZE && align > PAGE_SIZE))
			p = large_alloc(size, align, size, gfp);
		check_parked();
		if (MALLOC_HARDEN && unlikely(malloc_debug_mode)) {
			malloc_debug_check_recent("malloc");
			if (p)
				malloc_debug_note(p, true);
		}
		if (!p)
			p = host_alloc(size, align, gfp & __GFP_ZERO);
		/* Pages and host blocks: kmemleak sees them here (slab blocks in their cache). */
		if (p)
			kmemleak_hook_alloc(p, size);
	}
	if (p && ((unsigned long)p & (align - 1))) {
		/* Cannot happen: the classes and buddy blocks are naturally aligned. */
		WARN_ONCE(1, "malloc: block of %zu not aligned to %zu\n", want, align);
		p = NULL;
	}
	if (unlikely(!p))
		errno = ENOMEM;
	else if (unlikely(perturb_byte) && !(gfp & __GFP_ZERO))
		memset(p, perturb_byte ^ 0xff, size);
	return p;
}

/* ---- freeing ---- */

/* Give back a block block_lookup() vouched for. */
static void block_release(void *p, struct mblock *b, const char *fn)
{
	/* Freed for the program now, though parked: kmemleak forgets it. */
	if (b->kind != MB_LOADER && b->kind != MB_BOOT)
		kmemleak_hook_free(p);
	switch (b->kind) {
	case MB_TAGGED:
		if (unlikely(perturb_byte))
			memset(p, perturb_byte, b->size);
		else if (unlikely(init_on_free))
			memset(p, 0, b->size);
		*(unsigned long *)p = malloc_free_tag(p);
		park(p, b->slab);
		break;
	case MB_PLAIN:
		if (MALLOC_HARDEN) {
			malloc_debug_check_block(p, b->slab, fn);
			malloc_debug_check_recent(fn);
		}
		if (unlikely(perturb_byte))
			memset(p, perturb_byte, b->size);
		/*
		 * Parked too, marked with its free tag (slab_debug's free
		 * checks run when it leaves), unless the tag would cover the
		 * red zone past a block of under a word.
		 */
		if (MALLOC_HARDEN && b->size >= sizeof(unsigned long) &&
		    *(unsigned long *)p != POISON_FREE * 0x0101010101010101UL) {
			*(unsigned long *)p = malloc_free_tag(p);
			park((char *)p + PARKED_PLAIN, b->slab);
			break;
		}
		/* (Poisoned: freed already, most likely; slab_debug's checks decide now.) */
		if (MALLOC_HARDEN)
			return release_plain((unsigned long)p, b->slab);
		slab_free_obj(b->s, b->slab, p, _RET_IP_);
		break;
	case MB_LARGE:
		if (unlikely(perturb_byte))
			memset(p, perturb_byte, b->size);
		else if (unlikely(init_on_free))
			memset(p, 0, b->size);
		if (MALLOC_HARDEN && unlikely(malloc_debug_mode))
			malloc_debug_check_recent(fn);
		if (MALLOC_HARDEN) {
			*(unsigned long *)p = malloc_free_tag(p);
			if (unlikely(malloc_debug_mode) && large_seal(b->page, p))
				park((char *)p + (PARKED_LARGE | PARKED_SEALED), NULL);
			else
				park((char *)p + PARKED_LARGE, NULL);
		} else {
			large_free(b->page, p);
		}
		break;
	case MB_ZERO: {
		struct mblock bb;

		if (!block_lookup(b->backing, fn, &bb))
			block_release(b->backing, &bb, fn);
		break;
	}
	case MB_KFENCE:
		/* Not parked: its page becomes inaccessible, which catches more. */
		if (unlikely(perturb_byte))
			memset(p, perturb_byte, b->size);
		switch (__kfence_free(p)) {
		case -EFAULT:	/* the canary around it: reported by KFENCE */
			malloc_error(MERR_OVERFLOW, fn, p, 0, 0);
			break;
		case -EINVAL:
			malloc_error(MERR_DOUBLE_FREE, fn, p, 0, 0);
			break;
		}
		break;
	case MB_HOST:
		host_free(p);
		break;
	case MB_LOADER:
		atomic_long_inc(&ukmem_malloc_stats.foreign_frees);
		break;
	case MB_BOOT:
		break;
	}
}

static noinline void free_slow(void *ptr)
{
	struct malloc_nest nest;
	struct mblock b;

	if (!ptr)
		return;
	malloc_nest_enter(&nest);
	if (!block_lookup(ptr, "free", &b))
		block_release(ptr, &b, "free");
	malloc_nest_exit(&nest);
}

/* ---- load and exit (malloc/report.c) ---- */

static __attribute__((constructor)) void malloc_load(void)
{
	malloc_keys_init();
	malloc_frontend_init();
	park_main_thread = pthread_self();
	park_key_made = !pthread_key_create(&park_key, park_thread_exit);
}

static __attribute__((destructor)) void malloc_unload(void)
{
	malloc_leaks_exit_report();
	malloc_frontend_exit_report();
}

/* ---- the C API ---- */

/*
 * @p, which @caller (the return address of malloc, calloc or realloc) got:
 * under kmemleak, a block ld.so asked for is never a leak (malloc/leaks.c).
 */
static __always_inline void *loader_blocks_noted(void *p, const void *caller)
{
	if (unlikely(kmemleak_enabled) && caller && p && in_linear_map(p))
		malloc_leaks_loader_block(p, caller);
	return p;
}

static noinline void *malloc_slow(size_t size, const void *caller)
{
	struct malloc_nest nest;
	void *p;

	malloc_nest_enter(&nest);
	p = loader_blocks_noted(do_malloc(size, MALLOC_GFP), caller);
	malloc_nest_exit(&nest);
	return p;
}

/* The fast path's cache, when its stack could not serve inline. */
static noinline void *malloc_from_cache(struct kmem_cache *s, size_t size)
{
	struct malloc_nest nest;
	void *p;

	malloc_nest_enter(&nest);
	p = kmem_cache_alloc(s, MALLOC_GFP);
	/*
	 * No memory, or failslab's verdict: ENOMEM, not a second try, which
	 * made an injected failure rate of 10% one of 1%.
	 */
	if (unlikely(!p))
		errno = ENOMEM;
	else if (MALLOC_HARDEN)
		p = hand_out(p, size, s->object_size);
	malloc_nest_exit(&nest);
	return p;
}

/*
 * The fast paths: a class, its cache, the per-CPU stack, the checks.
 * Anything else (no cache yet, a failed allocation that must set errno,
 * M_PERTURB, a large size) takes the general path.
 */
UKMEM_EXPORT void *malloc(size_t size)
{
	if (likely(size - 1 < SMALL_MAX)) {
		const struct malloc_class *c = size_class(size);
		struct kmem_cache *s = size == c->size ? c->exact : c->slack;

		if (likely(s && !(malloc_slow_always | arch_unwinder_loading))) {
			void *p = slab_alloc_inline(s, MALLOC_GFP_WAIT);

			if (unlikely(!p))
				return malloc_from_cache(s, size);
			return MALLOC_HARDEN ? hand_out(p, size, s->object_size) : p;
		}
	}
	return malloc_slow(size, __builtin_return_address(0));
}

/*
 * errno survives free(): the slab and page paths make no system call
 * that could change it except through arch/ calls, which keep it.
 */
UKMEM_EXPORT void free(void *ptr)
{
	unsigned long pfn = ((unsigned long)ptr - slab_fast.page_offset) >> PAGE_SHIFT;

	/* Beyond the bound also while malloc_slow_always (malloc_slow_always_update()). */
	if (likely(pfn < slab_fast.ram_pfns)) {
		struct page *page = slab_fast.mem_map + pfn;
		unsigned long head = READ_ONCE(page->compound_head);

		if (unlikely(head & 1))
			page = (struct page *)(head - 1);
		if (likely(PageSlab(page))) {
			struct slab *slab = page_slab(page);
			struct kmem_cache *s = slab->slab_cache;

			if (!MALLOC_HARDEN)
				return slab_free_obj(s, slab, ptr, 0);
			/*
			 * A tagged cache, an object's start: its free tag must be
			 * absent and its slack canary whole (anything else, the
			 * slow path sorts out and reports).
			 */
			if (likely(s->ctor == malloc_ctor &&
				   slab_offset_valid(s, slab,
						     (unsigned long)ptr - (unsigned long)slab->s_mem) &&
				   *(unsigned long *)ptr != malloc_free_tag(ptr) &&
				   malloc_slack_ok_if(ptr, s->object_size,
						      s->flags & SLAB_KMALLOC))) {
				*(unsigned long *)ptr = malloc_free_tag(ptr);
				return park(ptr, slab);
			}
		}
	}
	free_slow(ptr);
}

UKMEM_EXPORT void *calloc(size_t nmemb, size_t size)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(nmemb, size, &bytes))) {
		errno = ENOMEM;
		return NULL;
	}
	struct malloc_nest nest;
	void *p;

	if (unlikely(!READY()))
		return boot_arena_alloc(bytes, MIN_ALIGN);	/* never reused: still zero */
	malloc_nest_enter(&nest);
	p = loader_blocks_noted(do_malloc(bytes, MALLOC_GFP | __GFP_ZERO),
				__builtin_return_address(0));
	malloc_nest_exit(&nest);
	return p;
}

/* May @b hold @size bytes where it is? */
static bool fits_in_place(void *p, const struct mblock *b, size_t size)
{
	size_t room;

	switch (b->kind) {
	case MB_TAGGED:
		/*
		 * More than half its class; the kind stays: a slack block keeps
		 * a byte of slack, an exact block its size (or less, unchecked).
		 */
		room = b->s->object_size;
		if (size > room || (size <= room / 2 && room > MIN_SIZE * 2))
			return false;
		if (b->s->flags & SLAB_KMALLOC) {
			if (size == room)
				return false;
			malloc_slack_set(p, room, size);
		}
		return true;
	case MB_PLAIN:
		/* slab_debug's record of the size (the red zone) would have to move: never. */
		if (MALLOC_HARDEN)
			return false;
		room = ksize(p);
		return size <= room && (size > room / 2 || room <= MIN_SIZE * 2);
	case MB_LARGE:
		/*
		 * A shrink stays in place down to a quarter (copying is what
		 * costs; the pages go back with the block).
		 */
		room = large_capacity(b->page, p);
		if (size <= KMALLOC_MAX_CACHE_SIZE || size > room || size <= room / 4)
			return false;
		large_resize(b->page, p, size);
		return true;
	default:
		return false;
	}
}

static inline void *do_realloc(void *ptr, size_t size)
{
	struct mblock b;
	size_t old, want = size;
	void *p = NULL;

	if (!ptr)
		return do_malloc(size, MALLOC_GFP);
	if (!size) {
		/* glibc frees and returns NULL (REALLOC_ZERO_BYTES_FREES). */
		free(ptr);
		return NULL;
	}
	if (block_lookup(ptr, "realloc", &b)) {
		errno = ENOMEM;
		return NULL;
	}
	/*
	 * A block slab_debug watches is checked before anything is copied
	 * out of it, as free() checks it: a corrupt block is left alone
	 * (under malloc.abort_on_corruption=0) and realloc fails, as for the
	 * default checks; reported as realloc's, not as the next malloc's.
	 */
	if (MALLOC_HARDEN && b.kind == MB_PLAIN && malloc_debug_check_block(ptr, b.slab, "realloc")) {
		errno = ENOMEM;
		return NULL;
	}
	if (b.kind == MB_HOST) {
		p = host_realloc(ptr, size);
		if (!p) {
			errno = ENOMEM;
		} else {
			kmemleak_hook_free(ptr);
			kmemleak_hook_alloc(p, size);
		}
		return p;
	}
	old = b.size;
	if (fits_in_place(ptr, &b, size)) {
		if (b.kind == MB_LARGE)
			kmemleak_hook_alloc(ptr, size);	/* its new size */
		/* The room grown into held the slack, or an earlier block's bytes. */
		if (unlikely(init_wanted()) && !perturb_byte) {
			if (size > old)
				memset((char *)ptr + old, 0, size - old);
			/*
			 * A block of an exact cache records no size: grown back
			 * later, its old size is the object's, and the room
			 * would show what the block held before.  The part a
			 * shrink gives up is wiped now, as init_on_free wipes
			 * a freed block (slack and large blocks put their
			 * canary there, and record the size).
			 */
			else if (b.kind == MB_TAGGED && !(b.s->flags & SLAB_KMALLOC))
				memset((char *)ptr + size, 0, old - size);
		}
		return ptr;
	}
	/*
	 * A large block grows by half at least: a buffer grown a few bytes
	 * at a time is copied O(log n) times, not once per page.
	 */
	if (b.kind == MB_LARGE && size > old && size < old + old / 2 &&
	    old + old / 2 <= mmap_threshold)
		want = old + old / 2;
	if (want > KMALLOC_MAX_CACHE_SIZE && want <= mmap_threshold && READY()) {
		malloc_keys_init();
		p = large_alloc(size, MIN_ALIGN, want, init_gfp(MALLOC_GFP));
		check_parked();
		if (p)
			kmemleak_hook_alloc(p, size);
	}
	if (!p)
		p = do_malloc(size, MALLOC_GFP);
	if (!p)
		return NULL;	/* errno set; the old block is untouched */
	memcpy(p, ptr, min(old, size));
	block_release(ptr, &b, "realloc");
	return p;
}

UKMEM_EXPORT void *realloc(void *ptr, size_t size)
{
	struct malloc_nest nest;
	void *p;

	malloc_nest_enter(&nest);
	p = loader_blocks_noted(do_realloc(ptr, size), __builtin_return_address(0));
	malloc_nest_exit(&nest);
	return p;
}

UKMEM_EXPORT void *reallocarray(void *ptr, size_t nmemb, size_t size)
{
	size_t bytes;

	if (__builtin_mul_overflow(nmemb, size, &bytes)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(ptr, bytes);
}

/* The aligned entry points' allocation (malloc/aligned.c): glibc's ENOMEM for absurd sizes. */
void *malloc_memalign(size_t alignment, size_t size)
{
	struct malloc_nest nest;
	void *p;

	/* SIZE_MAX-ish requests would overflow the rounding below: ENOMEM, as glibc. */
	if (alignment > MIN_ALIGN && (size > (SIZE_MAX >> 2) || alignment > (SIZE_MAX >> 2))) {
		errno = ENOMEM;
		return NULL;
	}
	malloc_nest_enter(&nest);
	if (alignment <= MIN_ALIGN)
		p = do_malloc(size, MALLOC_GFP);
	else
		p = alloc_aligned(size, alignment, MALLOC_GFP);
	malloc_nest_exit(&nest);
	return p;
}

/*
 * The bytes asked for (a block's slack is its canary; a program told it
 * may use more would write into it): glibc may say more, never less.
 */
UKMEM_EXPORT size_t malloc_usable_size(void *ptr)
{
	struct mblock b;

	if (!ptr || block_lookup(ptr, "malloc_usable_size", &b))
		return 0;
	if (b.kind == MB_PLAIN && !MALLOC_HARDEN)
		return ksize(ptr);
	return b.size;
}

/*
 * A sized or aligned free: @size must be one a block of this kind and
 * class could have been asked for (the kernel's kfree has no size; glibc
 * ignores it; tcmalloc and jemalloc use it to find the class, which a
 * wrong size corrupts), and the pointer must have the alignment.
 * @size -1: not given.
 */
/* Could @s have served a block of @size (a class size, or below one)? */
static bool class_serves(size_t size, const struct kmem_cache *s)
{
	const struct malloc_class *c = size_class(size);

	if (s == c->slack || s == c->exact)
		return true;
	/* An exact size before its class had an exact cache: the next class. */
	return size == c->size && c < &malloc_classes[NR_MALLOC_CLASSES] && s == c[1].slack;
}

/* A class's cache under slab_debug (its objects may be MALLOC_DEBUG_REDZONE longer)? */
static bool plain_class_cache(const struct kmem_cache *s)
{
	size_t n = s->object_size;

	if (n > MALLOC_DEBUG_REDZONE && n - MALLOC_DEBUG_REDZONE <= SMALL_MAX &&
	    size_class(n - MALLOC_DEBUG_REDZONE)->plain == s)
		return true;
	return n <= SMALL_MAX && size_class(n)->plain == s;
}

static void free_checked(void *ptr, size_t size, size_t align, const char *fn);

void malloc_free_checked(void *ptr, size_t size, size_t align, const char *fn)
{
	struct malloc_nest nest;

	malloc_nest_enter(&nest);
	free_checked(ptr, size, align, fn);
	malloc_nest_exit(&nest);
}

static void free_checked(void *ptr, size_t size, size_t align, const char *fn)
{
	struct mblock b;
	bool bad = false;

	if (!ptr || block_lookup(ptr, fn, &b))
		return;
	if (MALLOC_HARDEN && align > 1 && ((unsigned long)ptr & (align - 1))) {
		malloc_error_report(MERR_ALIGN_MISMATCH, fn, ptr, align, 0);
		return;
	}
	if (MALLOC_HARDEN && size != (size_t)-1) {
		size_t want = align > MIN_ALIGN ? roundup_pow_of_two(max(size, align)) : size;

		switch (b.kind) {
		case MB_TAGGED:
			bad = size > b.size || (want <= SMALL_MAX && !class_serves(want, b.s));
			break;
		case MB_PLAIN:
			/* A malloc class under slab_debug: the size must be of its class. */
			bad = size > b.size ||
			      (want <= SMALL_MAX && plain_class_cache(b.s) &&
			       size_class(want)->plain != b.s);
			break;
		case MB_LARGE:
			bad = size != b.size;
			break;
		case MB_ZERO:
			bad = size != 0;
			break;
		case MB_KFENCE:
			bad = size > b.size ||
			      (want <= SMALL_MAX && cache_tagged(b.s) && !class_serves(want, b.s));
			break;
		default:
			bad = size > b.size;
			break;
		}
		if (bad) {
			if (b.kind == MB_TAGGED)
				object_err(b.s, b.slab, ptr, "Object freed with the wrong size");
			else
				malloc_error_report(MERR_SIZE_MISMATCH, fn, ptr, size, b.size);
			malloc_error(MERR_SIZE_MISMATCH, fn, ptr, size, b.size);
			return;
		}
	}
	block_release(ptr, &b, fn);
}

/* C23 */
UKMEM_EXPORT void free_sized(void *ptr, size_t size)
{
	malloc_free_checked(ptr, size, 0, "free_sized");
}

UKMEM_EXPORT void free_aligned_sized(void *ptr, size_t alignment, size_t size)
{
	malloc_free_checked(ptr, size, alignment, "free_aligned_sized");
}

/* glibc's own entry points, used from inside libc. */
UKMEM_EXPORT void *__libc_malloc(size_t size) { return malloc(size); }
UKMEM_EXPORT void __libc_free(void *ptr) { free(ptr); }
UKMEM_EXPORT void *__libc_calloc(size_t n, size_t size) { return calloc(n, size); }
UKMEM_EXPORT void *__libc_realloc(void *ptr, size_t size) { return realloc(ptr, size); }
/* glibc before 2.26 exported cfree(); programs linked then still call it. */
UKMEM_EXPORT void cfree(void *ptr) { free(ptr); }

/* ---- the glibc extras ---- */

/*
 * This thread's parked block goes back now: the figures of mallinfo(),
 * malloc_stats() and the exit report count a parked block as free, as
 * the program sees it (it freed it), and so does malloc_trim().
 */
void malloc_unpark(void)
{
	struct parked old = park_take();

	if (old.p)
		release_parked(old);
}

UKMEM_EXPORT int malloc_trim(size_t pad)
{
	unsigned long before = nr_free_pages();
	bool unmapped;

	if (!ukmem_booted())
		return 0;
	/* This thread's parked block, and the large blocks kept with their guards. */
	malloc_unpark();
	large_cache_drain();
	/* Kept host mappings are memory released too, though no page count shows them. */
	unmapped = host_cache_drain() != 0;
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	return unmapped || nr_free_pages() > before;
}
