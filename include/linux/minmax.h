/* SPDX-License-Identifier: MIT */
/*
 * linux/minmax.h - include/linux/minmax.h.
 *
 * min(), max(), min_t(), max_t(), clamp(), clamp_t() and friends live in
 * ukmem/kernel_types.h, which every public header includes.
 */
#ifndef _LINUX_MINMAX_H
#define _LINUX_MINMAX_H

#include <ukmem/kernel_types.h>

#endif /* _LINUX_MINMAX_H */
