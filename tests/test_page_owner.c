/* SPDX-License-Identifier: MIT */
/*
 * page_owner (mm/page_owner.c, page_owner=on) and the stack depot
 * (lib/stackdepot.c), as the kernel's behave: the page_owner report
 * lists each allocated block once, with its order, gfp mask, task and
 * stack, and not after it is freed; show_stacks sums the pages per
 * allocation stack; dump_page() says whether the record has the page as
 * allocated or freed, with both stacks, or that it never had one;
 * split_page() makes each page its own order-0 record; threads
 * allocating while the report is read; off by default.  The depot keeps
 * a trace once: the same trace, the same handle.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/stackdepot.h>
#include <linux/stacktrace.h>
#include <ukmem/context.h>
#include <ukmem/debug.h>
#include <ukmem/report.h>
#include "mm/internal.h"
#include "ktest_boot.h"
#include "slab_test.h"

/* Lines of @log that start with @prefix (after the printk timestamp, if any). */
static int count_lines_starting(const char *log, const char *prefix)
{
	int n = 0;

	for (const char *line = log; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *text = line;

		if (*text == '[') {
			const char *close = strchr(text, ']');

			if (close)
				text = close + 2;
		}
		if (!strncmp(text, prefix, strlen(prefix)))
			n++;
	}
	return n;
}

static char report[1 << 22];

static const char *show(const char *name, int *ret)
{
	FILE *f;

	memset(report, 0, sizeof(report));
	f = fmemopen(report, sizeof(report) - 1, "w");
	*ret = ukmem_show(name, f);
	fclose(f);
	return report;
}

/* The report's record of the block at @pfn (up to its blank line), or NULL. */
static char *record_of(const char *log, unsigned long pfn)
{
	static char rec[4096];
	char key[64];
	const char *at, *start, *end;

	snprintf(key, sizeof(key), "PFN %#lx type", pfn);
	at = strstr(log, key);
	if (!at)
		return NULL;
	for (start = at; start > log && !(start[-1] == '\n' && start[-2] == '\n'); start--)
		;
	end = strstr(at, "\n\n");
	snprintf(rec, sizeof(rec), "%.*s", (int)((end ? end : at + strlen(at)) - start), start);
	return rec;
}

/* @fn in a child booted with page_owner=on. */
static void owner_child(void (*fn)(void *cmdline))
{
	static const char *const lines[] = { "page_owner=on" };

	run_cmdlines(fn, lines, 1);
}

/* The page_owner report now, and the record of the block at @page in it (checked present). */
static char *shown_record(const struct page *page, const char **log)
{
	int ret;
	char *rec;

	*log = show("page_owner", &ret);
	CHECK_EQ(ret, 0);
	rec = record_of(*log, page_to_pfn(page));
	CHECK(rec != NULL);
	return rec;
}

static __attribute__((noipa)) struct page *owner_alloc_site(unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL, order);

	barrier();
	return page;
}

static __attribute__((noipa)) struct page *owner_late_site(void)
{
	struct page *page = alloc_page(GFP_KERNEL);

	barrier();
	return page;
}

static __attribute__((noipa)) void owner_free_site(struct page *page, unsigned int order)
{
	__free_pages(page, order);
	barrier();
}

static volatile int nr_blocks = 3, nr_saves = 2;

static void report_and_dump(void *arg)
{
	struct page *a, *b[3];
	char want[160], *rec;
	const char *log;
	int ret, i;

	child_boot("mem=64M loglevel=0", arg);
	a = owner_alloc_site(2);
	log = show("page_owner", &ret);
	CHECK_EQ(ret, 0);
	rec = record_of(log, page_to_pfn(a));
	CHECK(rec != NULL);
	if (rec) {
		snprintf(want, sizeof(want),
			 "Page allocated via order 2, mask 0xcc0(GFP_KERNEL), pid %d, tgid %d (",
			 (int)gettid(), (int)getpid());
		CHECK_STR_CONTAINS(rec, want);
		CHECK_STR_CONTAINS(rec, " ns\nPFN ");
		CHECK_STR_CONTAINS(rec, "type Unmovable Block ");
		CHECK_STR_CONTAINS(rec, "\n owner_alloc_site+0x");
	}
	/* Only the block's first page is listed. */
	CHECK(record_of(log, page_to_pfn(a) + 1) == NULL);

	/* dump_page(): the record's view of an allocated page. */
	ukmem_dmesg_clear();
	dump_page(a + 1, "test");
	log = ktest_dmesg_now();
	/* v6.8+'s lines: no page address; a compound page's folio line. */
	CHECK_STR_CONTAINS(log, "page: refcount:");
	CHECK(strstr(log, "page:0") == NULL);
	CHECK_STR_CONTAINS(log, "page dumped because: test\n");
	CHECK_STR_CONTAINS(log, "page_owner tracks the page as allocated\n");
	{
		struct page *folio_page = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);

		CHECK(folio_page != NULL);
		if (folio_page) {
			ukmem_dmesg_clear();
			dump_page(folio_page + 1, NULL);
			CHECK_STR_CONTAINS(ktest_dmesg_now(), "head: order:2 mapcount:0 entire_mapcount:0 "
					   "nr_pages_mapped:0 pincount:0\n");
			/* __dump_folio(): two struct pages of "head: " lines, 32 bytes a line. */
			CHECK_EQ(count_lines_starting(ktest_dmesg_now(), "head: ") - 1,
				 (int)(2 * sizeof(struct page) / 32));
			ukmem_dmesg_clear();
			dump_page(folio_page, NULL);	/* the head page too */
			CHECK_EQ(count_lines_starting(ktest_dmesg_now(), "head: ") - 1,
				 (int)(2 * sizeof(struct page) / 32));
			__free_pages(folio_page, 2);
		}
		ukmem_dmesg_clear();
		dump_page(a + 1, "test");
		log = ktest_dmesg_now();
	}
	CHECK_STR_CONTAINS(log, "page last allocated via order 2, migratetype Unmovable, gfp_mask 0xcc0(GFP_KERNEL), pid ");
	CHECK_STR_CONTAINS(log, "owner_alloc_site+0x");
	CHECK_STR_CONTAINS(log, "page_owner free stack trace missing\n");

	owner_free_site(a, 2);
	log = show("page_owner", &ret);
	CHECK(record_of(log, page_to_pfn(a)) == NULL);
	ukmem_dmesg_clear();
	dump_page(a, "test");
	log = ktest_dmesg_now();
	CHECK_STR_CONTAINS(log, "page_owner tracks the page as freed\n");
	snprintf(want, sizeof(want), "page last free pid %d tgid %d stack trace:\n",
		 (int)gettid(), (int)getpid());
	CHECK_STR_CONTAINS(log, want);
	CHECK_STR_CONTAINS(log, "owner_free_site+0x");

	/* A page never allocated since boot (the last page of RAM, most likely). */
	ukmem_dmesg_clear();
	dump_page(pfn_to_page(ukmem_ram_pfns - 1), NULL);
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "page_owner info is not present (never set?)\n");

	/* show_stacks: three order-2 blocks from one stack are 12 base pages. */
#pragma GCC unroll 1
	for (i = 0; i < nr_blocks; i++)
		b[i] = owner_alloc_site(2);
	log = show("page_owner_stacks/show_stacks", &ret);
	CHECK_EQ(ret, 0);
	{
		const char *site = strstr(log, " owner_alloc_site+0x");
		const char *count = site ? strstr(site, "nr_base_pages: ") : NULL;
		int pages = count ? atoi(count + 15) : -1;

		CHECK_EQ(pages, 12);
		/* One stack: no other one names the site. */
		CHECK(!site || !strstr(site + 1, " owner_alloc_site+0x"));
	}
	/* Newest stack first, as the kernel's stack_list: a new site is listed above. */
	{
		struct page *late = owner_late_site();
		const char *first, *old_site;

		CHECK(late != NULL);
		log = show("page_owner_stacks/show_stacks", &ret);
		first = strstr(log, " owner_late_site+0x");
		old_site = strstr(log, " owner_alloc_site+0x");
		CHECK(first && old_site && first < old_site);
		if (late)
			__free_page(late);
	}
	/* split_page(): four order-0 records. */
	split_page(b[0], 2);
	log = show("page_owner", &ret);
	for (i = 0; i < 4; i++) {
		rec = record_of(log, page_to_pfn(b[0]) + (unsigned long)i);
		CHECK(rec != NULL);
		if (rec)
			CHECK_STR_CONTAINS(rec, "Page allocated via order 0,");
	}
	for (i = 0; i < 4; i++)
		__free_page(b[0] + i);
	owner_free_site(b[1], 2);
	owner_free_site(b[2], 2);
}

static void test_report_and_dump(void)
{
	static const char *const lines[] = { "page_owner=on", "page_owner=1 numa=fake=2 highmem" };

	run_cmdlines(report_and_dump, lines, ARRAY_SIZE(lines));
}

static void *churn(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 3000; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, (unsigned int)(i % 4));

		if (p)
			__free_pages(p, (unsigned int)(i % 4));
	}
	return NULL;
}

static void threads(void *arg)
{
	struct page *held[64];
	pthread_t t[3];
	int i, ret;

	child_boot("mem=64M loglevel=0", arg);
	for (i = 0; i < 3; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, churn, NULL), 0);
	for (i = 0; i < 20; i++) {
		show("page_owner", &ret);
		CHECK_EQ(ret, 0);
		show("page_owner_stacks/show_stacks", &ret);
	}
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	CHECK(!strstr(ktest_dmesg_now(), "BUG"));
	/*
	 * Quiet now: two readers at once read what one reader alone does
	 * (both reports formatted through one static buffer, and mixed their
	 * readers' records).
	 */
	for (i = 0; i < 64; i++)
		held[i] = alloc_pages(GFP_KERNEL, (unsigned int)(i % 3));
	CHECK_EQ(ktest_readers_differ("page_owner", 2, 100), 0);
	CHECK_EQ(ktest_readers_differ("page_owner_stacks/show_stacks", 2, 100), 0);
	for (i = 0; i < 64; i++)
		if (held[i])
			__free_pages(held[i], (unsigned int)(i % 3));
}

static void test_threads(void)
{
	owner_child(threads);
}

/*
 * A compound block above the largest buddy order (alloc_contig_frozen_pages()
 * with __GFP_COMP, as gigantic pages are made) is one record of its
 * order, listed once at its first page as the kernel's read_page_owner()
 * lists it, and counted whole by show_stacks.
 */
static void contig_compound(void *arg)
{
	unsigned long nr = 2 * MAX_ORDER_NR_PAGES;
	unsigned int order = MAX_PAGE_ORDER + 1;
	char want[64], *rec;
	const char *log;
	struct page *page;
	int ret;

	child_boot("mem=64M loglevel=0", arg);
	page = alloc_contig_frozen_pages(nr, GFP_KERNEL | __GFP_COMP, 0, NULL);
	CHECK(page != NULL);
	if (!page)
		return;
	rec = shown_record(page, &log);
	snprintf(want, sizeof(want), "Page allocated via order %u,", order);
	if (rec)
		CHECK_STR_CONTAINS(rec, want);
	CHECK(record_of(log, page_to_pfn(page) + 1) == NULL);
	free_contig_frozen_range(page_to_pfn(page), nr);
	log = show("page_owner", &ret);
	CHECK(record_of(log, page_to_pfn(page)) == NULL);
}

static void test_contig_compound(void)
{
	owner_child(contig_compound);
}

/* The "Number of mixed blocks" row of @zone_name in a pagetypeinfo text, type @mt. */
static long mixed_count(const char *log, const char *zone_name, int mt)
{
	const char *table = strstr(log, "Number of mixed blocks ");
	char key[64];
	const char *row;
	long v = -1;
	int i;

	if (!table)
		return -1;
	snprintf(key, sizeof(key), "zone %8s ", zone_name);
	row = strstr(table, key);
	if (!row)
		return -1;
	row += strlen(key);
	for (i = 0; i <= mt; i++)
		v = strtol(row, (char **)&row, 10);
	return v;
}

/*
 * pagetypeinfo under page_owner: the kernel's "Number of mixed blocks"
 * table, a pageblock counted for its type when it holds a block allocated
 * with another.  An unmovable page's block, made Movable, is one.
 */
static void mixed_blocks(void *arg)
{
	struct page *page;
	const char *log;
	long before;
	int ret, old_mt;

	child_boot("mem=64M loglevel=0", arg);
	page = alloc_page(GFP_KERNEL);
	CHECK(page != NULL);
	if (!page)
		return;
	log = show("pagetypeinfo", &ret);
	CHECK_EQ(ret, 0);
	CHECK_STR_CONTAINS(log, "\nNumber of mixed blocks    Unmovable      Movable  Reclaimable");
	before = mixed_count(log, page_zone(page)->name, MIGRATE_MOVABLE);
	CHECK(before >= 0);
	old_mt = get_pageblock_migratetype(page);
	CHECK_EQ(old_mt, MIGRATE_UNMOVABLE);
	set_pageblock_migratetype(page, MIGRATE_MOVABLE);
	log = show("pagetypeinfo", &ret);
	CHECK_EQ(mixed_count(log, page_zone(page)->name, MIGRATE_MOVABLE), before + 1);
	set_pageblock_migratetype(page, old_mt);
	__free_page(page);
}

static void test_mixed_blocks(void)
{
	owner_child(mixed_blocks);
}

/*
 * More distinct allocation stacks than show_stacks' first table holds
 * (65536): 4^9 paths of nine levels, each level one of four call sites,
 * one page from each of 70000 of them.  Every stack is listed once, with
 * its one page.
 */
#define PATHS_LEVELS	9
#define PATHS_PAGES	70000UL
static struct page **path_pages;

static volatile int path_sink;

/* One frame a level, four call sites each (told apart by what surrounds them). */
static __attribute__((noipa)) void path_level(unsigned long i, unsigned long code, int level)
{
	if (level == PATHS_LEVELS) {
		path_pages[i] = alloc_page(GFP_KERNEL | __GFP_NOWARN);
		path_sink++;
		return;
	}
	switch (code & 3) {
	case 0:
		__asm__ volatile("# call site 0" ::: "memory");
		path_level(i, code >> 2, level + 1);
		path_sink += 1;
		break;
	case 1:
		__asm__ volatile("# call site 1" ::: "memory");
		path_level(i, code >> 2, level + 1);
		path_sink += 2;
		break;
	case 2:
		__asm__ volatile("# call site 2" ::: "memory");
		path_level(i, code >> 2, level + 1);
		path_sink += 3;
		break;
	default:
		__asm__ volatile("# call site 3" ::: "memory");
		path_level(i, code >> 2, level + 1);
		path_sink += 4;
		break;
	}
}

static void many_stacks(void *arg)
{
	unsigned long i, stacks = 0, pages = 0;
	bool in_paths = false;
	const char *at;
	char *log;

	child_boot("mem=512M loglevel=0", arg);
	path_pages = kvcalloc(PATHS_PAGES, sizeof(*path_pages), GFP_KERNEL);
	CHECK(path_pages != NULL);
	if (!path_pages)
		return;
	for (i = 0; i < PATHS_PAGES; i++) {
		path_level(i, i, 0);
		CHECK(path_pages[i] != NULL);
		if (!(i % 4096))
			ktest_progress();
	}
	log = report_text("page_owner_stacks/show_stacks");
	CHECK(log != NULL);
	if (!log)
		return;
	/* Line by line (a strstr() per stack is quadratic under TSan's interceptor). */
	for (at = log; *at; ) {
		const char *eol = strchr(at, '\n');

		if (!strncmp(at, " path_level+0x", 14)) {
			in_paths = true;
		} else if (!strncmp(at, "nr_base_pages: ", 15)) {
			if (in_paths) {
				stacks++;
				pages += strtoul(at + 15, NULL, 10);
			}
			in_paths = false;
		}
		if (!eol)
			break;
		at = eol + 1;
	}
	CHECK(stacks >= PATHS_PAGES);
	CHECK(pages >= PATHS_PAGES);
	free(log);
	for (i = 0; i < PATHS_PAGES; i++)
		if (path_pages[i])
			__free_page(path_pages[i]);
	kvfree(path_pages);
}

static void test_many_stacks(void)
{
	owner_child(many_stacks);
}

/*
 * A page whose stack the depot refused is still reported, with the
 * kernel's placeholder "register_failure_stack" for a stack.
 */
static void depot_full(void *arg)
{
	const char *log, *rec;
	struct page *page;

	child_boot("mem=64M loglevel=0", arg);
	CHECK(stack_depot_fill());
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "Stack depot reached limit capacity");
	page = alloc_page(GFP_KERNEL);
	CHECK(page != NULL);
	if (!page)
		return;
	rec = shown_record(page, &log);
	if (rec)
		CHECK_STR_CONTAINS(rec, "\n register_failure_stack+0x0/");
	ukmem_dmesg_clear();
	dump_page(page, NULL);
	CHECK_STR_CONTAINS(ktest_dmesg_now(), " register_failure_stack+0x0/");
	__free_page(page);
}

static void test_depot_full(void)
{
	owner_child(depot_full);
}

/*
 * The kernel's flags and extra bits: STACK_DEPOT_FLAG_GET counts,
 * stack_depot_put() uncounts (below zero: the refcount's warning), a
 * record saved without GET is never counted, no CAN_ALLOC maps nothing
 * new, and a handle's top bits are its user's.
 */
static unsigned long counted_trace[2] = { 0x51000, 0x52000 };

/* Counts taken and dropped from several threads at once: none lost. */
static void *get_put(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < 20000; i++)
		stack_depot_put(stack_depot_save_flags(counted_trace, 2, GFP_KERNEL,
						       STACK_DEPOT_FLAG_CAN_ALLOC |
						       STACK_DEPOT_FLAG_GET));
	return NULL;
}

static void depot_flags(void *arg)
{
	unsigned long *a = counted_trace, b[2] = { 0x53000, 0x54000 }, *got;
	depot_stack_handle_t h, hb, x;

	/*
	 * Nothing in this process has used the depot yet (the tests that do
	 * run in children, or after this one): without CAN_ALLOC, no memory.
	 */
	CHECK_EQ(stack_depot_save_flags(a, 2, GFP_KERNEL, 0), 0);
	child_boot("mem=64M loglevel=4", arg);
	h = stack_depot_save_flags(a, 2, GFP_KERNEL, STACK_DEPOT_FLAG_CAN_ALLOC | STACK_DEPOT_FLAG_GET);
	CHECK(h != 0);
	CHECK_EQ(stack_depot_save_flags(a, 2, GFP_KERNEL, STACK_DEPOT_FLAG_GET), h);
	/* Four threads taking and dropping counts at once: none lost, so two are left. */
	{
		pthread_t t[4];
		int i;

		for (i = 0; i < 4; i++)
			CHECK_EQ(pthread_create(&t[i], NULL, get_put, NULL), 0);
		for (i = 0; i < 4; i++)
			pthread_join(t[i], NULL);
	}
	ukmem_dmesg_clear();
	stack_depot_put(h);
	stack_depot_put(h);
	CHECK(!strstr(ktest_dmesg_now(), "refcount_t"));
	stack_depot_put(h);	/* one put too many */
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "refcount_t: underflow; use-after-free.");
	/* Counted again by the next save: its handle and frames unchanged. */
	CHECK_EQ(stack_depot_save_flags(a, 2, GFP_KERNEL, STACK_DEPOT_FLAG_GET), h);
	CHECK_EQ(stack_depot_fetch(h, &got), 2);
	CHECK(got && got[1] == a[1]);
	/* Saved without GET: puts change nothing and say nothing. */
	hb = stack_depot_save(b, 2, GFP_KERNEL);
	CHECK(hb != 0 && hb != h);
	ukmem_dmesg_clear();
	stack_depot_put(hb);
	stack_depot_put(hb);
	stack_depot_put(0);
	CHECK(!strstr(ktest_dmesg_now(), "refcount_t"));
	CHECK_EQ(stack_depot_fetch(hb, &got), 2);
	/* Extra bits: kept, and ignored by every reader. */
	CHECK_EQ(stack_depot_set_extra_bits(0, 3), 0);
	x = stack_depot_set_extra_bits(h, 0x15);
	CHECK(x != h);
	CHECK_EQ(stack_depot_get_extra_bits(x), 0x15);
	CHECK_EQ(stack_depot_get_extra_bits(stack_depot_set_extra_bits(x, 2)), 2);
	CHECK_EQ(stack_depot_get_extra_bits(stack_depot_set_extra_bits(h, 0x3f)), 0x1f);
	CHECK_EQ(stack_depot_get_extra_bits(h), 0);
	CHECK_EQ(stack_depot_fetch(x, &got), 2);
	CHECK(got && got[0] == a[0]);
	/* Unknown flags: refused. */
	CHECK_EQ(stack_depot_save_flags(a, 2, GFP_KERNEL, 4), 0);
	/* A full depot still finds what it holds, CAN_ALLOC or not. */
	CHECK(stack_depot_fill());
	CHECK_EQ(stack_depot_save_flags(a, 2, GFP_KERNEL, 0), h);
}

static void test_depot_flags(void)
{
	static const char *const lines[] = { "" };

	run_cmdlines(depot_flags, lines, 1);
}

/*
 * A ukmem_sigaction() handler (interrupt context) allocating pages while
 * the thread it interrupts saves stacks into the depot, so that some
 * signals land while that thread holds the depot's lock: the handler's
 * save is only tried, its page records register_failure_stack then, and
 * nothing waits for ever (a hang is the harness's to find).
 */
static volatile long handler_pages;

static void handler_alloc(int sig)
{
	struct page *page = alloc_page(GFP_ATOMIC);

	(void)sig;
	if (page) {
		handler_pages++;
		__free_page(page);
	}
}

static void *signal_sender(void *arg)
{
	pthread_t target = *(pthread_t *)arg;
	int i;

	for (i = 0; i < 3000; i++) {
		pthread_kill(target, SIGUSR1);
		if (!(i % 64))
			sched_yield();
	}
	return NULL;
}

static void depot_in_handler(void *arg)
{
	struct sigaction sa = { .sa_handler = handler_alloc };
	pthread_t self = pthread_self(), sender;
	unsigned long fake[8] = { 0 }, i;
	struct page *page;

	child_boot("mem=64M loglevel=0", arg);
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(ukmem_sigaction(SIGUSR1, &sa, NULL), 0);
	CHECK_EQ(pthread_create(&sender, NULL, signal_sender, &self), 0);
	for (i = 1; i < 200000; i++) {
		fake[0] = i << 4;
		stack_depot_save(fake, ARRAY_SIZE(fake), GFP_KERNEL);
		if (!(i % 16)) {
			page = alloc_page(GFP_KERNEL);
			CHECK(page != NULL);
			if (page)
				__free_page(page);
		}
	}
	pthread_join(sender, NULL);
	signal(SIGUSR1, SIG_IGN);
	CHECK(handler_pages > 0);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
	page = alloc_page(GFP_KERNEL);
	CHECK(page != NULL);
	if (page) {
		const char *log, *rec = shown_record(page, &log);

		if (rec)
			CHECK_STR_CONTAINS(rec, "\n depot_in_handler+0x");
		__free_page(page);
	}
}

static void test_depot_in_handler(void)
{
	owner_child(depot_in_handler);
}

static void off(void *arg)
{
	int ret;

	child_boot("mem=64M loglevel=0", arg);
	show("page_owner", &ret);
	CHECK_EQ(ret, -ENOENT);
	ukmem_dmesg_clear();
	dump_page(alloc_page(GFP_KERNEL), NULL);
	CHECK(!strstr(ktest_dmesg_now(), "page_owner"));
}

static void test_off_by_default(void)
{
	static const char *const lines[] = { "page_owner=off" };

	run_cmdlines(off, lines, 1);
}

static __attribute__((noipa)) depot_stack_handle_t save_here(void)
{
	unsigned long entries[16];
	unsigned int n = stack_trace_save(entries, 16, 0);

	return stack_depot_save(entries, n, GFP_KERNEL);
}

static void test_stack_depot(void)
{
	unsigned long fake[3] = { 0x1000, 0x2000, 0x3000 }, *got;
	depot_stack_handle_t h1, h2, h3;
	char buf[512];
	int i;

	CHECK(ktest_boot_quietly("mem=32M"));
	h1 = stack_depot_save(fake, 3, GFP_KERNEL);
	CHECK(h1 != 0);
	CHECK_EQ(stack_depot_save(fake, 3, GFP_KERNEL), h1);	/* kept once */
	CHECK(stack_depot_save(fake, 2, GFP_KERNEL) != h1);
	fake[2] = 0x4000;
	h2 = stack_depot_save(fake, 3, GFP_KERNEL);
	CHECK(h2 != 0 && h2 != h1);
	CHECK_EQ(stack_depot_fetch(h1, &got), 3);
	CHECK_EQ(got[2], 0x3000);
	CHECK_EQ(stack_depot_fetch(0, &got), 0);
	CHECK(got == NULL);
	CHECK_EQ(stack_depot_save(fake, 0, GFP_KERNEL), 0);
	/*
	 * A handle from corrupted memory naming a place inside a record (a
	 * track overwritten by an overflow) is refused, not read as one.
	 */
	ukmem_dmesg_clear();
	CHECK_EQ(stack_depot_fetch(h1 + 1, &got), 0);
	CHECK(got == NULL);
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "stack_depot_fetch: corrupt handle");
	CHECK_EQ(stack_depot_fetch(0xffff0000u | 7, &got), 0);
	/* Traces are cut to the kernel's 64 frames. */
	{
		static unsigned long many[100];

		for (i = 0; i < 100; i++)
			many[i] = 0x10000 + (unsigned long)i * 16;
		CHECK_EQ(stack_depot_fetch(stack_depot_save(many, 100, GFP_KERNEL), &got), 64);
	}
	/* A real trace: the same call site, the same handle; printed " %pS". */
	h3 = 0;
#pragma GCC unroll 1
	for (i = 0; i < nr_saves; i++) {
		depot_stack_handle_t h = save_here();

		CHECK(h != 0);
		CHECK(!h3 || h == h3);
		h3 = h;
	}
	CHECK(stack_depot_snprint(h3, buf, sizeof(buf), 0) > 0);
	CHECK(!strncmp(buf, " save_here+0x", 13));
	CHECK(stack_depot_snprint(h3, buf, sizeof(buf), 2) > 0);
	CHECK(!strncmp(buf, "   save_here+0x", 15));
	{
		/*
		 * The kernel's count: a cut trace says how long it would
		 * have been, so the caller sees it did not fit.
		 */
		int whole = stack_depot_snprint(h3, buf, sizeof(buf), 0);
		char small[8];

		CHECK(whole < (int)sizeof(buf));
		CHECK_EQ((long)strlen(buf), whole);
		CHECK(stack_depot_snprint(h3, small, sizeof(small), 0) >= (int)sizeof(small));
		CHECK_EQ(strlen(small), sizeof(small) - 1);
		CHECK(!strncmp(small, " save_h", 7));
		CHECK_EQ(stack_depot_snprint(h3, small, 0, 0), 0);
	}
	ukmem_dmesg_clear();
	stack_depot_print(h3);
	CHECK_STR_CONTAINS(ktest_dmesg_now(), " save_here+0x");
}

int main(void)
{
	KTEST_RUN(KTEST(test_report_and_dump), KTEST(test_threads), KTEST(test_off_by_default),
		  KTEST(test_contig_compound), KTEST(test_mixed_blocks), KTEST(test_many_stacks), KTEST(test_depot_full),
		  KTEST(test_depot_flags), KTEST(test_depot_in_handler),
		  /* Last: it uses the depot in this process, which boots it. */
		  KTEST(test_stack_depot));
}
