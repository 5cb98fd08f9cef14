/* SPDX-License-Identifier: MIT */
/*
 * vmalloc at scale and under host limits (docs/vmalloc.md, "Limits"):
 *  - 80000 live one-page areas from two threads, more than the host's
 *    default vm.max_map_count (65530) would allow one mapping each;
 *  - a 1 GiB vmalloc of physically scattered pages;
 *  - the host's map limit reached: vfree() still releases, what needs a
 *    new mapping fails cleanly (NULL, reported; vm_area_map_pages()
 *    -ENOMEM; objpool_init() takes kmalloc instead), and everything works
 *    again once mappings are free;
 *  - fork() after 256 MiB: the child has a private copy of vmalloc memory,
 *    of linear aliases and of vmapped pages, and neither side sees the
 *    other's writes after fork() returns; when the copy cannot be made,
 *    ukmem_fork() fails with ENOMEM and a plain fork()'s child is killed
 *    before it runs.
 * mem=4G.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/objpool.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "ktest.h"

static char logbuf[1 << 16];

static const char *dmesg(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

/* The process's host mappings (lines of /proc/self/maps). */
static long nr_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	long n = 0;
	int c;

	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* ------------------------------------------------------------------ */

#define PER_THREAD	40000

static char *held[2][PER_THREAD];
static int held_failed[2];

static void *hold_areas(void *arg)
{
	long t = (long)arg;
	int i;

	for (i = 0; i < PER_THREAD; i++) {
		held[t][i] = vmalloc(PAGE_SIZE);
		if (!held[t][i]) {
			held_failed[t]++;
			continue;
		}
		held[t][i][0] = (char)(i ^ (int)t);
		held[t][i][PAGE_SIZE - 1] = (char)(i >> 8);
	}
	return NULL;
}

static void test_80000_areas_two_threads(void)
{
	unsigned long used0 = vmalloc_nr_pages();
	long maps0 = nr_mappings(), maps;
	pthread_t tid[2];
	int t, i, bad = 0;

	for (t = 0; t < 2; t++)
		CHECK(pthread_create(&tid[t], NULL, hold_areas, (void *)(long)t) == 0);
	for (t = 0; t < 2; t++)
		pthread_join(tid[t], NULL);
	CHECK_EQ(held_failed[0] + held_failed[1], 0);
	CHECK_EQ(vmalloc_nr_pages(), used0 + 2 * PER_THREAD);
	/* All of them share a few host mappings. */
	maps = nr_mappings();
	CHECK(maps >= 0 && maps < maps0 + 64);
	for (t = 0; t < 2; t++)
		for (i = 0; i < PER_THREAD; i++) {
			if (!held[t][i])
				continue;
			bad += held[t][i][0] != (char)(i ^ t) ||
			       held[t][i][PAGE_SIZE - 1] != (char)(i >> 8);
			vfree(held[t][i]);
		}
	CHECK_EQ(bad, 0);
	vm_unmap_aliases();
	CHECK_EQ(vmalloc_nr_pages(), used0);
}

/* ------------------------------------------------------------------ */

#define GIB	(1UL << 30)

static void test_1g_of_scattered_pages(void)
{
	unsigned long max = totalram_pages(), n = 0, i, gaps = 0, bad = 0;
	struct page **all = malloc(max * sizeof(*all));
	unsigned long free0;
	struct vm_struct *vm;
	unsigned char *p;

	CHECK(all != NULL);
	if (!all)
		return;
	drain_all_pages(NULL);
	free0 = nr_free_pages();
	/* Take every page, then give back every other one: no two free pages touch. */
	while (n < max && (all[n] = alloc_page(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN)))
		n++;
	for (i = 0; i < n; i += 2)
		__free_page(all[i]);
	CHECK(n / 2 > GIB / PAGE_SIZE);
	p = vmalloc(GIB);
	CHECK(p != NULL);
	if (p) {
		vm = find_vm_area(p);
		for (i = 1; vm && i < vm->nr_pages; i++)
			gaps += page_to_pfn(vm->pages[i]) != page_to_pfn(vm->pages[i - 1]) + 1;
		CHECK(gaps > vm->nr_pages / 2);		/* physically scattered */
		for (i = 0; i < GIB; i += 16 * PAGE_SIZE)
			*(unsigned long *)(p + i) = i;
		for (i = 0; i < GIB; i += 16 * PAGE_SIZE)
			bad += *(unsigned long *)(p + i) != i;
		CHECK_EQ(bad, 0);
		/* A few pages seen through their linear address, both ways. */
		for (i = 0; i < GIB; i += GIB / 8) {
			unsigned long *lin = page_address(vmalloc_to_page(p + i));

			CHECK_EQ(lin[0], i);
			lin[1] = ~i;
			CHECK_EQ(*(unsigned long *)(p + i + 8), ~i);
		}
		vfree(p);
	}
	for (i = 1; i < n; i += 2)
		__free_page(all[i]);
	free(all);
	vm_unmap_aliases();
	drain_all_pages(NULL);
	CHECK(nr_free_pages() + 1024 >= free0);
}

/* ------------------------------------------------------------------ */

#define MAX_FILL	(1 << 20)
static void *fill[MAX_FILL];

/* Use up the host's mappings: one-page mappings that cannot merge. */
static int fill_mappings(void)
{
	int n = 0;

	while (n < MAX_FILL) {
		void *m = mmap(NULL, PAGE_SIZE, (n & 1) ? PROT_READ : PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED)
			break;
		fill[n++] = m;
	}
	return n;
}

#ifdef __SANITIZE_THREAD__
#define NEWER_CALLS_AT_LIMIT	0
#else
#define NEWER_CALLS_AT_LIMIT	1
#endif

static unsigned long sparse_start(const struct vm_struct *area)
{
	return (unsigned long)area->addr;
}

static void map_limit(void *arg)
{
	unsigned char *keep = vmalloc(4 * PAGE_SIZE), *gone = vmalloc(4 * PAGE_SIZE);
	unsigned char *small, *big, *v, *q;
	unsigned long far;
	struct page *plain[4], *kp;
	unsigned long used, free0;
	struct vm_struct *sparse;
	struct objpool_head opool;
	void *obj;
	int n, i;

	(void)arg;
	CHECK(keep && gone);
	if (!keep || !gone)
		return;
	memset(keep, 'k', 4 * PAGE_SIZE);
	memset(gone, 'g', 4 * PAGE_SIZE);
	for (i = 0; i < 4; i++) {
		plain[i] = alloc_page(GFP_KERNEL);
		memset(page_address(plain[i]), 'a' + i, PAGE_SIZE);
	}
	/* Before the count of free pages: its area and table take memory. */
	sparse = get_vm_area(8 * PAGE_SIZE, VM_SPARSE);
	CHECK(sparse != NULL);
	if (sparse) {
		unsigned long s0 = (unsigned long)sparse->addr;

		CHECK_EQ(vm_area_map_pages(sparse, s0, s0 + PAGE_SIZE, plain), 0);
	}
	used = vmalloc_nr_pages();
	drain_all_pages(NULL);
	free0 = nr_free_pages();

	n = fill_mappings();
	CHECK(n > 1000 && n < MAX_FILL);
	ukmem_dmesg_clear();
	/* vfree needs no new mapping: it always releases. */
	vfree(gone);
	CHECK_EQ(vmalloc_nr_pages(), used - 4);
	drain_all_pages(NULL);
	CHECK(nr_free_pages() >= free0 + 4);
	/* Room in a mapped segment: no new mapping needed either. */
	small = vmalloc(PAGE_SIZE);
	CHECK(small != NULL);
	if (small)
		small[0] = 's';
	/* A new segment (far from anything used so far), a vmap, a linear alias: refused cleanly. */
	far = VMALLOC_START + (VMALLOC_END - VMALLOC_START) / 2;
	big = __vmalloc_node_range(64UL << 20, 1, far, VMALLOC_END, GFP_KERNEL, PAGE_KERNEL, 0,
				   NUMA_NO_NODE, __builtin_return_address(0));
	CHECK(big == NULL);
	CHECK_STR_CONTAINS(dmesg(), "vmalloc error: size 67108864");
	CHECK_EQ(vmalloc_nr_pages(), used - 4 + (small ? 1 : 0));
	v = vmap(plain, 4, VM_MAP, PAGE_KERNEL);
	CHECK(v == NULL);
	for (i = 0; i < 4; i++)
		CHECK_EQ(*(unsigned char *)page_address(plain[i]), 'a' + i);
	kp = vmalloc_to_page(keep + PAGE_SIZE);
	CHECK(kp != NULL);
	CHECK_STR_CONTAINS(dmesg(), "no linear alias for pfn");
	CHECK_EQ(keep[PAGE_SIZE], 'k');
	/*
	 * The newer calls at the limit: mapping into a sparse area is refused
	 * (-ENOMEM) and leaves it unmapped; objpool_init() falls back from
	 * vmalloc to kmalloc, as the kernel's does.  Not under TSan: its
	 * runtime maps memory for each new stack it records, and at the
	 * limit fails itself ("failed to allocate ... of stack depot").
	 */
	if (NEWER_CALLS_AT_LIMIT && sparse) {
		unsigned long s0 = (unsigned long)sparse->addr;

		CHECK_EQ(vm_area_map_pages(sparse, s0 + 2 * PAGE_SIZE, s0 + 4 * PAGE_SIZE, plain), -ENOMEM);
		CHECK(vmalloc_to_page((void *)(s0 + 2 * PAGE_SIZE)) == NULL);
	}
	if (sparse)
		vm_area_unmap_pages(sparse, sparse_start(sparse), sparse_start(sparse) + PAGE_SIZE);
	if (NEWER_CALLS_AT_LIMIT) {
		CHECK_EQ(objpool_init(&opool, 64, 512, GFP_KERNEL, NULL, NULL, NULL), 0);
		obj = objpool_pop(&opool);
		CHECK(obj != NULL);
		if (obj) {
			memset(obj, 'o', 512);
			CHECK_EQ(objpool_push(obj, &opool), 0);
		}
		objpool_fini(&opool);
	}

	/* Mappings come back: so does everything. */
	while (n > 0)
		munmap(fill[--n], PAGE_SIZE);
	big = __vmalloc_node_range(64UL << 20, 1, far, VMALLOC_END, GFP_KERNEL, PAGE_KERNEL, 0,
				   NUMA_NO_NODE, __builtin_return_address(0));
	CHECK(big != NULL);
	if (big) {
		big[0] = 1;
		big[(64UL << 20) - 1] = 2;
		CHECK_EQ(big[0] + big[(64UL << 20) - 1], 3);
		vfree(big);
	}
	v = vmap(plain, 4, VM_MAP, PAGE_KERNEL);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v[3 * PAGE_SIZE + 5], 'd');
		v[PAGE_SIZE] = 'X';
		CHECK_EQ(*(unsigned char *)page_address(plain[1]), 'X');
		vunmap(v);
	}
	q = vmalloc(PAGE_SIZE);
	CHECK(q != NULL);
	if (q) {
		q[7] = 'q';
		CHECK_EQ(((unsigned char *)page_address(vmalloc_to_page(q)))[7], 'q');
		vfree(q);
	}
	CHECK_EQ(keep[3 * PAGE_SIZE], 'k');
	if (sparse) {
		unsigned long s0 = (unsigned long)sparse->addr;

		CHECK_EQ(vm_area_map_pages(sparse, s0 + 2 * PAGE_SIZE, s0 + 4 * PAGE_SIZE, plain), 0);
		CHECK_EQ(*(unsigned char *)(s0 + 3 * PAGE_SIZE + 5), 'b');
		vm_area_unmap_pages(sparse, s0 + 2 * PAGE_SIZE, s0 + 4 * PAGE_SIZE);
		free_vm_area(sparse);
	}
	vfree(keep);
	vfree(small);
	for (i = 0; i < 4; i++)
		__free_page(plain[i]);
	vm_unmap_aliases();
	CHECK_EQ(vmalloc_nr_pages(), used - 8);
}

static void test_map_limit_reached(void)
{
	CHECK(ktest_exited_with(ktest_child(map_limit, NULL), 0));
}

/* ------------------------------------------------------------------ */

#define FORK_SIZE	(256UL << 20)

static void test_fork_after_256m(void)
{
	unsigned char *p = vmalloc(FORK_SIZE), *lin, *v, *pl;
	int to_child[2], to_parent[2], status;
	struct page *plain;
	unsigned long i;
	pid_t pid;
	char c;

	CHECK(p != NULL);
	if (!p || pipe(to_child) || pipe(to_parent))
		return;
	for (i = 0; i < FORK_SIZE; i += PAGE_SIZE)
		p[i] = 'A';
	memset(p + 5 * PAGE_SIZE, 'A', PAGE_SIZE);
	lin = page_address(vmalloc_to_page(p + 5 * PAGE_SIZE));	/* a linear alias */
	plain = alloc_page(GFP_KERNEL);
	pl = page_address(plain);
	memset(pl, 'A', PAGE_SIZE);
	v = vmap(&plain, 1, VM_MAP, PAGE_KERNEL);			/* a file-backed linear page */
	CHECK(v != NULL);
	if (!v)
		return;
	pid = fork();
	if (pid == 0) {
		unsigned long bad = 0;

		if (read(to_child[0], &c, 1) != 1)
			_exit(2);
		for (i = 0; i < FORK_SIZE; i += PAGE_SIZE)
			bad += p[i] != 'A';
		bad += lin[0] != 'A' || v[0] != 'A' || pl[0] != 'A';
		p[PAGE_SIZE] = 'C';
		lin[1] = 'C';
		v[1] = 'C';
		c = 'k';
		_exit(write(to_parent[1], &c, 1) == 1 && !bad ? 0 : 1);
	}
	CHECK(pid > 0);
	/* As soon as fork() returns: none of this may reach the child. */
	for (i = 0; i < FORK_SIZE; i += PAGE_SIZE)
		p[i] = 'B';
	lin[0] = 'B';
	v[0] = 'B';
	CHECK(write(to_child[1], "g", 1) == 1);
	CHECK(read(to_parent[0], &c, 1) == 1);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Nor the child's writes the parent. */
	CHECK_EQ(p[PAGE_SIZE], 'B');
	CHECK_EQ(lin[1], 'A');
	CHECK_EQ(v[1], 'A');
	CHECK_EQ(pl[1], 'A');
	vunmap(v);
	__free_page(plain);
	vfree(p);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
}

/*
 * No descriptor for the child's copy: ukmem_fork() fails with ENOMEM and
 * makes no child; a plain fork()'s child is killed (SIGKILL) before it
 * runs any of the program's code, so it never runs with memory shared
 * with the parent.  The parent says why.
 */
static void test_fork_without_copy_fails_closed(void)
{
	unsigned char *p = vmalloc(PAGE_SIZE);
	struct rlimit old, low;
	int go[2], status, fd;
	pid_t pid;
	char c;

	CHECK(p != NULL);
	if (!p || pipe(go))
		return;
	p[0] = 'A';
	ukmem_dmesg_clear();
	fd = dup(0);			/* the lowest free descriptor */
	close(fd);
	getrlimit(RLIMIT_NOFILE, &old);
	low = old;
	low.rlim_cur = (rlim_t)fd;	/* no new descriptor at all */
	CHECK(setrlimit(RLIMIT_NOFILE, &low) == 0);
	errno = 0;
	pid = ukmem_fork();
	CHECK_EQ(pid, -1);
	CHECK_EQ(errno, ENOMEM);
	if (pid == 0)
		_exit(0);
	pid = fork();
	setrlimit(RLIMIT_NOFILE, &old);
	if (pid == 0) {
		/* Never reached: it would read the parent's later write. */
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		p[0] = 'C';
		_exit(p[0] == 'C' ? 3 : 4);
	}
	CHECK(pid > 0);
	if (pid > 0) {
		p[0] = 'B';
		CHECK(write(go[1], "g", 1) == 1);
		CHECK(waitpid(pid, &status, 0) == pid);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	}
	CHECK_EQ(p[0], 'B');
	CHECK_STR_CONTAINS(dmesg(), "fork: no private copy of vmalloc memory for the child");
	CHECK_STR_CONTAINS(dmesg(), "it will be killed");
	/* Nothing kept: the next fork works. */
	pid = fork();
	if (pid == 0)
		_exit(p[0] == 'B' ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && ktest_exited_with(status, 0));
	close(go[0]);
	close(go[1]);
	vfree(p);
}

int main(void)
{
	/*
	 * KFENCE off: it opens and closes pages of its pool, which splits the
	 * pool's host mapping (up to two more per sampled object); the counts
	 * below are vmalloc's own mappings.
	 */
	if (ukmem_boot("mem=4G loglevel=1 kfence.sample_interval=0")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	ukmem_install_atfork();
	KTEST_RUN(KTEST(test_80000_areas_two_threads), KTEST(test_1g_of_scattered_pages),
		  KTEST(test_map_limit_reached), KTEST(test_fork_after_256m),
		  KTEST(test_fork_without_copy_fails_closed));
}
