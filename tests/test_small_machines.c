/* SPDX-License-Identifier: MIT */
/*
 * Small machines.  The boot refuses a mem= below what it needs itself
 * (mem_map, the per-pfn and per-node tables, the pcp lists, the first
 * per-CPU chunk) plus a working set, with "mem=X is below the minimum of
 * N MiB for C CPUs"; mem=0 stays malformed, as in the kernel.  The
 * estimate it decides with bounds what the boot really reserves.  Then the
 * built `ukmem` command, run as a user would: every report and the demo
 * finish, exit 0 and print what they should on mem= at the minimum, 16M,
 * 32M and 64M (before the fix, `ukmem show meminfo --cmdline mem=16M`
 * never returned), and too-small values are refused with the message.
 * Each case runs in a child (ktest_child) with hang detection.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <ukmem/boot.h>
#include <linux/kfence.h>
#include "mm/internal.h"
#include "mm/kfence.h"
#include "mm/slab.h"
#include "ktest.h"

static char logbuf[1 << 16];
static unsigned long min_mib;	/* the minimum the boot names, in MiB */

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

static void quiet(void)
{
	ktest_failures = 0;	/* a child counts its own (every child starts here) */
	ukmem_set_console(fopen("/dev/null", "w"));
}

/* ---- the boot's refusal, in this process's children ---- */

static void refuse_one(void *arg)
{
	const char *cmdline = arg;
	char want[128];
	const char *msg;

	quiet();
	CHECK_EQ(ukmem_boot(cmdline), -EINVAL);
	CHECK(!ukmem_booted());
	snprintf(want, sizeof(want), "%s is below the minimum of ", cmdline);
	msg = strstr(dmesg_now(), want);
	CHECK_STR_CONTAINS(logbuf, want);
	CHECK(strstr(logbuf, "Malformed") == NULL);
	if (msg)
		CHECK_EQ(strtoul(msg + strlen(want), NULL, 10), min_mib);
	/* Nothing was booted: the caller may boot again, at the minimum. */
	snprintf(want, sizeof(want), "mem=%luM", min_mib);
	CHECK_EQ(ukmem_boot(want), 0);
	CHECK_EQ(totalram_pages() > 0, 1);
}

static void find_minimum(void *arg)
{
	FILE *f = arg;
	const char *msg;

	quiet();
	CHECK_EQ(ukmem_boot("mem=1"), -EINVAL);
	msg = strstr(dmesg_now(), "below the minimum of ");
	CHECK(msg != NULL);
	if (msg)
		fprintf(f, "%lu\n", strtoul(msg + strlen("below the minimum of "), NULL, 10));
	fflush(f);
}

static void test_minimum_named(void)
{
	FILE *f = tmpfile();

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(ktest_exited_with(ktest_child(find_minimum, f), 0));
	rewind(f);
	CHECK_EQ(fscanf(f, "%lu", &min_mib), 1);
	fclose(f);
	/* Whole max-order blocks, and at least one. */
	CHECK(min_mib >= 4 && min_mib % 4 == 0);
}

static void test_too_small_refused(void)
{
	static const char *const too_small[] = { "mem=1", "mem=4K", "mem=1M", "mem=3M" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(too_small); i++)
		CHECK(ktest_exited_with(ktest_child(refuse_one, (void *)too_small[i]), 0));
}

static void malformed_zero(void *arg)
{
	(void)arg;
	quiet();
	CHECK_EQ(ukmem_boot("mem=0"), -EINVAL);
	CHECK_STR_CONTAINS(dmesg_now(), "Malformed early option 'mem'\n");
}

static void test_zero_malformed(void)
{
	CHECK(ktest_exited_with(ktest_child(malformed_zero, NULL), 0));
}

/* The implicit boot reports the value and goes on without it (host RAM). */
static void implicit_too_small(void *arg)
{
	void *p;

	(void)arg;
	quiet();
	setenv("UKMEM_CMDLINE", "mem=1M", 1);
	p = kmalloc(100, GFP_KERNEL);
	CHECK(p != NULL);
	kfree(p);
	CHECK(ukmem_booted());
	CHECK_STR_CONTAINS(dmesg_now(), "mem=1M is below the minimum of ");
	CHECK(totalram_pages() > (min_mib << 20) / PAGE_SIZE);
}

static void test_implicit_too_small(void)
{
	CHECK(ktest_exited_with(ktest_child(implicit_too_small, NULL), 0));
}

/* What the boot decided with bounds what it reserved. */
static void reserved_within_estimate(void *arg)
{
	const char *cmdline = arg;
	unsigned long estimate;

	quiet();
	CHECK_EQ(ukmem_boot(cmdline), 0);
	estimate = PAGE_SIZE + mm_boot_bytes(max_pfn, nr_online_nodes, nr_cpu_ids) +
		   pcpu_boot_bytes(nr_cpu_ids) + (__kfence_pool ? kfence_pool_bytes() : 0);
	CHECK(memblock_reserved_size() <= estimate);
	if (memblock_reserved_size() > estimate)
		fprintf(stderr, "%s: reserved %llu, estimated %lu\n", cmdline,
			(unsigned long long)memblock_reserved_size(), estimate);
}

static void test_estimate_bounds_reservation(void)
{
	static char at_min[32];
	static const char *const lines[] = {
		at_min, "mem=16M numa=fake=2", "mem=64M", "mem=1G highmem", "mem=256M numa=fake=4",
	};
	size_t i;

	snprintf(at_min, sizeof(at_min), "mem=%luM", min_mib);
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		CHECK(ktest_exited_with(ktest_child(reserved_within_estimate, (void *)lines[i]), 0));
}

/*
 * A KFENCE pool the machine has no room for: KFENCE is off, with the
 * kernel's message for a failed pool allocation, and the mem= stands
 * (it used to be refused as below a minimum that counted the pool).
 */
static void kfence_pool_too_large(void *arg)
{
	void *p;

	(void)arg;
	quiet();
	CHECK_EQ(ukmem_boot("mem=16M kfence.sample_interval=100 kfence.num_objects=2000"), 0);
	CHECK_STR_CONTAINS(dmesg_now(), "kfence: failed to allocate pool\n");
	CHECK(!kfence_is_enabled());
	CHECK(__kfence_pool == NULL);
	CHECK_EQ(max_pfn, (16UL << 20) / PAGE_SIZE);
	p = kmalloc(100, GFP_KERNEL);
	CHECK(p != NULL && !is_kfence_address(p));
	kfree(p);
}

/* The same pool where it fits: taken from memblock, KFENCE on. */
static void kfence_pool_fits(void *arg)
{
	(void)arg;
	quiet();
	CHECK_EQ(ukmem_boot("mem=64M kfence.sample_interval=100 kfence.num_objects=2000"), 0);
	CHECK(strstr(dmesg_now(), "kfence: failed") == NULL);
	CHECK(__kfence_pool != NULL);
	/* Under ASan the pool is reserved but KFENCE stays off (ASan owns the faults). */
	if (!SLAB_ASAN)
		CHECK(kfence_is_enabled());
}

static void test_kfence_pool_room(void)
{
	CHECK(ktest_exited_with(ktest_child(kfence_pool_too_large, NULL), 0));
	CHECK(ktest_exited_with(ktest_child(kfence_pool_fits, NULL), 0));
}

/* ---- the ukmem command on small machines ---- */

static char ukmem_bin[PATH_MAX];

/* build/tests/test_small_machines -> build/ukmem */
static bool find_ukmem(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return false;
	self[n] = '\0';
	snprintf(ukmem_bin, sizeof(ukmem_bin), "%s/../ukmem", dirname(self));
	return access(ukmem_bin, X_OK) == 0;
}

struct run {
	const char *args[6];
	int exit_code;
	const char *stdout_has[3];
	const char *stderr_has;
};

static char *slurp(FILE *f)
{
	static char buf[1 << 20];
	size_t n;

	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	return buf;
}

/* The child: the command in a grandchild, its output in temporary files. */
static void run_ukmem(void *arg)
{
	const struct run *r = arg;
	FILE *out = tmpfile(), *err = tmpfile();
	char *argv[8] = { ukmem_bin };
	int status = -1, i;
	pid_t pid;

	ktest_failures = 0;
	for (i = 0; i < 6 && r->args[i]; i++)
		argv[i + 1] = (char *)r->args[i];
	argv[i + 1] = NULL;
	CHECK(out && err);
	if (!out || !err)
		return;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		/* A hung command dies with the child that the hang detector kills. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		execv(ukmem_bin, argv);
		_exit(127);
	}
	CHECK(pid > 0);
	waitpid(pid, &status, 0);
	if (!ktest_exited_with(status, r->exit_code)) {
		CHECK(ktest_exited_with(status, r->exit_code));
		fprintf(stderr, "status %#x; stderr:\n%.2000s\n", status, slurp(err));
	}
	for (i = 0; i < 3 && r->stdout_has[i]; i++)
		CHECK_STR_CONTAINS(slurp(out), r->stdout_has[i]);
	if (r->stderr_has)
		CHECK_STR_CONTAINS(slurp(err), r->stderr_has);
	/* One OOM report per episode at most, never one per retry. */
	{
		const char *e = slurp(err);
		int reports = 0;

		while ((e = strstr(e, "invoked oom-killer"))) {
			reports++;
			e++;
		}
		CHECK(reports <= 1);
	}
	fclose(out);
	fclose(err);
}

static void run_cell(const char *name, struct run *r)
{
	char label[128] = "ukmem";
	int i;

	for (i = 0; i < 6 && r->args[i]; i++)
		snprintf(label + strlen(label), sizeof(label) - strlen(label), " %s", r->args[i]);
	ktest_current = label;
	if (!ktest_exited_with(ktest_child(run_ukmem, r), 0)) {
		ktest_failures++;
		fprintf(stderr, "FAIL %s: %s\n", name, label);
	}
	ktest_current = name;
}

static void test_reports_and_demo(void)
{
	static const char *const reports[][2] = {
		{ "meminfo", "MemTotal:" }, { "buddyinfo", "Node 0, zone" },
		{ "slabinfo", "slabinfo - version: 2.1" }, { "zoneinfo", "Node 0, zone" },
	};
	char sizes[4][16], dir[PATH_MAX], lib[PATH_MAX + 32];
	bool malloc_lib;
	size_t s, i;

	if (!find_ukmem()) {
		KTEST_SKIP("no ukmem binary beside the tests (%s)", ukmem_bin);
		return;
	}
	snprintf(dir, sizeof(dir), "%s", ukmem_bin);
	snprintf(lib, sizeof(lib), "%s/libukmem-malloc.so", dirname(dir));
	malloc_lib = access(lib, R_OK) == 0;
	snprintf(sizes[0], sizeof(sizes[0]), "mem=%luM", min_mib);
	strcpy(sizes[1], "mem=16M");
	strcpy(sizes[2], "mem=32M");
	strcpy(sizes[3], "mem=64M");
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (i = 0; i < ARRAY_SIZE(reports); i++) {
			struct run r = {
				{ "show", reports[i][0], "--cmdline", sizes[s] }, 0,
				{ reports[i][1] }, NULL,
			};

			run_cell(__func__, &r);
		}
		{
			/*
			 * The demo ends with a program on the malloc front end,
			 * which sanitizer builds leave out: then it says so and
			 * exits 1, after the machine's part.
			 */
			struct run r = {
				{ "demo", "--cmdline", sizes[s] }, malloc_lib ? 0 : 1,
				{ "=== /proc/meminfo after the built-in workload",
				  "=== /proc/slabinfo after the built-in workload",
				  "=== /proc/vmallocinfo after the built-in workload" },
				malloc_lib ? NULL : "cannot find libukmem-malloc.so",
			};

			run_cell(__func__, &r);
		}
	}
}

static void test_command_refuses(void)
{
	static const char *const too_small[] = { "mem=1", "mem=4K", "mem=2M" };
	size_t i;

	if (!find_ukmem()) {
		KTEST_SKIP("no ukmem binary beside the tests (%s)", ukmem_bin);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(too_small); i++) {
		char want[96];
		struct run r = { { "show", "meminfo", "--cmdline", too_small[i] }, 1, { NULL }, want };

		snprintf(want, sizeof(want), "%s is below the minimum of %lu MiB", too_small[i],
			 min_mib);
		run_cell(__func__, &r);
	}
}

int main(void)
{
	KTEST_RUN(KTEST(test_minimum_named), KTEST(test_too_small_refused),
		  KTEST(test_zero_malformed), KTEST(test_implicit_too_small),
		  KTEST(test_estimate_bounds_reservation), KTEST(test_kfence_pool_room),
		  KTEST(test_reports_and_demo),
		  KTEST(test_command_refuses));
}
