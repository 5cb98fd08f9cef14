/* SPDX-License-Identifier: MIT */
/*
 * The fault attributes (ukmem_fault_set/get) as
 * Documentation/fault-injection/fault-injection.rst documents the
 * kernel's debugfs files: every file's default, the values the kernel's
 * files take (any unsigned probability and interval, the ratelimit
 * files), and the report's ratelimit (verbose_ratelimit_interval_ms,
 * verbose_ratelimit_burst) with the kernel's "callbacks suppressed" line.
 */
#include <time.h>
#include <unistd.h>

#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <ukmem/fault.h>
#include "ktest_boot.h"

static int count_substr(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/* @n GFP_ATOMIC kmallocs (not exempt from failslab): how many failed. */
static int atomic_failures(int n)
{
	int i, failed = 0;

	for (i = 0; i < n; i++) {
		void *p = kmalloc(64, GFP_ATOMIC);

		failed += !p;
		kfree(p);
	}
	return failed;
}

static void test_defaults(void)
{
	static const char *const names[] = { "failslab", "fail_page_alloc" };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		CHECK_EQ(ukmem_fault_get(names[i], "probability"), 0);
		CHECK_EQ(ukmem_fault_get(names[i], "interval"), 1);
		CHECK_EQ(ukmem_fault_get(names[i], "times"), 1);
		CHECK_EQ(ukmem_fault_get(names[i], "space"), 0);
		CHECK_EQ(ukmem_fault_get(names[i], "verbose"), 2);
		CHECK_EQ(ukmem_fault_get(names[i], "task-filter"), 0);
		/* RATELIMIT_STATE_INIT_DISABLED: interval 0, DEFAULT_RATELIMIT_BURST. */
		CHECK_EQ(ukmem_fault_get(names[i], "verbose_ratelimit_interval_ms"), 0);
		CHECK_EQ(ukmem_fault_get(names[i], "verbose_ratelimit_burst"), 10);
		CHECK_EQ(ukmem_fault_get(names[i], "ignore-gfp-wait"), 1);
	}
	CHECK_EQ(ukmem_fault_get("failslab", "cache-filter"), 0);
	CHECK_EQ(ukmem_fault_get("fail_page_alloc", "ignore-gfp-highmem"), 1);
	CHECK_EQ(ukmem_fault_get("fail_page_alloc", "min-order"), 1);
	CHECK_EQ(ukmem_fault_get("failslab", "no-such-file"), -ENOENT);
	CHECK_EQ(ukmem_fault_set("failslab", "no-such-file", 1), -ENOENT);
	CHECK_EQ(ukmem_fault_set("fail_nothing", "probability", 1), -ENOENT);
}

/*
 * The kernel's files are debugfs ulongs: an interval of 0 is accepted and
 * makes every call a candidate (should_fail_ex() counts only above 1), a
 * probability over 100 is accepted and fails every eligible call.
 */
static void test_values_the_files_take(void)
{
	ukmem_fault_set("failslab", "verbose", 0);
	CHECK_EQ(ukmem_fault_set("failslab", "interval", 0), 0);
	CHECK_EQ(ukmem_fault_get("failslab", "interval"), 0);
	CHECK_EQ(ukmem_fault_set("failslab", "times", 2), 0);
	CHECK_EQ(ukmem_fault_set("failslab", "probability", 100), 0);
	CHECK_EQ(atomic_failures(5), 2);
	CHECK_EQ(ukmem_fault_set("failslab", "probability", 250), 0);
	CHECK_EQ(ukmem_fault_get("failslab", "probability"), 250);
	CHECK_EQ(ukmem_fault_set("failslab", "times", 3), 0);
	CHECK_EQ(atomic_failures(5), 3);
	CHECK_EQ(ukmem_fault_set("failslab", "probability", -1), -EINVAL);
	CHECK_EQ(ukmem_fault_set("failslab", "interval", -1), -EINVAL);
	CHECK_EQ(ukmem_fault_set("failslab", "verbose_ratelimit_burst", -1), -EINVAL);
	/* verbose is an unsigned long file, min-order a u32, the rest bools (0 or 1 only). */
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "verbose", -1), -EINVAL);
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "min-order", -1), -EINVAL);
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "min-order", 1L << 32), -EINVAL);
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "task-filter", -1), -EINVAL);
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "ignore-gfp-wait", 2), -EINVAL);
	CHECK_EQ(ukmem_fault_set("fail_page_alloc", "ignore-gfp-highmem", -1), -EINVAL);
	CHECK_EQ(ukmem_fault_set("failslab", "cache-filter", 5), -EINVAL);
	CHECK_EQ(ukmem_fault_get("fail_page_alloc", "verbose"), 2);
	CHECK_EQ(ukmem_fault_get("fail_page_alloc", "min-order"), 1);
	CHECK_EQ(ukmem_fault_get("fail_page_alloc", "task-filter"), 0);
	CHECK_EQ(ukmem_fault_get("fail_page_alloc", "ignore-gfp-wait"), 1);
	ukmem_fault_set("failslab", "probability", 0);
	ukmem_fault_set("failslab", "interval", 1);
	ukmem_fault_set("failslab", "verbose", 2);
}

/*
 * verbose_ratelimit_interval_ms / _burst: at most burst reports an
 * interval, then "fail_dump: N callbacks suppressed" when the next one
 * opens (the kernel's ___ratelimit() for fail_dump()).  The failures
 * themselves are not limited.
 */
static void test_report_ratelimit(void)
{
	struct timespec ms = { 0, 5 * 1000 * 1000 };
	const char *log;

	ukmem_dmesg_clear();
	ukmem_fault_set("failslab", "verbose", 1);
	CHECK_EQ(ukmem_fault_set("failslab", "verbose_ratelimit_interval_ms", 3600 * 1000), 0);
	CHECK_EQ(ukmem_fault_set("failslab", "verbose_ratelimit_burst", 2), 0);
	CHECK_EQ(ukmem_fault_get("failslab", "verbose_ratelimit_interval_ms"), 3600 * 1000);
	CHECK_EQ(ukmem_fault_get("failslab", "verbose_ratelimit_burst"), 2);
	ukmem_fault_set("failslab", "times", 5);
	ukmem_fault_set("failslab", "probability", 100);
	CHECK_EQ(atomic_failures(5), 5);
	log = ktest_dmesg_now();
	CHECK_EQ(count_substr(log, "FAULT_INJECTION: forcing a failure."), 2);
	CHECK_EQ(count_substr(log, "callbacks suppressed"), 0);
	/* A short interval, waited out: the next report says what was dropped. */
	ukmem_fault_set("failslab", "verbose_ratelimit_interval_ms", 1);
	nanosleep(&ms, NULL);
	ukmem_fault_set("failslab", "times", 1);
	CHECK_EQ(atomic_failures(1), 1);
	log = ktest_dmesg_now();
	CHECK_STR_CONTAINS(log, "fail_dump: 3 callbacks suppressed\n");
	CHECK_EQ(count_substr(log, "FAULT_INJECTION: forcing a failure."), 3);
	/* Interval 0 again: no limit. */
	ukmem_fault_set("failslab", "verbose_ratelimit_interval_ms", 0);
	ukmem_fault_set("failslab", "times", 4);
	CHECK_EQ(atomic_failures(4), 4);
	CHECK_EQ(count_substr(ktest_dmesg_now(), "FAULT_INJECTION: forcing a failure."), 7);
	ukmem_fault_set("failslab", "probability", 0);
	ukmem_fault_set("failslab", "verbose", 2);
	ukmem_fault_set("failslab", "verbose_ratelimit_burst", 10);
}

/*
 * A fork child inherits the report's ratelimit state as the parent had it,
 * possibly taken by a parent thread in the middle of a report: a thread
 * that does not exist in the child.  The state is the attribute's own
 * (the kernel's per-attribute ratelimit_state), so a user attribute shows
 * it: taken by this process, the report is dropped as another reporter's;
 * in the child the next report is printed.  Without the take-over every
 * report of the child was dropped for good.
 */
static DECLARE_FAULT_ATTR(forked_attr);

static void report_in_child(void *arg)
{
	(void)arg;
	ukmem_dmesg_clear();
	CHECK(should_fail(&forked_attr, 1));
	CHECK_EQ(count_substr(ktest_dmesg_now(), "FAULT_INJECTION: forcing a failure."), 1);
}

static void test_report_state_across_fork(void)
{
	int status;

	forked_attr.probability = 100;
	forked_attr.verbose = 1;
	forked_attr.ratelimit_state.interval = 3600 * 1000;	/* on: the state is used */
	atomic_set(&forked_attr.times, -1);
	/* As a thread of this process leaves it while it reports. */
	forked_attr.ratelimit_state.lock = getpid();
	ukmem_dmesg_clear();
	CHECK(should_fail(&forked_attr, 1));
	CHECK_EQ(count_substr(ktest_dmesg_now(), "FAULT_INJECTION: forcing a failure."), 0);
	status = ktest_child(report_in_child, NULL);
	CHECK(ktest_exited_with(status, 0));
	forked_attr.ratelimit_state.lock = 0;
}

/*
 * fail_usercopy (lib/fault-inject-usercopy.c): the copies the kernel
 * instruments fail whole - copy_from_user() zeroes all of its destination
 * and copy_to_user() writes nothing, both reporting every byte uncopied,
 * strncpy_from_user() is -EFAULT - and the raw _inatomic forms are not
 * asked.  times and fail-nth count as for every attribute.
 */
static void test_fail_usercopy(void)
{
	char src[64] = "user bytes", dst[64];
	unsigned long i;

	CHECK_EQ(ukmem_fault_get("fail_usercopy", "probability"), 0);
	CHECK_EQ(ukmem_fault_get("fail_usercopy", "times"), 1);
	CHECK_EQ(ukmem_fault_get("fail_usercopy", "ignore-gfp-wait"), -ENOENT);
	CHECK_EQ(copy_from_user(dst, (const void __user *)src, sizeof(dst)), 0);
	CHECK(!strcmp(dst, "user bytes"));

	ukmem_fault_set("fail_usercopy", "verbose", 0);
	ukmem_fault_set("fail_usercopy", "times", 4);
	CHECK_EQ(ukmem_fault_set("fail_usercopy", "probability", 100), 0);
	memset(dst, 0x5a, sizeof(dst));
	CHECK_EQ(copy_from_user(dst, (const void __user *)src, sizeof(dst)), sizeof(dst));
	for (i = 0; i < sizeof(dst); i++)
		CHECK_EQ(dst[i], 0);
	memset(dst, 0x5a, sizeof(dst));
	CHECK_EQ(copy_to_user((void __user *)dst, src, sizeof(src)), sizeof(src));
	CHECK_EQ(dst[0], 0x5a);
	CHECK_EQ(strncpy_from_user(dst, (const char __user *)src, sizeof(dst)), -EFAULT);
	/* Asked before the count: even a count of 0 fails. */
	CHECK_EQ(strncpy_from_user(dst, (const char __user *)src, 0), -EFAULT);
	/* The raw forms copy regardless. */
	CHECK_EQ(__copy_from_user_inatomic(dst, (const void __user *)src, sizeof(src)), 0);
	CHECK(!strcmp(dst, "user bytes"));
	/* times ran out: the fifth copy goes through. */
	CHECK_EQ(ukmem_fault_get("fail_usercopy", "times"), 0);
	CHECK_EQ(copy_to_user((void __user *)dst, src, sizeof(src)), 0);
	ukmem_fault_set("fail_usercopy", "probability", 0);

	/* fail-nth: the second call asked fails, whichever attribute asks. */
	ukmem_fail_nth_set(2);
	CHECK_EQ(copy_from_user(dst, (const void __user *)src, sizeof(src)), 0);
	CHECK_EQ(copy_to_user((void __user *)dst, src, sizeof(src)), sizeof(src));
	CHECK_EQ(ukmem_fail_nth_get(), 0);
	ukmem_fault_set("fail_usercopy", "times", 1);
	ukmem_fault_set("fail_usercopy", "verbose", 2);
}

/*
 * What the kernel does not instrument stays unasked, and what it asks
 * fails as it does there: strncpy_from_kernel_nofault() and
 * copy_from_kernel_nofault() copy (mm/maccess.c reads kernel memory
 * directly); strncpy_from_user_nofault() goes through
 * strncpy_from_user(), so it fails, after its own count check;
 * __copy_from_user() fails whole but, unlike copy_from_user(), leaves its
 * destination as it was (only copy_from_user() zero-pads).
 */
static void test_fail_usercopy_nofault_forms(void)
{
	char src[64] = "user bytes", dst[64];

	ukmem_fault_set("fail_usercopy", "verbose", 0);
	ukmem_fault_set("fail_usercopy", "times", -1);
	CHECK_EQ(ukmem_fault_set("fail_usercopy", "probability", 100), 0);
	memset(dst, 0x5a, sizeof(dst));
	CHECK_EQ(strncpy_from_kernel_nofault(dst, src, sizeof(dst)), (long)strlen(src) + 1);
	CHECK(!strcmp(dst, "user bytes"));
	memset(dst, 0x5a, sizeof(dst));
	CHECK_EQ(copy_from_kernel_nofault(dst, src, sizeof(src)), 0);
	CHECK(!strcmp(dst, "user bytes"));
	CHECK_EQ(strncpy_from_user_nofault(dst, (const void __user *)src, 0), 0);
	CHECK_EQ(strncpy_from_user_nofault(dst, (const void __user *)src, sizeof(dst)), -EFAULT);
	memset(dst, 0x5a, sizeof(dst));
	CHECK_EQ(__copy_from_user(dst, (const void __user *)src, sizeof(src)), sizeof(src));
	CHECK_EQ(dst[0], 0x5a);
	CHECK_EQ(dst[sizeof(dst) - 1], 0x5a);
	ukmem_fault_set("fail_usercopy", "probability", 0);
	ukmem_fault_set("fail_usercopy", "times", 1);
	ukmem_fault_set("fail_usercopy", "verbose", 2);
	/* Unfailed, __copy_from_user() copies. */
	CHECK_EQ(__copy_from_user(dst, (const void __user *)src, sizeof(src)), 0);
	CHECK(!strcmp(dst, "user bytes"));
}

int main(void)
{
	if (!ktest_boot_quietly("mem=128M"))
		return 1;
	KTEST_RUN(KTEST(test_defaults), KTEST(test_values_the_files_take),
		  KTEST(test_report_ratelimit), KTEST(test_report_state_across_fork),
		  KTEST(test_fail_usercopy), KTEST(test_fail_usercopy_nofault_forms));
}
