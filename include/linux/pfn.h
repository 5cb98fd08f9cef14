/* SPDX-License-Identifier: MIT */
/*
 * linux/pfn.h - include/linux/pfn.h.
 *
 * PFN_UP(), PFN_DOWN(), PFN_PHYS(), PHYS_PFN() and PFN_ALIGN() come with
 * asm/page.h.
 */
#ifndef _LINUX_PFN_H
#define _LINUX_PFN_H

#include <asm/page.h>

#endif /* _LINUX_PFN_H */
