/* SPDX-License-Identifier: MIT */
/*
 * linux/topology.h - include/linux/topology.h.
 *
 * numa_node_id(), numa_mem_id() and cpu_to_node() (linux/smp.h): the
 * node of the CPU the thread runs on.
 */
#ifndef _LINUX_TOPOLOGY_H
#define _LINUX_TOPOLOGY_H

#include <linux/smp.h>
#include <linux/mmzone.h>

#endif /* _LINUX_TOPOLOGY_H */
