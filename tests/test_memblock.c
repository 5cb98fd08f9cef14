/* SPDX-License-Identifier: MIT */
/*
 * memblock in the boot phase (mem=6G numa=fake=2 memblock=debug): region
 * merging and splitting in memblock.memory and memblock.reserved, top-down
 * and bottom-up allocation, range limits, node preference, low memory,
 * zeroing and alignment, the iterators, region array doubling and the
 * memblock=debug / memblock_dump_all() output.  After boot: what the hook
 * reserved stays PG_reserved and is never handed out, what it freed is,
 * and memblock allocations warn and fail.
 *
 * The layout the hook sees: node 0 is [0, 3G), node 1 [3G, 6G); boot put
 * pfn 0, mem_map and the node/zone metadata in memblock.reserved (top of
 * each node), so [4K, ~3G) and [3G, ~6G - 100M) are free.  Every case
 * leaves memblock as it found it, so that the cases do not depend on
 * their order and boot goes on with the map it built.
 *
 * The oracles below (ref_*) read the region arrays directly, independently
 * of the library's own search and iterators.
 */
#include <linux/bootmem.h>
#include <linux/gfp.h>
#include <linux/kfence.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "mm/internal.h"
#include "memblock_test.h"

#define G		(1ULL << 30)
#define M		(1ULL << 20)
#define K4		4096ULL
#define RAM		(6 * G)
#define NODE1		(3 * G)

static char logbuf[256 << 10];

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

/* The log is kept whole (the hook's output is checked after boot too). */
static size_t log_mark(void)
{
	return strlen(dmesg_now());
}

static const char *log_since(size_t mark)
{
	size_t len = strlen(dmesg_now());

	return logbuf + (mark <= len ? mark : len);
}

#define RUN_CASE(fn)							\
	do {								\
		int _before = ktest_failures;				\
		ktest_current = #fn;					\
		fn();							\
		if (ktest_failures != _before)				\
			fprintf(stderr, "FAIL %s\n", #fn);		\
	} while (0)

/* ---- oracles on the raw arrays ---- */

/* Is [base, end) covered by the regions of @type? */
static bool ref_covered(const struct memblock_type *type, phys_addr_t base, phys_addr_t end)
{
	phys_addr_t cur = base;
	unsigned long i;

	for (i = 0; i < type->cnt && cur < end; i++) {
		const struct memblock_region *r = &type->regions[i];

		if (r->base + r->size <= cur)
			continue;
		if (r->base > cur)
			return false;
		cur = r->base + r->size;
	}
	return cur >= end;
}

/* Does any region of @type intersect [base, end)? */
static bool ref_intersects(const struct memblock_type *type, phys_addr_t base, phys_addr_t end)
{
	unsigned long i;

	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		if (r->base < end && base < r->base + r->size)
			return true;
	}
	return false;
}

/* [base, end) is RAM of node @nid (or any node) and not reserved. */
static bool ref_free(phys_addr_t base, phys_addr_t end, int nid)
{
	unsigned long i;

	if (!ref_covered(&memblock.memory, base, end) ||
	    ref_intersects(&memblock.reserved, base, end))
		return false;
	if (nid == NUMA_NO_NODE)
		return true;
	for (i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (r->base < end && base < r->base + r->size && r->nid != nid)
			return false;
	}
	return true;
}

/*
 * Top-down means: no aligned, free, fitting place above @found below
 * @limit.  (Checked at every multiple of @align, which is exactly the set
 * of candidates the allocator may choose from.)
 */
static bool ref_no_higher_fit(phys_addr_t found, phys_addr_t size, phys_addr_t align,
			      phys_addr_t limit, int nid)
{
	phys_addr_t c;

	for (c = found + align; c + size <= limit; c += align)
		if (ref_free(c, c + size, nid))
			return false;
	return true;
}

static void check_memblock(void)
{
	check_type(&memblock.memory);
	check_type(&memblock.reserved);
	CHECK_EQ(memblock_phys_mem_size(), memblock.memory.total_size);
	CHECK_EQ(memblock_reserved_size(), memblock.reserved.total_size);
}

/* The region of @type that contains @addr, or NULL. */
static const struct memblock_region *region_at(const struct memblock_type *type, phys_addr_t addr)
{
	unsigned long i;

	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		if (r->base <= addr && addr < r->base + r->size)
			return r;
	}
	return NULL;
}

#define CHECK_REGION(type, addr, want_base, want_size)			\
	do {								\
		const struct memblock_region *_r = region_at(type, addr); \
		CHECK(_r != NULL);					\
		if (_r) {						\
			CHECK_EQ(_r->base, want_base);			\
			CHECK_EQ(_r->size, want_size);			\
		}							\
	} while (0)

/* ---- what the hook leaves for after boot ---- */

static struct {
	phys_addr_t kept_dma;		/* reserved in ZONE_DMA by the hook */
	phys_addr_t freed_dma;		/* reserved then freed by the hook */
	unsigned char *kept;		/* memblock_alloc()ed, pattern written */
	phys_addr_t kept_size;
	phys_addr_t late;		/* memblock_alloc()ed, given back by memblock_free_late() */
	unsigned char *area;		/* memblock_alloc()ed, given back by free_reserved_area() */
	phys_addr_t reserved_only;	/* memblock_reserve()d, never handed out */
	bool hook_ran;
} hook_state;

/* ---- cases run inside the hook ---- */

static void test_boot_state(void)
{
	CHECK(memblock_is_active());
	CHECK(!ukmem_booted());
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK_EQ(memblock.memory.regions[0].base, 0);
	CHECK_EQ(memblock.memory.regions[0].size, NODE1);
	CHECK_EQ(memblock.memory.regions[0].nid, 0);
	CHECK_EQ(memblock.memory.regions[1].base, NODE1);
	CHECK_EQ(memblock.memory.regions[1].size, RAM - NODE1);
	CHECK_EQ(memblock.memory.regions[1].nid, 1);
	CHECK_EQ(memblock.memory.total_size, RAM);
	CHECK_EQ(memblock_start_of_DRAM(), 0);
	CHECK_EQ(memblock_end_of_DRAM(), RAM);
	CHECK_EQ(memblock.memory.max, INIT_MEMBLOCK_REGIONS);
	CHECK_EQ(memblock.reserved.max, INIT_MEMBLOCK_REGIONS);
	CHECK(!memblock_bottom_up());
	/* pfn 0 is reserved at boot (x86 keeps it for the BIOS). */
	CHECK(memblock_is_reserved(0));
	CHECK(memblock_is_reserved(K4 - 1));
	CHECK(!memblock_is_reserved(K4));
	CHECK(memblock_is_memory(0));
	CHECK(memblock_is_memory(RAM - 1));
	CHECK(!memblock_is_memory(RAM));
	CHECK(memblock_is_region_memory(0, NODE1));
	CHECK(memblock_is_region_memory(NODE1, RAM - NODE1));
	CHECK(!memblock_is_region_memory(NODE1 - K4, 2 * K4));	/* two nodes' regions: no */
	CHECK(!memblock_is_region_memory(RAM - K4, 2 * K4));	/* runs past the end */
	CHECK(memblock_overlaps_region(&memblock.memory, RAM - K4, 2 * K4));
	CHECK(!memblock_overlaps_region(&memblock.memory, RAM, K4));
	/* mem_map (64 bytes per page) is in memblock.reserved. */
	CHECK(memblock_is_reserved(__pa(mem_map)));
	CHECK(memblock.reserved.total_size >= (RAM >> PAGE_SHIFT) * sizeof(struct page));
	check_memblock();
}

static void test_reserve_merge_split(void)
{
	const phys_addr_t B = 1 * G;
	unsigned long cnt0 = memblock.reserved.cnt;
	phys_addr_t total0 = memblock.reserved.total_size;

	CHECK(ref_free(B - 64 * K4, B + 64 * K4, 0));

	/* Two disjoint regions, then the gap between them: all three merge. */
	CHECK_EQ(memblock_reserve(B, K4), 0);
	CHECK_EQ(memblock.reserved.cnt, cnt0 + 1);
	CHECK_EQ(memblock_reserve(B + 2 * K4, K4), 0);
	CHECK_EQ(memblock.reserved.cnt, cnt0 + 2);
	CHECK(!memblock_is_reserved(B + K4));
	CHECK(!memblock_is_region_reserved(B + K4, K4));
	CHECK(memblock_is_region_reserved(B + K4, K4 + 1));
	CHECK_EQ(memblock_reserve(B + K4, K4), 0);
	CHECK_EQ(memblock.reserved.cnt, cnt0 + 1);
	CHECK_REGION(&memblock.reserved, B, B, 3 * K4);
	CHECK_EQ(memblock.reserved.total_size, total0 + 3 * K4);
	check_memblock();

	/* Reserving what is already reserved changes nothing. */
	CHECK_EQ(memblock_reserve(B + 100, 2 * K4), 0);
	CHECK_EQ(memblock.reserved.cnt, cnt0 + 1);
	CHECK_EQ(memblock.reserved.total_size, total0 + 3 * K4);

	/* A partial overlap adds only the uncovered part. */
	CHECK_EQ(memblock_reserve(B + 2 * K4, 3 * K4), 0);
	CHECK_REGION(&memblock.reserved, B, B, 5 * K4);
	CHECK_EQ(memblock.reserved.total_size, total0 + 5 * K4);
	/* ... and so does one that overlaps at the bottom. */
	CHECK_EQ(memblock_reserve(B - 2 * K4, 3 * K4), 0);
	CHECK_REGION(&memblock.reserved, B, B - 2 * K4, 7 * K4);
	CHECK_EQ(memblock.reserved.cnt, cnt0 + 1);
	CHECK_EQ(memblock.reserved.total_size, total0 + 7 * K4);
	check_memblock();

	/* Freeing the middle splits the region in two. */
	CHECK_EQ(memblock_phys_free(B + K4, K4), 0);
	CHECK_EQ(memblock.reserved.cnt, cnt0 + 2);
	CHECK_REGION(&memblock.reserved, B, B - 2 * K4, 3 * K4);
	CHECK_REGION(&memblock.reserved, B + 2 * K4, B + 2 * K4, 3 * K4);
	CHECK(!memblock_is_reserved(B + K4));
	CHECK(memblock_is_reserved(B + K4 - 1));
	CHECK(memblock_is_reserved(B + 2 * K4));
	CHECK_EQ(memblock.reserved.total_size, total0 + 6 * K4);
	check_memblock();

	/* Trimming either end keeps one region. */
	CHECK_EQ(memblock_phys_free(B - 2 * K4, K4), 0);
	CHECK_REGION(&memblock.reserved, B, B - K4, 2 * K4);
	memblock_free(__va(B + 4 * K4), K4);
	CHECK_REGION(&memblock.reserved, B + 2 * K4, B + 2 * K4, 2 * K4);
	CHECK_EQ(memblock.reserved.cnt, cnt0 + 2);
	CHECK_EQ(memblock.reserved.total_size, total0 + 4 * K4);

	/* Freeing what is not reserved is a no-op; memblock_free(NULL) too. */
	CHECK_EQ(memblock_phys_free(B + 32 * K4, K4), 0);
	memblock_free(NULL, K4);
	CHECK_EQ(memblock.reserved.cnt, cnt0 + 2);

	/* One free across both regions and the gap removes everything. */
	CHECK_EQ(memblock_phys_free(B - 8 * K4, 16 * K4), 0);
	CHECK_EQ(memblock.reserved.cnt, cnt0);
	CHECK_EQ(memblock.reserved.total_size, total0);
	CHECK(!memblock_is_region_reserved(B - 8 * K4, 16 * K4));
	check_memblock();

	/* These are the lines memblock=debug must have printed. */
	CHECK_STR_CONTAINS(dmesg_now(), "memblock_reserve: [0x0000000040000000-0x0000000040000fff] ");
	CHECK_STR_CONTAINS(logbuf, "memblock_phys_free: [0x0000000040001000-0x0000000040001fff] ");
	CHECK_STR_CONTAINS(logbuf, "memblock_phys_free: [0x0000000040004000-0x0000000040004fff] ");
}

static void test_memory_add_remove(void)
{
	const phys_addr_t B = 1 * G;

	/* A hole in node 0: the region is split, the node id kept. */
	CHECK_EQ(memblock_remove(B, M), 0);
	CHECK_EQ(memblock.memory.cnt, 3);
	CHECK_EQ(memblock.memory.total_size, RAM - M);
	CHECK_REGION(&memblock.memory, 0, 0, B);
	CHECK_REGION(&memblock.memory, B + M, B + M, NODE1 - B - M);
	CHECK_EQ(region_at(&memblock.memory, B + M) ? region_at(&memblock.memory, B + M)->nid : -2, 0);
	CHECK(!memblock_is_memory(B));
	CHECK(!memblock_is_memory(B + M - 1));
	CHECK(memblock_is_memory(B - 1));
	CHECK(memblock_is_memory(B + M));
	check_memblock();

	/* Adding over the upper edge fills only the missing half; it merges up. */
	CHECK_EQ(memblock_add(B + M / 2, M), 0);
	CHECK_EQ(memblock.memory.cnt, 3);
	CHECK_REGION(&memblock.memory, B + M / 2, B + M / 2, NODE1 - B - M / 2);
	CHECK_EQ(memblock.memory.total_size, RAM - M / 2);
	/* The rest closes the hole and everything merges back. */
	CHECK_EQ(memblock_add(B, M / 2), 0);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK_REGION(&memblock.memory, B, 0, NODE1);
	CHECK_EQ(memblock.memory.total_size, RAM);
	/* Adding RAM that is already there changes nothing. */
	CHECK_EQ(memblock_add(B, 4 * M), 0);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK_EQ(memblock.memory.total_size, RAM);
	check_memblock();

	/* Removing across the node boundary trims both nodes' regions. */
	CHECK_EQ(memblock_remove(NODE1 - K4, 2 * K4), 0);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK_REGION(&memblock.memory, 0, 0, NODE1 - K4);
	CHECK_REGION(&memblock.memory, NODE1 + K4, NODE1 + K4, RAM - NODE1 - K4);
	CHECK_EQ(memblock.memory.total_size, RAM - 2 * K4);
	CHECK_EQ(memblock_add_node(NODE1 - K4, K4, 0, MEMBLOCK_NONE), 0);
	CHECK_EQ(memblock_add_node(NODE1, K4, 1, MEMBLOCK_NONE), 0);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK_REGION(&memblock.memory, 0, 0, NODE1);
	CHECK_REGION(&memblock.memory, NODE1, NODE1, RAM - NODE1);
	CHECK_EQ(memblock.memory.regions[1].nid, 1);

	/* RAM beyond the end moves memblock_end_of_DRAM(), and back. */
	CHECK_EQ(memblock_add(RAM, 4 * M), 0);
	CHECK_EQ(memblock_end_of_DRAM(), RAM + 4 * M);
	CHECK_EQ(memblock.memory.cnt, 3);
	CHECK(memblock_is_memory(RAM));
	CHECK_EQ(memblock_remove(RAM, 4 * M), 0);
	CHECK_EQ(memblock_end_of_DRAM(), RAM);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK_EQ(memblock.memory.total_size, RAM);
	check_memblock();

	CHECK_STR_CONTAINS(dmesg_now(), "memblock_remove: [0x0000000040000000-0x00000000400fffff] ");
	CHECK_STR_CONTAINS(logbuf, "memblock_add: [0x0000000040000000-0x000000004007ffff] ");
}

static void test_phys_alloc_top_down(void)
{
	unsigned long cnt0 = memblock.reserved.cnt;
	phys_addr_t total0 = memblock.reserved.total_size;
	phys_addr_t p, q;

	p = memblock_phys_alloc(K4, K4);
	CHECK(p != 0);
	CHECK(p >= NODE1 && p + K4 <= RAM);
	CHECK(IS_ALIGNED(p, K4));
	CHECK(memblock_is_reserved(p) && memblock_is_reserved(p + K4 - 1));
	CHECK(ref_no_higher_fit(p, K4, K4, RAM, NUMA_NO_NODE));
	CHECK_EQ(memblock.reserved.total_size, total0 + K4);

	/* The next one goes right below it, or higher if a smaller hole fits. */
	q = memblock_phys_alloc(64 * K4, 64 * K4);
	CHECK(q != 0 && IS_ALIGNED(q, 64 * K4));
	CHECK(q + 64 * K4 <= p || q > p);
	CHECK(ref_no_higher_fit(q, 64 * K4, 64 * K4, RAM, NUMA_NO_NODE));

	CHECK_EQ(memblock_phys_free(p, K4), 0);
	CHECK_EQ(memblock_phys_free(q, 64 * K4), 0);
	CHECK_EQ(memblock.reserved.cnt, cnt0);
	CHECK_EQ(memblock.reserved.total_size, total0);

	/* What is freed is found again: the same top slot. */
	CHECK_EQ(memblock_phys_alloc(K4, K4), p);
	memblock_phys_free(p, K4);

	/* Bigger than RAM: 0. */
	CHECK_EQ(memblock_phys_alloc(RAM, K4), 0);
	CHECK_EQ(memblock.reserved.total_size, total0);
	check_memblock();
}

static void test_phys_alloc_range(void)
{
	const phys_addr_t B = 1 * G;
	phys_addr_t total0 = memblock.reserved.total_size;

	CHECK(ref_free(B, B + 8 * M, 0));
	/* Top-down inside [start, end). */
	CHECK_EQ(memblock_phys_alloc_range(K4, K4, B, B + 16 * K4), B + 15 * K4);
	CHECK_EQ(memblock_phys_alloc_range(K4, K4, B, B + 16 * K4), B + 14 * K4);
	CHECK_EQ(memblock_phys_alloc_range(2 * K4, K4, B, B + 16 * K4), B + 12 * K4);
	/* Alignment inside the range. */
	CHECK_EQ(memblock_phys_alloc_range(K4, M, B, B + 4 * M), B + 3 * M);
	/* Does not fit in what is left of the range. */
	CHECK_EQ(memblock_phys_alloc_range(13 * K4, K4, B, B + 16 * K4), 0);
	CHECK_EQ(memblock_phys_alloc_range(12 * K4, K4, B, B + 16 * K4), B);
	CHECK_EQ(memblock_phys_alloc_range(K4, K4, B, B + 16 * K4), 0);
	/* The first page is never handed out. */
	CHECK_EQ(memblock_phys_alloc_range(K4, K4, 0, K4), 0);
	/* Beyond the end of RAM. */
	CHECK_EQ(memblock_phys_alloc_range(K4, K4, RAM, RAM + G), 0);
	/* A range that straddles the end of RAM is clipped to it. */
	{
		phys_addr_t p = memblock_phys_alloc_range(K4, K4, NODE1, RAM + G);

		CHECK(p >= NODE1 && p + K4 <= RAM);
		memblock_phys_free(p, K4);
	}
	CHECK_EQ(memblock.reserved.total_size, total0 + 16 * K4 + K4);
	CHECK_EQ(memblock_phys_free(B, 16 * K4), 0);
	CHECK_EQ(memblock_phys_free(B + 3 * M, K4), 0);
	CHECK_EQ(memblock.reserved.total_size, total0);
	check_memblock();
}

static void test_alloc_zeroed_aligned(void)
{
	phys_addr_t total0 = memblock.reserved.total_size;
	unsigned char *v, *w;
	phys_addr_t p;
	size_t i, mark;
	bool zero = true;

	/* Dirty the top slot, give it back, memblock_alloc() it: zeroed. */
	p = memblock_phys_alloc(16 * K4, K4);
	CHECK(p != 0);
	memset(__va(p), 0xaa, 16 * K4);
	memblock_phys_free(p, 16 * K4);
	v = memblock_alloc(16 * K4, K4);
	CHECK(v != NULL);
	CHECK_EQ(__pa(v), p);
	for (i = 0; v && i < 16 * K4; i++)
		zero &= v[i] == 0;
	CHECK(zero);

	/* Alignment is honoured. */
	w = memblock_alloc(100, M);
	CHECK(w != NULL && IS_ALIGNED(__pa(w), M));
	CHECK(w && w[0] == 0 && w[99] == 0);
	memblock_free(w, 100);

	/* Align 0: the kernel complains with a stack dump and uses SMP_CACHE_BYTES. */
	mark = log_mark();
	w = memblock_alloc(10, 0);
	CHECK(w != NULL && IS_ALIGNED(__pa(w), SMP_CACHE_BYTES));
	CHECK_STR_CONTAINS(log_since(mark), "Call Trace:");
	memblock_free(w, 10);

	memblock_free(v, 16 * K4);
	CHECK_EQ(memblock.reserved.total_size, total0);
	check_memblock();
}

static void test_alloc_low(void)
{
	unsigned long estimate = memblock_estimated_nr_free_pages();
	unsigned char *low, *big, *high;

	/*
	 * ARCH_LOW_ADDRESS_LIMIT (0xffffffff) is the end of the search, so the
	 * top-down search's first fit is the page below 0xfffff000, as in the
	 * kernel; the region just below 4G is free here.
	 */
	CHECK(ref_free(0xffffe000ULL, 0xfffff000ULL, 1));
	low = memblock_alloc_low(K4, K4);
	CHECK(low != NULL);
	CHECK_EQ(__pa(low), 0xffffe000ULL);
	big = memblock_alloc_low(64 * M, M);
	CHECK(big != NULL && __pa(big) + 64 * M <= 4 * G && IS_ALIGNED(__pa(big), M));
	/* The page allocator's future share shrinks by what was handed out. */
	CHECK_EQ(memblock_estimated_nr_free_pages(), estimate - 1 - 64 * M / K4);
	/* Without the limit it would have come from above 4G. */
	high = memblock_alloc(K4, K4);
	CHECK(high != NULL && __pa(high) >= 4 * G);
	memblock_free(low, K4);
	memblock_free(big, 64 * M);
	memblock_free(high, K4);
	check_memblock();
}

static void test_alloc_try_nid(void)
{
	phys_addr_t total0 = memblock.reserved.total_size;
	void *a, *b, *c, *d, *e, *f;
	phys_addr_t g;

	a = memblock_alloc_try_nid(K4, K4, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 0);
	CHECK(a != NULL && __pa(a) < NODE1);
	CHECK(a && ref_no_higher_fit(__pa(a), K4, K4, NODE1, 0));
	b = memblock_alloc_try_nid(K4, K4, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 1);
	CHECK(b != NULL && __pa(b) >= NODE1 && __pa(b) < RAM);
	/* Node 1 has nothing below 2G: it falls back to any node. */
	CHECK(ref_free(2 * G - K4, 2 * G, 0));
	c = memblock_alloc_try_nid(K4, K4, 0, 2 * G, 1);
	CHECK(c != NULL);
	CHECK_EQ(c ? __pa(c) : 0, 2 * G - K4);
	/* A lower bound is honoured when it can be ... */
	d = memblock_alloc_try_nid(K4, K4, 5 * G, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
	CHECK(d != NULL && __pa(d) >= 5 * G);
	/* ... and dropped when nothing lies above it. */
	e = memblock_alloc_try_nid(K4, K4, 7 * G, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
	CHECK(e != NULL && __pa(e) < RAM);
	f = memblock_alloc_node(K4, K4, 0);
	CHECK(f != NULL && __pa(f) < NODE1);
	g = memblock_phys_alloc_try_nid(K4, K4, 1);
	CHECK(g >= NODE1 && g < RAM);
	memblock_free(a, K4);
	memblock_free(b, K4);
	memblock_free(c, K4);
	memblock_free(d, K4);
	memblock_free(e, K4);
	memblock_free(f, K4);
	memblock_phys_free(g, K4);
	CHECK_EQ(memblock.reserved.total_size, total0);
	check_memblock();
}

static void test_bottom_up(void)
{
	phys_addr_t p, q, r;

	memblock_set_bottom_up(true);
	CHECK(memblock_bottom_up());
	/* The lowest free page: pfn 0 is reserved, pfn 1 is not. */
	p = memblock_phys_alloc(K4, K4);
	CHECK_EQ(p, K4);
	q = memblock_phys_alloc(2 * K4, 2 * K4);
	CHECK_EQ(q, 2 * K4);
	r = memblock_phys_alloc_range(K4, K4, 1 * G, 2 * G);
	CHECK_EQ(r, 1 * G);
	memblock_set_bottom_up(false);
	CHECK(!memblock_bottom_up());
	memblock_phys_free(p, K4);
	memblock_phys_free(q, 2 * K4);
	memblock_phys_free(r, K4);
	/* Top-down again. */
	p = memblock_phys_alloc(K4, K4);
	CHECK(p >= NODE1);
	memblock_phys_free(p, K4);
	check_memblock();
}

static void test_iterators(void)
{
	const phys_addr_t B = 1 * G;
	phys_addr_t start, end, prev_end = 0, free_sum = 0, node1_sum = 0;
	unsigned long n = 0, spfn, epfn;
	bool split_below = false, split_above = false;
	int nid, i;
	u64 idx;

	for_each_mem_range(idx, &start, &end) {
		CHECK(n < memblock.memory.cnt);
		if (n < memblock.memory.cnt) {
			CHECK_EQ(start, memblock.memory.regions[n].base);
			CHECK_EQ(end, memblock.memory.regions[n].base + memblock.memory.regions[n].size);
		}
		n++;
	}
	CHECK_EQ(n, 2);

	n = 0;
	for_each_reserved_mem_range(idx, &start, &end) {
		CHECK(n < memblock.reserved.cnt);
		if (n < memblock.reserved.cnt) {
			CHECK_EQ(start, memblock.reserved.regions[n].base);
			CHECK_EQ(end, memblock.reserved.regions[n].base +
					  memblock.reserved.regions[n].size);
		}
		n++;
	}
	CHECK_EQ(n, memblock.reserved.cnt);

	/* A reservation splits the free range around it. */
	CHECK_EQ(memblock_reserve(B, K4), 0);
	n = 0;
	for_each_free_mem_range(idx, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end, &nid) {
		CHECK(start < end);
		CHECK(start >= prev_end);
		CHECK(ref_free(start, end, nid));
		CHECK_EQ(nid, start < NODE1 ? 0 : 1);
		/* Maximal: the bytes around it are reserved, or another node. */
		CHECK(!ref_free(start - 1, start, nid) || start == NODE1);
		CHECK(!ref_free(end, end + 1, nid));
		if (end == B)
			split_below = true;
		if (start == B + K4)
			split_above = true;
		free_sum += end - start;
		prev_end = end;
		n++;
	}
	CHECK(n >= 3);
	CHECK(split_below);
	CHECK(split_above);
	/* Every reserved range lies in RAM, so free + reserved == RAM. */
	CHECK_EQ(free_sum, memblock.memory.total_size - memblock.reserved.total_size);

	for_each_free_mem_range(idx, 1, MEMBLOCK_NONE, &start, &end, &nid) {
		CHECK(start >= NODE1 && end <= RAM);
		CHECK_EQ(nid, 1);
		node1_sum += end - start;
	}
	CHECK(node1_sum > 0 && node1_sum < free_sum);
	memblock_phys_free(B, K4);

	n = 0;
	for_each_mem_pfn_range(i, NUMA_NO_NODE, &spfn, &epfn, &nid) {
		CHECK_EQ(spfn, n == 0 ? 0 : PHYS_PFN(NODE1));
		CHECK_EQ(epfn, n == 0 ? PHYS_PFN(NODE1) : PHYS_PFN(RAM));
		CHECK_EQ(nid, (int)n);
		n++;
	}
	CHECK_EQ(n, 2);
	n = 0;
	for_each_mem_pfn_range(i, 1, &spfn, &epfn, &nid) {
		CHECK_EQ(spfn, PHYS_PFN(NODE1));
		CHECK_EQ(nid, 1);
		n++;
	}
	CHECK_EQ(n, 1);
	check_memblock();
}

/*
 * The reverse iterators give the forward ranges backwards (free ranges
 * split by a reservation included), memblock_alloc_range_nid() honours its
 * node and window, and the region helpers read what the regions hold.
 */
static void test_reverse_iterators_and_helpers(void)
{
	const phys_addr_t B = 1 * G;
	phys_addr_t fwd_start[64], fwd_end[64], start, end, got;
	int fwd_nid[64], n = 0, k, nid, same = 1;
	u64 idx;

	CHECK_EQ(memblock_reserve_kern(B, K4), 0);
	CHECK(memblock_is_region_reserved(B, K4));
	for_each_free_mem_range(idx, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end, &nid) {
		if (n < 64) {
			fwd_start[n] = start;
			fwd_end[n] = end;
			fwd_nid[n] = nid;
		}
		n++;
	}
	CHECK(n >= 3 && n <= 64);
	k = n;
	for_each_free_mem_range_reverse(idx, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end, &nid) {
		k--;
		if (k >= 0 && k < 64)
			same &= start == fwd_start[k] && end == fwd_end[k] && nid == fwd_nid[k];
	}
	CHECK_EQ(k, 0);
	CHECK(same);
	memblock_phys_free(B, K4);

	k = (int)memblock.memory.cnt;
	for_each_mem_range_rev(idx, &start, &end) {
		k--;
		CHECK(k >= 0);
		if (k >= 0) {
			CHECK_EQ(start, memblock.memory.regions[k].base);
			CHECK_EQ(end, memblock.memory.regions[k].base + memblock.memory.regions[k].size);
		}
	}
	CHECK_EQ(k, 0);

	/* On node 1 only, inside the window asked for, reserved. */
	got = memblock_alloc_range_nid(K4, K4, B, RAM, 1, true);
	CHECK(got >= NODE1 && got + K4 <= RAM);
	CHECK(memblock_is_region_reserved(got, K4));
	memblock_phys_free(got, K4);
	CHECK_EQ(memblock_alloc_range_nid(K4, K4, B, NODE1, 1, true), 0);

	CHECK_EQ(memblock_get_region_node(&memblock.memory.regions[1]), 1);
	memblock_set_region_node(&memblock.memory.regions[1], 0);
	CHECK_EQ(memblock.memory.regions[1].nid, 0);
	memblock_set_region_node(&memblock.memory.regions[1], 1);
	CHECK(!memblock_is_nomap(&memblock.memory.regions[0]));
	CHECK_EQ(memblock_region_memory_base_pfn(&memblock.memory.regions[1]), PHYS_PFN(NODE1));
	CHECK_EQ(memblock_region_memory_end_pfn(&memblock.memory.regions[1]), PHYS_PFN(RAM));
	CHECK_EQ(memblock_region_reserved_base_pfn(&(struct memblock_region){ .base = K4 + 1, .size = 2 }),
		 1UL);
	CHECK_EQ(memblock_region_reserved_end_pfn(&(struct memblock_region){ .base = K4 + 1, .size = 2 }),
		 2UL);
	memblock_allow_resize();
	check_memblock();
}

/* More than INIT_MEMBLOCK_REGIONS disjoint reservations double the array. */
static void test_double_array(void)
{
	const phys_addr_t B = 2 * G;
	const int nr = 200;
	unsigned long cnt0 = memblock.reserved.cnt;
	phys_addr_t total0 = memblock.reserved.total_size;
	struct memblock_region *old = memblock.reserved.regions;
	phys_addr_t new_array;
	int i;
	bool all = true;

	CHECK(ref_free(B, B + nr * 2 * K4, 0));
	CHECK_EQ(memblock.reserved.max, INIT_MEMBLOCK_REGIONS);
	for (i = 0; i < nr; i++)
		CHECK_EQ(memblock_reserve(B + (phys_addr_t)i * 2 * K4, K4), 0);
	CHECK_EQ(memblock.reserved.max, 2 * INIT_MEMBLOCK_REGIONS);
	CHECK(memblock.reserved.regions != old);
	/* The new array comes from memblock and is reserved there, page-aligned. */
	new_array = __pa(memblock.reserved.regions);
	CHECK(IS_ALIGNED(new_array, PAGE_SIZE));
	CHECK(memblock_is_reserved(new_array));
	CHECK(memblock.reserved.cnt >= cnt0 + nr);
	CHECK(memblock.reserved.cnt <= cnt0 + nr + 1);
	CHECK_EQ(memblock.reserved.total_size,
		 total0 + nr * K4 + PAGE_ALIGN(2 * INIT_MEMBLOCK_REGIONS * sizeof(struct memblock_region)));
	for (i = 0; i < nr; i++) {
		all &= memblock_is_reserved(B + (phys_addr_t)i * 2 * K4);
		all &= !memblock_is_reserved(B + (phys_addr_t)i * 2 * K4 + K4);
	}
	CHECK(all);
	check_memblock();
	CHECK_STR_CONTAINS(dmesg_now(), "memblock: reserved is doubled to 256 at [");

	for (i = 0; i < nr; i++)
		CHECK_EQ(memblock_phys_free(B + (phys_addr_t)i * 2 * K4, K4), 0);
	CHECK_EQ(memblock.reserved.total_size,
		 total0 + PAGE_ALIGN(2 * INIT_MEMBLOCK_REGIONS * sizeof(struct memblock_region)));
	CHECK(memblock_is_reserved(new_array));
	CHECK(!memblock_is_region_reserved(B, nr * 2 * K4));
	check_memblock();
}

/* memblock.current_limit caps ACCESSIBLE searches, not ANYWHERE ones. */
static void test_current_limit(void)
{
	phys_addr_t total0 = memblock.reserved.total_size;
	phys_addr_t p, q;
	void *v, *w;

	CHECK_EQ(memblock.current_limit, MEMBLOCK_ALLOC_ANYWHERE);
	memblock_set_current_limit(2 * G);
	v = memblock_alloc(K4, K4);
	CHECK(v != NULL && __pa(v) + K4 <= 2 * G);
	CHECK(v && ref_no_higher_fit(__pa(v), K4, K4, 2 * G, NUMA_NO_NODE));
	p = memblock_phys_alloc(K4, K4);
	CHECK(p != 0 && p + K4 <= 2 * G);
	/* An explicit ANYWHERE end is not replaced by the limit ... */
	q = memblock_phys_alloc_range(K4, K4, 0, MEMBLOCK_ALLOC_ANYWHERE);
	CHECK(q >= NODE1);
	/* ... but memblock_alloc*() clamp every max_addr to it. */
	w = memblock_alloc_try_nid(K4, K4, 0, MEMBLOCK_ALLOC_ANYWHERE, NUMA_NO_NODE);
	CHECK(w != NULL && __pa(w) + K4 <= 2 * G);
	memblock_set_current_limit(MEMBLOCK_ALLOC_ANYWHERE);
	memblock_free(v, K4);
	memblock_free(w, K4);
	memblock_phys_free(p, K4);
	memblock_phys_free(q, K4);
	CHECK_EQ(memblock.reserved.total_size, total0);
	check_memblock();
}

/*
 * Reserved ranges outside RAM and across the node boundary: the free
 * ranges are still exactly RAM minus reserved.
 */
static void test_free_ranges_odd_reservations(void)
{
	phys_addr_t start, end, free_sum = 0, reserved_in_ram = 0;
	unsigned long i;
	int nid;
	u64 idx;

	CHECK_EQ(memblock_reserve(RAM + 4 * M, K4), 0);
	CHECK_EQ(memblock_reserve(NODE1 - 2 * K4, 4 * K4), 0);
	CHECK(memblock_is_reserved(NODE1 - K4) && memblock_is_reserved(NODE1 + K4));
	for_each_free_mem_range(idx, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end, &nid) {
		CHECK(ref_free(start, end, nid));
		CHECK(end <= RAM);
		free_sum += end - start;
	}
	for (i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];
		phys_addr_t s = r->base, e = min(r->base + r->size, RAM);

		if (s < e)
			reserved_in_ram += e - s;
	}
	CHECK_EQ(free_sum, RAM - reserved_in_ram);
	/* Nothing is allocated outside RAM, whatever is reserved there. */
	CHECK_EQ(memblock_phys_alloc_range(K4, K4, RAM, RAM + 8 * M), 0);
	memblock_phys_free(RAM + 4 * M, K4);
	memblock_phys_free(NODE1 - 2 * K4, 4 * K4);
	check_memblock();
}

/* More than 128 memory regions (many holes) double memblock.memory too. */
static void test_double_memory_array(void)
{
	const phys_addr_t B = 1 * G + 512 * M;
	const int nr = 140;
	struct memblock_region *old = memblock.memory.regions;
	phys_addr_t reserved0 = memblock.reserved.total_size;
	int i;
	bool holes = true;

	CHECK(ref_free(B, B + nr * 2 * K4, 0));
	for (i = 0; i < nr; i++)
		CHECK_EQ(memblock_remove(B + (phys_addr_t)i * 2 * K4, K4), 0);
	CHECK_EQ(memblock.memory.cnt, 2 + nr);
	CHECK_EQ(memblock.memory.max, 2 * INIT_MEMBLOCK_REGIONS);
	CHECK(memblock.memory.regions != old);
	CHECK(memblock_is_reserved(__pa(memblock.memory.regions)));
	CHECK_EQ(memblock.reserved.total_size,
		 reserved0 + PAGE_ALIGN(2 * INIT_MEMBLOCK_REGIONS * sizeof(struct memblock_region)));
	CHECK_EQ(memblock.memory.total_size, RAM - nr * K4);
	for (i = 0; i < nr; i++) {
		holes &= !memblock_is_memory(B + (phys_addr_t)i * 2 * K4);
		holes &= memblock_is_memory(B + (phys_addr_t)i * 2 * K4 + K4);
	}
	CHECK(holes);
	check_memblock();
	for (i = 0; i < nr; i++)
		CHECK_EQ(memblock_add_node(B + (phys_addr_t)i * 2 * K4, K4, 0, MEMBLOCK_NONE), 0);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK_EQ(memblock.memory.total_size, RAM);
	CHECK_REGION(&memblock.memory, B, 0, NODE1);
	check_memblock();
}

/*
 * memblock_dump_all() in the kernel's format (mm/memblock.c memblock_dump):
 * sizes and addresses are %pa, i.e. 0x and 16 hex digits; reserved regions
 * carry no node (MAX_NUMNODES), so their lines have no " on node N".
 */
/* Region flags, exact-node allocation, trimming and capping. */
static void test_flags_trim_cap(void)
{
	const phys_addr_t B = 1 * G;
	phys_addr_t got;
	void *p;

	/* NOMAP: split out, not map memory, skipped by allocations, merged back. */
	CHECK_EQ(memblock_mark_nomap(B, M), 0);
	CHECK_EQ(memblock.memory.cnt, 4);
	CHECK_REGION(&memblock.memory, B, B, M);
	CHECK_EQ(region_at(&memblock.memory, B)->flags, MEMBLOCK_NOMAP);
	CHECK(memblock_is_memory(B));
	CHECK(!memblock_is_map_memory(B));
	CHECK(memblock_is_map_memory(B - 1));
	memblock_set_bottom_up(true);
	got = memblock_phys_alloc_range(K4, K4, B, B + 2 * M);
	memblock_set_bottom_up(false);
	CHECK_EQ(got, B + M);
	memblock_phys_free(got, K4);
	CHECK_EQ(memblock_clear_nomap(B, M), 0);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK_REGION(&memblock.memory, B, 0, NODE1);
	CHECK_EQ(memblock.memory.regions[0].flags, MEMBLOCK_NONE);

	CHECK_EQ(memblock_mark_hotplug(NODE1, G), 0);
	CHECK_EQ(memblock.memory.cnt, 3);
	CHECK_EQ(region_at(&memblock.memory, NODE1)->flags, MEMBLOCK_HOTPLUG);
	CHECK_EQ(memblock_clear_hotplug(NODE1, G), 0);
	CHECK_EQ(memblock.memory.cnt, 2);
	check_memblock();

	/* Node 1 has nothing below 3G: the exact form fails, try_nid falls back. */
	CHECK(memblock_alloc_exact_nid_raw(K4, K4, 0, NODE1, 1) == NULL);
	p = memblock_alloc_try_nid_raw(K4, K4, 0, NODE1, 1);
	CHECK(p != NULL && __pa(p) < NODE1);
	memblock_free(p, K4);
	p = memblock_alloc_exact_nid_raw(K4, K4, NODE1, MEMBLOCK_ALLOC_ACCESSIBLE, 1);
	CHECK(p != NULL && __pa(p) >= NODE1);
	memblock_free(p, K4);

	/* Trimming to 2 MiB: a ragged region shrinks, one with no whole unit goes. */
	CHECK_EQ(memblock_add(RAM + 5000, 5 * M), 0);
	CHECK_EQ(memblock_add(RAM + 64 * M + 100, M), 0);
	CHECK_EQ(memblock.memory.cnt, 4);
	memblock_trim_memory(2 * M);
	CHECK_EQ(memblock.memory.cnt, 3);
	CHECK_REGION(&memblock.memory, RAM + 2 * M, RAM + 2 * M, 2 * M);
	CHECK_EQ(memblock.memory.total_size, RAM + 2 * M);

	/* mem= after boot: memory beyond the first RAM bytes is dropped. */
	memblock_mem_limit_remove_map(RAM);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK_EQ(memblock.memory.total_size, RAM);
	CHECK_EQ(memblock_end_of_DRAM(), RAM);
	/* Capping to everything there is changes nothing. */
	memblock_cap_memory_range(0, RAM);
	CHECK_EQ(memblock.memory.cnt, 2);
	CHECK_EQ(memblock.memory.total_size, RAM);
	CHECK_EQ(memblock_get_current_limit(), memblock.current_limit);
	check_memblock();
}

static void test_dump_all_format(void)
{
	size_t mark = log_mark();
	char want[256];
	const char *log;

	memblock_dump_all();
	log = log_since(mark);
	CHECK_STR_CONTAINS(log, "] MEMBLOCK configuration:\n");
	snprintf(want, sizeof(want), "]  memory size = 0x%016llx reserved size = 0x%016llx\n",
		 (unsigned long long)memblock.memory.total_size,
		 (unsigned long long)memblock.reserved.total_size);
	CHECK_STR_CONTAINS(log, want);
	CHECK_STR_CONTAINS(log, "]  memory.cnt  = 0x2\n");
	CHECK_STR_CONTAINS(log, "]  memory[0x0]\t[0x0000000000000000-0x00000000bfffffff], "
			   "0x00000000c0000000 bytes on node 0 flags: 0x0\n");
	CHECK_STR_CONTAINS(log, "]  memory[0x1]\t[0x00000000c0000000-0x000000017fffffff], "
			   "0x00000000c0000000 bytes on node 1 flags: 0x0\n");
	snprintf(want, sizeof(want), "]  reserved.cnt  = 0x%lx\n", memblock.reserved.cnt);
	CHECK_STR_CONTAINS(log, want);
	CHECK_STR_CONTAINS(log, "]  reserved[0x0]\t[0x0000000000000000-0x0000000000000fff], "
			   "0x0000000000001000 bytes flags: 0x0\n");
}

/* Leave something reserved and something freed for after boot. */
static void setup_for_after_boot(void)
{
	phys_addr_t f;
	size_t i;

	/* A page in ZONE_DMA that stays reserved. */
	hook_state.kept_dma = memblock_phys_alloc_range(K4, K4, 8 * M, 8 * M + K4);
	CHECK_EQ(hook_state.kept_dma, 8 * M);
	/* One that is reserved and then freed: it must reach the buddy allocator. */
	f = memblock_phys_alloc_range(K4, K4, 12 * M, 12 * M + K4);
	CHECK_EQ(f, 12 * M);
	memblock_phys_free(f, K4);
	hook_state.freed_dma = 12 * M;
	/* Data the program keeps for ever. */
	hook_state.kept_size = 3 * K4;
	hook_state.kept = memblock_alloc(hook_state.kept_size, K4);
	CHECK(hook_state.kept != NULL);
	for (i = 0; hook_state.kept && i < hook_state.kept_size; i++)
		hook_state.kept[i] = (unsigned char)(i * 7 + 3);
	/* Memory for after boot's memblock_free_late() and free_reserved_area(). */
	hook_state.late = memblock_phys_alloc(8 * K4, K4);
	CHECK(hook_state.late != 0);
	hook_state.area = memblock_alloc(4 * K4, K4);
	CHECK(hook_state.area != NULL);
	/* Reserved but never handed out: not usable host memory yet. */
	hook_state.reserved_only = 40 * M;
	CHECK_EQ(memblock_reserve(hook_state.reserved_only, 2 * K4), 0);
}

static void early_hook(void *arg)
{
	CHECK(arg == &hook_state);
	hook_state.hook_ran = true;
	/* memblock is the allocator here: the slab allocator is not up yet. */
	CHECK(!slab_is_available());
	RUN_CASE(test_boot_state);
	RUN_CASE(test_reserve_merge_split);
	RUN_CASE(test_memory_add_remove);
	RUN_CASE(test_phys_alloc_top_down);
	RUN_CASE(test_phys_alloc_range);
	RUN_CASE(test_alloc_zeroed_aligned);
	RUN_CASE(test_alloc_low);
	RUN_CASE(test_alloc_try_nid);
	RUN_CASE(test_bottom_up);
	RUN_CASE(test_iterators);
	RUN_CASE(test_reverse_iterators_and_helpers);
	RUN_CASE(test_double_array);
	RUN_CASE(test_current_limit);
	RUN_CASE(test_free_ranges_odd_reservations);
	RUN_CASE(test_double_memory_array);
	RUN_CASE(test_flags_trim_cap);
	RUN_CASE(test_dump_all_format);
	RUN_CASE(setup_for_after_boot);
}

/* ---- after boot ---- */

static void test_boot_log(void)
{
	const char *log = dmesg_now();

	CHECK(hook_state.hook_ran);
	/* memblock=debug makes mem_init() dump the configuration. */
	CHECK_STR_CONTAINS(log, "MEMBLOCK configuration:");
	CHECK_STR_CONTAINS(log, "memblock_reserve: [0x0000000000000000-0x0000000000000fff] ");
	CHECK_STR_CONTAINS(log, "memblock_reserve: [0x0000000000800000-0x0000000000800fff] ");
	CHECK_STR_CONTAINS(log, "memblock_phys_free: [0x0000000000c00000-0x0000000000c00fff] ");
	CHECK_STR_CONTAINS(log, "memblock_phys_alloc_range: 4096 bytes align=0x1000 "
			   "from=0x0000000000800000 max_addr=0x0000000000801000 ");
	CHECK_STR_CONTAINS(log, "memblock_alloc_try_nid: 12288 bytes align=0x1000 nid=-1 "
			   "from=0x0000000000000000 max_addr=0x0000000000000000 ");
}

static void test_kept_reserved(void)
{
	struct zone *dma = &NODE_DATA(0)->node_zones[ZONE_DMA];
	struct page *kept = phys_to_page(hook_state.kept_dma);
	struct page *freed = phys_to_page(hook_state.freed_dma);
	static struct page *got[4096];
	unsigned long n = 0, i, managed = zone_managed_pages(dma);
	bool saw_kept = false, saw_freed = false, pattern = true;
	size_t j;

	CHECK(ukmem_booted());
	CHECK(!memblock_is_active());
	CHECK(PageReserved(kept));
	CHECK(!PageReserved(freed));
	CHECK(PageReserved(virt_to_page(hook_state.kept)));
	CHECK(PageReserved(virt_to_page(hook_state.kept + hook_state.kept_size - 1)));
	for (j = 0; hook_state.kept && j < hook_state.kept_size; j++)
		pattern &= hook_state.kept[j] == (unsigned char)(j * 7 + 3);
	CHECK(pattern);
	/* ZONE_DMA is pfns [0, 4096) less pfn 0 and the kept page. */
	CHECK_EQ(dma->spanned_pages, 4096);
	CHECK_EQ(managed, 4096 - 2);

	/* Take every page ZONE_DMA has: the kept page is never among them. */
	drain_all_pages(NULL);
	while (n < ARRAY_SIZE(got)) {
		struct page *p = alloc_page(GFP_KERNEL | GFP_DMA | __GFP_MEMALLOC |
					    __GFP_NORETRY | __GFP_NOWARN);

		if (!p)
			break;
		CHECK_EQ(page_zonenum(p), ZONE_DMA);
		saw_kept |= p == kept;
		saw_freed |= p == freed;
		got[n++] = p;
	}
	CHECK_EQ(n, managed);
	CHECK(!saw_kept);
	CHECK(saw_freed);
	CHECK_EQ(zone_page_state(dma, NR_FREE_PAGES), 0);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
	for (i = 0; i < n; i++)
		__free_page(got[i]);
	drain_all_pages(NULL);
	CHECK_EQ(zone_page_state(dma, NR_FREE_PAGES), managed);
	CHECK(PageReserved(kept));
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

/*
 * Once the slab allocator is up, the virtual memblock_alloc*() calls are
 * the kernel's caller error that memblock_alloc_internal() repairs: one
 * warning (WARN_ON_ONCE), then zeroed memory from kzalloc_node(size,
 * GFP_NOWAIT, nid), which kfree() takes back; memblock's own map does not
 * change.  The physical calls still fail with 0.
 */
static void test_memblock_after_boot(void)
{
	phys_addr_t total = memblock.reserved.total_size;
	size_t mark;
	unsigned char *a, *b, *c, *d, *e;
	size_t i;

	CHECK(slab_is_available());
	mark = log_mark();
	a = memblock_alloc(64, SMP_CACHE_BYTES);
	CHECK(a != NULL);
	CHECK_STR_CONTAINS(log_since(mark), "WARNING: ");
	CHECK_STR_CONTAINS(log_since(mark), "mm/memblock.c");
	/* Once only: the next calls are quiet. */
	mark = log_mark();
	b = memblock_alloc_raw(3000, PAGE_SIZE);
	c = memblock_alloc_low(PAGE_SIZE, PAGE_SIZE);
	d = memblock_alloc_node(100, SMP_CACHE_BYTES, 1);
	/* The deprecated MAX_NUMNODES: kzalloc_node() takes it as any node. */
	e = memblock_alloc_try_nid(100, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE,
				   MAX_NUMNODES);
	CHECK(b && c && d && e);
	kfree(e);
	e = memblock_alloc_try_nid(64 << 10, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE,
				   MAX_NUMNODES);	/* a large kmalloc */
	CHECK(e != NULL);
	kfree(e);
	CHECK(strstr(log_since(mark), "WARNING:") == NULL);
	if (!a || !b || !c || !d)
		return;
	/*
	 * kmalloc memory: its size classes (unless KFENCE, on in this boot,
	 * sampled one: it keeps the size asked for and ignores the node),
	 * zeroed even for the _raw call.
	 */
	if (!is_kfence_address(a))
		CHECK_EQ(ksize(a), 64);
	if (!is_kfence_address(b))
		CHECK_EQ(ksize(b), 4096);
	if (!is_kfence_address(d))
		CHECK_EQ(ksize(d), 128);
	for (i = 0; i < 3000; i++)
		if (b[i])
			break;
	CHECK_EQ(i, 3000);
	for (i = 0; i < 64; i++)
		if (a[i])
			break;
	CHECK_EQ(i, 64);
	/* kzalloc_node(): on the node asked for. */
	if (!is_kfence_address(d))
		CHECK_EQ(page_to_nid(virt_to_page(d)), 1);
	CHECK_EQ(memblock.reserved.total_size, total);
	kfree(a);
	kfree(b);
	kfree(c);
	kfree(d);

	/* No rescue for the physical interface. */
	mark = log_mark();
	CHECK_EQ(memblock_phys_alloc(PAGE_SIZE, PAGE_SIZE), 0);
	CHECK_STR_CONTAINS(log_since(mark), "after memblock_free_all()");
	CHECK_EQ(memblock.reserved.total_size, total);
	/* The map stays readable. */
	CHECK(memblock_is_memory(RAM - 1));
	CHECK(!memblock_is_memory(RAM));
	CHECK(memblock_is_reserved(0));
}

/*
 * Boot memory given to the page allocator after boot: memblock_free_late()
 * and free_reserved_area() make reserved pages ordinary free pages, counted
 * in totalram and their zone's managed pages; mark_page_reserved() and
 * free_reserved_page() take a page out and put it back.
 */
static void test_free_late(void)
{
	unsigned long total = totalram_pages(), free0, managed;
	struct page *pg = pfn_to_page(PHYS_PFN(hook_state.late));
	struct zone *zone = page_zone(pg);
	size_t mark;
	unsigned char *a = hook_state.area;
	struct page *p;

	if (!hook_state.late || !a)
		return;
	CHECK(PageReserved(pg));
	managed = zone_managed_pages(zone);
	drain_all_pages(NULL);
	free0 = nr_free_pages();
	/* An unaligned range: only its whole pages. */
	memblock_free_late(hook_state.late + 100, 8 * K4 - 100);
	CHECK(PageReserved(pg));
	CHECK(!PageReserved(pg + 1) && !PageReserved(pg + 7));
	CHECK_EQ(totalram_pages(), total + 7);
	CHECK_EQ(zone_managed_pages(zone), managed + 7);
	drain_all_pages(NULL);
	CHECK_EQ(nr_free_pages(), free0 + 7);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);

	/* free_reserved_area(): poisoned first, announced. */
	memset(a, 0x11, 4 * K4);
	mark = log_mark();
	CHECK_EQ(free_reserved_area(a, a + 4 * K4, 0xcc, "test"), 4);
	CHECK_STR_CONTAINS(log_since(mark), "Freeing test memory: 16K");
	CHECK_EQ(totalram_pages(), total + 11);
	/* Already free: nothing more. */
	CHECK_EQ(free_reserved_area(a, a + 4 * K4, -1, NULL), 0);
	/* Reserved but never handed out by memblock: usable once freed. */
	p = pfn_to_page(PHYS_PFN(hook_state.reserved_only));
	CHECK(PageReserved(p));
	free_reserved_page(p);
	CHECK_EQ(totalram_pages(), total + 12);

	/* A page taken out of the count and back. */
	p = alloc_page(GFP_KERNEL);
	CHECK(p != NULL);
	if (p) {
		mark_page_reserved(p);
		CHECK(PageReserved(p));
		CHECK_EQ(totalram_pages(), total + 11);
		free_reserved_page(p);
		CHECK_EQ(totalram_pages(), total + 12);
	}
	drain_all_pages(NULL);
	CHECK_EQ(nr_free_pages(), free0 + 12);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

int main(void)
{
	FILE *quiet = fopen("/dev/null", "w");
	int err;

	ukmem_set_console(quiet);
	err = ukmem_boot_hook("mem=6G numa=fake=2 memblock=debug", early_hook, &hook_state);
	if (err) {
		fprintf(stderr, "boot failed: %d\n", err);
		return 1;
	}
	KTEST_RUN(KTEST(test_boot_log), KTEST(test_kept_reserved), KTEST(test_memblock_after_boot),
		  KTEST(test_free_late));
}
