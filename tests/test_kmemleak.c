/* SPDX-License-Identifier: MIT */
/*
 * kmemleak (mm/kmemleak.c): leaks found with their stacks, nothing
 * reported for what is reachable (globals, stacks, registers, other
 * objects, interior pointers, kmemleak_not_leak/kmemleak_ignore), freed
 * objects forgotten, the commands, and kmemleak=on booted by several
 * threads' first calls at once.  Each case boots its own machine in a
 * child.
 *
 * A leaked pointer is kept XORed with a mask, so that the test can name
 * the address while no word in memory points at it; the stack below the
 * test's frame is scrubbed before a scan, so that no stale copy of it
 * survives in a dead frame.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kmemleak.h>
#include <linux/slab.h>
#include <linux/percpu.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "mm/internal.h"
#include "ktest.h"

#define CMDLINE		"mem=256M loglevel=4 kmemleak=on kmemleak.min_age_ms=0"
#define MASK		0x5a5a5a5a5a5a5a5aUL

static void boot(const char *cmdline)
{
	ukmem_set_console(stderr);
	if (ukmem_boot(cmdline))
		_exit(3);
}

/*
 * Clobber the dead frames below the caller, where stale pointers linger.
 * Not instrumented: ASan would move the array to its fake stack.
 */
__attribute__((no_sanitize_address))
static noinline void scrub_stack(void)
{
	volatile char buf[32768];

	memset((char *)buf, 0, sizeof(buf));
	__asm__ volatile("" : : "r"(buf) : "memory");
}

/* The kernel's advice: scan twice (the first scan sees new objects' contents change). */
static void scan(void)
{
	scrub_stack();
	CHECK_EQ(ukmem_write("kmemleak", "scan"), 0);
	scrub_stack();
	CHECK_EQ(ukmem_write("kmemleak", "scan\n"), 0);
}

/* The "kmemleak" file, as a malloc'd string (glibc's: this test is not preloaded). */
static char *report(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	CHECK(f != NULL);
	CHECK_EQ(ukmem_show("kmemleak", f), 0);
	fclose(f);
	return text;
}

static int count(const char *text, const char *needle)
{
	int n = 0;

	for (; (text = strstr(text, needle)); text++)
		n++;
	return n;
}

/* The report lists no suspected leak (and is shown when it does). */
static void expect_no_leak(void)
{
	char *text = report();

	CHECK_EQ(count(text, "unreferenced object "), 0);
	if (count(text, "unreferenced object "))
		fputs(text, stderr);
	free(text);
}

/*
 * The record of @addr in @text, up to the next record (cut in place), or
 * NULL; @kind is "" or the kernel's " (percpu)" / " (phys)".
 */
static char *record_of_kind(char *text, const char *kind, unsigned long addr, size_t size)
{
	char head[96], *r, *next;

	snprintf(head, sizeof(head), "unreferenced object%s 0x%08lx (size %zu):\n", kind, addr,
		 size);
	r = strstr(text, head);
	if (!r)
		return NULL;
	next = strstr(r + 1, "unreferenced object ");
	if (next)
		*next = '\0';
	return r;
}

static char *record_of(char *text, unsigned long addr, size_t size)
{
	return record_of_kind(text, "", addr, size);
}

/* ---- a leak, found with its stack ---- */

static unsigned long hidden_leak, hidden_large;

static noinline void leak_object(struct kmem_cache *c)
{
	void *p = kmem_cache_alloc(c, GFP_KERNEL);

	memset(p, 0xa5, 72);
	hidden_leak = (unsigned long)p ^ MASK;
}

static noinline void leak_large_kmalloc(void)
{
	void *p = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);

	memset(p, 0x11, 3 * PAGE_SIZE);
	hidden_large = (unsigned long)p ^ MASK;
}

static unsigned long hidden_vmalloc, hidden_percpu;
static void *volatile g_vmalloc_kept, *volatile g_vmalloc_first;
static void *__percpu *volatile g_percpu_kept;

static noinline void leak_vmalloc_percpu(void)
{
	void *v;

	/*
	 * The first area starts at VMALLOC_START, which the library's bounds
	 * hold: never reported (docs/kmemleak.md).  Leak the second.
	 */
	g_vmalloc_first = vmalloc(PAGE_SIZE);
	/* Reported with its size page-aligned, as the kernel's kmemleak_vmalloc() call. */
	v = vmalloc(5 * PAGE_SIZE - 100);
	int __percpu *pc = alloc_percpu(int);
	int cpu;

	memset(v, 0x22, 5 * PAGE_SIZE - 100);
	hidden_vmalloc = (unsigned long)v ^ MASK;
	for_each_possible_cpu(cpu)
		*per_cpu_ptr(pc, cpu) = 7;
	hidden_percpu = (unsigned long)pc ^ MASK;
	/* Reachable ones, and what they point to. */
	g_vmalloc_kept = vzalloc(3 * PAGE_SIZE);
	*(void **)g_vmalloc_kept = kmalloc(512, GFP_KERNEL);
	g_percpu_kept = alloc_percpu(void *);
	*per_cpu_ptr(g_percpu_kept, 0) = kmalloc(1024, GFP_KERNEL);
}

static void child_leak(void *arg)
{
	struct kmem_cache *c;
	char *text, *r, dmesg[8192];
	FILE *f;

	boot(CMDLINE);
	c = kmem_cache_create("kml_test", 72, 0, 0, NULL);
	CHECK(c != NULL);
	leak_object(c);
	leak_large_kmalloc();
	leak_vmalloc_percpu();
	/*
	 * The kernel's rule: an object whose contents changed since the last
	 * scan (new ones: since they were made) is not reported yet.
	 */
	scrub_stack();
	CHECK_EQ(ukmem_write("kmemleak", "scan"), 0);
	expect_no_leak();
	scan();
	text = report();
	/* Exactly the four leaks: nothing of the library's own looks unreferenced. */
	CHECK_EQ(count(text, "unreferenced object "), 4);
	CHECK(record_of(strdup(text), hidden_vmalloc ^ MASK, 5 * PAGE_SIZE) != NULL);
	r = record_of_kind(strdup(text), " (percpu)", hidden_percpu ^ MASK, sizeof(int));
	CHECK(r != NULL);
	if (r) {
		CHECK_STR_CONTAINS(r, "  hex dump (first 4 bytes on cpu ");
		CHECK_STR_CONTAINS(r, "    07 00 00 00  ");
	}
	r = record_of(text, hidden_leak ^ MASK, 72);
	CHECK(r != NULL);
	if (r) {
		CHECK_STR_CONTAINS(r, "  comm \"");
		CHECK_STR_CONTAINS(r, "\", pid ");
		CHECK_STR_CONTAINS(r, ", jiffies ");
		CHECK_STR_CONTAINS(r, "  hex dump (first 32 bytes):\n");
		CHECK_STR_CONTAINS(r, "    a5 a5 a5 a5 a5 a5 a5 a5 a5 a5 a5 a5 a5 a5 a5 a5  "
				      "................\n");
		CHECK_STR_CONTAINS(r, "  backtrace (crc ");
		/* A static function of this file, named by kallsyms. */
		CHECK_STR_CONTAINS(r, "\n    leak_object+0x");
	}
	free(text);
	text = report();
	r = record_of(text, hidden_large ^ MASK, 3 * PAGE_SIZE);
	CHECK(r != NULL);
	if (r)
		CHECK_STR_CONTAINS(r, "\n    leak_large_kmalloc+0x");
	free(text);
	/* The kernel's line in the log, once for the scan that found them. */
	f = fmemopen(dmesg, sizeof(dmesg), "w");
	ukmem_show("dmesg", f);
	fclose(f);
	dmesg[sizeof(dmesg) - 1] = '\0';
	CHECK_STR_CONTAINS(dmesg, "kmemleak: 4 new suspected memory leaks "
				  "(see /sys/kernel/debug/kmemleak)");
	/* Without kmemleak.verbose the leaks themselves stay out of the log. */
	CHECK(strstr(dmesg, "unreferenced object") == NULL);
	/* A freed leak leaves the report. */
	kmem_cache_free(c, (void *)(hidden_leak ^ MASK));
	kfree((void *)(hidden_large ^ MASK));
	vfree((void *)(hidden_vmalloc ^ MASK));
	free_percpu((int __percpu *)(hidden_percpu ^ MASK));
	expect_no_leak();
}

static void test_leak_found_with_stack(void)
{
	ktest_child_case(child_leak, NULL);
}

/* ---- nothing reported for what is reachable ---- */

struct node {
	struct node *next;
	long payload[5];
};

/* volatile: stores to globals nobody reads would be optimised away. */
static void *volatile g_object;
/* samples/kmemleak's per-CPU pointer: each CPU's copy is a root. */
static DEFINE_PER_CPU(void *, pcpu_held);
static struct node *volatile g_head;
static char *volatile g_inner;

static noinline void *alloc_hidden_freed(void)
{
	void *p = kmalloc(200, GFP_KERNEL);
	unsigned long h = (unsigned long)p ^ MASK;

	kfree(p);
	return (void *)h;
}

/* @p lives in a callee-saved register (or this frame) across the scan. */
static noinline void scan_holding(void *p)
{
	scan();
	__asm__ volatile("" : : "r"(p));
}

static void child_reachable(void *arg)
{
	void *volatile on_stack;
	unsigned long objects, untracked, freed;
	char *text;
	void *p;
	int i;

	boot(CMDLINE);
	g_object = kmalloc(100, GFP_KERNEL);
	for (i = 0; i < 8; i++) {
		struct node *n = kmalloc(sizeof(*n), GFP_KERNEL);

		n->next = g_head;
		g_head = n;
	}
	g_inner = (char *)kmalloc(256, GFP_KERNEL) + 100;	/* inside: still a reference */
	on_stack = kzalloc(64, GFP_KERNEL);
	p = kmalloc(48, GFP_KERNEL);
	kmemleak_not_leak(p);
	p = kmalloc(48, GFP_KERNEL);
	kmemleak_ignore(p);
	/* A block only a kmemleak_no_scan object points to is unreferenced. */
	p = kmalloc(32, GFP_KERNEL);
	kmemleak_no_scan(p);
	*(void **)p = kmalloc(24, GFP_KERNEL);
	kmemleak_not_leak(p);
	for_each_possible_cpu(i)
		per_cpu(pcpu_held, i) = kmalloc(129, GFP_KERNEL);
	freed = (unsigned long)alloc_hidden_freed() ^ MASK;
	kmemleak_counts(&objects, &untracked);
	CHECK(objects >= 12);
	CHECK_EQ(untracked, 0);
	scan_holding(kmalloc(40, GFP_KERNEL));
	text = report();
	/* The one behind the no-scan object only (kmalloc-32's). */
	CHECK_EQ(count(text, "unreferenced object "), 1);
	CHECK_STR_CONTAINS(text, "(size 32):");
	CHECK(record_of(text, freed, 200) == NULL);
	free(text);
	CHECK(on_stack != NULL);
}

static void test_reachable_not_reported(void)
{
	ktest_child_case(child_reachable, NULL);
}

/* ---- scan areas, partial frees ---- */

static void *volatile g_areas;

static noinline void areas_setup(unsigned long *hidden_out, unsigned long *hidden_in,
				 unsigned long *hidden_part)
{
	char *a = kzalloc(256, GFP_KERNEL), *part = kmalloc(4096, GFP_KERNEL);
	void *out = kmalloc(64, GFP_KERNEL), *in = kmalloc(96, GFP_KERNEL);

	*(void **)a = out;		/* outside the scan area: no reference */
	*(void **)(a + 128) = in;	/* inside it */
	kmemleak_scan_area(a + 128, 16, GFP_KERNEL);
	g_areas = a;
	*hidden_out = (unsigned long)out ^ MASK;
	*hidden_in = (unsigned long)in ^ MASK;
	memset(part, 3, 4096);
	/* The first quarter given back: the rest is the object now. */
	kmemleak_free_part(part, 1024);
	*hidden_part = (unsigned long)part ^ MASK;
}

static void child_areas(void *arg)
{
	unsigned long out, in, part;
	char *text;

	boot(CMDLINE);
	areas_setup(&out, &in, &part);
	scan();
	text = report();
	CHECK_EQ(count(text, "unreferenced object "), 2);
	CHECK(record_of(strdup(text), out ^ MASK, 64) != NULL);
	CHECK(record_of(strdup(text), in ^ MASK, 96) == NULL);
	CHECK(record_of(strdup(text), (part ^ MASK) + 1024, 3072) != NULL);
	free(text);
}

static void test_scan_area_and_free_part(void)
{
	ktest_child_case(child_areas, NULL);
}

/* ---- commands ---- */

static noinline void leak_kmalloc(size_t size, unsigned long *hidden)
{
	void *p = kmalloc(size, GFP_KERNEL);

	memset(p, 1, size);
	*hidden = (unsigned long)p ^ MASK;
}

static void child_commands(void *arg)
{
	unsigned long a, objects, untracked;
	char cmd[64], *text;

	boot(CMDLINE);
	/*
	 * The stacks hold nothing this case needs, and an unoptimised build
	 * leaves stale copies of the leak in the live frames above the scan.
	 */
	CHECK_EQ(ukmem_write("kmemleak", "stack=off"), 0);
	leak_kmalloc(64, &a);
	scan();
	text = report();
	CHECK_EQ(count(text, "unreferenced object "), 1);
	free(text);
	/* clear: the reported leaks are forgotten, and stay so. */
	CHECK_EQ(ukmem_write("kmemleak", "clear"), 0);
	expect_no_leak();
	scan();
	expect_no_leak();
	snprintf(cmd, sizeof(cmd), "dump=0x%lx", a ^ MASK);
	CHECK_EQ(ukmem_write("kmemleak", cmd), 0);
	snprintf(cmd, sizeof(cmd), "dump=0x%lx\n", a ^ MASK);	/* echo's newline */
	CHECK_EQ(ukmem_write("kmemleak", cmd), 0);
	{
		/*
		 * dump_object_info(): the object's fields, then its stack as
		 * stack_depot_print() prints one (" %pS", no prefix).
		 */
		static char log[1 << 16];
		char head[64], *d;

		ukmem_dmesg(log, sizeof(log));
		snprintf(head, sizeof(head), "kmemleak: Object 0x%08lx (size 64):\n", a ^ MASK);
		d = strstr(log, head);
		CHECK(d != NULL);
		if (d) {
			CHECK_STR_CONTAINS(d, "kmemleak:   min_count = 0\n");	/* clear: gray */
			CHECK_STR_CONTAINS(d, "kmemleak:   count = 0\n");
			CHECK_STR_CONTAINS(d, "kmemleak:   flags = 0x3\n");	/* allocated, reported */
			CHECK_STR_CONTAINS(d, "kmemleak:   backtrace:\n");
			CHECK_STR_CONTAINS(d, "]  leak_kmalloc+0x");
		}
	}
	snprintf(cmd, sizeof(cmd), "dump=0x%lxjunk", a ^ MASK);	/* kstrtoul: all or nothing */
	CHECK_EQ(ukmem_write("kmemleak", cmd), -EINVAL);
	CHECK_EQ(ukmem_write("kmemleak", "dump=0x10"), -EINVAL);
	CHECK_EQ(ukmem_write("kmemleak", "dump=-1"), -EINVAL);
	CHECK_EQ(ukmem_write("kmemleak", "stack=on"), 0);
	CHECK_EQ(ukmem_write("kmemleak", "stack=off\n"), 0);
	CHECK_EQ(ukmem_write("kmemleak", "stack=on\n"), 0);
	CHECK_EQ(ukmem_write("kmemleak", "scan=off"), 0);
	CHECK_EQ(ukmem_write("kmemleak", "scan=off\n"), 0);
	/* scan=0 stops the scanning thread and starts none: scan=off. */
	CHECK_EQ(ukmem_write("kmemleak", "scan=0\n"), 0);
	CHECK_EQ(ukmem_write("kmemleak", "scan=600"), -EOPNOTSUPP);
	CHECK_EQ(ukmem_write("kmemleak", "scan=on\n"), -EOPNOTSUPP);
	CHECK_EQ(ukmem_write("kmemleak", "scan=ten"), -EINVAL);
	CHECK_EQ(ukmem_write("kmemleak", "scan=99999999999"), -ERANGE);
	CHECK_EQ(ukmem_write("kmemleak", "bogus"), -EINVAL);
	CHECK_EQ(ukmem_write("nosuchfile", "scan"), -ENOENT);
	/* off: nothing tracked any more, the file refuses commands. */
	CHECK_EQ(ukmem_write("kmemleak", "off"), 0);
	kmemleak_counts(&objects, &untracked);
	CHECK_EQ(objects, 0);
	kfree(kmalloc(64, GFP_KERNEL));
	kmemleak_counts(&objects, &untracked);
	CHECK_EQ(objects, 0);
	CHECK_EQ(ukmem_write("kmemleak", "scan"), -EPERM);
	/* clear after off: the kernel frees what is left and succeeds. */
	CHECK_EQ(ukmem_write("kmemleak", "clear\n"), 0);
	CHECK_EQ(ukmem_write("kmemleak", "stack=on"), -EPERM);
}

static void test_commands(void)
{
	ktest_child_case(child_commands, NULL);
}

/*
 * "off" after a scan found leaks (and no "clear" since): the kernel's
 * cleanup keeps its objects so that the report can still be read, says
 * so, and frees them at the next "clear".  The leaked block, freed while
 * kmemleak is off, is reported as it was (its frees are not tracked any
 * more) and read back without harm: a vmalloc'ed one is unmapped by then.
 */
static void *volatile g_first_area;

static noinline void leak_vmalloc(unsigned long *hidden)
{
	void *p;

	/* The first area starts at VMALLOC_START, which the library's bounds hold. */
	g_first_area = vmalloc(PAGE_SIZE);
	p = vmalloc(3 * PAGE_SIZE);

	memset(p, 2, 3 * PAGE_SIZE);
	*hidden = (unsigned long)p ^ MASK;
}

static void child_off_keeps(void *arg)
{
	static char log[1 << 16];
	unsigned long a, v, objects, untracked;
	char *text;

	(void)arg;
	boot(CMDLINE);
	CHECK_EQ(ukmem_write("kmemleak", "stack=off"), 0);
	leak_kmalloc(64, &a);
	leak_vmalloc(&v);
	scan();
	ukmem_dmesg_clear();
	CHECK_EQ(ukmem_write("kmemleak", "off"), 0);
	ukmem_dmesg(log, sizeof(log));
	CHECK_STR_CONTAINS(log, "Kernel memory leak detector disabled\n");
	CHECK_STR_CONTAINS(log, "Kmemleak disabled without freeing internal data. Reclaim the memory with \"echo clear > /sys/kernel/debug/kmemleak\".\n");
	kmemleak_counts(&objects, &untracked);
	CHECK(objects > 0);
	vfree((void *)(v ^ MASK));
	vm_unmap_aliases();
	text = report();
	CHECK_EQ(count(text, "unreferenced object "), 2);
	if (count(text, "unreferenced object ") != 2)
		fputs(text, stderr);
	free(text);
	CHECK_EQ(ukmem_write("kmemleak", "scan"), -EPERM);
	/* clear: everything kept goes, and the file is empty. */
	CHECK_EQ(ukmem_write("kmemleak", "clear"), 0);
	kmemleak_counts(&objects, &untracked);
	CHECK_EQ(objects, 0);
	text = report();
	CHECK_EQ(count(text, "unreferenced object "), 0);
	free(text);
	kfree((void *)(a ^ MASK));
	vfree(g_first_area);
}

static void test_off_keeps_found_leaks(void)
{
	ktest_child_case(child_off_keeps, NULL);
}

/*
 * fork: the child has only the forking thread.  Its scan finds the block
 * it leaked itself, and the block the parent's other thread holds only on
 * its stack: in the child no thread has that stack, so nothing can ever
 * free the block there (a leak of the child's, as the kernel would call
 * it).  The parent, whose thread still holds it, finds neither.
 */
static pthread_barrier_t fork_barrier;
static void *volatile fork_thread_done;

static void *fork_holder(void *arg)
{
	void *volatile held = kmalloc(200, GFP_KERNEL);	/* only on this stack */

	(void)arg;
	memset((void *)held, 7, 200);
	pthread_barrier_wait(&fork_barrier);	/* holding it */
	pthread_barrier_wait(&fork_barrier);	/* the fork is over */
	kfree((void *)held);
	return NULL;
}

static void child_fork(void *arg)
{
	unsigned long a;
	pthread_t t;
	pid_t pid;
	int status;
	char *text;

	(void)arg;
	/*
	 * No KFENCE timer: the child's first sample would start its thread
	 * again, which ThreadSanitizer forbids after a multi-threaded fork
	 * (the child of a slow run got there, and died).
	 */
	boot(CMDLINE " kfence.sample_interval=0");
	CHECK_EQ(pthread_barrier_init(&fork_barrier, NULL, 2), 0);
	CHECK_EQ(pthread_create(&t, NULL, fork_holder, NULL), 0);
	pthread_barrier_wait(&fork_barrier);
	pid = fork();
	if (!pid) {
		ktest_failures = 0;
		/*
		 * No stacks: an unoptimised build leaves stale copies of the
		 * leak in live frames (test_commands); the other thread's
		 * stack is not the child's either way.
		 */
		CHECK_EQ(ukmem_write("kmemleak", "stack=off"), 0);
		leak_kmalloc(96, &a);
		scan();
		text = report();
		CHECK_EQ(count(text, "unreferenced object "), 2);
		CHECK_EQ(count(text, " (size 256):\n"), 1);	/* kmalloc-256 object size */
		CHECK(record_of(text, a ^ MASK, 96) != NULL);
		free(text);
		_exit(ktest_failures ? 1 : 0);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid && ktest_exited_with(status, 0));
	/* The parent: nothing of the child's, nothing of its own leaked. */
	scan();
	expect_no_leak();
	pthread_barrier_wait(&fork_barrier);
	pthread_join(t, NULL);
}

static void test_fork(void)
{
	ktest_child_case(child_fork, NULL);
}

/*
 * kmemleak.verbose (Documentation/dev-tools/kmemleak.rst): a scan that
 * finds a leak logs its record, each line with the "kmemleak: " prefix,
 * before the count; a later scan does not log it again.
 */
static unsigned long hidden_verbose;

static noinline void leak_verbose(void)
{
	void *p = kmalloc(64, GFP_KERNEL);

	memset(p, 0x41, 64);
	hidden_verbose = (unsigned long)p ^ MASK;
}

static void child_verbose(void *arg)
{
	static char dmesg[65536];
	char head[96], *rec, *count_line;
	FILE *f;

	boot(CMDLINE " kmemleak.verbose");
	CHECK_EQ(ukmem_write("kmemleak", "stack=off"), 0);
	leak_verbose();
	scan();
	scan();
	f = fmemopen(dmesg, sizeof(dmesg), "w");
	ukmem_show("dmesg", f);
	fclose(f);
	dmesg[sizeof(dmesg) - 1] = '\0';
	snprintf(head, sizeof(head), "kmemleak: unreferenced object 0x%08lx (size 64):\n",
		 hidden_verbose ^ MASK);
	rec = strstr(dmesg, head);
	CHECK(rec != NULL);
	if (!rec) {
		fputs(dmesg, stderr);
		return;
	}
	CHECK(strstr(rec + 1, head) == NULL);		/* logged once */
	CHECK_STR_CONTAINS(rec, "kmemleak:   comm \"");
	CHECK_STR_CONTAINS(rec, "kmemleak:   hex dump (first 32 bytes):\n");
	CHECK_STR_CONTAINS(rec, "kmemleak:     41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41  "
				"AAAAAAAAAAAAAAAA\n");
	CHECK_STR_CONTAINS(rec, "kmemleak:   backtrace (crc ");
	CHECK_STR_CONTAINS(rec, "    leak_verbose+0x");
	count_line = strstr(rec, "new suspected memory leaks (see /sys/kernel/debug/kmemleak)");
	CHECK(count_line != NULL);			/* after the record */
}

static void test_verbose(void)
{
	ktest_child_case(child_verbose, NULL);
}

/*
 * kmemleak.rst: "the orphan objects are listed in the order they were
 * allocated".  Two blocks tracked with kmemleak_alloc(), the one at the
 * higher address first: the report lists it first.  Their memory is an
 * anonymous mapping (no root), its address kept masked.
 */
static unsigned long hidden_region;

static noinline void track_two_reversed(void)
{
	char *r = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(r != MAP_FAILED);
	memset(r, 0x5c, 4096);
	kmemleak_alloc(r + 2048, 64, 1, GFP_KERNEL);
	kmemleak_alloc(r + 1024, 64, 1, GFP_KERNEL);
	kmemleak_alloc(r, 64, 1, GFP_KERNEL);
	hidden_region = (unsigned long)r ^ MASK;
}

static void child_order(void *arg)
{
	char *text, *first, *second, *third, head[96];
	unsigned long r;

	boot(CMDLINE);
	CHECK_EQ(ukmem_write("kmemleak", "stack=off"), 0);
	track_two_reversed();
	scan();
	r = hidden_region ^ MASK;
	text = report();
	snprintf(head, sizeof(head), "unreferenced object 0x%08lx (size 64):", r + 2048);
	first = strstr(text, head);
	snprintf(head, sizeof(head), "unreferenced object 0x%08lx (size 64):", r + 1024);
	second = strstr(text, head);
	snprintf(head, sizeof(head), "unreferenced object 0x%08lx (size 64):", r);
	third = strstr(text, head);
	CHECK(first && second && third);
	if (first && second && third)
		CHECK(first < second && second < third);
	free(text);
}

static void test_report_order(void)
{
	ktest_child_case(child_order, NULL);
}

/* Without kmemleak=on: nothing tracked, the file refuses, the show is empty. */
static void child_off(void *arg)
{
	unsigned long objects, untracked;

	boot("mem=256M loglevel=4");
	kfree(kmalloc(64, GFP_KERNEL));
	kmemleak_alloc(&hidden_leak, 8, 1, GFP_KERNEL);
	kmemleak_counts(&objects, &untracked);
	CHECK_EQ(objects, 0);
	CHECK_EQ(ukmem_write("kmemleak", "scan"), -EPERM);
	CHECK_EQ(ukmem_write("kmemleak", "dump=0x10"), -EPERM);
	CHECK_EQ(ukmem_write("kmemleak", "clear"), 0);	/* as the kernel's */
}

static void test_off_by_default(void)
{
	ktest_child_case(child_off, NULL);
}

/* ---- several threads boot it with their first calls ---- */

#define NR_THREADS	4

static pthread_barrier_t start_barrier, ready_barrier, done_barrier;
static unsigned long thread_leak[NR_THREADS];
static void *volatile thread_kept[NR_THREADS];

static noinline void thread_leak_one(long i)
{
	void *p = kmalloc(64 + 8 * (size_t)i, GFP_KERNEL);

	memset(p, 2, 64);
	thread_leak[i] = (unsigned long)p ^ MASK;
}

static void *thread_fn(void *arg)
{
	long i = (long)arg;
	void *volatile mine;

	pthread_barrier_wait(&start_barrier);
	thread_kept[i] = kmalloc(128, GFP_KERNEL);	/* the first call: boots */
	thread_leak_one(i);
	mine = kmalloc(96, GFP_KERNEL);		/* on this thread's stack only */
	scrub_stack();
	pthread_barrier_wait(&ready_barrier);
	pthread_barrier_wait(&done_barrier);	/* while the main thread scans */
	kfree(mine);
	return NULL;
}

static void child_threads(void *arg)
{
	pthread_t t[NR_THREADS];
	unsigned long objects, untracked;
	char *text;
	long i;

	setenv("UKMEM_CMDLINE", CMDLINE, 1);
	pthread_barrier_init(&start_barrier, NULL, NR_THREADS);
	pthread_barrier_init(&ready_barrier, NULL, NR_THREADS + 1);
	pthread_barrier_init(&done_barrier, NULL, NR_THREADS + 1);
	for (i = 0; i < NR_THREADS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, thread_fn, (void *)i), 0);
	pthread_barrier_wait(&ready_barrier);
	ktest_progress();
	scan();
	text = report();
	CHECK_EQ(count(text, "unreferenced object "), NR_THREADS);
	for (i = 0; i < NR_THREADS; i++) {
		char *copy = strdup(text), *r = record_of(copy, thread_leak[i] ^ MASK,
							 i == 0 ? 64 : kmalloc_size_roundup(64 + 8 * i));

		CHECK(r != NULL);
		if (r)
			CHECK_STR_CONTAINS(r, "\n    thread_leak_one+0x");
		free(copy);
	}
	free(text);
	kmemleak_counts(&objects, &untracked);
	CHECK_EQ(untracked, 0);
	pthread_barrier_wait(&done_barrier);
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(t[i], NULL);
}

static void test_first_call_from_threads(void)
{
	ktest_child_case(child_threads, NULL);
}

/*
 * Scans while other threads kmalloc and kfree, KFENCE sampling every
 * object it can: a KFENCE object was untracked only after its page was
 * protected, and a scan in between reported "BUG: KFENCE: use-after-free
 * read in scan_block" (2 runs in 3 of this case, 400 scans).  The kernel untracks
 * first (slab_free_hook before kfence_free).
 */
static _Atomic int stop_churn;

static void *churn_fn(void *arg)
{
	(void)arg;
	while (!stop_churn) {
		char *p = kmalloc(256, GFP_KERNEL);

		if (p)
			memset(p, 0, 256);
		kfree(p);
	}
	return NULL;
}

static void child_scan_beside_kfence(void *arg)
{
	static char text[1 << 16];
	pthread_t t[2];
	int i;

	(void)arg;
	boot(CMDLINE " kfence.sample_interval=1");
	for (i = 0; i < 2; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, churn_fn, NULL), 0);
	for (i = 0; i < 800; i++) {
		CHECK_EQ(ukmem_write("kmemleak", "scan"), 0);
		ktest_progress();
	}
	stop_churn = 1;
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	ukmem_dmesg(text, sizeof(text));
	CHECK(strstr(text, "BUG: KFENCE") == NULL);
}

static void test_scan_beside_kfence_frees(void)
{
	ktest_child_case(child_scan_beside_kfence, NULL);
}

int main(void)
{
	KTEST_RUN(KTEST(test_leak_found_with_stack),
		  KTEST(test_reachable_not_reported),
		  KTEST(test_scan_area_and_free_part),
		  KTEST(test_commands),
		  KTEST(test_off_keeps_found_leaks),
		  KTEST(test_off_by_default),
		  KTEST(test_verbose),
		  KTEST(test_report_order),
		  KTEST(test_first_call_from_threads),
		  KTEST(test_scan_beside_kfence_frees),
		  KTEST(test_fork));
}
