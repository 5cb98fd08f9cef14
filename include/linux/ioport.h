/* SPDX-License-Identifier: MIT */
/*
 * linux/ioport.h - what the kernel's resource tree says about physical
 * memory, as far as memory code asks it (include/linux/ioport.h).
 *
 * There is no resource tree here.  Two kinds of range answer instead:
 * System RAM (memblock's memory: IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
 * IORES_DESC_NONE, as /proc/iomem lists it) and the device regions
 * registered with ukmem_register_device_region() (include/ukmem/iomem.h:
 * IORESOURCE_MEM | IORESOURCE_BUSY, IORES_DESC_NONE).
 * region_intersects() (linux/mm.h) and walk_system_ram_range() read them.
 */
#ifndef _LINUX_IOPORT_H
#define _LINUX_IOPORT_H

#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN

#define IORESOURCE_IO		0x00000100
#define IORESOURCE_MEM		0x00000200
#define IORESOURCE_SYSRAM	0x01000000	/* System RAM (with IORESOURCE_MEM) */
#define IORESOURCE_BUSY		0x80000000	/* claimed by a driver */
#define IORESOURCE_SYSTEM_RAM	(IORESOURCE_MEM | IORESOURCE_SYSRAM)

/* A resource's descriptor: only NONE exists here (no firmware tables). */
enum {
	IORES_DESC_NONE				= 0,
	IORES_DESC_CRASH_KERNEL			= 1,
	IORES_DESC_ACPI_TABLES			= 2,
	IORES_DESC_ACPI_NV_STORAGE		= 3,
	IORES_DESC_PERSISTENT_MEMORY		= 4,
	IORES_DESC_PERSISTENT_MEMORY_LEGACY	= 5,
	IORES_DESC_DEVICE_PRIVATE_MEMORY	= 6,
	IORES_DESC_RESERVED			= 7,
	IORES_DESC_SOFT_RESERVED		= 8,
	IORES_DESC_CXL				= 9,
};

UKMEM_API_BEGIN
/*
 * Call @func(pfn, nr_pages, @arg) for each run of System RAM inside
 * [@start_pfn, @start_pfn + @nr_pages), in address order, until one
 * returns non-zero; that value, or -EINVAL if no RAM was there.
 */
int walk_system_ram_range(unsigned long start_pfn, unsigned long nr_pages, void *arg,
			  int (*func)(unsigned long, unsigned long, void *));
UKMEM_API_END

UKMEM_C_END

#endif /* _LINUX_IOPORT_H */
