/* SPDX-License-Identifier: MIT */
/*
 * DMA pools (mm/dmapool.c):
 *  - first use: dma_pool_create() as a process's first call boots the
 *    library, alone and from four racing threads, and prints nothing;
 *  - the kernel's mm/dmapool_test.c, as checks rather than a timing: its
 *    pools (16/16, 64/64, 256/256, 1024/1024, 4096/4096, 68/32 with a
 *    4096 boundary) and a few more (a boundary that leaves gaps, blocks
 *    above a page), its block counts, several rounds: every block there,
 *    distinct, aligned, inside its boundary, its handle the DMA address of
 *    its memory (here its physical address), writable without touching
 *    another, and reused (no page added after the first round);
 *  - creation: each argument the kernel refuses (NULL device, size 0 or
 *    above INT_MAX, alignment or boundary not a power of two, boundary
 *    below the size), the sizes it rounds to, names cut to 31 characters;
 *  - the "pools" report, column for column; -ENOENT for a device without;
 *  - dma_pool_zalloc, GFP_ATOMIC, the zones a device's mask reaches;
 *  - destroy: NULL; a busy pool reported in the kernel's words and its
 *    pages leaked, an idle one's given back;
 *  - managed pools: destroyed with the device's resources or early, a
 *    pool the device does not manage warned about and kept;
 *  - bad frees (double, wrong DMA address, inside a block, another
 *    pool's, not pool memory at all), each reported once and changing
 *    nothing; a free block's link or handle overwritten after free,
 *    caught at the next allocation;
 *  - slub_debug=P (the kernel's DMAPOOL_DEBUG): the poison values, a
 *    write after free reported with its hex dump; init_on_alloc=1 and
 *    init_on_free=1;
 *  - signal-handler context with the pool's lock held by the interrupted
 *    code: alloc fails, free is parked and served later;
 *  - fork() while a thread uses a pool: the child's pools work;
 *  - threads sharing pools while another creates, reports and destroys.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <ukmem/boot.h>
#include <ukmem/context.h>
#include "mm/internal.h"
#include "ktest.h"

/* mm/dmapool.c, for tests only: the lock, to hold it as interrupted code would. */

static char logbuf[1 << 18];
static char showbuf[PAGE_SIZE];

static const char *dmesg_since(size_t *mark)
{
	size_t len = ukmem_dmesg(logbuf, sizeof(logbuf));
	const char *from = logbuf + (*mark < len ? *mark : len);

	*mark = len;
	return from;
}

static struct device_driver drv = { .name = "testdrv" };
static u64 mask64, mask32, mask24;
static struct device dev64 = { .init_name = "dmapool0", .driver = &drv, .dma_mask = &mask64 };
static struct device dev32 = { .init_name = "dmapool32", .driver = &drv, .dma_mask = &mask32 };
static struct device dev24 = { .init_name = "dmapool24", .driver = &drv, .dma_mask = &mask24 };

static void set_masks(void)
{
	CHECK_EQ(dma_set_mask_and_coherent(&dev64, DMA_BIT_MASK(64)), 0);
	CHECK_EQ(dma_set_mask_and_coherent(&dev32, DMA_BIT_MASK(32)), 0);
	CHECK_EQ(dma_set_mask_and_coherent(&dev24, DMA_BIT_MASK(24)), 0);
}

static void boot(void)
{
	static bool done;
	int rc;

	if (done)
		return;
	done = true;
	/* Reports are read back from the log; the console stays quiet. */
	ukmem_set_console(fopen("/dev/null", "w"));
	rc = ukmem_boot("mem=256M");
	CHECK(rc == 0 || rc == -EALREADY);
	set_masks();
}

/* The report's line for one pool, as the kernel formats it. */
static void pool_line(char *buf, size_t size, const char *name, size_t active, size_t blocks,
		      unsigned int bsize, size_t pages)
{
	snprintf(buf, size, "%-16s %4zu %4zu %4u %2zu\n", name, active, blocks, bsize, pages);
}

/* Blocks in use, blocks, block size and pages of pool @name of @dev, from the report. */
struct pool_counts {
	size_t active, blocks, size, pages;
};

static bool pool_counts(struct device *dev, const char *name, struct pool_counts *c)
{
	ssize_t len = ukmem_dma_pools_show(dev, showbuf);
	const char *line;
	size_t n = strlen(name);

	if (len < 0)
		return false;
	/* A name may hold spaces ("test pool"): the numbers follow it. */
	for (line = strchr(showbuf, '\n'); line && line[1]; line = strchr(line + 1, '\n'))
		if (!strncmp(line + 1, name, n) && line[1 + n] == ' ' &&
		    sscanf(line + 1 + n, "%zu %zu %zu %zu", &c->active, &c->blocks, &c->size,
			   &c->pages) == 4)
			return true;
	return false;
}

/* The kernel's layout: blocks per page, window by window between boundaries. */
static size_t blocks_per_page(size_t size, size_t allocation, size_t boundary)
{
	size_t start, n = 0;

	for (start = 0; start < allocation; start += boundary) {
		size_t end = start + boundary < allocation ? start + boundary : allocation;

		n += (end - start) / size;
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* First use (run before anything boots the parent)                     */

struct first_use {
	const char *cmdline;
	int threads;
};

static bool all_bytes(const u8 *p, size_t from, size_t to, u8 v);

/*
 * The pool's first call boots; what the boot decides is read after it:
 * with slub_debug on, a block is handed out poisoned.
 */
static void *first_create(void *arg)
{
	const char *cmdline = arg;
	struct dma_pool *pool;
	dma_addr_t h;
	u8 *p;

	pool = dma_pool_create("first", &dev64, 100, 32, 0);
	CHECK(pool != NULL);
	if (!pool)
		return NULL;
	p = dma_pool_alloc(pool, GFP_KERNEL, &h);
	CHECK(p != NULL);
	if (p) {
		CHECK_EQ(h, virt_to_phys(p));
		CHECK(all_bytes(p, 0, 128, 0xa9) == (strstr(cmdline, "slub_debug") != NULL));
		memset(p, 0x5a, 100);
		dma_pool_free(pool, p, h);
	}
	dma_pool_destroy(pool);
	return NULL;
}

/* A fresh process whose first call is dma_pool_create(); stderr must stay empty. */
static void first_use_child(void *arg)
{
	const struct first_use *f = arg;
	FILE *cap = tmpfile();
	int saved = dup(2), i;
	char out[4096];
	size_t n;

	CHECK(!ukmem_booted());
	if (!cap || saved < 0) {
		CHECK(cap != NULL && saved >= 0);
		return;
	}
	/* The masks are plain stores: no call into the library before the pool. */
	mask64 = DMA_BIT_MASK(64);
	dev64.coherent_dma_mask = DMA_BIT_MASK(64);
	setenv("UKMEM_CMDLINE", f->cmdline, 1);
	fflush(stderr);
	dup2(fileno(cap), 2);
	if (f->threads) {
		pthread_t t[4];

		for (i = 0; i < f->threads; i++)
			pthread_create(&t[i], NULL, first_create, (void *)f->cmdline);
		for (i = 0; i < f->threads; i++)
			pthread_join(t[i], NULL);
	} else {
		first_create((void *)f->cmdline);
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	CHECK(ukmem_booted());
	CHECK(!strcmp(ukmem_cmdline(), f->cmdline));
	rewind(cap);
	n = fread(out, 1, sizeof(out) - 1, cap);
	out[n] = '\0';
	if (n) {
		ktest_failures++;
		fprintf(stderr, "stderr of the first use [%s]:\n%s\n", f->cmdline, out);
	}
	fclose(cap);
}

static void test_first_use(void)
{
	static const struct first_use cells[] = {
		{ "mem=128M", 0 },
		{ "mem=128M slub_debug=FZPU", 0 },
		{ "mem=128M", 4 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cells); i++)
		ktest_child_case(first_use_child, (void *)&cells[i]);
}

/* ------------------------------------------------------------------ */
/* slub_debug=P, init_on_alloc/init_on_free: fresh processes too         */

static bool all_bytes(const u8 *p, size_t from, size_t to, u8 v)
{
	size_t i;

	for (i = from; i < to; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void poison_child(void *arg)
{
	struct dma_pool *pool;
	dma_addr_t ha, hb, hc;
	u8 *a, *b, *c;
	size_t mark = 0;
	const char *log;
	char line[128];

	(void)arg;
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=128M slub_debug=P"), 0);
	set_masks();
	dmesg_since(&mark);
	pool = dma_pool_create("poison", &dev64, 64, 64, 0);
	CHECK(pool != NULL);
	if (!pool)
		return;
	/*
	 * Handed out: POOL_POISON_ALLOCATED.  The next free block:
	 * POOL_POISON_FREED after its link.
	 */
	a = dma_pool_alloc(pool, GFP_KERNEL, &ha);
	CHECK(a != NULL);
	if (!a)
		return;
	CHECK(all_bytes(a, 0, 64, 0xa9));
	CHECK(all_bytes(a + 64, 16, 64, 0xa7));
	/* Freed: POOL_POISON_FREED after the link. */
	dma_pool_free(pool, a, ha);
	CHECK(all_bytes(a, 16, 64, 0xa7));
	/* zalloc: zeroes, whatever the poison. */
	b = dma_pool_zalloc(pool, GFP_KERNEL, &hb);
	CHECK(b == a);
	CHECK(b && all_bytes(b, 0, 64, 0));
	dma_pool_free(pool, b, hb);
	CHECK(!strstr(dmesg_since(&mark), "dma_pool"));

	/* A write after free, past the link: reported when the block is handed out again. */
	a[20] = 0x5a;
	c = dma_pool_alloc(pool, GFP_KERNEL, &hc);
	CHECK(c == a);
	log = dmesg_since(&mark);
	snprintf(line, sizeof(line),
		 "testdrv dmapool0: pool_check_block poison, %016lx (corrupted)", (unsigned long)a);
	CHECK_STR_CONTAINS(log, line);
	CHECK_STR_CONTAINS(log, "00000010: a7 a7 a7 a7 5a a7 a7 a7 a7 a7 a7 a7 a7 a7 a7 a7");
	/* ... and handed out poisoned for allocation all the same. */
	CHECK(c && all_bytes(c, 0, 64, 0xa9));
	if (c)
		dma_pool_free(pool, c, hc);
	dma_pool_destroy(pool);
	CHECK(!strstr(dmesg_since(&mark), "busy"));
}

static void init_on_child(void *arg)
{
	struct dma_pool *pool;
	dma_addr_t ha, hb;
	u8 *a, *b;

	(void)arg;
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=128M init_on_alloc=1 init_on_free=1"), 0);
	set_masks();
	pool = dma_pool_create("init", &dev64, 128, 0, 0);
	CHECK(pool != NULL);
	if (!pool)
		return;
	a = dma_pool_alloc(pool, GFP_KERNEL, &ha);
	CHECK(a && all_bytes(a, 0, 128, 0));
	if (!a)
		return;
	memset(a, 0xee, 128);
	dma_pool_free(pool, a, ha);
	/* init_on_free: zeroed behind the link. */
	CHECK(all_bytes(a, 16, 128, 0));
	memset(a + 16, 0xee, 112);	/* a stray write: init_on_alloc still zeroes */
	b = dma_pool_alloc(pool, GFP_KERNEL, &hb);
	CHECK(b == a);
	CHECK(b && all_bytes(b, 0, 128, 0));
	if (b)
		dma_pool_free(pool, b, hb);
	dma_pool_destroy(pool);
}

static void test_debug_boots(void)
{
	ktest_child_case(poison_child, NULL);
	ktest_child_case(init_on_child, NULL);
}

/* ------------------------------------------------------------------ */
/* The kernel's dmapool_test.c pools                                    */

struct parms {
	size_t size, align, boundary;
};

struct pair {
	u8 *v;
	dma_addr_t dma;
};

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;

	return a->v < b->v ? -1 : a->v > b->v;
}

/* The kernel test's count: clamp((PAGE_SIZE / size) * 512, 1024, 8192). */
static int nr_blocks(size_t size)
{
	return clamp((int)((PAGE_SIZE / size) * 512), 1024, 8192);
}

static void check_round(const struct parms *pm, size_t bsize, struct pair *p, int n, int round)
{
	size_t allocation = bsize > PAGE_SIZE ? bsize : PAGE_SIZE;
	/* No boundary: the page's, a coherent allocation aligned to its order. */
	size_t b = pm->boundary ? pm->boundary : PAGE_SIZE << get_order(allocation);
	size_t align = pm->align ? pm->align : 1;
	int i, bad = 0;

	for (i = 0; i < n && bad < 5; i++) {
		uintptr_t v = (uintptr_t)p[i].v;

		if (v % align || p[i].dma % align || p[i].dma / b != (p[i].dma + bsize - 1) / b ||
		    p[i].dma != virt_to_phys(p[i].v)) {
			bad++;
			fprintf(stderr, "size %zu align %zu boundary %zu round %d: block %p dma "
				"%#llx misplaced\n", pm->size, pm->align, pm->boundary, round,
				p[i].v, (unsigned long long)p[i].dma);
		}
		/* Each block's own bytes, whole, checked once all are out. */
		memset(p[i].v, (u8)(i * 13 + round), bsize);
	}
	CHECK_EQ(bad, 0);
	for (i = 0; i < n; i++)
		if (!all_bytes(p[i].v, 0, bsize, (u8)(i * 13 + round))) {
			CHECK(!"a block shares bytes with another");
			break;
		}
	qsort(p, (size_t)n, sizeof(*p), cmp_pair);
	for (i = 1; i < n; i++)
		if (p[i - 1].v + bsize > p[i].v) {
			CHECK(p[i - 1].v + bsize <= p[i].v);
			break;
		}
}

static void run_parms(const struct parms *pm)
{
	int n = nr_blocks(pm->size), i, round;
	struct pair *p = calloc((size_t)n, sizeof(*p));
	struct dma_pool *pool = dma_pool_create("test pool", &dev64, pm->size, pm->align,
						pm->boundary);
	size_t bsize = ALIGN(max(pm->size, (size_t)16), pm->align ? pm->align : 1);
	size_t allocation = max(bsize, (size_t)PAGE_SIZE);
	size_t boundary = pm->boundary ? min(pm->boundary, allocation) : allocation;
	size_t per_page = blocks_per_page(bsize, allocation, boundary);
	size_t pages = DIV_ROUND_UP((size_t)n, per_page);
	unsigned long errs = ukmem_dma_debug_errors();
	struct pool_counts c;

	CHECK(pool != NULL && p != NULL);
	if (!pool || !p) {
		free(p);
		dma_pool_destroy(pool);
		return;
	}
	for (round = 0; round < 3; round++) {
		for (i = 0; i < n; i++) {
			p[i].v = dma_pool_alloc(pool, GFP_KERNEL, &p[i].dma);
			if (!p[i].v) {
				CHECK(p[i].v != NULL);
				break;
			}
		}
		if (i == n)
			check_round(pm, bsize, p, n, round);
		CHECK(pool_counts(&dev64, "test pool", &c));
		CHECK_EQ(c.active, i);
		CHECK_EQ(c.size, bsize);
		/* Exactly the pages n blocks need, the same in every round: all reused. */
		CHECK_EQ(c.pages, pages);
		CHECK_EQ(c.blocks, pages * per_page);
		while (i-- > 0)
			dma_pool_free(pool, p[i].v, p[i].dma);
		CHECK(pool_counts(&dev64, "test pool", &c));
		CHECK_EQ(c.active, 0);
	}
	dma_pool_destroy(pool);
	CHECK_EQ(ukmem_dma_debug_errors(), errs);
	free(p);
}

static void test_kernel_pools(void)
{
	static const struct parms parms[] = {
		/* mm/dmapool_test.c's table */
		{ 16, 16, 0 }, { 64, 64, 0 }, { 256, 256, 0 }, { 1024, 1024, 0 },
		{ 4096, 4096, 0 }, { 68, 32, 4096 },
		/* boundaries that leave gaps, odd sizes, blocks above a page */
		{ 100, 8, 256 }, { 24, 8, 64 }, { 40, 0, 128 }, { 1, 0, 0 }, { 17, 0, 0 },
		{ 5000, 0, 0 }, { 3000, 1024, 4096 }, { 8192, 0, 16384 },
	};
	size_t i;

	boot();
	for (i = 0; i < ARRAY_SIZE(parms); i++)
		run_parms(&parms[i]);
}

/* ------------------------------------------------------------------ */
/* Creation                                                             */

static void test_create_params(void)
{
	struct dma_pool *pool;
	struct pool_counts c;
	static const struct { size_t size, align; size_t want; } sizes[] = {
		{ 1, 0, 16 }, { 8, 0, 16 }, { 16, 0, 16 }, { 17, 0, 17 }, { 17, 4, 20 },
		{ 68, 32, 96 }, { 100, 64, 128 }, { 4097, 0, 4097 }, { 3, 4096, 4096 },
	};
	size_t i;

	boot();
	/* What the kernel refuses. */
	CHECK(dma_pool_create("x", NULL, 64, 8, 0) == NULL);
	CHECK(dma_pool_create("x", &dev64, 0, 8, 0) == NULL);
	CHECK(dma_pool_create("x", &dev64, (size_t)INT_MAX + 1, 0, 0) == NULL);
	CHECK(dma_pool_create("x", &dev64, 64, 3, 0) == NULL);
	CHECK(dma_pool_create("x", &dev64, 64, 48, 0) == NULL);
	CHECK(dma_pool_create("x", &dev64, 64, 8, 96) == NULL);	/* not a power of two */
	CHECK(dma_pool_create("x", &dev64, 64, 8, 32) == NULL);	/* below the size */
	CHECK(dma_pool_create("x", &dev64, 60, 64, 32) == NULL);	/* below the aligned size */
	CHECK(dma_pool_create("x", &dev64, 16, (size_t)1 << 40, 0) == NULL);
	/* A node for the pool's own structures. */
	pool = dma_pool_create_node("node0", &dev64, 64, 8, 0, 0);
	CHECK(pool != NULL);
	dma_pool_destroy(pool);
	/* INT_MAX itself is accepted (and only created: no page of it is wanted). */
	pool = dma_pool_create("huge", &dev64, INT_MAX, 0, 0);
	CHECK(pool != NULL);
	dma_pool_destroy(pool);
	dma_pool_destroy(NULL);		/* nothing */

	/* The sizes blocks get: at least a free block's link, then aligned. */
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		pool = dma_pool_create("sized", &dev64, sizes[i].size, sizes[i].align, 0);
		CHECK(pool != NULL);
		if (!pool)
			continue;
		CHECK(pool_counts(&dev64, "sized", &c));
		CHECK_EQ(c.size, sizes[i].want);
		CHECK_EQ(c.pages, 0);
		CHECK_EQ(c.blocks, 0);
		dma_pool_destroy(pool);
	}
}

static void test_pools_report(void)
{
	static struct device lonely = { .init_name = "lonely", .driver = &drv };
	struct dma_pool *alpha, *longname, *other;
	char expect[512], line[128];
	dma_addr_t h[3];
	void *v[3];
	int i;

	boot();
	CHECK_EQ(ukmem_dma_pools_show(&lonely, showbuf), -ENOENT);
	alpha = dma_pool_create("alpha", &dev32, 32, 0, 0);
	longname = dma_pool_create("a-pool-name-longer-than-the-kernel-keeps", &dev32, 1000, 8,
				   1024);
	other = dma_pool_create("other", &dev64, 32, 0, 0);
	CHECK(alpha && longname && other);
	if (!alpha || !longname || !other)
		return;
	for (i = 0; i < 3; i++)
		v[i] = dma_pool_alloc(alpha, GFP_KERNEL, &h[i]);
	CHECK(v[0] && v[1] && v[2]);

	/* Newest first; the name cut to 31 characters; only this device's pools. */
	strcpy(expect, "poolinfo - 0.1\n");
	pool_line(line, sizeof(line), "a-pool-name-longer-than-the-ker", 0, 0, 1000, 0);
	strcat(expect, line);
	pool_line(line, sizeof(line), "alpha", 3, PAGE_SIZE / 32, 32, 1);
	strcat(expect, line);
	CHECK_EQ(ukmem_dma_pools_show(&dev32, showbuf), strlen(expect));
	CHECK(!strcmp(showbuf, expect));
	if (strcmp(showbuf, expect))
		fprintf(stderr, "got:\n%swanted:\n%s", showbuf, expect);

	for (i = 0; i < 3; i++)
		dma_pool_free(alpha, v[i], h[i]);
	dma_pool_destroy(longname);
	dma_pool_destroy(alpha);
	CHECK_EQ(ukmem_dma_pools_show(&dev32, showbuf), -ENOENT);
	CHECK(ukmem_dma_pools_show(&dev64, showbuf) > 0);
	dma_pool_destroy(other);
}

/* ------------------------------------------------------------------ */
/* Allocation                                                           */

static void test_zalloc_gfp_zones(void)
{
	struct dma_pool *pool, *p24, *p32;
	dma_addr_t h, h2;
	u8 *a, *b;
	int i;

	boot();
	pool = dma_pool_create("zalloc", &dev64, 200, 8, 0);
	CHECK(pool != NULL);
	if (!pool)
		return;
	a = dma_pool_alloc(pool, GFP_KERNEL, &h);
	CHECK(a != NULL);
	if (a) {
		memset(a, 0xff, 200);
		dma_pool_free(pool, a, h);
	}
	b = dma_pool_zalloc(pool, GFP_KERNEL, &h2);
	CHECK(b == a);		/* the block just freed comes back first */
	CHECK(b && all_bytes(b, 0, 200, 0));
	if (b)
		dma_pool_free(pool, b, h2);
	/* Never sleeping: from a fresh pool too (its first page with GFP_ATOMIC). */
	dma_pool_destroy(pool);
	pool = dma_pool_create("atomic", &dev64, 64, 0, 0);
	a = pool ? dma_pool_alloc(pool, GFP_ATOMIC, &h) : NULL;
	CHECK(a != NULL);
	if (a)
		dma_pool_free(pool, a, h);
	dma_pool_destroy(pool);

	/* The device's coherent mask picks the zone, as dma_alloc_coherent does. */
	p24 = dma_pool_create("isa", &dev24, 512, 512, 0);
	p32 = dma_pool_create("dma32", &dev32, 512, 512, 0);
	CHECK(p24 && p32);
	if (!p24 || !p32)
		return;
	for (i = 0; i < 20; i++) {
		a = dma_pool_alloc(p24, GFP_KERNEL, &h);
		b = dma_pool_alloc(p32, GFP_KERNEL | __GFP_HIGHMEM, &h2);
		CHECK(a && b);
		if (!a || !b)
			break;
		CHECK(h + 511 <= DMA_BIT_MASK(24));
		CHECK_EQ(page_zonenum(virt_to_page(a)), ZONE_DMA);
		CHECK(h2 + 511 <= DMA_BIT_MASK(32));
		dma_pool_free(p24, a, h);
		dma_pool_free(p32, b, h2);
	}
	dma_pool_destroy(p24);
	dma_pool_destroy(p32);
}

/* ------------------------------------------------------------------ */
/* Destroy                                                              */

static void test_destroy(void)
{
	struct dma_pool *pool;
	struct page *page;
	unsigned long errs;
	size_t mark = 0;
	const char *log, *first;
	dma_addr_t h[2];
	u8 *v[2];

	boot();
	errs = ukmem_dma_debug_errors();
	dmesg_since(&mark);

	/* Idle: its page goes back to the page allocator. */
	pool = dma_pool_create("idle-pool", &dev64, 64, 0, 0);
	v[0] = pool ? dma_pool_alloc(pool, GFP_KERNEL, &h[0]) : NULL;
	CHECK(v[0] != NULL);
	if (!v[0])
		return;
	page = virt_to_page(v[0]);
	CHECK(page_ref_count(page) > 0);
	CHECK(page->mapping == (void *)pool);
	dma_pool_free(pool, v[0], h[0]);
	dma_pool_destroy(pool);
	CHECK_EQ(page_ref_count(page), 0);
	CHECK(page->mapping == NULL);
	CHECK(!strstr(dmesg_since(&mark), "busy"));

	/* Busy: reported, and the memory a device may still use is leaked, not freed. */
	pool = dma_pool_create("busy-pool", &dev64, 64, 0, 0);
	v[0] = pool ? dma_pool_alloc(pool, GFP_KERNEL, &h[0]) : NULL;
	v[1] = pool ? dma_pool_alloc(pool, GFP_KERNEL, &h[1]) : NULL;
	CHECK(v[0] && v[1]);
	if (!v[0] || !v[1])
		return;
	dma_pool_free(pool, v[1], h[1]);
	page = virt_to_page(v[0]);
	dma_pool_destroy(pool);
	log = dmesg_since(&mark);
	CHECK_STR_CONTAINS(log, "testdrv dmapool0: dma_pool_destroy busy-pool busy\n");
	first = strstr(log, "dma_pool_destroy");
	CHECK(first && !strstr(first + 1, "dma_pool_destroy"));	/* once, not per page */
	CHECK(page_ref_count(page) > 0);
	CHECK(page->mapping == NULL);	/* no longer the pool's */
	memset(v[0], 0x11, 64);		/* still memory: the device may write it */
	CHECK_EQ(ukmem_dma_debug_errors(), errs);
}

/* ------------------------------------------------------------------ */
/* Managed pools (devres)                                               */

static void test_managed(void)
{
	static struct device mdev = { .init_name = "managed0", .driver = &drv };
	static u64 mmask;
	struct dma_pool *a, *b, *plain;
	struct pool_counts c;
	size_t mark = 0;
	const char *log;
	dma_addr_t h;
	void *v;

	boot();
	mdev.dma_mask = &mmask;
	CHECK_EQ(dma_set_mask_and_coherent(&mdev, DMA_BIT_MASK(64)), 0);
	dmesg_since(&mark);
	/* Refused arguments leave nothing managed behind. */
	CHECK(dmam_pool_create("bad", &mdev, 0, 0, 0) == NULL);
	CHECK(dmam_pool_create("bad", &mdev, 64, 3, 0) == NULL);
	CHECK_EQ(devres_release_all(&mdev), 0);

	a = dmam_pool_create("managed-a", &mdev, 64, 0, 0);
	b = dmam_pool_create("managed-b", &mdev, 128, 0, 0);
	plain = dma_pool_create("plain", &mdev, 32, 0, 0);
	CHECK(a && b && plain);
	if (!a || !b || !plain)
		return;
	v = dma_pool_alloc(a, GFP_KERNEL, &h);
	CHECK(v != NULL);
	if (v)
		dma_pool_free(a, v, h);
	/* Destroyed early; a pool the device does not manage: the kernel's WARN_ON, kept. */
	dmam_pool_destroy(b);
	CHECK(!pool_counts(&mdev, "managed-b", &c));
	CHECK(!strstr(dmesg_since(&mark), "WARNING"));
	dmam_pool_destroy(plain);
	log = dmesg_since(&mark);
	CHECK_STR_CONTAINS(log, "WARNING: ");
	CHECK_STR_CONTAINS(log, "dmam_pool_destroy");
	CHECK(pool_counts(&mdev, "plain", &c));
	dmam_pool_destroy(NULL);	/* nothing */

	/* The device lets go: its managed pool goes, busy or not (as dma_pool_destroy says). */
	v = dma_pool_alloc(a, GFP_KERNEL, &h);
	CHECK(v != NULL);
	CHECK_EQ(devres_release_all(&mdev), 1);
	CHECK_STR_CONTAINS(dmesg_since(&mark),
			   "testdrv managed0: dma_pool_destroy managed-a busy\n");
	CHECK(!pool_counts(&mdev, "managed-a", &c));
	CHECK(pool_counts(&mdev, "plain", &c));
	dma_pool_destroy(plain);
	CHECK_EQ(ukmem_dma_pools_show(&mdev, showbuf), -ENOENT);
}

/* ------------------------------------------------------------------ */
/* Bad frees and a corrupted free list                                  */

static void test_bad_free(void)
{
	struct dma_pool *pool, *other;
	struct pool_counts c;
	size_t mark = 0;
	const char *log;
	char line[160];
	dma_addr_t ha, hb, ho;
	u8 *a, *b, *o, *k;

	boot();
	pool = dma_pool_create("bad-pool", &dev64, 64, 64, 0);
	other = dma_pool_create("other-pool", &dev64, 64, 64, 0);
	CHECK(pool && other);
	if (!pool || !other)
		return;
	a = dma_pool_alloc(pool, GFP_KERNEL, &ha);
	b = dma_pool_alloc(pool, GFP_KERNEL, &hb);
	o = dma_pool_alloc(other, GFP_KERNEL, &ho);
	k = kmalloc(64, GFP_KERNEL);
	CHECK(a && b && o && k);
	if (!a || !b || !o || !k)
		return;
	dmesg_since(&mark);

	/* Double free: once freed, the second is reported and ignored. */
	dma_pool_free(pool, a, ha);
	dma_pool_free(pool, a, ha);
	snprintf(line, sizeof(line), "testdrv dmapool0: pool_block_err bad-pool, dma 0x%016llx "
		 "already free\n", (unsigned long long)ha);
	CHECK_STR_CONTAINS(dmesg_since(&mark), line);

	/* The right block with another block's DMA address. */
	dma_pool_free(pool, b, ha);
	snprintf(line, sizeof(line), "pool_block_err bad-pool, %016lx/0x%016llx (bad dma)\n",
		 (unsigned long)b, (unsigned long long)ha);
	CHECK_STR_CONTAINS(dmesg_since(&mark), line);

	/* Inside a block, with a DMA address of the pool: the address is wrong. */
	dma_pool_free(pool, b + 8, hb + 8);
	snprintf(line, sizeof(line), "pool_block_err bad-pool, %016lx (bad vaddr)/0x%016llx\n",
		 (unsigned long)(b + 8), (unsigned long long)(hb + 8));
	CHECK_STR_CONTAINS(dmesg_since(&mark), line);

	/* Another pool's block; kmalloc memory; no memory at all. */
	dma_pool_free(pool, o, ho);
	snprintf(line, sizeof(line), "pool_block_err bad-pool, %016lx/0x%016llx (bad dma)\n",
		 (unsigned long)o, (unsigned long long)ho);
	CHECK_STR_CONTAINS(dmesg_since(&mark), line);
	dma_pool_free(pool, k, virt_to_phys(k));
	CHECK_STR_CONTAINS(dmesg_since(&mark), "(bad dma)");
	dma_pool_free(pool, &mark, 0x1000);
	CHECK_STR_CONTAINS(dmesg_since(&mark), "(bad dma)");
	dma_pool_free(pool, NULL, 0);
	log = dmesg_since(&mark);
	CHECK_STR_CONTAINS(log, "(bad dma)");

	/* None of it changed anything: b is still out, and frees as it should. */
	CHECK(pool_counts(&dev64, "bad-pool", &c));
	CHECK_EQ(c.active, 1);
	dma_pool_free(pool, b, hb);
	dma_pool_free(other, o, ho);
	CHECK(pool_counts(&dev64, "bad-pool", &c));
	CHECK_EQ(c.active, 0);
	CHECK(pool_counts(&dev64, "other-pool", &c));
	CHECK_EQ(c.active, 0);
	CHECK(!strstr(dmesg_since(&mark), "pool_block_err"));
	kfree(k);
	dma_pool_destroy(other);
	dma_pool_destroy(pool);
	CHECK(!strstr(dmesg_since(&mark), "busy"));
}

static void test_corrupted_free_list(void)
{
	struct dma_pool *pool;
	struct pool_counts c;
	size_t mark = 0;
	char line[160];
	dma_addr_t ha, hb, hx;
	u8 *a, *b, *x;
	u64 junk = 0x1234;

	boot();
	pool = dma_pool_create("uaf-pool", &dev64, 64, 0, 0);
	a = pool ? dma_pool_alloc(pool, GFP_KERNEL, &ha) : NULL;
	CHECK(a != NULL);
	if (!a)
		return;
	dmesg_since(&mark);

	/* A write after free over the link: the next block it names is not followed. */
	dma_pool_free(pool, a, ha);
	memcpy(a, &junk, sizeof(junk));
	b = dma_pool_alloc(pool, GFP_KERNEL, &hb);	/* a itself is sound */
	CHECK(b == a && hb == ha);
	x = dma_pool_alloc(pool, GFP_KERNEL, &hx);	/* the junk: reported, a new page */
	snprintf(line, sizeof(line), "testdrv dmapool0: dma_pool_alloc uaf-pool, %016llx "
		 "(free list corrupted)\n", (unsigned long long)junk);
	CHECK_STR_CONTAINS(dmesg_since(&mark), line);
	CHECK(x != NULL && x != a);
	if (x)
		CHECK_EQ(hx, virt_to_phys(x));
	CHECK(pool_counts(&dev64, "uaf-pool", &c));
	CHECK_EQ(c.pages, 2);
	CHECK_EQ(c.active, 2);

	/* A write after free over the handle: the block is not handed out with it. */
	dma_pool_free(pool, x, hx);
	memset(x + 8, 0xff, 8);
	b = dma_pool_alloc(pool, GFP_KERNEL, &hb);
	snprintf(line, sizeof(line), "dma_pool_alloc uaf-pool, %016lx (free list corrupted)\n",
		 (unsigned long)x);
	CHECK_STR_CONTAINS(dmesg_since(&mark), line);
	CHECK(b != NULL && b != x);
	if (b) {
		CHECK_EQ(hb, virt_to_phys(b));
		dma_pool_free(pool, b, hb);
	}
	dma_pool_free(pool, a, ha);
	dma_pool_destroy(pool);
	CHECK(!strstr(dmesg_since(&mark), "busy"));
}

/* ------------------------------------------------------------------ */
/* Interrupt context with the lock held by the interrupted code           */

static void handler_child(void *arg __maybe_unused)
{
	struct dma_pool *pool;
	struct pool_counts c;
	size_t mark = 0;
	dma_addr_t ha, hb;
	u8 *a, *b;

	boot();
	pool = dma_pool_create("irq-pool", &dev64, 64, 0, 0);
	a = pool ? dma_pool_alloc(pool, GFP_KERNEL, &ha) : NULL;
	CHECK(a != NULL);
	if (!a)
		return;
	dmesg_since(&mark);
	spin_lock(dma_pool_lock_for_tests(pool));
	ukmem_irq_enter();
	CHECK(dma_pool_alloc(pool, GFP_ATOMIC, &hb) == NULL);	/* would wait for itself */
	dma_pool_free(pool, a, ha);				/* parked */
	dma_pool_free(pool, a, ha);				/* still caught */
	ukmem_irq_exit();
	spin_unlock(dma_pool_lock_for_tests(pool));
	CHECK_STR_CONTAINS(dmesg_since(&mark), "already free");
	CHECK(pool_counts(&dev64, "irq-pool", &c));
	CHECK_EQ(c.active, 0);
	/* The parked block is back at the head of the free list. */
	b = dma_pool_alloc(pool, GFP_KERNEL, &hb);
	CHECK(b == a && hb == ha);
	/* Free in interrupt context with the lock free: straight back. */
	ukmem_irq_enter();
	dma_pool_free(pool, b, hb);
	ukmem_irq_exit();
	CHECK(pool_counts(&dev64, "irq-pool", &c));
	CHECK_EQ(c.active, 0);
	dma_pool_destroy(pool);
	CHECK(!strstr(dmesg_since(&mark), "busy"));
}

/* In a child: a handler that waited for its own thread's lock would hang it. */
static void test_handler_context(void)
{
	boot();
	ktest_child_case(handler_child, NULL);
}

/* ------------------------------------------------------------------ */
/* fork() while another thread holds the pools' locks now and then       */

static struct dma_pool *fork_pool;
static int fork_stop;

static void *fork_hammer(void *arg)
{
	static char buf[PAGE_SIZE];

	(void)arg;
	while (!__atomic_load_n(&fork_stop, __ATOMIC_RELAXED)) {
		dma_addr_t h;
		void *v = dma_pool_alloc(fork_pool, GFP_KERNEL, &h);

		if (v)
			dma_pool_free(fork_pool, v, h);
		ukmem_dma_pools_show(&dev64, buf);	/* the list's lock too */
	}
	return NULL;
}

/* The child inherits no lock held: its pool works, new pools can be made. */
static void fork_child(void *arg)
{
	static char buf[PAGE_SIZE];
	struct dma_pool *pool;
	dma_addr_t h;
	void *v;

	(void)arg;
	v = dma_pool_alloc(fork_pool, GFP_KERNEL, &h);
	CHECK(v != NULL);
	if (v)
		dma_pool_free(fork_pool, v, h);
	pool = dma_pool_create("child", &dev64, 32, 0, 0);
	v = pool ? dma_pool_alloc(pool, GFP_KERNEL, &h) : NULL;
	CHECK(v != NULL);
	if (v)
		dma_pool_free(pool, v, h);
	dma_pool_destroy(pool);
	CHECK(ukmem_dma_pools_show(&dev64, buf) > 0 && strstr(buf, "forked"));
}

static void test_fork(void)
{
	pthread_t t;
	int i;

	boot();
	fork_pool = dma_pool_create("forked", &dev64, 64, 0, 0);
	CHECK(fork_pool != NULL);
	if (!fork_pool)
		return;
	__atomic_store_n(&fork_stop, 0, __ATOMIC_RELAXED);
	pthread_create(&t, NULL, fork_hammer, NULL);
	for (i = 0; i < 20; i++)
		ktest_child_case(fork_child, NULL);
	__atomic_store_n(&fork_stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	dma_pool_destroy(fork_pool);
}

/* ------------------------------------------------------------------ */
/* Threads                                                              */

#define THREADS		4
#define BATCH		48

static struct dma_pool *shared[2];
static const size_t shared_size[2] = { 48, 200 };
static unsigned long thread_ops;
static pthread_barrier_t start_line;	/* all start together: contention from the first op */

struct worker {
	int id;
	unsigned int seed;
	int bad;
};

static void *worker(void *arg)
{
	struct worker *w = arg;
	struct pair held[BATCH];
	int which[BATCH], n = 0;
	unsigned long op;

	pthread_barrier_wait(&start_line);
	for (op = 0; op < thread_ops; op++) {
		int k = rand_r(&w->seed) % 2;

		if (n < BATCH && (n == 0 || rand_r(&w->seed) % 3)) {
			struct pair *p = &held[n];

			p->v = dma_pool_alloc(shared[k], GFP_KERNEL, &p->dma);
			if (!p->v || p->dma != virt_to_phys(p->v)) {
				w->bad++;
				continue;
			}
			/* Owned by this thread alone: its mark, whole. */
			memset(p->v, w->id * 16 + n % 16, shared_size[k]);
			which[n++] = k;
		} else {
			int i = rand_r(&w->seed) % n;
			struct pair p = held[i];

			if (!all_bytes(p.v, 0, shared_size[which[i]], (u8)(w->id * 16 + i % 16)))
				w->bad++;
			dma_pool_free(shared[which[i]], p.v, p.dma);
			/* The last one takes its place (its mark is rewritten). */
			n--;
			if (i != n) {
				held[i] = held[n];
				which[i] = which[n];
				memset(held[i].v, w->id * 16 + i % 16, shared_size[which[i]]);
			}
		}
	}
	while (n-- > 0)
		dma_pool_free(shared[which[n]], held[n].v, held[n].dma);
	return NULL;
}

/* Meanwhile: pools of the same device come and go, and the report reads them all. */
static void *churner(void *arg)
{
	static char buf[PAGE_SIZE];
	unsigned long i;
	int *bad = arg;

	pthread_barrier_wait(&start_line);
	for (i = 0; i < thread_ops / 50; i++) {
		struct dma_pool *pool = dma_pool_create("churn", &dev64, 96, 32, 0);
		dma_addr_t h;
		void *v;

		if (!pool) {
			(*bad)++;
			continue;
		}
		v = dma_pool_alloc(pool, GFP_KERNEL, &h);
		if (!v)
			(*bad)++;
		if (ukmem_dma_pools_show(&dev64, buf) <= 0 || !strstr(buf, "churn"))
			(*bad)++;
		if (v)
			dma_pool_free(pool, v, h);
		dma_pool_destroy(pool);
	}
	return NULL;
}

static void run_threads(void)
{
	pthread_t t[THREADS + 1];
	struct worker w[THREADS];
	struct pool_counts c;
	int i, churn_bad = 0;
	size_t mark = 0;

	boot();
	thread_ops = ktest_stress_ops(200000);
	pthread_barrier_init(&start_line, NULL, THREADS + 1);
	dmesg_since(&mark);
	shared[0] = dma_pool_create("shared48", &dev64, shared_size[0], 16, 256);
	shared[1] = dma_pool_create("shared200", &dev32, shared_size[1], 8, 0);
	CHECK(shared[0] && shared[1]);
	if (!shared[0] || !shared[1])
		return;
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .id = i, .seed = ktest_stress_seed() + (unsigned int)i };
		pthread_create(&t[i], NULL, worker, &w[i]);
	}
	pthread_create(&t[THREADS], NULL, churner, &churn_bad);
	for (i = 0; i <= THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start_line);
	for (i = 0; i < THREADS; i++)
		CHECK_EQ(w[i].bad, 0);
	CHECK_EQ(churn_bad, 0);
	CHECK(pool_counts(&dev64, "shared48", &c));
	CHECK_EQ(c.active, 0);
	/* Never more pages than all threads' batches at once could need. */
	CHECK(c.pages > 0);
	CHECK(c.pages <= DIV_ROUND_UP(THREADS * BATCH, c.blocks / c.pages) + THREADS);
	CHECK(pool_counts(&dev32, "shared200", &c));
	CHECK_EQ(c.active, 0);
	dma_pool_destroy(shared[0]);
	dma_pool_destroy(shared[1]);
	CHECK(!strstr(dmesg_since(&mark), "pool_"));
}

/*
 * In this process, not a child: ThreadSanitizer reports nothing in the
 * child of a threaded process, and this is the case it is for.
 */
static void test_threads(void)
{
	boot();
	run_threads();
}

int main(void)
{
	/* First use and the debug boots fork before this process boots. */
	KTEST_RUN(KTEST(test_first_use), KTEST(test_debug_boots), KTEST(test_kernel_pools),
		  KTEST(test_create_params), KTEST(test_pools_report), KTEST(test_zalloc_gfp_zones),
		  KTEST(test_destroy), KTEST(test_managed), KTEST(test_bad_free),
		  KTEST(test_corrupted_free_list), KTEST(test_handler_context), KTEST(test_fork),
		  KTEST(test_threads));
}
