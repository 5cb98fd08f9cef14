/* SPDX-License-Identifier: MIT */
/*
 * linux/poison.h - the byte and pointer values written into memory that is
 * not in use, so that a stray access shows what it touched (the kernel's
 * include/linux/poison.h: the values are the kernel's, one definition each).
 */
#ifndef _LINUX_POISON_H
#define _LINUX_POISON_H

/* list_del() leaves these in the entry: a second deletion faults. */
#define LIST_POISON1		((void *)0x100)
#define LIST_POISON2		((void *)0x122)

/* ---- slab debugging (SLAB_POISON, SLAB_RED_ZONE; mm/slub_debug.c) ---- */
#define POISON_INUSE		0x5a	/* padding, and a new slab before its objects are set up */
#define POISON_FREE		0x6b	/* the body of a free object */
#define POISON_END		0xa5	/* the last byte of a free object */

#define SLUB_RED_INACTIVE	0xbb	/* red zone of a free object */
#define SLUB_RED_ACTIVE		0xcc	/* red zone of an allocated object */

/* DMA pools under their debugging (mm/dmapool.c). */
#define POOL_POISON_FREED	0xa7	/* a free block's bytes */
#define POOL_POISON_ALLOCATED	0xa9	/* a block just handed out */

/* debug_pagealloc's page poison (mm/page_poison.c). */
#define PAGE_POISON		0xaa

#endif /* _LINUX_POISON_H */
