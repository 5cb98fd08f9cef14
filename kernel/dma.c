/* SPDX-License-Identifier: MIT */
/*
 * kernel/dma.c - the DMA API of linux/dma-mapping.h: direct mapping, no
 * IOMMU, with dma-debug's checks always on (kernel/dma/mapping.c,
 * kernel/dma/direct.c, kernel/dma/debug.c).
 *
 * 1. Addresses.  A device sees ukmem's physical addresses: the DMA
 *    address of a page is page_to_phys(), as under x86's dma-direct
 *    without memory encryption.  Nothing moves or is copied: a streaming
 *    map returns the physical address, a sync does nothing to the bytes.
 *
 * 2. Coherent memory comes from the page allocator, from the zone the
 *    device's coherent mask reaches (dma_direct_optimal_gfp_mask): a
 *    limit within 24 bits (ZONE_DMA) means GFP_DMA, within 32 bits
 *    GFP_DMA32, else any zone.  A block that ends above the limit is given
 *    back and the next lower zone tried, as __dma_direct_alloc_pages()
 *    does.  The memory is zeroed.
 *
 * 3. Checks.  Where the kernel has BUG_ON(!valid_dma_direction(dir)), a
 *    library warns and refuses (DMA_MAPPING_ERROR, or nothing done): the
 *    caller's mistake must not kill its process.  vmalloc addresses are
 *    refused, as dma_map_single_attrs() refuses them.  An address beyond
 *    the device's dma_mask is refused with dma-direct's message (there is
 *    no swiotlb to bounce through).
 *
 * 4. dma-debug.  Every streaming mapping and coherent allocation is
 *    remembered (hashed by DMA address, as kernel/dma/debug.c hashes them)
 *    until it is unmapped or freed.  An unmap of an unknown address, of a
 *    different size or direction, a free with a different CPU address or
 *    size, and a sync outside a mapping or against its direction are
 *    reported with dma-debug's words, as a WARN, and counted
 *    (ukmem_dma_debug_errors()).
 *
 *    When dma-debug cannot track a mapping - no memory for its entry, or
 *    its lock held by the very thread a signal handler (ukmem's interrupt
 *    context) interrupted - it turns itself off for good with a message,
 *    as the kernel's does when it runs out of entries ("DMA-API:
 *    debugging out of memory - disabling"): checking on with a mapping
 *    missing would report its unmap as a driver bug.  Off, it reports
 *    nothing (err_printk() checks).
 *
 * Lock order: dma_debug_lock is a leaf (taken with no other lock held and
 * nothing allocated under it).  Interrupt context only tries it.
 */
#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include "mm/internal.h"

/* ZONE_DMA's reach on x86 (zone_dma_bits). */
#define ZONE_DMA_BITS		24
#define HASH_SIZE		1024
#define HASH_SHIFT		13	/* 8 KiB of DMA address per bucket */

enum map_type { MAP_SINGLE, MAP_PAGE, MAP_COHERENT };

struct dma_debug_entry {
	struct dma_debug_entry *next;
	struct device *dev;
	enum map_type type;
	dma_addr_t dev_addr;
	size_t size;
	enum dma_data_direction direction;
	void *cpu_addr;			/* coherent allocations */
};

static struct dma_debug_entry *dma_hash[HASH_SIZE];
static size_t dma_max_size;		/* largest mapping seen: how far back sync looks */
static DEFINE_SPINLOCK(dma_debug_lock);
static atomic_long_t dma_debug_error_count;
static bool dma_debug_disabled;		/* for good: a mapping went untracked */

static const char *const dir2name[] = {
	[DMA_BIDIRECTIONAL] = "DMA_BIDIRECTIONAL",
	[DMA_TO_DEVICE] = "DMA_TO_DEVICE",
	[DMA_FROM_DEVICE] = "DMA_FROM_DEVICE",
	[DMA_NONE] = "DMA_NONE",
};

static const char *dir_name(int dir)
{
	return dir >= 0 && dir <= DMA_NONE ? dir2name[dir] : "invalid";
}

/* dma-debug stops checking: it no longer knows every mapping. */
static noinline void debug_disable(const char *why)
{
	if (!__atomic_exchange_n(&dma_debug_disabled, true, __ATOMIC_RELAXED))
		pr_err("DMA-API: debugging %s - disabling\n", why);
}

static bool debug_enabled(void)
{
	return !__atomic_load_n(&dma_debug_disabled, __ATOMIC_RELAXED);
}

/* dma-debug's err_printk(): a WARN naming the driver and the device; nothing once off. */
#define err_printk(dev, fmt, ...) do {						\
	if (!debug_enabled())							\
		break;								\
	atomic_long_inc(&dma_debug_error_count);				\
	WARN(1, "DMA-API: %s %s: " fmt, dev ? dev_driver_string(dev) : "NULL",	\
	     dev ? dev_name(dev) : "NULL", ##__VA_ARGS__);			\
} while (0)

unsigned long ukmem_dma_debug_errors(void)
{
	return (unsigned long)atomic_long_read(&dma_debug_error_count);
}

/*
 * Take dma_debug_lock; in interrupt context only try (the interrupted
 * thread may hold it), and on failure turn dma-debug off.  False: not taken.
 */
static bool debug_lock(void)
{
	if (likely(!in_interrupt())) {
		spin_lock(&dma_debug_lock);
		return true;
	}
	if (spin_trylock(&dma_debug_lock))
		return true;
	debug_disable("lock busy in interrupt context");
	return false;
}

static unsigned int hash_of(dma_addr_t addr)
{
	return (unsigned int)(addr >> HASH_SHIFT) & (HASH_SIZE - 1);
}

static void debug_add(struct device *dev, enum map_type type, dma_addr_t addr, size_t size,
		      enum dma_data_direction dir, void *cpu_addr)
{
	struct dma_debug_entry *e;
	unsigned int h = hash_of(addr);

	if (!debug_enabled())
		return;
	e = kmalloc(sizeof(*e), GFP_ATOMIC | __GFP_NOWARN);
	if (!e) {
		debug_disable("out of memory");
		return;
	}
	e->dev = dev;
	e->type = type;
	e->dev_addr = addr;
	e->size = size;
	e->direction = dir;
	e->cpu_addr = cpu_addr;
	if (!debug_lock()) {
		kfree(e);
		return;
	}
	e->next = dma_hash[h];
	dma_hash[h] = e;
	if (size > dma_max_size)
		dma_max_size = size;
	spin_unlock(&dma_debug_lock);
}

/* Take out the entry of @dev that starts at @addr; NULL if there is none. */
static struct dma_debug_entry *debug_take(struct device *dev, dma_addr_t addr, bool coherent)
{
	struct dma_debug_entry **pp, *e;

	if (!debug_enabled() || !debug_lock())
		return NULL;
	for (pp = &dma_hash[hash_of(addr)]; (e = *pp); pp = &e->next) {
		if (e->dev == dev && e->dev_addr == addr &&
		    (e->type == MAP_COHERENT) == coherent) {
			*pp = e->next;
			break;
		}
	}
	spin_unlock(&dma_debug_lock);
	return e;
}

/*
 * The streaming mapping of @dev that contains @addr, copied out: a sync
 * may name any part of a mapping (dma_sync_single_range_*), so the
 * buckets below @addr are searched as far as the largest mapping reaches.
 */
static bool debug_find_contain(struct device *dev, dma_addr_t addr, struct dma_debug_entry *out)
{
	dma_addr_t lo = addr > dma_max_size ? addr - dma_max_size : 0;
	unsigned long last = (unsigned long)(addr >> HASH_SHIFT);
	unsigned long n = last - (unsigned long)(lo >> HASH_SHIFT) + 1, i;
	bool found = false;

	if (!debug_enabled() || !debug_lock())
		return false;
	for (i = 0; i < min(n, (unsigned long)HASH_SIZE) && !found; i++) {
		const struct dma_debug_entry *e;

		for (e = dma_hash[(last - i) & (HASH_SIZE - 1)]; e; e = e->next) {
			if (e->dev == dev && e->type != MAP_COHERENT && e->dev_addr <= addr &&
			    addr < e->dev_addr + e->size) {
				*out = *e;
				found = true;
				break;
			}
		}
	}
	spin_unlock(&dma_debug_lock);
	return found;
}

/* kernel/dma/debug.c check_unmap(), for streaming mappings. */
static void check_unmap(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir)
{
	struct dma_debug_entry *e = debug_take(dev, addr, false);

	if (!e) {
		err_printk(dev, "device driver tries to free DMA memory it has not allocated "
			   "[device address=0x%016llx] [size=%llu bytes]\n",
			   (unsigned long long)addr, (unsigned long long)size);
		return;
	}
	if (e->size != size)
		err_printk(dev, "device driver frees DMA memory with different size "
			   "[device address=0x%016llx] [map size=%llu bytes] "
			   "[unmap size=%llu bytes]\n", (unsigned long long)addr,
			   (unsigned long long)e->size, (unsigned long long)size);
	if (e->direction != dir)
		err_printk(dev, "device driver frees DMA memory with different direction "
			   "[device address=0x%016llx] [size=%llu bytes] [mapped with %s] "
			   "[unmapped with %s]\n", (unsigned long long)addr,
			   (unsigned long long)e->size, dir_name(e->direction), dir_name(dir));
	kfree(e);
}

/* kernel/dma/debug.c check_sync(). */
static void check_sync(struct device *dev, dma_addr_t addr, size_t size,
		       enum dma_data_direction dir, bool to_cpu)
{
	struct dma_debug_entry e;

	if (!debug_find_contain(dev, addr, &e)) {
		err_printk(dev, "device driver tries to sync DMA memory it has not allocated "
			   "[device address=0x%016llx] [size=%llu bytes]\n",
			   (unsigned long long)addr, (unsigned long long)size);
		return;
	}
	if (addr + size > e.dev_addr + e.size)
		err_printk(dev, "device driver syncs DMA memory outside allocated range "
			   "[device address=0x%016llx] [allocation size=%llu bytes] "
			   "[sync offset+size=%llu]\n", (unsigned long long)e.dev_addr,
			   (unsigned long long)e.size,
			   (unsigned long long)(addr - e.dev_addr + size));
	if (e.direction == DMA_BIDIRECTIONAL)
		return;
	if (dir != e.direction)
		err_printk(dev, "device driver syncs DMA memory with different direction "
			   "[device address=0x%016llx] [size=%llu bytes] [mapped with %s] "
			   "[synced with %s]\n", (unsigned long long)addr,
			   (unsigned long long)e.size, dir_name(e.direction), dir_name(dir));
	if (to_cpu && e.direction != DMA_FROM_DEVICE && dir != DMA_TO_DEVICE)
		err_printk(dev, "device driver syncs device read-only DMA memory for cpu "
			   "[device address=0x%016llx] [size=%llu bytes] [mapped with %s] "
			   "[synced with %s]\n", (unsigned long long)addr,
			   (unsigned long long)e.size, dir_name(e.direction), dir_name(dir));
	if (!to_cpu && e.direction != DMA_TO_DEVICE && dir != DMA_FROM_DEVICE)
		err_printk(dev, "device driver syncs device write-only DMA memory to device "
			   "[device address=0x%016llx] [size=%llu bytes] [mapped with %s] "
			   "[synced with %s]\n", (unsigned long long)addr,
			   (unsigned long long)e.size, dir_name(e.direction), dir_name(dir));
}

/* The kernel's BUG_ON(!valid_dma_direction(dir)), survived. */
static bool bad_direction(struct device *dev, enum dma_data_direction dir)
{
	return WARN(!valid_dma_direction(dir), "%s %s: invalid DMA direction %d\n",
		    dev_driver_string(dev), dev_name(dev), (int)dir);
}

/* ------------------------------------------------------------------ */
/* Masks                                                                */

/* dma_direct_supported(): the mask must reach ZONE_DMA (or all of RAM). */
int dma_supported(struct device *dev, u64 mask)
{
	u64 min_mask = DMA_BIT_MASK(ZONE_DMA_BITS);
	u64 ram_end = (u64)PFN_PHYS(max_pfn) - 1;

	if (max_pfn && ram_end < min_mask)
		min_mask = ram_end;
	return mask >= min_mask;
}

int dma_set_mask(struct device *dev, u64 mask)
{
	if (!dev->dma_mask || !dma_supported(dev, mask))
		return -EIO;
	*dev->dma_mask = mask;
	return 0;
}

int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	if (!dma_supported(dev, mask))
		return -EIO;
	dev->coherent_dma_mask = mask;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Coherent memory                                                      */

static u64 coherent_limit(struct device *dev)
{
	if (!dev)
		return DMA_BIT_MASK(ZONE_DMA_BITS);	/* ISA-style */
	WARN_ON_ONCE(!dev->coherent_dma_mask);
	return dev->coherent_dma_mask ? dev->coherent_dma_mask : DMA_BIT_MASK(ZONE_DMA_BITS);
}

/*
 * dma-direct's __dma_direct_alloc_pages(): 2^order pages the device
 * reaches below @limit, from the highest zone that may do, one zone lower
 * each time the pages come back too high.  Zeroed.  No pages at all is
 * the answer, as in the kernel: the allocation already fell back through
 * the lower zones, and trying again from a lower zone would only dip into
 * the reserve (lowmem_reserve) they keep against exactly such requests.
 * A mask of 64 bits never retries from ZONE_DMA32, as in the kernel.
 */
static struct page *alloc_below(struct device *dev, u64 limit, size_t size, gfp_t gfp)
{
	unsigned int order = get_order(size);
	struct page *page;
	gfp_t zone;

	if (limit <= DMA_BIT_MASK(ZONE_DMA_BITS))
		zone = __GFP_DMA;
	else if (limit <= DMA_BIT_MASK(32))
		zone = __GFP_DMA32;
	else
		zone = 0;
	for (;;) {
		/* On the device's node, as dma-direct allocates (a NULL device: none). */
		page = alloc_pages_node(dev ? dev_to_node(dev) : NUMA_NO_NODE, gfp | zone, order);
		if (!page || page_to_phys(page) + size - 1 <= limit)
			break;
		__free_pages(page, order);
		page = NULL;
		/* Too high: one zone lower, as dma-direct retries. */
		if (!zone && limit < DMA_BIT_MASK(64))
			zone = __GFP_DMA32;
		else if (zone == __GFP_DMA32)
			zone = __GFP_DMA;
		else
			break;
	}
	if (page)
		memset(page_address(page), 0, PAGE_SIZE << order);
	return page;
}

void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
		      unsigned long attrs)
{
	u64 limit = coherent_limit(dev);
	struct page *page;
	void *cpu_addr;

	if (WARN_ON_ONCE(gfp & __GFP_COMP) || !size)
		return NULL;
	/* The zone is ours to choose from the mask, not the caller's. */
	gfp &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);
	if (attrs & DMA_ATTR_NO_WARN)
		gfp |= __GFP_NOWARN;
	page = alloc_below(dev, limit, size, gfp);
	if (!page)
		return NULL;
	cpu_addr = page_address(page);
	*dma_handle = (dma_addr_t)page_to_phys(page);
	debug_add(dev, MAP_COHERENT, *dma_handle, size, DMA_BIDIRECTIONAL, cpu_addr);
	return cpu_addr;
}

void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle,
		    unsigned long attrs)
{
	struct dma_debug_entry *e;

	if (!cpu_addr)
		return;
	e = debug_take(dev, dma_handle, true);
	if (!e) {
		err_printk(dev, "device driver tries to free DMA memory it has not allocated "
			   "[device address=0x%016llx] [size=%llu bytes]\n",
			   (unsigned long long)dma_handle, (unsigned long long)size);
	} else {
		if (e->size != size)
			err_printk(dev, "device driver frees DMA memory with different size "
				   "[device address=0x%016llx] [map size=%llu bytes] "
				   "[unmap size=%llu bytes]\n", (unsigned long long)dma_handle,
				   (unsigned long long)e->size, (unsigned long long)size);
		if (e->cpu_addr != cpu_addr)
			err_printk(dev, "device driver frees DMA memory with different CPU "
				   "address [device address=0x%016llx] [size=%llu bytes] "
				   "[cpu alloc address=0x%p] [cpu free address=0x%p]\n",
				   (unsigned long long)dma_handle, (unsigned long long)size,
				   e->cpu_addr, cpu_addr);
		size = e->size;
		cpu_addr = e->cpu_addr;
		kfree(e);
	}
	__free_pages(virt_to_page(cpu_addr), get_order(size));
}

/*
 * dma_alloc_pages() (v5.10+): pages the device reaches, owned by it like a
 * streaming mapping in direction @dir (so synced, not coherent; the same
 * memory here).  As the kernel: no zone and no __GFP_COMP from the
 * caller (a warning and NULL), the pages zeroed.  Where they may lie is
 * the coherent mask's to say, not the streaming one's: the kernel's
 * dma-direct places them as it places dma_alloc_coherent() memory, so a
 * driver with a 64-bit streaming mask and a 32-bit coherent one gets
 * pages below 4 GiB.
 */
struct page *dma_alloc_pages(struct device *dev, size_t size, dma_addr_t *dma_handle,
			     enum dma_data_direction dir, gfp_t gfp)
{
	u64 limit = coherent_limit(dev);
	struct page *page;

	if (WARN_ON_ONCE(gfp & (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM)))
		return NULL;
	if (WARN_ON_ONCE(gfp & __GFP_COMP) || !size || bad_direction(dev, dir))
		return NULL;
	page = alloc_below(dev, limit, size, gfp);
	if (!page)
		return NULL;
	*dma_handle = (dma_addr_t)page_to_phys(page);
	debug_add(dev, MAP_PAGE, *dma_handle, size, dir, NULL);
	return page;
}

void dma_free_pages(struct device *dev, size_t size, struct page *page, dma_addr_t dma_handle,
		    enum dma_data_direction dir)
{
	if (!page)
		return;
	check_unmap(dev, dma_handle, size, dir);
	__free_pages(page, get_order(size));
}

/* ------------------------------------------------------------------ */
/* Streaming mappings                                                   */

dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page, size_t offset,
			      size_t size, enum dma_data_direction dir, unsigned long attrs)
{
	dma_addr_t addr;

	if (bad_direction(dev, dir))
		return DMA_MAPPING_ERROR;
	addr = (dma_addr_t)page_to_phys(page) + offset;
	/* dma_capable(): no swiotlb to bounce an address the device cannot reach. */
	if (dev && (!dev->dma_mask || addr + size - 1 > *dev->dma_mask)) {
		dev_err(dev, "DMA addr 0x%016llx+%zu overflow (mask %llx, bus limit 0).\n",
			(unsigned long long)addr, size,
			dev->dma_mask ? (unsigned long long)*dev->dma_mask : 0ULL);
		WARN_ON_ONCE(1);
		return DMA_MAPPING_ERROR;
	}
	debug_add(dev, MAP_PAGE, addr, size, dir, NULL);
	return addr;
}

dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
				enum dma_data_direction dir, unsigned long attrs)
{
	/* DMA must never touch memory that might be remapped. */
	if (WARN_ONCE(is_vmalloc_addr(ptr), "%s %s: rejecting DMA map of vmalloc memory\n",
		      dev_driver_string(dev), dev_name(dev)))
		return DMA_MAPPING_ERROR;
	return dma_map_page_attrs(dev, virt_to_page(ptr), offset_in_page(ptr), size, dir, attrs);
}

void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs)
{
	if (bad_direction(dev, dir))
		return;
	check_unmap(dev, addr, size, dir);
}

void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir)
{
	if (bad_direction(dev, dir))
		return;
	check_sync(dev, addr, size, dir, true);
}

void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
				enum dma_data_direction dir)
{
	if (bad_direction(dev, dir))
		return;
	check_sync(dev, addr, size, dir, false);
}

/* ---- managed coherent memory (kernel/dma/mapping.c's dmam_*) ---- */

struct dma_devres {
	size_t size;
	void *vaddr;
	dma_addr_t dma_handle;
	unsigned long attrs;
};

static void dmam_release(struct device *dev, void *res)
{
	struct dma_devres *this = res;

	dma_free_attrs(dev, this->size, this->vaddr, this->dma_handle, this->attrs);
}

/* The block at the same address; a different size or handle is the caller's mistake. */
static int dmam_match(struct device *dev, void *res, void *match_data)
{
	struct dma_devres *this = res, *match = match_data;

	if (this->vaddr != match->vaddr)
		return 0;
	WARN_ON(this->size != match->size || this->dma_handle != match->dma_handle);
	return 1;
}

/**
 * dmam_alloc_attrs - dma_alloc_attrs() memory that @dev frees when it lets
 * go of its driver (dmam_alloc_coherent() without attributes).  NULL on
 * failure.  Context: as @gfp allows.
 */
void *dmam_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
		       unsigned long attrs)
{
	struct dma_devres *dr = devres_alloc(dmam_release, sizeof(*dr), gfp);
	void *vaddr;

	if (!dr)
		return NULL;
	vaddr = dma_alloc_attrs(dev, size, dma_handle, gfp, attrs);
	if (!vaddr) {
		devres_free(dr);
		return NULL;
	}
	dr->vaddr = vaddr;
	dr->dma_handle = *dma_handle;
	dr->size = size;
	dr->attrs = attrs;
	devres_add(dev, dr);
	return vaddr;
}

/**
 * dmam_free_coherent - free dmam_alloc_coherent() memory early; memory
 * @dev does not manage gets a warning (and is freed all the same, as the
 * kernel does).
 */
void dmam_free_coherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle)
{
	struct dma_devres match = { size, vaddr, dma_handle, 0 };

	WARN_ON(devres_destroy(dev, dmam_release, dmam_match, &match));
	dma_free_coherent(dev, size, vaddr, dma_handle);
}

/* The dma-debug lock, for tests that hold it across a signal. */
spinlock_t *dma_debug_lock_for_tests(void)
{
	return &dma_debug_lock;
}
