/* SPDX-License-Identifier: MIT */
/*
 * ukmem_show("slab/<cache>/alloc_traces" | "free_traces"): the kernel's
 * /sys/kernel/debug/slab/<cache>/ files, for a cache with slub_debug=U.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/slab.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "ktest.h"

#define N 12
static void *objs[N];

/* Not static: traces name callers from the dynamic symbol table. */
noinline void allocate_them(void);
noinline void allocate_them(void)
{
	for (int i = 0; i < N; i++)
		objs[i] = kmalloc(50, GFP_KERNEL);
}

static char *show(const char *name, int *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*err = ukmem_show(name, f);
	fclose(f);
	return buf;
}

static void test_trace_files(void)
{
	char line[64];
	char *out;
	int err;

	allocate_them();
	out = show("slab/kmalloc-64/alloc_traces", &err);
	CHECK_EQ(err, 0);
	snprintf(line, sizeof(line), "%7d allocate_them+", N);
	CHECK_STR_CONTAINS(out, line);
	/* kmalloc(50) from kmalloc-64: the kernel's waste=<total>/<per object>. */
	snprintf(line, sizeof(line), " waste=%d/14 age=", N * 14);
	CHECK_STR_CONTAINS(out, line);
	/* One node: no nodes= column (slab_debugfs_show() needs nr_online_nodes > 1). */
	CHECK(strstr(out, " nodes=") == NULL);
	CHECK_STR_CONTAINS(out, " age=");
	CHECK_STR_CONTAINS(out, " pid=");
	free(out);

	for (int i = 0; i < N; i++)
		kfree(objs[i]);
	out = show("slab/kmalloc-64/free_traces", &err);
	CHECK_EQ(err, 0);
	free(out);

	out = show("slab/no-such-cache/alloc_traces", &err);
	CHECK_EQ(err, -ENOENT);
	free(out);
	/* debugfs_slab_add(): no trace files for a cache without owner tracks. */
	out = show("slab/kmalloc-128/alloc_traces", &err);
	CHECK_EQ(err, -ENOENT);
	free(out);
	out = show("slab/kmalloc-128/free_traces", &err);
	CHECK_EQ(err, -ENOENT);
	free(out);
	/* /sys/kernel/slab/<cache>/validate reads empty (mm/slab_sysfs.c). */
	out = show("slab/kmalloc-64/validate", &err);
	CHECK_EQ(err, 0);
	CHECK_EQ(strlen(out), 0);
	free(out);
	out = show("slab/kmalloc-64/no_such_file", &err);
	CHECK_EQ(err, -ENOENT);
	free(out);
}

int main(void)
{
	FILE *quiet = fopen("/dev/null", "w");

	ukmem_set_console(quiet);
	if (ukmem_boot("slub_debug=U,kmalloc-64")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_trace_files));
}
