/* SPDX-License-Identifier: MIT */
/*
 * kmalloc and friends on a mem=1G machine: the size-class table for every
 * size 1..8192 (class size through ksize, cache name through the slab),
 * constant and run-time sizes agree, alignment, the DMA and reclaimable
 * families, ZERO_SIZE_PTR, overflow, krealloc, kfree_sensitive,
 * kmalloc_size_roundup, the string helpers, the page path above 8 KiB with
 * its accounting, the limit at KMALLOC_MAX_SIZE, and kvmalloc.
 */
#include "slab_test.h"
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif
#include <stdint.h>

#include <linux/mm.h>
#include <linux/vmalloc.h>
#include "mm/slab.h"

/* The kernel's classes: 8, 16, 32, 64, 96, 128, 192, 256, 512, ... 8192. */
static size_t expected_class(size_t n)
{
	size_t c = 8;

	if (n > 64 && n <= 96)
		return 96;
	if (n > 128 && n <= 192)
		return 192;
	while (c < n)
		c *= 2;
	return c;
}

static void class_name(size_t size, const char *prefix, char *buf, size_t len)
{
	if (size >= 1024)
		snprintf(buf, len, "%s%zuk", prefix, size / 1024);
	else
		snprintf(buf, len, "%s%zu", prefix, size);
}

static void test_size_classes(void)
{
	size_t n;
	int bad_size = 0, bad_name = 0, bad_align = 0;

	for (n = 1; n <= 8192; n++) {
		void *p = kmalloc(n, GFP_KERNEL);
		size_t want = expected_class(n);
		char name[32];

		if (!p) {
			CHECK(p != NULL);
			continue;
		}
		class_name(want, "kmalloc-", name, sizeof(name));
		if (ksize(p) != want) {
			if (!bad_size++)
				fprintf(stderr, "kmalloc(%zu): ksize %zu, want %zu\n", n, ksize(p), want);
		}
		if (strcmp(virt_to_cache(p)->name, name)) {
			if (!bad_name++)
				fprintf(stderr, "kmalloc(%zu) from %s, want %s\n", n,
					virt_to_cache(p)->name, name);
		}
		if (kmalloc_size_roundup(n) != want)
			bad_size++;
		/* Power-of-two classes are naturally aligned, all others to 8. */
		if (((uintptr_t)p & ((want & (want - 1)) ? 7 : want - 1)) != 0)
			bad_align++;
		memset(p, 0x3c, n);
		kfree(p);
	}
	CHECK_EQ(bad_size, 0);
	CHECK_EQ(bad_name, 0);
	CHECK_EQ(bad_align, 0);
}

/* The constant-size path (kmalloc_index at compile time) agrees. */
#define CONST_CASE(sz)							\
	do {								\
		void *p = kmalloc(sz, GFP_KERNEL);			\
		CHECK_EQ(ksize(p), expected_class(sz));			\
		CHECK_EQ(kmalloc_index(sz), kmalloc_index(expected_class(sz))); \
		kfree(p);						\
	} while (0)

static void test_constant_sizes(void)
{
	CONST_CASE(1);
	CONST_CASE(8);
	CONST_CASE(9);
	CONST_CASE(64);
	CONST_CASE(65);
	CONST_CASE(96);
	CONST_CASE(97);
	CONST_CASE(129);
	CONST_CASE(192);
	CONST_CASE(193);
	CONST_CASE(1000);
	CONST_CASE(4097);
	CONST_CASE(8192);
	CHECK_EQ(kmalloc_index(0), 0);
	CHECK_EQ(kmalloc_index(8), 3);
	CHECK_EQ(kmalloc_index(96), 1);
	CHECK_EQ(kmalloc_index(192), 2);
	CHECK_EQ(kmalloc_index(8192), 13);
	CHECK_EQ(kmalloc_index(2 * 1024 * 1024), 21);
}

static void test_families(void)
{
	void *d = kmalloc(100, GFP_KERNEL | GFP_DMA);
	void *r = kmalloc(100, GFP_KERNEL | __GFP_RECLAIMABLE);
	void *dr = kmalloc(3000, GFP_KERNEL | GFP_DMA | __GFP_RECLAIMABLE);
	void *a = kmalloc(100, GFP_KERNEL_ACCOUNT);
	size_t n = 100;
	void *rd = __kmalloc(n, GFP_ATOMIC | GFP_DMA);

	CHECK(d && r && dr && a && rd);
	CHECK(!strcmp(virt_to_cache(d)->name, "dma-kmalloc-128"));
	CHECK(!strcmp(virt_to_cache(r)->name, "kmalloc-rcl-128"));
	CHECK(!strcmp(virt_to_cache(dr)->name, "dma-kmalloc-4k"));	/* DMA > RECLAIM */
	CHECK(!strcmp(virt_to_cache(a)->name, "kmalloc-128"));	/* no memcg: NORMAL */
	CHECK(!strcmp(virt_to_cache(rd)->name, "dma-kmalloc-128"));
	CHECK_EQ(page_zonenum(virt_to_page(d)), ZONE_DMA);
	CHECK_EQ(page_zonenum(virt_to_page(dr)), ZONE_DMA);
	CHECK_EQ(get_pageblock_migratetype(virt_to_page(r)), MIGRATE_RECLAIMABLE);
	CHECK_EQ(kmalloc_type(GFP_KERNEL), KMALLOC_NORMAL);
	CHECK_EQ(kmalloc_type(GFP_DMA | __GFP_RECLAIMABLE), KMALLOC_DMA);
	CHECK_EQ(kmalloc_type(__GFP_RECLAIMABLE), KMALLOC_RECLAIM);
	kfree(d);
	kfree(r);
	kfree(dr);
	kfree(a);
	kfree(rd);
}

static void test_zero_size(void)
{
	size_t zero = 0;

	CHECK(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(__kmalloc(zero, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(kzalloc(zero, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(kcalloc(0, 8, GFP_KERNEL) == ZERO_SIZE_PTR);
	CHECK(ZERO_OR_NULL_PTR(ZERO_SIZE_PTR));
	CHECK(ZERO_OR_NULL_PTR(NULL));
	CHECK_EQ(ksize(ZERO_SIZE_PTR), 0);
	CHECK_EQ(ksize(NULL), 0);
	ukmem_dmesg_clear();
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	kvfree(NULL);
	kfree_sensitive(NULL);
	kfree_const(NULL);
	CHECK_EQ(strlen(log_text()), 0);	/* all silent */
}

static void test_overflow(void)
{
	/* volatile: the compiler would rightly warn about these constants. */
	volatile size_t vbig = SIZE_MAX / 2 + 2, vthird = SIZE_MAX / 3 + 1;
	size_t big = vbig;
	void *p;

	CHECK(kmalloc_array(big, 2, GFP_KERNEL) == NULL);
	CHECK(kcalloc(3, vthird, GFP_KERNEL) == NULL);
	CHECK(kmalloc_array_node(big, 4, GFP_KERNEL, 0) == NULL);
	CHECK(kvmalloc_array(big, 2, GFP_KERNEL) == NULL);
	CHECK(kvcalloc(big, 2, GFP_KERNEL) == NULL);
	p = kmalloc(16, GFP_KERNEL);
	strcpy(p, "unchanged");
	CHECK(krealloc_array(p, big, 2, GFP_KERNEL) == NULL);
	CHECK(!strcmp(p, "unchanged"));
	kfree(p);
	p = kcalloc(100, 12, GFP_KERNEL);
	CHECK(p != NULL);
	if (p) {
		unsigned char *c = p;
		int i;

		for (i = 0; i < 1200; i++)
			if (c[i])
				break;
		CHECK_EQ(i, 1200);
	}
	kfree(p);
	p = kmalloc_array(10, 100, GFP_KERNEL);
	CHECK(p && ksize(p) == 1024);
	kfree(p);
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static bool filled(const unsigned char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 7))
			return false;
	return true;
}

static noinline bool zero_range(const unsigned char *p, size_t from, size_t to)
{
	for (; from < to; from++)
		if (p[from])
			return false;
	return true;
}

static void test_krealloc(void)
{
	unsigned char *p, *q;
	size_t sizes[] = { 1, 7, 24, 64, 100, 200, 1000, 4096, 8192, 9000, 20000, 70000 };
	unsigned int i;

	/* Growth through every class and into the page path keeps the data. */
	p = krealloc(NULL, 1, GFP_KERNEL);
	CHECK(p != NULL);
	fill(p, 1, 5);
	for (i = 1; i < ARRAY_SIZE(sizes); i++) {
		q = krealloc(p, sizes[i], GFP_KERNEL);
		CHECK(q != NULL);
		CHECK(filled(q, sizes[i - 1], 5));
		CHECK(ksize(q) >= sizes[i]);
		fill(q, sizes[i], 5);
		p = q;
	}
	/* Shrinking within ksize keeps the pointer. */
	q = krealloc(p, 65000, GFP_KERNEL);
	CHECK(q == p);
	CHECK(filled(q, 65000, 5));
	kfree(q);

	p = kmalloc(128, GFP_KERNEL);
	fill(p, 128, 9);
	q = krealloc(p, 120, GFP_KERNEL);
	CHECK(q == p);				/* fits in ksize: same object */
	q = krealloc(p, 60, GFP_KERNEL | __GFP_ZERO);
	CHECK(q == p);
	CHECK(filled(p, 60, 9));
	CHECK(zero_range(p, 60, 128));		/* the tail beyond the new size is zeroed */
	q = krealloc(p, 129, GFP_KERNEL);	/* kmalloc-192 */
	CHECK(q != p && ksize(q) == 192);
	CHECK(filled(q, 60, 9));
	CHECK(krealloc(q, 0, GFP_KERNEL) == ZERO_SIZE_PTR);	/* freed */
	q = krealloc(ZERO_SIZE_PTR, 10, GFP_KERNEL);
	CHECK(q && ksize(q) == 16);
	kfree(q);
	/* Failure leaves the old object alone. */
	p = kmalloc(32, GFP_KERNEL);
	strcpy((char *)p, "keep me");
	CHECK(krealloc(p, KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(!strcmp((char *)p, "keep me"));
	kfree(p);
}

static void test_kfree_sensitive(void)
{
	unsigned char *p = kmalloc(50, GFP_KERNEL);	/* kmalloc-64 */
	int i;

	memset(p, 0xaa, 50);
	kfree_sensitive(p);
#if defined(__SANITIZE_ADDRESS__)
	/* ASan builds poison free objects: this look is on purpose. */
	__asan_unpoison_memory_region(p, 32);
#endif
	/*
	 * The whole usable size was zeroed before the free; a freed object
	 * sits in this CPU's cache untouched (its free pointer is only
	 * written if it goes back to the slab), so we can look.
	 */
	for (i = 0; i < 32; i++)
		if (p[i])
			break;
	CHECK_EQ(i, 32);
	CHECK((void (*)(const void *))kzfree == (void (*)(const void *))kfree_sensitive);
}

static void test_ksize_roundup(void)
{
	void *p;

	CHECK_EQ(kmalloc_size_roundup(0), 0);
	CHECK_EQ(kmalloc_size_roundup(1), 8);
	CHECK_EQ(kmalloc_size_roundup(65), 96);
	CHECK_EQ(kmalloc_size_roundup(130), 192);
	CHECK_EQ(kmalloc_size_roundup(8192), 8192);
	CHECK_EQ(kmalloc_size_roundup(8193), 16384);
	CHECK_EQ(kmalloc_size_roundup(20000), 32768);
	CHECK_EQ(kmalloc_size_roundup(KMALLOC_MAX_SIZE), KMALLOC_MAX_SIZE);
	CHECK_EQ(kmalloc_size_roundup(KMALLOC_MAX_SIZE + 1), KMALLOC_MAX_SIZE + 1);
	p = kmalloc(20000, GFP_KERNEL);
	CHECK_EQ(ksize(p), 32768);
	kfree(p);
	p = kmalloc(3, GFP_KERNEL);
	CHECK_EQ(ksize(p), 8);
	kfree(p);
}

static void test_strings(void)
{
	const char *s = "the quick brown fox";
	char *a = kstrdup(s, GFP_KERNEL);
	char *b = kstrndup(s, 9, GFP_KERNEL);
	char *c = kmemdup_nul(s, 3, GFP_KERNEL);
	char *d = kmemdup(s, 5, GFP_KERNEL);
	const char *e = kstrdup_const(s, GFP_KERNEL);
	char *f = kstrndup("ab", 100, GFP_KERNEL);

	CHECK(a && !strcmp(a, s) && a != s);
	CHECK(b && !strcmp(b, "the quick"));
	CHECK(c && !strcmp(c, "the"));
	CHECK(d && !memcmp(d, "the q", 5));
	CHECK(e && !strcmp(e, s));
	CHECK(f && !strcmp(f, "ab"));
	CHECK(kstrdup(NULL, GFP_KERNEL) == NULL);
	CHECK(kstrndup(NULL, 3, GFP_KERNEL) == NULL);
	kfree(a);
	kfree(b);
	kfree(c);
	kfree(d);
	kfree_const(e);
	kfree(f);
	ukmem_dmesg_clear();
	kfree_const(s);			/* not ours: quietly nothing */
	CHECK_EQ(strlen(log_text()), 0);
}

static long node_unreclaimable_bytes(void)
{
	return atomic_long_read(&NODE_DATA(0)->vm_stat[NR_SLAB_UNRECLAIMABLE_B]);
}

static void test_large(void)
{
	long before = node_unreclaimable_bytes();
	size_t n = 20000;
	unsigned char *p = kmalloc(n, GFP_KERNEL);
	unsigned char *q = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL | __GFP_ZERO);
	unsigned char *z;
	struct page *page;
	size_t i;

	CHECK(p && q);
	CHECK(PAGE_ALIGNED(p) && PAGE_ALIGNED(q));
	page = virt_to_page(p);
	CHECK(!PageSlab(page) && PageHead(page) && compound_order(page) == 3);
	CHECK_EQ(node_unreclaimable_bytes() - before, 32768 + (long)KMALLOC_MAX_SIZE);
	for (i = 0; i < KMALLOC_MAX_SIZE; i += 4096)
		if (q[i])
			break;
	CHECK_EQ(i, KMALLOC_MAX_SIZE);
	memset(p, 1, n);
	memset(q, 2, KMALLOC_MAX_SIZE);
	z = kzalloc(9000, GFP_KERNEL);
	CHECK(z && z[0] == 0 && z[8999] == 0);
	kfree(z);
	kfree(p);
	kfree(q);
	CHECK_EQ(node_unreclaimable_bytes(), before);
	p = kmalloc_large(100000, GFP_KERNEL);
	CHECK(p && ksize(p) == 131072);
	kfree(p);
}

static void test_too_large(void)
{
	volatile size_t vn = KMALLOC_MAX_SIZE + 1, vmax = SIZE_MAX;
	size_t n = vn;

	/* Sizes the compiler sees: they build, and fail here (see slab.h). */
	ukmem_dmesg_clear();
	CHECK(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(kzalloc(64UL << 20, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(kmalloc_node(KMALLOC_MAX_SIZE * 2, GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	CHECK_EQ(strlen(log_text()), 0);

	CHECK(kmalloc(n, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(__kmalloc(n, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK_EQ(strlen(log_text()), 0);
	CHECK(__kmalloc(n, GFP_KERNEL) == NULL);
	/* The page allocator's warning for an order above MAX_PAGE_ORDER (once). */
	CHECK_STR_CONTAINS(log_text(), "WARNING: ");
	CHECK(__kmalloc(vmax, GFP_KERNEL | __GFP_NOWARN) == NULL);
}

static void test_node_and_caller(void)
{
	void *a = kmalloc_node(64, GFP_KERNEL, 0);
	void *b = kzalloc_node(300, GFP_KERNEL, NUMA_NO_NODE);
	void *c = kmalloc_track_caller(40, GFP_KERNEL);
	size_t n = 5000;
	void *d = kmalloc_node(n, GFP_KERNEL, 0);
	void *e = kcalloc_node(4, 25, GFP_KERNEL, 0);

	CHECK(a && b && c && d && e);
	CHECK_EQ(ksize(a), 64);
	CHECK_EQ(ksize(b), 512);
	CHECK_EQ(ksize(c), 64);
	CHECK_EQ(ksize(d), 8192);
	CHECK_EQ(ksize(e), 128);
	kfree(a);
	kfree(b);
	kfree(c);
	kfree(d);
	kfree(e);
}

static void test_kvmalloc(void)
{
	unsigned char *a = kvmalloc(100, GFP_KERNEL);
	unsigned char *b = kvzalloc(1 << 20, GFP_KERNEL);
	unsigned char *c = kvmalloc_node(6000, GFP_KERNEL, 0);
	unsigned char *d;
	size_t i;

	CHECK(a && b && c);
	for (i = 0; i < (1 << 20); i += 512)
		if (b[i])
			break;
	CHECK_EQ(i, 1 << 20);
	memset(b, 7, 1 << 20);
	kvfree(a);
	kvfree(b);
	kvfree_sensitive(c, 6000);
	/* Above KMALLOC_MAX_SIZE kvmalloc falls back to vmalloc (docs/vmalloc.md). */
	d = kvmalloc(8 << 20, GFP_KERNEL | __GFP_NOWARN);
	CHECK(d != NULL && is_vmalloc_addr(d));
	kvfree(d);
	a = kvmalloc(100, GFP_ATOMIC);
	CHECK(a != NULL);
	kvfree(a);
	d = kvrealloc(NULL, 3000, GFP_KERNEL);
	CHECK(d != NULL);
	fill(d, 3000, 3);
	d = kvrealloc(d, 30000, GFP_KERNEL);
	CHECK(d && filled(d, 3000, 3));
	kvfree(d);
}

/*
 * A constant size above KMALLOC_MAX_SIZE builds, warnings as errors, as
 * it does against today's kernel (it fails at run time: test_too_large).
 * The test finds the source tree through the build tree's CMakeCache.txt
 * and compiles snippets with the C compiler CMake used.  Skipped
 * (KTEST_SKIP) where no compiler or cache is found.
 */
static bool cache_value(const char *cache, const char *key, char *out, size_t len)
{
	FILE *f = fopen(cache, "r");
	char line[4096];
	size_t klen = strlen(key);
	bool found = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');

		if (!strncmp(line, key, klen) && line[klen] == ':' && eq) {
			snprintf(out, len, "%s", eq + 1);
			out[strcspn(out, "\n")] = '\0';
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

static int try_compile(const char *cc, const char *src_dir, const char *body, char *log, size_t len)
{
	char dir[] = "/tmp/tslab_buildXXXXXX", cmd[8192], path[512];
	FILE *f;
	size_t n;
	int status;

	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.c", dir);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "#include <linux/slab.h>\nvoid *f(void);\nvoid *f(void) { %s }\n", body);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "'%s' -O2 -Wall -Werror -I'%s/include' -c '%s' -o '%s/t.o' 2>&1", cc, src_dir,
		 path, dir);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	n = fread(log, 1, len - 1, f);
	log[n] = '\0';
	status = pclose(f);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd)) {
		/* a stray temporary directory is no test failure */
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_constant_oversize_builds(void)
{
	char exe[512], cache[600], src[1024], cc[1024], log[8192];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	CHECK(n > 0);
	if (n <= 0)
		return;
	exe[n] = '\0';
	slash = strrchr(exe, '/');		/* BUILD/tests/test_slab_kmalloc */
	CHECK(slash != NULL);
	if (!slash)
		return;
	*slash = '\0';
	snprintf(cache, sizeof(cache), "%s/../CMakeCache.txt", exe);
	if (!cache_value(cache, "ukmem_SOURCE_DIR", src, sizeof(src)) ||
	    !cache_value(cache, "CMAKE_C_COMPILER", cc, sizeof(cc)) || access(cc, X_OK)) {
		KTEST_SKIP("no CMakeCache.txt or C compiler beside the test (%s)", cache);
		return;
	}
	CHECK_EQ(try_compile(cc, src, "return kmalloc(4 << 20, GFP_KERNEL);", log, sizeof(log)), 0);
	CHECK_EQ(try_compile(cc, src, "return kmalloc((4 << 20) + 1, GFP_KERNEL);", log,
			     sizeof(log)), 0);
	CHECK_EQ(try_compile(cc, src, "return kzalloc(64UL << 20, GFP_KERNEL);", log, sizeof(log)), 0);
	CHECK_EQ(try_compile(cc, src, "return kmalloc_node(KMALLOC_MAX_SIZE * 2, GFP_KERNEL, 0);",
			     log, sizeof(log)), 0);
	if (log[0])
		fprintf(stderr, "%s", log);
}

int main(void)
{
	ukmem_set_console(fopen("/dev/null", "w"));
	/*
	 * KFENCE off: these cases assert the class each size lands in, and a
	 * sampled object is KFENCE's, sized as asked (the kernel's kmalloc
	 * tests skip KFENCE the same way).
	 */
	if (ukmem_boot("mem=1G kfence.sample_interval=0")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_size_classes), KTEST(test_constant_sizes), KTEST(test_families),
		  KTEST(test_zero_size), KTEST(test_overflow), KTEST(test_krealloc),
		  KTEST(test_kfree_sensitive), KTEST(test_ksize_roundup), KTEST(test_strings),
		  KTEST(test_large), KTEST(test_too_large), KTEST(test_node_and_caller),
		  KTEST(test_kvmalloc), KTEST(test_constant_oversize_builds));
}
