/* SPDX-License-Identifier: MIT */
/*
 * The balloon (mm/balloon.c): under an address-space limit, free RAM's
 * address space goes back to the host when a mapping is refused, and
 * comes back to RAM when RAM runs short.  Each case runs in a child that
 * sets RLIMIT_AS before the implicit boot, skipped under the sanitizers,
 * whose shadow memory cannot live under the limit (as test_rlimit_as);
 * but the lock order and concurrency cases, which set it after the boot
 * (boot_then_limit()) and run under TSan and ASan too.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "mm/internal.h"
#include "ktest.h"

#define BLOCK		(4UL << 20)	/* a max-order block: what the balloon moves */
/*
 * Pages the library's own bookkeeping may take or give back between two
 * counts (reports, debug caches, per-node structures): far below a block.
 */
#define SLACK_PAGES	64
#define MAX_MAPS	512

/* meminfo's line @label, in kB; -1 if absent. */
static long meminfo_kb(const char *label)
{
	char *text = NULL, *at;
	size_t len = 0;
	long kb = -1;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return -1;
	ukmem_show("meminfo", f);
	fclose(f);
	at = strstr(text, label);
	if (at)
		kb = strtol(at + strlen(label) + 1, NULL, 10);
	free(text);
	return kb;
}

/* /proc/vmstat's line @name; -1 if absent. */
static long vmstat_value(const char *name)
{
	char *text = NULL, *at, want[64];
	size_t len = 0;
	long v = -1;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return -1;
	ukmem_show("vmstat", f);
	fclose(f);
	snprintf(want, sizeof(want), "\n%s ", name);
	at = strstr(text, want);
	if (at)
		v = strtol(at + strlen(want), NULL, 10);
	free(text);
	return v;
}

/* Limit the address space to what is mapped now plus @room, then boot. */
static void boot_under_limit(unsigned long room)
{
	unsigned long mapped = 0;
	struct rlimit rl;
	FILE *f = fopen("/proc/self/statm", "r");

	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK(f != NULL && fscanf(f, "%lu", &mapped) == 1);
	if (f)
		fclose(f);
	rl.rlim_cur = rl.rlim_max = mapped * (unsigned long)getpagesize() + room;
	CHECK_EQ(setrlimit(RLIMIT_AS, &rl), 0);
	kfree(kmalloc(100, GFP_KERNEL));	/* the implicit boot */
	CHECK(ukmem_booted());
}

/*
 * Boot with @cmdline and no limit (the RAM range then is mem=), then
 * limit the address space to what is mapped plus 1 GiB: the balloon only
 * asks that there is a limit, so such a case runs under the sanitizers too.
 */
static void boot_then_limit(const char *cmdline)
{
	unsigned long mapped = 0;
	struct rlimit rl;
	FILE *f;

	setenv("UKMEM_CMDLINE", cmdline, 1);
	ukmem_set_console(fopen("/dev/null", "w"));
	kfree(kmalloc(100, GFP_KERNEL));	/* the implicit boot, without a limit */
	CHECK(ukmem_booted());
	f = fopen("/proc/self/statm", "r");
	CHECK(f != NULL && fscanf(f, "%lu", &mapped) == 1);
	if (f)
		fclose(f);
	rl.rlim_cur = rl.rlim_max = mapped * (unsigned long)getpagesize() + (1UL << 30);
	CHECK_EQ(setrlimit(RLIMIT_AS, &rl), 0);
}

/* Host mappings of BLOCK bytes, each written, until the host refuses one. */
static int map_until_refused(void **maps)
{
	int n = 0;

	while (n < MAX_MAPS) {
		void *p = mmap(NULL, BLOCK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			break;
		memset(p, 0x5a, BLOCK);
		maps[n++] = p;
	}
	return n;
}

static void unmap_all(void **maps, int n)
{
	while (n--)
		munmap(maps[n], BLOCK);
}

/*
 * The address space the balloon takes is the host's again: as many more
 * blocks can be mapped as it inflated, and meminfo shows them as Balloon
 * and as no longer free; the pages stay counted in MemTotal (deflate on
 * OOM: the kernel leaves the managed count alone too).
 */
static void inflate_gives_room(void *arg)
{
	static void *maps[MAX_MAPS];
	unsigned long free_before;
	long total_before;
	int n, more;

	(void)arg;
	boot_under_limit(400UL << 20);
	n = map_until_refused(maps);
	CHECK(n > 0 && n < MAX_MAPS);
	CHECK_EQ(meminfo_kb("Balloon:"), 0L);
	CHECK_EQ(vmstat_value("balloon_inflate"), 0L);
	total_before = meminfo_kb("MemTotal:");
	free_before = nr_free_pages();
	CHECK_EQ(balloon_inflate(8 * BLOCK - 1), 8 * BLOCK);
	CHECK_EQ(meminfo_kb("Balloon:"), (long)(8 * BLOCK >> 10));
	/* The kernel's balloon events, a page each. */
	CHECK_EQ(vmstat_value("balloon_inflate"), (long)(8 * BLOCK >> PAGE_SHIFT));
	CHECK_EQ(vmstat_value("balloon_deflate"), 0L);
	CHECK_EQ(meminfo_kb("MemTotal:"), total_before);
	CHECK(nr_free_pages() <= free_before - 8 * (BLOCK >> PAGE_SHIFT) + SLACK_PAGES);
	more = map_until_refused(maps + n);
	CHECK(more >= 8);
	unmap_all(maps, n + more);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

/*
 * RAM short again: reclaim deflates the balloon (its shrinker), so an
 * allocation that may reclaim gets every block back before it fails,
 * and the pages are ordinary memory again (written, freed, counted).
 */
static void reclaim_deflates(void *arg)
{
	enum { MAX_BLOCKS = 1024 };
	static struct page *blocks[MAX_BLOCKS];
	unsigned long free_before;
	int n = 0;

	(void)arg;
	boot_under_limit(400UL << 20);
	free_before = nr_free_pages();
	CHECK_EQ(balloon_inflate(16 * BLOCK), 16 * BLOCK);
	while (n < MAX_BLOCKS) {
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, MAX_PAGE_ORDER);

		if (!page)
			break;
		memset(page_address(page), 0xa5, BLOCK);
		blocks[n++] = page;
	}
	CHECK_EQ(meminfo_kb("Balloon:"), 0L);
	CHECK(n >= 16);
	while (n--)
		__free_pages(blocks[n], MAX_PAGE_ORDER);
	drain_all_pages(NULL);
	CHECK(nr_free_pages() + SLACK_PAGES >= free_before);
	CHECK(nr_free_pages() <= free_before + SLACK_PAGES);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

/*
 * A hole another mapping took stays in the balloon, untouched, until
 * that mapping goes away; then balloon_deflate() takes it back.
 */
static void hole_taken(void *arg)
{
	unsigned long pfn;
	struct page *page = NULL;
	char *hole, *mine;

	(void)arg;
	boot_under_limit(400UL << 20);
	CHECK_EQ(balloon_inflate(BLOCK), BLOCK);
	/* The block the balloon holds: the top free block of the linear map. */
	for (pfn = ukmem_ram_pfns - MAX_ORDER_NR_PAGES; !page; pfn -= MAX_ORDER_NR_PAGES) {
		if (page_count(pfn_to_page(pfn)) && PageHead(pfn_to_page(pfn)) &&
		    compound_order(pfn_to_page(pfn)) == MAX_PAGE_ORDER) {
			hole = page_address(pfn_to_page(pfn));
			mine = mmap(hole, BLOCK, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
			if (mine == hole)
				page = pfn_to_page(pfn);
			else if (mine != MAP_FAILED)
				munmap(mine, BLOCK);
		}
		if (!pfn)
			break;
	}
	CHECK(page != NULL);
	if (!page)
		return;
	memset(hole, 0x3c, BLOCK);
	CHECK_EQ(balloon_deflate(BLOCK), 0UL);
	CHECK_EQ(meminfo_kb("Balloon:"), (long)(BLOCK >> 10));
	CHECK_EQ(((unsigned char *)hole)[BLOCK - 1], 0x3c);
	CHECK_EQ(vmstat_value("balloon_deflate"), 0L);
	munmap(hole, BLOCK);
	CHECK_EQ(balloon_deflate(BLOCK), BLOCK);
	CHECK_EQ(meminfo_kb("Balloon:"), 0L);
	CHECK_EQ(vmstat_value("balloon_inflate"), (long)(BLOCK >> PAGE_SHIFT));
	CHECK_EQ(vmstat_value("balloon_deflate"), (long)(BLOCK >> PAGE_SHIFT));
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

/* A child inherits the balloon whole: it can deflate it and use the pages. */
static void across_fork(void *arg)
{
	unsigned long free_before;
	pid_t pid;
	int status = -1;

	(void)arg;
	boot_under_limit(400UL << 20);
	free_before = nr_free_pages();
	CHECK_EQ(balloon_inflate(4 * BLOCK), 4 * BLOCK);
	pid = fork();
	if (pid == 0) {
		int bad = balloon_deflate(4 * BLOCK) != 4 * BLOCK;

		drain_all_pages(NULL);
		bad |= nr_free_pages() < free_before - 1024;
		bad |= meminfo_kb("Balloon:") != 0;
		_exit(bad);
	}
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(meminfo_kb("Balloon:"), (long)(4 * BLOCK >> 10));
	CHECK_EQ(balloon_deflate(4 * BLOCK), 4 * BLOCK);
}

/*
 * A block whose pages vmap() once moved into the physical memory file
 * (mm/vmap_alias.c): lent and taken back, its pages are private memory
 * again, and a new vmap() of them shows what their linear addresses hold.
 */
static void vmapped_block(void *arg)
{
	enum { N = 16 };
	struct page *pages[N];
	unsigned long pfn, top = 0;
	unsigned char *v;
	int i;

	(void)arg;
	/* Page reporting would end the file mapping of the freed block itself. */
	setenv("UKMEM_CMDLINE", "page_reporting.keep=100000", 1);
	boot_under_limit(400UL << 20);
	pfn = ukmem_ram_pfns;
	/* The top free block: the one the balloon takes first. */
	while (!top && pfn >= MAX_ORDER_NR_PAGES) {
		pfn -= MAX_ORDER_NR_PAGES;
		if (!alloc_contig_range(pfn, pfn + MAX_ORDER_NR_PAGES, ACR_FLAGS_NONE, GFP_KERNEL))
			top = pfn;
	}
	CHECK(top != 0);
	if (!top)
		return;
	for (i = 0; i < N; i++)
		pages[i] = pfn_to_page(top + i);
	v = vmap(pages, N, VM_MAP, PAGE_KERNEL);
	CHECK(v != NULL);
	if (!v)
		return;
	memset(v, 0x11, N * PAGE_SIZE);
	CHECK_EQ(*(unsigned char *)page_address(pages[N - 1]), 0x11);
	vunmap(v);
	free_contig_range(top, MAX_ORDER_NR_PAGES);

	CHECK_EQ(balloon_inflate(BLOCK), BLOCK);
	CHECK(PageHead(pfn_to_page(top)) && page_count(pfn_to_page(top)) == 1);
	CHECK_EQ(balloon_deflate(BLOCK), BLOCK);

	CHECK_EQ(alloc_contig_range(top, top + MAX_ORDER_NR_PAGES, ACR_FLAGS_NONE, GFP_KERNEL), 0);
	memset(page_address(pages[0]), 0x22, N * PAGE_SIZE);
	v = vmap(pages, N, VM_MAP, PAGE_KERNEL);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v[0], 0x22);
		CHECK_EQ(v[N * PAGE_SIZE - 1], 0x22);
		v[PAGE_SIZE] = 0x33;
		CHECK_EQ(*(unsigned char *)page_address(pages[1]), 0x33);
		vunmap(v);
	}
	free_contig_range(top, MAX_ORDER_NR_PAGES);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

/*
 * dmesg_lock is held across the write of the log, whose stdio may
 * allocate and reclaim; reclaim waits for balloon_mutex when another
 * thread holds it (kswapd deflating, an inflation, a fork).  So the
 * balloon's lock comes after dmesg_lock in the lock order (fork takes
 * them in that order: had it taken balloon_mutex first, a fork would
 * wait for dmesg_lock while the writer waited for the fork).  Another
 * thread holds balloon_mutex until the writer's reclaim sleeps on it;
 * the lock order checker must have nothing to say.
 */
static int lock_held, writer_done, write_reclaimed;

static void *hold_balloon_mutex(void *arg)
{
	struct mutex *m = arg;

	mutex_lock(m);
	__atomic_store_n(&lock_held, 1, __ATOMIC_RELEASE);
	/* Until the writer's reclaim sleeps on it (2: held, a waiter sleeps). */
	while (__atomic_load_n(&m->state, __ATOMIC_ACQUIRE) != 2 &&
	       !__atomic_load_n(&writer_done, __ATOMIC_ACQUIRE))
		sched_yield();
	mutex_unlock(m);
	return NULL;
}

/* The log's writer: its first write reclaims, as a stdio buffer's allocation may. */
static ssize_t reclaiming_write(void *cookie, const char *buf, size_t len)
{
	(void)cookie;
	(void)buf;
	if (!write_reclaimed) {
		write_reclaimed = 1;
		drop_slab();
	}
	return (ssize_t)len;
}

static void dmesg_writer_reclaims(void *arg)
{
	cookie_io_functions_t io = { .write = reclaiming_write };
	const struct fork_step *step;
	unsigned long reports;
	pthread_t holder;
	FILE *f;

	(void)arg;
	boot_then_limit("mem=256M lockdep.prove_locking=1");
	/* Enough blocks for one shrinker batch (seeks 0: half the count, a block a batch). */
	CHECK_EQ(balloon_inflate(4 * BLOCK), 4 * BLOCK);
	step = fork_step_find("balloon");
	CHECK(step != NULL && step->mutex != NULL);
	if (!step || !step->mutex)
		return;
	reports = lockdep_reports();
	CHECK_EQ(pthread_create(&holder, NULL, hold_balloon_mutex, step->mutex), 0);
	while (!__atomic_load_n(&lock_held, __ATOMIC_ACQUIRE))
		sched_yield();
	f = fopencookie(NULL, "w", io);
	CHECK(f != NULL);
	if (f) {
		setvbuf(f, NULL, _IONBF, 0);
		ukmem_show("dmesg", f);
		fclose(f);
	}
	__atomic_store_n(&writer_done, 1, __ATOMIC_RELEASE);
	pthread_join(holder, NULL);
	CHECK(write_reclaimed);
	CHECK_EQ(lockdep_reports(), reports);
	/* The writer's reclaim waited for the lock, then deflated the balloon. */
	CHECK(meminfo_kb("Balloon:") < (long)(4 * BLOCK >> 10));
}

/* Without a limit the RAM range costs nothing: nothing is ever lent. */
static void no_limit_no_balloon(void *arg)
{
	(void)arg;
	ukmem_set_console(fopen("/dev/null", "w"));
	kfree(kmalloc(100, GFP_KERNEL));
	CHECK_EQ(balloon_inflate(BLOCK), 0UL);
	CHECK_EQ(meminfo_kb("Balloon:"), 0L);
}

/*
 * Inflating, deflating, reclaim and fork at once, from four threads.  The
 * limit is set after the boot (the RAM range then is mem=, whatever the
 * limit): the balloon only asks that there is one, so this runs under the
 * sanitizers too (TSan: the balloon's map and counts, the fork step).
 * Each child deflates what it inherited (but the holes the host gave to
 * the threads' stacks and arenas).  (A child's page census is not
 * checked: a block another thread was allocating at the fork is off the
 * free lists and not yet recorded, in the child for good.)
 */
enum { CONC_ROUNDS = 60, CONC_FORKS = 8 };
static int conc_stop;

/* nr_balloon_pages, every node. */
static long balloon_pages(void)
{
	long n = 0;
	int nid;

	for_each_online_node(nid)
		n += atomic_long_read(&NODE_DATA(nid)->vm_stat[NR_BALLOON_PAGES]);
	return n;
}

static void *conc_inflater(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < CONC_ROUNDS && !__atomic_load_n(&conc_stop, __ATOMIC_RELAXED); i++) {
		balloon_inflate(2 * BLOCK);
		if (i & 1)
			balloon_deflate(BLOCK);
	}
	return NULL;
}

/* Allocations that reclaim: the shrinker deflates against the inflater. */
static void *conc_reclaimer(void *arg)
{
	enum { N = 32 };
	struct page *pages[N];
	int i, n, round;

	(void)arg;
	for (round = 0; round < CONC_ROUNDS && !__atomic_load_n(&conc_stop, __ATOMIC_RELAXED); round++) {
		for (n = 0; n < N; n++) {
			pages[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, MAX_PAGE_ORDER);
			if (!pages[n])
				break;
			memset(page_address(pages[n]), n, 64);
		}
		for (i = 0; i < n; i++)
			__free_pages(pages[i], MAX_PAGE_ORDER);
	}
	return NULL;
}

static void concurrent_fork(void *arg)
{
	pthread_t inflater, reclaimer;
	int i;

	(void)arg;
	boot_then_limit("mem=256M lockdep.prove_locking=1");
	CHECK(balloon_inflate(BLOCK) == BLOCK);
	CHECK_EQ(pthread_create(&inflater, NULL, conc_inflater, NULL), 0);
	CHECK_EQ(pthread_create(&reclaimer, NULL, conc_reclaimer, NULL), 0);
	for (i = 0; i < CONC_FORKS; i++) {
		int status = -1;
		pid_t pid = fork();

		if (pid == 0) {
			int bad;

			/* Holes the threads' stacks and arenas took stay lent. */
			balloon_deflate(ukmem_ram_pfns << PAGE_SHIFT);
			bad = balloon_pages() % MAX_ORDER_NR_PAGES != 0;
			bad |= lockdep_reports() != 0;
			_exit(bad);
		}
		CHECK(pid > 0);
		if (pid < 0)
			break;
		CHECK_EQ(waitpid(pid, &status, 0), pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	__atomic_store_n(&conc_stop, 1, __ATOMIC_RELAXED);
	pthread_join(inflater, NULL);
	pthread_join(reclaimer, NULL);
	balloon_deflate(ukmem_ram_pfns << PAGE_SHIFT);
	CHECK_EQ(balloon_pages() % MAX_ORDER_NR_PAGES, 0L);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
	CHECK_EQ(lockdep_reports(), 0UL);
}

static void test_concurrent_fork(void)
{
	CHECK(ktest_exited_with(ktest_child(concurrent_fork, NULL), 0));
}

static void run(void (*fn)(void *))
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	(void)fn;
	KTEST_SKIP("sanitizer shadow memory cannot live under RLIMIT_AS");
#else
	CHECK(ktest_exited_with(ktest_child(fn, NULL), 0));
#endif
}

static void test_inflate_gives_room(void)
{
	run(inflate_gives_room);
}

static void test_reclaim_deflates(void)
{
	run(reclaim_deflates);
}

static void test_hole_taken(void)
{
	run(hole_taken);
}

static void test_across_fork(void)
{
	run(across_fork);
}

static void test_vmapped_block(void)
{
	run(vmapped_block);
}

static void test_dmesg_writer_reclaims(void)
{
	CHECK(ktest_exited_with(ktest_child(dmesg_writer_reclaims, NULL), 0));
}

static void test_no_limit_no_balloon(void)
{
	run(no_limit_no_balloon);
}

int main(void)
{
	KTEST_RUN(KTEST(test_inflate_gives_room), KTEST(test_reclaim_deflates),
		  KTEST(test_hole_taken), KTEST(test_across_fork), KTEST(test_vmapped_block),
		  KTEST(test_dmesg_writer_reclaims), KTEST(test_concurrent_fork),
		  KTEST(test_no_limit_no_balloon));
}
