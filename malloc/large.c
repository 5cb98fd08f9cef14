/* SPDX-License-Identifier: MIT */
/*
 * malloc/large.c - blocks above the slab classes (8 KiB) up to the mmap
 * threshold: 2^order pages straight from the buddy allocator; from 64 KiB
 * up each ends in a guard page.
 *
 *   head                                              end of the block
 *   |  unused pages  | canary 32 | data ......... |gap| guard page ######
 *                                ^ p               ^ p + size
 *
 * The data is placed against the block's end (its end rounded up to 16
 * bytes, or to a larger alignment asked for): a linear overflow faults on
 * the guard page past the 16-byte granule, whose bytes past the requested
 * size are canary bytes checked on free, as are the 32 bytes before the
 * data (an underflow).  A block below LARGE_GUARD_MIN has no guard page:
 * 16 canary bytes end it instead.  The state lives in the struct page of
 * the page that holds the data's first byte, so that any pointer finds it
 * by address arithmetic:
 *
 *   flags     PG_private_2: a large block starts on this page (an
 *             owner-private flag the page allocator checks is clear again
 *             at free)
 *   private   pages from the block's head << 20 | the data's offset in the
 *             page << 8 | LARGE_SEALED | order << 2 | LARGE_GUARDED |
 *             LARGE_CACHED
 *   index     the size the caller asked for
 *
 * A pointer is a live large block only if it is exactly the recorded data
 * start of a flagged page in a block that is not cached: a pointer inside
 * a block, a second free, a free of a block that went back to the buddy
 * allocator all fail that, by arithmetic on struct pages.
 *
 * Guard pages cost system calls (MADV_GUARD_INSTALL on a page that was in
 * use costs tens of microseconds on a loaded virtual machine: the server
 * benchmark's 8-16 KiB blocks, 1 in 128 of its allocations, took it 80%
 * longer with a guard on each), so only blocks worth 64 KiB of data get
 * one, and a freed guarded block keeps its guard and waits in a small
 * per-order cache for the next allocation of its order, which pays
 * nothing: any size of that order fits, the guard being the block's last
 * page whatever the size (8 MiB in all: asyncio's SSL buffers of 64-512
 * KiB installed 10.7k guards with 2 MiB, 1.9k with 8).  A block that does not fit in the cache loses
 * its guard and goes back to the buddy allocator.  A host without guard
 * pages (Linux before 6.13) keeps the canaries only.
 *
 * The block is 2^order pages for size + a page (+ the canaries): a size
 * of exactly 2^k pages takes a block twice as large, whose unused first
 * half is never touched.  Counted in malloc_large_bytes for mallinfo
 * (meminfo shows them as used memory, not as Slab).
 */
#include <string.h>

#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include "arch/host.h"
#include "arch/mapping.h"
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "malloc/malloc_internal.h"
#include "mm/internal.h"

#define LARGE_CACHED		1UL
#define LARGE_GUARDED		2UL
#define LARGE_SEALED		(1UL << 7)	/* freed, parked, its pages inaccessible */
/*
 * Without the hardening: no guard page, no canary, no cache (the block
 * starts the data).  The canary before the data is longer: nothing else
 * guards that side.
 */
#define LARGE_CANARY		(MALLOC_HARDEN ? 16 : 0)
#define LARGE_HEAD_CANARY	(MALLOC_HARDEN ? 32 : 0)
#define LARGE_GUARD_MIN		(64 * 1024)
#define LARGE_CACHE_SLOTS	8
/*
 * Freed guarded blocks the cache may keep, resident, for a page reporting
 * delay.  8 MiB kept the realloc benchmark's peak RSS 11% above the
 * unhardened build's (its buffers of up to 2 MiB fill the cache as they
 * move); 2 MiB brings it to 3-6% at the same speed (bench/malloc/
 * harden_cost.sh, BENCH_ONLY=realloc BENCH_RUNS=5: 1.108 -> 1.026 RSS,
 * time 1.190 -> 1.098 in the noise), and sqlite3, python3 and the
 * compiler benchmark do not move.
 */
#define LARGE_CACHE_BYTES	(2UL << 20)

static atomic_long_t malloc_large_bytes;
static int guards_unavailable;		/* the host refused a guard page */

static inline unsigned long pack_state(unsigned long from_head, unsigned long off,
				       unsigned int order, bool guarded)
{
	return from_head << 20 | off << 8 | (unsigned long)order << 2 |
	       (guarded ? LARGE_GUARDED : 0);
}

static inline unsigned int state_order(unsigned long st)
{
	return (unsigned int)(st >> 2) & 0x1f;
}

static inline unsigned long state_off(unsigned long st)
{
	return (st >> 8) & 0xfff;
}

static inline unsigned long state_from_head(unsigned long st)
{
	return st >> 20;
}

/* Where the data area ends: the guard page, or the block's end. */
static inline char *block_end(struct page *head, unsigned int order, bool guarded)
{
	return (char *)page_address(head) + (PAGE_SIZE << order) - (guarded ? PAGE_SIZE : 0);
}

static inline char *state_end(struct page *page, unsigned long st)
{
	return block_end(page - state_from_head(st), state_order(st), st & LARGE_GUARDED);
}

/* ---- the cache of guarded free blocks ---- */

/*
 * Each order's blocks are a stack: taken from the top, the most recently
 * freed, so the bottom is the oldest and @since rises from it.  A block
 * not taken again within the page reporting delay (page_reporting.delay_ms)
 * leaves: its guard goes and it returns to the buddy allocator, where page
 * reporting gives its pages back to the host as it does any free block's.
 * So the cache keeps what a program reuses at once (the guard system calls
 * saved) and no resident memory that the same program built without the
 * hardening would not keep: its peak RSS was 5-10 MB higher with blocks
 * kept for good (sqlite3, python3, the realloc benchmark).
 */
static struct {
	spinlock_t lock;
	unsigned long bytes;
	unsigned long due;	/* jiffies when the oldest block has waited long enough, | 1; 0: none */
	unsigned int nr[MAX_PAGE_ORDER + 1];
	struct page *blocks[MAX_PAGE_ORDER + 1][LARGE_CACHE_SLOTS];
	unsigned long since[MAX_PAGE_ORDER + 1][LARGE_CACHE_SLOTS];	/* jiffies when freed */
} cache = { .lock = { 0, LOCK_RANK_MALLOC_LARGE } };

/*
 * fork(): held across it, so that a child never inherits a cache half
 * changed; a leaf, nothing is taken under it.
 */
static const struct fork_step large_fork_step = {
	.name = "malloc-large",
	.order = FORK_ORDER_MALLOC_LARGE,
	.spinlock = &cache.lock,
};

void large_init(void)
{
	if (MALLOC_HARDEN)
		fork_register_step(&large_fork_step);
}

static unsigned int cache_slots(unsigned int order)
{
	if (!MALLOC_HARDEN)
		return 0;
	return order <= 6 ? LARGE_CACHE_SLOTS : order <= 8 ? 4 : 2;
}

static void state_clear(struct page *dpage)
{
	dpage->flags &= ~MALLOC_LARGE_FLAG;
	set_page_private(dpage, 0);
	dpage->index = 0;
}

/* A block out of the cache: its state page's state cleared; its head page. */
static struct page *uncache(struct page *dpage)
{
	struct page *head = dpage - state_from_head(page_private(dpage));

	state_clear(dpage);
	return head;
}

/* How long a block may wait in the cache (jiffies: HZ is 1000). */
static unsigned long cache_wait(void)
{
	return boot_config.page_reporting_delay_ms * HZ / 1000;
}

/*
 * The cache holds the pages that carry the state of blocks freed into it
 * (still flagged, LARGE_CACHED: a second free of the block is a double
 * free).  Only tried: a busy cache (or one a fork from a signal handler
 * left locked in the child, see kernel/fork.c) is passed by, never
 * waited for.
 */
static struct page *cache_get(unsigned int order)
{
	struct page *dpage = NULL;

	if (!READ_ONCE(cache.nr[order]) || !spin_trylock(&cache.lock))
		return NULL;
	if (cache.nr[order]) {
		WRITE_ONCE(cache.nr[order], cache.nr[order] - 1);
		dpage = cache.blocks[order][cache.nr[order]];
		WRITE_ONCE(cache.bytes, cache.bytes - (PAGE_SIZE << order));
		/* Empty: nothing waits, and the checks read no clock until the next put. */
		if (!cache.bytes)
			WRITE_ONCE(cache.due, 0);
	}
	spin_unlock(&cache.lock);
	return dpage ? uncache(dpage) : NULL;
}

/* @now: arch_jiffies(), read by the caller. */
static bool cache_put(struct page *dpage, unsigned int order, unsigned long now)
{
	bool done = false;

	if (READ_ONCE(cache.nr[order]) >= cache_slots(order) || !spin_trylock(&cache.lock))
		return false;
	if (cache.nr[order] < cache_slots(order) &&
	    cache.bytes + (PAGE_SIZE << order) <= LARGE_CACHE_BYTES) {
		set_page_private(dpage, page_private(dpage) | LARGE_CACHED);
		cache.since[order][cache.nr[order]] = now;
		cache.blocks[order][cache.nr[order]] = dpage;
		WRITE_ONCE(cache.nr[order], cache.nr[order] + 1);
		WRITE_ONCE(cache.bytes, cache.bytes + (PAGE_SIZE << order));
		if (!cache.due)
			WRITE_ONCE(cache.due, (now + cache_wait()) | 1);
		done = true;
	}
	spin_unlock(&cache.lock);
	return done;
}

/* A block with no live data: its guard goes, its pages go back. */
static void block_release(struct page *head, unsigned int order, bool guarded)
{
	if (guarded && !READ_ONCE(guards_unavailable))
		arch_guard_remove(block_end(head, order, true), PAGE_SIZE);
	atomic_long_sub((long)(PAGE_SIZE << order), &malloc_large_bytes);
	__free_pages(head, order);
}

/*
 * The blocks that waited longer than cache_wait() by @now leave (at most
 * EXPIRE_BATCH a call, oldest first, the rest at the next).  No worker:
 * checked whenever a large block is freed or an allocation finds no
 * cached block of its order, so a program that stops using large blocks
 * keeps those cached until malloc_trim().  The callers read the clock
 * for a free into the cache (its time stamp), otherwise only while
 * something waits (cache.due).
 */
#define EXPIRE_BATCH	8
static void cache_expire(unsigned long now)
{
	unsigned long due = READ_ONCE(cache.due), wait, next = 0;
	struct page *gone[EXPIRE_BATCH];
	unsigned int n = 0, order, i, k;

	if (!due || (long)(now - due) < 0 || !spin_trylock(&cache.lock))
		return;
	wait = cache_wait();
	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		unsigned int nr = cache.nr[order];

		for (i = 0; i < nr && n < EXPIRE_BATCH &&
			    (long)(now - cache.since[order][i] - wait) >= 0; i++)
			gone[n++] = cache.blocks[order][i];
		if (i) {
			for (k = i; k < nr; k++) {
				cache.blocks[order][k - i] = cache.blocks[order][k];
				cache.since[order][k - i] = cache.since[order][k];
			}
			WRITE_ONCE(cache.nr[order], nr - i);
			WRITE_ONCE(cache.bytes, cache.bytes - (PAGE_SIZE << order) * i);
		}
		if (cache.nr[order] &&
		    (!next || (long)(cache.since[order][0] + wait - next) < 0))
			next = cache.since[order][0] + wait;
	}
	WRITE_ONCE(cache.due, next ? next | 1 : 0);
	spin_unlock(&cache.lock);
	for (i = 0; i < n; i++) {
		order = state_order(page_private(gone[i]));
		block_release(uncache(gone[i]), order, true);
	}
}

void large_cache_drain(void)
{
	unsigned int order;
	struct page *page;

	for (order = 0; order <= MAX_PAGE_ORDER; order++)
		while ((page = cache_get(order)))
			block_release(page, order, true);
}

/* ---- blocks ---- */

static struct page *block_get(unsigned int order, bool guarded, gfp_t gfp)
{
	struct page *head = guarded ? cache_get(order) : NULL;

	if (head)
		return head;
	if (READ_ONCE(cache.due))
		cache_expire(arch_jiffies());
	head = alloc_pages(gfp & ~__GFP_ZERO, order);
	if (!head)
		return NULL;
	atomic_long_add((long)(PAGE_SIZE << order), &malloc_large_bytes);
	if (guarded && !READ_ONCE(guards_unavailable) &&
	    arch_guard_install(block_end(head, order, true), PAGE_SIZE))
		WRITE_ONCE(guards_unavailable, 1);	/* canaries only from now on */
	return head;
}

/*
 * realloc checks a block's canaries on every call, and an append in place
 * rewrites the tail: the full lengths (LARGE_CANARY after the data,
 * LARGE_HEAD_CANARY before it) are a few unaligned words inline, shorter
 * ones (a block with less room) take the loop.  A loop and memset() for
 * every length cost the realloc benchmark 8% more instructions.
 */
static __always_inline void canary_fill(char *p, size_t n)
{
	u64 cw = malloc_canary64;
	size_t i;

	if (likely(n == LARGE_CANARY)) {
		for (i = 0; i + 8 <= LARGE_CANARY; i += 8)	/* not "i <": 0 unhardened */
			__builtin_memcpy(p + i, &cw, sizeof(cw));
		return;
	}
	memset(p, malloc_canary_byte(), n);
}

static __always_inline bool canary_intact(const char *p, size_t n)
{
	u64 cw = malloc_canary64, diff = 0, v;
	size_t i;

	if (likely(n == LARGE_CANARY || n == LARGE_HEAD_CANARY)) {
		for (i = 0; i + 8 <= LARGE_CANARY; i += 8) {
			__builtin_memcpy(&v, p + i, sizeof(v));
			diff |= v ^ cw;
		}
		if (n == LARGE_HEAD_CANARY)
			for (; i + 8 <= LARGE_HEAD_CANARY; i += 8) {
				__builtin_memcpy(&v, p + i, sizeof(v));
				diff |= v ^ cw;
			}
		return !diff;
	}
	for (i = 0; i + 8 <= n; i += 8) {
		__builtin_memcpy(&v, p + i, sizeof(v));
		diff |= v ^ cw;
	}
	for (; i < n; i++)
		diff |= (u8)p[i] ^ (u8)cw;
	return !diff;
}

/* Canary bytes before the data: as many of LARGE_HEAD_CANARY as the block has. */
static inline size_t head_canary(struct page *head, const char *p)
{
	return min_t(size_t, LARGE_HEAD_CANARY, (size_t)(p - (char *)page_address(head)));
}

/* Canary bytes from the end of the data to the end of the area, at most LARGE_CANARY. */
static inline size_t tail_canary(const char *p, size_t size, const char *end)
{
	return min_t(size_t, LARGE_CANARY, (size_t)(end - (p + size)));
}

/*
 * calloc() of a large block: pages that are zero already are left alone,
 * so that only what the program writes later becomes resident, as with
 * glibc's fresh mmap (a memset of 1000 one-MiB blocks made 1 GB resident
 * that glibc never touches).
 * - A page the host never backed since it was committed or handed back by
 *   page reporting (pagemap: neither present nor swapped) is zero, unless
 *   its linear mapping is the shared physical-memory file (vmap'ed pages),
 *   whose bytes the host shows nowhere: asked once per block of
 *   CALLOC_QUERY_PAGES or more, a few system calls instead of a fault per
 *   page.
 * - Any other page is read: a recycled page with old data fails on its
 *   first words and is cleared; a zero one is left as it is.
 */
#define CALLOC_QUERY_PAGES	16
#define LARGE_MAX_PAGES		MAX_ORDER_NR_PAGES	/* a buddy block at most */

static void clear_nonzero_pages(char *p, size_t size)
{
	unsigned long first = (unsigned long)p & PAGE_MASK;
	unsigned long n = (ALIGN((unsigned long)p + size, PAGE_SIZE) - first) / PAGE_SIZE;
	unsigned long untouched[BITS_TO_LONGS(LARGE_MAX_PAGES)], i = 0;
	bool known = n >= CALLOC_QUERY_PAGES && n <= LARGE_MAX_PAGES &&
		     !linear_map_shared_any(page_to_pfn(virt_to_page(p)), n) &&
		     arch_pages_untouched((void *)first, n, untouched);
	char *end = p + size;

	while (p < end) {
		char *next = min(end, (char *)ALIGN((unsigned long)p + 1, PAGE_SIZE));

		if (!(known && (untouched[i / BITS_PER_LONG] >> (i % BITS_PER_LONG)) & 1) &&
		    !mem_is_zero(p, (size_t)(next - p)))
			memset(p, 0, (size_t)(next - p));
		p = next;
		i++;
	}
}

/*
 * @size bytes aligned to @align, placed for @capacity (>= size: realloc
 * grows a block by half at least, so that appends do not copy each time).
 * NULL if the block would pass the largest order: the caller maps it.
 */
void *large_alloc(size_t size, size_t align, size_t capacity, gfp_t gfp)
{
	size_t need, a = max_t(size_t, align, MIN_ALIGN);
	bool guarded, grow = capacity > size;
	unsigned int order;
	struct page *head, *dpage;
	char *end, *p;

	capacity = ALIGN(max(capacity, size), a);
	guarded = MALLOC_HARDEN && capacity >= LARGE_GUARD_MIN;
	if (!MALLOC_HARDEN)
		need = max(capacity, a);
	else if (grow)
		/* The block the room asked for, as without a guard, if the size fits in it. */
		need = max(capacity, size + (guarded ? PAGE_SIZE : LARGE_CANARY) + LARGE_HEAD_CANARY);
	else
		need = capacity + (guarded ? PAGE_SIZE : LARGE_CANARY) + LARGE_HEAD_CANARY +
		       (a > MIN_ALIGN ? a : 0);
	if (need > (PAGE_SIZE << MAX_PAGE_ORDER))
		return NULL;
	order = (unsigned int)get_order(need);
	head = block_get(order, guarded, gfp);
	if (!head)
		return NULL;
	end = block_end(head, order, guarded);
	if (!MALLOC_HARDEN) {
		p = (char *)page_address(head);
	} else if (grow) {
		/*
		 * Room to grow (realloc): all of the block, as the block
		 * without a guard would give; the guard further away, the
		 * tail canary still right after the data.
		 */
		p = (char *)ALIGN((unsigned long)page_address(head) + LARGE_HEAD_CANARY, a);
	} else if (guarded) {
		p = (char *)ALIGN_DOWN((unsigned long)end - capacity, a);
	} else {
		p = (char *)ALIGN_DOWN((unsigned long)end - LARGE_CANARY - capacity, a);
	}
	dpage = virt_to_page(p);
	set_page_private(dpage, pack_state((unsigned long)(dpage - head),
					   (unsigned long)p & ~PAGE_MASK, order, guarded));
	dpage->index = size;
	dpage->flags |= MALLOC_LARGE_FLAG;
	if (MALLOC_HARDEN) {
		/*
		 * The pages may have held a freed block at this very address,
		 * whose first word is then this block's free tag.
		 */
		*(unsigned long *)p = 0;
		canary_fill(p - head_canary(head, p), head_canary(head, p));
		canary_fill(p + size, tail_canary(p, size, end));
	}
	if (gfp & __GFP_ZERO)
		clear_nonzero_pages(p, size);
	return p;
}

int large_check(struct page *page, const void *p, const char *fn, size_t *size)
{
	unsigned long st = page_private(page);
	struct page *head = page - state_from_head(st);
	const char *d = (const char *)page_address(page) + state_off(st);

	if (p != d)
		return MERR_INVALID;
	if (st & (LARGE_CACHED | LARGE_SEALED))
		return MERR_DOUBLE_FREE;
	*size = page->index;
	if (MALLOC_HARDEN) {
		if (!canary_intact(d - head_canary(head, d), head_canary(head, d)))
			return MERR_UNDERFLOW;
		if (!canary_intact(d + *size, tail_canary(d, *size, state_end(page, st))))
			return MERR_OVERFLOW;
	}
	return 0;
}

size_t large_capacity(struct page *page, const void *p)
{
	unsigned long st = page_private(page);

	return (size_t)(state_end(page, st) - (const char *)p - (st & LARGE_GUARDED ? 0 : LARGE_CANARY));
}

void large_resize(struct page *page, void *p, size_t size)
{
	page->index = size;
	if (MALLOC_HARDEN)
		canary_fill((char *)p + size, tail_canary(p, size, state_end(page, page_private(page))));
}

/*
 * slab_debug's large blocks while they are parked: every page that holds
 * data becomes a guard page (a read or a write after free faults), and
 * the state says so, so that a second free is found without a read.
 * Unsealing leaves the pages zeroed.  Not where the host has no guard
 * pages (false).
 */
bool large_seal(struct page *page, void *p)
{
	unsigned long st = page_private(page);
	char *start = (char *)((unsigned long)p & PAGE_MASK);

	if (READ_ONCE(guards_unavailable) ||
	    arch_guard_install(start, (size_t)(state_end(page, st) - start)))
		return false;
	set_page_private(page, st | LARGE_SEALED);
	return true;
}

void large_unseal(struct page *page, void *p)
{
	unsigned long st = page_private(page);
	char *start = (char *)((unsigned long)p & PAGE_MASK);

	arch_guard_remove(start, (size_t)(state_end(page, st) - start));
	set_page_private(page, st & ~LARGE_SEALED);
}

/* After large_check() passed. */
void large_free(struct page *page, void *p)
{
	unsigned long st = page_private(page);
	unsigned int order = state_order(st);
	struct page *head = page - state_from_head(st);
	bool guarded = st & LARGE_GUARDED;
	unsigned long now = guarded || READ_ONCE(cache.due) ? arch_jiffies() : 0;

	if (!(guarded && cache_put(page, order, now))) {
		state_clear(page);
		block_release(head, order, guarded);
	}
	cache_expire(now);
}

unsigned long malloc_large_cached_bytes(void)
{
	return READ_ONCE(cache.bytes);
}

unsigned long malloc_large_block_bytes(void)
{
	long bytes = atomic_long_read(&malloc_large_bytes);

	return bytes > 0 ? (unsigned long)bytes : 0;
}

/*
 * Every live large block: its address and the size asked for (the exit
 * report).  A walk of the page map, a block at a time (free buddy blocks,
 * allocated blocks and never-touched deferred blocks are skipped whole:
 * reading the struct pages of the last would fault in the whole mem_map,
 * 0.8 s and 97k faults at exit on a 24 GiB host), looking for the flagged
 * page of each; no lock: at exit, a block freed meanwhile is at worst
 * listed.
 */
void malloc_large_for_each(void (*fn)(const void *p, size_t size, void *arg), void *arg)
{
	unsigned long pfn = 0, i, n;

	while (pfn < ukmem_ram_pfns) {
		struct page *page;
		unsigned int rec;

		if (pfn_deferred(pfn)) {
			pfn = ALIGN(pfn + 1, MAX_ORDER_NR_PAGES);
			continue;
		}
		page = pfn_to_page(pfn);
		rec = page_alloc_order_rec(page);
		if (PageBuddy(page)) {
			pfn += 1UL << min_t(unsigned long, page_private(page), MAX_PAGE_ORDER);
			continue;
		}
		n = rec ? 1UL << (rec - 1) : 1;
		for (i = 0; rec && i < n && pfn + i < ukmem_ram_pfns; i++) {
			struct page *d = page + i;
			unsigned long st = page_private(d);

			if (!(READ_ONCE(d->flags) & MALLOC_LARGE_FLAG) ||
			    (st & (LARGE_CACHED | LARGE_SEALED)))
				continue;
			fn((const char *)page_address(d) + state_off(st), d->index, arg);
		}
		pfn += n;
	}
}
