/* SPDX-License-Identifier: MIT */
/*
 * linux/rculist.h - lists that readers walk under rcu_read_lock() while a
 * writer, holding its own lock, adds and removes entries
 * (include/linux/rculist.h).
 *
 * A writer publishes an entry's links before the entry itself (release
 * store of prev->next); a removed entry keeps its next pointer, so a
 * reader standing on it still finds its way back to the list, and its
 * prev pointer is poisoned.  Free a removed entry only after a grace
 * period (synchronize_rcu(), call_rcu(), kfree_rcu()).  The hlist forms
 * (hlist_add_head_rcu(), hlist_del_rcu(), hlist_for_each_entry_rcu() ...)
 * follow the same rules; tests/test_rculist.c checks both.
 */
#ifndef _LINUX_RCULIST_H
#define _LINUX_RCULIST_H

#include <linux/list.h>
#include <linux/rcupdate.h>

UKMEM_C_BEGIN

#define list_next_rcu(list)	((list)->next)

static inline void __list_add_rcu(struct list_head *entry, struct list_head *prev,
				  struct list_head *next)
{
	entry->next = next;
	entry->prev = prev;
	rcu_assign_pointer(list_next_rcu(prev), entry);
	next->prev = entry;
}

static inline void list_add_rcu(struct list_head *entry, struct list_head *head)
{
	__list_add_rcu(entry, head, head->next);
}

static inline void list_add_tail_rcu(struct list_head *entry, struct list_head *head)
{
	__list_add_rcu(entry, head->prev, head);
}

static inline void list_del_rcu(struct list_head *entry)
{
	struct list_head *prev = entry->prev, *next = entry->next;

	next->prev = prev;
	rcu_assign_pointer(list_next_rcu(prev), next);	/* release, as __hlist_del_rcu() */
	entry->prev = (struct list_head *)LIST_POISON2;
}

static inline void list_replace_rcu(struct list_head *old, struct list_head *entry)
{
	entry->next = old->next;
	entry->prev = old->prev;
	rcu_assign_pointer(list_next_rcu(entry->prev), entry);
	entry->next->prev = entry;
	old->prev = (struct list_head *)LIST_POISON2;
}

#define list_entry_rcu(ptr, type, member) \
	container_of(rcu_dereference_raw(ptr), type, member)

#define list_first_or_null_rcu(ptr, type, member)			\
	({								\
		struct list_head *__head = (ptr);			\
		struct list_head *__next = rcu_dereference_raw(__head->next); \
		__next != __head ? list_entry(__next, type, member) : NULL; \
	})

#define list_for_each_entry_rcu(pos, head, member, ...)			\
	for (pos = list_entry_rcu((head)->next, __typeof__(*pos), member); \
	     &pos->member != (head);					\
	     pos = list_entry_rcu(pos->member.next, __typeof__(*pos), member))

/* ->next, ->prev and a head's ->first as the RCU-protected pointers they are. */
#define list_tail_rcu(head)	((head)->prev)
#define hlist_first_rcu(head)	((head)->first)
#define hlist_next_rcu(node)	((node)->next)
#define hlist_pprev_rcu(node)	(*((node)->pprev))

/* An empty list that readers may already be looking at. */
static inline void INIT_LIST_HEAD_RCU(struct list_head *list)
{
	WRITE_ONCE(list->next, list);
	WRITE_ONCE(list->prev, list);
}

/* The entry after @ptr, or NULL at the end of @head (readers). */
#define list_next_or_null_rcu(head, ptr, type, member) ({			\
	struct list_head *__nr_head = (head);					\
	struct list_head *__nr_ptr = (ptr);					\
	struct list_head *__nr_next = rcu_dereference_raw(list_next_rcu(__nr_ptr)); \
	__nr_next != __nr_head ? list_entry_rcu(__nr_next, type, member) : NULL; \
})

#define list_for_each_entry_srcu(pos, head, member, cond)			\
	list_for_each_entry_rcu(pos, head, member)
/* From the entry after @pos (list_for_each_entry_continue_rcu) or from @pos itself. */
#define list_for_each_entry_continue_rcu(pos, head, member)			\
	for (pos = list_entry_rcu(pos->member.next, __typeof__(*pos), member);	\
	     &pos->member != (head);						\
	     pos = list_entry_rcu(pos->member.next, __typeof__(*pos), member))
#define list_for_each_entry_from_rcu(pos, head, member)			\
	for (; &(pos)->member != (head);					\
	     pos = list_entry_rcu(pos->member.next, __typeof__(*(pos)), member))
/* A list whose entries are only ever added (never removed) read without RCU. */
#define list_entry_lockless(ptr, type, member)	container_of(READ_ONCE(ptr), type, member)
#define list_for_each_entry_lockless(pos, head, member)			\
	for (pos = list_entry_lockless((head)->next, __typeof__(*pos), member); \
	     &pos->member != (head);						\
	     pos = list_entry_lockless(pos->member.next, __typeof__(*pos), member))

/*
 * Splices @list between @prev and @next while readers may walk the
 * destination: @list is emptied first, @sync (synchronize_rcu() or the
 * like) waits out readers that were walking @list, and only then do its
 * entries become reachable from the destination, last links first.
 */
static inline void __list_splice_init_rcu(struct list_head *list, struct list_head *prev,
					  struct list_head *next, void (*sync)(void))
{
	struct list_head *first = list->next, *last = list->prev;

	INIT_LIST_HEAD_RCU(list);
	sync();
	last->next = next;
	rcu_assign_pointer(list_next_rcu(prev), first);
	first->prev = prev;
	next->prev = last;
}

static inline void list_splice_init_rcu(struct list_head *list, struct list_head *head,
					void (*sync)(void))
{
	if (!list_empty(list))
		__list_splice_init_rcu(list, head, head->next, sync);
}

static inline void list_splice_tail_init_rcu(struct list_head *list, struct list_head *head,
					     void (*sync)(void))
{
	if (!list_empty(list))
		__list_splice_init_rcu(list, head->prev, head, sync);
}

/* ---- hlist under RCU: writers serialised by the caller, readers lock-free ---- */

/*
 * Unlinks @n for readers: the store that skips it is a release (the
 * kernel's is WRITE_ONCE), so that a reader who reaches @n's successor
 * through the new link is ordered after that successor's publication in
 * the C11 model that ThreadSanitizer checks, not only by the address
 * dependency the kernel relies on.  It costs nothing on x86.
 */
static inline void __hlist_del_rcu(struct hlist_node *n)
{
	struct hlist_node *next = n->next, **pprev = n->pprev;

	rcu_assign_pointer(*pprev, next);
	if (next)
		WRITE_ONCE(next->pprev, pprev);
}

/* Takes @n off; it stays readable (->next kept) for readers that hold it. */
static inline void hlist_del_rcu(struct hlist_node *n)
{
	__hlist_del_rcu(n);
	WRITE_ONCE(n->pprev, (struct hlist_node **)LIST_POISON2);
}

/* hlist_del_rcu() that leaves @n unhashed (it may be added again after a grace period). */
static inline void hlist_del_init_rcu(struct hlist_node *n)
{
	if (!hlist_unhashed(n)) {
		__hlist_del_rcu(n);
		WRITE_ONCE(n->pprev, NULL);
	}
}

static inline void hlist_replace_rcu(struct hlist_node *old, struct hlist_node *repl)
{
	struct hlist_node *next = old->next;

	repl->next = next;
	WRITE_ONCE(repl->pprev, old->pprev);
	rcu_assign_pointer(*repl->pprev, repl);
	if (next)
		WRITE_ONCE(repl->next->pprev, &repl->next);
	WRITE_ONCE(old->pprev, (struct hlist_node **)LIST_POISON2);
}

/* Each add publishes @n (rcu_assign_pointer) only after its own links are set. */
static inline void hlist_add_head_rcu(struct hlist_node *n, struct hlist_head *h)
{
	struct hlist_node *first = h->first;

	n->next = first;
	WRITE_ONCE(n->pprev, &h->first);
	rcu_assign_pointer(hlist_first_rcu(h), n);
	if (first)
		WRITE_ONCE(first->pprev, &n->next);
}

static inline void hlist_add_tail_rcu(struct hlist_node *n, struct hlist_head *h)
{
	struct hlist_node *i, *last = NULL;

	for (i = h->first; i; i = i->next)
		last = i;
	if (last) {
		n->next = last->next;
		WRITE_ONCE(n->pprev, &last->next);
		rcu_assign_pointer(hlist_next_rcu(last), n);
	} else {
		hlist_add_head_rcu(n, h);
	}
}

static inline void hlist_add_before_rcu(struct hlist_node *n, struct hlist_node *next)
{
	WRITE_ONCE(n->pprev, next->pprev);
	n->next = next;
	rcu_assign_pointer(hlist_pprev_rcu(n), n);
	WRITE_ONCE(next->pprev, &n->next);
}

static inline void hlist_add_behind_rcu(struct hlist_node *n, struct hlist_node *prev)
{
	n->next = prev->next;
	WRITE_ONCE(n->pprev, &prev->next);
	rcu_assign_pointer(hlist_next_rcu(prev), n);
	if (n->next)
		WRITE_ONCE(n->next->pprev, &n->next);
}

#define hlist_for_each_entry_rcu(pos, head, member, ...)			\
	for (pos = hlist_entry_safe(rcu_dereference_raw(hlist_first_rcu(head)), \
				    __typeof__(*(pos)), member);		\
	     pos;								\
	     pos = hlist_entry_safe(rcu_dereference_raw(hlist_next_rcu(&(pos)->member)), \
				    __typeof__(*(pos)), member))
#define hlist_for_each_entry_srcu(pos, head, member, cond)			\
	hlist_for_each_entry_rcu(pos, head, member)
#define hlist_for_each_entry_continue_rcu(pos, member)				\
	for (pos = hlist_entry_safe(rcu_dereference_raw(hlist_next_rcu(&(pos)->member)), \
				    __typeof__(*(pos)), member);		\
	     pos;								\
	     pos = hlist_entry_safe(rcu_dereference_raw(hlist_next_rcu(&(pos)->member)), \
				    __typeof__(*(pos)), member))
#define hlist_for_each_entry_from_rcu(pos, member)				\
	for (; pos;								\
	     pos = hlist_entry_safe(rcu_dereference_raw(hlist_next_rcu(&(pos)->member)), \
				    __typeof__(*(pos)), member))

UKMEM_C_END

#endif /* _LINUX_RCULIST_H */
