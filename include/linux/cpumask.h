/* SPDX-License-Identifier: MIT */
/*
 * linux/cpumask.h - include/linux/cpumask.h (the parts about CPUs being there).
 *
 * for_each_possible_cpu(), for_each_online_cpu(), num_online_cpus(),
 * nr_cpu_ids and cpu_online() come with linux/smp.h (a CPU is a host CPU).
 */
#ifndef _LINUX_CPUMASK_H
#define _LINUX_CPUMASK_H

#include <linux/smp.h>

#endif /* _LINUX_CPUMASK_H */
