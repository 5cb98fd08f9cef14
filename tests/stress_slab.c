/* SPDX-License-Identifier: MIT */
/*
 * The long slab stress (label "stress", left out of `make test`): the
 * script of tests/slab_stress.h with 32 threads and 200000 operations each
 * on mem=2G, then three more seeds; every object's content checked before
 * it is freed, and afterwards every object and every slab page accounted
 * for.  Run once with per-CPU locks (slab_rseq=0) and once with the default
 * per-CPU mode, each in a child (ktest_child_case) with hang detection.  KTEST_STRESS_PERCENT and KTEST_STRESS_SEED
 * (tests/ktest.h) shorten the run and choose the seeds.
 */
#include "slab_test.h"
#include "slab_stress.h"

static struct slab_stress_run run;

static void one_mode(void *arg)
{
	const char *cmdline = arg;
	struct slabinfo_line l;
	unsigned int seed, seed0 = ktest_stress_seed();
	long slab0;

	ukmem_set_console(fopen("/dev/null", "w"));
	if (ukmem_boot(cmdline)) {
		fprintf(stderr, "boot failed\n");
		exit(1);
	}
	ktest_current = cmdline;
	run.plain = kmem_cache_create("tslab_st_plain", 100, 0, SLAB_NO_MERGE, NULL);
	run.ctor = kmem_cache_create("tslab_st_ctor", 64, 0, 0, slab_stress_ctor);
	kmem_cache_shrink_all();
	slab0 = meminfo_kb("Slab");
	CHECK_EQ(run_slab_stress(&run, 32, ktest_stress_ops(200000), seed0), 0);
	for (seed = seed0 + 1; seed <= seed0 + 3; seed++)
		CHECK_EQ(run_slab_stress(&run, 32, ktest_stress_ops(50000), seed), 0);
	kmem_cache_shrink_all();
	CHECK(slabinfo_get("tslab_st_plain", &l, NULL, 0));
	CHECK_EQ(l.active_objs, 0);
	CHECK(slabinfo_get("tslab_st_ctor", &l, NULL, 0));
	CHECK_EQ(l.active_objs, 0);
	CHECK_EQ(meminfo_kb("Slab"), slab0);
	kmem_cache_destroy(run.plain);
	kmem_cache_destroy(run.ctor);
}

/* Each mode boots its own machine, in a child with hang detection. */
static void test_lock_mode(void)
{
	ktest_child_case(one_mode, (void *)"mem=2G slab_rseq=0");
}

static void test_default_mode(void)
{
	ktest_child_case(one_mode, (void *)"mem=2G");
}

int main(void)
{
	ktest_stress_banner("stress_slab");
	KTEST_RUN(KTEST(test_lock_mode), KTEST(test_default_mode));
}
