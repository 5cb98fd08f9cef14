/* SPDX-License-Identifier: MIT */
/*
 * malloc/usage.c - the figures behind mallinfo(), malloc_stats() and
 * malloc_info(): what the slab layer holds (slab pages and kmalloc's
 * compound pages, counted as the kernel counts them in meminfo's Slab line)
 * the large blocks it takes from the buddy allocator, and what the host
 * path holds.
 *
 * "In use" is the slab bytes less the free objects of every cache, read
 * from the same figures slabinfo prints.  The walk takes slab_mutex, so
 * these calls are for reports, not for hot paths.
 */
#include <linux/mmzone.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <ukmem/boot.h>
#include "malloc/malloc_internal.h"
#include "mm/slab.h"

void ukmem_malloc_usage(struct ukmem_malloc_usage *u)
{
	unsigned long slab_bytes = 0, free_bytes = 0;
	struct kmem_cache *s;
	int nid;

	host_usage(&u->host_blocks, &u->host_bytes, &u->max_host_blocks, &u->max_host_bytes);
	u->system_bytes = 0;
	u->in_use_bytes = 0;
	if (!ukmem_booted())
		return;

	for_each_online_node(nid) {
		slab_bytes += node_page_state(NODE_DATA(nid), NR_SLAB_RECLAIMABLE_B);
		slab_bytes += node_page_state(NODE_DATA(nid), NR_SLAB_UNRECLAIMABLE_B);
	}
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		struct slabinfo info;

		get_slabinfo(s, &info);
		if (info.num_objs > info.active_objs)
			free_bytes += (info.num_objs - info.active_objs) * (unsigned long)s->size;
	}
	mutex_unlock(&slab_mutex);

	u->system_bytes = slab_bytes + malloc_large_block_bytes();
	u->in_use_bytes = u->system_bytes > free_bytes ? u->system_bytes - free_bytes : 0;
}
