/* SPDX-License-Identifier: MIT */
/*
 * linux/compiler.h - include/linux/compiler.h.
 *
 * likely(), unlikely(), READ_ONCE(), WRITE_ONCE(), barrier(), data_race()
 * and the attributes: ukmem keeps them in ukmem/compiler.h, which every
 * public header includes; kernel code that names this header finds them.
 */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#include <ukmem/compiler.h>

#endif /* _LINUX_COMPILER_H */
