/* SPDX-License-Identifier: MIT */
/*
 * mm/memblock.c - the boot-time memory map and allocator (mm/memblock.c).
 *
 * Two sorted arrays of non-overlapping regions: memblock.memory (RAM) and
 * memblock.reserved (in use).  Adding a range inserts only the parts not yet
 * covered and merges neighbours with the same node and flags; removing one
 * first splits the regions at its ends ("isolates" it).  Allocation searches
 * the free ranges (memory minus reserved) top-down by default, like the
 * kernel, and reserves what it finds.  The region arrays start static and
 * double themselves from memblock when full.
 *
 * ukmem addition: memory handed out by memblock is committed (made usable)
 * here, since RAM starts inaccessible (DESIGN.md).  After memblock_free_all()
 * the arrays stay, read-only, to answer "is this pfn RAM?".
 */
#include <errno.h>
#include <string.h>

#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "arch/host.h"
#include "mm/internal.h"

static struct memblock_region memory_init_regions[INIT_MEMBLOCK_REGIONS];
static struct memblock_region reserved_init_regions[INIT_MEMBLOCK_REGIONS];

struct memblock memblock = {
	.memory.regions = memory_init_regions,
	.memory.max = INIT_MEMBLOCK_REGIONS,
	.memory.name = "memory",
	.reserved.regions = reserved_init_regions,
	.reserved.max = INIT_MEMBLOCK_REGIONS,
	.reserved.name = "reserved",
	.bottom_up = false,
	.current_limit = MEMBLOCK_ALLOC_ANYWHERE,
};

static bool memblock_freed_all;

#define memblock_dbg(fmt, ...)						\
	do {								\
		if (boot_config.memblock_debug)				\
			pr_info(fmt, ##__VA_ARGS__);			\
	} while (0)

void memblock_setup(void)
{
	memblock.memory.cnt = 0;
	memblock.memory.total_size = 0;
	memblock.reserved.cnt = 0;
	memblock.reserved.total_size = 0;
	memblock.bottom_up = false;
	memblock.current_limit = MEMBLOCK_ALLOC_ANYWHERE;
	memblock_freed_all = false;
}

/*
 * An implicit boot that panicked (init/main.c) leaves system_state at
 * SYSTEM_BOOTING: memblock must not go on serving the program's threads,
 * unlocked, from a machine that never came up.  It answers as after
 * memblock_free_all(): NULL and the kernel's warning.
 */
void memblock_close(void)
{
	memblock_freed_all = true;
}

bool memblock_is_active(void)
{
	return system_state == SYSTEM_BOOTING && !memblock_freed_all;
}

/* Clamp size so base + size does not wrap. */
static inline phys_addr_t memblock_cap_size(phys_addr_t base, phys_addr_t *size)
{
	return *size = min(*size, (phys_addr_t)~0ULL - base);
}

static void memblock_remove_region(struct memblock_type *type, unsigned long r)
{
	type->total_size -= type->regions[r].size;
	memmove(&type->regions[r], &type->regions[r + 1],
		(type->cnt - (r + 1)) * sizeof(type->regions[r]));
	type->cnt--;
	/* An emptied array reads as empty, first slot included (as the kernel's). */
	if (type->cnt == 0) {
		WARN_ON(type->total_size != 0);
		type->regions[0].base = 0;
		type->regions[0].size = 0;
		type->regions[0].flags = MEMBLOCK_NONE;
		type->regions[0].nid = NUMA_NO_NODE;
	}
}

static void memblock_insert_region(struct memblock_type *type, unsigned long idx,
				   phys_addr_t base, phys_addr_t size, int nid,
				   enum memblock_flags flags)
{
	struct memblock_region *rgn = &type->regions[idx];

	memmove(rgn + 1, rgn, (type->cnt - idx) * sizeof(*rgn));
	rgn->base = base;
	rgn->size = size;
	rgn->flags = flags;
	rgn->nid = nid;
	type->cnt++;
	type->total_size += size;
}

/* Merge neighbouring regions that touch and agree on node and flags. */
static void memblock_merge_regions(struct memblock_type *type)
{
	unsigned long i = 0;

	while (i + 1 < type->cnt) {
		struct memblock_region *this = &type->regions[i];
		struct memblock_region *next = &type->regions[i + 1];

		if (this->base + this->size != next->base ||
		    this->nid != next->nid || this->flags != next->flags) {
			i++;
			continue;
		}
		this->size += next->size;
		memmove(next, next + 1, (type->cnt - (i + 2)) * sizeof(*next));
		type->cnt--;
	}
}

static phys_addr_t find_range_locked(phys_addr_t size, phys_addr_t align,
				     phys_addr_t start, phys_addr_t end, int nid);

/*
 * Double a region array.  The new array comes from memblock itself (and is
 * reserved there), as the kernel's memblock_double_array() does.
 * [new_area_start, +new_area_size) is the range whose insertion needs the
 * room: when it is a reservation it is still free in memblock's eyes, so
 * the new array is looked for above it, then below it, never inside it
 * (the kernel's fix "mm/memblock: fix overlapping allocation when doubling
 * reserved array").  The array replaced goes back to memblock unless it is
 * the static one, as in the kernel.
 */
static int memblock_double_array(struct memblock_type *type,
				 phys_addr_t new_area_start, phys_addr_t new_area_size)
{
	phys_addr_t old_size = type->max * sizeof(struct memblock_region);
	phys_addr_t new_size = old_size * 2;
	phys_addr_t addr;
	struct memblock_region *new_array, *old_array = type->regions;

	if (memblock_freed_all)
		return -ENOMEM;
	if (type != &memblock.reserved)
		new_area_start = new_area_size = 0;
	addr = find_range_locked(PAGE_ALIGN(new_size), PAGE_SIZE,
				 new_area_start + new_area_size,
				 memblock.current_limit, NUMA_NO_NODE);
	/* Below it; an end of 0 or 1 would mean "the current limit" to the search. */
	if (!addr && new_area_size && new_area_start > MEMBLOCK_ALLOC_NOLEAKTRACE)
		addr = find_range_locked(PAGE_ALIGN(new_size), PAGE_SIZE, 0,
					 min(new_area_start, memblock.current_limit),
					 NUMA_NO_NODE);
	if (!addr) {
		pr_err("memblock: Failed to double %s array from %ld to %ld entries !\n",
		       type->name, type->max, type->max * 2);
		return -ENOMEM;
	}
	memblock_commit_range(addr, PAGE_ALIGN(new_size));
	new_array = __va(addr);
	memcpy(new_array, old_array, old_size);
	memset((char *)new_array + old_size, 0, old_size);
	type->regions = new_array;
	type->max <<= 1;
	memblock_dbg("memblock: %s is doubled to %ld at [%#018llx-%#018llx]",
		     type->name, type->max, (unsigned long long)addr,
		     (unsigned long long)(addr + new_size - 1));
	if (old_array != memory_init_regions && old_array != reserved_init_regions)
		memblock_phys_free(__pa(old_array), PAGE_ALIGN(old_size));
	/* Reserve the new array; the reserved array may itself grow here. */
	return memblock_reserve(addr, PAGE_ALIGN(new_size));
}

/* How many new regions adding [base, end) to @type would insert. */
static unsigned long count_insertions(const struct memblock_type *type,
				      phys_addr_t base, phys_addr_t end)
{
	unsigned long idx, nr = 0;

	for (idx = 0; idx < type->cnt && base < end; idx++) {
		const struct memblock_region *rgn = &type->regions[idx];

		if (rgn->base >= end)
			break;
		if (rgn->base + rgn->size <= base)
			continue;
		if (rgn->base > base)
			nr++;
		base = min(rgn->base + rgn->size, end);
	}
	return nr + (base < end);
}

static int memblock_add_range(struct memblock_type *type, phys_addr_t base,
			      phys_addr_t size, int nid, enum memblock_flags flags)
{
	phys_addr_t end = base + memblock_cap_size(base, &size);
	unsigned long idx;

	if (!size)
		return 0;
	/*
	 * First make room, then insert: doubling may itself reserve memory
	 * (and so change this very array), so it never happens mid-walk.
	 */
	while (type->cnt + count_insertions(type, base, end) > type->max)
		if (memblock_double_array(type, base, size))
			return -ENOMEM;

	for (idx = 0; idx < type->cnt && base < end; idx++) {
		struct memblock_region *rgn = &type->regions[idx];
		phys_addr_t rbase = rgn->base, rend = rbase + rgn->size;

		if (rbase >= end)
			break;
		if (rend <= base)
			continue;
		/* The part of the new range below this region is new. */
		if (rbase > base) {
			memblock_insert_region(type, idx, base, rbase - base, nid, flags);
			idx++;
		}
		base = min(rend, end);
	}
	if (base < end)
		memblock_insert_region(type, idx, base, end - base, nid, flags);
	memblock_merge_regions(type);
	return 0;
}

/* Split regions so that [base, base+size) is covered by whole regions. */
static int memblock_isolate_range(struct memblock_type *type, phys_addr_t base,
				  phys_addr_t size, unsigned long *start_rgn,
				  unsigned long *end_rgn)
{
	phys_addr_t end = base + memblock_cap_size(base, &size);
	unsigned long idx;

	*start_rgn = *end_rgn = 0;
	if (!size)
		return 0;
	while (type->cnt + 2 > type->max)
		if (memblock_double_array(type, base, size))
			return -ENOMEM;

	for (idx = 0; idx < type->cnt; idx++) {
		struct memblock_region *rgn = &type->regions[idx];
		phys_addr_t rbase = rgn->base, rend = rbase + rgn->size;

		if (rbase >= end)
			break;
		if (rend <= base)
			continue;
		if (rbase < base) {
			/* Split off the part below base. */
			rgn->base = base;
			rgn->size -= base - rbase;
			type->total_size -= base - rbase;
			memblock_insert_region(type, idx, rbase, base - rbase,
					       rgn->nid, rgn->flags);
		} else if (rend > end) {
			/* Split off the part above end. */
			rgn->base = end;
			rgn->size -= end - rbase;
			type->total_size -= end - rbase;
			memblock_insert_region(type, idx--, rbase, end - rbase,
					       rgn->nid, rgn->flags);
		} else {
			if (!*end_rgn)
				*start_rgn = idx;
			*end_rgn = idx + 1;
		}
	}
	return 0;
}

static int memblock_remove_range(struct memblock_type *type, phys_addr_t base,
				 phys_addr_t size)
{
	unsigned long start_rgn, end_rgn;
	long i;
	int ret;

	ret = memblock_isolate_range(type, base, size, &start_rgn, &end_rgn);
	if (ret)
		return ret;
	for (i = (long)end_rgn - 1; i >= (long)start_rgn; i--)
		memblock_remove_region(type, (unsigned long)i);
	return 0;
}

int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid,
		      enum memblock_flags flags)
{
	ukmem_ensure_booted();
	memblock_dbg("%s: [%#018llx-%#018llx] nid=%d flags=%x %pS\n", __func__,
		     (unsigned long long)base, (unsigned long long)(base + size - 1),
		     nid, flags, __builtin_return_address(0));
	return memblock_add_range(&memblock.memory, base, size, nid, flags);
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	ukmem_ensure_booted();
	memblock_dbg("%s: [%#018llx-%#018llx] %pS\n", __func__,
		     (unsigned long long)base, (unsigned long long)(base + size - 1),
		     __builtin_return_address(0));
	return memblock_add_range(&memblock.memory, base, size, 0, MEMBLOCK_NONE);
}

int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	ukmem_ensure_booted();
	memblock_dbg("%s: [%#018llx-%#018llx] %pS\n", __func__,
		     (unsigned long long)base, (unsigned long long)(base + size - 1),
		     __builtin_return_address(0));
	return memblock_remove_range(&memblock.memory, base, size);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	ukmem_ensure_booted();
	memblock_dbg("%s: [%#018llx-%#018llx] %pS\n", __func__,
		     (unsigned long long)base, (unsigned long long)(base + size - 1),
		     __builtin_return_address(0));
	return memblock_add_range(&memblock.reserved, base, size, NUMA_NO_NODE, MEMBLOCK_NONE);
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	int ret;

	ukmem_ensure_booted();
	memblock_dbg("%s: [%#018llx-%#018llx] %pS\n", __func__,
		     (unsigned long long)base, (unsigned long long)(base + size - 1),
		     __builtin_return_address(0));
	ret = memblock_remove_range(&memblock.reserved, base, size);
	/* The kernel poisons them as they reach the buddy allocator (mm/page_poison.c). */
	if (!ret && page_poisoning && !memblock_freed_all)
		page_poison_memblock_free(base, size);
	return ret;
}

void memblock_free(void *ptr, size_t size)
{
	if (ptr)
		memblock_phys_free(__pa(ptr), size);
}

int memblock_set_node(phys_addr_t base, phys_addr_t size,
		      struct memblock_type *type, int nid)
{
	unsigned long start_rgn, end_rgn, i;
	int ret;

	ukmem_ensure_booted();
	if (WARN_ONCE(nid == MAX_NUMNODES,
		      "Usage of MAX_NUMNODES is deprecated. Use NUMA_NO_NODE instead\n"))
		nid = NUMA_NO_NODE;
	ret = memblock_isolate_range(type, base, size, &start_rgn, &end_rgn);
	if (ret)
		return ret;
	for (i = start_rgn; i < end_rgn; i++)
		type->regions[i].nid = nid;
	memblock_merge_regions(type);
	return 0;
}

#define PHYS_ADDR_MAX	(~(phys_addr_t)0)

/* Set or clear @flag on the memory regions covering [base, base+size). */
static int memblock_setclr_flag(phys_addr_t base, phys_addr_t size, bool set,
				enum memblock_flags flag)
{
	struct memblock_type *type = &memblock.memory;
	unsigned long start_rgn, end_rgn, i;
	int ret;

	ukmem_ensure_booted();
	ret = memblock_isolate_range(type, base, size, &start_rgn, &end_rgn);
	if (ret)
		return ret;
	for (i = start_rgn; i < end_rgn; i++) {
		if (set)
			type->regions[i].flags |= flag;
		else
			type->regions[i].flags &= ~flag;
	}
	memblock_merge_regions(type);
	return 0;
}

int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size)
{
	return memblock_setclr_flag(base, size, true, MEMBLOCK_HOTPLUG);
}

int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size)
{
	return memblock_setclr_flag(base, size, false, MEMBLOCK_HOTPLUG);
}

int memblock_mark_mirror(phys_addr_t base, phys_addr_t size)
{
	return memblock_setclr_flag(base, size, true, MEMBLOCK_MIRROR);
}

int memblock_mark_nomap(phys_addr_t base, phys_addr_t size)
{
	return memblock_setclr_flag(base, size, true, MEMBLOCK_NOMAP);
}

int memblock_clear_nomap(phys_addr_t base, phys_addr_t size)
{
	return memblock_setclr_flag(base, size, false, MEMBLOCK_NOMAP);
}

/*
 * Shrink every memory region to whole multiples of @align, dropping the
 * regions that have none (the kernel's memblock_trim_memory).
 */
void memblock_trim_memory(phys_addr_t align)
{
	struct memblock_type *type = &memblock.memory;
	unsigned long i;

	ukmem_ensure_booted();
	for (i = 0; i < type->cnt; i++) {
		struct memblock_region *r = &type->regions[i];
		phys_addr_t start = round_up(r->base, align);
		phys_addr_t end = round_down(r->base + r->size, align);

		if (start >= end) {
			memblock_remove_region(type, i--);
			continue;
		}
		type->total_size -= r->size - (end - start);
		r->base = start;
		r->size = end - start;
	}
}

/*
 * Keep only [base, base+size) of memory (and reservations inside it):
 * the kernel's memblock_cap_memory_range, used for crash kernels.
 */
void memblock_cap_memory_range(phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end;

	ukmem_ensure_booted();
	if (!size)
		return;
	end = base + memblock_cap_size(base, &size);
	if (!memblock.memory.cnt)
		return;
	memblock_remove_range(&memblock.memory, end, PHYS_ADDR_MAX - end);
	if (base)
		memblock_remove_range(&memblock.memory, 0, base);
	memblock_remove_range(&memblock.reserved, end, PHYS_ADDR_MAX - end);
	if (base)
		memblock_remove_range(&memblock.reserved, 0, base);
}

/* Drop memory above the first @limit bytes of it (mem= after boot). */
void memblock_mem_limit_remove_map(phys_addr_t limit)
{
	phys_addr_t left = limit, max_addr = PHYS_ADDR_MAX;
	unsigned long i;

	ukmem_ensure_booted();
	if (!limit)
		return;
	for (i = 0; i < memblock.memory.cnt; i++) {
		struct memblock_region *r = &memblock.memory.regions[i];

		if (left <= r->size) {
			max_addr = r->base + left;
			break;
		}
		left -= r->size;
	}
	if (max_addr == PHYS_ADDR_MAX)
		return;
	memblock_cap_memory_range(0, max_addr);
}

phys_addr_t memblock_get_current_limit(void)
{
	ukmem_ensure_booted();
	return memblock.current_limit;
}

/* The region of @type that holds @addr (binary search), or NULL. */
static const struct memblock_region *region_search(const struct memblock_type *type,
						   phys_addr_t addr)
{
	unsigned long lo = 0, hi = type->cnt;

	while (lo < hi) {
		unsigned long mid = (lo + hi) / 2;
		const struct memblock_region *r = &type->regions[mid];

		if (addr < r->base)
			hi = mid;
		else if (addr >= r->base + r->size)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

bool memblock_is_reserved(phys_addr_t addr)
{
	ukmem_ensure_booted();
	return region_search(&memblock.reserved, addr) != NULL;
}

bool memblock_is_memory(phys_addr_t addr)
{
	ukmem_ensure_booted();
	return region_search(&memblock.memory, addr) != NULL;
}

/* Memory that belongs in the linear map: not MEMBLOCK_NOMAP. */
bool memblock_is_map_memory(phys_addr_t addr)
{
	const struct memblock_region *r = region_search(&memblock.memory, addr);

	ukmem_ensure_booted();
	return r && !(r->flags & MEMBLOCK_NOMAP);
}

bool ukmem_is_ram_pfn(unsigned long pfn)
{
	return pfn < ukmem_ram_pfns && memblock_is_memory(PFN_PHYS(pfn));
}

/* Does any region of @type meet [base, base+size)? */
bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	unsigned long i;

	ukmem_ensure_booted();
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		if (r->base < base + size && base < r->base + r->size)
			return true;
	}
	return false;
}

bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	return memblock_overlaps_region(&memblock.reserved, base, size);
}

/* How many bytes of [base, base+size) are memory, whatever the regions' nodes. */
phys_addr_t memblock_memory_bytes_in(phys_addr_t base, phys_addr_t size)
{
	phys_addr_t bytes = 0;
	unsigned long i;

	ukmem_ensure_booted();
	for (i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		phys_addr_t lo = max(base, r->base), hi = min(base + size, r->base + r->size);

		if (lo < hi)
			bytes += hi - lo;
	}
	return bytes;
}

/*
 * Is all of [base, base+size) in one memory region?  As the kernel's: a
 * range across two nodes' regions is not (memblock_memory_bytes_in()).
 */
bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size)
{
	const struct memblock_region *r;

	ukmem_ensure_booted();
	r = region_search(&memblock.memory, base);
	return r && base + size <= r->base + r->size;
}

phys_addr_t memblock_phys_mem_size(void)
{
	ukmem_ensure_booted();
	return memblock.memory.total_size;
}

phys_addr_t memblock_reserved_size(void)
{
	ukmem_ensure_booted();
	return memblock.reserved.total_size;
}

/*
 * v6.12: what the page allocator will get, for sizing tables at boot
 * before it exists (the kernel's replacement of nr_kernel_pages).
 */
unsigned long memblock_estimated_nr_free_pages(void)
{
	return PHYS_PFN(memblock_phys_mem_size() - memblock_reserved_size());
}

phys_addr_t memblock_start_of_DRAM(void)
{
	ukmem_ensure_booted();
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	unsigned long idx = memblock.memory.cnt;

	ukmem_ensure_booted();
	if (!idx)
		return 0;
	return memblock.memory.regions[idx - 1].base + memblock.memory.regions[idx - 1].size;
}

void memblock_set_bottom_up(bool enable)
{
	ukmem_ensure_booted();
	memblock.bottom_up = enable;
}

bool memblock_bottom_up(void)
{
	ukmem_ensure_booted();
	return memblock.bottom_up;
}

void memblock_set_current_limit(phys_addr_t limit)
{
	ukmem_ensure_booted();
	memblock.current_limit = limit;
}

/*
 * Which regions an iteration sees (the kernel's should_skip_region): only
 * @nid's when one is given; with MEMBLOCK_MIRROR asked, only mirrored
 * memory; NOMAP and driver-managed memory only when asked for.  Reserved
 * regions are never filtered.
 */
static bool should_skip_region(const struct memblock_type *type,
			       const struct memblock_region *m, int nid,
			       enum memblock_flags flags)
{
	if (type != &memblock.memory)
		return false;
	if (nid != NUMA_NO_NODE && nid != m->nid)
		return true;
	if ((flags & MEMBLOCK_MIRROR) && !(m->flags & MEMBLOCK_MIRROR))
		return true;
	if (!(flags & MEMBLOCK_NOMAP) && (m->flags & MEMBLOCK_NOMAP))
		return true;
	if (!(flags & MEMBLOCK_DRIVER_MANAGED) && (m->flags & MEMBLOCK_DRIVER_MANAGED))
		return true;
	return false;
}

/*
 * The iterator behind for_each_mem_range / for_each_free_mem_range: walk
 * type_a, and when type_b is given, yield the parts of each type_a region
 * not covered by type_b.  *idx packs the two cursors (a in the low 32 bits,
 * b in the high); ULLONG_MAX ends the walk.
 */
/* The walks' result: [@start, @end) of node @nid, and where the next call goes on. */
static void mem_range_found(u64 *idx, long idx_a, long idx_b, phys_addr_t start,
			    phys_addr_t end, int nid, phys_addr_t *out_start,
			    phys_addr_t *out_end, int *out_nid)
{
	if (out_start)
		*out_start = start;
	if (out_end)
		*out_end = end;
	if (out_nid)
		*out_nid = nid;
	*idx = (u32)idx_a | (u64)(u32)idx_b << 32;
}

/* Gap @idx_b of @type: [end of region idx_b - 1, start of region idx_b), open at both ends. */
static void mem_gap(const struct memblock_type *type, long idx_b, phys_addr_t *start,
		    phys_addr_t *end)
{
	*start = idx_b ? type->regions[idx_b - 1].base + type->regions[idx_b - 1].size : 0;
	*end = idx_b < (long)type->cnt ? type->regions[idx_b].base : (phys_addr_t)~0ULL;
}

void __next_mem_range(u64 *idx, int nid, enum memblock_flags flags,
		      struct memblock_type *type_a, struct memblock_type *type_b,
		      phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid)
{
	long idx_a = (long)(*idx & 0xffffffff), idx_b = (long)(*idx >> 32);

	ukmem_ensure_booted();
	for (; idx_a < (long)type_a->cnt; idx_a++) {
		struct memblock_region *m = &type_a->regions[idx_a];
		phys_addr_t m_start = m->base, m_end = m->base + m->size, r_start, r_end;

		if (should_skip_region(type_a, m, nid, flags))
			continue;
		if (!type_b)
			return mem_range_found(idx, idx_a + 1, idx_b, m_start, m_end, m->nid,
					       out_start, out_end, out_nid);
		/* The gaps of type_b, upwards. */
		for (; idx_b < (long)type_b->cnt + 1; idx_b++) {
			mem_gap(type_b, idx_b, &r_start, &r_end);
			if (r_start >= m_end)
				break;
			if (m_start < r_end)
				return mem_range_found(idx, m_end <= r_end ? idx_a + 1 : idx_a,
						       m_end <= r_end ? idx_b : idx_b + 1,
						       max(m_start, r_start), min(m_end, r_end),
						       m->nid, out_start, out_end, out_nid);
		}
	}
	*idx = ~0ULL;
}

/*
 * __next_mem_range() backwards: the ranges of @type_a (less @type_b's)
 * from the highest down.  *@idx starts at ULLONG_MAX and ends there.
 */
void __next_mem_range_rev(u64 *idx, int nid, enum memblock_flags flags,
			  struct memblock_type *type_a, struct memblock_type *type_b,
			  phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid)
{
	long idx_a = (int)(*idx & 0xffffffff), idx_b = (int)(*idx >> 32);

	ukmem_ensure_booted();
	if (*idx == ~0ULL) {
		idx_a = (long)type_a->cnt - 1;
		idx_b = type_b ? (long)type_b->cnt : 0;
	}
	for (; idx_a >= 0; idx_a--) {
		struct memblock_region *m = &type_a->regions[idx_a];
		phys_addr_t m_start = m->base, m_end = m->base + m->size, r_start, r_end;

		if (should_skip_region(type_a, m, nid, flags))
			continue;
		if (!type_b)
			return mem_range_found(idx, idx_a - 1, idx_b, m_start, m_end, m->nid,
					       out_start, out_end, out_nid);
		/* The gaps of type_b, from the one above its last region down. */
		for (; idx_b >= 0; idx_b--) {
			mem_gap(type_b, idx_b, &r_start, &r_end);
			if (r_end <= m_start)
				break;
			if (m_end > r_start)
				return mem_range_found(idx, m_start >= r_start ? idx_a - 1 : idx_a,
						       m_start >= r_start ? idx_b : idx_b - 1,
						       max(m_start, r_start), min(m_end, r_end),
						       m->nid, out_start, out_end, out_nid);
		}
	}
	*idx = ~0ULL;
}

/* Memory regions can always grow here (the kernel's arrays are static until this call). */
void memblock_allow_resize(void)
{
}

void __next_mem_pfn_range(int *idx, int nid, unsigned long *out_start_pfn,
			  unsigned long *out_end_pfn, int *out_nid)
{
	struct memblock_type *type = &memblock.memory;

	ukmem_ensure_booted();
	while (++*idx < (int)type->cnt) {
		struct memblock_region *r = &type->regions[*idx];

		if (PFN_UP(r->base) >= PFN_DOWN(r->base + r->size))
			continue;
		if (nid == NUMA_NO_NODE || nid == r->nid)
			break;
	}
	if (*idx >= (int)type->cnt) {
		*idx = -1;
		return;
	}
	if (out_start_pfn)
		*out_start_pfn = PFN_UP(type->regions[*idx].base);
	if (out_end_pfn)
		*out_end_pfn = PFN_DOWN(type->regions[*idx].base + type->regions[*idx].size);
	if (out_nid)
		*out_nid = type->regions[*idx].nid;
}

/* Find a free range of @size in [start, end) on @nid, honouring the direction. */
static phys_addr_t find_range_locked(phys_addr_t size, phys_addr_t align,
				     phys_addr_t start, phys_addr_t end, int nid)
{
	phys_addr_t this_start, this_end, cand, found = 0;
	u64 i;

	if (end == MEMBLOCK_ALLOC_ACCESSIBLE || end == MEMBLOCK_ALLOC_NOLEAKTRACE)
		end = memblock.current_limit;
	end = min(end, memblock_end_of_DRAM());
	start = max(start, (phys_addr_t)PAGE_SIZE);	/* never hand out pfn 0 */
	if (end <= start || end - start < size)
		return 0;

	for_each_free_mem_range(i, nid, MEMBLOCK_NONE, &this_start, &this_end, NULL) {
		this_start = clamp(this_start, start, end);
		this_end = clamp(this_end, start, end);
		if (this_end <= this_start || this_end - this_start < size)
			continue;
		if (memblock.bottom_up) {
			cand = round_up(this_start, align);
			if (cand < this_end && this_end - cand >= size)
				return cand;
		} else {
			/* Keep the highest fit: the walk is in ascending order. */
			cand = round_down(this_end - size, align);
			if (cand >= this_start)
				found = cand;
		}
	}
	return found;
}

/* Make [base, base+size) usable: RAM starts inaccessible. */
void memblock_commit_range(phys_addr_t base, phys_addr_t size)
{
	phys_addr_t start = round_down(base, PAGE_SIZE);
	phys_addr_t end = round_up(base + size, PAGE_SIZE);

	if (arch_commit(__va(start), end - start))
		panic("memblock: cannot commit %llu bytes at %#llx",
		      (unsigned long long)(end - start), (unsigned long long)start);
}

/*
 * A node number the caller may pass for "any node": NUMA_NO_NODE, or
 * MAX_NUMNODES with the kernel's warning; any other number that is no
 * node counts as any node too (numa_valid_node() in 6.9+).
 */
static int memblock_any_node(int nid)
{
	if (WARN_ONCE(nid == MAX_NUMNODES,
		      "Usage of MAX_NUMNODES is deprecated. Use NUMA_NO_NODE instead\n"))
		return NUMA_NO_NODE;
	return nid >= 0 && nid < MAX_NUMNODES ? nid : NUMA_NO_NODE;
}

phys_addr_t memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align,
					    phys_addr_t start, phys_addr_t end,
					    int nid, bool exact_nid)
{
	phys_addr_t found;

	ukmem_ensure_booted();
	nid = memblock_any_node(nid);
	if (!align) {
		/* The kernel's complaint about callers that pass align 0. */
		dump_stack();
		align = SMP_CACHE_BYTES;
	}
	if (!size)
		return 0;
	if (memblock_freed_all || system_state != SYSTEM_BOOTING) {
		WARN_ONCE(1, "memblock: allocation of %llu bytes after memblock_free_all()\n",
			  (unsigned long long)size);
		return 0;
	}
	found = find_range_locked(size, align, start, end, nid);
	if (!found && nid != NUMA_NO_NODE && !exact_nid)
		found = find_range_locked(size, align, start, end, NUMA_NO_NODE);
	if (!found)
		return 0;
	if (memblock_reserve(found, size))
		return 0;
	memblock_commit_range(found, size);
	return found;
}

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end)
{
	memblock_dbg("%s: %llu bytes align=0x%llx from=%#018llx max_addr=%#018llx %pS\n",
		     __func__, (unsigned long long)size, (unsigned long long)align,
		     (unsigned long long)start, (unsigned long long)end,
		     __builtin_return_address(0));
	return memblock_alloc_range_nid(size, align, start, end, NUMA_NO_NODE, false);
}

/*
 * The virtual-address allocators, all of which end here.  A call made once
 * the slab allocator is up is a caller's mistake that the kernel reports
 * (WARN_ON_ONCE(slab_is_available())) and repairs: the memory comes from
 * kzalloc_node(size, GFP_NOWAIT, nid) instead, zeroed even for the _raw
 * variants, aligned only as kmalloc aligns, ignoring the address limits,
 * and freed with kfree() (memblock_free() leaves it alone).  The physical
 * allocators (memblock_phys_alloc*) have no such rescue and fail below.
 */
static void *memblock_alloc_internal(phys_addr_t size, phys_addr_t align,
				     phys_addr_t min_addr, phys_addr_t max_addr, int nid,
				     bool exact_nid)
{
	phys_addr_t alloc;

	/*
	 * The deprecated MAX_NUMNODES means any node here too (the kernel's
	 * kzalloc_node() drops a node without slab memory only for small
	 * sizes; a large kmalloc would take it to the page allocator).
	 */
	if (WARN_ON_ONCE(slab_is_available()))
		return kzalloc_node(size, GFP_NOWAIT, nid == MAX_NUMNODES ? NUMA_NO_NODE : nid);

	if (max_addr > memblock.current_limit)
		max_addr = memblock.current_limit;
	alloc = memblock_alloc_range_nid(size, align, min_addr, max_addr, nid, exact_nid);
	/* Retry without the lower bound, as the kernel does. */
	if (!alloc && min_addr)
		alloc = memblock_alloc_range_nid(size, align, 0, max_addr, nid, exact_nid);
	return alloc ? phys_to_virt(alloc) : NULL;
}

void *memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align,
				   phys_addr_t min_addr, phys_addr_t max_addr, int nid)
{
	memblock_dbg("%s: %llu bytes align=0x%llx nid=%d from=%#018llx max_addr=%#018llx %pS\n",
		     __func__, (unsigned long long)size, (unsigned long long)align, nid,
		     (unsigned long long)min_addr, (unsigned long long)max_addr,
		     __builtin_return_address(0));
	return memblock_alloc_internal(size, align, min_addr, max_addr, nid, true);
}

phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid)
{
	return memblock_alloc_range_nid(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid, false);
}


void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align,
				 phys_addr_t min_addr, phys_addr_t max_addr, int nid)
{
	memblock_dbg("%s: %llu bytes align=0x%llx nid=%d from=%#018llx max_addr=%#018llx %pS\n",
		     __func__, (unsigned long long)size, (unsigned long long)align, nid,
		     (unsigned long long)min_addr, (unsigned long long)max_addr,
		     __builtin_return_address(0));
	return memblock_alloc_internal(size, align, min_addr, max_addr, nid, false);
}

void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align,
			     phys_addr_t min_addr, phys_addr_t max_addr, int nid)
{
	void *ptr;

	memblock_dbg("%s: %llu bytes align=0x%llx nid=%d from=%#018llx max_addr=%#018llx %pS\n",
		     __func__, (unsigned long long)size, (unsigned long long)align, nid,
		     (unsigned long long)min_addr, (unsigned long long)max_addr,
		     __builtin_return_address(0));
	ptr = memblock_alloc_internal(size, align, min_addr, max_addr, nid, false);
	if (ptr)
		memset(ptr, 0, size);
	return ptr;
}

void *__memblock_alloc_or_panic(phys_addr_t size, phys_addr_t align, const char *func)
{
	void *addr = memblock_alloc(size, align);

	if (unlikely(!addr))
		panic("%s: Failed to allocate %llu bytes\n", func, (unsigned long long)size);
	return addr;
}

/*
 * Hand every free range to the buddy allocator (mm/memblock.c
 * memblock_free_all / free_low_memory_core_early).  Reserved ranges keep
 * their pages: they were marked PG_reserved when mem_map was set up.
 */
/*
 * memblock_free_late - give boot memory to the page allocator after boot
 * @base: physical start; @size: bytes.  Only whole pages are given.
 *
 * For memory memblock reserved (or handed out) that is no longer needed
 * once the machine runs, as the kernel's, which hands each page over with
 * memblock_free_pages() and counts it in totalram_pages.  memblock's own
 * map is not changed (the kernel may have discarded it by then).
 */
void memblock_free_late(phys_addr_t base, phys_addr_t size)
{
	unsigned long pfn = PFN_UP(base), end = PFN_DOWN(base + size);

	memblock_dbg("%s: [%#018llx-%#018llx] %pS\n", __func__, (unsigned long long)base,
		     (unsigned long long)(base + size - 1), __builtin_return_address(0));
	for (; pfn < end; pfn++)
		free_reserved_page(pfn_to_page(pfn));
}

void memblock_free_all(void)
{
	phys_addr_t start, end;
	u64 i;

	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end, NULL) {
		unsigned long spfn = PFN_UP(start), epfn = PFN_DOWN(end);

		if (spfn < epfn)
			memblock_free_pages(spfn, epfn);
	}
	memblock_freed_all = true;
}

static void memblock_dump(struct memblock_type *type)
{
	unsigned long i;

	pr_info(" %s.cnt  = 0x%lx\n", type->name, type->cnt);
	for (i = 0; i < type->cnt; i++) {
		struct memblock_region *rgn = &type->regions[i];
		phys_addr_t base = rgn->base, size = rgn->size, end = base + size - 1;
		char nid_buf[32] = "";

		if (rgn->nid >= 0 && rgn->nid < MAX_NUMNODES)
			snprintf(nid_buf, sizeof(nid_buf), " on node %d", rgn->nid);
		pr_info(" %s[%#x]\t[%pa-%pa], %pa bytes%s flags: %#x\n",
			type->name, (unsigned int)i, &base, &end, &size, nid_buf, rgn->flags);
	}
}

/* Unconditional dump; memblock_dump_all() prints only with memblock=debug. */
static void __memblock_dump_all(void)
{
	pr_info("MEMBLOCK configuration:\n");
	pr_info(" memory size = %pa reserved size = %pa\n",
		&memblock.memory.total_size, &memblock.reserved.total_size);
	memblock_dump(&memblock.memory);
	memblock_dump(&memblock.reserved);
}

void memblock_dump_all(void)
{
	ukmem_ensure_booted();
	if (boot_config.memblock_debug)
		__memblock_dump_all();
}
