/* SPDX-License-Identifier: MIT */
/*
 * lib/stackdepot.c - a store of stack traces, each kept once and named by
 * a 32-bit handle (the kernel's lib/stackdepot.c, without eviction: a
 * record counted with STACK_DEPOT_FLAG_GET stays when its count falls to
 * zero, and counts again when its trace is saved again).
 *
 * Records live in chunks of host memory (1 MiB each, mapped as needed, 64
 * at most), never in the machine's RAM: page_owner saves a trace for
 * every page allocation, and a depot that allocated pages itself would
 * recurse into the allocator it describes.  A record is found again by
 * the hash of its frames in a table of chains.  Lookups take no lock: a
 * record is filled before the release store that links it, and never
 * changes or goes after.  Insertion takes depot_lock (a leaf); in a signal
 * handler it is only tried, and a busy depot answers 0 as a full one does.
 *
 * A handle is (chunk + 1) << 16 | offset / 16: records are 16-byte
 * aligned, so 16 bits of offset cover a 1 MiB chunk.  0 is no handle.
 * The top STACK_DEPOT_EXTRA_BITS bits are the caller's (extra bits).
 */
#include <stdio.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/stackdepot.h>
#include <linux/stacktrace.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "kernel/locking.h"

#define DEPOT_CHUNK_SIZE	(1UL << 20)
#define DEPOT_MAX_CHUNKS	64
#define DEPOT_BUCKETS		(1U << 14)
#define DEPOT_MAX_FRAMES	64		/* CONFIG_STACKDEPOT_MAX_FRAMES: longer traces are cut */

struct depot_record {
	struct depot_record *next;	/* the chain of its bucket */
	u32 hash;
	u32 nr_entries;
	u32 count;			/* STACK_DEPOT_FLAG_GET's count, or COUNT_FOREVER */
	unsigned long entries[];
};

/* A record saved without STACK_DEPOT_FLAG_GET: never counted (the kernel's saturated refcount). */
#define COUNT_FOREVER		U32_MAX
#define HANDLE_EXTRA_SHIFT	(32 - STACK_DEPOT_EXTRA_BITS)
#define HANDLE_RECORD_MASK	((1U << HANDLE_EXTRA_SHIFT) - 1)

static struct depot_record **buckets;		/* DEPOT_BUCKETS chains, mapped at first use */
static char *chunks[DEPOT_MAX_CHUNKS];
static unsigned int nr_chunks;			/* chunks[0..nr_chunks) mapped */
static size_t chunk_used;			/* bytes used of the last one */
static bool depot_full_said;
static DEFINE_SPINLOCK_RANKED(depot_lock, LOCK_RANK_STACKDEPOT);

static const struct fork_step depot_fork_step = {
	.name = "stackdepot",
	.order = FORK_ORDER_STACKDEPOT,
	.spinlock = &depot_lock,
};

/* At boot (init/main.c): the fork step of depot_lock. */
int stack_depot_init(void)
{
	static bool registered;

	if (!__atomic_exchange_n(&registered, true, __ATOMIC_ACQ_REL))
		fork_register_step(&depot_fork_step);
	return 0;
}

/* A 32-bit mix of the frames (a multiply-xorshift per word). */
static u32 hash_entries(const unsigned long *entries, unsigned int nr)
{
	u64 h = 0x9e3779b97f4a7c15ULL ^ nr;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		h ^= entries[i];
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
	}
	return (u32)(h ^ (h >> 32));
}

static struct depot_record *find(struct depot_record *rec, u32 hash,
				 const unsigned long *entries, unsigned int nr)
{
	for (; rec; rec = __atomic_load_n(&rec->next, __ATOMIC_ACQUIRE))
		if (rec->hash == hash && __atomic_load_n(&rec->nr_entries, __ATOMIC_ACQUIRE) == nr &&
		    !memcmp(rec->entries, entries, nr * sizeof(*entries)))
			return rec;
	return NULL;
}

static depot_stack_handle_t handle_of(const struct depot_record *rec)
{
	unsigned int i;

	for (i = 0; i < DEPOT_MAX_CHUNKS; i++) {
		const char *c = __atomic_load_n(&chunks[i], __ATOMIC_ACQUIRE);

		if (c && (const char *)rec >= c && (const char *)rec < c + DEPOT_CHUNK_SIZE)
			return (depot_stack_handle_t)((i + 1) << 16 |
						      (u32)(((const char *)rec - c) >> 4));
	}
	return 0;
}

/*
 * Room for @bytes (a multiple of 16) in the chunks; under depot_lock.
 * A new chunk only if @can_alloc: NULL then means the depot is full (or
 * the host refused), NULL without it only that no room is left unmapped.
 */
static struct depot_record *depot_alloc(size_t bytes, bool can_alloc)
{
	char *chunk;

	if (nr_chunks && chunk_used + bytes <= DEPOT_CHUNK_SIZE) {
		chunk = chunks[nr_chunks - 1] + chunk_used;
		chunk_used += bytes;
		return (struct depot_record *)chunk;
	}
	if (!can_alloc || nr_chunks == DEPOT_MAX_CHUNKS || bytes > DEPOT_CHUNK_SIZE)
		return NULL;
	chunk = arch_map_anon(DEPOT_CHUNK_SIZE);
	if (!chunk)
		return NULL;
	__atomic_store_n(&chunks[nr_chunks], chunk, __ATOMIC_RELEASE);
	nr_chunks++;
	chunk_used = bytes;
	return (struct depot_record *)chunk;
}

/*
 * STACK_DEPOT_FLAG_GET on a record found or made: one more count, unless
 * it is not counted (saved without the flag first: the kernel would warn
 * of the mix and leave it saturated).  Lock-free: lookups race with it.
 */
static void record_get(struct depot_record *rec)
{
	u32 count = __atomic_load_n(&rec->count, __ATOMIC_RELAXED);

	do {
		if (count == COUNT_FOREVER || count == COUNT_FOREVER - 1)
			return;
	} while (!__atomic_compare_exchange_n(&rec->count, &count, count + 1, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
}

/* A record found for a save: its handle, counted first if @get. */
static depot_stack_handle_t found(struct depot_record *rec, bool get)
{
	if (get)
		record_get(rec);
	return handle_of(rec);
}

depot_stack_handle_t stack_depot_save_flags(unsigned long *entries, unsigned int nr_entries,
					    gfp_t gfp, depot_flags_t depot_flags)
{
	bool can_alloc = depot_flags & STACK_DEPOT_FLAG_CAN_ALLOC;
	bool get = depot_flags & STACK_DEPOT_FLAG_GET, say_full = false;
	struct depot_record **bucket, *rec, **table;
	u32 hash;

	(void)gfp;
	if (WARN_ON_ONCE(depot_flags & ~STACK_DEPOT_FLAGS_MASK) || !entries || !nr_entries)
		return 0;
	nr_entries = min(nr_entries, (unsigned int)DEPOT_MAX_FRAMES);
	hash = hash_entries(entries, nr_entries);
	table = __atomic_load_n(&buckets, __ATOMIC_ACQUIRE);
	if (table) {
		rec = find(__atomic_load_n(&table[hash % DEPOT_BUCKETS], __ATOMIC_ACQUIRE), hash,
			   entries, nr_entries);
		if (rec)
			return found(rec, get);
	}
	if (in_interrupt()) {
		if (!spin_trylock(&depot_lock))
			return 0;
	} else {
		spin_lock(&depot_lock);
	}
	if (!buckets) {
		table = can_alloc ? arch_map_anon(DEPOT_BUCKETS * sizeof(*buckets)) : NULL;
		if (!table) {
			spin_unlock(&depot_lock);
			return 0;
		}
		__atomic_store_n(&buckets, table, __ATOMIC_RELEASE);
	}
	bucket = &buckets[hash % DEPOT_BUCKETS];
	rec = find(*bucket, hash, entries, nr_entries);
	if (rec) {
		spin_unlock(&depot_lock);
		return found(rec, get);
	}
	rec = depot_alloc(ALIGN(sizeof(*rec) + nr_entries * sizeof(*entries), 16), can_alloc);
	if (rec) {
		rec->hash = hash;
		rec->count = get ? 1 : COUNT_FOREVER;
		memcpy(rec->entries, entries, nr_entries * sizeof(*entries));
		/*
		 * Last, released: a handle reaches readers by ways of their
		 * own (page_owner's records), and the length's acquire is
		 * what orders the frames for them.
		 */
		__atomic_store_n(&rec->nr_entries, nr_entries, __ATOMIC_RELEASE);
		rec->next = *bucket;
		__atomic_store_n(bucket, rec, __ATOMIC_RELEASE);
	} else if (can_alloc && !depot_full_said) {
		depot_full_said = say_full = true;
	}
	spin_unlock(&depot_lock);
	if (say_full)	/* once, outside depot_lock */
		pr_warn("Stack depot reached limit capacity\n");
	return rec ? handle_of(rec) : 0;
}

depot_stack_handle_t stack_depot_save(unsigned long *entries, unsigned int nr_entries,
				      gfp_t gfp)
{
	return stack_depot_save_flags(entries, nr_entries, gfp, STACK_DEPOT_FLAG_CAN_ALLOC);
}

void stack_depot_request_early_init(void)
{
}

/*
 * The record @handle names (its extra bits ignored), or NULL: 0, or a
 * corrupt handle, reported as @fn's.  A handle read from corrupted memory
 * (a track overwritten by an overflow) may name a plausible place: only a
 * record whose length fits and whose frames hash to its hash is one.
 */
static struct depot_record *record_of(depot_stack_handle_t handle, const char *fn)
{
	depot_stack_handle_t bits = handle & HANDLE_RECORD_MASK;
	unsigned int chunk = (bits >> 16) - 1, nr;
	size_t offset = (size_t)(bits & 0xffff) << 4;
	struct depot_record *rec;
	char *c;

	if (!bits)
		return NULL;
	c = chunk < DEPOT_MAX_CHUNKS ? __atomic_load_n(&chunks[chunk], __ATOMIC_ACQUIRE) : NULL;
	if (!c || offset + sizeof(*rec) > DEPOT_CHUNK_SIZE)
		goto corrupt;
	rec = (struct depot_record *)(c + offset);
	nr = __atomic_load_n(&rec->nr_entries, __ATOMIC_ACQUIRE);
	if (!nr || nr > DEPOT_MAX_FRAMES ||
	    offset + sizeof(*rec) + nr * sizeof(rec->entries[0]) > DEPOT_CHUNK_SIZE ||
	    hash_entries(rec->entries, nr) != rec->hash)
		goto corrupt;
	return rec;
corrupt:
	pr_err("%s: corrupt handle %#x\n", fn, handle);
	return NULL;
}

unsigned int stack_depot_fetch(depot_stack_handle_t handle, unsigned long **entries)
{
	struct depot_record *rec = record_of(handle, __func__);

	*entries = rec ? rec->entries : NULL;
	return rec ? __atomic_load_n(&rec->nr_entries, __ATOMIC_ACQUIRE) : 0;
}

void stack_depot_put(depot_stack_handle_t handle)
{
	struct depot_record *rec = record_of(handle, __func__);
	u32 count;

	if (!rec)
		return;
	count = __atomic_load_n(&rec->count, __ATOMIC_RELAXED);
	do {
		if (count == COUNT_FOREVER)
			return;
		/* The kernel's refcount_t says so, and stays at zero. */
		if (WARN_ONCE(!count, "refcount_t: underflow; use-after-free.\n"))
			return;
	} while (!__atomic_compare_exchange_n(&rec->count, &count, count - 1, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
}

depot_stack_handle_t stack_depot_set_extra_bits(depot_stack_handle_t handle,
						unsigned int extra_bits)
{
	if (!handle)
		return handle;
	return (handle & HANDLE_RECORD_MASK) | extra_bits << HANDLE_EXTRA_SHIFT;
}

unsigned int stack_depot_get_extra_bits(depot_stack_handle_t handle)
{
	return handle >> HANDLE_EXTRA_SHIFT;
}

void stack_depot_print(depot_stack_handle_t stack)
{
	unsigned long *entries;
	unsigned int nr = stack_depot_fetch(stack, &entries);

	if (nr)
		stack_trace_print(entries, nr, 0);
}

int stack_depot_snprint(depot_stack_handle_t handle, char *buf, size_t size, int spaces)
{
	unsigned long *entries;
	unsigned int nr = stack_depot_fetch(handle, &entries);

	return nr ? stack_trace_snprint(buf, size, entries, nr, spaces) : 0;
}

/* ---- linux/stacktrace.h ---- */

unsigned int stack_trace_save(unsigned long *store, unsigned int size, unsigned int skipnr)
{
	int n = arch_stack_trace(store, (int)size, (int)skipnr + 1);

	return n > 0 ? (unsigned int)n : 0;
}

void stack_trace_print(const unsigned long *entries, unsigned int nr_entries, int spaces)
{
	unsigned int i;

	for (i = 0; i < nr_entries; i++)
		printk("%*c%pS\n", 1 + spaces, ' ', (void *)entries[i]);
}

int stack_trace_snprint(char *buf, size_t size, const unsigned long *entries,
			unsigned int nr_entries, int spaces)
{
	size_t total = 0, len;
	unsigned int i;

	/*
	 * The kernel's count: every entry printed, and the whole length of
	 * the one that did not fit (its callers compare the result with the
	 * buffer's size to find out that it was cut).
	 */
	if (WARN_ON(!entries) || !buf)
		return 0;
	for (i = 0; i < nr_entries && size; i++) {
		len = (size_t)ksnprintf(buf, size, "%*c%pS\n", 1 + spaces, ' ', (void *)entries[i]);
		total += len;
		len = min(len, size);
		buf += len;
		size -= len;
	}
	return (int)total;
}
