/* SPDX-License-Identifier: MIT */
/*
 * shrinker_free() while shrink_slab() runs a shrinker (mm/shrinker.c).
 *
 * shrink_slab() holds a reference on the shrinker it calls and leaves the
 * RCU read-side section for the call; when it comes back it follows that
 * shrinker's next pointer.  The kernel's shrinker_free() therefore waits
 * for the references to go before it takes the shrinker off the list: as
 * long as a walker holds one, the shrinker is listed, and the removal of
 * its successor updates its next pointer.  Taking it off first leaves its
 * next pointer at a successor that can be unlisted and freed meanwhile,
 * and the walker then calls a freed shrinker.
 *
 * The sequence, made exact: shrinkers A then B registered; a reclaim
 * thread stops inside A's count_objects; another thread calls
 * shrinker_free(A) (it must wait); B is freed and its grace period passed
 * (rcu_barrier); A's call returns.  B's callbacks must not run after
 * shrinker_free(B) returned, and the walk must not crash.
 *
 * fork() while another thread runs a shrinker: that thread's reference on
 * the shrinker and its count of runs in progress come along into the
 * child, where the thread does not.  The child must still be able to free
 * the shrinker and to synchronize_shrinkers() (both waited for ever), and
 * reclaim must still call it.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>

#include <linux/gfp.h>
#include <linux/rcupdate.h>
#include <linux/shrinker.h>
#include <ukmem/boot.h>
#include "mm/internal.h"
#include "ktest.h"

static struct shrinker *shr_a, *shr_b;
static volatile int a_entered, a_release, b_freed, b_called_after_free;

static unsigned long a_count(struct shrinker *s, struct shrink_control *sc)
{
	if (!__atomic_exchange_n(&a_entered, 1, __ATOMIC_ACQ_REL)) {
		while (!__atomic_load_n(&a_release, __ATOMIC_ACQUIRE))
			sched_yield();
	}
	return 0;
}

static unsigned long b_count(struct shrinker *s, struct shrink_control *sc)
{
	if (__atomic_load_n(&b_freed, __ATOMIC_ACQUIRE))
		__atomic_store_n(&b_called_after_free, 1, __ATOMIC_RELEASE);
	return 0;
}

static unsigned long no_scan(struct shrinker *s, struct shrink_control *sc)
{
	return SHRINK_STOP;
}

static void *reclaimer(void *arg)
{
	shrink_slab(GFP_KERNEL, 0, NULL, 0);
	return NULL;
}

static void *free_a(void *arg)
{
	shrinker_free(shr_a);
	return NULL;
}

static void free_while_walked(void *arg)
{
	pthread_t walker, freer;

	/* Poisoned when freed: a walk that reaches B afterwards cannot pass for a clean one. */
	CHECK_EQ(ukmem_boot("mem=128M slub_debug=P"), 0);
	shr_a = shrinker_alloc(0, "review-a");
	shr_b = shrinker_alloc(0, "review-b");
	if (!shr_a || !shr_b) {
		CHECK(0);
		return;
	}
	shr_a->count_objects = a_count;
	shr_a->scan_objects = no_scan;
	shr_b->count_objects = b_count;
	shr_b->scan_objects = no_scan;
	shrinker_register(shr_a);
	shrinker_register(shr_b);	/* after A on the list */

	CHECK_EQ(pthread_create(&walker, NULL, reclaimer, NULL), 0);
	while (!__atomic_load_n(&a_entered, __ATOMIC_ACQUIRE))
		sched_yield();
	CHECK_EQ(pthread_create(&freer, NULL, free_a, NULL), 0);
	/* The freer has dropped the registration's reference: only the walker's is left. */
	while (__atomic_load_n(&shr_a->refcount, __ATOMIC_ACQUIRE) != 1)
		sched_yield();
	shrinker_free(shr_b);
	__atomic_store_n(&b_freed, 1, __ATOMIC_RELEASE);
	rcu_barrier();		/* B's memory is gone now */
	__atomic_store_n(&a_release, 1, __ATOMIC_RELEASE);
	pthread_join(walker, NULL);
	pthread_join(freer, NULL);
	CHECK_EQ(b_called_after_free, 0);
}

static volatile int a_calls_in_child;

static void child_frees(void *arg)
{
	/* The thread running A in the parent is not here: nothing runs A now. */
	synchronize_shrinkers();
	shrink_slab(GFP_KERNEL, 0, NULL, 0);
	CHECK_EQ(a_calls_in_child, 1);
	shrinker_free(shr_a);
	synchronize_shrinkers();
}

static unsigned long a_count_fork(struct shrinker *s, struct shrink_control *sc)
{
	if (__atomic_exchange_n(&a_entered, 1, __ATOMIC_ACQ_REL)) {
		a_calls_in_child++;	/* only the child calls it again */
		return 0;
	}
	while (!__atomic_load_n(&a_release, __ATOMIC_ACQUIRE))
		sched_yield();
	return 0;
}

static void fork_while_walked(void *arg)
{
	pthread_t walker;
	int status;

	CHECK_EQ(ukmem_boot("mem=128M"), 0);
	shr_a = shrinker_alloc(0, "review-fork");
	if (!shr_a) {
		CHECK(0);
		return;
	}
	shr_a->count_objects = a_count_fork;
	shr_a->scan_objects = no_scan;
	shrinker_register(shr_a);
	CHECK_EQ(pthread_create(&walker, NULL, reclaimer, NULL), 0);
	while (!__atomic_load_n(&a_entered, __ATOMIC_ACQUIRE))
		sched_yield();
	/* A hang in the child is found by ktest_child's progress watch. */
	status = ktest_child(child_frees, NULL);
	CHECK(ktest_exited_with(status, 0));
	__atomic_store_n(&a_release, 1, __ATOMIC_RELEASE);
	pthread_join(walker, NULL);
	shrinker_free(shr_a);
}

/* In this process (the child is the one watched): its only boot. */
static void test_fork_while_walked(void)
{
	fork_while_walked(NULL);
}

static void test_free_while_walked(void)
{
	ktest_child_case(free_while_walked, NULL);
}

int main(void)
{
	KTEST_RUN(KTEST(test_free_while_walked), KTEST(test_fork_while_walked));
}
