// SPDX-License-Identifier: MIT
/*
 * mm/vmap_sparse.c - sparse areas: pages mapped into and out of parts of
 * a reserved vmalloc range (the kernel's vm_area_map_pages() and
 * vm_area_unmap_pages() in mm/vmalloc.c, v6.9+, written for BPF arenas).
 *
 * get_vm_area(size, VM_SPARSE) reserves the range; nothing is mapped, so
 * every page faults.  vm_area_map_pages() maps the caller's pages over a
 * part of it as vmap() maps its pages (mm/vmalloc.c's opening comment,
 * point 4: the pages keep their bytes and their linear addresses, and
 * both show the same bytes), and vm_area_unmap_pages() makes the part
 * fault again.  The area's vmap_area keeps, in map_pages, which page is
 * mapped where (NULL: nothing), one slot per page of the area: the
 * kernel reads that from its page table; here vmalloc_to_page() and the
 * fork child (mm/vmalloc_map.c) read it.  free_vm_area() takes whatever
 * is still mapped down; the pages stay the caller's throughout.
 *
 * The table is private anonymous memory from the host, not kmalloc's:
 * one pointer a page of the area is 8 MiB for a BPF arena (4 GiB), twice
 * the largest kmalloc block, and the host backs only the parts of it that
 * are used, as the kernel allocates page tables only where something is
 * mapped.  Not vmalloc either: a fork child reads the table while it
 * remaps its vmalloc range, parts of which still show the parent's memory
 * then; private memory is the child's own copy from the start.
 *
 * Locking: the map_pages array is created, filled and cleared under
 * vmap_area_lock (a leaf); the host calls happen outside it.  Calls for
 * the same part of an area must not race each other, as in the kernel.
 */
#include <errno.h>
#include <string.h>

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "arch/host.h"
#include "mm/internal.h"
#include "mm/vmalloc.h"

/* The kernel's check_sparse_vm_area(), with an alignment check of ours. */
static int check_sparse_vm_area(struct vm_struct *area, unsigned long start, unsigned long end)
{
	might_sleep();
	if (WARN_ON_ONCE(area->flags & VM_FLUSH_RESET_PERMS))
		return -EINVAL;
	if (WARN_ON_ONCE(area->flags & VM_NO_GUARD))
		return -EINVAL;
	if (WARN_ON_ONCE(!(area->flags & VM_SPARSE)))
		return -EINVAL;
	/* The kernel's page-table walk would go wrong on these; refuse them. */
	if (WARN_ON_ONCE(!PAGE_ALIGNED(start) || !PAGE_ALIGNED(end) || end <= start))
		return -EINVAL;
	if ((end - start) >> PAGE_SHIFT > totalram_pages())
		return -E2BIG;
	if (start < (unsigned long)area->addr ||
	    end > (unsigned long)area->addr + get_vm_area_size(area))
		return -ERANGE;
	return 0;
}

/* Bytes of @area's table: a page pointer a page of the area. */
static size_t sparse_table_size(const struct vm_struct *area)
{
	return PAGE_ALIGN((get_vm_area_size(area) >> PAGE_SHIFT) * sizeof(struct page *));
}

void vmap_sparse_free_table(const struct vm_struct *area, struct page **table)
{
	if (table)
		arch_unmap(table, sparse_table_size(area));
}

/* The area's vmap_area, busy; vmap_area_lock held.  NULL if it is gone. */
static struct vmap_area *sparse_va_locked(struct vm_struct *area)
{
	struct vmap_area *va = vmap_find_exact_locked((unsigned long)area->addr);

	return va && va->vm == area ? va : NULL;
}

int vm_area_map_pages(struct vm_struct *area, unsigned long start, unsigned long end,
		      struct page **pages)
{
	unsigned int first, n, i;
	struct page **table = NULL;
	struct vmap_area *va;
	int err;

	err = check_sparse_vm_area(area, start, end);
	if (err)
		return err;
	first = (unsigned int)((start - (unsigned long)area->addr) >> PAGE_SHIFT);
	n = (unsigned int)((end - start) >> PAGE_SHIFT);

	/* The table of what is mapped where, made by the first call. */
	spin_lock(&vmap_area_lock);
	va = sparse_va_locked(area);
	if (va && !va->map_pages) {
		spin_unlock(&vmap_area_lock);
		table = arch_map_anon(sparse_table_size(area));	/* zeroed: all holes */
		if (!table)
			return -ENOMEM;
		spin_lock(&vmap_area_lock);
		va = sparse_va_locked(area);
		if (va && !va->map_pages) {
			va->map_pages = table;
			table = NULL;
		}
	}
	if (WARN_ON_ONCE(!va)) {
		spin_unlock(&vmap_area_lock);
		vmap_sparse_free_table(area, table);
		return -EINVAL;
	}
	/* The kernel's vmap_pte_range() refuses to map over a present page. */
	for (i = 0; i < n; i++)
		if (va->map_pages[first + i])
			break;
	spin_unlock(&vmap_area_lock);
	/* Another call made it first (unmapped outside the lock: a leaf). */
	vmap_sparse_free_table(area, table);
	if (WARN_ON_ONCE(i < n))
		return -EBUSY;

	err = vmap_share_pages(pages, n);
	if (!err)
		err = vmap_overlay_pages(start, pages, n);
	if (err) {
		vmap_overlay_unmap(start, end - start);
		return err;
	}
	spin_lock(&vmap_area_lock);
	memcpy(va->map_pages + first, pages, n * sizeof(*pages));
	spin_unlock(&vmap_area_lock);
	return 0;
}

void vm_area_unmap_pages(struct vm_struct *area, unsigned long start, unsigned long end)
{
	unsigned int first, n;
	struct vmap_area *va;

	if (check_sparse_vm_area(area, start, end))
		return;
	first = (unsigned int)((start - (unsigned long)area->addr) >> PAGE_SHIFT);
	n = (unsigned int)((end - start) >> PAGE_SHIFT);
	spin_lock(&vmap_area_lock);
	va = sparse_va_locked(area);
	if (va && va->map_pages)
		memset(va->map_pages + first, 0, n * sizeof(*va->map_pages));
	spin_unlock(&vmap_area_lock);
	/* What the area never mapped is made to fault again all the same. */
	vmap_overlay_unmap(start, end - start);
}
