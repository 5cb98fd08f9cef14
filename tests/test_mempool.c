/* SPDX-License-Identifier: MIT */
/*
 * Mempools (mm/mempool.c): every entry point and helper pool, the kernel's
 * gfp handling in mempool_alloc (which masks alloc_fn sees, in which
 * order), the reserve as the fallback and its refill on free, the
 * guarantee while failslab / fail_page_alloc / an exhausted mem=64M make
 * the allocator underneath fail, a sleeping mempool_alloc woken by a free
 * from another thread (and by its 5 s timeout when the allocator
 * recovers), NULL for callers that may not sleep, resize up and down,
 * every creation failure leaving nothing behind, and a multi-threaded run
 * whose reserve ends full.
 */
#include <errno.h>
#include <pthread.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mempool.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <ukmem/boot.h>
#include <ukmem/context.h>
#include <ukmem/fault.h>
#include "mm/internal.h"
#include "ktest.h"

static char logbuf[1 << 16];

static __maybe_unused const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

/* ---- a scripted allocator: records every gfp, fails on demand ---- */

#define MAX_CALLS 64

static struct scripted {
	int fail;			/* 1: every call fails */
	int fail_after;			/* > 0: calls after this many fail */
	int calls, frees, live;
	gfp_t gfp[MAX_CALLS];
	pthread_mutex_t mu;
} sc = { .mu = PTHREAD_MUTEX_INITIALIZER };

static void scripted_reset(void)
{
	pthread_mutex_lock(&sc.mu);
	sc.fail = 0;
	sc.fail_after = 0;
	sc.calls = sc.frees = sc.live = 0;
	pthread_mutex_unlock(&sc.mu);
}

static void *scripted_alloc(gfp_t gfp, void *data)
{
	void *p = NULL;
	bool fail;

	pthread_mutex_lock(&sc.mu);
	if (sc.calls < MAX_CALLS)
		sc.gfp[sc.calls] = gfp;
	sc.calls++;
	fail = __atomic_load_n(&sc.fail, __ATOMIC_ACQUIRE) ||
	       (sc.fail_after > 0 && sc.calls > sc.fail_after);
	pthread_mutex_unlock(&sc.mu);
	if (!fail) {
		p = kmalloc((size_t)data, GFP_ATOMIC);
		if (p) {
			pthread_mutex_lock(&sc.mu);
			sc.live++;
			pthread_mutex_unlock(&sc.mu);
		}
	}
	return p;
}

static void scripted_free(void *element, void *data)
{
	pthread_mutex_lock(&sc.mu);
	sc.frees++;
	sc.live--;
	pthread_mutex_unlock(&sc.mu);
	kfree(element);
}

static int calls(void)
{
	int n;

	pthread_mutex_lock(&sc.mu);
	n = sc.calls;
	pthread_mutex_unlock(&sc.mu);
	return n;
}

/* ---- basics ---- */

static void test_create_destroy(void)
{
	mempool_t *pool;
	void *a, *b;

	scripted_reset();
	pool = mempool_create(4, scripted_alloc, scripted_free, (void *)64);
	CHECK(pool != NULL);
	if (!pool)
		return;
	CHECK(mempool_initialized(pool));
	CHECK_EQ(pool->min_nr, 4);
	CHECK_EQ(pool->curr_nr, 4);
	CHECK(mempool_is_saturated(pool));
	CHECK_EQ(sc.calls, 4);
	CHECK_EQ(sc.gfp[0], GFP_KERNEL);	/* preallocation uses the caller's mask as is */

	/* The allocator works: the reserve is not touched. */
	a = mempool_alloc(pool, GFP_KERNEL);
	CHECK(a != NULL);
	CHECK_EQ(pool->curr_nr, 4);
	/* A full reserve: the free goes to free_fn. */
	mempool_free(a, pool);
	CHECK_EQ(sc.frees, 1);
	CHECK_EQ(pool->curr_nr, 4);

	/* NULL is ignored by mempool_free. */
	mempool_free(NULL, pool);
	CHECK_EQ(sc.frees, 1);

	/* The allocator fails: the reserve serves, LIFO. */
	sc.fail = 1;
	a = mempool_alloc(pool, GFP_KERNEL);
	b = mempool_alloc(pool, GFP_NOWAIT);
	CHECK(a && b && a != b);
	CHECK_EQ(pool->curr_nr, 2);
	CHECK(!mempool_is_saturated(pool));
	/* Frees refill the reserve first, whatever the allocator could do. */
	sc.fail = 0;
	mempool_free(b, pool);
	CHECK_EQ(pool->curr_nr, 3);
	mempool_free(a, pool);
	CHECK_EQ(pool->curr_nr, 4);
	CHECK_EQ(sc.frees, 1);
	CHECK(mempool_alloc_preallocated(pool) == a);	/* last in, first out */
	CHECK_EQ(pool->curr_nr, 3);
	mempool_free(a, pool);

	mempool_destroy(pool);
	CHECK_EQ(sc.live, 0);
	CHECK_EQ(sc.frees, 5);
	mempool_destroy(NULL);
}

static void test_init_exit(void)
{
	mempool_t pool;
	static mempool_t zeroed;
	void *e;

	scripted_reset();
	CHECK_EQ(mempool_init(&pool, 3, scripted_alloc, scripted_free, (void *)32), 0);
	CHECK_EQ(pool.curr_nr, 3);
	e = mempool_alloc(&pool, GFP_ATOMIC);
	CHECK(e != NULL);
	mempool_free(e, &pool);
	mempool_exit(&pool);
	CHECK(!mempool_initialized(&pool));
	CHECK_EQ(sc.live, 0);

	/* mempool_exit() of a zeroed, never initialised pool is fine. */
	mempool_exit(&zeroed);

	/* Node variant, and GFP_NOWAIT preallocation. */
	scripted_reset();
	CHECK_EQ(mempool_init_node(&pool, 2, scripted_alloc, scripted_free, (void *)32,
				   GFP_NOWAIT, 0), 0);
	CHECK_EQ(sc.gfp[0], GFP_NOWAIT);
	mempool_exit(&pool);
	CHECK_EQ(sc.live, 0);
}

static void test_preallocated_only(void)
{
	mempool_t *pool;
	void *e[3];

	scripted_reset();
	pool = mempool_create(2, scripted_alloc, scripted_free, (void *)16);
	CHECK(pool != NULL);
	e[0] = mempool_alloc_preallocated(pool);
	e[1] = mempool_alloc_preallocated(pool);
	e[2] = mempool_alloc_preallocated(pool);
	CHECK(e[0] && e[1] && !e[2]);
	CHECK_EQ(sc.calls, 2);		/* never calls alloc_fn */
	mempool_free(e[0], pool);
	mempool_free(e[1], pool);
	CHECK_EQ(pool->curr_nr, 2);
	mempool_destroy(pool);
	CHECK_EQ(sc.live, 0);
}

/* ---- the kernel's gfp handling ---- */

static void test_gfp_rounds(void)
{
	const gfp_t added = __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN;
	mempool_t *pool;
	void *e[2];

	scripted_reset();
	pool = mempool_create(1, scripted_alloc, scripted_free, (void *)16);
	CHECK(pool != NULL);
	if (!pool)
		return;
	sc.calls = 0;

	/* Success at once: one call, without reclaim and IO, with the additions. */
	e[0] = mempool_alloc(pool, GFP_KERNEL);
	CHECK(e[0] != NULL);
	CHECK_EQ(sc.calls, 1);
	CHECK_EQ(sc.gfp[0], (GFP_KERNEL | added) & ~(__GFP_DIRECT_RECLAIM | __GFP_IO));
	mempool_free(e[0], pool);

	/* Allocator failing, reserve full: the light attempt, then the reserve. */
	sc.fail = 1;
	sc.calls = 0;
	e[0] = mempool_alloc(pool, GFP_NOIO);
	CHECK(e[0] != NULL);
	CHECK_EQ(sc.calls, 1);
	CHECK_EQ(sc.gfp[0], (GFP_NOIO | added) & ~__GFP_DIRECT_RECLAIM);

	/* Reserve empty, GFP_NOFS: light attempt, full attempt, ... (checked below). */
	/* Reserve empty, GFP_ATOMIC: nothing to strip, so one attempt and NULL. */
	sc.calls = 0;
	e[1] = mempool_alloc(pool, GFP_ATOMIC);
	CHECK(e[1] == NULL);
	CHECK_EQ(sc.calls, 1);
	CHECK_EQ(sc.gfp[0], GFP_ATOMIC | added);

	/* Reserve empty, GFP_NOWAIT: likewise. */
	sc.calls = 0;
	CHECK(mempool_alloc(pool, GFP_NOWAIT) == NULL);
	CHECK_EQ(sc.calls, 1);

	/* Reserve empty, a mask with __GFP_IO but no reclaim: two attempts, then NULL. */
	sc.calls = 0;
	CHECK(mempool_alloc(pool, GFP_ATOMIC | __GFP_IO) == NULL);
	CHECK_EQ(sc.calls, 2);
	CHECK_EQ(sc.gfp[0], GFP_ATOMIC | added);
	CHECK_EQ(sc.gfp[1], GFP_ATOMIC | __GFP_IO | added);

	mempool_free(e[0], pool);
	sc.fail = 0;
	mempool_destroy(pool);
	CHECK_EQ(sc.live, 0);
}

/* __GFP_ZERO is refused with a warning (once), and the allocation goes on. */
static void test_gfp_zero_warns(void)
{
	mempool_t *pool;
	void *e;

	scripted_reset();
	pool = mempool_create(1, scripted_alloc, scripted_free, (void *)16);
	ukmem_dmesg_clear();
	e = mempool_alloc(pool, GFP_KERNEL | __GFP_ZERO);
	CHECK(e != NULL);
#ifdef UKMEM_DEBUG
	/* VM_WARN_ON_ONCE, like the kernel's, exists only in debug builds. */
	CHECK_STR_CONTAINS(dmesg_now(), "mm/mempool.c");
#endif
	mempool_free(e, pool);
	mempool_destroy(pool);
}

/* A sleeping mempool_alloc under a spinlock is reported (might_sleep_if). */
static void test_might_sleep(void)
{
	unsigned long before = ukmem_atomic_sleep_reports();
	DEFINE_SPINLOCK(lock);
	mempool_t *pool;
	void *e;

	scripted_reset();
	pool = mempool_create(1, scripted_alloc, scripted_free, (void *)16);
	spin_lock(&lock);
	e = mempool_alloc(pool, GFP_ATOMIC);
	CHECK_EQ(ukmem_atomic_sleep_reports(), before);
	mempool_free(e, pool);
	e = mempool_alloc(pool, GFP_KERNEL);
	CHECK_EQ(ukmem_atomic_sleep_reports(), before + 1);
	spin_unlock(&lock);
	mempool_free(e, pool);
	mempool_destroy(pool);
}

/* ---- creation failures leave nothing behind ---- */

static void test_create_failures(void)
{
	mempool_t pool;
	int i;

	/* An element allocation fails part way: what was taken is given back. */
	for (i = 0; i < 4; i++) {
		scripted_reset();
		if (i == 0)
			sc.fail = 1;
		else
			sc.fail_after = i;
		CHECK(mempool_create(4, scripted_alloc, scripted_free, (void *)16) == NULL);
		CHECK_EQ(sc.calls, i + 1);
		CHECK_EQ(sc.live, 0);
		CHECK_EQ(sc.frees, i);
		sc.fail = 0;
	}
	scripted_reset();
	sc.fail = 1;
	CHECK_EQ(mempool_init(&pool, 2, scripted_alloc, scripted_free, (void *)16), -ENOMEM);
	CHECK(!mempool_initialized(&pool));
	sc.fail = 0;

	/* The pool structure or the element array fails (failslab). */
	ukmem_fault_set("failslab", "verbose", 0);
	ukmem_fault_set("failslab", "ignore-gfp-wait", 0);
	for (i = 1; i <= 2; i++) {
		long injected = ukmem_fault_get("failslab", "injected");

		scripted_reset();
		ukmem_fault_set("failslab", "space", 0);
		ukmem_fault_set("failslab", "interval", i);
		ukmem_fault_set("failslab", "times", 1);
		ukmem_fault_set("failslab", "probability", 100);
		CHECK(mempool_create(2, scripted_alloc, scripted_free, (void *)16) == NULL);
		ukmem_fault_set("failslab", "probability", 0);
		CHECK_EQ(ukmem_fault_get("failslab", "injected"), injected + 1);
		CHECK_EQ(sc.calls, 0);
	}
	ukmem_fault_set("failslab", "interval", 1);
	ukmem_fault_set("failslab", "ignore-gfp-wait", 1);
}

/* ---- resize ---- */

static void test_resize(void)
{
	mempool_t *pool;
	void *e[8];
	int i;

	scripted_reset();
	pool = mempool_create(4, scripted_alloc, scripted_free, (void *)48);
	CHECK(pool != NULL);
	if (!pool)
		return;

	/* Up: a new array, filled by the allocator (GFP_KERNEL). */
	CHECK_EQ(mempool_resize(pool, 8), 0);
	CHECK_EQ(pool->min_nr, 8);
	CHECK_EQ(pool->curr_nr, 8);
	CHECK_EQ(sc.calls, 8);
	CHECK_EQ(sc.gfp[7], GFP_KERNEL);

	/* Down: the surplus goes back to free_fn. */
	CHECK_EQ(mempool_resize(pool, 3), 0);
	CHECK_EQ(pool->min_nr, 3);
	CHECK_EQ(pool->curr_nr, 3);
	CHECK_EQ(sc.frees, 5);

	/* Down below what the reserve holds after handing some out. */
	sc.fail = 1;
	e[0] = mempool_alloc(pool, GFP_KERNEL);
	e[1] = mempool_alloc(pool, GFP_KERNEL);
	CHECK_EQ(pool->curr_nr, 1);
	CHECK_EQ(mempool_resize(pool, 2), 0);
	CHECK_EQ(pool->curr_nr, 1);
	CHECK_EQ(pool->min_nr, 2);

	/* Up while the allocator fails: 0, the reserve short; frees top it up. */
	CHECK_EQ(mempool_resize(pool, 6), 0);
	CHECK_EQ(pool->min_nr, 6);
	CHECK_EQ(pool->curr_nr, 1);
	mempool_free(e[0], pool);
	mempool_free(e[1], pool);
	CHECK_EQ(pool->curr_nr, 3);
	sc.fail = 0;

	/* Up when the array cannot be had: -ENOMEM and nothing changed. */
	ukmem_fault_set("failslab", "verbose", 0);
	ukmem_fault_set("failslab", "ignore-gfp-wait", 0);
	ukmem_fault_set("failslab", "times", 1);
	ukmem_fault_set("failslab", "space", 0);
	ukmem_fault_set("failslab", "probability", 100);
	CHECK_EQ(mempool_resize(pool, 7), -ENOMEM);
	ukmem_fault_set("failslab", "probability", 0);
	ukmem_fault_set("failslab", "ignore-gfp-wait", 1);
	CHECK_EQ(pool->min_nr, 6);
	CHECK_EQ(pool->curr_nr, 3);

	/* Everything handed out comes back into the reserve. */
	sc.fail = 1;
	for (i = 0; i < 3; i++)
		e[i] = mempool_alloc(pool, GFP_KERNEL);
	CHECK_EQ(pool->curr_nr, 0);
	for (i = 0; i < 3; i++)
		mempool_free(e[i], pool);
	CHECK_EQ(pool->curr_nr, 3);
	sc.fail = 0;
	mempool_destroy(pool);
	CHECK_EQ(sc.live, 0);
}

/* Wait (up to 10 s, for loaded machines) until @n callers sleep on @pool. */
static bool wait_for_sleepers(mempool_t *pool, int n)
{
	long deadline = ktest_now_ms() + 10000;

	while (__atomic_load_n(&pool->wait.sleepers, __ATOMIC_ACQUIRE) != n) {
		if (ktest_now_ms() > deadline)
			return false;
		ktest_sleep_ms(5);
	}
	return true;
}

/* ---- sleeping ---- */

struct waiter {
	mempool_t *pool;
	gfp_t gfp;
	void *got;
	int done;
	long waited_ms;
};

static void *waiter_thread(void *arg)
{
	struct waiter *w = arg;
	long t0 = ktest_now_ms();

	w->got = mempool_alloc(w->pool, w->gfp);
	w->waited_ms = ktest_now_ms() - t0;
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Reserve empty, allocator dead: a GFP_KERNEL caller sleeps until a free. */
static void test_blocked_alloc_woken_by_free(void)
{
	struct waiter w = { .gfp = GFP_KERNEL };
	pthread_t t;
	mempool_t *pool;
	void *e[2];

	scripted_reset();
	pool = mempool_create(2, scripted_alloc, scripted_free, (void *)64);
	w.pool = pool;
	sc.fail = 1;
	e[0] = mempool_alloc(pool, GFP_KERNEL);
	e[1] = mempool_alloc(pool, GFP_KERNEL);
	CHECK(e[0] && e[1]);
	CHECK_EQ(pool->curr_nr, 0);
	/* Non-blocking callers get NULL at once. */
	CHECK(mempool_alloc(pool, GFP_ATOMIC) == NULL);
	CHECK(mempool_alloc(pool, GFP_NOWAIT) == NULL);

	sc.calls = 0;
	pthread_create(&t, NULL, waiter_thread, &w);
	CHECK(wait_for_sleepers(pool, 1));
	CHECK(!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE));
	/* It tried lightly, then with its full mask, and went to sleep. */
	CHECK(calls() >= 2);
	CHECK_EQ(sc.gfp[0] & __GFP_DIRECT_RECLAIM, 0);
	CHECK(sc.gfp[1] & __GFP_DIRECT_RECLAIM);
	CHECK_EQ(__atomic_load_n(&pool->wait.sleepers, __ATOMIC_RELAXED), 1);

	mempool_free(e[1], pool);
	pthread_join(t, NULL);
	CHECK(w.got == e[1]);
	CHECK(w.waited_ms < 4000);	/* woken, not timed out */
	CHECK_EQ(pool->wait.sleepers, 0);
	mempool_free(w.got, pool);
	mempool_free(e[0], pool);
	CHECK_EQ(pool->curr_nr, 2);
	sc.fail = 0;
	mempool_destroy(pool);
	CHECK_EQ(sc.live, 0);
}

/*
 * Nobody frees, but the allocator recovers: the waiter notices at the end
 * of the kernel's 5 s timeout.
 */
static void test_timeout_retries_allocator(void)
{
	struct waiter w = { .gfp = GFP_NOIO };
	pthread_t t;
	mempool_t *pool;
	void *e;

	scripted_reset();
	pool = mempool_create(1, scripted_alloc, scripted_free, (void *)64);
	w.pool = pool;
	sc.fail = 1;
	e = mempool_alloc(pool, GFP_KERNEL);
	pthread_create(&t, NULL, waiter_thread, &w);
	CHECK(wait_for_sleepers(pool, 1));
	CHECK(!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE));
	__atomic_store_n(&sc.fail, 0, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	CHECK(w.got != NULL && w.got != e);
	CHECK(w.waited_ms >= 4900 && w.waited_ms < 8000);
	mempool_free(w.got, pool);
	mempool_free(e, pool);
	mempool_destroy(pool);
	CHECK_EQ(sc.live, 0);
}

/* A zero-minimum pool keeps one element, and its waiters are woken. */
static void test_zero_min_pool(void)
{
	struct waiter w = { .gfp = GFP_KERNEL };
	pthread_t t;
	mempool_t *pool;
	void *e;

	scripted_reset();
	pool = mempool_create(0, scripted_alloc, scripted_free, (void *)64);
	CHECK(pool != NULL);
	if (!pool)
		return;
	CHECK_EQ(pool->curr_nr, 1);
	sc.fail = 1;
	e = mempool_alloc(pool, GFP_KERNEL);
	CHECK(e != NULL);
	CHECK(mempool_alloc(pool, GFP_ATOMIC) == NULL);
	w.pool = pool;
	pthread_create(&t, NULL, waiter_thread, &w);
	CHECK(wait_for_sleepers(pool, 1));
	CHECK(!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE));
	mempool_free(e, pool);
	pthread_join(t, NULL);
	CHECK(w.got == e);
	CHECK(w.waited_ms < 4000);
	mempool_free(w.got, pool);
	CHECK_EQ(pool->curr_nr, 1);
	sc.fail = 0;
	mempool_destroy(pool);
	CHECK_EQ(sc.live, 0);
}

/* ---- the helper pools under fault injection ---- */

static void test_slab_pool_under_failslab(void)
{
	struct kmem_cache *kc = kmem_cache_create("mempool_test", 200, 0, 0, NULL);
	mempool_t *pool = mempool_create_slab_pool(8, kc);
	mempool_t ipool;
	void *e[16];
	long injected;
	int i;

	CHECK(pool != NULL);
	if (!pool)
		return;
	/* Every slab allocation fails from now on, sleeping ones included. */
	ukmem_fault_set("failslab", "verbose", 0);
	ukmem_fault_set("failslab", "ignore-gfp-wait", 0);
	ukmem_fault_set("failslab", "space", 0);
	ukmem_fault_set("failslab", "times", -1);
	ukmem_fault_set("failslab", "probability", 100);
	injected = ukmem_fault_get("failslab", "injected");
	CHECK(kmem_cache_alloc(kc, GFP_KERNEL) == NULL);

	/* The guarantee: min_nr elements, whatever the gfp. */
	for (i = 0; i < 8; i++) {
		e[i] = mempool_alloc(pool, i & 1 ? GFP_ATOMIC : GFP_KERNEL);
		CHECK(e[i] != NULL);
		memset(e[i], 0x5a, 200);
	}
	CHECK(mempool_alloc(pool, GFP_ATOMIC) == NULL);
	CHECK(ukmem_fault_get("failslab", "injected") > injected + 8);
	/* Back into the reserve even though the cache could take them. */
	for (i = 0; i < 8; i++)
		mempool_free(e[i], pool);
	CHECK_EQ(pool->curr_nr, 8);
	ukmem_fault_set("failslab", "probability", 0);
	ukmem_fault_set("failslab", "ignore-gfp-wait", 1);

	/* And the init form. */
	CHECK_EQ(mempool_init_slab_pool(&ipool, 2, kc), 0);
	e[0] = mempool_alloc(&ipool, GFP_KERNEL);
	CHECK(e[0] != NULL);
	mempool_free(e[0], &ipool);
	mempool_exit(&ipool);

	mempool_destroy(pool);
	kmem_cache_destroy(kc);
}

static void test_kmalloc_pools(void)
{
	mempool_t *pool = mempool_create_kmalloc_pool(4, 3000);
	mempool_t kv;
	void *e;

	CHECK(pool != NULL);
	e = mempool_alloc(pool, GFP_KERNEL);
	CHECK(e != NULL && ksize(e) >= 3000);
	mempool_free(e, pool);
	mempool_destroy(pool);

	CHECK_EQ(mempool_init_kmalloc_pool(&kv, 2, 100), 0);
	mempool_exit(&kv);
	CHECK_EQ(mempool_init_kvmalloc_pool(&kv, 2, 20000), 0);
	e = mempool_alloc(&kv, GFP_KERNEL);
	CHECK(e != NULL);
	memset(e, 1, 20000);
	mempool_free(e, &kv);
	mempool_exit(&kv);
	pool = mempool_create_kvmalloc_pool(1, 64);
	CHECK(pool != NULL);
	mempool_destroy(pool);
}

static void test_page_pool_under_fail_page_alloc(void)
{
	mempool_t *pool = mempool_create_page_pool(4, 2);
	mempool_t ipool;
	struct page *p[5];
	int i;

	CHECK(pool != NULL);
	if (!pool)
		return;
	ukmem_fault_set("fail_page_alloc", "verbose", 0);
	ukmem_fault_set("fail_page_alloc", "ignore-gfp-wait", 0);
	ukmem_fault_set("fail_page_alloc", "min-order", 0);
	ukmem_fault_set("fail_page_alloc", "space", 0);
	ukmem_fault_set("fail_page_alloc", "times", -1);
	ukmem_fault_set("fail_page_alloc", "probability", 100);
	CHECK(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 2) == NULL);
	for (i = 0; i < 4; i++) {
		p[i] = mempool_alloc(pool, GFP_NOFS);
		CHECK(p[i] != NULL);
		if (p[i])
			memset(page_address(p[i]), 0xa5, PAGE_SIZE << 2);
	}
	p[4] = mempool_alloc(pool, GFP_NOWAIT);
	CHECK(p[4] == NULL);
	for (i = 0; i < 4; i++)
		mempool_free(p[i], pool);
	ukmem_fault_set("fail_page_alloc", "probability", 0);
	ukmem_fault_set("fail_page_alloc", "ignore-gfp-wait", 1);
	ukmem_fault_set("fail_page_alloc", "min-order", 1);
	CHECK_EQ(pool->curr_nr, 4);
	mempool_destroy(pool);

	CHECK_EQ(mempool_init_page_pool(&ipool, 1, 0), 0);
	p[0] = mempool_alloc(&ipool, GFP_KERNEL);
	CHECK(p[0] != NULL);
	mempool_free(p[0], &ipool);
	mempool_exit(&ipool);
}

/*
 * mem=64M exhausted: the page allocator has nothing for us, the pool still
 * hands out its reserve, and a sleeping caller is served by a free.
 */
static void test_exhausted_memory(void)
{
	enum { MAX_HELD = 40000 };
	static struct page *held[MAX_HELD];
	struct waiter w = { .gfp = GFP_KERNEL };
	mempool_t *pool = mempool_create_page_pool(3, 0);
	struct page *p[3];
	pthread_t t;
	int n = 0, i;

	CHECK(pool != NULL);
	if (!pool)
		return;
	while (n < MAX_HELD && (held[n] = alloc_page(GFP_ATOMIC | __GFP_NOWARN)))
		n++;
	CHECK(n > 1000 && n < MAX_HELD);
	CHECK(alloc_page(GFP_NOWAIT | __GFP_NOWARN) == NULL);
	for (i = 0; i < 3; i++) {
		p[i] = mempool_alloc(pool, GFP_KERNEL);
		CHECK(p[i] != NULL);
	}
	CHECK(mempool_alloc(pool, GFP_ATOMIC) == NULL);
	w.pool = pool;
	pthread_create(&t, NULL, waiter_thread, &w);
	ktest_sleep_ms(200);
	CHECK(!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE));
	mempool_free(p[2], pool);
	pthread_join(t, NULL);
	CHECK(w.got == p[2]);
	for (i = 0; i < n; i++)
		__free_page(held[i]);
	mempool_free(w.got, pool);
	mempool_free(p[0], pool);
	mempool_free(p[1], pool);
	CHECK_EQ(pool->curr_nr, 3);
	mempool_destroy(pool);
}

/* ---- many threads, allocator failing half the time ---- */

#define NTHREADS	8
#define ROUNDS		20000

static mempool_t *stress_pool;

static void *stress_thread(void *arg)
{
	uintptr_t id = (uintptr_t)arg;
	void *held[3] = { NULL };
	unsigned int x = (unsigned int)id * 2654435761u + 1;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		int slot = i % 3;

		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		if (held[slot]) {
			if (*(uintptr_t *)held[slot] != id)
				__atomic_add_fetch(&ktest_failures, 1, __ATOMIC_RELAXED);
			mempool_free(held[slot], stress_pool);
			held[slot] = NULL;
		}
		/* At most 3 held per thread, 24 in all, against a reserve of 4. */
		held[slot] = mempool_alloc(stress_pool, (x & 3) ? GFP_KERNEL : GFP_NOIO);
		if (!held[slot])
			__atomic_add_fetch(&ktest_failures, 1, __ATOMIC_RELAXED);
		else
			*(uintptr_t *)held[slot] = id;
	}
	for (i = 0; i < 3; i++)
		mempool_free(held[i], stress_pool);
	return NULL;
}

static int flaky_on;

static void *flaky_alloc(gfp_t gfp, void *data)
{
	static __thread unsigned int x = 1;

	x = x * 1103515245u + 12345u;
	if (__atomic_load_n(&flaky_on, __ATOMIC_RELAXED) && ((x >> 16) & 1))
		return NULL;
	return kmalloc(64, gfp);
}

static void test_threads(void)
{
	pthread_t t[NTHREADS];
	uintptr_t i;

	stress_pool = mempool_create(4, flaky_alloc, mempool_kfree, NULL);
	CHECK(stress_pool != NULL);
	if (!stress_pool)
		return;
	flaky_on = 1;
	for (i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, stress_thread, (void *)(i + 1));
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	flaky_on = 0;
	CHECK_EQ(stress_pool->curr_nr, 4);
	CHECK_EQ(stress_pool->wait.sleepers, 0);
	mempool_destroy(stress_pool);
}

/* ---- fork(): a pool is usable in the child ---- */

static void test_fork(void)
{
	mempool_t *pool = mempool_create_kmalloc_pool(2, 128);
	int status = -1;
	pid_t pid;

	ukmem_install_atfork();
	pid = fork();
	if (pid == 0) {
		void *e = mempool_alloc(pool, GFP_KERNEL);

		mempool_free(e, pool);
		mempool_destroy(pool);
		_exit(e ? 0 : 1);
	}
	CHECK(pid > 0);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	mempool_destroy(pool);
}

int main(void)
{
	FILE *quiet = fopen("/dev/null", "w");

	ukmem_set_console(quiet);
	/*
	 * kswapd=off: test_exhausted_memory wants the waiter served by the
	 * element freed to the pool; kswapd would reclaim slab memory after the
	 * exhaustion and the waiter's retry could get a page from that instead
	 * (kernel behaviour too: tests/test_reclaim.c covers reclaim).
	 */
	if (ukmem_boot("mem=64M kswapd=off")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_create_destroy), KTEST(test_init_exit), KTEST(test_preallocated_only),
		  KTEST(test_gfp_rounds), KTEST(test_gfp_zero_warns), KTEST(test_might_sleep),
		  KTEST(test_create_failures), KTEST(test_resize),
		  KTEST(test_blocked_alloc_woken_by_free), KTEST(test_timeout_retries_allocator),
		  KTEST(test_zero_min_pool), KTEST(test_slab_pool_under_failslab),
		  KTEST(test_kmalloc_pools), KTEST(test_page_pool_under_fail_page_alloc),
		  KTEST(test_exhausted_memory), KTEST(test_threads), KTEST(test_fork));
}
