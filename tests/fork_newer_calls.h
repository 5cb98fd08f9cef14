/* SPDX-License-Identifier: MIT */
/*
 * tests/fork_newer_calls.h - test_fork's cases for the calls added last:
 * contiguous ranges, sheaves, kmalloc_nolock, memdup_user, huge and array
 * vmallocs across fork; and the pools (objpool, gen_pool, a mempool,
 * kmem_buckets) used in a child while a thread churns them.  Included
 * by tests/test_fork.c after its helpers, which these cases call; its
 * main() lists them.
 */
#ifndef _FORK_NEWER_CALLS_H
#define _FORK_NEWER_CALLS_H

/* ---- the newer calls across fork ---- */

struct newer_blocks {
	struct page *contig;		/* 64 pages, each page's first word its index */
	struct kmem_cache *cache;	/* with sheaves */
	struct slab_sheaf *sheaf;	/* prefilled, 4 objects taken from it */
	void *from_sheaf[4];
	void *nolock;			/* kmalloc_nolock(96) */
	char *dup;			/* memdup_user of a string */
	unsigned long *huge;		/* vmalloc_huge_node, 4 MiB */
	unsigned int *array;		/* __vcalloc(1000, 4) */
};

static const char dup_text[] = "across the fork";

static bool newer_take(struct newer_blocks *b)
{
	struct kmem_cache *cache = b->cache;
	unsigned long i;

	memset(b, 0, sizeof(*b));
	b->cache = cache;
	b->contig = alloc_contig_pages(64, GFP_KERNEL, NUMA_NO_NODE, NULL);
	b->sheaf = kmem_cache_prefill_sheaf(b->cache, GFP_KERNEL, 8);
	b->nolock = kmalloc_nolock(96, 0, NUMA_NO_NODE);
	b->dup = memdup_user((const void __user *)dup_text, sizeof(dup_text));
	b->huge = vmalloc_huge_node(4 << 20, GFP_KERNEL, NUMA_NO_NODE);
	b->array = __vcalloc(1000, sizeof(unsigned int), GFP_KERNEL);
	if (!b->contig || !b->sheaf || !b->nolock || IS_ERR(b->dup) || !b->huge || !b->array)
		return false;
	for (i = 0; i < 64; i++)
		*(unsigned long *)page_address(b->contig + i) = i;
	for (i = 0; i < 4; i++) {
		b->from_sheaf[i] = kmem_cache_alloc_from_sheaf(b->cache, GFP_KERNEL, b->sheaf);
		if (!b->from_sheaf[i])
			return false;
		memset(b->from_sheaf[i], 'a' + (int)i, 64);
	}
	memset(b->nolock, 'n', 96);
	for (i = 0; i < (4 << 20) / sizeof(unsigned long); i += 512)
		b->huge[i] = i;
	for (i = 0; i < 1000; i++)
		b->array[i] = (unsigned int)i * 3;
	return true;
}

/* The values newer_take() wrote, still there? */
static bool newer_intact(const struct newer_blocks *b)
{
	unsigned long i;

	for (i = 0; i < 64; i++)
		if (*(unsigned long *)page_address(b->contig + i) != i)
			return false;
	for (i = 0; i < 4; i++)
		if (memchr_inv(b->from_sheaf[i], 'a' + (int)i, 64))
			return false;
	if (memchr_inv(b->nolock, 'n', 96) || strcmp(b->dup, dup_text))
		return false;
	for (i = 0; i < (4 << 20) / sizeof(unsigned long); i += 512)
		if (b->huge[i] != i)
			return false;
	for (i = 0; i < 1000; i++)
		if (b->array[i] != i * 3)
			return false;
	return true;
}

static void newer_give(struct newer_blocks *b)
{
	unsigned int i;

	free_contig_range(page_to_pfn(b->contig), 64);
	for (i = 0; i < 4; i++)
		kmem_cache_free(b->cache, b->from_sheaf[i]);
	kmem_cache_return_sheaf(b->cache, GFP_KERNEL, b->sheaf);
	kfree_nolock(b->nolock);
	kfree(b->dup);
	vfree(b->huge);
	vfree(b->array);
}

/* Free pages once every cache and per-CPU list has given back what it keeps. */
static unsigned long settled_free_pages(struct kmem_cache *cache)
{
	kmem_cache_shrink(cache);
	drop_slab();
	vm_unmap_aliases();
	drain_all_pages(NULL);
	return nr_free_pages();
}

static _Atomic unsigned long newer_churns;

static void *newer_churn_thread(void *arg)
{
	struct kmem_cache *cache = arg;

	while (!stop_helper) {
		newer_churns++;
		struct page *p = alloc_contig_pages(16, GFP_KERNEL, NUMA_NO_NODE, NULL);
		struct slab_sheaf *sh = kmem_cache_prefill_sheaf(cache, GFP_KERNEL, 4);
		void *o = kmalloc_nolock(200, 0, NUMA_NO_NODE);

		if (p)
			free_contig_range(page_to_pfn(p), 16);
		if (sh)
			kmem_cache_return_sheaf(cache, GFP_KERNEL, sh);
		kfree_nolock(o);
	}
	return NULL;
}

static void newer_calls_fork(void *arg)
{
	struct kmem_cache_args args = { .sheaf_capacity = 16 };
	struct newer_blocks b;
	unsigned long before;
	pthread_t tid;
	int i, status;

	(void)arg;
	boot_quiet("mem=256M");
	b.cache = kmem_cache_create("fork_sheaf", 64, &args, SLAB_NO_MERGE);
	CHECK(b.cache != NULL);
	if (!b.cache)
		return;
	/*
	 * Once first, and the churn too, so that what first use sets up for
	 * good (a CPU's stacks of a kmalloc cache) is not counted.
	 */
	CHECK(newer_take(&b));
	newer_give(&b);
	pthread_create(&tid, NULL, newer_churn_thread, b.cache);
	while (newer_churns < 100)
		sched_yield();
	stop_helper = 1;
	pthread_join(tid, NULL);
	stop_helper = 0;
	before = settled_free_pages(b.cache);
	CHECK(newer_take(&b));
	pthread_create(&tid, NULL, newer_churn_thread, b.cache);
	for (i = 0; i < 10; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			struct newer_blocks mine = { .cache = b.cache };
			unsigned long settled;
			int bad = 0;

			/*
			 * The churn thread did not come along: what it held at
			 * the fork stays held here (16 pages, a prefilled sheaf
			 * of the cache's full capacity: the default 120 64-byte
			 * objects, which the 16 asked for cannot lower, as in the
			 * kernel, on up to 3 slab pages and the sheaf's own
			 * kmalloc page, and a nolock object), as a vanished
			 * thread's blocks do under any malloc.
			 */
			bad |= !newer_intact(&b) << 0;
			newer_give(&b);
			settled = settled_free_pages(b.cache);
			bad |= (settled > before || settled + 32 < before) << 1;
			bad |= !newer_take(&mine) << 2;
			bad |= !newer_intact(&mine) << 3;
			newer_give(&mine);
			bad |= (settled_free_pages(b.cache) != settled) << 4;
			bad |= (ukmem_slab_validate_all() != 0) << 5;
			if (bad)
				fprintf(stderr, "before %lu settled %lu\n", before, settled);
			_exit(bad);
		}
		CHECK(pid > 0);
		CHECK(waitpid(pid, &status, 0) == pid);
		if (!ktest_exited_with(status, 0))
			fprintf(stderr, "newer calls: child %d status %#x\n", i, status);
		CHECK(ktest_exited_with(status, 0));
		ktest_progress();
	}
	stop_helper = 1;
	pthread_join(tid, NULL);
	CHECK(newer_intact(&b));	/* the children's frees were theirs */
	newer_give(&b);
	CHECK_EQ(settled_free_pages(b.cache), before);
	CHECK_EQ(ukmem_slab_validate_all(), 0);
	kmem_cache_destroy(b.cache);
}

static void test_newer_calls_across_fork(void)
{
	CHECK(ktest_exited_with(ktest_child(newer_calls_fork, NULL), 0));
}

/* ---- the pools across fork ---- */

#define FPOOL_OBJS	64
#define FPOOL_HELD	4	/* objpool objects the churn holds at most */
#define FPOOL_CHUNKS	64	/* gen_pool chunks the churn may add */

static struct objpool_head fpool;
static struct gen_pool *fgen;
static mempool_t *fmempool;
static kmem_buckets *fbuckets;
static char fgen_area[FPOOL_CHUNKS + 2][1024] __aligned(64);
static _Atomic unsigned long pool_churns;

static void *pool_churn_thread(void *arg)
{
	unsigned int added = 0;

	(void)arg;
	while (!stop_helper) {
		void *objs[FPOOL_HELD], *elems[4] = { NULL };
		unsigned long a;
		int n;

		pool_churns++;
		for (n = 0; n < FPOOL_HELD; n++)
			if (!(objs[n] = objpool_pop(&fpool)))
				break;
		while (n--)
			objpool_push(objs[n], &fpool);
		a = gen_pool_alloc(fgen, 100);
		if (a)
			gen_pool_free(fgen, a, 100);
		if (added < FPOOL_CHUNKS && pool_churns % 8 == 0)
			gen_pool_add(fgen, (unsigned long)fgen_area[added++], 1024, -1);
		mempool_alloc_bulk(fmempool, elems, 4, 0);
		n = (int)mempool_free_bulk(fmempool, elems, 4);
		while (n < 4)
			kfree(elems[n++]);
		kfree(kmem_buckets_alloc(fbuckets, 200 + pool_churns % 3000, GFP_KERNEL));
	}
	return NULL;
}

/* Pop every object there is: how many (each seen once), pushed back after. */
static int fpool_count(void)
{
	void *seen[FPOOL_OBJS];
	int n = 0, i, j, dup = 0;

	while (n < FPOOL_OBJS && (seen[n] = objpool_pop(&fpool)))
		n++;
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			dup += seen[i] == seen[j];
	for (i = 0; i < n; i++)
		objpool_push(seen[i], &fpool);
	return dup ? -1 : n;
}

static void pools_fork(void *arg)
{
	void *elems[8] = { NULL };
	pthread_t tid;
	int i, status;

	(void)arg;
	boot_quiet("mem=256M");
	/*
	 * GFP_ATOMIC: kmalloc'ed rings.  vmalloc'ed ones are copied for the
	 * child while other threads run (mm/vmalloc_fork.c), so a ring can be
	 * torn there (docs/objpool.md).
	 */
	CHECK_EQ(objpool_init(&fpool, FPOOL_OBJS, 64, GFP_ATOMIC, NULL, NULL, NULL), 0);
	fgen = gen_pool_create(3, -1);
	fmempool = mempool_create_kmalloc_pool(16, 128);
	fbuckets = kmem_buckets_create("fork_buckets", 0, 0, 0, NULL);
	CHECK(fgen && fmempool && fbuckets);
	if (!fgen || !fmempool || !fbuckets)
		return;
	pthread_create(&tid, NULL, pool_churn_thread, NULL);
	for (i = 0; i < 100; i++) {
		pid_t pid;

		while (pool_churns < (unsigned long)i * 4)
			sched_yield();
		pid = fork();
		if (pid == 0) {
			int first = fpool_count(), bad = 0, k;
			unsigned long a;

			bad |= (first < FPOOL_OBJS - FPOOL_HELD) << 0;
			bad |= (fpool_count() != first) << 1;	/* what was pushed back is found */
			bad |= (gen_pool_add(fgen, (unsigned long)fgen_area[FPOOL_CHUNKS], 1024,
					     -1) != 0) << 2;
			a = gen_pool_alloc(fgen, 1000);
			bad |= !a << 3;
			if (a)
				gen_pool_free(fgen, a, 1000);
			bad |= (mempool_alloc_bulk(fmempool, elems, 8, 0) != 0) << 4;
			k = (int)mempool_free_bulk(fmempool, elems, 8);
			while (k < 8)
				kfree(elems[k++]);
			a = (unsigned long)kmem_buckets_alloc(fbuckets, 300, GFP_KERNEL);
			bad |= !a << 5;
			kfree((void *)a);
			bad |= (ukmem_slab_validate_all() != 0) << 6;
			if (bad)
				fprintf(stderr, "pools: %d objects found first, bad %#x\n", first, bad);
			syscall(SYS_exit_group, bad);
		}
		CHECK(pid > 0);
		CHECK(waitpid(pid, &status, 0) == pid);
		if (!ktest_exited_with(status, 0))
			fprintf(stderr, "pools: child %d status %#x\n", i, status);
		CHECK(ktest_exited_with(status, 0));
		ktest_progress();
	}
	stop_helper = 1;
	pthread_join(tid, NULL);
	stop_helper = 0;
	CHECK_EQ(fpool_count(), FPOOL_OBJS);
	objpool_fini(&fpool);
	mempool_destroy(fmempool);
	gen_pool_destroy(fgen);
}

static void test_pools_across_fork(void)
{
	CHECK(ktest_exited_with(ktest_child(pools_fork, NULL), 0));
}

#endif /* _FORK_NEWER_CALLS_H */
