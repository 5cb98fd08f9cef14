/* SPDX-License-Identifier: MIT */
/*
 * lib/bitmap.c - the bitmap functions that allocate (the kernel's
 * lib/bitmap.c keeps these out of line too): bitmap_alloc(),
 * bitmap_zalloc(), their _node forms and bitmap_free().  A map is whole
 * unsigned longs from kmalloc_array(), so a size that overflows fails as
 * kmalloc_array() fails, with NULL.  Everything else of linux/bitmap.h is
 * inline in the header.
 */
#include <linux/bitmap.h>
#include <linux/slab.h>

unsigned long *bitmap_alloc(unsigned int nbits, gfp_t flags)
{
	return kmalloc_array(BITS_TO_LONGS(nbits), sizeof(unsigned long), flags);
}

unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags)
{
	return bitmap_alloc(nbits, flags | __GFP_ZERO);
}

unsigned long *bitmap_alloc_node(unsigned int nbits, gfp_t flags, int node)
{
	return kmalloc_array_node(BITS_TO_LONGS(nbits), sizeof(unsigned long), flags, node);
}

unsigned long *bitmap_zalloc_node(unsigned int nbits, gfp_t flags, int node)
{
	return bitmap_alloc_node(nbits, flags | __GFP_ZERO, node);
}

void bitmap_free(const unsigned long *map)
{
	kfree(map);
}
