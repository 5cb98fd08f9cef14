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
#include <linux/preempt.h>
#include <time.h>
#if !defined(__USE_POSIX199309) && !defined(__cplusplus)
/* POSIX's: undeclared by <time.h> under a strict ISO mode (-std=c11). */
int nanosleep(const struct timespec *req, struct timespec *rem);
#endif

UKMEM_C_BEGIN

static inline gfp_t current_gfp_context(gfp_t flags)
{
	unsigned int pflags = __atomic_load_n(&current->flags, __ATOMIC_RELAXED);

	if (unlikely(pflags & (PF_MEMALLOC_NOIO | PF_MEMALLOC_NOFS | PF_MEMALLOC_NORECLAIM |
			       PF_MEMALLOC_NOWARN | PF_MEMALLOC_PIN))) {
		if (pflags & PF_MEMALLOC_NORECLAIM)
			flags &= ~__GFP_DIRECT_RECLAIM;
		if (pflags & PF_MEMALLOC_NOIO)
			flags &= ~(__GFP_IO | __GFP_FS);
		else if (pflags & PF_MEMALLOC_NOFS)
			flags &= ~__GFP_FS;
		if (pflags & PF_MEMALLOC_NOWARN)
			flags |= __GFP_NOWARN;
		if (pflags & PF_MEMALLOC_PIN)
			flags &= ~__GFP_MOVABLE;
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

/*
 * memalloc_pin_save - a section whose pages may be pinned for long (the
 * kernel's FOLL_LONGTERM pinning): __GFP_MOVABLE is dropped from every
 * allocation in it, so nothing comes from ZONE_MOVABLE or the movable
 * pageblocks.  The page allocator applies it on entry, as the kernel does.
 */
static inline unsigned int memalloc_pin_save(void)
{
	return memalloc_flags_save(PF_MEMALLOC_PIN);
}

static inline void memalloc_pin_restore(unsigned int flags)
{
	memalloc_flags_restore(flags);
}

/*
 * might_alloc - say that an allocation with @gfp_mask could happen here:
 * a caller in atomic context is reported if it may sleep (the kernel also
 * feeds lockdep's fs_reclaim map, which ukmem does not have).
 */
static inline void might_alloc(gfp_t gfp_mask)
{
	might_sleep_if(gfp_mask & __GFP_DIRECT_RECLAIM);
}
#define fs_reclaim_acquire(gfp_mask)	do { (void)(gfp_mask); } while (0)
#define fs_reclaim_release(gfp_mask)	do { (void)(gfp_mask); } while (0)

/*
 * memalloc_retry_wait - pause before retrying an allocation that failed:
 * one jiffy if it could reclaim (it waited already), HZ/50 otherwise (it
 * did not, and a lock it dropped may let others free), as the kernel does
 * for callers that loop on their own instead of __GFP_NOFAIL.
 */
static inline void memalloc_retry_wait(gfp_t gfp_flags)
{
	struct timespec ts = { 0, 0 };

	gfp_flags = current_gfp_context(gfp_flags);
	/* ukmem's jiffy is 1 ms (HZ 1000). */
	if ((gfp_flags & __GFP_DIRECT_RECLAIM) && !(gfp_flags & __GFP_NORETRY))
		ts.tv_nsec = 1000000L;
	else
		ts.tv_nsec = 20000000L;
	might_sleep();
	nanosleep(&ts, NULL);
}

UKMEM_C_END

#endif /* _LINUX_SCHED_MM_H */
