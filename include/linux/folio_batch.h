/* SPDX-License-Identifier: MIT */
/*
 * linux/folio_batch.h - a small array of folio references (the kernel's
 * include/linux/folio_batch.h, pagevec.h before v7.0).
 *
 * Code collects up to FOLIO_BATCH_SIZE folios, then drops all their
 * references at once with folio_batch_release() (or folios_put()).  The
 * kernel first drains its per-CPU LRU caches (percpu_pvec_drained); there
 * is no LRU here, so a release only puts the folios.
 */
#ifndef _LINUX_FOLIO_BATCH_H
#define _LINUX_FOLIO_BATCH_H

#include <ukmem/kernel_types.h>
#include <linux/types.h>

UKMEM_C_BEGIN

#define FOLIO_BATCH_SIZE	31

struct folio;

struct folio_batch {
	unsigned char nr;		/* folios held */
	unsigned char i;		/* folio_batch_next()'s cursor */
	bool percpu_pvec_drained;	/* kept for the kernel's layout; nothing to drain */
	struct folio *folios[FOLIO_BATCH_SIZE];
};

static inline void folio_batch_init(struct folio_batch *fbatch)
{
	fbatch->nr = 0;
	fbatch->i = 0;
	fbatch->percpu_pvec_drained = false;
}

/* Empty again, keeping whether it was drained. */
static inline void folio_batch_reinit(struct folio_batch *fbatch)
{
	fbatch->nr = 0;
	fbatch->i = 0;
}

static inline unsigned int folio_batch_count(const struct folio_batch *fbatch)
{
	return fbatch->nr;
}

static inline unsigned int folio_batch_space(const struct folio_batch *fbatch)
{
	return FOLIO_BATCH_SIZE - fbatch->nr;
}

/* Add @folio (the caller checks there is room); returns the room left, 0 when full. */
static inline unsigned int folio_batch_add(struct folio_batch *fbatch, struct folio *folio)
{
	fbatch->folios[fbatch->nr++] = folio;
	return folio_batch_space(fbatch);
}

/* The folios in the order they were added, then NULL. */
static inline struct folio *folio_batch_next(struct folio_batch *fbatch)
{
	if (fbatch->i == fbatch->nr)
		return NULL;
	return fbatch->folios[fbatch->i++];
}

UKMEM_API_BEGIN
/* Drop one reference to each folio (@refs[i] to the i-th, if given), freeing the last; then empty. */
void folios_put_refs(struct folio_batch *folios, unsigned int *refs);
UKMEM_API_END

static inline void folios_put(struct folio_batch *folios)
{
	folios_put_refs(folios, NULL);
}

static inline void __folio_batch_release(struct folio_batch *fbatch)
{
	fbatch->percpu_pvec_drained = true;
	folios_put(fbatch);
}

static inline void folio_batch_release(struct folio_batch *fbatch)
{
	if (folio_batch_count(fbatch))
		__folio_batch_release(fbatch);
}

UKMEM_C_END

#endif /* _LINUX_FOLIO_BATCH_H */
