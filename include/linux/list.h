/* SPDX-License-Identifier: MIT */
/*
 * linux/list.h - the kernel's circular doubly linked list.
 *
 * Same names and semantics as the kernel's include/linux/list.h: an empty
 * list points at itself, list_del() poisons the removed entry so a second
 * deletion faults.  The second half is the kernel's hlist, the list with a
 * one-pointer head that hash tables use (struct hlist_head/hlist_node; an
 * unhashed node has a NULL pprev).  tests/test_list.c holds the
 * expectations of the kernel's lib/tests/list-test.c.
 */
#ifndef _LINUX_LIST_H
#define _LINUX_LIST_H

#include <ukmem/kernel_types.h>

struct list_head {
	struct list_head *next, *prev;
};

/* The kernel declares these in linux/types.h; that header includes this one. */
struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

#include <linux/poison.h>	/* LIST_POISON1, LIST_POISON2 */

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

/*
 * The writes of ->next that list_empty() may read without the list's lock
 * are marked, as in the kernel (a lockless "anything there?" check before
 * taking the lock, e.g. a zone's free lists in the watermark check).
 */
static inline void INIT_LIST_HEAD(struct list_head *list)
{
	WRITE_ONCE(list->next, list);
	list->prev = list;
}

static inline void __list_add(struct list_head *entry, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = entry;
	entry->next = next;
	entry->prev = prev;
	WRITE_ONCE(prev->next, entry);
}

static inline void list_add(struct list_head *entry, struct list_head *head)
{
	__list_add(entry, head, head->next);
}

static inline void list_add_tail(struct list_head *entry, struct list_head *head)
{
	__list_add(entry, head->prev, head);
}

static inline void __list_del(struct list_head *prev, struct list_head *next)
{
	next->prev = prev;
	WRITE_ONCE(prev->next, next);
}

static inline void __list_del_entry(struct list_head *entry)
{
	__list_del(entry->prev, entry->next);
}

static inline void list_del(struct list_head *entry)
{
	__list_del_entry(entry);
	entry->next = (struct list_head *)LIST_POISON1;
	entry->prev = (struct list_head *)LIST_POISON2;
}

static inline void list_del_init(struct list_head *entry)
{
	__list_del_entry(entry);
	INIT_LIST_HEAD(entry);
}

/*
 * list_del_init() for an entry that another thread tests with
 * list_empty_careful() without the lock: ->next is written last, with
 * release order, so a reader that sees the entry empty also sees the
 * writes made before it was taken off.
 */
static inline void list_del_init_careful(struct list_head *entry)
{
	__list_del_entry(entry);
	WRITE_ONCE(entry->prev, entry);
	__atomic_store_n(&entry->next, entry, __ATOMIC_RELEASE);
}

/* Takes @entry off its list and leaves ->prev NULL (the kernel's marker that it is off). */
static inline void __list_del_clearprev(struct list_head *entry)
{
	__list_del(entry->prev, entry->next);
	entry->prev = NULL;
}

/* @repl takes @old's place in its list (@old's links are left as they were). */
static inline void list_replace(struct list_head *old, struct list_head *repl)
{
	repl->next = old->next;
	repl->next->prev = repl;
	repl->prev = old->prev;
	repl->prev->next = repl;
}

static inline void list_replace_init(struct list_head *old, struct list_head *repl)
{
	list_replace(old, repl);
	INIT_LIST_HEAD(old);
}

/*
 * Exchanges the places of two entries, which may be on the same list,
 * next to each other, or on two lists.
 */
static inline void list_swap(struct list_head *entry1, struct list_head *entry2)
{
	struct list_head *where = entry2->prev;

	list_del(entry2);
	list_replace(entry1, entry2);
	if (where == entry1)	/* they were neighbours: entry2 now stands there */
		where = entry2;
	list_add(entry1, where);
}

static inline void list_move(struct list_head *entry, struct list_head *head)
{
	__list_del_entry(entry);
	list_add(entry, head);
}

static inline void list_move_tail(struct list_head *entry, struct list_head *head)
{
	__list_del_entry(entry);
	list_add_tail(entry, head);
}

/*
 * Moves the run @first..@last (in that order on one list) to the tail of
 * @head, in one step whatever its length.
 */
static inline void list_bulk_move_tail(struct list_head *head, struct list_head *first,
				       struct list_head *last)
{
	first->prev->next = last->next;
	last->next->prev = first->prev;

	head->prev->next = first;
	first->prev = head->prev;

	last->next = head;
	head->prev = last;
}

/* @entry is the first, or the last, of @head's entries. */
static inline int list_is_first(const struct list_head *entry, const struct list_head *head)
{
	return entry->prev == head;
}

static inline int list_is_last(const struct list_head *entry, const struct list_head *head)
{
	return entry->next == head;
}

/* @entry is @head itself (the end test of the iterators). */
static inline int list_is_head(const struct list_head *entry, const struct list_head *head)
{
	return entry == head;
}

static inline int list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}

/*
 * Empty, with both links agreeing: what a reader without the lock may test
 * when the only change others make is list_del_init_careful().
 */
static inline int list_empty_careful(const struct list_head *head)
{
	struct list_head *next = __atomic_load_n(&head->next, __ATOMIC_ACQUIRE);

	return list_is_head(next, head) && next == READ_ONCE(head->prev);
}

/* The first entry becomes the last. */
static inline void list_rotate_left(struct list_head *head)
{
	if (!list_empty(head))
		list_move_tail(head->next, head);
}

/* @entry becomes the first of its list (whose head is @head), the order kept. */
static inline void list_rotate_to_front(struct list_head *entry, struct list_head *head)
{
	list_move_tail(head, entry);
}

static inline int list_is_singular(const struct list_head *head)
{
	return !list_empty(head) && head->next == head->prev;
}

static inline void __list_cut_position(struct list_head *list, struct list_head *head,
				       struct list_head *entry)
{
	struct list_head *rest = entry->next;

	list->next = head->next;
	list->next->prev = list;
	list->prev = entry;
	entry->next = list;
	head->next = rest;
	rest->prev = head;
}

/*
 * Moves @head's entries up to and including @entry onto @list (whose old
 * contents are dropped).  @entry == @head moves nothing and empties @list;
 * an empty @head, or a one-entry @head that does not hold @entry, is left
 * alone and so is @list.
 */
static inline void list_cut_position(struct list_head *list, struct list_head *head,
				     struct list_head *entry)
{
	if (list_empty(head))
		return;
	if (list_is_singular(head) && !list_is_head(entry, head) && entry != head->next)
		return;
	if (list_is_head(entry, head))
		INIT_LIST_HEAD(list);
	else
		__list_cut_position(list, head, entry);
}

/*
 * Moves @head's entries before @entry (not @entry itself) onto @list,
 * whose old contents are dropped.  @entry the first entry: nothing moves
 * and @list is made empty; @entry == @head: every entry moves.
 */
static inline void list_cut_before(struct list_head *list, struct list_head *head,
				   struct list_head *entry)
{
	if (head->next == entry) {
		INIT_LIST_HEAD(list);
		return;
	}
	list->next = head->next;
	list->next->prev = list;
	list->prev = entry->prev;
	list->prev->next = list;
	head->next = entry;
	entry->prev = head;
}

static inline void __list_splice(const struct list_head *list,
				 struct list_head *prev, struct list_head *next)
{
	struct list_head *first = list->next, *last = list->prev;

	first->prev = prev;
	prev->next = first;
	last->next = next;
	next->prev = last;
}

/*
 * Inserts @list's entries after @head (list_splice) or before it
 * (list_splice_tail).  @list itself is left pointing at entries it no
 * longer owns: the _init variants make it empty again.
 */
static inline void list_splice(const struct list_head *list, struct list_head *head)
{
	if (!list_empty(list))
		__list_splice(list, head, head->next);
}

static inline void list_splice_tail(struct list_head *list, struct list_head *head)
{
	if (!list_empty(list))
		__list_splice(list, head->prev, head);
}

static inline void list_splice_init(struct list_head *list, struct list_head *head)
{
	if (!list_empty(list)) {
		__list_splice(list, head, head->next);
		INIT_LIST_HEAD(list);
	}
}

static inline void list_splice_tail_init(struct list_head *list, struct list_head *head)
{
	if (!list_empty(list)) {
		__list_splice(list, head->prev, head);
		INIT_LIST_HEAD(list);
	}
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_last_entry(ptr, type, member) list_entry((ptr)->prev, type, member)
#define list_first_entry_or_null(ptr, type, member) ({			\
	struct list_head *__lh = (ptr);					\
	struct list_head *__lpos = READ_ONCE(__lh->next);		\
	__lpos != __lh ? list_entry(__lpos, type, member) : NULL;	\
})
#define list_last_entry_or_null(ptr, type, member) ({			\
	struct list_head *__lh = (ptr);					\
	struct list_head *__lpos = READ_ONCE(__lh->prev);		\
	__lpos != __lh ? list_entry(__lpos, type, member) : NULL;	\
})
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_prev_entry(pos, member) \
	list_entry((pos)->member.prev, __typeof__(*(pos)), member)
/* The next (previous) entry, the first (last) one after the last (first). */
#define list_next_entry_circular(pos, head, member)			\
	(list_is_last(&(pos)->member, head) ?				\
	 list_first_entry(head, __typeof__(*(pos)), member) :		\
	 list_next_entry(pos, member))
#define list_prev_entry_circular(pos, head, member)			\
	(list_is_first(&(pos)->member, head) ?				\
	 list_last_entry(head, __typeof__(*(pos)), member) :		\
	 list_prev_entry(pos, member))
/* @pos is no entry but the container_of() of @head: an iterator's end. */
#define list_entry_is_head(pos, head, member)	list_is_head(&(pos)->member, (head))

#define list_for_each(pos, head) \
	for (pos = (head)->next; !list_is_head(pos, (head)); pos = pos->next)
#define list_for_each_continue(pos, head) \
	for (pos = pos->next; !list_is_head(pos, (head)); pos = pos->next)
#define list_for_each_prev(pos, head) \
	for (pos = (head)->prev; !list_is_head(pos, (head)); pos = pos->prev)
#define list_for_each_reverse(pos, head)	list_for_each_prev(pos, head)
#define list_for_each_safe(pos, n, head) \
	for (pos = (head)->next, n = pos->next; !list_is_head(pos, (head)); \
	     pos = n, n = pos->next)
#define list_for_each_prev_safe(pos, n, head) \
	for (pos = (head)->prev, n = pos->prev; !list_is_head(pos, (head)); \
	     pos = n, n = pos->prev)

#define list_for_each_entry(pos, head, member)				\
	for (pos = list_first_entry(head, __typeof__(*pos), member);	\
	     !list_entry_is_head(pos, head, member);			\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_reverse(pos, head, member)			\
	for (pos = list_last_entry(head, __typeof__(*pos), member);	\
	     !list_entry_is_head(pos, head, member);			\
	     pos = list_prev_entry(pos, member))
/* A start for the _continue iterators: @pos, or the head's container when NULL. */
#define list_prepare_entry(pos, head, member) \
	((pos) ? (pos) : list_entry(head, __typeof__(*pos), member))
/* From the entry after @pos (before it, for _reverse); @pos itself is not visited. */
#define list_for_each_entry_continue(pos, head, member)			\
	for (pos = list_next_entry(pos, member);			\
	     !list_entry_is_head(pos, head, member);			\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_continue_reverse(pos, head, member)		\
	for (pos = list_prev_entry(pos, member);			\
	     !list_entry_is_head(pos, head, member);			\
	     pos = list_prev_entry(pos, member))
/* From @pos itself on. */
#define list_for_each_entry_from(pos, head, member)			\
	for (; !list_entry_is_head(pos, head, member);			\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_from_reverse(pos, head, member)		\
	for (; !list_entry_is_head(pos, head, member);			\
	     pos = list_prev_entry(pos, member))
/* The _safe iterators read the next entry before the body, which may free @pos. */
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_first_entry(head, __typeof__(*pos), member),	\
	     n = list_next_entry(pos, member);				\
	     !list_entry_is_head(pos, head, member);			\
	     pos = n, n = list_next_entry(n, member))
#define list_for_each_entry_safe_continue(pos, n, head, member)		\
	for (pos = list_next_entry(pos, member),			\
	     n = list_next_entry(pos, member);				\
	     !list_entry_is_head(pos, head, member);			\
	     pos = n, n = list_next_entry(n, member))
#define list_for_each_entry_safe_from(pos, n, head, member)		\
	for (n = list_next_entry(pos, member);				\
	     !list_entry_is_head(pos, head, member);			\
	     pos = n, n = list_next_entry(n, member))
#define list_for_each_entry_safe_reverse(pos, n, head, member)		\
	for (pos = list_last_entry(head, __typeof__(*pos), member),	\
	     n = list_prev_entry(pos, member);				\
	     !list_entry_is_head(pos, head, member);			\
	     pos = n, n = list_prev_entry(n, member))
/* After the body of a _safe loop dropped a lock, @n may be stale: read it again. */
#define list_safe_reset_next(pos, n, member)	n = list_next_entry(pos, member)

static inline size_t list_count_nodes(const struct list_head *head)
{
	const struct list_head *pos;
	size_t count = 0;

	list_for_each(pos, head)
		count++;
	return count;
}

/* ---- hlist: a NULL-terminated list with a one-pointer head ---- */

#define HLIST_HEAD_INIT		{ .first = NULL }
#define HLIST_HEAD(name)	struct hlist_head name = HLIST_HEAD_INIT
#define INIT_HLIST_HEAD(ptr)	((ptr)->first = NULL)

static inline void INIT_HLIST_NODE(struct hlist_node *node)
{
	node->next = NULL;
	node->pprev = NULL;
}

/* On no list (never added, or taken off with hlist_del_init()). */
static inline int hlist_unhashed(const struct hlist_node *node)
{
	return !node->pprev;
}

/* hlist_unhashed() for a caller that does not hold the list's lock. */
static inline int hlist_unhashed_lockless(const struct hlist_node *node)
{
	return !READ_ONCE(node->pprev);
}

static inline int hlist_empty(const struct hlist_head *head)
{
	return !READ_ONCE(head->first);
}

static inline void __hlist_del(struct hlist_node *node)
{
	struct hlist_node *next = node->next, **pprev = node->pprev;

	WRITE_ONCE(*pprev, next);
	if (next)
		WRITE_ONCE(next->pprev, pprev);
}

/* Takes @node off and poisons it, as list_del() does. */
static inline void hlist_del(struct hlist_node *node)
{
	__hlist_del(node);
	node->next = (struct hlist_node *)LIST_POISON1;
	node->pprev = (struct hlist_node **)LIST_POISON2;
}

/* Takes @node off if it is on a list, and leaves it unhashed. */
static inline void hlist_del_init(struct hlist_node *node)
{
	if (!hlist_unhashed(node)) {
		__hlist_del(node);
		INIT_HLIST_NODE(node);
	}
}

static inline void hlist_add_head(struct hlist_node *node, struct hlist_head *head)
{
	struct hlist_node *first = head->first;

	WRITE_ONCE(node->next, first);
	if (first)
		WRITE_ONCE(first->pprev, &node->next);
	WRITE_ONCE(head->first, node);
	WRITE_ONCE(node->pprev, &head->first);
}

/* @node goes in front of @next, which is on a list. */
static inline void hlist_add_before(struct hlist_node *node, struct hlist_node *next)
{
	WRITE_ONCE(node->pprev, next->pprev);
	WRITE_ONCE(node->next, next);
	WRITE_ONCE(next->pprev, &node->next);
	WRITE_ONCE(*node->pprev, node);
}

/* @node goes after @prev, which is on a list. */
static inline void hlist_add_behind(struct hlist_node *node, struct hlist_node *prev)
{
	WRITE_ONCE(node->next, prev->next);
	WRITE_ONCE(prev->next, node);
	WRITE_ONCE(node->pprev, &prev->next);
	if (node->next)
		WRITE_ONCE(node->next->pprev, &node->next);
}

/*
 * A node that belongs to no list but must not read as unhashed: its pprev
 * points at its own next, so hlist_del() on it changes nothing else.
 */
static inline void hlist_add_fake(struct hlist_node *node)
{
	node->pprev = &node->next;
}

static inline bool hlist_fake(struct hlist_node *node)
{
	return node->pprev == &node->next;
}

/* @node is the only entry of @head. */
static inline bool hlist_is_singular_node(struct hlist_node *node, struct hlist_head *head)
{
	return !node->next && node->pprev == &head->first;
}

/* @dst takes all of @old's entries (@dst's own are dropped); @old is left empty. */
static inline void hlist_move_list(struct hlist_head *old, struct hlist_head *dst)
{
	dst->first = old->first;
	if (dst->first)
		dst->first->pprev = &dst->first;
	old->first = NULL;
}

/*
 * Moves @from's entries, whose last is @last, to the front of @to; @from
 * is left empty.  @from must not be empty.
 */
static inline void hlist_splice_init(struct hlist_head *from, struct hlist_node *last,
				     struct hlist_head *to)
{
	if (to->first)
		to->first->pprev = &last->next;
	last->next = to->first;
	to->first = from->first;
	from->first->pprev = &to->first;
	from->first = NULL;
}

#define hlist_entry(ptr, type, member)	container_of(ptr, type, member)
/* hlist_entry() that passes NULL through (the end of an hlist). */
#define hlist_entry_safe(ptr, type, member) ({				\
	__typeof__(ptr) __hptr = (ptr);					\
	__hptr ? hlist_entry(__hptr, type, member) : NULL;		\
})

#define hlist_for_each(pos, head) \
	for (pos = (head)->first; pos; pos = pos->next)
#define hlist_for_each_safe(pos, n, head) \
	for (pos = (head)->first; pos && ((n = pos->next), 1); pos = n)
#define hlist_for_each_entry(pos, head, member)				\
	for (pos = hlist_entry_safe((head)->first, __typeof__(*(pos)), member); \
	     pos;							\
	     pos = hlist_entry_safe((pos)->member.next, __typeof__(*(pos)), member))
/* From the entry after @pos; @pos itself is not visited. */
#define hlist_for_each_entry_continue(pos, member)			\
	for (pos = hlist_entry_safe((pos)->member.next, __typeof__(*(pos)), member); \
	     pos;							\
	     pos = hlist_entry_safe((pos)->member.next, __typeof__(*(pos)), member))
/* From @pos itself on. */
#define hlist_for_each_entry_from(pos, member)				\
	for (; pos;							\
	     pos = hlist_entry_safe((pos)->member.next, __typeof__(*(pos)), member))
/* @n (a struct hlist_node *) holds the next node before the body runs. */
#define hlist_for_each_entry_safe(pos, n, head, member)			\
	for (pos = hlist_entry_safe((head)->first, __typeof__(*pos), member); \
	     pos && ((n = pos->member.next), 1);			\
	     pos = hlist_entry_safe(n, __typeof__(*pos), member))

static inline size_t hlist_count_nodes(struct hlist_head *head)
{
	struct hlist_node *pos;
	size_t count = 0;

	hlist_for_each(pos, head)
		count++;
	return count;
}

#endif /* _LINUX_LIST_H */
