/* SPDX-License-Identifier: MIT */
/*
 * Deterministic multi-threaded stress of the page allocator (unit size):
 * 8 threads, more than this machine has CPUs, 20000 operations each on
 * mem=1G, with pattern checks before every free and cross-thread frees
 * through locked mailboxes (tests/page_stress.h).  Afterwards every page is
 * back: the validator finds nothing and nr_free_pages() is what it was.
 * tests/stress_page_alloc.c is the long version.
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
	CHECK_EQ(c.pcp, 0);
	CHECK_EQ(nr_free_pages(), free_at_start);
}

static void test_stress_8_threads(void)
{
	unsigned long start, i, allocs = 0, remote = 0;

	drain_all_pages(NULL);
	start = nr_free_pages();
	CHECK_EQ(run_page_stress(&run, 8, 20000, 1), 0);
	for (i = 0; i < 8; i++) {
		allocs += run.thread[i].allocs;
		remote += run.thread[i].remote_frees;
	}
	/* The script really ran: most operations allocated or freed. */
	CHECK(allocs > 8 * 20000 / 3);
	CHECK(remote > 1000);
	check_all_back(start);
}

/* A second script on the same machine: everything was reusable. */
static void test_stress_again(void)
{
	unsigned long start;

	drain_all_pages(NULL);
	start = nr_free_pages();
	CHECK_EQ(run_page_stress(&run, 8, 10000, 2), 0);
	check_all_back(start);
}

int main(void)
{
	FILE *quiet = fopen("/dev/null", "w");

	ukmem_set_console(quiet);
	if (ukmem_boot("mem=1G")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_stress_8_threads), KTEST(test_stress_again));
}
