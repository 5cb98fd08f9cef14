/* SPDX-License-Identifier: MIT */
/*
 * linux/mm_types.h - struct page, one per page frame, 64 bytes as in the
 * kernel (include/linux/mm_types.h).
 *
 * The words after flags are a union whose meaning depends on who owns the
 * page: the buddy allocator (lru + private = order), a compound page's tail
 * (compound_head with bit 0 set), or the slab allocator, which overlays its
 * own struct slab (mm/slab.h) on the same 64 bytes.
 */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

#include <ukmem/kernel_types.h>
#include <linux/list.h>

struct page {
	unsigned long flags;		/* PG_* bits; node and zone on top */
	union {
		struct {		/* buddy lists, pcp lists, page owners */
			struct list_head lru;
			void *mapping;
			unsigned long index;
			unsigned long private;	/* buddy: order of the free block */
		};
		struct {		/* tail pages of a compound page */
			unsigned long compound_head;	/* head | 1 */
			unsigned char compound_order;	/* first tail page only */
			unsigned char __pad_tail[7];
			unsigned long __tail_unused[3];
		};
		unsigned long __words[5];
	};
	atomic_t _mapcount;		/* -1 when unmapped */
	atomic_t _refcount;		/* 0 when free */
	void *virtual;			/* kmap address of a highmem page */
};

_Static_assert(sizeof(struct page) == 64, "struct page must be 64 bytes");

#endif /* _LINUX_MM_TYPES_H */
