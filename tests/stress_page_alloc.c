/* SPDX-License-Identifier: MIT */
/*
 * The long page allocator stress (label "stress", left out of `make
 * test`): 32 threads, 200000 operations each, on mem=2G, with the same
 * pattern checks and cross-thread frees as tests/test_page_stress.c
 * (tests/page_stress.h), then three more rounds with other seeds.  Every
 * page must come back.  KTEST_STRESS_PERCENT and KTEST_STRESS_SEED
 * (tests/ktest.h) shorten the run and choose the seeds.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <ukmem/boot.h>
#include "mm/internal.h"
#include "page_stress.h"
#include "ktest.h"

static struct stress_run run;

static void check_all_back(unsigned long free_at_start)
{
	struct ukmem_page_census c;

	drain_all_pages(NULL);
	CHECK_EQ(ukmem_check_page_allocator(&c), 0);
	CHECK_EQ(c.free + c.pcp + c.allocated, c.managed);
	CHECK_EQ(c.allocated, 0);
	CHECK_EQ(nr_free_pages(), free_at_start);
}

static void stress_32_threads(void *unused)
{
	unsigned long start;
	unsigned int seed;

	unsigned int seed0 = ktest_stress_seed();

	drain_all_pages(NULL);
	start = nr_free_pages();
	CHECK_EQ(run_page_stress(&run, 32, ktest_stress_ops(200000), seed0), 0);
	check_all_back(start);
	for (seed = seed0 + 1; seed <= seed0 + 3; seed++) {
		CHECK_EQ(run_page_stress(&run, 32, ktest_stress_ops(50000), seed), 0);
		check_all_back(start);
	}
}

/* In a child with hang detection: the threads report progress as they go. */
static void test_stress_32_threads(void)
{
	ktest_child_case(stress_32_threads, NULL);
}

int main(void)
{
	FILE *quiet = fopen("/dev/null", "w");

	ukmem_set_console(quiet);
	ktest_stress_banner("stress_page_alloc");
	if (ukmem_boot("mem=2G")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_stress_32_threads));
}
