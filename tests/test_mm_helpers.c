/* SPDX-License-Identifier: MIT */
/*
 * Small helpers of the kernel's memory headers, on the i386 layout (mem=1G
 * highmem) so that the highmem paths run too:
 *  - linux/highmem.h: memcpy_page(), memset_page(), memzero_page(),
 *    folio_zero_tail() and folio_fill_tail() on lowmem and highmem folios
 *    (a highmem folio is mapped a page at a time);
 *  - asm/page.h: PAGE_ALIGN_DOWN(), clear_page(), copy_page();
 *  - linux/string.h: strreplace() returning its string (v6.6+) and
 *    kstrdup_and_replace(); kstrdup_const() returning the program's
 *    constants as they are (asm/sections.h's is_kernel_rodata()), whose
 *    ranges the boot finds, so a signal handler's first call does not
 *    take the loader's lock;
 *  - linux/mm.h: nr_free_buffer_pages() counts lowmem above the high
 *    watermarks and not highmem;
 *  - linux/sched/mm.h: might_alloc() reports a sleeping gfp in atomic
 *    context and not GFP_ATOMIC; memalloc_retry_wait() pauses 1 ms or
 *    20 ms as the kernel's does (one jiffy or HZ/50);
 *  - linux/alloc_tag.h's alloc_hooks() and the _noprof names build and
 *    allocate;
 *  - alloc_pages_bulk() counts the slots filled from the first on, so a
 *    sparse array whose hole could not be filled never reads as full;
 *    release_pages() gives pages or folios back;
 *  - ZERO_PAGE(): one zeroed page, reserved and outside the managed count;
 *    folio_next(), offset_in_folio(), set_vm_flush_reset_perms(),
 *    is_vm_area_hugepages(), devm_kmemdup_array();
 *  - this_cpu_or()/this_cpu_and(): exact on a held CPU, and never losing
 *    another thread's bit when threads share CPUs.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include <asm/page.h>
#include <asm/sections.h>
#include <linux/alloc_tag.h>
#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/context.h>
#include <ukmem/fault.h>
#include "ktest_boot.h"

/* The overflow case folds to SIZE_MAX, which gcc warns about. */
#pragma GCC diagnostic ignored "-Walloc-size-larger-than="

static char logbuf[1 << 16];

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

static bool all_bytes(const char *p, size_t n, int c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (char)c)
			return false;
	return true;
}

/* Bytes [off, off+n) of @page, read through a temporary mapping. */
static bool page_bytes(struct page *page, size_t off, size_t n, int c)
{
	char *p = kmap_local_page(page);
	bool ok = all_bytes(p + off, n, c);

	kunmap_local(p);
	return ok;
}

static void page_ops_on(gfp_t gfp)
{
	struct page *a = alloc_page(gfp), *b = alloc_page(gfp);

	CHECK(a && b);
	if (!a || !b)
		return;
	memset_page(a, 0, 'a', PAGE_SIZE);
	memset_page(b, 0, 'b', PAGE_SIZE);
	memcpy_page(a, 100, b, 200, 300);
	CHECK(page_bytes(a, 0, 100, 'a'));
	CHECK(page_bytes(a, 100, 300, 'b'));
	CHECK(page_bytes(a, 400, PAGE_SIZE - 400, 'a'));
	memzero_page(b, PAGE_SIZE - 16, 16);
	CHECK(page_bytes(b, PAGE_SIZE - 16, 16, 0));
	CHECK(page_bytes(b, 0, PAGE_SIZE - 16, 'b'));
	__free_page(a);
	__free_page(b);
}

static void test_page_ops(void)
{
	page_ops_on(GFP_KERNEL);
	page_ops_on(GFP_HIGHUSER);
	/* GFP_HIGHUSER really gave highmem here: the kmap paths ran. */
	{
		struct page *h = alloc_page(GFP_HIGHUSER);

		CHECK(h && PageHighMem(h));
		if (h)
			__free_page(h);
	}
}

static void folio_tail_on(gfp_t gfp)
{
	struct folio *f = folio_alloc(gfp, 2);	/* 4 pages */
	char src[6000];
	size_t off = PAGE_SIZE + 50;
	unsigned int i;
	char *k;

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_EQ(folio_test_highmem(f), !!(gfp & __GFP_HIGHMEM));
	memset(src, 's', sizeof(src));
	/* Garbage first, so that zeroing shows. */
	for (i = 0; i < 4; i++)
		memset_page(folio_page(f, i), 0, 0x77, PAGE_SIZE);
	folio_fill_tail(f, off, src, sizeof(src));
	CHECK(page_bytes(folio_page(f, 0), 0, PAGE_SIZE, 0x77));
	CHECK(page_bytes(folio_page(f, 1), 0, 50, 0x77));
	CHECK(page_bytes(folio_page(f, 1), 50, PAGE_SIZE - 50, 's'));
	/* 6000 - 4046 = 1954 bytes of 's' on page 2, then zeroes to the end. */
	CHECK(page_bytes(folio_page(f, 2), 0, 1954, 's'));
	CHECK(page_bytes(folio_page(f, 2), 1954, PAGE_SIZE - 1954, 0));
	CHECK(page_bytes(folio_page(f, 3), 0, PAGE_SIZE, 0));

	/* folio_zero_tail() from inside page 0. */
	k = kmap_local_folio(f, 10);
	k = folio_zero_tail(f, 10, k);
	kunmap_local(k);
	CHECK(page_bytes(folio_page(f, 0), 0, 10, 0x77));
	CHECK(page_bytes(folio_page(f, 0), 10, PAGE_SIZE - 10, 0));
	CHECK(page_bytes(folio_page(f, 1), 0, PAGE_SIZE, 0));
	folio_put(f);
}

static void test_folio_tail(void)
{
	folio_tail_on(GFP_KERNEL);
	folio_tail_on(GFP_HIGHUSER);
}

static void test_page_macros(void)
{
	char *a = (char *)__get_free_page(GFP_KERNEL), *b = (char *)__get_free_page(GFP_KERNEL);

	CHECK_EQ(PAGE_ALIGN_DOWN(3 * PAGE_SIZE + 5), 3 * PAGE_SIZE);
	CHECK_EQ(PAGE_ALIGN_DOWN(3 * PAGE_SIZE), 3 * PAGE_SIZE);
	CHECK(a && b);
	if (!a || !b)
		return;
	memset(a, 'q', PAGE_SIZE);
	copy_page(b, a);
	CHECK(all_bytes(b, PAGE_SIZE, 'q'));
	clear_page(a);
	CHECK(all_bytes(a, PAGE_SIZE, 0));
	free_page((unsigned long)a);
	free_page((unsigned long)b);
}

static void test_strings(void)
{
	char buf[] = "a/b/c";
	char *d;

	CHECK(strreplace(buf, '/', '!') == buf);
	CHECK(strcmp(buf, "a!b!c") == 0);
	d = kstrdup_and_replace("dev/sda/1", '/', '_', GFP_KERNEL);
	CHECK(d && strcmp(d, "dev_sda_1") == 0);
	kfree(d);
	CHECK(kstrdup_and_replace(NULL, 'a', 'b', GFP_KERNEL) == NULL);

	/* kstrdup_const(): the program's constants as they are, others copied. */
	{
		static const char konst[] = "in rodata";
		static char writable[] = "in data";
		const char *k = kstrdup_const(konst, GFP_KERNEL);
		const char *w = kstrdup_const(writable, GFP_KERNEL);
		const char *l = kstrdup_const("a literal", GFP_KERNEL);

		CHECK(is_kernel_rodata((unsigned long)konst));
		CHECK(!is_kernel_rodata((unsigned long)writable));
		CHECK(!is_kernel_rodata((unsigned long)buf));
		CHECK(!is_kernel_rodata((unsigned long)test_strings));	/* text is not data */
		CHECK(k == konst);
		CHECK(l && is_kernel_rodata((unsigned long)l) && !strcmp(l, "a literal"));
		CHECK(w && w != writable && !strcmp(w, "in data"));
		kfree_const(k);
		kfree_const(l);
		kfree_const(w);
	}
}

/*
 * dl_iterate_phdr(), counted: is_kernel_rodata() finds the program's
 * read-only ranges with it, and it takes the loader's lock, which a signal
 * handler must never wait for (the thread it interrupted may hold it, in
 * dlopen).  The boot finds them, so no later call does.
 */
static int dl_iterate_calls;

/* Not under TSan: its runtime walks the objects before dlsym() can run. */
#ifndef __SANITIZE_THREAD__
int dl_iterate_phdr(int (*cb)(struct dl_phdr_info *, size_t, void *), void *data)
{
	static int (*real)(int (*)(struct dl_phdr_info *, size_t, void *), void *);

	if (!real)
		real = (int (*)(int (*)(struct dl_phdr_info *, size_t, void *), void *))
			dlsym(RTLD_NEXT, "dl_iterate_phdr");
	__atomic_fetch_add(&dl_iterate_calls, 1, __ATOMIC_RELAXED);
	return real(cb, data);
}
#endif

/* Runs first: no case before it has asked is_kernel_rodata() anything. */
static void test_rodata_found_at_boot(void)
{
	static const char konst[] = "read-only";
	const char *k;
	int before = __atomic_load_n(&dl_iterate_calls, __ATOMIC_RELAXED);

#ifdef __SANITIZE_THREAD__
	KTEST_SKIP("dl_iterate_phdr() cannot be counted under ThreadSanitizer");
#endif
	ukmem_irq_enter();	/* as a signal handler's first call */
	k = kstrdup_const(konst, GFP_ATOMIC);
	kfree_const(k);
	ukmem_irq_exit();
	CHECK(k == konst);
	CHECK_EQ(__atomic_load_n(&dl_iterate_calls, __ATOMIC_RELAXED), before);
}

static void test_nr_free_buffer_pages(void)
{
	unsigned long low = 0, all = 0, n = nr_free_buffer_pages();
	struct zone *zone;

	for_each_populated_zone(zone) {
		unsigned long size = zone_managed_pages(zone), high = high_wmark_pages(zone);

		if (size <= high)
			continue;
		all += size - high;
		if (!is_highmem(zone))
			low += size - high;
	}
	CHECK_EQ(n, low);
	CHECK(n < all);		/* highmem is not counted */
	CHECK(n > 0);
}

static DEFINE_SPINLOCK(lock);

static void test_might_alloc_and_retry_wait(void)
{
	struct timespec t0, t1;
	long ms;

	ukmem_dmesg_clear();
	spin_lock(&lock);
	might_alloc(GFP_ATOMIC);
	spin_unlock(&lock);
	CHECK(strstr(dmesg_now(), "sleeping function called from invalid context") == NULL);
	spin_lock(&lock);
	might_alloc(GFP_KERNEL);
	spin_unlock(&lock);
	CHECK_STR_CONTAINS(dmesg_now(), "BUG: sleeping function called from invalid context");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memalloc_retry_wait(GFP_NOWAIT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(ms >= 20);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memalloc_retry_wait(GFP_KERNEL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(ms >= 1);
}

/* A wrapper written as the kernel's headers write theirs. */
static void *my_table_alloc_noprof(size_t n)
{
	return kcalloc_noprof(n, sizeof(long), GFP_KERNEL);
}
#define my_table_alloc(...)	alloc_hooks(my_table_alloc_noprof(__VA_ARGS__))

static void test_noprof_names(void)
{
	long *t = my_table_alloc(10);
	struct page *p = alloc_pages_noprof(GFP_KERNEL, 1);
	void *v = vzalloc_noprof(3 * PAGE_SIZE);
	void *k = kmalloc_array_noprof(4, 8, GFP_KERNEL);

	CHECK(t && p && v && k);
	if (t)
		CHECK_EQ(t[9], 0);
	kfree(t);
	if (p)
		__free_pages(p, 1);
	vfree(v);
	kfree(k);
}

static void test_bulk_count(void)
{
	struct page *pages[8] = { 0 }, *kept = alloc_page(GFP_KERNEL);
	unsigned long n, i;

	CHECK(kept != NULL);
	pages[6] = kept;
	/* Every page allocation fails (order 0 included). */
	ukmem_fault_set("fail_page_alloc", "min-order", 0);
	ukmem_fault_set("fail_page_alloc", "verbose", 0);
	ukmem_fault_set("fail_page_alloc", "ignore-gfp-wait", 0);
	ukmem_fault_set("fail_page_alloc", "space", 0);
	ukmem_fault_set("fail_page_alloc", "interval", 1);
	ukmem_fault_set("fail_page_alloc", "probability", 100);
	ukmem_fault_set("fail_page_alloc", "times", 1000);
	/*
	 * The kernel's walk stops at the first slot it cannot fill: 0, not
	 * the 1 slot (6) that holds a page.
	 */
	n = alloc_pages_bulk(GFP_KERNEL | __GFP_NOWARN, 8, pages);
	ukmem_fault_set("fail_page_alloc", "probability", 0);
	ukmem_fault_set("fail_page_alloc", "min-order", 1);
	CHECK_EQ(n, 0);
	CHECK(pages[0] == NULL);
	/* Memory back: the caller retries from where it stopped and gets all. */
	n = alloc_pages_bulk(GFP_KERNEL, 8, pages);
	CHECK_EQ(n, 8);
	CHECK(pages[6] == kept);
	for (i = 0; i < 8; i++) {
		CHECK(pages[i] != NULL);
		if (pages[i])
			__free_page(pages[i]);
	}
}

static void test_release_pages_and_zero_page(void)
{
	struct page *pages[6] = { 0 };
	struct folio *folios[2];
	unsigned long free0, total = totalram_pages();
	struct page *zp, *zp2;
	struct folio *f;
	char *v;

	drain_all_pages(NULL);
	free0 = nr_free_pages();
	CHECK_EQ(alloc_pages_bulk(GFP_KERNEL, 5, pages), 5);
	release_pages(pages, 6);			/* the NULL slot is skipped */
	folios[0] = folio_alloc(GFP_KERNEL, 2);
	folios[1] = folio_alloc(GFP_KERNEL, 1);
	CHECK(folios[0] && folios[1]);
	if (folios[0] && folios[1]) {
		f = folios[0];
		CHECK(folio_next(f) == (struct folio *)(&f->page + 4));
		v = folio_address(f);
		CHECK_EQ(offset_in_folio(f, v + 3 * PAGE_SIZE + 7), 3 * PAGE_SIZE + 7);
		release_pages(folios, 2);
	}
	drain_all_pages(NULL);
	CHECK_EQ(nr_free_pages(), free0);

	zp = ZERO_PAGE(0);
	zp2 = ZERO_PAGE(0x1234);
	CHECK(zp != NULL && zp == zp2);
	CHECK(is_zero_page(zp));
	CHECK(is_zero_pfn(page_to_pfn(zp)));
	CHECK_EQ(my_zero_pfn(0), page_to_pfn(zp));
	CHECK(PageReserved(zp));
	CHECK(page_bytes(zp, 0, PAGE_SIZE, 0));
	CHECK_EQ(totalram_pages(), total - 1);		/* like the kernel image's page */
	{
		struct page *other = alloc_page(GFP_KERNEL);

		CHECK(other && !is_zero_page(other));
		if (other)
			__free_page(other);
	}
}

static void test_vm_and_devm_bits(void)
{
	static struct device_driver drv = { .name = "helpers" };
	struct device dev = { .init_name = "helpers0", .driver = &drv };
	u32 src[4] = { 1, 2, 3, 4 }, *dup;
	void *v = vmalloc(2 * PAGE_SIZE);

	CHECK(v != NULL);
	if (v) {
		CHECK(!is_vm_area_hugepages(v));
		set_vm_flush_reset_perms(v);
		CHECK(find_vm_area(v) && (find_vm_area(v)->flags & VM_FLUSH_RESET_PERMS));
		vfree(v);
	}
	dup = devm_kmemdup_array(&dev, src, 4, sizeof(*src), GFP_KERNEL);
	CHECK(dup && dup != src && !memcmp(dup, src, sizeof(src)));
	CHECK(devm_kmemdup_array(&dev, src, SIZE_MAX / 2, 4, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK_EQ(devres_release_all(&dev), 1);
}

static DEFINE_PER_CPU(unsigned long, bits);

#define BIT_THREADS	6

static void *bit_worker(void *arg)
{
	unsigned long mine = 1UL << (long)arg;
	int i;

	/*
	 * Set and clear this thread's bit; others do theirs on the same CPUs.
	 * get_cpu() keeps the pair on one CPU's copy, as preemption off does
	 * in the kernel: a thread moved between the two would clear its bit
	 * on the other CPU and leave it set on the first.
	 */
	for (i = 0; i < 20000; i++) {
		get_cpu();
		this_cpu_or(bits, mine);
		this_cpu_and(bits, ~mine);
		put_cpu();
	}
	this_cpu_or(bits, mine << 16);	/* leave a mark */
	return NULL;
}

static void test_this_cpu_bitops(void)
{
	pthread_t t[BIT_THREADS];
	unsigned long all = 0;
	int cpu;
	long i;

	cpu = get_cpu();
	this_cpu_write(bits, 0xf0);
	this_cpu_or(bits, 0x0f);
	__this_cpu_and(bits, 0x3c);
	raw_cpu_or(bits, 0x100);
	CHECK_EQ(per_cpu(bits, cpu), 0x13c);
	this_cpu_write(bits, 0);
	put_cpu();

	for (i = 0; i < BIT_THREADS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, bit_worker, (void *)i), 0);
	for (i = 0; i < BIT_THREADS; i++)
		pthread_join(t[i], NULL);
	for_each_possible_cpu(cpu)
		all |= per_cpu(bits, cpu);
	/* Every working bit cleared again, every mark kept. */
	CHECK_EQ(all, ((1UL << BIT_THREADS) - 1) << 16);
}

int main(void)
{
	if (!ktest_boot_quietly("mem=1G highmem"))
		return 1;
	KTEST_RUN(KTEST(test_rodata_found_at_boot), KTEST(test_page_ops), KTEST(test_folio_tail), KTEST(test_page_macros),
		  KTEST(test_strings), KTEST(test_nr_free_buffer_pages),
		  KTEST(test_might_alloc_and_retry_wait), KTEST(test_noprof_names),
		  KTEST(test_bulk_count), KTEST(test_release_pages_and_zero_page),
		  KTEST(test_vm_and_devm_bits), KTEST(test_this_cpu_bitops));
}
