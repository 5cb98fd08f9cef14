/* SPDX-License-Identifier: MIT */
/*
 * The long signal stress (label "stress"): the script of
 * tests/signal_stress.h with 4 workers and a million signals per mode,
 * handlers doing GFP_ATOMIC kmalloc/kfree, kmem_cache_alloc/free and
 * alloc_pages/free while the workers allocate and free the same classes;
 * once with restartable sequences, once with per-CPU locks, and once with
 * slab debugging on every cache, each in a child watched for hangs.
 */
#include <ukmem/boot.h>
#include "signal_stress.h"

static struct sigs_run run;

static void one_mode(void *arg)
{
	const char *cmdline = arg;
	unsigned int seed;

	ukmem_set_console(fopen("/dev/null", "w"));
	if (ukmem_boot(cmdline)) {
		fprintf(stderr, "boot failed: %s\n", cmdline);
		exit(1);
	}
	CHECK_EQ(sigs_run(&run, 4, 1000000, 1), 0);
	for (seed = 2; seed <= 3; seed++)
		CHECK_EQ(sigs_run(&run, 2, 100000, seed), 0);
}

static void check_mode(const char *cmdline)
{
	int status = ktest_child(one_mode, (void *)cmdline);

	if (!ktest_exited_with(status, 0))
		fprintf(stderr, "%s: child status %#x\n", cmdline, status);
	CHECK(ktest_exited_with(status, 0));
}

static void stress_rseq(void)
{
	check_mode("mem=1G");
}

static void stress_locks(void)
{
	check_mode("mem=1G slab_rseq=0");
}

static void stress_debug(void)
{
	check_mode("mem=1G slub_debug=FZP");
}

int main(void)
{
	KTEST_RUN(KTEST(stress_rseq), KTEST(stress_locks), KTEST(stress_debug));
}
