/* SPDX-License-Identifier: MIT */
/*
 * linux/minmax.h - include/linux/minmax.h.
 *
 * min(), max() (constant expressions for constant arguments, inside a
 * function, as in the kernel), MIN()/MAX() and MIN_T()/MAX_T() for file
 * scope, min_t(), max_t(), umin(), umax(), clamp(), clamp_t(), clamp_val()
 * and in_range() live in ukmem/kernel_types.h, which every public header
 * includes; min3(), max3(), min_not_zero() and swap() in linux/kernel.h.
 */
#ifndef _LINUX_MINMAX_H
#define _LINUX_MINMAX_H

#include <ukmem/kernel_types.h>

#endif /* _LINUX_MINMAX_H */
