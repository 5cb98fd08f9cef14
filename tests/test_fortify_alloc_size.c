/* SPDX-License-Identifier: MIT */
/*
 * The allocation-size cases of the kernel's fortify KUnit suite
 * (lib/tests/fortify_kunit.c, fortify_test_alloc_size_*): the compiler
 * must know how big a block each allocator returned, from the
 * __alloc_size()/__realloc_size() attributes on the declarations, so
 * that FORTIFY_SOURCE and -fsanitize=object-size can check accesses to
 * it.  For a size known at compile time __builtin_object_size() must see
 * it; for a size known only at run time __builtin_object_size() gives up
 * (SIZE_MAX) and __builtin_dynamic_object_size() must still find it.
 * Covered, as in the kernel: the kmalloc family (node, zeroed, array and
 * calloc forms, krealloc, krealloc_array, kmemdup), vmalloc, vzalloc,
 * __vmalloc, the kvmalloc family and kvrealloc, the devm_kmalloc family
 * with devm_krealloc and devm_kmemdup, and kmemdup/kmemdup_array of
 * strings whose length the compiler cannot know.  A declaration that
 * loses its attribute fails here.
 */
#include <stdint.h>
#include <string.h>

#include <linux/device.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "ktest_boot.h"

#define HAVE_BDOS	__has_builtin(__builtin_dynamic_object_size)

/*
 * The object-size builtins see through the allocators only once the
 * calls are inlined and optimized, as in the kernel (always -O2): an
 * unoptimized build cannot run these cases.
 */
#ifdef __OPTIMIZE__
#define OPTIMIZED	1
#else
#define OPTIMIZED	0
#endif

static int failed_bos, failed_bdos;

/* Volatile, so that the compiler cannot know them. */
static volatile size_t zero_size;
static volatile size_t unknown_size = 50;

static void bos_is(size_t got, size_t want, const char *what, int line)
{
	if (got != want) {
		failed_bos++;
		fprintf(stderr, "line %d: __builtin_object_size(%s) = %zu, want %zu\n", line, what,
			got, want);
	}
}

static void bdos_is(size_t got, size_t want, const char *what, int line)
{
	if (got != want) {
		failed_bdos++;
		fprintf(stderr, "line %d: __builtin_dynamic_object_size(%s) = %zu, want %zu\n",
			line, what, got, want);
	}
}

#if HAVE_BDOS
#define BDOS(p)	__builtin_dynamic_object_size(p, 1)
#else
#define BDOS(p)	((size_t)-1)
#endif

/* A size the compiler knows: both builtins see it. */
#define check_const(_want, alloc, release)	do {			\
	size_t expect_ = (_want);					\
	void *p = alloc;						\
	CHECK(p != NULL);						\
	bos_is(__builtin_object_size(p, 1), expect_, #alloc, __LINE__); \
	if (HAVE_BDOS)							\
		bdos_is(BDOS(p), expect_, #alloc, __LINE__);		\
	release;							\
} while (0)

/* A size known only at run time: only the dynamic one sees it. */
#define check_dynamic(_want, alloc, release)	do {			\
	size_t expect_ = (_want);					\
	void *p = alloc;						\
	CHECK(p != NULL);						\
	bos_is(__builtin_object_size(p, 1), SIZE_MAX, #alloc, __LINE__); \
	if (HAVE_BDOS)							\
		bdos_is(BDOS(p), expect_, #alloc, __LINE__);		\
	release;							\
} while (0)

#define GFP	(GFP_KERNEL | __GFP_NOWARN)

#define TEST_kmalloc(checker, want, size)	do {			\
	void *orig;							\
	size_t len;							\
									\
	checker(want, kmalloc(size, GFP), kfree(p));			\
	checker(want, kmalloc_node(size, GFP, NUMA_NO_NODE), kfree(p));	\
	checker(want, kzalloc(size, GFP), kfree(p));			\
	checker(want, kzalloc_node(size, GFP, NUMA_NO_NODE), kfree(p));	\
	checker(want, kcalloc(1, size, GFP), kfree(p));			\
	checker(want, kcalloc(size, 1, GFP), kfree(p));			\
	checker(want, kcalloc_node(1, size, GFP, NUMA_NO_NODE), kfree(p)); \
	checker(want, kcalloc_node(size, 1, GFP, NUMA_NO_NODE), kfree(p)); \
	checker(want, kmalloc_array(1, size, GFP), kfree(p));		\
	checker(want, kmalloc_array(size, 1, GFP), kfree(p));		\
	checker(want, kmalloc_array_node(1, size, GFP, NUMA_NO_NODE), kfree(p)); \
	checker(want, kmalloc_array_node(size, 1, GFP, NUMA_NO_NODE), kfree(p)); \
	orig = kmalloc(size, GFP);					\
	CHECK(orig != NULL);						\
	checker((want) * 2, krealloc(orig, (size) * 2, GFP), kfree(p));	\
	orig = kmalloc(size, GFP);					\
	CHECK(orig != NULL);						\
	checker((want) * 2, krealloc_array(orig, 1, (size) * 2, GFP), kfree(p)); \
	orig = kmalloc(size, GFP);					\
	CHECK(orig != NULL);						\
	checker((want) * 2, krealloc_array(orig, (size) * 2, 1, GFP), kfree(p)); \
	/* A fixed-size kmemdup: made unknown where the checker wants that. */ \
	len = 11;							\
	if (!__builtin_constant_p(want))				\
		len += zero_size;					\
	checker(len, kmemdup("hello there", len, GFP), kfree(p));	\
} while (0)

/* vmalloc and kvmalloc sizes are in pages. */
#define TEST_vmalloc(checker, want, pages)	do {			\
	checker((want) * PAGE_SIZE, vmalloc((pages) * PAGE_SIZE), vfree(p)); \
	checker((want) * PAGE_SIZE, vzalloc((pages) * PAGE_SIZE), vfree(p)); \
	checker((want) * PAGE_SIZE, __vmalloc((pages) * PAGE_SIZE, GFP), vfree(p)); \
} while (0)

#define TEST_kvmalloc(checker, want, pages)	do {			\
	void *orig;							\
									\
	checker((want) * PAGE_SIZE, kvmalloc((pages) * PAGE_SIZE, GFP), kvfree(p)); \
	checker((want) * PAGE_SIZE,					\
		kvmalloc_node((pages) * PAGE_SIZE, GFP, NUMA_NO_NODE), kvfree(p)); \
	checker((want) * PAGE_SIZE, kvzalloc((pages) * PAGE_SIZE, GFP), kvfree(p)); \
	checker((want) * PAGE_SIZE,					\
		kvzalloc_node((pages) * PAGE_SIZE, GFP, NUMA_NO_NODE), kvfree(p)); \
	checker((want) * PAGE_SIZE, kvcalloc(1, (pages) * PAGE_SIZE, GFP), kvfree(p)); \
	checker((want) * PAGE_SIZE, kvcalloc((pages) * PAGE_SIZE, 1, GFP), kvfree(p)); \
	checker((want) * PAGE_SIZE,					\
		kvmalloc_array(1, (pages) * PAGE_SIZE, GFP), kvfree(p)); \
	checker((want) * PAGE_SIZE,					\
		kvmalloc_array((pages) * PAGE_SIZE, 1, GFP), kvfree(p)); \
	orig = kvmalloc((want) * PAGE_SIZE, GFP);			\
	CHECK(orig != NULL);						\
	checker((want) * PAGE_SIZE * 2,					\
		kvrealloc(orig, (pages) * PAGE_SIZE * 2, GFP), kvfree(p)); \
} while (0)

#define TEST_devm_kmalloc(checker, want, size)	do {			\
	struct device dev = { .init_name = "fortify-test" };		\
	void *orig;							\
	size_t len;							\
									\
	checker(want, devm_kmalloc(&dev, size, GFP), devm_kfree(&dev, p)); \
	checker(want, devm_kzalloc(&dev, size, GFP), devm_kfree(&dev, p)); \
	checker(want, devm_kmalloc_array(&dev, 1, size, GFP), devm_kfree(&dev, p)); \
	checker(want, devm_kmalloc_array(&dev, size, 1, GFP), devm_kfree(&dev, p)); \
	checker(want, devm_kcalloc(&dev, 1, size, GFP), devm_kfree(&dev, p)); \
	checker(want, devm_kcalloc(&dev, size, 1, GFP), devm_kfree(&dev, p)); \
	orig = devm_kmalloc(&dev, size, GFP);				\
	CHECK(orig != NULL);						\
	checker((want) * 2, devm_krealloc(&dev, orig, (size) * 2, GFP), \
		devm_kfree(&dev, p));					\
	len = 4;							\
	if (!__builtin_constant_p(want))				\
		len += zero_size;					\
	checker(len, devm_kmemdup(&dev, "Ohai", len, GFP), devm_kfree(&dev, p)); \
	CHECK_EQ(devres_release_all(&dev), 0);				\
} while (0)

/* The kernel's constant sizes; the vmalloc family skips 0. */
#define CONST_SIZES(TEST, zero)	do {					\
	if (zero)							\
		TEST(check_const, 0, 0);				\
	TEST(check_const, 1, 1);					\
	TEST(check_const, 128, 128);					\
	TEST(check_const, 1023, 1023);					\
	TEST(check_const, 1025, 1025);					\
	TEST(check_const, 4096, 4096);					\
	TEST(check_const, 4097, 4097);					\
} while (0)

/* A run-time size: the expected value is read before the call increments it. */
#define DYNAMIC_SIZE(TEST)	do {					\
	size_t size = unknown_size;					\
									\
	TEST(check_dynamic, size, size);				\
	size++;								\
	TEST(check_dynamic, size, size);				\
} while (0)

static void report(const char *name, int bos_before, int bdos_before)
{
	CHECK_EQ(failed_bos - bos_before, 0);
	CHECK_EQ(failed_bdos - bdos_before, 0);
	if (failed_bos != bos_before || failed_bdos != bdos_before)
		fprintf(stderr, "%s: sizes the compiler could not see\n", name);
}

#define ALLOC_SIZE_CASES(name, zero)					\
static void test_alloc_size_##name##_const(void)			\
{									\
	int b = failed_bos, d = failed_bdos;				\
									\
	if (!OPTIMIZED) {						\
		KTEST_SKIP("built without optimization");		\
		return;							\
	}								\
	CONST_SIZES(TEST_##name, zero);					\
	report(#name "_const", b, d);					\
}									\
static void test_alloc_size_##name##_dynamic(void)			\
{									\
	int b = failed_bos, d = failed_bdos;				\
									\
	if (!HAVE_BDOS || !OPTIMIZED) {					\
		KTEST_SKIP("no __builtin_dynamic_object_size, or no optimization"); \
		return;							\
	}								\
	DYNAMIC_SIZE(TEST_##name);					\
	report(#name "_dynamic", b, d);					\
}

ALLOC_SIZE_CASES(kmalloc, 1)
ALLOC_SIZE_CASES(vmalloc, 0)
ALLOC_SIZE_CASES(kvmalloc, 1)
ALLOC_SIZE_CASES(devm_kmalloc, 1)

static const char *const test_strs[] = {
	"",
	"Hello there",
	"A longer string, just for variety",
};

/* kmemdup()/kmemdup_array() of strings whose length is a run-time value. */
static void test_realloc_size(void)
{
	int b = failed_bos, d = failed_bdos;
	size_t i, len;

	if (!HAVE_BDOS || !OPTIMIZED) {
		KTEST_SKIP("no __builtin_dynamic_object_size, or no optimization");
		return;
	}
	for (i = 0; i < sizeof(test_strs) / sizeof(test_strs[0]); i++) {
		len = strlen(test_strs[i]) + zero_size;
		CHECK(!__builtin_constant_p(len));
		check_dynamic(len, kmemdup_array(test_strs[i], 1, len, GFP), kfree(p));
		check_dynamic(len, kmemdup(test_strs[i], len, GFP), kfree(p));
	}
	report("realloc_size", b, d);
}

int main(void)
{
	if (!ktest_boot_quietly("mem=256M"))
		return 1;
	KTEST_RUN(KTEST(test_alloc_size_kmalloc_const), KTEST(test_alloc_size_kmalloc_dynamic),
		  KTEST(test_alloc_size_vmalloc_const), KTEST(test_alloc_size_vmalloc_dynamic),
		  KTEST(test_alloc_size_kvmalloc_const), KTEST(test_alloc_size_kvmalloc_dynamic),
		  KTEST(test_alloc_size_devm_kmalloc_const),
		  KTEST(test_alloc_size_devm_kmalloc_dynamic), KTEST(test_realloc_size));
}
