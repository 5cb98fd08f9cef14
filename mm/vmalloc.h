/* SPDX-License-Identifier: MIT */
/*
 * mm/vmalloc.h - what the vmalloc files (mm/vmalloc.c, mm/vmap_area.c,
 * mm/vmalloc_map.c, mm/vmap_alias.c, mm/vmalloc_fork.c, mm/vmap_sparse.c),
 * mm/ioremap.c and mm/highmem.c share.  mm/vmalloc.c's opening comment is
 * the design and the lock order.
 */
#ifndef _MM_VMALLOC_H
#define _MM_VMALLOC_H

#include <stdio.h>

#include <linux/list.h>
#include <linux/vmalloc.h>
#include <linux/spinlock.h>
#include "arch/mapping.h"

/*
 * One range of the vmalloc address space, busy, free or lazily freed
 * (mm/vmalloc.c's struct vmap_area).  Both trees are AVL trees ordered by
 * va_start; the free tree keeps, in each node, the largest free block below
 * it (subtree_max_size, the kernel's augmented rb-tree field), so the
 * lowest block that fits is found in O(log n).
 */
struct vmap_area {
	unsigned long va_start, va_end;
	struct vmap_area *left, *right;
	unsigned long subtree_max_size;	/* free tree: largest block in this subtree */
	int height;
	unsigned int flags;		/* VMAP_* */
	struct vm_struct *vm;		/* busy tree: the area's vm_struct (NULL for vm_map_ram) */
	struct page **map_pages;	/* vmap, vm_map_ram: our copy of the caller's page array */
	struct list_head lazy;		/* lazily freed: its bucket of the lazy list */
	struct vmap_area *purge_next;	/* a purge's own list */
};

/* vmap_area->flags */
#define VMAP_RAM	0x1	/* a vm_map_ram() area (the kernel's flag) */
#define VMAP_DEVICE	0x2	/* ioremap: a device file is mapped over the area */
#define VMAP_STUCK	0x4	/* freed, but its old mapping could not be taken down yet */
#define VMAP_WARM	0x8	/* a vmalloc() area's data range is open; freed: reusable as it is */
#define VMAP_NOGUARD	0x10	/* freed vmalloc() range whose last page was data (VM_NO_GUARD) */
#define VMAP_OVERLAY	0x20	/* vmap, vm_map_ram: map_pages are mapped over it (freed: still) */

/*
 * An area's flags as readers under vmap_area_lock see them: a vmalloc()
 * finishing its area clears VM_UNINITIALIZED without that lock (a release),
 * so they are read with acquire, and what the area holds is then complete.
 */
static inline unsigned long vm_flags_read(const struct vm_struct *vm)
{
	return __atomic_load_n(&vm->flags, __ATOMIC_ACQUIRE);
}

/* Is @vm still being set up by its vmalloc() (readers must pass it by)? */
static inline bool vm_uninitialized(const struct vm_struct *vm)
{
	return vm_flags_read(vm) & VM_UNINITIALIZED;
}

static inline unsigned long va_size(const struct vmap_area *va)
{
	return va->va_end - va->va_start;
}

/* The area's pages in address order (vmalloc, vmap, vm_map_ram); NULL if none. */
static inline struct page **area_pages(const struct vmap_area *va, unsigned int *nr)
{
	if (va->map_pages) {
		/*
		 * Without its vm_struct (an old vmap overlay, lazy or just taken
		 * back) the range still holds vmap's guard page, which has no
		 * entry in the array; a vm_map_ram range has none.
		 */
		unsigned long size = va->vm ? get_vm_area_size(va->vm) :
				     va_size(va) - ((va->flags & VMAP_RAM) ? 0 : PAGE_SIZE);

		*nr = (unsigned int)(size >> PAGE_SHIFT);
		return va->map_pages;
	}
	*nr = va->vm ? va->vm->nr_pages : 0;
	return va->vm ? va->vm->pages : NULL;
}

/*
 * Where a page's bytes live: a vmalloc()'d page in the vmalloc file at the
 * offset of its vmalloc address, any other page in the physical memory
 * file at its physical address (for a lowmem page that is where they are
 * once its linear address is file-backed).
 */
static inline enum arch_file page_backing(const struct page *page, u64 *off)
{
	if (PageVmalloc(page)) {
		*off = (u64)page->index << PAGE_SHIFT;
		return ARCH_VMALLOC_FILE;
	}
	*off = page_to_phys(page);
	return ARCH_PHYS_FILE;
}

/*
 * Locks, outermost first (mm/vmalloc.c explains each):
 * vmap_purge_lock > vmap_seg_lock > vmap_alias_lock > vmap_area_lock, and
 * kmap_lock (mm/highmem.c) inside vmap_alias_lock.  The first three are
 * held across host calls and never while allocating; vmap_area_lock is a
 * leaf that covers no host call and no allocation.
 */
extern spinlock_t vmap_area_lock;
extern spinlock_t vmap_purge_lock;
extern spinlock_t vmap_seg_lock;
extern spinlock_t vmap_alias_lock;
extern spinlock_t kmap_lock;

/* ---- mm/vmap_area.c: the trees; all with vmap_area_lock held ---- */
void vmap_trees_init(struct vmap_area *whole);
/*
 * Carve [addr, addr+size) from the lowest free block that fits in
 * [vstart, vend) with @align; @spare holds two preallocated nodes (used
 * ones are set to NULL).  Returns the busy node, inserted, or NULL.
 */
struct vmap_area *vmap_carve_locked(unsigned long size, unsigned long align,
				    unsigned long vstart, unsigned long vend,
				    struct vmap_area **spare);
/* Give @va back to the free tree, merging neighbours; merged nodes go to @dead. */
void vmap_release_locked(struct vmap_area *va, struct vmap_area **dead, int *nr_dead);
struct vmap_area *vmap_find_exact_locked(unsigned long addr);
struct vmap_area *vmap_find_containing_locked(unsigned long addr);
void vmap_unlink_busy_locked(struct vmap_area *va);
/* Make a range taken from the lazy list busy again. */
void vmap_insert_busy_locked(struct vmap_area *va);
/* The busy area with the lowest va_start >= addr, or NULL. */
struct vmap_area *vmap_next_busy_locked(unsigned long addr);
unsigned long vmap_largest_free_locked(void);

/* ---- mm/vmalloc_map.c: the host mappings of the vmalloc range ---- */
int vmap_map_init(unsigned long start, unsigned long end);
/* Map the segments of the vmalloc file under [start, end) that are not mapped yet. */
int vmap_segments_map(unsigned long start, unsigned long end);
/* A vmalloc() area's pages become usable at [addr, addr+len): 0 or -errno. */
int vmap_open(unsigned long addr, unsigned long len);
/* ...and [addr, addr+len) of a live one given up: dropped, faulting. */
void vmap_close(unsigned long addr, unsigned long len);
/* Map @pages (their backing, run by run) at @addr; undone on failure. */
int vmap_overlay_pages(unsigned long addr, struct page **pages, unsigned int n);
/* ioremap: map @fd at the area that starts at @addr (marked VMAP_DEVICE). */
int vmap_overlay_fd(void *addr, size_t len, int fd, u64 offset);
/* The vmalloc file again under [addr, addr+len) (after an overlay). */
int vmap_overlay_restore(unsigned long addr, unsigned long len);
/* ...and faulting, as a range with nothing mapped (inside a live area). */
int vmap_overlay_unmap(unsigned long addr, unsigned long len);
/*
 * An unlinked area is done with: its range is purged (file pages dropped,
 * guarded, given back to the free tree) with the next batch, or at once
 * with @now.  Context: process context; may purge.
 */
void vmap_lazy_free(struct vmap_area *va, bool now);
/*
 * A lazily freed range that fits exactly and is in the state @want (flags
 * among VMAP_WARM, VMAP_NOGUARD, VMAP_OVERLAY, VMAP_RAM) and @match (if
 * given), busy again: vmalloc, vmap and vm_map_ram reuse it as it is.
 */
struct vmap_area *vmap_lazy_take(unsigned long size, unsigned long align,
				 unsigned long vstart, unsigned long vend, unsigned int want,
				 bool (*match)(const struct vmap_area *va, void *arg), void *arg);
/* mm/vmalloc.c: free a vmap_area node. */
void vmap_node_free(struct vmap_area *va);
/* Purge every lazily freed area now (purge_vmap_area_lazy). */
void vmap_purge(void);
/* vmallocinfo: print the lazily freed areas ("unpurged vm_area"). */
void vmap_show_lazy(FILE *m);
/* mm/vmalloc_info.c: /proc/vmallocinfo, registered by the boot (and the address lookups). */
void show_vmallocinfo(FILE *m);
/* fork: with vmap_purge_lock held; the child maps the range from its files again. */
void vmap_purge_locked(void);
void vmap_map_fork_child(void);

/* ---- mm/vmap_alias.c: the pages' linear addresses ---- */
int vmap_alias_init(void);
/* vmalloc_to_page() and friends: alias the vmalloc pages' linear addresses now. */
void vmap_alias_pages(struct page **pages, unsigned int n);
/* vmap(): give plain lowmem pages a file-backed linear address (their bytes kept). */
int vmap_share_pages(struct page **pages, unsigned int n);
/*
 * vfree(): take the linear aliases down; a page whose alias cannot be
 * taken down now is kept back (quarantined, retried at each purge) and its
 * slot set to NULL.
 */
void vmap_unalias_pages(struct page **pages, unsigned int n);
/* remove_vm_area() of a vmalloc() area: its bytes move to the pages themselves. */
void vmap_materialize_pages(unsigned long addr, struct page **pages, unsigned int n);
/* Free the quarantined pages whose alias can be taken down now. */
void vmap_alias_retry(void);
/* Map @page's bytes at @addr (kmap); 0 or -errno. */
int vmap_map_backing(void *addr, struct page *page);
/* fork child: map every file-backed linear address again. */
void vmap_alias_fork_child(void);
/* fork child: a shared mapping that cannot be made private ends the child. */
void vmap_fork_remap(void *addr, size_t len, enum arch_file f, u64 off, unsigned int flags);

/* lowmem page of a vmalloc() area: its linear address must show its bytes. */
static inline void vmalloc_page_linear(struct page *page)
{
	if (unlikely(PageVmalloc(page)) && !PageVmallocAlias(page) && !PageHighMem(page))
		vmap_alias_pages(&page, 1);
}

/* ---- mm/vmalloc.c ---- */
struct vm_struct *__get_vm_area_node(unsigned long size, unsigned long align,
				     unsigned long flags, unsigned long start,
				     unsigned long end, int node, gfp_t gfp,
				     const void *caller);
/* Registered at boot from init/main.c, after kmem_cache_init(). */
void vmalloc_init(void);

/* ---- mm/vmalloc_fork.c ---- */
void vmalloc_fork_init(void);
/* A vmalloc area handed out: while a fork copies, its bytes are copied again (vmalloc_fork.c). */
void vmalloc_fork_note_area(const struct vmap_area *va);
/* Tests: the next @n copies for a child fail as if memory ran out. */
extern int vmalloc_fork_fail_copies;

/* ---- mm/vmap_sparse.c ---- */
/* release_area(): a VM_SPARSE area's table of what is mapped where (NULL: none). */
void vmap_sparse_free_table(const struct vm_struct *area, struct page **table);

/* ---- mm/ioremap.c ---- */
/* release_area(): a vmap_pfn() area's frames let go of their device regions. */
void iomem_release_pfns(struct vm_struct *vm);

/* ---- mm/highmem.c ---- */
/* Carve the pkmap and kmap_local windows from the top of the vmalloc range. */
unsigned long kmap_init(unsigned long vmalloc_end);
/* fork child: map every live kmap again (the memory files changed). */
void kmap_fork_remap(void);
/* @page's bytes moved between the memory files: its pkmap entry follows. */
void kmap_page_moved(struct page *page);

/* ---- mm/vmalloc.c, for mm/vmalloc_array.c ---- */
/*
 * The flags vmalloc's callers pass (v6.19's GFP_VMALLOC_SUPPORTED, with
 * __GFP_RETRY_MAYFAIL added by its stable fix).  Zone modifiers,
 * __GFP_COMP, __GFP_HIGHMEM and the rest are outside it.
 */
#define GFP_VMALLOC_SUPPORTED	(GFP_KERNEL | GFP_ATOMIC | GFP_NOWAIT | __GFP_NOFAIL |	\
				 __GFP_ZERO | __GFP_NORETRY | __GFP_RETRY_MAYFAIL |	\
				 GFP_NOFS | GFP_NOIO | GFP_KERNEL_ACCOUNT | GFP_USER |	\
				 __GFP_NOLOCKDEP | __GFP_SKIP_KASAN)
/* @flags less the bits vmalloc does not support, with the v6.19 one-time warning. */
gfp_t vmalloc_fix_flags(gfp_t flags);
/* vrealloc(): @vm keeps its first @keep pages, frees the rest (mm/vmalloc.c). */
void vmalloc_free_tail(struct vm_struct *vm, unsigned int keep);

#endif /* _MM_VMALLOC_H */
