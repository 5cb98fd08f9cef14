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


/* ---- more forms: each a call the kernel builds out of several allocations ---- */

/* ERR_PTR(-ENOMEM): the memdup_user() family's failure value. */
static int errptr_result(const void *p)
{
	OPCHECK(p != NULL);
	if (!IS_ERR(p))
		return 0;
	OPCHECK(PTR_ERR(p) == -ENOMEM);
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
