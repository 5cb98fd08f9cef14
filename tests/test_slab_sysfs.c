/* SPDX-License-Identifier: MIT */
/*
 * The /sys/kernel/slab/<cache>/ files of mm/slab_sysfs.c (the kernel's
 * mm/slub.c attributes in their v7.0 shapes), read with ukmem_show() and
 * written with ukmem_write():
 * - the counts (slabs, objects, total_objects, partial, objects_partial)
 *   after known allocations, with the " N<node>=" suffixes the kernel
 *   prints, on one node and under numa=fake=2;
 * - the files of the per-CPU slabs the kernel no longer has (cpu_slabs,
 *   slabs_cpu_partial, cpu_partial), ctor, usersize, sheaf_capacity;
 * - the stores the kernel accepts and refuses (min_partial, cpu_partial,
 *   remote_node_defrag_ratio, skip_kfence), and what
 *   remote_node_defrag_ratio does: at 0 a refill takes no other node's
 *   partial slab;
 * - a cache found by the name of a cache merged into it;
 * - unknown files, including the kernel's retired "reserved".
 * Each case boots in a child of its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "mm/slab.h"
#include "ktest.h"

#define BOOT_ONE	"mem=128M kfence.sample_interval=0 kswapd=off"
#define BOOT_TWO	"mem=128M numa=fake=2 kfence.sample_interval=0 kswapd=off"
#define MAX_OBJS	4096

static char text[256];

/* slab/<cache>/<file> as text; "<errno N>" if the read fails. */
static const char *rd(const char *cache, const char *file)
{
	char path[128];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "slab/%s/%s", cache, file);
	memset(text, 0, sizeof(text));
	f = fmemopen(text, sizeof(text) - 1, "w");
	if (!f)
		return "<fmemopen>";
	ret = ukmem_show(path, f);
	fclose(f);
	if (ret)
		snprintf(text, sizeof(text), "<errno %d>", ret);
	return text;
}

static int wr(const char *cache, const char *file, const char *buf)
{
	char path[128];

	snprintf(path, sizeof(path), "slab/%s/%s", cache, file);
	return ukmem_write(path, buf);
}

static unsigned long rd_ul(const char *cache, const char *file)
{
	return strtoul(rd(cache, file), NULL, 10);
}

static const char *fmt(const char *format, ...) __attribute__((format(printf, 1, 2)));
static const char *fmt(const char *format, ...)
{
	static char buf[4][128];
	static int i;
	va_list ap;

	i = (i + 1) % 4;
	va_start(ap, format);
	vsnprintf(buf[i], sizeof(buf[i]), format, ap);
	va_end(ap);
	return buf[i];
}

static void *objs[MAX_OBJS];

/*
 * One node.  A debug cache takes one object at a time from the first
 * partial slab, so the lists are exact: 3 full slabs and one with 5
 * objects.  A plain cache's objects pass through the per-CPU stack, which
 * takes more than it hands out; after a shrink (which empties the stacks)
 * the allocated objects are exactly what was asked for.
 */
static void counts_one_node(void *arg)
{
	struct kmem_cache *d, *p;
	unsigned int ops, n, i;

	(void)arg;
	CHECK_EQ(ukmem_boot(BOOT_ONE), 0);
	ktest_pin_first_cpu(NULL);
	d = kmem_cache_create("tss_dbg", 256, 0, SLAB_CONSISTENCY_CHECKS, NULL);
	CHECK(d != NULL);
	for (i = 0; i < 5; i++)
		CHECK_STR_EQ(rd("tss_dbg", (const char *[]){ "slabs", "objects", "total_objects",
				"partial", "objects_partial" }[i]), "0\n");
	ops = (unsigned int)rd_ul("tss_dbg", "objs_per_slab");
	CHECK_EQ(ops, oo_objects(d->oo));
	n = 3 * ops + 5;
	CHECK(n <= MAX_OBJS);
	for (i = 0; i < n; i++)
		objs[i] = kmem_cache_alloc(d, GFP_KERNEL);
	CHECK_STR_EQ(rd("tss_dbg", "slabs"), "4 N0=4\n");
	CHECK_STR_EQ(rd("tss_dbg", "objects"), fmt("%u N0=%u\n", n, n));
	CHECK_STR_EQ(rd("tss_dbg", "total_objects"), fmt("%u N0=%u\n", 4 * ops, 4 * ops));
	CHECK_STR_EQ(rd("tss_dbg", "partial"), "1 N0=1\n");
	CHECK_STR_EQ(rd("tss_dbg", "objects_partial"), "5 N0=5\n");
	/* Two objects of a full slab back: two partial slabs, 5 + ops - 2 objects on them. */
	kmem_cache_free(d, objs[0]);
	kmem_cache_free(d, objs[1]);
	CHECK_STR_EQ(rd("tss_dbg", "objects"), fmt("%u N0=%u\n", n - 2, n - 2));
	CHECK_STR_EQ(rd("tss_dbg", "partial"), "2 N0=2\n");
	CHECK_STR_EQ(rd("tss_dbg", "objects_partial"), fmt("%u N0=%u\n", ops + 3, ops + 3));
	for (i = 2; i < n; i++)
		kmem_cache_free(d, objs[i]);
	CHECK_EQ(wr("tss_dbg", "shrink", "1"), 0);
	CHECK_STR_EQ(rd("tss_dbg", "slabs"), "0\n");
	CHECK_STR_EQ(rd("tss_dbg", "objects"), "0\n");
	CHECK_STR_EQ(rd("tss_dbg", "sheaf_capacity"), "0\n");	/* debug: no per-CPU stack */
	kmem_cache_destroy(d);

	p = kmem_cache_create("tss_plain", 256, 0, SLAB_NO_MERGE, NULL);
	CHECK(p != NULL);
	ops = oo_objects(p->oo);
	n = 2 * ops + 3;
	for (i = 0; i < n; i++)
		objs[i] = kmem_cache_alloc(p, GFP_KERNEL);
	CHECK(rd_ul("tss_plain", "objects") >= n);
	CHECK_EQ(wr("tss_plain", "shrink", "1"), 0);
	CHECK_STR_EQ(rd("tss_plain", "objects"), fmt("%u N0=%u\n", n, n));
	CHECK_EQ(rd_ul("tss_plain", "total_objects"), rd_ul("tss_plain", "slabs") * ops);
	CHECK(rd_ul("tss_plain", "slabs") >= 3);
	CHECK_EQ(rd_ul("tss_plain", "objects_partial") + ops *
		 (rd_ul("tss_plain", "slabs") - rd_ul("tss_plain", "partial")), n);
	CHECK_EQ(rd_ul("tss_plain", "sheaf_capacity"), p->sheaf_capacity);
	CHECK(p->sheaf_capacity > 0);
	/* No per-CPU slabs, as in the kernel since v7.0. */
	CHECK_STR_EQ(rd("tss_plain", "cpu_slabs"), "0\n");
	CHECK_STR_EQ(rd("tss_plain", "slabs_cpu_partial"), "0(0)\n");
	CHECK_STR_EQ(rd("tss_plain", "cpu_partial"), "0\n");
	for (i = 0; i < n; i++)
		kmem_cache_free(p, objs[i]);
	kmem_cache_destroy(p);
}

static void test_counts_one_node(void)
{
	ktest_child_case(counts_one_node, NULL);
}

/* numa=fake=2: each count with the share of each node. */
static void counts_two_nodes(void *arg)
{
	struct kmem_cache *d;
	unsigned int ops, a, b, i;

	(void)arg;
	CHECK_EQ(ukmem_boot(BOOT_TWO), 0);
	CHECK_EQ(nr_online_nodes, 2);
	d = kmem_cache_create("tss_numa", 128, 0, SLAB_CONSISTENCY_CHECKS, NULL);
	CHECK(d != NULL);
	ops = oo_objects(d->oo);
	a = ops + 2;		/* node 0: one full slab, one with 2 */
	b = 3;			/* node 1: one slab with 3 */
	CHECK(a + b <= MAX_OBJS);
	for (i = 0; i < a; i++)
		objs[i] = kmem_cache_alloc_node(d, GFP_KERNEL, 0);
	for (i = a; i < a + b; i++)
		objs[i] = kmem_cache_alloc_node(d, GFP_KERNEL, 1);
	for (i = 0; i < a + b; i++)
		CHECK_EQ(page_to_nid(virt_to_page(objs[i])), i < a ? 0 : 1);
	CHECK_STR_EQ(rd("tss_numa", "slabs"), "3 N0=2 N1=1\n");
	CHECK_STR_EQ(rd("tss_numa", "objects"), fmt("%u N0=%u N1=3\n", a + b, a));
	CHECK_STR_EQ(rd("tss_numa", "total_objects"),
		     fmt("%u N0=%u N1=%u\n", 3 * ops, 2 * ops, ops));
	CHECK_STR_EQ(rd("tss_numa", "partial"), "2 N0=1 N1=1\n");
	CHECK_STR_EQ(rd("tss_numa", "objects_partial"), "5 N0=2 N1=3\n");
	CHECK_STR_EQ(rd("tss_numa", "cpu_slabs"), "0\n");
	/* Node 0 empty again: only node 1 is listed. */
	for (i = 0; i < a; i++)
		kmem_cache_free(d, objs[i]);
	CHECK_EQ(wr("tss_numa", "shrink", "1"), 0);
	CHECK_STR_EQ(rd("tss_numa", "slabs"), "1 N1=1\n");
	CHECK_STR_EQ(rd("tss_numa", "objects"), "3 N1=3\n");
	for (i = a; i < a + b; i++)
		kmem_cache_free(d, objs[i]);
	kmem_cache_destroy(d);
}

static void test_counts_two_nodes(void)
{
	ktest_child_case(counts_two_nodes, NULL);
}

/*
 * remote_node_defrag_ratio: the other node holds a partial slab and this
 * node none; a refill takes the other node's objects while the ratio
 * allows (100, the default) and makes a slab of this node's at 0.
 */
static void defrag_ratio(void *arg)
{
	struct kmem_cache *s;
	unsigned int ops, i;
	int here, other;
	void *q;

	(void)arg;
	CHECK_EQ(ukmem_boot(BOOT_TWO), 0);
	ktest_pin_first_cpu(NULL);
	here = numa_mem_id();
	other = 1 - here;
	s = kmem_cache_create("tss_defrag", 256, 0, SLAB_NO_MERGE, NULL);
	CHECK(s != NULL);
	CHECK_STR_EQ(rd("tss_defrag", "remote_node_defrag_ratio"), "100\n");
	CHECK_EQ(s->remote_node_defrag_ratio, 1000);
	ops = oo_objects(s->oo);
	CHECK(2 * ops <= MAX_OBJS);
	for (i = 0; i < 2 * ops; i++)
		objs[i] = kmem_cache_alloc_node(s, GFP_KERNEL, other);
	for (i = 0; i < 2 * ops; i += 2)
		kmem_cache_free(s, objs[i]);
	/* The stacks emptied into the slabs: the other node's are partial, this node has none. */
	CHECK_EQ(wr("tss_defrag", "shrink", "1"), 0);
	CHECK_EQ(s->node[here]->nr_partial, 0);
	CHECK(s->node[other]->nr_partial > 0);

	CHECK_EQ(wr("tss_defrag", "remote_node_defrag_ratio", "0\n"), 0);
	CHECK_STR_EQ(rd("tss_defrag", "remote_node_defrag_ratio"), "0\n");
	q = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(q != NULL);
	CHECK_EQ(page_to_nid(virt_to_page(q)), here);
	kmem_cache_free(s, q);
	CHECK_EQ(wr("tss_defrag", "shrink", "1"), 0);	/* this node's new slab goes */
	CHECK_EQ(s->node[here]->nr_partial, 0);

	CHECK_EQ(wr("tss_defrag", "remote_node_defrag_ratio", "100"), 0);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(q != NULL);
	CHECK_EQ(page_to_nid(virt_to_page(q)), other);
	kmem_cache_free(s, q);
	for (i = 1; i < 2 * ops; i += 2)
		kmem_cache_free(s, objs[i]);
	kmem_cache_destroy(s);
}

static void test_defrag_ratio(void)
{
	ktest_child_case(defrag_ratio, NULL);
}

/* The stores the kernel has, with its answers to what they refuse. */
static void writable(void *arg)
{
	struct kmem_cache *s;

	(void)arg;
	CHECK_EQ(ukmem_boot(BOOT_ONE), 0);
	s = kmem_cache_create("tss_w", 100, 0, SLAB_NO_MERGE, NULL);
	CHECK(s != NULL);

	/* min_partial: kstrtoul(buf, 10). */
	CHECK_STR_EQ(rd("tss_w", "min_partial"), fmt("%lu\n", s->min_partial));
	CHECK_EQ(wr("tss_w", "min_partial", "7\n"), 0);
	CHECK_STR_EQ(rd("tss_w", "min_partial"), "7\n");
	CHECK_EQ(s->min_partial, 7);
	CHECK_EQ(wr("tss_w", "min_partial", "+8"), 0);
	CHECK_EQ(s->min_partial, 8);
	CHECK_EQ(wr("tss_w", "min_partial", "junk"), -EINVAL);
	CHECK_EQ(wr("tss_w", "min_partial", ""), -EINVAL);
	CHECK_EQ(wr("tss_w", "min_partial", "\n"), -EINVAL);
	CHECK_EQ(wr("tss_w", "min_partial", "-1"), -EINVAL);
	CHECK_EQ(wr("tss_w", "min_partial", "12 "), -EINVAL);
	CHECK_EQ(wr("tss_w", "min_partial", "9\n\n"), -EINVAL);
	CHECK_EQ(wr("tss_w", "min_partial", "0x10"), -EINVAL);
	CHECK_EQ(wr("tss_w", "min_partial", "99999999999999999999999"), -ERANGE);
	CHECK_EQ(s->min_partial, 8);
	CHECK_EQ(wr("tss_w", "min_partial", "18446744073709551615"), 0);
	CHECK_STR_EQ(rd("tss_w", "min_partial"), "18446744073709551615\n");
	CHECK_EQ(wr("tss_w", "min_partial", "5"), 0);

	/* cpu_partial: kstrtouint(), then only 0 (no cache has per-CPU partial slabs). */
	CHECK_EQ(wr("tss_w", "cpu_partial", "0\n"), 0);
	CHECK_EQ(wr("tss_w", "cpu_partial", "1"), -EINVAL);
	CHECK_EQ(wr("tss_w", "cpu_partial", "x"), -EINVAL);
	CHECK_EQ(wr("tss_w", "cpu_partial", "4294967296"), -ERANGE);
	CHECK_STR_EQ(rd("tss_w", "cpu_partial"), "0\n");

	/* remote_node_defrag_ratio: 0..100, kept times 10. */
	CHECK_STR_EQ(rd("tss_w", "remote_node_defrag_ratio"), "100\n");
	CHECK_EQ(wr("tss_w", "remote_node_defrag_ratio", "50\n"), 0);
	CHECK_STR_EQ(rd("tss_w", "remote_node_defrag_ratio"), "50\n");
	CHECK_EQ(s->remote_node_defrag_ratio, 500);
	CHECK_EQ(wr("tss_w", "remote_node_defrag_ratio", "101"), -ERANGE);
	CHECK_EQ(wr("tss_w", "remote_node_defrag_ratio", "abc"), -EINVAL);
	CHECK_EQ(wr("tss_w", "remote_node_defrag_ratio", "4294967296"), -ERANGE);
	CHECK_EQ(s->remote_node_defrag_ratio, 500);
	CHECK_EQ(wr("tss_w", "remote_node_defrag_ratio", "100"), 0);

	/* skip_kfence: '0' or '1'. */
	CHECK_STR_EQ(rd("tss_w", "skip_kfence"), "0\n");
	CHECK_EQ(wr("tss_w", "skip_kfence", "1\n"), 0);
	CHECK_STR_EQ(rd("tss_w", "skip_kfence"), "1\n");
	CHECK(s->flags & SLAB_SKIP_KFENCE);
	CHECK_EQ(wr("tss_w", "skip_kfence", "2"), -EINVAL);
	CHECK(s->flags & SLAB_SKIP_KFENCE);
	CHECK_EQ(wr("tss_w", "skip_kfence", "0"), 0);
	CHECK(!(s->flags & SLAB_SKIP_KFENCE));

	/* Read-only files, unknown ones (the kernel dropped "reserved"), unknown caches. */
	CHECK_EQ(wr("tss_w", "slabs", "1"), -EINVAL);
	CHECK_EQ(wr("tss_w", "ctor", "1"), -EINVAL);
	CHECK_EQ(wr("tss_w", "sheaf_capacity", "1"), -EINVAL);
	CHECK_EQ(wr("tss_w", "reserved", "1"), -ENOENT);
	CHECK_STR_EQ(rd("tss_w", "reserved"), fmt("<errno %d>", -ENOENT));
	CHECK_STR_EQ(rd("tss_w", "cache_dma32"), fmt("<errno %d>", -ENOENT));
	CHECK_STR_EQ(rd("tss_w", "no_such_file"), fmt("<errno %d>", -ENOENT));
	CHECK_STR_EQ(rd("tss_none", "objects"), fmt("<errno %d>", -ENOENT));
	CHECK_EQ(wr("tss_none", "min_partial", "1"), -ENOENT);
	CHECK_EQ(wr("tss_none", "remote_node_defrag_ratio", "1"), -ENOENT);
	kmem_cache_destroy(s);
}

static void test_writable(void)
{
	ktest_child_case(writable, NULL);
}

/* A constructor of this program's, for %pS to name. */
void tss_ctor(void *p);
void tss_ctor(void *p)
{
	memset(p, 0x3c, 16);
}

static void ctor_usersize(void *arg)
{
	struct kmem_cache *c, *u;

	(void)arg;
	CHECK_EQ(ukmem_boot(BOOT_ONE), 0);
	c = kmem_cache_create("tss_ctor", 64, 0, 0, tss_ctor);
	u = kmem_cache_create_usercopy("tss_user", 128, 0, 0, 16, 32, NULL);
	CHECK(c != NULL && u != NULL);
	CHECK(ktest_matches(rd("tss_ctor", "ctor"), "^tss_ctor\\+0x0/0x[0-9a-f]+\n$"));
	CHECK_STR_EQ(rd("tss_user", "ctor"), "");	/* no constructor: an empty file */
	CHECK_STR_EQ(rd("tss_user", "usersize"), "32\n");
	CHECK_STR_EQ(rd("tss_ctor", "usersize"), "0\n");
	kmem_cache_destroy(c);
	kmem_cache_destroy(u);
}

static void test_ctor_usersize(void)
{
	ktest_child_case(ctor_usersize, NULL);
}

/*
 * A cache created as a merge is reached by its own name (the kernel's
 * symlink), reads and writes reaching the cache it merged into; the name
 * stays while that cache lives and goes with it.
 */
static void alias_names(void *arg)
{
	const slab_flags_t flags = SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT;	/* no kmalloc cache has both */
	struct kmem_cache *m, *a;
	unsigned long old;

	(void)arg;
	CHECK_EQ(ukmem_boot(BOOT_ONE), 0);
	m = kmem_cache_create("tss_m1", 200, 0, flags, NULL);
	a = kmem_cache_create("tss_m2", 196, 0, flags, NULL);
	CHECK(m != NULL);
	CHECK(a == m);
	CHECK_STR_EQ(m->name, "tss_m1");
	CHECK_STR_EQ(rd("tss_m2", "aliases"), "1\n");
	CHECK_STR_EQ(rd("tss_m2", "slab_size"), fmt("%u\n", m->size));
	CHECK_STR_EQ(rd("tss_m2", "reclaim_account"), "1\n");
	old = m->min_partial;
	CHECK_EQ(wr("tss_m2", "min_partial", "7777"), 0);
	CHECK_EQ(m->min_partial, 7777);
	CHECK_STR_EQ(rd("tss_m1", "min_partial"), "7777\n");
	CHECK_EQ(wr("tss_m2", "min_partial", fmt("%lu", old)), 0);
	CHECK_EQ(wr("tss_m2", "failslab", "1"), -EINVAL);	/* merged: refused */
	CHECK_EQ(wr("tss_m2", "shrink", "1"), 0);
	/* One of its names destroyed: the link stays, as the kernel's does. */
	kmem_cache_destroy(a);
	CHECK_STR_EQ(rd("tss_m2", "aliases"), "0\n");
	CHECK_EQ(wr("tss_m2", "failslab", "1"), 0);
	CHECK(m->flags & SLAB_FAILSLAB);
	CHECK_EQ(wr("tss_m2", "failslab", "0"), 0);
	/* The cache gone: neither name is there. */
	kmem_cache_destroy(m);
	CHECK_STR_EQ(rd("tss_m1", "aliases"), fmt("<errno %d>", -ENOENT));
	CHECK_STR_EQ(rd("tss_m2", "aliases"), fmt("<errno %d>", -ENOENT));
	CHECK_EQ(wr("tss_m2", "shrink", "1"), -ENOENT);
	/* A new cache of the old name: its own, not the dead alias. */
	m = kmem_cache_create("tss_m2", 300, 0, SLAB_NO_MERGE, NULL);
	CHECK(m != NULL);
	CHECK_STR_EQ(rd("tss_m2", "object_size"), "300\n");
	kmem_cache_destroy(m);
}

static void test_alias_names(void)
{
	ktest_child_case(alias_names, NULL);
}

int main(void)
{
	KTEST_RUN(KTEST(test_counts_one_node), KTEST(test_counts_two_nodes),
		  KTEST(test_defrag_ratio), KTEST(test_writable), KTEST(test_ctor_usersize),
		  KTEST(test_alias_names));
}
