/* SPDX-License-Identifier: MIT */
/*
 * mm/ioremap.c - device memory mapped into the vmalloc range
 * (arch/x86/mm/ioremap.c __ioremap_caller/iounmap, mm/ioremap.c).
 *
 * There is no bus here, so device regions are declared by the program
 * (include/ukmem/iomem.h): a physical range outside RAM backed by a file
 * descriptor.  ioremap() finds the region that holds the requested range,
 * takes a VM_IOREMAP area of the vmalloc space and maps the file there,
 * shared, so the device (or whoever else maps the file) sees every store.
 * The cache type the kernel would program into the PAT (uncached,
 * write-combining, write-back) is the host driver's business once the file
 * is mapped: the variants differ only in name, and vmallocinfo shows each
 * as "ioremap" with its phys=, as the kernel does.
 *
 * As on x86: size 0 or a wrapping range returns NULL; RAM that the buddy
 * allocator manages is refused with WARN "ioremap on RAM at ..."; and
 * iounmap() of an address that is no ioremap area prints "iounmap: bad
 * address" with a stack trace.  A range no device region covers returns
 * NULL (the kernel would map whatever the bus answers there).
 *
 * Lock: iomem_lock guards the region table; it is never held across a host
 * call or an allocation.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <asm/io.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/iomem.h>
#include "arch/host.h"
#include "arch/mapping.h"
#include "kernel/fork.h"
#include <linux/ioport.h>
#include "kernel/locking.h"
#include "mm/internal.h"
#include "mm/vmalloc.h"

#define MAX_DEVICE_REGIONS	32

struct device_region {
	phys_addr_t phys;	/* 0 size = free slot */
	size_t size;
	int fd;			/* our duplicate */
	u64 offset;		/* file offset of @phys */
	unsigned int mapped;	/* live ioremaps of it */
	char name[32];
};

static struct device_region regions[MAX_DEVICE_REGIONS];
static DEFINE_SPINLOCK_RANKED(iomem_lock, LOCK_RANK_IOMEM);
static bool iomem_fork_registered;

/* fork(): the table as it is, never half changed by a thread the child lacks. */
static const struct fork_step iomem_fork_step = {
	.name = "iomem", .order = FORK_ORDER_IOMEM, .spinlock = &iomem_lock,
};

static bool ranges_overlap(phys_addr_t a, u64 asize, phys_addr_t b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

int ukmem_register_device_region(phys_addr_t phys, size_t size, int fd, u64 offset,
				 const char *name)
{
	long long fsize;
	int i, slot = -1, dup;

	ukmem_ensure_booted();
	if (!size || !PAGE_ALIGNED(phys) || !PAGE_ALIGNED(size) || !PAGE_ALIGNED(offset) ||
	    phys + size < phys || phys < ukmem_ram_size || fd < 0)
		return -EINVAL;
	/* A regular file must hold the whole range, or touching its end is SIGBUS. */
	fsize = arch_fd_size(fd);
	if (fsize < 0)
		return (int)fsize;
	if (fsize > 0 && offset + size > (u64)fsize)
		return -EINVAL;
	dup = arch_dup_fd(fd);
	if (dup < 0)
		return dup;
	/* The table is used only once a region exists: the step comes with the first. */
	if (!__atomic_exchange_n(&iomem_fork_registered, true, __ATOMIC_ACQ_REL))
		fork_register_step(&iomem_fork_step);

	spin_lock(&iomem_lock);
	for (i = 0; i < MAX_DEVICE_REGIONS; i++) {
		if (!regions[i].size) {
			if (slot < 0)
				slot = i;
		} else if (ranges_overlap(phys, size, regions[i].phys, regions[i].size)) {
			spin_unlock(&iomem_lock);
			arch_close_fd(dup);
			return -EBUSY;
		}
	}
	if (slot < 0) {
		spin_unlock(&iomem_lock);
		arch_close_fd(dup);
		return -ENOSPC;
	}
	regions[slot].phys = phys;
	regions[slot].fd = dup;
	regions[slot].offset = offset;
	regions[slot].mapped = 0;
	snprintf(regions[slot].name, sizeof(regions[slot].name), "%s", name ? name : "device");
	WRITE_ONCE(regions[slot].size, size);
	spin_unlock(&iomem_lock);
	return 0;
}

int ukmem_unregister_device_region(phys_addr_t phys)
{
	int i, fd = -1, ret = -ENOENT;

	spin_lock(&iomem_lock);
	for (i = 0; i < MAX_DEVICE_REGIONS; i++) {
		if (!regions[i].size || regions[i].phys != phys)
			continue;
		if (regions[i].mapped) {
			ret = -EBUSY;
		} else {
			fd = regions[i].fd;
			regions[i].size = 0;
			ret = 0;
		}
		break;
	}
	spin_unlock(&iomem_lock);
	if (fd >= 0)
		arch_close_fd(fd);
	return ret;
}

/* Is any page of [phys, phys+size) RAM that the page allocator manages? */
static bool range_is_system_ram(phys_addr_t phys, u64 size)
{
	unsigned long pfn, end;

	if (phys >= ukmem_ram_size)
		return false;
	end = PHYS_PFN(min((u64)ukmem_ram_size, phys + size - 1)) + 1;
	for (pfn = PHYS_PFN(phys); pfn < end; pfn++)
		if (pfn_valid(pfn) && !PageReserved(pfn_to_page(pfn)))
			return true;
	return false;
}

/*
 * Pin the region that holds all of [phys, phys+size) (it cannot be
 * unregistered while mapped): its descriptor and the file offset of
 * @phys.  False if no region holds the range.
 */
static bool region_get(phys_addr_t phys, u64 size, int *fd, u64 *file_off)
{
	bool found = false;
	int i;

	spin_lock(&iomem_lock);
	for (i = 0; i < MAX_DEVICE_REGIONS; i++) {
		if (regions[i].size && phys >= regions[i].phys &&
		    phys + size <= regions[i].phys + regions[i].size) {
			regions[i].mapped++;
			*fd = regions[i].fd;
			*file_off = regions[i].offset + (phys - regions[i].phys);
			found = true;
			break;
		}
	}
	spin_unlock(&iomem_lock);
	return found;
}

/* Unpin the region that holds @phys. */
static void region_put(phys_addr_t phys)
{
	int i;

	spin_lock(&iomem_lock);
	for (i = 0; i < MAX_DEVICE_REGIONS; i++)
		if (regions[i].size && regions[i].mapped && phys >= regions[i].phys &&
		    phys < regions[i].phys + regions[i].size) {
			regions[i].mapped--;
			break;
		}
	spin_unlock(&iomem_lock);
}

static void __iomem *__ioremap_caller(resource_size_t phys_addr, unsigned long size,
				      const void *caller)
{
	phys_addr_t last_addr = phys_addr + size - 1, aligned;
	unsigned long offset;
	struct vm_struct *area;
	u64 file_off = 0;
	int fd = -1;

	might_sleep();
	ukmem_ensure_booted();	/* what is RAM is the boot's */
	if (!size || last_addr < phys_addr)
		return NULL;
	if (range_is_system_ram(phys_addr, size)) {
		WARN_ONCE(1, "ioremap on RAM at %pa - %pa\n", &phys_addr, &last_addr);
		return NULL;
	}
	offset = phys_addr & ~PAGE_MASK;
	aligned = phys_addr & PAGE_MASK;
	size = PAGE_ALIGN(last_addr + 1) - aligned;

	/* Find the device region and pin it while we map. */
	if (!region_get(aligned, size, &fd, &file_off))
		return NULL;

	area = get_vm_area_caller(size, VM_IOREMAP, caller);
	if (!area)
		goto unpin;
	area->phys_addr = aligned;
	if (vmap_overlay_fd(area->addr, size, fd, file_off)) {
		free_vm_area(area);
		goto unpin;
	}
	return (void __iomem *)((unsigned long)area->addr + offset);

unpin:
	region_put(aligned);
	return NULL;
}

/**
 * ioremap - map device memory into the vmalloc range
 * @phys_addr: physical address inside a registered device region
 * @size: bytes
 *
 * Returns the address of @phys_addr in the mapping (same offset within its
 * page), or NULL: size 0, a range that wraps, RAM (with the kernel's WARN),
 * or a range no registered region covers.  Access the result with
 * readl()/writel() and friends.  Context: may sleep.
 */
void __iomem *ioremap(resource_size_t phys_addr, unsigned long size)
{
	return __ioremap_caller(phys_addr, size, __builtin_return_address(0));
}

/**
 * ioremap_wc - ioremap(), write-combining in the kernel; the same mapping here
 * @phys_addr: physical address; @size: bytes.  Context: may sleep.
 */
void __iomem *ioremap_wc(resource_size_t phys_addr, unsigned long size)
{
	return __ioremap_caller(phys_addr, size, __builtin_return_address(0));
}

/**
 * ioremap_wt - ioremap(), write-through in the kernel; the same mapping here
 * @phys_addr: physical address; @size: bytes.  Context: may sleep.
 */
void __iomem *ioremap_wt(resource_size_t phys_addr, unsigned long size)
{
	return __ioremap_caller(phys_addr, size, __builtin_return_address(0));
}

/**
 * ioremap_uc - ioremap(), strongly uncached in the kernel; the same mapping here
 * @phys_addr: physical address; @size: bytes.  Context: may sleep.
 */
void __iomem *ioremap_uc(resource_size_t phys_addr, unsigned long size)
{
	return __ioremap_caller(phys_addr, size, __builtin_return_address(0));
}

/**
 * ioremap_cache - ioremap(), write-back cached in the kernel; the same mapping here
 * @phys_addr: physical address; @size: bytes.  Context: may sleep.
 */
void __iomem *ioremap_cache(resource_size_t phys_addr, unsigned long size)
{
	return __ioremap_caller(phys_addr, size, __builtin_return_address(0));
}

/**
 * ioremap_encrypted - ioremap() of memory the kernel would map encrypted (SME)
 * @phys_addr: physical address; @size: bytes.  Context: may sleep.
 */
void __iomem *ioremap_encrypted(resource_size_t phys_addr, unsigned long size)
{
	return __ioremap_caller(phys_addr, size, __builtin_return_address(0));
}

/**
 * iounmap - undo an ioremap()
 * @addr: what ioremap() returned (any address in its first page will do)
 *
 * NULL and addresses of the linear map are ignored, as on x86; anything
 * else that is no ioremap area is reported "iounmap: bad address" with a
 * stack trace and left alone.  Context: may sleep.
 */
void iounmap(volatile void __iomem *addr)
{
	void *start = (void *)((unsigned long)addr & PAGE_MASK);
	struct vm_struct *vm;
	phys_addr_t phys;

	if (!addr || !is_vmalloc_addr((const void *)addr))
		return;
	vm = find_vm_area(start);
	/* find_vm_area() answers for any page of an area; unmap by its first. */
	if (!vm || vm->addr != start || !(vm->flags & VM_IOREMAP)) {
		pr_err("iounmap: bad address %p\n", (void *)addr);
		dump_stack();
		return;
	}
	phys = vm->phys_addr;
	/* A vmap_pfn() area: its frames' regions are let go with the area. */
	if (vm->ukmem_pfns) {
		vunmap(start);
		return;
	}
	vm = remove_vm_area(start);
	if (!vm)
		return;
	kfree(vm);
	region_put(phys);
}

/* ---- vmap_pfn (mm/vmalloc.c in the kernel) ---- */

/*
 * How many of pfns[i..] follow each other inside the region that holds
 * pfns[i]: one mapping, one pin.  0 if no region holds it.  A pinned
 * region stays, so unpinning finds the same runs.
 */
static unsigned int pfn_run(const unsigned long *pfns, unsigned int i, unsigned int count)
{
	phys_addr_t phys = PFN_PHYS(pfns[i]), end = 0;
	unsigned int j, r;

	spin_lock(&iomem_lock);
	for (r = 0; r < MAX_DEVICE_REGIONS; r++)
		if (regions[r].size && phys >= regions[r].phys &&
		    phys < regions[r].phys + regions[r].size) {
			end = regions[r].phys + regions[r].size;
			break;
		}
	spin_unlock(&iomem_lock);
	if (!end)
		return 0;
	for (j = i + 1; j < count && pfns[j] == pfns[j - 1] + 1 && PFN_PHYS(pfns[j]) < end; j++)
		;
	return j - i;
}

/* Unpin the regions of the first @count frames, run by run as they were pinned. */
static void put_pfn_runs(const unsigned long *pfns, unsigned int count)
{
	unsigned int i, n;

	for (i = 0; i < count; i += n) {
		n = pfn_run(pfns, i, count);
		if (WARN_ON_ONCE(!n))	/* a pinned region went away: impossible */
			break;
		region_put(PFN_PHYS(pfns[i]));
	}
}

void *vmap_pfn(unsigned long *pfns, unsigned int count, pgprot_t prot)
{
	struct vm_struct *area;
	unsigned long *copy;
	unsigned int i, n;
	u64 file_off;
	int fd;

	(void)prot;
	might_sleep();
	ukmem_ensure_booted();
	if (!count || count > (UINT_MAX >> PAGE_SHIFT))
		return NULL;
	/* The kernel's vmap_pfn_apply(): frames with a struct page are not for this. */
	for (i = 0; i < count; i++)
		if (WARN_ON_ONCE(pfn_valid(pfns[i])))
			return NULL;
	copy = kmemdup_array(pfns, count, sizeof(*pfns), GFP_KERNEL);
	if (!copy)
		return NULL;
	area = get_vm_area_caller((unsigned long)count << PAGE_SHIFT, VM_IOREMAP,
				  __builtin_return_address(0));
	if (!area) {
		kfree(copy);
		return NULL;
	}
	/* One host mapping per run of consecutive frames in one region. */
	for (i = 0; i < count; i += n) {
		n = pfn_run(copy, i, count);
		if (!n || !region_get(PFN_PHYS(copy[i]), (u64)n << PAGE_SHIFT, &fd, &file_off))
			goto fail;
		if (vmap_overlay_fd((char *)area->addr + ((unsigned long)i << PAGE_SHIFT),
				    (size_t)n << PAGE_SHIFT, fd, file_off)) {
			region_put(PFN_PHYS(copy[i]));
			goto fail;
		}
	}
	/* Under the lock that vmalloc_to_pfn() reads it with. */
	spin_lock(&vmap_area_lock);
	area->ukmem_pfns = copy;
	spin_unlock(&vmap_area_lock);
	return area->addr;

fail:
	put_pfn_runs(copy, i);
	kfree(copy);
	free_vm_area(area);
	return NULL;
}

void iomem_release_pfns(struct vm_struct *vm)
{
	unsigned long *pfns = vm->ukmem_pfns;

	vm->ukmem_pfns = NULL;
	put_pfn_runs(pfns, (unsigned int)(get_vm_area_size(vm) >> PAGE_SHIFT));
	kfree(pfns);
}

/* ---- the resource questions (the kernel's kernel/resource.c) ---- */

/* Does a resource of these flags (and IORES_DESC_NONE) answer to @flags and @desc? */
static bool resource_matches(unsigned long res_flags, unsigned long flags, unsigned long desc)
{
	return (res_flags & flags) == flags && desc == IORES_DESC_NONE;
}

/*
 * As the kernel's: DISJOINT if no resource of @flags/@desc overlaps
 * [@start, @start + @size), INTERSECTS if some do and nothing else does
 * (holes do not count), MIXED if another resource overlaps too.
 */
int region_intersects(resource_size_t start, size_t size, unsigned long flags,
		      unsigned long desc)
{
	u64 of_kind = 0, other = 0, ram;
	int i;

	if (!size)
		return REGION_DISJOINT;
	ram = memblock_memory_bytes_in(start, size);
	if (resource_matches(IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, flags, desc))
		of_kind += ram;
	else
		other += ram;
	spin_lock(&iomem_lock);
	for (i = 0; i < MAX_DEVICE_REGIONS; i++) {
		phys_addr_t lo, hi;

		if (!regions[i].size || !ranges_overlap(start, size, regions[i].phys, regions[i].size))
			continue;
		lo = max(start, regions[i].phys);
		hi = min(start + size, regions[i].phys + regions[i].size);
		if (resource_matches(IORESOURCE_MEM | IORESOURCE_BUSY, flags, desc))
			of_kind += hi - lo;
		else
			other += hi - lo;
	}
	spin_unlock(&iomem_lock);
	if (!of_kind)
		return REGION_DISJOINT;
	return other ? REGION_MIXED : REGION_INTERSECTS;
}

int walk_system_ram_range(unsigned long start_pfn, unsigned long nr_pages, void *arg,
			  int (*func)(unsigned long, unsigned long, void *))
{
	unsigned long end_pfn = start_pfn + nr_pages, spfn, epfn, run_start = 0, run_end = 0;
	int i, ret = -EINVAL;

	/* Regions that touch (a node boundary splits RAM) make one run, as one resource. */
	for_each_mem_pfn_range(i, NUMA_NO_NODE, &spfn, &epfn, NULL) {
		spfn = max(spfn, start_pfn);
		epfn = min(epfn, end_pfn);
		if (spfn >= epfn)
			continue;
		if (run_end && spfn == run_end) {
			run_end = epfn;
			continue;
		}
		if (run_end) {
			ret = func(run_start, run_end - run_start, arg);
			if (ret)
				return ret;
		}
		run_start = spfn;
		run_end = epfn;
	}
	if (run_end)
		ret = func(run_start, run_end - run_start, arg);
	return ret;
}

/* ---- memremap (the kernel's kernel/iomem.c) ---- */

enum ram_overlap { RAM_NONE, RAM_ALL, RAM_SOME };

/*
 * How [offset, offset+size) meets RAM (region_intersects() on System RAM):
 * from memblock's regions, however large the range.
 */
static enum ram_overlap ram_overlap(resource_size_t offset, size_t size)
{
	phys_addr_t ram = memblock_memory_bytes_in(offset, size);

	return ram == size ? RAM_ALL : ram ? RAM_SOME : RAM_NONE;
}

/**
 * memremap - map memory that has no I/O side effects
 * @offset: physical address; @size: bytes
 * @flags: MEMREMAP_WB, MEMREMAP_WT, MEMREMAP_WC: the types to try, in that order
 *
 * RAM with MEMREMAP_WB is its linear-map address (lowmem; highmem pages
 * have none); otherwise a device region is mapped as ioremap_cache(),
 * ioremap_wt() or ioremap_wc() would map it.  Returns NULL for no flags,
 * a range that is part RAM and part not ("memremap attempted on mixed
 * range", once), RAM without MEMREMAP_WB ("memremap attempted on ram",
 * once), or nothing to map.  Context: may sleep.
 */
void *memremap(resource_size_t offset, size_t size, unsigned long flags)
{
	enum ram_overlap ram;
	void *addr = NULL;

	ukmem_ensure_booted();
	if (!flags || !size || offset + size - 1 < offset)
		return NULL;
	ram = ram_overlap(offset, size);
	if (ram == RAM_SOME) {
		WARN_ONCE(1, "memremap attempted on mixed range %pa size: %#lx\n", &offset,
			  (unsigned long)size);
		return NULL;
	}
	if (flags & MEMREMAP_WB) {
		if (ram == RAM_ALL && !PageHighMem(pfn_to_page(PHYS_PFN(offset))))
			addr = __va(offset);
		if (!addr && ram == RAM_NONE)
			addr = (void *)__ioremap_caller(offset, size, __builtin_return_address(0));
	}
	if (!addr && ram == RAM_ALL && flags != MEMREMAP_WB) {
		WARN_ONCE(1, "memremap attempted on ram %pa size: %#lx\n", &offset,
			  (unsigned long)size);
		return NULL;
	}
	if (!addr && (flags & (MEMREMAP_WT | MEMREMAP_WC)))
		addr = (void *)__ioremap_caller(offset, size, __builtin_return_address(0));
	return addr;
}

/** memunmap - undo memremap(); a linear-map address (RAM) needs nothing. */
void memunmap(void *addr)
{
	if (is_vmalloc_addr(addr))
		iounmap((void __iomem *)addr);
}

static void devm_memremap_release(struct device *dev, void *res)
{
	memunmap(*(void **)res);
}

static int devm_memremap_match(struct device *dev, void *res, void *match_data)
{
	return *(void **)res == match_data;
}

/** devm_memremap - managed memremap(): the address, or ERR_PTR(-ENXIO) / ERR_PTR(-ENOMEM). */
void *devm_memremap(struct device *dev, resource_size_t offset, size_t size, unsigned long flags)
{
	void **ptr = devres_alloc(devm_memremap_release, sizeof(*ptr), GFP_KERNEL);
	void *addr;

	if (!ptr)
		return ERR_PTR(-ENOMEM);
	addr = memremap(offset, size, flags);
	if (!addr) {
		devres_free(ptr);
		return ERR_PTR(-ENXIO);
	}
	*ptr = addr;
	devres_add(dev, ptr);
	return addr;
}

/** devm_memunmap - undo devm_memremap() early (warns if @dev does not manage @addr). */
void devm_memunmap(struct device *dev, void *addr)
{
	WARN_ON(devres_release(dev, devm_memremap_release, devm_memremap_match, addr));
}
