/* SPDX-License-Identifier: MIT */
/*
 * What the slab allocator reports, on a mem=512M machine:
 *  - /proc/slabinfo in the 2.1 format, newest cache first, with true
 *    figures: after kmem_cache_shrink() (which empties the per-CPU caches)
 *    active_objs is exactly the number of live objects;
 *  - meminfo's Slab lines against the caches' pages;
 *  - kmem_cache_destroy() of a cache with live objects: the kernel's
 *    report, every leaked object listed, the WARN naming the caller, and
 *    the cache intact;
 *  - bad frees, each with its report, and the allocator consistent after.
 */
#define _GNU_SOURCE
#include "slab_test.h"
#include <regex.h>
#include <stdint.h>

#include <linux/mm.h>
#include <ukmem/debug.h>
#include "mm/slab.h"

#define EQ77 "============================================================================="
#define DASH77 "-----------------------------------------------------------------------------"

static bool matches(const char *re, const char *s)
{
	return ktest_matches(s, re);
}

/* ---- slabinfo ---- */

static void test_slabinfo_format(void)
{
	char *text, *line, *save = NULL, *tail[5] = { NULL };
	struct kmem_cache *c = kmem_cache_create("tslab_newest", 300, 0, SLAB_NO_MERGE, NULL);
	int n = 0, bad = 0;

	text = report_text("slabinfo");
	CHECK(text != NULL);
	if (!text)
		return;
	{
		static const char header[] = "slabinfo - version: 2.1\n"
			"# name            <active_objs> <num_objs> <objsize> <objperslab> "
			"<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
			"slabdata <active_slabs> <num_slabs> <sharedavail>\n";

		CHECK(!strncmp(text, header, sizeof(header) - 1));
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (++n <= 2)
			continue;
		/* "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu" */
		if (!matches("^[a-z0-9_-]{1,17} *( [ 0-9]{5}[0-9]){2} [ 0-9]{5}[0-9]( [ 0-9]{3}[0-9]){2}"
			     " : tunables    0    0    0 : slabdata( [ 0-9]{5}[0-9]){2}      0$", line)) {
			if (!bad++)
				fprintf(stderr, "bad slabinfo line: '%s'\n", line);
		}
		/* Newest first. */
		if (n == 3)
			CHECK(!strncmp(line, "tslab_newest ", 13));
		memmove(tail, tail + 1, sizeof(tail) - sizeof(tail[0]));
		tail[4] = line;
	}
	CHECK_EQ(bad, 0);
	CHECK(n > 40);
	/*
	 * The bootstrap caches close the list, as in the kernel, after the
	 * kmalloc caches that are not a power of two, which v6.8+ makes
	 * first (create_kmalloc_caches), then kmalloc-8.
	 */
	CHECK(tail[0] && !strncmp(tail[0], "kmalloc-8 ", 10));
	CHECK(tail[1] && !strncmp(tail[1], "kmalloc-192 ", 12));
	CHECK(tail[2] && !strncmp(tail[2], "kmalloc-96 ", 11));
	CHECK(tail[3] && !strncmp(tail[3], "kmem_cache_node ", 16));
	CHECK(tail[4] && !strncmp(tail[4], "kmem_cache ", 11));
	free(text);
	kmem_cache_destroy(c);
}

/*
 * A cache name longer than a slabinfo line usually is: the kernel prints it
 * whole ("%-17s"), and the line keeps its columns and its newline (a
 * 256-byte line buffer used to cut it and glue the next cache's line on).
 */
static void test_slabinfo_long_name(void)
{
	static char name[301];
	struct kmem_cache *c;
	char *text, *line, *save = NULL;
	int found = 0;

	memset(name, 'l', 300);
	c = kmem_cache_create(name, 72, 0, SLAB_NO_MERGE, NULL);
	CHECK(c != NULL);
	text = report_text("slabinfo");
	CHECK(text != NULL);
	if (!text || !c)
		goto out;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, name, 300))
			continue;
		found++;
		CHECK(matches("^l{300}( [ 0-9]{5}[0-9]){2} [ 0-9]{5}[0-9]( [ 0-9]{3}[0-9]){2}"
			      " : tunables    0    0    0 : slabdata( [ 0-9]{5}[0-9]){2}      0$", line));
	}
	CHECK_EQ(found, 1);
out:
	free(text);
	kmem_cache_destroy(c);
}

/*
 * Pinned to one CPU for the count: a thread that moves between two CPUs
 * (lock mode under ThreadSanitizer caches its CPU number and moves often)
 * leaves half-used refills on both stacks, from two slabs, and after the
 * shrink both slabs are partly used: 151 slabs for 3000 objects.
 */
static void test_slabinfo_counts(void)
{
	struct kmem_cache *c = kmem_cache_create("tslab_count", 200, 0, SLAB_NO_MERGE, NULL);
	struct slabinfo_line l;
	static void *p[3000];
	cpu_set_t old;
	bool pinned = ktest_pin_first_cpu(&old);
	int i;

	/* Lock mode reads the CPU number afresh every 64 calls: let it see the pin. */
	for (i = 0; i < 2 * UKMEM_CPU_RECHECK; i++)
		kfree(kmalloc(8, GFP_KERNEL));

	for (i = 0; i < 3000; i++)
		p[i] = kmem_cache_alloc(c, GFP_KERNEL);
	/* Objects in per-CPU caches count as active, as SLUB reports them. */
	CHECK(slabinfo_get("tslab_count", &l, NULL, 0));
	CHECK(l.active_objs >= 3000);
	CHECK(l.active_objs <= l.num_objs);
	kmem_cache_shrink(c);
	CHECK(slabinfo_get("tslab_count", &l, NULL, 0));
	CHECK_EQ(l.active_objs, 3000);
	CHECK_EQ(l.objsize, 200);
	CHECK_EQ(l.objperslab, 20);		/* 4096 / 200, order 0 */
	CHECK_EQ(l.pagesperslab, 1);
	CHECK_EQ(l.num_objs, l.num_slabs * l.objperslab);
	CHECK_EQ(l.num_slabs, (3000 + 19) / 20);	/* shrink left no empty slab */
	CHECK_EQ(l.active_slabs, l.num_slabs);
	for (i = 0; i < 3000; i += 2)
		kmem_cache_free(c, p[i]);
	kmem_cache_shrink(c);
	CHECK(slabinfo_get("tslab_count", &l, NULL, 0));
	CHECK_EQ(l.active_objs, 1500);
	CHECK_EQ(l.num_objs, l.num_slabs * 20);
	for (i = 1; i < 3000; i += 2)
		kmem_cache_free(c, p[i]);
	kmem_cache_shrink(c);
	CHECK(slabinfo_get("tslab_count", &l, NULL, 0));
	CHECK_EQ(l.active_objs, 0);
	CHECK_EQ(l.num_objs, 0);
	CHECK_EQ(l.num_slabs, 0);
	kmem_cache_destroy(c);
	if (pinned)
		sched_setaffinity(0, sizeof(old), &old);
}

static void test_meminfo_slab(void)
{
	struct kmem_cache *c = kmem_cache_create("tslab_mem", 1024, 0, SLAB_NO_MERGE, NULL);
	long slab0 = meminfo_kb("Slab"), slab1;
	struct slabinfo_line l;
	static void *p[2000];
	int i;

	CHECK_EQ(slab0, meminfo_kb("SReclaimable") + meminfo_kb("SUnreclaim"));
	for (i = 0; i < 2000; i++)
		p[i] = kmem_cache_alloc(c, GFP_KERNEL);
	slab1 = meminfo_kb("Slab");
	CHECK(slabinfo_get("tslab_mem", &l, NULL, 0));
	/* The cache's slabs are what Slab grew by (nothing else allocated). */
	CHECK_EQ(slab1 - slab0, (long)(l.num_slabs * l.pagesperslab * 4));
	CHECK_EQ(meminfo_kb("SUnreclaim") - (slab0 - meminfo_kb("SReclaimable")),
		 slab1 - slab0);
	for (i = 0; i < 2000; i++)
		kmem_cache_free(c, p[i]);
	kmem_cache_shrink(c);
	CHECK_EQ(meminfo_kb("Slab"), slab0);
	kmem_cache_destroy(c);
}

/* ---- destroy with live objects ---- */

/* Not static: the WARN names its caller with %pS, which needs a symbol. */
noinline void tslab_destroy_caller(struct kmem_cache *c);
noinline void tslab_destroy_caller(struct kmem_cache *c)
{
	kmem_cache_destroy(c);
	barrier();
}

static void test_destroy_leaks(void)
{
	struct kmem_cache *c = kmem_cache_create("tslab_leak", 64, 0, SLAB_NO_MERGE, NULL);
	struct slabinfo_line l;
	char want[128];
	void *p[3], *q;
	const char *log, *bug, *warn;
	int i;

	for (i = 0; i < 3; i++)
		p[i] = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, p[1]);
	ukmem_dmesg_clear();
	ukmem_clear_taint();
	tslab_destroy_caller(c);
	log = log_text();
	/* 6.12+: the BUG line, the objects, then the slab's line (list_slab_objects). */
	CHECK_STR_CONTAINS(log, EQ77 "\nBUG tslab_leak (Not tainted): Objects remaining on "
			   "__kmem_cache_shutdown()\n" DASH77 "\n\n");
	CHECK(matches("Slab 0x[0-9a-f]{16} objects=64 used=2 fp=0x[0-9a-f]{16} flags=0x[0-9a-f]+\\(node=0\\|zone=[0-9]\\)\n",
		      log));
	for (i = 0; i < 3; i += 2) {
		snprintf(want, sizeof(want), "Object 0x%016lx @offset=%lu\n", (unsigned long)p[i],
			 (unsigned long)p[i] & (PAGE_SIZE - 1));
		CHECK_STR_CONTAINS(log, want);
		CHECK(strstr(log, want) < strstr(log, "\nSlab 0x"));
	}
	CHECK_EQ(count_substr(log, "Object 0x"), 2);
	CHECK_EQ(count_substr(log, "BUG tslab_leak"), 1);
	CHECK_STR_CONTAINS(log, "kmem_cache_destroy tslab_leak: Slab cache still has objects "
			   "when called from tslab_destroy_caller+0x");
	bug = strstr(log, "BUG tslab_leak");
	warn = strstr(log, "WARNING: ");
	CHECK(bug && warn && bug < warn);	/* the list, then the WARN */
	CHECK(test_taint(TAINT_BAD_PAGE));

	/* The cache is intact: its objects, its line, new allocations. */
	CHECK(slabinfo_get("tslab_leak", &l, NULL, 0));
	CHECK_EQ(l.active_objs, 2);
	memset(p[0], 1, 64);
	q = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(q != NULL && q != p[0] && q != p[2]);
	kmem_cache_free(c, q);
	kmem_cache_free(c, p[0]);
	kmem_cache_free(c, p[2]);
	/* Now it goes, silently. */
	ukmem_dmesg_clear();
	kmem_cache_destroy(c);
	CHECK(strstr(log_text(), "BUG") == NULL);
	CHECK(!slabinfo_get("tslab_leak", &l, NULL, 0));
}

/* Leaks in full slabs are listed too (the kernel lists only partial ones). */
static void test_destroy_leaks_full_slabs(void)
{
	struct kmem_cache *c = kmem_cache_create("tslab_leakfull", 512, 0, SLAB_NO_MERGE, NULL);
	static void *p[100];
	int i;

	for (i = 0; i < 100; i++)
		p[i] = kmem_cache_alloc(c, GFP_KERNEL);
	ukmem_dmesg_clear();
	kmem_cache_destroy(c);
	CHECK_EQ(count_substr(log_text(), "Object 0x"), 100);
	for (i = 0; i < 100; i++)
		kmem_cache_free(c, p[i]);
	kmem_cache_destroy(c);
}

/* ---- bad input ---- */

static void check_consistent(struct kmem_cache *c, const char *name, unsigned long live)
{
	struct slabinfo_line l;

	kmem_cache_shrink(c);
	CHECK(slabinfo_get(name, &l, NULL, 0));
	CHECK_EQ(l.active_objs, live);
}

static void test_invalid_pointer(void)
{
	struct kmem_cache *c = kmem_cache_create("tslab_inval", 96, 0, SLAB_NO_MERGE, NULL);
	char *p = kmem_cache_alloc(c, GFP_KERNEL), *k = kmalloc(64, GFP_KERNEL);
	char want[160];
	const char *log;

	ukmem_dmesg_clear();
	kmem_cache_free(c, p + 8);
	log = log_text();
	CHECK_STR_CONTAINS(log, EQ77 "\nBUG tslab_inval (");
	snprintf(want, sizeof(want), "): Invalid object pointer 0x%016lx\n" DASH77,
		 (unsigned long)(p + 8));
	CHECK_STR_CONTAINS(log, want);
	CHECK_STR_CONTAINS(log, "Slab 0x");
	snprintf(want, sizeof(want), "FIX tslab_inval: Object at 0x%016lx not freed\n",
		 (unsigned long)(p + 8));
	CHECK_STR_CONTAINS(log, want);

	ukmem_dmesg_clear();
	kfree(k + 1);
	snprintf(want, sizeof(want), "BUG kmalloc-64 (Tainted: ");
	CHECK_STR_CONTAINS(log_text(), want);
	snprintf(want, sizeof(want), "Invalid object pointer 0x%016lx", (unsigned long)(k + 1));
	CHECK_STR_CONTAINS(log_text(), want);

	/* Past the last object of a slab (the slab's tail padding). */
	{
		struct slab *slab = virt_to_slab(p);
		char *tail = (char *)slab_address(slab) + slab->objects * 96;

		ukmem_dmesg_clear();
		kmem_cache_free(c, tail);
		CHECK_STR_CONTAINS(log_text(), "Invalid object pointer");
	}
	/* Nothing was freed: the objects are still ours. */
	check_consistent(c, "tslab_inval", 1);
	memset(p, 0, 96);
	memset(k, 0, 64);
	kmem_cache_free(c, p);
	kfree(k);
	check_consistent(c, "tslab_inval", 0);
	kmem_cache_destroy(c);
}

static void test_wrong_cache(void)
{
	struct kmem_cache *a = kmem_cache_create("tslab_ca", 64, 0, SLAB_NO_MERGE, NULL);
	struct kmem_cache *b = kmem_cache_create("tslab_cb", 64, 0, SLAB_NO_MERGE, NULL);
	void *x = kmem_cache_alloc(a, GFP_KERNEL);
	char buf[64];

	ukmem_dmesg_clear();
	kmem_cache_free(b, x);
	/* %p: 16 hex digits, unhashed (lib/vsprintf.c). */
	snprintf(buf, sizeof(buf), "kmem_cache_free(tslab_cb, %016lx): object belongs",
		 (unsigned long)x);
	CHECK_STR_CONTAINS(log_text(), "------------[ cut here ]------------\n");
	CHECK_STR_CONTAINS(log_text(), buf);
	CHECK_STR_CONTAINS(log_text(), "): object belongs to different cache tslab_ca\n");
	CHECK_STR_CONTAINS(log_text(), "WARNING: ");
	/* As 7.x does, the object is left allocated in its own cache: leaked on purpose. */
	check_consistent(a, "tslab_ca", 1);
	check_consistent(b, "tslab_cb", 0);
	kmem_cache_free(a, x);
	check_consistent(a, "tslab_ca", 0);

	/* kmem_cache_free of memory that is no slab at all. */
	ukmem_dmesg_clear();
	kmem_cache_free(a, buf);
	CHECK_STR_CONTAINS(log_text(), "kmem_cache_free(tslab_ca, ");
	CHECK_STR_CONTAINS(log_text(), "): object is not in a slab page\n");
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
}

static void test_double_free(void)
{
	struct kmem_cache *c = kmem_cache_create("tslab_df", 128, 0, SLAB_NO_MERGE, NULL);
	void *p = kmem_cache_alloc(c, GFP_KERNEL), *q, *r;
	char want[128];
	void *k;

	kmem_cache_free(c, p);
	ukmem_dmesg_clear();
	kmem_cache_free(c, p);
	CHECK_STR_CONTAINS(log_text(), "): Object already free\n" DASH77);
	snprintf(want, sizeof(want), "Object 0x%016lx @offset=", (unsigned long)p);
	CHECK_STR_CONTAINS(log_text(), want);
	CHECK_STR_CONTAINS(log_text(), "Object   ");		/* the hex dump */
	snprintf(want, sizeof(want), "FIX tslab_df: Object at 0x%016lx not freed", (unsigned long)p);
	CHECK_STR_CONTAINS(log_text(), want);
	/* The second free was refused: the object comes back once, not twice. */
	q = kmem_cache_alloc(c, GFP_KERNEL);
	r = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(q != r);
	kmem_cache_free(c, q);
	kmem_cache_free(c, r);
	check_consistent(c, "tslab_df", 0);

	k = kmalloc(32, GFP_KERNEL);
	kfree(k);
	ukmem_dmesg_clear();
	kfree(k);
	CHECK_STR_CONTAINS(log_text(), "BUG kmalloc-32 (");
	CHECK_STR_CONTAINS(log_text(), "Object already free");
	q = kmalloc(32, GFP_KERNEL);
	r = kmalloc(32, GFP_KERNEL);
	CHECK(q != r);
	kfree(q);
	kfree(r);

	/*
	 * A double free that reaches the slab (the per-CPU caches emptied in
	 * between) finds the object at the head of its slab's freelist.
	 */
	p = kmem_cache_alloc(c, GFP_KERNEL);
	q = kmem_cache_alloc(c, GFP_KERNEL);	/* keeps the slab alive */
	CHECK(virt_to_slab(p) == virt_to_slab(q));
	kmem_cache_free(c, p);
	kmem_cache_shrink(c);			/* p is back in its slab */
	ukmem_dmesg_clear();
	kmem_cache_free(c, p);			/* onto this CPU's cache: not seen yet */
	kmem_cache_shrink(c);			/* ... but seen here */
	CHECK_STR_CONTAINS(log_text(), "Object already free");
	check_consistent(c, "tslab_df", 1);
	r = kmem_cache_alloc(c, GFP_KERNEL);
	k = kmem_cache_alloc(c, GFP_KERNEL);
	CHECK(r != k && r != q && k != q);
	kmem_cache_free(c, r);
	kmem_cache_free(c, k);
	kmem_cache_free(c, q);
	check_consistent(c, "tslab_df", 0);
	kmem_cache_destroy(c);
}

static void test_not_kmalloc(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	char stack_buf[32];
	void *large = kmalloc(100000, GFP_KERNEL);

	ukmem_dmesg_clear();
	kfree(stack_buf);
	CHECK_STR_CONTAINS(log_text(), "is not memory of this allocator");
	CHECK_STR_CONTAINS(log_text(), "WARNING: ");

	/* A page of the page allocator that kmalloc did not hand out. */
	ukmem_dmesg_clear();
	kfree(page_address(page));
	CHECK_STR_CONTAINS(log_text(), "Not a kmalloc allocation");
	CHECK_EQ(page_ref_count(page), 1);	/* left alone */
	/* ksize() of it: warned, and the page's size, as the kernel's __ksize(). */
	ukmem_dmesg_clear();
	CHECK_EQ(ksize(page_address(page)), PAGE_SIZE);
	CHECK_STR_CONTAINS(log_text(), "WARNING:");
	__free_page(page);

	/* Inside a large kmalloc, not at its start. */
	ukmem_dmesg_clear();
	kfree((char *)large + 4096);
	CHECK_STR_CONTAINS(log_text(), "is inside a large kmalloc allocation");
	memset(large, 0, 100000);
	kfree(large);
}

/* After all that: allocate and free a lot, the books still balance. */
static void test_consistent_after(void)
{
	struct kmem_cache *c = kmem_cache_create("tslab_after", 48, 0, SLAB_NO_MERGE, NULL);
	static void *p[5000];
	int i, round;

	for (round = 0; round < 3; round++) {
		for (i = 0; i < 5000; i++) {
			p[i] = kmem_cache_alloc(c, GFP_KERNEL);
			memset(p[i], round, 48);
		}
		check_consistent(c, "tslab_after", 5000);
		for (i = 0; i < 5000; i++)
			kmem_cache_free(c, p[i]);
		check_consistent(c, "tslab_after", 0);
	}
	kmem_cache_destroy(c);
}

int main(void)
{
	ukmem_set_console(fopen("/dev/null", "w"));
	/*
	 * KFENCE off: each case corrupts a given slab object and asserts the
	 * report about its slab (the kernel's slub_kunit skips KFENCE too).
	 */
	if (ukmem_boot("mem=512M kfence.sample_interval=0")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_slabinfo_format), KTEST(test_slabinfo_long_name),
		  KTEST(test_slabinfo_counts),
		  KTEST(test_meminfo_slab), KTEST(test_destroy_leaks),
		  KTEST(test_destroy_leaks_full_slabs), KTEST(test_invalid_pointer),
		  KTEST(test_wrong_cache), KTEST(test_double_free), KTEST(test_not_kmalloc),
		  KTEST(test_consistent_after));
}
