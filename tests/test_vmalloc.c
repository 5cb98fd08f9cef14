/* SPDX-License-Identifier: MIT */
/*
 * vmalloc and vmap: every entry point, the failures the kernel reports,
 * pages that are scattered physically but contiguous virtually, the
 * linear-map alias (a write through the vmalloc address is read through
 * page_address(vmalloc_to_page())), guard pages that fault, vmallocinfo and
 * meminfo lines, the kvmalloc fallback, fork() giving the child its own
 * copy, and vrealloc() freeing the pages a shrink gives up.  mem=256M.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/notifier.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/context.h>
#include <ukmem/fault.h>
#include <ukmem/report.h>
#include "fault_probe.h"
#include "ktest.h"

static char logbuf[1 << 16];
static char report[1 << 16];

static const char *dmesg(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

static const char *show(const char *name)
{
	FILE *f = fmemopen(report, sizeof(report) - 1, "w");

	memset(report, 0, sizeof(report));
	if (!f)
		return "";
	ukmem_show(name, f);
	fclose(f);
	return report;
}

/* The line of vmallocinfo that starts with @addr, or NULL. */
static const char *info_line(const void *addr, char *line, size_t size)
{
	char key[32];
	const char *p, *end;

	snprintf(key, sizeof(key), "0x%016lx-", (unsigned long)addr);
	p = strstr(show("vmallocinfo"), key);
	if (!p)
		return NULL;
	end = strchr(p, '\n');
	snprintf(line, size, "%.*s", (int)(end ? end - p : (long)strlen(p)), p);
	return line;
}

static unsigned long meminfo_kb(const char *field)
{
	const char *p = strstr(show("meminfo"), field);

	return p ? strtoul(p + strlen(field), NULL, 10) : ~0UL;
}

/* vmalloc.guard=off: guard pages and freed ranges do not fault. */
static bool guards_enforced = true;

/* Does touching @addr kill a child with SIGSEGV?  (In this process: fault_probe.h.) */
static bool faults(volatile char *addr, bool write)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		if (write)
			*addr = 1;
		else
			(void)*addr;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFSIGNALED(status) && (WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGBUS);
}

static void test_basic(void)
{
	unsigned long size = 3 * PAGE_SIZE + 5, i;
	unsigned char *p = vmalloc(size);

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(is_vmalloc_addr(p));
	{
		struct page *plain = alloc_page(GFP_KERNEL);

		CHECK(plain && !is_vmalloc_addr(page_address(plain)));
		if (plain)
			__free_page(plain);
	}
	CHECK(PAGE_ALIGNED(p));
	for (i = 0; i < size; i++)
		p[i] = (unsigned char)(i * 7);
	for (i = 0; i < size; i++)
		if (p[i] != (unsigned char)(i * 7))
			break;
	CHECK_EQ(i, size);
	/* Each page: the buddy page, reachable at its linear address too. */
	for (i = 0; i < 3; i++) {
		struct page *page = vmalloc_to_page(p + i * PAGE_SIZE + 100);
		unsigned char *lin;

		CHECK(page != NULL);
		if (!page)
			continue;
		CHECK_EQ(vmalloc_to_pfn(p + i * PAGE_SIZE), page_to_pfn(page));
		CHECK_EQ(page_ref_count(page), 1);
		lin = page_address(page);
		CHECK(lin != NULL && !is_vmalloc_addr(lin));
		CHECK_EQ(lin[100], (unsigned char)((i * PAGE_SIZE + 100) * 7));
		lin[200] = 0xab;	/* linear write, vmalloc read */
		CHECK_EQ(p[i * PAGE_SIZE + 200], 0xab);
	}
	CHECK(vmalloc_to_page(p + 4 * PAGE_SIZE) == NULL);	/* the guard page */
	vfree(p);
	CHECK(vmalloc_to_page(p) == NULL);
	vfree(NULL);
}

/* Below 16 pages vmalloc takes order-0 pages one by one (no order-4 runs). */
#define NR	12

static void test_noncontiguous(void)
{
	struct page *pages[64];
	unsigned long pfn[NR];
	unsigned char *p;
	int i, gaps = 0, distinct = 1;

	/* Free every other page of a run, so the pcp lists hold a sieve. */
	for (i = 0; i < 64; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	for (i = 0; i < 64; i += 2)
		__free_page(pages[i]);
	p = vmalloc(NR * PAGE_SIZE);
	CHECK(p != NULL);
	if (!p)
		goto out;
	for (i = 0; i < NR; i++) {
		struct page *page = vmalloc_to_page(p + i * PAGE_SIZE);

		pfn[i] = page ? page_to_pfn(page) : 0;
		*(int *)(p + i * PAGE_SIZE) = 1000 + i;
		if (i && pfn[i] != pfn[i - 1] + 1)
			gaps++;
	}
	CHECK(gaps > 0);	/* physically scattered */
	for (i = 0; i < NR; i++) {
		int j;

		for (j = 0; j < i; j++)
			if (pfn[j] == pfn[i])
				distinct = 0;
		/* Virtually contiguous: page i of the area is the page of pfn[i]. */
		CHECK_EQ(*(int *)pfn_to_virt(pfn[i]), 1000 + i);
	}
	CHECK(distinct);
	/* One write across a page boundary lands in two different pages. */
	memset(p + PAGE_SIZE - 2, 0x5a, 4);
	CHECK_EQ(((unsigned char *)pfn_to_virt(pfn[0]))[PAGE_SIZE - 1], 0x5a);
	CHECK_EQ(((unsigned char *)pfn_to_virt(pfn[1]))[1], 0x5a);
	vfree(p);
out:
	for (i = 1; i < 64; i += 2)
		__free_page(pages[i]);
}

static void test_guard_and_after_free(void)
{
	char *p = vmalloc(2 * PAGE_SIZE), *q;

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(!faults(p + 2 * PAGE_SIZE - 1, true));
	CHECK(faults(p + 2 * PAGE_SIZE, true));		/* guard page */
	CHECK(faults(p + 2 * PAGE_SIZE, false));
	CHECK(!ktest_faults_here(p + 2 * PAGE_SIZE - 1, true));
	CHECK(ktest_faults_here(p + 2 * PAGE_SIZE, false));	/* here too, not only in a child */
	q = __vmalloc_node_range(PAGE_SIZE, 1, VMALLOC_START, VMALLOC_END, GFP_KERNEL,
				 PAGE_KERNEL, VM_NO_GUARD, NUMA_NO_NODE, NULL);
	CHECK(q != NULL);
	if (q) {
		CHECK_EQ(find_vm_area(q)->size, PAGE_SIZE);
		vfree(q);
	}
	vfree(p);
	/* Lazily freed: it may stay mapped until purged, as a stale TLB entry may. */
	vm_unmap_aliases();
	CHECK(ktest_faults_here(p, false));			/* gone once purged */
	CHECK(faults(p, false));
}

static void test_zeroed(void)
{
	unsigned char *p;
	unsigned long i, nonzero = 0;
	char line[512];

	/* Dirty some pages, free them, then ask for zeroed memory. */
	p = vmalloc(16 * PAGE_SIZE);
	CHECK(p != NULL);
	if (!p)
		return;
	memset(p, 0xff, 16 * PAGE_SIZE);
	vfree(p);
	p = vzalloc(16 * PAGE_SIZE);
	CHECK(p != NULL);
	for (i = 0; p && i < 16 * PAGE_SIZE; i++)
		nonzero += p[i] != 0;
	CHECK_EQ(nonzero, 0);
	vfree(p);
	p = vmalloc_user(3000);
	CHECK(p != NULL);
	for (i = 0, nonzero = 0; p && i < PAGE_SIZE; i++)
		nonzero += p[i] != 0;
	CHECK_EQ(nonzero, 0);
	CHECK(p && info_line(p, line, sizeof(line)) && strstr(line, " vmalloc user"));
	vfree(p);
	p = vzalloc_node(5 * PAGE_SIZE, 0);
	CHECK(p != NULL);
	for (i = 0, nonzero = 0; p && i < 5 * PAGE_SIZE; i++)
		nonzero += p[i] != 0;
	CHECK_EQ(nonzero, 0);
	vfree(p);
	p = vcalloc(10, 1000);
	CHECK(p != NULL && p[9999] == 0);
	vfree(p);
	{
		volatile size_t huge = ~0UL / 2;

		CHECK(vmalloc_array(huge, 4) == NULL);
	}
}

/* Not a constant: gcc would refuse the call at build time. */
static volatile size_t overflowing_count = SIZE_MAX / 2;

static void test_variants(void)
{
	void *p = vmalloc_node(PAGE_SIZE, 0);
	struct page *page;

	CHECK(p != NULL);
	CHECK(p && page_to_nid(vmalloc_to_page(p)) == 0);
	vfree(p);
	p = vmalloc_32(8 * PAGE_SIZE);
	CHECK(p != NULL);
	if (p) {
		int i;

		for (i = 0; i < 8; i++) {
			page = vmalloc_to_page((char *)p + i * PAGE_SIZE);
			CHECK(page_zonenum(page) <= ZONE_DMA32);
			CHECK(page_to_phys(page) < (1ULL << 32));
		}
	}
	vfree(p);
	p = vmalloc_32_user(PAGE_SIZE);
	CHECK(p != NULL && *(char *)p == 0);
	vfree(p);
	p = __vmalloc(10 * PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	CHECK(p != NULL && ((char *)p)[10 * PAGE_SIZE - 1] == 0);
	vfree(p);
	p = vmalloc_huge(PAGE_SIZE, GFP_KERNEL);
	CHECK(p != NULL);
	vfree(p);
	p = vmalloc_huge_node(3 * PAGE_SIZE, GFP_KERNEL, 0);
	CHECK(p && page_to_nid(vmalloc_to_page(p)) == 0);
	vfree(p);
	/* The array forms: an overflowing count is NULL, __vcalloc zeroes. */
	CHECK(__vmalloc_array(overflowing_count, 4, GFP_KERNEL) == NULL);
	CHECK(__vcalloc(overflowing_count, 4, GFP_KERNEL) == NULL);
	p = __vcalloc(1000, 9, GFP_KERNEL);
	CHECK(p && ((char *)p)[8999] == 0 && ((char *)p)[0] == 0);
	vfree(p);
	p = __vmalloc_array(3, PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	CHECK(p && ((char *)p)[3 * PAGE_SIZE - 1] == 0);
	vfree(p);
	/* An aligned area in a sub-range. */
	p = __vmalloc_node_range(PAGE_SIZE, 1UL << 20, VMALLOC_START + (64UL << 20),
				 VMALLOC_START + (128UL << 20), GFP_KERNEL, PAGE_KERNEL, 0,
				 NUMA_NO_NODE, __builtin_return_address(0));
	CHECK(p != NULL);
	CHECK(IS_ALIGNED((unsigned long)p, 1UL << 20));
	CHECK((unsigned long)p >= VMALLOC_START + (64UL << 20) &&
	      (unsigned long)p + 2 * PAGE_SIZE <= VMALLOC_START + (128UL << 20));
	vfree(p);
}

static void test_bad_input(void)
{
	char *p = vmalloc(2 * PAGE_SIZE);
	unsigned long used = vmalloc_nr_pages();
	char before[512], after[512];
	int local;

	CHECK(p != NULL);
	if (!p)
		return;
	p[0] = 42;
	info_line(p, before, sizeof(before));

	ukmem_dmesg_clear();
	CHECK(vmalloc(0) == NULL);
	CHECK_STR_CONTAINS(dmesg(), "WARNING: ");

	ukmem_dmesg_clear();
	CHECK(vmalloc((totalram_pages() + 1) << PAGE_SHIFT) == NULL);
	CHECK_STR_CONTAINS(dmesg(), "vmalloc error: size ");
	CHECK_STR_CONTAINS(dmesg(), ", exceeds total pages");
	CHECK_STR_CONTAINS(dmesg(), "mode:0xcc0(GFP_KERNEL)");

	/* Not the start of an area: warned, nothing changes. */
	ukmem_dmesg_clear();
	vfree(p + PAGE_SIZE);
	CHECK_STR_CONTAINS(dmesg(), "Trying to vfree() nonexistent vm area (");
	/* Unaligned: remove_vm_area()'s warning, then vfree()'s (both since 6.3). */
	ukmem_dmesg_clear();
	vfree(&local);
	CHECK_STR_CONTAINS(dmesg(), "Trying to vfree() bad address (");
	CHECK_STR_CONTAINS(dmesg(), "Trying to vfree() nonexistent vm area (");
	{
		void *obj = kmalloc(40, GFP_KERNEL);	/* the classic: kfree's pointer to vfree */

		/*
		 * Unaligned, as a slab object is: one KFENCE happened to sample
		 * may start its page (the kfence thread's interval can fall here).
		 */
		while (PAGE_ALIGNED(obj)) {
			void *aligned = obj;

			obj = kmalloc(40, GFP_KERNEL);
			kfree(aligned);
		}
		ukmem_dmesg_clear();
		vfree(obj);
		CHECK_STR_CONTAINS(dmesg(), "Trying to vfree() bad address (");
		CHECK_STR_CONTAINS(dmesg(), "Trying to vfree() nonexistent vm area (");
		ukmem_dmesg_clear();
		vunmap(obj);
		CHECK_STR_CONTAINS(dmesg(), "Trying to vunmap() nonexistent vm area (");
		kfree(obj);
	}
	ukmem_dmesg_clear();
	vfree((void *)(VMALLOC_END - PAGE_SIZE * 3));
	CHECK_STR_CONTAINS(dmesg(), "Trying to vfree() nonexistent vm area (");
	ukmem_dmesg_clear();
	vunmap(p + PAGE_SIZE);
	CHECK_STR_CONTAINS(dmesg(), "Trying to vunmap() nonexistent vm area (");
	CHECK_EQ(p[0], 42);
	CHECK_EQ(vmalloc_nr_pages(), used);
	CHECK(info_line(p, after, sizeof(after)) && !strcmp(before, after));
	vfree(p);
}

static void test_vmap(void)
{
	struct page *pages[4];
	unsigned char *v;
	char line[512];
	int i;

	for (i = 0; i < 4; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		memset(page_address(pages[i]), 'a' + i, PAGE_SIZE);
	}
	v = vmap(pages, 4, VM_MAP, PAGE_KERNEL);
	CHECK(v != NULL);
	if (!v)
		goto out;
	for (i = 0; i < 4; i++) {
		CHECK_EQ(v[i * PAGE_SIZE + 10], 'a' + i);	/* contents kept */
		CHECK(vmalloc_to_page(v + i * PAGE_SIZE) == pages[i]);
	}
	v[PAGE_SIZE + 1] = 'X';
	CHECK_EQ(((unsigned char *)page_address(pages[1]))[1], 'X');
	((unsigned char *)page_address(pages[2]))[2] = 'Y';
	CHECK_EQ(v[2 * PAGE_SIZE + 2], 'Y');
	CHECK(info_line(v, line, sizeof(line)) != NULL);
	CHECK(strstr(line, " 20480 ") != NULL);
	CHECK(strstr(line, " vmap") != NULL);
	CHECK(strstr(line, "pages=") == NULL);
	/* vmap of pages that vmalloc already maps: a third alias. */
	{
		unsigned char *a = vmalloc(2 * PAGE_SIZE), *b;
		struct page *vp[2];

		CHECK(a != NULL);
		if (a) {
			vp[0] = vmalloc_to_page(a);
			vp[1] = vmalloc_to_page(a + PAGE_SIZE);
			b = vmap(vp, 2, VM_MAP, PAGE_KERNEL);
			CHECK(b != NULL);
			if (b) {
				a[PAGE_SIZE + 5] = 77;
				CHECK_EQ(b[PAGE_SIZE + 5], 77);
				vunmap(b);
			}
			CHECK_EQ(a[PAGE_SIZE + 5], 77);
			vfree(a);
		}
	}
	vunmap(v);
	/* The pages keep what was written through the mapping. */
	CHECK_EQ(((unsigned char *)page_address(pages[1]))[1], 'X');
	CHECK_EQ(((unsigned char *)page_address(pages[3]))[100], 'd');
	CHECK_EQ(faults((char *)v, false), guards_enforced);
	CHECK(vmap(pages, 0, VM_MAP, PAGE_KERNEL) == NULL);
	/*
	 * VM_NO_GUARD: a guard is the next area's too, so the kernel (v6.13+)
	 * warns, drops the flag and maps with a guard; it used to fail here.
	 */
	ukmem_dmesg_clear();
	v = vmap(pages, 2, VM_MAP | VM_NO_GUARD, PAGE_KERNEL);
	CHECK(v != NULL);
	CHECK_STR_CONTAINS(dmesg(), "WARNING: ");
	if (v) {
		CHECK_EQ(((unsigned char *)v)[PAGE_SIZE + 1], 'X');
		CHECK_EQ(faults((char *)v + 2 * PAGE_SIZE, false), guards_enforced);
		vunmap(v);
	}
	/* VM_MAP_PUT_PAGES: vfree() frees the pages and the array. */
	{
		struct page **arr = kmalloc_array(2, sizeof(*arr), GFP_KERNEL);
		unsigned long before = nr_free_pages();

		arr[0] = alloc_page(GFP_KERNEL);
		arr[1] = alloc_page(GFP_KERNEL);
		v = vmap(arr, 2, VM_MAP | VM_MAP_PUT_PAGES, PAGE_KERNEL);
		CHECK(v != NULL);
		vfree(v);
		CHECK(nr_free_pages() + 64 >= before);
	}
out:
	for (i = 0; i < 4; i++)
		__free_page(pages[i]);
}

/* vm_map_ram(): as vmap() without vm_struct and guard page; both addresses see the bytes. */
static void test_vm_map_ram(void)
{
	struct page *pages[3], *many[100], *vp[2];
	unsigned char *v, *a, *b;
	char line[512];
	int i;

	for (i = 0; i < 3; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		memset(page_address(pages[i]), 'a' + i, PAGE_SIZE);
	}
	v = vm_map_ram(pages, 3, NUMA_NO_NODE);
	CHECK(v != NULL);
	if (!v)
		goto out;
	CHECK(is_vmalloc_addr(v) && PAGE_ALIGNED(v));
	for (i = 0; i < 3; i++) {
		CHECK_EQ(v[i * PAGE_SIZE + 7], 'a' + i);
		CHECK(vmalloc_to_page(v + i * PAGE_SIZE) == pages[i]);
	}
	v[PAGE_SIZE + 3] = 'X';
	CHECK_EQ(((unsigned char *)page_address(pages[1]))[3], 'X');
	((unsigned char *)page_address(pages[2]))[9] = 'Y';
	CHECK_EQ(v[2 * PAGE_SIZE + 9], 'Y');
	CHECK(find_vm_area(v) == NULL);		/* no vm_struct */
	CHECK(info_line(v, line, sizeof(line)) != NULL);
	CHECK_STR_CONTAINS(line, "   12288 vm_map_ram");	/* no guard page */
	/* A wrong count or address: reported, nothing changes. */
	ukmem_dmesg_clear();
	vm_unmap_ram(v, 2);
	CHECK_STR_CONTAINS(dmesg(), "WARNING");
	ukmem_dmesg_clear();
	vm_unmap_ram(v + 1, 3);
	CHECK_STR_CONTAINS(dmesg(), "vm_unmap_ram: bad address");
	CHECK_EQ(v[7], 'a');
	vm_unmap_ram(v, 3);
	CHECK_EQ(((unsigned char *)page_address(pages[1]))[3], 'X');	/* the pages keep the bytes */
	/* The same pages again: the lazily freed mapping comes back, as it was. */
	b = vm_map_ram(pages, 3, NUMA_NO_NODE);
	CHECK(b == v);
	if (b) {
		CHECK_EQ(b[PAGE_SIZE + 3], 'X');
		b[5] = 'Z';
		CHECK_EQ(((unsigned char *)page_address(pages[0]))[5], 'Z');
		vm_unmap_ram(b, 3);
	}
	vm_unmap_aliases();		/* purged: it faults */
	CHECK_EQ(ktest_faults_here((char *)v, false), guards_enforced);
	/* Above the kernel's per-CPU block size (64 pages). */
	for (i = 0; i < 100; i++) {
		many[i] = alloc_page(GFP_KERNEL);
		*(int *)page_address(many[i]) = 1000 + i;
	}
	v = vm_map_ram(many, 100, NUMA_NO_NODE);
	CHECK(v != NULL);
	for (i = 0; v && i < 100; i++)
		CHECK_EQ(*(int *)(v + i * PAGE_SIZE), 1000 + i);
	if (v)
		vm_unmap_ram(v, 100);
	for (i = 0; i < 100; i++)
		__free_page(many[i]);
	/* Pages of a vmalloc() area, mapped a second time. */
	a = vmalloc(2 * PAGE_SIZE);
	CHECK(a != NULL);
	if (a) {
		a[0] = 5;
		vp[0] = vmalloc_to_page(a);
		vp[1] = vmalloc_to_page(a + PAGE_SIZE);
		b = vm_map_ram(vp, 2, NUMA_NO_NODE);
		CHECK(b != NULL);
		if (b) {
			CHECK_EQ(b[0], 5);
			b[PAGE_SIZE + 1] = 6;
			CHECK_EQ(a[PAGE_SIZE + 1], 6);
			CHECK_EQ(((unsigned char *)page_address(vp[1]))[1], 6);
			vm_unmap_ram(b, 2);
		}
		vfree(a);
	}
out:
	for (i = 0; i < 3; i++)
		__free_page(pages[i]);
}

/*
 * vmalloc_to_page() makes the page's linear address show the area's bytes;
 * vfree() undoes it before the page is free again, so a later area in the
 * same range never shows through a free page.
 */
static void test_alias_taken_down(void)
{
	unsigned char *p = vmalloc(PAGE_SIZE), *q, *lin, *k;
	struct page *page;

	CHECK(p != NULL);
	if (!p)
		return;
	page = vmalloc_to_page(p);
	lin = page_address(page);
	p[0] = 0x11;
	CHECK_EQ(lin[0], 0x11);
	lin[1] = 0x22;
	CHECK_EQ(p[1], 0x22);
	k = kmap_local_page(page);		/* lowmem: the linear address */
	CHECK(k == lin);
	kunmap_local(k);
	vfree(p);
	q = vmalloc(PAGE_SIZE);			/* most likely the same range, reused */
	CHECK(q != NULL);
	if (q) {
		memset(q, 0x77, PAGE_SIZE);
		CHECK(lin[0] != 0x77 && lin[PAGE_SIZE - 1] != 0x77);
		vfree(q);
	}
	/* A kmap() of a page nobody asked vmalloc_to_page() about aliases it too. */
	p = vmalloc(3 * PAGE_SIZE);
	CHECK(p != NULL);
	if (p) {
		memset(p + PAGE_SIZE, 0x5c, PAGE_SIZE);
		k = kmap(find_vm_area(p)->pages[1]);
		CHECK_EQ(k[100], 0x5c);
		kunmap(find_vm_area(p)->pages[1]);
		vfree(p);
	}
}

/* Not static: vmallocinfo names the caller through the dynamic symbol table. */
void *vmallocinfo_caller(unsigned long size);
noinline void *vmallocinfo_caller(unsigned long size)
{
	void *p = vmalloc(size);

	__asm__ volatile("" ::: "memory");	/* not a tail call: the caller is us */
	return p;
}

static void test_vmallocinfo_meminfo(void)
{
	unsigned long total = meminfo_kb("VmallocTotal:"), used0 = meminfo_kb("VmallocUsed:");
	char line[512], expect[64];
	void *p;

	CHECK_EQ(total, (VMALLOC_END - VMALLOC_START) >> 10);
	p = vmallocinfo_caller(3 * PAGE_SIZE);
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_EQ(meminfo_kb("VmallocUsed:"), used0 + 12);
	CHECK(info_line(p, line, sizeof(line)) != NULL);
	snprintf(expect, sizeof(expect), "0x%016lx-0x%016lx   16384 ", (unsigned long)p,
		 (unsigned long)p + 4 * PAGE_SIZE);
	CHECK_STR_CONTAINS(line, expect);
	CHECK_STR_CONTAINS(line, " vmallocinfo_caller+0x");
	CHECK_STR_CONTAINS(line, " pages=3 vmalloc N0=3");
	vfree(p);
	/* Lazily freed: "unpurged vm_area" (as the kernel shows it) until purged. */
	if (info_line(p, line, sizeof(line)))
		CHECK_STR_CONTAINS(line, "   16384 unpurged vm_area");
	vm_unmap_aliases();
	CHECK(info_line(p, line, sizeof(line)) == NULL);
	CHECK_EQ(meminfo_kb("VmallocUsed:"), used0);
	/* A page array larger than a page is itself vmalloc'd: "vpages". */
	p = vmalloc(600 * PAGE_SIZE);
	CHECK(p != NULL);
	CHECK(p && info_line(p, line, sizeof(line)) && strstr(line, " pages=600 vmalloc vpages N0=600"));
	vfree(p);
}

static void test_kvmalloc(void)
{
	void *small = kvmalloc(100, GFP_KERNEL), *big = kvmalloc(8 << 20, GFP_KERNEL);
	void *mid = kvzalloc(64 << 10, GFP_KERNEL), *p;

	CHECK(small && !is_vmalloc_addr(small));
	CHECK(big && is_vmalloc_addr(big));	/* above KMALLOC_MAX_SIZE: vmalloc */
	CHECK(mid != NULL);
	if (big)
		memset(big, 1, 8 << 20);
	/* v6.17+: vmalloc serves non-blocking callers, so kvmalloc falls back. */
	p = kvmalloc(8 << 20, GFP_ATOMIC | __GFP_NOWARN);
	CHECK(p && is_vmalloc_addr(p));
	kvfree(p);
	/*
	 * Not in interrupt context (a signal handler): vmalloc takes its
	 * trees' lock unconditionally, which the code the handler
	 * interrupted may hold (the kernel's vmalloc BUGs there).  The
	 * kmalloc answer stands: NULL above KMALLOC_MAX_SIZE, a block below.
	 */
	ukmem_irq_enter();
	p = kvmalloc(8 << 20, GFP_ATOMIC | __GFP_NOWARN);
	small = kvmalloc(64 << 10, GFP_ATOMIC | __GFP_NOWARN);
	ukmem_irq_exit();
	CHECK(p == NULL);
	CHECK(small && !is_vmalloc_addr(small));
	kvfree(p);
	kvfree(small);
	small = kvmalloc(100, GFP_KERNEL);
	big = kvrealloc(big, 9 << 20, GFP_KERNEL);
	CHECK(big && is_vmalloc_addr(big) && ((char *)big)[(8 << 20) - 1] == 1);
	kvfree(small);
	kvfree(big);
	kvfree(mid);
}

static void test_vm_area_api(void)
{
	struct vm_struct *area = get_vm_area(5 * PAGE_SIZE, VM_IOREMAP);
	void *p;

	CHECK(area != NULL);
	if (!area)
		return;
	CHECK_EQ(area->size, 6 * PAGE_SIZE);
	CHECK_EQ(get_vm_area_size(area), 5 * PAGE_SIZE);
	CHECK(find_vm_area(area->addr) == area);
	/* any address inside the area finds it, the guard page too */
	CHECK(find_vm_area((char *)area->addr + PAGE_SIZE) == area);
	CHECK(find_vm_area((char *)area->addr + 5 * PAGE_SIZE) == area);
	CHECK(find_vm_area((char *)area->addr + 6 * PAGE_SIZE) != area);
	CHECK(faults(area->addr, false));	/* reserved, nothing mapped */
	CHECK_EQ((unsigned long)area->addr % (8 * PAGE_SIZE), 0);	/* ioremap: 5 pages, 32 KiB */
	p = area->addr;
	free_vm_area(area);
	CHECK(find_vm_area(p) == NULL);
	area = get_vm_area(600 * PAGE_SIZE, VM_IOREMAP);
	CHECK(area != NULL);
	if (area) {
		CHECK_EQ((unsigned long)area->addr % (4UL << 20), 0);
		free_vm_area(area);
	}
	area = get_vm_area(3 * PAGE_SIZE, 0);		/* others: a page */
	CHECK(area != NULL);
	if (area)
		free_vm_area(area);
	/* vfree_atomic defers; the next vmalloc call finishes the job. */
	p = vmalloc(PAGE_SIZE);
	vfree_atomic(p);
	CHECK(find_vm_area(p) != NULL);
	vfree(vmalloc(PAGE_SIZE));
	CHECK(find_vm_area(p) == NULL);
}

/*
 * Failure on the way: nothing is left behind, and the warning is printed.
 * warn_alloc() prints once per 10 s, so this runs in a fresh process.
 */
static void failure_leaves_nothing(void)
{
	unsigned long free0 = nr_free_pages(), used0 = vmalloc_nr_pages();
	unsigned long big = (totalram_pages() - 1024) << PAGE_SHIFT;
	void *hog, *p;

	hog = vmalloc(totalram_pages() / 2 << PAGE_SHIFT);
	CHECK(hog != NULL);
	ukmem_dmesg_clear();
	p = __vmalloc(big, GFP_KERNEL | __GFP_NORETRY);
	CHECK(p == NULL);
	{
		char want[96];

		/* The size asked for, and the mode with __GFP_HIGHMEM, as the kernel prints them. */
		snprintf(want, sizeof(want), "vmalloc error: size %lu, failed to allocate pages", big);
		CHECK_STR_CONTAINS(dmesg(), want);
		CHECK_STR_CONTAINS(dmesg(), "mode:0x10cc2(GFP_KERNEL|__GFP_HIGHMEM|__GFP_NORETRY)");
	}
	vfree(hog);
	CHECK_EQ(vmalloc_nr_pages(), used0);
	/* Freed pages may sit on any CPU's pcp list (the thread migrates). */
	drain_all_pages(NULL);
	CHECK(nr_free_pages() + 256 >= free0);
}

/*
 * register_vmap_purge_notifier(): a range full even after a purge asks the
 * notifiers; what one frees (counted in *data) makes the allocation try
 * again.  A sub-range of four pages holds two one-page areas with guards.
 */
static void *purge_held[2];
static int purge_calls;

static int purge_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	(void)nb;
	(void)action;
	purge_calls++;
	if (purge_held[0]) {
		vfree(purge_held[0]);
		purge_held[0] = NULL;
		*(unsigned long *)data += 1;
	}
	return NOTIFY_OK;
}

static void *sub_range_page(unsigned long lo)
{
	return __vmalloc_node_range(PAGE_SIZE, 1, lo, lo + 4 * PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN,
				    PAGE_KERNEL, 0, NUMA_NO_NODE, __builtin_return_address(0));
}

static void test_purge_notifier(void)
{
	struct notifier_block nb = { .notifier_call = purge_notify };
	unsigned long lo = VMALLOC_START + (512UL << 20);
	void *p;

	purge_held[0] = sub_range_page(lo);
	purge_held[1] = sub_range_page(lo);
	CHECK(purge_held[0] && purge_held[1]);
	CHECK(sub_range_page(lo) == NULL);		/* full, nobody to ask */
	CHECK_EQ(register_vmap_purge_notifier(&nb), 0);
	p = sub_range_page(lo);
	CHECK(p != NULL);				/* the notifier made room */
	CHECK_EQ(purge_calls, 1);
	CHECK(sub_range_page(lo) == NULL);		/* asked again: nothing left to free */
	CHECK_EQ(purge_calls, 2);
	CHECK_EQ(unregister_vmap_purge_notifier(&nb), 0);
	CHECK(sub_range_page(lo) == NULL);
	CHECK_EQ(purge_calls, 2);
	vfree(p);
	vfree(purge_held[1]);
}

static void test_failure_leaves_nothing(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/proc/self/exe", "test_vmalloc", "failure", (char *)NULL);
		_exit(99);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Many areas, freed in a scrambled order: no overlap, and the space merges back. */
static void test_many_areas(void)
{
	enum { N = 600 };
	static char *areas[N];
	static unsigned long sizes[N];
	unsigned long first;
	int i, j;

	srand(5);
	for (i = 0; i < N; i++) {
		sizes[i] = (1 + rand() % 5) * PAGE_SIZE;
		areas[i] = vmalloc(sizes[i]);
		CHECK(areas[i] != NULL);
		if (areas[i])
			memset(areas[i], i & 0xff, sizes[i]);
	}
	for (i = 0; i < N; i += 3) {
		vfree(areas[i]);
		areas[i] = NULL;
	}
	for (i = 0; i < N; i += 3) {
		areas[i] = vmalloc(sizes[i]);
		if (areas[i])
			memset(areas[i], i & 0xff, sizes[i]);
	}
	for (i = 0; i < N; i++) {
		for (j = 0; areas[i] && j < (int)sizes[i]; j += 512)
			if ((unsigned char)areas[i][j] != (i & 0xff))
				break;
		CHECK(!areas[i] || j >= (int)sizes[i]);
	}
	for (i = N - 1; i >= 0; i -= 2)
		vfree(areas[i]);
	for (i = N - 2; i >= 0; i -= 2)
		vfree(areas[i]);
	vm_unmap_aliases();			/* the lazily freed ranges come back */
	first = (unsigned long)vmalloc(64 * PAGE_SIZE);
	CHECK_EQ(first, VMALLOC_START);		/* everything merged back */
	vfree((void *)first);
}

static void test_fork_private(void)
{
	volatile char *p = vmalloc(4 * PAGE_SIZE);
	int pipefd[2], status;
	pid_t pid;

	CHECK(p != NULL);
	if (!p || pipe(pipefd))
		return;
	memset((char *)p, 'A', 4 * PAGE_SIZE);
	pid = fork();
	if (pid == 0) {
		char c;
		int ok;

		/* Wait until the parent has written 'B'. */
		close(pipefd[1]);
		ok = read(pipefd[0], &c, 1) == 1;
		ok = ok && p[0] == 'A' && p[3 * PAGE_SIZE] == 'A' &&
		     *(volatile char *)page_address(vmalloc_to_page((void *)p)) == 'A';
		p[1] = 'C';
		ok = ok && *((volatile char *)page_address(vmalloc_to_page((void *)p)) + 1) == 'C';
		/* The child can vmalloc and vfree on its own. */
		{
			char *q = vmalloc(PAGE_SIZE);

			ok = ok && q;
			if (q)
				q[0] = 1;
			vfree(q);
		}
		_exit(ok ? 0 : 1);
	}
	close(pipefd[0]);
	p[0] = 'B';
	p[3 * PAGE_SIZE] = 'B';
	CHECK(write(pipefd[1], "x", 1) == 1);
	close(pipefd[1]);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(p[1], 'A');		/* the child's write stays in the child */
	vfree((void *)p);
}

static unsigned long free_pages_now(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

/*
 * vrealloc() shrinking across a page boundary frees the pages past the
 * new end (v7.0+): they are counted free again, vmalloc_to_page() and
 * vmallocinfo no longer show them, and their addresses fault, here and in
 * a child; growing within the pages left stays in place, growing past
 * them moves the block.  Not for a VM_USERMAP area (vmalloc_user), nor
 * under GFP_NOFS.  The range is purged once freed, not reused with a hole.
 */
static void test_vrealloc_shrink(void)
{
	unsigned long before;
	char *p = vmalloc(8 * PAGE_SIZE), *q, line[256];
	int status;
	pid_t pid;

	CHECK(p != NULL);
	if (!p)
		return;
	memset(p, 'v', 8 * PAGE_SIZE);
	before = free_pages_now();
	CHECK(vrealloc(p, 2 * PAGE_SIZE + 10, GFP_KERNEL) == p);
	CHECK_EQ(free_pages_now(), before + 5);
	CHECK(vmalloc_to_page(p + 2 * PAGE_SIZE) != NULL);
	CHECK(vmalloc_to_page(p + 3 * PAGE_SIZE) == NULL);
	CHECK_EQ(find_vm_area(p)->nr_pages, 3);
	if (info_line(p, line, sizeof(line)))
		CHECK_STR_CONTAINS(line, " pages=3 ");
	CHECK(p[0] == 'v' && p[2 * PAGE_SIZE + 9] == 'v');
	CHECK_EQ(ktest_faults_here(p + 3 * PAGE_SIZE, false), guards_enforced);
	CHECK(!ktest_faults_here(p + 3 * PAGE_SIZE - 1, true));
	pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		if (p[0] != 'v')
			_exit(2);
		(void)*(volatile char *)(p + 5 * PAGE_SIZE);
		_exit(guards_enforced ? 3 : 0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	if (guards_enforced)
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	/* Within the three pages left: in place; past them: a new block, bytes kept. */
	CHECK(vrealloc(p, 3 * PAGE_SIZE, GFP_KERNEL) == p);
	q = vrealloc(p, 3 * PAGE_SIZE + 1, GFP_KERNEL);
	CHECK(q != NULL);
	if (!q) {
		vfree(p);
		return;
	}
	CHECK(q[0] == 'v' && q[2 * PAGE_SIZE + 9] == 'v');
	vfree(q);
	vm_unmap_aliases();
	/* The same shape again: a fresh range with every page usable. */
	p = vmalloc(8 * PAGE_SIZE);
	CHECK(p != NULL);
	if (p) {
		CHECK(!ktest_faults_here(p + 7 * PAGE_SIZE, true));
		vfree(p);
	}

	/* The kernel leaves these alone. */
	p = vmalloc_user(4 * PAGE_SIZE);
	CHECK(p != NULL);
	if (p) {
		CHECK(vrealloc(p, PAGE_SIZE, GFP_KERNEL) == p);
		CHECK_EQ(find_vm_area(p)->nr_pages, 4);
		vfree(p);
	}
	p = vmalloc(4 * PAGE_SIZE);
	CHECK(p != NULL);
	if (p) {
		CHECK(vrealloc(p, PAGE_SIZE, GFP_NOFS) == p);
		CHECK_EQ(find_vm_area(p)->nr_pages, 4);
		CHECK(vrealloc(p, 4 * PAGE_SIZE, GFP_KERNEL) == p);
		vfree(p);
	}
}

static void run_guard_mode(const char *mode)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/proc/self/exe", "test_vmalloc", "guard", mode, (char *)NULL);
		_exit(99);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_guard_mode_mprotect(void)
{
	run_guard_mode("mprotect");
}

static void test_guard_mode_off(void)
{
	run_guard_mode("off");
}

/*
 * The other guard modes (boot option vmalloc.guard=), in a process of their
 * own: mprotect (what a host without guard regions gets) and off.
 */
static const char *guard_mode;	/* NULL: as the host allows */

static void guard_mode_suite(void)
{
	bool enforced = guards_enforced = strcmp(guard_mode, "off") != 0;
	enum { N = 3000 };
	static char *areas[N];
	char *p, *q;
	int i, bad = 0;

	CHECK_STR_CONTAINS(dmesg(), "guard pages: ");
	p = vmalloc(3 * PAGE_SIZE);
	CHECK(p != NULL);
	if (!p)
		return;
	memset(p, 1, 3 * PAGE_SIZE);
	CHECK_EQ(ktest_faults_here(p + 3 * PAGE_SIZE, false), enforced);	/* the guard page */
	vfree(p);
	q = vmalloc(3 * PAGE_SIZE);		/* the warm range again */
	CHECK(q != NULL && !ktest_faults_here(q + 2 * PAGE_SIZE, true));
	vfree(q);
	vm_unmap_aliases();
	CHECK_EQ(ktest_faults_here(p, false), enforced);			/* purged */
	for (i = 0; i < N; i++) {
		areas[i] = vmalloc((1 + i % 3) * PAGE_SIZE);
		if (areas[i])
			areas[i][0] = (char)i;
	}
	for (i = 0; i < N; i++) {
		bad += !areas[i] || areas[i][0] != (char)i;
		vfree(areas[i]);
	}
	CHECK_EQ(bad, 0);
	test_vmap();
	test_vm_map_ram();
	test_fork_private();
	test_vrealloc_shrink();
}

/*
 * __GFP_NOFAIL under failslab firing at every call, sleeping requests
 * included: the request's own slab allocations carry __GFP_NOFAIL, which
 * failslab exempts, so it succeeds at once, as in the kernel.  vmalloc's
 * first use (its caches, made by the kernel's vmalloc_init() at boot) is
 * the library's work and exempt too: it used to be failed, and the
 * __GFP_NOFAIL request retried it for ever (a hang).  A plain GFP_KERNEL
 * request afterwards is the caller's and fails.  In a fresh process, so
 * that the first use is this one.
 */
static void nofail_retries_area(void)
{
	void *p;

	vm_unmap_aliases();	/* no warm range to take back: new bookkeeping is needed */
	ukmem_fault_set("failslab", "ignore-gfp-wait", 0);
	ukmem_fault_set("failslab", "verbose", 0);
	ukmem_fault_set("failslab", "times", -1);
	ukmem_fault_set("failslab", "probability", 100);
	p = __vmalloc(37 * PAGE_SIZE, GFP_KERNEL | __GFP_NOFAIL);
	CHECK(p != NULL);
	CHECK_EQ(ukmem_fault_get("failslab", "injected"), 0);
	CHECK(__vmalloc(PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(ukmem_fault_get("failslab", "injected") > 0);	/* the caller's request */
	ukmem_fault_set("failslab", "probability", 0);
	ukmem_fault_set("failslab", "ignore-gfp-wait", 1);
	if (p) {
		memset(p, 1, 37 * PAGE_SIZE);
		vfree(p);
	}
}

static void test_nofail_retries_area(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		execl("/proc/self/exe", "test_vmalloc", "nofail", (char *)NULL);
		_exit(99);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(int argc, char **argv)
{
	char cmdline[128];

	if (argc > 2 && !strcmp(argv[1], "guard"))
		guard_mode = argv[2];
	snprintf(cmdline, sizeof(cmdline), "mem=256M loglevel=1%s%s", guard_mode ? " vmalloc.guard=" : "",
		 guard_mode ? guard_mode : "");
	if (ukmem_boot(cmdline)) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	ukmem_dmesg_clear();
	if (argc > 1 && !strcmp(argv[1], "failure"))
		KTEST_RUN(KTEST(failure_leaves_nothing));
	if (argc > 1 && !strcmp(argv[1], "nofail"))
		KTEST_RUN(KTEST(nofail_retries_area));
	if (argc > 2 && !strcmp(argv[1], "guard")) {
		vfree(vmalloc(PAGE_SIZE));	/* first use: the vmalloc file, the guard mode */
		KTEST_RUN(KTEST(guard_mode_suite));
	}
	KTEST_RUN(KTEST(test_basic), KTEST(test_noncontiguous), KTEST(test_guard_and_after_free),
		  KTEST(test_zeroed), KTEST(test_variants), KTEST(test_bad_input), KTEST(test_vmap),
		  KTEST(test_vmallocinfo_meminfo), KTEST(test_kvmalloc), KTEST(test_vm_area_api),
		  KTEST(test_failure_leaves_nothing), KTEST(test_many_areas),
		  KTEST(test_fork_private), KTEST(test_vm_map_ram), KTEST(test_alias_taken_down),
		  KTEST(test_guard_mode_mprotect), KTEST(test_guard_mode_off),
		  KTEST(test_purge_notifier), KTEST(test_nofail_retries_area),
		  KTEST(test_vrealloc_shrink));
}
