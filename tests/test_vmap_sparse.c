/* SPDX-License-Identifier: MIT */
/*
 * Sparse areas and frame mappings (the kernel's mm/vmalloc.c):
 *  - get_vm_area(VM_SPARSE) + vm_area_map_pages()/vm_area_unmap_pages()
 *    (v6.9+): a reserved range faults until pages are mapped into parts of
 *    it; a mapped part shows the pages' bytes both ways (vmalloc and linear
 *    address), vmalloc_to_page() finds them, a fork child sees them, an
 *    unmapped part faults again, the pages stay the caller's; the kernel's
 *    refusals (-EINVAL with a warning for a non-sparse area, -ERANGE
 *    outside it, -EBUSY over a mapped page);
 *  - vmap_pfn(): device frames (a memfd registered as a device region)
 *    mapped in an order of the caller's choosing, vmalloc_to_pfn() giving
 *    each back, RAM frames refused with the kernel's warning, frames no
 *    region holds refused, and the regions pinned until vunmap().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/iomem.h>
#include "fault_probe.h"
#include "ktest_boot.h"

#define DEV_PHYS	0x100000000ULL	/* 4 GiB: above mem=256M */
#define DEV_PAGES	8

static char logbuf[1 << 16];

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

/* In a fork child: @mapped reads @want, @hole faults (exit 0 if so). */
static bool child_sees(volatile char *mapped, char want, volatile char *hole)
{
	pid_t pid = fork();
	int status;

	if (pid == 0)
		_exit(*mapped == want && ktest_faults_here(hole, false) ? 0 : 1);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void test_sparse_map_unmap(void)
{
	struct vm_struct *area = get_vm_area(8 * PAGE_SIZE, VM_SPARSE);
	struct page *pages[3];
	unsigned long base;
	char *a;
	int i;

	CHECK(area != NULL);
	if (!area)
		return;
	base = (unsigned long)area->addr;
	a = area->addr;
	for (i = 0; i < 3; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		CHECK(pages[i] != NULL);
		if (!pages[i])
			return;
		memset(page_address(pages[i]), 'A' + i, PAGE_SIZE);
	}
	/* Reserved, nothing mapped: it faults. */
	CHECK(ktest_faults_here(a, false));
	CHECK(vmalloc_to_page(a) == NULL);

	/* Pages 2..4 of the area. */
	CHECK_EQ(vm_area_map_pages(area, base + 2 * PAGE_SIZE, base + 5 * PAGE_SIZE, pages), 0);
	CHECK(a[2 * PAGE_SIZE] == 'A');
	CHECK(a[4 * PAGE_SIZE + PAGE_SIZE - 1] == 'C');
	CHECK(ktest_faults_here(a + PAGE_SIZE, false));
	CHECK(ktest_faults_here(a + 5 * PAGE_SIZE, false));
	CHECK(vmalloc_to_page(a + 3 * PAGE_SIZE) == pages[1]);
	CHECK(vmalloc_to_page(a + 6 * PAGE_SIZE) == NULL);
	/* One page, two addresses, the same bytes both ways. */
	a[3 * PAGE_SIZE + 7] = 'x';
	CHECK(((char *)page_address(pages[1]))[7] == 'x');
	((char *)page_address(pages[2]))[9] = 'y';
	CHECK(a[4 * PAGE_SIZE + 9] == 'y');
	/* A fork child sees the mapped pages and the holes as they are. */
	CHECK(child_sees(a + 2 * PAGE_SIZE, 'A', a + 6 * PAGE_SIZE));

	/* The kernel's refusals. */
	CHECK_EQ(vm_area_map_pages(area, base + 4 * PAGE_SIZE, base + 5 * PAGE_SIZE, pages),
		 -EBUSY);
	CHECK_EQ(vm_area_map_pages(area, base + 6 * PAGE_SIZE, base + 9 * PAGE_SIZE, pages),
		 -ERANGE);	/* into the guard page */
	CHECK_EQ(vm_area_map_pages(area, base - PAGE_SIZE, base, pages), -ERANGE);

	/* Unmapping the middle page: it faults, its neighbours stay. */
	vm_area_unmap_pages(area, base + 3 * PAGE_SIZE, base + 4 * PAGE_SIZE);
	CHECK(ktest_faults_here(a + 3 * PAGE_SIZE, false));
	CHECK(a[2 * PAGE_SIZE] == 'A' && a[4 * PAGE_SIZE] == 'C');
	CHECK(vmalloc_to_page(a + 3 * PAGE_SIZE) == NULL);
	/* The page is still the caller's, with what was written through the area. */
	CHECK(((char *)page_address(pages[1]))[7] == 'x');
	/* Mapped again elsewhere in the area. */
	CHECK_EQ(vm_area_map_pages(area, base, base + PAGE_SIZE, &pages[1]), 0);
	CHECK(a[7] == 'x');

	free_vm_area(area);
	/* Freeing the area frees no page. */
	for (i = 0; i < 3; i++) {
		CHECK(page_count(pages[i]) == 1);
		CHECK(((char *)page_address(pages[i]))[PAGE_SIZE - 1] == 'A' + i);
		__free_page(pages[i]);
	}
}

static void test_sparse_refusals(void)
{
	struct vm_struct *plain = get_vm_area(2 * PAGE_SIZE, VM_MAP);
	struct vm_struct *noguard = get_vm_area(2 * PAGE_SIZE, VM_SPARSE | VM_NO_GUARD);
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long b;

	CHECK(plain && noguard && page);
	if (!plain || !noguard || !page)
		return;
	b = (unsigned long)plain->addr;
	ukmem_dmesg_clear();
	CHECK_EQ(vm_area_map_pages(plain, b, b + PAGE_SIZE, &page), -EINVAL);
	CHECK_STR_CONTAINS(dmesg_now(), "WARNING:");
	b = (unsigned long)noguard->addr;
	CHECK_EQ(vm_area_map_pages(noguard, b, b + PAGE_SIZE, &page), -EINVAL);
	free_vm_area(plain);
	free_vm_area(noguard);
	__free_page(page);
}

/*
 * A BPF arena's area: 4 GiB and a guard (the kernel's KERN_VM_SZ), only
 * a page or two of it ever mapped.  The kernel builds page tables for
 * what is mapped; the table of what is mapped where, one pointer a page
 * of the area (8 MiB here), must not need one kmalloc block of that size.
 */
static void test_sparse_arena_size(void)
{
	unsigned long size = (4UL << 30) + (64UL << 10), base;
	struct vm_struct *area = get_vm_area(size, VM_SPARSE);
	struct page *page = alloc_page(GFP_KERNEL);
	char *a;

	CHECK(area != NULL && page != NULL);
	if (!area || !page)
		return;
	base = (unsigned long)area->addr;
	a = area->addr;
	memset(page_address(page), 'q', PAGE_SIZE);
	/* The first page and the last one of the area. */
	CHECK_EQ(vm_area_map_pages(area, base, base + PAGE_SIZE, &page), 0);
	CHECK_EQ(vm_area_map_pages(area, base + size - PAGE_SIZE, base + size, &page), 0);
	CHECK(a[5] == 'q' && a[size - 1] == 'q');
	CHECK(vmalloc_to_page(a + size - PAGE_SIZE) == page);
	CHECK(vmalloc_to_page(a + (2UL << 30)) == NULL);
	CHECK(ktest_faults_here(a + (2UL << 30), false));
	CHECK(child_sees(a + size - 1, 'q', a + (2UL << 30)));
	vm_area_unmap_pages(area, base + size - PAGE_SIZE, base + size);
	CHECK(ktest_faults_here(a + size - PAGE_SIZE, false));
	free_vm_area(area);
	CHECK(page_count(page) == 1 && ((char *)page_address(page))[7] == 'q');
	__free_page(page);
}

static int devfd = -1;

static void test_vmap_pfn(void)
{
	unsigned long pfns[4], ram[1];
	char *p, want[PAGE_SIZE];
	int i;

	devfd = memfd_create("vmap_pfn_dev", 0);
	CHECK(devfd >= 0);
	if (devfd < 0)
		return;
	CHECK(ftruncate(devfd, DEV_PAGES * PAGE_SIZE) == 0);
	for (i = 0; i < DEV_PAGES; i++) {
		memset(want, '0' + i, PAGE_SIZE);
		CHECK(pwrite(devfd, want, PAGE_SIZE, (off_t)i * PAGE_SIZE) == PAGE_SIZE);
	}
	CHECK_EQ(ukmem_register_device_region(DEV_PHYS, DEV_PAGES * PAGE_SIZE, devfd, 0, "gpu"), 0);

	/* Frames 5, 6 (a run), then 1 and 3. */
	pfns[0] = PHYS_PFN(DEV_PHYS) + 5;
	pfns[1] = PHYS_PFN(DEV_PHYS) + 6;
	pfns[2] = PHYS_PFN(DEV_PHYS) + 1;
	pfns[3] = PHYS_PFN(DEV_PHYS) + 3;
	p = vmap_pfn(pfns, 4, PAGE_KERNEL);
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(is_vmalloc_addr(p));
	CHECK(p[0] == '5' && p[PAGE_SIZE] == '6' && p[2 * PAGE_SIZE] == '1');
	CHECK(p[4 * PAGE_SIZE - 1] == '3');
	for (i = 0; i < 4; i++)
		CHECK_EQ(vmalloc_to_pfn(p + i * PAGE_SIZE + 10), pfns[i]);
	CHECK(vmalloc_to_page(p) == NULL);		/* no struct page behind it */
	/* Stores reach the device. */
	p[2 * PAGE_SIZE + 3] = 'z';
	CHECK(pread(devfd, want, 8, PAGE_SIZE) == 8 && want[3] == 'z');
	/* Mapped: the region cannot go. */
	CHECK_EQ(ukmem_unregister_device_region(DEV_PHYS), -EBUSY);
	vunmap(p);
	CHECK(ktest_faults_here(p, false));

	/* RAM frames: the kernel's warning and NULL; unknown frames: NULL. */
	ram[0] = page_to_pfn(alloc_page(GFP_KERNEL));
	ukmem_dmesg_clear();
	CHECK(vmap_pfn(ram, 1, PAGE_KERNEL) == NULL);
	CHECK_STR_CONTAINS(dmesg_now(), "WARNING:");
	__free_page(pfn_to_page(ram[0]));
	pfns[0] = PHYS_PFN(DEV_PHYS) + 2;
	pfns[1] = PHYS_PFN(DEV_PHYS) + DEV_PAGES;	/* past the region */
	CHECK(vmap_pfn(pfns, 2, PAGE_KERNEL) == NULL);
	CHECK(vmap_pfn(pfns, 0, PAGE_KERNEL) == NULL);

	/* Every pin was let go: the region can be unregistered now. */
	CHECK_EQ(ukmem_unregister_device_region(DEV_PHYS), 0);
	close(devfd);
}

int main(void)
{
	if (!ktest_boot_quietly("mem=256M"))
		return 1;
	KTEST_RUN(KTEST(test_sparse_map_unmap), KTEST(test_sparse_refusals),
		  KTEST(test_sparse_arena_size), KTEST(test_vmap_pfn));
}
