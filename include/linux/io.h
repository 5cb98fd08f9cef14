/* SPDX-License-Identifier: MIT */
/*
 * linux/io.h - device memory for drivers (include/linux/io.h): ioremap()
 * and the MMIO accessors of asm/io.h, and device regions
 * (ukmem/iomem.h), under the name drivers include.
 */
#ifndef _LINUX_IO_H
#define _LINUX_IO_H

#include <linux/types.h>
#include <linux/err.h>
#include <asm/io.h>
#include <ukmem/iomem.h>

#endif /* _LINUX_IO_H */
