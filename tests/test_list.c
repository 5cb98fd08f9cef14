/* SPDX-License-Identifier: MIT */
/*
 * linux/list.h against the expectations of the kernel's
 * lib/tests/list-test.c (the list and hlist suites; klist is not offered):
 * every way to start a list reads empty, each add/delete/move/splice/cut
 * leaves the links of the kernel's result, and each iterator visits the
 * entries the kernel's visits, in its order.  The same file adds the rest
 * of the kernel's list.h that the suite leaves out (the _continue, _from
 * and _safe_reverse iterators, the circular neighbours, the edge cases of
 * list_cut_position/list_cut_before, the poison left by the deletions).
 *
 * Orders are checked with expect_order(), which walks the list both ways
 * and checks every back link, so a splice that gets one ->prev wrong fails
 * even when a forward walk looks right.
 */
#include "ktest.h"

#include <linux/list.h>
#include <linux/slab.h>

struct item {
	int data;
	struct list_head list;
};

struct hitem {
	int data;
	struct hlist_node node;
};

/* @head holds exactly @want[0..n-1] in that order, linked both ways. */
static bool list_order_is(struct list_head *head, struct list_head **want, int n)
{
	struct list_head *pos = head;
	int i;

	for (i = 0; i < n; i++) {
		if (pos->next != want[i] || want[i]->prev != pos)
			return false;
		pos = pos->next;
	}
	return pos->next == head && head->prev == pos;
}

#define expect_order(head, ...) do {						\
	struct list_head *_want[] = { __VA_ARGS__ };				\
	CHECK(list_order_is(head, _want, (int)ARRAY_SIZE(_want)));		\
} while (0)
#define expect_empty(head)	CHECK(list_empty_careful(head) && (head)->next == (head))

static void test_list_init(void)
{
	struct list_head a = LIST_HEAD_INIT(a), b, *c, *d;
	LIST_HEAD(e);

	INIT_LIST_HEAD(&b);
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	d = kmalloc(sizeof(*d), GFP_KERNEL);
	CHECK(c && d);
	if (!c || !d)
		return;
	INIT_LIST_HEAD(c);
	memset(d, 0xff, sizeof(*d));	/* garbage first: INIT_LIST_HEAD sets both links */
	INIT_LIST_HEAD(d);
	CHECK(list_empty_careful(&a) && list_empty_careful(&b) && list_empty_careful(c));
	CHECK(list_empty_careful(d) && list_empty_careful(&e));
	CHECK(list_empty(&a) && list_empty(d));
	kfree(c);
	kfree(d);
}

static void test_list_add(void)
{
	struct list_head a, b, c;
	LIST_HEAD(list);

	list_add(&a, &list);
	list_add(&b, &list);
	expect_order(&list, &b, &a);
	list_add_tail(&c, &list);
	expect_order(&list, &b, &a, &c);
	CHECK_EQ(list_count_nodes(&list), 3);
}

static void test_list_add_tail(void)
{
	struct list_head a, b;
	LIST_HEAD(list);

	list_add_tail(&a, &list);
	list_add_tail(&b, &list);
	expect_order(&list, &a, &b);
}

static void test_list_del(void)
{
	struct list_head a, b;
	LIST_HEAD(list);

	list_add_tail(&a, &list);
	list_add_tail(&b, &list);
	list_del(&a);
	expect_order(&list, &b);
	/* The kernel's poison values: a second list_del() faults, not corrupts. */
	CHECK(a.next == LIST_POISON1 && a.prev == LIST_POISON2);
	list_del(&b);
	expect_empty(&list);
}

static void test_list_del_clearprev(void)
{
	struct list_head a, b;
	LIST_HEAD(list);

	list_add_tail(&a, &list);
	list_add_tail(&b, &list);
	__list_del_clearprev(&a);
	expect_order(&list, &b);
	CHECK(a.prev == NULL);
}

static void test_list_replace(void)
{
	struct list_head old, repl, b;
	LIST_HEAD(list);

	list_add_tail(&old, &list);
	list_add_tail(&b, &list);
	list_replace(&old, &repl);
	expect_order(&list, &repl, &b);
}

static void test_list_replace_init(void)
{
	struct list_head old, repl, b;
	LIST_HEAD(list);

	list_add_tail(&old, &list);
	list_add_tail(&b, &list);
	list_replace_init(&old, &repl);
	expect_order(&list, &repl, &b);
	expect_empty(&old);
}

static void test_list_swap(void)
{
	struct list_head a, b, c, d, x;
	LIST_HEAD(list);
	LIST_HEAD(other);

	/* Neighbours, in both argument orders. */
	list_add_tail(&a, &list);
	list_add_tail(&b, &list);
	list_swap(&a, &b);
	expect_order(&list, &b, &a);
	list_swap(&a, &b);
	expect_order(&list, &a, &b);
	/* Apart, with entries between and around. */
	list_add_tail(&c, &list);
	list_add_tail(&d, &list);
	list_swap(&a, &d);
	expect_order(&list, &d, &b, &c, &a);
	/* On two lists. */
	list_add(&x, &other);
	list_swap(&b, &x);
	expect_order(&list, &d, &x, &c, &a);
	expect_order(&other, &b);
}

static void test_list_del_init(void)
{
	struct list_head a, b;
	LIST_HEAD(list);

	list_add_tail(&a, &list);
	list_add_tail(&b, &list);
	list_del_init(&a);
	expect_order(&list, &b);
	expect_empty(&a);
}

static void test_list_del_init_careful(void)
{
	struct list_head a, b;
	LIST_HEAD(list);

	list_add_tail(&a, &list);
	list_add_tail(&b, &list);
	list_del_init_careful(&a);
	expect_order(&list, &b);
	expect_empty(&a);
}

static void test_list_move(void)
{
	struct list_head a, b;
	LIST_HEAD(list1);
	LIST_HEAD(list2);

	list_add_tail(&a, &list1);
	list_add_tail(&b, &list2);
	list_move(&a, &list2);
	expect_empty(&list1);
	expect_order(&list2, &a, &b);
}

static void test_list_move_tail(void)
{
	struct list_head a, b;
	LIST_HEAD(list1);
	LIST_HEAD(list2);

	list_add_tail(&a, &list1);
	list_add_tail(&b, &list2);
	list_move_tail(&a, &list2);
	expect_empty(&list1);
	expect_order(&list2, &b, &a);
}

static void test_list_bulk_move_tail(void)
{
	struct list_head a, b, c, d, x, y;
	LIST_HEAD(list1);
	LIST_HEAD(list2);

	list_add_tail(&x, &list1);
	list_add_tail(&y, &list1);
	list_add_tail(&a, &list2);
	list_add_tail(&b, &list2);
	list_add_tail(&c, &list2);
	list_add_tail(&d, &list2);
	/* b..c go in front of y: the "head" may be any entry, the run lands before it. */
	list_bulk_move_tail(&y, &b, &c);
	expect_order(&list1, &x, &b, &c, &y);
	expect_order(&list2, &a, &d);
	/* A run that is the whole list, to a real head. */
	list_bulk_move_tail(&list2, &x, &y);
	expect_empty(&list1);
	expect_order(&list2, &a, &d, &x, &b, &c, &y);
}

static void test_list_is_head_first_last(void)
{
	struct list_head a, b, c;
	LIST_HEAD(list);

	INIT_LIST_HEAD(&a);
	INIT_LIST_HEAD(&c);
	list_add_tail(&b, &a);
	CHECK(list_is_head(&a, &a));
	CHECK(!list_is_head(&b, &a));
	CHECK(!list_is_head(&c, &a));

	list_del(&b);
	list_add_tail(&a, &list);
	list_add_tail(&b, &list);
	CHECK(list_is_first(&a, &list) && !list_is_first(&b, &list));
	CHECK(!list_is_last(&a, &list) && list_is_last(&b, &list));
}

static void test_list_empty(void)
{
	struct list_head a;
	LIST_HEAD(list1);
	LIST_HEAD(list2);

	list_add_tail(&a, &list1);
	CHECK(!list_empty(&list1) && list_empty(&list2));
	CHECK(!list_empty_careful(&list1) && list_empty_careful(&list2));
	/* Half-updated: ->next says empty but ->prev does not. */
	list2.prev = &a;
	CHECK(list_empty(&list2) && !list_empty_careful(&list2));
}

static void test_list_rotate(void)
{
	struct list_head a, b, c, d;
	LIST_HEAD(list);

	list_rotate_left(&list);	/* empty: nothing happens */
	expect_empty(&list);
	list_add_tail(&a, &list);
	list_add_tail(&b, &list);
	list_rotate_left(&list);
	expect_order(&list, &b, &a);

	list_del(&a);
	list_del(&b);
	list_add_tail(&a, &list);
	list_add_tail(&b, &list);
	list_add_tail(&c, &list);
	list_add_tail(&d, &list);
	list_rotate_to_front(&c, &list);
	expect_order(&list, &c, &d, &a, &b);
}

static void test_list_is_singular(void)
{
	struct list_head a, b;
	LIST_HEAD(list);

	CHECK(!list_is_singular(&list));
	list_add_tail(&a, &list);
	CHECK(list_is_singular(&list));
	list_add_tail(&b, &list);
	CHECK(!list_is_singular(&list));
}

static void test_list_cut_position(void)
{
	struct list_head e[3], x;
	LIST_HEAD(list1);
	LIST_HEAD(list2);

	for (int i = 0; i < 3; i++)
		list_add_tail(&e[i], &list1);
	list_cut_position(&list2, &list1, &e[1]);
	expect_order(&list2, &e[0], &e[1]);
	expect_order(&list1, &e[2]);

	/* @entry == @head: nothing moves, @list is emptied. */
	list_cut_position(&list2, &list1, &list1);
	expect_empty(&list2);
	expect_order(&list1, &e[2]);
	/* A one-entry list cut at an entry it does not hold: both left alone. */
	list_add(&x, &list2);
	list_cut_position(&list2, &list1, &e[0]);
	expect_order(&list1, &e[2]);
	expect_order(&list2, &x);
	/* An empty @head: @list keeps what it had. */
	list_del_init(&e[2]);
	list_cut_position(&list2, &list1, &e[2]);
	expect_order(&list2, &x);
	/* The whole list, cut at its last entry. */
	list_add_tail(&e[0], &list1);
	list_add_tail(&e[1], &list1);
	list_cut_position(&list2, &list1, &e[1]);
	expect_order(&list2, &e[0], &e[1]);
	expect_empty(&list1);
}

static void test_list_cut_before(void)
{
	struct list_head e[3];
	LIST_HEAD(list1);
	LIST_HEAD(list2);

	for (int i = 0; i < 3; i++)
		list_add_tail(&e[i], &list1);
	list_cut_before(&list2, &list1, &e[1]);
	expect_order(&list2, &e[0]);
	expect_order(&list1, &e[1], &e[2]);

	/* The first entry: nothing moves and @list is emptied. */
	list_cut_before(&list2, &list1, &e[1]);
	expect_empty(&list2);
	expect_order(&list1, &e[1], &e[2]);
	/* @head itself: every entry moves. */
	list_cut_before(&list2, &list1, &list1);
	expect_order(&list2, &e[1], &e[2]);
	expect_empty(&list1);
}

/* list1 = e0 e1 e4, list2 = e2 e3: each splice must give e0..e4 on list1. */
static void splice_setup(struct list_head *e, struct list_head *list1, struct list_head *list2)
{
	INIT_LIST_HEAD(list1);
	INIT_LIST_HEAD(list2);
	list_add_tail(&e[0], list1);
	list_add_tail(&e[1], list1);
	list_add_tail(&e[2], list2);
	list_add_tail(&e[3], list2);
	list_add_tail(&e[4], list1);
}

static void test_list_splice(void)
{
	struct list_head e[5], list1, list2, empty;

	splice_setup(e, &list1, &list2);
	list_splice(&list2, &e[1]);
	expect_order(&list1, &e[0], &e[1], &e[2], &e[3], &e[4]);

	splice_setup(e, &list1, &list2);
	list_splice_tail(&list2, &e[4]);
	expect_order(&list1, &e[0], &e[1], &e[2], &e[3], &e[4]);

	splice_setup(e, &list1, &list2);
	list_splice_init(&list2, &e[1]);
	expect_order(&list1, &e[0], &e[1], &e[2], &e[3], &e[4]);
	expect_empty(&list2);

	splice_setup(e, &list1, &list2);
	list_splice_tail_init(&list2, &e[4]);
	expect_order(&list1, &e[0], &e[1], &e[2], &e[3], &e[4]);
	expect_empty(&list2);

	/* Splicing an empty list changes nothing, in all four forms. */
	INIT_LIST_HEAD(&empty);
	list_splice(&empty, &list1);
	list_splice_tail(&empty, &list1);
	list_splice_init(&empty, &list1);
	list_splice_tail_init(&empty, &list1);
	expect_order(&list1, &e[0], &e[1], &e[2], &e[3], &e[4]);
	expect_empty(&empty);
}

static void test_list_entry_accessors(void)
{
	struct item s1, s2, s3, *p;
	LIST_HEAD(list);

	CHECK(list_entry(&s1.list, struct item, list) == &s1);
	CHECK(list_first_entry_or_null(&list, struct item, list) == NULL);
	CHECK(list_last_entry_or_null(&list, struct item, list) == NULL);
	list_add_tail(&s1.list, &list);
	list_add_tail(&s2.list, &list);
	list_add_tail(&s3.list, &list);
	CHECK(list_first_entry(&list, struct item, list) == &s1);
	CHECK(list_last_entry(&list, struct item, list) == &s3);
	CHECK(list_first_entry_or_null(&list, struct item, list) == &s1);
	CHECK(list_last_entry_or_null(&list, struct item, list) == &s3);
	CHECK(list_next_entry(&s1, list) == &s2);
	CHECK(list_prev_entry(&s2, list) == &s1);
	CHECK(list_next_entry_circular(&s2, &list, list) == &s3);
	CHECK(list_next_entry_circular(&s3, &list, list) == &s1);
	CHECK(list_prev_entry_circular(&s2, &list, list) == &s1);
	CHECK(list_prev_entry_circular(&s1, &list, list) == &s3);
	p = NULL;
	CHECK(&list_prepare_entry(p, &list, list)->list == &list);
	p = &s2;
	CHECK(list_prepare_entry(p, &list, list) == &s2);
}

static void test_list_entry_is_head(void)
{
	struct item s1, s2, s3;

	INIT_LIST_HEAD(&s1.list);
	INIT_LIST_HEAD(&s3.list);
	list_add_tail(&s2.list, &s1.list);
	CHECK(list_entry_is_head((&s1), &s1.list, list));
	CHECK(!list_entry_is_head((&s2), &s1.list, list));
	CHECK(!list_entry_is_head((&s3), &s1.list, list));
}

static void test_list_for_each(void)
{
	struct list_head e[3], *cur, *n;
	LIST_HEAD(list);
	int i;

	for (i = 0; i < 3; i++)
		list_add_tail(&e[i], &list);
	i = 0;
	list_for_each(cur, &list)
		CHECK(cur == &e[i++]);
	CHECK_EQ(i, 3);
	list_for_each_prev(cur, &list)
		CHECK(cur == &e[--i]);
	CHECK_EQ(i, 0);
	i = 3;
	list_for_each_reverse(cur, &list)
		CHECK(cur == &e[--i]);
	CHECK_EQ(i, 0);
	/* _continue starts after the cursor. */
	cur = &e[0];
	i = 1;
	list_for_each_continue(cur, &list)
		CHECK(cur == &e[i++]);
	CHECK_EQ(i, 3);
	CHECK_EQ(list_count_nodes(&list), 3);

	i = 0;
	list_for_each_safe(cur, n, &list) {
		CHECK(cur == &e[i]);
		list_del(&e[i++]);
	}
	CHECK_EQ(i, 3);
	expect_empty(&list);

	for (i = 0; i < 3; i++)
		list_add_tail(&e[i], &list);
	list_for_each_prev_safe(cur, n, &list) {
		CHECK(cur == &e[--i]);
		list_del(&e[i]);
	}
	CHECK_EQ(i, 0);
	expect_empty(&list);
	CHECK_EQ(list_count_nodes(&list), 0);
}

static void fill(struct item *e, int n, struct list_head *list)
{
	INIT_LIST_HEAD(list);
	for (int i = 0; i < n; i++) {
		e[i].data = i;
		list_add_tail(&e[i].list, list);
	}
}

/*
 * list_prepare_entry(NULL) makes a cursor from the head's address as if it
 * were an entry (the kernel's idiom), which gcc's bounds check flags when
 * the head is a lone local; nothing is read through it but ->member.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
static void test_list_for_each_entry(void)
{
	struct item e[5], *cur;
	LIST_HEAD(list);
	int i;

	fill(e, 5, &list);
	i = 0;
	list_for_each_entry(cur, &list, list)
		CHECK_EQ(cur->data, i++);
	CHECK_EQ(i, 5);
	list_for_each_entry_reverse(cur, &list, list)
		CHECK_EQ(cur->data, --i);
	CHECK_EQ(i, 0);

	/* _continue: after the cursor; _from: the cursor first. */
	cur = &e[1];
	i = 2;
	list_for_each_entry_continue(cur, &list, list)
		CHECK_EQ(cur->data, i++);
	CHECK_EQ(i, 5);
	cur = &e[3];
	i = 3;
	list_for_each_entry_continue_reverse(cur, &list, list)
		CHECK_EQ(cur->data, --i);
	CHECK_EQ(i, 0);
	cur = &e[2];
	i = 2;
	list_for_each_entry_from(cur, &list, list)
		CHECK_EQ(cur->data, i++);
	CHECK_EQ(i, 5);
	cur = &e[2];
	i = 3;
	list_for_each_entry_from_reverse(cur, &list, list)
		CHECK_EQ(cur->data, --i);
	CHECK_EQ(i, 0);
	/* A NULL cursor from list_prepare_entry() continues from the start. */
	cur = NULL;
	cur = list_prepare_entry(cur, &list, list);
	i = 0;
	list_for_each_entry_continue(cur, &list, list)
		CHECK_EQ(cur->data, i++);
	CHECK_EQ(i, 5);
}
#pragma GCC diagnostic pop

static void test_list_for_each_entry_safe(void)
{
	struct item e[5], *cur, *n;
	LIST_HEAD(list);
	int i;

	fill(e, 5, &list);
	i = 0;
	list_for_each_entry_safe(cur, n, &list, list) {
		CHECK_EQ(cur->data, i++);
		list_del(&cur->list);
	}
	CHECK_EQ(i, 5);
	expect_empty(&list);

	fill(e, 5, &list);
	list_for_each_entry_safe_reverse(cur, n, &list, list) {
		CHECK_EQ(cur->data, --i);
		list_del(&cur->list);
	}
	CHECK_EQ(i, 0);
	expect_empty(&list);

	fill(e, 5, &list);
	cur = &e[1];
	i = 2;
	list_for_each_entry_safe_continue(cur, n, &list, list) {
		CHECK_EQ(cur->data, i++);
		list_del(&cur->list);
	}
	CHECK_EQ(i, 5);
	expect_order(&list, &e[0].list, &e[1].list);

	fill(e, 5, &list);
	cur = &e[3];
	i = 3;
	list_for_each_entry_safe_from(cur, n, &list, list) {
		CHECK_EQ(cur->data, i++);
		list_del(&cur->list);
	}
	CHECK_EQ(i, 5);
	expect_order(&list, &e[0].list, &e[1].list, &e[2].list);

	/* list_safe_reset_next(): @n re-read after the list changed under it. */
	fill(e, 5, &list);
	i = 0;
	list_for_each_entry_safe(cur, n, &list, list) {
		CHECK_EQ(cur->data, i);
		if (cur->data == 1) {
			list_del(&e[2].list);	/* @n was e[2] */
			list_safe_reset_next(cur, n, list);
			i++;
		}
		i++;
	}
	CHECK_EQ(i, 5);
	CHECK_EQ(list_count_nodes(&list), 4);
}

/* ---- hlist ---- */

static void test_hlist_init(void)
{
	struct hlist_head a = HLIST_HEAD_INIT, b, *c, *d;
	HLIST_HEAD(e);

	INIT_HLIST_HEAD(&b);
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	d = kmalloc(sizeof(*d), GFP_KERNEL);
	CHECK(c && d);
	if (!c || !d)
		return;
	INIT_HLIST_HEAD(c);
	memset(d, 0xff, sizeof(*d));
	INIT_HLIST_HEAD(d);
	CHECK(hlist_empty(&a) && hlist_empty(&b) && hlist_empty(c) && hlist_empty(d));
	CHECK(hlist_empty(&e));
	kfree(c);
	kfree(d);
}

static void test_hlist_unhashed(void)
{
	struct hlist_node a;
	HLIST_HEAD(list);

	INIT_HLIST_NODE(&a);
	CHECK(hlist_unhashed(&a) && hlist_unhashed_lockless(&a));
	hlist_add_head(&a, &list);
	CHECK(!hlist_unhashed(&a) && !hlist_unhashed_lockless(&a));
	hlist_del_init(&a);
	CHECK(hlist_unhashed(&a) && hlist_unhashed_lockless(&a));
	CHECK(hlist_empty(&list));
	/* hlist_del_init() of an unhashed node is a no-op. */
	hlist_del_init(&a);
	CHECK(hlist_unhashed(&a) && a.next == NULL);
}

static void test_hlist_del(void)
{
	struct hlist_node a, b, c;
	HLIST_HEAD(list);

	hlist_add_head(&a, &list);
	hlist_add_behind(&b, &a);
	hlist_add_behind(&c, &b);
	hlist_del(&a);
	CHECK(list.first == &b && b.pprev == &list.first);
	CHECK(a.next == LIST_POISON1 && a.pprev == LIST_POISON2);
	/* The last node: its predecessor's next becomes NULL. */
	hlist_del_init(&c);
	CHECK(b.next == NULL && c.next == NULL && c.pprev == NULL);
	hlist_del(&b);
	CHECK(hlist_empty(&list));
}

static void test_hlist_add(void)
{
	struct hlist_node a, b, c, d;
	HLIST_HEAD(list);

	hlist_add_head(&a, &list);
	hlist_add_head(&b, &list);
	hlist_add_before(&c, &a);
	hlist_add_behind(&d, &a);
	/* b -> c -> a -> d, each pprev at its predecessor's next */
	CHECK(list.first == &b && b.pprev == &list.first);
	CHECK(b.next == &c && c.pprev == &b.next);
	CHECK(c.next == &a && a.pprev == &c.next);
	CHECK(a.next == &d && d.pprev == &a.next);
	CHECK(d.next == NULL);
	/* hlist_add_before() the first node becomes the new first. */
	hlist_del(&c);
	INIT_HLIST_NODE(&c);
	hlist_add_before(&c, &b);
	CHECK(list.first == &c && c.pprev == &list.first && b.pprev == &c.next);
	CHECK_EQ(hlist_count_nodes(&list), 4);
	/* hlist_add_behind() in the middle: the follower's pprev moves too. */
	hlist_del(&a);
	hlist_add_behind(&a, &c);
	CHECK(c.next == &a && a.pprev == &c.next);
	CHECK(a.next == &b && b.pprev == &a.next);
}

static void test_hlist_fake(void)
{
	struct hlist_node a;

	INIT_HLIST_NODE(&a);
	CHECK(!hlist_fake(&a));
	hlist_add_fake(&a);
	CHECK(hlist_fake(&a) && !hlist_unhashed(&a));
	/* Deleting a fake node touches only the node. */
	hlist_del_init(&a);
	CHECK(hlist_unhashed(&a) && !hlist_fake(&a));
}

static void test_hlist_is_singular_node(void)
{
	struct hlist_node a, b;
	HLIST_HEAD(list);

	INIT_HLIST_NODE(&a);
	CHECK(!hlist_is_singular_node(&a, &list));
	hlist_add_head(&a, &list);
	CHECK(hlist_is_singular_node(&a, &list));
	hlist_add_head(&b, &list);
	CHECK(!hlist_is_singular_node(&a, &list));
	CHECK(!hlist_is_singular_node(&b, &list));
}

static void test_hlist_move_splice(void)
{
	struct hlist_node a, b, c, x;
	HLIST_HEAD(list1);
	HLIST_HEAD(list2);

	hlist_add_head(&a, &list1);
	CHECK(!hlist_empty(&list1) && hlist_empty(&list2));
	hlist_move_list(&list1, &list2);
	CHECK(hlist_empty(&list1) && !hlist_empty(&list2));
	CHECK(list2.first == &a && a.pprev == &list2.first);
	/* Moving an empty list empties the destination. */
	hlist_move_list(&list1, &list2);
	CHECK(hlist_empty(&list2));

	/* list1 = a b, list2 = x: a b go in front of x, list1 empty. */
	hlist_add_head(&b, &list1);
	hlist_add_head(&a, &list1);
	hlist_add_head(&x, &list2);
	hlist_splice_init(&list1, &b, &list2);
	CHECK(hlist_empty(&list1));
	CHECK(list2.first == &a && a.pprev == &list2.first);
	CHECK(a.next == &b && b.next == &x && x.pprev == &b.next && x.next == NULL);
	/* Into an empty list. */
	hlist_move_list(&list2, &list1);
	hlist_add_head(&c, &list2);
	hlist_del_init(&c);
	hlist_splice_init(&list1, &x, &list2);
	CHECK(list2.first == &a && a.pprev == &list2.first && x.next == NULL);
	CHECK_EQ(hlist_count_nodes(&list2), 3);
}

static void test_hlist_entry(void)
{
	struct hitem s;

	CHECK(hlist_entry(&s.node, struct hitem, node) == &s);
	CHECK(hlist_entry_safe(&s.node, struct hitem, node) == &s);
	CHECK(hlist_entry_safe((struct hlist_node *)NULL, struct hitem, node) == NULL);
}

static void test_hlist_for_each(void)
{
	struct hlist_node e[3], *cur, *n;
	HLIST_HEAD(list);
	int i;

	hlist_add_head(&e[0], &list);
	hlist_add_behind(&e[1], &e[0]);
	hlist_add_behind(&e[2], &e[1]);
	i = 0;
	hlist_for_each(cur, &list)
		CHECK(cur == &e[i++]);
	CHECK_EQ(i, 3);
	CHECK_EQ(hlist_count_nodes(&list), 3);
	i = 0;
	hlist_for_each_safe(cur, n, &list) {
		CHECK(cur == &e[i]);
		hlist_del(&e[i++]);
	}
	CHECK_EQ(i, 3);
	CHECK(hlist_empty(&list));
	CHECK_EQ(hlist_count_nodes(&list), 0);
}

static void hfill(struct hitem *e, int n, struct hlist_head *list)
{
	INIT_HLIST_HEAD(list);
	e[0].data = 0;
	hlist_add_head(&e[0].node, list);
	for (int i = 1; i < n; i++) {
		e[i].data = i;
		hlist_add_behind(&e[i].node, &e[i - 1].node);
	}
}

static void test_hlist_for_each_entry(void)
{
	struct hitem e[5], *cur;
	struct hlist_node *tmp;
	HLIST_HEAD(list);
	int i;

	hfill(e, 5, &list);
	i = 0;
	hlist_for_each_entry(cur, &list, node)
		CHECK_EQ(cur->data, i++);
	CHECK_EQ(i, 5);

	/* _continue skips the cursor, _from visits it. */
	cur = &e[0];
	i = 1;
	hlist_for_each_entry_continue(cur, node) {
		CHECK_EQ(cur->data, i++);
		cur->data = 42;
	}
	CHECK_EQ(i, 5);
	CHECK(e[0].data == 0 && e[1].data == 42);
	CHECK(cur == NULL);

	hfill(e, 5, &list);
	cur = &e[0];
	i = 0;
	hlist_for_each_entry_from(cur, node) {
		CHECK_EQ(cur->data, i++);
		cur->data = 42;
	}
	CHECK_EQ(i, 5);
	CHECK_EQ(e[0].data, 42);

	hfill(e, 5, &list);
	i = 0;
	hlist_for_each_entry_safe(cur, tmp, &list, node) {
		CHECK_EQ(cur->data, i++);
		hlist_del(&cur->node);
	}
	CHECK_EQ(i, 5);
	CHECK(hlist_empty(&list));
	hlist_for_each_entry(cur, &list, node)
		CHECK(0);
}

int main(void)
{
	KTEST_RUN(KTEST(test_list_init), KTEST(test_list_add), KTEST(test_list_add_tail),
		  KTEST(test_list_del), KTEST(test_list_del_clearprev), KTEST(test_list_replace),
		  KTEST(test_list_replace_init), KTEST(test_list_swap), KTEST(test_list_del_init),
		  KTEST(test_list_del_init_careful), KTEST(test_list_move),
		  KTEST(test_list_move_tail), KTEST(test_list_bulk_move_tail),
		  KTEST(test_list_is_head_first_last), KTEST(test_list_empty),
		  KTEST(test_list_rotate), KTEST(test_list_is_singular),
		  KTEST(test_list_cut_position), KTEST(test_list_cut_before),
		  KTEST(test_list_splice), KTEST(test_list_entry_accessors),
		  KTEST(test_list_entry_is_head), KTEST(test_list_for_each),
		  KTEST(test_list_for_each_entry), KTEST(test_list_for_each_entry_safe),
		  KTEST(test_hlist_init), KTEST(test_hlist_unhashed), KTEST(test_hlist_del),
		  KTEST(test_hlist_add), KTEST(test_hlist_fake), KTEST(test_hlist_is_singular_node),
		  KTEST(test_hlist_move_splice), KTEST(test_hlist_entry),
		  KTEST(test_hlist_for_each), KTEST(test_hlist_for_each_entry));
}
