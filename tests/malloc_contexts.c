/* SPDX-License-Identifier: MIT */
/*
 * tests/malloc_contexts.c - the malloc front end in unusual contexts, as a
 * program sees it (run three ways like every tests/malloc_*.c: on glibc,
 * preloaded, linked statically): under slab_debug watching one malloc
 * cache, with M_PERTURB, and from a signal handler the program installed
 * itself that interrupts the allocator.  The cases glibc cannot pass (it
 * has no slab_debug, its tcache skips M_PERTURB's free fill, it aborts or
 * deadlocks in a handler) run only on ukmem (UKMEM_EXPECT=1).
 */
#include <malloc.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktest.h"
#include "malloc_self.h"

static bool on_ukmem(void)
{
	const char *e = getenv("UKMEM_EXPECT");

	return e && !strcmp(e, "1");
}

/*
 * Every size up to 9000 bytes, by malloc, calloc, realloc and memalign,
 * must be served, written whole and freed.  Run under a slab_debug line
 * that watches one malloc cache only, where the exact size of the class
 * below it once had no cache to come from (malloc-64 watched: every
 * malloc(48) failed with ENOMEM, and bash could not start).
 */
static int every_size_child(void)
{
	int failures = 0;

	for (size_t size = 1; size <= 9000; size++) {
		char *p = malloc(size), *q = calloc(1, size), *r = memalign(16, size);
		char *g = malloc(size / 2 + 1);

		if (g)
			g = realloc(g, size);
		if (!p || !q || !r || !g) {
			if (failures++ < 5)
				printf("size %zu: malloc %p calloc %p memalign %p realloc %p\n", size,
				       (void *)p, (void *)q, (void *)r, (void *)g);
		} else {
			for (size_t i = 0; i < size; i++)
				failures += q[i] != 0;
			memset(p, 1, size);
			memset(q, 2, size);
			memset(r, 3, size);
			memset(g, 4, size);
		}
		free(p);
		free(q);
		free(r);
		free(g);
	}
	return failures ? 1 : 0;
}

static void test_slab_debug_one_cache(void)
{
	static const char *const lines[] = {
		"slub_debug=FZPU,malloc-64", "slub_debug=FZPU,malloc-1152",
		"slub_debug=FZ,malloc-4096", "slub_debug=FZPU,malloc-16,malloc-8192",
	};

	if (!on_ukmem()) {
		KTEST_SKIP("glibc has no slab_debug");
		return;
	}
	run_self_under("--every-size-child", lines, sizeof(lines) / sizeof(lines[0]));
}

/*
 * A handler the program installed itself (plain sigaction) that mallocs
 * while its thread is inside the allocator, holding the zone lock or a
 * node's list_lock: undefined in POSIX (glibc aborts or deadlocks), and
 * it once hung ukmem for good, the handler spinning on the lock its own
 * thread held.  The nested call now runs as interrupt context: those
 * locks are only tried, and the allocation may fail.  No hang, no report
 * (before, each such call also printed "BUG: sleeping function called
 * from invalid context": the front end asked for GFP_KERNEL there), every
 * block usable.  The handler only allocates: a handler's free that
 * interrupts the parking of another free is not supported
 * (docs/malloc.md); the main thread frees the handler's blocks with the
 * signal blocked.
 */
#define HANDLER_SLOTS	256
static void *handler_blocks[HANDLER_SLOTS];
static volatile unsigned int handler_count;
static volatile unsigned long handler_calls, handler_nulls;

static void handler_mallocs(int sig)
{
	unsigned int i = handler_count;
	size_t size;
	char *p;

	(void)sig;
	handler_calls++;
	if (i >= HANDLER_SLOTS)
		return;
	/* Large blocks take the zone lock, small ones refill from the slabs. */
	size = i % 3 == 0 ? 100000 + 4096 * (i % 7) : 16 + 24 * (i % 40);
	p = malloc(size);
	if (p) {
		p[size - 1] = 1;	/* the whole block is there (for 16 bytes, the fill covers it) */
		memset(p, 0x5a, 16);
	} else {
		handler_nulls++;
	}
	handler_blocks[i] = p;
	handler_count = i + 1;
}

static void handler_mallocs_child(void *arg)
{
	struct sigaction sa = { .sa_handler = handler_mallocs };
	struct itimerval it = { { 0, 200 }, { 0, 200 } }, stop = { { 0, 0 }, { 0, 0 } };
	unsigned long x = 88172645463325252UL;
	static void *b[512];
	sigset_t alrm;

	char log[] = "/tmp/malloc_api_handler.XXXXXX", text[4096] = "";
	int fd = mkstemp(log), saved = dup(2);
	ssize_t n;

	(void)arg;
	/* The child's stderr goes to a file, read back at the end. */
	CHECK(fd >= 0 && saved >= 0);
	unlink(log);
	dup2(fd, 2);
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sa.sa_flags = SA_RESTART;
	CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
	CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
	for (int round = 0; round < 40 || handler_calls < 200; round++) {
		for (int k = 0; k < 20000; k++) {
			unsigned int i;
			size_t size;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			i = x % 512;
			size = (x >> 32) % 16 == 0 ? 65536 + (x >> 40) % 300000 : (x >> 40) % 2048 + 1;
			free(b[i]);
			b[i] = malloc(size);
			if (b[i])
				((char *)b[i])[size - 1] = 1;
		}
		ktest_progress();
		sigprocmask(SIG_BLOCK, &alrm, NULL);
		for (unsigned int i = 0; i < handler_count; i++) {
			char *p = handler_blocks[i];

			if (p && (p[0] != 0x5a || p[15] != 0x5a)) {
				int shared = -1;

				for (int j = 0; j < 512; j++)
					if (b[j] == p)
						shared = j;
				fprintf(stderr, "handler block %u %p: %#x .. %#x, also main's b[%d]\n",
					i, (void *)p, p[0], p[15], shared);
				CHECK(0);
			}
			free(p);
		}
		handler_count = 0;
		sigprocmask(SIG_UNBLOCK, &alrm, NULL);
	}
	setitimer(ITIMER_REAL, &stop, NULL);
	for (int i = 0; i < 512; i++)
		free(b[i]);
	dup2(saved, 2);
	n = pread(fd, text, sizeof(text) - 1, 0);
	text[n > 0 ? n : 0] = '\0';
	if (strstr(text, "BUG") || strstr(text, "ukmem:"))
		CHECK(0);
	if (ktest_failures)	/* what went to the file, checks included */
		fprintf(stderr, "the child's stderr:\n%s\n", text);
	close(fd);
	printf("handler: %lu calls, %lu NULL\n", handler_calls, handler_nulls);
	/* Only a handler that found a lock busy may have failed. */
	CHECK(handler_nulls < handler_calls / 2);
}

static void test_handler_mallocs_inside_allocator(void)
{
	int status;

	if (!on_ukmem()) {
		KTEST_SKIP("glibc aborts or deadlocks here: undefined behaviour");
		return;
	}
	status = ktest_child(handler_mallocs_child, NULL);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		printf("the child's status: %#x\n", status);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/*
 * M_PERTURB (mallopt(3)): a new block (not calloc's) is filled with the
 * complement of the byte, a freed one with the byte.  The freed block is
 * looked at right after free: glibc keeps its first 16 bytes for its
 * lists, ukmem its first word for the free tag.  Then off again.
 */
static void test_perturb(void)
{
	enum { N = 200 };
	unsigned char *p, *z;
	int wrong = 0;

	if (!on_ukmem()) {
		KTEST_SKIP("glibc fills a freed block only once its tcache bin is full");
		return;
	}

	CHECK_EQ(mallopt(M_PERTURB, 0xa5), 1);
	p = malloc(N);
	z = calloc(1, N);
	CHECK(p && z);
	for (int i = 16; i < N; i++)
		wrong += p[i] != 0x5a || z[i] != 0;
	free(z);
	free(p);
	for (int i = 16; i < N; i++)
		wrong += p[i] != 0xa5;	/* reads a freed block: only to see the fill */
	CHECK_EQ(wrong, 0);
	CHECK_EQ(mallopt(M_PERTURB, 0), 1);
	p = malloc(N);
	CHECK(p != NULL);
	memset(p, 0x11, N);
	free(p);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--every-size-child"))
		return every_size_child();
	KTEST_RUN(KTEST(test_slab_debug_one_cache), KTEST(test_perturb),
		  KTEST(test_handler_mallocs_inside_allocator));
}
