/* SPDX-License-Identifier: MIT */
/*
 * mempool_alloc_bulk() and mempool_free_bulk() (v6.19, mm/mempool.c):
 * alloc_fn first, with the gfp mempool_alloc() would use for GFP_KERNEL
 * (first without reclaim and IO); the reserve gives all the missing
 * elements or none; a caller whose reserve is short sleeps until a bulk
 * free refills it; the v6.19 four-argument form fills only the NULL slots
 * and the later three-argument form all of them; mempool_free_bulk()
 * takes from the front what the reserve lacks (one for an empty
 * zero-minimum pool) and returns how many; a count above min_nr warns
 * in debug builds;
 * struct mempool and struct mempool_s are the same type.
 */
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mempool.h>
#include <linux/slab.h>
#include <ukmem/boot.h>
#include "ktest_boot.h"

static char logbuf[1 << 16];

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

/* alloc_fn: kmalloc(64), or NULL while failing; records the last gfp. */
static int failing, calls;
static gfp_t last_gfp, first_gfp;

/* The waiter's thread calls it too: last_gfp is read across threads. */
static void *test_alloc(gfp_t gfp, void *data)
{
	(void)data;
	if (!calls++)
		first_gfp = gfp;
	__atomic_store_n(&last_gfp, gfp, __ATOMIC_RELEASE);
	return __atomic_load_n(&failing, __ATOMIC_ACQUIRE) ? NULL : kmalloc(64, gfp);
}

static void test_free(void *element, void *data)
{
	(void)data;
	kfree(element);
}

static void test_from_alloc_fn(void)
{
	struct mempool *pool = mempool_create(8, test_alloc, test_free, NULL);
	struct mempool_s *same = pool;		/* the pre-v6.19 name */
	void *elems[6];
	void *keep0, *keep2;
	unsigned int i;

	CHECK(pool != NULL);
	if (!pool)
		return;
	CHECK(same == pool);
	/* Three arguments: every slot is filled, whatever it held. */
	for (i = 0; i < 6; i++)
		elems[i] = (void *)0x10;
	calls = 0;
	CHECK_EQ(mempool_alloc_bulk(pool, elems, 6), 0);
	CHECK_EQ(calls, 6);
	for (i = 0; i < 6; i++)
		CHECK(elems[i] && elems[i] != (void *)0x10 && ksize(elems[i]) == 64);
	CHECK_EQ(pool->curr_nr, 8);		/* the reserve was not touched */
	/* The first try neither reclaims nor does IO, nor dips into reserves. */
	CHECK(!(first_gfp & (__GFP_DIRECT_RECLAIM | __GFP_IO)));
	CHECK(first_gfp & __GFP_NOMEMALLOC);
	CHECK(first_gfp & __GFP_NOWARN);
	/* Four arguments (v6.19): only the NULL slots. */
	keep0 = elems[0];
	keep2 = elems[2];
	for (i = 0; i < 6; i++)
		if (i != 0 && i != 2) {
			kfree(elems[i]);
			elems[i] = NULL;
		}
	calls = 0;
	CHECK_EQ(mempool_alloc_bulk(pool, elems, 6, 2), 0);
	CHECK_EQ(calls, 4);
	CHECK(elems[0] == keep0 && elems[2] == keep2);
	for (i = 0; i < 6; i++)
		CHECK(elems[i] != NULL);
	/* The reserve is full: nothing goes into it. */
	CHECK_EQ(mempool_free_bulk(pool, elems, 6), 0);
	for (i = 0; i < 6; i++)
		mempool_free(elems[i], pool);
	CHECK_EQ(pool->curr_nr, 8);
	mempool_destroy(pool);
}

struct waiter {
	mempool_t *pool;
	void *elems[4];
	int done;
};

static void *bulk_waiter(void *arg)
{
	struct waiter *w = arg;

	mempool_alloc_bulk(w->pool, w->elems, 4);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void test_reserve_all_or_none(void)
{
	mempool_t *pool = mempool_create(8, test_alloc, test_free, NULL);
	void *first[5], *more[6];
	struct waiter w = { 0 };
	pthread_t t;
	unsigned int i, back;

	CHECK(pool != NULL);
	if (!pool)
		return;
	__atomic_store_n(&failing, 1, __ATOMIC_RELEASE);
	/* alloc_fn fails: the five come from the reserve. */
	CHECK_EQ(mempool_alloc_bulk(pool, first, 5), 0);
	for (i = 0; i < 5; i++)
		CHECK(first[i] != NULL);
	CHECK_EQ(pool->curr_nr, 3);
	/* Four are missing and three are left: none is taken, the caller waits. */
	w.pool = pool;
	CHECK_EQ(pthread_create(&t, NULL, bulk_waiter, &w), 0);
	/* Until it sleeps on the pool (no deadline: a hang is CTest's timeout). */
	while (!__atomic_load_n(&pool->wait.sleepers, __ATOMIC_ACQUIRE))
		sched_yield();
	CHECK_EQ(__atomic_load_n(&w.done, __ATOMIC_ACQUIRE), 0);
	CHECK_EQ(pool->curr_nr, 3);
	/* Before it slept, its retry asked alloc_fn with the full GFP_KERNEL mask. */
	CHECK(__atomic_load_n(&last_gfp, __ATOMIC_ACQUIRE) & __GFP_DIRECT_RECLAIM);
	/* A bulk free refills the reserve (all five fit) and wakes it. */
	CHECK_EQ(mempool_free_bulk(pool, first, 5), 5);
	pthread_join(t, NULL);
	CHECK_EQ(w.done, 1);
	for (i = 0; i < 4; i++)
		CHECK(w.elems[i] != NULL);
	CHECK_EQ(pool->curr_nr, 4);
	__atomic_store_n(&failing, 0, __ATOMIC_RELEASE);

	/* Four missing, six given: the first four go in, the caller keeps two. */
	for (i = 0; i < 6; i++)
		more[i] = kmalloc(64, GFP_KERNEL);
	back = mempool_free_bulk(pool, more, 6);
	CHECK_EQ(back, 4);
	CHECK_EQ(pool->curr_nr, 8);
	for (i = back; i < 6; i++)
		kfree(more[i]);
	for (i = 0; i < 4; i++)
		mempool_free(w.elems[i], pool);
	mempool_destroy(pool);
}

static void test_zero_minimum_and_warning(void)
{
	mempool_t *pool = mempool_create(2, test_alloc, test_free, NULL);
	mempool_t *zero;
	void *elems[3] = { 0 }, *extra[2];
	unsigned int i;

	CHECK(pool != NULL);
	if (!pool)
		return;
	/*
	 * More than min_nr: alloc_fn still serves them; a debug build warns
	 * (VM_WARN_ON_ONCE, the kernel's CONFIG_DEBUG_VM check).
	 */
	ukmem_dmesg_clear();
	CHECK_EQ(mempool_alloc_bulk(pool, elems, 3, 0), 0);
#ifdef UKMEM_DEBUG
	CHECK_STR_CONTAINS(dmesg_now(), "WARNING:");
	CHECK_STR_CONTAINS(dmesg_now(), "mempool");
#else
	(void)dmesg_now;
#endif
	for (i = 0; i < 3; i++)
		mempool_free(elems[i], pool);
	mempool_destroy(pool);

	/* A zero-minimum pool (holding its one element) takes one back when empty. */
	zero = mempool_create(0, test_alloc, test_free, NULL);
	CHECK(zero != NULL);
	if (!zero)
		return;
	CHECK_EQ(zero->curr_nr, 1);
	CHECK(mempool_alloc_preallocated(zero) != NULL);	/* kept for below */
	extra[0] = kmalloc(64, GFP_KERNEL);
	extra[1] = kmalloc(64, GFP_KERNEL);
	CHECK_EQ(zero->curr_nr, 0);
	CHECK_EQ(mempool_free_bulk(zero, extra, 2), 1);
	CHECK_EQ(zero->curr_nr, 1);
	kfree(extra[1]);
	mempool_destroy(zero);
}

int main(void)
{
	if (!ktest_boot_quietly("mem=256M"))
		return 1;
	KTEST_RUN(KTEST(test_from_alloc_fn), KTEST(test_reserve_all_or_none),
		  KTEST(test_zero_minimum_and_warning));
}
