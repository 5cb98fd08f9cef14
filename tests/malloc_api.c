/* SPDX-License-Identifier: MIT */
/*
 * tests/malloc_api.c - POSIX and glibc semantics of every allocation
 * symbol, as a program sees them.
 *
 * The same program runs three ways (tests/CMakeLists.txt): plain, on
 * glibc's own malloc, which proves each expectation here is glibc's
 * behaviour; with libukmem-malloc.so preloaded; and linked statically
 * against libukmem-malloc.a.  UKMEM_EXPECT=1 makes it insist that the
 * allocator it runs on really is ukmem's, and enables the checks that only
 * ukmem promises (memory back to the host after a large free); without it
 * the program insists on glibc's, so that the glibc run proves what it
 * claims (see test_running_on_ukmem).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktest.h"
#include "malloc_self.h"

static bool on_ukmem;

static bool aligned(const void *p, size_t a)
{
	return ((uintptr_t)p & (a - 1)) == 0;
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static bool filled(const unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 7))
			return false;
	return true;
}

static void test_malloc_sizes_and_alignment(void)
{
	static const size_t sizes[] = { 0, 1, 8, 15, 16, 17, 24, 100, 192, 1000, 4096,
					8192, 8193, 65536, 1 << 20, (4 << 20) + 1, 9 << 20 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *p = malloc(sizes[i]), *q = malloc(sizes[i]);

		CHECK(p && q && p != q);	/* malloc(0) too: unique, non-NULL */
		CHECK(aligned(p, 16));
		CHECK(malloc_usable_size(p) >= sizes[i]);
		fill(p, malloc_usable_size(p), (unsigned int)i);
		CHECK(filled(p, malloc_usable_size(p), (unsigned int)i));
		free(p);
		free(q);
	}
	CHECK_EQ(malloc_usable_size(NULL), 0);
}

static void test_malloc_failures(void)
{
	errno = 0;
	CHECK(malloc(SIZE_MAX) == NULL);
	CHECK_EQ(errno, ENOMEM);
	errno = 0;
	CHECK(malloc(PTRDIFF_MAX) == NULL);
	CHECK_EQ(errno, ENOMEM);
	errno = 0;
	CHECK(calloc(SIZE_MAX / 2, 3) == NULL);
	CHECK_EQ(errno, ENOMEM);
	errno = 0;
	CHECK(reallocarray(NULL, SIZE_MAX, 2) == NULL);
	CHECK_EQ(errno, ENOMEM);
	errno = 0;
	CHECK(valloc(SIZE_MAX) == NULL);
	CHECK_EQ(errno, ENOMEM);
	errno = 0;
	CHECK(pvalloc(SIZE_MAX) == NULL);
	CHECK_EQ(errno, ENOMEM);
}

static void test_free_keeps_errno(void)
{
	void *p = malloc(100), *big = malloc(16 << 20);

	errno = 1234;
	free(p);
	free(big);
	free(NULL);
	CHECK_EQ(errno, 1234);
}

static void test_calloc_zeroes(void)
{
	for (size_t n = 8; n <= (1 << 20); n *= 4) {
		unsigned char *p = malloc(n), *q;
		size_t i, nonzero = 0;

		memset(p, 0xa5, n);
		free(p);
		q = calloc(1, n);
		CHECK(q != NULL);
		for (i = 0; i < n; i++)
			nonzero += q[i] != 0;
		CHECK_EQ(nonzero, 0);
		free(q);
	}
}

/* Read with read(2) into the stack: measuring allocates nothing. */
static long rss_kib(void)
{
	long pages = 0, resident = 0;
	char buf[128];
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (sscanf(buf, "%ld %ld", &pages, &resident) != 2)
		return -1;
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/*
 * calloc of large blocks: zero whether the pages are fresh or recycled
 * (every size up to a whole 4 MiB buddy block, each block written and
 * freed first), and blocks never written cost no resident memory: 256
 * calloc'ed MiB, each with one byte written, add far less than 256 MiB of
 * RSS (glibc maps them fresh; ukmem leaves untouched pages untouched
 * instead of writing zeroes over them).
 */
static void test_calloc_large_untouched(void)
{
	enum { N = 256, SZ = 1 << 20 };
	static unsigned char *v[N];
	static const size_t sizes[] = { 70000, 1 << 20, 3000000, (4 << 20) - 4096 };
	long base, after;
	size_t k, i, nonzero = 0;

	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		unsigned char *p = malloc(sizes[k]), *q;

		memset(p, 0x5a, sizes[k]);
		free(p);
		q = calloc(sizes[k], 1);
		CHECK(q != NULL);
		for (i = 0; q && i < sizes[k]; i++)
			nonzero += q[i] != 0;
		free(q);
	}
	CHECK_EQ(nonzero, 0);
	base = rss_kib();
	for (i = 0; i < N; i++) {
		v[i] = calloc(1, SZ);
		CHECK(v[i] != NULL);
		if (v[i]) {
			nonzero += v[i][SZ / 2] != 0;
			v[i][SZ - 1] = 1;
		}
	}
	after = rss_kib();
	CHECK_EQ(nonzero, 0);
	if (after - base >= (N * (SZ >> 10)) / 4)
		fprintf(stderr, "rss: base %ld KiB, after %ld KiB\n", base, after);
	CHECK(after - base < (N * (SZ >> 10)) / 4);
	for (i = 0; i < N; i++)
		free(v[i]);
}

static long minor_faults(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/*
 * A block above the mmap threshold, allocated, filled and freed in a loop
 * (numpy's temporaries): glibc raises its threshold and reuses heap pages;
 * the front end keeps the freed mapping for the next request of its size.
 * Fresh pages every round made numpy 3.4 times glibc's page faults.  The
 * reused block must read as zero through calloc, and a freed one must
 * still fault (its mapping is kept inaccessible; on glibc it is unmapped).
 */
static void test_host_block_loop(void)
{
	enum { SZ = 16 << 20, ROUNDS = 20 };
	long before, faults;
	size_t i, nonzero = 0;
	unsigned char *p;
	int r, status;
	pid_t pid;

	/* Page faults count pages: no transparent huge pages (2 MiB a fault) here. */
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	before = minor_faults();
	for (r = 0; r < ROUNDS; r++) {
		p = malloc(SZ + r);
		CHECK(p != NULL);
		if (!p)
			return;
		memset(p, 0x5a, SZ + r);
		/* Seen: else the compiler drops the malloc, memset and free. */
		__asm__ volatile("" : : "r"(p) : "memory");
		free(p);
	}
	faults = minor_faults() - before;
	prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0);
	/* (glibc only after its threshold rose: test_glibc_extras's mallopt() fixed it) */
	if (on_ukmem && faults >= 4 * (SZ / 4096))
		fprintf(stderr, "%d rounds of %d MiB: %ld page faults\n", ROUNDS, SZ >> 20, faults);
	CHECK(!on_ukmem || faults < 4 * (SZ / 4096));
	/*
	 * calloc of the kept mapping drops its pages rather than clearing
	 * them: a program that then touches a page or two of a big zeroed
	 * block pays for those (a memset of the whole block made such a
	 * loop 12 times glibc's time, and three times its RSS).
	 */
	before = rss_kib();
	p = calloc(1, SZ);
	CHECK(p != NULL);
	if (on_ukmem)
		CHECK(before - rss_kib() > (SZ >> 10) / 2);
	for (i = 0; p && i < SZ; i += 8)
		nonzero += *(unsigned long *)(p + i) != 0;
	CHECK_EQ(nonzero, 0);
	/* Resident again (the reuse dropped its pages rather than clear them). */
	if (p)
		memset(p, 0x11, SZ);
	if (on_ukmem)
		malloc_trim(0);		/* all but the block itself handed back first */
	free(p);
	if (!on_ukmem)
		return;
	/*
	 * malloc_trim() hands the kept mapping back: its 16 MiB leave the RSS,
	 * and it says it released memory (1), as glibc's does, though no
	 * free-page count shows it.
	 */
	before = rss_kib();
	CHECK_EQ(malloc_trim(0), 1);
	CHECK(before - rss_kib() > (SZ >> 10) / 2);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		p = malloc(SZ);
		memset(p, 1, SZ);
		free(p);
		*(volatile unsigned char *)(p + SZ / 2) = 2;	/* use after free */
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
}

/*
 * init_on_alloc=1 and init_on_free=1 promise that malloc never hands out
 * what an earlier block held.  A fresh host mapping reads as zero by
 * itself, but one taken from the freed blocks' cache still holds the
 * freed block's bytes; both modes must wipe it.  In a child that boots
 * with each option (the command line is read once, at boot).
 */
/* Bytes of @p[from..to) that are not zero. */
static size_t nonzero_bytes(const unsigned char *p, size_t from, size_t to)
{
	size_t n = 0;

	for (; from < to; from++)
		n += p[from] != 0;
	return n;
}

/* Blocks of @size (aligned to @align, 0: malloc) filled with 0xab and freed. */
static void dirty_heap(size_t size, size_t align)
{
	void *ps[24];
	unsigned int i;

	for (i = 0; i < 24; i++) {
		ps[i] = align ? memalign(align, size) : malloc(size);
		if (ps[i])
			memset(ps[i], 0xab, size);
	}
	for (i = 0; i < 24; i++)
		free(ps[i]);
}

/*
 * init_on_alloc=1 and init_on_free=1 promise that no block shows bytes of
 * an earlier one: every way to get memory, slab classes, large blocks
 * (the cache of guarded blocks hands the same block out again), aligned
 * blocks, and the room realloc grows into, in place or not.
 */
static int init_child_all_apis(void)
{
	static const size_t sizes[] = { 8, 16, 24, 40, 100, 128, 500, 1024, 3000,
					4096, 8192, 10000, 70000, 300000, 1 << 20 };
	static const char *const names[] = { "malloc", "memalign", "posix_memalign",
					     "aligned_alloc", "valloc", "realloc",
					     "reallocarray" };
	size_t bad[7] = { 0 };
	unsigned int i, a, k;
	int ret = 0;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t s = sizes[i], grown = s + s / 3 + 1;
		unsigned char *p;
		void *v;

		dirty_heap(s, 0);
		p = malloc(s);
		bad[0] += p ? nonzero_bytes(p, 0, s) : s;
		free(p);
		for (a = 32; a <= 65536; a *= 8) {
			dirty_heap(s, a);
			p = memalign(a, s);
			bad[1] += p ? nonzero_bytes(p, 0, s) : s;
			free(p);
			dirty_heap(s, a);
			v = NULL;
			bad[2] += posix_memalign(&v, a, s) ? s : nonzero_bytes(v, 0, s);
			free(v);
			dirty_heap(s, a);
			p = aligned_alloc(a, s);
			bad[3] += p ? nonzero_bytes(p, 0, s) : s;
			free(p);
		}
		dirty_heap(s, 4096);
		p = valloc(s);
		bad[4] += p ? nonzero_bytes(p, 0, s) : s;
		free(p);
		/* The room a block grows into, in place (a third more) or moved. */
		for (k = 0; k < 2; k++) {
			dirty_heap(grown * (k + 1), 0);
			p = malloc(s);
			if (!p)
				return 2;
			memset(p, 0, s);
			v = realloc(p, grown * (k + 1));
			if (!v) {
				free(p);
				return 2;
			}
			bad[5] += nonzero_bytes(v, s, grown * (k + 1));
			free(v);
		}
		dirty_heap(3 * s, 0);
		p = reallocarray(NULL, 3, s);
		bad[6] += p ? nonzero_bytes(p, 0, 3 * s) : 3 * s;
		free(p);
	}
	/*
	 * A block of an exact class cache (made after enough blocks of its
	 * size) shrunk in place, then grown back: the size is not recorded
	 * there, so the room between reads what the block held before.
	 */
	for (i = 0; i < 2; i++) {
		size_t s = i ? 48 : 1024;
		unsigned char *p, *q;
		void *ps[300];

		for (k = 0; k < 300; k++)
			ps[k] = malloc(s);
		for (k = 0; k < 300; k++)
			free(ps[k]);
		p = malloc(s);
		if (!p)
			return 2;
		memset(p, 0xab, s);
		q = realloc(p, s * 2 / 3);
		if (!q)
			return 2;
		p = realloc(q, s);
		if (!p)
			return 2;
		bad[5] += nonzero_bytes(p, s * 2 / 3, s);
		free(p);
	}
	/* A host block shrunk in its mapping, then grown back: its old bytes. */
	{
		unsigned char *p = malloc(8 << 20), *q;

		if (!p)
			return 2;
		memset(p, 0xab, 8 << 20);
		q = realloc(p, 5 << 20);
		if (!q)
			return 2;
		p = realloc(q, 7 << 20);
		if (!p)
			return 2;
		bad[5] += nonzero_bytes(p, 5 << 20, 7 << 20);
		q = realloc(p, 12 << 20);	/* moved or extended: still zero */
		if (!q)
			return 2;
		bad[5] += nonzero_bytes(q, 5 << 20, 12 << 20);
		free(q);
	}
	for (i = 0; i < 7; i++)
		if (bad[i]) {
			printf("%s: %zu bytes left from freed blocks\n", names[i], bad[i]);
			ret = 1;
		}
	return ret;
}

/*
 * Blocks of more than 4 MiB, 40 freed one after the other and 40 live at
 * once: the table that tracks them grows and is rebuilt, through the
 * library's own kfree()s.  Under init_on_alloc or M_PERTURB every free
 * takes the slow path, where those kfree()s were refused with a WARNING
 * ("not memory of this allocator") and leaked.  0 if stderr stayed clean.
 */
static int host_table_quiet(void)
{
	enum { SZ = 5 << 20, N = 40 };
	char *live[N], said[512];
	FILE *err = tmpfile();
	int saved = dup(2), ret = 0, i;
	size_t n;

	if (!err || saved < 0)
		return 20;
	fflush(stderr);
	dup2(fileno(err), 2);
	for (i = 0; i < N; i++) {
		char *p = malloc(SZ);

		if (!p)
			ret = 21;
		else
			p[SZ - 1] = 1;
		free(p);
	}
	for (i = 0; i < N; i++)
		live[i] = malloc(SZ + (size_t)i * 4096);
	for (i = 0; i < N; i++) {
		if (!live[i])
			ret = 22;
		free(live[i]);
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(err);
	n = fread(said, 1, sizeof(said) - 1, err);
	said[n] = '\0';
	fclose(err);
	if (n) {
		printf("stderr: %s\n", said);
		ret = 23;
	}
	return ret;
}

static int perturb_child(void)
{
	if (mallopt(M_PERTURB, 0x55) != 1)
		return 30;
	return host_table_quiet();
}

static void test_host_table_slow_frees(void)
{
	static const char *const lines[] = { "loglevel=7" };

	if (!on_ukmem)
		return;
	run_self_under("--perturb-child", lines, 1);
}

static int init_child(void)
{
	enum { SZ = 8 << 20 };
	size_t i, nonzero = 0;
	unsigned char *p, *q;
	int ret = init_child_all_apis();

	if (ret > 1)
		return ret;
	ret = host_table_quiet() ?: ret;
	if (ret > 1)
		return ret;
	p = malloc(SZ);

	if (!p)
		return 2;
	memset(p, 0x5a, SZ);
	__asm__ volatile("" : : "r"(p) : "memory");
	free(p);
	q = malloc(SZ);		/* the same size: the kept mapping */
	if (!q)
		return 2;
	for (i = 0; i < SZ; i += sizeof(unsigned long))
		nonzero += *(unsigned long *)(q + i) != 0;
	if (nonzero)
		printf("%zu of %d words left from the freed block\n",
		       nonzero, SZ / (int)sizeof(unsigned long));
	free(q);
	return nonzero || ret ? 1 : 0;
}

static void test_host_block_reuse_init(void)
{
	static const char *const modes[] = { "init_on_alloc=1", "init_on_free=1" };

	if (!on_ukmem)
		return;		/* glibc has neither option */
	run_self_under("--init-child", modes, sizeof(modes) / sizeof(modes[0]));
}

/* The process's address space now, in bytes (statm's first field). */
static long vm_bytes(void)
{
	long pages = -1;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &pages) != 1)
		pages = -1;
	fclose(f);
	return pages * sysconf(_SC_PAGESIZE);
}

/*
 * Under an address-space limit (ulimit -v) the mappings the front end
 * keeps of freed blocks must not cost a request that fits once they are
 * gone: glibc unmaps a freed block, so after free(24 MiB) a malloc or a
 * realloc to 30 MiB fits in 36 MiB more than the program had before.  In
 * a child: the limit is the child's.
 */
static int limit_child(void)
{
	enum { MIB = 1 << 20 };
	struct rlimit rl;
	long base;
	char *p, *q;

	malloc_trim(0);		/* nothing kept from earlier cases */
	base = vm_bytes();
	if (base < 0)
		return 10;
	p = malloc(24 * MIB);
	if (!p)
		return 11;
	memset(p, 1, 24 * MIB);
	free(p);
	rl.rlim_cur = rl.rlim_max = (rlim_t)base + 36 * MIB;
	if (setrlimit(RLIMIT_AS, &rl))
		return 12;
	p = malloc(30 * MIB);
	if (!p)
		return 1;
	free(p);
	/* Once more, for realloc's growth: a small host block grown to 30 MiB. */
	p = malloc(5 * MIB);
	if (!p)
		return 13;
	free(malloc(24 * MIB));
	q = realloc(p, 30 * MIB);
	if (!q)
		return 2;
	free(q);
	return 0;
}

static void test_host_cache_under_limit(void)
{
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(limit_child());
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	if (WEXITSTATUS(status))
		printf("child: step %d failed\n", WEXITSTATUS(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
}

/* The start of the host mapping that holds @p (/proc/self/maps), or NULL. */
static char *mapping_start(const void *p)
{
	unsigned long lo, hi, found = 0;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return NULL;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 &&
		    lo <= (unsigned long)p && (unsigned long)p < hi)
			found = lo;
	fclose(f);
	return (char *)found;
}

/*
 * A freed host block must fault even where the host refuses to split
 * one more mapping (vm.max_map_count reached, which programs with many
 * mappings meet): making the block inaccessible for the cache is an
 * mprotect() that splits the mapping if a neighbour was merged into it,
 * and is refused there, while unmapping a block at a mapping's end is
 * not (glibc's free() passes here).  In a child: it fills its map count with one-page
 * mappings, then frees the block and touches it.
 */
static int map_limit_child(void)
{
	enum { SZ = 8 << 20 };
	long page = sysconf(_SC_PAGESIZE);
	char *p, *start, *q;
	long n = 0;

	malloc_trim(0);
	p = malloc(SZ);
	if (!p)
		return 10;
	memset(p, 1, SZ);
	/* A one-page neighbour below that the host merges with the block's mapping. */
	start = mapping_start(p);
	if (!start)
		return 12;
	q = mmap(start - page, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_FIXED_NOREPLACE, -1, 0);
	if (q != start - page)
		return 77;	/* taken: no setup here */
	*q = 1;
	/* Then mappings until the host refuses (alternating: none merge). */
	for (;;) {
		void *m = mmap(NULL, page, n++ & 1 ? PROT_READ : PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED)
			break;
		if (n > (1L << 19))
			return 11;
	}
	free(p);
	*(volatile char *)(p + SZ / 2) = 2;	/* use after free */
	return 0;
}

static void test_host_block_freed_at_map_limit(void)
{
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	long max = -1;
	int status = 0;
	pid_t pid;

	if (f) {
		if (fscanf(f, "%ld", &max) != 1)
			max = -1;
		fclose(f);
	}
	/* Hosts tuned for games or databases allow millions: too many to fill. */
	if (max < 0 || max > (1L << 18)) {
		KTEST_SKIP("vm.max_map_count is %ld", max);
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(map_limit_child());
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		KTEST_SKIP("the page after the block is mapped already");
		return;
	}
	if (WIFEXITED(status))
		printf("child exited with %d: the freed block did not fault\n", WEXITSTATUS(status));
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
}

static void test_realloc(void)
{
	static const size_t steps[] = { 1, 24, 200, 5000, 100000, 3 << 20, 6 << 20,
					12 << 20, 70, 9000, 3 };
	unsigned char *p = NULL, *q;
	size_t have = 0;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		q = realloc(p, steps[i]);
		CHECK(q != NULL);
		if (!q)
			break;
		CHECK(filled(q, have < steps[i] ? have : steps[i], 3));
		fill(q, steps[i], 3);
		p = q;
		have = steps[i];
	}
	free(p);

	/* realloc(p, 0) frees and returns NULL; realloc(NULL, 0) is malloc(0). */
	errno = 0;
	CHECK(realloc(malloc(10), 0) == NULL);
	CHECK_EQ(errno, 0);
	p = realloc(NULL, 0);
	CHECK(p != NULL);
	free(p);

	/* A failed realloc leaves the block alone. */
	p = malloc(64);
	fill(p, 64, 9);
	errno = 0;
	CHECK(realloc(p, SIZE_MAX) == NULL);
	CHECK_EQ(errno, ENOMEM);
	CHECK(filled(p, 64, 9));
	free(p);
}

static void test_aligned_allocations(void)
{
	void *p = NULL;
	int r;

	for (size_t a = 8; a <= (8 << 20); a *= 2) {
		size_t sizes[] = { 1, a / 2 + 1, a, a + 1, 3 * a };

		for (size_t i = 0; i < 5; i++) {
			r = posix_memalign(&p, a, sizes[i]);
			CHECK_EQ(r, 0);
			CHECK(aligned(p, a));
			memset(p, 1, sizes[i]);
			free(p);
			p = memalign(a, sizes[i]);
			CHECK(p && aligned(p, a));
			free(p);
			p = aligned_alloc(a, sizes[i]);
			CHECK(p && aligned(p, a));
			free(p);
		}
	}
	p = valloc(10);
	CHECK(p && aligned(p, 4096));
	free(p);
	p = pvalloc(10);
	CHECK(p && aligned(p, 4096) && malloc_usable_size(p) >= 4096);
	free(p);

	/* posix_memalign: EINVAL for a bad alignment, the pointer untouched. */
	p = (void *)0x1;
	CHECK_EQ(posix_memalign(&p, 4, 10), EINVAL);
	CHECK_EQ(posix_memalign(&p, 0, 10), EINVAL);
	CHECK_EQ(posix_memalign(&p, 24, 10), EINVAL);
	CHECK(p == (void *)0x1);
	CHECK_EQ(posix_memalign(&p, 8, SIZE_MAX), ENOMEM);
	CHECK_EQ(posix_memalign(&p, 64, 0), 0);
	free(p);

	/* memalign rounds a bad alignment up; a huge one is ENOMEM. */
	p = memalign(3, 10);
	CHECK(p && aligned(p, 4));
	free(p);
	errno = 0;
	CHECK(memalign(SIZE_MAX / 2 + 1, 10) == NULL);
	CHECK_EQ(errno, ENOMEM);
	/* Above SIZE_MAX / 2 + 1 no power of two is left: EINVAL (glibc's _mid_memalign). */
	errno = 0;
	CHECK(memalign(SIZE_MAX / 2 + 2, 10) == NULL);
	CHECK_EQ(errno, EINVAL);
	errno = 0;
	CHECK(memalign(SIZE_MAX, 10) == NULL);
	CHECK_EQ(errno, EINVAL);
	errno = 0;
	CHECK(aligned_alloc(SIZE_MAX / 2 + 2, 10) == NULL);
	CHECK_EQ(errno, EINVAL);
	/* posix_memalign answers in its return value and leaves errno alone. */
	errno = 4242;
	CHECK_EQ(posix_memalign(&p, 3, 10), EINVAL);
	CHECK_EQ(posix_memalign(&p, SIZE_MAX / 2 + 2, 10), EINVAL);
	CHECK_EQ(errno, 4242);

	/* aligned_alloc: as memalign before glibc 2.38, EINVAL from 2.38. */
	{
		const char *v = gnu_get_libc_version();
		int major = atoi(v), minor = atoi(strchr(v, '.') + 1);
		bool strict = major > 2 || (major == 2 && minor >= 38);

		errno = 0;
		p = aligned_alloc(3, 10);
		if (strict) {
			CHECK(p == NULL);
			CHECK_EQ(errno, EINVAL);
		} else {
			CHECK(p != NULL);
			free(p);
		}
	}
}

static void test_glibc_extras(void)
{
	struct mallinfo2 before, after;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	void *p;

	/* glibc 2.36 accepts a negative threshold (no block reaches it as a size_t) */
	CHECK_EQ(mallopt(M_MMAP_THRESHOLD, -1), 1);
	CHECK_EQ(mallopt(M_MMAP_THRESHOLD, INT_MIN), 1);
	CHECK_EQ(mallopt(M_MMAP_THRESHOLD, 1 << 20), 1);
	CHECK_EQ(mallopt(M_PERTURB, 0), 1);
	CHECK_EQ(mallopt(12345, 1), 1);		/* glibc accepts the unknown */
	/* M_MXFAST: glibc's fastbin limit, 0 to 80 * sizeof(size_t) / 4 bytes, or 0 */
	CHECK_EQ(mallopt(M_MXFAST, 64), 1);
	CHECK_EQ(mallopt(M_MXFAST, 80 * sizeof(size_t) / 4), 1);
	CHECK_EQ(mallopt(M_MXFAST, 80 * sizeof(size_t) / 4 + 1), 0);
	CHECK_EQ(mallopt(M_MXFAST, 4096), 0);
	CHECK_EQ(mallopt(M_MXFAST, -1), 0);
	CHECK_EQ(mallopt(M_MXFAST, 64 * sizeof(size_t) / 4), 1);	/* glibc's default again */

	before = mallinfo2();
	p = malloc(1 << 19);
	memset(p, 1, 1 << 19);
	after = mallinfo2();
	CHECK(after.uordblks + after.hblkhd >= before.uordblks + before.hblkhd + (1 << 19));
	free(p);
	/* Freed is not in use, though the front end parks the block until the next free. */
	after = mallinfo2();
	CHECK(after.uordblks + after.hblkhd < before.uordblks + before.hblkhd + (1 << 19));

	f = open_memstream(&buf, &len);
	CHECK_EQ(malloc_info(0, f), 0);
	fclose(f);
	CHECK(buf && strstr(buf, "<malloc version=\"1\">") && strstr(buf, "</malloc>"));
	free(buf);
	CHECK_EQ(malloc_info(1, stdout), EINVAL);
	malloc_trim(0);
}

/* ---- threads ---- */

#define RING 256
struct ring {
	void *slot[RING];
	size_t size[RING];
	unsigned long head, tail;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
	int bad;
};

static void *producer(void *arg)
{
	struct ring *r = arg;

	for (unsigned int i = 0; i < 200000; i++) {
		size_t n = 1 + (i * 2654435761u) % 3000;
		unsigned char *p = malloc(n);

		fill(p, n, i);
		pthread_mutex_lock(&r->lock);
		while (r->head - r->tail == RING)
			pthread_cond_wait(&r->cond, &r->lock);
		r->slot[r->head % RING] = p;
		r->size[r->head % RING] = n;
		r->head++;
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
	}
	pthread_mutex_lock(&r->lock);
	r->done = true;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

static void *consumer(void *arg)
{
	struct ring *r = arg;
	unsigned int i = 0;

	for (;;) {
		unsigned char *p;
		size_t n;

		pthread_mutex_lock(&r->lock);
		while (r->head == r->tail && !r->done)
			pthread_cond_wait(&r->cond, &r->lock);
		if (r->head == r->tail) {
			pthread_mutex_unlock(&r->lock);
			return NULL;
		}
		p = r->slot[r->tail % RING];
		n = r->size[r->tail % RING];
		r->tail++;
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
		if (!filled(p, n, i++))
			r->bad++;
		free(p);	/* freed on another thread than the one that allocated */
	}
}

static void test_cross_thread_frees(void)
{
	struct ring r = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };
	pthread_t a, b;

	pthread_create(&a, NULL, producer, &r);
	pthread_create(&b, NULL, consumer, &r);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	CHECK_EQ(r.bad, 0);
}

static void *short_lived(void *arg)
{
	void **keep = arg;

	for (int i = 0; i < 1000; i++)
		free(malloc(16 + i));
	for (int i = 0; i < 8; i++) {
		keep[i] = malloc(32 * (i + 1));
		fill(keep[i], 32 * (i + 1), 5);
	}
	return NULL;
}

/* Threads exit with objects in their per-CPU caches and objects still live. */
static void test_thread_exit(void)
{
	static void *kept[64][8];
	int bad = 0;

	for (int round = 0; round < 4; round++) {
		pthread_t t[16];

		for (int i = 0; i < 16; i++)
			pthread_create(&t[i], NULL, short_lived, kept[round * 16 + i]);
		for (int i = 0; i < 16; i++)
			pthread_join(t[i], NULL);
	}
	for (int i = 0; i < 64; i++)
		for (int j = 0; j < 8; j++) {
			bad += !filled(kept[i][j], 32 * (j + 1), 5);
			free(kept[i][j]);
		}
	CHECK_EQ(bad, 0);
}

/*
 * The first allocation comes when the program has used up every mapping
 * the host allows it (vm.max_map_count): on ukmem the implicit boot
 * cannot commit its memory.  It used to panic and abort the program; now
 * the machine stays down and allocations fail with ENOMEM once the
 * bootstrap arena is used up (glibc serves from brk, or fails the same way).
 */
static int refused_child(void)
{
	enum { SLOTS = 1 << 20 };
	char *base = mmap(NULL, (size_t)SLOTS * 8192, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	int bad_errno = 0;

	if (base == MAP_FAILED)
		return 2;
	for (unsigned long i = 0; i < SLOTS; i++)
		if (mprotect(base + i * 8192, 4096, PROT_READ))
			break;
	for (int i = 0; i < 2000; i++) {
		void *p;

		errno = 0;
		p = malloc(1000);
		if (!p && errno != ENOMEM)
			bad_errno++;
		__asm__ volatile("" : : "r"(p) : "memory");
	}
	munmap(base, (size_t)SLOTS * 8192);
	return bad_errno ? 3 : 0;
}

static void test_boot_refused(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { "malloc_api", "--refused-child", NULL };

		execv("/proc/self/exe", argv);
		_exit(127);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static pthread_key_t late_key;
static __thread int late_rounds;

/* Frees in each of glibc's destructor rounds, the last one included. */
static void late_destructor(void *block)
{
	free(block);
	if (++late_rounds < PTHREAD_DESTRUCTOR_ITERATIONS)
		pthread_setspecific(late_key, malloc(200));
}

static void *late_freer(void *arg)
{
	/* A buffer glibc frees after the thread-specific destructors. */
	volatile const char *s = strerror(100000 + (int)(intptr_t)arg);

	(void)s;
	pthread_setspecific(late_key, malloc(200));
	return NULL;
}

/*
 * Blocks freed as a thread exits, after the front end's own destructor
 * gave its parked block back (another key's destructor in glibc's last
 * round, glibc's __libc_thread_freeres): none may be left parked, lost
 * with the thread's TLS.  3000 threads would leak 700 KB.
 */
static void test_thread_exit_late_frees(void)
{
	size_t before, after;

	CHECK_EQ(pthread_key_create(&late_key, late_destructor), 0);
	free(malloc(1));	/* the per-CPU stacks of the sizes used */
	for (int i = 0; i < 50; i++) {
		pthread_t t;

		pthread_create(&t, NULL, late_freer, (void *)(intptr_t)i);
		pthread_join(t, NULL);
	}
	before = mallinfo2().uordblks;
	for (int i = 0; i < 3000; i++) {
		pthread_t t;

		pthread_create(&t, NULL, late_freer, (void *)(intptr_t)i);
		pthread_join(t, NULL);
	}
	after = mallinfo2().uordblks;
	pthread_key_delete(late_key);
	CHECK(after < before + 64 * 1024);
}

static volatile bool churn_stop;

static void *churn(void *arg)
{
	while (!churn_stop) {
		void *v[64];

		for (int i = 0; i < 64; i++)
			v[i] = malloc(8 + i * 40);
		for (int i = 0; i < 64; i++)
			free(v[i]);
	}
	return NULL;
}

/*
 * fork() while other threads allocate: the child must be able to allocate
 * (no lock left held by a thread that does not exist in the child).
 */
static void test_fork_while_allocating(void)
{
	pthread_t t[2];
	int failures = 0;

	churn_stop = false;
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, churn, NULL);
	for (int i = 0; i < 40; i++) {
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			void *v[100];

			alarm(getenv("FORK_ALARM") ? atoi(getenv("FORK_ALARM")) : 10);	/* a deadlock ends as SIGALRM */
			for (int j = 0; j < 100; j++)
				v[j] = malloc(16 << (j % 12));
			for (int j = 0; j < 100; j++)
				free(v[j]);
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			failures++;
	}
	churn_stop = true;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(failures, 0);
}

/* ukmem only: after a large working set is freed, RSS falls near the baseline. */
static void test_memory_returns_to_host(void)
{
	enum { OBJ = 700, TOTAL = 256 << 20, N = TOTAL / OBJ };
	static void *v[N];
	long base, full, after;

	if (!on_ukmem)
		return;
	base = rss_kib();
	for (int i = 0; i < N; i++) {
		v[i] = malloc(OBJ);
		memset(v[i], 0x3c, OBJ);
	}
	full = rss_kib();
	for (int i = 0; i < N; i++)
		free(v[i]);
	after = rss_kib();
	CHECK(full - base > 200 * 1024);
	/*
	 * Kept: page_reporting.keep (2) committed 4 MiB blocks, free blocks
	 * below 4 MiB, per-CPU and partial slabs, pcp lists, and the struct
	 * pages of the memory that was touched (1/64 of it): about a tenth.
	 */
	if (after - base >= (full - base) / 6)
		fprintf(stderr, "rss: base %ld KiB, full %ld KiB, after free %ld KiB\n",
			base, full, after);
	CHECK(after - base < (full - base) / 6);
}

/*
 * ld.so allocates with its own minimal malloc before the front end is
 * relocated and frees some of that later through free(): loading and
 * unloading libraries mixes both kinds of pointer.
 */
static void test_dlopen_cycles(void)
{
	for (int i = 0; i < 50; i++) {
		void *h = dlopen("libm.so.6", RTLD_NOW | RTLD_LOCAL);
		void *z = dlopen("libz.so.1", RTLD_LAZY | RTLD_GLOBAL);

		CHECK(h != NULL);
		if (h) {
			CHECK(dlsym(h, "cos") != NULL);
			dlclose(h);
		}
		if (z)
			dlclose(z);
	}
}

/*
 * ukmem only: malloc_usable_size() is the size asked for, for every size
 * up to 8 KiB: the rest of the block's class is a canary (a program told
 * it may use more would write into it).
 */
static void test_size_classes(void)
{
	if (!on_ukmem)
		return;
	for (size_t n = 1; n <= 8192; n++) {
		void *p = malloc(n);
		size_t u = malloc_usable_size(p);

		if (u != n || ((uintptr_t)p & 15)) {
			fprintf(stderr, "malloc(%zu): usable %zu at %p\n", n, u, p);
			CHECK(0);
			free(p);
			break;
		}
		free(p);
	}
}

/*
 * ukmem only: a block above the slab classes ends its pages (its end
 * rounded up to 16 bytes), against a guard page from 64 KiB up, after 16
 * canary bytes below; its usable size is the size asked for, and it goes
 * back whole; realloc keeps a block while the new size fits in it and
 * uses more than a quarter of it, and grows one by half at least, so
 * that the next small growth is in place.
 */
static void test_large_blocks(void)
{
	enum { N = 64, SIZE = 9000, PAGE = 4096 };
	static void *v[N];
	size_t arena;
	char *p, *q;

	if (!on_ukmem)
		return;
	for (size_t n = 8193; n <= (4u << 20); n = n * 5 / 4 + 1) {
		p = malloc(n);
		CHECK(p != NULL && ((uintptr_t)p & 15) == 0);
		CHECK_EQ(((uintptr_t)p + ((n + 15) & ~(size_t)15) + (n < 65536 ? 16 : 0)) & (PAGE - 1), 0);
		CHECK_EQ(malloc_usable_size(p), n);
		free(p);
	}
	malloc_trim(0);
	arena = mallinfo2().arena;
	for (int i = 0; i < N; i++) {
		v[i] = malloc(SIZE);
		memset(v[i], i, SIZE);
	}
	CHECK(mallinfo2().arena - arena >= (size_t)N * 3 * PAGE);
	for (int i = 0; i < N; i++)
		free(v[i]);
	free(malloc(1));	/* the last one freed is held until the next free */
	malloc_trim(0);
	CHECK_EQ(mallinfo2().arena, arena);

	p = malloc(100 * 1024);
	fill((unsigned char *)p, 100 * 1024, 7);
	q = realloc(p, 60 * 1024);		/* more than half: in place */
	CHECK(q == p);
	CHECK_EQ(malloc_usable_size(q), (size_t)60 * 1024);
	q = realloc(q, 40 * 1024 + 1);		/* more than a quarter: in place */
	CHECK(q == p);
	CHECK(filled((unsigned char *)q, 40 * 1024 + 1, 7));
	q = realloc(q, 20 * 1024);		/* less than a quarter: moved */
	CHECK(q != p);
	CHECK(filled((unsigned char *)q, 20 * 1024, 7));
	q = realloc(q, 40 * 1024 + 1);
	fill((unsigned char *)q, 40 * 1024 + 1, 7);
	p = realloc(q, 44 * 1024 + 1);		/* grown by half at least */
	q = realloc(p, 58 * 1024);
	CHECK(q == p);
	CHECK(filled((unsigned char *)q, 40 * 1024 + 1, 7));
	free(q);
}

/*
 * ukmem only: a double free stops the program (SIGABRT), after the
 * kernel's report of the object, with the front end's line.  The full
 * table of such cases is tests/malloc_harden.c.  In a child, with its
 * stderr captured.
 */
static void test_bad_frees_stop(void)
{
	char buf[16384];
	size_t got = 0;
	int fds[2], status = 0;
	ssize_t n;
	pid_t pid;

	if (!on_ukmem || pipe(fds))
		return;
	pid = fork();
	if (pid == 0) {
		char *volatile p = malloc(40);

		dup2(fds[1], 2);
		close(fds[0]);
		free(p);
		free(p);
		_exit(0);
	}
	close(fds[1]);
	while (got < sizeof(buf) - 1 && (n = read(fds[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(fds[0]);
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	/*
	 * The slab's report, or KFENCE's where its timer sampled the block
	 * (seen on a loaded machine): the same stop and line either way.
	 */
	if (!strstr(buf, "BUG: KFENCE: invalid free in "))
		CHECK_STR_CONTAINS(buf, "): Object already free");
	CHECK_STR_CONTAINS(buf, "ukmem: free(): double free: 0x");
}

/*
 * Which allocator answers: every allocation symbol, as the dynamic linker
 * resolves it for the whole process (and so for libc's own internal calls
 * and every library), must come from the front end - the preloaded
 * libukmem-malloc.so, or this program itself when it was linked with
 * libukmem-malloc.a - when UKMEM_EXPECT=1, and from libc otherwise.  A
 * preload that did not take, or that interposed malloc but not free or
 * realloc, fails here.  That the blocks really come from the front end's
 * slabs is what the ukmem-only cases below check (RSS back to the host,
 * size classes, reports with stack traces).
 */
static void test_running_on_ukmem(void)
{
	static const char *const symbols[] = {
		"malloc", "free", "calloc", "realloc", "reallocarray", "memalign",
		"posix_memalign", "aligned_alloc", "valloc", "pvalloc", "malloc_usable_size",
		"mallinfo2", "malloc_trim",
	};
	const char *expect = getenv("UKMEM_EXPECT");
	Dl_info self;
	size_t i;

	on_ukmem = expect && !strcmp(expect, "1");
	CHECK(dladdr((void *)test_running_on_ukmem, &self) && self.dli_fname);
	for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		void *sym = dlsym(RTLD_DEFAULT, symbols[i]);
		Dl_info info;
		const char *from;

		CHECK(sym != NULL);
		if (!sym || !dladdr(sym, &info) || !info.dli_fname) {
			CHECK(!"dladdr of an allocation symbol");
			continue;
		}
		from = info.dli_fname;
		if (on_ukmem && (strstr(from, "libukmem-malloc") ||
				 (self.dli_fname && !strcmp(from, self.dli_fname))))
			continue;
		if (!on_ukmem && strstr(from, "libc.so"))
			continue;
		fprintf(stderr, "%s comes from %s, not from %s\n", symbols[i], from,
			on_ukmem ? "the front end" : "libc");
		CHECK(!"the allocation symbols come from the expected allocator");
	}
}

/* Is a library whose name contains @name mapped into this process? */
static bool mapped(const char *name)
{
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f))
		found |= strstr(line, name) != NULL;
	if (f)
		fclose(f);
	return found;
}

/*
 * ukmem only: the front end loads the unwinder (libgcc_s) on its first
 * stack trace, not at boot: a program that never gets a report does not
 * carry it.  The first trace loads it from a report path, with the
 * loader's allocations served by the bootstrap arena, and the program goes
 * on allocating normally: this program run again with --unwinder-child,
 * under malloc.abort_on_corruption=0 so that a bad free is reported with
 * a trace and survived.
 */
static int unwinder_child(void)
{
	char *volatile p = malloc(100), *volatile q;
	int fd = open("/dev/null", O_WRONLY);

	if (mapped("libgcc_s"))
		return 3;
	dup2(fd, 2);
	free(p + 16);			/* reported with a stack trace */
	if (!mapped("libgcc_s"))
		return 2;
	q = malloc(50000);
	memset(q, 1, 50000);
	free(q);
	free(p);
	return 0;
}

/*
 * The first trace comes when the host refuses the unwinder's mappings
 * (vm.max_map_count used up): the load fails, and glibc would try again
 * on every later backtrace(), allocating from wherever the trace is taken
 * (under slab_mutex, from KFENCE's allocation hook, it hung).  Traces stay
 * empty instead: with room again, the next report must not load it.
 */
static int unwinder_refused_child(void)
{
	enum { SLOTS = 1 << 20 };
	char *volatile p = malloc(100);
	char *base = mmap(NULL, (size_t)SLOTS * 8192, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	int fd = open("/dev/null", O_WRONLY);

	if (mapped("libgcc_s") || base == MAP_FAILED)
		return 3;
	dup2(fd, 2);
	for (unsigned long i = 0; i < SLOTS; i++)
		if (mprotect(base + i * 8192, 4096, PROT_READ))
			break;
	free(p + 16);			/* the first trace: the load fails */
	munmap(base, (size_t)SLOTS * 8192);
	if (mapped("libgcc_s"))
		return 4;
	free(p + 32);			/* no second try */
	if (mapped("libgcc_s"))
		return 2;
	free(p);
	return 0;
}

static void test_unwinder_refused(void)
{
	int status = 0;
	pid_t pid;

	if (!on_ukmem)
		return;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "malloc_api", "--unwinder-refused-child", NULL };

		setenv("UKMEM_CMDLINE", "malloc.abort_on_corruption=0", 1);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
}

static void test_unwinder_loaded_lazily(void)
{
	int status = 0;
	pid_t pid;

	if (!on_ukmem)
		return;
	/* This program does not link libgcc_s and has not exited a thread yet. */
	CHECK(!mapped("libgcc_s"));
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "malloc_api", "--unwinder-child", NULL };

		setenv("UKMEM_CMDLINE", "malloc.abort_on_corruption=0", 1);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
}

int main(int argc, char **argv)
{
	static const struct ktest_case cases[] = {
		KTEST(test_running_on_ukmem),
		KTEST(test_unwinder_loaded_lazily),
		KTEST(test_unwinder_refused),
		KTEST(test_large_blocks),
		KTEST(test_malloc_sizes_and_alignment),
		KTEST(test_malloc_failures),
		KTEST(test_free_keeps_errno),
		KTEST(test_calloc_zeroes),
		KTEST(test_realloc),
		KTEST(test_aligned_allocations),
		KTEST(test_glibc_extras),
		KTEST(test_cross_thread_frees),
		KTEST(test_thread_exit),
		KTEST(test_thread_exit_late_frees),
		KTEST(test_boot_refused),
		KTEST(test_fork_while_allocating),
		KTEST(test_memory_returns_to_host),
		KTEST(test_dlopen_cycles),
		KTEST(test_size_classes),
		KTEST(test_calloc_large_untouched),
		KTEST(test_host_block_loop),
		KTEST(test_host_block_reuse_init),
		KTEST(test_host_table_slow_frees),
		KTEST(test_host_cache_under_limit),
		KTEST(test_host_block_freed_at_map_limit),
		KTEST(test_bad_frees_stop),
	};

	if (argc == 2 && !strcmp(argv[1], "--unwinder-child"))
		return unwinder_child();
	if (argc == 2 && !strcmp(argv[1], "--unwinder-refused-child"))
		return unwinder_refused_child();
	if (argc == 2 && !strcmp(argv[1], "--init-child"))
		return init_child();
	if (argc == 2 && !strcmp(argv[1], "--perturb-child"))
		return perturb_child();
	if (argc == 2 && !strcmp(argv[1], "--refused-child"))
		return refused_child();
	return ktest_run(cases, sizeof(cases) / sizeof(cases[0]));
}
