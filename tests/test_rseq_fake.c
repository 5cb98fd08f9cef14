/* SPDX-License-Identifier: MIT */
/*
 * slab_rseq=fake, the switch that lets callgrind count the production fast
 * path (bench/callgrind*.sh): where the process has no rseq area of glibc's
 * (valgrind refuses the registration; here glibc is told not to make one,
 * GLIBC_TUNABLES=glibc.pthread.rseq=0, and the test runs itself again), the
 * boot installs an area of its own that says CPU 0, and the slab layer's
 * restartable sequences run on it.  Where glibc has an area, the switch is
 * refused: a fake area next to a real one would let sequences on other
 * CPUs' stacks commit unaborted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <ukmem/boot.h>
#include "arch/host.h"
#include "arch/rseq.h"
#include "mm/slab.h"
#include "ktest.h"

static bool glibc_has_rseq;	/* before the boot: a real area exists */

static void fake_in_child(void *unused)
{
	struct kmem_cache *s;
	void *objs[64];
	int round, i;

	(void)unused;
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=256M slab_rseq=fake"), 0);
	CHECK(arch_rseq_is_fake());
	/* The sequences, not lock mode (a ThreadSanitizer build has none). */
	CHECK(!ARCH_HAS_RSEQ_STACKS || slab_fast.rseq != 0);
	CHECK_EQ(raw_smp_processor_id(), 0);
	s = kmem_cache_create("rseq_fake", 48, 0, SLAB_NO_MERGE, NULL);
	CHECK(s != NULL);
	if (!s)
		return;
	for (round = 0; round < 200; round++) {
		for (i = 0; i < 64; i++) {
			objs[i] = i % 2 ? kmalloc(16 + i * 8, GFP_KERNEL) :
					  kmem_cache_alloc(s, GFP_KERNEL);
			CHECK(objs[i] != NULL);
			if (objs[i])
				memset(objs[i], round, 16);
		}
		for (i = 63; i >= 0; i--)
			if (i % 2)
				kfree(objs[i]);
			else
				kmem_cache_free(s, objs[i]);
		free_pages(__get_free_page(GFP_KERNEL), 0);
	}
	kmem_cache_destroy(s);
}

static void case_fake_without_glibc_rseq(void)
{
	if (glibc_has_rseq) {
		KTEST_SKIP("glibc kept its rseq area despite glibc.pthread.rseq=0");
		return;		/* KTEST_SKIP does not return */
	}
	CHECK_EQ(ktest_child(fake_in_child, NULL), 0);
}

static void refused_in_child(void *unused)
{
	(void)unused;
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK(ukmem_boot("mem=256M slab_rseq=fake") != 0);
	CHECK(!arch_rseq_is_fake());
}

static void case_refused_beside_glibc_rseq(void)
{
	if (!getenv("RSEQ_FAKE_HAD_RSEQ")) {
		KTEST_SKIP("this host's glibc registers no rseq area");
		return;
	}
	/* The re-run has none: the parent's verdict is the one that counts here. */
	CHECK(getenv("RSEQ_FAKE_REFUSED") && !strcmp(getenv("RSEQ_FAKE_REFUSED"), "1"));
}

int main(int argc, char **argv)
{
	(void)argc;
	glibc_has_rseq = arch_rseq_offset() != 0;
	if (glibc_has_rseq && !getenv("RSEQ_FAKE_RERUN")) {
		/* With glibc's area: the switch must be refused (in a child). */
		pid_t pid = fork();
		int status = 0;

		if (pid == 0) {
			refused_in_child(NULL);
			_exit(ktest_failures ? 1 : 0);
		}
		waitpid(pid, &status, 0);
		setenv("RSEQ_FAKE_REFUSED", WIFEXITED(status) && !WEXITSTATUS(status) ? "1" : "0", 1);
		setenv("RSEQ_FAKE_HAD_RSEQ", "1", 1);
		setenv("RSEQ_FAKE_RERUN", "1", 1);
		setenv("GLIBC_TUNABLES", "glibc.pthread.rseq=0", 1);
		execv("/proc/self/exe", argv);
		perror("execv");
		return 1;
	}
	KTEST_RUN(KTEST(case_fake_without_glibc_rseq), KTEST(case_refused_beside_glibc_rseq));
}
