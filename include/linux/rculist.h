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
 * period (synchronize_rcu(), call_rcu(), kfree_rcu()).
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
	__atomic_store_n(&prev->next, next, __ATOMIC_RELAXED);
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

UKMEM_C_END

#endif /* _LINUX_RCULIST_H */
