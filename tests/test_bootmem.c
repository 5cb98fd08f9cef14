/* SPDX-License-Identifier: MIT */
/*
 * The 2.6-era bootmem API (include/linux/bootmem.h over memblock, the
 * kernel's mm/nobootmem.c) in the boot phase of mem=6G numa=fake=2:
 * alloc_bootmem and its _pages/_low/_low_pages/_node/_nopanic forms
 * (zeroed, aligned, below 4 GiB, on the node asked for, the 16 MiB goal),
 * free_bootmem, reserve_bootmem with BOOTMEM_EXCLUSIVE; after boot, what
 * bootmem handed out stays PG_reserved with its contents.
 *
 * Crash tests (each in a forked child with its own machine): an
 * alloc_bootmem() that cannot be satisfied prints "bootmem alloc of N
 * bytes failed!" and "Kernel panic - not syncing: Out of memory" and
 * aborts with SIGABRT, as the 2.6 kernel panicked.
 */
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/bootmem.h>
#include <linux/gfp.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <ukmem/boot.h>
#include "mm/internal.h"
#include "ktest.h"

#define G		(1ULL << 30)
#define M		(1ULL << 20)
#define RAM		(6 * G)
#define NODE1		(3 * G)
#define CMDLINE		"mem=6G numa=fake=2"

static char logbuf[1 << 17];

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

#define RUN_CASE(fn)							\
	do {								\
		int _before = ktest_failures;				\
		ktest_current = #fn;					\
		fn();							\
		if (ktest_failures != _before)				\
			fprintf(stderr, "FAIL %s\n", #fn);		\
	} while (0)

static bool all_bytes(const void *p, size_t n, unsigned char c)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != c)
			return false;
	return true;
}

/* Is [pa, pa + n) wholly inside one reserved region? */
static bool reserved_range(phys_addr_t pa, phys_addr_t n)
{
	unsigned long i;

	for (i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];

		if (r->base <= pa && pa + n <= r->base + r->size)
			return true;
	}
	return false;
}

/* What the hook hands to the checks after boot. */
#define NR_KEPT 6
static struct {
	void *ptr[NR_KEPT];
	size_t size[NR_KEPT];
	phys_addr_t freed;		/* alloc_bootmem_pages'd, then free_bootmem'd */
	size_t freed_size;
	bool hook_ran;
} kept;

static void keep(int i, void *p, size_t size)
{
	kept.ptr[i] = p;
	kept.size[i] = size;
	if (p)
		memset(p, 0x40 + i, size);
}

/* ---- in the boot phase ---- */

static void test_alloc_bootmem(void)
{
	phys_addr_t total0 = memblock.reserved.total_size;
	phys_addr_t dirty;
	void *p, *q;

	/* Dirty the slot alloc_bootmem() will take, give it back: zeroed. */
	dirty = memblock_phys_alloc(8192, SMP_CACHE_BYTES);
	CHECK(dirty != 0);
	memset(__va(dirty), 0xff, 8192);
	memblock_phys_free(dirty, 8192);
	p = alloc_bootmem(8192);
	CHECK(p != NULL);
	CHECK_EQ(__pa(p), dirty);
	CHECK(p && all_bytes(p, 8192, 0));
	CHECK(IS_ALIGNED(__pa(p), SMP_CACHE_BYTES));
	CHECK(__pa(p) >= BOOTMEM_LOW_LIMIT);
	CHECK(reserved_range(__pa(p), 8192));
	CHECK_EQ(memblock.reserved.total_size, total0 + 8192);

	/* Odd sizes are cache-line aligned. */
	q = alloc_bootmem(100);
	CHECK(q != NULL && IS_ALIGNED(__pa(q), SMP_CACHE_BYTES));
	CHECK(q && all_bytes(q, 100, 0));
	CHECK(reserved_range(__pa(q), 100));
	keep(0, q, 100);

	free_bootmem(__pa(p), 8192);
	CHECK(!memblock_is_region_reserved(__pa(p), 8192));
	CHECK_EQ(memblock.reserved.total_size, total0 + 100);
}

static void test_alloc_bootmem_pages(void)
{
	void *p = alloc_bootmem_pages(5000);
	void *a = alloc_bootmem_align(100, 8192);

	CHECK(p != NULL && IS_ALIGNED(__pa(p), PAGE_SIZE));
	CHECK(p && all_bytes(p, 5000, 0));
	CHECK(p && reserved_range(__pa(p), 5000));
	keep(1, p, 5000);
	CHECK(a != NULL && IS_ALIGNED(__pa(a), 8192));
	keep(2, a, 100);
}

static void test_alloc_bootmem_low(void)
{
	void *low = alloc_bootmem_low(100);
	void *lowp = alloc_bootmem_low_pages(3 * PAGE_SIZE);
	void *big = alloc_bootmem_low(64 * M);

	CHECK(low != NULL && __pa(low) + 100 <= 4 * G);
	CHECK(low && IS_ALIGNED(__pa(low), SMP_CACHE_BYTES));
	CHECK(low && all_bytes(low, 100, 0));
	CHECK(lowp != NULL && __pa(lowp) + 3 * PAGE_SIZE <= 4 * G);
	CHECK(lowp && IS_ALIGNED(__pa(lowp), PAGE_SIZE));
	CHECK(lowp && all_bytes(lowp, 3 * PAGE_SIZE, 0));
	CHECK(big != NULL && __pa(big) + 64 * M <= 4 * G);
	keep(3, low, 100);
	keep(4, lowp, 3 * PAGE_SIZE);
	if (big)
		free_bootmem(__pa(big), 64 * M);
	/* Not "low": the plain form goes to the top of RAM, above 4 GiB. */
	{
		void *high = alloc_bootmem(100);

		CHECK(high != NULL && __pa(high) >= 4 * G);
		if (high)
			free_bootmem(__pa(high), 100);
	}
}

static void test_alloc_bootmem_node(void)
{
	void *n0 = alloc_bootmem_node(NODE_DATA(0), 4096);
	void *n1 = alloc_bootmem_node(NODE_DATA(1), 4096);
	void *n0p = alloc_bootmem_pages_node(NODE_DATA(0), 3 * 4096);

	CHECK_EQ(nr_online_nodes, 2);
	CHECK(n0 != NULL && __pa(n0) < NODE1 && __pa(n0) >= BOOTMEM_LOW_LIMIT);
	CHECK(n1 != NULL && __pa(n1) >= NODE1 && __pa(n1) < RAM);
	CHECK(n0 && all_bytes(n0, 4096, 0));
	CHECK(n1 && all_bytes(n1, 4096, 0));
	CHECK(n0p != NULL && __pa(n0p) < NODE1 && IS_ALIGNED(__pa(n0p), PAGE_SIZE));
	keep(5, n1, 4096);
	if (n0)
		free_bootmem(__pa(n0), 4096);
	if (n0p)
		free_bootmem(__pa(n0p), 3 * 4096);
}

/*
 * The goal: the plain forms start at BOOTMEM_LOW_LIMIT (16 MiB, keeping
 * ZONE_DMA free), the _low forms at 0; an unsatisfiable goal is dropped.
 * Bottom-up makes the goal visible: the lowest fit at or above it.
 */
static void test_goal(void)
{
	void *p, *l, *g;

	memblock_set_bottom_up(true);
	p = alloc_bootmem(100);
	CHECK(p != NULL);
	CHECK_EQ(p ? __pa(p) : 0, BOOTMEM_LOW_LIMIT);
	l = alloc_bootmem_low(100);
	CHECK(l != NULL);
	CHECK_EQ(l ? __pa(l) : 0, PAGE_SIZE);	/* pfn 0 is never handed out */
	g = __alloc_bootmem(PAGE_SIZE, PAGE_SIZE, 5 * G);
	CHECK(g != NULL);
	CHECK_EQ(g ? __pa(g) : 0, 5 * G);
	memblock_set_bottom_up(false);
	if (p)
		free_bootmem(__pa(p), 100);
	if (l)
		free_bootmem(__pa(l), 100);
	if (g)
		free_bootmem(__pa(g), PAGE_SIZE);

	/* A goal above RAM is dropped, not fatal. */
	g = __alloc_bootmem(PAGE_SIZE, PAGE_SIZE, 7 * G);
	CHECK(g != NULL && __pa(g) < RAM);
	if (g)
		free_bootmem(__pa(g), PAGE_SIZE);
}

static void test_nopanic(void)
{
	phys_addr_t total0 = memblock.reserved.total_size;

	CHECK(alloc_bootmem_nopanic(8 * G) == NULL);
	CHECK(alloc_bootmem_pages_nopanic(RAM) == NULL);
	CHECK(__alloc_bootmem_nopanic(PAGE_SIZE, PAGE_SIZE, 0) != NULL);
	CHECK_EQ(memblock.reserved.total_size, total0 + PAGE_SIZE);
	/* The failures did not panic, and the process is still here. */
	CHECK(strstr(dmesg_now(), "bootmem alloc of") == NULL);
	CHECK(strstr(logbuf, "Kernel panic") == NULL);
}

static void test_free_and_reserve(void)
{
	const phys_addr_t B = 1 * G;
	phys_addr_t total0 = memblock.reserved.total_size;
	void *p;

	CHECK(!memblock_is_region_reserved(B, 16 * PAGE_SIZE));
	CHECK_EQ(reserve_bootmem(B, 4 * PAGE_SIZE, BOOTMEM_DEFAULT), 0);
	CHECK(reserved_range(B, 4 * PAGE_SIZE));
	CHECK_EQ(memblock.reserved.total_size, total0 + 4 * PAGE_SIZE);
	/* Exclusive on what is reserved, wholly or in part: -EBUSY, no change. */
	CHECK_EQ(reserve_bootmem(B, 4 * PAGE_SIZE, BOOTMEM_EXCLUSIVE), -EBUSY);
	CHECK_EQ(reserve_bootmem(B + 3 * PAGE_SIZE, 4 * PAGE_SIZE, BOOTMEM_EXCLUSIVE), -EBUSY);
	CHECK_EQ(reserve_bootmem(B - PAGE_SIZE, 2 * PAGE_SIZE, BOOTMEM_EXCLUSIVE), -EBUSY);
	CHECK(!memblock_is_reserved(B + 4 * PAGE_SIZE));
	CHECK(!memblock_is_reserved(B - PAGE_SIZE));
	CHECK_EQ(memblock.reserved.total_size, total0 + 4 * PAGE_SIZE);
	/* Exclusive on free memory reserves it (right above: merges). */
	CHECK_EQ(reserve_bootmem(B + 4 * PAGE_SIZE, 4 * PAGE_SIZE, BOOTMEM_EXCLUSIVE), 0);
	CHECK(reserved_range(B, 8 * PAGE_SIZE));
	/* Default on reserved memory is fine and changes nothing. */
	CHECK_EQ(reserve_bootmem(B + PAGE_SIZE, PAGE_SIZE, BOOTMEM_DEFAULT), 0);
	CHECK_EQ(memblock.reserved.total_size, total0 + 8 * PAGE_SIZE);

	/* free_bootmem() gives back any part. */
	free_bootmem(B + 2 * PAGE_SIZE, 2 * PAGE_SIZE);
	CHECK(!memblock_is_region_reserved(B + 2 * PAGE_SIZE, 2 * PAGE_SIZE));
	CHECK(memblock_is_reserved(B + PAGE_SIZE));
	CHECK(memblock_is_reserved(B + 4 * PAGE_SIZE));
	/* ... after which an exclusive reservation of that part succeeds. */
	CHECK_EQ(reserve_bootmem(B + 2 * PAGE_SIZE, 2 * PAGE_SIZE, BOOTMEM_EXCLUSIVE), 0);
	free_bootmem(B, 8 * PAGE_SIZE);
	CHECK(!memblock_is_region_reserved(B, 8 * PAGE_SIZE));
	CHECK_EQ(memblock.reserved.total_size, total0);

	/* Memory freed with free_bootmem() before mem_init reaches the buddy allocator. */
	p = alloc_bootmem_pages(4 * PAGE_SIZE);
	CHECK(p != NULL);
	if (p) {
		kept.freed = __pa(p);
		kept.freed_size = 4 * PAGE_SIZE;
		free_bootmem(kept.freed, kept.freed_size);
	}
}

/*
 * The kernel's memblock_dump_all() prints only with memblock=debug
 * (mm/memblock.c: "if (memblock_debug) __memblock_dump_all()").
 */
static void test_dump_all_quiet_without_debug(void)
{
	size_t before = strlen(dmesg_now());

	memblock_dump_all();
	CHECK(strstr(dmesg_now() + before, "MEMBLOCK configuration:") == NULL);
}

static void early_hook(void *arg)
{
	CHECK(arg == &kept);
	kept.hook_ran = true;
	CHECK(memblock_is_active());
	RUN_CASE(test_alloc_bootmem);
	RUN_CASE(test_alloc_bootmem_pages);
	RUN_CASE(test_alloc_bootmem_low);
	RUN_CASE(test_alloc_bootmem_node);
	RUN_CASE(test_goal);
	RUN_CASE(test_nopanic);
	RUN_CASE(test_free_and_reserve);
	RUN_CASE(test_dump_all_quiet_without_debug);
}

/* ---- after boot ---- */

static void test_kept_after_boot(void)
{
	int i;

	CHECK(kept.hook_ran);
	CHECK(ukmem_booted());
	for (i = 0; i < NR_KEPT; i++) {
		unsigned long pfn, first, last;

		CHECK(kept.ptr[i] != NULL);
		if (!kept.ptr[i])
			continue;
		CHECK(all_bytes(kept.ptr[i], kept.size[i], (unsigned char)(0x40 + i)));
		first = PHYS_PFN(__pa(kept.ptr[i]));
		last = PHYS_PFN(__pa(kept.ptr[i]) + kept.size[i] - 1);
		for (pfn = first; pfn <= last; pfn++)
			CHECK(PageReserved(pfn_to_page(pfn)));
	}
	/* What free_bootmem() gave back before mem_init is ordinary free memory. */
	CHECK(kept.freed != 0);
	CHECK(!PageReserved(phys_to_page(kept.freed)));
	CHECK(!memblock_is_region_reserved(kept.freed, kept.freed_size));
	CHECK_EQ(free_all_bootmem(), totalram_pages());
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

/* ---- crash tests ---- */

struct crash_case {
	const char *name;
	void (*hook)(void *);
	const char *want[3];
};

static void hook_huge(void *arg)
{
	(void)arg;
	alloc_bootmem(8 * G);		/* more than the 6 GiB of RAM */
	_exit(3);			/* not reached */
}

static void hook_low_too_big(void *arg)
{
	(void)arg;
	alloc_bootmem_low_pages(5 * G);	/* fits in RAM, not below 4 GiB */
	_exit(3);
}

static void hook_node_huge(void *arg)
{
	(void)arg;
	alloc_bootmem_node(NODE_DATA(1), 7 * G);
	_exit(3);
}

static const struct crash_case crash_cases[] = {
	{ "alloc_bootmem(8G)", hook_huge,
	  { "bootmem alloc of 8589934592 bytes failed!\n",
	    "Kernel panic - not syncing: Out of memory\n", NULL } },
	{ "alloc_bootmem_low_pages(5G)", hook_low_too_big,
	  { "bootmem alloc of 5368709120 bytes failed!\n",
	    "Kernel panic - not syncing: Out of memory\n", NULL } },
	{ "alloc_bootmem_node(7G)", hook_node_huge,
	  { "bootmem alloc of 7516192768 bytes failed!\n",
	    "Kernel panic - not syncing: Out of memory\n", NULL } },
};

static void run_crash_case(const struct crash_case *c)
{
	static char out[1 << 16];
	size_t len = 0;
	int fds[2], status = 0, i;
	pid_t pid;

	ktest_current = c->name;
	CHECK_EQ(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct rlimit none = { 0, 0 };

		setrlimit(RLIMIT_CORE, &none);	/* no core dump for the abort */
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		/* Default console: stderr, so the panic reaches the pipe. */
		ukmem_boot_hook(CMDLINE, c->hook, NULL);
		_exit(2);			/* not reached: the hook panics */
	}
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], out + len, sizeof(out) - 1 - len);

		if (n <= 0)
			break;
		len += (size_t)n;
	}
	out[len] = '\0';
	close(fds[0]);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WIFSIGNALED(status) ? WTERMSIG(status) : -1, SIGABRT);
	for (i = 0; c->want[i]; i++)
		CHECK_STR_CONTAINS(out, c->want[i]);
	/* The alert comes before the panic. */
	CHECK(strstr(out, "bootmem alloc of") && strstr(out, "Kernel panic") &&
	      strstr(out, "bootmem alloc of") < strstr(out, "Kernel panic"));
	CHECK_STR_CONTAINS(out, "---[ end Kernel panic - not syncing: Out of memory ]---");
}

int main(void)
{
	FILE *quiet;
	size_t i;
	int err;

	/* Crash tests first: the children must boot their own machines. */
	for (i = 0; i < ARRAY_SIZE(crash_cases); i++) {
		int before = ktest_failures;

		run_crash_case(&crash_cases[i]);
		if (ktest_failures != before)
			fprintf(stderr, "FAIL crash case %s\n", crash_cases[i].name);
	}

	quiet = fopen("/dev/null", "w");
	ukmem_set_console(quiet);
	err = ukmem_boot_hook(CMDLINE, early_hook, &kept);
	if (err) {
		fprintf(stderr, "boot failed: %d\n", err);
		return 1;
	}
	KTEST_RUN(KTEST(test_kept_after_boot));
}
