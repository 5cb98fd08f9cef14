/* SPDX-License-Identifier: MIT */
/*
 * linux/bitops.h - include/linux/bitops.h and the generic asm bitops: one
 * bit of a bitmap set, cleared, flipped or tested, and the bit-counting
 * helpers (ffs/fls and friends, hweight, rotations, sign extension).
 *
 * set_bit(), clear_bit(), change_bit() are atomic and unordered, as in the
 * kernel; the test_and_ forms are atomic and fully ordered;
 * clear_bit_unlock() releases and test_and_set_bit_lock() acquires.  The
 * __ forms (__set_bit() ...) are plain read-modify-writes for a bitmap the
 * caller owns.  fls(), fls64(), __ffs() and __fls() live in linux/log2.h.
 */
#ifndef _LINUX_BITOPS_H
#define _LINUX_BITOPS_H

#include <strings.h>		/* ffs(): the kernel's has libc's meaning, 1-based, 0 for none */
#include <ukmem/kernel_types.h>
#include <linux/bits.h>
#include <linux/log2.h>

UKMEM_C_BEGIN

#define BITS_TO_U64(nr)		DIV_ROUND_UP(nr, BITS_PER_TYPE(u64))
#define BITS_TO_U32(nr)		DIV_ROUND_UP(nr, BITS_PER_TYPE(u32))
#define BITS_TO_BYTES(nr)	DIV_ROUND_UP(nr, BITS_PER_TYPE(char))

static inline void set_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline void clear_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline void change_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_xor(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline bool test_and_set_bit(long nr, volatile unsigned long *addr)
{
	return __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST) &
	       BIT_MASK(nr);
}

static inline bool test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	return __atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_SEQ_CST) &
	       BIT_MASK(nr);
}

static inline bool test_and_change_bit(long nr, volatile unsigned long *addr)
{
	return __atomic_fetch_xor(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST) &
	       BIT_MASK(nr);
}

/* A bit used as a lock: taking it acquires, dropping it releases. */
static inline bool test_and_set_bit_lock(long nr, volatile unsigned long *addr)
{
	return __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_ACQUIRE) &
	       BIT_MASK(nr);
}

static inline void clear_bit_unlock(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_RELEASE);
}

static inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	return (__atomic_load_n(&addr[BIT_WORD(nr)], __ATOMIC_RELAXED) >> (nr % BITS_PER_LONG)) & 1;
}

static inline bool test_bit_acquire(long nr, const volatile unsigned long *addr)
{
	return (__atomic_load_n(&addr[BIT_WORD(nr)], __ATOMIC_ACQUIRE) >> (nr % BITS_PER_LONG)) & 1;
}

/* The non-atomic forms: the caller is the only writer of the word. */
static inline void __set_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

static inline void __change_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] ^= BIT_MASK(nr);
}

static inline bool __test_and_set_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old = addr[BIT_WORD(nr)];

	addr[BIT_WORD(nr)] = old | BIT_MASK(nr);
	return old & BIT_MASK(nr);
}

static inline bool __test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old = addr[BIT_WORD(nr)];

	addr[BIT_WORD(nr)] = old & ~BIT_MASK(nr);
	return old & BIT_MASK(nr);
}

static inline bool __test_and_change_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old = addr[BIT_WORD(nr)];

	addr[BIT_WORD(nr)] = old ^ BIT_MASK(nr);
	return old & BIT_MASK(nr);
}

/* @value set in bit @nr, or cleared (plain, like __set_bit()). */
static inline void __assign_bit(long nr, volatile unsigned long *addr, bool value)
{
	if (value)
		__set_bit(nr, addr);
	else
		__clear_bit(nr, addr);
}

static inline void assign_bit(long nr, volatile unsigned long *addr, bool value)
{
	if (value)
		set_bit(nr, addr);
	else
		clear_bit(nr, addr);
}

/* The lowest clear bit of @word (undefined when there is none). */
static inline unsigned long ffz(unsigned long word)
{
	return __ffs(~word);
}

static inline unsigned long __ffs64(u64 word)
{
	return (unsigned long)__builtin_ctzll(word);
}

static inline unsigned int fls_long(unsigned long l)
{
	return (unsigned int)fls64(l);
}

/* The order of the smallest power of two that is >= @count; -1 for 0. */
static inline int get_count_order(unsigned int count)
{
	if (count == 0)
		return -1;
	return fls(--count);
}

static inline int get_count_order_long(unsigned long l)
{
	if (l == 0UL)
		return -1;
	return (int)fls_long(--l);
}

static inline unsigned int hweight8(unsigned int w)	{ return __builtin_popcount(w & 0xffu); }
static inline unsigned int hweight16(unsigned int w)	{ return __builtin_popcount(w & 0xffffu); }
static inline unsigned int hweight32(unsigned int w)	{ return __builtin_popcount(w); }
static inline unsigned long hweight64(u64 w)		{ return __builtin_popcountll(w); }
static inline unsigned long hweight_long(unsigned long w) { return __builtin_popcountl(w); }

/* Rotations; a shift of 0 or of the width leaves the value. */
static inline u64 rol64(u64 word, unsigned int shift) { return (word << (shift & 63)) | (word >> ((-shift) & 63)); }
static inline u64 ror64(u64 word, unsigned int shift) { return (word >> (shift & 63)) | (word << ((-shift) & 63)); }
static inline u32 rol32(u32 word, unsigned int shift) { return (word << (shift & 31)) | (word >> ((-shift) & 31)); }
static inline u32 ror32(u32 word, unsigned int shift) { return (word >> (shift & 31)) | (word << ((-shift) & 31)); }
static inline u16 rol16(u16 word, unsigned int shift) { return (u16)((word << (shift & 15)) | (word >> ((-shift) & 15))); }
static inline u16 ror16(u16 word, unsigned int shift) { return (u16)((word >> (shift & 15)) | (word << ((-shift) & 15))); }
static inline u8 rol8(u8 word, unsigned int shift) { return (u8)((word << (shift & 7)) | (word >> ((-shift) & 7))); }
static inline u8 ror8(u8 word, unsigned int shift) { return (u8)((word >> (shift & 7)) | (word << ((-shift) & 7))); }

/* @value's bit @index is its sign bit: the bits above become copies of it. */
static inline s32 sign_extend32(u32 value, int index)
{
	u8 shift = 31 - index;

	return (s32)(value << shift) >> shift;
}

static inline s64 sign_extend64(u64 value, int index)
{
	u8 shift = 63 - index;

	return (s64)(value << shift) >> shift;
}

UKMEM_C_END

#endif /* _LINUX_BITOPS_H */
