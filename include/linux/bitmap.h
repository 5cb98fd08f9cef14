/* SPDX-License-Identifier: MIT */
/*
 * linux/bitmap.h - include/linux/bitmap.h, include/linux/find.h and
 * lib/bitmap.c: the searches (find_next_bit(), find_next_zero_bit(),
 * find_last_bit(), find_next_and_bit(), find_nth_bit(), the for_each_
 * iterators, bitmap_find_next_zero_area() with an alignment), the whole-map
 * operations (zero, fill, copy, and, or, xor, andnot, complement, replace,
 * equal, intersects, subset, empty, full, weight), ranges (bitmap_set(),
 * bitmap_clear()), regions of 2^order bits (bitmap_find_free_region() ...),
 * the u32-array conversions and bitmap_alloc()/bitmap_zalloc()/bitmap_free().
 * Single bits (set_bit(), test_bit() ...) come with linux/bitops.h.
 *
 * A bitmap is an array of unsigned long, bit n in word n / BITS_PER_LONG.
 * The searches read each word once, as a relaxed atomic load: a lock-free
 * user (linux/genalloc.h) may search while another thread claims bits with
 * compare-and-swap, and the result is then only a candidate, as in the
 * kernel.  A failed search returns a value at or above @size.
 *
 * As in the kernel, the operations that write a whole map (zero, fill,
 * copy, or, xor, complement, replace) write whole words: the bits past
 * @nbits in the last word are written too.  and/andnot clear them, and
 * the tests (equal, weight, full ...) look at the first @nbits bits only.
 * tests/test_bitmap.c holds the expectations of the kernel's
 * lib/test_bitmap.c for these.
 */
#ifndef _LINUX_BITMAP_H
#define _LINUX_BITMAP_H

#include <string.h>
#include <ukmem/kernel_types.h>
#include <linux/bitops.h>
#include <linux/errno.h>

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

/*
 * Set, or clear, @nr bits from @start (not atomic: the caller owns the
 * bitmap), a word at a time: the first and last words through a mask,
 * the words between whole (the boot marks thousands of deferred blocks).
 */
static inline void bitmap_assign_range(unsigned long *map, unsigned int start, unsigned int nr,
				       bool set)
{
	unsigned long *p = map + BIT_WORD(start), *last;
	unsigned long mask = ~0UL << (start % BITS_PER_LONG);

	if (!nr)
		return;
	last = map + BIT_WORD(start + nr - 1);
	for (;; p++, mask = ~0UL) {
		if (p == last)
			mask &= ~0UL >> (-(start + nr) % BITS_PER_LONG);
		*p = set ? *p | mask : *p & ~mask;
		if (p == last)
			return;
	}
}

static inline void bitmap_set(unsigned long *map, unsigned int start, unsigned int nr)
{
	bitmap_assign_range(map, start, nr, true);
}

static inline void bitmap_clear(unsigned long *map, unsigned int start, unsigned int nr)
{
	bitmap_assign_range(map, start, nr, false);
}

#define __bitmap_set(map, start, nr)	bitmap_set(map, start, nr)
#define __bitmap_clear(map, start, nr)	bitmap_clear(map, start, nr)

#define DECLARE_BITMAP(name, bits)	unsigned long name[BITS_TO_LONGS(bits)]
/* A u64 as the words of a bitmap initialiser (one word on a 64-bit machine). */
#define BITMAP_FROM_U64(n)		((unsigned long)(n))

/* The bytes of a map of @nbits bits: whole words. */
#define bitmap_size(nbits)		(BITS_TO_LONGS(nbits) * sizeof(unsigned long))

static inline void bitmap_zero(unsigned long *map, unsigned int nbits)
{
	memset(map, 0, bitmap_size(nbits));
}

static inline void bitmap_fill(unsigned long *map, unsigned int nbits)
{
	memset(map, 0xff, bitmap_size(nbits));
}

static inline void bitmap_copy(unsigned long *dst, const unsigned long *src, unsigned int nbits)
{
	memcpy(dst, src, bitmap_size(nbits));
}

/* bitmap_copy() that leaves the bits past @nbits in the last word clear. */
static inline void bitmap_copy_clear_tail(unsigned long *dst, const unsigned long *src,
					  unsigned int nbits)
{
	bitmap_copy(dst, src, nbits);
	if (nbits % BITS_PER_LONG)
		dst[nbits / BITS_PER_LONG] &= BITMAP_LAST_WORD_MASK(nbits);
}

/* dst = a & b over @nbits (the tail of the last word cleared); true if any bit is left. */
static inline bool bitmap_and(unsigned long *dst, const unsigned long *a,
			      const unsigned long *b, unsigned int nbits)
{
	unsigned int k, full = nbits / BITS_PER_LONG;
	unsigned long any = 0;

	for (k = 0; k < full; k++)
		any |= (dst[k] = a[k] & b[k]);
	if (nbits % BITS_PER_LONG)
		any |= (dst[k] = a[k] & b[k] & BITMAP_LAST_WORD_MASK(nbits));
	return any != 0;
}

/* dst = a & ~b, the same way as bitmap_and(). */
static inline bool bitmap_andnot(unsigned long *dst, const unsigned long *a,
				 const unsigned long *b, unsigned int nbits)
{
	unsigned int k, full = nbits / BITS_PER_LONG;
	unsigned long any = 0;

	for (k = 0; k < full; k++)
		any |= (dst[k] = a[k] & ~b[k]);
	if (nbits % BITS_PER_LONG)
		any |= (dst[k] = a[k] & ~b[k] & BITMAP_LAST_WORD_MASK(nbits));
	return any != 0;
}

static inline void bitmap_or(unsigned long *dst, const unsigned long *a,
			     const unsigned long *b, unsigned int nbits)
{
	for (unsigned int k = 0; k < BITS_TO_LONGS(nbits); k++)
		dst[k] = a[k] | b[k];
}

static inline void bitmap_xor(unsigned long *dst, const unsigned long *a,
			      const unsigned long *b, unsigned int nbits)
{
	for (unsigned int k = 0; k < BITS_TO_LONGS(nbits); k++)
		dst[k] = a[k] ^ b[k];
}

static inline void bitmap_complement(unsigned long *dst, const unsigned long *src,
				     unsigned int nbits)
{
	for (unsigned int k = 0; k < BITS_TO_LONGS(nbits); k++)
		dst[k] = ~src[k];
}

/* dst = the bits of @new where @mask is set, those of @old elsewhere. */
static inline void bitmap_replace(unsigned long *dst, const unsigned long *old,
				  const unsigned long *new_bits, const unsigned long *mask,
				  unsigned int nbits)
{
	for (unsigned int k = 0; k < BITS_TO_LONGS(nbits); k++)
		dst[k] = (old[k] & ~mask[k]) | (new_bits[k] & mask[k]);
}

/*
 * The first @nbits bits of a and b, word by word through @op (0: equal,
 * 1: intersect, 2: a subset of b); the tail of the last word is ignored.
 */
static inline unsigned long __bitmap_word_op(unsigned long a, unsigned long b, int op)
{
	return op == 0 ? a ^ b : op == 1 ? a & b : a & ~b;
}

static inline bool __bitmap_any(const unsigned long *a, const unsigned long *b,
				unsigned int nbits, int op)
{
	unsigned int k, full = nbits / BITS_PER_LONG;

	for (k = 0; k < full; k++)
		if (__bitmap_word_op(a[k], b[k], op))
			return true;
	if (nbits % BITS_PER_LONG)
		return __bitmap_word_op(a[k], b[k], op) & BITMAP_LAST_WORD_MASK(nbits);
	return false;
}

static inline bool bitmap_equal(const unsigned long *a, const unsigned long *b, unsigned int nbits)
{
	return !__bitmap_any(a, b, nbits, 0);
}

static inline bool bitmap_intersects(const unsigned long *a, const unsigned long *b,
				     unsigned int nbits)
{
	return __bitmap_any(a, b, nbits, 1);
}

/* Every bit of @a is set in @b. */
static inline bool bitmap_subset(const unsigned long *a, const unsigned long *b,
				 unsigned int nbits)
{
	return !__bitmap_any(a, b, nbits, 2);
}

static inline bool bitmap_full(const unsigned long *map, unsigned int nbits)
{
	return find_first_zero_bit(map, nbits) >= nbits;
}

/* The number of set bits among the first @nbits. */
static inline unsigned int bitmap_weight(const unsigned long *map, unsigned int nbits)
{
	unsigned int k, full = nbits / BITS_PER_LONG, w = 0;

	for (k = 0; k < full; k++)
		w += hweight_long(map[k]);
	if (nbits % BITS_PER_LONG)
		w += hweight_long(map[k] & BITMAP_LAST_WORD_MASK(nbits));
	return w;
}

/* The last set bit below @size, or @size if there is none. */
static inline unsigned long find_last_bit(const unsigned long *map, unsigned long size)
{
	unsigned long idx, word;

	if (!size)
		return size;
	idx = (size - 1) / BITS_PER_LONG;
	word = __bitmap_word(map, idx) & BITMAP_LAST_WORD_MASK(size);
	for (;;) {
		if (word)
			return idx * BITS_PER_LONG + __fls(word);
		if (!idx)
			return size;
		word = __bitmap_word(map, --idx);
	}
}

/* The first bit at or after @offset set in both maps, or @size. */
static inline unsigned long find_next_and_bit(const unsigned long *a, const unsigned long *b,
					      unsigned long size, unsigned long offset)
{
	unsigned long word;

	if (offset >= size)
		return size;
	word = __bitmap_word(a, BIT_WORD(offset)) & __bitmap_word(b, BIT_WORD(offset)) &
	       BITMAP_FIRST_WORD_MASK(offset);
	offset -= offset % BITS_PER_LONG;
	while (!word) {
		offset += BITS_PER_LONG;
		if (offset >= size)
			return size;
		word = __bitmap_word(a, BIT_WORD(offset)) & __bitmap_word(b, BIT_WORD(offset));
	}
	offset += (unsigned long)__builtin_ctzl(word);
	return offset < size ? offset : size;
}

static inline unsigned long find_first_and_bit(const unsigned long *a, const unsigned long *b,
					       unsigned long size)
{
	return find_next_and_bit(a, b, size, 0);
}

/* The @n-th set bit (counting from 0) below @size, or @size if there are not that many. */
static inline unsigned long find_nth_bit(const unsigned long *map, unsigned long size,
					 unsigned long n)
{
	unsigned long bit;

	for (bit = find_first_bit(map, size); bit < size; bit = find_next_bit(map, size, bit + 1))
		if (!n--)
			return bit;
	return size;
}

#define for_each_set_bit(bit, map, size)					\
	for ((bit) = 0; (bit) = find_next_bit((map), (size), (bit)), (bit) < (size); (bit)++)
#define for_each_set_bit_from(bit, map, size)					\
	for (; (bit) = find_next_bit((map), (size), (bit)), (bit) < (size); (bit)++)
#define for_each_clear_bit(bit, map, size)					\
	for ((bit) = 0; (bit) = find_next_zero_bit((map), (size), (bit)), (bit) < (size); (bit)++)
#define for_each_clear_bit_from(bit, map, size)				\
	for (; (bit) = find_next_zero_bit((map), (size), (bit)), (bit) < (size); (bit)++)
#define for_each_and_bit(bit, a, b, size)					\
	for ((bit) = 0; (bit) = find_next_and_bit((a), (b), (size), (bit)), (bit) < (size); (bit)++)

/*
 * The first set bit at or after @offset, wrapping round to the start of
 * the map once; @size if none.  for_each_set_bit_wrap() visits every set
 * bit once, from @start on and then from 0 up to @start.
 */
static inline unsigned long find_next_bit_wrap(const unsigned long *map, unsigned long size,
					       unsigned long offset)
{
	unsigned long bit = find_next_bit(map, size, offset);

	if (bit < size || offset == 0)
		return bit;
	bit = find_first_bit(map, offset);
	return bit < offset ? bit : size;
}

/* The set bit after @prev in the wrapped order that starts at @start; @size at the end. */
static inline unsigned long __find_next_bit_wrapped(const unsigned long *map, unsigned long size,
						    unsigned long start, unsigned long prev)
{
	unsigned long bit;

	if (prev >= start) {		/* still in the part from @start to the end */
		bit = find_next_bit(map, size, prev + 1);
		if (bit < size)
			return bit;
		bit = find_first_bit(map, start);
	} else {
		bit = find_next_bit(map, start, prev + 1);
	}
	return bit < start ? bit : size;
}

#define for_each_set_bit_wrap(bit, map, size, start)				\
	for ((bit) = find_next_bit_wrap((map), (size), (start));		\
	     (bit) < (size);							\
	     (bit) = __find_next_bit_wrapped((map), (size), (start), (bit)))

/*
 * Regions of 2^@order bits, aligned to their size (lib/bitmap.c):
 * bitmap_allocate_region() claims the one at @pos, or answers -EBUSY if any
 * of its bits is taken; bitmap_find_free_region() claims the first free
 * one and returns its position, or -ENOMEM; bitmap_release_region() frees.
 */
static inline int bitmap_allocate_region(unsigned long *map, unsigned int pos, int order)
{
	unsigned int len = 1U << order;

	if (find_next_bit(map, pos + len, pos) < pos + len)
		return -EBUSY;
	bitmap_set(map, pos, len);
	return 0;
}

static inline int bitmap_find_free_region(unsigned long *map, unsigned int bits, int order)
{
	unsigned int pos, end;

	for (pos = 0; (end = pos + (1U << order)) <= bits; pos = end)
		if (!bitmap_allocate_region(map, pos, order))
			return (int)pos;
	return -ENOMEM;
}

static inline void bitmap_release_region(unsigned long *map, unsigned int pos, int order)
{
	bitmap_clear(map, pos, 1U << order);
}

/*
 * To and from an array of u32, bit 0 in bit 0 of the first: the map's
 * tail past @nbits is cleared, and the array's past the last u32 that
 * holds a bit is not written.
 */
static inline void bitmap_from_arr32(unsigned long *map, const u32 *buf, unsigned int nbits)
{
	unsigned int i, halves = DIV_ROUND_UP(nbits, 32);

	for (i = 0; i < halves; i++) {
		if (i % 2 == 0)
			map[i / 2] = buf[i];
		else
			map[i / 2] |= (unsigned long)buf[i] << 32;
	}
	if (nbits % BITS_PER_LONG)
		map[(halves - 1) / 2] &= BITMAP_LAST_WORD_MASK(nbits);
}

static inline void bitmap_to_arr32(u32 *buf, const unsigned long *map, unsigned int nbits)
{
	unsigned int i, halves = DIV_ROUND_UP(nbits, 32);

	for (i = 0; i < halves; i++)
		buf[i] = (u32)(map[i / 2] >> (i % 2 ? 32 : 0));
	if (nbits % 32)
		buf[halves - 1] &= ~0U >> (-nbits & 31);
}

/*
 * A map of @nbits bits from kmalloc (lib/bitmap.c), zeroed for
 * bitmap_zalloc(); NULL when the allocation fails.  bitmap_free(NULL) is
 * a no-op.
 */
UKMEM_API_BEGIN
unsigned long *bitmap_alloc(unsigned int nbits, gfp_t flags);
unsigned long *bitmap_zalloc(unsigned int nbits, gfp_t flags);
unsigned long *bitmap_alloc_node(unsigned int nbits, gfp_t flags, int node);
unsigned long *bitmap_zalloc_node(unsigned int nbits, gfp_t flags, int node);
void bitmap_free(const unsigned long *map);
UKMEM_API_END

UKMEM_C_END

#endif /* _LINUX_BITMAP_H */
