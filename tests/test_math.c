/* SPDX-License-Identifier: MIT */
/*
 * The kernel's small arithmetic headers: linux/log2.h (ilog2 and the
 * power-of-two helpers, constant-folded for constants as in the kernel),
 * the ffs family (the table of the kernel's lib/tests/ffs_kunit.c),
 * linux/math.h and kernel.h (DIV_ROUND_*, roundup/rounddown, mult_frac,
 * abs_diff, reciprocal_scale), linux/minmax.h (min/max as constant
 * expressions, umin, clamp_val, in_range), is_signed_type (the kernel's
 * lib/tests/is_signed_type_kunit.c), linux/align.h, linux/container_of.h
 * and linux/err.h.
 */
#include <linux/align.h>
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/container_of.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/sizes.h>

#ifdef MATH_BUILD_FAILURE
/* Must not build, as in the kernel (tests/CMakeLists.txt); case 0 is the control. */
struct outer_f { int a; long b; };
int main(void)
{
	struct outer_f o;
	int *wrong = &o.a;

#if MATH_BUILD_FAILURE == 0
	return container_of(wrong, struct outer_f, a) != &o;
#elif MATH_BUILD_FAILURE == 1
	return container_of(wrong, struct outer_f, b) != &o;	/* int * for a long member */
#elif MATH_BUILD_FAILURE == 2
	return (int)ARRAY_SIZE(wrong);				/* a pointer, not an array */
#endif
}
#else
#include "ktest.h"

static volatile unsigned long v_zero = 0, v_one = 1;	/* run-time values */

/* Constant expressions, as the kernel allows them. */
static char ilog2_array[ilog2(4096)];
static const int folded[] = {
	ilog2(1), ilog2(2), ilog2(3), ilog2(1UL << 40),
	(int)roundup_pow_of_two(5), (int)rounddown_pow_of_two(5), order_base_2(5),
	bits_per(4), MIN(3, 7), MAX(3, 7), MIN(2, 1), MAX_T(int, 2, 1),
};
static_assert(sizeof(ilog2_array) == 12, "ilog2 of a constant is a constant");
static_assert(ARRAY_SIZE(folded) == 12, "ARRAY_SIZE of an array is a constant");

static void test_ilog2(void)
{
	CHECK(folded[0] == 0 && folded[1] == 1 && folded[2] == 1 && folded[3] == 40);
	CHECK(folded[4] == 8 && folded[5] == 4 && folded[6] == 3 && folded[7] == 3);
	CHECK(folded[8] == 3 && folded[9] == 7 && folded[10] == 1 && folded[11] == 2);
	/* Run time: ilog2(0) is -1 (fls64(0) - 1), as in the kernel. */
	CHECK_EQ(ilog2(v_zero), -1);
	CHECK_EQ(ilog2(v_one), 0);
	for (unsigned int i = 0; i < 64; i++) {
		unsigned long p = v_one << i;

		CHECK_EQ(ilog2(p), i);
		if (i > 1)
			CHECK_EQ(ilog2(p - 1), i - 1);
		CHECK_EQ(ilog2(p | (p >> 1)), i);
	}
	{
		u32 small = 0x80000000u + (u32)v_zero;

		CHECK_EQ(ilog2(small), 31);
	}
	CHECK_EQ(__ilog2_u32(0), -1);
	CHECK_EQ(__ilog2_u64(1ULL << 63), 63);
}

static void test_pow2(void)
{
	unsigned long n;

	CHECK(!is_power_of_2(0) && is_power_of_2(1) && is_power_of_2(1UL << 63));
	CHECK(!is_power_of_2(3) && !is_power_of_2((1UL << 63) + 1));
	CHECK_EQ(roundup_pow_of_two(v_one), 1);
	CHECK_EQ(roundup_pow_of_two(v_one + 4), 8);
	CHECK_EQ(roundup_pow_of_two(v_one + 7), 8);
	CHECK_EQ(rounddown_pow_of_two(v_one + 6), 4);
	CHECK_EQ(rounddown_pow_of_two(v_one << 63), 1UL << 63);
	CHECK_EQ(order_base_2(v_zero), 0);
	CHECK_EQ(order_base_2(v_one), 0);
	CHECK_EQ(order_base_2(v_one + 1), 1);
	CHECK_EQ(order_base_2(v_one + 2), 2);
	CHECK_EQ(order_base_2(v_one + 3), 2);
	CHECK_EQ(order_base_2(v_one + 4), 3);
	CHECK_EQ(bits_per(v_zero), 1);
	CHECK_EQ(bits_per(v_one), 1);
	CHECK_EQ(bits_per(v_one + 3), 3);	/* 4: 100 */
	CHECK_EQ(bits_per(v_one + 4), 3);	/* 5: 101 */
	CHECK_EQ(bits_per(v_one + 7), 4);	/* 8: 1000 */
	CHECK_EQ(max_pow_of_two_factor(v_one + 11), 4);	/* 12 */
	/* The constant and the run-time forms agree. */
	for (n = 2; n < 70; n++) {
		unsigned long r = n + v_zero;

		CHECK_EQ(roundup_pow_of_two(r), 1UL << order_base_2(r));
		CHECK_EQ(rounddown_pow_of_two(r), 1UL << ilog2(r));
		CHECK_EQ(bits_per(r), ilog2(r) + 1);
	}
	CHECK_EQ(bits_per(64), 7);
	CHECK_EQ(roundup_pow_of_two(8), 8);
	CHECK_EQ(roundup_pow_of_two(4097), 8192);
	CHECK_EQ(rounddown_pow_of_two(4097), 4096);
	CHECK_EQ(order_base_2(64), 6);
	CHECK_EQ(order_base_2(65), 7);
}

/* lib/tests/ffs_kunit.c's table: input, ffs, fls. */
static void test_ffs_family(void)
{
	static const struct { unsigned long in; int ffs, fls; } t[] = {
		{ 0, 0, 0 }, { 1, 1, 1 }, { 2, 2, 2 }, { 0x80, 8, 8 }, { 0x8000, 16, 16 },
		{ 0x10000, 17, 17 }, { 0x40000000, 31, 31 }, { 0x80000000, 32, 32 },
		{ 0xffffffff, 1, 32 }, { 0x7fffffff, 1, 31 }, { 0x101, 1, 9 },
		{ 0x80000001, 1, 32 }, { 0x40000002, 2, 31 },
	};
	static const struct { u64 in; int fls64; unsigned int ffs64; } t64[] = {
		{ 1, 1, 0 }, { 0x100000000ULL, 33, 32 }, { 0x8000000000000000ULL, 64, 63 },
		{ ~0ULL, 64, 0 }, { 0xffffffff00000000ULL, 64, 32 }, { 0x4000000000000002ULL, 63, 1 },
		{ 0x00000001ffffffffULL, 33, 0 }, { 0xffffffff80000000ULL, 64, 31 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		CHECK_EQ(ffs((int)t[i].in), t[i].ffs);
		CHECK_EQ(fls((unsigned int)t[i].in), t[i].fls);
		if (t[i].in) {
			CHECK_EQ(__ffs(t[i].in), t[i].ffs - 1);
			CHECK_EQ(__fls(t[i].in), t[i].fls - 1);
		}
	}
	CHECK_EQ(fls64(0), 0);
	for (size_t i = 0; i < ARRAY_SIZE(t64); i++) {
		CHECK_EQ(fls64(t64[i].in), t64[i].fls64);
		CHECK_EQ(__ffs64(t64[i].in), t64[i].ffs64);
	}
	CHECK_EQ(ffz(0), 0);
	CHECK_EQ(ffz(0xfffffffeUL), 0);
	CHECK_EQ(ffz(0xffff7fffUL), 15);
	CHECK_EQ(ffz(0x7fffffffUL), 31);
	CHECK_EQ(ffz(0xffffffffUL), 32);
}

static void test_div_round(void)
{
	int neg7 = -7 + (int)v_zero;

	CHECK_EQ(DIV_ROUND_UP(9, 4), 3);
	CHECK_EQ(DIV_ROUND_UP(8, 4), 2);
	CHECK_EQ(DIV_ROUND_UP_ULL((1ULL << 62) + 1, 1ULL << 60), 5);
	CHECK_EQ(DIV_ROUND_DOWN_ULL(10, 4), 2);
	CHECK_EQ(DIV_ROUND_UP_POW2(~0UL, 2UL), 1UL << 63);	/* no overflow */
	CHECK_EQ(DIV_ROUND_UP_POW2(8, 4), 2);
	CHECK_EQ(DIV_ROUND_UP_POW2(9, 4), 3);
	/* Nearest, halves away from zero, for either sign. */
	CHECK_EQ(DIV_ROUND_CLOSEST(7, 2), 4);
	CHECK_EQ(DIV_ROUND_CLOSEST(5, 3), 2);
	CHECK_EQ(DIV_ROUND_CLOSEST(4, 3), 1);
	CHECK_EQ(DIV_ROUND_CLOSEST(neg7, 2), -4);
	CHECK_EQ(DIV_ROUND_CLOSEST(-5, 3), -2);
	CHECK_EQ(DIV_ROUND_CLOSEST(-4, 3), -1);
	CHECK_EQ(DIV_ROUND_CLOSEST(7, -2), -4);
	CHECK_EQ(DIV_ROUND_CLOSEST(-7, -2), 4);
	CHECK_EQ(DIV_ROUND_CLOSEST(7u, 2), 4);
	CHECK_EQ(DIV_ROUND_CLOSEST_ULL(7, 2), 4);
	CHECK_EQ(DIV_ROUND_CLOSEST_ULL((1ULL << 40) + (1ULL << 31), 1ULL << 32), 257);
	CHECK_EQ(roundup(10, 3), 12);
	CHECK_EQ(roundup(12, 3), 12);
	CHECK_EQ(rounddown(11, 3), 9);
	CHECK_EQ(round_up(9, 4), 12);
	CHECK_EQ(round_down(9, 4), 8);
	CHECK_EQ(mult_frac(1000000000u, 3u, 4u), 750000000u);
	CHECK_EQ(mult_frac(0xffffffffu, 3u, 4u), 0xbfffffffu);	/* x * n would overflow */
	CHECK_EQ(abs_diff(3u, 10u), 7);
	CHECK_EQ(abs_diff(-5, 5), 10);
	CHECK_EQ(reciprocal_scale(0, 10), 0);
	CHECK_EQ(reciprocal_scale(0xffffffffu, 10), 9);
	CHECK_EQ(reciprocal_scale(0x80000000u, 10), 5);
	CHECK_EQ(upper_32_bits(0x123456789aULL), 0x12);
	CHECK_EQ(lower_32_bits(0x123456789aULL), 0x3456789a);
}

static void test_minmax(void)
{
	int a = 3, b = -4, calls = 0, big = 300;
	unsigned int u = 7;

	/* Inside a function, min()/max() of constants are constant expressions (kernel). */
	BUILD_BUG_ON(min(10, 20) != 10 || max(10u, 20u) != 20u);

	CHECK_EQ(min(a, b), -4);
	CHECK_EQ(max(a, b), 3);
	CHECK_EQ(min(a++, 10), 3);	/* each argument evaluated once */
	CHECK_EQ(a, 4);
	CHECK_EQ(max((calls++, 1), 0), 1);
	CHECK_EQ(calls, 1);
	CHECK_EQ(min3(5, 2, 9), 2);
	CHECK_EQ(max3(5, 2, 9), 9);
	CHECK_EQ(min_t(int, -1, 1u), -1);
	CHECK_EQ(max_t(u8, big, 2), 44);	/* 300 as u8 */
	CHECK_EQ(MIN_T(int, 5, -1), -1);
	CHECK_EQ(umin(-1, 5u), 5u);		/* -1 as unsigned is huge */
	/* An int -1 widens through unsigned int, as in the kernel: 0xffffffff. */
	CHECK(umax(-1, 5u) == 0xffffffffULL);
	CHECK_EQ(clamp(15, 0, 10), 10);
	CHECK_EQ(clamp(-3, 0, 10), 0);
	CHECK_EQ(clamp(5, 0, 10), 5);
	CHECK_EQ(clamp_t(int, 300, 0, 255), 255);
	CHECK_EQ(clamp_val(u, 0, 5), 5);
	{
		u8 v8 = 200;

		/* The bounds are taken in @val's type: 300 becomes 44, as in the kernel. */
		CHECK_EQ(clamp_val(v8, 0, big), 44);
	}
	CHECK_EQ(min_not_zero(0, 4), 4);
	CHECK_EQ(min_not_zero(3, 4), 3);
	CHECK_EQ(min_not_zero(0, 0), 0);
	CHECK(in_range(5, 5, 1) && !in_range(6, 5, 1) && !in_range(4, 5, 10));
	CHECK(in_range(0xfffffffffffffff0ULL, 0xfffffffffffffff0ULL, 16));
	/* 32-bit operands wrap in 32 bits, as the kernel's in_range32(). */
	CHECK(in_range(0u, 0xffffffffu, 2u));
	swap(a, b);
	CHECK(a == -4 && b == 4);
}

enum unsigned_enum { constant_a = 3 };
enum signed_enum { constant_b = -1, constant_c = 2 };

static void test_is_signed_type(void)
{
	CHECK(!is_signed_type(bool));
	CHECK(is_signed_type(signed char));
	CHECK(!is_signed_type(unsigned char));
#ifdef __CHAR_UNSIGNED__
	CHECK(!is_signed_type(char));
#else
	CHECK(is_signed_type(char));
#endif
	CHECK(is_signed_type(int) && !is_signed_type(unsigned int));
	CHECK(is_signed_type(long) && !is_signed_type(unsigned long));
	CHECK(is_signed_type(long long) && !is_signed_type(unsigned long long));
	CHECK(!is_signed_type(enum unsigned_enum));
	CHECK(is_signed_type(enum signed_enum));
	CHECK(!is_signed_type(void *));
	CHECK(!is_signed_type(const char *));
	CHECK(is_unsigned_type(size_t));
}

struct outer {
	int a;
	long b;
	char c[3];
};

static void test_align_container_err(void)
{
	struct outer o;
	void *e = ERR_PTR(-ENOMEM);

	CHECK_EQ(ALIGN(13, 8), 16);
	CHECK_EQ(ALIGN(16, 8), 16);
	CHECK_EQ(ALIGN_DOWN(13, 8), 8);
	CHECK(IS_ALIGNED(64, 32) && !IS_ALIGNED(65, 32));
	CHECK(PTR_ALIGN((char *)0x1001, 16) == (char *)0x1010);
	CHECK(PTR_ALIGN_DOWN((char *)0x101f, 16) == (char *)0x1010);
	CHECK_EQ(__ALIGN_MASK(13, 7), 16);
	CHECK(SZ_1 == 1 && SZ_8G == 8ULL << 30 && SZ_512G == 512ULL << 30);
	CHECK(SZ_1T == 1ULL << 40 && SZ_64T == 64ULL << 40);
	CHECK(ALIGN(0xfffffffffffff001ULL, 4096) == 0xfffffffffffff000ULL + 4096);
	CHECK(container_of(&o.c, struct outer, c) == &o);
	CHECK(container_of(&o.b, struct outer, b) == &o);
	CHECK(container_of((void *)&o.b, struct outer, b) == &o);	/* void * is accepted */
	{
		const struct outer *co = &o;
		const long *cb = &co->b;

		/* container_of_const() keeps const: this assignment needs a const pointer. */
		const struct outer *back = container_of_const(cb, struct outer, b);

		CHECK(back == &o);
		CHECK(_Generic(container_of_const(cb, struct outer, b), const struct outer *: 1,
			       default: 0));
		CHECK(_Generic(container_of_const(&o.b, struct outer, b), struct outer *: 1,
			       default: 0));
	}

	CHECK(IS_ERR(e) && IS_ERR_OR_NULL(e) && PTR_ERR(e) == -ENOMEM);
	CHECK(!IS_ERR(NULL) && IS_ERR_OR_NULL(NULL));
	CHECK(IS_ERR(ERR_PTR(-MAX_ERRNO)) && !IS_ERR(ERR_PTR(-MAX_ERRNO - 1)));
	CHECK(!IS_ERR(&o));
	CHECK_EQ(PTR_ERR_OR_ZERO(e), -ENOMEM);
	CHECK_EQ(PTR_ERR_OR_ZERO(&o), 0);
	CHECK(ERR_CAST(e) == e);
	CHECK(IS_ERR_VALUE((unsigned long)-1) && !IS_ERR_VALUE(0UL));
}

int main(void)
{
	KTEST_RUN(KTEST(test_ilog2), KTEST(test_pow2), KTEST(test_ffs_family),
		  KTEST(test_div_round), KTEST(test_minmax), KTEST(test_is_signed_type),
		  KTEST(test_align_container_err));
}
#endif /* MATH_BUILD_FAILURE */
