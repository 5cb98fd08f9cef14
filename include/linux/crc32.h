/* SPDX-License-Identifier: MIT */
/*
 * linux/crc32.h - the IEEE 802.3 CRC-32 the kernel computes in lib/crc32.c:
 * crc32_le() (least significant bit first, polynomial 0xedb88320 reversed)
 * and its alias crc32().  As in the kernel, no inversion is done here:
 * the caller seeds with 0 (kmemleak's checksums) or with ~0 and inverts
 * the result (the CRC of zlib, PNG and Ethernet).  Context: any, signal
 * handlers included (no state).
 */
#ifndef _LINUX_CRC32_H
#define _LINUX_CRC32_H

#include <stddef.h>
#include <ukmem/kernel_types.h>

UKMEM_API_BEGIN
u32 crc32_le(u32 crc, const void *p, size_t len);
UKMEM_API_END

static inline u32 crc32(u32 crc, const void *p, size_t len)
{
	return crc32_le(crc, p, len);
}

#endif /* _LINUX_CRC32_H */
