/* SPDX-License-Identifier: MIT */
/*
 * ukmem/iomem.h - device memory for ioremap() (no kernel counterpart: in
 * the kernel the bus and the firmware describe it).
 *
 * A user-space driver reaches a device's registers through a file it opens:
 * a UIO node (/dev/uioN), a VFIO region, sysfs's resourceN of a PCI BAR, or,
 * in tests, a plain file or a memfd standing in for the device.  Register
 * such a file as a range of "physical" addresses outside RAM; ioremap() of
 * any part of that range then maps the file there (shared), and
 * readl()/writel() and friends reach it.
 */
#ifndef _UKMEM_IOMEM_H
#define _UKMEM_IOMEM_H

#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN
UKMEM_API_BEGIN

/**
 * ukmem_register_device_region - make a file a device's physical range
 * @phys: physical address of the region; page-aligned, at or above the end
 *	of RAM (ukmem's RAM is [0, mem=) in physical addresses)
 * @size: bytes, a multiple of the page size
 * @fd: an open file, memfd or device node; ukmem keeps its own duplicate,
 *	so the caller may close @fd afterwards
 * @offset: where @phys lies in the file (page-aligned)
 * @name: shown in messages (the string is copied)
 *
 * Returns 0, -EINVAL for misaligned or empty ranges, ranges that overlap
 * RAM or run past the end of a regular file, -EBUSY if the range overlaps a
 * registered one, -ENOSPC when 32 regions exist, or -errno from the host.
 * Context: process context; boots the machine if needed.
 */
int ukmem_register_device_region(phys_addr_t phys, size_t size, int fd, u64 offset,
				 const char *name);

/**
 * ukmem_unregister_device_region - forget the region that starts at @phys
 * Returns 0, -ENOENT if none starts there, -EBUSY while an ioremap of it
 * is still mapped.  Context: process context.
 */
int ukmem_unregister_device_region(phys_addr_t phys);

UKMEM_API_END
UKMEM_C_END

#endif /* _UKMEM_IOMEM_H */
