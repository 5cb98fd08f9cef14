/* SPDX-License-Identifier: MIT */
/*
 * The long signal stress (label "stress"): the script of
 * tests/signal_stress.h, handlers doing GFP_ATOMIC kmalloc/kfree,
 * kmem_cache_alloc/free and alloc_pages/free while the workers allocate
 * and free the same classes: a million signals on 4 workers with
 * restartable sequences, then a quarter of that with per-CPU locks and
 * with slab debugging on every cache (two seeds each), each mode in a
 * child watched for hangs.  SIGNAL_STRESS_COUNT=n replaces the million
 * (the others scale with it) for a shorter seeded pass.
 */
#include <ukmem/boot.h>
#include "signal_stress.h"

static struct sigs_run run;

static unsigned long signals(void)
{
	const char *env = getenv("SIGNAL_STRESS_COUNT");
	long n = env ? atol(env) : 0;

	return n > 0 ? (unsigned long)n : 1000000;
}

static void one_mode(void *arg)
{
	const char *cmdline = arg;
	bool first = !strcmp(cmdline, "mem=1G");
	unsigned int seed;

	ukmem_set_console(fopen("/dev/null", "w"));
	if (ukmem_boot(cmdline)) {
		fprintf(stderr, "boot failed: %s\n", cmdline);
		exit(1);
	}
	if (first)
		CHECK_EQ(sigs_run(&run, 4, signals(), 1), 0);
	for (seed = 2; seed <= 3; seed++)
		CHECK_EQ(sigs_run(&run, 2, signals() / (first ? 10 : 8), seed), 0);
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
