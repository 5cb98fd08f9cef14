/* SPDX-License-Identifier: MIT */
/*
 * mm/failslab.c - fault injection for slab allocations (mm/failslab.c).
 *
 * should_failslab() is asked before every slab allocation.  Exempt, as in
 * the kernel: __GFP_NOFAIL requests; with ignore-gfp-wait (the default)
 * requests that may sleep; with cache-filter, caches without SLAB_FAILSLAB
 * (slub_debug's 'A').  __GFP_NOWARN requests fail silently.
 */
#include <errno.h>

#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include "mm/internal.h"

struct failslab_attr failslab = {
	.attr = FAULT_ATTR_INITIALIZER,
	.ignore_gfp_reclaim = true,
	.cache_filter = false,
};

__thread unsigned int fault_inject_off;
__thread unsigned int failslab_off;

/* SLAB_FAILSLAB's value (include/linux/slab.h, v4.15-v6.8 layout). */
#define FAILSLAB_FLAG	0x02000000U

int should_failslab_size(unsigned int object_size, slab_flags_t cache_flags, gfp_t gfpflags)
{
	int flags = 0;

	if (likely(!fault_attr_live(&failslab.attr)))
		return 0;
	if (fault_inject_off || failslab_off)
		return 0;
	if (gfpflags & __GFP_NOFAIL)
		return 0;
	if (failslab.ignore_gfp_reclaim && (gfpflags & __GFP_DIRECT_RECLAIM))
		return 0;
	if (failslab.cache_filter && !(cache_flags & FAILSLAB_FLAG))
		return 0;
	if (gfpflags & __GFP_NOWARN)
		flags |= FAULTS_NOWARN;
	return should_fail_ex(&failslab.attr, object_size, flags) ? -ENOMEM : 0;
}
