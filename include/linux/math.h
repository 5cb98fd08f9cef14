/* SPDX-License-Identifier: MIT */
/*
 * linux/math.h - include/linux/math.h.
 *
 * DIV_ROUND_UP(), round_up(), round_down(), roundup(), rounddown(),
 * DIV_ROUND_CLOSEST() (signed-aware, halves away from zero), the _ULL
 * forms, DIV_ROUND_UP_POW2(), mult_frac(), abs_diff() and
 * reciprocal_scale() (ukmem/kernel_types.h and linux/kernel.h).
 */
#ifndef _LINUX_MATH_H
#define _LINUX_MATH_H

#include <ukmem/kernel_types.h>
#include <linux/kernel.h>

#endif /* _LINUX_MATH_H */
