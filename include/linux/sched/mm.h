/* SPDX-License-Identifier: MIT */
/*
 * linux/sched/mm.h - scoped allocation constraints (include/linux/sched/mm.h).
 *
 * memalloc_nofs_save()/memalloc_noio_save() mark a section in which every
 * allocation of the calling thread behaves as GFP_NOFS / GFP_NOIO, whatever
 * flags the callee passes (a filesystem holding a lock that reclaim would
 * need); memalloc_noreclaim_save() sets PF_MEMALLOC: no direct reclaim at
 * all, and the reserves below the min watermark may be used, which is what
 * reclaim itself runs under.  Each returns the previous state, to be given
 * back to the matching restore, so sections nest.
 *
 * current_gfp_context() is the mask an allocation actually uses.  The
 * kernel applies it before the fast path; ukmem applies it at the entry
 * of the slow path (mm/page_alloc_slow.c), the only place where __GFP_FS
 * and __GFP_IO change anything, so the fast path reads no task flags.
 */
#ifndef _LINUX_SCHED_MM_H
#define _LINUX_SCHED_MM_H

#include <linux/sched.h>
#include <linux/gfp_types.h>

UKMEM_C_BEGIN

static inline gfp_t current_gfp_context(gfp_t flags)
{
	unsigned int pflags = __atomic_load_n(&current->flags, __ATOMIC_RELAXED);

	if (unlikely(pflags & (PF_MEMALLOC_NOIO | PF_MEMALLOC_NOFS | PF_MEMALLOC_NORECLAIM |
			       PF_MEMALLOC_NOWARN))) {
		if (pflags & PF_MEMALLOC_NORECLAIM)
			flags &= ~__GFP_DIRECT_RECLAIM;
		if (pflags & PF_MEMALLOC_NOIO)
			flags &= ~(__GFP_IO | __GFP_FS);
		else if (pflags & PF_MEMALLOC_NOFS)
			flags &= ~__GFP_FS;
		if (pflags & PF_MEMALLOC_NOWARN)
			flags |= __GFP_NOWARN;
	}
	return flags;
}

/* Set @flags (PF_MEMALLOC*) for a section; returns what to restore. */
static inline unsigned int memalloc_flags_save(unsigned int flags)
{
	unsigned int oldflags = ~current->flags & flags;

	current->flags |= flags;
	return oldflags;
}

static inline void memalloc_flags_restore(unsigned int flags)
{
	current->flags &= ~flags;
}

static inline unsigned int memalloc_noio_save(void)
{
	return memalloc_flags_save(PF_MEMALLOC_NOIO);
}

static inline void memalloc_noio_restore(unsigned int flags)
{
	memalloc_flags_restore(flags);
}

static inline unsigned int memalloc_nofs_save(void)
{
	return memalloc_flags_save(PF_MEMALLOC_NOFS);
}

static inline void memalloc_nofs_restore(unsigned int flags)
{
	memalloc_flags_restore(flags);
}

static inline unsigned int memalloc_noreclaim_save(void)
{
	return memalloc_flags_save(PF_MEMALLOC);
}

static inline void memalloc_noreclaim_restore(unsigned int flags)
{
	memalloc_flags_restore(flags);
}

UKMEM_C_END

#endif /* _LINUX_SCHED_MM_H */
