/* SPDX-License-Identifier: MIT */
/*
 * memblock against the expectations of the kernel's own user-space suite,
 * tools/testing/memblock/tests/ (basic_api.c, alloc_api.c,
 * alloc_helpers_api.c, alloc_nid_api.c, alloc_exact_nid_api.c).  Each case
 * checks one behaviour that suite documents, written here from scratch in
 * ukmem's style; its comment names the kernel check it mirrors.
 *
 * The kernel's suite empties memblock before every check and gives it a
 * dummy block of memory.  Here the cases run in the boot hook, each on an
 * emptied memblock (a "sandbox"): the boot's own regions are saved first
 * and put back afterwards, so the boot goes on with the map it built.
 * Every byte a case may allocate lies in the window [W, W + W_SIZE) of
 * RAM, which the boot leaves free; when a case ends the window is given
 * back to the host, so what the cases wrote there never reaches the buddy
 * allocator.  Addresses outside the window are only ever added, reserved
 * or removed, never allocated (nothing is committed there).
 */
#include <string.h>

#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "arch/host.h"
#include "mm/internal.h"
#include "memblock_test.h"

#define W		(1ULL << 30)		/* the sandbox window in RAM */
#define W_SIZE		(256ULL << 20)
#define PHYS_MAX	(~(phys_addr_t)0)
#define CACHE		((phys_addr_t)SMP_CACHE_BYTES)
/* What a doubled array of 2 * INIT_MEMBLOCK_REGIONS entries takes. */
#define DOUBLED_SIZE	PAGE_ALIGN(2 * INIT_MEMBLOCK_REGIONS * sizeof(struct memblock_region))

/* ---- the sandbox ---- */

static struct {
	struct memblock_type memory, reserved;
	struct memblock_region memory_rgn[INIT_MEMBLOCK_REGIONS];
	struct memblock_region reserved_rgn[INIT_MEMBLOCK_REGIONS];
	bool bottom_up;
	phys_addr_t current_limit;
	bool usable;
} boot_map;

/* Empty memblock, as the kernel suite's reset: the static arrays, top-down, no limit. */
static void sandbox_reset(void)
{
	struct memblock_type *t[] = { &memblock.memory, &memblock.reserved };
	struct memblock_region *init[] = { boot_map.memory.regions, boot_map.reserved.regions };
	int i;

	for (i = 0; i < 2; i++) {
		t[i]->regions = init[i];
		t[i]->max = INIT_MEMBLOCK_REGIONS;
		t[i]->cnt = 0;
		t[i]->total_size = 0;
		memset(init[i], 0, INIT_MEMBLOCK_REGIONS * sizeof(*init[i]));
	}
	memblock.bottom_up = false;
	memblock.current_limit = MEMBLOCK_ALLOC_ANYWHERE;
}

static void sandbox_enter(void)
{
	boot_map.memory = memblock.memory;
	boot_map.reserved = memblock.reserved;
	memcpy(boot_map.memory_rgn, memblock.memory.regions,
	       memblock.memory.cnt * sizeof(struct memblock_region));
	memcpy(boot_map.reserved_rgn, memblock.reserved.regions,
	       memblock.reserved.cnt * sizeof(struct memblock_region));
	boot_map.bottom_up = memblock.bottom_up;
	boot_map.current_limit = memblock.current_limit;
	sandbox_reset();
}

static void sandbox_leave(void)
{
	check_type(&memblock.memory);
	check_type(&memblock.reserved);
	memblock.memory = boot_map.memory;
	memblock.reserved = boot_map.reserved;
	memcpy(memblock.memory.regions, boot_map.memory_rgn,
	       memblock.memory.cnt * sizeof(struct memblock_region));
	memcpy(memblock.reserved.regions, boot_map.reserved_rgn,
	       memblock.reserved.cnt * sizeof(struct memblock_region));
	memblock.bottom_up = boot_map.bottom_up;
	memblock.current_limit = boot_map.current_limit;
	/* Whatever a case committed or wrote in the window goes back to the host. */
	arch_decommit(__va(W), W_SIZE);
}

#define RUN_CASE(fn)							\
	do {								\
		int _before = ktest_failures;				\
		ktest_current = #fn;					\
		sandbox_enter();					\
		fn();							\
		sandbox_leave();					\
		if (ktest_failures != _before)				\
			fprintf(stderr, "FAIL %s\n", #fn);		\
	} while (0)

#define CHECK_RGN(type, idx, want_base, want_size)			\
	do {								\
		CHECK((idx) < (type)->cnt);				\
		CHECK_EQ((type)->regions[idx].base, want_base);		\
		CHECK_EQ((type)->regions[idx].size, want_size);		\
	} while (0)

#define MEM	(&memblock.memory)
#define RSV	(&memblock.reserved)

/* The kernel suite's setup_memblock(): one block of @size at the window's start. */
static phys_addr_t start_, end_;

static void setup_memory(phys_addr_t size)
{
	CHECK(size <= W_SIZE);
	memblock_add(W, size);
	start_ = memblock_start_of_DRAM();
	end_ = memblock_end_of_DRAM();
	CHECK_EQ(start_, W);
	CHECK_EQ(end_, W + size);
}

#define MEMSZ	SZ_256K

static phys_addr_t pa(const void *p)
{
	return p ? __pa(p) : 0;
}

/* ==== basic_api.c ==== */

/* memblock_initialization_check: the boot's arrays start static, 128 slots, named, top-down. */
static void test_initial_state(void)
{
	CHECK_EQ(boot_map.memory.max, INIT_MEMBLOCK_REGIONS);
	CHECK_EQ(boot_map.reserved.max, INIT_MEMBLOCK_REGIONS);
	CHECK(strcmp(boot_map.memory.name, "memory") == 0);
	CHECK(strcmp(boot_map.reserved.name, "reserved") == 0);
	CHECK(!boot_map.bottom_up);
	CHECK_EQ(boot_map.current_limit, MEMBLOCK_ALLOC_ANYWHERE);
	/* Empty arrays count no region at all (the kernel dropped its dummy entry). */
	CHECK_EQ(memblock.memory.cnt, 0);
	CHECK_EQ(memblock.reserved.cnt, 0);
	CHECK_EQ(memblock_phys_mem_size(), 0);
	CHECK_EQ(memblock_reserved_size(), 0);
}

/* memblock_add_simple_check */
static void test_add_simple(void)
{
	CHECK_EQ(memblock_add(SZ_1G, SZ_4M), 0);
	CHECK_EQ(MEM->cnt, 1);
	CHECK_RGN(MEM, 0, SZ_1G, SZ_4M);
	CHECK_EQ(MEM->total_size, SZ_4M);
}

/* memblock_add_node_simple_check: node and flags are recorded. */
static void test_add_node_simple(void)
{
	CHECK_EQ(memblock_add_node(SZ_1M, SZ_16M, 1, MEMBLOCK_HOTPLUG), 0);
	CHECK_EQ(MEM->cnt, 1);
	CHECK_RGN(MEM, 0, SZ_1M, SZ_16M);
	CHECK_EQ(MEM->regions[0].nid, 1);
	CHECK_EQ(MEM->regions[0].flags, MEMBLOCK_HOTPLUG);
	CHECK_EQ(MEM->total_size, SZ_16M);
}

/* memblock_add_disjoint_check: two entries, kept sorted whatever the order of the calls. */
static void test_add_disjoint(void)
{
	const phys_addr_t a = SZ_2G, b = SZ_2G + SZ_64K;

	memblock_add(b, SZ_16K);
	memblock_add(a, SZ_8K);
	CHECK_EQ(MEM->cnt, 2);
	CHECK_RGN(MEM, 0, a, SZ_8K);
	CHECK_RGN(MEM, 1, b, SZ_16K);
	CHECK_EQ(MEM->total_size, SZ_8K + SZ_16K);
}

/* memblock_add_overlap_top_check: a block overlapping the start merges into one. */
static void test_add_overlap_top(void)
{
	memblock_add(SZ_512M, SZ_1G);
	memblock_add(SZ_256M, SZ_512M);
	CHECK_EQ(MEM->cnt, 1);
	CHECK_RGN(MEM, 0, SZ_256M, SZ_256M + SZ_1G);
	CHECK_EQ(MEM->total_size, SZ_256M + SZ_1G);
}

/* memblock_add_overlap_bottom_check: a block overlapping the end merges into one. */
static void test_add_overlap_bottom(void)
{
	memblock_add(SZ_128M, SZ_512M);
	memblock_add(SZ_256M, SZ_1G);
	CHECK_EQ(MEM->cnt, 1);
	CHECK_RGN(MEM, 0, SZ_128M, SZ_128M + SZ_1G);
	CHECK_EQ(MEM->total_size, SZ_128M + SZ_1G);
}

/* memblock_add_within_check, memblock_add_twice_check: nothing changes. */
static void test_add_within_and_twice(void)
{
	memblock_add(SZ_8M, SZ_32M);
	memblock_add(SZ_16M, SZ_1M);
	memblock_add(SZ_8M, SZ_32M);
	CHECK_EQ(MEM->cnt, 1);
	CHECK_RGN(MEM, 0, SZ_8M, SZ_32M);
	CHECK_EQ(MEM->total_size, SZ_32M);
}

/* memblock_add_between_check: the block filling a gap merges all three. */
static void test_add_between(void)
{
	memblock_add(SZ_1G, SZ_8K);
	memblock_add(SZ_1G + SZ_16K, SZ_8K);
	CHECK_EQ(MEM->cnt, 2);
	memblock_add(SZ_1G + SZ_8K, SZ_8K);
	CHECK_EQ(MEM->cnt, 1);
	CHECK_RGN(MEM, 0, SZ_1G, SZ_8K * 3);
	CHECK_EQ(MEM->total_size, SZ_8K * 3);
}

/* memblock_add_near_max_check: a block past PHYS_ADDR_MAX is cut at it. */
static void test_add_near_max(void)
{
	const phys_addr_t base = PHYS_MAX - SZ_1M;

	memblock_add(base, SZ_2M);
	CHECK_EQ(MEM->cnt, 1);
	CHECK_RGN(MEM, 0, base, PHYS_MAX - base);
	CHECK_EQ(MEM->total_size, PHYS_MAX - base);
}

/*
 * memblock_add_many_check: the 129th memory region doubles memory.regions;
 * the new array comes from memblock (the one block that can hold it) and
 * is reserved there; adding goes on as before afterwards.
 */
static void test_add_many(void)
{
	const phys_addr_t small = 64, gap = 64;
	struct memblock_region *orig = MEM->regions;
	phys_addr_t base = W;
	int i;

	memblock_add(base, DOUBLED_SIZE);
	base += DOUBLED_SIZE + gap;
	for (i = 0; i < INIT_MEMBLOCK_REGIONS; i++) {
		memblock_add(base, small);
		base += small + gap;
		CHECK_EQ(MEM->cnt, i + 2);
		CHECK_EQ(MEM->total_size, DOUBLED_SIZE + (i + 1) * small);
	}
	CHECK_EQ(MEM->max, 2 * INIT_MEMBLOCK_REGIONS);
	CHECK(MEM->regions != orig);
	CHECK_EQ(pa(MEM->regions), W);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, W, DOUBLED_SIZE);
	CHECK_EQ(RSV->total_size, DOUBLED_SIZE);

	memblock_add(SZ_16K, SZ_16K);
	CHECK_RGN(MEM, 0, SZ_16K, SZ_16K);
	CHECK_EQ(MEM->cnt, INIT_MEMBLOCK_REGIONS + 2);
	CHECK_EQ(MEM->total_size, DOUBLED_SIZE + INIT_MEMBLOCK_REGIONS * small + SZ_16K);
	CHECK_EQ(MEM->max, 2 * INIT_MEMBLOCK_REGIONS);
}

/* memblock_reserve_simple_check, memblock_reserve_disjoint_check */
static void test_reserve_simple_disjoint(void)
{
	memblock_reserve(SZ_2G, SZ_128M);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, SZ_2G, SZ_128M);
	memblock_reserve(SZ_256M, SZ_16M);
	CHECK_EQ(RSV->cnt, 2);
	CHECK_RGN(RSV, 0, SZ_256M, SZ_16M);
	CHECK_RGN(RSV, 1, SZ_2G, SZ_128M);
	CHECK_EQ(RSV->total_size, SZ_16M + SZ_128M);
	/* Reserving says nothing about memory. */
	CHECK_EQ(MEM->cnt, 0);
}

/* memblock_reserve_overlap_top_check, memblock_reserve_overlap_bottom_check */
static void test_reserve_overlaps(void)
{
	memblock_reserve(SZ_1G, SZ_1G);
	memblock_reserve(SZ_128M, SZ_1G);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, SZ_128M, 2ULL * SZ_1G - SZ_128M);

	sandbox_reset();
	memblock_reserve(SZ_2K, SZ_128K);
	memblock_reserve(SZ_128K, SZ_128K);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, SZ_2K, SZ_256K - SZ_2K);
	CHECK_EQ(RSV->total_size, SZ_256K - SZ_2K);
}

/* memblock_reserve_within_check, memblock_reserve_twice_check, memblock_reserve_between_check */
static void test_reserve_within_twice_between(void)
{
	memblock_reserve(SZ_1M, SZ_8M);
	memblock_reserve(SZ_2M, SZ_64K);
	memblock_reserve(SZ_1M, SZ_8M);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, SZ_1M, SZ_8M);
	CHECK_EQ(RSV->total_size, SZ_8M);

	sandbox_reset();
	memblock_reserve(SZ_1G, SZ_8K);
	memblock_reserve(SZ_1G + SZ_16K, SZ_8K);
	memblock_reserve(SZ_1G + SZ_8K, SZ_8K);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, SZ_1G, 3 * SZ_8K);
	CHECK_EQ(RSV->total_size, 3 * SZ_8K);
}

/* memblock_reserve_near_max_check */
static void test_reserve_near_max(void)
{
	const phys_addr_t base = PHYS_MAX - SZ_1M;

	memblock_reserve(base, SZ_2M);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, base, PHYS_MAX - base);
	CHECK_EQ(RSV->total_size, PHYS_MAX - base);
}

/*
 * memblock_reserve_many_check: the 129th reserved region doubles
 * reserved.regions; the new array is one more reserved region; reserving
 * works as before afterwards.
 */
static void test_reserve_many(void)
{
	const phys_addr_t size = SZ_16K;
	phys_addr_t base = W + SZ_64K;
	int i;

	setup_memory(SZ_16M);
	for (i = 0; i < INIT_MEMBLOCK_REGIONS; i++) {
		memblock_reserve(base, size);
		CHECK_EQ(RSV->cnt, i + 1);
		CHECK_EQ(RSV->total_size, (i + 1) * size);
		base += 2 * size;
	}
	memblock_reserve(base, size);
	CHECK_EQ(RSV->max, 2 * INIT_MEMBLOCK_REGIONS);
	CHECK_EQ(RSV->cnt, INIT_MEMBLOCK_REGIONS + 2);
	CHECK_EQ(RSV->total_size, (INIT_MEMBLOCK_REGIONS + 1) * size + DOUBLED_SIZE);
	/* Top-down: the array is at the top of memory. */
	CHECK_EQ(pa(RSV->regions), end_ - DOUBLED_SIZE);
	CHECK(memblock_is_region_reserved(end_ - DOUBLED_SIZE, DOUBLED_SIZE));

	memblock_reserve(SZ_16K, SZ_16K);
	CHECK_RGN(RSV, 0, SZ_16K, SZ_16K);
	CHECK_EQ(RSV->cnt, INIT_MEMBLOCK_REGIONS + 3);
	CHECK_EQ(RSV->total_size,
		 (INIT_MEMBLOCK_REGIONS + 1) * size + DOUBLED_SIZE + SZ_16K);
}

/*
 * memblock_reserve_many_may_conflict_check (and _all_locations_check):
 * when the reservation that fills reserved.regions is itself free memory,
 * the doubled array must not be put inside it.  Memory is block 0 (free)
 * and block @skip; every other block 1..129 is reserved first, then block
 * @skip: the new array must come from the top of block 0, for every @skip.
 */
static void test_reserve_many_may_conflict(void)
{
	const phys_addr_t blk = SZ_32K;
	int skip, i;

#define BLOCK(i)	(W + 2 * blk * (phys_addr_t)(i))
	for (skip = 1; skip <= INIT_MEMBLOCK_REGIONS + 1; skip++) {
		int before = ktest_failures;

		sandbox_reset();
		memblock_add(BLOCK(0), blk);
		memblock_add(BLOCK(skip), blk);
		for (i = 1; i <= INIT_MEMBLOCK_REGIONS + 1; i++)
			if (i != skip)
				memblock_reserve(BLOCK(i), blk);
		CHECK_EQ(RSV->cnt, INIT_MEMBLOCK_REGIONS);
		memblock_reserve(BLOCK(skip), blk);
		CHECK_EQ(RSV->max, 2 * INIT_MEMBLOCK_REGIONS);
		CHECK_EQ(RSV->cnt, INIT_MEMBLOCK_REGIONS + 2);
		CHECK_EQ(RSV->total_size, (INIT_MEMBLOCK_REGIONS + 1) * blk + DOUBLED_SIZE);
		CHECK_RGN(RSV, 0, BLOCK(0) + blk - DOUBLED_SIZE, DOUBLED_SIZE);
		CHECK_EQ(pa(RSV->regions), BLOCK(0) + blk - DOUBLED_SIZE);
		if (ktest_failures != before) {
			fprintf(stderr, "  (skip = %d)\n", skip);
			break;
		}
	}
#undef BLOCK
}

/* memblock_remove_simple_check, memblock_remove_absent_check */
static void test_remove_simple_absent(void)
{
	memblock_add(SZ_2K, SZ_4K);
	memblock_add(SZ_128K, SZ_4M);
	CHECK_EQ(memblock_remove(SZ_2K, SZ_4K), 0);
	CHECK_EQ(MEM->cnt, 1);
	CHECK_RGN(MEM, 0, SZ_128K, SZ_4M);
	CHECK_EQ(MEM->total_size, SZ_4M);
	/* Removing what is not there changes nothing. */
	CHECK_EQ(memblock_remove(SZ_64M, SZ_1G), 0);
	CHECK_EQ(MEM->cnt, 1);
	CHECK_RGN(MEM, 0, SZ_128K, SZ_4M);
	CHECK_EQ(MEM->total_size, SZ_4M);
}

/* memblock_remove_overlap_top_check, memblock_remove_overlap_bottom_check */
static void test_remove_overlaps(void)
{
	memblock_add(SZ_32M, SZ_32M);
	memblock_remove(SZ_16M, SZ_32M);
	CHECK_EQ(MEM->cnt, 1);
	CHECK_RGN(MEM, 0, SZ_16M + SZ_32M, SZ_16M);
	CHECK_EQ(MEM->total_size, SZ_16M);

	sandbox_reset();
	memblock_add(SZ_2M, SZ_64M);
	memblock_remove(SZ_32M, SZ_256M);
	CHECK_EQ(MEM->cnt, 1);
	CHECK_RGN(MEM, 0, SZ_2M, SZ_32M - SZ_2M);
	CHECK_EQ(MEM->total_size, SZ_32M - SZ_2M);
}

/* memblock_remove_within_check: a hole splits the region in two. */
static void test_remove_within(void)
{
	memblock_add(SZ_1M, SZ_32M);
	memblock_remove(SZ_16M, SZ_1M);
	CHECK_EQ(MEM->cnt, 2);
	CHECK_RGN(MEM, 0, SZ_1M, SZ_16M - SZ_1M);
	CHECK_RGN(MEM, 1, SZ_16M + SZ_1M, SZ_32M - SZ_16M);
	CHECK_EQ(MEM->total_size, SZ_32M - SZ_1M);
}

/*
 * memblock_remove_only_region_check: removing the last region leaves an
 * empty array whose first slot reads as zero (mm/memblock.c
 * memblock_remove_region clears it).
 */
static void test_remove_only_region(void)
{
	memblock_add(SZ_2K, SZ_4K);
	memblock_remove(SZ_2K, SZ_4K);
	CHECK_EQ(MEM->cnt, 0);
	CHECK_EQ(MEM->total_size, 0);
	CHECK_EQ(MEM->regions[0].base, 0);
	CHECK_EQ(MEM->regions[0].size, 0);
	CHECK_EQ(memblock_end_of_DRAM(), 0);
	/* An empty array takes new regions as before. */
	memblock_add(SZ_8K, SZ_4K);
	CHECK_EQ(MEM->cnt, 1);
	CHECK_RGN(MEM, 0, SZ_8K, SZ_4K);
}

/* memblock_remove_near_max_check: the part past PHYS_ADDR_MAX is ignored. */
static void test_remove_near_max(void)
{
	const phys_addr_t base = PHYS_MAX - SZ_2M, cut = PHYS_MAX - SZ_1M;

	memblock_add(base, SZ_2M);
	memblock_remove(cut, SZ_2M);
	CHECK_EQ(MEM->cnt, 1);
	CHECK_RGN(MEM, 0, base, SZ_2M - (PHYS_MAX - cut));
	CHECK_EQ(MEM->total_size, SZ_2M - (PHYS_MAX - cut));
}

/* memblock_remove_overlap_two_check: one removal trims two regions. */
static void test_remove_overlap_two(void)
{
	memblock_add(SZ_16M, SZ_32M);
	memblock_add(SZ_64M, SZ_64M);
	memblock_remove(SZ_32M, SZ_64M);
	CHECK_EQ(MEM->cnt, 2);
	CHECK_RGN(MEM, 0, SZ_16M, SZ_16M);
	CHECK_RGN(MEM, 1, SZ_32M + SZ_64M, SZ_32M);
	CHECK_EQ(MEM->total_size, SZ_16M + SZ_32M);
}

/*
 * memblock_free_simple_check, _absent_check, _overlap_top_check,
 * _overlap_bottom_check, _within_check, _overlap_two_check: memblock_free()
 * (virtual address) takes from reserved what memblock_remove() takes
 * from memory.
 */
static void test_free_shapes(void)
{
	memblock_reserve(SZ_4M, SZ_1M);
	memblock_reserve(SZ_8M, SZ_1M);
	memblock_free(__va(SZ_4M), SZ_1M);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, SZ_8M, SZ_1M);
	memblock_free(__va(SZ_16M), SZ_128M);		/* absent */
	CHECK_EQ(RSV->cnt, 1);
	CHECK_EQ(RSV->total_size, SZ_1M);

	sandbox_reset();
	memblock_reserve(SZ_8M, SZ_32M);
	memblock_free(__va(SZ_1M), SZ_8M);		/* over the start */
	CHECK_RGN(RSV, 0, SZ_8M + SZ_1M, SZ_32M - SZ_1M);
	memblock_free(__va(SZ_32M), SZ_32M);		/* over the end */
	CHECK_RGN(RSV, 0, SZ_8M + SZ_1M, SZ_32M - SZ_8M - SZ_1M);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_EQ(RSV->total_size, SZ_32M - SZ_8M - SZ_1M);

	sandbox_reset();
	memblock_reserve(SZ_1M, SZ_8M);
	memblock_free(__va(SZ_4M), SZ_1M);		/* within: split */
	CHECK_EQ(RSV->cnt, 2);
	CHECK_RGN(RSV, 0, SZ_1M, SZ_4M - SZ_1M);
	CHECK_RGN(RSV, 1, SZ_4M + SZ_1M, SZ_8M + SZ_1M - SZ_4M - SZ_1M);
	CHECK_EQ(RSV->total_size, SZ_8M - SZ_1M);

	sandbox_reset();
	memblock_reserve(SZ_16M, SZ_32M);
	memblock_reserve(SZ_64M, SZ_64M);
	memblock_free(__va(SZ_32M), SZ_64M);		/* across two */
	CHECK_EQ(RSV->cnt, 2);
	CHECK_RGN(RSV, 0, SZ_16M, SZ_16M);
	CHECK_RGN(RSV, 1, SZ_32M + SZ_64M, SZ_32M);
	CHECK_EQ(RSV->total_size, SZ_16M + SZ_32M);
}

/* memblock_free_only_region_check, memblock_free_near_max_check */
static void test_free_only_and_near_max(void)
{
	const phys_addr_t base = PHYS_MAX - SZ_2M, cut = PHYS_MAX - SZ_1M;

	memblock_reserve(SZ_2K, SZ_4K);
	memblock_free(__va(SZ_2K), SZ_4K);
	CHECK_EQ(RSV->cnt, 0);
	CHECK_EQ(RSV->total_size, 0);
	CHECK_EQ(RSV->regions[0].base, 0);
	CHECK_EQ(RSV->regions[0].size, 0);

	memblock_reserve(base, SZ_2M);
	memblock_phys_free(cut, SZ_2M);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, base, SZ_2M - (PHYS_MAX - cut));
	CHECK_EQ(RSV->total_size, SZ_2M - (PHYS_MAX - cut));
}

/* memblock_set_bottom_up_check, memblock_bottom_up_check */
static void test_bottom_up_flag(void)
{
	memblock_set_bottom_up(false);
	CHECK(!memblock.bottom_up);
	CHECK(!memblock_bottom_up());
	memblock_set_bottom_up(true);
	CHECK(memblock.bottom_up);
	CHECK(memblock_bottom_up());
}

/*
 * memblock_trim_memory_aligned_check, _too_small_check,
 * _unaligned_base_check, _unaligned_end_check
 */
static void test_trim_memory(void)
{
	const phys_addr_t a = CACHE;

	memblock_add(a, 4 * a);
	memblock_trim_memory(a);
	CHECK_EQ(MEM->cnt, 1);
	CHECK_RGN(MEM, 0, a, 4 * a);

	sandbox_reset();
	memblock_add(a, 2 * a);
	memblock_add(4 * a, a - 2);			/* no whole unit */
	memblock_trim_memory(a);
	CHECK_EQ(MEM->cnt, 1);
	CHECK_RGN(MEM, 0, a, 2 * a);

	sandbox_reset();
	memblock_add(a, 2 * a);
	memblock_add(4 * a + 2, 2 * a - 2);		/* ragged start */
	memblock_trim_memory(a);
	CHECK_EQ(MEM->cnt, 2);
	CHECK_RGN(MEM, 0, a, 2 * a);
	CHECK_RGN(MEM, 1, 5 * a, a);

	sandbox_reset();
	memblock_add(a, 2 * a);
	memblock_add(4 * a, 2 * a - 2);			/* ragged end */
	memblock_trim_memory(a);
	CHECK_EQ(MEM->cnt, 2);
	CHECK_RGN(MEM, 0, a, 2 * a);
	CHECK_RGN(MEM, 1, 4 * a, a);
}

/* memblock_overlaps_region_check: far, neighbouring, partial and total overlap. */
static void test_overlaps_region(void)
{
	memblock_add(SZ_1G, SZ_4M);
	CHECK(!memblock_overlaps_region(MEM, SZ_1M, SZ_1M));
	CHECK(!memblock_overlaps_region(MEM, SZ_2G, SZ_1M));
	CHECK(!memblock_overlaps_region(MEM, SZ_1G - SZ_1M, SZ_1M));
	CHECK(!memblock_overlaps_region(MEM, SZ_1G + SZ_4M, SZ_1M));
	CHECK(memblock_overlaps_region(MEM, SZ_1G - SZ_1M, SZ_2M));
	CHECK(memblock_overlaps_region(MEM, SZ_1G + SZ_2M, SZ_2M));
	CHECK(memblock_overlaps_region(MEM, SZ_1G, SZ_4M));
	CHECK(memblock_overlaps_region(MEM, SZ_1G - SZ_2M, SZ_8M));
	CHECK(memblock_overlaps_region(MEM, SZ_1G + SZ_1M, SZ_1M));
}

/*
 * memblock_set_node_check: memory split between two nodes; giving each
 * reserved region its memory's node splits the one across the boundary.
 */
static void test_set_node(void)
{
	struct memblock_region *r;
	phys_addr_t half;
	int i;

	setup_memory(SZ_2M);
	half = memblock_phys_mem_size() / 2;
	memblock_set_node(start_, half, MEM, 0);
	memblock_set_node(start_ + half, half, MEM, 1);
	CHECK_EQ(MEM->cnt, 2);
	CHECK_RGN(MEM, 0, start_, half);
	CHECK_RGN(MEM, 1, start_ + half, half);
	CHECK_EQ(MEM->regions[0].nid, 0);
	CHECK_EQ(MEM->regions[1].nid, 1);

	for (i = 0; i < 100; i++)
		memblock_reserve(start_ + 16 * i, 8);
	memblock_reserve(start_ + half - 8, 16);
	for_each_mem_region(r)
		memblock_set_node(r->base, r->size, RSV, r->nid);
	CHECK_EQ(RSV->cnt, 102);
	for_each_reserved_mem_region(r) {
		bool last = r == RSV->regions + RSV->cnt - 1;

		CHECK_EQ(r->nid, last ? 1 : 0);
	}
	CHECK_RGN(RSV, 100, start_ + half - 8, 8);
	CHECK_RGN(RSV, 101, start_ + half, 8);
}

/* ==== alloc_api.c: memblock_alloc() ==== */

/* alloc_top_down_simple_check: at the top, aligned, the exact size reserved. */
static void test_alloc_top_down_simple(void)
{
	void *p;

	setup_memory(MEMSZ);
	p = memblock_alloc(2, CACHE);
	CHECK(p != NULL);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, end_ - CACHE, 2);
	CHECK_EQ(pa(p), end_ - CACHE);
	CHECK_EQ(RSV->total_size, 2);
}

/* alloc_top_down_disjoint_check: below a misaligned reservation, a separate region. */
static void test_alloc_top_down_disjoint(void)
{
	void *p;

	setup_memory(MEMSZ);
	memblock_reserve(end_ - 2, 2);
	p = memblock_alloc(16, 2 * CACHE);
	CHECK(p != NULL);
	CHECK_EQ(RSV->cnt, 2);
	CHECK_RGN(RSV, 0, end_ - 2 * CACHE, 16);
	CHECK_RGN(RSV, 1, end_ - 2, 2);
	CHECK_EQ(RSV->total_size, 18);
}

/* alloc_top_down_before_check, alloc_top_down_after_check: the new block merges. */
static void test_alloc_top_down_merge(void)
{
	setup_memory(MEMSZ);
	memblock_reserve(end_ - CACHE - 512, CACHE);
	CHECK(memblock_alloc(512, CACHE) != NULL);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, end_ - CACHE - 512, CACHE + 512);

	sandbox_reset();
	setup_memory(MEMSZ);
	memblock_reserve(end_ - CACHE, 8);
	CHECK(memblock_alloc(512, CACHE) != NULL);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, end_ - CACHE - 512, 512 + 8);
	CHECK_EQ(RSV->total_size, 520);
}

/* alloc_top_down_second_fit_check: a gap too small is passed over. */
static void test_alloc_top_down_second_fit(void)
{
	setup_memory(MEMSZ);
	memblock_reserve(end_ - SZ_512, SZ_512);
	memblock_reserve(end_ - SZ_1K, SZ_256);
	CHECK(memblock_alloc(SZ_1K, CACHE) != NULL);
	CHECK_EQ(RSV->cnt, 2);
	CHECK_RGN(RSV, 0, end_ - SZ_2K, SZ_1K + SZ_256);
	CHECK_RGN(RSV, 1, end_ - SZ_512, SZ_512);
	CHECK_EQ(RSV->total_size, SZ_1K + SZ_512 + SZ_256);
}

/* alloc_in_between_generic_check: a gap of exactly the size is used and all merges. */
static void test_alloc_in_between(void)
{
	phys_addr_t mid;

	setup_memory(MEMSZ);
	mid = start_ + MEMSZ / 2;
	memblock_reserve(start_, mid - start_);
	memblock_reserve(mid + CACHE, end_ - mid - CACHE);
	CHECK_EQ(RSV->cnt, 2);
	CHECK_EQ(pa(memblock_alloc(CACHE, CACHE)), mid);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, start_, MEMSZ);
}

/*
 * alloc_small_gaps_generic_check, alloc_all_reserved_generic_check,
 * alloc_no_space_generic_check: nothing fits, NULL, nothing reserved.
 */
static void test_alloc_no_fit(void)
{
	phys_addr_t cur, total;

	setup_memory(MEMSZ);
	for (cur = start_; cur < end_; cur += SZ_256 + SZ_1K)
		memblock_reserve(cur + SZ_256, SZ_1K);
	total = RSV->total_size;
	CHECK(memblock_alloc(SZ_1K, CACHE) == NULL);
	CHECK_EQ(RSV->total_size, total);

	sandbox_reset();
	setup_memory(MEMSZ);
	memblock_reserve(start_, MEMSZ);
	CHECK(memblock_alloc(SZ_256, CACHE) == NULL);
	CHECK_EQ(RSV->total_size, MEMSZ);

	sandbox_reset();
	setup_memory(MEMSZ);
	memblock_reserve(start_, MEMSZ - SZ_256);
	CHECK(memblock_alloc(SZ_1K, CACHE) == NULL);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_EQ(RSV->total_size, MEMSZ - SZ_256);

	/* alloc_too_large_generic_check: more than all of memory. */
	sandbox_reset();
	setup_memory(MEMSZ);
	CHECK(memblock_alloc(MEMSZ + CACHE, CACHE) == NULL);
	CHECK_EQ(RSV->cnt, 0);
}

/* alloc_limited_space_generic_check: the last free bytes are handed out. */
static void test_alloc_limited_space(void)
{
	setup_memory(MEMSZ);
	memblock_reserve(start_, MEMSZ - SZ_256);
	CHECK_EQ(pa(memblock_alloc(SZ_256, CACHE)), end_ - SZ_256);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, start_, MEMSZ);
	CHECK_EQ(RSV->total_size, MEMSZ);
}

/* alloc_no_memory_generic_check: no memory at all, NULL, reserved untouched. */
static void test_alloc_no_memory(void)
{
	CHECK(memblock_alloc(SZ_1K, CACHE) == NULL);
	CHECK_EQ(RSV->cnt, 0);
	CHECK_EQ(RSV->total_size, 0);
	CHECK_EQ(RSV->regions[0].base, 0);
	CHECK_EQ(RSV->regions[0].size, 0);
}

/* alloc_bottom_up_simple_check, alloc_bottom_up_disjoint_check */
static void test_alloc_bottom_up_simple_disjoint(void)
{
	setup_memory(MEMSZ);
	memblock_set_bottom_up(true);
	CHECK_EQ(pa(memblock_alloc(2, CACHE)), start_);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, start_, 2);

	sandbox_reset();
	setup_memory(MEMSZ);
	memblock_set_bottom_up(true);
	memblock_reserve(start_ + 2, 2);
	CHECK_EQ(pa(memblock_alloc(16, 2 * CACHE)), start_ + 2 * CACHE);
	CHECK_EQ(RSV->cnt, 2);
	CHECK_RGN(RSV, 0, start_ + 2, 2);
	CHECK_RGN(RSV, 1, start_ + 2 * CACHE, 16);
}

/* alloc_bottom_up_before_check, alloc_bottom_up_after_check */
static void test_alloc_bottom_up_merge(void)
{
	setup_memory(MEMSZ);
	memblock_set_bottom_up(true);
	memblock_reserve(start_ + SZ_512, SZ_128);
	CHECK_EQ(pa(memblock_alloc(SZ_512, CACHE)), start_);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, start_, SZ_512 + SZ_128);

	sandbox_reset();
	setup_memory(MEMSZ);
	memblock_set_bottom_up(true);
	memblock_reserve(start_ + CACHE, SZ_64);
	CHECK_EQ(pa(memblock_alloc(SZ_512, CACHE)), start_ + CACHE + SZ_64);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, start_ + CACHE, SZ_64 + SZ_512);
}

/* alloc_bottom_up_second_fit_check */
static void test_alloc_bottom_up_second_fit(void)
{
	setup_memory(MEMSZ);
	memblock_set_bottom_up(true);
	memblock_reserve(start_, SZ_512);
	memblock_reserve(start_ + SZ_1K, SZ_256);
	CHECK_EQ(pa(memblock_alloc(SZ_1K, CACHE)), start_ + SZ_1K + SZ_256);
	CHECK_EQ(RSV->cnt, 2);
	CHECK_RGN(RSV, 0, start_, SZ_512);
	CHECK_RGN(RSV, 1, start_ + SZ_1K, SZ_256 + SZ_1K);
}

/*
 * The kernel suite runs every memblock_alloc* check twice, on memory
 * filled with a non-zero byte: memblock_alloc*() must clear what it hands
 * out, the _raw forms must leave it alone.
 */
static void test_alloc_zeroed_raw_untouched(void)
{
	unsigned char *p, *q;
	bool zero = true, kept = true;
	int i;

	setup_memory(MEMSZ);
	p = memblock_alloc_raw(SZ_1K, CACHE);
	CHECK(p != NULL);
	if (!p)
		return;
	memset(p, 0x5a, SZ_1K);
	memblock_free(p, SZ_1K);
	q = memblock_alloc_try_nid_raw(SZ_1K, CACHE, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
	CHECK(q == p);
	for (i = 0; q && i < SZ_1K; i++)
		kept &= q[i] == 0x5a;
	CHECK(kept);
	memblock_free(q, SZ_1K);
	q = memblock_alloc(SZ_1K, CACHE);
	CHECK(q == p);
	for (i = 0; q && i < SZ_1K; i++)
		zero &= q[i] == 0;
	CHECK(zero);
}

/* ==== alloc_helpers_api.c: memblock_alloc_from() ==== */

/* alloc_from_simple_generic_check, alloc_from_misaligned_generic_check */
static void test_alloc_from_simple_misaligned(void)
{
	phys_addr_t min;
	char *p;

	setup_memory(MEMSZ);
	min = end_ - CACHE;
	p = memblock_alloc_from(SZ_16, CACHE, min);
	CHECK_EQ(pa(p), min);
	CHECK(p && *p == 0);
	CHECK_RGN(RSV, 0, min, SZ_16);
	CHECK_EQ(RSV->cnt, 1);

	sandbox_reset();
	setup_memory(MEMSZ);
	min = end_ - (2 * CACHE - 1);
	CHECK_EQ(pa(memblock_alloc_from(SZ_32, CACHE, min)), end_ - CACHE);
	CHECK_RGN(RSV, 0, end_ - CACHE, SZ_32);
}

/*
 * alloc_from_top_down_high_addr_check, _no_space_above_check,
 * _min_addr_cap_check: memory is granted even where min_addr cannot be met.
 */
static void test_alloc_from_top_down_drops_min(void)
{
	phys_addr_t min;

	setup_memory(MEMSZ);
	CHECK_EQ(pa(memblock_alloc_from(SZ_32, CACHE, end_ - SZ_16)), end_ - CACHE);
	CHECK_RGN(RSV, 0, end_ - CACHE, SZ_32);

	sandbox_reset();
	setup_memory(MEMSZ);
	min = end_ - 2 * CACHE;
	memblock_reserve(min, 2);
	CHECK_EQ(pa(memblock_alloc_from(2 * CACHE, CACHE, min)), min - 2 * CACHE);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, min - 2 * CACHE, 2 * CACHE + 2);

	sandbox_reset();
	setup_memory(MEMSZ);
	memblock_reserve(start_ + SZ_64, MEMSZ - SZ_64);
	CHECK_EQ(pa(memblock_alloc_from(SZ_64, CACHE, start_ - 3 * CACHE)), start_);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, start_, MEMSZ);
}

/* alloc_from_bottom_up_high_addr_check, _no_space_above_check, _min_addr_cap_check */
static void test_alloc_from_bottom_up(void)
{
	phys_addr_t min;

	setup_memory(MEMSZ);
	memblock_set_bottom_up(true);
	min = start_ + CACHE + 1;
	CHECK_EQ(pa(memblock_alloc_from(SZ_32, CACHE, min)), start_ + 2 * CACHE);

	sandbox_reset();
	setup_memory(MEMSZ);
	memblock_set_bottom_up(true);
	CHECK_EQ(pa(memblock_alloc_from(SZ_32, CACHE, end_ - SZ_16)), start_);

	sandbox_reset();
	setup_memory(MEMSZ);
	memblock_set_bottom_up(true);
	min = end_ - 2 * CACHE;
	memblock_reserve(min, 2);
	CHECK_EQ(pa(memblock_alloc_from(2 * CACHE, CACHE, min)), start_);
	CHECK_EQ(RSV->cnt, 2);

	sandbox_reset();
	setup_memory(MEMSZ);
	memblock_set_bottom_up(true);
	CHECK_EQ(pa(memblock_alloc_from(SZ_64, CACHE, start_ - 3 * CACHE)), start_);
}

/* ==== alloc_nid_api.c: memblock_alloc_try_nid() and _raw ==== */

typedef void *(*nid_alloc_fn)(phys_addr_t size, phys_addr_t align,
			      phys_addr_t min_addr, phys_addr_t max_addr, int nid);

static const nid_alloc_fn nid_allocs[] = {
	memblock_alloc_try_nid, memblock_alloc_try_nid_raw, memblock_alloc_exact_nid_raw,
};

/*
 * alloc_nid_top_down_simple_check, _end_misaligned_check,
 * alloc_nid_exact_address_generic_check (and the same checks of
 * alloc_exact_nid_api.c with NUMA_NO_NODE): the top of [min, max).
 */
static void test_nid_top_down_in_range(void)
{
	phys_addr_t min, max;
	size_t f;

	for (f = 0; f < ARRAY_SIZE(nid_allocs); f++) {
		sandbox_reset();
		setup_memory(MEMSZ);
		min = start_ + 2 * CACHE;
		max = min + SZ_512;
		CHECK_EQ(pa(nid_allocs[f](SZ_128, CACHE, min, max, NUMA_NO_NODE)), max - SZ_128);
		CHECK_RGN(RSV, 0, max - SZ_128, SZ_128);

		sandbox_reset();
		setup_memory(MEMSZ);
		max = min + SZ_512 + 2;
		CHECK_EQ(pa(nid_allocs[f](SZ_128, CACHE, min, max, NUMA_NO_NODE)),
			 max - 2 - SZ_128);

		sandbox_reset();
		setup_memory(MEMSZ);
		min = start_ + CACHE;
		max = min + SZ_1K;
		CHECK_EQ(pa(nid_allocs[f](SZ_1K, CACHE, min, max, NUMA_NO_NODE)), min);
		CHECK_RGN(RSV, 0, min, SZ_1K);
		CHECK_EQ(RSV->cnt, 1);
	}
}

/*
 * alloc_nid_top_down_narrow_range_check: min_addr is dropped;
 * alloc_nid_low_max_generic_check: max_addr is not, NULL.
 */
static void test_nid_narrow_and_low_max(void)
{
	phys_addr_t min, max;
	size_t f;

	for (f = 0; f < ARRAY_SIZE(nid_allocs); f++) {
		sandbox_reset();
		setup_memory(MEMSZ);
		min = start_ + SZ_512;
		max = min + CACHE;
		CHECK_EQ(pa(nid_allocs[f](SZ_256, CACHE, min, max, NUMA_NO_NODE)), max - SZ_256);

		sandbox_reset();
		setup_memory(MEMSZ);
		CHECK(nid_allocs[f](SZ_1K, CACHE, start_, start_ + CACHE, NUMA_NO_NODE) == NULL);
		CHECK_EQ(RSV->cnt, 0);
	}
}

/* alloc_nid_min_reserved_generic_check, alloc_nid_max_reserved_generic_check */
static void test_nid_next_to_reserved(void)
{
	phys_addr_t min, max;

	setup_memory(MEMSZ);
	max = end_;
	min = max - SZ_64;
	memblock_reserve(min - SZ_128, SZ_128);
	CHECK_EQ(pa(memblock_alloc_try_nid(SZ_64, CACHE, min, max, NUMA_NO_NODE)), min);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, min - SZ_128, SZ_128 + SZ_64);

	sandbox_reset();
	setup_memory(MEMSZ);
	max = end_ - SZ_64;
	min = max - SZ_128;
	memblock_reserve(max, SZ_64);
	CHECK_EQ(pa(memblock_alloc_try_nid(SZ_128, CACHE, min, max, NUMA_NO_NODE)), min);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, min, SZ_128 + SZ_64);
}

/*
 * alloc_nid_top_down_reserved_with_space_check, _reserved_full_merge_check,
 * _top_down_reserved_no_space_check, _reserved_all_generic_check:
 * [min, max) between two reservations r2 (below) and r1 (above).
 */
static void test_nid_between_reservations(void)
{
	phys_addr_t r1, r2;

	/* Room and to spare: next to r1, the top. */
	setup_memory(MEMSZ);
	r1 = end_ - 2 * CACHE;
	r2 = r1 - (SZ_64 + CACHE + SZ_128);
	memblock_reserve(r1, CACHE);
	memblock_reserve(r2, SZ_128);
	CHECK_EQ(pa(memblock_alloc_try_nid(SZ_64, CACHE, r2 + SZ_128, r1, NUMA_NO_NODE)),
		 r1 - SZ_64);
	CHECK_EQ(RSV->cnt, 2);
	CHECK_RGN(RSV, 0, r2, SZ_128);
	CHECK_RGN(RSV, 1, r1 - SZ_64, SZ_64 + CACHE);

	/* Exactly the room: all three merge. */
	sandbox_reset();
	setup_memory(MEMSZ);
	r2 = r1 - (SZ_64 + SZ_128);
	memblock_reserve(r1, CACHE);
	memblock_reserve(r2, SZ_128);
	CHECK_EQ(pa(memblock_alloc_try_nid(SZ_64, CACHE, r2 + SZ_128, r1, NUMA_NO_NODE)),
		 r2 + SZ_128);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, r2, SZ_128 + SZ_64 + CACHE);

	/* No room: min_addr goes, the block lands below r2. */
	sandbox_reset();
	setup_memory(MEMSZ);
	r2 = r1 - (SZ_128 + CACHE);
	memblock_reserve(r1, CACHE);
	memblock_reserve(r2, SZ_128);
	CHECK_EQ(pa(memblock_alloc_try_nid(SZ_256, CACHE, r2 + SZ_128, r1, NUMA_NO_NODE)),
		 r2 - SZ_256);
	CHECK_EQ(RSV->cnt, 2);
	CHECK_RGN(RSV, 0, r2 - SZ_256, SZ_256 + SZ_128);
	CHECK_RGN(RSV, 1, r1, CACHE);

	/* No room anywhere below max_addr: NULL. */
	sandbox_reset();
	setup_memory(MEMSZ);
	r1 = end_ - CACHE;
	memblock_reserve(r1, CACHE);
	memblock_reserve(start_, MEMSZ - CACHE - CACHE);
	CHECK(memblock_alloc_try_nid(SZ_256, CACHE, end_ - 2 * CACHE, r1, NUMA_NO_NODE) == NULL);
	CHECK_EQ(RSV->cnt, 2);
}

/* alloc_nid_top_down_cap_max_check, alloc_nid_top_down_cap_min_check */
static void test_nid_top_down_caps(void)
{
	setup_memory(MEMSZ);
	CHECK_EQ(pa(memblock_alloc_try_nid(SZ_256, CACHE, end_ - SZ_1K, end_ + SZ_256,
					   NUMA_NO_NODE)), end_ - SZ_256);
	sandbox_reset();
	setup_memory(MEMSZ);
	CHECK_EQ(pa(memblock_alloc_try_nid(SZ_1K, CACHE, start_ - SZ_256, end_,
					   NUMA_NO_NODE)), end_ - SZ_1K);
}

/*
 * alloc_nid_bottom_up_simple_check, _start_misaligned_check,
 * _narrow_range_check, _reserved_with_space_check,
 * _reserved_no_space_check, _cap_max_check, _cap_min_check
 */
static void test_nid_bottom_up(void)
{
	phys_addr_t min, r1, r2;

	setup_memory(MEMSZ);
	memblock_set_bottom_up(true);
	min = start_ + 2 * CACHE;
	CHECK_EQ(pa(memblock_alloc_try_nid(SZ_128, CACHE, min, min + SZ_512, NUMA_NO_NODE)), min);
	/* A misaligned min_addr is rounded up. */
	CHECK_EQ(pa(memblock_alloc_try_nid(SZ_128, CACHE, start_ + SZ_1K + 1, end_,
					   NUMA_NO_NODE)), start_ + SZ_1K + CACHE);

	/* Narrow: min_addr dropped, the bottom. */
	sandbox_reset();
	setup_memory(MEMSZ);
	memblock_set_bottom_up(true);
	CHECK_EQ(pa(memblock_alloc_try_nid(SZ_256, CACHE, start_ + SZ_16K, start_ + SZ_16K + CACHE,
					   NUMA_NO_NODE)), start_);

	sandbox_reset();
	setup_memory(MEMSZ);
	memblock_set_bottom_up(true);
	r1 = end_ - 2 * CACHE;
	r2 = r1 - (SZ_64 + CACHE + SZ_128);
	memblock_reserve(r1, CACHE);
	memblock_reserve(r2, SZ_128);
	CHECK_EQ(pa(memblock_alloc_try_nid(SZ_64, CACHE, r2 + SZ_128, r1, NUMA_NO_NODE)),
		 r2 + SZ_128);
	CHECK_RGN(RSV, 0, r2, SZ_128 + SZ_64);
	CHECK_RGN(RSV, 1, r1, CACHE);

	sandbox_reset();
	setup_memory(MEMSZ);
	memblock_set_bottom_up(true);
	r2 = r1 - (SZ_128 + CACHE);
	memblock_reserve(r1, CACHE);
	memblock_reserve(r2, SZ_128);
	CHECK_EQ(pa(memblock_alloc_try_nid(SZ_256, CACHE, r2 + SZ_128, r1, NUMA_NO_NODE)), start_);
	CHECK_EQ(RSV->cnt, 3);

	sandbox_reset();
	setup_memory(MEMSZ);
	memblock_set_bottom_up(true);
	CHECK_EQ(pa(memblock_alloc_try_nid(SZ_256, CACHE, end_ - SZ_1K, end_ + SZ_256,
					   NUMA_NO_NODE)), end_ - SZ_1K);
	CHECK_EQ(pa(memblock_alloc_try_nid(SZ_1K, CACHE, start_ - SZ_256, end_,
					   NUMA_NO_NODE)), start_);
}

/* ==== alloc_nid_api.c / alloc_exact_nid_api.c: the NUMA checks ==== */

/*
 * Four nodes side by side in the window: 0 and 2 and 3 of 4M, 1 of only
 * 256K.  Regions of different nodes never merge, and no allocation spans
 * two regions.
 */
static phys_addr_t node_start[4], node_end[4];

static void setup_numa(void)
{
	static const phys_addr_t sizes[4] = { SZ_4M, SZ_256K, SZ_4M, SZ_4M };
	phys_addr_t base = W;
	int nid;

	for (nid = 0; nid < 4; nid++) {
		node_start[nid] = base;
		node_end[nid] = base + sizes[nid];
		memblock_add_node(base, sizes[nid], nid, MEMBLOCK_NONE);
		base += sizes[nid];
	}
	CHECK_EQ(MEM->cnt, 4);
}

#define TRY(size, min, max, nid)	pa(memblock_alloc_try_nid(size, CACHE, min, max, nid))
#define EXACT(size, min, max, nid)	pa(memblock_alloc_exact_nid_raw(size, CACHE, min, max, nid))
#define ANY				MEMBLOCK_ALLOC_ACCESSIBLE

/* alloc_nid_top_down_numa_simple_check (and exact_nid's): the top of the node. */
static void test_numa_simple(void)
{
	setup_numa();
	CHECK_EQ(TRY(SZ_1M, 0, ANY, 2), node_end[2] - SZ_1M);
	CHECK_EQ(EXACT(SZ_1M, 0, ANY, 2), node_end[2] - 2 * SZ_1M);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, node_end[2] - 2 * SZ_1M, 2 * SZ_1M);
	CHECK_EQ(memblock_phys_alloc_try_nid(SZ_1M, CACHE, 0), node_end[0] - SZ_1M);
	CHECK_EQ(pa(memblock_alloc_node(SZ_1M, CACHE, 3)), node_end[3] - SZ_1M);
}

/*
 * alloc_nid_top_down_numa_small_node_check, _node_reserved_check,
 * _part_reserved_fallback_check: the node cannot hold it, any node is
 * used (the top of memory); alloc_exact_nid_*: NULL.
 */
static void test_numa_fallback(void)
{
	setup_numa();
	CHECK_EQ(EXACT(SZ_1M, 0, ANY, 1), 0);
	CHECK_EQ(TRY(SZ_1M, 0, ANY, 1), node_end[3] - SZ_1M);

	sandbox_reset();
	setup_numa();
	memblock_reserve(node_start[2], node_end[2] - node_start[2]);
	CHECK_EQ(EXACT(SZ_1M, 0, ANY, 2), 0);
	CHECK_EQ(TRY(SZ_1M, 0, ANY, 2), node_end[3] - SZ_1M);

	sandbox_reset();
	setup_numa();
	memblock_reserve(node_start[2] + SZ_512K, node_end[2] - node_start[2] - SZ_512K);
	CHECK_EQ(EXACT(SZ_1M, 0, ANY, 2), 0);
	CHECK_EQ(TRY(SZ_1M, 0, ANY, 2), node_end[3] - SZ_1M);
	CHECK_EQ(RSV->cnt, 2);
}

/*
 * MAX_NUMNODES is "any node", with the kernel's deprecation warning (once);
 * a number that is no node counts as any node too (numa_valid_node()).
 */
static void test_numa_invalid_nid(void)
{
	static char log[4096];

	setup_numa();
	ukmem_dmesg_clear();
	CHECK_EQ(EXACT(SZ_1M, 0, ANY, MAX_NUMNODES), node_end[3] - SZ_1M);
	ukmem_dmesg(log, sizeof(log));
	CHECK(strstr(log, "Usage of MAX_NUMNODES is deprecated. Use NUMA_NO_NODE instead") != NULL);
	CHECK_EQ(EXACT(SZ_1M, 0, ANY, MAX_NUMNODES + 7), node_end[3] - 2 * SZ_1M);
	CHECK_EQ(TRY(SZ_1M, 0, ANY, -5), node_end[3] - 3 * SZ_1M);
}

/* alloc_nid_top_down_numa_part_reserved_check: below the node's reservation, merged. */
static void test_numa_part_reserved(void)
{
	setup_numa();
	memblock_reserve(node_end[2] - SZ_1M, SZ_1M);
	CHECK_EQ(TRY(SZ_1M, 0, ANY, 2), node_end[2] - 2 * SZ_1M);
	CHECK_EQ(EXACT(SZ_1M, 0, ANY, 2), node_end[2] - 3 * SZ_1M);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, node_end[2] - 3 * SZ_1M, 3 * SZ_1M);
}

/*
 * alloc_nid_numa_reserved_full_merge_generic_check: a gap in the node of
 * exactly the size is used, and the reservations around it merge.
 */
static void test_numa_full_merge(void)
{
	phys_addr_t gap;

	setup_numa();
	gap = node_end[2] - SZ_2M;
	memblock_reserve(gap - SZ_1M, SZ_1M);
	memblock_reserve(gap + SZ_256K, SZ_1M);
	CHECK_EQ(TRY(SZ_256K, gap, gap + SZ_256K, 2), gap);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_RGN(RSV, 0, gap - SZ_1M, 2 * SZ_1M + SZ_256K);
}

/*
 * alloc_nid_top_down_numa_split_range_low_check, _split_range_high_check:
 * [min, max) across the 2/3 boundary: the node's own part of the range.
 */
static void test_numa_split_range(void)
{
	phys_addr_t min, max;

	setup_numa();
	min = node_start[3] - SZ_512K;
	max = node_start[3] + SZ_512K;
	CHECK_EQ(TRY(SZ_256K, min, max, 3), max - SZ_256K);
	CHECK_EQ(TRY(SZ_256K, min, max, 2), node_end[2] - SZ_256K);
	CHECK_EQ(EXACT(SZ_256K, min, max, 3), max - SZ_512K);
	CHECK_EQ(EXACT(SZ_256K, min, max, 2), node_end[2] - SZ_512K);

	/* Bottom-up: the bottom of the node's part. */
	sandbox_reset();
	setup_numa();
	memblock_set_bottom_up(true);
	CHECK_EQ(TRY(SZ_128K, min, max, 3), node_start[3]);
	CHECK_EQ(TRY(SZ_128K, min, max, 2), min);
	CHECK_EQ(EXACT(SZ_128K, min, max, 2), min + SZ_128K);
}

/*
 * alloc_nid_top_down_numa_no_overlap_split_check, _no_overlap_low_check,
 * _no_overlap_high_check: the node and [min, max) do not meet.
 * try_nid falls back to any node inside the range.  The exact form drops
 * min_addr first (so a node below the range is used) and fails for a
 * node above max_addr.
 */
static void test_numa_no_overlap(void)
{
	phys_addr_t min, max;

	setup_numa();
	min = node_start[2] + SZ_1M;
	max = node_start[2] + SZ_2M;
	CHECK_EQ(TRY(SZ_256K, min, max, 0), max - SZ_256K);
	CHECK_EQ(EXACT(SZ_256K, min, max, 0), node_end[0] - SZ_256K);

	sandbox_reset();
	setup_numa();
	min = node_start[0] + SZ_1M;
	max = node_start[0] + SZ_2M;
	CHECK_EQ(TRY(SZ_256K, min, max, 3), max - SZ_256K);
	CHECK_EQ(EXACT(SZ_256K, min, max, 3), 0);
	CHECK_EQ(RSV->cnt, 1);
}

/*
 * mm/memblock.c __next_mem_range: free ranges are cut at memory region
 * (node) boundaries, so no block spans two nodes even where they touch.
 */
static void test_numa_no_span(void)
{
	setup_numa();
	memblock_reserve(node_start[0], SZ_4M - SZ_128K);
	memblock_reserve(node_start[1] + SZ_128K, SZ_128K);
	memblock_reserve(node_start[2], node_end[3] - node_start[2]);
	/* 128K free on each side of the 0/1 boundary: 256K does not fit. */
	CHECK_EQ(TRY(SZ_256K, 0, ANY, NUMA_NO_NODE), 0);
	CHECK_EQ(EXACT(SZ_256K, 0, ANY, NUMA_NO_NODE), 0);
	CHECK_EQ(TRY(SZ_128K, 0, ANY, NUMA_NO_NODE), node_start[1]);
	/* Node 1 is full now: try_nid falls back to node 0's piece, exact does not. */
	CHECK_EQ(EXACT(SZ_128K, 0, ANY, 1), 0);
	CHECK_EQ(TRY(SZ_128K, 0, ANY, 1), node_end[0] - SZ_128K);
	CHECK_EQ(RSV->cnt, 1);
	CHECK_EQ(TRY(CACHE, 0, ANY, NUMA_NO_NODE), 0);
}

/* ==== array doubling, the kernel's mm/memblock.c memblock_double_array ==== */

/*
 * A second doubling gives the first doubled array back to memblock (only
 * the static arrays are kept), and reserves the new one.
 */
static void test_double_twice_frees_old_array(void)
{
	const phys_addr_t size = SZ_4K;
	const phys_addr_t quad = PAGE_ALIGN(4 * INIT_MEMBLOCK_REGIONS * sizeof(struct memblock_region));
	phys_addr_t first = 0, second;
	int i, n = 2 * INIT_MEMBLOCK_REGIONS + 20;

	setup_memory(SZ_16M);
	for (i = 0; i < n; i++) {
		memblock_reserve(W + SZ_64K + 2 * size * (phys_addr_t)i, size);
		if (RSV->max == 2 * INIT_MEMBLOCK_REGIONS && !first)
			first = pa(RSV->regions);
	}
	second = pa(RSV->regions);
	CHECK_EQ(RSV->max, 4 * INIT_MEMBLOCK_REGIONS);
	CHECK(first != 0 && second != first);
	CHECK(!memblock_is_region_reserved(first, DOUBLED_SIZE));
	CHECK(memblock_is_region_reserved(second, quad));
	CHECK_EQ(RSV->total_size, n * size + quad);
	CHECK_EQ(RSV->cnt, n + 1);
}

/* ---- the boot ---- */

static bool hook_ran;

static void early_hook(void *arg)
{
	(void)arg;
	hook_ran = true;
	/* The sandbox reuses the boot's static arrays, so they must be the ones in use. */
	CHECK_EQ(memblock.memory.max, INIT_MEMBLOCK_REGIONS);
	CHECK_EQ(memblock.reserved.max, INIT_MEMBLOCK_REGIONS);
	CHECK(!memblock_is_region_reserved(W, W_SIZE));
	CHECK_EQ(memblock_memory_bytes_in(W, W_SIZE), W_SIZE);
	if (memblock.memory.max != INIT_MEMBLOCK_REGIONS ||
	    memblock.reserved.max != INIT_MEMBLOCK_REGIONS)
		return;

	RUN_CASE(test_initial_state);
	RUN_CASE(test_add_simple);
	RUN_CASE(test_add_node_simple);
	RUN_CASE(test_add_disjoint);
	RUN_CASE(test_add_overlap_top);
	RUN_CASE(test_add_overlap_bottom);
	RUN_CASE(test_add_within_and_twice);
	RUN_CASE(test_add_between);
	RUN_CASE(test_add_near_max);
	RUN_CASE(test_add_many);
	RUN_CASE(test_reserve_simple_disjoint);
	RUN_CASE(test_reserve_overlaps);
	RUN_CASE(test_reserve_within_twice_between);
	RUN_CASE(test_reserve_near_max);
	RUN_CASE(test_reserve_many);
	RUN_CASE(test_reserve_many_may_conflict);
	RUN_CASE(test_remove_simple_absent);
	RUN_CASE(test_remove_overlaps);
	RUN_CASE(test_remove_within);
	RUN_CASE(test_remove_only_region);
	RUN_CASE(test_remove_near_max);
	RUN_CASE(test_remove_overlap_two);
	RUN_CASE(test_free_shapes);
	RUN_CASE(test_free_only_and_near_max);
	RUN_CASE(test_bottom_up_flag);
	RUN_CASE(test_trim_memory);
	RUN_CASE(test_overlaps_region);
	RUN_CASE(test_set_node);
	RUN_CASE(test_alloc_top_down_simple);
	RUN_CASE(test_alloc_top_down_disjoint);
	RUN_CASE(test_alloc_top_down_merge);
	RUN_CASE(test_alloc_top_down_second_fit);
	RUN_CASE(test_alloc_in_between);
	RUN_CASE(test_alloc_no_fit);
	RUN_CASE(test_alloc_limited_space);
	RUN_CASE(test_alloc_no_memory);
	RUN_CASE(test_alloc_bottom_up_simple_disjoint);
	RUN_CASE(test_alloc_bottom_up_merge);
	RUN_CASE(test_alloc_bottom_up_second_fit);
	RUN_CASE(test_alloc_zeroed_raw_untouched);
	RUN_CASE(test_alloc_from_simple_misaligned);
	RUN_CASE(test_alloc_from_top_down_drops_min);
	RUN_CASE(test_alloc_from_bottom_up);
	RUN_CASE(test_nid_top_down_in_range);
	RUN_CASE(test_nid_narrow_and_low_max);
	RUN_CASE(test_nid_next_to_reserved);
	RUN_CASE(test_nid_between_reservations);
	RUN_CASE(test_nid_top_down_caps);
	RUN_CASE(test_nid_bottom_up);
	RUN_CASE(test_numa_simple);
	RUN_CASE(test_numa_fallback);
	RUN_CASE(test_numa_invalid_nid);
	RUN_CASE(test_numa_part_reserved);
	RUN_CASE(test_numa_full_merge);
	RUN_CASE(test_numa_split_range);
	RUN_CASE(test_numa_no_overlap);
	RUN_CASE(test_numa_no_span);
	RUN_CASE(test_double_twice_frees_old_array);
}

/* The boot went on with its own map: the window was handed to the buddy allocator. */
static void test_boot_after_sandbox(void)
{
	CHECK(hook_ran);
	CHECK(ukmem_booted());
	CHECK(memblock_is_memory(W));
	CHECK(!memblock_is_region_reserved(W, W_SIZE));
	CHECK(!PageReserved(phys_to_page(W)));
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

int main(void)
{
	int err;

	ukmem_set_console(fopen("/dev/null", "w"));
	err = ukmem_boot_hook("mem=2G", early_hook, NULL);
	if (err) {
		fprintf(stderr, "boot failed: %d\n", err);
		return 1;
	}
	KTEST_RUN(KTEST(test_boot_after_sandbox));
}
