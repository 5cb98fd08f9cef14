/* SPDX-License-Identifier: MIT */
/*
 * tests/malloc_limits.c - the front end under an address-space limit
 * (`ulimit -v`), as a program sees it: what glibc's malloc can allocate
 * there, ukmem's must too.  Runs three ways like tests/malloc_api.c: on
 * glibc (proving the expectation is glibc's), preloaded, and static.
 *
 * The limit must hold from the program's start (the front end boots
 * before main and sizes its RAM by it), so each case sets it and
 * re-executes this program.  Skipped under the sanitizers, whose shadow
 * memory cannot live under the limit.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktest.h"
#ifdef MALLOC_TEST_INTERNALS
#include <limits.h>
#include <ukmem/report.h>
#include "arch/host.h"
#endif

#define MiB		(1UL << 20)
#define LIMIT		(640 * MiB)
#define BIG		(256 * MiB)
#define SMALL_TOTAL	(128 * MiB)
#define SMALL_SIZE	64

/* Touch a page in every 4 KiB of @p: the block must be memory, not just an address. */
static bool touch(char *p, size_t n, char v)
{
	for (size_t i = 0; i < n; i += 4096)
		p[i] = v;
	for (size_t i = 0; i < n; i += 4096)
		if (p[i] != v)
			return false;
	return true;
}

/*
 * In the re-executed child, under LIMIT: a big block (40% of the limit),
 * grown by realloc, then, with it freed, 128 MiB of small blocks, then, with those freed,
 * the big block again.  glibc makes all three.  ukmem reserved half of
 * what the limit left as RAM at boot, so the big block did not fit
 * beside it until free RAM's address space could go back to the host
 * (mm/balloon.c), and the small blocks need that RAM back afterwards.
 * Returns the step that failed, or 0.
 */
static int limit_child(void)
{
	enum { N = SMALL_TOTAL / SMALL_SIZE };
	void **small;
	char *big;
	size_t i;

	big = malloc(BIG);
	if (!big || !touch(big, BIG, 1) || malloc_usable_size(big) < BIG)
		return 1;
	/* Grown in place or moved: the host needs the room for the larger block. */
	big = realloc(big, BIG + 32 * MiB);
	if (!big || big[BIG - 4096] != 1 || !touch(big + BIG, 32 * MiB, 1))
		return 6;
	free(big);
	/* The pointer array is the program's own mapping, not an allocation. */
	small = mmap(NULL, N * sizeof(void *), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		     -1, 0);
	if (small == MAP_FAILED)
		return 2;
	for (i = 0; i < N; i++) {
		small[i] = malloc(SMALL_SIZE);
		if (!small[i])
			return 3;
		memset(small[i], (int)i, SMALL_SIZE);
	}
	for (i = 0; i < N; i++)
		if (((unsigned char *)small[i])[SMALL_SIZE - 1] != (unsigned char)i)
			return 4;
	for (i = 0; i < N; i++)
		free(small[i]);
	big = malloc(BIG);
	if (!big || !touch(big, BIG, 2))
		return 5;
	free(big);
	munmap(small, N * sizeof(void *));
	return 0;
}

/*
 * This program again with @mode as its argument, under LIMIT from its
 * start; its exit status must be 0 (else the step that failed).
 */
static void run_under_limit(const char *mode)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	(void)mode;
	KTEST_SKIP("sanitizer shadow memory cannot live under RLIMIT_AS");
#else
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct rlimit rl = { LIMIT, LIMIT };
		char *argv[] = { "malloc_limits", (char *)mode, NULL };

		if (setrlimit(RLIMIT_AS, &rl))
			_exit(126);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	if (WEXITSTATUS(status))
		printf("child %s: step %d failed\n", mode, WEXITSTATUS(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
#endif
}

static void test_blocks_under_address_space_limit(void)
{
	run_under_limit("--limit-child");
}

#ifdef MALLOC_TEST_INTERNALS
/* meminfo's Balloon: line (RAM lent to the host, mm/balloon.c), in kB; -1 if absent. */
static long balloon_kb(void)
{
	char *text = NULL, *at;
	size_t len = 0;
	long kb = -1;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return -1;
	ukmem_show("meminfo", f);
	fclose(f);
	at = strstr(text, "Balloon:");
	if (at)
		kb = strtol(at + strlen("Balloon:"), NULL, 10);
	free(text);
	return kb;
}

/*
 * The static build, in the re-executed child under LIMIT: the balloon
 * lends the host what the limit is short of, not the whole request, and
 * nothing for a request it cannot make room for (each block lent is RAM
 * that allocations get back only through reclaim).  Returns the step
 * that failed, or 0.
 */
static int balloon_child(void)
{
	unsigned long left;
	size_t size;
	long kb;
	char *p;

	if (balloon_kb() != 0)
		return 1;
	/* More than the limit itself: refused, and nothing stays lent. */
	p = malloc(2 * LIMIT);
	if (p)
		return 2;
	if (balloon_kb() != 0)
		return 3;
	/* 8 MiB more than the room left: about that much is lent (whole 4 MiB blocks). */
	left = arch_address_space_left();
	if (left == ULONG_MAX || left < 64 * MiB)
		return 4;
	size = left + 8 * MiB;
	p = malloc(size);
	if (!p || !touch(p, size, 3))
		return 5;
	kb = balloon_kb();
	/* The shortfall and the block's header, rounded up, and a block of slack. */
	if (kb < (long)(8 * MiB >> 10) || kb > (long)(16 * MiB >> 10))
		return 6;
	free(p);
	return 0;
}

static void test_balloon_lends_the_shortfall(void)
{
	run_under_limit("--balloon-child");
}
#endif

int main(int argc, char **argv)
{
	static const struct ktest_case cases[] = {
		KTEST(test_blocks_under_address_space_limit),
#ifdef MALLOC_TEST_INTERNALS
		KTEST(test_balloon_lends_the_shortfall),
#endif
	};

	if (argc == 2 && !strcmp(argv[1], "--limit-child"))
		return limit_child();
#ifdef MALLOC_TEST_INTERNALS
	if (argc == 2 && !strcmp(argv[1], "--balloon-child"))
		return balloon_child();
#endif
	return ktest_run(cases, sizeof(cases) / sizeof(cases[0]));
}
