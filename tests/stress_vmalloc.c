/* SPDX-License-Identifier: MIT */
/*
 * vmalloc at the kernel's scale:
 *  - lib/test_vmalloc.c (tests/vmalloc_kunit.h) with two workers and the
 *    default 1000000 loops of every case;
 *  - fork() after 1.8 GiB of vmalloc'd memory: the child sees what was
 *    there at fork() and nothing either side writes afterwards.
 * Each runs in a child with progress-based hang detection (ktest_child).
 * mem=4G.  UKMEM_VMALLOC_LOOPS=N overrides the loop count.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ukmem/boot.h>
#include "vmalloc_kunit.h"

static void kernel_cases(void *arg)
{
	const char *env = getenv("UKMEM_VMALLOC_LOOPS");

	(void)arg;
	vmk_run(2, env ? atol(env) : 1000000, 12);
}

static void test_kernel_cases_default_counts(void)
{
	CHECK(ktest_exited_with(ktest_child(kernel_cases, NULL), 0));
}

#define BIG	(1800UL << 20)

/* One byte per page: the child's view of what the parent wrote, and back. */
static void fork_big(void *arg)
{
	unsigned char *p = vmalloc(BIG);
	int to_child[2], to_parent[2], status;
	unsigned long i, bad = 0;
	pid_t pid;
	char c;

	(void)arg;
	CHECK(p != NULL);
	if (!p || pipe(to_child) || pipe(to_parent))
		return;
	for (i = 0; i < BIG; i += PAGE_SIZE) {
		p[i] = (unsigned char)(i >> PAGE_SHIFT);
		if (!(i & ((64UL << 20) - 1)))
			ktest_progress();
	}
	pid = fork();
	if (pid == 0) {
		/* Wait for the parent's writes, check, write back, report. */
		if (read(to_child[0], &c, 1) != 1)
			_exit(2);
		for (i = 0; i < BIG; i += PAGE_SIZE)
			bad += p[i] != (unsigned char)(i >> PAGE_SHIFT);
		for (i = 0; i < BIG; i += 64 * PAGE_SIZE)
			p[i] = 0xcc;
		c = bad ? 'x' : 'k';
		_exit(write(to_parent[1], &c, 1) == 1 && !bad ? 0 : 1);
	}
	CHECK(pid > 0);
	/* Right after fork() returns: overwrite every page the child will read. */
	for (i = 0; i < BIG; i += PAGE_SIZE)
		p[i] = (unsigned char)~(i >> PAGE_SHIFT);
	ktest_progress();
	CHECK(write(to_child[1], "g", 1) == 1);
	CHECK(read(to_parent[0], &c, 1) == 1 && c == 'k');
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (i = 0; i < BIG; i += PAGE_SIZE)
		bad += p[i] != (unsigned char)~(i >> PAGE_SHIFT);
	CHECK_EQ(bad, 0);	/* the child's writes stay in the child */
	vfree(p);
}

static void test_fork_after_1800m(void)
{
	CHECK(ktest_exited_with(ktest_child(fork_big, NULL), 0));
}

int main(void)
{
	if (ukmem_boot("mem=4G loglevel=1")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	ukmem_install_atfork();
	KTEST_RUN(KTEST(test_fork_after_1800m), KTEST(test_kernel_cases_default_counts));
}
