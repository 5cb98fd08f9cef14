/* SPDX-License-Identifier: MIT */
/*
 * The implicit boot under an address-space limit (RLIMIT_AS) or a data
 * limit (RLIMIT_DATA): what it reserves leaves the program room for its
 * own mappings; and under a file-size limit (RLIMIT_FSIZE).  A program of its
 * own, because the sanitizers' shadow memory cannot live under the limit:
 * there it is skipped, and the other small-machine cases still count.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/memblock.h>
#include <linux/mempool.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include "mm/internal.h"
#include "ktest.h"

/*
 * Under RLIMIT_AS the implicit boot takes at most half of what the limit
 * leaves for RAM and an eighth for vmalloc, so that the program's own
 * mappings still fit, as they would under glibc.
 */
struct limit_case {
	unsigned long room;		/* the limit: what is mapped already + this */
	unsigned long max_ram;		/* the most the boot may take for RAM */
	unsigned long max_vmalloc;	/* and for the vmalloc range */
	unsigned long map;		/* a mapping of the program's own that must fit */
	int resource;			/* RLIMIT_AS, or RLIMIT_DATA */
	unsigned long min_ram;		/* the least RAM the boot may settle for */
};

/*
 * 2 GiB of room: the boot used to halve the host's RAM until the
 * reservation fitted, then give vmalloc most of the rest (a 700 MB mmap
 * failed).
 */
static const struct limit_case two_gib = { 2UL << 30, 1UL << 30, 256UL << 20, 700UL << 20,
					   RLIMIT_AS, 64UL << 20 };
/*
 * 400 MiB of room: the vmalloc range used to keep 128 MiB whatever the
 * limit, and a 120 MiB mapping did not fit (python3's bytearray(150 MB)
 * failed under ulimit -v 500000 on the front end).
 */
static const struct limit_case four_hundred_mib = { 400UL << 20, 200UL << 20, 50UL << 20,
						    120UL << 20, RLIMIT_AS, 64UL << 20 };
/*
 * RLIMIT_DATA, which Linux applies to every private writable mapping:
 * the boot sized RAM for the host and panicked when it could not commit
 * mem_map (1/64 of it: 384 MB on a 24 GiB host) under a 300 MB limit,
 * where glibc's malloc runs until it returns NULL.  The limit leaves the
 * same room as RLIMIT_AS's, and the boot takes the same share of it.
 */
static const struct limit_case four_hundred_mib_data = { 400UL << 20, 200UL << 20, 50UL << 20,
							 120UL << 20, RLIMIT_DATA, 64UL << 20 };
/*
 * 48 MiB of room (a program under `ulimit -v 60000`): the boot used to
 * insist on 64 MiB of RAM and 32 MiB of vmalloc, failed, and left the
 * malloc front end with its 512 KiB bootstrap arena (sort: "memory
 * exhausted" where glibc ran it).  RAM may now go down to what the boot
 * needs and vmalloc to 8 MiB.
 */
static const struct limit_case forty_eight_mib = { 48UL << 20, 24UL << 20, 8UL << 20,
						   8UL << 20, RLIMIT_AS, 4UL << 20 };

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
static void address_space_limit(void *arg)
{
	const struct limit_case *c = arg;
	unsigned long mapped = 0, data = 0;
	struct rlimit rl;
	FILE *f = fopen("/proc/self/statm", "r");
	void *p, *v, *big;

	ukmem_set_console(fopen("/dev/null", "w"));
	/* statm: size resident shared text lib data (data: what RLIMIT_DATA counts, and the stack) */
	CHECK(f != NULL && fscanf(f, "%lu %*u %*u %*u %*u %lu", &mapped, &data) == 2);
	if (f)
		fclose(f);
	if (c->resource == RLIMIT_DATA)
		mapped = data;
	mapped *= (unsigned long)getpagesize();
	rl.rlim_cur = rl.rlim_max = mapped + c->room;
	CHECK_EQ(setrlimit(c->resource, &rl), 0);
	p = kmalloc(100, GFP_KERNEL);		/* the implicit boot */
	CHECK(p != NULL);
	CHECK(ukmem_ram_size <= c->max_ram && ukmem_ram_size >= c->min_ram);
	CHECK(ukmem_vmalloc_reserved_end - ukmem_vmalloc_start <= c->max_vmalloc);
	v = vmalloc(1 << 20);
	CHECK(v != NULL);
	big = mmap(NULL, c->map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(big != MAP_FAILED);
	if (big != MAP_FAILED)
		munmap(big, c->map);
	vfree(v);
	kfree(p);
}
#endif

/*
 * The host refuses what the boot needs: every mapping the process may
 * have is in use (vm.max_map_count), or RLIMIT_DATA leaves 256 KiB (the
 * smallest machine commits more: 4 MiB boots one since RAM may shrink to
 * ukmem_min_ram() under a limit).
 * The implicit boot used to panic (a commit of boot memory failed) and
 * abort the program; now the machine does not come up and allocations
 * fail with NULL, as glibc's would, and the program goes on.
 */
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
static void boot_refused(void *arg)
{
	enum { SLOTS = 1 << 20 };
	char *base = NULL;
	void *p;

	ukmem_set_console(fopen("/dev/null", "w"));
	if (arg) {
		struct rlimit rl;
		unsigned long data = 0;
		FILE *f = fopen("/proc/self/statm", "r");

		CHECK(f != NULL && fscanf(f, "%*u %*u %*u %*u %*u %lu", &data) == 1);
		if (f)
			fclose(f);
		rl.rlim_cur = rl.rlim_max = data * (unsigned long)getpagesize() + (256UL << 10);
		CHECK_EQ(setrlimit(RLIMIT_DATA, &rl), 0);
	} else {
		/* Every other page readable: one mapping each, until none is left. */
		base = mmap(NULL, (size_t)SLOTS * 8192, PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		CHECK(base != MAP_FAILED);
		for (unsigned long i = 0; i < SLOTS; i++)
			if (mprotect(base + i * 8192, 4096, PROT_READ))
				break;
	}
	p = kmalloc(100, GFP_KERNEL);		/* the implicit boot */
	CHECK(!ukmem_booted());
	CHECK(p == NULL);
	CHECK(kmalloc(100, GFP_KERNEL) == NULL);	/* failed for good, no retry */
	/* Every other entry point too, without a report of a machine it lacks. */
	CHECK(vmalloc(PAGE_SIZE) == NULL);
	CHECK(vzalloc(1 << 20) == NULL);
	CHECK(kvmalloc(1 << 20, GFP_KERNEL) == NULL);
	CHECK(alloc_pages(GFP_KERNEL, 0) == NULL);
	CHECK(alloc_percpu(long) == NULL);
	CHECK(mempool_create_kmalloc_pool(2, 64) == NULL);
	if (base)
		munmap(base, (size_t)SLOTS * 8192);
	/*
	 * The host has room again, but memblock, which the panicked boot left
	 * behind, serves nobody (it has no lock for the program's threads).
	 */
	CHECK(memblock_alloc(PAGE_SIZE, PAGE_SIZE) == NULL);
}
#endif

/*
 * mem= beyond what RLIMIT_DATA leaves: the reservation succeeds (it costs
 * no data) but committing mem_map would not, and the boot panicked; it
 * now takes what the default would, with the warning mem= too large gets.
 */
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
static void mem_over_data_limit(void *arg)
{
	unsigned long data = 0;
	struct rlimit rl;
	FILE *f = fopen("/proc/self/statm", "r");
	void *p;

	(void)arg;
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK(f != NULL && fscanf(f, "%*u %*u %*u %*u %*u %lu", &data) == 1);
	if (f)
		fclose(f);
	rl.rlim_cur = rl.rlim_max = data * (unsigned long)getpagesize() + (100UL << 20);
	CHECK_EQ(setrlimit(RLIMIT_DATA, &rl), 0);
	setenv("UKMEM_CMDLINE", "mem=1G", 1);
	p = kmalloc(100, GFP_KERNEL);		/* the implicit boot */
	CHECK(p != NULL);
	CHECK(ukmem_booted());
	CHECK(ukmem_ram_size <= (50UL << 20));
	kfree(p);
}
#endif

static void test_mem_over_data_limit(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	KTEST_SKIP("sanitizer shadow memory cannot live under RLIMIT_DATA");
#else
	CHECK(ktest_exited_with(ktest_child(mem_over_data_limit, NULL), 0));
#endif
}

static void test_boot_refused(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	KTEST_SKIP("sanitizer shadow memory needs mappings and data of its own");
#else
	CHECK(ktest_exited_with(ktest_child(boot_refused, NULL), 0));
	CHECK(ktest_exited_with(ktest_child(boot_refused, (void *)1), 0));
#endif
}

static void run_limit_case(const struct limit_case *c)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	(void)c;
	KTEST_SKIP("sanitizer shadow memory cannot live under RLIMIT_AS");
#else
	CHECK(ktest_exited_with(ktest_child(address_space_limit, (void *)c), 0));
#endif
}

static void test_address_space_limit(void)
{
	run_limit_case(&two_gib);
}

static void test_small_address_space_limit(void)
{
	run_limit_case(&four_hundred_mib);
}

static void test_data_limit(void)
{
	run_limit_case(&four_hundred_mib_data);
}

static void test_tiny_address_space_limit(void)
{
	run_limit_case(&forty_eight_mib);
}

/*
 * A file-size limit (ulimit -f): the library's memory files are sized with
 * ftruncate(), which the host answers beyond the limit with EFBIG and a
 * SIGXFSZ that ends the process.  Under ulimit -f 0 the boot's live file
 * (a page) killed every program at its first allocation, preloaded ones
 * included; under any limit the first vmalloc (its file spans the 1 TiB
 * range) killed it.  Now the sizes are checked first: the machine boots,
 * kmalloc works, vmalloc() is NULL, and the log names the limit.
 */
static void file_size_limit(void *arg)
{
	struct rlimit rl = { (rlim_t)(unsigned long)arg, (rlim_t)(unsigned long)arg };
	char log[1 << 16];
	void *k, *v;

	struct stat st;

	/* Output into a regular file would meet the limit itself (the exit status still tells). */
	if (!fstat(1, &st) && S_ISREG(st.st_mode))
		freopen("/dev/null", "w", stdout);
	if (!fstat(2, &st) && S_ISREG(st.st_mode))
		freopen("/dev/null", "w", stderr);
	CHECK_EQ(setrlimit(RLIMIT_FSIZE, &rl), 0);
	CHECK_EQ(ukmem_boot("mem=64M"), 0);
	k = kmalloc(100, GFP_KERNEL);
	CHECK(k != NULL);
	kfree(k);
	v = vmalloc(PAGE_SIZE);
	CHECK(v == NULL);
	vfree(v);
	ukmem_dmesg(log, sizeof(log));
	CHECK(strstr(log, "the file-size limit, ulimit -f, is below the vmalloc range") != NULL);
}

static void test_file_size_limit(void)
{
	CHECK(ktest_exited_with(ktest_child(file_size_limit, (void *)0UL), 0));
	CHECK(ktest_exited_with(ktest_child(file_size_limit, (void *)(1UL << 20)), 0));
}

int main(void)
{
	KTEST_RUN(KTEST(test_mem_over_data_limit), KTEST(test_address_space_limit), KTEST(test_small_address_space_limit),
		  KTEST(test_data_limit), KTEST(test_tiny_address_space_limit),
		  KTEST(test_boot_refused), KTEST(test_file_size_limit));
}
