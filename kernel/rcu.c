/* SPDX-License-Identifier: MIT */
/*
 * kernel/rcu.c - read-copy update for the library and its users: readers,
 * grace periods, callbacks and the RCU thread (the kernel's
 * kernel/rcu/tree.c, tree_plugin.h and update.c, as far as a process needs
 * them; kfree_rcu's batching is mm/slab_rcu.c).
 *
 * 1. Readers.  Each thread that ever reads gets a slot (struct
 *    ukmem_rcu_reader, one cache line) from a registry that only grows:
 *    a static array, then chunks mapped from the host.  A slot's word holds
 *    the grace-period counter the thread saw when it entered its outermost
 *    read-side section (ukmem_rcu_gp_ctr, which counts in RCU_GP_STEP) plus
 *    its nesting depth; nesting 0 is a quiescent state.  rcu_read_lock()
 *    and rcu_read_unlock() (linux/rcupdate.h) touch only that word and a
 *    compiler barrier; one read-modify-write each, not atomic, which is
 *    safe against a signal handler on the same thread because a handler's
 *    own sections are balanced before it returns.
 *
 * 2. Grace periods.  synchronize_rcu() advances the counter (a seq_cst
 *    read-modify-write, so a reader that sees the new value also sees
 *    every store the writer made before, the removal included), then
 *    issues membarrier(2): a full barrier on every CPU that runs one of our
 *    threads.  After it, every reader is in one of three states: quiescent
 *    (nesting 0), started after the advance (its snapshot is at least the
 *    new value), or started before - and then its slot's store is visible
 *    to us.  The writer waits only for the last kind, each until its
 *    nesting drops to 0 (read with acquire: its section's loads are done).
 *    A reader that entered just before the advance but whose store lands
 *    after the barrier is waited for although it need not be: its loads
 *    come after the barrier and cannot see what was removed.  This is the
 *    scheme of liburcu's "memb" flavour with a counter wide enough to need
 *    no second phase; docs/rcu.md says why it is ours and not liburcu's.
 *    Without membarrier (valgrind, old hosts) readers issue a fence on
 *    their outermost lock instead (ukmem_rcu_reader_mb).  Writers never
 *    take a lock: concurrent synchronize_rcu() calls each advance the
 *    counter and wait; any of them serves the others.
 *
 * 3. Callbacks.  call_rcu() pushes onto one of RCU_NR_QUEUES lock-free
 *    stacks (the current CPU's; any would be correct), kvfree_call_rcu()
 *    onto a second stack of the same queue, and never blocks: any context,
 *    signal handlers included.  The RCU thread takes every queue, waits for
 *    one grace period for the whole batch, and invokes it oldest first:
 *    kvfree objects, then callbacks, then rcu_barrier()'s markers.  It is
 *    started on the first call_rcu() outside a signal handler (a library
 *    must not make every program multi-threaded), sleeps when there is
 *    nothing to do, and is woken only on its idle-to-busy transition.
 *    rcu_barrier() puts a marker on every queue and waits for all of them:
 *    each queue is taken whole and in order, and markers run last in their
 *    batch, so everything queued before has run.  Where the thread cannot
 *    run (its start failed, or a fork child before its next call_rcu),
 *    rcu_barrier() processes the queues itself.
 *
 * 4. Fork.  Only the forking thread goes on in the child: every other
 *    thread's slot is released there (a slot left "in a section" would
 *    stall every grace period), the RCU thread is gone and restarts on
 *    the next call_rcu(), and the batch it had taken but not finished is
 *    put back on the queues, so nothing the parent queued is lost.  The
 *    thread publishes what it has taken (rcu_inflight_*) one word at a
 *    time, so the child sees each callback either still listed or already
 *    invoked.  Nothing here is locked across fork; the hook only finds out
 *    which side it runs on.
 *
 * 5. Exit.  An atexit handler stops the thread after the batch in hand:
 *    callbacks do not run while the program tears itself down.
 *
 * Lock order: rcu_batch_lock (who processes callbacks: the thread, or
 * rcu_barrier() without it) is held across a grace period and across
 * callbacks, so a callback must not call rcu_barrier() (the kernel
 * forbids it too); it is taken before any allocator lock a callback
 * takes, and never under one.  Everything else is lock-free.
 */
#include <errno.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include "arch/host.h"
#include <ukmem/boot.h>
#include "kernel/fork.h"
#include "kernel/rcu.h"

__thread struct ukmem_rcu_reader *ukmem_rcu_self __attribute__((tls_model("initial-exec")));
unsigned long ukmem_rcu_gp_ctr = RCU_GP_STEP;
int ukmem_rcu_reader_mb;

struct rcu_stats rcu_stats;

/* ---- 1. reader slots ---- */

#define RCU_STATIC_SLOTS	128
#define RCU_CHUNK_SLOTS		1024

struct rcu_chunk {
	struct rcu_chunk *next;
	unsigned int capacity;
	unsigned int used;		/* slots ever claimed: the scan's bound */
	struct ukmem_rcu_reader *slot;
};

static struct ukmem_rcu_reader static_slots[RCU_STATIC_SLOTS];
static struct rcu_chunk first_chunk = { NULL, RCU_STATIC_SLOTS, 0, static_slots };
static int rcu_inited;

#define for_each_rcu_slot(c, i)						\
	for (c = &first_chunk; c; c = __atomic_load_n(&c->next, __ATOMIC_ACQUIRE)) \
		for (i = 0; i < __atomic_load_n(&c->used, __ATOMIC_SEQ_CST); i++)

static void rcu_init_once(void)
{
	if (__atomic_load_n(&rcu_inited, __ATOMIC_ACQUIRE))
		return;
	/* Decided before any reader runs: readers fence without membarrier. */
	if (!arch_membarrier_init(false))
		__atomic_store_n(&ukmem_rcu_reader_mb, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&rcu_inited, 1, __ATOMIC_RELEASE);
}

static struct ukmem_rcu_reader *claim_in(struct rcu_chunk *c, int tid)
{
	unsigned int i, used;

	for (i = 0; i < c->capacity; i++) {
		struct ukmem_rcu_reader *r = &c->slot[i];
		int free = 0;

		if (__atomic_load_n(&r->owner, __ATOMIC_RELAXED) ||
		    !__atomic_compare_exchange_n(&r->owner, &free, tid, false,
						 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			continue;
		/* Raise the scan bound before the slot's first section. */
		used = __atomic_load_n(&c->used, __ATOMIC_RELAXED);
		while (used < i + 1 &&
		       !__atomic_compare_exchange_n(&c->used, &used, i + 1, false,
						    __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			;
		return r;
	}
	return NULL;
}

static struct rcu_chunk *new_chunk(void)
{
	size_t bytes = sizeof(struct ukmem_rcu_reader) * (RCU_CHUNK_SLOTS + 1);
	char *mem = arch_map_anon(bytes);
	struct rcu_chunk *c;

	if (!mem)
		return NULL;
	/* The header in the first line, slots from the second. */
	c = (struct rcu_chunk *)mem;
	c->next = NULL;
	c->capacity = RCU_CHUNK_SLOTS;
	c->used = 0;
	c->slot = (struct ukmem_rcu_reader *)mem + 1;
	return c;
}

static void rcu_reader_exit(void *arg)
{
	struct ukmem_rcu_reader *r = arg;
	unsigned long c = __atomic_load_n(&r->ctr, __ATOMIC_RELAXED);

	WARN_ONCE(c & RCU_NEST_MASK, "rcu: thread exits inside an RCU read-side critical section\n");
	__atomic_store_n(&r->ctr, 0, __ATOMIC_RELEASE);
	if (ukmem_rcu_self == r)
		ukmem_rcu_self = NULL;
	__atomic_store_n(&r->owner, 0, __ATOMIC_RELEASE);
}

/*
 * The calling thread's first rcu_read_lock(): claim a slot.  Lock-free,
 * so a signal handler may be the first reader of its thread.
 */
struct ukmem_rcu_reader *ukmem_rcu_register(void)
{
	int tid = arch_gettid();
	struct ukmem_rcu_reader *r;
	struct rcu_chunk *c, *spare = NULL;

	rcu_init_once();
	for (;;) {
		struct rcu_chunk *last = NULL;

		for (c = &first_chunk; c; c = __atomic_load_n(&c->next, __ATOMIC_ACQUIRE)) {
			r = claim_in(c, tid);
			if (r)
				goto found;
			last = c;
		}
		if (!spare)
			spare = new_chunk();
		if (!spare)
			panic("rcu: no reader slot for thread %d and the host refused memory\n", tid);
		c = NULL;
		if (__atomic_compare_exchange_n(&last->next, &c, spare, false,
						__ATOMIC_RELEASE, __ATOMIC_RELAXED))
			spare = NULL;
	}
found:
	if (spare)
		arch_unmap(spare, sizeof(struct ukmem_rcu_reader) * (RCU_CHUNK_SLOTS + 1));
	__atomic_store_n(&r->ctr, 0, __ATOMIC_RELAXED);
	ukmem_rcu_self = r;
	/* Not from a signal handler that interrupted the first registration: the slot then stays. */
	arch_thread_exit_hook(rcu_reader_exit, r);
	return r;
}

/* ---- 2. grace periods ---- */

/*
 * Spin a little, then sleep in growing steps from a few microseconds up to
 * a millisecond.  Sleeping, not yielding: a reader preempted inside its
 * section runs again only when a CPU is free, and sched_yield() keeps this
 * thread runnable (three threads on two CPUs: milliseconds per grace
 * period with yields, tens of microseconds with sleeps; bench_rcu).
 */
static void gp_backoff(unsigned int *spins)
{
	static u32 never_woken;
	unsigned int n = (*spins)++;

	if (n < 64)
		arch_cpu_relax();
	else
		arch_wait(&never_woken, 0, min(1000000L, 4000L << min(n - 64, 8U)));
}

/*
 * A slot whose thread is gone is quiescent, whatever it says: a fork
 * child the hooks did not see (posix_spawn, a raw clone) inherits the
 * parent's other threads' slots, some maybe inside a section.
 */
static bool reader_alive(struct ukmem_rcu_reader *r)
{
	int owner = __atomic_load_n(&r->owner, __ATOMIC_ACQUIRE);

	if (!owner || arch_thread_alive(owner))
		return true;
	pr_warn_once("rcu: reader slot of thread %d, which is gone, released\n", owner);
	__atomic_store_n(&r->ctr, 0, __ATOMIC_RELEASE);
	__atomic_compare_exchange_n(&r->owner, &owner, 0, false, __ATOMIC_RELEASE,
				    __ATOMIC_RELAXED);
	return false;
}

static void wait_for_readers(unsigned long target)
{
	struct ukmem_rcu_reader *self = ukmem_rcu_self;
	struct rcu_chunk *c;
	unsigned int i;

	for_each_rcu_slot(c, i) {
		struct ukmem_rcu_reader *r = &c->slot[i];
		unsigned int spins = 0;

		if (r == self) {
			WARN_ONCE(__atomic_load_n(&r->ctr, __ATOMIC_RELAXED) & RCU_NEST_MASK,
				  "rcu: synchronize_rcu() inside an RCU read-side critical section\n");
			continue;
		}
		for (;;) {
			unsigned long v = __atomic_load_n(&r->ctr, __ATOMIC_ACQUIRE);

			if (!(v & RCU_NEST_MASK) || (v & ~RCU_NEST_MASK) >= target)
				break;
			gp_backoff(&spins);
			/* Now and then: is the reader still there? (a fork child's copy is not) */
			if (spins > 64 && !(spins % 16) && !reader_alive(r))
				break;
		}
	}
}

/**
 * synchronize_rcu - wait until every RCU reader that was inside a read-side
 * section when the call began has left it.  May sleep.  Readers that start
 * meanwhile are not waited for, so it ends however busy readers are.
 */
void synchronize_rcu(void)
{
	unsigned long target;

	might_sleep();
	rcu_init_once();
	target = __atomic_add_fetch(&ukmem_rcu_gp_ctr, RCU_GP_STEP, __ATOMIC_SEQ_CST);
	arch_membarrier();
	wait_for_readers(target);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_fetch_add(&rcu_stats.gp_completed, 1, __ATOMIC_RELAXED);
}

/* No cheaper path than the ordinary one: the ordinary one is already expedited. */
void synchronize_rcu_expedited(void)
{
	synchronize_rcu();
}

/* ---- 3. callbacks ---- */

struct rcu_queue rcu_queues[RCU_NR_QUEUES];

/* The batch the processor has taken: FIFO lists, popped one at a time. */
static struct rcu_head *rcu_inflight_cbs;
/* kvfree heads need no order: each queue's stack is taken as it is. */
static struct rcu_head *rcu_inflight_kvfree[RCU_NR_QUEUES];
static DEFINE_SPINLOCK(rcu_batch_lock);
/* Held while queues are taken and the batch published: fork takes it. */
static DEFINE_SPINLOCK(rcu_collect_lock);

enum { RCU_THREAD_NONE, RCU_THREAD_STARTING, RCU_THREAD_RUNNING, RCU_THREAD_FAILED };
static int rcu_thread_state;
static int rcu_thread_stop;
static u32 rcu_thread_idle;		/* futex word: 1 while the thread sleeps */
static u32 rcu_thread_exited;
static arch_thread_t rcu_thread;
static unsigned long rcu_thread_retry;	/* jiffies: a failed start is tried again after */
static int rcu_thread_pid;		/* the process the thread runs in */

static void rcu_barrier_cb(struct rcu_head *head);

static inline struct rcu_queue *this_queue(void)
{
	return &rcu_queues[(unsigned int)raw_smp_processor_id() & (RCU_NR_QUEUES - 1)];
}

void rcu_push(struct rcu_head **list, struct rcu_head *head)
{
	struct rcu_head *old = __atomic_load_n(list, __ATOMIC_RELAXED);

	do {
		head->next = old;
	} while (!__atomic_compare_exchange_n(list, &old, head, true, __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
}

/* Take a whole stack and turn it oldest first. */
static struct rcu_head *take_fifo(struct rcu_head **list)
{
	struct rcu_head *h = __atomic_exchange_n(list, NULL, __ATOMIC_ACQUIRE), *fifo = NULL;

	while (h) {
		struct rcu_head *next = h->next;

		h->next = fifo;
		fifo = h;
		h = next;
	}
	return fifo;
}

/* Append FIFO list @add to FIFO list *@tail_link. */
static struct rcu_head **append(struct rcu_head **tail_link, struct rcu_head *add)
{
	*tail_link = add;
	while (*tail_link)
		tail_link = &(*tail_link)->next;
	return tail_link;
}

bool rcu_queues_empty(void)
{
	unsigned int q;

	for (q = 0; q < RCU_NR_QUEUES; q++)
		if (__atomic_load_n(&rcu_queues[q].cbs, __ATOMIC_RELAXED) ||
		    __atomic_load_n(&rcu_queues[q].kvfree, __ATOMIC_RELAXED))
			return false;
	return true;
}

/*
 * One batch (rcu_batch_lock held): take every queue, wait for a grace
 * period, invoke.  With @flush, the partial kvfree blocks go too.  False
 * if there was nothing to do.
 */
static bool rcu_do_batch(bool flush)
{
	struct rcu_head *cbs = NULL, **cbs_tail = &cbs;
	struct rcu_head *barriers = NULL, **barrier_tail = &barriers, *h;
	unsigned long done = 0;
	bool any = false;
	unsigned int q;

	if (flush)
		kvfree_rcu_flush_blocks();
	spin_lock_owned(&rcu_collect_lock);	/* its holder known to fork */
	for (q = 0; q < RCU_NR_QUEUES; q++) {
		/* Callbacks before kvfree heads: a marker covers both (rcu_barrier). */
		cbs_tail = append(cbs_tail, take_fifo(&rcu_queues[q].cbs));
		h = __atomic_exchange_n(&rcu_queues[q].kvfree, NULL, __ATOMIC_ACQUIRE);
		__atomic_store_n(&rcu_inflight_kvfree[q], h, __ATOMIC_RELEASE);
		any |= h != NULL;
	}
	__atomic_store_n(&rcu_inflight_cbs, cbs, __ATOMIC_RELEASE);
	arch_spin_unlock(&rcu_collect_lock);
	if (!cbs && !any)
		return false;
	synchronize_rcu();
	for (q = 0; q < RCU_NR_QUEUES; q++) {
		while ((h = __atomic_load_n(&rcu_inflight_kvfree[q], __ATOMIC_RELAXED))) {
			__atomic_store_n(&rcu_inflight_kvfree[q], h->next, __ATOMIC_RELEASE);
			kvfree_rcu_invoke(h);
			done++;
		}
	}
	/* Counted once for them all: rcu_all_done() only needs it not to run ahead. */
	__atomic_fetch_add(&rcu_stats.invoked, done, __ATOMIC_RELEASE);
	while ((h = __atomic_load_n(&rcu_inflight_cbs, __ATOMIC_RELAXED))) {
		rcu_callback_t func = h->func;

		__atomic_store_n(&rcu_inflight_cbs, h->next, __ATOMIC_RELEASE);
		if (func == rcu_barrier_cb) {
			*barrier_tail = h;
			barrier_tail = &h->next;
			h->next = NULL;
			continue;
		}
		func(h);	/* may free h */
		/* A block of kvfree pointers counts its own (mm/slab_rcu.c). */
		if (func != kvfree_rcu_block_cb)
			__atomic_fetch_add(&rcu_stats.invoked, 1, __ATOMIC_RELEASE);
	}
	while ((h = barriers)) {
		barriers = h->next;
		h->func(h);
	}
	return true;
}

static void *rcu_thread_fn(void *arg)
{
	current->flags |= PF_KTHREAD;
	while (!__atomic_load_n(&rcu_thread_stop, __ATOMIC_ACQUIRE)) {
		bool did;

		arch_spin_lock(&rcu_batch_lock);
		did = rcu_do_batch(false);
		arch_spin_unlock(&rcu_batch_lock);
		if (did)
			continue;
		/* Going idle: say so, then look once more (call_rcu wakes only an idle thread). */
		__atomic_store_n(&rcu_thread_idle, 1, __ATOMIC_SEQ_CST);
		if (!rcu_queues_empty() || kvfree_rcu_blocks_pending()) {
			__atomic_store_n(&rcu_thread_idle, 0, __ATOMIC_RELAXED);
			arch_spin_lock(&rcu_batch_lock);
			rcu_do_batch(true);
			arch_spin_unlock(&rcu_batch_lock);
			continue;
		}
		if (!__atomic_load_n(&rcu_thread_stop, __ATOMIC_ACQUIRE))
			arch_wait(&rcu_thread_idle, 1, -1);
		__atomic_store_n(&rcu_thread_idle, 0, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&rcu_thread_exited, 1, __ATOMIC_RELEASE);
	arch_wake_all(&rcu_thread_exited);
	return NULL;
}

static void rcu_thread_atexit(void)
{
	if (__atomic_load_n(&rcu_thread_state, __ATOMIC_ACQUIRE) != RCU_THREAD_RUNNING)
		return;
	__atomic_store_n(&rcu_thread_stop, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&rcu_thread_idle, 0, __ATOMIC_SEQ_CST);
	arch_wake_all(&rcu_thread_idle);
	/*
	 * A callback or a reader may keep the batch in hand from ending (a
	 * reader on the exiting thread, say): wait a second at most, then let
	 * the process's end take the thread.
	 */
	arch_thread_reap(rcu_thread, &rcu_thread_exited);
}

/* Start the RCU thread: not from a signal handler (pthread_create is not signal-safe). */
static noinline void rcu_thread_start(void)
{
	static bool atexit_done;
	int state = RCU_THREAD_NONE;

	if (in_hardirq() ||
	    !__atomic_compare_exchange_n(&rcu_thread_state, &state, RCU_THREAD_STARTING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return;
	rcu_init_once();
	__atomic_store_n(&rcu_thread_stop, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&rcu_thread_exited, 0, __ATOMIC_RELAXED);
	rcu_thread_pid = arch_getpid();
	if (arch_thread_create(&rcu_thread, rcu_thread_fn, NULL, "rcu_gp")) {
		rcu_thread_retry = arch_jiffies() + HZ;
		__atomic_store_n(&rcu_thread_state, RCU_THREAD_FAILED, __ATOMIC_RELEASE);
		return;
	}
	if (!atexit_done) {
		atexit_done = true;
		arch_atexit(rcu_thread_atexit);
	}
	__atomic_store_n(&rcu_thread_state, RCU_THREAD_RUNNING, __ATOMIC_RELEASE);
}

/* Work was queued: make sure someone will do it. */
void rcu_kick(void)
{
	int state = __atomic_load_n(&rcu_thread_state, __ATOMIC_ACQUIRE);

	if (unlikely(state != RCU_THREAD_RUNNING)) {
		/* The host refused a thread: rcu_barrier() works without; try again later. */
		if (state == RCU_THREAD_FAILED && !in_hardirq() &&
		    (long)(arch_jiffies() - rcu_thread_retry) >= 0)
			__atomic_compare_exchange_n(&rcu_thread_state, &state, RCU_THREAD_NONE,
						    false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
		if (state == RCU_THREAD_NONE || state == RCU_THREAD_FAILED)
			rcu_thread_start();
		return;
	}
	if (__atomic_load_n(&rcu_thread_idle, __ATOMIC_SEQ_CST) &&
	    __atomic_exchange_n(&rcu_thread_idle, 0, __ATOMIC_SEQ_CST))
		arch_wake_all(&rcu_thread_idle);
}

/**
 * call_rcu - invoke @func(@head) after a grace period, on the RCU thread.
 * Never sleeps; any context.  The callback may sleep; it must not call
 * rcu_barrier().
 */
void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	struct rcu_queue *q = this_queue();

	head->func = func;
	__atomic_fetch_add(&q->queued, 1, __ATOMIC_RELAXED);
	rcu_push(&q->cbs, head);
	rcu_kick();
}

/*
 * Queued minus invoked.  Invoked is read first: everything it counts was
 * queued before, so when the two agree every callback queued before the
 * call has run.
 */
unsigned long rcu_pending_callbacks(void)
{
	unsigned long invoked = __atomic_load_n(&rcu_stats.invoked, __ATOMIC_SEQ_CST);
	unsigned long queued = 0;
	unsigned int q;

	for (q = 0; q < RCU_NR_QUEUES; q++)
		queued += __atomic_load_n(&rcu_queues[q].queued, __ATOMIC_SEQ_CST);
	return queued - invoked;
}

bool rcu_all_done(void)
{
	return !kvfree_rcu_blocks_pending() && rcu_pending_callbacks() == 0;
}

struct rcu_barrier_state {
	int pending;
	u32 done;
	struct rcu_barrier_head {
		struct rcu_head head;
		struct rcu_barrier_state *state;
	} heads[RCU_NR_QUEUES];
};

static void rcu_barrier_cb(struct rcu_head *head)
{
	struct rcu_barrier_state *b = container_of(head, struct rcu_barrier_head, head)->state;

	if (__atomic_sub_fetch(&b->pending, 1, __ATOMIC_ACQ_REL) == 0) {
		__atomic_store_n(&b->done, 1, __ATOMIC_RELEASE);
		arch_wake_all(&b->done);
	}
}

/* Without the thread: process batches here until the queues are empty. */
static void rcu_process_here(bool flush)
{
	arch_spin_lock(&rcu_batch_lock);
	while (rcu_do_batch(flush))
		;
	arch_spin_unlock(&rcu_batch_lock);
}

/**
 * rcu_barrier - wait until every callback queued by call_rcu() before the
 * call has been invoked.  May sleep.
 */
void rcu_barrier(void)
{
	struct rcu_barrier_state b;
	unsigned int q;

	might_sleep();
	/* A fork child the fork hooks did not reach has no thread. */
	if (__atomic_load_n(&rcu_thread_state, __ATOMIC_ACQUIRE) == RCU_THREAD_RUNNING &&
	    rcu_thread_pid != arch_getpid())
		__atomic_store_n(&rcu_thread_state, RCU_THREAD_NONE, __ATOMIC_RELEASE);
	rcu_kick();
	if (__atomic_load_n(&rcu_thread_state, __ATOMIC_ACQUIRE) != RCU_THREAD_RUNNING) {
		rcu_process_here(false);
		return;
	}
	b.pending = RCU_NR_QUEUES;
	b.done = 0;
	for (q = 0; q < RCU_NR_QUEUES; q++) {
		b.heads[q].state = &b;
		b.heads[q].head.func = rcu_barrier_cb;
		rcu_push(&rcu_queues[q].cbs, &b.heads[q].head);
	}
	rcu_kick();
	while (!__atomic_load_n(&b.done, __ATOMIC_ACQUIRE))
		arch_wait(&b.done, 0, -1);
}

/* ---- 4. fork ---- */

/*
 * Nothing is taken half-way when fork() copies the queues: the fork holds
 * rcu_collect_lock.  In a fork from a signal handler that interrupted its
 * holder the lock stays busy and a batch may be half taken: the child
 * then drops the batch in flight (lost in the child only) and keeps the
 * queues, whose pushes and takes are single atomic exchanges.  The
 * forking thread's own answer: two threads' handlers may fork at once,
 * and the one that got the lock must not read the other's.
 */
static __thread bool rcu_fork_walks;

static void rcu_fork_lock(void)
{
	rcu_fork_walks = fork_lock_walk(&rcu_collect_lock);
}

static void rcu_fork_parent(void)
{
	fork_unlock(&rcu_collect_lock);
}

/* Push a FIFO list onto a stack, oldest first. */
static void push_fifo(struct rcu_head **stack, struct rcu_head *fifo)
{
	while (fifo) {
		struct rcu_head *h = fifo;

		fifo = h->next;
		rcu_push(stack, h);
	}
}

/*
 * The child: the batch the RCU thread had taken goes back on queue 0,
 * older than what is queued there now.
 */
static void requeue_inflight(struct rcu_head **inflight, struct rcu_head **stack)
{
	struct rcu_head *newer = take_fifo(stack);

	push_fifo(stack, *inflight);
	*inflight = NULL;
	push_fifo(stack, newer);
}

static void rcu_fork_child(void)
{
	struct ukmem_rcu_reader *self = ukmem_rcu_self;
	struct rcu_chunk *c;
	unsigned int i, q;

	for_each_rcu_slot(c, i) {
		struct ukmem_rcu_reader *r = &c->slot[i];

		if (r == self)
			continue;
		r->ctr = 0;
		r->owner = 0;
	}
	if (__atomic_load_n(&rcu_inited, __ATOMIC_ACQUIRE) && !arch_membarrier_init(true))
		ukmem_rcu_reader_mb = 1;
	spin_lock_init(&rcu_batch_lock);
	rcu_thread_state = RCU_THREAD_NONE;
	rcu_thread_idle = 0;
	if (!rcu_fork_walks) {
		/* The queues are whole (pushes are atomic); a batch may be half taken. */
		rcu_inflight_cbs = NULL;
		for (q = 0; q < RCU_NR_QUEUES; q++)
			rcu_inflight_kvfree[q] = NULL;
		spin_lock_init(&rcu_collect_lock);
		return;
	}
	requeue_inflight(&rcu_inflight_cbs, &rcu_queues[0].cbs);
	for (q = 0; q < RCU_NR_QUEUES; q++) {
		push_fifo(&rcu_queues[q].kvfree, rcu_inflight_kvfree[q]);
		rcu_inflight_kvfree[q] = NULL;
	}
	fork_unlock(&rcu_collect_lock);
}

static const struct fork_step rcu_fork_step = {
	.name = "rcu",
	.order = FORK_ORDER_RCU,
	.lock = rcu_fork_lock,
	.parent = rcu_fork_parent,
	.child = rcu_fork_child,
};

void rcu_init(void)
{
	fork_register_step(&rcu_fork_step);
}
