/* SPDX-License-Identifier: MIT */
/*
 * tests/fault_sweep_more.h - the calls tests/test_fault_sweep.c sweeps,
 * second part: the memdup_user family and more kmalloc/vmalloc forms,
 * resizes, vm areas, mempool allocation, coherent DMA, devres actions,
 * kvfree_rcu, device memory (ioremap, memremap), reports, buckets.
 * Included once, by test_fault_sweep.c, after tests/fault_sweep.h.
 */
#ifndef _TESTS_FAULT_SWEEP_MORE_H
#define _TESTS_FAULT_SWEEP_MORE_H

/* ---- more forms: each a call the kernel builds out of several allocations ---- */

/*
 * The memdup_user() family's failure values: ERR_PTR(-ENOMEM) when the
 * allocation failed, ERR_PTR(-EFAULT) when the copy did (fail_usercopy
 * answers fail-nth too, as every attribute does in the kernel).
 */
static int errptr_result(const void *p)
{
	OPCHECK(p != NULL);
	if (!IS_ERR(p))
		return 0;
	OPCHECK(PTR_ERR(p) == -ENOMEM || PTR_ERR(p) == -EFAULT);
	return 1;
}

/* Never fails: the kernel keeps trying (__GFP_NOFAIL) or has a reserve. */
static int must_succeed(const void *p)
{
	OPCHECK(p && !IS_ERR(p));
	return p && !IS_ERR(p) ? 0 : 1;
}

static char user_buf[6 * 4096];

static int call_memdup_user(void)
{
	obj = memdup_user((const void __user *)user_buf, sizeof(user_buf));
	if (errptr_result(obj)) {
		obj = NULL;
		return 1;
	}
	return 0;
}

static void undo_kfree_obj(void)
{
	kfree(obj);
	obj = NULL;
}

static int call_vmemdup_user(void)
{
	obj = vmemdup_user((const void __user *)user_buf, sizeof(user_buf));
	if (errptr_result(obj)) {
		obj = NULL;
		return 1;
	}
	return 0;
}

static int call_strndup_user(void)
{
	memset(user_buf, 'x', 3000);
	user_buf[3000] = 0;
	obj = strndup_user((const char __user *)user_buf, sizeof(user_buf));
	if (errptr_result(obj)) {
		obj = NULL;
		return 1;
	}
	return 0;
}

static int call_kvmemdup(void)
{
	obj = kvmemdup(user_buf, 5 * PAGE_SIZE, GFP_KERNEL);
	return ptr_result(obj);
}

static int call_kstrndup(void)
{
	str = kstrndup("a string the sweep copies, cut", 20, GFP_KERNEL);
	return ptr_result(str);
}

static int call_kmemdup_nul(void)
{
	str = kmemdup_nul("abcdefgh", 5, GFP_KERNEL);
	return ptr_result(str);
}

static int call_kmalloc_large(void)
{
	obj = kmalloc(5 * PAGE_SIZE, GFP_KERNEL);
	return ptr_result(obj);
}

static int call_kcalloc(void)
{
	obj = kcalloc(100, 48, GFP_KERNEL);
	return ptr_result(obj);
}

static int call_kvcalloc(void)
{
	obj = kvcalloc(4096, 64, GFP_KERNEL);
	return ptr_result(obj);
}

static int call_vmalloc_user(void)
{
	obj = vmalloc_user(7 * PAGE_SIZE);
	return ptr_result(obj);
}

static int call_vmalloc_32(void)
{
	obj = vmalloc_32(7 * PAGE_SIZE);
	return ptr_result(obj);
}

static int call_vcalloc(void)
{
	obj = vcalloc(3000, 8);
	return ptr_result(obj);
}

static int call_vmalloc_nofail(void)
{
	obj = __vmalloc(20 * PAGE_SIZE, GFP_KERNEL | __GFP_NOFAIL);
	return must_succeed(obj);
}

static int call_kvmalloc_nofail(void)
{
	obj = kvmalloc(20 * PAGE_SIZE, GFP_KERNEL | __GFP_NOFAIL);
	return must_succeed(obj);
}

static int call_kmalloc_nofail(void)
{
	obj = kmalloc(3 * PAGE_SIZE, GFP_KERNEL | __GFP_NOFAIL);
	return must_succeed(obj);
}

static void prep_old_v_small(void)
{
	old = vmalloc(40 * PAGE_SIZE);
	memset(old, 0x3c, 100);
}

static int call_vrealloc_shrink(void)
{
	newp = vrealloc(old, 3 * PAGE_SIZE, GFP_KERNEL);
	if (!newp) {
		OPCHECK(prefix_is(old, 0x3c, 100));
		return 1;
	}
	OPCHECK(prefix_is(newp, 0x3c, 100));
	old = newp;
	return 0;
}

static void undo_realloc_v_small(void)
{
	vfree(old);
	prep_old_v_small();
}

static void prep_old_kv_big(void)
{
	old = kvmalloc(64 * PAGE_SIZE, GFP_KERNEL);
	memset(old, 0x3c, 100);
}

static int call_kvrealloc_v(void)
{
	newp = kvrealloc(old, 200 * PAGE_SIZE, GFP_KERNEL);
	if (!newp) {
		OPCHECK(prefix_is(old, 0x3c, 100));
		return 1;
	}
	OPCHECK(prefix_is(newp, 0x3c, 100));
	old = newp;
	return 0;
}

static void undo_realloc_kv_big(void)
{
	kvfree(old);
	prep_old_kv_big();
}

static int call_krealloc_zero(void)
{
	newp = krealloc(old, 700, GFP_KERNEL | __GFP_ZERO);
	if (!newp) {
		OPCHECK(prefix_is(old, 0x3c, 100));
		return 1;
	}
	OPCHECK(prefix_is(newp, 0x3c, 100));
	old = newp;
	return 0;
}

static struct vm_struct *area;

static int call_get_vm_area(void)
{
	area = get_vm_area(16 * PAGE_SIZE, VM_IOREMAP);
	return ptr_result(area);
}

static void undo_free_vm_area(void)
{
	free_vm_area(area);
	area = NULL;
}

static int call_vm_area_map_pages(void)
{
	int err;

	area = get_vm_area(MAP_PAGES * PAGE_SIZE, VM_SPARSE);
	if (ptr_result(area))
		return 1;
	err = vm_area_map_pages(area, (unsigned long)area->addr,
				(unsigned long)area->addr + MAP_PAGES * PAGE_SIZE, map_pages);
	if (err_result(err)) {
		free_vm_area(area);
		area = NULL;
		return 1;
	}
	return 0;
}

static void undo_vm_area_map_pages(void)
{
	vm_area_unmap_pages(area, (unsigned long)area->addr,
			    (unsigned long)area->addr + MAP_PAGES * PAGE_SIZE);
	undo_free_vm_area();
}

#define SWEEP_DEV_PHYS	0x100000000ULL	/* 4 GiB: above mem=256M */
static unsigned long pfns[8];
static int devfd = -1;

/* vmap_pfn() maps device frames only: a memfd registered as a device region. */
static void prep_pfns(void)
{
	int i;

	devfd = memfd_create("sweepdev", 0);
	CHECK(devfd >= 0 && ftruncate(devfd, 8 * PAGE_SIZE) == 0);
	CHECK_EQ(ukmem_register_device_region(SWEEP_DEV_PHYS, 8 * PAGE_SIZE, devfd, 0, "sweepdev"), 0);
	for (i = 0; i < 8; i++)
		pfns[i] = (unsigned long)(SWEEP_DEV_PHYS >> PAGE_SHIFT) + (unsigned long)(7 - i);
}

static void unprep_pfns_dev(void);

static void unprep_pfns(void)
{
	CHECK_EQ(ukmem_unregister_device_region(SWEEP_DEV_PHYS), 0);
	close(devfd);
	devfd = -1;
}

static int call_vmap_pfn(void)
{
	obj = vmap_pfn(pfns, 8, PAGE_KERNEL);
	return ptr_result(obj);
}

static int call_mempool_slab(void)
{
	pool = mempool_create_slab_pool(8, work_cache);
	return ptr_result(pool);
}

static int call_mempool_kvmalloc(void)
{
	pool = mempool_create_kvmalloc_pool(3, 5 * PAGE_SIZE);
	return ptr_result(pool);
}

static void *pelems[4];

/* With a full reserve, GFP_KERNEL never fails: the reserve answers. */
static int call_mempool_alloc(void)
{
	int i;

	for (i = 0; i < 4; i++) {
		pelems[i] = mempool_alloc(pool, GFP_KERNEL);
		if (must_succeed(pelems[i]))
			return 1;
	}
	return 0;
}

static void undo_mempool_alloc(void)
{
	int i;

	for (i = 0; i < 4; i++)
		if (pelems[i])
			mempool_free(pelems[i], pool);
}

static int call_mempool_alloc_bulk(void)
{
	memset(pelems, 0, sizeof(pelems));
	OPCHECK(mempool_alloc_bulk(pool, pelems, 4) == 0);
	return must_succeed(pelems[3]);
}

/* mempool_free_bulk() refills the reserve from the front; the caller frees the rest. */
static void undo_mempool_alloc_bulk(void)
{
	unsigned int i = mempool_free_bulk(pool, pelems, 4);

	for (; i < 4; i++)
		kfree(pelems[i]);
}

static dma_addr_t coh_handle;

static int call_dma_alloc_coherent(void)
{
	obj = dma_alloc_coherent(&sweep_dev, 5 * PAGE_SIZE, &coh_handle, GFP_KERNEL);
	return ptr_result(obj);
}

static void undo_dma_free_coherent(void)
{
	dma_free_coherent(&sweep_dev, 5 * PAGE_SIZE, obj, coh_handle);
	obj = NULL;
}

static int call_dmam_alloc_coherent(void)
{
	obj = dmam_alloc_coherent(&sweep_dev, 3 * PAGE_SIZE, &coh_handle, GFP_KERNEL);
	return ptr_result(obj);
}

static void undo_dmam_free_coherent(void)
{
	dmam_free_coherent(&sweep_dev, 3 * PAGE_SIZE, obj, coh_handle);
	obj = NULL;
}

static int action_runs;

static void sweep_action(void *data)
{
	(void)data;
	action_runs++;
}

/* devm_add_action_or_reset(): when it cannot add, it runs the action. */
static int call_devm_add_action_or_reset(void)
{
	int before = action_runs, err = devm_add_action_or_reset(&sweep_dev, sweep_action, NULL);

	if (err) {
		OPCHECK(err == -ENOMEM);
		OPCHECK(action_runs == before + 1);
		return 1;
	}
	OPCHECK(action_runs == before);
	return 0;
}

static void undo_devm_action(void)
{
	devm_release_action(&sweep_dev, sweep_action, NULL);
}

static int call_devm_kmemdup(void)
{
	obj = devm_kmemdup(&sweep_dev, user_buf, 3 * PAGE_SIZE, GFP_KERNEL);
	return ptr_result(obj);
}

static struct gen_pool *dgpool;

static int call_devm_gen_pool(void)
{
	dgpool = devm_gen_pool_create(&sweep_dev, 4, NUMA_NO_NODE, "sweep_gp");
	if (IS_ERR(dgpool)) {
		OPCHECK(PTR_ERR(dgpool) == -ENOMEM);
		return 1;
	}
	OPCHECK(dgpool != NULL);
	return 0;
}

static void undo_devres_all(void)
{
	devres_release_all(&sweep_dev);
}

static int obj_inits;

static int sweep_objinit(void *o, void *ctx)
{
	(void)ctx;
	memset(o, 0x11, 8);
	obj_inits++;
	return 0;
}

static int call_objpool_init_cb(void)
{
	int err = objpool_init(&opool, 1000, 200, GFP_KERNEL, NULL, sweep_objinit, NULL);

	return err_result(err);
}

static struct list_lru mlru;
static struct shrinker *lru_shrinker;

static int call_list_lru_memcg(void)
{
	int err;

	lru_shrinker = shrinker_alloc(SHRINKER_MEMCG_AWARE | SHRINKER_NUMA_AWARE, "sweep-lru");
	if (ptr_result(lru_shrinker))
		return 1;
	err = list_lru_init_memcg(&mlru, lru_shrinker);
	if (err_result(err)) {
		shrinker_free(lru_shrinker);
		lru_shrinker = NULL;
		return 1;
	}
	lru_shrinker->count_objects = sweep_count;
	lru_shrinker->scan_objects = sweep_scan;
	shrinker_register(lru_shrinker);
	return 0;
}

static void undo_list_lru_memcg(void)
{
	shrinker_free(lru_shrinker);
	list_lru_destroy(&mlru);
	lru_shrinker = NULL;
}

static int call_folio_alloc(void)
{
	struct folio *f = folio_alloc(GFP_KERNEL, 3);

	obj = f;
	return ptr_result(f);
}

static void undo_folio(void)
{
	folio_put(obj);
	obj = NULL;
}

static unsigned long gfp_pages;

static int call_get_free_pages(void)
{
	gfp_pages = __get_free_pages(GFP_KERNEL | __GFP_ZERO, 2);
	return gfp_pages ? 0 : 1;
}

static void undo_free_pages(void)
{
	free_pages(gfp_pages, 2);
}

static struct rcu_head_obj {
	struct rcu_head rcu;
	char pad[200];
} *robj[40];

/* kvfree_rcu() batches: its page of pointers may fail; the object is freed all the same. */
static void prep_robj(void)
{
	int i;

	for (i = 0; i < 40; i++)
		robj[i] = kmalloc(sizeof(*robj[i]), GFP_KERNEL);
}

static int call_kvfree_rcu(void)
{
	int i;

	for (i = 0; i < 40; i++) {
		kvfree_rcu(robj[i], rcu);
		robj[i] = NULL;
	}
	for (i = 0; i < 20; i++) {
		void *p = kmalloc(300, GFP_KERNEL);

		if (p)
			kvfree_rcu_mightsleep(p);
	}
	return 0;
}

static void undo_kvfree_rcu(void)
{
	prep_robj();
}

static void unprep_robj(void)
{
	int i;

	for (i = 0; i < 40; i++)
		kfree(robj[i]);
}


/* ---- device memory, reports, and a few more forms ---- */

static void __iomem *iomem;

static int call_ioremap(void)
{
	iomem = ioremap(SWEEP_DEV_PHYS + PAGE_SIZE, 3 * PAGE_SIZE);
	return ptr_result((void *)iomem);
}

static void undo_iounmap(void)
{
	iounmap(iomem);
	iomem = NULL;
}

static int call_memremap(void)
{
	obj = memremap(SWEEP_DEV_PHYS, 2 * PAGE_SIZE, MEMREMAP_WB);
	return ptr_result(obj);
}

static void undo_memunmap(void)
{
	memunmap(obj);
	obj = NULL;
}

static int call_devm_ioremap(void)
{
	iomem = devm_ioremap(&sweep_dev, SWEEP_DEV_PHYS, 4 * PAGE_SIZE);
	return ptr_result((void *)iomem);
}

static void undo_devm_iounmap(void)
{
	devm_iounmap(&sweep_dev, iomem);
	iomem = NULL;
}

static int call_register_region(void)
{
	int err = ukmem_register_device_region(SWEEP_DEV_PHYS + 64 * PAGE_SIZE, 8 * PAGE_SIZE,
					       devfd, 0, "sweepdev2");

	OPCHECK(err == 0 || err == -ENOMEM);
	return err ? 1 : 0;
}

static void undo_register_region(void)
{
	OPCHECK(ukmem_unregister_device_region(SWEEP_DEV_PHYS + 64 * PAGE_SIZE) == 0);
}

static int show_all(void)
{
	const char * const *name;
	FILE *f = fopen("/dev/null", "w");
	int bad = 0;

	for (name = ukmem_report_names(); *name; name++) {
		int err = ukmem_show(*name, f);

		OPCHECK(err == 0 || err == -ENOMEM);
		bad |= err != 0;
	}
	fclose(f);
	return bad;
}

static int call_show_reports(void)
{
	return show_all();
}

static kmem_buckets *bkt;

static void prep_buckets(void)
{
	bkt = kmem_buckets_create("sweep_b2", 0, 0, 0, NULL);
	CHECK(bkt != NULL);
}

static int call_buckets_alloc(void)
{
	obj = kmem_buckets_alloc(bkt, 700, GFP_KERNEL);
	return ptr_result(obj);
}

static int call_buckets_valloc(void)
{
	obj = kmem_buckets_valloc(bkt, 3 * PAGE_SIZE, GFP_KERNEL);
	return ptr_result(obj);
}

static int call_kasprintf_long(void)
{
	str = kasprintf(GFP_KERNEL, "%0*d", 3 * (int)PAGE_SIZE, 5);
	return ptr_result(str);
}

static int call_cache_create_rcu(void)
{
	op_cache = kmem_cache_create("sweep_rcu", 120, 0, SLAB_TYPESAFE_BY_RCU, ctor_fill);
	return ptr_result(op_cache);
}

static int call_cache_usercopy(void)
{
	op_cache = kmem_cache_create_usercopy("sweep_uc", 300, 0, SLAB_NO_MERGE, 16, 64, NULL);
	return ptr_result(op_cache);
}

static int call_page_frag_big(void)
{
	page_frag_cache_init(&frag);
	obj = page_frag_alloc(&frag, 3 * PAGE_SIZE, GFP_KERNEL);
	if (ptr_result(obj)) {
		page_frag_cache_drain(&frag);
		return 1;
	}
	return 0;
}

static int call_vmalloc_node(void)
{
	obj = vzalloc_node(11 * PAGE_SIZE, 0);
	return ptr_result(obj);
}

static int call_kvmalloc_node_align(void)
{
	obj = kvmalloc_node_align(9 * PAGE_SIZE, 4 * PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE);
	return ptr_result(obj);
}

static int call_pages_exact_nid(void)
{
	obj = alloc_pages_exact_nid(0, 7 * PAGE_SIZE, GFP_KERNEL);
	return ptr_result(obj);
}

static void undo_pages_exact7(void)
{
	free_pages_exact(obj, 7 * PAGE_SIZE);
	obj = NULL;
}

static mempool_t ipool;

static int call_mempool_init(void)
{
	int err = mempool_init_kmalloc_pool(&ipool, 12, 1000);

	OPCHECK(err == 0 || err == -ENOMEM);
	if (err)
		OPCHECK(!mempool_initialized(&ipool));
	return err ? 1 : 0;
}

static void undo_mempool_init(void)
{
	mempool_exit(&ipool);
}

static int call_percpu_atomic(void)
{
	pcpu[0] = __alloc_percpu_gfp(64, 8, GFP_ATOMIC | __GFP_NOWARN);
	return ptr_result(pcpu[0]);
}

static void undo_percpu_one(void)
{
	free_percpu(pcpu[0]);
	pcpu[0] = NULL;
}

static int call_dma_pool_zalloc(void)
{
	obj = dma_pool_zalloc(dpool, GFP_KERNEL, &dhandle);
	return ptr_result(obj);
}

static int call_kmalloc_nolock(void)
{
	obj = kmalloc_nolock(200, 0, NUMA_NO_NODE);
	return ptr_result(obj);
}

static void undo_kfree_nolock(void)
{
	kfree_nolock(obj);
	obj = NULL;
}

static void unprep_pfns_dev(void)
{
	devres_release_all(&sweep_dev);
	unprep_pfns();
}

#endif /* _TESTS_FAULT_SWEEP_MORE_H */
