/* SPDX-License-Identifier: MIT */
/*
 * lib/crc32.c - crc32_le() (linux/crc32.h), for kmemleak's object
 * checksums and the ukmem tool's PNG chunks.
 *
 * Four bits at a time from a 16-entry table: a tenth of a byte-wise
 * table's cache footprint, and no table to build at run time (so no
 * first-use race in a signal handler).  Entry i is the CRC register after
 * shifting the nibble i through it.
 */
#include <linux/crc32.h>

static const u32 crc32_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
	0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

u32 crc32_le(u32 crc, const void *p, size_t len)
{
	const u8 *byte = p;

	while (len--) {
		crc ^= *byte++;
		crc = (crc >> 4) ^ crc32_nibble[crc & 15];
		crc = (crc >> 4) ^ crc32_nibble[crc & 15];
	}
	return crc;
}
