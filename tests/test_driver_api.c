/* SPDX-License-Identifier: MIT */
/*
 * The headers driver code expects (linux/err.h, errno.h, kernel.h,
 * string.h, kref.h, init.h, dma-mapping.h): each helper's kernel answer,
 * refcount's saturation warnings, initcall order, and the DMA API: the
 * zone a coherent mask reaches, zeroed memory, identity mappings, and
 * every dma-debug report (wrong direction, size or address on unmap,
 * syncs outside a mapping or against its direction, vmalloc memory,
 * an invalid direction, an address beyond the mask).
 */
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/context.h>
#include "mm/internal.h"
#include "ktest.h"

static char logbuf[1 << 17];

static const char *dmesg_since(size_t *mark)
{
	size_t len = ukmem_dmesg(logbuf, sizeof(logbuf));
	const char *from = logbuf + (*mark < len ? *mark : len);

	*mark = len;
	return from;
}

/* ------------------------------------------------------------------ */

static int initcall_order[4], initcall_n;

static int __init early_core(void)
{
	initcall_order[initcall_n++] = 1;
	return 0;
}
core_initcall(early_core);

static int __init late_one(void)
{
	initcall_order[initcall_n++] = 3;
	return 0;
}
late_initcall(late_one);

static int __init device_one(void)
{
	initcall_order[initcall_n++] = 2;
	return -ENODEV;		/* reported, the boot goes on */
}
device_initcall(device_one);

static void test_initcalls(void)
{
	size_t mark = 0;

	/* Ran before main(), in level order whatever the order in this file. */
	CHECK_EQ(initcall_n, 3);
	CHECK_EQ(initcall_order[0], 1);
	CHECK_EQ(initcall_order[1], 2);
	CHECK_EQ(initcall_order[2], 3);
	CHECK_STR_CONTAINS(dmesg_since(&mark), "initcall device_one returned -19");
}

static void test_err(void)
{
	void *p = ERR_PTR(-ENOMEM), *ok = &p;

	CHECK(IS_ERR(p));
	CHECK_EQ(PTR_ERR(p), -ENOMEM);
	CHECK(!IS_ERR(ok));
	CHECK(!IS_ERR(NULL));
	CHECK(IS_ERR_OR_NULL(NULL));
	CHECK(IS_ERR_OR_NULL(p));
	CHECK(!IS_ERR_OR_NULL(ok));
	CHECK(IS_ERR(ERR_PTR(-MAX_ERRNO)));
	CHECK(!IS_ERR(ERR_PTR(-MAX_ERRNO - 1)));
	CHECK_EQ(PTR_ERR_OR_ZERO(ok), 0);
	CHECK_EQ(PTR_ERR_OR_ZERO(ERR_PTR(-EINVAL)), -EINVAL);
	CHECK(ERR_CAST(p) == p);
	/* The kernel's own numbers beside the UAPI ones. */
	CHECK_EQ(EPERM, 1);
	CHECK_EQ(ERESTARTSYS, 512);
	CHECK_EQ(EPROBE_DEFER, 517);
	CHECK_EQ(ENOTSUPP, 524);
	CHECK_EQ(ENOGRACE, 531);
}

struct outer {
	int a;
	long member;
};

static void test_kernel_h(void)
{
	struct outer o;
	int arr[7], x = 1, y = 2;
	u64 v = 0x123456789abcdef0ULL;

	CHECK(container_of(&o.member, struct outer, member) == &o);
	CHECK_EQ(ARRAY_SIZE(arr), 7);
	CHECK_EQ(min(3, 5), 3);
	CHECK_EQ(max(3, 5), 5);
	CHECK_EQ(clamp(9, 1, 4), 4);
	CHECK_EQ(min_not_zero(0, 4), 4);
	CHECK_EQ(upper_32_bits(v), 0x12345678);
	CHECK_EQ(lower_32_bits(v), 0x9abcdef0);
	CHECK_EQ(DIV_ROUND_UP(7, 2), 4);
	CHECK_EQ(roundup(13, 5), 15);
	CHECK_EQ(rounddown(13, 5), 10);
	CHECK_EQ(U16_MAX, 65535);
	CHECK_EQ(S32_MIN, -2147483647 - 1);
	CHECK(!strcmp(__stringify(PAGE_SHIFT), "12"));
	swap(x, y);
	CHECK(x == 2 && y == 1);
	CHECK_EQ(sizeof(u8) + sizeof(u16) + sizeof(u32) + sizeof(u64), 15);
	CHECK_EQ(sizeof(__u32), 4);	/* the UAPI half of linux/types.h */
}

static void test_string(void)
{
	char buf[8], pad[8], s[] = "  trim me \n";
	static const char *const names[] = { "zero", "one", "two" };
	u8 zeros[16] = { 0 };

	CHECK_EQ(strscpy(buf, "short", sizeof(buf)), 5);
	CHECK(!strcmp(buf, "short"));
	CHECK_EQ(strscpy(buf, "much too long", sizeof(buf)), -E2BIG);
	CHECK(!strcmp(buf, "much to"));
	CHECK_EQ(strscpy(buf, "x", 0), -E2BIG);
	memset(pad, 'z', sizeof(pad));
	CHECK_EQ(strscpy_pad(pad, "ab", sizeof(pad)), 2);
	CHECK(!memchr_inv(pad + 2, 0, sizeof(pad) - 2));
	CHECK_EQ(str_has_prefix("ukmem-live", "ukmem"), 5);
	CHECK_EQ(str_has_prefix("uk", "ukmem"), 0);
	CHECK(!strcmp(strim(s), "trim me"));
	CHECK(!strcmp(skip_spaces("  x"), "x"));
	CHECK(memchr_inv(zeros, 0, sizeof(zeros)) == NULL);
	zeros[9] = 1;
	CHECK(memchr_inv(zeros, 0, sizeof(zeros)) == &zeros[9]);
	CHECK(sysfs_streq("on\n", "on"));
	CHECK(sysfs_streq("on", "on\n"));
	CHECK(!sysfs_streq("on", "off"));
	CHECK_EQ(match_string(names, ARRAY_SIZE(names), "two"), 2);
	CHECK_EQ(match_string(names, ARRAY_SIZE(names), "three"), -EINVAL);
	CHECK(strnchr("abcdef", 3, 'd') == NULL);
}

/* ------------------------------------------------------------------ */

struct obj {
	struct kref ref;
	int released;
};

static void obj_release(struct kref *ref)
{
	container_of(ref, struct obj, ref)->released++;
}

static void test_kref(void)
{
	struct obj o = { .released = 0 };
	refcount_t r;
	size_t mark = 0;

	dmesg_since(&mark);
	kref_init(&o.ref);
	kref_get(&o.ref);
	CHECK_EQ(kref_read(&o.ref), 2);
	CHECK_EQ(kref_put(&o.ref, obj_release), 0);
	CHECK_EQ(o.released, 0);
	CHECK_EQ(kref_put(&o.ref, obj_release), 1);
	CHECK_EQ(o.released, 1);
	/* A lookup that finds it dying gets nothing. */
	CHECK(!kref_get_unless_zero(&o.ref));

	/* A get after the last put: warned, saturated, never freed again. */
	refcount_set(&r, 0);
	refcount_inc(&r);
	CHECK_STR_CONTAINS(dmesg_since(&mark), "refcount_t: addition on 0; use-after-free.");
	CHECK_EQ((int)refcount_read(&r), REFCOUNT_SATURATED);
	CHECK(!refcount_dec_and_test(&r));
	refcount_set(&r, 1);
	CHECK(refcount_dec_and_test(&r));
	CHECK(!refcount_dec_and_test(&r));
	CHECK_STR_CONTAINS(dmesg_since(&mark), "refcount_t: underflow; use-after-free.");
}

/* ------------------------------------------------------------------ */

static struct device_driver drv = { .name = "testdrv" };

static void make_dev(struct device *dev, u64 *mask_store, u64 mask)
{
	memset(dev, 0, sizeof(*dev));
	dev->init_name = "test0";
	dev->driver = &drv;
	dev->dma_mask = mask_store;
	CHECK_EQ(dma_set_mask_and_coherent(dev, mask), 0);
}

static void test_dma_coherent(void)
{
	struct device d24, d32, d64;
	u64 m24, m32, m64;
	dma_addr_t h;
	unsigned long errs = ukmem_dma_debug_errors();
	unsigned char *p;
	size_t i;
	bool zero = true;

	make_dev(&d24, &m24, DMA_BIT_MASK(24));
	make_dev(&d32, &m32, DMA_BIT_MASK(32));
	make_dev(&d64, &m64, DMA_BIT_MASK(64));
	CHECK_EQ(dma_set_mask(&d24, DMA_BIT_MASK(20)), -EIO);	/* cannot reach ZONE_DMA */
	CHECK_EQ(m24, DMA_BIT_MASK(24));

	/* 24 bits: ZONE_DMA; zeroed; the handle is the physical address. */
	p = dma_alloc_coherent(&d24, 3 * PAGE_SIZE, &h, GFP_KERNEL | __GFP_HIGHMEM);
	CHECK(p != NULL);
	if (p) {
		CHECK(h + 3 * PAGE_SIZE - 1 <= DMA_BIT_MASK(24));
		CHECK_EQ(h, virt_to_phys(p));
		CHECK_EQ(page_zonenum(virt_to_page(p)), ZONE_DMA);
		for (i = 0; i < 3 * PAGE_SIZE; i++)
			zero &= p[i] == 0;
		CHECK(zero);
		memset(p, 0xa5, 3 * PAGE_SIZE);
		dma_free_coherent(&d24, 3 * PAGE_SIZE, p, h);
	}
	p = dma_alloc_coherent(&d32, PAGE_SIZE, &h, GFP_KERNEL);
	CHECK(p != NULL && h <= DMA_BIT_MASK(32) && !p[0]);
	if (p)
		dma_free_coherent(&d32, PAGE_SIZE, p, h);
	/* No device: ISA-style, 24 bits. */
	p = dma_alloc_coherent(NULL, PAGE_SIZE, &h, GFP_KERNEL);
	CHECK(p != NULL && h <= DMA_BIT_MASK(24));
	if (p)
		dma_free_coherent(NULL, PAGE_SIZE, p, h);
	CHECK_EQ(ukmem_dma_debug_errors(), errs);

	/* A free that does not match the allocation is reported. */
	p = dma_alloc_coherent(&d64, PAGE_SIZE, &h, GFP_KERNEL);
	CHECK(p != NULL);
	if (p)
		dma_free_coherent(&d64, 2 * PAGE_SIZE, p, h);
	CHECK_EQ(ukmem_dma_debug_errors(), errs + 1);
}

static void test_dma_streaming(void)
{
	struct device d32, dnone;
	u64 m32, mnone = 0;
	size_t mark = 0;
	unsigned long errs;
	const char *log;
	dma_addr_t a;
	char *buf = kmalloc(512, GFP_KERNEL);
	void *vbuf = vmalloc(PAGE_SIZE);

	make_dev(&d32, &m32, DMA_BIT_MASK(32));
	dmesg_since(&mark);
	errs = ukmem_dma_debug_errors();

	/* The identity, and no report when everything matches. */
	a = dma_map_single(&d32, buf, 512, DMA_TO_DEVICE);
	CHECK(!dma_mapping_error(&d32, a));
	CHECK_EQ(a, virt_to_phys(buf));
	dma_sync_single_for_device(&d32, a, 512, DMA_TO_DEVICE);
	dma_sync_single_range_for_cpu(&d32, a, 128, 64, DMA_TO_DEVICE);
	dma_unmap_single(&d32, a, 512, DMA_TO_DEVICE);
	a = dma_map_page(&d32, virt_to_page(buf), offset_in_page(buf), 64, DMA_BIDIRECTIONAL);
	dma_sync_single_for_cpu(&d32, a, 64, DMA_FROM_DEVICE);	/* bidirectional: any */
	dma_unmap_page(&d32, a, 64, DMA_BIDIRECTIONAL);
	CHECK_EQ(ukmem_dma_debug_errors(), errs);

	/* Unmapped with another direction, another size, or never mapped. */
	a = dma_map_single(&d32, buf, 512, DMA_TO_DEVICE);
	dma_unmap_single(&d32, a, 512, DMA_FROM_DEVICE);
	CHECK_STR_CONTAINS(dmesg_since(&mark), "DMA-API: testdrv test0: device driver frees DMA "
			   "memory with different direction");
	a = dma_map_single(&d32, buf, 512, DMA_FROM_DEVICE);
	dma_unmap_single(&d32, a, 256, DMA_FROM_DEVICE);
	CHECK_STR_CONTAINS(dmesg_since(&mark), "frees DMA memory with different size");
	dma_unmap_single(&d32, a, 256, DMA_FROM_DEVICE);
	CHECK_STR_CONTAINS(dmesg_since(&mark), "tries to free DMA memory it has not allocated");
	CHECK_EQ(ukmem_dma_debug_errors(), errs + 3);

	/* Syncs: against the direction, for the CPU on read-only memory, outside. */
	a = dma_map_single(&d32, buf, 512, DMA_TO_DEVICE);
	dma_sync_single_for_cpu(&d32, a, 512, DMA_FROM_DEVICE);
	log = dmesg_since(&mark);
	CHECK_STR_CONTAINS(log, "syncs DMA memory with different direction");
	CHECK_STR_CONTAINS(log, "syncs device read-only DMA memory for cpu");
	dma_sync_single_range_for_device(&d32, a, 500, 64, DMA_TO_DEVICE);
	CHECK_STR_CONTAINS(dmesg_since(&mark), "syncs DMA memory outside allocated range");
	dma_unmap_single(&d32, a, 512, DMA_TO_DEVICE);
	CHECK_EQ(ukmem_dma_debug_errors(), errs + 6);

	/* Invalid direction (the kernel's BUG_ON): warned, refused. */
	a = dma_map_single(&d32, buf, 16, DMA_NONE);
	CHECK_EQ(a, DMA_MAPPING_ERROR);
	CHECK(dma_mapping_error(&d32, a) == -ENOMEM);
	CHECK_STR_CONTAINS(dmesg_since(&mark), "invalid DMA direction 3");
	/* vmalloc memory is never mapped. */
	a = dma_map_single(&d32, vbuf, 16, DMA_TO_DEVICE);
	CHECK_EQ(a, DMA_MAPPING_ERROR);
	CHECK_STR_CONTAINS(dmesg_since(&mark), "rejecting DMA map of vmalloc memory");
	/* A device without a streaming mask cannot map. */
	memset(&dnone, 0, sizeof(dnone));
	dnone.init_name = "nomask";
	dnone.dma_mask = NULL;
	(void)mnone;
	a = dma_map_single(&dnone, buf, 16, DMA_TO_DEVICE);
	CHECK_EQ(a, DMA_MAPPING_ERROR);
	CHECK_STR_CONTAINS(dmesg_since(&mark), "overflow");
	vfree(vbuf);
	kfree(buf);
}

/*
 * A signal handler (interrupt context) maps and unmaps while the thread it
 * interrupted holds dma-debug's lock: no deadlock, no false report;
 * dma-debug turns itself off, as the kernel's does when it cannot track a
 * mapping, and later unmaps of untracked mappings stay silent.  In a
 * child: dma-debug stays off for the rest of its process.
 */
static void irq_while_locked(void *unused)
{
	struct device d32;
	u64 m32;
	size_t mark = 0;
	unsigned long errs = ukmem_dma_debug_errors();
	char *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t a, b;

	make_dev(&d32, &m32, DMA_BIT_MASK(32));
	dmesg_since(&mark);
	a = dma_map_single(&d32, buf, 64, DMA_TO_DEVICE);	/* tracked */
	spin_lock(dma_debug_lock_for_tests());
	ukmem_irq_enter();
	b = dma_map_single(&d32, buf + 128, 64, DMA_TO_DEVICE);
	ukmem_irq_exit();
	spin_unlock(dma_debug_lock_for_tests());
	CHECK(!dma_mapping_error(&d32, b) && b == virt_to_phys(buf + 128));
	CHECK_STR_CONTAINS(dmesg_since(&mark), "DMA-API: debugging lock busy in interrupt "
			   "context - disabling");
	dma_unmap_single(&d32, b, 64, DMA_TO_DEVICE);		/* never tracked: silent */
	dma_unmap_single(&d32, a, 64, DMA_TO_DEVICE);
	CHECK_EQ(ukmem_dma_debug_errors(), errs);
	CHECK(!strstr(dmesg_since(&mark), "not allocated"));
	kfree(buf);
}

static void test_dma_debug_irq(void)
{
	CHECK(ktest_exited_with(ktest_child(irq_while_locked, NULL), 0));
}

int main(void)
{
	if (ukmem_boot("mem=256M")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_initcalls), KTEST(test_err), KTEST(test_kernel_h),
		  KTEST(test_string), KTEST(test_kref), KTEST(test_dma_coherent),
		  KTEST(test_dma_streaming), KTEST(test_dma_debug_irq));
}
