/* SPDX-License-Identifier: MIT */
/*
 * Free page reporting: memory goes back to the host after a burst, so RSS
 * follows use.  On mem=2G, 256 MiB of order-9 and order-10 pages are
 * allocated and touched (RSS rises by at least 250 MiB), then freed:
 * once a zone holds more than page_reporting.keep (default 2) free
 * max-order blocks with memory behind them, every further one is handed
 * back, so RSS falls to within 32 MiB of where it was.  The reported blocks
 * are then allocated again and are ordinary memory.
 *
 * One machine per case, each in a child (ktest_child_case): the default
 * keep=2, and keep=16.  Under ThreadSanitizer RSS says nothing (its shadow
 * of the touched memory stays resident when the memory is handed back), so
 * the cases that measure RSS are skipped there.
 */
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include "arch/host.h"
#include "mm/internal.h"
#include "ktest.h"

#define MiB		(1L << 20)
#define BURST		(256 * MiB)
#define NR_BLOCKS	(BURST / (4 * MiB) * 2)	/* enough for all order-9 */

struct block {
	struct page *page;
	unsigned int order;
};

static struct block blocks[NR_BLOCKS];
static int nr_blocks;

static long rss_bytes(void)
{
	long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &resident) != 2)
		resident = -1;
	fclose(f);
	return resident * sysconf(_SC_PAGESIZE);
}

/* An unsigned long field of struct zone, summed over the populated zones. */
static unsigned long zones_sum(size_t offset)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		sum += *(const unsigned long *)((const char *)zone + offset);
	return sum;
}
#define ZONES_SUM(field)	zones_sum(offsetof(struct zone, field))

static unsigned long total_reported(void)
{
	return ZONES_SUM(nr_reported);
}

static void check_census(void)
{
	struct ukmem_page_census c;

	CHECK_EQ(ukmem_check_page_allocator(&c), 0);
	CHECK_EQ(c.free + c.pcp + c.allocated, c.managed);
}

/* Free max-order blocks with memory behind them (neither deferred nor reported). */
static void check_keep(unsigned long keep)
{
	struct zone *zone;

	for_each_populated_zone(zone) {
		unsigned long committed = zone->free_area[MAX_PAGE_ORDER].nr_free -
					  zone->nr_deferred - zone->nr_reported;

		if (committed > keep)
			fprintf(stderr, "zone %s keeps %lu committed free blocks, keep=%lu\n",
				zone->name, committed, keep);
		CHECK(committed <= keep);
	}
}

/* Half the burst in order-10 blocks, half in order-9 ones; every byte touched. */
static void burst(unsigned char fill)
{
	long bytes = 0;
	int i;

	nr_blocks = 0;
	while (bytes < BURST) {
		unsigned int order = bytes < BURST / 2 ? MAX_PAGE_ORDER : pageblock_order;
		struct page *page = alloc_pages(GFP_KERNEL, order);

		CHECK(page != NULL);
		if (!page)
			break;
		memset(page_address(page), fill, PAGE_SIZE << order);
		blocks[nr_blocks].page = page;
		blocks[nr_blocks].order = order;
		nr_blocks++;
		bytes += PAGE_SIZE << order;
	}
	for (i = 0; i < nr_blocks; i++) {
		const unsigned char *p = page_address(blocks[i].page);
		size_t n = PAGE_SIZE << blocks[i].order;

		CHECK(p[0] == fill && p[n / 2] == fill && p[n - 1] == fill);
	}
}

static void release(void)
{
	int i;

	for (i = 0; i < nr_blocks; i++)
		__free_pages(blocks[i].page, blocks[i].order);
	nr_blocks = 0;
	drain_all_pages(NULL);
}

/* RSS measures what the host backs; not under ThreadSanitizer (see the top). */
static bool rss_meaningful(void)
{
	if (!UKMEM_TSAN)
		return true;
	KTEST_SKIP("ThreadSanitizer's shadow memory stays resident: RSS cannot be checked");
	return false;
}

static void run_case(const char *cmdline, unsigned long keep)
{
	long base, high, low, again;
	unsigned long reported, free_before;

	if (!rss_meaningful())
		return;
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot(cmdline), 0);
	drain_all_pages(NULL);
	free_before = nr_free_pages();
	base = rss_bytes();
	CHECK(base > 0);

	burst(0xa5);
	high = rss_bytes();
	CHECK(high - base >= 250 * MiB);
	check_census();

	release();
	low = rss_bytes();
	reported = total_reported();
	if (low - base > 32 * MiB + (long)keep * 4 * MiB)
		fprintf(stderr, "%s: RSS %ld MiB at start, %ld MiB after the burst, %ld MiB after freeing\n",
			ktest_current, base / MiB, high / MiB, low / MiB);
	CHECK(low - base <= 32 * MiB + (long)keep * 4 * MiB);
	/* What the zone keeps is touched memory: it stays resident. */
	CHECK(low - base >= (long)keep * 4 * MiB - 8 * MiB);
	CHECK(reported > 0);
	CHECK(reported >= (unsigned long)(BURST / (4 * MiB)) - keep - 2);
	check_keep(keep);
	CHECK_EQ(nr_free_pages(), free_before);
	check_census();

	/* The reported blocks come back as ordinary, usable memory. */
	burst(0x3c);
	again = rss_bytes();
	/* Kept blocks are used first (reported ones sit at the list tails). */
	CHECK(again - low >= 250 * MiB - (long)keep * 4 * MiB);
	CHECK(total_reported() < reported);
	check_census();
	release();
	CHECK(rss_bytes() - base <= 32 * MiB + (long)keep * 4 * MiB);
	CHECK(total_reported() > 0);
	check_keep(keep);
	CHECK_EQ(nr_free_pages(), free_before);
	check_census();

	/* Order-0 pages carved out of reported blocks are usable too. */
	{
		static struct page *small[70000];
		int n = 0, i;

		while (n < 70000) {
			small[n] = alloc_page(GFP_KERNEL | __GFP_NOWARN);
			if (!small[n])
				break;
			memset(page_address(small[n]), 0x11, PAGE_SIZE);
			n++;
		}
		CHECK_EQ(n, 70000);
		for (i = 0; i < n; i++)
			__free_page(small[i]);
		drain_all_pages(NULL);
		CHECK(rss_bytes() - base <= 32 * MiB + (long)keep * 4 * MiB);
		check_keep(keep);
		check_census();
	}
}

static void case_default_keep(void)
{
	run_case("mem=2G page_reporting.adapt_max=0", 2);
}

static void case_keep_16(void)
{
	run_case("mem=2G page_reporting.keep=16 page_reporting.adapt_max=0", 16);
}

/*
 * The default keep adapts: the first release of a burst is handed back as
 * with a fixed keep (nothing was taken back yet), and the re-take grows
 * the keep by up to page_reporting.adapt_max blocks.
 */
static void case_default_adapts(void)
{
	long base, low;

	if (!rss_meaningful())
		return;
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=2G"), 0);
	drain_all_pages(NULL);
	base = rss_bytes();
	burst(0x77);
	release();
	low = rss_bytes();
	CHECK(low - base <= 32 * MiB + 2 * 4 * MiB);
	check_keep(2);
	burst(0x78);
	release();
	CHECK(rss_bytes() - base <= 32 * MiB + (2 + 16) * 4 * MiB);
	check_keep(2 + 16);
	check_census();
}

/*
 * A heap that swings: 48 x 1 MiB blocks touched, then all freed, again and
 * again (asyncio's SSL buffers).  With a fixed keep (adapt_max=0) every
 * swing above the keep's 8 MiB is handed back and faulted in again; the
 * adaptive keep takes it back once, grows by the re-taken part, and from
 * the third swing on nothing is handed back or re-taken.  The decay is
 * declared due by shortening adapt_ms and waiting past it (a lower bound
 * on the time, not a deadline): the next swing's frees hand the boost back.
 */
#define SWING_BLOCKS	48
static void swings(int nr, unsigned long *reports, unsigned long *retaken)
{
	static struct page *pages[SWING_BLOCKS];
	unsigned long r0 = ZONES_SUM(nr_reports), t0 = ZONES_SUM(nr_retaken);
	int i, c;

	for (c = 0; c < nr; c++) {
		for (i = 0; i < SWING_BLOCKS; i++) {
			pages[i] = alloc_pages(GFP_KERNEL, 8);
			CHECK(pages[i] != NULL);
			if (!pages[i])
				return;
			memset(page_address(pages[i]), c, PAGE_SIZE << 8);
		}
		for (i = 0; i < SWING_BLOCKS; i++)
			__free_pages(pages[i], 8);
		drain_all_pages(NULL);
	}
	*reports = ZONES_SUM(nr_reports) - r0;
	*retaken = ZONES_SUM(nr_retaken) - t0;
}

static void case_swing_adapts(void)
{
	unsigned long reports, retaken;
	long base;

	if (!rss_meaningful())
		return;
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=2G page_reporting.delay_ms=3600000"), 0);
	drain_all_pages(NULL);
	base = rss_bytes();
	swings(1, &reports, &retaken);
	CHECK(reports >= SWING_BLOCKS / 4 - 2 - 1);	/* above the keep's 2 blocks */
	swings(1, &reports, &retaken);
	CHECK(retaken > 0);
	CHECK(ZONES_SUM(reporting_boost) > 0);
	swings(10, &reports, &retaken);
	CHECK_EQ(reports, 0);
	CHECK_EQ(retaken, 0);
	CHECK(rss_bytes() - base <= (SWING_BLOCKS + 2 * 4 + 32) * MiB);
	check_census();

	/* No re-take for longer than the (now short) adapt_ms: the boost goes. */
	boot_config.page_reporting_adapt_ms = 1;
	usleep(100 * 1000);
	swings(1, &reports, &retaken);
	CHECK(reports > 0);
	CHECK(rss_bytes() - base <= 40 * MiB + 2 * 4 * MiB);
	check_census();
}

/* The same swings with a fixed keep: every one is handed back and re-taken. */
static void case_swing_fixed_keep(void)
{
	unsigned long reports, retaken;

	if (!rss_meaningful())
		return;
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=2G page_reporting.delay_ms=3600000 page_reporting.adapt_max=0"), 0);
	drain_all_pages(NULL);
	swings(2, &reports, &retaken);
	swings(10, &reports, &retaken);
	CHECK(reports >= 10 * (SWING_BLOCKS / 4 - 2 - 1));
	CHECK(retaken >= 10 * (SWING_BLOCKS / 4 - 2 - 1));
	CHECK_EQ(ZONES_SUM(reporting_boost), 0);
}

/* Reported memory unmapped, as under strict overcommit: the same outcome. */
static void case_unmap(void)
{
	run_case("mem=2G page_reporting.unmap=1 page_reporting.adapt_max=0", 2);
}

/*
 * page_reporting.page_reporting_order=5: free 128 KiB blocks are reported
 * too, page_reporting.delay_ms after they were freed.  Every other order-5
 * block of a touched 256 MiB is freed first (no two of them can merge):
 * the first free sets the pass due delay_ms later, and nothing is handed
 * back before that.  The delay here is the longest accepted (an hour), so
 * no machine is slow enough to reach it; the test then declares it over by
 * moving the due time into the past (not by waiting), and the next free
 * runs the pass.  Then the rest: freed blocks merge with reported buddies
 * into 4 MiB blocks, which are handed back at once.  Discarded or unmapped
 * (page_reporting.unmap=1), the outcome is the same.
 */
#define ORDER_5_DELAY_MS	3600000UL
static void order_5(const char *cmdline)
{
	enum { ORDER = 5, N = BURST / (PAGE_SIZE << ORDER) };
	static struct page *pages[N];
	long base, high, half, low;
	unsigned long free_before, start;
	struct zone *zone;
	int i, n, due = 0;

	if (!rss_meaningful())
		return;
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot(cmdline), 0);
	drain_all_pages(NULL);
	free_before = nr_free_pages();
	base = rss_bytes();
	for (n = 0; n < N; n++) {
		pages[n] = alloc_pages(GFP_KERNEL, ORDER);
		CHECK(pages[n] != NULL);
		if (!pages[n])
			break;
		memset(page_address(pages[n]), 0x5a, PAGE_SIZE << ORDER);
	}
	high = rss_bytes();
	CHECK(high - base >= 250 * MiB);
	for_each_populated_zone(zone)		/* no pass due from the boot's own frees */
		zone->reporting_due = 0;
	start = arch_jiffies();
	for (i = 0; i < n - 2; i += 2)
		__free_pages(pages[i], ORDER);
	CHECK_EQ(total_reported(), 0);			/* within the delay */
	for_each_populated_zone(zone) {
		if (!zone->reporting_due)
			continue;
		due++;
		/* Due delay_ms after the first free, not sooner. */
		CHECK((long)(zone->reporting_due - start) >= (long)(ORDER_5_DELAY_MS * HZ / 1000));
		zone->reporting_due = (arch_jiffies() - 1) | 1;	/* the delay is over */
	}
	CHECK(due > 0);
	__free_pages(pages[i], ORDER);			/* runs the pass */
	half = rss_bytes();
	CHECK(total_reported() > 0);
	CHECK(high - half >= 100 * MiB);
	check_census();
	for (i = 1; i < n; i += 2)
		__free_pages(pages[i], ORDER);
	drain_all_pages(NULL);
	low = rss_bytes();
	CHECK(low - base <= 32 * MiB);
	CHECK_EQ(nr_free_pages(), free_before);
	check_census();
	/* Reported blocks of every order come back as ordinary memory. */
	for (i = 0; i < n; i++) {
		pages[i] = alloc_pages(GFP_KERNEL, i % 2 ? ORDER : 0);
		CHECK(pages[i] != NULL);
		memset(page_address(pages[i]), 0x11, PAGE_SIZE << (i % 2 ? ORDER : 0));
	}
	check_census();
	for (i = 0; i < n; i++)
		__free_pages(pages[i], i % 2 ? ORDER : 0);
	drain_all_pages(NULL);
	CHECK_EQ(nr_free_pages(), free_before);
	check_census();
}

static void case_order_5(void)
{
	order_5("mem=2G page_reporting.page_reporting_order=5 page_reporting.delay_ms=3600000");
}

static void case_order_5_unmap(void)
{
	order_5("mem=2G page_reporting.page_reporting_order=5 page_reporting.delay_ms=3600000 "
		"page_reporting.unmap=1");
}

/*
 * A block handed back shares a word of the "linear map is shared" bitmap
 * with pages that are still vmapped: reporting it must leave their bits
 * alone, or fork() stops giving the child its own copy of those pages (the
 * child's write through the linear map would reach the parent).
 */
static void case_vmap_neighbour(void)
{
	struct page *pages[64], *trigger;
	volatile char *v;
	int i, status = 0, pipefd[2];
	pid_t pid;

	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=2G page_reporting.page_reporting_order=5 "
			    "page_reporting.delay_ms=0 page_reporting.keep=0"), 0);
	pages[0] = alloc_pages(GFP_KERNEL, 6);
	trigger = alloc_pages(GFP_KERNEL, 5);
	CHECK(pages[0] != NULL && trigger != NULL);
	if (!pages[0] || !trigger)
		return;
	split_page(pages[0], 6);
	for (i = 1; i < 64; i++)
		pages[i] = pages[0] + i;
	v = vmap(&pages[32], 32, VM_MAP, PAGE_KERNEL);
	CHECK(v != NULL);
	if (!v)
		return;
	memset((char *)v, 'A', 32 * PAGE_SIZE);
	memset(page_address(pages[0]), 'x', 32 * PAGE_SIZE);
	for (i = 0; i < 32; i++)
		__free_page(pages[i]);
	drain_all_pages(NULL);
	ktest_sleep_ms(5);
	__free_pages(trigger, 5);		/* the pass is due: it reports the first half */
	drain_all_pages(NULL);
	CHECK(PageReported(pages[0]));
	CHECK(pipe(pipefd) == 0);
	pid = fork();
	if (pid == 0) {
		/* Write through both addresses, then let the parent look. */
		close(pipefd[0]);
		((volatile char *)page_address(pages[40]))[0] = 'C';
		v[9 * PAGE_SIZE] = 'D';
		_exit(write(pipefd[1], "x", 1) == 1 ? 0 : 1);
	}
	close(pipefd[1]);
	{
		char c;

		CHECK(read(pipefd[0], &c, 1) == 1);
	}
	close(pipefd[0]);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(((volatile char *)page_address(pages[40]))[0], 'A');
	CHECK_EQ(v[8 * PAGE_SIZE], 'A');
	CHECK_EQ(((volatile char *)page_address(pages[41]))[0], 'A');
	CHECK_EQ(v[9 * PAGE_SIZE], 'A');
	vunmap((void *)v);
	for (i = 32; i < 64; i++)
		__free_page(pages[i]);
	check_census();
}

/*
 * Reporting a block at the host's map limit: replacing its linear range
 * splits a mapping, which the host refuses.  Pages whose linear address
 * maps the physical memory file then stay file-backed, and fork() must go
 * on giving the child its own copy of them.
 */
#define MAX_FILL	(1 << 20)
static void *fill[MAX_FILL];

static void case_report_at_map_limit(void)
{
	struct page *pages[64], *trigger;
	int i, n = 0, status = 0, pipefd[2];
	volatile char *lin;
	void *v;
	pid_t pid;

	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=2G page_reporting.page_reporting_order=5 "
			    "page_reporting.delay_ms=0 page_reporting.keep=0"), 0);
	ukmem_install_atfork();
	pages[0] = alloc_pages(GFP_KERNEL, 6);
	trigger = alloc_pages(GFP_KERNEL, 5);
	CHECK(pages[0] != NULL && trigger != NULL);
	if (!pages[0] || !trigger)
		return;
	split_page(pages[0], 6);
	for (i = 1; i < 64; i++)
		pages[i] = pages[0] + i;
	/* Pages 16..47 file-backed: the reported half [0, 32) straddles that. */
	v = vmap(&pages[16], 32, VM_MAP, PAGE_KERNEL);
	CHECK(v != NULL);
	if (!v)
		return;
	vunmap(v);
	/* The host's mappings used up first: then the first half goes back. */
	while (n < MAX_FILL) {
		void *m = mmap(NULL, PAGE_SIZE, (n & 1) ? PROT_READ : PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED)
			break;
		fill[n++] = m;
	}
	for (i = 0; i < 32; i++)
		__free_page(pages[i]);
	drain_all_pages(NULL);
	ktest_sleep_ms(5);
	__free_pages(trigger, 5);		/* the pass is due: it reports [0, 32) */
	drain_all_pages(NULL);
	CHECK(PageReported(pages[0]));
	while (n > 0)
		munmap(fill[--n], PAGE_SIZE);
	lin = page_address(pages[20]);
	lin[0] = 'P';
	CHECK(pipe(pipefd) == 0);
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		lin[0] = 'C';
		_exit(write(pipefd[1], "x", 1) == 1 ? 0 : 1);
	}
	close(pipefd[1]);
	{
		char c;

		CHECK(read(pipefd[0], &c, 1) == 1);
	}
	close(pipefd[0]);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(lin[0], 'P');			/* the child's write stayed in the child */
	for (i = 32; i < 64; i++)
		__free_page(pages[i]);
	check_census();
}

/* Every case boots its own machine: one child each. */
KTEST_CHILD_CASE(case_default_keep)
KTEST_CHILD_CASE(case_keep_16)
KTEST_CHILD_CASE(case_unmap)
KTEST_CHILD_CASE(case_default_adapts)
KTEST_CHILD_CASE(case_swing_adapts)
KTEST_CHILD_CASE(case_swing_fixed_keep)
KTEST_CHILD_CASE(case_order_5)
KTEST_CHILD_CASE(case_order_5_unmap)
KTEST_CHILD_CASE(case_vmap_neighbour)
KTEST_CHILD_CASE(case_report_at_map_limit)

int main(void)
{
	KTEST_RUN(KTEST(child_case_default_keep), KTEST(child_case_keep_16),
		  KTEST(child_case_unmap), KTEST(child_case_default_adapts),
		  KTEST(child_case_swing_adapts), KTEST(child_case_swing_fixed_keep),
		  KTEST(child_case_order_5),
		  KTEST(child_case_order_5_unmap), KTEST(child_case_vmap_neighbour),
		  KTEST(child_case_report_at_map_limit));
}
