/* SPDX-License-Identifier: MIT */
/*
 * GFP_ATOMIC allocations and frees in signal handlers (ukmem's interrupt
 * context) that interrupt threads inside the allocator:
 *  - the exact sequence: while list_lock is held, interrupt context makes
 *    a slab and frees its object, both parked for the lock holder; the
 *    slab must be listed before its object comes back, and before anyone
 *    else looks at the lists (slab validation); a debug cache's parked
 *    frees get the checks and the poison of any free;
 *  - the seeded script of tests/signal_stress.h, 2 workers and 25000
 *    signals per mode (the unfixed drain crashed within 5000), once with
 *    the per-CPU caches as restartable sequences and once with per-CPU
 *    locks (slab_rseq=0).
 * Each runs in a child watched for hangs.  The long run (a million
 * signals) is tests/stress_signals.c.
 */
#include <ukmem/boot.h>
#include <ukmem/debug.h>
#include "mm/kfence.h"
#include "mm/slab.h"
#include "signal_stress.h"

static struct sigs_run run;

/*
 * list_lock held, as by the code a signal interrupts; in interrupt context
 * a new slab is made and its object freed (both parked for the holder),
 * and an object allocated before is freed (parked too).  Then the lock is
 * released as the interrupted code would release it.
 */
static void park_under_list_lock(struct kmem_cache *s, void *old)
{
	struct kmem_cache_node *n = get_node(s, numa_mem_id());
	void *p;

	spin_lock(&n->list_lock);
	ukmem_irq_enter();
	p = kmem_cache_alloc(s, GFP_ATOMIC);
	CHECK(p != NULL);
	if (p)
		kmem_cache_free(s, p);
	kmem_cache_free(s, old);
	ukmem_irq_exit();
	spin_unlock(&n->list_lock);
}

static void deferred_frees(void *arg)
{
	slab_flags_t flags = (slab_flags_t)(unsigned long)arg;
	struct kmem_cache *s;
	void *old, *q;

	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=256M"), 0);
	s = kmem_cache_create("sig_defer", 256, 0, SLAB_NO_MERGE | flags, NULL);
	if (!s)
		exit(1);
	/* Every allocation and free through the slabs; an emptied slab is released. */
	s->sheaf_capacity = 0;
	kmem_cache_store_min_partial(s, 0);
	old = kmem_cache_alloc(s, GFP_KERNEL);
	CHECK(old != NULL);
	ukmem_clear_taint();
	park_under_list_lock(s, old);
	/* Validation takes list_lock: the parked slab must be listed already. */
	CHECK_EQ(ukmem_slab_validate(s), 0);
	q = kmem_cache_alloc(s, GFP_KERNEL);	/* the parked objects go back */
	CHECK(q != NULL);
	kmem_cache_free(s, q);
	/* A debug cache's parked frees were checked and poisoned like any other. */
	CHECK_EQ(ukmem_slab_validate(s), 0);
	CHECK_EQ(get_taint(), 0);
	kmem_cache_destroy(s);
	CHECK_EQ(get_taint(), 0);
}

static void check_child(void (*fn)(void *), void *arg)
{
	int status = ktest_child(fn, arg);

	if (!ktest_exited_with(status, 0))
		fprintf(stderr, "child status %#x\n", status);
	CHECK(ktest_exited_with(status, 0));
}

static void test_deferred_slab_before_object(void)
{
	check_child(deferred_frees, (void *)0UL);
}

static void test_deferred_debug_frees(void)
{
	check_child(deferred_frees,
		    (void *)(unsigned long)(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON |
					    SLAB_STORE_USER));
}

static void one_mode(void *arg)
{
	const char *cmdline = arg;

	ukmem_set_console(fopen("/dev/null", "w"));
	if (ukmem_boot(cmdline)) {
		fprintf(stderr, "boot failed: %s\n", cmdline);
		exit(1);
	}
	CHECK_EQ(sigs_run(&run, 2, 25000, 12), 0);
}

/*
 * KFENCE sampling every millisecond: handlers and workers race for the
 * gate and the pool, and a handler's allocation or free can interrupt a
 * worker inside KFENCE (its lock is only tried there).
 */
static void kfence_mode(void *arg)
{
	one_mode(arg);
	CHECK(__atomic_load_n(&kfence_counters[KFENCE_COUNTER_ALLOCS], __ATOMIC_RELAXED) > 0);
}

static void test_handlers_kfence(void)
{
	check_child(kfence_mode, (void *)"mem=512M kfence.sample_interval=1");
}

/* kmemleak on: its object tree's lock is only tried in a handler. */
static void test_handlers_kmemleak(void)
{
	check_child(one_mode, (void *)"mem=512M kmemleak=on");
}

static void check_mode(const char *cmdline)
{
	check_child(one_mode, (void *)cmdline);
}

static void test_handlers_rseq(void)
{
	check_mode("mem=512M");
}

static void test_handlers_locks(void)
{
	check_mode("mem=512M slab_rseq=0");
}

int main(void)
{
	KTEST_RUN(KTEST(test_deferred_slab_before_object), KTEST(test_deferred_debug_frees),
		  KTEST(test_handlers_rseq), KTEST(test_handlers_locks),
		  KTEST(test_handlers_kfence), KTEST(test_handlers_kmemleak));
}
