/* SPDX-License-Identifier: MIT */
/*
 * The kernel's usercopy KUnit suite (lib/tests/usercopy_kunit.c, once
 * lib/test_user_copy.c) against <linux/uaccess.h>, case by case:
 *
 *   valid       two pages' worth of copy_to_user()/copy_from_user() come
 *               back intact, and put_user()/get_user() round-trip u8, u16,
 *               u32 and u64;
 *   invalid     copies to and from addresses the kernel would refuse fail:
 *               copy_from_user() zeroes what it could not fill, get_user()
 *               stores 0, put_user() writes nothing.  The kernel aims its
 *               pointers at kernel memory; one address space has none of
 *               that to offer, so here the bad pointers are the kernel half
 *               of x86-64's address space (refused by access_ok()), a
 *               page that cannot be touched, and - the case the kernel gets
 *               from its single store instruction - a value that straddles
 *               into a page that cannot be written;
 *   check_nonzero_user  check_zeroed_user() agrees with memchr_inv() for
 *               every [start, end) of a 1 KiB window across a page
 *               boundary (00 ff 00 ff ... 00 00 ... ff 00 ff 00), and says
 *               -EFAULT for a zeroed range that runs into a bad page;
 *   copy_struct_from_user  usize == ksize copies, usize < ksize zero-fills,
 *               usize > ksize is -E2BIG unless the extra bytes are zero;
 *               plus copy_struct_to_user(), its v6.11 mirror image.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "ktest_boot.h"

#define COPY_SIZE	(2 * PAGE_SIZE)

/* The suite's fixture: a kmalloc() buffer and a mapping standing in for user memory. */
static char *kmem;
static char __user *umem;
/*
 * Four more pages: writable, read-only, writable, inaccessible.  @ro and
 * @none point at the second and fourth.
 */
static char *guard, *ro, *none;

/* An address in the kernel half of x86-64's address space: never user memory. */
#define KERNEL_ADDR	((char __user *)0xffff888000001000UL)

static bool is_zeroed(const void *from, size_t size)
{
	return memchr_inv(from, 0, size) == NULL;
}

static void usercopy_valid(void)
{
	memset(kmem, 0x3a, COPY_SIZE);
	CHECK_EQ(copy_to_user(umem, kmem, PAGE_SIZE), 0);
	memset(kmem, 0, PAGE_SIZE);
	CHECK_EQ(copy_from_user(kmem, umem, PAGE_SIZE), 0);
	CHECK(memcmp(kmem, kmem + PAGE_SIZE, PAGE_SIZE) == 0);

	/* Each width: put it, clear the local, get it back. */
#define ROUND_TRIP(type, value)						\
	do {								\
		type v = (value);					\
		CHECK_EQ(put_user(v, (type __user *)umem), 0);		\
		v = 0;							\
		CHECK_EQ(get_user(v, (type __user *)umem), 0);		\
		CHECK(v == (type)(value));				\
	} while (0)
	ROUND_TRIP(u8, 0x5a);
	ROUND_TRIP(u16, 0x5a5b);
	ROUND_TRIP(u32, 0x5a5b5c5d);
	ROUND_TRIP(u64, 0x5a5b5c5d6a6b6c6dULL);
#undef ROUND_TRIP
}

/* Every width against one bad address: get_user() zeroes, put_user() leaves @check alone. */
#define ILLEGAL(type, value, addr, check)					\
	do {									\
		type v = (value);						\
		CHECK(get_user(v, (type __user *)(addr)) != 0);			\
		CHECK(v == 0);							\
		ILLEGAL_PUT(type, value, addr, check);				\
	} while (0)
#define ILLEGAL_PUT(type, value, addr, check)				\
	do {								\
		type pv = (value);					\
		CHECK(put_user(pv, (type __user *)(addr)) != 0);	\
		CHECK(check);						\
	} while (0)

static void usercopy_invalid(void)
{
	u64 before;

	memset(kmem, 0x5a, PAGE_SIZE);
	memset(kmem + PAGE_SIZE, 0, PAGE_SIZE);

	/* From a kernel address: nothing copied, the whole destination zeroed. */
	CHECK(copy_from_user(kmem, KERNEL_ADDR, PAGE_SIZE) != 0);
	CHECK(is_zeroed(kmem, PAGE_SIZE));
	memset(kmem, 0x5a, PAGE_SIZE);
	CHECK_EQ(copy_from_user(kmem, (char __user *)none, PAGE_SIZE), PAGE_SIZE);
	CHECK(is_zeroed(kmem, PAGE_SIZE));

	/* To a kernel address, an inaccessible page, a read-only one. */
	memset(kmem, 0x5a, PAGE_SIZE);
	CHECK(copy_to_user(KERNEL_ADDR, kmem, PAGE_SIZE) != 0);
	CHECK_EQ(copy_to_user((char __user *)none, kmem, PAGE_SIZE), PAGE_SIZE);
	CHECK_EQ(copy_to_user((char __user *)ro, kmem, PAGE_SIZE), PAGE_SIZE);
	CHECK(is_zeroed(ro, PAGE_SIZE));

	ILLEGAL(u8, 0x5a, KERNEL_ADDR, true);
	ILLEGAL(u16, 0x5a5b, KERNEL_ADDR, true);
	ILLEGAL(u32, 0x5a5b5c5d, KERNEL_ADDR, true);
	ILLEGAL(u64, 0x5a5b5c5d6a6b6c6dULL, KERNEL_ADDR, true);
	ILLEGAL(u32, 0x5a5b5c5d, none, true);
	ILLEGAL(u64, 0x5a5b5c5d6a6b6c6dULL, none, true);

	/*
	 * The kernel's check that a failed put_user() wrote nothing: a u64
	 * whose last bytes fall in the read-only page must leave the
	 * writable bytes before it as they were, as one store instruction
	 * would.  The same across the edge into the inaccessible page (which
	 * get_user() cannot read either).
	 */
	memcpy(&before, "\xF0\x9F\xA4\xAF\xF0\x9F\xA4\xAF", 8);
	memcpy(ro - 3, &before, 3);
	ILLEGAL_PUT(u64, 0x5a5b5c5d6a6b6c6dULL, ro - 3,
		memcmp(ro - 3, &before, 3) == 0 && is_zeroed(ro, 5));
	memcpy(none - 5, &before, 5);
	ILLEGAL(u64, 0x5a5b5c5d6a6b6c6dULL, none - 5, memcmp(none - 5, &before, 5) == 0);
	ILLEGAL_PUT(u16, 0x5a5b, ro - 1, (u8)ro[-1] == 0xA4);
}
#undef ILLEGAL
#undef ILLEGAL_PUT

static void usercopy_check_nonzero_user(void)
{
	const size_t size = 1024, zero_start = size / 4, zero_end = size - zero_start;
	size_t start, end, i;
	char *k = kmem + PAGE_SIZE - size / 2;
	char __user *u = umem + PAGE_SIZE - size / 2;
	int mismatches = 0;

	/* 00 ff alternating, a zero middle, ff 00 alternating. */
	memset(k, 0, size);
	for (i = 1; i < zero_start; i += 2)
		k[i] = (char)0xff;
	for (i = zero_end; i < size; i += 2)
		k[i] = (char)0xff;
	CHECK_EQ(copy_to_user(u, k, size), 0);

	for (start = 0; start <= size; start++) {
		for (end = start; end <= size; end++) {
			int got = check_zeroed_user(u + start, end - start);
			int want = is_zeroed(k + start, end - start);

			if (got != want && mismatches++ < 5)
				fprintf(stderr, "check_zeroed_user(%zu, %zu) = %d, memchr_inv says %d\n",
					start, end, got, want);
		}
	}
	CHECK_EQ(mismatches, 0);

	/* A fault: -EFAULT while only zeroes came before it, 0 once a non-zero did. */
	memset(none - 16, 0, 16);
	CHECK_EQ(check_zeroed_user(none - 16, 32), -EFAULT);
	CHECK_EQ(check_zeroed_user(none - 16, 16), 1);
	CHECK_EQ(check_zeroed_user(KERNEL_ADDR, 8), -EFAULT);
	CHECK_EQ(check_zeroed_user(KERNEL_ADDR, 0), 1);
	none[-1] = 1;
	CHECK_EQ(check_zeroed_user(none - 16, 32), 0);
	none[-1] = 0;
	CHECK_EQ(check_zeroed_user(ro, PAGE_SIZE), 1);	/* read-only is readable */
}

static void usercopy_copy_struct_from_user(void)
{
	char *src = kmalloc(COPY_SIZE, GFP_KERNEL), *expected = kmalloc(COPY_SIZE, GFP_KERNEL);
	size_t ksize, usize;

	CHECK(src && expected);
	if (!src || !expected)
		goto out;
	memset(src, 0x3e, COPY_SIZE);
	CHECK_EQ(copy_to_user(umem, src, COPY_SIZE), 0);

	/* Same size. */
	ksize = usize = COPY_SIZE;
	memcpy(expected, src, ksize);
	memset(kmem, 0, COPY_SIZE);
	CHECK_EQ(copy_struct_from_user(kmem, ksize, umem, usize), 0);
	CHECK(memcmp(kmem, expected, ksize) == 0);

	/* An older caller's smaller struct: the rest zero. */
	ksize = COPY_SIZE;
	usize = COPY_SIZE / 2;
	memcpy(expected, src, usize);
	memset(expected + usize, 0, ksize - usize);
	memset(kmem, 0x77, COPY_SIZE);
	CHECK_EQ(copy_struct_from_user(kmem, ksize, umem, usize), 0);
	CHECK(memcmp(kmem, expected, ksize) == 0);

	/* A newer caller's larger struct with something in the new part. */
	ksize = COPY_SIZE / 2;
	usize = COPY_SIZE;
	memset(kmem, 0, COPY_SIZE);
	CHECK_EQ(copy_struct_from_user(kmem, ksize, umem, usize), -E2BIG);

	/* ... and with the new part zero. */
	memcpy(expected, src, ksize);
	CHECK_EQ(clear_user(umem + ksize, usize - ksize), 0);
	memset(kmem, 0, COPY_SIZE);
	CHECK_EQ(copy_struct_from_user(kmem, ksize, umem, usize), 0);
	CHECK(memcmp(kmem, expected, ksize) == 0);

	/* A larger struct whose tail runs into a bad page, and a bad one. */
	memset(none - 16, 0, 16);
	CHECK_EQ(copy_struct_from_user(kmem, 8, none - 16, 32), -EFAULT);
	CHECK_EQ(copy_struct_from_user(kmem, 8, KERNEL_ADDR, 8), -EFAULT);

	/* copy_struct_to_user(): the other way round. */
	{
		bool ignored = true;

		memset(kmem, 0x11, 64);
		memset(umem, 0x22, 128);
		CHECK_EQ(copy_struct_to_user(umem, 128, kmem, 64, &ignored), 0);
		CHECK(!ignored && memcmp(umem, kmem, 64) == 0 && is_zeroed(umem + 64, 64));
		CHECK_EQ(copy_struct_to_user(umem, 32, kmem, 64, &ignored), 0);
		CHECK(ignored);
		memset(kmem + 32, 0, 32);
		CHECK_EQ(copy_struct_to_user(umem, 32, kmem, 64, &ignored), 0);
		CHECK(!ignored);
		CHECK_EQ(copy_struct_to_user(KERNEL_ADDR, 32, kmem, 64, NULL), -EFAULT);
		CHECK_EQ(copy_struct_to_user(none - 16, 32, kmem, 16, NULL),
			 -EFAULT);
	}
out:
	kfree(src);
	kfree(expected);
}

int main(void)
{
	void *m;

	if (!ktest_boot_quietly("mem=256M"))
		return 1;
	kmem = kmalloc(COPY_SIZE, GFP_KERNEL);
	m = mmap(NULL, COPY_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	guard = mmap(NULL, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		     -1, 0);
	if (!kmem || m == MAP_FAILED || guard == MAP_FAILED) {
		fprintf(stderr, "no memory for the fixture\n");
		return 1;
	}
	umem = m;
	ro = guard + PAGE_SIZE;
	none = guard + 3 * PAGE_SIZE;
	mprotect(ro, PAGE_SIZE, PROT_READ);
	mprotect(none, PAGE_SIZE, PROT_NONE);
	KTEST_RUN(KTEST(usercopy_valid), KTEST(usercopy_invalid),
		  KTEST(usercopy_check_nonzero_user), KTEST(usercopy_copy_struct_from_user));
}
