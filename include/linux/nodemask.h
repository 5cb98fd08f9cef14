/* SPDX-License-Identifier: MIT */
/*
 * linux/nodemask.h - include/linux/nodemask.h: sets of NUMA nodes.
 *
 * nodemask_t is a bitmap of MAX_NUMNODES bits; the operations are the
 * kernel's macros, which take masks by name (node_set(nid, mask)) and work
 * on all MAX_NUMNODES bits.  A search that finds nothing returns
 * MAX_NUMNODES.  node_states[] holds the kernel's node states, filled at
 * boot: every node ukmem has is possible, online and has memory (the
 * fake nodes of numa=); N_CPU holds the nodes the CPUs are dealt to.
 * for_each_online_node(), num_online_nodes() and node_online() come with
 * linux/mmzone.h and agree with node_states[N_ONLINE].
 * tests/test_nodemask.c checks them.
 */
#ifndef _LINUX_NODEMASK_H
#define _LINUX_NODEMASK_H

#include <linux/bitmap.h>
#include <linux/mmzone.h>

UKMEM_C_BEGIN

typedef struct {
	DECLARE_BITMAP(bits, MAX_NUMNODES);
} nodemask_t;

enum node_states {
	N_POSSIBLE,		/* the node could come online */
	N_ONLINE,		/* the node is online */
	N_NORMAL_MEMORY,	/* the node has regular memory */
	N_HIGH_MEMORY = N_NORMAL_MEMORY,	/* no CONFIG_HIGHMEM split per node here */
	N_MEMORY,		/* the node has memory */
	N_CPU,			/* the node has one or more CPUs */
	N_GENERIC_INITIATOR,	/* the node has a generic initiator (none here) */
	NR_NODE_STATES
};

UKMEM_API_BEGIN
extern nodemask_t node_states[NR_NODE_STATES];
UKMEM_API_END

#define nodes_addr(src)			((src).bits)
#define node_set(node, dst)		__node_set((node), &(dst))
#define node_clear(node, dst)		__node_clear((node), &(dst))
#define node_isset(node, mask)		test_bit((node), (mask).bits)
#define node_test_and_set(node, mask)	__node_test_and_set((node), &(mask))
#define nodes_setall(dst)		bitmap_fill((dst).bits, MAX_NUMNODES)
#define nodes_clear(dst)		bitmap_zero((dst).bits, MAX_NUMNODES)
#define nodes_and(dst, a, b)		bitmap_and((dst).bits, (a).bits, (b).bits, MAX_NUMNODES)
#define nodes_or(dst, a, b)		bitmap_or((dst).bits, (a).bits, (b).bits, MAX_NUMNODES)
#define nodes_xor(dst, a, b)		bitmap_xor((dst).bits, (a).bits, (b).bits, MAX_NUMNODES)
#define nodes_andnot(dst, a, b)		bitmap_andnot((dst).bits, (a).bits, (b).bits, MAX_NUMNODES)
#define nodes_complement(dst, src)	bitmap_complement((dst).bits, (src).bits, MAX_NUMNODES)
#define nodes_equal(a, b)		bitmap_equal((a).bits, (b).bits, MAX_NUMNODES)
#define nodes_intersects(a, b)		bitmap_intersects((a).bits, (b).bits, MAX_NUMNODES)
#define nodes_subset(a, b)		bitmap_subset((a).bits, (b).bits, MAX_NUMNODES)
#define nodes_empty(src)		bitmap_empty((src).bits, MAX_NUMNODES)
#define nodes_full(src)			bitmap_full((src).bits, MAX_NUMNODES)
#define nodes_weight(src)		bitmap_weight((src).bits, MAX_NUMNODES)
/* The first node, the one after @n, the first unset one: MAX_NUMNODES for none. */
#define first_node(src)			((int)find_first_bit((src).bits, MAX_NUMNODES))
#define next_node(n, src)		((int)find_next_bit((src).bits, MAX_NUMNODES, (n) + 1))
#define first_unset_node(src)		((int)find_first_zero_bit((src).bits, MAX_NUMNODES))
/* The node after @node, wrapping to the first; MAX_NUMNODES if the mask is empty. */
#define next_node_in(node, src)		__next_node_in((node), &(src))

static inline void __node_set(int node, volatile nodemask_t *dst)
{
	set_bit(node, dst->bits);
}

static inline void __node_clear(int node, volatile nodemask_t *dst)
{
	clear_bit(node, dst->bits);
}

static inline bool __node_test_and_set(int node, nodemask_t *addr)
{
	return test_and_set_bit(node, addr->bits);
}

static inline int __next_node_in(int node, const nodemask_t *src)
{
	int next = (int)find_next_bit(src->bits, MAX_NUMNODES, (unsigned long)(node + 1));

	return next < MAX_NUMNODES ? next : (int)find_first_bit(src->bits, MAX_NUMNODES);
}

#define NODE_MASK_LAST_WORD	BITMAP_LAST_WORD_MASK(MAX_NUMNODES)
#define NODE_MASK_ALL		((nodemask_t){ { [0 ... BITS_TO_LONGS(MAX_NUMNODES) - 1] = ~0UL } })
#define NODE_MASK_NONE		((nodemask_t){ { [0 ... BITS_TO_LONGS(MAX_NUMNODES) - 1] = 0UL } })

/* A mask that holds @node only. */
#define nodemask_of_node(node) ({						\
	nodemask_t __nm = NODE_MASK_NONE;					\
	node_set((node), __nm);							\
	__nm;									\
})

#define for_each_node_mask(node, mask)						\
	for ((node) = first_node(mask); (node) < MAX_NUMNODES;			\
	     (node) = next_node((node), (mask)))

#define node_online_map		node_states[N_ONLINE]
#define node_possible_map	node_states[N_POSSIBLE]
#define node_state(node, state)	node_isset((node), node_states[state])
#define num_node_state(state)	((int)nodes_weight(node_states[state]))
#define for_each_node_state(node, state)	for_each_node_mask((node), node_states[state])
#define for_each_node(node)		for_each_node_state((node), N_POSSIBLE)
#define num_possible_nodes()	num_node_state(N_POSSIBLE)
#define node_possible(node)	node_state((node), N_POSSIBLE)
#define nr_node_ids		((unsigned int)nr_online_nodes)
#define first_online_node	first_node(node_states[N_ONLINE])
#define first_memory_node	first_node(node_states[N_MEMORY])

UKMEM_C_END

#endif /* _LINUX_NODEMASK_H */
