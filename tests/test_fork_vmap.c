/* SPDX-License-Identifier: MIT */
/*
 * fork() while other threads vmap() fresh pages and free them again
 * (mm/vmalloc_fork.c).
 *
 * vmap() of a plain lowmem page moves it into the physical memory file and
 * its linear address stays a shared mapping of that file after the page is
 * freed.  Reused, such a page holds the library's own data (slab objects:
 * the vmalloc trees' vmap_area nodes, their page arrays), shared with a
 * child until the child maps it again from its copy.  Two faults were seen
 * with this load, before the fix:
 *  - the child's fork steps that run before vmalloc's (slab, page
 *    allocator, ...) and vmalloc's own lazy-list walk wrote that memory
 *    while it was still the parent's: the parent's vmalloc data changed
 *    under it and its trees broke (SIGSEGV in vfree);
 *  - the copy given to the child was taken before the fork held any lock,
 *    so the library's stores made between the copy and fork(2) were lost
 *    in the child: its lazy list looped for ever or it crashed in
 *    alloc_vmap_area.
 * Every child must exit 0 (here: at once, or after vmalloc work of its
 * own), and the parent's vmalloc data must read back as written.
 *
 * A second load: a thread vmalloc()s areas of more than 512 pages, whose
 * page array (the library's bookkeeping) is itself vmalloc'ed, and so
 * lives in the vmalloc file.  An area made between the fork's first copy
 * of that file and fork(2) is in the child's busy tree (slab memory,
 * private), so its page array must be there too: each child checks the
 * newest area's pages (vmalloc_to_page) and frees it.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/objpool.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include "ktest_boot.h"

#define WORKERS	3
#define SLOTS	32
#define FORKS	40

static int stop;
static int corrupt;

struct worker {
	unsigned int seed;
};

static void vmap_fresh_pages(void)
{
	struct page *pages[4];
	void *addr = NULL;
	int i, got = 0;

	for (i = 0; i < 4; i++) {
		pages[i] = alloc_page(GFP_KERNEL | __GFP_NOWARN);
		got += pages[i] != NULL;
	}
	if (got == 4)
		addr = vmap(pages, 4, VM_MAP, PAGE_KERNEL);
	if (addr) {
		memset(addr, 0x33, 4 * PAGE_SIZE);
		vunmap(addr);
	}
	for (i = 0; i < 4; i++)
		if (pages[i])
			__free_page(pages[i]);
}

static void *worker(void *arg)
{
	struct worker *w = arg;
	unsigned char *v[SLOTS] = { NULL };
	size_t size[SLOTS];
	int i;

	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		w->seed = w->seed * 1103515245 + 12345;
		i = (int)((w->seed >> 8) % SLOTS);
		if (w->seed & 0x10000) {
			vmap_fresh_pages();
			continue;
		}
		if (v[i]) {
			size_t k;

			for (k = 0; k < size[i]; k += PAGE_SIZE / 2)
				if (v[i][k] != (unsigned char)i)
					__atomic_store_n(&corrupt, 1, __ATOMIC_RELEASE);
			vfree(v[i]);
			v[i] = NULL;
		} else {
			size[i] = 1 + (w->seed >> 12) % (256 << 10);
			v[i] = vmalloc(size[i]);
			if (v[i])
				memset(v[i], i, size[i]);
		}
	}
	for (i = 0; i < SLOTS; i++)
		vfree(v[i]);
	return NULL;
}

/*
 * @n forks one after another, each child running @child(fork number),
 * which must _exit(0) if all is well; the number of children that did not.
 */
static int fork_children(int n, void (*child)(int i))
{
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		pid_t pid = fork();
		int status;

		if (pid == 0)
			child(i);
		CHECK(pid > 0);
		if (pid < 0)
			break;
		CHECK(waitpid(pid, &status, 0) == pid);
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			bad++;
			fprintf(stderr, "fork %d: child status %#x\n", i, status);
		}
	}
	return bad;
}

/* Fork @i: odd forks' children leave at once, even ones use vmalloc and vmap first. */
static void child_work(int i)
{
	void *a[8];
	int j;

	if (i & 1)
		_exit(0);
	for (j = 0; j < 8; j++) {
		a[j] = vmalloc(100000 + j * 5000);
		if (a[j])
			memset(a[j], 5, 100000);
	}
	for (j = 0; j < 8; j++)
		vfree(a[j]);
	vmap_fresh_pages();
	_exit(0);
}

static void fork_under_vmap_load(void *arg)
{
	struct worker w[WORKERS];
	pthread_t t[WORKERS];
	int i, bad = 0;

	(void)arg;
	if (!ktest_boot_quietly("mem=16M"))
		exit(1);
	for (i = 0; i < WORKERS; i++) {
		w[i].seed = (unsigned int)i + 1;
		pthread_create(&t[i], NULL, worker, &w[i]);
	}
	bad = fork_children(FORKS, child_work);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	CHECK_EQ(bad, 0);
	CHECK_EQ(__atomic_load_n(&corrupt, __ATOMIC_ACQUIRE), 0);
	exit(ktest_failures ? 1 : 0);
}

static void test_fork_under_vmap_load(void)
{
	CHECK(ktest_exited_with(ktest_child(fork_under_vmap_load, NULL), 0));
}

/* 768 pages and more: a page array past a page, so vmalloc'ed. */
#define BIG_PAGES	768
#define BIG_FORKS	60

static void *big_slot;

/*
 * Areas of varying sizes, with a small one between them, so that an
 * array's range and pages differ from what the range held before (a
 * stale array that happens to hold the same pointers is not seen).
 */
static void *big_worker(void *arg)
{
	unsigned int n = 0;
	void *filler = NULL;

	(void)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		void *p = vmalloc((BIG_PAGES + (n % 7) * 64) * PAGE_SIZE);

		vfree(filler);
		filler = vmalloc((1 + n++ % 13) * PAGE_SIZE);
		/* Published once made: the child may find it only whole. */
		vfree(__atomic_exchange_n(&big_slot, p, __ATOMIC_ACQ_REL));
	}
	vfree(filler);
	return NULL;
}

/* In the child: the newest area's page array as vmalloc wrote it. */
static void big_child(int nr)
{
	unsigned char *p = __atomic_load_n(&big_slot, __ATOMIC_ACQUIRE);
	unsigned long first;
	int i;

	if (!p)
		_exit(0);
	first = ((unsigned long)p - VMALLOC_START) >> PAGE_SHIFT;
	for (i = 0; i < BIG_PAGES; i++) {
		struct page *page = vmalloc_to_page(p + (size_t)i * PAGE_SIZE);

		if (!page || !PageVmalloc(page) || page->index != first + (unsigned long)i)
			_exit(3);
	}
	vfree(p);
	_exit(0);
}

static void fork_under_big_vmalloc(void *arg)
{
	pthread_t t;
	char *ballast;
	int bad;

	(void)arg;
	if (!ktest_boot_quietly("mem=96M"))
		exit(1);
	/* Something for the first copy to take a while over. */
	ballast = vmalloc(24 << 20);
	CHECK(ballast != NULL);
	if (ballast)
		memset(ballast, 7, 24 << 20);
	pthread_create(&t, NULL, big_worker, NULL);
	bad = fork_children(BIG_FORKS, big_child);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	vfree(big_slot);
	vfree(ballast);
	CHECK_EQ(bad, 0);
	exit(ktest_failures ? 1 : 0);
}

static void test_fork_under_big_vmalloc(void)
{
	CHECK(ktest_exited_with(ktest_child(fork_under_big_vmalloc, NULL), 0));
}

/*
 * A third load: objpool's rings, lock-free, are vmalloc'ed as in the
 * kernel, and other threads push and pop while the fork copies them.  A
 * ring whose header was copied before a push and whose sequence numbers
 * after it shows the entry at its tail as published: the child's next
 * push to that ring spun for ever.  Each child checks every ring's
 * numbers against its head and tail (a pool of fewer objects than a ring
 * holds is never full), then pops and pushes every object.
 */
#define POOL_OBJS	100000	/* a ring of 131072: its numbers 1 MiB past its header */
#define POOL_FORKS	40

static struct objpool_head fork_pool;

static void *pool_worker(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		void *o = objpool_pop(&fork_pool);

		if (o)
			objpool_push(o, &fork_pool);
	}
	return NULL;
}

static void pool_child(int nr)
{
	static void *held[POOL_OBJS];
	unsigned int i, n = 0;

	/*
	 * Every ring as at one instant: a published or popped number inside
	 * [head, tail) (a reserved one the fork step retired: popped), and
	 * free for this lap's push past it.  Checked before any push, which
	 * would spin for ever on an entry that reads as published past tail.
	 */
	for (i = 0; i < nr_cpu_ids; i++) {
		struct objpool_slot *slot = fork_pool.cpu_slots[i];
		const uint32_t *seq = (const uint32_t *)&slot->entries[slot->mask + 1];
		uint32_t cap = slot->mask + 1, pos;

		for (pos = slot->head; pos != slot->tail; pos++)
			if (seq[pos & slot->mask] != pos + 1 && seq[pos & slot->mask] != pos + cap)
				_exit(3);
		for (pos = slot->tail; pos != slot->head + cap; pos++)
			if (seq[pos & slot->mask] != pos)
				_exit(3);
	}
	while (n < POOL_OBJS && (held[n] = objpool_pop(&fork_pool)))
		n++;
	for (i = 0; i < n; i++)
		if (objpool_push(held[i], &fork_pool))
			_exit(4);
	_exit(0);
}

static void fork_under_objpool(void *arg)
{
	pthread_t t[2];
	int i, bad = 0;

	(void)arg;
	if (!ktest_boot_quietly("mem=96M"))
		exit(1);
	CHECK_EQ(objpool_init(&fork_pool, POOL_OBJS, 16, GFP_KERNEL, NULL, NULL, NULL), 0);
	CHECK(is_vmalloc_addr(fork_pool.cpu_slots[0]));
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, pool_worker, NULL);
	bad = fork_children(POOL_FORKS, pool_child);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	objpool_fini(&fork_pool);
	CHECK_EQ(bad, 0);
	exit(ktest_failures ? 1 : 0);
}

static void test_fork_under_objpool(void)
{
	CHECK(ktest_exited_with(ktest_child(fork_under_objpool, NULL), 0));
}

/*
 * An area filled and then published (its pointer stored after the fill)
 * while the main thread forks: a child that sees the pointer sees the
 * fill.  The copy a fork takes before its locks missed the bytes of an
 * area made while it copied, and nearly every child (85-97 of 100) saw
 * the range's old contents under a new pointer.  What remains is the
 * documented race (docs/vmalloc.md, fork): an area made just before the
 * copy and filled during it; a few children in a hundred under
 * ThreadSanitizer's slow stores, none natively in our runs.  So the test
 * allows a fifth, which the old behaviour is far above.
 */
struct published {
	unsigned long seq;
	unsigned char *area;
};
#define PUB_BYTES	16384
static struct published *volatile pub_now;

static void *publisher(void *arg)
{
	(void)arg;
	for (unsigned long seq = 1; !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); seq++) {
		struct published *r = kmalloc(sizeof(*r), GFP_KERNEL), *old;
		unsigned char *v = vmalloc(PUB_BYTES);

		if (!r || !v) {
			kfree(r);
			vfree(v);
			continue;
		}
		memset(v, (int)(seq & 0xff) | 1, PUB_BYTES);
		r->seq = seq;
		r->area = v;
		old = __atomic_exchange_n(&pub_now, r, __ATOMIC_SEQ_CST);
		if (old) {
			vfree(old->area);
			kfree(old);
		}
	}
	return NULL;
}

static void published_child(int i)
{
	struct published *r = __atomic_load_n(&pub_now, __ATOMIC_SEQ_CST);
	unsigned char want;

	(void)i;
	if (!r)
		_exit(0);
	want = (unsigned char)((r->seq & 0xff) | 1);
	for (int j = 0; j < PUB_BYTES; j++)
		if (r->area[j] != want)
			_exit(5);
	_exit(0);
}

static void fork_while_publishing(void *arg)
{
	pthread_t t;
	int bad;

	(void)arg;
	if (!ktest_boot_quietly("mem=96M"))
		exit(1);
	pthread_create(&t, NULL, publisher, NULL);
	while (!__atomic_load_n(&pub_now, __ATOMIC_SEQ_CST))
		sched_yield();
	bad = fork_children(100, published_child);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	CHECK(bad <= 20);
	exit(ktest_failures ? 1 : 0);
}

static void test_fork_while_publishing(void)
{
	CHECK(ktest_exited_with(ktest_child(fork_while_publishing, NULL), 0));
}

/*
 * fork() from a thread with a small stack (32 KiB, as a program may give
 * its threads) once vmalloc holds memory: the prepare copies the areas on
 * the forking thread's stack, whose copy loop had a 64 KiB buffer there
 * that jumped the guard page (a SIGSEGV at 64 KiB, and at 32 KiB writes
 * below the stack, into glibc's data).  The child sees the bytes.
 */
static char *small_stack_area;

static void *fork_on_small_stack(void *arg)
{
	int status;
	pid_t pid = fork();

	(void)arg;
	if (pid == 0)
		_exit(small_stack_area[0] == 0x5c && small_stack_area[8191] == 0x5c ? 0 : 1);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return (void *)1;
	return (void *)(long)(WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status));
}

static void fork_from_small_stack(void *arg)
{
	(void)arg;
	if (!ktest_boot_quietly("mem=64M"))
		exit(1);
	small_stack_area = vmalloc(8192);
	CHECK(small_stack_area != NULL);
	memset(small_stack_area, 0x5c, 8192);
	for (size_t stack = 32 << 10; stack <= 128 << 10; stack *= 2) {
		pthread_attr_t attr;
		pthread_t t;
		void *ret = (void *)-1;

		pthread_attr_init(&attr);
		CHECK_EQ(pthread_attr_setstacksize(&attr, stack), 0);
		CHECK_EQ(pthread_create(&t, &attr, fork_on_small_stack, NULL), 0);
		pthread_join(t, &ret);
		pthread_attr_destroy(&attr);
		if (ret != NULL)
			fprintf(stderr, "fork from a %zu KiB stack: %ld\n", stack >> 10, (long)ret);
		CHECK(ret == NULL);
	}
	vfree(small_stack_area);
	exit(ktest_failures ? 1 : 0);
}

static void test_fork_from_small_stack(void)
{
	CHECK(ktest_exited_with(ktest_child(fork_from_small_stack, NULL), 0));
}

int main(void)
{
	KTEST_RUN(KTEST(test_fork_under_vmap_load), KTEST(test_fork_under_big_vmalloc),
		  KTEST(test_fork_under_objpool), KTEST(test_fork_while_publishing),
		  KTEST(test_fork_from_small_stack));
}
