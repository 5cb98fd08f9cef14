/* SPDX-License-Identifier: MIT */
/*
 * linux/nodemask.h - include/linux/nodemask.h (the parts about online nodes).
 *
 * for_each_online_node(), num_online_nodes() and node_online() come with
 * linux/mmzone.h; ukmem's nodes are all online from boot.
 */
#ifndef _LINUX_NODEMASK_H
#define _LINUX_NODEMASK_H

#include <linux/mmzone.h>

#endif /* _LINUX_NODEMASK_H */
