/* SPDX-License-Identifier: MIT */
/*
 * mm/vmalloc.h - what mm/vmalloc.c, mm/vmap_area.c, mm/ioremap.c and
 * mm/highmem.c share.
 *
 * Lock order: vmap_area_lock is a leaf for the trees; no host call and no
 * allocation happens under it (nodes are preallocated before it is taken).
 */
#ifndef _MM_VMALLOC_H
#define _MM_VMALLOC_H

#include <linux/vmalloc.h>
#include <linux/spinlock.h>

/*
 * One range of the vmalloc address space, busy or free (mm/vmalloc.c's
 * struct vmap_area).  Both trees are AVL trees ordered by va_start; the
 * free tree keeps, in each node, the largest free block below it
 * (subtree_max_size, the kernel's augmented rb-tree field), so the lowest
 * block that fits is found in O(log n).
 */
struct vmap_area {
	unsigned long va_start, va_end;
	struct vmap_area *left, *right;
	unsigned long subtree_max_size;	/* free tree: largest block in this subtree */
	int height;
	struct vm_struct *vm;		/* busy tree: the area's vm_struct */
	struct page **map_pages;	/* vmap: our copy of the caller's page array */
};

static inline unsigned long va_size(const struct vmap_area *va)
{
	return va->va_end - va->va_start;
}

extern spinlock_t vmap_area_lock;

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
/* The busy area with the lowest va_start >= addr, or NULL. */
struct vmap_area *vmap_next_busy_locked(unsigned long addr);
unsigned long vmap_largest_free_locked(void);

/* ---- mm/vmalloc.c ---- */
struct vm_struct *__get_vm_area_node(unsigned long size, unsigned long align,
				     unsigned long flags, unsigned long start,
				     unsigned long end, int node, gfp_t gfp,
				     const void *caller);
/* Shared mappings need the fork hooks: install them (process context). */
void vmalloc_install_atfork(void);
/* Page reporting gave [pfn, pfn+nr) back to the host: drop the file's copy. */
bool vmalloc_linear_decommit(unsigned long pfn, unsigned long nr);
/* Registered at boot from init/main.c, after kmem_cache_init(). */
void vmalloc_init(void);

/* ---- mm/highmem.c ---- */
/* Carve the pkmap and kmap_local windows from the top of the vmalloc range. */
unsigned long kmap_init(unsigned long vmalloc_end);
/* fork child: map every live kmap again (the physical memory file changed). */
void kmap_fork_remap(void);

#endif /* _MM_VMALLOC_H */
