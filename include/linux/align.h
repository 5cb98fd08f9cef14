/* SPDX-License-Identifier: MIT */
/*
 * linux/align.h - include/linux/align.h.
 *
 * ALIGN(), ALIGN_DOWN(), IS_ALIGNED(), PTR_ALIGN() live in
 * ukmem/kernel_types.h.
 */
#ifndef _LINUX_ALIGN_H
#define _LINUX_ALIGN_H

#include <ukmem/kernel_types.h>

#endif /* _LINUX_ALIGN_H */
