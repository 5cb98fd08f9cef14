/* SPDX-License-Identifier: MIT */
/*
 * The boot command line, one machine per forked child: unknown and
 * malformed parameters (reported as the kernel reports them), the
 * UKMEM_CMDLINE environment variable of the implicit boot, mem=, memmap=
 * holes, numa=fake= nodes and zonelists, loglevel=/quiet on the console,
 * min_free_kbytes= against the computed value, and booting twice.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "mm/internal.h"
#include "mm/slab.h"
#include "ktest.h"

#define M	(1UL << 20)

static char logbuf[1 << 17];

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

static void quiet_console(void)
{
	ukmem_set_console(fopen("/dev/null", "w"));
}

/* Everything written to @f so far, NUL-terminated, in a static buffer. */
static const char *file_text(FILE *f)
{
	static char text[1 << 17];
	size_t n;

	fflush(f);
	rewind(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	return text;
}

static void check_invariants(void)
{
	struct ukmem_page_census c;

	CHECK_EQ(ukmem_check_page_allocator(&c), 0);
	CHECK_EQ(c.free + c.pcp + c.allocated, c.managed);
	CHECK_EQ(c.managed, totalram_pages());
}

static unsigned long isqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/* ---- cases, each in its own process ---- */

static void case_unknown_param(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M foo=bar"), 0);
	CHECK(ukmem_booted());
	CHECK_STR_CONTAINS(dmesg_now(), "Unknown kernel command line parameters \"foo=bar\", "
			   "will be passed to user space.\n");
	CHECK_EQ(max_pfn, (64 * M) >> PAGE_SHIFT);
}

/*
 * init/main.c print_unknown_bootoptions(): the bare words (argv_init)
 * come first, then the name=value ones (envp_init); module parameters
 * (a '.' in the name) are not reported at all (unknown_bootoption()).
 */
static void case_unknown_param_order(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M foo=bar quux mod.param=1 baz=2"), 0);
	CHECK_STR_CONTAINS(dmesg_now(), "Unknown kernel command line parameters "
			   "\"quux foo=bar baz=2\", will be passed to user space.\n");
	{
		const char *u = strstr(logbuf, "Unknown kernel command line parameters");
		const char *eol = u ? strchr(u, '\n') : NULL;
		const char *mod = u ? strstr(u, "mod.param") : NULL;

		CHECK(u != NULL);
		CHECK(!mod || (eol && mod > eol));
	}
}

static void case_no_unknown(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M"), 0);
	CHECK(strstr(dmesg_now(), "Unknown kernel command line") == NULL);
}

static void case_malformed_mem(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=abc"), -EINVAL);
	CHECK(!ukmem_booted());
	CHECK_STR_CONTAINS(dmesg_now(), "Malformed early option 'mem'\n");
	/* Nothing was booted, so the caller may try again. */
	ukmem_dmesg_clear();
	CHECK_EQ(ukmem_boot("mem=nopentium"), -EINVAL);
	CHECK_STR_CONTAINS(dmesg_now(), "mem=nopentium ignored! (only supported on x86_32)\n");
	CHECK(!ukmem_booted());
	/* memparse() as the kernel's parse_memopt() calls it: what follows the suffix is ignored. */
	ukmem_dmesg_clear();
	CHECK_EQ(ukmem_boot("mem=32MB"), 0);
	CHECK(ukmem_booted());
	CHECK_EQ(max_pfn, (32 * M) >> PAGE_SHIFT);
	CHECK(strstr(dmesg_now(), "Malformed") == NULL);
}

/*
 * failslab= and fail_page_alloc= are __setup() parameters: a value that
 * does not parse is warned about and handed to init (reported with the
 * unknown ones), and the machine boots, as the kernel's setup_fault_attr()
 * returning 0 does; it was a malformed early option that stopped the boot.
 */
static void case_fault_attr_unparsed(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M failslab=1,2,3 fail_page_alloc=x"), 0);
	CHECK(ukmem_booted());
	CHECK_STR_CONTAINS(dmesg_now(), "FAULT_INJECTION: failed to parse arguments\n");
	CHECK_STR_CONTAINS(dmesg_now(), "Unknown kernel command line parameters "
			   "\"failslab=1,2,3 fail_page_alloc=x\", will be passed to user space.\n");
	CHECK(strstr(dmesg_now(), "Malformed") == NULL);
}

/*
 * ukmem's own 0|1 switches take kstrtobool's words as the kernel's bool
 * parameters do (on/off, y/n), and nothing else.
 */
static void case_switch_words(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M slab_rseq=off pcp_rseq=off slab_freelist_random=on "
			    "page_reporting.unmap=n"), 0);
	CHECK(strstr(dmesg_now(), "Malformed") == NULL);
	CHECK(slab_rseq_disabled);
	CHECK(pcp_rseq_disabled);
	CHECK(slab_freelist_random);
	CHECK_EQ(boot_config.page_reporting_unmap, 0);
}

/* hashdist=: cleared on one memory node whatever it says (fixup_hashdist()), kept on two. */
static void case_hashdist(void)
{
	pid_t pid;
	int status = 0;

	quiet_console();
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(ukmem_boot("mem=64M hashdist=1") == 0 && hashdist == 0 ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(ukmem_boot("mem=128M numa=fake=2 hashdist=0"), 0);
	CHECK(strstr(dmesg_now(), "Malformed") == NULL);
	CHECK_EQ(hashdist, 0);
}

/*
 * page_alloc.shuffle=1: max-order blocks come in random order, not in
 * address order as without it; every page still comes back.
 */
static unsigned int adjacent_max_order_blocks(struct page **p, int n)
{
	unsigned int adjacent = 0;
	int i;

	for (i = 0; i < n; i++)
		p[i] = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
	for (i = 1; i < n; i++)
		adjacent += p[i] && p[i - 1] &&
			    page_to_pfn(p[i]) == page_to_pfn(p[i - 1]) + MAX_ORDER_NR_PAGES;
	return adjacent;
}

static void case_page_alloc_shuffle(void)
{
	struct page *p[32];
	unsigned long before;
	unsigned int adjacent, i;
	pid_t pid;
	int status = 0;

	quiet_console();
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		/* Without: the blocks come in address order. */
		if (ukmem_boot("mem=1G"))
			_exit(2);
		_exit(adjacent_max_order_blocks(p, 32) >= 28 ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(ukmem_boot("mem=1G page_alloc.shuffle=1"), 0);
	CHECK(strstr(dmesg_now(), "Unknown") == NULL);
	before = nr_free_pages();
	adjacent = adjacent_max_order_blocks(p, 32);
	/* About 250 blocks to draw from: a few adjacent pairs at most, not 31. */
	CHECK(adjacent < 16);
	for (i = 0; i < 32; i++) {
		CHECK(p[i] != NULL);
		if (p[i]) {
			memset(page_address(p[i]), 0x5a, PAGE_SIZE << MAX_PAGE_ORDER);
			__free_pages(p[i], MAX_PAGE_ORDER);
		}
	}
	drain_all_pages(NULL);
	CHECK_EQ(nr_free_pages(), before);
}

static void case_switch_malformed(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M slab_freelist_random=maybe"), -EINVAL);
	CHECK_STR_CONTAINS(dmesg_now(), "Malformed early option 'slab_freelist_random'\n");
	CHECK(!ukmem_booted());
}

static void case_malformed_others(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M numa=fake=x"), -EINVAL);
	CHECK_STR_CONTAINS(dmesg_now(), "Malformed early option 'numa'\n");
	ukmem_dmesg_clear();
	CHECK_EQ(ukmem_boot("mem=64M memmap=16M"), -EINVAL);
	CHECK_STR_CONTAINS(dmesg_now(), "Malformed early option 'memmap'\n");
	ukmem_dmesg_clear();
	CHECK_EQ(ukmem_boot("mem=64M min_free_kbytes=lots"), -EINVAL);
	CHECK_STR_CONTAINS(dmesg_now(), "Malformed early option 'min_free_kbytes'\n");
	ukmem_dmesg_clear();
	CHECK_EQ(ukmem_boot("mem=64M loglevel="), -EINVAL);
	CHECK_STR_CONTAINS(dmesg_now(), "Malformed early option 'loglevel'\n");
	CHECK(!ukmem_booted());
}

/* The implicit boot on the first allocation reads UKMEM_CMDLINE. */
static void case_env_cmdline(void)
{
	struct page *page;

	quiet_console();
	CHECK_EQ(setenv("UKMEM_CMDLINE", "mem=96M", 1), 0);
	CHECK(!ukmem_booted());
	page = alloc_page(GFP_KERNEL);
	CHECK(page != NULL);
	CHECK(ukmem_booted());
	CHECK_EQ(max_pfn, (96 * M) >> PAGE_SHIFT);
	CHECK_STR_CONTAINS(ukmem_cmdline(), "mem=96M");
	CHECK_STR_CONTAINS(dmesg_now(), "Command line: mem=96M\n");
	if (page)
		__free_page(page);
	CHECK_EQ(ukmem_boot("mem=64M"), -EALREADY);
	CHECK_EQ(max_pfn, (96 * M) >> PAGE_SHIFT);
	check_invariants();
}

/* The implicit boot reports a malformed parameter and goes on without it. */
static void case_env_cmdline_malformed(void)
{
	struct page *page;

	quiet_console();
	CHECK_EQ(setenv("UKMEM_CMDLINE", "mem=96M numa=xyz", 1), 0);
	page = alloc_page(GFP_KERNEL);
	CHECK(page != NULL);
	CHECK(ukmem_booted());
	CHECK_EQ(max_pfn, (96 * M) >> PAGE_SHIFT);
	CHECK_EQ(nr_online_nodes, 1);
	CHECK_STR_CONTAINS(dmesg_now(), "Malformed early option 'numa'\n");
	if (page)
		__free_page(page);
}

/* ukmem_boot(NULL) takes UKMEM_CMDLINE too. */
static void case_env_cmdline_explicit_null(void)
{
	quiet_console();
	CHECK_EQ(setenv("UKMEM_CMDLINE", "mem=48M", 1), 0);
	CHECK_EQ(ukmem_boot(NULL), 0);
	CHECK_EQ(max_pfn, (48 * M) >> PAGE_SHIFT);
}

/*
 * A mem= larger than the address space (mem=100T, mem=99999999G) boots
 * on what fits, with a warning, as the kernel's mem= above its RAM does
 * not stop it; it used to fail the boot, and every malloc with it.
 */
static void case_mem_beyond_address_space(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=99999999G"), 0);
	CHECK(ukmem_ram_size >= 1ULL << 30);
	CHECK(ukmem_ram_size < 99999999ULL << 30);
	CHECK_STR_CONTAINS(dmesg_now(), "setup_arch: mem=107374181326258176 does not fit in the "
			   "address space; RAM is ");
	CHECK(kmalloc(64, GFP_KERNEL) != NULL);
}

static void case_mem_64m(void)
{
	struct zone *dma, *dma32, *normal;

	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M"), 0);
	CHECK_EQ(max_pfn, 16384);
	CHECK_EQ(memblock_end_of_DRAM(), 64 * M);
	CHECK_STR_CONTAINS(dmesg_now(), "BIOS-e820: [mem 0x0000000000000000-0x0000000003ffffff] usable\n");
	CHECK_STR_CONTAINS(logbuf, "  DMA32    [mem 0x0000000001000000-0x0000000003ffffff]\n");
	CHECK_STR_CONTAINS(logbuf, "  Normal   empty\n");
	dma = &NODE_DATA(0)->node_zones[ZONE_DMA];
	dma32 = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	normal = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	CHECK_EQ(dma->spanned_pages + dma32->spanned_pages, 16384);
	CHECK_EQ(dma32->zone_start_pfn, 4096);
	CHECK_EQ(dma32->spanned_pages, 16384 - 4096);
	CHECK_EQ(dma32->present_pages, dma32->spanned_pages);
	CHECK_EQ(normal->present_pages, 0);
	CHECK(totalram_pages() <= 16384 && totalram_pages() > 16384 - 16384 / 16);
	check_invariants();
}

static void case_memmap_hole(void)
{
	struct zone *dma32;
	unsigned long pfn, hole_start = (64 * M) >> PAGE_SHIFT, hole_end = (80 * M) >> PAGE_SHIFT;
	bool reserved = true;
	static struct page *got[8192];
	unsigned long n = 0, i, in_hole = 0;

	quiet_console();
	CHECK_EQ(ukmem_boot("mem=256M memmap=16M$64M"), 0);
	dma32 = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	CHECK_EQ(max_pfn, (256 * M) >> PAGE_SHIFT);
	CHECK_EQ(dma32->spanned_pages, max_pfn - 4096);
	CHECK_EQ(dma32->present_pages, dma32->spanned_pages - 4096);
	CHECK(zone_managed_pages(dma32) < dma32->present_pages);
	CHECK_STR_CONTAINS(dmesg_now(), "user-defined physical RAM map:\n");
	CHECK_STR_CONTAINS(logbuf, "user: [mem 0x0000000004000000-0x0000000004ffffff] reserved\n");
	CHECK_STR_CONTAINS(logbuf, "On node 0, zone DMA32: 4096 pages in unavailable ranges\n");
	CHECK(!memblock_is_memory(64 * M));
	CHECK(!memblock_is_memory(80 * M - 1));
	CHECK(memblock_is_memory(80 * M));
	for (pfn = hole_start; pfn < hole_end; pfn++) {
		reserved &= PageReserved(pfn_to_page(pfn));
		reserved &= !ukmem_is_ram_pfn(pfn);
	}
	CHECK(reserved);
	CHECK(!PageReserved(pfn_to_page(hole_end)) || memblock_is_reserved(80 * M));
	/* Nothing handed out comes from the hole. */
	while (n < ARRAY_SIZE(got) && (got[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 2)))
		n++;
	for (i = 0; i < n; i++) {
		pfn = page_to_pfn(got[i]);
		if (pfn + 4 > hole_start && pfn < hole_end)
			in_hole++;
	}
	CHECK(n > 1000);
	CHECK_EQ(in_hole, 0);
	check_invariants();
	for (i = 0; i < n; i++)
		__free_pages(got[i], 2);
	drain_all_pages(NULL);
	check_invariants();
}

/* A reserved range at the top of RAM lowers max_pfn, as e820 does. */
static void case_memmap_at_end(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=256M memmap=64M$192M"), 0);
	CHECK_EQ(max_pfn, (192 * M) >> PAGE_SHIFT);
	CHECK_EQ(memblock_end_of_DRAM(), 192 * M);
	CHECK_EQ(NODE_DATA(0)->node_zones[ZONE_DMA32].spanned_pages, ((192 - 16) * M) >> PAGE_SHIFT);
	CHECK_STR_CONTAINS(dmesg_now(), "user: [mem 0x000000000c000000-0x000000000fffffff] reserved\n");
	check_invariants();
}

/* Two holes, and a hole inside ZONE_DMA. */
static void case_memmap_two(void)
{
	struct zone *dma, *dma32;

	quiet_console();
	CHECK_EQ(ukmem_boot("mem=256M memmap=4M$8M memmap=8M$128M"), 0);
	dma = &NODE_DATA(0)->node_zones[ZONE_DMA];
	dma32 = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	CHECK_EQ(dma->present_pages, dma->spanned_pages - 1024);
	CHECK_EQ(dma32->present_pages, dma32->spanned_pages - 2048);
	CHECK_STR_CONTAINS(dmesg_now(), "On node 0, zone DMA: 1024 pages in unavailable ranges\n");
	CHECK_STR_CONTAINS(logbuf, "On node 0, zone DMA32: 2048 pages in unavailable ranges\n");
	CHECK(PageReserved(pfn_to_page((8 * M) >> PAGE_SHIFT)));
	CHECK(PageReserved(pfn_to_page((12 * M - 1) >> PAGE_SHIFT)));
	CHECK(!ukmem_is_ram_pfn((128 * M) >> PAGE_SHIFT));
	check_invariants();
}

/*
 * arch/x86/kernel/e820.c: after "user-defined physical RAM map:" the
 * kernel prints the whole table it will use (e820__print_table("user")),
 * usable ranges included, not only the memmap= entries.
 */
static void case_memmap_user_map_complete(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=256M memmap=16M$64M"), 0);
	CHECK_STR_CONTAINS(dmesg_now(), "user-defined physical RAM map:\n");
	CHECK_STR_CONTAINS(logbuf, "user: [mem 0x0000000000000000-0x0000000003ffffff] usable\n");
	CHECK_STR_CONTAINS(logbuf, "user: [mem 0x0000000004000000-0x0000000004ffffff] reserved\n");
	CHECK_STR_CONTAINS(logbuf, "user: [mem 0x0000000005000000-0x000000000fffffff] usable\n");
}

static void case_numa_fake_2(void)
{
	pg_data_t *n0, *n1;
	struct zoneref *z;
	struct page *p0, *p1;

	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=2"), 0);
	CHECK_EQ(nr_online_nodes, 2);
	CHECK_EQ(num_online_nodes(), 2);
	n0 = NODE_DATA(0);
	n1 = NODE_DATA(1);
	CHECK(n0 != NULL && n1 != NULL && n0 != n1);
	if (!n0 || !n1)
		return;
	CHECK_EQ(n0->node_id, 0);
	CHECK_EQ(n1->node_id, 1);
	CHECK_EQ(n0->node_start_pfn, 0);
	CHECK_EQ(n0->node_spanned_pages, (256 * M) >> PAGE_SHIFT);
	CHECK_EQ(n1->node_start_pfn, (256 * M) >> PAGE_SHIFT);
	CHECK_EQ(n1->node_spanned_pages, (256 * M) >> PAGE_SHIFT);
	/* Node 0 has DMA and DMA32, node 1 DMA32 only. */
	CHECK(populated_zone(&n0->node_zones[ZONE_DMA]));
	CHECK(populated_zone(&n0->node_zones[ZONE_DMA32]));
	CHECK(!populated_zone(&n1->node_zones[ZONE_DMA]));
	CHECK(populated_zone(&n1->node_zones[ZONE_DMA32]));
	CHECK_EQ(n1->node_zones[ZONE_DMA32].zone_start_pfn, (256 * M) >> PAGE_SHIFT);
	CHECK_EQ(n0->node_zones[ZONE_DMA32].spanned_pages, ((256 - 16) * M) >> PAGE_SHIFT);
	CHECK_EQ(n0->nr_zones, ZONE_DMA32 + 1);
	CHECK_EQ(n1->nr_zones, ZONE_DMA32 + 1);
	CHECK_STR_CONTAINS(dmesg_now(), "Faking node 0 at [mem 0x0000000000000000-0x000000000fffffff] (256MB)\n");
	CHECK_STR_CONTAINS(logbuf, "Faking node 1 at [mem 0x0000000010000000-0x000000001fffffff] (256MB)\n");
	CHECK_STR_CONTAINS(logbuf, "Built 2 zonelists");

	/* Node 1's fallback list: its own zone first, then node 0's, high to low. */
	z = n1->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	CHECK(z[0].zone == &n1->node_zones[ZONE_DMA32]);
	CHECK_EQ(z[0].zone_idx, ZONE_DMA32);
	CHECK(z[1].zone == &n0->node_zones[ZONE_DMA32]);
	CHECK(z[2].zone == &n0->node_zones[ZONE_DMA]);
	CHECK_EQ(z[2].zone_idx, ZONE_DMA);
	CHECK(z[3].zone == NULL);
	z = n0->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	CHECK(z[0].zone == &n0->node_zones[ZONE_DMA32]);
	CHECK(z[1].zone == &n0->node_zones[ZONE_DMA]);
	CHECK(z[2].zone == &n1->node_zones[ZONE_DMA32]);
	CHECK(z[3].zone == NULL);
	z = n1->node_zonelists[ZONELIST_NOFALLBACK]._zonerefs;
	CHECK(z[0].zone == &n1->node_zones[ZONE_DMA32]);
	CHECK(z[1].zone == NULL);

	/* Allocation honours the node. */
	p0 = alloc_pages_node(0, GFP_KERNEL | __GFP_THISNODE, 0);
	p1 = alloc_pages_node(1, GFP_KERNEL | __GFP_THISNODE, 0);
	CHECK(p0 && page_to_nid(p0) == 0);
	CHECK(p1 && page_to_nid(p1) == 1);
	CHECK(p1 && page_to_pfn(p1) >= n1->node_start_pfn);
	if (p0)
		__free_page(p0);
	if (p1)
		__free_page(p1);
	check_invariants();
}

/*
 * numa=fake=<size>: as many nodes as RAM holds of that size, the size
 * rounded down to 32 MiB multiples and raised to 32 MiB with the kernel's
 * message.
 */
static void case_numa_fake_size(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=128M"), 0);
	CHECK_EQ(nr_online_nodes, 4);
	CHECK_EQ(NODE_DATA(1)->node_start_pfn, (128 * M) >> PAGE_SHIFT);
	check_invariants();
}

/*
 * 96M nodes; the fifth would leave 32M, less than a node, so it takes the
 * rest (the kernel's split_nodes_size_interleave(): 96,96,96,96,128).
 */
static void case_numa_fake_size_rounded(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=100M"), 0);
	CHECK_EQ(nr_online_nodes, 5);
	CHECK_EQ(NODE_DATA(1)->node_start_pfn, (96 * M) >> PAGE_SHIFT);
	CHECK_EQ(NODE_DATA(4)->node_start_pfn, (384 * M) >> PAGE_SHIFT);
	CHECK_EQ(NODE_DATA(4)->node_spanned_pages, (128 * M) >> PAGE_SHIFT);
	check_invariants();
}

/*
 * More nodes asked for than RAM holds blocks: fewer are made, and every
 * CPU belongs to one of them (a CPU dealt to a node never made sent its
 * first allocation to a missing pg_data: SIGSEGV).
 */
static void case_numa_more_nodes_than_ram(void)
{
	unsigned int cpu;
	int order;

	quiet_console();
	CHECK_EQ(ukmem_boot("mem=8M numa=fake=4"), 0);
	CHECK_EQ(nr_online_nodes, 2);
	CHECK_STR_CONTAINS(dmesg_now(), "numa: 4 nodes do not fit in 8MB; using 2\n");
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		CHECK(cpu_to_node(cpu) < (int)nr_online_nodes);
		CHECK(NODE_DATA(cpu_to_node(cpu)) != NULL);
	}
	for (order = 0; order <= 3; order++) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

		CHECK(p != NULL);
		if (p)
			__free_pages(p, order);
	}
	check_invariants();
}

static void case_numa_fake_size_small(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=8M"), 0);
	CHECK_EQ(nr_online_nodes, 16);
	CHECK_STR_CONTAINS(dmesg_now(), "Fake node size 8MB too small, increasing to 32MB\n");
	check_invariants();
}

/* slab_strict_numa (v6.13) is a known parameter, announced as the kernel does. */
static void case_slab_strict_numa(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=2 slab_strict_numa"), 0);
	CHECK(strstr(dmesg_now(), "Unknown kernel command line") == NULL);
	CHECK_STR_CONTAINS(logbuf, "SLUB: Strict NUMA enabled.\n");
	check_invariants();
}

static void case_slab_strict_numa_one_node(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M slab_strict_numa"), 0);
	CHECK(strstr(dmesg_now(), "Unknown kernel command line") == NULL);
	CHECK_STR_CONTAINS(logbuf, "slab_strict_numa parameter set on non NUMA system.\n");
}

/*
 * numa=fake=NU (kernel-parameters.txt): each physical node split into N;
 * one physical node here, so N nodes, split as numa=fake=N splits.
 */
static void case_numa_fake_uniform(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=4U"), 0);
	CHECK_EQ(nr_online_nodes, 4);
	CHECK_EQ(NODE_DATA(3)->node_start_pfn, (384 * M) >> PAGE_SHIFT);
	check_invariants();
}

/*
 * numa=fake= edge values, as the kernel's numa_emulation() takes them: 0
 * nodes or a size of 0 turn emulation off (one node, the boot goes on);
 * more than MAX_NUMNODES nodes are reduced with the kernel's message, and
 * NU asking for more than MAX_NUMNODES fails the emulation with its
 * message.  Only 'M' and 'G' make a size (kernel-parameters.txt:
 * <size>[MG]; the kernel reads "1K" or "128m" as a node count): ukmem
 * reports those as malformed rather than build another topology.
 */
static void case_numa_fake_zero_uniform(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=0U"), 0);
	CHECK_EQ(nr_online_nodes, 1);
	check_invariants();
}

static void case_numa_fake_zero_size(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=0G"), 0);
	CHECK_EQ(nr_online_nodes, 1);
}

static void case_numa_fake_malformed(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=1K"), -EINVAL);
	CHECK_STR_CONTAINS(dmesg_now(), "Malformed early option 'numa'\n");
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=128m"), -EINVAL);
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=0"), 0);
	CHECK_EQ(nr_online_nodes, 1);
}

static void case_numa_fake_uniform_too_many(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=65U"), 0);
	CHECK_EQ(nr_online_nodes, 1);
	/* 512M / 65 is raised to 32M nodes, of which 16 fit. */
	CHECK_STR_CONTAINS(dmesg_now(), "numa_emulation: phys: 0 only got 16 of 65 nodes, failing\n");
}

/*
 * numa=fake=NU is N nodes of RAM/N raised to a multiple of 32 MiB
 * (split_nodes_size_interleave_uniform): when fewer than N such nodes
 * fit, the kernel fails the emulation and boots with one node.  512M/5
 * rounds up to 128M, of which 4 fit; 512M/6 to 96M, of which 6 do (the
 * last one smaller there); 512M/7 to 96M again, 6 of 7.
 */
static void case_numa_fake_uniform_rounded(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=5U"), 0);
	CHECK_EQ(nr_online_nodes, 1);
	CHECK_STR_CONTAINS(dmesg_now(), "Fake node size 102MB too small, increasing to 128MB\n");
	CHECK_STR_CONTAINS(dmesg_now(), "numa_emulation: phys: 0 only got 4 of 5 nodes, failing\n");
}

static void case_numa_fake_uniform_rounded_fits(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=6U"), 0);
	CHECK_EQ(nr_online_nodes, 6);
	check_invariants();
}

static void case_numa_fake_uniform_rounded_7(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=7U"), 0);
	CHECK_EQ(nr_online_nodes, 1);
	CHECK_STR_CONTAINS(dmesg_now(), "numa_emulation: phys: 0 only got 6 of 7 nodes, failing\n");
}

static void case_numa_fake_too_large(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=65"), 0);
	CHECK_EQ(nr_online_nodes, MAX_NUMNODES);
	CHECK_STR_CONTAINS(dmesg_now(), "numa=fake=65 too large, reducing to 64\n");
	check_invariants();
}

/* numa=fake=N for more nodes than 4 MiB blocks: clipped, with a warning. */
static void case_numa_too_many(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=8M numa=fake=4"), 0);
	CHECK_EQ(nr_online_nodes, 2);
	check_invariants();
}

/* The reports walk both nodes: buddyinfo's lines, zoneinfo's zones. */
static void case_numa_reports(void)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f;
	int nid, z;

	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=2"), 0);
	drain_all_pages(NULL);
	f = open_memstream(&buf, &size);
	CHECK_EQ(ukmem_show("buddyinfo", f), 0);
	fclose(f);
	CHECK(!strncmp(buf, "Node 0, zone      DMA ", 22));
	CHECK_STR_CONTAINS(buf, "\nNode 0, zone    DMA32 ");
	CHECK_STR_CONTAINS(buf, "\nNode 1, zone    DMA32 ");
	CHECK(strstr(buf, "Node 1, zone      DMA ") == NULL);
	CHECK(strstr(buf, "Node 0, zone    DMA32") < strstr(buf, "Node 1, zone    DMA32"));
	/* Node 1's counts are node 1's. */
	{
		const char *l = strstr(buf, "Node 1, zone    DMA32 ");
		struct zone *zone = &NODE_DATA(1)->node_zones[ZONE_DMA32];
		unsigned long v, pages = 0;
		int o, n;

		if (l) {
			l += 22;
			for (o = 0; o < 11; o++) {
				CHECK(sscanf(l, "%lu%n", &v, &n) == 1);
				CHECK_EQ(v, zone->free_area[o].nr_free);
				pages += v << o;
				l += n;
			}
		}
		CHECK_EQ(pages, zone_page_state(zone, NR_FREE_PAGES));
	}
	free(buf);
	buf = NULL;

	f = open_memstream(&buf, &size);
	CHECK_EQ(ukmem_show("zoneinfo", f), 0);
	fclose(f);
	/* Every zone of the layout, for each node, in order; node stats once per node. */
	{
		const char *p = buf;
		int stats = 0;

		for (nid = 0; nid < 2; nid++)
			for (z = 0; z < MAX_NR_ZONES; z++) {
				char want[64];

				if (!zone_type_configured(z))
					continue;
				snprintf(want, sizeof(want), "Node %d, zone %8s\n", nid, zone_names[z]);
				p = p ? strstr(p, want) : NULL;
				CHECK(p != NULL);
			}
		for (p = buf; (p = strstr(p, "  per-node stats")); p++)
			stats++;
		CHECK_EQ(stats, 2);
	}
	free(buf);
	buf = NULL;

	f = open_memstream(&buf, &size);
	CHECK_EQ(ukmem_show("pagetypeinfo", f), 0);
	fclose(f);
	/* The whole block, headers included, once per node. */
	{
		const char *p = buf;
		int headers = 0;

		while ((p = strstr(p, "Page block order: 9\n"))) {
			headers++;
			p++;
		}
		CHECK_EQ(headers, 2);
		CHECK_STR_CONTAINS(buf, "Node    1, zone    DMA32, type      Movable ");
	}
	free(buf);
	check_invariants();
}

/*
 * Node 1's allocations fall back to node 0 once node 1 is down to its low
 * watermark; with __GFP_THISNODE they fail instead.
 */
static void case_numa_fallback(void)
{
	static struct page *got[140000];
	struct zone *n1 = NULL;
	unsigned long n = 0, i, from0 = 0, free_at_fallback = 0;

	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=2"), 0);
	n1 = &NODE_DATA(1)->node_zones[ZONE_DMA32];
	while (n < ARRAY_SIZE(got)) {
		struct page *p = alloc_pages_node(1, GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0);

		if (!p)
			break;
		got[n++] = p;
		if (page_to_nid(p) == 0) {
			if (!from0++)
				free_at_fallback = zone_page_state(n1, NR_FREE_PAGES);
			if (from0 >= 1000)
				break;
		}
	}
	CHECK_EQ(from0, 1000);
	/* Node 0 was used only once node 1's zone had reached its low watermark. */
	CHECK(free_at_fallback <= low_wmark_pages(n1));
	CHECK(n > 60000);
	for (i = 0; i < n; i++)
		__free_page(got[i]);
	drain_all_pages(NULL);

	/* __GFP_THISNODE: node 1 only, down to min, then NULL. */
	n = 0;
	while (n < ARRAY_SIZE(got)) {
		struct page *p = alloc_pages_node(1, GFP_KERNEL | __GFP_THISNODE | __GFP_NORETRY |
						     __GFP_NOWARN, 0);

		if (!p)
			break;
		CHECK_EQ(page_to_nid(p), 1);
		got[n++] = p;
	}
	CHECK(n > 60000 && n < ARRAY_SIZE(got));
	CHECK(zone_page_state(n1, NR_FREE_PAGES) <= min_wmark_pages(n1));
	check_invariants();
	for (i = 0; i < n; i++)
		__free_page(got[i]);
	drain_all_pages(NULL);
	check_invariants();
}

/* Threads racing to allocate first boot the machine once, all of them succeed. */
struct racer {
	pthread_barrier_t *barrier;
	struct page *page;
};

static void *racer_fn(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->barrier);
	r->page = alloc_pages(GFP_KERNEL, 1);
	if (r->page)
		memset(page_address(r->page), 0x77, 2 * PAGE_SIZE);
	return NULL;
}

static void case_concurrent_first_use(void)
{
	enum { N = 8 };
	pthread_barrier_t barrier;
	struct racer r[N];
	pthread_t t[N];
	const char *p;
	int i, banners = 0;

	quiet_console();
	CHECK_EQ(setenv("UKMEM_CMDLINE", "mem=128M", 1), 0);
	pthread_barrier_init(&barrier, NULL, N);
	for (i = 0; i < N; i++) {
		r[i].barrier = &barrier;
		r[i].page = NULL;
		CHECK_EQ(pthread_create(&t[i], NULL, racer_fn, &r[i]), 0);
	}
	for (i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	CHECK(ukmem_booted());
	CHECK_EQ(max_pfn, (128 * M) >> PAGE_SHIFT);
	for (i = 0; i < N; i++) {
		CHECK(r[i].page != NULL);
		if (r[i].page)
			__free_pages(r[i].page, 1);
	}
	for (p = dmesg_now(); (p = strstr(p, "Linux version ")); p++)
		banners++;
	CHECK_EQ(banners, 1);
	drain_all_pages(NULL);
	check_invariants();
}

static void case_numa_other_spellings(void)
{
	pid_t pid;
	int status = 0;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		quiet_console();
		CHECK_EQ(ukmem_boot("mem=512M numa=4"), 0);
		CHECK_EQ(nr_online_nodes, 4);
		CHECK_EQ(NODE_DATA(3)->node_start_pfn, (384 * M) >> PAGE_SHIFT);
		_exit(ktest_failures ? 1 : 0);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=2 numa=off"), 0);
	CHECK_EQ(nr_online_nodes, 1);
}

/*
 * numa=noacpi and numa=nohmat (x86 numa_setup): the firmware tables not
 * read, which ukmem has none of; the kernel takes them and keeps an
 * earlier numa=fake=.  They failed the boot as malformed.
 */
static void case_numa_firmware_tables(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M numa=fake=2 numa=noacpi numa=nohmat"), 0);
	CHECK_EQ(nr_online_nodes, 2);
	CHECK(strstr(dmesg_now(), "Malformed early option 'numa'") == NULL);
}

/* memparse() is simple_strtoull()'s: no sign, so "mem=-1" is no size at all. */
static void case_mem_negative(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=-1"), -EINVAL);
	CHECK_STR_CONTAINS(dmesg_now(), "Malformed early option 'mem'\n");
	CHECK(!ukmem_booted());
	ukmem_dmesg_clear();
	CHECK_EQ(ukmem_boot("mem=+64M"), -EINVAL);
	CHECK_STR_CONTAINS(dmesg_now(), "Malformed early option 'mem'\n");
	CHECK(!ukmem_booted());
}

/* parse_args(): "--" ends the kernel's parameters; what follows is init's, unread. */
static void case_double_dash(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M -- mem=32M foo slab_debug=x"), 0);
	CHECK_EQ(max_pfn, (64 * M) >> PAGE_SHIFT);
	CHECK(strstr(dmesg_now(), "Unknown kernel command line") == NULL);
	CHECK(strstr(dmesg_now(), "Malformed") == NULL);
}

/*
 * A word may be as long as the command line (COMMAND_LINE_SIZE): a
 * slab_debug list of 31 caches, the last one kmalloc-64, debugs it.
 */
static void case_long_word(void)
{
	char line[1200];
	int n, i;

	quiet_console();
	n = snprintf(line, sizeof(line), "mem=64M slab_debug=Z");
	for (i = 0; i < 30; i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, ",a_cache_number_%02d", i);
	snprintf(line + n, sizeof(line) - (size_t)n, ",kmalloc-64");
	CHECK(strlen(line) > 500);
	CHECK_EQ(ukmem_boot(line), 0);
	CHECK(kmalloc_caches[KMALLOC_NORMAL][6]->flags & SLAB_RED_ZONE);
	CHECK(!(kmalloc_caches[KMALLOC_NORMAL][7]->flags & SLAB_RED_ZONE));
}

/*
 * The debug layout of a kmalloc cache with owner tracks, as 7.x lays it
 * out: kmalloc-64 under FZPU takes a 256-byte slot, and since 7.0 the
 * size asked for is an unsigned long after the two tracks, so the
 * padding the reports dump starts 152 bytes into the object and is 40
 * bytes long (148 and 44 with the older unsigned int).
 */
static void case_kmalloc_debug_layout(void)
{
	struct kmem_cache *s;
	char want[64];
	u8 *p;

	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M slab_debug=FZPU,kmalloc-64"), 0);
	s = kmalloc_caches[KMALLOC_NORMAL][6];
	CHECK_EQ(s->size, 256);
	CHECK_EQ(slab_meta_end(s), 152);
	CHECK_EQ(size_from_object(s) - slab_meta_end(s), 40);
	p = kmalloc(60, GFP_KERNEL);
	CHECK(p != NULL);
	OPTIMIZER_HIDE_VAR(p);
	p[64] = 0x42;	/* the right red zone */
	kfree(p);
	snprintf(want, sizeof(want), "Padding  %016lx: 5a", (unsigned long)(p + 152));
	CHECK(strstr(dmesg_now(), want) != NULL);
}

/*
 * The kernel's own answers: loglevel takes any int (get_option()), memblock=
 * any value ("debug" anywhere in it), and a core parameter's bad value is
 * reported in parse_args()'s words, not as an early option's.
 */
static void case_kernel_parser_words(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M loglevel=99 memblock=foo"), 0);
	CHECK_EQ(console_loglevel, 99);
	CHECK(strstr(dmesg_now(), "Malformed") == NULL);
	CHECK(strstr(dmesg_now(), "memblock_add:") == NULL);	/* no memblock=debug */
}

static void case_core_param_invalid(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M slab_min_order=abc"), -EINVAL);
	CHECK_STR_CONTAINS(dmesg_now(),
			   "Booting kernel: `abc' invalid for parameter `slab_min_order'\n");
	ukmem_dmesg_clear();
	CHECK_EQ(ukmem_boot("mem=64M kfence.sample_interval=x"), -EINVAL);
	CHECK_STR_CONTAINS(dmesg_now(),
			   "Booting kernel: `x' invalid for parameter `kfence.sample_interval'\n");
	CHECK(strstr(dmesg_now(), "Malformed") == NULL);
	CHECK(!ukmem_booted());
}

/*
 * A min_free_kbytes= too large for mem=: the watermarks are named, not the
 * RAM; the implicit boot drops the value and keeps mem= (it kept the
 * value and dropped mem=, booting a host-sized machine).
 */
static void case_min_free_kbytes_too_large(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M min_free_kbytes=999999"), -EINVAL);
	CHECK_STR_CONTAINS(dmesg_now(), "min_free_kbytes=999999 does not fit in mem=64M\n");
	CHECK(strstr(dmesg_now(), "is below the minimum") == NULL);
	CHECK(!ukmem_booted());
	setenv("UKMEM_CMDLINE", "mem=64M min_free_kbytes=999999", 1);
	kfree(kmalloc(8, GFP_KERNEL));		/* the implicit boot */
	CHECK(ukmem_booted());
	CHECK_EQ(max_pfn, (64 * M) >> PAGE_SHIFT);
	CHECK(min_free_kbytes < 999999);
}

/*
 * sysctl.NAME=VALUE (dots or slashes) sets the sysctl once the machine is
 * up, as the kernel's process_sysctl_arg(); a name it lacks and a value it
 * refuses are reported in its words, and none is an unknown parameter.
 */
static void case_sysctl_args(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M sysctl.vm.min_free_kbytes=4096 "
			    "sysctl/vm/watermark_scale_factor=100 sysctl.vm.nonexistent=1 "
			    "sysctl.vm.panic_on_oom=9 sysctl.vm.drop_caches"), 0);
	CHECK_EQ(min_free_kbytes, 4096);
	CHECK_EQ(user_min_free_kbytes, 4096);
	CHECK_EQ(watermark_scale_factor, 100);
	CHECK_STR_CONTAINS(dmesg_now(), "Failed to set sysctl parameter 'vm.nonexistent=1': "
			   "parameter not found\n");
	CHECK_STR_CONTAINS(dmesg_now(), "Failed to set sysctl parameter 'vm.panic_on_oom=9': "
			   "invalid value\n");
	CHECK_STR_CONTAINS(dmesg_now(), "Setting sysctl args: `' invalid for parameter "
			   "`sysctl.vm.drop_caches'\n");
	CHECK(strstr(dmesg_now(), "Unknown kernel command line") == NULL);
}

static void case_debug_param(void)
{
	FILE *con = tmpfile();

	CHECK(con != NULL);
	ukmem_set_console(con);
	CHECK_EQ(ukmem_boot("mem=64M debug"), 0);
	CHECK_EQ(console_loglevel, 10);
	printk(KERN_DEBUG "a debug line\n");
	CHECK_STR_CONTAINS(file_text(con), "a debug line\n");
	CHECK_STR_CONTAINS(file_text(con), "Memory: ");
}

static void case_loglevel_7(void)
{
	FILE *con = tmpfile();
	const char *text;

	CHECK(con != NULL);
	ukmem_set_console(con);
	CHECK_EQ(ukmem_boot("mem=64M loglevel=7"), 0);
	text = file_text(con);
	/* KERN_INFO (6) < 7: the boot's info messages reach the console. */
	CHECK_STR_CONTAINS(text, "Linux version ");
	CHECK_STR_CONTAINS(text, "Memory: ");
	CHECK_STR_CONTAINS(text, "Zone ranges:\n");
	/* Without a timestamp: the console shows the bare text. */
	CHECK(strstr(text, "[    0.") == NULL);
	/* KERN_DEBUG (7) is not < 7. */
	printk(KERN_DEBUG "a debug line\n");
	printk(KERN_INFO "an info line\n");
	text = file_text(con);
	CHECK(strstr(text, "a debug line") == NULL);
	CHECK_STR_CONTAINS(text, "an info line\n");
	CHECK_STR_CONTAINS(dmesg_now(), "a debug line\n");
}

static void case_loglevel_default(void)
{
	FILE *con = tmpfile();
	const char *text;

	CHECK(con != NULL);
	ukmem_set_console(con);
	CHECK_EQ(ukmem_boot("mem=64M foo=bar"), 0);
	text = file_text(con);
	/* Default level 6: info stays in the log, notice reaches the console. */
	CHECK(strstr(text, "Linux version") == NULL);
	CHECK(strstr(text, "Memory: ") == NULL);
	CHECK_STR_CONTAINS(text, "Unknown kernel command line parameters \"foo=bar\"");
	CHECK_STR_CONTAINS(dmesg_now(), "Linux version ");
	CHECK_STR_CONTAINS(logbuf, "Memory: ");
	printk(KERN_INFO "an info line\n");
	printk(KERN_WARNING "a warning line\n");
	text = file_text(con);
	CHECK(strstr(text, "an info line") == NULL);
	CHECK_STR_CONTAINS(text, "a warning line\n");
}

static void case_quiet(void)
{
	FILE *con = tmpfile();
	const char *text;

	CHECK(con != NULL);
	ukmem_set_console(con);
	CHECK_EQ(ukmem_boot("mem=64M quiet foo=bar"), 0);
	CHECK_EQ(console_loglevel, 4);
	text = file_text(con);
	/* quiet is level 4: notices and warnings stay in the log. */
	CHECK(strstr(text, "Unknown kernel command line") == NULL);
	CHECK_STR_CONTAINS(dmesg_now(), "Unknown kernel command line parameters \"foo=bar\"");
	printk(KERN_WARNING "a warning line\n");
	printk(KERN_ERR "an error line\n");
	text = file_text(con);
	CHECK(strstr(text, "a warning line") == NULL);
	CHECK_STR_CONTAINS(text, "an error line\n");
}

/*
 * mm/page_alloc.c calculate_min_free_kbytes(): the computed value,
 * int_sqrt(lowmem_kbytes * 16) with lowmem_kbytes = nr_free_buffer_pages()
 * in KiB (the watermarks are still 0 the first time, so that is all of
 * managed lowmem), replaces the user's value only when it is larger; else
 * "min_free_kbytes is not updated to %d because user defined value %d is
 * preferred".
 */
static unsigned long computed_min_free_kbytes(void)
{
	return isqrt(totalram_pages() * (PAGE_SIZE >> 10) * 16);
}

static unsigned long sum_min_wmark(void)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		sum += min_wmark_pages(zone);
	return sum;
}

static void check_wmarks_follow(int kbytes)
{
	unsigned long pages_min = (unsigned long)kbytes >> (PAGE_SHIFT - 10);
	struct zone *zone;
	int nzones = 0;

	for_each_populated_zone(zone) {
		unsigned long managed = zone_managed_pages(zone);
		unsigned long min = pages_min * managed / totalram_pages();
		unsigned long delta = max(min / 4, managed * (unsigned long)watermark_scale_factor / 10000);

		CHECK_EQ(min_wmark_pages(zone), min);
		CHECK_EQ(low_wmark_pages(zone), min + delta);
		CHECK_EQ(high_wmark_pages(zone), min + 2 * delta);
		nzones++;
	}
	CHECK(sum_min_wmark() <= pages_min);
	CHECK(sum_min_wmark() + nzones >= pages_min);
}

static void case_min_free_kbytes_default(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M"), 0);
	CHECK_EQ(min_free_kbytes, (long)computed_min_free_kbytes());
	CHECK(strstr(dmesg_now(), "min_free_kbytes is not updated") == NULL);
	check_wmarks_follow(min_free_kbytes);
}

/*
 * min_free_kbytes= is the sysctl written on the command line (5.8+
 * sysctl.vm.min_free_kbytes=): do_sysctl_args() runs after the initcall
 * that computed the default, so the user's value wins, larger or smaller,
 * silently, and the watermarks and pcp limits follow it.
 */
static void case_min_free_kbytes_larger(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M min_free_kbytes=4096"), 0);
	CHECK(computed_min_free_kbytes() < 4096);
	CHECK_EQ(min_free_kbytes, 4096);
	CHECK_EQ(user_min_free_kbytes, 4096);
	CHECK(strstr(dmesg_now(), "min_free_kbytes is not updated") == NULL);
	check_wmarks_follow(4096);
	CHECK(sum_min_wmark() >= 1024 - 2);
}

static void case_min_free_kbytes_smaller(void)
{
	struct zone *zone;

	quiet_console();
	CHECK_EQ(ukmem_boot("mem=512M min_free_kbytes=256 watermark_scale_factor=1"), 0);
	CHECK(computed_min_free_kbytes() > 256);
	CHECK_EQ(min_free_kbytes, 256);
	CHECK_EQ(user_min_free_kbytes, 256);
	CHECK(strstr(dmesg_now(), "min_free_kbytes is not updated") == NULL);
	check_wmarks_follow(256);
	/* pcp->high is the low watermark over the CPUs, at least 4 * batch. */
	for_each_populated_zone(zone) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[0];
		long want = (long)(low_wmark_pages(zone) / nr_cpu_ids);

		if (want < 4L * pcp->batch)
			want = 4L * pcp->batch;
		CHECK_EQ(pcp->high, want);
	}
}

static void case_boot_twice(void)
{
	quiet_console();
	CHECK_EQ(ukmem_boot("mem=64M"), 0);
	CHECK_EQ(ukmem_boot("mem=64M"), -EALREADY);
	CHECK_EQ(ukmem_boot("mem=128M"), -EALREADY);
	CHECK_EQ(ukmem_boot_hook("mem=64M", NULL, NULL), -EALREADY);
	CHECK_EQ(max_pfn, 16384);
	CHECK_STR_CONTAINS(ukmem_cmdline(), "mem=64M");
	check_invariants();
}

struct boot_case {
	const char *name;
	void (*fn)(void);
};

#define BOOT_CASE(fn) { #fn, fn }

static const struct boot_case cases[] = {
	BOOT_CASE(case_unknown_param),
	BOOT_CASE(case_unknown_param_order),
	BOOT_CASE(case_no_unknown),
	BOOT_CASE(case_malformed_mem),
	BOOT_CASE(case_fault_attr_unparsed),
	BOOT_CASE(case_malformed_others),
	BOOT_CASE(case_switch_words),
	BOOT_CASE(case_switch_malformed),
	BOOT_CASE(case_hashdist),
	BOOT_CASE(case_page_alloc_shuffle),
	BOOT_CASE(case_env_cmdline),
	BOOT_CASE(case_env_cmdline_malformed),
	BOOT_CASE(case_env_cmdline_explicit_null),
	BOOT_CASE(case_mem_beyond_address_space),
	BOOT_CASE(case_mem_64m),
	BOOT_CASE(case_memmap_hole),
	BOOT_CASE(case_memmap_at_end),
	BOOT_CASE(case_memmap_two),
	BOOT_CASE(case_memmap_user_map_complete),
	BOOT_CASE(case_numa_fake_2),
	BOOT_CASE(case_numa_fake_uniform),
	BOOT_CASE(case_numa_fake_zero_uniform),
	BOOT_CASE(case_numa_fake_zero_size),
	BOOT_CASE(case_numa_fake_malformed),
	BOOT_CASE(case_numa_fake_uniform_too_many),
	BOOT_CASE(case_numa_fake_uniform_rounded),
	BOOT_CASE(case_numa_fake_uniform_rounded_fits),
	BOOT_CASE(case_numa_fake_uniform_rounded_7),
	BOOT_CASE(case_numa_fake_too_large),
	BOOT_CASE(case_numa_fake_size),
	BOOT_CASE(case_numa_fake_size_rounded), BOOT_CASE(case_numa_more_nodes_than_ram),
	BOOT_CASE(case_numa_fake_size_small),
	BOOT_CASE(case_slab_strict_numa),
	BOOT_CASE(case_slab_strict_numa_one_node),
	BOOT_CASE(case_numa_reports),
	BOOT_CASE(case_numa_fallback),
	BOOT_CASE(case_concurrent_first_use),
	BOOT_CASE(case_numa_other_spellings),
	BOOT_CASE(case_numa_firmware_tables),
	BOOT_CASE(case_debug_param),
	BOOT_CASE(case_mem_negative),
	BOOT_CASE(case_sysctl_args),
	BOOT_CASE(case_min_free_kbytes_too_large),
	BOOT_CASE(case_double_dash),
	BOOT_CASE(case_long_word),
	BOOT_CASE(case_kmalloc_debug_layout),
	BOOT_CASE(case_kernel_parser_words),
	BOOT_CASE(case_core_param_invalid),
	BOOT_CASE(case_numa_too_many),
	BOOT_CASE(case_loglevel_7),
	BOOT_CASE(case_loglevel_default),
	BOOT_CASE(case_quiet),
	BOOT_CASE(case_min_free_kbytes_default),
	BOOT_CASE(case_min_free_kbytes_larger),
	BOOT_CASE(case_min_free_kbytes_smaller),
	BOOT_CASE(case_boot_twice),
};

int main(void)
{
	int failed = 0;
	size_t i;

	unsetenv("UKMEM_CMDLINE");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int status = 0;
		pid_t pid;

		fflush(NULL);
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			ktest_current = cases[i].name;
			cases[i].fn();
			fflush(NULL);
			_exit(ktest_failures ? 1 : 0);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			if (WIFSIGNALED(status))
				fprintf(stderr, "%s: killed by signal %d\n", cases[i].name,
					WTERMSIG(status));
			fprintf(stderr, "FAIL %s\n", cases[i].name);
			failed++;
		}
	}
	if (failed)
		fprintf(stderr, "%d case(s) failed\n", failed);
	return failed ? 1 : 0;
}
