/* SPDX-License-Identifier: MIT */
/*
 * The long slab stress (label "stress", left out of `make test`): the
 * script of tests/slab_stress.h with 32 threads and 200000 operations each
 * on mem=2G, then three more seeds; every object's content checked before
 * it is freed, and afterwards every object and every slab page accounted
 * for.  Run once with the default per-CPU mode and once, in a child, with
 * per-CPU locks (slab_rseq=0).
 */
#include "slab_test.h"
#include "slab_stress.h"

static struct slab_stress_run run;

static void one_mode(const char *cmdline)
{
	struct slabinfo_line l;
	unsigned int seed;
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
	CHECK_EQ(run_slab_stress(&run, 32, 200000, 1), 0);
	for (seed = 2; seed <= 4; seed++)
		CHECK_EQ(run_slab_stress(&run, 32, 50000, seed), 0);
	kmem_cache_shrink_all();
	CHECK(slabinfo_get("tslab_st_plain", &l, NULL, 0));
	CHECK_EQ(l.active_objs, 0);
	CHECK(slabinfo_get("tslab_st_ctor", &l, NULL, 0));
	CHECK_EQ(l.active_objs, 0);
	CHECK_EQ(meminfo_kb("Slab"), slab0);
	kmem_cache_destroy(run.plain);
	kmem_cache_destroy(run.ctor);
}

static void lock_mode_child(void)
{
	one_mode("mem=2G slab_rseq=0");
}

int main(void)
{
	static char out[1 << 16];
	int status = run_in_child(lock_mode_child, out, sizeof(out));

	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		ktest_failures++;
		fprintf(stderr, "lock mode failed (status %#x):\n%s\n", status, out);
	}
	one_mode("mem=2G");
	if (ktest_failures)
		fprintf(stderr, "%d check(s) failed\n", ktest_failures);
	return ktest_failures ? 1 : 0;
}
