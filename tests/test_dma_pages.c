/* SPDX-License-Identifier: MIT */
/*
 * The DMA API's page allocations (kernel/dma/mapping.c, dma-direct):
 * dma_alloc_pages()/dma_free_pages() and dma_alloc_noncoherent()/
 * dma_free_noncoherent() give zeroed pages below the device's coherent
 * mask, as dma-direct places them (ZONE_DMA for a 24-bit device, below
 * 4 GiB for a 32-bit one on a 6 GiB machine), refuse zone modifiers and __GFP_COMP with a warning,
 * and are checked by DMA-API debugging as streaming mappings (a free of
 * another size or direction is reported); dma_alloc_wc()/dma_free_wc()
 * are coherent memory; dma_max_mapping_size() is unbounded (no bounce
 * buffers).
 */
#include <stdint.h>
#include <string.h>

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <ukmem/boot.h>
#include "ktest_boot.h"

static char logbuf[1 << 16];

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

static struct device_driver drv = { .name = "pagesdrv" };
static u64 mask32, mask24, mask64;
static struct device dev32 = { .init_name = "pages32", .driver = &drv, .dma_mask = &mask32 };
static struct device dev24 = { .init_name = "pages24", .driver = &drv, .dma_mask = &mask24 };
static struct device dev64c32 = { .init_name = "pages64c32", .driver = &drv, .dma_mask = &mask64 };

static void test_alloc_pages(void)
{
	unsigned long errs = ukmem_dma_debug_errors();
	dma_addr_t h32, h24;
	struct page *p32, *p24;

	p32 = dma_alloc_pages(&dev32, 3 * PAGE_SIZE, &h32, DMA_FROM_DEVICE, GFP_KERNEL);
	p24 = dma_alloc_pages(&dev24, PAGE_SIZE, &h24, DMA_TO_DEVICE, GFP_KERNEL);
	CHECK(p32 && p24);
	if (!p32 || !p24)
		return;
	CHECK_EQ(h32, page_to_phys(p32));
	CHECK(h32 + 3 * PAGE_SIZE - 1 <= DMA_BIT_MASK(32));
	CHECK(h24 + PAGE_SIZE - 1 <= DMA_BIT_MASK(24));
	CHECK_EQ(page_zonenum(p24), ZONE_DMA);
	CHECK(mem_is_zero(page_address(p32), 3 * PAGE_SIZE));
	CHECK(mem_is_zero(page_address(p24), PAGE_SIZE));
	/* Streaming-style ownership: syncs are legal on it. */
	dma_sync_single_for_cpu(&dev32, h32, 3 * PAGE_SIZE, DMA_FROM_DEVICE);
	dma_sync_single_for_device(&dev32, h32, 3 * PAGE_SIZE, DMA_FROM_DEVICE);
	dma_free_pages(&dev32, 3 * PAGE_SIZE, p32, h32, DMA_FROM_DEVICE);
	dma_free_pages(&dev24, PAGE_SIZE, p24, h24, DMA_TO_DEVICE);
	CHECK_EQ(ukmem_dma_debug_errors(), errs);
	dma_free_pages(&dev24, PAGE_SIZE, NULL, 0, DMA_TO_DEVICE);	/* nothing */
}

/*
 * The pages lie where the coherent mask says (dma-direct places them as
 * dma_alloc_coherent() memory): a device that streams anywhere but has a
 * 32-bit coherent mask gets pages below 4 GiB, though ZONE_NORMAL above
 * it has room.
 */
static void test_alloc_pages_coherent_mask(void)
{
	struct page *pages[8];
	dma_addr_t h[8];
	int i;

	for (i = 0; i < 8; i++) {
		pages[i] = dma_alloc_pages(&dev64c32, PAGE_SIZE, &h[i], DMA_FROM_DEVICE,
					   GFP_KERNEL);
		CHECK(pages[i] != NULL);
		if (!pages[i])
			break;
		CHECK(h[i] + PAGE_SIZE - 1 <= DMA_BIT_MASK(32));
		CHECK(page_zonenum(pages[i]) <= ZONE_DMA32);
	}
	while (i-- > 0)
		dma_free_pages(&dev64c32, PAGE_SIZE, pages[i], h[i], DMA_FROM_DEVICE);
}

static void test_noncoherent_and_debug(void)
{
	unsigned long errs = ukmem_dma_debug_errors();
	dma_addr_t h;
	char *v = dma_alloc_noncoherent(&dev32, 5000, &h, DMA_BIDIRECTIONAL, GFP_KERNEL);

	CHECK(v != NULL);
	if (!v)
		return;
	CHECK_EQ(h, virt_to_phys(v));
	CHECK(mem_is_zero(v, 5000));
	memset(v, 1, 5000);
	/* A free in the wrong direction is what DMA-API debugging reports. */
	ukmem_dmesg_clear();
	dma_free_noncoherent(&dev32, 5000, v, h, DMA_TO_DEVICE);
	CHECK_EQ(ukmem_dma_debug_errors(), errs + 1);
	CHECK_STR_CONTAINS(dmesg_now(), "frees DMA memory with different direction");
}

static void test_refusals(void)
{
	dma_addr_t h;

	ukmem_dmesg_clear();
	CHECK(dma_alloc_pages(&dev32, PAGE_SIZE, &h, DMA_TO_DEVICE, GFP_KERNEL | __GFP_DMA) ==
	      NULL);
	CHECK_STR_CONTAINS(dmesg_now(), "WARNING:");
	CHECK(dma_alloc_pages(&dev32, 0, &h, DMA_TO_DEVICE, GFP_KERNEL) == NULL);
}

static void test_wc_and_limits(void)
{
	unsigned long errs = ukmem_dma_debug_errors();
	dma_addr_t h;
	void *v = dma_alloc_wc(&dev32, 2 * PAGE_SIZE, &h, GFP_KERNEL);

	CHECK(v != NULL);
	if (v) {
		CHECK(mem_is_zero(v, 2 * PAGE_SIZE));
		CHECK(h + 2 * PAGE_SIZE - 1 <= DMA_BIT_MASK(32));
		dma_free_wc(&dev32, 2 * PAGE_SIZE, v, h);
	}
	CHECK_EQ(ukmem_dma_debug_errors(), errs);
	CHECK_EQ(dma_max_mapping_size(&dev32), SIZE_MAX);
}

int main(void)
{
	if (!ktest_boot_quietly("mem=6G"))
		return 1;
	CHECK_EQ(dma_set_mask_and_coherent(&dev32, DMA_BIT_MASK(32)), 0);
	CHECK_EQ(dma_set_mask_and_coherent(&dev24, DMA_BIT_MASK(24)), 0);
	CHECK_EQ(dma_set_mask(&dev64c32, DMA_BIT_MASK(64)), 0);
	CHECK_EQ(dma_set_coherent_mask(&dev64c32, DMA_BIT_MASK(32)), 0);
	KTEST_RUN(KTEST(test_alloc_pages), KTEST(test_alloc_pages_coherent_mask), KTEST(test_noncoherent_and_debug), KTEST(test_refusals),
		  KTEST(test_wc_and_limits));
}
