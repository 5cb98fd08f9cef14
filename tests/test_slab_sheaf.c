/* SPDX-License-Identifier: MIT */
/*
 * v6.18's slab additions: prefilled sheaves and kmalloc_nolock().
 *
 * Sheaves (mm/slub_sheaf.c): a request that fits the cache's
 * sheaf_capacity gets a full sheaf, a larger one a sheaf of exactly its
 * size, a debug cache (no sheaves) always the exact size; allocations pop
 * distinct, constructed objects until the sheaf is empty (then NULL),
 * __GFP_ZERO zeroes; a refill tops the sheaf up whole or replaces it by a
 * larger one, -EINVAL without a sheaf; a failed prefill or refill
 * (failslab) leaves nothing allocated; returned sheaves give every object
 * back, so the cache is destroyed without a leak report.
 *
 * kmalloc_nolock()/kfree_nolock() (mm/slab_common.c): ZERO_SIZE_PTR for
 * 0, NULL above KMALLOC_MAX_CACHE_SIZE, __GFP_ZERO; as a process's first
 * call; and from a plain signal handler (not ukmem_sigaction's) that
 * interrupts its thread's own kmalloc and kfree thousands of times: it
 * never waits for a lock that thread holds, so it cannot deadlock (the
 * hang detector would kill the child), and the caches stay consistent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/slab.h>
#include <ukmem/fault.h>
#include <ukmem/report.h>
#include <ukmem/slab_debug.h>
#include "mm/slab.h"
#include "ktest_boot.h"
#include "slab_test.h"

static char log_buf[16384];

static const char *dmesg(void)
{
	ukmem_dmesg(log_buf, sizeof(log_buf));
	return log_buf;
}

static int ctor_calls;

static void sheaf_ctor(void *p)
{
	memset(p, 0x3c, 64);
	__atomic_fetch_add(&ctor_calls, 1, __ATOMIC_RELAXED);
}

static struct kmem_cache *cache_with(unsigned int capacity, slab_flags_t flags, bool ctor)
{
	struct kmem_cache_args args = { .sheaf_capacity = capacity, .ctor = ctor ? sheaf_ctor : NULL };

	/*
	 * 1 KiB objects: the default capacity (24) is below the 32 these
	 * cases ask for, which a cache's own request can only raise.
	 */
	return kmem_cache_create("sheaf_test", 1024, &args, flags | SLAB_NO_MERGE);
}

/*
 * kmem_cache_args.sheaf_capacity raises the default and never lowers it
 * (the kernel's calculate_sheaf_capacity(): max of the two; here at most
 * SHEAF_MAX_CAPACITY, the fixed per-CPU array), and such a cache is never
 * merged, either way round (__kmem_cache_create_args sets SLAB_NO_MERGE).
 */
static void test_capacity_rules(void)
{
	struct kmem_cache_args small = { .sheaf_capacity = 7 }, big = { .sheaf_capacity = 500 };
	struct kmem_cache *plain = kmem_cache_create("sheaf_plain", 72, 0, 0, NULL);
	struct kmem_cache *a = kmem_cache_create("sheaf_small", 72, &small, 0);
	struct kmem_cache *b = kmem_cache_create("sheaf_big", 72, &big, 0);
	struct kmem_cache *plain2 = kmem_cache_create("sheaf_plain2", 72, 0, 0, NULL);

	CHECK(plain && a && b && plain2);
	if (!plain || !a || !b || !plain2)
		return;
	CHECK(a != plain && b != plain && a != b);
	CHECK(plain2 == plain);			/* plain caches still merge */
	CHECK(plain2 != a && plain2 != b);
	CHECK_EQ(a->sheaf_capacity, plain->sheaf_capacity);	/* 7 < the default: the default */
	CHECK(a->sheaf_capacity > 7);
	CHECK_EQ(b->sheaf_capacity, (unsigned int)SHEAF_MAX_CAPACITY);
	kmem_cache_destroy(plain2);
	kmem_cache_destroy(b);
	kmem_cache_destroy(a);
	kmem_cache_destroy(plain);
}

/* Destroyed without "Objects remaining": every object came back. */
static void destroy_clean(struct kmem_cache *s)
{
	ukmem_dmesg_clear();
	kmem_cache_destroy(s);
	CHECK(strstr(dmesg(), "remaining") == NULL);
}

static void test_prefill(void)
{
	struct kmem_cache *s = cache_with(32, 0, true);
	struct slab_sheaf *sheaf;
	void *got[40];
	int i, j, dup = 0;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(kmem_cache_prefill_sheaf(s, GFP_KERNEL, 0) == NULL);
	sheaf = kmem_cache_prefill_sheaf(s, GFP_KERNEL, 10);
	CHECK(sheaf != NULL);
	if (!sheaf)
		return;
	CHECK_EQ(kmem_cache_sheaf_size(sheaf), 32);	/* full, as the kernel's */
	for (i = 0; i < 32; i++) {
		got[i] = kmem_cache_alloc_from_sheaf(s, GFP_KERNEL, sheaf);
		CHECK(got[i] && ((unsigned char *)got[i])[63] == 0x3c);
		CHECK_EQ(kmem_cache_sheaf_size(sheaf), 31 - i);
	}
	CHECK(kmem_cache_alloc_from_sheaf(s, GFP_KERNEL, sheaf) == NULL);
	for (i = 0; i < 32; i++)
		for (j = i + 1; j < 32; j++)
			dup += got[i] == got[j];
	CHECK_EQ(dup, 0);
	/* Topped up whole; asking for less than it holds changes nothing. */
	CHECK_EQ(kmem_cache_refill_sheaf(s, GFP_KERNEL, &sheaf, 5), 0);
	CHECK_EQ(kmem_cache_sheaf_size(sheaf), 32);
	CHECK_EQ(kmem_cache_refill_sheaf(s, GFP_KERNEL, &sheaf, 20), 0);
	CHECK_EQ(kmem_cache_sheaf_size(sheaf), 32);
	/* More than the capacity: replaced by an oversize sheaf of that size. */
	CHECK_EQ(kmem_cache_refill_sheaf(s, GFP_KERNEL, &sheaf, 40), 0);
	CHECK_EQ(kmem_cache_sheaf_size(sheaf), 40);
	kmem_cache_return_sheaf(s, GFP_KERNEL, sheaf);
	sheaf = NULL;
	CHECK_EQ(kmem_cache_refill_sheaf(s, GFP_KERNEL, &sheaf, 1), -EINVAL);
	for (i = 0; i < 32; i++)
		kmem_cache_free(s, got[i]);
	destroy_clean(s);
}

static void test_zero_and_oversize(void)
{
	struct kmem_cache *s = cache_with(16, 0, false);
	struct slab_sheaf *sheaf;
	void *dirty[64];
	int i;
	size_t nonzero = 0;

	CHECK(s != NULL);
	if (!s)
		return;
	/* Dirty objects back in the cache, to be handed out again. */
	for (i = 0; i < 64; i++) {
		dirty[i] = kmem_cache_alloc(s, GFP_KERNEL);
		memset(dirty[i], 0xaa, 64);
	}
	for (i = 0; i < 64; i++)
		kmem_cache_free(s, dirty[i]);
	sheaf = kmem_cache_prefill_sheaf(s, GFP_KERNEL, 50);	/* above 16 */
	CHECK(sheaf != NULL);
	if (!sheaf)
		return;
	CHECK_EQ(kmem_cache_sheaf_size(sheaf), 50);
	for (i = 0; i < 50; i++) {
		void *p = kmem_cache_alloc_from_sheaf(s, GFP_KERNEL | __GFP_ZERO, sheaf);

		nonzero += p ? nonzero_bytes(p, 64) : 64;
		dirty[i] = p;
	}
	CHECK_EQ(nonzero, 0);
	for (i = 0; i < 50; i++)
		kmem_cache_free(s, dirty[i]);
	kmem_cache_return_sheaf(s, GFP_KERNEL, sheaf);
	destroy_clean(s);
}

static void test_debug_cache(void)
{
	/* Debug caches have no per-CPU sheaves: every prefill is exact. */
	struct kmem_cache *s = cache_with(32, SLAB_RED_ZONE | SLAB_POISON, false);
	struct slab_sheaf *sheaf;

	CHECK(s != NULL);
	if (!s)
		return;
	sheaf = kmem_cache_prefill_sheaf(s, GFP_KERNEL, 7);
	CHECK(sheaf && kmem_cache_sheaf_size(sheaf) == 7);
	if (sheaf)
		kmem_cache_return_sheaf(s, GFP_KERNEL, sheaf);
	CHECK_EQ(ukmem_slab_validate(s), 0);
	CHECK_EQ(ukmem_slab_error_count(), 0);
	destroy_clean(s);
}

static void test_failures(void)
{
	struct kmem_cache *s = cache_with(32, 0, false);
	struct slab_sheaf *sheaf;

	CHECK(s != NULL);
	if (!s)
		return;
	sheaf = kmem_cache_prefill_sheaf(s, GFP_KERNEL, 4);
	CHECK(sheaf != NULL);
	if (!sheaf)
		return;
	while (kmem_cache_sheaf_size(sheaf) > 10)
		kmem_cache_free(s, kmem_cache_alloc_from_sheaf(s, GFP_KERNEL, sheaf));
	/* Every allocation fails a while: nothing half done stays behind. */
	ukmem_fault_set("failslab", "verbose", 0);
	ukmem_fault_set("failslab", "ignore-gfp-wait", 0);
	ukmem_fault_set("failslab", "probability", 100);
	ukmem_fault_set("failslab", "times", 100000);
	CHECK(kmem_cache_prefill_sheaf(s, GFP_KERNEL, 8) == NULL);	/* the sheaf's kmalloc */
	CHECK(kmem_cache_prefill_sheaf(s, GFP_KERNEL, 80) == NULL);
	/*
	 * A refill in place allocates no sheaf, and the kernel never asks
	 * failslab for a sheaf's objects (__kmem_cache_alloc_bulk): it works.
	 */
	CHECK_EQ(kmem_cache_refill_sheaf(s, GFP_KERNEL, &sheaf, 20), 0);
	CHECK_EQ(kmem_cache_sheaf_size(sheaf), 32);	/* refilled whole */
	while (kmem_cache_sheaf_size(sheaf) > 10)
		kmem_cache_free(s, kmem_cache_alloc_from_sheaf(s, GFP_KERNEL, sheaf));
	/* Past its capacity it is replaced by a new sheaf, whose kmalloc fails. */
	CHECK_EQ(kmem_cache_refill_sheaf(s, GFP_KERNEL, &sheaf, 60), -ENOMEM);
	CHECK_EQ(kmem_cache_sheaf_size(sheaf), 10);	/* unchanged */
	ukmem_fault_set("failslab", "probability", 0);
	ukmem_fault_set("failslab", "times", 0);
	kmem_cache_return_sheaf(s, GFP_KERNEL, sheaf);
	destroy_clean(s);
}

static void test_nolock_basics(void)
{
	char *p;

	CHECK(kmalloc_nolock(0, 0, NUMA_NO_NODE) == ZERO_SIZE_PTR);
	CHECK(kmalloc_nolock(KMALLOC_MAX_CACHE_SIZE + 1, 0, NUMA_NO_NODE) == NULL);
	p = kmalloc(200, GFP_KERNEL);
	memset(p, 0x55, 200);
	kfree(p);
	p = kmalloc_nolock(200, __GFP_ZERO, NUMA_NO_NODE);
	CHECK(p != NULL);
	if (p) {
		CHECK_EQ(nonzero_bytes(p, 200), 0);
		CHECK(ksize(p) >= 200);
	}
	kfree_nolock(p);
	kfree_nolock(NULL);
	kfree_nolock(ZERO_SIZE_PTR);
	p = kmalloc_nolock(KMALLOC_MAX_CACHE_SIZE, 0, NUMA_NO_NODE);
	CHECK(p != NULL);
	kfree(p);				/* kfree() takes them too */
	CHECK(!in_hardirq());			/* the context is left as it was */
}

static volatile long handler_ok, handler_refused;

/* A plain handler, not ukmem_sigaction's: nolock is what makes it safe. */
static void nolock_handler(int sig)
{
	int i;

	(void)sig;
	for (i = 0; i < 4; i++) {
		void *p = kmalloc_nolock(i ? 64 : 16 << (handler_ok & 3), 0, NUMA_NO_NODE);

		if (p) {
			memset(p, i, 16);
			handler_ok++;
		} else {
			handler_refused++;
		}
		kfree_nolock(p);
	}
}

/*
 * The thread allocates and frees 64-byte objects in batches larger than
 * its per-CPU stack, so that it is often inside the slow paths, holding
 * a node's list_lock or its CPU's stack, when the handler comes.
 */
static void nolock_under_signals(void *arg)
{
	struct sigaction sa = { .sa_handler = nolock_handler };
	struct itimerval it = { { 0, 200 }, { 0, 200 } };
	static void *batch[512];
	long round;
	int i;

	if (ukmem_boot(arg))
		_exit(3);
	ukmem_set_console(stderr);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (round = 0; round < 10000000 && handler_ok < 8000; round++) {
		for (i = 0; i < 512; i++)
			batch[i] = kmalloc(64, GFP_KERNEL);
		for (i = 0; i < 512; i++)
			kfree(batch[i]);
		ktest_progress();
	}
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK(handler_ok > 0);
	CHECK_EQ(ukmem_slab_validate_all(), 0);
	CHECK_EQ(ukmem_slab_error_count(), 0);
	_exit(ktest_failures ? 1 : 0);
}

/*
 * Before this process boots: each child boots its own way.  With the
 * per-CPU caches under locks (slab_rseq=0), the handler often lands while
 * its thread holds its CPU's lock: a kmalloc there would spin forever.
 */
static void nolock_in_handler(void)
{
	static const char *const lines[] = { "mem=256M slab_rseq=0", "mem=256M" };

	run_cmdlines(nolock_under_signals, lines, ARRAY_SIZE(lines));
}

static void first_call(void *arg)
{
	void *p;

	(void)arg;
	p = kmalloc_nolock(100, 0, NUMA_NO_NODE);
	CHECK(p != NULL);
	kfree_nolock(p);
	_exit(ktest_failures ? 1 : 0);
}

int main(void)
{
	ktest_first_call(first_call);
	nolock_in_handler();
	if (!ktest_boot_quietly("mem=256M"))
		return 1;
	KTEST_RUN(KTEST(test_capacity_rules), KTEST(test_prefill), KTEST(test_zero_and_oversize), KTEST(test_debug_cache),
		  KTEST(test_failures), KTEST(test_nolock_basics));
}
