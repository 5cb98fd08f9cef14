/* SPDX-License-Identifier: MIT */
/*
 * kmalloc_node() and kmem_cache_alloc_node() on a machine of two nodes
 * (numa=fake=2): an object asked for on a node comes from that node while
 * it has memory, even when this CPU's per-CPU stack holds objects of the
 * other node.  A free pushes any object onto the freeing CPU's stack,
 * whatever its node, so the stack of a CPU of node 0 can hold node 1's
 * objects; an allocation for node 0 must not hand one out (the kernel's
 * alloc_from_pcs() checks the node of what it takes when a node was
 * asked for).  test_reclaim's list_lru case once got a node-1 object for
 * node 0 under ThreadSanitizer, and with it a list_lru count off by one.
 */
#define _GNU_SOURCE
#include <stdio.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/mmzone.h>
#include <linux/smp.h>
#include <ukmem/boot.h>
#include "ktest.h"

#define OBJECTS	48	/* more than one refill, fewer than a stack holds */

static int nid_of(const void *p)
{
	return page_to_nid(virt_to_page(p));
}

/* Objects of node @other freed here, then objects asked for on @here's node. */
static void node_asked_for(void *arg)
{
	struct kmem_cache *s;
	void *p[OBJECTS];
	int here, other, i, wrong;

	(void)arg;
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=128M numa=fake=2 kfence.sample_interval=0 kswapd=off"), 0);
	CHECK_EQ(num_online_nodes(), 2);
	/* Pinned, the frees and the allocations share one stack (unpinned the checks still hold). */
	ktest_pin_first_cpu(NULL);
	here = numa_mem_id();
	other = 1 - here;
	s = kmem_cache_create("tnuma", 96, 0, SLAB_NO_MERGE, NULL);
	CHECK(s != NULL);

	/* kmalloc_node: the other node's objects onto this CPU's stack. */
	for (i = 0; i < OBJECTS; i++)
		p[i] = kmalloc_node(64, GFP_KERNEL, other);
	for (i = 0, wrong = 0; i < OBJECTS; i++)
		wrong += p[i] && nid_of(p[i]) != other;
	CHECK_EQ(wrong, 0);
	for (i = 0; i < OBJECTS; i++)
		kfree(p[i]);
	for (i = 0; i < OBJECTS; i++)
		p[i] = kmalloc_node(64, GFP_KERNEL, here);
	for (i = 0, wrong = 0; i < OBJECTS; i++)
		wrong += !p[i] || nid_of(p[i]) != here;
	CHECK_EQ(wrong, 0);
	for (i = 0; i < OBJECTS; i++)
		kfree(p[i]);

	/* The same through a cache of its own, and with __GFP_THISNODE. */
	for (i = 0; i < OBJECTS; i++)
		p[i] = kmem_cache_alloc_node(s, GFP_KERNEL, other);
	for (i = 0; i < OBJECTS; i++)
		kmem_cache_free(s, p[i]);
	for (i = 0; i < OBJECTS; i++)
		p[i] = kmem_cache_alloc_node(s, GFP_KERNEL | (i & 1 ? __GFP_THISNODE : 0), here);
	for (i = 0, wrong = 0; i < OBJECTS; i++)
		wrong += !p[i] || nid_of(p[i]) != here;
	CHECK_EQ(wrong, 0);
	for (i = 0; i < OBJECTS; i++)
		kmem_cache_free(s, p[i]);

	/* No node asked for: whatever the stack holds is fine, and comes back. */
	for (i = 0; i < OBJECTS; i++)
		p[i] = kmalloc(64, GFP_KERNEL);
	for (i = 0, wrong = 0; i < OBJECTS; i++)
		wrong += !p[i];
	CHECK_EQ(wrong, 0);
	for (i = 0; i < OBJECTS; i++)
		kfree(p[i]);
	kmem_cache_destroy(s);

	/* Pages in bulk from the node asked for (alloc_pages_bulk_node, v6.14). */
	{
		struct page *pages[16] = { NULL };

		CHECK_EQ(alloc_pages_bulk_node(GFP_KERNEL | __GFP_THISNODE, other, 16, pages), 16);
		for (i = 0, wrong = 0; i < 16; i++) {
			wrong += !pages[i] || page_to_nid(pages[i]) != other;
			if (pages[i])
				__free_page(pages[i]);
		}
		CHECK_EQ(wrong, 0);
	}
}

static void test_node_asked_for(void)
{
	CHECK(ktest_exited_with(ktest_child(node_asked_for, NULL), 0));
}

int main(void)
{
	KTEST_RUN(KTEST(test_node_asked_for));
}
