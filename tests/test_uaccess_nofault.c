/* SPDX-License-Identifier: MIT */
/*
 * The rest of linux/uaccess.h: copy_from_user_nofault() and
 * copy_to_user_nofault() (0 or -EFAULT, access_ok() first),
 * strncpy_from_user_nofault(), strnlen_user_nofault(), and the
 * user_access_begin()/unsafe_*() section with its jump to the fault
 * label (check_zeroed_user() and copy_struct_to_user() are
 * test_usercopy_kunit's).  "User memory" is a mapping whose second page
 * is inaccessible, so faults happen where they would.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/mm.h>
#include <linux/uaccess.h>
#include <ukmem/boot.h>
#include "fault_probe.h"
#include "ktest_boot.h"

static void test_nofault_copies(void)
{
	char *edge, *m = ktest_two_pages(&edge);
	char buf[32];

	CHECK(m != NULL);
	if (!m)
		return;
	memset(m, 'u', PAGE_SIZE);
	CHECK_EQ(copy_from_user_nofault(buf, edge - 8, 8), 0);
	CHECK(buf[0] == 'u' && buf[7] == 'u');
	CHECK_EQ(copy_from_user_nofault(buf, edge - 8, 9), -EFAULT);
	CHECK_EQ(copy_from_user_nofault(buf, (void *)(TASK_SIZE_MAX - 4), 8), -EFAULT);
	CHECK_EQ(copy_to_user_nofault(edge - 4, "abcd", 4), 0);
	CHECK(memcmp(edge - 4, "abcd", 4) == 0);
	CHECK_EQ(copy_to_user_nofault(edge - 4, "abcde", 5), -EFAULT);

	/* Strings: a NUL just before the edge; one that runs into it. */
	memcpy(edge - 6, "hello", 6);
	CHECK_EQ(strncpy_from_user_nofault(buf, edge - 6, sizeof(buf)), 6);
	CHECK(strcmp(buf, "hello") == 0);
	CHECK_EQ(strnlen_user_nofault(edge - 6, 32), 6);
	memset(edge - 4, 'x', 4);
	CHECK_EQ(strncpy_from_user_nofault(buf, edge - 4, sizeof(buf)), -EFAULT);
	CHECK_EQ(strnlen_user_nofault(edge - 4, 32), 0);
	munmap(m, 2 * PAGE_SIZE);
}

/* The kernel's pattern: a section of unsafe accessors with one fault label. */
static int sum_pair(const int __user *p, int *out)
{
	int a, b;

	if (!user_read_access_begin(p, 2 * sizeof(int)))
		return -EFAULT;
	unsafe_get_user(a, p, fault);
	unsafe_get_user(b, p + 1, fault);
	user_read_access_end();
	*out = a + b;
	return 0;
fault:
	user_read_access_end();
	return -EFAULT;
}

static void test_unsafe_section(void)
{
	char *edge, *m = ktest_two_pages(&edge);
	int *pair, out = 0;

	CHECK(m != NULL);
	if (!m)
		return;
	pair = (int *)(edge - 2 * sizeof(int));
	pair[0] = 40;
	pair[1] = 2;
	CHECK_EQ(sum_pair(pair, &out), 0);
	CHECK_EQ(out, 42);
	CHECK_EQ(sum_pair((int *)(edge - sizeof(int)), &out), -EFAULT);
	CHECK_EQ(sum_pair((int *)(TASK_SIZE_MAX - 4), &out), -EFAULT);
	munmap(m, 2 * PAGE_SIZE);
}

int main(void)
{
	if (!ktest_boot_quietly("mem=128M"))
		return 1;
	KTEST_RUN(KTEST(test_nofault_copies), KTEST(test_unsafe_section));
}
