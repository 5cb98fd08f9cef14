// SPDX-License-Identifier: MIT
/*
 * ukdrv - a network-style driver written as a kernel module, built on
 * ukmem unchanged: kernel header names only, no ukmem-specific call.
 *
 * The "device" has a page of registers (REG_*) at a fixed bus address,
 * which the platform (ukdrv_platform.c) describes before the module loads.
 * Transmitting a buffer takes a request from a mempool over a slab cache
 * (without a constructor: the kernel's mempool_alloc_slab() forbids one,
 * an object would come back from the pool unconstructed), tags it with an
 * object from a cache with a constructor, copies the payload into a
 * vmalloc'd ring, maps it for DMA, writes the address and length to the
 * registers, rings the doorbell and counts the packet in per-CPU counters.  A descriptor page
 * the device reads lives in coherent DMA memory.  Errors come back as
 * ERR_PTR()/negative errnos, as in the kernel.
 *
 * Built with KBUILD_MODNAME="ukdrv", as kbuild would build it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/mempool.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/vmalloc.h>

#define UKDRV_REGS_PHYS		0x100000000ULL	/* the bus address of the registers */
#define UKDRV_REGS_SIZE		4096
#define REG_DMA_ADDR_LO		0x00
#define REG_DMA_ADDR_HI		0x04
#define REG_LEN			0x08
#define REG_DOORBELL		0x0c
#define REG_DESC_LO		0x10
#define REG_TX_COUNT		0x14

#define UKDRV_RING_SIZE		(64 * 1024)
#define UKDRV_MAX_PAYLOAD	1500
#define UKDRV_MIN_REQS		4
#define REQ_MAGIC		0x75646b72	/* "udkr" */

struct ukdrv_req {
	struct kref ref;
	u32 seq;
	size_t len;
	u8 payload[UKDRV_MAX_PAYLOAD];
};

/* What the device is told about a request in flight; constructed once per object. */
struct ukdrv_tag {
	u32 magic;		/* set by the cache's constructor, kept across uses */
	u32 seq;
};

struct ukdrv_desc {
	__le32 seq;
	__le32 len;
	__le64 addr;
};

struct ukdrv {
	struct device dev;
	u64 dma_mask;
	void __iomem *regs;
	void *ring;
	size_t ring_head;
	struct ukdrv_desc *desc;	/* coherent, the device reads it */
	dma_addr_t desc_dma;
	spinlock_t lock;
	u32 next_seq;
};

static struct device_driver ukdrv_driver = { .name = "ukdrv" };
static struct kmem_cache *req_cache, *tag_cache;
static mempool_t *req_pool;
static struct ukdrv *ukdrv;
static DEFINE_PER_CPU(unsigned long, tx_packets);
static DEFINE_PER_CPU(unsigned long, tx_bytes);
static unsigned long ctor_calls;

static void ukdrv_tag_ctor(void *obj)
{
	struct ukdrv_tag *tag = obj;

	tag->magic = REQ_MAGIC;
	ctor_calls++;
}

static void ukdrv_req_release(struct kref *ref)
{
	struct ukdrv_req *req = container_of(ref, struct ukdrv_req, ref);

	mempool_free(req, req_pool);
}

static struct ukdrv_req *ukdrv_req_get(const void *buf, size_t len)
{
	struct ukdrv_req *req;

	if (!len || len > UKDRV_MAX_PAYLOAD)
		return ERR_PTR(-EMSGSIZE);
	req = mempool_alloc(req_pool, GFP_KERNEL);
	if (!req)
		return ERR_PTR(-ENOMEM);
	kref_init(&req->ref);
	req->len = len;
	memcpy(req->payload, buf, len);
	return req;
}

/* Copy the payload into the ring (wrapping) and hand it to the device. */
static int ukdrv_send(struct ukdrv *drv, struct ukdrv_req *req)
{
	struct ukdrv_tag *tag;
	size_t first, off;
	dma_addr_t dma;
	u8 *ring = drv->ring;

	tag = kmem_cache_alloc(tag_cache, GFP_KERNEL);
	if (!tag)
		return -ENOMEM;
	if (WARN_ON(tag->magic != REQ_MAGIC)) {
		kmem_cache_free(tag_cache, tag);
		return -EFAULT;
	}
	spin_lock(&drv->lock);
	req->seq = tag->seq = drv->next_seq++;
	off = drv->ring_head;
	first = min(req->len, (size_t)UKDRV_RING_SIZE - off);
	memcpy(ring + off, req->payload, first);
	memcpy(ring, req->payload + first, req->len - first);
	drv->ring_head = (off + req->len) % UKDRV_RING_SIZE;
	spin_unlock(&drv->lock);

	/* The device reads the request itself: a streaming mapping of it. */
	dma = dma_map_single(&drv->dev, req->payload, req->len, DMA_TO_DEVICE);
	if (dma_mapping_error(&drv->dev, dma)) {
		kmem_cache_free(tag_cache, tag);
		return -EIO;
	}
	drv->desc->seq = tag->seq;
	drv->desc->len = (u32)req->len;
	drv->desc->addr = dma;
	writel(lower_32_bits(dma), drv->regs + REG_DMA_ADDR_LO);
	writel(upper_32_bits(dma), drv->regs + REG_DMA_ADDR_HI);
	writel((u32)req->len, drv->regs + REG_LEN);
	writel(lower_32_bits(drv->desc_dma), drv->regs + REG_DESC_LO);
	writel(1, drv->regs + REG_DOORBELL);
	writel(readl(drv->regs + REG_TX_COUNT) + 1, drv->regs + REG_TX_COUNT);
	dma_unmap_single(&drv->dev, dma, req->len, DMA_TO_DEVICE);
	kmem_cache_free(tag_cache, tag);

	this_cpu_inc(tx_packets);
	this_cpu_add(tx_bytes, req->len);
	return 0;
}

/* What the stack above the driver calls: 0, or a negative errno. */
int ukdrv_xmit(const void *buf, size_t len)
{
	struct ukdrv_req *req;
	int err;

	if (!ukdrv)
		return -ENODEV;
	req = ukdrv_req_get(buf, len);
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = ukdrv_send(ukdrv, req);
	kref_put(&req->ref, ukdrv_req_release);
	return err;
}
EXPORT_SYMBOL_GPL(ukdrv_xmit);

unsigned long ukdrv_tx_packets(void)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(tx_packets, cpu);
	return sum;
}
EXPORT_SYMBOL_GPL(ukdrv_tx_packets);

static int __init ukdrv_init(void)
{
	static const char hello[] = "hello from a kernel module";
	struct ukdrv *drv;
	int err, i;

	tag_cache = kmem_cache_create("ukdrv_tag", sizeof(struct ukdrv_tag), 0, 0, ukdrv_tag_ctor);
	if (!tag_cache)
		return -ENOMEM;
	req_cache = kmem_cache_create("ukdrv_req", sizeof(struct ukdrv_req), 0,
				      SLAB_HWCACHE_ALIGN, NULL);
	if (!req_cache) {
		err = -ENOMEM;
		goto out_tags;
	}
	req_pool = mempool_create_slab_pool(UKDRV_MIN_REQS, req_cache);
	if (!req_pool) {
		err = -ENOMEM;
		goto out_cache;
	}
	drv = kzalloc(sizeof(*drv), GFP_KERNEL);
	if (!drv) {
		err = -ENOMEM;
		goto out_pool;
	}
	spin_lock_init(&drv->lock);
	drv->dev.init_name = "ukdrv0";
	drv->dev.driver = &ukdrv_driver;
	drv->dev.dma_mask = &drv->dma_mask;
	/*
	 * The device reads buffers anywhere below 4 GiB, but its descriptor
	 * ring must sit in the first 16 MiB (ZONE_DMA), as on old ISA-era
	 * designs.
	 */
	err = dma_set_mask(&drv->dev, DMA_BIT_MASK(32));
	if (!err)
		err = dma_set_coherent_mask(&drv->dev, DMA_BIT_MASK(24));
	if (err)
		goto out_drv;
	drv->ring = vzalloc(UKDRV_RING_SIZE);
	if (!drv->ring) {
		err = -ENOMEM;
		goto out_drv;
	}
	drv->regs = ioremap(UKDRV_REGS_PHYS, UKDRV_REGS_SIZE);
	if (!drv->regs) {
		err = -ENODEV;
		goto out_ring;
	}
	drv->desc = dma_alloc_coherent(&drv->dev, PAGE_SIZE, &drv->desc_dma, GFP_KERNEL);
	if (!drv->desc) {
		err = -ENOMEM;
		goto out_regs;
	}
	dev_info(&drv->dev, "registers at %#llx, descriptors at dma %#llx\n",
		 (unsigned long long)UKDRV_REGS_PHYS, (unsigned long long)drv->desc_dma);
	ukdrv = drv;
	for (i = 0; i < 8; i++) {
		err = ukdrv_xmit(hello, sizeof(hello));
		if (err)
			goto out_desc;
	}
	pr_info("loaded: %lu packets sent at init\n", ukdrv_tx_packets());
	return 0;

out_desc:
	ukdrv = NULL;
	dma_free_coherent(&drv->dev, PAGE_SIZE, drv->desc, drv->desc_dma);
out_regs:
	iounmap(drv->regs);
out_ring:
	vfree(drv->ring);
out_drv:
	kfree(drv);
out_pool:
	mempool_destroy(req_pool);
out_cache:
	kmem_cache_destroy(req_cache);
out_tags:
	kmem_cache_destroy(tag_cache);
	return err;
}

static void __exit ukdrv_exit(void)
{
	struct ukdrv *drv = ukdrv;
	unsigned long bytes = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		bytes += per_cpu(tx_bytes, cpu);
	ukdrv = NULL;
	dma_free_coherent(&drv->dev, PAGE_SIZE, drv->desc, drv->desc_dma);
	iounmap(drv->regs);
	vfree(drv->ring);
	kfree(drv);
	mempool_destroy(req_pool);
	kmem_cache_destroy(req_cache);
	kmem_cache_destroy(tag_cache);
	pr_info("unloaded: %lu packets, %lu bytes, %lu objects constructed\n",
		ukdrv_tx_packets(), bytes, ctor_calls);
}

module_init(ukdrv_init);
module_exit(ukdrv_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("ukmem");
MODULE_DESCRIPTION("A driver-like sample: cache, mempool, per-CPU counters, vmalloc ring, MMIO, DMA");
