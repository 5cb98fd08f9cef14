/* SPDX-License-Identifier: MIT */
/*
 * ioremap: a temporary file stands in for a device's registers; it is
 * registered as a physical range above RAM, ioremap()ed, and every accessor
 * is checked against what the file holds (pread/pwrite from the "device"
 * side).  Refusals: RAM (with the kernel's WARN), unregistered ranges, size
 * 0, overlapping or misaligned registrations, unregistering while mapped,
 * iounmap of a bad address.  vmallocinfo shows "phys=... ioremap".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

#include <asm/io.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/iomem.h>
#include <ukmem/report.h>
#include "ktest.h"

#define DEV_PHYS	0x100000000ULL	/* 4 GiB: above mem=256M */
#define DEV_SIZE	(4 * PAGE_SIZE)

static char logbuf[1 << 16];
static char report[1 << 16];
static int devfd = -1;

static const char *dmesg(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

static const char *vmallocinfo(void)
{
	FILE *f = fmemopen(report, sizeof(report) - 1, "w");

	memset(report, 0, sizeof(report));
	if (f) {
		ukmem_show("vmallocinfo", f);
		fclose(f);
	}
	return report;
}

static u32 dev_read32(off_t off)
{
	u32 v = 0;

	CHECK(pread(devfd, &v, 4, off) == 4);
	return v;
}

static void test_register(void)
{
	FILE *tmp = tmpfile();

	CHECK(tmp != NULL);
	devfd = fileno(tmp);
	CHECK(ftruncate(devfd, DEV_SIZE + PAGE_SIZE) == 0);
	CHECK_EQ(ukmem_register_device_region(DEV_PHYS, DEV_SIZE, devfd, PAGE_SIZE, "testdev"), 0);
	CHECK_EQ(ukmem_register_device_region(DEV_PHYS + PAGE_SIZE, PAGE_SIZE, devfd, 0, "x"),
		 -EBUSY);
	CHECK_EQ(ukmem_register_device_region(DEV_PHYS + 16 * PAGE_SIZE + 1, PAGE_SIZE, devfd, 0,
					      "x"), -EINVAL);
	CHECK_EQ(ukmem_register_device_region(0x1000, PAGE_SIZE, devfd, 0, "ram"), -EINVAL);
	CHECK_EQ(ukmem_register_device_region(DEV_PHYS + 16 * PAGE_SIZE, 8 * PAGE_SIZE, devfd, 0,
					      "too big for the file"), -EINVAL);
	CHECK_EQ(ukmem_register_device_region(DEV_PHYS + 16 * PAGE_SIZE, 0, devfd, 0, "x"),
		 -EINVAL);
}

static void test_accessors(void)
{
	void __iomem *regs = ioremap(DEV_PHYS, DEV_SIZE);
	unsigned char buf[100], back[100];
	u32 v;
	int i;

	CHECK(regs != NULL);
	if (!regs)
		return;
	CHECK(is_vmalloc_addr((void *)regs));
	writel(0x12345678, regs + 8);
	CHECK_EQ(dev_read32(PAGE_SIZE + 8), 0x12345678);	/* the device sees it */
	writeb(0xaa, regs + 1);
	writew(0xbeef, regs + 2);
	writeq(0x1122334455667788ULL, regs + 16);
	CHECK_EQ(readb(regs + 1), 0xaa);
	CHECK_EQ(readw(regs + 2), 0xbeef);
	CHECK_EQ(readl(regs + 8), 0x12345678);
	CHECK(readq(regs + 16) == 0x1122334455667788ULL);
	v = 0xcafef00d;
	CHECK(pwrite(devfd, &v, 4, PAGE_SIZE + 3 * PAGE_SIZE + 12) == 4);	/* device writes */
	CHECK_EQ(ioread32(regs + 3 * PAGE_SIZE + 12), 0xcafef00d);
	iowrite32(7, regs + 24);
	iowrite16(0x55aa, regs + 28);
	iowrite8(9, regs + 30);
	CHECK_EQ(ioread32(regs + 24), 7);
	CHECK_EQ(ioread16(regs + 28), 0x55aa);
	CHECK_EQ(ioread8(regs + 30), 9);
	CHECK_EQ(readl_relaxed(regs + 24), 7);
	iowrite32be(0x01020304, regs + 32);
	CHECK_EQ(readl(regs + 32), 0x04030201);
	for (i = 0; i < 100; i++)
		buf[i] = (unsigned char)(i * 3 + 1);
	memcpy_toio(regs + PAGE_SIZE + 3, buf, sizeof(buf));
	memset(back, 0, sizeof(back));
	memcpy_fromio(back, regs + PAGE_SIZE + 3, sizeof(back));
	CHECK(!memcmp(buf, back, sizeof(buf)));
	CHECK(pread(devfd, back, sizeof(back), 2 * PAGE_SIZE + 3) == sizeof(back));
	CHECK(!memcmp(buf, back, sizeof(buf)));
	memset_io(regs + 2 * PAGE_SIZE + 5, 0x7e, 50);
	CHECK(pread(devfd, back, 52, 3 * PAGE_SIZE + 4) == 52);
	CHECK(back[0] == 0 && back[1] == 0x7e && back[50] == 0x7e && back[51] == 0);
	CHECK_EQ(vmalloc_to_pfn((void *)regs), DEV_PHYS >> PAGE_SHIFT);
	CHECK(vmalloc_to_page((void *)regs) == NULL);
	iounmap(regs);
}

static void test_offsets_and_variants(void)
{
	void __iomem *a = ioremap(DEV_PHYS + PAGE_SIZE + 8, 8);
	void __iomem *b = ioremap_wc(DEV_PHYS, PAGE_SIZE);
	void __iomem *c = ioremap_cache(DEV_PHYS + 2 * PAGE_SIZE, 2 * PAGE_SIZE);
	void __iomem *d = ioremap_uc(DEV_PHYS, DEV_SIZE);
	char line[64];

	CHECK(a && b && c && d);
	if (!a || !b || !c || !d)
		return;
	CHECK_EQ((unsigned long)a & ~PAGE_MASK, 8);
	writel(0xdeadbeef, a);
	CHECK_EQ(readl(d + PAGE_SIZE + 8), 0xdeadbeef);	/* two mappings, one device */
	writel(3, c);
	CHECK_EQ(readl(d + 2 * PAGE_SIZE), 3);
	snprintf(line, sizeof(line), " phys=0x%016llx ioremap", DEV_PHYS + PAGE_SIZE);
	CHECK_STR_CONTAINS(vmallocinfo(), line);
	snprintf(line, sizeof(line), "   8192 ");	/* one page and its guard */
	CHECK_STR_CONTAINS(vmallocinfo(), line);
	CHECK(ioremap_np(DEV_PHYS, PAGE_SIZE) == NULL);
	/* Still mapped: the region cannot go. */
	CHECK_EQ(ukmem_unregister_device_region(DEV_PHYS), -EBUSY);
	iounmap(a);
	iounmap(b);
	iounmap(c);
	iounmap(d);
	CHECK(strstr(vmallocinfo(), " ioremap") == NULL);
}

static void test_refusals(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	char stackvar[8];

	ukmem_dmesg_clear();
	CHECK(ioremap(page_to_phys(page), PAGE_SIZE) == NULL);	/* RAM */
	CHECK_STR_CONTAINS(dmesg(), "ioremap on RAM at 0x");
	__free_page(page);
	CHECK(ioremap(DEV_PHYS + DEV_SIZE, PAGE_SIZE) == NULL);	/* past the region */
	CHECK(ioremap(DEV_PHYS + DEV_SIZE - 4, 8) == NULL);	/* straddles its end */
	CHECK(ioremap(0x200000000ULL, PAGE_SIZE) == NULL);	/* nothing there */
	CHECK(ioremap(DEV_PHYS, 0) == NULL);
	CHECK(ioremap(~0ULL - 10, 100) == NULL);
	ukmem_dmesg_clear();
	{
		void *v = vmalloc(PAGE_SIZE);

		iounmap((void __iomem *)v);		/* a vmalloc area is no ioremap */
		CHECK_STR_CONTAINS(dmesg(), "iounmap: bad address");
		CHECK(find_vm_area(v) != NULL);
		vfree(v);
	}
	iounmap((void __iomem *)stackvar);	/* not in the vmalloc range: ignored */
	iounmap(NULL);
}

/* memremap(): RAM from the linear map, device regions mapped, the kernel's refusals. */
static void test_memremap(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct device dev = { .init_name = "memremap" };
	phys_addr_t phys = page ? page_to_phys(page) : 0;
	char *p;

	CHECK(page != NULL);
	if (!page)
		return;
	CHECK(memremap(phys, PAGE_SIZE, MEMREMAP_WB) == page_address(page));
	memunmap(page_address(page));				/* nothing to undo */
	CHECK(memremap(phys, PAGE_SIZE, 0) == NULL);
	ukmem_dmesg_clear();
	CHECK(memremap(phys, PAGE_SIZE, MEMREMAP_WC) == NULL);	/* RAM, not write-back */
	CHECK_STR_CONTAINS(dmesg(), "memremap attempted on ram");
	ukmem_dmesg_clear();
	CHECK(memremap(PFN_PHYS(ukmem_ram_pfns) - PAGE_SIZE, 2 * PAGE_SIZE, MEMREMAP_WB) == NULL);
	CHECK_STR_CONTAINS(dmesg(), "memremap attempted on mixed range");
	__free_page(page);

	/* A device region: mapped, and the bytes are the region's. */
	p = memremap(DEV_PHYS + 8, 64, MEMREMAP_WB);
	CHECK(p != NULL && is_vmalloc_addr(p));
	if (p) {
		*(volatile u32 *)p = 0xfeedf00d;
		CHECK_EQ(dev_read32(PAGE_SIZE + 8), 0xfeedf00d);
		memunmap(p);
		CHECK(find_vm_area((void *)((unsigned long)p & PAGE_MASK)) == NULL);
	}
	p = memremap(DEV_PHYS, PAGE_SIZE, MEMREMAP_WC);
	CHECK(p != NULL);
	memunmap(p);
	CHECK(memremap(DEV_PHYS + 64 * PAGE_SIZE, PAGE_SIZE, MEMREMAP_WB) == NULL);	/* no region */

	/* Managed: unmapped with the device's resources; a failure is ERR_PTR(-ENXIO). */
	p = devm_memremap(&dev, DEV_PHYS, PAGE_SIZE, MEMREMAP_WB);
	CHECK(!IS_ERR_OR_NULL(p) && is_vmalloc_addr(p));
	CHECK(devm_memremap(&dev, DEV_PHYS + 64 * PAGE_SIZE, PAGE_SIZE, MEMREMAP_WB) ==
	      ERR_PTR(-ENXIO));
	CHECK_EQ(devres_release_all(&dev), 1);
	CHECK(IS_ERR_OR_NULL(p) || find_vm_area(p) == NULL);
}

static void test_unregister(void)
{
	CHECK_EQ(ukmem_unregister_device_region(DEV_PHYS + PAGE_SIZE), -ENOENT);
	CHECK_EQ(ukmem_unregister_device_region(DEV_PHYS), 0);
	CHECK(ioremap(DEV_PHYS, PAGE_SIZE) == NULL);
	CHECK_EQ(ukmem_unregister_device_region(DEV_PHYS), -ENOENT);
}

int main(void)
{
	if (ukmem_boot("mem=256M loglevel=1")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_register), KTEST(test_accessors), KTEST(test_offsets_and_variants),
		  KTEST(test_refusals), KTEST(test_memremap), KTEST(test_unregister));
}
