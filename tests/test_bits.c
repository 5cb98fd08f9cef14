/* SPDX-License-Identifier: MIT */
/*
 * linux/bits.h and linux/bitops.h against the expectations of the kernel's
 * lib/tests/test_bits.c: GENMASK() and its typed forms give the kernel's
 * masks, in the kernel's types (checked at build time with _Generic);
 * GENMASK_INPUT_CHECK() is 0 for valid constants and for values only known
 * at run time; GENMASK_U128() reaches above bit 63.  The kernel suite's
 * "must not compile" list is built as separate CTest cases that pass only
 * when the compiler refuses (BITS_BUILD_FAILURE, tests/CMakeLists.txt).
 * The single-bit operations and counting helpers of linux/bitops.h are
 * checked here too, with the cases of the kernel's lib/tests/bitops_kunit.c.
 */
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/bitops.h>
#include <linux/kernel.h>

#ifdef BITS_BUILD_FAILURE
/* Each of these but the control must be refused by the compiler, as in the kernel. */
static unsigned long long bad[] = {
#if BITS_BUILD_FAILURE == 0
	GENMASK(1, 0),		/* the control: this one must build */
#elif BITS_BUILD_FAILURE == 1
	GENMASK(0, 1),
#elif BITS_BUILD_FAILURE == 2
	GENMASK(9, 10),
#elif BITS_BUILD_FAILURE == 3
	GENMASK_ULL(0, 10),
#elif BITS_BUILD_FAILURE == 4
	GENMASK_U32(32, 0),
#elif BITS_BUILD_FAILURE == 5
	GENMASK_U16(16, 0),
#elif BITS_BUILD_FAILURE == 6
	GENMASK_U8(8, 0),
#elif BITS_BUILD_FAILURE == 7
	GENMASK_U64(64, 0),
#elif BITS_BUILD_FAILURE == 8
	BIT_U8(8),
#elif BITS_BUILD_FAILURE == 9
	BIT_U32(32),
#elif BITS_BUILD_FAILURE == 10
	GENMASK_U32(0, 31),
#endif
};
int main(void) { return (int)bad[0]; }
#else

#include "ktest.h"

#define type_is(t, x)	_Generic((x), t: 1, default: 0)

static_assert(type_is(unsigned long, GENMASK(31, 0)) && GENMASK(31, 0) == U32_MAX, "GENMASK");
static_assert(type_is(unsigned long long, GENMASK_ULL(63, 0)) && GENMASK_ULL(63, 0) == U64_MAX,
	      "GENMASK_ULL");
static_assert(type_is(u8, GENMASK_U8(7, 0)) && GENMASK_U8(7, 0) == U8_MAX, "GENMASK_U8");
static_assert(type_is(u16, GENMASK_U16(15, 0)) && GENMASK_U16(15, 0) == U16_MAX, "GENMASK_U16");
static_assert(type_is(u32, GENMASK_U32(31, 0)) && GENMASK_U32(31, 0) == U32_MAX, "GENMASK_U32");
static_assert(type_is(u64, GENMASK_U64(63, 0)) && GENMASK_U64(63, 0) == U64_MAX, "GENMASK_U64");
static_assert(type_is(u8, BIT_U8(7)) && BIT_U8(7) == 0x80, "BIT_U8");
static_assert(type_is(u16, BIT_U16(15)) && BIT_U16(15) == 0x8000, "BIT_U16");
static_assert(type_is(u32, BIT_U32(31)) && BIT_U32(31) == 0x80000000u, "BIT_U32");
static_assert(type_is(u64, BIT_U64(63)) && BIT_U64(63) == 1ULL << 63, "BIT_U64");
/* Masks are constant expressions: usable in a static initialiser. */
static const unsigned long mask_table[] = { GENMASK(3, 0), GENMASK(63, 60) };

static void test_genmask(void)
{
	CHECK_EQ(GENMASK(0, 0), 1ul);
	CHECK_EQ(GENMASK(1, 0), 3ul);
	CHECK_EQ(GENMASK(2, 1), 6ul);
	CHECK_EQ(GENMASK(31, 0), 0xffffffffUL);
	CHECK(GENMASK(63, 0) == ~0UL);
	CHECK(GENMASK(63, 63) == 1UL << 63);
	CHECK_EQ(GENMASK_U8(0, 0), 1u);
	CHECK_EQ(GENMASK_U16(1, 0), 3u);
	CHECK_EQ(GENMASK_U32(16, 16), 0x10000);
	CHECK_EQ(GENMASK_U8(7, 4), 0xf0);
	CHECK_EQ(GENMASK_U16(15, 8), 0xff00);
	CHECK(mask_table[0] == 0xf && mask_table[1] == 0xf000000000000000UL);
}

static void test_genmask_ull(void)
{
	CHECK(GENMASK_ULL(0, 0) == 1ull);
	CHECK(GENMASK_ULL(1, 0) == 3ull);
	CHECK(GENMASK_ULL(39, 21) == 0x000000ffffe00000ull);
	CHECK(GENMASK_ULL(63, 0) == 0xffffffffffffffffull);
	CHECK(GENMASK_U64(62, 1) == 0x7ffffffffffffffeull);
}

static void test_genmask_u128(void)
{
#ifdef GENMASK_U128
	CHECK(GENMASK_U128(0, 0) == 1);
	CHECK(GENMASK_U128(1, 0) == 3);
	CHECK(GENMASK_U128(2, 1) == 6);
	CHECK(GENMASK_U128(31, 0) == 0xffffffffull);
	CHECK(GENMASK_U128(39, 21) == 0x000000ffffe00000ull);
	CHECK(GENMASK_U128(63, 0) == 0xffffffffffffffffull);
	/* Above bit 63, seen 64 bits at a time. */
	CHECK((u64)(GENMASK_U128(64, 0) >> 1) == 0xffffffffffffffffull);
	CHECK((u64)(GENMASK_U128(81, 50) >> 50) == 0x00000000ffffffffull);
	CHECK((u64)(GENMASK_U128(87, 64) >> 64) == 0x0000000000ffffffull);
	CHECK((u64)(GENMASK_U128(87, 80) >> 64) == 0x0000000000ff0000ull);
	CHECK((u64)(GENMASK_U128(127, 0) >> 64) == 0xffffffffffffffffull);
	CHECK((u64)GENMASK_U128(127, 0) == 0xffffffffffffffffull);
	CHECK((u64)(GENMASK_U128(127, 126) >> 126) == 3);
	CHECK((u64)(GENMASK_U128(127, 127) >> 127) == 1);
#else
	KTEST_SKIP("no 128-bit integers");
#endif
}

static void test_genmask_input_check(void)
{
	unsigned int x = 3, y = 5;
	int z = 7, w = -1;

	/* Values known only at run time are not checked. */
	CHECK_EQ(GENMASK_INPUT_CHECK(x, 0), 0);
	CHECK_EQ(GENMASK_INPUT_CHECK(0, x), 0);
	CHECK_EQ(GENMASK_INPUT_CHECK(x, y), 0);
	CHECK_EQ(GENMASK_INPUT_CHECK(z, 0), 0);
	CHECK_EQ(GENMASK_INPUT_CHECK(0, z), 0);
	CHECK_EQ(GENMASK_INPUT_CHECK(z, w), 0);
	/* Valid constants, including above 64. */
	CHECK_EQ(GENMASK_INPUT_CHECK(1, 1), 0);
	CHECK_EQ(GENMASK_INPUT_CHECK(39, 21), 0);
	CHECK_EQ(GENMASK_INPUT_CHECK(100, 80), 0);
	CHECK_EQ(GENMASK_INPUT_CHECK(110, 65), 0);
	CHECK_EQ(GENMASK_INPUT_CHECK(127, 0), 0);
	/* A run-time mask gives the same bits as the constant one. */
	CHECK(GENMASK(y, x) == GENMASK(5, 3));
	CHECK(GENMASK_ULL(z, 0) == 0xffull);
}

static void test_bit_macros(void)
{
	CHECK(BIT_ULL_MASK(70) == 1ULL << 6 && BIT_ULL_WORD(70) == 1);
	CHECK(BIT_MASK(65) == 2UL && BIT_WORD(65) == 1);
	CHECK_EQ(BITS_PER_TYPE(u16), 16);
	CHECK_EQ(BITS_TO_LONGS(65), 2);
	/* Computed in size_t, as the kernel's: the largest unsigned int does not wrap. */
	CHECK_EQ(BITS_TO_LONGS(~0U), 67108864);
	CHECK_EQ(BITS_TO_U32(~0U), 134217728);
	CHECK_EQ(BITS_TO_U32(33), 2);
	CHECK_EQ(BITS_TO_U64(64), 1);
	CHECK_EQ(BITS_TO_BYTES(9), 2);
}

static void test_single_bits(void)
{
	unsigned long map[2] = { 0, 0 };

	set_bit(3, map);
	set_bit(64, map);
	CHECK(map[0] == 8 && map[1] == 1);
	CHECK(test_bit(3, map) && test_bit(64, map) && !test_bit(4, map));
	CHECK(test_bit_acquire(64, map));
	CHECK(test_and_set_bit(3, map));
	CHECK(!test_and_set_bit(70, map) && test_bit(70, map));
	CHECK(test_and_clear_bit(70, map) && !test_bit(70, map));
	CHECK(!test_and_clear_bit(70, map));
	change_bit(5, map);
	CHECK(test_bit(5, map));
	CHECK(test_and_change_bit(5, map) && !test_bit(5, map));
	clear_bit(64, map);
	CHECK(map[1] == 0);
	CHECK(!test_and_set_bit_lock(127, map));
	CHECK(test_and_set_bit_lock(127, map));
	clear_bit_unlock(127, map);
	CHECK(map[1] == 0);

	__set_bit(0, map);
	__clear_bit(3, map);
	__change_bit(1, map);
	CHECK_EQ(map[0], 3);
	CHECK(__test_and_set_bit(1, map) && !__test_and_set_bit(2, map));
	CHECK(__test_and_clear_bit(2, map) && !__test_and_clear_bit(2, map));
	CHECK(!__test_and_change_bit(9, map) && test_bit(9, map));
	__assign_bit(10, map, true);
	__assign_bit(10, map, true);	/* setting a set bit keeps it set */
	assign_bit(0, map, false);
	assign_bit(1, map, true);
	CHECK(map[0] == ((1UL << 10) | (1UL << 9) | 2));
	CHECK(__test_and_change_bit(9, map) && !test_bit(9, map));
	/* The upper half of a word. */
	map[0] = 0;
	set_bit(40, map);
	CHECK(test_bit(40, map) && !test_bit(8, map));
	CHECK(map[0] == 1UL << 40);
}

static void test_counting(void)
{
	CHECK_EQ(ffs(0), 0);
	CHECK_EQ(ffs(1), 1);
	CHECK_EQ(ffs(0x80000000), 32);
	CHECK_EQ(__ffs(0x10UL), 4);
	CHECK_EQ(__ffs64(1ULL << 40), 40);
	CHECK_EQ(ffz(0x7UL), 3);
	CHECK_EQ(ffz(~(1UL << 63) ), 63);
	CHECK_EQ(fls(0), 0);
	CHECK_EQ(fls(1), 1);
	CHECK_EQ(fls(0x80000000u), 32);
	CHECK_EQ(fls64(1ULL << 63), 64);
	CHECK_EQ(fls_long(0), 0);
	CHECK_EQ(fls_long(1UL << 40), 41);
	CHECK_EQ(__fls(1UL << 40), 40);
	CHECK_EQ(get_count_order(0), -1);
	CHECK_EQ(get_count_order(1), 0);
	CHECK_EQ(get_count_order(16), 4);
	CHECK_EQ(get_count_order(17), 5);
	CHECK_EQ(get_count_order_long(0), -1);
	CHECK_EQ(get_count_order_long(1UL << 40), 40);
	CHECK_EQ(get_count_order_long((1UL << 40) + 1), 41);
	CHECK_EQ(hweight8(0x1ff), 8);	/* only the low 8 bits count */
	CHECK_EQ(hweight16(0x1ffff), 16);
	CHECK_EQ(hweight32(0xf0f0f0f0u), 16);
	CHECK_EQ(hweight64(~0ULL), 64);
	CHECK_EQ(hweight_long(0x8000000000000001UL), 2);
}

/* lib/tests/bitops_kunit.c: single bits of a 256-bit map, and get_count_order's table. */
static void test_bitops_kunit(void)
{
	static const long nrs[] = { 4, 7, 11, 31, 88 };
	static const struct { unsigned int count; int order; } t[] = {
		{ 0x3, 2 }, { 0x4, 2 }, { 0x1fff, 13 }, { 0x2000, 13 },
		{ 0x50000000, 31 }, { 0x80000000, 31 }, { 0x80003000, 32 },
	};
	static const struct { unsigned long count; int order; } tl[] = {
		{ 0x0000000300000000UL, 34 }, { 0x0000000400000000UL, 34 },
		{ 0x00001fff00000000UL, 45 }, { 0x0000200000000000UL, 45 },
		{ 0x5000000000000000UL, 63 }, { 0x8000000000000000UL, 63 },
		{ 0x8000300000000000UL, 64 },
	};
	unsigned long map[4];

	for (size_t i = 0; i < ARRAY_SIZE(nrs); i++) {
		memset(map, 0, sizeof(map));
		set_bit(nrs[i], map);
		CHECK(test_bit(nrs[i], map));
		clear_bit(nrs[i], map);
		CHECK(!test_bit(nrs[i], map));
		CHECK(map[0] == 0 && map[1] == 0 && map[2] == 0 && map[3] == 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		CHECK_EQ(get_count_order(t[i].count), t[i].order);
		CHECK_EQ(get_count_order_long(t[i].count), t[i].order);
	}
	for (size_t i = 0; i < ARRAY_SIZE(tl); i++)
		CHECK_EQ(get_count_order_long(tl[i].count), tl[i].order);
}

static void test_rotate_extend(void)
{
	CHECK(rol32(0x80000001u, 1) == 3);
	CHECK(ror32(3, 1) == 0x80000001u);
	CHECK(rol32(0x12345678u, 0) == 0x12345678u);
	CHECK(rol32(0x12345678u, 32) == 0x12345678u);
	CHECK(rol64(1ULL << 63, 1) == 1);
	CHECK(ror64(1, 4) == 1ULL << 60);
	CHECK(rol16(0x8001, 4) == 0x0018);
	CHECK(ror16(0x0018, 4) == 0x8001);
	CHECK(rol8(0x81, 1) == 0x03);
	CHECK(ror8(0x03, 1) == 0x81);
	CHECK_EQ(sign_extend32(0x80, 7), -128);
	CHECK_EQ(sign_extend32(0x7f, 7), 127);
	CHECK_EQ(sign_extend32(0xffffffffu, 31), -1);
	CHECK_EQ(sign_extend64(0x8000000000ULL, 39), -(1LL << 39));
	CHECK_EQ(sign_extend64(0x7fULL, 7), 127);
}

int main(void)
{
	KTEST_RUN(KTEST(test_genmask), KTEST(test_genmask_ull), KTEST(test_genmask_u128),
		  KTEST(test_genmask_input_check), KTEST(test_bit_macros), KTEST(test_single_bits),
		  KTEST(test_counting), KTEST(test_bitops_kunit), KTEST(test_rotate_extend));
}
#endif /* BITS_BUILD_FAILURE */
