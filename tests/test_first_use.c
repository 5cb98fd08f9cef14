/* SPDX-License-Identifier: MIT */
/*
 * First use from any entry point: a table of cells, one process per entry
 * point per command line.  Each cell is a fresh child (ktest_child) whose
 * very first call into the library is the entry point under test, with
 * UKMEM_CMDLINE set to the row's command line; the call must boot the
 * machine before it reads anything the boot sets (cache choice, size
 * classes, debug flags, ranges, CPU and node numbers), succeed, hand out
 * memory that can be written and read back, free it, and print nothing on
 * stderr: no BUG, no WARNING, no allocation failure.  stderr is captured in
 * a temporary file for the duration of the cell.
 *
 * A second table runs every entry point from four threads that race to
 * make the first call at once.
 *
 * Reproduced before the fix: with slub_debug=FZPU, kmalloc(40) as the first
 * call crashed (the boot made kmalloc-64 a debug cache after the fast path
 * had decided the requested size was not needed); vmalloc() as the first
 * call returned NULL (VMALLOC_START/END were read before the boot set them);
 * objpool_init() as the first call sized its ring array by the CPU count
 * before the boot (1) and filled it by the booted count (a heap overflow;
 * objpool_fini() then freed a stray pointer).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <asm/io.h>
#include <linux/bootmem.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/genalloc.h>
#include <linux/io.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/memblock.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/objpool.h>
#include <linux/page_frag_cache.h>
#include <linux/percpu.h>
#include <linux/percpu_counter.h>
#include <linux/folio_batch.h>
#include <linux/ioport.h>
#include <linux/list_lru.h>
#include <linux/memblock.h>
#include <linux/vmstat.h>
#include <linux/preempt.h>
#include <linux/random.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/stackdepot.h>
#include <linux/stacktrace.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/context.h>
#include <ukmem/fault.h>
#include <ukmem/iomem.h>
#include <ukmem/report.h>
#include <ukmem/slab_debug.h>
#include <ukmem/sysctl.h>
#include "ktest.h"

/* The command lines every entry point is tried with. */
static const char *const cmdlines[] = {
	"",
	"slub_debug=FZPU",
	"slub_debug=FZU",
	"init_on_free=1",
	"init_on_alloc=1",
	"mem=64M",
	"numa=fake=2",
	"slab_rseq=0",
	"failslab=1,0,0,-1 fail_page_alloc=1,0,0,-1",	/* configured, never firing */
	"highmem mem=1G",				/* the i386 layout */
	"kfence.sample_interval=1",			/* KFENCE takes the first allocations */
	"mem=16M",					/* the smallest machine */
	"page_poison=on page_owner=on",			/* the page allocator's debug modes */
	"kmemleak=on",					/* every block tracked from the start */
	"debug_pagealloc=on page_poison=on",		/* free pages out of the linear map */
	"mem=256M movablecore=30% page_alloc.shuffle=1",	/* a Movable zone; shuffled blocks */
};

/* Those the racing threads are tried with (the debug and the lock paths). */
static const char *const race_cmdlines[] = {
	"",
	"slub_debug=FZPU",
	"numa=fake=2",
	"slab_rseq=0",		/* under TSan the table stops before this row */
};

#define RACERS	4
#define VSZ	(3 * PAGE_SIZE + 123)	/* a vmalloc size that is no whole page */
static bool racing;	/* the cell runs on RACERS threads at once */

/* ---- helpers run inside a cell ---- */

/* Fill @n bytes with a pattern and check it reads back. */
static void use(void *p, size_t n, int id)
{
	unsigned char *c = p;
	size_t i;

	CHECK(p != NULL && !ZERO_OR_NULL_PTR(p));
	if (!p || ZERO_OR_NULL_PTR(p))
		return;
	for (i = 0; i < n; i++)
		c[i] = (unsigned char)(i * 7 + id);
	for (i = 0; i < n; i++)
		if (c[i] != (unsigned char)(i * 7 + id)) {
			CHECK(c[i] == (unsigned char)(i * 7 + id));
			return;
		}
}

static void check_zero(const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	if (!p)
		return;
	for (i = 0; i < n; i++)
		if (c[i]) {
			CHECK_EQ(c[i], 0);
			return;
		}
}

static void booted(void)
{
	CHECK(ukmem_booted());
}

/* ---- pages ---- */

static void e_alloc_pages(int id)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);

	CHECK(page != NULL);
	if (page) {
		use(page_address(page), 2 * PAGE_SIZE, id);
		__free_pages(page, 1);
	}
}

static void e_alloc_pages_node(int id)
{
	struct page *page = alloc_pages_node(NUMA_NO_NODE, GFP_KERNEL, 0);

	CHECK(page != NULL);
	if (page) {
		use(page_address(page), PAGE_SIZE, id);
		__free_pages(page, 0);
	}
	page = alloc_pages_node(0, GFP_KERNEL, 0);
	CHECK(page != NULL);
	if (page) {
		CHECK_EQ(page_to_nid(page), 0);
		__free_pages(page, 0);
	}
}

/* numa=fake=2: node 1 exists, though before the boot there is only node 0. */
static void e_alloc_pages_node1(int id)
{
	struct page *page = alloc_pages_node(1, GFP_KERNEL, 0);
	void *p;

	CHECK(page != NULL);
	if (page) {
		CHECK_EQ(page_to_nid(page), 1);
		use(page_address(page), PAGE_SIZE, id);
		__free_pages(page, 0);
	}
	page = __alloc_pages(GFP_KERNEL, 1, 1, NULL);
	CHECK(page != NULL);
	if (page) {
		CHECK_EQ(page_to_nid(page), 1);
		__free_pages(page, 1);
	}
	p = alloc_pages_exact_nid(1, 3 * PAGE_SIZE, GFP_KERNEL);
	use(p, 3 * PAGE_SIZE, id);
	if (p) {
		CHECK_EQ(page_to_nid(virt_to_page(p)), 1);
		free_pages_exact(p, 3 * PAGE_SIZE);
	}
}

static void e___alloc_pages(int id)
{
	struct page *page = __alloc_pages(GFP_KERNEL, 2, 0, NULL);

	CHECK(page != NULL);
	if (page) {
		use(page_address(page), 4 * PAGE_SIZE, id);
		__free_pages(page, 2);
	}
}

static void e_get_free_pages(int id)
{
	unsigned long addr = __get_free_pages(GFP_KERNEL, 3);

	CHECK(addr != 0);
	if (addr) {
		use((void *)addr, 8 * PAGE_SIZE, id);
		free_pages(addr, 3);
	}
}

static void e_get_zeroed_page(int id)
{
	unsigned long addr = get_zeroed_page(GFP_KERNEL);

	CHECK(addr != 0);
	check_zero((void *)addr, PAGE_SIZE);
	if (addr) {
		use((void *)addr, PAGE_SIZE, id);
		free_page(addr);
	}
}

static void e_alloc_pages_atomic(int id)
{
	struct page *page = alloc_pages(GFP_ATOMIC, 0);

	CHECK(page != NULL);
	if (page) {
		use(page_address(page), PAGE_SIZE, id);
		__free_pages(page, 0);
	}
}

static void e_alloc_pages_dma(int id)
{
	struct page *page = alloc_pages(GFP_KERNEL | GFP_DMA, 0);

	CHECK(page != NULL);
	if (page) {
		CHECK(page_zonenum(page) == ZONE_DMA);
		use(page_address(page), PAGE_SIZE, id);
		__free_pages(page, 0);
	}
}

static void e_alloc_pages_highmem(int id)
{
	struct page *page = alloc_pages(GFP_HIGHUSER, 0);
	void *p;

	CHECK(page != NULL);
	if (!page)
		return;
	p = kmap(page);
	use(p, PAGE_SIZE, id);
	kunmap(page);
	__free_pages(page, 0);
}

static void e_alloc_pages_exact(int id)
{
	void *p = alloc_pages_exact(3 * PAGE_SIZE + 100, GFP_KERNEL);

	use(p, 3 * PAGE_SIZE + 100, id);
	if (p)
		free_pages_exact(p, 3 * PAGE_SIZE + 100);
	p = alloc_pages_exact_nid(0, 5000, GFP_KERNEL);
	use(p, 5000, id);
	if (p)
		free_pages_exact(p, 5000);
}

static void e_alloc_pages_bulk(int id)
{
	struct page *pages[8] = { NULL };
	int i;

	CHECK_EQ(alloc_pages_bulk(GFP_KERNEL, 8, pages), 8);
	for (i = 0; i < 8; i++)
		if (pages[i]) {
			use(page_address(pages[i]), PAGE_SIZE, id);
			__free_pages(pages[i], 0);
		}
}

static void e_free_pages_zero(int id)
{
	(void)id;
	free_pages(0, 0);	/* nothing to free: the kernel does nothing */
	e_alloc_pages(id);
}

static void e_nr_free_pages(int id)
{
	(void)id;
	CHECK(nr_free_pages() > 0);
	booted();
}

static void e_si_meminfo(int id)
{
	struct sysinfo si;

	(void)id;
	memset(&si, 0, sizeof(si));
	si_meminfo(&si);
	CHECK(si.totalram > 0);
	CHECK(si.freeram > 0 && si.freeram <= si.totalram);
	CHECK_EQ(si.mem_unit, PAGE_SIZE);
}

static void e_totalram_pages(int id)
{
	(void)id;
	CHECK(totalram_pages() > 0);
}

static void e_for_each_zone(int id)
{
	unsigned long managed = 0;
	struct zone *zone;
	int populated = 0;

	(void)id;
	for_each_populated_zone(zone) {
		populated++;
		managed += zone_managed_pages(zone);
	}
	CHECK(populated > 0);
	CHECK(managed > 0);
}

static void e_zone_type_configured(int id)
{
	const char *cmdline = getenv("UKMEM_CMDLINE");

	(void)id;
	CHECK(zone_type_configured(ZONE_DMA));
	CHECK_EQ(zone_type_configured(ZONE_HIGHMEM), strstr(cmdline, "highmem") != NULL);
}

static void e_nr_free_highpages(int id)
{
	(void)id;
	CHECK(nr_free_highpages() > 0);
}

static void e_drain_all_pages(int id)
{
	drain_all_pages(NULL);
	drain_local_pages(NULL);
	e_alloc_pages(id);
}

/* ---- kmalloc ---- */

static void e_kmalloc_const(int id)
{
	void *p = kmalloc(40, GFP_KERNEL);

	use(p, 40, id);
	CHECK(ksize(p) >= 40);
	kfree(p);
}

static void e_kmalloc_var(int id)
{
	volatile size_t size = 40;
	void *p = kmalloc(size, GFP_KERNEL);

	use(p, size, id);
	kfree(p);
}

static void e_kmalloc_node(int id)
{
	volatile size_t size = 100;
	void *p = kmalloc_node(100, GFP_KERNEL, 0);
	void *q = kmalloc_node(size, GFP_KERNEL, NUMA_NO_NODE);

	use(p, 100, id);
	use(q, size, id);
	kfree(p);
	kfree(q);
}

static void e_kmalloc_node1(int id)
{
	volatile size_t size = 300;
	void *p = kmalloc_node(100, GFP_KERNEL, 1);
	void *q = kmalloc_node(size, GFP_KERNEL, 1);

	use(p, 100, id);
	use(q, size, id);
	if (p && q) {
		CHECK_EQ(page_to_nid(virt_to_page(p)), 1);
		CHECK_EQ(page_to_nid(virt_to_page(q)), 1);
	}
	kfree(p);
	kfree(q);
	p = vmalloc_node(VSZ, 1);
	use(p, VSZ, id);
	if (p)
		CHECK_EQ(page_to_nid(vmalloc_to_page(p)), 1);
	vfree(p);
}

/*
 * Node 0 asked for by a thread on the last CPU (node 1 under numa=fake=2
 * on a machine with two or more CPUs): before the boot the node count is
 * 1, and a first kmalloc_node(.., 0) once took the fast path's "node 0 is
 * any node" and came back with node 1's memory.
 */
static void e_kmalloc_node0_far(int id)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	gfp_t gfp = GFP_KERNEL | __GFP_THISNODE;
	void *p[4];
	cpu_set_t set;

	if (cpus >= 2) {
		CPU_ZERO(&set);
		CPU_SET((int)cpus - 1, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	p[0] = kmalloc_node(100, gfp, 0);
	p[1] = kzalloc_node(300, gfp, 0);
	p[2] = kcalloc_node(4, 64, gfp, 0);
	p[3] = kvmalloc_node(1000, gfp, 0);
	for (int i = 0; i < 4; i++) {
		use(p[i], 64, id);
		if (p[i])
			CHECK_EQ(page_to_nid(virt_to_page(p[i])), 0);
		kvfree(p[i]);
	}
}

static void e_kzalloc(int id)
{
	void *p = kzalloc(200, GFP_KERNEL);

	CHECK(p != NULL);
	check_zero(p, 200);
	use(p, 200, id);
	kfree(p);
}

static void e_kcalloc(int id)
{
	void *p = kcalloc(10, 24, GFP_KERNEL);

	CHECK(p != NULL);
	check_zero(p, 240);
	use(p, 240, id);
	kfree(p);
}

static void e_kmalloc_array(int id)
{
	volatile size_t n = 8;
	void *p = kmalloc_array(n, 100, GFP_KERNEL);

	use(p, 800, id);
	kfree(p);
}

static void e_krealloc(int id)
{
	char *p = krealloc(NULL, 40, GFP_KERNEL), *q;

	use(p, 40, id);
	q = krealloc(p, 300, GFP_KERNEL);
	CHECK(q != NULL);
	if (q) {
		CHECK_EQ((unsigned char)q[39], (unsigned char)(39 * 7 + id));
		use(q, 300, id);
		kfree(q);
	} else {
		kfree(p);
	}
}

static void e_kmemdup(int id)
{
	static const char src[] = "first use from any entry point";
	char *p = kmemdup(src, sizeof(src), GFP_KERNEL);

	CHECK(p && !memcmp(p, src, sizeof(src)));
	use(p, sizeof(src), id);
	kfree(p);
}

static void e_kstrdup(int id)
{
	char *a = kstrdup("kstrdup", GFP_KERNEL);
	char *b = kstrndup("kstrndup-truncated", 8, GFP_KERNEL);
	char *c = kmemdup_nul("kmemdup_nul", 7, GFP_KERNEL);
	const char *d = kstrdup_const("const", GFP_KERNEL);

	(void)id;
	CHECK(a && !strcmp(a, "kstrdup"));
	CHECK(b && !strcmp(b, "kstrndup"));
	CHECK(c && !strcmp(c, "kmemdup"));
	CHECK(d && !strcmp(d, "const"));
	kfree(a);
	kfree(b);
	kfree(c);
	kfree_const(d);
}

static void e_kvmalloc(int id)
{
	void *p = kvmalloc(100, GFP_KERNEL);
	void *q = kvzalloc(1 << 20, GFP_KERNEL);
	void *r = kvcalloc(1000, 8, GFP_KERNEL);

	use(p, 100, id);
	CHECK(q != NULL);
	check_zero(q, 1 << 20);
	use(q, 1 << 20, id);
	CHECK(r != NULL);
	check_zero(r, 8000);
	kvfree(p);
	kvfree(q);
	kvfree(r);
}

static void e_kvrealloc(int id)
{
	void *p = kvrealloc(NULL, 5000, GFP_KERNEL);

	use(p, 5000, id);
	kvfree(p);
}

static void e_kmalloc_large(int id)
{
	void *p = kmalloc(16384, GFP_KERNEL);
	volatile size_t size = 100000;
	void *q = kmalloc(size, GFP_KERNEL);

	use(p, 16384, id);
	use(q, size, id);
	kfree(p);
	kfree(q);
}

static void e_kmalloc_atomic(int id)
{
	void *p = kmalloc(72, GFP_ATOMIC);

	use(p, 72, id);
	kfree(p);
}

static void e_kmalloc_dma(int id)
{
	void *p = kmalloc(64, GFP_KERNEL | GFP_DMA);
	void *q = kmalloc(64, GFP_KERNEL | __GFP_RECLAIMABLE);

	use(p, 64, id);
	use(q, 64, id);
	if (p)
		CHECK(page_zonenum(virt_to_page(p)) == ZONE_DMA);
	kfree(p);
	kfree(q);
}

static void e_kmalloc_size_roundup(int id)
{
	(void)id;
	CHECK_EQ(kmalloc_size_roundup(40), 64);
	CHECK_EQ(kmalloc_size_roundup(65), 96);
	CHECK_EQ(kmalloc_size_roundup(9000), 16384);
}

static void e_ksize_null(int id)
{
	CHECK_EQ(ksize(NULL), 0);
	e_kmalloc_var(id);
}

static void e_kfree_null(int id)
{
	kfree(NULL);
	kfree_sensitive(NULL);
	kvfree(NULL);
	kfree_const(NULL);
	e_kmalloc_const(id);
}

/* ---- slab caches ---- */

struct obj {
	long a[5];
};

static void cache_cycle(struct kmem_cache *s, size_t size, int id)
{
	void *bulk[16];
	void *p;

	CHECK(s != NULL);
	if (!s)
		return;
	p = kmem_cache_alloc(s, GFP_KERNEL);
	use(p, size, id);
	kmem_cache_free(s, p);
	p = kmem_cache_zalloc(s, GFP_KERNEL);
	CHECK(p != NULL);
	check_zero(p, size);
	kmem_cache_free(s, p);
	p = kmem_cache_alloc_node(s, GFP_KERNEL, 0);
	use(p, size, id);
	kmem_cache_free(s, p);
	CHECK_EQ(kmem_cache_alloc_bulk(s, GFP_KERNEL, 16, bulk), 16);
	kmem_cache_free_bulk(s, 16, bulk);
	kmem_cache_destroy(s);
}

static void e_kmem_cache_create(int id)
{
	char name[32];

	snprintf(name, sizeof(name), "first_use_%d", id);
	cache_cycle(kmem_cache_create(name, sizeof(struct obj), 0, 0, NULL),
		    sizeof(struct obj), id);
}

static void e_kmem_cache_create_args(int id)
{
	char name[32];

	snprintf(name, sizeof(name), "first_args_%d", id);
	cache_cycle(kmem_cache_create(name, 100, NULL, SLAB_HWCACHE_ALIGN), 100, id);
}

static void e_kmem_cache_create_usercopy(int id)
{
	char name[32];

	snprintf(name, sizeof(name), "first_uc_%d", id);
	cache_cycle(kmem_cache_create_usercopy(name, 128, 8, 0, 16, 32, NULL), 128, id);
}

static void e_kmem_cache_create_rcu(int id)
{
	char name[32];

	snprintf(name, sizeof(name), "first_rcu_%d", id);
	cache_cycle(kmem_cache_create_rcu(name, 64, 8, 0), 64, id);
}

static void e_kmem_cache_shrink_all(int id)
{
	kmem_cache_shrink_all();
	e_kmalloc_const(id);
}

static void e_slab_find(int id)
{
	(void)id;
	CHECK(ukmem_slab_find("kmalloc-64") != NULL);
	CHECK(ukmem_slab_find("kmem_cache") != NULL);
}

/*
 * Nothing was allocated before the boot: 0 with or without booting; and
 * 0 again while the other racing threads allocate (tests/test_slab_threads.c).
 */
static void e_slab_validate_all(int id)
{
	CHECK_EQ(ukmem_slab_validate_all(), 0);
	e_kmalloc_const(id);
	CHECK_EQ(ukmem_slab_validate_all(), 0);
}

/* ---- vmalloc ---- */

static void e_vmalloc(int id)
{
	void *p = vmalloc(VSZ);

	use(p, VSZ, id);
	if (p) {
		CHECK(is_vmalloc_addr(p));
		CHECK(vmalloc_to_page(p) != NULL);
	}
	vfree(p);
}

/* A zeroed vmalloc area: zero, usable, freed. */
static void vzeroed(void *p, int id)
{
	CHECK(p != NULL);
	check_zero(p, VSZ);
	use(p, VSZ, id);
	vfree(p);
}

static void e_vzalloc(int id)
{
	vzeroed(vzalloc(VSZ), id);
}

static void e_vmalloc_user(int id)
{
	vzeroed(vmalloc_user(VSZ), id);
}

static void e_vmalloc_node(int id)
{
	void *p = vmalloc_node(VSZ, 0);
	void *q = vzalloc_node(VSZ, 0);

	use(p, VSZ, id);
	CHECK(q != NULL);
	check_zero(q, VSZ);
	vfree(p);
	vfree(q);
}

static void e_vmalloc_32(int id)
{
	void *p = vmalloc_32(VSZ);
	void *q = vmalloc_32_user(VSZ);

	use(p, VSZ, id);
	use(q, VSZ, id);
	vfree(p);
	vfree(q);
}

static void e_vmalloc_huge(int id)
{
	void *p = vmalloc_huge(VSZ, GFP_KERNEL);

	use(p, VSZ, id);
	vfree(p);
}

static void e___vmalloc(int id)
{
	vzeroed(__vmalloc(VSZ, GFP_KERNEL | __GFP_ZERO), id);
}

static void e___vmalloc_node(int id)
{
	void *p = __vmalloc_node(VSZ, PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE,
				 __builtin_return_address(0));

	use(p, VSZ, id);
	vfree(p);
}

static void e___vmalloc_node_range(int id)
{
	void *p = __vmalloc_node_range(VSZ, 1, VMALLOC_START, VMALLOC_END, GFP_KERNEL,
				       PAGE_KERNEL, 0, NUMA_NO_NODE,
				       __builtin_return_address(0));

	use(p, VSZ, id);
	vfree(p);
}

static void e_vmalloc_array(int id)
{
	void *p = vmalloc_array(100, 64);
	void *q = vcalloc(100, 64);

	use(p, 6400, id);
	CHECK(q != NULL);
	check_zero(q, 6400);
	vfree(p);
	vfree(q);
}

static void e_vfree_null(int id)
{
	vfree(NULL);
	vfree_atomic(NULL);
	vunmap(NULL);
	e_vmalloc(id);
}

static void e_get_vm_area(int id)
{
	struct vm_struct *a = get_vm_area(4 * PAGE_SIZE, VM_IOREMAP);
	struct vm_struct *b = __get_vm_area_caller(4 * PAGE_SIZE, VM_IOREMAP, VMALLOC_START,
						   VMALLOC_END, __builtin_return_address(0));

	(void)id;
	CHECK(a != NULL);
	CHECK(b != NULL);
	if (a) {
		CHECK(find_vm_area(a->addr) == a);
		free_vm_area(a);
	}
	if (b)
		free_vm_area(b);
}

static void e_vmap(int id)
{
	struct page *pages[3] = { NULL };
	void *v;
	int i;

	CHECK_EQ(alloc_pages_bulk(GFP_KERNEL, 3, pages), 3);
	v = vmap(pages, 3, VM_MAP, PAGE_KERNEL);
	use(v, 3 * PAGE_SIZE, id);
	if (v) {
		CHECK(vmalloc_to_page((char *)v + PAGE_SIZE) == pages[1]);
		vunmap(v);
	}
	for (i = 0; i < 3; i++)
		if (pages[i])
			__free_pages(pages[i], 0);
}

static void e_vmalloc_nr_pages(int id)
{
	void *p;

	CHECK(vmalloc_nr_pages() <= (racing ? RACERS * 4 : 0));
	p = vmalloc(VSZ);
	use(p, VSZ, id);
	CHECK(vmalloc_nr_pages() >= 4);
	vfree(p);
}

/* ---- ioremap ---- */

static void e_ioremap(int id)
{
	phys_addr_t phys = (1ULL << 46) + (phys_addr_t)id * 0x100000;	/* above any RAM */
	FILE *f = tmpfile();
	void __iomem *regs;

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(ftruncate(fileno(f), 4 * PAGE_SIZE) == 0);
	CHECK_EQ(ukmem_register_device_region(phys, 4 * PAGE_SIZE, fileno(f), 0, "first"), 0);
	regs = ioremap(phys, 4 * PAGE_SIZE);
	CHECK(regs != NULL);
	if (regs) {
		writel(0x12345678 + id, (char __iomem *)regs + 8);
		CHECK_EQ(readl((char __iomem *)regs + 8), 0x12345678 + id);
		iounmap(regs);
	}
	CHECK_EQ(ukmem_unregister_device_region(phys), 0);
	fclose(f);
}

#include "first_use_drivers.h"

/* ---- mempool ---- */

static void pool_cycle(mempool_t *pool, size_t size, int id)
{
	void *e[3];
	int i;

	CHECK(pool != NULL);
	if (!pool)
		return;
	for (i = 0; i < 3; i++) {
		e[i] = mempool_alloc(pool, GFP_KERNEL);
		use(e[i], size, id);
	}
	for (i = 0; i < 3; i++)
		if (e[i])
			mempool_free(e[i], pool);
	mempool_destroy(pool);
}

static void e_mempool_kmalloc(int id)
{
	pool_cycle(mempool_create_kmalloc_pool(4, 100), 100, id);
}

static void e_mempool_page(int id)
{
	mempool_t *pool = mempool_create_page_pool(2, 1);
	struct page *page;

	CHECK(pool != NULL);
	if (!pool)
		return;
	page = mempool_alloc(pool, GFP_KERNEL);
	CHECK(page != NULL);
	if (page) {
		use(page_address(page), 2 * PAGE_SIZE, id);
		mempool_free(page, pool);
	}
	mempool_destroy(pool);
}

static void e_mempool_init(int id)
{
	mempool_t pool;

	memset(&pool, 0, sizeof(pool));
	CHECK_EQ(mempool_init(&pool, 3, mempool_kmalloc, mempool_kfree, (void *)(long)48), 0);
	if (mempool_initialized(&pool)) {
		void *p = mempool_alloc(&pool, GFP_KERNEL);

		use(p, 48, id);
		if (p)
			mempool_free(p, &pool);
		mempool_exit(&pool);
	}
}

static void e_mempool_kvmalloc(int id)
{
	pool_cycle(mempool_create_kvmalloc_pool(2, 1 << 16), 1 << 16, id);
}

static void e_mempool_create(int id)
{
	pool_cycle(mempool_create_node(2, mempool_kmalloc, mempool_kfree, (void *)(long)64,
				       GFP_KERNEL, NUMA_NO_NODE), 64, id);
}

#include "first_use_services.h"

/* ---- reports ---- */

static void e_show(int id)
{
	const char *const *names = ukmem_report_names();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i, n = 0;

	(void)id;
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_EQ(ukmem_show("meminfo", f), 0);
	fflush(f);
	CHECK(strstr(buf, "MemTotal:") != NULL);
	for (i = 0; names && names[i]; i++, n++)
		CHECK_EQ(ukmem_show(names[i], f), 0);
	CHECK(n >= 6);
	fclose(f);
	free(buf);
}

/* The debugfs-style trace files exist for caches that store their users. */
static void e_show_slab_file(int id)
{
	const char *cmdline = getenv("UKMEM_CMDLINE");
	bool traced = cmdline && strstr(cmdline, "slub_debug=") && strchr(cmdline, 'U');
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	void *p;

	CHECK(f != NULL);
	if (!f)
		return;
	if (traced)
		CHECK_EQ(ukmem_show("slab/kmalloc-64/alloc_traces", f), 0);
	CHECK_EQ(ukmem_show("slab/no-such-cache/alloc_traces", f), -ENOENT);
	p = kmalloc(64, GFP_KERNEL);
	use(p, 64, id);
	kfree(p);
	fclose(f);
	free(buf);
}

static void e_report_names(int id)
{
	const char *const *names = ukmem_report_names();
	int i, found = 0;

	(void)id;
	for (i = 0; names && names[i]; i++)
		found += !strcmp(names[i], "slabinfo") || !strcmp(names[i], "vmallocinfo");
	CHECK_EQ(found, 2);
}

/* ---- the table ---- */

struct entry {
	const char *name;
	void (*fn)(int id);
	const char *needs;	/* run only on command lines containing this */
};

#define E(fn)		{ #fn, e_##fn, NULL }
#define E_ON(fn, s)	{ #fn, e_##fn, s }

static const struct entry entries[] = {
	E(alloc_pages), E(alloc_pages_node), E_ON(alloc_pages_node1, "numa=fake=2"),
	E(__alloc_pages), E(get_free_pages),
	E(get_zeroed_page), E(alloc_pages_atomic), E(alloc_pages_dma),
	E_ON(alloc_pages_highmem, "highmem"), E(alloc_pages_exact), E(alloc_pages_bulk),
	E(free_pages_zero), E(nr_free_pages), E(si_meminfo), E(totalram_pages),
	E(for_each_zone), E(zone_type_configured), E_ON(nr_free_highpages, "highmem"),
	E(drain_all_pages),
	E(kmalloc_const), E(kmalloc_var), E(kmalloc_node),
	E_ON(kmalloc_node1, "numa=fake=2"), E_ON(kmalloc_node0_far, "numa=fake=2"),
	E(kzalloc), E(kcalloc),
	E(kmalloc_array), E(krealloc), E(kmemdup), E(kstrdup), E(kvmalloc), E(kvrealloc),
	E(kmalloc_large), E(kmalloc_atomic), E(kmalloc_dma), E(kmalloc_size_roundup),
	E(ksize_null), E(kfree_null),
	E(kmem_cache_create), E(kmem_cache_create_args), E(kmem_cache_create_usercopy),
	E(kmem_cache_create_rcu), E(kmem_cache_shrink_all), E(slab_find),
	E(slab_validate_all),
	E(vmalloc), E(vzalloc), E(vmalloc_user), E(vmalloc_node), E(vmalloc_32),
	E(vmalloc_huge), E(__vmalloc), E(__vmalloc_node), E(__vmalloc_node_range),
	E(vmalloc_array), E(vfree_null), E(get_vm_area), E(vmap), E(vmalloc_nr_pages),
	E(ioremap),
	E(vrealloc), E(kvmemdup), E(folio_alloc), E(devm_kmalloc), E(dma_pool), E(gen_pool),
	E(page_frag), E(kmem_buckets), E(memremap),
	E(contig_pages), E(memdup_user), E(kmalloc_nolock), E(prefill_sheaf), E(vmalloc_atomic),
	E(objpool), E(mempool_alloc_bulk), E(vmap_pfn), E(vm_area_map_pages), E(contig_range),
	E(dma_alloc_pages), E(dma_alloc_noncoherent), E(kmalloc_obj),
	E(mempool_kmalloc), E(mempool_page), E(mempool_init), E(mempool_kvmalloc),
	E(mempool_create),
	E(alloc_percpu), E(__alloc_percpu), E(static_percpu), E(get_cpu), E(cpu_to_node),
	E(percpu_queries), E(pcpu_nr_pages), E(free_percpu_null), E(percpu_counter),
	E(stack_depot), E(shrinker), E(vmstat_globals), E(region_intersects),
	E(large_system_hash), E(list_lru_lock), E(folio_batch), E(get_random),
	E(sysctl_kernel),
	E(memblock_query),
	E(show), E(show_slab_file), E(report_names),
};

struct cell {
	const struct entry *e;
	const char *cmdline;
	int threads;
};

static pthread_barrier_t race_barrier;

struct racer_arg {
	const struct entry *e;
	int id;
};

static void *race_thread(void *p)
{
	struct racer_arg *a = p;

	pthread_barrier_wait(&race_barrier);
	a->e->fn(a->id);
	return NULL;
}

/*
 * The child: stderr goes to a temporary file while the entry point runs;
 * anything written there is a failure, shown with the cell's name.
 */
static void run_cell(void *arg)
{
	const struct cell *c = arg;
	FILE *cap = tmpfile();
	int saved = dup(2);
	char out[4096];
	size_t n;

	ktest_failures = 0;	/* the child's own count, not the parent's so far */
	if (!cap || saved < 0) {
		CHECK(cap != NULL && saved >= 0);
		return;
	}
	setenv("UKMEM_CMDLINE", c->cmdline, 1);
	fflush(stderr);
	dup2(fileno(cap), 2);
	racing = c->threads;
	if (c->threads) {
		pthread_t t[RACERS];
		struct racer_arg a[RACERS];
		int i;

		pthread_barrier_init(&race_barrier, NULL, RACERS);
		for (i = 0; i < RACERS; i++) {
			a[i].e = c->e;
			a[i].id = i;
			pthread_create(&t[i], NULL, race_thread, &a[i]);
		}
		for (i = 0; i < RACERS; i++)
			pthread_join(t[i], NULL);
	} else {
		c->e->fn(0);
	}
	CHECK(ukmem_booted());
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(cap);
	n = fread(out, 1, sizeof(out) - 1, cap);
	out[n] = '\0';
	if (n) {
		ktest_failures++;
		fprintf(stderr, "stderr of the cell:\n%s%s\n", out,
			n == sizeof(out) - 1 ? "..." : "");
	}
	fclose(cap);
}

static int run_table(const char *const *lines, size_t nlines, int threads)
{
	size_t i, j;
	int bad = 0;

	for (j = 0; j < nlines; j++) {
		for (i = 0; i < ARRAY_SIZE(entries); i++) {
			struct cell c = { &entries[i], lines[j], threads };
			char name[160];
			int status;

			if (c.e->needs && !strstr(lines[j], c.e->needs))
				continue;
			snprintf(name, sizeof(name), "%s%s [%s]", c.e->name,
				 threads ? " x4" : "", lines[j]);
			ktest_current = name;
			status = ktest_child(run_cell, &c);
			if (!ktest_exited_with(status, 0)) {
				bad++;
				fprintf(stderr, "FAIL first use: %s (status %#x%s%s)\n", name,
					status, WIFSIGNALED(status) ? ", signal " : "",
					WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "");
			}
		}
	}
	return bad;
}

static void test_first_use_table(void)
{
	size_t rows = ARRAY_SIZE(cmdlines);

#if defined(__SANITIZE_THREAD__)
	/*
	 * Under TSan each cell's boot is about ten times slower and the whole
	 * table took five minutes of CI.  A single thread's first call races
	 * with nothing, so TSan runs the first two rows (the default and the
	 * debug paths; the fast paths always run in lock mode under TSan) and
	 * the race table whole; every other build runs every row.
	 */
	rows = 2;
	fprintf(stderr, "ThreadSanitizer: the first %zu of %zu command lines\n", rows,
		ARRAY_SIZE(cmdlines));
#endif
	ktest_failures += run_table(cmdlines, rows, 0);
}

static void test_first_use_race(void)
{
	size_t rows = ARRAY_SIZE(race_cmdlines);

#if defined(__SANITIZE_THREAD__)
	/* Not the last row, slab_rseq=0: under TSan every row runs in lock mode already. */
	rows = ARRAY_SIZE(race_cmdlines) - 1;
#endif
	ktest_failures += run_table(race_cmdlines, rows, 1);
}

/*
 * The first allocation ever made is a signal handler's, while another
 * thread boots: it must fail at once (NULL), neither wait for the boot nor
 * spin on its lock.  The boot's early hook waits until the handler has
 * returned, so a handler that waited would never return (it used to spin
 * on boot_lock).
 */
static _Atomic int handler_ran;	/* set in the main thread's handler, polled by the booter */
static void *volatile handler_got = (void *)1;
static pthread_t main_thread;

static void first_alloc_handler(int sig)
{
	(void)sig;
	handler_got = kmalloc(32, GFP_ATOMIC);
	handler_ran = 1;
}

static void boot_hook_waits(void *arg)
{
	(void)arg;
	pthread_kill(main_thread, SIGUSR1);
	while (!handler_ran)		/* no progress meanwhile: a stuck handler is a hang */
		sched_yield();
}

static void *booter(void *arg)
{
	(void)arg;
	CHECK_EQ(ukmem_boot_hook("mem=64M", boot_hook_waits, NULL), 0);
	return NULL;
}

static void handler_during_boot(void *arg)
{
	struct sigaction sa;
	pthread_t tid;
	void *p;

	(void)arg;
	main_thread = pthread_self();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = first_alloc_handler;
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(ukmem_sigaction(SIGUSR1, &sa, NULL), 0);
	pthread_create(&tid, NULL, booter, NULL);
	/*
	 * usleep, not sched_yield: ThreadSanitizer delivers a signal only when
	 * the thread enters a function it intercepts.
	 */
	while (!handler_ran)
		usleep(100);
	pthread_join(tid, NULL);
	CHECK(handler_got == NULL);
	CHECK(ukmem_booted());
	p = kmalloc(32, GFP_ATOMIC);		/* booted now: it works */
	CHECK(p != NULL);
	kfree(p);
}

static void test_first_use_from_handler_during_boot(void)
{
	CHECK(ktest_exited_with(ktest_child(handler_during_boot, NULL), 0));
}

/*
 * Fault injection configured on the boot line, firing at every eligible
 * call: a first kmalloc(GFP_KERNEL) and kmem_cache_create() are exempt
 * (ignore-gfp-wait), so they must succeed and nothing may be injected.
 * The first slab allocation finishes the kmalloc caches with GFP_NOWAIT
 * requests of the library's own (slab_late_init); they used to be failed,
 * and the caller's GFP_KERNEL kmalloc() returned NULL.  A GFP_ATOMIC
 * request afterwards is the caller's and does fail.
 */
static void fault_injection_first(void *arg)
{
	const char *cmdline = arg;
	struct kmem_cache *c;
	void *p;

	setenv("UKMEM_CMDLINE", cmdline, 1);
	p = kmalloc(64, GFP_KERNEL);
	CHECK(p != NULL);
	kfree(p);
	c = kmem_cache_create("first_fi", 40, 0, 0, NULL);
	CHECK(c != NULL);
	if (c)
		kmem_cache_destroy(c);
	CHECK_EQ(ukmem_fault_get("failslab", "injected"), 0);
	CHECK_EQ(ukmem_fault_get("fail_page_alloc", "injected"), 0);
	ukmem_set_console(fopen("/dev/null", "w"));	/* the injection's report */
	CHECK(kmalloc(64, GFP_ATOMIC) == NULL);
	CHECK_EQ(ukmem_fault_get("failslab", "injected"), 1);
	exit(ktest_failures ? 1 : 0);
}

static void test_first_use_under_fault_injection(void)
{
	CHECK(ktest_exited_with(ktest_child(fault_injection_first,
					    "failslab=1,100,0,-1 fail_page_alloc=1,100,0,-1"), 0));
	CHECK(ktest_exited_with(ktest_child(fault_injection_first,
					    "mem=16M slub_debug=FZPU failslab=1,100,0,-1"), 0));
}

/*
 * The first slab allocation of a process that already took memory down
 * to the min watermark with pages: finishing the kmalloc caches is the
 * boot's work (the kernel's kmem_cache_init), not subject to the
 * watermarks, and the caller's kmalloc(GFP_KERNEL) then succeeds as it
 * does on a machine with that much free.  It returned NULL silently.
 */
static void first_kmalloc_near_min(void *arg)
{
	LIST_HEAD(held);
	struct page *page, *t;
	void *p;
	int i;

	(void)arg;
	/*
	 * kswapd=off: no watermark boost, which kswapd would give back at a
	 * time of its own (a boost left up makes the caller's own slab page
	 * fail the boosted min: an OOM of the test's making).
	 */
	setenv("UKMEM_CMDLINE", "mem=16M kfence.sample_interval=0 kswapd=off", 1);
	while ((page = alloc_page(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN)))
		list_add(&page->lru, &held);
	/* A few pages back: the machine is just above its min watermark. */
	for (i = 0; i < 16 && !list_empty(&held); i++) {
		page = list_first_entry(&held, struct page, lru);
		list_del(&page->lru);
		__free_page(page);
	}
	p = kmalloc(100, GFP_KERNEL);
	CHECK(p != NULL);
	kfree(p);
	list_for_each_entry_safe(page, t, &held, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	p = kmalloc(100, GFP_KERNEL);
	CHECK(p != NULL);
	kfree(p);
	exit(ktest_failures ? 1 : 0);
}

static void test_first_kmalloc_near_min(void)
{
	CHECK(ktest_exited_with(ktest_child(first_kmalloc_near_min, NULL), 0));
}

int main(int argc, char **argv)
{
	/* One cell: test_first_use ENTRY 'CMDLINE' [threads], for debugging. */
	if (argc >= 3) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(entries); i++)
			if (!strcmp(entries[i].name, argv[1])) {
				struct cell c = { &entries[i], argv[2], argc > 3 };

				ktest_current = argv[1];
				run_cell(&c);
				return ktest_failures != 0;
			}
		fprintf(stderr, "no entry point %s\n", argv[1]);
		return 2;
	}
	KTEST_RUN(KTEST(test_first_use_from_handler_during_boot),
		  KTEST(test_first_use_under_fault_injection), KTEST(test_first_kmalloc_near_min),
		  KTEST(test_first_use_table),
		  KTEST(test_first_use_race));
}
