/* SPDX-License-Identifier: MIT */
/*
 * mm/vmalloc_array.c - the array and resize forms of vmalloc
 * (vmalloc_array, vcalloc and their __ forms; vrealloc), on top of
 * __vmalloc_node() and find_vm_area() in mm/vmalloc.c, as in the kernel's
 * mm/vmalloc.c.
 */
#include <string.h>

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "mm/internal.h"
#include "mm/vmalloc.h"

/* @n elements of @size bytes; NULL if the product overflows. */
static void *vmalloc_elements(size_t n, size_t size, gfp_t gfp, const void *caller)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	/* The kernel's array forms go through __vmalloc(), and its gfp check. */
	if (unlikely(gfp & ~GFP_VMALLOC_SUPPORTED))
		gfp = vmalloc_fix_flags(gfp);
	return __vmalloc_node(bytes, 1, gfp, NUMA_NO_NODE, caller);
}

/**
 * vmalloc_array - vmalloc() of @n elements of @size bytes, overflow-checked
 * vcalloc() zeroes them; __vmalloc_array() and __vcalloc() take a gfp.
 * Context: may sleep.
 */
void *vmalloc_array(size_t n, size_t size)
{
	return vmalloc_elements(n, size, GFP_KERNEL, __builtin_return_address(0));
}

void *vcalloc(size_t n, size_t size)
{
	return vmalloc_elements(n, size, GFP_KERNEL | __GFP_ZERO, __builtin_return_address(0));
}

void *__vmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	return vmalloc_elements(n, size, gfp, __builtin_return_address(0));
}

void *__vcalloc(size_t n, size_t size, gfp_t gfp)
{
	return vmalloc_elements(n, size, gfp | __GFP_ZERO, __builtin_return_address(0));
}

/**
 * vrealloc_node_align - resize a vmalloc() block (v6.12+; @align and @nid v6.17+)
 * @p: the block, or NULL (then it is vmalloc(@size) with @flags)
 * @size: the new size; 0 frees @p and returns NULL
 * @align: of a new block; @p must have it already (else a warning, NULL)
 * @flags: GFP_KERNEL family; __GFP_ZERO zeroes what the block gains
 * @nid: node of a new block (NUMA_NO_NODE: any); __GFP_THISNODE moves @p there
 *
 * Within the pages the area still has, the block shrinks or grows where
 * it is: shrinking zeroes the bytes given up if init_on_free is on or
 * __GFP_ZERO is given, and (v7.0+) frees the pages past the new end, whose
 * addresses then fault (not for a VM_USERMAP area, nor with GFP_NOFS or
 * GFP_NOIO); growing zeroes the bytes gained if init_on_alloc is on or
 * __GFP_ZERO is given.  Beyond them, a new area gets the old bytes and @p
 * is freed.  The contents are kept up to the smaller of the two
 * sizes.  As in the kernel, __GFP_ZERO holds only if every call for the
 * block, from its first allocation on, passed it, and calls for one block
 * must not race each other or vfree().  An @p that does not start a
 * vmalloc() area gets the kernel's "Trying to vrealloc() nonexistent vm
 * area" warning and NULL.  On failure NULL is returned and @p is untouched.
 * Context: may sleep.
 */
void *vrealloc_node_align(const void *p, size_t size, unsigned long align, gfp_t flags, int nid)
{
	struct vm_struct *vm;
	size_t old, span;
	void *n;

	if (!size) {
		vfree(p);
		return NULL;
	}
	if (!p)
		return __vmalloc_node(size, align, flags, nid, __builtin_return_address(0));
	vm = find_vm_area(p);
	/* Only an area's start is a block vrealloc() can resize. */
	if (unlikely(!vm || vm->addr != p || !(vm->flags & VM_ALLOC))) {
		WARN(1, "Trying to vrealloc() nonexistent vm area (%p)\n", p);
		return NULL;
	}
	span = get_vm_area_size(vm);
	old = vm->requested_size;
	if (WARN(old > span, "vrealloc() has mismatched area vs requested sizes (%p)\n", p))
		return NULL;
	/* v6.17: never moved for alignment; for a node only with __GFP_THISNODE. */
	if (WARN(!IS_ALIGNED((unsigned long)p, align),
		 "will not reallocate with a bigger alignment (0x%lx)\n", align))
		return NULL;
	if ((flags & __GFP_THISNODE) && nid != NUMA_NO_NODE && vm->nr_pages &&
	    nid != page_to_nid(vm->pages[0]))
		goto move;
	if (size <= ((size_t)vm->nr_pages << PAGE_SHIFT)) {
		unsigned int keep = (unsigned int)(PAGE_ALIGN(size) >> PAGE_SHIFT);

		/*
		 * In place: the area's pages already cover @size.  The bytes
		 * given up are wiped before the tools close them, the bytes
		 * gained after the tools open them.
		 */
		if (size < old && ((flags & __GFP_ZERO) || init_on_free))
			memset((char *)p + size, 0, old - size);
		if (unlikely(slab_tools_active))
			tool_resize_block(p, old, size, span);
		if (size > old && ((flags & __GFP_ZERO) || init_on_alloc))
			memset((char *)p + old, 0, size - old);
		/*
		 * v7.0+: a shrink across a page boundary frees the pages past
		 * the new end (not for an area a user mapping may cover, nor
		 * under GFP_NOFS/GFP_NOIO, as in the kernel).
		 */
		if (keep < vm->nr_pages && !(vm->flags & (VM_FLUSH_RESET_PERMS | VM_USERMAP)) &&
		    gfp_has_io_fs(flags))
			vmalloc_free_tail(vm, keep);
		vm->requested_size = size;
		return (void *)p;
	}
move:
	n = __vmalloc_node(size, align, flags, nid, __builtin_return_address(0));
	if (!n)
		return NULL;
	memcpy(n, p, min(old, size));
	vfree(p);
	return n;
}

void *vrealloc(const void *p, size_t size, gfp_t flags)
{
	return vrealloc_node_align(p, size, 1, flags, NUMA_NO_NODE);
}
