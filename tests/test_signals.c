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
 *  - the newer calls, each from handlers that interrupt threads inside
 *    the same call on the same object (api_cases below): objpool_pop/push
 *    from ukmem_sigaction() handlers and from plain ones (the kernel's
 *    kretprobes use them in NMI context), mempool_alloc() against
 *    mempool_alloc_bulk()/mempool_free_bulk() on one pool whose alloc_fn
 *    fails now and then (the reserve is used), kmem_cache_alloc() and
 *    kmalloc_nolock() against a cache's prefilled sheaves, and
 *    kmem_buckets_alloc()/krealloc() against the same buckets.  Every
 *    object carries its holder's tag; one handed out twice shows.  Each
 *    case boots plain, then with slub_debug=FZPU, init_on_free=1 and
 *    KFENCE sampling every millisecond.
 * Each runs in a child watched for hangs.  The long run (a million
 * signals) is tests/stress_signals.c.
 */
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <linux/mempool.h>
#include <linux/objpool.h>
#include <ukmem/boot.h>
#include <ukmem/context.h>
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


/* ---- the newer calls, interrupted by themselves ---- */

#define API_WORKERS	2
#if defined(__SANITIZE_THREAD__)
#define API_SIGNALS	2000	/* handled in all, per case (TSan: 10-20 times slower) */
#else
#define API_SIGNALS	10000	/* handled in all, per case */
#endif
#define API_HELD	8	/* objects a worker or a handler holds at once */
#define API_OBJ		64	/* bytes of each object */

struct api_case {
	const char *name;
	bool plain;				/* sigaction(), not ukmem_sigaction() */
	void (*setup)(void);
	void (*work)(unsigned int *seed);	/* one round, in a worker */
	void (*handle)(unsigned int *seed);	/* one round, in a handler */
	void (*finish)(void);
};

static const struct api_case *api_now;
static _Atomic unsigned long api_handled, api_corrupt, api_handler_objs;
static _Atomic int api_stop;
static __thread unsigned long api_seq;
static __thread unsigned int api_hseed;
static __thread bool api_is_worker;

/* A tag nobody else writes: the thread, in a handler or not, and a count. */
static unsigned long api_tag(bool in_handler)
{
	return ((unsigned long)(uintptr_t)&api_seq << 20) ^ ((unsigned long)in_handler << 32) ^ ++api_seq;
}

/* Tag @n objects, then check every tag is still ours. */
static void api_mark(void **objs, unsigned int n, bool in_handler)
{
	unsigned long tags[API_HELD];
	unsigned int i;

	for (i = 0; i < n; i++)
		*(volatile unsigned long *)objs[i] = tags[i] = api_tag(in_handler);
	for (i = 0; i < n; i++)
		if (*(volatile unsigned long *)objs[i] != tags[i])
			api_corrupt++;
}

static void api_handler(int sig)
{
	(void)sig;
	if (!api_is_worker || !api_now || api_stop)
		return;
	api_now->handle(&api_hseed);
	api_handled++;
}

static void *api_worker(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg * 2654435761u + 7;

	api_hseed = seed ^ 0x9e3779b9u;
	api_is_worker = true;
	while (!api_stop) {
		api_now->work(&seed);
		ktest_progress();
	}
	api_is_worker = false;
	return NULL;
}

static const char *api_cmdline;

static void api_run(void *arg)
{
	const struct api_case *c = arg;
	struct sigaction sa;
	pthread_t w[API_WORKERS];
	unsigned int i, seed = 3;

	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot(api_cmdline), 0);
	ukmem_clear_taint();
	api_now = c;
	c->setup();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = api_handler;
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(c->plain ? sigaction(SIGUSR1, &sa, NULL) : ukmem_sigaction(SIGUSR1, &sa, NULL), 0);
	for (i = 0; i < API_WORKERS; i++)
		pthread_create(&w[i], NULL, api_worker, (void *)(uintptr_t)(i + 1));
	/* No deadline: until the handlers have run often enough, however slow the machine. */
	for (i = 0; api_handled < API_SIGNALS; i++) {
		unsigned int spin = sigs_rand(&seed) % 2048;

		pthread_kill(w[i % API_WORKERS], SIGUSR1);
		while (spin--)
			__asm__ __volatile__("" ::: "memory");
		if (i % 64 == 0)
			usleep(1);	/* TSan delivers a signal at an intercepted call */
	}
	api_stop = 1;
	for (i = 0; i < API_WORKERS; i++)
		pthread_join(w[i], NULL);
	signal(SIGUSR1, SIG_IGN);
	c->finish();
	if (getenv("API_VERBOSE"))
		fprintf(stderr, "%s: %lu signals handled, %lu objects in handlers\n", c->name,
			(unsigned long)api_handled, (unsigned long)api_handler_objs);
	CHECK_EQ(api_corrupt, 0);
	CHECK(api_handler_objs > 0);
	CHECK_EQ(ukmem_slab_validate_all(), 0);
	CHECK_EQ(get_taint(), 0);
	drain_all_pages(NULL);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

/* objpool: workers and handlers pop and push the same pool's objects. */
#define API_POOL	32
static struct objpool_head api_pool;
static void *api_pool_seen[API_POOL];

static void objpool_setup(void)
{
	CHECK_EQ(objpool_init(&api_pool, API_POOL, API_OBJ, GFP_KERNEL, NULL, NULL, NULL), 0);
}

static void objpool_round(unsigned int *seed, bool in_handler)
{
	void *objs[API_HELD];
	unsigned int n = 1 + sigs_rand(seed) % (in_handler ? 3 : API_HELD), got;

	for (got = 0; got < n; got++)
		if (!(objs[got] = objpool_pop(&api_pool)))
			break;
	api_mark(objs, got, in_handler);
	if (in_handler)
		api_handler_objs += got;
	while (got--)
		if (objpool_push(objs[got], &api_pool))
			api_corrupt++;
}

static void objpool_work(unsigned int *seed)
{
	objpool_round(seed, false);
}

static void objpool_handle(unsigned int *seed)
{
	objpool_round(seed, true);
}

/* Every object back exactly once: none lost, none twice. */
static void objpool_finish(void)
{
	unsigned int n = 0, i;
	void *obj;

	while ((obj = objpool_pop(&api_pool)) && n < API_POOL) {
		for (i = 0; i < n; i++)
			CHECK(api_pool_seen[i] != obj);
		api_pool_seen[n++] = obj;
	}
	CHECK(obj == NULL);
	CHECK_EQ(n, API_POOL);
	for (i = 0; i < n; i++)
		objpool_push(api_pool_seen[i], &api_pool);
	objpool_fini(&api_pool);
}

/* mempool: bulk calls in workers, single ones in handlers; alloc_fn fails one call in three. */
static mempool_t *api_mempool;
static _Atomic unsigned long api_fn_calls;
static _Atomic bool api_fn_fails;	/* not while the pool is filled */

static void *api_pool_alloc(gfp_t gfp, void *data)
{
	(void)data;
	if (api_fn_fails && api_fn_calls++ % 3 == 0)
		return NULL;
	return kmalloc(API_OBJ, gfp);
}

static void api_pool_free(void *elem, void *data)
{
	(void)data;
	kfree(elem);
}

static void mempool_setup(void)
{
	api_mempool = mempool_create(2 * API_WORKERS * API_HELD, api_pool_alloc, api_pool_free,
				     NULL);
	CHECK(api_mempool != NULL);
	if (!api_mempool)
		exit(1);
	api_fn_fails = true;
}

static void mempool_work(unsigned int *seed)
{
	void *objs[API_HELD] = { NULL };
	unsigned int n = 1 + sigs_rand(seed) % API_HELD, kept, i;

	CHECK_EQ(mempool_alloc_bulk(api_mempool, objs, n, 0), 0);
	api_mark(objs, n, false);
	if (sigs_rand(seed) % 2) {
		kept = mempool_free_bulk(api_mempool, objs, n);
		for (i = kept; i < n; i++)
			kfree(objs[i]);
	} else {
		for (i = 0; i < n; i++)
			mempool_free(objs[i], api_mempool);
	}
}

static void mempool_handle(unsigned int *seed)
{
	void *objs[API_HELD];
	unsigned int n = 1 + sigs_rand(seed) % 3, got;

	for (got = 0; got < n; got++)
		if (!(objs[got] = mempool_alloc(api_mempool, GFP_ATOMIC)))
			break;
	api_mark(objs, got, true);
	api_handler_objs += got;
	while (got--)
		mempool_free(objs[got], api_mempool);
}

static void mempool_finish(void)
{
	mempool_destroy(api_mempool);
}

/* Sheaves: workers prefill, take and return them; handlers allocate from the cache. */
static struct kmem_cache *api_cache;

static void sheaf_setup(void)
{
	struct kmem_cache_args args = { .sheaf_capacity = 8 };

	api_cache = kmem_cache_create("sig_sheaf", API_OBJ, &args, SLAB_NO_MERGE);
	CHECK(api_cache != NULL);
	if (!api_cache)
		exit(1);
}

static void sheaf_work(unsigned int *seed)
{
	unsigned int r = sigs_rand(seed), n = 1 + r % API_HELD, got = 0;
	struct slab_sheaf *sheaf = kmem_cache_prefill_sheaf(api_cache, GFP_KERNEL, n);
	void *objs[API_HELD];

	CHECK(sheaf != NULL);
	if (!sheaf)
		return;
	while (got < n && (objs[got] = kmem_cache_alloc_from_sheaf(api_cache, GFP_KERNEL, sheaf)))
		got++;
	CHECK_EQ(got, n);
	api_mark(objs, got, false);
	if ((r >> 8) % 4 == 0)
		CHECK_EQ(kmem_cache_refill_sheaf(api_cache, GFP_KERNEL, &sheaf, n + 4), 0);
	if ((r >> 10) % 2)
		kmem_cache_free_bulk(api_cache, got, objs);
	else
		while (got--)
			kmem_cache_free(api_cache, objs[got]);
	kmem_cache_return_sheaf(api_cache, GFP_KERNEL, sheaf);
}

static void sheaf_handle(unsigned int *seed)
{
	void *objs[API_HELD];
	unsigned int r = sigs_rand(seed), n = 1 + r % 3, got;

	for (got = 0; got < n; got++) {
		objs[got] = (r >> 4) % 2 ? kmem_cache_alloc(api_cache, GFP_ATOMIC)
					 : kmalloc_nolock(API_OBJ, 0, NUMA_NO_NODE);
		if (!objs[got])
			break;
	}
	api_mark(objs, got, true);
	api_handler_objs += got;
	while (got--)
		if ((r >> 4) % 2)
			kmem_cache_free(api_cache, objs[got]);
		else
			kfree_nolock(objs[got]);
}

/* Plain handlers (NMI-like): only kmalloc_nolock()/kfree_nolock(). */
static void sheaf_handle_nolock(unsigned int *seed)
{
	void *objs[API_HELD];
	unsigned int n = 1 + sigs_rand(seed) % 3, got;

	for (got = 0; got < n; got++)
		if (!(objs[got] = kmalloc_nolock(API_OBJ, 0, NUMA_NO_NODE)))
			break;
	api_mark(objs, got, true);
	api_handler_objs += got;
	while (got--)
		kfree_nolock(objs[got]);
}

static void sheaf_finish(void)
{
	CHECK_EQ(ukmem_slab_validate(api_cache), 0);
	kmem_cache_destroy(api_cache);
}

/* kmem_buckets: kmem_buckets_alloc() and krealloc() on both sides. */
static kmem_buckets *api_buckets;

static void buckets_setup(void)
{
	api_buckets = kmem_buckets_create("sig_buckets", 0, 0, 0, NULL);
	CHECK(api_buckets != NULL);
	if (!api_buckets)
		exit(1);
}

static void buckets_round(unsigned int *seed, bool in_handler)
{
	gfp_t gfp = in_handler ? GFP_ATOMIC : GFP_KERNEL;
	void *objs[API_HELD];
	unsigned int n = 1 + sigs_rand(seed) % (in_handler ? 3 : API_HELD), got, i;

	for (got = 0; got < n; got++)
		if (!(objs[got] = kmem_buckets_alloc(api_buckets, 16 + sigs_rand(seed) % 3000, gfp)))
			break;
	api_mark(objs, got, in_handler);
	for (i = 0; i < got; i++) {
		unsigned long tag = *(unsigned long *)objs[i];
		void *q = krealloc(objs[i], 16 + sigs_rand(seed) % 5000, gfp);

		if (!q)
			continue;
		if (*(unsigned long *)q != tag)
			api_corrupt++;
		objs[i] = q;
	}
	api_mark(objs, got, in_handler);
	if (in_handler)
		api_handler_objs += got;
	while (got--)
		kfree(objs[got]);
}

static void buckets_work(unsigned int *seed)
{
	buckets_round(seed, false);
}

static void buckets_handle(unsigned int *seed)
{
	buckets_round(seed, true);
}

/* Buckets are never destroyed (nor in the kernel); their caches must validate. */
static void buckets_finish(void)
{
}

static const struct api_case api_cases[] = {
	{ "objpool", false, objpool_setup, objpool_work, objpool_handle, objpool_finish },
	{ "objpool plain", true, objpool_setup, objpool_work, objpool_handle, objpool_finish },
	{ "mempool bulk", false, mempool_setup, mempool_work, mempool_handle, mempool_finish },
	{ "sheaves", false, sheaf_setup, sheaf_work, sheaf_handle, sheaf_finish },
	{ "sheaves plain", true, sheaf_setup, sheaf_work, sheaf_handle_nolock, sheaf_finish },
	{ "kmem_buckets", false, buckets_setup, buckets_work, buckets_handle, buckets_finish },
};

/* Plain, then with every debug check and KFENCE sampling each allocation it can. */
static const char *const api_cmdlines[] = {
	"mem=256M",
	"mem=256M slub_debug=FZPU init_on_free=1 kfence.sample_interval=1",
};

static void test_newer_calls_in_handlers(void)
{
	size_t i, j;

	for (j = 0; j < ARRAY_SIZE(api_cmdlines); j++)
		for (i = 0; i < ARRAY_SIZE(api_cases); i++) {
			const char *only = getenv("API_CASE");
			int status;

			if (only && strcmp(only, api_cases[i].name))
				continue;
			api_cmdline = api_cmdlines[j];
			status = ktest_child(api_run, (void *)&api_cases[i]);
			if (!ktest_exited_with(status, 0))
				fprintf(stderr, "FAIL %s [%s]: child status %#x\n", api_cases[i].name,
					api_cmdlines[j], status);
			CHECK(ktest_exited_with(status, 0));
		}
}

/*
 * docs/context.md's own example: a handler's alloc_pages(GFP_ATOMIC, 4)
 * that fails on a small machine while its thread, taking and giving back
 * every page it can, holds the zone lock.  The failure is reported
 * (warn_alloc, then show_mem's per-zone free lists, which read the zone
 * under its lock): that lock is only tried there now; it was taken, and
 * the program ended in "BUG: spinlock recursion" and a panic (4 runs in
 * 4).  Plain sigaction() and ukmem_sigaction() handlers both.
 */
static _Atomic long atomic_hits, atomic_fails;
static _Atomic int atomic_stop;

static void atomic_order4_handler(int sig)
{
	struct page *p = alloc_pages(GFP_ATOMIC, 4);

	(void)sig;
	atomic_hits++;
	if (p)
		__free_pages(p, 4);
	else
		atomic_fails++;
}

static void *drain_pages_thread(void *arg)
{
	static struct page *held[8192];

	(void)arg;
	while (!atomic_stop) {
		int n = 0;

		while (n < 8192 && (held[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, 0)))
			n++;
		while (n)
			__free_pages(held[--n], 0);
	}
	return NULL;
}

static void atomic_failure_child(void *arg)
{
	struct sigaction sa = { .sa_handler = atomic_order4_handler };
	pthread_t t;

	CHECK_EQ(ukmem_boot("mem=16M kswapd=off loglevel=0"), 0);
	sigemptyset(&sa.sa_mask);
	if (arg)
		ukmem_sigaction(SIGUSR1, &sa, NULL);
	else
		sigaction(SIGUSR1, &sa, NULL);
	pthread_create(&t, NULL, drain_pages_thread, NULL);
	/* Until a few hundred allocations have failed (each reported, rate-limited). */
	for (long i = 0; i < 2000000 && atomic_fails < 300; i++) {
		pthread_kill(t, SIGUSR1);
		usleep(20);
		if (!(i % 256))
			ktest_progress();
	}
	atomic_stop = 1;
	pthread_join(t, NULL);
	printf("%s: %ld handled, %ld failed\n", arg ? "ukmem_sigaction" : "sigaction",
	       (long)atomic_hits, (long)atomic_fails);
	CHECK(atomic_fails > 0);
}

static void test_failed_atomic_in_handler(void)
{
	check_child(atomic_failure_child, NULL);
	check_child(atomic_failure_child, (void *)1);
}

int main(void)
{
	KTEST_RUN(KTEST(test_deferred_slab_before_object), KTEST(test_deferred_debug_frees),
		  KTEST(test_handlers_rseq), KTEST(test_handlers_locks),
		  KTEST(test_handlers_kfence), KTEST(test_handlers_kmemleak),
		  KTEST(test_newer_calls_in_handlers), KTEST(test_failed_atomic_in_handler));
}
