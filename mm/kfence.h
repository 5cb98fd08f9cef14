/* SPDX-License-Identifier: MIT */
/*
 * mm/kfence.h - what mm/kfence.c and mm/kfence_report.c share (the
 * kernel's mm/kfence/kfence.h): the per-object metadata and the reports.
 */
#ifndef _MM_KFENCE_H
#define _MM_KFENCE_H

#include <linux/kfence.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include "arch/host.h"

#define KFENCE_STACK_DEPTH	64

/* The canary byte at @addr: a pattern that differs with the address's low bits. */
#define KFENCE_CANARY_PATTERN(addr)	((u8)0xaa ^ (u8)((unsigned long)(addr) & 0x7))

enum kfence_object_state {
	KFENCE_OBJECT_UNUSED,		/* never handed out */
	KFENCE_OBJECT_ALLOCATED,
	KFENCE_OBJECT_RCU_FREEING,	/* SLAB_TYPESAFE_BY_RCU: freed, a grace period to go */
	KFENCE_OBJECT_FREED,
};

/* Who allocated or freed an object, and where. */
struct kfence_track {
	int pid;		/* the thread's id, as the kernel's task pid */
	int cpu;
	u64 ts_nsec;		/* kfence_clock_ns() */
	int num_stack_entries;
	unsigned long stack_entries[KFENCE_STACK_DEPTH];
};

/* One object of the pool, at page 2 * (index + 1), guard pages around it. */
struct kfence_metadata {
	struct list_head list;		/* kfence_freelist while not allocated */
	int state;			/* enum kfence_object_state, under kfence_lock */
	unsigned long addr;		/* the object (left or right in its page) */
	size_t size;			/* what was asked for: ksize() */
	struct kmem_cache *cache;	/* NULL once the cache is destroyed */
	char cache_name[32];		/* for reports after that */
	bool frontend;			/* a malloc front-end block: its policy on a bug */
	bool zombie;			/* still allocated when its cache went */
	struct kfence_track alloc_track, free_track;
	struct rcu_head rcu_head;	/* SLAB_TYPESAFE_BY_RCU frees */
	void *deferred_addr;		/* freed in a signal handler, lock busy */
	int deferred_next;		/* index + 1 of the next deferred free */
	int index;			/* N of kfence-#N (reports print copies) */
	unsigned long unprotected_page;	/* a guard page an out-of-bounds access opened */
};

extern struct kfence_metadata *kfence_metadata;
extern unsigned int kfence_num_objects;

enum kfence_error_type {
	KFENCE_ERROR_OOB,		/* a guard page */
	KFENCE_ERROR_UAF,		/* a freed object's page */
	KFENCE_ERROR_CORRUPTION,	/* the canary, seen on free */
	KFENCE_ERROR_INVALID,		/* an access to the pool that fits no object */
	KFENCE_ERROR_INVALID_FREE,	/* a free of no live object's start */
};

/* Nanoseconds since KFENCE started (the report's timestamps). */
u64 kfence_clock_ns(void);
/* The metadata of the object whose page holds @addr, or NULL (a guard page). */
struct kfence_metadata *addr_to_metadata(unsigned long addr);
/* Index of @meta, the N of "kfence-#N". */
static inline int kfence_index(const struct kfence_metadata *meta)
{
	return meta->index;
}

/* ---- mm/kfence.c: boot, sampling, tests ---- */
extern unsigned long kfence_sample_interval;	/* kfence.sample_interval= (ms) */
extern unsigned int kfence_burst;		/* kfence.burst=: extra objects per sample */
/* kfence.fault=: what a report leads to (the kernel's enum kfence_fault). */
enum kfence_fault { KFENCE_FAULT_REPORT, KFENCE_FAULT_OOPS, KFENCE_FAULT_PANIC };
extern enum kfence_fault kfence_fault;
/* Boot: the pool from memblock before mem_init(), the rest at the end (init/main.c). */
void kfence_alloc_pool(void);
unsigned long kfence_pool_bytes(void);
void kfence_init(void);
/* The sampling deadline in arch_cycles() (~0: none); kfence_timer() when passed. */
extern u64 kfence_next_check;
void kfence_timer(void);
/*
 * On the slab slow paths (refill, flush): has the sampling interval
 * passed?  One cycle-counter read and one comparison.
 */
static __always_inline void kfence_tick(void)
{
	if (unlikely(arch_cycles() >= READ_ONCE(kfence_next_check)))
		kfence_timer();
}
/* Set by the malloc front end: sampling without the timer thread (mm/kfence.c). */
extern bool kfence_no_timer_thread;
/* Tests: the next allocation comes from the pool; false if KFENCE is off. */
bool kfence_force_next(void);
bool kfence_is_enabled(void);

/* ---- mm/kfence_report.c ---- */
/*
 * Print the kernel's report of @type at @addr about a copy of @meta (NULL:
 * none fits), with the access stack @stack (NULL: this caller's), through
 * printk.  @bytes: for KFENCE_ERROR_CORRUPTION, a copy of the bytes from
 * @addr to the end of its 16-byte line (the page is inaccessible by now).
 */
void kfence_report_error(unsigned long addr, bool is_write, const unsigned long *stack,
			 int nr_stack, const struct kfence_metadata *meta,
			 enum kfence_error_type type, const u8 *bytes);
/* The /proc-like files: "kfence/objects", "kfence/stats". */
void kfence_register_reports(void);

/* Counters of kfence/stats (the kernel's debugfs names). */
enum kfence_counter_id {
	KFENCE_COUNTER_ALLOCATED,
	KFENCE_COUNTER_ALLOCS,
	KFENCE_COUNTER_FREES,
	KFENCE_COUNTER_ZOMBIES,
	KFENCE_COUNTER_BUGS,
	KFENCE_COUNTER_SKIP_INCOMPAT,
	KFENCE_COUNTER_SKIP_CAPACITY,
	KFENCE_COUNTER_SKIP_BUSY,
	KFENCE_COUNTER_COUNT,
};
extern long kfence_counters[KFENCE_COUNTER_COUNT];
/* A copy of @meta taken under kfence_lock (reports print copies, unlocked). */
void kfence_metadata_snapshot(const struct kfence_metadata *meta, struct kfence_metadata *copy);

#endif /* _MM_KFENCE_H */
