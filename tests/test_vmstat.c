/* SPDX-License-Identifier: MIT */
/*
 * The counters' API of include/linux/vmstat.h, on mem=512M: the global
 * sums against the zones and nodes they sum and against /proc/meminfo,
 * the byte items (NR_SLAB_*_B) read in pages, the writers moving exactly
 * the counter they name (and meminfo's line with it), four threads
 * writing at once losing nothing, and a global read as a process's first
 * call booting the machine.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/kfence.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmstat.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "ktest.h"

/* meminfo's line @label in kB; -1 if absent. */
static long meminfo_kb(const char *label)
{
	char *text = NULL, *at;
	size_t size = 0, n = strlen(label);
	long kb = -1;
	FILE *f = open_memstream(&text, &size);

	CHECK(f != NULL);
	if (!f)
		return -1;
	CHECK_EQ(ukmem_show("meminfo", f), 0);
	fclose(f);
	for (at = text; at; at = strchr(at, '\n')) {
		if (*at == '\n')
			at++;
		if (!strncmp(at, label, n) && at[n] == ':') {
			kb = strtol(at + n + 1, NULL, 10);
			break;
		}
	}
	free(text);
	return kb;
}

static unsigned long zones_sum(enum zone_stat_item item)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_zone(zone)
		sum += zone_page_state(zone, item);
	return sum;
}

/* NR_FREE_PAGES: the zones' sum, each node's, nr_free_pages() and MemFree agree. */
static void test_global_free_pages(void)
{
	unsigned long free, by_node = 0;
	struct page *pages[10];
	int nid, i;

	drain_all_pages(NULL);
	free = global_zone_page_state(NR_FREE_PAGES);
	CHECK(free > 0);
	CHECK_EQ(free, zones_sum(NR_FREE_PAGES));
	CHECK_EQ(free, nr_free_pages());
	CHECK_EQ(zone_page_state_snapshot(&NODE_DATA(0)->node_zones[ZONE_DMA32], NR_FREE_PAGES),
		 zone_page_state(&NODE_DATA(0)->node_zones[ZONE_DMA32], NR_FREE_PAGES));
	for_each_online_node(nid)
		by_node += sum_zone_node_page_state(nid, NR_FREE_PAGES);
	CHECK_EQ(by_node, free);
	CHECK_EQ(sum_zone_node_page_state(nr_online_nodes, NR_FREE_PAGES), 0UL);
	CHECK_EQ(sum_zone_node_page_state(-1, NR_FREE_PAGES), 0UL);
	CHECK_EQ(meminfo_kb("MemFree"), (long)free * 4);

	/* Order 4 is above the per-CPU lists' orders: straight from the buddy lists. */
	for (i = 0; i < 10; i++) {
		pages[i] = alloc_pages(GFP_KERNEL, 4);
		CHECK(pages[i] != NULL);
	}
	CHECK_EQ(global_zone_page_state(NR_FREE_PAGES), free - 10 * 16);
	for (i = 0; i < 10; i++)
		__free_pages(pages[i], 4);
	drain_all_pages(NULL);
	CHECK_EQ(global_zone_page_state(NR_FREE_PAGES), free);
}

/* A large kmalloc counts its bytes in NR_SLAB_UNRECLAIMABLE_B; readers see pages. */
static void test_slab_bytes_read_in_pages(void)
{
	unsigned long before = global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B);
	unsigned long node_before = node_page_state_pages(NODE_DATA(0), NR_SLAB_UNRECLAIMABLE_B);
	long sunreclaim = meminfo_kb("SUnreclaim");
	void *p = kmalloc(64 * 1024, GFP_KERNEL);

	CHECK(p != NULL);
	CHECK(vmstat_item_in_bytes(NR_SLAB_UNRECLAIMABLE_B));
	CHECK(vmstat_item_in_bytes(NR_SLAB_RECLAIMABLE_B));
	CHECK(!vmstat_item_in_bytes(NR_VMALLOC));
	CHECK_EQ(global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B), before + 16);
	CHECK_EQ(node_page_state_pages(NODE_DATA(0), NR_SLAB_UNRECLAIMABLE_B), node_before + 16);
	CHECK_EQ(meminfo_kb("SUnreclaim"), sunreclaim + 64);
	kfree(p);
	CHECK_EQ(global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B), before);
}

/* Each writer moves the counter it names, and meminfo's line with it. */
static void test_writers(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct zone *zone = page ? page_zone(page) : NULL;
	unsigned long mlock = global_zone_page_state(NR_MLOCK);
	unsigned long zone_mlock = zone ? zone_page_state(zone, NR_MLOCK) : 0;
	unsigned long misc = global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE);
	unsigned long sreclaim = global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B);
	long kreclaimable = meminfo_kb("KReclaimable");

	CHECK(page != NULL);
	if (!page)
		return;
	mod_zone_page_state(zone, NR_MLOCK, 5);
	CHECK_EQ(zone_page_state(zone, NR_MLOCK), zone_mlock + 5);
	CHECK_EQ(global_zone_page_state(NR_MLOCK), mlock + 5);
	CHECK_EQ(meminfo_kb("Mlocked"), (long)(mlock + 5) * 4);
	__mod_zone_page_state(zone, NR_MLOCK, -5);
	CHECK_EQ(global_zone_page_state(NR_MLOCK), mlock);

	/* The page's own zone moves. */
	inc_zone_page_state(page, NR_BOUNCE);
	CHECK_EQ(zone_page_state(page_zone(page), NR_BOUNCE), 1UL);
	CHECK_EQ(meminfo_kb("Bounce"), 4L);
	dec_zone_page_state(page, NR_BOUNCE);
	CHECK_EQ(global_zone_page_state(NR_BOUNCE), 0UL);

	mod_node_page_state(NODE_DATA(0), NR_KERNEL_MISC_RECLAIMABLE, 10);
	inc_node_page_state(page, NR_KERNEL_MISC_RECLAIMABLE);
	inc_node_state(NODE_DATA(0), NR_KERNEL_MISC_RECLAIMABLE);
	CHECK_EQ(global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE), misc + 12);
	CHECK_EQ(node_page_state(NODE_DATA(0), NR_KERNEL_MISC_RECLAIMABLE), misc + 12);
	CHECK_EQ(meminfo_kb("KReclaimable"), kreclaimable + 12 * 4);
	dec_node_page_state(page, NR_KERNEL_MISC_RECLAIMABLE);
	__mod_node_page_state(NODE_DATA(0), NR_KERNEL_MISC_RECLAIMABLE, -11);
	CHECK_EQ(global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE), misc);

	/* A byte item moves by bytes and reads in pages. */
	mod_node_page_state(NODE_DATA(0), NR_SLAB_RECLAIMABLE_B, 3 * PAGE_SIZE);
	CHECK_EQ(global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B), sreclaim + 3);
	CHECK_EQ(meminfo_kb("KReclaimable"), kreclaimable + 3 * 4);
	mod_node_page_state(NODE_DATA(0), NR_SLAB_RECLAIMABLE_B, -3 * (long)PAGE_SIZE);
	CHECK_EQ(global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B), sreclaim);
	CHECK_EQ(meminfo_kb("KReclaimable"), kreclaimable);
	__free_page(page);
}

#define WRITERS		4
#define WRITES		20000

static void *writer(void *arg)
{
	struct page *page = arg;
	int i;

	for (i = 0; i < WRITES; i++) {
		inc_node_page_state(page, NR_KERNEL_MISC_RECLAIMABLE);
		mod_zone_page_state(page_zone(page), NR_ZONE_WRITE_PENDING, 2);
		if (i & 1) {
			dec_node_page_state(page, NR_KERNEL_MISC_RECLAIMABLE);
			__dec_zone_page_state(page, NR_ZONE_WRITE_PENDING);
		}
	}
	return NULL;
}

/* Four threads write at once: every write counts. */
static void test_concurrent_writers(void)
{
	unsigned long misc = global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE);
	unsigned long pending = global_zone_page_state(NR_ZONE_WRITE_PENDING);
	unsigned long want_misc = WRITERS * (WRITES / 2);
	unsigned long want_pending = WRITERS * (2UL * WRITES - WRITES / 2);
	struct page *page = alloc_page(GFP_KERNEL);
	pthread_t t[WRITERS];
	int i;

	CHECK(page != NULL);
	if (!page)
		return;
	for (i = 0; i < WRITERS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, writer, page), 0);
	for (i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE), misc + want_misc);
	CHECK_EQ(global_zone_page_state(NR_ZONE_WRITE_PENDING), pending + want_pending);
	mod_node_page_state(page_pgdat(page), NR_KERNEL_MISC_RECLAIMABLE, -(long)want_misc);
	mod_zone_page_state(page_zone(page), NR_ZONE_WRITE_PENDING, -(long)want_pending);
	CHECK_EQ(global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE), misc);
	__free_page(page);
}

/* Committed_AS and vm_memory_committed() agree, and follow an allocation. */
static void test_committed(void)
{
	unsigned long before = vm_memory_committed();
	struct page *page;

	CHECK_EQ(meminfo_kb("Committed_AS"), (long)before * 4);
	page = alloc_pages(GFP_KERNEL, 4);
	CHECK(page != NULL);
	CHECK_EQ(vm_memory_committed(), before + 16);
	__free_pages(page, 4);
	CHECK_EQ(kfence_sample_interval, 0UL);	/* as booted */
}

/* A global read as a process's first call boots the machine and counts its free pages. */
static void test_first_call(void)
{
	char out[256], cmd[128];
	unsigned long free = 0;
	int booted = -1;

	snprintf(cmd, sizeof(cmd), "/proc/%d/exe --first-call", (int)getpid());
	CHECK_EQ(ktest_capture(cmd, out, sizeof(out)), 0);
	CHECK_EQ(sscanf(out, "free %lu booted %d", &free, &booted), 2);
	CHECK(free > 0);
	CHECK_EQ(booted, 1);
}

int main(int argc, char **argv)
{
	FILE *quiet = fopen("/dev/null", "w");

	ukmem_set_console(quiet);
	if (argc > 1 && !strcmp(argv[1], "--first-call")) {
		unsigned long free = global_zone_page_state(NR_FREE_PAGES);

		printf("free %lu booted %d\n", free, ukmem_booted());
		return 0;
	}
	if (ukmem_boot("mem=512M kfence.sample_interval=0")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_global_free_pages), KTEST(test_slab_bytes_read_in_pages),
		  KTEST(test_writers), KTEST(test_concurrent_writers), KTEST(test_committed),
		  KTEST(test_first_call));
}
