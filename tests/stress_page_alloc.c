/* SPDX-License-Identifier: MIT */
/*
 * The long page allocator stress (label "stress", left out of `make
 * test`): 32 threads, 200000 operations each, on mem=2G, with the same
 * pattern checks and cross-thread frees as tests/test_page_stress.c
 * (tests/page_stress.h), then three more rounds with other seeds.  Every
 * page must come back.
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

static void test_stress_32_threads(void)
{
	unsigned long start;
	unsigned int seed;

	drain_all_pages(NULL);
	start = nr_free_pages();
	CHECK_EQ(run_page_stress(&run, 32, 200000, 1), 0);
	check_all_back(start);
	for (seed = 2; seed <= 4; seed++) {
		CHECK_EQ(run_page_stress(&run, 32, 50000, seed), 0);
		check_all_back(start);
	}
}

int main(void)
{
	FILE *quiet = fopen("/dev/null", "w");

	ukmem_set_console(quiet);
	if (ukmem_boot("mem=2G")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_stress_32_threads));
}
