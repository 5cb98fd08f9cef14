/* SPDX-License-Identifier: MIT */
/*
 * tests/fault_sweep.h - the calls tests/test_fault_sweep.c sweeps, first
 * part: slab, kmalloc, vmalloc, mempool, per-CPU, dma pools and devres,
 * genalloc, objpool/list_lru/shrinker, pages.  Each call is a pair: call()
 * makes it and says how it went, undo() gives back what it made.
 * Included once, by test_fault_sweep.c, after its snapshot helpers.
 */
#ifndef _TESTS_FAULT_SWEEP_H
#define _TESTS_FAULT_SWEEP_H

/* ------------------------------------------------------------------ */
/* The calls                                                           */

/*
 * call(): 0 when the call succeeded, 1 when it failed with the kernel's
 * failure value; anything else (a wrong value, a changed precondition) is
 * CHECKed inside.  undo(): give back what a successful call made.
 */
struct sweep_op {
	const char *name;
	void (*prep)(void);
	int (*call)(void);
	void (*undo)(void);
	void (*unprep)(void);
	bool keeps;		/* a success keeps memory for good (kmem_buckets) */
	bool debug;		/* also run under slub_debug=FZPU */
	bool warns;		/* the kernel WARNs when it fails (kmem_buckets_create) */
	bool strict;		/* the kernel has no fallback for its first allocation:
				 * failing it fails the call */
	long page_slack;	/* free pages that may differ (frees done by the RCU thread:
				 * a slab of 4 pages under slub_debug) */
};

static const char *cur_op;
static unsigned int cur_n;

#define OPCHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			ktest_failures++;				\
			fprintf(stderr, "%s, fail-nth %u: %s:%d: %s\n", cur_op, cur_n, \
				__FILE__, __LINE__, #cond);		\
		}							\
	} while (0)

/* NULL: the kernel's failure value for the pointer-returning calls. */
static int ptr_result(const void *p)
{
	OPCHECK(!IS_ERR(p));
	return p && !IS_ERR(p) ? 0 : 1;
}

static int err_result(int err)
{
	OPCHECK(err == 0 || err == -ENOMEM);
	return err ? 1 : 0;
}

/* ---- slab ---- */

static struct kmem_cache *op_cache;
static struct kmem_cache *work_cache;

static int call_cache_create(void)
{
	op_cache = kmem_cache_create("sweep_cache", 200, 0, SLAB_NO_MERGE, NULL);
	return ptr_result(op_cache);
}

static void undo_cache(void)
{
	kmem_cache_destroy(op_cache);
	op_cache = NULL;
}

#define FIRST_NR 5
static void *first_objs[FIRST_NR];

/*
 * A new cache and its first allocations: the per-CPU stacks and barns
 * are made on the first allocation (init_cache_sheaves), so their failure
 * paths belong to the first kmem_cache_alloc(), not to the create.
 */
static int call_cache_first_use(void)
{
	int i, j;

	op_cache = kmem_cache_create("sweep_first", 168, 0, SLAB_NO_MERGE, NULL);
	if (ptr_result(op_cache))
		return 1;
	for (i = 0; i < FIRST_NR; i++) {
		first_objs[i] = kmem_cache_alloc(op_cache, GFP_KERNEL);
		if (!first_objs[i]) {
			for (j = 0; j < i; j++)
				kmem_cache_free(op_cache, first_objs[j]);
			kmem_cache_destroy(op_cache);
			op_cache = NULL;
			return 1;
		}
	}
	return 0;
}

static void undo_cache_first_use(void)
{
	int i;

	for (i = 0; i < FIRST_NR; i++)
		kmem_cache_free(op_cache, first_objs[i]);
	undo_cache();
}

static void ctor_fill(void *p)
{
	memset(p, 0x5a, 48);
}

/* The v6.12 argument form, with a constructor, a usercopy window, a merge candidate. */
static int call_cache_create_args(void)
{
	struct kmem_cache_args args = {
		.align = 64, .useroffset = 8, .usersize = 16, .ctor = ctor_fill,
	};

	op_cache = kmem_cache_create("sweep_args", 48, &args, SLAB_HWCACHE_ALIGN);
	return ptr_result(op_cache);
}

static int call_cache_create_mergeable(void)
{
	op_cache = kmem_cache_create("sweep_merge", 72, 0, 0, NULL);
	return ptr_result(op_cache);
}

static void prep_work_cache(void)
{
	work_cache = kmem_cache_create("sweep_work", 256, 0, SLAB_NO_MERGE, NULL);
	CHECK(work_cache != NULL);
}

static void unprep_work_cache(void)
{
	kmem_cache_destroy(work_cache);
	work_cache = NULL;
}

#define BULK_NR	300
static void *bulk[BULK_NR];

static int call_alloc_bulk(void)
{
	int got = kmem_cache_alloc_bulk(work_cache, GFP_KERNEL, BULK_NR, bulk);
	int i;

	OPCHECK(got == 0 || got == BULK_NR);
	if (got)
		return 0;
	for (i = 0; i < BULK_NR; i++)
		bulk[i] = NULL;
	return 1;
}

static void undo_alloc_bulk(void)
{
	kmem_cache_free_bulk(work_cache, BULK_NR, bulk);
}

static struct slab_sheaf *sheaf;

static int call_prefill_sheaf(void)
{
	sheaf = kmem_cache_prefill_sheaf(work_cache, GFP_KERNEL, 40);
	return ptr_result(sheaf);
}

static void undo_sheaf(void)
{
	kmem_cache_return_sheaf(work_cache, GFP_KERNEL, sheaf);
	sheaf = NULL;
}

static kmem_buckets *buckets;

static int call_buckets_create(void)
{
	buckets = kmem_buckets_create("sweep_bkt", 0, 0, 0, NULL);
	return ptr_result(buckets);
}

static void undo_nothing(void)
{
}

/* ---- kmalloc and friends ---- */

static void *obj;
static char *str;

static int call_kstrdup(void)
{
	str = kstrdup("a string the sweep copies", GFP_KERNEL);
	return ptr_result(str);
}

static int call_kasprintf(void)
{
	str = kasprintf(GFP_KERNEL, "%s-%d-%0300d", "sweep", 42, 7);
	return ptr_result(str);
}

static int call_kmemdup(void)
{
	static const char src[5000] = "sweep";

	str = kmemdup(src, sizeof(src), GFP_KERNEL);
	return ptr_result(str);
}

static void undo_str(void)
{
	kfree(str);
	str = NULL;
}

static int call_kvmalloc(void)
{
	obj = kvmalloc(3 * PAGE_SIZE + 1, GFP_KERNEL);
	return ptr_result(obj);
}

static int call_kvmalloc_large(void)
{
	obj = kvmalloc(1UL << 20, GFP_KERNEL);
	return ptr_result(obj);
}

static void undo_kvfree(void)
{
	kvfree(obj);
	obj = NULL;
}

static void *old;

/* Resizes keep the old block and its bytes when they fail. */
static void prep_old_kmalloc(void)
{
	old = kmalloc(100, GFP_KERNEL);
	memset(old, 0x3c, 100);
}

static void unprep_old_kfree(void)
{
	kfree(old);
	old = NULL;
}

static bool prefix_is(const void *p, int c, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != c)
			return false;
	return true;
}

static void *newp;

static int call_krealloc(void)
{
	newp = krealloc(old, 3 * PAGE_SIZE, GFP_KERNEL);
	if (!newp) {
		OPCHECK(prefix_is(old, 0x3c, 100));
		return 1;
	}
	OPCHECK(prefix_is(newp, 0x3c, 100));
	old = newp;
	return 0;
}

/* Back to a fresh 100-byte block, so every N starts alike. */
static void undo_realloc_slab(void)
{
	kfree(old);
	prep_old_kmalloc();
}

static void prep_old_kv(void)
{
	old = kvmalloc(100, GFP_KERNEL);
	memset(old, 0x3c, 100);
}

static void unprep_old_kv(void)
{
	kvfree(old);
	old = NULL;
}

static int call_kvrealloc(void)
{
	newp = kvrealloc(old, 1UL << 20, GFP_KERNEL);
	if (!newp) {
		OPCHECK(prefix_is(old, 0x3c, 100));
		return 1;
	}
	OPCHECK(prefix_is(newp, 0x3c, 100));
	old = newp;
	return 0;
}

static void undo_realloc_kv(void)
{
	kvfree(old);
	prep_old_kv();
}

/* ---- vmalloc ---- */

static int call_vmalloc(void)
{
	obj = vmalloc(5 * PAGE_SIZE);
	return ptr_result(obj);
}

static int call_vzalloc_big(void)
{
	obj = vzalloc(600 * PAGE_SIZE);
	return ptr_result(obj);
}

static int call_vmalloc_node_range(void)
{
	obj = __vmalloc_node_range(9 * PAGE_SIZE, (512 * PAGE_SIZE), VMALLOC_START, VMALLOC_END,
				   GFP_KERNEL | __GFP_ZERO, PAGE_KERNEL, 0, NUMA_NO_NODE,
				   __builtin_return_address(0));
	return ptr_result(obj);
}

static int call_vmalloc_huge(void)
{
	obj = vmalloc_huge(2 * (512 * PAGE_SIZE), GFP_KERNEL);
	return ptr_result(obj);
}

static void undo_vfree(void)
{
	vfree(obj);
	obj = NULL;
}

static void prep_old_v(void)
{
	old = vmalloc(2 * PAGE_SIZE);
	memset(old, 0x3c, 100);
}

static void unprep_old_v(void)
{
	vfree(old);
	old = NULL;
}

static int call_vrealloc(void)
{
	newp = vrealloc(old, 40 * PAGE_SIZE, GFP_KERNEL);
	if (!newp) {
		OPCHECK(prefix_is(old, 0x3c, 100));
		return 1;
	}
	OPCHECK(prefix_is(newp, 0x3c, 100));
	old = newp;
	return 0;
}

static void undo_realloc_v(void)
{
	vfree(old);
	prep_old_v();
}

#define MAP_PAGES 24
static struct page *map_pages[MAP_PAGES];

static void prep_map_pages(void)
{
	int i;

	for (i = 0; i < MAP_PAGES; i++)
		map_pages[i] = alloc_page(GFP_KERNEL);
}

static void unprep_map_pages(void)
{
	int i;

	for (i = 0; i < MAP_PAGES; i++)
		__free_page(map_pages[i]);
}

static int call_vmap(void)
{
	obj = vmap(map_pages, MAP_PAGES, VM_MAP, PAGE_KERNEL);
	return ptr_result(obj);
}

static void undo_vunmap(void)
{
	vunmap(obj);
	obj = NULL;
}

static int call_vm_map_ram(void)
{
	obj = vm_map_ram(map_pages, MAP_PAGES, NUMA_NO_NODE);
	return ptr_result(obj);
}

static int call_vm_map_ram_small(void)
{
	obj = vm_map_ram(map_pages, 3, NUMA_NO_NODE);
	return ptr_result(obj);
}

static void undo_vm_unmap_ram(void)
{
	vm_unmap_ram(obj, MAP_PAGES);
	obj = NULL;
}

static void undo_vm_unmap_ram_small(void)
{
	vm_unmap_ram(obj, 3);
	obj = NULL;
}

/* ---- mempool ---- */

static mempool_t *pool;

static int call_mempool_create(void)
{
	pool = mempool_create_kmalloc_pool(16, 512);
	return ptr_result(pool);
}

static int call_mempool_create_pages(void)
{
	pool = mempool_create_page_pool(4, 2);
	return ptr_result(pool);
}

static void undo_mempool(void)
{
	mempool_destroy(pool);
	pool = NULL;
}

static void prep_pool(void)
{
	pool = mempool_create_kmalloc_pool(4, 256);
	CHECK(pool != NULL);
}

static void unprep_pool(void)
{
	mempool_destroy(pool);
	pool = NULL;
}

static int call_mempool_grow(void)
{
	int err = mempool_resize(pool, 64);

	if (err) {
		OPCHECK(pool->min_nr == 4 && pool->curr_nr == 4);
	} else {
		OPCHECK(pool->min_nr == 64);
	}
	return err_result(err);
}

static void undo_mempool_grow(void)
{
	OPCHECK(mempool_resize(pool, 4) == 0);
}

/* ---- per-CPU ---- */

#define NPCPU 256
static void __percpu *pcpu[NPCPU];
static int npcpu;

/*
 * Areas as large as they come until a chunk is made for them: past the
 * spare chunk the allocator keeps, the last one needs a chunk of its own.
 */
static int call_alloc_percpu(void)
{
	unsigned int chunks = ukmem_percpu_nr_chunks();
	int j;

	for (npcpu = 0; npcpu < NPCPU && ukmem_percpu_nr_chunks() <= chunks + 1; npcpu++) {
		pcpu[npcpu] = __alloc_percpu(PCPU_MIN_UNIT_SIZE, PAGE_SIZE);
		if (ptr_result(pcpu[npcpu])) {
			for (j = 0; j < npcpu; j++)
				free_percpu(pcpu[j]);
			npcpu = 0;
			return 1;
		}
	}
	OPCHECK(npcpu < NPCPU);
	return 0;
}

static void undo_percpu(void)
{
	int i;

	for (i = 0; i < npcpu; i++)
		free_percpu(pcpu[i]);
	npcpu = 0;
}

/* ---- devices: dma pools, devres ---- */

static struct device_driver sweep_drv = { .name = "sweepdrv" };
static u64 sweep_mask = DMA_BIT_MASK(64);
static struct device sweep_dev = { .init_name = "sweep0", .driver = &sweep_drv,
				   .dma_mask = &sweep_mask, .coherent_dma_mask = DMA_BIT_MASK(64) };

static struct dma_pool *dpool;

static int call_dma_pool_create(void)
{
	dpool = dma_pool_create("sweep_dma", &sweep_dev, 96, 32, 0);
	return ptr_result(dpool);
}

static void undo_dma_pool(void)
{
	dma_pool_destroy(dpool);
	dpool = NULL;
}

static void prep_dma_pool(void)
{
	CHECK(call_dma_pool_create() == 0);
}

static dma_addr_t dhandle;

static int call_dma_pool_alloc(void)
{
	obj = dma_pool_alloc(dpool, GFP_KERNEL, &dhandle);
	return ptr_result(obj);
}

static void undo_dma_pool_alloc(void)
{
	dma_pool_free(dpool, obj, dhandle);
	obj = NULL;
	/* The pool keeps its page: give it back so every N starts alike. */
	dma_pool_destroy(dpool);
	prep_dma_pool();
}

static int call_dmam_pool_create(void)
{
	dpool = dmam_pool_create("sweep_dmam", &sweep_dev, 64, 8, 0);
	return ptr_result(dpool);
}

static void undo_dmam_pool(void)
{
	dmam_pool_destroy(dpool);
	dpool = NULL;
}

static void *group;

/* A devres group with several managed allocations in it, all or nothing. */
static int call_devres_group(void)
{
	group = devres_open_group(&sweep_dev, NULL, GFP_KERNEL);
	if (ptr_result(group))
		return 1;
	if (!devm_kmalloc(&sweep_dev, 64, GFP_KERNEL) ||
	    !devm_kzalloc(&sweep_dev, 3 * PAGE_SIZE, GFP_KERNEL) ||
	    !devm_kstrdup(&sweep_dev, "sweep string", GFP_KERNEL) ||
	    !devm_kasprintf(&sweep_dev, GFP_KERNEL, "sweep-%d", 3) ||
	    !devm_get_free_pages(&sweep_dev, GFP_KERNEL, 2)) {
		OPCHECK(devres_release_group(&sweep_dev, group) >= 0);
		group = NULL;
		return 1;
	}
	devres_close_group(&sweep_dev, group);
	return 0;
}

static void undo_devres_group(void)
{
	OPCHECK(devres_release_group(&sweep_dev, group) > 0);
	group = NULL;
}

static int call_devm_krealloc(void)
{
	char *p = devm_kmalloc(&sweep_dev, 32, GFP_KERNEL), *q;

	if (!p)
		return 1;
	memset(p, 0x3c, 32);
	q = devm_krealloc(&sweep_dev, p, 5000, GFP_KERNEL);
	if (!q) {
		OPCHECK(prefix_is(p, 0x3c, 32));
		devm_kfree(&sweep_dev, p);
		return 1;
	}
	OPCHECK(prefix_is(q, 0x3c, 32));
	obj = q;
	return 0;
}

static void undo_devm_kfree(void)
{
	devm_kfree(&sweep_dev, obj);
	obj = NULL;
}

static void unprep_dev(void)
{
	devres_release_all(&sweep_dev);
}

/* ---- genalloc ---- */

static struct gen_pool *gpool;
static void *gmem;

static int call_gen_pool(void)
{
	int err;

	gpool = gen_pool_create(5, NUMA_NO_NODE);
	if (ptr_result(gpool))
		return 1;
	err = gen_pool_add(gpool, (unsigned long)gmem, 64 * PAGE_SIZE, NUMA_NO_NODE);
	if (!err)
		err = gen_pool_add(gpool, (unsigned long)gmem + 64 * PAGE_SIZE, 64 * PAGE_SIZE,
				   NUMA_NO_NODE);
	if (err_result(err)) {
		gen_pool_destroy(gpool);
		gpool = NULL;
		return 1;
	}
	return 0;
}

static void undo_gen_pool(void)
{
	gen_pool_destroy(gpool);
	gpool = NULL;
}

static void prep_gmem(void)
{
	gmem = vmalloc(128 * PAGE_SIZE);
}

static void unprep_gmem(void)
{
	vfree(gmem);
	gmem = NULL;
}

/* ---- objpool, list_lru, shrinker ---- */

static struct objpool_head opool;

static int call_objpool_init(void)
{
	int err = objpool_init(&opool, 300, 40, GFP_KERNEL, NULL, NULL, NULL);

	return err_result(err);
}

static void undo_objpool(void)
{
	objpool_fini(&opool);
}

static struct list_lru lru;

static int call_list_lru_init(void)
{
	return err_result(list_lru_init(&lru));
}

static void undo_list_lru(void)
{
	list_lru_destroy(&lru);
}

static struct shrinker *shrinker;

static unsigned long sweep_count(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	(void)sc;
	return 0;
}

static unsigned long sweep_scan(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	(void)sc;
	return SHRINK_STOP;
}

static int call_shrinker(void)
{
	shrinker = shrinker_alloc(0, "sweep-%s-%d", "shrinker", 1);
	if (ptr_result(shrinker))
		return 1;
	shrinker->count_objects = sweep_count;
	shrinker->scan_objects = sweep_scan;
	shrinker_register(shrinker);
	return 0;
}

static void undo_shrinker(void)
{
	shrinker_free(shrinker);
	shrinker = NULL;
}

/* ---- pages ---- */

static struct page *contig;

static int call_alloc_contig(void)
{
	contig = alloc_contig_pages(300, GFP_KERNEL, 0, NULL);
	return ptr_result(contig);
}

static void undo_contig(void)
{
	free_contig_range(page_to_pfn(contig), 300);
	contig = NULL;
}

#define PBULK	40
static struct page *pbulk[PBULK];
static unsigned long pbulk_n;

static int call_alloc_pages_bulk(void)
{
	unsigned long i;

	memset(pbulk, 0, sizeof(pbulk));
	pbulk_n = alloc_pages_bulk(GFP_KERNEL, PBULK, pbulk);
	OPCHECK(pbulk_n <= PBULK);
	for (i = 0; i < PBULK; i++)
		OPCHECK((pbulk[i] != NULL) == (i < pbulk_n));
	if (pbulk_n == PBULK)
		return 0;
	/* A short fill is the kernel's answer: the caller frees what it got. */
	for (i = 0; i < pbulk_n; i++)
		__free_page(pbulk[i]);
	return 1;
}

static void undo_pages_bulk(void)
{
	unsigned long i;

	for (i = 0; i < pbulk_n; i++)
		__free_page(pbulk[i]);
}

static struct page_frag_cache frag;

static int call_page_frag(void)
{
	page_frag_cache_init(&frag);
	obj = page_frag_alloc(&frag, 200, GFP_KERNEL);
	if (ptr_result(obj)) {
		page_frag_cache_drain(&frag);
		return 1;
	}
	return 0;
}

static void undo_page_frag(void)
{
	page_frag_free(obj);
	page_frag_cache_drain(&frag);
	obj = NULL;
}

static int call_alloc_pages_exact(void)
{
	obj = alloc_pages_exact(5 * PAGE_SIZE + 3, GFP_KERNEL);
	return ptr_result(obj);
}

static void undo_pages_exact(void)
{
	free_pages_exact(obj, 5 * PAGE_SIZE + 3);
	obj = NULL;
}

#endif /* _TESTS_FAULT_SWEEP_H */
