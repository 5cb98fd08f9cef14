/* SPDX-License-Identifier: MIT */
/*
 * linux/nodemask.h: nodemask_t and the kernel's node operations (set,
 * clear, test, the set algebra, first/next/next_node_in/first_unset,
 * for_each_node_mask, NODE_MASK_ALL/NONE, nodemask_of_node), and the
 * node states after a boot with four fake nodes: possible, online and
 * memory are nodes 0-3 and agree with for_each_online_node() and
 * num_online_nodes(); N_CPU holds the nodes cpu_to_node() gives.
 */
#include "ktest.h"

#include <linux/nodemask.h>
#include <linux/smp.h>
#include "ktest_boot.h"

static void test_ops(void)
{
	nodemask_t a = NODE_MASK_NONE, b = NODE_MASK_NONE, d;
	int node, n;

	CHECK(nodes_empty(a) && !nodes_full(a));
	CHECK_EQ(first_node(a), MAX_NUMNODES);
	CHECK_EQ(next_node_in(3, a), MAX_NUMNODES);
	node_set(2, a);
	node_set(40, a);
	node_set(63, a);
	CHECK(node_isset(2, a) && node_isset(63, a) && !node_isset(3, a));
	CHECK_EQ(nodes_weight(a), 3);
	CHECK_EQ(first_node(a), 2);
	CHECK_EQ(next_node(2, a), 40);
	CHECK_EQ(next_node(63, a), MAX_NUMNODES);
	CHECK_EQ(next_node_in(40, a), 63);
	CHECK_EQ(next_node_in(63, a), 2);	/* wraps */
	CHECK_EQ(first_unset_node(a), 0);
	CHECK(node_test_and_set(2, a) && !node_test_and_set(3, a));
	node_clear(3, a);
	CHECK(!node_isset(3, a));

	n = 0;
	for_each_node_mask(node, a)
		n += node;
	CHECK_EQ(n, 2 + 40 + 63);

	node_set(40, b);
	node_set(5, b);
	CHECK(nodes_intersects(a, b) && !nodes_subset(b, a));
	nodes_and(d, a, b);
	CHECK(nodes_weight(d) == 1 && node_isset(40, d));
	nodes_or(d, a, b);
	CHECK_EQ(nodes_weight(d), 4);
	CHECK(nodes_subset(a, d) && nodes_subset(b, d));
	nodes_xor(d, a, b);
	CHECK(nodes_weight(d) == 3 && !node_isset(40, d));
	nodes_andnot(d, a, b);
	CHECK(nodes_weight(d) == 2 && node_isset(2, d) && node_isset(63, d));
	nodes_complement(d, a);
	CHECK(nodes_weight(d) == MAX_NUMNODES - 3 && !node_isset(2, d) && node_isset(0, d));
	CHECK(!nodes_equal(a, b));
	d = a;
	CHECK(nodes_equal(a, d));

	d = NODE_MASK_ALL;
	CHECK(nodes_full(d) && nodes_weight(d) == MAX_NUMNODES);
	CHECK_EQ(first_unset_node(d), MAX_NUMNODES);
	nodes_clear(d);
	CHECK(nodes_empty(d));
	nodes_setall(d);
	CHECK(nodes_full(d));
	d = nodemask_of_node(17);
	CHECK(nodes_weight(d) == 1 && first_node(d) == 17);
}

static void test_states(void)
{
	int node, n, cpu;

	if (!ktest_boot_quietly("mem=512M numa=fake=4"))
		KTEST_SKIP("no boot");
	CHECK_EQ(num_online_nodes(), 4);
	CHECK_EQ(num_node_state(N_ONLINE), 4);
	CHECK_EQ(num_possible_nodes(), 4);
	CHECK_EQ(num_node_state(N_MEMORY), 4);
	CHECK_EQ(num_node_state(N_NORMAL_MEMORY), 4);
	CHECK_EQ(nr_node_ids, 4);
	n = 0;
	for_each_online_node(node) {
		CHECK(node_state(node, N_ONLINE) && node_online(node) && node_possible(node));
		n++;
	}
	CHECK_EQ(n, 4);
	n = 0;
	for_each_node(node)
		n++;
	CHECK_EQ(n, 4);
	CHECK(nodes_equal(node_online_map, node_possible_map));
	CHECK(!node_state(4, N_ONLINE));
	/* The nodes the CPUs are dealt to. */
	for_each_possible_cpu(cpu)
		CHECK(node_state(cpu_to_node(cpu), N_CPU));
	CHECK(num_node_state(N_CPU) >= 1 && num_node_state(N_CPU) <= 4);
	CHECK(nodes_subset(node_states[N_CPU], node_online_map));
	CHECK_EQ(num_node_state(N_GENERIC_INITIATOR), 0);
}

int main(void)
{
	KTEST_RUN(KTEST(test_ops), KTEST(test_states));
}
