/* SPDX-License-Identifier: MIT */
/*
 * linux/container_of.h - include/linux/container_of.h.
 *
 * container_of() (type-checked, as the kernel's) and container_of_const()
 * live in ukmem/kernel_types.h.
 */
#ifndef _LINUX_CONTAINER_OF_H
#define _LINUX_CONTAINER_OF_H

#include <ukmem/kernel_types.h>

#endif /* _LINUX_CONTAINER_OF_H */
