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

struct device;

UKMEM_C_BEGIN
UKMEM_API_BEGIN
/* Managed mappings (devres, linux/device.h): unmapped when @dev lets go. */
void __iomem *devm_ioremap(struct device *dev, resource_size_t offset, resource_size_t size);
void __iomem *devm_ioremap_wc(struct device *dev, resource_size_t offset, resource_size_t size);
void __iomem *devm_ioremap_uc(struct device *dev, resource_size_t offset, resource_size_t size);
void devm_iounmap(struct device *dev, void __iomem *addr);
UKMEM_API_END
UKMEM_C_END

#endif /* _LINUX_IO_H */
