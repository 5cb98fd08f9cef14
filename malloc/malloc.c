/* SPDX-License-Identifier: MIT */
/*
 * malloc/malloc.c - the malloc front end: every allocation symbol glibc
 * exports, on top of kmalloc.
 *
 * Routing, by size:
 *   n <= KMALLOC_MAX_CACHE_SIZE (8 KiB)   slab caches through the per-CPU
 *                                         fast path: malloc-N caches with
 *                                         four classes per power of two
 *                                         (16-byte steps up to 128, eight
 *                                         per power above 1 KiB), which
 *                                         waste at most 20% (11% above
 *                                         1 KiB) where kmalloc's own
 *                                         classes waste up to 50%.  A
 *                                         class of kmalloc's size merges
 *                                         with kmalloc-N, as the kernel
 *                                         merges compatible caches;
 *   n <= mmap threshold (4 MiB)           a block of 2^order pages from the
 *                                         buddy allocator (see large_alloc);
 *   above                                 straight to the host (mmap), as
 *                                         glibc does above its threshold.
 * Alignment requests use kmalloc's natural alignment of power-of-two sizes
 * and the buddy allocator's natural alignment of blocks.
 *
 * Pointers this front end did not hand out (made by ld.so before it was
 * loaded, or by the bootstrap arena that serves allocations made while
 * ukmem itself boots) are recognised by address and never passed to
 * kfree.  errno follows POSIX (ENOMEM, EINVAL); free() preserves it.
 *
 * Fork: the atfork handlers take every allocator lock before fork() and
 * release them in both processes (kernel/fork.c), so a child can allocate
 * even if another thread held a lock at the moment of the fork.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/log2.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "arch/host.h"
#include "malloc/malloc_internal.h"
#include "mm/internal.h"

#define UKMEM_EXPORT	__attribute__((visibility("default")))

/* Allocations made for a program may fail but never sleep for long. */
#define MALLOC_GFP	(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY)
#define MIN_ALIGN	16
#define MIN_SIZE	16

static size_t mmap_threshold = KMALLOC_MAX_SIZE;
static int perturb_byte;

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

/* ---- the bootstrap arena: allocations made while ukmem boots ---- */

#define BOOT_ARENA_SIZE	(512 * 1024)
static char boot_arena[BOOT_ARENA_SIZE] __aligned(PAGE_SIZE);
static size_t boot_arena_used;

struct boot_chunk {
	size_t size;
	size_t pad;
};

static void *boot_arena_alloc(size_t size, size_t align)
{
	size_t start, end;

	if (align < MIN_ALIGN)
		align = MIN_ALIGN;
	/* Serialised: only the booting thread gets here. */
	start = ALIGN(boot_arena_used + sizeof(struct boot_chunk), align);
	end = start + ALIGN(size, MIN_ALIGN);
	if (end > BOOT_ARENA_SIZE || end < start)
		return NULL;
	((struct boot_chunk *)(boot_arena + start))[-1].size = size;
	boot_arena_used = end;
	return boot_arena + start;
}

static inline bool in_boot_arena(const void *p)
{
	return (const char *)p >= boot_arena && (const char *)p < boot_arena + BOOT_ARENA_SIZE;
}

static size_t boot_arena_size(const void *p)
{
	return ((const struct boot_chunk *)p)[-1].size;
}

/* ---- size classes ---- */

/*
 * 16, 32, ... 128 in 16-byte steps; four classes per power of two up to
 * 1 KiB (160 192 224 256, ... 896 1024); eight above (1152 1280 ... 2048,
 * 2304 ... 4096, 4608 ... 8192).  The finer top half matters for blocks
 * just above a page (a 4 KiB buffer and its header) that would otherwise
 * waste a fifth.  Every class is a multiple of 16, so objects keep
 * malloc's 16-byte alignment.
 */
#define NR_SMALL_CLASSES	8
#define NR_MID_CLASSES		(4 * 3)		/* 129 .. 1024 */
#define FIRST_FINE_CLASS	(NR_SMALL_CLASSES + NR_MID_CLASSES)
#define NR_MALLOC_CLASSES	(FIRST_FINE_CLASS + 8 * (KMALLOC_SHIFT_HIGH - 10))

/*
 * The fast path looks a size up in one table: class_of_size[(size + 15) / 16]
 * holds the class index + 1 (every class boundary is a multiple of 16),
 * and malloc_caches[0] stays NULL, so a lookup before the caches exist
 * (the table is still zero) or of a class that could not be made falls to
 * the slow path.  One load, no branch: computing the class arithmetically
 * cost a nanosecond or two per malloc+free on random sizes.
 */
static u8 class_of_size[KMALLOC_MAX_CACHE_SIZE / 16 + 1];
static struct kmem_cache *malloc_caches[NR_MALLOC_CLASSES + 1];
static char malloc_cache_names[NR_MALLOC_CLASSES][16];

static __always_inline struct kmem_cache *size_cache(size_t size)
{
	return malloc_caches[class_of_size[(size + 15) >> 4]];
}

/* The size of class @idx; every class boundary is a multiple of 16. */
static size_t class_size(unsigned int idx)
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
/*
 * min_partial of the malloc caches, as writing their sysfs file would set
 * it (the kernel's default is 5 to 10: an emptied slab stays on its node's
 * list while fewer than that are listed).  With 1 an emptied slab goes back
 * to the buddy allocator at once, where it serves every class and not only
 * its own: producer/consumer peaked 0.5 MB lower, at the same speed.
 */
#define MALLOC_MIN_PARTIAL	1
#define MALLOC_STACK_MIN	4
#define MALLOC_STACK_MAX	120

static unsigned int malloc_stack_capacity(size_t size)
{
	return (unsigned int)clamp_t(size_t, MALLOC_STACK_BYTES / size, MALLOC_STACK_MIN,
				     MALLOC_STACK_MAX);
}

/*
 * Made once, right after the boot, by the first thread to get here; until
 * they exist (and for a class that could not be made) kmalloc serves,
 * which is always there.  Others, and a recursive call from inside
 * kmem_cache_create, do not wait.
 */
static void malloc_caches_init(void)
{
	static int state;	/* 0 not made, 1 being made, 2 made */
	int expected = 0;
	unsigned int i, j;

	if (__atomic_load_n(&state, __ATOMIC_ACQUIRE) ||
	    !__atomic_compare_exchange_n(&state, &expected, 1, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return;
	for (i = 0; i < NR_MALLOC_CLASSES; i++) {
		size_t size = class_size(i);
		struct kmem_cache_args args = {
			.align = MIN_ALIGN,
			.sheaf_capacity = malloc_stack_capacity(size),
		};

		struct kmem_cache *s;

		snprintf(malloc_cache_names[i], sizeof(malloc_cache_names[i]), "malloc-%zu", size);
		s = kmem_cache_create(malloc_cache_names[i], (unsigned int)size, &args, 0);
		if (s)
			kmem_cache_store_min_partial(s, MALLOC_MIN_PARTIAL);
		__atomic_store_n(&malloc_caches[i + 1], s, __ATOMIC_RELEASE);
	}
	/*
	 * Sizes are published last: a non-zero entry names a cache already
	 * stored.  Entry j covers sizes 16j-15 .. 16j (entry 0: size 0).
	 */
	for (i = 0, j = 0; i < NR_MALLOC_CLASSES; i++)
		for (; j < ARRAY_SIZE(class_of_size) && 16 * j <= class_size(i); j++)
			__atomic_store_n(&class_of_size[j], (u8)(i + 1), __ATOMIC_RELEASE);
	__atomic_store_n(&state, 2, __ATOMIC_RELEASE);
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
static noinline bool malloc_not_ready(void)
{
	ukmem_boot_slow();
	return !ukmem_booted() || arch_unwinder_loading_here;
}

#define READY()	(likely(system_state == SYSTEM_RUNNING && !arch_unwinder_loading) || \
		 !malloc_not_ready())

/* ---- the allocation core ---- */

static void *alloc_aligned(size_t size, size_t align, gfp_t gfp);

static inline void *do_malloc(size_t size, gfp_t gfp)
{
	void *p;

	if (likely(size <= KMALLOC_MAX_CACHE_SIZE)) {
		struct kmem_cache *s = size_cache(size);

		if (unlikely(!s || arch_unwinder_loading)) {
			if (!READY())
				return boot_arena_alloc(size, MIN_ALIGN);
			malloc_caches_init();
			s = size_cache(size);	/* still NULL while another thread makes them */
		}
		p = s ? kmem_cache_alloc(s, gfp) : kmalloc(size < MIN_SIZE ? MIN_SIZE : size, gfp);
		if (unlikely(!p))
			errno = ENOMEM;
		else if (unlikely(perturb_byte) && !(gfp & __GFP_ZERO))
			memset(p, perturb_byte ^ 0xff, size);
		return p;
	}
	return alloc_aligned(size, PAGE_SIZE, gfp);
}

/*
 * Blocks above the slab classes: 2^order pages straight from the buddy
 * allocator.  kmalloc's large path would make them compound pages, which
 * writes (and on free checks) every tail struct page: a microsecond for
 * 4 MiB.  The front end needs only the head: it marks it PG_private_2 (an
 * owner-private flag the page allocator checks is clear again at free)
 * and keeps the block's number of pages in page->private.  realloc
 * shrinks a block in place (large_trim): its pages become aligned parts
 * (split_page_run) and the tail goes back, so a block may hold any number
 * of pages.  Blocks are not cut to the pages asked for at allocation, as
 * alloc_pages_exact() cuts them: tried, and the tails' holes fragmented
 * the buddy lists until large blocks came from fresh memory (a random-size
 * working set of 400 MB peaked at 1070 MB instead of 450 MB).  Counted in
 * malloc_large_bytes for mallinfo (meminfo shows them as used memory, not
 * as Slab).
 */
#define MALLOC_LARGE_FLAG	(1UL << PG_private_2)

static atomic_long_t malloc_large_bytes;

static inline bool is_large_block(const struct page *page)
{
	return READ_ONCE(page->flags) & MALLOC_LARGE_FLAG;
}

static inline unsigned long large_block_pages(const struct page *page)
{
	return page_private(page);
}

static void *large_alloc(size_t size, gfp_t gfp)
{
	unsigned int order = (unsigned int)get_order(size);
	unsigned long nr = 1UL << order;
	struct page *page = alloc_pages(gfp & ~__GFP_ZERO, order);
	void *p;

	if (!page)
		return NULL;
	set_page_private(page, nr);
	page->flags |= MALLOC_LARGE_FLAG;
	atomic_long_add((long)(nr << PAGE_SHIFT), &malloc_large_bytes);
	p = page_address(page);
	/* calloc: clear what was asked for, not the block's last page's tail. */
	if (gfp & __GFP_ZERO)
		memset(p, 0, size);
	return p;
}

/* Give back the pages of a large block past its first @keep. */
static void large_trim(struct page *page, unsigned long keep)
{
	unsigned long nr = large_block_pages(page);

	set_page_private(page, keep);
	atomic_long_sub((long)((nr - keep) << PAGE_SHIFT), &malloc_large_bytes);
	split_page_run(page, keep);
	split_page_run(page + keep, nr - keep);
	free_pages_run(page + keep, nr - keep);
}

static noinline void large_free(struct page *page, void *p)
{
	unsigned long nr = large_block_pages(page);

	if (WARN_ONCE(p != page_address(page),
		      "free(): %p is inside a block that starts at %p\n", p, page_address(page)))
		return;
	page->flags &= ~MALLOC_LARGE_FLAG;
	set_page_private(page, 0);
	atomic_long_sub((long)(nr << PAGE_SHIFT), &malloc_large_bytes);
	free_pages_run(page, nr);
}

unsigned long malloc_large_block_bytes(void)
{
	long bytes = atomic_long_read(&malloc_large_bytes);

	return bytes > 0 ? (unsigned long)bytes : 0;
}

/* Slab object or large block: the bytes a caller may use. */
static size_t linear_block_size(const void *p)
{
	const struct page *page = virt_to_page(p);

	if (is_large_block(page))
		return large_block_pages(page) << PAGE_SHIFT;
	return ksize(p);
}

static inline void linear_block_free(void *p)
{
	struct page *page = virt_to_page(p);

	if (unlikely(is_large_block(page)))
		large_free(page, p);
	else
		kfree(p);
}

/*
 * Anything larger than the slab classes or aligned beyond 16 bytes.
 * kmalloc gives power-of-two sizes their natural alignment, the buddy
 * allocator aligns a block to its size, and the host path trims a larger
 * reservation.
 */
static noinline void *alloc_aligned(size_t size, size_t align, gfp_t gfp)
{
	size_t want = size;
	void *p;

	if (unlikely(!READY()))
		return boot_arena_alloc(size, align);
	if (align > MIN_ALIGN && want < align)
		want = align;
	if (want <= KMALLOC_MAX_CACHE_SIZE && align > MIN_ALIGN)
		want = roundup_pow_of_two(want);
	if (want <= mmap_threshold || (want <= KMALLOC_MAX_SIZE && align > PAGE_SIZE)) {
		if (want <= KMALLOC_MAX_CACHE_SIZE)
			p = kmalloc(want < MIN_SIZE ? MIN_SIZE : want, gfp);
		else
			p = large_alloc(want, gfp);
		if (p && ((unsigned long)p & (align - 1))) {
			/* Cannot happen: kmalloc and buddy blocks are naturally aligned. */
			WARN_ONCE(1, "malloc: block of %zu not aligned to %zu\n", want, align);
			linear_block_free(p);
			p = NULL;
		}
	} else {
		p = host_alloc(size, align, gfp & __GFP_ZERO);
	}
	if (unlikely(!p))
		errno = ENOMEM;
	else if (unlikely(perturb_byte) && !(gfp & __GFP_ZERO))
		memset(p, perturb_byte ^ 0xff, size);
	return p;
}

static inline size_t usable_size(const void *p)
{
	if (likely(in_linear_map(p)))
		return linear_block_size(p);
	if (in_boot_arena(p))
		return boot_arena_size(p);
	return host_usable_size(p);
}

static inline void do_free(void *p)
{
	if (likely(in_linear_map(p))) {
		if (unlikely(perturb_byte))
			memset(p, perturb_byte, linear_block_size(p));
		linear_block_free(p);
		return;
	}
	if (!p || in_boot_arena(p))
		return;
	if (!host_free(p))
		atomic_long_inc(&ukmem_malloc_stats.foreign_frees);
}

/* ---- load and exit (malloc/report.c) ---- */

static __attribute__((constructor)) void malloc_load(void)
{
	malloc_frontend_init();
}

static __attribute__((destructor)) void malloc_unload(void)
{
	malloc_frontend_exit_report();
}

/* ---- the C API ---- */

static noinline void *malloc_slow(size_t size)
{
	return do_malloc(size, MALLOC_GFP);
}

/*
 * The fast paths: a class, its cache, the per-CPU stack.  Anything else
 * (no cache yet, a failed allocation that must set errno, M_PERTURB, a
 * large size) takes the general path.
 */
UKMEM_EXPORT void *malloc(size_t size)
{
	if (likely(size <= KMALLOC_MAX_CACHE_SIZE)) {
		struct kmem_cache *s = size_cache(size);

		if (likely(s && !(perturb_byte | arch_unwinder_loading))) {
			void *p = kmem_cache_alloc(s, MALLOC_GFP);

			if (likely(p))
				return p;
		}
	}
	return malloc_slow(size);
}

static noinline void free_slow(void *ptr)
{
	do_free(ptr);
}

/*
 * errno survives free(): the slab and page paths make no system call
 * that could change it except through arch_decommit()/arch_unmap(),
 * which keep it.
 */
UKMEM_EXPORT void free(void *ptr)
{
	if (likely(in_linear_map(ptr) && !perturb_byte)) {
		linear_block_free(ptr);
		return;
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
	if (unlikely(!READY()))
		return boot_arena_alloc(bytes, MIN_ALIGN);	/* never reused: still zero */
	return do_malloc(bytes, MALLOC_GFP | __GFP_ZERO);
}

/* Pointers we did not make: copy what can safely be read. */
static void *realloc_foreign(void *ptr, size_t size)
{
	size_t old = in_boot_arena(ptr) ? boot_arena_size(ptr)
					: PAGE_SIZE - ((unsigned long)ptr & ~PAGE_MASK);
	void *p = do_malloc(size, MALLOC_GFP);

	if (p)
		memcpy(p, ptr, min(old, size));
	return p;
}

UKMEM_EXPORT void *realloc(void *ptr, size_t size)
{
	size_t old, asked = size;
	void *p;

	if (!ptr)
		return do_malloc(size, MALLOC_GFP);
	if (!size) {
		/* glibc frees and returns NULL (REALLOC_ZERO_BYTES_FREES). */
		free(ptr);
		return NULL;
	}
	if (unlikely(!in_linear_map(ptr))) {
		if (in_boot_arena(ptr) || !host_owns(ptr))
			return realloc_foreign(ptr, size);
		p = host_realloc(ptr, size);
		if (p)
			return p;
		errno = ENOMEM;
		return NULL;
	}
	old = linear_block_size(ptr);
	/* Keep the block when it fits and is not more than twice too big. */
	if (size <= old && (size > old / 2 || old <= MIN_SIZE * 2))
		return ptr;
	if (size > KMALLOC_MAX_CACHE_SIZE && is_large_block(virt_to_page(ptr))) {
		/* A large block shrinks in place: its tail pages go back. */
		if (size < old) {
			large_trim(virt_to_page(ptr), DIV_ROUND_UP(size, PAGE_SIZE));
			return ptr;
		}
		/*
		 * It grows by half at least: a buffer grown a few bytes at a
		 * time is copied O(log n) times, not once per page.
		 */
		if (size < old + old / 2 && old + old / 2 <= mmap_threshold)
			size = old + old / 2;
	}
	p = do_malloc(size, MALLOC_GFP);
	if (!p && size != asked)
		p = do_malloc(size = asked, MALLOC_GFP);
	if (!p)
		return NULL;	/* errno set; the old block is untouched */
	memcpy(p, ptr, min(old, size));
	linear_block_free(ptr);
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

static void *memalign_common(size_t alignment, size_t size)
{
	if (alignment <= MIN_ALIGN)
		return do_malloc(size, MALLOC_GFP);
	/* SIZE_MAX-ish requests would overflow the rounding below: ENOMEM, as glibc. */
	if (size > (SIZE_MAX >> 2) || alignment > (SIZE_MAX >> 2)) {
		errno = ENOMEM;
		return NULL;
	}
	return alloc_aligned(size, alignment, MALLOC_GFP);
}

UKMEM_EXPORT int posix_memalign(void **memptr, size_t alignment, size_t size)
{
	void *p;

	if (alignment % sizeof(void *) || !is_power_of_2(alignment))
		return EINVAL;
	/* The result is the return value; errno is left as glibc leaves it (ENOMEM). */
	p = memalign_common(alignment, size);
	if (!p)
		return ENOMEM;
	*memptr = p;
	return 0;
}

/*
 * glibc up to 2.37 treats aligned_alloc as memalign; 2.38 made an alignment
 * that is not a power of two EINVAL.  Follow the glibc we run on.
 */
static bool aligned_alloc_strict(void)
{
	static int strict = -1;

	if (strict < 0) {
		const char *v = gnu_get_libc_version();
		unsigned long major = strtoul(v, (char **)&v, 10), minor = 0;

		if (*v == '.')
			minor = strtoul(v + 1, NULL, 10);
		strict = major > 2 || (major == 2 && minor >= 38);
	}
	return strict;
}

UKMEM_EXPORT void *aligned_alloc(size_t alignment, size_t size)
{
	if (!is_power_of_2(alignment) && aligned_alloc_strict()) {
		errno = EINVAL;
		return NULL;
	}
	return memalign(alignment, size);
}

UKMEM_EXPORT void *memalign(size_t alignment, size_t size)
{
	/* glibc rounds a non-power-of-two alignment up; an absurd one is ENOMEM. */
	if (alignment > (SIZE_MAX >> 2)) {
		errno = ENOMEM;
		return NULL;
	}
	if (!is_power_of_2(alignment))
		alignment = alignment <= 1 ? 1 : roundup_pow_of_two(alignment);
	return memalign_common(alignment, size);
}

UKMEM_EXPORT void *valloc(size_t size)
{
	return memalign_common(PAGE_SIZE, size);
}

UKMEM_EXPORT void *pvalloc(size_t size)
{
	if (size > SIZE_MAX - PAGE_SIZE) {
		errno = ENOMEM;
		return NULL;
	}
	return memalign_common(PAGE_SIZE, size ? PAGE_ALIGN(size) : PAGE_SIZE);
}

UKMEM_EXPORT size_t malloc_usable_size(void *ptr)
{
	if (!ptr)
		return 0;
	return usable_size(ptr);
}

/* C23 */
UKMEM_EXPORT void free_sized(void *ptr, size_t size)
{
	free(ptr);
}

UKMEM_EXPORT void free_aligned_sized(void *ptr, size_t alignment, size_t size)
{
	free(ptr);
}

/* glibc's own entry points, used from inside libc. */
UKMEM_EXPORT void *__libc_malloc(size_t size) { return malloc(size); }
UKMEM_EXPORT void __libc_free(void *ptr) { free(ptr); }
UKMEM_EXPORT void *__libc_calloc(size_t n, size_t size) { return calloc(n, size); }
UKMEM_EXPORT void *__libc_realloc(void *ptr, size_t size) { return realloc(ptr, size); }
UKMEM_EXPORT void *__libc_memalign(size_t alignment, size_t size) { return memalign(alignment, size); }
UKMEM_EXPORT void *__libc_valloc(size_t size) { return valloc(size); }
UKMEM_EXPORT void *__libc_pvalloc(size_t size) { return pvalloc(size); }

/* ---- the glibc extras ---- */

UKMEM_EXPORT int mallopt(int param, int value)
{
	switch (param) {
	case M_MMAP_THRESHOLD:
		/*
		 * Honoured between the largest slab class and kmalloc's largest
		 * size (the page allocator cannot serve more); clamped into
		 * that range, and accepted, as glibc accepts its own clamping.
		 */
		if (value < 0)
			return 0;
		mmap_threshold = clamp((size_t)value, (size_t)KMALLOC_MAX_CACHE_SIZE,
				       (size_t)KMALLOC_MAX_SIZE);
		return 1;
	case M_PERTURB:
		perturb_byte = value & 0xff;
		return 1;
	case M_TRIM_THRESHOLD:
	case M_TOP_PAD:
	case M_MMAP_MAX:
	case M_ARENA_MAX:
	case M_ARENA_TEST:
		/*
		 * Accepted so programs that tune glibc run unchanged, but they
		 * have no meaning here: memory goes back to the host by free
		 * page reporting, and there are no arenas.
		 */
		return 1;
	default:
		/* glibc returns 1 for parameters it does not know, too. */
		return 1;
	}
}

UKMEM_EXPORT int malloc_trim(size_t pad)
{
	unsigned long before = nr_free_pages();

	if (!ukmem_booted())
		return 0;
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	return nr_free_pages() > before;
}

UKMEM_EXPORT struct mallinfo2 mallinfo2(void)
{
	struct mallinfo2 mi;
	struct ukmem_malloc_usage u;

	memset(&mi, 0, sizeof(mi));
	ukmem_malloc_usage(&u);
	mi.arena = u.system_bytes;
	mi.ordblks = 1;
	mi.hblks = u.host_blocks;
	mi.hblkhd = u.host_bytes;
	mi.uordblks = u.in_use_bytes;
	mi.fordblks = u.system_bytes - u.in_use_bytes;
	mi.keepcost = 0;
	return mi;
}

UKMEM_EXPORT struct mallinfo mallinfo(void)
{
	struct mallinfo2 m2 = mallinfo2();
	struct mallinfo mi;

	/* The old struct has int fields: values wrap, as glibc's do. */
	mi.arena = (int)m2.arena;
	mi.ordblks = (int)m2.ordblks;
	mi.smblks = (int)m2.smblks;
	mi.hblks = (int)m2.hblks;
	mi.hblkhd = (int)m2.hblkhd;
	mi.usmblks = (int)m2.usmblks;
	mi.fsmblks = (int)m2.fsmblks;
	mi.uordblks = (int)m2.uordblks;
	mi.fordblks = (int)m2.fordblks;
	mi.keepcost = (int)m2.keepcost;
	return mi;
}

UKMEM_EXPORT void malloc_stats(void)
{
	struct ukmem_malloc_usage u;
	char buf[512];
	int n;

	ukmem_malloc_usage(&u);
	/* glibc's layout, one "arena" (the machine), to stderr. */
	n = snprintf(buf, sizeof(buf),
		     "Arena 0:\nsystem bytes     = %10lu\nin use bytes     = %10lu\n"
		     "Total (incl. mmap):\nsystem bytes     = %10lu\nin use bytes     = %10lu\n"
		     "max mmap regions = %10lu\nmax mmap bytes   = %10lu\n",
		     u.system_bytes, u.in_use_bytes, u.system_bytes + u.host_bytes,
		     u.in_use_bytes + u.host_bytes, u.max_host_blocks, u.max_host_bytes);
	arch_write(2, buf, (size_t)n);
}

UKMEM_EXPORT int malloc_info(int options, FILE *stream)
{
	struct ukmem_malloc_usage u;

	if (options)
		return EINVAL;	/* as glibc: the error is the return value */
	ukmem_malloc_usage(&u);
	fprintf(stream, "<malloc version=\"1\">\n<heap nr=\"0\">\n<sizes>\n</sizes>\n"
		"<total type=\"fast\" count=\"0\" size=\"0\"/>\n"
		"<total type=\"rest\" count=\"0\" size=\"%lu\"/>\n"
		"<system type=\"current\" size=\"%lu\"/>\n<system type=\"max\" size=\"%lu\"/>\n"
		"<aspace type=\"total\" size=\"%lu\"/>\n<aspace type=\"mprotect\" size=\"%lu\"/>\n"
		"</heap>\n<total type=\"fast\" count=\"0\" size=\"0\"/>\n"
		"<total type=\"rest\" count=\"0\" size=\"%lu\"/>\n"
		"<total type=\"mmap\" count=\"%lu\" size=\"%lu\"/>\n"
		"<system type=\"current\" size=\"%lu\"/>\n<system type=\"max\" size=\"%lu\"/>\n"
		"<aspace type=\"total\" size=\"%lu\"/>\n<aspace type=\"mprotect\" size=\"%lu\"/>\n"
		"</malloc>\n",
		u.system_bytes - u.in_use_bytes, u.system_bytes, u.system_bytes,
		u.system_bytes, u.system_bytes, u.system_bytes - u.in_use_bytes,
		u.host_blocks, u.host_bytes, u.system_bytes + u.host_bytes,
		u.system_bytes + u.host_bytes, u.system_bytes + u.host_bytes,
		u.system_bytes + u.host_bytes);
	return 0;
}
