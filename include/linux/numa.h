/* SPDX-License-Identifier: MIT */
/*
 * linux/numa.h - include/linux/numa.h.
 *
 * NUMA_NO_NODE and MAX_NUMNODES come with linux/mmzone.h, and
 * numa_valid_node() (v6.9+) is here.
 */
#ifndef _LINUX_NUMA_H
#define _LINUX_NUMA_H

#include <linux/mmzone.h>

static inline bool numa_valid_node(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES;
}

#endif /* _LINUX_NUMA_H */
