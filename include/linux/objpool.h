/* SPDX-License-Identifier: MIT */
/*
 * linux/objpool.h - a fixed set of preallocated objects handed out and
 * taken back without locks (include/linux/objpool.h, lib/objpool.c,
 * v6.7+), as kretprobes and rethook use it: objpool_init() allocates
 * every object up front, objpool_pop() takes one, objpool_push() returns
 * it, and objpool_fini()/objpool_drop() end the pool once the objects
 * still out have come back or been dropped.
 *
 * Each possible CPU has a ring of object pointers big enough for every
 * object of the pool (the capacity: the object count rounded up to a
 * power of two), so a push always finds room.  A push goes to the current
 * CPU's ring; a pop tries that one first, then the others.
 * docs/objpool.md says what differs from the kernel and why.
 */
#ifndef _LINUX_OBJPOOL_H
#define _LINUX_OBJPOOL_H

#include <ukmem/kernel_types.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/refcount.h>

UKMEM_C_BEGIN

/**
 * struct objpool_slot - one CPU's ring of object pointers
 * @head: position of the next entry to pop
 * @tail: position of the next entry to push
 * @last: the kernel publishes pushes with it; unused here (each entry
 *	has its own sequence number, lib/objpool.c design point 3)
 * @mask: capacity - 1: a position's index in @entries
 * @entries: the ring, followed in the same allocation by the entries'
 *	sequence numbers and the objects that start out on this CPU
 *
 * Positions run over all of u32 and wrap; only their low bits index the
 * ring.
 */
struct objpool_slot {
	uint32_t head;
	uint32_t tail;
	uint32_t last;
	uint32_t mask;
	void *entries[];
};

struct objpool_head;

/* Called once per object, on its zeroed memory, during objpool_init(). */
typedef int (*objpool_init_obj_cb)(void *obj, void *context);
/* Called once the pool's memory is gone (objpool_free()). */
typedef int (*objpool_fini_cb)(struct objpool_head *head, void *context);

/**
 * struct objpool_head - an object pool
 * @obj_size: object size, rounded up to a multiple of sizeof(long)
 * @nr_objs: the objects the pool made
 * @nr_possible_cpus: the CPUs the objects were spread over
 * @capacity: entries per ring (nr_objs rounded up to a power of two)
 * @gfp: how the rings were allocated (__GFP_ZERO taken out)
 * @ref: one per object not yet dropped, plus one for the pool itself
 * @flags: unused, as in the kernel
 * @cpu_slots: the rings, [nr_cpu_ids]
 * @release: called by objpool_free(), may free the memory holding @pool
 * @context: the caller's, passed to both callbacks
 */
struct objpool_head {
	int obj_size;
	int nr_objs;
	int nr_possible_cpus;
	int capacity;
	gfp_t gfp;
	refcount_t ref;
	unsigned long flags;
	struct objpool_slot **cpu_slots;
	objpool_fini_cb release;
	void *context;
};

#define OBJPOOL_NR_OBJECT_MAX	(1UL << 24)	/* objects in one pool */
#define OBJPOOL_OBJECT_SIZE_MAX	(1UL << 16)	/* bytes in one object */

UKMEM_API_BEGIN
int objpool_init(struct objpool_head *pool, int nr_objs, int object_size, gfp_t gfp,
		 void *context, objpool_init_obj_cb objinit, objpool_fini_cb release);
void *objpool_pop(struct objpool_head *pool);
int objpool_push(void *obj, struct objpool_head *pool);
int objpool_drop(void *obj, struct objpool_head *pool);
void objpool_free(struct objpool_head *pool);
void objpool_fini(struct objpool_head *pool);
UKMEM_API_END

UKMEM_C_END

#endif /* _LINUX_OBJPOOL_H */
