/* SPDX-License-Identifier: MIT */
/*
 * malloc/host.c - the largest allocations, straight from the host, as glibc
 * serves requests above its mmap threshold.
 *
 * Each block is its own mapping: one header page, then the caller's bytes
 * (page aligned, or aligned further by trimming a larger reservation).  A
 * hash set of the blocks' addresses, under one spinlock, tells our blocks
 * from foreign pointers without ever reading memory that is not ours;
 * these blocks are rare and each costs a system call, so the lock is not
 * a bottleneck.  realloc moves the mapping with mremap, as glibc does.
 *
 * A freed block's mapping is kept a short while for the next request of
 * about its size (the host cache, below): glibc raises its mmap threshold
 * to the size of a freed mapping, so that a program that allocates and
 * frees the same large buffer in a loop (numpy's temporaries, a
 * compressor's window per file) reuses heap memory instead of faulting in
 * fresh pages each time; numpy's 16 MB temporaries made 3.4 times the
 * page faults of glibc here before.
 */
#include <errno.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/kmemleak.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>
#include <asm/page.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "malloc/malloc_internal.h"
#include "mm/internal.h"

#define HOST_MAGIC	0x756b6d656d686f73ULL	/* "ukmemhos" */

struct host_header {
	u64 magic;
	void *map;		/* start of the mapping */
	size_t map_len;		/* length of the mapping */
	size_t size;		/* bytes the caller asked for */
};

static DEFINE_SPINLOCK_RANKED(host_lock, LOCK_RANK_MALLOC_HOST);

/* fork(): held across it, taken before the slab locks (it calls kmalloc). */
static const struct fork_step host_fork_step = {
	.name = "malloc",
	.order = FORK_ORDER_MALLOC,
	.spinlock = &host_lock,
};

void host_init(void)
{
	fork_register_step(&host_fork_step);
}
/*
 * The host cache: mappings of freed blocks, under host_lock, each kept
 * until a request fits it, a newer one needs its slot, or it has waited
 * the page reporting delay (page_reporting.delay_ms, as the large blocks'
 * cache in large.c: checked at each host block's allocation and free, no
 * worker; malloc_trim() empties it).  Only mappings up to glibc's largest
 * dynamic mmap threshold (32 MiB), 64 MiB in all: what glibc's heap would
 * keep of the same loop.  Its pages stay resident, which is the point, but
 * not at the freed block's address: the mapping is moved away as it is
 * kept (a placeholder mapping, then mremap onto it: the pages and page
 * tables move, nothing is copied or faulted), so the freed block's
 * addresses are unmapped and a pointer kept from its life faults, before
 * the mapping is handed out again and after (it is handed out at its new
 * address).  A round costs those two calls, 7 to 24 us for 8 MiB on a
 * 6.18 host; keeping it in place inaccessible (PROT_NONE, then read-write
 * again) cost 260 us, and still let a stale pointer write into the next
 * block given that mapping.  Where the host has no room for the move (an
 * address-space limit), the mapping is not kept.
 */
#define HOST_CACHE_SLOTS	4
#define HOST_CACHE_MAX_LEN	(32UL << 20)
#define HOST_CACHE_BYTES	(64UL << 20)

static struct {
	unsigned int nr;		/* the oldest first */
	unsigned long bytes;
	void *map[HOST_CACHE_SLOTS];
	void *was[HOST_CACHE_SLOTS];	/* where it was when its block was freed */
	size_t len[HOST_CACHE_SLOTS];
	unsigned long since[HOST_CACHE_SLOTS];	/* jiffies when freed */
} hcache;

static unsigned long *host_set;		/* open addressing, 0 = empty, 1 = deleted */
static unsigned long host_set_size;	/* slots, a power of two */
static unsigned long host_set_used;	/* live + deleted slots */
static unsigned long host_blocks, host_bytes, max_host_blocks, max_host_bytes;

static inline unsigned long slot_of(unsigned long key, unsigned long size)
{
	return (key >> PAGE_SHIFT) * 0x9e3779b97f4a7c15UL >> 11 & (size - 1);
}

static bool set_contains_locked(unsigned long key)
{
	unsigned long i, n;

	if (!host_set)
		return false;
	for (i = slot_of(key, host_set_size), n = 0; n < host_set_size;
	     i = (i + 1) & (host_set_size - 1), n++) {
		if (host_set[i] == key)
			return true;
		if (!host_set[i])
			return false;
	}
	return false;
}

static void set_insert_raw(unsigned long *set, unsigned long size, unsigned long key)
{
	unsigned long i = slot_of(key, size);

	while (set[i] > 1)
		i = (i + 1) & (size - 1);
	set[i] = key;
}

/* Grow (or clean) the set so that one more key fits at load <= 1/2. */
static bool set_reserve_locked(void)
{
	unsigned long new_size, i, *new_set;

	if (host_set && (host_set_used + 1) * 2 <= host_set_size)
		return true;
	new_size = host_set_size ? host_set_size : 64;
	while ((host_blocks + 1) * 2 > new_size)
		new_size *= 2;
	/* The table comes from kmalloc; GFP_ATOMIC because host_lock is held. */
	new_set = kcalloc(new_size, sizeof(*new_set), GFP_ATOMIC | __GFP_NOWARN);
	if (!new_set)
		return false;
	/* Its entries are the blocks' addresses: no reference for kmemleak. */
	kmemleak_no_scan(new_set);
	for (i = 0; i < host_set_size; i++)
		if (host_set[i] > 1)
			set_insert_raw(new_set, new_size, host_set[i]);
	kfree(host_set);
	host_set = new_set;
	host_set_size = new_size;
	host_set_used = host_blocks;
	return true;
}

static bool set_remove_locked(unsigned long key)
{
	unsigned long i, n;

	if (!host_set)
		return false;
	for (i = slot_of(key, host_set_size), n = 0; n < host_set_size;
	     i = (i + 1) & (host_set_size - 1), n++) {
		if (host_set[i] == key) {
			host_set[i] = 1;	/* tombstone */
			return true;
		}
		if (!host_set[i])
			return false;
	}
	return false;
}

static inline struct host_header *header_of(const void *p)
{
	return (struct host_header *)((unsigned long)p - PAGE_SIZE);
}

static void account(long blocks, long bytes)
{
	host_blocks += blocks;
	host_bytes += bytes;
	max_host_blocks = max(max_host_blocks, host_blocks);
	max_host_bytes = max(max_host_bytes, host_bytes);
}

/* Slot @i leaves the cache (host_lock held); the rest keep their order. */
static void hcache_remove_locked(unsigned int i)
{
	hcache.bytes -= hcache.len[i];
	for (; i + 1 < hcache.nr; i++) {
		hcache.map[i] = hcache.map[i + 1];
		hcache.was[i] = hcache.was[i + 1];
		hcache.len[i] = hcache.len[i + 1];
		hcache.since[i] = hcache.since[i + 1];
	}
	hcache.nr--;
}

/*
 * The mappings that waited long enough by @now, or all with @all, leave
 * the cache into @gone (HOST_CACHE_SLOTS entries); their count.  host_lock
 * held; the caller unmaps them after dropping it.
 */
static unsigned int hcache_expire_locked(unsigned long now, bool all,
					 void **gone, size_t *gone_len)
{
	unsigned long wait = boot_config.page_reporting_delay_ms * HZ / 1000;
	unsigned int n = 0;

	while (hcache.nr && (all || (long)(now - hcache.since[0] - wait) >= 0)) {
		gone[n] = hcache.map[0];
		gone_len[n++] = hcache.len[0];
		hcache_remove_locked(0);
	}
	return n;
}

static void unmap_all(void **map, size_t *len, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		arch_unmap(map[i], len[i]);
}

/*
 * A kept mapping of at least @len bytes and at most a quarter more (best
 * fit); its length in *@len.  NULL if none fits.
 */
static void *hcache_take(size_t *len)
{
	void *gone[HOST_CACHE_SLOTS], *map = NULL;
	size_t gone_len[HOST_CACHE_SLOTS], best_len = 0;
	unsigned int i, best = 0, n;

	if (!READ_ONCE(hcache.nr) || *len > HOST_CACHE_MAX_LEN)
		return NULL;
	spin_lock(&host_lock);
	for (i = 0; i < hcache.nr; i++)
		if (hcache.len[i] >= *len && hcache.len[i] - *len <= *len / 4 &&
		    (!map || hcache.len[i] < best_len)) {
			map = hcache.map[i];
			best_len = hcache.len[i];
			best = i;
		}
	if (map)
		hcache_remove_locked(best);
	n = hcache_expire_locked(arch_jiffies(), false, gone, gone_len);
	spin_unlock(&host_lock);
	unmap_all(gone, gone_len, n);
	if (map)
		*len = best_len;
	return map;
}

/* Keep the mapping of a freed block; false if it is not kept (unmap it). */
static bool hcache_put(void *freed, size_t len)
{
	void *map;
	void *gone[HOST_CACHE_SLOTS + 1];
	size_t gone_len[HOST_CACHE_SLOTS + 1];
	unsigned long now = arch_jiffies();
	unsigned int n;

	/*
	 * Kept only where it could be moved: at vm.max_map_count the host
	 * refuses the split that moving it takes where a neighbour was merged
	 * into its mapping; unmapping it instead still works where the block
	 * ends that mapping on one side (munmap refuses only a three-way
	 * split).
	 */
	if (len > HOST_CACHE_MAX_LEN)
		return false;
	map = arch_move_anon(freed, len);
	if (!map)
		return false;
	spin_lock(&host_lock);
	n = hcache_expire_locked(now, false, gone, gone_len);
	/* The newest is likelier to be asked for again: the oldest makes room. */
	while (hcache.nr && (hcache.nr == HOST_CACHE_SLOTS ||
			     hcache.bytes + len > HOST_CACHE_BYTES)) {
		gone[n] = hcache.map[0];
		gone_len[n++] = hcache.len[0];
		hcache_remove_locked(0);
	}
	hcache.map[hcache.nr] = map;
	hcache.was[hcache.nr] = freed;
	hcache.len[hcache.nr] = len;
	hcache.since[hcache.nr] = now;
	hcache.bytes += len;
	WRITE_ONCE(hcache.nr, hcache.nr + 1);
	spin_unlock(&host_lock);
	unmap_all(gone, gone_len, n);
	return true;
}

/* Every kept mapping goes back to the host; how many there were. */
unsigned int host_cache_drain(void)
{
	void *gone[HOST_CACHE_SLOTS];
	size_t gone_len[HOST_CACHE_SLOTS];
	unsigned int n;

	if (!READ_ONCE(hcache.nr))
		return 0;
	spin_lock(&host_lock);
	n = hcache_expire_locked(0, true, gone, gone_len);
	spin_unlock(&host_lock);
	unmap_all(gone, gone_len, n);
	return n;
}

/*
 * The host refused @len bytes: lend it free RAM's address space (the
 * balloon, mm/balloon.c), as much as the limit is short of @len and no
 * more: each block lent is RAM that allocations get back only through
 * reclaim (GFP_ATOMIC and GFP_NOWAIT ones not at all), so lending the
 * whole of @len when the limit was a few pages short took most of RAM
 * away for nothing.  Free memory the front end and the slabs keep
 * (guarded large blocks, empty slabs, per-CPU pages) is let go first if
 * whole free blocks are short, as malloc_trim() does.  All or nothing:
 * if the shortfall cannot be lent, what was is taken back (a request no
 * room could satisfy used to leave all of free RAM lent).  Returns the
 * bytes lent.
 */
static unsigned long host_room_from_ram(size_t len)
{
	unsigned long left = arch_address_space_left(), need, got;

	if (left == ULONG_MAX)
		return 0;	/* no limit: the RAM range costs no address space */
	/*
	 * Room enough in the limit: refused for the commit charge (strict
	 * overcommit, where RAM's committed blocks are charged too and a
	 * hole gives their charge back) or for the map count, which no
	 * hole helps.
	 */
	if (left >= len)
		need = arch_strict_overcommit() ? len : 0;
	else
		need = len - left;
	if (!need)
		return 0;
	got = balloon_inflate(need);
	if (got < need && in_task()) {
		large_cache_drain();
		kmem_cache_shrink_all();
		drain_all_pages(NULL);
		got += balloon_inflate(need - got);
	}
	if (got && got < need) {
		balloon_deflate(got);
		got = 0;
	}
	return got;
}

void *host_alloc(size_t size, size_t align, bool zero)
{
	size_t len, slack = align > PAGE_SIZE ? align - PAGE_SIZE : 0;
	struct host_header *hdr;
	unsigned long user;
	char *map;

	if (size > SIZE_MAX / 2)
		return NULL;
	len = PAGE_ALIGN(size) + PAGE_SIZE + slack;
	map = hcache_take(&len);
	/*
	 * A kept mapping holds the freed block's bytes.  calloc wants a fresh
	 * mapping's zeroes, all of it (the usable size); init_on_alloc and
	 * init_on_free promise that no block shows an earlier one's bytes,
	 * which a fresh mapping keeps by itself and a kept one does not.  Its
	 * pages are dropped (MADV_DONTNEED), not cleared: a page the program
	 * then touches faults in zeroed, as in a fresh mapping, and the rest
	 * cost nothing.  memset() touched every page of it: a loop of callocs
	 * of 4.5-12 MB that wrote a page or two of each ran 12 times glibc's
	 * time, and with three times its RSS (the pages cleared, then walked
	 * again by the mprotect() of the next free).
	 */
	if (map && (zero || init_on_alloc || init_on_free))
		arch_discard(map, len, false);
	else if (!map)
		map = arch_map_anon(len);
	/*
	 * Kept mappings still count against an address-space limit (ulimit
	 * -v) and, under strict overcommit, the commit charge: a request
	 * refused for them must have them back, as glibc would (it unmaps a
	 * freed block).
	 */
	if (!map && host_cache_drain())
		map = arch_map_anon(len);
	/* Then free RAM's address space, lent back to the host (mm/balloon.c). */
	if (!map) {
		unsigned long lent = host_room_from_ram(len);

		if (lent) {
			map = arch_map_anon(len);
			if (!map)
				balloon_deflate(lent);	/* another thread took the room */
		}
	}
	if (!map)
		return NULL;
	user = ALIGN((unsigned long)map + PAGE_SIZE, max(align, (size_t)PAGE_SIZE));
	hdr = header_of((void *)user);
	hdr->magic = HOST_MAGIC;
	hdr->map = map;
	hdr->map_len = len;
	hdr->size = size;
	spin_lock(&host_lock);
	if (!set_reserve_locked()) {
		spin_unlock(&host_lock);
		arch_unmap(map, len);
		return NULL;
	}
	set_insert_raw(host_set, host_set_size, user);
	host_set_used++;
	account(1, (long)len);
	spin_unlock(&host_lock);
	return (void *)user;
}

bool host_owns(const void *p)
{
	bool found;

	if ((unsigned long)p & ~PAGE_MASK)
		return false;
	spin_lock(&host_lock);
	found = set_contains_locked((unsigned long)p);
	spin_unlock(&host_lock);
	return found;
}

bool host_freed_kept(const void *p)
{
	unsigned long a = (unsigned long)p;
	bool found = false;
	unsigned int i;

	if ((a & ~PAGE_MASK) || !READ_ONCE(hcache.nr))
		return false;
	spin_lock(&host_lock);
	for (i = 0; i < hcache.nr && !found; i++)
		found = a > (unsigned long)hcache.was[i] &&
			a < (unsigned long)hcache.was[i] + hcache.len[i];
	spin_unlock(&host_lock);
	return found;
}

bool host_free(void *p)
{
	struct host_header *hdr;
	bool found;

	if ((unsigned long)p & ~PAGE_MASK)
		return false;
	spin_lock(&host_lock);
	found = set_remove_locked((unsigned long)p);
	if (found)
		account(-1, -(long)header_of(p)->map_len);
	spin_unlock(&host_lock);
	if (!found)
		return false;
	hdr = header_of(p);
	if (!hcache_put(hdr->map, hdr->map_len))
		arch_unmap(hdr->map, hdr->map_len);
	return true;
}

size_t host_usable_size(const void *p)
{
	const struct host_header *hdr;

	if (!host_owns(p))
		return 0;
	hdr = header_of(p);
	return (size_t)((char *)hdr->map + hdr->map_len - (char *)p);
}

/*
 * init_on_alloc / init_on_free: the room a block grows into reads zero.
 * Past the old mapping it is a fresh one's; below, it may hold what the
 * block held before a shrink that kept the mapping.
 */
static void host_grow_init(char *p, size_t old_size, size_t size, size_t mapped)
{
	size_t end = min(size, mapped);

	if (unlikely(init_on_alloc || init_on_free) && end > old_size)
		memset(p + old_size, 0, end - old_size);
}

void *host_realloc(void *p, size_t size)
{
	struct host_header *hdr = header_of(p);
	size_t offset = (size_t)((char *)p - (char *)hdr->map);
	size_t old_len = hdr->map_len, old_size = hdr->size, new_len;
	char *map;

	if (size > SIZE_MAX / 2)
		return NULL;
	new_len = PAGE_ALIGN(size) + offset;
	if (new_len <= old_len && new_len > old_len / 2) {
		hdr->size = size;
		host_grow_init(p, old_size, size, old_len - offset);
		return p;
	}
	map = arch_remap(hdr->map, old_len, new_len);
	if (!map && new_len > old_len && host_cache_drain())
		map = arch_remap(hdr->map, old_len, new_len);	/* as in host_alloc() */
	if (!map && new_len > old_len) {
		unsigned long lent = host_room_from_ram(new_len - old_len);

		if (lent) {
			map = arch_remap(hdr->map, old_len, new_len);
			if (!map)
				balloon_deflate(lent);
		}
	}
	if (!map)
		return NULL;	/* the old block is untouched */
	hdr = (struct host_header *)(map + offset - PAGE_SIZE);
	hdr->map = map;
	hdr->map_len = new_len;
	hdr->size = size;
	/* The removal leaves a tombstone the insertion may reuse: no growth. */
	spin_lock(&host_lock);
	set_remove_locked((unsigned long)p);
	set_insert_raw(host_set, host_set_size, (unsigned long)(map + offset));
	host_set_used++;
	account(0, (long)new_len - (long)old_len);
	spin_unlock(&host_lock);
	host_grow_init(map + offset, old_size, size, old_len - offset);
	return map + offset;
}

void host_usage(unsigned long *blocks, unsigned long *bytes,
		unsigned long *max_blocks, unsigned long *max_bytes)
{
	spin_lock(&host_lock);
	*blocks = host_blocks;
	*bytes = host_bytes;
	*max_blocks = max_host_blocks;
	*max_bytes = max_host_bytes;
	spin_unlock(&host_lock);
}

/* Every live host block: its address and the size asked for (the exit report). */
void host_for_each(void (*fn)(const void *p, size_t size, void *arg), void *arg)
{
	unsigned long i;

	spin_lock(&host_lock);
	for (i = 0; host_set && i < host_set_size; i++)
		if (host_set[i] > 1)
			fn((const void *)host_set[i], header_of((void *)host_set[i])->size, arg);
	spin_unlock(&host_lock);
}
