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

/*
 * A node that has no slab memory: one not online on this machine of two,
 * MAX_NUMNODES (memblock's deprecated "any node", which reaches
 * kzalloc_node() once slab is up) or no node at all.  The kernel's
 * ___slab_alloc() drops a constraint it cannot meet
 * (!node_isset(node, slab_nodes)); a negative node once indexed the node
 * array and crashed, MAX_NUMNODES got NULL and a page allocator warning.
 */
static void nodes_without_memory(void *arg)
{
	static const int nodes[] = { 2, 5, MAX_NUMNODES - 1, MAX_NUMNODES, 1000, -2, -5 };
	struct kmem_cache *s;
	unsigned int i;
	void *p;
	int ok = 0;

	(void)arg;
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=128M numa=fake=2 kfence.sample_interval=0 kswapd=off"), 0);
	CHECK_EQ(nr_online_nodes, 2);
	s = kmem_cache_create("test_offline_node", 200, 0, 0, NULL);
	CHECK(s != NULL);
	for (i = 0; i < ARRAY_SIZE(nodes); i++) {
		p = kmalloc_node(64, GFP_KERNEL, nodes[i]);
		ok += p != NULL;
		kfree(p);
		p = kmalloc_node(64, GFP_KERNEL | __GFP_THISNODE, nodes[i]);
		ok += p != NULL;
		kfree(p);
		p = kmem_cache_alloc_node(s, GFP_KERNEL, nodes[i]);
		ok += p != NULL;
		if (p)
			kmem_cache_free(s, p);
	}
	CHECK_EQ(ok, 3 * ARRAY_SIZE(nodes));
	kmem_cache_destroy(s);
}

static void test_nodes_without_memory(void)
{
	CHECK(ktest_exited_with(ktest_child(nodes_without_memory, NULL), 0));
}

int main(void)
{
	KTEST_RUN(KTEST(test_node_asked_for), KTEST(test_nodes_without_memory));
}
