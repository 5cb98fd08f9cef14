/* SPDX-License-Identifier: MIT */
/*
 * The kernel's vmalloc stress test (lib/test_vmalloc.c, tests/vmalloc_kunit.h)
 * with its two workers and every case, at 3000 loops instead of 1000000
 * (tests/stress_vmalloc.c runs the default).  long_busy_list_alloc_test and
 * full_fit_alloc_test keep their full sizes: 15000 and fls(CPUs) * 8192
 * pairs of live one-page areas per worker, more than one host mapping each
 * could ever allow.  mem=2G.
 */
#include <stdio.h>
#include <string.h>

#include <ukmem/boot.h>
#include "vmalloc_kunit.h"

static char vmk_log[1 << 16];

static void test_kernel_cases_two_threads(void)
{
	ukmem_dmesg_clear();
	vmk_run(2, 3000, 1);
	/* no_block_alloc_test's atomic vmalloc() never took a sleeping path. */
	ukmem_dmesg(vmk_log, sizeof(vmk_log));
	CHECK(strstr(vmk_log, "sleeping function called from invalid context") == NULL);
	CHECK(strstr(vmk_log, "vmalloc error") == NULL);
}

int main(void)
{
	if (ukmem_boot("mem=2G loglevel=1")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_kernel_cases_two_threads));
}
