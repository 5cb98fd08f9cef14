/* SPDX-License-Identifier: MIT */
/*
 * The implicit boot under an address-space limit (RLIMIT_AS): what it
 * reserves leaves the program room for its own mappings.  A program of its
 * own, because the sanitizers' shadow memory cannot live under the limit:
 * there it is skipped, and the other small-machine cases still count.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include "mm/internal.h"
#include "ktest.h"

/*
 * Under RLIMIT_AS the implicit boot takes at most half of what the limit
 * leaves for RAM and an eighth for vmalloc, so that the program's own
 * mappings still fit (it used to halve the host's RAM until the
 * reservation fitted, then give vmalloc most of the rest: a 700 MB mmap
 * failed under a 2 GiB limit).
 */
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
static void address_space_limit(void *arg)
{
	unsigned long mapped = 0;
	struct rlimit rl;
	FILE *f = fopen("/proc/self/statm", "r");
	void *p, *v, *big;

	(void)arg;
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK(f != NULL && fscanf(f, "%lu", &mapped) == 1);
	if (f)
		fclose(f);
	mapped *= (unsigned long)getpagesize();
	rl.rlim_cur = rl.rlim_max = mapped + (2UL << 30);
	CHECK_EQ(setrlimit(RLIMIT_AS, &rl), 0);
	p = kmalloc(100, GFP_KERNEL);		/* the implicit boot */
	CHECK(p != NULL);
	CHECK(ukmem_ram_size <= (1UL << 30) && ukmem_ram_size >= (64UL << 20));
	CHECK(ukmem_vmalloc_reserved_end - ukmem_vmalloc_start <= (256UL << 20));
	v = vmalloc(1 << 20);
	CHECK(v != NULL);
	big = mmap(NULL, 700UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(big != MAP_FAILED);
	if (big != MAP_FAILED)
		munmap(big, 700UL << 20);
	vfree(v);
	kfree(p);
}

/*
 * A small limit: what the program has already mapped + 400 MiB.  The boot
 * takes at most 200 MiB for RAM and an eighth, 50 MiB at most, for vmalloc
 * (it used to keep 128 MiB whatever the limit): a 120 MiB mapping of the
 * program's own still fits, as it would under glibc.
 */
static void small_address_space_limit(void *arg)
{
	unsigned long mapped = 0;
	struct rlimit rl;
	FILE *f = fopen("/proc/self/statm", "r");
	void *p, *v, *big;

	(void)arg;
	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK(f != NULL && fscanf(f, "%lu", &mapped) == 1);
	if (f)
		fclose(f);
	mapped *= (unsigned long)getpagesize();
	rl.rlim_cur = rl.rlim_max = mapped + (400UL << 20);
	CHECK_EQ(setrlimit(RLIMIT_AS, &rl), 0);
	p = kmalloc(100, GFP_KERNEL);		/* the implicit boot */
	CHECK(p != NULL);
	CHECK(ukmem_ram_size <= (200UL << 20) && ukmem_ram_size >= (64UL << 20));
	CHECK(ukmem_vmalloc_reserved_end - ukmem_vmalloc_start <= (50UL << 20));
	v = vmalloc(1 << 20);
	CHECK(v != NULL);
	big = mmap(NULL, 120UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(big != MAP_FAILED);
	if (big != MAP_FAILED)
		munmap(big, 120UL << 20);
	vfree(v);
	kfree(p);
}

#endif

static void test_small_address_space_limit(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	KTEST_SKIP("sanitizer shadow memory cannot live under RLIMIT_AS");
#else
	CHECK(ktest_exited_with(ktest_child(small_address_space_limit, NULL), 0));
#endif
}

static void test_address_space_limit(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	KTEST_SKIP("sanitizer shadow memory cannot live under RLIMIT_AS");
#else
	CHECK(ktest_exited_with(ktest_child(address_space_limit, NULL), 0));
#endif
}

int main(void)
{
	KTEST_RUN(KTEST(test_address_space_limit), KTEST(test_small_address_space_limit));
}
