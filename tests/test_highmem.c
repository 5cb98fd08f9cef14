/* SPDX-License-Identifier: MIT */
/*
 * The i386 layout (boot option "highmem", mem=1536M): DMA below 16 MiB,
 * Normal to 896 MiB, HighMem above.  Only __GFP_HIGHMEM allocations get
 * highmem pages; those have no address until kmap(), and their would-be
 * linear address faults.  kmap/kunmap, the pkmap window filling up and a
 * kmap() sleeping until a kunmap(), kmap_local/kmap_atomic, __GFP_ZERO,
 * vmalloc using highmem, meminfo's High/Low lines, and fork() privacy.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "ktest.h"

static char report[1 << 16];

static unsigned long meminfo_kb(const char *field)
{
	FILE *f = fmemopen(report, sizeof(report) - 1, "w");
	const char *p;

	memset(report, 0, sizeof(report));
	if (!f)
		return ~0UL;
	ukmem_show("meminfo", f);
	fclose(f);
	p = strstr(report, field);
	return p ? strtoul(p + strlen(field), NULL, 10) : ~0UL;
}

static bool faults(volatile char *addr)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);
		(void)*addr;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

static void test_layout(void)
{
	CHECK(zone_type_configured(ZONE_HIGHMEM));
	CHECK(!zone_type_configured(ZONE_DMA32));
	CHECK_EQ(gfp_zone(GFP_HIGHUSER), ZONE_HIGHMEM);
	CHECK_EQ(gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	CHECK_EQ(gfp_zone(GFP_HIGHUSER_MOVABLE), ZONE_MOVABLE);
	CHECK(totalhigh_pages() > ((1536 - 896 - 8) << 20) / PAGE_SIZE);
	CHECK(totalhigh_pages() <= ((1536 - 896) << 20) / PAGE_SIZE);
	CHECK(nr_free_highpages() > 0);
	CHECK_EQ((unsigned long)high_memory - PAGE_OFFSET, 896UL << 20);
	CHECK_EQ(meminfo_kb("HighTotal:"), totalhigh_pages() * 4);
	CHECK(meminfo_kb("HighFree:") <= meminfo_kb("HighTotal:"));
	CHECK_EQ(meminfo_kb("LowTotal:") + meminfo_kb("HighTotal:"), meminfo_kb("MemTotal:"));
	CHECK(meminfo_kb("LowFree:") != ~0UL);
}

static void test_only_highmem_flags_get_highmem(void)
{
	enum { N = 3000 };
	static struct page *pages[N];
	int i, high = 0;

	for (i = 0; i < N; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		high += pages[i] && PageHighMem(pages[i]);
	}
	CHECK_EQ(high, 0);
	for (i = 0; i < N; i++)
		if (pages[i])
			__free_page(pages[i]);
	pages[0] = alloc_page(GFP_HIGHUSER);
	pages[1] = alloc_page(GFP_HIGHUSER_MOVABLE);
	pages[2] = alloc_page(GFP_KERNEL | __GFP_HIGHMEM);
	for (i = 0; i < 3; i++) {
		CHECK(pages[i] && PageHighMem(pages[i]));
		CHECK(pages[i] && page_address(pages[i]) == NULL);
		CHECK(pages[i] && page_to_phys(pages[i]) >= (896ULL << 20));
		if (pages[i])
			__free_page(pages[i]);
	}
	CHECK(__get_free_page(GFP_HIGHUSER) != 0);	/* stripped to lowmem, as the kernel */
}

static void test_kmap(void)
{
	struct page *hp = alloc_page(GFP_HIGHUSER), *lp = alloc_page(GFP_KERNEL);
	char *a, *b, *l;

	CHECK(hp && lp);
	if (!hp || !lp)
		return;
	CHECK(faults(pfn_to_virt(page_to_pfn(hp))));	/* no linear map */
	a = kmap(hp);
	CHECK(a != NULL);
	CHECK(page_address(hp) == a);
	CHECK(kmap_to_page(a) == hp);
	strcpy(a, "highmem bytes");
	b = kmap(hp);					/* the same entry */
	CHECK(a == b);
	kunmap(hp);
	kunmap(hp);
	CHECK(faults(pfn_to_virt(page_to_pfn(hp))));
	b = kmap_local_page(hp);
	CHECK(b != NULL && !strcmp(b, "highmem bytes"));
	b[0] = 'H';
	l = kmap_local_page(lp);			/* lowmem: its linear address */
	CHECK(l == page_address(lp));
	kunmap_local(l);
	kunmap_local(b);
	a = kmap_atomic(hp);
	CHECK(a != NULL && !strcmp(a, "Highmem bytes"));
	CHECK(preempt_count() != 0);
	kunmap_atomic(a);
	CHECK_EQ(preempt_count(), 0);
	a = kmap(hp);
	CHECK(!strcmp(a, "Highmem bytes"));
	kunmap(hp);
	CHECK(kmap(lp) == page_address(lp));
	kunmap(lp);
	memcpy_to_page(hp, 100, "xyz", 4);
	{
		char buf[4];

		memcpy_from_page(buf, hp, 100, 4);
		CHECK(!strcmp(buf, "xyz"));
	}
	__free_page(hp);
	__free_page(lp);
}

static void test_gfp_zero(void)
{
	struct page *p = alloc_page(GFP_HIGHUSER);
	char *a;
	int i, nonzero = 0;

	CHECK(p != NULL);
	a = kmap_local_page(p);
	memset(a, 0x5a, PAGE_SIZE);
	kunmap_local(a);
	__free_page(p);
	p = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
	CHECK(p && PageHighMem(p));
	a = kmap_local_page(p);
	for (i = 0; i < (int)PAGE_SIZE; i++)
		nonzero += a[i] != 0;
	kunmap_local(a);
	CHECK_EQ(nonzero, 0);
	__free_page(p);
}

/*
 * __GFP_ZERO on a highmem block whose head page still has a pkmap entry
 * (kunmap() leaves it until the window wraps): page_address() answers for
 * the head only, so the block's other pages have no address, and the
 * clearing must not take the window's next entries for theirs.  Asking
 * the host which pages of that range it never backed skipped them all,
 * and the block came back with the last user's bytes.  In a child: the
 * entry left behind would give the next case's block an address.
 */
static void gfp_zero_block_kmapped_head(void *unused)
{
	enum { ORDER = 4, NR = 1 << ORDER };
	struct page *p = alloc_pages(GFP_HIGHUSER, ORDER), *q, *held[64];
	unsigned long pfn;
	int i, j, nheld = 0, dirty = 0;
	char *a;

	CHECK(p && PageHighMem(p));
	if (!p)
		return;
	for (i = 0; i < NR; i++) {
		a = kmap_local_page(p + i);
		memset(a, 0x5a, PAGE_SIZE);
		kunmap_local(a);
	}
	/* The head's entry stays mapped after the kunmap(). */
	CHECK(kmap(p) != NULL);
	kunmap(p);
	CHECK(page_address(p) != NULL);
	pfn = page_to_pfn(p);
	__free_pages(p, ORDER);
	/* The same block again, whatever the free lists hand out first. */
	for (;;) {
		q = alloc_pages(GFP_HIGHUSER | __GFP_ZERO, ORDER);
		CHECK(q != NULL);
		if (!q || page_to_pfn(q) == pfn || nheld == (int)ARRAY_SIZE(held))
			break;
		held[nheld++] = q;
	}
	CHECK(q && page_to_pfn(q) == pfn);
	for (i = 0; q && i < NR; i++) {
		a = kmap_local_page(q + i);
		for (j = 0; j < (int)PAGE_SIZE; j++)
			dirty += a[j] != 0;
		kunmap_local(a);
	}
	CHECK_EQ(dirty, 0);
	if (q)
		__free_pages(q, ORDER);
	while (nheld)
		__free_pages(held[--nheld], ORDER);
}

static void test_gfp_zero_block_kmapped_head(void)
{
	ktest_child_case(gfp_zero_block_kmapped_head, NULL);
}

/* Fill the pkmap window: the next kmap() sleeps until a kunmap(). */
static struct page *window[LAST_PKMAP + 1];
static volatile int waiter_done;
static void *waiter_addr;

static void *kmap_waiter(void *arg)
{
	waiter_addr = kmap(window[LAST_PKMAP]);
	__atomic_store_n(&waiter_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* A highmem folio has no address: the folio helpers map a page at a time. */
static void test_folio_helpers(void)
{
	struct folio *f = folio_alloc(GFP_HIGHUSER, 2);
	char src[2 * PAGE_SIZE], back[2 * PAGE_SIZE];
	char *p;

	CHECK(f && folio_test_highmem(f) && folio_address(f) == NULL);
	if (!f)
		return;
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (char)(i * 7 + 3);
	memcpy_to_folio(f, PAGE_SIZE + 100, src, sizeof(src));	/* pages 1 to 3 */
	memcpy_from_folio(back, f, PAGE_SIZE + 100, sizeof(back));
	CHECK(!memcmp(back, src, sizeof(src)));
	p = kmap_local_folio(f, 3 * PAGE_SIZE + 99);
	CHECK_EQ(*p, src[sizeof(src) - 1]);
	kunmap_local(p);
	folio_zero_range(f, PAGE_SIZE + 100, sizeof(src));
	memcpy_from_folio(back, f, PAGE_SIZE + 100, sizeof(back));
	for (size_t i = 0; i < sizeof(back); i++)
		if (back[i]) {
			CHECK(!"folio_zero_range left a byte");
			break;
		}
	folio_put(f);
}

static void test_pkmap_full_sleeps(void)
{
	pthread_t t;
	int i, mapped = 0;

	for (i = 0; i <= LAST_PKMAP; i++)
		window[i] = alloc_page(GFP_HIGHUSER);
	for (i = 0; i < LAST_PKMAP; i++) {
		char *a = kmap(window[i]);

		if (a) {
			*(int *)a = i;
			mapped++;
		}
	}
	CHECK_EQ(mapped, LAST_PKMAP);
	CHECK(pthread_create(&t, NULL, kmap_waiter, NULL) == 0);
	usleep(200 * 1000);
	CHECK_EQ(__atomic_load_n(&waiter_done, __ATOMIC_ACQUIRE), 0);	/* asleep */
	kunmap(window[7]);
	pthread_join(t, NULL);
	CHECK_EQ(waiter_done, 1);
	CHECK(waiter_addr != NULL && page_address(window[LAST_PKMAP]) == waiter_addr);
	/* The entry it got is the one released; the others still hold their bytes. */
	CHECK(page_address(window[7]) == NULL);
	for (i = 0; i < LAST_PKMAP; i++)
		if (i != 7)
			CHECK_EQ(*(int *)page_address(window[i]), i);
	for (i = 0; i <= LAST_PKMAP; i++) {
		if (i != 7)
			kunmap(window[i]);
		__free_page(window[i]);
	}
}

static void test_vmalloc_uses_highmem(void)
{
	char *p = vmalloc(8 * PAGE_SIZE), *k;
	struct page *page;
	int i, high = 0;

	CHECK(p != NULL);
	if (!p)
		return;
	for (i = 0; i < 8; i++) {
		page = vmalloc_to_page(p + i * PAGE_SIZE);
		high += PageHighMem(page);
		p[i * PAGE_SIZE] = (char)('a' + i);
	}
	CHECK_EQ(high, 8);
	page = vmalloc_to_page(p + 3 * PAGE_SIZE);
	k = kmap(page);				/* the same bytes through the pkmap */
	CHECK_EQ(k[0], 'd');
	k[1] = 'Q';
	CHECK_EQ(p[3 * PAGE_SIZE + 1], 'Q');
	kunmap(page);
	vfree(p);
	p = vmalloc_32(2 * PAGE_SIZE);
	CHECK(p && !PageHighMem(vmalloc_to_page(p)));
	vfree(p);
}

/*
 * A pkmap entry left by an earlier kmap() (kunmap() keeps it until the
 * window wraps) follows the page's bytes into a vmalloc area and out again.
 */
static void test_pkmap_entry_follows_vmalloc(void)
{
	cpu_set_t one, old;
	bool hit = false;
	int tries;

	/* One CPU: the freed page is the next one its per-CPU list hands out. */
	sched_getaffinity(0, sizeof(old), &old);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
	for (tries = 0; tries < 8 && !hit; tries++) {
		struct page *hp = alloc_page(GFP_HIGHUSER);
		char *k = kmap(hp), *p;

		k[0] = 'P';
		kunmap(hp);
		__free_page(hp);
		p = vmalloc(PAGE_SIZE);
		if (!p || vmalloc_to_page(p) != hp) {
			vfree(p);
			continue;
		}
		hit = true;
		p[0] = 'V';
		k = kmap(hp);				/* the old entry, now the area's bytes */
		CHECK_EQ(k[0], 'V');
		k[1] = 'W';
		CHECK_EQ(p[1], 'W');
		kunmap(hp);
		vfree(p);
		k = page_address(hp);			/* free again: its own bytes */
		CHECK(!k || k[0] == 'P');
	}
	CHECK(hit);
	sched_setaffinity(0, sizeof(old), &old);
}

/* fork() with vmalloc'd highmem pages, one of them kmapped: the child's copy is private. */
static void test_fork_vmalloc_highmem(void)
{
	char *p = vmalloc(4 * PAGE_SIZE), *k;
	struct page *page;
	int pipefd[2], status;
	pid_t pid;

	CHECK(p != NULL);
	if (!p || pipe(pipefd))
		return;
	memset(p, 'A', 4 * PAGE_SIZE);
	page = vmalloc_to_page(p + PAGE_SIZE);
	k = kmap(page);
	pid = fork();
	if (pid == 0) {
		char c;
		int ok;

		close(pipefd[1]);
		ok = read(pipefd[0], &c, 1) == 1 && p[0] == 'A' && k[0] == 'A' &&
		     p[PAGE_SIZE] == 'A';
		k[1] = 'C';
		ok = ok && p[PAGE_SIZE + 1] == 'C';
		_exit(ok ? 0 : 1);
	}
	close(pipefd[0]);
	p[0] = 'B';
	k[0] = 'B';
	CHECK_EQ(p[PAGE_SIZE], 'B');
	CHECK(write(pipefd[1], "x", 1) == 1);
	close(pipefd[1]);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(p[PAGE_SIZE + 1], 'A');
	kunmap(page);
	vfree(p);
}

static void test_fork_private(void)
{
	struct page *hp = alloc_page(GFP_HIGHUSER);
	int pipefd[2], status;
	char *a = kmap(hp);
	pid_t pid;

	CHECK(a != NULL);
	if (!a || pipe(pipefd))
		return;
	a[0] = 'A';
	pid = fork();
	if (pid == 0) {
		char c, *b;
		int ok;

		close(pipefd[1]);
		ok = read(pipefd[0], &c, 1) == 1 && a[0] == 'A';
		b = kmap_local_page(hp);
		ok = ok && b[0] == 'A';
		kunmap_local(b);
		a[1] = 'C';
		_exit(ok ? 0 : 1);
	}
	close(pipefd[0]);
	a[0] = 'B';
	CHECK(write(pipefd[1], "x", 1) == 1);
	close(pipefd[1]);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(a[1] != 'C');
	kunmap(hp);
	__free_page(hp);
}

/*
 * kmap_local mappings nest: unmapping out of order is warned about once,
 * as the kernel's kunmap_local_indexed() does, and both slots still go.
 * A handler's own pair nests on top of the thread's.
 */
static struct page *handler_page;
static bool handler_ok;

static void kmap_in_handler(int sig)
{
	char *c = kmap_local_page(handler_page);

	(void)sig;
	handler_ok = c != NULL;
	if (c)
		kunmap_local(c);
}

static void test_kmap_local_order(void)
{
	struct page *p = alloc_pages(GFP_HIGHUSER, 1);
	char log[8192], *a, *b;

	CHECK(p && PageHighMem(p));
	if (!p)
		return;
	/* In order, with a signal handler's pair in between: quiet. */
	handler_page = p + 1;
	signal(SIGUSR1, kmap_in_handler);
	ukmem_dmesg_clear();
	a = kmap_local_page(p);
	raise(SIGUSR1);
	b = kmap_local_page(p + 1);
	kunmap_local(b);
	kunmap_local(a);
	CHECK(handler_ok);
	ukmem_dmesg(log, sizeof(log));
	CHECK(strstr(log, "WARNING:") == NULL);
	/* Out of order: one warning (mm/highmem.c), and the slots are free again. */
	a = kmap_local_page(p);
	b = kmap_local_page(p + 1);
	kunmap_local(a);
	kunmap_local(b);
	ukmem_dmesg(log, sizeof(log));
	CHECK_STR_CONTAINS(log, "WARNING: mm/highmem.c:");
	a = kmap_local_page(p);
	CHECK(a != NULL);
	kunmap_local(a);
	__free_pages(p, 1);
}

int main(void)
{
	if (ukmem_boot("mem=1536M highmem loglevel=1")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_layout), KTEST(test_only_highmem_flags_get_highmem), KTEST(test_kmap),
		  KTEST(test_gfp_zero), KTEST(test_gfp_zero_block_kmapped_head),
		  KTEST(test_folio_helpers), KTEST(test_pkmap_full_sleeps),
		  KTEST(test_vmalloc_uses_highmem), KTEST(test_pkmap_entry_follows_vmalloc),
		  KTEST(test_fork_vmalloc_highmem), KTEST(test_fork_private),
		  KTEST(test_kmap_local_order));
}
