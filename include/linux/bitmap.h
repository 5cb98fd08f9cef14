/* SPDX-License-Identifier: MIT */
/*
 * linux/bitmap.h - the bitmap searches allocators need (include/linux/
 * bitmap.h, include/linux/find.h, lib/bitmap.c): find_next_bit() and
 * find_next_zero_bit(), bitmap_find_next_zero_area() with an alignment,
 * and the plain bitmap_set()/bitmap_clear()/bitmap_zero().
 *
 * A bitmap is an array of unsigned long, bit n in word n / BITS_PER_LONG.
 * The searches read each word once, as a relaxed atomic load: a lock-free
 * user (linux/genalloc.h) may search while another thread claims bits with
 * compare-and-swap, and the result is then only a candidate, as in the
 * kernel.  A failed search returns a value at or above @size.
 */
#ifndef _LINUX_BITMAP_H
#define _LINUX_BITMAP_H

#include <string.h>
#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN

#ifndef BIT_WORD
#define BIT_WORD(nr)			((nr) / BITS_PER_LONG)
#endif
#define BITMAP_FIRST_WORD_MASK(start)	(~0UL << ((start) & (BITS_PER_LONG - 1)))
#define BITMAP_LAST_WORD_MASK(nbits)	(~0UL >> (-(nbits) & (BITS_PER_LONG - 1)))

static inline unsigned long __bitmap_word(const unsigned long *map, unsigned long i)
{
	return __atomic_load_n(&map[i], __ATOMIC_RELAXED);
}

/* The first bit at or after @offset whose value differs from @invert's bits; @size if none. */
static inline unsigned long __find_next_differing(const unsigned long *map, unsigned long size,
						   unsigned long offset, unsigned long invert)
{
	unsigned long word;

	if (offset >= size)
		return size;
	word = (__bitmap_word(map, BIT_WORD(offset)) ^ invert) & BITMAP_FIRST_WORD_MASK(offset);
	offset -= offset % BITS_PER_LONG;
	while (!word) {
		offset += BITS_PER_LONG;
		if (offset >= size)
			return size;
		word = __bitmap_word(map, BIT_WORD(offset)) ^ invert;
	}
	offset += (unsigned long)__builtin_ctzl(word);
	return offset < size ? offset : size;
}

/* The first set bit at or after @offset, or @size. */
static inline unsigned long find_next_bit(const unsigned long *map, unsigned long size,
					  unsigned long offset)
{
	return __find_next_differing(map, size, offset, 0);
}

/* The first clear bit at or after @offset, or @size. */
static inline unsigned long find_next_zero_bit(const unsigned long *map, unsigned long size,
					       unsigned long offset)
{
	return __find_next_differing(map, size, offset, ~0UL);
}

static inline unsigned long find_first_bit(const unsigned long *map, unsigned long size)
{
	return find_next_bit(map, size, 0);
}

static inline unsigned long find_first_zero_bit(const unsigned long *map, unsigned long size)
{
	return find_next_zero_bit(map, size, 0);
}

static inline bool bitmap_empty(const unsigned long *map, unsigned int nbits)
{
	return find_first_bit(map, nbits) >= nbits;
}

/*
 * bitmap_find_next_zero_area_off - @nr clear bits in a row, from @start on,
 * whose first bit plus @align_offset is a multiple of @align_mask + 1.
 * Returns the first bit, or a value above @size (the end of the last
 * candidate) when there is none.
 */
static inline unsigned long bitmap_find_next_zero_area_off(const unsigned long *map,
							   unsigned long size, unsigned long start,
							   unsigned int nr, unsigned long align_mask,
							   unsigned long align_offset)
{
	for (;;) {
		unsigned long index = find_next_zero_bit(map, size, start), end, busy;

		index = ((index + align_offset + align_mask) & ~align_mask) - align_offset;
		end = index + nr;
		if (end > size)
			return end;
		busy = find_next_bit(map, end, index);
		if (busy >= end)
			return index;
		start = busy + 1;
	}
}

static inline unsigned long bitmap_find_next_zero_area(const unsigned long *map, unsigned long size,
						       unsigned long start, unsigned int nr,
						       unsigned long align_mask)
{
	return bitmap_find_next_zero_area_off(map, size, start, nr, align_mask, 0);
}

/* Set, or clear, @nr bits from @start (not atomic: the caller owns the bitmap). */
static inline void bitmap_set(unsigned long *map, unsigned int start, unsigned int nr)
{
	for (; nr; start++, nr--)
		map[BIT_WORD(start)] |= 1UL << (start % BITS_PER_LONG);
}

static inline void bitmap_clear(unsigned long *map, unsigned int start, unsigned int nr)
{
	for (; nr; start++, nr--)
		map[BIT_WORD(start)] &= ~(1UL << (start % BITS_PER_LONG));
}

static inline void bitmap_zero(unsigned long *map, unsigned int nbits)
{
	memset(map, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

UKMEM_C_END

#endif /* _LINUX_BITMAP_H */
