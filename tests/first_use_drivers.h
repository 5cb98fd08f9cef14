/* SPDX-License-Identifier: MIT */
/*
 * tests/first_use_drivers.h - test_first_use's entries for the drivers'
 * allocators and the newest calls (folios, vrealloc, devres, dma pools,
 * gen_pool, page_frag, kmem_buckets, contiguous ranges, sheaves, objpool,
 * mempool bulk, sparse areas, device pages, the kmalloc_obj family).
 * Included by tests/test_first_use.c after its cell helpers (use(),
 * check_zero(), booted(), racing, VSZ), which these entries call; the
 * table there lists them.
 */
#ifndef _FIRST_USE_DRIVERS_H
#define _FIRST_USE_DRIVERS_H

/* ---- the drivers' allocators, folios, vrealloc ---- */

static void e_vrealloc(int id)
{
	char *p = vrealloc(NULL, VSZ, GFP_KERNEL);

	use(p, VSZ, id);
	p = vrealloc(p, 3 * VSZ, GFP_KERNEL);		/* moves: the bytes follow */
	CHECK(p && p[VSZ - 1] == (char)((VSZ - 1) * 7 + id));
	use(p, 3 * VSZ, id);
	vfree(p);
}

static void e_kvmemdup(int id)
{
	static char src[VSZ];
	char *p = kvmemdup(src, sizeof(src), GFP_KERNEL);

	use(p, sizeof(src), id);
	kvfree(p);
}

static void e_folio_alloc(int id)
{
	struct folio *f = folio_alloc(GFP_KERNEL, 2);

	CHECK(f && folio_nr_pages(f) == 4);
	if (!f)
		return;
	use(folio_address(f), folio_size(f), id);
	folio_put(f);
}

static void e_devm_kmalloc(int id)
{
	struct device dev = { .init_name = "first" };

	use(devm_kzalloc(&dev, 300, GFP_KERNEL), 300, id);
	use(devm_kmalloc(&dev, VSZ, GFP_KERNEL), VSZ, id);
	CHECK_EQ(devres_release_all(&dev), 2);
}

static void e_dma_pool(int id)
{
	static u64 masks[RACERS];
	struct device dev = { .init_name = "first", .dma_mask = &masks[id],
			      .coherent_dma_mask = DMA_BIT_MASK(32) };
	struct dma_pool *pool = dma_pool_create("first", &dev, 96, 32, 0);
	dma_addr_t dma;
	void *p;

	CHECK(pool != NULL);
	if (!pool)
		return;
	p = dma_pool_alloc(pool, GFP_KERNEL, &dma);
	use(p, 96, id);
	CHECK(p && dma == virt_to_phys(p));
	dma_pool_free(pool, p, dma);
	dma_pool_destroy(pool);
}

static void e_gen_pool(int id)
{
	static char areas[RACERS][4096] __aligned(64);
	struct gen_pool *pool = gen_pool_create(3, -1);
	unsigned long a;

	CHECK(pool != NULL);
	if (!pool)
		return;
	CHECK_EQ(gen_pool_add(pool, (unsigned long)areas[id], sizeof(areas[id]), -1), 0);
	a = gen_pool_alloc(pool, 100);
	CHECK_EQ(a, (unsigned long)areas[id]);
	use((void *)a, 100, id);
	gen_pool_free(pool, a, 100);
	gen_pool_destroy(pool);
}

static void e_page_frag(int id)
{
	struct page_frag_cache nc = { 0 };
	void *p = page_frag_alloc(&nc, 200, GFP_KERNEL);

	use(p, 200, id);
	if (p)
		page_frag_free(p);
	page_frag_cache_drain(&nc);
}

static void e_kmem_buckets(int id)
{
	kmem_buckets *b = kmem_buckets_create("first", 0, 0, 0, NULL);
	void *p = b ? kmem_buckets_alloc(b, 100, GFP_KERNEL) : NULL;

	use(p, 100, id);
	kfree(p);
}

/*
 * lib/test_vmalloc.c's no_block_alloc_test as the first vmalloc: with
 * preemption off, GFP_ATOMIC or GFP_NOWAIT, racing or not: no warning,
 * no failure.
 */
static void e_vmalloc_atomic(int id)
{
	void *p;

	preempt_disable();
	p = __vmalloc(3 * PAGE_SIZE, (id & 1) ? GFP_NOWAIT : GFP_ATOMIC);
	preempt_enable();
	use(p, 3 * PAGE_SIZE, id);
	vfree(p);
}

static void e_contig_pages(int id)
{
	struct page *page = alloc_contig_pages(3, GFP_KERNEL, NUMA_NO_NODE, NULL);

	use(page ? page_address(page) : NULL, 3 * PAGE_SIZE, id);
	if (page)
		free_contig_range(page_to_pfn(page), 3);
}

static void e_memdup_user(int id)
{
	static const char src[100] = "user";
	char *p = memdup_user(src, sizeof(src));

	CHECK(!IS_ERR(p) && !strcmp(p, "user"));
	if (IS_ERR(p))
		return;
	use(p, sizeof(src), id);
	kfree(p);
}

/* May fail while another thread holds a lock it needs (the boot's): only alone must it work. */
static void e_kmalloc_nolock(int id)
{
	void *p = kmalloc_nolock(100, __GFP_ZERO, NUMA_NO_NODE);

	if (p || !racing)
		use(p, 100, id);
	kfree_nolock(p);
}

static void e_prefill_sheaf(int id)
{
	struct kmem_cache *s = kmem_cache_create("first_sheaf", 48, 0, 0, NULL);
	struct slab_sheaf *sheaf = s ? kmem_cache_prefill_sheaf(s, GFP_KERNEL, 4) : NULL;
	void *p = sheaf ? kmem_cache_alloc_from_sheaf(s, GFP_KERNEL, sheaf) : NULL;

	use(p, 48, id);
	if (p)
		kmem_cache_free(s, p);
	if (sheaf)
		kmem_cache_return_sheaf(s, GFP_KERNEL, sheaf);
	kmem_cache_destroy(s);
}

/* ---- the newest calls: pools, sparse areas, device pages, typed kmalloc ---- */

static void e_objpool(int id)
{
	struct objpool_head pool;
	void *obj[3];
	int i;

	/* GFP_KERNEL: vmalloc'ed rings; GFP_ATOMIC (odd ids): kmalloc'ed ones. */
	CHECK_EQ(objpool_init(&pool, 6, 40, (id & 1) ? GFP_ATOMIC : GFP_KERNEL, NULL, NULL,
			      NULL), 0);
	if (!pool.cpu_slots)
		return;
	for (i = 0; i < 3; i++) {
		obj[i] = objpool_pop(&pool);
		use(obj[i], 40, id);
	}
	for (i = 0; i < 3; i++)
		if (obj[i])
			CHECK_EQ(objpool_push(obj[i], &pool), 0);
	objpool_fini(&pool);
}

static void e_mempool_alloc_bulk(int id)
{
	mempool_t *pool = mempool_create_kmalloc_pool(4, 300);
	void *e[4] = { NULL };
	unsigned int i, kept;

	CHECK(pool != NULL);
	if (!pool)
		return;
	CHECK_EQ(mempool_alloc_bulk(pool, e, 4, 0), 0);
	for (i = 0; i < 4; i++)
		use(e[i], 300, id);
	kept = mempool_free_bulk(pool, e, 4);
	CHECK(kept <= 4);
	for (i = kept; i < 4; i++)
		kfree(e[i]);
	mempool_destroy(pool);
}

static void e_vmap_pfn(int id)
{
	phys_addr_t phys = (1ULL << 46) + 0x10000000 + (phys_addr_t)id * 0x100000;
	unsigned long pfns[2] = { PHYS_PFN(phys) + 2, PHYS_PFN(phys) };
	FILE *f = tmpfile();
	char *v;

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(ftruncate(fileno(f), 4 * PAGE_SIZE) == 0);
	CHECK_EQ(ukmem_register_device_region(phys, 4 * PAGE_SIZE, fileno(f), 0, "first_pfn"), 0);
	v = vmap_pfn(pfns, 2, PAGE_KERNEL);
	use(v, 2 * PAGE_SIZE, id);
	if (v) {
		char c = 0;

		/* The first page is the region's third: the file's bytes there. */
		CHECK(pread(fileno(f), &c, 1, 2 * PAGE_SIZE + 5) == 1);
		CHECK_EQ(c, v[5]);
		vunmap(v);
	}
	CHECK_EQ(ukmem_unregister_device_region(phys), 0);
	fclose(f);
}

static void e_vm_area_map_pages(int id)
{
	struct vm_struct *area = get_vm_area(4 * PAGE_SIZE, VM_SPARSE);
	struct page *pages[2] = { NULL };
	unsigned long start;

	CHECK(area != NULL);
	if (!area)
		return;
	start = (unsigned long)area->addr + PAGE_SIZE;
	CHECK_EQ(alloc_pages_bulk(GFP_KERNEL, 2, pages), 2);
	if (pages[0] && pages[1]) {
		CHECK_EQ(vm_area_map_pages(area, start, start + 2 * PAGE_SIZE, pages), 0);
		use((void *)start, 2 * PAGE_SIZE, id);
		CHECK(vmalloc_to_page((void *)(start + PAGE_SIZE)) == pages[1]);
		vm_area_unmap_pages(area, start, start + 2 * PAGE_SIZE);
	}
	free_vm_area(area);
	if (pages[0])
		__free_page(pages[0]);
	if (pages[1])
		__free_page(pages[1]);
}

/*
 * A range chosen before anything is known of the machine: 8 MiB up, inside
 * mem=16M, one zone on every layout, and far from what the boot takes.
 */
static void e_contig_range(int id)
{
	unsigned long pfn = PHYS_PFN(8UL << 20) + (unsigned long)id * 16;
	int rc = alloc_contig_range(pfn, pfn + 8, ACR_FLAGS_NONE, GFP_KERNEL);

	CHECK_EQ(rc, 0);
	if (rc)
		return;
	use(pfn_to_virt(pfn), 8 * PAGE_SIZE, id);
	free_contig_range(pfn, 8);
}

static void e_dma_alloc_pages(int id)
{
	static u64 masks[RACERS];
	struct device dev = { .init_name = "first", .dma_mask = &masks[id] };
	struct page *page;
	dma_addr_t dma = 0;

	masks[id] = DMA_BIT_MASK(32);
	dev.coherent_dma_mask = DMA_BIT_MASK(32);
	page = dma_alloc_pages(&dev, 3 * PAGE_SIZE, &dma, DMA_BIDIRECTIONAL, GFP_KERNEL);
	CHECK(page != NULL);
	if (!page)
		return;
	check_zero(page_address(page), 3 * PAGE_SIZE);
	use(page_address(page), 3 * PAGE_SIZE, id);
	CHECK(dma + 3 * PAGE_SIZE - 1 <= DMA_BIT_MASK(32));
	dma_free_pages(&dev, 3 * PAGE_SIZE, page, dma, DMA_BIDIRECTIONAL);
}

static void e_dma_alloc_noncoherent(int id)
{
	static u64 masks[RACERS];
	struct device dev = { .init_name = "first", .dma_mask = &masks[id] };
	dma_addr_t dma = 0;
	void *p;

	masks[id] = DMA_BIT_MASK(24);
	dev.coherent_dma_mask = DMA_BIT_MASK(24);
	p = dma_alloc_noncoherent(&dev, 300, &dma, DMA_TO_DEVICE, GFP_KERNEL);
	use(p, 300, id);
	if (!p)
		return;
	CHECK(dma + 300 <= DMA_BIT_MASK(24));
	dma_free_noncoherent(&dev, 300, p, dma, DMA_TO_DEVICE);
}

struct first_flex {
	int n;
	u64 v[] __counted_by(n);
};

static void e_kmalloc_obj(int id)
{
	struct first_flex *f = kzalloc_flex(*f, v, 20);
	u32 *a = kmalloc_objs(*a, 50, GFP_ATOMIC);
	long *l = kzalloc_obj(*l);

	CHECK(f != NULL);
	if (f) {
		f->n = 20;	/* kzalloc_flex() sets it only where the compiler names the counter */
		check_zero(f->v, sizeof(f->v[0]) * 20);
		use(f->v, sizeof(f->v[0]) * 20, id);
	}
	use(a, 50 * sizeof(*a), id);
	CHECK(l && *l == 0);
	kfree(f);
	kfree(a);
	kfree(l);
}

static void e_memremap(int id)
{
	phys_addr_t phys = 64 * PAGE_SIZE;	/* low RAM on every layout here */
	void *p = memremap(phys, PAGE_SIZE, MEMREMAP_WB);

	(void)id;
	CHECK(p == phys_to_virt(phys));
	memunmap(p);
}

#endif /* _FIRST_USE_DRIVERS_H */
