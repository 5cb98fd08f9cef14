/* SPDX-License-Identifier: MIT */
/*
 * linux/vmalloc.h - virtually contiguous memory (include/linux/vmalloc.h).
 *
 * vmalloc() hands out order-0 pages from the buddy allocator, which need
 * not be physically contiguous, and maps them one after the other in the
 * vmalloc range (VMALLOC_START..VMALLOC_END), followed by a guard page
 * that faults.  vmap() and vm_map_ram() do the same for the caller's
 * pages.  All may sleep; vfree() may be called from any context that can
 * call kfree() (from a signal handler it defers the work, as the kernel's
 * vfree defers from interrupts).  docs/vmalloc.md says how the second
 * mapping is made and what it costs.
 */
#ifndef _LINUX_VMALLOC_H
#define _LINUX_VMALLOC_H

#include <ukmem/kernel_types.h>
#include <linux/cleanup.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <ukmem/boot.h>

UKMEM_C_BEGIN

/* vm_struct->flags (include/linux/vmalloc.h, 6.x values). */
#define VM_IOREMAP		0x00000001	/* ioremap() and friends */
#define VM_ALLOC		0x00000002	/* vmalloc() */
#define VM_MAP			0x00000004	/* vmap()ed pages */
#define VM_USERMAP		0x00000008	/* suitable for remap_vmalloc_range */
#define VM_DMA_COHERENT		0x00000010	/* dma_alloc_coherent */
#define VM_UNINITIALIZED	0x00000020	/* vm_struct is not fully initialized */
#define VM_NO_GUARD		0x00000040	/* no guard page */
#define VM_KASAN		0x00000080
#define VM_FLUSH_RESET_PERMS	0x00000100
#define VM_MAP_PUT_PAGES	0x00000200	/* vunmap() puts the pages */
#define VM_ALLOW_HUGE_VMAP	0x00000400
/* The largest alignment an ioremap area gets (x86-64's PUD_SHIFT: 1 GiB). */
#define IOREMAP_MAX_ORDER	30
#define VM_SPARSE		0x00001000

/* ukmem: page protections are not per area; PAGE_KERNEL is the only one. */
typedef struct { unsigned long pgprot; } pgprot_t;
#define PAGE_KERNEL		((pgprot_t){ 0x163 })
#define PAGE_KERNEL_EXEC	PAGE_KERNEL

struct vm_struct {
	struct vm_struct *next;
	void *addr;			/* start of the area */
	unsigned long size;		/* bytes, guard page included */
	unsigned long flags;		/* VM_* */
	struct page **pages;		/* vmalloc/vmap: the pages, in order */
	unsigned int nr_pages;
	phys_addr_t phys_addr;		/* ioremap: the device address */
	const void *caller;		/* return address of the API call */
	unsigned long requested_size;	/* vmalloc: bytes asked for (vrealloc) */
	unsigned long *ukmem_pfns;	/* vmap_pfn: the frames, in order (ukmem's
					   stand-in for the kernel's page table) */
};

UKMEM_API_BEGIN
extern unsigned long ukmem_vmalloc_start, ukmem_vmalloc_end;
UKMEM_API_END

/*
 * The boot sets the range: reading it first boots the machine, so that a
 * program's first call may be __vmalloc_node_range(.., VMALLOC_START,
 * VMALLOC_END, ..), whose arguments are read before the callee runs.
 */
static __always_inline unsigned long ukmem_vmalloc_bound(const unsigned long *bound)
{
	if (__builtin_expect(!__atomic_load_n(bound, __ATOMIC_ACQUIRE), 0))
		ukmem_boot_slow();
	return __atomic_load_n(bound, __ATOMIC_ACQUIRE);
}
#define VMALLOC_START		ukmem_vmalloc_bound(&ukmem_vmalloc_start)
#define VMALLOC_END		ukmem_vmalloc_bound(&ukmem_vmalloc_end)
#define VMALLOC_TOTAL		(VMALLOC_END - VMALLOC_START)
/* No modules in user space: the module range is the vmalloc range. */
#define MODULES_VADDR		VMALLOC_START
#define MODULES_END		VMALLOC_END

/* vm_struct size without its guard page (get_vm_area_size()). */
static inline size_t get_vm_area_size(const struct vm_struct *area)
{
	if (!(area->flags & VM_NO_GUARD))
		return area->size - PAGE_SIZE;
	return area->size;
}

/**
 * is_vmalloc_addr - is @x inside the vmalloc range?
 * @x: any address.
 *
 * True for vmalloc, vmap and ioremap addresses alike, as in the kernel.
 * Context: any; two compares.
 */
static inline bool is_vmalloc_addr(const void *x)
{
	unsigned long addr = (unsigned long)x;

	/* Nothing is vmalloc'ed before the boot: the empty range says no. */
	return addr >= data_race(ukmem_vmalloc_start) && addr < data_race(ukmem_vmalloc_end);
}

static inline bool is_vmalloc_or_module_addr(const void *x)
{
	return is_vmalloc_addr(x);
}

UKMEM_API_BEGIN
void *vmalloc(unsigned long size) __alloc_size(1);
void *vzalloc(unsigned long size) __alloc_size(1);
void *vmalloc_user(unsigned long size) __alloc_size(1);
void *vmalloc_node(unsigned long size, int node) __alloc_size(1);
void *vzalloc_node(unsigned long size, int node) __alloc_size(1);
void *vmalloc_32(unsigned long size) __alloc_size(1);
void *vmalloc_32_user(unsigned long size) __alloc_size(1);
void *vmalloc_huge(unsigned long size, gfp_t gfp_mask) __alloc_size(1);
void *vmalloc_huge_node(unsigned long size, gfp_t gfp_mask, int node) __alloc_size(1);
void *__vmalloc(unsigned long size, gfp_t gfp_mask) __alloc_size(1);
void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp_mask,
		     int node, const void *caller) __alloc_size(1);
void *__vmalloc_node_range(unsigned long size, unsigned long align,
			   unsigned long start, unsigned long end, gfp_t gfp_mask,
			   pgprot_t prot, unsigned long vm_flags, int node,
			   const void *caller) __alloc_size(1);
void *vmalloc_array(size_t n, size_t size) __alloc_size(1, 2);
void *vcalloc(size_t n, size_t size) __alloc_size(1, 2);
void *__vmalloc_array(size_t n, size_t size, gfp_t gfp) __alloc_size(1, 2);
void *__vcalloc(size_t n, size_t size, gfp_t gfp) __alloc_size(1, 2);
/*
 * Called when the vmalloc range is full even after a purge; a callback
 * adds the bytes or areas it freed to *(unsigned long *)data (non-zero:
 * the allocation is tried again).
 */
struct notifier_block;
int register_vmap_purge_notifier(struct notifier_block *nb);
int unregister_vmap_purge_notifier(struct notifier_block *nb);
void *vrealloc(const void *p, size_t size, gfp_t flags) __alloc_size(2);
void *vrealloc_node_align(const void *p, size_t size, unsigned long align, gfp_t flags,
			  int nid) __alloc_size(2);
#define vrealloc_node(p, size, flags, nid)	vrealloc_node_align(p, size, 1, flags, nid)
#define vrealloc_node_noprof			vrealloc_node
/* The vmalloc area @object lies in, continuing the caller's line; false if none. */
bool vmalloc_dump_obj(void *object);

void vfree(const void *addr);
void vfree_atomic(const void *addr);

void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot);
void vunmap(const void *addr);
void *vm_map_ram(struct page **pages, unsigned int count, int node);
void vm_unmap_ram(const void *mem, unsigned int count);
void vm_unmap_aliases(void);

/**
 * vmap_pfn - map page frames that have no struct page (device memory)
 * @pfns: the frames, in order; each in a region registered with
 *	ukmem_register_device_region() (include/ukmem/iomem.h)
 * @count: how many
 * @prot: ignored (read-write, as PAGE_KERNEL)
 *
 * A VM_IOREMAP area with the frames one after the other, as the kernel's
 * vmap_pfn() builds it for a GPU or a PCI BAR.  A frame of RAM (one that
 * has a struct page: pfn_valid()) is refused with the kernel's warning;
 * a frame no device region holds is refused too (the kernel would map
 * whatever the bus answers).  Release with vunmap().  Returns the address
 * or NULL.  Context: may sleep.
 */
void *vmap_pfn(unsigned long *pfns, unsigned int count, pgprot_t prot);
/**
 * vm_area_map_pages - map pages into part of a VM_SPARSE area (v6.9+)
 * @area: from get_vm_area(size, VM_SPARSE); nothing is mapped there at first
 * @start: page-aligned address inside the area
 * @end: page-aligned end, at most the area's end (its guard page excluded)
 * @pages: (@end - @start) / PAGE_SIZE pages, which stay the caller's
 *
 * Returns 0; -EINVAL (with a warning) if @area is not VM_SPARSE or has
 * VM_NO_GUARD or VM_FLUSH_RESET_PERMS (or, here, if @start or @end is not
 * page aligned or the range is empty); -E2BIG for more pages than RAM has;
 * -ERANGE outside the area; -EBUSY (with a warning) where a page is mapped
 * already; -ENOMEM.  Context: may sleep.
 */
int vm_area_map_pages(struct vm_struct *area, unsigned long start, unsigned long end,
		      struct page **pages);
/**
 * vm_area_unmap_pages - unmap part of a VM_SPARSE area (v6.9+)
 * @area: the area; @start, @end: as for vm_area_map_pages()
 *
 * The range faults again; the pages are not freed.  An invalid request is
 * ignored (after the same warnings).  Context: may sleep.
 */
void vm_area_unmap_pages(struct vm_struct *area, unsigned long start, unsigned long end);

struct page *vmalloc_to_page(const void *addr);
unsigned long vmalloc_to_pfn(const void *addr);
unsigned long vmalloc_nr_pages(void);

struct vm_struct *get_vm_area(unsigned long size, unsigned long flags);
struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     const void *caller);
struct vm_struct *__get_vm_area_caller(unsigned long size, unsigned long flags,
				       unsigned long start, unsigned long end,
				       const void *caller);
struct vm_struct *find_vm_area(const void *addr);
struct vm_struct *remove_vm_area(const void *addr);
void free_vm_area(struct vm_struct *area);
UKMEM_API_END

/* The area's permissions are reset when it is freed (nothing to reset here). */
static inline void set_vm_flush_reset_perms(void *addr)
{
	struct vm_struct *vm = find_vm_area(addr);

	if (vm)
		vm->flags |= VM_FLUSH_RESET_PERMS;
}
/* ukmem maps 4 KiB pages only (vmalloc_huge() included). */
static inline bool is_vm_area_hugepages(const void *addr)
{
	(void)addr;
	return false;
}

/* v6.10+ allocation-profiling names (linux/alloc_tag.h): the calls themselves. */
#define vmalloc_noprof			vmalloc
#define vzalloc_noprof			vzalloc
#define vmalloc_user_noprof		vmalloc_user
#define vmalloc_node_noprof		vmalloc_node
#define vzalloc_node_noprof		vzalloc_node
#define vmalloc_32_noprof		vmalloc_32
#define vmalloc_huge_noprof		vmalloc_huge
#define __vmalloc_noprof		__vmalloc
#define __vmalloc_node_noprof		__vmalloc_node
#define __vmalloc_node_range_noprof	__vmalloc_node_range
#define vmalloc_array_noprof		vmalloc_array
#define vcalloc_noprof			vcalloc
#define vrealloc_noprof			vrealloc
#define vrealloc_node_align_noprof	vrealloc_node_align
#define vmalloc_32_user_noprof		vmalloc_32_user
#define vmalloc_huge_node_noprof	vmalloc_huge_node
#define __vmalloc_array_noprof		__vmalloc_array
#define __vcalloc_noprof		__vcalloc

/* __free(vfree) (linux/cleanup.h). */
DEFINE_FREE(vfree, void *, if (!IS_ERR_OR_NULL(_T)) vfree(_T))

UKMEM_C_END

#endif /* _LINUX_VMALLOC_H */
