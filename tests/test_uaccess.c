/* SPDX-License-Identifier: MIT */
/*
 * User copies (lib/usercopy.c, mm/util.c): copy_from_user() and
 * copy_to_user() return the bytes they could not copy when a buffer runs
 * into an inaccessible page, and copy_from_user() zeroes the rest; a bad
 * or kernel-range pointer copies nothing (access_ok()); get_user() and
 * put_user() answer -EFAULT; the string primitives stop at the NUL even
 * right before an inaccessible page and fail on a fault before it;
 * memdup_user() and its family return the kernel's ERR_PTR()s (-EFAULT
 * freeing the block, -ENOMEM without a warning, -EINVAL, -EOVERFLOW),
 * leaking nothing; copy_struct_from_user()'s size rules; the _nofault
 * copies' 0/-EFAULT and string lengths; and memdup_user()
 * as a process's first call.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <ukmem/report.h>
#include "fault_probe.h"
#include "ktest_boot.h"

static void test_copies(void)
{
	char *edge, *m = ktest_two_pages(&edge), dst[64], src[64];
	int v = 7;
	long lv = 1;

	CHECK(m != NULL);
	if (!m)
		return;
	memset(edge - 16, 'u', 16);
	memset(dst, 'x', sizeof(dst));
	CHECK_EQ(copy_from_user(dst, edge - 16, 16), 0);
	CHECK(memcmp(dst, "uuuuuuuuuuuuuuuu", 16) == 0);
	/* 16 readable, 48 not: 48 not copied, and zeroed. */
	memset(dst, 'x', sizeof(dst));
	CHECK_EQ(copy_from_user(dst, edge - 16, 64), 48);
	CHECK(dst[15] == 'u' && dst[16] == 0 && dst[63] == 0);
	CHECK_EQ(copy_from_user(dst, NULL, 8), 8);
	CHECK_EQ(copy_from_user(dst, (void *)0xffff888000000000UL, 8), 8);	/* kernel range */
	CHECK_EQ(copy_from_user(dst, (void *)-8L, 16), 16);			/* wraps */
	CHECK(!access_ok((void *)-8L, 16) && !access_ok((void *)(TASK_SIZE_MAX - 4), 8));
	CHECK(access_ok(dst, sizeof(dst)) && access_ok(NULL, 0));

	memset(src, 's', sizeof(src));
	CHECK_EQ(copy_to_user(edge - 8, src, 64), 56);
	CHECK(edge[-8] == 's' && edge[-1] == 's');
	CHECK_EQ(copy_to_user((void *)1, src, 4), 4);
	CHECK_EQ(clear_user(edge - 10, 30), 20);
	CHECK(edge[-10] == 0 && edge[-1] == 0 && edge[-11] == 'u');

	CHECK_EQ(get_user(v, (int *)(edge - 4)), 0);
	CHECK_EQ(v, 0);				/* cleared above */
	v = 9;
	CHECK_EQ(get_user(v, (int *)(edge - 2)), -EFAULT);
	CHECK_EQ(v, 0);
	CHECK_EQ(put_user(0x1234L, (long *)(edge - 8)), 0);
	CHECK_EQ(get_user(lv, (long *)(edge - 8)), 0);
	CHECK_EQ(lv, 0x1234L);
	CHECK_EQ(put_user(1, (int *)(edge - 1)), -EFAULT);
	munmap(m, 2 * PAGE_SIZE);
}

static void test_strings(void)
{
	char *edge, *m = ktest_two_pages(&edge), dst[32];

	CHECK(m != NULL);
	if (!m)
		return;
	strcpy(edge - 6, "hello");			/* NUL is the page's last byte */
	CHECK_EQ(strncpy_from_user(dst, edge - 6, sizeof(dst)), 5);
	CHECK(strcmp(dst, "hello") == 0);
	CHECK_EQ(strnlen_user(edge - 6, 100), 6);
	CHECK_EQ(strncpy_from_user(dst, edge - 6, 3), 3);	/* no NUL within 3 */
	CHECK_EQ(strnlen_user(edge - 6, 3), 4);		/* longer than 3 */
	memset(edge - 4, 'z', 4);			/* runs into the fault */
	CHECK_EQ(strncpy_from_user(dst, edge - 4, sizeof(dst)), -EFAULT);
	CHECK_EQ(strnlen_user(edge - 4, 100), 0);
	CHECK_EQ(strncpy_from_user(dst, NULL, 8), -EFAULT);
	CHECK_EQ(strnlen_user(NULL, 8), 0);
	CHECK_EQ(strncpy_from_user(dst, "abc", 0), 0);
	munmap(m, 2 * PAGE_SIZE);
}

static void test_memdup(void)
{
	char *edge, *m = ktest_two_pages(&edge), *p;
	unsigned long before;
	int i, *arr;
	static char big[1 << 20];

	CHECK(m != NULL);
	if (!m)
		return;
	memcpy(edge - 10, "0123456789", 10);
	p = memdup_user(edge - 10, 10);
	CHECK(!IS_ERR(p) && memcmp(p, "0123456789", 10) == 0 && ksize(p) >= 10);
	if (!IS_ERR(p))
		kfree(p);
	p = memdup_user_nul(edge - 10, 10);
	CHECK(!IS_ERR(p) && strcmp(p, "0123456789") == 0);
	if (!IS_ERR(p))
		kfree(p);
	/* A fault frees the block: thousands of them leave nothing behind. */
	drain_all_pages(NULL);
	before = nr_free_pages();
	for (i = 0; i < 4000; i++) {
		CHECK_EQ(PTR_ERR(memdup_user(edge - 1000, 2000)), -EFAULT);
		CHECK_EQ(PTR_ERR(vmemdup_user(edge - 1000, 2000)), -EFAULT);
		CHECK_EQ(PTR_ERR(memdup_user_nul(edge - 1000, 2000)), -EFAULT);
	}
	drain_all_pages(NULL);
	CHECK(nr_free_pages() + 64 >= before);
	ukmem_dmesg_clear();
	CHECK_EQ(PTR_ERR(memdup_user(edge, (size_t)1 << 40)), -ENOMEM);
	{
		char log[256];

		ukmem_dmesg(log, sizeof(log));
		CHECK_EQ(log[0], 0);			/* __GFP_NOWARN */
	}
	/* Strings: too long, faulting, fine. */
	strcpy(edge - 6, "hello");
	p = strndup_user(edge - 6, 100);
	CHECK(!IS_ERR(p) && strcmp(p, "hello") == 0);
	if (!IS_ERR(p))
		kfree(p);
	CHECK_EQ(PTR_ERR(strndup_user(edge - 6, 4)), -EINVAL);
	CHECK_EQ(PTR_ERR(strndup_user(edge + 100, 4)), -EFAULT);
	/* Arrays: an overflowing size never allocates. */
	CHECK_EQ(PTR_ERR(memdup_array_user(big, SIZE_MAX / 2, 4)), -EOVERFLOW);
	CHECK_EQ(PTR_ERR(vmemdup_array_user(big, SIZE_MAX / 2, 4)), -EOVERFLOW);
	for (i = 0; i < 16; i++)
		((int *)big)[i] = i * i;
	arr = memdup_array_user(big, 16, sizeof(int));
	CHECK(!IS_ERR(arr) && arr[15] == 225);
	if (!IS_ERR(arr))
		kfree(arr);
	/* Large: kvmalloc (kmalloc first, vmalloc if that fails). */
	big[sizeof(big) - 1] = 'e';
	p = vmemdup_user(big, sizeof(big));
	CHECK(!IS_ERR(p) && p[sizeof(big) - 1] == 'e');
	if (!IS_ERR(p))
		kvfree(p);
	munmap(m, 2 * PAGE_SIZE);
}

struct args_v1 {
	int a, b;
};
struct args_v2 {
	int a, b, c, d;
};

static void test_struct_sizes(void)
{
	struct args_v2 newer = { 1, 2, 0, 0 }, got;
	struct args_v1 older = { 3, 4 };

	/* An older caller's smaller struct: the rest is zero. */
	memset(&got, 0xff, sizeof(got));
	CHECK_EQ(copy_struct_from_user(&got, sizeof(got), &older, sizeof(older)), 0);
	CHECK(got.a == 3 && got.b == 4 && got.c == 0 && got.d == 0);
	/* A newer caller's larger struct: fine while the extra fields are zero. */
	CHECK_EQ(copy_struct_from_user(&older, sizeof(older), &newer, sizeof(newer)), 0);
	CHECK(older.a == 1 && older.b == 2);
	newer.d = 5;
	CHECK_EQ(copy_struct_from_user(&older, sizeof(older), &newer, sizeof(newer)), -E2BIG);
	CHECK_EQ(copy_struct_from_user(&got, sizeof(got), NULL, sizeof(got)), -EFAULT);
}

static void test_nofault(void)
{
	char *edge, *m = ktest_two_pages(&edge), dst[16];
	long v = 0;

	CHECK(m != NULL);
	if (!m)
		return;
	strcpy(edge - 4, "abc");
	CHECK_EQ(copy_from_kernel_nofault(dst, edge - 4, 4), 0);
	CHECK_EQ(copy_from_kernel_nofault(dst, edge - 4, 5), -EFAULT);
	CHECK_EQ(get_kernel_nofault(v, (long *)edge), -EFAULT);
	CHECK_EQ(strncpy_from_kernel_nofault(dst, edge - 4, sizeof(dst)), 4);	/* with the NUL */
	CHECK(strcmp(dst, "abc") == 0);
	CHECK_EQ(strncpy_from_kernel_nofault(dst, edge - 4, 2), 2);
	CHECK(strcmp(dst, "a") == 0);
	memset(edge - 4, 'q', 4);
	CHECK_EQ(strncpy_from_kernel_nofault(dst, edge - 4, sizeof(dst)), -EFAULT);
	CHECK(strcmp(dst, "qqqq") == 0);
	CHECK_EQ(copy_to_kernel_nofault(edge - 1, "xy", 2), -EFAULT);
	CHECK_EQ(edge[-1], 'x');		/* as far as it could */
	munmap(m, 2 * PAGE_SIZE);
}

static void first_call(void *arg)
{
	static const char text[] = "first";
	char *p;

	(void)arg;
	p = memdup_user(text, sizeof(text));
	CHECK(!IS_ERR(p) && strcmp(p, "first") == 0);
	if (!IS_ERR(p))
		kfree(p);
	_exit(ktest_failures ? 1 : 0);
}

int main(void)
{
	ktest_first_call(first_call);
	if (!ktest_boot_quietly("mem=256M"))
		return 1;
	KTEST_RUN(KTEST(test_copies), KTEST(test_strings), KTEST(test_memdup),
		  KTEST(test_struct_sizes), KTEST(test_nofault));
}
