/* SPDX-License-Identifier: MIT */
/*
 * objpool (lib/objpool.c) against the kernel's lib/test_objpool.c.
 *
 * The kernel's module runs ten cases, one worker thread bound to each
 * CPU: synchronous ones (pop a bulk of objects, push them back) and
 * asynchronous ones (the pool is finalized from an RCU callback while
 * the workers, told to stop, drop what they hold instead of pushing it),
 * each with small (struct ot_node, GFP_ATOMIC: kmalloc'ed rings) and
 * 512-byte objects (GFP_KERNEL: vmalloc'ed), some with an hrtimer that
 * pops and pushes from interrupt context, some "overrun" with more pops
 * in flight than objects.  It expects the pool to hold CPUs * 8 objects,
 * every object to have passed through objinit, and the memory it
 * allocated to be given back.  Here threads pinned to CPUs are the
 * workers and a signal sent every millisecond (installed with
 * ukmem_sigaction(): interrupt context) is the hrtimer.  The port also
 * asserts what the module only prints: hits and misses add up, every
 * object is back in the pool exactly once after a synchronous run (none
 * lost, none twice), the object's use count matches the hits, an
 * asynchronous run releases the pool exactly once with every object
 * either dropped or popped by objpool_fini(), and no vmalloc page stays.
 * Before those: objpool_init()'s limits, sizes and failure path, and the
 * reference counting of objpool_fini()/objpool_drop().
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/objpool.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <ukmem/context.h>
#include "ktest_boot.h"

#define MAX_WORKERS	16
#define MAX_BULK	16
#define RUN_MS		100	/* the kernel's cases run 1000 ms each */

/* lib/test_objpool.c's object. */
struct ot_node {
	void *owner;
	unsigned long data;
	unsigned long refs;
	unsigned long payload[32];
};

/* The pool's owner: freed by the release callback in the async cases. */
struct ot_context {
	struct objpool_head pool;
	struct rcu_head rcu;
	int released;
};

static long ctx_allocs, ctx_frees, objinit_calls, objinit_dirty, release_calls;

static int ot_init_node(void *obj, void *context)
{
	struct ot_context *sop = context;
	struct ot_node *on = obj;

	__atomic_fetch_add(&objinit_calls, 1, __ATOMIC_RELAXED);
	/* The kernel zeroes each object before objinit sees it. */
	if (memchr_inv(on, 0, sizeof(*on)))
		__atomic_fetch_add(&objinit_dirty, 1, __ATOMIC_RELAXED);
	on->owner = &sop->pool;
	return 0;
}

static int ot_release(struct objpool_head *head, void *context)
{
	struct ot_context *sop = context;

	CHECK(head == &sop->pool);
	__atomic_fetch_add(&release_calls, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&ctx_frees, 1, __ATOMIC_RELAXED);
	kfree(sop);
	return 0;
}

static struct ot_context *ot_context_new(void)
{
	struct ot_context *sop = kzalloc(sizeof(*sop), GFP_KERNEL);

	if (sop)
		ctx_allocs++;
	return sop;
}

static unsigned long vmalloc_pages_now(void)
{
	rcu_barrier();
	return vmalloc_nr_pages();
}

/* ---- objpool_init(): limits, sizes, placement, failure ---- */

static int fail_at;

static int ot_init_fail(void *obj, void *context)
{
	(void)obj;
	(void)context;
	return --fail_at ? 0 : -ENOTTY;
}

static void test_objpool_init(void)
{
	unsigned long vpages = vmalloc_pages_now();
	int cpus = num_possible_cpus(), nr = cpus * 2 + 1, i, total = 0;
	struct objpool_head pool;
	struct ot_context *sop;

	CHECK_EQ(objpool_init(&pool, 0, 8, GFP_KERNEL, NULL, NULL, NULL), -EINVAL);
	CHECK_EQ(objpool_init(&pool, -1, 8, GFP_KERNEL, NULL, NULL, NULL), -EINVAL);
	CHECK_EQ(objpool_init(&pool, OBJPOOL_NR_OBJECT_MAX + 1, 8, GFP_KERNEL, NULL, NULL, NULL),
		 -EINVAL);
	CHECK_EQ(objpool_init(&pool, 4, 0, GFP_KERNEL, NULL, NULL, NULL), -EINVAL);
	CHECK_EQ(objpool_init(&pool, 4, OBJPOOL_OBJECT_SIZE_MAX + 1, GFP_KERNEL, NULL, NULL, NULL),
		 -EINVAL);

	/* 2 * CPUs + 1 objects of 13 bytes: sizes, the spread, the references. */
	sop = ot_context_new();
	CHECK(sop != NULL);
	if (!sop)
		return;
	objinit_calls = objinit_dirty = 0;
	CHECK_EQ(objpool_init(&sop->pool, nr, 13, GFP_KERNEL | __GFP_ZERO, sop, NULL, NULL), 0);
	CHECK_EQ(sop->pool.nr_objs, nr);
	CHECK_EQ(sop->pool.obj_size, 16);
	CHECK_EQ(sop->pool.capacity, (int)roundup_pow_of_two(nr));
	CHECK_EQ(sop->pool.nr_possible_cpus, cpus);
	CHECK(!(sop->pool.gfp & __GFP_ZERO));
	CHECK_EQ(refcount_read(&sop->pool.ref), nr + 1);
	for (i = 0; i < cpus; i++) {
		struct objpool_slot *slot = sop->pool.cpu_slots[i];

		/* The first CPU takes the odd one; GFP_KERNEL rings are vmalloc'ed. */
		CHECK_EQ(slot->tail - slot->head, i == 0 ? 3 : 2);
		CHECK_EQ(slot->last, slot->tail);
		CHECK_EQ(slot->mask, (uint32_t)sop->pool.capacity - 1);	/* >= 2 objects */
		CHECK(is_vmalloc_addr(slot));
		total += slot->tail - slot->head;
	}
	CHECK_EQ(total, nr);
	objpool_fini(&sop->pool);
	CHECK(sop->pool.cpu_slots == NULL);
	kfree(sop);
	ctx_frees++;

	/* GFP_ATOMIC: kmalloc'ed rings, and objinit saw zeroed objects. */
	sop = ot_context_new();
	if (!sop)
		return;
	objinit_calls = objinit_dirty = 0;
	CHECK_EQ(objpool_init(&sop->pool, cpus * 8, sizeof(struct ot_node), GFP_ATOMIC, sop,
			      ot_init_node, ot_release), 0);
	CHECK_EQ(objinit_calls, cpus * 8);
	CHECK_EQ(objinit_dirty, 0);
	CHECK(!is_vmalloc_addr(sop->pool.cpu_slots[0]));
	release_calls = 0;
	objpool_fini(&sop->pool);		/* frees sop too */
	CHECK_EQ(release_calls, 1);

	/* objinit failing on the 5th object: its error, nothing left, no release. */
	fail_at = 5;
	release_calls = 0;
	CHECK_EQ(objpool_init(&pool, 64, 512, GFP_KERNEL, NULL, ot_init_fail, ot_release),
		 -ENOTTY);
	CHECK(pool.cpu_slots == NULL);
	CHECK_EQ(release_calls, 0);
	CHECK_EQ(vmalloc_pages_now(), vpages);
}

/* ---- pop, push, drop, fini on one thread ---- */

static void test_objpool_refs(void)
{
	int nr = num_possible_cpus() * 8, i, n;
	struct ot_node **got = kcalloc(nr + 1, sizeof(*got), GFP_KERNEL);
	struct ot_context *sop = ot_context_new();

	CHECK(got && sop);
	if (!got || !sop)
		goto out;
	CHECK_EQ(objpool_init(&sop->pool, nr, sizeof(struct ot_node), GFP_KERNEL, sop,
			      ot_init_node, ot_release), 0);
	/* Every object once, then nothing. */
	for (n = 0; n <= nr; n++) {
		got[n] = objpool_pop(&sop->pool);
		if (!got[n])
			break;
		CHECK(got[n]->owner == &sop->pool);
		for (i = 0; i < n; i++)
			CHECK(got[i] != got[n]);
	}
	CHECK_EQ(n, nr);
	CHECK(objpool_pop(&sop->pool) == NULL);
	for (i = 0; i < n; i++)
		CHECK_EQ(objpool_push(got[i], &sop->pool), 0);

	/*
	 * A ring full of a pool's four objects: one pushed twice would
	 * overwrite another in the kernel's ring; here it is refused with a
	 * warning.  On one CPU, so that every push meets in one ring.
	 */
	{
		struct objpool_head four;
		cpu_set_t old;
		void *obj[5];

		CHECK(ktest_pin_first_cpu(&old));
		CHECK_EQ(objpool_init(&four, 4, 8, GFP_KERNEL, NULL, NULL, NULL), 0);
		for (i = 0; i < 4; i++)
			obj[i] = objpool_pop(&four);
		CHECK(objpool_pop(&four) == NULL);
		for (i = 0; i < 4; i++)
			CHECK_EQ(objpool_push(obj[i], &four), 0);
		CHECK_EQ(objpool_push(obj[0], &four), -ENOSPC);
		for (i = 0; i < 5; i++)
			obj[i] = objpool_pop(&four);
		CHECK(obj[0] && obj[1] && obj[2] && obj[3] && !obj[4]);
		CHECK(obj[0] != obj[1] && obj[0] != obj[2] && obj[0] != obj[3]);
		CHECK_EQ(objpool_drop(obj[0], &four), -EAGAIN);
		for (i = 1; i < 4; i++)
			CHECK_EQ(objpool_push(obj[i], &four), 0);
		objpool_fini(&four);
		CHECK(four.cpu_slots == NULL);
		sched_setaffinity(0, sizeof(old), &old);
	}

	/* objpool_fini() with three objects out: the last drop frees the pool. */
	got[0] = objpool_pop(&sop->pool);
	got[1] = objpool_pop(&sop->pool);
	got[2] = objpool_pop(&sop->pool);
	release_calls = 0;
	objpool_fini(&sop->pool);
	CHECK_EQ(release_calls, 0);
	CHECK_EQ(refcount_read(&sop->pool.ref), 3);
	CHECK(objpool_pop(&sop->pool) == NULL);
	CHECK_EQ(objpool_drop(NULL, &sop->pool), -EINVAL);
	CHECK_EQ(objpool_drop(got[0], NULL), -EINVAL);
	CHECK_EQ(objpool_drop(got[0], &sop->pool), -EAGAIN);
	CHECK_EQ(objpool_drop(got[1], &sop->pool), -EAGAIN);
	CHECK_EQ(release_calls, 0);
	CHECK_EQ(objpool_drop(got[2], &sop->pool), 0);	/* frees sop */
	CHECK_EQ(release_calls, 1);
	sop = NULL;
out:
	kfree(got);
	if (sop) {
		kfree(sop);
		ctx_frees++;
	}
}

/* ---- the kernel's ten cases ---- */

struct ot_test {
	bool async;
	int objsz;
	int delay_ms;
	int bulk_normal;
	int bulk_irq;
	int irq_ms;		/* the hrtimer's period, 0 for none */
	const char *name;
};

struct ot_stat {
	unsigned long nhits, nmiss;
};

struct ot_item {
	struct ot_test *test;
	struct objpool_head *pool;
	pthread_t thread;
	int cpu;
	struct ot_stat stat[2];		/* thread, "irq" */
	unsigned long drops;
	unsigned int niters;
};

static struct ot_item items[MAX_WORKERS];
static int nr_items;
static int stop, go;
static __thread struct ot_item *this_item;

static void ot_recycle(struct ot_item *item, struct ot_node *on, bool drop)
{
	on->refs++;
	if (!drop) {
		CHECK_EQ(objpool_push(on, item->pool), 0);
		return;
	}
	CHECK(container_of(item->pool, struct ot_context, pool) == item->pool->context);
	objpool_drop(on, item->pool);
	item->drops++;
}

/*
 * One round of a worker, in the thread (irq 0) or its signal handler
 * (irq 1): pop a bulk, maybe sleep, then give each back (or, in an
 * async case once told to stop, drop it).  The whole round is an RCU
 * read-side section: the kernel's rounds run with preemption or
 * interrupts off, which is what lets its async case finalize the pool
 * from an RCU callback once every CPU has seen the stop.
 */
static void ot_round(struct ot_item *item, int irq)
{
	struct ot_node *nods[MAX_BULK];
	int i, n = irq ? item->test->bulk_irq : item->test->bulk_normal;
	bool drop;

	rcu_read_lock();
	if (__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		rcu_read_unlock();
		return;
	}
	for (i = 0; i < n; i++)
		nods[i] = objpool_pop(item->pool);
	if (!irq && (item->test->delay_ms || !(++item->niters & 0x7fff)))
		ktest_sleep_ms(item->test->delay_ms);
	drop = item->test->async && __atomic_load_n(&stop, __ATOMIC_ACQUIRE);
	while (i-- > 0) {
		if (nods[i]) {
			nods[i]->refs++;
			ot_recycle(item, nods[i], drop);
			__atomic_fetch_add(&item->stat[irq].nhits, 1, __ATOMIC_RELAXED);
		} else {
			__atomic_fetch_add(&item->stat[irq].nmiss, 1, __ATOMIC_RELAXED);
		}
	}
	rcu_read_unlock();
}

static void ot_irq(int sig)
{
	(void)sig;
	if (this_item)
		ot_round(this_item, 1);
}

static void *ot_worker(void *arg)
{
	struct ot_item *item = arg;
	cpu_set_t one;

	if (item->cpu >= 0) {
		CPU_ZERO(&one);
		CPU_SET(item->cpu, &one);
		pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
	}
	rcu_read_lock();	/* registers this thread as a reader outside the handler */
	rcu_read_unlock();
	this_item = item;
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		sched_yield();
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE))
		ot_round(item, 0);
	this_item = NULL;
	return NULL;
}

/* The hrtimer: every worker gets a signal every irq_ms until the stop. */
static void *ot_timer(void *arg)
{
	struct ot_test *test = arg;
	int i;

	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		ktest_sleep_ms(test->irq_ms);
		for (i = 0; i < nr_items; i++)
			pthread_kill(items[i].thread, SIGUSR1);
	}
	return NULL;
}

/* Every worker had a hit, and the "irq" had one somewhere if there is one. */
static bool ot_everyone_ran(struct ot_test *test)
{
	bool irq = !test->irq_ms;
	int i;

	for (i = 0; i < nr_items; i++) {
		if (!__atomic_load_n(&items[i].stat[0].nhits, __ATOMIC_RELAXED))
			return false;
		irq |= __atomic_load_n(&items[i].stat[1].nhits, __ATOMIC_RELAXED) != 0;
	}
	return irq;
}

static void ot_fini_rcu(struct rcu_head *rcu)
{
	struct ot_context *sop = container_of(rcu, struct ot_context, rcu);

	/* Every worker has seen the stop: nothing pushes any more. */
	objpool_fini(&sop->pool);
}

static void ot_run(struct ot_test *test)
{
	unsigned long vpages = vmalloc_pages_now(), refs = 0, drops = 0;
	struct ot_stat sum = { 0, 0 };
	int nr = num_possible_cpus() * 8, i, n;
	struct ot_context *sop = ot_context_new();
	gfp_t gfp = test->objsz < 512 ? GFP_ATOMIC : GFP_KERNEL;
	pthread_t timer;
	cpu_set_t allowed;
	struct ot_node **seen;

	CHECK(sop != NULL);
	if (!sop)
		return;
	objinit_calls = 0;
	release_calls = 0;
	CHECK_EQ(objpool_init(&sop->pool, nr, test->objsz, gfp, sop, ot_init_node,
			      test->async ? ot_release : NULL), 0);
	CHECK_EQ(sop->pool.nr_objs, nr);
	CHECK_EQ(objinit_calls, nr);

	/* One worker per CPU this process may use, bound to it. */
	sched_getaffinity(0, sizeof(allowed), &allowed);
	nr_items = 0;
	for (i = 0; i < (int)nr_cpu_ids && nr_items < MAX_WORKERS; i++) {
		if (!CPU_ISSET(i, &allowed))
			continue;
		memset(&items[nr_items], 0, sizeof(items[0]));
		items[nr_items].cpu = i;
		items[nr_items].test = test;
		items[nr_items].pool = &sop->pool;
		nr_items++;
	}
	__atomic_store_n(&stop, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&go, 0, __ATOMIC_RELEASE);
	for (i = 0; i < nr_items; i++)
		CHECK_EQ(pthread_create(&items[i].thread, NULL, ot_worker, &items[i]), 0);
	if (test->irq_ms)
		CHECK_EQ(pthread_create(&timer, NULL, ot_timer, test), 0);
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	ktest_sleep_ms(RUN_MS);
	/*
	 * A loaded machine may not have run every worker yet: wait for them,
	 * without a deadline (one that never runs is a hang, for CTest).
	 */
	while (!ot_everyone_ran(test))
		ktest_sleep_ms(1);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	if (test->async)
		call_rcu(&sop->rcu, ot_fini_rcu);
	if (test->irq_ms)
		pthread_join(timer, NULL);
	for (i = 0; i < nr_items; i++)
		pthread_join(items[i].thread, NULL);

	for (i = 0; i < nr_items; i++) {
		sum.nhits += items[i].stat[0].nhits + items[i].stat[1].nhits;
		sum.nmiss += items[i].stat[0].nmiss + items[i].stat[1].nmiss;
		drops += items[i].drops;
		/* Every worker got objects, as the kernel's summary shows per CPU. */
		CHECK(items[i].stat[0].nhits > 0);
	}
	if (test->irq_ms)
		for (i = 0, n = 0; i < nr_items; i++)
			n += items[i].stat[1].nhits > 0;
	if (test->irq_ms)
		CHECK(n > 0);

	if (test->async) {
		rcu_barrier();
		/* Released once, by the fini or by the last drop; each object went once. */
		CHECK_EQ(release_calls, 1);
		CHECK(drops <= (unsigned long)nr);
	} else {
		/* Every object back, exactly once; its use count is the hits. */
		seen = kcalloc(nr + 1, sizeof(*seen), GFP_KERNEL);
		for (n = 0; seen && n <= nr; n++) {
			seen[n] = objpool_pop(&sop->pool);
			if (!seen[n])
				break;
			CHECK(seen[n]->owner == &sop->pool);
			refs += seen[n]->refs;
			for (i = 0; i < n; i++)
				CHECK(seen[i] != seen[n]);
		}
		CHECK_EQ(n, nr);
		CHECK_EQ(refs, 2 * sum.nhits);
		for (i = 0; seen && i < n; i++)
			objpool_push(seen[i], &sop->pool);
		kfree(seen);
		objpool_fini(&sop->pool);
		kfree(sop);
		ctx_frees++;
	}
	CHECK(sum.nhits > 0);
	CHECK_EQ(ctx_allocs, ctx_frees);
	CHECK_EQ(vmalloc_pages_now(), vpages);
	if (ktest_failures || getenv("OT_VERBOSE"))
		fprintf(stderr, "%s: %d workers, %lu hits, %lu misses, %lu drops\n", test->name,
			nr_items, sum.nhits, sum.nmiss, drops);
}

#define NODE_COMPACT	((int)sizeof(struct ot_node))
#define NODE_VMALLOC	512

static struct ot_test cases[] = {
	{ false, NODE_COMPACT, 0, 1, 0, 0, "sync: percpu objpool" },
	{ false, NODE_VMALLOC, 0, 1, 0, 0, "sync: percpu objpool from vmalloc" },
	{ false, NODE_COMPACT, 0, 1, 1, 4, "sync & hrtimer: percpu objpool" },
	{ false, NODE_VMALLOC, 0, 1, 1, 4, "sync & hrtimer: percpu objpool from vmalloc" },
	{ false, NODE_COMPACT, 0, 16, 0, 0, "sync overrun: percpu objpool" },
	{ false, NODE_VMALLOC, 0, 16, 0, 0, "sync overrun: percpu objpool from vmalloc" },
	{ true, NODE_COMPACT, 10, 1, 0, 0, "async: percpu objpool" },
	{ true, NODE_VMALLOC, 10, 1, 0, 0, "async: percpu objpool from vmalloc" },
	{ true, NODE_COMPACT, 0, 4, 4, 4, "async & hrtimer: percpu objpool" },
	{ true, NODE_VMALLOC, 0, 4, 4, 4, "async & hrtimer: percpu objpool from vmalloc" },
};

static void test_objpool_kernel_cases(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ot_irq;
	sa.sa_flags = SA_RESTART;
	CHECK_EQ(ukmem_sigaction(SIGUSR1, &sa, NULL), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int before = ktest_failures;

		ot_run(&cases[i]);
		if (ktest_failures != before)
			fprintf(stderr, "FAIL %s\n", cases[i].name);
	}
}

int main(void)
{
	if (!ktest_boot_quietly("mem=256M"))
		return 1;
	KTEST_RUN(KTEST(test_objpool_init), KTEST(test_objpool_refs),
		  KTEST(test_objpool_kernel_cases));
}
