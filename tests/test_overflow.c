/* SPDX-License-Identifier: MIT */
/*
 * linux/overflow.h, with the expectations of the kernel's
 * lib/overflow_kunit.c: the checked operations give the wrapped result and
 * the right verdict for every pair of edge values of every integer width,
 * signed and unsigned (checked against 128-bit arithmetic, not against a
 * second copy of the rule), with operands of mixed types; check_shl_overflow
 * refuses negative values, shifts past the width and lost bits;
 * type_max/type_min, overflows_type and castable_to_type; the size helpers
 * saturate at SIZE_MAX and stay there; struct_size() of a constant count is
 * a constant expression, of an overflowing count SIZE_MAX, which the
 * allocators then refuse; DEFINE_FLEX builds a zeroed on-stack object with
 * its counter set; range_overflows().
 */
#include "ktest.h"

#include <limits.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

typedef __int128 s128;

/*
 * The saturated sizes below are constants once folded, and gcc warns about
 * a constant allocation size above PTRDIFF_MAX; the allocators refusing
 * them is what is tested.  (The kernel builds with this warning off.)
 */
#pragma GCC diagnostic ignored "-Walloc-size-larger-than="

/*
 * For each operand pair of @type's edge values: the three operations'
 * stored results and verdicts, against the exact value in 128 bits (a
 * product of two 64-bit values needs the unsigned 128-bit type when both
 * are unsigned).
 */
#define CHECK_ARITH_TYPE(type, ...) do {						\
	static const type vals[] = { __VA_ARGS__ };					\
	for (size_t i = 0; i < ARRAY_SIZE(vals); i++)					\
		for (size_t j = 0; j < ARRAY_SIZE(vals); j++) {				\
			type a = vals[i], b = vals[j], r;				\
			s128 exact_sum = (s128)a + (s128)b;				\
			s128 exact_diff = (s128)a - (s128)b;				\
			bool of;							\
											\
			of = check_add_overflow(a, b, &r);				\
			CHECK_EQ(of, exact_sum != (s128)r);				\
			CHECK(r == (type)exact_sum);					\
			of = check_sub_overflow(a, b, &r);				\
			CHECK_EQ(of, exact_diff != (s128)r);				\
			CHECK(r == (type)exact_diff);					\
			of = check_mul_overflow(a, b, &r);				\
			if (is_signed_type(type)) {					\
				s128 exact = (s128)a * (s128)b;				\
				CHECK_EQ(of, exact != (s128)r);				\
				CHECK(r == (type)exact);				\
			} else {							\
				unsigned __int128 exact =				\
					(unsigned __int128)a * (unsigned __int128)b;	\
				CHECK_EQ(of, exact != (unsigned __int128)r);		\
				CHECK(r == (type)exact);				\
			}								\
		}									\
} while (0)

static void test_checked_arithmetic(void)
{
	CHECK_ARITH_TYPE(u8, 0, 1, 2, 15, 16, 127, 128, 254, 255);
	CHECK_ARITH_TYPE(s8, 0, 1, 2, -1, -2, 63, 64, 126, 127, -127, -128);
	CHECK_ARITH_TYPE(u16, 0, 1, 2, 255, 256, 32767, 32768, 65534, 65535);
	CHECK_ARITH_TYPE(s16, 0, 1, -1, 181, 182, -182, 32766, 32767, -32767, -32768);
	CHECK_ARITH_TYPE(u32, 0, 1, 2, 65535, 65536, 0x7fffffffU, 0x80000000U, 0xfffffffeU,
			 0xffffffffU);
	CHECK_ARITH_TYPE(s32, 0, 1, -1, 46340, 46341, -46341, INT_MAX - 1, INT_MAX, INT_MIN + 1,
			 INT_MIN);
	CHECK_ARITH_TYPE(u64, 0, 1, 2, 0xffffffffULL, 0x100000000ULL, 1ULL << 63,
			 (1ULL << 63) - 1, ~0ULL - 1, ~0ULL);
	CHECK_ARITH_TYPE(s64, 0, 1, -1, 3037000499LL, 3037000500LL, -3037000500LL,
			 LLONG_MAX - 1, LLONG_MAX, LLONG_MIN + 1, LLONG_MIN);
}

/* Operands of one type, result of another: the verdict is about the result's type. */
static void test_mixed_types(void)
{
	u8 small;
	s16 s;
	u32 u;
	int i = -1;

	CHECK(!check_add_overflow((u8)200, 55, &small) && small == 255);
	CHECK(check_add_overflow((u8)200, 56, &small) && small == 0);
	CHECK(!check_mul_overflow((u8)200, 100, &s) && s == 20000);
	CHECK(check_mul_overflow((u8)200, 200, &s) && s == (s16)40000);
	/* A negative result does not fit an unsigned type, whatever the operands' types. */
	CHECK(check_add_overflow(i, 0, &u) && u == UINT_MAX);
	CHECK(check_sub_overflow(0U, 1U, &u) && u == UINT_MAX);
	CHECK(!check_sub_overflow(0U, 1U, &s) && s == -1);
	/* 64-bit operands, a 32-bit result. */
	CHECK(check_add_overflow(0xffffffffULL, 1ULL, &u) && u == 0);
	CHECK(!check_add_overflow(0xfffffffeULL, 1ULL, &u) && u == 0xffffffffU);
}

#define CHECK_SHL(a, s, type, expect, overflows) do {					\
	type __d;									\
	bool __of = check_shl_overflow(a, s, &__d);					\
	if (__of != (overflows))							\
		fprintf(stderr, "%s:%d: check_shl_overflow(%s, %s, %s) said %d\n",	\
			__FILE__, __LINE__, #a, #s, #type, __of);			\
	CHECK_EQ(__of, overflows);							\
	if (!(overflows))								\
		CHECK(__d == (type)(expect));						\
} while (0)

static void test_shl(void)
{
	int minus_one = -1;

	CHECK_SHL(1, 0, u8, 1, false);
	CHECK_SHL(1, 7, u8, 0x80, false);
	CHECK_SHL(0xf, 4, u8, 0xf0, false);
	CHECK_SHL(0x10, 4, u8, 0, true);		/* a bit lost off the top */
	CHECK_SHL(1, 8, u8, 0, true);			/* a shift by the width */
	CHECK_SHL(0, 8, u8, 0, true);			/* even of nothing */
	CHECK_SHL(1, 30, int, 1 << 30, false);
	CHECK_SHL(1, 31, int, 0, true);			/* into the sign bit */
	CHECK_SHL(1, 31, u32, 0x80000000U, false);
	CHECK_SHL(0xffffffffU, 0, u32, 0xffffffffU, false);
	CHECK_SHL(0xffffffffU, 1, u32, 0, true);
	CHECK_SHL(1ULL, 63, u64, 1ULL << 63, false);
	CHECK_SHL(1LL, 63, s64, 0, true);
	CHECK_SHL(1ULL, 64, u64, 0, true);
	CHECK_SHL(0x1234, 16, u64, 0x12340000ULL, false);
	CHECK_SHL(minus_one, 0, int, 0, true);		/* a negative value */
	CHECK_SHL(1, minus_one, int, 0, true);		/* a negative shift */
	CHECK_SHL(1, 10, u8, 0, true);
	CHECK_SHL(3, 62, u64, 3ULL << 62, false);
	CHECK_SHL(3, 63, u64, 0, true);
}

static void test_type_limits(void)
{
	CHECK_EQ(type_max(u8), 255);
	CHECK_EQ(type_min(u8), 0);
	CHECK_EQ(type_max(s8), 127);
	CHECK_EQ(type_min(s8), -128);
	CHECK(type_max(u32) == UINT_MAX);
	CHECK(type_max(s32) == INT_MAX && type_min(s32) == INT_MIN);
	CHECK(type_max(u64) == ULLONG_MAX && type_min(u64) == 0);
	CHECK(type_max(s64) == LLONG_MAX && type_min(s64) == LLONG_MIN);
	CHECK(type_max(size_t) == SIZE_MAX);
	CHECK(is_signed_type(long) && !is_signed_type(size_t));

	int i = 0;
	u8 b = 0;
	CHECK(type_max(i) == INT_MAX && type_max(b) == 255);	/* of an expression */

	CHECK(!overflows_type(255, u8));
	CHECK(overflows_type(256, u8));
	CHECK(overflows_type(-1, u32));
	CHECK(!overflows_type(-1, s8));
	CHECK(overflows_type(INT_MAX, s16));
	CHECK(overflows_type(ULLONG_MAX, s64));
	CHECK(!overflows_type(LLONG_MIN, s64));
	CHECK(overflows_type(LLONG_MIN, int));
	CHECK(!overflows_type(200, b));				/* T as a variable */

	CHECK(castable_to_type(255, u8));
	CHECK(!castable_to_type(256, u8));
	CHECK(!castable_to_type(-1, u64));
	CHECK(castable_to_type(i, int));			/* not a constant: the type decides */
	CHECK(!castable_to_type(i, u8));
}

static void test_wrapping(void)
{
	u8 b = 250;

	CHECK_EQ(wrapping_add(u8, 250, 10), 4);
	CHECK_EQ(wrapping_sub(u8, 3, 5), 254);
	CHECK_EQ(wrapping_mul(s8, 64, 2), -128);
	CHECK_EQ(wrapping_assign_add(b, 10), 4);
	CHECK_EQ(b, 4);
	CHECK_EQ(wrapping_assign_sub(b, 5), 255);
	CHECK_EQ(b, 255);
}

static void test_size_helpers(void)
{
	CHECK_EQ(size_mul(3, 7), 21);
	CHECK(size_mul(SIZE_MAX / 2, 3) == SIZE_MAX);
	CHECK(size_mul(SIZE_MAX, 0) == 0);
	CHECK_EQ(size_add(3, 7), 10);
	CHECK(size_add(SIZE_MAX, 1) == SIZE_MAX);
	CHECK(size_add(SIZE_MAX - 1, 1) == SIZE_MAX);
	CHECK_EQ(size_sub(7, 3), 4);
	CHECK(size_sub(3, 7) == SIZE_MAX);
	/* Saturated stays saturated: SIZE_MAX - anything is not a plausible size. */
	CHECK(size_sub(SIZE_MAX, 1) == SIZE_MAX);
	CHECK(size_sub(10, SIZE_MAX) == SIZE_MAX);
	CHECK(size_add(size_mul(SIZE_MAX, 2), 0) == SIZE_MAX);

	CHECK_EQ(array_size(1000, 1000), 1000000);
	CHECK(array_size(SIZE_MAX / 8, 9) == SIZE_MAX);
	CHECK_EQ(array3_size(10, 20, 30), 6000);
	CHECK(array3_size(SIZE_MAX / 4, 2, 3) == SIZE_MAX);
	CHECK(array3_size(3, SIZE_MAX / 2, 4) == SIZE_MAX);
}

struct sample_flex {
	u32 counter;
	u64 header[2];
	u32 items[];
};

/* A constant count keeps these integer constant expressions. */
_Static_assert(struct_size_t(struct sample_flex, items, 4) == sizeof(struct sample_flex) + 16,
	       "struct_size_t of a constant count");
_Static_assert(__is_constexpr(flex_array_size((struct sample_flex *)0, items, 3)),
	       "flex_array_size of a constant count is a constant expression");

static void test_struct_size(void)
{
	struct sample_flex *p = NULL;	/* never dereferenced */
	volatile size_t n = 10;
	size_t huge = SIZE_MAX / 2, quarter = SIZE_MAX / 4;

	CHECK_EQ(flex_array_size(p, items, n), 40);
	CHECK_EQ(struct_size(p, items, n), sizeof(*p) + 40);
	CHECK_EQ(struct_size(p, items, 0), sizeof(*p));
	CHECK(flex_array_size(p, items, huge) == SIZE_MAX);
	CHECK(struct_size(p, items, huge) == SIZE_MAX);
	/* The array fits, the header pushes it over. */
	CHECK(flex_array_size(p, items, quarter) == SIZE_MAX - 3);
	CHECK(struct_size(p, items, quarter) == SIZE_MAX);
	CHECK(!__is_constexpr(n));

	/* As the kernel's documentation asks it to be used: a real block, then a refusal. */
	p = kmalloc(struct_size(p, items, n), GFP_KERNEL);
	CHECK(p != NULL);
	if (p) {
		CHECK(ksize(p) >= sizeof(*p) + 40);
		p->counter = n;
		memset(p->items, 0xab, flex_array_size(p, items, n));
		kfree(p);
	}
	p = kmalloc(struct_size(p, items, huge), GFP_KERNEL | __GFP_NOWARN);
	CHECK(p == NULL);
	p = kzalloc(struct_size(p, items, huge), GFP_KERNEL | __GFP_NOWARN);
	CHECK(p == NULL);
	p = kvmalloc(struct_size(p, items, huge), GFP_KERNEL | __GFP_NOWARN);
	CHECK(p == NULL);
	CHECK(__vmalloc(array_size(huge, 4), GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(kmalloc_array(huge, 4, GFP_KERNEL | __GFP_NOWARN) == NULL);
}

static void test_define_flex(void)
{
	DEFINE_FLEX(struct sample_flex, f, items, counter, 5);
	DEFINE_RAW_FLEX(struct sample_flex, raw, items, 3);

	CHECK_EQ(f->counter, 5);
	/* At least the count asked for; the union's padding may add to it. */
	CHECK(STACK_FLEX_ARRAY_SIZE(f, items) >= 5 &&
	      STACK_FLEX_ARRAY_SIZE(f, items) <= 5 + sizeof(u64) / sizeof(u32));
	CHECK(sizeof(f_u) >= struct_size_t(struct sample_flex, items, 5));
	for (int i = 0; i < 5; i++)
		CHECK_EQ(f->items[i], 0);
	CHECK_EQ(f->header[0] | f->header[1], 0);
	f->items[4] = 7;	/* the last element is ours to write */
	CHECK_EQ(f->items[4], 7);

	CHECK_EQ(raw->counter, 0);
	CHECK(STACK_FLEX_ARRAY_SIZE(raw, items) >= 3 &&
	      STACK_FLEX_ARRAY_SIZE(raw, items) <= 3 + sizeof(u64) / sizeof(u32));
	for (int i = 0; i < 3; i++)
		CHECK_EQ(raw->items[i], 0);
}

static void test_ranges(void)
{
	CHECK(!range_overflows(0, 10, 10));
	CHECK(range_overflows(1, 10, 10));
	CHECK(range_overflows(10, 0, 10));	/* starts at the end */
	CHECK(!range_end_overflows(10, 0, 10));
	CHECK(range_end_overflows(11, 0, 10));
	CHECK(range_overflows(5U, UINT_MAX, 100U));
	CHECK(!range_overflows(4096UL, 4096UL, 8192UL));
	CHECK(range_overflows_t(u64, 1, ULLONG_MAX, ULLONG_MAX));
	CHECK(!range_end_overflows_t(u32, 0, 4096, 4096));
}

/*
 * same_type_test (lib/tests/overflow_kunit.c): type_max() and type_min()
 * of a type are values of that very type (not promoted to int), so that
 * __same_type() holds between the type and both limits, both ways round,
 * and fails between types of different width or signedness.
 */
#define SAME_TYPE_PAIR(t1, t2, same)	do {					\
	t1 t1_hi = type_max(t1), t1_lo = type_min(t1);				\
	t2 t2_hi = type_max(t2), t2_lo = type_min(t2);				\
	CHECK(__same_type(t1, type_max(t1)) && __same_type(type_min(t1), t1));	\
	CHECK(__same_type(t2, type_max(t2)) && __same_type(type_min(t2), t2));	\
	CHECK(__same_type(t1_hi, t1) && __same_type(t1_lo, t1));		\
	CHECK_EQ(__same_type(t1, t2), same);					\
	CHECK_EQ(__same_type(t2, t1_hi), same);					\
	CHECK_EQ(__same_type(t1_lo, t2), same);					\
	CHECK_EQ(__same_type(t1, t2_hi), same);					\
	CHECK_EQ(__same_type(t2_lo, t1), same);					\
	CHECK_EQ(__same_type(t1_hi, t2_lo), same);				\
} while (0)

static void test_same_type(void)
{
	int var = 0;

	SAME_TYPE_PAIR(u8, u8, true);
	SAME_TYPE_PAIR(u16, u16, true);
	SAME_TYPE_PAIR(u32, u32, true);
	SAME_TYPE_PAIR(u64, u64, true);
	SAME_TYPE_PAIR(s8, s8, true);
	SAME_TYPE_PAIR(s16, s16, true);
	SAME_TYPE_PAIR(s32, s32, true);
	SAME_TYPE_PAIR(s64, s64, true);
	SAME_TYPE_PAIR(u8, s8, false);
	SAME_TYPE_PAIR(u8, u16, false);
	SAME_TYPE_PAIR(u16, s16, false);
	SAME_TYPE_PAIR(u32, s32, false);
	SAME_TYPE_PAIR(u32, u64, false);
	SAME_TYPE_PAIR(s32, s64, false);
	SAME_TYPE_PAIR(u64, s64, false);
	SAME_TYPE_PAIR(int, s32, true);		/* typedefs of one type */
	SAME_TYPE_PAIR(size_t, unsigned long, true);
	SAME_TYPE_PAIR(size_t, u32, false);
	/* A variable against its own type's limits. */
	CHECK(__same_type(var, type_max(int)) && __same_type(type_min(int), var));
	CHECK(!__same_type(var, type_max(long)));
	(void)var;
}

/*
 * overflow_allocation_test (lib/tests/overflow_kunit.c): every allocator
 * of the kmalloc, vmalloc, kvmalloc and devm families, each asked three
 * times: 1 byte (must succeed), a product of two sizes that wraps round
 * to 16 KiB when multiplied unchecked (must succeed too: the allocator
 * sees a small size, which is exactly why the checked helpers exist), and
 * the same product through array_size(), which saturates at SIZE_MAX and
 * must be refused.
 */
#include <linux/device.h>
#include <ukmem/boot.h>

/* 5 pages; (SIZE_MAX / 5 pages + 1) of them wrap round to 16 KiB. */
#define OVF_ALLOC_UNIT	(5 * 4096UL)
#define OVF_ALLOC_GFP	(GFP_KERNEL | __GFP_NOWARN)

struct ovf_allocator {
	const char *name;
	void *(*alloc)(struct device *dev, size_t size);
	void (*free)(struct device *dev, void *p);
};

static void *ovf_kmalloc(struct device *d, size_t n) { (void)d; return kmalloc(n, OVF_ALLOC_GFP); }
static void *ovf_kmalloc_node(struct device *d, size_t n) { (void)d; return kmalloc_node(n, OVF_ALLOC_GFP, NUMA_NO_NODE); }
static void *ovf_kzalloc(struct device *d, size_t n) { (void)d; return kzalloc(n, OVF_ALLOC_GFP); }
static void *ovf_kzalloc_node(struct device *d, size_t n) { (void)d; return kzalloc_node(n, OVF_ALLOC_GFP, NUMA_NO_NODE); }
static void *ovf_vmalloc(struct device *d, size_t n) { (void)d; return vmalloc(n); }
static void *ovf_vmalloc_node(struct device *d, size_t n) { (void)d; return vmalloc_node(n, NUMA_NO_NODE); }
static void *ovf_vzalloc(struct device *d, size_t n) { (void)d; return vzalloc(n); }
static void *ovf_vzalloc_node(struct device *d, size_t n) { (void)d; return vzalloc_node(n, NUMA_NO_NODE); }
static void *ovf_kvmalloc(struct device *d, size_t n) { (void)d; return kvmalloc(n, OVF_ALLOC_GFP); }
static void *ovf_kvmalloc_node(struct device *d, size_t n) { (void)d; return kvmalloc_node(n, OVF_ALLOC_GFP, NUMA_NO_NODE); }
static void *ovf_kvzalloc(struct device *d, size_t n) { (void)d; return kvzalloc(n, OVF_ALLOC_GFP); }
static void *ovf_kvzalloc_node(struct device *d, size_t n) { (void)d; return kvzalloc_node(n, OVF_ALLOC_GFP, NUMA_NO_NODE); }
static void *ovf_devm_kmalloc(struct device *d, size_t n) { return devm_kmalloc(d, n, OVF_ALLOC_GFP); }
static void *ovf_devm_kzalloc(struct device *d, size_t n) { return devm_kzalloc(d, n, OVF_ALLOC_GFP); }

static void ovf_kfree(struct device *d, void *p) { (void)d; kfree(p); }
static void ovf_vfree(struct device *d, void *p) { (void)d; vfree(p); }
static void ovf_kvfree(struct device *d, void *p) { (void)d; kvfree(p); }
static void ovf_devm_kfree(struct device *d, void *p) { devm_kfree(d, p); }

static void test_overflow_allocation(void)
{
	static const struct ovf_allocator allocators[] = {
		{ "kmalloc", ovf_kmalloc, ovf_kfree },
		{ "kmalloc_node", ovf_kmalloc_node, ovf_kfree },
		{ "kzalloc", ovf_kzalloc, ovf_kfree },
		{ "kzalloc_node", ovf_kzalloc_node, ovf_kfree },
		{ "vmalloc", ovf_vmalloc, ovf_vfree },
		{ "vmalloc_node", ovf_vmalloc_node, ovf_vfree },
		{ "vzalloc", ovf_vzalloc, ovf_vfree },
		{ "vzalloc_node", ovf_vzalloc_node, ovf_vfree },
		{ "kvmalloc", ovf_kvmalloc, ovf_kvfree },
		{ "kvmalloc_node", ovf_kvmalloc_node, ovf_kvfree },
		{ "kvzalloc", ovf_kvzalloc, ovf_kvfree },
		{ "kvzalloc_node", ovf_kvzalloc_node, ovf_kvfree },
		{ "devm_kmalloc", ovf_devm_kmalloc, ovf_devm_kfree },
		{ "devm_kzalloc", ovf_devm_kzalloc, ovf_devm_kfree },
	};
	struct device dev = { .init_name = "overflow-test" };
	volatile size_t a = OVF_ALLOC_UNIT, b = SIZE_MAX / OVF_ALLOC_UNIT + 1;

	/*
	 * vmalloc() has no __GFP_NOWARN to pass: its refusal of SIZE_MAX warns,
	 * as the kernel's does.  The warnings go to the log, not the terminal.
	 */
	FILE *quiet = fopen("/dev/null", "w");

	if (quiet)
		ukmem_set_console(quiet);
	/* The wrapped product the allocators will see. */
	CHECK_EQ(a * b, 16384);
	CHECK(array_size(a, b) == SIZE_MAX);
	for (size_t i = 0; i < sizeof(allocators) / sizeof(allocators[0]); i++) {
		const struct ovf_allocator *al = &allocators[i];
		unsigned char *p;

		p = al->alloc(&dev, 1);
		if (!p)
			fprintf(stderr, "%s failed a 1-byte allocation\n", al->name);
		CHECK(p != NULL);
		if (p) {
			p[0] = 1;
			al->free(&dev, p);
		}
		p = al->alloc(&dev, a * b);
		if (!p)
			fprintf(stderr, "%s failed the wrapped (16 KiB) allocation\n", al->name);
		CHECK(p != NULL);
		if (p) {
			p[0] = p[16383] = 1;
			al->free(&dev, p);
		}
		p = al->alloc(&dev, array_size(a, b));
		if (p) {
			fprintf(stderr, "%s missed saturation\n", al->name);
			al->free(&dev, p);
		}
		CHECK(p == NULL);
	}
	/* Nothing left on the device: every devm block was given back. */
	CHECK_EQ(devres_release_all(&dev), 0);
	if (quiet) {
		ukmem_set_console(NULL);
		fclose(quiet);
	}
}

int main(void)
{
	KTEST_RUN(KTEST(test_checked_arithmetic), KTEST(test_mixed_types), KTEST(test_shl),
		  KTEST(test_type_limits), KTEST(test_wrapping), KTEST(test_size_helpers),
		  KTEST(test_struct_size), KTEST(test_define_flex), KTEST(test_ranges),
		  KTEST(test_same_type), KTEST(test_overflow_allocation));
}
