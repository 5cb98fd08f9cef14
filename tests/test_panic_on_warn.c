/* SPDX-License-Identifier: MIT */
/*
 * panic_on_warn and kernel.warn_limit (kernel/panic.c check_panic_on_warn()):
 * with the boot parameter or the sysctl set, a WARN(), a slab_debug
 * report or a KFENCE report ends in the kernel's panic ("Kernel panic - not syncing: kernel:
 * panic_on_warn set ...") and SIGABRT; the report that brings the count
 * to kernel.warn_limit panics ("system warned too often"); without either
 * a WARN is reported and survived.  The panics run in forked children.
 */
#include "slab_test.h"
#include <linux/kfence.h>
#include <linux/panic.h>
#include <ukmem/debug.h>
#include <ukmem/sysctl.h>
#include "mm/kfence.h"

/* The console stays stderr (the pipe): the reports must reach it. */
static void boot_loud(const char *cmdline)
{
	if (ukmem_boot(cmdline))
		_exit(3);
}

static void warn_boot_param(void)
{
	boot_loud("mem=64M loglevel=5 panic_on_warn=1");
	WARN(1, "tpanic: the first warning %d\n", 7);
	fprintf(stderr, "survived the warning\n");
	_exit(2);
}

static void warn_sysctl(void)
{
	boot_loud("mem=64M loglevel=5");
	if (ukmem_sysctl("kernel.panic_on_warn", "1"))
		_exit(4);
	WARN_ON(1);
	_exit(2);
}

/* The limit's own count: two warnings live, the third is the limit. */
static void warn_limit(void)
{
	unsigned long before;

	boot_loud("mem=64M loglevel=5");
	if (ukmem_sysctl("/proc/sys/kernel/warn_limit", "3\n"))
		_exit(4);
	before = ukmem_warn_count();
	WARN(1, "tpanic: warning one\n");
	WARN(1, "tpanic: warning two\n");
	if (ukmem_warn_count() != before + 2)
		_exit(5);
	fprintf(stderr, "tpanic: two warnings survived\n");
	WARN(1, "tpanic: warning three\n");
	_exit(2);
}

/* A KFENCE report is WARN-class: an object freed twice. */
static void kfence_report(void)
{
	void *p = NULL;
	int i;

	boot_loud("mem=64M loglevel=5 kfence.sample_interval=100 panic_on_warn=1");
	for (i = 0; i < 64 && !p; i++) {
		void *q;

		kfence_force_next();
		q = kmalloc(32, GFP_KERNEL);
		if (q && is_kfence_address(q))
			p = q;
		else
			kfree(q);
	}
	if (!p)
		_exit(6);
	kfree(p);
	fprintf(stderr, "tpanic: freeing again\n");
	kfree(p);
	_exit(2);
}

/* A slab_debug report: 6.12's object_err() ends in WARN_ON(1). */
static void slab_report(void)
{
	char *p;

	boot_loud("mem=64M loglevel=5 slub_debug=FZPU,kmalloc-64 panic_on_warn=1");
	p = kmalloc(64, GFP_KERNEL);
	if (!p)
		_exit(6);
	__asm__ volatile("" : "+r"(p));	/* the overrun is the point: hide it from the compiler */
	p[64] = 0x42;	/* into the right red zone */
	fprintf(stderr, "tpanic: freeing the overrun object\n");
	kfree(p);
	_exit(2);
}

static const struct crash_case cases[] = {
	{ "panic_on_warn=1: WARN()", warn_boot_param,
	  { "tpanic: the first warning 7\n", "WARNING: ",
	    "Kernel panic - not syncing: kernel: panic_on_warn set ...\n",
	    "---[ end Kernel panic - not syncing: kernel: panic_on_warn set ... ]---", NULL } },
	{ "kernel.panic_on_warn=1: WARN_ON()", warn_sysctl,
	  { "WARNING: ", "Kernel panic - not syncing: kernel: panic_on_warn set ...\n",
	    NULL } },
	{ "kernel.warn_limit=3", warn_limit,
	  { "tpanic: two warnings survived\n", "tpanic: warning three\n",
	    "Kernel panic - not syncing: kernel: system warned too often (kernel.warn_limit is 3)\n",
	    NULL } },
	{ "panic_on_warn=1: a slab_debug report", slab_report,
	  { "tpanic: freeing the overrun object\n", "[Right Redzone overwritten] 0x",
	    "BUG kmalloc-64 (Not tainted): Object corrupt",
	    "Kernel panic - not syncing: kernel: panic_on_warn set ...\n", NULL } },
	{ "panic_on_warn=1: a KFENCE report", kfence_report,
	  { "tpanic: freeing again\n", "BUG: KFENCE: invalid free",
	    "Kernel panic - not syncing: KFENCE: panic_on_warn set ...\n", NULL } },
};

/* Without either switch, a WARN is reported and the program goes on; the sysctls' ranges. */
static void test_default_survives(void)
{
	char buf[32];
	unsigned long before = ukmem_warn_count();

	CHECK_EQ(panic_on_warn, 0);
	CHECK_EQ(ukmem_sysctl_read("kernel.panic_on_warn", buf, sizeof(buf)), 2);
	CHECK_STR_EQ(buf, "0\n");
	CHECK_EQ(ukmem_sysctl_read("kernel.warn_limit", buf, sizeof(buf)), 2);
	CHECK_STR_EQ(buf, "0\n");
	ukmem_dmesg_clear();
	CHECK(WARN(1, "tpanic: a warning to survive\n"));
	CHECK_STR_CONTAINS(log_text(), "tpanic: a warning to survive\n");
	CHECK_STR_CONTAINS(log_text(), "---[ end trace ");
	/* The trace starts at the function with the WARN (the trap's registers), not in the report. */
	{
		const char *log = log_text(), *task = strstr(log, "<TASK>\n");
		const char *first = task ? task + strlen("<TASK>\n") : NULL;	/* the first frame's line */
		const char *frame = first ? strstr(first, "test_default_survives+0x") : NULL;

		CHECK(frame != NULL && frame < strchr(first, '\n'));
		CHECK(strstr(log, "__warn_printk") == NULL);
	}
	CHECK_EQ(ukmem_warn_count(), before + 1);
	/* kernel.panic_on_warn is 0 or 1 (proc_dointvec_minmax); warn_limit not below 0. */
	CHECK_EQ(ukmem_sysctl("kernel.panic_on_warn", "2"), -EINVAL);
	CHECK_EQ(ukmem_sysctl("kernel.warn_limit", "-1"), -EINVAL);
	CHECK_EQ(panic_on_warn, 0);
	/* Set and cleared again at run time. */
	CHECK_EQ(ukmem_sysctl("kernel.panic_on_warn", "1"), 0);
	CHECK_EQ(panic_on_warn, 1);
	CHECK_EQ(ukmem_sysctl("kernel.panic_on_warn", "0"), 0);
	CHECK(WARN_ON(1));
}

int main(void)
{
	if (crash_cases_then_boot(cases, ARRAY_SIZE(cases), "mem=64M"))
		return 1;
	KTEST_RUN(KTEST(test_default_survives));
}
