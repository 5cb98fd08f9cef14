/* SPDX-License-Identifier: MIT */
/*
 * tests/first_use_services.h - test_first_use's entries for the per-CPU
 * allocator, the stack depot and shrinkers, the counters, resources,
 * hash tables and batches, and memblock's queries.  Included by
 * tests/test_first_use.c after its cell helpers (use(), check_zero(),
 * booted(), racing, VSZ), which these entries call; the table there lists
 * them.
 */
#ifndef _FIRST_USE_SERVICES_H
#define _FIRST_USE_SERVICES_H

/* ---- percpu ---- */

static DEFINE_PER_CPU(long, first_use_counter);
static DEFINE_PER_CPU(int, first_use_init) = 42;

static void e_alloc_percpu(int id)
{
	int __percpu *p = alloc_percpu(int);
	int cpu;

	CHECK(p != NULL);
	if (!p)
		return;
	for_each_possible_cpu(cpu) {
		CHECK_EQ(*per_cpu_ptr(p, cpu), 0);
		*per_cpu_ptr(p, cpu) = cpu + id;
	}
	for_each_possible_cpu(cpu)
		CHECK_EQ(*per_cpu_ptr(p, cpu), cpu + id);
	free_percpu(p);
}

static void e___alloc_percpu(int id)
{
	void __percpu *p = __alloc_percpu(64, 64);
	void __percpu *q = __alloc_percpu_gfp(32, 8, GFP_NOWAIT);
	int cpu;

	CHECK(p != NULL);
	CHECK(q != NULL);
	if (p)
		for_each_possible_cpu(cpu)
			use(per_cpu_ptr(p, cpu), 64, id);
	free_percpu(p);
	free_percpu(q);
}

static void e_static_percpu(int id)
{
	long sum = 0;
	int cpu;

	(void)id;
	this_cpu_inc(first_use_counter);
	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(first_use_counter, cpu));	/* other racers add */
	CHECK(sum >= 1 && sum <= RACERS);
	CHECK_EQ(per_cpu(first_use_init, nr_cpu_ids - 1), 42);
}

static void e_get_cpu(int id)
{
	int cpu = get_cpu();
	long *mine;

	(void)id;
	CHECK(cpu >= 0 && (unsigned int)cpu < nr_cpu_ids);
	mine = this_cpu_ptr(&first_use_counter);
	CHECK(mine == per_cpu_ptr(&first_use_counter, cpu));
	(*mine)++;
	put_cpu();
}

/* numa=fake=2 deals the CPUs to the two nodes: the last CPU is node 1's. */
static void e_cpu_to_node(int id)
{
	const char *cmdline = getenv("UKMEM_CMDLINE");
	long last = sysconf(_SC_NPROCESSORS_CONF) - 1;
	int node;

	(void)id;
	if (last < 1 || last >= NR_CPUS)
		return;
	node = cpu_to_node((int)last);
	CHECK_EQ(node, strstr(cmdline, "numa=fake=2") ? 1 : 0);
	CHECK_EQ(cpu_to_node(0), 0);
}

static void e_percpu_queries(int id)
{
	CHECK(ukmem_percpu_unit_size() >= PCPU_MIN_UNIT_SIZE);
	CHECK(ukmem_percpu_nr_chunks() >= 1);
	e_alloc_percpu(id);
}

/* pcpu_nr_pages() as the first call: the first chunk's pages, not 0 (it read before the boot). */
static void e_pcpu_nr_pages(int id)
{
	CHECK(pcpu_nr_pages() > 0);
	e_alloc_percpu(id);
}

static void e_free_percpu_null(int id)
{
	free_percpu(NULL);
	e_alloc_percpu(id);
}

static void e_percpu_counter(int id)
{
	struct percpu_counter c;

	CHECK_EQ(percpu_counter_init(&c, 5, GFP_KERNEL), 0);
	percpu_counter_add(&c, id + 1);
	percpu_counter_inc(&c);
	CHECK_EQ(percpu_counter_sum(&c), 5 + id + 2);
	percpu_counter_destroy(&c);
	booted();
}

/* ---- stack depot, shrinkers ---- */

/*
 * The depot needs no boot (its memory is the host's, as the kernel's is
 * there from early boot): used first, then the boot, and its handles
 * still hold.
 */
static void e_stack_depot(int id)
{
	unsigned long entries[16], *got;
	unsigned int n = stack_trace_save(entries, ARRAY_SIZE(entries), 0);
	depot_stack_handle_t h;

	CHECK(n > 0);
	h = stack_depot_save(entries, n, GFP_KERNEL);
	CHECK(h != 0);
	CHECK_EQ(stack_depot_fetch(h, &got), n);
	e_kmalloc_var(id);
	CHECK_EQ(stack_depot_save(entries, n, GFP_KERNEL), h);
	CHECK_EQ(stack_depot_fetch(h, &got), n);
	CHECK(got && got[0] == entries[0]);
}

static unsigned long first_count(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	(void)sc;
	return 1;
}

static unsigned long first_scan(struct shrinker *s, struct shrink_control *sc)
{
	(void)sc;
	__atomic_add_fetch((int *)s->private_data, 1, __ATOMIC_RELAXED);
	return SHRINK_STOP;
}

static void e_shrinker(int id)
{
	static int scanned;
	struct shrinker *s = shrinker_alloc(0, "first-use-%d", id);

	CHECK(s != NULL);
	if (!s)
		return;
	s->count_objects = first_count;
	s->scan_objects = first_scan;
	s->private_data = &scanned;
	shrinker_register(s);
	/* Reclaim asks every registered shrinker (2: the slab caches). */
	CHECK_EQ(ukmem_sysctl("vm.drop_caches", "2"), 0);
	CHECK(__atomic_load_n(&scanned, __ATOMIC_RELAXED) > 0);
	shrinker_free(s);
}

/* ---- this session's kernel names: counters, resources, tables, batches ---- */

static void e_vmstat_globals(int id)
{
	(void)id;
	CHECK(global_zone_page_state(NR_FREE_PAGES) > 0);
	CHECK(sum_zone_node_page_state(0, NR_FREE_PAGES) > 0);
	CHECK(zone_stat_name(NR_FREE_PAGES) != NULL);
}

static int count_ram(unsigned long pfn, unsigned long nr, void *arg)
{
	(void)pfn;
	*(unsigned long *)arg += nr;
	return 0;
}

static void e_region_intersects(int id)
{
	unsigned long pages = 0;

	(void)id;
	CHECK_EQ(region_intersects(PAGE_SIZE, PAGE_SIZE, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE),
		 REGION_INTERSECTS);
	CHECK_EQ(walk_system_ram_range(0, max_pfn, &pages, count_ram), 0);
	CHECK(pages > 0);
}

static void e_large_system_hash(int id)
{
	unsigned int shift = 0, mask = 0;
	unsigned long *table = alloc_large_system_hash("first-use", 8, 64, 0, HASH_ZERO,
						       &shift, &mask, 0, 0);

	(void)id;
	CHECK(table != NULL);
	CHECK_EQ(shift, 6U);
	CHECK_EQ(mask, 63U);
	CHECK_EQ(table[63], 0UL);
	if (is_vmalloc_addr(table))
		vfree(table);
	else
		free_pages_exact(table, 8 << 6);
}

static void e_list_lru_lock(int id)
{
	struct list_lru lru;
	struct mem_cgroup *memcg = NULL;
	struct list_head item;
	struct list_lru_one *l;

	(void)id;
	CHECK_EQ(list_lru_init(&lru), 0);
	INIT_LIST_HEAD(&item);
	l = list_lru_lock(&lru, 0, &memcg);
	CHECK(__list_lru_add(&lru, l, &item, 0, NULL));
	list_lru_unlock(l);
	CHECK_EQ(list_lru_count_node(&lru, 0), 1UL);
	CHECK(list_lru_del(&lru, &item, 0, NULL));
	list_lru_destroy(&lru);
}

static void e_folio_batch(int id)
{
	struct folio_batch fbatch;
	int i;

	(void)id;
	folio_batch_init(&fbatch);
	for (i = 0; i < 3; i++) {
		struct folio *folio = folio_alloc(GFP_KERNEL, 0);

		CHECK(folio != NULL);
		if (folio)
			folio_batch_add(&fbatch, folio);
	}
	CHECK_EQ(folio_batch_count(&fbatch), 3U);
	folio_batch_release(&fbatch);
	CHECK_EQ(folio_batch_count(&fbatch), 0U);
}

/* ---- random numbers, the WARN path's sysctls ---- */

/* The first call boots (the pool's fork handler comes with the boot). */
static void e_get_random(int id)
{
	unsigned char buf[13];

	CHECK(get_random_u32_below(100) < 100);
	CHECK(get_random_u32_inclusive(3, (u32)(3 + id)) <= (u32)(3 + id));
	get_random_bytes(buf, sizeof(buf));
	booted();
}

static void e_sysctl_kernel(int id)
{
	char buf[32];

	(void)id;
	CHECK_EQ(ukmem_sysctl_read("kernel.warn_limit", buf, sizeof(buf)), 2);
	CHECK_EQ(ukmem_sysctl_read("/proc/sys/kernel/panic_on_warn", buf, sizeof(buf)), 2);
	CHECK_EQ(buf[0], '0');
}

/* ---- memblock, bootmem ---- */

static void e_memblock_query(int id)
{
	phys_addr_t size = memblock_phys_mem_size();

	(void)id;
	CHECK(size > 0);
	CHECK(memblock_end_of_DRAM() > memblock_start_of_DRAM());
	CHECK(memblock_is_memory(memblock_end_of_DRAM() - 1));
	CHECK(memblock_is_reserved(0));
	CHECK(memblock_reserved_size() > 0);
	booted();
}

#endif /* _FIRST_USE_SERVICES_H */
