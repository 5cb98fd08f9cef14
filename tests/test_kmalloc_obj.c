/* SPDX-License-Identifier: MIT */
/*
 * The newer allocation helpers of linux/slab.h, linux/vmalloc.h and
 * linux/gfp.h, as the kernel defines them:
 *  - the typed family (v7.0): kmalloc_obj/objs/flex and the kzalloc,
 *    kvmalloc and kvzalloc forms, with the gfp argument optional
 *    (default_gfp: GFP_KERNEL), sizes that saturate on overflow (NULL),
 *    and the __counted_by() counter set where the compiler names it;
 *  - the node and alignment forms of v6.12-v6.17: krealloc_node(_align),
 *    kvrealloc_node(_align), kvmalloc_node_align, vrealloc_node(_align),
 *    kvmalloc_array_node, kvcalloc_node, __alloc_pages_node,
 *    alloc_pages_bulk_array_node; gfp_has_io_fs();
 *  - kmalloc_obj() as a process's first call (the implicit boot).
 * The machine has two nodes (numa=fake=2) so that node placement shows,
 * and no KFENCE: its objects come from one pool whatever node is asked
 * for, in the kernel too.
 */
#include <stdint.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include "ktest_boot.h"

/* The overflow cases fold to SIZE_MAX, which gcc warns about. */
#pragma GCC diagnostic ignored "-Walloc-size-larger-than="

struct pair {
	int a;
	long b;
};

struct msg {
	unsigned int len;
	u64 words[] __counted_by(len);
};

struct tiny_msg {
	u8 len;
	u16 data[] __counted_by(len);
};

#if defined(__has_builtin)
#if __has_builtin(__builtin_counted_by_ref)
#define HAVE_FLEX_COUNTER	1
#endif
#endif
#ifndef HAVE_FLEX_COUNTER
#define HAVE_FLEX_COUNTER	0
#endif

static char logbuf[1 << 16];

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

static size_t nonzero(const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		count += c[i] != 0;
	return count;
}

static bool in_zone(const void *p, enum zone_type z)
{
	return page_zonenum(virt_to_page(p)) == z;
}

static void test_obj_types_and_gfp(void)
{
	struct pair *p = kmalloc_obj(*p);
	struct pair *z = kzalloc_obj(struct pair);
	struct pair *d = kzalloc_obj(*d, GFP_DMA);
	int *a = kmalloc_objs(*a, 100, GFP_KERNEL);
	long *za = kzalloc_objs(long, 33);

	CHECK(p && z && d && a && za);
	if (!p || !z || !d || !a || !za)
		return;
	/* The result has the type: sizeof(*result) is the object's. */
	CHECK_EQ(sizeof(*kmalloc_obj(struct pair)), sizeof(struct pair));
	CHECK_EQ(ksize(p), 16);
	CHECK_EQ(ksize(a), 512);		/* 400 bytes: kmalloc-512 */
	CHECK_EQ(ksize(za), 512);		/* 264 bytes */
	CHECK_EQ(nonzero(z, sizeof(*z)), 0);
	CHECK_EQ(nonzero(za, 33 * sizeof(long)), 0);
	/* The optional gfp reaches kmalloc; without one it is GFP_KERNEL. */
	CHECK(in_zone(d, ZONE_DMA));
	CHECK(!in_zone(p, ZONE_DMA));
	CHECK_EQ(nonzero(d, sizeof(*d)), 0);
	kfree(p);
	kfree(z);
	kfree(d);
	kfree(a);
	kfree(za);
	/* ...and to the GFP_ATOMIC path too. */
	p = kmalloc_obj(*p, GFP_ATOMIC);
	CHECK(p != NULL);
	kfree(p);
}

static void test_objs_overflow(void)
{
	size_t huge = SIZE_MAX / 4 + 1;
	u64 *v = kmalloc_objs(*v, huge);
	struct msg *m = kmalloc_flex(*m, words, huge, GFP_KERNEL | __GFP_NOWARN);
	u64 *kv = kvzalloc_objs(u64, huge);

	/* size_mul() and struct_size_t() saturate: no short block, NULL. */
	CHECK(v == NULL);
	CHECK(m == NULL);
	CHECK(kv == NULL);
}

static void test_flex(void)
{
	struct msg *m = kzalloc_flex(*m, words, 13);
	struct msg *k = kvmalloc_flex(struct msg, words, 3, GFP_KERNEL);

	CHECK(m && k);
	if (!m || !k)
		return;
	CHECK(ksize(m) >= struct_size(m, words, 13));
	CHECK_EQ(ksize(m), 128);			/* 4 + pad + 104 = 112 bytes */
	/* The counter is the array's length where the compiler names it. */
	CHECK_EQ(m->len, HAVE_FLEX_COUNTER ? 13 : 0);
	CHECK_EQ(nonzero(m->words, 13 * sizeof(u64)), 0);
	memset(k->words, 0xab, 3 * sizeof(u64));
	kfree(m);
	kvfree(k);

#if HAVE_FLEX_COUNTER
	{
		/* A count its u8 counter cannot hold: a warning and NULL. */
		struct tiny_msg *t;

		ukmem_dmesg_clear();
		t = kmalloc_flex(*t, data, 300);
		CHECK(t == NULL);
		CHECK_STR_CONTAINS(dmesg_now(), "WARNING:");
		t = kmalloc_flex(*t, data, 255);
		CHECK(t && t->len == 255);
		kfree(t);
	}
#endif
}

static void test_kv_obj_large(void)
{
	/* 8 MiB: above what kmalloc serves, so vmalloc. */
	u8 *big = kvzalloc_objs(*big, 8 << 20);
	struct pair *small = kvmalloc_obj(*small);

	CHECK(big && small);
	if (big)
		CHECK(is_vmalloc_addr(big));
	if (small)
		CHECK(!is_vmalloc_addr(small));
	if (big)
		CHECK_EQ(nonzero(big, 8 << 20), 0);
	kvfree(big);
	kvfree(small);
}

/* krealloc_node(): kept where it is if it fits, unless __GFP_THISNODE says move. */
static void test_krealloc_node(void)
{
	char *p = kmalloc_node(100, GFP_KERNEL, 0), *q, *r;

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_EQ(page_to_nid(virt_to_page(p)), 0);
	memset(p, 'x', 100);
	/* Fits: the node is only where a new block would come from. */
	q = krealloc_node(p, 64, GFP_KERNEL, 1);
	CHECK(q == p);
	if (!q)
		return;
	CHECK_EQ(page_to_nid(virt_to_page(q)), 0);
	/* __GFP_THISNODE makes the node a must: it moves, keeping the bytes. */
	p = q;
	q = krealloc_node(p, 64, GFP_KERNEL | __GFP_THISNODE, 1);
	CHECK(q != NULL && q != p);
	if (!q)
		return;
	CHECK_EQ(page_to_nid(virt_to_page(q)), 1);
	CHECK_EQ(nonzero(q, 64), 64);
	CHECK(q[0] == 'x' && q[63] == 'x');
	r = krealloc_node(q, 60, GFP_KERNEL, 1);	/* fits, right node: stays */
	CHECK(r == q);
	r = krealloc_node(q, 50, GFP_KERNEL, NUMA_NO_NODE);
	CHECK(r == q);
	/* Not aligned as asked: moves, keeping the bytes. */
	q = kmalloc(96, GFP_KERNEL);
	CHECK(q != NULL);
	if (!q) {
		kfree(r);
		return;
	}
	memset(q, 'y', 96);
	p = krealloc_node_align(q, 96, 2 * ksize(q), GFP_KERNEL, NUMA_NO_NODE);
	CHECK(p != NULL);
	if (p && ((uintptr_t)q & (2 * ksize(q) - 1)))
		CHECK(p != q);
	if (p)
		CHECK(p[0] == 'y' && p[95] == 'y');
	/* Already aligned: stays. */
	q = krealloc_node_align(p, 90, 8, GFP_KERNEL, NUMA_NO_NODE);
	CHECK(q == p);
	kfree(q);
	kfree(r);
	/* Size 0 frees, as krealloc(). */
	p = kmalloc(8, GFP_KERNEL);
	CHECK(krealloc_node(p, 0, GFP_KERNEL, 1) == ZERO_SIZE_PTR);
}

static void test_kv_node_align(void)
{
	size_t big = 6 << 20;				/* above KMALLOC_MAX_SIZE */
	char *p = kvmalloc_node_align(big, 4 << 20, GFP_KERNEL, 1), *q;
	int *arr;

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(is_vmalloc_addr(p));
	CHECK_EQ((uintptr_t)p % (4 << 20), 0);
	CHECK_EQ(page_to_nid(vmalloc_to_page(p)), 1);
	memset(p, 'v', big);
	/* vrealloc_node_align: a block is not moved for a larger alignment. */
	ukmem_dmesg_clear();
	q = vrealloc_node_align(p, big, 16 << 20, GFP_KERNEL, NUMA_NO_NODE);
	if ((uintptr_t)p % (16 << 20)) {
		CHECK(q == NULL);
		CHECK_STR_CONTAINS(dmesg_now(), "will not reallocate with a bigger alignment");
	}
	/* kvrealloc_node of a vmalloc'ed block: vrealloc, contents kept. */
	q = kvrealloc_node(p, big + PAGE_SIZE, GFP_KERNEL, 1);
	CHECK(q != NULL);
	if (q) {
		CHECK(q[0] == 'v' && q[big - 1] == 'v');
		p = q;
	}
	/* __GFP_THISNODE with another node moves it there. */
	q = vrealloc_node(p, big, GFP_KERNEL | __GFP_THISNODE, 0);
	CHECK(q != NULL);
	if (q) {
		CHECK_EQ(page_to_nid(vmalloc_to_page(q)), 0);
		CHECK(q[0] == 'v' && q[big - 1] == 'v');
		p = q;
	}
	kvfree(p);

	/* A kmalloc'ed block that kvrealloc_node moves to the node it must be on. */
	p = kmalloc_node(200, GFP_KERNEL, 0);
	CHECK(p != NULL);
	if (p) {
		CHECK_EQ(page_to_nid(virt_to_page(p)), 0);
		memset(p, 'k', 200);
		/* Fits: stays on node 0 unless __GFP_THISNODE. */
		q = kvrealloc_node(p, 150, GFP_KERNEL, 1);
		CHECK(q == p);
		q = kvrealloc_node(p, 150, GFP_KERNEL | __GFP_THISNODE, 1);
		CHECK(q != NULL && q != p);
		if (q) {
			CHECK_EQ(page_to_nid(virt_to_page(q)), 1);
			CHECK(q[0] == 'k' && q[149] == 'k');
		}
		kvfree(q);
	}

	arr = kvcalloc_node(1000, sizeof(*arr), GFP_KERNEL, 1);
	CHECK(arr != NULL);
	if (arr) {
		CHECK_EQ(nonzero(arr, 1000 * sizeof(*arr)), 0);
		CHECK_EQ(page_to_nid(virt_to_page(arr)), 1);
	}
	kvfree(arr);
	CHECK(kvmalloc_array_node(SIZE_MAX / 2, 4, GFP_KERNEL, 0) == NULL);
}

static void test_page_node_helpers(void)
{
	struct page *pg = __alloc_pages_node(1, GFP_KERNEL, 1);
	struct page *arr[8] = { 0 };
	unsigned long n, i;

	CHECK(pg != NULL);
	if (pg) {
		CHECK_EQ(page_to_nid(pg), 1);
		__free_pages(pg, 1);
	}
	n = alloc_pages_bulk_array_node(GFP_KERNEL, 1, 8, arr);
	CHECK_EQ(n, 8);
	for (i = 0; i < 8; i++) {
		if (!arr[i])
			continue;
		CHECK_EQ(page_to_nid(arr[i]), 1);
		__free_page(arr[i]);
	}
	CHECK(gfp_has_io_fs(GFP_KERNEL));
	CHECK(!gfp_has_io_fs(GFP_NOFS));
	CHECK(!gfp_has_io_fs(GFP_NOIO));
	CHECK(!gfp_has_io_fs(GFP_ATOMIC));
}

/* The process's first ukmem call is kzalloc_obj(): it boots the machine. */
static void first_call(void *unused)
{
	struct pair *p = kzalloc_obj(*p);

	(void)unused;
	CHECK(p != NULL);
	if (p)
		CHECK_EQ(p->a + p->b, 0);
	kfree(p);
}

int main(void)
{
	ktest_first_call(first_call);
	if (!ktest_boot_quietly("mem=1G numa=fake=2 kfence.sample_interval=0"))
		return 1;
	KTEST_RUN(KTEST(test_obj_types_and_gfp), KTEST(test_objs_overflow), KTEST(test_flex),
		  KTEST(test_kv_obj_large), KTEST(test_krealloc_node), KTEST(test_kv_node_align),
		  KTEST(test_page_node_helpers));
}
