/* SPDX-License-Identifier: MIT */
/*
 * A systematic fault-injection sweep (what syzkaller does with fail-nth):
 * for every API call that allocates more than once inside, fail exactly
 * its 1st, 2nd, 3rd ... allocation (ukmem_fail_nth_set(), slab and page
 * allocations of any order, sleeping ones included) until the call gets
 * through without reaching N.  At each N:
 *   - the call returns the kernel's failure value (NULL, 0, -ENOMEM), or
 *     succeeds where the kernel falls back (a smaller order, vmalloc);
 *   - once what succeeded is undone, with the caches shrunk, RCU callbacks
 *     run, lazy vmap areas purged and the pcp lists drained, the machine
 *     is as before the call: nr_free_pages(), the slab objects in use
 *     (slabinfo's active_objs), the vmalloc areas (vmallocinfo's lines),
 *     the per-CPU bytes in use; ukmem_slab_validate_all() and
 *     ukmem_check_page_allocator() find nothing, and the log holds no
 *     BUG or WARNING;
 *   - a call whose preconditions it changes on failure (mempool_resize(),
 *     krealloc(), vrealloc()) leaves them as they were.
 * Each call runs twice unarmed first, so that what first uses keep for
 * good (a cache's per-CPU stacks, the per-CPU allocator's spare chunk)
 * exists before the baseline is taken.
 *
 * `test_fault_sweep slub_debug` runs a few of them again under
 * slub_debug=FZPU (a second CTest entry).  KFENCE is off: an object it
 * samples is no slab object, and would move the counts at random.
 * By hand: SWEEP_ONLY=<part of a name>, SWEEP_VERBOSE=1 (sites per call),
 * SWEEP_ALL=1 (every call under slub_debug), SWEEP_CMDLINE=<boot line>,
 * SWEEP_RANDOM=<rounds> (instead of fail-nth, random failures, several
 * in one call: a third of the eligible allocations fail).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/genalloc.h>
#include <linux/io.h>
#include <linux/gfp.h>
#include <linux/list_lru.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/objpool.h>
#include <linux/page_frag_cache.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <ukmem/fault.h>
#include <ukmem/iomem.h>
#include <ukmem/report.h>
#include <ukmem/slab_debug.h>
#include "ktest_boot.h"
#include "mm/internal.h"

/* ------------------------------------------------------------------ */
/* The machine's state                                                 */

struct snap {
	long free_pages;
	long slab_objs;
	long vmap_lines;
	long pcpu_used;
};

static char showbuf[1 << 20];

static const char *show(const char *name)
{
	FILE *f = fmemopen(showbuf, sizeof(showbuf) - 1, "w");

	if (!f)
		return "";
	ukmem_show(name, f);
	fputc(0, f);
	fclose(f);
	showbuf[sizeof(showbuf) - 1] = 0;
	return showbuf;
}

/* slabinfo's active_objs, every cache together. */
static long slab_objects(void)
{
	const char *line = show("slabinfo");
	long sum = 0;

	for (; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : line + strlen(line)) {
		char name[64];
		long active;

		if (*line == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		if (sscanf(line, "%63s %ld", name, &active) == 2)
			sum += active;
	}
	return sum;
}

static long vmap_lines(void)
{
	const char *s = show("vmallocinfo");
	long n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Everything the caches and lists keep, back to the buddy lists. */
static void settle(void)
{
	rcu_barrier();
	kvfree_rcu_barrier();
	kmem_cache_shrink_all();
	vm_unmap_aliases();
	drain_all_pages(NULL);
}

static char base_slabinfo[1 << 18];
static struct snap sweep_base;

/* The caches whose active_objs differ from @base_slabinfo's. */
static void slab_diff(void)
{
	const char *now = show("slabinfo"), *line;

	for (line = now; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
		char name[64], key[80];
		const char *was;
		long a, b, na, nb;

		if (sscanf(line, "%63s %ld %ld", name, &a, &na) != 3 || *line == '#')
			continue;
		snprintf(key, sizeof(key), "\n%s ", name);
		was = strstr(base_slabinfo, key);
		if (!was)
			fprintf(stderr, "  new cache %s: %ld objects\n", name, a);
		else if (sscanf(was + 1, "%*s %ld %ld", &b, &nb) == 2 && (a != b || na != nb))
			fprintf(stderr, "  %s: %+ld objects, %+ld in slabs\n", name, a - b, na - nb);
	}
}

static void take(struct snap *s)
{
	long prev = -1;
	int i;

	/*
	 * A purge leaves a range still in use elsewhere (VMAP_STUCK) for the
	 * next one: settle until the count stops moving.
	 */
	for (i = 0; i < 6; i++) {
		settle();
		s->slab_objs = slab_objects();
		if (s->slab_objs == prev)
			break;
		prev = s->slab_objs;
	}
	if (s == &sweep_base)
		strcpy(base_slabinfo, showbuf);
	s->vmap_lines = vmap_lines();
	s->pcpu_used = (long)pcpu_used_bytes();
	settle();
	s->free_pages = (long)nr_free_pages();
}

static char logbuf[1 << 18];

/* The log holds no report; cleared for the next call. */
static bool log_clean(const char *what, unsigned int n, bool allow_warn)
{
	static const char *const bad[] = {
		"BUG ", "BUG:", "WARNING:", "Bad page", "Redzone", "Poison overwritten",
		"Object already free", "Invalid object", "not freed", "still has objects",
		"corrupt", "unreferenced object",
	};
	size_t i;

	ukmem_dmesg(logbuf, sizeof(logbuf));
	ukmem_dmesg_clear();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		char *hit = strstr(logbuf, bad[i]);

		if (allow_warn && !strcmp(bad[i], "WARNING:"))
			continue;
		if (hit) {
			char *start = hit - min_t(size_t, (size_t)(hit - logbuf), 600);

			fprintf(stderr, "%s, fail-nth %u: log says \"%s\":\n%.3000s\n", what, n,
				bad[i], start);
			return false;
		}
	}
	return true;
}

/* The state is back at @base; a second look first, for RCU frees in flight. */
static bool same_as(struct snap *base, const char *what, unsigned int n, long slack, bool quiet)
{
	struct snap now;
	int tries;

	for (tries = 0; tries < 3; tries++) {
		take(&now);
		if (!memcmp(&now, base, sizeof(now)))
			break;
	}
	/*
	 * More free pages than before, all else equal, is a cache that did
	 * not refill (kvfree_rcu()'s spare pages of pointers): no leak.
	 */
	/*
	 * The RCU thread frees on its own CPU, whose page stacks this thread
	 * does not drain: a page or two may sit there.
	 */
	if (labs(now.free_pages - base->free_pages) <= slack)
		now.free_pages = base->free_pages;
	if (now.free_pages > base->free_pages && now.slab_objs == base->slab_objs &&
	    now.vmap_lines == base->vmap_lines && now.pcpu_used == base->pcpu_used) {
		if (getenv("SWEEP_VERBOSE") && !quiet)
			fprintf(stderr, "%s, fail-nth %u: NOTE %+ld free pages\n", what, n,
				now.free_pages - base->free_pages);
		base->free_pages = now.free_pages;
	}
	if (memcmp(&now, base, sizeof(now))) {
		if (quiet)
			return false;
		fprintf(stderr,
			"%s, fail-nth %u: free pages %+ld, slab objects %+ld, vmallocinfo lines %+ld, "
			"per-CPU bytes %+ld\n", what, n, now.free_pages - base->free_pages,
			now.slab_objs - base->slab_objs, now.vmap_lines - base->vmap_lines,
			now.pcpu_used - base->pcpu_used);
		slab_diff();
		return false;
	}
	if (!quiet && (ukmem_slab_validate_all() || ukmem_check_page_allocator(NULL))) {
		fprintf(stderr, "%s, fail-nth %u: the allocators' own checks failed\n", what, n);
		return false;
	}
	return true;
}

#include "fault_sweep.h"
#include "fault_sweep_more.h"

#define OP(n, c, u, ...) { .name = n, .call = c, .undo = u, __VA_ARGS__ }
static const struct sweep_op ops[] = {
	OP("kmem_cache_create", call_cache_create, undo_cache, .debug = true),
	OP("kmem_cache_create(args)", call_cache_create_args, undo_cache, .debug = true),
	OP("kmem_cache_create(mergeable)", call_cache_create_mergeable, undo_cache),
	OP("kmem_cache_create+first allocations", call_cache_first_use, undo_cache_first_use,
	   .debug = true),
	OP("kmem_cache_alloc_bulk", call_alloc_bulk, undo_alloc_bulk,
	   .prep = prep_work_cache, .unprep = unprep_work_cache, .debug = true),
	OP("kmem_cache_prefill_sheaf", call_prefill_sheaf, undo_sheaf,
	   .prep = prep_work_cache, .unprep = unprep_work_cache, .debug = true),
	OP("kmem_buckets_create", call_buckets_create, undo_nothing, .keeps = true, .warns = true),
	OP("kstrdup", call_kstrdup, undo_str),
	OP("kasprintf", call_kasprintf, undo_str),
	OP("kmemdup", call_kmemdup, undo_str),
	OP("kvmalloc", call_kvmalloc, undo_kvfree, .debug = true),
	OP("kvmalloc(1M)", call_kvmalloc_large, undo_kvfree),
	OP("krealloc", call_krealloc, undo_realloc_slab, .strict = true,
	   .prep = prep_old_kmalloc, .unprep = unprep_old_kfree, .debug = true),
	OP("kvrealloc", call_kvrealloc, undo_realloc_kv, .prep = prep_old_kv, .unprep = unprep_old_kv),
	OP("vmalloc", call_vmalloc, undo_vfree),
	OP("vzalloc(600 pages)", call_vzalloc_big, undo_vfree),
	OP("__vmalloc_node_range", call_vmalloc_node_range, undo_vfree),
	OP("vmalloc_huge", call_vmalloc_huge, undo_vfree),
	OP("vrealloc", call_vrealloc, undo_realloc_v, .prep = prep_old_v, .unprep = unprep_old_v),
	OP("vmap", call_vmap, undo_vunmap, .prep = prep_map_pages, .unprep = unprep_map_pages),
	OP("vm_map_ram", call_vm_map_ram, undo_vm_unmap_ram,
	   .prep = prep_map_pages, .unprep = unprep_map_pages),
	OP("vm_map_ram(3 pages)", call_vm_map_ram_small, undo_vm_unmap_ram_small,
	   .prep = prep_map_pages, .unprep = unprep_map_pages),
	OP("mempool_create_kmalloc_pool", call_mempool_create, undo_mempool, .debug = true),
	OP("mempool_create_page_pool", call_mempool_create_pages, undo_mempool),
	OP("mempool_resize", call_mempool_grow, undo_mempool_grow,
	   .prep = prep_pool, .unprep = unprep_pool, .debug = true),
	OP("__alloc_percpu", call_alloc_percpu, undo_percpu),
	OP("dma_pool_create", call_dma_pool_create, undo_dma_pool, .unprep = unprep_dev),
	OP("dma_pool_alloc", call_dma_pool_alloc, undo_dma_pool_alloc,
	   .prep = prep_dma_pool, .unprep = undo_dma_pool),
	OP("dmam_pool_create", call_dmam_pool_create, undo_dmam_pool, .unprep = unprep_dev),
	OP("devres group", call_devres_group, undo_devres_group, .unprep = unprep_dev, .debug = true),
	OP("devm_krealloc", call_devm_krealloc, undo_devm_kfree, .unprep = unprep_dev),
	OP("gen_pool_create+add", call_gen_pool, undo_gen_pool,
	   .prep = prep_gmem, .unprep = unprep_gmem),
	OP("objpool_init", call_objpool_init, undo_objpool),
	OP("list_lru_init", call_list_lru_init, undo_list_lru),
	OP("shrinker_alloc", call_shrinker, undo_shrinker),
	OP("alloc_contig_pages", call_alloc_contig, undo_contig),
	OP("alloc_pages_bulk", call_alloc_pages_bulk, undo_pages_bulk),
	OP("page_frag_alloc", call_page_frag, undo_page_frag),
	OP("alloc_pages_exact", call_alloc_pages_exact, undo_pages_exact, .strict = true),
	OP("memdup_user", call_memdup_user, undo_kfree_obj, .strict = true),
	OP("vmemdup_user", call_vmemdup_user, undo_kvfree),
	OP("strndup_user", call_strndup_user, undo_kfree_obj),
	OP("kvmemdup", call_kvmemdup, undo_kvfree),
	OP("kstrndup", call_kstrndup, undo_str),
	OP("kmemdup_nul", call_kmemdup_nul, undo_str),
	OP("kmalloc(5 pages)", call_kmalloc_large, undo_kfree_obj, .strict = true),
	OP("kcalloc", call_kcalloc, undo_kfree_obj),
	OP("kvcalloc", call_kvcalloc, undo_kvfree),
	OP("vmalloc_user", call_vmalloc_user, undo_vfree),
	OP("vmalloc_32", call_vmalloc_32, undo_vfree),
	OP("vcalloc", call_vcalloc, undo_vfree),
	OP("__vmalloc(__GFP_NOFAIL)", call_vmalloc_nofail, undo_vfree),
	OP("kvmalloc(__GFP_NOFAIL)", call_kvmalloc_nofail, undo_kvfree),
	OP("kmalloc(__GFP_NOFAIL)", call_kmalloc_nofail, undo_kfree_obj),
	OP("vrealloc(shrink)", call_vrealloc_shrink, undo_realloc_v_small,
	   .prep = prep_old_v_small, .unprep = unprep_old_v),
	OP("kvrealloc(vmalloc)", call_kvrealloc_v, undo_realloc_kv_big,
	   .prep = prep_old_kv_big, .unprep = unprep_old_kv),
	OP("krealloc(__GFP_ZERO)", call_krealloc_zero, undo_realloc_slab,
	   .prep = prep_old_kmalloc, .unprep = unprep_old_kfree),
	OP("get_vm_area", call_get_vm_area, undo_free_vm_area),
	OP("vm_area_map_pages", call_vm_area_map_pages, undo_vm_area_map_pages,
	   .prep = prep_map_pages, .unprep = unprep_map_pages),
	OP("vmap_pfn", call_vmap_pfn, undo_vunmap, .prep = prep_pfns, .unprep = unprep_pfns),
	OP("mempool_create_slab_pool", call_mempool_slab, undo_mempool,
	   .prep = prep_work_cache, .unprep = unprep_work_cache),
	OP("mempool_create_kvmalloc_pool", call_mempool_kvmalloc, undo_mempool),
	OP("mempool_alloc", call_mempool_alloc, undo_mempool_alloc,
	   .prep = prep_pool, .unprep = unprep_pool),
	OP("mempool_alloc_bulk", call_mempool_alloc_bulk, undo_mempool_alloc_bulk,
	   .prep = prep_pool, .unprep = unprep_pool),
	OP("dma_alloc_coherent", call_dma_alloc_coherent, undo_dma_free_coherent, .strict = true),
	OP("dmam_alloc_coherent", call_dmam_alloc_coherent, undo_dmam_free_coherent,
	   .unprep = unprep_dev),
	OP("devm_add_action_or_reset", call_devm_add_action_or_reset, undo_devm_action,
	   .unprep = unprep_dev),
	OP("devm_kmemdup", call_devm_kmemdup, undo_devm_kfree, .unprep = unprep_dev),
	OP("devm_gen_pool_create", call_devm_gen_pool, undo_devres_all),
	OP("objpool_init(objinit)", call_objpool_init_cb, undo_objpool),
	OP("list_lru_init_memcg+shrinker", call_list_lru_memcg, undo_list_lru_memcg),
	OP("folio_alloc(order 3)", call_folio_alloc, undo_folio, .strict = true),
	OP("__get_free_pages", call_get_free_pages, undo_free_pages, .strict = true),
	OP("kvfree_rcu", call_kvfree_rcu, undo_kvfree_rcu, .prep = prep_robj, .unprep = unprep_robj,
	   .page_slack = 4),
	OP("ioremap", call_ioremap, undo_iounmap, .prep = prep_pfns, .unprep = unprep_pfns),
	OP("memremap", call_memremap, undo_memunmap, .prep = prep_pfns, .unprep = unprep_pfns),
	OP("devm_ioremap", call_devm_ioremap, undo_devm_iounmap, .prep = prep_pfns,
	   .unprep = unprep_pfns_dev),
	OP("ukmem_register_device_region", call_register_region, undo_register_region,
	   .prep = prep_pfns, .unprep = unprep_pfns),
	OP("ukmem_show(every report)", call_show_reports, undo_nothing),
	OP("kmem_buckets_alloc", call_buckets_alloc, undo_kfree_obj, .prep = prep_buckets),
	OP("kmem_buckets_valloc", call_buckets_valloc, undo_kvfree, .prep = prep_buckets),
	OP("kasprintf(3 pages)", call_kasprintf_long, undo_str),
	OP("kmem_cache_create(TYPESAFE_BY_RCU)", call_cache_create_rcu, undo_cache, .debug = true),
	OP("kmem_cache_create_usercopy", call_cache_usercopy, undo_cache),
	OP("page_frag_alloc(3 pages)", call_page_frag_big, undo_page_frag),
	OP("vzalloc_node", call_vmalloc_node, undo_vfree),
	OP("kvmalloc_node_align", call_kvmalloc_node_align, undo_kvfree),
	OP("alloc_pages_exact_nid", call_pages_exact_nid, undo_pages_exact7),
	OP("mempool_init_kmalloc_pool", call_mempool_init, undo_mempool_init),
	OP("__alloc_percpu_gfp(GFP_ATOMIC)", call_percpu_atomic, undo_percpu_one),
	OP("dma_pool_zalloc", call_dma_pool_zalloc, undo_dma_pool_alloc,
	   .prep = prep_dma_pool, .unprep = undo_dma_pool),
	OP("kmalloc_nolock", call_kmalloc_nolock, undo_kfree_nolock),
};

/* ------------------------------------------------------------------ */
/* The sweep                                                           */

/*
 * Back at @base after the call at fail-nth @n?  A difference that one
 * more unarmed call and undo takes away is a cache the failure emptied
 * (a sheaf, a spare) that the next call refills: no leak.  A leak stays.
 */
static bool settled_as(const struct sweep_op *op, struct snap *base, unsigned int n)
{
	if (same_as(base, op->name, n, op->page_slack, true))
		return true;
	if (!op->keeps && op->call() == 0) {
		op->undo();
		if (same_as(base, op->name, n, op->page_slack, true)) {
			if (getenv("SWEEP_VERBOSE"))
				fprintf(stderr, "%s, fail-nth %u: NOTE a difference the next call took away\n",
					op->name, n);
			return true;
		}
	}
	return same_as(base, op->name, n, op->page_slack, false);
}

#define MAX_NTH	4000

static void sweep(const struct sweep_op *op)
{
	struct snap *base = &sweep_base;
	unsigned int n, left = 0, failed = 0, absorbed = 0;
	int rc, i;

	cur_op = op->name;
	cur_n = 0;
	if (op->prep)
		op->prep();
	for (i = 0; i < 2; i++) {
		rc = op->call();
		OPCHECK(rc == 0);
		if (rc == 0 && !op->keeps)
			op->undo();
	}
	log_clean(op->name, 0, false);
	take(base);
	for (n = 1; n <= MAX_NTH; n++) {
		cur_n = n;
		ukmem_fail_nth_set(n);
		rc = op->call();
		left = ukmem_fail_nth_get();
		ukmem_fail_nth_set(0);
		if (rc == 0 && !left && !op->keeps) {
			absorbed++;
			OPCHECK(!op->strict || n > 1);
		}
		else if (rc)
			failed++;
		if (rc == 0 && !op->keeps)
			op->undo();
		if (!log_clean(op->name, n, op->warns && rc))
			ktest_failures++;
		if (left) {
			/* Not reached: the call made fewer than @n allocations. */
			OPCHECK(rc == 0);
			if (!op->keeps && !settled_as(op, base, n))
				ktest_failures++;
			break;
		}
		if ((rc || !op->keeps) && !settled_as(op, base, n)) {
			ktest_failures++;
			take(base);	/* report each leak once */
		}
		if (rc == 0 && op->keeps)
			take(base);
		if (ktest_failures > 30)
			break;
	}
	OPCHECK(left != 0);	/* the sweep ended */
	if (getenv("SWEEP_VERBOSE"))
		fprintf(stderr, "%-30s %4u sites: %u failed, %u absorbed\n", op->name, n - 1,
			failed, absorbed);
	if (op->unprep)
		op->unprep();
	ktest_progress();
}

static bool debug_run;

/*
 * Several failures in one call: the fallback's own allocation failing
 * too.  Each call runs RANDOM_ROUNDS times with both attributes failing
 * a third of the eligible allocations, then the state must be the
 * baseline's.  By hand: SWEEP_RANDOM=<rounds>.
 */
static void random_faults(const struct sweep_op *op, unsigned int rounds)
{
	struct snap *base = &sweep_base;
	unsigned int r;
	int rc, i;

	cur_op = op->name;
	cur_n = 0;
	if (op->prep)
		op->prep();
	for (i = 0; i < 2; i++) {
		rc = op->call();
		if (rc == 0 && !op->keeps)
			op->undo();
	}
	log_clean(op->name, 0, false);
	take(base);
	for (r = 0; r < rounds; r++) {
		ukmem_fault_set("failslab", "probability", 33);
		ukmem_fault_set("fail_page_alloc", "probability", 33);
		rc = op->call();
		ukmem_fault_set("failslab", "probability", 0);
		ukmem_fault_set("fail_page_alloc", "probability", 0);
		if (rc == 0 && !op->keeps)
			op->undo();
		if (!log_clean(op->name, r, op->warns))
			ktest_failures++;
		if (rc == 0 && op->keeps)
			take(base);
	}
	if (!op->keeps && !settled_as(op, base, rounds))
		ktest_failures++;
	if (getenv("SWEEP_VERBOSE"))
		fprintf(stderr, "%-30s %ld forced failures\n", op->name,
			ukmem_fault_get("failslab", "injected") +
			ukmem_fault_get("fail_page_alloc", "injected"));
	if (op->unprep)
		op->unprep();
}

static void pin_all_threads(void)
{
	cpu_set_t one;
	DIR *d;
	struct dirent *e;

	if (!ktest_pin_first_cpu(NULL) || sched_getaffinity(0, sizeof(one), &one))
		return;
	d = opendir("/proc/self/task");
	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			sched_setaffinity(atoi(e->d_name), sizeof(one), &one);
	closedir(d);
}

/* What the failure paths' fallbacks use first (vmalloc's setup, vmap blocks). */
static void warm_up(void)
{
	struct page *pg = alloc_page(GFP_KERNEL);
	void *p = vmalloc(PAGE_SIZE), *m;

	vfree(p);
	m = vm_map_ram(&pg, 1, NUMA_NO_NODE);
	vm_unmap_ram(m, 1);
	m = vmap(&pg, 1, VM_MAP, PAGE_KERNEL);
	vunmap(m);
	__free_page(pg);
	p = kvmalloc(1UL << 22, GFP_KERNEL);
	kvfree(p);
	/* Every kmalloc cache's per-CPU stacks. */
	for (size_t size = 8; size <= KMALLOC_MAX_CACHE_SIZE; size *= 2) {
		p = kmalloc(size, GFP_KERNEL);
		kfree(p);
		p = kmalloc(size * 3 / 4, GFP_KERNEL);
		kfree(p);
	}
}

static void test_sweep(void)
{
	const char *only = getenv("SWEEP_ONLY");
	size_t i;

	ukmem_fault_set("failslab", "ignore-gfp-wait", 0);
	ukmem_fault_set("failslab", "verbose", 0);
	ukmem_fault_set("fail_page_alloc", "ignore-gfp-wait", 0);
	ukmem_fault_set("fail_page_alloc", "verbose", 0);
	ukmem_fault_set("fail_page_alloc", "min-order", 0);
	ukmem_fault_set("failslab", "times", -1);
	ukmem_fault_set("fail_page_alloc", "times", -1);
	warm_up();
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		if (debug_run && !ops[i].debug && !getenv("SWEEP_ALL"))
			continue;
		if (only && !strstr(ops[i].name, only))
			continue;
		if (getenv("SWEEP_RANDOM"))
			random_faults(&ops[i], (unsigned int)atoi(getenv("SWEEP_RANDOM")));
		else
			sweep(&ops[i]);
	}
}

int main(int argc, char **argv)
{
	const char *cmdline;

	debug_run = argc > 1 && !strcmp(argv[1], "slub_debug");
	/*
	 * One CPU for every thread, the library's RCU and kswapd threads
	 * included: the per-CPU stacks and lists the checks settle are then
	 * the ones every free went to.
	 */
	pin_all_threads();
	cmdline = getenv("SWEEP_CMDLINE");	/* other machines, by hand */
	if (!cmdline)
		cmdline = debug_run ? "mem=256M kfence.sample_interval=0 slub_debug=FZPU" :
				      "mem=256M kfence.sample_interval=0";
	if (!ktest_boot_quietly(cmdline))
		return 1;
	KTEST_RUN(KTEST(test_sweep));
}
