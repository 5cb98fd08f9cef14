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

/*
 * struct folio - a page that is not a tail page: an order-0 page or the head
 * of a compound page, seen as one unit (the kernel's folios, v5.16+).  It
 * overlays the head's struct page, with the kernel's names for the fields a
 * folio user reads (private is a pointer here, as in the kernel's folio).
 * The kernel's folio also spans the first tail pages' words; here those stay
 * in the struct pages (folio_order() reads them), so sizeof(struct folio)
 * is one struct page.  page_folio() and folio_page() (linux/mm.h) convert.
 */
struct folio {
	union {
		struct {
			unsigned long flags;
			struct list_head lru;
			void *mapping;
			unsigned long index;
			void *private;
			atomic_t _mapcount;
			atomic_t _refcount;
		};
		struct page page;
	};
};

#define FOLIO_MATCHES_PAGE(field_folio, field_page)				\
	_Static_assert(__builtin_offsetof(struct folio, field_folio) ==		\
		       __builtin_offsetof(struct page, field_page),		\
		       "struct folio's " #field_folio " must overlay the page's")
FOLIO_MATCHES_PAGE(flags, flags);
FOLIO_MATCHES_PAGE(lru, lru);
FOLIO_MATCHES_PAGE(mapping, mapping);
FOLIO_MATCHES_PAGE(index, index);
FOLIO_MATCHES_PAGE(private, private);
FOLIO_MATCHES_PAGE(_mapcount, _mapcount);
FOLIO_MATCHES_PAGE(_refcount, _refcount);
#undef FOLIO_MATCHES_PAGE

#endif /* _LINUX_MM_TYPES_H */
