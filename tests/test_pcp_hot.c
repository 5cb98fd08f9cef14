/* SPDX-License-Identifier: MIT */
/*
 * The per-CPU stacks of order-0 pages in front of the pcp lists
 * (mm/page_alloc_hot.c): a freed page is the next one allocated on its
 * CPU, stack pages count as pcp pages (not free, in each pageset's
 * "count:" of /proc/zoneinfo)
 * and every drain gives them back, from this thread or another; the
 * migratetypes keep apart; the low watermark refuses an allocation even
 * with pages on the stack, as it does with pages on the lists; a fork
 * child allocates from what it inherited; threads allocating and freeing
 * while another drains never get one page twice, and leave the census
 * exact; pcp_rseq=0 leaves the stacks unused; four threads whose first
 * call is alloc_page() boot the machine once and get four pages.
 *
 * Each case boots its own machine in a child (ktest_child).  Where the
 * host has no restartable sequences for ukmem (ThreadSanitizer builds,
 * old kernels), the cases that need the stacks are skipped.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include <ukmem/sysctl.h>
#include "mm/internal.h"
#include "mm/pcp_hot.h"
#include "ktest.h"

#define BASE_CMDLINE	"mem=256M kfence.sample_interval=0 kswapd=off"

static void boot_child(const char *extra)
{
	char line[256];

	snprintf(line, sizeof(line), "%s %s", BASE_CMDLINE, extra);
	ukmem_set_console(fopen("/dev/null", "w"));
	if (ukmem_boot(line))
		_exit(3);
}

/* Run @fn in a child booted with @extra; a failure counts here. */
static void in_child(void (*fn)(void *), const char *extra)
{
	int status = ktest_child(fn, (void *)extra);

	if (ktest_exited_with(status, KTEST_SKIP_CODE))
		KTEST_SKIP("skipped in its child");
	else
		CHECK(ktest_exited_with(status, 0));
}

static bool stacks_on(void)
{
	return data_race(pcp_hot.rseq) != 0;
}

static unsigned long stack_pages(struct zone *zone)
{
	unsigned long pages = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		pages += pcp_hot_count(zone, cpu);
	return pages;
}

static bool pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) == 0;
}

static int first_allowed_cpu(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set))
			return cpu;
	return 0;
}

/* The pagesets' "count:" lines of @zone in /proc/zoneinfo, summed; -1: no zone. */
static long zoneinfo_pcp_pages(const struct zone *zone)
{
	char *text = NULL, *p, *end, header[64];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	long sum = -1, n;

	if (!f)
		return -1;
	ukmem_show("zoneinfo", f);
	fclose(f);
	snprintf(header, sizeof(header), "Node %d, zone %8s", zone->node, zone->name);
	p = strstr(text, header);
	if (p) {
		p += strlen(header);
		end = strstr(p, "\nNode ");	/* the next zone's section, or the end */
		if (!end)
			end = p + strlen(p);
		sum = 0;
		while ((p = strstr(p, "count:")) != NULL && p < end) {
			if (sscanf(p, "count: %ld", &n) == 1)
				sum += n;
			p += 6;
		}
	}
	free(text);
	return sum;
}

static void check_census(void)
{
	struct ukmem_page_census c;

	CHECK_EQ(ukmem_check_page_allocator(&c), 0);
	CHECK_EQ(c.free + c.pcp + c.allocated, c.managed);
}

/*
 * Boot for a case that needs the stacks, pinned to one CPU: false (the
 * case skipped) where the host gives ukmem no restartable sequences.
 */
static bool boot_pinned(const char *extra)
{
	boot_child(extra);
	if (!stacks_on()) {
		KTEST_SKIP("no per-CPU page stacks here (no rseq for ukmem)");
		return false;
	}
	CHECK(pin_to_cpu(first_allowed_cpu()));
	return true;
}

/* @n pages allocated and freed onto this CPU's stack: their zone. */
static struct zone *fill_stack(int n)
{
	struct page *pages[PCP_HOT_CAPACITY];
	struct zone *zone;
	int i;

	for (i = 0; i < n; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	zone = page_zone(pages[0]);
	for (i = 0; i < n; i++)
		__free_page(pages[i]);
	CHECK(stack_pages(zone) >= (unsigned long)n);
	return zone;
}

/* ---- one CPU ---- */

static void reuse_child(void *arg)
{
	struct page *p, *q, *pages[5];
	struct zone *zone;
	unsigned long free_before, stack_before;
	int i;

	if (!boot_pinned(arg))
		return;
	p = alloc_page(GFP_KERNEL);
	CHECK(p != NULL);
	zone = page_zone(p);
	__free_page(p);
	q = alloc_page(GFP_KERNEL);
	CHECK(q == p);		/* last freed, first allocated */
	__free_page(q);

	/* Stack pages are pcp pages: not free, in the pageset's count. */
	for (i = 0; i < 5; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	free_before = zone_page_state(zone, NR_FREE_PAGES);
	stack_before = stack_pages(zone);
	CHECK(stack_before + 5 <= PCP_HOT_CAPACITY);
	for (i = 0; i < 5; i++)
		__free_page(pages[i]);
	CHECK_EQ(stack_pages(zone), stack_before + 5);
	CHECK_EQ(zone_page_state(zone, NR_FREE_PAGES), free_before);
	CHECK(zone_pcp_count(zone) >= stack_before + 5);
	/* /proc/zoneinfo's pagesets count them (the kernel's "count:" of each CPU). */
	CHECK_EQ(zoneinfo_pcp_pages(zone), (long)zone_pcp_count(zone));
	/* LIFO: the pages come back newest first. */
	for (i = 4; i >= 0; i--)
		CHECK(alloc_page(GFP_KERNEL) == pages[i]);
	for (i = 0; i < 5; i++)
		__free_page(pages[i]);
	check_census();
}

static void test_reuse_and_counts(void)
{
	in_child(reuse_child, "");
}

static void migratetype_child(void *arg)
{
	struct page *movable, *unmovable;

	if (!boot_pinned(arg))
		return;
	movable = alloc_page(GFP_HIGHUSER_MOVABLE);
	CHECK(movable != NULL);
	__free_page(movable);
	unmovable = alloc_page(GFP_KERNEL);
	CHECK(unmovable != NULL && unmovable != movable);
	CHECK(alloc_page(GFP_HIGHUSER_MOVABLE) == movable);
	CHECK_EQ(get_pageblock_migratetype(movable), MIGRATE_MOVABLE);
	CHECK(get_pageblock_migratetype(unmovable) != MIGRATE_MOVABLE);
	__free_page(movable);
	__free_page(unmovable);
	check_census();
}

static void test_migratetypes_apart(void)
{
	in_child(migratetype_child, "");
}

static void drain_child(void *arg)
{
	struct page *pages[64];
	struct zone *zone;
	unsigned long managed;
	int i;

	if (!boot_pinned(arg))
		return;
	for (i = 0; i < 64; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	zone = page_zone(pages[0]);
	managed = zone_managed_pages(zone);
	for (i = 0; i < 64; i++)
		__free_page(pages[i]);
	CHECK(stack_pages(zone) > 0);
	drain_local_pages(zone);
	CHECK_EQ(stack_pages(zone), 0);
	CHECK_EQ(zone_pcp_count(zone), 0);
	/* Everything not allocated is free again (nothing of ours is out). */
	CHECK(zone_page_state(zone, NR_FREE_PAGES) <= managed);
	check_census();

	for (i = 0; i < 64; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	for (i = 0; i < 64; i++)
		__free_page(pages[i]);
	drain_all_pages(NULL);
	CHECK_EQ(stack_pages(zone), 0);
	CHECK_EQ(zone_pcp_count(zone), 0);
	check_census();
}

static void test_drains(void)
{
	in_child(drain_child, "");
}

/* ---- another CPU drains ---- */

struct remote {
	struct zone *zone;
	int cpu;
	unsigned long seen_after;
};

static void *remote_drainer(void *arg)
{
	struct remote *r = arg;

	pin_to_cpu(r->cpu);
	drain_all_pages(r->zone);
	r->seen_after = stack_pages(r->zone);
	return NULL;
}

static void remote_child(void *arg)
{
	cpu_set_t set;
	struct remote r = { 0 };
	struct page *page;
	pthread_t t;
	int cpu, home = first_allowed_cpu(), other = -1;

	CHECK_EQ(sched_getaffinity(0, sizeof(set), &set), 0);
	for (cpu = home + 1; cpu < CPU_SETSIZE && other < 0; cpu++)
		if (CPU_ISSET(cpu, &set))
			other = cpu;
	if (other < 0) {
		KTEST_SKIP("one CPU: no other CPU to drain from");
		return;
	}
	if (!boot_pinned(arg))	/* on @home */
		return;
	r.zone = fill_stack(6);
	CHECK(pcp_hot_count(r.zone, (unsigned int)home) >= 6);
	r.cpu = other;
	CHECK_EQ(pthread_create(&t, NULL, remote_drainer, &r), 0);
	pthread_join(t, NULL);
	CHECK_EQ(r.seen_after, 0);
	CHECK_EQ(pcp_hot_count(r.zone, (unsigned int)home), 0);
	/* The stack works again after a remote owner let it go. */
	page = alloc_page(GFP_KERNEL);
	__free_page(page);
	CHECK(pcp_hot_count(r.zone, (unsigned int)home) >= 1);
	check_census();
}

static void test_remote_drain(void)
{
	in_child(remote_child, "");
}

/* ---- the watermark ---- */

static void watermark_child(void *arg)
{
	struct page *p;
	struct zone *zone;
	char value[32];

	if (!boot_pinned(arg))
		return;
	zone = fill_stack(6);
	/* Every zone's min mark above its free pages: nothing may be handed out. */
	snprintf(value, sizeof(value), "%lu", (totalram_pages() * 2) << (PAGE_SHIFT - 10));
	CHECK_EQ(ukmem_sysctl("vm.min_free_kbytes", value), 0);
	CHECK(zone_page_state(zone, NR_FREE_PAGES) < low_wmark_pages(zone));
	p = alloc_page(GFP_NOWAIT | __GFP_NOWARN);
	CHECK(p == NULL);
	CHECK(stack_pages(zone) >= 6);	/* still there: the watermark refused it */
	if (p)
		__free_page(p);
	CHECK_EQ(ukmem_sysctl("vm.min_free_kbytes", "1024"), 0);
	p = alloc_page(GFP_NOWAIT | __GFP_NOWARN);
	CHECK(p != NULL);
	if (p)
		__free_page(p);
	check_census();
}

static void test_watermark_before_stack(void)
{
	in_child(watermark_child, "");
}

/* ---- fork ---- */

static void fork_child_body(void *unused)
{
	struct page *pages[8];
	int i;

	for (i = 0; i < 8; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		CHECK(pages[i] != NULL);
		memset(page_address(pages[i]), 0x5a, PAGE_SIZE);
	}
	check_census();
	for (i = 0; i < 8; i++)
		__free_page(pages[i]);
	drain_all_pages(NULL);
	check_census();
}

static void fork_case(void *arg)
{
	if (!boot_pinned(arg))
		return;
	fill_stack(8);
	/* The fork child (watched for hangs as this one is) allocates from its copy. */
	CHECK(ktest_exited_with(ktest_child(fork_child_body, NULL), 0));
	/* The parent's stack is its own still. */
	fork_child_body(NULL);
}

static void test_fork(void)
{
	in_child(fork_case, "");
}

/* ---- threads, frees and drains at once ---- */

#define WORKERS		3
#define ROUNDS		4000
#define HELD		8

static volatile int workers_left;

struct worker {
	int id;
	unsigned long bad;
};

static void *worker_fn(void *arg)
{
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_HIGHUSER_MOVABLE,
				      GFP_KERNEL | __GFP_RECLAIMABLE };
	struct worker *w = arg;
	struct page *held[HELD];
	unsigned int seed = (unsigned int)w->id * 7919u + 1;
	int round, i, n;

	for (round = 0; round < ROUNDS; round++) {
		n = 1 + (int)(rand_r(&seed) % HELD);
		for (i = 0; i < n; i++) {
			held[i] = alloc_page(gfps[rand_r(&seed) % 3]);
			if (held[i])
				*(unsigned long *)page_address(held[i]) =
					((unsigned long)w->id << 32) | (unsigned long)(round * HELD + i);
		}
		if (rand_r(&seed) % 16 == 0)
			sched_yield();
		for (i = 0; i < n; i++) {
			if (!held[i])
				continue;
			if (*(unsigned long *)page_address(held[i]) !=
			    (((unsigned long)w->id << 32) | (unsigned long)(round * HELD + i)))
				w->bad++;	/* another owner wrote it */
			__free_page(held[i]);
		}
		ktest_progress();
	}
	__atomic_sub_fetch(&workers_left, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void threads_child(void *arg)
{
	struct worker workers[WORKERS];
	pthread_t threads[WORKERS];
	int i;

	boot_child(arg);
	workers_left = WORKERS;
	for (i = 0; i < WORKERS; i++) {
		workers[i].id = i + 1;
		workers[i].bad = 0;
		CHECK_EQ(pthread_create(&threads[i], NULL, worker_fn, &workers[i]), 0);
	}
	/*
	 * This thread drains while they run (the census needs a quiet
	 * allocator: a page popped but not yet prepared is in no list and not
	 * yet allocated, as one taken off a pcp list is).
	 */
	while (__atomic_load_n(&workers_left, __ATOMIC_ACQUIRE)) {
		drain_all_pages(NULL);
		ktest_progress();
		sched_yield();
	}
	for (i = 0; i < WORKERS; i++) {
		pthread_join(threads[i], NULL);
		CHECK_EQ(workers[i].bad, 0);
	}
	drain_all_pages(NULL);
	for (i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = &NODE_DATA(0)->node_zones[i];

		if (populated_zone(zone))
			CHECK_EQ(stack_pages(zone), 0);
	}
	check_census();
}

static void test_threads_and_drains(void)
{
	in_child(threads_child, "");
	in_child(threads_child, "pcp_rseq=0");
}

/* ---- the first call of a process ---- */

#define FIRST_THREADS	4

static struct page *first_pages[FIRST_THREADS];
static pthread_barrier_t first_barrier;

static void *first_call_fn(void *arg)
{
	long i = (long)arg;

	pthread_barrier_wait(&first_barrier);
	first_pages[i] = alloc_page(GFP_KERNEL);	/* the implicit boot happens here */
	return NULL;
}

static void first_call_child(void *arg)
{
	pthread_t threads[FIRST_THREADS];
	long i, j;

	/* No ukmem_boot(): several threads' first alloc_page() boots the machine. */
	setenv("UKMEM_CMDLINE", arg, 1);
	ukmem_set_console(fopen("/dev/null", "w"));
	pthread_barrier_init(&first_barrier, NULL, FIRST_THREADS);
	for (i = 0; i < FIRST_THREADS; i++)
		CHECK_EQ(pthread_create(&threads[i], NULL, first_call_fn, (void *)i), 0);
	for (i = 0; i < FIRST_THREADS; i++)
		pthread_join(threads[i], NULL);
	for (i = 0; i < FIRST_THREADS; i++) {
		CHECK(first_pages[i] != NULL);
		for (j = 0; j < i; j++)
			CHECK(first_pages[i] != first_pages[j]);
	}
	for (i = 0; i < FIRST_THREADS; i++)
		if (first_pages[i])
			__free_page(first_pages[i]);
	/* Freed onto the stacks where they are on; the census balances either way. */
	drain_all_pages(NULL);
	check_census();
}

static void test_first_call(void)
{
	in_child(first_call_child, BASE_CMDLINE);
	in_child(first_call_child, BASE_CMDLINE " pcp_rseq=0");
}

/* ---- pcp_rseq=0 ---- */

static void off_child(void *arg)
{
	struct page *pages[8];
	struct zone *zone;
	int i;

	boot_child(arg);
	CHECK(!stacks_on());
	for (i = 0; i < 8; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	zone = page_zone(pages[0]);
	for (i = 0; i < 8; i++)
		__free_page(pages[i]);
	CHECK_EQ(stack_pages(zone), 0);
	CHECK(zone_pcp_count(zone) > 0);	/* the lists have them */
	check_census();
}

static void test_disabled(void)
{
	in_child(off_child, "pcp_rseq=0");
}

int main(void)
{
	KTEST_RUN(KTEST(test_reuse_and_counts), KTEST(test_migratetypes_apart), KTEST(test_drains),
		  KTEST(test_remote_drain), KTEST(test_watermark_before_stack), KTEST(test_fork),
		  KTEST(test_threads_and_drains), KTEST(test_disabled), KTEST(test_first_call));
}
