/* SPDX-License-Identifier: MIT */
/*
 * linux/rculist.h: the list and hlist operations for RCU readers leave
 * the links of their plain counterparts (checked both ways), a removed
 * entry keeps ->next for a reader standing on it and has its back link
 * poisoned, list_splice_init_rcu() empties the source and calls the sync
 * function before the entries appear in the destination, and the
 * iterators visit what the plain ones visit.  A reader thread walks an
 * hlist under rcu_read_lock() while the writer adds, replaces and removes
 * entries, freeing them only after synchronize_rcu(): it never sees a
 * freed entry.
 */
#include "ktest.h"

#include <pthread.h>
#include <sched.h>
#include <linux/rculist.h>
#include <linux/slab.h>

struct item {
	int data;
	struct list_head list;
	struct hlist_node node;
};

static int sync_calls;
static struct list_head *watched;	/* the spliced list: empty by the time sync runs */
static bool watched_was_empty;

static void fake_sync(void)
{
	sync_calls++;
	watched_was_empty = list_empty(watched);
}

static bool order_is(struct list_head *head, struct item **want, int n)
{
	struct list_head *pos = head;

	for (int i = 0; i < n; i++) {
		if (pos->next != &want[i]->list || want[i]->list.prev != pos)
			return false;
		pos = pos->next;
	}
	return pos->next == head && head->prev == pos;
}

static void test_list_rcu(void)
{
	struct item e[6], *pos, *want_a[6], *want_b[6];
	LIST_HEAD(a);
	LIST_HEAD(b);
	int i, n;

	for (i = 0; i < 6; i++)
		e[i].data = i;
	INIT_LIST_HEAD_RCU(&a);
	CHECK(list_empty(&a) && a.prev == &a);
	list_add_tail_rcu(&e[0].list, &a);
	list_add_tail_rcu(&e[1].list, &a);
	list_add_rcu(&e[2].list, &a);		/* 2 0 1 */
	want_a[0] = &e[2]; want_a[1] = &e[0]; want_a[2] = &e[1];
	CHECK(order_is(&a, want_a, 3));
	CHECK(list_tail_rcu(&a) == &e[1].list);

	CHECK(list_first_or_null_rcu(&a, struct item, list) == &e[2]);
	CHECK(list_first_or_null_rcu(&b, struct item, list) == NULL);
	CHECK(list_next_or_null_rcu(&a, &e[0].list, struct item, list) == &e[1]);
	CHECK(list_next_or_null_rcu(&a, &e[1].list, struct item, list) == NULL);

	/* Removed: the back link is poisoned, ->next still leads on. */
	list_del_rcu(&e[0].list);
	CHECK(e[0].list.prev == LIST_POISON2 && e[0].list.next == &e[1].list);
	want_a[0] = &e[2]; want_a[1] = &e[1];
	CHECK(order_is(&a, want_a, 2));
	list_replace_rcu(&e[2].list, &e[3].list);
	CHECK(e[2].list.prev == LIST_POISON2);
	want_a[0] = &e[3];
	CHECK(order_is(&a, want_a, 2));

	n = 0;
	list_for_each_entry_rcu(pos, &a, list)
		n += pos->data;
	CHECK_EQ(n, 3 + 1);
	pos = &e[3];
	n = 0;
	list_for_each_entry_continue_rcu(pos, &a, list)
		n += pos->data;
	CHECK_EQ(n, 1);
	pos = &e[3];
	n = 0;
	list_for_each_entry_from_rcu(pos, &a, list)
		n += pos->data;
	CHECK_EQ(n, 4);
	n = 0;
	list_for_each_entry_lockless(pos, &a, list)
		n++;
	CHECK_EQ(n, 2);

	/* b = 4 5, spliced after a's head: emptied and synced first. */
	list_add_tail(&e[4].list, &b);
	list_add_tail(&e[5].list, &b);
	watched = &b;
	list_splice_init_rcu(&b, &a, fake_sync);
	CHECK(sync_calls == 1 && watched_was_empty);
	want_b[0] = &e[4]; want_b[1] = &e[5]; want_b[2] = &e[3]; want_b[3] = &e[1];
	CHECK(order_is(&a, want_b, 4));
	CHECK(list_empty(&b));
	/* An empty source: nothing happens, no sync. */
	list_splice_init_rcu(&b, &a, fake_sync);
	CHECK_EQ(sync_calls, 1);
	/* The tail form. */
	list_del_rcu(&e[4].list);
	list_del_rcu(&e[5].list);
	list_add_tail(&e[4].list, &b);
	list_splice_tail_init_rcu(&b, &a, fake_sync);
	CHECK_EQ(sync_calls, 2);
	want_b[0] = &e[3]; want_b[1] = &e[1]; want_b[2] = &e[4];
	CHECK(order_is(&a, want_b, 3));
}

static void test_hlist_rcu(void)
{
	struct item e[5], *pos;
	HLIST_HEAD(h);
	int n;

	for (int i = 0; i < 5; i++)
		e[i].data = i;
	hlist_add_tail_rcu(&e[1].node, &h);	/* into an empty list: the head */
	CHECK(h.first == &e[1].node && e[1].node.pprev == &h.first);
	hlist_add_head_rcu(&e[0].node, &h);
	hlist_add_tail_rcu(&e[3].node, &h);
	hlist_add_before_rcu(&e[2].node, &e[3].node);
	hlist_add_behind_rcu(&e[4].node, &e[3].node);
	/* 0 1 2 3 4, every pprev at its predecessor's next */
	CHECK(h.first == &e[0].node && e[0].node.pprev == &h.first);
	for (int i = 1; i < 5; i++)
		CHECK(e[i - 1].node.next == &e[i].node && e[i].node.pprev == &e[i - 1].node.next);
	CHECK(e[4].node.next == NULL);

	n = 0;
	hlist_for_each_entry_rcu(pos, &h, node)
		CHECK_EQ(pos->data, n++);
	CHECK_EQ(n, 5);
	pos = &e[2];
	n = 0;
	hlist_for_each_entry_continue_rcu(pos, node)
		n += pos->data;
	CHECK_EQ(n, 3 + 4);
	pos = &e[2];
	n = 0;
	hlist_for_each_entry_from_rcu(pos, node)
		n += pos->data;
	CHECK_EQ(n, 2 + 3 + 4);

	hlist_del_rcu(&e[2].node);
	CHECK(e[2].node.pprev == LIST_POISON2 && e[2].node.next == &e[3].node);
	CHECK(e[1].node.next == &e[3].node && e[3].node.pprev == &e[1].node.next);
	hlist_del_init_rcu(&e[0].node);
	CHECK(hlist_unhashed(&e[0].node) && h.first == &e[1].node && e[1].node.pprev == &h.first);
	hlist_del_init_rcu(&e[0].node);	/* unhashed: nothing */
	CHECK(h.first == &e[1].node);

	INIT_HLIST_NODE(&e[0].node);
	hlist_replace_rcu(&e[3].node, &e[0].node);	/* 1 0 4 */
	CHECK(e[3].node.pprev == LIST_POISON2);
	CHECK(e[1].node.next == &e[0].node && e[0].node.pprev == &e[1].node.next);
	CHECK(e[0].node.next == &e[4].node && e[4].node.pprev == &e[0].node.next);
	hlist_replace_rcu(&e[4].node, &e[2].node);	/* the last one: no follower */
	CHECK(e[0].node.next == &e[2].node && e[2].node.next == NULL);
	CHECK_EQ(hlist_count_nodes(&h), 3);
}

/*
 * A reader thread walks the hlist under rcu_read_lock() while the writer
 * adds, replaces and removes entries, poisoning and freeing each removed
 * one only after synchronize_rcu(): a reader must never see a poisoned
 * entry, and never more entries than the writer ever had at once.
 */
#define ROUNDS	1000
#define LIVE	1
#define DEAD	1000
static HLIST_HEAD(shared);
static volatile int stop;
static long reads, bad_reads;	/* reads: written by the reader only */

static void *reader(void *arg)
{
	struct item *pos;
	(void)arg;

	while (!READ_ONCE(stop)) {
		int n = 0, bad = 0;

		rcu_read_lock();
		hlist_for_each_entry_rcu(pos, &shared, node) {
			if (READ_ONCE(pos->data) != LIVE)
				bad++;
			/* Dwell on the entry, so that a removal overlaps the read. */
			for (int spin = 0; spin < 2000; spin++)
				barrier();
			if (READ_ONCE(pos->data) != LIVE)
				bad++;
			n++;
		}
		rcu_read_unlock();
		if (bad || n > 3)
			bad_reads++;
		__atomic_store_n(&reads, reads + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

static struct item *new_item(void)
{
	struct item *it = kmalloc(sizeof(*it), GFP_KERNEL);

	if (it)
		it->data = LIVE;
	return it;
}

static void retire(struct item *it)
{
	synchronize_rcu();
	WRITE_ONCE(it->data, DEAD);	/* what a reader holding it too long would see */
	kfree(it);
}

static void test_hlist_rcu_readers(void)
{
	struct item *x = new_item(), *y = new_item(), *z;
	pthread_t t;
	int i;

	CHECK(x && y);
	if (!x || !y)
		return;
	hlist_add_head_rcu(&x->node, &shared);
	hlist_add_tail_rcu(&y->node, &shared);
	CHECK_EQ(pthread_create(&t, NULL, reader, NULL), 0);
	for (i = 0; i < ROUNDS; i++) {
		long seen = __atomic_load_n(&reads, __ATOMIC_ACQUIRE);

		/* Let the reader start a walk of this round's list first. */
		while (__atomic_load_n(&reads, __ATOMIC_ACQUIRE) == seen)
			sched_yield();
		z = new_item();
		if (!z)
			break;
		if (i % 2) {
			hlist_replace_rcu(&x->node, &z->node);	/* [z y] */
		} else {
			hlist_add_behind_rcu(&z->node, &x->node);	/* [x z y], then x goes */
			hlist_del_rcu(&x->node);
		}
		retire(x);
		x = z;
	}
	WRITE_ONCE(stop, 1);
	pthread_join(t, NULL);
	CHECK_EQ(i, ROUNDS);
	CHECK(reads > 0);
	CHECK_EQ(bad_reads, 0);
	CHECK_EQ(hlist_count_nodes(&shared), 2);
	hlist_del_init_rcu(&x->node);
	hlist_del_init_rcu(&y->node);
	CHECK(hlist_empty(&shared));
	synchronize_rcu();
	kfree(x);
	kfree(y);
}

int main(void)
{
	KTEST_RUN(KTEST(test_list_rcu), KTEST(test_hlist_rcu), KTEST(test_hlist_rcu_readers));
}
